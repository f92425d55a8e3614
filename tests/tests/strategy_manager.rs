//! StrategyManager through its real WASM: deposits of every kind (plain, EIP-712 signature through
//! the `ecrecover` precompile, ERC-2612 permit, EIP-1271 wallet), caps, pausing, adversarial
//! tokens, nested rollback, and the withdrawal and slashed-share paths.
//!
//! Runs on the embedded devnode, or on a Nitro dev node when `NITRO_RPC_URL` is set
//! ([`integration::backend`]); only the cross-chain replay test needs the devnode's chain-id
//! control and always runs there.

#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

use alloy_primitives::U256;
use alloy_sol_types::{SolCall, SolEvent, SolValue};
use devnode::Devnode;
use integration::{Actor, Backend, BackendExt, IMockToken, World, WorldBuilder};

type W = World<Box<dyn Backend>>;
use restaking_abi::{abi::*, constants::BURN_ADDRESS};

fn ether(n: u64) -> U256 {
    U256::from(n) * U256::from(10u64).pow(U256::from(18u64))
}

fn world() -> W {
    WorldBuilder::new()
        .build(integration::backend().unwrap())
        .unwrap()
}

/// A world with every contract real (the deposit paths then also report to the real
/// DelegationManager, and count for method coverage).
fn real_world() -> W {
    WorldBuilder::new()
        .real_delegation_manager()
        .build(integration::backend().unwrap())
        .unwrap()
}

#[test]
fn deposits_credit_exact_shares_for_every_token_kind() {
    let mut w = world();
    let alice = w.stakers[0].address;
    let t = w.tokens;

    let r = w.deposit(alice, t.steth, ether(10)).unwrap().ok().unwrap();
    assert_eq!(U256::abi_decode(&r.output, true).unwrap(), ether(10));
    let event = r
        .logs
        .iter()
        .find(|l| l.address == w.sm && l.topics[0] == Deposit::SIGNATURE_HASH)
        .unwrap();
    let decoded = Deposit::decode_raw_log(event.topics.iter().copied(), &event.data, true).unwrap();
    assert_eq!(
        (
            decoded.staker,
            decoded.strategy,
            decoded.amount,
            decoded.shares
        ),
        (alice, t.steth, ether(10), ether(10))
    );
    assert_eq!(w.shares(alice, t.steth).unwrap(), ether(10));
    assert_eq!(w.balance(t.steth, w.sm).unwrap(), ether(10));
    assert_eq!(w.balance(t.steth, alice).unwrap(), ether(90));

    // Fee-on-transfer (1%): only what arrived is credited.
    w.deposit(alice, t.fee, ether(10)).unwrap().ok().unwrap();
    assert_eq!(
        w.shares(alice, t.fee).unwrap(),
        ether(10) * U256::from(99) / U256::from(100)
    );

    // Rebasing: a rebase up raises the value of existing shares.
    w.deposit(alice, t.rebasing, ether(10))
        .unwrap()
        .ok()
        .unwrap();
    let (sm, owner) = (w.sm, w.owner.address);
    w.chain
        .tx(
            owner,
            t.rebasing,
            &IMockToken::setRateCall { rate: ether(2) },
        )
        .unwrap()
        .ok()
        .unwrap();
    let value = w
        .chain
        .read(
            sm,
            &IStrategyManager::sharesToTokensCall {
                strategy: t.rebasing,
                shares: ether(10),
            },
        )
        .unwrap()
        ._0;
    // ⌊(20e18 + 1000)·10e18/(10e18 + 1000)⌋
    let expected = (ether(20) + U256::from(1000)) * ether(10) / (ether(10) + U256::from(1000));
    assert_eq!(value, expected);

    let strategies = w
        .chain
        .read(
            sm,
            &IStrategyManager::stakerStrategiesCall { staker: alice },
        )
        .unwrap()
        ._0;
    assert_eq!(strategies, vec![t.steth, t.fee, t.rebasing]);
}

#[test]
fn signed_deposit_recovers_the_signer_through_the_ecrecover_precompile() {
    let mut w = real_world();
    let (staker, relayer) = (Actor::named("cold-wallet"), w.stakers[1].address);
    let (sm, steth) = (w.sm, w.tokens.steth);
    let expiry = U256::from(w.chain.timestamp() + 3_600);
    let digest = w.deposit_digest(staker.address, steth, ether(5), U256::ZERO, expiry);
    let (sig, ..) = staker.sign(digest);
    let call = IStrategyManager::depositWithSignatureCall {
        strategy: steth,
        amount: ether(5),
        staker: staker.address,
        expiry,
        signature: sig.to_vec().into(),
    };
    w.chain.tx(relayer, sm, &call).unwrap().ok().unwrap();
    assert_eq!(w.shares(staker.address, steth).unwrap(), ether(5));
    assert_eq!(w.balance(steth, relayer).unwrap(), ether(95));
    assert_eq!(
        w.chain
            .read(
                sm,
                &IStrategyManager::noncesCall {
                    staker: staker.address
                }
            )
            .unwrap()
            ._0,
        U256::from(1)
    );

    // Replay: the nonce moved on.
    let err: InvalidSignature = w.chain.tx(relayer, sm, &call).unwrap().revert().unwrap();
    assert_eq!(err.signer, staker.address);
}

#[test]
fn a_signature_for_one_chain_fails_on_another() {
    let mut w = WorldBuilder::new().build(Devnode::new()).unwrap();
    let (staker, relayer) = (Actor::named("cold-wallet"), w.stakers[1].address);
    let (sm, steth) = (w.sm, w.tokens.steth);
    let expiry = U256::from(w.chain.timestamp() + 3_600);
    let (sig, ..) =
        staker.sign(w.deposit_digest(staker.address, steth, ether(5), U256::ZERO, expiry));
    let call = IStrategyManager::depositWithSignatureCall {
        strategy: steth,
        amount: ether(5),
        staker: staker.address,
        expiry,
        signature: sig.to_vec().into(),
    };
    w.chain.set_chain_id(1);
    let err: InvalidSignature = w.chain.tx(relayer, sm, &call).unwrap().revert().unwrap();
    assert_eq!(err.signer, staker.address);
    // Back on the chain it was made for, it works.
    w.chain.set_chain_id(devnode::DEV_CHAIN_ID);
    w.chain.tx(relayer, sm, &call).unwrap().ok().unwrap();
}

#[test]
fn eip1271_wallets_sign_deposits() {
    let mut w = world();
    let relayer = w.stakers[0].address;
    let (sm, steth, owner) = (w.sm, w.tokens.steth, w.owner.address);
    let wallet = w
        .chain
        .deploy(owner, &integration::wat_code("oracle").unwrap(), None)
        .unwrap();
    let expiry = U256::from(w.chain.timestamp() + 60);
    let call = IStrategyManager::depositWithSignatureCall {
        strategy: steth,
        amount: ether(1),
        staker: wallet,
        expiry,
        signature: vec![7u8; 3].into(),
    };
    // The wallet answers zero: not the magic value.
    let err: InvalidSignature = w.chain.tx(relayer, sm, &call).unwrap().revert().unwrap();
    assert_eq!(err.signer, wallet);
    // Now it answers 0x1626ba7e.
    let mut set = vec![0xFF, 0x16, 0x26, 0xba, 0x7e];
    set.resize(33, 0);
    w.chain.send(owner, wallet, &set).unwrap().ok().unwrap();
    w.chain.tx(relayer, sm, &call).unwrap().ok().unwrap();
    assert_eq!(w.shares(wallet, steth).unwrap(), ether(1));
}

#[test]
fn permit_deposit_needs_no_prior_approval() {
    let mut w = real_world();
    let holder = Actor::named("permit-holder");
    w.chain.register(&holder).unwrap();
    let (sm, steth, owner) = (w.sm, w.tokens.steth, w.owner.address);
    w.chain
        .tx(
            owner,
            steth,
            &IMockToken::mintCall {
                to: holder.address,
                amount: ether(3),
            },
        )
        .unwrap()
        .ok()
        .unwrap();
    let deadline = U256::from(w.chain.timestamp() + 60);
    let (_, v, r, s) = holder.sign(
        w.permit_digest(steth, holder.address, ether(3), deadline)
            .unwrap(),
    );
    let call = IStrategyManager::depositWithPermitCall {
        strategy: steth,
        amount: ether(3),
        deadline,
        v,
        r,
        s,
    };
    w.chain.tx(holder.address, sm, &call).unwrap().ok().unwrap();
    assert_eq!(w.shares(holder.address, steth).unwrap(), ether(3));
    assert_eq!(
        w.chain
            .read(
                steth,
                &IMockToken::noncesCall {
                    owner: holder.address
                }
            )
            .unwrap()
            ._0,
        U256::from(1)
    );
    // The used permit cannot fund a second deposit.
    w.chain
        .tx(
            owner,
            steth,
            &IMockToken::mintCall {
                to: holder.address,
                amount: ether(3),
            },
        )
        .unwrap()
        .ok()
        .unwrap();
    let err: PermitFailed = w
        .chain
        .tx(holder.address, sm, &call)
        .unwrap()
        .revert()
        .unwrap();
    assert_eq!(err.token, steth);
}

#[test]
fn caps_and_pausing_refuse_deposits_with_their_errors() {
    let mut w = world();
    let alice = w.stakers[0].address;
    let (sm, steth, owner) = (w.sm, w.tokens.steth, w.owner.address);
    w.chain
        .tx(
            owner,
            sm,
            &IStrategyManager::setDepositCapCall {
                strategy: steth,
                cap: ether(4),
            },
        )
        .unwrap()
        .ok()
        .unwrap();
    let err: DepositCapExceeded = w.deposit(alice, steth, ether(5)).unwrap().revert().unwrap();
    assert_eq!((err.cap, err.balanceAfter), (ether(4), ether(5)));
    w.deposit(alice, steth, ether(4)).unwrap().ok().unwrap();

    w.chain
        .tx(
            owner,
            sm,
            &IAdmin::pauseCall {
                bits: U256::from(1),
            },
        )
        .unwrap()
        .ok()
        .unwrap();
    let fee_token = w.tokens.fee;
    let err: ActionPaused = w
        .deposit(alice, fee_token, ether(1))
        .unwrap()
        .revert()
        .unwrap();
    assert_eq!(err.bit, 0);
    let err: Unauthorized = w
        .chain
        .tx(
            alice,
            sm,
            &IAdmin::unpauseCall {
                bits: U256::from(1),
            },
        )
        .unwrap()
        .revert()
        .unwrap();
    assert_eq!(err.caller, alice);
    w.chain
        .tx(
            owner,
            sm,
            &IAdmin::unpauseCall {
                bits: U256::from(1),
            },
        )
        .unwrap()
        .ok()
        .unwrap();
    w.deposit(alice, fee_token, ether(1)).unwrap().ok().unwrap();
}

#[test]
fn a_reentering_token_is_stopped_by_the_entrypoint_guard() {
    let mut w = world();
    let alice = w.stakers[0].address;
    let (sm, token, owner) = (w.sm, w.tokens.reentrant, w.owner.address);
    let reentry = IStrategyManager::depositCall {
        strategy: token,
        amount: ether(1),
    }
    .abi_encode();
    w.chain
        .tx(
            owner,
            token,
            &IMockToken::setReentryCall {
                target: sm,
                data: reentry.into(),
            },
        )
        .unwrap()
        .ok()
        .unwrap();
    let r = w.deposit(alice, token, ether(2)).unwrap().ok().unwrap();
    let attempt = r
        .logs
        .iter()
        .find(|l| l.topics[0] == IMockToken::ReentryAttempted::SIGNATURE_HASH)
        .unwrap();
    let attempt = IMockToken::ReentryAttempted::decode_raw_log(
        attempt.topics.iter().copied(),
        &attempt.data,
        true,
    )
    .unwrap();
    // On Nitro semantics the SDK's entrypoint sees msg_reentrant and reverts with empty data.
    assert!(!attempt.success);
    assert!(attempt.returnData.is_empty());
    assert_eq!(w.shares(alice, token).unwrap(), ether(2));
    let total = w
        .chain
        .read(sm, &IStrategyManager::totalSharesCall { strategy: token })
        .unwrap()
        ._0;
    assert_eq!(total, ether(2));
}

#[test]
fn a_failing_hook_rolls_back_the_token_transfer_made_in_a_nested_frame() {
    let mut w = WorldBuilder::new()
        .reverting_delegation_manager()
        .build(integration::backend().unwrap())
        .unwrap();
    let alice = w.stakers[0].address;
    let steth = w.tokens.steth;
    let err: PeerCallFailed = w.deposit(alice, steth, ether(1)).unwrap().revert().unwrap();
    assert_eq!(err.peer, w.delegation_manager);
    assert_eq!(err.reason.as_ref(), &[0xde, 0xad, 0xbe, 0xef]);
    assert_eq!(w.balance(steth, alice).unwrap(), ether(100));
    assert_eq!(w.balance(steth, w.sm).unwrap(), U256::ZERO);
    assert_eq!(w.shares(alice, steth).unwrap(), U256::ZERO);
}

#[test]
fn withdrawal_and_slashed_share_paths_pay_the_right_accounts() {
    let mut w = world();
    let (alice, bob) = (w.stakers[0].address, w.stakers[1].address);
    let (sm, dm, steth) = (w.sm, w.delegation_manager, w.tokens.steth);
    w.deposit(alice, steth, ether(10)).unwrap().ok().unwrap();
    w.deposit(bob, steth, ether(10)).unwrap().ok().unwrap();

    // Only the DelegationManager moves shares.
    let err: Unauthorized = w
        .chain
        .tx(
            alice,
            sm,
            &IStrategyManager::removeDepositSharesCall {
                staker: alice,
                strategy: steth,
                shares: ether(1),
            },
        )
        .unwrap()
        .revert()
        .unwrap();
    assert_eq!(err.caller, alice);
    w.chain
        .tx(
            dm,
            sm,
            &IStrategyManager::removeDepositSharesCall {
                staker: alice,
                strategy: steth,
                shares: ether(4),
            },
        )
        .unwrap()
        .ok()
        .unwrap();
    w.chain
        .tx(
            dm,
            sm,
            &IStrategyManager::withdrawSharesAsTokensCall {
                recipient: alice,
                strategy: steth,
                shares: ether(4),
            },
        )
        .unwrap()
        .ok()
        .unwrap();
    assert_eq!(w.balance(steth, alice).unwrap(), ether(94));

    // A slash of 2 shares in a burning set, then 1 share in a redistributing one.
    let set = OperatorSet {
        avs: Actor::named("avs").address,
        id: 1,
    };
    let record =
        |id: u64, shares: U256| IStrategyManager::increaseBurnOrRedistributableSharesCall {
            operatorSet: set.clone(),
            slashId: U256::from(id),
            strategy: steth,
            shares,
        };
    w.chain
        .tx(dm, sm, &record(1, ether(2)))
        .unwrap()
        .ok()
        .unwrap();
    w.chain
        .tx(
            bob,
            sm,
            &IStrategyManager::clearSlashedCall {
                operatorSet: set.clone(),
                slashId: U256::from(1),
                strategy: steth,
            },
        )
        .unwrap()
        .ok()
        .unwrap();
    assert_eq!(w.balance(steth, BURN_ADDRESS).unwrap(), ether(2));

    let insurance = Actor::named("insurance").address;
    w.set_redistribution_recipient(insurance).unwrap();
    w.chain
        .tx(dm, sm, &record(2, ether(1)))
        .unwrap()
        .ok()
        .unwrap();
    w.chain
        .tx(
            bob,
            sm,
            &IStrategyManager::clearSlashedCall {
                operatorSet: set.clone(),
                slashId: U256::from(2),
                strategy: steth,
            },
        )
        .unwrap()
        .ok()
        .unwrap();
    assert_eq!(w.balance(steth, insurance).unwrap(), ether(1));
    let err: NoSlashedShares = w
        .chain
        .tx(
            bob,
            sm,
            &IStrategyManager::clearSlashedCall {
                operatorSet: set,
                slashId: U256::from(2),
                strategy: steth,
            },
        )
        .unwrap()
        .revert()
        .unwrap();
    assert_eq!(err.slashId, U256::from(2));
    // 20 deposited − 4 withdrawn − 2 burned − 1 redistributed.
    assert_eq!(w.balance(steth, sm).unwrap(), ether(13));
}
