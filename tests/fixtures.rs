//! The fixture harness: every detector has `tests/fixtures/<language>/<slug>.<ext>` annotated inline
//! with `expect: <rule-id>` (must be flagged), `ok: <rule-id>` (must not be), `todo-expect:` /
//! `todo-ok:` (known misses and false positives, asserted as they are today so fixing one shows up).
//! An annotation at the end of a code line applies to that line; alone on its line, to the next
//! line that is not an annotation. Fixes are applied and compared with `<slug>.fixed.<ext>`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use codeward::config::{AnalysisType, ScanSettings, ScanType};
use codeward::detectors::{registry, Detector, DOC_SECTIONS};
use codeward::engine::{scan_with, Source};
use codeward::finding::{apply_edits, Finding};
use codeward::lang::{parse_str, syntax, Language};
use codeward::text::LineIndex;

const MARKERS: [&str; 4] = ["todo-expect:", "todo-ok:", "expect:", "ok:"];

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures")
}

fn extension(language: Language) -> &'static str {
    match language {
        Language::Python => "py",
        Language::Java => "java",
        Language::JavaScript => "js",
        Language::TypeScript => "ts",
        Language::Tsx => "tsx",
        Language::Text => "txt",
    }
}

fn fixture_path(detector: &dyn Detector, fixed: bool) -> PathBuf {
    let meta = detector.meta();
    let ext = extension(meta.language);
    let name = if fixed {
        format!("{}.fixed.{ext}", meta.slug())
    } else {
        format!("{}.{ext}", meta.slug())
    };
    fixtures_dir()
        .join(fixture_folder(meta.language))
        .join(name)
}

/// `tests/fixtures/<folder>`: the language's name, or `secrets` for the text detectors.
fn fixture_folder(language: Language) -> &'static str {
    match language {
        Language::Text => "secrets",
        other => other.name(),
    }
}

fn everything() -> ScanSettings {
    ScanSettings {
        analysis_type: AnalysisType::All,
        scan_type: ScanType::Standard,
        ..ScanSettings::default()
    }
}

/// Expected (line, marker) pairs for `rule_id`, one-based lines.
#[derive(Default, Debug)]
struct Expectations {
    expect: BTreeSet<usize>,
    ok: BTreeSet<usize>,
    todo_expect: BTreeSet<usize>,
    todo_ok: BTreeSet<usize>,
}

fn parse_annotations(source: &str, language: Language, rule_id: &str) -> Expectations {
    let comment = language.line_comment();
    let lines: Vec<&str> = source.lines().collect();
    let mut out = Expectations::default();
    let mut pending: Vec<&str> = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let mut annotations = Vec::new();
        let mut code_part = *line;
        if let Some(at) = line.rfind(comment) {
            let comment_text = line[at + comment.len()..].trim();
            for marker in MARKERS {
                if let Some(rest) = comment_text.strip_prefix(marker) {
                    let ids = rest.split_whitespace().next().unwrap_or("");
                    for id in ids.split(',') {
                        if id == rule_id {
                            annotations.push(marker);
                        }
                    }
                    code_part = &line[..at];
                    break;
                }
            }
        }
        let is_annotation_only = code_part.trim().is_empty() && code_part.len() != line.len();
        if is_annotation_only {
            pending.extend(annotations);
            continue;
        }
        let line_no = i + 1;
        for marker in pending.drain(..).chain(annotations) {
            let set = match marker {
                "expect:" => &mut out.expect,
                "ok:" => &mut out.ok,
                "todo-expect:" => &mut out.todo_expect,
                _ => &mut out.todo_ok,
            };
            set.insert(line_no);
        }
    }
    out
}

fn flagged_lines(findings: &[Finding], source: &str, rule_id: &str) -> BTreeSet<usize> {
    let index = LineIndex::new(source);
    findings
        .iter()
        .filter(|f| f.rule.id == rule_id)
        .map(|f| index.line_of(f.range.start) + 1)
        .collect()
}

fn scan_alone(detector: &'static dyn Detector, source: &str) -> Vec<Finding> {
    scan_alone_as(detector, source, detector.meta().language)
}

fn scan_alone_as(
    detector: &'static dyn Detector,
    source: &str,
    language: Language,
) -> Vec<Finding> {
    scan_with(
        &[detector],
        Source {
            text: source,
            language,
            path: None,
            tree: None,
        },
        &everything(),
    )
    .findings
}

fn check_fixture(detector: &'static dyn Detector) -> Result<(), String> {
    let meta = detector.meta();
    let path = fixture_path(detector, false);
    let source = std::fs::read_to_string(&path)
        .map_err(|e| format!("{}: no fixture at {} ({e})", meta.id, path.display()))?;
    check_source(detector, &path, &source, meta.language, true)
}

/// `tests/fixtures/javascript/<slug>.ts`: an optional TypeScript companion of a JavaScript
/// detector's fixture, for TypeScript-only sources (decorators) and syntax.
fn typescript_companion(detector: &dyn Detector) -> Option<PathBuf> {
    let meta = detector.meta();
    (meta.language == Language::JavaScript)
        .then(|| {
            fixtures_dir()
                .join("javascript")
                .join(format!("{}.ts", meta.slug()))
        })
        .filter(|p| p.exists())
}

fn check_typescript_companion(detector: &'static dyn Detector) -> Result<(), String> {
    let Some(path) = typescript_companion(detector) else {
        return Ok(());
    };
    let source = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    check_source(detector, &path, &source, Language::TypeScript, false)
}

/// Compares the findings of `detector` on `source` (scanned as `language`) with its annotations;
/// `complete` fixtures need at least 3 `expect:` and 3 `ok:` cases.
fn check_source(
    detector: &'static dyn Detector,
    path: &Path,
    source: &str,
    language: Language,
    complete: bool,
) -> Result<(), String> {
    let meta = detector.meta();
    let expected = parse_annotations(source, language, meta.id);
    let mut problems = Vec::new();
    if expected.expect.is_empty() && expected.ok.is_empty() {
        problems.push("has no `expect:` or `ok:` case".to_string());
    }
    if complete && (expected.expect.len() < 3 || expected.ok.len() < 3) {
        problems.push(format!(
            "needs at least 3 `expect:` and 3 `ok:` cases, has {} and {}",
            expected.expect.len(),
            expected.ok.len()
        ));
    }
    let alone = flagged_lines(&scan_alone_as(detector, source, language), source, meta.id);
    let together = flagged_lines(
        &scan_with(
            registry(),
            Source {
                text: source,
                language,
                path: None,
                tree: None,
            },
            &everything(),
        )
        .findings,
        source,
        meta.id,
    );
    if alone != together {
        problems.push(format!(
            "findings differ alone {alone:?} and with all detectors {together:?}"
        ));
    }
    let missed: Vec<_> = expected.expect.difference(&alone).collect();
    let unexpected: Vec<_> = alone
        .iter()
        .filter(|l| !expected.expect.contains(l) && !expected.todo_ok.contains(l))
        .collect();
    if !missed.is_empty() {
        problems.push(format!("missed `expect:` lines {missed:?}"));
    }
    if !unexpected.is_empty() {
        problems.push(format!("unexpected findings on lines {unexpected:?}"));
    }
    let now_found: Vec<_> = expected.todo_expect.intersection(&alone).collect();
    if !now_found.is_empty() {
        problems.push(format!(
            "`todo-expect:` lines {now_found:?} are now flagged: make them `expect:`"
        ));
    }
    let now_clean: Vec<_> = expected.todo_ok.difference(&alone).collect();
    if !now_clean.is_empty() {
        problems.push(format!(
            "`todo-ok:` lines {now_clean:?} are no longer flagged: make them `ok:`"
        ));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{} ({}):\n    {}",
            meta.id,
            path.display(),
            problems.join("\n    ")
        ))
    }
}

/// Applies the first fix of every finding (skipping ones that overlap an earlier fix), rescanning
/// until nothing changes.
fn fix_until_stable(detector: &'static dyn Detector, source: &str) -> Result<String, String> {
    let mut text = source.to_string();
    for _ in 0..10 {
        let findings = scan_alone(detector, &text);
        let mut edits = Vec::new();
        let mut last_end = 0;
        for fix in findings.iter().filter_map(|f| f.fixes.first()) {
            let (Some(first), Some(last)) = (fix.edits.first(), fix.edits.last()) else {
                continue;
            };
            if first.range.start < last_end {
                continue;
            }
            last_end = last.range.end;
            edits.extend(fix.edits.iter().cloned());
        }
        if edits.is_empty() {
            return Ok(text);
        }
        text = apply_edits(&text, &edits).ok_or("fix edits overlap or are out of range")?;
    }
    Err("fixes did not converge in 10 rounds".into())
}

fn check_fixes(detector: &'static dyn Detector) -> Result<(), String> {
    let meta = detector.meta();
    let fixed_path = fixture_path(detector, true);
    let Ok(expected) = std::fs::read_to_string(&fixed_path) else {
        return Ok(());
    };
    let source =
        std::fs::read_to_string(fixture_path(detector, false)).map_err(|e| e.to_string())?;
    let fixed = fix_until_stable(detector, &source).map_err(|e| format!("{}: {e}", meta.id))?;
    if fixed != expected {
        return Err(format!(
            "{}: fixed output differs from {}\n--- got ---\n{fixed}",
            meta.id,
            fixed_path.display()
        ));
    }
    let before = count_errors(meta.language, &source);
    let after = count_errors(meta.language, &fixed);
    if after > before {
        return Err(format!("{}: fixes introduced syntax errors", meta.id));
    }
    Ok(())
}

fn count_errors(language: Language, source: &str) -> usize {
    parse_str(language, source).map_or(0, |t| syntax::syntax_errors(&t).len())
}

#[test]
fn every_detector_matches_its_fixture() {
    let failures: Vec<String> = registry()
        .iter()
        .filter_map(|d| check_fixture(*d).err())
        .collect();
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn typescript_companions_match() {
    let failures: Vec<String> = registry()
        .iter()
        .filter_map(|d| check_typescript_companion(*d).err())
        .collect();
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn fixes_produce_the_fixed_fixtures() {
    let failures: Vec<String> = registry()
        .iter()
        .filter_map(|d| check_fixes(*d).err())
        .collect();
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn catalogue_metadata_is_complete() {
    let mut problems = Vec::new();
    let mut seen = BTreeSet::new();
    for detector in registry() {
        let meta = detector.meta();
        if !seen.insert(meta.id) {
            problems.push(format!("{}: registered twice", meta.id));
        }
        if !valid_id(meta.id) {
            problems.push(format!(
                "{}: id does not match the catalogue's form",
                meta.id
            ));
        }
        if !meta.id.starts_with(&format!("{}/", meta.language.name()))
            && !meta.id.starts_with("secrets/")
        {
            problems.push(format!(
                "{}: id prefix does not match its language",
                meta.id
            ));
        }
        if meta.cwes.is_empty() && meta.category == codeward::finding::Category::Security {
            problems.push(format!("{}: a security detector needs a CWE", meta.id));
        }
        let mut last = 0;
        for section in DOC_SECTIONS {
            match meta.docs.find(section) {
                Some(at) if at >= last => last = at,
                _ => problems.push(format!("{}: docs lack `{section}` (in order)", meta.id)),
            }
        }
        if !fixture_path(*detector, false).exists() {
            problems.push(format!("{}: no fixture", meta.id));
        }
    }
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}

/// `^(python|java|javascript|secrets)/[a-z0-9-]+@v\d+\.\d+$`
fn valid_id(id: &str) -> bool {
    let Some((lang, rest)) = id.split_once('/') else {
        return false;
    };
    let Some((slug, version)) = rest.split_once("@v") else {
        return false;
    };
    let Some((major, minor)) = version.split_once('.') else {
        return false;
    };
    matches!(lang, "python" | "java" | "javascript" | "secrets")
        && !slug.is_empty()
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !major.is_empty()
        && major.bytes().all(|b| b.is_ascii_digit())
        && !minor.is_empty()
        && minor.bytes().all(|b| b.is_ascii_digit())
}

#[test]
fn annotations_parse_both_placements() {
    let source = "a()  # expect: python/x@v1.0\n# ok: python/x@v1.0\nb()\n# todo-expect: python/x@v1.0 reason\nc()\n";
    let e = parse_annotations(source, Language::Python, "python/x@v1.0");
    assert_eq!(e.expect, BTreeSet::from([1]));
    assert_eq!(e.ok, BTreeSet::from([3]));
    assert_eq!(e.todo_expect, BTreeSet::from([5]));
    assert!(valid_id("python/os-command-injection@v1.0"));
    assert!(!valid_id("python/Os@v1"));
}

/// Every (line, rule) pair found in `source` for the rules its annotations name and for every
/// `secrets/` rule, scanned as `language` with every detector; compared with its annotations.
fn check_multi_rule_file(path: &Path, language: Language) -> Result<usize, String> {
    let source = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let findings = scan_with(
        registry(),
        Source {
            text: &source,
            language,
            path: None,
            tree: None,
        },
        &everything(),
    )
    .findings;
    let rules: BTreeSet<&'static str> = registry()
        .iter()
        .map(|d| d.meta().id)
        .filter(|id| id.starts_with("secrets/") || source.contains(id))
        .collect();
    let mut problems = Vec::new();
    let mut expected_count = 0;
    for rule in rules {
        let expected = parse_annotations(&source, language, rule);
        expected_count += expected.expect.len();
        let found = flagged_lines(&findings, &source, rule);
        let missed: Vec<_> = expected.expect.difference(&found).collect();
        let unexpected: Vec<_> = found
            .iter()
            .filter(|l| !expected.expect.contains(l) && !expected.todo_ok.contains(l))
            .collect();
        let now_found: Vec<_> = expected.todo_expect.intersection(&found).collect();
        if !missed.is_empty() {
            problems.push(format!("{rule}: missed `expect:` lines {missed:?}"));
        }
        if !unexpected.is_empty() {
            problems.push(format!(
                "{rule}: unexpected findings on lines {unexpected:?}"
            ));
        }
        if !now_found.is_empty() {
            problems.push(format!(
                "{rule}: `todo-expect:` lines {now_found:?} are now flagged"
            ));
        }
    }
    if problems.is_empty() {
        Ok(expected_count)
    } else {
        Err(format!(
            "{}:\n    {}",
            path.display(),
            problems.join("\n    ")
        ))
    }
}

/// The secrets fixtures beyond one file per detector: secrets in code (scanned as code, so only
/// literals and comments count and the language detectors must not report them again) and the
/// look-alikes that no rule may report.
#[test]
fn secrets_in_code_and_look_alikes() {
    let dir = fixtures_dir().join("secrets");
    let mut failures = Vec::new();
    for (name, language) in [
        ("in-code.py", Language::Python),
        ("in-code.java", Language::Java),
        ("in-code.js", Language::JavaScript),
        ("look-alikes.txt", Language::Text),
    ] {
        if let Err(problem) = check_multi_rule_file(&dir.join(name), language) {
            failures.push(problem);
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

/// At least 40 true secrets of varied kinds and 40 look-alikes that must stay clean.
#[test]
fn secrets_fixtures_are_large_enough() {
    let dir = fixtures_dir().join("secrets");
    let mut expects = 0;
    let mut kinds = BTreeSet::new();
    for entry in std::fs::read_dir(&dir).expect("secrets fixtures") {
        let path = entry.expect("entry").path();
        let text = std::fs::read_to_string(&path).expect("readable fixture");
        for line in text.lines() {
            if let Some(at) = line.find("expect: secrets/") {
                if !line[..at].ends_with("todo-") {
                    expects += 1;
                    kinds.insert(line[at..].split('@').next().unwrap_or("").to_string());
                }
            }
        }
    }
    let look_alikes = std::fs::read_to_string(dir.join("look-alikes.txt"))
        .expect("look-alikes")
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .count();
    assert!(expects >= 40, "{expects} true secrets");
    assert!(kinds.len() >= 15, "{kinds:?}");
    assert!(look_alikes >= 40, "{look_alikes} look-alikes");
}

/// What an incremental scan must reproduce exactly: every finding with its message and fixes.
fn finding_summary(findings: &[Finding]) -> Vec<String> {
    findings.iter().map(Finding::describe).collect()
}

/// Every fixture file (not the `.fixed` ones) with its language.
fn all_fixture_files() -> Vec<(PathBuf, Language)> {
    let mut files = Vec::new();
    for folder in ["python", "java", "javascript", "secrets"] {
        let Ok(entries) = std::fs::read_dir(fixtures_dir().join(folder)) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if name.contains(".fixed.") {
                continue;
            }
            let language = match path.extension().and_then(|e| e.to_str()) {
                Some("py") => Language::Python,
                Some("java") => Language::Java,
                Some("js") => Language::JavaScript,
                Some("ts") => Language::TypeScript,
                Some("tsx") => Language::Tsx,
                _ => Language::Text,
            };
            files.push((path, language));
        }
    }
    files.sort();
    files
}

/// The incremental engine reuses the hits of unchanged top-level definitions: whatever is
/// removed from a file, and put back, it must find exactly what a full scan finds. Removing
/// each top-level statement of every fixture in turn exercises the cache's keys (a definition
/// whose facts depend on the removed statement must be checked again) and its moves (every
/// definition after it shifts).
#[test]
fn incremental_scans_match_full_scans_as_statements_come_and_go() {
    use codeward::engine::{scan, scan_incremental, ScanCache};
    let settings = everything();
    let mut failures = Vec::new();
    let mut compared = 0;
    for (path, language) in all_fixture_files() {
        let Ok(original) = std::fs::read_to_string(&path) else {
            continue;
        };
        let Some(tree) = parse_str(language, &original) else {
            continue;
        };
        let statements: Vec<std::ops::Range<usize>> = {
            let root = tree.root_node();
            let mut cursor = root.walk();
            let ranges = root
                .named_children(&mut cursor)
                .map(|n| n.byte_range())
                .collect();
            ranges
        };
        let mut cache = ScanCache::default();
        let mut versions = vec![(original.clone(), "original".to_string())];
        for (i, range) in statements.iter().enumerate() {
            let mut without = original.clone();
            without.replace_range(range.clone(), "");
            versions.push((without, format!("statement {i} removed")));
            versions.push((original.clone(), format!("statement {i} back")));
        }
        for (text, label) in versions {
            let source = Source {
                text: &text,
                language,
                path: None,
                tree: None,
            };
            let incremental = scan_incremental(source, &settings, &mut cache);
            let full = scan(source, &settings);
            compared += 1;
            if finding_summary(&incremental.findings) != finding_summary(&full.findings) {
                failures.push(format!(
                    "{} ({label}):\n  incremental {:#?}\n  full {:#?}",
                    path.display(),
                    finding_summary(&incremental.findings),
                    finding_summary(&full.findings)
                ));
            }
        }
    }
    assert!(compared > 1000, "only {compared} scans compared");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
