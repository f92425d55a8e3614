//! `bench`: gas per operation on the devnode beside EigenLayer's measured EVM gas, contract sizes,
//! and devnode throughput, written into BENCHMARKS.md.
//!
//! ```text
//! cargo run --release -p scripts --bin bench [-- --markdown BENCHMARKS.md]
//! ```
//!
//! EigenLayer's figures are full-transaction gas of the same operation on its contracts
//! (`reference/eigenlayer-slashing-era.md` §8); the devnode's include the same 21,000 base and
//! calldata. Both are single-scenario measurements.

use std::{
    fmt::Write as _,
    path::PathBuf,
    process::Command,
    time::{Duration, Instant},
};

use alloy_sol_types::SolCall;
use clap::Parser;
use eyre::{Result, WrapErr};
use integration::{Actor, Backend};
use restaking_abi::abi::IStrategyManager;
use scripts::{
    lifecycle::{build_all, tokens, Lifecycle},
    report::{self, thousands, SizeRow},
    workspace_root,
};

/// Measure and (optionally) write BENCHMARKS.md.
#[derive(Parser)]
#[command(about)]
struct Args {
    /// Rewrite the gas, devnode and size sections of this Markdown file.
    #[arg(long, value_name = "FILE")]
    markdown: Option<PathBuf>,
    /// Skip timing the integration suite (it rebuilds and runs `cargo test -p integration`).
    #[arg(long)]
    skip_suite: bool,
}

fn main() -> Result<()> {
    let args = Args::parse();
    let built = build_all()?;
    let mut l = Lifecycle::new()?;
    let (alice, bob) = (l.staker(0), l.staker(1));
    let steth = l.world.tokens.steth;

    // EigenLayer seeds each strategy with a prior depositor; so do we.
    l.deposit("bob", bob, steth, tokens(10))?;
    let first = l.deposit("alice", alice, steth, tokens(10))?;
    let repeat = l.deposit("alice", alice, steth, tokens(10))?;
    let signed = l.deposit_with_signature(&Actor::named("carol"), bob, steth, tokens(5))?;
    let dave = Actor::named("dave");
    l.register(&dave)?;
    let permit = l.deposit_with_permit(&dave, steth, tokens(3))?;
    let clear = l.slash_and_clear(steth, tokens(1))?;
    let fresh_transfer = l.token_transfer(alice, Actor::named("fresh").address)?;
    let warm_transfer = l.token_transfer(alice, bob)?;

    let rows: [(&str, u64, Option<u64>); 7] = [
        (
            "StrategyManager.deposit — staker's first deposit in a strategy",
            first,
            Some(208_782),
        ),
        (
            "StrategyManager.deposit — repeat (undelegated)",
            repeat,
            Some(128_099),
        ),
        (
            "StrategyManager.depositWithSignature — ECDSA, first",
            signed,
            Some(238_834),
        ),
        (
            "StrategyManager.depositWithPermit — first (EigenLayer has no permit path)",
            permit,
            None,
        ),
        (
            "StrategyManager.clearSlashed — 1 strategy",
            clear,
            Some(136_188),
        ),
        (
            "calibration: ERC-20 transfer to a fresh recipient (OZ ERC20 on EVM)",
            fresh_transfer,
            Some(51_238),
        ),
        (
            "calibration: ERC-20 transfer to an existing holder (OZ ERC20 on EVM)",
            warm_transfer,
            Some(34_138),
        ),
    ];
    let mut gas = String::from(
        "| operation | devnode gas | EigenLayer / EVM gas | ratio |\n|---|---:|---:|---:|\n",
    );
    for (op, ours, theirs) in rows {
        let ours_i = i64::try_from(ours)?;
        let (theirs_s, ratio) = match theirs {
            Some(t) => (
                thousands(i64::try_from(t)?),
                format!(
                    "{:.2}",
                    f64::from(u32::try_from(ours)?) / f64::from(u32::try_from(t)?)
                ),
            ),
            None => ("—".into(), "—".into()),
        };
        let _ = writeln!(
            gas,
            "| {op} | {} | {theirs_s} | {ratio} |",
            thousands(ours_i)
        );
    }
    print!("{gas}");

    // Throughput: simple view calls (instantiate + run + return) on one core for ~2 s.
    let data = IStrategyManager::depositSharesCall {
        staker: alice,
        strategy: steth,
    }
    .abi_encode();
    let (sm, start) = (l.world.sm, Instant::now());
    let mut calls = 0u32;
    while start.elapsed() < Duration::from_secs(2) {
        let (ok, _) = l.world.chain.view(alice, sm, &data)?;
        eyre::ensure!(ok, "view call failed");
        calls += 1;
    }
    let per_second = f64::from(calls) / start.elapsed().as_secs_f64();
    let mut devnode = format!("| measure | value |\n|---|---:|\n| simple contract calls per second, one core (StrategyManager.depositShares) | {per_second:.0} |\n");
    println!("devnode: {per_second:.0} calls/s");

    if !args.skip_suite {
        let root = workspace_root();
        let status = Command::new("cargo")
            .args(["test", "-q", "-p", "integration", "--no-run"])
            .current_dir(&root)
            .status()?;
        eyre::ensure!(status.success(), "building the integration suite failed");
        let start = Instant::now();
        let status = Command::new("cargo")
            .args(["test", "-q", "-p", "integration"])
            .current_dir(&root)
            .status()
            .wrap_err("running the integration suite")?;
        eyre::ensure!(status.success(), "the integration suite failed");
        let secs = start.elapsed().as_secs_f64();
        let _ = writeln!(devnode, "| integration suite on the devnode (`cargo test -p integration`, built) | {secs:.1} s |");
        println!("integration suite: {secs:.1} s");
    }

    if let Some(path) = args.markdown {
        let doc = std::fs::read_to_string(&path).unwrap_or_default();
        let doc = report::replace_named_section(&doc, "gas", &gas);
        let doc = report::replace_named_section(&doc, "devnode", &devnode);
        let rows: Vec<SizeRow> = built.iter().map(SizeRow::from).collect();
        let doc = report::replace_section(&doc, &report::markdown_table(&rows));
        std::fs::write(&path, doc).wrap_err_with(|| format!("writing {}", path.display()))?;
        println!("updated {}", path.display());
    }
    Ok(())
}
