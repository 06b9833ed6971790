//! The one place that turns scan results into LSP diagnostics.
//!
//! Each diagnostic carries, in `data`, the document version it was computed for, its rule id and
//! its fixes with edits already in LSP ranges, so a code-action request recomputes nothing.

use std::collections::HashMap;
use std::str::FromStr;
use std::sync::OnceLock;

use ropey::Rope;
use serde::{Deserialize, Serialize};
use tower_lsp_server::ls_types::{
    CodeDescription, Diagnostic, DiagnosticSeverity, NumberOrString, TextEdit, Uri,
};

use super::proto::{lsp_range, text_edit};
use crate::detectors::{registry, DetectorMeta};
use crate::engine::{Notice, ScanOutput};
use crate::finding::{Applicability, Finding, Severity};
use crate::text::PositionEncoding;

/// The `source` of every Codeward diagnostic.
pub const SOURCE: &str = "codeward";

/// The code of the "over the express limit" diagnostic.
pub const EXPRESS_LIMIT_CODE: &str = "codeward/express-limit";

/// What a diagnostic carries in `data`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DiagnosticData {
    /// The document version the diagnostic was computed for.
    pub version: i32,
    /// The rule id (or [`EXPRESS_LIMIT_CODE`]).
    pub rule_id: String,
    /// The finding's fixes, preferred first.
    #[serde(default)]
    pub fixes: Vec<FixData>,
    /// The finding's severity (`Critical` .. `Info`), which the LSP severity only approximates;
    /// absent for notices.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity: Option<Severity>,
}

/// One fix, with its edits in LSP ranges of the diagnostic's version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FixData {
    /// The code action title.
    pub title: String,
    /// The edits.
    pub edits: Vec<TextEdit>,
    /// Whether it is safe, unsafe or display-only.
    pub applicability: Applicability,
}

impl DiagnosticData {
    /// Reads the data of a Codeward diagnostic; `None` for other sources or malformed data.
    pub fn of(diagnostic: &Diagnostic) -> Option<Self> {
        if diagnostic.source.as_deref() != Some(SOURCE) {
            return None;
        }
        serde_json::from_value(diagnostic.data.clone()?).ok()
    }
}

/// The LSP severity of a finding severity.
pub fn severity(severity: Severity) -> DiagnosticSeverity {
    match severity {
        Severity::Critical | Severity::High => DiagnosticSeverity::ERROR,
        Severity::Medium => DiagnosticSeverity::WARNING,
        Severity::Low => DiagnosticSeverity::INFORMATION,
        Severity::Info => DiagnosticSeverity::HINT,
    }
}

/// Every diagnostic of a scan: findings, then notices. Syntax errors are left to the user's
/// language server.
pub fn diagnostics(
    output: &ScanOutput,
    rope: &Rope,
    version: i32,
    encoding: PositionEncoding,
) -> Vec<Diagnostic> {
    output
        .findings
        .iter()
        .map(|f| finding(f, rope, version, encoding))
        .chain(
            output
                .notices
                .iter()
                .map(|n| notice(n, rope, version, encoding)),
        )
        .collect()
}

/// The message shown for a finding: the detector's message and its CWEs.
pub fn message(finding: &Finding) -> String {
    let cwes = finding.rule.cwe_list();
    if cwes.is_empty() || finding.message.contains("CWE-") {
        finding.message.clone()
    } else {
        format!("{} ({cwes})", finding.message)
    }
}

/// The documentation link of a rule, parsed once per rule for the life of the process (a
/// publish carries hundreds of diagnostics of a few rules).
fn doc_uri(rule: &'static DetectorMeta) -> Option<Uri> {
    static URIS: OnceLock<HashMap<&'static str, Uri>> = OnceLock::new();
    let uris = URIS.get_or_init(|| {
        registry()
            .iter()
            .filter_map(|d| {
                let meta = d.meta();
                Some((meta.id, Uri::from_str(&meta.doc_url()).ok()?))
            })
            .collect()
    });
    match uris.get(rule.id) {
        Some(uri) => Some(uri.clone()),
        None => Uri::from_str(&rule.doc_url()).ok(),
    }
}

/// One finding as a diagnostic.
pub fn finding(
    finding: &Finding,
    rope: &Rope,
    version: i32,
    encoding: PositionEncoding,
) -> Diagnostic {
    let data = DiagnosticData {
        version,
        rule_id: finding.rule.id.to_string(),
        fixes: finding
            .fixes
            .iter()
            .map(|fix| FixData {
                title: fix.title.clone(),
                edits: fix
                    .edits
                    .iter()
                    .map(|e| text_edit(rope, e, encoding))
                    .collect(),
                applicability: fix.applicability,
            })
            .collect(),
        severity: Some(finding.severity),
    };
    Diagnostic {
        range: lsp_range(rope, &finding.range, encoding),
        severity: Some(severity(finding.severity)),
        code: Some(NumberOrString::String(finding.rule.id.to_string())),
        code_description: doc_uri(finding.rule).map(|href| CodeDescription { href }),
        source: Some(SOURCE.to_string()),
        message: message(finding),
        data: serde_json::to_value(data).ok(),
        ..Diagnostic::default()
    }
}

/// A notice (such as the express size limit) as an informational diagnostic.
pub fn notice(
    notice: &Notice,
    rope: &Rope,
    version: i32,
    encoding: PositionEncoding,
) -> Diagnostic {
    let data = DiagnosticData {
        version,
        rule_id: EXPRESS_LIMIT_CODE.to_string(),
        fixes: Vec::new(),
        severity: None,
    };
    Diagnostic {
        range: lsp_range(rope, &notice.range, encoding),
        severity: Some(DiagnosticSeverity::INFORMATION),
        code: Some(NumberOrString::String(EXPRESS_LIMIT_CODE.to_string())),
        source: Some(SOURCE.to_string()),
        message: notice.message.clone(),
        data: serde_json::to_value(data).ok(),
        ..Diagnostic::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn severities_map_to_lsp_levels() {
        assert_eq!(severity(Severity::Critical), DiagnosticSeverity::ERROR);
        assert_eq!(severity(Severity::High), DiagnosticSeverity::ERROR);
        assert_eq!(severity(Severity::Medium), DiagnosticSeverity::WARNING);
        assert_eq!(severity(Severity::Low), DiagnosticSeverity::INFORMATION);
        assert_eq!(severity(Severity::Info), DiagnosticSeverity::HINT);
    }

    #[test]
    fn notice_becomes_information_with_data() {
        let rope = Rope::from_str("x = 1\n");
        let n = Notice {
            range: 0..0,
            message: "too big".into(),
        };
        let d = notice(&n, &rope, 7, PositionEncoding::Utf16);
        assert_eq!(d.severity, Some(DiagnosticSeverity::INFORMATION));
        assert_eq!(
            d.code,
            Some(NumberOrString::String(EXPRESS_LIMIT_CODE.into()))
        );
        let data = DiagnosticData::of(&d).expect("codeward data");
        assert_eq!(data.version, 7);
        assert!(data.fixes.is_empty());
    }
}
