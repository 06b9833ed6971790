//! `textDocument/didChange`: apply the edits at once (before any `.await`: handlers run
//! concurrently and only this keeps them in arrival order), then schedule a debounced scan.

use std::sync::Arc;
use std::time::Duration;

use tower_lsp_server::ls_types::DidChangeTextDocumentParams;

use super::super::documents::ChangeOutcome;
use super::super::settings::ScanTrigger;
use super::super::state::{guarded, State};
use super::super::{proto, scheduler};
use crate::text::TextChange;

/// Handles `textDocument/didChange`.
pub async fn did_change(state: &Arc<State>, params: DidChangeTextDocumentParams) {
    let uri = params.text_document.uri;
    let version = params.text_document.version;
    let session = state.session();
    let changes: Vec<TextChange> = params
        .content_changes
        .into_iter()
        .map(proto::text_change)
        .collect();
    let outcome = guarded("didChange", || {
        match state
            .documents
            .change(&uri, &changes, session.encoding, version)
        {
            ChangeOutcome::NotOpen => resync_unopened(state, &uri, &changes, version),
            outcome => outcome,
        }
    });
    let Some(outcome) = outcome else {
        return;
    };
    match outcome {
        ChangeOutcome::Applied => {}
        ChangeOutcome::VersionAnomaly { held, got } => {
            state
                .warn_user(format!(
                    "{}: version went from {held} to {got}; the changes were applied in arrival \
                     order (a full-text change resynchronises)",
                    uri.as_str()
                ))
                .await;
        }
        ChangeOutcome::NotOpen => {
            state
                .warn_user(format!(
                    "didChange for {} which is not open; ignored until it is opened or a \
                     full-text change arrives",
                    uri.as_str()
                ))
                .await;
            return;
        }
    }
    if session.settings.scan_trigger == ScanTrigger::Type {
        scheduler::schedule(
            state,
            uri,
            Duration::from_millis(session.settings.debounce_ms),
        );
    }
}

/// A change for a document that is not open: if it contains a full-text change, the text from
/// there on is known, so the document is opened from it (language from the path).
fn resync_unopened(
    state: &State,
    uri: &tower_lsp_server::ls_types::Uri,
    changes: &[TextChange],
    version: i32,
) -> ChangeOutcome {
    let Some(last_full) = changes.iter().rposition(|c| c.range.is_none()) else {
        return ChangeOutcome::NotOpen;
    };
    let encoding = state.session().encoding;
    state
        .documents
        .open(uri.clone(), "", &changes[last_full].text, version);
    let rest = &changes[last_full + 1..];
    if !rest.is_empty() {
        // Same version as the open: the store reports an anomaly, which is expected here.
        let _ = state.documents.change(uri, rest, encoding, version);
    }
    tracing::warn!(
        uri = uri.as_str(),
        "opened from a full-text change of a document that was not open"
    );
    ChangeOutcome::Applied
}
