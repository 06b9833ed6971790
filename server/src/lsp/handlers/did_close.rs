//! `textDocument/didClose`: forget the document and clear its diagnostics; the file is then
//! scanned from disk when the workspace's closed files have diagnostics
//! ([`run::rescan_closed`]).

use std::sync::Arc;

use tower_lsp_server::ls_types::DidCloseTextDocumentParams;

use super::super::scheduler;
use super::super::state::State;
use super::super::workspace::run;

/// Handles `textDocument/didClose`.
pub async fn did_close(state: &Arc<State>, params: DidCloseTextDocumentParams) {
    let uri = params.text_document.uri;
    state.workspace.touch(&uri);
    if !state.documents.close(&uri) {
        tracing::warn!(
            uri = uri.as_str(),
            "didClose for a document that is not open"
        );
    }
    scheduler::clear(state, &uri).await;
    run::rescan_closed(state, &uri).await;
}
