//! Every module the build ships passes Nitro's activation rules as the devnode applies them,
//! DataCount rule included: wasm-ld writes a DataCount section (id 12) whenever bulk memory is
//! on, Nitro's parser refuses it, and the build removes it (`devnode::activation::nitro_module`).
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

use devnode::activation::{self, DATA_COUNT_SECTION};
use integration::{contract_code, MOCK_PROGRAMS, PROGRAMS};

/// The ids of a module's sections, in order.
fn section_ids(wasm: &[u8]) -> Vec<u8> {
    let mut ids = Vec::new();
    let mut pos = 8;
    while let Some(&id) = wasm.get(pos) {
        let mut reader = wasmparser::BinaryReader::new(&wasm[pos + 1..], 0);
        let size = reader.read_var_u32().unwrap() as usize;
        ids.push(id);
        pos += 1 + reader.original_position() + size;
    }
    ids
}

#[test]
fn every_shipped_module_activates_under_nitro_s_rules() {
    for name in PROGRAMS.into_iter().chain(MOCK_PROGRAMS) {
        let wasm = devnode::decompress(&contract_code(name).unwrap()).unwrap();
        let ids = section_ids(&wasm);
        assert!(!ids.contains(&DATA_COUNT_SECTION), "{name}: {ids:?}");
        assert!(!ids.contains(&0), "{name} ships custom sections: {ids:?}");
        activation::validate(&wasm).unwrap_or_else(|e| panic!("{name}: {e}"));
        // Already what the build would make of it.
        assert_eq!(activation::nitro_module(&wasm).unwrap(), wasm, "{name}");
    }
}
