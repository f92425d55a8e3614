//! The build flags matter: the counter fixture built the plain way (prebuilt std, rustc's
//! default wasm features) fails Nitro's activation checks, and built through
//! [`scripts::build_contract`] it activates, compresses with the Stylus prefix and fits.
//!
//! Both tests compile a real Stylus contract (std included), so each takes a minute or two on a
//! cold target directory.

use std::{fs, path::PathBuf, process::Command};

use devnode::activation::{self, ActivationError, Location};
use scripts::{build, workspace_root, MAX_CODE_SIZE, STYLUS_PREFIX};

/// Manifest of the counter fixture (its own workspace, not a member of ours).
fn fixture_manifest() -> PathBuf {
    workspace_root().join("scripts/tests/fixtures/counter/Cargo.toml")
}

#[test]
fn plain_release_build_fails_activation_with_reference_types() {
    let target_dir = workspace_root().join("target").join("wrong-flags");
    // No -Zbuild-std, no target-cpu=mvp. CARGO_ENCODED_RUSTFLAGS="" is the only way to clear
    // the flags of .cargo/config.toml: an empty CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS
    // is merged with them rather than replacing them.
    let status = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
        .current_dir(workspace_root())
        .arg("build")
        .arg("--manifest-path")
        .arg(fixture_manifest())
        .args([
            "--lib",
            "--release",
            "--target",
            build::WASM_TARGET,
            "--target-dir",
        ])
        .arg(&target_dir)
        .env("CARGO_ENCODED_RUSTFLAGS", "")
        .env("CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS", "")
        .env_remove("RUSTFLAGS")
        .status()
        .expect("cargo runs");
    assert!(status.success(), "plain build of the fixture failed");

    let wasm = fs::read(target_dir.join("wasm32-unknown-unknown/release/counter.wasm"))
        .expect("cargo wrote counter.wasm");
    let err = activation::validate(&wasm).expect_err("a plain build must not activate");
    // LLVM with reference types encodes call_indirect's table index as a padded 5-byte LEB,
    // which a pre-reference-types decoder (Nitro's) rejects.
    assert!(
        matches!(
            &err,
            ActivationError::ReferenceTypes {
                location: Location::Instruction { op: "CallIndirect", .. },
                detail,
            } if detail == "call_indirect table immediate encoded in 5 bytes"
        ),
        "unexpected error: {err:?}"
    );
}

#[test]
fn pipeline_build_activates_and_fits() {
    let raw = build::build_contract(
        "counter",
        Some(&fixture_manifest()),
        &build::wasm_target_dir(),
    )
    .expect("fixture builds with the pipeline's flags");
    let out = workspace_root().join("target").join("stylus-fixture");
    fs::create_dir_all(&out).expect("create output dir");
    let wasm = build::optimize(&raw, &out.join("counter.wasm")).expect("wasm-opt");

    let report = activation::validate(&wasm).expect("activates on Nitro");
    assert!(report.imports.iter().any(|i| i == "pay_for_memory_grow"));
    assert!(report.imports.iter().any(|i| i == "storage_load_bytes32"));
    assert_eq!(report.memory_pages, 1);

    let code = build::deployable_code(&wasm).expect("compresses");
    assert_eq!(code[..4], STYLUS_PREFIX);
    assert!(
        code.len() < MAX_CODE_SIZE,
        "deployable code is {} bytes",
        code.len()
    );
    println!(
        "counter: raw {} B, optimized {} B, deployable {} B",
        fs::metadata(&raw).map(|m| m.len()).unwrap_or_default(),
        wasm.len(),
        code.len()
    );
}
