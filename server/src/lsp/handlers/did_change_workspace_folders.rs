//! `workspace/didChangeWorkspaceFolders`: the folders that workspace scans cover.

use std::sync::Arc;

use tower_lsp_server::ls_types::{DidChangeWorkspaceFoldersParams, WorkspaceFolder};

use super::super::state::State;
use super::super::workspace::run;

/// The local paths of workspace folders (folders that are not `file:` URIs are left out).
pub fn paths(folders: &[WorkspaceFolder]) -> Vec<std::path::PathBuf> {
    folders
        .iter()
        .filter_map(|f| f.uri.to_file_path().map(|p| p.into_owned()))
        .collect()
}

/// Handles `workspace/didChangeWorkspaceFolders`. The workspace diagnostics of files under a
/// removed folder are cleared.
pub async fn did_change_workspace_folders(
    state: &Arc<State>,
    params: DidChangeWorkspaceFoldersParams,
) {
    let removed = paths(&params.event.removed);
    state
        .workspace
        .change_folders(paths(&params.event.added), &removed);
    let remaining = state.workspace.folders();
    for uri in state.workspace.published() {
        let Some(path) = uri.to_file_path() else {
            continue;
        };
        let under_removed = removed.iter().any(|r| path.starts_with(r));
        let still_covered = remaining.iter().any(|f| path.starts_with(f));
        if under_removed && !still_covered {
            run::clear(state, &uri).await;
        }
    }
}
