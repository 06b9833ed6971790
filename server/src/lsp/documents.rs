//! The open documents, keyed by URI.
//!
//! Every method takes and releases the map's guard before returning, so no guard can be held
//! across an `.await` by a caller.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use dashmap::DashMap;
use tower_lsp_server::ls_types::Uri;

use super::discard::discard;
use crate::engine::ScanOutput;
use crate::lang::Language;
use crate::text::{Document, EditError, PositionEncoding, Snapshot, TextChange};

/// The result of a scan of one revision of a document.
#[derive(Debug, Clone)]
pub struct ScanResult {
    /// The revision that was scanned.
    pub revision: u64,
    /// The snapshot that was scanned (its rope converts the findings' byte ranges).
    pub snapshot: Snapshot,
    /// What the scan found.
    pub output: Arc<ScanOutput>,
}

/// One open document and its scan bookkeeping.
#[derive(Debug)]
struct Entry {
    document: Document,
    path: Option<PathBuf>,
    /// Bumped on every change (client versions can repeat or go backwards; this cannot).
    revision: u64,
    /// Bumped whenever a scan is scheduled; a debounced scan runs only if still the latest.
    ticket: u64,
    /// The last scan result, possibly of an older revision.
    last_scan: Option<ScanResult>,
}

/// A snapshot of a document with what is needed to scan it.
#[derive(Debug, Clone)]
pub struct ScanInput {
    /// The text, tree, language and version.
    pub snapshot: Snapshot,
    /// The file path, when the URI is a file.
    pub path: Option<PathBuf>,
    /// The revision of the snapshot.
    pub revision: u64,
}

/// What happened to a `didChange`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChangeOutcome {
    /// Applied; the version followed the previous one.
    Applied,
    /// Applied, but the version skipped or went backwards.
    VersionAnomaly {
        /// The version held before.
        held: i32,
        /// The version received.
        got: i32,
    },
    /// The document is not open; nothing was applied.
    NotOpen,
}

/// The store of open documents.
#[derive(Debug, Default)]
pub struct DocumentStore {
    entries: DashMap<Uri, Entry>,
    /// Revisions are unique across the store, so a scan of a closed and reopened document's
    /// earlier life can never pass for current.
    revisions: AtomicU64,
}

impl DocumentStore {
    /// Opens (or reopens) a document. The language comes from `language_id`, then the path's
    /// extension, else plain text.
    pub fn open(&self, uri: Uri, language_id: &str, text: &str, version: i32) {
        let path = uri.to_file_path().map(|p| p.into_owned());
        let language = Language::detect(Some(language_id), path.as_deref());
        let document = Document::new(language, text, version);
        let revision = self.next_revision();
        self.entries.insert(
            uri,
            Entry {
                document,
                path,
                revision,
                ticket: 0,
                last_scan: None,
            },
        );
    }

    /// Applies changes in order to an open document.
    pub fn change(
        &self,
        uri: &Uri,
        changes: &[TextChange],
        encoding: PositionEncoding,
        version: i32,
    ) -> ChangeOutcome {
        let Some(mut entry) = self.entries.get_mut(uri) else {
            return ChangeOutcome::NotOpen;
        };
        let held = entry.document.version();
        let result = entry.document.apply_changes(changes, encoding, version);
        entry.revision = self.next_revision();
        match result {
            Err(EditError::VersionNotIncreasing { held, got }) => {
                ChangeOutcome::VersionAnomaly { held, got }
            }
            Ok(()) if held.checked_add(1) != Some(version) => {
                ChangeOutcome::VersionAnomaly { held, got: version }
            }
            Ok(()) => ChangeOutcome::Applied,
        }
    }

    fn next_revision(&self) -> u64 {
        self.revisions.fetch_add(1, Ordering::Relaxed) + 1
    }

    /// Closes a document; returns whether it was open.
    pub fn close(&self, uri: &Uri) -> bool {
        self.entries.remove(uri).is_some()
    }

    /// Whether a document is open.
    pub fn is_open(&self, uri: &Uri) -> bool {
        self.entries.contains_key(uri)
    }

    /// The URIs of every open document.
    pub fn uris(&self) -> Vec<Uri> {
        self.entries.iter().map(|e| e.key().clone()).collect()
    }

    /// A snapshot to scan.
    pub fn scan_input(&self, uri: &Uri) -> Option<ScanInput> {
        self.entries.get(uri).map(|e| ScanInput {
            snapshot: e.document.snapshot(),
            path: e.path.clone(),
            revision: e.revision,
        })
    }

    /// The current snapshot (for code actions and hover, which read the text).
    pub fn snapshot(&self, uri: &Uri) -> Option<Snapshot> {
        self.entries.get(uri).map(|e| e.document.snapshot())
    }

    /// The current version and full text.
    pub fn version_and_text(&self, uri: &Uri) -> Option<(i32, String)> {
        self.entries
            .get(uri)
            .map(|e| (e.document.version(), e.document.text()))
    }

    /// Takes a new scheduling ticket for a document.
    pub fn next_ticket(&self, uri: &Uri) -> Option<u64> {
        self.entries.get_mut(uri).map(|mut e| {
            e.ticket += 1;
            e.ticket
        })
    }

    /// Whether `ticket` is still the latest scheduled for the document.
    pub fn is_latest_ticket(&self, uri: &Uri, ticket: u64) -> bool {
        self.entries.get(uri).is_some_and(|e| e.ticket == ticket)
    }

    /// The current revision of a document.
    pub fn revision(&self, uri: &Uri) -> Option<u64> {
        self.entries.get(uri).map(|e| e.revision)
    }

    /// Stores a scan result if it is of the current revision; returns whether it was stored.
    /// The result it replaces is freed off this thread (see [`discard`]).
    pub fn store_scan(&self, uri: &Uri, result: ScanResult) -> bool {
        let replaced = match self.entries.get_mut(uri) {
            Some(mut e) if e.revision == result.revision => e.last_scan.replace(result),
            _ => return false,
        };
        if let Some(replaced) = replaced {
            discard(replaced);
        }
        true
    }

    /// The last scan result if it is of the current revision.
    pub fn current_scan(&self, uri: &Uri) -> Option<ScanResult> {
        self.entries
            .get(uri)
            .and_then(|e| e.last_scan.clone().filter(|s| s.revision == e.revision))
    }

    /// Forgets every scan result (after a settings change).
    pub fn invalidate_scans(&self) {
        for mut entry in self.entries.iter_mut() {
            entry.last_scan = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::Position;

    fn uri() -> Uri {
        "file:///tmp/a.py".parse().expect("valid uri")
    }

    #[test]
    fn changes_and_version_anomalies() {
        let store = DocumentStore::default();
        let edit = |text: &str| TextChange {
            range: Some((Position::new(0, 0), Position::new(0, 0))),
            text: text.to_string(),
        };
        assert_eq!(
            store.change(&uri(), &[edit("x")], PositionEncoding::Utf16, 2),
            ChangeOutcome::NotOpen
        );
        store.open(uri(), "python", "a = 1\n", 1);
        assert_eq!(
            store.change(&uri(), &[edit("b")], PositionEncoding::Utf16, 2),
            ChangeOutcome::Applied
        );
        assert_eq!(
            store.change(&uri(), &[edit("c")], PositionEncoding::Utf16, 5),
            ChangeOutcome::VersionAnomaly { held: 2, got: 5 }
        );
        assert_eq!(
            store.change(&uri(), &[edit("d")], PositionEncoding::Utf16, 4),
            ChangeOutcome::VersionAnomaly { held: 5, got: 4 }
        );
        assert_eq!(
            store.version_and_text(&uri()),
            Some((4, "dcba = 1\n".to_string()))
        );
        assert_eq!(store.revision(&uri()), Some(4));
        let input = store.scan_input(&uri()).expect("open");
        assert_eq!(input.snapshot.language, Language::Python);
    }
}
