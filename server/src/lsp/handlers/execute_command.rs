//! `workspace/executeCommand`: `codeward.scanFile` and `codeward.scanWorkspace`, with work-done
//! progress. `scanFile` on a notebook or on one of its cells scans the whole notebook.
//! `scanWorkspace` scans the open documents and notebooks, then every supported file under the
//! workspace folders that is not open (see [`super::super::workspace`]), with a percentage, and
//! can be cancelled (`$/cancelRequest`, `window/workDoneProgress/cancel`, or a later
//! `scanWorkspace`).

use std::str::FromStr;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;

use serde_json::{json, Value};
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::{ExecuteCommandParams, NumberOrString, ProgressToken, Uri};

use super::super::state::State;
use super::super::workspace::run;
use super::super::{notebook_scheduler, scheduler};

/// Scans one document now: argument the URI string or `{ "uri": ... }`.
pub const SCAN_FILE: &str = "codeward.scanFile";
/// Scans every open document, then the workspace folders' other files, now.
pub const SCAN_WORKSPACE: &str = "codeward.scanWorkspace";

/// Handles `workspace/executeCommand`. `cancel` is set when the request is cancelled.
pub async fn execute_command(
    state: &Arc<State>,
    params: ExecuteCommandParams,
    cancel: Arc<AtomicBool>,
) -> Result<Value> {
    if params.command == SCAN_WORKSPACE {
        return Ok(scan_workspace(state, params, cancel).await);
    }
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

/// `codeward.scanWorkspace`: open documents and notebooks, then the files of the workspace
/// folders, with progress in percent and a cancel button.
async fn scan_workspace(
    state: &Arc<State>,
    params: ExecuteCommandParams,
    cancel: Arc<AtomicBool>,
) -> Value {
    state.workspace.begin(Arc::clone(&cancel));
    let token = progress_token(state, params.work_done_progress_params.work_done_token).await;
    let mut progress = match &token {
        Some(token) => {
            state.workspace.bind_token(token, Arc::clone(&cancel));
            Some(WorkspaceProgress(
                state
                    .client
                    .progress(token.clone(), "Scan in progress")
                    .with_percentage(0)
                    .with_cancel_button()
                    .begin()
                    .await,
            ))
        }
        None => None,
    };
    let uris = state.documents.uris();
    let notebooks = state.notebooks.uris();
    let mut findings = 0usize;
    for uri in &uris {
        if cancel.load(Ordering::SeqCst) {
            break;
        }
        findings += scheduler::scan_and_publish(state, uri).await.unwrap_or(0);
    }
    for notebook in &notebooks {
        if cancel.load(Ordering::SeqCst) {
            break;
        }
        findings += notebook_scheduler::scan_and_publish(state, notebook)
            .await
            .unwrap_or(0);
    }
    let summary = match progress.as_mut() {
        Some(progress) => run::scan_workspace(state, &cancel, progress).await,
        None => run::scan_workspace(state, &cancel, &mut run::Silent).await,
    };
    findings += summary.findings;
    let cancelled = cancel.load(Ordering::SeqCst);
    state.workspace.end(&cancel);
    if let Some(token) = &token {
        state.workspace.unbind_token(token);
    }
    if let Some(WorkspaceProgress(progress)) = progress {
        let message = if cancelled {
            format!("Scan cancelled: {findings} findings so far")
        } else {
            format!("Scan completed: {findings} findings")
        };
        progress.finish_with_message(message).await;
    }
    json!({
        "findings": findings,
        "documents": uris.len() + notebooks.len() + summary.files,
        "files": summary.files,
        "cancelled": cancelled,
    })
}

/// Work-done progress of a workspace scan, in percent of the files.
struct WorkspaceProgress(
    tower_lsp_server::OngoingProgress<tower_lsp_server::Bounded, tower_lsp_server::Cancellable>,
);

impl run::Progress for WorkspaceProgress {
    async fn report(&mut self, done: usize, total: usize) {
        let percent = (done * 100).checked_div(total).unwrap_or(100).min(100) as u32;
        self.0
            .report_with_message(format!("{done}/{total} files"), percent, None)
            .await;
    }
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
    let token = progress_token(state, token).await?;
    Some(
        state
            .client
            .progress(token, "Scan in progress")
            .begin()
            .await,
    )
}

/// The request's progress token, or a new one created with `window/workDoneProgress/create`
/// when the client supports it.
async fn progress_token(state: &Arc<State>, token: Option<ProgressToken>) -> Option<ProgressToken> {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    Some(match token {
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
    })
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
