//! Protocol-wide constants: fixed-point unit, share offsets, limits, pause bits, default delays.

use alloy_primitives::{address, Address, U256};

/// Fixed-point unit of magnitudes and slashing factors: 1e18.
pub const WAD: U256 = U256::from_limbs([1_000_000_000_000_000_000, 0, 0, 0]);

/// Virtual shares added to a strategy's total shares in every conversion (inflation defence).
pub const SHARES_OFFSET: U256 = U256::from_limbs([1_000, 0, 0, 0]);

/// Virtual tokens added to a strategy's token balance in every conversion (inflation defence).
pub const BALANCE_OFFSET: U256 = U256::from_limbs([1_000, 0, 0, 0]);

/// Upper bound of a strategy's total shares (`1e38 − 1`), as in EigenLayer's `StrategyBase`.
pub const MAX_TOTAL_SHARES: U256 =
    U256::from_limbs([0x098a_2240_0000_0000 - 1, 0x4b3b_4ca8_5a86_c47a, 0, 0]);

/// Largest amount one rewards submission may carry (`1e38 − 1`), as in EigenLayer.
pub const MAX_REWARDS_AMOUNT: U256 = MAX_TOTAL_SHARES;

/// At most this many strategies with non-zero deposit shares per staker.
pub const MAX_STAKER_STRATEGIES: u32 = 32;

/// Where slashed tokens of a non-redistributing operator set are sent (EigenLayer's burn address).
pub const BURN_ADDRESS: Address = address!("00000000000000000000000000000000000E16E4");

/// Default withdrawal delay in seconds (14 days).
pub const DEFAULT_WITHDRAWAL_DELAY: u64 = 14 * 24 * 60 * 60;
/// Longest withdrawal delay the DelegationManager accepts: 30 days (EigenLayer's 216,000 blocks).
pub const MAX_WITHDRAWAL_DELAY: u64 = 30 * 24 * 60 * 60;

/// Default deallocation delay in seconds (14 days).
pub const DEFAULT_DEALLOCATION_DELAY: u64 = 14 * 24 * 60 * 60;
/// Default allocation configuration delay in seconds (17.5 days).
pub const DEFAULT_ALLOCATION_CONFIG_DELAY: u64 = 35 * 12 * 60 * 60;
/// Default reward root activation delay in seconds (7 days).
pub const DEFAULT_ACTIVATION_DELAY: u64 = 7 * 24 * 60 * 60;
/// Default rewards calculation interval in seconds (1 day).
pub const DEFAULT_CALCULATION_INTERVAL: u64 = 24 * 60 * 60;

/// Default operator reward split in basis points (10%).
pub const DEFAULT_OPERATOR_SPLIT_BIPS: u16 = 1_000;
/// Basis points in one whole.
pub const BIPS: u16 = 10_000;
/// Highest LRT performance fee in basis points (20%), fixed for every vault.
pub const MAX_PERFORMANCE_FEE_BIPS: u16 = 2_000;
/// LRT vault share decimals offset: `10^3` virtual shares against one virtual asset (ERC-4626
/// inflation defence; each step of offset makes a donation attack ~10× more expensive).
pub const VAULT_DECIMALS_OFFSET: u8 = 3;
/// Longest period over which an LRT vault's restaked rewards reach its share price (30 days).
pub const MAX_PROFIT_UNLOCK_PERIOD: u32 = 30 * 24 * 60 * 60;
/// Seconds after an LRT vault batch's first request from which anyone (not only the curator) may
/// process it: redemptions cannot be held hostage by an absent curator.
pub const VAULT_BATCH_TIMEOUT: u64 = 24 * 60 * 60;

/// Pause bits: one bitmap per contract, one bit per action (DESIGN §6).
pub mod pause {
    /// StrategyManager: deposits of any kind.
    pub const DEPOSITS: u8 = 0;
    /// DelegationManager: new delegations.
    pub const DELEGATION: u8 = 0;
    /// DelegationManager: entering the withdrawal queue (includes undelegate).
    pub const WITHDRAWAL_QUEUE: u8 = 1;
    /// DelegationManager: completing queued withdrawals.
    pub const WITHDRAWAL_COMPLETION: u8 = 2;
    /// AllocationManager: modifying allocations.
    pub const ALLOCATIONS: u8 = 0;
    /// AllocationManager: registering for operator sets.
    pub const REGISTRATION: u8 = 1;
    /// Slasher: slashing.
    pub const SLASHING: u8 = 0;
    /// RewardsCoordinator: reward submissions.
    pub const SUBMISSIONS: u8 = 0;
    /// RewardsCoordinator: claims.
    pub const CLAIMS: u8 = 1;
    /// RewardsCoordinator: posting distribution roots.
    pub const ROOTS: u8 = 2;
    /// LrtVault: deposits and mints.
    pub const VAULT_DEPOSITS: u8 = 0;
    /// LrtVault: redemption requests.
    pub const VAULT_REDEMPTIONS: u8 = 1;

    /// The bitmap with only `bit` set.
    #[must_use]
    pub const fn flag(bit: u8) -> u64 {
        1u64 << (bit as u32 & 63)
    }
}

/// Slasher modes (`SlasherConfig.mode`).
pub mod slash_mode {
    /// The set's slasher slashes at once.
    pub const INSTANT: u8 = 0;
    /// The set's slasher requests; the resolver may veto until the deadline.
    pub const VETO: u8 = 1;
}

/// Slash request states (`SlashRequest.status`).
pub mod request_status {
    /// No such request.
    pub const NONE: u8 = 0;
    /// Waiting for its veto deadline, then executable until stale.
    pub const PENDING: u8 = 1;
    /// Vetoed by the resolver.
    pub const VETOED: u8 = 2;
    /// Cancelled by the AVS.
    pub const CANCELLED: u8 = 3;
    /// Executed.
    pub const EXECUTED: u8 = 4;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constants_have_their_documented_values() {
        assert_eq!(WAD, U256::from(10u64).pow(U256::from(18)));
        assert_eq!(
            MAX_TOTAL_SHARES,
            U256::from(10u64).pow(U256::from(38)) - U256::from(1)
        );
        assert_eq!(SHARES_OFFSET, U256::from(1_000));
        assert_eq!(DEFAULT_ALLOCATION_CONFIG_DELAY, 1_512_000);
        assert_eq!(pause::flag(pause::CLAIMS), 2);
    }
}
