//! The restaking lifecycle as far as the contracts exist, shared by `demo` (a readable report)
//! and `bench` (gas per operation): fresh artifacts from the build pipeline, a world on the
//! embedded devnode (the real StrategyManager, DelegationManager, AllocationManager and Slasher),
//! and each step's gas.

use std::fmt::Write as _;

use alloy_primitives::{Address, U256};
use alloy_sol_types::SolCall;
use devnode::Devnode;
use eyre::{eyre, Result};
use integration::{Actor, Backend, BackendExt, IMockToken, World, WorldBuilder};
use restaking_abi::{
    abi::{
        IAllocationManager, IDelegationManager, ILrtVault, IRewardsCoordinator, ISlasher,
        IStrategyManager, OperatorSet, SignatureWithExpiry, SlashRequestNotPending, SlasherConfig,
        IERC20,
    },
    constants::slash_mode,
};

use crate::{
    build::{self, ContractArtifacts},
    CONTRACTS,
};

/// Vault shares (21 decimals) in whole rstETH, four places.
fn fmt_shares(shares: U256) -> String {
    fmt_tokens(shares / U256::from(1_000))
}

/// Builds every contract through the pipeline (cargo skips what is up to date) and writes the
/// artifacts the world loads.
///
/// # Errors
/// If a build fails or a contract exceeds the code size limit.
pub fn build_all() -> Result<Vec<ContractArtifacts>> {
    let (target, out) = (build::wasm_target_dir(), build::artifact_dir());
    let built = CONTRACTS
        .iter()
        .map(|p| build::package_contract(p, None, &target, &out))
        .collect::<Result<Vec<_>>>()?;
    if let Some(a) = built.iter().find(|a| !a.fits()) {
        return Err(eyre!(
            "{} is {} bytes, over the {}-byte limit",
            a.package,
            a.code_len,
            build::MAX_CODE_SIZE
        ));
    }
    Ok(built)
}

/// `n` whole tokens (18 decimals).
#[must_use]
pub fn tokens(n: u64) -> U256 {
    U256::from(n) * U256::from(10u64).pow(U256::from(18u64))
}

/// `amount` (18 decimals) as a decimal string with up to 4 fraction digits.
#[must_use]
pub fn fmt_tokens(amount: U256) -> String {
    let unit = U256::from(10u64).pow(U256::from(18u64));
    let whole = amount / unit;
    let frac = (amount % unit) / U256::from(10u64).pow(U256::from(14u64));
    format!("{whole}.{frac:0>4}")
}

/// One step of the lifecycle.
#[derive(Clone, Debug)]
pub struct Step {
    /// What happened.
    pub what: String,
    /// Who sent it.
    pub actor: &'static str,
    /// Gas used.
    pub gas: u64,
    /// The outcome in words.
    pub result: String,
}

/// The lifecycle world: the StrategyManager, the four token kinds and named actors.
pub struct Lifecycle {
    /// The world, on the embedded devnode or a Nitro node.
    pub world: World<Box<dyn Backend>>,
    /// Steps run so far.
    pub steps: Vec<Step>,
}

impl Lifecycle {
    /// A fresh world on the embedded devnode: alice and bob funded with 100 of each token.
    ///
    /// # Errors
    /// If deployment fails (missing artifacts: run [`build_all`] first).
    pub fn new() -> Result<Self> {
        Self::on(Box::new(Devnode::new()))
    }

    /// The same world on `chain` (e.g. an [`integration::rpc::RpcBackend`]).
    ///
    /// # Errors
    /// If deployment fails.
    pub fn on(chain: Box<dyn Backend>) -> Result<Self> {
        Ok(Self {
            world: WorldBuilder::new()
                .stakers(2)
                .real_delegation_manager()
                .build(chain)?,
            steps: Vec::new(),
        })
    }

    /// Makes `actor` able to send on the world's chain.
    ///
    /// # Errors
    /// If funding it fails.
    pub fn register(&mut self, actor: &Actor) -> Result<()> {
        self.world.chain.register(actor)
    }

    fn record(&mut self, what: String, actor: &'static str, gas: u64, result: String) -> u64 {
        self.steps.push(Step {
            what,
            actor,
            gas,
            result,
        });
        gas
    }

    fn send<C: SolCall>(
        &mut self,
        from: Address,
        to: Address,
        call: &C,
    ) -> Result<integration::Outcome> {
        self.world.chain.tx(from, to, call)?.ok()
    }

    /// Alias of staker `i` (alice, bob).
    #[must_use]
    pub fn staker(&self, i: usize) -> Address {
        self.world.stakers[i].address
    }

    /// `staker` deposits `amount` of `token`; returns the gas.
    ///
    /// # Errors
    /// If the deposit reverts.
    pub fn deposit(
        &mut self,
        who: &'static str,
        staker: Address,
        token: Address,
        amount: U256,
    ) -> Result<u64> {
        let sm = self.world.sm;
        let r = self.send(
            staker,
            sm,
            &IStrategyManager::depositCall {
                strategy: token,
                amount,
            },
        )?;
        let shares = self.world.shares(staker, token)?;
        let symbol = self.symbol(token);
        Ok(self.record(
            format!("deposit {} {symbol}", fmt_tokens(amount)),
            who,
            r.gas_used,
            format!("{} shares held", fmt_tokens(shares)),
        ))
    }

    /// A cold wallet signs an EIP-712 deposit; `relayer` pays and submits it. Returns the gas.
    ///
    /// # Errors
    /// If the deposit reverts.
    pub fn deposit_with_signature(
        &mut self,
        signer: &Actor,
        relayer: Address,
        token: Address,
        amount: U256,
    ) -> Result<u64> {
        let sm = self.world.sm;
        let nonce = self
            .world
            .chain
            .read(
                sm,
                &IStrategyManager::noncesCall {
                    staker: signer.address,
                },
            )?
            ._0;
        let expiry = U256::from(self.world.chain.timestamp() + 3_600);
        let (sig, ..) =
            signer.sign(
                self.world
                    .deposit_digest(signer.address, token, amount, nonce, expiry),
            );
        let call = IStrategyManager::depositWithSignatureCall {
            strategy: token,
            amount,
            staker: signer.address,
            expiry,
            signature: sig.to_vec().into(),
        };
        let r = self.send(relayer, sm, &call)?;
        let shares = self.world.shares(signer.address, token)?;
        Ok(self.record(
            format!(
                "deposit {} {} signed by carol (EIP-712)",
                fmt_tokens(amount),
                self.symbol(token)
            ),
            "relayer",
            r.gas_used,
            format!("carol holds {} shares", fmt_tokens(shares)),
        ))
    }

    /// `holder` deposits with an ERC-2612 permit instead of an approval. Returns the gas.
    ///
    /// # Errors
    /// If the deposit reverts.
    pub fn deposit_with_permit(
        &mut self,
        holder: &Actor,
        token: Address,
        amount: U256,
    ) -> Result<u64> {
        let (owner, sm) = (self.world.owner.address, self.world.sm);
        self.send(
            owner,
            token,
            &IMockToken::mintCall {
                to: holder.address,
                amount,
            },
        )?;
        let deadline = U256::from(self.world.chain.timestamp() + 60);
        let (_, v, r, s) =
            holder.sign(
                self.world
                    .permit_digest(token, holder.address, amount, deadline)?,
            );
        let out = self.send(
            holder.address,
            sm,
            &IStrategyManager::depositWithPermitCall {
                strategy: token,
                amount,
                deadline,
                v,
                r,
                s,
            },
        )?;
        let shares = self.world.shares(holder.address, token)?;
        Ok(self.record(
            format!(
                "deposit {} {} with a permit, no approval",
                fmt_tokens(amount),
                self.symbol(token)
            ),
            "dave",
            out.gas_used,
            format!("{} shares held", fmt_tokens(shares)),
        ))
    }

    /// `operator` registers with the real DelegationManager (no approver); returns the gas.
    ///
    /// # Errors
    /// If the transaction reverts.
    pub fn register_operator(&mut self, name: &'static str, operator: &Actor) -> Result<u64> {
        self.world.chain.register(operator)?;
        let call = IDelegationManager::registerAsOperatorCall {
            delegationApprover: Address::ZERO,
            allocationDelay: 0,
            metadataUri: format!("ipfs://{name}"),
        };
        let r = self.send(operator.address, self.world.delegation_manager, &call)?;
        Ok(self.record(
            format!("{name} registers as an operator"),
            name,
            r.gas_used,
            "delegated to itself for good".into(),
        ))
    }

    /// `staker` delegates to `operator` (no approver); returns the gas.
    ///
    /// # Errors
    /// If the transaction reverts.
    pub fn delegate(
        &mut self,
        who: &'static str,
        staker: Address,
        operator: Address,
    ) -> Result<u64> {
        let call = IDelegationManager::delegateToCall {
            operator,
            approverSignature: restaking_abi::abi::SignatureWithExpiry {
                signature: Vec::new().into(),
                expiry: U256::ZERO,
            },
            approverSalt: alloy_primitives::B256::ZERO,
        };
        let r = self.send(staker, self.world.delegation_manager, &call)?;
        let shares = self.operator_shares(operator, self.world.tokens.steth)?;
        Ok(self.record(
            format!("{who} delegates to the operator"),
            who,
            r.gas_used,
            format!("operator holds {} stETH shares", fmt_tokens(shares)),
        ))
    }

    /// `operator`'s shares in `strategy`.
    ///
    /// # Errors
    /// If the view fails.
    pub fn operator_shares(&mut self, operator: Address, strategy: Address) -> Result<U256> {
        let call = IDelegationManager::operatorSharesCall { operator, strategy };
        Ok(self
            .world
            .chain
            .read(self.world.delegation_manager, &call)?
            ._0)
    }

    /// `avs` registers (metadata) and creates operator set `id` over `strategies`, burning what
    /// it slashes. Returns the creation gas.
    ///
    /// # Errors
    /// If a transaction reverts.
    pub fn create_set(&mut self, avs: &Actor, id: u32, strategies: Vec<Address>) -> Result<u64> {
        let n = strategies.len();
        let r = self
            .world
            .create_operator_set(avs, id, strategies, Address::ZERO)?
            .ok()?;
        Ok(self.record(
            format!("AVS creates operator set {id} ({n} strategy)"),
            "avs",
            r.gas_used,
            "slashed tokens will be burned".into(),
        ))
    }

    /// `operator` registers for `set`. Returns the gas.
    ///
    /// # Errors
    /// If the transaction reverts.
    pub fn join(
        &mut self,
        name: &'static str,
        operator: Address,
        set: &OperatorSet,
    ) -> Result<u64> {
        let r = self.world.join(operator, set.avs, vec![set.id])?.ok()?;
        Ok(self.record(
            format!("{name} registers for operator set {}", set.id),
            name,
            r.gas_used,
            "slashable by the set from now on".into(),
        ))
    }

    /// `operator` allocates `magnitude` (WAD = all) of its `token` stake to `set`. Returns the
    /// gas.
    ///
    /// # Errors
    /// If the transaction or a view reverts.
    pub fn allocate(
        &mut self,
        name: &'static str,
        operator: Address,
        set: &OperatorSet,
        token: Address,
        magnitude: u64,
    ) -> Result<u64> {
        let r = self
            .world
            .allocate(operator, set.clone(), vec![token], vec![magnitude])?
            .ok()?;
        let stake = IAllocationManager::getAllocatedStakeCall {
            operatorSet: set.clone(),
            operators: vec![operator],
            strategies: vec![token],
        };
        let stake = self
            .world
            .chain
            .read(self.world.allocation_manager, &stake)?
            ._0;
        let allocated = stake
            .first()
            .and_then(|s| s.first())
            .copied()
            .unwrap_or_default();
        Ok(self.record(
            format!(
                "{name} allocates {}% of its {} to set {}",
                magnitude / 10_000_000_000_000_000,
                self.symbol(token),
                set.id
            ),
            name,
            r.gas_used,
            format!("{} shares slashable by the set", fmt_tokens(allocated)),
        ))
    }

    /// The set's AVS slashes `wad` (WAD = all) of `operator`'s allocation to `set` in `token`
    /// through the Slasher, instantly; then anyone clears the slashed shares to the burn
    /// address. Returns the clearing gas.
    ///
    /// # Errors
    /// If either transaction reverts.
    pub fn slash_and_clear(
        &mut self,
        set: &OperatorSet,
        operator: Address,
        token: Address,
        wad: U256,
    ) -> Result<u64> {
        let (sm, anyone) = (self.world.sm, self.staker(1));
        let r = self
            .world
            .slash(set, operator, vec![token], vec![wad])?
            .ok()?;
        let outcome =
            restaking_abi::abi::ISlasher::slashCall::abi_decode_returns(&r.output, true)?.outcome;
        let slash_id = outcome.slashId;
        let set = set.clone();
        let recorded = self
            .world
            .chain
            .read(
                sm,
                &IStrategyManager::slashedSharesCall {
                    operatorSet: set.clone(),
                    slashId: slash_id,
                    strategy: token,
                },
            )?
            ._0;
        self.record(
            format!(
                "AVS slashes {}% of set {}'s {} allocation",
                wad / U256::from(10_000_000_000_000_000u64),
                set.id,
                self.symbol(token)
            ),
            "avs",
            r.gas_used,
            format!("{} shares burnable", fmt_tokens(recorded)),
        );
        let r = self.send(
            anyone,
            sm,
            &IStrategyManager::clearSlashedCall {
                operatorSet: set,
                slashId: slash_id,
                strategy: token,
            },
        )?;
        let burned = self
            .world
            .balance(token, restaking_abi::constants::BURN_ADDRESS)?;
        Ok(self.record(
            "clear the slashed shares".into(),
            "bob",
            r.gas_used,
            format!("burn address holds {}", fmt_tokens(burned)),
        ))
    }

    /// `staker` queues a withdrawal of `shares` deposit shares, the delay passes, and it completes
    /// the withdrawal as tokens. Returns the completion gas.
    ///
    /// # Errors
    /// If a transaction reverts.
    pub fn withdraw(
        &mut self,
        who: &'static str,
        staker: Address,
        token: Address,
        shares: U256,
    ) -> Result<u64> {
        let dm = self.world.delegation_manager;
        let queue = IDelegationManager::queueWithdrawalsCall {
            params: vec![restaking_abi::abi::QueuedWithdrawalParams {
                strategies: vec![token],
                depositShares: vec![shares],
            }],
        };
        let r = self.send(staker, dm, &queue)?;
        let pending = self
            .world
            .chain
            .read(dm, &IDelegationManager::queuedWithdrawalsCall { staker })?
            ._0;
        let Some(last) = pending.last().cloned() else {
            return Err(eyre!("the queued withdrawal is missing"));
        };
        self.record(
            format!(
                "{who} queues {} {} shares",
                fmt_tokens(shares),
                self.symbol(token)
            ),
            who,
            r.gas_used,
            format!("worth {} now", fmt_tokens(last.shares[0])),
        );
        self.world.chain.advance(self.world.withdrawal_delay + 1)?;
        let before = self.world.balance(token, staker)?;
        let complete = IDelegationManager::completeQueuedWithdrawalCall {
            withdrawal: last.withdrawal,
            receiveAsTokens: true,
        };
        let r = self.send(staker, dm, &complete)?;
        let paid = self.world.balance(token, staker)? - before;
        Ok(self.record(
            format!("{who} completes it after the delay"),
            who,
            r.gas_used,
            format!("{who} receives {}", fmt_tokens(paid)),
        ))
    }

    /// `set`'s AVS queues a veto policy: its slashes become requests that `resolver` may veto
    /// for `veto_window` seconds. Waits until the policy is in force. Returns the gas.
    ///
    /// # Errors
    /// If the transaction reverts.
    pub fn veto_policy(
        &mut self,
        set: &OperatorSet,
        resolver: &Actor,
        veto_window: u64,
    ) -> Result<u64> {
        self.register(resolver)?;
        let config = SlasherConfig {
            slasher: Address::ZERO,
            mode: slash_mode::VETO,
            resolver: resolver.address,
            vetoWindow: veto_window,
            maxWadPerWindow: U256::ZERO,
            window: 0,
        };
        let r = self.world.set_slasher_config(set, config)?.ok()?;
        // In force one second after the withdrawal delay: stake already queued to leave is out
        // of its reach.
        self.world.chain.advance(self.world.withdrawal_delay + 1)?;
        Ok(self.record(
            format!("AVS puts set {} under veto slashing", set.id),
            "avs",
            r.gas_used,
            format!(
                "in force {} s later (the withdrawal delay + 1)",
                self.world.withdrawal_delay + 1
            ),
        ))
    }

    /// `set`'s AVS requests a slash of `wad` of `operator`'s `token` allocation, `resolver`
    /// vetoes it, and after the veto window anyone tries to execute it and is refused. Returns
    /// the request's gas.
    ///
    /// # Errors
    /// If the request or the veto reverts, or the execution does not fail as vetoed.
    pub fn vetoed_request(
        &mut self,
        set: &OperatorSet,
        operator: Address,
        token: Address,
        wad: U256,
        resolver: Address,
    ) -> Result<u64> {
        let why = "disputed downtime";
        let r = self
            .world
            .request_slash(set, operator, vec![token], vec![wad], why)?
            .ok()?;
        let id = ISlasher::requestSlashCall::abi_decode_returns(&r.output, true)?.requestId;
        let deadline = self
            .world
            .chain
            .read(
                self.world.slasher,
                &ISlasher::getSlashRequestCall { requestId: id },
            )?
            ._0
            .vetoDeadline;
        let gas = self.record(
            format!(
                "AVS requests a {}% slash of set {}'s {} allocation",
                wad / U256::from(10_000_000_000_000_000u64),
                set.id,
                self.symbol(token)
            ),
            "avs",
            r.gas_used,
            format!("vetoable until t={deadline}"),
        );
        let slasher = self.world.slasher;
        let r = self.send(
            resolver,
            slasher,
            &ISlasher::vetoSlashCall { requestId: id },
        )?;
        self.record(
            "resolver vetoes the request".into(),
            "resolver",
            r.gas_used,
            "nothing slashed".into(),
        );
        let now = self.world.chain.timestamp();
        self.world.chain.advance(deadline.saturating_sub(now) + 1)?;
        let execute = ISlasher::executeSlashCall {
            requestId: id,
            operatorSet: set.clone(),
            operator,
            strategies: vec![token],
            wads: vec![wad],
            description: why.into(),
        };
        let anyone = self.staker(1);
        let r = self.world.chain.tx(anyone, slasher, &execute)?;
        let refused = r.revert::<SlashRequestNotPending>()?;
        self.record(
            "bob tries to execute it after the window".into(),
            "bob",
            r.gas_used,
            format!(
                "refused: SlashRequestNotPending (status {})",
                refused.status
            ),
        );
        Ok(gas)
    }

    /// Rewards end to end: `avs` escrows `amount` of `token` for stakers of `token` over the next
    /// `intervals` calculation intervals, the rewards calculator reads the chain's events once
    /// they are over and the updater posts its root, and after the activation delay every earner
    /// claims. Returns a report of what each earner was computed and received.
    ///
    /// # Errors
    /// If a transaction or the calculation fails, or a claim pays other than computed.
    pub fn rewards(
        &mut self,
        avs: &Actor,
        token: Address,
        amount: U256,
        intervals: u64,
        names: &[(&'static str, Address)],
    ) -> Result<String> {
        let (rc, i) = (self.world.rewards, integration::REWARDS_INTERVAL);
        let (r, start, end) = self.world.submit_rewards(avs, token, amount, intervals)?;
        let symbol = self.symbol(token);
        self.record(
            format!(
                "AVS submits {} {symbol} of rewards for {intervals} intervals of {i} s",
                fmt_tokens(amount)
            ),
            "avs",
            r.gas_used,
            format!("escrowed, from t={start}"),
        );
        let now = self.world.chain.timestamp();
        self.world.chain.advance(end + 1 - now)?;
        let (distribution, tree, index, root_gas) = self.world.post_rewards_root(end)?;
        let paid = distribution.paid().get(&token).copied().unwrap_or_default();
        let active = self
            .world
            .chain
            .read(
                rc,
                &IRewardsCoordinator::getDistributionRootCall { rootIndex: index },
            )?
            ._0
            .activatedAt;
        self.record(
            "updater posts the calculator's root".into(),
            "updater",
            root_gas,
            format!(
                "{} earners, {} of {} {symbol}; claimable at t={active}",
                tree.earners.len(),
                fmt_tokens(paid),
                fmt_tokens(amount)
            ),
        );
        self.world.chain.advance(integration::ACTIVATION_DELAY)?;
        let mut out = String::new();
        let _ = writeln!(out, "  earner   computed {symbol:<7} claimed");
        for (earner, tokens) in &tree.earners {
            let name: &'static str = names
                .iter()
                .find(|(_, a)| a == earner)
                .map_or("?", |(n, _)| n);
            let computed = tokens
                .iter()
                .find(|(t, _)| *t == token)
                .map_or(U256::ZERO, |(_, a)| *a);
            let before = self.world.balance(token, *earner)?;
            let claim = IRewardsCoordinator::processClaimCall {
                claim: tree
                    .claim(index, *earner)
                    .ok_or_else(|| eyre!("no claim for {earner}"))?,
                recipient: *earner,
            };
            let r = self.send(*earner, rc, &claim)?;
            let claimed = self.world.balance(token, *earner)? - before;
            if claimed != computed {
                return Err(eyre!("{name} received {claimed}, computed {computed}"));
            }
            self.record(
                format!("{name} claims its rewards"),
                name,
                r.gas_used,
                format!("+{} {symbol}", fmt_tokens(claimed)),
            );
            let _ = writeln!(
                out,
                "  {name:<8} {:>14} {:>10}",
                fmt_tokens(computed),
                fmt_tokens(claimed)
            );
        }
        Ok(out)
    }

    /// An LRT holder's round trip: a vault on stETH, curated onto `operator`, takes `holder`'s
    /// deposit; `avs` pays `reward` of stETH to the operator's stakers, and the vault's part is
    /// claimed and restaked (fee to the treasury); the holder requests everything, the curator
    /// processes the batch, `slash` (WAD = all) of the operator's allocation to `set` is slashed
    /// while the batch waits, and after the delay the batch completes and the holder claims.
    /// Returns a report of the holder's value at each stage; every step's gas is recorded.
    ///
    /// # Errors
    /// If a transaction or the calculation fails, or a claim pays other than the vault computed.
    pub fn lrt_round_trip(
        &mut self,
        holder: &Actor,
        operator: (&'static str, Address),
        avs: &Actor,
        set: &OperatorSet,
        reward: U256,
        slash: U256,
    ) -> Result<String> {
        let steth = self.world.tokens.steth;
        let curator = Actor::named("curator");
        let treasury = Actor::named("treasury");
        self.register(&curator)?;
        let vault = self.world.deploy_vault(
            steth,
            curator.address,
            treasury.address,
            1_000,
            tokens(1_000),
            integration::UNLOCK_PERIOD,
        )?;
        let delegate = ILrtVault::setCuratorOperatorCall {
            operator: operator.1,
            approverSignature: SignatureWithExpiry {
                signature: alloy_primitives::Bytes::new(),
                expiry: U256::ZERO,
            },
            approverSalt: alloy_primitives::B256::ZERO,
        };
        let r = self.send(curator.address, vault, &delegate)?;
        self.record(
            format!("curator points the LRT vault at {}", operator.0),
            "curator",
            r.gas_used,
            "vault delegated".into(),
        );
        let h = holder.address;
        let amount = tokens(10);
        self.world.fund(holder, steth, amount, vault)?;
        let deposit = ILrtVault::depositCall {
            assets: amount,
            receiver: h,
        };
        let r = self.send(h, vault, &deposit)?;
        let shares = ILrtVault::depositCall::abi_decode_returns(&r.output, true)?.shares;
        self.record(
            "gina deposits 10 stETH into the LRT vault".into(),
            "gina",
            r.gas_used,
            format!("{} rstETH", fmt_shares(shares)),
        );
        let worth = |l: &mut Self| -> Result<U256> {
            Ok(l.world
                .chain
                .read(vault, &ILrtVault::convertToAssetsCall { shares })?
                ._0)
        };
        let mut out = String::new();
        let _ = writeln!(
            out,
            "  gina deposits            {:>10} stETH",
            fmt_tokens(amount)
        );

        // The AVS pays the operator's stakers; the vault's part is restaked by anyone.
        let (_, _, end) = self.world.submit_rewards(avs, steth, reward, 1)?;
        let now = self.world.chain.timestamp();
        self.world.chain.advance(end + 1 - now)?;
        let (distribution, tree, index, _) = self.world.post_rewards_root(end)?;
        let earned = distribution.earnings[&vault][&steth];
        self.world.chain.advance(integration::ACTIVATION_DELAY)?;
        let claim = ILrtVault::claimAndRestakeRewardsCall {
            claim: tree
                .claim(index, vault)
                .ok_or_else(|| eyre!("no claim for the vault"))?,
        };
        let r = self.send(h, vault, &claim)?;
        self.record(
            "anyone restakes the vault's rewards (10% fee)".into(),
            "gina",
            r.gas_used,
            format!("+{} stETH restaked", fmt_tokens(earned)),
        );
        // Restaked rewards reach the price linearly over the vault's unlock period.
        self.world
            .chain
            .advance(u64::from(integration::UNLOCK_PERIOD))?;
        let after_reward = worth(self)?;
        let _ = writeln!(
            out,
            "  after {} stETH rewards  {:>10} stETH (vault earned {}, 10% fee to the treasury, unlocked over a week)",
            fmt_tokens(reward),
            fmt_tokens(after_reward),
            fmt_tokens(earned)
        );

        // Request everything; the curator processes the batch; the slash lands while it waits.
        let request = ILrtVault::requestRedeemCall {
            shares,
            controller: h,
            owner: h,
        };
        let r = self.send(h, vault, &request)?;
        self.record(
            "gina requests redemption of all her rstETH".into(),
            "gina",
            r.gas_used,
            format!("batch 1, worth {} stETH now", fmt_tokens(after_reward)),
        );
        let r = self.send(curator.address, vault, &ILrtVault::processBatchCall {})?;
        self.record(
            "curator processes batch 1 (one queued withdrawal)".into(),
            "curator",
            r.gas_used,
            "shares burned, withdrawal queued".into(),
        );
        self.slash_and_clear(set, operator.1, steth, slash)?;
        let rate = self.world.chain.read(vault, &ILrtVault::getRateCall {})?._0;
        self.world.chain.advance(self.world.withdrawal_delay + 1)?;
        let complete = ILrtVault::completeBatchCall {
            batchId: U256::from(1),
        };
        let r = self.send(h, vault, &complete)?;
        let realised = self
            .world
            .chain
            .read(
                vault,
                &ILrtVault::getBatchCall {
                    batchId: U256::from(1),
                },
            )?
            ._0
            .assets;
        self.record(
            "anyone completes batch 1 after the delay".into(),
            "gina",
            r.gas_used,
            format!("{} stETH realised", fmt_tokens(realised)),
        );
        let owed = self
            .world
            .chain
            .read(vault, &ILrtVault::maxWithdrawCall { controller: h })?
            ._0;
        let before = self.world.balance(steth, h)?;
        let redeem = ILrtVault::redeemCall {
            shares,
            receiver: h,
            controller: h,
        };
        let r = self.send(h, vault, &redeem)?;
        let received = self.world.balance(steth, h)? - before;
        if received != owed {
            return Err(eyre!("gina received {received}, the vault owed {owed}"));
        }
        self.record(
            "gina claims her redemption".into(),
            "gina",
            r.gas_used,
            format!("+{} stETH", fmt_tokens(received)),
        );
        let _ = writeln!(
            out,
            "  slash while queued       rate {} stETH per rstETH; the queued batch is slashed too",
            fmt_tokens(rate)
        );
        let _ = writeln!(
            out,
            "  gina receives            {:>10} stETH (the lower of {} at request and {} realised)",
            fmt_tokens(received),
            fmt_tokens(after_reward),
            fmt_tokens(realised)
        );
        Ok(out)
    }

    /// Per actor: stETH deposit shares, the shares it could withdraw now (after slashing) and
    /// what those are worth.
    ///
    /// # Errors
    /// If a view fails.
    pub fn restaked(&mut self, actors: &[(&str, Address)]) -> Result<String> {
        let steth = self.world.tokens.steth;
        let mut out = String::new();
        let _ = writeln!(
            out,
            "  {:<8} {:>16} {:>20} {:>14}",
            "actor", "stETH deposit", "withdrawable shares", "worth (stETH)"
        );
        for &(name, who) in actors {
            let deposit = self.world.shares(who, steth)?;
            let call = IDelegationManager::withdrawableSharesCall {
                staker: who,
                strategies: vec![steth],
            };
            let withdrawable = self
                .world
                .chain
                .read(self.world.delegation_manager, &call)?
                ._0
                .first()
                .copied()
                .unwrap_or_default();
            let worth = self
                .world
                .chain
                .read(
                    self.world.sm,
                    &IStrategyManager::sharesToTokensCall {
                        strategy: steth,
                        shares: withdrawable,
                    },
                )?
                ._0;
            let _ = writeln!(
                out,
                "  {:<8} {:>16} {:>20} {:>14}",
                name,
                fmt_tokens(deposit),
                fmt_tokens(withdrawable),
                fmt_tokens(worth)
            );
        }
        Ok(out)
    }

    /// The rebasing token's rate moves to `rate` (WAD = 1:1).
    ///
    /// # Errors
    /// If the transaction reverts.
    pub fn rebase(&mut self, rate: U256) -> Result<()> {
        let (owner, token) = (self.world.owner.address, self.world.tokens.rebasing);
        let r = self.send(owner, token, &IMockToken::setRateCall { rate })?;
        self.record(
            format!("rbETH rebases to {} per unit", fmt_tokens(rate)),
            "token",
            r.gas_used,
            "balances move".into(),
        );
        Ok(())
    }

    /// The reentrant token calls back into `deposit` during a transfer.
    ///
    /// # Errors
    /// If the outer deposit reverts.
    pub fn reentry_attack(&mut self, staker: Address) -> Result<u64> {
        let (owner, sm, token) = (
            self.world.owner.address,
            self.world.sm,
            self.world.tokens.reentrant,
        );
        let reentry = IStrategyManager::depositCall {
            strategy: token,
            amount: tokens(1),
        }
        .abi_encode();
        self.send(
            owner,
            token,
            &IMockToken::setReentryCall {
                target: sm,
                data: reentry.into(),
            },
        )?;
        let r = self.send(
            staker,
            sm,
            &IStrategyManager::depositCall {
                strategy: token,
                amount: tokens(1),
            },
        )?;
        let shares = self.world.shares(staker, token)?;
        Ok(self.record(
            "deposit 1 reETH; the token reenters deposit".into(),
            "alice",
            r.gas_used,
            format!("reentry refused; {} shares", fmt_tokens(shares)),
        ))
    }

    /// Token symbol for the report.
    #[must_use]
    pub fn symbol(&self, token: Address) -> &'static str {
        let t = self.world.tokens;
        match token {
            a if a == t.steth => "stETH",
            a if a == t.rebasing => "rbETH",
            a if a == t.fee => "feeETH",
            a if a == t.reentrant => "reETH",
            _ => "token",
        }
    }

    /// A table of each actor's wallet balance, deposit shares and their token value.
    ///
    /// # Errors
    /// If a view fails.
    pub fn positions(&mut self, actors: &[(&str, Address)]) -> Result<String> {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "  {:<8} {:<7} {:>14} {:>14} {:>14}",
            "actor", "token", "wallet", "shares", "shares worth"
        );
        let sm = self.world.sm;
        for &(name, who) in actors {
            for token in self.world.tokens.all() {
                let shares = self.world.shares(who, token)?;
                let wallet = self.world.balance(token, who)?;
                if shares.is_zero() && wallet.is_zero() {
                    continue;
                }
                let worth = self
                    .world
                    .chain
                    .read(
                        sm,
                        &IStrategyManager::sharesToTokensCall {
                            strategy: token,
                            shares,
                        },
                    )?
                    ._0;
                let _ = writeln!(
                    out,
                    "  {:<8} {:<7} {:>14} {:>14} {:>14}",
                    name,
                    self.symbol(token),
                    fmt_tokens(wallet),
                    fmt_tokens(shares),
                    fmt_tokens(worth)
                );
            }
        }
        let _ = writeln!(
            out,
            "  contract holds: {} stETH, {} rbETH, {} feeETH",
            fmt_tokens(self.world.balance(self.world.tokens.steth, sm)?),
            fmt_tokens(self.world.balance(self.world.tokens.rebasing, sm)?),
            fmt_tokens(self.world.balance(self.world.tokens.fee, sm)?)
        );
        Ok(out)
    }

    /// A mock-token transfer, for calibrating the gas model against EVM ERC-20 figures. Returns
    /// the gas.
    ///
    /// # Errors
    /// If the transfer reverts.
    pub fn token_transfer(&mut self, from: Address, to: Address) -> Result<u64> {
        let token = self.world.tokens.steth;
        Ok(self
            .send(
                from,
                token,
                &IERC20::transferCall {
                    to,
                    value: tokens(1),
                },
            )?
            .gas_used)
    }
}
