//! Settings: from LSP `initializationOptions` / `workspace/didChangeConfiguration`, and CLI flags.
//! Settings can only narrow or tune detection; none of them runs anything.

use serde::{Deserialize, Serialize};

use crate::finding::Severity;
use crate::lang::Language;

/// Which detectors run: security only, or security and code quality.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum AnalysisType {
    /// Security detectors (the default).
    #[default]
    #[serde(alias = "security", alias = "SECURITY")]
    Security,
    /// Security and code-quality detectors.
    #[serde(alias = "all", alias = "ALL")]
    All,
}

/// How much to run: the fast express subset with size limits, or everything.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum ScanType {
    /// Express detectors only, within the express size limits (used while typing).
    #[default]
    #[serde(alias = "express", alias = "EXPRESS")]
    Express,
    /// Every detector, no size limit.
    #[serde(alias = "standard", alias = "STANDARD")]
    Standard,
}

/// The largest files an express scan analyses, in bytes, per language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ExpressLimits {
    /// Python (200 KB by default).
    pub python: usize,
    /// Java (1 MB by default).
    pub java: usize,
    /// JavaScript (200 KB by default).
    pub javascript: usize,
    /// Other text files (secrets only; 1 MB by default).
    pub text: usize,
}

impl Default for ExpressLimits {
    fn default() -> Self {
        Self {
            python: 200 * 1024,
            java: 1024 * 1024,
            javascript: 200 * 1024,
            text: 1024 * 1024,
        }
    }
}

impl ExpressLimits {
    /// The limit for a language.
    pub fn for_language(&self, language: Language) -> usize {
        match language {
            Language::Python => self.python,
            Language::Java => self.java,
            Language::JavaScript | Language::TypeScript | Language::Tsx => self.javascript,
            Language::Text => self.text,
        }
    }
}

/// What detection runs and what is reported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ScanSettings {
    /// Security only, or also code quality.
    pub analysis_type: AnalysisType,
    /// Express or standard.
    pub scan_type: ScanType,
    /// Findings below this severity are not reported.
    pub min_severity: Severity,
    /// Rule ids (with or without `@version`) or slugs that never run.
    pub disabled_rules: Vec<String>,
    /// Express size limits.
    pub express_limits: ExpressLimits,
    /// Also honour other tools' suppression comments (`# nosec`, `// NOSONAR`).
    pub honor_foreign_suppressions: bool,
    /// Text files (not Python, Java or JavaScript) larger than this many bytes are not scanned
    /// for secrets: `codeward scan` reports them as skipped, the server with a notice.
    pub max_text_file_size: usize,
    /// Per-file analysis time budget in milliseconds (0 = none): checked between the phases of
    /// a scan (parse, analysis, each detector); a file over it reports a notice.
    pub time_budget_ms: u64,
}

/// The default [`ScanSettings::max_text_file_size`]: 1 MiB (configuration files are far smaller;
/// larger text files are data and logs).
pub const DEFAULT_MAX_TEXT_FILE_SIZE: usize = 1024 * 1024;

/// The default per-file analysis time budget: 5 seconds.
pub const DEFAULT_TIME_BUDGET_MS: u64 = 5_000;

impl Default for ScanSettings {
    fn default() -> Self {
        Self {
            analysis_type: AnalysisType::Security,
            scan_type: ScanType::Express,
            min_severity: Severity::Info,
            disabled_rules: Vec::new(),
            express_limits: ExpressLimits::default(),
            honor_foreign_suppressions: false,
            max_text_file_size: DEFAULT_MAX_TEXT_FILE_SIZE,
            time_budget_ms: DEFAULT_TIME_BUDGET_MS,
        }
    }
}

impl ScanSettings {
    /// Whether a rule id is disabled (matched by full id, id without version, or slug).
    pub fn is_disabled(&self, id: &str) -> bool {
        let without_version = id.split('@').next().unwrap_or(id);
        let slug = without_version
            .rsplit('/')
            .next()
            .unwrap_or(without_version);
        self.disabled_rules
            .iter()
            .any(|r| r == id || r == without_version || r == slug)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deserialises_with_defaults_and_aliases() {
        let s: ScanSettings = serde_json::from_str(
            r#"{"analysisType":"all","minSeverity":"High","disabledRules":["sql-injection"]}"#,
        )
        .expect("valid settings");
        assert_eq!(s.analysis_type, AnalysisType::All);
        assert_eq!(s.scan_type, ScanType::Express);
        assert_eq!(s.min_severity, Severity::High);
        assert!(s.is_disabled("python/sql-injection@v1.0"));
        assert!(!s.is_disabled("python/os-command-injection@v1.0"));
    }
}
