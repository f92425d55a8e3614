//! Solidity declarations of the ABI's events, structs and errors, for the exported interfaces in
//! `abi/`.
//!
//! stylus-sdk 0.9's export-abi prints functions and the errors of a contract's own `Error` enum
//! but no events, and no definitions of structs used only as parameters. Each contract's export
//! `main` prints those declarations with these helpers (and a contract that re-raises a peer's
//! errors, those errors), generated from the same `sol!` block the contract compiles against, so
//! the committed ABI cannot disagree with the code.

use alloc::{format, string::String, vec::Vec};

use alloy_sol_types::{private::alloy_json_abi::Param, JsonAbiExt, SolStruct};

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
    let event = E::abi();
    let params: Vec<String> = event
        .inputs
        .iter()
        .map(|p| {
            let indexed = if p.indexed { " indexed" } else { "" };
            format!(
                "{}{indexed} {}",
                solidity_type(&p.selector_type(), &p.ty),
                p.name
            )
        })
        .collect();
    format!("event {}({});", event.name, params.join(", "))
}

/// `error Name(type name, …);` for an ABI error.
#[must_use]
pub fn error_declaration<E: JsonAbiExt<Abi = alloy_sol_types::private::alloy_json_abi::Error>>(
) -> String {
    let error = E::abi();
    let params: Vec<String> = error
        .inputs
        .iter()
        .map(|p: &Param| format!("{} {}", solidity_type(&p.selector_type(), &p.ty), p.name))
        .collect();
    format!("error {}({});", error.name, params.join(", "))
}

/// A parameter's Solidity type: alloy spells struct parameters `tuple`; Solidity wants their
/// names, found by signature.
fn solidity_type(sig: &str, ty: &str) -> String {
    let base = sig.trim_end_matches("[]");
    crate::abi::STRUCT_TUPLES
        .iter()
        .find(|(_, tuple)| *tuple == base)
        .map_or_else(
            || ty.into(),
            |(name, _)| format!("{name}{}", &sig[base.len()..]),
        )
}

/// Prints file-level declarations (structs, then events and errors) after the SDK's interface,
/// unless the export binary was asked for something else (such as `constructor`).
pub fn print_declarations(structs: &[String], items: &[String]) {
    if std::env::args().len() > 1 {
        return;
    }
    std::println!();
    for line in structs.iter().chain(items) {
        std::println!("{line}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::abi::{
        AllocateParams, Deposit, OperatorNotSlashable, OperatorSet, WithdrawalQueued,
    };

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
        assert_eq!(
            error_declaration::<OperatorNotSlashable>(),
            "error OperatorNotSlashable(address operator, address avs, uint32 id);"
        );
    }
}
