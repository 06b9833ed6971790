//! The text report, ruff-like: one `path:line:col: SEVERITY rule-id message` line per finding
//! (`notebook.ipynb:cell 3:line:col: ...` in a notebook, the line counted in the cell), then a
//! summary line. Problems (skipped files and the like) are written separately, to stderr.
//!
//! Columns are 1-based UTF-16 code units, as in every Codeward report.

use std::io::{self, Write};

use crate::finding::Severity;

use super::{Problem, ProblemKind, Report, Summary};

/// Whether to use ANSI colours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Style {
    /// Colour the output (only on a terminal, and never when `NO_COLOR` is set).
    pub color: bool,
}

impl Style {
    fn paint(self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }
}

fn severity_color(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "1;31",
        Severity::High => "31",
        Severity::Medium => "33",
        Severity::Low => "34",
        Severity::Info => "36",
    }
}

/// Writes the findings and the summary line.
pub fn write(report: &Report, style: Style, out: &mut dyn Write) -> io::Result<()> {
    write_findings(report, style, out)?;
    let summary = report.summary();
    if summary.findings() > 0 {
        writeln!(out)?;
    }
    writeln!(out, "{}", summary_line(&summary))
}

/// Writes one line per finding, without the summary.
pub fn write_findings(report: &Report, style: Style, out: &mut dyn Write) -> io::Result<()> {
    for (file, finding) in report.findings() {
        let severity = finding.severity.as_str().to_ascii_uppercase();
        let message = finding
            .message
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let path = match &finding.cell {
            Some(cell) => format!("{}:cell {}", file.display, cell.number),
            None => file.display.clone(),
        };
        writeln!(
            out,
            "{}:{}:{}: {} {} {}",
            style.paint("1", &path),
            finding.span.start.line,
            finding.span.start.column,
            style.paint(severity_color(finding.severity), &severity),
            style.paint("2", finding.rule.id),
            message
        )?;
    }
    Ok(())
}

/// "Found 3 findings (1 high, 2 medium) in 12 files scanned; 1 file skipped; ..."
pub fn summary_line(summary: &Summary) -> String {
    let total = summary.findings();
    let mut line = if total == 0 {
        "No findings".to_string()
    } else {
        let parts: Vec<String> = Severity::ALL
            .iter()
            .rev()
            .filter(|s| summary.count(**s) > 0)
            .map(|s| format!("{} {}", summary.count(*s), s.as_str().to_ascii_lowercase()))
            .collect();
        format!("Found {} ({})", plural(total, "finding"), parts.join(", "))
    };
    line.push_str(&format!(
        " in {} scanned ({})",
        plural(summary.files_scanned, "file"),
        plural(summary.lines_scanned, "line")
    ));
    if summary.files_skipped > 0 {
        line.push_str(&format!(
            "; {} skipped",
            plural(summary.files_skipped, "file")
        ));
    }
    if summary.files_not_scanned > 0 {
        line.push_str(&format!(
            "; {} of other types not scanned",
            plural(summary.files_not_scanned, "file")
        ));
    }
    line.push('.');
    line
}

fn plural(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// Writes one line per problem: `skipped: <path>: <reason>`, `error: <path>: <reason>`, ...
pub fn write_problems(problems: &[Problem], style: Style, out: &mut dyn Write) -> io::Result<()> {
    for problem in problems {
        let (label, color) = match problem.kind {
            ProblemKind::Missing => ("error", "1;31"),
            ProblemKind::Skipped => ("skipped", "33"),
            ProblemKind::DetectorFailed => ("warning", "33"),
            ProblemKind::Notice => ("note", "36"),
        };
        writeln!(
            out,
            "{}: {}: {}",
            style.paint(color, label),
            problem.path,
            problem.message
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_line_names_counts_and_files() {
        let mut summary = Summary {
            files_scanned: 1,
            lines_scanned: 10,
            files_skipped: 2,
            files_not_scanned: 3,
            ..Summary::default()
        };
        assert_eq!(
            summary_line(&summary),
            "No findings in 1 file scanned (10 lines); 2 files skipped; 3 files of other types \
             not scanned."
        );
        summary.by_severity = [0, 0, 2, 1, 0];
        summary.files_skipped = 0;
        summary.files_not_scanned = 0;
        assert_eq!(
            summary_line(&summary),
            "Found 3 findings (1 high, 2 medium) in 1 file scanned (10 lines)."
        );
    }

    #[test]
    fn problems_are_labelled_and_uncoloured_without_style() {
        let mut out = Vec::new();
        let problems = [Problem {
            path: "a.bin.py".into(),
            kind: ProblemKind::Skipped,
            message: "binary file".into(),
        }];
        write_problems(&problems, Style::default(), &mut out).expect("writes");
        assert_eq!(
            String::from_utf8(out).expect("utf-8"),
            "skipped: a.bin.py: binary file\n"
        );
        let mut colored = Vec::new();
        write_problems(&problems, Style { color: true }, &mut colored).expect("writes");
        assert!(String::from_utf8(colored)
            .expect("utf-8")
            .contains("\x1b[33mskipped"));
    }
}
