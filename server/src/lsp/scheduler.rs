//! Scans off the message loop: per-document debounce, one run in flight per document, results of
//! stale revisions dropped, diagnostics published with their version (or, for clients that pull,
//! a refresh request sent).

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use tower_lsp_server::ls_types::Uri;

use super::convert;
use super::discard::discard;
use super::documents::ScanResult;
use super::state::State;
use crate::analysis::garbage;
use crate::config::ScanSettings;
use crate::engine::ScanCache;
use crate::engine::{self, ScanOutput, Source};
use crate::lang::Language;
use crate::notebook;
use crate::text::Snapshot;

/// Schedules a scan of `uri` after `delay`; a later schedule supersedes this one.
pub fn schedule(state: &Arc<State>, uri: Uri, delay: Duration) {
    let Some(ticket) = state.documents.next_ticket(&uri) else {
        return;
    };
    let state = Arc::clone(state);
    tokio::spawn(async move {
        if !delay.is_zero() {
            tokio::time::sleep(delay).await;
        }
        if state.documents.is_latest_ticket(&uri, ticket) {
            scan_and_publish(&state, &uri).await;
        }
    });
}

/// Scans the current revision of `uri` now and publishes the result if the document has not
/// changed meanwhile. Returns the number of findings of the scanned revision.
pub async fn scan_and_publish(state: &Arc<State>, uri: &Uri) -> Option<usize> {
    let lock = state.run_lock(uri);
    let _running = lock.lock().await;
    let result = scan_current(state, uri).await?;
    let findings = result.output.findings.len();
    if state.documents.revision(uri) != Some(result.revision) {
        tracing::debug!(
            uri = uri.as_str(),
            "dropping the result of a stale revision"
        );
        return Some(findings);
    }
    publish(state, uri, &result).await;
    Some(findings)
}

/// The scan result of the current revision of `uri`: the stored one, or a new scan.
pub async fn scan_current(state: &Arc<State>, uri: &Uri) -> Option<ScanResult> {
    if let Some(result) = state.documents.current_scan(uri) {
        return Some(result);
    }
    let input = state.documents.scan_input(uri)?;
    let settings = state.session().settings.scan;
    let used = settings.clone();
    let snapshot = input.snapshot.clone();
    let path = input.path.clone();
    let mut cache = state.take_scan_cache(uri);
    let joined = tokio::task::spawn_blocking(move || {
        let started = std::time::Instant::now();
        let collecting = garbage::Collecting::start();
        let output = scan_snapshot(&snapshot, path.as_deref(), &settings, &mut cache);
        // What the analysis dropped is freed beside the publishing, not before it.
        discard(collecting.finish());
        tracing::debug!(
            version = snapshot.version,
            ms = started.elapsed().as_secs_f64() * 1e3,
            fast = cache.analysis.fast(),
            dependents_reran = cache.analysis.reran(),
            replayed_interpreted = ?cache.analysis.stats(),
            reused_definitions = cache.reused_definitions(),
            "scanned"
        );
        (output, cache)
    })
    .await;
    let output = match joined {
        Ok((output, cache)) => {
            if state.documents.is_open(uri) {
                state.keep_scan_cache(uri, cache);
            }
            output
        }
        Err(err) => {
            state
                .error_user(format!("the scan of {} failed: {err}", uri.as_str()))
                .await;
            return None;
        }
    };
    if !output.failed_detectors.is_empty() {
        state
            .warn_user(format!(
                "detectors failed on {} and reported nothing: {}",
                uri.as_str(),
                output.failed_detectors.join(", ")
            ))
            .await;
    }
    let result = ScanResult {
        revision: input.revision,
        snapshot: input.snapshot,
        output: Arc::new(output),
    };
    // Settings that changed while the scan ran (`invalidate_scans` already happened) make this
    // result stale although the revision is current: keep it out of the store, or it would be
    // served for this revision until the next edit.
    if state.session().settings.scan == used {
        state.documents.store_scan(uri, result.clone());
    }
    Some(result)
}

/// Scans a snapshot with the engine (blocking), reusing and updating the document's analysis
/// cache.
pub fn scan_snapshot(
    snapshot: &Snapshot,
    path: Option<&Path>,
    settings: &ScanSettings,
    cache: &mut ScanCache,
) -> ScanOutput {
    let text = snapshot.rope.to_string();
    if let Some(prepared) = notebook_virtual_document(&text, snapshot.language, path) {
        // Rewritten text of the same length: offsets hold, but the tree no longer matches.
        return engine::scan_incremental(
            Source {
                text: &prepared,
                language: snapshot.language,
                path,
                tree: None,
            },
            settings,
            cache,
        );
    }
    engine::scan_incremental(
        Source {
            text: &text,
            language: snapshot.language,
            path,
            tree: snapshot.tree.as_deref(),
        },
        settings,
        cache,
    )
}

/// A jupyterlab-lsp virtual document (Python, path ending in `.ipynb`) prepared for scanning, when
/// it needs rewriting (see [`crate::notebook::virtual_document`]).
fn notebook_virtual_document(
    text: &str,
    language: Language,
    path: Option<&Path>,
) -> Option<String> {
    (language == Language::Python && path.is_some_and(notebook::ipynb::is_notebook_path))
        .then(|| notebook::virtual_document::prepare(text))
        .flatten()
}

/// Pushes the diagnostics of a result, or asks a pulling client to refresh.
async fn publish(state: &Arc<State>, uri: &Uri, result: &ScanResult) {
    let session = state.session();
    if session.pull_diagnostics {
        if session.refresh_support {
            // Not awaited under the run lock: a slow client must not stall this document's scans.
            let client = state.client.clone();
            tokio::spawn(async move {
                if let Err(err) = client.workspace_diagnostic_refresh().await {
                    tracing::debug!("workspace/diagnostic/refresh failed: {err}");
                }
            });
        }
        return;
    }
    let diagnostics = convert::diagnostics(
        &result.output,
        &result.snapshot.rope,
        result.snapshot.version,
        session.encoding,
    );
    state
        .client
        .publish_diagnostics(uri.clone(), diagnostics, Some(result.snapshot.version))
        .await;
}

/// Clears the pushed diagnostics of a closed document (after any publish in flight).
pub async fn clear(state: &Arc<State>, uri: &Uri) {
    if !state.session().pull_diagnostics {
        let lock = state.run_lock(uri);
        let _running = lock.lock().await;
        state
            .client
            .publish_diagnostics(uri.clone(), Vec::new(), None)
            .await;
    }
    if !state.documents.is_open(uri) {
        state.drop_run_lock(uri);
    }
}
