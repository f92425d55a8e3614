//! `rewards-root`: runs the rewards calculator against a node and (optionally) posts the root.
//!
//! ```text
//! cargo run -p scripts --bin rewards-root -- --rpc http://localhost:8547 \
//!     --strategy-manager 0x… --delegation-manager 0x… --allocation-manager 0x… \
//!     --rewards-coordinator 0x… --end 1735689600 [--submit --key 0x…] [--out proofs.json]
//! ```
//!
//! Reads every log of the four contracts (`eth_getLogs` from block 0, with block timestamps),
//! computes each earner's cumulative earnings through `--end` (the algorithm of the
//! `rewards-calculator` crate), prints the root and the totals, writes every earner's proof as
//! JSON, and with `--submit` sends `submitRoot` from the rewards updater's key. The calculation
//! interval is read from the RewardsCoordinator. The demo runs the same calculation on the
//! embedded devnode.

use std::path::PathBuf;

use alloy_primitives::Address;
use clap::Parser;
use eyre::{Result, WrapErr};
use integration::{rpc::RpcBackend, Backend, BackendExt};
use restaking_abi::abi::IRewardsCoordinator;

/// Compute (and post) a rewards root from a node's events.
#[derive(Parser)]
#[command(about)]
struct Args {
    /// JSON-RPC endpoint of the node.
    #[arg(long)]
    rpc: String,
    /// StrategyManager address.
    #[arg(long)]
    strategy_manager: Address,
    /// DelegationManager address.
    #[arg(long)]
    delegation_manager: Address,
    /// AllocationManager address.
    #[arg(long)]
    allocation_manager: Address,
    /// RewardsCoordinator address.
    #[arg(long)]
    rewards_coordinator: Address,
    /// Calculation end (unix seconds, a multiple of the calculation interval, in the past).
    #[arg(long)]
    end: u64,
    /// Post the root with `submitRoot`.
    #[arg(long)]
    submit: bool,
    /// The rewards updater's private key (hex), which also pays for the transaction.
    #[arg(long, default_value = integration::rpc::NITRO_DEV_KEY)]
    key: String,
    /// Write every earner's proof here as JSON.
    #[arg(long)]
    out: Option<PathBuf>,
}

fn main() -> Result<()> {
    let args = Args::parse();
    let mut node = RpcBackend::connect(&args.rpc, &args.key)?;
    let contracts = rewards_calculator::Contracts {
        strategy_manager: args.strategy_manager,
        delegation_manager: args.delegation_manager,
        allocation_manager: args.allocation_manager,
        rewards_coordinator: args.rewards_coordinator,
    };
    let rc = args.rewards_coordinator;
    let params = node
        .read(rc, &IRewardsCoordinator::rewardsParametersCall {})?
        ._0;
    let logs = node.logs(&contracts.all())?;
    let distribution = rewards_calculator::calculate(
        &logs,
        &contracts,
        u64::from(params.calculationInterval),
        args.end,
    )?;
    let tree = distribution.tree();
    println!("logs read: {}", logs.len());
    println!("earners: {}", tree.earners.len());
    for (token, paid) in distribution.paid() {
        let submitted = distribution
            .submitted
            .get(&token)
            .copied()
            .unwrap_or_default();
        println!("token {token}: {paid} earned of {submitted} submitted");
    }
    println!("root: {}", tree.root);
    let index = node
        .read(rc, &IRewardsCoordinator::getDistributionRootsLengthCall {})?
        ._0;
    let index = u32::try_from(index)?;
    if args.submit {
        let call = IRewardsCoordinator::submitRootCall {
            root: tree.root,
            rewardsCalculationEndTimestamp: args.end,
        };
        let from = node.funder();
        node.tx(from, rc, &call)?.ok()?;
        println!("posted as root {index}");
    }
    if let Some(path) = args.out {
        let json = tree.proofs_json(index, args.end);
        std::fs::write(&path, serde_json::to_string_pretty(&json)?)
            .wrap_err_with(|| format!("writing {}", path.display()))?;
        println!("proofs written to {}", path.display());
    }
    Ok(())
}
