//! The devnode's gas model: an EVM-equivalent estimate of what a transaction costs on Nitro.
//!
//! What it charges (DESIGN §7):
//! - **Intrinsic**: 21,000 + 16 gas per non-zero and 4 per zero calldata byte.
//! - **Storage**, at the moments Nitro charges it: a `storage_load_bytes32` that misses the frame's
//!   cache costs EIP-2929's 2,100 (cold) / 100 (warm); each dirty slot written by
//!   `storage_flush_cache` costs EIP-2200/2929's SSTORE price ([`sstore`]) and adjusts the
//!   EIP-3529 refund counter; the refund is capped at gas used / 5.
//! - **Logs**: 375 + 375 per topic + 8 per data byte.
//! - **Calls**: 2,600 cold / 100 warm account access, 9,000 for a value transfer (+25,000 when it
//!   creates the account; the callee gets a 2,300 stipend the caller never gets back), the 63/64
//!   rule for the gas handed to the callee; `ecrecover` 3,000. Reading an account's code or code
//!   size adds 700.
//! - **Compute**: every WASM operator costs Nitro's `pricing_v1` ink
//!   (`reference/stylus-sdk-and-host.md` §5.3), metered with wasmi fuel in units of
//!   [`INK_PER_FUEL`] ink; every hostio adds its base ink (8,400, plus pointer and EVM-API ink
//!   where Nitro adds them). 10,000 ink = 1 gas.
//! - **Memory**: each frame pays for its module's initial pages on entry, and for pages it grows,
//!   at 1,000 gas per 64 KiB page beyond the 2 free pages, counted against the pages open on the
//!   call stack (a frame's pages close when it ends). `memory.copy`/`memory.fill` cost 50 ink per
//!   byte (Nitro: 100).
//!
//! What it does not model: program init/activation gas (Nitro charges a per-call init cost that
//! depends on the activated module and on whether it is cached), the exponential term of the
//! memory model, the tiered storage-cache surcharges and the SSTORE sentry check, the gas fee
//! (`gas_used × price`) that a node debits from the sender, the basic-block header ink and
//! the stack-depth checker that Nitro's instrumentation adds, the exponential part of Nitro's
//! memory model, the L1 data fee of Arbitrum transactions, and per-opcode ink above 12,750 (the
//! fuel table holds one byte per operator; only `call_indirect` is clipped). Numbers are
//! therefore a little optimistic for compute-heavy calls and exact for the EVM-priced parts
//! (storage, logs, calls, calldata), which dominate every protocol operation.

use alloy_primitives::B256;
use wasmi::OperatorCost;

/// Ink per gas (Nitro's initial `InkPrice`).
pub const INK_PER_GAS: u64 = 10_000;
/// Ink per unit of wasmi fuel.
pub const INK_PER_FUEL: u64 = 50;
/// Fuel per gas.
pub const FUEL_PER_GAS: u64 = INK_PER_GAS / INK_PER_FUEL;

/// Base cost of every transaction.
pub const TX_BASE: u64 = 21_000;
/// Calldata byte that is zero.
pub const CALLDATA_ZERO_BYTE: u64 = 4;
/// Calldata byte that is not zero.
pub const CALLDATA_NONZERO_BYTE: u64 = 16;
/// EIP-2929 cold storage read.
pub const COLD_SLOAD: u64 = 2_100;
/// EIP-2929 warm access (storage or account).
pub const WARM_ACCESS: u64 = 100;
/// EIP-2929 cold account access.
pub const COLD_ACCOUNT: u64 = 2_600;
/// SSTORE of a zero slot to non-zero.
pub const SSTORE_SET: u64 = 20_000;
/// SSTORE of a non-zero slot to another value (5,000 − the cold read).
pub const SSTORE_RESET: u64 = 2_900;
/// EIP-3529 refund for clearing a slot.
pub const SSTORE_CLEARS_REFUND: i64 = 4_800;
/// EIP-3529: refunds are capped at gas used / 5.
pub const MAX_REFUND_QUOTIENT: u64 = 5;
/// Value-bearing call.
pub const CALL_VALUE: u64 = 9_000;
/// Gas given to the callee of a value-bearing call on top of what the caller forwards.
pub const CALL_STIPEND: u64 = 2_300;
/// Log base cost.
pub const LOG: u64 = 375;
/// Per log topic.
pub const LOG_TOPIC: u64 = 375;
/// Per byte of log data.
pub const LOG_DATA_BYTE: u64 = 8;
/// `ecrecover` precompile.
pub const ECRECOVER: u64 = 3_000;
/// CREATE / CREATE2 base cost.
pub const CREATE: u64 = 32_000;
/// Memory pages free per transaction.
pub const FREE_PAGES: u64 = 2;
/// Gas per page opened beyond the free ones.
pub const PAGE_GAS: u64 = 1_000;
/// Extra cost of reading an account's code or code size (EIP-150 EXTCODESIZE).
pub const CODE_ACCESS: u64 = 700;
/// A value transfer that creates an account.
pub const NEW_ACCOUNT: u64 = 25_000;

/// Base ink of every hostio call.
pub const HOSTIO_INK: u64 = 8_400;
/// Ink per pointer argument that Nitro charges for on EVM-facing hostios.
pub const PTR_INK: u64 = 5_040;
/// Ink of a request to the EVM side (storage miss, flush, call, log…).
pub const EVM_API_INK: u64 = 59_673;

/// Fuel for `gas` gas.
#[must_use]
pub const fn gas_to_fuel(gas: u64) -> u64 {
    gas.saturating_mul(FUEL_PER_GAS)
}

/// Whole gas in `fuel` (rounded down: leftover fuel below one gas is not returned).
#[must_use]
pub const fn fuel_to_gas(fuel: u64) -> u64 {
    fuel / FUEL_PER_GAS
}

/// Fuel for `ink` ink (rounded up).
#[must_use]
pub const fn ink_to_fuel(ink: u64) -> u64 {
    ink.div_ceil(INK_PER_FUEL)
}

/// Nitro's `read_price(n)`: ink to read `n` bytes out of WASM memory.
#[must_use]
pub const fn read_price(len: u64) -> u64 {
    16_381 + 55 * len.saturating_sub(32)
}

/// Nitro's `write_price(n)`: ink to write `n` bytes into WASM memory.
#[must_use]
pub const fn write_price(len: u64) -> u64 {
    5_040 + 30 * len.saturating_sub(32)
}

/// Intrinsic gas of a transaction with `calldata`.
#[must_use]
pub fn intrinsic(calldata: &[u8]) -> u64 {
    calldata.iter().fold(TX_BASE, |gas, &b| {
        gas + if b == 0 {
            CALLDATA_ZERO_BYTE
        } else {
            CALLDATA_NONZERO_BYTE
        }
    })
}

/// EIP-2929 storage read.
#[must_use]
pub const fn sload(cold: bool) -> u64 {
    if cold {
        COLD_SLOAD
    } else {
        WARM_ACCESS
    }
}

/// EIP-2929 account access.
#[must_use]
pub const fn account_access(cold: bool) -> u64 {
    if cold {
        COLD_ACCOUNT
    } else {
        WARM_ACCESS
    }
}

/// Gas to open `new` WASM pages when `open` are already open on the call stack: [`PAGE_GAS`] per
/// page beyond the transaction's [`FREE_PAGES`] (Nitro's model adds an exponential term for
/// large memories, which the devnode does not).
#[must_use]
pub const fn memory(open: u64, new: u64) -> u64 {
    let before = if open > FREE_PAGES { open } else { FREE_PAGES };
    let after = if open + new > FREE_PAGES {
        open + new
    } else {
        FREE_PAGES
    };
    PAGE_GAS * (after - before)
}

/// Log cost.
#[must_use]
pub const fn log(topics: u64, data_len: u64) -> u64 {
    LOG + LOG_TOPIC * topics + LOG_DATA_BYTE * data_len
}

/// SSTORE cost and refund change under EIP-2200, EIP-2929 and EIP-3529, for a slot whose value was
/// `original` at the start of the transaction, is `current` now and becomes `new`.
#[must_use]
pub fn sstore(original: B256, current: B256, new: B256, cold: bool) -> (u64, i64) {
    let cold_surcharge = if cold { COLD_SLOAD } else { 0 };
    if current == new {
        return (WARM_ACCESS + cold_surcharge, 0);
    }
    let zero = B256::ZERO;
    if original == current {
        if original == zero {
            return (SSTORE_SET + cold_surcharge, 0);
        }
        let refund = if new == zero { SSTORE_CLEARS_REFUND } else { 0 };
        return (SSTORE_RESET + cold_surcharge, refund);
    }
    // A slot already changed in this transaction ("dirty").
    let mut refund = 0i64;
    if original != zero {
        if current == zero {
            refund -= SSTORE_CLEARS_REFUND;
        } else if new == zero {
            refund += SSTORE_CLEARS_REFUND;
        }
    }
    if original == new {
        refund += if original == zero {
            (SSTORE_SET - WARM_ACCESS).cast_signed()
        } else {
            (SSTORE_RESET - WARM_ACCESS).cast_signed()
        };
    }
    (WARM_ACCESS + cold_surcharge, refund)
}

/// Nitro's `pricing_v1` ink per WASM operator, as wasmi fuel (ink / [`INK_PER_FUEL`], rounded to
/// nearest, at least 1 for every operator Nitro charges; clipped at 255).
#[must_use]
pub fn operator_costs() -> OperatorCost {
    fn fuel(ink: u64) -> u8 {
        u8::try_from(((ink + INK_PER_FUEL / 2) / INK_PER_FUEL).max(1)).unwrap_or(u8::MAX)
    }
    let mut c = OperatorCost::default();
    // Free or nearly free in Nitro: 1 ink (const, nop, block, loop, end, else, unreachable,
    // return) or 9 (drop) — below one fuel unit.
    for f in [
        &mut c.nop,
        &mut c.block,
        &mut c.loop_,
        &mut c.end,
        &mut c.else_,
        &mut c.unreachable,
        &mut c.return_,
        &mut c.drop,
        &mut c.i32_const,
        &mut c.i64_const,
    ] {
        *f = 0;
    }
    for (f, ink) in [
        (&mut c.br, 765),
        (&mut c.br_if, 765),
        (&mut c.if_, 765),
        (&mut c.br_table, 2_400),
        (&mut c.call, 3_800),
        (&mut c.call_indirect, 13_610),
        (&mut c.select, 1_250),
        (&mut c.local_get, 75),
        (&mut c.local_tee, 75),
        (&mut c.local_set, 210),
        (&mut c.global_get, 225),
        (&mut c.global_set, 575),
        (&mut c.memory_size, 3_000),
        (&mut c.memory_grow, 8_050),
        (&mut c.memory_copy, 950),
        (&mut c.memory_fill, 950),
        (&mut c.i32_popcnt, 2_650),
        (&mut c.i64_popcnt, 6_000),
        (&mut c.i32_mul, 160),
        (&mut c.i64_mul, 160),
        (&mut c.i32_div_s, 1_120),
        (&mut c.i32_div_u, 1_120),
        (&mut c.i32_rem_s, 1_120),
        (&mut c.i32_rem_u, 1_120),
        (&mut c.i64_div_s, 1_270),
        (&mut c.i64_div_u, 1_270),
        (&mut c.i64_rem_s, 1_270),
        (&mut c.i64_rem_u, 1_270),
    ] {
        *f = fuel(ink);
    }
    for f in [
        &mut c.i32_load,
        &mut c.i32_load8_s,
        &mut c.i32_load8_u,
        &mut c.i32_load16_s,
        &mut c.i32_load16_u,
    ] {
        *f = fuel(670);
    }
    for f in [
        &mut c.i64_load,
        &mut c.i64_load8_s,
        &mut c.i64_load8_u,
        &mut c.i64_load16_s,
        &mut c.i64_load16_u,
        &mut c.i64_load32_s,
        &mut c.i64_load32_u,
    ] {
        *f = fuel(680);
    }
    for f in [&mut c.i32_store, &mut c.i32_store8, &mut c.i32_store16] {
        *f = fuel(825);
    }
    for f in [
        &mut c.i64_store,
        &mut c.i64_store8,
        &mut c.i64_store16,
        &mut c.i64_store32,
    ] {
        *f = fuel(950);
    }
    for f in [
        &mut c.i32_add,
        &mut c.i32_sub,
        &mut c.i32_and,
        &mut c.i32_or,
        &mut c.i32_xor,
        &mut c.i32_shl,
        &mut c.i32_shr_s,
        &mut c.i32_shr_u,
        &mut c.i32_rotl,
        &mut c.i32_rotr,
        &mut c.i32_clz,
        &mut c.i32_ctz,
        &mut c.i32_wrap_i64,
        &mut c.i32_extend8_s,
        &mut c.i32_extend16_s,
    ] {
        *f = fuel(70);
    }
    for f in [
        &mut c.i64_add,
        &mut c.i64_sub,
        &mut c.i64_and,
        &mut c.i64_or,
        &mut c.i64_xor,
        &mut c.i64_shl,
        &mut c.i64_shr_s,
        &mut c.i64_shr_u,
        &mut c.i64_rotl,
        &mut c.i64_rotr,
        &mut c.i64_clz,
        &mut c.i64_ctz,
        &mut c.i64_extend_i32_s,
        &mut c.i64_extend_i32_u,
        &mut c.i64_extend8_s,
        &mut c.i64_extend16_s,
        &mut c.i64_extend32_s,
    ] {
        *f = fuel(100);
    }
    for f in [
        &mut c.i32_eqz,
        &mut c.i32_eq,
        &mut c.i32_ne,
        &mut c.i32_lt_s,
        &mut c.i32_lt_u,
        &mut c.i32_gt_s,
        &mut c.i32_gt_u,
        &mut c.i32_le_s,
        &mut c.i32_le_u,
        &mut c.i32_ge_s,
        &mut c.i32_ge_u,
    ] {
        *f = fuel(170);
    }
    for f in [
        &mut c.i64_eqz,
        &mut c.i64_eq,
        &mut c.i64_ne,
        &mut c.i64_lt_s,
        &mut c.i64_lt_u,
        &mut c.i64_gt_s,
        &mut c.i64_gt_u,
        &mut c.i64_le_s,
        &mut c.i64_le_u,
        &mut c.i64_ge_s,
        &mut c.i64_ge_u,
    ] {
        *f = fuel(225);
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(x: u8) -> B256 {
        B256::with_last_byte(x)
    }

    #[test]
    fn sstore_matches_the_eip_2200_2929_3529_tables() {
        let z = B256::ZERO;
        // (original, current, new, cold) -> (gas, refund): EIP-3529's test table, warm slots,
        // plus the 2,100 cold surcharge.
        assert_eq!(sstore(z, z, z, false), (100, 0));
        assert_eq!(sstore(z, z, v(1), false), (20_000, 0));
        assert_eq!(sstore(z, z, v(1), true), (22_100, 0));
        assert_eq!(sstore(v(1), v(1), z, false), (2_900, 4_800));
        assert_eq!(sstore(v(1), v(1), v(2), false), (2_900, 0));
        assert_eq!(sstore(v(1), v(1), v(1), true), (2_200, 0));
        // 0 -> 1 -> 0 in one transaction: the second write refunds 19,900.
        assert_eq!(sstore(z, v(1), z, false), (100, 19_900));
        // 1 -> 0 -> 1: the clear's refund is taken back and the reset refunded (2,800).
        assert_eq!(sstore(v(1), z, v(1), false), (100, -4_800 + 2_800));
        // 1 -> 2 -> 0: clearing a dirty slot refunds 4,800.
        assert_eq!(sstore(v(1), v(2), z, false), (100, 4_800));
        // 1 -> 2 -> 1: back to the original refunds 2,800.
        assert_eq!(sstore(v(1), v(2), v(1), false), (100, 2_800));
        // 1 -> 0 -> 2: the clear's refund is taken back.
        assert_eq!(sstore(v(1), z, v(2), false), (100, -4_800));
    }

    #[test]
    fn reads_logs_and_calldata_price_as_the_evm_does() {
        assert_eq!(sload(true), 2_100);
        assert_eq!(sload(false), 100);
        assert_eq!(account_access(true), 2_600);
        assert_eq!(log(3, 64), 375 + 3 * 375 + 8 * 64);
        assert_eq!(intrinsic(&[0, 1, 0, 255]), 21_000 + 4 + 16 + 4 + 16);
    }

    #[test]
    fn memory_pages_beyond_the_free_two_cost_1000_each() {
        assert_eq!(memory(0, 2), 0);
        assert_eq!(memory(0, 3), 1_000);
        assert_eq!(memory(2, 2), 2_000);
        assert_eq!(memory(1, 3), 2_000);
        assert_eq!(memory(5, 0), 0);
    }

    #[test]
    fn ink_and_fuel_conversions() {
        assert_eq!(FUEL_PER_GAS, 200);
        assert_eq!(gas_to_fuel(3), 600);
        assert_eq!(fuel_to_gas(599), 2);
        assert_eq!(ink_to_fuel(HOSTIO_INK), 168);
        let c = operator_costs();
        assert_eq!(
            (c.i32_add, c.i64_add, c.call, c.call_indirect, c.drop),
            (1, 2, 76, 255, 0)
        );
    }
}
