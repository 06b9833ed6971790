//! Scans of notebooks off the message loop, as for text documents (see `scheduler`): debounced per
//! notebook, one run in flight per notebook, results of stale revisions dropped. Diagnostics are
//! published per cell URI, with the cell's version; every cell gets a list, empty when clean.

use std::sync::Arc;
use std::time::Duration;

use tower_lsp_server::ls_types::{Diagnostic, Uri};

use super::convert;
use super::notebooks::{CellResult, NotebookScan};
use super::state::State;
use crate::notebook;
use crate::text::PositionEncoding;

/// Schedules a scan of notebook `uri` after `delay`; a later schedule supersedes this one.
pub fn schedule(state: &Arc<State>, uri: Uri, delay: Duration) {
    let Some(ticket) = state.notebooks.next_ticket(&uri) else {
        return;
    };
    let state = Arc::clone(state);
    tokio::spawn(async move {
        if !delay.is_zero() {
            tokio::time::sleep(delay).await;
        }
        if state.notebooks.is_latest_ticket(&uri, ticket) {
            scan_and_publish(&state, &uri).await;
        }
    });
}

/// Scans the current revision of a notebook and publishes it if nothing changed meanwhile.
/// Returns the number of findings.
pub async fn scan_and_publish(state: &Arc<State>, uri: &Uri) -> Option<usize> {
    let lock = state.notebooks.run_lock(uri)?;
    let _running = lock.lock().await;
    let scan = scan_current(state, uri).await?;
    let findings = scan.cells.iter().map(|c| c.findings.len()).sum();
    if state.notebooks.revision(uri) != Some(scan.revision) {
        tracing::debug!(
            uri = uri.as_str(),
            "dropping the result of a stale notebook revision"
        );
        return Some(findings);
    }
    publish(state, &scan).await;
    Some(findings)
}

/// The scan of the current revision of a notebook: the stored one, or a new scan.
pub async fn scan_current(state: &Arc<State>, uri: &Uri) -> Option<Arc<NotebookScan>> {
    if let Some(scan) = state.notebooks.current_scan(uri) {
        return Some(scan);
    }
    let input = state.notebooks.scan_input(uri)?;
    let settings = state.session().settings.scan;
    let path = uri.to_file_path().map(|p| p.into_owned());
    let cells = input.cells.clone();
    let revision = input.revision;
    let mut cache = state.take_scan_cache(uri);
    let joined = tokio::task::spawn_blocking(move || {
        let texts = input.texts();
        let output = notebook::scan_with_cache(
            &input.sources(&texts),
            path.as_deref(),
            &settings,
            Some(&mut cache),
        );
        (output, cache)
    })
    .await;
    let output = match joined {
        Ok((output, cache)) => {
            if state.notebooks.revision(uri).is_some() {
                state.keep_scan_cache(uri, cache);
            }
            output
        }
        Err(err) => {
            state
                .error_user(format!(
                    "the scan of notebook {} failed: {err}",
                    uri.as_str()
                ))
                .await;
            return None;
        }
    };
    if !output.failed_detectors.is_empty() {
        state
            .warn_user(format!(
                "detectors failed on notebook {} and reported nothing: {}",
                uri.as_str(),
                output.failed_detectors.join(", ")
            ))
            .await;
    }
    let mut per_cell = output.cells.into_iter();
    let mut results: Vec<CellResult> = cells
        .into_iter()
        .map(|cell| CellResult {
            cell,
            findings: per_cell.next().unwrap_or_default(),
            notices: Vec::new(),
        })
        .collect();
    for (index, notice) in output.notices {
        if let Some(result) = results.get_mut(index) {
            result.notices.push(notice);
        }
    }
    let scan = Arc::new(NotebookScan {
        revision,
        cells: results,
    });
    state.notebooks.store_scan(uri, Arc::clone(&scan));
    Some(scan)
}

/// The diagnostics of one cell.
pub fn cell_diagnostics(result: &CellResult, encoding: PositionEncoding) -> Vec<Diagnostic> {
    let rope = &result.cell.rope;
    let version = result.cell.version;
    result
        .findings
        .iter()
        .map(|f| convert::finding(f, rope, version, encoding))
        .chain(
            result
                .notices
                .iter()
                .map(|n| convert::notice(n, rope, version, encoding)),
        )
        .collect()
}

/// Pushes the diagnostics of every cell, or asks a pulling client to refresh.
async fn publish(state: &Arc<State>, scan: &NotebookScan) {
    let session = state.session();
    if session.pull_diagnostics {
        if session.refresh_support {
            let client = state.client.clone();
            tokio::spawn(async move {
                if let Err(err) = client.workspace_diagnostic_refresh().await {
                    tracing::debug!("workspace/diagnostic/refresh failed: {err}");
                }
            });
        }
        return;
    }
    for result in &scan.cells {
        let diagnostics = cell_diagnostics(result, session.encoding);
        state
            .client
            .publish_diagnostics(
                result.cell.uri.clone(),
                diagnostics,
                Some(result.cell.version),
            )
            .await;
    }
}

/// Clears the pushed diagnostics of cells that left a notebook (after any publish in flight when
/// `lock` is given).
pub async fn clear_cells(
    state: &Arc<State>,
    cells: Vec<Uri>,
    lock: Option<Arc<tokio::sync::Mutex<()>>>,
) {
    if state.session().pull_diagnostics || cells.is_empty() {
        return;
    }
    let _running = match &lock {
        Some(lock) => Some(lock.lock().await),
        None => None,
    };
    for cell in cells {
        if state.notebooks.owner(&cell).is_none() {
            state
                .client
                .publish_diagnostics(cell, Vec::new(), None)
                .await;
        }
    }
}
