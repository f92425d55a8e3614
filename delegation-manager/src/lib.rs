//! DelegationManager: operators, delegation, and the share accounting that makes slashing O(1)
//! in the number of stakers (DESIGN §5.2).
//!
//! This first part covers operator registration (an operator is delegated to itself for good),
//! delegation with the operator's approver signature (EIP-712 `DelegationApproval`, single-use
//! salts, ECDSA or EIP-1271), and the accounting StrategyManager feeds through
//! `increase_delegated_shares`:
//!
//! - deposit shares `s` live in StrategyManager; this contract keeps each (staker, strategy)'s
//!   deposit scaling factor `k` (0 stands for WAD);
//! - the slashing factor `m` is the operator's max magnitude in AllocationManager (WAD when the
//!   staker is not delegated);
//! - withdrawable shares are `a = ⌊⌊s·k/WAD⌋·m/WAD⌋`; a deposit of `d` updates `k` so `a` rises
//!   by `d` up to rounding that only ever lowers it; a slash lowers `m`, and with it every
//!   staker's `a`, without touching any staker;
//! - operator shares per strategy are a running total, never below the sum of its stakers'
//!   withdrawable shares.
//!
//! The withdrawal queue, undelegation and the slashing hook follow in the next part.
#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
// `#[entrypoint]` generates public functions without docs; see strategy-manager.
#![allow(missing_docs)]
extern crate alloc;

use alloc::{string::String, vec::Vec};

use alloy_primitives::{keccak256, Address, B256, U256};
use alloy_sol_types::SolCall;
use restaking_abi::{
    abi::*,
    admin::Admin,
    call::{self, CallError},
    constants::{pause, WAD},
    eip712, math,
    signature::is_valid_signature_now,
};
use stylus_sdk::{
    prelude::*,
    storage::{StorageAddress, StorageBool, StorageMap, StorageU256},
    stylus_core::log,
};

/// Every way a DelegationManager call can fail.
#[derive(SolidityError, Debug)]
pub enum Error {
    /// Caller not allowed.
    Unauthorized(Unauthorized),
    /// Caller is not the pending owner.
    NotPendingOwner(NotPendingOwner),
    /// A required address is zero.
    ZeroAddress(ZeroAddress),
    /// `initialize` already ran.
    AlreadyInitialized(AlreadyInitialized),
    /// Peers not set yet.
    NotInitialized(NotInitialized),
    /// The action is paused.
    ActionPaused(ActionPaused),
    /// Share math overflowed.
    MathOverflow(MathOverflow),
    /// The account is not an operator.
    NotOperator(NotOperator),
    /// The account is already an operator.
    AlreadyOperator(AlreadyOperator),
    /// The staker is already delegated.
    AlreadyDelegated(AlreadyDelegated),
    /// The approver's signature expired.
    SignatureExpired(SignatureExpired),
    /// The approver did not sign this delegation.
    InvalidSignature(InvalidSignature),
    /// The approver salt was used before.
    SaltSpent(SaltSpent),
    /// The operator's slashing factor for a strategy is zero.
    FullySlashed(FullySlashed),
    /// A peer contract reverted (its revert data inside).
    PeerCallFailed(PeerCallFailed),
}

restaking_abi::contract_error_conversions!(Error);

/// An operator's settings (one slot: approver + flag).
#[storage]
pub struct Operator {
    /// Signs delegations to this operator; zero = anyone may delegate.
    approver: StorageAddress,
    /// Registered (for good).
    registered: StorageBool,
}

/// The DelegationManager contract.
#[entrypoint]
#[storage]
pub struct DelegationManager {
    /// Owner and pause bits.
    #[borrow]
    admin: Admin,
    /// StrategyManager peer (immutable once set).
    strategy_manager: StorageAddress,
    /// AllocationManager peer (immutable once set).
    allocation_manager: StorageAddress,
    /// Operators by address.
    operators: StorageMap<Address, Operator>,
    /// The operator each staker is delegated to (operators: themselves).
    delegated_to: StorageMap<Address, StorageAddress>,
    /// Deposit scaling factor by staker, then strategy (0 = WAD).
    scaling: StorageMap<Address, StorageMap<Address, StorageU256>>,
    /// Operator shares by operator, then strategy.
    operator_shares: StorageMap<Address, StorageMap<Address, StorageU256>>,
    /// Spent approver salts by `keccak(approver ‖ salt)`.
    spent_salts: StorageMap<B256, StorageBool>,
}

#[public]
#[inherit(Admin)]
impl DelegationManager {
    /// Sets the owner. Peers are set afterwards with [`Self::initialize`].
    ///
    /// # Errors
    /// * [`Error::ZeroAddress`] - `owner` is zero.
    #[constructor]
    pub fn constructor(&mut self, owner: Address) -> Result<(), Error> {
        Ok(self.admin.init_owner(owner)?)
    }

    /// Sets the peer contracts once (owner only).
    ///
    /// # Errors
    /// * [`Error::Unauthorized`], [`Error::AlreadyInitialized`], [`Error::ZeroAddress`].
    ///
    /// # Events
    /// * [`Initialized`]
    pub fn initialize(
        &mut self,
        strategy_manager: Address,
        allocation_manager: Address,
    ) -> Result<(), Error> {
        self.admin.only_owner()?;
        if !self.strategy_manager.get().is_zero() {
            return Err(AlreadyInitialized {}.into());
        }
        if strategy_manager.is_zero() || allocation_manager.is_zero() {
            return Err(ZeroAddress {}.into());
        }
        self.strategy_manager.set(strategy_manager);
        self.allocation_manager.set(allocation_manager);
        log(
            self.vm(),
            Initialized {
                peer1: strategy_manager,
                peer2: allocation_manager,
                peer3: Address::ZERO,
            },
        );
        Ok(())
    }

    /// Registers the caller as an operator, delegated to itself for good, with `approver` (zero
    /// for none) and its allocation delay in AllocationManager. Its own deposits become its
    /// operator shares.
    ///
    /// # Errors
    /// * [`Error::NotInitialized`] - peers not set.
    /// * [`Error::AlreadyOperator`] - already registered.
    /// * [`Error::AlreadyDelegated`] - the caller is delegated to another operator.
    /// * [`Error::PeerCallFailed`] - AllocationManager or StrategyManager reverted.
    /// * [`Error::FullySlashed`] / [`Error::MathOverflow`] - while moving its own deposits.
    ///
    /// # Events
    /// * [`OperatorRegistered`], [`OperatorMetadataUriUpdated`], [`StakerDelegated`]
    pub fn register_as_operator(
        &mut self,
        delegation_approver: Address,
        allocation_delay: u32,
        metadata_uri: String,
    ) -> Result<(), Error> {
        let operator = self.vm().msg_sender();
        let allocation_manager = self.peers()?.1;
        if self.operators.getter(operator).registered.get() {
            return Err(AlreadyOperator { account: operator }.into());
        }
        let current = self.delegated_to.get(operator);
        if !current.is_zero() {
            return Err(AlreadyDelegated {
                staker: operator,
                operator: current,
            }
            .into());
        }
        let mut info = self.operators.setter(operator);
        info.registered.set(true);
        info.approver.set(delegation_approver);
        log(
            self.vm(),
            OperatorRegistered {
                operator,
                delegationApprover: delegation_approver,
            },
        );
        log(
            self.vm(),
            OperatorMetadataUriUpdated {
                operator,
                metadataUri: metadata_uri,
            },
        );
        let delay = IAllocationManager::setAllocationDelayCall {
            operator,
            delay: allocation_delay,
        };
        call::call(allocation_manager, &delay.abi_encode())
            .map_err(Error::peer(allocation_manager))?;
        self.delegate(operator, operator)
    }

    /// Changes the caller's delegation approver.
    ///
    /// # Errors
    /// * [`Error::NotOperator`] - the caller is not an operator.
    ///
    /// # Events
    /// * [`OperatorDetailsModified`]
    pub fn modify_operator_details(&mut self, delegation_approver: Address) -> Result<(), Error> {
        let operator = self.only_operator()?;
        self.operators
            .setter(operator)
            .approver
            .set(delegation_approver);
        log(
            self.vm(),
            OperatorDetailsModified {
                operator,
                delegationApprover: delegation_approver,
            },
        );
        Ok(())
    }

    /// Announces a new metadata URI for the calling operator (event only).
    ///
    /// # Errors
    /// * [`Error::NotOperator`] - the caller is not an operator.
    ///
    /// # Events
    /// * [`OperatorMetadataUriUpdated`]
    pub fn update_metadata_uri(&mut self, metadata_uri: String) -> Result<(), Error> {
        let operator = self.only_operator()?;
        log(
            self.vm(),
            OperatorMetadataUriUpdated {
                operator,
                metadataUri: metadata_uri,
            },
        );
        Ok(())
    }

    /// Delegates the caller and all its deposits to `operator`. When the operator has an approver,
    /// the approver must have signed `DelegationApproval(approver, staker, operator, salt, expiry)`
    /// (ECDSA or EIP-1271); each salt works once. An approver delegating itself needs no signature.
    ///
    /// # Errors
    /// * [`Error::ActionPaused`] - delegation is paused.
    /// * [`Error::AlreadyDelegated`] - the caller is delegated (operators always are).
    /// * [`Error::NotOperator`] - `operator` is not registered.
    /// * [`Error::SignatureExpired`], [`Error::SaltSpent`], [`Error::InvalidSignature`].
    /// * [`Error::FullySlashed`] - the operator's slashing factor is zero for one of the caller's
    ///   strategies.
    ///
    /// # Events
    /// * [`StakerDelegated`], [`DepositScalingFactorUpdated`], [`OperatorSharesIncreased`]
    pub fn delegate_to(
        &mut self,
        operator: Address,
        approver_signature: SignatureWithExpiry,
        approver_salt: B256,
    ) -> Result<(), Error> {
        self.admin.when_not_paused(pause::DELEGATION)?;
        self.peers()?;
        let staker = self.vm().msg_sender();
        let current = self.delegated_to.get(staker);
        if !current.is_zero() {
            return Err(AlreadyDelegated {
                staker,
                operator: current,
            }
            .into());
        }
        if !self.operators.getter(operator).registered.get() {
            return Err(NotOperator { account: operator }.into());
        }
        let approver = self.operators.getter(operator).approver.get();
        if !approver.is_zero() && approver != staker {
            self.check_approval(
                approver,
                staker,
                operator,
                &approver_signature,
                approver_salt,
            )?;
        }
        self.delegate(staker, operator)
    }

    /// StrategyManager only: `staker` deposited `added_shares` on top of `prev_deposit_shares`.
    /// Updates the staker's scaling factor so its withdrawable shares rise by the deposit (up to
    /// rounding down), and the operator's shares by `added_shares` when delegated.
    ///
    /// # Errors
    /// * [`Error::Unauthorized`] - caller is not the StrategyManager.
    /// * [`Error::FullySlashed`] - the operator's slashing factor for `strategy` is zero.
    /// * [`Error::PeerCallFailed`] / [`Error::MathOverflow`].
    ///
    /// # Events
    /// * [`DepositScalingFactorUpdated`], [`OperatorSharesIncreased`] (when delegated)
    pub fn increase_delegated_shares(
        &mut self,
        staker: Address,
        strategy: Address,
        prev_deposit_shares: U256,
        added_shares: U256,
    ) -> Result<(), Error> {
        let caller = self.vm().msg_sender();
        if caller.is_zero() || caller != self.strategy_manager.get() {
            return Err(Unauthorized { caller }.into());
        }
        let operator = self.delegated_to.get(staker);
        self.increase(
            staker,
            operator,
            strategy,
            prev_deposit_shares,
            added_shares,
        )
    }

    /// Whether `account` is an operator.
    pub fn is_operator(&self, account: Address) -> bool {
        self.operators.getter(account).registered.get()
    }

    /// The operator `staker` is delegated to (zero if none).
    pub fn delegated_to(&self, staker: Address) -> Address {
        self.delegated_to.get(staker)
    }

    /// The delegation approver of `operator` (zero if none).
    pub fn delegation_approver(&self, operator: Address) -> Address {
        self.operators.getter(operator).approver.get()
    }

    /// Shares delegated to `operator` in `strategy`.
    pub fn operator_shares(&self, operator: Address, strategy: Address) -> U256 {
        self.operator_shares.getter(operator).get(strategy)
    }

    /// The deposit scaling factor of (`staker`, `strategy`) (WAD when never set).
    pub fn deposit_scaling_factor(&self, staker: Address, strategy: Address) -> U256 {
        math::scaling_factor(self.scaling.getter(staker).get(strategy))
    }

    /// Whether `approver` already used `salt`.
    pub fn approver_salt_spent(&self, approver: Address, salt: B256) -> bool {
        self.spent_salts.get(salt_key(approver, salt))
    }

    /// The digest `approver` signs to let `staker` delegate to `operator`.
    pub fn delegation_approval_digest(
        &self,
        approver: Address,
        staker: Address,
        operator: Address,
        salt: B256,
        expiry: U256,
    ) -> B256 {
        let vm = self.vm();
        eip712::typed_data_digest(
            eip712::domain_separator(vm.chain_id(), vm.contract_address()),
            eip712::delegation_approval_struct_hash(approver, staker, operator, salt, expiry),
        )
    }

    /// Withdrawable shares of `staker` in each of `strategies`: `⌊⌊s·k/WAD⌋·m/WAD⌋`. (One array:
    /// stylus-sdk 0.9 encodes a tuple return with dynamic members differently from Solidity.)
    ///
    /// # Errors
    /// * [`Error::NotInitialized`] / [`Error::PeerCallFailed`] / [`Error::MathOverflow`].
    pub fn withdrawable_shares(
        &self,
        staker: Address,
        strategies: Vec<Address>,
    ) -> Result<Vec<U256>, Error> {
        let (strategy_manager, _) = self.peers()?;
        let operator = self.delegated_to.get(staker);
        strategies
            .into_iter()
            .map(|strategy| {
                let query = IStrategyManager::depositSharesCall { staker, strategy };
                let deposit = call::static_call(strategy_manager, &query.abi_encode())
                    .and_then(call::decode_u256)
                    .map_err(Error::peer(strategy_manager))?;
                let m = self.slashing_factor(operator, strategy)?;
                Ok(math::calc_withdrawable(
                    deposit,
                    self.scaling.getter(staker).get(strategy),
                    m,
                )?)
            })
            .collect()
    }
}

/// Storage key of a spent salt.
fn salt_key(approver: Address, salt: B256) -> B256 {
    let mut buf = [0u8; 52];
    buf[..20].copy_from_slice(approver.as_slice());
    buf[20..].copy_from_slice(salt.as_slice());
    keccak256(buf)
}

impl DelegationManager {
    /// The peers, or `NotInitialized`.
    fn peers(&self) -> Result<(Address, Address), Error> {
        let (sm, am) = (self.strategy_manager.get(), self.allocation_manager.get());
        if sm.is_zero() {
            return Err(NotInitialized {}.into());
        }
        Ok((sm, am))
    }

    fn only_operator(&self) -> Result<Address, Error> {
        let caller = self.vm().msg_sender();
        if self.operators.getter(caller).registered.get() {
            Ok(caller)
        } else {
            Err(NotOperator { account: caller }.into())
        }
    }

    /// The slashing factor of `operator` for `strategy`: its max magnitude, WAD when undelegated.
    fn slashing_factor(&self, operator: Address, strategy: Address) -> Result<U256, Error> {
        if operator.is_zero() {
            return Ok(WAD);
        }
        let allocation_manager = self.allocation_manager.get();
        let query = IAllocationManager::getMaxMagnitudeCall { operator, strategy };
        let magnitude = call::static_call(allocation_manager, &query.abi_encode())
            .and_then(call::decode_u256)
            .map_err(Error::peer(allocation_manager))?;
        Ok(magnitude)
    }

    /// Checks and consumes the approver's signature.
    fn check_approval(
        &mut self,
        approver: Address,
        staker: Address,
        operator: Address,
        signature: &SignatureWithExpiry,
        salt: B256,
    ) -> Result<(), Error> {
        let now = U256::from(self.vm().block_timestamp());
        if signature.expiry < now {
            return Err(SignatureExpired {
                expiry: signature.expiry,
                now,
            }
            .into());
        }
        let key = salt_key(approver, salt);
        if self.spent_salts.get(key) {
            return Err(SaltSpent { approver, salt }.into());
        }
        let digest =
            self.delegation_approval_digest(approver, staker, operator, salt, signature.expiry);
        if !is_valid_signature_now(self.vm(), approver, digest, &signature.signature) {
            return Err(InvalidSignature { signer: approver }.into());
        }
        self.spent_salts.setter(key).set(true);
        Ok(())
    }

    /// Delegates `staker` to `operator` and moves each of its deposits into the operator's shares,
    /// resetting its scaling factor against the operator's slashing factor.
    fn delegate(&mut self, staker: Address, operator: Address) -> Result<(), Error> {
        self.delegated_to.setter(staker).set(operator);
        log(self.vm(), StakerDelegated { staker, operator });
        let (strategy_manager, _) = self.peers()?;
        let query = IStrategyManager::stakerStrategiesCall { staker };
        let out = call::static_call(strategy_manager, &query.abi_encode())
            .map_err(Error::peer(strategy_manager))?;
        let strategies = <Vec<Address> as alloy_sol_types::SolValue>::abi_decode(&out, true)
            .map_err(|_| Error::peer(strategy_manager)(CallError::BadReturn(out)))?;
        for strategy in strategies {
            let query = IStrategyManager::depositSharesCall { staker, strategy };
            let shares = call::static_call(strategy_manager, &query.abi_encode())
                .and_then(call::decode_u256)
                .map_err(Error::peer(strategy_manager))?;
            self.increase(staker, operator, strategy, U256::ZERO, shares)?;
        }
        Ok(())
    }

    /// The shared step of a deposit and of delegating existing deposits.
    fn increase(
        &mut self,
        staker: Address,
        operator: Address,
        strategy: Address,
        prev_deposit_shares: U256,
        added: U256,
    ) -> Result<(), Error> {
        let m = self.slashing_factor(operator, strategy)?;
        if m.is_zero() {
            return Err(FullySlashed { operator, strategy }.into());
        }
        let k = math::update_scaling_factor(
            self.scaling.getter(staker).get(strategy),
            prev_deposit_shares,
            added,
            m,
        )?;
        self.scaling.setter(staker).setter(strategy).set(k);
        log(
            self.vm(),
            DepositScalingFactorUpdated {
                staker,
                strategy,
                newDepositScalingFactor: k,
            },
        );
        if !operator.is_zero() {
            let total = self
                .operator_shares
                .getter(operator)
                .get(strategy)
                .checked_add(added)
                .ok_or(MathOverflow {})?;
            self.operator_shares
                .setter(operator)
                .setter(strategy)
                .set(total);
            log(
                self.vm(),
                OperatorSharesIncreased {
                    operator,
                    staker,
                    strategy,
                    shares: added,
                },
            );
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
