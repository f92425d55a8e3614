//! Signature checks: ECDSA through the `ecrecover` precompile, EIP-1271 for contract signers.
//!
//! Mirrors OpenZeppelin's `SignatureChecker.isValidSignatureNow`: a 65-byte signature that
//! recovers to the signer is valid; otherwise, if the signer has code, it is valid when the
//! signer's `isValidSignature(hash, signature)` returns the EIP-1271 magic value. High-`s` and
//! `v ∉ {27, 28}` signatures are rejected (no malleability).

use alloy_primitives::{address, b256, Address, B256, U256};
use stylus_sdk::{call::RawCall, stylus_core::Host};

use alloy_sol_types::SolCall;

use crate::{
    abi::{ERC1271_MAGIC_VALUE, IERC1271},
    call::{static_call, word},
};

/// The `ecrecover` precompile.
pub const ECRECOVER: Address = address!("0000000000000000000000000000000000000001");

/// secp256k1 order / 2: signatures with a larger `s` are malleable twins and rejected.
const HALF_ORDER: B256 = b256!("7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0");

/// The address that signed `hash` with `(v, r, s)`, or `None` for a malformed or malleable
/// signature (or a precompile failure).
#[must_use]
pub fn recover(hash: B256, v: u8, r: B256, s: B256) -> Option<Address> {
    if U256::from_be_bytes(s.0) > U256::from_be_bytes(HALF_ORDER.0) || !(v == 27 || v == 28) {
        return None;
    }
    let mut input = [0u8; 128];
    input[..32].copy_from_slice(hash.as_slice());
    input[63] = v;
    input[64..96].copy_from_slice(r.as_slice());
    input[96..].copy_from_slice(s.as_slice());
    // SAFETY: a static call to a precompile cannot touch this contract's storage.
    let out = unsafe { RawCall::new_static().call(ECRECOVER, &input) }.ok()?;
    if out.len() != 32 || out[..12].iter().any(|&b| b != 0) {
        return None;
    }
    let signer = Address::from_slice(&out[12..]);
    (!signer.is_zero()).then_some(signer)
}

/// Whether `signature` over `hash` is valid for `signer`: ECDSA, else EIP-1271 when `signer` has
/// code (an account without code cannot answer EIP-1271, so it is not called).
#[must_use]
pub fn is_valid_signature_now(
    vm: &dyn Host,
    signer: Address,
    hash: B256,
    signature: &[u8],
) -> bool {
    if signature.len() == 65 {
        let r = B256::from_slice(&signature[..32]);
        let s = B256::from_slice(&signature[32..64]);
        if recover(hash, signature[64], r, s) == Some(signer) {
            return true;
        }
    }
    if vm.code_size(signer) == 0 {
        return false;
    }
    let data = IERC1271::isValidSignatureCall {
        hash,
        signature: signature.to_vec().into(),
    }
    .abi_encode();
    static_call(signer, &data)
        .and_then(word)
        .is_ok_and(|w| w[..4] == ERC1271_MAGIC_VALUE && w[4..].iter().all(|&b| b == 0))
}
