//! LrtVault: a liquid restaking token for one liquid staking token (DESIGN §5.6).
//!
//! Holders deposit the asset and receive shares (an ERC-20 with the full ERC-4626 deposit
//! surface). The vault is a restaker like any other: every deposit goes straight into the
//! StrategyManager, and the curator delegates the vault's stake to an operator. Redemption
//! is asynchronous (ERC-7540): shares are requested into the open batch, a batch becomes one
//! DelegationManager withdrawal, anyone completes it after the withdrawal delay, and holders claim
//! with `redeem` / `withdraw`.
//!
//! Accounting (`V = 10^3` virtual shares against one virtual asset, the ERC-4626 decimals offset):
//! - `totalAssets = T = tokens(withdrawable shares of the vault) + idle`. Withdrawable shares come
//!   from the DelegationManager, so a slash of the operator lowers `T` at once, with nobody
//!   reporting it. `idle` and the batches' reserves are booked in units of `held`: while a
//!   negative rebase leaves the vault's balance below `held`, a unit is worth `balance/held` and
//!   every claim and idle share the loss (a claim pays the lower of its value at request, in
//!   assets, and what its batch's units are worth now); what claims leave behind stays booked
//!   (`unswept`) and, with a balance above `held` (a positive rebase, a donation), is swept into
//!   idle when a batch completes, as locked profit (so none of it moves the price at once).
//! - shares for assets `⌊a·(N+V)/(T+1)⌋`, assets for shares `⌊s·(T+1)/(N+V)⌋`, with `N` the supply;
//!   `mint` and the assets-for-shares of a claim round up against the caller (ERC-4626).
//! - A request locks the shares in the vault (they stay in `N` and keep riding the price) and
//!   records their value then. Processing burns the batch's shares and carves exactly their value
//!   out: from idle first, the rest as deposit shares chosen so the withdrawal can never pay more
//!   than that value. A queued withdrawal stays slashable, so a request made just before a slash
//!   still bears it.
//! - A claim pays `min(value at request, share of what the withdrawal realised)`, pro rata for a
//!   partial claim; the difference goes back to the holders (swept into `idle` as locked profit
//!   at the next batch completion), and so does the batch's rounding dust once its last share is
//!   claimed.
//! - Rewards (proved in the RewardsCoordinator, paid only in the asset) are restaked. The
//!   treasury gets `⌊f·(S+V)/(T'+1−f)⌋` shares for the fee `f = min(⌊reward·bips/10^4⌋, gain)`,
//!   `S` the shares and `T'` the total assets after the reward, so they are worth at most `f`
//!   once all profit is unlocked — checked after minting. For the rest, profit shares held by
//!   nobody are locked so that the price does not move: the price uses `N = S + L(now)`, `L`
//!   falling linearly to 0 over the unlock period fixed at construction (a second lock before
//!   the end unlocks the sum by a share-weighted date), so the profit reaches the price
//!   gradually, and being shares, the locked profit bears a slash or a negative rebase with
//!   every other share. Anyone may trigger a restake, so without the lock a deposit made just
//!   before would take rewards earned before it.
//!
//! A controller has one request at a time: it may add to it while its batch is open and must
//! claim it before requesting into a later batch. Only the controller or its ERC-7540 operator
//! opens or adds to its request, so nobody else can hold its redemption up.
//!
//! Delegation follows the DelegationManager (`delegatedTo(vault)`), never a cached field. The
//! operator or its approver may undelegate the vault by force: the DelegationManager then queues
//! all its deposit shares as a withdrawal only the vault can complete. Anyone records it
//! (`recordWithdrawal`; until then every action that prices the vault fails with
//! `UnrecordedWithdrawal` rather than read zero); while pending it counts in total assets at its
//! current value (a batch that does not fit in what can be withdrawn waits with
//! `InsufficientLiquidity`); after the delay anyone completes it back into the vault as deposit
//! shares, and the curator delegates the vault again. The curator moves the vault the same way
//! (`undelegateVault`, then `setCuratorOperator`).
//!
//! Roles: the owner (two-step; fee up to the fixed
//! 20% maximum, cap, curator, treasury), pausers (deposits, requests), the curator (the operator,
//! processing batches; after [`VAULT_BATCH_TIMEOUT`] anyone may process the open batch). Claims
//! and batch completion cannot be paused.
//!
//! Every public method runs load → authorise → check paused/state → change state → external
//! calls, except deposits and batch completion, which move tokens before minting or recording
//! what arrived (a reentrant call sees the state before the deposit, as in OpenZeppelin's
//! ERC-4626). The asset must transfer exact amounts: a fee on transfer is refused at the first
//! deposit (`TransferShortfall`). Rebasing is followed: the staked part through the
//! StrategyManager's live balance, the held part through `held` (above).
//!
//! Four modules of one crate: the core (ERC-20 transfers and balances, deposits, total assets) is
//! deployed at the vault's address; its fallback reaches the three others by
//! `DELEGATECALL` on the same storage: the views module (`--features views`: the selectors in
//! [`VIEW_SELECTORS`]: the claims and every other read-only method), the admin module (`--features admin`:
//! [`ADMIN_SELECTORS`]: mints, redemption requests, batch completion, settings, delegation,
//! recorded withdrawals, allowances, ERC-7540 operators) and the extension (`--features
//! extension`: processing batches, rewards, the owner and pausers).
#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
// `#[entrypoint]` generates public functions without docs; see strategy-manager.
#![allow(missing_docs)]
// Each module routes only part of the methods; helpers of the other part go unused there.
#![cfg_attr(
    any(feature = "extension", feature = "admin", feature = "views"),
    allow(dead_code)
)]
extern crate alloc;

#[cfg(test)]
mod tests;

use alloc::vec;

use alloy_primitives::{Address, FixedBytes, B256, U256, U64};
use alloy_sol_types::SolCall;
use restaking_abi::{
    abi::{
        ILrtVault::{
            BatchCompleted, BatchQueued, CuratorSet, Deposit, PerformanceFeeMinted,
            PerformanceFeeSet, ProfitLocked, RecordedWithdrawalCompleted, Transfer, TreasurySet,
            VaultCapSet, Withdraw, WithdrawalRecorded,
        },
        *,
    },
    admin::Admin,
    call,
    constants::{pause, BIPS, MAX_PERFORMANCE_FEE_BIPS, VAULT_BATCH_TIMEOUT, WAD},
    math::{self, Rounding},
    Small,
};
use stylus_sdk::{
    prelude::*,
    storage::{
        StorageAddress, StorageBool, StorageMap, StorageString, StorageU16, StorageU256,
        StorageU32, StorageU64, StorageU8, StorageVec,
    },
    stylus_core::log,
};

/// Virtual shares: `10^VAULT_DECIMALS_OFFSET`.
const VIRTUAL_SHARES: U256 = U256::from_limbs([1_000, 0, 0, 0]);

/// Batch states (0, the default, is open: taking requests).
/// Its withdrawal is queued in the DelegationManager.
const QUEUED: u8 = 1;
/// Its assets are in the vault; its requests are claimable.
const COMPLETED: u8 = 2;

/// Selectors the core hands to the admin module (every unknown one in neither list goes to the
/// extension).
pub const ADMIN_SELECTORS: [[u8; 4]; 13] = [
    ILrtVault::mintCall::SELECTOR,
    ILrtVault::completeBatchCall::SELECTOR,
    ILrtVault::requestRedeemCall::SELECTOR,
    ILrtVault::approveCall::SELECTOR,
    ILrtVault::setOperatorCall::SELECTOR,
    ILrtVault::setCuratorOperatorCall::SELECTOR,
    ILrtVault::setPerformanceFeeCall::SELECTOR,
    ILrtVault::setDepositCapCall::SELECTOR,
    ILrtVault::setCuratorCall::SELECTOR,
    ILrtVault::setTreasuryCall::SELECTOR,
    ILrtVault::undelegateVaultCall::SELECTOR,
    ILrtVault::recordWithdrawalCall::SELECTOR,
    ILrtVault::completeRecordedWithdrawalCall::SELECTOR,
];

/// Selectors the core hands to the views module (the two claims, then read-only methods).
pub const VIEW_SELECTORS: [[u8; 4]; 36] = [
    ILrtVault::withdrawCall::SELECTOR,
    ILrtVault::redeemCall::SELECTOR,
    ILrtVault::convertToSharesCall::SELECTOR,
    ILrtVault::convertToAssetsCall::SELECTOR,
    ILrtVault::previewDepositCall::SELECTOR,
    ILrtVault::previewMintCall::SELECTOR,
    ILrtVault::maxDepositCall::SELECTOR,
    ILrtVault::maxMintCall::SELECTOR,
    ILrtVault::nameCall::SELECTOR,
    ILrtVault::symbolCall::SELECTOR,
    ILrtVault::decimalsCall::SELECTOR,
    ILrtVault::allowanceCall::SELECTOR,
    ILrtVault::assetCall::SELECTOR,
    ILrtVault::maxWithdrawCall::SELECTOR,
    ILrtVault::maxRedeemCall::SELECTOR,
    ILrtVault::isOperatorCall::SELECTOR,
    ILrtVault::previewWithdrawCall::SELECTOR,
    ILrtVault::previewRedeemCall::SELECTOR,
    ILrtVault::pendingRedeemRequestCall::SELECTOR,
    ILrtVault::claimableRedeemRequestCall::SELECTOR,
    ILrtVault::supportsInterfaceCall::SELECTOR,
    ILrtVault::shareCall::SELECTOR,
    ILrtVault::getRateCall::SELECTOR,
    ILrtVault::curatorCall::SELECTOR,
    ILrtVault::treasuryCall::SELECTOR,
    ILrtVault::performanceFeeCall::SELECTOR,
    ILrtVault::depositCapCall::SELECTOR,
    ILrtVault::delegatedOperatorCall::SELECTOR,
    ILrtVault::recordedWithdrawalCountCall::SELECTOR,
    ILrtVault::recordedWithdrawalCall::SELECTOR,
    ILrtVault::idleAssetsCall::SELECTOR,
    ILrtVault::currentBatchCall::SELECTOR,
    ILrtVault::getBatchCall::SELECTOR,
    ILrtVault::redeemRequestCall::SELECTOR,
    ILrtVault::lockedProfitCall::SELECTOR,
    ILrtVault::profitUnlockPeriodCall::SELECTOR,
];

/// ERC-165 interface ids: ERC-165, ERC-7540 operators, ERC-7540 async redeem, ERC-7575.
const INTERFACE_IDS: [[u8; 4]; 4] = [
    [0x01, 0xff, 0xc9, 0xa7],
    [0xe3, 0xbc, 0x4e, 0x65],
    [0x62, 0x0e, 0xe8, 0xe4],
    [0x2f, 0x0a, 0x18, 0xc5],
];

/// Every way an LrtVault call can fail.
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
    /// Share or asset math overflowed.
    MathOverflow(MathOverflow),
    /// A peer contract reverted (its revert data inside).
    PeerCallFailed(PeerCallFailed),
    /// A token transfer failed (its revert data inside).
    TokenTransferFailed(TokenTransferFailed),
    /// Zero assets or shares.
    ZeroAmount(ZeroAmount),
    /// A deposit too small for one share.
    ZeroShares(ZeroShares),
    /// A mint whose staked assets are worth fewer shares than asked.
    DepositShortfall(DepositShortfall),
    /// Not enough shares (or claimable shares / assets).
    InsufficientBalance(InsufficientBalance),
    /// Not enough allowance.
    InsufficientAllowance(InsufficientAllowance),
    /// The deposit cap would be exceeded.
    VaultCapExceeded(VaultCapExceeded),
    /// The controller's request is not claimable.
    RequestNotClaimable(RequestNotClaimable),
    /// The controller has an unclaimed request in an earlier batch.
    RequestPending(RequestPending),
    /// The caller is neither the controller nor its operator.
    NotControllerOrOperator(NotControllerOrOperator),
    /// An empty batch.
    EmptyInput(EmptyInput),
    /// The open batch is not due for a caller other than the curator.
    BatchNotDue(BatchNotDue),
    /// The batch is not queued.
    BatchNotQueued(BatchNotQueued),
    /// A reward in another token than the asset.
    UnsupportedRewardToken(UnsupportedRewardToken),
    /// The fee shares would be worth more than the fee.
    FeeExceedsReward(FeeExceedsReward),
    /// A fee above the fixed maximum.
    BipsTooHigh(BipsTooHigh),
    /// Previews of asynchronous redemption.
    AsyncRedeemOnly(AsyncRedeemOnly),
    /// The vault is delegated already.
    OperatorAlreadySet(OperatorAlreadySet),
    /// A withdrawal queued for the vault by a forced undelegation is not recorded yet.
    UnrecordedWithdrawal(UnrecordedWithdrawal),
    /// Not the vault's next unrecorded pending withdrawal.
    NotVaultWithdrawal(NotVaultWithdrawal),
    /// No recorded withdrawal with this nonce.
    WithdrawalNotRecorded(WithdrawalNotRecorded),
    /// A batch worth more than can be withdrawn now.
    InsufficientLiquidity(InsufficientLiquidity),
    /// A module without code.
    ModuleWithoutCode(ModuleWithoutCode),
    /// A profit unlock period of zero or above the maximum.
    InvalidUnlockPeriod(InvalidUnlockPeriod),
    /// An asset transfer delivered less than it stated.
    TransferShortfall(TransferShortfall),
}

restaking_abi::contract_error_conversions!(Error);

/// A redemption batch: the requests of one period, one DelegationManager withdrawal.
#[storage]
pub struct Batch {
    /// Shares requested into it (burned when it is processed).
    shares: StorageU256,
    /// Shares not claimed yet.
    unclaimed: StorageU256,
    /// Assets it realised (idle part plus what the withdrawal paid), fixed at completion.
    assets: StorageU256,
    /// Assets not paid out or returned to the holders yet.
    reserve: StorageU256,
    /// The withdrawal (one slot): the operator the vault was delegated to when it was queued ...
    operator: StorageAddress,
    /// ... the queue time ...
    start: StorageU64,
    /// ... and the vault's withdrawal nonce.
    nonce: StorageU32,
    /// Time of its first request (one slot with the state).
    opened: StorageU64,
    /// `OPEN`, `QUEUED` or `COMPLETED`.
    state: StorageU8,
    /// Scaled shares of the withdrawal.
    scaled: StorageU256,
}

/// A withdrawal the DelegationManager queued for the vault outside its batches.
#[storage]
pub struct Recorded {
    /// The operator the vault was delegated to when it was queued ...
    operator: StorageAddress,
    /// ... the queue time ...
    start: StorageU64,
    /// ... and the vault's withdrawal nonce.
    nonce: StorageU32,
    /// Its scaled shares.
    scaled: StorageU256,
}

/// A controller's request.
#[storage]
pub struct Request {
    /// Its batch (0: none).
    batch: StorageU64,
    /// Shares requested and not claimed.
    shares: StorageU256,
    /// What they were worth when requested (less what was claimed).
    assets: StorageU256,
}

/// The LrtVault contract.
#[entrypoint]
#[storage]
pub struct LrtVault {
    /// Owner and pause bits.
    #[borrow]
    admin: Admin,
    /// The underlying LST (its StrategyManager strategy id).
    asset: StorageAddress,
    /// Peers, fixed at construction.
    strategy_manager: StorageAddress,
    /// DelegationManager.
    delegation_manager: StorageAddress,
    /// AllocationManager (max magnitudes).
    allocation_manager: StorageAddress,
    /// RewardsCoordinator.
    rewards_coordinator: StorageAddress,
    /// The extension module.
    extension: StorageAddress,
    /// The admin module.
    admin_module: StorageAddress,
    /// The views module.
    views_module: StorageAddress,
    /// Chooses the operator and processes batches.
    curator: StorageAddress,
    /// Receives the performance fee (one slot with the fee and the decimals).
    treasury: StorageAddress,
    /// Performance fee in basis points.
    fee_bips: StorageU16,
    /// Share decimals: the asset's plus the offset.
    decimals: StorageU8,
    /// The open batch (one slot with the withdrawal count).
    current_batch: StorageU64,
    /// DelegationManager withdrawals of the vault it accounts for (its batches and the recorded
    /// ones): the DelegationManager's nonce for the vault, unless a forced undelegation queued one
    /// the vault has not recorded yet.
    known: StorageU32,
    /// Seconds over which restaked rewards reach the share price, fixed at construction.
    unlock_period: StorageU32,
    /// When `locked` was last set (one slot with the batch, the count and the period) ...
    locked_at: StorageU64,
    /// ... and when all of it is unlocked.
    unlocked_at: StorageU64,
    /// Profit shares still locked at `locked_at` (held by nobody, counted in the supply the price
    /// uses); they unlock linearly until `unlocked_at`.
    locked: StorageU256,
    /// Withdrawals queued for the vault outside its batches (a forced undelegation, or the
    /// curator's `undelegateVault`), pending until completed as shares.
    recorded: StorageVec<Recorded>,
    /// Deposits stop where total assets would exceed this.
    cap: StorageU256,
    /// Assets held for the holders outside the strategy, booked in units of `held`.
    idle: StorageU256,
    /// Booked units of every asset the vault holds: idle plus the batches' reserves. One unit is
    /// worth `balance/held` of the asset while a negative rebase left the balance short (the loss
    /// is shared by idle and every reserve), else one; a balance above it (a positive rebase, a
    /// donation) is swept into idle as locked profit when a batch completes.
    held: StorageU256,
    /// Booked units claims left behind (part of `held`, sharing its ratio), swept into idle as
    /// locked profit when a batch completes.
    unswept: StorageU256,
    /// Share supply, including shares locked by requests.
    total_supply: StorageU256,
    /// Share balances.
    balances: StorageMap<Address, StorageU256>,
    /// Owner, spender: allowance.
    allowances: StorageMap<Address, StorageMap<Address, StorageU256>>,
    /// Controller, operator: approved (ERC-7540).
    operators: StorageMap<Address, StorageMap<Address, StorageBool>>,
    /// Batches by id (from 1).
    batches: StorageMap<U64, Batch>,
    /// Requests by controller.
    requests: StorageMap<Address, Request>,
    /// ERC-20 name.
    name: StorageString,
    /// ERC-20 symbol.
    symbol: StorageString,
}

/// The vault's accounting at one moment.
struct State {
    /// Total assets.
    t: U256,
    /// Share supply the price uses: the shares and the locked profit shares.
    n: U256,
    /// Deposit shares in the StrategyManager.
    d: U256,
    /// Deposit scaling factor.
    k: U256,
    /// Slashing factor.
    m: U256,
    /// Profit shares still locked (in `n`).
    locked: U256,
    /// What idle assets are worth (in `t`).
    idle: U256,
    /// `(have, held)` of the booked units ([`LrtVault::held_ratio`]; `(0, 0)`, one to one, when
    /// there is no idle).
    ratio: (U256, U256),
    /// Shares the recorded withdrawals pay at the current magnitudes.
    pending: U256,
    /// The operator the DelegationManager has the vault delegated to (zero: none).
    operator: Address,
}

/// The StrategyManager's totals for the asset: what a deposit's value depends on beyond
/// [`State`].
struct Pool {
    /// The strategy's total shares.
    total: U256,
    /// The StrategyManager's balance of the asset.
    balance: U256,
}

/// What a completed request is owed.
struct Owed {
    /// Its claimable shares.
    shares: U256,
    /// Assets they can be paid now: `min(value at request, what ⌊shares·realised/total⌋ booked
    /// units are worth now)`.
    assets: U256,
    /// Their value at request (left after earlier claims).
    cap: U256,
    /// Booked units its batch realised.
    realised: U256,
    /// Its batch's shares.
    total: U256,
    /// `(have, held)` now.
    ratio: (U256, U256),
}

/// What a claim asks for.
#[derive(Clone, Copy)]
enum Claim {
    /// Burn this many claimable shares.
    Shares(U256),
    /// Receive exactly this many assets.
    Assets(U256),
}

/// The core module: deployed as the vault. Every other selector falls through to the extension.
#[cfg(not(any(feature = "extension", feature = "admin", feature = "views")))]
#[public]
impl LrtVault {
    /// Sets everything fixed (asset, peers, extension, share metadata) and the first roles,
    /// fee and cap, and lets the StrategyManager pull the vault's deposits.
    ///
    /// # Errors
    /// * [`Error::ZeroAddress`] - a zero owner, asset, peer, extension, curator or treasury.
    /// * [`Error::ModuleWithoutCode`] - the extension or the admin module holds no code.
    /// * [`Error::BipsTooHigh`] - a fee above 20%.
    /// * [`Error::PeerCallFailed`] - the asset has no `decimals()` or refused the approval.
    ///
    /// # Events
    /// * [`OwnershipTransferred`], [`CuratorSet`], [`TreasurySet`], [`PerformanceFeeSet`],
    ///   [`VaultCapSet`], and the asset's `Approval`.
    #[constructor]
    pub fn constructor(
        &mut self,
        owner: Address,
        asset: Address,
        name: alloc::string::String,
        symbol: alloc::string::String,
        peers: [Address; 4],
        modules: [Address; 3],
        curator: Address,
        treasury: Address,
        fee_bips: u16,
        cap: U256,
        unlock_period: u32,
    ) -> Result<(), Error> {
        let max = restaking_abi::constants::MAX_PROFIT_UNLOCK_PERIOD;
        if unlock_period == 0 || unlock_period > max {
            return Err(InvalidUnlockPeriod {
                period: unlock_period,
                max,
            }
            .into());
        }
        if asset.is_zero() || peers.iter().chain(&modules).any(|p| p.is_zero()) {
            return Err(ZeroAddress {}.into());
        }
        if let Some(&module) = modules.iter().find(|m| !call::has_code(self.vm(), **m)) {
            return Err(ModuleWithoutCode { module }.into());
        }
        let [extension, admin_module, views_module] = modules;
        let [sm, dm, am, rc] = peers;
        self.asset.set(asset);
        self.strategy_manager.set(sm);
        self.delegation_manager.set(dm);
        self.allocation_manager.set(am);
        self.rewards_coordinator.set(rc);
        self.extension.set(extension);
        self.admin_module.set(admin_module);
        self.views_module.set(views_module);
        self.name.set_str(name);
        self.symbol.set_str(symbol);
        self.current_batch.set(U64::from(1));
        self.unlock_period
            .set(alloy_primitives::Uint::from(unlock_period));
        self.admin.init_owner(owner)?;
        self.write_curator(curator)?;
        self.write_treasury(treasury)?;
        self.write_fee(fee_bips)?;
        self.write_cap(cap);
        let decimals = call::static_call(asset, &IERC20::decimalsCall {}.abi_encode())
            .and_then(call::decode_u256)
            .map_err(Error::peer(asset))?;
        let decimals =
            decimals.saturating_add(U256::from(restaking_abi::constants::VAULT_DECIMALS_OFFSET));
        self.decimals.set(alloy_primitives::Uint::from(
            decimals.saturating_to::<u64>().min(255),
        ));
        let approve = IERC20::approveCall {
            spender: sm,
            value: U256::MAX,
        };
        call::call(asset, &approve.abi_encode()).map_err(Error::peer(asset))?;
        Ok(())
    }

    // ───────────────────────────── ERC-20 ─────────────────────────────

    /// All shares, including those locked by pending requests.
    pub fn total_supply(&self) -> U256 {
        self.total_supply.get()
    }

    /// Shares of `account`.
    pub fn balance_of(&self, account: Address) -> U256 {
        self.balances.get(account)
    }

    /// Moves `value` shares from the caller to `to`.
    ///
    /// # Errors
    /// * [`Error::ZeroAddress`] - `to` is zero.
    /// * [`Error::InsufficientBalance`] - the caller holds fewer shares.
    ///
    /// # Events
    /// * [`Transfer`]
    pub fn transfer(&mut self, to: Address, value: U256) -> Result<bool, Error> {
        let from = self.vm().msg_sender();
        self.move_shares(from, to, value)?;
        Ok(true)
    }

    /// Moves `value` shares from `from` to `to` within the caller's allowance.
    ///
    /// # Errors
    /// * [`Error::InsufficientAllowance`] - the allowance is below `value`.
    /// * as [`Self::transfer`].
    ///
    /// # Events
    /// * [`Transfer`]
    pub fn transfer_from(
        &mut self,
        from: Address,
        to: Address,
        value: U256,
    ) -> Result<bool, Error> {
        let spender = self.vm().msg_sender();
        self.spend_allowance(from, spender, value)?;
        self.move_shares(from, to, value)?;
        Ok(true)
    }

    // ───────────────────────────── ERC-4626 ─────────────────────────────

    /// Tokens of the vault's withdrawable shares (net of slashing) plus idle assets.
    ///
    /// # Errors
    /// * [`Error::PeerCallFailed`] / [`Error::MathOverflow`].
    pub fn total_assets(&self) -> Result<U256, Error> {
        Ok(self.totals()?.0)
    }

    /// Deposits `assets` of the caller's asset into the strategy and mints shares to `receiver`
    /// for the value the stake actually gained (the strategy's own rounding is the depositor's,
    /// never the holders').
    ///
    /// # Errors
    /// * [`Error::ActionPaused`] - deposits are paused.
    /// * [`Error::ZeroAmount`] / [`Error::ZeroAddress`] - zero `assets` or `receiver`.
    /// * [`Error::VaultCapExceeded`] - total assets would exceed the cap.
    /// * [`Error::ZeroShares`] - too small for one share.
    /// * [`Error::TokenTransferFailed`] / [`Error::PeerCallFailed`] - the asset did not move or the
    ///   StrategyManager refused it.
    ///
    /// # Events
    /// * [`Transfer`], [`Deposit`] (and the StrategyManager's).
    pub fn deposit(&mut self, assets: U256, receiver: Address) -> Result<U256, Error> {
        let before = self.check_deposit(assets, receiver)?;
        self.check_cap(before.t, assets)?;
        let added = self.enter(assets, &before)?;
        let shares = to_shares(added, before.t, before.n, Rounding::Down)?;
        if shares.is_zero() {
            return Err(ZeroShares { assets }.into());
        }
        self.mint_for(assets, shares, receiver)?;
        Ok(shares)
    }

    // ───────────────────────────── ERC-7540 ─────────────────────────────

    /// The extension module, which runs every selector neither this module nor the admin module
    /// routes.
    pub fn extension(&self) -> Address {
        self.extension.get()
    }

    /// The admin module, which runs the selectors in [`ADMIN_SELECTORS`].
    pub fn admin_module(&self) -> Address {
        self.admin_module.get()
    }

    /// The views module, which runs the selectors in [`VIEW_SELECTORS`].
    pub fn views_module(&self) -> Address {
        self.views_module.get()
    }

    /// Runs every selector this module does not route in the views module's code (the selectors
    /// in [`VIEW_SELECTORS`]), the admin module's ([`ADMIN_SELECTORS`]) or the extension's, on this
    /// contract's storage (`DELEGATECALL`), and returns or reverts with its output.
    #[fallback]
    pub fn fallback(&mut self, calldata: &[u8]) -> stylus_sdk::ArbResult {
        let selector = calldata.get(..4).unwrap_or_default();
        let module = if VIEW_SELECTORS.iter().any(|s| s == selector) {
            self.views_module.get()
        } else if ADMIN_SELECTORS.iter().any(|s| s == selector) {
            self.admin_module.get()
        } else {
            self.extension.get()
        };
        call::delegate_to_module(module, calldata)
    }
}

/// The extension module: processing batches, rewards, the owner and pausers, and the ERC-20,
/// ERC-4626 and ERC-7540 methods the core leaves out. Built alone with `--features extension` and
/// reached through the core's fallback by `DELEGATECALL`. In other builds these are plain
/// methods, which the unit tests call directly.
#[cfg_attr(feature = "extension", public)]
#[cfg_attr(feature = "extension", inherit(Admin))]
impl LrtVault {
    /// Claims the vault's rewards from the RewardsCoordinator (anyone: the proof decides what is
    /// paid). A claim of the asset is restaked: the performance fee is minted to the treasury at
    /// the price before the reward, and the rest of what the stake gained is locked and reaches
    /// the share price linearly over the unlock period (so a deposit made just before cannot take
    /// rewards earned before it). A claim of other tokens only (which the vault cannot restake) is
    /// paid to the treasury.
    ///
    /// # Errors
    /// * [`Error::UnsupportedRewardToken`] - a claim mixing the asset with other tokens (the
    ///   first other token).
    /// * [`Error::PeerCallFailed`] - the RewardsCoordinator refused the claim (e.g.
    ///   `NothingToClaim`), or the StrategyManager the deposit.
    /// * [`Error::FeeExceedsReward`] - the fee shares would be worth more than the fee.
    /// * [`Error::MathOverflow`].
    ///
    /// # Events
    /// * [`Transfer`] (fee mint), [`PerformanceFeeMinted`] (also for a zero fee),
    ///   [`ProfitLocked`] (when the stake gained more than the fee).
    pub fn claim_and_restake_rewards(&mut self, claim: RewardsMerkleClaim) -> Result<(), Error> {
        let asset = self.asset.get();
        let rc = self.rewards_coordinator.get();
        let leaves = &claim.tokenLeaves;
        if let Some(leaf) = leaves.iter().find(|l| l.token != asset) {
            if leaves.iter().any(|l| l.token == asset) {
                return Err(UnsupportedRewardToken { token: leaf.token }.into());
            }
            let process = IRewardsCoordinator::processClaimCall {
                claim,
                recipient: self.treasury.get(),
            };
            call::call(rc, &process.abi_encode()).map_err(Error::peer(rc))?;
            return Ok(());
        }
        let state = self.state()?;
        let this = self.vm().contract_address();
        let before = call::balance_of(asset, this).map_err(Error::peer(asset))?;
        let process = IRewardsCoordinator::processClaimCall {
            claim,
            recipient: this,
        };
        call::call(rc, &process.abi_encode()).map_err(Error::peer(rc))?;
        let after = call::balance_of(asset, this).map_err(Error::peer(asset))?;
        let reward = after.saturating_sub(before);
        let gained = if reward.is_zero() {
            U256::ZERO
        } else {
            self.stake_gain(reward, &state)?
        };
        // The fee shares are worth the fee (at most what the stake gained) once every locked
        // profit share has unlocked; the rest of the gain reaches the price over the unlock
        // period (`lock_gain`).
        let fee = math::mul_div(
            reward,
            U256::from(self.fee_bips.get()),
            U256::from(BIPS),
            Rounding::Down,
        )?
        .min(gained);
        let supply = self.total_supply.get();
        let unlocked = state.t.checked_add(gained).ok_or(MathOverflow {})?;
        let mut fee_shares = U256::ZERO;
        if !fee.is_zero() {
            let rest = unlocked + U256::from(1) - fee;
            fee_shares = math::mul_div(fee, virtual_supply(supply)?, rest, Rounding::Down)?;
            let all = supply.checked_add(fee_shares).ok_or(MathOverflow {})?;
            let worth = to_assets(fee_shares, unlocked, all, Rounding::Down)?;
            if worth > fee {
                return Err(FeeExceedsReward {
                    feeValue: worth,
                    maxFee: fee,
                }
                .into());
            }
            let treasury = self.treasury.get();
            self.mint_shares(treasury, fee_shares)?;
        }
        self.lock_gain(gained, &state, fee_shares)?;
        log(
            self.vm(),
            PerformanceFeeMinted {
                treasury: self.treasury.get(),
                reward,
                feeShares: fee_shares,
            },
        );
        Ok(())
    }

    /// Processes the open batch: burns its shares, sets their value aside (idle assets first, the
    /// rest as one DelegationManager withdrawal that cannot pay more than that value) and opens
    /// the next batch. Returns the processed batch id. A batch with nothing to withdraw completes
    /// at once.
    ///
    /// # Errors
    /// * [`Error::BatchNotDue`] - the caller is not the curator and the batch's first request is
    ///   less than a day old.
    /// * [`Error::EmptyInput`] - the batch has no requests.
    /// * [`Error::PeerCallFailed`] - e.g. the DelegationManager's queue is paused.
    /// * [`Error::MathOverflow`].
    ///
    /// # Events
    /// * [`Transfer`] (burn), [`BatchQueued`], and [`BatchCompleted`] when nothing is withdrawn.
    pub fn process_batch(&mut self) -> Result<U256, Error> {
        let id = self.current_batch.get();
        let batch = self.batches.getter(id);
        let (shares, opened) = (batch.shares.get(), batch.opened.get().u64());
        let sender = self.vm().msg_sender();
        if sender != self.curator.get() {
            let due = opened.saturating_add(VAULT_BATCH_TIMEOUT);
            if opened == 0 || self.vm().block_timestamp() < due {
                return Err(BatchNotDue {
                    batchId: U256::from(id),
                    dueAt: due,
                }
                .into());
            }
        }
        if shares.is_zero() {
            return Err(EmptyInput {}.into());
        }
        let state = self.state()?;
        let value = to_assets(shares, state.t, state.n, Rounding::Down)?;
        if !state.pending.is_zero() {
            // Recorded withdrawals count in T but cannot be withdrawn again: the batch must fit in
            // idle assets and the vault's deposit shares.
            let available = self
                .staked_value(state.d, state.k, state.m, U256::ZERO)?
                .checked_add(state.idle)
                .ok_or(MathOverflow {})?;
            if value > available {
                return Err(InsufficientLiquidity {
                    needed: value,
                    available,
                }
                .into());
            }
        }
        let idle = self.idle.get();
        let from_idle = value.min(state.idle);
        // The booked units that hold `from_idle` move from idle to the batch's reserve.
        let booked = units_for(from_idle, state.ratio, Rounding::Up)?.min(idle);
        let this = self.vm().contract_address();
        self.idle.set(idle - booked);
        self.burn(this, shares)?;
        self.current_batch
            .set(id.checked_add(U64::from(1)).ok_or(MathOverflow {})?);
        let deposit_shares = self.shares_worth(&state, value - from_idle)?;
        let mut root = B256::ZERO;
        let nonce = if deposit_shares.is_zero() {
            U256::ZERO
        } else {
            peer_u256(
                self.delegation_manager.get(),
                &IDelegationManager::cumulativeWithdrawalsQueuedCall { staker: this }.abi_encode(),
            )?
        };
        let operator = state.operator;
        let now = self.vm().block_timestamp();
        if !deposit_shares.is_zero() {
            self.known.set(alloy_primitives::Uint::from(
                nonce.saturating_to::<u32>().saturating_add(1),
            ));
        }
        let mut batch = self.batches.setter(id);
        batch.reserve.set(booked);
        if deposit_shares.is_zero() {
            batch.assets.set(booked);
            batch.state.set(alloy_primitives::Uint::from(COMPLETED));
        } else {
            batch.state.set(alloy_primitives::Uint::from(QUEUED));
            batch.operator.set(operator);
            batch.start.set(U64::from(now));
            batch
                .nonce
                .set(alloy_primitives::Uint::from(nonce.saturating_to::<u64>()));
            batch
                .scaled
                .set(math::scale_for_queue(deposit_shares, state.k)?);
            let queue = IDelegationManager::queueWithdrawalsCall {
                params: vec![QueuedWithdrawalParams {
                    strategies: vec![self.asset.get()],
                    depositShares: vec![deposit_shares],
                }],
            };
            let dm = self.delegation_manager.get();
            let out = call::call(dm, &queue.abi_encode()).map_err(Error::peer(dm))?;
            root = B256::from(array_word(&out).map_err(Error::peer(dm))?);
        }
        log(
            self.vm(),
            BatchQueued {
                batchId: U256::from(id),
                withdrawalRoot: root,
                shares,
            },
        );
        if deposit_shares.is_zero() {
            log(
                self.vm(),
                BatchCompleted {
                    batchId: U256::from(id),
                    assets: from_idle,
                },
            );
        }
        Ok(U256::from(id))
    }
}

/// The admin module: mints, redemption requests, batch completion, the curator's and the owner's
/// settings, the vault's delegation and recorded withdrawals, allowances and ERC-7540 operators.
/// Built alone with `--features admin`; the core's
/// fallback reaches it by `DELEGATECALL` for the selectors in [`ADMIN_SELECTORS`]. In other builds
/// these are plain methods, which the unit tests call directly.
#[cfg_attr(feature = "admin", public)]
impl LrtVault {
    /// Completes queued batch `batch_id` once the DelegationManager's delay has passed (anyone):
    /// the withdrawal pays tokens to the vault and the batch's requests become claimable.
    ///
    /// # Errors
    /// * [`Error::BatchNotQueued`] - the batch is open or completed.
    /// * [`Error::PeerCallFailed`] - e.g. the DelegationManager's `WithdrawalDelayNotPassed`.
    ///
    /// # Events
    /// * [`BatchCompleted`] (and the DelegationManager's and StrategyManager's).
    pub fn complete_batch(&mut self, batch_id: U256) -> Result<(), Error> {
        let id = U64::from(batch_id.saturating_to::<u64>());
        let batch = self.batches.getter(id);
        let state = batch.state.get().u8();
        if state != QUEUED || U256::from(id) != batch_id {
            return Err(BatchNotQueued {
                batchId: batch_id,
                state,
            }
            .into());
        }
        let this = self.vm().contract_address();
        let withdrawal = Withdrawal {
            staker: this,
            delegatedTo: batch.operator.get(),
            nonce: U256::from(batch.nonce.get()),
            startTimestamp: batch.start.get().u64(),
            strategies: vec![self.asset.get()],
            scaledShares: vec![batch.scaled.get()],
        };
        self.batches
            .setter(id)
            .state
            .set(alloy_primitives::Uint::from(COMPLETED));
        let asset = self.asset.get();
        let before = call::balance_of(asset, this).map_err(Error::peer(asset))?;
        let (mut held, unswept) = (self.held.get(), self.unswept.get());
        if before > held || !unswept.is_zero() {
            // A positive rebase of what the vault holds, a donation, and what claims left
            // behind: the holders', unlocking like restaked rewards.
            let state = self.state()?;
            let surplus = before.saturating_sub(held);
            let left_behind = worth_of(unswept, (before.min(held), held), Rounding::Down)?;
            let idle = self
                .idle
                .get()
                .checked_add(surplus)
                .and_then(|i| i.checked_add(unswept));
            self.idle.set(idle.ok_or(MathOverflow {})?);
            self.unswept.set(U256::ZERO);
            held = held.checked_add(surplus).ok_or(MathOverflow {})?;
            self.lock_gain(surplus.saturating_add(left_behind), &state, U256::ZERO)?;
        }
        let ratio = (before.min(held), held);
        let dm = self.delegation_manager.get();
        let complete = IDelegationManager::completeQueuedWithdrawalCall {
            withdrawal,
            receiveAsTokens: true,
        };
        call::call(dm, &complete.abi_encode()).map_err(Error::peer(dm))?;
        let after = call::balance_of(asset, this).map_err(Error::peer(asset))?;
        // Booked at what held units are worth now: what the batch received is its own.
        let credit = units_for(after.saturating_sub(before), ratio, Rounding::Down)?;
        self.held
            .set(held.checked_add(credit).ok_or(MathOverflow {})?);
        let mut batch = self.batches.setter(id);
        let assets = batch
            .reserve
            .get()
            .checked_add(credit)
            .ok_or(MathOverflow {})?;
        batch.reserve.set(assets);
        batch.assets.set(assets);
        log(
            self.vm(),
            BatchCompleted {
                batchId: batch_id,
                assets,
            },
        );
        Ok(())
    }

    /// Mints exactly `shares` to `receiver` for the assets they cost ([`Self::preview_mint`]: the
    /// least deposit that mints them, every rounding included).
    ///
    /// # Errors
    /// * [`Error::DepositShortfall`] - the staked assets came out worth fewer shares than asked
    ///   (only for an asset whose transfers do not move exact amounts).
    /// * as [`Self::deposit`] (zero `shares` is [`Error::ZeroAmount`]).
    ///
    /// # Events
    /// * [`Transfer`], [`Deposit`] (and the StrategyManager's).
    pub fn mint(&mut self, shares: U256, receiver: Address) -> Result<U256, Error> {
        let before = self.check_deposit(shares, receiver)?;
        let assets = self.mint_cost(&before, shares)?;
        self.check_cap(before.t, assets)?;
        let added = self.enter(assets, &before)?;
        let covered = to_shares(added, before.t, before.n, Rounding::Down)?;
        if covered < shares {
            return Err(DepositShortfall { shares, covered }.into());
        }
        self.mint_for(assets, shares, receiver)?;
        Ok(assets)
    }

    /// Requests redemption of `shares` of `owner` for `controller` into the open batch, whose id
    /// it returns. The shares move into the vault and keep their place in the supply until the
    /// batch is processed; the claim pays at most what they are worth now.
    ///
    /// # Errors
    /// * [`Error::ActionPaused`] - requests are paused.
    /// * [`Error::ZeroAmount`] / [`Error::ZeroAddress`] - zero `shares` or `controller`.
    /// * [`Error::InsufficientAllowance`] - the caller is not `owner`, not its operator, and its
    ///   allowance is short.
    /// * [`Error::RequestPending`] - `controller` has an unclaimed request in an earlier batch.
    /// * [`Error::InsufficientBalance`] - `owner` holds fewer shares.
    /// * [`Error::PeerCallFailed`] / [`Error::MathOverflow`].
    ///
    /// # Events
    /// * [`Transfer`], [`RedeemRequest`]
    pub fn request_redeem(
        &mut self,
        shares: U256,
        controller: Address,
        owner: Address,
    ) -> Result<U256, Error> {
        self.admin.when_not_paused(pause::VAULT_REDEMPTIONS)?;
        if shares.is_zero() {
            return Err(ZeroAmount {}.into());
        }
        if controller.is_zero() {
            return Err(ZeroAddress {}.into());
        }
        // Only the controller (or its operator) opens or adds to its request: a request made for
        // it by anyone else would hold up its own redemption for a whole batch.
        let sender = self.acting_for(controller)?;
        if sender != owner && !self.is_operator_of(owner, sender) {
            self.spend_allowance(owner, sender, shares)?;
        }
        let id = self.current_batch.get();
        let previous = self.requests.getter(controller).batch.get();
        if !previous.is_zero() && previous != id {
            return Err(RequestPending {
                controller,
                requestId: U256::from(previous),
            }
            .into());
        }
        let (t, n) = self.totals()?;
        let value = to_assets(shares, t, n, Rounding::Down)?;
        let this = self.vm().contract_address();
        self.move_shares(owner, this, shares)?;
        let mut request = self.requests.setter(controller);
        request.batch.set(id);
        add(&mut request.shares, shares)?;
        add(&mut request.assets, value)?;
        let now = self.vm().block_timestamp();
        let mut batch = self.batches.setter(id);
        add(&mut batch.shares, shares)?;
        add(&mut batch.unclaimed, shares)?;
        if batch.opened.get().is_zero() {
            batch.opened.set(U64::from(now));
        }
        log(
            self.vm(),
            ILrtVault::RedeemRequest {
                controller,
                owner,
                requestId: U256::from(id),
                sender,
                shares,
            },
        );
        Ok(U256::from(id))
    }

    /// Lets `spender` move `value` of the caller's shares (`U256::MAX`: without limit).
    ///
    /// # Errors
    /// * [`Error::ZeroAddress`] - `spender` is zero.
    ///
    /// # Events
    /// * [`Approval`]
    pub fn approve(&mut self, spender: Address, value: U256) -> Result<bool, Error> {
        if spender.is_zero() {
            return Err(ZeroAddress {}.into());
        }
        let owner = self.vm().msg_sender();
        self.allowances.setter(owner).setter(spender).set(value);
        log(
            self.vm(),
            ILrtVault::Approval {
                owner,
                spender,
                value,
            },
        );
        Ok(true)
    }

    /// Lets `operator` request and claim for the caller (or stops it). Returns true.
    ///
    /// # Events
    /// * [`OperatorSet`]
    pub fn set_operator(&mut self, operator: Address, approved: bool) -> bool {
        let controller = self.vm().msg_sender();
        self.operators
            .setter(controller)
            .setter(operator)
            .set(approved);
        log(
            self.vm(),
            ILrtVault::OperatorSet {
                controller,
                operator,
                approved,
            },
        );
        true
    }

    /// Delegates the vault's stake to `operator` (the curator, whenever the vault is not
    /// delegated: at the start, after a forced undelegation, or after [`Self::undelegate_vault`]
    /// to move it; the operator's approver signature as the DelegationManager requires).
    ///
    /// # Errors
    /// * [`Error::Unauthorized`] - the caller is not the curator.
    /// * [`Error::OperatorAlreadySet`] - the vault is delegated already.
    /// * [`Error::UnrecordedWithdrawal`] - a forced undelegation's withdrawal is not recorded.
    /// * [`Error::PeerCallFailed`] - the DelegationManager refused (e.g. not an operator).
    ///
    /// # Events
    /// * the DelegationManager's `StakerDelegated`.
    pub fn set_curator_operator(
        &mut self,
        operator: Address,
        approver_signature: SignatureWithExpiry,
        approver_salt: B256,
    ) -> Result<(), Error> {
        let sender = self.vm().msg_sender();
        if sender != self.curator.get() {
            return Err(Unauthorized { caller: sender }.into());
        }
        // The DelegationManager's word, after any forced undelegation is recorded.
        let current = self.state()?.operator;
        if !current.is_zero() {
            return Err(OperatorAlreadySet { operator: current }.into());
        }
        let dm = self.delegation_manager.get();
        let delegate = IDelegationManager::delegateToCall {
            operator,
            approverSignature: approver_signature,
            approverSalt: approver_salt,
        };
        call::call(dm, &delegate.abi_encode()).map_err(Error::peer(dm))?;
        Ok(())
    }

    /// Sets the performance fee (owner only), at most 20%.
    ///
    /// # Errors
    /// * [`Error::Unauthorized`], [`Error::BipsTooHigh`].
    ///
    /// # Events
    /// * [`PerformanceFeeSet`]
    pub fn set_performance_fee(&mut self, fee_bips: u16) -> Result<(), Error> {
        self.admin.only_owner()?;
        self.write_fee(fee_bips)
    }

    /// Sets the deposit cap on total assets (owner only).
    ///
    /// # Errors
    /// * [`Error::Unauthorized`].
    ///
    /// # Events
    /// * [`VaultCapSet`]
    pub fn set_deposit_cap(&mut self, cap: U256) -> Result<(), Error> {
        self.admin.only_owner()?;
        self.write_cap(cap);
        Ok(())
    }

    /// Replaces the curator (owner only).
    ///
    /// # Errors
    /// * [`Error::Unauthorized`], [`Error::ZeroAddress`].
    ///
    /// # Events
    /// * [`CuratorSet`]
    pub fn set_curator(&mut self, curator: Address) -> Result<(), Error> {
        self.admin.only_owner()?;
        self.write_curator(curator)
    }

    /// Replaces the fee treasury (owner only).
    ///
    /// # Errors
    /// * [`Error::Unauthorized`], [`Error::ZeroAddress`].
    ///
    /// # Events
    /// * [`TreasurySet`]
    pub fn set_treasury(&mut self, treasury: Address) -> Result<(), Error> {
        self.admin.only_owner()?;
        self.write_treasury(treasury)
    }

    /// Undelegates the vault (curator only), the way to move it to another operator: its deposit
    /// shares are queued as one withdrawal, recorded here and still counted in total assets;
    /// [`Self::complete_recorded_withdrawal`] brings them back as shares after the delay and
    /// [`Self::set_curator_operator`] delegates the vault again (at once, or later).
    ///
    /// # Errors
    /// * [`Error::Unauthorized`] - the caller is not the curator.
    /// * [`Error::UnrecordedWithdrawal`] - a forced undelegation's withdrawal is not recorded.
    /// * [`Error::PeerCallFailed`] - e.g. the DelegationManager's `NotDelegated`.
    ///
    /// # Events
    /// * [`WithdrawalRecorded`] when shares were queued (and the DelegationManager's).
    pub fn undelegate_vault(&mut self) -> Result<(), Error> {
        let sender = self.vm().msg_sender();
        if sender != self.curator.get() {
            return Err(Unauthorized { caller: sender }.into());
        }
        let state = self.state()?;
        let this = self.vm().contract_address();
        let dm = self.delegation_manager.get();
        let undelegate = IDelegationManager::undelegateCall { staker: this };
        let out = call::call(dm, &undelegate.abi_encode()).map_err(Error::peer(dm))?;
        if !state.d.is_zero() {
            let (now, scaled) = (
                self.vm().block_timestamp(),
                math::scale_for_queue(state.d, state.k)?,
            );
            let withdrawal =
                self.vault_withdrawal(state.operator, U256::from(self.known.get()), now, scaled);
            let root = B256::from(array_word(&out).map_err(Error::peer(dm))?);
            if restaking_abi::abi::withdrawal_root(&withdrawal) != root {
                return Err(NotVaultWithdrawal { root }.into());
            }
            self.push_recorded(state.operator, now, scaled);
        }
        Ok(())
    }

    /// Records the vault's next withdrawal that the DelegationManager queued outside its batches
    /// (anyone: a forced undelegation by the operator or its approver), given as in the
    /// DelegationManager's `WithdrawalQueued` event: the operator, the queue time and the scaled
    /// shares (the staker is the vault, the nonce its next one, the strategy its asset). Until then
    /// the vault's accounting refuses to run with [`Error::UnrecordedWithdrawal`]; afterwards the
    /// withdrawal counts in total assets at its current value.
    ///
    /// # Errors
    /// * [`Error::NotVaultWithdrawal`] - no such withdrawal is pending in the DelegationManager.
    /// * [`Error::PeerCallFailed`].
    ///
    /// # Events
    /// * [`WithdrawalRecorded`]
    pub fn record_withdrawal(
        &mut self,
        operator: Address,
        start_timestamp: u64,
        scaled_shares: U256,
    ) -> Result<(), Error> {
        let withdrawal = self.vault_withdrawal(
            operator,
            U256::from(self.known.get()),
            start_timestamp,
            scaled_shares,
        );
        let root = restaking_abi::abi::withdrawal_root(&withdrawal);
        let pending = peer_u256(
            self.delegation_manager.get(),
            &IDelegationManager::isPendingWithdrawalCall { root }.abi_encode(),
        )?;
        if pending != U256::from(1) {
            return Err(NotVaultWithdrawal { root }.into());
        }
        self.push_recorded(operator, start_timestamp, scaled_shares);
        Ok(())
    }

    /// Completes recorded withdrawal `nonce` once the DelegationManager's delay has passed
    /// (anyone): its shares come back to the vault as deposit shares, delegated to the vault's
    /// operator of the moment.
    ///
    /// # Errors
    /// * [`Error::WithdrawalNotRecorded`] - no recorded withdrawal has this nonce.
    /// * [`Error::PeerCallFailed`] - e.g. the DelegationManager's `WithdrawalDelayNotPassed`.
    ///
    /// # Events
    /// * [`RecordedWithdrawalCompleted`] (and the DelegationManager's and StrategyManager's).
    pub fn complete_recorded_withdrawal(&mut self, nonce: U256) -> Result<(), Error> {
        let count = self.recorded.len();
        let Some(index) = (0..count).find(|&i| {
            self.recorded
                .getter(i)
                .is_some_and(|r| U256::from(r.nonce.get()) == nonce)
        }) else {
            return Err(WithdrawalNotRecorded { nonce }.into());
        };
        let (operator, start, scaled) = self.recorded_at(index);
        // The last entry takes its place.
        let (last_operator, last_start, last_scaled) = self.recorded_at(count - 1);
        let last_nonce = self.recorded.getter(count - 1).map(|r| r.nonce.get());
        if let Some(mut slot) = self.recorded.setter(index) {
            slot.operator.set(last_operator);
            slot.start.set(U64::from(last_start));
            slot.nonce.set(last_nonce.unwrap_or_default());
            slot.scaled.set(last_scaled);
        }
        if let Some(mut freed) = self.recorded.shrink() {
            freed.operator.set(Address::ZERO);
            freed.start.set(U64::ZERO);
            freed.nonce.set(alloy_primitives::Uint::ZERO);
            freed.scaled.set(U256::ZERO);
        }
        let before = self.position()?.0;
        let dm = self.delegation_manager.get();
        let complete = IDelegationManager::completeQueuedWithdrawalCall {
            withdrawal: self.vault_withdrawal(operator, nonce, start, scaled),
            receiveAsTokens: false,
        };
        call::call(dm, &complete.abi_encode()).map_err(Error::peer(dm))?;
        let after = self.position()?.0;
        log(
            self.vm(),
            RecordedWithdrawalCompleted {
                nonce,
                depositShares: after.saturating_sub(before),
            },
        );
        Ok(())
    }
}

/// The views module: the claims of completed requests (`withdraw`, `redeem`) and every read-only
/// method the core leaves out (metadata, allowances, conversions, previews, limits, ERC-7540
/// request states, ERC-165 and the vault's own views).
/// Built alone with `--features views`; the core's fallback reaches it by `DELEGATECALL` for the
/// selectors in [`VIEW_SELECTORS`]. In other builds these are plain methods, which the unit tests
/// call directly.
#[cfg_attr(feature = "views", public)]
impl LrtVault {
    /// Claims exactly `assets` of `controller`'s claimable request to `receiver`, burning the
    /// claimable shares they take (rounded up).
    ///
    /// # Errors
    /// * [`Error::NotControllerOrOperator`] - the caller may not act for `controller`.
    /// * [`Error::ZeroAmount`] / [`Error::ZeroAddress`] - zero `assets` or `receiver`.
    /// * [`Error::RequestNotClaimable`] - no request, or its batch is not completed.
    /// * [`Error::InsufficientBalance`] - more than [`Self::max_withdraw`].
    /// * [`Error::TokenTransferFailed`].
    ///
    /// # Events
    /// * [`Withdraw`]
    pub fn withdraw(
        &mut self,
        assets: U256,
        receiver: Address,
        controller: Address,
    ) -> Result<U256, Error> {
        Ok(self.claim(Claim::Assets(assets), receiver, controller)?.1)
    }

    /// Claims `shares` of `controller`'s claimable request to `receiver` for the assets they are
    /// owed (rounded down).
    ///
    /// # Errors
    /// As [`Self::withdraw`], with [`Error::InsufficientBalance`] for more than
    /// [`Self::max_redeem`].
    ///
    /// # Events
    /// * [`Withdraw`]
    pub fn redeem(
        &mut self,
        shares: U256,
        receiver: Address,
        controller: Address,
    ) -> Result<U256, Error> {
        Ok(self.claim(Claim::Shares(shares), receiver, controller)?.0)
    }

    /// Shares `assets` are worth now (rounds down).
    ///
    /// # Errors
    /// * [`Error::PeerCallFailed`] / [`Error::MathOverflow`].
    pub fn convert_to_shares(&self, assets: U256) -> Result<U256, Error> {
        let (t, n) = self.totals()?;
        to_shares(assets, t, n, Rounding::Down)
    }

    /// Assets `shares` are worth now (rounds down).
    ///
    /// # Errors
    /// * [`Error::PeerCallFailed`] / [`Error::MathOverflow`].
    pub fn convert_to_assets(&self, shares: U256) -> Result<U256, Error> {
        let (t, n) = self.totals()?;
        to_assets(shares, t, n, Rounding::Down)
    }

    /// Shares a deposit of `assets` mints now: exactly what [`Self::deposit`] mints, the
    /// strategy's, the DelegationManager's and the vault's rounding included (0 where the deposit
    /// would refuse: `ZeroShares`, or the StrategyManager's `ZeroSharesMinted`).
    ///
    /// # Errors
    /// * [`Error::PeerCallFailed`] / [`Error::MathOverflow`] (e.g. a fully slashed operator).
    pub fn preview_deposit(&self, assets: U256) -> Result<U256, Error> {
        let state = self.state()?;
        self.deposit_shares_for(&state, assets)
    }

    /// Assets [`Self::mint`] takes for `shares` now: the least deposit that mints at least
    /// `shares`, every rounding included.
    ///
    /// # Errors
    /// * [`Error::DepositShortfall`] - no deposit found that mints `shares` (never for a standard
    ///   asset).
    /// * [`Error::PeerCallFailed`] / [`Error::MathOverflow`].
    pub fn preview_mint(&self, shares: U256) -> Result<U256, Error> {
        let state = self.state()?;
        self.mint_cost(&state, shares)
    }

    /// Most assets anyone can deposit now: what the cap leaves, 0 while deposits are paused.
    ///
    /// # Errors
    /// * [`Error::PeerCallFailed`] / [`Error::MathOverflow`].
    pub fn max_deposit(&self, _receiver: Address) -> Result<U256, Error> {
        Ok(self.deposit_room()?.0)
    }

    /// Most shares anyone can mint now (see [`Self::max_deposit`]).
    ///
    /// # Errors
    /// * [`Error::PeerCallFailed`] / [`Error::MathOverflow`].
    pub fn max_mint(&self, _receiver: Address) -> Result<U256, Error> {
        let (room, t, n) = self.deposit_room()?;
        // What a deposit of the whole room mints: minting it costs at most the room.
        let state = self.state()?;
        Ok(self
            .deposit_shares_for(&state, room)
            .unwrap_or_else(|_| to_shares(room, t, n, Rounding::Down).unwrap_or(U256::MAX)))
    }

    /// Share token name.
    pub fn name(&self) -> alloc::string::String {
        self.name.get_string()
    }

    /// Share token symbol.
    pub fn symbol(&self) -> alloc::string::String {
        self.symbol.get_string()
    }

    /// The asset's decimals plus the offset of 3.
    pub fn decimals(&self) -> u8 {
        self.decimals.get().u8()
    }

    /// Shares `spender` may move for `owner`.
    pub fn allowance(&self, owner: Address, spender: Address) -> U256 {
        self.allowances.getter(owner).get(spender)
    }

    /// The underlying LST.
    pub fn asset(&self) -> Address {
        self.asset.get()
    }

    /// Assets `controller` can claim now (ERC-7540: the claimable request's value).
    ///
    /// # Errors
    /// * [`Error::MathOverflow`].
    pub fn max_withdraw(&self, controller: Address) -> Result<U256, Error> {
        Ok(self.claimable(controller)?.map_or(U256::ZERO, |(_, v)| v))
    }

    /// Shares `controller` can claim now.
    ///
    /// # Errors
    /// * [`Error::MathOverflow`].
    pub fn max_redeem(&self, controller: Address) -> Result<U256, Error> {
        Ok(self.claimable(controller)?.map_or(U256::ZERO, |(s, _)| s))
    }

    /// Whether `operator` may act for `controller`.
    pub fn is_operator(&self, controller: Address, operator: Address) -> bool {
        self.is_operator_of(controller, operator)
    }

    /// Always reverts: redemption is asynchronous (ERC-7540).
    ///
    /// # Errors
    /// * [`Error::AsyncRedeemOnly`].
    pub fn preview_withdraw(&self, _assets: U256) -> Result<U256, Error> {
        Err(AsyncRedeemOnly {}.into())
    }

    /// Always reverts: redemption is asynchronous (ERC-7540).
    ///
    /// # Errors
    /// * [`Error::AsyncRedeemOnly`].
    pub fn preview_redeem(&self, _shares: U256) -> Result<U256, Error> {
        Err(AsyncRedeemOnly {}.into())
    }

    /// The profit shares still locked (counted in the supply the price uses, held by nobody),
    /// what they are worth at today's price (restaked rewards and swept surpluses not yet in the
    /// share price), and when all of them will be unlocked.
    ///
    /// # Errors
    /// * [`Error::PeerCallFailed`] / [`Error::MathOverflow`].
    pub fn locked_profit(&self) -> Result<(U256, U256, u64), Error> {
        let state = self.state()?;
        Ok((
            state.locked,
            to_assets(state.locked, state.t, state.n, Rounding::Down)?,
            self.unlocked_at.get().to::<u64>(),
        ))
    }

    /// Seconds over which restaked rewards reach the share price (fixed at construction).
    pub fn profit_unlock_period(&self) -> u32 {
        self.unlock_period.get().to::<u32>()
    }

    /// Shares of `controller`'s request `request_id` still waiting for their batch.
    pub fn pending_redeem_request(&self, request_id: U256, controller: Address) -> U256 {
        self.request_in(request_id, controller, false)
    }

    /// Shares of `controller`'s request `request_id` that can be claimed now.
    pub fn claimable_redeem_request(&self, request_id: U256, controller: Address) -> U256 {
        self.request_in(request_id, controller, true)
    }

    /// ERC-165: ERC-165 itself, ERC-7540 operators, ERC-7540 asynchronous redemption and
    /// ERC-7575.
    pub fn supports_interface(&self, interface_id: FixedBytes<4>) -> bool {
        INTERFACE_IDS.contains(&interface_id.0)
    }

    /// The share token (ERC-7575): the vault itself.
    pub fn share(&self) -> Address {
        self.vm().contract_address()
    }

    /// Assets of one whole share (`10^decimals` shares), for integrators.
    ///
    /// # Errors
    /// * [`Error::PeerCallFailed`] / [`Error::MathOverflow`].
    pub fn get_rate(&self) -> Result<U256, Error> {
        let one = U256::from(10u8).checked_pow(U256::from(self.decimals.get().u8()));
        let (t, n) = self.totals()?;
        to_assets(one.ok_or(MathOverflow {})?, t, n, Rounding::Down)
    }

    /// The curator.
    pub fn curator(&self) -> Address {
        self.curator.get()
    }

    /// The fee treasury.
    pub fn treasury(&self) -> Address {
        self.treasury.get()
    }

    /// The performance fee in basis points.
    pub fn performance_fee(&self) -> u16 {
        self.fee_bips.get().to()
    }

    /// The deposit cap on total assets.
    pub fn deposit_cap(&self) -> U256 {
        self.cap.get()
    }

    /// The operator the DelegationManager has the vault delegated to (zero: none).
    ///
    /// # Errors
    /// * [`Error::PeerCallFailed`].
    pub fn delegated_operator(&self) -> Result<Address, Error> {
        self.delegated_to()
    }

    /// How many recorded withdrawals are pending.
    pub fn recorded_withdrawal_count(&self) -> U256 {
        U256::from(self.recorded.len())
    }

    /// Recorded withdrawal `index`: its nonce, operator, queue time and scaled shares (all zero
    /// past the end).
    pub fn recorded_withdrawal(&self, index: U256) -> (U256, Address, u64, U256) {
        let i = index.saturating_to::<usize>();
        let nonce = self.recorded.getter(i).map(|r| r.nonce.get());
        let (operator, start, scaled) = self.recorded_at(i);
        (
            U256::from(nonce.unwrap_or_default()),
            operator,
            start,
            scaled,
        )
    }

    /// Assets held for the holders outside the strategy.
    pub fn idle_assets(&self) -> U256 {
        self.idle.get()
    }

    /// The open batch (the id the next request gets).
    pub fn current_batch(&self) -> U256 {
        U256::from(self.current_batch.get())
    }

    /// Batch `batch_id` as stored.
    pub fn get_batch(&self, batch_id: U256) -> LrtBatch {
        let b = self
            .batches
            .getter(U64::from(batch_id.saturating_to::<u64>()));
        LrtBatch {
            shares: b.shares.get(),
            unclaimed: b.unclaimed.get(),
            assets: b.assets.get(),
            reserve: b.reserve.get(),
            operator: b.operator.get(),
            start: b.start.get().u64(),
            opened: b.opened.get().u64(),
            nonce: b.nonce.get().u32(),
            state: b.state.get().u8(),
            scaledShares: b.scaled.get(),
        }
    }

    /// `controller`'s request: batch, shares and their value at request (less claims).
    pub fn redeem_request(&self, controller: Address) -> LrtRequest {
        let r = self.requests.getter(controller);
        LrtRequest {
            requestId: U256::from(r.batch.get()),
            shares: r.shares.get(),
            assets: r.assets.get(),
        }
    }
}

/// Internal helpers, shared by the modules.
impl LrtVault {
    /// Total assets `T` and share supply `N`.
    fn totals(&self) -> Result<(U256, U256), Error> {
        let state = self.state()?;
        Ok((state.t, state.n))
    }

    /// The vault's accounting state: its stake in the StrategyManager, its recorded withdrawals
    /// and the totals.
    fn state(&self) -> Result<State, Error> {
        let (d, k, m, operator) = self.position()?;
        let mut pending = U256::ZERO;
        for i in 0..self.recorded.len() {
            let Some(r) = self.recorded.getter(i) else {
                break;
            };
            let m = self.magnitude(r.operator.get())?;
            pending = pending
                .checked_add(math::scale_for_complete(r.scaled.get(), m)?)
                .ok_or(MathOverflow {})?;
        }
        // The balance is read only when there is idle to value (one to one otherwise).
        let booked = self.idle.get();
        let ratio = if booked.is_zero() {
            (U256::ZERO, U256::ZERO)
        } else {
            self.held_ratio()?
        };
        let idle = worth_of(booked, ratio, Rounding::Down)?;
        let t = self
            .staked_value(d, k, m, pending)?
            .checked_add(idle)
            .ok_or(MathOverflow {})?;
        let locked = self.shares_locked_now()?;
        Ok(State {
            t,
            locked,
            idle,
            ratio,
            n: self
                .total_supply
                .get()
                .checked_add(locked)
                .ok_or(MathOverflow {})?,
            d,
            k,
            m,
            pending,
            operator,
        })
    }

    /// What the stake is worth for deposit shares `d`, scaling factor `k`, slashing factor `m`
    /// and `pending` shares of recorded withdrawals: the tokens of the withdrawable shares
    /// `⌊⌊d·k/WAD⌋·m/WAD⌋` (the DelegationManager's formula, from the same inputs) and of the
    /// pending ones (total assets add idle).
    fn staked_value(&self, d: U256, k: U256, m: U256, pending: U256) -> Result<U256, Error> {
        let withdrawable = math::calc_withdrawable(d, k, m)?
            .checked_add(pending)
            .ok_or(MathOverflow {})?;
        let staked = if withdrawable.is_zero() {
            U256::ZERO
        } else {
            peer_u256(
                self.strategy_manager.get(),
                &IStrategyManager::sharesToTokensCall {
                    strategy: self.asset.get(),
                    shares: withdrawable,
                }
                .abi_encode(),
            )?
        };
        Ok(staked)
    }

    /// The vault's deposit scaling factor in the DelegationManager.
    fn scaling(&self) -> Result<U256, Error> {
        peer_u256(
            self.delegation_manager.get(),
            &IDelegationManager::depositScalingFactorCall {
                staker: self.vm().contract_address(),
                strategy: self.asset.get(),
            }
            .abi_encode(),
        )
    }

    /// The vault's stake: deposit shares `D`, deposit scaling factor `k` (WAD without deposit
    /// shares), slashing factor `m` (its operator's max magnitude, WAD while undelegated) and the
    /// operator. `m` is read even without deposit shares: the next deposit's value depends on it.
    ///
    /// # Errors
    /// * [`Error::UnrecordedWithdrawal`] - undelegated with a withdrawal the vault has not recorded
    ///   (only a forced undelegation queues one; the vault cannot be delegated again before it is
    ///   recorded, so a delegated vault has none).
    fn position(&self) -> Result<(U256, U256, U256, Address), Error> {
        let this = self.vm().contract_address();
        let asset = self.asset.get();
        let d = peer_u256(
            self.strategy_manager.get(),
            &IStrategyManager::depositSharesCall {
                staker: this,
                strategy: asset,
            }
            .abi_encode(),
        )?;
        let k = if d.is_zero() { WAD } else { self.scaling()? };
        let operator = self.delegated_to()?;
        if operator.is_zero() {
            let queued = peer_u256(
                self.delegation_manager.get(),
                &IDelegationManager::cumulativeWithdrawalsQueuedCall { staker: this }.abi_encode(),
            )?;
            let known = U256::from(self.known.get());
            if queued > known {
                return Err(UnrecordedWithdrawal { nonce: known }.into());
            }
        }
        Ok((d, k, self.magnitude(operator)?, operator))
    }

    /// `operator`'s max magnitude in the asset (WAD for none).
    fn magnitude(&self, operator: Address) -> Result<U256, Error> {
        if operator.is_zero() {
            return Ok(WAD);
        }
        peer_u256(
            self.allocation_manager.get(),
            &IAllocationManager::getMaxMagnitudeCall {
                operator,
                strategy: self.asset.get(),
            }
            .abi_encode(),
        )
    }

    /// The operator the DelegationManager has the vault delegated to.
    fn delegated_to(&self) -> Result<Address, Error> {
        let dm = self.delegation_manager.get();
        let query = IDelegationManager::delegatedToCall {
            staker: self.vm().contract_address(),
        };
        call::static_call(dm, &query.abi_encode())
            .and_then(call::decode_address)
            .map_err(Error::peer(dm))
    }

    /// The vault's withdrawal of the asset as the DelegationManager stores it.
    fn vault_withdrawal(
        &self,
        operator: Address,
        nonce: U256,
        start: u64,
        scaled: U256,
    ) -> Withdrawal {
        Withdrawal {
            staker: self.vm().contract_address(),
            delegatedTo: operator,
            nonce,
            startTimestamp: start,
            strategies: vec![self.asset.get()],
            scaledShares: vec![scaled],
        }
    }

    /// Records the vault's withdrawal with the next nonce as pending.
    fn push_recorded(&mut self, operator: Address, start: u64, scaled: U256) {
        let nonce = self.known.get();
        let mut slot = self.recorded.grow();
        slot.operator.set(operator);
        slot.start.set(U64::from(start));
        slot.nonce.set(nonce);
        slot.scaled.set(scaled);
        self.known.set(nonce + alloy_primitives::Uint::from(1));
        log(
            self.vm(),
            WithdrawalRecorded {
                nonce: U256::from(nonce),
                operator,
                scaledShares: scaled,
            },
        );
    }

    /// Recorded withdrawal `index`: operator, queue time, scaled shares (zero past the end).
    fn recorded_at(&self, index: usize) -> (Address, u64, U256) {
        self.recorded.getter(index).map_or(Default::default(), |r| {
            (r.operator.get(), r.start.get().u64(), r.scaled.get())
        })
    }

    /// The deposit shares of the vault's position `state` whose withdrawal pays at most `assets`:
    /// strategy shares `w = ⌊assets·(S+1e3)/(B+1e3)⌋`, then `x = ⌊⌊w·WAD/k⌋·WAD/m⌋`, at most what
    /// the vault holds. Each floor keeps `⌊⌊x·k/WAD⌋·m/WAD⌋ ≤ w` (zero for a fully slashed
    /// operator).
    fn shares_worth(&self, state: &State, assets: U256) -> Result<U256, Error> {
        if assets.is_zero() || state.d.is_zero() || state.m.is_zero() {
            return Ok(U256::ZERO);
        }
        let w = peer_u256(
            self.strategy_manager.get(),
            &IStrategyManager::tokensToSharesCall {
                strategy: self.asset.get(),
                amount: assets,
            }
            .abi_encode(),
        )?;
        Ok(math::calc_deposit_shares(w, state.k, state.m)?.min(state.d))
    }

    /// Deposit checks shared by `deposit` and `mint`; returns the state before.
    fn check_deposit(&self, amount: U256, receiver: Address) -> Result<State, Error> {
        self.admin.when_not_paused(pause::VAULT_DEPOSITS)?;
        if amount.is_zero() {
            return Err(ZeroAmount {}.into());
        }
        if receiver.is_zero() {
            return Err(ZeroAddress {}.into());
        }
        self.state()
    }

    /// What a deposit's value depends on beyond `state`, read once.
    fn pool(&self) -> Result<Pool, Error> {
        let (sm, asset) = (self.strategy_manager.get(), self.asset.get());
        Ok(Pool {
            total: peer_u256(
                sm,
                &IStrategyManager::totalSharesCall { strategy: asset }.abi_encode(),
            )?,
            balance: call::balance_of(asset, sm).map_err(Error::peer(asset))?,
        })
    }

    /// Shares a deposit of `assets` mints now.
    fn deposit_shares_for(&self, state: &State, assets: U256) -> Result<U256, Error> {
        deposit_shares(state, &self.pool()?, assets)
    }

    /// The least deposit that mints at least `shares` in `state`: the plain price rounded up when
    /// that suffices (the usual case), else a doubling search for a deposit that does, then a
    /// bisection down to the least one (a deposit's shares never fall as it grows).
    fn mint_cost(&self, state: &State, shares: U256) -> Result<U256, Error> {
        let pool = self.pool()?;
        let first = to_assets(shares, state.t, state.n, Rounding::Up)?;
        let mut covered = deposit_shares(state, &pool, first)?;
        if covered >= shares {
            return Ok(first);
        }
        // `low` mints too few; find `high` that mints enough.
        let (mut low, mut step) = (first, first.max(U256::from(1)));
        let mut high = loop {
            let Some(next) = low.checked_add(step) else {
                return Err(DepositShortfall { shares, covered }.into());
            };
            covered = deposit_shares(state, &pool, next)?;
            if covered >= shares {
                break next;
            }
            low = next;
            step = step.saturating_mul(U256::from(2));
        };
        while high - low > U256::from(1) {
            let mid = low + ((high - low) >> 1);
            if deposit_shares(state, &pool, mid)? >= shares {
                high = mid;
            } else {
                low = mid;
            }
        }
        Ok(high)
    }

    /// Refuses a deposit that takes total assets `t` above the cap.
    fn check_cap(&self, t: U256, assets: U256) -> Result<(), Error> {
        let cap = self.cap.get();
        let after = t.saturating_add(assets);
        if after > cap {
            return Err(VaultCapExceeded {
                cap,
                totalAssetsAfter: after,
            }
            .into());
        }
        Ok(())
    }

    /// `(room under the cap, T, N)`; no room while deposits are paused.
    fn deposit_room(&self) -> Result<(U256, U256, U256), Error> {
        let state = self.state()?;
        let (t, n) = (state.t, state.n);
        // Paused, or the operator fully slashed (a deposit would be refused).
        if self.admin.when_not_paused(pause::VAULT_DEPOSITS).is_err() || state.m.is_zero() {
            return Ok((U256::ZERO, t, n));
        }
        Ok((self.cap.get().saturating_sub(t), t, n))
    }

    /// Pulls `assets` from the caller and stakes them; returns the value total assets gained
    /// (the strategy rounds its shares down, and the vault's scaling factor moves with them).
    fn enter(&mut self, assets: U256, before: &State) -> Result<U256, Error> {
        let sender = self.vm().msg_sender();
        let (asset, this) = (self.asset.get(), self.vm().contract_address());
        let held = call::balance_of(asset, this).map_err(Error::peer(asset))?;
        call::safe_transfer_from(self.vm(), asset, sender, this, assets).map_err(|e| {
            TokenTransferFailed {
                token: asset,
                reason: e.data(),
            }
        })?;
        // A fee on transfer would make the deposit stake other holders' idle assets.
        let received = call::balance_of(asset, this)
            .map_err(Error::peer(asset))?
            .saturating_sub(held);
        if received < assets {
            return Err(TransferShortfall {
                token: asset,
                expected: assets,
                received,
            }
            .into());
        }
        self.stake_gain(assets, before)
    }

    /// Stakes `assets` the vault holds; returns what total assets gained.
    fn stake_gain(&mut self, assets: U256, before: &State) -> Result<U256, Error> {
        let added = self.stake(assets)?;
        let d = before.d.checked_add(added).ok_or(MathOverflow {})?;
        let t = self
            .staked_value(d, self.scaling()?, before.m, before.pending)?
            .checked_add(before.idle)
            .ok_or(MathOverflow {})?;
        Ok(t.saturating_sub(before.t))
    }

    /// `(what the vault's booked units are worth, how many there are)`: its balance of the asset
    /// capped at `held`, and `held` (what idle and the reserves are worth is `booked·have/held`).
    fn held_ratio(&self) -> Result<(U256, U256), Error> {
        let held = self.held.get();
        if held.is_zero() {
            return Ok((held, held));
        }
        let (asset, this) = (self.asset.get(), self.vm().contract_address());
        let balance = call::balance_of(asset, this).map_err(Error::peer(asset))?;
        Ok((balance.min(held), held))
    }

    /// Profit shares still locked now: `locked` falls linearly from `locked_at` to
    /// `unlocked_at`, rounded up (profit is never priced in early).
    fn shares_locked_now(&self) -> Result<U256, Error> {
        let (from, to) = (
            self.locked_at.get().to::<u64>(),
            self.unlocked_at.get().to::<u64>(),
        );
        let now = self.vm().block_timestamp();
        if now >= to {
            return Ok(U256::ZERO);
        }
        Ok(math::mul_div(
            self.locked.get(),
            U256::from(to - now),
            U256::from(to - from),
            Rounding::Up,
        )?)
    }

    /// Total assets grew by `gained` from `state` (a restaked reward, a swept surplus), of which
    /// `minted` new shares took their part: locks profit shares, held by nobody, so that the
    /// price does not move now and rises as they unlock. Being shares, they bear a later slash
    /// or negative rebase like every other share.
    fn lock_gain(&mut self, gained: U256, state: &State, minted: U256) -> Result<(), Error> {
        let supply = virtual_supply(state.n)?;
        let after = state
            .t
            .checked_add(gained)
            .and_then(|t| t.checked_add(U256::from(1)))
            .ok_or(MathOverflow {})?;
        // The supply at which the price after equals the price before, rounded down.
        let level = math::mul_div(after, supply, state.t + U256::from(1), Rounding::Down)?;
        let shares = level.saturating_sub(supply).saturating_sub(minted);
        if shares.is_zero() {
            return Ok(());
        }
        // The sum unlocks by a date weighted by shares between the old one and a full period
        // from now, so locking again neither speeds up nor resets what was locked before.
        let (now, still) = (self.vm().block_timestamp(), state.locked);
        let period = U256::from(self.unlock_period.get().to::<u32>());
        let left = U256::from(self.unlocked_at.get().to::<u64>().saturating_sub(now));
        let locked = still.checked_add(shares).ok_or(MathOverflow {})?;
        let weighted = still
            .checked_mul(left)
            .and_then(|a| shares.checked_mul(period).and_then(|b| a.checked_add(b)))
            .ok_or(MathOverflow {})?;
        let lasts = math::mul_div(weighted, U256::from(1), locked, Rounding::Up)?;
        let unlocked_at = now.saturating_add(lasts.saturating_to::<u64>());
        self.locked.set(locked);
        self.locked_at.set(U64::from(now));
        self.unlocked_at.set(U64::from(unlocked_at));
        log(
            self.vm(),
            ProfitLocked {
                profit: gained,
                lockedShares: locked,
                fullyUnlockedAt: unlocked_at,
            },
        );
        Ok(())
    }

    /// Mints `shares` to `receiver` for a deposit of `assets` by the caller.
    fn mint_for(&mut self, assets: U256, shares: U256, receiver: Address) -> Result<(), Error> {
        self.mint_shares(receiver, shares)?;
        log(
            self.vm(),
            Deposit {
                sender: self.vm().msg_sender(),
                owner: receiver,
                assets,
                shares,
            },
        );
        Ok(())
    }

    /// Deposits `assets` held by the vault into the StrategyManager; returns the deposit shares
    /// credited.
    fn stake(&mut self, assets: U256) -> Result<U256, Error> {
        let sm = self.strategy_manager.get();
        let deposit = IStrategyManager::depositCall {
            strategy: self.asset.get(),
            amount: assets,
        };
        call::call(sm, &deposit.abi_encode())
            .and_then(call::decode_u256)
            .map_err(Error::peer(sm))
    }

    /// `controller`'s claimable `(shares, value)`, if its batch is completed: the value is
    /// `min(value at request, ⌊shares·realised/batch shares⌋)`.
    fn claimable(&self, controller: Address) -> Result<Option<(U256, U256)>, Error> {
        Ok(self.owed(controller)?.1.map(|o| (o.shares, o.assets)))
    }

    /// `controller`'s request batch id and, if that batch is completed, what it is owed.
    fn owed(&self, controller: Address) -> Result<(U64, Option<Owed>), Error> {
        let request = self.requests.getter(controller);
        let id = request.batch.get();
        let batch = self.batches.getter(id);
        if id.is_zero() || batch.state.get().u8() != COMPLETED {
            return Ok((id, None));
        }
        let (shares, realised, total, cap) = (
            request.shares.get(),
            batch.assets.get(),
            batch.shares.get(),
            request.assets.get(),
        );
        let units = math::mul_div(shares, realised, total, Rounding::Down)?;
        let ratio = self.held_ratio()?;
        Ok((
            id,
            Some(Owed {
                shares,
                assets: worth_of(units, ratio, Rounding::Down)?.min(cap),
                cap,
                realised,
                total,
                ratio,
            }),
        ))
    }

    /// Shares of `controller`'s request if it is in batch `request_id` and that batch is
    /// (`claimable`) or is not (`!claimable`) completed.
    fn request_in(&self, request_id: U256, controller: Address, claimable: bool) -> U256 {
        let request = self.requests.getter(controller);
        let id = request.batch.get();
        if id.is_zero() || U256::from(id) != request_id {
            return U256::ZERO;
        }
        let completed = self.batches.getter(id).state.get().u8() == COMPLETED;
        if completed == claimable {
            request.shares.get()
        } else {
            U256::ZERO
        }
    }

    /// Pays part of `controller`'s claimable request; returns `(assets, shares)`.
    fn claim(
        &mut self,
        amount: Claim,
        receiver: Address,
        controller: Address,
    ) -> Result<(U256, U256), Error> {
        let sender = self.acting_for(controller)?;
        let (Claim::Shares(x) | Claim::Assets(x)) = amount;
        if x.is_zero() {
            return Err(ZeroAmount {}.into());
        }
        if receiver.is_zero() {
            return Err(ZeroAddress {}.into());
        }
        let (id, owed) = self.owed(controller)?;
        let Some(Owed {
            shares: held,
            assets: owed,
            cap,
            realised,
            total,
            ratio,
        }) = owed
        else {
            return Err(RequestNotClaimable {
                requestId: U256::from(id),
            }
            .into());
        };
        let (assets, shares) = match amount {
            Claim::Shares(shares) if shares > held => {
                return Err(InsufficientBalance {
                    owner: controller,
                    have: held,
                    want: shares,
                }
                .into())
            }
            Claim::Shares(shares) => (math::mul_div(owed, shares, held, Rounding::Down)?, shares),
            Claim::Assets(assets) if assets > owed => {
                return Err(InsufficientBalance {
                    owner: controller,
                    have: owed,
                    want: assets,
                }
                .into())
            }
            Claim::Assets(assets) => (assets, math::mul_div(assets, held, owed, Rounding::Up)?),
        };
        // The booked units these shares realised, and those that pay `assets`; the rest goes back
        // to the holders (swept at the next completion), and so does the batch's rounding dust
        // with its last claim.
        let worth = math::mul_div(shares, realised, total, Rounding::Down)?;
        let paid = units_for(assets, ratio, Rounding::Up)?.min(worth);
        let batch = self.batches.getter(id);
        let unclaimed = batch
            .unclaimed
            .get()
            .checked_sub(shares)
            .ok_or(MathOverflow {})?;
        let mut reserve = batch
            .reserve
            .get()
            .checked_sub(worth)
            .ok_or(MathOverflow {})?;
        let mut returned = worth - paid;
        if unclaimed.is_zero() {
            returned = returned.checked_add(reserve).ok_or(MathOverflow {})?;
            reserve = U256::ZERO;
        }
        let mut batch = self.batches.setter(id);
        batch.unclaimed.set(unclaimed);
        batch.reserve.set(reserve);
        let mut request = self.requests.setter(controller);
        let left = held - shares;
        request.shares.set(left);
        // What is left of the value at request, pro rata, in assets.
        request
            .assets
            .set(math::mul_div(cap, left, held, Rounding::Down)?);
        if left.is_zero() {
            request.batch.set(U64::ZERO);
        }
        self.held.set(self.held.get().saturating_sub(paid));
        let unswept = self.unswept.get().checked_add(returned);
        self.unswept.set(unswept.ok_or(MathOverflow {})?);
        let asset = self.asset.get();
        call::safe_transfer(self.vm(), asset, receiver, assets).map_err(|e| {
            TokenTransferFailed {
                token: asset,
                reason: e.data(),
            }
        })?;
        log(
            self.vm(),
            Withdraw {
                sender,
                receiver,
                owner: controller,
                assets,
                shares,
            },
        );
        Ok((assets, shares))
    }

    /// Whether `operator` may act for `controller` (both modules).
    fn is_operator_of(&self, controller: Address, operator: Address) -> bool {
        self.operators.getter(controller).get(operator)
    }

    /// The caller, when it is `controller` or one of its operators; else `NotControllerOrOperator`.
    fn acting_for(&self, controller: Address) -> Result<Address, Error> {
        let sender = self.vm().msg_sender();
        if sender != controller && !self.is_operator_of(controller, sender) {
            return Err(NotControllerOrOperator {
                caller: sender,
                controller,
            }
            .into());
        }
        Ok(sender)
    }

    /// Lowers `owner`'s allowance for `spender` by `value` (not an unlimited one).
    fn spend_allowance(
        &mut self,
        owner: Address,
        spender: Address,
        value: U256,
    ) -> Result<(), Error> {
        let allowed = self.allowances.getter(owner).get(spender);
        if allowed == U256::MAX {
            return Ok(());
        }
        if allowed < value {
            return Err(InsufficientAllowance {
                owner,
                spender,
                have: allowed,
                want: value,
            }
            .into());
        }
        self.allowances
            .setter(owner)
            .setter(spender)
            .set(allowed - value);
        Ok(())
    }

    /// Moves `value` shares from `from` to `to`.
    fn move_shares(&mut self, from: Address, to: Address, value: U256) -> Result<(), Error> {
        if to.is_zero() {
            return Err(ZeroAddress {}.into());
        }
        let have = self.balances.get(from);
        if have < value {
            return Err(InsufficientBalance {
                owner: from,
                have,
                want: value,
            }
            .into());
        }
        self.balances.setter(from).set(have - value);
        let to_balance = self.balances.get(to);
        self.balances.setter(to).set(to_balance + value);
        log(self.vm(), Transfer { from, to, value });
        Ok(())
    }

    /// Mints `value` shares to `to`.
    fn mint_shares(&mut self, to: Address, value: U256) -> Result<(), Error> {
        let supply = self
            .total_supply
            .get()
            .checked_add(value)
            .ok_or(MathOverflow {})?;
        self.total_supply.set(supply);
        let balance = self.balances.get(to);
        self.balances.setter(to).set(balance + value);
        log(
            self.vm(),
            Transfer {
                from: Address::ZERO,
                to,
                value,
            },
        );
        Ok(())
    }

    /// Burns `value` shares of `from`.
    fn burn(&mut self, from: Address, value: U256) -> Result<(), Error> {
        let have = self.balances.get(from);
        let left = have.checked_sub(value).ok_or(MathOverflow {})?;
        self.balances.setter(from).set(left);
        self.total_supply.set(self.total_supply.get() - value);
        log(
            self.vm(),
            Transfer {
                from,
                to: Address::ZERO,
                value,
            },
        );
        Ok(())
    }

    /// Stores the curator.
    fn write_curator(&mut self, curator: Address) -> Result<(), Error> {
        if curator.is_zero() {
            return Err(ZeroAddress {}.into());
        }
        self.curator.set(curator);
        log(self.vm(), CuratorSet { curator });
        Ok(())
    }

    /// Stores the treasury.
    fn write_treasury(&mut self, treasury: Address) -> Result<(), Error> {
        if treasury.is_zero() {
            return Err(ZeroAddress {}.into());
        }
        self.treasury.set(treasury);
        log(self.vm(), TreasurySet { treasury });
        Ok(())
    }

    /// Stores the fee, at most the fixed maximum.
    fn write_fee(&mut self, fee_bips: u16) -> Result<(), Error> {
        if fee_bips > MAX_PERFORMANCE_FEE_BIPS {
            return Err(BipsTooHigh {
                bips: fee_bips,
                max: MAX_PERFORMANCE_FEE_BIPS,
            }
            .into());
        }
        self.fee_bips.set(alloy_primitives::Uint::from(fee_bips));
        log(self.vm(), PerformanceFeeSet { feeBips: fee_bips });
        Ok(())
    }

    /// Stores the cap.
    fn write_cap(&mut self, cap: U256) {
        self.cap.set(cap);
        log(self.vm(), VaultCapSet { cap });
    }
}

/// A view call to `peer` returning one `uint256`.
fn peer_u256(peer: Address, data: &[u8]) -> Result<U256, Error> {
    call::static_call(peer, data)
        .and_then(call::decode_u256)
        .map_err(Error::peer(peer))
}

/// `N + V`.
fn virtual_supply(n: U256) -> Result<U256, Error> {
    Ok(n.checked_add(VIRTUAL_SHARES).ok_or(MathOverflow {})?)
}

/// What depositing `assets` would add to total assets in `state`: the StrategyManager's shares
/// for them, the DelegationManager's new scaling factor and the vault's withdrawable shares, each
/// with the rounding `deposit` meets (0 where the StrategyManager would mint no shares).
fn deposit_value(state: &State, pool: &Pool, assets: U256) -> Result<U256, Error> {
    let added = math::shares_for_deposit(assets, pool.total, pool.balance)?;
    if added.is_zero() {
        return Ok(U256::ZERO);
    }
    let d = state.d.checked_add(added).ok_or(MathOverflow {})?;
    let k = math::update_scaling_factor(state.k, state.d, added, state.m)?;
    let withdrawable = math::calc_withdrawable(d, k, state.m)?
        .checked_add(state.pending)
        .ok_or(MathOverflow {})?;
    let staked = math::tokens_for_shares(
        withdrawable,
        pool.total.checked_add(added).ok_or(MathOverflow {})?,
        pool.balance.checked_add(assets).ok_or(MathOverflow {})?,
    )?;
    Ok(staked
        .checked_add(state.idle)
        .ok_or(MathOverflow {})?
        .saturating_sub(state.t))
}

/// Shares a deposit of `assets` mints in `state` (0 where `deposit` refuses with `ZeroShares`).
fn deposit_shares(state: &State, pool: &Pool, assets: U256) -> Result<U256, Error> {
    if assets.is_zero() {
        return Ok(U256::ZERO);
    }
    to_shares(
        deposit_value(state, pool, assets)?,
        state.t,
        state.n,
        Rounding::Down,
    )
}

/// What `booked` units are worth at `(have, held)` (see [`LrtVault::held_ratio`]).
fn worth_of(booked: U256, (have, held): (U256, U256), rounding: Rounding) -> Result<U256, Error> {
    if have == held {
        return Ok(booked);
    }
    Ok(math::mul_div(booked, have, held, rounding)?)
}

/// Booked units worth `assets` at `(have, held)`, rounded as asked (one unit per asset when
/// nothing is held any more).
fn units_for(assets: U256, (have, held): (U256, U256), rounding: Rounding) -> Result<U256, Error> {
    if have == held || have.is_zero() {
        return Ok(assets);
    }
    Ok(math::mul_div(assets, held, have, rounding)?)
}

/// Shares for `assets`: `assets·(N+V)/(T+1)`, rounded as asked.
fn to_shares(assets: U256, t: U256, n: U256, rounding: Rounding) -> Result<U256, Error> {
    let t1 = t.checked_add(U256::from(1)).ok_or(MathOverflow {})?;
    Ok(math::mul_div(assets, virtual_supply(n)?, t1, rounding)?)
}

/// Assets for `shares`: `shares·(T+1)/(N+V)`, rounded as asked.
fn to_assets(shares: U256, t: U256, n: U256, rounding: Rounding) -> Result<U256, Error> {
    let t1 = t.checked_add(U256::from(1)).ok_or(MathOverflow {})?;
    Ok(math::mul_div(shares, t1, virtual_supply(n)?, rounding)?)
}

/// Adds `value` to a stored amount.
fn add(slot: &mut StorageU256, value: U256) -> Result<(), Error> {
    let sum = slot.get().checked_add(value).ok_or(MathOverflow {})?;
    slot.set(sum);
    Ok(())
}

/// The single element of a returned one-element `bytes32[]` (offset, length 1, word).
fn array_word(out: &[u8]) -> Result<[u8; 32], call::CallError> {
    let word = out
        .get(64..96)
        .filter(|_| out.len() == 96 && out[32..64] == U256::from(1).to_be_bytes::<32>());
    word.and_then(|w| w.try_into().ok())
        .ok_or_else(|| call::CallError::BadReturn(out.to_vec()))
}
