//! `workspace/didChangeConfiguration`: new settings, then a rescan of every open document.

use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;
use tower_lsp_server::ls_types::DidChangeConfigurationParams;

use super::super::scheduler;
use super::super::state::State;

/// Handles `workspace/didChangeConfiguration`. Keys present replace the current values; absent
/// keys (and a `null` payload, from clients that expect the server to pull configuration) keep them.
pub async fn did_change_configuration(state: &Arc<State>, params: DidChangeConfigurationParams) {
    if params.settings == Value::Null {
        return;
    }
    let (settings, problems) = state.session().settings.updated_with(&params.settings);
    state.update_session(|session| session.settings = settings);
    state.workspace.settings_changed.notify_one();
    state.documents.invalidate_scans();
    for uri in state.documents.uris() {
        scheduler::schedule(state, uri, Duration::ZERO);
    }
    for problem in problems {
        state.warn_user(format!("settings: {problem}")).await;
    }
}
