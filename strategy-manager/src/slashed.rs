//! Slashed-share bookkeeping: the DelegationManager records what each slash took per strategy;
//! anyone later clears it, paying the tokens to the set's redistribution recipient or burning them.
//!
//! Recorded shares stay inside the strategy's total shares until cleared, so the exchange rate of
//! everyone else is unaffected by the wait; the tokens are valued at the rate on clearing day.

use alloy_primitives::{keccak256, Address, B256, U256};
use alloy_sol_types::SolCall;
use restaking_abi::{abi::*, call, constants::BURN_ADDRESS};
use stylus_sdk::{prelude::*, stylus_core::log};

use crate::{Error, StrategyManager};

/// Storage key of (set, slash id, strategy): `keccak(avs ‖ id ‖ slash_id ‖ strategy)`, packed.
pub(crate) fn key(operator_set: &OperatorSet, slash_id: U256, strategy: Address) -> B256 {
    let mut buf = [0u8; 20 + 4 + 32 + 20];
    buf[..20].copy_from_slice(operator_set.avs.as_slice());
    buf[20..24].copy_from_slice(&operator_set.id.to_be_bytes());
    buf[24..56].copy_from_slice(&slash_id.to_be_bytes::<32>());
    buf[56..].copy_from_slice(strategy.as_slice());
    keccak256(buf)
}

impl StrategyManager {
    pub(crate) fn record_slashed(
        &mut self,
        operator_set: OperatorSet,
        slash_id: U256,
        strategy: Address,
        shares: U256,
    ) -> Result<(), Error> {
        self.only_delegation_manager()?;
        if shares.is_zero() {
            return Ok(());
        }
        self.within_total(strategy, shares)?;
        let k = key(&operator_set, slash_id, strategy);
        if !self.slashed.get(k).is_zero() {
            return Err(SlashedSharesAlreadyRecorded {
                avs: operator_set.avs,
                operatorSetId: operator_set.id,
                slashId: slash_id,
                strategy,
            }
            .into());
        }
        self.slashed.setter(k).set(shares);
        log(
            self.vm(),
            SlashedSharesRecorded {
                avs: operator_set.avs,
                operatorSetId: operator_set.id,
                slashId: slash_id,
                strategy,
                shares,
            },
        );
        Ok(())
    }

    pub(crate) fn clear_slashed_shares(
        &mut self,
        operator_set: OperatorSet,
        slash_id: U256,
        strategy: Address,
    ) -> Result<U256, Error> {
        let k = key(&operator_set, slash_id, strategy);
        let shares = self.slashed.get(k);
        if shares.is_zero() {
            return Err(NoSlashedShares {
                avs: operator_set.avs,
                operatorSetId: operator_set.id,
                slashId: slash_id,
                strategy,
            }
            .into());
        }
        let allocation_manager = self.allocation_manager.get();
        if allocation_manager.is_zero() {
            return Err(NotInitialized {}.into());
        }
        let query = IAllocationManager::getRedistributionRecipientCall {
            operatorSet: operator_set.clone(),
        };
        let recipient = call::static_call(allocation_manager, &query.abi_encode())
            .and_then(call::decode_address)
            .map_err(Error::peer(allocation_manager))?;
        let recipient = if recipient.is_zero() {
            BURN_ADDRESS
        } else {
            recipient
        };
        self.slashed.setter(k).set(U256::ZERO);
        let amount = self.pay_out(recipient, strategy, shares)?;
        log(
            self.vm(),
            SlashedSharesCleared {
                avs: operator_set.avs,
                operatorSetId: operator_set.id,
                slashId: slash_id,
                strategy,
                recipient,
                shares,
                amount,
            },
        );
        Ok(amount)
    }
}
