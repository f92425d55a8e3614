//! The deposit path shared by `deposit`, `deposit_with_signature` and `deposit_with_permit`.
//!
//! Shares are priced on the balance *before* the transfer and only for the tokens that actually
//! arrived (`balance_after − balance_before`), so fee-on-transfer tokens cannot over-credit and a
//! rebasing token's live balance is what counts. The balance is read around an external call, so
//! the whole read–transfer–read–credit sequence holds a reentrancy lock: a token that calls back
//! into any deposit method during its transfer gets `ReentrantCall` (on Nitro the SDK's entrypoint
//! already rejects reentrant calls with empty revert data; the lock keeps the rule independent of
//! the host).
//!
//! Whitelisting rule: a token whose balance can change *inside* `transferFrom` (yield synced on
//! transfer) must not be whitelisted — `after − before` would hand the depositor yield that belongs
//! to existing holders. Rebasing between transactions is fine: `B` is read live.

use alloy_primitives::{Address, U256};
use alloy_sol_types::SolCall;
use restaking_abi::{
    abi::*,
    call,
    constants::{pause, MAX_TOTAL_SHARES},
    eip712, math,
    signature::is_valid_signature_now,
};
use stylus_sdk::{prelude::*, stylus_core::log};

use crate::{Error, StrategyManager};

const UNLOCKED: u8 = 1;
const LOCKED: u8 = 2;

impl StrategyManager {
    /// The checks every deposit path passes before any external call (permit, EIP-1271 or the
    /// token itself); returns the DelegationManager to notify.
    pub(crate) fn check_deposit(
        &self,
        staker: Address,
        strategy: Address,
        amount: U256,
    ) -> Result<Address, Error> {
        self.admin.when_not_paused(pause::DEPOSITS)?;
        let delegation_manager = self.delegation_manager.get();
        if delegation_manager.is_zero() {
            return Err(NotInitialized {}.into());
        }
        if staker.is_zero() {
            return Err(ZeroAddress {}.into());
        }
        if amount.is_zero() {
            return Err(ZeroAmount {}.into());
        }
        if !self.strategies.getter(strategy).whitelisted.get() {
            return Err(StrategyNotWhitelisted { strategy }.into());
        }
        if self.lock.get().to::<u8>() == LOCKED {
            return Err(ReentrantCall {}.into());
        }
        Ok(delegation_manager)
    }

    /// Pulls `amount` of `strategy` from `payer` and credits the shares to `staker`; runs after
    /// [`Self::check_deposit`].
    pub(crate) fn deposit_for(
        &mut self,
        delegation_manager: Address,
        payer: Address,
        staker: Address,
        strategy: Address,
        amount: U256,
    ) -> Result<U256, Error> {
        self.lock.set(alloy_primitives::Uint::from(LOCKED));

        let this = self.vm().contract_address();
        let before = self.token_balance(strategy)?;
        call::safe_transfer_from(self.vm(), strategy, payer, this, amount).map_err(|e| {
            TokenTransferFailed {
                token: strategy,
                reason: e.data(),
            }
        })?;
        let after = self.token_balance(strategy)?;
        let received = after.saturating_sub(before);

        let total = self.total_shares(strategy);
        let shares = math::shares_for_deposit(received, total, before)?;
        if shares.is_zero() {
            return Err(ZeroSharesMinted {
                strategy,
                amount: received,
            }
            .into());
        }
        let cap = self.deposit_cap(strategy);
        if !cap.is_zero() && after > cap {
            return Err(DepositCapExceeded {
                strategy,
                cap,
                balanceAfter: after,
            }
            .into());
        }
        let new_total = total.checked_add(shares).filter(|t| *t <= MAX_TOTAL_SHARES);
        let Some(new_total) = new_total else {
            return Err(TotalSharesExceeded {
                strategy,
                totalShares: total.saturating_add(shares),
            }
            .into());
        };
        self.set_total_shares(strategy, new_total);
        let previous = self.credit(staker, strategy, shares)?;
        self.lock.set(alloy_primitives::Uint::from(UNLOCKED));
        log(
            self.vm(),
            Deposit {
                staker,
                strategy,
                amount: received,
                shares,
            },
        );

        let hook = IDelegationManager::increaseDelegatedSharesCall {
            staker,
            strategy,
            prevDepositShares: previous,
            addedShares: shares,
        };
        call::call(delegation_manager, &hook.abi_encode())
            .map_err(Error::peer(delegation_manager))?;
        Ok(shares)
    }

    /// Checks `staker`'s EIP-712 deposit authorisation and consumes its nonce.
    pub(crate) fn check_deposit_signature(
        &mut self,
        strategy: Address,
        amount: U256,
        staker: Address,
        expiry: U256,
        signature: &[u8],
    ) -> Result<(), Error> {
        let now = U256::from(self.vm().block_timestamp());
        if expiry < now {
            return Err(SignatureExpired { expiry, now }.into());
        }
        let nonce = self.stakers.getter(staker).nonce.get();
        let vm = self.vm();
        let digest = eip712::deposit_digest(
            vm.chain_id(),
            vm.contract_address(),
            staker,
            strategy,
            amount,
            nonce,
            expiry,
        );
        if staker.is_zero() || !is_valid_signature_now(self.vm(), staker, digest, signature) {
            return Err(InvalidSignature { signer: staker }.into());
        }
        self.stakers.setter(staker).nonce.set(nonce + U256::from(1));
        Ok(())
    }

    /// Calls the token's `permit`; a failed permit is fine if the allowance already covers `amount`.
    pub(crate) fn run_permit(
        &mut self,
        strategy: Address,
        staker: Address,
        amount: U256,
        deadline: U256,
        v: u8,
        r: alloy_primitives::B256,
        s: alloy_primitives::B256,
    ) -> Result<(), Error> {
        let this = self.vm().contract_address();
        let permit = IERC20Permit::permitCall {
            owner: staker,
            spender: this,
            value: amount,
            deadline,
            v,
            r,
            s,
        };
        if let Err(e) = call::call(strategy, &permit.abi_encode()) {
            let allowance = call::static_call(
                strategy,
                &IERC20::allowanceCall {
                    owner: staker,
                    spender: this,
                }
                .abi_encode(),
            )
            .and_then(call::decode_u256)
            .unwrap_or(U256::ZERO);
            if allowance < amount {
                return Err(PermitFailed {
                    token: strategy,
                    reason: e.data(),
                }
                .into());
            }
        }
        Ok(())
    }
}
