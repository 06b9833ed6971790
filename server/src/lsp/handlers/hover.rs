//! `textDocument/hover`: over a finding, its detector, severity, CWEs, message and docs.

use std::fmt::Write;
use std::sync::Arc;

use tower_lsp_server::ls_types::{Hover, HoverContents, HoverParams, MarkupContent, MarkupKind};

use super::super::settings::ScanTrigger;
use super::super::state::State;
use super::super::{convert, proto, scheduler};
use crate::finding::Finding;

/// Handles `textDocument/hover`.
pub async fn hover(state: &Arc<State>, params: HoverParams) -> Option<Hover> {
    let uri = params.text_document_position_params.text_document.uri;
    let position = params.text_document_position_params.position;
    let result = if state.session().settings.scan_trigger == ScanTrigger::Type {
        scheduler::scan_current(state, &uri).await?
    } else {
        state.documents.current_scan(&uri)?
    };
    let encoding = state.session().encoding;
    let rope = &result.snapshot.rope;
    let offset = proto::offset(rope, position, encoding);
    let hits: Vec<&Finding> = result
        .output
        .findings
        .iter()
        .filter(|f| f.range.start <= offset && offset <= f.range.end)
        .collect();
    let first = hits.first()?;
    let markdown = hits
        .iter()
        .map(|f| describe(f))
        .collect::<Vec<_>>()
        .join("\n\n---\n\n");
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: markdown,
        }),
        range: Some(proto::lsp_range(rope, &first.range, encoding)),
    })
}

/// The markdown for one finding.
pub fn describe(finding: &Finding) -> String {
    let rule = finding.rule;
    let mut out = format!(
        "### {} ({} severity)\n\n`{}`",
        rule.name, finding.severity, rule.id
    );
    for cwe in rule.cwes {
        let _ = write!(
            out,
            " · [CWE-{cwe}](https://cwe.mitre.org/data/definitions/{cwe}.html)"
        );
    }
    let _ = write!(
        out,
        "\n\n{}\n\n{}\n\n[Detector documentation]({})",
        convert::message(finding),
        rule.docs.trim(),
        rule.doc_url()
    );
    out
}
