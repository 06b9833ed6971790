//! The checks behind Codeward's fuzz targets, kept in one file so the normal test suite can
//! replay saved inputs through exactly the same code (`tests/fuzz_regressions.rs` includes this
//! file with `#[path]`). Each check takes raw bytes, drives a public entry point of the
//! `codeward` library, and panics when an invariant does not hold; a panic anywhere inside is a
//! crash for libFuzzer and a failed test for the replay.
//!
//! Only the `codeward` library and `serde_json` are used, so the file builds in both crates.

use std::ops::Range;

use codeward::config::{AnalysisType, ScanSettings, ScanType};
use codeward::engine::{self, ScanOutput, Source};
use codeward::finding::Finding;
use codeward::lang::{parse_str, Language};
use codeward::lsp::LspSettings;
use codeward::notebook::{self, ipynb, CellSource};
use codeward::text::{Document, LineIndex, PositionEncoding, TextChange};

/// The fuzz targets, by name (also the directory names of their corpora).
pub const TARGETS: [&str; 7] = [
    "edit",
    "python",
    "java",
    "javascript",
    "text",
    "notebook",
    "config",
];

/// Runs the check of `target` on `data`; `false` for an unknown target.
pub fn check(target: &str, data: &[u8]) -> bool {
    match target {
        "edit" => check_edits(data),
        "python" => check_scan(Language::Python, data),
        "java" => check_scan(Language::Java, data),
        "javascript" => {
            check_scan(Language::JavaScript, data);
            check_scan(Language::TypeScript, data);
        }
        "text" => check_scan(Language::Text, data),
        "notebook" => check_notebook(data),
        "config" => check_config(data),
        _ => return false,
    }
    true
}

/// Every detector, no size limit, no time budget: the whole engine runs on every input (a slow
/// input is libFuzzer's timeout, not a notice).
fn settings() -> ScanSettings {
    ScanSettings {
        analysis_type: AnalysisType::All,
        scan_type: ScanType::Standard,
        time_budget_ms: 0,
        ..ScanSettings::default()
    }
}

/// Invariants of any scan output for `text`: ranges in bounds and on character boundaries, fix
/// edits too, no detector panicked.
fn check_output(text: &str, output: &ScanOutput, what: &str) {
    assert!(
        output.failed_detectors.is_empty(),
        "{what}: detectors panicked: {:?}",
        output.failed_detectors
    );
    for finding in &output.findings {
        check_range(text, &finding.range, finding.rule.id);
        for fix in &finding.fixes {
            for edit in &fix.edits {
                check_range(text, &edit.range, finding.rule.id);
            }
        }
    }
    for notice in &output.notices {
        check_range(text, &notice.range, "notice");
    }
}

fn check_range(text: &str, range: &Range<usize>, what: &str) {
    assert!(
        range.start <= range.end
            && range.end <= text.len()
            && text.is_char_boundary(range.start)
            && text.is_char_boundary(range.end),
        "{what}: range {range:?} is not a valid range of a {}-byte text",
        text.len()
    );
}

/// Parse + analysis + detectors of one language on arbitrary text (invalid UTF-8 replaced).
pub fn check_scan(language: Language, data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let output = engine::scan(
        Source {
            text: &text,
            language,
            path: None,
            tree: None,
        },
        &settings(),
    );
    check_output(&text, &output, language.name());
}

/// A cursor over the fuzzer's bytes.
struct Bytes<'a>(&'a [u8]);

impl Bytes<'_> {
    fn byte(&mut self) -> u8 {
        let (first, rest) = self.0.split_first().map_or((0, &[][..]), |(f, r)| (*f, r));
        self.0 = rest;
        first
    }

    fn u16(&mut self) -> usize {
        (usize::from(self.byte()) << 8) | usize::from(self.byte())
    }

    /// A string of up to `max` bytes (lossy UTF-8).
    fn text(&mut self, max: usize) -> String {
        let len = self.u16().min(max).min(self.0.len());
        let (taken, rest) = self.0.split_at(len);
        self.0 = rest;
        String::from_utf8_lossy(taken).into_owned()
    }

    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// A byte offset of `text` on a character boundary and not between the `\r` and `\n` of a CRLF
/// (no LSP position names that point).
fn snap(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    if at > 0 && text.as_bytes()[at - 1] == b'\r' && text.as_bytes().get(at) == Some(&b'\n') {
        at -= 1;
    }
    at
}

/// The edit path: a document, batches of random edits sent as LSP positions, the incremental
/// reparse against a full parse, and the incremental scan against a full scan.
///
/// Input: a byte choosing the language and position encoding, the initial text, then batches of
/// edits (start, length, replacement).
pub fn check_edits(data: &[u8]) {
    let mut bytes = Bytes(data);
    let head = bytes.byte();
    let language = Language::ALL[usize::from(head) % Language::ALL.len()];
    let encoding = [
        PositionEncoding::Utf8,
        PositionEncoding::Utf16,
        PositionEncoding::Utf32,
    ][usize::from(head / 8) % 3];
    let mut expected = bytes.text(4096);
    let mut document = Document::new(language, &expected, 1);
    let mut cache = codeward::engine::ScanCache::default();
    let settings = settings();
    let mut version = 1;
    let mut batches = 0;
    while !bytes.is_empty() && batches < 16 {
        batches += 1;
        let count = 1 + usize::from(bytes.byte() % 4);
        let mut changes = Vec::with_capacity(count);
        for _ in 0..count {
            let start = snap(&expected, bytes.u16());
            let end = snap(&expected, start + usize::from(bytes.byte())).max(start);
            let replacement = bytes.text(256);
            let lines = LineIndex::new(&expected);
            changes.push(TextChange {
                range: Some((
                    lines.position(&expected, start, encoding),
                    lines.position(&expected, end, encoding),
                )),
                text: replacement.clone(),
            });
            expected.replace_range(start..end, &replacement);
        }
        version += 1;
        let applied = document.apply_changes(&changes, encoding, version);
        assert!(applied.is_ok(), "edits rejected: {applied:?}");
        assert_eq!(document.text(), expected, "the document's text after edits");
        let full = parse_str(language, &expected);
        assert_eq!(
            document.tree().map(|t| t.root_node().to_sexp()),
            full.as_ref().map(|t| t.root_node().to_sexp()),
            "incremental reparse differs from a full parse"
        );
        let source = Source {
            text: &expected,
            language,
            path: None,
            tree: document.tree(),
        };
        let incremental = engine::scan_incremental(source, &settings, &mut cache);
        let fresh = engine::scan(
            Source {
                tree: None,
                ..source
            },
            &settings,
        );
        check_output(&expected, &incremental, "incremental scan");
        assert_eq!(
            summary(&incremental.findings),
            summary(&fresh.findings),
            "incremental scan differs from a full scan"
        );
    }
}

/// What must be equal between two scans of the same text: everything a finding says
/// ([`Finding::describe`]; an incremental scan carries findings of unchanged definitions over,
/// fixes and severity included).
fn summary(findings: &[Finding]) -> Vec<String> {
    findings.iter().map(Finding::describe).collect()
}

/// Notebook JSON: parsing, then a scan of the code cells as one program; findings must be valid
/// ranges of their own cell.
pub fn check_notebook(data: &[u8]) {
    let raw = String::from_utf8_lossy(data);
    let Ok(parsed) = ipynb::parse(&raw) else {
        return;
    };
    for cell in &parsed.cells {
        if let Some(lines) = &cell.raw_lines {
            assert!(
                lines.len() <= LineIndex::new(&cell.source).len_lines(),
                "more located lines than the cell has"
            );
        }
    }
    let sources: Vec<CellSource<'_>> = parsed
        .cells
        .iter()
        .map(|cell| CellSource {
            text: &cell.source,
            code: cell.kind == ipynb::CellKind::Code,
        })
        .collect();
    let output = notebook::scan(&sources, None, &settings());
    assert!(
        output.failed_detectors.is_empty(),
        "detectors panicked on a notebook: {:?}",
        output.failed_detectors
    );
    assert_eq!(output.cells.len(), parsed.cells.len());
    for (cell, findings) in parsed.cells.iter().zip(&output.cells) {
        for finding in findings {
            check_range(&cell.source, &finding.range, finding.rule.id);
        }
    }
}

/// Configuration: the input as LSP settings JSON (initial and as an update of the defaults),
/// and as `codeward.toml` / `pyproject.toml` text.
pub fn check_config(data: &[u8]) {
    if let Ok(value) = serde_json::from_slice::<serde_json::Value>(data) {
        let (settings, _problems) = LspSettings::from_json(&value);
        let (again, _problems) = settings.updated_with(&value);
        assert_eq!(
            settings, again,
            "applying the same settings twice changed them"
        );
    }
    let text = String::from_utf8_lossy(data);
    let _ = codeward::cli::config::parse(&text, false);
    let _ = codeward::cli::config::parse(&text, true);
}
