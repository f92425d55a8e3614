//! Every module the build ships passes Nitro's activation rules as the devnode applies them,
//! DataCount rule included: wasm-ld writes a DataCount section (id 12) whenever bulk memory is
//! on, Nitro's parser refuses it, and the build removes it (`devnode::activation::nitro_module`).
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

use devnode::activation::{self, DATA_COUNT_SECTION};
use integration::{contract_code, MOCK_PROGRAMS, PROGRAMS};

#[test]
fn every_shipped_module_activates_under_nitro_s_rules() {
    for name in PROGRAMS.into_iter().chain(MOCK_PROGRAMS) {
        let wasm = devnode::decompress(&contract_code(name).unwrap()).unwrap();
        let ids: Vec<u8> = activation::sections(&wasm)
            .unwrap()
            .into_iter()
            .map(|(id, _)| id)
            .collect();
        assert!(!ids.contains(&DATA_COUNT_SECTION), "{name}: {ids:?}");
        assert!(!ids.contains(&0), "{name} ships custom sections: {ids:?}");
        activation::validate(&wasm).unwrap_or_else(|e| panic!("{name}: {e}"));
        // Already what the build would make of it.
        assert_eq!(activation::nitro_module(&wasm).unwrap(), wasm, "{name}");
    }
}
