//! Requests on a notebook cell's URI: `textDocument/hover`, `textDocument/codeAction` and
//! `textDocument/diagnostic`, answered from the scan of the whole notebook. Edits target the cell.

use std::collections::HashMap;
use std::sync::Arc;

use tower_lsp_server::ls_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams, Diagnostic,
    DocumentDiagnosticParams, DocumentDiagnosticReport, DocumentDiagnosticReportResult,
    FullDocumentDiagnosticReport, Hover, HoverContents, HoverParams, MarkupContent, MarkupKind,
    RelatedFullDocumentDiagnosticReport, TextEdit, Uri, WorkspaceEdit,
};

use super::super::convert::{DiagnosticData, EXPRESS_LIMIT_CODE};
use super::super::notebook_scheduler as scheduler;
use super::super::notebooks::{CellResult, NotebookScan};
use super::super::proto;
use super::super::settings::ScanTrigger;
use super::super::state::State;
use super::hover::describe;
use super::initialize::FIX_ALL_KIND;
use crate::finding::{Applicability, Finding};
use crate::lang::Language;
use crate::suppress::suppress_edit;

/// The notebook scan for a cell's notebook: fresh when scanning as the user types, else the one
/// made for the current revision.
async fn scan_for(state: &Arc<State>, cell: &Uri) -> Option<Arc<NotebookScan>> {
    let notebook = state.notebooks.owner(cell)?;
    if state.session().settings.scan_trigger == ScanTrigger::Type {
        scheduler::scan_current(state, &notebook).await
    } else {
        state.notebooks.current_scan(&notebook)
    }
}

/// `textDocument/hover` on a cell.
pub async fn hover(state: &Arc<State>, params: HoverParams) -> Option<Hover> {
    let uri = params.text_document_position_params.text_document.uri;
    let scan = scan_for(state, &uri).await?;
    let result = scan.cell(&uri)?;
    let encoding = state.session().encoding;
    let rope = &result.cell.rope;
    let offset = proto::offset(
        rope,
        params.text_document_position_params.position,
        encoding,
    );
    let hits: Vec<&Finding> = result
        .findings
        .iter()
        .filter(|f| f.range.start <= offset && offset <= f.range.end)
        .collect();
    let first = hits.first()?;
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: hits
                .iter()
                .map(|f| describe(f))
                .collect::<Vec<_>>()
                .join("\n\n---\n\n"),
        }),
        range: Some(proto::lsp_range(rope, &first.range, encoding)),
    })
}

/// `textDocument/diagnostic` on a cell.
pub async fn diagnostic(
    state: &Arc<State>,
    params: DocumentDiagnosticParams,
) -> DocumentDiagnosticReportResult {
    let uri = params.text_document.uri;
    let encoding = state.session().encoding;
    let items = scan_for(state, &uri)
        .await
        .and_then(|scan| {
            scan.cell(&uri)
                .map(|result| scheduler::cell_diagnostics(result, encoding))
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

fn workspace_edit(uri: &Uri, edits: Vec<TextEdit>) -> WorkspaceEdit {
    WorkspaceEdit {
        changes: Some(HashMap::from([(uri.clone(), edits)])),
        ..WorkspaceEdit::default()
    }
}

/// `textDocument/codeAction` on a cell: quick fixes and suppressions editing the cell, and
/// "apply all safe fixes" of the cell.
pub async fn code_action(state: &Arc<State>, params: CodeActionParams) -> Vec<CodeActionOrCommand> {
    let uri = params.text_document.uri;
    let Some(cell) = state.notebooks.cell_snapshot(&uri) else {
        return Vec::new();
    };
    let only = params.context.only.unwrap_or_default();
    let wants = |kind: &str| {
        only.is_empty()
            || only
                .iter()
                .any(|o| kind == o.as_str() || kind.starts_with(&format!("{}.", o.as_str())))
    };
    let encoding = state.session().encoding;
    let mut actions = Vec::new();
    if wants(CodeActionKind::QUICKFIX.as_str()) {
        for diagnostic in &params.context.diagnostics {
            let Some(data) = DiagnosticData::of(diagnostic) else {
                continue;
            };
            if data.version != cell.version {
                tracing::debug!(
                    uri = uri.as_str(),
                    "refusing code actions for a stale cell diagnostic"
                );
                continue;
            }
            for (i, fix) in data
                .fixes
                .iter()
                .filter(|fix| fix.applicability != Applicability::DisplayOnly)
                .enumerate()
            {
                actions.push(CodeAction {
                    title: fix.title.clone(),
                    kind: Some(CodeActionKind::QUICKFIX),
                    diagnostics: Some(vec![diagnostic.clone()]),
                    edit: Some(workspace_edit(&uri, fix.edits.clone())),
                    is_preferred: Some(i == 0),
                    ..CodeAction::default()
                });
            }
            if data.rule_id != EXPRESS_LIMIT_CODE {
                let offset = proto::offset(&cell.rope, diagnostic.range.start, encoding);
                let text = cell.rope.to_string();
                let edit = suppress_edit(
                    &text,
                    Language::Python.line_comment(),
                    offset,
                    &data.rule_id,
                );
                actions.push(suppression(
                    &uri,
                    diagnostic,
                    &data,
                    vec![proto::text_edit(&cell.rope, &edit, encoding)],
                ));
            }
        }
    }
    if wants(FIX_ALL_KIND) {
        if let Some(scan) = scan_for(state, &uri).await {
            if let Some(action) = scan.cell(&uri).and_then(|r| fix_all(&uri, r, state)) {
                actions.push(action);
            }
        }
    }
    actions
        .into_iter()
        .map(CodeActionOrCommand::CodeAction)
        .collect()
}

fn suppression(
    uri: &Uri,
    diagnostic: &Diagnostic,
    data: &DiagnosticData,
    edits: Vec<TextEdit>,
) -> CodeAction {
    CodeAction {
        title: format!("Suppress {} for this line", data.rule_id),
        kind: Some(CodeActionKind::QUICKFIX),
        diagnostics: Some(vec![diagnostic.clone()]),
        edit: Some(workspace_edit(uri, edits)),
        is_preferred: Some(false),
        ..CodeAction::default()
    }
}

/// Every safe fix of the cell's findings, skipping fixes that overlap one already taken.
fn fix_all(uri: &Uri, result: &CellResult, state: &State) -> Option<CodeAction> {
    let mut fixes: Vec<_> = result
        .findings
        .iter()
        .filter_map(|f| {
            f.fixes
                .iter()
                .find(|fix| fix.applicability == Applicability::Safe)
        })
        .filter(|fix| !fix.edits.is_empty())
        .collect();
    fixes.sort_by_key(|fix| fix.edits.first().map(|e| (e.range.start, e.range.end)));
    let mut taken = Vec::new();
    let mut end = 0usize;
    for fix in fixes {
        let start = fix.edits.first().map_or(0, |e| e.range.start);
        if !taken.is_empty() && start < end {
            continue;
        }
        end = fix.edits.iter().map(|e| e.range.end).max().unwrap_or(start);
        taken.extend(fix.edits.iter().cloned());
    }
    if taken.is_empty() {
        return None;
    }
    let encoding = state.session().encoding;
    let edits = taken
        .iter()
        .map(|e| proto::text_edit(&result.cell.rope, e, encoding))
        .collect();
    Some(CodeAction {
        title: "Codeward: apply all safe fixes".to_string(),
        kind: Some(CodeActionKind::new(FIX_ALL_KIND)),
        edit: Some(workspace_edit(uri, edits)),
        ..CodeAction::default()
    })
}
