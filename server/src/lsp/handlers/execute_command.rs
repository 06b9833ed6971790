//! `workspace/executeCommand`: `codeward.scanFile` and `codeward.scanWorkspace` (the open
//! documents and notebooks), with work-done progress. `scanFile` on a notebook or on one of its
//! cells scans the whole notebook.

use std::str::FromStr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use serde_json::{json, Value};
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::{ExecuteCommandParams, NumberOrString, ProgressToken, Uri};

use super::super::state::State;
use super::super::{notebook_scheduler, scheduler};

/// Scans one document now: argument the URI string or `{ "uri": ... }`.
pub const SCAN_FILE: &str = "codeward.scanFile";
/// Scans every open document now.
pub const SCAN_WORKSPACE: &str = "codeward.scanWorkspace";

/// Handles `workspace/executeCommand`.
pub async fn execute_command(state: &Arc<State>, params: ExecuteCommandParams) -> Result<Value> {
    let mut notebooks = Vec::new();
    let uris = match params.command.as_str() {
        SCAN_FILE => {
            let uri = uri_argument(&params.arguments)?;
            // A notebook, or one of its cells, scans the whole notebook.
            let notebook = state.notebooks.owner(&uri).or_else(|| {
                state
                    .notebooks
                    .revision(&uri)
                    .is_some()
                    .then(|| uri.clone())
            });
            if let Some(notebook) = notebook.filter(|_| !state.documents.is_open(&uri)) {
                notebooks.push(notebook);
                Vec::new()
            } else if !state.documents.is_open(&uri) {
                return Err(Error::invalid_params(format!(
                    "{SCAN_FILE}: {} is not open; open it first",
                    uri.as_str()
                )));
            } else {
                vec![uri]
            }
        }
        SCAN_WORKSPACE => {
            notebooks = state.notebooks.uris();
            state.documents.uris()
        }
        other => {
            return Err(Error::invalid_params(format!(
                "unknown command `{other}`; supported: {SCAN_FILE}, {SCAN_WORKSPACE}"
            )))
        }
    };
    let progress = begin_progress(state, params.work_done_progress_params.work_done_token).await;
    let mut findings = 0usize;
    for uri in &uris {
        findings += scheduler::scan_and_publish(state, uri).await.unwrap_or(0);
    }
    for notebook in &notebooks {
        findings += notebook_scheduler::scan_and_publish(state, notebook)
            .await
            .unwrap_or(0);
    }
    if let Some(progress) = progress {
        progress
            .finish_with_message(format!("Scan completed: {findings} findings"))
            .await;
    }
    Ok(json!({ "findings": findings, "documents": uris.len() + notebooks.len() }))
}

/// The document URI of `codeward.scanFile`'s arguments.
fn uri_argument(arguments: &[Value]) -> Result<Uri> {
    let text = match arguments.first() {
        Some(Value::String(s)) => s.as_str(),
        Some(Value::Object(map)) => match map.get("uri") {
            Some(Value::String(s)) => s.as_str(),
            _ => return Err(bad_arguments()),
        },
        _ => return Err(bad_arguments()),
    };
    Uri::from_str(text)
        .map_err(|err| Error::invalid_params(format!("{SCAN_FILE}: invalid URI {text:?}: {err}")))
}

fn bad_arguments() -> Error {
    Error::invalid_params(format!(
        "{SCAN_FILE} expects one argument: the document URI as a string or {{\"uri\": \"...\"}}"
    ))
}

type Ongoing = tower_lsp_server::OngoingProgress<
    tower_lsp_server::Unbounded,
    tower_lsp_server::NotCancellable,
>;

/// Starts work-done progress on the request's token, or on a new one when the client supports
/// `window/workDoneProgress/create`.
async fn begin_progress(state: &Arc<State>, token: Option<ProgressToken>) -> Option<Ongoing> {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    let token = match token {
        Some(token) => token,
        None if state.session().work_done_progress => {
            let token = NumberOrString::String(format!(
                "codeward/scan/{}",
                NEXT.fetch_add(1, Ordering::Relaxed)
            ));
            if let Err(err) = state.client.create_work_done_progress(token.clone()).await {
                tracing::debug!("window/workDoneProgress/create failed: {err}");
                return None;
            }
            token
        }
        None => return None,
    };
    Some(
        state
            .client
            .progress(token, "Scan in progress")
            .begin()
            .await,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uri_arguments_in_both_shapes() {
        let direct = uri_argument(&[json!("file:///a.py")]).expect("string form");
        let object = uri_argument(&[json!({ "uri": "file:///a.py" })]).expect("object form");
        assert_eq!(direct, object);
        assert!(uri_argument(&[]).is_err());
        assert!(uri_argument(&[json!(3)]).is_err());
        assert!(uri_argument(&[json!({ "path": "/a.py" })]).is_err());
    }
}
