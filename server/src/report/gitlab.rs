//! The GitLab SAST report (`gl-sast-report.json`), security report schema 15.x.
//!
//! Model 15 dropped `vulnerabilities[].category`, `message`, `cve`, `confidence` and `scanner`
//! (the scan type and scanner live in `scan`), so they are not written. Each vulnerability has a
//! stable `id` (derived from the path and the finding's fingerprint, no line numbers), a `name`,
//! a `description`, a `severity` (`Critical`, `High`, `Medium`, `Low`, `Info`), a `location` with
//! 1-based lines, and identifiers: one `cwe` per CWE and a `codeward_rule_id`. A finding in a
//! notebook is located by its line in the `.ipynb` file when known, else by its cell-local line.

use std::io::{self, Write};
use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::{json, Value};

use super::json::Tool;
use super::{FileReport, Report, ReportedFinding};

/// The schema version written in `version`.
pub const SCHEMA_VERSION: &str = "15.0.7";

/// Writes the report as pretty-printed GitLab SAST JSON followed by a newline.
pub fn write(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &document(report))?;
    writeln!(out)
}

/// Builds the GitLab SAST document.
pub fn document(report: &Report) -> Value {
    let tool = Tool::this();
    let component = json!({
        "id": tool.name,
        "name": "Codeward",
        "version": tool.version,
        "vendor": { "name": "Codeward" },
    });
    let now = SystemTime::now();
    let status = if report.problems.iter().any(|p| p.kind.is_error()) {
        "failure"
    } else {
        "success"
    };
    json!({
        "version": SCHEMA_VERSION,
        "vulnerabilities": report
            .findings()
            .map(|(file, finding)| vulnerability(file, finding))
            .collect::<Vec<_>>(),
        "scan": {
            "analyzer": component,
            "scanner": component,
            "type": "sast",
            "status": status,
            "start_time": timestamp(report.started_at.unwrap_or(now)),
            "end_time": timestamp(report.finished_at.unwrap_or(now)),
        },
    })
}

fn vulnerability(file: &FileReport, f: &ReportedFinding) -> Value {
    let span = f.cell.as_ref().and_then(|c| c.file_span).unwrap_or(f.span);
    // An end position is exclusive: a span ending at column 1 ends on the line before.
    let end_line = if span.end.column == 1 && span.end.line > span.start.line {
        span.end.line - 1
    } else {
        span.end.line
    };
    let mut identifiers: Vec<Value> = f
        .rule
        .cwes
        .iter()
        .map(|cwe| {
            json!({
                "type": "cwe",
                "name": format!("CWE-{cwe}"),
                "value": cwe.to_string(),
                "url": format!("https://cwe.mitre.org/data/definitions/{cwe}.html"),
            })
        })
        .collect();
    identifiers.push(json!({
        "type": "codeward_rule_id",
        "name": format!("Codeward {}", f.rule.id),
        "value": f.rule.id,
        "url": f.rule.doc_url(),
    }));
    let mut vulnerability = json!({
        "id": id(&file.display, &f.fingerprint),
        "name": f.rule.name,
        "description": f.message,
        "severity": f.severity.as_str(),
        "location": {
            "file": file.display,
            "start_line": span.start.line,
            "end_line": end_line,
        },
        "identifiers": identifiers,
    });
    let solution = f.rule.remediation().trim();
    if !solution.is_empty() {
        vulnerability["solution"] = json!(one_line(solution));
    }
    vulnerability
}

/// A stable id in UUID shape: FNV-1a of the path and fingerprint, twice with different seeds.
fn id(path: &str, fingerprint: &str) -> String {
    let a = fnv(0xcbf2_9ce4_8422_2325, path, fingerprint);
    let b = fnv(0x8422_2325_cbf2_9ce4, path, fingerprint);
    let hex = format!("{a:016x}{b:016x}");
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

fn fnv(seed: u64, path: &str, fingerprint: &str) -> u64 {
    let mut state = seed;
    for b in path.bytes().chain([0]).chain(fingerprint.bytes()) {
        state ^= u64::from(b);
        state = state.wrapping_mul(0x0000_0100_0000_01b3);
    }
    state
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `YYYY-MM-DDTHH:MM:SS` in UTC, the format the schema requires (no zone, no fraction).
fn timestamp(time: SystemTime) -> String {
    let secs = time
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let days = i64::try_from(secs / 86_400).unwrap_or(0);
    let rest = secs % 86_400;
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

/// Howard Hinnant's `civil_from_days`: days since 1970-01-01 to (year, month, day).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (
        year,
        u32::try_from(month).unwrap_or(1),
        u32::try_from(day).unwrap_or(1),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn timestamps_are_utc_without_zone() {
        assert_eq!(timestamp(UNIX_EPOCH), "1970-01-01T00:00:00");
        let t = UNIX_EPOCH + Duration::from_secs(1_709_210_096); // 2024-02-29T12:34:56Z
        assert_eq!(timestamp(t), "2024-02-29T12:34:56");
    }

    #[test]
    fn ids_are_stable_and_distinct() {
        let a = id("a.py", "0123:1");
        assert_eq!(a, id("a.py", "0123:1"));
        assert_ne!(a, id("b.py", "0123:1"));
        assert_eq!(a.len(), 36);
        assert_eq!(a.matches('-').count(), 4);
    }

    #[test]
    fn empty_report_has_the_required_keys() {
        let doc = document(&Report::default());
        assert_eq!(doc["version"], SCHEMA_VERSION);
        assert_eq!(doc["vulnerabilities"], json!([]));
        assert_eq!(doc["scan"]["type"], "sast");
        assert_eq!(doc["scan"]["status"], "success");
        assert_eq!(doc["scan"]["analyzer"]["vendor"]["name"], "Codeward");
    }
}
