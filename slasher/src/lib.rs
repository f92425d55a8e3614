//! Slasher: the one entrypoint AVSs call to slash, and where each operator set's slashing policy
//! lives (DESIGN §5.4).
//!
//! - Policy per operator set, written by the set's AVS: the slasher account (zero = the AVS), the
//!   mode — instant, or veto with a resolver and a veto window — and an optional rate cap. The
//!   default (nothing written) is instant slashing by the AVS without a cap. Every change waits
//!   the withdrawal delay (read from DelegationManager at construction) and one second more
//!   before it is in force (strictly after everything slashable under the old policy),
//!   and is visible meanwhile in `getSlasherConfig`; a newer change replaces a waiting one and
//!   waits again in full. Stakers therefore always see a rule change coming before it can touch
//!   stake they could still withdraw.
//! - Instant mode: the set's slasher calls `slash`, which takes effect at once.
//! - Veto mode: the set's slasher calls `requestSlash`; the resolver in force at that moment may
//!   `vetoSlash` through `requestedAt + vetoWindow`; after that anyone may `executeSlash` through
//!   `requestedAt + withdrawalDelay` (later the slashed stake may have left, so the request is
//!   stale, plus any seconds slashing was paused since); the AVS may `cancelSlash` while it is
//!   pending. A request carries its own resolver, deadline and rate cap, so a policy change made
//!   after it never applies to it. While slashing is paused, requests cannot execute, and the
//!   paused seconds are added to their staleness deadline: a pause holds a slash back, it never
//!   voids it (veto and cancel stay open).
//! - Rate cap: the wads one set takes from one operator's allocation in one strategy within any
//!   `window` seconds (the interval `(now − window, now]`) add up to at most `maxWadPerWindow`.
//!   It is exact: each (set, operator, strategy) keeps a checkpoint history of its cumulative
//!   slashed wad while a cap is in force, and the used amount is the latest total minus the total
//!   at `now − window`. It counts what the AllocationManager actually takes: the fraction
//!   `⌈taken·WAD/current⌉` of the allocation's current magnitude, where `taken =
//!   ⌈current·wad/WAD⌉` (at least the wad asked for; more on a small allocation). A request is
//!   checked against the cap when it is made and counted when it executes, so of several requests
//!   the ones executed first use the window. Slashes made while no cap was in force are not
//!   counted.
//! - Execution calls AllocationManager `applySlash`, which lowers the magnitudes and has
//!   DelegationManager and StrategyManager record the slashed shares; anyone then moves the tokens
//!   to the set's redistribution recipient or the burn address with StrategyManager
//!   `clearSlashed`.
//!
//! Input checks: the Slasher checks the caller, the pause bit, the mode, the request's state and
//! timing and the cap; the AllocationManager checks the set, the operator's slashability, the
//! strategies and the wads. Its errors (`OperatorNotSlashable`, `StrategyNotInSet`,
//! `InvalidWad`, ...) are re-raised unchanged, and `requestSlash` asks for them (`checkSlash`)
//! before it stores anything.
//!
//! Storage of a request is two slots: its contents are bound by its id,
//! [`restaking_abi::slash_request_id`] (a hash of the AllocationManager call it makes and its
//! timestamp), published in `SlashRequested`, and given back to `executeSlash`, which checks them
//! against the id — as EigenLayer does with queued withdrawals.
//!
//! Every public method runs in the same order: load → authorise → check paused/state → change
//! state → mutating external calls (the AllocationManager's read-only checks come before the
//! state change). The Slasher's own checks (caller, pause, mode, request state, cap) come before
//! the AllocationManager's.
#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
// `#[entrypoint]` generates public functions without docs; see strategy-manager.
#![allow(missing_docs)]
extern crate alloc;

use alloc::{string::String, vec::Vec};

use alloy_primitives::{Address, Uint, B256, U256, U32, U64, U8};
use alloy_sol_types::SolCall;
use restaking_abi::{
    abi::*,
    admin::Admin,
    call::{self, CallError},
    checkpoints,
    constants::{pause, request_status, slash_mode, WAD},
    math, set_key, slash_request_id, Small,
};
use stylus_sdk::{
    prelude::*,
    storage::{
        StorageAddress, StorageMap, StorageU256, StorageU32, StorageU64, StorageU8, StorageUint,
        StorageVec,
    },
    stylus_core::log,
};

/// Bits of the cumulative-wad part of a cap checkpoint (the timestamp sits above).
const WAD_BITS: usize = 192;

/// A 56-bit timestamp in storage (enough for two billion years).
type StorageTime = StorageUint<56, 1>;

/// Every way a Slasher call can fail.
#[derive(SolidityError, Debug)]
pub enum Error {
    /// Caller not allowed.
    Unauthorized(Unauthorized),
    /// Caller is not the pending owner.
    NotPendingOwner(NotPendingOwner),
    /// A required address is zero.
    ZeroAddress(ZeroAddress),
    /// Not used: the Slasher's peers are fixed by its constructor.
    AlreadyInitialized(AlreadyInitialized),
    /// The action is paused.
    ActionPaused(ActionPaused),
    /// DelegationManager's withdrawal delay does not fit 32 bits.
    MathOverflow(MathOverflow),
    /// A peer contract reverted (its revert data inside).
    PeerCallFailed(PeerCallFailed),
    /// No such operator set.
    OperatorSetNotFound(OperatorSetNotFound),
    /// The set's mode does not allow this flow.
    WrongSlashMode(WrongSlashMode),
    /// An inconsistent policy.
    InvalidSlasherConfig(InvalidSlasherConfig),
    /// The slash would exceed the set's rate cap.
    SlashCapExceeded(SlashCapExceeded),
    /// No such request.
    SlashRequestNotFound(SlashRequestNotFound),
    /// The request was vetoed, cancelled or executed.
    SlashRequestNotPending(SlashRequestNotPending),
    /// The veto deadline has passed.
    VetoWindowClosed(VetoWindowClosed),
    /// The veto deadline has not passed.
    VetoWindowOpen(VetoWindowOpen),
    /// The request is older than the withdrawal delay.
    SlashRequestStale(SlashRequestStale),
    /// The same request was made in the same second.
    SlashRequestExists(SlashRequestExists),
    /// The contents given are not the request's.
    SlashRequestMismatch(SlashRequestMismatch),
}

restaking_abi::contract_error_conversions!(Error);

/// One version of a set's slashing policy (two slots).
#[storage]
pub struct Policy {
    /// Who may slash or request; zero = the AVS.
    slasher: StorageAddress,
    /// `slash_mode::INSTANT` or `slash_mode::VETO`.
    mode: StorageU8,
    /// Seconds a request can be vetoed (veto mode).
    veto_window: StorageU32,
    /// Only in a set's `current` version: when its `next` version takes over (0 = none).
    switch_at: StorageTime,
    /// Who may veto (veto mode).
    resolver: StorageAddress,
    /// Cap on the wads slashed per window (0 = no cap).
    max_wad: StorageU64,
    /// Length of the cap's rolling window in seconds.
    window: StorageU32,
}

/// A set's policy: the version in force before `current.switch_at`, and the one after it.
#[storage]
pub struct SetPolicy {
    /// In force until `current.switch_at` (forever when zero).
    current: Policy,
    /// In force from `current.switch_at`.
    next: Policy,
}

/// A veto-mode request (two slots).
#[storage]
pub struct Request {
    /// The AVS of the request's set (may cancel it).
    avs: StorageAddress,
    /// When it was made (0 = no such request).
    requested_at: StorageTime,
    /// Its veto window in seconds.
    veto_window: StorageU32,
    /// `request_status::*`.
    status: StorageU8,
    /// Who may veto it: the set's resolver when it was made.
    resolver: StorageAddress,
    /// The set's cap when it was made (0 = none).
    max_wad: StorageU64,
    /// The cap's window when it was made.
    window: StorageU32,
}

/// The Slasher contract.
#[entrypoint]
#[storage]
pub struct Slasher {
    /// Owner and pause bits.
    #[borrow]
    admin: Admin,
    /// The AllocationManager (fixed at construction).
    allocation_manager: StorageAddress,
    /// DelegationManager's withdrawal delay in seconds (read at construction).
    withdrawal_delay: StorageU64,
    /// Policies by set key (`avs ‖ uint96(id)`).
    policies: StorageMap<B256, SetPolicy>,
    /// Veto-mode requests by id.
    requests: StorageMap<U256, Request>,
    /// Set, operator, strategy: checkpoints `timestamp << 192 | cumulative slashed wad`, written
    /// while a cap is in force.
    slashed_wads:
        StorageMap<B256, StorageMap<Address, StorageMap<Address, StorageVec<StorageU256>>>>,
    /// When the running pause of slashing started (0: not paused).
    paused_since: StorageU64,
    /// Checkpoints `timestamp << 192 | cumulative seconds slashing was paused`, one per unpause.
    paused_seconds: StorageVec<StorageU256>,
}

/// A policy in memory.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Config {
    /// Who may slash or request (zero = the AVS).
    pub slasher: Address,
    /// `slash_mode::*`.
    pub mode: u8,
    /// Seconds a request can be vetoed.
    pub veto_window: u32,
    /// Who may veto.
    pub resolver: Address,
    /// Cap per window (0 = none).
    pub max_wad: u64,
    /// Cap window in seconds.
    pub window: u32,
}

/// A rate cap: at most `max_wad` per `window` seconds (no cap when `max_wad` is 0).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Cap {
    /// Wad allowed per window.
    pub max_wad: u64,
    /// Window in seconds.
    pub window: u32,
}

impl Config {
    /// The policy's rate cap.
    #[must_use]
    pub fn cap(self) -> Cap {
        Cap {
            max_wad: self.max_wad,
            window: self.window,
        }
    }

    /// Checks `c` against the rules of [`InvalidSlasherConfig`] for a withdrawal delay of
    /// `withdrawal_delay` seconds.
    ///
    /// # Errors
    /// [`InvalidSlasherConfig`] with the given values.
    pub fn from_abi(
        c: &SlasherConfig,
        withdrawal_delay: u64,
    ) -> Result<Self, InvalidSlasherConfig> {
        let invalid = || InvalidSlasherConfig {
            mode: c.mode,
            resolver: c.resolver,
            vetoWindow: c.vetoWindow,
            maxWadPerWindow: c.maxWadPerWindow,
            window: c.window,
        };
        let mode_ok = match c.mode {
            slash_mode::INSTANT => c.resolver.is_zero() && c.vetoWindow == 0,
            slash_mode::VETO => {
                !c.resolver.is_zero() && c.vetoWindow > 0 && c.vetoWindow < withdrawal_delay
            }
            _ => false,
        };
        let capped = !c.maxWadPerWindow.is_zero();
        let cap_ok = c.maxWadPerWindow <= WAD && capped == (c.window > 0);
        let (Ok(veto_window), Ok(window)) = (u32::try_from(c.vetoWindow), u32::try_from(c.window))
        else {
            return Err(invalid());
        };
        if !mode_ok || !cap_ok {
            return Err(invalid());
        }
        Ok(Self {
            slasher: c.slasher,
            mode: c.mode,
            veto_window,
            resolver: c.resolver,
            max_wad: c.maxWadPerWindow.as_limbs()[0],
            window,
        })
    }

    /// The ABI view.
    #[must_use]
    pub fn abi(self) -> SlasherConfig {
        SlasherConfig {
            slasher: self.slasher,
            mode: self.mode,
            resolver: self.resolver,
            vetoWindow: self.veto_window.into(),
            maxWadPerWindow: U256::from(self.max_wad),
            window: self.window.into(),
        }
    }
}

#[public]
#[inherit(Admin)]
impl Slasher {
    /// Sets the owner and the AllocationManager, and copies DelegationManager's withdrawal delay
    /// (the time queued stake stays slashable), all fixed for good.
    ///
    /// # Errors
    /// * [`Error::ZeroAddress`] - `owner` or `allocation_manager` is zero.
    /// * [`Error::PeerCallFailed`] - `delegation_manager` does not answer `withdrawalDelay()`.
    /// * [`Error::MathOverflow`] - the delay does not fit 32 bits (136 years).
    #[constructor]
    pub fn constructor(
        &mut self,
        owner: Address,
        delegation_manager: Address,
        allocation_manager: Address,
    ) -> Result<(), Error> {
        if allocation_manager.is_zero() {
            return Err(ZeroAddress {}.into());
        }
        let query = IDelegationManager::withdrawalDelayCall {}.abi_encode();
        let delay = call::static_call(delegation_manager, &query)
            .and_then(call::decode_u256)
            .map_err(Error::peer(delegation_manager))?;
        if delay > U256::from(u32::MAX) {
            return Err(MathOverflow {}.into());
        }
        self.allocation_manager.set(allocation_manager);
        self.withdrawal_delay.set(U64::from(delay.as_limbs()[0]));
        Ok(self.admin.init_owner(owner)?)
    }

    /// Queues a new slashing policy for the caller's set `operator_set_id`: in force after the
    /// withdrawal delay and one second (strictly after all it could slash), replacing any policy
    /// still waiting. `config.slasher` zero means the AVS.
    ///
    /// # Errors
    /// * [`Error::InvalidSlasherConfig`] - see the error's rules.
    /// * [`Error::OperatorSetNotFound`] - the caller has no such set.
    /// * [`Error::PeerCallFailed`] - the AllocationManager reverted.
    ///
    /// # Events
    /// * [`SlasherConfigQueued`]
    pub fn set_slasher_config(
        &mut self,
        operator_set_id: u32,
        config: SlasherConfig,
    ) -> Result<(), Error> {
        let avs = self.vm().msg_sender();
        let delay = self.withdrawal_delay.get().u64();
        let next = Config::from_abi(&config, delay)?;
        let allocation_manager = self.allocation_manager.get();
        let query = IAllocationManager::isOperatorSetCall {
            operatorSet: OperatorSet {
                avs,
                id: operator_set_id,
            },
        };
        let exists = call::static_call(allocation_manager, &query.abi_encode())
            .and_then(call::decode_u256)
            .map_err(Error::peer(allocation_manager))?;
        if exists != U256::from(1) {
            return Err(OperatorSetNotFound {
                avs,
                id: operator_set_id,
            }
            .into());
        }
        let key = set_key(avs, operator_set_id);
        let now = self.vm().block_timestamp();
        // Stake that leaves now stays slashable through `now + delay` under the old policy; the
        // new one starts strictly after (as EigenLayer's `+ 1`).
        let effect = now.saturating_add(delay).saturating_add(1);
        let mut policy = self.policies.setter(key);
        let switch_at = policy.current.switch_at.get().u64();
        if switch_at != 0 && now >= switch_at {
            // The waiting policy is in force: it becomes the current one.
            let promoted = load(&policy.next);
            store(&mut policy.current, promoted);
        }
        store(&mut policy.next, next);
        policy.current.switch_at.set(time(effect));
        log(
            self.vm(),
            SlasherConfigQueued {
                avs,
                operatorSetId: operator_set_id,
                config,
                effectTimestamp: effect,
            },
        );
        Ok(())
    }

    /// `operator_set`'s policy in force now, the policy waiting to take over (all zero when none)
    /// and when it does (0 when none); a slasher left unset shows as the AVS.
    pub fn get_slasher_config(
        &self,
        operator_set: OperatorSet,
    ) -> (SlasherConfig, SlasherConfig, u64) {
        let key = set_key(operator_set.avs, operator_set.id);
        let now = self.vm().block_timestamp();
        let resolved = |mut c: Config| {
            c.slasher = resolve(c.slasher, operator_set.avs);
            c.abi()
        };
        let current = resolved(self.in_force(key, now));
        let policy = self.policies.getter(key);
        let switch_at = policy.current.switch_at.get().u64();
        if now < switch_at {
            (current, resolved(load(&policy.next)), switch_at)
        } else {
            (current, Config::default().abi(), 0)
        }
    }

    /// Instant slash by `operator_set`'s slasher: takes `wads[i]` (WAD = all) of `operator`'s
    /// allocation to the set in `strategies[i]` through the AllocationManager. Returns the slash
    /// id and per strategy the magnitude and shares taken.
    ///
    /// # Errors
    /// * `Unauthorized` - the caller is not the set's slasher.
    /// * `ActionPaused` - slashing is paused.
    /// * `WrongSlashMode` - the set is in veto mode.
    /// * `SlashCapExceeded` - a strategy's cap would be exceeded.
    /// * the AllocationManager's own errors, unchanged: `OperatorSetNotFound`,
    ///   `OperatorNotSlashable`, `LengthMismatch`, `ZeroAmount`, `StrategiesNotSorted`,
    ///   `InvalidWad`, `StrategyNotInSet`; `PeerCallFailed` when it reverts without data or
    ///   returns malformed data.
    ///
    /// # Events
    /// * [`SlashExecuted`] with request id 0 (after the AllocationManager's and its peers').
    pub fn slash(
        &mut self,
        operator_set: OperatorSet,
        operator: Address,
        strategies: Vec<Address>,
        wads: Vec<U256>,
        description: String,
    ) -> Result<SlashOutcome, Vec<u8>> {
        let OperatorSet { avs, id } = operator_set;
        let (_, now, config) = self.authorise(avs, id, slash_mode::INSTANT)?;
        self.apply_cap(
            (avs, id),
            operator,
            &strategies,
            &wads,
            config.cap(),
            now,
            true,
        )?;
        let call = apply_slash_call(avs, id, operator, strategies, wads, description);
        let data = call.abi_encode();
        self.execute(U256::ZERO, call, &data)
    }

    /// Veto-mode request by `operator_set`'s slasher to slash as [`Self::slash`] would. The set's
    /// resolver may veto it through `now + vetoWindow`; anyone may execute it after that through
    /// `now + withdrawalDelay`. Returns its id ([`restaking_abi::slash_request_id`]).
    ///
    /// # Errors
    /// * `Unauthorized` / `ActionPaused` - as [`Self::slash`].
    /// * `WrongSlashMode` - the set is in instant mode.
    /// * `SlashCapExceeded` - the slash would exceed the cap now.
    /// * the AllocationManager's input errors, unchanged, or `PeerCallFailed` (as
    ///   [`Self::slash`]).
    /// * `SlashRequestExists` - the same request was made in this second.
    ///
    /// # Events
    /// * [`SlashRequested`]
    pub fn request_slash(
        &mut self,
        operator_set: OperatorSet,
        operator: Address,
        strategies: Vec<Address>,
        wads: Vec<U256>,
        description: String,
    ) -> Result<U256, Vec<u8>> {
        let OperatorSet { avs, id } = operator_set;
        let (_, now, config) = self.authorise(avs, id, slash_mode::VETO)?;
        self.apply_cap(
            (avs, id),
            operator,
            &strategies,
            &wads,
            config.cap(),
            now,
            false,
        )?;
        let call = apply_slash_call(avs, id, operator, strategies, wads, description);
        let mut data = call.abi_encode();
        let allocation_manager = self.allocation_manager.get();
        let apply_selector = IAllocationManager::applySlashCall::SELECTOR;
        data[..4].copy_from_slice(&IAllocationManager::checkSlashCall::SELECTOR);
        call::static_call(allocation_manager, &data).map_err(passthrough(allocation_manager))?;
        data[..4].copy_from_slice(&apply_selector);
        let params = call.params;
        let request_id = slash_request_id(&data, now);
        let mut request = self.requests.setter(request_id);
        if request.requested_at.get().u64() != 0 {
            return Err(Error::from(SlashRequestExists {
                requestId: request_id,
            })
            .into());
        }
        request.avs.set(avs);
        request.requested_at.set(time(now));
        request.veto_window.set(U32::from(config.veto_window));
        request.status.set(U8::from(request_status::PENDING));
        request.resolver.set(config.resolver);
        request.max_wad.set(U64::from(config.max_wad));
        request.window.set(U32::from(config.window));
        log(
            self.vm(),
            SlashRequested {
                requestId: request_id,
                avs,
                operatorSetId: id,
                operator,
                strategies: params.strategies,
                wads: params.wadsToSlash,
                description: params.description,
                resolver: config.resolver,
                vetoDeadline: now.saturating_add(config.veto_window.into()),
            },
        );
        Ok(request_id)
    }

    /// The request's resolver vetoes it, through its veto deadline.
    ///
    /// # Errors
    /// * [`Error::SlashRequestNotFound`] / [`Error::SlashRequestNotPending`].
    /// * [`Error::Unauthorized`] - the caller is not the request's resolver.
    /// * [`Error::VetoWindowClosed`] - the deadline has passed.
    ///
    /// # Events
    /// * [`SlashVetoed`]
    pub fn veto_slash(&mut self, request_id: U256) -> Result<(), Error> {
        self.only_pending(request_id)?;
        let request = self.requests.getter(request_id);
        let caller = self.vm().msg_sender();
        if caller != request.resolver.get() {
            return Err(Unauthorized { caller }.into());
        }
        let deadline = veto_deadline(&request);
        if self.vm().block_timestamp() > deadline {
            return Err(VetoWindowClosed {
                requestId: request_id,
                deadline,
            }
            .into());
        }
        self.set_status(request_id, request_status::VETOED);
        log(
            self.vm(),
            SlashVetoed {
                requestId: request_id,
                resolver: caller,
            },
        );
        Ok(())
    }

    /// The request's AVS cancels it while it is pending.
    ///
    /// # Errors
    /// * [`Error::SlashRequestNotFound`] / [`Error::SlashRequestNotPending`].
    /// * [`Error::Unauthorized`] - the caller is not the request's AVS.
    ///
    /// # Events
    /// * [`SlashCancelled`]
    pub fn cancel_slash(&mut self, request_id: U256) -> Result<(), Error> {
        self.only_pending(request_id)?;
        let caller = self.vm().msg_sender();
        if caller != self.requests.getter(request_id).avs.get() {
            return Err(Unauthorized { caller }.into());
        }
        self.set_status(request_id, request_status::CANCELLED);
        log(
            self.vm(),
            SlashCancelled {
                requestId: request_id,
            },
        );
        Ok(())
    }

    /// Anyone executes a pending request after its veto deadline and through its stale time,
    /// giving its contents as published in [`SlashRequested`]. The cap the request was made under
    /// applies.
    ///
    /// # Errors
    /// * [`Error::SlashRequestNotFound`] / [`Error::SlashRequestNotPending`].
    /// * `ActionPaused` - slashing is paused.
    /// * [`Error::VetoWindowOpen`] / [`Error::SlashRequestStale`].
    /// * [`Error::SlashRequestMismatch`] - the contents are not the request's.
    /// * `SlashCapExceeded`; the AllocationManager's errors, unchanged (the operator may have
    ///   stopped being slashable since the request); `PeerCallFailed` - it reverted without data
    ///   or returned malformed data.
    ///
    /// # Events
    /// * [`SlashExecuted`]
    pub fn execute_slash(
        &mut self,
        request_id: U256,
        operator_set: OperatorSet,
        operator: Address,
        strategies: Vec<Address>,
        wads: Vec<U256>,
        description: String,
    ) -> Result<SlashOutcome, Vec<u8>> {
        self.only_pending(request_id)?;
        self.admin
            .when_not_paused(pause::SLASHING)
            .map_err(Error::from)?;
        let request = self.requests.getter(request_id);
        let requested_at = request.requested_at.get().u64();
        let deadline = veto_deadline(&request);
        let cap = Cap {
            max_wad: request.max_wad.get().u64(),
            window: request.window.get().u32(),
        };
        let now = self.vm().block_timestamp();
        if now <= deadline {
            return Err(Error::from(VetoWindowOpen {
                requestId: request_id,
                deadline,
            })
            .into());
        }
        let stale_at = self.stale_at(requested_at, now);
        if now > stale_at {
            return Err(Error::from(SlashRequestStale {
                requestId: request_id,
                staleAt: stale_at,
            })
            .into());
        }
        let OperatorSet { avs, id } = operator_set;
        let call = apply_slash_call(avs, id, operator, strategies, wads, description);
        let data = call.abi_encode();
        if slash_request_id(&data, requested_at) != request_id {
            return Err(Error::from(SlashRequestMismatch {
                requestId: request_id,
            })
            .into());
        }
        let params = &call.params;
        self.apply_cap(
            (avs, id),
            operator,
            &params.strategies,
            &params.wadsToSlash,
            cap,
            now,
            true,
        )?;
        self.set_status(request_id, request_status::EXECUTED);
        self.execute(request_id, call, &data)
    }

    /// A request as stored, with its deadlines; all zero for an unknown id.
    pub fn get_slash_request(&self, request_id: U256) -> SlashRequest {
        let request = self.requests.getter(request_id);
        let requested_at = request.requested_at.get().u64();
        if requested_at == 0 {
            return SlashRequest {
                avs: Address::ZERO,
                resolver: Address::ZERO,
                requestedAt: 0,
                vetoDeadline: 0,
                staleAt: 0,
                status: request_status::NONE,
            };
        }
        SlashRequest {
            avs: request.avs.get(),
            resolver: request.resolver.get(),
            requestedAt: requested_at,
            vetoDeadline: veto_deadline(&request),
            staleAt: self.stale_at(requested_at, self.vm().block_timestamp()),
            status: request.status.get().u8(),
        }
    }

    /// The wad `operator_set` has slashed from `operator` in `strategy` within the current cap
    /// window, and the cap (both 0 when the set has no cap).
    pub fn get_slashed_wad(
        &self,
        operator_set: OperatorSet,
        operator: Address,
        strategy: Address,
    ) -> (U256, U256) {
        let key = set_key(operator_set.avs, operator_set.id);
        let now = self.vm().block_timestamp();
        let cap = self.in_force(key, now).cap();
        if cap.max_wad == 0 {
            return (U256::ZERO, U256::ZERO);
        }
        let (used, _) = self.used_wad(key, operator, strategy, cap.window, now);
        (used, U256::from(cap.max_wad))
    }

    /// The AllocationManager.
    pub fn allocation_manager(&self) -> Address {
        self.allocation_manager.get()
    }

    /// Sets `bits` in the pause status (a pauser or the owner). Pausing slashing (bit 0) also starts the clock
    /// that keeps pending requests from going stale while they cannot execute.
    ///
    /// # Errors
    /// * [`Error::Unauthorized`] - the caller is not a pauser.
    ///
    /// # Events
    /// * [`Paused`]
    pub fn pause(&mut self, bits: U256) -> Result<(), Error> {
        self.admin.pause(bits)?;
        if bits.bit(usize::from(pause::SLASHING)) && self.paused_since.get().is_zero() {
            self.paused_since
                .set(U64::from(self.vm().block_timestamp()));
        }
        Ok(())
    }

    /// Clears `bits` from the pause status (the owner). Unpausing slashing adds the paused
    /// seconds to every pending request's staleness deadline.
    ///
    /// # Errors
    /// * [`Error::Unauthorized`] - the caller is not the owner.
    ///
    /// # Events
    /// * [`Unpaused`]
    pub fn unpause(&mut self, bits: U256) -> Result<(), Error> {
        self.admin.unpause(bits)?;
        let since = self.paused_since.get().u64();
        if bits.bit(usize::from(pause::SLASHING)) && since != 0 {
            let now = self.vm().block_timestamp();
            let total = checkpoints::latest::<192>(&self.paused_seconds).unwrap_or_default();
            let total = total.saturating_add(U256::from(now - since));
            checkpoints::record::<192>(&mut self.paused_seconds, now, total);
            self.paused_since.set(U64::ZERO);
        }
        Ok(())
    }

    /// The withdrawal delay in seconds: how long a change waits and a request stays executable.
    pub fn withdrawal_delay(&self) -> u64 {
        self.withdrawal_delay.get().u64()
    }
}

/// `t` as a stored 56-bit time (saturating; block times are far below 2^56).
fn time(t: u64) -> Uint<56, 1> {
    Uint::from_limbs([t.min((1 << 56) - 1)])
}

/// The last second `request` can be vetoed.
fn veto_deadline(request: &Request) -> u64 {
    request
        .requested_at
        .get()
        .u64()
        .saturating_add(request.veto_window.get().u64())
}

/// `config.slasher`, or `avs` when unset.
fn resolve(slasher: Address, avs: Address) -> Address {
    if slasher.is_zero() {
        avs
    } else {
        slasher
    }
}

/// Writes `c` into `p` (leaving `switch_at`).
fn store(p: &mut Policy, c: Config) {
    p.slasher.set(c.slasher);
    p.mode.set(U8::from(c.mode));
    p.veto_window.set(U32::from(c.veto_window));
    p.resolver.set(c.resolver);
    p.max_wad.set(U64::from(c.max_wad));
    p.window.set(U32::from(c.window));
}

/// Reads `p`.
fn load(p: &Policy) -> Config {
    Config {
        slasher: p.slasher.get(),
        mode: p.mode.get().u8(),
        veto_window: p.veto_window.get().u32(),
        resolver: p.resolver.get(),
        max_wad: p.max_wad.get().u64(),
        window: p.window.get().u32(),
    }
}

/// The AllocationManager call of a slash.
fn apply_slash_call(
    avs: Address,
    id: u32,
    operator: Address,
    strategies: Vec<Address>,
    wads: Vec<U256>,
    description: String,
) -> IAllocationManager::applySlashCall {
    IAllocationManager::applySlashCall {
        avs,
        params: SlashingParams {
            operator,
            operatorSetId: id,
            strategies,
            wadsToSlash: wads,
            description,
        },
    }
}

/// Re-raises an AllocationManager revert unchanged; an empty revert or a malformed return as
/// `PeerCallFailed`.
fn passthrough(allocation_manager: Address) -> impl Fn(CallError) -> Vec<u8> {
    move |e| match e {
        CallError::Reverted(data) if !data.is_empty() => data,
        e => Error::peer(allocation_manager)(e).into(),
    }
}

impl Slasher {
    /// When a request made at `requested_at` goes stale, seen at `now`: the withdrawal delay
    /// later, plus every second slashing was paused since (a pause holds executions back, so it
    /// must not void them).
    fn stale_at(&self, requested_at: u64, now: u64) -> u64 {
        let total = checkpoints::latest::<192>(&self.paused_seconds).unwrap_or_default();
        let at_request =
            checkpoints::at::<192>(&self.paused_seconds, requested_at).unwrap_or_default();
        let since = self.paused_since.get().u64();
        let running = if since == 0 {
            0
        } else {
            now.saturating_sub(since)
        };
        let paused = (total - at_request)
            .saturating_to::<u64>()
            .saturating_add(running);
        requested_at
            .saturating_add(self.withdrawal_delay.get().u64())
            .saturating_add(paused)
    }

    /// The policy of set `key` in force at `now` (the waiting one is loaded only once in force).
    fn in_force(&self, key: B256, now: u64) -> Config {
        let policy = self.policies.getter(key);
        let switch_at = policy.current.switch_at.get().u64();
        if switch_at != 0 && now >= switch_at {
            load(&policy.next)
        } else {
            load(&policy.current)
        }
    }

    /// The checks of `slash` and `requestSlash` on set `(avs, id)`: the caller is the slasher of
    /// the policy in force, slashing is not paused, and the policy's mode is `mode`. Returns the
    /// set key, the time and the policy.
    fn authorise(&self, avs: Address, id: u32, mode: u8) -> Result<(B256, u64, Config), Error> {
        let key = set_key(avs, id);
        let now = self.vm().block_timestamp();
        let config = self.in_force(key, now);
        let caller = self.vm().msg_sender();
        if caller != resolve(config.slasher, avs) {
            return Err(Unauthorized { caller }.into());
        }
        self.admin.when_not_paused(pause::SLASHING)?;
        if config.mode != mode {
            return Err(WrongSlashMode { mode: config.mode }.into());
        }
        Ok((key, now, config))
    }

    /// The wad slashed within the window ending `now`, and the cumulative total.
    fn used_wad(
        &self,
        key: B256,
        operator: Address,
        strategy: Address,
        window: u32,
        now: u64,
    ) -> (U256, U256) {
        let by_operator = self.slashed_wads.getter(key);
        let by_strategy = by_operator.getter(operator);
        let history = by_strategy.getter(strategy);
        let total = checkpoints::latest::<WAD_BITS>(&history).unwrap_or_default();
        let before = now
            .checked_sub(u64::from(window))
            .and_then(|t| checkpoints::at::<WAD_BITS>(&history, t))
            .unwrap_or_default();
        (total - before, total)
    }

    /// Checks `cap` for slashing `wads` of `operator` in `strategies` of set `(avs, id)` now, and
    /// when `record`, counts them: each as the fraction of the allocation the AllocationManager
    /// will actually take.
    #[allow(clippy::too_many_arguments)]
    fn apply_cap(
        &mut self,
        (avs, id): (Address, u32),
        operator: Address,
        strategies: &[Address],
        wads: &[U256],
        cap: Cap,
        now: u64,
        record: bool,
    ) -> Result<(), Error> {
        if cap.max_wad == 0 {
            return Ok(());
        }
        let key = set_key(avs, id);
        let max = U256::from(cap.max_wad);
        let allocation_manager = self.allocation_manager.get();
        for (&strategy, &asked) in strategies.iter().zip(wads) {
            let query = IAllocationManager::getAllocationCall {
                operator,
                operatorSet: OperatorSet { avs, id },
                strategy,
            };
            let current = call::static_call(allocation_manager, &query.abi_encode())
                .and_then(call::decode_u256)
                .map_err(Error::peer(allocation_manager))?;
            // Past WAD (refused by the AllocationManager) or on an empty allocation: as asked.
            let wad = if current.is_zero() || asked > WAD {
                asked
            } else {
                let taken = math::slashed_magnitude(current, asked)?;
                math::mul_div(taken, WAD, current, math::Rounding::Up)?.max(asked)
            };
            let (used, total) = self.used_wad(key, operator, strategy, cap.window, now);
            if used.saturating_add(wad) > max {
                return Err(SlashCapExceeded {
                    strategy,
                    usedWad: used,
                    maxWad: max,
                }
                .into());
            }
            if record {
                let mut by_operator = self.slashed_wads.setter(key);
                let mut by_strategy = by_operator.setter(operator);
                let mut history = by_strategy.setter(strategy);
                checkpoints::record::<WAD_BITS>(&mut history, now, total + wad);
            }
        }
        Ok(())
    }

    /// Fails unless request `request_id` is pending (reads only its status slot).
    fn only_pending(&self, request_id: U256) -> Result<(), Error> {
        match self.requests.getter(request_id).status.get().u8() {
            request_status::PENDING => Ok(()),
            request_status::NONE => Err(SlashRequestNotFound {
                requestId: request_id,
            }
            .into()),
            status => Err(SlashRequestNotPending {
                requestId: request_id,
                status,
            }
            .into()),
        }
    }

    fn set_status(&mut self, request_id: U256, status: u8) {
        self.requests
            .setter(request_id)
            .status
            .set(U8::from(status));
    }

    /// Has the AllocationManager apply the slash `call` (encoded: `data`) and emits
    /// [`SlashExecuted`].
    fn execute(
        &mut self,
        request_id: U256,
        call: IAllocationManager::applySlashCall,
        data: &[u8],
    ) -> Result<SlashOutcome, Vec<u8>> {
        let allocation_manager = self.allocation_manager.get();
        let out = call::call(allocation_manager, data).map_err(passthrough(allocation_manager))?;
        let outcome = match IAllocationManager::applySlashCall::abi_decode_returns(&out, true) {
            Ok(decoded) => decoded.outcome,
            Err(_) => return Err(passthrough(allocation_manager)(CallError::BadReturn(out))),
        };
        let params = call.params;
        log(
            self.vm(),
            SlashExecuted {
                requestId: request_id,
                operator: params.operator,
                avs: call.avs,
                operatorSetId: params.operatorSetId,
                strategies: params.strategies,
                wads: params.wadsToSlash,
                sharesSlashed: outcome.sharesSlashed.clone(),
                description: params.description,
            },
        );
        Ok(outcome)
    }
}

#[cfg(test)]
mod tests;
