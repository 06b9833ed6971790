//! The server's shared state: the client handle, the session, the documents and the per-document
//! scan locks.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};

use dashmap::DashMap;
use tower_lsp_server::ls_types::{MessageType, Uri};
use tower_lsp_server::Client;

use super::documents::DocumentStore;
use super::notebooks::NotebookStore;
use super::session::Session;
use super::workspace::WorkspaceState;
use crate::engine::ScanCache;

/// Shared by every handler and scan task.
#[derive(Debug)]
pub struct State {
    /// Sends notifications and requests to the client.
    pub client: Client,
    /// The open documents.
    pub documents: DocumentStore,
    /// The open notebooks and their cells.
    pub notebooks: NotebookStore,
    /// Workspace folders and workspace scans.
    pub workspace: WorkspaceState,
    session: RwLock<Session>,
    /// One lock per document: held while a scan's result is checked and published, so at most one
    /// run is in flight per document and a close's empty publish cannot be overtaken.
    run_locks: DashMap<Uri, Arc<tokio::sync::Mutex<()>>>,
    /// What the last analysis of each open document learned, for the next one.
    scan_caches: DashMap<Uri, ScanCache>,
    /// Set by `shutdown`; decides the exit code.
    shutdown_requested: Arc<AtomicBool>,
    /// Settings problems found before the client could be told (reported on `initialized`).
    pending_messages: RwLock<Vec<String>>,
}

impl State {
    /// Creates the state for a new connection.
    pub fn new(client: Client, shutdown_requested: Arc<AtomicBool>) -> Self {
        Self {
            client,
            documents: DocumentStore::default(),
            notebooks: NotebookStore::default(),
            workspace: WorkspaceState::default(),
            session: RwLock::new(Session::default()),
            run_locks: DashMap::new(),
            scan_caches: DashMap::new(),
            shutdown_requested,
            pending_messages: RwLock::new(Vec::new()),
        }
    }

    /// A copy of the session (never hold the lock across `.await`).
    pub fn session(&self) -> Session {
        match self.session.read() {
            Ok(session) => session.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Replaces the session.
    pub fn set_session(&self, session: Session) {
        match self.session.write() {
            Ok(mut guard) => *guard = session,
            Err(poisoned) => *poisoned.into_inner() = session,
        }
    }

    /// Changes the session in place.
    pub fn update_session(&self, f: impl FnOnce(&mut Session)) {
        let mut session = self.session();
        f(&mut session);
        self.set_session(session);
    }

    /// The scan lock of a document.
    pub fn run_lock(&self, uri: &Uri) -> Arc<tokio::sync::Mutex<()>> {
        self.run_locks.entry(uri.clone()).or_default().clone()
    }

    /// Forgets the scan lock and scan cache of a closed document.
    pub fn drop_run_lock(&self, uri: &Uri) {
        self.run_locks.remove(uri);
        self.scan_caches.remove(uri);
    }

    /// Takes the scan cache of a document for a scan (an empty one if there is none; a scan
    /// running concurrently without it is slower, never wrong).
    pub fn take_scan_cache(&self, uri: &Uri) -> ScanCache {
        self.scan_caches
            .remove(uri)
            .map(|(_, cache)| cache)
            .unwrap_or_default()
    }

    /// Forgets the scan cache of a closed document or notebook.
    pub fn forget_scan_cache(&self, uri: &Uri) {
        self.scan_caches.remove(uri);
    }

    /// Keeps the scan cache of a scanned document for its next scan.
    pub fn keep_scan_cache(&self, uri: &Uri, cache: ScanCache) {
        self.scan_caches.insert(uri.clone(), cache);
    }

    /// Records that `shutdown` was received.
    pub fn mark_shutdown(&self) {
        self.shutdown_requested.store(true, Ordering::SeqCst);
    }

    /// Whether `shutdown` was received.
    pub fn is_shut_down(&self) -> bool {
        self.shutdown_requested.load(Ordering::SeqCst)
    }

    /// Keeps a message for the user until the client is initialized.
    pub fn defer_message(&self, message: String) {
        if let Ok(mut pending) = self.pending_messages.write() {
            pending.push(message);
        }
    }

    /// Takes the deferred messages.
    pub fn take_deferred_messages(&self) -> Vec<String> {
        self.pending_messages
            .write()
            .map(|mut pending| std::mem::take(&mut *pending))
            .unwrap_or_default()
    }

    /// Logs a warning to stderr and to the client's log (`window/logMessage`).
    pub async fn warn_user(&self, message: String) {
        tracing::warn!("{message}");
        self.client
            .log_message(MessageType::WARNING, format!("codeward: {message}"))
            .await;
    }

    /// Logs an error to stderr and to the client's log.
    pub async fn error_user(&self, message: String) {
        tracing::error!("{message}");
        self.client
            .log_message(MessageType::ERROR, format!("codeward: {message}"))
            .await;
    }
}

/// Runs synchronous handler work, turning a panic into `None` (logged) so it never crosses the
/// LSP boundary.
pub fn guarded<T>(what: &str, f: impl FnOnce() -> T) -> Option<T> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(value) => Some(value),
        Err(_) => {
            tracing::error!("{what} panicked; the request was ignored");
            None
        }
    }
}
