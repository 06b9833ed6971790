//! `textDocument/didSave`: scan now (unless scans are manual).

use std::sync::Arc;
use std::time::Duration;

use tower_lsp_server::ls_types::DidSaveTextDocumentParams;

use super::super::scheduler;
use super::super::settings::ScanTrigger;
use super::super::state::State;

/// Handles `textDocument/didSave`.
pub async fn did_save(state: &Arc<State>, params: DidSaveTextDocumentParams) {
    if state.session().settings.scan_trigger != ScanTrigger::Manual {
        scheduler::schedule(state, params.text_document.uri, Duration::ZERO);
    }
}
