//! Hand-computed distributions, determinism, and the calculator's proofs run through the
//! RewardsCoordinator's own claim code (on motsu).

use alloy_primitives::{aliases::U96, uint, Address, B256, U256};
use alloy_sol_types::SolEvent;
use mock_token::{MockToken, KIND_STANDARD};
use motsu::prelude::*;
use rewards_coordinator::RewardsCoordinator;
use strategy_manager::StrategyManager;

use super::*;

/// motsu's fixed clock.
const NOW: u64 = 1_735_689_600;
const DAY: u64 = 86_400;
/// Day 0 of the examples.
const D: u64 = NOW - 10 * DAY;
const ETHER: U256 = uint!(1_000_000_000_000_000_000_U256);

const SM: Address = Address::repeat_byte(0x51);
const DM: Address = Address::repeat_byte(0xD0);
const AM: Address = Address::repeat_byte(0xA0);
const RC: Address = Address::repeat_byte(0xC0);
const CONTRACTS: Contracts = Contracts {
    strategy_manager: SM,
    delegation_manager: DM,
    allocation_manager: AM,
    rewards_coordinator: RC,
};

const AVS: Address = Address::repeat_byte(0xA5);
const STETH: Address = Address::repeat_byte(0x10);
const RETH: Address = Address::repeat_byte(0x20);
const TOKEN: Address = Address::repeat_byte(0x7B);
const O1: Address = Address::repeat_byte(0x01);
const O2: Address = Address::repeat_byte(0x02);
const O3: Address = Address::repeat_byte(0x03);
const A: Address = Address::repeat_byte(0xAA);
const B: Address = Address::repeat_byte(0xBB);
const C: Address = Address::repeat_byte(0xCC);

fn ether(n: u64) -> U256 {
    ETHER * U256::from(n)
}

fn wad_fraction(num: u64, den: u64) -> u64 {
    WAD64 / den * num
}

/// Builds a chain-ordered log list.
#[derive(Default)]
struct Logs(Vec<EventLog>);

impl Logs {
    fn at<E: SolEvent>(&mut self, t: u64, address: Address, event: E) -> &mut Self {
        let data = event.encode_log_data();
        self.0.push(EventLog {
            address,
            topics: data.topics().to_vec(),
            data: data.data,
            timestamp: t,
        });
        self
    }

    fn deposit(&mut self, t: u64, staker: Address, strategy: Address, shares: U256) -> &mut Self {
        self.at(
            t,
            SM,
            Deposit {
                staker,
                strategy,
                amount: shares,
                shares,
            },
        )
    }

    fn delegate(&mut self, t: u64, staker: Address, operator: Address) -> &mut Self {
        self.at(t, DM, StakerDelegated { staker, operator })
    }

    fn allocate(
        &mut self,
        t: u64,
        operator: Address,
        strategy: Address,
        magnitude: u64,
    ) -> &mut Self {
        self.at(
            t,
            AM,
            AllocationUpdated {
                operator,
                avs: AVS,
                operatorSetId: 1,
                strategy,
                magnitude,
                effectTimestamp: t,
            },
        )
    }

    fn join(&mut self, t: u64, operator: Address) -> &mut Self {
        self.at(
            t,
            AM,
            OperatorAddedToOperatorSet {
                operator,
                avs: AVS,
                operatorSetId: 1,
            },
        )
    }

    fn submit(&mut self, t: u64, avs: Address, amount: U256, start: u64, days: u64) -> &mut Self {
        self.at(
            t,
            RC,
            AvsRewardsSubmissionCreated {
                avs,
                submissionNonce: U256::ZERO,
                submissionHash: B256::ZERO,
                submission: RewardsSubmission {
                    strategiesAndMultipliers: vec![
                        StrategyAndMultiplier {
                            strategy: STETH,
                            multiplier: U96::from(WAD64),
                        },
                        StrategyAndMultiplier {
                            strategy: RETH,
                            multiplier: U96::from(2 * WAD64),
                        },
                    ],
                    token: TOKEN,
                    amount,
                    startTimestamp: start,
                    duration: days * DAY,
                },
            },
        )
    }
}

/// The setup of the worked example, the day before day 0: set 1 with stETH and rETH, O1
/// allocating 50% of both, O2 100% of stETH; A (100 stETH) and B (50 rETH) with O1, C (100 stETH)
/// with O2.
fn example_setup() -> Logs {
    let t = D - DAY;
    let mut logs = Logs::default();
    for strategy in [STETH, RETH] {
        logs.at(
            t,
            AM,
            StrategyAddedToOperatorSet {
                avs: AVS,
                operatorSetId: 1,
                strategy,
            },
        );
    }
    logs.join(t, O1)
        .join(t, O2)
        .allocate(t, O1, STETH, WAD64 / 2)
        .allocate(t, O1, RETH, WAD64 / 2)
        .allocate(t, O2, STETH, WAD64)
        .delegate(t, A, O1)
        .delegate(t, B, O1)
        .delegate(t, C, O2)
        .deposit(t, A, STETH, ether(100))
        .deposit(t, B, RETH, ether(50))
        .deposit(t, C, STETH, ether(100));
    logs
}

/// The worked example of the crate docs: 3,000 over days 0–2, C moving to O1 at noon of day 1,
/// a 50% slash of O1's stETH allocation at noon of day 2.
fn worked_example() -> Logs {
    let mut logs = example_setup();
    logs.submit(D - DAY, AVS, ether(3_000), D, 3);
    let noon = D + DAY + DAY / 2;
    logs.at(
        noon,
        DM,
        StakerUndelegated {
            staker: C,
            operator: O2,
        },
    )
    .at(
        noon,
        SM,
        DepositSharesRemoved {
            staker: C,
            strategy: STETH,
            shares: ether(100),
        },
    )
    .delegate(noon + 60, C, O1)
    .at(
        noon + 60,
        SM,
        DepositSharesAdded {
            staker: C,
            strategy: STETH,
            shares: ether(100),
        },
    )
    .at(
        noon + 60,
        DM,
        DepositScalingFactorUpdated {
            staker: C,
            strategy: STETH,
            newDepositScalingFactor: WAD,
        },
    );
    let noon = D + 2 * DAY + DAY / 2;
    logs.allocate(noon, O1, STETH, WAD64 / 4).at(
        noon,
        AM,
        MaxMagnitudeUpdated {
            operator: O1,
            strategy: STETH,
            maxMagnitude: wad_fraction(3, 4),
        },
    );
    logs
}

fn earned(d: &Distribution, earner: Address) -> U256 {
    d.earnings
        .get(&earner)
        .and_then(|t| t.get(&TOKEN))
        .copied()
        .unwrap_or_default()
}

#[test]
fn worked_example_pays_the_hand_computed_amounts() {
    let logs = worked_example();
    let d = calculate(&logs.0, &CONTRACTS, DAY, D + 3 * DAY).unwrap();
    let expected = [(O1, 250), (O2, 50), (A, 900), (B, 1_125), (C, 675)];
    for (earner, amount) in expected {
        assert_eq!(earned(&d, earner), ether(amount), "{earner}");
    }
    assert_eq!(d.earnings.len(), 5);
    assert_eq!(d.paid()[&TOKEN], ether(3_000));
    assert_eq!(d.submitted[&TOKEN], ether(3_000));

    // Through day 0 only: 1,000 of it.
    let d = calculate(&logs.0, &CONTRACTS, DAY, D + DAY).unwrap();
    let expected = [(O1, 50), (O2, 50), (A, 225), (B, 225), (C, 450)];
    for (earner, amount) in expected {
        assert_eq!(earned(&d, earner), ether(amount), "{earner}");
    }
    assert_eq!(d.paid()[&TOKEN], ether(1_000));
}

#[test]
fn stake_arriving_or_leaving_inside_a_day_does_not_earn_that_day() {
    // D joins O2 with 100 stETH one second after day 0 starts, and leaves the second before
    // day 1 ends: it earns nothing on either day.
    let dave = Address::repeat_byte(0xDD);
    let mut logs = example_setup();
    logs.submit(D - DAY, AVS, ether(2_000), D, 2)
        .delegate(D + 1, dave, O2)
        .deposit(D + 1, dave, STETH, ether(100))
        .at(
            2 * DAY + D - 1,
            SM,
            DepositSharesRemoved {
                staker: dave,
                strategy: STETH,
                shares: ether(100),
            },
        );
    let d = calculate(&logs.0, &CONTRACTS, DAY, D + 2 * DAY).unwrap();
    assert_eq!(earned(&d, dave), U256::ZERO);
    // Both days as day 0 of the example.
    for (earner, amount) in [(O1, 100), (O2, 100), (A, 450), (B, 450), (C, 900)] {
        assert_eq!(earned(&d, earner), ether(amount), "{earner}");
    }
}

#[test]
fn operator_directed_rewards_follow_the_split_and_refund_unregistered_operators() {
    let mut logs = example_setup();
    logs.at(
        D - DAY,
        RC,
        OperatorAvsSplitSet {
            operator: O2,
            avs: AVS,
            newSplitBips: 5_000,
            activatedAt: D,
        },
    )
    .at(
        D + 5 * DAY,
        RC,
        OperatorDirectedRewardsSubmissionCreated {
            avs: AVS,
            submissionNonce: U256::ZERO,
            submissionHash: B256::ZERO,
            submission: OperatorDirectedRewardsSubmission {
                strategiesAndMultipliers: vec![StrategyAndMultiplier {
                    strategy: STETH,
                    multiplier: U96::from(WAD64),
                }],
                token: TOKEN,
                operatorRewards: vec![
                    OperatorReward {
                        operator: O2,
                        amount: ether(200),
                    },
                    OperatorReward {
                        operator: O3,
                        amount: ether(100),
                    },
                ],
                startTimestamp: D,
                duration: DAY,
            },
        },
    );
    // A pro-rata submission of an AVS nobody is registered with goes back to it.
    let lonely = Address::repeat_byte(0x55);
    logs.submit(D, lonely, ether(7), D, 1);
    let d = calculate(&logs.0, &CONTRACTS, DAY, D + DAY).unwrap();
    for (earner, amount) in [(O2, 100), (C, 100), (AVS, 100), (lonely, 7)] {
        assert_eq!(earned(&d, earner), ether(amount), "{earner}");
    }
    assert_eq!(d.earnings.len(), 4);
}

#[test]
fn rounding_never_pays_more_than_was_submitted() {
    // Amounts that do not divide: 1,000 wei over 3 days among weights 50:50:100.
    let mut logs = example_setup();
    logs.submit(D - DAY, AVS, U256::from(1_000), D, 3);
    let d = calculate(&logs.0, &CONTRACTS, DAY, D + 3 * DAY).unwrap();
    let paid = d.paid()[&TOKEN];
    assert!(paid <= U256::from(1_000));
    // Days of 333, 333, 334; per day O1 and O2 pools of ⌊b/2⌋, cuts of ⌊P/10⌋.
    // Day budget 333: pools 166/166 → O1 16, A 75, B 75; O2 16, C 150 (332 paid).
    // Day budget 334: pools 167/167 → O1 16, A 75, B 75; O2 16, C 151 (333 paid).
    assert_eq!(earned(&d, O1), U256::from(48));
    assert_eq!(earned(&d, C), U256::from(451));
    assert_eq!(paid, U256::from(997));
}

#[test]
fn the_same_events_give_the_same_root_and_a_change_gives_another() {
    let logs = worked_example();
    let first = calculate(&logs.0, &CONTRACTS, DAY, D + 3 * DAY)
        .unwrap()
        .tree();
    let second = calculate(&logs.0, &CONTRACTS, DAY, D + 3 * DAY)
        .unwrap()
        .tree();
    assert_eq!(first, second);
    assert_ne!(first.root, B256::ZERO);
    let mut other = worked_example();
    other.deposit(D - DAY, A, STETH, ether(1));
    let third = calculate(&other.0, &CONTRACTS, DAY, D + 3 * DAY)
        .unwrap()
        .tree();
    assert_ne!(first.root, third.root);
    assert!(calculate(&logs.0, &CONTRACTS, DAY, D + 3 * DAY + 1).is_err());
}

#[test]
fn the_tree_orders_earners_and_tokens_and_proves_each_leaf() {
    let d = calculate(&worked_example().0, &CONTRACTS, DAY, D + 3 * DAY).unwrap();
    let tree = d.tree();
    let earners: Vec<Address> = tree.earners.iter().map(|(e, _)| *e).collect();
    assert_eq!(earners, vec![O1, O2, A, B, C]);
    for (i, (earner, tokens)) in tree.earners.iter().enumerate() {
        let claim = tree.claim(7, *earner).unwrap();
        assert_eq!(claim.rootIndex, 7);
        assert_eq!(claim.earnerIndex as usize, i);
        assert!(merkle::verify_proof(
            tree.root,
            &claim.earnerTreeProof,
            claim.earnerIndex,
            merkle::earner_leaf_hash(*earner, claim.earnerLeaf.earnerTokenRoot)
        ));
        assert_eq!(claim.tokenLeaves[0].cumulativeEarnings, tokens[0].1);
    }
    assert!(tree.claim(0, Address::repeat_byte(0x99)).is_none());
    let json = tree.proofs_json(0, D + 3 * DAY);
    assert_eq!(json["earners"].as_array().unwrap().len(), 5);
    assert_eq!(json["root"], tree.root.to_string());
}

#[motsu::test]
fn the_contract_pays_every_calculated_claim_exactly(
    rc: Contract<RewardsCoordinator>,
    sm: Contract<StrategyManager>,
    token: Contract<MockToken>,
    owner: Address,
) {
    sm.sender(owner).constructor(owner).motsu_unwrap();
    token
        .sender(owner)
        .constructor("Reward".into(), "RWD".into(), 18, KIND_STANDARD, 0)
        .motsu_unwrap();
    rc.sender(owner)
        .constructor(
            owner,
            sm.address(),
            owner,
            u32::try_from(DAY).unwrap(),
            u32::try_from(30 * DAY).unwrap(),
            u32::try_from(90 * DAY).unwrap(),
            u32::try_from(30 * DAY).unwrap(),
            0,
            0,
        )
        .motsu_unwrap();
    // The example, paid in the deployed token; the coordinator holds the 3,000 submitted.
    let mut logs = worked_example();
    for log in &mut logs.0 {
        if log.address == RC {
            let mut e = AvsRewardsSubmissionCreated::decode_raw_log(
                log.topics.iter().copied(),
                &log.data,
                true,
            )
            .unwrap();
            e.submission.token = token.address();
            log.data = e.encode_log_data().data;
        }
    }
    token
        .sender(owner)
        .mint(rc.address(), ether(3_000))
        .motsu_unwrap();
    let d = calculate(&logs.0, &CONTRACTS, DAY, D + 3 * DAY).unwrap();
    let tree = d.tree();
    rc.sender(owner)
        .submit_root(tree.root, D + 3 * DAY)
        .motsu_unwrap();
    for (earner, tokens) in &tree.earners {
        let claim = tree.claim(0, *earner).unwrap();
        assert!(rc.sender(*earner).check_claim(claim.clone()).motsu_unwrap());
        rc.sender(*earner)
            .process_claim(claim, *earner)
            .motsu_unwrap();
        assert_eq!(token.sender(owner).balance_of(*earner), tokens[0].1);
    }
    assert_eq!(token.sender(owner).balance_of(rc.address()), U256::ZERO);
}
