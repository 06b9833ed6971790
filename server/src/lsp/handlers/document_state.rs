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

/// The test-only method returning a hash of a document's text instead of the text itself (cheap
/// to compare after thousands of edits). Not advertised; it answers only when the server was
/// started with [`DEBUG_ENV`]`=1`, and is "method not found" otherwise.
pub const HASH_METHOD: &str = "codeward/debug/documentHash";

/// The environment variable that enables the `codeward/debug/*` requests.
pub const DEBUG_ENV: &str = "CODEWARD_DEBUG_REQUESTS";

/// Whether the `codeward/debug/*` requests are enabled.
pub fn debug_requests_enabled() -> bool {
    std::env::var_os(DEBUG_ENV).is_some_and(|v| v == "1")
}

/// Returns `{ version, length, fnv1a64 }` (the UTF-8 length and the 64-bit FNV-1a hash of the
/// UTF-8 bytes, 16 lowercase hex digits), or `null` when the document is not open.
pub fn document_hash(
    state: &Arc<State>,
    params: DocumentStateParams,
) -> tower_lsp_server::jsonrpc::Result<Value> {
    if !debug_requests_enabled() {
        return Err(tower_lsp_server::jsonrpc::Error::method_not_found());
    }
    let uri = &params.text_document.uri;
    let found = state.documents.version_and_text(uri);
    Ok(
        match found.or_else(|| state.notebooks.cell_version_and_text(uri)) {
            Some((version, text)) => json!({
                "version": version,
                "length": text.len(),
                "fnv1a64": format!("{:016x}", fnv1a64(text.as_bytes())),
            }),
            None => Value::Null,
        },
    )
}

/// 64-bit FNV-1a: simple enough for a test client to recompute independently.
fn fnv1a64(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1a64_matches_the_reference_vectors() {
        assert_eq!(fnv1a64(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a64(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a64(b"foobar"), 0x8594_4171_f739_67e8);
    }
}
