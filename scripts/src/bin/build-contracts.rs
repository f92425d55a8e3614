//! `build-contracts`: builds every contract for Stylus, checks it against Nitro's activation
//! rules and the 24,576-byte code size limit, writes the artifacts to `target/stylus/` and
//! prints the size table.
//!
//! ```text
//! cargo run -p scripts --bin build-contracts                       # all contracts
//! cargo run -p scripts --bin build-contracts -- --only lst-token   # a subset
//! cargo run -p scripts --bin build-contracts -- --markdown BENCHMARKS.md
//! ```

use std::{fmt::Write as _, path::PathBuf};

use clap::Parser;
use eyre::{bail, Result};
use scripts::{
    build::{self, ContractArtifacts, MAX_CODE_SIZE},
    report::{self, SizeRow},
    workspace_root, CONTRACTS,
};

/// Build, optimize, validate and compress every Stylus contract.
#[derive(Parser)]
#[command(about)]
struct Args {
    /// Build only these packages (comma-separated or repeated). A package missing from the
    /// workspace is reported and skipped (the run still fails); without this flag every
    /// contract in the list must exist and build.
    #[arg(long, value_delimiter = ',')]
    only: Vec<String>,
    /// Also rewrite the size table between `<!-- sizes:start -->` and `<!-- sizes:end -->` in
    /// this Markdown file (the section is appended when missing).
    #[arg(long, value_name = "FILE")]
    markdown: Option<PathBuf>,
    /// Fail when the size table in this Markdown file differs from the sizes just measured
    /// (CI uses it so committed numbers are the numbers anyone gets).
    #[arg(long, value_name = "FILE", conflicts_with = "markdown")]
    check_markdown: Option<PathBuf>,
}

fn main() -> Result<()> {
    let args = Args::parse();
    let wasm_opt = build::wasm_opt_version()?;

    let members = build::workspace_packages()?;
    let mut missing = Vec::new();
    let packages: Vec<String> = if args.only.is_empty() {
        let absent: Vec<&str> = CONTRACTS
            .iter()
            .copied()
            .filter(|c| {
                !members
                    .iter()
                    .any(|m| m == build::package_and_features(c).0)
            })
            .collect();
        if !absent.is_empty() {
            bail!(
                "contract packages missing from the workspace: {} (every contract must build; \
                 pass --only to build a subset)",
                absent.join(", ")
            );
        }
        CONTRACTS.iter().map(ToString::to_string).collect()
    } else {
        let mut present = Vec::new();
        for package in args.only {
            if members
                .iter()
                .any(|m| m == build::package_and_features(&package).0)
            {
                present.push(package);
            } else {
                eprintln!("error: package `{package}` is not in the workspace; skipped");
                missing.push(package);
            }
        }
        present
    };

    let target_dir = build::wasm_target_dir();
    let out_dir = build::artifact_dir();
    let mut built: Vec<ContractArtifacts> = Vec::new();
    let mut failures = Vec::new();
    for package in &packages {
        eprintln!("building {package}");
        match build::package_contract(package, None, &target_dir, &out_dir) {
            Ok(artifacts) => built.push(artifacts),
            Err(e) => {
                eprintln!("error: {e:#}");
                failures.push(format!("{package}: {e:#}"));
            }
        }
    }

    let rows: Vec<SizeRow> = built.iter().map(SizeRow::from).collect();
    println!();
    print!("{}", report::text_table(&rows));
    let shown = out_dir.strip_prefix(workspace_root()).unwrap_or(&out_dir);
    println!(
        "\nartifacts in {} ({wasm_opt}; brotli q11 w22)",
        shown.display()
    );
    if !wasm_opt.ends_with(" 108") {
        eprintln!("warning: sizes are specified with binaryen 108; this is `{wasm_opt}`");
    }

    for a in built.iter().filter(|a| !a.fits()) {
        failures.push(format!(
            "{}: deployable code is {} bytes, over the {MAX_CODE_SIZE}-byte limit by {}",
            a.package,
            a.code_len,
            a.code_len - MAX_CODE_SIZE
        ));
    }

    if failures.is_empty() && missing.is_empty() {
        if let Some(path) = &args.markdown {
            report::update_markdown(path, &rows)?;
            println!("updated the size table in {}", path.display());
        }
        if let Some(path) = &args.check_markdown {
            if !report::markdown_is_current(path, &rows)? {
                bail!(
                    "the size table in {} is stale: run `cargo run -p scripts --bin build-contracts -- --markdown {}`",
                    path.display(),
                    path.display()
                );
            }
            println!("the size table in {} is current", path.display());
        }
        return Ok(());
    }
    let mut message = String::from("contract build failed:");
    for failure in &failures {
        let _ = write!(message, "\n  - {failure}");
    }
    for package in &missing {
        let _ = write!(message, "\n  - {package}: not in the workspace (skipped)");
    }
    bail!(message)
}
