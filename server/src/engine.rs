//! The scan pipeline shared by the LSP server and the CLI: parse (if needed), analyse once, run the
//! selected detectors (each isolated with `catch_unwind`), drop suppressed and filtered findings.

use std::ops::Range;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;
use std::time::{Duration, Instant};

use tree_sitter::Tree;

use crate::analysis::{self, AnalysisCache, Facts};
use crate::config::{AnalysisType, ScanSettings, ScanType};
use crate::detectors::{self, Context, Detector};
use crate::finding::{Category, Finding};
use crate::lang::{parse_str, syntax, Language};
use crate::suppress::Suppressions;
use crate::text::LineIndex;

/// Something the user should know about a scan that is not a finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    /// Where it applies (usually the first line).
    pub range: Range<usize>,
    /// What happened and what to do.
    pub message: String,
}

/// The result of scanning one file.
#[derive(Debug, Default)]
pub struct ScanOutput {
    /// Findings, sorted by position then rule id.
    pub findings: Vec<Finding>,
    /// Ranges of syntax errors (the rest of the file was still scanned).
    pub syntax_errors: Vec<Range<usize>>,
    /// Notices such as "over the express size limit".
    pub notices: Vec<Notice>,
    /// Ids of detectors that panicked on this file (logged; they yielded nothing).
    pub failed_detectors: Vec<&'static str>,
}

/// One file to scan.
#[derive(Clone, Copy)]
pub struct Source<'a> {
    /// The text.
    pub text: &'a str,
    /// Its language.
    pub language: Language,
    /// Its path, when known.
    pub path: Option<&'a Path>,
    /// Its syntax tree when already parsed (must match `text`).
    pub tree: Option<&'a Tree>,
}

/// Whether a detector runs for a file of `language` under `settings`.
pub fn selected(detector: &dyn Detector, language: Language, settings: &ScanSettings) -> bool {
    let meta = detector.meta();
    (meta.language == language.detector_language() || meta.language == Language::Text)
        && (settings.analysis_type == AnalysisType::All || meta.category == Category::Security)
        && (settings.scan_type == ScanType::Standard || meta.express)
        && !settings.is_disabled(meta.id)
}

/// Scans a file with every registered detector selected by `settings`.
pub fn scan(source: Source<'_>, settings: &ScanSettings) -> ScanOutput {
    scan_with(detectors::registry(), source, settings)
}

/// Scans a file with the given detectors (tests use this to inject misbehaving ones).
pub fn scan_with(
    detectors: &[&dyn Detector],
    source: Source<'_>,
    settings: &ScanSettings,
) -> ScanOutput {
    scan_inner(detectors, source, settings, None)
}

/// Like [`scan`] for a new version of a document scanned before: the analysis reuses and
/// updates `cache` (see [`AnalysisCache`]), so only what the edit can affect is re-analysed.
/// The output is the same as [`scan`]'s.
pub fn scan_incremental(
    source: Source<'_>,
    settings: &ScanSettings,
    cache: &mut AnalysisCache,
) -> ScanOutput {
    scan_inner(detectors::registry(), source, settings, Some(cache))
}

fn scan_inner(
    detectors: &[&dyn Detector],
    source: Source<'_>,
    settings: &ScanSettings,
    mut cache: Option<&mut AnalysisCache>,
) -> ScanOutput {
    let mut output = ScanOutput::default();
    let limit = settings.express_limits.for_language(source.language);
    if settings.scan_type == ScanType::Express && source.text.len() > limit {
        output.notices.push(Notice {
            range: 0..0,
            message: format!(
                "This {} file is {} KB, over the express scan limit of {} KB, so it was not scanned \
                 while typing. Run a standard scan (`codeward scan --scan-type standard`, or set \
                 `scanType` to `Standard`) to scan it.",
                source.language.name(),
                source.text.len() / 1024,
                limit / 1024
            ),
        });
        return output;
    }

    if source.language == Language::Text && source.text.len() > settings.max_text_file_size {
        output.notices.push(Notice {
            range: 0..0,
            message: format!(
                "This text file is {} KB, over the `maxTextFileSize` of {} KB, so it was not \
                 scanned for secrets.",
                source.text.len() / 1024,
                settings.max_text_file_size / 1024
            ),
        });
        return output;
    }

    let budget = Budget::start(settings.time_budget_ms);
    let parsed;
    let tree = match source.tree {
        Some(tree) => Some(tree),
        None => {
            parsed = parse_str(source.language, source.text);
            parsed.as_ref()
        }
    };
    if budget.exceeded(&mut output, "parsing") {
        return output;
    }
    let facts = match tree {
        Some(tree) => {
            output.syntax_errors = syntax::syntax_errors(tree);
            analyze_guarded(source, tree, cache.as_deref_mut())
        }
        None => Facts::default(),
    };
    if budget.exceeded(&mut output, "analysis") {
        if let Some(cache) = cache {
            cache.keep_facts(facts);
        }
        return output;
    }
    // Plain text has no grammar: only `Language::Text` detectors (secrets) run on it, and they
    // read the text; they get an empty tree.
    let empty;
    let ctx_tree = match tree {
        Some(tree) => tree,
        None => {
            empty = parse_str(Language::Python, "");
            match empty.as_ref() {
                Some(tree) => tree,
                None => return output,
            }
        }
    };

    let ctx = Context {
        source: source.text,
        tree: ctx_tree,
        language: source.language,
        path: source.path,
        facts: &facts,
        memo: Default::default(),
    };
    let lines = LineIndex::new(source.text);
    let suppressions = Suppressions::collect(
        source.text,
        tree,
        source.language,
        settings.honor_foreign_suppressions,
        &lines,
    );
    for detector in detectors
        .iter()
        .copied()
        .filter(|d| selected(*d, source.language, settings))
    {
        if budget.exceeded(&mut output, detector.meta().id) {
            break;
        }
        match run_detector(detector, &ctx) {
            Ok(findings) => output.findings.extend(findings.into_iter().filter(|f| {
                f.severity >= settings.min_severity
                    && !suppressions.is_suppressed(lines.line_of(f.range.start), f.rule.id)
            })),
            Err(()) => output.failed_detectors.push(detector.meta().id),
        }
    }
    if let Some(cache) = cache {
        cache.keep_facts(facts);
    }
    output
        .findings
        .sort_by(|a, b| (a.range.start, a.rule.id).cmp(&(b.range.start, b.rule.id)));
    output
}

/// The per-file time budget (`timeBudgetMs`): checked between phases, it cannot interrupt a
/// phase (one parse, the analysis, one detector) that is running.
struct Budget {
    started: Instant,
    limit: Option<Duration>,
}

impl Budget {
    fn start(limit_ms: u64) -> Self {
        Self {
            started: Instant::now(),
            limit: (limit_ms > 0).then(|| Duration::from_millis(limit_ms)),
        }
    }

    /// Whether the budget is spent; if so, adds the notice saying where the scan stopped.
    fn exceeded(&self, output: &mut ScanOutput, after: &str) -> bool {
        let Some(limit) = self.limit else {
            return false;
        };
        let spent = self.started.elapsed();
        if spent <= limit {
            return false;
        }
        output.notices.push(Notice {
            range: 0..0,
            message: format!(
                "The analysis of this file stopped after {} ms, over the time budget of {} ms \
                 (`timeBudgetMs`), at {after}; findings of the detectors that did not run are \
                 missing. Raise `timeBudgetMs` (0 = no budget) to scan it fully.",
                spent.as_millis(),
                limit.as_millis()
            ),
        });
        true
    }
}

/// Runs the analysis, turning a panic into empty facts (logged) so detectors that need no facts
/// still run.
fn analyze_guarded(source: Source<'_>, tree: &Tree, cache: Option<&mut AnalysisCache>) -> Facts {
    let mut fallback = AnalysisCache::default();
    let cache_was_given = cache.is_some();
    let cache = cache.unwrap_or(&mut fallback);
    catch_unwind(AssertUnwindSafe(|| {
        if cache_was_given {
            analysis::analyze_incremental(source.language, source.text, tree, cache)
        } else {
            analysis::analyze(source.language, source.text, tree)
        }
    }))
    .unwrap_or_else(|_| {
        // Whatever the cache held may be half-updated: start over next time.
        *cache = AnalysisCache::default();
        tracing::error!(
            language = source.language.name(),
            path = ?source.path,
            "analysis panicked; continuing without semantic facts"
        );
        Facts::default()
    })
}

/// Runs one detector: check, then message and fixes for each hit. A panic is logged and yields
/// nothing.
fn run_detector(detector: &dyn Detector, ctx: &Context<'_>) -> Result<Vec<Finding>, ()> {
    catch_unwind(AssertUnwindSafe(|| {
        let meta = detector.meta();
        detector
            .check(ctx)
            .into_iter()
            .map(|hit| Finding {
                rule: meta,
                severity: detector.severity(ctx, &hit),
                message: detector.message(ctx, &hit),
                fixes: detector.fix(ctx, &hit),
                range: hit.range,
            })
            .collect()
    }))
    .map_err(|_| {
        tracing::error!(
            detector = detector.meta().id,
            path = ?ctx.path,
            "detector panicked; its findings for this file are dropped"
        );
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detectors::{DetectorMeta, Hit};
    use crate::finding::Severity;

    static PANICKY_META: DetectorMeta = DetectorMeta {
        id: "python/panicky@v1.0",
        name: "Panics",
        language: Language::Python,
        severity: Severity::High,
        cwes: &[],
        category: Category::Security,
        express: true,
        docs: "",
    };
    static CALLS_META: DetectorMeta = DetectorMeta {
        id: "python/every-call@v1.0",
        name: "Every call",
        language: Language::Python,
        severity: Severity::Low,
        cwes: &[],
        category: Category::Security,
        express: true,
        docs: "",
    };

    struct Panicky;
    impl Detector for Panicky {
        fn meta(&self) -> &'static DetectorMeta {
            &PANICKY_META
        }
        fn check(&self, _: &Context<'_>) -> Vec<Hit> {
            panic!("detector bug")
        }
        fn message(&self, _: &Context<'_>, _: &Hit) -> String {
            String::new()
        }
    }

    /// Flags every `call` node, from the syntax tree alone.
    struct EveryCall;
    impl Detector for EveryCall {
        fn meta(&self) -> &'static DetectorMeta {
            &CALLS_META
        }
        fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
            let mut hits = Vec::new();
            syntax::walk(ctx.tree, |node, _| {
                if node.kind() == "call" {
                    hits.push(Hit::new(node.byte_range(), "call"));
                }
                true
            });
            hits
        }
        fn message(&self, _: &Context<'_>, _: &Hit) -> String {
            "a call".into()
        }
    }

    fn source(text: &str) -> Source<'_> {
        Source {
            text,
            language: Language::Python,
            path: None,
            tree: None,
        }
    }

    #[test]
    fn a_panicking_detector_is_isolated() {
        let out = scan_with(
            &[&Panicky, &EveryCall],
            source("f()\n"),
            &ScanSettings::default(),
        );
        assert_eq!(out.failed_detectors, vec!["python/panicky@v1.0"]);
        assert_eq!(out.findings.len(), 1);
    }

    #[test]
    fn syntax_errors_do_not_hide_findings() {
        let out = scan_with(
            &[&EveryCall],
            source("x = = 1\nf()\n"),
            &ScanSettings::default(),
        );
        assert!(!out.syntax_errors.is_empty());
        assert!(!out.findings.is_empty());
    }

    #[test]
    fn suppression_and_min_severity_filter() {
        let settings = ScanSettings::default();
        let out = scan_with(
            &[&EveryCall],
            source("f()  # codeward: ignore[every-call]\ng()\n"),
            &settings,
        );
        assert_eq!(out.findings.len(), 1);
        let high_only = ScanSettings {
            min_severity: Severity::High,
            ..ScanSettings::default()
        };
        assert!(scan_with(&[&EveryCall], source("g()\n"), &high_only)
            .findings
            .is_empty());
    }

    #[test]
    fn a_spent_time_budget_stops_with_a_notice() {
        let budget = Budget {
            started: Instant::now() - Duration::from_millis(50),
            limit: Some(Duration::from_millis(1)),
        };
        let mut output = ScanOutput::default();
        assert!(budget.exceeded(&mut output, "analysis"));
        assert!(output.notices[0].message.contains("timeBudgetMs"));
        let unlimited = Budget::start(0);
        assert!(!unlimited.exceeded(&mut output, "analysis"));
        assert_eq!(output.notices.len(), 1);
    }

    #[test]
    fn express_limit_gives_a_notice() {
        let big = "x = 1\n".repeat(40_000);
        let out = scan_with(&[&EveryCall], source(&big), &ScanSettings::default());
        assert_eq!(out.notices.len(), 1);
        // No time budget: a slow (debug, loaded) machine must not add a budget notice.
        let standard = ScanSettings {
            scan_type: ScanType::Standard,
            time_budget_ms: 0,
            ..ScanSettings::default()
        };
        assert!(scan_with(&[&EveryCall], source(&big), &standard)
            .notices
            .is_empty());
    }
}
