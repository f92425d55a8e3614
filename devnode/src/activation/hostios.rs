//! Nitro's table of the 42 `vm_hooks` host functions and their exact wasm signatures.
//!
//! Order and signatures follow Nitro's canonical table (`crates/wasm-libraries/forward`, see
//! `reference/stylus-sdk-and-host.md` §5). Wasm types: `u64` is `i64`; pointers, `usize`,
//! `bool`, `u8`, `u16` and `u32` are `i32`.

use core::fmt;

/// The wasm import module every host function lives in.
pub const HOSTIO_MODULE: &str = "vm_hooks";

/// A wasm value type that appears in a host function signature (hostios use only integers).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum HostValType {
    /// `i32`: pointers, `usize`, `bool`, `u8`, `u16`, `u32`.
    I32,
    /// `i64`: `u64`.
    I64,
}

impl fmt::Display for HostValType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::I32 => "i32",
            Self::I64 => "i64",
        })
    }
}

/// One host function of the `vm_hooks` module: its name and wasm signature.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Hostio {
    /// Import name inside [`HOSTIO_MODULE`].
    pub name: &'static str,
    /// Parameter types, in order.
    pub params: &'static [HostValType],
    /// Result types (empty or one).
    pub results: &'static [HostValType],
}

impl Hostio {
    /// The signature written like wasm text: `(i32, i64) -> i32`, `() -> ()`.
    pub fn signature(&self) -> String {
        signature_string(self.params.iter(), self.results.iter())
    }
}

/// Formats a signature as `(p1, p2) -> r` (`()` for an empty list; several results in parens).
pub(crate) fn signature_string<'a, P, R, T>(params: P, results: R) -> String
where
    P: IntoIterator<Item = &'a T>,
    R: IntoIterator<Item = &'a T>,
    T: fmt::Display + 'a,
{
    let params: Vec<String> = params.into_iter().map(ToString::to_string).collect();
    let results: Vec<String> = results.into_iter().map(ToString::to_string).collect();
    let results = match results.as_slice() {
        [one] => one.clone(),
        many => format!("({})", many.join(", ")),
    };
    format!("({}) -> {results}", params.join(", "))
}

/// Looks a host function up by its import name.
pub fn hostio(name: &str) -> Option<&'static Hostio> {
    HOSTIOS.iter().find(|h| h.name == name)
}

use HostValType::{I32, I64};

/// Builds one table row.
const fn h(
    name: &'static str,
    params: &'static [HostValType],
    results: &'static [HostValType],
) -> Hostio {
    Hostio {
        name,
        params,
        results,
    }
}

/// Every host function Nitro provides to Stylus programs, in Nitro's order.
pub const HOSTIOS: [Hostio; 42] = [
    h("read_args", &[I32], &[]),
    h("write_result", &[I32, I32], &[]),
    h("exit_early", &[I32], &[]),
    h("storage_load_bytes32", &[I32, I32], &[]),
    h("storage_cache_bytes32", &[I32, I32], &[]),
    h("storage_flush_cache", &[I32], &[]),
    h("transient_load_bytes32", &[I32, I32], &[]),
    h("transient_store_bytes32", &[I32, I32], &[]),
    h("call_contract", &[I32, I32, I32, I32, I64, I32], &[I32]),
    h("delegate_call_contract", &[I32, I32, I32, I64, I32], &[I32]),
    h("static_call_contract", &[I32, I32, I32, I64, I32], &[I32]),
    h("create1", &[I32, I32, I32, I32, I32], &[]),
    h("create2", &[I32, I32, I32, I32, I32, I32], &[]),
    h("read_return_data", &[I32, I32, I32], &[I32]),
    h("return_data_size", &[], &[I32]),
    h("emit_log", &[I32, I32, I32], &[]),
    h("account_balance", &[I32, I32], &[]),
    h("account_code", &[I32, I32, I32, I32], &[I32]),
    h("account_code_size", &[I32], &[I32]),
    h("account_codehash", &[I32, I32], &[]),
    h("evm_gas_left", &[], &[I64]),
    h("evm_ink_left", &[], &[I64]),
    h("block_basefee", &[I32], &[]),
    h("chainid", &[], &[I64]),
    h("block_coinbase", &[I32], &[]),
    h("block_gas_limit", &[], &[I64]),
    h("block_number", &[], &[I64]),
    h("block_timestamp", &[], &[I64]),
    h("contract_address", &[I32], &[]),
    h("math_div", &[I32, I32], &[]),
    h("math_mod", &[I32, I32], &[]),
    h("math_pow", &[I32, I32], &[]),
    h("math_add_mod", &[I32, I32, I32], &[]),
    h("math_mul_mod", &[I32, I32, I32], &[]),
    h("msg_reentrant", &[], &[I32]),
    h("msg_sender", &[I32], &[]),
    h("msg_value", &[I32], &[]),
    h("native_keccak256", &[I32, I32, I32], &[]),
    h("tx_gas_price", &[I32], &[]),
    h("tx_ink_price", &[], &[I32]),
    h("tx_origin", &[I32], &[]),
    h("pay_for_memory_grow", &[I32], &[]),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_has_42_unique_names() {
        let mut names: Vec<_> = HOSTIOS.iter().map(|h| h.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), 42);
    }

    #[test]
    fn signatures_render_like_wasm_text() {
        assert_eq!(
            hostio("call_contract").map(Hostio::signature).as_deref(),
            Some("(i32, i32, i32, i32, i64, i32) -> i32")
        );
        assert_eq!(
            hostio("return_data_size").map(Hostio::signature).as_deref(),
            Some("() -> i32")
        );
        assert_eq!(
            hostio("read_args").map(Hostio::signature).as_deref(),
            Some("(i32) -> ()")
        );
        assert!(hostio("log_txt").is_none());
    }
}
