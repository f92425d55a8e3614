//! Hand-written modules that Nitro accepts, and one rejected module per activation rule.

use std::fmt::Write as _;

use super::*;

/// Assembles a WAT module; the test text is static, so a syntax error is a test bug.
fn wasm(wat: &str) -> Vec<u8> {
    wat::parse_str(wat).expect("test WAT must assemble")
}

/// Validates a WAT module and returns the error (panics when it is accepted).
fn reject(wat: &str) -> ActivationError {
    match validate(&wasm(wat)) {
        Ok(report) => panic!("module was accepted: {report:?}"),
        Err(e) => e,
    }
}

/// A module that imports the two host functions every SDK contract imports, exports its
/// memory and an entrypoint, and puts `body` in the entrypoint.
fn contract(extra: &str, body: &str) -> String {
    contract_importing("", extra, body)
}

/// [`contract`] with extra `imports` after the two standard ones.
fn contract_importing(imports: &str, extra: &str, body: &str) -> String {
    format!(
        r#"(module
            (import "vm_hooks" "pay_for_memory_grow" (func $pay (param i32)))
            (import "vm_hooks" "read_args" (func $read_args (param i32)))
            {imports}
            (memory (export "memory") 1)
            {extra}
            (func (export "user_entrypoint") (param i32) (result i32)
                {body}
                i32.const 0))"#
    )
}

#[test]
fn minimal_contract_is_accepted_with_its_report() {
    let report = validate(&wasm(&contract("", "i32.const 0 call $pay"))).expect("valid");
    assert_eq!(report.functions, 1);
    assert_eq!(report.imports, ["pay_for_memory_grow", "read_args"]);
    assert_eq!(report.exports, 2);
    assert_eq!(report.data_segments, 0);
    assert_eq!(report.memory_pages, 1);
    assert_eq!(report.memory_max_pages, None);
}

#[test]
fn allowed_features_are_accepted() {
    // bulk memory's copy and fill (not memory.init / data.drop: they need the DataCount section
    // Nitro refuses), sign extension, a mutable global, a funcref table with call_indirect, a
    // data segment, i64 arithmetic and single-result blocks.
    let extra = r#"
        (type $unary (func (param i32) (result i32)))
        (global $g (mut i32) (i32.const 7))
        (table 2 funcref)
        (elem (i32.const 0) $id $id)
        (data (i32.const 16) "hello")
        (func $id (param i32) (result i32) local.get 0)
    "#;
    let body = r"
        (memory.copy (i32.const 0) (i32.const 16) (i32.const 5))
        (memory.fill (i32.const 32) (i32.const 0) (i32.const 8))
        (global.set $g (i32.extend8_s (global.get $g)))
        (drop (i64.extend32_s (i64.add (i64.const 1) (i64.const 2))))
        (drop (block (result i32) (call_indirect (type $unary) (i32.const 3) (i32.const 1))))
        (drop (memory.grow (i32.const 1)))
    ";
    let report = validate(&wasm(&contract(extra, body))).expect("valid");
    assert_eq!(report.functions, 2);
    assert_eq!(report.data_segments, 1);
    assert_eq!(report.element_segments, 1);
    assert_eq!(report.globals, 1);
    assert_eq!(report.table_entries, 2);
}

#[test]
fn fixed_size_memory_needs_no_pay_for_memory_grow() {
    let wat = r#"(module
        (memory (export "memory") 2 2)
        (func (export "user_entrypoint") (param i32) (result i32) i32.const 0))"#;
    let report = validate(&wasm(wat)).expect("valid");
    assert!(report.imports.is_empty());
    assert_eq!(report.memory_max_pages, Some(2));
}

#[test]
fn rejects_float_instruction() {
    let err = reject(&contract(
        "",
        "(drop (f32.add (f32.const 1) (f32.const 2)))",
    ));
    assert!(
        matches!(
            err,
            ActivationError::Float {
                location: Location::Instruction {
                    func: 2,
                    op: "F32Const"
                }
            }
        ),
        "{err:?}"
    );
}

#[test]
fn rejects_float_conversion_of_integers() {
    let err = reject(&contract(
        "",
        "(drop (i32.reinterpret_f32 (f32.convert_i32_s (i32.const 1))))",
    ));
    assert!(
        matches!(
            err,
            ActivationError::Float {
                location: Location::Instruction { .. }
            }
        ),
        "{err:?}"
    );
}

#[test]
fn rejects_float_type() {
    let err = reject(&contract("(func $f (param f64))", ""));
    assert!(
        matches!(
            err,
            ActivationError::Float {
                location: Location::Type { .. }
            }
        ),
        "{err:?}"
    );
}

#[test]
fn rejects_multi_value_function_type() {
    let err = reject(&contract(
        "(func $pair (result i32 i32) i32.const 1 i32.const 2)",
        "",
    ));
    assert!(
        matches!(&err, ActivationError::MultiValue { location: Location::Type { .. }, detail }
            if detail.contains("2 results")),
        "{err:?}"
    );
}

#[test]
fn rejects_multi_value_block_type() {
    let extra = "(type $bin (func (param i32 i32) (result i32)))";
    let body = "(drop (i32.const 1) (i32.const 2) (block (type $bin) (param i32 i32) (result i32) i32.add))";
    let err = reject(&contract(extra, body));
    assert!(
        matches!(&err, ActivationError::MultiValue { location: Location::Instruction { op: "Block", .. }, detail }
            if detail.contains("2 params")),
        "{err:?}"
    );
}

#[test]
fn rejects_externref_table() {
    let err = reject(&contract("(table 1 externref)", ""));
    assert!(
        matches!(&err, ActivationError::ReferenceTypes { location: Location::Table { index: 0 }, detail }
            if detail.contains("externref")),
        "{err:?}"
    );
}

#[test]
fn rejects_ref_null() {
    let err = reject(&contract("", "(drop (ref.is_null (ref.null func)))"));
    assert!(
        matches!(
            err,
            ActivationError::ReferenceTypes {
                location: Location::Instruction { op: "RefNull", .. },
                ..
            }
        ),
        "{err:?}"
    );
}

#[test]
fn rejects_second_table() {
    let err = reject(&contract("(table 1 funcref) (table 1 funcref)", ""));
    assert!(
        matches!(&err, ActivationError::ReferenceTypes { location: Location::Table { index: 1 }, detail }
            if detail == "more than one table"),
        "{err:?}"
    );
}

#[test]
fn rejects_overlong_call_indirect_table_immediate() {
    // call_indirect type 0 with the table index as a padded 5-byte LEB (what wasm-ld writes
    // when LLVM targets reference types) and with the MVP single zero byte.
    let location = Location::Instruction {
        func: 0,
        op: "CallIndirect",
    };
    let err = check_call_indirect_encoding(&[0x11, 0x00, 0x80, 0x80, 0x80, 0x80, 0x00], &location);
    assert!(
        matches!(err, Err(ActivationError::ReferenceTypes { .. })),
        "{err:?}"
    );
    let padded_type = [0x11, 0x80, 0x80, 0x80, 0x80, 0x00, 0x00];
    assert_eq!(
        check_call_indirect_encoding(&padded_type, &location),
        Ok(())
    );
}

#[test]
fn rejects_simd() {
    let err = reject(&contract(
        "",
        "(drop (i32x4.extract_lane 0 (v128.const i32x4 1 2 3 4)))",
    ));
    assert!(
        matches!(
            err,
            ActivationError::Simd {
                location: Location::Instruction {
                    op: "V128Const",
                    ..
                }
            }
        ),
        "{err:?}"
    );
}

#[test]
fn rejects_threads() {
    let wat = r#"(module
        (import "vm_hooks" "pay_for_memory_grow" (func (param i32)))
        (memory (export "memory") 1 2 shared)
        (func (export "user_entrypoint") (param i32) (result i32) i32.const 0))"#;
    assert!(matches!(reject(wat), ActivationError::Threads { .. }));
}

#[test]
fn rejects_tail_calls() {
    let err = reject(&contract("(func $t (result i32) (return_call $t))", ""));
    assert!(matches!(err, ActivationError::TailCall { .. }), "{err:?}");
}

#[test]
fn rejects_start_function() {
    let err = reject(&contract("(func $init) (start $init)", ""));
    assert_eq!(err, ActivationError::StartFunction { func: 2 });
}

#[test]
fn rejects_missing_memory_export() {
    let wat = r#"(module
        (memory 1 1)
        (func (export "user_entrypoint") (param i32) (result i32) i32.const 0))"#;
    assert_eq!(
        reject(wat),
        ActivationError::MissingExport { name: "memory" }
    );
}

#[test]
fn rejects_missing_entrypoint_export() {
    let wat = r#"(module
        (memory (export "memory") 1 1)
        (func (export "main") (param i32) (result i32) i32.const 0))"#;
    assert_eq!(
        reject(wat),
        ActivationError::MissingExport {
            name: "user_entrypoint"
        }
    );
}

#[test]
fn rejects_memory_export_of_wrong_kind() {
    let wat = r#"(module
        (memory 1 1)
        (global (export "memory") i32 (i32.const 0))
        (func (export "user_entrypoint") (param i32) (result i32) i32.const 0))"#;
    assert_eq!(
        reject(wat),
        ActivationError::WrongExportKind {
            name: "memory",
            expected: "memory",
            found: "global"
        }
    );
}

#[test]
fn rejects_wrong_entrypoint_type() {
    let wat = r#"(module
        (memory (export "memory") 1 1)
        (func (export "user_entrypoint") (param i64) (result i32) i32.const 0))"#;
    assert_eq!(
        reject(wat),
        ActivationError::WrongEntrypointType {
            found: "(i64) -> i32".into()
        }
    );
}

#[test]
fn rejects_foreign_import_module() {
    let err = reject(&contract_importing(
        r#"(import "env" "abort" (func))"#,
        "",
        "",
    ));
    assert_eq!(
        err,
        ActivationError::ForeignImportModule {
            module: "env".into(),
            name: "abort".into()
        }
    );
}

#[test]
fn rejects_unknown_hostio() {
    let err = reject(&contract_importing(
        r#"(import "vm_hooks" "log_txt" (func (param i32 i32)))"#,
        "",
        "",
    ));
    assert_eq!(
        err,
        ActivationError::UnknownHostio {
            name: "log_txt".into()
        }
    );
}

#[test]
fn rejects_wrong_hostio_signature() {
    let err = reject(&contract_importing(
        r#"(import "vm_hooks" "block_timestamp" (func (result i32)))"#,
        "",
        "",
    ));
    assert_eq!(
        err,
        ActivationError::WrongHostioSignature {
            name: "block_timestamp".into(),
            expected: "() -> i64".into(),
            found: "() -> i32".into(),
        }
    );
}

#[test]
fn rejects_non_function_import() {
    let err = reject(&contract_importing(
        r#"(import "vm_hooks" "g" (global i32))"#,
        "",
        "",
    ));
    assert!(
        matches!(
            err,
            ActivationError::NonFunctionImport { kind: "global", .. }
        ),
        "{err:?}"
    );
}

#[test]
fn rejects_too_many_locals() {
    let locals = " i32".repeat(349);
    let err = reject(&contract(&format!("(func $big (local{locals}))"), ""));
    assert_eq!(
        err,
        ActivationError::TooManyLocals {
            func: 2,
            count: 349,
            limit: 348
        }
    );
    // Exactly at the limit is fine.
    let locals = " i64".repeat(348);
    validate(&wasm(&contract(
        &format!("(func $big (local{locals}))"),
        "",
    )))
    .expect("at the limit");
}

#[test]
fn rejects_memory_too_large() {
    let wat = r#"(module
        (import "vm_hooks" "pay_for_memory_grow" (func (param i32)))
        (memory (export "memory") 129)
        (func (export "user_entrypoint") (param i32) (result i32) i32.const 0))"#;
    assert_eq!(
        reject(wat),
        ActivationError::MemoryTooLarge {
            pages: 129,
            limit: 128
        }
    );
}

#[test]
fn rejects_memory_grow_without_pay_for_memory_grow() {
    let wat = r#"(module
        (memory (export "memory") 1)
        (func (export "user_entrypoint") (param i32) (result i32)
            (memory.grow (i32.const 1))))"#;
    assert_eq!(
        reject(wat),
        ActivationError::MissingPayForMemoryGrow {
            initial: 1,
            maximum: None
        }
    );
}

#[test]
fn rejects_too_many_data_segments() {
    let data = (0..129).fold(String::new(), |mut s, i| {
        let _ = write!(s, r#"(data (i32.const {i}) "x")"#);
        s
    });
    let err = reject(&contract(&data, ""));
    assert_eq!(
        err,
        ActivationError::TooManyDataSegments {
            count: 129,
            limit: 128
        }
    );
}

#[test]
fn rejects_long_export_name() {
    let name = "x".repeat(513);
    let err = reject(&contract(&format!(r#"(func (export "{name}"))"#), ""));
    assert!(
        matches!(
            err,
            ActivationError::NameTooLong {
                kind: "export",
                len: 513,
                ..
            }
        ),
        "{err:?}"
    );
}

#[test]
fn rejects_reserved_export() {
    let err = reject(&contract(r#"(func (export "stylus_start"))"#, ""));
    assert_eq!(
        err,
        ActivationError::ReservedExport {
            name: "stylus_start".into()
        }
    );
}

#[test]
fn rejects_garbage() {
    assert!(matches!(
        validate(b"\0asm\x01\0\0\0\x99"),
        Err(ActivationError::Invalid { .. })
    ));
    assert!(matches!(
        validate(b"not wasm"),
        Err(ActivationError::Invalid { .. })
    ));
}

#[test]
fn errors_read_as_sentences() {
    let err = reject(&contract("", "(drop (f64.const 1))"));
    assert_eq!(
        err.to_string(),
        "floating point is not allowed: instruction F64Const in function 2"
    );
}

/// `wasm` with a DataCount section (id 12, count 0) inserted before its code section, where
/// wasm-ld puts it.
fn with_data_count(wasm: &[u8]) -> Vec<u8> {
    let mut out = wasm[..8].to_vec();
    for (id, bytes) in sections(wasm).expect("well formed") {
        if id == 10 {
            out.extend_from_slice(&[DATA_COUNT_SECTION, 1, 0]);
        }
        out.extend_from_slice(&wasm[bytes]);
    }
    out
}

#[test]
fn a_data_count_section_is_refused_and_removed_when_nothing_needs_it() {
    // bulk memory's memory.copy and memory.fill need no DataCount section.
    let plain = wasm(&contract(
        "",
        "i32.const 0 i32.const 8 i32.const 4 memory.copy i32.const 0 i32.const 0 i32.const 1 memory.fill",
    ));
    validate(&plain).expect("accepted without DataCount");
    let counted = with_data_count(&plain);
    assert_eq!(counted.len(), plain.len() + 3);
    assert_eq!(
        validate(&counted).unwrap_err(),
        ActivationError::UnsupportedSection {
            id: 12,
            name: "DataCount"
        }
    );
    // The shipped module: the same bytes without it (and without the name section).
    let shipped = nitro_module(&counted).expect("removable");
    assert_eq!(shipped, nitro_module(&plain).expect("well formed"));
    assert!(shipped.len() < plain.len());
    validate(&shipped).expect("accepted once removed");
}

#[test]
fn a_module_that_needs_data_count_is_refused_by_name() {
    // memory.init and data.drop of a passive segment need the DataCount section.
    let needs = wasm(&contract(
        r#"(data $d "abc")"#,
        "i32.const 0 i32.const 0 i32.const 3 memory.init $d data.drop $d",
    ));
    assert_eq!(
        validate(&needs).unwrap_err(),
        ActivationError::UnsupportedSection {
            id: 12,
            name: "DataCount"
        }
    );
    assert_eq!(
        nitro_module(&needs).unwrap_err(),
        ActivationError::NeedsDataCount { func: 2 }
    );
}

#[test]
fn custom_sections_are_dropped_and_malformed_bytes_refused() {
    // header, custom "x" (id 0, size 2), type section (id 1, size 1: 0 types)
    let module = b"\0asm\x01\0\0\0\x00\x02\x01x\x01\x01\x00";
    assert_eq!(
        nitro_module(module).expect("well formed"),
        b"\0asm\x01\0\0\0\x01\x01\x00"
    );
    assert!(matches!(
        nitro_module(b"\0asm\x01\0\0\0\x01\x05\x00"),
        Err(ActivationError::Invalid { .. })
    ));
    assert!(matches!(
        nitro_module(b"wasm"),
        Err(ActivationError::Invalid { .. })
    ));
}
