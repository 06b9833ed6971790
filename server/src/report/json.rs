//! The JSON report: a stable, documented shape for scripts.
//!
//! ```text
//! {
//!   "tool": { "name": "codeward", "version": "0.1.0" },
//!   "formatVersion": 1,
//!   "positionEncoding": "utf-16",         // columns count UTF-16 code units
//!   "findings": [{
//!     "path": "src/app.py",               // relative to the working directory when under it
//!     "ruleId": "python/os-command-injection@v1.0",
//!     "name": "OS command injection",
//!     "severity": "High",                 // Critical | High | Medium | Low | Info
//!     "category": "Security",             // Security | Quality
//!     "cwes": [78],
//!     "start": { "line": 3, "column": 5 }, // 1-based
//!     "end": { "line": 3, "column": 27 },  // 1-based, exclusive
//!     "message": "...",
//!     "docUrl": "https://...",
//!     "fingerprint": "9f0c...:1",         // rule + normalised line text, no line numbers
//!     "fixes": [{ "title": "...", "applicability": "safe" | "unsafe" | "display-only",
//!                 "edits": [{ "start": {..}, "end": {..}, "replacement": "..." }] }],
//!     "cell": 3,                          // notebooks only: 1-based cell (`cells[2]`), and then
//!     "cellId": "a1b2"                    // start, end and fix edits are lines of that cell
//!   }],
//!   "summary": { "findings": 1, "bySeverity": { "Critical": 0, "High": 1, ... },
//!                "filesScanned": 3, "filesSkipped": 1, "filesNotScanned": 2, "linesScanned": 120 },
//!   "errors": [{ "path": "img.py", "kind": "skipped", "message": "binary file" }]
//! }
//! ```
//!
//! `kind` is one of `missing-path`, `skipped`, `detector-failed`, `notice`. Fields are only ever
//! added; a removal or change of meaning bumps `formatVersion`.

use std::io::{self, Write};

use serde::Serialize;

use crate::finding::{Applicability, Severity};

use super::{Location, Problem, Report, ReportedFinding, Span};

/// The version of the shape described in the module docs.
pub const FORMAT_VERSION: u32 = 1;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Document<'a> {
    tool: Tool,
    format_version: u32,
    position_encoding: &'static str,
    findings: Vec<JsonFinding<'a>>,
    summary: JsonSummary,
    errors: &'a [Problem],
}

/// The tool's name and version, shared with SARIF.
#[derive(Serialize)]
pub(crate) struct Tool {
    pub(crate) name: &'static str,
    pub(crate) version: &'static str,
}

impl Tool {
    pub(crate) fn this() -> Self {
        Self {
            name: "codeward",
            version: env!("CARGO_PKG_VERSION"),
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsonFinding<'a> {
    path: &'a str,
    rule_id: &'static str,
    name: &'static str,
    severity: &'static str,
    category: &'static str,
    cwes: &'static [u32],
    start: JsonLocation,
    end: JsonLocation,
    message: &'a str,
    doc_url: String,
    fingerprint: &'a str,
    fixes: Vec<JsonFix<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    cell: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    cell_id: Option<&'a str>,
}

#[derive(Serialize)]
struct JsonLocation {
    line: u32,
    column: u32,
}

impl From<Location> for JsonLocation {
    fn from(l: Location) -> Self {
        Self {
            line: l.line,
            column: l.column,
        }
    }
}

#[derive(Serialize)]
struct JsonFix<'a> {
    title: &'a str,
    applicability: Applicability,
    edits: Vec<JsonEdit<'a>>,
}

#[derive(Serialize)]
struct JsonEdit<'a> {
    start: JsonLocation,
    end: JsonLocation,
    replacement: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsonSummary {
    findings: usize,
    by_severity: BySeverity,
    files_scanned: usize,
    files_skipped: usize,
    files_not_scanned: usize,
    lines_scanned: usize,
}

/// Counts in severity order, most severe first.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct BySeverity {
    critical: usize,
    high: usize,
    medium: usize,
    low: usize,
    info: usize,
}

impl Serialize for Problem {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut s = serializer.serialize_struct("Problem", 3)?;
        s.serialize_field("path", &self.path)?;
        s.serialize_field("kind", self.kind.as_str())?;
        s.serialize_field("message", &self.message)?;
        s.end()
    }
}

fn finding<'a>(path: &'a str, f: &'a ReportedFinding) -> JsonFinding<'a> {
    let Span { start, end } = f.span;
    JsonFinding {
        path,
        rule_id: f.rule.id,
        name: f.rule.name,
        severity: f.severity.as_str(),
        category: f.rule.category.as_str(),
        cwes: f.rule.cwes,
        start: start.into(),
        end: end.into(),
        message: &f.message,
        doc_url: f.rule.doc_url(),
        fingerprint: &f.fingerprint,
        cell: f.cell.as_ref().map(|c| c.number),
        cell_id: f.cell.as_ref().and_then(|c| c.id.as_deref()),
        fixes: f
            .fixes
            .iter()
            .map(|fix| JsonFix {
                title: &fix.title,
                applicability: fix.applicability,
                edits: fix
                    .edits
                    .iter()
                    .map(|e| JsonEdit {
                        start: e.span.start.into(),
                        end: e.span.end.into(),
                        replacement: &e.replacement,
                    })
                    .collect(),
            })
            .collect(),
    }
}

/// Writes the report as pretty-printed JSON followed by a newline.
pub fn write(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let summary = report.summary();
    let document = Document {
        tool: Tool::this(),
        format_version: FORMAT_VERSION,
        position_encoding: "utf-16",
        findings: report
            .findings()
            .map(|(file, f)| finding(&file.display, f))
            .collect(),
        summary: JsonSummary {
            findings: summary.findings(),
            by_severity: BySeverity {
                critical: summary.count(Severity::Critical),
                high: summary.count(Severity::High),
                medium: summary.count(Severity::Medium),
                low: summary.count(Severity::Low),
                info: summary.count(Severity::Info),
            },
            files_scanned: summary.files_scanned,
            files_skipped: summary.files_skipped,
            files_not_scanned: summary.files_not_scanned,
            lines_scanned: summary.lines_scanned,
        },
        errors: &report.problems,
    };
    serde_json::to_writer_pretty(&mut *out, &document)?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::ProblemKind;

    #[test]
    fn empty_report_has_every_documented_key() {
        let report = Report {
            problems: vec![Problem {
                path: "x.py".into(),
                kind: ProblemKind::Skipped,
                message: "binary file".into(),
            }],
            ..Report::default()
        };
        let mut out = Vec::new();
        write(&report, &mut out).expect("writes");
        let value: serde_json::Value = serde_json::from_slice(&out).expect("valid JSON");
        assert_eq!(value["tool"]["name"], "codeward");
        assert_eq!(value["formatVersion"], FORMAT_VERSION);
        assert_eq!(value["positionEncoding"], "utf-16");
        assert_eq!(value["findings"], serde_json::json!([]));
        assert_eq!(value["summary"]["bySeverity"]["Critical"], 0);
        assert_eq!(value["summary"]["filesSkipped"], 1);
        assert_eq!(value["errors"][0]["kind"], "skipped");
        assert_eq!(value["errors"][0]["path"], "x.py");
    }
}
