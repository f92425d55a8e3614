//! RewardsCoordinator: AVSs pay rewards here, the rewards updater posts what every earner has
//! earned, and earners claim it (DESIGN §5.5, EigenLayer's model).
//!
//! - Submissions. An AVS escrows `amount` of a token for a window `[start, start + duration)`:
//!   - `createAvsRewardsSubmission`: shared among the AVS's operators and their stakers pro rata to
//!     stake × multiplier of the listed strategies; the window may reach back
//!     `maxRetroactiveLength` (not before the rewards genesis) and start at most `maxFutureLength`
//!     ahead;
//!   - `createOperatorDirectedRewardsSubmission`: fixed amounts per operator (strictly ascending,
//!     non-zero), for a window that has already ended.
//!
//!   Both require start and duration to be multiples of `calculationInterval`, a duration of at
//!   most `maxRewardsDuration`, strictly ascending whitelisted strategies and amounts in
//!   `(0, 1e38)`. The tokens are pulled at once; a submission is identified by
//!   `keccak256(abi.encode(avs, nonce, submission))` with the AVS's running nonce, and published
//!   only in its event (the calculator reads events; nothing on chain reads the hash again, so it
//!   is not stored).
//! - Roots. The rewards updater (set by the owner) posts `submitRoot(root, end)`: the merkle root
//!   of every earner's cumulative earnings for all calculation intervals ending by `end`. `end` is
//!   a multiple of the interval, later than the previous root's and earlier than now. A root is
//!   claimable `activationDelay` after posting; until then the updater may `disableRoot` it.
//! - Tree (shared with the calculator, [`restaking_abi::merkle`]): earner leaf
//!   `keccak(0x00 ‖ earner ‖ tokenRoot)`, token leaf `keccak(0x01 ‖ token ‖ cumulativeEarnings)`;
//!   a proof is its siblings leaf-first and the leaf index picks the side at each level.
//! - Claims. `processClaim(s)` pays, per token leaf, `cumulativeEarnings − cumulativeClaimed` to
//!   the recipient and stores the new total; a leaf with nothing new fails the whole claim
//!   (`NothingToClaim`). Since roots are cumulative, claiming against the latest root is enough.
//!   The caller must be the earner or the claimer it named with `setClaimerFor` — unlike
//!   EigenLayer, naming a claimer does not lock the earner itself out.
//! - Operator split per AVS (`setOperatorAvsSplit`, the operator only): the operator's cut in basis
//!   points before its stakers share the rest, default 1,000. A change is active
//!   `activationDelay` after it is made, and the next change waits until then.
//!
//! Every public method runs in the same order: load → authorise → check paused/state → change
//! state → token transfer (one per submission or per claimed token, each after its own writes).
#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
// `#[entrypoint]` generates public functions without docs; see strategy-manager.
#![allow(missing_docs)]
extern crate alloc;

use alloc::vec::Vec;

use alloy_primitives::{keccak256, Address, B256, U256, U32, U64};
use alloy_sol_types::{SolCall, SolEvent, SolValue};
use restaking_abi::{
    abi::*,
    admin::Admin,
    call,
    constants::{pause, BIPS, DEFAULT_OPERATOR_SPLIT_BIPS, MAX_REWARDS_AMOUNT},
    merkle::{self, ProofError},
    Small,
};
use stylus_sdk::{
    prelude::*,
    storage::{
        StorageAddress, StorageB256, StorageBool, StorageMap, StorageU16, StorageU256, StorageU32,
        StorageU64, StorageUint,
    },
    stylus_core::log,
};

/// A 56-bit timestamp in storage.
type StorageTime = StorageUint<56, 1>;

/// Every way a RewardsCoordinator call can fail.
#[derive(SolidityError, Debug)]
pub enum Error {
    /// Caller not allowed.
    Unauthorized(Unauthorized),
    /// Caller is not the pending owner.
    NotPendingOwner(NotPendingOwner),
    /// A required address is zero.
    ZeroAddress(ZeroAddress),
    /// Not used: the peers are fixed by the constructor.
    AlreadyInitialized(AlreadyInitialized),
    /// The action is paused.
    ActionPaused(ActionPaused),
    /// A counter would overflow.
    MathOverflow(MathOverflow),
    /// The StrategyManager reverted (its revert data inside).
    PeerCallFailed(PeerCallFailed),
    /// A zero amount, or a zero calculation interval at construction.
    ZeroAmount(ZeroAmount),
    /// An empty list.
    EmptyInput(EmptyInput),
    /// Parallel lists of different lengths.
    LengthMismatch(LengthMismatch),
    /// Strategies not strictly ascending.
    StrategiesNotSorted(StrategiesNotSorted),
    /// A strategy the StrategyManager does not whitelist.
    StrategyNotWhitelisted(StrategyNotWhitelisted),
    /// Operators not strictly ascending.
    OperatorsNotSorted(OperatorsNotSorted),
    /// A start or duration not a multiple of the calculation interval, or an unaligned root end.
    TimeNotAligned(TimeNotAligned),
    /// A zero or too long duration.
    DurationInvalid(DurationInvalid),
    /// The window starts too far back.
    StartTooEarly(StartTooEarly),
    /// The window starts too far ahead.
    StartTooLate(StartTooLate),
    /// An operator-directed window that has not ended.
    NotRetroactive(NotRetroactive),
    /// An amount (or operator total) of `1e38` or more.
    AmountTooLarge(AmountTooLarge),
    /// A token transfer failed (its revert data inside).
    TokenTransferFailed(TokenTransferFailed),
    /// A root end that is unaligned, not after the previous one, or not in the past.
    InvalidCalculationEnd(InvalidCalculationEnd),
    /// No such root.
    RootNotFound(RootNotFound),
    /// The root is not active yet.
    RootNotActive(RootNotActive),
    /// The root was disabled.
    RootDisabled(RootDisabled),
    /// The root is active and can no longer be disabled.
    RootAlreadyActive(RootAlreadyActive),
    /// The earner leaf does not prove against the root.
    InvalidEarnerProof(InvalidEarnerProof),
    /// A token leaf does not prove against the earner's token root.
    InvalidTokenProof(InvalidTokenProof),
    /// A leaf index beyond its proof's tree.
    LeafIndexOutOfRange(LeafIndexOutOfRange),
    /// A token leaf with nothing new to claim.
    NothingToClaim(NothingToClaim),
    /// The caller is neither the earner nor its claimer.
    ClaimerMismatch(ClaimerMismatch),
    /// A split above 10,000 basis points.
    BipsTooHigh(BipsTooHigh),
    /// The previous split change is not active yet.
    SplitChangePending(SplitChangePending),
    /// A token delivered less than the submission stated.
    TransferShortfall(TransferShortfall),
}

restaking_abi::contract_error_conversions!(Error);

/// The fixed parameters (one slot).
#[storage]
pub struct Params {
    /// Seconds per calculation interval; starts, durations and root ends are multiples of it.
    calculation_interval: StorageU32,
    /// Longest submission window.
    max_duration: StorageU32,
    /// How far back a pro-rata submission may start.
    max_retroactive: StorageU32,
    /// How far ahead a pro-rata submission may start.
    max_future: StorageU32,
    /// No window starts before this unix time.
    genesis: StorageU32,
    /// Seconds from posting a root (or changing a split) to its activation.
    activation_delay: StorageU32,
}

/// A posted root (two slots).
#[storage]
pub struct Root {
    /// The merkle root.
    hash: StorageB256,
    /// End of the intervals it covers.
    end: StorageU64,
    /// When it becomes claimable.
    activated_at: StorageU64,
    /// Disabled by the updater before activation.
    disabled: StorageBool,
}

/// An operator's split for one AVS (one slot).
#[storage]
pub struct Split {
    /// In force before `activated_at`.
    previous: StorageU16,
    /// In force from `activated_at`.
    next: StorageU16,
    /// When `next` takes over (0 = never set: the default applies).
    activated_at: StorageTime,
}

/// The RewardsCoordinator contract.
#[entrypoint]
#[storage]
pub struct RewardsCoordinator {
    /// Owner and pause bits.
    #[borrow]
    admin: Admin,
    /// The StrategyManager (whitelist), fixed at construction.
    strategy_manager: StorageAddress,
    /// Fixed parameters.
    params: Params,
    /// Who posts roots.
    rewards_updater: StorageAddress,
    /// End of the latest root (same slot as the updater).
    curr_end: StorageU64,
    /// Number of roots posted (same slot).
    root_count: StorageU32,
    /// Roots by index.
    roots: StorageMap<U32, Root>,
    /// Submissions made per AVS (both kinds).
    nonces: StorageMap<Address, StorageU256>,
    /// Earner, token: cumulative amount claimed.
    claimed: StorageMap<Address, StorageMap<Address, StorageU256>>,
    /// Earner: the account that may claim for it besides itself.
    claimers: StorageMap<Address, StorageAddress>,
    /// Operator, AVS: split.
    splits: StorageMap<Address, StorageMap<Address, Split>>,
}

#[public]
#[inherit(Admin)]
impl RewardsCoordinator {
    /// Sets the owner, the StrategyManager, the first rewards updater and the fixed parameters (in
    /// seconds; the genesis is a unix time).
    ///
    /// # Errors
    /// * [`Error::ZeroAddress`] - `owner`, `strategy_manager` or `rewards_updater` is zero.
    /// * [`Error::ZeroAmount`] - `calculation_interval` is zero.
    ///
    /// # Events
    /// * [`OwnershipTransferred`], [`RewardsUpdaterSet`]
    #[constructor]
    pub fn constructor(
        &mut self,
        owner: Address,
        strategy_manager: Address,
        rewards_updater: Address,
        calculation_interval: u32,
        max_rewards_duration: u32,
        max_retroactive_length: u32,
        max_future_length: u32,
        genesis_rewards_timestamp: u32,
        activation_delay: u32,
    ) -> Result<(), Error> {
        if strategy_manager.is_zero() {
            return Err(ZeroAddress {}.into());
        }
        if calculation_interval == 0 {
            return Err(ZeroAmount {}.into());
        }
        self.strategy_manager.set(strategy_manager);
        let p = &mut self.params;
        p.calculation_interval.set(U32::from(calculation_interval));
        p.max_duration.set(U32::from(max_rewards_duration));
        p.max_retroactive.set(U32::from(max_retroactive_length));
        p.max_future.set(U32::from(max_future_length));
        p.genesis.set(U32::from(genesis_rewards_timestamp));
        p.activation_delay.set(U32::from(activation_delay));
        self.admin.init_owner(owner)?;
        self.set_updater(rewards_updater)
    }

    /// Escrows pro-rata rewards from the caller (the AVS): one token transfer per submission.
    ///
    /// # Errors
    /// * [`Error::ActionPaused`] - submissions are paused.
    /// * [`Error::EmptyInput`] - no submissions, or a submission without strategies.
    /// * [`Error::StrategiesNotSorted`], [`Error::StrategyNotWhitelisted`],
    ///   [`Error::PeerCallFailed`] - strategy checks.
    /// * [`Error::ZeroAmount`], [`Error::AmountTooLarge`] - the amount.
    /// * [`Error::DurationInvalid`], [`Error::TimeNotAligned`], [`Error::StartTooEarly`],
    ///   [`Error::StartTooLate`] - the window.
    /// * [`Error::TokenTransferFailed`] - the token did not move.
    ///
    /// # Events
    /// * [`AvsRewardsSubmissionCreated`] per submission.
    pub fn create_avs_rewards_submission(
        &mut self,
        submissions: Vec<RewardsSubmission>,
    ) -> Result<(), Error> {
        let avs = self.vm().msg_sender();
        self.admin.when_not_paused(pause::SUBMISSIONS)?;
        if submissions.is_empty() {
            return Err(EmptyInput {}.into());
        }
        for s in submissions {
            self.check_strategies(&s.strategiesAndMultipliers)?;
            check_amount(s.amount)?;
            self.check_window(s.startTimestamp, s.duration, false)?;
            self.record(
                AvsRewardsSubmissionCreated::SIGNATURE_HASH,
                avs,
                &s.abi_encode(),
            )?;
            let (token, amount) = (s.token, s.amount);
            self.pull(token, avs, amount)?;
        }
        Ok(())
    }

    /// Escrows operator-directed rewards for `avs` (the caller) over windows that have ended: one
    /// token transfer of the operators' total per submission.
    ///
    /// # Errors
    /// * [`Error::Unauthorized`] - the caller is not `avs`.
    /// * as `createAvsRewardsSubmission`, with [`Error::NotRetroactive`] instead of
    ///   [`Error::StartTooLate`], and per operator: [`Error::EmptyInput`] (no operators),
    ///   [`Error::ZeroAddress`], [`Error::OperatorsNotSorted`], [`Error::ZeroAmount`];
    ///   [`Error::AmountTooLarge`] for the total.
    ///
    /// # Events
    /// * [`OperatorDirectedRewardsSubmissionCreated`] per submission.
    pub fn create_operator_directed_rewards_submission(
        &mut self,
        avs: Address,
        submissions: Vec<OperatorDirectedRewardsSubmission>,
    ) -> Result<(), Error> {
        let caller = self.vm().msg_sender();
        if caller != avs {
            return Err(Unauthorized { caller }.into());
        }
        self.admin.when_not_paused(pause::SUBMISSIONS)?;
        if submissions.is_empty() {
            return Err(EmptyInput {}.into());
        }
        for s in submissions {
            self.check_strategies(&s.strategiesAndMultipliers)?;
            self.check_window(s.startTimestamp, s.duration, true)?;
            let total = operator_total(&s.operatorRewards)?;
            self.record(
                OperatorDirectedRewardsSubmissionCreated::SIGNATURE_HASH,
                avs,
                &s.abi_encode(),
            )?;
            let token = s.token;
            self.pull(token, avs, total)?;
        }
        Ok(())
    }

    /// Replaces the rewards updater (owner only).
    ///
    /// # Errors
    /// * [`Error::Unauthorized`] - the caller is not the owner.
    /// * [`Error::ZeroAddress`] - `updater` is zero.
    ///
    /// # Events
    /// * [`RewardsUpdaterSet`]
    pub fn set_rewards_updater(&mut self, updater: Address) -> Result<(), Error> {
        self.admin.only_owner()?;
        self.set_updater(updater)
    }

    /// Posts the root of cumulative earnings through `rewards_calculation_end_timestamp` (the
    /// rewards updater only); claimable after the activation delay.
    ///
    /// # Errors
    /// * [`Error::Unauthorized`] - the caller is not the rewards updater.
    /// * [`Error::ActionPaused`] - posting roots is paused.
    /// * [`Error::InvalidCalculationEnd`] - the end is not a multiple of the calculation
    ///   interval, not after the previous root's, or not before now.
    /// * [`Error::MathOverflow`] - 2³² roots were posted.
    ///
    /// # Events
    /// * [`DistributionRootSubmitted`]
    pub fn submit_root(
        &mut self,
        root: B256,
        rewards_calculation_end_timestamp: u64,
    ) -> Result<(), Error> {
        self.only_updater()?;
        self.admin.when_not_paused(pause::ROOTS)?;
        let end = rewards_calculation_end_timestamp;
        let now = self.vm().block_timestamp();
        let previous = self.curr_end.get().u64();
        let interval = u64::from(self.params.calculation_interval.get().u32());
        if !end.is_multiple_of(interval) || end <= previous || end >= now {
            return Err(InvalidCalculationEnd { end, previous, now }.into());
        }
        let index = self.root_count.get().u32();
        let count = index.checked_add(1).ok_or(MathOverflow {})?;
        let activated_at = now + u64::from(self.params.activation_delay.get().u32());
        let mut slot = self.roots.setter(U32::from(index));
        slot.hash.set(root);
        slot.end.set(U64::from(end));
        slot.activated_at.set(U64::from(activated_at));
        self.root_count.set(U32::from(count));
        self.curr_end.set(U64::from(end));
        log(
            self.vm(),
            DistributionRootSubmitted {
                rootIndex: index,
                root,
                rewardsCalculationEndTimestamp: end,
                activatedAt: activated_at,
            },
        );
        Ok(())
    }

    /// Disables root `root_index` before it activates (the rewards updater only). Its end stays
    /// the latest: the next root must end later.
    ///
    /// # Errors
    /// * [`Error::Unauthorized`] - the caller is not the rewards updater.
    /// * [`Error::RootNotFound`], [`Error::RootDisabled`], [`Error::RootAlreadyActive`].
    ///
    /// # Events
    /// * [`DistributionRootDisabled`]
    pub fn disable_root(&mut self, root_index: u32) -> Result<(), Error> {
        self.only_updater()?;
        let now = self.vm().block_timestamp();
        let mut slot = self.root_slot(root_index)?;
        if slot.disabled.get() {
            return Err(RootDisabled {
                rootIndex: root_index,
            }
            .into());
        }
        if now >= slot.activated_at.get().u64() {
            return Err(RootAlreadyActive {
                rootIndex: root_index,
            }
            .into());
        }
        slot.disabled.set(true);
        log(
            self.vm(),
            DistributionRootDisabled {
                rootIndex: root_index,
            },
        );
        Ok(())
    }

    /// Lets `claimer` claim the caller's earnings (to any recipient) besides the caller itself;
    /// zero removes it.
    ///
    /// # Events
    /// * [`ClaimerForSet`]
    pub fn set_claimer_for(&mut self, claimer: Address) {
        let earner = self.vm().msg_sender();
        self.claimers.setter(earner).set(claimer);
        log(self.vm(), ClaimerForSet { earner, claimer });
    }

    /// Sets `operator`'s cut of `avs`'s rewards (the operator only), active after the activation
    /// delay.
    ///
    /// # Errors
    /// * [`Error::Unauthorized`] - the caller is not `operator`.
    /// * [`Error::ZeroAddress`] - `avs` is zero.
    /// * [`Error::BipsTooHigh`] - above 10,000.
    /// * [`Error::SplitChangePending`] - the previous change is not active yet.
    ///
    /// # Events
    /// * [`OperatorAvsSplitSet`]
    pub fn set_operator_avs_split(
        &mut self,
        operator: Address,
        avs: Address,
        split_bips: u16,
    ) -> Result<(), Error> {
        let caller = self.vm().msg_sender();
        if caller != operator {
            return Err(Unauthorized { caller }.into());
        }
        if avs.is_zero() {
            return Err(ZeroAddress {}.into());
        }
        if split_bips > BIPS {
            return Err(BipsTooHigh {
                bips: split_bips,
                max: BIPS,
            }
            .into());
        }
        let now = self.vm().block_timestamp();
        let delay = u64::from(self.params.activation_delay.get().u32());
        let mut by_avs = self.splits.setter(operator);
        let mut split = by_avs.setter(avs);
        let pending = split.activated_at.get().u64();
        if now < pending {
            return Err(SplitChangePending {
                operator,
                avs,
                activatedAt: pending,
            }
            .into());
        }
        let current = effective_split(&split, now);
        let activated_at = now + delay;
        split.previous.set(alloy_primitives::U16::from(current));
        split.next.set(alloy_primitives::U16::from(split_bips));
        split
            .activated_at
            .set(alloy_primitives::Uint::<56, 1>::from(activated_at));
        log(
            self.vm(),
            OperatorAvsSplitSet {
                operator,
                avs,
                newSplitBips: split_bips,
                activatedAt: activated_at,
            },
        );
        Ok(())
    }

    /// Pays the claim's new earnings to `recipient`.
    ///
    /// # Errors
    /// * [`Error::ActionPaused`] - claims are paused.
    /// * [`Error::ZeroAddress`] - `recipient` is zero.
    /// * [`Error::ClaimerMismatch`] - the caller is neither the earner nor its claimer.
    /// * [`Error::RootNotFound`], [`Error::RootDisabled`], [`Error::RootNotActive`] - the root.
    /// * [`Error::EmptyInput`], [`Error::LengthMismatch`] - the token lists.
    /// * [`Error::InvalidEarnerProof`], [`Error::InvalidTokenProof`],
    ///   [`Error::LeafIndexOutOfRange`] - the proofs.
    /// * [`Error::NothingToClaim`] - a token leaf's total was claimed already.
    /// * [`Error::TokenTransferFailed`] - a payment failed.
    ///
    /// # Events
    /// * [`RewardsClaimed`] per token.
    pub fn process_claim(
        &mut self,
        claim: RewardsMerkleClaim,
        recipient: Address,
    ) -> Result<(), Error> {
        self.claim_checks(recipient)?;
        self.claim(&claim, recipient)
    }

    /// [`Self::process_claim`] for each claim in order, all or nothing.
    ///
    /// # Errors
    /// As `processClaim`; [`Error::EmptyInput`] for no claims.
    ///
    /// # Events
    /// * [`RewardsClaimed`] per token of each claim.
    pub fn process_claims(
        &mut self,
        claims: Vec<RewardsMerkleClaim>,
        recipient: Address,
    ) -> Result<(), Error> {
        self.claim_checks(recipient)?;
        if claims.is_empty() {
            return Err(EmptyInput {}.into());
        }
        for claim in &claims {
            self.claim(claim, recipient)?;
        }
        Ok(())
    }

    /// `true` when the claim's root is active and its proofs verify; otherwise the error
    /// `processClaim` would raise for them (the caller and the amounts are not checked).
    ///
    /// # Errors
    /// As the root, list and proof errors of `processClaim`.
    pub fn check_claim(&self, claim: RewardsMerkleClaim) -> Result<bool, Error> {
        self.verify(&claim).map(|_| true)
    }

    /// The StrategyManager whose whitelist submissions must use.
    pub fn strategy_manager(&self) -> Address {
        self.strategy_manager.get()
    }

    /// Who posts roots.
    pub fn rewards_updater(&self) -> Address {
        self.rewards_updater.get()
    }

    /// The fixed parameters.
    pub fn rewards_parameters(&self) -> RewardsParameters {
        let p = &self.params;
        RewardsParameters {
            calculationInterval: p.calculation_interval.get().u32(),
            maxRewardsDuration: p.max_duration.get().u32(),
            maxRetroactiveLength: p.max_retroactive.get().u32(),
            maxFutureLength: p.max_future.get().u32(),
            genesisRewardsTimestamp: p.genesis.get().u32(),
            activationDelay: p.activation_delay.get().u32(),
        }
    }

    /// Submissions `avs` has made (the next one's nonce).
    pub fn submission_nonce(&self, avs: Address) -> U256 {
        self.nonces.get(avs)
    }

    /// Root `root_index`.
    ///
    /// # Errors
    /// * [`Error::RootNotFound`]
    pub fn get_distribution_root(&self, root_index: u32) -> Result<DistributionRoot, Error> {
        if root_index >= self.root_count.get().u32() {
            return Err(RootNotFound {
                rootIndex: root_index,
            }
            .into());
        }
        let r = self.roots.getter(U32::from(root_index));
        Ok(DistributionRoot {
            root: r.hash.get(),
            rewardsCalculationEndTimestamp: r.end.get().u64(),
            activatedAt: r.activated_at.get().u64(),
            disabled: r.disabled.get(),
        })
    }

    /// Number of roots posted.
    pub fn get_distribution_roots_length(&self) -> U256 {
        U256::from(self.root_count.get().u32())
    }

    /// End of the latest root (0 before the first).
    pub fn curr_rewards_calculation_end_timestamp(&self) -> u64 {
        self.curr_end.get().u64()
    }

    /// What `earner` has claimed of `token` so far.
    pub fn cumulative_claimed(&self, earner: Address, token: Address) -> U256 {
        self.claimed.getter(earner).get(token)
    }

    /// The claimer `earner` named (zero = none).
    pub fn claimer_for(&self, earner: Address) -> Address {
        self.claimers.get(earner)
    }

    /// `operator`'s split for `avs` in force now, in basis points.
    pub fn get_operator_avs_split(&self, operator: Address, avs: Address) -> u16 {
        let now = self.vm().block_timestamp();
        effective_split(&self.splits.getter(operator).getter(avs), now)
    }

    /// The hash of an earner leaf.
    pub fn calculate_earner_leaf_hash(&self, leaf: EarnerTreeMerkleLeaf) -> B256 {
        merkle::earner_leaf_hash(leaf.earner, leaf.earnerTokenRoot)
    }

    /// The hash of a token leaf.
    pub fn calculate_token_leaf_hash(&self, leaf: TokenTreeMerkleLeaf) -> B256 {
        merkle::token_leaf_hash(leaf.token, leaf.cumulativeEarnings)
    }
}

/// A split's value at `now`: the default until one is set, then `previous` until
/// `activated_at`, then `next`.
#[allow(clippy::cast_possible_truncation)]
fn effective_split(split: &Split, now: u64) -> u16 {
    let activated_at = split.activated_at.get().u64();
    if activated_at == 0 {
        DEFAULT_OPERATOR_SPLIT_BIPS
    } else if now >= activated_at {
        split.next.get().as_limbs()[0] as u16
    } else {
        split.previous.get().as_limbs()[0] as u16
    }
}

/// `keccak256(abi.encode(avs, nonce, submission))` for a dynamic struct whose single-value
/// encoding is `encoded`: the two words, the struct's offset (three words), then the struct's own
/// encoding, which is `encoded` without its leading offset word.
#[must_use]
pub fn submission_hash(avs: Address, nonce: U256, encoded: &[u8]) -> B256 {
    let mut buf = Vec::with_capacity(64 + encoded.len());
    buf.extend_from_slice(avs.into_word().as_slice());
    buf.extend_from_slice(&nonce.to_be_bytes::<32>());
    buf.extend_from_slice(&U256::from(96).to_be_bytes::<32>());
    buf.extend_from_slice(encoded.get(32..).unwrap_or_default());
    keccak256(&buf)
}

/// Fails for a zero amount or one of `1e38` or more.
fn check_amount(amount: U256) -> Result<(), Error> {
    if amount.is_zero() {
        return Err(ZeroAmount {}.into());
    }
    if amount > MAX_REWARDS_AMOUNT {
        return Err(AmountTooLarge {
            amount,
            max: MAX_REWARDS_AMOUNT,
        }
        .into());
    }
    Ok(())
}

/// The sum of an operator-directed submission's amounts, after checking its list.
fn operator_total(rewards: &[OperatorReward]) -> Result<U256, Error> {
    if rewards.is_empty() {
        return Err(EmptyInput {}.into());
    }
    if let Some(i) = first_unsorted(rewards.iter().map(|r| r.operator)) {
        return Err(OperatorsNotSorted {
            index: U256::from(i),
        }
        .into());
    }
    let mut total = U256::ZERO;
    for r in rewards {
        if r.operator.is_zero() {
            return Err(ZeroAddress {}.into());
        }
        if r.amount.is_zero() {
            return Err(ZeroAmount {}.into());
        }
        total = total.saturating_add(r.amount);
    }
    if total > MAX_REWARDS_AMOUNT {
        return Err(AmountTooLarge {
            amount: total,
            max: MAX_REWARDS_AMOUNT,
        }
        .into());
    }
    Ok(total)
}

impl RewardsCoordinator {
    fn set_updater(&mut self, updater: Address) -> Result<(), Error> {
        if updater.is_zero() {
            return Err(ZeroAddress {}.into());
        }
        self.rewards_updater.set(updater);
        log(self.vm(), RewardsUpdaterSet { updater });
        Ok(())
    }

    fn only_updater(&self) -> Result<(), Error> {
        let caller = self.vm().msg_sender();
        if caller == self.rewards_updater.get() {
            Ok(())
        } else {
            Err(Unauthorized { caller }.into())
        }
    }

    /// Root `index` for writing, or `RootNotFound`.
    fn root_slot(
        &mut self,
        index: u32,
    ) -> Result<stylus_sdk::storage::StorageGuardMut<'_, Root>, Error> {
        if index >= self.root_count.get().u32() {
            return Err(RootNotFound { rootIndex: index }.into());
        }
        Ok(self.roots.setter(U32::from(index)))
    }

    /// Strictly ascending, non-empty, every strategy whitelisted in the StrategyManager.
    fn check_strategies(&self, list: &[StrategyAndMultiplier]) -> Result<(), Error> {
        if list.is_empty() {
            return Err(EmptyInput {}.into());
        }
        if let Some(i) = first_unsorted(list.iter().map(|e| e.strategy)) {
            return Err(StrategiesNotSorted {
                index: U256::from(i),
            }
            .into());
        }
        let sm = self.strategy_manager.get();
        for entry in list {
            let strategy = entry.strategy;
            let query = IStrategyManager::isWhitelistedCall { strategy }.abi_encode();
            let listed = call::static_call(sm, &query)
                .and_then(call::decode_u256)
                .map_err(Error::peer(sm))?;
            if listed != U256::from(1) {
                return Err(StrategyNotWhitelisted { strategy }.into());
            }
        }
        Ok(())
    }

    /// The window rules; `retroactive` for operator-directed submissions (ended before now,
    /// no future bound).
    fn check_window(&self, start: u64, duration: u64, retroactive: bool) -> Result<(), Error> {
        let now = self.vm().block_timestamp();
        let p = &self.params;
        let interval = u64::from(p.calculation_interval.get().u32());
        let max = u64::from(p.max_duration.get().u32());
        if duration == 0 || duration > max {
            return Err(DurationInvalid { duration, max }.into());
        }
        for value in [duration, start] {
            if !value.is_multiple_of(interval) {
                return Err(TimeNotAligned { value, interval }.into());
            }
        }
        let earliest = now
            .saturating_sub(u64::from(p.max_retroactive.get().u32()))
            .max(u64::from(p.genesis.get().u32()));
        if start < earliest {
            return Err(StartTooEarly { start, earliest }.into());
        }
        if retroactive {
            let end = start.saturating_add(duration);
            if end >= now {
                return Err(NotRetroactive { end, now }.into());
            }
        } else {
            let latest = now.saturating_add(u64::from(p.max_future.get().u32()));
            if start > latest {
                return Err(StartTooLate { start, latest }.into());
            }
        }
        Ok(())
    }

    /// Uses `avs`'s next nonce for a submission whose single-value ABI encoding is `encoded`,
    /// and emits the submission event `signature` (indexed avs, nonce, hash; data = the
    /// submission), written out by hand so both submission kinds share one encoder.
    fn record(&mut self, signature: B256, avs: Address, encoded: &[u8]) -> Result<(), Error> {
        let mut slot = self.nonces.setter(avs);
        let nonce = slot.get();
        slot.set(nonce.checked_add(U256::from(1)).ok_or(MathOverflow {})?);
        let hash = submission_hash(avs, nonce, encoded);
        let mut bytes = Vec::with_capacity(128 + encoded.len());
        bytes.extend_from_slice(signature.as_slice());
        bytes.extend_from_slice(avs.into_word().as_slice());
        bytes.extend_from_slice(&nonce.to_be_bytes::<32>());
        bytes.extend_from_slice(hash.as_slice());
        bytes.extend_from_slice(encoded);
        self.vm().emit_log(&bytes, 4);
        Ok(())
    }

    /// Pulls `amount` of `token` from `from`, refusing a token that delivers less (a fee on
    /// transfer would leave the escrow short of what the submission promises its earners).
    fn pull(&mut self, token: Address, from: Address, amount: U256) -> Result<(), Error> {
        let this = self.vm().contract_address();
        let held = || {
            call::balance_of(token, this).map_err(|e| TokenTransferFailed {
                token,
                reason: e.data(),
            })
        };
        let before = held()?;
        call::safe_transfer_from(self.vm(), token, from, this, amount).map_err(|e| {
            TokenTransferFailed {
                token,
                reason: e.data(),
            }
        })?;
        let received = held()?.saturating_sub(before);
        if received < amount {
            return Err(TransferShortfall {
                token,
                expected: amount,
                received,
            }
            .into());
        }
        Ok(())
    }

    /// The pause bit and the recipient, once per call.
    fn claim_checks(&self, recipient: Address) -> Result<(), Error> {
        self.admin.when_not_paused(pause::CLAIMS)?;
        if recipient.is_zero() {
            return Err(ZeroAddress {}.into());
        }
        Ok(())
    }

    /// One claim: caller, root, proofs, then per token the new total and the payment.
    fn claim(&mut self, claim: &RewardsMerkleClaim, recipient: Address) -> Result<(), Error> {
        let caller = self.vm().msg_sender();
        let earner = claim.earnerLeaf.earner;
        if caller != earner {
            let claimer = self.claimers.get(earner);
            if caller != claimer || claimer.is_zero() {
                return Err(ClaimerMismatch { caller, claimer }.into());
            }
        }
        let root = self.verify(claim)?;
        for leaf in &claim.tokenLeaves {
            let token = leaf.token;
            let mut by_token = self.claimed.setter(earner);
            let mut slot = by_token.setter(token);
            let before = slot.get();
            let total = leaf.cumulativeEarnings;
            if total <= before {
                return Err(NothingToClaim { earner, token }.into());
            }
            slot.set(total);
            drop(by_token);
            let amount = total - before;
            log(
                self.vm(),
                RewardsClaimed {
                    root,
                    earner,
                    claimer: caller,
                    recipient,
                    token,
                    claimedAmount: amount,
                },
            );
            call::safe_transfer(self.vm(), token, recipient, amount).map_err(|e| {
                Error::from(TokenTransferFailed {
                    token,
                    reason: e.data(),
                })
            })?;
        }
        Ok(())
    }

    /// The claim's root if it is active and every proof verifies.
    fn verify(&self, claim: &RewardsMerkleClaim) -> Result<B256, Error> {
        let index = claim.rootIndex;
        if index >= self.root_count.get().u32() {
            return Err(RootNotFound { rootIndex: index }.into());
        }
        let r = self.roots.getter(U32::from(index));
        if r.disabled.get() {
            return Err(RootDisabled { rootIndex: index }.into());
        }
        let activated_at = r.activated_at.get().u64();
        if self.vm().block_timestamp() < activated_at {
            return Err(RootNotActive {
                rootIndex: index,
                activatedAt: activated_at,
            }
            .into());
        }
        let root = r.hash.get();
        let n = claim.tokenLeaves.len();
        if n == 0 {
            return Err(EmptyInput {}.into());
        }
        for other in [claim.tokenIndices.len(), claim.tokenTreeProofs.len()] {
            if other != n {
                return Err(LengthMismatch {
                    left: U256::from(n),
                    right: U256::from(other),
                }
                .into());
            }
        }
        let earner = claim.earnerLeaf.earner;
        let token_root = claim.earnerLeaf.earnerTokenRoot;
        prove(
            root,
            &claim.earnerTreeProof,
            claim.earnerIndex,
            merkle::earner_leaf_hash(earner, token_root),
        )
        .map_err(|e| e.unwrap_or_else(|| InvalidEarnerProof { earner }.into()))?;
        for ((leaf, index), proof) in claim
            .tokenLeaves
            .iter()
            .zip(&claim.tokenIndices)
            .zip(&claim.tokenTreeProofs)
        {
            let token = leaf.token;
            prove(
                token_root,
                proof,
                *index,
                merkle::token_leaf_hash(token, leaf.cumulativeEarnings),
            )
            .map_err(|e| e.unwrap_or_else(|| InvalidTokenProof { earner, token }.into()))?;
        }
        Ok(root)
    }
}

/// `Ok` when `leaf` at `index` proves against `root`; `Err(Some(LeafIndexOutOfRange))` for an
/// index beyond the proof's tree, `Err(None)` for any other failure (the caller names it).
fn prove(root: B256, proof: &[u8], index: u32, leaf: B256) -> Result<(), Option<Error>> {
    match merkle::process_proof(proof, index, leaf) {
        Ok(computed) if computed == root => Ok(()),
        Err(ProofError::IndexOutOfRange) => Err(Some(LeafIndexOutOfRange { index }.into())),
        _ => Err(None),
    }
}

#[cfg(test)]
mod tests;
