//! Nitro's activation checks for a Stylus program, on an uncompressed wasm module.
//!
//! `ArbWasm.activateProgram` decompresses a contract's code and runs `WasmBinary::parse_user`
//! (Nitro `crates/prover/src/binary.rs`) plus the instrumentation middlewares before a program
//! may run; a module that fails any of these checks can be deployed but never called.
//! [`validate`] implements the same rules here, so the build pipeline rejects such a module
//! before it is shipped and the devnode rejects it at deploy time, with a typed
//! [`ActivationError`] saying which rule failed and where.
//!
//! The rules, in the order they are checked:
//!
//! 1. the bytes are a valid core wasm module under every standard proposal
//!    ([`ActivationError::Invalid`]), so the later scans can rely on indices and types;
//! 2. only MVP + bulk-memory + sign-extension + mutable-global are used: no float type or
//!    instruction (Nitro prices them at `u64::MAX`), SIMD, reference types (a non-`funcref`
//!    table, a second table, `ref.*`/`table.*` instructions, an over-long `call_indirect` table
//!    immediate), multi-value (a function type with more than one result, a block type with
//!    parameters or several results), threads, tail calls, exceptions or memory64; a final pass of
//!    `wasmparser`'s validator with exactly [`NITRO_FEATURES`] catches anything else
//!    ([`ActivationError::UnsupportedFeature`]);
//! 3. no start function; exactly one memory, exported as `memory`, at most [`PAGE_LIMIT`]
//!    initial pages; an exported function `user_entrypoint` of type `(i32) -> i32`;
//! 4. Nitro's anti-DoS limits ([`MAX_DATA_SEGMENTS`] … [`MAX_NAME_LEN`]);
//! 5. every import is a function from module `vm_hooks` named in [`HOSTIOS`] with exactly the
//!    table's signature; no export uses a reserved `stylus` name or re-exports an import's name;
//! 6. if the memory can grow (its maximum is absent or above its initial size), the module
//!    imports `vm_hooks.pay_for_memory_grow`, which Nitro calls before every `memory.grow`.
//!
//! Sections are checked on the way: Nitro's parser has no case for the DataCount section (id
//! 12), which wasm-ld writes whenever bulk memory is on, nor for unknown ids
//! ([`ActivationError::UnsupportedSection`]). [`nitro_module`] is what the build ships: the
//! module without its custom sections and without a DataCount section nothing needs.

mod hostios;

#[cfg(test)]
mod tests;

use core::fmt;

use wasmparser::{
    BlockType, ElementItems, ElementKind, Encoding, ExternalKind, FuncType, FunctionBody, Operator,
    Parser, Payload, RefType, TableInit, TypeRef, ValType, Validator, WasmFeatures,
};

pub use hostios::{hostio, HostValType, Hostio, HOSTIOS, HOSTIO_MODULE};

/// The wasm features Nitro accepts (floats excluded: they are unusable at `u64::MAX` ink).
pub const NITRO_FEATURES: WasmFeatures = WasmFeatures::WASM1
    .difference(WasmFeatures::FLOATS)
    .union(WasmFeatures::SIGN_EXTENSION)
    .union(WasmFeatures::BULK_MEMORY);

/// Name of the exported entrypoint Nitro calls with the calldata length.
pub const ENTRYPOINT: &str = "user_entrypoint";
/// Name the program's linear memory must be exported under.
pub const MEMORY_EXPORT: &str = "memory";
/// The host function Nitro calls before every `memory.grow`.
pub const PAY_FOR_MEMORY_GROW: &str = "pay_for_memory_grow";
/// Maximum initial memory, in 64 KiB pages (`PageLimit`, 8 MiB).
pub const PAGE_LIMIT: u64 = 128;
/// Maximum number of data segments.
pub const MAX_DATA_SEGMENTS: usize = 128;
/// Maximum number of element segments.
pub const MAX_ELEMENT_SEGMENTS: usize = 128;
/// Maximum number of exports.
pub const MAX_EXPORTS: usize = 1024;
/// Maximum number of functions defined by the module (imports not counted).
pub const MAX_FUNCTIONS: usize = 4096;
/// Maximum number of globals defined by the module.
pub const MAX_GLOBALS: usize = 32_768;
/// Maximum number of locals declared by one function body (parameters not counted).
pub const MAX_LOCALS: u64 = 348;
/// Maximum number of operators in one function body (its final `end` included).
pub const MAX_OPCODES: usize = 65_536;
/// Maximum number of imports.
pub const MAX_IMPORTS: usize = 513;
/// Maximum summed initial size of all tables.
pub const MAX_TABLE_ENTRIES: u64 = 4096;
/// Maximum summed size of the element segments, measured like Nitro: in encoded bytes.
pub const MAX_ELEMENT_ENTRIES: u64 = 4096;
/// Maximum length in bytes of an export name and of the name section's module name.
pub const MAX_NAME_LEN: usize = 512;

/// Id of the DataCount section, which Nitro's parser refuses.
pub const DATA_COUNT_SECTION: u8 = 12;

/// The module as it must be shipped for Nitro to activate it: every section byte for byte,
/// except the custom sections (nothing on chain reads them; they only cost bytes) and the
/// DataCount section (refused by Nitro's parser, and needed only by `memory.init` and
/// `data.drop`). A module using those two instructions cannot be made acceptable.
///
/// # Errors
/// [`ActivationError::Invalid`] when the bytes are not a well-formed module;
/// [`ActivationError::NeedsDataCount`] when a function uses `memory.init` or `data.drop`.
pub fn nitro_module(wasm: &[u8]) -> Result<Vec<u8>, ActivationError> {
    const HEADER: [u8; 8] = *b"\0asm\x01\0\0\0";
    let malformed = |message: String| ActivationError::Invalid { message };
    if wasm.get(..8) != Some(&HEADER[..]) {
        return Err(malformed("not a wasm module (bad magic or version)".into()));
    }
    let mut imported_funcs = 0;
    let mut bodies = 0;
    for payload in Parser::new(0).parse_all(wasm) {
        match payload.map_err(|e| invalid(&e))? {
            Payload::ImportSection(reader) => {
                for import in reader {
                    if matches!(import.map_err(|e| invalid(&e))?.ty, TypeRef::Func(_)) {
                        imported_funcs += 1;
                    }
                }
            }
            Payload::CodeSectionEntry(body) => {
                let func = imported_funcs + bodies;
                bodies += 1;
                for op in body.get_operators_reader().map_err(|e| invalid(&e))? {
                    if matches!(
                        op.map_err(|e| invalid(&e))?,
                        Operator::MemoryInit { .. } | Operator::DataDrop { .. }
                    ) {
                        return Err(ActivationError::NeedsDataCount { func });
                    }
                }
            }
            _ => {}
        }
    }
    let mut out = HEADER.to_vec();
    for (id, bytes) in sections(wasm)? {
        if id != 0 && id != DATA_COUNT_SECTION {
            out.extend_from_slice(&wasm[bytes]);
        }
    }
    Ok(out)
}

/// The sections of a module after its 8-byte header, in order: each id with the byte range of
/// the whole section (id, size and contents).
///
/// # Errors
/// [`ActivationError::Invalid`] when a section header is truncated or a section runs past the
/// end.
pub fn sections(wasm: &[u8]) -> Result<Vec<(u8, core::ops::Range<usize>)>, ActivationError> {
    let malformed = |message: String| ActivationError::Invalid { message };
    let mut found = Vec::new();
    let mut pos = 8;
    while let Some(&id) = wasm.get(pos) {
        let mut reader = wasmparser::BinaryReader::new(&wasm[pos + 1..], 0);
        let size = reader
            .read_var_u32()
            .map_err(|_| malformed(format!("truncated section header at byte {pos}")))?;
        let end = (pos + 1 + reader.original_position())
            .checked_add(size as usize)
            .filter(|&end| end <= wasm.len())
            .ok_or_else(|| malformed(format!("section at byte {pos} runs past the end")))?;
        found.push((id, pos..end));
        pos = end;
    }
    Ok(found)
}

/// Where in a module a rejected construct was found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Location {
    /// Entry `index` of the type section.
    Type {
        /// Type index.
        index: u32,
    },
    /// An import.
    Import {
        /// Import module.
        module: String,
        /// Import name.
        name: String,
    },
    /// Table `index`.
    Table {
        /// Table index.
        index: u32,
    },
    /// Memory `index`.
    Memory {
        /// Memory index.
        index: u32,
    },
    /// Global `index` (its type or its initializer).
    Global {
        /// Global index (imports first, as in the wasm index space).
        index: u32,
    },
    /// Element segment `index`.
    Element {
        /// Segment index.
        index: u32,
    },
    /// The declared locals of function `func`.
    Locals {
        /// Function index (imports first, as in the wasm index space).
        func: u32,
    },
    /// An instruction inside function `func`.
    Instruction {
        /// Function index (imports first, as in the wasm index space).
        func: u32,
        /// Operator name as `wasmparser` spells it (`F32Add`, `RefNull`, `CallIndirect`).
        op: &'static str,
    },
    /// A non-function section (e.g. the tag section).
    Section {
        /// Section name.
        name: &'static str,
    },
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Type { index } => write!(f, "type {index}"),
            Self::Import { module, name } => write!(f, "import {module}.{name}"),
            Self::Table { index } => write!(f, "table {index}"),
            Self::Memory { index } => write!(f, "memory {index}"),
            Self::Global { index } => write!(f, "global {index}"),
            Self::Element { index } => write!(f, "element segment {index}"),
            Self::Locals { func } => write!(f, "locals of function {func}"),
            Self::Instruction { func, op } => write!(f, "instruction {op} in function {func}"),
            Self::Section { name } => write!(f, "{name} section"),
        }
    }
}

/// Why Nitro would refuse to activate a module; one variant per rule.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ActivationError {
    /// The bytes are not a valid core wasm module at all.
    #[error("not a valid wasm module: {message}")]
    Invalid {
        /// The parser's or validator's message.
        message: String,
    },
    /// A float value type or float instruction (Nitro prices floats at `u64::MAX` ink).
    #[error("floating point is not allowed: {location}")]
    Float {
        /// Where it was found.
        location: Location,
    },
    /// A SIMD (`v128`) value type or SIMD instruction.
    #[error("SIMD is not allowed: {location}")]
    Simd {
        /// Where it was found.
        location: Location,
    },
    /// Any use of the reference-types proposal.
    #[error("reference types are not allowed: {location}: {detail}")]
    ReferenceTypes {
        /// Where it was found.
        location: Location,
        /// What exactly was found.
        detail: String,
    },
    /// Any use of the multi-value proposal.
    #[error("multi-value is not allowed: {location}: {detail}")]
    MultiValue {
        /// Where it was found.
        location: Location,
        /// What exactly was found.
        detail: String,
    },
    /// Shared memory, shared tables/globals or atomic instructions.
    #[error("threads are not allowed: {location}")]
    Threads {
        /// Where it was found.
        location: Location,
    },
    /// `return_call` and friends.
    #[error("tail calls are not allowed: {location}")]
    TailCall {
        /// Where it was found.
        location: Location,
    },
    /// Tags, `throw`, `try` and friends.
    #[error("exceptions are not allowed: {location}")]
    Exceptions {
        /// Where it was found.
        location: Location,
    },
    /// A 64-bit memory or table.
    #[error("memory64 is not allowed: {location}")]
    Memory64 {
        /// Where it was found.
        location: Location,
    },
    /// Any other post-MVP proposal (GC, multi-memory, wide arithmetic, …).
    #[error("wasm proposal `{proposal}` is not allowed: {location}")]
    UnsupportedProposal {
        /// `wasmparser`'s name for the proposal.
        proposal: &'static str,
        /// Where it was found.
        location: Location,
    },
    /// Rejected by `wasmparser`'s validator restricted to [`NITRO_FEATURES`] (a feature the
    /// specific checks above do not name).
    #[error("uses a wasm feature Nitro does not enable: {message}")]
    UnsupportedFeature {
        /// The validator's message.
        message: String,
    },
    /// A section Nitro's parser has no case for (`binary.rs` `parse`): DataCount (id 12, which
    /// wasm-ld writes whenever bulk memory is on) or an unknown id. [`nitro_module`] removes a
    /// DataCount section the module does not need.
    #[error("section {name} (id {id}) is refused by Nitro's parser")]
    UnsupportedSection {
        /// The section id.
        id: u8,
        /// Its name.
        name: &'static str,
    },
    /// The module uses `memory.init` or `data.drop`, which need the DataCount section Nitro
    /// refuses: it can never activate.
    #[error("function {func} uses memory.init/data.drop, which need the DataCount section Nitro refuses")]
    NeedsDataCount {
        /// Function index (imports first).
        func: u32,
    },
    /// The module has a start function.
    #[error("start functions are not allowed (start = function {func})")]
    StartFunction {
        /// The start function's index.
        func: u32,
    },
    /// The module defines no memory.
    #[error("the module has no memory (export a memory named `memory`)")]
    MissingMemory,
    /// The module has more than one memory.
    #[error("the module has {count} memories; exactly 1 is allowed")]
    TooManyMemories {
        /// Number of memories.
        count: usize,
    },
    /// A required export is missing.
    #[error("missing export `{name}`")]
    MissingExport {
        /// The export's name.
        name: &'static str,
    },
    /// A required export has the wrong kind (e.g. `memory` is not a memory).
    #[error("export `{name}` must be a {expected} but is a {found}")]
    WrongExportKind {
        /// The export's name.
        name: &'static str,
        /// Kind required.
        expected: &'static str,
        /// Kind found.
        found: &'static str,
    },
    /// `user_entrypoint` does not have type `(i32) -> i32`.
    #[error("`user_entrypoint` must have type (i32) -> i32 but has {found}")]
    WrongEntrypointType {
        /// The type found.
        found: String,
    },
    /// The initial memory exceeds [`PAGE_LIMIT`].
    #[error("memory of {pages} initial pages exceeds the limit of {limit}")]
    MemoryTooLarge {
        /// Initial pages.
        pages: u64,
        /// The limit.
        limit: u64,
    },
    /// More than [`MAX_DATA_SEGMENTS`] data segments.
    #[error("too many data segments: {count} > {limit}")]
    TooManyDataSegments {
        /// Number found.
        count: usize,
        /// The limit.
        limit: usize,
    },
    /// More than [`MAX_ELEMENT_SEGMENTS`] element segments.
    #[error("too many element segments: {count} > {limit}")]
    TooManyElementSegments {
        /// Number found.
        count: usize,
        /// The limit.
        limit: usize,
    },
    /// More than [`MAX_EXPORTS`] exports.
    #[error("too many exports: {count} > {limit}")]
    TooManyExports {
        /// Number found.
        count: usize,
        /// The limit.
        limit: usize,
    },
    /// More than [`MAX_FUNCTIONS`] defined functions.
    #[error("too many functions: {count} > {limit}")]
    TooManyFunctions {
        /// Number found.
        count: usize,
        /// The limit.
        limit: usize,
    },
    /// More than [`MAX_GLOBALS`] globals.
    #[error("too many globals: {count} > {limit}")]
    TooManyGlobals {
        /// Number found.
        count: usize,
        /// The limit.
        limit: usize,
    },
    /// A function body declares more than [`MAX_LOCALS`] locals.
    #[error("function {func} declares too many locals: {count} > {limit}")]
    TooManyLocals {
        /// Function index (imports first).
        func: u32,
        /// Number of declared locals.
        count: u64,
        /// The limit.
        limit: u64,
    },
    /// A function body has more than [`MAX_OPCODES`] operators.
    #[error("function {func} has too many opcodes: {count} > {limit}")]
    TooManyOpcodes {
        /// Function index (imports first).
        func: u32,
        /// Number of operators.
        count: usize,
        /// The limit.
        limit: usize,
    },
    /// More than [`MAX_IMPORTS`] imports.
    #[error("too many imports: {count} > {limit}")]
    TooManyImports {
        /// Number found.
        count: usize,
        /// The limit.
        limit: usize,
    },
    /// The tables' initial sizes sum to more than [`MAX_TABLE_ENTRIES`].
    #[error("too many table entries: {count} > {limit}")]
    TooManyTableEntries {
        /// Summed initial table sizes.
        count: u64,
        /// The limit.
        limit: u64,
    },
    /// The element segments are larger than [`MAX_ELEMENT_ENTRIES`].
    #[error("element segments too large: {count} > {limit}")]
    TooManyElementEntries {
        /// Summed encoded size of the element segments.
        count: u64,
        /// The limit.
        limit: u64,
    },
    /// An export name or the module name is longer than [`MAX_NAME_LEN`] bytes.
    #[error("{kind} name of {len} bytes exceeds {limit}: {name:?}")]
    NameTooLong {
        /// `export` or `module`.
        kind: &'static str,
        /// The name (cut to its first 64 bytes).
        name: String,
        /// Its length in bytes.
        len: usize,
        /// The limit.
        limit: usize,
    },
    /// An import that is not a function.
    #[error("import {module}.{name} is a {kind}; only host functions may be imported")]
    NonFunctionImport {
        /// Import module.
        module: String,
        /// Import name.
        name: String,
        /// Kind found.
        kind: &'static str,
    },
    /// An import from a module other than `vm_hooks`.
    #[error("import {module}.{name} is not from module `vm_hooks`")]
    ForeignImportModule {
        /// Import module.
        module: String,
        /// Import name.
        name: String,
    },
    /// A `vm_hooks` import that is not one of Nitro's host functions.
    #[error("vm_hooks.{name} is not a Nitro host function")]
    UnknownHostio {
        /// Import name.
        name: String,
    },
    /// A host function imported with a signature other than Nitro's.
    #[error("vm_hooks.{name} imported as {found}, but Nitro's signature is {expected}")]
    WrongHostioSignature {
        /// Import name.
        name: String,
        /// Nitro's signature.
        expected: String,
        /// The module's signature.
        found: String,
    },
    /// An export named with the reserved `stylus` prefix.
    #[error("export `{name}` uses the reserved `stylus` prefix")]
    ReservedExport {
        /// Export name.
        name: String,
    },
    /// An export whose name (after the last `__`) equals an import's name.
    #[error("export `{name}` re-exports the name of an import")]
    ExportShadowsImport {
        /// Export name.
        name: String,
    },
    /// The memory can grow but `vm_hooks.pay_for_memory_grow` is not imported.
    #[error(
        "memory can grow (initial {initial} pages, maximum {maximum:?}) but \
         vm_hooks.pay_for_memory_grow is not imported"
    )]
    MissingPayForMemoryGrow {
        /// Initial pages.
        initial: u64,
        /// Maximum pages, if declared.
        maximum: Option<u64>,
    },
}

/// What an accepted module contains.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ModuleReport {
    /// Functions defined by the module (imports not counted).
    pub functions: usize,
    /// Names of the imported host functions, in import order.
    pub imports: Vec<String>,
    /// Number of exports.
    pub exports: usize,
    /// Number of data segments.
    pub data_segments: usize,
    /// Number of element segments.
    pub element_segments: usize,
    /// Number of globals defined by the module.
    pub globals: usize,
    /// Initial memory size in 64 KiB pages.
    pub memory_pages: u64,
    /// Declared maximum memory size in pages, if any.
    pub memory_max_pages: Option<u64>,
    /// Summed initial size of the tables.
    pub table_entries: u64,
    /// Most locals declared by one function.
    pub max_locals: u64,
    /// Most operators in one function body.
    pub max_opcodes: usize,
}

/// One import as the scan records it.
struct ImportInfo {
    module: String,
    name: String,
    ty: TypeRef,
}

/// Everything the structural rules need, gathered in one pass over the module.
#[derive(Default)]
struct Scan {
    types: Vec<FuncType>,
    imports: Vec<ImportInfo>,
    imported_funcs: u32,
    imported_globals: u32,
    functions: Vec<u32>,
    tables: Vec<wasmparser::TableType>,
    memories: Vec<wasmparser::MemoryType>,
    globals: usize,
    exports: Vec<(String, ExternalKind, u32)>,
    start: Option<u32>,
    element_segments: usize,
    element_bytes: u64,
    data_segments: usize,
    module_name: Option<String>,
    /// Per defined function: (index, declared locals, operators).
    bodies: Vec<(u32, u64, usize)>,
}

/// Checks `wasm` (uncompressed) against Nitro's activation rules.
///
/// Returns what the module contains when Nitro would activate it, or the first rule it breaks.
pub fn validate(wasm: &[u8]) -> Result<ModuleReport, ActivationError> {
    // 1. Well-formed and valid under every standard proposal.
    Validator::new_with_features(WasmFeatures::default())
        .validate_all(wasm)
        .map_err(|e| ActivationError::Invalid {
            message: e.to_string(),
        })?;

    // 2. Feature use, with specific errors; then the restricted validator as a backstop.
    let scan = scan(wasm)?;
    Validator::new_with_features(NITRO_FEATURES)
        .validate_all(wasm)
        .map_err(|e| ActivationError::UnsupportedFeature {
            message: e.to_string(),
        })?;

    // 3.–6. Structure, limits, imports, memory growth.
    check_structure(&scan)?;
    check_limits(&scan)?;
    let imports = check_imports(&scan)?;
    check_memory_growth(&scan)?;

    let memory = scan.memories.first();
    Ok(ModuleReport {
        functions: scan.functions.len(),
        imports,
        exports: scan.exports.len(),
        data_segments: scan.data_segments,
        element_segments: scan.element_segments,
        globals: scan.globals,
        memory_pages: memory.map_or(0, |m| m.initial),
        memory_max_pages: memory.and_then(|m| m.maximum),
        table_entries: scan
            .tables
            .iter()
            .map(|t| t.initial)
            .fold(0, u64::saturating_add),
        max_locals: scan.bodies.iter().map(|b| b.1).max().unwrap_or(0),
        max_opcodes: scan.bodies.iter().map(|b| b.2).max().unwrap_or(0),
    })
}

/// Converts a parse error from the (already validated) module into [`ActivationError::Invalid`].
fn invalid(e: &wasmparser::BinaryReaderError) -> ActivationError {
    ActivationError::Invalid {
        message: e.to_string(),
    }
}

/// Converts a `usize` count into a wasm index (counts of a validated module fit in `u32`).
fn idx(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Rejects a value type that is not `i32`/`i64` (wasm MVP without floats).
fn check_val_type(ty: ValType, location: &Location) -> Result<(), ActivationError> {
    match ty {
        ValType::I32 | ValType::I64 => Ok(()),
        ValType::F32 | ValType::F64 => Err(ActivationError::Float {
            location: location.clone(),
        }),
        ValType::V128 => Err(ActivationError::Simd {
            location: location.clone(),
        }),
        ValType::Ref(r) => Err(ActivationError::ReferenceTypes {
            location: location.clone(),
            detail: format!("value of reference type {r}"),
        }),
    }
}

/// One pass over the module: collects what the structural rules need and rejects every use of
/// a feature Nitro does not enable.
fn scan(wasm: &[u8]) -> Result<Scan, ActivationError> {
    let mut s = Scan::default();
    for payload in Parser::new(0).parse_all(wasm) {
        match payload.map_err(|e| invalid(&e))? {
            Payload::Version { encoding, .. } => {
                if encoding != Encoding::Module {
                    return Err(ActivationError::Invalid {
                        message: "a component, not a core module".into(),
                    });
                }
            }
            Payload::TypeSection(reader) => {
                for (index, ty) in reader.into_iter_err_on_gc_types().enumerate() {
                    let location = Location::Type { index: idx(index) };
                    let ty = ty.map_err(|_| ActivationError::UnsupportedProposal {
                        proposal: "gc",
                        location: location.clone(),
                    })?;
                    for &v in ty.params().iter().chain(ty.results()) {
                        check_val_type(v, &location)?;
                    }
                    if ty.results().len() > 1 {
                        return Err(ActivationError::MultiValue {
                            location,
                            detail: format!("function type with {} results", ty.results().len()),
                        });
                    }
                    s.types.push(ty);
                }
            }
            Payload::ImportSection(reader) => {
                for import in reader {
                    let import = import.map_err(|e| invalid(&e))?;
                    let location = Location::Import {
                        module: import.module.into(),
                        name: import.name.into(),
                    };
                    match import.ty {
                        TypeRef::Func(_) => s.imported_funcs += 1,
                        TypeRef::Global(g) => {
                            s.imported_globals += 1;
                            check_val_type(g.content_type, &location)?;
                        }
                        TypeRef::Memory(m) if m.memory64 => {
                            return Err(ActivationError::Memory64 { location })
                        }
                        TypeRef::Tag(_) => return Err(ActivationError::Exceptions { location }),
                        TypeRef::Table(_) | TypeRef::Memory(_) => {}
                    }
                    s.imports.push(ImportInfo {
                        module: import.module.into(),
                        name: import.name.into(),
                        ty: import.ty,
                    });
                }
            }
            Payload::FunctionSection(reader) => {
                for ty in reader {
                    s.functions.push(ty.map_err(|e| invalid(&e))?);
                }
            }
            Payload::TableSection(reader) => {
                for table in reader {
                    let table = table.map_err(|e| invalid(&e))?;
                    let location = Location::Table {
                        index: idx(s.tables.len()),
                    };
                    scan_table(&table.ty, &location, s.tables.len())?;
                    if let TableInit::Expr(_) = table.init {
                        return Err(ActivationError::ReferenceTypes {
                            location,
                            detail: "table with an initializer expression".into(),
                        });
                    }
                    s.tables.push(table.ty);
                }
            }
            Payload::MemorySection(reader) => {
                for memory in reader {
                    let memory = memory.map_err(|e| invalid(&e))?;
                    let location = Location::Memory {
                        index: idx(s.memories.len()),
                    };
                    if memory.memory64 {
                        return Err(ActivationError::Memory64 { location });
                    }
                    if memory.shared {
                        return Err(ActivationError::Threads { location });
                    }
                    if memory.page_size_log2.is_some() {
                        return Err(ActivationError::UnsupportedProposal {
                            proposal: "custom_page_sizes",
                            location,
                        });
                    }
                    s.memories.push(memory);
                }
            }
            Payload::TagSection(_) => {
                return Err(ActivationError::Exceptions {
                    location: Location::Section { name: "tag" },
                })
            }
            Payload::GlobalSection(reader) => {
                for global in reader {
                    let global = global.map_err(|e| invalid(&e))?;
                    let index = s.imported_globals + idx(s.globals);
                    let location = Location::Global { index };
                    check_val_type(global.ty.content_type, &location)?;
                    if global.ty.shared {
                        return Err(ActivationError::Threads { location });
                    }
                    let mut ops = global.init_expr.get_operators_reader();
                    while !ops.eof() {
                        let op = ops.read().map_err(|e| invalid(&e))?;
                        check_operator(&op, &location, &s.types)?;
                    }
                    s.globals += 1;
                }
            }
            Payload::ExportSection(reader) => {
                for export in reader {
                    let export = export.map_err(|e| invalid(&e))?;
                    s.exports
                        .push((export.name.into(), export.kind, export.index));
                }
            }
            Payload::StartSection { func, .. } => s.start = Some(func),
            Payload::ElementSection(reader) => {
                for element in reader {
                    let element = element.map_err(|e| invalid(&e))?;
                    let location = Location::Element {
                        index: idx(s.element_segments),
                    };
                    if let ElementKind::Active {
                        table_index: Some(t),
                        ..
                    } = element.kind
                    {
                        if t != 0 {
                            return Err(ActivationError::ReferenceTypes {
                                location,
                                detail: format!("element segment for table {t}"),
                            });
                        }
                    }
                    if let ElementItems::Expressions(ty, _) = element.items {
                        if ty != RefType::FUNCREF {
                            return Err(ActivationError::ReferenceTypes {
                                location,
                                detail: format!("element segment of type {ty}"),
                            });
                        }
                    }
                    s.element_segments += 1;
                    let bytes = u64::try_from(element.range.len()).unwrap_or(u64::MAX);
                    s.element_bytes = s.element_bytes.saturating_add(bytes);
                }
            }
            Payload::DataSection(reader) => s.data_segments = reader.count() as usize,
            Payload::CodeSectionEntry(body) => {
                let func = s.imported_funcs + idx(s.bodies.len());
                let (locals, opcodes) = scan_body(wasm, &body, func, &s.types)?;
                s.bodies.push((func, locals, opcodes));
            }
            Payload::CustomSection(reader) => {
                if let wasmparser::KnownCustom::Name(names) = reader.as_known() {
                    for name in names {
                        if let Ok(wasmparser::Name::Module { name, .. }) = name {
                            s.module_name = Some(name.into());
                        }
                    }
                }
            }
            Payload::DataCountSection { .. } => {
                return Err(ActivationError::UnsupportedSection {
                    id: DATA_COUNT_SECTION,
                    name: "DataCount",
                })
            }
            Payload::UnknownSection { id, .. } => {
                return Err(ActivationError::UnsupportedSection {
                    id,
                    name: "unknown",
                })
            }
            Payload::CodeSectionStart { .. } | Payload::End(_) => {}
            other => {
                return Err(ActivationError::Invalid {
                    message: format!("unexpected section in a core module: {other:?}"),
                })
            }
        }
    }
    Ok(s)
}

/// Table rules: one `funcref` table of 32-bit indices, not shared.
fn scan_table(
    ty: &wasmparser::TableType,
    location: &Location,
    existing: usize,
) -> Result<(), ActivationError> {
    if ty.table64 {
        return Err(ActivationError::Memory64 {
            location: location.clone(),
        });
    }
    if ty.shared {
        return Err(ActivationError::Threads {
            location: location.clone(),
        });
    }
    if ty.element_type != RefType::FUNCREF {
        return Err(ActivationError::ReferenceTypes {
            location: location.clone(),
            detail: format!("table of {}", ty.element_type),
        });
    }
    if existing > 0 {
        return Err(ActivationError::ReferenceTypes {
            location: location.clone(),
            detail: "more than one table".into(),
        });
    }
    Ok(())
}

/// Scans one function body: its locals' types and every operator. Returns the number of
/// declared locals and of operators.
fn scan_body(
    wasm: &[u8],
    body: &FunctionBody<'_>,
    func: u32,
    types: &[FuncType],
) -> Result<(u64, usize), ActivationError> {
    let mut locals = 0u64;
    let mut reader = body.get_locals_reader().map_err(|e| invalid(&e))?;
    for _ in 0..reader.get_count() {
        let (count, ty) = reader.read().map_err(|e| invalid(&e))?;
        check_val_type(ty, &Location::Locals { func })?;
        locals = locals.saturating_add(u64::from(count));
    }

    let mut ops = body.get_operators_reader().map_err(|e| invalid(&e))?;
    let mut opcodes = 0usize;
    while !ops.eof() {
        let (op, offset) = ops.read_with_offset().map_err(|e| invalid(&e))?;
        opcodes += 1;
        let location = Location::Instruction {
            func,
            op: operator_info(&op).1,
        };
        check_operator(&op, &location, types)?;
        if let Operator::CallIndirect { .. } = op {
            if let Some(bytes) = wasm.get(offset..ops.original_position()) {
                check_call_indirect_encoding(bytes, &location)?;
            }
        }
    }
    Ok((locals, opcodes))
}

/// Before reference types, `call_indirect`'s table immediate was one `0x00` byte; LLVM built
/// with reference types emits a padded 5-byte LEB (a relocation), which Nitro rejects.
fn check_call_indirect_encoding(bytes: &[u8], location: &Location) -> Result<(), ActivationError> {
    // bytes = 0x11, LEB type index, table immediate
    let type_leb = bytes
        .iter()
        .skip(1)
        .position(|b| b & 0x80 == 0)
        .map_or(bytes.len(), |p| p + 1);
    let table = bytes.get(1 + type_leb..).unwrap_or_default();
    if table == [0x00] {
        Ok(())
    } else {
        Err(ActivationError::ReferenceTypes {
            location: location.clone(),
            detail: format!(
                "call_indirect table immediate encoded in {} bytes",
                table.len()
            ),
        })
    }
}

/// Rejects an operator of a proposal Nitro does not enable, a float operator, or a block type
/// that needs multi-value.
fn check_operator(
    op: &Operator<'_>,
    location: &Location,
    types: &[FuncType],
) -> Result<(), ActivationError> {
    let (proposal, name) = operator_info(op);
    let location = || location.clone();
    match proposal {
        "mvp" if name.contains("F32") || name.contains("F64") => {
            return Err(ActivationError::Float {
                location: location(),
            })
        }
        "mvp" | "sign_extension" | "bulk_memory" => {}
        "saturating_float_to_int" => {
            return Err(ActivationError::Float {
                location: location(),
            })
        }
        "simd" | "relaxed_simd" => {
            return Err(ActivationError::Simd {
                location: location(),
            })
        }
        "reference_types" => {
            return Err(ActivationError::ReferenceTypes {
                location: location(),
                detail: format!("instruction {name}"),
            })
        }
        "threads" | "shared_everything_threads" | "acquire_release_atomics" => {
            return Err(ActivationError::Threads {
                location: location(),
            })
        }
        "tail_call" => {
            return Err(ActivationError::TailCall {
                location: location(),
            })
        }
        "exceptions" | "legacy_exceptions" => {
            return Err(ActivationError::Exceptions {
                location: location(),
            })
        }
        proposal => {
            return Err(ActivationError::UnsupportedProposal {
                proposal,
                location: location(),
            })
        }
    }
    match *op {
        Operator::Block { blockty } | Operator::Loop { blockty } | Operator::If { blockty } => {
            match blockty {
                BlockType::Empty => Ok(()),
                BlockType::Type(ty) => check_val_type(ty, &location()),
                BlockType::FuncType(index) => {
                    let detail = types.get(index as usize).map_or_else(
                        || format!("block of type index {index}"),
                        |ty| {
                            format!(
                                "block with {} params and {} results",
                                ty.params().len(),
                                ty.results().len()
                            )
                        },
                    );
                    Err(ActivationError::MultiValue {
                        location: location(),
                        detail,
                    })
                }
            }
        }
        Operator::CallIndirect { table_index, .. } if table_index != 0 => {
            Err(ActivationError::ReferenceTypes {
                location: location(),
                detail: format!("call_indirect through table {table_index}"),
            })
        }
        _ => Ok(()),
    }
}

/// Generates [`operator_info`] from `wasmparser`'s operator list: each operator's proposal
/// (`mvp`, `simd`, `reference_types`, …) and name.
macro_rules! define_operator_info {
    ($( @$proposal:ident $op:ident $({ $($arg:ident: $argty:ty),* })? => $visit:ident ($($ann:tt)*) )*) => {
        /// The proposal an operator belongs to and its name.
        fn operator_info(op: &Operator<'_>) -> (&'static str, &'static str) {
            match op {
                $( Operator::$op { .. } => (stringify!($proposal), stringify!($op)), )*
                _ => ("unknown", "unknown"),
            }
        }
    };
}
wasmparser::for_each_operator!(define_operator_info);

/// Structural rules: no start function, one memory exported as `memory` within the page limit,
/// `user_entrypoint: (i32) -> i32`.
fn check_structure(s: &Scan) -> Result<(), ActivationError> {
    if let Some(func) = s.start {
        return Err(ActivationError::StartFunction { func });
    }
    match s.memories.len() {
        0 => return Err(ActivationError::MissingMemory),
        1 => {}
        count => return Err(ActivationError::TooManyMemories { count }),
    }

    let export = |name: &'static str, expected: ExternalKind| {
        let (_, kind, index) = s
            .exports
            .iter()
            .find(|(n, _, _)| n == name)
            .ok_or(ActivationError::MissingExport { name })?;
        if *kind == expected {
            Ok(*index)
        } else {
            Err(ActivationError::WrongExportKind {
                name,
                expected: kind_name(expected),
                found: kind_name(*kind),
            })
        }
    };
    export(MEMORY_EXPORT, ExternalKind::Memory)?;
    let entry = export(ENTRYPOINT, ExternalKind::Func)?;
    let ty = func_type(s, entry);
    let ok = ty.is_some_and(|t| t.params() == [ValType::I32] && t.results() == [ValType::I32]);
    if !ok {
        let found = ty.map_or_else(
            || "an unknown type".into(),
            |t| hostios::signature_string(t.params(), t.results()),
        );
        return Err(ActivationError::WrongEntrypointType { found });
    }

    let pages = s.memories[0].initial;
    if pages > PAGE_LIMIT {
        return Err(ActivationError::MemoryTooLarge {
            pages,
            limit: PAGE_LIMIT,
        });
    }
    Ok(())
}

/// The type of function `index` (imports first).
fn func_type(s: &Scan, index: u32) -> Option<&FuncType> {
    let type_index = if index < s.imported_funcs {
        let import = s
            .imports
            .iter()
            .filter(|i| is_func(&i.ty))
            .nth(index as usize)?;
        match import.ty {
            TypeRef::Func(t) => t,
            _ => return None,
        }
    } else {
        *s.functions.get((index - s.imported_funcs) as usize)?
    };
    s.types.get(type_index as usize)
}

/// Whether an import is a function.
fn is_func(ty: &TypeRef) -> bool {
    matches!(ty, TypeRef::Func(_))
}

/// Human name of an export kind.
fn kind_name(kind: ExternalKind) -> &'static str {
    match kind {
        ExternalKind::Func => "function",
        ExternalKind::Table => "table",
        ExternalKind::Memory => "memory",
        ExternalKind::Global => "global",
        ExternalKind::Tag => "tag",
    }
}

/// Nitro's anti-DoS limits.
fn check_limits(s: &Scan) -> Result<(), ActivationError> {
    macro_rules! limit {
        ($count:expr, $limit:expr, $variant:ident) => {
            if $count > $limit {
                return Err(ActivationError::$variant {
                    count: $count,
                    limit: $limit,
                });
            }
        };
    }
    limit!(s.data_segments, MAX_DATA_SEGMENTS, TooManyDataSegments);
    limit!(
        s.element_segments,
        MAX_ELEMENT_SEGMENTS,
        TooManyElementSegments
    );
    limit!(s.exports.len(), MAX_EXPORTS, TooManyExports);
    limit!(s.functions.len(), MAX_FUNCTIONS, TooManyFunctions);
    limit!(s.globals, MAX_GLOBALS, TooManyGlobals);
    for &(func, locals, opcodes) in &s.bodies {
        if locals > MAX_LOCALS {
            return Err(ActivationError::TooManyLocals {
                func,
                count: locals,
                limit: MAX_LOCALS,
            });
        }
        if opcodes > MAX_OPCODES {
            return Err(ActivationError::TooManyOpcodes {
                func,
                count: opcodes,
                limit: MAX_OPCODES,
            });
        }
    }
    limit!(s.imports.len(), MAX_IMPORTS, TooManyImports);
    let table_entries = s
        .tables
        .iter()
        .map(|t| t.initial)
        .fold(0, u64::saturating_add);
    limit!(table_entries, MAX_TABLE_ENTRIES, TooManyTableEntries);
    limit!(s.element_bytes, MAX_ELEMENT_ENTRIES, TooManyElementEntries);

    let too_long = |kind, name: &str| ActivationError::NameTooLong {
        kind,
        name: name.chars().take(64).collect(),
        len: name.len(),
        limit: MAX_NAME_LEN,
    };
    if let Some((name, _, _)) = s.exports.iter().find(|(n, _, _)| n.len() > MAX_NAME_LEN) {
        return Err(too_long("export", name));
    }
    if let Some(name) = s.module_name.as_deref().filter(|n| n.len() > MAX_NAME_LEN) {
        return Err(too_long("module", name));
    }
    Ok(())
}

/// Import rules; returns the imported host function names in order.
fn check_imports(s: &Scan) -> Result<Vec<String>, ActivationError> {
    let mut names = Vec::with_capacity(s.imports.len());
    for import in &s.imports {
        let (module, name) = (import.module.clone(), import.name.clone());
        let type_index = match import.ty {
            TypeRef::Func(t) => t,
            TypeRef::Table(_) => {
                return Err(ActivationError::NonFunctionImport {
                    module,
                    name,
                    kind: "table",
                })
            }
            TypeRef::Memory(_) => {
                return Err(ActivationError::NonFunctionImport {
                    module,
                    name,
                    kind: "memory",
                })
            }
            TypeRef::Global(_) => {
                return Err(ActivationError::NonFunctionImport {
                    module,
                    name,
                    kind: "global",
                })
            }
            TypeRef::Tag(_) => {
                return Err(ActivationError::NonFunctionImport {
                    module,
                    name,
                    kind: "tag",
                })
            }
        };
        if module != HOSTIO_MODULE {
            return Err(ActivationError::ForeignImportModule { module, name });
        }
        let Some(host) = hostio(&name) else {
            return Err(ActivationError::UnknownHostio { name });
        };
        let Some(ty) = s.types.get(type_index as usize) else {
            return Err(ActivationError::Invalid {
                message: format!("import {module}.{name} has unknown type {type_index}"),
            });
        };
        let matches = |want: &[HostValType], got: &[ValType]| {
            want.len() == got.len()
                && want.iter().zip(got).all(|(w, g)| {
                    matches!(
                        (w, g),
                        (HostValType::I32, ValType::I32) | (HostValType::I64, ValType::I64)
                    )
                })
        };
        if !matches(host.params, ty.params()) || !matches(host.results, ty.results()) {
            return Err(ActivationError::WrongHostioSignature {
                name,
                expected: host.signature(),
                found: hostios::signature_string(ty.params(), ty.results()),
            });
        }
        names.push(name);
    }

    for (export, _, _) in &s.exports {
        if export.starts_with("stylus") {
            return Err(ActivationError::ReservedExport {
                name: export.clone(),
            });
        }
        let suffix = export.rsplit("__").next().unwrap_or(export);
        if names.iter().any(|n| n == suffix) {
            return Err(ActivationError::ExportShadowsImport {
                name: export.clone(),
            });
        }
    }
    Ok(names)
}

/// A growable memory needs `vm_hooks.pay_for_memory_grow`, which Nitro calls before every
/// `memory.grow` (its signature was checked with the other imports).
fn check_memory_growth(s: &Scan) -> Result<(), ActivationError> {
    let Some(memory) = s.memories.first() else {
        return Ok(());
    };
    if memory.maximum == Some(memory.initial) {
        return Ok(());
    }
    let imported = s
        .imports
        .iter()
        .any(|i| i.module == HOSTIO_MODULE && i.name == PAY_FOR_MEMORY_GROW);
    if imported {
        Ok(())
    } else {
        Err(ActivationError::MissingPayForMemoryGrow {
            initial: memory.initial,
            maximum: memory.maximum,
        })
    }
}
