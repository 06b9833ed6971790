//! Developer probe for edit latency, finer-grained than `benches/edit_latency.rs`:
//! `timing FILE ROUNDS [analysis|engine|full|document|walk|detectors [FILTER]]` on a Python file prints
//! medians of an incremental analysis, an incremental scan, a full analysis, an edit + reparse +
//! snapshot, a tree walk, or each detector. `EDIT_AT` (byte offset) / `EDIT_LINE` choose where the
//! keystroke goes and `EDIT_TEXT` what it types (`EDIT_AT2`: a second place, alternating with
//! the first); `SHOW_REUSE=1` prints what the caches reused;
//! under callgrind, `--toggle-collect=timing::steady_scan` counts the engine's rounds after two warm-up ones. Run with `cargo run --release
//! --example timing -- /tmp/gen10000.py 31`, the file made by `scripts/bench_lsp.py`'s generator:
//! `python3 -c 'import sys; sys.path.insert(0, "scripts"); import bench_lsp;
//! open("/tmp/gen10000.py", "w").write(bench_lsp.generate(10000))'`.
use codeward::{
    analysis,
    config::{ExpressLimits, ScanSettings},
    engine,
    lang::{self, Language},
};
use std::time::Instant;
fn main() {
    let p = std::env::args().nth(1).expect("file");
    let rounds: usize = std::env::args()
        .nth(2)
        .and_then(|s| s.parse().ok())
        .unwrap_or(10);
    let src = std::fs::read_to_string(&p).expect("readable");
    if std::env::args().nth(3).as_deref() == Some("toplevel") {
        let tree = lang::parse_str(Language::Python, &src).expect("parses");
        for _ in 0..rounds {
            let t = Instant::now();
            let a = lang::syntax::children(tree.root_node()).len();
            let fast = t.elapsed().as_secs_f64() * 1e3;
            let t = Instant::now();
            let root = tree.root_node();
            let mut cursor = root.walk();
            let b = root.children(&mut cursor).count();
            let slow = t.elapsed().as_secs_f64() * 1e3;
            println!("{a} {b}: walk {fast:.3} ms, cursor {slow:.3} ms");
        }
        return;
    }
    if std::env::args().nth(3).as_deref() == Some("walk") {
        let tree = lang::parse_str(Language::Python, &src).expect("parses");
        for _ in 0..rounds {
            let t = Instant::now();
            let mut n = 0usize;
            lang::syntax::walk(&tree, |_, _| {
                n += 1;
                true
            });
            let walk = t.elapsed().as_secs_f64() * 1e3;
            let t = Instant::now();
            let mut count = 0usize;
            let mut cursor = tree.root_node().walk();
            'outer: loop {
                count += 1;
                if cursor.goto_first_child() {
                    continue;
                }
                while !cursor.goto_next_sibling() {
                    if !cursor.goto_parent() {
                        break 'outer;
                    }
                }
            }
            let raw = t.elapsed().as_secs_f64() * 1e3;
            println!("{n} nodes: syntax::walk {walk:.2} ms, raw cursor {raw:.2} ms ({count})");
        }
        return;
    }
    if std::env::args().nth(3).as_deref() == Some("document") {
        use codeward::text::{Document, Position, PositionEncoding, TextChange};
        let line: u32 = std::env::var("EDIT_LINE")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(503);
        let mut doc = Document::new(Language::Python, &src, 1);
        let mut times = vec![];
        for version in 2..(2 + rounds as i32) {
            let change = if version % 2 == 0 {
                TextChange {
                    range: Some((Position::new(line, 4), Position::new(line, 4))),
                    text: "x".into(),
                }
            } else {
                TextChange {
                    range: Some((Position::new(line, 4), Position::new(line, 5))),
                    text: String::new(),
                }
            };
            let t = Instant::now();
            doc.apply_changes(&[change], PositionEncoding::Utf16, version)
                .expect("applies");
            let snapshot = doc.snapshot();
            let text = snapshot.rope.to_string();
            std::hint::black_box(text.len());
            times.push(t.elapsed().as_secs_f64() * 1e3);
        }
        times.sort_by(|a, b| a.total_cmp(b));
        println!(
            "apply+reparse+snapshot: median {:.2} ms",
            times[times.len() / 2]
        );
        // The same keystroke on a bare tree-sitter tree, for comparison.
        let offset: usize = src
            .split_inclusive('\n')
            .take(line as usize)
            .map(str::len)
            .sum::<usize>()
            + 4;
        let mut edited = src.clone();
        edited.insert(offset, 'x');
        let base = lang::parse_str(Language::Python, &src).expect("parses");
        let mut parser = tree_sitter::Parser::new();
        parser
            .set_language(&tree_sitter_python::LANGUAGE.into())
            .expect("grammar");
        let mut raw = vec![];
        for _ in 0..rounds {
            let mut tree = base.clone();
            let at = tree_sitter::Point::new(line as usize, 4);
            tree.edit(&tree_sitter::InputEdit {
                start_byte: offset,
                old_end_byte: offset,
                new_end_byte: offset + 1,
                start_position: at,
                old_end_position: at,
                new_end_position: tree_sitter::Point::new(line as usize, 5),
            });
            let t = Instant::now();
            let reparsed = parser.parse(&edited, Some(&tree));
            std::hint::black_box(reparsed.is_some());
            raw.push(t.elapsed().as_secs_f64() * 1e3);
        }
        raw.sort_by(|a, b| a.total_cmp(b));
        println!(
            "bare tree-sitter reparse: median {:.2} ms",
            raw[raw.len() / 2]
        );
        return;
    }
    if std::env::args().nth(3).as_deref() == Some("full") {
        let tree = lang::parse_str(Language::Python, &src).expect("parses");
        let mut times = vec![];
        for _ in 0..rounds {
            let t = Instant::now();
            let facts = analysis::analyze(Language::Python, &src, &tree);
            std::hint::black_box(facts.calls.len());
            times.push(t.elapsed().as_secs_f64() * 1e3);
        }
        times.sort_by(|a, b| a.total_cmp(b));
        println!("full analysis: median {:.1} ms", times[times.len() / 2]);
        return;
    }
    if std::env::args().nth(3).as_deref() == Some("detectors") {
        per_detector(&src, rounds);
        return;
    }
    let line_start = src.len() / 2;
    let at = match std::env::var("EDIT_AT").ok().and_then(|v| v.parse().ok()) {
        Some(at) => at,
        None => line_start + src[line_start..].find("\n    ").unwrap_or(0) + 5,
    };
    // `EDIT_TEXT` (default `x`) is what the keystroke types, e.g. a newline.
    let typed = std::env::var("EDIT_TEXT").unwrap_or_else(|_| "x".to_string());
    let mut edited = src.clone();
    edited.insert_str(at, &typed);
    let t0 = lang::parse_str(Language::Python, &src).expect("parses");
    let t1 = lang::parse_str(Language::Python, &edited).expect("parses");
    // `EDIT_AT2`: a second place, in another function; the rounds then go edit, undo, edit at
    // the second place, undo, so every other keystroke switches functions.
    let second = std::env::var("EDIT_AT2")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
        .map(|at2| {
            let mut edited = src.clone();
            edited.insert_str(at2, &typed);
            let tree = lang::parse_str(Language::Python, &edited).expect("parses");
            (edited, tree)
        });
    // No time budget: under valgrind it would fire and make the next round a full scan.
    let settings = ScanSettings {
        express_limits: ExpressLimits {
            python: 1 << 30,
            ..Default::default()
        },
        time_budget_ms: 0,
        ..Default::default()
    };
    let only = std::env::args().nth(3);
    for mode in ["analysis", "engine"] {
        if only.as_deref().is_some_and(|o| o != mode) {
            continue;
        }
        let mut cache = engine::ScanCache::default();
        let f = analysis::analyze_incremental(
            Language::Python,
            &src,
            &t0,
            &lang::syntax::children(t0.root_node()),
            &mut cache.analysis,
        );
        cache.analysis.keep_facts(f);
        let mut times = vec![];
        for round in 0..rounds {
            let (text, tree) = match (round % 4, &second) {
                (2, Some((edited, tree))) => (edited, tree),
                (0 | 2, _) => (&edited, &t1),
                _ => (&src, &t0),
            };
            let t = Instant::now();
            if mode == "analysis" {
                let f = analysis::analyze_incremental(
                    Language::Python,
                    text,
                    tree,
                    &lang::syntax::children(tree.root_node()),
                    &mut cache.analysis,
                );
                cache.analysis.keep_facts(f);
            } else {
                let source = engine::Source {
                    text,
                    language: Language::Python,
                    path: None,
                    tree: Some(tree),
                };
                // As in the language server, what the analysis drops is freed after the scan
                // (outside `steady_scan`, so callgrind's toggle leaves it out).
                let collecting = analysis::garbage::Collecting::start();
                let out = if round < 2 {
                    warm_up_scan(source, &settings, &mut cache)
                } else {
                    steady_scan(source, &settings, &mut cache)
                };
                drop(collecting.finish());
                std::hint::black_box(out.findings.len());
                if std::env::var("SHOW_REUSE").is_ok() {
                    let mut by_rule = std::collections::BTreeMap::new();
                    for f in &out.findings {
                        *by_rule.entry(f.rule.id).or_insert(0) += 1;
                    }
                    eprintln!(
                        "reused {} definitions ({} keys kept unhashed), findings {by_rule:?}",
                        cache.reused_definitions(),
                        cache.kept_keys()
                    );
                }
            }
            times.push(t.elapsed().as_secs_f64() * 1e3);
            if std::env::var("SHOW_REUSE").is_ok() {
                eprintln!(
                    "round {round}: {:.1} ms, analysis stats {:?}",
                    t.elapsed().as_secs_f64() * 1e3,
                    cache.analysis.stats()
                );
            }
        }
        times.sort_by(|a, b| a.total_cmp(b));
        println!("{mode}: median {:.1} ms", times[times.len() / 2]);
    }
}

/// The first two rounds of the engine mode (the first edit takes the general path, the next
/// ones the fast path once it is set up).
#[inline(never)]
fn warm_up_scan(
    source: engine::Source<'_>,
    settings: &ScanSettings,
    cache: &mut engine::ScanCache,
) -> engine::ScanOutput {
    // Distinct from `steady_scan`'s body, so the two are not merged into one symbol.
    std::hint::black_box(0u8);
    engine::scan_incremental(source, settings, cache)
}

/// The later rounds: a keystroke's steady cost. Under callgrind,
/// `--toggle-collect=timing::steady_scan` counts only these.
#[inline(never)]
fn steady_scan(
    source: engine::Source<'_>,
    settings: &ScanSettings,
    cache: &mut engine::ScanCache,
) -> engine::ScanOutput {
    engine::scan_incremental(source, settings, cache)
}

/// Per-detector time on one file: `timing FILE ROUNDS detectors`.
pub fn per_detector(src: &str, rounds: usize) {
    use codeward::detectors::{registry, Context};
    let tree = lang::parse_str(Language::Python, src).expect("parses");
    let facts = analysis::analyze(Language::Python, src, &tree);
    let mut rows = vec![];
    for d in registry() {
        if d.meta().language != Language::Python && d.meta().language != Language::Text {
            continue;
        }
        if let Some(filter) = std::env::args().nth(4) {
            if !d.meta().id.contains(&filter) {
                continue;
            }
        }
        let mut times = vec![];
        for _ in 0..rounds {
            let ctx = Context::new(src, &tree, Language::Python, None, &facts);
            let t = Instant::now();
            let hits = d.check(&ctx);
            std::hint::black_box(hits.len());
            times.push(t.elapsed().as_secs_f64() * 1e3);
        }
        times.sort_by(|a, b| a.total_cmp(b));
        rows.push((times[times.len() / 2], d.meta().id));
    }
    rows.sort_by(|a, b| b.0.total_cmp(&a.0));
    let total: f64 = rows.iter().map(|r| r.0).sum();
    println!("detectors total {total:.2} ms");
    for (t, id) in rows.iter().take(25) {
        println!("{t:8.3} ms  {id}");
    }
}
