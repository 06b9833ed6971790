//! One workspace scan: walk, scan the files in worker threads of the blocking pool (one file at a
//! time per worker), publish per file on the async side, report progress, stop when cancelled.

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;

use tower_lsp_server::ls_types::{Diagnostic, Uri};

use super::super::scheduler;
use super::super::state::State;
use super::file::{self, FileScan};
use super::walk;
use crate::files::FileKind;

/// How many files are scanned at once.
fn workers() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .clamp(1, 4)
}

/// Reports a scan's progress (implemented with work-done progress by the command handler).
pub trait Progress: Send {
    /// `done` of `total` files are scanned.
    fn report(&mut self, done: usize, total: usize)
        -> impl std::future::Future<Output = ()> + Send;
}

/// No progress reporting (auto-scan).
pub struct Silent;

impl Progress for Silent {
    async fn report(&mut self, _: usize, _: usize) {}
}

/// What a workspace scan did.
#[derive(Debug, Default, Clone, Copy)]
pub struct Summary {
    /// Files scanned (open documents excluded).
    pub files: usize,
    /// Findings and notices published for them.
    pub findings: usize,
    /// Whether it stopped before the end.
    pub cancelled: bool,
}

/// Scans the workspace folders, skipping open documents and notebooks. `cancel` stops it (the
/// files already scanned keep their diagnostics); a scan that ran to the end also clears the
/// diagnostics of files that are gone or now ignored.
pub async fn scan_workspace(
    state: &Arc<State>,
    cancel: &Arc<AtomicBool>,
    progress: &mut impl Progress,
) -> Summary {
    state.workspace.mark_scanned();
    let folders = state.workspace.folders();
    let walk_cancel = Arc::clone(cancel);
    let files = match tokio::task::spawn_blocking(move || walk::files(&folders, &walk_cancel)).await
    {
        // Open documents and notebooks were scanned from the editor's text; rescanning them from
        // disk would be wasted work and count them twice.
        Ok(files) => Arc::new(
            files
                .into_iter()
                .filter(|(path, _)| !uri_of(path).is_some_and(|uri| is_open(state, &uri)))
                .collect::<Vec<_>>(),
        ),
        Err(err) => {
            state
                .error_user(format!("listing the workspace failed: {err}"))
                .await;
            return Summary::default();
        }
    };
    // What each file's open/close count was when it was listed: a file opened or closed since
    // may have been saved from the editor after the scan read it.
    let epochs: std::collections::HashMap<Uri, u64> = files
        .iter()
        .filter_map(|(path, _)| uri_of(path))
        .map(|uri| {
            let epoch = state.workspace.epoch(&uri);
            (uri, epoch)
        })
        .collect();
    let total = files.len();
    let session = state.session();
    let (tx, mut rx) = tokio::sync::mpsc::channel::<(PathBuf, FileScan)>(64);
    let next = Arc::new(AtomicUsize::new(0));
    for _ in 0..workers().min(total.max(1)) {
        let files = Arc::clone(&files);
        let next = Arc::clone(&next);
        let cancel = Arc::clone(cancel);
        let tx = tx.clone();
        let settings = session.settings.clone();
        let encoding = session.encoding;
        tokio::task::spawn_blocking(move || loop {
            if cancel.load(Ordering::SeqCst) {
                break;
            }
            let index = next.fetch_add(1, Ordering::SeqCst);
            let Some((path, kind)) = files.get(index) else {
                break;
            };
            let scanned = crate::lsp::state::guarded("workspace file scan", || {
                file::scan(
                    path,
                    *kind,
                    &settings.scan,
                    settings.max_file_size,
                    encoding,
                )
            })
            .unwrap_or(FileScan::Unreadable);
            if tx.blocking_send((path.clone(), scanned)).is_err() {
                break;
            }
        });
    }
    drop(tx);
    let mut summary = Summary::default();
    let mut seen = HashSet::new();
    let mut reported = 0;
    progress.report(0, total).await;
    while let Some((path, scanned)) = rx.recv().await {
        summary.files += 1;
        if let Some(uri) = uri_of(&path) {
            seen.insert(uri.clone());
            match scanned {
                FileScan::Diagnostics(diagnostics) => {
                    let read_at = epochs.get(&uri).copied().unwrap_or_default();
                    summary.findings += publish(state, &uri, diagnostics, read_at).await;
                }
                FileScan::Unreadable => clear(state, &uri).await,
            }
        }
        let percent = summary.files * 100 / total.max(1);
        if percent > reported {
            reported = percent;
            progress.report(summary.files, total).await;
        }
    }
    summary.cancelled = cancel.load(Ordering::SeqCst) && summary.files < total;
    if !summary.cancelled {
        for uri in state.workspace.published() {
            if !seen.contains(&uri) {
                clear(state, &uri).await;
            }
        }
    }
    summary
}

/// Scans one file that is not open (file watching) and publishes its diagnostics. Scans of the
/// same file are serialised (read and publish under its run lock, which is fair), so the last
/// publish is of the newest text read.
pub async fn scan_one(state: &Arc<State>, path: PathBuf, kind: FileKind) {
    let Some(uri) = uri_of(&path) else {
        return;
    };
    let lock = state.run_lock(&uri);
    let _running = lock.lock().await;
    let read_at = state.workspace.epoch(&uri);
    let session = state.session();
    let settings = session.settings.clone();
    let encoding = session.encoding;
    let scan_path = path.clone();
    let joined = tokio::task::spawn_blocking(move || {
        file::scan(
            &scan_path,
            kind,
            &settings.scan,
            settings.max_file_size,
            encoding,
        )
    })
    .await;
    match joined {
        Ok(FileScan::Diagnostics(diagnostics)) => {
            publish(state, &uri, diagnostics, read_at).await;
        }
        Ok(FileScan::Unreadable) => clear(state, &uri).await,
        Err(err) => {
            state
                .error_user(format!("the scan of {} failed: {err}", path.display()))
                .await
        }
    }
}

/// Called when a document or notebook closes: once the files that are not open have
/// diagnostics (a workspace scan ran in this session, or auto-scan is on), the file is scanned
/// again from disk, as a workspace scan would see it now (unsaved edits are gone with the
/// editor's buffer).
pub async fn rescan_closed(state: &Arc<State>, uri: &Uri) {
    let keeps_closed_files =
        state.workspace.keeps_closed_files() || state.session().settings.auto_scan_interval > 0;
    if !keeps_closed_files {
        return;
    }
    let Some(path) = uri.to_file_path().map(|p| p.into_owned()) else {
        return;
    };
    let folders = state.workspace.folders();
    let check_path = path.clone();
    let taken = tokio::task::spawn_blocking(move || walk::takes(&folders, &check_path)).await;
    if let Ok(Some(kind)) = taken {
        let state = Arc::clone(state);
        tokio::spawn(async move { scan_one(&state, path, kind).await });
    }
}

/// Publishes the workspace diagnostics of a file unless it is open (open documents keep their
/// live results) or was opened or closed since it was read (`read_at`: its
/// [`epoch`](super::state::WorkspaceState::epoch) then; the text read may predate a save from
/// the editor). Returns how many were published.
async fn publish(
    state: &Arc<State>,
    uri: &Uri,
    diagnostics: Vec<Diagnostic>,
    read_at: u64,
) -> usize {
    if is_open(state, uri) || state.workspace.epoch(uri) != read_at {
        return 0;
    }
    let count = diagnostics.len();
    let had = state.workspace.record(uri, count);
    if count > 0 || had {
        state
            .client
            .publish_diagnostics(uri.clone(), diagnostics, None)
            .await;
        // The file may have been opened since the check above, and `document_opened` may have
        // cleared its list before this publish went out: an open document must not keep
        // workspace diagnostics next to its live ones, so clear them again, after ours.
        if is_open(state, uri) {
            state.workspace.forget(uri);
            if state.session().pull_diagnostics || !state.documents.is_open(uri) {
                // Pulled diagnostics, or a notebook (whose live ones go to its cells).
                state
                    .client
                    .publish_diagnostics(uri.clone(), Vec::new(), None)
                    .await;
            } else {
                // With push, the live scan may have published before ours went out: publish
                // the live result again (the stored one, unless the text changed since).
                scheduler::scan_and_publish(state, uri).await;
            }
        }
    }
    count
}

/// Clears the workspace diagnostics of a file (deleted, unreadable or ignored) if it has any and
/// is not open.
pub async fn clear(state: &Arc<State>, uri: &Uri) {
    if is_open(state, uri) {
        return;
    }
    if state.workspace.forget(uri) {
        state
            .client
            .publish_diagnostics(uri.clone(), Vec::new(), None)
            .await;
    }
}

/// Called when a document opens: its workspace diagnostics are dropped. With pull diagnostics,
/// the pushed list is also cleared so the client does not show it next to the pulled one; with
/// push, the live scan's publish replaces it.
pub async fn document_opened(state: &Arc<State>, uri: &Uri) {
    state.workspace.touch(uri);
    if state.workspace.forget(uri) && state.session().pull_diagnostics {
        state
            .client
            .publish_diagnostics(uri.clone(), Vec::new(), None)
            .await;
    }
}

/// Called when a notebook opens: its workspace diagnostics (on the `.ipynb` URI) are cleared,
/// push or pull, since its live diagnostics go to its cells' URIs and would not replace them.
pub async fn notebook_opened(state: &Arc<State>, uri: &Uri) {
    state.workspace.touch(uri);
    if state.workspace.forget(uri) {
        state
            .client
            .publish_diagnostics(uri.clone(), Vec::new(), None)
            .await;
    }
}

fn is_open(state: &State, uri: &Uri) -> bool {
    state.documents.is_open(uri)
        || state.notebooks.owner(uri).is_some()
        || state.notebooks.revision(uri).is_some()
}

/// The `file:` URI of a path.
pub fn uri_of(path: &std::path::Path) -> Option<Uri> {
    Uri::from_file_path(path)
}
