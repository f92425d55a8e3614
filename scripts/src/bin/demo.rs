//! `demo`: the main job. Builds the contracts (if needed), starts the embedded devnode, deploys,
//! runs the restaking lifecycle as far as the contracts exist, and prints a readable report:
//! actors, every step with its gas, and the final positions.
//!
//! ```text
//! cargo run -p scripts --bin demo                                   # or ./scripts/demo.sh
//! cargo run -p scripts --bin demo -- --rpc-url http://localhost:8547  # a Nitro dev node
//! ```

use clap::Parser;
use eyre::Result;
use integration::{rpc::RpcBackend, Actor};
use scripts::lifecycle::{build_all, fmt_tokens, tokens, Lifecycle};

/// Run the restaking lifecycle and print a report.
#[derive(Parser)]
#[command(about)]
struct Args {
    /// Run on a Nitro node at this URL instead of the embedded devnode.
    #[arg(long)]
    rpc_url: Option<String>,
    /// Key (hex) that pays the actors' gas on the RPC node; default Nitro's `--dev` account.
    #[arg(long, default_value = integration::rpc::NITRO_DEV_KEY)]
    funder_key: String,
}

fn main() -> Result<()> {
    let args = Args::parse();
    eprintln!("building the contracts (Stylus WASM, Nitro activation checks)…");
    let built = build_all()?;
    let (mut l, place) = match &args.rpc_url {
        Some(url) => (
            Lifecycle::on(Box::new(RpcBackend::connect(url, &args.funder_key)?))?,
            format!("the Nitro node at {url}"),
        ),
        None => (Lifecycle::new()?, "the embedded devnode".to_string()),
    };
    let (alice, bob) = (l.staker(0), l.staker(1));
    let (carol, dave, erin) = (
        Actor::named("carol"),
        Actor::named("dave"),
        Actor::named("erin"),
    );
    l.register(&dave)?;
    let t = l.world.tokens;

    println!(
        "Restaking on Stylus — demo on {place} (chain {})\n",
        l.world.chain.chain_id()
    );
    println!("Contracts (deployable bytes of 24,576):");
    for a in &built {
        println!("  {:<17} {:>6}", a.package, a.code_len);
    }
    println!("\nActors:");
    for (name, who, role) in [
        (
            "owner",
            l.world.owner.address,
            "deploys, whitelists the four mock LSTs",
        ),
        ("alice", alice, "restaker, 100 of each token"),
        ("bob", bob, "restaker and relayer, 100 of each token"),
        ("carol", carol.address, "cold wallet: signs, never sends"),
        (
            "dave",
            dave.address,
            "wallet user: permit instead of approve",
        ),
        (
            "erin",
            erin.address,
            "operator (registers, takes delegations)",
        ),
        (
            "avs",
            Actor::named("avs").address,
            "AVS: creates operator sets over stETH, slashes through the Slasher",
        ),
        (
            "resolver",
            Actor::named("resolver").address,
            "may veto the AVS's slash requests in set 2",
        ),
    ] {
        println!("  {name:<8} {who}  {role}");
    }

    l.deposit("alice", alice, t.steth, tokens(10))?;
    l.deposit("alice", alice, t.steth, tokens(5))?;
    l.deposit("bob", bob, t.steth, tokens(20))?;
    l.deposit_with_signature(&carol, bob, t.steth, tokens(5))?;
    l.deposit_with_permit(&dave, t.steth, tokens(3))?;
    l.deposit("alice", alice, t.fee, tokens(10))?;
    l.deposit("bob", bob, t.rebasing, tokens(10))?;
    l.rebase(tokens(105) / alloy_primitives::U256::from(100))?;
    l.reentry_attack(alice)?;
    l.register_operator("erin", &erin)?;
    l.delegate("alice", alice, erin.address)?;
    l.delegate("bob", bob, erin.address)?;
    let avs = Actor::named("avs");
    let set = restaking_abi::abi::OperatorSet {
        avs: avs.address,
        id: 1,
    };
    let vetoed = restaking_abi::abi::OperatorSet {
        avs: avs.address,
        id: 2,
    };
    let resolver = Actor::named("resolver");
    l.create_set(&avs, 1, vec![t.steth])?;
    l.create_set(&avs, 2, vec![t.steth])?;
    l.veto_policy(&vetoed, &resolver, 5)?;
    l.join("erin", erin.address, &set)?;
    l.join("erin", erin.address, &vetoed)?;
    l.allocate("erin", erin.address, &set, t.steth, 500_000_000_000_000_000)?;
    l.allocate(
        "erin",
        erin.address,
        &vetoed,
        t.steth,
        300_000_000_000_000_000,
    )?;
    let stakers = [("alice", alice), ("bob", bob)];
    let before = l.restaked(&stakers)?;
    l.slash_and_clear(
        &set,
        erin.address,
        t.steth,
        alloy_primitives::U256::from(200_000_000_000_000_000u64),
    )?;
    l.vetoed_request(
        &vetoed,
        erin.address,
        t.steth,
        alloy_primitives::U256::from(500_000_000_000_000_000u64),
        resolver.address,
    )?;
    let after = l.restaked(&stakers)?;
    let rewards = l.rewards(
        &avs,
        t.steth,
        tokens(30),
        3,
        &[
            ("alice", alice),
            ("bob", bob),
            ("erin", erin.address),
            ("avs", avs.address),
        ],
    )?;
    l.withdraw("alice", alice, t.steth, tokens(5))?;
    let gina = Actor::named("gina");
    let lrt = l.lrt_round_trip(
        &gina,
        ("erin", erin.address),
        &avs,
        &set,
        tokens(6),
        alloy_primitives::U256::from(200_000_000_000_000_000u64),
    )?;

    println!("\nLifecycle:");
    println!(
        "  {:>2}  {:<54} {:<15} {:>9}  result",
        "#", "step", "sender", "gas"
    );
    for (i, s) in l.steps.iter().enumerate() {
        println!(
            "  {:>2}  {:<54} {:<15} {:>9}  {}",
            i + 1,
            s.what,
            s.actor,
            scripts::report::thousands(i64::try_from(s.gas)?),
            s.result
        );
    }
    println!("\nRestaked with erin, before the slashes:\n{before}");
    println!("After set 1's instant 20% slash (10% of erin's stETH) and set 2's vetoed request:\n{after}");
    println!("Rewards: the AVS's 30 stETH over three intervals, computed by the rewards calculator from the chain's events (erin's 10% split first, then alice and bob by restaked stake) and claimed:\n{rewards}");
    println!("Positions:");
    print!(
        "{}",
        l.positions(&[
            ("alice", alice),
            ("bob", bob),
            ("carol", carol.address),
            ("dave", dave.address)
        ])?
    );
    let burned = l
        .world
        .balance(t.steth, restaking_abi::constants::BURN_ADDRESS)?;
    println!("\nLRT round trip (rstETH vault curated onto erin: a reward, then a slash while her redemption waits):\n{lrt}");
    println!("\nSlashed and burned: {} stETH. On the devnode, gas is its EVM-equivalent estimate (see BENCHMARKS.md).", fmt_tokens(burned));
    Ok(())
}
