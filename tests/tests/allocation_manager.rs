//! The AllocationManager through the real WASM of its core and extension, with the real
//! DelegationManager and StrategyManager: an AVS creates a set, an operator registers and
//! allocates; an allocation becomes slashable only after the operator's allocation delay; a
//! deallocation and a deregistration stay slashable through the deallocation delay; registrars
//! reject by reverting.

#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

use alloy_primitives::{Address, Bytes, U256};
use alloy_sol_types::{SolCall, SolError};
use integration::{
    Actor, Backend, BackendExt, IMockRegistrar, World, WorldBuilder, DEALLOCATION_DELAY,
};
use restaking_abi::abi::*;

type W = World<Box<dyn Backend>>;

const WAD64: u64 = 1_000_000_000_000_000_000;

fn ether(n: u64) -> U256 {
    U256::from(n) * U256::from(10u64).pow(U256::from(18u64))
}

fn world() -> W {
    WorldBuilder::new()
        .real_delegation_manager()
        .build(integration::backend().unwrap())
        .unwrap()
}

/// An operator with allocation delay `delay`, the first staker's 10 stETH delegated to it, and
/// set 1 of a fresh AVS over stETH which the operator joined.
fn operator_in_a_set(w: &mut W, delay: u32) -> (Address, OperatorSet) {
    let steth = w.tokens.steth;
    let operator = w.register_operator("operator", delay).unwrap().address;
    let staker = w.stakers[0].address;
    w.deposit(staker, steth, ether(10)).unwrap().ok().unwrap();
    w.delegate(staker, operator).unwrap().ok().unwrap();
    let avs = Actor::named("avs");
    w.create_operator_set(&avs, 1, vec![steth], Address::ZERO)
        .unwrap()
        .ok()
        .unwrap();
    w.join(operator, avs.address, vec![1])
        .unwrap()
        .ok()
        .unwrap();
    (
        operator,
        OperatorSet {
            avs: avs.address,
            id: 1,
        },
    )
}

fn allocation(w: &mut W, operator: Address, set: &OperatorSet) -> Allocation {
    let call = IAllocationManager::getAllocationCall {
        operator,
        operatorSet: set.clone(),
        strategy: w.tokens.steth,
    };
    w.chain.read(w.allocation_manager, &call).unwrap()._0
}

fn allocated_stake(w: &mut W, operator: Address, set: &OperatorSet) -> U256 {
    let call = IAllocationManager::getAllocatedStakeCall {
        operatorSet: set.clone(),
        operators: vec![operator],
        strategies: vec![w.tokens.steth],
    };
    w.chain.read(w.allocation_manager, &call).unwrap()._0[0][0]
}

fn encumbered(w: &mut W, operator: Address) -> u64 {
    let call = IAllocationManager::getEncumberedMagnitudeCall {
        operator,
        strategy: w.tokens.steth,
    };
    w.chain.read(w.allocation_manager, &call).unwrap()._0
}

/// What a 10% slash of the set would take now, in shares.
fn slash_tenth(w: &mut W, operator: Address, set: &OperatorSet) -> Result<SlashOutcome, Bytes> {
    let steth = w.tokens.steth;
    let r = w
        .slash(set, operator, vec![steth], vec![U256::from(WAD64 / 10)])
        .unwrap();
    if r.status {
        Ok(
            IAllocationManager::applySlashCall::abi_decode_returns(&r.output, true)
                .unwrap()
                .outcome,
        )
    } else {
        Err(r.output)
    }
}

#[test]
fn an_allocation_becomes_slashable_only_after_the_allocation_delay() {
    let mut w = world();
    let (operator, set) = operator_in_a_set(&mut w, 3);
    let start = w.chain.timestamp();
    w.allocate(operator, set.clone(), vec![w.tokens.steth], vec![WAD64 / 2])
        .unwrap()
        .ok()
        .unwrap();
    let pending = allocation(&mut w, operator, &set);
    assert_eq!(pending.currentMagnitude, 0);
    assert_eq!(pending.pendingDiff, i128::from(WAD64 / 2));
    assert!(pending.effectTimestamp > start && pending.effectTimestamp <= start + 4);
    assert_eq!(allocated_stake(&mut w, operator, &set), U256::ZERO);
    // A slash before the effect takes nothing.
    let outcome = slash_tenth(&mut w, operator, &set).unwrap();
    assert_eq!(outcome.magnitudesSlashed, vec![0]);
    assert_eq!(outcome.sharesSlashed, vec![U256::ZERO]);

    w.chain.advance(4).unwrap();
    let live = allocation(&mut w, operator, &set);
    assert_eq!(
        (
            live.currentMagnitude,
            live.pendingDiff,
            live.effectTimestamp
        ),
        (WAD64 / 2, 0, 0)
    );
    assert_eq!(allocated_stake(&mut w, operator, &set), ether(5));
    // 10% of half the stake: 0.5 ether of the operator's 10.
    let outcome = slash_tenth(&mut w, operator, &set).unwrap();
    assert_eq!(outcome.slashId, U256::from(2));
    assert_eq!(outcome.magnitudesSlashed, vec![WAD64 / 20]);
    assert_eq!(outcome.sharesSlashed, vec![ether(1) / U256::from(2)]);
    let shares = IDelegationManager::operatorSharesCall {
        operator,
        strategy: w.tokens.steth,
    };
    assert_eq!(
        w.chain.read(w.delegation_manager, &shares).unwrap()._0,
        ether(95) / U256::from(10)
    );
}

#[test]
fn a_deallocation_stays_slashable_through_the_deallocation_delay() {
    let mut w = world();
    let steth = w.tokens.steth;
    let (operator, set) = operator_in_a_set(&mut w, 0);
    w.allocate(operator, set.clone(), vec![steth], vec![WAD64 / 2])
        .unwrap()
        .ok()
        .unwrap();
    let start = w.chain.timestamp();
    w.allocate(operator, set.clone(), vec![steth], vec![WAD64 / 10])
        .unwrap()
        .ok()
        .unwrap();
    let pending = allocation(&mut w, operator, &set);
    let effect = pending.effectTimestamp;
    assert!(effect > start + DEALLOCATION_DELAY && effect <= start + DEALLOCATION_DELAY + 2);
    assert_eq!(pending.pendingDiff, -i128::from(WAD64 / 10 * 4));
    assert_eq!(encumbered(&mut w, operator), WAD64 / 2);

    // The last second of the window: the whole half is still slashable.
    let now = w.chain.timestamp();
    w.chain.advance(effect - now - 1).unwrap();
    assert_eq!(allocated_stake(&mut w, operator, &set), ether(5));
    let outcome = slash_tenth(&mut w, operator, &set).unwrap();
    assert_eq!(outcome.magnitudesSlashed, vec![WAD64 / 20]);
    // The pending decrease shrank by 10% too: 0.45 left, 0.36 leaving.
    let after = allocation(&mut w, operator, &set);
    assert_eq!(after.currentMagnitude, WAD64 / 100 * 45);
    assert_eq!(after.pendingDiff, -i128::from(WAD64 / 100 * 36));
    assert_eq!(encumbered(&mut w, operator), WAD64 / 100 * 45);

    // Past the effect time the allocation reads 0.09; the magnitude is freed once cleared.
    w.chain.advance(1).unwrap();
    let done = allocation(&mut w, operator, &set);
    assert_eq!(
        (
            done.currentMagnitude,
            done.pendingDiff,
            done.effectTimestamp
        ),
        (WAD64 / 100 * 9, 0, 0)
    );
    assert_eq!(encumbered(&mut w, operator), WAD64 / 100 * 45);
    let clear = IAllocationManager::clearDeallocationQueueCall {
        operator,
        strategies: vec![steth],
        numToClear: vec![1],
    };
    let anyone = w.stakers[1].address;
    let r = w
        .chain
        .tx(anyone, w.allocation_manager, &clear)
        .unwrap()
        .ok()
        .unwrap();
    assert!(r.emitted(&EncumberedMagnitudeUpdated {
        operator,
        strategy: steth,
        encumberedMagnitude: WAD64 / 100 * 9,
    }));
    assert_eq!(encumbered(&mut w, operator), WAD64 / 100 * 9);
    let outcome = slash_tenth(&mut w, operator, &set).unwrap();
    assert_eq!(outcome.magnitudesSlashed, vec![WAD64 / 1_000 * 9]);
}

#[test]
fn a_deregistered_operator_is_slashable_only_within_the_deallocation_delay() {
    let mut w = world();
    let steth = w.tokens.steth;
    let (operator, set) = operator_in_a_set(&mut w, 0);
    w.allocate(operator, set.clone(), vec![steth], vec![WAD64 / 2])
        .unwrap()
        .ok()
        .unwrap();
    let leave = IAllocationManager::deregisterFromOperatorSetsCall {
        operator,
        avs: set.avs,
        operatorSetIds: vec![1],
    };
    let r = w
        .chain
        .tx(operator, w.allocation_manager, &leave)
        .unwrap()
        .ok()
        .unwrap();
    let until = w.chain.timestamp() + DEALLOCATION_DELAY;
    let removed = OperatorRemovedFromOperatorSet {
        operator,
        avs: set.avs,
        operatorSetId: 1,
        slashableUntil: until,
    };
    assert!(r.emitted(&removed));
    // Deallocating now waits: the set can still slash.
    w.allocate(operator, set.clone(), vec![steth], vec![0])
        .unwrap()
        .ok()
        .unwrap();
    assert!(allocation(&mut w, operator, &set).pendingDiff < 0);

    let now = w.chain.timestamp();
    w.chain.advance(until - now).unwrap();
    let slashable = IAllocationManager::isOperatorSlashableCall {
        operator,
        operatorSet: set.clone(),
    };
    assert!(w.chain.read(w.allocation_manager, &slashable).unwrap()._0);
    assert_eq!(
        slash_tenth(&mut w, operator, &set)
            .unwrap()
            .magnitudesSlashed,
        vec![WAD64 / 20]
    );

    w.chain.advance(1).unwrap();
    assert!(!w.chain.read(w.allocation_manager, &slashable).unwrap()._0);
    let err = slash_tenth(&mut w, operator, &set).unwrap_err();
    assert_eq!(
        OperatorNotSlashable::abi_decode(&err, true).unwrap(),
        OperatorNotSlashable {
            operator,
            avs: set.avs,
            id: 1
        }
    );
    // Out of the window it may join again.
    w.join(operator, set.avs, vec![1]).unwrap().ok().unwrap();
}

#[test]
fn registrars_reject_by_reverting_and_must_support_their_avs() {
    let mut w = world();
    let owner = w.owner.address;
    let am = w.allocation_manager;
    let registrar = w
        .chain
        .deploy(
            owner,
            &integration::contract_code("mock-registrar").unwrap(),
            None,
        )
        .unwrap();
    let operator = w.register_operator("operator", 0).unwrap().address;
    let avs = Actor::named("avs");
    w.create_operator_set(&avs, 1, vec![w.tokens.steth], Address::ZERO)
        .unwrap()
        .ok()
        .unwrap();
    let set_registrar = |registrar| IAllocationManager::setAvsRegistrarCall {
        avs: avs.address,
        registrar,
    };
    // An account without code and a contract that does not support the AVS are refused.
    let stranger = Actor::named("stranger").address;
    for candidate in [stranger, registrar] {
        let r = w
            .chain
            .tx(avs.address, am, &set_registrar(candidate))
            .unwrap();
        assert_eq!(
            r.revert::<RegistrarNotForAvs>().unwrap(),
            RegistrarNotForAvs {
                registrar: candidate,
                avs: avs.address
            }
        );
    }
    let support = IMockRegistrar::setSupportedCall {
        avs: avs.address,
        yes: true,
    };
    w.chain
        .tx(owner, registrar, &support)
        .unwrap()
        .ok()
        .unwrap();
    w.chain
        .tx(avs.address, am, &set_registrar(registrar))
        .unwrap()
        .ok()
        .unwrap();

    let join = |data: &[u8]| IAllocationManager::registerForOperatorSetsCall {
        operator,
        avs: avs.address,
        operatorSetIds: vec![1],
        data: Bytes::copy_from_slice(data),
    };
    let members = IAllocationManager::getMembersCall {
        operatorSet: OperatorSet {
            avs: avs.address,
            id: 1,
        },
    };
    let reason = b"operator not on the allowlist".to_vec();
    for (mode, data) in [(1u8, Vec::new()), (2, reason)] {
        let behave = IMockRegistrar::setBehaviourCall {
            mode,
            data: data.clone().into(),
        };
        w.chain.tx(owner, registrar, &behave).unwrap().ok().unwrap();
        let r = w.chain.tx(operator, am, &join(b"hello")).unwrap();
        assert_eq!(
            r.revert::<RegistrarRejected>().unwrap(),
            RegistrarRejected {
                registrar,
                reason: data.into()
            }
        );
        assert!(w.chain.read(am, &members).unwrap()._0.is_empty());
    }
    let accept = IMockRegistrar::setBehaviourCall {
        mode: 0,
        data: Bytes::new(),
    };
    w.chain.tx(owner, registrar, &accept).unwrap().ok().unwrap();
    w.chain
        .tx(operator, am, &join(b"hello"))
        .unwrap()
        .ok()
        .unwrap();
    assert_eq!(w.chain.read(am, &members).unwrap()._0, vec![operator]);
    let seen = w
        .chain
        .read(registrar, &IMockRegistrar::lastDataCall {})
        .unwrap()
        ._0;
    assert_eq!(seen.as_ref(), b"hello");
    let count = IMockRegistrar::registrationsCall { operator };
    assert_eq!(w.chain.read(registrar, &count).unwrap()._0, U256::from(1));
}

#[test]
fn max_magnitude_history_delay_changes_and_a_slash_that_settles_a_finished_deallocation() {
    let mut w = world();
    let steth = w.tokens.steth;
    let am = w.allocation_manager;
    let (operator, set) = operator_in_a_set(&mut w, 0);
    w.allocate(operator, set.clone(), vec![steth], vec![WAD64 / 2])
        .unwrap()
        .ok()
        .unwrap();
    // Three slashes at three times: each past time answers the value then.
    let mut times = Vec::new();
    for _ in 0..3 {
        w.chain.advance(2).unwrap();
        slash_tenth(&mut w, operator, &set).unwrap();
        times.push(w.chain.timestamp());
    }
    // 0.5 → 0.45 → 0.405 → 0.3645 of the allocation; max falls by the same amounts.
    let expected = [
        WAD64 - WAD64 / 20,
        WAD64 - WAD64 / 20 - WAD64 / 200 * 9,
        WAD64 - WAD64 / 20 - WAD64 / 200 * 9 - WAD64 / 2_000 * 81,
    ];
    let at = |w: &mut W, timestamp| {
        let call = IAllocationManager::getMaxMagnitudeAtCall {
            operator,
            strategy: steth,
            timestamp,
        };
        w.chain.read(am, &call).unwrap()._0
    };
    assert_eq!(at(&mut w, times[0] - 1), WAD64);
    for (i, &t) in times.iter().enumerate() {
        assert_eq!(at(&mut w, t), expected[i]);
        assert_eq!(at(&mut w, t + 1), expected[i]);
    }

    // A new allocation delay takes over after the configuration delay.
    let set_delay = IAllocationManager::setAllocationDelayCall { operator, delay: 7 };
    w.chain.tx(operator, am, &set_delay).unwrap().ok().unwrap();
    let delay = IAllocationManager::getAllocationDelayCall { operator };
    let r = w.chain.read(am, &delay).unwrap();
    assert_eq!((r.isSet, r.delay), (true, 0));
    w.chain
        .advance(integration::ALLOCATION_CONFIG_DELAY)
        .unwrap();
    let r = w.chain.read(am, &delay).unwrap();
    assert_eq!((r.isSet, r.delay), (true, 7));

    // Deallocate to 0.1; once that completes, a slash settles it without the queue and the
    // queue's entry is skipped later: the encumbered magnitude is exact either way.
    let current = allocation(&mut w, operator, &set).currentMagnitude;
    w.allocate(operator, set.clone(), vec![steth], vec![WAD64 / 10])
        .unwrap()
        .ok()
        .unwrap();
    w.chain.advance(DEALLOCATION_DELAY + 1).unwrap();
    assert_eq!(encumbered(&mut w, operator), current);
    let outcome = slash_tenth(&mut w, operator, &set).unwrap();
    assert_eq!(outcome.magnitudesSlashed, vec![WAD64 / 100]);
    assert_eq!(encumbered(&mut w, operator), WAD64 / 100 * 9);
    let clear = IAllocationManager::clearDeallocationQueueCall {
        operator,
        strategies: vec![steth],
        numToClear: vec![5],
    };
    w.chain.tx(operator, am, &clear).unwrap().ok().unwrap();
    assert_eq!(encumbered(&mut w, operator), WAD64 / 100 * 9);
}

/// A set's remaining surface: its members, its strategies as the AVS adds and removes them
/// (refusals by name), its registrar (none: the AVS itself), its slash count, and the stake it
/// can surely slash at a future time — all of it now, none once a deallocation to zero is due.
#[test]
fn a_set_s_members_strategies_slash_count_and_minimum_slashable_stake() {
    let mut w = world();
    let (operator, set) = operator_in_a_set(&mut w, 0);
    let (am, avs, steth, other) = (
        w.allocation_manager,
        set.avs,
        w.tokens.steth,
        w.tokens.rebasing,
    );
    let member = |w: &mut W, who: Address| {
        let call = IAllocationManager::isMemberOfOperatorSetCall {
            operator: who,
            operatorSet: set.clone(),
        };
        w.chain.read(am, &call).unwrap()._0
    };
    let stranger = w.stakers[1].address;
    assert!(member(&mut w, operator));
    assert!(!member(&mut w, stranger));
    let strategies = |w: &mut W| {
        let call = IAllocationManager::getStrategiesInOperatorSetCall {
            operatorSet: set.clone(),
        };
        w.chain.read(am, &call).unwrap()._0
    };
    assert_eq!(strategies(&mut w), vec![steth]);
    let add = IAllocationManager::addStrategiesToOperatorSetCall {
        avs,
        operatorSetId: 1,
        strategies: vec![other],
    };
    let out = w.chain.tx(avs, am, &add).unwrap().ok().unwrap();
    assert!(out.emitted(&StrategyAddedToOperatorSet {
        avs,
        operatorSetId: 1,
        strategy: other,
    }));
    assert_eq!(strategies(&mut w), vec![steth, other]);
    let again = w.chain.tx(avs, am, &add).unwrap();
    assert_eq!(
        again.revert::<StrategyAlreadyInSet>().unwrap(),
        StrategyAlreadyInSet {
            avs,
            id: 1,
            strategy: other
        }
    );
    let remove = IAllocationManager::removeStrategiesFromOperatorSetCall {
        avs,
        operatorSetId: 1,
        strategies: vec![other],
    };
    let refused = w.chain.tx(stranger, am, &remove).unwrap();
    assert_eq!(
        refused.revert::<Unauthorized>().unwrap(),
        Unauthorized { caller: stranger }
    );
    let out = w.chain.tx(avs, am, &remove).unwrap().ok().unwrap();
    assert!(out.emitted(&StrategyRemovedFromOperatorSet {
        avs,
        operatorSetId: 1,
        strategy: other,
    }));
    assert_eq!(strategies(&mut w), vec![steth]);
    let again = w.chain.tx(avs, am, &remove).unwrap();
    assert_eq!(
        again.revert::<StrategyNotInSet>().unwrap(),
        StrategyNotInSet {
            avs,
            id: 1,
            strategy: other
        }
    );
    let registrar = IAllocationManager::getAvsRegistrarCall { avs };
    assert_eq!(w.chain.read(am, &registrar).unwrap()._0, Address::ZERO);

    // Half the operator's 10 stETH allocated, then slashed by a tenth: the set's first slash.
    let slashes = |w: &mut W| {
        let call = IAllocationManager::getSlashCountCall {
            operatorSet: set.clone(),
        };
        w.chain.read(am, &call).unwrap()._0
    };
    assert_eq!(slashes(&mut w), U256::ZERO);
    w.allocate(operator, set.clone(), vec![steth], vec![WAD64 / 2])
        .unwrap()
        .ok()
        .unwrap();
    w.chain.advance(1).unwrap();
    assert_eq!(allocated_stake(&mut w, operator, &set), ether(5));
    let outcome = slash_tenth(&mut w, operator, &set).unwrap();
    assert_eq!(outcome.slashId, U256::from(1));
    assert_eq!(slashes(&mut w), U256::from(1));
    // 9.5 stETH of shares at magnitude 0.45 of 0.95: ⌊9.5e18·⌊0.45·WAD/0.95⌋/WAD⌋, 5 wei short
    // of 4.5 stETH, allocated and surely slashable.
    let minimum = |w: &mut W, at: u64| {
        let call = IAllocationManager::getMinimumSlashableStakeCall {
            operatorSet: set.clone(),
            operators: vec![operator],
            strategies: vec![steth],
            futureTimestamp: at,
        };
        w.chain.read(am, &call).unwrap()._0[0][0]
    };
    let now = w.chain.timestamp();
    let stake = ether(45) / U256::from(10) - U256::from(5);
    assert_eq!(allocated_stake(&mut w, operator, &set), stake);
    assert_eq!(minimum(&mut w, now), stake);
    // A deallocation to zero: still slashable until it is due, not after.
    w.allocate(operator, set.clone(), vec![steth], vec![0])
        .unwrap()
        .ok()
        .unwrap();
    let due = allocation(&mut w, operator, &set).effectTimestamp;
    assert_eq!(due, now + DEALLOCATION_DELAY + 1);
    assert_eq!(minimum(&mut w, due - 1), stake);
    assert_eq!(minimum(&mut w, due), U256::ZERO);
}
