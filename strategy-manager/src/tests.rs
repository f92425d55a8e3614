//! Unit tests of the StrategyManager on motsu, with the real mock token and small mock peers.
//!
//! motsu runs the contracts natively: storage, events, nested calls and reverts behave as on
//! chain, but the block timestamp is fixed at [`NOW`], the chain id defaults to 42161, and every
//! account reports code size 0 — so EIP-1271 wallets (which need code) are exercised on the
//! devnode's integration suite, not here.

use alloc::{string::String, vec::Vec};

use alloy_primitives::{uint, Address, B256, U256};
use alloy_signer::SignerSync;
use alloy_sol_types::{SolCall, SolError};
use mock_token::{
    MockToken, ReentryAttempted, KIND_FEE_ON_TRANSFER, KIND_REBASING, KIND_REENTRANT, KIND_STANDARD,
};
use motsu::prelude::*;
use restaking_abi::abi::OperatorSetNotFound;
use restaking_abi::constants::{BURN_ADDRESS, MAX_STAKER_STRATEGIES, WAD};
use stylus_sdk::{
    prelude::*,
    storage::{StorageAddress, StorageBool, StorageU256},
};

use super::*;
use restaking_abi::admin::AdminError;

const NOW: u64 = 1_735_689_600;
const ETHER: U256 = uint!(1_000_000_000_000_000_000_U256);

// ───────────────────────────── mock peers ─────────────────────────────

/// Stands in for the DelegationManager: records the deposit hook, can be told to revert.
#[storage]
struct MockDelegationManager {
    calls: StorageU256,
    last_staker: StorageAddress,
    last_prev: StorageU256,
    last_added: StorageU256,
    revert: StorageBool,
}

unsafe impl TopLevelStorage for MockDelegationManager {}

#[public]
impl MockDelegationManager {
    /// The deposit hook.
    fn increase_delegated_shares(
        &mut self,
        staker: Address,
        _strategy: Address,
        prev: U256,
        added: U256,
    ) -> Result<(), Vec<u8>> {
        if self.revert.get() {
            return Err(FullySlashed {
                operator: staker,
                strategy: Address::ZERO,
            }
            .abi_encode());
        }
        let calls = self.calls.get() + U256::from(1);
        self.calls.set(calls);
        self.last_staker.set(staker);
        self.last_prev.set(prev);
        self.last_added.set(added);
        Ok(())
    }
}

impl MockDelegationManager {
    fn set_revert(&mut self, revert: bool) {
        self.revert.set(revert);
    }
}

/// Stands in for the AllocationManager: answers the redistribution recipient of every set.
#[storage]
struct MockAllocationManager {
    recipient: StorageAddress,
    revert: StorageBool,
}

unsafe impl TopLevelStorage for MockAllocationManager {}

#[public]
impl MockAllocationManager {
    /// Zero means "burn".
    fn get_redistribution_recipient(&self, operator_set: OperatorSet) -> Result<Address, Vec<u8>> {
        if self.revert.get() {
            return Err(OperatorSetNotFound {
                avs: operator_set.avs,
                id: operator_set.id,
            }
            .abi_encode());
        }
        Ok(self.recipient.get())
    }
}

// ───────────────────────────── fixture ─────────────────────────────

fn deploy(
    sm: &Contract<StrategyManager>,
    dm: &Contract<MockDelegationManager>,
    am: &Contract<MockAllocationManager>,
    owner: Address,
) {
    sm.sender(owner).constructor(owner).motsu_unwrap();
    sm.sender(owner)
        .initialize(dm.address(), am.address())
        .motsu_unwrap();
}

fn new_token(
    token: &Contract<MockToken>,
    sm: &Contract<StrategyManager>,
    owner: Address,
    kind: u8,
    fee_bips: u16,
) {
    token
        .sender(owner)
        .constructor(
            String::from("Staked Ether"),
            String::from("stETH"),
            18,
            kind,
            fee_bips,
        )
        .motsu_unwrap();
    sm.sender(owner)
        .set_strategy_whitelist(token.address(), true)
        .motsu_unwrap();
}

/// Mints `amount` to `who` and approves the StrategyManager for it.
fn fund(token: &Contract<MockToken>, sm: &Contract<StrategyManager>, who: Address, amount: U256) {
    token.sender(who).mint(who, amount).motsu_unwrap();
    token.sender(who).approve(sm.address(), amount);
}

fn sign(account: &Account, digest: B256) -> ([u8; 65], u8, B256, B256) {
    let sig = account
        .signer()
        .sign_hash_sync(&digest)
        .expect("signing a 32-byte digest cannot fail");
    let (v, r, s) = (
        27 + u8::from(sig.v()),
        B256::from(sig.r()),
        B256::from(sig.s()),
    );
    let mut bytes = [0u8; 65];
    bytes[..32].copy_from_slice(r.as_slice());
    bytes[32..64].copy_from_slice(s.as_slice());
    bytes[64] = v;
    (bytes, v, r, s)
}

fn deposit_digest(
    sm: &Contract<StrategyManager>,
    chain_id: u64,
    staker: Address,
    strategy: Address,
    amount: U256,
    nonce: U256,
    expiry: U256,
) -> B256 {
    eip712::deposit_digest(
        chain_id,
        sm.address(),
        staker,
        strategy,
        amount,
        nonce,
        expiry,
    )
}

fn set(avs: Address, id: u32) -> OperatorSet {
    OperatorSet { avs, id }
}

// ───────────────────────────── initialisation and admin ─────────────────────────────

#[motsu::test]
fn initialize_sets_peers_once(
    sm: Contract<StrategyManager>,
    dm: Contract<MockDelegationManager>,
    am: Contract<MockAllocationManager>,
    owner: Address,
) {
    deploy(&sm, &dm, &am, owner);
    assert_eq!(sm.sender(owner).delegation_manager(), dm.address());
    assert_eq!(sm.sender(owner).allocation_manager(), am.address());
    sm.assert_emitted(&Initialized {
        peer1: dm.address(),
        peer2: am.address(),
        peer3: Address::ZERO,
    });
    let err = sm
        .sender(owner)
        .initialize(am.address(), dm.address())
        .motsu_unwrap_err();
    assert!(matches!(err, Error::AlreadyInitialized(_)));
    assert_eq!(sm.sender(owner).delegation_manager(), dm.address());
}

#[motsu::test]
fn initialize_is_owner_only_and_rejects_zero(
    sm: Contract<StrategyManager>,
    owner: Address,
    mallory: Address,
) {
    sm.sender(owner).constructor(owner).motsu_unwrap();
    let err = sm
        .sender(mallory)
        .initialize(mallory, mallory)
        .motsu_unwrap_err();
    assert!(matches!(err, Error::Unauthorized(Unauthorized { caller }) if caller == mallory));
    let err = sm
        .sender(owner)
        .initialize(Address::ZERO, owner)
        .motsu_unwrap_err();
    assert!(matches!(err, Error::ZeroAddress(_)));
    assert_eq!(sm.sender(owner).delegation_manager(), Address::ZERO);
}

#[motsu::test]
fn constructor_rejects_zero_owner(sm: Contract<StrategyManager>, alice: Address) {
    let err = sm
        .sender(alice)
        .constructor(Address::ZERO)
        .motsu_unwrap_err();
    assert!(matches!(err, Error::ZeroAddress(_)));
}

#[motsu::test]
fn ownership_moves_in_two_steps(
    sm: Contract<StrategyManager>,
    owner: Address,
    next: Address,
    mallory: Address,
) {
    sm.sender(owner).constructor(owner).motsu_unwrap();
    sm.sender(owner)
        .admin
        .transfer_ownership(next)
        .motsu_unwrap();
    sm.assert_emitted(&OwnershipTransferStarted {
        previousOwner: owner,
        newOwner: next,
    });
    assert_eq!(sm.sender(owner).admin.owner(), owner);
    let err = sm
        .sender(mallory)
        .admin
        .accept_ownership()
        .motsu_unwrap_err();
    assert!(
        matches!(err, AdminError::NotPendingOwner(NotPendingOwner { caller, pendingOwner }) if caller == mallory && pendingOwner == next)
    );
    sm.sender(next).admin.accept_ownership().motsu_unwrap();
    sm.assert_emitted(&OwnershipTransferred {
        previousOwner: owner,
        newOwner: next,
    });
    assert_eq!(sm.sender(next).admin.owner(), next);
    assert_eq!(sm.sender(next).admin.pending_owner(), Address::ZERO);
    let err = sm
        .sender(owner)
        .admin
        .transfer_ownership(owner)
        .motsu_unwrap_err();
    assert!(matches!(err, AdminError::Unauthorized(_)));
}

#[motsu::test]
fn pausers_pause_and_only_owner_unpauses(
    sm: Contract<StrategyManager>,
    dm: Contract<MockDelegationManager>,
    am: Contract<MockAllocationManager>,
    token: Contract<MockToken>,
    owner: Address,
    pauser: Address,
    alice: Address,
) {
    deploy(&sm, &dm, &am, owner);
    new_token(&token, &sm, owner, KIND_STANDARD, 0);
    fund(&token, &sm, alice, ETHER);
    let err = sm
        .sender(pauser)
        .admin
        .pause(U256::from(1))
        .motsu_unwrap_err();
    assert!(matches!(err, AdminError::Unauthorized(Unauthorized { caller }) if caller == pauser));
    sm.sender(owner)
        .admin
        .set_pauser(pauser, true)
        .motsu_unwrap();
    sm.assert_emitted(&PauserSet {
        pauser,
        allowed: true,
    });
    assert!(sm.sender(owner).admin.is_pauser(pauser));
    sm.sender(pauser).admin.pause(U256::from(1)).motsu_unwrap();
    sm.assert_emitted(&Paused {
        account: pauser,
        newPausedStatus: U256::from(1),
    });

    let err = sm
        .sender(alice)
        .deposit(token.address(), ETHER)
        .motsu_unwrap_err();
    assert!(matches!(err, Error::ActionPaused(ActionPaused { bit: 0 })));
    assert_eq!(token.sender(alice).balance_of(alice), ETHER);

    let err = sm
        .sender(pauser)
        .admin
        .unpause(U256::from(1))
        .motsu_unwrap_err();
    assert!(matches!(err, AdminError::Unauthorized(_)));
    sm.sender(owner).admin.unpause(U256::from(1)).motsu_unwrap();
    sm.assert_emitted(&Unpaused {
        account: owner,
        newPausedStatus: U256::ZERO,
    });
    assert_eq!(
        sm.sender(alice)
            .deposit(token.address(), ETHER)
            .motsu_unwrap(),
        ETHER
    );
}

#[motsu::test]
fn whitelist_and_cap_are_owner_only(
    sm: Contract<StrategyManager>,
    owner: Address,
    mallory: Address,
    token: Address,
) {
    sm.sender(owner).constructor(owner).motsu_unwrap();
    let err = sm
        .sender(mallory)
        .set_strategy_whitelist(token, true)
        .motsu_unwrap_err();
    assert!(matches!(err, Error::Unauthorized(Unauthorized { caller }) if caller == mallory));
    let err = sm
        .sender(mallory)
        .set_deposit_cap(token, U256::from(5))
        .motsu_unwrap_err();
    assert!(matches!(err, Error::Unauthorized(_)));
    let err = sm
        .sender(owner)
        .set_strategy_whitelist(Address::ZERO, true)
        .motsu_unwrap_err();
    assert!(matches!(err, Error::ZeroAddress(_)));
    sm.sender(owner)
        .set_strategy_whitelist(token, true)
        .motsu_unwrap();
    sm.assert_emitted(&StrategyWhitelistSet {
        strategy: token,
        whitelisted: true,
    });
    sm.sender(owner)
        .set_deposit_cap(token, U256::from(5))
        .motsu_unwrap();
    sm.assert_emitted(&DepositCapSet {
        strategy: token,
        cap: U256::from(5),
    });
    assert!(sm.sender(owner).is_whitelisted(token));
    assert_eq!(sm.sender(owner).deposit_cap(token), U256::from(5));
}

// ───────────────────────────── deposit ─────────────────────────────

#[motsu::test]
fn first_deposit_mints_one_share_per_token_and_calls_the_hook(
    sm: Contract<StrategyManager>,
    dm: Contract<MockDelegationManager>,
    am: Contract<MockAllocationManager>,
    token: Contract<MockToken>,
    owner: Address,
    alice: Address,
) {
    deploy(&sm, &dm, &am, owner);
    new_token(&token, &sm, owner, KIND_STANDARD, 0);
    fund(&token, &sm, alice, U256::from(5) * ETHER);

    let shares = sm
        .sender(alice)
        .deposit(token.address(), U256::from(2) * ETHER)
        .motsu_unwrap();
    assert_eq!(shares, U256::from(2) * ETHER);
    sm.assert_emitted(&Deposit {
        staker: alice,
        strategy: token.address(),
        amount: U256::from(2) * ETHER,
        shares,
    });
    assert_eq!(
        sm.sender(alice).deposit_shares(alice, token.address()),
        shares
    );
    assert_eq!(sm.sender(alice).total_shares(token.address()), shares);
    assert_eq!(
        token.sender(alice).balance_of(sm.address()),
        U256::from(2) * ETHER
    );
    assert_eq!(token.sender(alice).balance_of(alice), U256::from(3) * ETHER);
    assert_eq!(dm.sender(alice).calls.get(), U256::from(1));
    assert_eq!(dm.sender(alice).last_staker.get(), alice);
    assert_eq!(dm.sender(alice).last_prev.get(), U256::ZERO);
    assert_eq!(dm.sender(alice).last_added.get(), shares);

    // A second deposit reports the previous deposit shares to the hook.
    sm.sender(alice)
        .deposit(token.address(), ETHER)
        .motsu_unwrap();
    assert_eq!(dm.sender(alice).last_prev.get(), U256::from(2) * ETHER);
    assert_eq!(
        sm.sender(alice).staker_strategies(alice),
        vec![token.address()]
    );
}

#[motsu::test]
fn deposit_prices_shares_on_the_balance_before_the_transfer(
    sm: Contract<StrategyManager>,
    dm: Contract<MockDelegationManager>,
    am: Contract<MockAllocationManager>,
    token: Contract<MockToken>,
    owner: Address,
    alice: Address,
    bob: Address,
) {
    deploy(&sm, &dm, &am, owner);
    new_token(&token, &sm, owner, KIND_STANDARD, 0);
    fund(&token, &sm, alice, U256::from(1_000));
    fund(&token, &sm, bob, U256::from(1_000));
    sm.sender(alice)
        .deposit(token.address(), U256::from(1_000))
        .motsu_unwrap();
    // 500 tokens of rewards arrive: B = 1500, S = 1000.
    token
        .sender(owner)
        .mint(sm.address(), U256::from(500))
        .motsu_unwrap();
    // Bob's 1000 tokens: ⌊1000·(1000+1000)/(1500+1000)⌋ = 800 shares.
    assert_eq!(
        sm.sender(bob)
            .deposit(token.address(), U256::from(1_000))
            .motsu_unwrap(),
        U256::from(800)
    );
    // Views: 800 shares = ⌊(2500+1000)·800/(1800+1000)⌋ = 1000 tokens; 1000 tokens = 800 shares.
    assert_eq!(
        sm.sender(bob)
            .shares_to_tokens(token.address(), U256::from(800))
            .motsu_unwrap(),
        U256::from(1_000)
    );
    assert_eq!(
        sm.sender(bob)
            .tokens_to_shares(token.address(), U256::from(1_000))
            .motsu_unwrap(),
        U256::from(800)
    );
}

#[motsu::test]
fn deposit_rejects_bad_input_without_state_change(
    sm: Contract<StrategyManager>,
    dm: Contract<MockDelegationManager>,
    am: Contract<MockAllocationManager>,
    token: Contract<MockToken>,
    other: Contract<MockToken>,
    owner: Address,
    alice: Address,
) {
    deploy(&sm, &dm, &am, owner);
    new_token(&token, &sm, owner, KIND_STANDARD, 0);
    other
        .sender(owner)
        .constructor(
            String::from("Other"),
            String::from("OTH"),
            18,
            KIND_STANDARD,
            0,
        )
        .motsu_unwrap();
    fund(&token, &sm, alice, U256::from(100));

    let err = sm
        .sender(alice)
        .deposit(token.address(), U256::ZERO)
        .motsu_unwrap_err();
    assert!(matches!(err, Error::ZeroAmount(_)));
    let err = sm
        .sender(alice)
        .deposit(other.address(), U256::from(1))
        .motsu_unwrap_err();
    assert!(
        matches!(err, Error::StrategyNotWhitelisted(StrategyNotWhitelisted { strategy }) if strategy == other.address())
    );
    // More than approved: the token's own error is carried in TokenTransferFailed.
    let err = sm
        .sender(alice)
        .deposit(token.address(), U256::from(101))
        .motsu_unwrap_err();
    assert!(
        matches!(&err, Error::TokenTransferFailed(TokenTransferFailed { token: t, reason })
        if *t == token.address() && reason.starts_with(&mock_token::ERC20InsufficientAllowance::SELECTOR))
    );

    sm.sender(owner)
        .set_deposit_cap(token.address(), U256::from(99))
        .motsu_unwrap();
    let err = sm
        .sender(alice)
        .deposit(token.address(), U256::from(100))
        .motsu_unwrap_err();
    assert!(
        matches!(err, Error::DepositCapExceeded(DepositCapExceeded { cap, balanceAfter, .. })
        if cap == U256::from(99) && balanceAfter == U256::from(100))
    );

    // A hook revert (e.g. a fully slashed operator) undoes the whole deposit.
    sm.sender(owner)
        .set_deposit_cap(token.address(), U256::ZERO)
        .motsu_unwrap();
    dm.sender(owner).set_revert(true);
    let err = sm
        .sender(alice)
        .deposit(token.address(), U256::from(100))
        .motsu_unwrap_err();
    assert!(
        matches!(&err, Error::PeerCallFailed(PeerCallFailed { peer, reason })
        if *peer == dm.address() && reason.starts_with(&FullySlashed::SELECTOR))
    );

    assert_eq!(token.sender(alice).balance_of(alice), U256::from(100));
    assert_eq!(sm.sender(alice).total_shares(token.address()), U256::ZERO);
    assert_eq!(
        sm.sender(alice).deposit_shares(alice, token.address()),
        U256::ZERO
    );
    assert_eq!(dm.sender(alice).calls.get(), U256::ZERO);
}

#[motsu::test]
fn deposit_before_initialize_is_refused(
    sm: Contract<StrategyManager>,
    token: Contract<MockToken>,
    owner: Address,
    alice: Address,
) {
    sm.sender(owner).constructor(owner).motsu_unwrap();
    new_token(&token, &sm, owner, KIND_STANDARD, 0);
    fund(&token, &sm, alice, U256::from(10));
    let err = sm
        .sender(alice)
        .deposit(token.address(), U256::from(10))
        .motsu_unwrap_err();
    assert!(matches!(err, Error::NotInitialized(_)));
}

#[motsu::test]
fn deposit_worth_zero_shares_reverts(
    sm: Contract<StrategyManager>,
    dm: Contract<MockDelegationManager>,
    am: Contract<MockAllocationManager>,
    token: Contract<MockToken>,
    owner: Address,
    alice: Address,
    bob: Address,
) {
    deploy(&sm, &dm, &am, owner);
    new_token(&token, &sm, owner, KIND_STANDARD, 0);
    fund(&token, &sm, alice, U256::from(1));
    sm.sender(alice)
        .deposit(token.address(), U256::from(1))
        .motsu_unwrap();
    // A huge donation makes one token worth less than one share: ⌊1·1001/(1e21+1+1000)⌋ = 0.
    token
        .sender(owner)
        .mint(sm.address(), U256::from(1_000) * ETHER)
        .motsu_unwrap();
    fund(&token, &sm, bob, U256::from(1));
    let err = sm
        .sender(bob)
        .deposit(token.address(), U256::from(1))
        .motsu_unwrap_err();
    assert!(
        matches!(err, Error::ZeroSharesMinted(ZeroSharesMinted { amount, .. }) if amount == U256::from(1))
    );
    assert_eq!(token.sender(bob).balance_of(bob), U256::from(1));
}

#[motsu::test]
fn inflation_attack_leaves_the_next_depositor_at_least_999_per_mille(
    sm: Contract<StrategyManager>,
    dm: Contract<MockDelegationManager>,
    am: Contract<MockAllocationManager>,
    token: Contract<MockToken>,
    owner: Address,
    attacker: Address,
    victim: Address,
) {
    deploy(&sm, &dm, &am, owner);
    new_token(&token, &sm, owner, KIND_STANDARD, 0);
    // The attacker deposits 1 wei, then donates 1 ether straight to the contract.
    fund(&token, &sm, attacker, U256::from(1) + ETHER);
    sm.sender(attacker)
        .deposit(token.address(), U256::from(1))
        .motsu_unwrap();
    token
        .sender(attacker)
        .transfer(sm.address(), ETHER)
        .motsu_unwrap();
    // The victim deposits 1 ether.
    fund(&token, &sm, victim, ETHER);
    let shares = sm
        .sender(victim)
        .deposit(token.address(), ETHER)
        .motsu_unwrap();
    let value = sm
        .sender(victim)
        .shares_to_tokens(token.address(), shares)
        .motsu_unwrap();
    assert!(
        value * U256::from(1_000) >= ETHER * U256::from(999),
        "victim keeps only {value} of {ETHER}"
    );
    // And the attacker lost almost all of the donation.
    let attacker_value = sm
        .sender(attacker)
        .shares_to_tokens(token.address(), U256::from(1))
        .motsu_unwrap();
    assert!(attacker_value < ETHER / U256::from(1_000));
}

#[motsu::test]
fn fee_on_transfer_token_credits_only_what_arrived(
    sm: Contract<StrategyManager>,
    dm: Contract<MockDelegationManager>,
    am: Contract<MockAllocationManager>,
    token: Contract<MockToken>,
    owner: Address,
    alice: Address,
) {
    deploy(&sm, &dm, &am, owner);
    new_token(&token, &sm, owner, KIND_FEE_ON_TRANSFER, 200); // 2%
    fund(&token, &sm, alice, U256::from(10_000));
    let shares = sm
        .sender(alice)
        .deposit(token.address(), U256::from(10_000))
        .motsu_unwrap();
    assert_eq!(shares, U256::from(9_800));
    sm.assert_emitted(&Deposit {
        staker: alice,
        strategy: token.address(),
        amount: U256::from(9_800),
        shares,
    });
    assert_eq!(
        token.sender(alice).balance_of(sm.address()),
        U256::from(9_800)
    );
}

#[motsu::test]
fn rebasing_token_moves_share_value_up_and_down(
    sm: Contract<StrategyManager>,
    dm: Contract<MockDelegationManager>,
    am: Contract<MockAllocationManager>,
    token: Contract<MockToken>,
    owner: Address,
    alice: Address,
    bob: Address,
) {
    deploy(&sm, &dm, &am, owner);
    new_token(&token, &sm, owner, KIND_REBASING, 0);
    fund(&token, &sm, alice, U256::from(1_000_000));
    assert_eq!(
        sm.sender(alice)
            .deposit(token.address(), U256::from(1_000_000))
            .motsu_unwrap(),
        U256::from(1_000_000)
    );

    token
        .sender(owner)
        .set_rate(uint!(1_100_000_000_000_000_000_U256))
        .motsu_unwrap(); // +10%
                         // ⌊(1_100_000+1000)·1_000_000/(1_000_000+1000)⌋ = 1_099_900
    assert_eq!(
        sm.sender(alice)
            .shares_to_tokens(token.address(), U256::from(1_000_000))
            .motsu_unwrap(),
        U256::from(1_099_900)
    );
    // Bob deposits after the rebase up and gets fewer shares per token.
    fund(&token, &sm, bob, U256::from(110_000));
    let bob_shares = sm
        .sender(bob)
        .deposit(token.address(), U256::from(110_000))
        .motsu_unwrap();
    // ⌊110_000·1_001_000/1_101_000⌋ = 100_009
    assert_eq!(bob_shares, U256::from(100_009));

    token
        .sender(owner)
        .set_rate(uint!(900_000_000_000_000_000_U256))
        .motsu_unwrap(); // below the original
                         // The contract holds 1_100_000 units: 990_000 tokens at 0.9.
    let balance = token.sender(owner).balance_of(sm.address());
    assert_eq!(balance, U256::from(990_000));
    // ⌊(990_000+1000)·1_000_000/(1_100_009+1000)⌋ = 900_083: alice bears her share of the loss.
    assert_eq!(
        sm.sender(alice)
            .shares_to_tokens(token.address(), U256::from(1_000_000))
            .motsu_unwrap(),
        U256::from(900_083)
    );
}

#[motsu::test]
fn reentrant_token_cannot_double_credit(
    sm: Contract<StrategyManager>,
    dm: Contract<MockDelegationManager>,
    am: Contract<MockAllocationManager>,
    token: Contract<MockToken>,
    owner: Address,
    alice: Address,
) {
    deploy(&sm, &dm, &am, owner);
    new_token(&token, &sm, owner, KIND_REENTRANT, 0);
    // The token itself holds funds and approval, and reenters `deposit` during alice's transfer.
    fund(&token, &sm, token.address(), U256::from(500));
    let reentry = IStrategyManager::depositCall {
        strategy: token.address(),
        amount: U256::from(500),
    }
    .abi_encode();
    token
        .sender(owner)
        .set_reentry(sm.address(), reentry.into())
        .motsu_unwrap();
    fund(&token, &sm, alice, U256::from(1_000));

    let shares = sm
        .sender(alice)
        .deposit(token.address(), U256::from(1_000))
        .motsu_unwrap();
    assert_eq!(shares, U256::from(1_000));
    token.assert_emitted(&ReentryAttempted {
        target: sm.address(),
        success: false,
        returnData: ReentrantCall {}.abi_encode().into(),
    });
    assert_eq!(
        sm.sender(alice).total_shares(token.address()),
        U256::from(1_000)
    );
    assert_eq!(
        sm.sender(alice)
            .deposit_shares(token.address(), token.address()),
        U256::ZERO
    );
    assert_eq!(
        token.sender(alice).balance_of(sm.address()),
        U256::from(1_000)
    );
}

#[motsu::test]
fn thirty_third_strategy_is_refused(
    sm: Contract<StrategyManager>,
    dm: Contract<MockDelegationManager>,
    am: Contract<MockAllocationManager>,
    owner: Address,
    alice: Address,
) {
    deploy(&sm, &dm, &am, owner);
    let tokens: Vec<Contract<MockToken>> = (0..=MAX_STAKER_STRATEGIES)
        .map(|_| Contract::<MockToken>::new())
        .collect();
    for token in &tokens {
        new_token(token, &sm, owner, KIND_STANDARD, 0);
        fund(token, &sm, alice, U256::from(10));
    }
    for token in &tokens[..MAX_STAKER_STRATEGIES as usize] {
        sm.sender(alice)
            .deposit(token.address(), U256::from(10))
            .motsu_unwrap();
    }
    let last = tokens.last().expect("33 tokens").address();
    let err = sm
        .sender(alice)
        .deposit(last, U256::from(10))
        .motsu_unwrap_err();
    assert!(
        matches!(err, Error::TooManyStrategies(TooManyStrategies { staker, max: 32 }) if staker == alice)
    );
    assert_eq!(sm.sender(alice).staker_strategies(alice).len(), 32);
    // Depositing more into a strategy already held is still fine.
    fund(&tokens[0], &sm, alice, U256::from(10));
    sm.sender(alice)
        .deposit(tokens[0].address(), U256::from(10))
        .motsu_unwrap();
}

// ───────────────────────────── signed and permit deposits ─────────────────────────────

#[motsu::test]
fn deposit_with_signature_credits_the_signer_once(
    sm: Contract<StrategyManager>,
    dm: Contract<MockDelegationManager>,
    am: Contract<MockAllocationManager>,
    token: Contract<MockToken>,
    owner: Address,
    staker: Account,
    relayer: Address,
) {
    deploy(&sm, &dm, &am, owner);
    new_token(&token, &sm, owner, KIND_STANDARD, 0);
    fund(&token, &sm, relayer, U256::from(2_000));
    let (amount, expiry) = (U256::from(1_000), U256::from(NOW + 3_600));
    let digest = deposit_digest(
        &sm,
        42_161,
        staker.address(),
        token.address(),
        amount,
        U256::ZERO,
        expiry,
    );
    let (sig, ..) = sign(&staker, digest);

    let shares = sm
        .sender(relayer)
        .deposit_with_signature(
            token.address(),
            amount,
            staker.address(),
            expiry,
            sig.to_vec().into(),
        )
        .motsu_unwrap();
    assert_eq!(shares, amount);
    assert_eq!(
        sm.sender(relayer)
            .deposit_shares(staker.address(), token.address()),
        amount
    );
    assert_eq!(sm.sender(relayer).nonces(staker.address()), U256::from(1));
    assert_eq!(token.sender(relayer).balance_of(relayer), U256::from(1_000));

    // Replay: the nonce moved on, so the same signature no longer matches.
    let err = sm
        .sender(relayer)
        .deposit_with_signature(
            token.address(),
            amount,
            staker.address(),
            expiry,
            sig.to_vec().into(),
        )
        .motsu_unwrap_err();
    assert!(
        matches!(err, Error::InvalidSignature(InvalidSignature { signer }) if signer == staker.address())
    );
    assert_eq!(sm.sender(relayer).nonces(staker.address()), U256::from(1));
}

#[motsu::test]
fn deposit_with_signature_rejects_expired_wrong_signer_and_other_chain(
    sm: Contract<StrategyManager>,
    dm: Contract<MockDelegationManager>,
    am: Contract<MockAllocationManager>,
    token: Contract<MockToken>,
    owner: Address,
    staker: Account,
    mallory: Account,
    relayer: Address,
) {
    deploy(&sm, &dm, &am, owner);
    new_token(&token, &sm, owner, KIND_STANDARD, 0);
    fund(&token, &sm, relayer, U256::from(1_000));
    let amount = U256::from(1_000);

    let expired = U256::from(NOW - 1);
    let (sig, ..) = sign(
        &staker,
        deposit_digest(
            &sm,
            42_161,
            staker.address(),
            token.address(),
            amount,
            U256::ZERO,
            expired,
        ),
    );
    let err = sm
        .sender(relayer)
        .deposit_with_signature(
            token.address(),
            amount,
            staker.address(),
            expired,
            sig.to_vec().into(),
        )
        .motsu_unwrap_err();
    assert!(
        matches!(err, Error::SignatureExpired(SignatureExpired { expiry, now }) if expiry == expired && now == U256::from(NOW))
    );

    let expiry = U256::from(NOW);
    let digest = deposit_digest(
        &sm,
        42_161,
        staker.address(),
        token.address(),
        amount,
        U256::ZERO,
        expiry,
    );
    let (forged, ..) = sign(&mallory, digest);
    let err = sm
        .sender(relayer)
        .deposit_with_signature(
            token.address(),
            amount,
            staker.address(),
            expiry,
            forged.to_vec().into(),
        )
        .motsu_unwrap_err();
    assert!(
        matches!(err, Error::InvalidSignature(InvalidSignature { signer }) if signer == staker.address())
    );

    // Signed for chain 1: not valid on this chain (42161).
    let (other_chain, ..) = sign(
        &staker,
        deposit_digest(
            &sm,
            1,
            staker.address(),
            token.address(),
            amount,
            U256::ZERO,
            expiry,
        ),
    );
    let err = sm
        .sender(relayer)
        .deposit_with_signature(
            token.address(),
            amount,
            staker.address(),
            expiry,
            other_chain.to_vec().into(),
        )
        .motsu_unwrap_err();
    assert!(matches!(err, Error::InvalidSignature(_)));

    // A different amount than signed.
    let (sig, ..) = sign(&staker, digest);
    let err = sm
        .sender(relayer)
        .deposit_with_signature(
            token.address(),
            amount - U256::from(1),
            staker.address(),
            expiry,
            sig.to_vec().into(),
        )
        .motsu_unwrap_err();
    assert!(matches!(err, Error::InvalidSignature(_)));

    assert_eq!(sm.sender(relayer).nonces(staker.address()), U256::ZERO);
    assert_eq!(token.sender(relayer).balance_of(relayer), U256::from(1_000));
    // The signature made for this chain still works afterwards.
    sm.sender(relayer)
        .deposit_with_signature(
            token.address(),
            amount,
            staker.address(),
            expiry,
            sig.to_vec().into(),
        )
        .motsu_unwrap();
}

fn permit_digest(
    token: &Contract<MockToken>,
    owner: Address,
    spender: Address,
    value: U256,
    nonce: U256,
    deadline: U256,
) -> B256 {
    let separator = token.sender(owner).domain_separator();
    let hash = mock_token::permit_struct_hash(owner, spender, value, nonce, deadline);
    eip712::typed_data_digest(separator, hash)
}

#[motsu::test]
fn deposit_with_permit_needs_no_prior_approval(
    sm: Contract<StrategyManager>,
    dm: Contract<MockDelegationManager>,
    am: Contract<MockAllocationManager>,
    token: Contract<MockToken>,
    owner: Address,
    alice: Account,
) {
    deploy(&sm, &dm, &am, owner);
    new_token(&token, &sm, owner, KIND_STANDARD, 0);
    token
        .sender(alice.address())
        .mint(alice.address(), U256::from(700))
        .motsu_unwrap();
    let deadline = U256::from(NOW + 60);
    let (_, v, r, s) = sign(
        &alice,
        permit_digest(
            &token,
            alice.address(),
            sm.address(),
            U256::from(700),
            U256::ZERO,
            deadline,
        ),
    );
    let shares = sm
        .sender(alice.address())
        .deposit_with_permit(token.address(), U256::from(700), deadline, v, r, s)
        .motsu_unwrap();
    assert_eq!(shares, U256::from(700));
    assert_eq!(token.sender(owner).nonces(alice.address()), U256::from(1));
    assert_eq!(
        token.sender(owner).balance_of(sm.address()),
        U256::from(700)
    );
}

#[motsu::test]
fn deposit_with_permit_survives_a_front_run_permit_but_not_a_bad_one(
    sm: Contract<StrategyManager>,
    dm: Contract<MockDelegationManager>,
    am: Contract<MockAllocationManager>,
    token: Contract<MockToken>,
    owner: Address,
    alice: Account,
    mallory: Address,
) {
    deploy(&sm, &dm, &am, owner);
    new_token(&token, &sm, owner, KIND_STANDARD, 0);
    token
        .sender(alice.address())
        .mint(alice.address(), U256::from(700))
        .motsu_unwrap();
    let deadline = U256::from(NOW + 60);
    let (_, v, r, s) = sign(
        &alice,
        permit_digest(
            &token,
            alice.address(),
            sm.address(),
            U256::from(300),
            U256::ZERO,
            deadline,
        ),
    );

    // A permit signed for 300 cannot fund a 700 deposit: the token rejects it, no allowance exists.
    let err = sm
        .sender(alice.address())
        .deposit_with_permit(token.address(), U256::from(700), deadline, v, r, s)
        .motsu_unwrap_err();
    assert!(
        matches!(&err, Error::PermitFailed(PermitFailed { token: t, reason })
        if *t == token.address() && reason.starts_with(&mock_token::ERC2612InvalidSigner::SELECTOR))
    );

    // Mallory front-runs the permit itself; alice's deposit still goes through on the allowance.
    token
        .sender(mallory)
        .permit(
            alice.address(),
            sm.address(),
            U256::from(300),
            deadline,
            v,
            r,
            s,
        )
        .motsu_unwrap();
    let shares = sm
        .sender(alice.address())
        .deposit_with_permit(token.address(), U256::from(300), deadline, v, r, s)
        .motsu_unwrap();
    assert_eq!(shares, U256::from(300));
    assert_eq!(
        token.sender(owner).balance_of(alice.address()),
        U256::from(400)
    );
}

// ───────────────────────────── DelegationManager-only share moves ─────────────────────────────

#[motsu::test]
fn share_moves_are_delegation_manager_only(
    sm: Contract<StrategyManager>,
    dm: Contract<MockDelegationManager>,
    am: Contract<MockAllocationManager>,
    token: Contract<MockToken>,
    owner: Address,
    mallory: Address,
) {
    deploy(&sm, &dm, &am, owner);
    new_token(&token, &sm, owner, KIND_STANDARD, 0);
    let t = token.address();
    let unauthorized =
        |e: &Error| matches!(e, Error::Unauthorized(Unauthorized { caller }) if *caller == mallory);
    assert!(unauthorized(
        &sm.sender(mallory)
            .remove_deposit_shares(mallory, t, U256::from(1))
            .motsu_unwrap_err()
    ));
    assert!(unauthorized(
        &sm.sender(mallory)
            .add_shares(mallory, t, U256::from(1))
            .motsu_unwrap_err()
    ));
    assert!(unauthorized(
        &sm.sender(mallory)
            .withdraw_shares_as_tokens(mallory, t, U256::from(1))
            .motsu_unwrap_err()
    ));
    assert!(unauthorized(
        &sm.sender(mallory)
            .increase_burn_or_redistributable_shares(
                set(mallory, 1),
                U256::from(1),
                t,
                U256::from(1)
            )
            .motsu_unwrap_err()
    ));
}

#[motsu::test]
fn withdrawal_path_removes_then_pays_tokens_at_the_current_rate(
    sm: Contract<StrategyManager>,
    dm: Contract<MockDelegationManager>,
    am: Contract<MockAllocationManager>,
    token: Contract<MockToken>,
    owner: Address,
    alice: Address,
) {
    deploy(&sm, &dm, &am, owner);
    new_token(&token, &sm, owner, KIND_STANDARD, 0);
    fund(&token, &sm, alice, U256::from(10_000));
    sm.sender(alice)
        .deposit(token.address(), U256::from(10_000))
        .motsu_unwrap();
    let (t, d) = (token.address(), dm.address());

    let err = sm
        .sender(d)
        .remove_deposit_shares(alice, t, U256::from(10_001))
        .motsu_unwrap_err();
    assert!(
        matches!(err, Error::InsufficientShares(InsufficientShares { have, want, .. }) if have == U256::from(10_000) && want == U256::from(10_001))
    );
    let err = sm
        .sender(d)
        .remove_deposit_shares(alice, t, U256::ZERO)
        .motsu_unwrap_err();
    assert!(matches!(err, Error::ZeroAmount(_)));
    let err = sm
        .sender(d)
        .remove_deposit_shares(Address::ZERO, t, U256::from(1))
        .motsu_unwrap_err();
    assert!(matches!(err, Error::ZeroAddress(_)));

    assert_eq!(
        sm.sender(d)
            .remove_deposit_shares(alice, t, U256::from(4_000))
            .motsu_unwrap(),
        U256::from(6_000)
    );
    sm.assert_emitted(&DepositSharesRemoved {
        staker: alice,
        strategy: t,
        shares: U256::from(4_000),
    });
    // Removed shares are queued, not burned: the total is unchanged until paid out.
    assert_eq!(sm.sender(d).total_shares(t), U256::from(10_000));

    // Yield accrues (B = 12_000) before the queued shares are paid: 4000 shares = ⌊13000·4000/11000⌋ = 4727.
    token
        .sender(owner)
        .mint(sm.address(), U256::from(2_000))
        .motsu_unwrap();
    assert_eq!(
        sm.sender(d)
            .withdraw_shares_as_tokens(alice, t, U256::from(4_000))
            .motsu_unwrap(),
        U256::from(4_727)
    );
    sm.assert_emitted(&SharesWithdrawnAsTokens {
        recipient: alice,
        strategy: t,
        shares: U256::from(4_000),
        amount: U256::from(4_727),
    });
    assert_eq!(token.sender(alice).balance_of(alice), U256::from(4_727));
    assert_eq!(sm.sender(d).total_shares(t), U256::from(6_000));

    let err = sm
        .sender(d)
        .withdraw_shares_as_tokens(alice, t, U256::from(6_001))
        .motsu_unwrap_err();
    assert!(
        matches!(err, Error::InsufficientShares(InsufficientShares { have, .. }) if have == U256::from(6_000))
    );
    let err = sm
        .sender(d)
        .withdraw_shares_as_tokens(Address::ZERO, t, U256::from(1))
        .motsu_unwrap_err();
    assert!(matches!(err, Error::ZeroAddress(_)));
    let err = sm
        .sender(d)
        .withdraw_shares_as_tokens(alice, t, U256::ZERO)
        .motsu_unwrap_err();
    assert!(matches!(err, Error::ZeroAmount(_)));

    // Removing everything drops the strategy from the staker's list.
    sm.sender(d)
        .remove_deposit_shares(alice, t, U256::from(6_000))
        .motsu_unwrap();
    assert!(sm.sender(d).staker_strategies(alice).is_empty());
}

#[motsu::test]
fn add_shares_relists_the_strategy_and_respects_the_limit(
    sm: Contract<StrategyManager>,
    dm: Contract<MockDelegationManager>,
    am: Contract<MockAllocationManager>,
    owner: Address,
    alice: Address,
) {
    deploy(&sm, &dm, &am, owner);
    let d = dm.address();
    let strategies: Vec<Address> = (1..=33u8).map(Address::repeat_byte).collect();
    for s in &strategies[..32] {
        assert_eq!(
            sm.sender(d)
                .add_shares(alice, *s, U256::from(5))
                .motsu_unwrap(),
            U256::ZERO
        );
    }
    sm.assert_emitted(&DepositSharesAdded {
        staker: alice,
        strategy: strategies[31],
        shares: U256::from(5),
    });
    assert_eq!(
        sm.sender(d)
            .add_shares(alice, strategies[0], U256::from(5))
            .motsu_unwrap(),
        U256::from(5)
    );
    let err = sm
        .sender(d)
        .add_shares(alice, strategies[32], U256::from(5))
        .motsu_unwrap_err();
    assert!(matches!(
        err,
        Error::TooManyStrategies(TooManyStrategies { max: 32, .. })
    ));
    let err = sm
        .sender(d)
        .add_shares(Address::ZERO, strategies[0], U256::from(5))
        .motsu_unwrap_err();
    assert!(matches!(err, Error::ZeroAddress(_)));
    let err = sm
        .sender(d)
        .add_shares(alice, strategies[0], U256::ZERO)
        .motsu_unwrap_err();
    assert!(matches!(err, Error::ZeroAmount(_)));
    assert_eq!(
        sm.sender(d).deposit_shares(alice, strategies[0]),
        U256::from(10)
    );
}

// ───────────────────────────── slashed shares ─────────────────────────────

#[motsu::test]
fn slashed_shares_are_burned_when_the_set_does_not_redistribute(
    sm: Contract<StrategyManager>,
    dm: Contract<MockDelegationManager>,
    am: Contract<MockAllocationManager>,
    token: Contract<MockToken>,
    owner: Address,
    alice: Address,
    avs: Address,
    anyone: Address,
) {
    deploy(&sm, &dm, &am, owner);
    new_token(&token, &sm, owner, KIND_STANDARD, 0);
    fund(&token, &sm, alice, U256::from(10_000));
    sm.sender(alice)
        .deposit(token.address(), U256::from(10_000))
        .motsu_unwrap();
    let (t, d, op_set, id) = (token.address(), dm.address(), set(avs, 7), U256::from(1));

    sm.sender(d)
        .increase_burn_or_redistributable_shares(op_set.clone(), id, t, U256::from(1_000))
        .motsu_unwrap();
    sm.assert_emitted(&SlashedSharesRecorded {
        avs,
        operatorSetId: 7,
        slashId: id,
        strategy: t,
        shares: U256::from(1_000),
    });
    assert_eq!(
        sm.sender(anyone).slashed_shares(op_set.clone(), id, t),
        U256::from(1_000)
    );
    let err = sm
        .sender(d)
        .increase_burn_or_redistributable_shares(op_set.clone(), id, t, U256::from(1))
        .motsu_unwrap_err();
    assert!(matches!(
        err,
        Error::SlashedSharesAlreadyRecorded(SlashedSharesAlreadyRecorded {
            operatorSetId: 7,
            ..
        })
    ));
    // Zero shares record nothing (a slash of an operator without stake in this strategy).
    sm.sender(d)
        .increase_burn_or_redistributable_shares(op_set.clone(), U256::from(2), t, U256::ZERO)
        .motsu_unwrap();
    assert_eq!(
        sm.sender(anyone)
            .slashed_shares(op_set.clone(), U256::from(2), t),
        U256::ZERO
    );

    // 1000 shares = ⌊(10000+1000)·1000/(10000+1000)⌋ = 1000 tokens, to the burn address.
    assert_eq!(
        sm.sender(anyone)
            .clear_slashed(op_set.clone(), id, t)
            .motsu_unwrap(),
        U256::from(1_000)
    );
    sm.assert_emitted(&SlashedSharesCleared {
        avs,
        operatorSetId: 7,
        slashId: id,
        strategy: t,
        recipient: BURN_ADDRESS,
        shares: U256::from(1_000),
        amount: U256::from(1_000),
    });
    assert_eq!(
        token.sender(anyone).balance_of(BURN_ADDRESS),
        U256::from(1_000)
    );
    assert_eq!(sm.sender(anyone).total_shares(t), U256::from(9_000));
    let err = sm
        .sender(anyone)
        .clear_slashed(op_set, id, t)
        .motsu_unwrap_err();
    assert!(
        matches!(err, Error::NoSlashedShares(NoSlashedShares { avs: a, operatorSetId: 7, .. }) if a == avs)
    );
}

#[motsu::test]
fn slashed_shares_go_to_the_redistribution_recipient(
    sm: Contract<StrategyManager>,
    dm: Contract<MockDelegationManager>,
    am: Contract<MockAllocationManager>,
    token: Contract<MockToken>,
    owner: Address,
    alice: Address,
    avs: Address,
    insurance: Address,
) {
    deploy(&sm, &dm, &am, owner);
    new_token(&token, &sm, owner, KIND_STANDARD, 0);
    am.sender(owner).recipient.set(insurance);
    fund(&token, &sm, alice, U256::from(10_000));
    sm.sender(alice)
        .deposit(token.address(), U256::from(10_000))
        .motsu_unwrap();
    sm.sender(dm.address())
        .increase_burn_or_redistributable_shares(
            set(avs, 1),
            U256::from(3),
            token.address(),
            U256::from(2_500),
        )
        .motsu_unwrap();
    assert_eq!(
        sm.sender(alice)
            .clear_slashed(set(avs, 1), U256::from(3), token.address())
            .motsu_unwrap(),
        U256::from(2_500)
    );
    assert_eq!(token.sender(alice).balance_of(insurance), U256::from(2_500));
    assert_eq!(token.sender(alice).balance_of(BURN_ADDRESS), U256::ZERO);
}

#[motsu::test]
fn clear_slashed_surfaces_an_allocation_manager_revert(
    sm: Contract<StrategyManager>,
    dm: Contract<MockDelegationManager>,
    am: Contract<MockAllocationManager>,
    token: Contract<MockToken>,
    owner: Address,
    alice: Address,
    avs: Address,
) {
    deploy(&sm, &dm, &am, owner);
    new_token(&token, &sm, owner, KIND_STANDARD, 0);
    fund(&token, &sm, alice, U256::from(100));
    sm.sender(alice)
        .deposit(token.address(), U256::from(100))
        .motsu_unwrap();
    sm.sender(dm.address())
        .increase_burn_or_redistributable_shares(
            set(avs, 2),
            U256::from(1),
            token.address(),
            U256::from(10),
        )
        .motsu_unwrap();
    am.sender(owner).revert.set(true);
    let err = sm
        .sender(alice)
        .clear_slashed(set(avs, 2), U256::from(1), token.address())
        .motsu_unwrap_err();
    assert!(
        matches!(&err, Error::PeerCallFailed(PeerCallFailed { peer, reason })
        if *peer == am.address() && *reason == OperatorSetNotFound { avs, id: 2 }.abi_encode())
    );
    assert_eq!(
        sm.sender(alice)
            .slashed_shares(set(avs, 2), U256::from(1), token.address()),
        U256::from(10)
    );
    assert_eq!(
        token.sender(alice).balance_of(sm.address()),
        U256::from(100)
    );
}

#[motsu::test]
fn slashed_record_cannot_exceed_the_strategy_total(
    sm: Contract<StrategyManager>,
    dm: Contract<MockDelegationManager>,
    am: Contract<MockAllocationManager>,
    token: Contract<MockToken>,
    owner: Address,
    alice: Address,
    avs: Address,
) {
    deploy(&sm, &dm, &am, owner);
    new_token(&token, &sm, owner, KIND_STANDARD, 0);
    fund(&token, &sm, alice, U256::from(100));
    sm.sender(alice)
        .deposit(token.address(), U256::from(100))
        .motsu_unwrap();
    let err = sm
        .sender(dm.address())
        .increase_burn_or_redistributable_shares(
            set(avs, 1),
            U256::from(1),
            token.address(),
            U256::from(101),
        )
        .motsu_unwrap_err();
    assert!(
        matches!(err, Error::InsufficientShares(InsufficientShares { have, want, .. }) if have == U256::from(100) && want == U256::from(101))
    );
    assert_eq!(
        sm.sender(alice)
            .slashed_shares(set(avs, 1), U256::from(1), token.address()),
        U256::ZERO
    );
}

#[motsu::test]
fn total_shares_cannot_pass_1e38_minus_one(
    sm: Contract<StrategyManager>,
    dm: Contract<MockDelegationManager>,
    am: Contract<MockAllocationManager>,
    token: Contract<MockToken>,
    owner: Address,
    whale: Address,
) {
    deploy(&sm, &dm, &am, owner);
    new_token(&token, &sm, owner, KIND_STANDARD, 0);
    let limit = restaking_abi::constants::MAX_TOTAL_SHARES;
    fund(&token, &sm, whale, limit + U256::from(1));
    let err = sm
        .sender(whale)
        .deposit(token.address(), limit + U256::from(1))
        .motsu_unwrap_err();
    assert!(
        matches!(err, Error::TotalSharesExceeded(TotalSharesExceeded { totalShares, .. }) if totalShares == limit + U256::from(1))
    );
    assert_eq!(
        sm.sender(whale)
            .deposit(token.address(), limit)
            .motsu_unwrap(),
        limit
    );
}

#[motsu::test]
fn deposit_up_to_exactly_the_cap_is_accepted(
    sm: Contract<StrategyManager>,
    dm: Contract<MockDelegationManager>,
    am: Contract<MockAllocationManager>,
    token: Contract<MockToken>,
    owner: Address,
    alice: Address,
) {
    deploy(&sm, &dm, &am, owner);
    new_token(&token, &sm, owner, KIND_STANDARD, 0);
    sm.sender(owner)
        .set_deposit_cap(token.address(), U256::from(100))
        .motsu_unwrap();
    let err = sm
        .sender(owner)
        .set_deposit_cap(Address::ZERO, U256::from(1))
        .motsu_unwrap_err();
    assert!(matches!(err, Error::ZeroAddress(_)));
    fund(&token, &sm, alice, U256::from(101));
    assert_eq!(
        sm.sender(alice)
            .deposit(token.address(), U256::from(100))
            .motsu_unwrap(),
        U256::from(100)
    );
    let err = sm
        .sender(alice)
        .deposit(token.address(), U256::from(1))
        .motsu_unwrap_err();
    assert!(
        matches!(err, Error::DepositCapExceeded(DepositCapExceeded { balanceAfter, .. }) if balanceAfter == U256::from(101))
    );
}

#[motsu::test]
fn pause_bit_blocks_every_deposit_path_before_any_external_call(
    sm: Contract<StrategyManager>,
    dm: Contract<MockDelegationManager>,
    am: Contract<MockAllocationManager>,
    token: Contract<MockToken>,
    owner: Address,
    staker: Account,
) {
    deploy(&sm, &dm, &am, owner);
    new_token(&token, &sm, owner, KIND_STANDARD, 0);
    fund(&token, &sm, staker.address(), U256::from(100));
    // Another action's bit does not block deposits.
    sm.sender(owner).admin.pause(U256::from(2)).motsu_unwrap();
    sm.sender(staker.address())
        .deposit(token.address(), U256::from(10))
        .motsu_unwrap();
    // The owner may pause too.
    sm.sender(owner).admin.pause(U256::from(1)).motsu_unwrap();
    let expiry = U256::from(NOW + 60);
    let digest = deposit_digest(
        &sm,
        42_161,
        staker.address(),
        token.address(),
        U256::from(10),
        U256::ZERO,
        expiry,
    );
    let (sig, v, r, s) = sign(&staker, digest);
    let paused = |e: &Error| matches!(e, Error::ActionPaused(ActionPaused { bit: 0 }));
    assert!(paused(
        &sm.sender(staker.address())
            .deposit(token.address(), U256::from(10))
            .motsu_unwrap_err()
    ));
    assert!(paused(
        &sm.sender(owner)
            .deposit_with_signature(
                token.address(),
                U256::from(10),
                staker.address(),
                expiry,
                sig.to_vec().into()
            )
            .motsu_unwrap_err()
    ));
    assert!(paused(
        &sm.sender(staker.address())
            .deposit_with_permit(token.address(), U256::from(10), expiry, v, r, s)
            .motsu_unwrap_err()
    ));
    assert_eq!(sm.sender(owner).nonces(staker.address()), U256::ZERO);
    assert_eq!(token.sender(owner).nonces(staker.address()), U256::ZERO);
}

#[motsu::test]
fn malformed_and_malleable_signatures_are_rejected(
    sm: Contract<StrategyManager>,
    dm: Contract<MockDelegationManager>,
    am: Contract<MockAllocationManager>,
    token: Contract<MockToken>,
    owner: Address,
    staker: Account,
    relayer: Address,
) {
    deploy(&sm, &dm, &am, owner);
    new_token(&token, &sm, owner, KIND_STANDARD, 0);
    fund(&token, &sm, relayer, U256::from(100));
    let (amount, expiry) = (U256::from(100), U256::from(NOW + 60));
    let digest = deposit_digest(
        &sm,
        42_161,
        staker.address(),
        token.address(),
        amount,
        U256::ZERO,
        expiry,
    );
    let (sig, v, r, s) = sign(&staker, digest);
    // The malleable twin (n − s, flipped v) recovers the same signer on plain ecrecover.
    let n = uint!(0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141_U256);
    let mut twin = [0u8; 65];
    twin[..32].copy_from_slice(r.as_slice());
    twin[32..64].copy_from_slice(&(n - U256::from_be_bytes(s.0)).to_be_bytes::<32>());
    twin[64] = if v == 27 { 28 } else { 27 };
    let mut v_zero = sig;
    v_zero[64] -= 27;
    let invalid = |e: &Error| matches!(e, Error::InvalidSignature(InvalidSignature { signer }) if *signer == staker.address());
    for bad in [
        twin.to_vec(),
        v_zero.to_vec(),
        sig[..64].to_vec(),
        Vec::new(),
    ] {
        let err = sm
            .sender(relayer)
            .deposit_with_signature(
                token.address(),
                amount,
                staker.address(),
                expiry,
                bad.into(),
            )
            .motsu_unwrap_err();
        assert!(invalid(&err));
    }
    let err = sm
        .sender(relayer)
        .deposit_with_signature(
            token.address(),
            amount,
            Address::ZERO,
            expiry,
            sig.to_vec().into(),
        )
        .motsu_unwrap_err();
    assert!(matches!(err, Error::ZeroAddress(_)));
    assert_eq!(
        sm.sender(relayer)
            .deposit_with_signature(
                token.address(),
                amount,
                staker.address(),
                expiry,
                sig.to_vec().into()
            )
            .motsu_unwrap(),
        amount
    );
}

#[motsu::test]
fn removing_a_middle_strategy_keeps_the_others_listed(
    sm: Contract<StrategyManager>,
    dm: Contract<MockDelegationManager>,
    am: Contract<MockAllocationManager>,
    owner: Address,
    alice: Address,
) {
    deploy(&sm, &dm, &am, owner);
    let d = dm.address();
    let (a, b, c) = (
        Address::repeat_byte(1),
        Address::repeat_byte(2),
        Address::repeat_byte(3),
    );
    for (s, n) in [(a, 1u64), (b, 2), (c, 3)] {
        sm.sender(d)
            .add_shares(alice, s, U256::from(n))
            .motsu_unwrap();
    }
    assert_eq!(
        sm.sender(d)
            .remove_deposit_shares(alice, a, U256::from(1))
            .motsu_unwrap(),
        U256::ZERO
    );
    assert_eq!(sm.sender(d).staker_strategies(alice), vec![c, b]);
    assert_eq!(sm.sender(d).deposit_shares(alice, c), U256::from(3));
    sm.sender(d)
        .remove_deposit_shares(alice, b, U256::from(1))
        .motsu_unwrap();
    assert_eq!(sm.sender(d).staker_strategies(alice), vec![c, b]);
}

#[motsu::test]
fn payouts_after_a_negative_rebase_never_exceed_the_balance(
    sm: Contract<StrategyManager>,
    dm: Contract<MockDelegationManager>,
    am: Contract<MockAllocationManager>,
    token: Contract<MockToken>,
    owner: Address,
    alice: Address,
    bob: Address,
) {
    deploy(&sm, &dm, &am, owner);
    new_token(&token, &sm, owner, KIND_REBASING, 0);
    for who in [alice, bob] {
        fund(&token, &sm, who, ETHER);
        sm.sender(who)
            .deposit(token.address(), ETHER)
            .motsu_unwrap();
        sm.sender(dm.address())
            .remove_deposit_shares(who, token.address(), ETHER)
            .motsu_unwrap();
    }
    token
        .sender(owner)
        .set_rate(WAD / U256::from(2))
        .motsu_unwrap(); // B = 1e18 against S = 2e18
    let d = dm.address();
    // ⌊(1e18+1e3)·1e18/(2e18+1e3)⌋ = 0.5e18 + 249
    let first = sm
        .sender(d)
        .withdraw_shares_as_tokens(alice, token.address(), ETHER)
        .motsu_unwrap();
    assert_eq!(first, uint!(500_000_000_000_000_249_U256));
    // The formula would owe bob 499 wei more than is left; he gets exactly what is left.
    let second = sm
        .sender(d)
        .withdraw_shares_as_tokens(bob, token.address(), ETHER)
        .motsu_unwrap();
    assert_eq!(second, uint!(499_999_999_999_999_751_U256));
    assert_eq!(token.sender(owner).balance_of(sm.address()), U256::ZERO);
    assert_eq!(sm.sender(d).total_shares(token.address()), U256::ZERO);
}

#[test]
fn wad_is_the_share_unit_of_a_fresh_strategy() {
    assert_eq!(
        math::shares_for_deposit(WAD, U256::ZERO, U256::ZERO),
        Ok(WAD)
    );
}
