//! Owner (two-step transfer) and pause administration, one component shared by every contract.
//!
//! Rules (DESIGN §4, §6): the owner may only whitelist, set caps, set roles and pause/unpause; a
//! pauser may set pause bits; only the owner clears them. Ownership moves in two steps so a typo
//! cannot hand the contract to a dead address. Contracts embed [`Admin`] as a `#[borrow]` field and
//! `#[inherit(Admin)]` its public methods.

use alloc::{vec, vec::Vec};

use alloy_primitives::{Address, U256};
use stylus_sdk::{
    prelude::*,
    storage::{StorageAddress, StorageBool, StorageMap, StorageU256},
    stylus_core::log,
};

use crate::abi::{
    ActionPaused, AlreadyInitialized, Initialized, NotPendingOwner, OwnershipTransferStarted,
    OwnershipTransferred, Paused, PauserSet, Unauthorized, Unpaused, ZeroAddress,
};

/// Errors of the admin component.
#[derive(SolidityError, Debug)]
pub enum AdminError {
    /// Caller is not the owner (or, for `pause`, not a pauser).
    Unauthorized(Unauthorized),
    /// Caller is not the pending owner.
    NotPendingOwner(NotPendingOwner),
    /// A zero address where an account is required.
    ZeroAddress(ZeroAddress),
    /// The action's pause bit is set.
    ActionPaused(ActionPaused),
    /// The contract's peers are set already.
    AlreadyInitialized(AlreadyInitialized),
}

/// Owner, pending owner, pausers and the pause bitmap.
#[storage]
pub struct Admin {
    /// Current owner; zero only before initialisation.
    owner: StorageAddress,
    /// Proposed owner waiting to accept.
    pending_owner: StorageAddress,
    /// Accounts allowed to set pause bits.
    pausers: StorageMap<Address, StorageBool>,
    /// One bit per pausable action (see `constants::pause`).
    paused: StorageU256,
}

#[public]
impl Admin {
    /// The current owner.
    pub fn owner(&self) -> Address {
        self.owner.get()
    }

    /// The proposed owner, or zero.
    pub fn pending_owner(&self) -> Address {
        self.pending_owner.get()
    }

    /// Proposes `new_owner`; it takes over when it calls `accept_ownership`.
    ///
    /// # Errors
    /// * [`AdminError::Unauthorized`] - caller is not the owner.
    ///
    /// # Events
    /// * [`OwnershipTransferStarted`]
    pub fn transfer_ownership(&mut self, new_owner: Address) -> Result<(), AdminError> {
        self.only_owner()?;
        self.pending_owner.set(new_owner);
        log(
            self.vm(),
            OwnershipTransferStarted {
                previousOwner: self.owner.get(),
                newOwner: new_owner,
            },
        );
        Ok(())
    }

    /// The pending owner takes ownership.
    ///
    /// # Errors
    /// * [`AdminError::NotPendingOwner`] - caller is not the pending owner.
    ///
    /// # Events
    /// * [`OwnershipTransferred`]
    pub fn accept_ownership(&mut self) -> Result<(), AdminError> {
        let caller = self.vm().msg_sender();
        let pending = self.pending_owner.get();
        if caller != pending || pending.is_zero() {
            return Err(NotPendingOwner {
                caller,
                pendingOwner: pending,
            }
            .into());
        }
        let previous = self.owner.get();
        self.owner.set(caller);
        self.pending_owner.set(Address::ZERO);
        log(
            self.vm(),
            OwnershipTransferred {
                previousOwner: previous,
                newOwner: caller,
            },
        );
        Ok(())
    }

    /// Allows or disallows `pauser` to set pause bits.
    ///
    /// # Errors
    /// * [`AdminError::Unauthorized`] - caller is not the owner.
    /// * [`AdminError::ZeroAddress`] - `pauser` is zero.
    ///
    /// # Events
    /// * [`PauserSet`]
    pub fn set_pauser(&mut self, pauser: Address, allowed: bool) -> Result<(), AdminError> {
        self.only_owner()?;
        if pauser.is_zero() {
            return Err(ZeroAddress {}.into());
        }
        self.pausers.setter(pauser).set(allowed);
        log(self.vm(), PauserSet { pauser, allowed });
        Ok(())
    }

    /// Whether `account` may set pause bits.
    pub fn is_pauser(&self, account: Address) -> bool {
        self.pausers.get(account)
    }

    /// Sets the pause bits in `bits` (others unchanged).
    ///
    /// # Errors
    /// * [`AdminError::Unauthorized`] - caller is neither a pauser nor the owner.
    ///
    /// # Events
    /// * [`Paused`]
    pub fn pause(&mut self, bits: U256) -> Result<(), AdminError> {
        let caller = self.vm().msg_sender();
        if caller != self.owner.get() && !self.pausers.get(caller) {
            return Err(Unauthorized { caller }.into());
        }
        let status = self.paused.get() | bits;
        self.paused.set(status);
        log(
            self.vm(),
            Paused {
                account: caller,
                newPausedStatus: status,
            },
        );
        Ok(())
    }

    /// Clears the pause bits in `bits` (others unchanged).
    ///
    /// # Errors
    /// * [`AdminError::Unauthorized`] - caller is not the owner.
    ///
    /// # Events
    /// * [`Unpaused`]
    pub fn unpause(&mut self, bits: U256) -> Result<(), AdminError> {
        self.only_owner()?;
        let status = self.paused.get() & !bits;
        self.paused.set(status);
        log(
            self.vm(),
            Unpaused {
                account: self.vm().msg_sender(),
                newPausedStatus: status,
            },
        );
        Ok(())
    }

    /// The pause bitmap.
    pub fn paused(&self) -> U256 {
        self.paused.get()
    }
}

impl Admin {
    /// Sets the first owner; for constructors only (the caller guarantees it runs once).
    ///
    /// # Errors
    /// * [`AdminError::ZeroAddress`] - `owner` is zero.
    pub fn init_owner(&mut self, owner: Address) -> Result<(), AdminError> {
        if owner.is_zero() {
            return Err(ZeroAddress {}.into());
        }
        self.owner.set(owner);
        log(
            self.vm(),
            OwnershipTransferred {
                previousOwner: Address::ZERO,
                newOwner: owner,
            },
        );
        Ok(())
    }

    /// The checks and the event of a contract's one-shot `initialize`: the caller is the owner,
    /// `first_peer` (the stored value of the contract's first peer) is still unset, and none of
    /// `peers` (at most three) is zero. The contract stores the peers itself afterwards.
    ///
    /// # Errors
    /// * [`AdminError::Unauthorized`], [`AdminError::AlreadyInitialized`],
    ///   [`AdminError::ZeroAddress`].
    ///
    /// # Events
    /// * [`Initialized`]
    pub fn init_peers(&self, first_peer: Address, peers: &[Address]) -> Result<(), AdminError> {
        self.only_owner()?;
        if !first_peer.is_zero() {
            return Err(AlreadyInitialized {}.into());
        }
        if peers.iter().any(|p| p.is_zero()) {
            return Err(ZeroAddress {}.into());
        }
        let peer = |i: usize| peers.get(i).copied().unwrap_or_default();
        log(
            self.vm(),
            Initialized {
                peer1: peer(0),
                peer2: peer(1),
                peer3: peer(2),
            },
        );
        Ok(())
    }

    /// Fails unless the caller is the owner.
    ///
    /// # Errors
    /// * [`AdminError::Unauthorized`] - caller is not the owner.
    pub fn only_owner(&self) -> Result<(), AdminError> {
        let caller = self.vm().msg_sender();
        if caller == self.owner.get() {
            Ok(())
        } else {
            Err(Unauthorized { caller }.into())
        }
    }

    /// Fails if the pause bit `bit` is set.
    ///
    /// # Errors
    /// * [`AdminError::ActionPaused`] - the bit is set.
    pub fn when_not_paused(&self, bit: u8) -> Result<(), AdminError> {
        if self.paused.get().bit(usize::from(bit)) {
            Err(ActionPaused { bit }.into())
        } else {
            Ok(())
        }
    }
}

/// Implements the error conversions every protocol contract needs on its `Error` enum, which
/// must have the variants `Unauthorized`, `NotPendingOwner`, `ZeroAddress`, `ActionPaused`,
/// `AlreadyInitialized`,
/// `MathOverflow` and `PeerCallFailed`: `From<AdminError>`, `From<MathError>` and
/// `Error::peer(address)`, which wraps a failed peer call's revert data in `PeerCallFailed`.
#[macro_export]
macro_rules! contract_error_conversions {
    ($error:ident) => {
        impl From<$crate::admin::AdminError> for $error {
            fn from(e: $crate::admin::AdminError) -> Self {
                match e {
                    $crate::admin::AdminError::Unauthorized(e) => Self::Unauthorized(e),
                    $crate::admin::AdminError::NotPendingOwner(e) => Self::NotPendingOwner(e),
                    $crate::admin::AdminError::ZeroAddress(e) => Self::ZeroAddress(e),
                    $crate::admin::AdminError::ActionPaused(e) => Self::ActionPaused(e),
                    $crate::admin::AdminError::AlreadyInitialized(e) => Self::AlreadyInitialized(e),
                }
            }
        }

        impl From<$crate::math::MathError> for $error {
            fn from(_: $crate::math::MathError) -> Self {
                Self::MathOverflow($crate::abi::MathOverflow {})
            }
        }

        impl $error {
            /// A failed call to `peer`, keeping its revert data.
            fn peer(
                peer: alloy_primitives::Address,
            ) -> impl FnOnce($crate::call::CallError) -> Self {
                move |e| {
                    Self::PeerCallFailed($crate::abi::PeerCallFailed {
                        peer,
                        reason: e.data(),
                    })
                }
            }
        }
    };
}
