//! Method coverage of the integration suite (review finding 4: a view that always reverted hid
//! behind a mock peer). Every world whose six contracts are all real records, on the devnode,
//! which selectors each program ran successfully (a module reached by `DELEGATECALL` under its
//! own code), and writes them to `RESTAKING_COVERAGE_DIR` when it goes. This check then fails
//! for any function in `abi/<module>.json` of the six contracts (every core and module) that
//! no such world ever ran to success — except the deliberate exceptions below, each with its
//! reason, which must themselves stay unexecuted (a covered exception is an error too).
//!
//! Run it after the suite, as `scripts/test.sh` does:
//! `RESTAKING_COVERAGE_DIR=target/coverage cargo test -p integration` (and the scripts' tests),
//! then `cargo test -p integration --test coverage`.
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

use std::collections::BTreeSet;

use alloy_json_abi::JsonAbi;
use alloy_primitives::{hex, keccak256};
use integration::{contract_code, workspace_root, COVERAGE_DIR_ENV, PROGRAMS};

/// `(program, function signature, why the suite does not run it)`.
const EXCEPTIONS: &[(&str, &str, &str)] = &[
    (
        "lrt-vault-views",
        "previewRedeem(uint256)",
        "always reverts with AsyncRedeemOnly: redemption is asynchronous (ERC-7540); \
         surface.rs asserts the revert",
    ),
    (
        "lrt-vault-views",
        "previewWithdraw(uint256)",
        "always reverts with AsyncRedeemOnly: redemption is asynchronous (ERC-7540); \
         surface.rs asserts the revert",
    ),
];

#[test]
fn every_method_of_the_six_contracts_ran_on_the_devnode_with_every_peer_real() {
    let dir = std::env::var_os(COVERAGE_DIR_ENV)
        .map_or_else(|| workspace_root().join("target/coverage"), Into::into);
    let mut executed = BTreeSet::new();
    let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| {
        panic!(
            "no coverage in {} ({e}): run the suite with {COVERAGE_DIR_ENV} set first",
            dir.display()
        )
    });
    for entry in entries {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        for line in text.lines() {
            let (code, selector) = line.split_once(' ').unwrap();
            executed.insert((code.to_string(), selector.to_string()));
        }
    }
    assert!(!executed.is_empty(), "no world recorded anything");
    let mut missing = Vec::new();
    let mut covered_exceptions = Vec::new();
    for program in PROGRAMS {
        let code = format!("{}", keccak256(contract_code(program).unwrap()));
        let path = workspace_root().join(format!("abi/{program}.json"));
        let abi = JsonAbi::from_json_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        for f in abi.functions() {
            let ran =
                executed.contains(&(code.clone(), format!("0x{}", hex::encode(f.selector()))));
            let signature = f.signature();
            let excepted = EXCEPTIONS
                .iter()
                .any(|(p, s, _)| *p == program && *s == signature);
            match (ran, excepted) {
                (false, false) => missing.push(format!("{program}: {signature}")),
                (true, true) => covered_exceptions.push(format!("{program}: {signature}")),
                _ => {}
            }
        }
    }
    assert!(
        missing.is_empty(),
        "{} methods never ran to success with every peer real:\n{}",
        missing.len(),
        missing.join("\n")
    );
    assert!(
        covered_exceptions.is_empty(),
        "listed as exceptions but covered now (remove them):\n{}",
        covered_exceptions.join("\n")
    );
}
