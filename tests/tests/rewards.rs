//! Rewards end to end on the real contracts: an AVS escrows a pro-rata submission, the rewards
//! calculator reads the chain's events and the updater posts its roots, and every staker and
//! operator claims exactly what the calculator computed — the amounts of the worked example in
//! the calculator's docs, with a real slash in the last interval.
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

use alloy_primitives::{aliases::U96, keccak256, Address, U256};
use alloy_sol_types::{SolCall, SolError, SolValue};
use integration::{
    Actor, Backend, BackendExt, World, WorldBuilder, ACTIVATION_DELAY, REWARDS_INTERVAL as I,
};
use restaking_abi::{abi::*, constants::WAD, merkle};

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

/// The coordinator's remaining surface on the real contracts: its parameters and peers, an
/// operator-directed submission (nonce, event with its hash, escrow), leaf hashes as the merkle
/// library computes them, a root disabled before it activates (claims against it refused by
/// name) and the roots as stored, a claimer claiming two earners' rewards in one `processClaims`, an operator's split
/// taking effect after the activation delay, and a new rewards updater.
#[test]
fn the_coordinator_s_parameters_claimers_splits_and_root_control() {
    let mut w: W = WorldBuilder::new()
        .stakers(3)
        .real_delegation_manager()
        .build(integration::backend().unwrap())
        .unwrap();
    let rc = w.rewards;
    let steth = w.tokens.steth;
    let [alice, bob, carol] = [0, 1, 2].map(|i| w.stakers[i].address);
    assert_eq!(
        w.chain
            .read(rc, &IRewardsCoordinator::strategyManagerCall {})
            .unwrap()
            ._0,
        w.sm
    );
    assert_eq!(
        w.chain
            .read(rc, &IRewardsCoordinator::rewardsUpdaterCall {})
            .unwrap()
            ._0,
        w.updater.address
    );
    let params = w
        .chain
        .read(rc, &IRewardsCoordinator::rewardsParametersCall {})
        .unwrap()
        ._0;
    let small = |s: u64| u32::try_from(s).unwrap();
    assert_eq!(
        (
            params.calculationInterval,
            params.maxRewardsDuration,
            params.maxRetroactiveLength,
            params.maxFutureLength,
            params.genesisRewardsTimestamp,
            params.activationDelay
        ),
        (
            small(I),
            small(100 * I),
            small(1_000 * I),
            small(100 * I),
            0,
            small(ACTIVATION_DELAY)
        )
    );

    // An operator-directed submission for a window that has ended: the AVS's first nonce, the
    // total of the operators' rewards escrowed.
    let avs = Actor::named("avs");
    w.fund_rewards(&avs, steth, ether(3)).unwrap();
    let nonce = |w: &mut W| {
        w.chain
            .read(
                rc,
                &IRewardsCoordinator::submissionNonceCall { avs: avs.address },
            )
            .unwrap()
            ._0
    };
    assert_eq!(nonce(&mut w), U256::ZERO);
    let mut operators = [Address::repeat_byte(0x0A), Address::repeat_byte(0x0B)];
    operators.sort();
    let start = (w.chain.timestamp() / I - 20) * I;
    let submission = OperatorDirectedRewardsSubmission {
        strategiesAndMultipliers: vec![StrategyAndMultiplier {
            strategy: steth,
            multiplier: U96::from(WAD64),
        }],
        token: steth,
        operatorRewards: vec![
            OperatorReward {
                operator: operators[0],
                amount: ether(1),
            },
            OperatorReward {
                operator: operators[1],
                amount: ether(2),
            },
        ],
        startTimestamp: start,
        duration: I,
    };
    let create = IRewardsCoordinator::createOperatorDirectedRewardsSubmissionCall {
        avs: avs.address,
        submissions: vec![submission.clone()],
    };
    let out = w.chain.tx(avs.address, rc, &create).unwrap().ok().unwrap();
    let hash = keccak256((avs.address, U256::ZERO, submission.clone()).abi_encode_params());
    assert!(out.emitted(&OperatorDirectedRewardsSubmissionCreated {
        avs: avs.address,
        submissionNonce: U256::ZERO,
        submissionHash: hash,
        submission,
    }));
    assert_eq!(nonce(&mut w), U256::from(1));
    assert_eq!(balance(&mut w, steth, rc), ether(3));
    assert_eq!(balance(&mut w, steth, avs.address), U256::ZERO);

    // A root paying Alice 2 and Bob 1 stETH; the coordinator hashes leaves as the library does.
    let token_leaf = |amount| TokenTreeMerkleLeaf {
        token: steth,
        cumulativeEarnings: amount,
    };
    let earners = [(alice, ether(2)), (bob, ether(1))];
    let mut earner_leaves = Vec::new();
    for (earner, amount) in earners {
        let leaf = token_leaf(amount);
        let hashed = merkle::token_leaf_hash(steth, amount);
        let call = IRewardsCoordinator::calculateTokenLeafHashCall { leaf };
        assert_eq!(w.chain.read(rc, &call).unwrap()._0, hashed);
        let earner_leaf = EarnerTreeMerkleLeaf {
            earner,
            earnerTokenRoot: merkle::root(&[hashed]),
        };
        let call = IRewardsCoordinator::calculateEarnerLeafHashCall {
            leaf: earner_leaf.clone(),
        };
        let hashed = merkle::earner_leaf_hash(earner, earner_leaf.earnerTokenRoot);
        assert_eq!(w.chain.read(rc, &call).unwrap()._0, hashed);
        earner_leaves.push((earner_leaf, hashed));
    }
    let hashes: Vec<_> = earner_leaves.iter().map(|(_, h)| *h).collect();
    let root = merkle::root(&hashes);
    // The claim of earner `i` (Alice 0, Bob 1) against root `index`.
    let claim = |index: u32, i: usize| {
        let amount = earners[i].1;
        RewardsMerkleClaim {
            rootIndex: index,
            earnerIndex: u32::try_from(i).unwrap(),
            earnerTreeProof: merkle::proof(&hashes, i).unwrap().into(),
            earnerLeaf: earner_leaves[i].0.clone(),
            tokenIndices: vec![0],
            tokenTreeProofs: vec![merkle::proof(&[merkle::token_leaf_hash(steth, amount)], 0)
                .unwrap()
                .into()],
            tokenLeaves: vec![token_leaf(amount)],
        }
    };

    // Root 0 is posted and disabled before it activates: a claim against it is refused.
    let end = (w.chain.timestamp() / I - 1) * I;
    let updater = w.updater.address;
    let submit = |w: &mut W, end: u64| {
        let call = IRewardsCoordinator::submitRootCall {
            root,
            rewardsCalculationEndTimestamp: end,
        };
        w.chain.tx(updater, rc, &call).unwrap().ok().unwrap();
    };
    submit(&mut w, end - I);
    let ended = |w: &mut W| {
        w.chain
            .read(
                rc,
                &IRewardsCoordinator::currRewardsCalculationEndTimestampCall {},
            )
            .unwrap()
            ._0
    };
    assert_eq!(ended(&mut w), end - I);
    let disable = IRewardsCoordinator::disableRootCall { rootIndex: 0 };
    let refused = w.chain.tx(alice, rc, &disable).unwrap();
    assert_eq!(
        refused.revert::<Unauthorized>().unwrap(),
        Unauthorized { caller: alice }
    );
    let out = w.chain.tx(updater, rc, &disable).unwrap().ok().unwrap();
    assert!(out.emitted(&DistributionRootDisabled { rootIndex: 0 }));
    let check = |w: &mut W, c: RewardsMerkleClaim| {
        w.chain
            .view(
                alice,
                rc,
                &IRewardsCoordinator::checkClaimCall { claim: c }.abi_encode(),
            )
            .unwrap()
    };
    let (ok, data) = check(&mut w, claim(0, 0));
    assert!(!ok);
    assert_eq!(data.to_vec(), RootDisabled { rootIndex: 0 }.abi_encode());

    // Root 1 (the same tree, a later end) activates; Carol claims for both earners at once.
    let posted = w.chain.timestamp();
    submit(&mut w, end);
    assert_eq!(ended(&mut w), end);
    let get = |w: &mut W, index: u32| {
        let call = IRewardsCoordinator::getDistributionRootCall { rootIndex: index };
        w.chain.view(alice, rc, &call.abi_encode()).unwrap()
    };
    let (ok, data) = get(&mut w, 0);
    assert!(ok);
    let disabled = IRewardsCoordinator::getDistributionRootCall::abi_decode_returns(&data, true)
        .unwrap()
        ._0;
    assert_eq!((disabled.root, disabled.disabled), (root, true));
    let (ok, data) = get(&mut w, 1);
    assert!(ok);
    assert_eq!(
        IRewardsCoordinator::getDistributionRootCall::abi_decode_returns(&data, true)
            .unwrap()
            ._0,
        DistributionRoot {
            root,
            rewardsCalculationEndTimestamp: end,
            activatedAt: posted + ACTIVATION_DELAY,
            disabled: false,
        }
    );
    let (ok, data) = get(&mut w, 2);
    assert!(!ok);
    assert_eq!(data.to_vec(), RootNotFound { rootIndex: 2 }.abi_encode());
    w.chain.advance(ACTIVATION_DELAY).unwrap();
    let (ok, data) = check(&mut w, claim(1, 0));
    assert!(ok);
    assert_eq!(data.to_vec(), true.abi_encode());
    for earner in [alice, bob] {
        let call = IRewardsCoordinator::setClaimerForCall { claimer: carol };
        let out = w.chain.tx(earner, rc, &call).unwrap().ok().unwrap();
        assert!(out.emitted(&ClaimerForSet {
            earner,
            claimer: carol
        }));
        let call = IRewardsCoordinator::claimerForCall { earner };
        assert_eq!(w.chain.read(rc, &call).unwrap()._0, carol);
    }
    let before = balance(&mut w, steth, carol);
    let claims = IRewardsCoordinator::processClaimsCall {
        claims: vec![claim(1, 0), claim(1, 1)],
        recipient: carol,
    };
    let out = w.chain.tx(carol, rc, &claims).unwrap().ok().unwrap();
    for (earner, amount) in earners {
        assert!(out.emitted(&RewardsClaimed {
            root,
            earner,
            claimer: carol,
            recipient: carol,
            token: steth,
            claimedAmount: amount,
        }));
    }
    assert_eq!(balance(&mut w, steth, carol), before + ether(3));

    // An operator's split of an AVS's rewards: the default until the new one activates.
    let operator = w.register_operator("split-operator", 0).unwrap().address;
    let split = |w: &mut W| {
        let call = IRewardsCoordinator::getOperatorAvsSplitCall {
            operator,
            avs: avs.address,
        };
        w.chain.read(rc, &call).unwrap()._0
    };
    assert_eq!(split(&mut w), 1_000);
    let set = IRewardsCoordinator::setOperatorAvsSplitCall {
        operator,
        avs: avs.address,
        splitBips: 2_500,
    };
    let out = w.chain.tx(operator, rc, &set).unwrap().ok().unwrap();
    assert!(out.emitted(&OperatorAvsSplitSet {
        operator,
        avs: avs.address,
        newSplitBips: 2_500,
        activatedAt: w.chain.timestamp() + ACTIVATION_DELAY,
    }));
    assert_eq!(split(&mut w), 1_000);
    w.chain.advance(ACTIVATION_DELAY).unwrap();
    assert_eq!(split(&mut w), 2_500);

    // Only the owner replaces the rewards updater.
    let next = Address::repeat_byte(0x5E);
    let call = IRewardsCoordinator::setRewardsUpdaterCall { updater: next };
    let refused = w.chain.tx(alice, rc, &call).unwrap();
    assert_eq!(
        refused.revert::<Unauthorized>().unwrap(),
        Unauthorized { caller: alice }
    );
    let owner = w.owner.address;
    let out = w.chain.tx(owner, rc, &call).unwrap().ok().unwrap();
    assert!(out.emitted(&RewardsUpdaterSet { updater: next }));
    assert_eq!(
        w.chain
            .read(rc, &IRewardsCoordinator::rewardsUpdaterCall {})
            .unwrap()
            ._0,
        next
    );
}
