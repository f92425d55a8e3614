//! A test AVS registrar (`IAvsRegistrar`): the AllocationManager calls it when an operator joins
//! or leaves one of its AVS's sets.
//!
//! - `setSupported(avs, yes)`: what `supportsAvs(avs)` answers (false until set).
//! - `setBehaviour(mode, data)`: how `registerOperator` and `deregisterOperator` answer —
//!   [`ACCEPT`], [`REJECT`] (revert with no data) or [`REVERT_WITH_DATA`] (revert with `data`).
//! - `registrations(operator)` / `deregistrations(operator)`: accepted callbacks per operator, and
//!   `lastData()`: the `data` of the last accepted registration.
#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
// `#[entrypoint]` generates public functions without docs; see strategy-manager.
#![allow(missing_docs)]
extern crate alloc;

use alloc::vec::Vec;

use alloy_primitives::{Address, U256, U8};
use stylus_sdk::{
    abi::Bytes,
    prelude::*,
    storage::{StorageBool, StorageBytes, StorageMap, StorageU256, StorageU8},
};

/// Accept every callback.
pub const ACCEPT: u8 = 0;
/// Revert every callback with empty data.
pub const REJECT: u8 = 1;
/// Revert every callback with the set data.
pub const REVERT_WITH_DATA: u8 = 2;

/// The registrar's state.
#[entrypoint]
#[storage]
pub struct MockRegistrar {
    /// `supportsAvs` answers.
    supported: StorageMap<Address, StorageBool>,
    /// One of the modes above.
    mode: StorageU8,
    /// Revert data of [`REVERT_WITH_DATA`].
    revert_data: StorageBytes,
    /// Accepted registrations per operator.
    registrations: StorageMap<Address, StorageU256>,
    /// Accepted deregistrations per operator.
    deregistrations: StorageMap<Address, StorageU256>,
    /// `data` of the last accepted registration.
    last_data: StorageBytes,
}

#[public]
impl MockRegistrar {
    /// Sets what `supportsAvs(avs)` answers.
    pub fn set_supported(&mut self, avs: Address, yes: bool) {
        self.supported.setter(avs).set(yes);
    }

    /// Sets how the callbacks answer.
    pub fn set_behaviour(&mut self, mode: u8, data: Bytes) {
        self.mode.set(U8::from(mode));
        self.revert_data.set_bytes(data.0);
    }

    /// `IAvsRegistrar.supportsAvs`.
    pub fn supports_avs(&self, avs: Address) -> bool {
        self.supported.get(avs)
    }

    /// `IAvsRegistrar.registerOperator`: counts and keeps `data`, or reverts per the mode.
    ///
    /// # Errors
    /// Per the mode.
    pub fn register_operator(
        &mut self,
        operator: Address,
        avs: Address,
        operator_set_ids: Vec<u32>,
        data: Bytes,
    ) -> Result<(), Vec<u8>> {
        let _ = (avs, operator_set_ids);
        self.answer()?;
        let count = self.registrations.get(operator);
        self.registrations
            .setter(operator)
            .set(count + U256::from(1));
        self.last_data.set_bytes(data.0);
        Ok(())
    }

    /// `IAvsRegistrar.deregisterOperator`: counts, or reverts per the mode.
    ///
    /// # Errors
    /// Per the mode.
    pub fn deregister_operator(
        &mut self,
        operator: Address,
        avs: Address,
        operator_set_ids: Vec<u32>,
    ) -> Result<(), Vec<u8>> {
        let _ = (avs, operator_set_ids);
        self.answer()?;
        let count = self.deregistrations.get(operator);
        self.deregistrations
            .setter(operator)
            .set(count + U256::from(1));
        Ok(())
    }

    /// Accepted registrations of `operator`.
    pub fn registrations(&self, operator: Address) -> U256 {
        self.registrations.get(operator)
    }

    /// Accepted deregistrations of `operator`.
    pub fn deregistrations(&self, operator: Address) -> U256 {
        self.deregistrations.get(operator)
    }

    /// `data` of the last accepted registration.
    pub fn last_data(&self) -> Bytes {
        Bytes(self.last_data.get_bytes())
    }
}

impl MockRegistrar {
    fn answer(&self) -> Result<(), Vec<u8>> {
        match self.mode.get().to::<u8>() {
            REJECT => Err(Vec::new()),
            REVERT_WITH_DATA => Err(self.revert_data.get_bytes()),
            _ => Ok(()),
        }
    }
}
