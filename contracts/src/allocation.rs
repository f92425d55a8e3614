//! An allocation of (operator, set, strategy) in memory: its current magnitude and at most one
//! pending change, with the rule that applies the change when its time comes. The
//! AllocationManager stores it; the rewards calculator rebuilds it from `AllocationUpdated`
//! events with the same rule.

use crate::abi::Allocation;

/// An allocation in memory.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Alloc {
    /// Current magnitude.
    pub current: u64,
    /// Size of the pending change.
    pub pending: u64,
    /// Effect time of the pending change (0 = none).
    pub effect: u64,
    /// The pending change lowers the allocation.
    pub decrease: bool,
}

impl Alloc {
    /// The allocation as of `t`: a pending change whose time has come is applied.
    #[must_use]
    pub fn at(self, t: u64) -> Self {
        if self.effect == 0 || t < self.effect {
            return self;
        }
        let current = if self.decrease {
            self.current.saturating_sub(self.pending)
        } else {
            self.current.saturating_add(self.pending)
        };
        Self {
            current,
            ..Self::default()
        }
    }

    /// The ABI view.
    #[must_use]
    pub fn abi(self) -> Allocation {
        let diff = i128::from(self.pending);
        Allocation {
            currentMagnitude: self.current,
            pendingDiff: if self.decrease { -diff } else { diff },
            effectTimestamp: self.effect,
        }
    }
}
