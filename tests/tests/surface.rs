//! The methods no scenario reaches on its way (`tests/coverage.rs`), each run to success on the
//! devnode with all six contracts real, with its exact values, events and named errors:
//!
//! - ownership and pausers: the one `Admin` logic as the StrategyManager, DelegationManager,
//!   AllocationManager, Slasher, RewardsCoordinator and LrtVault serve it (the vault through its
//!   extension module): a two-step transfer only the proposed owner completes, pausers that set
//!   bits and only the owner clears them;
//! - wiring: the peers each core names and the module code behind each `extension()`,
//!   `adminModule()` and `viewsModule()`;
//! - StrategyManager: deposit caps and the EIP-712 domain separator;
//! - DelegationManager: an operator's approver and metadata, spent approver salts;
//! - LrtVault: share transfers and allowances, the owner's settings, the views, a recorded
//!   withdrawal, and the redemption previews that always revert (`AsyncRedeemOnly`, listed as
//!   exceptions in `tests/coverage.rs`).
//!
//! Always on the embedded devnode: it is the backend that records method coverage, and the one
//! whose deployed code a test can read (module addresses are checked by their code).
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

use alloy_primitives::{Address, FixedBytes, B256, U256};
use alloy_sol_types::{eip712_domain, SolCall, SolError, SolEvent};
use devnode::Devnode;
use integration::{
    contract_code, Actor, Backend, BackendExt, Outcome, World, WorldBuilder, UNLOCK_PERIOD,
    WITHDRAWAL_DELAY,
};
use restaking_abi::{
    abi::{ILrtVault as V, *},
    math::{self, Rounding},
};

type W = World<Devnode>;

/// Virtual shares of the vault (`10^3`, its decimals offset).
const VIRTUAL: u64 = 1_000;

fn ether(n: u64) -> U256 {
    U256::from(n) * U256::from(10u64).pow(U256::from(18u64))
}

/// A world with every contract real and three stakers.
fn world() -> W {
    WorldBuilder::new()
        .stakers(3)
        .real_delegation_manager()
        .build(Devnode::new())
        .unwrap()
}

/// An LrtVault on stETH (10% fee, cap 1,000 stETH) and its roles.
struct Vault {
    address: Address,
    curator: Actor,
    treasury: Actor,
}

/// A [`world`] with an LrtVault on stETH that every staker approved.
fn vault_world() -> (W, Vault) {
    let mut w = world();
    let (steth, curator, treasury) = (
        w.tokens.steth,
        Actor::named("curator"),
        Actor::named("treasury"),
    );
    let address = w
        .deploy_vault(
            steth,
            curator.address,
            treasury.address,
            1_000,
            ether(1_000),
            UNLOCK_PERIOD,
        )
        .unwrap();
    for staker in w.stakers.iter().map(|s| s.address).collect::<Vec<_>>() {
        let approve = IERC20::approveCall {
            spender: address,
            value: U256::MAX,
        };
        succeeds(&mut w, staker, steth, &approve);
    }
    let vault = Vault {
        address,
        curator,
        treasury,
    };
    (w, vault)
}

/// `who` deposits `assets` into the vault for itself; returns the shares minted.
fn deposit(w: &mut W, vault: Address, who: Address, assets: U256) -> U256 {
    let deposit = V::depositCall {
        assets,
        receiver: who,
    };
    let out = succeeds(w, who, vault, &deposit);
    V::depositCall::abi_decode_returns(&out.output, true)
        .unwrap()
        .shares
}

fn shares_of(w: &mut W, vault: Address, who: Address) -> U256 {
    w.chain
        .read(vault, &V::balanceOfCall { account: who })
        .unwrap()
        ._0
}

/// `call` from `from` to `to`, which must succeed.
fn succeeds<C: SolCall>(w: &mut W, from: Address, to: Address, call: &C) -> Outcome {
    w.chain
        .tx(from, to, call)
        .unwrap()
        .ok()
        .unwrap_or_else(|e| panic!("{} on {to}: {e}", C::SIGNATURE))
}

/// `call` from `from` to `to`, which must revert with the custom error `E`.
fn refused<E: SolError, C: SolCall>(w: &mut W, from: Address, to: Address, call: &C) -> E {
    w.chain
        .tx(from, to, call)
        .unwrap()
        .revert()
        .unwrap_or_else(|e| panic!("{} on {to}: {e}", C::SIGNATURE))
}

/// Whether `outcome` holds `event` (exact topics and data) in a log of `emitter`.
fn emitted_by<E: SolEvent>(outcome: &Outcome, emitter: Address, event: &E) -> bool {
    let expected = event.encode_log_data();
    outcome
        .logs
        .iter()
        .any(|l| l.address == emitter && l.topics == expected.topics() && l.data == expected.data)
}

/// Whether the code deployed at `address` is `package`'s build artifact.
fn runs(w: &W, address: Address, package: &str) -> bool {
    w.chain.code(address) == contract_code(package).unwrap()
}

/// The two-step ownership transfer and the pause rules of `Admin` as `contract` serves them
/// (`name` in failure messages). Leaves the contract owned by the actor `successor`, unpaused.
fn hands_over_ownership_and_pauses_by_bit(w: &mut W, name: &str, contract: Address) {
    let owner = w.owner.address;
    let [successor, pauser, stranger] =
        ["successor", "pauser", "stranger"].map(|n| Actor::named(n).address);
    let owners = |w: &mut W| {
        (
            w.chain.read(contract, &IAdmin::ownerCall {}).unwrap()._0,
            w.chain
                .read(contract, &IAdmin::pendingOwnerCall {})
                .unwrap()
                ._0,
        )
    };
    let is_pauser = |w: &mut W| {
        w.chain
            .read(contract, &IAdmin::isPauserCall { account: pauser })
            .unwrap()
            ._0
    };
    let paused = |w: &mut W| w.chain.read(contract, &IAdmin::pausedCall {}).unwrap()._0;
    assert_eq!(owners(w), (owner, Address::ZERO), "{name}: at construction");

    // Only the owner proposes; only the proposed account accepts, and nobody before a proposal.
    let accept = IAdmin::acceptOwnershipCall {};
    let err: NotPendingOwner = refused(w, stranger, contract, &accept);
    assert_eq!(
        err,
        NotPendingOwner {
            caller: stranger,
            pendingOwner: Address::ZERO
        },
        "{name}"
    );
    let propose = IAdmin::transferOwnershipCall {
        newOwner: successor,
    };
    let err: Unauthorized = refused(w, stranger, contract, &propose);
    assert_eq!(err.caller, stranger, "{name}");
    let proposed = succeeds(w, owner, contract, &propose);
    let started = OwnershipTransferStarted {
        previousOwner: owner,
        newOwner: successor,
    };
    assert!(emitted_by(&proposed, contract, &started), "{name}");
    assert_eq!(owners(w), (owner, successor), "{name}: proposed");
    let err: NotPendingOwner = refused(w, stranger, contract, &accept);
    assert_eq!(
        err,
        NotPendingOwner {
            caller: stranger,
            pendingOwner: successor
        },
        "{name}"
    );
    let accepted = succeeds(w, successor, contract, &accept);
    let transferred = OwnershipTransferred {
        previousOwner: owner,
        newOwner: successor,
    };
    assert!(emitted_by(&accepted, contract, &transferred), "{name}");
    assert_eq!(owners(w), (successor, Address::ZERO), "{name}: accepted");

    // The previous owner has no say any more; the new one names a pauser (never zero).
    let allow = IAdmin::setPauserCall {
        pauser,
        allowed: true,
    };
    let err: Unauthorized = refused(w, owner, contract, &allow);
    assert_eq!(err.caller, owner, "{name}");
    let zero = IAdmin::setPauserCall {
        pauser: Address::ZERO,
        allowed: true,
    };
    let _: ZeroAddress = refused(w, successor, contract, &zero);
    assert!(!is_pauser(w), "{name}");
    let set = succeeds(w, successor, contract, &allow);
    let allowed = PauserSet {
        pauser,
        allowed: true,
    };
    assert!(emitted_by(&set, contract, &allowed), "{name}");
    assert!(is_pauser(w), "{name}");

    // A pauser or the owner sets bits, leaving the others; a stranger cannot.
    let pause = |bits: u64| IAdmin::pauseCall {
        bits: U256::from(bits),
    };
    let err: Unauthorized = refused(w, stranger, contract, &pause(0b01));
    assert_eq!(err.caller, stranger, "{name}");
    let by_pauser = succeeds(w, pauser, contract, &pause(0b01));
    let event = Paused {
        account: pauser,
        newPausedStatus: U256::from(0b01),
    };
    assert!(emitted_by(&by_pauser, contract, &event), "{name}");
    let by_owner = succeeds(w, successor, contract, &pause(0b10));
    let event = Paused {
        account: successor,
        newPausedStatus: U256::from(0b11),
    };
    assert!(emitted_by(&by_owner, contract, &event), "{name}");
    assert_eq!(paused(w), U256::from(0b11), "{name}");

    // Only the owner clears bits, again leaving the others.
    let unpause = |bits: u64| IAdmin::unpauseCall {
        bits: U256::from(bits),
    };
    let err: Unauthorized = refused(w, pauser, contract, &unpause(0b01));
    assert_eq!(err.caller, pauser, "{name}");
    let cleared = succeeds(w, successor, contract, &unpause(0b01));
    let event = Unpaused {
        account: successor,
        newPausedStatus: U256::from(0b10),
    };
    assert!(emitted_by(&cleared, contract, &event), "{name}");
    assert_eq!(paused(w), U256::from(0b10), "{name}");
    succeeds(w, successor, contract, &unpause(0b10));
    assert_eq!(paused(w), U256::ZERO, "{name}");

    // A pauser taken off the list is a stranger again.
    let disallow = IAdmin::setPauserCall {
        pauser,
        allowed: false,
    };
    let removed = succeeds(w, successor, contract, &disallow);
    let event = PauserSet {
        pauser,
        allowed: false,
    };
    assert!(emitted_by(&removed, contract, &event), "{name}");
    assert!(!is_pauser(w), "{name}");
    let err: Unauthorized = refused(w, pauser, contract, &pause(0b01));
    assert_eq!(err.caller, pauser, "{name}");
}

#[test]
fn every_contract_hands_over_ownership_in_two_steps_and_lets_pausers_set_bits() {
    let (mut w, vault) = vault_world();
    let contracts = [
        ("StrategyManager", w.sm),
        ("DelegationManager", w.delegation_manager),
        ("AllocationManager", w.allocation_manager),
        ("Slasher", w.slasher),
        ("RewardsCoordinator", w.rewards),
        ("LrtVault", vault.address),
    ];
    for (name, contract) in contracts {
        hands_over_ownership_and_pauses_by_bit(&mut w, name, contract);
    }
}

#[test]
fn every_core_names_its_peers_and_runs_its_modules_code() {
    let (mut w, vault) = vault_world();
    let (sm, dm, am, slasher) = (w.sm, w.delegation_manager, w.allocation_manager, w.slasher);

    let peers = (
        w.chain
            .read(sm, &IStrategyManager::delegationManagerCall {})
            .unwrap()
            ._0,
        w.chain
            .read(sm, &IStrategyManager::allocationManagerCall {})
            .unwrap()
            ._0,
    );
    assert_eq!(peers, (dm, am));
    let slasher_am = w
        .chain
        .read(slasher, &ISlasher::allocationManagerCall {})
        .unwrap()
        ._0;
    assert_eq!(slasher_am, am);
    // The Slasher copied the DelegationManager's delay at construction.
    let delay = w
        .chain
        .read(slasher, &ISlasher::withdrawalDelayCall {})
        .unwrap()
        ._0;
    assert_eq!(delay, WITHDRAWAL_DELAY);

    let dm_extension = w
        .chain
        .read(dm, &IDelegationManager::extensionCall {})
        .unwrap()
        ._0;
    assert!(runs(&w, dm_extension, "delegation-manager-extension"));
    let am_extension = w
        .chain
        .read(am, &IAllocationManager::extensionCall {})
        .unwrap()
        ._0;
    assert!(runs(&w, am_extension, "allocation-manager-extension"));

    let v = vault.address;
    let extension = w.chain.read(v, &V::extensionCall {}).unwrap()._0;
    assert!(runs(&w, extension, "lrt-vault-extension"));
    let admin = w.chain.read(v, &V::adminModuleCall {}).unwrap()._0;
    assert!(runs(&w, admin, "lrt-vault-admin"));
    let views = w.chain.read(v, &V::viewsModuleCall {}).unwrap()._0;
    assert!(runs(&w, views, "lrt-vault-views"));
    assert!(runs(&w, v, "lrt-vault"));
}

#[test]
fn the_strategy_manager_refuses_deposits_above_a_strategys_cap() {
    let mut w = world();
    let (sm, steth, owner) = (w.sm, w.tokens.steth, w.owner.address);
    let [alice, bob] = [0, 1].map(|i| w.stakers[i].address);
    let cap_of = |w: &mut W| {
        w.chain
            .read(sm, &IStrategyManager::depositCapCall { strategy: steth })
            .unwrap()
            ._0
    };
    let set_cap = |cap: U256| IStrategyManager::setDepositCapCall {
        strategy: steth,
        cap,
    };
    assert_eq!(cap_of(&mut w), U256::ZERO);

    // Only the owner sets caps, below 2^120 (the largest one stored is read back exactly).
    let err: Unauthorized = refused(&mut w, alice, sm, &set_cap(ether(4)));
    assert_eq!(err.caller, alice);
    let too_large = U256::from(1) << 120;
    let err: InvalidCap = refused(&mut w, owner, sm, &set_cap(too_large));
    assert_eq!(err.cap, too_large);
    succeeds(&mut w, owner, sm, &set_cap(too_large - U256::from(1)));
    assert_eq!(cap_of(&mut w), too_large - U256::from(1));
    let set = succeeds(&mut w, owner, sm, &set_cap(ether(4)));
    let event = DepositCapSet {
        strategy: steth,
        cap: ether(4),
    };
    assert!(emitted_by(&set, sm, &event));
    assert_eq!(cap_of(&mut w), ether(4));

    // The cap bounds the strategy's balance after a deposit, whoever deposits; reaching it is
    // allowed.
    let err: DepositCapExceeded = w.deposit(alice, steth, ether(5)).unwrap().revert().unwrap();
    assert_eq!(
        err,
        DepositCapExceeded {
            strategy: steth,
            cap: ether(4),
            balanceAfter: ether(5)
        }
    );
    w.deposit(alice, steth, ether(3)).unwrap().ok().unwrap();
    let err: DepositCapExceeded = w.deposit(bob, steth, ether(2)).unwrap().revert().unwrap();
    assert_eq!(err.balanceAfter, ether(5));
    w.deposit(bob, steth, ether(1)).unwrap().ok().unwrap();
    assert_eq!(w.balance(steth, sm).unwrap(), ether(4));
    // Other strategies have their own (no) cap.
    let fee_token = w.tokens.fee;
    w.deposit(bob, fee_token, ether(10)).unwrap().ok().unwrap();

    // Zero lifts the cap.
    succeeds(&mut w, owner, sm, &set_cap(U256::ZERO));
    assert_eq!(cap_of(&mut w), U256::ZERO);
    w.deposit(bob, steth, ether(50)).unwrap().ok().unwrap();
    assert_eq!(w.shares(bob, steth).unwrap(), ether(51));
}

#[test]
fn the_strategy_manager_domain_separator_is_eip712_restaking_v1_on_the_current_chain() {
    let mut w = world();
    let sm = w.sm;
    let separator = |w: &mut W| {
        w.chain
            .read(sm, &IStrategyManager::domainSeparatorCall {})
            .unwrap()
            ._0
    };
    let expected = |chain_id: u64| {
        eip712_domain! {
            name: "Restaking",
            version: "1",
            chain_id: chain_id,
            verifying_contract: sm,
        }
        .separator()
    };
    let chain_id = w.chain.chain_id();
    assert_eq!(separator(&mut w), expected(chain_id));
    // Read from the chain on every call, not fixed at deployment.
    w.chain.set_chain_id(chain_id + 1);
    assert_eq!(separator(&mut w), expected(chain_id + 1));
    assert_ne!(expected(chain_id), expected(chain_id + 1));
}

#[test]
fn an_operator_changes_its_approver_and_metadata_and_approver_salts_are_spent_once() {
    let mut w = world();
    let dm = w.delegation_manager;
    let [alice, bob] = [0, 1].map(|i| w.stakers[i].address);
    let (first, second) = (Actor::named("approver"), Actor::named("new-approver"));
    let operator = Actor::named("operator").address;
    let register = IDelegationManager::registerAsOperatorCall {
        delegationApprover: first.address,
        allocationDelay: 0,
        metadataUri: "ipfs://operator".into(),
    };
    succeeds(&mut w, operator, dm, &register);
    let approver_of = |w: &mut W| {
        w.chain
            .read(dm, &IDelegationManager::delegationApproverCall { operator })
            .unwrap()
            ._0
    };
    assert_eq!(approver_of(&mut w), first.address);

    // Alice delegates with the approver's signature: its salt is spent, for that approver only.
    let salt = B256::repeat_byte(7);
    let spent = |w: &mut W, approver: Address| {
        w.chain
            .read(
                dm,
                &IDelegationManager::approverSaltSpentCall { approver, salt },
            )
            .unwrap()
            ._0
    };
    assert!(!spent(&mut w, first.address));
    let expiry = U256::from(w.chain.timestamp() + 600);
    let signed_by = |w: &mut W, approver: &Actor, staker: Address| {
        let digest = IDelegationManager::delegationApprovalDigestCall {
            approver: approver.address,
            staker,
            operator,
            salt,
            expiry,
        };
        let (signature, ..) = approver.sign(w.chain.read(dm, &digest).unwrap()._0);
        IDelegationManager::delegateToCall {
            operator,
            approverSignature: SignatureWithExpiry {
                signature: signature.to_vec().into(),
                expiry,
            },
            approverSalt: salt,
        }
    };
    let delegate = signed_by(&mut w, &first, alice);
    succeeds(&mut w, alice, dm, &delegate);
    assert!(spent(&mut w, first.address));
    assert!(!spent(&mut w, second.address));

    // Only an operator changes its details.
    let modify = |approver: Address| IDelegationManager::modifyOperatorDetailsCall {
        delegationApprover: approver,
    };
    let err: NotOperator = refused(&mut w, alice, dm, &modify(second.address));
    assert_eq!(err.account, alice);
    let modified = succeeds(&mut w, operator, dm, &modify(second.address));
    let event = OperatorDetailsModified {
        operator,
        delegationApprover: second.address,
    };
    assert!(emitted_by(&modified, dm, &event));
    assert_eq!(approver_of(&mut w), second.address);

    // The old approver's signature no longer admits Bob; the new one's does, spending its salt.
    let stale = signed_by(&mut w, &first, bob);
    let err: InvalidSignature = refused(&mut w, bob, dm, &stale);
    assert_eq!(err.signer, second.address);
    assert!(!spent(&mut w, second.address));
    let delegate = signed_by(&mut w, &second, bob);
    succeeds(&mut w, bob, dm, &delegate);
    assert!(spent(&mut w, second.address));
    let delegated = w
        .chain
        .read(dm, &IDelegationManager::delegatedToCall { staker: bob })
        .unwrap()
        ._0;
    assert_eq!(delegated, operator);

    // Metadata: an event of the operator's, refused to anyone else.
    let update = IDelegationManager::updateMetadataUriCall {
        metadataUri: "ipfs://operator-v2".into(),
    };
    let err: NotOperator = refused(&mut w, alice, dm, &update);
    assert_eq!(err.account, alice);
    let updated = succeeds(&mut w, operator, dm, &update);
    let event = OperatorMetadataUriUpdated {
        operator,
        metadataUri: "ipfs://operator-v2".into(),
    };
    assert!(emitted_by(&updated, dm, &event));
}

#[test]
fn vault_shares_move_by_transfer_and_within_allowances() {
    let (mut w, vault) = vault_world();
    let v = vault.address;
    let [alice, bob, carol] = [0, 1, 2].map(|i| w.stakers[i].address);
    let all = deposit(&mut w, v, alice, ether(10));
    assert_eq!(all, ether(10) * U256::from(VIRTUAL));
    let quarter = all / U256::from(4);
    let balances = |w: &mut W| [alice, bob, carol].map(|who| shares_of(w, v, who));

    // transfer: from the caller's own shares, never to zero nor beyond the balance.
    let transfer = V::transferCall {
        to: bob,
        value: quarter,
    };
    let moved = succeeds(&mut w, alice, v, &transfer);
    assert!(
        V::transferCall::abi_decode_returns(&moved.output, true)
            .unwrap()
            ._0
    );
    let event = V::Transfer {
        from: alice,
        to: bob,
        value: quarter,
    };
    assert!(emitted_by(&moved, v, &event));
    assert_eq!(balances(&mut w), [all - quarter, quarter, U256::ZERO]);
    let to_zero = V::transferCall {
        to: Address::ZERO,
        value: U256::from(1),
    };
    let _: ZeroAddress = refused(&mut w, alice, v, &to_zero);
    let too_much = V::transferCall {
        to: alice,
        value: quarter + U256::from(1),
    };
    let err: InsufficientBalance = refused(&mut w, bob, v, &too_much);
    assert_eq!(
        err,
        InsufficientBalance {
            owner: bob,
            have: quarter,
            want: quarter + U256::from(1)
        }
    );

    // approve: sets (not adds to) an allowance, never for the zero spender.
    let approve = |value: U256| V::approveCall {
        spender: carol,
        value,
    };
    let allowance = |w: &mut W| {
        w.chain
            .read(
                v,
                &V::allowanceCall {
                    owner: alice,
                    spender: carol,
                },
            )
            .unwrap()
            ._0
    };
    assert_eq!(allowance(&mut w), U256::ZERO);
    let zero_spender = V::approveCall {
        spender: Address::ZERO,
        value: quarter,
    };
    let _: ZeroAddress = refused(&mut w, alice, v, &zero_spender);
    succeeds(&mut w, alice, v, &approve(all));
    let approved = succeeds(&mut w, alice, v, &approve(quarter));
    assert!(
        V::approveCall::abi_decode_returns(&approved.output, true)
            .unwrap()
            ._0
    );
    let event = V::Approval {
        owner: alice,
        spender: carol,
        value: quarter,
    };
    assert!(emitted_by(&approved, v, &event));
    assert_eq!(allowance(&mut w), quarter);

    // transferFrom: spends the allowance, refused beyond it.
    let pull = |value: U256| V::transferFromCall {
        from: alice,
        to: carol,
        value,
    };
    let err: InsufficientAllowance = refused(&mut w, carol, v, &pull(quarter + U256::from(1)));
    assert_eq!(
        err,
        InsufficientAllowance {
            owner: alice,
            spender: carol,
            have: quarter,
            want: quarter + U256::from(1)
        }
    );
    let pulled = succeeds(&mut w, carol, v, &pull(quarter - U256::from(1)));
    let event = V::Transfer {
        from: alice,
        to: carol,
        value: quarter - U256::from(1),
    };
    assert!(emitted_by(&pulled, v, &event));
    assert_eq!(allowance(&mut w), U256::from(1));
    assert_eq!(
        balances(&mut w),
        [
            all - quarter - quarter + U256::from(1),
            quarter,
            quarter - U256::from(1)
        ]
    );

    // An unlimited allowance is not spent; the owner's balance still bounds it.
    succeeds(&mut w, alice, v, &approve(U256::MAX));
    let rest = all - quarter - quarter + U256::from(1);
    succeeds(&mut w, carol, v, &pull(rest));
    assert_eq!(allowance(&mut w), U256::MAX);
    assert_eq!(balances(&mut w), [U256::ZERO, quarter, all - quarter]);
    let err: InsufficientBalance = refused(&mut w, carol, v, &pull(U256::from(1)));
    assert_eq!(
        err,
        InsufficientBalance {
            owner: alice,
            have: U256::ZERO,
            want: U256::from(1)
        }
    );
    // Transfers move shares, never the supply.
    let supply = w.chain.read(v, &V::totalSupplyCall {}).unwrap()._0;
    assert_eq!(supply, all);
}

#[test]
fn the_vault_owner_sets_fee_curator_and_treasury() {
    let (mut w, vault) = vault_world();
    let (v, owner) = (vault.address, w.owner.address);
    let stranger = Actor::named("stranger").address;
    let roles = |w: &mut W| {
        (
            w.chain.read(v, &V::curatorCall {}).unwrap()._0,
            w.chain.read(v, &V::treasuryCall {}).unwrap()._0,
            w.chain.read(v, &V::performanceFeeCall {}).unwrap()._0,
        )
    };
    assert_eq!(
        roles(&mut w),
        (vault.curator.address, vault.treasury.address, 1_000)
    );

    // The fee: owner only, at most 20%.
    let fee = |bips: u16| V::setPerformanceFeeCall { feeBips: bips };
    let err: Unauthorized = refused(&mut w, stranger, v, &fee(500));
    assert_eq!(err.caller, stranger);
    let err: BipsTooHigh = refused(&mut w, owner, v, &fee(2_001));
    assert_eq!(
        err,
        BipsTooHigh {
            bips: 2_001,
            max: 2_000
        }
    );
    let set = succeeds(&mut w, owner, v, &fee(2_000));
    assert!(emitted_by(
        &set,
        v,
        &V::PerformanceFeeSet { feeBips: 2_000 }
    ));

    // The curator: owner only, never zero; the previous one loses its powers.
    let (curator, treasury) = (Actor::named("new-curator"), Actor::named("new-treasury"));
    let set_curator = |curator: Address| V::setCuratorCall { curator };
    let err: Unauthorized = refused(&mut w, stranger, v, &set_curator(curator.address));
    assert_eq!(err.caller, stranger);
    let _: ZeroAddress = refused(&mut w, owner, v, &set_curator(Address::ZERO));
    let set = succeeds(&mut w, owner, v, &set_curator(curator.address));
    let event = V::CuratorSet {
        curator: curator.address,
    };
    assert!(emitted_by(&set, v, &event));
    let delegate = V::setCuratorOperatorCall {
        operator: stranger,
        approverSignature: SignatureWithExpiry {
            signature: alloy_primitives::Bytes::new(),
            expiry: U256::ZERO,
        },
        approverSalt: B256::ZERO,
    };
    let old = vault.curator.address;
    let err: Unauthorized = refused(&mut w, old, v, &delegate);
    assert_eq!(err.caller, old);

    // The treasury: owner only, never zero.
    let set_treasury = |treasury: Address| V::setTreasuryCall { treasury };
    let err: Unauthorized = refused(&mut w, stranger, v, &set_treasury(treasury.address));
    assert_eq!(err.caller, stranger);
    let _: ZeroAddress = refused(&mut w, owner, v, &set_treasury(Address::ZERO));
    let set = succeeds(&mut w, owner, v, &set_treasury(treasury.address));
    let event = V::TreasurySet {
        treasury: treasury.address,
    };
    assert!(emitted_by(&set, v, &event));

    assert_eq!(roles(&mut w), (curator.address, treasury.address, 2_000));
}

#[test]
fn the_vault_views_report_its_metadata_interfaces_conversions_and_operators() {
    let (mut w, vault) = vault_world();
    let v = vault.address;
    let [alice, bob] = [0, 1].map(|i| w.stakers[i].address);

    assert_eq!(
        w.chain.read(v, &V::nameCall {}).unwrap()._0,
        "Restaked stETH"
    );
    assert_eq!(w.chain.read(v, &V::symbolCall {}).unwrap()._0, "rstETH");
    // stETH's 18 decimals and the offset of 3.
    assert_eq!(w.chain.read(v, &V::decimalsCall {}).unwrap()._0, 21);
    // ERC-7575: the vault is its own share token.
    assert_eq!(w.chain.read(v, &V::shareCall {}).unwrap()._0, v);
    assert_eq!(
        w.chain.read(v, &V::depositCapCall {}).unwrap()._0,
        ether(1_000)
    );
    assert_eq!(
        w.chain.read(v, &V::profitUnlockPeriodCall {}).unwrap()._0,
        UNLOCK_PERIOD
    );

    // ERC-165 ids from the EIPs: ERC-165, ERC-7540 operators, ERC-7540 asynchronous redemption,
    // ERC-7575; nothing else (ERC-165 requires 0xffffffff to be refused).
    let supports = |w: &mut W, id: [u8; 4]| {
        let call = V::supportsInterfaceCall {
            interfaceId: FixedBytes(id),
        };
        w.chain.read(v, &call).unwrap()._0
    };
    for id in [
        [0x01, 0xff, 0xc9, 0xa7],
        [0xe3, 0xbc, 0x4e, 0x65],
        [0x62, 0x0e, 0xe8, 0xe4],
        [0x2f, 0x0a, 0x18, 0xc5],
    ] {
        assert!(supports(&mut w, id), "{id:02x?}");
    }
    // ERC-7540 asynchronous deposits (0xce3bbe50) are not offered.
    for id in [[0xff; 4], [0xce, 0x3b, 0xbe, 0x50], [0; 4]] {
        assert!(!supports(&mut w, id), "{id:02x?}");
    }

    // convertToShares: ⌊a·(N+V)/(T+1)⌋, so V shares per asset while empty.
    let to_shares = |w: &mut W, assets: U256| {
        w.chain
            .read(v, &V::convertToSharesCall { assets })
            .unwrap()
            ._0
    };
    assert_eq!(to_shares(&mut w, ether(1)), ether(VIRTUAL));
    let minted = deposit(&mut w, v, alice, ether(10));
    assert_eq!(
        w.chain.read(v, &V::totalAssetsCall {}).unwrap()._0,
        ether(10)
    );
    let expected = math::mul_div(
        ether(1),
        minted + U256::from(VIRTUAL),
        ether(10) + U256::from(1),
        Rounding::Down,
    )
    .unwrap();
    assert_eq!(to_shares(&mut w, ether(1)), expected);

    // isOperator: set by the controller, for one direction only.
    let is_operator = |w: &mut W, controller: Address, operator: Address| {
        w.chain
            .read(
                v,
                &V::isOperatorCall {
                    controller,
                    operator,
                },
            )
            .unwrap()
            ._0
    };
    assert!(!is_operator(&mut w, alice, bob));
    let approve = V::setOperatorCall {
        operator: bob,
        approved: true,
    };
    succeeds(&mut w, alice, v, &approve);
    assert!(is_operator(&mut w, alice, bob));
    assert!(!is_operator(&mut w, bob, alice));
}

#[test]
fn an_undelegated_vault_lists_its_recorded_withdrawal_until_it_is_completed() {
    let (mut w, vault) = vault_world();
    let (v, dm, curator) = (vault.address, w.delegation_manager, vault.curator.address);
    let alice = w.stakers[0].address;
    let operator = w.register_operator("vault-operator", 0).unwrap().address;
    let delegate = V::setCuratorOperatorCall {
        operator,
        approverSignature: SignatureWithExpiry {
            signature: alloy_primitives::Bytes::new(),
            expiry: U256::ZERO,
        },
        approverSalt: B256::ZERO,
    };
    succeeds(&mut w, curator, v, &delegate);
    deposit(&mut w, v, alice, ether(10));
    let recorded = |w: &mut W, index: u64| {
        let r = w
            .chain
            .read(
                v,
                &V::recordedWithdrawalCall {
                    index: U256::from(index),
                },
            )
            .unwrap();
        (r.nonce, r.operator, r.startTimestamp, r.scaledShares)
    };
    let none = (U256::ZERO, Address::ZERO, 0, U256::ZERO);
    assert_eq!(recorded(&mut w, 0), none);

    // The curator undelegates the vault: its 10 stETH of deposit shares become its withdrawal 0,
    // recorded as the DelegationManager queued it.
    let undelegated = succeeds(&mut w, curator, v, &V::undelegateVaultCall {});
    let event = V::WithdrawalRecorded {
        nonce: U256::ZERO,
        operator,
        scaledShares: ether(10),
    };
    assert!(emitted_by(&undelegated, v, &event));
    let queued = w
        .chain
        .read(dm, &IDelegationManager::queuedWithdrawalsCall { staker: v })
        .unwrap()
        ._0;
    assert_eq!(queued.len(), 1);
    let queued = &queued[0].withdrawal;
    assert_eq!(
        (queued.nonce, queued.delegatedTo, &queued.scaledShares),
        (U256::ZERO, operator, &vec![ether(10)])
    );
    assert_eq!(queued.startTimestamp, w.chain.timestamp());
    assert_eq!(
        recorded(&mut w, 0),
        (U256::ZERO, operator, queued.startTimestamp, ether(10))
    );
    assert_eq!(recorded(&mut w, 1), none);
    let count = |w: &mut W| {
        w.chain
            .read(v, &V::recordedWithdrawalCountCall {})
            .unwrap()
            ._0
    };
    assert_eq!(count(&mut w), U256::from(1));

    // Completed after the delay, it leaves the list; the stake is the vault's again.
    w.chain.advance(WITHDRAWAL_DELAY + 1).unwrap();
    let complete = V::completeRecordedWithdrawalCall { nonce: U256::ZERO };
    succeeds(&mut w, alice, v, &complete);
    assert_eq!(count(&mut w), U256::ZERO);
    assert_eq!(recorded(&mut w, 0), none);
    assert_eq!(
        w.chain.read(v, &V::totalAssetsCall {}).unwrap()._0,
        ether(10)
    );
}

#[test]
fn redemption_previews_revert_because_redemption_is_asynchronous() {
    let (mut w, vault) = vault_world();
    let (v, alice) = (vault.address, w.stakers[0].address);
    let previews_refuse = |w: &mut W| {
        for amount in [U256::ZERO, ether(1)] {
            let _: AsyncRedeemOnly = refused(w, alice, v, &V::previewRedeemCall { shares: amount });
            let _: AsyncRedeemOnly =
                refused(w, alice, v, &V::previewWithdrawCall { assets: amount });
        }
    };
    previews_refuse(&mut w);
    // Not for want of a position either.
    deposit(&mut w, v, alice, ether(10));
    previews_refuse(&mut w);
}
