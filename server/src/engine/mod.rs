//! The scan pipeline shared by the LSP server and the CLI: parse (if needed), analyse once, run the
//! selected detectors (each isolated with `catch_unwind`), drop suppressed and filtered findings.

use std::collections::HashMap;
use std::ops::Range;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;
use std::time::{Duration, Instant};

use tree_sitter::{Node, Tree};

mod incremental;

pub use incremental::ScanCache;

use crate::analysis::{self, AnalysisCache, Facts};
use crate::config::{AnalysisType, ScanSettings, ScanType};
use crate::detectors::{self, Context, Detector, Hit, Scope};
use crate::finding::{Category, Finding};
use crate::lang::{parse_str, syntax, Language, TreeIndex};
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
    scan_inner(detectors, source, settings, None, &mut None)
}

/// Like [`scan`], also handing back the line index of `source`'s text when the scan built one
/// (a report reuses it instead of indexing the text again).
pub fn scan_with_lines(
    source: Source<'_>,
    settings: &ScanSettings,
) -> (ScanOutput, Option<LineIndex>) {
    let mut lines = None;
    let output = scan_inner(detectors::registry(), source, settings, None, &mut lines);
    (output, lines)
}

/// Like [`scan`] for a new version of a document scanned before: the analysis reuses and
/// updates `cache` (see [`AnalysisCache`]), and the detectors of [`Scope::Definition`] check
/// only the top-level statements the edit can have changed (see [`ScanCache`]). The output is
/// the same as [`scan`]'s.
pub fn scan_incremental(
    source: Source<'_>,
    settings: &ScanSettings,
    cache: &mut ScanCache,
) -> ScanOutput {
    scan_inner(
        detectors::registry(),
        source,
        settings,
        Some(cache),
        &mut None,
    )
}

/// [`scan_incremental`] with the given detectors (tests use this to inject misbehaving ones).
pub fn scan_incremental_with(
    detectors: &[&dyn Detector],
    source: Source<'_>,
    settings: &ScanSettings,
    cache: &mut ScanCache,
) -> ScanOutput {
    scan_inner(detectors, source, settings, Some(cache), &mut None)
}

/// The scan; `lines_out` receives the line index of the text when the scan gets to build one.
fn scan_inner(
    detectors: &[&dyn Detector],
    source: Source<'_>,
    settings: &ScanSettings,
    mut cache: Option<&mut ScanCache>,
    lines_out: &mut Option<LineIndex>,
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
    // A one-shot scan walks the tree once for the analysis and the detectors (see
    // `analysis::index_for`); an incremental one reuses earlier work instead.
    let index = match (&cache, tree) {
        (None, Some(tree)) => analysis::index_for(source.language, tree),
        _ => None,
    };
    // An incremental scan lists the root's children once, for the analysis, the plan and each
    // context: in a file of thousands of statements a listing costs more than analysing the
    // edited function.
    let top_level = match (&cache, tree) {
        (Some(_), Some(tree)) => Some(syntax::children(tree.root_node())),
        _ => None,
    };
    let facts = match tree {
        Some(tree) => {
            output.syntax_errors = match &top_level {
                Some(top_level) => syntax::syntax_errors_among(tree, top_level),
                None => syntax::syntax_errors(tree),
            };
            analyze_guarded(
                source,
                tree,
                cache
                    .as_deref_mut()
                    .map(|c| &mut c.analysis)
                    .zip(top_level.as_deref()),
                index.as_ref(),
            )
        }
        None => Facts::default(),
    };
    if budget.exceeded(&mut output, "analysis") {
        if let Some(cache) = cache {
            cache.analysis.keep_facts(facts);
            incremental::forget(cache);
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

    let (lines, mut indexed_text) = match cache.as_deref_mut().and_then(|c| c.lines.take()) {
        Some((text, lines)) => (lines.reindexed(&text, source.text), text),
        None => (LineIndex::new(source.text), String::new()),
    };
    let mut ctx = Context::new(source.text, ctx_tree, source.language, source.path, &facts)
        .with_lines(&lines);
    if let Some(index) = index {
        ctx = ctx.with_index(index);
    }
    if let Some(top_level) = &top_level {
        ctx = ctx.with_top_level(top_level);
    }
    let suppressions = Suppressions::collect(
        source.text,
        tree,
        source.language,
        settings.honor_foreign_suppressions,
        &lines,
    );
    let selected: Vec<&dyn Detector> = detectors
        .iter()
        .copied()
        .filter(|d| selected(*d, source.language, settings))
        .collect();
    // With a cache and a grammar, detectors of definition scope check only what the edit can
    // have changed.
    let (by_definition, whole_file): (Vec<&dyn Detector>, Vec<&dyn Detector>) =
        match (cache.is_some(), tree) {
            (true, Some(_)) => selected
                .iter()
                .partition(|d| d.scope() == Scope::Definition),
            _ => (Vec::new(), selected.clone()),
        };
    let mut raw = Vec::new();
    let mut completed = true;
    if let (Some(cache), Some(_), false) = (cache.as_deref_mut(), tree, by_definition.is_empty()) {
        completed = run_by_definition(
            &by_definition,
            source,
            &facts,
            &ctx,
            cache,
            &budget,
            &mut output,
            &mut raw,
        );
    }
    if completed {
        for detector in whole_file {
            if budget.exceeded(&mut output, detector.meta().id) {
                break;
            }
            match run_detector(detector, &ctx) {
                Ok(findings) => raw.extend(findings),
                Err(()) => output.failed_detectors.push(detector.meta().id),
            }
        }
    }
    output.findings.extend(raw.into_iter().filter(|f| {
        f.severity >= settings.min_severity
            && !suppressions.is_suppressed(lines.line_of(f.range.start), f.rule.id)
    }));
    if let Some(cache) = cache.as_deref_mut() {
        cache.analysis.keep_facts(facts);
    }
    output.findings.sort_by(|a, b| {
        (a.range.start, a.rule.id, a.range.end, &a.message).cmp(&(
            b.range.start,
            b.rule.id,
            b.range.end,
            &b.message,
        ))
    });
    match cache {
        Some(cache) => {
            // In the previous text's buffer: no allocation per keystroke.
            indexed_text.clear();
            indexed_text.push_str(source.text);
            cache.lines = Some((indexed_text, lines));
        }
        None => *lines_out = Some(lines),
    }
    output
}

/// Runs the detectors of definition scope on what the edit can have changed (see
/// [`incremental`]), adding their findings to `raw`. Returns false when the time budget ran out.
#[allow(clippy::too_many_arguments)]
fn run_by_definition(
    detectors: &[&dyn Detector],
    source: Source<'_>,
    facts: &Facts,
    whole: &Context<'_>,
    cache: &mut ScanCache,
    budget: &Budget,
    output: &mut ScanOutput,
    raw: &mut Vec<Finding>,
) -> bool {
    // A detector whose file key cannot be computed fails here and is left out.
    let mut keyed: Vec<(&dyn Detector, u64)> = Vec::with_capacity(detectors.len());
    for &detector in detectors {
        match catch_unwind(AssertUnwindSafe(|| detector.file_key(whole))) {
            Ok(key) => keyed.push((detector, key)),
            Err(_) => {
                panicked(detector, whole);
                output.failed_detectors.push(detector.meta().id);
            }
        }
    }
    let detectors: Vec<&dyn Detector> = keyed.iter().map(|(d, _)| *d).collect();
    let detectors = detectors.as_slice();
    let carrying: Vec<&'static str> = detectors
        .iter()
        .filter(|d| d.finish_scope() == Scope::Definition)
        .map(|d| d.meta().id)
        .collect();
    let scanned = incremental::Scanned {
        top_level: whole.top_level_statements(),
        source: source.text,
        language: source.language,
        path: source.path,
        facts,
        lines: whole.line_of(source.text.len()),
    };
    let mut plan = incremental::plan(cache, &scanned, &keyed, |id| carrying.contains(&id));
    let check_facts = incremental::facts_within(facts, &plan.roots);
    let checked = whole.part(&check_facts, plan.roots.clone());
    let mut found: Vec<(&'static str, Hit)> = Vec::new();
    let mut whole_file_runs: Vec<&'static str> = Vec::new();
    let mut valid = true;
    let mut completed = true;
    for &detector in detectors {
        let id = detector.meta().id;
        if budget.exceeded(output, id) {
            completed = false;
            break;
        }
        match check_guarded(detector, &checked) {
            Ok(hits) if hits.iter().all(|h| plan.root_of(h.range.start).is_some()) => {
                found.extend(hits.into_iter().map(|hit| (id, hit)));
            }
            Ok(_) => {
                // It found something outside what it was shown, so it depends on more than its
                // definition: trust only a whole-file run.
                tracing::warn!(
                    detector = id,
                    "a detector of definition scope reported outside the checked statements; \
                     it ran on the whole file"
                );
                valid = false;
                whole_file_runs.push(id);
                match run_detector(detector, whole) {
                    Ok(findings) => raw.extend(findings),
                    Err(()) => output.failed_detectors.push(id),
                }
            }
            Err(()) => {
                valid = false;
                output.failed_detectors.push(id);
            }
        }
    }
    // The findings of the hits found, and of the reused hits whose findings cannot be carried
    // from the last scan (messages name lines, which move), are made from the whole file's
    // facts, as a full scan has them; only the node index is limited.
    let mut by_detector: HashMap<&'static str, Vec<(Hit, incremental::Target)>> = HashMap::new();
    for (id, hit, target) in plan.hits_to_finish(found) {
        if !whole_file_runs.contains(&id) {
            by_detector.entry(id).or_default().push((hit, target));
        }
    }
    let finishing = whole.part(facts, plan.finishing_roots());
    for &detector in detectors {
        let id = detector.meta().id;
        let Some(hits) = by_detector.remove(id) else {
            continue;
        };
        let (hits, targets): (Vec<Hit>, Vec<incremental::Target>) = hits.into_iter().unzip();
        let kept = carrying.contains(&id).then(|| hits.clone());
        match finish_guarded(detector, &finishing, hits) {
            Ok(findings) => {
                if let Some(kept) = kept {
                    for ((finding, target), hit) in findings.iter().zip(&targets).zip(&kept) {
                        if let Some(target) = target {
                            plan.keep_finding(*target, hit, finding);
                        }
                    }
                }
                raw.extend(findings);
            }
            Err(()) => {
                valid = false;
                output.failed_detectors.push(id);
            }
        }
    }
    raw.extend(
        plan.take_carried()
            .into_iter()
            .filter(|f| !whole_file_runs.contains(&f.rule.id)),
    );
    incremental::remember(cache, plan, valid && completed);
    completed
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
/// still run. `incremental`: the cache to reuse and the root's children.
fn analyze_guarded<'t>(
    source: Source<'_>,
    tree: &'t Tree,
    incremental: Option<(&mut AnalysisCache, &[Node<'t>])>,
    index: Option<&TreeIndex<'t>>,
) -> Facts {
    let mut fallback = AnalysisCache::default();
    let (cache, top_level) = match incremental {
        Some((cache, top_level)) => (cache, Some(top_level)),
        None => (&mut fallback, None),
    };
    catch_unwind(AssertUnwindSafe(|| match (top_level, index) {
        (Some(top_level), _) => {
            analysis::analyze_incremental(source.language, source.text, tree, top_level, cache)
        }
        (None, Some(index)) => analysis::analyze_indexed(source.language, source.text, tree, index),
        (None, None) => analysis::analyze(source.language, source.text, tree),
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
    let hits = check_guarded(detector, ctx)?;
    finish_guarded(detector, ctx, hits)
}

/// A detector's hits; a panic is logged and is an error.
fn check_guarded(detector: &dyn Detector, ctx: &Context<'_>) -> Result<Vec<Hit>, ()> {
    catch_unwind(AssertUnwindSafe(|| detector.check(ctx))).map_err(|_| panicked(detector, ctx))
}

/// The findings of a detector's hits: severity, message and fixes of each; a panic is logged
/// and is an error.
fn finish_guarded(
    detector: &dyn Detector,
    ctx: &Context<'_>,
    hits: Vec<Hit>,
) -> Result<Vec<Finding>, ()> {
    catch_unwind(AssertUnwindSafe(|| {
        let meta = detector.meta();
        hits.into_iter()
            .map(|hit| Finding {
                rule: meta,
                severity: detector.severity(ctx, &hit),
                message: detector.message(ctx, &hit),
                fixes: detector.fix(ctx, &hit),
                range: hit.range,
            })
            .collect()
    }))
    .map_err(|_| panicked(detector, ctx))
}

fn panicked(detector: &dyn Detector, ctx: &Context<'_>) {
    tracing::error!(
        detector = detector.meta().id,
        path = ?ctx.path,
        "detector panicked; its findings for this file are dropped"
    );
}

/// A Python source with neither path nor tree, for the engine's tests.
#[cfg(test)]
pub(crate) fn python_source(text: &str) -> Source<'_> {
    Source {
        text,
        language: Language::Python,
        path: None,
        tree: None,
    }
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

    /// Flags every `call` node it is shown, with the line in the message.
    struct EveryCallShown;
    impl Detector for EveryCallShown {
        fn meta(&self) -> &'static DetectorMeta {
            &CALLS_META
        }
        fn scope(&self) -> Scope {
            Scope::Definition
        }
        fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
            ctx.nodes_of_kind("call")
                .iter()
                .map(|node| Hit::new(node.byte_range(), "call"))
                .collect()
        }
        fn message(&self, ctx: &Context<'_>, hit: &Hit) -> String {
            format!("a call on line {}", ctx.line_of(hit.range.start))
        }
    }

    /// [`EveryCall`] claiming definition scope while walking the whole tree: a broken promise
    /// the engine must notice.
    struct EveryCallClaimingDefinitionScope;
    impl Detector for EveryCallClaimingDefinitionScope {
        fn meta(&self) -> &'static DetectorMeta {
            &CALLS_META
        }
        fn scope(&self) -> Scope {
            Scope::Definition
        }
        fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
            EveryCall.check(ctx)
        }
        fn message(&self, ctx: &Context<'_>, hit: &Hit) -> String {
            format!("a call on line {}", ctx.line_of(hit.range.start))
        }
    }

    #[test]
    fn incremental_scans_reuse_unchanged_definitions_and_equal_full_scans() {
        let settings = ScanSettings::default();
        let detectors: [&dyn Detector; 1] = [&EveryCallShown];
        let mut cache = ScanCache::default();
        let texts = [
            "def a():\n    f()\n\ndef b():\n    g()\n",
            "x = 1\n\ndef a():\n    f()\n\ndef b():\n    g()\n",
            "x = 1\n\ndef a():\n    f()\n\ndef b():\n    g()\n    h()\n",
        ];
        let mut reused = Vec::new();
        for text in texts {
            let incremental =
                scan_incremental_with(&detectors, python_source(text), &settings, &mut cache);
            let full = scan_with(&detectors, python_source(text), &settings);
            let messages = |out: &ScanOutput| {
                out.findings
                    .iter()
                    .map(|f| (f.range.clone(), f.message.clone()))
                    .collect::<Vec<_>>()
            };
            assert_eq!(messages(&incremental), messages(&full), "{text:?}");
            reused.push(cache.reused_definitions());
        }
        // Nothing known at first; then both definitions moved (the hits with them, on new
        // lines); then `a` is unchanged and `b` changed.
        assert_eq!(reused, vec![0, 2, 1]);
    }

    #[test]
    fn a_detector_reporting_outside_its_definition_runs_on_the_whole_file() {
        // The detector claims definition scope but flags calls anywhere: once `a` is reused,
        // the partial run shows it only `b`, yet a real full-file walk finds `f()` in `a` too.
        // The engine notices the hit outside what it showed and trusts a whole-file run.
        let settings = ScanSettings::default();
        let detectors: [&dyn Detector; 1] = [&EveryCallClaimingDefinitionScope];
        let mut cache = ScanCache::default();
        let first = "def a():\n    f()\n\ndef b():\n    g()\n";
        let second = "def a():\n    f()\n\ndef b():\n    g()\n    h()\n";
        scan_incremental_with(&detectors, python_source(first), &settings, &mut cache);
        let incremental =
            scan_incremental_with(&detectors, python_source(second), &settings, &mut cache);
        let full = scan_with(&detectors, python_source(second), &settings);
        assert_eq!(incremental.findings.len(), 3);
        assert_eq!(incremental.findings.len(), full.findings.len());
        // Nothing is trusted from that scan.
        assert_eq!(cache.reused_definitions(), 1);
        scan_incremental_with(&detectors, python_source(second), &settings, &mut cache);
        assert_eq!(cache.reused_definitions(), 0);
    }

    #[test]
    fn a_panicking_detector_is_isolated() {
        let out = scan_with(
            &[&Panicky, &EveryCall],
            python_source("f()\n"),
            &ScanSettings::default(),
        );
        assert_eq!(out.failed_detectors, vec!["python/panicky@v1.0"]);
        assert_eq!(out.findings.len(), 1);
    }

    #[test]
    fn syntax_errors_do_not_hide_findings() {
        let out = scan_with(
            &[&EveryCall],
            python_source("x = = 1\nf()\n"),
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
            python_source("f()  # codeward: ignore[every-call]\ng()\n"),
            &settings,
        );
        assert_eq!(out.findings.len(), 1);
        let high_only = ScanSettings {
            min_severity: Severity::High,
            ..ScanSettings::default()
        };
        assert!(scan_with(&[&EveryCall], python_source("g()\n"), &high_only)
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
        let out = scan_with(&[&EveryCall], python_source(&big), &ScanSettings::default());
        assert_eq!(out.notices.len(), 1);
        // No time budget: a slow (debug, loaded) machine must not add a budget notice.
        let standard = ScanSettings {
            scan_type: ScanType::Standard,
            time_budget_ms: 0,
            ..ScanSettings::default()
        };
        assert!(scan_with(&[&EveryCall], python_source(&big), &standard)
            .notices
            .is_empty());
    }
}
