//! Mock token for tests and the demo: one ERC-20 implementation with four behaviours, chosen at
//! construction (`kind`):
//!
//! - [`KIND_STANDARD`]: a plain LST-like ERC-20 with ERC-2612 `permit`;
//! - [`KIND_REBASING`]: balances are internal shares × a rate that anyone may move up or down
//!   (`set_rate`), like stETH; transfers move `⌊amount·WAD/rate⌋` shares, so a receiver can get
//!   a wei less than `amount`;
//! - [`KIND_FEE_ON_TRANSFER`]: every transfer burns `fee_bips` of the amount;
//! - [`KIND_REENTRANT`]: `transferFrom` first calls a configured target with configured calldata
//!   (e.g. back into the protocol), records whether that reentry succeeded, then transfers.
//!
//! `mint` is open to anyone: this is a faucet token for tests, never a real asset.
#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
// `#[entrypoint]` generates public functions without docs (`user_entrypoint`, `print_from_args`);
// a lint attribute cannot reach generated items, so the lint is relaxed for this crate only.
#![allow(missing_docs)]
extern crate alloc;

use alloc::{string::String, vec, vec::Vec};

use alloy_primitives::{keccak256, Address, B256, U256};
use restaking_abi::{
    constants::WAD,
    eip712::{typed_data_digest, DOMAIN_TYPEHASH, DOMAIN_VERSION_HASH},
    signature::recover,
};
use stylus_sdk::{
    call::RawCall,
    prelude::*,
    storage::{
        StorageAddress, StorageBytes, StorageMap, StorageString, StorageU16, StorageU256, StorageU8,
    },
    stylus_core::log,
};

/// Plain ERC-20 + permit.
pub const KIND_STANDARD: u8 = 0;
/// Rebasing balances.
pub const KIND_REBASING: u8 = 1;
/// Fee burned on every transfer.
pub const KIND_FEE_ON_TRANSFER: u8 = 2;
/// `transferFrom` reenters a configured target first.
pub const KIND_REENTRANT: u8 = 3;

/// `keccak256("Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)")`.
pub const PERMIT_TYPEHASH: B256 =
    alloy_primitives::b256!("6e71edae12b1b97f4d1f60370fef10105fa2faae0126114a169c64845d6126c9");

/// Events and errors; alloy's JSON ABI (`#[sol(abi)]`) only for ABI export on the host.
macro_rules! token_abi {
    ($($json:ident)?) => {
alloy_sol_types::sol! {
    #![sol(all_derives $(, $json)?)]
    event Transfer(address indexed from, address indexed to, uint256 value);
    event Approval(address indexed owner, address indexed spender, uint256 value);
    event RateSet(uint256 rate);
    event ReentryAttempted(address indexed target, bool success, bytes returnData);

    error ERC20InsufficientBalance(address sender, uint256 balance, uint256 needed);
    error ERC20InsufficientAllowance(address spender, uint256 allowance, uint256 needed);
    error ERC20InvalidReceiver(address receiver);
    error ERC2612ExpiredSignature(uint256 deadline);
    error ERC2612InvalidSigner(address signer, address owner);
    error WrongKind(uint8 kind);
    error InvalidConfig();
}
    };
}

#[cfg(feature = "export-abi")]
token_abi!(abi);
#[cfg(not(feature = "export-abi"))]
token_abi!();

/// ERC-2612 struct hash of `Permit(owner, spender, value, nonce, deadline)`.
#[must_use]
pub fn permit_struct_hash(
    owner: Address,
    spender: Address,
    value: U256,
    nonce: U256,
    deadline: U256,
) -> B256 {
    let mut words = Vec::with_capacity(6 * 32);
    words.extend_from_slice(PERMIT_TYPEHASH.as_slice());
    words.extend_from_slice(owner.into_word().as_slice());
    words.extend_from_slice(spender.into_word().as_slice());
    words.extend_from_slice(&value.to_be_bytes::<32>());
    words.extend_from_slice(&nonce.to_be_bytes::<32>());
    words.extend_from_slice(&deadline.to_be_bytes::<32>());
    keccak256(&words)
}

/// Errors of the mock token.
#[derive(SolidityError, Debug)]
pub enum Error {
    /// Sender's balance is too small.
    InsufficientBalance(ERC20InsufficientBalance),
    /// Spender's allowance is too small.
    InsufficientAllowance(ERC20InsufficientAllowance),
    /// Transfer to the zero address.
    InvalidReceiver(ERC20InvalidReceiver),
    /// Permit past its deadline.
    ExpiredSignature(ERC2612ExpiredSignature),
    /// Permit not signed by the owner.
    InvalidSigner(ERC2612InvalidSigner),
    /// The method does not apply to this token's kind.
    WrongKind(WrongKind),
    /// Constructor or setter argument out of range (kind > 3, fee > 100%, rate 0, overflow).
    InvalidConfig(InvalidConfig),
}

/// Storage of the mock token.
#[entrypoint]
#[storage]
pub struct MockToken {
    /// ERC-20 name (also the permit domain name).
    name: StorageString,
    /// ERC-20 symbol.
    symbol: StorageString,
    /// ERC-20 decimals.
    decimals: StorageU8,
    /// One of the `KIND_*` constants.
    kind: StorageU8,
    /// Fee in basis points (fee-on-transfer kind).
    fee_bips: StorageU16,
    /// Internal units per account; balance = units × rate / WAD.
    units: StorageMap<Address, StorageU256>,
    /// Sum of all units.
    total_units: StorageU256,
    /// WAD-scaled value of one unit (only the rebasing kind stores and reads it).
    rate: StorageU256,
    /// owner → spender → allowance (in balance terms).
    allowances: StorageMap<Address, StorageMap<Address, StorageU256>>,
    /// ERC-2612 nonces.
    nonces: StorageMap<Address, StorageU256>,
    /// Reentrant kind: whom `transferFrom` calls first.
    reenter_target: StorageAddress,
    /// Reentrant kind: the calldata it sends.
    reenter_calldata: StorageBytes,
}

#[public]
impl MockToken {
    /// Sets metadata and kind; `fee_bips` only matters for the fee-on-transfer kind.
    ///
    /// # Errors
    /// * [`Error::InvalidConfig`] - unknown kind or fee above 100%.
    #[constructor]
    pub fn constructor(
        &mut self,
        name: String,
        symbol: String,
        decimals: u8,
        kind: u8,
        fee_bips: u16,
    ) -> Result<(), Error> {
        if kind > KIND_REENTRANT || fee_bips > 10_000 {
            return Err(InvalidConfig {}.into());
        }
        self.name.set_str(name);
        self.symbol.set_str(symbol);
        self.decimals.set(alloy_primitives::Uint::from(decimals));
        self.kind.set(alloy_primitives::Uint::from(kind));
        self.fee_bips.set(alloy_primitives::Uint::from(fee_bips));
        if kind == KIND_REBASING {
            self.rate.set(WAD);
        }
        Ok(())
    }

    /// Token name.
    pub fn name(&self) -> String {
        self.name.get_string()
    }

    /// Token symbol.
    pub fn symbol(&self) -> String {
        self.symbol.get_string()
    }

    /// Token decimals.
    pub fn decimals(&self) -> u8 {
        self.decimals.get().to::<u8>()
    }

    /// The behaviour this token was built with.
    pub fn kind(&self) -> u8 {
        self.kind.get().to::<u8>()
    }

    /// Total supply in balance terms.
    pub fn total_supply(&self) -> U256 {
        self.to_balance(self.total_units.get())
    }

    /// Balance of `account`.
    pub fn balance_of(&self, account: Address) -> U256 {
        self.to_balance(self.units.get(account))
    }

    /// Allowance of `spender` over `owner`'s tokens.
    pub fn allowance(&self, owner: Address, spender: Address) -> U256 {
        self.allowances.getter(owner).get(spender)
    }

    /// Mints `amount` to `to` (open faucet).
    ///
    /// # Errors
    /// * [`Error::InvalidReceiver`] - `to` is zero.
    /// * [`Error::InvalidConfig`] - the supply would overflow.
    pub fn mint(&mut self, to: Address, amount: U256) -> Result<(), Error> {
        if to.is_zero() {
            return Err(ERC20InvalidReceiver { receiver: to }.into());
        }
        let units = self.to_units(amount)?;
        let total = self
            .total_units
            .get()
            .checked_add(units)
            .ok_or(InvalidConfig {})?;
        self.total_units.set(total);
        let bal = self.units.get(to) + units;
        self.units.setter(to).set(bal);
        log(
            self.vm(),
            Transfer {
                from: Address::ZERO,
                to,
                value: amount,
            },
        );
        Ok(())
    }

    /// Approves `spender` for `value`.
    pub fn approve(&mut self, spender: Address, value: U256) -> bool {
        let owner = self.vm().msg_sender();
        self.approve_internal(owner, spender, value);
        true
    }

    /// Transfers `value` to `to`.
    ///
    /// # Errors
    /// See [`Error`]: balance, receiver.
    pub fn transfer(&mut self, to: Address, value: U256) -> Result<bool, Error> {
        let from = self.vm().msg_sender();
        self.move_tokens(from, to, value)?;
        Ok(true)
    }

    /// Transfers `value` from `from` to `to` using the caller's allowance. The reentrant kind first
    /// calls its configured target.
    ///
    /// # Errors
    /// See [`Error`]: allowance, balance, receiver.
    pub fn transfer_from(
        &mut self,
        from: Address,
        to: Address,
        value: U256,
    ) -> Result<bool, Error> {
        if self.kind() == KIND_REENTRANT {
            self.reenter();
        }
        let spender = self.vm().msg_sender();
        let allowed = self.allowances.getter(from).get(spender);
        if allowed != U256::MAX {
            if allowed < value {
                return Err(ERC20InsufficientAllowance {
                    spender,
                    allowance: allowed,
                    needed: value,
                }
                .into());
            }
            self.allowances
                .setter(from)
                .setter(spender)
                .set(allowed - value);
        }
        self.move_tokens(from, to, value)?;
        Ok(true)
    }

    /// ERC-2612 permit: `owner` approves `spender` for `value` by signature.
    ///
    /// # Errors
    /// * [`Error::ExpiredSignature`] - `deadline` has passed.
    /// * [`Error::InvalidSigner`] - the signature is not `owner`'s for the current nonce.
    pub fn permit(
        &mut self,
        owner: Address,
        spender: Address,
        value: U256,
        deadline: U256,
        v: u8,
        r: B256,
        s: B256,
    ) -> Result<(), Error> {
        if U256::from(self.vm().block_timestamp()) > deadline {
            return Err(ERC2612ExpiredSignature { deadline }.into());
        }
        let nonce = self.nonces.get(owner);
        let digest = typed_data_digest(
            self.domain_separator(),
            permit_struct_hash(owner, spender, value, nonce, deadline),
        );
        let signer = recover(digest, v, r, s).unwrap_or(Address::ZERO);
        if signer != owner || owner.is_zero() {
            return Err(ERC2612InvalidSigner { signer, owner }.into());
        }
        self.nonces.setter(owner).set(nonce + U256::from(1));
        self.approve_internal(owner, spender, value);
        Ok(())
    }

    /// ERC-2612 nonce of `owner`.
    pub fn nonces(&self, owner: Address) -> U256 {
        self.nonces.get(owner)
    }

    /// ERC-2612 domain separator (name = token name, version "1").
    #[selector(name = "DOMAIN_SEPARATOR")]
    pub fn domain_separator(&self) -> B256 {
        let mut words = Vec::with_capacity(5 * 32);
        words.extend_from_slice(DOMAIN_TYPEHASH.as_slice());
        words.extend_from_slice(keccak256(self.name.get_string().as_bytes()).as_slice());
        words.extend_from_slice(DOMAIN_VERSION_HASH.as_slice());
        words.extend_from_slice(&U256::from(self.vm().chain_id()).to_be_bytes::<32>());
        words.extend_from_slice(self.vm().contract_address().into_word().as_slice());
        keccak256(&words)
    }

    /// Rebasing kind: sets the value of one internal unit (WAD = 1:1); balances move with it.
    ///
    /// # Errors
    /// * [`Error::WrongKind`] - not the rebasing kind.
    /// * [`Error::InvalidConfig`] - `rate` is zero.
    pub fn set_rate(&mut self, rate: U256) -> Result<(), Error> {
        if self.kind() != KIND_REBASING {
            return Err(WrongKind { kind: self.kind() }.into());
        }
        if rate.is_zero() {
            return Err(InvalidConfig {}.into());
        }
        self.rate.set(rate);
        log(self.vm(), RateSet { rate });
        Ok(())
    }

    /// Current unit rate (WAD = 1:1).
    pub fn rate(&self) -> U256 {
        if self.kind() == KIND_REBASING {
            self.rate.get()
        } else {
            WAD
        }
    }

    /// Reentrant kind: `transferFrom` will first call `target` with `data`.
    ///
    /// # Errors
    /// * [`Error::WrongKind`] - not the reentrant kind.
    pub fn set_reentry(
        &mut self,
        target: Address,
        data: stylus_sdk::abi::Bytes,
    ) -> Result<(), Error> {
        if self.kind() != KIND_REENTRANT {
            return Err(WrongKind { kind: self.kind() }.into());
        }
        self.reenter_target.set(target);
        self.reenter_calldata.set_bytes(data.0);
        Ok(())
    }
}

impl MockToken {
    /// Calldata of `mint(to, amount)`, for configuring reentry targets in tests.
    #[must_use]
    pub fn mint_calldata(to: Address, amount: U256) -> Vec<u8> {
        use alloy_sol_types::SolCall;
        alloy_sol_types::sol! { function mint(address to, uint256 amount); }
        mintCall { to, amount }.abi_encode()
    }

    /// Units and balances are the same for every kind but the rebasing one, which skips its rate
    /// slot and the fixed-point math: the standard kind then costs what a plain ERC-20 does.
    fn to_balance(&self, units: U256) -> U256 {
        if self.kind() != KIND_REBASING {
            return units;
        }
        restaking_abi::math::mul_wad(units, self.rate.get(), restaking_abi::math::Rounding::Down)
            .unwrap_or(U256::MAX)
    }

    fn to_units(&self, amount: U256) -> Result<U256, Error> {
        if self.kind() != KIND_REBASING {
            return Ok(amount);
        }
        restaking_abi::math::div_wad(amount, self.rate.get(), restaking_abi::math::Rounding::Down)
            .map_err(|_| InvalidConfig {}.into())
    }

    fn approve_internal(&mut self, owner: Address, spender: Address, value: U256) {
        self.allowances.setter(owner).setter(spender).set(value);
        log(
            self.vm(),
            Approval {
                owner,
                spender,
                value,
            },
        );
    }

    fn move_tokens(&mut self, from: Address, to: Address, value: U256) -> Result<(), Error> {
        if to.is_zero() {
            return Err(ERC20InvalidReceiver { receiver: to }.into());
        }
        let units = self.to_units(value)?;
        let have = self.units.get(from);
        if have < units {
            return Err(ERC20InsufficientBalance {
                sender: from,
                balance: self.to_balance(have),
                needed: value,
            }
            .into());
        }
        let fee_units = if self.kind() == KIND_FEE_ON_TRANSFER {
            units * U256::from(self.fee_bips.get()) / U256::from(10_000)
        } else {
            U256::ZERO
        };
        self.units.setter(from).set(have - units);
        let received = self.units.get(to) + (units - fee_units);
        self.units.setter(to).set(received);
        if !fee_units.is_zero() {
            let total = self.total_units.get() - fee_units;
            self.total_units.set(total);
            log(
                self.vm(),
                Transfer {
                    from,
                    to: Address::ZERO,
                    value: self.to_balance(fee_units),
                },
            );
        }
        log(
            self.vm(),
            Transfer {
                from,
                to,
                value: self.to_balance(units - fee_units),
            },
        );
        Ok(())
    }

    fn reenter(&mut self) {
        let target = self.reenter_target.get();
        if target.is_zero() {
            return;
        }
        let data = self.reenter_calldata.get_bytes();
        // SAFETY: the cache is flushed and cleared before the call; nothing is borrowed across it.
        let result = unsafe { RawCall::new().clear_storage_cache().call(target, &data) };
        let (success, returned) = match result {
            Ok(d) => (true, d),
            Err(d) => (false, d),
        };
        log(
            self.vm(),
            ReentryAttempted {
                target,
                success,
                returnData: returned.into(),
            },
        );
    }
}

#[cfg(test)]
mod tests;
