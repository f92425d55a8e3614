//! The devnode itself: transactions, call frames, deployment and the `ecrecover` precompile.
//!
//! A transaction runs as a tree of frames. Each frame instantiates the callee's compiled module
//! in a fresh wasmi store (fresh memory, fresh storage cache — as Nitro gives each program
//! invocation its own), meters it with fuel, and commits or reverts its changes to the journaled
//! [`World`] when it ends. Nested calls made from host functions run further frames recursively.

use std::{
    cell::RefCell,
    collections::{BTreeSet, HashMap},
    io::Read,
    rc::Rc,
};

use alloy_primitives::{address, keccak256, Address, Bytes, B256, U256};
use wasmi::{
    CompilationMode, Config, CustomFuelCosts, Engine, Linker, Module, Store, StoreLimitsBuilder,
    TrapCode, TypedFunc,
};

use crate::{
    activation, gas,
    host::{self, Frame},
    world::{Log, World},
};

/// The `ecrecover` precompile.
pub const ECRECOVER: Address = address!("0000000000000000000000000000000000000001");
/// Deepest call nesting (as the EVM).
pub const MAX_CALL_DEPTH: usize = 1_024;
/// Chain id of Nitro's dev chain, which the devnode mimics.
pub const DEV_CHAIN_ID: u64 = 412_346;
/// Gas limit of every transaction unless told otherwise.
pub const DEFAULT_TX_GAS: u64 = 32_000_000;
/// Bytes in a WASM page.
const PAGE_BYTES: u64 = 65_536;
/// Bytes a frame may grow its memory to: Nitro's 128-page cap (8 MiB).
const MAX_MEMORY_BYTES: usize = 128 * 65_536;
/// First bytes of a Stylus program (`EF F0 00`), followed by a dictionary byte (`00` = none).
pub const STYLUS_PREFIX: [u8; 4] = [0xEF, 0xF0, 0x00, 0x00];

/// Block and transaction context.
#[derive(Clone, Debug)]
pub struct BlockEnv {
    /// Block number (on Arbitrum an L1 estimate).
    pub number: u64,
    /// Unix seconds.
    pub timestamp: u64,
    /// Chain id.
    pub chain_id: u64,
    /// Base fee (wei per gas); also the gas price.
    pub basefee: U256,
    /// Batch poster on Arbitrum.
    pub coinbase: Address,
    /// Block gas limit.
    pub gas_limit: u64,
}

/// How a frame was entered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CallKind {
    /// CALL.
    Call,
    /// DELEGATECALL: callee code on the caller's storage, sender and value.
    Delegate,
    /// STATICCALL: no state changes allowed.
    Static,
}

/// What a frame runs.
#[derive(Clone, Debug)]
pub(crate) struct Message {
    pub kind: CallKind,
    /// `msg.sender`.
    pub caller: Address,
    /// Storage and identity (`address(this)`).
    pub address: Address,
    /// Whose code runs.
    pub code_address: Address,
    /// `msg.value`.
    pub value: U256,
    /// Calldata.
    pub data: Vec<u8>,
    /// Inside a static call somewhere up the stack.
    pub is_static: bool,
    /// Nesting depth (0 = the transaction's frame).
    pub depth: usize,
}

/// How a frame ended.
#[derive(Clone, Debug)]
pub(crate) struct Outcome {
    pub success: bool,
    pub output: Vec<u8>,
    pub gas_left: u64,
}

impl Outcome {
    fn ok(output: Vec<u8>, gas_left: u64) -> Self {
        Self {
            success: true,
            output,
            gas_left,
        }
    }

    fn failed(output: Vec<u8>, gas_left: u64) -> Self {
        Self {
            success: false,
            output,
            gas_left,
        }
    }
}

/// `(keccak256 of a program's code, selector)` pairs that ran successfully.
pub type Executed = BTreeSet<(B256, [u8; 4])>;

/// What is shared by every frame of the devnode.
pub(crate) struct Env {
    pub engine: Engine,
    pub linker: Linker<Frame>,
    modules: RefCell<HashMap<B256, Module>>,
    pub world: RefCell<World>,
    pub block: RefCell<BlockEnv>,
    pub origin: RefCell<Address>,
    /// Acting addresses of the open non-delegate frames (for `msg_reentrant`).
    pub stack: RefCell<Vec<Address>>,
    /// WASM pages open on the current call stack (for the memory model's free pages).
    pub open_pages: RefCell<u64>,
    /// `(code hash, selector)` of every frame that ran a program and succeeded, once recording
    /// is on (method coverage).
    executed: RefCell<Option<Rc<RefCell<Executed>>>>,
}

/// Why a deployment failed.
#[derive(Debug, thiserror::Error)]
pub enum DeployError {
    /// The code is not `EF F0 00 00` + brotli.
    #[error("code is not a Stylus program (expected the EF F0 00 00 prefix)")]
    NotStylus,
    /// Brotli decompression failed.
    #[error("code does not decompress: {0}")]
    Decompress(String),
    /// Nitro's activation checks rejected the module.
    #[error("activation failed: {0}")]
    Activation(#[from] activation::ActivationError),
    /// wasmi could not compile the module.
    #[error("module does not compile: {0}")]
    Compile(String),
    /// The constructor call reverted.
    #[error("constructor reverted with 0x{}", alloy_primitives::hex::encode(.0))]
    Constructor(Bytes),
}

impl Env {
    /// The compiled module of a Stylus program (compiled once per code hash).
    pub(crate) fn module(&self, code: &[u8]) -> Result<Module, DeployError> {
        self.module_with_hash(code, keccak256(code))
    }

    /// [`Self::module`] when the code's hash is already known (the account keeps it).
    pub(crate) fn module_with_hash(&self, code: &[u8], hash: B256) -> Result<Module, DeployError> {
        if let Some(m) = self.modules.borrow().get(&hash) {
            return Ok(m.clone());
        }
        let wasm = decompress(code)?;
        activation::validate(&wasm)?;
        let module = Module::new(&self.engine, &wasm[..])
            .map_err(|e| DeployError::Compile(e.to_string()))?;
        if let Some(i) = module
            .imports()
            .find(|i| !host::provides(i.module(), i.name()))
        {
            return Err(DeployError::Compile(format!(
                "unknown import {}.{}",
                i.module(),
                i.name()
            )));
        }
        self.modules.borrow_mut().insert(hash, module.clone());
        Ok(module)
    }
}

/// The WASM inside a Stylus program.
///
/// # Errors
/// [`DeployError::NotStylus`] or [`DeployError::Decompress`].
pub fn decompress(code: &[u8]) -> Result<Vec<u8>, DeployError> {
    if code.len() < 4 || code[..4] != STYLUS_PREFIX {
        return Err(DeployError::NotStylus);
    }
    let mut wasm = Vec::new();
    brotli::Decompressor::new(&code[4..], 4096)
        .take(activation::PAGE_LIMIT * 65_536)
        .read_to_end(&mut wasm)
        .map_err(|e| DeployError::Decompress(e.to_string()))?;
    Ok(wasm)
}

/// A Stylus program for `wasm`: `EF F0 00 00` + brotli (quality 11, as `cargo stylus` deploys).
#[must_use]
pub fn stylus_code(wasm: &[u8]) -> Vec<u8> {
    let mut out = STYLUS_PREFIX.to_vec();
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        lgwin: 22,
        ..Default::default()
    };
    let mut input = wasm;
    // Writing into a Vec cannot fail.
    let _ = brotli::BrotliCompress(&mut input, &mut out, &params);
    out
}

/// EVM init code that deploys `code` unchanged: the 43-byte Stylus prelude
/// (`PUSH32 len, DUP1, PUSH1 43, PUSH1 0, CODECOPY, PUSH1 0, RETURN`, version byte `00`) + code.
#[must_use]
pub fn stylus_init_code(code: &[u8]) -> Vec<u8> {
    let mut init = Vec::with_capacity(43 + code.len());
    init.push(0x7f);
    init.extend_from_slice(&U256::from(code.len()).to_be_bytes::<32>());
    init.extend_from_slice(&[0x80, 0x60, 0x2b, 0x60, 0x00, 0x39, 0x60, 0x00, 0xf3, 0x00]);
    init.extend_from_slice(code);
    init
}

/// The code a Stylus init code deploys, or `None` for any other init code (the devnode runs no
/// EVM bytecode).
#[must_use]
pub fn parse_stylus_init_code(init: &[u8]) -> Option<&[u8]> {
    let expected = stylus_init_code(&[]);
    if init.len() < 43 || init[0] != 0x7f || init[33..43] != expected[33..43] {
        return None;
    }
    let len = U256::from_be_slice(&init[1..33]);
    (len == U256::from(init.len() - 43)).then(|| &init[43..])
}

/// Native stack kept free before a frame starts: below it, the frame runs on a fresh heap segment.
const STACK_RED_ZONE: usize = 8 << 20;
/// Size of each extra stack segment.
const STACK_SEGMENT: usize = 64 << 20;

/// Runs one frame (and, through host calls, its children). Each nested frame is a nested wasmi
/// invocation on the native stack, so the stack grows on the heap as deep call chains need it.
pub(crate) fn run(env: &Rc<Env>, msg: Message, gas: u64) -> Outcome {
    stacker::maybe_grow(STACK_RED_ZONE, STACK_SEGMENT, || run_frame(env, msg, gas))
}

fn run_frame(env: &Rc<Env>, msg: Message, gas: u64) -> Outcome {
    if msg.depth > MAX_CALL_DEPTH {
        return Outcome::failed(Vec::new(), gas);
    }
    let checkpoint = env.world.borrow().checkpoint();
    if msg.kind == CallKind::Call
        && !msg.value.is_zero()
        && !env
            .world
            .borrow_mut()
            .transfer(msg.caller, msg.address, msg.value)
    {
        return Outcome::failed(Vec::new(), gas);
    }
    let code = env.world.borrow().code_with_hash(msg.code_address);
    let outcome = if msg.code_address == ECRECOVER {
        ecrecover(&msg.data, gas)
    } else if let Some((code, hash)) = code {
        let selector: Option<[u8; 4]> = msg.data.get(..4).and_then(|s| s.try_into().ok());
        let outcome = match env.module_with_hash(&code, hash) {
            Ok(module) => execute(env, &module, msg, gas),
            Err(_) => Outcome::failed(Vec::new(), gas),
        };
        if let (true, Some(selector), Some(executed)) =
            (outcome.success, selector, env.executed.borrow().as_ref())
        {
            executed.borrow_mut().insert((hash, selector));
        }
        outcome
    } else {
        Outcome::ok(Vec::new(), gas)
    };
    if !outcome.success {
        env.world.borrow_mut().revert_to(checkpoint);
    }
    outcome
}

fn execute(env: &Rc<Env>, module: &Module, msg: Message, gas: u64) -> Outcome {
    let acting = (msg.kind != CallKind::Delegate).then_some(msg.address);
    let args_len = msg.data.len();
    let mut store = Store::new(&env.engine, Frame::new(env.clone(), msg));
    store.data_mut().limits = StoreLimitsBuilder::new()
        .memory_size(MAX_MEMORY_BYTES)
        .build();
    store.limiter(|frame| &mut frame.limits);
    let Ok(instance) = env.linker.instantiate_and_start(&mut store, module) else {
        return Outcome::failed(Vec::new(), gas);
    };
    let memory = instance.get_memory(&store, activation::MEMORY_EXPORT);
    let entry: Option<TypedFunc<i32, i32>> =
        instance.get_typed_func(&store, activation::ENTRYPOINT).ok();
    let (Some(memory), Some(entry), Ok(len)) = (memory, entry, i32::try_from(args_len)) else {
        return Outcome::failed(Vec::new(), gas);
    };
    // Entry pays for the module's initial pages against the pages already open on the call
    // stack (the first FREE_PAGES of a transaction are free); they close when the frame ends.
    let footprint = memory.size(&store);
    let open_before = *env.open_pages.borrow();
    let entry_gas = gas::memory(open_before, footprint);
    if entry_gas > gas || store.set_fuel(gas::gas_to_fuel(gas - entry_gas)).is_err() {
        return Outcome::failed(Vec::new(), 0);
    }
    *env.open_pages.borrow_mut() = open_before + footprint;
    store.data_mut().memory = Some(memory);
    if let Some(a) = acting {
        env.stack.borrow_mut().push(a);
    }
    let result = entry.call(&mut store, len);
    if acting.is_some() {
        env.stack.borrow_mut().pop();
    }
    let mut fuel = store.get_fuel().unwrap_or(0);
    // Pages grown during the frame are priced against the pages open when they were grown. wasmi
    // also meters `memory.grow` per byte at the copy rate (1 fuel per byte), which Nitro does not:
    // that fuel is given back.
    let grown = memory.size(&store).saturating_sub(footprint);
    fuel = fuel.saturating_add(grown * PAGE_BYTES);
    *env.open_pages.borrow_mut() = open_before;
    let growth = gas::gas_to_fuel(gas::memory(open_before + footprint, grown));
    if growth > fuel {
        return Outcome::failed(Vec::new(), 0);
    }
    fuel -= growth;
    let frame = store.into_data();
    let gas_left = gas::fuel_to_gas(fuel);
    match result {
        Ok(0) => Outcome::ok(frame.output, gas_left),
        Ok(_) => Outcome::failed(frame.output, gas_left),
        Err(e) => match e.i32_exit_status() {
            Some(0) => Outcome::ok(frame.output, gas_left),
            Some(_) => Outcome::failed(frame.output, gas_left),
            // Out of gas — wasmi's fuel ran out (it may leave part of a block's charge unspent)
            // or a host function could not pay — consumes everything.
            None if e.as_trap_code() == Some(TrapCode::OutOfFuel) || host::is_out_of_gas(&e) => {
                Outcome::failed(Vec::new(), 0)
            }
            // Any other trap (Rust panic, memory fault, bad hostio use) reverts with empty data
            // and returns the gas left.
            None => Outcome::failed(Vec::new(), gas_left),
        },
    }
}

fn ecrecover(input: &[u8], gas: u64) -> Outcome {
    if gas < gas::ECRECOVER {
        return Outcome::failed(Vec::new(), 0);
    }
    let left = gas - gas::ECRECOVER;
    let mut padded = [0u8; 128];
    let n = input.len().min(128);
    padded[..n].copy_from_slice(&input[..n]);
    let hash = B256::from_slice(&padded[..32]);
    let v = U256::from_be_slice(&padded[32..64]);
    let (r, s) = (
        U256::from_be_slice(&padded[64..96]),
        U256::from_be_slice(&padded[96..128]),
    );
    let parity = if v == U256::from(27) {
        false
    } else if v == U256::from(28) {
        true
    } else {
        return Outcome::ok(Vec::new(), left);
    };
    let signature = alloy_primitives::PrimitiveSignature::new(r, s, parity);
    match signature.recover_address_from_prehash(&hash) {
        Ok(signer) => Outcome::ok(signer.into_word().to_vec(), left),
        Err(_) => Outcome::ok(Vec::new(), left),
    }
}

/// A transaction's result.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Receipt {
    /// Whether the top frame succeeded.
    pub status: bool,
    /// Return data, or revert data when it failed.
    pub output: Bytes,
    /// Gas used after the refund (the devnode's estimate, see [`crate::gas`]).
    pub gas_used: u64,
    /// Logs (empty when it failed).
    pub logs: Vec<Log>,
    /// Block it was included in.
    pub block_number: u64,
}

/// An in-process Stylus chain.
pub struct Devnode {
    env: Rc<Env>,
    /// Every successful transaction's logs, each with its block's timestamp, in order.
    history: Vec<(u64, Log)>,
}

impl Default for Devnode {
    fn default() -> Self {
        Self::new()
    }
}

impl Devnode {
    /// A fresh chain at block 1, timestamp 1,700,000,000, chain id [`DEV_CHAIN_ID`].
    ///
    /// # Panics
    /// Never in practice: the host functions are registered once under distinct names.
    #[must_use]
    pub fn new() -> Self {
        let mut config = Config::default();
        config
            // Eager: lazy translation would charge compile fuel to whichever call first runs a
            // function, making gas depend on history.
            .compilation_mode(CompilationMode::Eager)
            .consume_fuel(true)
            .operator_cost(gas::operator_costs())
            // memory.copy / memory.fill: one fuel (50 ink) per byte; Nitro charges 100 ink.
            // Compilation is eager and never metered.
            .fuel_cost(CustomFuelCosts {
                bytes_copied_per_fuel: 1,
                fuel_per_bytes_translated: 0,
                fuel_per_bytes_validated: 0,
            })
            .wasm_multi_value(false)
            .wasm_reference_types(false)
            .wasm_tail_call(false)
            .wasm_multi_memory(false)
            .wasm_extended_const(false)
            .wasm_wide_arithmetic(false)
            .wasm_custom_page_sizes(false)
            .floats(false);
        // SIMD and memory64 exist only behind wasmi features this crate does not enable; modules
        // are also checked by `activation::validate` before they are compiled.
        let engine = Engine::new(&config);
        let linker = host::linker(&engine).expect("host functions have distinct names");
        let env = Env {
            engine,
            linker,
            modules: RefCell::default(),
            world: RefCell::default(),
            block: RefCell::new(BlockEnv {
                number: 1,
                timestamp: 1_700_000_000,
                chain_id: DEV_CHAIN_ID,
                basefee: U256::from(100_000_000u64),
                coinbase: Address::ZERO,
                gas_limit: DEFAULT_TX_GAS,
            }),
            origin: RefCell::default(),
            stack: RefCell::default(),
            open_pages: RefCell::default(),
            executed: RefCell::default(),
        };
        Self {
            env: Rc::new(env),
            history: Vec::new(),
        }
    }

    /// Records from now on which selectors each program runs successfully: `(keccak256 of the
    /// program's code, selector)` of every call frame that ran a Stylus program and succeeded (a
    /// module reached by `DELEGATECALL` counts under its own code). Returns the set, shared with
    /// the chain, which keeps filling it.
    pub fn record_executed(&mut self) -> Rc<RefCell<Executed>> {
        self.env
            .executed
            .borrow_mut()
            .get_or_insert_with(Rc::default)
            .clone()
    }

    /// Block context (number, timestamp, chain id…).
    #[must_use]
    pub fn block(&self) -> BlockEnv {
        self.env.block.borrow().clone()
    }

    /// Sets the chain id (to test cross-chain replay).
    pub fn set_chain_id(&mut self, chain_id: u64) {
        self.env.block.borrow_mut().chain_id = chain_id;
    }

    /// Moves the clock to `timestamp` (and mines one block).
    pub fn warp(&mut self, timestamp: u64) {
        let mut b = self.env.block.borrow_mut();
        b.timestamp = timestamp;
        b.number += 1;
    }

    /// Mines `blocks` blocks, one second apart.
    pub fn mine(&mut self, blocks: u64) {
        let mut b = self.env.block.borrow_mut();
        b.number += blocks;
        b.timestamp += blocks;
    }

    /// Gives `account` `wei` more.
    pub fn fund(&mut self, account: Address, wei: U256) {
        let mut w = self.env.world.borrow_mut();
        let balance = w.balance(account).saturating_add(wei);
        w.set_balance(account, balance);
    }

    /// Balance of `account`.
    #[must_use]
    pub fn balance(&self, account: Address) -> U256 {
        self.env.world.borrow().balance(account)
    }

    /// A storage slot's committed value.
    #[must_use]
    pub fn storage_at(&self, account: Address, key: B256) -> B256 {
        self.env.world.borrow().storage_at(account, key)
    }

    /// Code deployed at `account`.
    #[must_use]
    pub fn code(&self, account: Address) -> Vec<u8> {
        self.env.world.borrow().code(account).to_vec()
    }

    /// Deploys a Stylus program (`EF F0 00 00` + brotli WASM) from `from`: Nitro's activation
    /// checks, then — if `constructor` is given — a call with that calldata from `from` (use
    /// [`constructor_calldata`] for an SDK `#[constructor]`). Returns the new address.
    ///
    /// # Errors
    /// [`DeployError`] when the code is not a valid Stylus program or the constructor reverts;
    /// nothing is deployed then.
    pub fn deploy(
        &mut self,
        from: Address,
        code: &[u8],
        constructor: Option<&[u8]>,
    ) -> Result<Address, DeployError> {
        self.env.module(code)?;
        let address = {
            let mut w = self.env.world.borrow_mut();
            let nonce = w.bump_nonce(from);
            let address = from.create(nonce);
            w.set_code(address, code.to_vec());
            w.bump_nonce(address); // EIP-161: a new contract starts at nonce 1
            address
        };
        if let Some(data) = constructor {
            let receipt = self.transact(from, address, data, U256::ZERO);
            if !receipt.status {
                self.env.world.borrow_mut().set_code(address, Vec::new());
                return Err(DeployError::Constructor(receipt.output));
            }
        }
        Ok(address)
    }

    /// [`Self::deploy`] for a raw WASM module (compressed here first).
    ///
    /// # Errors
    /// As [`Self::deploy`].
    pub fn deploy_wasm(
        &mut self,
        from: Address,
        wasm: &[u8],
        constructor: Option<&[u8]>,
    ) -> Result<Address, DeployError> {
        self.deploy(from, &stylus_code(wasm), constructor)
    }

    /// Sends a transaction from `from` to `to` with the default gas limit.
    pub fn transact(&mut self, from: Address, to: Address, data: &[u8], value: U256) -> Receipt {
        self.transact_with_gas(from, to, data, value, DEFAULT_TX_GAS)
    }

    /// Sends a transaction with an explicit gas limit.
    pub fn transact_with_gas(
        &mut self,
        from: Address,
        to: Address,
        data: &[u8],
        value: U256,
        gas_limit: u64,
    ) -> Receipt {
        let intrinsic = gas::intrinsic(data);
        let number = self.env.block.borrow().number;
        if gas_limit < intrinsic {
            // Invalid: a node would not include it (no nonce, no state change).
            return Receipt {
                status: false,
                output: Bytes::new(),
                gas_used: gas_limit,
                logs: Vec::new(),
                block_number: number,
            };
        }
        {
            let mut w = self.env.world.borrow_mut();
            w.begin_tx(&[from, to, ECRECOVER]);
            w.bump_nonce(from);
        }
        *self.env.origin.borrow_mut() = from;
        *self.env.open_pages.borrow_mut() = 0;
        let msg = Message {
            kind: CallKind::Call,
            caller: from,
            address: to,
            code_address: to,
            value,
            data: data.to_vec(),
            is_static: false,
            depth: 0,
        };
        let outcome = run(&self.env, msg, gas_limit - intrinsic);
        let mut gas_used = gas_limit - outcome.gas_left;
        let logs = if outcome.success {
            let w = self.env.world.borrow();
            let refund = u64::try_from(w.refund().max(0))
                .unwrap_or(0)
                .min(gas_used / gas::MAX_REFUND_QUOTIENT);
            gas_used -= refund;
            w.logs().to_vec()
        } else {
            Vec::new()
        };
        let timestamp = self.env.block.borrow().timestamp;
        self.history
            .extend(logs.iter().map(|l| (timestamp, l.clone())));
        Receipt {
            status: outcome.success,
            output: outcome.output.into(),
            gas_used,
            logs,
            block_number: number,
        }
    }

    /// Runs a call without keeping any of its effects (`eth_call`): returns success and output.
    pub fn call(&mut self, from: Address, to: Address, data: &[u8]) -> (bool, Bytes) {
        let checkpoint = {
            let mut w = self.env.world.borrow_mut();
            w.begin_tx(&[from, to, ECRECOVER]);
            w.checkpoint()
        };
        *self.env.origin.borrow_mut() = from;
        *self.env.open_pages.borrow_mut() = 0;
        let msg = Message {
            kind: CallKind::Call,
            caller: from,
            address: to,
            code_address: to,
            value: U256::ZERO,
            data: data.to_vec(),
            is_static: false,
            depth: 0,
        };
        let outcome = run(&self.env, msg, DEFAULT_TX_GAS);
        self.env.world.borrow_mut().revert_to(checkpoint);
        (outcome.success, outcome.output.into())
    }

    /// Logs of every successful transaction so far, filtered by emitter and first topic.
    #[must_use]
    pub fn logs(&self, address: Option<Address>, topic0: Option<B256>) -> Vec<Log> {
        self.history
            .iter()
            .map(|(_, l)| l)
            .filter(|l| address.is_none_or(|a| l.address == a))
            .filter(|l| topic0.is_none_or(|t| l.topics.first() == Some(&t)))
            .cloned()
            .collect()
    }

    /// Logs of every successful transaction so far emitted by any of `addresses`, in order, each
    /// with the timestamp of its block.
    #[must_use]
    pub fn timed_logs(&self, addresses: &[Address]) -> Vec<(u64, Log)> {
        self.history
            .iter()
            .filter(|(_, l)| addresses.contains(&l.address))
            .cloned()
            .collect()
    }
}

/// Calldata of a stylus-sdk `#[constructor]`: the `stylus_constructor()` selector followed by the
/// ABI-encoded arguments.
#[must_use]
pub fn constructor_calldata(encoded_args: &[u8]) -> Vec<u8> {
    let mut data = keccak256("stylus_constructor()")[..4].to_vec();
    data.extend_from_slice(encoded_args);
    data
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn init_code_is_the_43_byte_stylus_prelude_then_the_code() {
        let code = [0xEF, 0xF0, 0x00, 0x00, 0xAA, 0xBB];
        let init = stylus_init_code(&code);
        let mut expected = vec![0x7f]; // PUSH32
        expected.extend_from_slice(&[0u8; 31]);
        expected.push(6); // code length
        expected.extend_from_slice(&[
            0x80, // DUP1
            0x60, 0x2b, // PUSH1 43 (offset of the code)
            0x60, 0x00, // PUSH1 0 (memory destination)
            0x39, // CODECOPY
            0x60, 0x00, // PUSH1 0
            0xf3, // RETURN
            0x00, // version byte
        ]);
        expected.extend_from_slice(&code);
        assert_eq!(init, expected);
        assert_eq!(init.len(), 43 + code.len());
        assert_eq!(parse_stylus_init_code(&init), Some(&code[..]));
    }

    #[test]
    fn other_init_code_is_not_taken_for_a_stylus_deploy() {
        let mut init = stylus_init_code(&[1, 2, 3]);
        assert_eq!(
            parse_stylus_init_code(&init[..45]),
            None,
            "length word disagrees"
        );
        init[34] = 0x81; // DUP2 instead of DUP1
        assert_eq!(parse_stylus_init_code(&init), None);
        assert_eq!(parse_stylus_init_code(&[0x60, 0x00]), None);
    }

    #[test]
    fn stylus_code_round_trips_through_decompress() {
        let wasm = b"\0asm\x01\0\0\0".to_vec();
        let code = stylus_code(&wasm);
        assert_eq!(code[..4], STYLUS_PREFIX);
        assert_eq!(decompress(&code).unwrap(), wasm);
        assert!(matches!(decompress(&wasm), Err(DeployError::NotStylus)));
    }
}
