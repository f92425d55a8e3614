//! Integration suite support: the contracts' real WASM on a [`Backend`], and a world builder.
//!
//! Scenarios are written once against [`Backend`] and run on the embedded [`Devnode`] (the
//! default) or, when `NITRO_RPC_URL` is set, on a real Nitro dev node ([`rpc::RpcBackend`]; start
//! one with `scripts/nitro-devnode.sh` where Docker exists). [`World`] builds a whole restaking world in one call — StrategyManager, the four mock
//! token kinds, funded stakers with signing keys — so each test states only what it is about.
//!
//! Contract code comes from the build pipeline's artifacts (`target/stylus/<package>.code`,
//! written by `cargo run -p scripts --bin build-contracts`, which `scripts/test.sh` runs first).
//! `WorldBuilder::real_delegation_manager` wires the real StrategyManager, DelegationManager and
//! AllocationManager together (the Slasher is an account until it lands). The StrategyManager's
//! own scenarios stand its peers in instead: the DelegationManager by a plain account (its
//! deposit hook then does nothing) or a contract that always reverts, the AllocationManager by an
//! "oracle" contract that answers every call with one stored word.

use std::{
    cell::RefCell,
    fmt::Write as _,
    path::PathBuf,
    rc::Rc,
    sync::atomic::{AtomicU64, Ordering},
};

use alloy_primitives::{keccak256, Address, Bytes, B256, U256};
use alloy_signer::SignerSync;
use alloy_signer_local::PrivateKeySigner;
use alloy_sol_types::{sol, SolCall, SolError, SolEvent, SolValue};
use devnode::{constructor_calldata, Devnode, Executed, Log};
use eyre::{bail, eyre, Result, WrapErr};
use restaking_abi::abi::{
    AllocateParams, CreateSetParams, IAllocationManager, IDelegationManager, IRewardsCoordinator,
    ISlasher, IStrategyManager, OperatorSet, RewardsSubmission, SignatureWithExpiry, SlasherConfig,
    StrategyAndMultiplier, IERC20,
};

pub mod rpc;

sol! {
    /// The mock token's own methods (its ERC-20 surface is `IERC20`).
    #[sol(all_derives)]
    interface IMockToken {
        function mint(address to, uint256 amount) external;
        function setRate(uint256 rate) external;
        function setReentry(address target, bytes data) external;
        function nonces(address owner) external view returns (uint256);
        function DOMAIN_SEPARATOR() external view returns (bytes32);
        event ReentryAttempted(address indexed target, bool success, bytes returnData);
    }

    /// The mock registrar's own methods (`tests/mocks/mock-registrar`; its registrar surface is
    /// `IAvsRegistrar`).
    #[sol(all_derives)]
    interface IMockRegistrar {
        function setSupported(address avs, bool yes) external;
        function setBehaviour(uint8 mode, bytes data) external;
        function registrations(address operator) external view returns (uint256);
        function deregistrations(address operator) external view returns (uint256);
        function lastData() external view returns (bytes);
    }

    /// Constructor arguments of the DelegationManager.
    struct DelegationManagerArgs { address owner; uint64 withdrawalDelay; address extension; }

    /// Constructor arguments of the AllocationManager.
    struct AllocationManagerArgs { address owner; uint64 deallocationDelay; uint64 allocationConfigDelay; address extension; }

    /// Constructor arguments of the Slasher.
    struct SlasherArgs { address owner; address delegationManager; address allocationManager; }

    /// Constructor arguments of the RewardsCoordinator (encoded without a selector).
    struct RewardsCoordinatorArgs {
        address owner;
        address strategyManager;
        address rewardsUpdater;
        uint32 calculationInterval;
        uint32 maxRewardsDuration;
        uint32 maxRetroactiveLength;
        uint32 maxFutureLength;
        uint32 genesisRewardsTimestamp;
        uint32 activationDelay;
    }

    /// Constructor arguments of the LrtVault (encoded without a selector). `peers`: the
    /// StrategyManager, DelegationManager, AllocationManager and RewardsCoordinator.
    struct LrtVaultArgs {
        address owner;
        address asset;
        string name;
        string symbol;
        address[4] peers;
        address[3] modules;
        address curator;
        address treasury;
        uint16 feeBips;
        uint256 cap;
        uint32 unlockPeriod;
    }

    /// Constructor arguments of the mock token (encoded without a selector).
    struct MockTokenArgs { string name; string symbol; uint8 decimals; uint8 kind; uint16 feeBips; }
}

/// The DelegationManager's withdrawal delay in every world (seconds; the default is 14 days).
/// Short, so a real node can be waited on.
pub const WITHDRAWAL_DELAY: u64 = 10;
/// The AllocationManager's deallocation delay (seconds; the default is 14 days): equal to the
/// withdrawal delay, as in EigenLayer's deployments.
pub const DEALLOCATION_DELAY: u64 = WITHDRAWAL_DELAY;
/// The AllocationManager's allocation configuration delay (seconds; the default is 17.5 days).
pub const ALLOCATION_CONFIG_DELAY: u64 = 5;
/// The RewardsCoordinator's calculation interval (seconds; the default is one day).
pub const REWARDS_INTERVAL: u64 = 10;
/// The RewardsCoordinator's root and split activation delay (seconds; the default is 7 days).
pub const ACTIVATION_DELAY: u64 = 5;
/// The six contracts' programs: each core, then its other modules (package name plus
/// `-extension`, `-admin` or `-views`).
pub const PROGRAMS: [&str; 11] = [
    "strategy-manager",
    "delegation-manager",
    "delegation-manager-extension",
    "allocation-manager",
    "allocation-manager-extension",
    "slasher",
    "rewards-coordinator",
    "lrt-vault",
    "lrt-vault-extension",
    "lrt-vault-admin",
    "lrt-vault-views",
];

/// The Stylus mocks the suite deploys beside them.
pub const MOCK_PROGRAMS: [&str; 2] = ["mock-token", "mock-registrar"];

/// Seconds over which the suite's LRT vaults unlock restaked rewards (one week).
pub const UNLOCK_PERIOD: u32 = 7 * 24 * 60 * 60;

/// The four mock token kinds (see `tests/mocks/mock-token`).
pub mod kind {
    /// LST-like ERC-20 with ERC-2612 permit.
    pub const STANDARD: u8 = 0;
    /// Rebasing balances.
    pub const REBASING: u8 = 1;
    /// Fee burned on transfer.
    pub const FEE_ON_TRANSFER: u8 = 2;
    /// Reenters a target from `transferFrom`.
    pub const REENTRANT: u8 = 3;
}

/// `keccak256("Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)")`.
pub const PERMIT_TYPEHASH: B256 =
    alloy_primitives::b256!("6e71edae12b1b97f4d1f60370fef10105fa2faae0126114a169c64845d6126c9");

/// A transaction's result on any backend.
#[derive(Clone, Debug)]
pub struct Outcome {
    /// Success.
    pub status: bool,
    /// Return or revert data.
    pub output: Bytes,
    /// Gas used (the devnode's estimate, or the receipt's on a real node).
    pub gas_used: u64,
    /// Logs.
    pub logs: Vec<Log>,
}

impl Outcome {
    /// Decodes the revert data as the custom error `E`.
    ///
    /// # Errors
    /// If the transaction succeeded or reverted with something else.
    pub fn revert<E: SolError>(&self) -> Result<E> {
        if self.status {
            bail!(
                "expected a revert with {}, the transaction succeeded",
                E::SIGNATURE
            );
        }
        E::abi_decode(&self.output, true).map_err(|_| {
            eyre!(
                "expected {}, reverted with 0x{}",
                E::SIGNATURE,
                alloy_primitives::hex::encode(&self.output)
            )
        })
    }

    /// Whether the transaction emitted exactly `event` (same topics and data).
    #[must_use]
    pub fn emitted<E: SolEvent>(&self, event: &E) -> bool {
        let log = event.encode_log_data();
        self.logs
            .iter()
            .any(|l| l.topics == log.topics() && l.data == log.data)
    }

    /// Fails unless the transaction succeeded.
    ///
    /// # Errors
    /// With the revert data when it failed.
    pub fn ok(self) -> Result<Self> {
        if self.status {
            Ok(self)
        } else {
            bail!(
                "transaction reverted with 0x{}",
                alloy_primitives::hex::encode(&self.output)
            )
        }
    }
}

/// A chain the scenarios run on.
pub trait Backend {
    /// Deploys a Stylus program (`EF F0 00 00` + brotli) and runs its constructor calldata.
    ///
    /// # Errors
    /// If activation or the constructor fails.
    fn deploy(&mut self, from: Address, code: &[u8], constructor: Option<&[u8]>)
        -> Result<Address>;
    /// Sends a transaction.
    ///
    /// # Errors
    /// Only for transport failures; a revert is an [`Outcome`] with `status == false`.
    fn send(&mut self, from: Address, to: Address, data: &[u8]) -> Result<Outcome>;
    /// Runs a call without keeping its effects.
    ///
    /// # Errors
    /// Only for transport failures.
    fn view(&mut self, from: Address, to: Address, data: &[u8]) -> Result<(bool, Bytes)>;
    /// The chain id.
    fn chain_id(&self) -> u64;
    /// The latest block's timestamp.
    fn timestamp(&self) -> u64;
    /// Lets at least `seconds` pass before the next transaction: the devnode moves its clock, a
    /// real node is waited on.
    ///
    /// # Errors
    /// Only for transport failures.
    fn advance(&mut self, seconds: u64) -> Result<()>;
    /// Every log emitted so far by any of `addresses`, in chain order, with its block's
    /// timestamp (what the rewards calculator reads).
    ///
    /// # Errors
    /// Only for transport failures.
    fn logs(&mut self, addresses: &[Address]) -> Result<Vec<rewards_calculator::EventLog>>;
    /// Makes `actor` able to send transactions (an RPC node needs its key and gas money).
    ///
    /// # Errors
    /// If funding it fails.
    fn register(&mut self, actor: &Actor) -> Result<()> {
        let _ = actor;
        Ok(())
    }
    /// Starts recording the selectors each program runs successfully and returns the set the
    /// chain fills (the devnode); `None` where the backend cannot see inside calls.
    fn record_executed(&mut self) -> Option<Rc<RefCell<Executed>>> {
        None
    }
}

impl<T: Backend + ?Sized> Backend for Box<T> {
    fn deploy(
        &mut self,
        from: Address,
        code: &[u8],
        constructor: Option<&[u8]>,
    ) -> Result<Address> {
        (**self).deploy(from, code, constructor)
    }

    fn send(&mut self, from: Address, to: Address, data: &[u8]) -> Result<Outcome> {
        (**self).send(from, to, data)
    }

    fn view(&mut self, from: Address, to: Address, data: &[u8]) -> Result<(bool, Bytes)> {
        (**self).view(from, to, data)
    }

    fn chain_id(&self) -> u64 {
        (**self).chain_id()
    }

    fn timestamp(&self) -> u64 {
        (**self).timestamp()
    }

    fn advance(&mut self, seconds: u64) -> Result<()> {
        (**self).advance(seconds)
    }

    fn logs(&mut self, addresses: &[Address]) -> Result<Vec<rewards_calculator::EventLog>> {
        (**self).logs(addresses)
    }

    fn register(&mut self, actor: &Actor) -> Result<()> {
        (**self).register(actor)
    }

    fn record_executed(&mut self) -> Option<Rc<RefCell<Executed>>> {
        (**self).record_executed()
    }
}

/// The backend the suite runs on: a Nitro node at `NITRO_RPC_URL` when set (paying gas from
/// `NITRO_DEV_KEY`, default Nitro's `--dev` account), else a fresh embedded devnode.
///
/// # Errors
/// If the node cannot be reached.
pub fn backend() -> Result<Box<dyn Backend>> {
    match std::env::var("NITRO_RPC_URL") {
        Ok(url) if !url.is_empty() => {
            let key =
                std::env::var("NITRO_DEV_KEY").unwrap_or_else(|_| rpc::NITRO_DEV_KEY.to_string());
            Ok(Box::new(rpc::RpcBackend::connect(&url, &key)?))
        }
        _ => Ok(Box::new(Devnode::new())),
    }
}

impl Backend for Devnode {
    fn deploy(
        &mut self,
        from: Address,
        code: &[u8],
        constructor: Option<&[u8]>,
    ) -> Result<Address> {
        Ok(Devnode::deploy(self, from, code, constructor)?)
    }

    fn send(&mut self, from: Address, to: Address, data: &[u8]) -> Result<Outcome> {
        let r = self.transact(from, to, data, U256::ZERO);
        Ok(Outcome {
            status: r.status,
            output: r.output,
            gas_used: r.gas_used,
            logs: r.logs,
        })
    }

    fn view(&mut self, from: Address, to: Address, data: &[u8]) -> Result<(bool, Bytes)> {
        Ok(self.call(from, to, data))
    }

    fn chain_id(&self) -> u64 {
        self.block().chain_id
    }

    fn timestamp(&self) -> u64 {
        self.block().timestamp
    }

    fn advance(&mut self, seconds: u64) -> Result<()> {
        let now = self.block().timestamp;
        self.warp(now + seconds);
        Ok(())
    }

    fn record_executed(&mut self) -> Option<Rc<RefCell<Executed>>> {
        Some(Devnode::record_executed(self))
    }

    fn logs(&mut self, addresses: &[Address]) -> Result<Vec<rewards_calculator::EventLog>> {
        Ok(self
            .timed_logs(addresses)
            .into_iter()
            .map(|(timestamp, l)| rewards_calculator::EventLog {
                address: l.address,
                topics: l.topics,
                data: l.data,
                timestamp,
            })
            .collect())
    }
}

/// Typed calls on any backend.
pub trait BackendExt: Backend {
    /// Sends `call` to `to`.
    ///
    /// # Errors
    /// Transport failures only.
    fn tx<C: SolCall>(&mut self, from: Address, to: Address, call: &C) -> Result<Outcome> {
        self.send(from, to, &call.abi_encode())
    }

    /// Calls the view `call` on `to` and decodes its return.
    ///
    /// # Errors
    /// If the call reverts or returns malformed data.
    fn read<C: SolCall>(&mut self, to: Address, call: &C) -> Result<C::Return> {
        let (ok, out) = self.view(Address::ZERO, to, &call.abi_encode())?;
        if !ok {
            bail!(
                "view {} reverted with 0x{}",
                C::SIGNATURE,
                alloy_primitives::hex::encode(&out)
            );
        }
        C::abi_decode_returns(&out, true).wrap_err_with(|| format!("decoding {}", C::SIGNATURE))
    }
}

impl<B: Backend + ?Sized> BackendExt for B {}

/// Workspace root (the folder above this crate).
#[must_use]
pub fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Deployable code of a contract package, from the build pipeline's artifacts.
///
/// # Errors
/// When the artifact is missing: build the contracts first.
pub fn contract_code(package: &str) -> Result<Vec<u8>> {
    let path = workspace_root()
        .join("target")
        .join("stylus")
        .join(format!("{package}.code"));
    std::fs::read(&path).wrap_err_with(|| {
        format!(
            "reading {} — build the contracts first: cargo run -p scripts --bin build-contracts",
            path.display()
        )
    })
}

/// A mock contract written in WAT (`tests/mocks/wat/<name>.wat`), as deployable code.
///
/// # Errors
/// If the file is missing or does not parse.
pub fn wat_code(name: &str) -> Result<Vec<u8>> {
    let path = workspace_root()
        .join("tests")
        .join("mocks")
        .join("wat")
        .join(format!("{name}.wat"));
    let wasm = wat::parse_file(&path).wrap_err_with(|| format!("parsing {}", path.display()))?;
    Ok(devnode::stylus_code(&wasm))
}

/// An account with a signing key, derived from a name.
#[derive(Clone, Debug)]
pub struct Actor {
    /// Its address.
    pub address: Address,
    /// Its key.
    pub signer: PrivateKeySigner,
}

impl Actor {
    /// The actor named `name` (same name, same key).
    ///
    /// # Panics
    /// Never: a keccak digest is a valid secp256k1 key with overwhelming probability, and these
    /// names are fixed.
    #[must_use]
    pub fn named(name: &str) -> Self {
        let signer = PrivateKeySigner::from_bytes(&keccak256(name.as_bytes())).expect("valid key");
        Self {
            address: signer.address(),
            signer,
        }
    }

    /// A 65-byte `r ‖ s ‖ v` signature of `digest` (v = 27/28) and its parts.
    ///
    /// # Panics
    /// Never: signing a 32-byte digest with a local key cannot fail.
    #[must_use]
    pub fn sign(&self, digest: B256) -> ([u8; 65], u8, B256, B256) {
        let sig = self.signer.sign_hash_sync(&digest).expect("local signing");
        let (v, r, s) = (
            27 + u8::from(sig.v()),
            B256::from(sig.r()),
            B256::from(sig.s()),
        );
        let mut bytes = [0u8; 65];
        bytes[..32].copy_from_slice(r.as_slice());
        bytes[32..64].copy_from_slice(s.as_slice());
        bytes[64] = v;
        (bytes, v, r, s)
    }
}

/// The mock tokens of a world, one per kind.
#[derive(Clone, Copy, Debug)]
pub struct Tokens {
    /// LST with permit.
    pub steth: Address,
    /// Rebasing.
    pub rebasing: Address,
    /// 1% fee on transfer.
    pub fee: Address,
    /// Reentrant.
    pub reentrant: Address,
}

impl Tokens {
    /// All four.
    #[must_use]
    pub fn all(&self) -> [Address; 4] {
        [self.steth, self.rebasing, self.fee, self.reentrant]
    }
}

/// A restaking world on a backend.
pub struct World<B: Backend = Devnode> {
    /// The chain.
    pub chain: B,
    /// Deployer and owner of every contract.
    pub owner: Actor,
    /// StrategyManager.
    pub sm: Address,
    /// The DelegationManager peer (a stand-in until the real contract lands).
    pub delegation_manager: Address,
    /// The AllocationManager peer: an oracle answering the redistribution recipient, or with
    /// the real DelegationManager the real AllocationManager (core and extension).
    pub allocation_manager: Address,
    /// The Slasher with the real DelegationManager and AllocationManager (the only account the
    /// AllocationManager takes slashes from); zero in worlds with stand-ins.
    pub slasher: Address,
    /// The RewardsCoordinator with the real DelegationManager; zero in worlds with stand-ins.
    pub rewards: Address,
    /// The RewardsCoordinator's rewards updater.
    pub updater: Actor,
    /// The DelegationManager's withdrawal delay in seconds.
    pub withdrawal_delay: u64,
    /// Mock tokens, all whitelisted.
    pub tokens: Tokens,
    /// Funded stakers that approved the StrategyManager for every token.
    pub stakers: Vec<Actor>,
    /// Writes what the contracts ran to [`COVERAGE_DIR_ENV`] when the world is dropped (held
    /// only for its `Drop`).
    _coverage: Option<CoverageFile>,
}

/// The environment variable naming the directory where every world with all six contracts real
/// writes the selectors each program ran successfully (see `tests/coverage.rs`).
pub const COVERAGE_DIR_ENV: &str = "RESTAKING_COVERAGE_DIR";

/// What one world's programs ran, written to a file of its own when the world goes.
struct CoverageFile {
    executed: Rc<RefCell<Executed>>,
    dir: PathBuf,
}

impl Drop for CoverageFile {
    fn drop(&mut self) {
        static WORLDS: AtomicU64 = AtomicU64::new(0);
        let n = WORLDS.fetch_add(1, Ordering::Relaxed);
        let mut lines = String::new();
        for (code, selector) in self.executed.borrow().iter() {
            let _ = writeln!(
                lines,
                "{code} 0x{}",
                alloy_primitives::hex::encode(selector)
            );
        }
        // Best effort: a failed write shows as missing coverage in the check.
        let _ = std::fs::create_dir_all(&self.dir);
        let _ = std::fs::write(
            self.dir.join(format!("{}-{n}.txt", std::process::id())),
            lines,
        );
    }
}

/// A delay constant as the `uint32` the constructors take.
fn small(seconds: u64) -> u32 {
    u32::try_from(seconds).unwrap_or(u32::MAX)
}

/// Builds a [`World`].
#[derive(Clone, Debug)]
pub struct WorldBuilder {
    stakers: usize,
    funds: U256,
    reverting_delegation_manager: bool,
    real_delegation_manager: bool,
}

impl Default for WorldBuilder {
    fn default() -> Self {
        Self {
            stakers: 2,
            funds: U256::from(100u64) * U256::from(10u64).pow(U256::from(18u64)),
            reverting_delegation_manager: false,
            real_delegation_manager: false,
        }
    }
}

impl WorldBuilder {
    /// Two stakers with 100 tokens of each kind.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// How many stakers.
    #[must_use]
    pub fn stakers(mut self, n: usize) -> Self {
        self.stakers = n;
        self
    }

    /// Tokens minted to each staker, per token.
    #[must_use]
    pub fn funds(mut self, amount: U256) -> Self {
        self.funds = amount;
        self
    }

    /// A DelegationManager stand-in that reverts every call (0xDEADBEEF).
    #[must_use]
    pub fn reverting_delegation_manager(mut self) -> Self {
        self.reverting_delegation_manager = true;
        self
    }

    /// The real DelegationManager and AllocationManager (core and extension WASM of each from
    /// `target/stylus`) instead of stand-ins, wired to each other and to the world's slasher.
    #[must_use]
    pub fn real_delegation_manager(mut self) -> Self {
        self.real_delegation_manager = true;
        self
    }

    /// Deploys and wires everything on `chain`.
    ///
    /// # Errors
    /// If any deployment or setup transaction fails.
    pub fn build<B: Backend>(self, mut chain: B) -> Result<World<B>> {
        // Only worlds whose six contracts are all real count for method coverage.
        let coverage = match std::env::var_os(COVERAGE_DIR_ENV) {
            Some(dir) if self.real_delegation_manager && !self.reverting_delegation_manager => {
                chain.record_executed().map(|executed| CoverageFile {
                    executed,
                    dir: dir.into(),
                })
            }
            _ => None,
        };
        let owner = Actor::named("owner");
        let o = owner.address;
        chain.register(&owner)?;
        let sm = chain.deploy(
            o,
            &contract_code("strategy-manager")?,
            Some(&constructor_calldata(&o.abi_encode())),
        )?;
        let mut slasher = Address::ZERO;
        let mut rewards = Address::ZERO;
        let updater = Actor::named("rewards-updater");
        chain.register(&updater)?;
        let allocation_manager = if self.real_delegation_manager {
            let extension =
                chain.deploy(o, &contract_code("allocation-manager-extension")?, None)?;
            let args = AllocationManagerArgs {
                owner: o,
                deallocationDelay: DEALLOCATION_DELAY,
                allocationConfigDelay: ALLOCATION_CONFIG_DELAY,
                extension,
            };
            chain.deploy(
                o,
                &contract_code("allocation-manager")?,
                Some(&constructor_calldata(&args.abi_encode_params())),
            )?
        } else {
            chain.deploy(o, &wat_code("oracle")?, None)?
        };
        let delegation_manager = if self.reverting_delegation_manager {
            chain.deploy(o, &wat_code("reverter")?, None)?
        } else if self.real_delegation_manager {
            let extension =
                chain.deploy(o, &contract_code("delegation-manager-extension")?, None)?;
            let args = DelegationManagerArgs {
                owner: o,
                withdrawalDelay: WITHDRAWAL_DELAY,
                extension,
            };
            let dm = chain.deploy(
                o,
                &contract_code("delegation-manager")?,
                Some(&constructor_calldata(&args.abi_encode_params())),
            )?;
            chain
                .tx(
                    o,
                    dm,
                    &IDelegationManager::initializeCall {
                        strategyManager: sm,
                        allocationManager: allocation_manager,
                    },
                )?
                .ok()?;
            let args = SlasherArgs {
                owner: o,
                delegationManager: dm,
                allocationManager: allocation_manager,
            };
            slasher = chain.deploy(
                o,
                &contract_code("slasher")?,
                Some(&constructor_calldata(&args.abi_encode_params())),
            )?;
            chain
                .tx(
                    o,
                    allocation_manager,
                    &IAllocationManager::initializeCall {
                        delegationManager: dm,
                        slasher,
                    },
                )?
                .ok()?;
            let args = RewardsCoordinatorArgs {
                owner: o,
                strategyManager: sm,
                rewardsUpdater: updater.address,
                calculationInterval: small(REWARDS_INTERVAL),
                maxRewardsDuration: small(100 * REWARDS_INTERVAL),
                maxRetroactiveLength: small(1_000 * REWARDS_INTERVAL),
                maxFutureLength: small(100 * REWARDS_INTERVAL),
                genesisRewardsTimestamp: 0,
                activationDelay: small(ACTIVATION_DELAY),
            };
            rewards = chain.deploy(
                o,
                &contract_code("rewards-coordinator")?,
                Some(&constructor_calldata(&args.abi_encode_params())),
            )?;
            dm
        } else {
            let stand_in = Actor::named("delegation-manager");
            chain.register(&stand_in)?;
            stand_in.address
        };
        chain
            .tx(
                o,
                sm,
                &IStrategyManager::initializeCall {
                    delegationManager: delegation_manager,
                    allocationManager: allocation_manager,
                },
            )?
            .ok()?;
        let token_code = contract_code("mock-token")?;
        let deploy_token = |chain: &mut B, symbol: &str, kind: u8, fee: u16| -> Result<Address> {
            let args = MockTokenArgs {
                name: format!("Mock {symbol}"),
                symbol: symbol.into(),
                decimals: 18,
                kind,
                feeBips: fee,
            };
            let token = chain.deploy(
                o,
                &token_code,
                Some(&constructor_calldata(&args.abi_encode_params())),
            )?;
            chain
                .tx(
                    o,
                    sm,
                    &IStrategyManager::setStrategyWhitelistCall {
                        strategy: token,
                        whitelisted: true,
                    },
                )?
                .ok()?;
            Ok(token)
        };
        let tokens = Tokens {
            steth: deploy_token(&mut chain, "stETH", kind::STANDARD, 0)?,
            rebasing: deploy_token(&mut chain, "rbETH", kind::REBASING, 0)?,
            fee: deploy_token(&mut chain, "feeETH", kind::FEE_ON_TRANSFER, 100)?,
            reentrant: deploy_token(&mut chain, "reETH", kind::REENTRANT, 0)?,
        };
        let stakers: Vec<Actor> = (0..self.stakers)
            .map(|i| Actor::named(&format!("staker-{i}")))
            .collect();
        for staker in &stakers {
            chain.register(staker)?;
            for token in tokens.all() {
                chain
                    .tx(
                        staker.address,
                        token,
                        &IMockToken::mintCall {
                            to: staker.address,
                            amount: self.funds,
                        },
                    )?
                    .ok()?;
                chain
                    .tx(
                        staker.address,
                        token,
                        &IERC20::approveCall {
                            spender: sm,
                            value: U256::MAX,
                        },
                    )?
                    .ok()?;
            }
        }
        Ok(World {
            chain,
            owner,
            sm,
            delegation_manager,
            allocation_manager,
            slasher,
            rewards,
            updater,
            withdrawal_delay: WITHDRAWAL_DELAY,
            tokens,
            stakers,
            _coverage: coverage,
        })
    }
}

impl<B: Backend> World<B> {
    /// Deploys one more standard mock token, whitelists it, mints `amount` to every staker and
    /// approves the StrategyManager for it, like the four tokens of every world.
    ///
    /// # Errors
    /// If a deployment or transaction fails.
    pub fn add_token(&mut self, symbol: &str, amount: U256) -> Result<Address> {
        let owner = self.owner.address;
        let args = MockTokenArgs {
            name: format!("Mock {symbol}"),
            symbol: symbol.into(),
            decimals: 18,
            kind: kind::STANDARD,
            feeBips: 0,
        };
        let token = self.chain.deploy(
            owner,
            &contract_code("mock-token")?,
            Some(&constructor_calldata(&args.abi_encode_params())),
        )?;
        let whitelist = IStrategyManager::setStrategyWhitelistCall {
            strategy: token,
            whitelisted: true,
        };
        self.chain.tx(owner, self.sm, &whitelist)?.ok()?;
        for staker in self.stakers.iter().map(|s| s.address).collect::<Vec<_>>() {
            let mint = IMockToken::mintCall { to: staker, amount };
            self.chain.tx(staker, token, &mint)?.ok()?;
            let approve = IERC20::approveCall {
                spender: self.sm,
                value: U256::MAX,
            };
            self.chain.tx(staker, token, &approve)?.ok()?;
        }
        Ok(token)
    }

    /// `staker` deposits `amount` of `strategy`'s token into the StrategyManager.
    ///
    /// # Errors
    /// Transport failures only.
    pub fn deposit(&mut self, staker: Address, strategy: Address, amount: U256) -> Result<Outcome> {
        let call = IStrategyManager::depositCall { strategy, amount };
        self.chain.tx(staker, self.sm, &call)
    }

    /// `staker` delegates to `operator` (which has no approver).
    ///
    /// # Errors
    /// Transport failures only.
    pub fn delegate(&mut self, staker: Address, operator: Address) -> Result<Outcome> {
        let call = IDelegationManager::delegateToCall {
            operator,
            approverSignature: SignatureWithExpiry {
                signature: Bytes::new(),
                expiry: U256::ZERO,
            },
            approverSalt: B256::ZERO,
        };
        self.chain.tx(staker, self.delegation_manager, &call)
    }

    /// Registers `name` as an operator in the DelegationManager (no approver) with allocation
    /// delay `allocation_delay` seconds, in force at once.
    ///
    /// # Errors
    /// If registration fails.
    pub fn register_operator(&mut self, name: &str, allocation_delay: u32) -> Result<Actor> {
        let operator = Actor::named(name);
        self.chain.register(&operator)?;
        let call = IDelegationManager::registerAsOperatorCall {
            delegationApprover: Address::ZERO,
            allocationDelay: allocation_delay,
            metadataUri: format!("ipfs://{name}"),
        };
        self.chain
            .tx(operator.address, self.delegation_manager, &call)?
            .ok()?;
        Ok(operator)
    }

    /// `avs` announces metadata (registering it) unless it did before, then creates set `id`
    /// with `strategies` and `recipient` (zero: slashed tokens are burned). Returns the creation.
    ///
    /// # Errors
    /// Transport failures, or a failed metadata update.
    pub fn create_operator_set(
        &mut self,
        avs: &Actor,
        id: u32,
        strategies: Vec<Address>,
        recipient: Address,
    ) -> Result<Outcome> {
        let am = self.allocation_manager;
        self.chain.register(avs)?;
        let known = IAllocationManager::isAvsCall { avs: avs.address };
        if !self.chain.read(am, &known)?._0 {
            let announce = IAllocationManager::updateAvsMetadataUriCall {
                avs: avs.address,
                metadataUri: "ipfs://avs".into(),
            };
            self.chain.tx(avs.address, am, &announce)?.ok()?;
        }
        let create = IAllocationManager::createOperatorSetsCall {
            avs: avs.address,
            params: vec![CreateSetParams {
                operatorSetId: id,
                strategies,
                redistributionRecipient: recipient,
            }],
        };
        self.chain.tx(avs.address, am, &create)
    }

    /// `operator` registers for `avs`'s sets `ids` (registrar data `0x`).
    ///
    /// # Errors
    /// Transport failures only.
    pub fn join(&mut self, operator: Address, avs: Address, ids: Vec<u32>) -> Result<Outcome> {
        let call = IAllocationManager::registerForOperatorSetsCall {
            operator,
            avs,
            operatorSetIds: ids,
            data: Bytes::new(),
        };
        self.chain.tx(operator, self.allocation_manager, &call)
    }

    /// `operator` sets its allocations in `set` to `magnitudes` (WAD = all) per strategy.
    ///
    /// # Errors
    /// Transport failures only.
    pub fn allocate(
        &mut self,
        operator: Address,
        set: OperatorSet,
        strategies: Vec<Address>,
        magnitudes: Vec<u64>,
    ) -> Result<Outcome> {
        let call = IAllocationManager::modifyAllocationsCall {
            operator,
            params: vec![AllocateParams {
                operatorSet: set,
                strategies,
                newMagnitudes: magnitudes,
            }],
        };
        self.chain.tx(operator, self.allocation_manager, &call)
    }

    /// `set`'s AVS (its default slasher) slashes `operator` by `wads` (WAD = all) per strategy
    /// through the Slasher, instantly.
    ///
    /// # Errors
    /// Transport failures only.
    pub fn slash(
        &mut self,
        set: &OperatorSet,
        operator: Address,
        strategies: Vec<Address>,
        wads: Vec<U256>,
    ) -> Result<Outcome> {
        let call = ISlasher::slashCall {
            operatorSet: set.clone(),
            operator,
            strategies,
            wads,
            description: "misbehaved".into(),
        };
        self.chain.tx(set.avs, self.slasher, &call)
    }

    /// `set`'s AVS queues `config` as the set's slashing policy (in force after the withdrawal
    /// delay).
    ///
    /// # Errors
    /// Transport failures only.
    pub fn set_slasher_config(
        &mut self,
        set: &OperatorSet,
        config: SlasherConfig,
    ) -> Result<Outcome> {
        let call = ISlasher::setSlasherConfigCall {
            operatorSetId: set.id,
            config,
        };
        self.chain.tx(set.avs, self.slasher, &call)
    }

    /// `set`'s AVS (its default slasher) requests a veto-mode slash of `operator` by `wads` per
    /// strategy, described as `description`.
    ///
    /// # Errors
    /// Transport failures only.
    pub fn request_slash(
        &mut self,
        set: &OperatorSet,
        operator: Address,
        strategies: Vec<Address>,
        wads: Vec<U256>,
        description: &str,
    ) -> Result<Outcome> {
        let call = ISlasher::requestSlashCall {
            operatorSet: set.clone(),
            operator,
            strategies,
            wads,
            description: description.into(),
        };
        self.chain.tx(set.avs, self.slasher, &call)
    }

    /// Deploys an LrtVault (extension, admin and views modules, then core) on `asset`, owned by the world's owner, wired
    /// to the real contracts (a world built with `real_delegation_manager`).
    ///
    /// # Errors
    /// If a deployment fails (e.g. the constructor's `BipsTooHigh`).
    pub fn deploy_vault(
        &mut self,
        asset: Address,
        curator: Address,
        treasury: Address,
        fee_bips: u16,
        cap: U256,
        unlock_period: u32,
    ) -> Result<Address> {
        let o = self.owner.address;
        let extension = self
            .chain
            .deploy(o, &contract_code("lrt-vault-extension")?, None)?;
        let admin = self
            .chain
            .deploy(o, &contract_code("lrt-vault-admin")?, None)?;
        let views = self
            .chain
            .deploy(o, &contract_code("lrt-vault-views")?, None)?;
        let args = LrtVaultArgs {
            owner: o,
            asset,
            name: "Restaked stETH".into(),
            symbol: "rstETH".into(),
            peers: [
                self.sm,
                self.delegation_manager,
                self.allocation_manager,
                self.rewards,
            ],
            modules: [extension, admin, views],
            curator,
            treasury,
            feeBips: fee_bips,
            cap,
            unlockPeriod: unlock_period,
        };
        self.chain.deploy(
            o,
            &contract_code("lrt-vault")?,
            Some(&constructor_calldata(&args.abi_encode_params())),
        )
    }

    /// The four contracts the rewards calculator reads.
    #[must_use]
    pub fn contracts(&self) -> rewards_calculator::Contracts {
        rewards_calculator::Contracts {
            strategy_manager: self.sm,
            delegation_manager: self.delegation_manager,
            allocation_manager: self.allocation_manager,
            rewards_coordinator: self.rewards,
        }
    }

    /// Mints `amount` of the mock `token` to `avs` and lets the RewardsCoordinator pull it.
    ///
    /// # Errors
    /// If a transaction fails.
    pub fn fund_rewards(&mut self, avs: &Actor, token: Address, amount: U256) -> Result<()> {
        let rewards = self.rewards;
        self.fund(avs, token, amount, rewards)
    }

    /// Registers `holder`, mints it `amount` of the mock `token` and lets `spender` pull all of
    /// it.
    ///
    /// # Errors
    /// If a transaction fails.
    pub fn fund(
        &mut self,
        holder: &Actor,
        token: Address,
        amount: U256,
        spender: Address,
    ) -> Result<()> {
        self.chain.register(holder)?;
        let mint = IMockToken::mintCall {
            to: holder.address,
            amount,
        };
        self.chain.tx(holder.address, token, &mint)?.ok()?;
        let approve = IERC20::approveCall {
            spender,
            value: U256::MAX,
        };
        self.chain.tx(holder.address, token, &approve)?.ok()?;
        Ok(())
    }

    /// Funds `avs` with `amount` of `token` ([`Self::fund_rewards`]) and has it submit a pro-rata
    /// submission for the stakers of `token`'s strategy (multiplier 1) over the `intervals`
    /// calculation intervals from the next one. Returns the submission and the window's start and
    /// end.
    ///
    /// # Errors
    /// If a transaction fails.
    pub fn submit_rewards(
        &mut self,
        avs: &Actor,
        token: Address,
        amount: U256,
        intervals: u64,
    ) -> Result<(Outcome, u64, u64)> {
        self.fund_rewards(avs, token, amount)?;
        let start = (self.chain.timestamp() / REWARDS_INTERVAL + 1) * REWARDS_INTERVAL;
        let duration = intervals * REWARDS_INTERVAL;
        let create = IRewardsCoordinator::createAvsRewardsSubmissionCall {
            submissions: vec![RewardsSubmission {
                strategiesAndMultipliers: vec![StrategyAndMultiplier {
                    strategy: token,
                    multiplier: alloy_primitives::aliases::U96::from(1_000_000_000_000_000_000u64),
                }],
                token,
                amount,
                startTimestamp: start,
                duration,
            }],
        };
        let outcome = self.chain.tx(avs.address, self.rewards, &create)?.ok()?;
        Ok((outcome, start, start + duration))
    }

    /// Runs the rewards calculator on the chain's logs through `end` and posts the root from the
    /// rewards updater; returns the distribution, its tree, the root's index and the gas of
    /// `submitRoot`.
    ///
    /// # Errors
    /// If the calculation or the transaction fails.
    pub fn post_rewards_root(
        &mut self,
        end: u64,
    ) -> Result<(
        rewards_calculator::Distribution,
        rewards_calculator::RewardsTree,
        u32,
        u64,
    )> {
        let contracts = self.contracts();
        let logs = self.chain.logs(&contracts.all())?;
        let distribution = rewards_calculator::calculate(&logs, &contracts, REWARDS_INTERVAL, end)?;
        let tree = distribution.tree();
        let submit = IRewardsCoordinator::submitRootCall {
            root: tree.root,
            rewardsCalculationEndTimestamp: end,
        };
        let gas = self
            .chain
            .tx(self.updater.address, self.rewards, &submit)?
            .ok()?
            .gas_used;
        let count = self
            .chain
            .read(
                self.rewards,
                &IRewardsCoordinator::getDistributionRootsLengthCall {},
            )?
            ._0;
        let index = u32::try_from(count)?.saturating_sub(1);
        Ok((distribution, tree, index, gas))
    }

    /// `n` new stakers (`delegator-0`, …) each get `amount` stETH, deposit it and delegate to
    /// `operator`.
    ///
    /// # Errors
    /// If any of their transactions fails.
    pub fn add_delegators(&mut self, operator: Address, n: usize, amount: U256) -> Result<()> {
        let steth = self.tokens.steth;
        for i in 0..n {
            let staker = Actor::named(&format!("delegator-{i}"));
            self.chain.register(&staker)?;
            let s = staker.address;
            let mint = IMockToken::mintCall { to: s, amount };
            self.chain.tx(s, steth, &mint)?.ok()?;
            let approve = IERC20::approveCall {
                spender: self.sm,
                value: amount,
            };
            self.chain.tx(s, steth, &approve)?.ok()?;
            self.deposit(s, steth, amount)?.ok()?;
            self.delegate(s, operator)?.ok()?;
        }
        Ok(())
    }

    /// Gas of one 10% slash of an operator with `delegators` stakers of 1 stETH each (one of
    /// them the world's first staker), allocating half its stETH to a fresh set: what a slash
    /// costs must not depend on `delegators`.
    ///
    /// # Errors
    /// If any setup transaction or the slash fails.
    pub fn slash_gas_with_delegators(&mut self, delegators: usize) -> Result<u64> {
        let steth = self.tokens.steth;
        let operator = self.register_operator("scaled-operator", 0)?.address;
        let staker = self.stakers[0].address;
        self.deposit(staker, steth, U256::from(10u64).pow(U256::from(18u64)))?
            .ok()?;
        self.delegate(staker, operator)?.ok()?;
        self.add_delegators(
            operator,
            delegators.saturating_sub(1),
            U256::from(10u64).pow(U256::from(18u64)),
        )?;
        let avs = Actor::named("scaled-avs");
        self.create_operator_set(&avs, 1, vec![steth], Address::ZERO)?
            .ok()?;
        self.join(operator, avs.address, vec![1])?.ok()?;
        let set = OperatorSet {
            avs: avs.address,
            id: 1,
        };
        self.allocate(
            operator,
            set.clone(),
            vec![steth],
            vec![500_000_000_000_000_000],
        )?
        .ok()?;
        let tenth = U256::from(100_000_000_000_000_000u64);
        Ok(self
            .slash(&set, operator, vec![steth], vec![tenth])?
            .ok()?
            .gas_used)
    }

    /// Token balance of `who`.
    ///
    /// # Errors
    /// If the view fails.
    pub fn balance(&mut self, token: Address, who: Address) -> Result<U256> {
        Ok(self
            .chain
            .read(token, &IERC20::balanceOfCall { account: who })?
            ._0)
    }

    /// Deposit shares of `staker` in `strategy`.
    ///
    /// # Errors
    /// If the view fails.
    pub fn shares(&mut self, staker: Address, strategy: Address) -> Result<U256> {
        Ok(self
            .chain
            .read(
                self.sm,
                &IStrategyManager::depositSharesCall { staker, strategy },
            )?
            ._0)
    }

    /// Sets the word the AllocationManager oracle answers (the redistribution recipient).
    ///
    /// # Errors
    /// If the transaction fails.
    pub fn set_redistribution_recipient(&mut self, recipient: Address) -> Result<()> {
        let mut data = vec![0xFF];
        data.extend_from_slice(recipient.into_word().as_slice());
        self.chain
            .send(self.owner.address, self.allocation_manager, &data)?
            .ok()?;
        Ok(())
    }

    /// The EIP-712 digest `staker` signs to deposit `amount` of `strategy` with `nonce`, `expiry`.
    #[must_use]
    pub fn deposit_digest(
        &self,
        staker: Address,
        strategy: Address,
        amount: U256,
        nonce: U256,
        expiry: U256,
    ) -> B256 {
        restaking_abi::eip712::deposit_digest(
            self.chain.chain_id(),
            self.sm,
            staker,
            strategy,
            amount,
            nonce,
            expiry,
        )
    }

    /// The ERC-2612 digest `owner` signs to let the StrategyManager spend `value` of `token`.
    ///
    /// # Errors
    /// If the token's views fail.
    pub fn permit_digest(
        &mut self,
        token: Address,
        owner: Address,
        value: U256,
        deadline: U256,
    ) -> Result<B256> {
        let nonce = self
            .chain
            .read(token, &IMockToken::noncesCall { owner })?
            ._0;
        let separator = self
            .chain
            .read(token, &IMockToken::DOMAIN_SEPARATORCall {})?
            ._0;
        let mut words = Vec::with_capacity(6 * 32);
        for w in [
            PERMIT_TYPEHASH,
            owner.into_word(),
            self.sm.into_word(),
            value.into(),
            nonce.into(),
            deadline.into(),
        ] {
            words.extend_from_slice(w.as_slice());
        }
        Ok(restaking_abi::eip712::typed_data_digest(
            separator,
            keccak256(&words),
        ))
    }
}
