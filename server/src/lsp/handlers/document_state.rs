//! `codeward/documentState` (for tests and debugging): the server's copy of a document, so a
//! client can check it equals its own.

use std::sync::Arc;

use serde::Deserialize;
use serde_json::{json, Value};
use tower_lsp_server::ls_types::TextDocumentIdentifier;

use super::super::state::State;

/// The method name.
pub const METHOD: &str = "codeward/documentState";

/// Parameters: the document.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DocumentStateParams {
    /// Which document.
    pub text_document: TextDocumentIdentifier,
}

/// Returns `{ version, text }`, or `null` when the document is not open.
pub fn document_state(state: &Arc<State>, params: DocumentStateParams) -> Value {
    let uri = &params.text_document.uri;
    let found = state.documents.version_and_text(uri);
    match found.or_else(|| state.notebooks.cell_version_and_text(uri)) {
        Some((version, text)) => json!({ "version": version, "text": text }),
        None => Value::Null,
    }
}
