//! The rewards calculator: from the contracts' events to every earner's cumulative earnings, the
//! RewardsCoordinator's merkle tree, and a proof per earner (DESIGN §5.5).
//!
//! # Input
//!
//! The logs of the StrategyManager, DelegationManager, AllocationManager and RewardsCoordinator
//! in chain order, each with its block's timestamp ([`EventLog`]), and the end `E` of the
//! calculation (a multiple of the calculation interval `I`). Nothing else: the same logs always
//! give the same earnings, tree and root ([`calculate`] is a pure function and iterates only
//! ordered maps).
//!
//! # Stake history
//!
//! Replaying the logs rebuilds, at any instant:
//! - deposit shares `s` per (staker, strategy): `Deposit`, `DepositSharesAdded`,
//!   `DepositSharesRemoved`;
//! - deposit scaling factor `k` per (staker, strategy): `DepositScalingFactorUpdated` (reset to
//!   WAD when the shares reach zero, as the DelegationManager does);
//! - delegation: `StakerDelegated`, `StakerUndelegated`, `StakerForceUndelegated`;
//! - max magnitude `M` per (operator, strategy): `MaxMagnitudeUpdated` (WAD until then);
//! - allocations per (operator, set, strategy): `AllocationUpdated` — an effect time in the
//!   future is a pending change (an increase keeps its difference, so a slash of the current
//!   magnitude does not move it; a decrease its target), applied when its time comes, exactly
//!   like the AllocationManager;
//! - set membership (`OperatorAddedToOperatorSet` / `OperatorRemovedFromOperatorSet`) and the
//!   strategies of each set (`StrategyAddedToOperatorSet` / `StrategyRemovedFromOperatorSet`);
//! - operator splits per AVS: `OperatorAvsSplitSet` takes effect at its `activatedAt`;
//!   default 1,000 bps.
//!
//! A staker's **stake for AVS `v`** in strategy `σ` through its operator `o`, at instant `t`, is
//! the part of its withdrawable shares the operator has allocated to `v`'s operator sets:
//!
//! `x = ⌊w · A / M⌋`, with `w = ⌊⌊s·k/WAD⌋·M/WAD⌋` (the withdrawable shares, exactly as the
//! DelegationManager computes them) and `A` = the sum of `o`'s current magnitudes in `σ` over the
//! sets of `v` that `o` is registered in and that contain `σ`.
//!
//! # Calculation intervals
//!
//! Rewards are paid per interval `[d, d + I)` (a "day"). The stake that counts for a day is the
//! **minimum** of `x` over the day: evaluated at `d` (after every event at or before `d`), after
//! each second with events inside the day, and at its last second `d + I − 1` (so a pending
//! deallocation taking effect inside the day counts). Stake that arrives during a day earns from
//! the next day; stake that leaves during a day does not earn that day. This makes it useless to
//! move stake in and out around a boundary. Membership for operator-directed rewards is the
//! same: registered for the whole day.
//!
//! # Distribution of a submission
//!
//! A submission of `amount` over `n = duration / I` days gives day `j` (0-based) the budget
//! `b_j = ⌊amount·(j+1)/n⌋ − ⌊amount·j/n⌋` (the budgets add up to `amount` exactly). Only days
//! that end by `E` are paid. For each such day:
//!
//! - **Pro rata** (`createAvsRewardsSubmission`): each (staker `i`, operator `o`) weighs
//!   `u_io = Σ_σ multiplier_σ · x_ioσ` over the submission's strategies; `U_o = Σ_i u_io`,
//!   `U = Σ_o U_o`. Operator `o`'s pool is `P_o = ⌊b·U_o/U⌋`; the operator takes
//!   `c_o = ⌊P_o·split/10,000⌋` (its split for the AVS at `d`), and each staker
//!   `⌊(P_o − c_o)·u_io/U_o⌋`. With `U = 0` (no stake at all) the budget goes back to the AVS.
//! - **Operator-directed**: operator `o`'s day budget `b` (sliced like `amount`) goes back to the
//!   AVS unless `o` was registered in one of the AVS's sets all day; otherwise the operator takes
//!   `c = ⌊b·split/10,000⌋` and its stakers share `b − c` by `u_io` as above — or the operator
//!   takes all of `b` when none of its stakers has stake for the AVS.
//!
//! Every division rounds down, so the total paid never exceeds the total submitted; the dust
//! stays in the RewardsCoordinator. An earner's cumulative earnings per token add up every day
//! of every submission ending by `E`; operators, stakers (an operator's own deposits make it a
//! staker too) and refunded AVSs are all earners.
//!
//! # Tree
//!
//! Earners ascending by address, each with its tokens ascending; zero amounts are left out.
//! Token leaf `keccak(0x01 ‖ token ‖ cumulative)`, earner leaf `keccak(0x00 ‖ earner ‖
//! tokenRoot)`, trees padded with zero leaves to a power of two (at least two leaves) —
//! [`restaking_abi::merkle`], the code the contract verifies with.
//!
//! # Worked example
//!
//! Interval one day; AVS `V` has set 1 with strategies stETH (multiplier 1) and rETH
//! (multiplier 2). Operator `O1` allocates 50% of both to set 1, `O2` 100% of stETH. Staker `A`
//! has 100 stETH shares and `B` 50 rETH shares, both with `O1`; `C` has 100 stETH shares with
//! `O2`. `V` submits 3,000 tokens over days 0–2 (1,000 per day). Splits are the default 10%.
//!
//! | day | event | weights `u` (stETH-equivalent) | operator pools | payouts |
//! |---|---|---|---|---|
//! | 0 | — | A 50, B 25·2 = 50, C 100 | O1 500, O2 500 | O1 50, A 225, B 225; O2 50, C 450 |
//! | 1 | C moves to `O1` at noon | A 50, B 50; C 0 (not a whole day with either) | O1 1,000 | O1 100, A 450, B 450 |
//! | 2 | `V` slashes 50% of O1's stETH allocation at noon: O1's max magnitude 0.75, allocation 0.25 | A min(50, 75·0.25/0.75 = 25) = 25, B 50, C 25 | O1 1,000 | O1 100, A 225, B 450, C 225 |
//!
//! Cumulative: O1 250, O2 50, A 900, B 1,125, C 675 — 3,000 in all. This is the test
//! `worked_example_pays_the_hand_computed_amounts`.
#![warn(missing_docs)]

use std::collections::{BTreeMap, BTreeSet};

use alloy_primitives::{Address, Bytes, B256, U256, U512};
use alloy_sol_types::SolEvent;
use eyre::{bail, eyre, Result};
use restaking_abi::{
    abi::*,
    allocation::Alloc,
    constants::{BIPS, DEFAULT_OPERATOR_SPLIT_BIPS, WAD},
    math, merkle,
};

/// One log with the timestamp of its block.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventLog {
    /// The emitting contract.
    pub address: Address,
    /// Topics (the first is the event signature).
    pub topics: Vec<B256>,
    /// Non-indexed data.
    pub data: Bytes,
    /// Timestamp of the log's block.
    pub timestamp: u64,
}

/// Where the protocol's contracts live.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Contracts {
    /// StrategyManager.
    pub strategy_manager: Address,
    /// DelegationManager.
    pub delegation_manager: Address,
    /// AllocationManager.
    pub allocation_manager: Address,
    /// RewardsCoordinator.
    pub rewards_coordinator: Address,
}

impl Contracts {
    /// All four addresses (to filter logs).
    #[must_use]
    pub fn all(&self) -> [Address; 4] {
        [
            self.strategy_manager,
            self.delegation_manager,
            self.allocation_manager,
            self.rewards_coordinator,
        ]
    }
}

/// Cumulative earnings: earner → token → amount.
pub type Earnings = BTreeMap<Address, BTreeMap<Address, U256>>;

/// What a calculation produced.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Distribution {
    /// The calculation end (exclusive) the earnings cover.
    pub end: u64,
    /// Every earner's cumulative earnings.
    pub earnings: Earnings,
    /// Per token, the total of every submission seen (including days after `end`).
    pub submitted: BTreeMap<Address, U256>,
}

/// A rewards submission as the calculator uses it.
#[derive(Clone, Debug)]
struct Submission {
    avs: Address,
    strategies: Vec<(Address, U256)>,
    token: Address,
    start: u64,
    duration: u64,
    /// `None` for pro rata (with `amount`), else per-operator amounts.
    directed: Option<Vec<(Address, U256)>>,
    amount: U256,
}

/// The replayed protocol state.
#[derive(Default)]
struct State {
    delegated_to: BTreeMap<Address, Address>,
    deposit_shares: BTreeMap<Address, BTreeMap<Address, U256>>,
    scaling: BTreeMap<(Address, Address), U256>,
    max_magnitude: BTreeMap<(Address, Address), u64>,
    /// (operator, avs, set id, strategy) → allocation.
    allocations: BTreeMap<(Address, Address, u32, Address), Alloc>,
    /// (operator, avs, set id).
    registered: BTreeSet<(Address, Address, u32)>,
    /// (avs, set id, strategy).
    set_strategies: BTreeSet<(Address, u32, Address)>,
    /// (operator, avs) → (activatedAt, bips) in order.
    splits: BTreeMap<(Address, Address), Vec<(u64, u16)>>,
    submissions: Vec<Submission>,
}

const WAD64: u64 = 1_000_000_000_000_000_000;

fn decode<E: SolEvent>(log: &EventLog) -> Result<E> {
    E::decode_raw_log(log.topics.iter().copied(), &log.data, true)
        .map_err(|e| eyre!("malformed {} log: {e}", E::SIGNATURE))
}

impl State {
    fn apply(&mut self, c: &Contracts, log: &EventLog) -> Result<()> {
        let Some(&topic) = log.topics.first() else {
            return Ok(());
        };
        let t = log.timestamp;
        if log.address == c.strategy_manager {
            if topic == Deposit::SIGNATURE_HASH {
                let e: Deposit = decode(log)?;
                self.add_shares(e.staker, e.strategy, e.shares);
            } else if topic == DepositSharesAdded::SIGNATURE_HASH {
                let e: DepositSharesAdded = decode(log)?;
                self.add_shares(e.staker, e.strategy, e.shares);
            } else if topic == DepositSharesRemoved::SIGNATURE_HASH {
                let e: DepositSharesRemoved = decode(log)?;
                let shares = self.deposit_shares.entry(e.staker).or_default();
                let left = shares
                    .get(&e.strategy)
                    .copied()
                    .unwrap_or_default()
                    .saturating_sub(e.shares);
                if left.is_zero() {
                    shares.remove(&e.strategy);
                    self.scaling.remove(&(e.staker, e.strategy));
                } else {
                    shares.insert(e.strategy, left);
                }
            }
        } else if log.address == c.delegation_manager {
            if topic == StakerDelegated::SIGNATURE_HASH {
                let e: StakerDelegated = decode(log)?;
                self.delegated_to.insert(e.staker, e.operator);
            } else if topic == StakerUndelegated::SIGNATURE_HASH {
                let e: StakerUndelegated = decode(log)?;
                self.delegated_to.remove(&e.staker);
            } else if topic == StakerForceUndelegated::SIGNATURE_HASH {
                let e: StakerForceUndelegated = decode(log)?;
                self.delegated_to.remove(&e.staker);
            } else if topic == DepositScalingFactorUpdated::SIGNATURE_HASH {
                let e: DepositScalingFactorUpdated = decode(log)?;
                self.scaling
                    .insert((e.staker, e.strategy), e.newDepositScalingFactor);
            }
        } else if log.address == c.allocation_manager {
            self.apply_allocation_event(topic, log, t)?;
        } else if log.address == c.rewards_coordinator {
            self.apply_rewards_event(topic, log)?;
        }
        Ok(())
    }

    fn add_shares(&mut self, staker: Address, strategy: Address, shares: U256) {
        let entry = self
            .deposit_shares
            .entry(staker)
            .or_default()
            .entry(strategy)
            .or_default();
        *entry = entry.saturating_add(shares);
    }

    fn apply_allocation_event(&mut self, topic: B256, log: &EventLog, t: u64) -> Result<()> {
        if topic == AllocationUpdated::SIGNATURE_HASH {
            let e: AllocationUpdated = decode(log)?;
            let key = (e.operator, e.avs, e.operatorSetId, e.strategy);
            let mut a = self
                .allocations
                .get(&key)
                .copied()
                .unwrap_or_default()
                .at(t);
            if e.effectTimestamp > t {
                a.decrease = e.magnitude < a.current;
                a.pending = e.magnitude.abs_diff(a.current);
                a.effect = e.effectTimestamp;
            } else {
                // Immediate: a change without delay, or a slash (which keeps a pending
                // increase's difference; a pending decrease is re-announced next).
                a.current = e.magnitude;
            }
            self.allocations.insert(key, a);
        } else if topic == MaxMagnitudeUpdated::SIGNATURE_HASH {
            let e: MaxMagnitudeUpdated = decode(log)?;
            self.max_magnitude
                .insert((e.operator, e.strategy), e.maxMagnitude);
        } else if topic == OperatorAddedToOperatorSet::SIGNATURE_HASH {
            let e: OperatorAddedToOperatorSet = decode(log)?;
            self.registered.insert((e.operator, e.avs, e.operatorSetId));
        } else if topic == OperatorRemovedFromOperatorSet::SIGNATURE_HASH {
            let e: OperatorRemovedFromOperatorSet = decode(log)?;
            self.registered
                .remove(&(e.operator, e.avs, e.operatorSetId));
        } else if topic == StrategyAddedToOperatorSet::SIGNATURE_HASH {
            let e: StrategyAddedToOperatorSet = decode(log)?;
            self.set_strategies
                .insert((e.avs, e.operatorSetId, e.strategy));
        } else if topic == StrategyRemovedFromOperatorSet::SIGNATURE_HASH {
            let e: StrategyRemovedFromOperatorSet = decode(log)?;
            self.set_strategies
                .remove(&(e.avs, e.operatorSetId, e.strategy));
        }
        Ok(())
    }

    fn apply_rewards_event(&mut self, topic: B256, log: &EventLog) -> Result<()> {
        let strategies = |list: &[StrategyAndMultiplier]| {
            list.iter()
                .map(|s| (s.strategy, U256::from(s.multiplier)))
                .collect()
        };
        if topic == AvsRewardsSubmissionCreated::SIGNATURE_HASH {
            let e: AvsRewardsSubmissionCreated = decode(log)?;
            let s = e.submission;
            self.submissions.push(Submission {
                avs: e.avs,
                strategies: strategies(&s.strategiesAndMultipliers),
                token: s.token,
                start: s.startTimestamp,
                duration: s.duration,
                directed: None,
                amount: s.amount,
            });
        } else if topic == OperatorDirectedRewardsSubmissionCreated::SIGNATURE_HASH {
            let e: OperatorDirectedRewardsSubmissionCreated = decode(log)?;
            let s = e.submission;
            let rewards: Vec<(Address, U256)> = s
                .operatorRewards
                .iter()
                .map(|r| (r.operator, r.amount))
                .collect();
            let amount = rewards
                .iter()
                .fold(U256::ZERO, |acc, (_, a)| acc.saturating_add(*a));
            self.submissions.push(Submission {
                avs: e.avs,
                strategies: strategies(&s.strategiesAndMultipliers),
                token: s.token,
                start: s.startTimestamp,
                duration: s.duration,
                directed: Some(rewards),
                amount,
            });
        } else if topic == OperatorAvsSplitSet::SIGNATURE_HASH {
            let e: OperatorAvsSplitSet = decode(log)?;
            self.splits
                .entry((e.operator, e.avs))
                .or_default()
                .push((e.activatedAt, e.newSplitBips));
        }
        Ok(())
    }

    /// Operator `o`'s split for `avs` at `t`.
    fn split(&self, operator: Address, avs: Address, t: u64) -> u16 {
        self.splits
            .get(&(operator, avs))
            .and_then(|h| h.iter().rev().find(|(at, _)| *at <= t))
            .map_or(DEFAULT_OPERATOR_SPLIT_BIPS, |(_, bips)| *bips)
    }

    /// The stake of every (operator, staker, strategy) for `avs` at `t`, and the operators
    /// registered in one of its sets.
    fn snapshot(&self, avs: Address, t: u64) -> Result<Snapshot> {
        let mut stake = BTreeMap::new();
        let registered: BTreeSet<Address> = self
            .registered
            .iter()
            .filter(|(_, a, _)| *a == avs)
            .map(|(operator, _, _)| *operator)
            .collect();
        for (&staker, &operator) in &self.delegated_to {
            if !registered.contains(&operator) {
                continue;
            }
            let Some(shares) = self.deposit_shares.get(&staker) else {
                continue;
            };
            for (&strategy, &s) in shares {
                let allocated: u64 = self
                    .registered
                    .iter()
                    .filter(|(o, a, id)| {
                        *o == operator
                            && *a == avs
                            && self.set_strategies.contains(&(avs, *id, strategy))
                    })
                    .map(|(_, _, id)| {
                        self.allocations
                            .get(&(operator, avs, *id, strategy))
                            .copied()
                            .unwrap_or_default()
                            .at(t)
                            .current
                    })
                    .sum();
                let max = self
                    .max_magnitude
                    .get(&(operator, strategy))
                    .copied()
                    .unwrap_or(WAD64);
                if allocated == 0 || max == 0 {
                    continue;
                }
                let k = self
                    .scaling
                    .get(&(staker, strategy))
                    .copied()
                    .unwrap_or(WAD);
                let w = math::calc_withdrawable(s, k, U256::from(max))
                    .map_err(|e| eyre!("withdrawable shares of {staker}: {e:?}"))?;
                let x = mul_div(w, U256::from(allocated), U256::from(max));
                if !x.is_zero() {
                    stake.insert((operator, staker, strategy), x);
                }
            }
        }
        Ok(Snapshot { stake, registered })
    }
}

/// Stake for one AVS at one instant (or the minimum over a day).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Snapshot {
    /// (operator, staker, strategy) → stake.
    stake: BTreeMap<(Address, Address, Address), U256>,
    /// Operators registered in one of the AVS's sets.
    registered: BTreeSet<Address>,
}

impl Snapshot {
    /// The pointwise minimum: entries missing on either side are zero and dropped.
    fn min(self, other: &Self) -> Self {
        let stake = self
            .stake
            .into_iter()
            .filter_map(|(k, v)| other.stake.get(&k).map(|o| (k, v.min(*o))))
            .collect();
        let registered = self
            .registered
            .intersection(&other.registered)
            .copied()
            .collect();
        Self { stake, registered }
    }
}

/// `⌊x·y/d⌋` in 512 bits (saturating at `U256::MAX`, which amounts here can never reach).
fn mul_div(x: U256, y: U256, d: U256) -> U256 {
    if d.is_zero() {
        return U256::ZERO;
    }
    let q = U512::from(x) * U512::from(y) / U512::from(d);
    U256::checked_from_limbs_slice(q.as_limbs()).unwrap_or(U256::MAX)
}

/// Adds `amount` of `token` to `earner`.
fn credit(earnings: &mut Earnings, earner: Address, token: Address, amount: U256) {
    if amount.is_zero() {
        return;
    }
    let e = earnings
        .entry(earner)
        .or_default()
        .entry(token)
        .or_default();
    *e = e.saturating_add(amount);
}

/// Budget of day `j` of `n` for `amount`.
fn day_budget(amount: U256, j: u64, n: u64) -> U256 {
    let n = U256::from(n);
    mul_div(amount, U256::from(j + 1), n) - mul_div(amount, U256::from(j), n)
}

/// Every earner's cumulative earnings from `logs` (in chain order, from the four `contracts`)
/// for all calculation intervals of length `interval` ending by `end`.
///
/// # Errors
/// If `end` is not a multiple of `interval`, or a log of a known event does not decode.
pub fn calculate(
    logs: &[EventLog],
    contracts: &Contracts,
    interval: u64,
    end: u64,
) -> Result<Distribution> {
    if interval == 0 || !end.is_multiple_of(interval) {
        bail!("calculation end {end} is not a multiple of the interval {interval}");
    }
    // First pass: the submissions and splits (their events may come after the days they pay).
    let (rewards, stake_logs): (Vec<&EventLog>, Vec<&EventLog>) = logs
        .iter()
        .partition(|l| l.address == contracts.rewards_coordinator);
    let mut all = State::default();
    for log in rewards {
        all.apply(contracts, log)?;
    }
    let mut submitted = BTreeMap::new();
    let mut days: BTreeMap<u64, BTreeSet<Address>> = BTreeMap::new();
    for s in &all.submissions {
        let e: &mut U256 = submitted.entry(s.token).or_default();
        *e = e.saturating_add(s.amount);
        let mut d = s.start;
        while d < s.start.saturating_add(s.duration) && d + interval <= end {
            days.entry(d).or_default().insert(s.avs);
            d += interval;
        }
    }
    // Second pass: replay the stake events, taking each paid day's minimum per AVS. Chain order
    // has non-decreasing timestamps; a stable sort keeps it and tolerates merged log lists.
    let mut logs = stake_logs;
    logs.sort_by_key(|l| l.timestamp);
    let mut state = State::default();
    let mut next = 0;
    let mut minimums: BTreeMap<(u64, Address), Snapshot> = BTreeMap::new();
    for (&day, avss) in &days {
        while next < logs.len() && logs[next].timestamp <= day {
            state.apply(contracts, logs[next])?;
            next += 1;
        }
        let mut mins: Vec<Snapshot> = avss
            .iter()
            .map(|&avs| state.snapshot(avs, day))
            .collect::<Result<_>>()?;
        let last = day + interval - 1;
        while next < logs.len() && logs[next].timestamp <= last {
            let t = logs[next].timestamp;
            while next < logs.len() && logs[next].timestamp == t {
                state.apply(contracts, logs[next])?;
                next += 1;
            }
            for (m, &avs) in mins.iter_mut().zip(avss) {
                *m = std::mem::take(m).min(&state.snapshot(avs, t)?);
            }
        }
        for (m, &avs) in mins.iter_mut().zip(avss) {
            *m = std::mem::take(m).min(&state.snapshot(avs, last)?);
        }
        for (m, &avs) in mins.into_iter().zip(avss) {
            minimums.insert((day, avs), m);
        }
    }
    let mut earnings = Earnings::new();
    for s in &all.submissions {
        let n = s.duration / interval;
        for j in 0..n {
            let day = s.start + j * interval;
            let Some(snapshot) = minimums.get(&(day, s.avs)) else {
                continue;
            };
            pay_day(&mut earnings, &all, s, snapshot, day, j, n);
        }
    }
    Ok(Distribution {
        end,
        earnings,
        submitted,
    })
}

/// Pays day `j` of `n` (starting at `day`) of submission `s` with the day's minimum stake.
fn pay_day(
    earnings: &mut Earnings,
    splits: &State,
    s: &Submission,
    snapshot: &Snapshot,
    day: u64,
    j: u64,
    n: u64,
) {
    // u_io per operator.
    let mut weights: BTreeMap<Address, BTreeMap<Address, U256>> = BTreeMap::new();
    for (&(operator, staker, strategy), &x) in &snapshot.stake {
        if let Some((_, multiplier)) = s.strategies.iter().find(|(st, _)| *st == strategy) {
            let w = weights
                .entry(operator)
                .or_default()
                .entry(staker)
                .or_default();
            *w = w.saturating_add(x.saturating_mul(*multiplier));
        }
    }
    let total = |stakers: &BTreeMap<Address, U256>| {
        stakers
            .values()
            .fold(U256::ZERO, |acc, w| acc.saturating_add(*w))
    };
    // Pays `pool` for `operator`: its split first, the rest to its stakers by weight.
    let pay_operator = |earnings: &mut Earnings, operator: Address, pool: U256| {
        let empty = BTreeMap::new();
        let stakers = weights.get(&operator).unwrap_or(&empty);
        let sum = total(stakers);
        if sum.is_zero() {
            credit(earnings, operator, s.token, pool);
            return;
        }
        let split = U256::from(splits.split(operator, s.avs, day));
        let cut = mul_div(pool, split, U256::from(BIPS));
        credit(earnings, operator, s.token, cut);
        let rest = pool - cut;
        for (&staker, &w) in stakers {
            credit(earnings, staker, s.token, mul_div(rest, w, sum));
        }
    };
    match &s.directed {
        None => {
            let budget = day_budget(s.amount, j, n);
            let per_operator: BTreeMap<Address, U256> =
                weights.iter().map(|(o, st)| (*o, total(st))).collect();
            let all = per_operator
                .values()
                .fold(U256::ZERO, |acc, w| acc.saturating_add(*w));
            if all.is_zero() {
                credit(earnings, s.avs, s.token, budget);
                return;
            }
            for (operator, w) in per_operator {
                pay_operator(earnings, operator, mul_div(budget, w, all));
            }
        }
        Some(rewards) => {
            for &(operator, amount) in rewards {
                let budget = day_budget(amount, j, n);
                if snapshot.registered.contains(&operator) {
                    pay_operator(earnings, operator, budget);
                } else {
                    credit(earnings, s.avs, s.token, budget);
                }
            }
        }
    }
}

/// The rewards tree of a distribution.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RewardsTree {
    /// The root to post.
    pub root: B256,
    /// Earners in leaf order, each with its tokens (ascending) and cumulative earnings.
    pub earners: Vec<(Address, Vec<(Address, U256)>)>,
    earner_leaves: Vec<B256>,
}

impl Distribution {
    /// The merkle tree of the cumulative earnings (leaf encoding of [`restaking_abi::merkle`]).
    #[must_use]
    pub fn tree(&self) -> RewardsTree {
        let earners: Vec<(Address, Vec<(Address, U256)>)> = self
            .earnings
            .iter()
            .map(|(e, tokens)| {
                (
                    *e,
                    tokens
                        .iter()
                        .filter(|(_, a)| !a.is_zero())
                        .map(|(t, a)| (*t, *a))
                        .collect::<Vec<_>>(),
                )
            })
            .filter(|(_, tokens)| !tokens.is_empty())
            .collect();
        let earner_leaves: Vec<B256> = earners
            .iter()
            .map(|(e, tokens)| merkle::earner_leaf_hash(*e, token_root(tokens)))
            .collect();
        RewardsTree {
            root: merkle::root(&earner_leaves),
            earners,
            earner_leaves,
        }
    }

    /// The total paid out per token.
    #[must_use]
    pub fn paid(&self) -> BTreeMap<Address, U256> {
        let mut paid: BTreeMap<Address, U256> = BTreeMap::new();
        for tokens in self.earnings.values() {
            for (t, a) in tokens {
                let e = paid.entry(*t).or_default();
                *e = e.saturating_add(*a);
            }
        }
        paid
    }
}

fn token_leaves(tokens: &[(Address, U256)]) -> Vec<B256> {
    tokens
        .iter()
        .map(|(t, a)| merkle::token_leaf_hash(*t, *a))
        .collect()
}

fn token_root(tokens: &[(Address, U256)]) -> B256 {
    merkle::root(&token_leaves(tokens))
}

impl RewardsTree {
    /// `earner`'s claim of all its tokens against the root posted at `root_index`, or `None`
    /// when it earned nothing.
    #[must_use]
    pub fn claim(&self, root_index: u32, earner: Address) -> Option<RewardsMerkleClaim> {
        let i = self.earners.iter().position(|(e, _)| *e == earner)?;
        let tokens = &self.earners[i].1;
        let leaves = token_leaves(tokens);
        Some(RewardsMerkleClaim {
            rootIndex: root_index,
            earnerIndex: u32::try_from(i).ok()?,
            earnerTreeProof: merkle::proof(&self.earner_leaves, i)?.into(),
            earnerLeaf: EarnerTreeMerkleLeaf {
                earner,
                earnerTokenRoot: merkle::root(&leaves),
            },
            tokenIndices: (0..tokens.len())
                .map(u32::try_from)
                .collect::<Result<_, _>>()
                .ok()?,
            tokenTreeProofs: (0..tokens.len())
                .map(|j| merkle::proof(&leaves, j).map(Into::into))
                .collect::<Option<_>>()?,
            tokenLeaves: tokens
                .iter()
                .map(|(t, a)| TokenTreeMerkleLeaf {
                    token: *t,
                    cumulativeEarnings: *a,
                })
                .collect(),
        })
    }

    /// The proofs of every earner as JSON (hex strings), for earners to claim with.
    #[must_use]
    pub fn proofs_json(&self, root_index: u32, end: u64) -> serde_json::Value {
        let earners: Vec<serde_json::Value> = self
            .earners
            .iter()
            .filter_map(|(e, _)| self.claim(root_index, *e))
            .map(|c| {
                serde_json::json!({
                    "earner": c.earnerLeaf.earner.to_string(),
                    "earnerIndex": c.earnerIndex,
                    "earnerTokenRoot": c.earnerLeaf.earnerTokenRoot.to_string(),
                    "earnerTreeProof": c.earnerTreeProof.to_string(),
                    "tokens": c.tokenLeaves.iter().zip(&c.tokenIndices).zip(&c.tokenTreeProofs)
                        .map(|((l, i), p)| serde_json::json!({
                            "token": l.token.to_string(),
                            "cumulativeEarnings": l.cumulativeEarnings.to_string(),
                            "index": i,
                            "proof": p.to_string(),
                        }))
                        .collect::<Vec<_>>(),
                })
            })
            .collect();
        serde_json::json!({
            "root": self.root.to_string(),
            "rootIndex": root_index,
            "rewardsCalculationEndTimestamp": end,
            "earners": earners,
        })
    }
}

#[cfg(test)]
mod tests;
