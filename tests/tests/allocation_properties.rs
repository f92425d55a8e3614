//! Property test of the AllocationManager's magnitude rules on the devnode with the real WASM:
//! random sequences of allocations, deallocations, slashes, deregistrations, queue clearing and
//! clock jumps by one operator over three sets (it joins two) and two strategies. After every step:
//!
//! - max = encumbered + allocatable, max ≤ WAD, and max never rises;
//! - every allocation's current magnitude ≤ max, and a pending change has an effect time in the
//!   future, no later than the allocation delay (increase) or the deallocation delay + 1
//!   (decrease) from now;
//! - unique stake: once completed deallocations are cleared, Σ over sets of (current + pending
//!   increase) equals the encumbered magnitude, so no two sets hold the same magnitude;
//! - a slash takes exactly `⌈current·wad/WAD⌉`;
//! - a step that reverts changes none of the above.
//!
//! The clock only moves on the devnode, so this runs there even when `NITRO_RPC_URL` is set.

#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

use alloy_primitives::{Address, U256};
use alloy_sol_types::SolCall;
use devnode::Devnode;
use integration::{Actor, Backend, BackendExt, World, WorldBuilder, DEALLOCATION_DELAY};
use proptest::prelude::*;
use restaking_abi::abi::*;

const WAD64: u64 = 1_000_000_000_000_000_000;
/// The operator's allocation delay (seconds).
const DELAY: u32 = 3;

#[derive(Clone, Debug)]
enum Step {
    Allocate {
        set: u32,
        strategy: usize,
        twentieths: u64,
    },
    Slash {
        set: u32,
        strategy: usize,
        percent: u64,
    },
    Warp {
        seconds: u64,
    },
    Clear {
        strategy: usize,
    },
    Deregister {
        set: u32,
    },
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        5 => (1u32..=3, 0usize..2, 0u64..=20).prop_map(|(set, strategy, twentieths)| Step::Allocate { set, strategy, twentieths }),
        2 => (1u32..=2, 0usize..2, 1u64..=100).prop_map(|(set, strategy, percent)| Step::Slash { set, strategy, percent }),
        3 => (1u64..=12).prop_map(|seconds| Step::Warp { seconds }),
        1 => (0usize..2).prop_map(|strategy| Step::Clear { strategy }),
        1 => (1u32..=2).prop_map(|set| Step::Deregister { set }),
    ]
}

struct Case {
    w: World<Devnode>,
    operator: Address,
    avs: Address,
    strategies: [Address; 2],
    /// Max magnitude per strategy after the last step.
    max: [u64; 2],
}

/// Everything the invariants look at: per strategy (max, encumbered, allocatable) and per set
/// the allocation.
type Snapshot = Vec<(u64, u64, u64, Vec<Allocation>)>;

impl Case {
    fn new() -> Self {
        let mut w = WorldBuilder::new()
            .real_delegation_manager()
            .build(Devnode::new())
            .unwrap();
        let strategies = [w.tokens.steth, w.tokens.rebasing];
        let operator = w.register_operator("operator", DELAY).unwrap().address;
        let staker = w.stakers[0].address;
        for strategy in strategies {
            let amount = U256::from(WAD64) * U256::from(7);
            w.deposit(staker, strategy, amount).unwrap().ok().unwrap();
        }
        w.delegate(staker, operator).unwrap().ok().unwrap();
        let avs = Actor::named("avs");
        let mut sorted = strategies.to_vec();
        sorted.sort();
        for id in 1..=3 {
            w.create_operator_set(&avs, id, sorted.clone(), Address::ZERO)
                .unwrap()
                .ok()
                .unwrap();
        }
        w.join(operator, avs.address, vec![1, 2])
            .unwrap()
            .ok()
            .unwrap();
        Self {
            w,
            operator,
            avs: avs.address,
            strategies,
            max: [WAD64; 2],
        }
    }

    fn set(&self, id: u32) -> OperatorSet {
        OperatorSet { avs: self.avs, id }
    }

    fn read<C: SolCall>(&mut self, call: &C) -> C::Return {
        self.w.chain.read(self.w.allocation_manager, call).unwrap()
    }

    fn snapshot(&mut self) -> Snapshot {
        let (operator, strategies) = (self.operator, self.strategies);
        strategies
            .iter()
            .map(|&strategy| {
                let max = self
                    .read(&IAllocationManager::getMaxMagnitudeCall { operator, strategy })
                    ._0;
                let encumbered = self
                    .read(&IAllocationManager::getEncumberedMagnitudeCall { operator, strategy })
                    ._0;
                let allocatable = self
                    .read(&IAllocationManager::getAllocatableMagnitudeCall { operator, strategy })
                    ._0;
                let allocations = (1..=3)
                    .map(|id| {
                        let call = IAllocationManager::getAllocationCall {
                            operator,
                            operatorSet: self.set(id),
                            strategy,
                        };
                        self.read(&call)._0
                    })
                    .collect();
                (max, encumbered, allocatable, allocations)
            })
            .collect()
    }

    fn run(&mut self, step: &Step) -> Result<(), TestCaseError> {
        let (operator, am) = (self.operator, self.w.allocation_manager);
        let before = self.snapshot();
        let outcome = match *step {
            Step::Allocate {
                set,
                strategy,
                twentieths,
            } => self
                .w
                .allocate(
                    operator,
                    self.set(set),
                    vec![self.strategies[strategy]],
                    vec![WAD64 / 20 * twentieths],
                )
                .unwrap(),
            Step::Slash {
                set,
                strategy,
                percent,
            } => {
                let wad = WAD64 / 100 * percent;
                let current = self.current_now(set, strategy);
                let r = self
                    .w
                    .slash(
                        &self.set(set),
                        operator,
                        vec![self.strategies[strategy]],
                        vec![U256::from(wad)],
                    )
                    .unwrap();
                if r.status {
                    let taken =
                        IAllocationManager::applySlashCall::abi_decode_returns(&r.output, true)
                            .unwrap()
                            .outcome
                            .magnitudesSlashed[0];
                    let expected =
                        (u128::from(current) * u128::from(wad)).div_ceil(u128::from(WAD64));
                    prop_assert_eq!(u128::from(taken), expected, "slash of {}", step_name(step));
                }
                r
            }
            Step::Warp { seconds } => {
                self.w.chain.advance(seconds).unwrap();
                return self.check();
            }
            Step::Clear { strategy } => {
                let call = IAllocationManager::clearDeallocationQueueCall {
                    operator,
                    strategies: vec![self.strategies[strategy]],
                    numToClear: vec![u16::MAX],
                };
                self.w.chain.tx(operator, am, &call).unwrap()
            }
            Step::Deregister { set } => {
                let call = IAllocationManager::deregisterFromOperatorSetsCall {
                    operator,
                    avs: self.avs,
                    operatorSetIds: vec![set],
                };
                self.w.chain.tx(operator, am, &call).unwrap()
            }
        };
        if !outcome.status {
            prop_assert_eq!(
                &self.snapshot(),
                &before,
                "{} reverted but changed state",
                step_name(step)
            );
        }
        self.check()
    }

    /// The current magnitude of (set, strategy) as the contract sees it now.
    fn current_now(&mut self, set: u32, strategy: usize) -> u64 {
        let call = IAllocationManager::getAllocationCall {
            operator: self.operator,
            operatorSet: self.set(set),
            strategy: self.strategies[strategy],
        };
        self.read(&call)._0.currentMagnitude
    }

    fn check(&mut self) -> Result<(), TestCaseError> {
        let now = self.w.chain.timestamp();
        for (i, (max, encumbered, allocatable, allocations)) in
            self.snapshot().into_iter().enumerate()
        {
            prop_assert_eq!(
                u128::from(encumbered) + u128::from(allocatable),
                u128::from(max)
            );
            prop_assert!(max <= WAD64 && max <= self.max[i], "max rose");
            self.max[i] = max;
            for a in &allocations {
                prop_assert!(a.currentMagnitude <= max);
                let pending_until = match a.pendingDiff.cmp(&0) {
                    std::cmp::Ordering::Greater => now + u64::from(DELAY),
                    // A decrease (or one a full slash shrank to nothing) waits at most this long.
                    _ if a.effectTimestamp != 0 => now + DEALLOCATION_DELAY + 1,
                    _ => 0,
                };
                if pending_until == 0 {
                    prop_assert_eq!(a.pendingDiff, 0);
                } else {
                    prop_assert!(a.effectTimestamp > now && a.effectTimestamp <= pending_until);
                    prop_assert!(a.pendingDiff.unsigned_abs() <= u128::from(WAD64));
                }
                if a.pendingDiff < 0 {
                    prop_assert!(a.pendingDiff.unsigned_abs() <= u128::from(a.currentMagnitude));
                }
            }
        }
        // Settle completed deallocations (anyone may), then the sets' slices add up exactly.
        let call = IAllocationManager::clearDeallocationQueueCall {
            operator: self.operator,
            strategies: self.strategies.to_vec(),
            numToClear: vec![u16::MAX; 2],
        };
        let anyone = self.w.stakers[1].address;
        self.w
            .chain
            .tx(anyone, self.w.allocation_manager, &call)
            .unwrap()
            .ok()
            .unwrap();
        for (_, encumbered, _, allocations) in self.snapshot() {
            let held: u128 = allocations
                .iter()
                .map(|a| {
                    u128::from(a.currentMagnitude) + u128::try_from(a.pendingDiff.max(0)).unwrap()
                })
                .sum();
            prop_assert_eq!(held, u128::from(encumbered));
        }
        Ok(())
    }
}

fn step_name(step: &Step) -> String {
    format!("{step:?}")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn magnitudes_stay_unique_bounded_and_only_fall(steps in prop::collection::vec(step(), 1..30)) {
        let mut case = Case::new();
        case.check()?;
        for step in &steps {
            case.run(step)?;
        }
    }
}
