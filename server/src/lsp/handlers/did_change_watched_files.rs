//! `workspace/didChangeWatchedFiles`: files changed outside the editor. Created or changed files
//! that a workspace scan would take (and that are not open) are rescanned; deleted ones have
//! their workspace diagnostics cleared. The watchers are registered dynamically at `initialized`
//! when the client allows it.

use std::sync::Arc;

use serde_json::json;
use tower_lsp_server::ls_types::{DidChangeWatchedFilesParams, FileChangeType, Registration};

use super::super::state::State;
use super::super::workspace::{run, walk};

/// The method whose notifications the watchers produce.
pub const METHOD: &str = "workspace/didChangeWatchedFiles";

/// The glob of the files watched: every file, since a workspace scan takes code, notebooks and
/// any other text file (for secrets); [`walk::takes`] filters the events.
pub const GLOB: &str = "**/*";

/// Registers the file watchers (when the client supports dynamic registration). Not awaited by
/// the message loop: spawn it.
pub async fn register(state: Arc<State>) {
    if !state.session().watch_files {
        return;
    }
    let registration = Registration {
        id: "codeward-watch-sources".to_string(),
        method: METHOD.to_string(),
        register_options: Some(json!({ "watchers": [{ "globPattern": GLOB }] })),
    };
    if let Err(err) = state.client.register_capability(vec![registration]).await {
        tracing::debug!("registering the file watchers failed: {err}");
    }
}

/// Handles `workspace/didChangeWatchedFiles`.
pub async fn did_change_watched_files(state: &Arc<State>, params: DidChangeWatchedFilesParams) {
    let folders = state.workspace.folders();
    for change in params.changes {
        if state.documents.is_open(&change.uri) {
            continue;
        }
        let Some(path) = change.uri.to_file_path().map(|p| p.into_owned()) else {
            continue;
        };
        if change.typ == FileChangeType::DELETED {
            run::clear(state, &change.uri).await;
            continue;
        }
        let check_folders = folders.clone();
        let check_path = path.clone();
        let taken =
            tokio::task::spawn_blocking(move || walk::takes(&check_folders, &check_path)).await;
        match taken {
            Ok(Some(kind)) => {
                let state = Arc::clone(state);
                tokio::spawn(async move { run::scan_one(&state, path, kind).await });
            }
            _ => run::clear(state, &change.uri).await,
        }
    }
}
