//! `codeward scan` on Jupyter notebooks: read the `.ipynb` (nbformat 4), scan its code cells as
//! one program, and report each finding in its cell (and, when the source lines can be located,
//! in the file's own text for SARIF).

use std::path::Path;

use codeward::config::ScanSettings;
use codeward::finding::Finding;
use codeward::lang::{parse_str, Language};
use codeward::notebook::{self, ipynb, CellSource};
use codeward::report::{
    locate, CellLocation, FileReport, Fingerprints, Location, Problem, ProblemKind, Span,
};
use codeward::text::LineIndex;

use codeward::files::read::read_source;

use super::track;

/// Scans one notebook file: its report and problems, or why it was skipped.
pub fn scan(
    path: &Path,
    display: String,
    settings: &ScanSettings,
    track: bool,
) -> Result<(FileReport, Vec<Problem>), Problem> {
    let skipped = |message: String| Problem {
        path: display.clone(),
        kind: ProblemKind::Skipped,
        message,
    };
    let raw = read_source(path).map_err(skipped)?;
    let parsed = ipynb::parse(&raw).map_err(skipped)?;
    if !parsed.is_python() {
        return Err(skipped(format!(
            "not a Python notebook (kernel language `{}`)",
            parsed.language.as_deref().unwrap_or("?")
        )));
    }
    let sources: Vec<CellSource<'_>> = parsed
        .cells
        .iter()
        .map(|cell| CellSource {
            text: &cell.source,
            code: cell.kind == ipynb::CellKind::Code,
        })
        .collect();
    let output = notebook::scan(&sources, Some(path), settings);
    let mut fingerprints = Fingerprints::default();
    let mut findings = Vec::new();
    let mut lines_scanned = 0;
    for ((index, cell), cell_findings) in parsed.cells.iter().enumerate().zip(output.cells) {
        let lines = LineIndex::new(&cell.source);
        // Tracking identifies a cell's findings by the cell's own code.
        let tree = if track && !cell_findings.is_empty() {
            parse_str(Language::Python, &cell.source)
        } else {
            None
        };
        let cell_display = format!("{display}:cell {}", index + 1);
        if cell.kind == ipynb::CellKind::Code {
            lines_scanned += lines.len_lines()
                - usize::from(cell.source.is_empty() || cell.source.ends_with(['\n', '\r']));
        }
        for finding in cell_findings {
            let file_span = file_span(cell, &lines, &finding);
            let print = fingerprints.next(&cell.source, &lines, &finding);
            let tracked = track.then(|| {
                track::tracked_code(&cell_display, &cell.source, &lines, tree.as_ref(), &finding)
            });
            let mut reported = locate(&cell.source, &lines, finding, print);
            reported.tracked = tracked;
            reported.cell = Some(CellLocation {
                number: index + 1,
                id: cell.id.clone(),
                file_span,
            });
            findings.push(reported);
        }
    }
    let mut problems: Vec<Problem> = output
        .failed_detectors
        .iter()
        .map(|id| Problem {
            path: display.clone(),
            kind: ProblemKind::DetectorFailed,
            message: format!("detector {id} failed on this notebook; its findings are missing"),
        })
        .collect();
    problems.extend(output.notices.into_iter().map(|(_, notice)| Problem {
        path: display.clone(),
        kind: ProblemKind::Notice,
        message: notice.message,
    }));
    let report = FileReport {
        display,
        language: Language::Python,
        lines: lines_scanned,
        syntax_errors: output.syntax_errors,
        findings,
    };
    Ok((report, problems))
}

/// The finding's span in the `.ipynb` file's text, from where the cell's source lines are.
fn file_span(cell: &ipynb::Cell, lines: &LineIndex, finding: &Finding) -> Option<Span> {
    let raw = cell.raw_lines.as_ref()?;
    let at = |offset: usize| -> Option<Location> {
        let line = lines.line_of(offset);
        let (raw_line, raw_column) = *raw.get(line)?;
        let prefix = cell.source.get(lines.line_start(line)..offset)?;
        Some(Location {
            line: raw_line.saturating_add(1),
            column: raw_column
                .saturating_add(ipynb::escaped_utf16_len(prefix))
                .saturating_add(1),
        })
    };
    Some(Span {
        start: at(finding.range.start)?,
        end: at(finding.range.end)?,
    })
}
