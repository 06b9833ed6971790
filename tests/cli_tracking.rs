//! Finding tracking end to end (a module of the `cli` test target): `scan --scan-name` recording
//! into the SQLite database, `findings`, `metrics`, concurrent scans, and `report --html`
//! rendered in headless Chromium.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::Value;

use super::{code, codeward, json, stderr, stdout, TempDir, VULNERABLE};

const MD5_RULE: &str = "python/insecure-hashing@v1.0";
const DAY: f64 = 86_400.0;

/// `load` moved to another module, reformatted, with unrelated code around it and the MD5 line
/// removed: the YAML finding is the same finding, the MD5 one is gone.
const MOVED_WITHOUT_MD5: &str = "import yaml\n\nVERSION = 2  # unrelated\n\n\ndef helper():\n    return VERSION\n\n\ndef load(text):\n    # Parse the document.\n    digest = None\n    return yaml.unsafe_load( text ),   digest  # still unsafe\n";

/// The same with the MD5 line back.
const MOVED_WITH_MD5: &str = "import hashlib\nimport yaml\n\nVERSION = 2  # unrelated\n\n\ndef helper():\n    return VERSION\n\n\ndef load(text):\n    # Parse the document.\n    digest = hashlib.md5(text.encode())\n    return yaml.unsafe_load( text ),   digest  # still unsafe\n";

fn scan(dir: &Path, name: &str, time: &str) -> std::process::Output {
    codeward(
        dir,
        &[
            "scan",
            ".",
            "--scan-name",
            name,
            "--scan-time",
            time,
            "--format",
            "json",
        ],
    )
}

fn tracked(dir: &Path, args: &[&str]) -> Value {
    let mut all = vec!["findings", "--format", "json"];
    all.extend_from_slice(args);
    let output = codeward(dir, &all);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    json(&output)
}

fn list(findings: &Value) -> Vec<Value> {
    findings["findings"].as_array().expect("findings").clone()
}

/// (rule id, status, path) of each tracked finding, sorted.
fn summary(findings: &Value) -> Vec<(String, String, String)> {
    let mut rows: Vec<_> = list(findings)
        .iter()
        .map(|f| {
            (
                f["ruleId"].as_str().expect("rule").to_string(),
                f["status"].as_str().expect("status").to_string(),
                f["path"].as_str().expect("path").to_string(),
            )
        })
        .collect();
    rows.sort();
    rows
}

#[test]
fn findings_close_when_gone_and_reopen_when_back_across_moves() {
    let dir = TempDir::new("track-lifecycle");
    dir.write("app.py", VULNERABLE);

    let first = scan(dir.path(), "main", "2026-01-01T00:00:00Z");
    assert_eq!(code(&first), 1, "{}", stderr(&first));
    assert!(
        stderr(&first).contains("tracked scan `main`"),
        "{}",
        stderr(&first)
    );
    assert!(stderr(&first).contains("2 new"), "{}", stderr(&first));
    assert!(dir.path().join(".codeward/findings.db").is_file());
    let after_first = tracked(dir.path(), &[]);
    let rules: Vec<_> = summary(&after_first);
    assert_eq!(rules.len(), 2, "{rules:?}");
    assert!(rules
        .iter()
        .all(|(_, status, path)| status == "open" && path == "app.py"));
    let yaml_rule = rules
        .iter()
        .map(|r| r.0.clone())
        .find(|r| r != MD5_RULE)
        .expect("a second rule");
    let fingerprints = |v: &Value| -> Vec<String> {
        let mut prints: Vec<String> = list(v)
            .iter()
            .map(|f| f["fingerprint"].as_str().expect("fingerprint").to_string())
            .collect();
        prints.sort();
        prints
    };

    // The code moves to another file with unrelated edits, and the MD5 call goes.
    std::fs::remove_file(dir.path().join("app.py")).expect("remove");
    dir.write("lib/parsing.py", MOVED_WITHOUT_MD5);
    let second = scan(dir.path(), "main", "2026-01-03T00:00:00Z");
    assert_eq!(code(&second), 1, "{}", stderr(&second));
    let after_second = tracked(dir.path(), &[]);
    assert_eq!(
        summary(&after_second),
        [
            (
                MD5_RULE.to_string(),
                "closed".to_string(),
                "app.py".to_string()
            ),
            (
                yaml_rule.clone(),
                "open".to_string(),
                "lib/parsing.py".to_string()
            ),
        ]
    );
    assert_eq!(fingerprints(&after_first), fingerprints(&after_second));
    let closed = tracked(dir.path(), &["--status", "closed"]);
    assert_eq!(list(&closed).len(), 1);
    assert_eq!(closed["findings"][0]["closedAt"], "2026-01-03T00:00:00Z");
    assert_eq!(closed["findings"][0]["firstSeen"], "2026-01-01T00:00:00Z");

    let metrics = codeward(dir.path(), &["metrics", "--format", "json"]);
    assert_eq!(code(&metrics), 0, "{}", stderr(&metrics));
    let metrics = json(&metrics);
    let main = &metrics["scanNames"][0];
    assert_eq!(main["scanName"], "main");
    assert_eq!(main["scans"], 2);
    assert_eq!(main["open"], 1);
    assert_eq!(main["closed"], 1);
    assert_eq!(main["closureRate"], 0.5);
    assert_eq!(main["meanTimeToCloseSeconds"], 2.0 * DAY);
    assert_eq!(main["oldestOpen"]["firstSeen"], "2026-01-01T00:00:00Z");
    assert_eq!(main["oldestOpen"]["path"], "lib/parsing.py");
    assert_eq!(metrics["overall"]["open"], 1);

    // The MD5 call comes back: the same finding reopens.
    dir.write("lib/parsing.py", MOVED_WITH_MD5);
    let third = scan(dir.path(), "main", "2026-01-04T00:00:00Z");
    assert!(stderr(&third).contains("1 reopened"), "{}", stderr(&third));
    let after_third = tracked(dir.path(), &[]);
    assert_eq!(fingerprints(&after_first), fingerprints(&after_third));
    let md5 = list(&after_third)
        .into_iter()
        .find(|f| f["ruleId"] == MD5_RULE)
        .expect("md5 finding");
    assert_eq!(md5["status"], "open");
    assert_eq!(md5["timesReopened"], 1);
    assert_eq!(md5["closedAt"], Value::Null);
    assert_eq!(md5["firstSeen"], "2026-01-01T00:00:00Z");
    assert_eq!(md5["path"], "lib/parsing.py");
    assert_eq!(md5["line"], 13);
    assert!(md5["snippet"]
        .as_str()
        .expect("snippet")
        .contains("hashlib.md5(text.encode())"));
    assert!(md5["fix"]
        .as_str()
        .expect("fix")
        .contains("+++ b/lib/parsing.py"));

    // Filters and the text listing.
    let high = tracked(
        dir.path(),
        &["--severity", "critical,high", "--scan-name", "main"],
    );
    assert!(list(&high)
        .iter()
        .all(|f| f["severity"] == "High" || f["severity"] == "Critical"));
    let text = codeward(dir.path(), &["findings", "--status", "open"]);
    assert_eq!(code(&text), 0);
    assert!(
        stdout(&text).contains("2 findings (2 open, 0 closed)"),
        "{}",
        stdout(&text)
    );
    assert!(
        stdout(&text).contains("lib/parsing.py:13:"),
        "{}",
        stdout(&text)
    );
    let text = codeward(dir.path(), &["metrics"]);
    assert!(
        stdout(&text).contains("Scan name main: 3 scans"),
        "{}",
        stdout(&text)
    );
    assert!(
        stdout(&text).contains("closure rate        0.0%"),
        "{}",
        stdout(&text)
    );
}

#[test]
fn scans_without_a_scan_name_are_not_tracked() {
    let dir = TempDir::new("track-none");
    dir.write("app.py", VULNERABLE);
    let plain = codeward(dir.path(), &["scan", ".", "--format", "json"]);
    assert_eq!(code(&plain), 1);
    assert!(!stderr(&plain).contains("tracked"));
    assert!(!dir.path().join(".codeward").exists());
    let missing = codeward(dir.path(), &["findings"]);
    assert_eq!(code(&missing), 2);
    assert!(
        stderr(&missing).contains("no tracking database"),
        "{}",
        stderr(&missing)
    );

    // The report of a tracked scan is the plain one (stdout), only stderr says it was recorded.
    let named = codeward(
        dir.path(),
        &["scan", ".", "--scan-name", "ci", "--format", "text"],
    );
    let plain_text = codeward(dir.path(), &["scan", ".", "--format", "text"]);
    assert_eq!(code(&named), code(&plain_text));
    assert_eq!(stdout(&named), stdout(&plain_text));

    let unknown = codeward(dir.path(), &["metrics", "--scan-name", "nightly"]);
    assert_eq!(code(&unknown), 2);
    assert!(
        stderr(&unknown).contains("no scan named `nightly`"),
        "{}",
        stderr(&unknown)
    );
    let bad_time = codeward(
        dir.path(),
        &["scan", ".", "--scan-name", "x", "--scan-time", "soon"],
    );
    assert_eq!(code(&bad_time), 2);
}

#[test]
fn partial_scans_are_not_recorded_and_database_errors_exit_two() {
    let dir = TempDir::new("track-errors");
    dir.write("app.py", VULNERABLE);
    let missing = codeward(
        dir.path(),
        &["scan", "app.py", "gone.py", "--scan-name", "main"],
    );
    assert_eq!(code(&missing), 2);
    assert!(
        stderr(&missing).contains("not recorded"),
        "{}",
        stderr(&missing)
    );
    assert!(!dir.path().join(".codeward").exists());

    // The database's directory would have to be inside a file.
    let unwritable = codeward(
        dir.path(),
        &[
            "scan",
            "app.py",
            "--scan-name",
            "main",
            "--db",
            "app.py/findings.db",
        ],
    );
    assert_eq!(code(&unwritable), 2);
    assert!(
        stderr(&unwritable).contains("app.py"),
        "{}",
        stderr(&unwritable)
    );
}

#[test]
fn the_database_path_comes_from_the_flag_or_the_configuration() {
    let dir = TempDir::new("track-db-path");
    dir.write("src/app.py", VULNERABLE);
    dir.write("codeward.toml", "db = \"var/tracking.db\"\n");
    let configured = codeward(dir.path(), &["scan", "src", "--scan-name", "main"]);
    assert_eq!(code(&configured), 1, "{}", stderr(&configured));
    assert!(dir.path().join("var/tracking.db").is_file());
    assert!(!dir.path().join(".codeward").exists());
    assert_eq!(list(&tracked(dir.path(), &[])).len(), 2);

    let flagged = codeward(
        dir.path(),
        &["scan", "src", "--scan-name", "main", "--db", "other.db"],
    );
    assert_eq!(code(&flagged), 1, "{}", stderr(&flagged));
    assert!(dir.path().join("other.db").is_file());
    assert_eq!(list(&tracked(dir.path(), &["--db", "other.db"])).len(), 2);
}

#[test]
fn concurrent_scans_keep_the_database_consistent() {
    let dir = TempDir::new("track-concurrent");
    dir.write("a/app.py", VULNERABLE);
    dir.write("b/one.py", VULNERABLE);
    dir.write("b/two.py", VULNERABLE);
    let db = dir.path().join("shared.db");
    let db_arg = db.to_str().expect("UTF-8 path");
    let children: Vec<_> = (0..8)
        .map(|i| {
            let (name, path) = if i % 2 == 0 {
                ("alpha", "a")
            } else {
                ("beta", "b")
            };
            Command::new(env!("CARGO_BIN_EXE_codeward"))
                .args([
                    "scan",
                    path,
                    "--scan-name",
                    name,
                    "--db",
                    db_arg,
                    "-q",
                    "-j",
                    "1",
                ])
                .current_dir(dir.path())
                .env("NO_COLOR", "1")
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .expect("spawn codeward")
        })
        .collect();
    for child in children {
        let output = child.wait_with_output().expect("wait");
        assert_eq!(
            output.status.code(),
            Some(1),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let store = codeward::tracking::Store::open_existing(&db).expect("open");
    assert_eq!(store.integrity_check().expect("check"), "ok");
    let metrics = codeward(dir.path(), &["metrics", "--db", db_arg, "--format", "json"]);
    let metrics = json(&metrics);
    let by_name = |name: &str| -> Value {
        metrics["scanNames"]
            .as_array()
            .expect("names")
            .iter()
            .find(|m| m["scanName"] == name)
            .cloned()
            .expect("scan name")
    };
    let alpha = by_name("alpha");
    let beta = by_name("beta");
    assert_eq!(
        (alpha["scans"].as_u64(), alpha["open"].as_u64()),
        (Some(4), Some(2))
    );
    assert_eq!(
        (beta["scans"].as_u64(), beta["open"].as_u64()),
        (Some(4), Some(4))
    );
    assert_eq!(alpha["closed"], 0);
    assert_eq!(beta["closed"], 0);
    // Identical code in two files is two findings, told apart by their occurrence number.
    let beta_findings = tracked(dir.path(), &["--db", db_arg, "--scan-name", "beta"]);
    let mut prints: Vec<_> = list(&beta_findings)
        .iter()
        .map(|f| f["fingerprint"].as_str().expect("fingerprint").to_string())
        .collect();
    prints.sort();
    prints.dedup();
    assert_eq!(prints.len(), 4);
    assert!(prints.iter().any(|p| p.ends_with(":2")), "{prints:?}");
}

#[test]
fn notebook_findings_are_tracked_by_cell() {
    let dir = TempDir::new("track-notebook");
    let cell = serde_json::json!({
        "cells": [
            {"cell_type": "markdown", "metadata": {}, "source": ["# Notes"]},
            {"cell_type": "code", "metadata": {}, "execution_count": null, "outputs": [],
             "source": ["import hashlib\n", "h = hashlib.md5(b'x')\n"]}
        ],
        "metadata": {"kernelspec": {"language": "python", "name": "python3", "display_name": "Python 3"}},
        "nbformat": 4, "nbformat_minor": 5
    });
    dir.write("nb.ipynb", cell.to_string());
    let output = codeward(dir.path(), &["scan", ".", "--scan-name", "nb"]);
    assert_eq!(code(&output), 1, "{}", stderr(&output));
    let found = tracked(dir.path(), &[]);
    let md5 = list(&found)
        .into_iter()
        .find(|f| f["ruleId"] == MD5_RULE)
        .expect("md5 in the notebook");
    assert_eq!(md5["path"], "nb.ipynb:cell 2");
    assert_eq!(md5["line"], 2);
}

/// Chromium, or `None` after a loud skip message (a failure when `CODEWARD_REQUIRE_EDITORS` is
/// set, as in CI).
fn chromium() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("CODEWARD_CHROMIUM") {
        return Some(PathBuf::from(path));
    }
    let found = std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
        .flat_map(|dir| ["chromium", "chromium-browser"].map(|n| dir.join(n)))
        .find(|p| p.is_file());
    if found.is_none() {
        assert!(
            std::env::var_os("CODEWARD_REQUIRE_EDITORS").is_none(),
            "chromium not found and CODEWARD_REQUIRE_EDITORS is set"
        );
        let _ = writeln!(
            std::io::stderr(),
            "\nSKIPPED: chromium not found; the HTML dashboard was not rendered in a browser.\n"
        );
    }
    found
}

/// Writes a tracked history of three scans of two scan names, then the dashboard.
fn dashboard(dir: &TempDir) -> PathBuf {
    dir.write("app.py", VULNERABLE);
    dir.write(
        "web/app.js",
        "const express = require('express');\nconst app = express();\napp.get('/run', (req, res) => {\n  eval(req.query.code);\n  res.send('<b>ok</b>');\n});\n",
    );
    for (name, time) in [("main", "2026-01-01"), ("nightly", "2026-01-02")] {
        let output = codeward(
            dir.path(),
            &["scan", ".", "--scan-name", name, "--scan-time", time],
        );
        assert_eq!(code(&output), 1, "{}", stderr(&output));
    }
    dir.write("app.py", MOVED_WITHOUT_MD5);
    let output = codeward(
        dir.path(),
        &[
            "scan",
            ".",
            "--scan-name",
            "main",
            "--scan-time",
            "2026-01-05",
        ],
    );
    assert_eq!(code(&output), 1, "{}", stderr(&output));
    let html = dir.path().join("report.html");
    let output = codeward(dir.path(), &["report", "--html", "report.html"]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    html
}

#[test]
fn html_dashboard_is_self_contained_and_escaped() {
    let dir = TempDir::new("track-html");
    let html = std::fs::read_to_string(dashboard(&dir)).expect("report.html");
    assert!(html.starts_with("<!DOCTYPE html>"));
    for external in ["src=\"http", "href=\"http", "<link", "url(", "@import"] {
        assert!(!html.contains(external), "{external} in the dashboard");
    }
    // The JavaScript snippet's markup is text, not markup.
    assert!(
        html.contains("res.send(&#39;&lt;b&gt;ok&lt;/b&gt;&#39;)"),
        "snippet not escaped"
    );
    assert!(!html.contains("<b>ok</b>"));
    assert_eq!(html.matches("<tr data-status=\"closed\"").count(), 1);
    let missing = codeward(
        dir.path(),
        &["report", "--html", "x.html", "--db", "none.db"],
    );
    assert_eq!(code(&missing), 2);
}

#[test]
fn html_dashboard_charts_draw_in_headless_chromium() {
    let Some(chromium) = chromium() else {
        return;
    };
    let dir = TempDir::new("track-chromium");
    let html = dashboard(&dir);
    let profile = dir.path().join("chromium-profile");
    let output = Command::new("timeout")
        .arg("120")
        .arg(&chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--virtual-time-budget=5000",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg("--dump-dom")
        .arg(format!("file://{}", html.display()))
        .output()
        .expect("run chromium");
    let dom = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        dom.contains("data-charts-rendered=\"4\""),
        "charts did not run:\n{dom}"
    );
    for chart in [
        "chart-severity",
        "chart-history",
        "chart-rules",
        "chart-scans",
    ] {
        let at = dom.find(&format!("id=\"{chart}\"")).expect("chart figure");
        let tag_end = at + dom[at..].find('>').expect("end of tag");
        let tag = &dom[at..tag_end];
        let marks: u32 = tag
            .split("data-rendered=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("{chart} has no data-rendered: {tag}"));
        assert!(marks > 0, "{chart} drew nothing");
    }
    assert!(dom.matches("<svg").count() >= 4);
    assert!(dom.matches("<rect").count() >= 3);
    assert!(dom.contains("<path"), "no history line");
}
