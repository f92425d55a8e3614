//! `bench`: gas per operation on the devnode beside EigenLayer's and Symbiotic's measured EVM gas,
//! contract sizes, and devnode throughput, written into BENCHMARKS.md.
//!
//! ```text
//! cargo run --release -p scripts --bin bench [-- --markdown BENCHMARKS.md]
//! ```
//!
//! EigenLayer's figures are full-transaction gas of the same operation on its contracts
//! (`reference/eigenlayer-slashing-era.md` §8); the devnode's include the same 21,000 base and
//! calldata. Symbiotic's are `forge --gas-report` medians (`reference/symbiotic-karak-jito.md` §6),
//! which leave out the 21,000 base: the table adds it. All are single-scenario measurements.

use std::{
    fmt::Write as _,
    path::PathBuf,
    process::Command,
    time::{Duration, Instant},
};

use alloy_primitives::{Address, B256, U256};
use alloy_sol_types::SolCall;
use clap::Parser;
use eyre::{Result, WrapErr};
use integration::{Actor, Backend, BackendExt, WorldBuilder};
use restaking_abi::{
    abi::{
        EarnerTreeMerkleLeaf, IAllocationManager, IDelegationManager, IRewardsCoordinator,
        ISlasher, IStrategyManager, OperatorDirectedRewardsSubmission, OperatorReward, OperatorSet,
        RewardsMerkleClaim, RewardsSubmission, SignatureWithExpiry, SlasherConfig,
        StrategyAndMultiplier, TokenTreeMerkleLeaf,
    },
    constants::slash_mode,
    merkle,
};
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

/// Gas of the DelegationManager operations built so far, on a world with its real WASM.
struct DelegationGas {
    register: u64,
    register_with_approver: u64,
    delegate: u64,
    delegate_signed: u64,
}

fn delegation_gas() -> Result<DelegationGas> {
    let mut w = WorldBuilder::new()
        .real_delegation_manager()
        .build(devnode::Devnode::new())?;
    let (dm, sm, steth) = (w.delegation_manager, w.sm, w.tokens.steth);
    let (open, gated, approver) = (
        Actor::named("open-operator"),
        Actor::named("gated-operator"),
        Actor::named("approver"),
    );
    let register = |approver: Address| IDelegationManager::registerAsOperatorCall {
        delegationApprover: approver,
        allocationDelay: 0,
        metadataUri: "ipfs://operator".into(),
    };
    let register_gas = w
        .chain
        .tx(open.address, dm, &register(Address::ZERO))?
        .ok()?
        .gas_used;
    let register_with_approver = w
        .chain
        .tx(gated.address, dm, &register(approver.address))?
        .ok()?
        .gas_used;
    // EigenLayer's figures: a staker with one deposit delegates.
    let (alice, bob) = (w.stakers[0].address, w.stakers[1].address);
    for staker in [alice, bob] {
        w.chain
            .tx(
                staker,
                sm,
                &IStrategyManager::depositCall {
                    strategy: steth,
                    amount: tokens(1),
                },
            )?
            .ok()?;
    }
    let none = SignatureWithExpiry {
        signature: Vec::new().into(),
        expiry: U256::ZERO,
    };
    let delegate = w
        .chain
        .tx(
            alice,
            dm,
            &IDelegationManager::delegateToCall {
                operator: open.address,
                approverSignature: none,
                approverSalt: B256::ZERO,
            },
        )?
        .ok()?
        .gas_used;
    let expiry = U256::from(w.chain.timestamp() + 600);
    let salt = B256::repeat_byte(7);
    let digest = w
        .chain
        .read(
            dm,
            &IDelegationManager::delegationApprovalDigestCall {
                approver: approver.address,
                staker: bob,
                operator: gated.address,
                salt,
                expiry,
            },
        )?
        ._0;
    let (sig, ..) = approver.sign(digest);
    let signed = IDelegationManager::delegateToCall {
        operator: gated.address,
        approverSignature: SignatureWithExpiry {
            signature: sig.to_vec().into(),
            expiry,
        },
        approverSalt: salt,
    };
    let delegate_signed = w.chain.tx(bob, dm, &signed)?.ok()?.gas_used;
    Ok(DelegationGas {
        register: register_gas,
        register_with_approver,
        delegate,
        delegate_signed,
    })
}

/// Gas of the withdrawal queue, undelegation and five-strategy delegation (DelegationManager core
/// and extension, real WASM).
struct WithdrawalGas {
    delegate5: u64,
    queue1: u64,
    queue5: u64,
    complete_tokens1: u64,
    complete_shares1: u64,
    complete_tokens5: u64,
    undelegate1: u64,
    undelegate5: u64,
}

fn withdrawal_gas() -> Result<WithdrawalGas> {
    use restaking_abi::abi::{QueuedWithdrawalParams, Withdrawal};
    let mut w = WorldBuilder::new()
        .stakers(4)
        .real_delegation_manager()
        .build(devnode::Devnode::new())?;
    let (dm, sm) = (w.delegation_manager, w.sm);
    // A fifth strategy beside the world's four.
    let fifth = w.add_token("cbETH", tokens(100))?;
    let mut strategies = w.tokens.all().to_vec();
    strategies.push(fifth);
    strategies.sort();
    let stakers: Vec<Address> = w.stakers.iter().map(|s| s.address).collect();
    for &staker in &stakers {
        for &strategy in &strategies {
            w.deposit(staker, strategy, tokens(2))?.ok()?;
        }
    }
    let operator = w.register_operator("operator", 0)?.address;
    let mut delegate5 = 0;
    for &staker in &stakers {
        delegate5 = w.delegate(staker, operator)?.ok()?.gas_used;
    }
    let queue = |strategies: &[Address]| IDelegationManager::queueWithdrawalsCall {
        params: vec![QueuedWithdrawalParams {
            strategies: strategies.to_vec(),
            depositShares: vec![tokens(1) / U256::from(2); strategies.len()],
        }],
    };
    let (s0, s1, s2, s3) = (stakers[0], stakers[1], stakers[2], stakers[3]);
    // Warm the operator's history in the first strategy the way a busy operator has it.
    w.chain.tx(s1, dm, &queue(&strategies[..1]))?.ok()?;
    let queue1 = w.chain.tx(s0, dm, &queue(&strategies[..1]))?.ok()?.gas_used;
    let queue5 = w.chain.tx(s0, dm, &queue(&strategies))?.ok()?.gas_used;
    let undelegate1_staker = s2;
    // s2 keeps one strategy only: withdraw all of the other four first.
    let mut rest = Vec::new();
    for &strategy in &strategies[1..] {
        let held = IStrategyManager::depositSharesCall {
            staker: s2,
            strategy,
        };
        rest.push(w.chain.read(sm, &held)?._0);
    }
    let all_but_one = IDelegationManager::queueWithdrawalsCall {
        params: vec![QueuedWithdrawalParams {
            strategies: strategies[1..].to_vec(),
            depositShares: rest,
        }],
    };
    w.chain.tx(s2, dm, &all_but_one)?.ok()?;
    let undelegate1 = w
        .chain
        .tx(
            undelegate1_staker,
            dm,
            &IDelegationManager::undelegateCall { staker: s2 },
        )?
        .ok()?
        .gas_used;
    let undelegate5 = w
        .chain
        .tx(s3, dm, &IDelegationManager::undelegateCall { staker: s3 })?
        .ok()?
        .gas_used;
    let pending =
        |w: &mut integration::World<devnode::Devnode>, staker| -> Result<Vec<Withdrawal>> {
            Ok(w.chain
                .read(dm, &IDelegationManager::queuedWithdrawalsCall { staker })?
                ._0
                .into_iter()
                .map(|q| q.withdrawal)
                .collect())
        };
    w.chain.advance(integration::WITHDRAWAL_DELAY + 1)?;
    let mine = pending(&mut w, s0)?;
    let complete =
        |withdrawal: &Withdrawal, as_tokens| IDelegationManager::completeQueuedWithdrawalCall {
            withdrawal: withdrawal.clone(),
            receiveAsTokens: as_tokens,
        };
    let one = mine.iter().find(|x| x.strategies.len() == 1).cloned();
    let five = mine.iter().find(|x| x.strategies.len() == 5).cloned();
    let (Some(one), Some(five)) = (one, five) else {
        eyre::bail!("the queued withdrawals are missing");
    };
    let complete_tokens1 = w.chain.tx(s0, dm, &complete(&one, true))?.ok()?.gas_used;
    let complete_tokens5 = w.chain.tx(s0, dm, &complete(&five, true))?.ok()?.gas_used;
    let theirs = pending(&mut w, s1)?;
    let complete_shares1 = w
        .chain
        .tx(s1, dm, &complete(&theirs[0], false))?
        .ok()?
        .gas_used;
    Ok(WithdrawalGas {
        delegate5,
        queue1,
        queue5,
        complete_tokens1,
        complete_shares1,
        complete_tokens5,
        undelegate1,
        undelegate5,
    })
}

/// WAD (100%) as a magnitude.
const WAD64: u64 = 1_000_000_000_000_000_000;

/// Gas of the AllocationManager operations (core and extension, real WASM, with the real
/// DelegationManager and StrategyManager behind the slashes).
struct AllocationGas {
    create1: u64,
    create5: u64,
    join: u64,
    allocate1: u64,
    increase: u64,
    deallocate: u64,
    clear1: u64,
    deregister: u64,
    slash1: u64,
    slash5: u64,
    clear_slashed5: u64,
}

fn allocation_gas() -> Result<AllocationGas> {
    let mut w = WorldBuilder::new()
        .real_delegation_manager()
        .build(devnode::Devnode::new())?;
    let am = w.allocation_manager;
    let fifth = w.add_token("cbETH", tokens(100))?;
    let mut strategies = w.tokens.all().to_vec();
    strategies.push(fifth);
    strategies.sort();
    let steth = w.tokens.steth;
    let operator = w.register_operator("operator", 1)?.address;
    for staker in w.stakers.iter().map(|s| s.address).collect::<Vec<_>>() {
        for &strategy in &strategies {
            w.deposit(staker, strategy, tokens(2))?.ok()?;
        }
        w.delegate(staker, operator)?.ok()?;
    }
    // EigenLayer's figures are for an AVS that already announced its metadata.
    let avs = Actor::named("avs");
    w.create_operator_set(&avs, 9, Vec::new(), Address::ZERO)?
        .ok()?;
    let create1 = w
        .create_operator_set(&avs, 1, vec![steth], Address::ZERO)?
        .ok()?
        .gas_used;
    let create5 = w
        .create_operator_set(&avs, 2, strategies.clone(), Address::ZERO)?
        .ok()?
        .gas_used;
    let join = w.join(operator, avs.address, vec![1])?.ok()?.gas_used;
    w.join(operator, avs.address, vec![2])?.ok()?;
    let (one, five) = (
        OperatorSet {
            avs: avs.address,
            id: 1,
        },
        OperatorSet {
            avs: avs.address,
            id: 2,
        },
    );
    let allocate1 = w
        .allocate(operator, one.clone(), vec![steth], vec![WAD64 / 4])?
        .ok()?
        .gas_used;
    w.chain.advance(1)?;
    let increase = w
        .allocate(operator, one.clone(), vec![steth], vec![WAD64 / 2])?
        .ok()?
        .gas_used;
    w.chain.advance(1)?;
    let deallocate = w
        .allocate(operator, one.clone(), vec![steth], vec![WAD64 / 4])?
        .ok()?
        .gas_used;
    w.allocate(
        operator,
        five.clone(),
        strategies.clone(),
        vec![WAD64 / 4; 5],
    )?
    .ok()?;
    w.chain.advance(1)?;
    let tenth = U256::from(WAD64 / 10);
    let slash1 = w
        .slash(&one, operator, vec![steth], vec![tenth])?
        .ok()?
        .gas_used;
    let slash5 = w
        .slash(&five, operator, strategies.clone(), vec![tenth; 5])?
        .ok()?;
    let slash_id = ISlasher::slashCall::abi_decode_returns(&slash5.output, true)?
        .outcome
        .slashId;
    let slash5 = slash5.gas_used;
    let mut clear_slashed5 = 0;
    for &strategy in &strategies {
        let call = IStrategyManager::clearSlashedCall {
            operatorSet: five.clone(),
            slashId: slash_id,
            strategy,
        };
        clear_slashed5 += w
            .chain
            .tx(w.stakers[1].address, w.sm, &call)?
            .ok()?
            .gas_used;
    }
    w.chain.advance(integration::DEALLOCATION_DELAY + 1)?;
    let clear = IAllocationManager::clearDeallocationQueueCall {
        operator,
        strategies: vec![steth],
        numToClear: vec![1],
    };
    let anyone = w.stakers[0].address;
    let clear1 = w.chain.tx(anyone, am, &clear)?.ok()?.gas_used;
    let leave = IAllocationManager::deregisterFromOperatorSetsCall {
        operator,
        avs: avs.address,
        operatorSetIds: vec![1],
    };
    let deregister = w.chain.tx(operator, am, &leave)?.ok()?.gas_used;
    Ok(AllocationGas {
        create1,
        create5,
        join,
        allocate1,
        increase,
        deallocate,
        clear1,
        deregister,
        slash1,
        slash5,
        clear_slashed5,
    })
}

/// Gas of the Slasher's veto flow and policy change, on a world with every contract's real WASM.
struct SlasherGas {
    configure: u64,
    request: u64,
    veto: u64,
    execute: u64,
    cancel: u64,
    /// A 10% slash with 1 and with 1,000 delegators.
    scaled: (u64, u64),
}

fn slasher_gas() -> Result<SlasherGas> {
    let mut w = WorldBuilder::new()
        .real_delegation_manager()
        .build(devnode::Devnode::new())?;
    let steth = w.tokens.steth;
    let operator = w.register_operator("operator", 0)?.address;
    for staker in w.stakers.iter().map(|s| s.address).collect::<Vec<_>>() {
        w.deposit(staker, steth, tokens(2))?.ok()?;
        w.delegate(staker, operator)?.ok()?;
    }
    let avs = Actor::named("avs");
    w.create_operator_set(&avs, 1, vec![steth], Address::ZERO)?
        .ok()?;
    let set = OperatorSet {
        avs: avs.address,
        id: 1,
    };
    w.join(operator, avs.address, vec![1])?.ok()?;
    w.allocate(operator, set.clone(), vec![steth], vec![WAD64 / 2])?
        .ok()?;
    let resolver = Actor::named("resolver");
    w.chain.register(&resolver)?;
    let config = SlasherConfig {
        slasher: Address::ZERO,
        mode: slash_mode::VETO,
        resolver: resolver.address,
        vetoWindow: 3,
        maxWadPerWindow: U256::ZERO,
        window: 0,
    };
    let configure = w.set_slasher_config(&set, config)?.ok()?.gas_used;
    // In force one second after the withdrawal delay.
    w.chain.advance(integration::WITHDRAWAL_DELAY + 1)?;
    let tenth = U256::from(WAD64 / 10);
    let request = |w: &mut integration::World, why: &str| -> Result<(U256, u64)> {
        let r = w
            .request_slash(&set, operator, vec![steth], vec![tenth], why)?
            .ok()?;
        let id = ISlasher::requestSlashCall::abi_decode_returns(&r.output, true)?.requestId;
        Ok((id, r.gas_used))
    };
    let (vetoed, request_gas) = request(&mut w, "vetoed")?;
    let (executed, _) = request(&mut w, "executed")?;
    let (cancelled, _) = request(&mut w, "cancelled")?;
    let veto = ISlasher::vetoSlashCall { requestId: vetoed };
    let veto = w
        .chain
        .tx(resolver.address, w.slasher, &veto)?
        .ok()?
        .gas_used;
    let cancel = ISlasher::cancelSlashCall {
        requestId: cancelled,
    };
    let cancel = w.chain.tx(avs.address, w.slasher, &cancel)?.ok()?.gas_used;
    w.chain.advance(4)?;
    let execute = ISlasher::executeSlashCall {
        requestId: executed,
        operatorSet: set.clone(),
        operator,
        strategies: vec![steth],
        wads: vec![tenth],
        description: "executed".into(),
    };
    let execute = w
        .chain
        .tx(resolver.address, w.slasher, &execute)?
        .ok()?
        .gas_used;
    let scaled = |delegators: usize| -> Result<u64> {
        WorldBuilder::new()
            .stakers(1)
            .real_delegation_manager()
            .build(devnode::Devnode::new())?
            .slash_gas_with_delegators(delegators)
    };
    Ok(SlasherGas {
        configure,
        request: request_gas,
        veto,
        execute,
        cancel,
        scaled: (scaled(1)?, scaled(1_000)?),
    })
}

/// Gas of the RewardsCoordinator, on a world with every contract's real WASM.
struct RewardsGas {
    submit: u64,
    directed10: u64,
    root_first: u64,
    root_later: u64,
    claim4: u64,
    claim16: u64,
    claimer: u64,
    split: u64,
}

/// A tree of `2^depth` earners where `earner` (at a middle index) has earned `amount` of
/// `token`: its root and the earner's claim against root `root_index`.
fn synthetic_tree(
    depth: u32,
    earner: Address,
    token: Address,
    amount: U256,
    root_index: u32,
) -> (B256, RewardsMerkleClaim) {
    let n = 1usize << depth;
    let at = n / 2 + 1;
    let token_leaves = [merkle::token_leaf_hash(token, amount)];
    let token_root = merkle::root(&token_leaves);
    let leaves: Vec<B256> = (0..n)
        .map(|i| {
            if i == at {
                merkle::earner_leaf_hash(earner, token_root)
            } else {
                alloy_primitives::keccak256(i.to_be_bytes())
            }
        })
        .collect();
    let claim = RewardsMerkleClaim {
        rootIndex: root_index,
        earnerIndex: u32::try_from(at).unwrap_or_default(),
        earnerTreeProof: merkle::proof(&leaves, at).unwrap_or_default().into(),
        earnerLeaf: EarnerTreeMerkleLeaf {
            earner,
            earnerTokenRoot: token_root,
        },
        tokenIndices: vec![0],
        tokenTreeProofs: vec![merkle::proof(&token_leaves, 0).unwrap_or_default().into()],
        tokenLeaves: vec![TokenTreeMerkleLeaf {
            token,
            cumulativeEarnings: amount,
        }],
    };
    (merkle::root(&leaves), claim)
}

fn rewards_gas() -> Result<RewardsGas> {
    let mut w = WorldBuilder::new()
        .real_delegation_manager()
        .build(devnode::Devnode::new())?;
    let steth = w.tokens.steth;
    let reward = w.add_token("RWD", tokens(1))?;
    let (rc, i) = (w.rewards, integration::REWARDS_INTERVAL);
    let avs = Actor::named("avs");
    w.fund_rewards(&avs, reward, tokens(1_000))?;
    let strategies = vec![StrategyAndMultiplier {
        strategy: steth,
        multiplier: alloy_primitives::aliases::U96::from(WAD64),
    }];
    let now = w.chain.timestamp();
    let create = IRewardsCoordinator::createAvsRewardsSubmissionCall {
        submissions: vec![RewardsSubmission {
            strategiesAndMultipliers: strategies.clone(),
            token: reward,
            amount: tokens(100),
            startTimestamp: (now / i + 1) * i,
            duration: i,
        }],
    };
    let submit = w.chain.tx(avs.address, rc, &create)?.ok()?.gas_used;
    w.chain.advance(5 * i)?;
    let now = w.chain.timestamp();
    let directed = IRewardsCoordinator::createOperatorDirectedRewardsSubmissionCall {
        avs: avs.address,
        submissions: vec![OperatorDirectedRewardsSubmission {
            strategiesAndMultipliers: strategies,
            token: reward,
            operatorRewards: (1..=10u8)
                .map(|b| OperatorReward {
                    operator: Address::with_last_byte(b),
                    amount: tokens(1),
                })
                .collect(),
            startTimestamp: (now / i - 3) * i,
            duration: i,
        }],
    };
    let directed10 = w.chain.tx(avs.address, rc, &directed)?.ok()?.gas_used;
    // Two roots: one over 2^16 earners, one over 2^4, each with a fresh earner to pay.
    let (deep, shallow) = (Actor::named("earner-16"), Actor::named("earner-4"));
    w.chain.register(&deep)?;
    w.chain.register(&shallow)?;
    let (root16, claim16) = synthetic_tree(16, deep.address, reward, tokens(3), 0);
    let (root4, claim4) = synthetic_tree(4, shallow.address, reward, tokens(2), 1);
    let end = (w.chain.timestamp() / i - 1) * i;
    let updater = w.updater.address;
    let post = |w: &mut integration::World, root: B256, end: u64| -> Result<u64> {
        let call = IRewardsCoordinator::submitRootCall {
            root,
            rewardsCalculationEndTimestamp: end,
        };
        Ok(w.chain.tx(updater, rc, &call)?.ok()?.gas_used)
    };
    let root_first = post(&mut w, root16, end - i)?;
    let root_later = post(&mut w, root4, end)?;
    w.chain.advance(integration::ACTIVATION_DELAY)?;
    let mut claim = |who: Address, claim: RewardsMerkleClaim| -> Result<u64> {
        let call = IRewardsCoordinator::processClaimCall {
            claim,
            recipient: who,
        };
        Ok(w.chain.tx(who, rc, &call)?.ok()?.gas_used)
    };
    let claim16 = claim(deep.address, claim16)?;
    let claim4 = claim(shallow.address, claim4)?;
    let set_claimer = IRewardsCoordinator::setClaimerForCall {
        claimer: Address::with_last_byte(0x77),
    };
    let claimer = w.chain.tx(deep.address, rc, &set_claimer)?.ok()?.gas_used;
    let split = IRewardsCoordinator::setOperatorAvsSplitCall {
        operator: shallow.address,
        avs: avs.address,
        splitBips: 500,
    };
    let split = w.chain.tx(shallow.address, rc, &split)?.ok()?.gas_used;
    Ok(RewardsGas {
        submit,
        directed10,
        root_first,
        root_later,
        claim4,
        claim16,
        claimer,
        split,
    })
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
    let operator = Actor::named("operator");
    l.register_operator("operator", &operator)?;
    l.delegate("bob", bob, operator.address)?;
    let avs = Actor::named("avs");
    let set = OperatorSet {
        avs: avs.address,
        id: 1,
    };
    l.create_set(&avs, 1, vec![steth])?;
    l.join("operator", operator.address, &set)?;
    l.allocate("operator", operator.address, &set, steth, WAD64)?;
    let clear = l.slash_and_clear(&set, operator.address, steth, U256::from(WAD64 / 10))?;
    let fresh_transfer = l.token_transfer(alice, Actor::named("fresh").address)?;
    let warm_transfer = l.token_transfer(alice, bob)?;
    let dm = delegation_gas()?;
    let wd = withdrawal_gas()?;
    let al = allocation_gas()?;

    let sl = slasher_gas()?;
    let rw = rewards_gas()?;
    l.lrt_round_trip(
        &Actor::named("gina"),
        ("operator", operator.address),
        &avs,
        &set,
        tokens(6),
        U256::from(WAD64 / 10),
    )?;
    let lrt = |prefix: &str| -> Result<u64> {
        l.steps
            .iter()
            .find(|s| s.what.starts_with(prefix))
            .map(|s| s.gas)
            .ok_or_else(|| eyre::eyre!("no LRT step {prefix}"))
    };
    let lrt_deposit = lrt("gina deposits")?;
    let lrt_rewards = lrt("anyone restakes")?;
    let lrt_request = lrt("gina requests")?;
    let lrt_process = lrt("curator processes")?;
    let lrt_complete = lrt("anyone completes")?;
    let lrt_claim = lrt("gina claims")?;
    // (operation, ours, EigenLayer or EVM, Symbiotic + 21,000)
    let rows: [(&str, u64, Option<u64>, Option<u64>); 51] = [
        (
            "StrategyManager.deposit — staker's first deposit in a strategy",
            first,
            Some(208_782),
            None,
        ),
        (
            "StrategyManager.deposit — repeat (undelegated)",
            repeat,
            Some(128_099),
            None,
        ),
        (
            "StrategyManager.depositWithSignature — ECDSA, first",
            signed,
            Some(238_834),
            None,
        ),
        (
            "StrategyManager.depositWithPermit — first (EigenLayer has no permit path)",
            permit,
            None,
            None,
        ),
        (
            "StrategyManager.clearSlashed — 1 strategy",
            clear,
            Some(136_188),
            None,
        ),
        (
            "DelegationManager.registerAsOperator — no approver",
            dm.register,
            Some(135_021),
            None,
        ),
        (
            "DelegationManager.registerAsOperator — with approver",
            dm.register_with_approver,
            Some(155_173),
            None,
        ),
        (
            "DelegationManager.delegateTo — 1 strategy",
            dm.delegate,
            Some(145_187),
            None,
        ),
        (
            "DelegationManager.delegateTo — 1 strategy + approver signature",
            dm.delegate_signed,
            Some(174_696),
            None,
        ),
        (
            "DelegationManager.delegateTo — 5 strategies",
            wd.delegate5,
            Some(299_732),
            None,
        ),
        (
            "DelegationManager.queueWithdrawals — 1 strategy (extension)",
            wd.queue1,
            Some(420_794),
            None,
        ),
        (
            "DelegationManager.queueWithdrawals — 5 strategies, one withdrawal (extension)",
            wd.queue5,
            Some(930_426),
            None,
        ),
        (
            "DelegationManager.completeQueuedWithdrawal — as tokens, 1 strategy (extension)",
            wd.complete_tokens1,
            Some(155_316),
            None,
        ),
        (
            "DelegationManager.completeQueuedWithdrawal — as shares, 1 strategy (extension)",
            wd.complete_shares1,
            Some(150_759),
            None,
        ),
        (
            "DelegationManager.completeQueuedWithdrawal — as tokens, 5 strategies (extension)",
            wd.complete_tokens5,
            Some(340_321),
            None,
        ),
        (
            "DelegationManager.undelegate — 1 strategy (extension)",
            wd.undelegate1,
            Some(444_008),
            None,
        ),
        (
            "DelegationManager.undelegate — 5 strategies, 5 withdrawals (extension)",
            wd.undelegate5,
            Some(1_768_113),
            None,
        ),
        (
            "AllocationManager.createOperatorSets — 1 set × 1 strategy (extension)",
            al.create1,
            Some(216_185),
            None,
        ),
        (
            "AllocationManager.createOperatorSets — 1 set × 5 strategies (extension)",
            al.create5,
            Some(424_130),
            None,
        ),
        (
            "AllocationManager.registerForOperatorSets — 1 set (no registrar; EigenLayer: no-op registrar)",
            al.join,
            Some(228_709),
            None,
        ),
        (
            "AllocationManager.modifyAllocations — first allocation, 1 strategy",
            al.allocate1,
            Some(251_181),
            None,
        ),
        (
            "AllocationManager.modifyAllocations — increase existing",
            al.increase,
            Some(88_035),
            None,
        ),
        (
            "AllocationManager.modifyAllocations — deallocate (queued)",
            al.deallocate,
            Some(128_169),
            None,
        ),
        (
            "AllocationManager.clearDeallocationQueue — 1 entry (extension)",
            al.clear1,
            Some(59_409),
            None,
        ),
        (
            "AllocationManager.deregisterFromOperatorSets — 1 set",
            al.deregister,
            Some(77_669),
            None,
        ),
        (
            "Slasher.slash — instant, 1 strategy, via AM, DM and SM (EigenLayer: slashOperator)",
            al.slash1,
            Some(414_403),
            Some(271_000 + 21_000),
        ),
        (
            "Slasher.slash — instant, 5 strategies (EigenLayer: slashOperator)",
            al.slash5,
            Some(1_051_660),
            None,
        ),
        (
            "Slasher.slash — 1 strategy, operator with 1 delegator",
            sl.scaled.0,
            None,
            None,
        ),
        (
            "Slasher.slash — 1 strategy, operator with 1,000 delegators",
            sl.scaled.1,
            None,
            None,
        ),
        (
            "Slasher.requestSlash — veto mode, 1 strategy (Symbiotic: VetoSlasher.requestSlash)",
            sl.request,
            None,
            Some(213_000 + 21_000),
        ),
        (
            "Slasher.vetoSlash (Symbiotic: VetoSlasher.vetoSlash)",
            sl.veto,
            None,
            Some(20_000 + 21_000),
        ),
        (
            "Slasher.executeSlash — 1 strategy (Symbiotic: VetoSlasher.executeSlash)",
            sl.execute,
            None,
            Some(286_000 + 21_000),
        ),
        (
            "Slasher.cancelSlash",
            sl.cancel,
            None,
            None,
        ),
        (
            "Slasher.setSlasherConfig — veto mode (Symbiotic: VetoSlasher.setResolver)",
            sl.configure,
            None,
            Some(78_000 + 21_000),
        ),
        (
            "StrategyManager.clearSlashed — 5 strategies, one call each (EigenLayer: one call)",
            al.clear_slashed5,
            Some(373_436),
            None,
        ),
        (
            "RewardsCoordinator.createAvsRewardsSubmission — 1 submission, 1 strategy",
            rw.submit,
            Some(159_520),
            None,
        ),
        (
            "RewardsCoordinator.createOperatorDirectedRewardsSubmission — 10 operators",
            rw.directed10,
            Some(202_367),
            None,
        ),
        (
            "RewardsCoordinator.submitRoot — first",
            rw.root_first,
            Some(106_036),
            None,
        ),
        (
            "RewardsCoordinator.submitRoot — later",
            rw.root_later,
            Some(88_936),
            None,
        ),
        (
            "RewardsCoordinator.processClaim — 1 token, earner proof depth 4, first claim",
            rw.claim4,
            None,
            None,
        ),
        (
            "RewardsCoordinator.processClaim — 1 token, earner proof depth 16, first claim",
            rw.claim16,
            Some(108_600),
            None,
        ),
        (
            "RewardsCoordinator.setClaimerFor",
            rw.claimer,
            Some(52_996),
            None,
        ),
        (
            "RewardsCoordinator.setOperatorAvsSplit — first",
            rw.split,
            None,
            None,
        ),
        (
            "calibration: ERC-20 transfer to a fresh recipient (OZ ERC20 on EVM)",
            fresh_transfer,
            Some(51_238),
            None,
        ),
        (
            "calibration: ERC-20 transfer to an existing holder (OZ ERC20 on EVM)",
            warm_transfer,
            Some(34_138),
            None,
        ),
        (
            "LrtVault.deposit — holder's first (EigenLayer: StrategyManager first deposit)",
            lrt_deposit,
            Some(208_782),
            None,
        ),
        (
            "LrtVault.requestRedeem — first request (no EigenLayer equivalent)",
            lrt_request,
            None,
            None,
        ),
        (
            "LrtVault.processBatch — one queued withdrawal (EigenLayer: queueWithdrawals, 1 strategy)",
            lrt_process,
            Some(420_794),
            None,
        ),
        (
            "LrtVault.completeBatch — as tokens (EigenLayer: completeQueuedWithdrawal, 1 strategy)",
            lrt_complete,
            Some(155_316),
            None,
        ),
        (
            "LrtVault.redeem — claim a completed request (no EigenLayer equivalent)",
            lrt_claim,
            None,
            None,
        ),
        (
            "LrtVault.claimAndRestakeRewards — 1 token, restake + fee mint",
            lrt_rewards,
            None,
            None,
        ),
    ];
    let mut gas = String::from(
        "| operation | devnode gas | EigenLayer / EVM gas | Symbiotic gas + 21,000 | ratio to the lower |\n|---|---:|---:|---:|---:|\n",
    );
    let cell = |x: Option<u64>| -> Result<String> {
        Ok(match x {
            Some(x) => thousands(i64::try_from(x)?),
            None => "—".into(),
        })
    };
    for (op, ours, eigen, symbiotic) in rows {
        let lower = match (eigen, symbiotic) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        let ratio = match lower {
            Some(t) => format!(
                "{:.2}",
                f64::from(u32::try_from(ours)?) / f64::from(u32::try_from(t)?)
            ),
            None => "—".into(),
        };
        let _ = writeln!(
            gas,
            "| {op} | {} | {} | {} | {ratio} |",
            thousands(i64::try_from(ours)?),
            cell(eigen)?,
            cell(symbiotic)?
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
