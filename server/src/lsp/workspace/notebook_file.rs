//! A workspace scan of a notebook file that is not open: its code cells are scanned as one
//! program (as when it is open, or by `codeward scan`), and each finding is published on the
//! `.ipynb` file itself, at the finding's place in the file's JSON text. Fixes are not offered
//! there (their edits are in cell coordinates); opening the notebook gives them per cell.

use std::path::Path;

use ropey::Rope;

use super::super::convert;
use super::file::FileScan;
use crate::config::ScanSettings;
use crate::finding::Finding;
use crate::notebook::{self, ipynb, CellSource};
use crate::text::{offset_of, LineIndex, Position, PositionEncoding};

/// Scans the notebook whose file text is `raw`. A file that is not a notebook, or not a Python
/// one, has nothing to report.
pub fn scan(
    path: &Path,
    raw: &str,
    settings: &ScanSettings,
    encoding: PositionEncoding,
) -> FileScan {
    let Ok(parsed) = ipynb::parse(raw) else {
        return FileScan::Unreadable;
    };
    if !parsed.is_python() {
        return FileScan::Unreadable;
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
    if !output.failed_detectors.is_empty() {
        tracing::warn!(
            path = %path.display(),
            detectors = ?output.failed_detectors,
            "detectors failed on a notebook and reported nothing"
        );
    }
    let rope = Rope::from_str(raw);
    let mut diagnostics = Vec::new();
    for (cell, findings) in parsed.cells.iter().zip(output.cells) {
        let lines = LineIndex::new(&cell.source);
        for finding in findings {
            let range = file_range(&rope, cell, &lines, &finding.range).unwrap_or(0..0);
            let placed = Finding {
                range,
                fixes: Vec::new(),
                ..finding
            };
            diagnostics.push(convert::finding(&placed, &rope, 0, encoding));
        }
    }
    FileScan::Diagnostics(diagnostics)
}

/// The byte range in the file's text of a byte range of a cell's source, when the cell's lines
/// could be located in the file (an end that cannot be located collapses onto the start).
fn file_range(
    rope: &Rope,
    cell: &ipynb::Cell,
    lines: &LineIndex,
    range: &std::ops::Range<usize>,
) -> Option<std::ops::Range<usize>> {
    let raw_lines = cell.raw_lines.as_ref()?;
    let at = |offset: usize| -> Option<usize> {
        let line = lines.line_of(offset);
        let (raw_line, raw_column) = *raw_lines.get(line)?;
        let prefix = cell.source.get(lines.line_start(line)..offset)?;
        let character = raw_column.saturating_add(ipynb::escaped_utf16_len(prefix));
        Some(offset_of(
            rope,
            Position::new(raw_line, character),
            PositionEncoding::Utf16,
        ))
    };
    let start = at(range.start)?;
    let end = at(range.end).unwrap_or(start).max(start);
    Some(start..end)
}
