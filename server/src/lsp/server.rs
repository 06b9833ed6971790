//! The `LanguageServer` implementation: each method delegates to its handler module. Request
//! handlers run in their own task so that a bug surfaces as an internal error, never as a panic
//! across the LSP boundary.

use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use serde_json::Value;
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::{
    CodeActionParams, CodeActionResponse, DidChangeConfigurationParams,
    DidChangeNotebookDocumentParams, DidChangeTextDocumentParams, DidChangeWatchedFilesParams,
    DidChangeWorkspaceFoldersParams, DidCloseNotebookDocumentParams, DidCloseTextDocumentParams,
    DidOpenNotebookDocumentParams, DidOpenTextDocumentParams, DidSaveNotebookDocumentParams,
    DidSaveTextDocumentParams, DocumentDiagnosticParams, DocumentDiagnosticReportResult,
    ExecuteCommandParams, Hover, HoverParams, InitializeParams, InitializeResult,
    InitializedParams, LSPAny, MessageType, WorkDoneProgressCancelParams,
};
use tower_lsp_server::LanguageServer;

use super::handlers::{self, document_state::DocumentStateParams};
use super::state::{guarded, State};

/// The language server.
#[derive(Debug)]
pub struct Backend {
    state: Arc<State>,
}

impl Backend {
    /// Wraps the shared state.
    pub fn new(state: State) -> Self {
        Self {
            state: Arc::new(state),
        }
    }

    /// `codeward/documentState`.
    pub async fn document_state(&self, params: DocumentStateParams) -> Result<Value> {
        let state = Arc::clone(&self.state);
        isolate("codeward/documentState", async move {
            Ok(handlers::document_state::document_state(&state, params))
        })
        .await
    }

    /// `codeward/debug/documentHash` (test-only, see its handler).
    pub async fn document_hash(&self, params: DocumentStateParams) -> Result<Value> {
        let state = Arc::clone(&self.state);
        isolate("codeward/debug/documentHash", async move {
            handlers::document_state::document_hash(&state, params)
        })
        .await
    }
}

impl Backend {
    /// `codeward/invalidMessage`: stands for a message the transport guard could not forward;
    /// answers with its error.
    pub async fn invalid_message(&self, params: Value) -> Result<Value> {
        Err(super::transport::error_of(&params))
    }
}

impl Backend {
    /// `window/workDoneProgress/cancel`.
    pub async fn progress_cancel(&self, params: WorkDoneProgressCancelParams) {
        handlers::progress_cancel::progress_cancel(&self.state, params);
    }
}

/// Sets a flag when dropped: the request future holding it was completed or cancelled.
struct CancelOnDrop(Arc<AtomicBool>);

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        self.0.store(true, Ordering::SeqCst);
    }
}

/// Whether a URI is a cell of an open notebook (and not an open text document).
fn is_cell(state: &State, uri: &tower_lsp_server::ls_types::Uri) -> bool {
    !state.documents.is_open(uri) && state.notebooks.owner(uri).is_some()
}

/// Runs a request handler in its own task; a panic becomes an internal error.
async fn isolate<T: Send + 'static>(
    method: &'static str,
    future: impl Future<Output = Result<T>> + Send + 'static,
) -> Result<T> {
    match tokio::spawn(future).await {
        Ok(result) => result,
        Err(err) => {
            tracing::error!("{method} failed: {err}");
            Err(Error {
                message: format!("codeward: {method} failed internally; see the server log").into(),
                ..Error::internal_error()
            })
        }
    }
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        guarded("initialize", || {
            handlers::initialize::initialize(&self.state, params)
        })
        .ok_or_else(Error::internal_error)
    }

    async fn initialized(&self, _: InitializedParams) {
        tokio::spawn(handlers::did_change_watched_files::register(Arc::clone(
            &self.state,
        )));
        tokio::spawn(super::workspace::auto::run_loop(Arc::clone(&self.state)));
        for message in self.state.take_deferred_messages() {
            self.state
                .client
                .log_message(MessageType::WARNING, format!("codeward: {message}"))
                .await;
        }
    }

    async fn shutdown(&self) -> Result<()> {
        self.state.mark_shutdown();
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        handlers::did_open::did_open(&self.state, params).await;
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        handlers::did_change::did_change(&self.state, params).await;
    }

    async fn did_save(&self, params: DidSaveTextDocumentParams) {
        handlers::did_save::did_save(&self.state, params).await;
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        handlers::did_close::did_close(&self.state, params).await;
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        handlers::did_change_configuration::did_change_configuration(&self.state, params).await;
        handlers::notebook_sync::rescan_all(&self.state);
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        handlers::did_change_watched_files::did_change_watched_files(&self.state, params).await;
    }

    async fn did_change_workspace_folders(&self, params: DidChangeWorkspaceFoldersParams) {
        handlers::did_change_workspace_folders::did_change_workspace_folders(&self.state, params)
            .await;
    }

    async fn notebook_did_open(&self, params: DidOpenNotebookDocumentParams) {
        handlers::notebook_sync::did_open(&self.state, params).await;
    }

    async fn notebook_did_change(&self, params: DidChangeNotebookDocumentParams) {
        handlers::notebook_sync::did_change(&self.state, params).await;
    }

    async fn notebook_did_save(&self, params: DidSaveNotebookDocumentParams) {
        handlers::notebook_sync::did_save(&self.state, params).await;
    }

    async fn notebook_did_close(&self, params: DidCloseNotebookDocumentParams) {
        handlers::notebook_sync::did_close(&self.state, params).await;
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        let state = Arc::clone(&self.state);
        isolate("textDocument/hover", async move {
            if is_cell(
                &state,
                &params.text_document_position_params.text_document.uri,
            ) {
                return Ok(handlers::notebook_cells::hover(&state, params).await);
            }
            Ok(handlers::hover::hover(&state, params).await)
        })
        .await
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        let state = Arc::clone(&self.state);
        isolate("textDocument/codeAction", async move {
            if is_cell(&state, &params.text_document.uri) {
                return Ok(Some(
                    handlers::notebook_cells::code_action(&state, params).await,
                ));
            }
            Ok(Some(
                handlers::code_action::code_action(&state, params).await,
            ))
        })
        .await
    }

    async fn diagnostic(
        &self,
        params: DocumentDiagnosticParams,
    ) -> Result<DocumentDiagnosticReportResult> {
        let state = Arc::clone(&self.state);
        isolate("textDocument/diagnostic", async move {
            if is_cell(&state, &params.text_document.uri) {
                return Ok(handlers::notebook_cells::diagnostic(&state, params).await);
            }
            Ok(handlers::diagnostic::diagnostic(&state, params).await)
        })
        .await
    }

    async fn execute_command(&self, params: ExecuteCommandParams) -> Result<Option<LSPAny>> {
        let state = Arc::clone(&self.state);
        // `$/cancelRequest` drops this future (not the spawned task): the guard tells the scan.
        let cancel = Arc::new(AtomicBool::new(false));
        let _guard = CancelOnDrop(Arc::clone(&cancel));
        isolate("workspace/executeCommand", async move {
            handlers::execute_command::execute_command(&state, params, cancel)
                .await
                .map(Some)
        })
        .await
    }
}
