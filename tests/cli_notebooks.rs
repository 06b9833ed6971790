//! `codeward scan` on Jupyter notebooks (a module of the `cli` test target): code cells scanned as
//! one program with IPython syntax, findings located by cell in every format, broken notebooks
//! reported per file while the scan goes on.

use std::path::Path;

use super::{code, codeward, json, stderr, stdout, TempDir};

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/data/notebooks");

fn copy_fixtures(dir: &TempDir) {
    for name in ["analysis.ipynb", "broken.ipynb", "clean.ipynb"] {
        let contents = std::fs::read(Path::new(DATA).join(name)).expect("fixture");
        dir.write(&format!("nb/{name}"), contents);
    }
}

const INJECTION: &str = "python/os-command-injection@v1.0";
const HASHING: &str = "python/insecure-hashing@v1.0";

#[test]
fn notebook_findings_name_the_cell_in_text() {
    let dir = TempDir::new("nb-text");
    copy_fixtures(&dir);
    let output = codeward(dir.path(), &["scan", "nb"]);
    assert_eq!(code(&output), 1, "{}", stderr(&output));
    let out = stdout(&output);
    let lines: Vec<&str> = out.lines().filter(|l| l.starts_with("nb/")).collect();
    let heads: Vec<String> = lines
        .iter()
        .map(|l| l.split(": ").next().unwrap_or("").to_string())
        .collect();
    assert_eq!(
        heads,
        vec![
            "nb/analysis.ipynb:cell 3:2:9".to_string(),
            "nb/analysis.ipynb:cell 4:2:9".to_string(),
            "nb/analysis.ipynb:cell 4:3:10".to_string(),
        ],
        "{out}"
    );
    assert!(lines[0].contains(INJECTION) && lines[1].contains(INJECTION));
    // Where the data came from is a line of a cell, not of the concatenated program.
    assert!(lines[0].contains("(`input`, line 1)"), "{}", lines[0]);
    assert!(
        lines[0].contains("This IPython shell command"),
        "{}",
        lines[0]
    );
    assert!(
        lines[1].contains("(`input`, cell 3, line 1)"),
        "{}",
        lines[1]
    );
    assert!(lines[2].contains(HASHING));
    // The broken notebook is reported and the others still scanned.
    let err = stderr(&output);
    assert!(
        err.contains(
            "skipped: nb/broken.ipynb: not a valid notebook: invalid JSON (EOF while parsing a \
             value at line 4 column 0)"
        ),
        "{err}"
    );
    assert!(out.contains("in 2 files scanned"), "{out}");
}

#[test]
fn notebook_findings_in_json_and_sarif() {
    let dir = TempDir::new("nb-json");
    copy_fixtures(&dir);
    let report = json(&codeward(dir.path(), &["scan", "--format", "json", "nb"]));
    let findings = report["findings"].as_array().expect("findings");
    assert_eq!(findings.len(), 3);
    let first = &findings[0];
    assert_eq!(first["path"], "nb/analysis.ipynb");
    assert_eq!(first["ruleId"], INJECTION);
    assert_eq!(first["cell"], 3);
    assert_eq!(first["cellId"], "ask");
    assert_eq!(first["start"]["line"], 2);
    assert_eq!(first["start"]["column"], 9);
    let errors = report["errors"].as_array().expect("errors");
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0]["path"], "nb/broken.ipynb");
    assert_eq!(errors[0]["kind"], "skipped");

    let sarif = json(&codeward(dir.path(), &["scan", "--format", "sarif", "nb"]));
    let results = sarif["runs"][0]["results"].as_array().expect("results");
    assert_eq!(results.len(), 3);
    let location = &results[0]["locations"][0];
    assert_eq!(
        location["physicalLocation"]["artifactLocation"]["uri"],
        "nb/analysis.ipynb"
    );
    assert_eq!(location["logicalLocations"][0]["name"], "cell 3");
    assert_eq!(results[0]["properties"]["notebookCell"], 3);
    assert_eq!(results[0]["properties"]["cellRegion"]["startLine"], 2);
    // The region is in the file's own text: the JSON string of the cell's second source line.
    let raw = std::fs::read_to_string(Path::new(DATA).join("analysis.ipynb")).expect("fixture");
    let region = &location["physicalLocation"]["region"];
    let line = region["startLine"].as_u64().expect("startLine") as usize;
    let column = region["startColumn"].as_u64().expect("startColumn") as usize;
    let text = raw.lines().nth(line - 1).expect("line in file");
    let flagged: String = text.chars().skip(column - 1).take(6).collect();
    assert_eq!(flagged, "folder", "{text}");
    // Cell-local fix edits are not SARIF replacements in the file.
    assert!(results.iter().all(|r| r.get("fixes").is_none()));
}

#[test]
fn clean_notebooks_with_magics_have_no_findings() {
    let dir = TempDir::new("nb-clean");
    copy_fixtures(&dir);
    let output = codeward(dir.path(), &["scan", "nb/clean.ipynb"]);
    assert_eq!(code(&output), 0, "{}{}", stdout(&output), stderr(&output));
    assert!(stdout(&output).contains("No findings in 1 file scanned (3 lines)"));
}

#[test]
fn other_kernels_and_old_formats_are_skipped_with_a_reason() {
    let dir = TempDir::new("nb-other");
    dir.write(
        "r.ipynb",
        r#"{"cells": [], "metadata": {"kernelspec": {"language": "R"}}, "nbformat": 4, "nbformat_minor": 4}"#,
    );
    dir.write("old.ipynb", r#"{"nbformat": 3, "worksheets": []}"#);
    dir.write("ok.py", "x = 1\n");
    let output = codeward(dir.path(), &["scan", "."]);
    assert_eq!(code(&output), 0);
    let err = stderr(&output);
    assert!(
        err.contains("skipped: old.ipynb: unsupported notebook format nbformat 3"),
        "{err}"
    );
    assert!(
        err.contains("skipped: r.ipynb: not a Python notebook (kernel language `R`)"),
        "{err}"
    );
}

#[test]
fn execution_order_is_checked_with_all_analyses() {
    let dir = TempDir::new("nb-order");
    dir.write(
        "order.ipynb",
        r#"{"cells": [
 {"cell_type": "code", "execution_count": 2, "metadata": {}, "outputs": [], "source": ["print(total)\n"]},
 {"cell_type": "code", "execution_count": 1, "metadata": {}, "outputs": [], "source": ["total = 42\n"]}
], "metadata": {}, "nbformat": 4, "nbformat_minor": 4}"#,
    );
    let security = codeward(dir.path(), &["scan", "order.ipynb"]);
    assert_eq!(code(&security), 0, "{}", stdout(&security));
    let all = codeward(
        dir.path(),
        &["scan", "--analysis-type", "all", "order.ipynb"],
    );
    assert_eq!(code(&all), 1);
    let out = stdout(&all);
    assert!(
        out.starts_with(
            "order.ipynb:cell 1:1:7: MEDIUM python/notebook-invalid-execution-order@v1.0 `total`"
        ),
        "{out}"
    );
}
