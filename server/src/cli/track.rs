//! `codeward scan --scan-name`: the tracking data of each finding, gathered while its source is at
//! hand ([`tracked_code`]), and the recording of a finished scan in the tracking database
//! ([`record`]).

use std::path::Path;

use anyhow::{Context, Result};
use codeward::finding::Finding;
use codeward::report::Report;
use codeward::text::LineIndex;
use codeward::tracking::fingerprint::{self, Occurrences};
use codeward::tracking::{Observed, RecordOutcome, ScanRecord, Store, Timestamp, TrackedCode};
use tree_sitter::Tree;

use super::diff;

/// Lines of code shown before and after the flagged lines.
const SNIPPET_CONTEXT: usize = 2;
/// At most this many flagged lines are kept in a snippet.
const SNIPPET_MAX_LINES: usize = 12;

/// The tracking data of `finding` in `source` (parsed as `tree`), shown as `display`.
pub fn tracked_code(
    display: &str,
    source: &str,
    lines: &LineIndex,
    tree: Option<&Tree>,
    finding: &Finding,
) -> TrackedCode {
    let identity = fingerprint::identify(finding.rule.id, source, tree, finding.range.clone());
    let first = lines.line_of(finding.range.start);
    let last = lines
        .line_of(finding.range.end.saturating_sub(1).max(finding.range.start))
        .min(first + SNIPPET_MAX_LINES - 1);
    let start_line = first.saturating_sub(SNIPPET_CONTEXT);
    let end_line = (last + 1 + SNIPPET_CONTEXT).min(lines.len_lines());
    let start = lines.line_start(start_line);
    let end = lines.line_start(end_line).max(start);
    let snippet = source
        .get(start..end)
        .unwrap_or("")
        .trim_end_matches(['\n', '\r'])
        .to_string();
    let fix = finding
        .fixes
        .first()
        .and_then(|fix| diff::unified(display, source, &fix.edits))
        .filter(|d| !d.is_empty());
    TrackedCode {
        hash: identity.hash,
        snippet,
        snippet_line: u32::try_from(start_line + 1).unwrap_or(u32::MAX),
        fix,
    }
}

/// The findings of `report` as one scan of `scan_name`, fingerprints numbered in report order.
pub fn scan_record(report: &Report, scan_name: &str) -> ScanRecord {
    let mut occurrences = Occurrences::default();
    let findings = report
        .findings()
        .filter_map(|(file, finding)| {
            let tracked = finding.tracked.as_ref()?;
            let path = match &finding.cell {
                Some(cell) => format!("{}:cell {}", file.display, cell.number),
                None => file.display.clone(),
            };
            Some(Observed {
                fingerprint: occurrences.next(tracked.hash),
                rule_id: finding.rule.id.to_string(),
                severity: finding.severity,
                path,
                line: finding.span.start.line,
                column: finding.span.start.column,
                message: finding.message.clone(),
                snippet: tracked.snippet.clone(),
                snippet_line: tracked.snippet_line,
                fix: tracked.fix.clone(),
            })
        })
        .collect();
    ScanRecord {
        scan_name: scan_name.to_string(),
        root: report.root.display().to_string(),
        files_scanned: report.files.len(),
        findings,
    }
}

/// Records `report` as a scan of `scan_name` taken at `at` in the database at `db`.
pub fn record(report: &Report, scan_name: &str, db: &Path, at: Timestamp) -> Result<RecordOutcome> {
    let record = scan_record(report, scan_name);
    let mut store = Store::open(db)?;
    store
        .record(&record, at)
        .with_context(|| format!("in {}", db.display()))
}
