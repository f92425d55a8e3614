//! Solidity declarations of the ABI's events and structs, for the exported interfaces in `abi/`.
//!
//! stylus-sdk 0.9's export-abi prints functions and errors but no events, and no definitions of
//! structs used only as parameters. Each contract's export `main` prints those declarations with
//! these helpers, generated from the same `sol!` block the contract compiles against, so the
//! committed ABI cannot disagree with the code.

use alloc::{format, string::String, vec::Vec};

use alloy_sol_types::{JsonAbiExt, SolStruct};

/// `struct Name { type field; … }` for an ABI struct.
#[must_use]
pub fn struct_definition<T: SolStruct>() -> String {
    // The EIP-712 root type is `Name(type field,type field)`, with nested structs by name.
    let root = T::eip712_root_type();
    let (name, fields) = root.split_once('(').unwrap_or((&root, ")"));
    let fields: Vec<String> = fields
        .trim_end_matches(')')
        .split(',')
        .filter(|f| !f.is_empty())
        .map(|f| format!("{f};"))
        .collect();
    format!("struct {name} {{ {} }}", fields.join(" "))
}

/// `event Name(type [indexed] name, …);` for an ABI event.
#[must_use]
pub fn event_declaration<E: JsonAbiExt<Abi = alloy_sol_types::private::alloy_json_abi::Event>>(
) -> String {
    // alloy spells struct parameters `tuple`; Solidity wants their names, found by signature.
    let event = E::abi();
    let params: Vec<String> = event
        .inputs
        .iter()
        .map(|p| {
            let sig = p.selector_type();
            let base = sig.trim_end_matches("[]");
            let ty = crate::abi::STRUCT_TUPLES
                .iter()
                .find(|(_, tuple)| *tuple == base)
                .map_or_else(
                    || p.ty.clone(),
                    |(name, _)| format!("{name}{}", &sig[base.len()..]),
                );
            let indexed = if p.indexed { " indexed" } else { "" };
            format!("{ty}{indexed} {}", p.name)
        })
        .collect();
    format!("event {}({});", event.name, params.join(", "))
}

/// Prints file-level declarations after the SDK's interface, unless the export binary was asked
/// for something else (such as `constructor`).
pub fn print_declarations(structs: &[String], events: &[String]) {
    if std::env::args().len() > 1 {
        return;
    }
    std::println!();
    for line in structs.iter().chain(events) {
        std::println!("{line}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::abi::{AllocateParams, Deposit, OperatorSet, WithdrawalQueued};

    #[test]
    fn declarations_are_solidity() {
        assert_eq!(
            struct_definition::<OperatorSet>(),
            "struct OperatorSet { address avs; uint32 id; }"
        );
        assert_eq!(
            struct_definition::<AllocateParams>(),
            "struct AllocateParams { OperatorSet operatorSet; address[] strategies; uint64[] newMagnitudes; }"
        );
        assert_eq!(
            event_declaration::<Deposit>(),
            "event Deposit(address indexed staker, address indexed strategy, uint256 amount, uint256 shares);"
        );
        assert_eq!(
            event_declaration::<WithdrawalQueued>(),
            "event WithdrawalQueued(bytes32 indexed withdrawalRoot, Withdrawal withdrawal, uint256[] sharesToWithdraw);"
        );
    }
}
