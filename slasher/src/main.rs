//! Prints the Solidity interface of the Slasher (`--features export-abi`), with the events it
//! emits and the structs its methods take.
#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]

#[cfg(not(any(test, feature = "export-abi")))]
#[no_mangle]
/// Placeholder so the wasm build has a `main` symbol; never called.
pub extern "C" fn main() {}

#[cfg(feature = "export-abi")]
fn main() {
    use restaking_abi::{abi::*, export::*};
    slasher::print_from_args();
    print_declarations(
        &[
            struct_definition::<OperatorSet>(),
            struct_definition::<SlasherConfig>(),
            struct_definition::<SlashOutcome>(),
            struct_definition::<SlashRequest>(),
        ],
        &[
            event_declaration::<OwnershipTransferStarted>(),
            event_declaration::<OwnershipTransferred>(),
            event_declaration::<PauserSet>(),
            event_declaration::<Paused>(),
            event_declaration::<Unpaused>(),
            event_declaration::<SlasherConfigQueued>(),
            event_declaration::<SlashRequested>(),
            event_declaration::<SlashVetoed>(),
            event_declaration::<SlashCancelled>(),
            event_declaration::<SlashExecuted>(),
            // Re-raised unchanged from the AllocationManager.
            error_declaration::<OperatorNotSlashable>(),
            error_declaration::<StrategyNotInSet>(),
            error_declaration::<InvalidWad>(),
            error_declaration::<LengthMismatch>(),
            error_declaration::<StrategiesNotSorted>(),
            error_declaration::<ZeroAmount>(),
        ],
    );
}
