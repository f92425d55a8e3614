//! ABI export: the Solidity interface of every contract (stylus-sdk `export-abi`) and a standard
//! Solidity JSON ABI derived from it without `solc`, committed under `abi/`.
//!
//! [`export_abi`] runs a contract crate's export-abi `main` on the host
//! (`cargo run -p <pkg> --features export-abi --bin <pkg> -q`), which prints the interface, and
//! once more with the `constructor` subcommand, which prints the constructor signature (if any).
//! [`solidity_to_json_abi`] parses that Solidity with `syn-solidity` and builds an
//! `alloy-json-abi` ABI: functions with their state mutability, custom errors, events, structs
//! as `tuple`s with `components` (also inside arrays), enums as `uint8`, user-defined value types
//! as their underlying type. [`stale_files`] compares fresh exports with the committed files.
//!
//! What stylus-sdk 0.9's export-abi prints (read in `stylus-proc` 0.9.2): per `#[public]` block an
//! `interface I<Name> [is I<Base>…] { function …; error …; struct …; }`, functions as
//! `function name(type arg, …) external [view|pure|payable] [returns (…)];` with `calldata` /
//! `memory` locations, errors as `error Name(type, …);` without parameter names, struct
//! definitions only when a type's `InnerTypes` prints them, and **no events**: events appear in
//! the JSON only when a contract's `main` prints `event` declarations itself.

use std::{
    collections::BTreeMap,
    fs,
    io::ErrorKind,
    path::{Path, PathBuf},
    process::{Command, Stdio},
};

use alloy_json_abi::{
    Constructor, Error as AbiError, Event, EventParam, Fallback, Function, InternalType, JsonAbi,
    Param, Receive, StateMutability,
};
use eyre::{bail, eyre, Result, WrapErr};
use syn_solidity::{
    FunctionKind, Item, ItemContract, Mutability, Spanned as _, Type, VariableDeclaration,
};

use crate::workspace_root;

/// The folder the ABI files are committed in (`<root>/abi`).
pub fn abi_dir() -> PathBuf {
    workspace_root().join("abi")
}

/// Target directory for the host builds of the export-abi binaries (kept apart from the
/// developer's own builds so a check run from a test never waits on their lock).
pub fn export_target_dir() -> PathBuf {
    workspace_root().join("target").join("export-abi")
}

/// One contract's exported ABI.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExportedAbi {
    /// Cargo package name (the files are `<package>.sol` and `<package>.json`).
    pub package: String,
    /// The Solidity interface exactly as the contract prints it.
    pub solidity: String,
    /// The JSON ABI, pretty-printed, ending with a newline.
    pub json: String,
}

impl ExportedAbi {
    /// The files this export is committed as, with their expected contents.
    pub fn files(&self, dir: &Path) -> [(PathBuf, &str); 2] {
        [
            (
                dir.join(format!("{}.sol", self.package)),
                self.solidity.as_str(),
            ),
            (
                dir.join(format!("{}.json", self.package)),
                self.json.as_str(),
            ),
        ]
    }
}

/// Runs a contract's export-abi binary with `args` and returns what it printed.
fn run_export_binary(
    package: &str,
    manifest_path: Option<&Path>,
    target_dir: &Path,
    args: &[&str],
) -> Result<String> {
    let (crate_name, extra) = crate::build::package_and_features(package);
    let features = extra.map_or_else(|| "export-abi".to_string(), |f| format!("export-abi,{f}"));
    let mut cmd = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    cmd.current_dir(workspace_root()).arg("run");
    if let Some(manifest) = manifest_path {
        cmd.arg("--manifest-path").arg(manifest);
    }
    cmd.args([
        "-p",
        crate_name,
        "--features",
        &features,
        "--bin",
        crate_name,
        "-q",
        "--target-dir",
    ])
    .arg(target_dir)
    .arg("--")
    .args(args)
    .stderr(Stdio::inherit());
    let output = cmd
        .output()
        .wrap_err_with(|| format!("running cargo for `{package}`"))?;
    if !output.status.success() {
        bail!(
            "`cargo run -p {package} --features export-abi --bin {package}` failed ({}); see \
             cargo's errors above (a contract crate needs a `src/main.rs` calling \
             `print_from_args()` under its `export-abi` feature)",
            output.status
        );
    }
    String::from_utf8(output.stdout)
        .map_err(|_| eyre!("export-abi output of `{package}` is not UTF-8"))
}

/// Exports one contract's Solidity interface and derives its JSON ABI (constructor included).
pub fn export_abi(
    package: &str,
    manifest_path: Option<&Path>,
    target_dir: &Path,
) -> Result<ExportedAbi> {
    let solidity = drop_repeated_functions(&name_struct_tuples(&run_export_binary(
        package,
        manifest_path,
        target_dir,
        &[],
    )?));
    let constructor = run_export_binary(package, manifest_path, target_dir, &["constructor"])?;
    let mut abi = solidity_to_json_abi(&solidity)
        .wrap_err_with(|| format!("converting the Solidity interface of `{package}`"))?;
    let constructor = constructor.trim();
    if !constructor.is_empty() {
        let parsed = solidity_to_json_abi(&format!("contract C {{ {constructor} {{}} }}"))
            .wrap_err_with(|| format!("parsing the constructor of `{package}`: {constructor}"))?;
        abi.constructor = parsed.constructor;
    }
    let json = serde_json::to_string_pretty(&abi).wrap_err("serializing the JSON ABI")? + "\n";
    Ok(ExportedAbi {
        package: package.to_string(),
        solidity,
        json,
    })
}

/// stylus-sdk 0.9 prints arrays of structs (and returned structs) as raw tuples, which is not
/// Solidity; this puts the shared ABI's struct names back (longest tuple first, so nested ones
/// resolve) and wraps a bare return type in parentheses.
#[must_use]
pub fn name_struct_tuples(solidity: &str) -> String {
    let mut structs = restaking_abi::abi::STRUCT_TUPLES.to_vec();
    structs.sort_by_key(|(_, tuple)| std::cmp::Reverse(tuple.len()));
    let mut out = solidity.to_string();
    for (name, tuple) in structs {
        out = out.replace(tuple, name);
    }
    out.lines()
        .map(|line| match line.split_once(" returns ") {
            Some((head, tail)) if !tail.starts_with('(') => {
                let ty = tail.trim_end_matches(';');
                format!("{head} returns ({ty});")
            }
            _ => line.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
        + if solidity.ends_with('\n') { "\n" } else { "" }
}

/// stylus-sdk 0.9 prints a method a contract defines over an inherited one (the Slasher's
/// `pause`, say) twice, which Solidity refuses; this keeps the first declaration (and drops the
/// blank line before a repeat).
#[must_use]
pub fn drop_repeated_functions(solidity: &str) -> String {
    let mut seen = std::collections::HashSet::new();
    let mut out: Vec<&str> = Vec::new();
    for line in solidity.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with("function ") && !seen.insert(trimmed) {
            if out.last().is_some_and(|l| l.trim().is_empty()) {
                out.pop();
            }
            continue;
        }
        out.push(line);
    }
    out.join("\n") + if solidity.ends_with('\n') { "\n" } else { "" }
}

/// Writes an export's `.sol` and `.json` into `dir` (created if missing).
pub fn write_files(dir: &Path, abi: &ExportedAbi) -> Result<()> {
    fs::create_dir_all(dir).wrap_err_with(|| format!("creating {}", dir.display()))?;
    for (path, contents) in abi.files(dir) {
        fs::write(&path, contents).wrap_err_with(|| format!("writing {}", path.display()))?;
    }
    Ok(())
}

/// The committed files in `dir` that differ from (or are missing for) the fresh `exports`.
pub fn stale_files(dir: &Path, exports: &[ExportedAbi]) -> Result<Vec<PathBuf>> {
    let mut stale = Vec::new();
    for abi in exports {
        for (path, expected) in abi.files(dir) {
            match fs::read_to_string(&path) {
                Ok(actual) if actual == expected => {}
                Ok(_) => stale.push(path),
                Err(e) if e.kind() == ErrorKind::NotFound => stale.push(path),
                Err(e) => return Err(e).wrap_err_with(|| format!("reading {}", path.display())),
            }
        }
    }
    Ok(stale)
}

/// Removes comments and `pragma` directives, which the Rust tokenizer behind `syn-solidity`
/// cannot take as they are (`/** */` would become an attribute, `^0.8.23` is not a token).
fn strip_comments_and_pragmas(source: &str) -> String {
    let mut out = String::with_capacity(source.len());
    let mut chars = source.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '/' if chars.peek() == Some(&'/') => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        out.push('\n');
                        break;
                    }
                }
            }
            '/' if chars.peek() == Some(&'*') => {
                chars.next();
                let mut prev = ' ';
                for c in chars.by_ref() {
                    if prev == '*' && c == '/' {
                        break;
                    }
                    prev = c;
                }
                out.push(' ');
            }
            '"' | '\'' => {
                out.push(c);
                while let Some(s) = chars.next() {
                    out.push(s);
                    if s == '\\' {
                        if let Some(escaped) = chars.next() {
                            out.push(escaped);
                        }
                    } else if s == c {
                        break;
                    }
                }
            }
            _ => out.push(c),
        }
    }
    out.lines()
        .filter(|l| !l.trim_start().starts_with("pragma "))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Named types declared in the source, by name (and by `Container.Name`).
#[derive(Default)]
struct Declarations<'a> {
    structs: BTreeMap<String, (Option<String>, &'a syn_solidity::ItemStruct)>,
    enums: BTreeMap<String, Option<String>>,
    udts: BTreeMap<String, &'a Type>,
}

impl<'a> Declarations<'a> {
    /// Records the named types of `items` declared inside `container` (an interface name).
    fn collect(&mut self, items: &'a [Item], container: Option<&str>) {
        for item in items {
            match item {
                Item::Contract(c) => self.collect(&c.body, Some(&c.name.as_string())),
                Item::Struct(s) => {
                    for key in keys(container, &s.name.as_string()) {
                        self.structs.insert(key, (container.map(str::to_string), s));
                    }
                }
                Item::Enum(e) => {
                    for key in keys(container, &e.name.as_string()) {
                        self.enums.insert(key, container.map(str::to_string));
                    }
                }
                Item::Udt(u) => {
                    for key in keys(container, &u.name.as_string()) {
                        self.udts.insert(key, &u.ty);
                    }
                }
                _ => {}
            }
        }
    }
}

/// The names a declaration can be referred to by: `Name` and, inside a container, `C.Name`.
fn keys(container: Option<&str>, name: &str) -> Vec<String> {
    let mut keys = vec![name.to_string()];
    if let Some(c) = container {
        keys.push(format!("{c}.{name}"));
    }
    keys
}

/// Converts a Solidity source (interfaces, as printed by stylus-sdk's export-abi) into a JSON ABI.
pub fn solidity_to_json_abi(source: &str) -> Result<JsonAbi> {
    let cleaned = strip_comments_and_pragmas(source);
    let file: syn_solidity::File =
        syn::parse_str(&cleaned).map_err(|e| eyre!("not valid Solidity: {e}"))?;
    let mut decls = Declarations::default();
    decls.collect(&file.items, None);

    let mut abi = JsonAbi::new();
    add_items(&mut abi, &file.items, &decls)?;
    Ok(abi)
}

/// Adds the ABI items (functions, errors, events, constructor, fallback, receive) of `items`,
/// descending into interfaces and contracts.
fn add_items(abi: &mut JsonAbi, items: &[Item], decls: &Declarations<'_>) -> Result<()> {
    for item in items {
        match item {
            Item::Contract(ItemContract { body, .. }) => add_items(abi, body, decls)?,
            Item::Function(f) => {
                let inputs = params(f.parameters.iter(), decls)?;
                let state_mutability = match f.attributes.mutability() {
                    Some(Mutability::Pure(_)) => StateMutability::Pure,
                    Some(Mutability::View(_) | Mutability::Constant(_)) => StateMutability::View,
                    Some(Mutability::Payable(_)) => StateMutability::Payable,
                    None => StateMutability::NonPayable,
                };
                match f.kind {
                    FunctionKind::Function(_) => {
                        let name = f
                            .name
                            .as_ref()
                            .ok_or_else(|| eyre!("function without a name"))?
                            .as_string();
                        let outputs = match &f.returns {
                            Some(r) => params(r.returns.iter(), decls)?,
                            None => Vec::new(),
                        };
                        let function = Function {
                            name: name.clone(),
                            inputs,
                            outputs,
                            state_mutability,
                        };
                        push_unique(abi.functions.entry(name).or_default(), function);
                    }
                    FunctionKind::Constructor(_) => {
                        abi.constructor = Some(Constructor {
                            inputs,
                            state_mutability,
                        });
                    }
                    FunctionKind::Fallback(_) => abi.fallback = Some(Fallback { state_mutability }),
                    FunctionKind::Receive(_) => abi.receive = Some(Receive { state_mutability }),
                    FunctionKind::Modifier(_) => {}
                }
            }
            Item::Error(e) => {
                let name = e.name.as_string();
                let error = AbiError {
                    name: name.clone(),
                    inputs: params(e.parameters.iter(), decls)?,
                };
                push_unique(abi.errors.entry(name).or_default(), error);
            }
            Item::Event(e) => {
                let name = e.name.as_string();
                let inputs = e
                    .parameters
                    .iter()
                    .map(|p| {
                        let name = p.name.as_ref().map(syn_solidity::SolIdent::as_string);
                        let param = param(&p.ty, name.unwrap_or_default(), decls, 0)?;
                        Ok(EventParam {
                            ty: param.ty,
                            name: param.name,
                            indexed: p.indexed.is_some(),
                            components: param.components,
                            internal_type: param.internal_type,
                        })
                    })
                    .collect::<Result<Vec<_>>>()?;
                let event = Event {
                    name: name.clone(),
                    inputs,
                    anonymous: e.anonymous.is_some(),
                };
                push_unique(abi.events.entry(name).or_default(), event);
            }
            _ => {}
        }
    }
    Ok(())
}

/// Pushes `item` unless an identical one is already there (an interface printed twice).
fn push_unique<T: PartialEq>(list: &mut Vec<T>, item: T) {
    if !list.contains(&item) {
        list.push(item);
    }
}

/// Converts a parameter list.
fn params<'a>(
    list: impl Iterator<Item = &'a VariableDeclaration>,
    decls: &Declarations<'_>,
) -> Result<Vec<Param>> {
    list.map(|v| {
        let name = v
            .name
            .as_ref()
            .map(syn_solidity::SolIdent::as_string)
            .unwrap_or_default();
        param(&v.ty, name, decls, 0)
    })
    .collect()
}

/// Deepest struct nesting followed before giving up (guards against recursive structs).
const MAX_STRUCT_DEPTH: usize = 32;

/// Converts one Solidity type into a JSON ABI parameter named `name`.
fn param(ty: &Type, name: String, decls: &Declarations<'_>, depth: usize) -> Result<Param> {
    let elementary = |ty: String| Param {
        internal_type: Some(InternalType::Other {
            contract: None,
            ty: ty.clone(),
        }),
        ty,
        name: name.clone(),
        components: Vec::new(),
    };
    Ok(match ty {
        Type::Address(_, payable) => {
            let mut p = elementary("address".into());
            if payable.is_some() {
                p.internal_type = Some(InternalType::AddressPayable("address payable".into()));
            }
            p
        }
        Type::Bool(_) => elementary("bool".into()),
        Type::String(_) => elementary("string".into()),
        Type::Bytes(_) => elementary("bytes".into()),
        Type::FixedBytes(_, size) => elementary(format!("bytes{size}")),
        Type::Int(_, size) => {
            elementary(format!("int{}", size.map_or(256, core::num::NonZero::get)))
        }
        Type::Uint(_, size) => {
            elementary(format!("uint{}", size.map_or(256, core::num::NonZero::get)))
        }
        Type::Array(array) => {
            let suffix = match (&array.size, array.size()) {
                (None, _) => "[]".to_string(),
                (Some(_), Some(n)) => format!("[{n}]"),
                (Some(_), None) => bail!("array size must be a number literal"),
            };
            let inner = param(&array.ty, name.clone(), decls, depth)?;
            Param {
                ty: inner.ty + &suffix,
                name,
                components: inner.components,
                internal_type: inner.internal_type.map(|it| append_internal(it, &suffix)),
            }
        }
        Type::Tuple(tuple) => Param {
            ty: "tuple".into(),
            name,
            components: tuple
                .types
                .iter()
                .map(|t| param(t, String::new(), decls, depth))
                .collect::<Result<_>>()?,
            internal_type: None,
        },
        Type::Custom(path) => {
            let key = path.to_string().replace(' ', "");
            if let Some((container, item)) = decls.structs.get(&key) {
                if depth >= MAX_STRUCT_DEPTH {
                    bail!("struct `{key}` nests deeper than {MAX_STRUCT_DEPTH} levels");
                }
                Param {
                    ty: "tuple".into(),
                    name,
                    components: item
                        .fields
                        .iter()
                        .map(|f| {
                            let field = f.name.as_ref().map(syn_solidity::SolIdent::as_string);
                            param(&f.ty, field.unwrap_or_default(), decls, depth + 1)
                        })
                        .collect::<Result<_>>()?,
                    internal_type: Some(InternalType::Struct {
                        contract: container.clone(),
                        ty: item.name.as_string(),
                    }),
                }
            } else if let Some(container) = decls.enums.get(&key) {
                Param {
                    ty: "uint8".into(),
                    name,
                    components: Vec::new(),
                    internal_type: Some(InternalType::Enum {
                        contract: container.clone(),
                        ty: path.last().as_string(),
                    }),
                }
            } else if let Some(underlying) = decls.udts.get(&key) {
                param(underlying, name, decls, depth + 1)?
            } else {
                bail!(
                    "type `{key}` is not declared in the exported interface (stylus-sdk prints a \
                     struct's definition only when it implements `InnerTypes`)"
                )
            }
        }
        Type::Function(_) | Type::Mapping(_) => {
            bail!("type at {:?} cannot appear in an external ABI", ty.span())
        }
    })
}

/// Appends an array suffix to an internal type (`struct I.S` → `struct I.S[]`).
fn append_internal(it: InternalType, suffix: &str) -> InternalType {
    match it {
        InternalType::AddressPayable(t) => InternalType::AddressPayable(t + suffix),
        InternalType::Contract(t) => InternalType::Contract(t + suffix),
        InternalType::Enum { contract, ty } => InternalType::Enum {
            contract,
            ty: ty + suffix,
        },
        InternalType::Struct { contract, ty } => InternalType::Struct {
            contract,
            ty: ty + suffix,
        },
        InternalType::Other { contract, ty } => InternalType::Other {
            contract,
            ty: ty + suffix,
        },
    }
}

#[cfg(test)]
mod tests;
