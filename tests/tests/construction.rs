//! Construction-time rules on the devnode with the real WASM (review findings 5 and 11): a core
//! refuses an extension (or other module) without code, whose every method would otherwise
//! "succeed" doing nothing for good; the DelegationManager refuses a zero withdrawal delay and one
//! above 30 days; the AllocationManager refuses to be wired to a DelegationManager whose
//! withdrawal delay is longer than its deallocation delay; the vault refuses a profit unlock period
//! of zero or above 30 days (finding 9). Each refusal is the named error, and
//! nothing is deployed.
//!
//! Deployment runs on the embedded devnode itself, so this runs there even when `NITRO_RPC_URL`
//! is set.

#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

use alloy_primitives::{Address, U256};
use alloy_sol_types::{SolError, SolValue};
use devnode::{constructor_calldata, DeployError, Devnode};
use integration::{
    contract_code, AllocationManagerArgs, BackendExt, DelegationManagerArgs, LrtVaultArgs,
    WorldBuilder, ALLOCATION_CONFIG_DELAY, WITHDRAWAL_DELAY,
};
use restaking_abi::{
    abi::*,
    constants::{MAX_PROFIT_UNLOCK_PERIOD, MAX_WITHDRAWAL_DELAY},
};

const OWNER: Address = Address::repeat_byte(0x0A);
/// An externally owned account: no code.
const EOA: Address = Address::repeat_byte(0xE0);

/// Deploys `package` with `args`; returns the constructor's revert data.
fn refused(chain: &mut Devnode, package: &str, args: &[u8]) -> Vec<u8> {
    match chain.deploy(
        OWNER,
        &contract_code(package).unwrap(),
        Some(&constructor_calldata(args)),
    ) {
        Err(DeployError::Constructor(data)) => data.to_vec(),
        other => panic!("{package}: expected a constructor revert, got {other:?}"),
    }
}

fn deploy(chain: &mut Devnode, package: &str, args: Option<&[u8]>) -> Address {
    let args = args.map(constructor_calldata);
    chain
        .deploy(OWNER, &contract_code(package).unwrap(), args.as_deref())
        .unwrap()
}

#[test]
fn the_delegation_manager_refuses_a_codeless_extension_and_a_bad_delay() {
    let mut chain = Devnode::new();
    let extension = deploy(&mut chain, "delegation-manager-extension", None);
    let args = |delay: u64, extension: Address| {
        DelegationManagerArgs {
            owner: OWNER,
            withdrawalDelay: delay,
            extension,
        }
        .abi_encode_params()
    };
    assert_eq!(
        refused(
            &mut chain,
            "delegation-manager",
            &args(WITHDRAWAL_DELAY, EOA)
        ),
        ModuleWithoutCode { module: EOA }.abi_encode()
    );
    for delay in [0, MAX_WITHDRAWAL_DELAY + 1] {
        assert_eq!(
            refused(&mut chain, "delegation-manager", &args(delay, extension)),
            InvalidWithdrawalDelay {
                delay,
                max: MAX_WITHDRAWAL_DELAY,
            }
            .abi_encode()
        );
    }
    let dm = deploy(
        &mut chain,
        "delegation-manager",
        Some(&args(MAX_WITHDRAWAL_DELAY, extension)),
    );
    assert_eq!(
        chain
            .read(dm, &IDelegationManager::withdrawalDelayCall {})
            .unwrap()
            ._0,
        MAX_WITHDRAWAL_DELAY
    );
}

#[test]
fn the_allocation_manager_refuses_a_codeless_extension_and_a_deallocation_delay_below_the_withdrawal_delay(
) {
    let mut chain = Devnode::new();
    let args = |deallocation: u64, extension: Address| {
        AllocationManagerArgs {
            owner: OWNER,
            deallocationDelay: deallocation,
            allocationConfigDelay: ALLOCATION_CONFIG_DELAY,
            extension,
        }
        .abi_encode_params()
    };
    assert_eq!(
        refused(
            &mut chain,
            "allocation-manager",
            &args(WITHDRAWAL_DELAY, EOA)
        ),
        ModuleWithoutCode { module: EOA }.abi_encode()
    );
    let dm_extension = deploy(&mut chain, "delegation-manager-extension", None);
    let dm_args = DelegationManagerArgs {
        owner: OWNER,
        withdrawalDelay: WITHDRAWAL_DELAY,
        extension: dm_extension,
    };
    let dm = deploy(
        &mut chain,
        "delegation-manager",
        Some(&dm_args.abi_encode_params()),
    );
    let extension = deploy(&mut chain, "allocation-manager-extension", None);
    let short = deploy(
        &mut chain,
        "allocation-manager",
        Some(&args(WITHDRAWAL_DELAY - 1, extension)),
    );
    let initialize = IAllocationManager::initializeCall {
        delegationManager: dm,
        slasher: OWNER,
    };
    let out = chain.tx(OWNER, short, &initialize).unwrap();
    assert_eq!(
        out.revert::<DeallocationDelayTooShort>().unwrap(),
        DeallocationDelayTooShort {
            deallocationDelay: WITHDRAWAL_DELAY - 1,
            withdrawalDelay: WITHDRAWAL_DELAY,
        }
    );
    // Nothing was wired: it can still be initialized (and isn't, with this delay).
    let again = chain.tx(OWNER, short, &initialize).unwrap();
    assert!(again.revert::<DeallocationDelayTooShort>().is_ok());
    let equal = deploy(
        &mut chain,
        "allocation-manager",
        Some(&args(WITHDRAWAL_DELAY, extension)),
    );
    chain.tx(OWNER, equal, &initialize).unwrap().ok().unwrap();
}

/// Review findings 5 and 9: the vault refuses a module without code, and a profit unlock period
/// of zero (rewards priced in at once, open to a just-in-time deposit) or above 30 days.
#[test]
fn the_vault_refuses_a_codeless_module_and_a_bad_unlock_period() {
    let w = WorldBuilder::new()
        .real_delegation_manager()
        .build(Devnode::new())
        .unwrap();
    let mut chain = w.chain;
    let extension = deploy(&mut chain, "lrt-vault-extension", None);
    let args = |modules: [Address; 3], unlock_period: u32| {
        LrtVaultArgs {
            owner: OWNER,
            asset: w.tokens.steth,
            name: "Restaked stETH".into(),
            symbol: "rstETH".into(),
            peers: [w.sm, w.delegation_manager, w.allocation_manager, w.rewards],
            modules,
            curator: OWNER,
            treasury: OWNER,
            feeBips: 0,
            cap: U256::MAX,
            unlockPeriod: unlock_period,
        }
        .abi_encode_params()
    };
    for modules in [
        [EOA, extension, extension],
        [extension, EOA, extension],
        [extension, extension, EOA],
    ] {
        assert_eq!(
            refused(&mut chain, "lrt-vault", &args(modules, 1)),
            ModuleWithoutCode { module: EOA }.abi_encode()
        );
    }
    let modules = [extension; 3];
    for period in [0, MAX_PROFIT_UNLOCK_PERIOD + 1] {
        assert_eq!(
            refused(&mut chain, "lrt-vault", &args(modules, period)),
            InvalidUnlockPeriod {
                period,
                max: MAX_PROFIT_UNLOCK_PERIOD
            }
            .abi_encode()
        );
    }
    let at_most = args(modules, MAX_PROFIT_UNLOCK_PERIOD);
    deploy(&mut chain, "lrt-vault", Some(&at_most));
}
