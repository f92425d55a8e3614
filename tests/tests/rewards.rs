//! Rewards end to end on the real contracts: an AVS escrows a pro-rata submission, the rewards
//! calculator reads the chain's events and the updater posts its roots, and every staker and
//! operator claims exactly what the calculator computed — the amounts of the worked example in
//! the calculator's docs, with a real slash in the last interval.
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

use alloy_primitives::{aliases::U96, Address, U256};
use integration::{
    Actor, Backend, BackendExt, World, WorldBuilder, ACTIVATION_DELAY, REWARDS_INTERVAL as I,
};
use restaking_abi::{abi::*, constants::WAD};

type W = World<Box<dyn Backend>>;

const WAD64: u64 = 1_000_000_000_000_000_000;

fn ether(n: u64) -> U256 {
    U256::from(n) * U256::from(10u64).pow(U256::from(18u64))
}

fn balance(w: &mut W, token: Address, who: Address) -> U256 {
    w.balance(token, who).unwrap()
}

fn claim(
    w: &mut W,
    tree: &rewards_calculator::RewardsTree,
    index: u32,
    earner: Address,
) -> integration::Outcome {
    let call = IRewardsCoordinator::processClaimCall {
        claim: tree.claim(index, earner).unwrap(),
        recipient: earner,
    };
    w.chain.tx(earner, w.rewards, &call).unwrap()
}

#[test]
fn stakers_and_operators_claim_exactly_what_the_calculator_computed() {
    let mut w: W = WorldBuilder::new()
        .stakers(3)
        .real_delegation_manager()
        .build(integration::backend().unwrap())
        .unwrap();
    let steth = w.tokens.steth;
    let reth = w.add_token("rETH", ether(100)).unwrap();
    let reward = w.add_token("RWD", ether(1)).unwrap();
    let mut strategies = vec![steth, reth];
    strategies.sort();

    // Set 1 of the AVS holds stETH and rETH; O1 allocates half of both, O2 all of its stETH.
    let avs = Actor::named("avs");
    w.create_operator_set(&avs, 1, strategies.clone(), Address::ZERO)
        .unwrap()
        .ok()
        .unwrap();
    let set = OperatorSet {
        avs: avs.address,
        id: 1,
    };
    let o1 = w.register_operator("op-1", 0).unwrap().address;
    let o2 = w.register_operator("op-2", 0).unwrap().address;
    for o in [o1, o2] {
        w.join(o, avs.address, vec![1]).unwrap().ok().unwrap();
    }
    w.allocate(o1, set.clone(), strategies.clone(), vec![WAD64 / 2; 2])
        .unwrap()
        .ok()
        .unwrap();
    w.allocate(o2, set.clone(), vec![steth], vec![WAD64])
        .unwrap()
        .ok()
        .unwrap();
    // A: 100 stETH and B: 50 rETH with O1; C: 100 stETH with O2.
    let [a, b, c] = [0, 1, 2].map(|i| w.stakers[i].address);
    for (staker, token, amount, operator) in
        [(a, steth, 100, o1), (b, reth, 50, o1), (c, steth, 100, o2)]
    {
        w.deposit(staker, token, ether(amount))
            .unwrap()
            .ok()
            .unwrap();
        w.delegate(staker, operator).unwrap().ok().unwrap();
    }

    // The AVS escrows 3,000 over the next three intervals: stETH counts once, rETH twice.
    let rc = w.rewards;
    w.fund_rewards(&avs, reward, ether(3_000)).unwrap();
    let start = (w.chain.timestamp() / I + 1) * I;
    let multiplier = |s: Address| U96::from(if s == steth { WAD64 } else { 2 * WAD64 });
    let submission = RewardsSubmission {
        strategiesAndMultipliers: strategies
            .iter()
            .map(|&strategy| StrategyAndMultiplier {
                strategy,
                multiplier: multiplier(strategy),
            })
            .collect(),
        token: reward,
        amount: ether(3_000),
        startTimestamp: start,
        duration: 3 * I,
    };
    let create = IRewardsCoordinator::createAvsRewardsSubmissionCall {
        submissions: vec![submission],
    };
    w.chain.tx(avs.address, rc, &create).unwrap().ok().unwrap();
    assert_eq!(balance(&mut w, reward, rc), ether(3_000));

    // After two intervals the updater posts the calculator's first root: 1,000 per interval,
    // O1 and O2 pools of 500 each, 10% to each operator.
    let now = w.chain.timestamp();
    w.chain.advance(start + 2 * I + 1 - now).unwrap();
    let (first, tree, index, _) = w.post_rewards_root(start + 2 * I).unwrap();
    let expected = [(o1, 100), (o2, 100), (a, 450), (b, 450), (c, 900)];
    for (earner, amount) in expected {
        assert_eq!(first.earnings[&earner][&reward], ether(amount), "{earner}");
    }
    assert_eq!(first.earnings.len(), 5);
    let early = claim(&mut w, &tree, index, a);
    let err: RootNotActive = early.revert().unwrap();
    assert_eq!(err.rootIndex, index);
    w.chain.advance(ACTIVATION_DELAY).unwrap();
    for (earner, amount) in expected {
        claim(&mut w, &tree, index, earner).ok().unwrap();
        assert_eq!(
            balance(&mut w, reward, earner),
            ether(amount) + staker_funds(&w, earner)
        );
    }

    // Inside the third interval the AVS slashes half of O1's stETH allocation: A's stake for the
    // AVS falls from 50 to 25 for that whole interval; B's rETH and C are untouched.
    w.slash(&set, o1, vec![steth], vec![WAD / U256::from(2)])
        .unwrap()
        .ok()
        .unwrap();
    let now = w.chain.timestamp();
    w.chain.advance(start + 3 * I + 1 - now).unwrap();
    let (second, tree, index, _) = w.post_rewards_root(start + 3 * I).unwrap();
    // Weights O1 75 (A 25, B 50), O2 100 (C): pools 3,000/7 and 4,000/7, rounded down.
    let day2 = [
        (o1, 42_857_142_857_142_857_142u128),
        (o2, 57_142_857_142_857_142_857),
        (a, 128_571_428_571_428_571_428),
        (b, 257_142_857_142_857_142_857),
        (c, 514_285_714_285_714_285_714),
    ];
    w.chain.advance(ACTIVATION_DELAY).unwrap();
    let mut paid = U256::ZERO;
    for ((earner, before), (_, extra)) in expected.iter().zip(day2) {
        let total = ether(*before) + U256::from(extra);
        assert_eq!(second.earnings[earner][&reward], total, "{earner}");
        claim(&mut w, &tree, index, *earner).ok().unwrap();
        let claimed = IRewardsCoordinator::cumulativeClaimedCall {
            earner: *earner,
            token: reward,
        };
        assert_eq!(w.chain.read(rc, &claimed).unwrap()._0, total);
        assert_eq!(
            balance(&mut w, reward, *earner),
            total + staker_funds(&w, *earner)
        );
        paid += total;
    }
    // Two wei of rounding dust stay in the coordinator; nothing beyond the submission is paid.
    assert_eq!(paid, ether(3_000) - U256::from(2));
    assert_eq!(balance(&mut w, reward, rc), U256::from(2));
    assert_eq!(second.paid()[&reward], paid);
    // Claiming the same root again has nothing left.
    let again = claim(&mut w, &tree, index, a);
    let err: NothingToClaim = again.revert().unwrap();
    assert_eq!((err.earner, err.token), (a, reward));
}

/// The reward tokens `add_token` minted to the world's stakers (operators got none).
fn staker_funds(w: &W, who: Address) -> U256 {
    if w.stakers.iter().any(|s| s.address == who) {
        ether(1)
    } else {
        U256::ZERO
    }
}

/// Review finding 7: a fee-on-transfer token delivers less than the submission states; two such
/// submissions left the escrow short of what the second earner was owed. A submission must
/// deliver its whole amount: the shortfall is refused by name and nothing is escrowed.
#[test]
fn a_submission_that_delivers_less_than_it_states_is_refused() {
    let mut w: W = WorldBuilder::new()
        .real_delegation_manager()
        .build(integration::backend().unwrap())
        .unwrap();
    let avs = Actor::named("avs");
    let fee = w.tokens.fee;
    w.fund_rewards(&avs, fee, ether(100)).unwrap();
    let start = (w.chain.timestamp() / I + 1) * I;
    let submission = |token: Address| IRewardsCoordinator::createAvsRewardsSubmissionCall {
        submissions: vec![RewardsSubmission {
            strategiesAndMultipliers: vec![StrategyAndMultiplier {
                strategy: token,
                multiplier: U96::from(WAD64),
            }],
            token,
            amount: ether(100),
            startTimestamp: start,
            duration: I,
        }],
    };
    let refused = w
        .chain
        .tx(avs.address, w.rewards, &submission(fee))
        .unwrap();
    assert_eq!(
        refused.revert::<TransferShortfall>().unwrap(),
        TransferShortfall {
            token: fee,
            expected: ether(100),
            received: ether(99),
        }
    );
    let rc = w.rewards;
    assert_eq!(balance(&mut w, fee, rc), U256::ZERO);
    assert_eq!(balance(&mut w, fee, avs.address), ether(100));
    // A token that delivers what it states is escrowed in full.
    let steth = w.tokens.steth;
    w.fund_rewards(&avs, steth, ether(100)).unwrap();
    w.chain
        .tx(avs.address, w.rewards, &submission(steth))
        .unwrap()
        .ok()
        .unwrap();
    assert_eq!(balance(&mut w, steth, rc), ether(100));
}
