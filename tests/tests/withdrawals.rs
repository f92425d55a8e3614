//! The withdrawal queue through the real WASM — the DelegationManager's core and its extension
//! (reached by `DELEGATECALL` from the core's fallback) with the real StrategyManager and
//! AllocationManager: queue, wait, complete as tokens or as shares; undelegate five strategies;
//! a slash during the delay that lowers the payout exactly.

#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

use alloy_primitives::{Address, B256, U256};
use alloy_sol_types::{SolCall, SolEvent, SolValue};
use integration::{Actor, Backend, BackendExt, World, WorldBuilder};
use restaking_abi::abi::*;

type W = World<Box<dyn Backend>>;

fn ether(n: u64) -> U256 {
    U256::from(n) * U256::from(10u64).pow(U256::from(18u64))
}

fn world() -> W {
    WorldBuilder::new()
        .real_delegation_manager()
        .build(integration::backend().unwrap())
        .unwrap()
}

fn no_signature() -> SignatureWithExpiry {
    SignatureWithExpiry {
        signature: alloy_primitives::Bytes::new(),
        expiry: U256::ZERO,
    }
}

fn queue(w: &mut W, staker: Address, strategies: Vec<Address>, shares: Vec<U256>) -> B256 {
    let call = IDelegationManager::queueWithdrawalsCall {
        params: vec![QueuedWithdrawalParams {
            strategies,
            depositShares: shares,
        }],
    };
    let out = w
        .chain
        .tx(staker, w.delegation_manager, &call)
        .unwrap()
        .ok()
        .unwrap();
    IDelegationManager::queueWithdrawalsCall::abi_decode_returns(&out.output, true)
        .unwrap()
        .withdrawalRoots[0]
}

fn queued(w: &mut W, staker: Address) -> Vec<QueuedWithdrawal> {
    w.chain
        .read(
            w.delegation_manager,
            &IDelegationManager::queuedWithdrawalsCall { staker },
        )
        .unwrap()
        ._0
}

fn complete(
    w: &mut W,
    staker: Address,
    withdrawal: &Withdrawal,
    as_tokens: bool,
) -> integration::Outcome {
    let call = IDelegationManager::completeQueuedWithdrawalCall {
        withdrawal: withdrawal.clone(),
        receiveAsTokens: as_tokens,
    };
    w.chain.tx(staker, w.delegation_manager, &call).unwrap()
}

fn operator_shares(w: &mut W, operator: Address, strategy: Address) -> U256 {
    w.chain
        .read(
            w.delegation_manager,
            &IDelegationManager::operatorSharesCall { operator, strategy },
        )
        .unwrap()
        ._0
}

#[test]
fn a_withdrawal_completes_after_the_delay_as_tokens_once() {
    let mut w = world();
    let (steth, dm) = (w.tokens.steth, w.delegation_manager);
    let alice = w.stakers[0].address;
    let operator = w.register_operator("operator", 0).unwrap().address;
    w.deposit(alice, steth, ether(10)).unwrap().ok().unwrap();
    w.delegate(alice, operator).unwrap().ok().unwrap();
    let before = w.balance(steth, alice).unwrap();

    let root = queue(&mut w, alice, vec![steth], vec![ether(4)]);
    assert_eq!(operator_shares(&mut w, operator, steth), ether(6));
    let pending = queued(&mut w, alice);
    assert_eq!(pending.len(), 1);
    let withdrawal = pending[0].withdrawal.clone();
    assert_eq!(withdrawal.staker, alice);
    assert_eq!(withdrawal.delegatedTo, operator);
    assert_eq!(withdrawal.scaledShares, vec![ether(4)]);
    assert_eq!(pending[0].shares, vec![ether(4)]);
    assert_eq!(
        alloy_primitives::keccak256(withdrawal.abi_encode()),
        root,
        "the root is keccak256(abi.encode(withdrawal)) as Solidity computes it"
    );

    let early: WithdrawalDelayNotPassed =
        complete(&mut w, alice, &withdrawal, true).revert().unwrap();
    assert_eq!(
        early.completableAt,
        withdrawal.startTimestamp + integration::WITHDRAWAL_DELAY + 1
    );
    w.chain.advance(integration::WITHDRAWAL_DELAY + 1).unwrap();
    // Someone else cannot complete it.
    let bob = w.stakers[1].address;
    let err: Unauthorized = complete(&mut w, bob, &withdrawal, true).revert().unwrap();
    assert_eq!(err.caller, bob);

    let out = complete(&mut w, alice, &withdrawal, true).ok().unwrap();
    assert!(
        out.logs
            .iter()
            .any(|l| l.address == dm
                && l.topics.first() == Some(&WithdrawalCompleted::SIGNATURE_HASH))
    );
    assert_eq!(w.balance(steth, alice).unwrap(), before + ether(4));
    assert!(queued(&mut w, alice).is_empty());
    let twice: WithdrawalNotQueued = complete(&mut w, alice, &withdrawal, true).revert().unwrap();
    assert_eq!(twice.root, root);
}

#[test]
fn a_withdrawal_completed_as_shares_joins_the_current_operator() {
    let mut w = world();
    let steth = w.tokens.steth;
    let alice = w.stakers[0].address;
    let (first, second) = (
        w.register_operator("first", 0).unwrap().address,
        w.register_operator("second", 0).unwrap().address,
    );
    w.deposit(alice, steth, ether(10)).unwrap().ok().unwrap();
    w.delegate(alice, first).unwrap().ok().unwrap();
    let call = IDelegationManager::redelegateCall {
        newOperator: second,
        approverSignature: no_signature(),
        approverSalt: B256::ZERO,
    };
    w.chain
        .tx(alice, w.delegation_manager, &call)
        .unwrap()
        .ok()
        .unwrap();
    assert_eq!(operator_shares(&mut w, first, steth), U256::ZERO);
    assert_eq!(operator_shares(&mut w, second, steth), U256::ZERO);
    let withdrawal = queued(&mut w, alice)[0].withdrawal.clone();
    assert_eq!(withdrawal.delegatedTo, first);
    w.chain.advance(integration::WITHDRAWAL_DELAY + 1).unwrap();
    complete(&mut w, alice, &withdrawal, false).ok().unwrap();
    assert_eq!(w.shares(alice, steth).unwrap(), ether(10));
    assert_eq!(operator_shares(&mut w, second, steth), ether(10));
}

#[test]
fn undelegating_five_strategies_queues_five_withdrawals() {
    let mut w = world();
    let alice = w.stakers[0].address;
    // A fifth token next to the four of every world.
    let fifth = w.add_token("cbETH", ether(1)).unwrap();
    let mut strategies = w.tokens.all().to_vec();
    strategies.push(fifth);
    for &s in &strategies {
        w.deposit(alice, s, ether(1)).unwrap().ok().unwrap();
    }
    let operator = w.register_operator("operator", 0).unwrap().address;
    w.delegate(alice, operator).unwrap().ok().unwrap();

    let call = IDelegationManager::undelegateCall { staker: alice };
    let out = w
        .chain
        .tx(operator, w.delegation_manager, &call)
        .unwrap()
        .ok()
        .unwrap();
    let roots = IDelegationManager::undelegateCall::abi_decode_returns(&out.output, true)
        .unwrap()
        .withdrawalRoots;
    assert_eq!(roots.len(), 5);
    let pending = queued(&mut w, alice);
    assert_eq!(pending.len(), 5);
    for &s in &strategies {
        assert_eq!(operator_shares(&mut w, operator, s), U256::ZERO);
        assert_eq!(w.shares(alice, s).unwrap(), U256::ZERO);
        assert!(pending.iter().any(|q| q.withdrawal.strategies == vec![s]));
    }
    let delegated = w
        .chain
        .read(
            w.delegation_manager,
            &IDelegationManager::delegatedToCall { staker: alice },
        )
        .unwrap()
        ._0;
    assert_eq!(delegated, Address::ZERO);
    // All five complete, in one call, as tokens.
    w.chain.advance(integration::WITHDRAWAL_DELAY + 1).unwrap();
    let call = IDelegationManager::completeQueuedWithdrawalsCall {
        withdrawals: pending.iter().map(|q| q.withdrawal.clone()).collect(),
        receiveAsTokens: vec![true; 5],
    };
    w.chain
        .tx(alice, w.delegation_manager, &call)
        .unwrap()
        .ok()
        .unwrap();
    assert!(queued(&mut w, alice).is_empty());
}

#[test]
fn a_slash_during_the_delay_lowers_the_payout_exactly() {
    let mut w = world();
    let steth = w.tokens.steth;
    let (alice, bob) = (w.stakers[0].address, w.stakers[1].address);
    let operator = w.register_operator("operator", 0).unwrap().address;
    for s in [alice, bob] {
        w.deposit(s, steth, ether(10)).unwrap().ok().unwrap();
        w.delegate(s, operator).unwrap().ok().unwrap();
    }
    // Bob queues long before the slash, Alice shortly before it.
    let old = queue(&mut w, bob, vec![steth], vec![ether(5)]);
    w.chain.advance(integration::WITHDRAWAL_DELAY + 1).unwrap();
    queue(&mut w, alice, vec![steth], vec![ether(4)]);
    let bobs = queued(&mut w, bob)[0].withdrawal.clone();
    let alices = queued(&mut w, alice)[0].withdrawal.clone();
    assert_eq!(
        alloy_primitives::keccak256(bobs.abi_encode()),
        old,
        "stored withdrawal"
    );

    // The operator's whole stETH stake serves one set, which slashes 25%: operator shares
    // 6 + 5 = 11 ether → 8.25; Alice's queued 4 → 3; Bob's untouched.
    let avs = Actor::named("avs");
    let set = OperatorSet {
        avs: avs.address,
        id: 1,
    };
    w.create_operator_set(&avs, 1, vec![steth], Address::ZERO)
        .unwrap()
        .ok()
        .unwrap();
    w.join(operator, avs.address, vec![1])
        .unwrap()
        .ok()
        .unwrap();
    w.allocate(
        operator,
        set.clone(),
        vec![steth],
        vec![1_000_000_000_000_000_000],
    )
    .unwrap()
    .ok()
    .unwrap();
    let quarter = U256::from(250_000_000_000_000_000u64);
    w.slash(&set, operator, vec![steth], vec![quarter])
        .unwrap()
        .ok()
        .unwrap();
    assert_eq!(
        operator_shares(&mut w, operator, steth),
        ether(825) / U256::from(100)
    );
    let slashed = w
        .chain
        .read(
            w.sm,
            &IStrategyManager::slashedSharesCall {
                operatorSet: set,
                slashId: U256::from(1),
                strategy: steth,
            },
        )
        .unwrap()
        ._0;
    assert_eq!(slashed, ether(275) / U256::from(100) + ether(1));

    w.chain.advance(integration::WITHDRAWAL_DELAY + 1).unwrap();
    let (a0, b0) = (
        w.balance(steth, alice).unwrap(),
        w.balance(steth, bob).unwrap(),
    );
    complete(&mut w, alice, &alices, true).ok().unwrap();
    complete(&mut w, bob, &bobs, true).ok().unwrap();
    assert_eq!(w.balance(steth, alice).unwrap(), a0 + ether(3));
    assert_eq!(w.balance(steth, bob).unwrap(), b0 + ether(5));
}
