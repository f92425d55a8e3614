//! Typed calls from one contract to another, with the storage-cache discipline Nitro needs.
//!
//! A mutating call flushes **and clears** the caller's storage cache first (the callee may call
//! back and change storage the caller had cached); a static call only flushes. Calldata is
//! encoded with the `sol!` types of [`crate::abi`], so a caller and its callee share one ABI.
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

/// Calls `to` with `data` (no value), after flushing and clearing the storage cache; returns the
/// raw return data.
///
/// Decoding is left to the small word readers below instead of a generic decoder per call type:
/// contract code size is the binding constraint on Stylus.
///
/// # Errors
/// [`CallError::Reverted`] when the callee reverts.
pub fn call(to: Address, data: &[u8]) -> Result<Vec<u8>, CallError> {
    // SAFETY: the cache is flushed and cleared before the call, so no storage value the caller
    // cached can be stale afterwards.
    unsafe { RawCall::new().clear_storage_cache().call(to, data) }.map_err(CallError::Reverted)
}

/// Static-calls `to` with `data`, after flushing the storage cache; returns the raw return data.
///
/// # Errors
/// [`CallError::Reverted`] when the callee reverts.
pub fn static_call(to: Address, data: &[u8]) -> Result<Vec<u8>, CallError> {
    // SAFETY: a static call cannot change state; flushing makes our pending writes visible.
    unsafe { RawCall::new_static().flush_storage_cache().call(to, data) }
        .map_err(CallError::Reverted)
}

/// Runs `calldata` in `module`'s code on the caller's own storage (`DELEGATECALL`) and returns
/// its output, or its revert data as the error: the fallback of a contract built as a core and an
/// extension module of one crate, which share one storage layout.
///
/// # Errors
/// The module's revert data.
pub fn delegate_to_module(module: Address, calldata: &[u8]) -> Result<Vec<u8>, Vec<u8>> {
    // SAFETY: the module has the caller's storage layout (same crate, other feature set); the
    // storage cache is flushed and cleared first, so nothing cached goes stale.
    unsafe {
        RawCall::new_delegate()
            .clear_storage_cache()
            .call(module, calldata)
    }
}

/// The first 32-byte word of `out`.
///
/// # Errors
/// [`CallError::BadReturn`] when `out` is shorter than a word.
pub fn word(out: Vec<u8>) -> Result<[u8; 32], CallError> {
    match out.get(..32) {
        Some(w) => {
            let mut word = [0u8; 32];
            word.copy_from_slice(w);
            Ok(word)
        }
        None => Err(CallError::BadReturn(out)),
    }
}

/// `out` decoded as one ABI `uint256`.
///
/// # Errors
/// [`CallError::BadReturn`] when `out` is shorter than a word.
pub fn decode_u256(out: Vec<u8>) -> Result<U256, CallError> {
    word(out).map(U256::from_be_bytes)
}

/// `out` decoded as one ABI `address` (upper 12 bytes must be zero).
///
/// # Errors
/// [`CallError::BadReturn`] when `out` is short or not a clean address word.
pub fn decode_address(out: Vec<u8>) -> Result<Address, CallError> {
    let w = word(out)?;
    if w[..12].iter().any(|&b| b != 0) {
        return Err(CallError::BadReturn(w.to_vec()));
    }
    Ok(Address::from_slice(&w[12..]))
}

/// `keccak256("")`: the code hash of an account without code.
const EMPTY_CODE_HASH: alloy_primitives::B256 =
    alloy_primitives::b256!("c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");

/// Whether `account` holds code: its code hash is neither zero (no account) nor the empty code's.
#[must_use]
pub fn has_code(vm: &dyn Host, account: Address) -> bool {
    let hash = vm.code_hash(account);
    !hash.is_zero() && hash != EMPTY_CODE_HASH
}

/// SafeERC20 acceptance rule for the output of `transfer`/`transferFrom`/`approve`.
fn accept_bool_or_empty(vm: &dyn Host, token: Address, out: Vec<u8>) -> Result<(), CallError> {
    if out.is_empty() {
        return if vm.code_size(token) > 0 {
            Ok(())
        } else {
            Err(CallError::BadReturn(out))
        };
    }
    match word(out)? {
        w if w == U256::from(1).to_be_bytes::<32>() => Ok(()),
        w => Err(CallError::BadReturn(w.to_vec())),
    }
}

/// `token.transfer(to, amount)` with SafeERC20 semantics.
///
/// # Errors
/// [`CallError`] when the token reverts, returns false, or has no code.
pub fn safe_transfer(
    vm: &dyn Host,
    token: Address,
    to: Address,
    amount: U256,
) -> Result<(), CallError> {
    let out = call(
        token,
        &IERC20::transferCall { to, value: amount }.abi_encode(),
    )?;
    accept_bool_or_empty(vm, token, out)
}

/// `token.transferFrom(from, to, amount)` with SafeERC20 semantics.
///
/// # Errors
/// [`CallError`] when the token reverts, returns false, or has no code.
pub fn safe_transfer_from(
    vm: &dyn Host,
    token: Address,
    from: Address,
    to: Address,
    amount: U256,
) -> Result<(), CallError> {
    let out = call(
        token,
        &IERC20::transferFromCall {
            from,
            to,
            value: amount,
        }
        .abi_encode(),
    )?;
    accept_bool_or_empty(vm, token, out)
}

/// `token.balanceOf(account)`.
///
/// # Errors
/// [`CallError`] when the token reverts or returns malformed data (e.g. it has no code).
pub fn balance_of(token: Address, account: Address) -> Result<U256, CallError> {
    static_call(token, &IERC20::balanceOfCall { account }.abi_encode()).and_then(decode_u256)
}
