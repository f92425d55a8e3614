//! Stands in for the AllocationManager in the DelegationManager's unit tests (motsu), which set
//! max magnitudes directly instead of building AVSs, sets and allocations: it answers the calls
//! the DelegationManager and StrategyManager make, and lets a test lower an operator's max
//! magnitude, which — like the real `apply_slash` — records the new value at the current
//! timestamp and calls `DelegationManager.slashOperatorShares`. The integration suite, the demo
//! and the bench use the real AllocationManager.
//!
//! - `getMaxMagnitude(operator, strategy)`: the latest value, WAD when never slashed.
//! - `getMaxMagnitudeAt(operator, strategy, timestamp)`: the last value recorded at or before
//!   `timestamp`, WAD before the first.
//! - `setAllocationDelay(operator, delay)`: remembers the last call (`lastDelay`).
//! - `getRedistributionRecipient(operatorSet)`: one settable address for every set.
//! - `slash(operator, strategy, newMagnitude, operatorSet, slashId)`: anyone may call it; this is
//!   a test double, never deployed outside tests and the demo.
//!
//! For the Slasher's unit tests it also answers the Slasher's calls:
//! - `isOperatorSet(set)`: true for sets announced with `createSet(avs, id)`.
//! - `getAllocation(operator, set, strategy)`: the whole max magnitude, nothing pending (the
//!   Slasher's rate cap reads the current magnitude).
//! - `checkSlash(avs, params)` / `applySlash(avs, params)`: revert with the data given to
//!   `setRevert` when it is not empty; else `applySlash` counts the call, remembers the hash of
//!   its calldata (`lastSlash`) and returns slash id = count, magnitudes = wads (as u64) and
//!   shares = 3 × wads.
#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
// `#[entrypoint]` generates public functions without docs; see strategy-manager.
#![allow(missing_docs)]
extern crate alloc;

use alloc::vec::Vec;

use alloy_primitives::{keccak256, Address, B256, U256};
use alloy_sol_types::SolCall;
use restaking_abi::{
    abi::{
        Allocation, IAllocationManager, IDelegationManager, OperatorSet, SlashOutcome,
        SlashingParams,
    },
    call,
    constants::WAD,
};
use stylus_sdk::{
    prelude::*,
    storage::{
        StorageAddress, StorageB256, StorageBool, StorageBytes, StorageMap, StorageU256,
        StorageU32, StorageVec,
    },
};

/// The mock's state.
#[entrypoint]
#[storage]
pub struct MockAllocationManager {
    /// Where `slash` reports to.
    delegation_manager: StorageAddress,
    /// Answer of `getRedistributionRecipient`.
    recipient: StorageAddress,
    /// Operator of the last `setAllocationDelay`.
    last_operator: StorageAddress,
    /// Delay of the last `setAllocationDelay`.
    last_delay: StorageU32,
    /// Max magnitude checkpoints `timestamp << 64 | magnitude` by operator, then strategy.
    history: StorageMap<Address, StorageMap<Address, StorageVec<StorageU256>>>,
    /// Sets `isOperatorSet` answers true for, by `avs ‖ uint96(id)`.
    sets: StorageMap<B256, StorageBool>,
    /// Revert data of `checkSlash` / `applySlash` (none when empty).
    revert: StorageBytes,
    /// Number of `applySlash` calls.
    slashes: StorageU256,
    /// Keccak of the last `applySlash` calldata.
    last_slash: StorageB256,
}

const MASK: U256 = U256::from_limbs([u64::MAX, 0, 0, 0]);

#[public]
impl MockAllocationManager {
    /// Sets where slashes are reported.
    pub fn set_delegation_manager(&mut self, delegation_manager: Address) {
        self.delegation_manager.set(delegation_manager);
    }

    /// Sets the redistribution recipient of every set.
    pub fn set_recipient(&mut self, recipient: Address) {
        self.recipient.set(recipient);
    }

    /// The redistribution recipient of `operator_set` (one for all).
    pub fn get_redistribution_recipient(&self, operator_set: OperatorSet) -> Address {
        let _ = operator_set;
        self.recipient.get()
    }

    /// Remembers the call.
    pub fn set_allocation_delay(&mut self, operator: Address, delay: u32) {
        self.last_operator.set(operator);
        self.last_delay.set(alloy_primitives::Uint::from(delay));
    }

    /// The last `(operator, delay)` given to [`Self::set_allocation_delay`].
    pub fn last_delay(&self) -> (Address, u32) {
        (self.last_operator.get(), self.last_delay.get().to())
    }

    /// The allocation as the Slasher's rate cap reads it: the whole max magnitude, nothing
    /// pending.
    pub fn get_allocation(
        &self,
        operator: Address,
        _operator_set: OperatorSet,
        strategy: Address,
    ) -> Allocation {
        Allocation {
            currentMagnitude: self.get_max_magnitude(operator, strategy),
            pendingDiff: 0,
            effectTimestamp: 0,
        }
    }

    /// The latest max magnitude (WAD when never slashed).
    pub fn get_max_magnitude(&self, operator: Address, strategy: Address) -> u64 {
        self.magnitude_at(operator, strategy, u64::MAX)
    }

    /// The max magnitude at `timestamp`.
    pub fn get_max_magnitude_at(
        &self,
        operator: Address,
        strategy: Address,
        timestamp: u64,
    ) -> u64 {
        self.magnitude_at(operator, strategy, timestamp)
    }

    /// Lowers `operator`'s max magnitude in `strategy` to `new_magnitude` now and reports the
    /// slash to the DelegationManager, returning the shares it slashed (its revert data on error).
    ///
    /// # Errors
    /// The DelegationManager's revert data.
    pub fn slash(
        &mut self,
        operator: Address,
        strategy: Address,
        new_magnitude: u64,
        operator_set: OperatorSet,
        slash_id: U256,
    ) -> Result<U256, Vec<u8>> {
        let prev = self.get_max_magnitude(operator, strategy);
        let now = self.vm().block_timestamp();
        self.history
            .setter(operator)
            .setter(strategy)
            .push((U256::from(now) << 64) | U256::from(new_magnitude));
        let report = IDelegationManager::slashOperatorSharesCall {
            operator,
            operatorSet: operator_set,
            slashId: slash_id,
            strategy,
            prevMaxMagnitude: prev,
            newMaxMagnitude: new_magnitude,
        };
        call::call(self.delegation_manager.get(), &report.abi_encode())
            .and_then(call::decode_u256)
            .map_err(|e| e.data().to_vec())
    }

    /// Makes `isOperatorSet((avs, id))` answer true.
    pub fn create_set(&mut self, avs: Address, id: u32) {
        self.sets.setter(restaking_abi::set_key(avs, id)).set(true);
    }

    /// Whether the set was announced with [`Self::create_set`].
    pub fn is_operator_set(&self, operator_set: OperatorSet) -> bool {
        self.sets
            .get(restaking_abi::set_key(operator_set.avs, operator_set.id))
    }

    /// Sets the revert data of `checkSlash` / `applySlash` (empty = succeed).
    pub fn set_revert(&mut self, data: stylus_sdk::abi::Bytes) {
        self.revert.set_bytes(data.0);
    }

    /// Reverts with the configured data, if any.
    pub fn check_slash(&self, avs: Address, params: SlashingParams) -> Result<(), Vec<u8>> {
        let _ = (avs, params);
        self.fail()
    }

    /// Counts and remembers the call, then answers as described in the crate docs.
    pub fn apply_slash(
        &mut self,
        avs: Address,
        params: SlashingParams,
    ) -> Result<SlashOutcome, Vec<u8>> {
        self.fail()?;
        let count = self.slashes.get() + U256::from(1);
        self.slashes.set(count);
        let outcome = SlashOutcome {
            slashId: count,
            magnitudesSlashed: params.wadsToSlash.iter().map(|w| w.to::<u64>()).collect(),
            sharesSlashed: params
                .wadsToSlash
                .iter()
                .map(|w| *w * U256::from(3))
                .collect(),
        };
        let call = IAllocationManager::applySlashCall { avs, params };
        self.last_slash.set(keccak256(call.abi_encode()));
        Ok(outcome)
    }

    /// Number of `applySlash` calls and the keccak of the last one's calldata.
    pub fn last_slash(&self) -> (U256, B256) {
        (self.slashes.get(), self.last_slash.get())
    }
}

impl MockAllocationManager {
    fn fail(&self) -> Result<(), Vec<u8>> {
        let data = self.revert.get_bytes();
        if data.is_empty() {
            Ok(())
        } else {
            Err(data)
        }
    }

    fn magnitude_at(&self, operator: Address, strategy: Address, timestamp: u64) -> u64 {
        let history = self.history.getter(operator);
        let history = history.getter(strategy);
        let mut answer = WAD.to::<u64>();
        for i in 0..history.len() {
            let packed = history.get(i).unwrap_or_default();
            if packed >> 64 > U256::from(timestamp) {
                break;
            }
            answer = (packed & MASK).to::<u64>();
        }
        answer
    }
}
