//! The committed `abi/` files must be what the contracts export now: this runs
//! `export-abi --check`, which fails listing every stale or missing file.
//!
//! Fix a failure with `cargo run -p scripts --bin export-abi` and commit `abi/`.

use std::process::Command;

#[test]
fn committed_abi_files_are_fresh() {
    let output = Command::new(env!("CARGO_BIN_EXE_export-abi"))
        .arg("--check")
        .output()
        .expect("export-abi runs");
    assert!(
        output.status.success(),
        "abi/ is stale or a contract cannot export its ABI:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

fn committed_abi(package: &str) -> alloy_json_abi::JsonAbi {
    let path = scripts::workspace_root()
        .join("abi")
        .join(format!("{package}.json"));
    serde_json::from_str(&std::fs::read_to_string(&path).expect("committed ABI"))
        .expect("valid JSON ABI")
}

/// stylus-sdk 0.9 encodes a returned tuple as one value: with a dynamic member that adds an
/// offset word Solidity callers do not expect. Such methods must return one value instead.
#[test]
fn no_method_returns_several_values_with_a_dynamic_one() {
    for package in scripts::CONTRACTS {
        for f in committed_abi(package).functions() {
            let dynamic = f.outputs.iter().any(|o| {
                // A dynamic array, `bytes` or `string` anywhere (also inside a struct).
                let ty = o.selector_type();
                ty.contains("[]")
                    || ty
                        .split(['(', ')', ','])
                        .any(|t| t == "bytes" || t == "string")
            });
            assert!(
                f.outputs.len() < 2 || !dynamic,
                "{package}: {} returns several values, one of them dynamic",
                f.signature()
            );
        }
    }
}

/// `package` exports every selector of `interface` and the admin methods.
fn implements(package: &str, interface: &[[u8; 4]]) {
    use restaking_abi::abi::IAdmin::IAdminCalls;

    let exported: Vec<[u8; 4]> = committed_abi(package)
        .functions()
        .map(|f| f.selector().0)
        .collect();
    for selector in interface.iter().chain(IAdminCalls::SELECTORS) {
        assert!(
            exported.contains(selector),
            "{package}: 0x{} is not exported",
            alloy_primitives::hex::encode(selector)
        );
    }
}

/// The StrategyManager implements every function other crates call it with.
#[test]
fn strategy_manager_implements_its_shared_interface() {
    use restaking_abi::abi::IStrategyManager::IStrategyManagerCalls;
    implements("strategy-manager", IStrategyManagerCalls::SELECTORS);
}

/// The Slasher implements its whole shared interface.
#[test]
fn slasher_implements_its_shared_interface() {
    use restaking_abi::abi::ISlasher::ISlasherCalls;
    implements("slasher", ISlasherCalls::SELECTORS);
}

/// The RewardsCoordinator implements its whole shared interface.
#[test]
fn rewards_coordinator_implements_its_shared_interface() {
    use restaking_abi::abi::IRewardsCoordinator::IRewardsCoordinatorCalls;
    implements("rewards-coordinator", IRewardsCoordinatorCalls::SELECTORS);
}

/// A contract split in two modules routes each selector of `interface` in exactly one of them
/// (the core hands every selector it does not route to the extension), and the admin methods in
/// exactly one module: the core, or the extension when `admin_in_core` is false.
fn modules_route_each_selector_once(package: &str, interface: &[[u8; 4]], admin_in_core: bool) {
    use restaking_abi::abi::IAdmin::IAdminCalls;

    let selectors = |name: &str| -> Vec<[u8; 4]> {
        committed_abi(name)
            .functions()
            .map(|f| f.selector().0)
            .collect()
    };
    let core = selectors(package);
    let extension = selectors(&format!("{package}-extension"));
    for selector in interface {
        assert!(
            core.contains(selector) != extension.contains(selector),
            "{package}: 0x{} must be routed by exactly one module",
            alloy_primitives::hex::encode(selector)
        );
    }
    for selector in IAdminCalls::SELECTORS {
        assert_eq!(core.contains(selector), admin_in_core);
        assert_eq!(extension.contains(selector), !admin_in_core);
    }
}

/// The DelegationManager's two modules together implement its whole shared interface.
#[test]
fn delegation_manager_modules_implement_its_shared_interface() {
    use restaking_abi::abi::IDelegationManager::IDelegationManagerCalls;
    modules_route_each_selector_once(
        "delegation-manager",
        IDelegationManagerCalls::SELECTORS,
        true,
    );
}

/// The AllocationManager's two modules together implement its whole shared interface.
#[test]
fn allocation_manager_modules_implement_its_shared_interface() {
    use restaking_abi::abi::IAllocationManager::IAllocationManagerCalls;
    modules_route_each_selector_once(
        "allocation-manager",
        IAllocationManagerCalls::SELECTORS,
        true,
    );
}

/// The LrtVault's four modules together implement its whole shared interface (ERC-20, ERC-4626,
/// ERC-7540 and the vault's own methods), each selector in exactly one; the owner and pausers
/// live in the extension, and the core's fallback sends exactly the admin and views modules'
/// selectors to them (`lrt_vault::ADMIN_SELECTORS`, `lrt_vault::VIEW_SELECTORS`).
#[test]
fn lrt_vault_modules_implement_its_shared_interface() {
    use restaking_abi::abi::{IAdmin::IAdminCalls, ILrtVault::ILrtVaultCalls};

    let selectors = |name: &str| -> Vec<[u8; 4]> {
        committed_abi(name)
            .functions()
            .map(|f| f.selector().0)
            .collect()
    };
    let modules = [
        "lrt-vault",
        "lrt-vault-extension",
        "lrt-vault-admin",
        "lrt-vault-views",
    ]
    .map(selectors);
    for selector in ILrtVaultCalls::SELECTORS {
        let routed = modules.iter().filter(|m| m.contains(selector)).count();
        assert_eq!(
            routed,
            1,
            "lrt-vault: 0x{} is routed by {routed} modules",
            alloy_primitives::hex::encode(selector)
        );
    }
    for selector in IAdminCalls::SELECTORS {
        assert!(modules[1].contains(selector));
    }
    for (module, listed) in [
        (&modules[2], &lrt_vault::ADMIN_SELECTORS[..]),
        (&modules[3], &lrt_vault::VIEW_SELECTORS[..]),
    ] {
        let mut module = module.clone();
        let mut listed = listed.to_vec();
        module.sort_unstable();
        listed.sort_unstable();
        assert_eq!(
            module, listed,
            "the core must route exactly a module's selectors to it"
        );
    }
}
