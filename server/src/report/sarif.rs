//! The SARIF 2.1.0 report (GitHub code scanning, GitLab, Azure DevOps, IDE viewers).
//!
//! One run; `tool.driver.rules` lists the detectors selected for the scan, with their docs as
//! `help`, CWE tags and a GitHub `security-severity`. Results point at artifacts by a URI relative to
//! `%SRCROOT%` (the working directory) when the file is under it, else by an absolute `file://`
//! URI. Regions are 1-based with UTF-16 columns (`columnKind: utf16CodeUnits`). A finding in a
//! notebook has its region in the `.ipynb` file's text (the cell's source line inside the JSON), a
//! `notebookCell` logical location, and `notebookCell` / `cellRegion` properties. Skipped files and
//! other problems are `invocations[0].toolExecutionNotifications`.

use std::collections::HashMap;
use std::io::{self, Write};
use std::path::Path;

use serde_json::{json, Map, Value};

use crate::detectors::DetectorMeta;
use crate::finding::{Category, Severity};

use super::json::Tool;
use super::{fingerprint, Problem, ProblemKind, Report, ReportedFinding, Span};

/// The schema URI written in `$schema`.
pub const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// The URI base id that relative artifact URIs refer to.
pub const SRCROOT: &str = "%SRCROOT%";

const INFORMATION_URI: &str = "https://docs.aws.amazon.com/codeguru/detector-library/";

/// The SARIF `level` of a severity.
pub fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "note",
    }
}

/// GitHub's `security-severity` score (critical > 9.0, high 7.0-8.9, medium 4.0-6.9, low < 4.0).
pub fn security_severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "3.0",
        Severity::Info => "1.0",
    }
}

/// Writes the report as pretty-printed SARIF followed by a newline.
pub fn write(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &document(report))?;
    writeln!(out)
}

/// Builds the SARIF log.
pub fn document(report: &Report) -> Value {
    let mut rules: Vec<&'static DetectorMeta> = report.rules.clone();
    for (_, finding) in report.findings() {
        if !rules.iter().any(|r| r.id == finding.rule.id) {
            rules.push(finding.rule);
        }
    }
    let index: HashMap<&str, usize> = rules.iter().enumerate().map(|(i, r)| (r.id, i)).collect();
    let results: Vec<Value> = report
        .findings()
        .map(|(file, f)| result(&file.display, f, index[f.rule.id]))
        .collect();
    let tool = Tool::this();
    let mut log = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": tool.name,
                "version": tool.version,
                "semanticVersion": tool.version,
                "informationUri": INFORMATION_URI,
                "rules": rules.iter().map(|r| rule(r)).collect::<Vec<_>>(),
            }},
            "originalUriBaseIds": { SRCROOT: { "uri": directory_uri(&report.root) } },
            "columnKind": "utf16CodeUnits",
            "invocations": [invocation(&report.problems)],
            "results": results,
        }],
    });
    if let Some(name) = &report.scan_name {
        // GitHub takes everything up to the last `/` as the analysis category.
        let id = if name.ends_with('/') {
            name.clone()
        } else {
            format!("{name}/")
        };
        log["runs"][0]["automationDetails"] = json!({ "id": id });
    }
    log
}

fn rule(meta: &DetectorMeta) -> Value {
    let mut tags = vec![match meta.category {
        Category::Security => "security".to_string(),
        Category::Quality => "quality".to_string(),
    }];
    tags.extend(meta.cwes.iter().map(|c| format!("external/cwe/cwe-{c}")));
    let mut properties = Map::new();
    properties.insert("tags".into(), json!(tags));
    if meta.category == Category::Security {
        properties.insert(
            "security-severity".into(),
            json!(security_severity(meta.severity)),
        );
    }
    properties.insert("precision".into(), json!(precision(meta)));
    properties.insert(
        "problem.severity".into(),
        json!(problem_severity(meta.severity)),
    );
    properties.insert("express".into(), json!(meta.express));
    let help_text = if meta.docs.is_empty() {
        format!("{}\n\nSee {}", meta.name, meta.doc_url())
    } else {
        plain_text(meta.docs)
    };
    let help_markdown = if meta.docs.is_empty() {
        format!(
            "**{}**\n\nSee [the detector's documentation]({}).",
            meta.name,
            meta.doc_url()
        )
    } else {
        meta.docs.trim().to_string()
    };
    json!({
        "id": meta.id,
        "name": camel_case(meta.slug()),
        "shortDescription": { "text": meta.name },
        "fullDescription": { "text": one_line(meta.summary()) },
        "help": { "text": help_text, "markdown": help_markdown },
        "helpUri": meta.doc_url(),
        "defaultConfiguration": { "level": level(meta.severity) },
        "properties": properties,
    })
}

/// GitHub's `precision`. Detectors carry no measured precision, so this is a claim by kind:
/// security detectors flag API calls with resolved names and tracked data flow ("high");
/// code-quality detectors are heuristics about intent ("medium").
fn precision(meta: &DetectorMeta) -> &'static str {
    match meta.category {
        Category::Security => "high",
        Category::Quality => "medium",
    }
}

/// GitHub's non-security `problem.severity` (error / warning / recommendation).
fn problem_severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "recommendation",
    }
}

fn result(path: &str, f: &ReportedFinding, rule_index: usize) -> Value {
    let mut result = json!({
        "ruleId": f.rule.id,
        "ruleIndex": rule_index,
        "level": level(f.severity),
        "message": { "text": f.message },
        "locations": [{ "physicalLocation": {
            "artifactLocation": artifact_location(path),
            "region": region(f.span),
        }}],
        "partialFingerprints": { fingerprint::SARIF_KEY: f.fingerprint },
        "properties": { "severity": f.severity.as_str() },
    });
    if let Some(cell) = &f.cell {
        // A notebook: the region is in the .ipynb file's text when the cell's source lines were
        // located there (else omitted); the cell and the cell-local region are named alongside.
        let location = &mut result["locations"][0];
        match cell.file_span {
            Some(span) => location["physicalLocation"]["region"] = region(span),
            None => {
                if let Some(physical) = location["physicalLocation"].as_object_mut() {
                    physical.remove("region");
                }
            }
        }
        location["logicalLocations"] = json!([{
            "name": format!("cell {}", cell.number),
            "fullyQualifiedName": format!("{path}:cell {}", cell.number),
            "kind": "notebookCell",
        }]);
        let properties = &mut result["properties"];
        properties["notebookCell"] = json!(cell.number);
        properties["cellRegion"] = region(f.span);
        if let Some(id) = &cell.id {
            properties["cellId"] = json!(id);
        }
        // Fix edits are cell-local: they cannot be expressed as replacements in the file.
        return result;
    }
    if !f.fixes.is_empty() {
        result["fixes"] = f
            .fixes
            .iter()
            .map(|fix| {
                json!({
                    "description": { "text": fix.title },
                    "artifactChanges": [{
                        "artifactLocation": artifact_location(path),
                        "replacements": fix.edits.iter().map(|e| {
                            let mut replacement = json!({ "deletedRegion": region(e.span) });
                            if !e.replacement.is_empty() {
                                replacement["insertedContent"] = json!({ "text": e.replacement });
                            }
                            replacement
                        }).collect::<Vec<_>>(),
                    }],
                    "properties": { "applicability": fix.applicability },
                })
            })
            .collect();
    }
    result
}

fn region(span: Span) -> Value {
    json!({
        "startLine": span.start.line,
        "startColumn": span.start.column,
        "endLine": span.end.line,
        "endColumn": span.end.column,
    })
}

fn invocation(problems: &[Problem]) -> Value {
    let notifications: Vec<Value> = problems
        .iter()
        .map(|p| {
            let level = match p.kind {
                ProblemKind::Missing | ProblemKind::DetectorFailed => "error",
                ProblemKind::Skipped => "warning",
                ProblemKind::Notice => "note",
            };
            json!({
                "descriptor": { "id": p.kind.as_str() },
                "level": level,
                "message": { "text": format!("{}: {}", p.path, p.message) },
                "locations": [{ "physicalLocation": {
                    "artifactLocation": artifact_location(&p.path),
                }}],
            })
        })
        .collect();
    json!({
        "executionSuccessful": !problems.iter().any(|p| p.kind.is_error()),
        "toolExecutionNotifications": notifications,
    })
}

/// A relative path (with `/`) refers to `%SRCROOT%`; an absolute one becomes a `file://` URI.
fn artifact_location(path: &str) -> Value {
    if Path::new(path).is_absolute() {
        json!({ "uri": file_uri(path) })
    } else {
        json!({ "uri": encode(path), "uriBaseId": SRCROOT })
    }
}

fn file_uri(path: &str) -> String {
    let path = path.replace('\\', "/");
    if path.starts_with('/') {
        format!("file://{}", encode(&path))
    } else {
        format!("file:///{}", encode(&path))
    }
}

fn directory_uri(dir: &Path) -> String {
    let mut uri = file_uri(&dir.to_string_lossy());
    if !uri.ends_with('/') {
        uri.push('/');
    }
    uri
}

/// Percent-encodes everything but RFC 3986 unreserved characters, `/` and a drive colon.
fn encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/' | b':') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Hard-wrapped prose as one line.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `os-command-injection` -> `OsCommandInjection`.
fn camel_case(slug: &str) -> String {
    slug.split(['-', '_'])
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut chars = w.chars();
            chars.next().map_or_else(String::new, |c| {
                c.to_ascii_uppercase().to_string() + chars.as_str()
            })
        })
        .collect()
}

/// The docs without Markdown syntax: headings lose their `#`, code fences disappear.
fn plain_text(markdown: &str) -> String {
    markdown
        .trim()
        .lines()
        .filter(|l| !l.trim_start().starts_with("```"))
        .map(|l| l.trim_start_matches('#').trim_start_matches(' '))
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_encoded_and_relative_to_srcroot() {
        assert_eq!(
            artifact_location("src/my app.py"),
            json!({ "uri": "src/my%20app.py", "uriBaseId": SRCROOT })
        );
        assert_eq!(
            artifact_location("/tmp/x#1.py"),
            json!({ "uri": "file:///tmp/x%231.py" })
        );
        assert_eq!(directory_uri(Path::new("/work/repo")), "file:///work/repo/");
    }

    #[test]
    fn names_and_text() {
        assert_eq!(camel_case("os-command-injection"), "OsCommandInjection");
        assert_eq!(one_line("Flags\nbroken  hashes."), "Flags broken hashes.");
        assert_eq!(
            plain_text("## What it does\nRuns.\n\n```python\nx()\n```\n"),
            "What it does\nRuns.\n\nx()"
        );
        assert_eq!(level(Severity::Medium), "warning");
        assert_eq!(security_severity(Severity::High), "8.0");
    }

    #[test]
    fn empty_report_is_a_valid_shape() {
        let report = Report {
            root: "/work".into(),
            problems: vec![Problem {
                path: "a.py".into(),
                kind: ProblemKind::Missing,
                message: "No such file".into(),
            }],
            ..Report::default()
        };
        let log = document(&report);
        assert_eq!(log["version"], "2.1.0");
        let run = &log["runs"][0];
        assert_eq!(run["tool"]["driver"]["name"], "codeward");
        assert_eq!(run["results"], json!([]));
        let invocation = &run["invocations"][0];
        assert_eq!(invocation["executionSuccessful"], false);
        assert_eq!(
            invocation["toolExecutionNotifications"][0]["level"],
            "error"
        );
    }
}
