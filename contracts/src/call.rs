//! Typed calls from one contract to another, with the storage-cache discipline Nitro needs.
//!
//! A mutating call flushes **and clears** the caller's storage cache first (the callee may call
//! back and change storage the caller had cached); a static call only flushes. Return data is
//! decoded with the `sol!` types of [`crate::abi`], so a caller and its callee share one ABI.
//!
//! Token helpers follow OpenZeppelin's SafeERC20 rules: a transfer succeeds when the call
//! succeeds and returns either nothing (from an account with code) or ABI `true`.

use alloc::vec::Vec;

use alloy_primitives::{Address, Bytes, U256};
use alloy_sol_types::SolCall;
use stylus_sdk::{call::RawCall, stylus_core::Host};

use crate::abi::IERC20;

/// Why a typed call failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CallError {
    /// The callee reverted with this data (empty for a trap or a call to a missing function).
    Reverted(Vec<u8>),
    /// The callee returned data that does not decode as the declared return type.
    BadReturn(Vec<u8>),
}

impl CallError {
    /// The revert or return data, to surface in an error.
    #[must_use]
    pub fn data(self) -> Bytes {
        match self {
            Self::Reverted(d) | Self::BadReturn(d) => Bytes::from(d),
        }
    }
}

fn decode<C: SolCall>(out: Vec<u8>) -> Result<C::Return, CallError> {
    C::abi_decode_returns(&out, true).map_err(|_| CallError::BadReturn(out))
}

/// Calls `to` with `call` (no value), after flushing and clearing the storage cache.
///
/// # Errors
/// [`CallError`] when the callee reverts or returns malformed data.
pub fn call<C: SolCall>(to: Address, call: &C) -> Result<C::Return, CallError> {
    // SAFETY: the cache is flushed and cleared before the call, so no storage reference held by
    // the caller can observe a stale value afterwards.
    let out = unsafe { RawCall::new().clear_storage_cache().call(to, &call.abi_encode()) }
        .map_err(CallError::Reverted)?;
    decode::<C>(out)
}

/// Static-calls `to` with `call`, after flushing the storage cache.
///
/// # Errors
/// [`CallError`] when the callee reverts or returns malformed data.
pub fn static_call<C: SolCall>(to: Address, call: &C) -> Result<C::Return, CallError> {
    // SAFETY: a static call cannot change state; flushing makes our pending writes visible.
    let out = unsafe { RawCall::new_static().flush_storage_cache().call(to, &call.abi_encode()) }
        .map_err(CallError::Reverted)?;
    decode::<C>(out)
}

/// Raw mutating call returning the undecoded output (for calls whose return is optional).
fn call_raw(to: Address, data: &[u8]) -> Result<Vec<u8>, CallError> {
    // SAFETY: as in [`call`].
    unsafe { RawCall::new().clear_storage_cache().call(to, data) }.map_err(CallError::Reverted)
}

/// SafeERC20 acceptance rule for the output of `transfer`/`transferFrom`/`approve`.
fn accept_bool_or_empty(vm: &dyn Host, token: Address, out: Vec<u8>) -> Result<(), CallError> {
    if out.is_empty() {
        return if vm.code_size(token) > 0 { Ok(()) } else { Err(CallError::BadReturn(out)) };
    }
    match <bool as alloy_sol_types::SolValue>::abi_decode(&out, true) {
        Ok(true) => Ok(()),
        _ => Err(CallError::BadReturn(out)),
    }
}

/// `token.transfer(to, amount)` with SafeERC20 semantics.
///
/// # Errors
/// [`CallError`] when the token reverts, returns false, or has no code.
pub fn safe_transfer(vm: &dyn Host, token: Address, to: Address, amount: U256) -> Result<(), CallError> {
    let out = call_raw(token, &IERC20::transferCall { to, value: amount }.abi_encode())?;
    accept_bool_or_empty(vm, token, out)
}

/// `token.transferFrom(from, to, amount)` with SafeERC20 semantics.
///
/// # Errors
/// [`CallError`] when the token reverts, returns false, or has no code.
pub fn safe_transfer_from(vm: &dyn Host, token: Address, from: Address, to: Address, amount: U256) -> Result<(), CallError> {
    let out = call_raw(token, &IERC20::transferFromCall { from, to, value: amount }.abi_encode())?;
    accept_bool_or_empty(vm, token, out)
}

/// `token.balanceOf(account)`.
///
/// # Errors
/// [`CallError`] when the token reverts or returns malformed data (e.g. it has no code).
pub fn balance_of(token: Address, account: Address) -> Result<U256, CallError> {
    static_call(token, &IERC20::balanceOfCall { account }).map(|r| r._0)
}
