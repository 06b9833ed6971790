//! Scanning one file from disk for a workspace scan (blocking): read, scan, convert, drop the
//! text. Only the diagnostics leave this module. Code and text files are scanned as documents;
//! notebooks as notebooks (their code cells as one program, see [`super::notebook_file`]).

use std::path::Path;

use ropey::Rope;
use tower_lsp_server::ls_types::{Diagnostic, DiagnosticSeverity, NumberOrString};

use super::super::convert;
use super::notebook_file;
use crate::config::ScanSettings;
use crate::engine::{self, Source};
use crate::files::{read::read_source, FileKind};
use crate::text::PositionEncoding;

/// The `code` of the diagnostic shown for a file too large to scan.
pub const FILE_SIZE_CODE: &str = "codeward/max-file-size";

/// The outcome of scanning one file.
#[derive(Debug)]
pub enum FileScan {
    /// Its diagnostics (empty when clean).
    Diagnostics(Vec<Diagnostic>),
    /// Nothing to report: it could not be read (gone, unreadable, binary, not UTF-8), is not a
    /// Python notebook, or is a text file over `maxTextFileSize`.
    Unreadable,
}

/// Scans the file at `path` (of a scanned `kind`) with `settings`; files over `max_file_size`
/// bytes (0 = no limit) are not read and get one informational diagnostic saying so.
pub fn scan(
    path: &Path,
    kind: FileKind,
    settings: &ScanSettings,
    max_file_size: u64,
    encoding: PositionEncoding,
) -> FileScan {
    let Ok(meta) = std::fs::metadata(path) else {
        return FileScan::Unreadable;
    };
    if max_file_size > 0 && meta.len() > max_file_size {
        return FileScan::Diagnostics(vec![too_large(meta.len(), max_file_size)]);
    }
    // Large text files are data and logs, not configuration: left out without a notice (an
    // open one still gets the engine's notice), and not read.
    if kind == FileKind::Text
        && u64::try_from(settings.max_text_file_size).is_ok_and(|limit| meta.len() > limit)
    {
        return FileScan::Unreadable;
    }
    let Ok(text) = read_source(path) else {
        return FileScan::Unreadable;
    };
    let language = match kind {
        FileKind::Notebook => return notebook_file::scan(path, &text, settings, encoding),
        other => match other.language() {
            Some(language) => language,
            None => return FileScan::Unreadable,
        },
    };
    let output = engine::scan(
        Source {
            text: &text,
            language,
            path: Some(path),
            tree: None,
        },
        settings,
    );
    if !output.failed_detectors.is_empty() {
        tracing::warn!(
            path = %path.display(),
            detectors = ?output.failed_detectors,
            "detectors failed and reported nothing"
        );
    }
    let rope = Rope::from_str(&text);
    FileScan::Diagnostics(convert::diagnostics(&output, &rope, 0, encoding))
}

fn too_large(size: u64, limit: u64) -> Diagnostic {
    Diagnostic {
        severity: Some(DiagnosticSeverity::INFORMATION),
        code: Some(NumberOrString::String(FILE_SIZE_CODE.to_string())),
        source: Some(convert::SOURCE.to_string()),
        message: format!(
            "This file is {} KB, over the workspace scan limit of {} KB (`maxFileSize`), so it \
             was not scanned. Open it to scan it, or raise `maxFileSize`.",
            size / 1024,
            limit / 1024
        ),
        ..Diagnostic::default()
    }
}
