//! `restaking-abi`: the one shared ABI crate of the restaking protocol.
//!
//! Every contract crate, the devnode, the integration suite and the scripts depend on this crate
//! and on nothing of each other. It holds:
//!
//! - [`abi`]: one `sol!` definition of every shared struct, custom error, event and the external
//!   interface of each of the six contracts (plus the ERC-20 / ERC-2612 / ERC-1271 / AVS registrar
//!   interfaces they call). Contracts call each other through [`call`] with these types; host
//!   code encodes calldata and decodes return data, errors and logs with the very same types.
//! - [`constants`]: WAD, share offsets, limits, pause bits and default delays.
//! - [`math`]: WAD math with an explicit rounding direction, strategy share math and the slashing
//!   math, all returning [`math::MathError`] instead of panicking.
//! - [`eip712`]: domain separator, typehashes and digests for signed deposits and delegations.
//! - [`admin`]: the owner (two-step) and pause component every contract inherits.
//! - [`allocation`]: an allocation with its pending change, as stored and as replayed.
//! - [`checkpoints`]: timestamped checkpoint histories with binary search.
//! - [`signature`]: ECDSA (`ecrecover`) and EIP-1271 signature checks.
//! - `export` (feature `export-abi`): Solidity declarations of events and structs for `abi/`.
//! - [`merkle`]: reward tree leaf hashing and index-ordered proof verification.
//!
//! The crate has no entrypoint and no storage; it is `no_std` so contract WASM stays small.
#![cfg_attr(not(feature = "export-abi"), no_std)]

extern crate alloc;

pub mod abi;
pub mod admin;
pub mod allocation;
pub mod call;
pub mod checkpoints;
pub mod constants;
pub mod eip712;
#[cfg(feature = "export-abi")]
pub mod export;
pub mod math;
pub mod merkle;
pub mod signature;

pub use abi::*;

/// Reads a stored small integer without the panicking conversion path (`Uint::to`), whose
/// formatting code would cost kilobytes of WASM.
pub trait Small {
    /// The value as `u64` (the low limb).
    fn u64(self) -> u64;
    /// The value as `u32` (for fields of at most 32 bits).
    fn u32(self) -> u32;
    /// The value as `u8` (for fields of 8 bits).
    fn u8(self) -> u8;
}

#[allow(clippy::cast_possible_truncation)]
impl<const BITS: usize> Small for alloy_primitives::Uint<BITS, 1> {
    fn u64(self) -> u64 {
        self.as_limbs()[0]
    }

    fn u32(self) -> u32 {
        self.as_limbs()[0] as u32
    }

    fn u8(self) -> u8 {
        self.as_limbs()[0] as u8
    }
}
