//! The in-process part of "didChange to diagnostics" on a 10,000-line Python file: apply one
//! incremental edit to a `text::Document`, reparse incrementally, and run the express scan on the
//! new tree. Also a full standard scan of the same file (parse + analysis + every detector).
//!
//! The generated file is about 290 KB, over the default 200 KB express limit for Python (which
//! would skip it with a notice); the express benchmark raises the limit so the detectors run.
//!
//! Run: `cargo bench --bench edit_latency`.

use std::hint::black_box;
use std::time::Duration;

use codeward::config::{ExpressLimits, ScanSettings, ScanType};
use codeward::engine::{self, Source};
use codeward::lang::Language;
use codeward::text::{Document, Position, PositionEncoding, TextChange};
use criterion::{criterion_group, criterion_main, Criterion};

/// Lines in the generated file.
const LINES: usize = 10_000;

/// A realistic Flask application: imports, models, helpers and route handlers, with a vulnerable
/// call every few dozen handlers. Deterministic, exactly `LINES` lines.
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
    while out.lines().count() < lines {
        out.push_str(&block(i));
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
            python: 4 * 1024 * 1024,
            ..ExpressLimits::default()
        },
        ..ScanSettings::default()
    }
}

fn bench(c: &mut Criterion) {
    let text = generate(LINES);
    assert_eq!(text.lines().count(), LINES);
    let settings = express_settings();
    let mut group = c.benchmark_group("python_10k_lines");
    group
        .sample_size(30)
        .warm_up_time(Duration::from_secs(2))
        .measurement_time(Duration::from_secs(8));

    // One keystroke in the middle of the file, alternately typed and deleted so the document
    // keeps its size; each iteration is one didChange: edit, incremental reparse, express scan.
    let mut doc = Document::new(Language::Python, &text, 1);
    let line = text
        .lines()
        .enumerate()
        .skip(LINES / 2)
        .find(|(_, l)| l.starts_with("    ") && l[4..].starts_with(char::is_alphabetic))
        .map_or(0, |(n, _)| u32::try_from(n).unwrap_or(0));
    let mut version = 1;
    group.bench_function("edit_reparse_express_scan", |b| {
        b.iter(|| {
            version += 1;
            let change = if version % 2 == 0 {
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
            doc.apply_changes(&[change], PositionEncoding::Utf16, version)
                .expect("versions increase");
            let snapshot = doc.snapshot();
            let current = snapshot.rope.to_string();
            let output = engine::scan(
                Source {
                    text: &current,
                    language: Language::Python,
                    path: None,
                    tree: snapshot.tree.as_deref(),
                },
                &settings,
            );
            black_box(output.findings.len())
        });
    });

    let standard = ScanSettings {
        scan_type: ScanType::Standard,
        ..ScanSettings::default()
    };
    group.bench_function("full_parse_standard_scan", |b| {
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
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
