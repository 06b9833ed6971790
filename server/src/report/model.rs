//! The data every report format renders: scanned files with their findings located in lines and
//! columns, problems (skipped files, missing paths, failed detectors), and the rules that ran.
//!
//! Positions are converted here, once, while the source text is at hand, so a report over a large
//! tree keeps no file contents in memory. Lines and columns are **1-based**; columns count **UTF-16
//! code units** (the SARIF default `columnKind`, and what LSP editors use); an end position is
//! exclusive (it points just past the flagged text).

use std::path::PathBuf;

use crate::detectors::DetectorMeta;
use crate::engine::ScanOutput;
use crate::finding::{Applicability, Finding, Severity};
use crate::lang::Language;
use crate::text::{LineIndex, PositionEncoding};

use super::fingerprint;

/// A 1-based line and a 1-based column in UTF-16 code units.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Location {
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in UTF-16 code units.
    pub column: u32,
}

/// A range between two locations, the end exclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Span {
    /// Where it starts.
    pub start: Location,
    /// Just past where it ends.
    pub end: Location,
}

impl Span {
    /// The span of a byte range of `source`, indexed by `lines`.
    pub fn of(source: &str, lines: &LineIndex, range: &std::ops::Range<usize>) -> Self {
        Self {
            start: location(source, lines, range.start),
            end: location(source, lines, range.end),
        }
    }
}

fn location(source: &str, lines: &LineIndex, offset: usize) -> Location {
    let position = lines.position(source, offset, PositionEncoding::Utf16);
    Location {
        line: position.line.saturating_add(1),
        column: position.character.saturating_add(1),
    }
}

/// One replacement of a fix, located.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportedEdit {
    /// The replaced text.
    pub span: Span,
    /// The replaced text in UTF-8 byte offsets of the scanned source (of the cell, for a
    /// notebook finding), for applying the fix.
    pub range: std::ops::Range<usize>,
    /// The replacement.
    pub replacement: String,
}

/// A suggested fix, located.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportedFix {
    /// What the fix does.
    pub title: String,
    /// Whether it may be applied without review.
    pub applicability: Applicability,
    /// Its edits, sorted by position.
    pub edits: Vec<ReportedEdit>,
}

/// Where a finding of a notebook is: its cell, and the cell's source in the `.ipynb` file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellLocation {
    /// 1-based position of the cell among all the notebook's cells (markdown included), as
    /// `cells[number - 1]` in the file.
    pub number: usize,
    /// The cell's id (nbformat 4.5 and later).
    pub id: Option<String>,
    /// The finding's span in the `.ipynb` file's own text (inside the JSON strings of the cell's
    /// source), when the source lines could be located there.
    pub file_span: Option<Span>,
}

/// A finding with its position in lines and columns.
#[derive(Debug, Clone)]
pub struct ReportedFinding {
    /// The detector that found it.
    pub rule: &'static DetectorMeta,
    /// Its severity.
    pub severity: Severity,
    /// Where it is (for a notebook finding: in its cell, see `cell`).
    pub span: Span,
    /// For a finding in a notebook, the cell it is in (`span` is then relative to the cell).
    pub cell: Option<CellLocation>,
    /// What is wrong, why, and what to do.
    pub message: String,
    /// Suggested fixes, the preferred first.
    pub fixes: Vec<ReportedFix>,
    /// A fingerprint that survives edits elsewhere in the file (see [`fingerprint`]).
    pub fingerprint: String,
    /// Its code identity, snippet and fix for tracking (`scan --scan-name` only).
    pub tracked: Option<crate::tracking::TrackedCode>,
}

/// A file that was scanned.
#[derive(Debug, Clone)]
pub struct FileReport {
    /// The path relative to the report root with `/` separators when the file is under the root,
    /// else absolute. Used for display and (as a URI) in SARIF.
    pub display: String,
    /// Its language.
    pub language: Language,
    /// Number of lines (a final line terminator does not start another line).
    pub lines: usize,
    /// Number of syntax errors the parser recovered from (the file was still scanned).
    pub syntax_errors: usize,
    /// Findings, sorted by position then rule id.
    pub findings: Vec<ReportedFinding>,
}

/// What kind of problem a [`Problem`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ProblemKind {
    /// A path argument that does not exist or cannot be accessed (an error: exit code 2).
    Missing,
    /// A file that could not be scanned (unreadable, binary, invalid UTF-8); never fatal.
    Skipped,
    /// A detector that panicked on a file; its findings for that file are missing.
    DetectorFailed,
    /// Something the engine wants the user to know (e.g. a file over the express size limit).
    Notice,
}

impl ProblemKind {
    /// The stable kebab-case name used in JSON and SARIF.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Missing => "missing-path",
            Self::Skipped => "skipped",
            Self::DetectorFailed => "detector-failed",
            Self::Notice => "notice",
        }
    }

    /// Whether it makes the run unsuccessful.
    pub fn is_error(self) -> bool {
        matches!(self, Self::Missing | Self::DetectorFailed)
    }
}

/// Something other than a finding that happened during a scan.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Problem {
    /// The path it concerns, displayed like [`FileReport::display`].
    pub path: String,
    /// What kind of problem.
    pub kind: ProblemKind,
    /// The reason, for people.
    pub message: String,
}

/// Counts for the summary line and the JSON `summary` object.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// Findings per severity, indexed like [`Severity::ALL`] (Info first).
    pub by_severity: [usize; 5],
    /// Files scanned.
    pub files_scanned: usize,
    /// Files skipped (unreadable, binary, invalid UTF-8, lock files, text over the size limit).
    pub files_skipped: usize,
    /// Files of binary types (by extension) counted but not scanned.
    pub files_not_scanned: usize,
    /// Lines in the scanned files.
    pub lines_scanned: usize,
}

impl Summary {
    /// Total number of findings.
    pub fn findings(&self) -> usize {
        self.by_severity.iter().sum()
    }

    /// Number of findings of one severity.
    pub fn count(&self, severity: Severity) -> usize {
        self.by_severity[severity_index(severity)]
    }
}

fn severity_index(severity: Severity) -> usize {
    Severity::ALL
        .iter()
        .position(|s| *s == severity)
        .unwrap_or(0)
}

/// A whole scan, ready to render.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// The directory relative paths and SARIF `%SRCROOT%` refer to (the working directory).
    pub root: PathBuf,
    /// Scanned files, sorted by display path.
    pub files: Vec<FileReport>,
    /// Problems, sorted by path then kind.
    pub problems: Vec<Problem>,
    /// Files of other types counted but not scanned.
    pub files_not_scanned: usize,
    /// The detectors that were selected for this scan, in registry order.
    pub rules: Vec<&'static DetectorMeta>,
    /// The `--scan-name` of the scan, if given (SARIF `automationDetails.id`).
    pub scan_name: Option<String>,
    /// When the scan started (GitLab `scan.start_time`; the time of rendering when unset).
    pub started_at: Option<std::time::SystemTime>,
    /// When the scan finished (GitLab `scan.end_time`; the time of rendering when unset).
    pub finished_at: Option<std::time::SystemTime>,
}

impl Report {
    /// Counts findings and files.
    pub fn summary(&self) -> Summary {
        let mut summary = Summary {
            files_scanned: self.files.len(),
            files_skipped: self
                .problems
                .iter()
                .filter(|p| p.kind == ProblemKind::Skipped)
                .count(),
            files_not_scanned: self.files_not_scanned,
            ..Summary::default()
        };
        for file in &self.files {
            summary.lines_scanned += file.lines;
            for finding in &file.findings {
                summary.by_severity[severity_index(finding.severity)] += 1;
            }
        }
        summary
    }

    /// Every finding with its file, in report order.
    pub fn findings(&self) -> impl Iterator<Item = (&FileReport, &ReportedFinding)> {
        self.files
            .iter()
            .flat_map(|file| file.findings.iter().map(move |f| (file, f)))
    }

    /// The highest severity among the findings, if any.
    pub fn max_severity(&self) -> Option<Severity> {
        self.findings().map(|(_, f)| f.severity).max()
    }

    /// Sorts files and problems so output is deterministic whatever the scan order.
    pub fn sort(&mut self) {
        self.files.sort_by(|a, b| a.display.cmp(&b.display));
        self.problems.sort();
    }
}

impl FileReport {
    /// Locates the findings of one scanned file and turns its failed detectors and notices into
    /// problems; `lines` is the line index of `source`.
    pub fn from_scan(
        display: String,
        language: Language,
        source: &str,
        output: ScanOutput,
        lines: &LineIndex,
    ) -> (Self, Vec<Problem>) {
        let mut fingerprints = fingerprint::Fingerprints::default();
        let findings = output
            .findings
            .into_iter()
            .map(|finding| {
                let print = fingerprints.next(source, lines, &finding);
                locate(source, lines, finding, print)
            })
            .collect();
        let mut problems: Vec<Problem> = output
            .failed_detectors
            .iter()
            .map(|id| Problem {
                path: display.clone(),
                kind: ProblemKind::DetectorFailed,
                message: format!("detector {id} failed on this file; its findings are missing"),
            })
            .collect();
        problems.extend(output.notices.into_iter().map(|notice| Problem {
            path: display.clone(),
            kind: ProblemKind::Notice,
            message: notice.message,
        }));
        let report = Self {
            display,
            language,
            lines: lines.len_lines() - usize::from(source.ends_with(['\n', '\r'])),
            syntax_errors: output.syntax_errors.len(),
            findings,
        };
        (report, problems)
    }
}

/// Locates one finding of `source` (indexed by `lines`) with its fingerprint.
pub fn locate(source: &str, lines: &LineIndex, finding: Finding, print: String) -> ReportedFinding {
    ReportedFinding {
        rule: finding.rule,
        severity: finding.severity,
        span: Span::of(source, lines, &finding.range),
        cell: None,
        message: finding.message,
        fixes: finding
            .fixes
            .into_iter()
            .map(|fix| ReportedFix {
                title: fix.title,
                applicability: fix.applicability,
                edits: fix
                    .edits
                    .into_iter()
                    .map(|edit| ReportedEdit {
                        span: Span::of(source, lines, &edit.range),
                        range: edit.range,
                        replacement: edit.replacement,
                    })
                    .collect(),
            })
            .collect(),
        fingerprint: print,
        tracked: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_are_one_based_utf16() {
        let source = "a = 1\nb = '😀' + x\n";
        let lines = LineIndex::new(source);
        let x = source.find('x').expect("x");
        let span = Span::of(source, &lines, &(x..x + 1));
        assert_eq!(
            span.start,
            Location {
                line: 2,
                column: 12
            }
        );
        assert_eq!(
            span.end,
            Location {
                line: 2,
                column: 13
            }
        );
    }

    #[test]
    fn summary_counts_skipped_files_only() {
        let report = Report {
            problems: vec![
                Problem {
                    path: "a.py".into(),
                    kind: ProblemKind::Skipped,
                    message: "binary file".into(),
                },
                Problem {
                    path: "b.py".into(),
                    kind: ProblemKind::Notice,
                    message: "too big".into(),
                },
            ],
            files_not_scanned: 3,
            ..Report::default()
        };
        let summary = report.summary();
        assert_eq!(summary.files_skipped, 1);
        assert_eq!(summary.files_not_scanned, 3);
        assert_eq!(summary.findings(), 0);
        assert_eq!(report.max_severity(), None);
    }
}
