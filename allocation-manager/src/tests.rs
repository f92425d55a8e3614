//! Unit tests of the AllocationManager on motsu, wired to the real DelegationManager,
//! StrategyManager and mock token, with the mock registrar as the AVS's registrar. Extension
//! methods are plain methods here and are called directly, on the same storage.
//!
//! motsu's clock stands still (`NOW`), so a change with a delay stays pending for the whole test;
//! what happens once delays pass is covered by the integration suite on the devnode.

use alloc::{string::String, vec, vec::Vec};

use alloy_primitives::{uint, Address, B256, U256};
use alloy_sol_types::SolError;
use delegation_manager::DelegationManager;
use mock_registrar::{MockRegistrar, REVERT_WITH_DATA};
use mock_token::{MockToken, KIND_STANDARD};
use motsu::prelude::*;
use strategy_manager::StrategyManager;

use super::*;

const NOW: u64 = 1_735_689_600;
/// Deallocation delay the tests construct with (seconds).
const DEALLOCATION: u64 = 50;
/// Allocation configuration delay the tests construct with (seconds).
const CONFIG: u64 = 75;
/// An address without code: refused as an extension. (The unit tests never go through the
/// fallbacks, so any contract, e.g. the AllocationManager itself, stands in for its extension.)
const EXTENSION: Address = Address::repeat_byte(0xEE);
const HALF: u64 = WAD64 / 2;
const TENTH: U256 = uint!(100_000_000_000_000_000_U256);

struct World<'a> {
    am: &'a Contract<AllocationManager>,
    dm: &'a Contract<DelegationManager>,
    sm: &'a Contract<StrategyManager>,
    token: &'a Contract<MockToken>,
    slasher: Address,
    avs: Address,
}

fn setup<'a>(
    am: &'a Contract<AllocationManager>,
    dm: &'a Contract<DelegationManager>,
    sm: &'a Contract<StrategyManager>,
    token: &'a Contract<MockToken>,
    registrar: &'a Contract<MockRegistrar>,
    owner: Address,
) -> World<'a> {
    let slasher = Address::repeat_byte(0x5A);
    let avs = Address::repeat_byte(0xA5);
    am.sender(owner)
        .constructor(owner, DEALLOCATION, CONFIG, am.address())
        .motsu_unwrap();
    am.sender(owner)
        .initialize(dm.address(), slasher)
        .motsu_unwrap();
    dm.sender(owner)
        .constructor(owner, 100, dm.address())
        .motsu_unwrap();
    dm.sender(owner)
        .initialize(sm.address(), am.address())
        .motsu_unwrap();
    sm.sender(owner).constructor(owner).motsu_unwrap();
    sm.sender(owner)
        .initialize(dm.address(), am.address())
        .motsu_unwrap();
    token
        .sender(owner)
        .constructor(
            String::from("Staked Ether"),
            String::from("stETH"),
            18,
            KIND_STANDARD,
            0,
        )
        .motsu_unwrap();
    sm.sender(owner)
        .set_strategy_whitelist(token.address(), true)
        .motsu_unwrap();
    am.sender(avs)
        .update_avs_metadata_uri(avs, String::from("ipfs://avs"))
        .motsu_unwrap();
    // motsu cannot call an account without code, so the AVS always has a registrar here.
    registrar.sender(owner).set_supported(avs, true);
    am.sender(avs)
        .set_avs_registrar(avs, registrar.address())
        .motsu_unwrap();
    World {
        am,
        dm,
        sm,
        token,
        slasher,
        avs,
    }
}

impl World<'_> {
    fn strategy(&self) -> Address {
        self.token.address()
    }

    fn set(&self, id: u32) -> OperatorSet {
        OperatorSet { avs: self.avs, id }
    }

    /// Creates set `id` of the AVS with `strategies`.
    fn create(&self, id: u32, strategies: Vec<Address>, recipient: Address) {
        self.am
            .sender(self.avs)
            .create_operator_sets(
                self.avs,
                vec![CreateSetParams {
                    operatorSetId: id,
                    strategies,
                    redistributionRecipient: recipient,
                }],
            )
            .motsu_unwrap();
    }

    /// Registers `operator` in DelegationManager with allocation delay `delay`.
    fn operator(&self, operator: Address, delay: u32) {
        self.dm
            .sender(operator)
            .register_as_operator(Address::ZERO, delay, String::new())
            .motsu_unwrap();
    }

    fn join(&self, operator: Address, ids: Vec<u32>) -> Result<(), Error> {
        self.am.sender(operator).register_for_operator_sets(
            operator,
            self.avs,
            ids,
            stylus_sdk::abi::Bytes(vec![0xDA, 0x7A]),
        )
    }

    fn allocate(&self, operator: Address, id: u32, magnitude: u64) -> Result<(), Error> {
        self.allocate_many(operator, id, vec![self.strategy()], vec![magnitude])
    }

    fn allocate_many(
        &self,
        operator: Address,
        id: u32,
        strategies: Vec<Address>,
        magnitudes: Vec<u64>,
    ) -> Result<(), Error> {
        self.am.sender(operator).modify_allocations(
            operator,
            vec![AllocateParams {
                operatorSet: self.set(id),
                strategies,
                newMagnitudes: magnitudes,
            }],
        )
    }

    fn allocation(&self, operator: Address, id: u32) -> Allocation {
        self.am
            .sender(operator)
            .get_allocation(operator, self.set(id), self.strategy())
    }

    /// `staker` deposits `amount` and delegates to `operator`.
    fn stake(&self, staker: Address, operator: Address, amount: u64) {
        self.token
            .sender(staker)
            .mint(staker, U256::from(amount))
            .motsu_unwrap();
        self.token
            .sender(staker)
            .approve(self.sm.address(), U256::from(amount));
        self.sm
            .sender(staker)
            .deposit(self.strategy(), U256::from(amount))
            .motsu_unwrap();
        let none = SignatureWithExpiry {
            signature: alloy_primitives::Bytes::new(),
            expiry: U256::ZERO,
        };
        self.dm
            .sender(staker)
            .delegate_to(operator, none, B256::ZERO)
            .motsu_unwrap();
    }

    fn slash(&self, operator: Address, id: u32, wad: U256) -> Result<SlashOutcome, Error> {
        let params = slashing(operator, id, vec![self.strategy()], vec![wad]);
        self.am.sender(self.slasher).apply_slash(self.avs, params)
    }

    /// (max, encumbered, allocatable) of the operator in the token's strategy.
    fn magnitudes(&self, operator: Address) -> (u64, u64, u64) {
        let s = self.strategy();
        let am = self.am.sender(operator);
        (
            am.get_max_magnitude(operator, s),
            am.get_encumbered_magnitude(operator, s),
            am.get_allocatable_magnitude(operator, s),
        )
    }
}

fn slashing(
    operator: Address,
    id: u32,
    strategies: Vec<Address>,
    wads: Vec<U256>,
) -> SlashingParams {
    SlashingParams {
        operator,
        operatorSetId: id,
        strategies,
        wadsToSlash: wads,
        description: String::from("double signing"),
    }
}

/// Slash input and the error it must be refused with.
type Case = (SlashingParams, fn(&Error) -> bool);

fn diff(current: u64, pending: i128, effect: u64) -> Allocation {
    Allocation {
        currentMagnitude: current,
        pendingDiff: pending,
        effectTimestamp: effect,
    }
}

/// Review findings 5 and 11: no extension without code, and no deallocation delay shorter than
/// the DelegationManager's withdrawal delay.
#[motsu::test]
fn construction_refuses_an_extension_without_code_and_a_short_deallocation_delay(
    am: Contract<AllocationManager>,
    dm: Contract<DelegationManager>,
    owner: Address,
) {
    let err = am
        .sender(owner)
        .constructor(owner, DEALLOCATION, CONFIG, EXTENSION)
        .motsu_unwrap_err();
    assert!(
        matches!(err, Error::ModuleWithoutCode(ModuleWithoutCode { module }) if module == EXTENSION)
    );
    am.sender(owner)
        .constructor(owner, DEALLOCATION, CONFIG, am.address())
        .motsu_unwrap();
    dm.sender(owner)
        .constructor(owner, DEALLOCATION + 1, dm.address())
        .motsu_unwrap();
    let err = am
        .sender(owner)
        .initialize(dm.address(), Address::repeat_byte(0x5A))
        .motsu_unwrap_err();
    assert!(matches!(
        err,
        Error::DeallocationDelayTooShort(DeallocationDelayTooShort {
            deallocationDelay: DEALLOCATION,
            withdrawalDelay,
        }) if withdrawalDelay == DEALLOCATION + 1
    ));
    let err = am
        .sender(owner)
        .set_allocation_delay(owner, 1)
        .motsu_unwrap_err();
    assert!(matches!(err, Error::NotInitialized(_)));
}

#[motsu::test]
fn initialize_sets_peers_once_by_the_owner(
    am: Contract<AllocationManager>,
    dm: Contract<DelegationManager>,
    owner: Address,
    mallory: Address,
) {
    am.sender(owner)
        .constructor(owner, DEALLOCATION, CONFIG, am.address())
        .motsu_unwrap();
    let err = am
        .sender(mallory)
        .set_allocation_delay(mallory, 1)
        .motsu_unwrap_err();
    assert!(matches!(err, Error::NotInitialized(_)));
    let err = am
        .sender(mallory)
        .initialize(dm.address(), mallory)
        .motsu_unwrap_err();
    assert!(matches!(err, Error::Unauthorized(Unauthorized { caller }) if caller == mallory));
    let err = am
        .sender(owner)
        .initialize(dm.address(), Address::ZERO)
        .motsu_unwrap_err();
    assert!(matches!(err, Error::ZeroAddress(_)));
    am.sender(owner)
        .initialize(dm.address(), mallory)
        .motsu_unwrap();
    am.assert_emitted(&Initialized {
        peer1: dm.address(),
        peer2: mallory,
        peer3: Address::ZERO,
    });
    let err = am
        .sender(owner)
        .initialize(dm.address(), owner)
        .motsu_unwrap_err();
    assert!(matches!(err, Error::AlreadyInitialized(_)));
    assert_eq!(am.sender(owner).extension(), am.address());
}

#[motsu::test]
fn a_constructor_needs_an_extension(am: Contract<AllocationManager>, owner: Address) {
    let err = am
        .sender(owner)
        .constructor(owner, DEALLOCATION, CONFIG, Address::ZERO)
        .motsu_unwrap_err();
    assert!(matches!(err, Error::ZeroAddress(_)));
}

#[motsu::test]
fn avss_register_by_metadata_and_create_sets_with_fixed_recipients(
    am: Contract<AllocationManager>,
    dm: Contract<DelegationManager>,
    sm: Contract<StrategyManager>,
    token: Contract<MockToken>,
    registrar: Contract<MockRegistrar>,
    owner: Address,
    newcomer: Address,
    recipient: Address,
) {
    let w = setup(&am, &dm, &sm, &token, &registrar, owner);
    let s = w.strategy();
    assert!(am.sender(owner).is_avs(w.avs));
    am.assert_emitted(&AvsMetadataUriUpdated {
        avs: w.avs,
        metadataUri: String::from("ipfs://avs"),
    });
    // Only the AVS speaks for itself, and only a registered AVS creates sets.
    let err = am
        .sender(owner)
        .update_avs_metadata_uri(w.avs, String::new())
        .motsu_unwrap_err();
    assert!(matches!(err, Error::Unauthorized(Unauthorized { caller }) if caller == owner));
    let params = vec![CreateSetParams {
        operatorSetId: 1,
        strategies: vec![s],
        redistributionRecipient: Address::ZERO,
    }];
    let err = am
        .sender(newcomer)
        .create_operator_sets(newcomer, params.clone())
        .motsu_unwrap_err();
    assert!(matches!(err, Error::AvsNotRegistered(AvsNotRegistered { avs }) if avs == newcomer));
    let err = am
        .sender(owner)
        .create_operator_sets(w.avs, params)
        .motsu_unwrap_err();
    assert!(matches!(err, Error::Unauthorized(_)));

    w.create(1, vec![s], Address::ZERO);
    w.create(2, vec![], recipient);
    am.assert_emitted(&OperatorSetCreated {
        avs: w.avs,
        operatorSetId: 1,
        redistributionRecipient: Address::ZERO,
    });
    am.assert_emitted(&StrategyAddedToOperatorSet {
        avs: w.avs,
        operatorSetId: 1,
        strategy: s,
    });
    let view = am.sender(owner);
    assert!(view.is_operator_set(w.set(1)));
    assert!(!view.is_operator_set(w.set(3)));
    assert_eq!(view.get_strategies_in_operator_set(w.set(1)), vec![s]);
    assert_eq!(view.get_redistribution_recipient(w.set(1)), Address::ZERO);
    assert_eq!(view.get_redistribution_recipient(w.set(2)), recipient);

    // A taken id, a zero or repeated strategy: refused, and the batch leaves nothing behind.
    let batch = |id: u32, strategies: Vec<Address>| {
        am.sender(w.avs)
            .create_operator_sets(
                w.avs,
                vec![
                    CreateSetParams {
                        operatorSetId: 5,
                        strategies: vec![],
                        redistributionRecipient: Address::ZERO,
                    },
                    CreateSetParams {
                        operatorSetId: id,
                        strategies,
                        redistributionRecipient: Address::ZERO,
                    },
                ],
            )
            .motsu_unwrap_err()
    };
    let err = batch(1, vec![]);
    assert!(
        matches!(err, Error::OperatorSetExists(OperatorSetExists { avs, id: 1 }) if avs == w.avs)
    );
    let err = batch(6, vec![s, s]);
    assert!(
        matches!(err, Error::StrategyAlreadyInSet(StrategyAlreadyInSet { id: 6, strategy, .. }) if strategy == s)
    );
    let err = batch(6, vec![Address::ZERO]);
    assert!(matches!(err, Error::ZeroAddress(_)));
    assert!(!am.sender(owner).is_operator_set(w.set(5)));
    assert!(!am.sender(owner).is_operator_set(w.set(6)));
}

#[motsu::test]
fn strategies_are_added_and_removed_by_the_avs_only(
    am: Contract<AllocationManager>,
    dm: Contract<DelegationManager>,
    sm: Contract<StrategyManager>,
    token: Contract<MockToken>,
    registrar: Contract<MockRegistrar>,
    owner: Address,
) {
    let w = setup(&am, &dm, &sm, &token, &registrar, owner);
    let [a, b, c] = [0xA1, 0xB2, 0xC3].map(Address::repeat_byte);
    w.create(1, vec![a], Address::ZERO);
    am.sender(w.avs)
        .add_strategies_to_operator_set(w.avs, 1, vec![b, c])
        .motsu_unwrap();
    assert_eq!(
        am.sender(owner).get_strategies_in_operator_set(w.set(1)),
        vec![a, b, c]
    );
    let err = am
        .sender(w.avs)
        .add_strategies_to_operator_set(w.avs, 1, vec![b])
        .motsu_unwrap_err();
    assert!(
        matches!(err, Error::StrategyAlreadyInSet(StrategyAlreadyInSet { strategy, .. }) if strategy == b)
    );
    let err = am
        .sender(w.avs)
        .add_strategies_to_operator_set(w.avs, 9, vec![b])
        .motsu_unwrap_err();
    assert!(matches!(
        err,
        Error::OperatorSetNotFound(OperatorSetNotFound { id: 9, .. })
    ));
    let err = am
        .sender(owner)
        .remove_strategies_from_operator_set(w.avs, 1, vec![a])
        .motsu_unwrap_err();
    assert!(matches!(err, Error::Unauthorized(_)));

    // Removing the first moves the last into its place.
    am.sender(w.avs)
        .remove_strategies_from_operator_set(w.avs, 1, vec![a])
        .motsu_unwrap();
    am.assert_emitted(&StrategyRemovedFromOperatorSet {
        avs: w.avs,
        operatorSetId: 1,
        strategy: a,
    });
    assert_eq!(
        am.sender(owner).get_strategies_in_operator_set(w.set(1)),
        vec![c, b]
    );
    // A missing strategy anywhere in the list undoes the whole call.
    let err = am
        .sender(w.avs)
        .remove_strategies_from_operator_set(w.avs, 1, vec![b, a])
        .motsu_unwrap_err();
    assert!(
        matches!(err, Error::StrategyNotInSet(StrategyNotInSet { strategy, .. }) if strategy == a)
    );
    assert_eq!(
        am.sender(owner).get_strategies_in_operator_set(w.set(1)),
        vec![c, b]
    );
}

#[motsu::test]
fn a_registrar_must_declare_support_for_the_avs(
    am: Contract<AllocationManager>,
    dm: Contract<DelegationManager>,
    sm: Contract<StrategyManager>,
    token: Contract<MockToken>,
    registrar: Contract<MockRegistrar>,
    owner: Address,
    stranger: Address,
) {
    let w = setup(&am, &dm, &sm, &token, &registrar, owner);
    am.sender(w.avs)
        .set_avs_registrar(w.avs, Address::ZERO)
        .motsu_unwrap();
    registrar.sender(owner).set_supported(w.avs, false);
    let err = am
        .sender(w.avs)
        .set_avs_registrar(w.avs, registrar.address())
        .motsu_unwrap_err();
    assert!(
        matches!(err, Error::RegistrarNotForAvs(RegistrarNotForAvs { registrar: r, avs })
        if r == registrar.address() && avs == w.avs)
    );
    assert_eq!(am.sender(owner).get_avs_registrar(w.avs), Address::ZERO);
    registrar.sender(owner).set_supported(w.avs, true);
    let err = am
        .sender(stranger)
        .set_avs_registrar(stranger, registrar.address())
        .motsu_unwrap_err();
    assert!(matches!(err, Error::AvsNotRegistered(_)));
    am.sender(w.avs)
        .set_avs_registrar(w.avs, registrar.address())
        .motsu_unwrap();
    am.assert_emitted(&AvsRegistrarSet {
        avs: w.avs,
        registrar: registrar.address(),
    });
    assert_eq!(
        am.sender(owner).get_avs_registrar(w.avs),
        registrar.address()
    );
    am.sender(w.avs)
        .set_avs_registrar(w.avs, Address::ZERO)
        .motsu_unwrap();
    assert_eq!(am.sender(owner).get_avs_registrar(w.avs), Address::ZERO);
}

#[motsu::test]
fn operators_join_sets_through_the_registrar(
    am: Contract<AllocationManager>,
    dm: Contract<DelegationManager>,
    sm: Contract<StrategyManager>,
    token: Contract<MockToken>,
    registrar: Contract<MockRegistrar>,
    owner: Address,
    operator: Address,
    other: Address,
    stranger: Address,
) {
    let w = setup(&am, &dm, &sm, &token, &registrar, owner);
    w.create(1, vec![w.strategy()], Address::ZERO);
    w.create(2, vec![w.strategy()], Address::ZERO);

    let err = w.join(stranger, vec![1]).motsu_unwrap_err();
    assert!(matches!(err, Error::NotOperator(NotOperator { account }) if account == stranger));
    w.operator(operator, 0);
    w.operator(other, 0);
    let err = am
        .sender(other)
        .register_for_operator_sets(operator, w.avs, vec![1], stylus_sdk::abi::Bytes(vec![]))
        .motsu_unwrap_err();
    assert!(matches!(err, Error::Unauthorized(Unauthorized { caller }) if caller == other));
    let err = w.join(operator, vec![]).motsu_unwrap_err();
    assert!(matches!(err, Error::ZeroAmount(_)));
    let err = w.join(operator, vec![1, 3]).motsu_unwrap_err();
    assert!(matches!(
        err,
        Error::OperatorSetNotFound(OperatorSetNotFound { id: 3, .. })
    ));

    w.join(operator, vec![1, 2]).motsu_unwrap();
    w.join(other, vec![1]).motsu_unwrap();
    am.assert_emitted(&OperatorAddedToOperatorSet {
        operator,
        avs: w.avs,
        operatorSetId: 2,
    });
    assert_eq!(
        registrar.sender(owner).registrations(operator),
        U256::from(1)
    );
    assert_eq!(registrar.sender(owner).last_data().0, vec![0xDA, 0x7A]);
    let view = am.sender(owner);
    assert_eq!(view.get_members(w.set(1)), vec![operator, other]);
    assert_eq!(view.get_members(w.set(2)), vec![operator]);
    assert!(view.is_member_of_operator_set(operator, w.set(2)));
    assert!(view.is_operator_slashable(operator, w.set(2)));
    assert!(!view.is_operator_slashable(other, w.set(2)));

    let err = w.join(other, vec![2, 1]).motsu_unwrap_err();
    assert!(
        matches!(err, Error::AlreadyMemberOfSet(AlreadyMemberOfSet { operator: o, id: 1, .. }) if o == other)
    );
    assert!(!am.sender(owner).is_member_of_operator_set(other, w.set(2)));

    am.sender(owner)
        .admin
        .pause(U256::from(pause::flag(pause::REGISTRATION)))
        .motsu_unwrap();
    let err = w.join(other, vec![2]).motsu_unwrap_err();
    assert!(matches!(err, Error::ActionPaused(ActionPaused { bit: 1 })));
}

#[motsu::test]
fn a_rejecting_registrar_surfaces_its_revert_data_and_nothing_changes(
    am: Contract<AllocationManager>,
    dm: Contract<DelegationManager>,
    sm: Contract<StrategyManager>,
    token: Contract<MockToken>,
    registrar: Contract<MockRegistrar>,
    owner: Address,
    operator: Address,
) {
    let w = setup(&am, &dm, &sm, &token, &registrar, owner);
    w.create(1, vec![w.strategy()], Address::ZERO);
    w.operator(operator, 0);
    let reason = Unauthorized { caller: operator }.abi_encode();
    // (An empty revert, `REJECT`, is covered on the devnode: motsu rewrites empty revert data.)
    for (mode, data) in [
        (REVERT_WITH_DATA, reason),
        (REVERT_WITH_DATA, vec![1, 2, 3]),
    ] {
        registrar
            .sender(owner)
            .set_behaviour(mode, stylus_sdk::abi::Bytes(data.clone()));
        let err = w.join(operator, vec![1]).motsu_unwrap_err();
        assert!(
            matches!(&err, Error::RegistrarRejected(RegistrarRejected { registrar: r, reason })
            if *r == registrar.address() && reason.as_ref() == data.as_slice()),
            "{err:?}"
        );
        assert!(am.sender(owner).get_members(w.set(1)).is_empty());
        assert!(!am.sender(owner).is_operator_slashable(operator, w.set(1)));
    }
}

#[motsu::test]
fn leaving_a_set_keeps_the_operator_slashable_for_the_deallocation_delay(
    am: Contract<AllocationManager>,
    dm: Contract<DelegationManager>,
    sm: Contract<StrategyManager>,
    token: Contract<MockToken>,
    registrar: Contract<MockRegistrar>,
    owner: Address,
    operator: Address,
    other: Address,
    stranger: Address,
) {
    let w = setup(&am, &dm, &sm, &token, &registrar, owner);
    w.create(1, vec![w.strategy()], Address::ZERO);
    w.operator(operator, 0);
    w.operator(other, 0);
    w.join(operator, vec![1]).motsu_unwrap();
    w.join(other, vec![1]).motsu_unwrap();

    let err = am
        .sender(stranger)
        .deregister_from_operator_sets(operator, w.avs, vec![1])
        .motsu_unwrap_err();
    assert!(matches!(err, Error::Unauthorized(Unauthorized { caller }) if caller == stranger));
    registrar
        .sender(owner)
        .set_behaviour(REVERT_WITH_DATA, stylus_sdk::abi::Bytes(vec![7]));
    let err = am
        .sender(operator)
        .deregister_from_operator_sets(operator, w.avs, vec![1])
        .motsu_unwrap_err();
    assert!(
        matches!(&err, Error::RegistrarRejected(RegistrarRejected { reason, .. }) if reason.as_ref() == [7])
    );
    assert!(am
        .sender(owner)
        .is_member_of_operator_set(operator, w.set(1)));
    registrar
        .sender(owner)
        .set_behaviour(0, stylus_sdk::abi::Bytes(vec![]));

    // The AVS may remove an operator too; the last member takes the leaver's place.
    am.sender(w.avs)
        .deregister_from_operator_sets(operator, w.avs, vec![1])
        .motsu_unwrap();
    am.assert_emitted(&OperatorRemovedFromOperatorSet {
        operator,
        avs: w.avs,
        operatorSetId: 1,
        slashableUntil: NOW + DEALLOCATION,
    });
    assert_eq!(
        registrar.sender(owner).deregistrations(operator),
        U256::from(1)
    );
    let view = am.sender(owner);
    assert_eq!(view.get_members(w.set(1)), vec![other]);
    assert!(!view.is_member_of_operator_set(operator, w.set(1)));
    assert!(view.is_operator_slashable(operator, w.set(1)));
    let err = am
        .sender(operator)
        .deregister_from_operator_sets(operator, w.avs, vec![1])
        .motsu_unwrap_err();
    assert!(
        matches!(err, Error::NotMemberOfSet(NotMemberOfSet { operator: o, id: 1, .. }) if o == operator)
    );
    // Still slashable, so it cannot come back yet.
    let err = w.join(operator, vec![1]).motsu_unwrap_err();
    assert!(matches!(err, Error::AlreadyMemberOfSet(_)));
    let err = am
        .sender(other)
        .deregister_from_operator_sets(other, w.avs, vec![])
        .motsu_unwrap_err();
    assert!(matches!(err, Error::ZeroAmount(_)));
    am.sender(owner)
        .admin
        .pause(U256::from(pause::flag(pause::REGISTRATION)))
        .motsu_unwrap();
    let err = am
        .sender(other)
        .deregister_from_operator_sets(other, w.avs, vec![1])
        .motsu_unwrap_err();
    assert!(matches!(err, Error::ActionPaused(ActionPaused { bit: 1 })));
    am.sender(owner)
        .admin
        .unpause(U256::from(pause::flag(pause::REGISTRATION)))
        .motsu_unwrap();
    // The other leaves by itself.
    am.sender(other)
        .deregister_from_operator_sets(other, w.avs, vec![1])
        .motsu_unwrap();
    assert!(am.sender(owner).get_members(w.set(1)).is_empty());
}

#[motsu::test]
fn the_registration_delay_is_in_force_at_once_and_later_changes_wait(
    am: Contract<AllocationManager>,
    dm: Contract<DelegationManager>,
    sm: Contract<StrategyManager>,
    token: Contract<MockToken>,
    registrar: Contract<MockRegistrar>,
    owner: Address,
    operator: Address,
    stranger: Address,
) {
    let w = setup(&am, &dm, &sm, &token, &registrar, owner);
    assert_eq!(am.sender(owner).get_allocation_delay(operator), (false, 0));
    w.operator(operator, 7);
    am.assert_emitted(&AllocationDelaySet {
        operator,
        delay: 7,
        effectTimestamp: NOW,
    });
    assert_eq!(am.sender(owner).get_allocation_delay(operator), (true, 7));

    am.sender(operator)
        .set_allocation_delay(operator, 9)
        .motsu_unwrap();
    am.assert_emitted(&AllocationDelaySet {
        operator,
        delay: 9,
        effectTimestamp: NOW + CONFIG,
    });
    assert_eq!(am.sender(owner).get_allocation_delay(operator), (true, 7));

    let err = am
        .sender(stranger)
        .set_allocation_delay(operator, 0)
        .motsu_unwrap_err();
    assert!(matches!(err, Error::Unauthorized(Unauthorized { caller }) if caller == stranger));
    let err = am
        .sender(stranger)
        .set_allocation_delay(stranger, 0)
        .motsu_unwrap_err();
    assert!(matches!(err, Error::NotOperator(NotOperator { account }) if account == stranger));
}

#[motsu::test]
fn an_increase_encumbers_at_once_and_takes_effect_after_the_delay(
    am: Contract<AllocationManager>,
    dm: Contract<DelegationManager>,
    sm: Contract<StrategyManager>,
    token: Contract<MockToken>,
    registrar: Contract<MockRegistrar>,
    owner: Address,
    operator: Address,
    staker: Address,
) {
    let w = setup(&am, &dm, &sm, &token, &registrar, owner);
    w.create(1, vec![w.strategy()], Address::ZERO);
    w.operator(operator, 30);
    w.stake(staker, operator, 1_000);
    w.join(operator, vec![1]).motsu_unwrap();
    w.allocate(operator, 1, HALF).motsu_unwrap();
    am.assert_emitted(&AllocationUpdated {
        operator,
        avs: w.avs,
        operatorSetId: 1,
        strategy: w.strategy(),
        magnitude: HALF,
        effectTimestamp: NOW + 30,
    });
    am.assert_emitted(&EncumberedMagnitudeUpdated {
        operator,
        strategy: w.strategy(),
        encumberedMagnitude: HALF,
    });
    assert_eq!(
        w.allocation(operator, 1),
        diff(0, i128::from(HALF), NOW + 30)
    );
    assert_eq!(w.magnitudes(operator), (WAD64, HALF, HALF));
    // Not slashable yet: neither allocated nor surely slashable stake, and a slash takes nothing.
    let view = am.sender(owner);
    let s = vec![w.strategy()];
    assert_eq!(
        view.get_allocated_stake(w.set(1), vec![operator], s.clone())
            .motsu_unwrap(),
        vec![vec![U256::ZERO]]
    );
    assert_eq!(
        view.get_minimum_slashable_stake(w.set(1), vec![operator], s, NOW + 30)
            .motsu_unwrap(),
        vec![vec![U256::ZERO]]
    );
    let outcome = w.slash(operator, 1, TENTH).motsu_unwrap();
    assert_eq!(outcome.magnitudesSlashed, vec![0]);
    assert_eq!(outcome.sharesSlashed, vec![U256::ZERO]);
    assert_eq!(w.magnitudes(operator), (WAD64, HALF, HALF));
    // One pending change at a time.
    let err = w.allocate(operator, 1, WAD64).motsu_unwrap_err();
    assert!(
        matches!(err, Error::ModificationAlreadyPending(ModificationAlreadyPending { id: 1, strategy, .. }) if strategy == w.strategy())
    );
}

#[motsu::test]
fn with_no_delay_an_allocation_is_slashable_stake_at_once(
    am: Contract<AllocationManager>,
    dm: Contract<DelegationManager>,
    sm: Contract<StrategyManager>,
    token: Contract<MockToken>,
    registrar: Contract<MockRegistrar>,
    owner: Address,
    operator: Address,
    staker: Address,
) {
    let w = setup(&am, &dm, &sm, &token, &registrar, owner);
    w.create(1, vec![w.strategy()], Address::ZERO);
    w.create(2, vec![w.strategy()], Address::ZERO);
    w.operator(operator, 0);
    w.stake(staker, operator, 1_000);
    w.join(operator, vec![1, 2]).motsu_unwrap();
    w.allocate(operator, 1, HALF).motsu_unwrap();
    w.allocate(operator, 2, 3 * WAD64 / 10).motsu_unwrap();
    assert_eq!(w.allocation(operator, 1), diff(HALF, 0, 0));
    assert_eq!(
        w.magnitudes(operator),
        (WAD64, 8 * WAD64 / 10, 2 * WAD64 / 10)
    );
    let view = am.sender(owner);
    let s = vec![w.strategy()];
    assert_eq!(
        view.get_allocated_stake(w.set(1), vec![operator, staker], s.clone())
            .motsu_unwrap(),
        vec![vec![U256::from(500)], vec![U256::ZERO]]
    );
    assert_eq!(
        view.get_minimum_slashable_stake(w.set(2), vec![operator], s, NOW + 1_000)
            .motsu_unwrap(),
        vec![vec![U256::from(300)]]
    );
    // Unique stake: the rest is all either set can still get.
    let err = w.allocate(operator, 2, HALF + 1).motsu_unwrap_err();
    assert!(
        matches!(err, Error::InsufficientMagnitude(InsufficientMagnitude { allocatable, wanted, .. })
        if allocatable == 2 * WAD64 / 10 && wanted == 2 * WAD64 / 10 + 1)
    );
    w.allocate(operator, 2, HALF).motsu_unwrap();
    assert_eq!(w.magnitudes(operator), (WAD64, WAD64, 0));
}

#[motsu::test]
fn bad_allocations_are_refused_without_a_trace(
    am: Contract<AllocationManager>,
    dm: Contract<DelegationManager>,
    sm: Contract<StrategyManager>,
    token: Contract<MockToken>,
    registrar: Contract<MockRegistrar>,
    owner: Address,
    operator: Address,
    stranger: Address,
) {
    let w = setup(&am, &dm, &sm, &token, &registrar, owner);
    let s = w.strategy();
    let outside = Address::repeat_byte(0xFF);
    w.create(1, vec![s], Address::ZERO);

    let err = w.allocate(stranger, 1, 1).motsu_unwrap_err();
    assert!(
        matches!(err, Error::AllocationDelayNotSet(AllocationDelayNotSet { operator: o }) if o == stranger)
    );
    w.operator(operator, 0);
    let err = am
        .sender(stranger)
        .modify_allocations(operator, vec![])
        .motsu_unwrap_err();
    assert!(matches!(err, Error::Unauthorized(_)));
    let err = w.allocate(operator, 4, 1).motsu_unwrap_err();
    assert!(matches!(
        err,
        Error::OperatorSetNotFound(OperatorSetNotFound { id: 4, .. })
    ));
    let err = w
        .allocate_many(operator, 1, vec![s], vec![1, 2])
        .motsu_unwrap_err();
    assert!(
        matches!(err, Error::LengthMismatch(LengthMismatch { left, right }) if left == U256::from(1) && right == U256::from(2))
    );
    let err = w
        .allocate_many(operator, 1, vec![outside, s], vec![1, 1])
        .motsu_unwrap_err();
    assert!(
        matches!(err, Error::StrategiesNotSorted(StrategiesNotSorted { index }) if index == U256::from(1))
    );
    let err = w
        .allocate_many(operator, 1, vec![s, s], vec![1, 1])
        .motsu_unwrap_err();
    assert!(matches!(err, Error::StrategiesNotSorted(_)));
    let err = w.allocate(operator, 1, WAD64 + 1).motsu_unwrap_err();
    assert!(matches!(err, Error::InvalidWad(InvalidWad { wad }) if wad == U256::from(WAD64 + 1)));
    let err = w.allocate(operator, 1, 0).motsu_unwrap_err();
    assert!(matches!(
        err,
        Error::SameMagnitude(SameMagnitude { magnitude: 0, .. })
    ));
    // A valid first strategy does not survive a bad second one.
    let err = w
        .allocate_many(operator, 1, vec![s, outside], vec![HALF, 1])
        .motsu_unwrap_err();
    assert!(
        matches!(err, Error::StrategyNotInSet(StrategyNotInSet { strategy, .. }) if strategy == outside)
    );
    assert_eq!(w.allocation(operator, 1), diff(0, 0, 0));
    assert_eq!(w.magnitudes(operator), (WAD64, 0, WAD64));
    am.sender(owner)
        .admin
        .pause(U256::from(pause::flag(pause::ALLOCATIONS)))
        .motsu_unwrap();
    let err = w.allocate(operator, 1, 1).motsu_unwrap_err();
    assert!(matches!(err, Error::ActionPaused(ActionPaused { bit: 0 })));
    let err = am
        .sender(stranger)
        .clear_deallocation_queue(operator, vec![s], vec![1])
        .motsu_unwrap_err();
    assert!(matches!(err, Error::ActionPaused(_)));
}

#[motsu::test]
fn slashable_deallocations_wait_and_others_free_magnitude_at_once(
    am: Contract<AllocationManager>,
    dm: Contract<DelegationManager>,
    sm: Contract<StrategyManager>,
    token: Contract<MockToken>,
    registrar: Contract<MockRegistrar>,
    owner: Address,
    operator: Address,
    staker: Address,
) {
    let w = setup(&am, &dm, &sm, &token, &registrar, owner);
    w.create(1, vec![w.strategy()], Address::ZERO);
    w.create(2, vec![w.strategy()], Address::ZERO);
    w.operator(operator, 0);
    w.stake(staker, operator, 1_000);
    w.join(operator, vec![1]).motsu_unwrap();
    w.allocate(operator, 1, HALF).motsu_unwrap();
    w.allocate(operator, 2, HALF).motsu_unwrap();

    // Set 1 can slash: the decrease waits and stays slashable and encumbered.
    w.allocate(operator, 1, HALF / 5).motsu_unwrap();
    let effect = NOW + DEALLOCATION + 1;
    assert_eq!(
        w.allocation(operator, 1),
        diff(HALF, -i128::from(HALF * 4 / 5), effect)
    );
    am.assert_emitted(&AllocationUpdated {
        operator,
        avs: w.avs,
        operatorSetId: 1,
        strategy: w.strategy(),
        magnitude: HALF / 5,
        effectTimestamp: effect,
    });
    assert_eq!(w.magnitudes(operator), (WAD64, WAD64, 0));
    let s = vec![w.strategy()];
    let view = am.sender(owner);
    assert_eq!(
        view.get_minimum_slashable_stake(w.set(1), vec![operator], s.clone(), effect - 1)
            .motsu_unwrap(),
        vec![vec![U256::from(500)]]
    );
    assert_eq!(
        view.get_minimum_slashable_stake(w.set(1), vec![operator], s.clone(), effect)
            .motsu_unwrap(),
        vec![vec![U256::from(100)]]
    );
    // Nothing to clear before the effect time.
    am.sender(staker)
        .clear_deallocation_queue(operator, s.clone(), vec![5])
        .motsu_unwrap();
    assert_eq!(w.magnitudes(operator), (WAD64, WAD64, 0));
    let err = am
        .sender(staker)
        .clear_deallocation_queue(operator, s, vec![])
        .motsu_unwrap_err();
    assert!(matches!(err, Error::LengthMismatch(_)));

    // Set 2 cannot slash the operator (not registered): freed at once.
    w.allocate(operator, 2, 0).motsu_unwrap();
    assert_eq!(w.allocation(operator, 2), diff(0, 0, 0));
    assert_eq!(w.magnitudes(operator), (WAD64, HALF, HALF));
}

#[motsu::test]
fn a_slash_rounds_the_magnitude_up_and_the_shares_down(
    am: Contract<AllocationManager>,
    dm: Contract<DelegationManager>,
    sm: Contract<StrategyManager>,
    token: Contract<MockToken>,
    registrar: Contract<MockRegistrar>,
    owner: Address,
    operator: Address,
    staker: Address,
) {
    let w = setup(&am, &dm, &sm, &token, &registrar, owner);
    let s = w.strategy();
    w.create(1, vec![s], Address::ZERO);
    w.create(2, vec![s], Address::ZERO);
    w.operator(operator, 0);
    w.stake(staker, operator, 1_000);
    w.join(operator, vec![1, 2]).motsu_unwrap();
    w.allocate(operator, 1, HALF + 1).motsu_unwrap();
    w.allocate(operator, 2, 3 * WAD64 / 10).motsu_unwrap();

    let params = slashing(operator, 1, vec![s], vec![TENTH]);
    let preview = am
        .sender(owner)
        .preview_slash(w.avs, params.clone())
        .motsu_unwrap();
    // ⌈(0.5e18 + 1)·0.1⌉ = 0.05e18 + 1; shares: 1000 − ⌈1000·(1e18 − taken)/1e18⌉ = 50.
    let taken = WAD64 / 20 + 1;
    let expected = SlashOutcome {
        slashId: U256::from(1),
        magnitudesSlashed: vec![taken],
        sharesSlashed: vec![U256::from(50)],
    };
    assert_eq!(preview, expected);
    let outcome = am
        .sender(w.slasher)
        .apply_slash(w.avs, params)
        .motsu_unwrap();
    assert_eq!(outcome, expected);
    let new_max = WAD64 - taken;
    assert_eq!(w.allocation(operator, 1), diff(HALF + 1 - taken, 0, 0));
    assert_eq!(w.allocation(operator, 2), diff(3 * WAD64 / 10, 0, 0));
    assert_eq!(
        w.magnitudes(operator),
        (new_max, HALF + 1 - taken + 3 * WAD64 / 10, WAD64 / 5 - 1)
    );
    am.assert_emitted(&MaxMagnitudeUpdated {
        operator,
        strategy: s,
        maxMagnitude: new_max,
    });
    am.assert_emitted(&OperatorSlashed {
        operator,
        avs: w.avs,
        operatorSetId: 1,
        slashId: U256::from(1),
        strategies: vec![s],
        wadSlashed: vec![U256::from(taken)],
        description: String::from("double signing"),
    });
    let view = am.sender(owner);
    assert_eq!(view.get_slash_count(w.set(1)), U256::from(1));
    assert_eq!(view.get_max_magnitude_at(operator, s, NOW - 1), WAD64);
    assert_eq!(view.get_max_magnitude_at(operator, s, NOW), new_max);
    assert_eq!(view.get_max_magnitude_at(operator, s, u64::MAX), new_max);
    assert_eq!(
        dm.sender(owner).operator_shares(operator, s),
        U256::from(950)
    );
    assert_eq!(
        sm.sender(owner).slashed_shares(w.set(1), U256::from(1), s),
        U256::from(50)
    );
    // Set 2's stake is untouched: 300 of the remaining 950 shares' worth of magnitude.
    assert_eq!(
        view.get_allocated_stake(w.set(2), vec![operator], vec![s])
            .motsu_unwrap(),
        vec![vec![U256::from(299)]]
    );

    // A second slash in the same second replaces the checkpoint; the id counts on.
    let outcome = w.slash(operator, 1, WAD).motsu_unwrap();
    assert_eq!(outcome.slashId, U256::from(2));
    assert_eq!(outcome.magnitudesSlashed, vec![HALF + 1 - taken]);
    assert_eq!(w.allocation(operator, 1), diff(0, 0, 0));
    assert_eq!(
        am.sender(owner).get_max_magnitude_at(operator, s, NOW),
        HALF - 1
    );
    assert_eq!(
        w.magnitudes(operator),
        (HALF - 1, 3 * WAD64 / 10, WAD64 / 5 - 1)
    );
}

#[motsu::test]
fn a_slash_shrinks_a_pending_deallocation_in_proportion(
    am: Contract<AllocationManager>,
    dm: Contract<DelegationManager>,
    sm: Contract<StrategyManager>,
    token: Contract<MockToken>,
    registrar: Contract<MockRegistrar>,
    owner: Address,
    operator: Address,
) {
    let w = setup(&am, &dm, &sm, &token, &registrar, owner);
    w.create(1, vec![w.strategy()], Address::ZERO);
    w.operator(operator, 0);
    w.join(operator, vec![1]).motsu_unwrap();
    w.allocate(operator, 1, 1_000).motsu_unwrap();
    w.allocate(operator, 1, 1).motsu_unwrap();
    // 999 pending out. A 50% slash: ⌈1000/2⌉ = 500 from current, ⌈999/2⌉ = 500 from pending.
    w.slash(operator, 1, WAD / U256::from(2)).motsu_unwrap();
    let effect = NOW + DEALLOCATION + 1;
    assert_eq!(w.allocation(operator, 1), diff(500, -499, effect));
    // The decrease is still part of the current magnitude: only the slash left the encumbrance.
    assert_eq!(w.magnitudes(operator), (WAD64 - 500, 500, WAD64 - 1_000));
}

#[motsu::test]
fn slashes_are_checked_before_anything_changes(
    am: Contract<AllocationManager>,
    dm: Contract<DelegationManager>,
    sm: Contract<StrategyManager>,
    token: Contract<MockToken>,
    registrar: Contract<MockRegistrar>,
    owner: Address,
    operator: Address,
    outsider: Address,
) {
    let w = setup(&am, &dm, &sm, &token, &registrar, owner);
    let s = w.strategy();
    let other = Address::repeat_byte(0xFF);
    w.create(1, vec![s], Address::ZERO);
    w.operator(operator, 0);
    w.operator(outsider, 0);
    w.join(operator, vec![1]).motsu_unwrap();
    w.allocate(operator, 1, HALF).motsu_unwrap();

    let err = am
        .sender(owner)
        .apply_slash(w.avs, slashing(operator, 1, vec![s], vec![TENTH]))
        .motsu_unwrap_err();
    assert!(matches!(err, Error::Unauthorized(Unauthorized { caller }) if caller == owner));
    let cases: Vec<Case> = vec![
        (slashing(operator, 2, vec![s], vec![TENTH]), |e| {
            matches!(
                e,
                Error::OperatorSetNotFound(OperatorSetNotFound { id: 2, .. })
            )
        }),
        (slashing(outsider, 1, vec![s], vec![TENTH]), |e| {
            matches!(e, Error::OperatorNotSlashable(_))
        }),
        (slashing(operator, 1, vec![s], vec![]), |e| {
            matches!(e, Error::LengthMismatch(_))
        }),
        (slashing(operator, 1, vec![], vec![]), |e| {
            matches!(e, Error::ZeroAmount(_))
        }),
        (
            slashing(operator, 1, vec![other, s], vec![TENTH, TENTH]),
            |e| matches!(e, Error::StrategiesNotSorted(_)),
        ),
        (
            slashing(operator, 1, vec![s], vec![U256::ZERO]),
            |e| matches!(e, Error::InvalidWad(InvalidWad { wad }) if wad.is_zero()),
        ),
        (
            slashing(operator, 1, vec![s], vec![WAD + U256::from(1)]),
            |e| matches!(e, Error::InvalidWad(_)),
        ),
        (
            slashing(operator, 1, vec![s, other], vec![TENTH, TENTH]),
            |e| matches!(e, Error::StrategyNotInSet(StrategyNotInSet { strategy, .. }) if *strategy == Address::repeat_byte(0xFF)),
        ),
    ];
    for (params, expected) in cases {
        let err = am
            .sender(owner)
            .preview_slash(w.avs, params.clone())
            .motsu_unwrap_err();
        assert!(expected(&err), "{err:?}");
        let err = am
            .sender(owner)
            .check_slash(w.avs, params.clone())
            .motsu_unwrap_err();
        assert!(expected(&err), "{err:?}");
        let err = am
            .sender(w.slasher)
            .apply_slash(w.avs, params)
            .motsu_unwrap_err();
        assert!(expected(&err), "{err:?}");
    }
    assert_eq!(w.allocation(operator, 1), diff(HALF, 0, 0));
    assert_eq!(w.magnitudes(operator), (WAD64, HALF, HALF));
    assert_eq!(am.sender(owner).get_slash_count(w.set(1)), U256::ZERO);
    // Valid input passes the check, which changes nothing either.
    am.sender(owner)
        .check_slash(w.avs, slashing(operator, 1, vec![s], vec![TENTH]))
        .motsu_unwrap();
    assert_eq!(w.allocation(operator, 1), diff(HALF, 0, 0));
}

#[test]
fn a_slash_of_any_fraction_takes_at_least_one_unit_and_never_more_than_there_is() {
    assert_eq!(slashed(0, WAD64), 0);
    assert_eq!(slashed(1, 1), 1);
    assert_eq!(slashed(3, WAD64 / 2), 2);
    assert_eq!(slashed(WAD64, WAD64), WAD64);
    assert_eq!(slashed(u64::MAX, WAD64), u64::MAX);
    let pending = Alloc {
        current: 10,
        pending: 4,
        effect: NOW + 1,
        decrease: true,
    };
    assert_eq!(pending.at(NOW), pending);
    assert_eq!(
        pending.at(NOW + 1),
        Alloc {
            current: 6,
            ..Alloc::default()
        }
    );
    assert_eq!(pending.abi(), diff(10, -4, NOW + 1));
    assert_eq!(
        set_key(Address::repeat_byte(0x11), 0x0102_0304).as_slice()[16..],
        [0x11, 0x11, 0x11, 0x11, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4]
    );
}
