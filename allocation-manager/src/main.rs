//! Prints the Solidity interface of the AllocationManager (`--features export-abi`; with
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
    allocation_manager::print_from_args();
    print_declarations(
        &[
            struct_definition::<OperatorSet>(),
            struct_definition::<AllocateParams>(),
            struct_definition::<Allocation>(),
            struct_definition::<CreateSetParams>(),
            struct_definition::<SlashingParams>(),
            struct_definition::<SlashOutcome>(),
        ],
        &[
            event_declaration::<OwnershipTransferStarted>(),
            event_declaration::<OwnershipTransferred>(),
            event_declaration::<PauserSet>(),
            event_declaration::<Paused>(),
            event_declaration::<Unpaused>(),
            event_declaration::<Initialized>(),
            event_declaration::<AvsMetadataUriUpdated>(),
            event_declaration::<AvsRegistrarSet>(),
            event_declaration::<OperatorSetCreated>(),
            event_declaration::<StrategyAddedToOperatorSet>(),
            event_declaration::<StrategyRemovedFromOperatorSet>(),
            event_declaration::<OperatorAddedToOperatorSet>(),
            event_declaration::<OperatorRemovedFromOperatorSet>(),
            event_declaration::<AllocationDelaySet>(),
            event_declaration::<AllocationUpdated>(),
            event_declaration::<EncumberedMagnitudeUpdated>(),
            event_declaration::<MaxMagnitudeUpdated>(),
            event_declaration::<OperatorSlashed>(),
        ],
    );
}
