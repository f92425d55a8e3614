//! Unit tests of the Slasher on motsu, with the real DelegationManager (for its withdrawal delay)
//! and the mock AllocationManager, which records the slashes it is asked to apply and can revert
//! with any data.
//!
//! motsu's clock stands still (`NOW`). A policy waiting for the withdrawal delay therefore never
//! takes over here, and a request never reaches its deadline; the tests that need a policy in
//! force or an older request write it with [`force_policy`] / [`past_request`], which use the
//! contract's own storage layout. The integration suite covers the same flows with real time on
//! the devnode.

use alloc::{string::String, vec, vec::Vec};

use alloy_primitives::{keccak256, uint, Address, U256};
use alloy_sol_types::SolError;
use delegation_manager::DelegationManager;
use mock_allocation_manager::MockAllocationManager;
use motsu::prelude::*;

use super::*;

const NOW: u64 = 1_735_689_600;
/// Withdrawal delay of the DelegationManager the tests build.
const DELAY: u64 = 100;
const TENTH: U256 = uint!(100_000_000_000_000_000_U256);
const AVS: Address = Address::repeat_byte(0xA5);
const OPERATOR: Address = Address::repeat_byte(0x0B);
const RESOLVER: Address = Address::repeat_byte(0x7E);
const STRATEGY: Address = Address::repeat_byte(0x57);

fn setup(
    slasher: &Contract<Slasher>,
    dm: &Contract<DelegationManager>,
    am: &Contract<MockAllocationManager>,
    owner: Address,
) {
    dm.sender(owner)
        .constructor(owner, DELAY, dm.address())
        .motsu_unwrap();
    slasher
        .sender(owner)
        .constructor(owner, dm.address(), am.address())
        .motsu_unwrap();
    am.sender(owner).create_set(AVS, 1);
}

fn set() -> OperatorSet {
    OperatorSet { avs: AVS, id: 1 }
}

fn veto_config() -> SlasherConfig {
    SlasherConfig {
        slasher: Address::ZERO,
        mode: slash_mode::VETO,
        resolver: RESOLVER,
        vetoWindow: 10,
        maxWadPerWindow: U256::ZERO,
        window: 0,
    }
}

fn capped_config(max: U256, window: u64) -> SlasherConfig {
    SlasherConfig {
        slasher: Address::ZERO,
        mode: slash_mode::INSTANT,
        resolver: Address::ZERO,
        vetoWindow: 0,
        maxWadPerWindow: max,
        window,
    }
}

/// Puts `config` in force for set 1 at once (as if queued a withdrawal delay ago).
fn force_policy(slasher: &Contract<Slasher>, config: &SlasherConfig) {
    let config = Config::from_abi(config, DELAY).expect("a valid config");
    let mut contract = slasher.sender(AVS);
    let mut policy = contract.policies.setter(set_key(AVS, 1));
    store(&mut policy.current, config);
    policy.current.switch_at.set(Uint::from(0u64));
}

/// The AllocationManager call of a slash of `wads` in [`STRATEGY`] of [`OPERATOR`] in set 1.
fn slash_call(wads: Vec<U256>) -> IAllocationManager::applySlashCall {
    let strategies = vec![STRATEGY; wads.len()];
    apply_slash_call(
        AVS,
        1,
        OPERATOR,
        strategies,
        wads,
        String::from("double sign"),
    )
}

/// Stores a pending request for `call`, made at `requested_at` with a 10 s veto window by
/// [`RESOLVER`] under a cap of `cap` = (max wad, window), as `requestSlash` would have; returns
/// its id.
fn past_request_capped(
    slasher: &Contract<Slasher>,
    call: &IAllocationManager::applySlashCall,
    requested_at: u64,
    cap: (u64, u32),
) -> U256 {
    let id = slash_request_id(&call.abi_encode(), requested_at);
    let mut contract = slasher.sender(AVS);
    let mut request = contract.requests.setter(id);
    request.avs.set(AVS);
    request.requested_at.set(Uint::from(requested_at));
    request.veto_window.set(U32::from(10));
    request.status.set(U8::from(request_status::PENDING));
    request.resolver.set(RESOLVER);
    request.max_wad.set(U64::from(cap.0));
    request.window.set(U32::from(cap.1));
    id
}

/// [`past_request_capped`] without a cap.
fn past_request(
    slasher: &Contract<Slasher>,
    call: &IAllocationManager::applySlashCall,
    requested_at: u64,
) -> U256 {
    past_request_capped(slasher, call, requested_at, (0, 0))
}

fn request(slasher: &Contract<Slasher>, wads: Vec<U256>) -> Result<U256, Vec<u8>> {
    let c = slash_call(wads);
    slasher.sender(AVS).request_slash(
        set(),
        OPERATOR,
        c.params.strategies,
        c.params.wadsToSlash,
        c.params.description,
    )
}

fn execute(
    slasher: &Contract<Slasher>,
    id: U256,
    wads: Vec<U256>,
) -> Result<SlashOutcome, Vec<u8>> {
    let c = slash_call(wads);
    slasher.sender(Address::repeat_byte(0x99)).execute_slash(
        id,
        set(),
        OPERATOR,
        c.params.strategies,
        c.params.wadsToSlash,
        c.params.description,
    )
}

fn slash(
    slasher: &Contract<Slasher>,
    caller: Address,
    wads: Vec<U256>,
) -> Result<SlashOutcome, Vec<u8>> {
    let c = slash_call(wads);
    slasher.sender(caller).slash(
        set(),
        OPERATOR,
        c.params.strategies,
        c.params.wadsToSlash,
        c.params.description,
    )
}

/// The revert data of `e`.
fn data(e: impl Into<Error>) -> Vec<u8> {
    e.into().into()
}

#[motsu::test]
fn constructor_copies_the_withdrawal_delay_and_needs_an_owner_and_an_allocation_manager(
    slasher: Contract<Slasher>,
    dm: Contract<DelegationManager>,
    am: Contract<MockAllocationManager>,
    owner: Address,
) {
    dm.sender(owner)
        .constructor(owner, DELAY, dm.address())
        .motsu_unwrap();
    let err = slasher
        .sender(owner)
        .constructor(owner, dm.address(), Address::ZERO)
        .motsu_unwrap_err();
    assert!(matches!(err, Error::ZeroAddress(_)));
    let err = slasher
        .sender(owner)
        .constructor(Address::ZERO, dm.address(), am.address())
        .motsu_unwrap_err();
    assert!(matches!(err, Error::ZeroAddress(_)));
    slasher
        .sender(owner)
        .constructor(owner, dm.address(), am.address())
        .motsu_unwrap();
    let view = slasher.sender(owner);
    assert_eq!(view.withdrawal_delay(), DELAY);
    assert_eq!(view.allocation_manager(), am.address());
    assert_eq!(view.admin.owner(), owner);
}

#[motsu::test]
fn the_default_policy_is_instant_slashing_by_the_avs_without_cap(
    slasher: Contract<Slasher>,
    dm: Contract<DelegationManager>,
    am: Contract<MockAllocationManager>,
    owner: Address,
) {
    setup(&slasher, &dm, &am, owner);
    let (current, pending, effect) = slasher.sender(owner).get_slasher_config(set());
    assert_eq!(current, with_slasher(capped_config(U256::ZERO, 0), AVS));
    assert_eq!(pending, capped_config(U256::ZERO, 0));
    assert_eq!(effect, 0);
    assert_eq!(
        slasher
            .sender(owner)
            .get_slashed_wad(set(), OPERATOR, STRATEGY),
        (U256::ZERO, U256::ZERO)
    );
}

fn with_slasher(config: SlasherConfig, slasher: Address) -> SlasherConfig {
    SlasherConfig { slasher, ..config }
}

#[motsu::test]
fn set_slasher_config_rejects_inconsistent_policies_and_unknown_sets(
    slasher: Contract<Slasher>,
    dm: Contract<DelegationManager>,
    am: Contract<MockAllocationManager>,
    owner: Address,
) {
    setup(&slasher, &dm, &am, owner);
    let veto = veto_config();
    let bad = [
        SlasherConfig {
            mode: 2,
            ..veto.clone()
        },
        SlasherConfig {
            resolver: Address::ZERO,
            ..veto.clone()
        },
        SlasherConfig {
            vetoWindow: 0,
            ..veto.clone()
        },
        SlasherConfig {
            vetoWindow: DELAY,
            ..veto.clone()
        },
        SlasherConfig {
            mode: slash_mode::INSTANT,
            ..veto.clone()
        },
        SlasherConfig {
            vetoWindow: 0,
            mode: slash_mode::INSTANT,
            ..veto.clone()
        },
        SlasherConfig {
            resolver: Address::ZERO,
            mode: slash_mode::INSTANT,
            ..veto.clone()
        },
        capped_config(WAD + U256::from(1), 60),
        capped_config(TENTH, 0),
        capped_config(U256::ZERO, 60),
        capped_config(TENTH, u64::from(u32::MAX) + 1),
    ];
    for config in bad {
        let err = slasher
            .sender(AVS)
            .set_slasher_config(1, config.clone())
            .motsu_unwrap_err();
        let expected = InvalidSlasherConfig {
            mode: config.mode,
            resolver: config.resolver,
            vetoWindow: config.vetoWindow,
            maxWadPerWindow: config.maxWadPerWindow,
            window: config.window,
        };
        assert!(
            matches!(&err, Error::InvalidSlasherConfig(e) if *e == expected),
            "{config:?}"
        );
    }
    let err = slasher
        .sender(AVS)
        .set_slasher_config(2, veto.clone())
        .motsu_unwrap_err();
    assert!(
        matches!(err, Error::OperatorSetNotFound(OperatorSetNotFound { avs, id: 2 }) if avs == AVS)
    );
    // Another AVS cannot write this AVS's set: its own set 1 does not exist.
    let err = slasher
        .sender(OPERATOR)
        .set_slasher_config(1, veto)
        .motsu_unwrap_err();
    assert!(matches!(err, Error::OperatorSetNotFound(_)));
    assert_eq!(slasher.sender(owner).get_slasher_config(set()).2, 0);
}

#[motsu::test]
fn a_policy_change_waits_the_withdrawal_delay_and_a_newer_one_replaces_it(
    slasher: Contract<Slasher>,
    dm: Contract<DelegationManager>,
    am: Contract<MockAllocationManager>,
    owner: Address,
) {
    setup(&slasher, &dm, &am, owner);
    slasher
        .sender(AVS)
        .set_slasher_config(1, veto_config())
        .motsu_unwrap();
    slasher.assert_emitted(&SlasherConfigQueued {
        avs: AVS,
        operatorSetId: 1,
        config: veto_config(),
        effectTimestamp: NOW + DELAY + 1,
    });
    let (current, pending, effect) = slasher.sender(owner).get_slasher_config(set());
    assert_eq!(current, with_slasher(capped_config(U256::ZERO, 0), AVS));
    assert_eq!(pending, with_slasher(veto_config(), AVS));
    assert_eq!(effect, NOW + DELAY + 1);
    // Still instant until then: a slash works, a request does not.
    slash(&slasher, AVS, vec![TENTH]).motsu_unwrap();
    let err = request(&slasher, vec![TENTH]).motsu_unwrap_err();
    assert_eq!(
        err,
        data(WrongSlashMode {
            mode: slash_mode::INSTANT
        })
    );

    let delegate = Address::repeat_byte(0xDE);
    let capped = with_slasher(capped_config(TENTH, 60), delegate);
    slasher
        .sender(AVS)
        .set_slasher_config(1, capped.clone())
        .motsu_unwrap();
    let (current, pending, effect) = slasher.sender(owner).get_slasher_config(set());
    assert_eq!(current.slasher, AVS);
    assert_eq!(pending, capped);
    assert_eq!(effect, NOW + DELAY + 1);
    let err = slash(&slasher, delegate, vec![TENTH]).motsu_unwrap_err();
    assert_eq!(err, data(Unauthorized { caller: delegate }));
}

#[motsu::test]
fn slash_applies_through_the_allocation_manager_and_emits_the_outcome(
    slasher: Contract<Slasher>,
    dm: Contract<DelegationManager>,
    am: Contract<MockAllocationManager>,
    owner: Address,
) {
    setup(&slasher, &dm, &am, owner);
    let outcome = slash(&slasher, AVS, vec![TENTH]).motsu_unwrap();
    assert_eq!(outcome.slashId, U256::from(1));
    assert_eq!(outcome.magnitudesSlashed, vec![TENTH.as_limbs()[0]]);
    assert_eq!(outcome.sharesSlashed, vec![TENTH * U256::from(3)]);
    assert_eq!(
        am.sender(owner).last_slash(),
        (
            U256::from(1),
            keccak256(slash_call(vec![TENTH]).abi_encode())
        )
    );
    slasher.assert_emitted(&SlashExecuted {
        requestId: U256::ZERO,
        operator: OPERATOR,
        avs: AVS,
        operatorSetId: 1,
        strategies: vec![STRATEGY],
        wads: vec![TENTH],
        sharesSlashed: vec![TENTH * U256::from(3)],
        description: String::from("double sign"),
    });
}

#[motsu::test]
fn slash_refuses_other_callers_a_pause_and_veto_mode(
    slasher: Contract<Slasher>,
    dm: Contract<DelegationManager>,
    am: Contract<MockAllocationManager>,
    owner: Address,
) {
    setup(&slasher, &dm, &am, owner);
    let err = slash(&slasher, OPERATOR, vec![TENTH]).motsu_unwrap_err();
    assert_eq!(err, data(Unauthorized { caller: OPERATOR }));
    slasher
        .sender(owner)
        .admin
        .pause(U256::from(pause::flag(pause::SLASHING)))
        .motsu_unwrap();
    let err = slash(&slasher, AVS, vec![TENTH]).motsu_unwrap_err();
    assert_eq!(
        err,
        data(ActionPaused {
            bit: pause::SLASHING
        })
    );
    slasher
        .sender(owner)
        .admin
        .unpause(U256::from(pause::flag(pause::SLASHING)))
        .motsu_unwrap();
    force_policy(&slasher, &veto_config());
    let err = slash(&slasher, AVS, vec![TENTH]).motsu_unwrap_err();
    assert_eq!(
        err,
        data(WrongSlashMode {
            mode: slash_mode::VETO
        })
    );
    assert_eq!(am.sender(owner).last_slash().0, U256::ZERO);
}

#[motsu::test]
fn allocation_manager_errors_come_back_unchanged(
    slasher: Contract<Slasher>,
    dm: Contract<DelegationManager>,
    am: Contract<MockAllocationManager>,
    owner: Address,
) {
    setup(&slasher, &dm, &am, owner);
    let refusal = OperatorNotSlashable {
        operator: OPERATOR,
        avs: AVS,
        id: 1,
    }
    .abi_encode();
    am.sender(owner)
        .set_revert(stylus_sdk::abi::Bytes(refusal.clone()));
    assert_eq!(
        slash(&slasher, AVS, vec![TENTH]).motsu_unwrap_err(),
        refusal
    );
    force_policy(&slasher, &veto_config());
    assert_eq!(request(&slasher, vec![TENTH]).motsu_unwrap_err(), refusal);
    let id = slash_request_id(&slash_call(vec![TENTH]).abi_encode(), NOW);
    assert_eq!(
        slasher.sender(owner).get_slash_request(id).status,
        request_status::NONE
    );
}

#[motsu::test]
fn the_cap_limits_the_wad_per_window_per_operator_and_strategy(
    slasher: Contract<Slasher>,
    dm: Contract<DelegationManager>,
    am: Contract<MockAllocationManager>,
    owner: Address,
) {
    setup(&slasher, &dm, &am, owner);
    let quarter = WAD / U256::from(4);
    force_policy(&slasher, &capped_config(quarter, 60));
    slash(&slasher, AVS, vec![TENTH]).motsu_unwrap();
    slash(&slasher, AVS, vec![TENTH]).motsu_unwrap();
    let err = slash(&slasher, AVS, vec![TENTH]).motsu_unwrap_err();
    assert_eq!(
        err,
        data(SlashCapExceeded {
            strategy: STRATEGY,
            usedWad: TENTH * U256::from(2),
            maxWad: quarter,
        })
    );
    // What is left fits exactly; a wad no cap could hold is refused without overflow.
    slash(&slasher, AVS, vec![quarter - TENTH * U256::from(2)]).motsu_unwrap();
    let err = slash(&slasher, AVS, vec![U256::MAX]).motsu_unwrap_err();
    assert_eq!(
        err,
        data(SlashCapExceeded {
            strategy: STRATEGY,
            usedWad: quarter,
            maxWad: quarter,
        })
    );
    assert_eq!(
        slasher
            .sender(owner)
            .get_slashed_wad(set(), OPERATOR, STRATEGY),
        (quarter, quarter)
    );
    assert_eq!(
        slasher
            .sender(owner)
            .get_slashed_wad(set(), Address::repeat_byte(0x0C), STRATEGY),
        (U256::ZERO, quarter)
    );
    assert_eq!(am.sender(owner).last_slash().0, U256::from(3));
}

#[motsu::test]
fn request_slash_stores_a_pending_request_bound_to_its_contents(
    slasher: Contract<Slasher>,
    dm: Contract<DelegationManager>,
    am: Contract<MockAllocationManager>,
    owner: Address,
) {
    setup(&slasher, &dm, &am, owner);
    force_policy(&slasher, &veto_config());
    let id = request(&slasher, vec![TENTH]).motsu_unwrap();
    assert_eq!(
        id,
        slash_request_id(&slash_call(vec![TENTH]).abi_encode(), NOW)
    );
    assert_eq!(
        slasher.sender(owner).get_slash_request(id),
        SlashRequest {
            avs: AVS,
            resolver: RESOLVER,
            requestedAt: NOW,
            vetoDeadline: NOW + 10,
            staleAt: NOW + DELAY,
            status: request_status::PENDING,
        }
    );
    slasher.assert_emitted(&SlashRequested {
        requestId: id,
        avs: AVS,
        operatorSetId: 1,
        operator: OPERATOR,
        strategies: vec![STRATEGY],
        wads: vec![TENTH],
        description: String::from("double sign"),
        resolver: RESOLVER,
        vetoDeadline: NOW + 10,
    });
    assert_eq!(
        request(&slasher, vec![TENTH]).motsu_unwrap_err(),
        data(SlashRequestExists { requestId: id })
    );
    // Nothing was slashed yet, and the request cannot run before its deadline.
    assert_eq!(am.sender(owner).last_slash().0, U256::ZERO);
    assert_eq!(
        execute(&slasher, id, vec![TENTH]).motsu_unwrap_err(),
        data(VetoWindowOpen {
            requestId: id,
            deadline: NOW + 10
        })
    );
}

#[motsu::test]
fn request_slash_checks_caller_pause_and_cap(
    slasher: Contract<Slasher>,
    dm: Contract<DelegationManager>,
    am: Contract<MockAllocationManager>,
    owner: Address,
) {
    setup(&slasher, &dm, &am, owner);
    force_policy(
        &slasher,
        &SlasherConfig {
            maxWadPerWindow: TENTH,
            window: 60,
            ..veto_config()
        },
    );
    let c = slash_call(vec![TENTH]);
    let err = slasher
        .sender(OPERATOR)
        .request_slash(
            set(),
            OPERATOR,
            c.params.strategies,
            c.params.wadsToSlash,
            c.params.description,
        )
        .motsu_unwrap_err();
    assert_eq!(err, data(Unauthorized { caller: OPERATOR }));
    let err = request(&slasher, vec![TENTH + U256::from(1)]).motsu_unwrap_err();
    assert_eq!(
        err,
        data(SlashCapExceeded {
            strategy: STRATEGY,
            usedWad: U256::ZERO,
            maxWad: TENTH,
        })
    );
    slasher
        .sender(owner)
        .admin
        .pause(U256::from(pause::flag(pause::SLASHING)))
        .motsu_unwrap();
    let err = request(&slasher, vec![TENTH]).motsu_unwrap_err();
    assert_eq!(
        err,
        data(ActionPaused {
            bit: pause::SLASHING
        })
    );
}

#[motsu::test]
fn only_the_requests_resolver_vetoes_and_only_while_pending(
    slasher: Contract<Slasher>,
    dm: Contract<DelegationManager>,
    am: Contract<MockAllocationManager>,
    owner: Address,
) {
    setup(&slasher, &dm, &am, owner);
    force_policy(&slasher, &veto_config());
    let id = request(&slasher, vec![TENTH]).motsu_unwrap();
    let err = slasher.sender(AVS).veto_slash(id).motsu_unwrap_err();
    assert!(matches!(err, Error::Unauthorized(Unauthorized { caller }) if caller == AVS));
    let unknown = id + U256::from(1);
    let err = slasher
        .sender(RESOLVER)
        .veto_slash(unknown)
        .motsu_unwrap_err();
    assert!(matches!(err, Error::SlashRequestNotFound(e) if e.requestId == unknown));
    slasher.sender(RESOLVER).veto_slash(id).motsu_unwrap();
    slasher.assert_emitted(&SlashVetoed {
        requestId: id,
        resolver: RESOLVER,
    });
    assert_eq!(
        slasher.sender(owner).get_slash_request(id).status,
        request_status::VETOED
    );
    let not_pending = SlashRequestNotPending {
        requestId: id,
        status: request_status::VETOED,
    };
    let err = slasher.sender(RESOLVER).veto_slash(id).motsu_unwrap_err();
    assert!(matches!(err, Error::SlashRequestNotPending(e) if e == not_pending));
    let err = slasher.sender(AVS).cancel_slash(id).motsu_unwrap_err();
    assert!(matches!(err, Error::SlashRequestNotPending(e) if e == not_pending));
    assert_eq!(
        execute(&slasher, id, vec![TENTH]).motsu_unwrap_err(),
        data(not_pending)
    );
}

#[motsu::test]
fn the_resolver_cannot_veto_after_the_deadline(
    slasher: Contract<Slasher>,
    dm: Contract<DelegationManager>,
    am: Contract<MockAllocationManager>,
    owner: Address,
) {
    setup(&slasher, &dm, &am, owner);
    let id = past_request(&slasher, &slash_call(vec![TENTH]), NOW - 11);
    let err = slasher.sender(RESOLVER).veto_slash(id).motsu_unwrap_err();
    assert!(matches!(err, Error::VetoWindowClosed(e) if e.deadline == NOW - 1));
    // One second earlier the deadline is now, and the veto still counts.
    let id = past_request(&slasher, &slash_call(vec![TENTH, TENTH]), NOW - 10);
    slasher.sender(RESOLVER).veto_slash(id).motsu_unwrap();
}

#[motsu::test]
fn only_the_avs_cancels(
    slasher: Contract<Slasher>,
    dm: Contract<DelegationManager>,
    am: Contract<MockAllocationManager>,
    owner: Address,
) {
    setup(&slasher, &dm, &am, owner);
    force_policy(&slasher, &veto_config());
    let id = request(&slasher, vec![TENTH]).motsu_unwrap();
    let err = slasher.sender(RESOLVER).cancel_slash(id).motsu_unwrap_err();
    assert!(matches!(err, Error::Unauthorized(Unauthorized { caller }) if caller == RESOLVER));
    slasher.sender(AVS).cancel_slash(id).motsu_unwrap();
    slasher.assert_emitted(&SlashCancelled { requestId: id });
    assert_eq!(
        slasher.sender(owner).get_slash_request(id).status,
        request_status::CANCELLED
    );
    let err = slasher
        .sender(AVS)
        .cancel_slash(U256::from(7))
        .motsu_unwrap_err();
    assert!(matches!(err, Error::SlashRequestNotFound(_)));
}

#[motsu::test]
fn execute_slash_runs_an_unvetoed_request_once_with_its_own_contents(
    slasher: Contract<Slasher>,
    dm: Contract<DelegationManager>,
    am: Contract<MockAllocationManager>,
    owner: Address,
) {
    setup(&slasher, &dm, &am, owner);
    let id = past_request(&slasher, &slash_call(vec![TENTH]), NOW - 11);
    let other = TENTH + U256::from(1);
    assert_eq!(
        execute(&slasher, id, vec![other]).motsu_unwrap_err(),
        data(SlashRequestMismatch { requestId: id })
    );
    slasher
        .sender(owner)
        .admin
        .pause(U256::from(pause::flag(pause::SLASHING)))
        .motsu_unwrap();
    assert_eq!(
        execute(&slasher, id, vec![TENTH]).motsu_unwrap_err(),
        data(ActionPaused {
            bit: pause::SLASHING
        })
    );
    slasher
        .sender(owner)
        .admin
        .unpause(U256::from(pause::flag(pause::SLASHING)))
        .motsu_unwrap();
    let outcome = execute(&slasher, id, vec![TENTH]).motsu_unwrap();
    assert_eq!(outcome.sharesSlashed, vec![TENTH * U256::from(3)]);
    assert_eq!(
        am.sender(owner).last_slash(),
        (
            U256::from(1),
            keccak256(slash_call(vec![TENTH]).abi_encode())
        )
    );
    slasher.assert_emitted(&SlashExecuted {
        requestId: id,
        operator: OPERATOR,
        avs: AVS,
        operatorSetId: 1,
        strategies: vec![STRATEGY],
        wads: vec![TENTH],
        sharesSlashed: vec![TENTH * U256::from(3)],
        description: String::from("double sign"),
    });
    assert_eq!(
        execute(&slasher, id, vec![TENTH]).motsu_unwrap_err(),
        data(SlashRequestNotPending {
            requestId: id,
            status: request_status::EXECUTED
        })
    );
    assert_eq!(
        execute(&slasher, U256::from(5), vec![TENTH]).motsu_unwrap_err(),
        data(SlashRequestNotFound {
            requestId: U256::from(5)
        })
    );
}

#[motsu::test]
fn a_request_goes_stale_after_the_withdrawal_delay(
    slasher: Contract<Slasher>,
    dm: Contract<DelegationManager>,
    am: Contract<MockAllocationManager>,
    owner: Address,
) {
    setup(&slasher, &dm, &am, owner);
    let stale = past_request(&slasher, &slash_call(vec![TENTH]), NOW - DELAY - 1);
    assert_eq!(
        execute(&slasher, stale, vec![TENTH]).motsu_unwrap_err(),
        data(SlashRequestStale {
            requestId: stale,
            staleAt: NOW - 1
        })
    );
    let last = past_request(&slasher, &slash_call(vec![TENTH]), NOW - DELAY);
    execute(&slasher, last, vec![TENTH]).motsu_unwrap();
    // A stale request can still be cancelled, so it stops showing as pending.
    slasher.sender(AVS).cancel_slash(stale).motsu_unwrap();
}

#[motsu::test]
fn execution_applies_the_cap_the_request_was_made_under_and_reraises_allocation_manager_errors(
    slasher: Contract<Slasher>,
    dm: Contract<DelegationManager>,
    am: Contract<MockAllocationManager>,
    owner: Address,
) {
    setup(&slasher, &dm, &am, owner);
    let capped = SlasherConfig {
        maxWadPerWindow: TENTH,
        window: 60,
        ..veto_config()
    };
    force_policy(&slasher, &capped);
    // A request stores the cap in force when it is made, and uses none of it yet.
    let id = request(&slasher, vec![TENTH]).motsu_unwrap();
    assert_eq!(
        slasher
            .sender(owner)
            .get_slashed_wad(set(), OPERATOR, STRATEGY),
        (U256::ZERO, TENTH)
    );
    let stored = slasher.sender(owner).requests.getter(id).max_wad.get();
    assert_eq!(stored, U64::from(TENTH.as_limbs()[0]));

    let tenth = TENTH.as_limbs()[0];
    let first = past_request_capped(&slasher, &slash_call(vec![TENTH]), NOW - 20, (tenth, 60));
    let second = past_request_capped(&slasher, &slash_call(vec![TENTH]), NOW - 30, (tenth, 60));
    // The AVS lifts the cap: requests made before keep theirs.
    force_policy(&slasher, &veto_config());
    execute(&slasher, first, vec![TENTH]).motsu_unwrap();
    assert_eq!(
        execute(&slasher, second, vec![TENTH]).motsu_unwrap_err(),
        data(SlashCapExceeded {
            strategy: STRATEGY,
            usedWad: TENTH,
            maxWad: TENTH,
        })
    );
    let uncapped = past_request(&slasher, &slash_call(vec![TENTH]), NOW - 40);
    let refusal = StrategyNotInSet {
        avs: AVS,
        id: 1,
        strategy: STRATEGY,
    }
    .abi_encode();
    am.sender(owner)
        .set_revert(stylus_sdk::abi::Bytes(refusal.clone()));
    assert_eq!(
        execute(&slasher, uncapped, vec![TENTH]).motsu_unwrap_err(),
        refusal
    );
    assert_eq!(
        slasher.sender(owner).get_slash_request(uncapped).status,
        request_status::PENDING
    );
    am.sender(owner)
        .set_revert(stylus_sdk::abi::Bytes(Vec::new()));
    execute(&slasher, uncapped, vec![TENTH]).motsu_unwrap();
}

/// A withdrawal delay the Slasher could not hold (beyond 32 bits) cannot exist: the
/// DelegationManager refuses anything above 30 days, so the Slasher's own check stays a second
/// line.
#[motsu::test]
fn no_delegation_manager_has_a_delay_beyond_32_bits(
    dm: Contract<DelegationManager>,
    owner: Address,
) {
    let err = dm
        .sender(owner)
        .constructor(owner, u64::from(u32::MAX) + 1, dm.address())
        .motsu_unwrap_err();
    assert!(matches!(
        err,
        delegation_manager::Error::InvalidWithdrawalDelay(_)
    ));
}

#[motsu::test]
fn the_widest_valid_policies_are_accepted(
    slasher: Contract<Slasher>,
    dm: Contract<DelegationManager>,
    am: Contract<MockAllocationManager>,
    owner: Address,
) {
    setup(&slasher, &dm, &am, owner);
    for config in [
        SlasherConfig {
            vetoWindow: DELAY - 1,
            ..veto_config()
        },
        capped_config(WAD, u64::from(u32::MAX)),
    ] {
        slasher
            .sender(AVS)
            .set_slasher_config(1, config.clone())
            .motsu_unwrap();
        assert_eq!(
            slasher.sender(owner).get_slasher_config(set()).1,
            with_slasher(config, AVS)
        );
    }
}

#[motsu::test]
fn a_cancelled_request_cannot_be_vetoed_or_executed_and_veto_and_cancel_ignore_the_pause(
    slasher: Contract<Slasher>,
    dm: Contract<DelegationManager>,
    am: Contract<MockAllocationManager>,
    owner: Address,
) {
    setup(&slasher, &dm, &am, owner);
    let cancelled = past_request(&slasher, &slash_call(vec![TENTH]), NOW - 5);
    let vetoed = past_request(&slasher, &slash_call(vec![TENTH, TENTH]), NOW - 5);
    slasher
        .sender(owner)
        .admin
        .pause(U256::from(pause::flag(pause::SLASHING)))
        .motsu_unwrap();
    slasher.sender(AVS).cancel_slash(cancelled).motsu_unwrap();
    slasher.sender(RESOLVER).veto_slash(vetoed).motsu_unwrap();
    slasher
        .sender(owner)
        .admin
        .unpause(U256::from(pause::flag(pause::SLASHING)))
        .motsu_unwrap();
    let not_pending = SlashRequestNotPending {
        requestId: cancelled,
        status: request_status::CANCELLED,
    };
    let err = slasher
        .sender(RESOLVER)
        .veto_slash(cancelled)
        .motsu_unwrap_err();
    assert!(matches!(err, Error::SlashRequestNotPending(e) if e == not_pending));
    let late = past_request(&slasher, &slash_call(vec![TENTH]), NOW - 11);
    slasher.sender(AVS).cancel_slash(late).motsu_unwrap();
    assert_eq!(
        execute(&slasher, late, vec![TENTH]).motsu_unwrap_err(),
        data(SlashRequestNotPending {
            requestId: late,
            status: request_status::CANCELLED
        })
    );
}

#[motsu::test]
fn execution_refuses_another_operator_and_a_capped_batch_is_all_or_nothing(
    slasher: Contract<Slasher>,
    dm: Contract<DelegationManager>,
    am: Contract<MockAllocationManager>,
    owner: Address,
) {
    setup(&slasher, &dm, &am, owner);
    let id = past_request(&slasher, &slash_call(vec![TENTH]), NOW - 11);
    let c = slash_call(vec![TENTH]);
    let err = slasher
        .sender(owner)
        .execute_slash(
            id,
            set(),
            Address::repeat_byte(0x0C),
            c.params.strategies,
            c.params.wadsToSlash,
            c.params.description,
        )
        .motsu_unwrap_err();
    assert_eq!(err, data(SlashRequestMismatch { requestId: id }));

    force_policy(&slasher, &capped_config(TENTH, 60));
    let second = Address::repeat_byte(0x58);
    let err = slasher
        .sender(AVS)
        .slash(
            set(),
            OPERATOR,
            vec![STRATEGY, second],
            vec![TENTH, TENTH + U256::from(1)],
            String::new(),
        )
        .motsu_unwrap_err();
    assert_eq!(
        err,
        data(SlashCapExceeded {
            strategy: second,
            usedWad: U256::ZERO,
            maxWad: TENTH,
        })
    );
    assert_eq!(
        slasher
            .sender(owner)
            .get_slashed_wad(set(), OPERATOR, STRATEGY),
        (U256::ZERO, TENTH)
    );
    assert_eq!(am.sender(owner).last_slash().0, U256::ZERO);
}
