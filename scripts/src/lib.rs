//! Host-side tools of the restaking workspace (DESIGN §3).
//!
//! - [`build`]: the contract build pipeline behind the `build-contracts` binary — `cargo` with
//!   std rebuilt for `wasm32-unknown-unknown` ([`build_contract`]), `wasm-opt` ([`optimize`]),
//!   Nitro's activation checks (`devnode::activation::validate`), brotli ([`compress`]) and the
//!   Stylus `EF F0 00 00` prefix ([`deployable_code`]), with the 24,576-byte size limit.
//! - [`report`]: the size table, printed as text or written between markers into a Markdown
//!   file.
//! - [`abi`]: the `export-abi` binary's library — runs each contract's export-abi `main`,
//!   converts the Solidity interface it prints into a standard JSON ABI without `solc`, and
//!   checks that the committed `abi/` files are fresh.
//!
//! Everything is a library function so the devnode and the demo can build and deploy the real
//! contracts the same way the binaries do.

use std::path::{Path, PathBuf};

pub mod abi;
pub mod build;
pub mod lifecycle;
pub mod report;

pub use build::{
    build_contract, compress, deployable_code, optimize, ContractArtifacts, MAX_CODE_SIZE,
    STYLUS_PREFIX,
};

/// Every deployable contract, in build order: the six contracts' programs (a package name, or
/// a package name plus one of [`build::MODULE_SUFFIXES`] for its other modules), then the
/// Stylus mocks.
pub const CONTRACTS: [&str; 13] = {
    let (programs, mocks) = (integration::PROGRAMS, integration::MOCK_PROGRAMS);
    let mut all = [""; 13];
    let mut i = 0;
    while i < all.len() {
        all[i] = if i < programs.len() {
            programs[i]
        } else {
            mocks[i - programs.len()]
        };
        i += 1;
    }
    all
};

/// The workspace root (the directory holding the root `Cargo.toml`).
///
/// Fixed at compile time from this crate's location (`<root>/scripts`), so the tools find the
/// workspace whatever directory they are started from.
pub fn workspace_root() -> PathBuf {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest_dir
        .parent()
        .map_or_else(|| manifest_dir.to_path_buf(), Path::to_path_buf)
}
