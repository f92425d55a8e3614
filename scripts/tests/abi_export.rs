//! ABI export end to end on the counter fixture: the export-abi binary's Solidity, the JSON ABI
//! derived from it, and stale-file detection.

use std::{fs, path::PathBuf};

use scripts::{abi, workspace_root};

#[test]
fn counter_fixture_exports_solidity_and_json_and_detects_staleness() {
    let manifest = workspace_root().join("scripts/tests/fixtures/counter/Cargo.toml");
    let export = abi::export_abi("counter", Some(&manifest), &abi::export_target_dir())
        .expect("fixture exports its ABI");

    assert!(
        export.solidity.contains("interface ICounter"),
        "{}",
        export.solidity
    );
    assert!(export
        .solidity
        .contains("function count() external view returns (uint256);"));
    let json: serde_json::Value = serde_json::from_str(&export.json).expect("JSON");
    assert_eq!(
        json,
        serde_json::json!([
            {
                "type": "function",
                "name": "count",
                "inputs": [],
                "outputs": [{ "name": "", "type": "uint256", "internalType": "uint256" }],
                "stateMutability": "view"
            },
            {
                "type": "function",
                "name": "increment",
                "inputs": [],
                "outputs": [],
                "stateMutability": "nonpayable"
            }
        ])
    );

    let dir: PathBuf = workspace_root().join("target").join("abi-export-test");
    let _ = fs::remove_dir_all(&dir);
    let exports = [export];
    let all: Vec<PathBuf> = exports[0].files(&dir).into_iter().map(|(p, _)| p).collect();
    assert_eq!(
        abi::stale_files(&dir, &exports).expect("check"),
        all,
        "missing files are stale"
    );

    abi::write_files(&dir, &exports[0]).expect("write");
    assert!(abi::stale_files(&dir, &exports).expect("check").is_empty());

    fs::write(dir.join("counter.json"), "[]\n").expect("edit");
    assert_eq!(
        abi::stale_files(&dir, &exports).expect("check"),
        [dir.join("counter.json")]
    );
    fs::remove_dir_all(&dir).expect("clean up");
}
