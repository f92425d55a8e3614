//! `devnode`: the in-process Stylus devnode (DESIGN §7).
//!
//! For now the crate holds the one implementation of Nitro's *activation* checks
//! ([`activation::validate`]): the build pipeline (`scripts`' `build-contracts`) runs it on every
//! optimized contract module, and the devnode's deploy path will run the very same function
//! before it instantiates a module, so "it activates here" and "it builds" mean the same thing.
//! [`activation::HOSTIOS`] is Nitro's table of the 42 `vm_hooks` host functions; the devnode
//! checks that it provides every one of them.

pub mod activation;
pub mod gas;
mod host;
mod node;
pub mod world;

pub use node::{
    constructor_calldata, decompress, parse_stylus_init_code, stylus_code, stylus_init_code,
    BlockEnv, CallKind, DeployError, Devnode, Executed, Receipt, DEFAULT_TX_GAS, DEV_CHAIN_ID,
    ECRECOVER, MAX_CALL_DEPTH, STYLUS_PREFIX,
};
pub use world::Log;
