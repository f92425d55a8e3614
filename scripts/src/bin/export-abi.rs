//! `export-abi`: writes every contract's Solidity interface and JSON ABI to `abi/`, or with
//! `--check` verifies that the committed files are what the contracts export now.
//!
//! ```text
//! cargo run -p scripts --bin export-abi             # regenerate abi/<pkg>.sol and .json
//! cargo run -p scripts --bin export-abi -- --check  # fail, listing stale files
//! ```

use clap::Parser;
use eyre::{bail, Result};
use scripts::{abi, workspace_root, CONTRACTS};

/// Export the Solidity interface and JSON ABI of every contract into `abi/`.
#[derive(Parser)]
#[command(about)]
struct Args {
    /// Regenerate in memory and exit non-zero, listing every stale or missing file, instead of
    /// writing.
    #[arg(long)]
    check: bool,
    /// Export only these packages (comma-separated or repeated).
    #[arg(long, value_delimiter = ',')]
    only: Vec<String>,
}

fn main() -> Result<()> {
    let args = Args::parse();
    let packages: Vec<String> = if args.only.is_empty() {
        CONTRACTS.iter().map(ToString::to_string).collect()
    } else {
        args.only
    };

    let dir = abi::abi_dir();
    let target_dir = abi::export_target_dir();
    let mut exports = Vec::with_capacity(packages.len());
    for package in &packages {
        eprintln!("exporting the ABI of {package}");
        exports.push(abi::export_abi(package, None, &target_dir)?);
    }

    if args.check {
        let stale = abi::stale_files(&dir, &exports)?;
        if stale.is_empty() {
            println!("abi/ is up to date ({} contracts)", exports.len());
            return Ok(());
        }
        let root = workspace_root();
        let list: Vec<String> = stale
            .iter()
            .map(|p| format!("  - {}", p.strip_prefix(&root).unwrap_or(p).display()))
            .collect();
        bail!(
            "stale ABI files (run `cargo run -p scripts --bin export-abi` and commit abi/):\n{}",
            list.join("\n")
        );
    }

    for export in &exports {
        abi::write_files(&dir, export)?;
        println!("wrote abi/{0}.sol and abi/{0}.json", export.package);
    }
    Ok(())
}
