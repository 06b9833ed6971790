//! `window/workDoneProgress/cancel`: the user cancelled a workspace scan's progress.

use std::sync::Arc;

use tower_lsp_server::ls_types::WorkDoneProgressCancelParams;

use super::super::state::State;

/// The notification's method (not part of `tower-lsp-server`'s `LanguageServer` trait).
pub const METHOD: &str = "window/workDoneProgress/cancel";

/// Handles `window/workDoneProgress/cancel`: cancels the scan reporting on that token, if any.
pub fn progress_cancel(state: &Arc<State>, params: WorkDoneProgressCancelParams) {
    state.workspace.cancel_token(&params.token);
}
