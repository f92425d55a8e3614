//! DelegationManager: operators, delegation, and the share accounting that makes slashing O(1)
//! in the number of stakers (DESIGN §5.2).
//!
//! Operators register for good (an operator is delegated to itself); stakers delegate with the
//! operator's approver signature (EIP-712 `DelegationApproval`, single-use salts, ECDSA or
//! EIP-1271), undelegate or redelegate, and leave through a slashable withdrawal queue. The
//! accounting:
//!
//! - deposit shares `s` live in StrategyManager; this contract keeps each (staker, strategy)'s
//!   deposit scaling factor `k` (0 stands for WAD);
//! - the slashing factor `m` is the operator's max magnitude in AllocationManager (WAD when the
//!   staker is not delegated);
//! - withdrawable shares are `a = ⌊⌊s·k/WAD⌋·m/WAD⌋`; a deposit of `d` updates `k` so `a` rises
//!   by `d` up to rounding that only ever lowers it; a slash lowers `m`, and with it every
//!   staker's `a`, without touching any staker;
//! - operator shares per strategy are a running total, never below the sum of its stakers'
//!   withdrawable shares;
//! - a queued withdrawal stores scaled shares `q = ⌊x·k/WAD⌋` and pays `⌊q·m_t/WAD⌋` with `m_t`
//!   the operator's max magnitude at the end of the delay, so it stays slashable until then;
//! - a slash (`slash_operator_shares`, AllocationManager only) takes `op − ⌈op·new/prev⌉` from the
//!   operator shares plus the same proportion of the scaled shares queued in the last
//!   `withdrawal_delay` seconds, found in a cumulative checkpoint history per (operator,
//!   strategy). Nothing loops over stakers.
//!
//! Storage is laid out for gas: a staker's delegation, withdrawal nonce and pending count share one
//! slot; a queued withdrawal keeps its operator, start and list position in one slot plus two
//! slots per strategy (the first also holding the nonce), and its root in the staker's list.
#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
// `#[entrypoint]` generates public functions without docs; see strategy-manager.
#![allow(missing_docs)]
// The extension build routes only part of the methods; helpers of the other part go unused there.
#![cfg_attr(feature = "extension", allow(dead_code))]
extern crate alloc;

use alloc::{string::String, vec::Vec};

use alloy_primitives::{keccak256, Address, B256, U256};
use alloy_sol_types::SolCall;
use restaking_abi::{
    abi::*,
    admin::Admin,
    call::{self, CallError},
    checkpoints,
    constants::{pause, MAX_STAKER_STRATEGIES, MAX_WITHDRAWAL_DELAY, WAD},
    eip712, math,
    signature::is_valid_signature_now,
};
use stylus_sdk::{
    prelude::*,
    storage::{
        StorageAddress, StorageB256, StorageBool, StorageMap, StorageU256, StorageU32, StorageU64,
        StorageVec,
    },
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
    /// The staker is not delegated.
    NotDelegated(NotDelegated),
    /// Operators cannot be undelegated.
    OperatorCannotUndelegate(OperatorCannotUndelegate),
    /// A withdrawal without strategies, or with zero shares.
    ZeroAmount(ZeroAmount),
    /// Arrays of different lengths.
    LengthMismatch(LengthMismatch),
    /// Strategies not strictly ascending.
    StrategiesNotSorted(StrategiesNotSorted),
    /// No pending withdrawal has this root.
    WithdrawalNotQueued(WithdrawalNotQueued),
    /// The withdrawal delay has not passed.
    WithdrawalDelayNotPassed(WithdrawalDelayNotPassed),
    /// A slash that does not lower a non-zero magnitude.
    InvalidMagnitudeChange(InvalidMagnitudeChange),
    /// The extension holds no code.
    ModuleWithoutCode(ModuleWithoutCode),
    /// A withdrawal delay of zero or above the maximum.
    InvalidWithdrawalDelay(InvalidWithdrawalDelay),
    /// A deposit would set a zero deposit scaling factor.
    InvalidDepositScalingFactor(InvalidDepositScalingFactor),
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

/// A staker's delegation and withdrawal counters (one slot).
#[storage]
pub struct Staker {
    /// The operator (zero if none; operators: themselves).
    delegated_to: StorageAddress,
    /// Withdrawals ever queued: the next withdrawal's nonce.
    nonce: StorageU64,
    /// Withdrawals pending: the length of the staker's root list.
    pending: StorageU32,
}

/// A pending withdrawal, keyed by its root. `start == 0` means none.
#[storage]
pub struct Queued {
    /// The operator at queue time (zero if undelegated).
    delegated_to: StorageAddress,
    /// Queue timestamp.
    start: StorageU64,
    /// Position in the staker's root list.
    index: StorageU32,
    /// Strategies and scaled shares by position; a zero strategy ends the list.
    entries: StorageMap<u32, Entry>,
}

/// One strategy of a queued withdrawal (two slots).
#[storage]
pub struct Entry {
    /// The strategy.
    strategy: StorageAddress,
    /// The withdrawal's nonce (kept in the first entry only).
    nonce: StorageU64,
    /// Scaled shares `q`.
    scaled: StorageU256,
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
    /// Seconds a withdrawal stays queued and slashable (fixed at construction).
    withdrawal_delay: StorageU64,
    /// AllocationManager peer (immutable once set).
    allocation_manager: StorageAddress,
    /// The extension module (fixed at construction).
    extension: StorageAddress,
    /// Operators by address.
    operators: StorageMap<Address, Operator>,
    /// Delegation and withdrawal counters by staker.
    stakers: StorageMap<Address, Staker>,
    /// Pending withdrawal roots by staker, then position.
    roots: StorageMap<Address, StorageMap<u32, StorageB256>>,
    /// Pending withdrawals by root.
    withdrawals: StorageMap<B256, Queued>,
    /// Cumulative scaled shares queued from each operator and strategy, as checkpoints
    /// `timestamp << 192 | cumulative`.
    queued_history: StorageMap<Address, StorageMap<Address, StorageVec<StorageU256>>>,
    /// Deposit scaling factor by staker, then strategy (0 = WAD).
    scaling: StorageMap<Address, StorageMap<Address, StorageU256>>,
    /// Operator shares by operator, then strategy.
    operator_shares: StorageMap<Address, StorageMap<Address, StorageU256>>,
    /// Spent approver salts by `keccak(approver ‖ salt)`.
    spent_salts: StorageMap<B256, StorageBool>,
}

/// The core module: deployed as the DelegationManager. Hot paths live here; every other selector
/// falls through to the extension.
#[cfg(not(feature = "extension"))]
#[public]
#[inherit(Admin)]
impl DelegationManager {
    /// Sets the owner, the withdrawal delay in seconds and the extension (the deployed
    /// `--features extension` build of this crate), all fixed for good. Peers are set afterwards
    /// with [`Self::initialize`].
    ///
    /// # Errors
    /// * [`Error::ZeroAddress`] - `owner` or `extension` is zero.
    /// * [`Error::ModuleWithoutCode`] - `extension` holds no code.
    /// * [`Error::InvalidWithdrawalDelay`] - zero, or above 30 days.
    #[constructor]
    pub fn constructor(
        &mut self,
        owner: Address,
        withdrawal_delay: u64,
        extension: Address,
    ) -> Result<(), Error> {
        if extension.is_zero() {
            return Err(ZeroAddress {}.into());
        }
        if !call::has_code(self.vm(), extension) {
            return Err(ModuleWithoutCode { module: extension }.into());
        }
        if withdrawal_delay == 0 || withdrawal_delay > MAX_WITHDRAWAL_DELAY {
            return Err(InvalidWithdrawalDelay {
                delay: withdrawal_delay,
                max: MAX_WITHDRAWAL_DELAY,
            }
            .into());
        }
        self.extension.set(extension);
        self.withdrawal_delay
            .set(alloy_primitives::Uint::from(withdrawal_delay));
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
        self.admin.init_peers(
            self.strategy_manager.get(),
            &[strategy_manager, allocation_manager],
        )?;
        self.strategy_manager.set(strategy_manager);
        self.allocation_manager.set(allocation_manager);
        Ok(())
    }

    /// Registers the caller as an operator, delegated to itself for good, with `approver` (zero
    /// for none) and its allocation delay in AllocationManager. Its own deposits become its
    /// operator shares.
    ///
    /// # Errors
    /// * [`Error::ActionPaused`] - delegation is paused (registering delegates to itself).
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
        self.admin.when_not_paused(pause::DELEGATION)?;
        let operator = self.vm().msg_sender();
        let allocation_manager = self.peers()?.1;
        if self.operators.getter(operator).registered.get() {
            return Err(AlreadyOperator { account: operator }.into());
        }
        let current = self.stakers.getter(operator).delegated_to.get();
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
        self.delegate_checked(operator, &approver_signature, approver_salt)
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
        let operator = self.stakers.getter(staker).delegated_to.get();
        self.increase(
            staker,
            operator,
            strategy,
            prev_deposit_shares,
            added_shares,
        )
    }

    /// AllocationManager only: `operator`'s max magnitude in `strategy` fell from `prev_max_magnitude`
    /// to `new_max_magnitude` in `operator_set`'s slash `slash_id`. Takes `op − ⌈op·new/prev⌉` from
    /// the operator shares and the same proportion of the shares queued within the withdrawal
    /// delay, records the total as slashed in StrategyManager and returns it.
    ///
    /// # Errors
    /// * [`Error::Unauthorized`] - caller is not the AllocationManager.
    /// * [`Error::InvalidMagnitudeChange`] - `prev` is zero or below `new`.
    /// * [`Error::PeerCallFailed`] / [`Error::MathOverflow`].
    ///
    /// # Events
    /// * [`OperatorSharesDecreased`] (the operator's part, staker zero), [`OperatorSharesSlashed`],
    ///   and StrategyManager's [`SlashedSharesRecorded`] when non-zero.
    pub fn slash_operator_shares(
        &mut self,
        operator: Address,
        operator_set: OperatorSet,
        slash_id: U256,
        strategy: Address,
        prev_max_magnitude: u64,
        new_max_magnitude: u64,
    ) -> Result<U256, Error> {
        let caller = self.vm().msg_sender();
        let (strategy_manager, allocation_manager) = self.peers()?;
        if caller != allocation_manager {
            return Err(Unauthorized { caller }.into());
        }
        if prev_max_magnitude == 0 || new_max_magnitude > prev_max_magnitude {
            return Err(InvalidMagnitudeChange {
                previous: prev_max_magnitude,
                next: new_max_magnitude,
            }
            .into());
        }
        let (prev, new) = (
            U256::from(prev_max_magnitude),
            U256::from(new_max_magnitude),
        );
        let shares = self.operator_shares.getter(operator).get(strategy);
        let from_operator = math::calc_slashed_amount(shares, prev, new)?;
        let (queued, count) = self.queued_in_window(operator, strategy);
        let from_queue = math::slashed_from_queue(queued, count, prev, new)?;
        let total = from_operator
            .checked_add(from_queue)
            .ok_or(MathOverflow {})?;
        self.operator_shares
            .setter(operator)
            .setter(strategy)
            .set(shares - from_operator);
        // The operator's part on its own (no staker), as EigenLayer, so indexers follow operator
        // shares from events alone.
        log(
            self.vm(),
            OperatorSharesDecreased {
                operator,
                staker: Address::ZERO,
                strategy,
                shares: from_operator,
            },
        );
        log(
            self.vm(),
            OperatorSharesSlashed {
                operator,
                strategy,
                totalSlashedShares: total,
            },
        );
        if !total.is_zero() {
            let record = IStrategyManager::increaseBurnOrRedistributableSharesCall {
                operatorSet: operator_set,
                slashId: slash_id,
                strategy,
                shares: total,
            };
            call::call(strategy_manager, &record.abi_encode())
                .map_err(Error::peer(strategy_manager))?;
        }
        Ok(total)
    }

    /// Whether `account` is an operator.
    pub fn is_operator(&self, account: Address) -> bool {
        self.operators.getter(account).registered.get()
    }

    /// The operator `staker` is delegated to (zero if none).
    pub fn delegated_to(&self, staker: Address) -> Address {
        self.stakers.getter(staker).delegated_to.get()
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

    /// The digest `approver` signs to let `staker` delegate to `operator`.
    pub fn delegation_approval_digest(
        &self,
        approver: Address,
        staker: Address,
        operator: Address,
        salt: B256,
        expiry: U256,
    ) -> B256 {
        self.approval_digest(approver, staker, operator, salt, expiry)
    }

    /// Shares queued from `operator` in `strategy` that a slash could still reach: what a full
    /// slash at the operator's current max magnitude would take from the withdrawals queued
    /// within the withdrawal delay ([`math::slashed_from_queue`]); zero once fully slashed.
    ///
    /// # Errors
    /// * [`Error::PeerCallFailed`] / [`Error::MathOverflow`].
    pub fn slashable_shares_in_queue(
        &self,
        operator: Address,
        strategy: Address,
    ) -> Result<U256, Error> {
        let m = self.slashing_factor(operator, strategy)?;
        if m.is_zero() {
            return Ok(U256::ZERO);
        }
        let (queued, count) = self.queued_in_window(operator, strategy);
        Ok(math::slashed_from_queue(queued, count, m, U256::ZERO)?)
    }

    /// The scaled shares and the number of withdrawals queued from `operator` in `strategy`
    /// within the withdrawal delay: what a slash now reaches in the queue, without asking the
    /// AllocationManager (which reads it while it previews a slash).
    pub fn queued_shares_in_window(&self, operator: Address, strategy: Address) -> (U256, U256) {
        self.queued_in_window(operator, strategy)
    }

    /// Seconds between queueing a withdrawal and completing it.
    pub fn withdrawal_delay(&self) -> u64 {
        self.withdrawal_delay.get().to()
    }

    /// Whether a withdrawal with this root is queued and not completed.
    pub fn is_pending_withdrawal(&self, root: B256) -> bool {
        self.withdrawals.getter(root).start.get() != alloy_primitives::Uint::ZERO
    }

    /// How many withdrawals `staker` ever queued (the next withdrawal's nonce).
    pub fn cumulative_withdrawals_queued(&self, staker: Address) -> U256 {
        U256::from(self.stakers.getter(staker).nonce.get())
    }

    /// The extension every other selector is delegated to.
    pub fn extension(&self) -> Address {
        self.extension.get()
    }

    /// Runs every selector this module does not route in the extension's code, on this
    /// contract's storage (`DELEGATECALL`), and returns or reverts with its output.
    #[fallback]
    pub fn fallback(&mut self, calldata: &[u8]) -> stylus_sdk::ArbResult {
        call::delegate_to_module(self.extension.get(), calldata)
    }
}

/// The extension module: withdrawals, undelegation and the heavier views. Built alone with
/// `--features extension` and reached through the core's fallback by `DELEGATECALL`, so it runs
/// on the core's storage with the caller's `msg.sender`. (Called directly, it only sees its own
/// empty storage: peers unset, every mutating path stops at `NotInitialized`.) In other builds
/// these are plain methods, which the unit tests call directly.
#[cfg_attr(feature = "extension", public)]
impl DelegationManager {
    /// Undelegates `staker` and queues one withdrawal per strategy it holds (all its deposit
    /// shares), returning their roots. Callable by the staker, its operator or the operator's
    /// approver.
    ///
    /// # Errors
    /// * [`Error::ActionPaused`] - the withdrawal queue is paused.
    /// * [`Error::NotDelegated`] - `staker` is not delegated.
    /// * [`Error::OperatorCannotUndelegate`] - `staker` is an operator.
    /// * [`Error::Unauthorized`] - the caller is none of the three.
    /// * [`Error::PeerCallFailed`] / [`Error::MathOverflow`].
    ///
    /// # Events
    /// * [`StakerUndelegated`], [`StakerForceUndelegated`] (when the caller is not the staker),
    ///   and per strategy those of [`Self::queue_withdrawals`].
    pub fn undelegate(&mut self, staker: Address) -> Result<Vec<B256>, Error> {
        self.admin.when_not_paused(pause::WITHDRAWAL_QUEUE)?;
        let (strategy_manager, _) = self.peers()?;
        let operator = self.stakers.getter(staker).delegated_to.get();
        if operator.is_zero() {
            return Err(NotDelegated { staker }.into());
        }
        if operator == staker {
            return Err(OperatorCannotUndelegate { operator }.into());
        }
        let caller = self.vm().msg_sender();
        if caller != staker
            && caller != operator
            && caller != self.operators.getter(operator).approver.get()
        {
            return Err(Unauthorized { caller }.into());
        }
        self.stakers.setter(staker).delegated_to.set(Address::ZERO);
        if caller != staker {
            log(self.vm(), StakerForceUndelegated { staker, operator });
        }
        log(self.vm(), StakerUndelegated { staker, operator });
        let strategies = Self::staker_strategies(strategy_manager, staker)?;
        let mut roots = Vec::with_capacity(strategies.len());
        for strategy in strategies {
            let shares = Self::deposit_shares(strategy_manager, staker, strategy)?;
            roots.push(self.queue(staker, operator, &[strategy], &[shares])?);
        }
        Ok(roots)
    }

    /// [`Self::undelegate`] the caller, then [`Self::delegate_to`] `new_operator`. The queued
    /// withdrawals join the new operator when completed as shares.
    ///
    /// # Errors
    /// Those of both steps.
    ///
    /// # Events
    /// Those of both steps.
    pub fn redelegate(
        &mut self,
        new_operator: Address,
        approver_signature: SignatureWithExpiry,
        approver_salt: B256,
    ) -> Result<Vec<B256>, Error> {
        let roots = self.undelegate(self.vm().msg_sender())?;
        self.delegate_checked(new_operator, &approver_signature, approver_salt)?;
        Ok(roots)
    }

    /// Queues withdrawals of the caller's deposit shares, one per entry (strategies strictly
    /// ascending), and returns their roots. The shares leave the operator now; what they pay is
    /// fixed at the end of the withdrawal delay, so they stay slashable until then.
    ///
    /// # Errors
    /// * [`Error::ActionPaused`] - the withdrawal queue is paused.
    /// * [`Error::LengthMismatch`] - strategies and shares differ in length.
    /// * [`Error::ZeroAmount`] - an entry without strategies, or zero shares.
    /// * [`Error::StrategiesNotSorted`] - strategies not strictly ascending.
    /// * [`Error::PeerCallFailed`] - e.g. StrategyManager's `InsufficientShares` for more shares
    ///   than held.
    /// * [`Error::MathOverflow`].
    ///
    /// # Events
    /// * [`DepositSharesRemoved`] (StrategyManager), [`OperatorSharesDecreased`] (when delegated),
    ///   [`WithdrawalQueued`]
    pub fn queue_withdrawals(
        &mut self,
        params: Vec<QueuedWithdrawalParams>,
    ) -> Result<Vec<B256>, Error> {
        self.admin.when_not_paused(pause::WITHDRAWAL_QUEUE)?;
        self.peers()?;
        let staker = self.vm().msg_sender();
        let operator = self.stakers.getter(staker).delegated_to.get();
        params
            .iter()
            .map(|p| {
                if p.strategies.len() != p.depositShares.len() {
                    return Err(LengthMismatch {
                        left: U256::from(p.strategies.len()),
                        right: U256::from(p.depositShares.len()),
                    }
                    .into());
                }
                self.queue(staker, operator, &p.strategies, &p.depositShares)
            })
            .collect()
    }

    /// Completes the caller's queued `withdrawal` once the delay has passed: each strategy pays
    /// `⌊q·m_t/WAD⌋` shares (`m_t` = the queue-time operator's max magnitude at the end of the
    /// delay), as tokens, or as deposit shares delegated to the caller's current operator.
    ///
    /// # Errors
    /// * [`Error::ActionPaused`] - completion is paused.
    /// * [`Error::Unauthorized`] - the caller is not the withdrawal's staker.
    /// * [`Error::WithdrawalNotQueued`] - no pending withdrawal hashes to this one (never queued,
    ///   already completed, or altered).
    /// * [`Error::WithdrawalDelayNotPassed`] - too early.
    /// * [`Error::FullySlashed`] - as shares, to an operator fully slashed in a strategy.
    /// * [`Error::PeerCallFailed`] / [`Error::MathOverflow`].
    ///
    /// # Events
    /// * [`WithdrawalCompleted`], plus StrategyManager's payout or share events and, as shares,
    ///   [`DepositScalingFactorUpdated`] / [`OperatorSharesIncreased`].
    pub fn complete_queued_withdrawal(
        &mut self,
        withdrawal: Withdrawal,
        receive_as_tokens: bool,
    ) -> Result<(), Error> {
        self.admin.when_not_paused(pause::WITHDRAWAL_COMPLETION)?;
        self.complete(&withdrawal, receive_as_tokens)
    }

    /// [`Self::complete_queued_withdrawal`] for each withdrawal, in order.
    ///
    /// # Errors
    /// * [`Error::LengthMismatch`] - the two arrays differ in length; otherwise as the single form.
    ///
    /// # Events
    /// As the single form.
    pub fn complete_queued_withdrawals(
        &mut self,
        withdrawals: Vec<Withdrawal>,
        receive_as_tokens: Vec<bool>,
    ) -> Result<(), Error> {
        self.admin.when_not_paused(pause::WITHDRAWAL_COMPLETION)?;
        if withdrawals.len() != receive_as_tokens.len() {
            return Err(LengthMismatch {
                left: U256::from(withdrawals.len()),
                right: U256::from(receive_as_tokens.len()),
            }
            .into());
        }
        for (withdrawal, as_tokens) in withdrawals.iter().zip(receive_as_tokens) {
            self.complete(withdrawal, as_tokens)?;
        }
        Ok(())
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
        let operator = self.stakers.getter(staker).delegated_to.get();
        strategies
            .into_iter()
            .map(|strategy| {
                let deposit = Self::deposit_shares(strategy_manager, staker, strategy)?;
                let m = self.slashing_factor(operator, strategy)?;
                Ok(math::calc_withdrawable(
                    deposit,
                    self.scaling.getter(staker).get(strategy),
                    m,
                )?)
            })
            .collect()
    }

    /// The staker's pending withdrawals, each with the shares it would pay per strategy if
    /// completed now (valued at the operator's max magnitude now, or at the end of the delay once
    /// that has passed). One array: see [`Self::withdrawable_shares`].
    ///
    /// # Errors
    /// * [`Error::PeerCallFailed`] / [`Error::MathOverflow`].
    pub fn queued_withdrawals(&self, staker: Address) -> Result<Vec<QueuedWithdrawal>, Error> {
        let now = self.vm().block_timestamp();
        let delay = self.withdrawal_delay.get().to::<u64>();
        let info = self.stakers.getter(staker);
        (0..info.pending.get().to::<u32>())
            .map(|i| {
                let root = self.roots.getter(staker).get(i);
                let withdrawal = self.stored_withdrawal(staker, root);
                let at = now.min(withdrawal.startTimestamp.saturating_add(delay));
                let shares = withdrawal
                    .strategies
                    .iter()
                    .zip(&withdrawal.scaledShares)
                    .map(|(&strategy, &q)| {
                        let m = self.magnitude_at(withdrawal.delegatedTo, strategy, at)?;
                        Ok(math::scale_for_complete(q, m)?)
                    })
                    .collect::<Result<Vec<U256>, Error>>()?;
                Ok(QueuedWithdrawal { withdrawal, shares })
            })
            .collect()
    }

    /// The root a withdrawal is stored under: `keccak256(abi.encode(withdrawal))`.
    pub fn withdrawal_root(&self, withdrawal: Withdrawal) -> B256 {
        restaking_abi::abi::withdrawal_root(&withdrawal)
    }
}

/// Low 160 bits of a queued-shares checkpoint's value: the cumulative scaled shares; bits 160 to
/// 191 count the withdrawals (the timestamp takes the top 64 bits).
const CUMULATIVE_MASK: U256 = U256::from_limbs([u64::MAX, u64::MAX, u64::MAX >> 32, 0]);

/// One withdrawal in a queued-shares checkpoint's count.
const ONE_WITHDRAWAL: U256 = U256::from_limbs([0, 0, 1 << 32, 0]);

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
        self.max_magnitude(operator, || {
            IAllocationManager::getMaxMagnitudeCall { operator, strategy }.abi_encode()
        })
    }

    /// `operator`'s max magnitude in `strategy` at `timestamp` (WAD when undelegated).
    fn magnitude_at(
        &self,
        operator: Address,
        strategy: Address,
        timestamp: u64,
    ) -> Result<U256, Error> {
        self.max_magnitude(operator, || {
            IAllocationManager::getMaxMagnitudeAtCall {
                operator,
                strategy,
                timestamp,
            }
            .abi_encode()
        })
    }

    /// WAD for no operator, else the AllocationManager's answer to `query`.
    fn max_magnitude(
        &self,
        operator: Address,
        query: impl FnOnce() -> Vec<u8>,
    ) -> Result<U256, Error> {
        if operator.is_zero() {
            return Ok(WAD);
        }
        let allocation_manager = self.allocation_manager.get();
        call::static_call(allocation_manager, &query())
            .and_then(call::decode_u256)
            .map_err(Error::peer(allocation_manager))
    }

    /// [`DelegationManager::delegate_to`]'s checks and effects (shared with `redelegate`).
    fn delegate_checked(
        &mut self,
        operator: Address,
        approver_signature: &SignatureWithExpiry,
        approver_salt: B256,
    ) -> Result<(), Error> {
        self.admin.when_not_paused(pause::DELEGATION)?;
        self.peers()?;
        let staker = self.vm().msg_sender();
        let current = self.stakers.getter(staker).delegated_to.get();
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
                approver_signature,
                approver_salt,
            )?;
        }
        self.delegate(staker, operator)
    }

    /// The EIP-712 digest of a `DelegationApproval`.
    fn approval_digest(
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
        let digest = self.approval_digest(approver, staker, operator, salt, signature.expiry);
        if !is_valid_signature_now(self.vm(), approver, digest, &signature.signature) {
            return Err(InvalidSignature { signer: approver }.into());
        }
        self.spent_salts.setter(key).set(true);
        Ok(())
    }

    /// Delegates `staker` to `operator` and moves each of its deposits into the operator's shares,
    /// resetting its scaling factor against the operator's slashing factor.
    fn delegate(&mut self, staker: Address, operator: Address) -> Result<(), Error> {
        self.stakers.setter(staker).delegated_to.set(operator);
        log(self.vm(), StakerDelegated { staker, operator });
        let (strategy_manager, _) = self.peers()?;
        for strategy in Self::staker_strategies(strategy_manager, staker)? {
            let shares = Self::deposit_shares(strategy_manager, staker, strategy)?;
            self.increase(staker, operator, strategy, U256::ZERO, shares)?;
        }
        Ok(())
    }

    /// The strategies `staker` holds deposit shares in (StrategyManager's list).
    fn staker_strategies(
        strategy_manager: Address,
        staker: Address,
    ) -> Result<Vec<Address>, Error> {
        let query = IStrategyManager::stakerStrategiesCall { staker };
        let out = call::static_call(strategy_manager, &query.abi_encode())
            .map_err(Error::peer(strategy_manager))?;
        <Vec<Address> as alloy_sol_types::SolValue>::abi_decode(&out, true)
            .map_err(|_| Error::peer(strategy_manager)(CallError::BadReturn(out)))
    }

    /// `staker`'s deposit shares in `strategy`.
    fn deposit_shares(
        strategy_manager: Address,
        staker: Address,
        strategy: Address,
    ) -> Result<U256, Error> {
        let query = IStrategyManager::depositSharesCall { staker, strategy };
        call::static_call(strategy_manager, &query.abi_encode())
            .and_then(call::decode_u256)
            .map_err(Error::peer(strategy_manager))
    }

    /// Queues one withdrawal of `shares` deposit shares per strategy (ascending) for `staker`,
    /// delegated to `operator`, and returns its root.
    fn queue(
        &mut self,
        staker: Address,
        operator: Address,
        strategies: &[Address],
        shares: &[U256],
    ) -> Result<B256, Error> {
        if strategies.is_empty() {
            return Err(ZeroAmount {}.into());
        }
        StrategiesNotSorted::check(strategies)?;
        let (strategy_manager, _) = self.peers()?;
        let now = self.vm().block_timestamp();
        let mut scaled = Vec::with_capacity(strategies.len());
        let mut withdrawable = Vec::with_capacity(strategies.len());
        for (&strategy, &x) in strategies.iter().zip(shares) {
            if x.is_zero() {
                return Err(ZeroAmount {}.into());
            }
            let m = self.slashing_factor(operator, strategy)?;
            let q = math::scale_for_queue(x, self.scaling.getter(staker).get(strategy))?;
            let w = math::scale_for_complete(q, m)?;
            let remove = IStrategyManager::removeDepositSharesCall {
                staker,
                strategy,
                shares: x,
            };
            let remaining = call::call(strategy_manager, &remove.abi_encode())
                .and_then(call::decode_u256)
                .map_err(Error::peer(strategy_manager))?;
            if remaining.is_zero() {
                self.scaling.setter(staker).setter(strategy).set(U256::ZERO);
            }
            if !operator.is_zero() {
                let total = self
                    .operator_shares
                    .getter(operator)
                    .get(strategy)
                    .checked_sub(w)
                    .ok_or(MathOverflow {})?;
                self.operator_shares
                    .setter(operator)
                    .setter(strategy)
                    .set(total);
                log(
                    self.vm(),
                    OperatorSharesDecreased {
                        operator,
                        staker,
                        strategy,
                        shares: w,
                    },
                );
                self.checkpoint_queued(operator, strategy, now, q)?;
            }
            scaled.push(q);
            withdrawable.push(w);
        }
        let mut info = self.stakers.setter(staker);
        let nonce = info.nonce.get();
        let index = info.pending.get();
        info.nonce.set(nonce + alloy_primitives::Uint::from(1));
        info.pending.set(index + alloy_primitives::Uint::from(1));
        let withdrawal = Withdrawal {
            staker,
            delegatedTo: operator,
            nonce: U256::from(nonce),
            startTimestamp: now,
            strategies: strategies.to_vec(),
            scaledShares: scaled,
        };
        let root = restaking_abi::abi::withdrawal_root(&withdrawal);
        self.roots
            .setter(staker)
            .setter(index.to::<u32>())
            .set(root);
        let mut record = self.withdrawals.setter(root);
        record.delegated_to.set(operator);
        record.start.set(alloy_primitives::Uint::from(now));
        record.index.set(index);
        for (i, (&strategy, &q)) in (0u32..).zip(strategies.iter().zip(&withdrawal.scaledShares)) {
            let mut entry = record.entries.setter(i);
            entry.strategy.set(strategy);
            if i == 0 {
                entry.nonce.set(nonce);
            }
            entry.scaled.set(q);
        }
        log(
            self.vm(),
            WithdrawalQueued {
                withdrawalRoot: root,
                withdrawal,
                sharesToWithdraw: withdrawable,
            },
        );
        Ok(root)
    }

    /// Adds one withdrawal of `q` scaled shares queued at `now` to the (operator, strategy)
    /// history.
    fn checkpoint_queued(
        &mut self,
        operator: Address,
        strategy: Address,
        now: u64,
        q: U256,
    ) -> Result<(), Error> {
        let mut history = self.queued_history.setter(operator);
        let mut history = history.setter(strategy);
        let latest = checkpoints::latest::<192>(&history).unwrap_or_default();
        let shares = (latest & CUMULATIVE_MASK)
            .checked_add(q)
            .filter(|c| *c <= CUMULATIVE_MASK)
            .ok_or(MathOverflow {})?;
        let count = (latest & !CUMULATIVE_MASK)
            .checked_add(ONE_WITHDRAWAL)
            .filter(|c| *c >> 192 == U256::ZERO)
            .ok_or(MathOverflow {})?;
        let cumulative = count | shares;
        checkpoints::record::<192>(&mut history, now, cumulative);
        Ok(())
    }

    /// Scaled shares and withdrawals queued from (operator, strategy) in the last
    /// `withdrawal_delay` seconds (queue timestamps `≥ now − delay`): the latest cumulative values
    /// minus the last ones at or before `now − delay − 1`, found by binary search. (Both parts
    /// only grow, so the packed words subtract part by part.)
    fn queued_in_window(&self, operator: Address, strategy: Address) -> (U256, U256) {
        let history = self.queued_history.getter(operator);
        let history = history.getter(strategy);
        let latest = checkpoints::latest::<192>(&history).unwrap_or_default();
        let now = self.vm().block_timestamp();
        let before = now
            .checked_sub(self.withdrawal_delay.get().to::<u64>().saturating_add(1))
            .and_then(|cutoff| checkpoints::at::<192>(&history, cutoff))
            .unwrap_or_default();
        // Everything at or before the cutoff is out of the window.
        let window = latest - before;
        (window & CUMULATIVE_MASK, window >> 160)
    }

    /// Checks and pays out one queued withdrawal of the caller.
    fn complete(&mut self, withdrawal: &Withdrawal, as_tokens: bool) -> Result<(), Error> {
        let (strategy_manager, _) = self.peers()?;
        let staker = self.vm().msg_sender();
        if staker != withdrawal.staker {
            return Err(Unauthorized { caller: staker }.into());
        }
        let root = restaking_abi::abi::withdrawal_root(withdrawal);
        let record = self.withdrawals.getter(root);
        let start = record.start.get().to::<u64>();
        let index = record.index.get().to::<u32>();
        if start == 0 {
            return Err(WithdrawalNotQueued { root }.into());
        }
        let slashable_until = start.saturating_add(self.withdrawal_delay.get().to::<u64>());
        let now = self.vm().block_timestamp();
        if now <= slashable_until {
            return Err(WithdrawalDelayNotPassed {
                completableAt: slashable_until.saturating_add(1),
                now,
            }
            .into());
        }
        self.remove_pending(staker, root, index);
        let current = self.stakers.getter(staker).delegated_to.get();
        for (&strategy, &q) in withdrawal.strategies.iter().zip(&withdrawal.scaledShares) {
            let m = self.magnitude_at(withdrawal.delegatedTo, strategy, slashable_until)?;
            let shares = math::scale_for_complete(q, m)?;
            if shares.is_zero() {
                continue;
            }
            if as_tokens {
                let pay = IStrategyManager::withdrawSharesAsTokensCall {
                    recipient: staker,
                    strategy,
                    shares,
                };
                call::call(strategy_manager, &pay.abi_encode())
                    .map_err(Error::peer(strategy_manager))?;
            } else {
                let add = IStrategyManager::addSharesCall {
                    staker,
                    strategy,
                    shares,
                };
                let previous = call::call(strategy_manager, &add.abi_encode())
                    .and_then(call::decode_u256)
                    .map_err(Error::peer(strategy_manager))?;
                self.increase(staker, current, strategy, previous, shares)?;
            }
        }
        log(
            self.vm(),
            WithdrawalCompleted {
                withdrawalRoot: root,
                receiveAsTokens: as_tokens,
            },
        );
        Ok(())
    }

    /// Forgets a pending withdrawal: clears its record and swaps the last root of the staker's
    /// list into its place. (Its entries stay behind, unreachable: roots never repeat.)
    fn remove_pending(&mut self, staker: Address, root: B256, index: u32) {
        let mut info = self.stakers.setter(staker);
        let last = info.pending.get().to::<u32>().saturating_sub(1);
        info.pending.set(alloy_primitives::Uint::from(last));
        let mut record = self.withdrawals.setter(root);
        record.delegated_to.set(Address::ZERO);
        record.start.set(alloy_primitives::Uint::ZERO);
        record.index.set(alloy_primitives::Uint::ZERO);
        let mut list = self.roots.setter(staker);
        if index != last {
            let moved = list.get(last);
            list.setter(index).set(moved);
            self.withdrawals
                .setter(moved)
                .index
                .set(alloy_primitives::Uint::from(index));
        }
        self.roots.setter(staker).setter(last).set(B256::ZERO);
    }

    /// Rebuilds a pending withdrawal of `staker` from storage.
    fn stored_withdrawal(&self, staker: Address, root: B256) -> Withdrawal {
        let record = self.withdrawals.getter(root);
        let (mut nonce, mut strategies, mut scaled) = (U256::ZERO, Vec::new(), Vec::new());
        for i in 0..=MAX_STAKER_STRATEGIES {
            let entry = record.entries.getter(i);
            let strategy = entry.strategy.get();
            if strategy.is_zero() {
                break;
            }
            if i == 0 {
                nonce = U256::from(entry.nonce.get());
            }
            strategies.push(strategy);
            scaled.push(entry.scaled.get());
        }
        Withdrawal {
            staker,
            delegatedTo: record.delegated_to.get(),
            nonce,
            startTimestamp: record.start.get().to(),
            strategies,
            scaledShares: scaled,
        }
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
        // Stored 0 reads back as "never set" (WAD): refuse it, as EigenLayer does.
        if k.is_zero() {
            return Err(InvalidDepositScalingFactor {}.into());
        }
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
