//! What a scan reports: findings with their rule metadata, severity, range, message and fixes.

use std::fmt;
use std::ops::Range;

use serde::{Deserialize, Serialize};

use crate::detectors::DetectorMeta;

/// How serious a finding is (CodeGuru's five levels), ordered from least to most severe.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default,
)]
pub enum Severity {
    /// Quality or readability suggestion, or a better API.
    #[serde(alias = "info", alias = "INFO")]
    Info,
    /// A programming error or anti-pattern; no action needed on its own.
    #[serde(alias = "low", alias = "LOW")]
    Low,
    /// Can lead to a crash, unresponsiveness or unavailability.
    #[default]
    #[serde(alias = "medium", alias = "MEDIUM")]
    Medium,
    /// An attacker can take control with high effort; fix in the near term.
    #[serde(alias = "high", alias = "HIGH")]
    High,
    /// An attacker can take control of the system with moderate effort.
    #[serde(alias = "critical", alias = "CRITICAL")]
    Critical,
}

impl Severity {
    /// All severities from least to most severe.
    pub const ALL: [Severity; 5] = [
        Severity::Info,
        Severity::Low,
        Severity::Medium,
        Severity::High,
        Severity::Critical,
    ];

    /// The display name (`Critical`, `High`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Info => "Info",
            Self::Low => "Low",
            Self::Medium => "Medium",
            Self::High => "High",
            Self::Critical => "Critical",
        }
    }

    /// Parses a severity name, case-insensitively.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|s| s.as_str().eq_ignore_ascii_case(name.trim()))
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whether a detector is about security or code quality (`analysisType: All` only).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Category {
    /// A security weakness.
    Security,
    /// A code-quality problem.
    Quality,
}

impl Category {
    /// The display name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Security => "Security",
            Self::Quality => "Quality",
        }
    }
}

/// How safe it is to apply a fix without review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Applicability {
    /// Keeps the program's intended behaviour; applied by fix-all.
    Safe,
    /// May change behaviour; offered, never applied in bulk.
    Unsafe,
    /// Shown as a suggestion only; cannot be applied automatically.
    DisplayOnly,
}

/// One text replacement, in UTF-8 byte offsets of the scanned source.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Edit {
    /// The replaced byte range.
    pub range: Range<usize>,
    /// The replacement text.
    pub replacement: String,
}

impl Edit {
    /// Replaces `range` with `replacement`.
    pub fn replace(range: Range<usize>, replacement: impl Into<String>) -> Self {
        Self {
            range,
            replacement: replacement.into(),
        }
    }

    /// Inserts `text` at `offset`.
    pub fn insert(offset: usize, text: impl Into<String>) -> Self {
        Self::replace(offset..offset, text)
    }

    /// Deletes `range`.
    pub fn delete(range: Range<usize>) -> Self {
        Self::replace(range, "")
    }
}

/// A suggested change: a title, non-overlapping edits sorted by position, and an applicability.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Fix {
    /// What the fix does, as shown in a code action ("Use yaml.safe_load").
    pub title: String,
    /// The edits, sorted by start offset, not overlapping.
    pub edits: Vec<Edit>,
    /// Whether it may be applied without review.
    pub applicability: Applicability,
}

impl Fix {
    /// Builds a fix, sorting its edits.
    pub fn new(
        title: impl Into<String>,
        mut edits: Vec<Edit>,
        applicability: Applicability,
    ) -> Self {
        edits.sort_by_key(|e| (e.range.start, e.range.end));
        Self {
            title: title.into(),
            edits,
            applicability,
        }
    }

    /// Applies the fix to `source`. Returns `None` if an edit is out of range, not on character
    /// boundaries, or overlaps another.
    pub fn apply(&self, source: &str) -> Option<String> {
        apply_edits(source, &self.edits)
    }
}

/// Applies sorted, non-overlapping edits to a source string.
pub fn apply_edits(source: &str, edits: &[Edit]) -> Option<String> {
    let mut out = String::with_capacity(source.len());
    let mut last = 0;
    for edit in edits {
        if edit.range.start < last || edit.range.end < edit.range.start {
            return None;
        }
        out.push_str(source.get(last..edit.range.start)?);
        out.push_str(&edit.replacement);
        last = edit.range.end;
    }
    out.push_str(source.get(last..)?);
    Some(out)
}

/// A weakness found in a file.
#[derive(Debug, Clone)]
pub struct Finding {
    /// The detector that found it.
    pub rule: &'static DetectorMeta,
    /// Severity (usually the detector's; some detectors lower it, e.g. secrets in test fixtures).
    pub severity: Severity,
    /// Where it is, in UTF-8 byte offsets.
    pub range: Range<usize>,
    /// What is wrong, why, and what to do.
    pub message: String,
    /// Suggested fixes, the preferred one first.
    pub fixes: Vec<Fix>,
}

impl Finding {
    /// The rule id (`python/os-command-injection@v1.0`).
    pub fn rule_id(&self) -> &'static str {
        self.rule.id
    }

    /// One line with everything the finding says (rule id, range, severity, message, fixes):
    /// what must be equal when two scans of the same text are compared (an incremental scan
    /// carries findings over from the last one). `Debug` would print the whole rule.
    pub fn describe(&self) -> String {
        format!(
            "{} {:?} {:?} {} {:?}",
            self.rule.id, self.range, self.severity, self.message, self.fixes
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn severities_order_and_parse() {
        assert!(Severity::Critical > Severity::High);
        assert_eq!(Severity::parse(" high "), Some(Severity::High));
        assert_eq!(Severity::parse("urgent"), None);
    }

    #[test]
    fn edits_apply_in_order_and_reject_overlap() {
        let edits = vec![Edit::replace(0..1, "X"), Edit::insert(3, "!")];
        assert_eq!(apply_edits("abc", &edits).as_deref(), Some("Xbc!"));
        let overlapping = vec![Edit::replace(0..2, "X"), Edit::replace(1..3, "Y")];
        assert_eq!(apply_edits("abc", &overlapping), None);
    }
}
