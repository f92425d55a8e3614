//! The contract build pipeline: cargo → wasm-opt → strip → Nitro activation checks → brotli →
//! `EF F0 00 00` prefix.
//!
//! Every step is a function so other tools (the devnode, the demo) can build and deploy the real
//! contracts exactly like `build-contracts` does:
//!
//! 1. [`build_contract`]: `cargo rustc --lib --crate-type cdylib --release --target
//!    wasm32-unknown-unknown -Zbuild-std=std,panic_abort` with [`RUSTFLAGS`];
//! 2. [`optimize`]: `wasm-opt` with [`WASM_OPT_FLAGS`], then `devnode::activation::nitro_module`
//!    (drops the custom sections and the DataCount section wasm-ld writes whenever bulk memory
//!    is on, which Nitro's parser refuses; a module that needs it fails the build);
//! 3. `devnode::activation::validate`;
//! 4. [`compress`] (brotli quality [`BROTLI_QUALITY`], window [`BROTLI_WINDOW`]) and
//!    [`deployable_code`] (prefix [`STYLUS_PREFIX`]), which must fit in [`MAX_CODE_SIZE`].
//!
//! [`package_contract`] runs all of them and writes `<pkg>.wasm` and `<pkg>.code` into the
//! artifact folder ([`artifact_dir`], `target/stylus/`).

use std::{
    ffi::OsString,
    fs,
    io::{self, ErrorKind},
    path::{Path, PathBuf},
    process::{Command, Stdio},
};

use devnode::activation::{self, ModuleReport};
use eyre::{bail, eyre, Result, WrapErr};

use crate::workspace_root;

/// The wasm target Stylus programs are built for.
pub const WASM_TARGET: &str = "wasm32-unknown-unknown";

/// rustc flags for every contract build (also in `.cargo/config.toml` for manual builds).
///
/// - `target-cpu=mvp` + `+bulk-memory`: no reference-types, multi-value or SIMD, which recent
///   rustc enables for wasm32 by default and Nitro rejects;
/// - a 32 KiB shadow stack (the stylus-sdk default);
/// - `panic=immediate-abort` (nightly): a panic traps at once instead of running the panic
///   machinery. Behaviour on Stylus is the same (a trap reverts with empty data); the code is far
///   smaller. It replaced `-Zbuild-std-features=panic_immediate_abort`, which this nightly
///   rejects with a compile error in `core`.
pub const RUSTFLAGS: &[&str] = &[
    "-C",
    "target-cpu=mvp",
    "-C",
    "target-feature=+bulk-memory",
    "-C",
    "link-arg=-zstack-size=32768",
    "-Z",
    "unstable-options",
    "-C",
    "panic=immediate-abort",
];

/// `wasm-opt` (binaryen 108) flags: optimise for size with exactly Nitro's post-MVP features
/// and drop the custom sections binaryen knows how to strip.
pub const WASM_OPT_FLAGS: &[&str] = &[
    "-Oz",
    "--enable-bulk-memory",
    "--enable-sign-ext",
    "--enable-mutable-globals",
    "--strip-debug",
    "--strip-producers",
    "--strip-target-features",
];

/// Brotli quality used by cargo-stylus (maximum).
pub const BROTLI_QUALITY: i32 = 11;
/// Brotli window size (log2 bytes) used by cargo-stylus.
pub const BROTLI_WINDOW: i32 = 22;
/// Prefix of classic Stylus code: `EF F0 00`, then dictionary byte 0 (none).
pub const STYLUS_PREFIX: [u8; 4] = [0xEF, 0xF0, 0x00, 0x00];
/// Largest deployable code (EIP-170 contract size limit).
pub const MAX_CODE_SIZE: usize = 24_576;

/// Target directory for contract builds (kept apart from host builds: std is rebuilt for it).
pub fn wasm_target_dir() -> PathBuf {
    workspace_root().join("target").join("wasm")
}

/// Folder the pipeline writes `<pkg>.wasm` (optimized) and `<pkg>.code` (deployable) to.
pub fn artifact_dir() -> PathBuf {
    workspace_root().join("target").join("stylus")
}

/// `CARGO_ENCODED_RUSTFLAGS` value for [`RUSTFLAGS`].
///
/// The encoded variable is used (instead of `CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS`)
/// because it has the highest precedence: the target variable is *merged* with
/// `.cargo/config.toml` and is ignored entirely when the caller's environment sets `RUSTFLAGS`.
/// With `--target`, cargo applies it to target crates only, not to build scripts.
pub fn encoded_rustflags() -> String {
    RUSTFLAGS.join("\u{1f}")
}

/// Suffix of a contract built from a crate's `extension` feature (a second module sharing the
/// crate's storage layout, reached by `DELEGATECALL`): `delegation-manager-extension` is the
/// `delegation-manager` crate built with `--features extension`.
pub const EXTENSION_SUFFIX: &str = "-extension";

/// Suffixes of contracts built from a crate's other module features (more modules, like the
/// extension): `lrt-vault-admin` is the `lrt-vault` crate built with `--features admin`.
pub const MODULE_SUFFIXES: [(&str, &str); 3] = [
    (EXTENSION_SUFFIX, "extension"),
    ("-admin", "admin"),
    ("-views", "views"),
];

/// The cargo package and features behind a contract name (see [`MODULE_SUFFIXES`]).
#[must_use]
pub fn package_and_features(contract: &str) -> (&str, Option<&'static str>) {
    MODULE_SUFFIXES
        .iter()
        .find_map(|&(suffix, feature)| Some((contract.strip_suffix(suffix)?, Some(feature))))
        .unwrap_or((contract, None))
}

/// Builds one contract crate for Stylus and returns the path of the raw `.wasm`.
///
/// `package` is the cargo package name; `manifest_path` selects a crate outside the workspace
/// (e.g. a test fixture with its own `[workspace]`); `target_dir` is cargo's `--target-dir`.
/// Runs `cargo rustc -p <package> --lib --crate-type cdylib --release --target
/// wasm32-unknown-unknown -Zbuild-std=std,panic_abort` from the workspace root, so the pinned
/// toolchain is used. `--crate-type cdylib` (contract crates also declare `lib` for tests)
/// lets cargo run fat LTO across crates, which a `lib`+`cdylib` build does not: the counter
/// fixture's optimized module shrinks from 4,781 to 3,072 bytes.
pub fn build_contract(
    package: &str,
    manifest_path: Option<&Path>,
    target_dir: &Path,
) -> Result<PathBuf> {
    let (package, features) = package_and_features(package);
    let mut cmd = Command::new(cargo());
    cmd.current_dir(workspace_root()).arg("rustc");
    if let Some(manifest) = manifest_path {
        cmd.arg("--manifest-path").arg(manifest);
    }
    if let Some(features) = features {
        cmd.arg("--features").arg(features);
    }
    cmd.args([
        "-p",
        package,
        "--lib",
        "--crate-type",
        "cdylib",
        "--release",
        "--target",
    ])
    .arg(WASM_TARGET)
    .arg("-Zbuild-std=std,panic_abort")
    .arg("--target-dir")
    .arg(target_dir)
    .arg("--message-format=json-render-diagnostics")
    .env("CARGO_ENCODED_RUSTFLAGS", encoded_rustflags())
    .stderr(Stdio::inherit());
    let output = cmd
        .output()
        .wrap_err_with(|| format!("running cargo to build `{package}`"))?;
    if !output.status.success() {
        bail!("cargo failed to build `{package}` for {WASM_TARGET} (see the errors above)");
    }

    let stdout = String::from_utf8_lossy(&output.stdout);
    let mut wasm = None;
    for line in stdout.lines() {
        let Ok(message) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        if message["reason"] != "compiler-artifact" {
            continue;
        }
        let files = message["filenames"].as_array().into_iter().flatten();
        for file in files.filter_map(serde_json::Value::as_str) {
            if Path::new(file).extension().is_some_and(|e| e == "wasm") {
                wasm = Some(PathBuf::from(file));
            }
        }
    }
    wasm.ok_or_else(|| eyre!("cargo built `{package}` but reported no .wasm artifact"))
}

/// The `cargo` to run: the one running us if any (`$CARGO`), else `cargo` from `PATH`.
fn cargo() -> OsString {
    std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into())
}

/// The `wasm-opt` to run: `$WASM_OPT` if set, else `wasm-opt` from `PATH`.
fn wasm_opt() -> OsString {
    std::env::var_os("WASM_OPT").unwrap_or_else(|| "wasm-opt".into())
}

/// Message for a missing binaryen.
const WASM_OPT_MISSING: &str = "`wasm-opt` (binaryen 108) was not found on PATH: run the \
    README's install step (it installs binaryen), or point $WASM_OPT at a wasm-opt binary";

/// The installed `wasm-opt`'s version line (e.g. `wasm-opt version 108`); fails with the
/// README's install hint when it is missing.
pub fn wasm_opt_version() -> Result<String> {
    match Command::new(wasm_opt()).arg("--version").output() {
        Ok(out) if out.status.success() => {
            Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
        }
        Ok(out) => bail!(
            "`wasm-opt --version` failed ({}): {}",
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        ),
        Err(e) if e.kind() == ErrorKind::NotFound => Err(eyre!(WASM_OPT_MISSING)),
        Err(e) => Err(e).wrap_err("running `wasm-opt --version`"),
    }
}

/// Optimizes `input` into `output` with `wasm-opt` ([`WASM_OPT_FLAGS`]), then removes every
/// remaining custom section and the DataCount section (`devnode::activation::nitro_module`).
/// Returns the module to ship.
pub fn optimize(input: &Path, output: &Path) -> Result<Vec<u8>> {
    let status = match Command::new(wasm_opt())
        .args(WASM_OPT_FLAGS)
        .arg(input)
        .arg("-o")
        .arg(output)
        .status()
    {
        Ok(status) => status,
        Err(e) if e.kind() == ErrorKind::NotFound => return Err(eyre!(WASM_OPT_MISSING)),
        Err(e) => return Err(e).wrap_err("running wasm-opt"),
    };
    if !status.success() {
        bail!("wasm-opt failed ({status}) on {}", input.display());
    }
    let optimized = fs::read(output).wrap_err_with(|| format!("reading {}", output.display()))?;
    let stripped = activation::nitro_module(&optimized)
        .map_err(|e| eyre!("{} cannot be made activatable: {e}", output.display()))?;
    fs::write(output, &stripped).wrap_err_with(|| format!("writing {}", output.display()))?;
    Ok(stripped)
}

/// Brotli-compresses a module like cargo-stylus (quality 11, window 22, no dictionary).
pub fn compress(wasm: &[u8]) -> Result<Vec<u8>> {
    let params = brotli::enc::BrotliEncoderParams {
        quality: BROTLI_QUALITY,
        lgwin: BROTLI_WINDOW,
        ..brotli::enc::BrotliEncoderParams::default()
    };
    let mut out = Vec::new();
    brotli::BrotliCompress(&mut io::Cursor::new(wasm), &mut out, &params)
        .wrap_err("brotli compression failed")?;
    Ok(out)
}

/// The code to deploy: [`STYLUS_PREFIX`] followed by the brotli-compressed module.
pub fn deployable_code(wasm: &[u8]) -> Result<Vec<u8>> {
    let compressed = compress(wasm)?;
    let mut code = Vec::with_capacity(STYLUS_PREFIX.len() + compressed.len());
    code.extend_from_slice(&STYLUS_PREFIX);
    code.extend_from_slice(&compressed);
    Ok(code)
}

/// What the pipeline produced for one contract.
#[derive(Clone, Debug)]
pub struct ContractArtifacts {
    /// Cargo package name.
    pub package: String,
    /// Size of cargo's `.wasm`.
    pub raw_wasm_len: usize,
    /// Optimized, stripped module (`<pkg>.wasm` in the artifact folder).
    pub wasm_path: PathBuf,
    /// Size of the optimized module.
    pub wasm_len: usize,
    /// Deployable code (`<pkg>.code`: prefix + brotli).
    pub code_path: PathBuf,
    /// Size of the deployable code.
    pub code_len: usize,
    /// What Nitro's activation checks found in the module.
    pub module: ModuleReport,
}

impl ContractArtifacts {
    /// Bytes left under [`MAX_CODE_SIZE`] (negative when the code is too large).
    pub fn headroom(&self) -> i64 {
        i64::try_from(MAX_CODE_SIZE).unwrap_or(i64::MAX)
            - i64::try_from(self.code_len).unwrap_or(i64::MAX)
    }

    /// Whether the deployable code fits in [`MAX_CODE_SIZE`].
    pub fn fits(&self) -> bool {
        self.code_len <= MAX_CODE_SIZE
    }
}

/// Runs the whole pipeline for one contract and writes `<package>.wasm` and `<package>.code`
/// into `out_dir`. Fails when any step fails or the module would not activate on Nitro; the
/// size limit is left to the caller ([`ContractArtifacts::fits`]) so a report can list every
/// contract first.
pub fn package_contract(
    package: &str,
    manifest_path: Option<&Path>,
    target_dir: &Path,
    out_dir: &Path,
) -> Result<ContractArtifacts> {
    let raw_path = build_contract(package, manifest_path, target_dir)?;
    let raw_wasm_len = fs::metadata(&raw_path)
        .wrap_err_with(|| format!("reading {}", raw_path.display()))?
        .len();
    fs::create_dir_all(out_dir).wrap_err_with(|| format!("creating {}", out_dir.display()))?;

    let wasm_path = out_dir.join(format!("{package}.wasm"));
    let wasm = optimize(&raw_path, &wasm_path)?;
    let module = activation::validate(&wasm).map_err(|e| {
        eyre!(
            "`{package}` would not activate on Nitro: {e} ({})",
            wasm_path.display()
        )
    })?;

    let code = deployable_code(&wasm)?;
    let code_path = out_dir.join(format!("{package}.code"));
    fs::write(&code_path, &code).wrap_err_with(|| format!("writing {}", code_path.display()))?;

    Ok(ContractArtifacts {
        package: package.to_string(),
        raw_wasm_len: usize::try_from(raw_wasm_len).unwrap_or(usize::MAX),
        wasm_path,
        wasm_len: wasm.len(),
        code_path,
        code_len: code.len(),
        module,
    })
}

/// Names of the packages in the workspace (`cargo metadata --no-deps`).
pub fn workspace_packages() -> Result<Vec<String>> {
    let output = Command::new(cargo())
        .current_dir(workspace_root())
        .args(["metadata", "--no-deps", "--format-version", "1"])
        .stderr(Stdio::inherit())
        .output()
        .wrap_err("running cargo metadata")?;
    if !output.status.success() {
        bail!("cargo metadata failed ({})", output.status);
    }
    let metadata: serde_json::Value =
        serde_json::from_slice(&output.stdout).wrap_err("parsing cargo metadata output")?;
    let packages = metadata["packages"]
        .as_array()
        .ok_or_else(|| eyre!("cargo metadata output has no `packages` list"))?;
    Ok(packages
        .iter()
        .filter_map(|p| p["name"].as_str().map(str::to_string))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deployable_code_is_prefixed_brotli_that_round_trips() {
        let wasm = b"\0asm\x01\0\0\0".repeat(100);
        let code = deployable_code(&wasm).expect("compresses");
        assert_eq!(code[..4], STYLUS_PREFIX);
        let mut decompressed = Vec::new();
        brotli::BrotliDecompress(&mut io::Cursor::new(&code[4..]), &mut decompressed)
            .expect("valid brotli");
        assert_eq!(decompressed, wasm);
        assert!(code.len() < wasm.len());
    }

    #[test]
    fn rustflags_are_encoded_with_unit_separators() {
        assert!(encoded_rustflags().starts_with("-C\u{1f}target-cpu=mvp\u{1f}"));
        assert_eq!(encoded_rustflags().split('\u{1f}').count(), RUSTFLAGS.len());
    }
}
