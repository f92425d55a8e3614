//! Prints the Solidity interface of the mock token (`--features export-abi`) with its events.
#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]

#[cfg(not(any(test, feature = "export-abi")))]
#[no_mangle]
/// Placeholder so the wasm build has a `main` symbol; never called.
pub extern "C" fn main() {}

#[cfg(feature = "export-abi")]
fn main() {
    use mock_token::{Approval, RateSet, ReentryAttempted, Transfer};
    use restaking_abi::export::{event_declaration, print_declarations};
    mock_token::print_from_args();
    print_declarations(
        &[],
        &[
            event_declaration::<Transfer>(),
            event_declaration::<Approval>(),
            event_declaration::<RateSet>(),
            event_declaration::<ReentryAttempted>(),
        ],
    );
}
