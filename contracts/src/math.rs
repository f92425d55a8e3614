//! Fixed-point, share and slashing math.
//!
//! Every function is total: instead of panicking on overflow or division by zero it returns a
//! [`MathError`], which contracts turn into a named revert. Every rounding direction is explicit
//! and chosen so the protocol never credits or pays out more than it holds
//! (DESIGN §5, EigenLayer's `SlashingLib`, `reference/eigenlayer-slashing-era.md` §4).

use alloy_primitives::{U256, U512};

use crate::constants::{BALANCE_OFFSET, SHARES_OFFSET, WAD};

/// Why a math function could not produce a result.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MathError {
    /// The exact result does not fit in 256 bits (or a subtraction would go below zero).
    Overflow,
    /// A divisor was zero.
    DivisionByZero,
}

/// Which way a division that leaves a remainder rounds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rounding {
    /// Towards zero: ⌊x⌋.
    Down,
    /// Away from zero: ⌈x⌉.
    Up,
}

/// `x · y / d` computed exactly in 512 bits, then rounded as asked.
///
/// # Errors
/// [`MathError::DivisionByZero`] if `d == 0`; [`MathError::Overflow`] if the rounded result does
/// not fit in 256 bits.
pub fn mul_div(x: U256, y: U256, d: U256, rounding: Rounding) -> Result<U256, MathError> {
    if d.is_zero() {
        return Err(MathError::DivisionByZero);
    }
    // Restoring long division of the 512-bit product, one bit at a time from its highest set bit:
    // a few hundred bytes of code instead of a generic multi-limb division routine (contract size
    // is the binding constraint on Stylus), and only as many steps as the product has bits.
    let product: U512 = x.widening_mul(y);
    let mut remainder = U256::ZERO;
    let mut quotient = U256::ZERO;
    for i in (0..product.bit_len()).rev() {
        // `remainder < d` holds before the shift, so the shifted value is below 2·d < 2^257; the
        // bit shifted out (`carry`) is its 257th bit.
        let carry = remainder.bit(255);
        remainder = (remainder << 1usize) | U256::from(u8::from(product.bit(i)));
        if quotient.bit(255) {
            return Err(MathError::Overflow);
        }
        quotient <<= 1usize;
        if carry || remainder >= d {
            remainder = remainder.wrapping_sub(d);
            quotient |= U256::from(1u8);
        }
    }
    let remainder_is_zero = remainder.is_zero();
    match rounding {
        Rounding::Up if !remainder_is_zero => quotient
            .checked_add(U256::from(1))
            .ok_or(MathError::Overflow),
        _ => Ok(quotient),
    }
}

/// `x · y / WAD`, rounded as asked.
///
/// # Errors
/// [`MathError::Overflow`] if the result does not fit.
pub fn mul_wad(x: U256, y: U256, rounding: Rounding) -> Result<U256, MathError> {
    mul_div(x, y, WAD, rounding)
}

/// `x · WAD / y`, rounded as asked.
///
/// # Errors
/// [`MathError::DivisionByZero`] if `y == 0`; [`MathError::Overflow`] if the result does not fit.
pub fn div_wad(x: U256, y: U256, rounding: Rounding) -> Result<U256, MathError> {
    mul_div(x, WAD, y, rounding)
}

/// Shares minted for `amount` tokens received by a strategy that held `balance_before` tokens
/// against `total_shares`: `⌊amount·(S+1e3)/(B_before+1e3)⌋` (rounds against the depositor).
///
/// # Errors
/// [`MathError::Overflow`] if an intermediate or the result does not fit.
pub fn shares_for_deposit(
    amount: U256,
    total_shares: U256,
    balance_before: U256,
) -> Result<U256, MathError> {
    let virtual_shares = total_shares
        .checked_add(SHARES_OFFSET)
        .ok_or(MathError::Overflow)?;
    let virtual_balance = balance_before
        .checked_add(BALANCE_OFFSET)
        .ok_or(MathError::Overflow)?;
    mul_div(amount, virtual_shares, virtual_balance, Rounding::Down)
}

/// Tokens worth `shares` of a strategy holding `balance` tokens against `total_shares`:
/// `min(⌊(B+1e3)·shares/(S+1e3)⌋, B)` (rounds against the withdrawer, and never more than the
/// strategy holds: after a negative rebase the virtual offset could otherwise owe a few wei that
/// do not exist).
///
/// # Errors
/// [`MathError::Overflow`] if an intermediate or the result does not fit.
pub fn tokens_for_shares(
    shares: U256,
    total_shares: U256,
    balance: U256,
) -> Result<U256, MathError> {
    let virtual_shares = total_shares
        .checked_add(SHARES_OFFSET)
        .ok_or(MathError::Overflow)?;
    let virtual_balance = balance
        .checked_add(BALANCE_OFFSET)
        .ok_or(MathError::Overflow)?;
    Ok(mul_div(virtual_balance, shares, virtual_shares, Rounding::Down)?.min(balance))
}

/// Shares `amount` tokens would be worth now: `⌊amount·(S+1e3)/(B+1e3)⌋` (a view; rounds down).
///
/// # Errors
/// [`MathError::Overflow`] if an intermediate or the result does not fit.
pub fn shares_for_tokens(
    amount: U256,
    total_shares: U256,
    balance: U256,
) -> Result<U256, MathError> {
    shares_for_deposit(amount, total_shares, balance)
}

/// The stored deposit scaling factor, where 0 means "never set" and stands for WAD.
#[must_use]
pub fn scaling_factor(stored: U256) -> U256 {
    if stored.is_zero() {
        WAD
    } else {
        stored
    }
}

/// Withdrawable shares of `deposit_shares` with scaling factor `k` under slashing factor `m`:
/// `⌊⌊s·k/WAD⌋·m/WAD⌋` (rounds down twice, against the staker).
///
/// # Errors
/// [`MathError::Overflow`] if an intermediate does not fit.
pub fn calc_withdrawable(deposit_shares: U256, k: U256, m: U256) -> Result<U256, MathError> {
    let scaled = mul_wad(deposit_shares, scaling_factor(k), Rounding::Down)?;
    mul_wad(scaled, m, Rounding::Down)
}

/// Scaled shares stored in a queued withdrawal of `deposit_shares`: `q = ⌊x·k/WAD⌋`.
///
/// # Errors
/// [`MathError::Overflow`] if the result does not fit.
pub fn scale_for_queue(deposit_shares: U256, k: U256) -> Result<U256, MathError> {
    mul_wad(deposit_shares, scaling_factor(k), Rounding::Down)
}

/// Shares a queued withdrawal of scaled shares `q` pays under slashing factor `m`: `⌊q·m/WAD⌋`.
///
/// # Errors
/// [`MathError::Overflow`] if the result does not fit.
pub fn scale_for_complete(scaled_shares: U256, m: U256) -> Result<U256, MathError> {
    mul_wad(scaled_shares, m, Rounding::Down)
}

/// Shares taken from `shares` when the max magnitude falls from `prev_max` to `new_max`:
/// `shares − ⌈shares·new/prev⌉`. The remainder rounds up, so the slash rounds down and can never
/// take more than the magnitude drop.
///
/// # Errors
/// [`MathError::DivisionByZero`] if `prev_max == 0`; [`MathError::Overflow`] if `new_max > prev_max`.
pub fn calc_slashed_amount(shares: U256, prev_max: U256, new_max: U256) -> Result<U256, MathError> {
    if new_max > prev_max {
        return Err(MathError::Overflow);
    }
    let remaining = mul_div(shares, new_max, prev_max, Rounding::Up)?;
    shares.checked_sub(remaining).ok_or(MathError::Overflow)
}

/// Shares a slash from `prev_max` to `new_max` takes from the queued withdrawals of one window:
/// `count` withdrawals of `scaled` scaled shares in all. Each withdrawal `i` pays `⌊q_i·m/WAD⌋`
/// and lost exactly `⌊q_i·p/WAD⌋ − ⌊q_i·n/WAD⌋`; the window's sum of those is at least
/// `⌊Q·p/WAD⌋ − ⌊Q·n/WAD⌋ − (count − 1)`, since the floors of the parts add up to at most
/// `count − 1` less than the floor of the sum. The result is the slash of the window's value
/// `⌊Q·p/WAD⌋` by [`calc_slashed_amount`] (EigenLayer's queue slash), capped at that bound, so a
/// slash never takes rounding dust the queued withdrawals do not hold (and a full slash of
/// everything never exceeds the strategy's shares). Equal to the uncapped slash for one
/// withdrawal.
///
/// # Errors
/// As [`calc_slashed_amount`].
pub fn slashed_from_queue(
    scaled: U256,
    count: U256,
    prev_max: U256,
    new_max: U256,
) -> Result<U256, MathError> {
    let queued = mul_wad(scaled, prev_max, Rounding::Down)?;
    let slashed = calc_slashed_amount(queued, prev_max, new_max)?;
    let bound = queued
        .saturating_sub(mul_wad(scaled, new_max, Rounding::Down)?)
        .saturating_sub(count.saturating_sub(U256::from(1)));
    Ok(slashed.min(bound))
}

/// Magnitude taken from `current` by a slash of `wad` (fraction of WAD): `⌈current·wad/WAD⌉`.
/// Rounds up so repeated tiny slashes cannot round to nothing; never more than `current` when
/// `wad ≤ WAD`.
///
/// # Errors
/// [`MathError::Overflow`] if `wad > WAD` or the product does not fit.
pub fn slashed_magnitude(current: U256, wad: U256) -> Result<U256, MathError> {
    if wad > WAD {
        return Err(MathError::Overflow);
    }
    mul_wad(current, wad, Rounding::Up)
}

/// New deposit scaling factor after `added` shares join `prev_deposit_shares` (with factor `k`)
/// under slashing factor `m`, chosen so withdrawable shares rise by `added` up to rounding
/// (which only ever lowers them).
///
/// - `prev_deposit_shares == 0`: `k' = ⌊WAD·WAD/m⌋` (a fresh position forgives earlier slashing);
/// - otherwise: `k' = ⌊⌊(a + d)·WAD/(s + d)⌋·WAD/m⌋` with `a` the current withdrawable shares.
///
/// # Errors
/// [`MathError::DivisionByZero`] if `m == 0` (fully slashed) or `s + d == 0`;
/// [`MathError::Overflow`] if an intermediate does not fit.
pub fn update_scaling_factor(
    k: U256,
    prev_deposit_shares: U256,
    added: U256,
    m: U256,
) -> Result<U256, MathError> {
    if m.is_zero() {
        return Err(MathError::DivisionByZero);
    }
    if prev_deposit_shares.is_zero() {
        return div_wad(WAD, m, Rounding::Down);
    }
    let withdrawable = calc_withdrawable(prev_deposit_shares, k, m)?;
    let total_withdrawable = withdrawable.checked_add(added).ok_or(MathError::Overflow)?;
    let total_deposit = prev_deposit_shares
        .checked_add(added)
        .ok_or(MathError::Overflow)?;
    let per_share = mul_div(total_withdrawable, WAD, total_deposit, Rounding::Down)?;
    div_wad(per_share, m, Rounding::Down)
}

/// Deposit shares that correspond to `withdrawable` shares: `⌊⌊w·WAD/k⌋·WAD/m⌋`.
///
/// # Errors
/// [`MathError::DivisionByZero`] if `m == 0`; [`MathError::Overflow`] if an intermediate does not fit.
pub fn calc_deposit_shares(withdrawable: U256, k: U256, m: U256) -> Result<U256, MathError> {
    let unscaled = div_wad(withdrawable, scaling_factor(k), Rounding::Down)?;
    div_wad(unscaled, m, Rounding::Down)
}

#[cfg(test)]
mod tests {
    use alloy_primitives::U512;
    use proptest::prelude::*;

    use super::*;

    fn u256() -> impl Strategy<Value = U256> {
        prop_oneof![
            any::<[u64; 4]>().prop_map(U256::from_limbs),
            any::<u128>().prop_map(U256::from),
            any::<u64>().prop_map(U256::from),
            (0u64..=3).prop_map(U256::from),
            Just(U256::MAX),
            Just(WAD),
        ]
    }

    fn wad_fraction() -> impl Strategy<Value = U256> {
        (0u64..=1_000_000_000_000_000_000).prop_map(U256::from)
    }

    fn amount() -> impl Strategy<Value = U256> {
        // Up to 1e30: far beyond any real token supply, well inside MAX_TOTAL_SHARES.
        any::<u128>().prop_map(|v| U256::from(v % 1_000_000_000_000_000_000_000_000_000_000u128))
    }

    fn wide(x: U256) -> U512 {
        U512::from(x)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2_000))]
        /// The queue slash never takes more than the withdrawals lost one by one, and is
        /// EigenLayer's for a single withdrawal.
        #[test]
        fn queue_slash_never_takes_more_than_the_withdrawals_lose(
            parts in prop::collection::vec(0u128..=u128::from(u64::MAX) * 1_000, 1..12),
            prev in 1u64..=1_000_000_000_000_000_000,
            fraction in 0u64..=1_000_000_000_000_000_000,
        ) {
            let prev = U256::from(prev);
            let new = mul_wad(prev, U256::from(fraction), Rounding::Down).unwrap();
            let (mut sum, mut lost) = (U256::ZERO, U256::ZERO);
            for &q in &parts {
                let q = U256::from(q);
                sum += q;
                lost += mul_wad(q, prev, Rounding::Down).unwrap()
                    - mul_wad(q, new, Rounding::Down).unwrap();
            }
            let count = U256::from(parts.len());
            let taken = slashed_from_queue(sum, count, prev, new).unwrap();
            prop_assert!(taken <= lost, "{taken} > {lost}");
            let whole = calc_slashed_amount(mul_wad(sum, prev, Rounding::Down).unwrap(), prev, new)
                .unwrap();
            prop_assert!(taken <= whole && whole - taken < count);
            if parts.len() == 1 {
                prop_assert_eq!(taken, whole);
            }
        }

        #[test]
        fn mul_div_matches_exact_arithmetic(x in u256(), y in u256(), d in u256()) {
            let down = mul_div(x, y, d, Rounding::Down);
            let up = mul_div(x, y, d, Rounding::Up);
            if d.is_zero() {
                prop_assert_eq!(down, Err(MathError::DivisionByZero));
                prop_assert_eq!(up, Err(MathError::DivisionByZero));
            } else {
                let (q, r) = (wide(x) * wide(y)).div_rem(wide(d));
                let max = wide(U256::MAX);
                if q > max {
                    prop_assert_eq!(down, Err(MathError::Overflow));
                } else {
                    prop_assert_eq!(wide(down.unwrap()), q);
                }
                let q_up = if r.is_zero() { q } else { q + U512::from(1) };
                if q_up > max {
                    prop_assert_eq!(up, Err(MathError::Overflow));
                } else {
                    prop_assert_eq!(wide(up.unwrap()), q_up);
                }
            }
        }

        #[test]
        fn deposit_then_withdraw_never_returns_more(amount in amount(), total in amount(), balance in amount()) {
            // The strategy receives `amount`: shares are priced on the balance before it.
            let shares = shares_for_deposit(amount, total, balance).unwrap();
            let out = tokens_for_shares(shares, total + shares, balance + amount).unwrap();
            prop_assert!(out <= amount, "paid {out} for a deposit of {amount}");
        }

        #[test]
        fn share_conversions_round_down(amount in amount(), total in amount(), balance in amount()) {
            let shares = shares_for_tokens(amount, total, balance).unwrap();
            // shares·(B+1e3) ≤ amount·(S+1e3): never more shares than the exact value.
            prop_assert!(wide(shares) * wide(balance + BALANCE_OFFSET) <= wide(amount) * wide(total + SHARES_OFFSET));
            let tokens = tokens_for_shares(amount, total, balance).unwrap();
            prop_assert!(wide(tokens) * wide(total + SHARES_OFFSET) <= wide(amount) * wide(balance + BALANCE_OFFSET));
        }

        #[test]
        fn share_math_never_panics(a in u256(), s in u256(), b in u256()) {
            let _ = shares_for_deposit(a, s, b);
            let _ = tokens_for_shares(a, s, b);
            let _ = calc_withdrawable(a, s, b);
            let _ = calc_slashed_amount(a, s, b);
            let _ = slashed_magnitude(a, b);
            let _ = update_scaling_factor(a, s, b, a);
            let _ = calc_deposit_shares(a, s, b);
            let _ = scale_for_queue(a, s);
            let _ = scale_for_complete(a, s);
        }

        #[test]
        fn withdrawable_is_the_floored_product(s in amount(), k in wad_fraction(), m in wad_fraction()) {
            let k = k.max(U256::from(1));
            let a = calc_withdrawable(s, k, m).unwrap();
            let exact_num = wide(s) * wide(k) * wide(m);
            let wad2 = wide(WAD) * wide(WAD);
            prop_assert!(wide(a) * wad2 <= exact_num);
        }

        #[test]
        fn slash_never_takes_more_than_the_magnitude_drop(shares in amount(), prev in wad_fraction(), new in wad_fraction()) {
            prop_assume!(!prev.is_zero());
            let (prev, new) = if new > prev { (new, prev) } else { (prev, new) };
            let slashed = calc_slashed_amount(shares, prev, new).unwrap();
            // slashed ≤ shares·(prev−new)/prev exactly, and at most one share short of it.
            prop_assert!(wide(slashed) * wide(prev) <= wide(shares) * wide(prev - new));
            prop_assert!((wide(slashed) + U512::from(1)) * wide(prev) > wide(shares) * wide(prev - new));
        }

        #[test]
        fn slashed_magnitude_rounds_up_within_current(current in wad_fraction(), wad in wad_fraction()) {
            let taken = slashed_magnitude(current, wad).unwrap();
            prop_assert!(taken <= current);
            prop_assert!(wide(taken) * wide(WAD) >= wide(current) * wide(wad));
            if !current.is_zero() && !wad.is_zero() {
                prop_assert!(!taken.is_zero());
            }
        }

        #[test]
        fn deposit_raises_withdrawable_by_at_most_the_deposit(
            s in amount(), d in amount(), k in 1u64..=1_000_000_000_000_000_000, m in 1_000_000u64..=1_000_000_000_000_000_000,
        ) {
            let (k, m) = (U256::from(k) * U256::from(1u8), U256::from(m));
            let before = calc_withdrawable(s, k, m).unwrap();
            let k_new = update_scaling_factor(k, s, d, m).unwrap();
            let after = calc_withdrawable(s + d, k_new, m).unwrap();
            prop_assert!(after <= before + d, "created value: {before} + {d} -> {after}");
            // Rounding loss is bounded by the precision of k' and m: a few shares per WAD/m.
            let slack = U256::from(4) + (s + d) * U256::from(4) / m + (WAD / m) * U256::from(4);
            prop_assert!(after + slack >= before + d, "lost too much: {before} + {d} -> {after}");
        }

        #[test]
        fn fresh_position_withdrawable_equals_deposit_up_to_rounding(d in amount(), m in 1_000_000u64..=1_000_000_000_000_000_000) {
            let m = U256::from(m);
            let k = update_scaling_factor(U256::ZERO, U256::ZERO, d, m).unwrap();
            let a = calc_withdrawable(d, k, m).unwrap();
            prop_assert!(a <= d);
            prop_assert!(a + U256::from(2) + d / (WAD / U256::from(1_000_000u64)) >= d || a + (WAD / m) * U256::from(2) >= d);
        }

        #[test]
        fn queue_then_complete_never_exceeds_withdrawable(x in amount(), k in 1u64..=2_000_000_000_000_000_000, m in wad_fraction()) {
            let k = U256::from(k);
            let q = scale_for_queue(x, k).unwrap();
            let paid = scale_for_complete(q, m).unwrap();
            prop_assert_eq!(paid, calc_withdrawable(x, k, m).unwrap());
        }
    }

    #[test]
    fn mul_div_edges_of_the_256_bit_range() {
        let (max, one, two) = (U256::MAX, U256::from(1), U256::from(2));
        assert_eq!(mul_div(max, max, max, Rounding::Down), Ok(max));
        assert_eq!(mul_div(max, two, two, Rounding::Up), Ok(max));
        assert_eq!(
            mul_div(max, two, one, Rounding::Down),
            Err(MathError::Overflow)
        );
        // ⌈MAX·MAX/(MAX−1)⌉ does not fit; ⌊MAX·(MAX−1)/MAX⌋ = MAX−1 exactly.
        assert_eq!(
            mul_div(max, max, max - one, Rounding::Down),
            Err(MathError::Overflow)
        );
        assert_eq!(mul_div(max, max - one, max, Rounding::Up), Ok(max - one));
        // MAX·3/2 overflows; (MAX−1)/2·... rounding up at the top edge overflows only when needed.
        assert_eq!(
            mul_div(max, U256::from(3), two, Rounding::Down),
            Err(MathError::Overflow)
        );
        assert_eq!(
            mul_div(max, one, two, Rounding::Up),
            Ok(U256::from(1) << 255)
        );
        assert_eq!(mul_div(U256::ZERO, max, one, Rounding::Up), Ok(U256::ZERO));
        assert_eq!(
            mul_div(U256::from(7), U256::from(3), U256::from(2), Rounding::Down),
            Ok(U256::from(10))
        );
        assert_eq!(
            mul_div(U256::from(7), U256::from(3), U256::from(2), Rounding::Up),
            Ok(U256::from(11))
        );
    }

    #[test]
    fn fully_slashed_operator_cannot_take_deposits() {
        assert_eq!(
            update_scaling_factor(WAD, U256::from(5), U256::from(5), U256::ZERO),
            Err(MathError::DivisionByZero)
        );
        assert_eq!(
            calc_slashed_amount(U256::from(5), U256::ZERO, U256::ZERO),
            Err(MathError::DivisionByZero)
        );
    }

    #[test]
    fn slashing_math_matches_hand_computed_values() {
        // 100 shares, max magnitude 1.0 -> 0.9: 10 shares slashed.
        let ninety = WAD / U256::from(10) * U256::from(9);
        assert_eq!(
            calc_slashed_amount(U256::from(100), WAD, ninety),
            Ok(U256::from(10))
        );
        // 7 shares, 1.0 -> 0.5: remaining ⌈3.5⌉ = 4, slashed 3 (rounds down).
        assert_eq!(
            calc_slashed_amount(U256::from(7), WAD, WAD / U256::from(2)),
            Ok(U256::from(3))
        );
        // Magnitude 3 slashed by 50%: ⌈1.5⌉ = 2 taken.
        assert_eq!(
            slashed_magnitude(U256::from(3), WAD / U256::from(2)),
            Ok(U256::from(2))
        );
        assert_eq!(
            slashed_magnitude(U256::from(3), WAD + U256::from(1)),
            Err(MathError::Overflow)
        );
        // Deposit 1000 into an empty strategy: 1000 shares; 1e3 virtual shares against 1e3 tokens.
        assert_eq!(
            shares_for_deposit(U256::from(1000), U256::ZERO, U256::ZERO),
            Ok(U256::from(1000))
        );
        assert_eq!(
            tokens_for_shares(U256::from(500), U256::from(1000), U256::from(2000)),
            Ok(U256::from(750))
        );
        // All shares after the balance fell below the shares: capped at what is held.
        assert_eq!(
            tokens_for_shares(U256::from(1000), U256::from(1000), U256::from(10)),
            Ok(U256::from(10))
        );
        // Undelegated staker (m = WAD) with k = WAD: withdrawable = deposit shares.
        assert_eq!(
            calc_withdrawable(U256::from(123), U256::ZERO, WAD),
            Ok(U256::from(123))
        );
    }
}
