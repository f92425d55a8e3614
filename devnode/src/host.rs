//! The 42 `vm_hooks` host functions with Nitro's semantics (`reference/stylus-sdk-and-host.md` §5).
//!
//! Each call frame is a [`Frame`]: the message it runs, its calldata and output, the return data
//! of its last call, and its own storage cache — reads fill the cache from the world (charging
//! EIP-2929 gas on a miss), writes only mark cached slots dirty, and `storage_flush_cache` writes
//! the dirty slots to the world (charging EIP-2200 SSTORE gas). Writes a program never flushes are
//! lost, as on Nitro. Misuse that Nitro treats as a program failure (a write in a static context,
//! more than four log topics, a memory access out of bounds) traps, which reverts the frame with
//! empty data.

// WASM passes pointers, lengths and `u64`s as `i32`/`i64`: the casts between them in this module
// reinterpret the same bits, exactly as Nitro's host does.
#![allow(
    clippy::cast_sign_loss,
    clippy::cast_possible_wrap,
    clippy::cast_possible_truncation,
    clippy::many_single_char_names
)]

use std::{collections::BTreeMap, fmt, rc::Rc};

use alloy_primitives::{keccak256, Address, B256, U256, U512};
use wasmi::{errors::HostError, Caller, Engine, Error, Linker, Memory, StoreLimits};

use crate::{
    activation::{HOSTIOS, HOSTIO_MODULE},
    gas,
    node::{self, CallKind, Env, Message},
    world::Log,
};

/// Why a host function stopped the program (reverts the frame with empty data).
#[derive(Debug)]
pub(crate) struct HostTrap(pub &'static str);

impl fmt::Display for HostTrap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

impl HostError for HostTrap {}

fn trap(why: &'static str) -> Error {
    Error::host(HostTrap(why))
}

const OUT_OF_GAS: &str = "out of gas";

/// Whether `e` is a host function's out-of-gas stop.
pub(crate) fn is_out_of_gas(e: &Error) -> bool {
    e.downcast_ref::<HostTrap>()
        .is_some_and(|t| t.0 == OUT_OF_GAS)
}

/// A cached storage slot: its current value and the value last read from or written to the world
/// (`None` when never read: the slot is dirty whatever its value).
#[derive(Clone, Copy, Debug)]
struct Slot {
    value: B256,
    known: Option<B256>,
}

/// The state of one program invocation.
pub(crate) struct Frame {
    env: Rc<Env>,
    msg: Message,
    pub output: Vec<u8>,
    return_data: Vec<u8>,
    cache: BTreeMap<B256, Slot>,
    pub memory: Option<Memory>,
    pub limits: StoreLimits,
}

impl Frame {
    pub(crate) fn new(env: Rc<Env>, msg: Message) -> Self {
        Self {
            env,
            msg,
            output: Vec::new(),
            return_data: Vec::new(),
            cache: BTreeMap::new(),
            memory: None,
            limits: StoreLimits::default(),
        }
    }
}

type C<'a> = Caller<'a, Frame>;

fn memory(c: &C<'_>) -> Result<Memory, Error> {
    c.data().memory.ok_or_else(|| trap("program has no memory"))
}

fn read(c: &C<'_>, ptr: i32, len: u32) -> Result<Vec<u8>, Error> {
    let mut buf = vec![0u8; len as usize];
    memory(c)?
        .read(c, ptr as u32 as usize, &mut buf)
        .map_err(|_| trap("memory read out of bounds"))?;
    Ok(buf)
}

fn read_word(c: &C<'_>, ptr: i32) -> Result<B256, Error> {
    Ok(B256::from_slice(&read(c, ptr, 32)?))
}

fn read_u256(c: &C<'_>, ptr: i32) -> Result<U256, Error> {
    Ok(U256::from_be_bytes(read_word(c, ptr)?.0))
}

fn read_address(c: &C<'_>, ptr: i32) -> Result<Address, Error> {
    Ok(Address::from_slice(&read(c, ptr, 20)?))
}

fn write(c: &mut C<'_>, ptr: i32, data: &[u8]) -> Result<(), Error> {
    let m = memory(c)?;
    m.write(c, ptr as u32 as usize, data)
        .map_err(|_| trap("memory write out of bounds"))
}

fn charge_fuel(c: &mut C<'_>, fuel: u64) -> Result<(), Error> {
    let left = c.get_fuel()?;
    if left < fuel {
        c.set_fuel(0)?;
        return Err(trap(OUT_OF_GAS));
    }
    c.set_fuel(left - fuel)
}

fn charge_ink(c: &mut C<'_>, ink: u64) -> Result<(), Error> {
    charge_fuel(c, gas::ink_to_fuel(ink))
}

fn charge_gas(c: &mut C<'_>, gas_units: u64) -> Result<(), Error> {
    charge_fuel(c, gas::gas_to_fuel(gas_units))
}

fn static_guard(c: &C<'_>) -> Result<(), Error> {
    if c.data().msg.is_static {
        Err(trap("state change in a static call"))
    } else {
        Ok(())
    }
}

/// Whether the devnode provides `module.name` (every Nitro hostio).
pub(crate) fn provides(module: &str, name: &str) -> bool {
    module == HOSTIO_MODULE && HOSTIOS.iter().any(|h| h.name == name)
}

/// Runs a nested call for `call_contract` / `delegate_call_contract` / `static_call_contract`.
fn nested_call(
    c: &mut C<'_>,
    kind: CallKind,
    to: Address,
    data: Vec<u8>,
    value: U256,
    gas_req: u64,
    ret_len_ptr: i32,
) -> Result<i32, Error> {
    charge_ink(
        c,
        gas::HOSTIO_INK + 3 * gas::PTR_INK + gas::EVM_API_INK + gas::read_price(data.len() as u64),
    )?;
    let frame = c.data();
    if frame.msg.is_static && !value.is_zero() {
        c.data_mut().return_data.clear();
        write(c, ret_len_ptr, &0u32.to_le_bytes())?;
        return Ok(2);
    }
    let env = frame.env.clone();
    let parent = frame.msg.clone();
    let cold = env.world.borrow_mut().touch_account(to);
    let creates_account =
        !value.is_zero() && env.world.borrow().account(to) == crate::world::Account::default();
    let base = gas::account_access(cold)
        + if value.is_zero() { 0 } else { gas::CALL_VALUE }
        + if creates_account { gas::NEW_ACCOUNT } else { 0 };
    let available = gas::fuel_to_gas(c.get_fuel()?);
    if available < base {
        c.set_fuel(0)?;
        return Err(trap(OUT_OF_GAS));
    }
    let start = available - base - (available - base) / 64;
    let given = gas_req.min(start);
    charge_gas(c, base + given)?;
    let stipend = if value.is_zero() {
        0
    } else {
        gas::CALL_STIPEND
    };
    let msg = match kind {
        CallKind::Delegate => Message {
            kind,
            caller: parent.caller,
            address: parent.address,
            code_address: to,
            value: parent.value,
            data,
            is_static: parent.is_static,
            depth: parent.depth + 1,
        },
        CallKind::Call | CallKind::Static => Message {
            kind,
            caller: parent.address,
            address: to,
            code_address: to,
            value,
            data,
            is_static: parent.is_static || kind == CallKind::Static,
            depth: parent.depth + 1,
        },
    };
    let outcome = node::run(&env, msg, given + stipend);
    // The caller pays what the callee used of `given + stipend`: the stipend is never refunded.
    let used = (given + stipend).saturating_sub(outcome.gas_left);
    if used > given {
        charge_gas(c, used - given)?;
    } else {
        let fuel = c.get_fuel()?;
        c.set_fuel(fuel.saturating_add(gas::gas_to_fuel(given - used)))?;
    }
    let len = u32::try_from(outcome.output.len()).map_err(|_| trap("return data too large"))?;
    c.data_mut().return_data = outcome.output;
    write(c, ret_len_ptr, &len.to_le_bytes())?;
    Ok(if outcome.success { 0 } else { 2 })
}

fn create(
    c: &mut C<'_>,
    code_ptr: i32,
    code_len: i32,
    endowment_ptr: i32,
    salt: Option<B256>,
    out_ptr: i32,
    ret_len_ptr: i32,
) -> Result<(), Error> {
    charge_ink(c, gas::HOSTIO_INK + gas::EVM_API_INK)?;
    static_guard(c)?;
    let init = read(c, code_ptr, code_len as u32)?;
    let endowment = read_u256(c, endowment_ptr)?;
    let words = (init.len() as u64).div_ceil(32);
    charge_gas(c, gas::CREATE + if salt.is_some() { 6 * words } else { 0 })?;
    let env = c.data().env.clone();
    let sender = c.data().msg.address;
    let deployed = node::parse_stylus_init_code(&init).and_then(|code| {
        env.module(code).ok()?;
        let mut w = env.world.borrow_mut();
        let checkpoint = w.checkpoint();
        let nonce = w.bump_nonce(sender);
        let address = match salt {
            Some(s) => sender.create2(s, keccak256(&init)),
            None => sender.create(nonce),
        };
        if !w.code(address).is_empty() || !w.transfer(sender, address, endowment) {
            w.revert_to(checkpoint);
            return None;
        }
        w.set_code(address, code.to_vec());
        w.bump_nonce(address); // EIP-161: a new contract starts at nonce 1
        Some(address)
    });
    c.data_mut().return_data.clear();
    write(c, out_ptr, deployed.unwrap_or_default().as_slice())?;
    write(c, ret_len_ptr, &0u32.to_le_bytes())
}

fn storage_load(c: &mut C<'_>, key_ptr: i32, dest: i32) -> Result<(), Error> {
    charge_ink(c, gas::HOSTIO_INK + 2 * gas::PTR_INK)?;
    let key = read_word(c, key_ptr)?;
    let value = if let Some(slot) = c.data().cache.get(&key) {
        slot.value
    } else {
        let env = c.data().env.clone();
        let address = c.data().msg.address;
        let (value, cold) = env.world.borrow_mut().sload(address, key);
        charge_ink(c, gas::EVM_API_INK)?;
        charge_gas(c, gas::sload(cold))?;
        c.data_mut().cache.insert(
            key,
            Slot {
                value,
                known: Some(value),
            },
        );
        value
    };
    write(c, dest, value.as_slice())
}

fn storage_flush(c: &mut C<'_>, clear: bool) -> Result<(), Error> {
    charge_ink(c, gas::HOSTIO_INK + gas::EVM_API_INK)?;
    let dirty: Vec<(B256, B256)> = c
        .data()
        .cache
        .iter()
        .filter(|(_, s)| s.known != Some(s.value))
        .map(|(k, s)| (*k, s.value))
        .collect();
    if !dirty.is_empty() {
        static_guard(c)?;
        let env = c.data().env.clone();
        let address = c.data().msg.address;
        for (key, value) in dirty {
            let cost = env.world.borrow_mut().sstore(address, key, value);
            charge_gas(c, cost)?;
            if let Some(slot) = c.data_mut().cache.get_mut(&key) {
                slot.known = Some(value);
            }
        }
    }
    if clear {
        c.data_mut().cache.clear();
    }
    Ok(())
}

fn math2(c: &mut C<'_>, a_ptr: i32, b_ptr: i32, f: fn(U256, U256) -> U256) -> Result<(), Error> {
    charge_ink(c, gas::HOSTIO_INK + 2 * gas::PTR_INK)?;
    let (a, b) = (read_u256(c, a_ptr)?, read_u256(c, b_ptr)?);
    write(c, a_ptr, &f(a, b).to_be_bytes::<32>())
}

fn math3(
    c: &mut C<'_>,
    a_ptr: i32,
    b_ptr: i32,
    m_ptr: i32,
    f: fn(U256, U256, U256) -> U256,
) -> Result<(), Error> {
    charge_ink(c, gas::HOSTIO_INK + 3 * gas::PTR_INK)?;
    let (a, b, m) = (
        read_u256(c, a_ptr)?,
        read_u256(c, b_ptr)?,
        read_u256(c, m_ptr)?,
    );
    write(c, a_ptr, &f(a, b, m).to_be_bytes::<32>())
}

fn write_address(c: &mut C<'_>, dest: i32, a: Address) -> Result<(), Error> {
    charge_ink(c, gas::HOSTIO_INK + gas::PTR_INK)?;
    write(c, dest, a.as_slice())
}

fn write_u256(c: &mut C<'_>, dest: i32, v: U256) -> Result<(), Error> {
    charge_ink(c, gas::HOSTIO_INK + gas::PTR_INK)?;
    write(c, dest, &v.to_be_bytes::<32>())
}

fn block<T>(c: &mut C<'_>, f: impl FnOnce(&node::BlockEnv) -> T) -> Result<T, Error> {
    charge_ink(c, gas::HOSTIO_INK)?;
    let v = f(&c.data().env.block.borrow());
    Ok(v)
}

/// The linker with every Nitro hostio, for frames of `engine`.
///
/// # Errors
/// Only if two definitions collide (a bug).
#[allow(clippy::too_many_lines)]
pub(crate) fn linker(engine: &Engine) -> Result<Linker<Frame>, wasmi::errors::LinkerError> {
    let mut l = Linker::<Frame>::new(engine);
    let m = HOSTIO_MODULE;
    l.func_wrap(
        m,
        "read_args",
        |mut c: C<'_>, dest: i32| -> Result<(), Error> {
            let args = c.data().msg.data.clone();
            charge_ink(
                &mut c,
                gas::HOSTIO_INK + gas::write_price(args.len() as u64),
            )?;
            write(&mut c, dest, &args)
        },
    )?;
    l.func_wrap(
        m,
        "write_result",
        |mut c: C<'_>, ptr: i32, len: i32| -> Result<(), Error> {
            charge_ink(
                &mut c,
                gas::HOSTIO_INK + 2 * gas::read_price(u64::from(len as u32)),
            )?;
            let out = read(&c, ptr, len as u32)?;
            c.data_mut().output = out;
            Ok(())
        },
    )?;
    l.func_wrap(
        m,
        "exit_early",
        |mut c: C<'_>, status: i32| -> Result<(), Error> {
            charge_ink(&mut c, gas::HOSTIO_INK)?;
            Err(Error::i32_exit(status))
        },
    )?;
    l.func_wrap(
        m,
        "storage_load_bytes32",
        |mut c: C<'_>, key: i32, dest: i32| storage_load(&mut c, key, dest),
    )?;
    l.func_wrap(
        m,
        "storage_cache_bytes32",
        |mut c: C<'_>, key_ptr: i32, value_ptr: i32| -> Result<(), Error> {
            charge_ink(&mut c, gas::HOSTIO_INK + 2 * gas::PTR_INK)?;
            let (key, value) = (read_word(&c, key_ptr)?, read_word(&c, value_ptr)?);
            let known = c.data().cache.get(&key).and_then(|s| s.known);
            c.data_mut().cache.insert(key, Slot { value, known });
            Ok(())
        },
    )?;
    l.func_wrap(m, "storage_flush_cache", |mut c: C<'_>, clear: i32| {
        storage_flush(&mut c, clear != 0)
    })?;
    l.func_wrap(
        m,
        "transient_load_bytes32",
        |mut c: C<'_>, key_ptr: i32, dest: i32| -> Result<(), Error> {
            charge_ink(
                &mut c,
                gas::HOSTIO_INK + 2 * gas::PTR_INK + gas::EVM_API_INK,
            )?;
            charge_gas(&mut c, gas::WARM_ACCESS)?;
            let key = read_word(&c, key_ptr)?;
            let value = c.data().env.world.borrow().tload(c.data().msg.address, key);
            write(&mut c, dest, value.as_slice())
        },
    )?;
    l.func_wrap(
        m,
        "transient_store_bytes32",
        |mut c: C<'_>, key_ptr: i32, value_ptr: i32| -> Result<(), Error> {
            charge_ink(
                &mut c,
                gas::HOSTIO_INK + 2 * gas::PTR_INK + gas::EVM_API_INK,
            )?;
            charge_gas(&mut c, gas::WARM_ACCESS)?;
            static_guard(&c)?;
            let (key, value) = (read_word(&c, key_ptr)?, read_word(&c, value_ptr)?);
            let address = c.data().msg.address;
            c.data().env.world.borrow_mut().tstore(address, key, value);
            Ok(())
        },
    )?;
    l.func_wrap(
        m,
        "call_contract",
        |mut c: C<'_>,
         to: i32,
         data: i32,
         len: i32,
         value: i32,
         gas_req: i64,
         ret_len: i32|
         -> Result<i32, Error> {
            let (to, data, value) = (
                read_address(&c, to)?,
                read(&c, data, len as u32)?,
                read_u256(&c, value)?,
            );
            nested_call(
                &mut c,
                CallKind::Call,
                to,
                data,
                value,
                gas_req as u64,
                ret_len,
            )
        },
    )?;
    l.func_wrap(
        m,
        "delegate_call_contract",
        |mut c: C<'_>,
         to: i32,
         data: i32,
         len: i32,
         gas_req: i64,
         ret_len: i32|
         -> Result<i32, Error> {
            let (to, data) = (read_address(&c, to)?, read(&c, data, len as u32)?);
            nested_call(
                &mut c,
                CallKind::Delegate,
                to,
                data,
                U256::ZERO,
                gas_req as u64,
                ret_len,
            )
        },
    )?;
    l.func_wrap(
        m,
        "static_call_contract",
        |mut c: C<'_>,
         to: i32,
         data: i32,
         len: i32,
         gas_req: i64,
         ret_len: i32|
         -> Result<i32, Error> {
            let (to, data) = (read_address(&c, to)?, read(&c, data, len as u32)?);
            nested_call(
                &mut c,
                CallKind::Static,
                to,
                data,
                U256::ZERO,
                gas_req as u64,
                ret_len,
            )
        },
    )?;
    l.func_wrap(
        m,
        "create1",
        |mut c: C<'_>, code: i32, len: i32, endowment: i32, out: i32, ret_len: i32| {
            create(&mut c, code, len, endowment, None, out, ret_len)
        },
    )?;
    l.func_wrap(
        m,
        "create2",
        |mut c: C<'_>,
         code: i32,
         len: i32,
         endowment: i32,
         salt: i32,
         out: i32,
         ret_len: i32|
         -> Result<(), Error> {
            let salt = read_word(&c, salt)?;
            create(&mut c, code, len, endowment, Some(salt), out, ret_len)
        },
    )?;
    l.func_wrap(
        m,
        "read_return_data",
        |mut c: C<'_>, dest: i32, offset: i32, size: i32| -> Result<i32, Error> {
            let data = &c.data().return_data;
            let start = (offset as u32 as usize).min(data.len());
            let end = start.saturating_add(size as u32 as usize).min(data.len());
            let chunk = data[start..end].to_vec();
            charge_ink(
                &mut c,
                gas::HOSTIO_INK + gas::write_price(chunk.len() as u64),
            )?;
            write(&mut c, dest, &chunk)?;
            Ok(chunk.len() as i32)
        },
    )?;
    l.func_wrap(
        m,
        "return_data_size",
        |mut c: C<'_>| -> Result<i32, Error> {
            charge_ink(&mut c, gas::HOSTIO_INK)?;
            Ok(c.data().return_data.len() as i32)
        },
    )?;
    l.func_wrap(
        m,
        "emit_log",
        |mut c: C<'_>, ptr: i32, len: i32, topics: i32| -> Result<(), Error> {
            charge_ink(
                &mut c,
                gas::HOSTIO_INK + gas::EVM_API_INK + gas::read_price(u64::from(len as u32)),
            )?;
            static_guard(&c)?;
            let (len, topics) = (len as u32 as usize, topics as u32 as usize);
            if topics > 4 || len < 32 * topics {
                return Err(trap(
                    "bad log: more than four topics or data shorter than its topics",
                ));
            }
            let bytes = read(&c, ptr, len as u32)?;
            charge_gas(&mut c, gas::log(topics as u64, (len - 32 * topics) as u64))?;
            let log = Log {
                address: c.data().msg.address,
                topics: bytes[..32 * topics]
                    .chunks(32)
                    .map(B256::from_slice)
                    .collect(),
                data: bytes[32 * topics..].to_vec().into(),
            };
            c.data().env.world.borrow_mut().push_log(log);
            Ok(())
        },
    )?;
    l.func_wrap(
        m,
        "account_balance",
        |mut c: C<'_>, addr: i32, dest: i32| -> Result<(), Error> {
            let a = read_address(&c, addr)?;
            let cold = c.data().env.world.borrow_mut().touch_account(a);
            charge_ink(&mut c, gas::EVM_API_INK)?;
            charge_gas(&mut c, gas::account_access(cold))?;
            let balance = c.data().env.world.borrow().balance(a);
            write_u256(&mut c, dest, balance)
        },
    )?;
    l.func_wrap(
        m,
        "account_code",
        |mut c: C<'_>, addr: i32, offset: i32, size: i32, dest: i32| -> Result<i32, Error> {
            let a = read_address(&c, addr)?;
            let cold = c.data().env.world.borrow_mut().touch_account(a);
            charge_ink(&mut c, gas::HOSTIO_INK + gas::EVM_API_INK)?;
            charge_gas(&mut c, gas::account_access(cold))?;
            let code = c.data().env.world.borrow().code(a);
            let start = (offset as u32 as usize).min(code.len());
            let end = start.saturating_add(size as u32 as usize).min(code.len());
            let chunk = code[start..end].to_vec();
            charge_ink(&mut c, gas::write_price(chunk.len() as u64))?;
            write(&mut c, dest, &chunk)?;
            Ok(chunk.len() as i32)
        },
    )?;
    l.func_wrap(
        m,
        "account_code_size",
        |mut c: C<'_>, addr: i32| -> Result<i32, Error> {
            let a = read_address(&c, addr)?;
            let cold = c.data().env.world.borrow_mut().touch_account(a);
            charge_ink(&mut c, gas::HOSTIO_INK + gas::EVM_API_INK)?;
            charge_gas(&mut c, gas::account_access(cold))?;
            charge_gas(&mut c, gas::CODE_ACCESS)?;
            Ok(c.data().env.world.borrow().code(a).len() as i32)
        },
    )?;
    l.func_wrap(
        m,
        "account_codehash",
        |mut c: C<'_>, addr: i32, dest: i32| -> Result<(), Error> {
            let a = read_address(&c, addr)?;
            let cold = c.data().env.world.borrow_mut().touch_account(a);
            charge_ink(&mut c, gas::HOSTIO_INK + gas::EVM_API_INK)?;
            charge_gas(&mut c, gas::account_access(cold))?;
            let hash = {
                let w = c.data().env.world.borrow();
                let account = w.account(a);
                if account == crate::world::Account::default() {
                    B256::ZERO
                } else {
                    w.code_hash(a)
                }
            };
            write(&mut c, dest, hash.as_slice())
        },
    )?;
    l.func_wrap(m, "evm_gas_left", |mut c: C<'_>| -> Result<i64, Error> {
        charge_ink(&mut c, gas::HOSTIO_INK)?;
        Ok(gas::fuel_to_gas(c.get_fuel()?) as i64)
    })?;
    l.func_wrap(m, "evm_ink_left", |mut c: C<'_>| -> Result<i64, Error> {
        charge_ink(&mut c, gas::HOSTIO_INK)?;
        Ok(c.get_fuel()?.saturating_mul(gas::INK_PER_FUEL) as i64)
    })?;
    l.func_wrap(
        m,
        "block_basefee",
        |mut c: C<'_>, dest: i32| -> Result<(), Error> {
            let fee = block(&mut c, |b| b.basefee)?;
            write(&mut c, dest, &fee.to_be_bytes::<32>())
        },
    )?;
    l.func_wrap(m, "chainid", |mut c: C<'_>| -> Result<i64, Error> {
        block(&mut c, |b| b.chain_id as i64)
    })?;
    l.func_wrap(
        m,
        "block_coinbase",
        |mut c: C<'_>, dest: i32| -> Result<(), Error> {
            let coinbase = block(&mut c, |b| b.coinbase)?;
            write(&mut c, dest, coinbase.as_slice())
        },
    )?;
    l.func_wrap(m, "block_gas_limit", |mut c: C<'_>| -> Result<i64, Error> {
        block(&mut c, |b| b.gas_limit as i64)
    })?;
    l.func_wrap(m, "block_number", |mut c: C<'_>| -> Result<i64, Error> {
        block(&mut c, |b| b.number as i64)
    })?;
    l.func_wrap(m, "block_timestamp", |mut c: C<'_>| -> Result<i64, Error> {
        block(&mut c, |b| b.timestamp as i64)
    })?;
    l.func_wrap(m, "contract_address", |mut c: C<'_>, dest: i32| {
        let a = c.data().msg.address;
        write_address(&mut c, dest, a)
    })?;
    l.func_wrap(m, "math_div", |mut c: C<'_>, a: i32, b: i32| {
        math2(&mut c, a, b, |a, b| a.checked_div(b).unwrap_or_default())
    })?;
    l.func_wrap(m, "math_mod", |mut c: C<'_>, a: i32, b: i32| {
        math2(&mut c, a, b, |a, b| a.checked_rem(b).unwrap_or_default())
    })?;
    l.func_wrap(
        m,
        "math_pow",
        |mut c: C<'_>, a: i32, e: i32| -> Result<(), Error> {
            let exponent = read_u256(&c, e)?;
            charge_ink(&mut c, 3_000 + 17_500 * (exponent.byte_len() as u64 + 1))?;
            math2(&mut c, a, e, U256::wrapping_pow)
        },
    )?;
    l.func_wrap(m, "math_add_mod", |mut c: C<'_>, a: i32, b: i32, m: i32| {
        math3(&mut c, a, b, m, |a, b, m| {
            if m.is_zero() {
                U256::ZERO
            } else {
                let r = (U512::from(a) + U512::from(b)) % U512::from(m);
                U256::from_limbs_slice(&r.as_limbs()[..4])
            }
        })
    })?;
    l.func_wrap(m, "math_mul_mod", |mut c: C<'_>, a: i32, b: i32, m: i32| {
        math3(&mut c, a, b, m, U256::mul_mod)
    })?;
    l.func_wrap(m, "msg_reentrant", |mut c: C<'_>| -> Result<i32, Error> {
        charge_ink(&mut c, gas::HOSTIO_INK)?;
        let address = c.data().msg.address;
        let open = c
            .data()
            .env
            .stack
            .borrow()
            .iter()
            .filter(|a| **a == address)
            .count();
        Ok(i32::from(open > 1))
    })?;
    l.func_wrap(m, "msg_sender", |mut c: C<'_>, dest: i32| {
        let a = c.data().msg.caller;
        write_address(&mut c, dest, a)
    })?;
    l.func_wrap(m, "msg_value", |mut c: C<'_>, dest: i32| {
        let v = c.data().msg.value;
        write_u256(&mut c, dest, v)
    })?;
    l.func_wrap(
        m,
        "native_keccak256",
        |mut c: C<'_>, ptr: i32, len: i32, out: i32| -> Result<(), Error> {
            let words = (u64::from(len as u32)).div_ceil(32);
            charge_ink(&mut c, 121_800 + 21_000 * words.saturating_sub(2))?;
            let data = read(&c, ptr, len as u32)?;
            write(&mut c, out, keccak256(&data).as_slice())
        },
    )?;
    l.func_wrap(
        m,
        "tx_gas_price",
        |mut c: C<'_>, dest: i32| -> Result<(), Error> {
            let fee = block(&mut c, |b| b.basefee)?;
            write(&mut c, dest, &fee.to_be_bytes::<32>())
        },
    )?;
    l.func_wrap(m, "tx_ink_price", |mut c: C<'_>| -> Result<i32, Error> {
        charge_ink(&mut c, gas::HOSTIO_INK)?;
        Ok(gas::INK_PER_GAS as i32)
    })?;
    l.func_wrap(m, "tx_origin", |mut c: C<'_>, dest: i32| {
        let origin = *c.data().env.origin.borrow();
        write_address(&mut c, dest, origin)
    })?;
    l.func_wrap(
        m,
        "pay_for_memory_grow",
        |mut c: C<'_>, pages: i32| -> Result<(), Error> {
            charge_ink(&mut c, gas::HOSTIO_INK)?;
            charge_gas(&mut c, gas::PAGE_GAS * u64::from(pages as u16))
        },
    )?;
    Ok(l)
}
