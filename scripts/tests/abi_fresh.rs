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
