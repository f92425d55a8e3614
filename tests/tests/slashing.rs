//! Slashing end to end through the real WASM of all four contracts — Slasher, AllocationManager,
//! DelegationManager and StrategyManager (core and extension modules): an instant slash of one
//! set leaves the other set's allocation alone and moves tokens only when cleared; veto requests
//! are vetoed, executed after the window, go stale, and keep the rules they were made under; the
//! rate cap holds over its rolling window; repeated 99% slashes keep every staker whole within
//! the formula and the protocol solvent; and the cost of a slash does not depend on how many
//! stakers delegate to the operator.
//!
//! Related scenarios elsewhere, also through the Slasher: a withdrawal queued before a slash pays
//! exactly the slashed amount and one queued more than the withdrawal delay before is untouched
//! (`withdrawals.rs`); a deregistered operator is slashable through the deallocation delay and
//! not after (`allocation_manager.rs`).

#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

use alloy_primitives::{Address, U256};
use alloy_sol_types::SolCall;
use integration::{Actor, Backend, BackendExt, Outcome, World, WorldBuilder, WITHDRAWAL_DELAY};
use restaking_abi::{
    abi::*,
    constants::{pause, request_status, slash_mode, BURN_ADDRESS, WAD},
};

type W = World<Box<dyn Backend>>;

fn ether(n: u64) -> U256 {
    U256::from(n) * U256::from(10u64).pow(U256::from(18u64))
}

/// `n` hundredths of WAD.
fn pct(n: u64) -> U256 {
    U256::from(n) * U256::from(10_000_000_000_000_000u64)
}

fn world() -> W {
    WorldBuilder::new()
        .real_delegation_manager()
        .build(integration::backend().unwrap())
        .unwrap()
}

/// An operator (allocation delay 0) with the world's stakers' `stakes` of stETH delegated, in
/// set 1 (burning) of a fresh AVS, allocating `magnitude` of its stETH to it.
fn operator_in_a_set(w: &mut W, stakes: &[u64], magnitude: u64) -> (Address, OperatorSet) {
    let steth = w.tokens.steth;
    let operator = w.register_operator("operator", 0).unwrap().address;
    for (i, &stake) in stakes.iter().enumerate() {
        let staker = w.stakers[i].address;
        w.deposit(staker, steth, ether(stake))
            .unwrap()
            .ok()
            .unwrap();
        w.delegate(staker, operator).unwrap().ok().unwrap();
    }
    let avs = Actor::named("avs");
    w.create_operator_set(&avs, 1, vec![steth], Address::ZERO)
        .unwrap()
        .ok()
        .unwrap();
    let set = OperatorSet {
        avs: avs.address,
        id: 1,
    };
    w.join(operator, avs.address, vec![1])
        .unwrap()
        .ok()
        .unwrap();
    w.allocate(operator, set.clone(), vec![steth], vec![magnitude])
        .unwrap()
        .ok()
        .unwrap();
    (operator, set)
}

fn outcome(o: &Outcome) -> SlashOutcome {
    ISlasher::slashCall::abi_decode_returns(&o.output, true)
        .unwrap()
        .outcome
}

fn request_id(o: &Outcome) -> U256 {
    ISlasher::requestSlashCall::abi_decode_returns(&o.output, true)
        .unwrap()
        .requestId
}

fn withdrawable(w: &mut W, staker: Address) -> U256 {
    let call = IDelegationManager::withdrawableSharesCall {
        staker,
        strategies: vec![w.tokens.steth],
    };
    w.chain.read(w.delegation_manager, &call).unwrap()._0[0]
}

/// EigenLayer's withdrawable shares `⌊⌊s·k/WAD⌋·m/WAD⌋` of `staker` with max magnitude `m`.
fn formula(w: &mut W, staker: Address, m: u64) -> U256 {
    let steth = w.tokens.steth;
    let s = w.shares(staker, steth).unwrap();
    let k = w
        .chain
        .read(
            w.delegation_manager,
            &IDelegationManager::depositScalingFactorCall {
                staker,
                strategy: steth,
            },
        )
        .unwrap()
        ._0;
    s * k / WAD * U256::from(m) / WAD
}

fn max_magnitude(w: &mut W, operator: Address) -> u64 {
    let call = IAllocationManager::getMaxMagnitudeCall {
        operator,
        strategy: w.tokens.steth,
    };
    w.chain.read(w.allocation_manager, &call).unwrap()._0
}

fn operator_shares(w: &mut W, operator: Address) -> U256 {
    let call = IDelegationManager::operatorSharesCall {
        operator,
        strategy: w.tokens.steth,
    };
    w.chain.read(w.delegation_manager, &call).unwrap()._0
}

fn current_magnitude(w: &mut W, operator: Address, set: &OperatorSet) -> u64 {
    let call = IAllocationManager::getAllocationCall {
        operator,
        operatorSet: set.clone(),
        strategy: w.tokens.steth,
    };
    w.chain
        .read(w.allocation_manager, &call)
        .unwrap()
        ._0
        .currentMagnitude
}

/// Anyone clears slash `slash_id` of `set`; returns the tokens moved.
fn clear(w: &mut W, set: &OperatorSet, slash_id: U256) -> U256 {
    let call = IStrategyManager::clearSlashedCall {
        operatorSet: set.clone(),
        slashId: slash_id,
        strategy: w.tokens.steth,
    };
    let anyone = w.stakers[1].address;
    let out = w.chain.tx(anyone, w.sm, &call).unwrap().ok().unwrap();
    IStrategyManager::clearSlashedCall::abi_decode_returns(&out.output, true)
        .unwrap()
        .amount
}

fn veto_config(resolver: Address, veto_window: u64) -> SlasherConfig {
    SlasherConfig {
        slasher: Address::ZERO,
        mode: slash_mode::VETO,
        resolver,
        vetoWindow: veto_window,
        maxWadPerWindow: U256::ZERO,
        window: 0,
    }
}

fn slasher_config(w: &mut W, set: &OperatorSet) -> (SlasherConfig, SlasherConfig, u64) {
    let call = ISlasher::getSlasherConfigCall {
        operatorSet: set.clone(),
    };
    let r = w.chain.read(w.slasher, &call).unwrap();
    (r.current, r.pending, r.effectTimestamp)
}

/// Queues `config` for `set` and waits until it is in force.
fn put_in_force(w: &mut W, set: &OperatorSet, config: SlasherConfig) {
    w.set_slasher_config(set, config).unwrap().ok().unwrap();
    w.chain.advance(WITHDRAWAL_DELAY + 1).unwrap();
}

fn slash_request(w: &mut W, id: U256) -> SlashRequest {
    let call = ISlasher::getSlashRequestCall { requestId: id };
    w.chain.read(w.slasher, &call).unwrap()._0
}

fn execute(
    w: &mut W,
    id: U256,
    set: &OperatorSet,
    operator: Address,
    wad: U256,
    why: &str,
) -> Outcome {
    let call = ISlasher::executeSlashCall {
        requestId: id,
        operatorSet: set.clone(),
        operator,
        strategies: vec![w.tokens.steth],
        wads: vec![wad],
        description: why.into(),
    };
    let anyone = w.stakers[0].address;
    w.chain.tx(anyone, w.slasher, &call).unwrap()
}

fn veto(w: &mut W, resolver: Address, id: U256) -> Outcome {
    let call = ISlasher::vetoSlashCall { requestId: id };
    w.chain.tx(resolver, w.slasher, &call).unwrap()
}

#[test]
fn a_ten_percent_slash_of_one_set_takes_exactly_the_formula_and_tokens_move_only_when_cleared() {
    let mut w = world();
    let steth = w.tokens.steth;
    let (alice, bob) = (w.stakers[0].address, w.stakers[1].address);
    // Set A (burning) holds 50% of the operator's stETH, set B (redistributing) 30%.
    let (operator, a) = operator_in_a_set(&mut w, &[10, 30], 500_000_000_000_000_000);
    let treasury = Actor::named("treasury").address;
    let avs = Actor::named("avs");
    w.create_operator_set(&avs, 2, vec![steth], treasury)
        .unwrap()
        .ok()
        .unwrap();
    let b = OperatorSet {
        avs: avs.address,
        id: 2,
    };
    w.join(operator, avs.address, vec![2])
        .unwrap()
        .ok()
        .unwrap();
    w.allocate(
        operator,
        b.clone(),
        vec![steth],
        vec![300_000_000_000_000_000],
    )
    .unwrap()
    .ok()
    .unwrap();
    let held = w.balance(steth, w.sm).unwrap();
    assert_eq!(held, ether(40));

    let r = w
        .slash(&a, operator, vec![steth], vec![pct(10)])
        .unwrap()
        .ok()
        .unwrap();
    // ⌈0.5·0.1⌉ = 0.05 of the max magnitude goes: m = 0.95.
    assert_eq!(max_magnitude(&mut w, operator), 950_000_000_000_000_000);
    for (staker, expected) in [
        (alice, ether(95) / U256::from(10)),
        (bob, ether(285) / U256::from(10)),
    ] {
        assert_eq!(withdrawable(&mut w, staker), expected);
        assert_eq!(formula(&mut w, staker, 950_000_000_000_000_000), expected);
    }
    // Operator shares 40 − ⌈40·0.95/1⌉ = 2 ether slashed.
    let slashed = outcome(&r);
    assert_eq!(slashed.slashId, U256::from(1));
    assert_eq!(slashed.magnitudesSlashed, vec![50_000_000_000_000_000]);
    assert_eq!(slashed.sharesSlashed, vec![ether(2)]);
    assert_eq!(operator_shares(&mut w, operator), ether(38));
    assert!(r.emitted(&SlashExecuted {
        requestId: U256::ZERO,
        operator,
        avs: avs.address,
        operatorSetId: 1,
        strategies: vec![steth],
        wads: vec![pct(10)],
        sharesSlashed: vec![ether(2)],
        description: "misbehaved".into(),
    }));
    assert_eq!(
        current_magnitude(&mut w, operator, &a),
        450_000_000_000_000_000
    );
    assert_eq!(
        current_magnitude(&mut w, operator, &b),
        300_000_000_000_000_000
    );
    // No token moved yet.
    assert_eq!(w.balance(steth, w.sm).unwrap(), held);
    assert_eq!(w.balance(steth, BURN_ADDRESS).unwrap(), U256::ZERO);

    assert_eq!(clear(&mut w, &a, U256::from(1)), ether(2));
    assert_eq!(w.balance(steth, BURN_ADDRESS).unwrap(), ether(2));
    assert_eq!(w.balance(steth, w.sm).unwrap(), ether(38));

    // B takes 20%: ⌈0.3·0.2⌉ = 0.06, m = 0.89; shares 38 − ⌈38·0.89/0.95⌉ = 2.4 ether, which go
    // to B's recipient, not to the burn address.
    let r = w
        .slash(&b, operator, vec![steth], vec![pct(20)])
        .unwrap()
        .ok()
        .unwrap();
    assert_eq!(outcome(&r).sharesSlashed, vec![ether(24) / U256::from(10)]);
    assert_eq!(max_magnitude(&mut w, operator), 890_000_000_000_000_000);
    assert_eq!(
        current_magnitude(&mut w, operator, &a),
        450_000_000_000_000_000
    );
    assert_eq!(w.balance(steth, treasury).unwrap(), U256::ZERO);
    assert_eq!(clear(&mut w, &b, U256::from(1)), ether(24) / U256::from(10));
    assert_eq!(
        w.balance(steth, treasury).unwrap(),
        ether(24) / U256::from(10)
    );
    assert_eq!(w.balance(steth, BURN_ADDRESS).unwrap(), ether(2));
    for (staker, expected) in [
        (alice, ether(89) / U256::from(10)),
        (bob, ether(267) / U256::from(10)),
    ] {
        assert_eq!(withdrawable(&mut w, staker), expected);
    }
}

#[test]
fn a_vetoed_request_never_runs_and_an_unvetoed_one_runs_after_its_window_until_stale() {
    let mut w = world();
    let steth = w.tokens.steth;
    let (operator, set) = operator_in_a_set(&mut w, &[10], 1_000_000_000_000_000_000);
    let resolver = Actor::named("resolver");
    w.chain.register(&resolver).unwrap();
    let r = resolver.address;

    // The change waits the withdrawal delay, visibly; until then slashing stays instant.
    let t0 = w.chain.timestamp();
    let queued = w
        .set_slasher_config(&set, veto_config(r, 3))
        .unwrap()
        .ok()
        .unwrap();
    assert!(queued.emitted(&SlasherConfigQueued {
        avs: set.avs,
        operatorSetId: 1,
        config: veto_config(r, 3),
        effectTimestamp: t0 + WITHDRAWAL_DELAY + 1,
    }));
    let (current, pending, effect) = slasher_config(&mut w, &set);
    assert_eq!(
        (current.mode, current.slasher),
        (slash_mode::INSTANT, set.avs)
    );
    assert_eq!(
        pending,
        SlasherConfig {
            slasher: set.avs,
            ..veto_config(r, 3)
        }
    );
    assert_eq!(effect, t0 + WITHDRAWAL_DELAY + 1);
    let refused = w
        .request_slash(&set, operator, vec![steth], vec![pct(10)], "early")
        .unwrap();
    assert_eq!(
        refused.revert::<WrongSlashMode>().unwrap().mode,
        slash_mode::INSTANT
    );
    w.chain.advance(WITHDRAWAL_DELAY + 1).unwrap();
    let (current, _, effect) = slasher_config(&mut w, &set);
    assert_eq!(
        current,
        SlasherConfig {
            slasher: set.avs,
            ..veto_config(r, 3)
        }
    );
    assert_eq!(effect, 0);
    let refused = w.slash(&set, operator, vec![steth], vec![pct(10)]).unwrap();
    assert_eq!(
        refused.revert::<WrongSlashMode>().unwrap().mode,
        slash_mode::VETO
    );

    let t = w.chain.timestamp();
    let vetoed = w
        .request_slash(&set, operator, vec![steth], vec![pct(10)], "r1")
        .unwrap()
        .ok()
        .unwrap();
    let r1 = request_id(&vetoed);
    assert!(vetoed.emitted(&SlashRequested {
        requestId: r1,
        avs: set.avs,
        operatorSetId: 1,
        operator,
        strategies: vec![steth],
        wads: vec![pct(10)],
        description: "r1".into(),
        resolver: r,
        vetoDeadline: t + 3,
    }));
    let r2 = request_id(
        &w.request_slash(&set, operator, vec![steth], vec![pct(10)], "r2")
            .unwrap()
            .ok()
            .unwrap(),
    );
    let r3 = request_id(
        &w.request_slash(&set, operator, vec![steth], vec![pct(20)], "r3")
            .unwrap()
            .ok()
            .unwrap(),
    );
    assert_eq!(
        slash_request(&mut w, r2),
        SlashRequest {
            avs: set.avs,
            resolver: r,
            requestedAt: t,
            vetoDeadline: t + 3,
            staleAt: t + WITHDRAWAL_DELAY,
            status: request_status::PENDING,
        }
    );
    // Only the resolver vetoes.
    let refused = veto(&mut w, set.avs, r1);
    assert_eq!(refused.revert::<Unauthorized>().unwrap().caller, set.avs);
    assert!(veto(&mut w, r, r1).ok().unwrap().emitted(&SlashVetoed {
        requestId: r1,
        resolver: r,
    }));

    // Through the deadline nothing executes.
    w.chain.advance(3).unwrap();
    let early = execute(&mut w, r2, &set, operator, pct(10), "r2");
    assert_eq!(
        early.revert::<VetoWindowOpen>().unwrap(),
        VetoWindowOpen {
            requestId: r2,
            deadline: t + 3
        }
    );
    assert_eq!(operator_shares(&mut w, operator), ether(10));

    // One second later: no more vetoes; the vetoed request stays dead; the other runs once.
    w.chain.advance(1).unwrap();
    let late = veto(&mut w, r, r3);
    assert_eq!(
        late.revert::<VetoWindowClosed>().unwrap(),
        VetoWindowClosed {
            requestId: r3,
            deadline: t + 3
        }
    );
    let dead = execute(&mut w, r1, &set, operator, pct(10), "r1");
    assert_eq!(
        dead.revert::<SlashRequestNotPending>().unwrap().status,
        request_status::VETOED
    );
    let ran = execute(&mut w, r2, &set, operator, pct(10), "r2")
        .ok()
        .unwrap();
    assert_eq!(outcome(&ran).sharesSlashed, vec![ether(1)]);
    assert!(ran.emitted(&SlashExecuted {
        requestId: r2,
        operator,
        avs: set.avs,
        operatorSetId: 1,
        strategies: vec![steth],
        wads: vec![pct(10)],
        sharesSlashed: vec![ether(1)],
        description: "r2".into(),
    }));
    assert_eq!(operator_shares(&mut w, operator), ether(9));
    let again = execute(&mut w, r2, &set, operator, pct(10), "r2");
    assert_eq!(
        again.revert::<SlashRequestNotPending>().unwrap().status,
        request_status::EXECUTED
    );
    // Other contents than the request's are refused.
    let forged = execute(&mut w, r3, &set, operator, pct(99), "r3");
    assert_eq!(
        forged.revert::<SlashRequestMismatch>().unwrap().requestId,
        r3
    );

    // After the withdrawal delay the last request is stale; its AVS can still cancel it.
    w.chain.advance(WITHDRAWAL_DELAY - 3).unwrap();
    let stale = execute(&mut w, r3, &set, operator, pct(20), "r3");
    assert_eq!(
        stale.revert::<SlashRequestStale>().unwrap(),
        SlashRequestStale {
            requestId: r3,
            staleAt: t + WITHDRAWAL_DELAY
        }
    );
    let cancel = ISlasher::cancelSlashCall { requestId: r3 };
    let refused = w.chain.tx(r, w.slasher, &cancel).unwrap();
    assert_eq!(refused.revert::<Unauthorized>().unwrap().caller, r);
    let cancelled = w
        .chain
        .tx(set.avs, w.slasher, &cancel)
        .unwrap()
        .ok()
        .unwrap();
    assert!(cancelled.emitted(&SlashCancelled { requestId: r3 }));
    assert_eq!(slash_request(&mut w, r3).status, request_status::CANCELLED);
    assert_eq!(operator_shares(&mut w, operator), ether(9));
}

#[test]
fn a_policy_change_never_applies_to_a_request_made_before_it() {
    let mut w = world();
    let steth = w.tokens.steth;
    let (operator, set) = operator_in_a_set(&mut w, &[10], 1_000_000_000_000_000_000);
    let [old, new] = ["resolver-1", "resolver-2"].map(|name| {
        let a = Actor::named(name);
        w.chain.register(&a).unwrap();
        a.address
    });
    put_in_force(&mut w, &set, veto_config(old, 3));

    // The AVS swaps in another resolver; one second before the swap it makes two requests.
    let t0 = w.chain.timestamp();
    w.set_slasher_config(&set, veto_config(new, 3))
        .unwrap()
        .ok()
        .unwrap();
    w.chain.advance(WITHDRAWAL_DELAY).unwrap();
    let first = request_id(
        &w.request_slash(&set, operator, vec![steth], vec![pct(10)], "a")
            .unwrap()
            .ok()
            .unwrap(),
    );
    let second = request_id(
        &w.request_slash(&set, operator, vec![steth], vec![pct(10)], "b")
            .unwrap()
            .ok()
            .unwrap(),
    );
    w.chain.advance(1).unwrap();
    assert_eq!(w.chain.timestamp(), t0 + WITHDRAWAL_DELAY + 1);
    assert_eq!(slasher_config(&mut w, &set).0.resolver, new);

    // The new resolver cannot veto the old requests; the old one still can, until their deadline.
    let refused = veto(&mut w, new, first);
    assert_eq!(refused.revert::<Unauthorized>().unwrap().caller, new);
    veto(&mut w, old, first).ok().unwrap();
    // A new request is the new resolver's.
    let third = request_id(
        &w.request_slash(&set, operator, vec![steth], vec![pct(10)], "c")
            .unwrap()
            .ok()
            .unwrap(),
    );
    assert_eq!(slash_request(&mut w, third).resolver, new);
    assert_eq!(slash_request(&mut w, second).resolver, old);
    w.chain.advance(3).unwrap();
    execute(&mut w, second, &set, operator, pct(10), "b")
        .ok()
        .unwrap();
    assert_eq!(operator_shares(&mut w, operator), ether(9));
}

#[test]
fn the_rate_cap_refuses_a_second_slash_in_the_window_and_allows_it_after() {
    let mut w = world();
    let steth = w.tokens.steth;
    let (operator, set) = operator_in_a_set(&mut w, &[10], 1_000_000_000_000_000_000);
    let capped = SlasherConfig {
        slasher: Address::ZERO,
        mode: slash_mode::INSTANT,
        resolver: Address::ZERO,
        vetoWindow: 0,
        maxWadPerWindow: pct(15),
        window: 20,
    };
    put_in_force(&mut w, &set, capped);

    w.slash(&set, operator, vec![steth], vec![pct(10)])
        .unwrap()
        .ok()
        .unwrap();
    let shares = operator_shares(&mut w, operator);
    for wait in [0, 19] {
        w.chain.advance(wait).unwrap();
        let refused = w.slash(&set, operator, vec![steth], vec![pct(10)]).unwrap();
        assert_eq!(
            refused.revert::<SlashCapExceeded>().unwrap(),
            SlashCapExceeded {
                strategy: steth,
                usedWad: pct(10),
                maxWad: pct(15),
            }
        );
    }
    let view = ISlasher::getSlashedWadCall {
        operatorSet: set.clone(),
        operator,
        strategy: steth,
    };
    let used = w.chain.read(w.slasher, &view).unwrap();
    assert_eq!((used.usedWad, used.maxWad), (pct(10), pct(15)));
    assert_eq!(operator_shares(&mut w, operator), shares);
    // Exactly one window after the first slash it no longer counts.
    w.chain.advance(1).unwrap();
    w.slash(&set, operator, vec![steth], vec![pct(10)])
        .unwrap()
        .ok()
        .unwrap();
    let used = w.chain.read(w.slasher, &view).unwrap();
    assert_eq!((used.usedWad, used.maxWad), (pct(10), pct(15)));
}

#[test]
fn a_request_against_a_departing_operator_runs_only_while_it_is_slashable() {
    let mut w = world();
    let steth = w.tokens.steth;
    let (operator, set) = operator_in_a_set(&mut w, &[10], 1_000_000_000_000_000_000);
    let resolver = Actor::named("resolver").address;
    put_in_force(&mut w, &set, veto_config(resolver, 3));
    let leave = IAllocationManager::deregisterFromOperatorSetsCall {
        operator,
        avs: set.avs,
        operatorSetIds: vec![1],
    };
    w.chain
        .tx(operator, w.allocation_manager, &leave)
        .unwrap()
        .ok()
        .unwrap();
    // Slashable through now + DEALLOCATION_DELAY (10 s).
    w.chain.advance(5).unwrap();
    let ids = ["x", "y"].map(|why| {
        request_id(
            &w.request_slash(&set, operator, vec![steth], vec![pct(10)], why)
                .unwrap()
                .ok()
                .unwrap(),
        )
    });
    w.chain.advance(4).unwrap();
    execute(&mut w, ids[0], &set, operator, pct(10), "x")
        .ok()
        .unwrap();
    w.chain.advance(2).unwrap();
    let late = execute(&mut w, ids[1], &set, operator, pct(10), "y");
    assert_eq!(
        late.revert::<OperatorNotSlashable>().unwrap(),
        OperatorNotSlashable {
            operator,
            avs: set.avs,
            id: 1
        }
    );
    assert_eq!(
        slash_request(&mut w, ids[1]).status,
        request_status::PENDING
    );
}

#[test]
fn repeated_ninety_nine_percent_slashes_never_overslash_and_keep_the_protocol_solvent() {
    let mut w = world();
    let steth = w.tokens.steth;
    let (alice, bob) = (w.stakers[0].address, w.stakers[1].address);
    let (operator, set) = operator_in_a_set(&mut w, &[10, 7], 1_000_000_000_000_000_000);
    // Bob has 2 of his 7 stETH in the withdrawal queue, slashable with the rest.
    let queue = IDelegationManager::queueWithdrawalsCall {
        params: vec![QueuedWithdrawalParams {
            strategies: vec![steth],
            depositShares: vec![ether(2)],
        }],
    };
    w.chain
        .tx(bob, w.delegation_manager, &queue)
        .unwrap()
        .ok()
        .unwrap();
    let withdrawal = w
        .chain
        .read(
            w.delegation_manager,
            &IDelegationManager::queuedWithdrawalsCall { staker: bob },
        )
        .unwrap()
        ._0[0]
        .withdrawal
        .clone();

    let mut previous = [withdrawable(&mut w, alice), withdrawable(&mut w, bob)];
    let mut burned = U256::ZERO;
    let mut m = 1_000_000_000_000_000_000u64;
    for step in 1..=9u64 {
        let before = operator_shares(&mut w, operator);
        let r = w
            .slash(&set, operator, vec![steth], vec![pct(99)])
            .unwrap()
            .ok()
            .unwrap();
        let out = outcome(&r);
        // ⌈m·0.99⌉ leaves ⌊m/100⌋: exactly 10^(18 − 2·step).
        m -= u64::try_from((u128::from(m) * 99).div_ceil(100)).unwrap();
        assert_eq!(m, 10u64.pow(u32::try_from(18 - 2 * step).unwrap()));
        assert_eq!(max_magnitude(&mut w, operator), m);
        // Never more than the operator's shares plus Bob's queued 2 stETH could still lose.
        assert!(out.sharesSlashed[0] <= before + ether(2));
        burned += clear(&mut w, &set, out.slashId);
        let now = [withdrawable(&mut w, alice), withdrawable(&mut w, bob)];
        for (i, staker) in [alice, bob].into_iter().enumerate() {
            assert_eq!(now[i], formula(&mut w, staker, m), "step {step}");
            assert!(now[i] <= previous[i]);
        }
        // Operator shares never fall below what the stakers can withdraw.
        assert!(operator_shares(&mut w, operator) >= now[0] + now[1]);
        // Solvency: the StrategyManager holds at least the tokens of every share still out.
        let held = w.balance(steth, w.sm).unwrap();
        let total = w
            .chain
            .read(w.sm, &IStrategyManager::totalSharesCall { strategy: steth })
            .unwrap()
            ._0;
        let owed = w
            .chain
            .read(
                w.sm,
                &IStrategyManager::sharesToTokensCall {
                    strategy: steth,
                    shares: total,
                },
            )
            .unwrap()
            ._0;
        assert!(owed <= held, "step {step}: owes {owed}, holds {held}");
        assert_eq!(held + burned, ether(17));
        previous = now;
    }
    // Everything still withdrawable is paid out in full: Alice her 10 stETH × 1e-18, Bob his
    // queued 2 stETH × 1e-18 (the magnitude at the end of his delay).
    assert_eq!(previous, [U256::from(10), U256::from(5)]);
    w.chain.advance(WITHDRAWAL_DELAY + 1).unwrap();
    let bob_before = w.balance(steth, bob).unwrap();
    let complete = IDelegationManager::completeQueuedWithdrawalCall {
        withdrawal,
        receiveAsTokens: true,
    };
    w.chain
        .tx(bob, w.delegation_manager, &complete)
        .unwrap()
        .ok()
        .unwrap();
    assert_eq!(w.balance(steth, bob).unwrap(), bob_before + U256::from(2));
}

/// Gas of a 10% slash of an operator with `delegators` stakers of 1 stETH each.
fn slash_gas(delegators: usize) -> u64 {
    let mut w = WorldBuilder::new()
        .stakers(1)
        .real_delegation_manager()
        .build(integration::backend().unwrap())
        .unwrap();
    w.slash_gas_with_delegators(delegators).unwrap()
}

#[test]
fn a_slash_costs_the_same_with_one_or_a_thousand_delegators() {
    let (one, thousand) = (slash_gas(1), slash_gas(1_000));
    let diff = one.abs_diff(thousand);
    assert!(
        diff * 100 < one,
        "1 delegator: {one} gas, 1,000: {thousand} gas"
    );
}

fn queue(w: &mut W, staker: Address, shares: U256) -> Outcome {
    let queue = IDelegationManager::queueWithdrawalsCall {
        params: vec![QueuedWithdrawalParams {
            strategies: vec![w.tokens.steth],
            depositShares: vec![shares],
        }],
    };
    w.chain.tx(staker, w.delegation_manager, &queue).unwrap()
}

fn total_shares(w: &mut W) -> U256 {
    let call = IStrategyManager::totalSharesCall {
        strategy: w.tokens.steth,
    };
    w.chain.read(w.sm, &call).unwrap()._0
}

fn slashable_in_queue(w: &mut W, operator: Address) -> U256 {
    let call = IDelegationManager::slashableSharesInQueueCall {
        operator,
        strategy: w.tokens.steth,
    };
    w.chain.read(w.delegation_manager, &call).unwrap()._0
}

/// Review finding 3: three withdrawals of `1e18 + 1` shares each leave a remainder the operator
/// shares never held; valuing the queue at `⌊Σq·m/WAD⌋` counted it twice, and a full slash then
/// asked the StrategyManager for 2 shares more than exist (`InsufficientShares(27e18, 27e18+2)`).
/// The queue is now valued at what its withdrawals hold: the full slash takes exactly every share.
#[test]
fn a_full_slash_after_odd_withdrawals_takes_exactly_every_share() {
    let mut w = WorldBuilder::new()
        .stakers(3)
        .real_delegation_manager()
        .build(integration::backend().unwrap())
        .unwrap();
    let (operator, set) = operator_in_a_set(&mut w, &[10, 10, 10], 1_000_000_000_000_000_000);
    w.slash(&set, operator, vec![w.tokens.steth], vec![pct(10)])
        .unwrap()
        .ok()
        .unwrap();
    assert_eq!(clear(&mut w, &set, U256::from(1)), ether(3));
    assert_eq!(total_shares(&mut w), ether(27));
    let odd = ether(1) + U256::from(1);
    for i in 0..3 {
        let staker = w.stakers[i].address;
        queue(&mut w, staker, odd).ok().unwrap();
    }
    // Each withdrawal took ⌊(1e18+1)·0.9⌋ = 0.9e18 from the operator shares.
    assert_eq!(
        operator_shares(&mut w, operator),
        ether(27) - ether(27) / U256::from(10)
    );
    let queued = ether(27) / U256::from(10);
    assert_eq!(slashable_in_queue(&mut w, operator), queued);
    let preview = IAllocationManager::previewSlashCall {
        avs: set.avs,
        params: SlashingParams {
            operator,
            operatorSetId: set.id,
            strategies: vec![w.tokens.steth],
            wadsToSlash: vec![WAD],
            description: String::new(),
        },
    };
    let previewed = w
        .chain
        .read(w.allocation_manager, &preview)
        .unwrap()
        .outcome;
    let r = w
        .slash(&set, operator, vec![w.tokens.steth], vec![WAD])
        .unwrap()
        .ok()
        .unwrap();
    let out = outcome(&r);
    assert_eq!(out.sharesSlashed, vec![ether(27)]);
    assert_eq!(previewed.sharesSlashed, out.sharesSlashed);
    assert_eq!(previewed.magnitudesSlashed, out.magnitudesSlashed);
    assert!(r.emitted(&SlashedSharesRecorded {
        avs: set.avs,
        operatorSetId: set.id,
        slashId: U256::from(2),
        strategy: w.tokens.steth,
        shares: ether(27),
    }));
    assert_eq!(clear(&mut w, &set, U256::from(2)), ether(27));
    assert_eq!(total_shares(&mut w), U256::ZERO);
    assert_eq!(operator_shares(&mut w, operator), U256::ZERO);
}

/// Review finding 4: `previewSlash` on the real contracts (the AllocationManager reads the
/// DelegationManager's queue without it calling back) says exactly what the slash then takes, from
/// the operator and from a queued withdrawal.
#[test]
fn preview_slash_on_the_real_contracts_matches_the_slash() {
    let mut w = world();
    let steth = w.tokens.steth;
    let (operator, set) = operator_in_a_set(&mut w, &[10, 7], 600_000_000_000_000_000);
    let bob = w.stakers[1].address;
    queue(&mut w, bob, ether(3) + U256::from(7)).ok().unwrap();
    let preview = IAllocationManager::previewSlashCall {
        avs: set.avs,
        params: SlashingParams {
            operator,
            operatorSetId: set.id,
            strategies: vec![steth],
            wadsToSlash: vec![pct(25)],
            description: String::new(),
        },
    };
    let previewed = w
        .chain
        .read(w.allocation_manager, &preview)
        .unwrap()
        .outcome;
    let r = w
        .slash(&set, operator, vec![steth], vec![pct(25)])
        .unwrap()
        .ok()
        .unwrap();
    let out = outcome(&r);
    assert_eq!(previewed, out);
    // 25% of a 60% allocation: 15% of everything, operator shares and the queued withdrawal.
    assert_eq!(out.magnitudesSlashed, vec![150_000_000_000_000_000]);
    let queued = ether(3) + U256::from(7);
    let from_queue = queued - (queued * U256::from(85)).div_ceil(U256::from(100));
    let held = ether(17) - queued;
    let from_operator = held - (held * U256::from(85)).div_ceil(U256::from(100));
    assert_eq!(out.sharesSlashed, vec![from_operator + from_queue]);
    // Review finding 11: the operator's part has its own event (no staker), so an indexer can
    // follow operator shares from events alone.
    assert!(r.emitted(&OperatorSharesDecreased {
        operator,
        staker: Address::ZERO,
        strategy: steth,
        shares: from_operator,
    }));
    assert_eq!(operator_shares(&mut w, operator), held - from_operator);
}

#[derive(Clone, Debug)]
enum QueueStep {
    Queue {
        staker: usize,
        shares: u64,
        odd: u64,
    },
    Slash {
        percent: u64,
    },
    Warp {
        seconds: u64,
    },
}

fn queue_step() -> impl proptest::strategy::Strategy<Value = QueueStep> {
    use proptest::prelude::*;
    prop_oneof![
        4 => (0usize..3, 0u64..4, 0u64..1_000).prop_map(|(staker, shares, odd)| QueueStep::Queue { staker, shares, odd }),
        3 => (1u64..=60).prop_map(|percent| QueueStep::Slash { percent }),
        1 => (1u64..=WITHDRAWAL_DELAY + 2).prop_map(|seconds| QueueStep::Warp { seconds }),
    ]
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(12))]
    /// Review finding 3's invariant, over random withdrawals of odd sizes, slashes and clock
    /// jumps: the operator's shares plus what a slash can still take from its queue never exceed
    /// the shares in the StrategyManager (slashed shares are cleared at once), and a final full
    /// slash always goes through and leaves the StrategyManager whole.
    #[test]
    fn operator_and_queued_shares_never_exceed_the_shares_behind_them(
        steps in proptest::collection::vec(queue_step(), 1..14)
    ) {
        let mut w = WorldBuilder::new()
            .stakers(3)
            .real_delegation_manager()
            .build(Box::new(devnode::Devnode::new()) as Box<dyn Backend>)
            .unwrap();
        let (operator, set) = operator_in_a_set(&mut w, &[10, 10, 10], 1_000_000_000_000_000_000);
        let mut slash_id = 0u64;
        let check = |w: &mut W| {
            let backed = total_shares(w);
            let claimed = operator_shares(w, operator) + slashable_in_queue(w, operator);
            assert!(claimed <= backed, "{claimed} > {backed}");
        };
        for step in &steps {
            match *step {
                QueueStep::Queue { staker, shares, odd } => {
                    let who = w.stakers[staker].address;
                    let amount = ether(shares) + U256::from(odd) * U256::from(1_000_003u64);
                    let _ = queue(&mut w, who, amount);
                }
                QueueStep::Slash { percent } => {
                    let r = w.slash(&set, operator, vec![w.tokens.steth], vec![pct(percent)]).unwrap();
                    if r.status {
                        slash_id += 1;
                        if !outcome(&r).sharesSlashed[0].is_zero() {
                            clear(&mut w, &set, U256::from(slash_id));
                        }
                    }
                }
                QueueStep::Warp { seconds } => w.chain.advance(seconds).unwrap(),
            }
            check(&mut w);
        }
        let r = w.slash(&set, operator, vec![w.tokens.steth], vec![WAD]).unwrap().ok().unwrap();
        let taken = outcome(&r).sharesSlashed[0];
        proptest::prop_assert!(taken <= total_shares(&mut w));
        check(&mut w);
    }
}

/// Review finding 6: stake that leaves when a policy change is announced stays slashable through
/// `now + delay`, under the old policy; the new one starts one second later, so an AVS cannot
/// switch from veto to instant and slash, unvetoed, stake that left in the same second.
#[test]
fn a_new_policy_starts_strictly_after_the_stake_it_could_reach_left() {
    let mut w = world();
    let steth = w.tokens.steth;
    let (operator, set) = operator_in_a_set(&mut w, &[10, 7], 1_000_000_000_000_000_000);
    let resolver = Actor::named("resolver");
    w.chain.register(&resolver).unwrap();
    put_in_force(&mut w, &set, veto_config(resolver.address, 3));
    let t0 = w.chain.timestamp();
    let bob = w.stakers[1].address;
    queue(&mut w, bob, ether(2)).ok().unwrap();
    let queued = w
        .set_slasher_config(&set, instant_config())
        .unwrap()
        .ok()
        .unwrap();
    assert!(queued.emitted(&SlasherConfigQueued {
        avs: set.avs,
        operatorSetId: 1,
        config: instant_config(),
        effectTimestamp: t0 + WITHDRAWAL_DELAY + 1,
    }));
    // The last second Bob's withdrawal is slashable: still the veto policy.
    w.chain.advance(WITHDRAWAL_DELAY).unwrap();
    assert_eq!(slashable_in_queue(&mut w, operator), ether(2));
    let refused = w.slash(&set, operator, vec![steth], vec![pct(10)]).unwrap();
    assert_eq!(
        refused.revert::<WrongSlashMode>().unwrap().mode,
        slash_mode::VETO
    );
    // One second later the withdrawal is out of reach, and the instant policy in force.
    w.chain.advance(1).unwrap();
    assert_eq!(slashable_in_queue(&mut w, operator), U256::ZERO);
    let r = w
        .slash(&set, operator, vec![steth], vec![pct(10)])
        .unwrap()
        .ok()
        .unwrap();
    assert_eq!(outcome(&r).sharesSlashed, vec![ether(15) / U256::from(10)]);
}

fn instant_config() -> SlasherConfig {
    SlasherConfig {
        slasher: Address::ZERO,
        mode: slash_mode::INSTANT,
        resolver: Address::ZERO,
        vetoWindow: 0,
        maxWadPerWindow: U256::ZERO,
        window: 0,
    }
}

/// Review finding 11: pausing slashing holds pending requests back but never voids them. The
/// seconds slashing was paused are added to a request's staleness deadline, so a request whose
/// window closed during the pause still executes after the unpause, for as long as it had left.
#[test]
fn a_pause_of_slashing_does_not_let_a_request_go_stale() {
    let mut w = world();
    let steth = w.tokens.steth;
    let (operator, set) = operator_in_a_set(&mut w, &[10], 1_000_000_000_000_000_000);
    let resolver = Actor::named("resolver");
    w.chain.register(&resolver).unwrap();
    put_in_force(&mut w, &set, veto_config(resolver.address, 3));
    let requested = w
        .request_slash(&set, operator, vec![steth], vec![pct(10)], "late")
        .unwrap()
        .ok()
        .unwrap();
    let id = request_id(&requested);
    let t_r = w.chain.timestamp();
    assert_eq!(slash_request(&mut w, id).staleAt, t_r + WITHDRAWAL_DELAY);
    w.chain.advance(4).unwrap();
    let owner = w.owner.address;
    let bit = U256::from(1);
    w.chain
        .tx(owner, w.slasher, &IAdmin::pauseCall { bits: bit })
        .unwrap()
        .ok()
        .unwrap();
    let paused = execute(&mut w, id, &set, operator, pct(10), "late");
    assert_eq!(
        paused.revert::<ActionPaused>().unwrap(),
        ActionPaused {
            bit: pause::SLASHING
        }
    );
    // The pause outlasts the request's original deadline.
    w.chain.advance(WITHDRAWAL_DELAY).unwrap();
    assert_eq!(
        slash_request(&mut w, id).staleAt,
        t_r + 2 * WITHDRAWAL_DELAY
    );
    w.chain
        .tx(owner, w.slasher, &IAdmin::unpauseCall { bits: bit })
        .unwrap()
        .ok()
        .unwrap();
    assert_eq!(
        slash_request(&mut w, id).staleAt,
        t_r + 2 * WITHDRAWAL_DELAY
    );
    let done = execute(&mut w, id, &set, operator, pct(10), "late");
    assert_eq!(outcome(&done.ok().unwrap()).sharesSlashed, vec![ether(1)]);
    // A second request still goes stale the withdrawal delay after it was made (no pause since).
    let second = request_id(
        &w.request_slash(&set, operator, vec![steth], vec![pct(10)], "again")
            .unwrap()
            .ok()
            .unwrap(),
    );
    let t_s = w.chain.timestamp();
    w.chain.advance(WITHDRAWAL_DELAY + 1).unwrap();
    let stale = execute(&mut w, second, &set, operator, pct(10), "again");
    assert_eq!(
        stale.revert::<SlashRequestStale>().unwrap(),
        SlashRequestStale {
            requestId: second,
            staleAt: t_s + WITHDRAWAL_DELAY,
        }
    );
}

/// Review finding 11: the rate cap bounds what the AllocationManager actually takes. On an
/// allocation of 3 units of magnitude, a 1% slash takes `⌈3·1%⌉ = 1` unit, a third of it: the cap
/// counts a third, not 1%.
#[test]
fn the_rate_cap_counts_what_the_allocation_manager_takes() {
    let mut w = world();
    let steth = w.tokens.steth;
    let (operator, set) = operator_in_a_set(&mut w, &[10], 3);
    let capped = |max: U256| SlasherConfig {
        slasher: Address::ZERO,
        mode: slash_mode::INSTANT,
        resolver: Address::ZERO,
        vetoWindow: 0,
        maxWadPerWindow: max,
        window: 20,
    };
    put_in_force(&mut w, &set, capped(pct(10)));
    let refused = w.slash(&set, operator, vec![steth], vec![pct(1)]).unwrap();
    assert_eq!(
        refused.revert::<SlashCapExceeded>().unwrap(),
        SlashCapExceeded {
            strategy: steth,
            usedWad: U256::ZERO,
            maxWad: pct(10),
        }
    );
    assert_eq!(current_magnitude(&mut w, operator, &set), 3);
    put_in_force(&mut w, &set, capped(pct(40)));
    let r = w
        .slash(&set, operator, vec![steth], vec![pct(1)])
        .unwrap()
        .ok()
        .unwrap();
    assert_eq!(outcome(&r).magnitudesSlashed, vec![1]);
    let view = ISlasher::getSlashedWadCall {
        operatorSet: set.clone(),
        operator,
        strategy: steth,
    };
    let used = w.chain.read(w.slasher, &view).unwrap();
    let third = (WAD + U256::from(2)) / U256::from(3);
    assert_eq!((used.usedWad, used.maxWad), (third, pct(40)));
}
