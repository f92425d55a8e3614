//! Unit tests of the RewardsCoordinator on motsu, with the real StrategyManager (its whitelist)
//! and the mock token. motsu's clock stands still at `NOW`, so time-dependent rules are tested by
//! choosing the activation delay: 0 makes roots and splits active at once, a positive delay keeps
//! them pending. The devnode suite covers the same flows with a moving clock.

use alloc::{vec, vec::Vec};

use alloy_primitives::{uint, Address, B256, U256};
use alloy_sol_types::SolError;
use mock_token::{MockToken, KIND_STANDARD};
use motsu::prelude::*;
use restaking_abi::merkle;
use strategy_manager::StrategyManager;

use super::*;

const NOW: u64 = 1_735_689_600;
const DAY: u64 = 86_400;
const ETHER: U256 = uint!(1_000_000_000_000_000_000_U256);
const AVS: Address = Address::repeat_byte(0xA5);
const UPDATER: Address = Address::repeat_byte(0x0D);
const OPERATOR: Address = Address::repeat_byte(0x0B);
const EARNER: Address = Address::repeat_byte(0xE1);
const OTHER_EARNER: Address = Address::repeat_byte(0xE2);
const CLAIMER: Address = Address::repeat_byte(0xC1);
const RECIPIENT: Address = Address::repeat_byte(0x77);
/// The rewards genesis of the tests: 60 days before `NOW` (retroactive bound: 90 days).
const GENESIS: u64 = NOW - 60 * DAY;

/// Deploys the StrategyManager (whitelisting `token`), the token (1,000 to the AVS, approved)
/// and the RewardsCoordinator with daily intervals, windows of at most 30 days, 90 days back
/// (but not before [`GENESIS`]), 30 days ahead and the given activation delay.
fn setup(
    rc: &Contract<RewardsCoordinator>,
    sm: &Contract<StrategyManager>,
    token: &Contract<MockToken>,
    owner: Address,
    activation_delay: u32,
) {
    sm.sender(owner).constructor(owner).motsu_unwrap();
    token
        .sender(owner)
        .constructor("Staked ether".into(), "stETH".into(), 18, KIND_STANDARD, 0)
        .motsu_unwrap();
    sm.sender(owner)
        .set_strategy_whitelist(token.address(), true)
        .motsu_unwrap();
    deploy(rc, sm, owner, activation_delay).motsu_unwrap();
    token
        .sender(owner)
        .mint(AVS, ETHER * U256::from(1_000))
        .motsu_unwrap();
    token.sender(AVS).approve(rc.address(), U256::MAX);
}

fn deploy(
    rc: &Contract<RewardsCoordinator>,
    sm: &Contract<StrategyManager>,
    owner: Address,
    activation_delay: u32,
) -> Result<(), Error> {
    rc.sender(owner).constructor(
        owner,
        sm.address(),
        UPDATER,
        u32::try_from(DAY).unwrap(),
        u32::try_from(30 * DAY).unwrap(),
        u32::try_from(90 * DAY).unwrap(),
        u32::try_from(30 * DAY).unwrap(),
        u32::try_from(GENESIS).unwrap(),
        activation_delay,
    )
}

/// Fails unless `r` failed with exactly `want`.
#[track_caller]
fn expect_err<T: core::fmt::Debug>(r: Result<T, Error>, want: impl Into<Error>) {
    let got: Vec<u8> = r.motsu_unwrap_err().into();
    let want: Vec<u8> = want.into().into();
    assert_eq!(got, want);
}

fn strategies(token: Address) -> Vec<StrategyAndMultiplier> {
    vec![StrategyAndMultiplier {
        strategy: token,
        multiplier: alloy_primitives::aliases::U96::from(WAD_U64),
    }]
}

const WAD_U64: u64 = 1_000_000_000_000_000_000;

fn submission(token: Address, amount: U256, start: u64, duration: u64) -> RewardsSubmission {
    RewardsSubmission {
        strategiesAndMultipliers: strategies(token),
        token,
        amount,
        startTimestamp: start,
        duration,
    }
}

fn directed(
    token: Address,
    rewards: Vec<(Address, U256)>,
    start: u64,
) -> OperatorDirectedRewardsSubmission {
    OperatorDirectedRewardsSubmission {
        strategiesAndMultipliers: strategies(token),
        token,
        operatorRewards: rewards
            .into_iter()
            .map(|(operator, amount)| OperatorReward { operator, amount })
            .collect(),
        startTimestamp: start,
        duration: 2 * DAY,
    }
}

/// A rewards tree of earners, each with (token, cumulative earnings) leaves, and the claims for it.
struct Tree {
    root: B256,
    earners: Vec<(Address, Vec<(Address, U256)>)>,
}

impl Tree {
    fn new(earners: Vec<(Address, Vec<(Address, U256)>)>) -> Self {
        let leaves: Vec<B256> = earners
            .iter()
            .map(|(e, tokens)| merkle::earner_leaf_hash(*e, token_root(tokens)))
            .collect();
        Self {
            root: merkle::root(&leaves),
            earners,
        }
    }

    /// The claim of earner number `i` against root `root_index`, all its tokens.
    fn claim(&self, root_index: u32, i: usize) -> RewardsMerkleClaim {
        let leaves: Vec<B256> = self
            .earners
            .iter()
            .map(|(e, tokens)| merkle::earner_leaf_hash(*e, token_root(tokens)))
            .collect();
        let (earner, tokens) = &self.earners[i];
        let token_leaves: Vec<B256> = tokens
            .iter()
            .map(|(t, a)| merkle::token_leaf_hash(*t, *a))
            .collect();
        RewardsMerkleClaim {
            rootIndex: root_index,
            earnerIndex: u32::try_from(i).unwrap(),
            earnerTreeProof: merkle::proof(&leaves, i).unwrap().into(),
            earnerLeaf: EarnerTreeMerkleLeaf {
                earner: *earner,
                earnerTokenRoot: token_root(tokens),
            },
            tokenIndices: (0..tokens.len())
                .map(|j| u32::try_from(j).unwrap())
                .collect(),
            tokenTreeProofs: (0..tokens.len())
                .map(|j| merkle::proof(&token_leaves, j).unwrap().into())
                .collect(),
            tokenLeaves: tokens
                .iter()
                .map(|(t, a)| TokenTreeMerkleLeaf {
                    token: *t,
                    cumulativeEarnings: *a,
                })
                .collect(),
        }
    }
}

fn token_root(tokens: &[(Address, U256)]) -> B256 {
    let leaves: Vec<B256> = tokens
        .iter()
        .map(|(t, a)| merkle::token_leaf_hash(*t, *a))
        .collect();
    merkle::root(&leaves)
}

/// Escrows 10 tokens and posts `tree` ending yesterday (or `end`); returns the root index.
fn fund_and_post(rc: &Contract<RewardsCoordinator>, token: Address, tree: &Tree, end: u64) -> u32 {
    if rc.sender(AVS).submission_nonce(AVS).is_zero() {
        rc.sender(AVS)
            .create_avs_rewards_submission(vec![submission(
                token,
                ETHER * U256::from(10),
                NOW - 2 * DAY,
                DAY,
            )])
            .motsu_unwrap();
    }
    rc.sender(UPDATER)
        .submit_root(tree.root, end)
        .motsu_unwrap();
    u32::try_from(rc.sender(UPDATER).get_distribution_roots_length()).unwrap() - 1
}

fn simple_tree(token: Address, earned: U256) -> Tree {
    Tree::new(vec![
        (EARNER, vec![(token, earned)]),
        (OTHER_EARNER, vec![(token, ETHER * U256::from(2))]),
    ])
}

#[motsu::test]
fn constructor_sets_peers_and_parameters_and_refuses_zeroes(
    rc: Contract<RewardsCoordinator>,
    sm: Contract<StrategyManager>,
    owner: Address,
) {
    let mut c = rc.sender(owner);
    expect_err(
        c.constructor(owner, Address::ZERO, UPDATER, 1, 1, 1, 1, 0, 0),
        ZeroAddress {},
    );
    expect_err(
        c.constructor(owner, sm.address(), Address::ZERO, 1, 1, 1, 1, 0, 0),
        ZeroAddress {},
    );
    expect_err(
        c.constructor(Address::ZERO, sm.address(), UPDATER, 1, 1, 1, 1, 0, 0),
        ZeroAddress {},
    );
    expect_err(
        c.constructor(owner, sm.address(), UPDATER, 0, 1, 1, 1, 0, 0),
        ZeroAmount {},
    );
    drop(c);
    deploy(&rc, &sm, owner, 7).motsu_unwrap();
    rc.assert_emitted(&RewardsUpdaterSet { updater: UPDATER });
    let view = rc.sender(owner);
    assert_eq!(view.strategy_manager(), sm.address());
    assert_eq!(view.rewards_updater(), UPDATER);
    assert_eq!(view.admin.owner(), owner);
    assert_eq!(
        view.rewards_parameters(),
        RewardsParameters {
            calculationInterval: 86_400,
            maxRewardsDuration: 2_592_000,
            maxRetroactiveLength: 7_776_000,
            maxFutureLength: 2_592_000,
            genesisRewardsTimestamp: u32::try_from(GENESIS).unwrap(),
            activationDelay: 7,
        }
    );
    assert_eq!(view.curr_rewards_calculation_end_timestamp(), 0);
    assert_eq!(view.get_distribution_roots_length(), U256::ZERO);
}

#[motsu::test]
fn avs_submission_pulls_tokens_counts_nonces_and_publishes_the_abi_hash(
    rc: Contract<RewardsCoordinator>,
    sm: Contract<StrategyManager>,
    token: Contract<MockToken>,
    owner: Address,
) {
    setup(&rc, &sm, &token, owner, 0);
    let t = token.address();
    let first = submission(t, ETHER * U256::from(3), NOW - 2 * DAY, 2 * DAY);
    let second = submission(t, ETHER, NOW + 30 * DAY, 30 * DAY);
    rc.sender(AVS)
        .create_avs_rewards_submission(vec![first.clone(), second.clone()])
        .motsu_unwrap();
    assert_eq!(
        token.sender(AVS).balance_of(rc.address()),
        ETHER * U256::from(4)
    );
    assert_eq!(token.sender(AVS).balance_of(AVS), ETHER * U256::from(996));
    assert_eq!(rc.sender(AVS).submission_nonce(AVS), U256::from(2));
    for (nonce, s) in [(0u64, first), (1, second)] {
        // The hash is Solidity's keccak256(abi.encode(avs, nonce, submission)).
        let hash = keccak256((AVS, U256::from(nonce), s.clone()).abi_encode_params());
        assert_eq!(
            hash,
            submission_hash(AVS, U256::from(nonce), &s.abi_encode())
        );
        rc.assert_emitted(&AvsRewardsSubmissionCreated {
            avs: AVS,
            submissionNonce: U256::from(nonce),
            submissionHash: hash,
            submission: s,
        });
    }
}

#[motsu::test]
fn avs_submission_window_rules_have_exact_bounds(
    rc: Contract<RewardsCoordinator>,
    sm: Contract<StrategyManager>,
    token: Contract<MockToken>,
    owner: Address,
) {
    setup(&rc, &sm, &token, owner, 0);
    let t = token.address();
    let submit = |start: u64, duration: u64| {
        rc.sender(AVS)
            .create_avs_rewards_submission(vec![submission(t, ETHER, start, duration)])
    };
    expect_err(
        submit(NOW, 0),
        DurationInvalid {
            duration: 0,
            max: 30 * DAY,
        },
    );
    expect_err(
        submit(NOW, 31 * DAY),
        DurationInvalid {
            duration: 31 * DAY,
            max: 30 * DAY,
        },
    );
    expect_err(
        submit(NOW, DAY + 1),
        TimeNotAligned {
            value: DAY + 1,
            interval: DAY,
        },
    );
    expect_err(
        submit(NOW + 1, DAY),
        TimeNotAligned {
            value: NOW + 1,
            interval: DAY,
        },
    );
    expect_err(
        submit(GENESIS - DAY, DAY),
        StartTooEarly {
            start: GENESIS - DAY,
            earliest: GENESIS,
        },
    );
    expect_err(
        submit(NOW + 31 * DAY, DAY),
        StartTooLate {
            start: NOW + 31 * DAY,
            latest: NOW + 30 * DAY,
        },
    );
    assert_eq!(rc.sender(AVS).submission_nonce(AVS), U256::ZERO);
    // The bounds themselves are allowed.
    submit(GENESIS, 30 * DAY).motsu_unwrap();
    submit(NOW + 30 * DAY, DAY).motsu_unwrap();
    assert_eq!(rc.sender(AVS).submission_nonce(AVS), U256::from(2));
}

#[motsu::test]
fn avs_submission_refuses_bad_amounts_strategies_and_transfers_without_state_change(
    rc: Contract<RewardsCoordinator>,
    sm: Contract<StrategyManager>,
    token: Contract<MockToken>,
    owner: Address,
) {
    setup(&rc, &sm, &token, owner, 0);
    let t = token.address();
    let submit = |s: RewardsSubmission| rc.sender(AVS).create_avs_rewards_submission(vec![s]);
    let good = || submission(t, ETHER, NOW, DAY);
    expect_err(
        rc.sender(AVS).create_avs_rewards_submission(vec![]),
        EmptyInput {},
    );
    expect_err(
        submit(RewardsSubmission {
            amount: U256::ZERO,
            ..good()
        }),
        ZeroAmount {},
    );
    let too_much = MAX_REWARDS_AMOUNT + U256::from(1);
    expect_err(
        submit(RewardsSubmission {
            amount: too_much,
            ..good()
        }),
        AmountTooLarge {
            amount: too_much,
            max: MAX_REWARDS_AMOUNT,
        },
    );
    expect_err(
        submit(RewardsSubmission {
            strategiesAndMultipliers: vec![],
            ..good()
        }),
        EmptyInput {},
    );
    let unknown = Address::repeat_byte(0xFF);
    expect_err(
        submit(RewardsSubmission {
            strategiesAndMultipliers: strategies(unknown),
            ..good()
        }),
        StrategyNotWhitelisted { strategy: unknown },
    );
    for pair in [[t, t], [t, Address::ZERO]] {
        let mut list = strategies(pair[0]);
        list.extend(strategies(pair[1]));
        expect_err(
            submit(RewardsSubmission {
                strategiesAndMultipliers: list,
                ..good()
            }),
            StrategiesNotSorted {
                index: U256::from(1),
            },
        );
    }
    // No allowance left: the token's own error comes back inside TokenTransferFailed.
    token.sender(AVS).approve(rc.address(), U256::ZERO);
    let err: Vec<u8> = submit(good()).motsu_unwrap_err().into();
    assert!(err.starts_with(&TokenTransferFailed::SELECTOR));
    token.sender(AVS).approve(rc.address(), U256::MAX);
    // Paused.
    rc.sender(owner)
        .admin
        .pause(U256::from(pause::flag(pause::SUBMISSIONS)))
        .motsu_unwrap();
    expect_err(
        submit(good()),
        ActionPaused {
            bit: pause::SUBMISSIONS,
        },
    );
    assert_eq!(rc.sender(AVS).submission_nonce(AVS), U256::ZERO);
    assert_eq!(token.sender(AVS).balance_of(rc.address()), U256::ZERO);
}

#[motsu::test]
fn operator_directed_submission_is_retroactive_and_pulls_the_total(
    rc: Contract<RewardsCoordinator>,
    sm: Contract<StrategyManager>,
    token: Contract<MockToken>,
    owner: Address,
) {
    setup(&rc, &sm, &token, owner, 0);
    let t = token.address();
    let (a, b) = (Address::repeat_byte(1), Address::repeat_byte(2));
    let s = directed(
        t,
        vec![(a, ETHER), (b, ETHER * U256::from(2))],
        NOW - 3 * DAY,
    );
    rc.sender(AVS)
        .create_operator_directed_rewards_submission(AVS, vec![s.clone()])
        .motsu_unwrap();
    assert_eq!(
        token.sender(AVS).balance_of(rc.address()),
        ETHER * U256::from(3)
    );
    rc.assert_emitted(&OperatorDirectedRewardsSubmissionCreated {
        avs: AVS,
        submissionNonce: U256::ZERO,
        submissionHash: keccak256((AVS, U256::ZERO, s.clone()).abi_encode_params()),
        submission: s,
    });
    assert_eq!(rc.sender(AVS).submission_nonce(AVS), U256::from(1));

    let submit = |caller: Address, s: OperatorDirectedRewardsSubmission| {
        rc.sender(caller)
            .create_operator_directed_rewards_submission(AVS, vec![s])
    };
    let ok = |rewards| directed(t, rewards, NOW - 3 * DAY);
    expect_err(
        submit(OPERATOR, ok(vec![(a, ETHER)])),
        Unauthorized { caller: OPERATOR },
    );
    // A window ending now has not ended.
    expect_err(
        submit(AVS, directed(t, vec![(a, ETHER)], NOW - 2 * DAY)),
        NotRetroactive { end: NOW, now: NOW },
    );
    expect_err(submit(AVS, ok(vec![])), EmptyInput {});
    expect_err(
        submit(AVS, ok(vec![(Address::ZERO, ETHER)])),
        ZeroAddress {},
    );
    expect_err(
        submit(AVS, ok(vec![(b, ETHER), (a, ETHER)])),
        OperatorsNotSorted {
            index: U256::from(1),
        },
    );
    expect_err(
        submit(AVS, ok(vec![(a, ETHER), (a, ETHER)])),
        OperatorsNotSorted {
            index: U256::from(1),
        },
    );
    expect_err(submit(AVS, ok(vec![(a, U256::ZERO)])), ZeroAmount {});
    let half = MAX_REWARDS_AMOUNT / U256::from(2) + U256::from(1);
    expect_err(
        submit(AVS, ok(vec![(a, half), (b, half)])),
        AmountTooLarge {
            amount: half + half,
            max: MAX_REWARDS_AMOUNT,
        },
    );
    expect_err(
        submit(
            AVS,
            OperatorDirectedRewardsSubmission {
                duration: DAY + 1,
                ..ok(vec![(a, ETHER)])
            },
        ),
        TimeNotAligned {
            value: DAY + 1,
            interval: DAY,
        },
    );
    assert_eq!(rc.sender(AVS).submission_nonce(AVS), U256::from(1));
    assert_eq!(
        token.sender(AVS).balance_of(rc.address()),
        ETHER * U256::from(3)
    );
}

#[motsu::test]
fn the_owner_sets_the_rewards_updater(
    rc: Contract<RewardsCoordinator>,
    sm: Contract<StrategyManager>,
    token: Contract<MockToken>,
    owner: Address,
) {
    setup(&rc, &sm, &token, owner, 0);
    expect_err(
        rc.sender(UPDATER).set_rewards_updater(OPERATOR),
        Unauthorized { caller: UPDATER },
    );
    expect_err(
        rc.sender(owner).set_rewards_updater(Address::ZERO),
        ZeroAddress {},
    );
    rc.sender(owner)
        .set_rewards_updater(OPERATOR)
        .motsu_unwrap();
    rc.assert_emitted(&RewardsUpdaterSet { updater: OPERATOR });
    assert_eq!(rc.sender(owner).rewards_updater(), OPERATOR);
    expect_err(
        rc.sender(UPDATER)
            .submit_root(B256::repeat_byte(1), NOW - DAY),
        Unauthorized { caller: UPDATER },
    );
}

#[motsu::test]
fn submit_root_needs_an_aligned_increasing_past_end(
    rc: Contract<RewardsCoordinator>,
    sm: Contract<StrategyManager>,
    token: Contract<MockToken>,
    owner: Address,
) {
    setup(&rc, &sm, &token, owner, 0);
    let root = B256::repeat_byte(0x42);
    let invalid = |end, previous| InvalidCalculationEnd {
        end,
        previous,
        now: NOW,
    };
    expect_err(
        rc.sender(OPERATOR).submit_root(root, NOW - DAY),
        Unauthorized { caller: OPERATOR },
    );
    expect_err(rc.sender(UPDATER).submit_root(root, NOW), invalid(NOW, 0));
    expect_err(
        rc.sender(UPDATER).submit_root(root, NOW - DAY + 1),
        invalid(NOW - DAY + 1, 0),
    );
    rc.sender(UPDATER)
        .submit_root(root, NOW - 2 * DAY)
        .motsu_unwrap();
    rc.assert_emitted(&DistributionRootSubmitted {
        rootIndex: 0,
        root,
        rewardsCalculationEndTimestamp: NOW - 2 * DAY,
        activatedAt: NOW,
    });
    expect_err(
        rc.sender(UPDATER).submit_root(root, NOW - 2 * DAY),
        invalid(NOW - 2 * DAY, NOW - 2 * DAY),
    );
    rc.sender(owner)
        .admin
        .pause(U256::from(pause::flag(pause::ROOTS)))
        .motsu_unwrap();
    expect_err(
        rc.sender(UPDATER).submit_root(root, NOW - DAY),
        ActionPaused { bit: pause::ROOTS },
    );
    rc.sender(owner)
        .admin
        .unpause(U256::from(pause::flag(pause::ROOTS)))
        .motsu_unwrap();
    rc.sender(UPDATER)
        .submit_root(root, NOW - DAY)
        .motsu_unwrap();
    let view = rc.sender(UPDATER);
    assert_eq!(view.get_distribution_roots_length(), U256::from(2));
    assert_eq!(view.curr_rewards_calculation_end_timestamp(), NOW - DAY);
    assert_eq!(
        view.get_distribution_root(1).motsu_unwrap(),
        DistributionRoot {
            root,
            rewardsCalculationEndTimestamp: NOW - DAY,
            activatedAt: NOW,
            disabled: false,
        }
    );
    drop(view);
    expect_err(
        rc.sender(UPDATER).get_distribution_root(2),
        RootNotFound { rootIndex: 2 },
    );
}

#[motsu::test]
fn disable_root_only_before_activation(
    rc: Contract<RewardsCoordinator>,
    sm: Contract<StrategyManager>,
    token: Contract<MockToken>,
    owner: Address,
) {
    setup(&rc, &sm, &token, owner, 3_600);
    let root = B256::repeat_byte(0x42);
    rc.sender(UPDATER)
        .submit_root(root, NOW - DAY)
        .motsu_unwrap();
    expect_err(
        rc.sender(OPERATOR).disable_root(0),
        Unauthorized { caller: OPERATOR },
    );
    expect_err(
        rc.sender(UPDATER).disable_root(1),
        RootNotFound { rootIndex: 1 },
    );
    rc.sender(UPDATER).disable_root(0).motsu_unwrap();
    rc.assert_emitted(&DistributionRootDisabled { rootIndex: 0 });
    assert!(
        rc.sender(UPDATER)
            .get_distribution_root(0)
            .motsu_unwrap()
            .disabled
    );
    expect_err(
        rc.sender(UPDATER).disable_root(0),
        RootDisabled { rootIndex: 0 },
    );
}

#[motsu::test]
fn an_active_root_cannot_be_disabled(
    rc: Contract<RewardsCoordinator>,
    sm: Contract<StrategyManager>,
    token: Contract<MockToken>,
    owner: Address,
) {
    setup(&rc, &sm, &token, owner, 0);
    rc.sender(UPDATER)
        .submit_root(B256::repeat_byte(0x42), NOW - DAY)
        .motsu_unwrap();
    expect_err(
        rc.sender(UPDATER).disable_root(0),
        RootAlreadyActive { rootIndex: 0 },
    );
}

#[motsu::test]
fn claims_pay_the_cumulative_difference_once(
    rc: Contract<RewardsCoordinator>,
    sm: Contract<StrategyManager>,
    token: Contract<MockToken>,
    owner: Address,
) {
    setup(&rc, &sm, &token, owner, 0);
    let t = token.address();
    let tree = simple_tree(t, ETHER * U256::from(3));
    let index = fund_and_post(&rc, t, &tree, NOW - 2 * DAY);
    assert!(rc
        .sender(EARNER)
        .check_claim(tree.claim(index, 0))
        .motsu_unwrap());
    rc.sender(EARNER)
        .process_claim(tree.claim(index, 0), RECIPIENT)
        .motsu_unwrap();
    assert_eq!(
        token.sender(EARNER).balance_of(RECIPIENT),
        ETHER * U256::from(3)
    );
    assert_eq!(
        rc.sender(EARNER).cumulative_claimed(EARNER, t),
        ETHER * U256::from(3)
    );
    rc.assert_emitted(&RewardsClaimed {
        root: tree.root,
        earner: EARNER,
        claimer: EARNER,
        recipient: RECIPIENT,
        token: t,
        claimedAmount: ETHER * U256::from(3),
    });
    expect_err(
        rc.sender(EARNER)
            .process_claim(tree.claim(index, 0), RECIPIENT),
        NothingToClaim {
            earner: EARNER,
            token: t,
        },
    );
    // A later root with a higher total pays only the difference.
    let later = simple_tree(t, ETHER * U256::from(5));
    let index = fund_and_post(&rc, t, &later, NOW - DAY);
    rc.sender(EARNER)
        .process_claim(later.claim(index, 0), RECIPIENT)
        .motsu_unwrap();
    assert_eq!(
        token.sender(EARNER).balance_of(RECIPIENT),
        ETHER * U256::from(5)
    );
    assert_eq!(
        rc.sender(EARNER).cumulative_claimed(EARNER, t),
        ETHER * U256::from(5)
    );
    // An older root's smaller total has nothing left.
    expect_err(
        rc.sender(EARNER).process_claim(tree.claim(0, 0), RECIPIENT),
        NothingToClaim {
            earner: EARNER,
            token: t,
        },
    );
}

#[motsu::test]
fn claims_refuse_bad_roots_lists_and_proofs_without_state_change(
    rc: Contract<RewardsCoordinator>,
    sm: Contract<StrategyManager>,
    token: Contract<MockToken>,
    owner: Address,
) {
    setup(&rc, &sm, &token, owner, 0);
    let t = token.address();
    let tree = simple_tree(t, ETHER * U256::from(3));
    let index = fund_and_post(&rc, t, &tree, NOW - DAY);
    let claim = |c: RewardsMerkleClaim| rc.sender(EARNER).process_claim(c, RECIPIENT);
    let good = || tree.claim(index, 0);
    expect_err(
        claim(RewardsMerkleClaim {
            rootIndex: 1,
            ..good()
        }),
        RootNotFound { rootIndex: 1 },
    );
    expect_err(
        rc.sender(EARNER).process_claim(good(), Address::ZERO),
        ZeroAddress {},
    );
    expect_err(
        claim(RewardsMerkleClaim {
            tokenLeaves: vec![],
            tokenIndices: vec![],
            tokenTreeProofs: vec![],
            ..good()
        }),
        EmptyInput {},
    );
    expect_err(
        claim(RewardsMerkleClaim {
            tokenIndices: vec![0, 1],
            ..good()
        }),
        LengthMismatch {
            left: U256::from(1),
            right: U256::from(2),
        },
    );
    expect_err(
        claim(RewardsMerkleClaim {
            tokenTreeProofs: vec![],
            ..good()
        }),
        LengthMismatch {
            left: U256::from(1),
            right: U256::ZERO,
        },
    );
    // The other earner's position, a forged token root, an index beyond the proof.
    expect_err(
        claim(RewardsMerkleClaim {
            earnerIndex: 1,
            ..good()
        }),
        InvalidEarnerProof { earner: EARNER },
    );
    let mut forged = good();
    forged.earnerLeaf.earnerTokenRoot = B256::repeat_byte(9);
    expect_err(claim(forged), InvalidEarnerProof { earner: EARNER });
    expect_err(
        claim(RewardsMerkleClaim {
            earnerIndex: 2,
            ..good()
        }),
        LeafIndexOutOfRange { index: 2 },
    );
    expect_err(
        claim(RewardsMerkleClaim {
            earnerTreeProof: vec![0u8; 31].into(),
            ..good()
        }),
        InvalidEarnerProof { earner: EARNER },
    );
    // More than was earned, or a proof at the wrong token index.
    let mut inflated = good();
    inflated.tokenLeaves[0].cumulativeEarnings = ETHER * U256::from(4);
    expect_err(
        claim(inflated),
        InvalidTokenProof {
            earner: EARNER,
            token: t,
        },
    );
    expect_err(
        claim(RewardsMerkleClaim {
            tokenIndices: vec![1],
            ..good()
        }),
        InvalidTokenProof {
            earner: EARNER,
            token: t,
        },
    );
    expect_err(
        claim(RewardsMerkleClaim {
            tokenIndices: vec![2],
            ..good()
        }),
        LeafIndexOutOfRange { index: 2 },
    );
    expect_err(
        rc.sender(EARNER).check_claim(RewardsMerkleClaim {
            earnerIndex: 1,
            ..good()
        }),
        InvalidEarnerProof { earner: EARNER },
    );
    // Paused claims.
    rc.sender(owner)
        .admin
        .pause(U256::from(pause::flag(pause::CLAIMS)))
        .motsu_unwrap();
    expect_err(claim(good()), ActionPaused { bit: pause::CLAIMS });
    assert_eq!(rc.sender(EARNER).cumulative_claimed(EARNER, t), U256::ZERO);
    assert_eq!(token.sender(EARNER).balance_of(RECIPIENT), U256::ZERO);
}

#[motsu::test]
fn claims_against_an_inactive_or_disabled_root_fail(
    rc: Contract<RewardsCoordinator>,
    sm: Contract<StrategyManager>,
    token: Contract<MockToken>,
    owner: Address,
) {
    setup(&rc, &sm, &token, owner, 3_600);
    let t = token.address();
    let tree = simple_tree(t, ETHER);
    let index = fund_and_post(&rc, t, &tree, NOW - DAY);
    expect_err(
        rc.sender(EARNER)
            .process_claim(tree.claim(index, 0), RECIPIENT),
        RootNotActive {
            rootIndex: 0,
            activatedAt: NOW + 3_600,
        },
    );
    rc.sender(UPDATER).disable_root(index).motsu_unwrap();
    expect_err(
        rc.sender(EARNER)
            .process_claim(tree.claim(index, 0), RECIPIENT),
        RootDisabled { rootIndex: 0 },
    );
    expect_err(
        rc.sender(EARNER).check_claim(tree.claim(index, 0)),
        RootDisabled { rootIndex: 0 },
    );
}

#[motsu::test]
fn a_named_claimer_claims_besides_the_earner_and_nobody_else_does(
    rc: Contract<RewardsCoordinator>,
    sm: Contract<StrategyManager>,
    token: Contract<MockToken>,
    owner: Address,
) {
    setup(&rc, &sm, &token, owner, 0);
    let t = token.address();
    let tree = simple_tree(t, ETHER * U256::from(3));
    let index = fund_and_post(&rc, t, &tree, NOW - 2 * DAY);
    expect_err(
        rc.sender(CLAIMER)
            .process_claim(tree.claim(index, 0), CLAIMER),
        ClaimerMismatch {
            caller: CLAIMER,
            claimer: Address::ZERO,
        },
    );
    rc.sender(EARNER).set_claimer_for(CLAIMER);
    rc.assert_emitted(&ClaimerForSet {
        earner: EARNER,
        claimer: CLAIMER,
    });
    assert_eq!(rc.sender(EARNER).claimer_for(EARNER), CLAIMER);
    expect_err(
        rc.sender(OPERATOR)
            .process_claim(tree.claim(index, 0), OPERATOR),
        ClaimerMismatch {
            caller: OPERATOR,
            claimer: CLAIMER,
        },
    );
    rc.sender(CLAIMER)
        .process_claim(tree.claim(index, 0), CLAIMER)
        .motsu_unwrap();
    assert_eq!(
        token.sender(EARNER).balance_of(CLAIMER),
        ETHER * U256::from(3)
    );
    rc.assert_emitted(&RewardsClaimed {
        root: tree.root,
        earner: EARNER,
        claimer: CLAIMER,
        recipient: CLAIMER,
        token: t,
        claimedAmount: ETHER * U256::from(3),
    });
    // The earner keeps its own right to claim.
    let later = simple_tree(t, ETHER * U256::from(4));
    let index = fund_and_post(&rc, t, &later, NOW - DAY);
    rc.sender(EARNER)
        .process_claim(later.claim(index, 0), RECIPIENT)
        .motsu_unwrap();
    assert_eq!(token.sender(EARNER).balance_of(RECIPIENT), ETHER);
}

#[motsu::test]
fn process_claims_is_all_or_nothing(
    rc: Contract<RewardsCoordinator>,
    sm: Contract<StrategyManager>,
    token: Contract<MockToken>,
    owner: Address,
) {
    setup(&rc, &sm, &token, owner, 0);
    let t = token.address();
    let tree = simple_tree(t, ETHER * U256::from(3));
    let index = fund_and_post(&rc, t, &tree, NOW - DAY);
    rc.sender(OTHER_EARNER).set_claimer_for(EARNER);
    expect_err(
        rc.sender(EARNER).process_claims(vec![], RECIPIENT),
        EmptyInput {},
    );
    // The second claim repeats the first: nothing of either is paid.
    expect_err(
        rc.sender(EARNER)
            .process_claims(vec![tree.claim(index, 0), tree.claim(index, 0)], RECIPIENT),
        NothingToClaim {
            earner: EARNER,
            token: t,
        },
    );
    assert_eq!(token.sender(EARNER).balance_of(RECIPIENT), U256::ZERO);
    rc.sender(EARNER)
        .process_claims(vec![tree.claim(index, 0), tree.claim(index, 1)], RECIPIENT)
        .motsu_unwrap();
    assert_eq!(
        token.sender(EARNER).balance_of(RECIPIENT),
        ETHER * U256::from(5)
    );
    assert_eq!(
        rc.sender(EARNER).cumulative_claimed(OTHER_EARNER, t),
        ETHER * U256::from(2)
    );
}

#[motsu::test]
fn a_claim_pays_every_token_of_the_earner(
    rc: Contract<RewardsCoordinator>,
    sm: Contract<StrategyManager>,
    token: Contract<MockToken>,
    second: Contract<MockToken>,
    owner: Address,
) {
    setup(&rc, &sm, &token, owner, 0);
    second
        .sender(owner)
        .constructor("Rocket".into(), "rETH".into(), 18, KIND_STANDARD, 0)
        .motsu_unwrap();
    second
        .sender(owner)
        .mint(rc.address(), ETHER)
        .motsu_unwrap();
    let (t, r) = (token.address(), second.address());
    let tree = Tree::new(vec![
        (OTHER_EARNER, vec![(t, ETHER)]),
        (
            EARNER,
            vec![(t, ETHER * U256::from(2)), (r, ETHER / U256::from(2))],
        ),
        (OPERATOR, vec![(r, ETHER / U256::from(4))]),
    ]);
    let index = fund_and_post(&rc, t, &tree, NOW - DAY);
    rc.sender(EARNER)
        .process_claim(tree.claim(index, 1), RECIPIENT)
        .motsu_unwrap();
    assert_eq!(
        token.sender(EARNER).balance_of(RECIPIENT),
        ETHER * U256::from(2)
    );
    assert_eq!(
        second.sender(EARNER).balance_of(RECIPIENT),
        ETHER / U256::from(2)
    );
    assert_eq!(
        rc.sender(EARNER).cumulative_claimed(EARNER, r),
        ETHER / U256::from(2)
    );
}

#[motsu::test]
fn operator_splits_default_to_ten_percent_and_change_after_the_delay(
    rc: Contract<RewardsCoordinator>,
    sm: Contract<StrategyManager>,
    token: Contract<MockToken>,
    owner: Address,
) {
    setup(&rc, &sm, &token, owner, 3_600);
    assert_eq!(
        rc.sender(OPERATOR).get_operator_avs_split(OPERATOR, AVS),
        1_000
    );
    expect_err(
        rc.sender(AVS).set_operator_avs_split(OPERATOR, AVS, 500),
        Unauthorized { caller: AVS },
    );
    expect_err(
        rc.sender(OPERATOR)
            .set_operator_avs_split(OPERATOR, Address::ZERO, 500),
        ZeroAddress {},
    );
    expect_err(
        rc.sender(OPERATOR)
            .set_operator_avs_split(OPERATOR, AVS, 10_001),
        BipsTooHigh {
            bips: 10_001,
            max: 10_000,
        },
    );
    rc.sender(OPERATOR)
        .set_operator_avs_split(OPERATOR, AVS, 500)
        .motsu_unwrap();
    rc.assert_emitted(&OperatorAvsSplitSet {
        operator: OPERATOR,
        avs: AVS,
        newSplitBips: 500,
        activatedAt: NOW + 3_600,
    });
    // Not active yet: the default still applies, and the next change must wait.
    assert_eq!(
        rc.sender(OPERATOR).get_operator_avs_split(OPERATOR, AVS),
        1_000
    );
    expect_err(
        rc.sender(OPERATOR).set_operator_avs_split(OPERATOR, AVS, 0),
        SplitChangePending {
            operator: OPERATOR,
            avs: AVS,
            activatedAt: NOW + 3_600,
        },
    );
    assert_eq!(
        rc.sender(OPERATOR)
            .get_operator_avs_split(OPERATOR, OPERATOR),
        1_000
    );
}

#[motsu::test]
fn split_changes_without_delay_apply_at_once(
    rc: Contract<RewardsCoordinator>,
    sm: Contract<StrategyManager>,
    token: Contract<MockToken>,
    owner: Address,
) {
    setup(&rc, &sm, &token, owner, 0);
    for bips in [0u16, 10_000, 2_500] {
        rc.sender(OPERATOR)
            .set_operator_avs_split(OPERATOR, AVS, bips)
            .motsu_unwrap();
        assert_eq!(
            rc.sender(OPERATOR).get_operator_avs_split(OPERATOR, AVS),
            bips
        );
    }
}

#[motsu::test]
fn leaf_hash_views_use_the_salted_packed_encoding(
    rc: Contract<RewardsCoordinator>,
    sm: Contract<StrategyManager>,
    token: Contract<MockToken>,
    owner: Address,
) {
    setup(&rc, &sm, &token, owner, 0);
    let view = rc.sender(owner);
    let token_root = B256::repeat_byte(0x22);
    let mut packed = vec![0u8];
    packed.extend_from_slice(EARNER.as_slice());
    packed.extend_from_slice(token_root.as_slice());
    assert_eq!(
        view.calculate_earner_leaf_hash(EarnerTreeMerkleLeaf {
            earner: EARNER,
            earnerTokenRoot: token_root,
        }),
        keccak256(&packed)
    );
    let mut packed = vec![1u8];
    packed.extend_from_slice(EARNER.as_slice());
    packed.extend_from_slice(&U256::from(7).to_be_bytes::<32>());
    assert_eq!(
        view.calculate_token_leaf_hash(TokenTreeMerkleLeaf {
            token: EARNER,
            cumulativeEarnings: U256::from(7),
        }),
        keccak256(&packed)
    );
}
