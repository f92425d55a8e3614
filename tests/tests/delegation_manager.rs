//! DelegationManager through its real WASM, wired to the real StrategyManager: registration,
//! deposits flowing into operator shares, and delegation approved by a signature that goes
//! through the devnode's real `ecrecover`.

#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

use alloy_primitives::{B256, U256};
use integration::{Actor, Backend, BackendExt, World, WorldBuilder};
use restaking_abi::abi::*;

fn ether(n: u64) -> U256 {
    U256::from(n) * U256::from(10u64).pow(U256::from(18u64))
}

fn world() -> World<Box<dyn Backend>> {
    WorldBuilder::new()
        .real_delegation_manager()
        .build(integration::backend().unwrap())
        .unwrap()
}

#[test]
fn deposits_flow_into_the_operator_a_staker_delegates_to_with_approval() {
    let mut w = world();
    let (dm, sm, steth) = (w.delegation_manager, w.sm, w.tokens.steth);
    let (operator, approver) = (Actor::named("operator"), Actor::named("approver"));
    w.chain.register(&operator).unwrap();
    let alice = w.stakers[0].address;

    let register = IDelegationManager::registerAsOperatorCall {
        delegationApprover: approver.address,
        allocationDelay: 0,
        metadataUri: "ipfs://operator".into(),
    };
    w.chain
        .tx(operator.address, dm, &register)
        .unwrap()
        .ok()
        .unwrap();
    assert!(
        w.chain
            .read(
                dm,
                &IDelegationManager::isOperatorCall {
                    account: operator.address
                }
            )
            .unwrap()
            ._0
    );

    // Alice deposits before delegating: her shares are hers alone.
    w.chain
        .tx(
            alice,
            sm,
            &IStrategyManager::depositCall {
                strategy: steth,
                amount: ether(10),
            },
        )
        .unwrap()
        .ok()
        .unwrap();
    let shares = |w: &mut World<Box<dyn Backend>>| {
        w.chain
            .read(
                dm,
                &IDelegationManager::operatorSharesCall {
                    operator: operator.address,
                    strategy: steth,
                },
            )
            .unwrap()
            ._0
    };
    assert_eq!(shares(&mut w), U256::ZERO);

    // Without the approver's signature the delegation is refused.
    let salt = B256::repeat_byte(1);
    let expiry = U256::from(w.chain.timestamp() + 600);
    let unsigned = IDelegationManager::delegateToCall {
        operator: operator.address,
        approverSignature: SignatureWithExpiry {
            signature: vec![0u8; 65].into(),
            expiry,
        },
        approverSalt: salt,
    };
    let err: InvalidSignature = w.chain.tx(alice, dm, &unsigned).unwrap().revert().unwrap();
    assert_eq!(err.signer, approver.address);

    let digest = w
        .chain
        .read(
            dm,
            &IDelegationManager::delegationApprovalDigestCall {
                approver: approver.address,
                staker: alice,
                operator: operator.address,
                salt,
                expiry,
            },
        )
        .unwrap()
        ._0;
    let (sig, ..) = approver.sign(digest);
    let signed = IDelegationManager::delegateToCall {
        approverSignature: SignatureWithExpiry {
            signature: sig.to_vec().into(),
            expiry,
        },
        ..unsigned
    };
    w.chain.tx(alice, dm, &signed).unwrap().ok().unwrap();
    assert_eq!(
        w.chain
            .read(dm, &IDelegationManager::delegatedToCall { staker: alice })
            .unwrap()
            ._0,
        operator.address
    );
    assert_eq!(shares(&mut w), ether(10));

    // Her next deposit reaches the operator through StrategyManager's hook.
    w.chain
        .tx(
            alice,
            sm,
            &IStrategyManager::depositCall {
                strategy: steth,
                amount: ether(5),
            },
        )
        .unwrap()
        .ok()
        .unwrap();
    assert_eq!(shares(&mut w), ether(15));
    let withdrawable = w
        .chain
        .read(
            dm,
            &IDelegationManager::withdrawableSharesCall {
                staker: alice,
                strategies: vec![steth, w.tokens.fee],
            },
        )
        .unwrap()
        ._0;
    assert_eq!(withdrawable, vec![ether(15), U256::ZERO]);

    // The same salt cannot be used again.
    let bob = w.stakers[1].address;
    let err: SaltSpent = w.chain.tx(bob, dm, &signed).unwrap().revert().unwrap();
    assert_eq!(err.salt, salt);
}
