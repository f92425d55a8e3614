//! Rewards merkle tree: leaf hashing, index-ordered inclusion proofs, and tree building.
//!
//! Leaves (DESIGN §5.5): earner leaf = `keccak(0x00 ‖ earner ‖ earnerTokenRoot)`, token leaf =
//! `keccak(0x01 ‖ token ‖ cumulativeEarnings)` (packed: 1 + 20 + 32 bytes). Internal nodes are
//! `keccak(left ‖ right)`; the leaf index's bits pick the side at each level, so a proof commits to
//! its position. Trees are padded with zero leaves to a power of two.

use alloc::vec::Vec;

use alloy_primitives::{keccak256, Address, B256, U256};

/// Prefix byte of earner leaves.
pub const EARNER_LEAF_SALT: u8 = 0;
/// Prefix byte of token leaves.
pub const TOKEN_LEAF_SALT: u8 = 1;

/// Why a proof could not be processed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProofError {
    /// The proof is empty or not a whole number of 32-byte siblings.
    BadLength,
    /// The leaf index does not fit a tree of the proof's depth.
    IndexOutOfRange,
}

fn leaf(salt: u8, account: Address, word: [u8; 32]) -> B256 {
    let mut buf = [0u8; 53];
    buf[0] = salt;
    buf[1..21].copy_from_slice(account.as_slice());
    buf[21..].copy_from_slice(&word);
    keccak256(buf)
}

/// Hash of an earner leaf.
#[must_use]
pub fn earner_leaf_hash(earner: Address, earner_token_root: B256) -> B256 {
    leaf(EARNER_LEAF_SALT, earner, earner_token_root.0)
}

/// Hash of a token leaf.
#[must_use]
pub fn token_leaf_hash(token: Address, cumulative_earnings: U256) -> B256 {
    leaf(TOKEN_LEAF_SALT, token, cumulative_earnings.to_be_bytes())
}

fn node(left: B256, right: B256) -> B256 {
    let mut buf = [0u8; 64];
    buf[..32].copy_from_slice(left.as_slice());
    buf[32..].copy_from_slice(right.as_slice());
    keccak256(buf)
}

/// The root implied by `leaf` at `index` and `proof` (concatenated 32-byte siblings, leaf first).
///
/// # Errors
/// [`ProofError::BadLength`] for an empty or ragged proof; [`ProofError::IndexOutOfRange`] when
/// `index ≥ 2^depth`.
pub fn process_proof(proof: &[u8], index: u32, leaf: B256) -> Result<B256, ProofError> {
    if proof.is_empty() || !proof.len().is_multiple_of(32) {
        return Err(ProofError::BadLength);
    }
    let mut index = index;
    let mut computed = leaf;
    for sibling in proof.chunks_exact(32) {
        let sibling = B256::from_slice(sibling);
        computed = if index & 1 == 0 {
            node(computed, sibling)
        } else {
            node(sibling, computed)
        };
        index >>= 1;
    }
    if index != 0 {
        return Err(ProofError::IndexOutOfRange);
    }
    Ok(computed)
}

/// Whether `proof` places `leaf` at `index` under `root`.
#[must_use]
pub fn verify_proof(root: B256, proof: &[u8], index: u32, leaf: B256) -> bool {
    process_proof(proof, index, leaf) == Ok(root)
}

/// All levels of the tree over `leaves` (padded to a power of two, at least two leaves); the last
/// level holds the root alone.
#[must_use]
pub fn build_levels(leaves: &[B256]) -> Vec<Vec<B256>> {
    let width = leaves.len().max(2).next_power_of_two();
    let mut level: Vec<B256> = leaves.to_vec();
    level.resize(width, B256::ZERO);
    let mut levels = Vec::new();
    while level.len() > 1 {
        let next = level.chunks_exact(2).map(|p| node(p[0], p[1])).collect();
        levels.push(core::mem::replace(&mut level, next));
    }
    levels.push(level);
    levels
}

/// The root of the tree over `leaves`.
#[must_use]
pub fn root(leaves: &[B256]) -> B256 {
    build_levels(leaves).last().map_or(B256::ZERO, |l| l[0])
}

/// The proof (concatenated siblings) of the leaf at `index` in the tree over `leaves`, or `None`
/// when `index` is out of range.
#[must_use]
pub fn proof(leaves: &[B256], index: usize) -> Option<Vec<u8>> {
    if index >= leaves.len() {
        return None;
    }
    let levels = build_levels(leaves);
    let mut out = Vec::new();
    let mut i = index;
    for level in &levels[..levels.len() - 1] {
        out.extend_from_slice(level[i ^ 1].as_slice());
        i >>= 1;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn leaves_use_packed_salted_encoding() {
        let earner = Address::repeat_byte(0x11);
        let token_root = B256::repeat_byte(0x22);
        let mut packed = alloc::vec![0u8];
        packed.extend_from_slice(earner.as_slice());
        packed.extend_from_slice(token_root.as_slice());
        assert_eq!(earner_leaf_hash(earner, token_root), keccak256(&packed));

        let mut packed = alloc::vec![1u8];
        packed.extend_from_slice(earner.as_slice());
        packed.extend_from_slice(&U256::from(7).to_be_bytes::<32>());
        assert_eq!(token_leaf_hash(earner, U256::from(7)), keccak256(&packed));
    }

    #[test]
    fn a_two_leaf_tree_hashes_left_then_right() {
        let (a, b) = (B256::repeat_byte(1), B256::repeat_byte(2));
        assert_eq!(root(&[a, b]), node(a, b));
        assert_eq!(proof(&[a, b], 1), Some(a.to_vec()));
        assert!(verify_proof(node(a, b), a.as_slice(), 1, b));
        assert!(!verify_proof(node(a, b), a.as_slice(), 0, b));
    }

    #[test]
    fn bad_proofs_are_errors_not_panics() {
        let leaf = B256::repeat_byte(1);
        assert_eq!(process_proof(&[], 0, leaf), Err(ProofError::BadLength));
        assert_eq!(
            process_proof(&[0u8; 33], 0, leaf),
            Err(ProofError::BadLength)
        );
        assert_eq!(
            process_proof(&[0u8; 64], 4, leaf),
            Err(ProofError::IndexOutOfRange)
        );
        assert_eq!(proof(&[leaf], 1), None);
    }

    proptest! {
        #[test]
        fn every_leaf_proves_and_no_other_position_does(n in 1u8..40, seed in any::<u8>()) {
            let leaves: Vec<B256> = (0..n).map(|i| keccak256([seed, i])).collect();
            let r = root(&leaves);
            for (i, l) in leaves.iter().enumerate() {
                let p = proof(&leaves, i).unwrap();
                prop_assert!(verify_proof(r, &p, u32::try_from(i).unwrap(), *l));
                let other = (i + 1) % leaves.len().max(2).next_power_of_two();
                if other != i && leaves.get(other) != Some(l) {
                    prop_assert!(!verify_proof(r, &p, u32::try_from(other).unwrap(), *l));
                }
            }
        }
    }
}
