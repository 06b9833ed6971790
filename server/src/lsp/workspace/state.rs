//! What the server remembers about the workspace between scans.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, RwLock};

use dashmap::DashMap;
use tower_lsp_server::ls_types::{NumberOrString, Uri};

/// The workspace folders, the files with published workspace diagnostics and the running scan.
#[derive(Debug, Default)]
pub struct WorkspaceState {
    folders: RwLock<Vec<PathBuf>>,
    /// Files that are not open and have non-empty workspace diagnostics published: the count only.
    published: DashMap<Uri, usize>,
    /// Cancellation flag of the running workspace scan, if any.
    current: Mutex<Option<Arc<AtomicBool>>>,
    /// Cancellation flags by work-done progress token (`window/workDoneProgress/cancel`).
    by_token: DashMap<String, Arc<AtomicBool>>,
    /// Woken when the auto-scan interval may have changed.
    pub settings_changed: tokio::sync::Notify,
    /// How many times each file was opened or closed in the editor; a disk scan that read the
    /// file at one count must not publish at another (the editor may have saved it meanwhile).
    epochs: DashMap<Uri, u64>,
    /// Whether a workspace scan has started in this session: from then on the server keeps
    /// diagnostics for the files that are not open, so a file closed in the editor is scanned
    /// again from disk.
    scanned: AtomicBool,
}

impl WorkspaceState {
    /// The workspace folders (absolute paths).
    pub fn folders(&self) -> Vec<PathBuf> {
        match self.folders.read() {
            Ok(folders) => folders.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Changes the folders: removes `removed`, then adds `added` (deduplicated).
    pub fn change_folders(&self, added: Vec<PathBuf>, removed: &[PathBuf]) {
        let mut folders = match self.folders.write() {
            Ok(folders) => folders,
            Err(poisoned) => poisoned.into_inner(),
        };
        folders.retain(|f| !removed.contains(f));
        for folder in added {
            if !folders.contains(&folder) {
                folders.push(folder);
            }
        }
    }

    /// Starts a scan with `cancel` as its flag; the running scan, if any, is cancelled (a later
    /// scan supersedes an earlier one).
    pub fn begin(&self, cancel: Arc<AtomicBool>) {
        let mut current = match self.current.lock() {
            Ok(current) => current,
            Err(poisoned) => poisoned.into_inner(),
        };
        if let Some(previous) = current.replace(cancel) {
            previous.store(true, Ordering::SeqCst);
        }
    }

    /// Whether a scan is running (its flag is registered and not cancelled).
    pub fn is_running(&self) -> bool {
        match self.current.lock() {
            Ok(current) => current.as_ref().is_some_and(|c| !c.load(Ordering::SeqCst)),
            Err(_) => false,
        }
    }

    /// Marks the scan with `cancel` as finished.
    pub fn end(&self, cancel: &Arc<AtomicBool>) {
        if let Ok(mut current) = self.current.lock() {
            if current.as_ref().is_some_and(|c| Arc::ptr_eq(c, cancel)) {
                *current = None;
            }
        }
    }

    /// Remembers which flag a progress token cancels.
    pub fn bind_token(&self, token: &NumberOrString, cancel: Arc<AtomicBool>) {
        self.by_token.insert(token_key(token), cancel);
    }

    /// Forgets a progress token.
    pub fn unbind_token(&self, token: &NumberOrString) {
        self.by_token.remove(&token_key(token));
    }

    /// Cancels the scan reporting progress on `token`, if any.
    pub fn cancel_token(&self, token: &NumberOrString) {
        if let Some(flag) = self.by_token.get(&token_key(token)) {
            flag.store(true, Ordering::SeqCst);
        }
    }

    /// Records the number of diagnostics published for a file that is not open. Returns whether
    /// the file had diagnostics before.
    pub fn record(&self, uri: &Uri, count: usize) -> bool {
        if count == 0 {
            self.published.remove(uri).is_some()
        } else {
            self.published.insert(uri.clone(), count).is_some()
        }
    }

    /// Forgets a file's workspace diagnostics; returns whether it had any.
    pub fn forget(&self, uri: &Uri) -> bool {
        self.published.remove(uri).is_some()
    }

    /// Notes that a workspace scan started (see [`WorkspaceState::keeps_closed_files`]).
    pub fn mark_scanned(&self) {
        self.scanned.store(true, Ordering::SeqCst);
    }

    /// Whether a workspace scan has started in this session, so the files that are not open
    /// have diagnostics to keep up to date.
    pub fn keeps_closed_files(&self) -> bool {
        self.scanned.load(Ordering::SeqCst)
    }

    /// Notes that a file was opened or closed in the editor.
    pub fn touch(&self, uri: &Uri) {
        *self.epochs.entry(uri.clone()).or_insert(0) += 1;
    }

    /// How many times a file was opened or closed (see [`WorkspaceState::touch`]).
    pub fn epoch(&self, uri: &Uri) -> u64 {
        self.epochs.get(uri).map_or(0, |e| *e)
    }

    /// The files with published workspace diagnostics.
    pub fn published(&self) -> Vec<Uri> {
        self.published.iter().map(|e| e.key().clone()).collect()
    }
}

fn token_key(token: &NumberOrString) -> String {
    match token {
        NumberOrString::Number(n) => format!("n:{n}"),
        NumberOrString::String(s) => format!("s:{s}"),
    }
}
