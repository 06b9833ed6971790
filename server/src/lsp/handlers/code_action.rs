//! `textDocument/codeAction`: quick fixes and suppressions from the diagnostics' `data`, and
//! "fix all safe findings". Diagnostics computed for another version than the document's current
//! one are refused (their edits would land in the wrong place).

use std::collections::HashMap;
use std::sync::Arc;

use tower_lsp_server::ls_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams, Diagnostic, TextEdit, Uri,
    WorkspaceEdit,
};

use super::super::convert::{DiagnosticData, EXPRESS_LIMIT_CODE};
use super::super::settings::ScanTrigger;
use super::super::state::State;
use super::super::{proto, scheduler};
use super::initialize::FIX_ALL_KIND;
use crate::finding::Applicability;
use crate::suppress::{comment_marker, suppress_edit};
use crate::text::Snapshot;

/// Handles `textDocument/codeAction`.
pub async fn code_action(state: &Arc<State>, params: CodeActionParams) -> Vec<CodeActionOrCommand> {
    let uri = params.text_document.uri;
    let Some(snapshot) = state.documents.snapshot(&uri) else {
        return Vec::new();
    };
    let only = params.context.only.unwrap_or_default();
    let wants = |kind: &str| {
        only.is_empty()
            || only
                .iter()
                .any(|o| kind == o.as_str() || kind.starts_with(&format!("{}.", o.as_str())))
    };
    let mut actions = Vec::new();
    if wants(CodeActionKind::QUICKFIX.as_str()) {
        for diagnostic in &params.context.diagnostics {
            let Some(data) = DiagnosticData::of(diagnostic) else {
                continue;
            };
            if data.version != snapshot.version {
                tracing::debug!(
                    uri = uri.as_str(),
                    diagnostic_version = data.version,
                    document_version = snapshot.version,
                    "refusing code actions for a stale diagnostic"
                );
                continue;
            }
            actions.extend(quick_fixes(&uri, diagnostic, &data));
            if data.rule_id != EXPRESS_LIMIT_CODE {
                actions.extend(suppression(&uri, &snapshot, diagnostic, &data, state));
            }
        }
    }
    if wants(FIX_ALL_KIND) {
        if let Some(action) = fix_all(state, &uri).await {
            actions.push(action);
        }
    }
    actions
        .into_iter()
        .map(CodeActionOrCommand::CodeAction)
        .collect()
}

fn workspace_edit(uri: &Uri, edits: Vec<TextEdit>) -> WorkspaceEdit {
    WorkspaceEdit {
        changes: Some(HashMap::from([(uri.clone(), edits)])),
        ..WorkspaceEdit::default()
    }
}

/// One quick fix per applicable fix, the first preferred.
fn quick_fixes(uri: &Uri, diagnostic: &Diagnostic, data: &DiagnosticData) -> Vec<CodeAction> {
    data.fixes
        .iter()
        .filter(|fix| fix.applicability != Applicability::DisplayOnly)
        .enumerate()
        .map(|(i, fix)| CodeAction {
            title: fix.title.clone(),
            kind: Some(CodeActionKind::QUICKFIX),
            diagnostics: Some(vec![diagnostic.clone()]),
            edit: Some(workspace_edit(uri, fix.edits.clone())),
            is_preferred: Some(i == 0),
            ..CodeAction::default()
        })
        .collect()
}

/// "Suppress <rule> for this line": a suppression comment above the finding, when the file's
/// format has line comments (not in JSON or Markdown, which a comment line would corrupt).
fn suppression(
    uri: &Uri,
    snapshot: &Snapshot,
    diagnostic: &Diagnostic,
    data: &DiagnosticData,
    state: &State,
) -> Option<CodeAction> {
    let path = uri.to_file_path();
    let marker = comment_marker(snapshot.language, path.as_deref())?;
    let encoding = state.session().encoding;
    let offset = proto::offset(&snapshot.rope, diagnostic.range.start, encoding);
    let source = snapshot.rope.to_string();
    let edit = suppress_edit(&source, marker, offset, &data.rule_id);
    Some(CodeAction {
        title: format!("Suppress {} for this line", data.rule_id),
        kind: Some(CodeActionKind::QUICKFIX),
        diagnostics: Some(vec![diagnostic.clone()]),
        edit: Some(workspace_edit(
            uri,
            vec![proto::text_edit(&snapshot.rope, &edit, encoding)],
        )),
        is_preferred: Some(false),
        ..CodeAction::default()
    })
}

/// Every safe fix of the document's current findings, skipping fixes that overlap one already
/// taken.
async fn fix_all(state: &Arc<State>, uri: &Uri) -> Option<CodeAction> {
    let result = if state.session().settings.scan_trigger == ScanTrigger::Type {
        scheduler::scan_current(state, uri).await?
    } else {
        state.documents.current_scan(uri)?
    };
    let mut fixes: Vec<_> = result
        .output
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
        .map(|e| proto::text_edit(&result.snapshot.rope, e, encoding))
        .collect();
    Some(CodeAction {
        title: "Codeward: apply all safe fixes".to_string(),
        kind: Some(CodeActionKind::new(FIX_ALL_KIND)),
        edit: Some(workspace_edit(uri, edits)),
        ..CodeAction::default()
    })
}
