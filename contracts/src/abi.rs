//! The protocol's whole external ABI in one `sol!` block: shared structs, custom errors, events,
//! and the interface of each contract and of the external contracts they call.
//!
//! One block, because `sol!` can only compute selectors of functions whose struct parameters it
//! sees in the same invocation. Contracts wrap these errors in their own `Error` enums and emit
//! these events; the devnode, the tests and the scripts encode calls and decode results with the
//! same types, so an ABI drift between a contract and its callers cannot compile.
#![allow(missing_docs, clippy::pub_underscore_fields, clippy::doc_markdown)]

use stylus_sdk::abi::{AbiType, ConstString};

/// The whole `sol!` block, instantiated once: with alloy's JSON ABI (`#[sol(abi)]`) only for ABI
/// export on the host, so contract WASM carries no JSON code.
macro_rules! protocol_abi {
    ($($json:ident)?) => {
alloy_sol_types::sol! {
    #![sol(all_derives $(, $json)?)]

    // ───────────────────────────── shared structs ─────────────────────────────

    /// An AVS's operator set: `(avs, id)`.
    struct OperatorSet { address avs; uint32 id; }

    /// A signature with its expiry (unix seconds), for ECDSA (65 bytes) or EIP-1271 signers.
    struct SignatureWithExpiry { bytes signature; uint256 expiry; }

    /// One entry of `queueWithdrawals`: deposit shares to withdraw per strategy.
    struct QueuedWithdrawalParams { address[] strategies; uint256[] depositShares; }

    /// A queued withdrawal as stored (by hash) in the DelegationManager.
    struct Withdrawal {
        address staker;
        address delegatedTo;
        uint256 nonce;
        uint64 startTimestamp;
        address[] strategies;
        uint256[] scaledShares;
    }

    /// A pending withdrawal with what each strategy would pay if completed now.
    struct QueuedWithdrawal { Withdrawal withdrawal; uint256[] shares; }

    /// One entry of `modifyAllocations`: new magnitudes (WAD = 100%) per strategy of a set.
    struct AllocateParams { OperatorSet operatorSet; address[] strategies; uint64[] newMagnitudes; }

    /// An allocation of (operator, set, strategy): current magnitude plus one pending change.
    struct Allocation { uint64 currentMagnitude; int128 pendingDiff; uint64 effectTimestamp; }

    /// One entry of `createOperatorSets`. A zero recipient means slashed funds are burned.
    struct CreateSetParams { uint32 operatorSetId; address[] strategies; address redistributionRecipient; }

    /// What a slash takes: per strategy, a fraction (WAD = 100%) of the operator's allocation.
    struct SlashingParams {
        address operator;
        uint32 operatorSetId;
        address[] strategies;
        uint256[] wadsToSlash;
        string description;
    }

    /// What a slash takes (or would take): its id in the set, and per strategy the magnitude
    /// taken from the allocation and the shares taken from the operator and its queue.
    struct SlashOutcome { uint256 slashId; uint64[] magnitudesSlashed; uint256[] sharesSlashed; }

    /// Slashing policy of an operator set. `mode` 0 = instant, 1 = veto. `maxWadPerWindow` 0 = no cap.
    struct SlasherConfig {
        address slasher;
        uint8 mode;
        address resolver;
        uint64 vetoWindow;
        uint256 maxWadPerWindow;
        uint64 window;
    }

    /// A veto-mode slash request as stored. Its contents (set, operator, strategies, wads,
    /// description) are bound by the request id and published in `SlashRequested`. `status`:
    /// 0 = none, 1 = pending, 2 = vetoed, 3 = cancelled, 4 = executed. It may be vetoed by
    /// `resolver` through `vetoDeadline` and executed after it through `staleAt`.
    struct SlashRequest {
        address avs;
        address resolver;
        uint64 requestedAt;
        uint64 vetoDeadline;
        uint64 staleAt;
        uint8 status;
    }

    /// A strategy and its reward weight.
    struct StrategyAndMultiplier { address strategy; uint96 multiplier; }

    /// A pro-rata AVS rewards submission.
    struct RewardsSubmission {
        StrategyAndMultiplier[] strategiesAndMultipliers;
        address token;
        uint256 amount;
        uint64 startTimestamp;
        uint64 duration;
    }

    /// One operator's amount in an operator-directed submission.
    struct OperatorReward { address operator; uint256 amount; }

    /// An operator-directed (strictly retroactive) rewards submission.
    struct OperatorDirectedRewardsSubmission {
        StrategyAndMultiplier[] strategiesAndMultipliers;
        address token;
        OperatorReward[] operatorRewards;
        uint64 startTimestamp;
        uint64 duration;
    }

    /// The RewardsCoordinator's fixed parameters, in seconds (the genesis is a unix time).
    struct RewardsParameters {
        uint32 calculationInterval;
        uint32 maxRewardsDuration;
        uint32 maxRetroactiveLength;
        uint32 maxFutureLength;
        uint32 genesisRewardsTimestamp;
        uint32 activationDelay;
    }

    /// A posted distribution root.
    struct DistributionRoot { bytes32 root; uint64 rewardsCalculationEndTimestamp; uint64 activatedAt; bool disabled; }

    /// Earner leaf of the rewards tree: `keccak(0x00 ‖ earner ‖ earnerTokenRoot)`.
    struct EarnerTreeMerkleLeaf { address earner; bytes32 earnerTokenRoot; }

    /// Token leaf of an earner's subtree: `keccak(0x01 ‖ token ‖ cumulativeEarnings)`.
    struct TokenTreeMerkleLeaf { address token; uint256 cumulativeEarnings; }

    /// An LrtVault redemption batch (one DelegationManager withdrawal). `state` 0 open, 1 queued,
    /// 2 completed; `assets` is what the withdrawal realised, `reserve` what is left to claim.
    struct LrtBatch {
        uint256 shares;
        uint256 unclaimed;
        uint256 assets;
        uint256 reserve;
        address operator;
        uint64 start;
        uint64 opened;
        uint32 nonce;
        uint8 state;
        uint256 scaledShares;
    }

    /// A controller's redemption request in the LrtVault: its batch, shares and the assets they
    /// were worth when requested (a claim pays at most that).
    struct LrtRequest { uint256 requestId; uint256 shares; uint256 assets; }

    /// A claim against a distribution root.
    struct RewardsMerkleClaim {
        uint32 rootIndex;
        uint32 earnerIndex;
        bytes earnerTreeProof;
        EarnerTreeMerkleLeaf earnerLeaf;
        uint32[] tokenIndices;
        bytes[] tokenTreeProofs;
        TokenTreeMerkleLeaf[] tokenLeaves;
    }

    // ───────────────────────────── errors (shared names) ─────────────────────────────

    /// The caller may not call this method.
    error Unauthorized(address caller);
    /// An address argument was zero.
    error ZeroAddress();
    /// An amount or share argument was zero.
    error ZeroAmount();
    /// `initialize` was already called.
    error AlreadyInitialized();
    /// The contract's peers are not set yet.
    error NotInitialized();
    /// The action's pause bit is set.
    error ActionPaused(uint8 bit);
    /// Only the pending owner may accept ownership.
    error NotPendingOwner(address caller, address pendingOwner);
    /// Fixed-point math overflowed or divided by zero.
    error MathOverflow();
    /// A reentrant call into a guarded method.
    error ReentrantCall();
    /// A signature expired at `expiry`, before `now`.
    error SignatureExpired(uint256 expiry, uint256 now);
    /// The signature was not made by `signer` (ECDSA) and `signer` did not accept it (EIP-1271).
    error InvalidSignature(address signer);
    /// The token's ERC-2612 `permit` reverted.
    error PermitFailed(address token, bytes reason);
    /// A token transfer reverted, returned false, or the token has no code.
    error TokenTransferFailed(address token, bytes reason);
    /// A token `balanceOf` call reverted or returned malformed data.
    error TokenBalanceUnavailable(address token);
    /// Two arrays that must have the same length do not.
    error LengthMismatch(uint256 left, uint256 right);
    /// A call to a peer contract reverted; `reason` is the peer's revert data, unchanged.
    error PeerCallFailed(address peer, bytes reason);
    /// Strategies must be strictly ascending (sorted, no duplicates).
    error StrategiesNotSorted(uint256 index);

    /// StrategyManager: the token is not whitelisted for deposits.
    error StrategyNotWhitelisted(address strategy);
    /// StrategyManager: the deposit would lift the strategy's balance above its cap.
    error DepositCapExceeded(address strategy, uint256 cap, uint256 balanceAfter);
    /// StrategyManager: a deposit cap of 2^120 or more (0 means no cap).
    error InvalidCap(uint256 cap);
    /// StrategyManager: the deposit is worth zero shares.
    error ZeroSharesMinted(address strategy, uint256 amount);
    /// StrategyManager: total shares would exceed 1e38 − 1.
    error TotalSharesExceeded(address strategy, uint256 totalShares);
    /// StrategyManager: the staker already holds shares in the maximum number of strategies.
    error TooManyStrategies(address staker, uint32 max);
    /// A staker has fewer shares than asked for.
    error InsufficientShares(address staker, address strategy, uint256 have, uint256 want);
    /// StrategyManager: slashed shares for this (set, slash, strategy) were already recorded.
    error SlashedSharesAlreadyRecorded(address avs, uint32 operatorSetId, uint256 slashId, address strategy);
    /// StrategyManager: nothing to clear for this (set, slash, strategy).
    error NoSlashedShares(address avs, uint32 operatorSetId, uint256 slashId, address strategy);

    /// DelegationManager: the address is not a registered operator.
    error NotOperator(address account);
    /// DelegationManager: the address is already an operator.
    error AlreadyOperator(address account);
    /// DelegationManager: the staker is already delegated.
    error AlreadyDelegated(address staker, address operator);
    /// DelegationManager: the staker is not delegated.
    error NotDelegated(address staker);
    /// DelegationManager: operators cannot undelegate.
    error OperatorCannotUndelegate(address operator);
    /// DelegationManager: the approver salt was already used.
    error SaltSpent(address approver, bytes32 salt);
    /// DelegationManager: no pending withdrawal has this root.
    error WithdrawalNotQueued(bytes32 root);
    /// DelegationManager: the withdrawal delay has not passed.
    error WithdrawalDelayNotPassed(uint64 completableAt, uint64 now);
    /// DelegationManager: the operator's slashing factor is zero.
    error FullySlashed(address operator, address strategy);
    /// DelegationManager: a slash must lower a non-zero max magnitude.
    error InvalidMagnitudeChange(uint64 previous, uint64 next);

    /// AllocationManager: the AVS has not registered metadata.
    error AvsNotRegistered(address avs);
    /// AllocationManager: the operator set does not exist.
    error OperatorSetNotFound(address avs, uint32 id);
    /// AllocationManager: the operator set already exists.
    error OperatorSetExists(address avs, uint32 id);
    /// AllocationManager: the strategy is not in the set.
    error StrategyNotInSet(address avs, uint32 id, address strategy);
    /// AllocationManager: the strategy is already in the set.
    error StrategyAlreadyInSet(address avs, uint32 id, address strategy);
    /// AllocationManager: the operator is not registered for the set.
    error NotMemberOfSet(address operator, address avs, uint32 id);
    /// AllocationManager: the operator is already registered (or still slashable) for the set.
    error AlreadyMemberOfSet(address operator, address avs, uint32 id);
    /// AllocationManager: the operator is not slashable by the set.
    error OperatorNotSlashable(address operator, address avs, uint32 id);
    /// AllocationManager: the allocation would exceed the allocatable magnitude.
    error InsufficientMagnitude(address strategy, uint64 allocatable, uint64 wanted);
    /// AllocationManager: a change of this allocation is still pending.
    error ModificationAlreadyPending(address avs, uint32 id, address strategy);
    /// AllocationManager: the new magnitude equals the current one.
    error SameMagnitude(address strategy, uint64 magnitude);
    /// AllocationManager: the allocation delay was never set.
    error AllocationDelayNotSet(address operator);
    /// AllocationManager: the registrar rejected the operator (its revert data).
    error RegistrarRejected(address registrar, bytes reason);
    /// AllocationManager: the registrar does not support this AVS.
    error RegistrarNotForAvs(address registrar, address avs);
    /// A WAD fraction outside (0, WAD].
    error InvalidWad(uint256 wad);

    /// Slasher: the request does not exist.
    error SlashRequestNotFound(uint256 requestId);
    /// Slasher: the request is not pending (`status` as in SlashRequest).
    error SlashRequestNotPending(uint256 requestId, uint8 status);
    /// Slasher: the veto window has closed.
    error VetoWindowClosed(uint256 requestId, uint64 deadline);
    /// Slasher: the veto window is still open.
    error VetoWindowOpen(uint256 requestId, uint64 deadline);
    /// Slasher: the request is older than the withdrawal delay.
    error SlashRequestStale(uint256 requestId, uint64 staleAt);
    /// Slasher: the slash would exceed the set's rate cap in the current window.
    error SlashCapExceeded(address strategy, uint256 usedWad, uint256 maxWad);
    /// Slasher: the set's mode does not allow this flow.
    error WrongSlashMode(uint8 mode);
    /// Slasher: an inconsistent configuration (mode unknown; instant with a resolver or veto
    /// window; veto without a resolver, or a window not inside (0, withdrawal delay); a cap above
    /// WAD, or a cap without a window or a window without a cap; a window above 2^32 − 1).
    error InvalidSlasherConfig(uint8 mode, address resolver, uint64 vetoWindow, uint256 maxWadPerWindow, uint64 window);
    /// Slasher: the same request was made in the same second already.
    error SlashRequestExists(uint256 requestId);
    /// Slasher: the contents given are not those of the request.
    error SlashRequestMismatch(uint256 requestId);

    /// RewardsCoordinator: a timestamp is not a multiple of the calculation interval.
    error TimeNotAligned(uint64 value, uint64 interval);
    /// RewardsCoordinator: the duration is zero or longer than the maximum.
    error DurationInvalid(uint64 duration, uint64 max);
    /// RewardsCoordinator: the start is before the retroactive bound (or the rewards genesis).
    error StartTooEarly(uint64 start, uint64 earliest);
    /// RewardsCoordinator: the start is after the future bound.
    error StartTooLate(uint64 start, uint64 latest);
    /// RewardsCoordinator: an operator-directed submission must end before now.
    error NotRetroactive(uint64 end, uint64 now);
    /// RewardsCoordinator: an amount above the maximum a submission may carry.
    error AmountTooLarge(uint256 amount, uint256 max);
    /// An empty list where at least one entry is required.
    error EmptyInput();
    /// RewardsCoordinator: operators must be strictly ascending; `index` is the first one that is not.
    error OperatorsNotSorted(uint256 index);
    /// RewardsCoordinator: the root's calculation end is not after the previous one or is in the future.
    error InvalidCalculationEnd(uint64 end, uint64 previous, uint64 now);
    /// RewardsCoordinator: the root is not active until `activatedAt`.
    error RootNotActive(uint32 rootIndex, uint64 activatedAt);
    /// RewardsCoordinator: the root was disabled.
    error RootDisabled(uint32 rootIndex);
    /// RewardsCoordinator: the root index does not exist.
    error RootNotFound(uint32 rootIndex);
    /// RewardsCoordinator: the root is already active and cannot be disabled.
    error RootAlreadyActive(uint32 rootIndex);
    /// RewardsCoordinator: the earner leaf is not in the root at its index.
    error InvalidEarnerProof(address earner);
    /// RewardsCoordinator: the token leaf is not in the earner's token root at its index.
    error InvalidTokenProof(address earner, address token);
    /// RewardsCoordinator: a leaf index is out of range for its proof.
    error LeafIndexOutOfRange(uint32 index);
    /// RewardsCoordinator: nothing left to claim for this token.
    error NothingToClaim(address earner, address token);
    /// RewardsCoordinator: the caller is neither the earner nor its claimer.
    error ClaimerMismatch(address caller, address claimer);
    /// RewardsCoordinator: the operator's previous split change is not active yet.
    error SplitChangePending(address operator, address avs, uint64 activatedAt);
    /// A basis-point value above its maximum.
    error BipsTooHigh(uint16 bips, uint16 max);

    /// LrtVault: the deposit would exceed the vault's cap.
    error VaultCapExceeded(uint256 cap, uint256 totalAssetsAfter);
    /// LrtVault: the request is not claimable (yet).
    error RequestNotClaimable(uint256 requestId);
    /// LrtVault: the caller may not act for the controller.
    error NotControllerOrOperator(address caller, address controller);
    /// LrtVault: more than the owner holds (or, for a claim, than the controller may claim).
    error InsufficientBalance(address owner, uint256 have, uint256 want);
    /// LrtVault: more shares than the spender is allowed to move for the owner.
    error InsufficientAllowance(address owner, address spender, uint256 have, uint256 want);
    /// LrtVault: a deposit too small to mint a single share.
    error ZeroShares(uint256 assets);
    /// LrtVault: after the strategy's rounding, the staked assets cover only `covered` of the
    /// `shares` asked to mint.
    error DepositShortfall(uint256 shares, uint256 covered);
    /// LrtVault: the controller's earlier request (another batch) must be claimed first.
    error RequestPending(address controller, uint256 requestId);
    /// LrtVault: the batch is not waiting for completion (0 open, 1 queued, 2 completed).
    error BatchNotQueued(uint256 batchId, uint8 state);
    /// LrtVault: the open batch may not be processed by the caller yet.
    error BatchNotDue(uint256 batchId, uint64 dueAt);
    /// LrtVault: a reward claim may only pay the vault's own asset.
    error UnsupportedRewardToken(address token);
    /// LrtVault: the fee shares would be worth more than the fee the reward allows.
    error FeeExceedsReward(uint256 feeValue, uint256 maxFee);
    /// LrtVault: a profit unlock period of zero or above the maximum.
    error InvalidUnlockPeriod(uint32 period, uint32 max);
    /// LrtVault: redemption is asynchronous; there is nothing to preview.
    error AsyncRedeemOnly();
    /// A core's extension (or other module) address holds no code: every call it routes there
    /// would succeed and do nothing.
    error ModuleWithoutCode(address module);
    /// DelegationManager: a withdrawal delay of zero or above the maximum.
    error InvalidWithdrawalDelay(uint64 delay, uint64 max);
    /// AllocationManager: a deallocation delay shorter than the DelegationManager's withdrawal
    /// delay (stake could leave a set before its queued withdrawals stop being slashable).
    error DeallocationDelayTooShort(uint64 deallocationDelay, uint64 withdrawalDelay);
    /// DelegationManager: a deposit would set a zero deposit scaling factor.
    error InvalidDepositScalingFactor();
    /// A token transfer delivered less than it stated (fee on transfer).
    error TransferShortfall(address token, uint256 expected, uint256 received);
    /// LrtVault: the vault is delegated already (to `operator`).
    error OperatorAlreadySet(address operator);
    /// LrtVault: the DelegationManager queued the vault's withdrawal `nonce` (a forced
    /// undelegation) and the vault has not recorded it yet (`recordWithdrawal`, anyone).
    error UnrecordedWithdrawal(uint256 nonce);
    /// LrtVault: the withdrawal is not the vault's next unrecorded pending withdrawal.
    error NotVaultWithdrawal(bytes32 root);
    /// LrtVault: no recorded withdrawal with this nonce is pending.
    error WithdrawalNotRecorded(uint256 nonce);
    /// LrtVault: the batch is worth `needed` but only `available` can be withdrawn now (the rest
    /// waits in a recorded withdrawal; complete it first).
    error InsufficientLiquidity(uint256 needed, uint256 available);

    // ───────────────────────────── events ─────────────────────────────

    event OwnershipTransferStarted(address indexed previousOwner, address indexed newOwner);
    event OwnershipTransferred(address indexed previousOwner, address indexed newOwner);
    event PauserSet(address indexed pauser, bool allowed);
    event Paused(address indexed account, uint256 newPausedStatus);
    event Unpaused(address indexed account, uint256 newPausedStatus);
    /// A contract's peers were set (unused slots are zero).
    event Initialized(address peer1, address peer2, address peer3);

    // StrategyManager
    event StrategyWhitelistSet(address indexed strategy, bool whitelisted);
    event DepositCapSet(address indexed strategy, uint256 cap);
    event Deposit(address indexed staker, address indexed strategy, uint256 amount, uint256 shares);
    event DepositSharesRemoved(address indexed staker, address indexed strategy, uint256 shares);
    event DepositSharesAdded(address indexed staker, address indexed strategy, uint256 shares);
    event SharesWithdrawnAsTokens(address indexed recipient, address indexed strategy, uint256 shares, uint256 amount);
    event SlashedSharesRecorded(address indexed avs, uint32 operatorSetId, uint256 indexed slashId, address indexed strategy, uint256 shares);
    event SlashedSharesCleared(address indexed avs, uint32 operatorSetId, uint256 indexed slashId, address indexed strategy, address recipient, uint256 shares, uint256 amount);

    // DelegationManager
    event OperatorRegistered(address indexed operator, address delegationApprover);
    event OperatorDetailsModified(address indexed operator, address delegationApprover);
    event OperatorMetadataUriUpdated(address indexed operator, string metadataUri);
    event StakerDelegated(address indexed staker, address indexed operator);
    event StakerUndelegated(address indexed staker, address indexed operator);
    event StakerForceUndelegated(address indexed staker, address indexed operator);
    event OperatorSharesIncreased(address indexed operator, address staker, address strategy, uint256 shares);
    event OperatorSharesDecreased(address indexed operator, address staker, address strategy, uint256 shares);
    event OperatorSharesSlashed(address indexed operator, address strategy, uint256 totalSlashedShares);
    event DepositScalingFactorUpdated(address indexed staker, address strategy, uint256 newDepositScalingFactor);
    event WithdrawalQueued(bytes32 indexed withdrawalRoot, Withdrawal withdrawal, uint256[] sharesToWithdraw);
    event WithdrawalCompleted(bytes32 indexed withdrawalRoot, bool receiveAsTokens);

    // AllocationManager
    event AvsMetadataUriUpdated(address indexed avs, string metadataUri);
    event AvsRegistrarSet(address indexed avs, address registrar);
    event OperatorSetCreated(address indexed avs, uint32 operatorSetId, address redistributionRecipient);
    event StrategyAddedToOperatorSet(address indexed avs, uint32 operatorSetId, address strategy);
    event StrategyRemovedFromOperatorSet(address indexed avs, uint32 operatorSetId, address strategy);
    event OperatorAddedToOperatorSet(address indexed operator, address indexed avs, uint32 operatorSetId);
    event OperatorRemovedFromOperatorSet(address indexed operator, address indexed avs, uint32 operatorSetId, uint64 slashableUntil);
    event AllocationDelaySet(address indexed operator, uint32 delay, uint64 effectTimestamp);
    event AllocationUpdated(address indexed operator, address indexed avs, uint32 operatorSetId, address strategy, uint64 magnitude, uint64 effectTimestamp);
    event EncumberedMagnitudeUpdated(address indexed operator, address strategy, uint64 encumberedMagnitude);
    event MaxMagnitudeUpdated(address indexed operator, address strategy, uint64 maxMagnitude);
    event OperatorSlashed(address indexed operator, address indexed avs, uint32 operatorSetId, uint256 slashId, address[] strategies, uint256[] wadSlashed, string description);

    // Slasher
    event SlasherConfigQueued(address indexed avs, uint32 operatorSetId, SlasherConfig config, uint64 effectTimestamp);
    event SlashRequested(uint256 indexed requestId, address indexed avs, uint32 operatorSetId, address indexed operator, address[] strategies, uint256[] wads, string description, address resolver, uint64 vetoDeadline);
    event SlashVetoed(uint256 indexed requestId, address resolver);
    event SlashCancelled(uint256 indexed requestId);
    event SlashExecuted(uint256 indexed requestId, address indexed operator, address indexed avs, uint32 operatorSetId, address[] strategies, uint256[] wads, uint256[] sharesSlashed, string description);

    // RewardsCoordinator
    event AvsRewardsSubmissionCreated(address indexed avs, uint256 indexed submissionNonce, bytes32 indexed submissionHash, RewardsSubmission submission);
    event OperatorDirectedRewardsSubmissionCreated(address indexed avs, uint256 indexed submissionNonce, bytes32 indexed submissionHash, OperatorDirectedRewardsSubmission submission);
    event RewardsUpdaterSet(address indexed updater);
    event DistributionRootSubmitted(uint32 indexed rootIndex, bytes32 indexed root, uint64 rewardsCalculationEndTimestamp, uint64 activatedAt);
    event DistributionRootDisabled(uint32 indexed rootIndex);
    event ClaimerForSet(address indexed earner, address indexed claimer);
    event RewardsClaimed(bytes32 root, address indexed earner, address indexed claimer, address indexed recipient, address token, uint256 claimedAmount);
    event OperatorAvsSplitSet(address indexed operator, address indexed avs, uint16 newSplitBips, uint64 activatedAt);

    // ───────────────────────────── interfaces ─────────────────────────────

    /// Owner (two-step) and pause administration shared by every protocol contract.
    interface IAdmin {
        function owner() external view returns (address);
        function pendingOwner() external view returns (address);
        function transferOwnership(address newOwner) external;
        function acceptOwnership() external;
        function setPauser(address pauser, bool allowed) external;
        function isPauser(address account) external view returns (bool);
        function pause(uint256 bits) external;
        function unpause(uint256 bits) external;
        function paused() external view returns (uint256);
    }

    /// StrategyManager (DESIGN §5.1).
    interface IStrategyManager {
        function initialize(address delegationManager, address allocationManager) external;
        function delegationManager() external view returns (address);
        function allocationManager() external view returns (address);
        function setStrategyWhitelist(address strategy, bool whitelisted) external;
        function setDepositCap(address strategy, uint256 cap) external;
        function deposit(address strategy, uint256 amount) external returns (uint256 shares);
        function depositWithSignature(address strategy, uint256 amount, address staker, uint256 expiry, bytes signature) external returns (uint256 shares);
        function depositWithPermit(address strategy, uint256 amount, uint256 deadline, uint8 v, bytes32 r, bytes32 s) external returns (uint256 shares);
        function removeDepositShares(address staker, address strategy, uint256 shares) external returns (uint256 remaining);
        function addShares(address staker, address strategy, uint256 shares) external returns (uint256 previous);
        function withdrawSharesAsTokens(address recipient, address strategy, uint256 shares) external returns (uint256 amount);
        function increaseBurnOrRedistributableShares(OperatorSet operatorSet, uint256 slashId, address strategy, uint256 shares) external;
        function clearSlashed(OperatorSet operatorSet, uint256 slashId, address strategy) external returns (uint256 amount);
        function slashedShares(OperatorSet operatorSet, uint256 slashId, address strategy) external view returns (uint256);
        function isWhitelisted(address strategy) external view returns (bool);
        function depositCap(address strategy) external view returns (uint256);
        function totalShares(address strategy) external view returns (uint256);
        function depositShares(address staker, address strategy) external view returns (uint256);
        function stakerStrategies(address staker) external view returns (address[]);
        function sharesToTokens(address strategy, uint256 shares) external view returns (uint256);
        function tokensToShares(address strategy, uint256 amount) external view returns (uint256);
        function nonces(address staker) external view returns (uint256);
        function domainSeparator() external view returns (bytes32);
    }

    /// DelegationManager (DESIGN §5.2).
    interface IDelegationManager {
        function initialize(address strategyManager, address allocationManager) external;
        function extension() external view returns (address);
        function registerAsOperator(address delegationApprover, uint32 allocationDelay, string metadataUri) external;
        function modifyOperatorDetails(address delegationApprover) external;
        function updateMetadataUri(string metadataUri) external;
        function delegateTo(address operator, SignatureWithExpiry approverSignature, bytes32 approverSalt) external;
        function undelegate(address staker) external returns (bytes32[] withdrawalRoots);
        function redelegate(address newOperator, SignatureWithExpiry approverSignature, bytes32 approverSalt) external returns (bytes32[] withdrawalRoots);
        function queueWithdrawals(QueuedWithdrawalParams[] params) external returns (bytes32[] withdrawalRoots);
        function completeQueuedWithdrawal(Withdrawal withdrawal, bool receiveAsTokens) external;
        function completeQueuedWithdrawals(Withdrawal[] withdrawals, bool[] receiveAsTokens) external;
        function increaseDelegatedShares(address staker, address strategy, uint256 prevDepositShares, uint256 addedShares) external;
        function slashOperatorShares(address operator, OperatorSet operatorSet, uint256 slashId, address strategy, uint64 prevMaxMagnitude, uint64 newMaxMagnitude) external returns (uint256 totalSlashed);
        function isOperator(address account) external view returns (bool);
        function delegatedTo(address staker) external view returns (address);
        function delegationApprover(address operator) external view returns (address);
        function operatorShares(address operator, address strategy) external view returns (uint256);
        function depositScalingFactor(address staker, address strategy) external view returns (uint256);
        function withdrawableShares(address staker, address[] strategies) external view returns (uint256[]);
        function queuedWithdrawals(address staker) external view returns (QueuedWithdrawal[]);
        function withdrawalRoot(Withdrawal withdrawal) external view returns (bytes32);
        function isPendingWithdrawal(bytes32 root) external view returns (bool);
        function cumulativeWithdrawalsQueued(address staker) external view returns (uint256);
        function slashableSharesInQueue(address operator, address strategy) external view returns (uint256);
        function queuedSharesInWindow(address operator, address strategy) external view returns (uint256 scaledShares, uint256 count);
        function approverSaltSpent(address approver, bytes32 salt) external view returns (bool);
        function delegationApprovalDigest(address approver, address staker, address operator, bytes32 salt, uint256 expiry) external view returns (bytes32);
        function withdrawalDelay() external view returns (uint64);
    }

    /// AllocationManager (DESIGN §5.3).
    interface IAllocationManager {
        function initialize(address delegationManager, address slasher) external;
        function extension() external view returns (address);
        function updateAvsMetadataUri(address avs, string metadataUri) external;
        function setAvsRegistrar(address avs, address registrar) external;
        function createOperatorSets(address avs, CreateSetParams[] params) external;
        function addStrategiesToOperatorSet(address avs, uint32 operatorSetId, address[] strategies) external;
        function removeStrategiesFromOperatorSet(address avs, uint32 operatorSetId, address[] strategies) external;
        function registerForOperatorSets(address operator, address avs, uint32[] operatorSetIds, bytes data) external;
        function deregisterFromOperatorSets(address operator, address avs, uint32[] operatorSetIds) external;
        function setAllocationDelay(address operator, uint32 delay) external;
        function modifyAllocations(address operator, AllocateParams[] params) external;
        function clearDeallocationQueue(address operator, address[] strategies, uint16[] numToClear) external;
        function applySlash(address avs, SlashingParams params) external returns (SlashOutcome outcome);
        function previewSlash(address avs, SlashingParams params) external view returns (SlashOutcome outcome);
        function checkSlash(address avs, SlashingParams params) external view;
        function isAvs(address avs) external view returns (bool);
        function getAvsRegistrar(address avs) external view returns (address);
        function isOperatorSet(OperatorSet operatorSet) external view returns (bool);
        function getRedistributionRecipient(OperatorSet operatorSet) external view returns (address);
        function getStrategiesInOperatorSet(OperatorSet operatorSet) external view returns (address[]);
        function getMembers(OperatorSet operatorSet) external view returns (address[]);
        function isMemberOfOperatorSet(address operator, OperatorSet operatorSet) external view returns (bool);
        function isOperatorSlashable(address operator, OperatorSet operatorSet) external view returns (bool);
        function getAllocationDelay(address operator) external view returns (bool isSet, uint32 delay);
        function getAllocation(address operator, OperatorSet operatorSet, address strategy) external view returns (Allocation);
        function getMaxMagnitude(address operator, address strategy) external view returns (uint64);
        function getMaxMagnitudeAt(address operator, address strategy, uint64 timestamp) external view returns (uint64);
        function getEncumberedMagnitude(address operator, address strategy) external view returns (uint64);
        function getAllocatableMagnitude(address operator, address strategy) external view returns (uint64);
        function getAllocatedStake(OperatorSet operatorSet, address[] operators, address[] strategies) external view returns (uint256[][]);
        function getMinimumSlashableStake(OperatorSet operatorSet, address[] operators, address[] strategies, uint64 futureTimestamp) external view returns (uint256[][]);
        function getSlashCount(OperatorSet operatorSet) external view returns (uint256);
    }

    /// Slasher (DESIGN §5.4).
    interface ISlasher {
        function setSlasherConfig(uint32 operatorSetId, SlasherConfig config) external;
        function getSlasherConfig(OperatorSet operatorSet) external view returns (SlasherConfig current, SlasherConfig pending, uint64 effectTimestamp);
        function slash(OperatorSet operatorSet, address operator, address[] strategies, uint256[] wads, string description) external returns (SlashOutcome outcome);
        function requestSlash(OperatorSet operatorSet, address operator, address[] strategies, uint256[] wads, string description) external returns (uint256 requestId);
        function vetoSlash(uint256 requestId) external;
        function cancelSlash(uint256 requestId) external;
        function executeSlash(uint256 requestId, OperatorSet operatorSet, address operator, address[] strategies, uint256[] wads, string description) external returns (SlashOutcome outcome);
        function getSlashRequest(uint256 requestId) external view returns (SlashRequest);
        function getSlashedWad(OperatorSet operatorSet, address operator, address strategy) external view returns (uint256 usedWad, uint256 maxWad);
        function allocationManager() external view returns (address);
        function withdrawalDelay() external view returns (uint64);
    }

    /// RewardsCoordinator (DESIGN §5.5).
    interface IRewardsCoordinator {
        function createAvsRewardsSubmission(RewardsSubmission[] submissions) external;
        function createOperatorDirectedRewardsSubmission(address avs, OperatorDirectedRewardsSubmission[] submissions) external;
        function setRewardsUpdater(address updater) external;
        function submitRoot(bytes32 root, uint64 rewardsCalculationEndTimestamp) external;
        function disableRoot(uint32 rootIndex) external;
        function setClaimerFor(address claimer) external;
        function setOperatorAvsSplit(address operator, address avs, uint16 splitBips) external;
        function processClaim(RewardsMerkleClaim claim, address recipient) external;
        function processClaims(RewardsMerkleClaim[] claims, address recipient) external;
        function checkClaim(RewardsMerkleClaim claim) external view returns (bool);
        function strategyManager() external view returns (address);
        function rewardsUpdater() external view returns (address);
        function rewardsParameters() external view returns (RewardsParameters);
        function submissionNonce(address avs) external view returns (uint256);
        function getDistributionRoot(uint32 rootIndex) external view returns (DistributionRoot);
        function getDistributionRootsLength() external view returns (uint256);
        function currRewardsCalculationEndTimestamp() external view returns (uint64);
        function cumulativeClaimed(address earner, address token) external view returns (uint256);
        function claimerFor(address earner) external view returns (address);
        function getOperatorAvsSplit(address operator, address avs) external view returns (uint16);
        function calculateEarnerLeafHash(EarnerTreeMerkleLeaf leaf) external view returns (bytes32);
        function calculateTokenLeafHash(TokenTreeMerkleLeaf leaf) external view returns (bytes32);
    }

    /// LrtVault (DESIGN §5.6): ERC-20 + ERC-4626 deposits + ERC-7540 async redemption.
    interface ILrtVault {
        event Transfer(address indexed from, address indexed to, uint256 value);
        event Approval(address indexed owner, address indexed spender, uint256 value);
        event Deposit(address indexed sender, address indexed owner, uint256 assets, uint256 shares);
        event Withdraw(address indexed sender, address indexed receiver, address indexed owner, uint256 assets, uint256 shares);
        event RedeemRequest(address indexed controller, address indexed owner, uint256 indexed requestId, address sender, uint256 shares);
        event OperatorSet(address indexed controller, address indexed operator, bool approved);
        event BatchQueued(uint256 indexed batchId, bytes32 withdrawalRoot, uint256 shares);
        event BatchCompleted(uint256 indexed batchId, uint256 assets);
        event PerformanceFeeMinted(address indexed treasury, uint256 reward, uint256 feeShares);
        event CuratorSet(address indexed curator);
        event TreasurySet(address indexed treasury);
        event PerformanceFeeSet(uint16 feeBips);
        event VaultCapSet(uint256 cap);
        event WithdrawalRecorded(uint256 indexed nonce, address operator, uint256 scaledShares);
        event RecordedWithdrawalCompleted(uint256 indexed nonce, uint256 depositShares);
        event ProfitLocked(uint256 profit, uint256 lockedShares, uint64 fullyUnlockedAt);

        function name() external view returns (string);
        function symbol() external view returns (string);
        function decimals() external view returns (uint8);
        function totalSupply() external view returns (uint256);
        function balanceOf(address account) external view returns (uint256);
        function allowance(address owner, address spender) external view returns (uint256);
        function approve(address spender, uint256 value) external returns (bool);
        function transfer(address to, uint256 value) external returns (bool);
        function transferFrom(address from, address to, uint256 value) external returns (bool);
        function asset() external view returns (address);
        function share() external view returns (address);
        function totalAssets() external view returns (uint256);
        function convertToShares(uint256 assets) external view returns (uint256);
        function convertToAssets(uint256 shares) external view returns (uint256);
        function maxDeposit(address receiver) external view returns (uint256);
        function previewDeposit(uint256 assets) external view returns (uint256);
        function deposit(uint256 assets, address receiver) external returns (uint256 shares);
        function maxMint(address receiver) external view returns (uint256);
        function previewMint(uint256 shares) external view returns (uint256);
        function mint(uint256 shares, address receiver) external returns (uint256 assets);
        function maxWithdraw(address controller) external view returns (uint256);
        function maxRedeem(address controller) external view returns (uint256);
        function previewWithdraw(uint256 assets) external view returns (uint256);
        function previewRedeem(uint256 shares) external view returns (uint256);
        function withdraw(uint256 assets, address receiver, address controller) external returns (uint256 shares);
        function redeem(uint256 shares, address receiver, address controller) external returns (uint256 assets);
        function requestRedeem(uint256 shares, address controller, address owner) external returns (uint256 requestId);
        function pendingRedeemRequest(uint256 requestId, address controller) external view returns (uint256 shares);
        function claimableRedeemRequest(uint256 requestId, address controller) external view returns (uint256 shares);
        function setOperator(address operator, bool approved) external returns (bool);
        function isOperator(address controller, address operator) external view returns (bool);
        function supportsInterface(bytes4 interfaceId) external view returns (bool);
        function getRate() external view returns (uint256);
        function processBatch() external returns (uint256 batchId);
        function completeBatch(uint256 batchId) external;
        function claimAndRestakeRewards(RewardsMerkleClaim claim) external;
        function setCuratorOperator(address operator, SignatureWithExpiry approverSignature, bytes32 approverSalt) external;
        function undelegateVault() external;
        function recordWithdrawal(address operator, uint64 startTimestamp, uint256 scaledShares) external;
        function completeRecordedWithdrawal(uint256 nonce) external;
        function recordedWithdrawalCount() external view returns (uint256);
        function recordedWithdrawal(uint256 index) external view returns (uint256 nonce, address operator, uint64 startTimestamp, uint256 scaledShares);
        function setPerformanceFee(uint16 feeBips) external;
        function setDepositCap(uint256 cap) external;
        function setCurator(address curator) external;
        function setTreasury(address treasury) external;
        function curator() external view returns (address);
        function treasury() external view returns (address);
        function performanceFee() external view returns (uint16);
        function depositCap() external view returns (uint256);
        function delegatedOperator() external view returns (address);
        function idleAssets() external view returns (uint256);
        function currentBatch() external view returns (uint256);
        function getBatch(uint256 batchId) external view returns (LrtBatch);
        function redeemRequest(address controller) external view returns (LrtRequest);
        function extension() external view returns (address);
        function adminModule() external view returns (address);
        function viewsModule() external view returns (address);
        function lockedProfit() external view returns (uint256 shares, uint256 assets, uint64 fullyUnlockedAt);
        function profitUnlockPeriod() external view returns (uint32);
    }

    /// ERC-20 as the protocol calls it.
    interface IERC20 {
        event Transfer(address indexed from, address indexed to, uint256 value);
        event Approval(address indexed owner, address indexed spender, uint256 value);

        function totalSupply() external view returns (uint256);
        function balanceOf(address account) external view returns (uint256);
        function transfer(address to, uint256 value) external returns (bool);
        function transferFrom(address from, address to, uint256 value) external returns (bool);
        function approve(address spender, uint256 value) external returns (bool);
        function allowance(address owner, address spender) external view returns (uint256);
        function decimals() external view returns (uint8);
    }

    /// ERC-2612 permit.
    interface IERC20Permit {
        function permit(address owner, address spender, uint256 value, uint256 deadline, uint8 v, bytes32 r, bytes32 s) external;
        function nonces(address owner) external view returns (uint256);
        function DOMAIN_SEPARATOR() external view returns (bytes32);
    }

    /// EIP-1271 contract signatures: a valid signature returns `0x1626ba7e`.
    interface IERC1271 {
        function isValidSignature(bytes32 hash, bytes signature) external view returns (bytes4 magicValue);
    }

    /// An AVS's registrar: reverts to reject an operator.
    interface IAvsRegistrar {
        function registerOperator(address operator, address avs, uint32[] operatorSetIds, bytes data) external;
        function deregisterOperator(address operator, address avs, uint32[] operatorSetIds) external;
        function supportsAvs(address avs) external view returns (bool);
    }
}
    };
}

#[cfg(feature = "export-abi")]
protocol_abi!(abi);
#[cfg(not(feature = "export-abi"))]
protocol_abi!();

/// The index of the first item that is not strictly above the one before it (out of order or
/// repeated), or `None` when the items are strictly ascending: the ordering rule of every
/// strategy and operator list.
pub fn first_unsorted<T: PartialOrd>(items: impl IntoIterator<Item = T>) -> Option<usize> {
    let mut items = items.into_iter();
    let mut previous = items.next()?;
    for (i, item) in items.enumerate() {
        if item <= previous {
            return Some(i + 1);
        }
        previous = item;
    }
    None
}

impl StrategiesNotSorted {
    /// Fails at the first strategy that is not above the one before it (out of order or
    /// repeated).
    ///
    /// # Errors
    /// `StrategiesNotSorted { index }` with that strategy's index.
    pub fn check(strategies: &[alloy_primitives::Address]) -> Result<(), Self> {
        match first_unsorted(strategies) {
            Some(i) => Err(Self {
                index: alloy_primitives::U256::from(i),
            }),
            None => Ok(()),
        }
    }
}

/// EIP-1271's magic value for a valid signature: `bytes4(keccak256("isValidSignature(bytes32,bytes)"))`.
pub const ERC1271_MAGIC_VALUE: [u8; 4] = [0x16, 0x26, 0xba, 0x7e];

/// Implements Stylus' `AbiType` for ABI structs with their Solidity *tuple* signature.
///
/// stylus-sdk 0.9's `#[derive(AbiType)]` puts the struct's name into function selectors
/// (`f(OperatorSet)`), while Solidity and every ABI library hash the tuple (`f((address,uint32))`):
/// a derived struct parameter would make the method unreachable for real callers. The test
/// `struct_selectors_match_solidity` checks each signature below against alloy's selectors.
macro_rules! abi_tuple {
    ($($ty:ident => $sig:literal),* $(,)?) => {
        /// Each ABI struct's name with its Solidity tuple signature.
        pub const STRUCT_TUPLES: &[(&str, &str)] = &[$((stringify!($ty), $sig)),*];
        $(
        impl AbiType for $ty {
            type SolType = Self;
            const ABI: ConstString = ConstString::new($sig);
            const EXPORT_ABI_ARG: ConstString = ConstString::new(concat!(stringify!($ty), " calldata"));
            const EXPORT_ABI_RET: ConstString = ConstString::new(concat!(stringify!($ty), " memory"));
        }

        // Needed of returned types; the definitions themselves come from `export`.
        #[cfg(feature = "export-abi")]
        impl stylus_sdk::abi::export::internal::InnerTypes for $ty {}
    )*};
}

abi_tuple! {
    OperatorSet => "(address,uint32)",
    SignatureWithExpiry => "(bytes,uint256)",
    QueuedWithdrawalParams => "(address[],uint256[])",
    Withdrawal => "(address,address,uint256,uint64,address[],uint256[])",
    QueuedWithdrawal => "((address,address,uint256,uint64,address[],uint256[]),uint256[])",
    AllocateParams => "((address,uint32),address[],uint64[])",
    Allocation => "(uint64,int128,uint64)",
    CreateSetParams => "(uint32,address[],address)",
    SlashingParams => "(address,uint32,address[],uint256[],string)",
    SlashOutcome => "(uint256,uint64[],uint256[])",
    SlasherConfig => "(address,uint8,address,uint64,uint256,uint64)",
    SlashRequest => "(address,address,uint64,uint64,uint64,uint8)",
    StrategyAndMultiplier => "(address,uint96)",
    RewardsSubmission => "((address,uint96)[],address,uint256,uint64,uint64)",
    OperatorReward => "(address,uint256)",
    OperatorDirectedRewardsSubmission => "((address,uint96)[],address,(address,uint256)[],uint64,uint64)",
    RewardsParameters => "(uint32,uint32,uint32,uint32,uint32,uint32)",
    DistributionRoot => "(bytes32,uint64,uint64,bool)",
    EarnerTreeMerkleLeaf => "(address,bytes32)",
    TokenTreeMerkleLeaf => "(address,uint256)",
    RewardsMerkleClaim => "(uint32,uint32,bytes,(address,bytes32),uint32[],bytes[],(address,uint256)[])",
    LrtBatch => "(uint256,uint256,uint256,uint256,address,uint64,uint64,uint32,uint8,uint256)",
    LrtRequest => "(uint256,uint256,uint256)",
}

/// The root a queued withdrawal is stored under in the DelegationManager:
/// `keccak256(abi.encode(withdrawal))`.
#[must_use]
pub fn withdrawal_root(withdrawal: &Withdrawal) -> alloy_primitives::B256 {
    alloy_primitives::keccak256(alloy_sol_types::SolValue::abi_encode(withdrawal))
}

/// The storage key of operator set `(avs, id)`: `avs ‖ uint96(id)`.
#[must_use]
pub fn set_key(avs: alloy_primitives::Address, id: u32) -> alloy_primitives::B256 {
    let mut key = [0u8; 32];
    key[..20].copy_from_slice(avs.as_slice());
    key[28..].copy_from_slice(&id.to_be_bytes());
    alloy_primitives::B256::from(key)
}

/// The id of a slash request: `uint256(keccak256(abi.encodePacked(applySlashCalldata,
/// uint64(requestedAt))))`, where `applySlashCalldata` is
/// `abi.encodeCall(IAllocationManager.applySlash, (avs, params))` — the call the request's
/// execution makes — and `requestedAt` the request's timestamp.
#[must_use]
pub fn slash_request_id(apply_slash_calldata: &[u8], requested_at: u64) -> alloy_primitives::U256 {
    let mut buf = alloc::vec::Vec::with_capacity(apply_slash_calldata.len() + 8);
    buf.extend_from_slice(apply_slash_calldata);
    buf.extend_from_slice(&requested_at.to_be_bytes());
    alloy_primitives::keccak256(&buf).into()
}

#[cfg(test)]
mod tests {
    use alloc::{format, vec};

    use alloy_sol_types::SolCall;

    use super::*;

    fn abi<T: AbiType>() -> &'static str {
        T::ABI.as_str()
    }

    #[test]
    fn strategies_must_be_strictly_ascending() {
        let [a, b, c] = [1, 2, 3].map(alloy_primitives::Address::repeat_byte);
        assert!(StrategiesNotSorted::check(&[]).is_ok());
        assert!(StrategiesNotSorted::check(&[a, b, c]).is_ok());
        for (list, index) in [(vec![a, c, b], 2u8), (vec![a, a], 1), (vec![b, a, c], 1)] {
            let err = StrategiesNotSorted::check(&list).unwrap_err();
            assert_eq!(err.index, alloy_primitives::U256::from(index));
        }
    }

    #[test]
    fn struct_selectors_match_solidity() {
        let cases = [
            (
                IStrategyManager::clearSlashedCall::SIGNATURE,
                format!("clearSlashed({},uint256,address)", abi::<OperatorSet>()),
            ),
            (
                IDelegationManager::delegateToCall::SIGNATURE,
                format!(
                    "delegateTo(address,{},bytes32)",
                    abi::<SignatureWithExpiry>()
                ),
            ),
            (
                IDelegationManager::queueWithdrawalsCall::SIGNATURE,
                format!("queueWithdrawals({}[])", abi::<QueuedWithdrawalParams>()),
            ),
            (
                IDelegationManager::completeQueuedWithdrawalCall::SIGNATURE,
                format!("completeQueuedWithdrawal({},bool)", abi::<Withdrawal>()),
            ),
            (
                IAllocationManager::modifyAllocationsCall::SIGNATURE,
                format!("modifyAllocations(address,{}[])", abi::<AllocateParams>()),
            ),
            (
                IAllocationManager::createOperatorSetsCall::SIGNATURE,
                format!("createOperatorSets(address,{}[])", abi::<CreateSetParams>()),
            ),
            (
                IAllocationManager::applySlashCall::SIGNATURE,
                format!("applySlash(address,{})", abi::<SlashingParams>()),
            ),
            (
                ISlasher::setSlasherConfigCall::SIGNATURE,
                format!("setSlasherConfig(uint32,{})", abi::<SlasherConfig>()),
            ),
            (
                ISlasher::slashCall::SIGNATURE,
                format!(
                    "slash({},address,address[],uint256[],string)",
                    abi::<OperatorSet>()
                ),
            ),
            (
                ISlasher::executeSlashCall::SIGNATURE,
                format!(
                    "executeSlash(uint256,{},address,address[],uint256[],string)",
                    abi::<OperatorSet>()
                ),
            ),
            (
                ISlasher::getSlashedWadCall::SIGNATURE,
                format!("getSlashedWad({},address,address)", abi::<OperatorSet>()),
            ),
            (
                IAllocationManager::checkSlashCall::SIGNATURE,
                format!("checkSlash(address,{})", abi::<SlashingParams>()),
            ),
            (
                IRewardsCoordinator::createAvsRewardsSubmissionCall::SIGNATURE,
                format!(
                    "createAvsRewardsSubmission({}[])",
                    abi::<RewardsSubmission>()
                ),
            ),
            (
                IRewardsCoordinator::createOperatorDirectedRewardsSubmissionCall::SIGNATURE,
                format!(
                    "createOperatorDirectedRewardsSubmission(address,{}[])",
                    abi::<OperatorDirectedRewardsSubmission>()
                ),
            ),
            (
                IRewardsCoordinator::processClaimCall::SIGNATURE,
                format!("processClaim({},address)", abi::<RewardsMerkleClaim>()),
            ),
            (
                IRewardsCoordinator::calculateEarnerLeafHashCall::SIGNATURE,
                format!("calculateEarnerLeafHash({})", abi::<EarnerTreeMerkleLeaf>()),
            ),
            (
                IRewardsCoordinator::calculateTokenLeafHashCall::SIGNATURE,
                format!("calculateTokenLeafHash({})", abi::<TokenTreeMerkleLeaf>()),
            ),
        ];
        for (alloy, stylus) in cases {
            assert_eq!(alloy, stylus);
        }
        // Structs that only appear as return values: same tuple rule.
        assert_eq!(abi::<Allocation>(), "(uint64,int128,uint64)");
        assert_eq!(abi::<SlashOutcome>(), "(uint256,uint64[],uint256[])");
        assert_eq!(abi::<DistributionRoot>(), "(bytes32,uint64,uint64,bool)");
        assert_eq!(
            abi::<SlashRequest>(),
            "(address,address,uint64,uint64,uint64,uint8)"
        );
        assert_eq!(abi::<StrategyAndMultiplier>(), "(address,uint96)");
        assert_eq!(abi::<OperatorReward>(), "(address,uint256)");
    }
}
