//! The in-process part of "didChange to diagnostics" on generated 1,000, 10,000 and 100,000-line
//! Python files: apply one incremental edit to a `text::Document`, reparse incrementally, and run
//! the express scan on the new tree with the document's analysis cache (as the server does), so
//! the curve shows whether latency stays flat as files grow. For comparison, the same keystroke
//! with a full re-analysis, and a full standard scan (parse + analysis + every detector).
//!
//! The 10,000-line file is about 290 KB, over the default 200 KB express limit for Python (which
//! would skip it with a notice); the benchmark raises the limit so the detectors run.
//!
//! Run: `cargo bench --bench edit_latency`.

use std::hint::black_box;
use std::time::Duration;

use codeward::config::{ExpressLimits, ScanSettings, ScanType};
use codeward::engine::ScanCache;
use codeward::engine::{self, Source};
use codeward::lang::Language;
use codeward::text::{Document, Position, PositionEncoding, TextChange};
use criterion::{criterion_group, criterion_main, Criterion};

/// A realistic Flask application: imports, models, helpers and route handlers, with a vulnerable
/// call every few dozen handlers. Deterministic, exactly `lines` lines.
fn generate(lines: usize) -> String {
    let mut out = String::from(
        "\"\"\"Generated service module for benchmarks.\"\"\"\n\
         import hashlib\n\
         import json\n\
         import logging\n\
         import os\n\
         import subprocess\n\
         from dataclasses import dataclass\n\
         from typing import Optional\n\
         \n\
         import yaml\n\
         from flask import Flask, jsonify, request\n\
         \n\
         app = Flask(__name__)\n\
         log = logging.getLogger(__name__)\n\
         \n",
    );
    let mut i = 0;
    let mut count = out.lines().count();
    while count < lines {
        let next = block(i);
        count += next.lines().count();
        out.push_str(&next);
        i += 1;
    }
    let mut kept: Vec<&str> = out.lines().take(lines).collect();
    // Never end inside a block header without a body.
    while kept.last().is_some_and(|l| l.trim_end().ends_with(':')) {
        kept.pop();
    }
    let mut text = kept.join("\n");
    text.push('\n');
    while text.lines().count() < lines {
        text.push_str("# padding\n");
    }
    text
}

fn block(i: usize) -> String {
    let vulnerable = match i % 25 {
        3 => format!("    digest = hashlib.md5(payload.encode()).hexdigest()  # weak hash {i}\n"),
        11 => "    config = yaml.load(request.data, Loader=yaml.Loader)\n".to_string(),
        17 => "    subprocess.call(\"echo \" + request.args.get(\"q\", \"\"), shell=True)\n"
            .to_string(),
        _ => format!("    digest = hashlib.sha256(payload.encode()).hexdigest()  # ok {i}\n"),
    };
    format!(
        "\n\
         @dataclass\n\
         class Record{i}:\n\
         \x20   \"\"\"A record of kind {i}.\"\"\"\n\
         \x20   name: str\n\
         \x20   size: int = {i}\n\
         \x20   note: Optional[str] = None\n\
         \n\
         \x20   def describe(self) -> str:\n\
         \x20       if self.note:\n\
         \x20           return f\"{{self.name}} ({{self.size}}): {{self.note}}\"\n\
         \x20       return f\"{{self.name}} ({{self.size}})\"\n\
         \n\
         \n\
         def normalise_{i}(values, limit=10):\n\
         \x20   result = []\n\
         \x20   for value in values[:limit]:\n\
         \x20       if isinstance(value, str):\n\
         \x20           result.append(value.strip().lower())\n\
         \x20       elif value is not None:\n\
         \x20           result.append(str(value))\n\
         \x20   return result\n\
         \n\
         \n\
         @app.route(\"/items/{i}\", methods=[\"GET\", \"POST\"])\n\
         def handler_{i}():\n\
         \x20   payload = request.args.get(\"name\", \"\")\n\
         {vulnerable}\
         \x20   record = Record{i}(name=payload, size=len(payload))\n\
         \x20   log.info(\"handled %s\", record.describe())\n\
         \x20   data = json.dumps({{\"items\": normalise_{i}(payload.split(\",\"))}})\n\
         \x20   return jsonify(result=data, digest=digest, path=os.path.join(\"/srv\", \"{i}\"))\n\
         \n"
    )
}

fn express_settings() -> ScanSettings {
    ScanSettings {
        express_limits: ExpressLimits {
            python: 64 * 1024 * 1024,
            ..ExpressLimits::default()
        },
        ..ScanSettings::default()
    }
}

/// One didChange: a keystroke in the middle of the file, alternately typed and deleted so the
/// document keeps its size; then the incremental reparse and the express scan, which reuses the
/// document's analysis cache as the server does.
struct Typist {
    doc: Document,
    line: u32,
    version: i32,
    cache: ScanCache,
    settings: ScanSettings,
    incremental: bool,
}

impl Typist {
    fn new(text: &str, incremental: bool) -> Self {
        let lines = text.lines().count();
        let line = text
            .lines()
            .enumerate()
            .skip(lines / 2)
            .find(|(_, l)| l.starts_with("    ") && l[4..].starts_with(char::is_alphabetic))
            .map_or(0, |(n, _)| u32::try_from(n).unwrap_or(0));
        let mut typist = Self {
            doc: Document::new(Language::Python, text, 1),
            line,
            version: 1,
            cache: ScanCache::default(),
            settings: express_settings(),
            incremental,
        };
        // The document was scanned when it was opened.
        typist.scan();
        typist
    }

    fn keystroke(&mut self) -> usize {
        self.version += 1;
        let line = self.line;
        let change = if self.version % 2 == 0 {
            TextChange {
                range: Some((Position::new(line, 4), Position::new(line, 4))),
                text: "x".to_string(),
            }
        } else {
            TextChange {
                range: Some((Position::new(line, 4), Position::new(line, 5))),
                text: String::new(),
            }
        };
        self.doc
            .apply_changes(&[change], PositionEncoding::Utf16, self.version)
            .expect("versions increase");
        self.scan()
    }

    fn scan(&mut self) -> usize {
        let snapshot = self.doc.snapshot();
        let current = snapshot.rope.to_string();
        let source = Source {
            text: &current,
            language: Language::Python,
            path: None,
            tree: snapshot.tree.as_deref(),
        };
        let output = if self.incremental {
            engine::scan_incremental(source, &self.settings, &mut self.cache)
        } else {
            engine::scan(source, &self.settings)
        };
        output.findings.len()
    }
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("python_edit_to_diagnostics");
    group
        .sample_size(20)
        .warm_up_time(Duration::from_secs(2))
        .measurement_time(Duration::from_secs(6));
    // `cargo bench` passes `--bench`; `cargo test --all-targets` runs each benchmark once as a
    // smoke test, in a debug build, where the large files would take minutes: it gets the small one.
    let measuring = std::env::args().any(|a| a == "--bench");
    let sizes: &[usize] = if measuring {
        &[1_000, 10_000, 100_000]
    } else {
        &[1_000]
    };
    let comparison = if measuring { 10_000 } else { 1_000 };
    for &lines in sizes {
        let text = generate(lines);
        assert_eq!(text.lines().count(), lines);
        let mut typist = Typist::new(&text, true);
        group.bench_function(format!("incremental/{lines}_lines"), |b| {
            b.iter(|| black_box(typist.keystroke()));
        });
    }
    // The same keystroke re-analysing the whole file, for comparison.
    let text = generate(comparison);
    let mut typist = Typist::new(&text, false);
    group.bench_function(format!("full_analysis/{comparison}_lines"), |b| {
        b.iter(|| black_box(typist.keystroke()));
    });

    let standard = ScanSettings {
        scan_type: ScanType::Standard,
        ..ScanSettings::default()
    };
    group.bench_function(
        format!("full_parse_standard_scan/{comparison}_lines"),
        |b| {
            b.iter(|| {
                let output = engine::scan(
                    Source {
                        text: black_box(&text),
                        language: Language::Python,
                        path: None,
                        tree: None,
                    },
                    &standard,
                );
                black_box(output.findings.len())
            });
        },
    );
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
