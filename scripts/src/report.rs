//! The contract size table: as aligned text for the terminal and as Markdown between
//! `<!-- sizes:start -->` / `<!-- sizes:end -->` markers in a document (README, BENCHMARKS.md).

use std::{fmt::Write as _, fs, io::ErrorKind, path::Path};

use eyre::{Result, WrapErr};

use crate::build::{ContractArtifacts, MAX_CODE_SIZE};

/// Marker line opening the generated size section of a Markdown file.
pub const START_MARKER: &str = "<!-- sizes:start -->";
/// Marker line closing the generated size section of a Markdown file.
pub const END_MARKER: &str = "<!-- sizes:end -->";

/// One row of the size table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SizeRow {
    /// Contract package name.
    pub contract: String,
    /// Bytes of cargo's `.wasm`.
    pub raw: usize,
    /// Bytes of the optimized, stripped module.
    pub optimized: usize,
    /// Bytes of the deployable code (prefix + brotli).
    pub deployable: usize,
}

impl SizeRow {
    /// Bytes left under the 24,576-byte limit (negative when over).
    pub fn headroom(&self) -> i64 {
        i64::try_from(MAX_CODE_SIZE).unwrap_or(i64::MAX)
            - i64::try_from(self.deployable).unwrap_or(i64::MAX)
    }
}

impl From<&ContractArtifacts> for SizeRow {
    fn from(a: &ContractArtifacts) -> Self {
        Self {
            contract: a.package.clone(),
            raw: a.raw_wasm_len,
            optimized: a.wasm_len,
            deployable: a.code_len,
        }
    }
}

/// Column titles, shared by both renderings.
fn header() -> [String; 5] {
    [
        "contract".into(),
        "raw wasm".into(),
        "optimized wasm".into(),
        "compressed (deployable)".into(),
        format!(
            "headroom to {}",
            thousands(i64::try_from(MAX_CODE_SIZE).unwrap_or(i64::MAX))
        ),
    ]
}

/// The cells of one row, numbers with thousands separators.
fn cells(row: &SizeRow) -> [String; 5] {
    let n = |v: usize| thousands(i64::try_from(v).unwrap_or(i64::MAX));
    [
        row.contract.clone(),
        n(row.raw),
        n(row.optimized),
        n(row.deployable),
        thousands(row.headroom()),
    ]
}

/// Formats an integer with `,` thousands separators (`-1,234`).
pub fn thousands(v: i64) -> String {
    let digits = v.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if v < 0 {
        out.insert(0, '-');
    }
    out
}

/// The table as aligned plain text (numbers right-aligned).
pub fn text_table(rows: &[SizeRow]) -> String {
    let header = header();
    let body: Vec<[String; 5]> = rows.iter().map(cells).collect();
    let mut widths = header.clone().map(|h| h.len());
    for row in &body {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.len());
        }
    }
    let line = |row: &[String; 5]| {
        let mut s = format!("{:<w$}", row[0], w = widths[0]);
        for (cell, w) in row.iter().zip(widths).skip(1) {
            let _ = write!(s, " | {cell:>w$}");
        }
        s.trim_end().to_string() + "\n"
    };
    let mut out = line(&header);
    out.push_str(&widths.map(|w| "-".repeat(w)).join("-+-"));
    out.push('\n');
    for row in &body {
        out.push_str(&line(row));
    }
    out
}

/// The table in Markdown (numbers right-aligned).
pub fn markdown_table(rows: &[SizeRow]) -> String {
    let mut out = format!("| {} |\n", header().join(" | "));
    out.push_str("|---|---:|---:|---:|---:|\n");
    for row in rows {
        let _ = writeln!(out, "| {} |", cells(row).join(" | "));
    }
    out
}

/// Replaces what lies between the size markers in `document` with `content`; appends a new
/// marked section at the end when the markers are missing.
pub fn replace_section(document: &str, content: &str) -> String {
    replace_named_section(document, "sizes", content)
}

/// Replaces what lies between `<!-- {name}:start -->` and `<!-- {name}:end -->` in `document`
/// with `content`; appends a new marked section at the end when the markers are missing.
pub fn replace_named_section(document: &str, name: &str, content: &str) -> String {
    let (start_marker, end_marker) = (
        format!("<!-- {name}:start -->"),
        format!("<!-- {name}:end -->"),
    );
    let section = format!("{start_marker}\n{}{end_marker}", ensure_newline(content));
    if let Some(start) = document.find(&start_marker) {
        if let Some(end_rel) = document[start..].find(&end_marker) {
            let end = start + end_rel + end_marker.len();
            return format!("{}{section}{}", &document[..start], &document[end..]);
        }
    }
    let mut out = ensure_newline(document);
    if !out.is_empty() {
        out.push('\n');
    }
    out.push_str(&section);
    out.push('\n');
    out
}

/// `s` with a trailing newline (unless empty).
fn ensure_newline(s: &str) -> String {
    if s.is_empty() || s.ends_with('\n') {
        s.to_string()
    } else {
        format!("{s}\n")
    }
}

/// Rewrites the marked size section of the Markdown file at `path` with the table of `rows`
/// (creating the file or the section when missing).
pub fn update_markdown(path: &Path, rows: &[SizeRow]) -> Result<()> {
    let document = match fs::read_to_string(path) {
        Ok(s) => s,
        Err(e) if e.kind() == ErrorKind::NotFound => String::new(),
        Err(e) => return Err(e).wrap_err_with(|| format!("reading {}", path.display())),
    };
    let updated = replace_section(&document, &markdown_table(rows));
    fs::write(path, updated).wrap_err_with(|| format!("writing {}", path.display()))
}

/// Whether the marked size section of the Markdown file at `path` already holds the table of
/// `rows` (a missing file or section is stale).
pub fn markdown_is_current(path: &Path, rows: &[SizeRow]) -> Result<bool> {
    let document =
        fs::read_to_string(path).wrap_err_with(|| format!("reading {}", path.display()))?;
    Ok(replace_section(&document, &markdown_table(rows)) == document)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows() -> Vec<SizeRow> {
        vec![SizeRow {
            contract: "counter".into(),
            raw: 3572,
            optimized: 3072,
            deployable: 1500,
        }]
    }

    #[test]
    fn markdown_check_detects_stale_and_current_tables() {
        let dir = std::env::temp_dir().join(format!("sizes-check-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let path = dir.join("BENCHMARKS.md");
        fs::write(&path, "# Benchmarks\n").unwrap();
        assert!(!markdown_is_current(&path, &rows()).unwrap());
        update_markdown(&path, &rows()).unwrap();
        assert!(markdown_is_current(&path, &rows()).unwrap());
        let mut bigger = rows();
        bigger[0].deployable += 1;
        assert!(!markdown_is_current(&path, &bigger).unwrap());
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn thousands_separators() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(24_576), "24,576");
        assert_eq!(thousands(-1_234_567), "-1,234,567");
    }

    #[test]
    fn markdown_table_has_header_alignment_and_rows() {
        let md = markdown_table(&rows());
        assert_eq!(
            md,
            "| contract | raw wasm | optimized wasm | compressed (deployable) | headroom to 24,576 |\n\
             |---|---:|---:|---:|---:|\n\
             | counter | 3,572 | 3,072 | 1,500 | 23,076 |\n"
        );
    }

    #[test]
    fn text_table_aligns_columns() {
        let text = text_table(&rows());
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 3);
        assert!(lines[2].starts_with("counter "));
        assert!(lines[2].ends_with(" 23,076"));
        assert_eq!(lines[0].find(" | "), lines[2].find(" | "));
    }

    #[test]
    fn replaces_existing_section_and_keeps_the_rest() {
        let doc = format!("# Sizes\n\n{START_MARKER}\nold\n{END_MARKER}\n\nmore\n");
        let out = replace_section(&doc, "new\n");
        assert_eq!(
            out,
            format!("# Sizes\n\n{START_MARKER}\nnew\n{END_MARKER}\n\nmore\n")
        );
    }

    #[test]
    fn appends_section_when_markers_are_missing() {
        assert_eq!(
            replace_section("", "t\n"),
            format!("{START_MARKER}\nt\n{END_MARKER}\n")
        );
        assert_eq!(
            replace_section("# Doc", "t\n"),
            format!("# Doc\n\n{START_MARKER}\nt\n{END_MARKER}\n")
        );
    }
}
