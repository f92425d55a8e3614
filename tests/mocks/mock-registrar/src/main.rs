//! Prints the Solidity interface of the mock registrar (`--features export-abi`).
#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]

#[cfg(not(any(test, feature = "export-abi")))]
#[no_mangle]
/// Placeholder so the wasm build has a `main` symbol; never called.
pub extern "C" fn main() {}

#[cfg(feature = "export-abi")]
fn main() {
    mock_registrar::print_from_args();
}
