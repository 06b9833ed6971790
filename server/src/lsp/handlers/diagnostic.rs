//! `textDocument/diagnostic` (pull): the findings of the document's current version.

use std::sync::Arc;

use tower_lsp_server::ls_types::{
    DocumentDiagnosticParams, DocumentDiagnosticReport, DocumentDiagnosticReportResult,
    FullDocumentDiagnosticReport, RelatedFullDocumentDiagnosticReport,
};

use super::super::settings::ScanTrigger;
use super::super::state::State;
use super::super::{convert, scheduler};

/// Handles `textDocument/diagnostic`. With `scanTrigger` other than `type`, only a scan already
/// made for the current version is reported.
pub async fn diagnostic(
    state: &Arc<State>,
    params: DocumentDiagnosticParams,
) -> DocumentDiagnosticReportResult {
    let uri = params.text_document.uri;
    let session = state.session();
    let result = if session.settings.scan_trigger == ScanTrigger::Type {
        scheduler::scan_current(state, &uri).await
    } else {
        state.documents.current_scan(&uri)
    };
    let items = result
        .map(|r| {
            convert::diagnostics(
                &r.output,
                &r.snapshot.rope,
                r.snapshot.version,
                session.encoding,
            )
        })
        .unwrap_or_default();
    DocumentDiagnosticReportResult::Report(DocumentDiagnosticReport::Full(
        RelatedFullDocumentDiagnosticReport {
            related_documents: None,
            full_document_diagnostic_report: FullDocumentDiagnosticReport {
                result_id: None,
                items,
            },
        },
    ))
}
