//! Timestamped checkpoints in a `StorageVec<StorageU256>`: each word packs
//! `timestamp << SHIFT | value`, times never decrease, and there is at most one checkpoint per
//! timestamp. DelegationManager keeps cumulative queued shares this way (`SHIFT` 192),
//! AllocationManager the max magnitudes (`SHIFT` 64).

use alloy_primitives::U256;
use stylus_sdk::storage::{StorageU256, StorageVec};

/// The value part of a checkpoint word.
fn value<const SHIFT: usize>(word: U256) -> U256 {
    word & ((U256::from(1) << SHIFT) - U256::from(1))
}

/// The latest value, if any.
#[must_use]
pub fn latest<const SHIFT: usize>(history: &StorageVec<StorageU256>) -> Option<U256> {
    let len = history.len();
    let last = history.get(len.checked_sub(1)?)?;
    Some(value::<SHIFT>(last))
}

/// Records `value` at `timestamp` (not before the latest checkpoint's): replaces the latest
/// checkpoint when it has the same timestamp, else appends. `value` must fit in `SHIFT` bits.
pub fn record<const SHIFT: usize>(
    history: &mut StorageVec<StorageU256>,
    timestamp: u64,
    value: U256,
) {
    let packed = (U256::from(timestamp) << SHIFT) | value;
    let len = history.len();
    if len > 0 {
        if let Some(mut last) = history.setter(len - 1) {
            if last.get() >> SHIFT == U256::from(timestamp) {
                last.set(packed);
                return;
            }
        }
    }
    history.push(packed);
}

/// The value of the last checkpoint at or before `timestamp` (binary search), if any.
#[must_use]
pub fn at<const SHIFT: usize>(history: &StorageVec<StorageU256>, timestamp: u64) -> Option<U256> {
    let word = |i: usize| history.get(i).unwrap_or_default();
    // The first checkpoint after `timestamp`; the one before it holds the answer.
    let (mut lo, mut hi) = (0, history.len());
    while lo < hi {
        let mid = lo.midpoint(hi);
        if word(mid) >> SHIFT <= U256::from(timestamp) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    if lo == 0 {
        None
    } else {
        Some(value::<SHIFT>(word(lo - 1)))
    }
}
