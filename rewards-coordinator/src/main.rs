//! Prints the Solidity interface of the RewardsCoordinator (`--features export-abi`), with the
//! events it emits and the structs its methods take.
#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]

#[cfg(not(any(test, feature = "export-abi")))]
#[no_mangle]
/// Placeholder so the wasm build has a `main` symbol; never called.
pub extern "C" fn main() {}

#[cfg(feature = "export-abi")]
fn main() {
    use restaking_abi::{abi::*, export::*};
    rewards_coordinator::print_from_args();
    print_declarations(
        &[
            struct_definition::<StrategyAndMultiplier>(),
            struct_definition::<RewardsSubmission>(),
            struct_definition::<OperatorReward>(),
            struct_definition::<OperatorDirectedRewardsSubmission>(),
            struct_definition::<RewardsParameters>(),
            struct_definition::<DistributionRoot>(),
            struct_definition::<EarnerTreeMerkleLeaf>(),
            struct_definition::<TokenTreeMerkleLeaf>(),
            struct_definition::<RewardsMerkleClaim>(),
        ],
        &[
            event_declaration::<OwnershipTransferStarted>(),
            event_declaration::<OwnershipTransferred>(),
            event_declaration::<PauserSet>(),
            event_declaration::<Paused>(),
            event_declaration::<Unpaused>(),
            event_declaration::<AvsRewardsSubmissionCreated>(),
            event_declaration::<OperatorDirectedRewardsSubmissionCreated>(),
            event_declaration::<RewardsUpdaterSet>(),
            event_declaration::<DistributionRootSubmitted>(),
            event_declaration::<DistributionRootDisabled>(),
            event_declaration::<ClaimerForSet>(),
            event_declaration::<RewardsClaimed>(),
            event_declaration::<OperatorAvsSplitSet>(),
        ],
    );
}
