//! Open notebook documents (LSP 3.17 `notebookDocument/*`): each notebook's cells in order, with
//! their kinds, languages and texts, and the last scan of the notebook as one program.
//!
//! Every method takes and releases the maps' guards before returning, so no guard can be held
//! across an `.await` by a caller.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use dashmap::DashMap;
use ropey::Rope;
use tower_lsp_server::ls_types::{
    NotebookCell, NotebookCellKind, NotebookDocumentCellChange, TextDocumentItem, Uri,
};

use crate::engine::Notice;
use crate::finding::Finding;
use crate::lang::Language;
use crate::notebook::CellSource;
use crate::text::{Document, PositionEncoding, TextChange};

/// One cell of an open notebook.
#[derive(Debug, Clone)]
struct Cell {
    uri: Uri,
    kind: NotebookCellKind,
    language_id: String,
    /// The text (kept as plain text: the notebook is parsed as a whole when scanned).
    document: Document,
}

impl Cell {
    fn new(uri: Uri, kind: NotebookCellKind, item: Option<TextDocumentItem>) -> Self {
        let (language_id, text, version) = match item {
            Some(item) => (item.language_id, item.text, item.version),
            None => (String::new(), String::new(), 0),
        };
        Self {
            uri,
            kind,
            language_id,
            document: Document::new(Language::Text, &text, version),
        }
    }

    /// Whether the cell is analysed: a code cell in Python (or in no declared language).
    fn is_python_code(&self) -> bool {
        self.kind == NotebookCellKind::CODE
            && (self.language_id.is_empty()
                || Language::from_language_id(&self.language_id) == Some(Language::Python))
    }
}

/// A snapshot of one cell.
#[derive(Debug, Clone)]
pub struct CellSnapshot {
    /// The cell's document URI.
    pub uri: Uri,
    /// Its version.
    pub version: i32,
    /// Its text.
    pub rope: Rope,
    /// Whether it is analysed as Python.
    pub code: bool,
}

/// The findings of one cell in a notebook scan.
#[derive(Debug, Clone)]
pub struct CellResult {
    /// The cell as scanned.
    pub cell: CellSnapshot,
    /// Its findings, in cell-local byte ranges.
    pub findings: Vec<Finding>,
    /// Notices shown on this cell.
    pub notices: Vec<Notice>,
}

/// The result of scanning one revision of a notebook.
#[derive(Debug, Clone)]
pub struct NotebookScan {
    /// The revision scanned.
    pub revision: u64,
    /// Every cell, in order, with its findings.
    pub cells: Vec<CellResult>,
}

impl NotebookScan {
    /// The result of one cell.
    pub fn cell(&self, uri: &Uri) -> Option<&CellResult> {
        self.cells.iter().find(|c| &c.cell.uri == uri)
    }
}

/// A snapshot of a notebook to scan.
#[derive(Debug, Clone)]
pub struct NotebookInput {
    /// The cells in order.
    pub cells: Vec<CellSnapshot>,
    /// The revision of the snapshot.
    pub revision: u64,
}

impl NotebookInput {
    /// The texts of the cells, for [`crate::notebook::scan`].
    pub fn texts(&self) -> Vec<String> {
        self.cells.iter().map(|c| c.rope.to_string()).collect()
    }

    /// The cells as scanner input, given their texts from [`Self::texts`].
    pub fn sources<'a>(&self, texts: &'a [String]) -> Vec<CellSource<'a>> {
        self.cells
            .iter()
            .zip(texts)
            .map(|(cell, text)| CellSource {
                text,
                code: cell.code,
            })
            .collect()
    }
}

/// One open notebook.
#[derive(Debug)]
struct Entry {
    version: i32,
    cells: Vec<Cell>,
    revision: u64,
    ticket: u64,
    last_scan: Option<Arc<NotebookScan>>,
    /// Held while a scan's result is checked and published (one run in flight per notebook).
    run_lock: Arc<tokio::sync::Mutex<()>>,
}

/// What a structure or text change did that the server must act on.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct ChangeReport {
    /// Cells that left the notebook (their diagnostics must be cleared).
    pub removed: Vec<Uri>,
    /// Problems with the message (logged; the rest was applied).
    pub problems: Vec<String>,
}

/// The store of open notebooks.
#[derive(Debug, Default)]
pub struct NotebookStore {
    notebooks: DashMap<Uri, Entry>,
    /// Which notebook each open cell belongs to.
    owners: DashMap<Uri, Uri>,
    revisions: AtomicU64,
}

impl NotebookStore {
    fn next_revision(&self) -> u64 {
        self.revisions.fetch_add(1, Ordering::Relaxed) + 1
    }

    /// Opens (or reopens) a notebook with its cells and their texts. Returns problems found.
    pub fn open(
        &self,
        uri: Uri,
        version: i32,
        cells: Vec<NotebookCell>,
        texts: Vec<TextDocumentItem>,
    ) -> Vec<String> {
        let mut problems = Vec::new();
        if let Some((_, old)) = self.notebooks.remove(&uri) {
            for cell in old.cells {
                self.owners.remove(&cell.uri);
            }
        }
        let mut texts: HashMap<Uri, TextDocumentItem> =
            texts.into_iter().map(|t| (t.uri.clone(), t)).collect();
        let cells: Vec<Cell> = cells
            .into_iter()
            .map(|cell| {
                let item = texts.remove(&cell.document);
                if item.is_none() {
                    problems.push(format!(
                        "cell {} has no text document; taken as empty",
                        cell.document.as_str()
                    ));
                }
                Cell::new(cell.document, cell.kind, item)
            })
            .collect();
        for cell in &cells {
            self.owners.insert(cell.uri.clone(), uri.clone());
        }
        let revision = self.next_revision();
        self.notebooks.insert(
            uri,
            Entry {
                version,
                cells,
                revision,
                ticket: 0,
                last_scan: None,
                run_lock: Arc::default(),
            },
        );
        problems
    }

    /// Applies a `notebookDocument/didChange`: structure (cells added, removed, moved), cell data
    /// (kind changes), then cell text edits. `None` when the notebook is not open.
    pub fn change(
        &self,
        uri: &Uri,
        version: i32,
        change: Option<NotebookDocumentCellChange>,
        encoding: PositionEncoding,
    ) -> Option<ChangeReport> {
        let mut entry = self.notebooks.get_mut(uri)?;
        let mut report = ChangeReport::default();
        // VS Code keeps the notebook version for edits of a cell's text (the cell's own version
        // moves), so only a version going backwards is a problem.
        if version < entry.version {
            report.problems.push(format!(
                "notebook version went from {} to {version}; applied in arrival order",
                entry.version
            ));
        }
        entry.version = version;
        entry.revision = self.next_revision();
        let Some(change) = change else {
            return Some(report);
        };
        if let Some(structure) = change.structure {
            let mut pool: HashMap<Uri, Cell> = HashMap::new();
            let start = (structure.array.start as usize).min(entry.cells.len());
            let end = start
                .saturating_add(structure.array.delete_count as usize)
                .min(entry.cells.len());
            for cell in entry.cells.drain(start..end) {
                pool.insert(cell.uri.clone(), cell);
            }
            let mut opened: HashMap<Uri, TextDocumentItem> = structure
                .did_open
                .unwrap_or_default()
                .into_iter()
                .map(|t| (t.uri.clone(), t))
                .collect();
            for closed in structure.did_close.unwrap_or_default() {
                pool.remove(&closed.uri);
                self.owners.remove(&closed.uri);
                report.removed.push(closed.uri);
            }
            let inserted: Vec<Cell> = structure
                .array
                .cells
                .unwrap_or_default()
                .into_iter()
                .map(
                    |cell| match (opened.remove(&cell.document), pool.remove(&cell.document)) {
                        (Some(item), _) => Cell::new(cell.document, cell.kind, Some(item)),
                        (None, Some(mut moved)) => {
                            moved.kind = cell.kind;
                            moved
                        }
                        (None, None) => {
                            report.problems.push(format!(
                                "inserted cell {} has no text document; taken as empty",
                                cell.document.as_str()
                            ));
                            Cell::new(cell.document, cell.kind, None)
                        }
                    },
                )
                .collect();
            for cell in &inserted {
                self.owners.insert(cell.uri.clone(), uri.clone());
            }
            entry.cells.splice(start..start, inserted);
            // Deleted cells that were neither re-inserted nor explicitly closed are gone too.
            for (gone, _) in pool {
                self.owners.remove(&gone);
                report.removed.push(gone);
            }
        }
        for data in change.data.unwrap_or_default() {
            match entry.cells.iter_mut().find(|c| c.uri == data.document) {
                Some(cell) => cell.kind = data.kind,
                None => report.problems.push(format!(
                    "cell data for {} which is not in the notebook",
                    data.document.as_str()
                )),
            }
        }
        for content in change.text_content.unwrap_or_default() {
            let Some(cell) = entry
                .cells
                .iter_mut()
                .find(|c| c.uri == content.document.uri)
            else {
                report.problems.push(format!(
                    "text change for cell {} which is not in the notebook",
                    content.document.uri.as_str()
                ));
                continue;
            };
            let changes: Vec<TextChange> = content
                .changes
                .into_iter()
                .map(super::proto::text_change)
                .collect();
            if cell
                .document
                .apply_changes(&changes, encoding, content.document.version)
                .is_err()
            {
                report.problems.push(format!(
                    "cell {} version did not increase; applied in arrival order",
                    cell.uri.as_str()
                ));
            }
        }
        Some(report)
    }

    /// Closes a notebook; returns its cells' URIs (`None` when it was not open).
    pub fn close(&self, uri: &Uri) -> Option<(Vec<Uri>, Arc<tokio::sync::Mutex<()>>)> {
        let (_, entry) = self.notebooks.remove(uri)?;
        let cells: Vec<Uri> = entry.cells.into_iter().map(|c| c.uri).collect();
        for cell in &cells {
            self.owners.remove(cell);
        }
        Some((cells, entry.run_lock))
    }

    /// The notebook a cell belongs to.
    pub fn owner(&self, cell: &Uri) -> Option<Uri> {
        self.owners.get(cell).map(|o| o.clone())
    }

    /// The URIs of every open notebook.
    pub fn uris(&self) -> Vec<Uri> {
        self.notebooks.iter().map(|e| e.key().clone()).collect()
    }

    /// The version and text of a cell (for `codeward/documentState`).
    pub fn cell_version_and_text(&self, cell: &Uri) -> Option<(i32, String)> {
        let owner = self.owner(cell)?;
        let entry = self.notebooks.get(&owner)?;
        let cell = entry.cells.iter().find(|c| &c.uri == cell)?;
        Some((cell.document.version(), cell.document.text()))
    }

    /// The current version and text of a cell as a snapshot.
    pub fn cell_snapshot(&self, cell: &Uri) -> Option<CellSnapshot> {
        let owner = self.owner(cell)?;
        let entry = self.notebooks.get(&owner)?;
        let cell = entry.cells.iter().find(|c| &c.uri == cell)?;
        Some(snapshot_of(cell))
    }

    /// A snapshot of a notebook to scan.
    pub fn scan_input(&self, uri: &Uri) -> Option<NotebookInput> {
        self.notebooks.get(uri).map(|e| NotebookInput {
            cells: e.cells.iter().map(snapshot_of).collect(),
            revision: e.revision,
        })
    }

    /// The current revision of a notebook.
    pub fn revision(&self, uri: &Uri) -> Option<u64> {
        self.notebooks.get(uri).map(|e| e.revision)
    }

    /// The scan lock of a notebook.
    pub fn run_lock(&self, uri: &Uri) -> Option<Arc<tokio::sync::Mutex<()>>> {
        self.notebooks.get(uri).map(|e| Arc::clone(&e.run_lock))
    }

    /// Takes a new scheduling ticket.
    pub fn next_ticket(&self, uri: &Uri) -> Option<u64> {
        self.notebooks.get_mut(uri).map(|mut e| {
            e.ticket += 1;
            e.ticket
        })
    }

    /// Whether `ticket` is still the latest scheduled.
    pub fn is_latest_ticket(&self, uri: &Uri, ticket: u64) -> bool {
        self.notebooks.get(uri).is_some_and(|e| e.ticket == ticket)
    }

    /// Stores a scan result if it is of the current revision.
    pub fn store_scan(&self, uri: &Uri, scan: Arc<NotebookScan>) -> bool {
        match self.notebooks.get_mut(uri) {
            Some(mut e) if e.revision == scan.revision => {
                e.last_scan = Some(scan);
                true
            }
            _ => false,
        }
    }

    /// The last scan if it is of the current revision.
    pub fn current_scan(&self, uri: &Uri) -> Option<Arc<NotebookScan>> {
        self.notebooks
            .get(uri)
            .and_then(|e| e.last_scan.clone().filter(|s| s.revision == e.revision))
    }

    /// Forgets every scan result (after a settings change).
    pub fn invalidate_scans(&self) {
        for mut entry in self.notebooks.iter_mut() {
            entry.last_scan = None;
        }
    }
}

fn snapshot_of(cell: &Cell) -> CellSnapshot {
    CellSnapshot {
        uri: cell.uri.clone(),
        version: cell.document.version(),
        rope: cell.document.rope().clone(),
        code: cell.is_python_code(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tower_lsp_server::ls_types::{
        NotebookCellArrayChange, NotebookDocumentCellChangeStructure, TextDocumentIdentifier,
    };

    fn uri(s: &str) -> Uri {
        s.parse().expect("valid uri")
    }

    fn cell(name: &str) -> NotebookCell {
        NotebookCell {
            kind: NotebookCellKind::CODE,
            document: uri(name),
            metadata: None,
            execution_summary: None,
        }
    }

    fn item(name: &str, text: &str) -> TextDocumentItem {
        TextDocumentItem::new(uri(name), "python".into(), 1, text.into())
    }

    fn texts(store: &NotebookStore, nb: &Uri) -> Vec<String> {
        store.scan_input(nb).expect("open").texts()
    }

    #[test]
    fn structure_changes_move_add_and_remove_cells() {
        let store = NotebookStore::default();
        let nb = uri("file:///n.ipynb");
        let problems = store.open(
            nb.clone(),
            1,
            vec![cell("c:a"), cell("c:b"), cell("c:c")],
            vec![item("c:a", "a"), item("c:b", "b"), item("c:c", "c")],
        );
        assert!(problems.is_empty());
        // Move `a` after `c`: delete it, insert it again (no didOpen: its text is kept).
        let moved = |start, delete, cells: Vec<NotebookCell>| NotebookDocumentCellChange {
            structure: Some(NotebookDocumentCellChangeStructure {
                array: NotebookCellArrayChange {
                    start,
                    delete_count: delete,
                    cells: Some(cells),
                },
                did_open: None,
                did_close: None,
            }),
            data: None,
            text_content: None,
        };
        let report = store
            .change(&nb, 2, Some(moved(0, 1, vec![])), PositionEncoding::Utf16)
            .expect("open");
        assert_eq!(report.removed, vec![uri("c:a")]);
        let mut structure = moved(2, 0, vec![cell("c:d")]);
        if let Some(s) = structure.structure.as_mut() {
            s.did_open = Some(vec![item("c:d", "d")]);
        }
        store.change(&nb, 3, Some(structure), PositionEncoding::Utf16);
        assert_eq!(texts(&store, &nb), vec!["b", "c", "d"]);
        assert_eq!(store.owner(&uri("c:a")), None);
        assert_eq!(store.owner(&uri("c:d")), Some(nb.clone()));
        // Delete and re-insert in one change is a move.
        store.change(
            &nb,
            4,
            Some(moved(0, 3, vec![cell("c:d"), cell("c:b"), cell("c:c")])),
            PositionEncoding::Utf16,
        );
        assert_eq!(texts(&store, &nb), vec!["d", "b", "c"]);
        let mut closing = moved(0, 1, vec![]);
        if let Some(s) = closing.structure.as_mut() {
            s.did_close = Some(vec![TextDocumentIdentifier::new(uri("c:d"))]);
        }
        let report = store
            .change(&nb, 5, Some(closing), PositionEncoding::Utf16)
            .expect("open");
        assert_eq!(report.removed, vec![uri("c:d")]);
        assert_eq!(texts(&store, &nb), vec!["b", "c"]);
        let (cells, _) = store.close(&nb).expect("was open");
        assert_eq!(cells, vec![uri("c:b"), uri("c:c")]);
        assert_eq!(store.owner(&uri("c:b")), None);
    }

    #[test]
    fn out_of_range_structure_changes_are_clamped() {
        let store = NotebookStore::default();
        let nb = uri("file:///n.ipynb");
        store.open(nb.clone(), 1, vec![cell("c:a")], vec![item("c:a", "a")]);
        let change = NotebookDocumentCellChange {
            structure: Some(NotebookDocumentCellChangeStructure {
                array: NotebookCellArrayChange {
                    start: 99,
                    delete_count: u32::MAX,
                    cells: Some(vec![cell("c:z")]),
                },
                did_open: None,
                did_close: None,
            }),
            data: None,
            text_content: None,
        };
        let report = store
            .change(&nb, 2, Some(change), PositionEncoding::Utf16)
            .expect("open");
        assert_eq!(report.problems.len(), 1);
        assert_eq!(texts(&store, &nb), vec!["a", ""]);
    }
}
