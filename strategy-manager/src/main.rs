//! Prints the Solidity interface of the StrategyManager (`--features export-abi`), with the events
//! it emits and the structs its methods take.
#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]

#[cfg(not(any(test, feature = "export-abi")))]
#[no_mangle]
/// Placeholder so the wasm build has a `main` symbol; never called.
pub extern "C" fn main() {}

#[cfg(feature = "export-abi")]
fn main() {
    use restaking_abi::{abi::*, export::*};
    strategy_manager::print_from_args();
    print_declarations(
        &[struct_definition::<OperatorSet>()],
        &[
            event_declaration::<OwnershipTransferStarted>(),
            event_declaration::<OwnershipTransferred>(),
            event_declaration::<PauserSet>(),
            event_declaration::<Paused>(),
            event_declaration::<Unpaused>(),
            event_declaration::<Initialized>(),
            event_declaration::<StrategyWhitelistSet>(),
            event_declaration::<DepositCapSet>(),
            event_declaration::<Deposit>(),
            event_declaration::<DepositSharesRemoved>(),
            event_declaration::<DepositSharesAdded>(),
            event_declaration::<SharesWithdrawnAsTokens>(),
            event_declaration::<SlashedSharesRecorded>(),
            event_declaration::<SlashedSharesCleared>(),
        ],
    );
}
