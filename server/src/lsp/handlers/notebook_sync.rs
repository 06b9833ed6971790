//! `notebookDocument/didOpen|didChange|didSave|didClose`: keep the notebook's cells in sync (edits
//! applied before any `.await`, as for text documents), then scan the notebook as one program.

use std::sync::Arc;
use std::time::Duration;

use tower_lsp_server::ls_types::{
    DidChangeNotebookDocumentParams, DidCloseNotebookDocumentParams, DidOpenNotebookDocumentParams,
    DidSaveNotebookDocumentParams,
};

use super::super::notebook_scheduler as scheduler;
use super::super::settings::ScanTrigger;
use super::super::state::{guarded, State};
use super::super::workspace::run;

/// Handles `notebookDocument/didOpen`.
pub async fn did_open(state: &Arc<State>, params: DidOpenNotebookDocumentParams) {
    let notebook = params.notebook_document;
    let uri = notebook.uri.clone();
    let problems = guarded("notebookDocument/didOpen", || {
        state.notebooks.open(
            notebook.uri,
            notebook.version,
            notebook.cells,
            params.cell_text_documents,
        )
    });
    let Some(problems) = problems else {
        return;
    };
    // Its workspace diagnostics (from the file on disk) give way to the live ones.
    run::notebook_opened(state, &uri).await;
    for problem in problems {
        state
            .warn_user(format!("{}: {problem}", uri.as_str()))
            .await;
    }
    if state.session().settings.scan_trigger != ScanTrigger::Manual {
        scheduler::schedule(state, uri, Duration::ZERO);
    }
}

/// Handles `notebookDocument/didChange`.
pub async fn did_change(state: &Arc<State>, params: DidChangeNotebookDocumentParams) {
    let uri = params.notebook_document.uri;
    let session = state.session();
    let report = guarded("notebookDocument/didChange", || {
        state.notebooks.change(
            &uri,
            params.notebook_document.version,
            params.change.cells,
            session.encoding,
        )
    });
    let Some(report) = report else {
        return;
    };
    let Some(report) = report else {
        state
            .warn_user(format!(
                "notebookDocument/didChange for {} which is not open; ignored",
                uri.as_str()
            ))
            .await;
        return;
    };
    for problem in report.problems {
        state
            .warn_user(format!("{}: {problem}", uri.as_str()))
            .await;
    }
    scheduler::clear_cells(state, report.removed, state.notebooks.run_lock(&uri)).await;
    if session.settings.scan_trigger == ScanTrigger::Type {
        scheduler::schedule(
            state,
            uri,
            Duration::from_millis(session.settings.debounce_ms),
        );
    }
}

/// Handles `notebookDocument/didSave`.
pub async fn did_save(state: &Arc<State>, params: DidSaveNotebookDocumentParams) {
    if state.session().settings.scan_trigger != ScanTrigger::Manual {
        scheduler::schedule(state, params.notebook_document.uri, Duration::ZERO);
    }
}

/// Handles `notebookDocument/didClose`: forget the notebook and clear every cell's diagnostics.
pub async fn did_close(state: &Arc<State>, params: DidCloseNotebookDocumentParams) {
    let uri = params.notebook_document.uri;
    state.workspace.touch(&uri);
    state.forget_scan_cache(&uri);
    let Some((mut cells, lock)) = state.notebooks.close(&uri) else {
        tracing::warn!(
            uri = uri.as_str(),
            "didClose for a notebook that is not open"
        );
        return;
    };
    for closed in params.cell_text_documents {
        if !cells.contains(&closed.uri) {
            cells.push(closed.uri);
        }
    }
    scheduler::clear_cells(state, cells, Some(lock)).await;
    run::rescan_closed(state, &uri).await;
}

/// Forgets every notebook's scan and rescans them (after a settings change).
pub fn rescan_all(state: &Arc<State>) {
    state.notebooks.invalidate_scans();
    for uri in state.notebooks.uris() {
        scheduler::schedule(state, uri, Duration::ZERO);
    }
}
