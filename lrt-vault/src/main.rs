//! Prints the Solidity interface of the LrtVault (`--features export-abi`; with `extension` or
//! `admin` too, of that module), with the events it emits and the structs its methods take.
#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]

#[cfg(not(any(test, feature = "export-abi")))]
#[no_mangle]
/// Placeholder so the wasm build has a `main` symbol; never called.
pub extern "C" fn main() {}

#[cfg(feature = "export-abi")]
fn main() {
    use restaking_abi::{abi::*, export::*};
    lrt_vault::print_from_args();
    print_declarations(
        &[
            struct_definition::<SignatureWithExpiry>(),
            struct_definition::<EarnerTreeMerkleLeaf>(),
            struct_definition::<TokenTreeMerkleLeaf>(),
            struct_definition::<RewardsMerkleClaim>(),
            struct_definition::<LrtBatch>(),
            struct_definition::<LrtRequest>(),
        ],
        &[
            event_declaration::<OwnershipTransferStarted>(),
            event_declaration::<OwnershipTransferred>(),
            event_declaration::<PauserSet>(),
            event_declaration::<Paused>(),
            event_declaration::<Unpaused>(),
            event_declaration::<ILrtVault::Transfer>(),
            event_declaration::<ILrtVault::Approval>(),
            event_declaration::<ILrtVault::Deposit>(),
            event_declaration::<ILrtVault::Withdraw>(),
            event_declaration::<ILrtVault::RedeemRequest>(),
            event_declaration::<ILrtVault::OperatorSet>(),
            event_declaration::<ILrtVault::BatchQueued>(),
            event_declaration::<ILrtVault::BatchCompleted>(),
            event_declaration::<ILrtVault::PerformanceFeeMinted>(),
            event_declaration::<ILrtVault::CuratorSet>(),
            event_declaration::<ILrtVault::TreasurySet>(),
            event_declaration::<ILrtVault::PerformanceFeeSet>(),
            event_declaration::<ILrtVault::VaultCapSet>(),
            event_declaration::<ILrtVault::WithdrawalRecorded>(),
            event_declaration::<ILrtVault::RecordedWithdrawalCompleted>(),
        ],
    );
}
