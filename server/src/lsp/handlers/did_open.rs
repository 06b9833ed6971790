//! `textDocument/didOpen`: store the document and scan it (unless scans are manual).

use std::sync::Arc;
use std::time::Duration;

use tower_lsp_server::ls_types::DidOpenTextDocumentParams;

use super::super::settings::ScanTrigger;
use super::super::state::{guarded, State};
use super::super::{scheduler, workspace};

/// Handles `textDocument/didOpen`.
pub async fn did_open(state: &Arc<State>, params: DidOpenTextDocumentParams) {
    let doc = params.text_document;
    let uri = doc.uri.clone();
    // Synchronous, before any `.await`, so later changes apply to this text.
    let opened = guarded("didOpen", || {
        state
            .documents
            .open(doc.uri, &doc.language_id, &doc.text, doc.version)
    });
    if opened.is_none() {
        return;
    }
    workspace::run::document_opened(state, &uri).await;
    if state.session().settings.scan_trigger != ScanTrigger::Manual {
        scheduler::schedule(state, uri, Duration::ZERO);
    }
}
