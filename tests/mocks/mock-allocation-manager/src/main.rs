//! Prints the Solidity interface of the mock AllocationManager (`--features export-abi`).
#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]

#[cfg(not(any(test, feature = "export-abi")))]
#[no_mangle]
/// Placeholder so the wasm build has a `main` symbol; never called.
pub extern "C" fn main() {}

#[cfg(feature = "export-abi")]
fn main() {
    use restaking_abi::{abi::OperatorSet, export::*};
    mock_allocation_manager::print_from_args();
    print_declarations(&[struct_definition::<OperatorSet>()], &[]);
}
