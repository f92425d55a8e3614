//! Journaled world state: accounts (balance, nonce, code), storage, transient storage, the
//! per-transaction EIP-2929 access sets and EIP-2200 original values, the refund counter and logs.
//!
//! Every change is recorded in a journal. A frame takes a [`Checkpoint`] when it starts and
//! [`World::revert_to`] undoes everything after it — state, warm sets, refunds and logs alike — when
//! the frame reverts, traps or runs out of gas.

use std::{
    collections::{HashMap, HashSet},
    sync::Arc,
};

use alloy_primitives::{keccak256, Address, Bytes, B256, U256};

use crate::gas;

/// An account.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Account {
    /// Wei held.
    pub balance: U256,
    /// Transactions sent / contracts created.
    pub nonce: u64,
    /// Deployed code (a Stylus program: `EF F0 00` + dictionary byte + brotli WASM); empty for EOAs.
    pub code: Arc<Vec<u8>>,
    /// `keccak256(code)`, computed once when the code is set (zero for an account never given
    /// code; see [`World::code_hash`]).
    pub code_hash: B256,
}

/// A log emitted by a successful frame.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Log {
    /// Emitting contract.
    pub address: Address,
    /// Up to four topics.
    pub topics: Vec<B256>,
    /// Non-indexed data.
    pub data: Bytes,
}

/// A position in the journal to revert to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Checkpoint(usize);

#[derive(Debug)]
enum Entry {
    Account(Address, Option<Account>),
    Storage(Address, B256, Option<B256>),
    Transient(Address, B256, Option<B256>),
    WarmAccount(Address),
    WarmSlot(Address, B256),
    Refund(i64),
    Log,
}

/// The chain's state plus the bookkeeping of the transaction in progress.
#[derive(Debug, Default)]
pub struct World {
    accounts: HashMap<Address, Account>,
    storage: HashMap<(Address, B256), B256>,
    transient: HashMap<(Address, B256), B256>,
    original: HashMap<(Address, B256), B256>,
    warm_accounts: HashSet<Address>,
    warm_slots: HashSet<(Address, B256)>,
    refund: i64,
    logs: Vec<Log>,
    journal: Vec<Entry>,
}

impl World {
    /// Starts a transaction: clears transient storage, warm sets, originals, refund, logs and the
    /// journal (state itself carries over), and warms `warm` (sender, recipient, precompiles).
    pub fn begin_tx(&mut self, warm: &[Address]) {
        self.transient.clear();
        self.original.clear();
        self.warm_accounts = warm.iter().copied().collect();
        self.warm_slots.clear();
        self.refund = 0;
        self.logs.clear();
        self.journal.clear();
    }

    /// The current journal position.
    #[must_use]
    pub fn checkpoint(&self) -> Checkpoint {
        Checkpoint(self.journal.len())
    }

    /// Undoes every change recorded after `checkpoint`.
    pub fn revert_to(&mut self, checkpoint: Checkpoint) {
        while self.journal.len() > checkpoint.0 {
            match self.journal.pop() {
                Some(Entry::Account(a, prev)) => restore(&mut self.accounts, a, prev),
                Some(Entry::Storage(a, k, prev)) => restore(&mut self.storage, (a, k), prev),
                Some(Entry::Transient(a, k, prev)) => restore(&mut self.transient, (a, k), prev),
                Some(Entry::WarmAccount(a)) => {
                    self.warm_accounts.remove(&a);
                }
                Some(Entry::WarmSlot(a, k)) => {
                    self.warm_slots.remove(&(a, k));
                }
                Some(Entry::Refund(prev)) => self.refund = prev,
                Some(Entry::Log) => {
                    self.logs.pop();
                }
                None => break,
            }
        }
    }

    /// The account at `address` (default if it never existed).
    #[must_use]
    pub fn account(&self, address: Address) -> Account {
        self.accounts.get(&address).cloned().unwrap_or_default()
    }

    fn update_account(&mut self, address: Address, f: impl FnOnce(&mut Account)) {
        let prev = self.accounts.get(&address).cloned();
        self.journal.push(Entry::Account(address, prev.clone()));
        let mut account = prev.unwrap_or_default();
        f(&mut account);
        self.accounts.insert(address, account);
    }

    /// Balance of `address`.
    #[must_use]
    pub fn balance(&self, address: Address) -> U256 {
        self.accounts
            .get(&address)
            .map_or(U256::ZERO, |a| a.balance)
    }

    /// Sets the balance of `address` (funding; journaled).
    pub fn set_balance(&mut self, address: Address, balance: U256) {
        self.update_account(address, |a| a.balance = balance);
    }

    /// Moves `value` wei; `false` (and no change) if `from` holds less.
    pub fn transfer(&mut self, from: Address, to: Address, value: U256) -> bool {
        if value.is_zero() {
            return true;
        }
        let Some(left) = self.balance(from).checked_sub(value) else {
            return false;
        };
        self.update_account(from, |a| a.balance = left);
        self.update_account(to, |a| a.balance = a.balance.saturating_add(value));
        true
    }

    /// Increments the nonce of `address`, returning the previous one.
    pub fn bump_nonce(&mut self, address: Address) -> u64 {
        let nonce = self.account(address).nonce;
        self.update_account(address, |a| a.nonce = nonce.saturating_add(1));
        nonce
    }

    /// Installs `code` at `address`.
    pub fn set_code(&mut self, address: Address, code: Vec<u8>) {
        let hash = keccak256(&code);
        self.update_account(address, |a| {
            a.code = Arc::new(code);
            a.code_hash = hash;
        });
    }

    /// Code at `address` with its hash (`None` for an account without code).
    #[must_use]
    pub fn code_with_hash(&self, address: Address) -> Option<(Arc<Vec<u8>>, B256)> {
        self.accounts
            .get(&address)
            .filter(|a| !a.code.is_empty())
            .map(|a| (a.code.clone(), a.code_hash))
    }

    /// Code at `address`.
    #[must_use]
    pub fn code(&self, address: Address) -> Arc<Vec<u8>> {
        self.accounts
            .get(&address)
            .map(|a| a.code.clone())
            .unwrap_or_default()
    }

    /// `keccak256(code)`, and `keccak256("")` for accounts without code (as EXTCODEHASH for an
    /// existing account).
    #[must_use]
    pub fn code_hash(&self, address: Address) -> B256 {
        match self.accounts.get(&address) {
            Some(a) if !a.code.is_empty() => a.code_hash,
            _ => keccak256([]),
        }
    }

    /// Warms `address`; returns whether it was cold.
    pub fn touch_account(&mut self, address: Address) -> bool {
        let cold = self.warm_accounts.insert(address);
        if cold {
            self.journal.push(Entry::WarmAccount(address));
        }
        cold
    }

    /// Reads a slot, warming it; returns the value and whether the read was cold.
    pub fn sload(&mut self, address: Address, key: B256) -> (B256, bool) {
        let cold = self.warm_slots.insert((address, key));
        if cold {
            self.journal.push(Entry::WarmSlot(address, key));
        }
        (self.storage_at(address, key), cold)
    }

    /// The committed value of a slot (no warming, no gas).
    #[must_use]
    pub fn storage_at(&self, address: Address, key: B256) -> B256 {
        self.storage
            .get(&(address, key))
            .copied()
            .unwrap_or_default()
    }

    /// Writes a slot with EIP-2200/2929/3529 pricing; returns the gas the write costs.
    pub fn sstore(&mut self, address: Address, key: B256, value: B256) -> u64 {
        let current = self.storage_at(address, key);
        let original = *self.original.entry((address, key)).or_insert(current);
        let cold = self.warm_slots.insert((address, key));
        if cold {
            self.journal.push(Entry::WarmSlot(address, key));
        }
        let (cost, refund) = gas::sstore(original, current, value, cold);
        if refund != 0 {
            self.journal.push(Entry::Refund(self.refund));
            self.refund += refund;
        }
        if current != value {
            let prev = self.storage.insert((address, key), value);
            self.journal.push(Entry::Storage(address, key, prev));
        }
        cost
    }

    /// Transient storage read (EIP-1153).
    #[must_use]
    pub fn tload(&self, address: Address, key: B256) -> B256 {
        self.transient
            .get(&(address, key))
            .copied()
            .unwrap_or_default()
    }

    /// Transient storage write (EIP-1153).
    pub fn tstore(&mut self, address: Address, key: B256, value: B256) {
        let prev = self.transient.insert((address, key), value);
        self.journal.push(Entry::Transient(address, key, prev));
    }

    /// Records a log.
    pub fn push_log(&mut self, log: Log) {
        self.logs.push(log);
        self.journal.push(Entry::Log);
    }

    /// Logs of the transaction so far.
    #[must_use]
    pub fn logs(&self) -> &[Log] {
        &self.logs
    }

    /// The refund counter of the transaction so far.
    #[must_use]
    pub fn refund(&self) -> i64 {
        self.refund
    }
}

fn restore<K: std::hash::Hash + Eq, V>(map: &mut HashMap<K, V>, key: K, prev: Option<V>) {
    match prev {
        Some(v) => {
            map.insert(key, v);
        }
        None => {
            map.remove(&key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn revert_undoes_state_warmth_refunds_and_logs() {
        let (a, k) = (Address::repeat_byte(1), B256::with_last_byte(7));
        let mut w = World::default();
        w.begin_tx(&[]);
        assert_eq!(w.sstore(a, k, B256::with_last_byte(1)), 22_100);
        let cp = w.checkpoint();
        assert_eq!(w.sstore(a, k, B256::ZERO), 100);
        assert_eq!(w.refund(), 19_900);
        w.set_balance(a, U256::from(5));
        w.push_log(Log {
            address: a,
            topics: vec![],
            data: Bytes::new(),
        });
        assert!(w.touch_account(Address::repeat_byte(9)));
        w.revert_to(cp);
        assert_eq!(w.storage_at(a, k), B256::with_last_byte(1));
        assert_eq!(w.refund(), 0);
        assert_eq!(w.balance(a), U256::ZERO);
        assert!(w.logs().is_empty());
        assert!(
            w.touch_account(Address::repeat_byte(9)),
            "warmth is reverted too"
        );
    }

    #[test]
    fn transfers_fail_without_funds_and_change_nothing() {
        let (a, b) = (Address::repeat_byte(1), Address::repeat_byte(2));
        let mut w = World::default();
        w.set_balance(a, U256::from(10));
        assert!(!w.transfer(a, b, U256::from(11)));
        assert!(w.transfer(a, b, U256::from(4)));
        assert_eq!((w.balance(a), w.balance(b)), (U256::from(6), U256::from(4)));
    }

    #[test]
    fn cold_then_warm_reads() {
        let (a, k) = (Address::repeat_byte(1), B256::ZERO);
        let mut w = World::default();
        w.begin_tx(&[]);
        assert!(w.sload(a, k).1);
        assert!(!w.sload(a, k).1);
        w.begin_tx(&[]);
        assert!(w.sload(a, k).1, "a new transaction starts cold");
    }
}
