//! Prints the Solidity interface of the DelegationManager (`--features export-abi`; with
//! `extension` too, of its extension module), with the events it emits and the structs its
//! methods take.
#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]

#[cfg(not(any(test, feature = "export-abi")))]
#[no_mangle]
/// Placeholder so the wasm build has a `main` symbol; never called.
pub extern "C" fn main() {}

#[cfg(feature = "export-abi")]
fn main() {
    use restaking_abi::{abi::*, export::*};
    delegation_manager::print_from_args();
    print_declarations(
        &[
            struct_definition::<OperatorSet>(),
            struct_definition::<SignatureWithExpiry>(),
            struct_definition::<QueuedWithdrawalParams>(),
            struct_definition::<Withdrawal>(),
            struct_definition::<QueuedWithdrawal>(),
        ],
        &[
            event_declaration::<OwnershipTransferStarted>(),
            event_declaration::<OwnershipTransferred>(),
            event_declaration::<PauserSet>(),
            event_declaration::<Paused>(),
            event_declaration::<Unpaused>(),
            event_declaration::<Initialized>(),
            event_declaration::<OperatorRegistered>(),
            event_declaration::<OperatorDetailsModified>(),
            event_declaration::<OperatorMetadataUriUpdated>(),
            event_declaration::<StakerDelegated>(),
            event_declaration::<DepositScalingFactorUpdated>(),
            event_declaration::<OperatorSharesIncreased>(),
            event_declaration::<OperatorSharesDecreased>(),
            event_declaration::<OperatorSharesSlashed>(),
            event_declaration::<StakerUndelegated>(),
            event_declaration::<StakerForceUndelegated>(),
            event_declaration::<WithdrawalQueued>(),
            event_declaration::<WithdrawalCompleted>(),
        ],
    );
}
