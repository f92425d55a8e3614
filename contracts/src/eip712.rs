//! EIP-712 domain separator, typehashes and digests of the protocol's signed messages.
//!
//! Domain: `EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)`
//! with name [`DOMAIN_NAME`] and version [`DOMAIN_VERSION`]; the chain id and the verifying
//! contract bind a signature to one deployment on one chain (no cross-chain replay).

use alloc::vec::Vec;

use alloy_primitives::{b256, keccak256, Address, B256, U256};

/// Domain name shared by the protocol's contracts.
pub const DOMAIN_NAME: &str = "Restaking";
/// Domain version.
pub const DOMAIN_VERSION: &str = "1";

/// `keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)")`.
pub const DOMAIN_TYPEHASH: B256 =
    b256!("8b73c3c69bb8fe3d512ecc4cf759cc79239f7b179b0ffacaa9a75d522b39400f");
/// `keccak256("Restaking")`.
pub const DOMAIN_NAME_HASH: B256 =
    b256!("394e0578172a982dfb81b5185ce93739c85d342b157a8e5f8de8226610bab05d");
/// `keccak256("1")`.
pub const DOMAIN_VERSION_HASH: B256 =
    b256!("c89efdaa54c0f20c7adf612882df0950f5a951637e0307cdcb4c672f298b8bc6");
/// `keccak256("Deposit(address staker,address strategy,uint256 amount,uint256 nonce,uint256 expiry)")`.
pub const DEPOSIT_TYPEHASH: B256 =
    b256!("da2495c1fbf238369f1a0fcae81a1e572f802419666701aef69efabcaad42ede");
/// `keccak256("DelegationApproval(address approver,address staker,address operator,bytes32 salt,uint256 expiry)")`.
pub const DELEGATION_APPROVAL_TYPEHASH: B256 =
    b256!("a46cd4f052a41f953abd28319202528864e67e7d931248d892e88625cbf6bc92");

fn word_of_address(a: Address) -> [u8; 32] {
    let mut w = [0u8; 32];
    w[12..].copy_from_slice(a.as_slice());
    w
}

fn hash_words(words: &[[u8; 32]]) -> B256 {
    let mut buf = Vec::with_capacity(words.len() * 32);
    for w in words {
        buf.extend_from_slice(w);
    }
    keccak256(&buf)
}

/// The domain separator of `verifying_contract` on `chain_id`.
#[must_use]
pub fn domain_separator(chain_id: u64, verifying_contract: Address) -> B256 {
    hash_words(&[
        DOMAIN_TYPEHASH.0,
        DOMAIN_NAME_HASH.0,
        DOMAIN_VERSION_HASH.0,
        U256::from(chain_id).to_be_bytes(),
        word_of_address(verifying_contract),
    ])
}

/// `keccak256(0x1901 ‖ domain_separator ‖ struct_hash)`.
#[must_use]
pub fn typed_data_digest(domain_separator: B256, struct_hash: B256) -> B256 {
    let mut buf = [0u8; 66];
    buf[0] = 0x19;
    buf[1] = 0x01;
    buf[2..34].copy_from_slice(domain_separator.as_slice());
    buf[34..].copy_from_slice(struct_hash.as_slice());
    keccak256(buf)
}

/// Struct hash of `Deposit(staker, strategy, amount, nonce, expiry)`.
#[must_use]
pub fn deposit_struct_hash(
    staker: Address,
    strategy: Address,
    amount: U256,
    nonce: U256,
    expiry: U256,
) -> B256 {
    hash_words(&[
        DEPOSIT_TYPEHASH.0,
        word_of_address(staker),
        word_of_address(strategy),
        amount.to_be_bytes(),
        nonce.to_be_bytes(),
        expiry.to_be_bytes(),
    ])
}

/// The digest a staker signs to authorise a deposit into `strategy` through `strategy_manager`
/// on `chain_id`.
#[must_use]
pub fn deposit_digest(
    chain_id: u64,
    strategy_manager: Address,
    staker: Address,
    strategy: Address,
    amount: U256,
    nonce: U256,
    expiry: U256,
) -> B256 {
    typed_data_digest(
        domain_separator(chain_id, strategy_manager),
        deposit_struct_hash(staker, strategy, amount, nonce, expiry),
    )
}

/// Struct hash of `DelegationApproval(approver, staker, operator, salt, expiry)`.
#[must_use]
pub fn delegation_approval_struct_hash(
    approver: Address,
    staker: Address,
    operator: Address,
    salt: B256,
    expiry: U256,
) -> B256 {
    hash_words(&[
        DELEGATION_APPROVAL_TYPEHASH.0,
        word_of_address(approver),
        word_of_address(staker),
        word_of_address(operator),
        salt.0,
        expiry.to_be_bytes(),
    ])
}

#[cfg(test)]
mod tests {
    use alloy_sol_types::{eip712_domain, sol, SolStruct};

    use super::*;

    sol! {
        struct Deposit { address staker; address strategy; uint256 amount; uint256 nonce; uint256 expiry; }
        struct DelegationApproval { address approver; address staker; address operator; bytes32 salt; uint256 expiry; }
    }

    #[test]
    fn typehashes_are_the_hashes_of_their_type_strings() {
        assert_eq!(DOMAIN_TYPEHASH, keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"));
        assert_eq!(DOMAIN_NAME_HASH, keccak256(DOMAIN_NAME));
        assert_eq!(DOMAIN_VERSION_HASH, keccak256(DOMAIN_VERSION));
        assert_eq!(DEPOSIT_TYPEHASH, keccak256("Deposit(address staker,address strategy,uint256 amount,uint256 nonce,uint256 expiry)"));
        assert_eq!(
            DELEGATION_APPROVAL_TYPEHASH,
            keccak256("DelegationApproval(address approver,address staker,address operator,bytes32 salt,uint256 expiry)")
        );
    }

    #[test]
    fn digests_match_alloys_eip712_implementation() {
        let contract = Address::repeat_byte(0xAB);
        let domain = eip712_domain! { name: DOMAIN_NAME, version: DOMAIN_VERSION, chain_id: 42161, verifying_contract: contract, };
        assert_eq!(domain_separator(42161, contract), domain.separator());

        let msg = Deposit {
            staker: Address::repeat_byte(1),
            strategy: Address::repeat_byte(2),
            amount: U256::from(3),
            nonce: U256::from(4),
            expiry: U256::from(5),
        };
        let ours = typed_data_digest(
            domain_separator(42161, contract),
            deposit_struct_hash(msg.staker, msg.strategy, msg.amount, msg.nonce, msg.expiry),
        );
        assert_eq!(ours, msg.eip712_signing_hash(&domain));

        let approval = DelegationApproval {
            approver: Address::repeat_byte(1),
            staker: Address::repeat_byte(2),
            operator: Address::repeat_byte(3),
            salt: B256::repeat_byte(4),
            expiry: U256::from(5),
        };
        let ours = typed_data_digest(
            domain_separator(42161, contract),
            delegation_approval_struct_hash(
                approval.approver,
                approval.staker,
                approval.operator,
                approval.salt,
                approval.expiry,
            ),
        );
        assert_eq!(ours, approval.eip712_signing_hash(&domain));
    }

    #[test]
    fn chain_id_and_contract_change_the_domain() {
        let a = Address::repeat_byte(1);
        assert_ne!(domain_separator(1, a), domain_separator(42161, a));
        assert_ne!(
            domain_separator(1, a),
            domain_separator(1, Address::repeat_byte(2))
        );
    }
}
