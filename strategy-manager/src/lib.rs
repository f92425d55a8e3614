//! StrategyManager: custody of liquid staking tokens and the deposit-share ledger (DESIGN §5.1).
//!
//! A strategy is an internal share ledger for one whitelisted ERC-20 (strategy id = token
//! address). Shares are priced against the contract's live token balance `B` with virtual offsets
//! (1e3 shares / 1e3 tokens) against the inflation attack; deposits credit only the balance that
//! actually arrived (fee-on-transfer safe), and rebasing tokens work because `B` is read live.
//!
//! Who may do what:
//! - anyone: deposit (directly, for a signer with an EIP-712 signature, or with an ERC-2612
//!   permit) and clear recorded slashed shares to the set's recipient or the burn address;
//! - the DelegationManager only: remove deposit shares (withdrawal queue), re-add shares, pay
//!   shares out as tokens, and record slashed shares;
//! - the owner: whitelist strategies and set deposit caps; pausers: pause deposits.
//!
//! Every public method runs in the same order: load → authorise → check paused/state → change
//! state → external calls (deposits must read the token balance around the transfer, so they hold
//! a reentrancy lock across it).
#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
// `#[entrypoint]` generates public functions without docs (`user_entrypoint`, `print_from_args`);
// a lint attribute cannot reach generated items, so the lint is relaxed for this crate only.
#![allow(missing_docs)]
extern crate alloc;

mod deposit;
mod slashed;

use alloc::vec::Vec;

use alloy_primitives::{Address, B256, U256};
use restaking_abi::{abi::*, admin::Admin, call, constants::MAX_STAKER_STRATEGIES, eip712, math};
use stylus_sdk::{
    prelude::*,
    storage::{
        StorageAddress, StorageBool, StorageMap, StorageU256, StorageU8, StorageUint, StorageVec,
    },
    stylus_core::log,
};

/// Every way a StrategyManager call can fail.
#[derive(SolidityError, Debug)]
pub enum Error {
    /// Caller not allowed.
    Unauthorized(Unauthorized),
    /// Caller is not the pending owner.
    NotPendingOwner(NotPendingOwner),
    /// A required address is zero.
    ZeroAddress(ZeroAddress),
    /// A required amount is zero.
    ZeroAmount(ZeroAmount),
    /// `initialize` already ran.
    AlreadyInitialized(AlreadyInitialized),
    /// Peers not set yet.
    NotInitialized(NotInitialized),
    /// The action is paused.
    ActionPaused(ActionPaused),
    /// Share math overflowed.
    MathOverflow(MathOverflow),
    /// A deposit reentered a deposit.
    ReentrantCall(ReentrantCall),
    /// Signature past its expiry.
    SignatureExpired(SignatureExpired),
    /// Signature not valid for the staker.
    InvalidSignature(InvalidSignature),
    /// Permit failed and no allowance covers the amount.
    PermitFailed(PermitFailed),
    /// A token transfer failed.
    TokenTransferFailed(TokenTransferFailed),
    /// `balanceOf` failed.
    TokenBalanceUnavailable(TokenBalanceUnavailable),
    /// Token not whitelisted.
    StrategyNotWhitelisted(StrategyNotWhitelisted),
    /// Deposit above the strategy's cap.
    DepositCapExceeded(DepositCapExceeded),
    /// A cap too large to store (2^120 or more).
    InvalidCap(InvalidCap),
    /// Deposit worth zero shares.
    ZeroSharesMinted(ZeroSharesMinted),
    /// Total shares above 1e38 − 1.
    TotalSharesExceeded(TotalSharesExceeded),
    /// Staker already in 32 strategies.
    TooManyStrategies(TooManyStrategies),
    /// Fewer shares than asked.
    InsufficientShares(InsufficientShares),
    /// Slashed shares already recorded for this key.
    SlashedSharesAlreadyRecorded(SlashedSharesAlreadyRecorded),
    /// Nothing recorded to clear.
    NoSlashedShares(NoSlashedShares),
    /// A peer contract reverted (its revert data inside).
    PeerCallFailed(PeerCallFailed),
}

restaking_abi::contract_error_conversions!(Error);

/// Per-token strategy state, packed into one storage slot so a deposit reads it with one SLOAD.
#[storage]
pub struct Strategy {
    /// Shares outstanding, in share units: every position's withdrawable shares, plus shares
    /// queued for withdrawal, plus recorded slashed shares not yet cleared. (Stakers' *deposit*
    /// shares can sum to more: a slash lowers their value through the DelegationManager's
    /// slashing factor, not in this ledger.) At most `MAX_TOTAL_SHARES` (< 2^127).
    total_shares: StorageUint<128, 2>,
    /// Maximum token balance after a deposit; 0 = no cap. Below 2^120.
    deposit_cap: StorageUint<120, 2>,
    /// Deposits allowed.
    whitelisted: StorageBool,
}

/// Per-staker state.
#[storage]
pub struct Staker {
    /// Next EIP-712 deposit nonce.
    nonce: StorageU256,
    /// Strategies with non-zero deposit shares (≤ 32, unordered).
    strategies: StorageVec<StorageAddress>,
    /// Deposit shares per strategy.
    shares: StorageMap<Address, StorageU256>,
}

/// The StrategyManager contract.
#[entrypoint]
#[storage]
pub struct StrategyManager {
    /// Owner and pause bits.
    #[borrow]
    admin: Admin,
    /// DelegationManager peer (immutable once set).
    delegation_manager: StorageAddress,
    /// Reentrancy lock of deposits: 0/1 = free, 2 = entered. Shares the DelegationManager's slot,
    /// which every deposit reads anyway.
    lock: StorageU8,
    /// AllocationManager peer, asked for redistribution recipients (immutable once set).
    allocation_manager: StorageAddress,
    /// Strategy state by token.
    strategies: StorageMap<Address, Strategy>,
    /// Staker state by address.
    stakers: StorageMap<Address, Staker>,
    /// Recorded slashed shares by `keccak(avs ‖ set id ‖ slash id ‖ strategy)`.
    slashed: StorageMap<B256, StorageU256>,
}

#[public]
#[inherit(Admin)]
impl StrategyManager {
    /// Sets the owner. Peers are set afterwards with [`Self::initialize`].
    ///
    /// # Errors
    /// * [`Error::ZeroAddress`] - `owner` is zero.
    ///
    /// # Events
    /// * `OwnershipTransferred`
    #[constructor]
    pub fn constructor(&mut self, owner: Address) -> Result<(), Error> {
        self.admin.init_owner(owner)?;
        self.lock.set(alloy_primitives::Uint::from(1u8));
        Ok(())
    }

    /// Sets the peer contracts once (owner only). Deposits are refused until then.
    ///
    /// # Errors
    /// * [`Error::Unauthorized`] - caller is not the owner.
    /// * [`Error::AlreadyInitialized`] - peers already set.
    /// * [`Error::ZeroAddress`] - a peer is zero.
    ///
    /// # Events
    /// * [`Initialized`]
    pub fn initialize(
        &mut self,
        delegation_manager: Address,
        allocation_manager: Address,
    ) -> Result<(), Error> {
        self.admin.init_peers(
            self.delegation_manager.get(),
            &[delegation_manager, allocation_manager],
        )?;
        self.delegation_manager.set(delegation_manager);
        self.allocation_manager.set(allocation_manager);
        Ok(())
    }

    /// The DelegationManager peer.
    pub fn delegation_manager(&self) -> Address {
        self.delegation_manager.get()
    }

    /// The AllocationManager peer.
    pub fn allocation_manager(&self) -> Address {
        self.allocation_manager.get()
    }

    /// Allows or stops deposits of `strategy` (withdrawals are never blocked).
    ///
    /// # Errors
    /// * [`Error::Unauthorized`] - caller is not the owner.
    /// * [`Error::ZeroAddress`] - `strategy` is zero.
    ///
    /// # Events
    /// * [`StrategyWhitelistSet`]
    pub fn set_strategy_whitelist(
        &mut self,
        strategy: Address,
        whitelisted: bool,
    ) -> Result<(), Error> {
        self.admin.only_owner()?;
        if strategy.is_zero() {
            return Err(ZeroAddress {}.into());
        }
        self.strategies
            .setter(strategy)
            .whitelisted
            .set(whitelisted);
        log(
            self.vm(),
            StrategyWhitelistSet {
                strategy,
                whitelisted,
            },
        );
        Ok(())
    }

    /// Sets the maximum token balance of `strategy` after a deposit (0 = no cap).
    ///
    /// # Errors
    /// * [`Error::Unauthorized`] - caller is not the owner.
    /// * [`Error::ZeroAddress`] - `strategy` is zero.
    /// * [`Error::InvalidCap`] - `cap` is 2^120 or more (use 0 for "no cap").
    ///
    /// # Events
    /// * [`DepositCapSet`]
    pub fn set_deposit_cap(&mut self, strategy: Address, cap: U256) -> Result<(), Error> {
        self.admin.only_owner()?;
        if strategy.is_zero() {
            return Err(ZeroAddress {}.into());
        }
        if cap.bit_len() > 120 {
            return Err(InvalidCap { cap }.into());
        }
        let limbs = cap.as_limbs();
        self.strategies
            .setter(strategy)
            .deposit_cap
            .set(alloy_primitives::Uint::from_limbs([limbs[0], limbs[1]]));
        log(self.vm(), DepositCapSet { strategy, cap });
        Ok(())
    }

    /// Deposits `amount` of `strategy`'s token from the caller and credits the shares to the caller.
    ///
    /// # Errors
    /// * [`Error::ActionPaused`], [`Error::NotInitialized`], [`Error::ZeroAmount`],
    ///   [`Error::StrategyNotWhitelisted`], [`Error::ReentrantCall`], [`Error::TokenTransferFailed`],
    ///   [`Error::TokenBalanceUnavailable`], [`Error::ZeroSharesMinted`], [`Error::DepositCapExceeded`],
    ///   [`Error::TotalSharesExceeded`], [`Error::TooManyStrategies`], [`Error::PeerCallFailed`].
    ///
    /// # Events
    /// * [`Deposit`]
    pub fn deposit(&mut self, strategy: Address, amount: U256) -> Result<U256, Error> {
        let staker = self.vm().msg_sender();
        let delegation_manager = self.check_deposit(staker, strategy, amount)?;
        self.deposit_for(delegation_manager, staker, staker, strategy, amount)
    }

    /// Deposits `amount` from the caller and credits the shares to `staker`, who authorised it with
    /// an EIP-712 `Deposit(staker, strategy, amount, nonce, expiry)` signature (ECDSA or EIP-1271).
    ///
    /// # Errors
    /// * [`Error::SignatureExpired`] - `expiry` is before now.
    /// * [`Error::InvalidSignature`] - not signed by `staker` for its current nonce and this
    ///   contract on this chain.
    /// * every error of [`Self::deposit`].
    ///
    /// # Events
    /// * [`Deposit`]
    pub fn deposit_with_signature(
        &mut self,
        strategy: Address,
        amount: U256,
        staker: Address,
        expiry: U256,
        signature: stylus_sdk::abi::Bytes,
    ) -> Result<U256, Error> {
        let delegation_manager = self.check_deposit(staker, strategy, amount)?;
        self.check_deposit_signature(strategy, amount, staker, expiry, &signature)?;
        let payer = self.vm().msg_sender();
        self.deposit_for(delegation_manager, payer, staker, strategy, amount)
    }

    /// Runs the token's ERC-2612 `permit` for this contract, then deposits as [`Self::deposit`].
    /// If the permit call fails (for example because someone front-ran it) the deposit still goes
    /// ahead when the existing allowance covers `amount`.
    ///
    /// # Errors
    /// * [`Error::PermitFailed`] - the permit reverted and the allowance is below `amount`.
    /// * every error of [`Self::deposit`].
    ///
    /// # Events
    /// * [`Deposit`]
    pub fn deposit_with_permit(
        &mut self,
        strategy: Address,
        amount: U256,
        deadline: U256,
        v: u8,
        r: B256,
        s: B256,
    ) -> Result<U256, Error> {
        let staker = self.vm().msg_sender();
        let delegation_manager = self.check_deposit(staker, strategy, amount)?;
        self.run_permit(strategy, staker, amount, deadline, v, r, s)?;
        self.deposit_for(delegation_manager, staker, staker, strategy, amount)
    }

    /// DelegationManager only: removes `shares` deposit shares of `staker` (queued for withdrawal).
    /// Returns the staker's remaining deposit shares.
    ///
    /// # Errors
    /// * [`Error::Unauthorized`] - caller is not the DelegationManager.
    /// * [`Error::ZeroAddress`] / [`Error::ZeroAmount`] - zero staker or shares.
    /// * [`Error::InsufficientShares`] - the staker holds fewer.
    ///
    /// # Events
    /// * [`DepositSharesRemoved`]
    pub fn remove_deposit_shares(
        &mut self,
        staker: Address,
        strategy: Address,
        shares: U256,
    ) -> Result<U256, Error> {
        self.check_share_move(staker, shares)?;
        let have = self.stakers.getter(staker).shares.get(strategy);
        let remaining = have.checked_sub(shares).ok_or(InsufficientShares {
            staker,
            strategy,
            have,
            want: shares,
        })?;
        self.stakers
            .setter(staker)
            .shares
            .setter(strategy)
            .set(remaining);
        if remaining.is_zero() {
            self.remove_from_list(staker, strategy);
        }
        log(
            self.vm(),
            DepositSharesRemoved {
                staker,
                strategy,
                shares,
            },
        );
        Ok(remaining)
    }

    /// DelegationManager only: credits `shares` deposit shares to `staker` (a withdrawal completed
    /// as shares). Returns the staker's previous deposit shares.
    ///
    /// # Errors
    /// * [`Error::Unauthorized`] - caller is not the DelegationManager.
    /// * [`Error::ZeroAddress`] / [`Error::ZeroAmount`] - zero staker or shares.
    /// * [`Error::TooManyStrategies`] - a new strategy for a staker already in 32.
    ///
    /// # Events
    /// * [`DepositSharesAdded`]
    pub fn add_shares(
        &mut self,
        staker: Address,
        strategy: Address,
        shares: U256,
    ) -> Result<U256, Error> {
        self.check_share_move(staker, shares)?;
        let previous = self.credit(staker, strategy, shares)?;
        log(
            self.vm(),
            DepositSharesAdded {
                staker,
                strategy,
                shares,
            },
        );
        Ok(previous)
    }

    /// DelegationManager only: burns `shares` (already removed from a staker and queued) and pays
    /// their token value at the current rate to `recipient`. Returns the amount paid.
    ///
    /// # Errors
    /// * [`Error::Unauthorized`] - caller is not the DelegationManager.
    /// * [`Error::ZeroAddress`] / [`Error::ZeroAmount`] - zero recipient or shares.
    /// * [`Error::InsufficientShares`] - more than the strategy's total shares.
    /// * [`Error::TokenBalanceUnavailable`] / [`Error::TokenTransferFailed`] - token failures.
    ///
    /// # Events
    /// * [`SharesWithdrawnAsTokens`]
    pub fn withdraw_shares_as_tokens(
        &mut self,
        recipient: Address,
        strategy: Address,
        shares: U256,
    ) -> Result<U256, Error> {
        self.check_share_move(recipient, shares)?;
        let amount = self.pay_out(recipient, strategy, shares)?;
        log(
            self.vm(),
            SharesWithdrawnAsTokens {
                recipient,
                strategy,
                shares,
                amount,
            },
        );
        Ok(amount)
    }

    /// Whether deposits of `strategy` are allowed.
    pub fn is_whitelisted(&self, strategy: Address) -> bool {
        self.strategies.getter(strategy).whitelisted.get()
    }

    /// The deposit cap of `strategy` (0 = none).
    pub fn deposit_cap(&self, strategy: Address) -> U256 {
        U256::from(self.strategies.getter(strategy).deposit_cap.get())
    }

    /// Total shares of `strategy`.
    pub fn total_shares(&self, strategy: Address) -> U256 {
        U256::from(self.strategies.getter(strategy).total_shares.get())
    }

    /// Deposit shares of `staker` in `strategy`.
    pub fn deposit_shares(&self, staker: Address, strategy: Address) -> U256 {
        self.stakers.getter(staker).shares.get(strategy)
    }

    /// The strategies `staker` holds deposit shares in (at most 32, unordered); read each one's
    /// shares with [`Self::deposit_shares`]. (One array, not a tuple of arrays: stylus-sdk 0.9
    /// encodes a tuple return with dynamic members differently from Solidity.)
    pub fn staker_strategies(&self, staker: Address) -> Vec<Address> {
        let s = self.stakers.getter(staker);
        (0..s.strategies.len())
            .filter_map(|i| s.strategies.get(i))
            .collect()
    }

    /// Token value of `shares` of `strategy` now (rounds down).
    ///
    /// # Errors
    /// * [`Error::TokenBalanceUnavailable`] / [`Error::MathOverflow`].
    pub fn shares_to_tokens(&self, strategy: Address, shares: U256) -> Result<U256, Error> {
        let balance = self.token_balance(strategy)?;
        Ok(math::tokens_for_shares(
            shares,
            self.total_shares(strategy),
            balance,
        )?)
    }

    /// Shares `amount` tokens of `strategy` are worth now (rounds down).
    ///
    /// # Errors
    /// * [`Error::TokenBalanceUnavailable`] / [`Error::MathOverflow`].
    pub fn tokens_to_shares(&self, strategy: Address, amount: U256) -> Result<U256, Error> {
        let balance = self.token_balance(strategy)?;
        Ok(math::shares_for_tokens(
            amount,
            self.total_shares(strategy),
            balance,
        )?)
    }

    /// The next deposit-signature nonce of `staker`.
    pub fn nonces(&self, staker: Address) -> U256 {
        self.stakers.getter(staker).nonce.get()
    }

    /// This contract's EIP-712 domain separator on the current chain.
    pub fn domain_separator(&self) -> B256 {
        eip712::domain_separator(self.vm().chain_id(), self.vm().contract_address())
    }

    /// DelegationManager only: records `shares` slashed from `operator_set`'s slash `slash_id` in
    /// `strategy`, to be cleared later by [`Self::clear_slashed`]. Zero shares record nothing.
    ///
    /// # Errors
    /// * [`Error::Unauthorized`] - caller is not the DelegationManager.
    /// * [`Error::SlashedSharesAlreadyRecorded`] - this key was recorded before.
    /// * [`Error::InsufficientShares`] - more shares than the strategy has in total.
    ///
    /// # Events
    /// * [`SlashedSharesRecorded`]
    pub fn increase_burn_or_redistributable_shares(
        &mut self,
        operator_set: OperatorSet,
        slash_id: U256,
        strategy: Address,
        shares: U256,
    ) -> Result<(), Error> {
        self.record_slashed(operator_set, slash_id, strategy, shares)
    }

    /// Anyone: pays the token value (at today's rate) of the shares recorded for
    /// (`operator_set`, `slash_id`, `strategy`) to the set's redistribution recipient, or to the
    /// burn address when the set does not redistribute. Returns the amount paid.
    ///
    /// # Errors
    /// * [`Error::NoSlashedShares`] - nothing recorded (or already cleared).
    /// * [`Error::PeerCallFailed`] - the AllocationManager call failed.
    /// * [`Error::TokenBalanceUnavailable`] / [`Error::TokenTransferFailed`].
    ///
    /// # Events
    /// * [`SlashedSharesCleared`]
    pub fn clear_slashed(
        &mut self,
        operator_set: OperatorSet,
        slash_id: U256,
        strategy: Address,
    ) -> Result<U256, Error> {
        self.clear_slashed_shares(operator_set, slash_id, strategy)
    }

    /// Shares recorded and not yet cleared for (`operator_set`, `slash_id`, `strategy`).
    pub fn slashed_shares(
        &self,
        operator_set: OperatorSet,
        slash_id: U256,
        strategy: Address,
    ) -> U256 {
        self.slashed
            .get(slashed::key(&operator_set, slash_id, strategy))
    }
}

impl StrategyManager {
    fn only_delegation_manager(&self) -> Result<(), Error> {
        let caller = self.vm().msg_sender();
        if caller.is_zero() || caller != self.delegation_manager.get() {
            return Err(Unauthorized { caller }.into());
        }
        Ok(())
    }

    /// The contract's live balance of `strategy`'s token.
    fn token_balance(&self, strategy: Address) -> Result<U256, Error> {
        call::balance_of(strategy, self.vm().contract_address())
            .map_err(|_| TokenBalanceUnavailable { token: strategy }.into())
    }

    /// Adds `shares` to `staker`'s deposit shares (listing the strategy if new); returns the
    /// previous deposit shares.
    fn credit(&mut self, staker: Address, strategy: Address, shares: U256) -> Result<U256, Error> {
        let previous = self.stakers.getter(staker).shares.get(strategy);
        if previous.is_zero() {
            let count = self.stakers.getter(staker).strategies.len();
            if count >= MAX_STAKER_STRATEGIES as usize {
                return Err(TooManyStrategies {
                    staker,
                    max: MAX_STAKER_STRATEGIES,
                }
                .into());
            }
            self.stakers.setter(staker).strategies.push(strategy);
        }
        let updated = previous.checked_add(shares).ok_or(MathOverflow {})?;
        self.stakers
            .setter(staker)
            .shares
            .setter(strategy)
            .set(updated);
        Ok(previous)
    }

    /// Swap-and-pop `strategy` out of `staker`'s list (≤ 32 entries).
    fn remove_from_list(&mut self, staker: Address, strategy: Address) {
        let mut s = self.stakers.setter(staker);
        let len = s.strategies.len();
        if let Some(i) = (0..len).find(|&i| s.strategies.get(i) == Some(strategy)) {
            if let Some(last) = s.strategies.get(len - 1) {
                if let Some(mut slot) = s.strategies.setter(i) {
                    slot.set(last);
                }
            }
            s.strategies.erase_last();
        }
    }

    /// Stores `strategy`'s total shares. Every caller keeps them at most `MAX_TOTAL_SHARES`
    /// (< 2^127), so the two low limbs hold the value exactly.
    pub(crate) fn set_total_shares(&mut self, strategy: Address, total: U256) {
        let limbs = total.as_limbs();
        self.strategies
            .setter(strategy)
            .total_shares
            .set(alloy_primitives::Uint::from_limbs([limbs[0], limbs[1]]));
    }

    /// The checks every DelegationManager-only share move starts with: the caller, then a
    /// non-zero account and share amount.
    fn check_share_move(&self, account: Address, shares: U256) -> Result<(), Error> {
        self.only_delegation_manager()?;
        if account.is_zero() {
            return Err(ZeroAddress {}.into());
        }
        if shares.is_zero() {
            return Err(ZeroAmount {}.into());
        }
        Ok(())
    }

    /// Fails unless `shares` fit within `strategy`'s total shares. The pool is reported as the
    /// contract's own address in [`InsufficientShares`].
    pub(crate) fn within_total(&self, strategy: Address, shares: U256) -> Result<U256, Error> {
        let total = self.total_shares(strategy);
        if shares > total {
            return Err(InsufficientShares {
                staker: self.vm().contract_address(),
                strategy,
                have: total,
                want: shares,
            }
            .into());
        }
        Ok(total)
    }

    /// Burns `shares` of `strategy` and transfers their token value to `recipient` (never more
    /// than the contract holds, see `math::tokens_for_shares`).
    fn pay_out(
        &mut self,
        recipient: Address,
        strategy: Address,
        shares: U256,
    ) -> Result<U256, Error> {
        let total = self.within_total(strategy, shares)?;
        let balance = self.token_balance(strategy)?;
        let amount = math::tokens_for_shares(shares, total, balance)?;
        self.set_total_shares(strategy, total - shares);
        if !amount.is_zero() {
            call::safe_transfer(self.vm(), strategy, recipient, amount).map_err(|e| {
                TokenTransferFailed {
                    token: strategy,
                    reason: e.data(),
                }
            })?;
        }
        Ok(amount)
    }
}

#[cfg(test)]
mod tests;
