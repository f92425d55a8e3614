//! Unit tests of the mock token: each behaviour the protocol's tests rely on.

use alloy_primitives::{address, uint, Address, B256, U256};
use alloy_signer::SignerSync;
use motsu::prelude::*;

use super::*;

const NOW: u64 = 1_735_689_600; // motsu's fixed block timestamp

fn token(contract: &Contract<MockToken>, deployer: Address, kind: u8, fee: u16) {
    contract
        .sender(deployer)
        .constructor("Staked Ether".into(), "stETH".into(), 18, kind, fee)
        .motsu_unwrap();
}

fn permit_digest(
    contract: &Contract<MockToken>,
    owner: Address,
    spender: Address,
    value: U256,
    nonce: U256,
    deadline: U256,
) -> B256 {
    let separator = contract.sender(owner).domain_separator();
    typed_data_digest(
        separator,
        permit_struct_hash(owner, spender, value, nonce, deadline),
    )
}

#[motsu::test]
fn mint_and_transfer_move_exact_balances(
    contract: Contract<MockToken>,
    alice: Address,
    bob: Address,
) {
    token(&contract, alice, KIND_STANDARD, 0);
    contract
        .sender(alice)
        .mint(alice, U256::from(1_000))
        .motsu_unwrap();
    assert!(contract
        .sender(alice)
        .transfer(bob, U256::from(300))
        .motsu_unwrap());
    assert_eq!(contract.sender(alice).balance_of(alice), U256::from(700));
    assert_eq!(contract.sender(alice).balance_of(bob), U256::from(300));
    assert_eq!(contract.sender(alice).total_supply(), U256::from(1_000));
    contract.assert_emitted(&Transfer {
        from: alice,
        to: bob,
        value: U256::from(300),
    });
}

#[motsu::test]
fn transfer_reverts_with_balance_and_receiver_errors(
    contract: Contract<MockToken>,
    alice: Address,
    bob: Address,
) {
    token(&contract, alice, KIND_STANDARD, 0);
    contract
        .sender(alice)
        .mint(alice, U256::from(10))
        .motsu_unwrap();
    let err = contract
        .sender(alice)
        .transfer(bob, U256::from(11))
        .motsu_unwrap_err();
    assert!(
        matches!(err, Error::InsufficientBalance(ERC20InsufficientBalance { sender, balance, needed })
        if sender == alice && balance == U256::from(10) && needed == U256::from(11))
    );
    let err = contract
        .sender(alice)
        .transfer(Address::ZERO, U256::from(1))
        .motsu_unwrap_err();
    assert!(matches!(err, Error::InvalidReceiver(_)));
    assert_eq!(contract.sender(alice).balance_of(alice), U256::from(10));
}

#[motsu::test]
fn transfer_from_spends_allowance(contract: Contract<MockToken>, alice: Address, bob: Address) {
    token(&contract, alice, KIND_STANDARD, 0);
    contract
        .sender(alice)
        .mint(alice, U256::from(100))
        .motsu_unwrap();
    contract.sender(alice).approve(bob, U256::from(40));
    let err = contract
        .sender(bob)
        .transfer_from(alice, bob, U256::from(41))
        .motsu_unwrap_err();
    assert!(
        matches!(err, Error::InsufficientAllowance(ERC20InsufficientAllowance { allowance, .. }) if allowance == U256::from(40))
    );
    contract
        .sender(bob)
        .transfer_from(alice, bob, U256::from(40))
        .motsu_unwrap();
    assert_eq!(contract.sender(alice).allowance(alice, bob), U256::ZERO);
    assert_eq!(contract.sender(alice).balance_of(bob), U256::from(40));
}

#[motsu::test]
fn permit_sets_allowance_once_per_nonce(
    contract: Contract<MockToken>,
    owner: Account,
    spender: Address,
) {
    token(&contract, owner.address(), KIND_STANDARD, 0);
    let (value, deadline) = (U256::from(500), U256::from(NOW + 60));
    let digest = permit_digest(
        &contract,
        owner.address(),
        spender,
        value,
        U256::ZERO,
        deadline,
    );
    let sig = owner.signer().sign_hash_sync(&digest).unwrap();
    let (v, r, s) = (
        27 + u8::from(sig.v()),
        B256::from(sig.r()),
        B256::from(sig.s()),
    );
    contract
        .sender(spender)
        .permit(owner.address(), spender, value, deadline, v, r, s)
        .motsu_unwrap();
    assert_eq!(
        contract.sender(spender).allowance(owner.address(), spender),
        value
    );
    assert_eq!(
        contract.sender(spender).nonces(owner.address()),
        U256::from(1)
    );
    // Replaying the same signature fails: the nonce moved on, so it recovers someone else.
    let err = contract
        .sender(spender)
        .permit(owner.address(), spender, value, deadline, v, r, s)
        .motsu_unwrap_err();
    assert!(
        matches!(err, Error::InvalidSigner(ERC2612InvalidSigner { owner: o, .. }) if o == owner.address())
    );
}

#[motsu::test]
fn permit_rejects_expired_deadline(
    contract: Contract<MockToken>,
    owner: Account,
    spender: Address,
) {
    token(&contract, owner.address(), KIND_STANDARD, 0);
    let deadline = U256::from(NOW - 1);
    let err = contract
        .sender(spender)
        .permit(
            owner.address(),
            spender,
            U256::from(1),
            deadline,
            27,
            B256::ZERO,
            B256::ZERO,
        )
        .motsu_unwrap_err();
    assert!(
        matches!(err, Error::ExpiredSignature(ERC2612ExpiredSignature { deadline: d }) if d == deadline)
    );
}

#[motsu::test]
fn rebasing_balances_follow_the_rate_both_ways(
    contract: Contract<MockToken>,
    alice: Address,
    bob: Address,
) {
    token(&contract, alice, KIND_REBASING, 0);
    contract
        .sender(alice)
        .mint(alice, U256::from(1_000))
        .motsu_unwrap();
    contract
        .sender(alice)
        .set_rate(uint!(1_100_000_000_000_000_000_U256))
        .motsu_unwrap();
    assert_eq!(contract.sender(alice).balance_of(alice), U256::from(1_100));
    contract
        .sender(alice)
        .set_rate(uint!(900_000_000_000_000_000_U256))
        .motsu_unwrap();
    assert_eq!(contract.sender(alice).balance_of(alice), U256::from(900));
    // 100 tokens at rate 0.9 = ⌊111.1⌋ = 111 units = ⌊99.9⌋ = 99 tokens received: the stETH wei loss.
    contract
        .sender(alice)
        .transfer(bob, U256::from(100))
        .motsu_unwrap();
    assert_eq!(contract.sender(alice).balance_of(bob), U256::from(99));
}

#[motsu::test]
fn only_rebasing_token_takes_a_rate(contract: Contract<MockToken>, alice: Address) {
    token(&contract, alice, KIND_STANDARD, 0);
    let err = contract.sender(alice).set_rate(WAD).motsu_unwrap_err();
    assert!(matches!(err, Error::WrongKind(WrongKind { kind: 0 })));
}

#[motsu::test]
fn fee_on_transfer_burns_the_fee(contract: Contract<MockToken>, alice: Address, bob: Address) {
    token(&contract, alice, KIND_FEE_ON_TRANSFER, 100); // 1%
    contract
        .sender(alice)
        .mint(alice, U256::from(10_000))
        .motsu_unwrap();
    contract
        .sender(alice)
        .transfer(bob, U256::from(1_000))
        .motsu_unwrap();
    assert_eq!(contract.sender(alice).balance_of(bob), U256::from(990));
    assert_eq!(contract.sender(alice).balance_of(alice), U256::from(9_000));
    assert_eq!(contract.sender(alice).total_supply(), U256::from(9_990));
}

#[motsu::test]
fn reentrant_token_calls_its_target_before_transfer(
    contract: Contract<MockToken>,
    other: Contract<MockToken>,
    alice: Address,
    bob: Address,
) {
    token(&contract, alice, KIND_REENTRANT, 0);
    token(&other, alice, KIND_STANDARD, 0);
    // The reentry mints on another token: proves the call happens, and its success is recorded.
    let data = MockToken::mint_calldata(bob, U256::from(7));
    contract
        .sender(alice)
        .set_reentry(other.address(), data.into())
        .motsu_unwrap();
    contract
        .sender(alice)
        .mint(alice, U256::from(10))
        .motsu_unwrap();
    contract.sender(alice).approve(bob, U256::from(10));
    contract
        .sender(bob)
        .transfer_from(alice, bob, U256::from(10))
        .motsu_unwrap();
    assert_eq!(other.sender(alice).balance_of(bob), U256::from(7));
    assert_eq!(contract.sender(alice).balance_of(bob), U256::from(10));
    contract.assert_emitted(&ReentryAttempted {
        target: other.address(),
        success: true,
        returnData: alloy_primitives::Bytes::new(),
    });
}

#[motsu::test]
fn constructor_rejects_unknown_kind_and_fee_above_whole(
    contract: Contract<MockToken>,
    alice: Address,
) {
    let err = contract
        .sender(alice)
        .constructor("x".into(), "x".into(), 18, 4, 0)
        .motsu_unwrap_err();
    assert!(matches!(err, Error::InvalidConfig(_)));
    let err = contract
        .sender(alice)
        .constructor("x".into(), "x".into(), 18, 2, 10_001)
        .motsu_unwrap_err();
    assert!(matches!(err, Error::InvalidConfig(_)));
}

#[test]
fn permit_typehash_is_the_hash_of_its_type_string() {
    assert_eq!(
        PERMIT_TYPEHASH,
        keccak256(
            "Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)"
        )
    );
    let _ = address!("0000000000000000000000000000000000000001");
}
