//! AllocationManager: AVSs, operator sets, operator registration, unique stake allocation and the
//! magnitude side of slashing (DESIGN §5.3).
//!
//! - An AVS registers by announcing a metadata URI, may name a registrar (a contract that accepts
//!   or rejects operators by reverting, and must declare support for the AVS), and creates
//!   operator sets `(avs, id)` with strategies and a redistribution recipient fixed at creation.
//! - Operators (registered in DelegationManager) join and leave sets; after leaving they stay
//!   slashable by the set for `deallocation_delay` seconds.
//! - Unique stake: per (operator, strategy) the max magnitude starts at WAD and only falls (each
//!   value checkpointed with its timestamp: DelegationManager reads past values). The operator
//!   hands out slices of it to sets; `encumbered` = Σ current allocations + pending increases +
//!   pending deallocations not yet cleared, and only `max − encumbered` can be allocated, so two
//!   sets never hold the same stake.
//! - An allocation (operator, set, strategy) has a current magnitude and at most one pending
//!   change with its effect time. Increases take effect after the operator's allocation delay;
//!   decreases of slashable stake after `deallocation_delay` (slashable until then, and queued
//!   per (operator, strategy) to free the encumbered magnitude in order); other decreases at
//!   once.
//! - `apply_slash` (the Slasher only) takes `⌈current·wad/WAD⌉` from the allocation, the max and
//!   the encumbered magnitude, shrinks a pending deallocation by the same fraction (rounded up),
//!   and has DelegationManager take the shares.
//!
//! Deliberate differences from EigenLayer's AllocationManager:
//!
//! - time is `block_timestamp` seconds, not block numbers;
//! - an increase needs the strategy in the set (EigenLayer lets magnitude sit on a strategy the
//!   set does not have); a decrease does not;
//! - the allocation delay given at DelegationManager registration is in force at once (the
//!   operator has nothing allocated yet); later changes wait `allocation_config_delay`;
//! - empty set-id or strategy lists are refused (`ZeroAmount`);
//! - a slash settles only the allocation it touches (a completed deallocation of it frees its
//!   encumbered magnitude then, and its queue entry, tagged with its effect time, is skipped
//!   later), so its cost never depends on the operator's deallocation queue;
//! - `getAllocatableMagnitude` counts a completed deallocation once it is cleared or settled.
//!
//! An AVS without a registrar is called itself on (de)registration: an AVS account without code
//! admits every operator (and may remove any). Registrar callbacks run under the reentrancy guard,
//! so they cannot call back into this contract.
//!
//! The contract is two modules of one crate, like DelegationManager: the core (registration,
//! allocation, slashing, the magnitude reads DelegationManager makes) is deployed at the
//! AllocationManager address; AVS administration, queue clearing and the other views are built
//! with `--features extension` and reached through the core's fallback by `DELEGATECALL`.
#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
// `#[entrypoint]` generates public functions without docs; see strategy-manager.
#![allow(missing_docs)]
// The extension build routes only part of the methods; helpers of the other part go unused there.
#![cfg_attr(feature = "extension", allow(dead_code))]
extern crate alloc;

use alloc::{string::String, vec::Vec};

use alloy_primitives::{Address, B256, U256, U32, U64};
use alloy_sol_types::SolCall;
use restaking_abi::{
    abi::*,
    admin::Admin,
    call, checkpoints,
    constants::{pause, WAD},
    math, set_key, Small,
};
use stylus_sdk::{
    prelude::*,
    storage::{
        StorageAddress, StorageB256, StorageBool, StorageMap, StorageU256, StorageU32, StorageU64,
        StorageVec,
    },
    stylus_core::log,
};

/// WAD as a magnitude.
const WAD64: u64 = 1_000_000_000_000_000_000;

/// Every way an AllocationManager call can fail.
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
    /// A peer contract reverted (its revert data inside).
    PeerCallFailed(PeerCallFailed),
    /// The account is not a DelegationManager operator.
    NotOperator(NotOperator),
    /// The AVS never announced metadata.
    AvsNotRegistered(AvsNotRegistered),
    /// No such operator set.
    OperatorSetNotFound(OperatorSetNotFound),
    /// The operator set exists already.
    OperatorSetExists(OperatorSetExists),
    /// The strategy is not in the set.
    StrategyNotInSet(StrategyNotInSet),
    /// The strategy is in the set already.
    StrategyAlreadyInSet(StrategyAlreadyInSet),
    /// The operator is not registered for the set.
    NotMemberOfSet(NotMemberOfSet),
    /// The operator is registered for, or still slashable by, the set.
    AlreadyMemberOfSet(AlreadyMemberOfSet),
    /// The set cannot slash the operator.
    OperatorNotSlashable(OperatorNotSlashable),
    /// More magnitude than is allocatable.
    InsufficientMagnitude(InsufficientMagnitude),
    /// The allocation has a pending change.
    ModificationAlreadyPending(ModificationAlreadyPending),
    /// The new magnitude is the current one.
    SameMagnitude(SameMagnitude),
    /// The operator has no allocation delay.
    AllocationDelayNotSet(AllocationDelayNotSet),
    /// The registrar reverted (its revert data inside).
    RegistrarRejected(RegistrarRejected),
    /// The registrar does not support the AVS.
    RegistrarNotForAvs(RegistrarNotForAvs),
    /// A fraction (or magnitude) of zero or above WAD.
    InvalidWad(InvalidWad),
    /// Arrays of different lengths.
    LengthMismatch(LengthMismatch),
    /// Strategies not strictly ascending.
    StrategiesNotSorted(StrategiesNotSorted),
    /// An empty list of sets or strategies.
    ZeroAmount(ZeroAmount),
    /// The extension holds no code.
    ModuleWithoutCode(ModuleWithoutCode),
    /// A deallocation delay shorter than the withdrawal delay.
    DeallocationDelayTooShort(DeallocationDelayTooShort),
}

restaking_abi::contract_error_conversions!(Error);

/// An AVS (one slot).
#[storage]
pub struct Avs {
    /// Called on (de)registration; zero = the AVS itself.
    registrar: StorageAddress,
    /// Announced metadata, so it may create sets.
    registered: StorageBool,
}

/// An operator set (two slots).
#[storage]
pub struct Set {
    /// Receives slashed tokens; zero = burned.
    recipient: StorageAddress,
    /// Created.
    exists: StorageBool,
    /// Length of the set's strategy list.
    strategy_count: StorageU32,
    /// Length of the set's member list.
    member_count: StorageU32,
    /// Slashes so far; the last slash's id.
    slash_count: StorageU64,
}

/// An operator's standing with a set (one slot).
#[storage]
pub struct Registration {
    /// Registered now.
    registered: StorageBool,
    /// Slashable through this timestamp after deregistering.
    slashable_until: StorageU64,
    /// Position + 1 in the set's member list (0 = not listed).
    position: StorageU32,
}

/// An operator's allocation delay (one slot).
#[storage]
pub struct Delay {
    /// Seconds from an allocation increase to its effect.
    current: StorageU32,
    /// The next delay, effective at `effect`.
    pending: StorageU32,
    /// When `pending` takes over (0 = nothing pending).
    effect: StorageU64,
    /// A delay is in force.
    set: StorageBool,
}

/// Magnitudes of (operator, strategy) (one slot).
#[storage]
pub struct Magnitude {
    /// WAD − max magnitude (so an untouched strategy reads WAD).
    lost: StorageU64,
    /// Encumbered magnitude.
    encumbered: StorageU64,
    /// Deallocation queue: first live position.
    head: StorageU32,
    /// Deallocation queue: next free position.
    tail: StorageU32,
}

/// An allocation of (operator, set, strategy) (one slot).
#[storage]
pub struct AllocationSlot {
    /// Current magnitude (as of the last settlement).
    current: StorageU64,
    /// Size of the pending change.
    pending: StorageU64,
    /// When the pending change takes effect (0 = none).
    effect: StorageU64,
    /// The pending change lowers the allocation.
    decrease: StorageBool,
}

/// The AllocationManager contract.
#[entrypoint]
#[storage]
pub struct AllocationManager {
    /// Owner and pause bits.
    #[borrow]
    admin: Admin,
    /// DelegationManager peer (immutable once set).
    delegation_manager: StorageAddress,
    /// Seconds slashable stake stays slashable after a deallocation or deregistration.
    deallocation_delay: StorageU64,
    /// Slasher peer (immutable once set): the only caller of `apply_slash`.
    slasher: StorageAddress,
    /// Seconds before an operator's new allocation delay takes over.
    allocation_config_delay: StorageU64,
    /// The extension module (fixed at construction).
    extension: StorageAddress,
    /// AVSs by address.
    avss: StorageMap<Address, Avs>,
    /// Operator sets by key.
    sets: StorageMap<B256, Set>,
    /// Strategies of each set, by position.
    set_strategies: StorageMap<B256, StorageMap<u32, StorageAddress>>,
    /// Position + 1 of each strategy in its set's list (0 = not in the set).
    strategy_positions: StorageMap<B256, StorageMap<Address, StorageU32>>,
    /// Registered operators of each set, by position.
    members: StorageMap<B256, StorageMap<u32, StorageAddress>>,
    /// Operator, then set: registration.
    registrations: StorageMap<Address, StorageMap<B256, Registration>>,
    /// Allocation delays by operator.
    delays: StorageMap<Address, Delay>,
    /// Operator, then strategy: magnitudes and queue bounds.
    magnitudes: StorageMap<Address, StorageMap<Address, Magnitude>>,
    /// Operator, then strategy: max magnitude checkpoints `timestamp << 64 | magnitude`.
    max_history: StorageMap<Address, StorageMap<Address, StorageVec<StorageU256>>>,
    /// Operator, then strategy: set keys with a pending deallocation, by queue position.
    queues: StorageMap<Address, StorageMap<Address, StorageMap<u32, StorageB256>>>,
    /// Operator, then set, then strategy: allocations.
    allocations: StorageMap<Address, StorageMap<B256, StorageMap<Address, AllocationSlot>>>,
}

/// An allocation in memory (shared with the rewards calculator, which replays it from events).
pub use restaking_abi::allocation::Alloc;

/// Magnitude taken from `x` by a slash of `wad`: `⌈x·wad/WAD⌉` (never more than `x` for
/// `wad ≤ WAD`).
#[must_use]
pub fn slashed(x: u64, wad: u64) -> u64 {
    math::slashed_magnitude(U256::from(x), U256::from(wad))
        .map_or(x, |taken| taken.as_limbs()[0].min(x))
}

/// The core module: deployed as the AllocationManager. Every other selector falls through to the
/// extension.
#[cfg(not(feature = "extension"))]
#[public]
#[inherit(Admin)]
impl AllocationManager {
    /// Sets the owner, the deallocation delay and the allocation configuration delay (seconds)
    /// and the extension (the deployed `--features extension` build of this crate), all fixed
    /// for good. Peers are set afterwards with [`Self::initialize`].
    ///
    /// # Errors
    /// * [`Error::ZeroAddress`] - `owner` or `extension` is zero.
    /// * [`Error::ModuleWithoutCode`] - `extension` holds no code.
    #[constructor]
    pub fn constructor(
        &mut self,
        owner: Address,
        deallocation_delay: u64,
        allocation_config_delay: u64,
        extension: Address,
    ) -> Result<(), Error> {
        if extension.is_zero() {
            return Err(ZeroAddress {}.into());
        }
        if !call::has_code(self.vm(), extension) {
            return Err(ModuleWithoutCode { module: extension }.into());
        }
        self.extension.set(extension);
        self.deallocation_delay.set(U64::from(deallocation_delay));
        self.allocation_config_delay
            .set(U64::from(allocation_config_delay));
        Ok(self.admin.init_owner(owner)?)
    }

    /// Sets the peer contracts once (owner only).
    ///
    /// # Errors
    /// * [`Error::Unauthorized`], [`Error::AlreadyInitialized`], [`Error::ZeroAddress`].
    /// * [`Error::DeallocationDelayTooShort`] - the deallocation delay is shorter than the
    ///   DelegationManager's withdrawal delay.
    /// * [`Error::PeerCallFailed`] - the DelegationManager's `withdrawalDelay` failed.
    ///
    /// # Events
    /// * [`Initialized`]
    pub fn initialize(
        &mut self,
        delegation_manager: Address,
        slasher: Address,
    ) -> Result<(), Error> {
        self.admin.init_peers(
            self.delegation_manager.get(),
            &[delegation_manager, slasher],
        )?;
        // Stake leaving a set must stay slashable as long as the withdrawals it could fund.
        let withdrawal_delay = call::static_call(
            delegation_manager,
            &IDelegationManager::withdrawalDelayCall {}.abi_encode(),
        )
        .and_then(call::decode_u256)
        .map_err(Error::peer(delegation_manager))?;
        let deallocation_delay = self.deallocation_delay.get().u64();
        if U256::from(deallocation_delay) < withdrawal_delay {
            return Err(DeallocationDelayTooShort {
                deallocationDelay: deallocation_delay,
                withdrawalDelay: withdrawal_delay.saturating_to(),
            }
            .into());
        }
        self.delegation_manager.set(delegation_manager);
        self.slasher.set(slasher);
        Ok(())
    }

    /// Sets `operator`'s allocation delay. From DelegationManager (at the operator's
    /// registration, when it has nothing allocated) it is in force at once; from the operator
    /// itself it takes over after the allocation configuration delay.
    ///
    /// # Errors
    /// * [`Error::NotInitialized`] - peers not set.
    /// * [`Error::Unauthorized`] - caller is neither DelegationManager nor `operator`.
    /// * [`Error::NotOperator`] - `operator` is not a DelegationManager operator.
    ///
    /// # Events
    /// * [`AllocationDelaySet`]
    pub fn set_allocation_delay(&mut self, operator: Address, delay: u32) -> Result<(), Error> {
        let delegation_manager = self.peer()?;
        let caller = self.vm().msg_sender();
        let now = self.vm().block_timestamp();
        let effect = if caller == delegation_manager {
            now
        } else if caller == operator {
            self.only_operator(operator)?;
            now.saturating_add(self.allocation_config_delay.get().u64())
        } else {
            return Err(Unauthorized { caller }.into());
        };
        let (in_force, set) = self.delay_at(operator, now);
        let mut info = self.delays.setter(operator);
        if effect == now {
            info.current.set(U32::from(delay));
            info.set.set(true);
            info.effect.set(U64::ZERO);
        } else {
            info.current.set(U32::from(in_force));
            info.set.set(set);
            info.pending.set(U32::from(delay));
            info.effect.set(U64::from(effect));
        }
        log(
            self.vm(),
            AllocationDelaySet {
                operator,
                delay,
                effectTimestamp: effect,
            },
        );
        Ok(())
    }

    /// Registers the caller `operator` for `avs`'s sets `operator_set_ids`, then asks the AVS's
    /// registrar (the AVS itself when none), passing `data`; a revert rejects the registration.
    ///
    /// # Errors
    /// * [`Error::ActionPaused`] - registration is paused.
    /// * [`Error::Unauthorized`] - the caller is not `operator`.
    /// * [`Error::NotOperator`] - `operator` is not a DelegationManager operator.
    /// * [`Error::ZeroAmount`] - no set ids.
    /// * [`Error::OperatorSetNotFound`] - a set does not exist.
    /// * [`Error::AlreadyMemberOfSet`] - registered, or still slashable after leaving.
    /// * [`Error::RegistrarRejected`] - the registrar reverted (its revert data inside).
    ///
    /// # Events
    /// * [`OperatorAddedToOperatorSet`] per set.
    pub fn register_for_operator_sets(
        &mut self,
        operator: Address,
        avs: Address,
        operator_set_ids: Vec<u32>,
        data: stylus_sdk::abi::Bytes,
    ) -> Result<(), Error> {
        self.admin.when_not_paused(pause::REGISTRATION)?;
        self.only_caller(operator)?;
        self.only_operator(operator)?;
        let now = self.vm().block_timestamp();
        if operator_set_ids.is_empty() {
            return Err(ZeroAmount {}.into());
        }
        for &id in &operator_set_ids {
            let key = self.existing_set(avs, id)?;
            if self.slashable_at(operator, key, now) {
                return Err(AlreadyMemberOfSet { operator, avs, id }.into());
            }
            let count = self.sets.getter(key).member_count.get().u32();
            self.members.setter(key).setter(count).set(operator);
            self.sets.setter(key).member_count.set(U32::from(count + 1));
            let mut registration = self.registrations.setter(operator);
            let mut registration = registration.setter(key);
            registration.registered.set(true);
            registration.position.set(U32::from(count + 1));
            log(
                self.vm(),
                OperatorAddedToOperatorSet {
                    operator,
                    avs,
                    operatorSetId: id,
                },
            );
        }
        let callback = IAvsRegistrar::registerOperatorCall {
            operator,
            avs,
            operatorSetIds: operator_set_ids,
            data: data.0.into(),
        };
        self.call_registrar(avs, &callback.abi_encode())
    }

    /// Deregisters `operator` from `avs`'s sets `operator_set_ids` (called by the operator or
    /// the AVS); it stays slashable by each until `now + deallocation_delay`. Then tells the
    /// registrar, whose revert undoes the deregistration.
    ///
    /// # Errors
    /// * [`Error::ActionPaused`] - registration is paused.
    /// * [`Error::Unauthorized`] - the caller is neither `operator` nor `avs`.
    /// * [`Error::ZeroAmount`] - no set ids.
    /// * [`Error::OperatorSetNotFound`] - a set does not exist.
    /// * [`Error::NotMemberOfSet`] - the operator is not registered for a set.
    /// * [`Error::RegistrarRejected`] - the registrar reverted.
    ///
    /// # Events
    /// * [`OperatorRemovedFromOperatorSet`] per set.
    pub fn deregister_from_operator_sets(
        &mut self,
        operator: Address,
        avs: Address,
        operator_set_ids: Vec<u32>,
    ) -> Result<(), Error> {
        self.admin.when_not_paused(pause::REGISTRATION)?;
        let caller = self.vm().msg_sender();
        if caller != operator && caller != avs {
            return Err(Unauthorized { caller }.into());
        }
        let until = self
            .vm()
            .block_timestamp()
            .saturating_add(self.deallocation_delay.get().u64());
        if operator_set_ids.is_empty() {
            return Err(ZeroAmount {}.into());
        }
        for &id in &operator_set_ids {
            let key = self.existing_set(avs, id)?;
            let registration = self.registrations.getter(operator);
            let registration = registration.getter(key);
            if !registration.registered.get() {
                return Err(NotMemberOfSet { operator, avs, id }.into());
            }
            let position = registration.position.get().u32();
            let last = self.sets.getter(key).member_count.get().u32() - 1;
            let mut registration = self.registrations.setter(operator);
            let mut registration = registration.setter(key);
            registration.registered.set(false);
            registration.position.set(U32::ZERO);
            registration.slashable_until.set(U64::from(until));
            let moved = self.members.getter(key).get(last);
            if position - 1 != last {
                self.members.setter(key).setter(position - 1).set(moved);
                self.registrations
                    .setter(moved)
                    .setter(key)
                    .position
                    .set(U32::from(position));
            }
            self.members.setter(key).setter(last).set(Address::ZERO);
            self.sets.setter(key).member_count.set(U32::from(last));
            log(
                self.vm(),
                OperatorRemovedFromOperatorSet {
                    operator,
                    avs,
                    operatorSetId: id,
                    slashableUntil: until,
                },
            );
        }
        let callback = IAvsRegistrar::deregisterOperatorCall {
            operator,
            avs,
            operatorSetIds: operator_set_ids,
        };
        self.call_registrar(avs, &callback.abi_encode())
    }

    /// Sets the caller `operator`'s allocations: per entry, new magnitudes (strategies strictly
    /// ascending) in one set. First clears the completed deallocations of each strategy. An
    /// increase needs the strategy in the set and enough allocatable magnitude, which it
    /// encumbers now, and takes effect after the operator's allocation delay. A decrease of a
    /// slashable allocation (operator slashable by the set, strategy in the set) takes effect
    /// `deallocation_delay + 1` seconds from now and stays slashable until then; any other
    /// decrease takes effect at once.
    ///
    /// # Errors
    /// * [`Error::ActionPaused`] - allocations are paused.
    /// * [`Error::Unauthorized`] - the caller is not `operator`.
    /// * [`Error::AllocationDelayNotSet`] - the operator has no allocation delay in force.
    /// * [`Error::OperatorSetNotFound`] / [`Error::LengthMismatch`] / [`Error::StrategiesNotSorted`].
    /// * [`Error::InvalidWad`] - a magnitude above WAD.
    /// * [`Error::ModificationAlreadyPending`] - the allocation has a pending change.
    /// * [`Error::SameMagnitude`] - no change.
    /// * [`Error::StrategyNotInSet`] - an increase in a strategy outside the set.
    /// * [`Error::InsufficientMagnitude`] - an increase above the allocatable magnitude.
    ///
    /// # Events
    /// * [`AllocationUpdated`] per change, [`EncumberedMagnitudeUpdated`] when it moves.
    pub fn modify_allocations(
        &mut self,
        operator: Address,
        params: Vec<AllocateParams>,
    ) -> Result<(), Error> {
        self.admin.when_not_paused(pause::ALLOCATIONS)?;
        self.only_caller(operator)?;
        let now = self.vm().block_timestamp();
        let (delay, set) = self.delay_at(operator, now);
        if !set {
            return Err(AllocationDelayNotSet { operator }.into());
        }
        for p in &params {
            let (avs, id) = (p.operatorSet.avs, p.operatorSet.id);
            let key = self.existing_set(avs, id)?;
            check_strategies(&p.strategies, p.newMagnitudes.len())?;
            let slashable = self.slashable_at(operator, key, now);
            for (&strategy, &magnitude) in p.strategies.iter().zip(&p.newMagnitudes) {
                if magnitude > WAD64 {
                    return Err(InvalidWad {
                        wad: U256::from(magnitude),
                    }
                    .into());
                }
                self.clear_queue(operator, strategy, u32::MAX);
                let a = self.settle(operator, key, strategy, now);
                if a.effect != 0 {
                    return Err(ModificationAlreadyPending { avs, id, strategy }.into());
                }
                if magnitude == a.current {
                    return Err(SameMagnitude {
                        strategy,
                        magnitude,
                    }
                    .into());
                }
                let in_set = self.in_set(key, strategy);
                let (max, encumbered) = self.magnitude(operator, strategy);
                let mut next = Alloc {
                    current: a.current,
                    ..Alloc::default()
                };
                let mut encumbered_next = encumbered;
                if magnitude > a.current {
                    if !in_set {
                        return Err(StrategyNotInSet { avs, id, strategy }.into());
                    }
                    let wanted = magnitude - a.current;
                    let allocatable = max.saturating_sub(encumbered);
                    if wanted > allocatable {
                        return Err(InsufficientMagnitude {
                            strategy,
                            allocatable,
                            wanted,
                        }
                        .into());
                    }
                    encumbered_next += wanted;
                    if delay == 0 {
                        next.current = magnitude;
                    } else {
                        next.pending = wanted;
                        next.effect = now.saturating_add(u64::from(delay));
                    }
                } else if slashable && in_set {
                    next.pending = a.current - magnitude;
                    next.decrease = true;
                    next.effect = now
                        .saturating_add(self.deallocation_delay.get().u64())
                        .saturating_add(1);
                    self.enqueue(operator, strategy, key, next.effect);
                } else {
                    next.current = magnitude;
                    encumbered_next = encumbered.saturating_sub(a.current - magnitude);
                }
                self.store_allocation(operator, key, strategy, next);
                log(
                    self.vm(),
                    AllocationUpdated {
                        operator,
                        avs,
                        operatorSetId: id,
                        strategy,
                        magnitude,
                        effectTimestamp: next.effect.max(now),
                    },
                );
                if encumbered_next != encumbered {
                    self.set_encumbered(operator, strategy, encumbered_next);
                }
            }
        }
        Ok(())
    }

    /// Slasher only: slashes `params.operator` in `avs`'s set `params.operatorSetId`. For each
    /// strategy (strictly ascending, in the set, `0 < wad ≤ WAD`) takes `⌈current·wad/WAD⌉` from
    /// the allocation, the max and the encumbered magnitude, shrinks a pending deallocation by
    /// the same fraction (rounded up), and has DelegationManager take the shares. A strategy with
    /// nothing allocated is skipped. Returns the slash id and what each strategy lost.
    ///
    /// # Errors
    /// * [`Error::NotInitialized`] / [`Error::Unauthorized`] - the caller is not the Slasher.
    /// * [`Error::OperatorSetNotFound`] / [`Error::OperatorNotSlashable`].
    /// * [`Error::LengthMismatch`] / [`Error::ZeroAmount`] (no strategies) /
    ///   [`Error::StrategiesNotSorted`] / [`Error::InvalidWad`] / [`Error::StrategyNotInSet`].
    /// * [`Error::PeerCallFailed`] - DelegationManager reverted.
    ///
    /// # Events
    /// * per strategy slashed [`AllocationUpdated`], [`EncumberedMagnitudeUpdated`],
    ///   [`MaxMagnitudeUpdated`] (and DelegationManager's), then [`OperatorSlashed`].
    pub fn apply_slash(
        &mut self,
        avs: Address,
        params: SlashingParams,
    ) -> Result<SlashOutcome, Error> {
        let delegation_manager = self.peer()?;
        let caller = self.vm().msg_sender();
        if caller != self.slasher.get() {
            return Err(Unauthorized { caller }.into());
        }
        let (key, wads) = self.check_slash_input(avs, &params)?;
        let operator = params.operator;
        let id = params.operatorSetId;
        let slash_id = self.sets.getter(key).slash_count.get().u64() + 1;
        self.sets.setter(key).slash_count.set(U64::from(slash_id));
        let now = self.vm().block_timestamp();
        let n = params.strategies.len();
        let mut outcome = SlashOutcome {
            slashId: U256::from(slash_id),
            magnitudesSlashed: Vec::with_capacity(n),
            sharesSlashed: Vec::with_capacity(n),
        };
        let mut wad_slashed = Vec::with_capacity(n);
        for (&strategy, &wad) in params.strategies.iter().zip(&wads) {
            let a = self.settle(operator, key, strategy, now);
            let (max, encumbered) = self.magnitude(operator, strategy);
            let (next, taken) = slash_allocation(a, wad);
            outcome.magnitudesSlashed.push(taken);
            wad_slashed.push(math::mul_div(
                U256::from(taken),
                WAD,
                U256::from(max.max(1)),
                math::Rounding::Down,
            )?);
            if taken == 0 {
                outcome.sharesSlashed.push(U256::ZERO);
                continue;
            }
            let new_max = max.saturating_sub(taken);
            self.store_allocation(operator, key, strategy, next);
            self.set_encumbered(operator, strategy, encumbered.saturating_sub(taken));
            self.magnitudes
                .setter(operator)
                .setter(strategy)
                .lost
                .set(U64::from(WAD64 - new_max));
            self.checkpoint_max(operator, strategy, now, new_max);
            log(
                self.vm(),
                AllocationUpdated {
                    operator,
                    avs,
                    operatorSetId: id,
                    strategy,
                    magnitude: next.current,
                    effectTimestamp: now,
                },
            );
            if next.decrease && next.effect != 0 {
                // The pending deallocation's target moved too.
                log(
                    self.vm(),
                    AllocationUpdated {
                        operator,
                        avs,
                        operatorSetId: id,
                        strategy,
                        magnitude: next.current - next.pending,
                        effectTimestamp: next.effect,
                    },
                );
            }
            log(
                self.vm(),
                MaxMagnitudeUpdated {
                    operator,
                    strategy,
                    maxMagnitude: new_max,
                },
            );
            let report = IDelegationManager::slashOperatorSharesCall {
                operator,
                operatorSet: OperatorSet { avs, id },
                slashId: outcome.slashId,
                strategy,
                prevMaxMagnitude: max,
                newMaxMagnitude: new_max,
            };
            let shares = call::call(delegation_manager, &report.abi_encode())
                .and_then(call::decode_u256)
                .map_err(Error::peer(delegation_manager))?;
            outcome.sharesSlashed.push(shares);
        }
        log(
            self.vm(),
            OperatorSlashed {
                operator,
                avs,
                operatorSetId: id,
                slashId: outcome.slashId,
                strategies: params.strategies,
                wadSlashed: wad_slashed,
                description: params.description,
            },
        );
        Ok(outcome)
    }

    /// `operator`'s max magnitude in `strategy` now (WAD until first slashed).
    pub fn get_max_magnitude(&self, operator: Address, strategy: Address) -> u64 {
        self.magnitude(operator, strategy).0
    }

    /// `operator`'s max magnitude in `strategy` at `timestamp`: the last value set at or before
    /// it (WAD before the first slash).
    pub fn get_max_magnitude_at(
        &self,
        operator: Address,
        strategy: Address,
        timestamp: u64,
    ) -> u64 {
        let history = self.max_history.getter(operator);
        checkpoints::at::<64>(&history.getter(strategy), timestamp)
            .map_or(WAD64, |magnitude| magnitude.as_limbs()[0])
    }

    /// Where `operator_set`'s slashed tokens go: its recipient, or zero when they are burned.
    pub fn get_redistribution_recipient(&self, operator_set: OperatorSet) -> Address {
        self.sets
            .getter(set_key(operator_set.avs, operator_set.id))
            .recipient
            .get()
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

/// The extension module: AVS administration, queue clearing and the views. Built alone with
/// `--features extension` and reached through the core's fallback by `DELEGATECALL`. In other
/// builds these are plain methods, which the unit tests call directly.
#[cfg_attr(feature = "extension", public)]
impl AllocationManager {
    /// Registers the caller `avs` (needed before it creates sets) and announces its metadata.
    ///
    /// # Errors
    /// * [`Error::Unauthorized`] - the caller is not `avs`.
    ///
    /// # Events
    /// * [`AvsMetadataUriUpdated`]
    pub fn update_avs_metadata_uri(
        &mut self,
        avs: Address,
        metadata_uri: String,
    ) -> Result<(), Error> {
        self.only_caller(avs)?;
        self.avss.setter(avs).registered.set(true);
        log(
            self.vm(),
            AvsMetadataUriUpdated {
                avs,
                metadataUri: metadata_uri,
            },
        );
        Ok(())
    }

    /// Sets the caller `avs`'s registrar (zero: the AVS itself), which must answer
    /// `supportsAvs(avs)` with true.
    ///
    /// # Errors
    /// * [`Error::Unauthorized`] - the caller is not `avs`.
    /// * [`Error::AvsNotRegistered`] - `avs` never announced metadata.
    /// * [`Error::RegistrarNotForAvs`] - the registrar does not support `avs` (or reverted).
    ///
    /// # Events
    /// * [`AvsRegistrarSet`]
    pub fn set_avs_registrar(&mut self, avs: Address, registrar: Address) -> Result<(), Error> {
        self.only_avs(avs)?;
        if !registrar.is_zero() {
            let query = IAvsRegistrar::supportsAvsCall { avs };
            let yes = call::static_call(registrar, &query.abi_encode())
                .and_then(call::decode_u256)
                .is_ok_and(|w| w == U256::from(1));
            if !yes {
                return Err(RegistrarNotForAvs { registrar, avs }.into());
            }
        }
        self.avss.setter(avs).registrar.set(registrar);
        log(self.vm(), AvsRegistrarSet { avs, registrar });
        Ok(())
    }

    /// Creates the caller `avs`'s operator sets, each with its strategies and its
    /// redistribution recipient (zero: slashed tokens are burned), fixed for good.
    ///
    /// # Errors
    /// * [`Error::Unauthorized`] / [`Error::AvsNotRegistered`].
    /// * [`Error::OperatorSetExists`] - the id is taken.
    /// * [`Error::ZeroAddress`] / [`Error::StrategyAlreadyInSet`] - a zero or repeated strategy.
    ///
    /// # Events
    /// * [`OperatorSetCreated`], then [`StrategyAddedToOperatorSet`] per strategy.
    pub fn create_operator_sets(
        &mut self,
        avs: Address,
        params: Vec<CreateSetParams>,
    ) -> Result<(), Error> {
        self.only_avs(avs)?;
        for p in params {
            let id = p.operatorSetId;
            let key = set_key(avs, id);
            if self.sets.getter(key).exists.get() {
                return Err(OperatorSetExists { avs, id }.into());
            }
            let mut set = self.sets.setter(key);
            set.exists.set(true);
            set.recipient.set(p.redistributionRecipient);
            log(
                self.vm(),
                OperatorSetCreated {
                    avs,
                    operatorSetId: id,
                    redistributionRecipient: p.redistributionRecipient,
                },
            );
            self.add_strategies(avs, id, key, &p.strategies)?;
        }
        Ok(())
    }

    /// Adds strategies to the caller `avs`'s set `operator_set_id`. Allocations already made to
    /// them become slashable at once.
    ///
    /// # Errors
    /// * [`Error::Unauthorized`] / [`Error::AvsNotRegistered`] / [`Error::OperatorSetNotFound`].
    /// * [`Error::ZeroAddress`] / [`Error::StrategyAlreadyInSet`].
    ///
    /// # Events
    /// * [`StrategyAddedToOperatorSet`] per strategy.
    pub fn add_strategies_to_operator_set(
        &mut self,
        avs: Address,
        operator_set_id: u32,
        strategies: Vec<Address>,
    ) -> Result<(), Error> {
        self.only_avs(avs)?;
        let key = self.existing_set(avs, operator_set_id)?;
        self.add_strategies(avs, operator_set_id, key, &strategies)
    }

    /// Removes strategies from the caller `avs`'s set `operator_set_id`; allocations to them
    /// stop being slashable by it.
    ///
    /// # Errors
    /// * [`Error::Unauthorized`] / [`Error::AvsNotRegistered`] / [`Error::OperatorSetNotFound`].
    /// * [`Error::StrategyNotInSet`].
    ///
    /// # Events
    /// * [`StrategyRemovedFromOperatorSet`] per strategy.
    pub fn remove_strategies_from_operator_set(
        &mut self,
        avs: Address,
        operator_set_id: u32,
        strategies: Vec<Address>,
    ) -> Result<(), Error> {
        self.only_avs(avs)?;
        let id = operator_set_id;
        let key = self.existing_set(avs, id)?;
        for strategy in strategies {
            let position = self.strategy_positions.getter(key).get(strategy).u32();
            if position == 0 {
                return Err(StrategyNotInSet { avs, id, strategy }.into());
            }
            let last = self.sets.getter(key).strategy_count.get().u32() - 1;
            let moved = self.set_strategies.getter(key).get(last);
            if position - 1 != last {
                self.set_strategies
                    .setter(key)
                    .setter(position - 1)
                    .set(moved);
                self.strategy_positions
                    .setter(key)
                    .setter(moved)
                    .set(U32::from(position));
            }
            self.set_strategies
                .setter(key)
                .setter(last)
                .set(Address::ZERO);
            self.strategy_positions
                .setter(key)
                .setter(strategy)
                .set(U32::ZERO);
            self.sets.setter(key).strategy_count.set(U32::from(last));
            log(
                self.vm(),
                StrategyRemovedFromOperatorSet {
                    avs,
                    operatorSetId: id,
                    strategy,
                },
            );
        }
        Ok(())
    }

    /// Frees the encumbered magnitude of up to `num_to_clear[i]` completed deallocations of
    /// `operator` in `strategies[i]`, oldest first (anyone may call).
    ///
    /// # Errors
    /// * [`Error::ActionPaused`] - allocations are paused.
    /// * [`Error::LengthMismatch`].
    ///
    /// # Events
    /// * [`EncumberedMagnitudeUpdated`] per strategy that freed some.
    pub fn clear_deallocation_queue(
        &mut self,
        operator: Address,
        strategies: Vec<Address>,
        num_to_clear: Vec<u16>,
    ) -> Result<(), Error> {
        self.admin.when_not_paused(pause::ALLOCATIONS)?;
        if strategies.len() != num_to_clear.len() {
            return Err(LengthMismatch {
                left: U256::from(strategies.len()),
                right: U256::from(num_to_clear.len()),
            }
            .into());
        }
        for (strategy, n) in strategies.into_iter().zip(num_to_clear) {
            self.clear_queue(operator, strategy, u32::from(n));
        }
        Ok(())
    }

    /// What [`Self::apply_slash`] would take now, without taking it: the next slash id and per
    /// strategy the magnitude and the shares (from the operator and from its slashable queue).
    ///
    /// # Errors
    /// As [`Self::apply_slash`], except the caller check.
    pub fn preview_slash(
        &self,
        avs: Address,
        params: SlashingParams,
    ) -> Result<SlashOutcome, Error> {
        let delegation_manager = self.peer()?;
        let (key, wads) = self.check_slash_input(avs, &params)?;
        let now = self.vm().block_timestamp();
        let operator = params.operator;
        let mut outcome = SlashOutcome {
            slashId: U256::from(self.sets.getter(key).slash_count.get().u64() + 1),
            magnitudesSlashed: Vec::new(),
            sharesSlashed: Vec::new(),
        };
        for (&strategy, &wad) in params.strategies.iter().zip(&wads) {
            let (_, taken) =
                slash_allocation(self.allocation(operator, key, strategy).at(now), wad);
            let max = self.magnitude(operator, strategy).0;
            let mut shares = U256::ZERO;
            if taken > 0 {
                // The DelegationManager's own formulas, from views that do not call back.
                let (prev, next) = (U256::from(max), U256::from(max.saturating_sub(taken)));
                let held = IDelegationManager::operatorSharesCall { operator, strategy };
                let held = call::static_call(delegation_manager, &held.abi_encode())
                    .and_then(call::decode_u256)
                    .map_err(Error::peer(delegation_manager))?;
                let queued = IDelegationManager::queuedSharesInWindowCall { operator, strategy };
                let queued = call::static_call(delegation_manager, &queued.abi_encode())
                    .map_err(Error::peer(delegation_manager))
                    .and_then(|out| {
                        IDelegationManager::queuedSharesInWindowCall::abi_decode_returns(&out, true)
                            .map_err(|_| {
                                Error::peer(delegation_manager)(call::CallError::BadReturn(out))
                            })
                    })?;
                shares = math::calc_slashed_amount(held, prev, next)?
                    .checked_add(math::slashed_from_queue(
                        queued.scaledShares,
                        queued.count,
                        prev,
                        next,
                    )?)
                    .ok_or(MathOverflow {})?;
            }
            outcome.magnitudesSlashed.push(taken);
            outcome.sharesSlashed.push(shares);
        }
        Ok(outcome)
    }

    /// Fails exactly as [`Self::apply_slash`] would on this input now (the caller check aside),
    /// without computing the slash: the Slasher validates a veto request with it.
    ///
    /// # Errors
    /// * [`Error::OperatorSetNotFound`] / [`Error::OperatorNotSlashable`].
    /// * [`Error::LengthMismatch`] / [`Error::ZeroAmount`] / [`Error::StrategiesNotSorted`] /
    ///   [`Error::InvalidWad`] / [`Error::StrategyNotInSet`].
    pub fn check_slash(&self, avs: Address, params: SlashingParams) -> Result<(), Error> {
        self.check_slash_input(avs, &params).map(|_| ())
    }

    /// Whether `avs` announced metadata.
    pub fn is_avs(&self, avs: Address) -> bool {
        self.avss.getter(avs).registered.get()
    }

    /// `avs`'s registrar (zero: the AVS itself is called).
    pub fn get_avs_registrar(&self, avs: Address) -> Address {
        self.avss.getter(avs).registrar.get()
    }

    /// Whether the set exists.
    pub fn is_operator_set(&self, operator_set: OperatorSet) -> bool {
        self.sets
            .getter(set_key(operator_set.avs, operator_set.id))
            .exists
            .get()
    }

    /// The set's strategies (in list order).
    pub fn get_strategies_in_operator_set(&self, operator_set: OperatorSet) -> Vec<Address> {
        let key = set_key(operator_set.avs, operator_set.id);
        let n = self.sets.getter(key).strategy_count.get().u32();
        let list = self.set_strategies.getter(key);
        (0..n).map(|i| list.get(i)).collect()
    }

    /// The operators registered for the set now (in list order).
    pub fn get_members(&self, operator_set: OperatorSet) -> Vec<Address> {
        let key = set_key(operator_set.avs, operator_set.id);
        let n = self.sets.getter(key).member_count.get().u32();
        let list = self.members.getter(key);
        (0..n).map(|i| list.get(i)).collect()
    }

    /// Whether `operator` is registered for the set now.
    pub fn is_member_of_operator_set(&self, operator: Address, operator_set: OperatorSet) -> bool {
        self.registrations
            .getter(operator)
            .getter(set_key(operator_set.avs, operator_set.id))
            .registered
            .get()
    }

    /// Whether the set can slash `operator` now: registered, or within `deallocation_delay` of
    /// leaving.
    pub fn is_operator_slashable(&self, operator: Address, operator_set: OperatorSet) -> bool {
        let now = self.vm().block_timestamp();
        self.slashable_at(operator, set_key(operator_set.avs, operator_set.id), now)
    }

    /// `operator`'s allocation delay in force now, and whether one is.
    pub fn get_allocation_delay(&self, operator: Address) -> (bool, u32) {
        let (delay, set) = self.delay_at(operator, self.vm().block_timestamp());
        (set, delay)
    }

    /// The allocation of (`operator`, set, `strategy`) as of now: a change whose time has come
    /// shows as applied.
    pub fn get_allocation(
        &self,
        operator: Address,
        operator_set: OperatorSet,
        strategy: Address,
    ) -> Allocation {
        let key = set_key(operator_set.avs, operator_set.id);
        self.allocation(operator, key, strategy)
            .at(self.vm().block_timestamp())
            .abi()
    }

    /// `operator`'s encumbered magnitude in `strategy`.
    pub fn get_encumbered_magnitude(&self, operator: Address, strategy: Address) -> u64 {
        self.magnitude(operator, strategy).1
    }

    /// Magnitude `operator` can still allocate in `strategy`: max − encumbered (completed
    /// deallocations count once cleared from the queue).
    pub fn get_allocatable_magnitude(&self, operator: Address, strategy: Address) -> u64 {
        let (max, encumbered) = self.magnitude(operator, strategy);
        max.saturating_sub(encumbered)
    }

    /// Stake allocated now to the set, per operator then strategy:
    /// `⌊operatorShares·⌊current·WAD/max⌋/WAD⌋`, slashable or not.
    ///
    /// # Errors
    /// * [`Error::NotInitialized`] / [`Error::PeerCallFailed`] / [`Error::MathOverflow`].
    pub fn get_allocated_stake(
        &self,
        operator_set: OperatorSet,
        operators: Vec<Address>,
        strategies: Vec<Address>,
    ) -> Result<Vec<Vec<U256>>, Error> {
        self.stakes(&operator_set, &operators, &strategies, None)
    }

    /// Stake the set can surely slash at `future_timestamp` (≥ now), per operator then strategy:
    /// the current allocation minus deallocations effective by then (pending increases are not
    /// counted), in shares as in [`Self::get_allocated_stake`]; zero where the operator will not
    /// be slashable by the set then.
    ///
    /// # Errors
    /// * [`Error::NotInitialized`] / [`Error::PeerCallFailed`] / [`Error::MathOverflow`].
    pub fn get_minimum_slashable_stake(
        &self,
        operator_set: OperatorSet,
        operators: Vec<Address>,
        strategies: Vec<Address>,
        future_timestamp: u64,
    ) -> Result<Vec<Vec<U256>>, Error> {
        self.stakes(
            &operator_set,
            &operators,
            &strategies,
            Some(future_timestamp),
        )
    }

    /// Slashes of the set so far (the last slash id).
    pub fn get_slash_count(&self, operator_set: OperatorSet) -> U256 {
        U256::from(
            self.sets
                .getter(set_key(operator_set.avs, operator_set.id))
                .slash_count
                .get(),
        )
    }
}

/// A slash of `wad` on allocation `a` (already as of now): the allocation after it and the
/// magnitude taken. A pending deallocation (part of the current magnitude until it completes)
/// shrinks by the same fraction, rounded up, so completing it frees proportionally less.
fn slash_allocation(a: Alloc, wad: u64) -> (Alloc, u64) {
    let taken = slashed(a.current, wad);
    let mut next = a;
    next.current -= taken;
    if a.effect != 0 && a.decrease {
        next.pending -= slashed(a.pending, wad);
    }
    (next, taken)
}

/// Strategies strictly ascending, and as many as `len` values.
fn check_strategies(strategies: &[Address], len: usize) -> Result<(), Error> {
    if strategies.len() != len {
        return Err(LengthMismatch {
            left: U256::from(strategies.len()),
            right: U256::from(len),
        }
        .into());
    }
    Ok(StrategiesNotSorted::check(strategies)?)
}

impl AllocationManager {
    /// The DelegationManager, or `NotInitialized`.
    fn peer(&self) -> Result<Address, Error> {
        let delegation_manager = self.delegation_manager.get();
        if delegation_manager.is_zero() {
            return Err(NotInitialized {}.into());
        }
        Ok(delegation_manager)
    }

    /// Fails unless the caller is `account`.
    fn only_caller(&self, account: Address) -> Result<(), Error> {
        let caller = self.vm().msg_sender();
        if caller == account {
            Ok(())
        } else {
            Err(Unauthorized { caller }.into())
        }
    }

    /// Fails unless the caller is `avs` and `avs` is registered.
    fn only_avs(&self, avs: Address) -> Result<(), Error> {
        self.only_caller(avs)?;
        if self.avss.getter(avs).registered.get() {
            Ok(())
        } else {
            Err(AvsNotRegistered { avs }.into())
        }
    }

    /// Fails unless `operator` is a DelegationManager operator.
    fn only_operator(&self, operator: Address) -> Result<(), Error> {
        let delegation_manager = self.peer()?;
        let query = IDelegationManager::isOperatorCall { account: operator };
        let yes = call::static_call(delegation_manager, &query.abi_encode())
            .and_then(call::decode_u256)
            .map_err(Error::peer(delegation_manager))?;
        if yes == U256::from(1) {
            Ok(())
        } else {
            Err(NotOperator { account: operator }.into())
        }
    }

    /// The key of an existing set, or `OperatorSetNotFound`.
    fn existing_set(&self, avs: Address, id: u32) -> Result<B256, Error> {
        let key = set_key(avs, id);
        if self.sets.getter(key).exists.get() {
            Ok(key)
        } else {
            Err(OperatorSetNotFound { avs, id }.into())
        }
    }

    /// Whether `strategy` is in set `key`.
    fn in_set(&self, key: B256, strategy: Address) -> bool {
        self.strategy_positions.getter(key).get(strategy) != U32::ZERO
    }

    /// Whether set `key` can slash `operator` at `t`.
    fn slashable_at(&self, operator: Address, key: B256, t: u64) -> bool {
        let registration = self.registrations.getter(operator);
        let registration = registration.getter(key);
        registration.registered.get() || t <= registration.slashable_until.get().u64()
    }

    /// The allocation delay in force at `t`, and whether one is.
    fn delay_at(&self, operator: Address, t: u64) -> (u32, bool) {
        let info = self.delays.getter(operator);
        let effect = info.effect.get().u64();
        if effect != 0 && t >= effect {
            (info.pending.get().u32(), true)
        } else {
            (info.current.get().u32(), info.set.get())
        }
    }

    /// Calls `avs`'s registrar (or `avs`) with `data`; a revert is a rejection.
    fn call_registrar(&self, avs: Address, data: &[u8]) -> Result<(), Error> {
        let mut registrar = self.avss.getter(avs).registrar.get();
        if registrar.is_zero() {
            registrar = avs;
        }
        call::call(registrar, data).map(|_| ()).map_err(|e| {
            RegistrarRejected {
                registrar,
                reason: e.data(),
            }
            .into()
        })
    }

    /// Adds `strategies` to set `key`.
    fn add_strategies(
        &mut self,
        avs: Address,
        id: u32,
        key: B256,
        strategies: &[Address],
    ) -> Result<(), Error> {
        for &strategy in strategies {
            if strategy.is_zero() {
                return Err(ZeroAddress {}.into());
            }
            if self.in_set(key, strategy) {
                return Err(StrategyAlreadyInSet { avs, id, strategy }.into());
            }
            let count = self.sets.getter(key).strategy_count.get().u32();
            self.set_strategies.setter(key).setter(count).set(strategy);
            self.strategy_positions
                .setter(key)
                .setter(strategy)
                .set(U32::from(count + 1));
            self.sets
                .setter(key)
                .strategy_count
                .set(U32::from(count + 1));
            log(
                self.vm(),
                StrategyAddedToOperatorSet {
                    avs,
                    operatorSetId: id,
                    strategy,
                },
            );
        }
        Ok(())
    }

    /// Checks a slash's set, operator and per-strategy input; returns the set key and the wads.
    fn check_slash_input(
        &self,
        avs: Address,
        params: &SlashingParams,
    ) -> Result<(B256, Vec<u64>), Error> {
        let id = params.operatorSetId;
        let key = self.existing_set(avs, id)?;
        let operator = params.operator;
        if !self.slashable_at(operator, key, self.vm().block_timestamp()) {
            return Err(OperatorNotSlashable { operator, avs, id }.into());
        }
        check_strategies(&params.strategies, params.wadsToSlash.len())?;
        if params.strategies.is_empty() {
            return Err(ZeroAmount {}.into());
        }
        params
            .strategies
            .iter()
            .zip(&params.wadsToSlash)
            .map(|(&strategy, &wad)| {
                if wad.is_zero() || wad > WAD {
                    return Err(InvalidWad { wad }.into());
                }
                if !self.in_set(key, strategy) {
                    return Err(StrategyNotInSet { avs, id, strategy }.into());
                }
                Ok(wad.as_limbs()[0])
            })
            .collect::<Result<Vec<u64>, Error>>()
            .map(|wads| (key, wads))
    }

    /// The stored allocation of (operator, set, strategy).
    fn allocation(&self, operator: Address, key: B256, strategy: Address) -> Alloc {
        let slot = self.allocations.getter(operator);
        let slot = slot.getter(key);
        let slot = slot.getter(strategy);
        Alloc {
            current: slot.current.get().u64(),
            pending: slot.pending.get().u64(),
            effect: slot.effect.get().u64(),
            decrease: slot.decrease.get(),
        }
    }

    /// Stores an allocation.
    fn store_allocation(&mut self, operator: Address, key: B256, strategy: Address, a: Alloc) {
        let mut slot = self.allocations.setter(operator);
        let mut slot = slot.setter(key);
        let mut slot = slot.setter(strategy);
        slot.current.set(U64::from(a.current));
        slot.pending.set(U64::from(a.pending));
        slot.effect.set(U64::from(a.effect));
        slot.decrease.set(a.decrease);
    }

    /// (max, encumbered) of (operator, strategy).
    fn magnitude(&self, operator: Address, strategy: Address) -> (u64, u64) {
        let info = self.magnitudes.getter(operator);
        let info = info.getter(strategy);
        (
            WAD64.saturating_sub(info.lost.get().u64()),
            info.encumbered.get().u64(),
        )
    }

    /// Sets the encumbered magnitude and announces it.
    fn set_encumbered(&mut self, operator: Address, strategy: Address, encumbered: u64) {
        self.magnitudes
            .setter(operator)
            .setter(strategy)
            .encumbered
            .set(U64::from(encumbered));
        log(
            self.vm(),
            EncumberedMagnitudeUpdated {
                operator,
                strategy,
                encumberedMagnitude: encumbered,
            },
        );
    }

    /// Records the max magnitude `magnitude` at `now` (replacing a checkpoint of the same time).
    fn checkpoint_max(&mut self, operator: Address, strategy: Address, now: u64, magnitude: u64) {
        let mut history = self.max_history.setter(operator);
        checkpoints::record::<64>(&mut history.setter(strategy), now, U256::from(magnitude));
    }

    /// Appends set `key`'s deallocation, effective at `effect`, to the queue of (operator,
    /// strategy). The entry is the key with the effect time in its unused bytes 20..28.
    fn enqueue(&mut self, operator: Address, strategy: Address, key: B256, effect: u64) {
        let mut entry = key;
        entry[20..28].copy_from_slice(&effect.to_be_bytes());
        let tail = self.magnitudes.getter(operator).getter(strategy).tail.get();
        self.queues
            .setter(operator)
            .setter(strategy)
            .setter(tail.u32())
            .set(entry);
        self.magnitudes
            .setter(operator)
            .setter(strategy)
            .tail
            .set(tail + U32::from(1));
    }

    /// The allocation of (operator, set, strategy) as of now, settled in storage: a pending
    /// change whose time has come is applied, and a completed deallocation frees its encumbered
    /// magnitude (its queue entry, left behind, is skipped when cleared).
    fn settle(&mut self, operator: Address, key: B256, strategy: Address, now: u64) -> Alloc {
        let a = self.allocation(operator, key, strategy);
        let settled = a.at(now);
        if settled != a {
            if a.decrease {
                let encumbered = self.magnitude(operator, strategy).1;
                self.set_encumbered(operator, strategy, encumbered.saturating_sub(a.pending));
            }
            self.store_allocation(operator, key, strategy, settled);
        }
        settled
    }

    /// Settles up to `limit` completed deallocations of (operator, strategy), oldest first,
    /// freeing their encumbered magnitude; stops at the first that is not complete yet.
    fn clear_queue(&mut self, operator: Address, strategy: Address, limit: u32) {
        let now = self.vm().block_timestamp();
        let info = self.magnitudes.getter(operator);
        let info = info.getter(strategy);
        let (mut head, tail) = (info.head.get().u32(), info.tail.get().u32());
        let start = head;
        let mut encumbered = info.encumbered.get().u64();
        while head < tail && head - start < limit {
            let mut key = self.queues.getter(operator).getter(strategy).get(head);
            let mut effect = [0u8; 8];
            effect.copy_from_slice(&key[20..28]);
            let effect = u64::from_be_bytes(effect);
            if effect > now {
                break;
            }
            key[20..28].fill(0);
            let a = self.allocation(operator, key, strategy);
            // Skip an entry whose deallocation a slash or a later change already settled.
            if a.decrease && a.effect == effect {
                encumbered = encumbered.saturating_sub(a.pending);
                self.store_allocation(operator, key, strategy, a.at(now));
            }
            self.queues
                .setter(operator)
                .setter(strategy)
                .setter(head)
                .set(B256::ZERO);
            head += 1;
        }
        if head != start {
            self.magnitudes
                .setter(operator)
                .setter(strategy)
                .head
                .set(U32::from(head));
            self.set_encumbered(operator, strategy, encumbered);
        }
    }

    /// Allocated (`until == None`) or minimum slashable (`Some(t)`) stake per operator, strategy.
    fn stakes(
        &self,
        operator_set: &OperatorSet,
        operators: &[Address],
        strategies: &[Address],
        until: Option<u64>,
    ) -> Result<Vec<Vec<U256>>, Error> {
        let delegation_manager = self.peer()?;
        let key = set_key(operator_set.avs, operator_set.id);
        let now = self.vm().block_timestamp();
        operators
            .iter()
            .map(|&operator| {
                let slashable = until.is_none_or(|t| self.slashable_at(operator, key, t.max(now)));
                strategies
                    .iter()
                    .map(|&strategy| {
                        let a = self.allocation(operator, key, strategy);
                        let mut magnitude = a.at(now).current;
                        if let Some(t) = until {
                            if a.effect > now && a.decrease && a.effect <= t {
                                magnitude = a.current.saturating_sub(a.pending);
                            }
                        }
                        let max = self.magnitude(operator, strategy).0;
                        if !slashable || max == 0 || magnitude == 0 {
                            return Ok(U256::ZERO);
                        }
                        let query = IDelegationManager::operatorSharesCall { operator, strategy };
                        let shares = call::static_call(delegation_manager, &query.abi_encode())
                            .and_then(call::decode_u256)
                            .map_err(Error::peer(delegation_manager))?;
                        let fraction = math::mul_div(
                            U256::from(magnitude),
                            WAD,
                            U256::from(max),
                            math::Rounding::Down,
                        )?;
                        Ok(math::mul_wad(shares, fraction, math::Rounding::Down)?)
                    })
                    .collect()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests;
