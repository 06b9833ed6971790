//! `codeward report --html`: one self-contained HTML file (inline CSS, inline JavaScript that
//! draws the charts as SVG, the data inline as JSON; nothing is fetched) with the metrics, four
//! charts (open findings by severity, open vs closed over time, top detectors, scan names with
//! most findings) and a table of findings with their code and fixes.
//!
//! Everything taken from the database — code snippets above all, which are untrusted input — is
//! HTML-escaped ([`escape`]); the JSON is escaped so it cannot close its `<script>` element.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::metrics::{self, Metrics};
use super::time::{format_duration, format_rfc3339};
use super::{Status, StoredFinding, StoredScan, Timestamp};
use crate::finding::Severity;

const CSS: &str = include_str!("dashboard.css");
const JS: &str = include_str!("dashboard.js");

/// How many detectors and scan names the bar charts show.
const TOP: usize = 10;

/// What the dashboard shows.
#[derive(Debug, Clone)]
pub struct Dashboard<'a> {
    /// The scan name it is restricted to, if any.
    pub scan_name: Option<&'a str>,
    /// When it was generated ("now" for ages).
    pub generated_at: Timestamp,
    /// The findings (of the scan name, or all).
    pub findings: &'a [StoredFinding],
    /// The scans (of the scan name, or all), oldest first.
    pub scans: &'a [StoredScan],
}

/// Escapes text for HTML element content and quoted attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// JSON that is safe inside `<script type="application/json">`: `<`, `>` and `&` as `\u` escapes.
fn script_json(value: &serde_json::Value) -> String {
    value
        .to_string()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

impl Dashboard<'_> {
    /// The whole HTML document.
    pub fn render(&self) -> String {
        let all = metrics::per_scan_name(self.findings, self.scans, self.generated_at);
        let mut html = String::new();
        let scope = match self.scan_name {
            Some(name) => format!("scan name {}", escape(name)),
            None => "all scan names".to_string(),
        };
        let _ = write!(
            html,
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; \
             style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n\
             <title>Codeward findings: {scope}</title>\n<style>\n{CSS}</style>\n</head>\n<body>\n\
             <header><h1>Codeward findings</h1><p>{scope} &middot; {} scans &middot; generated {}</p></header>\n<main>\n",
            self.scans.len(),
            format_rfc3339(self.generated_at)
        );
        if let Some(overall) = all.last() {
            self.cards(&mut html, overall);
        }
        html.push_str(
            "<section class=\"charts\">\n\
             <figure class=\"chart\" id=\"chart-severity\"><figcaption>Open findings by severity</figcaption></figure>\n\
             <figure class=\"chart\" id=\"chart-history\"><figcaption>Open vs closed findings over time</figcaption>\
             <div class=\"legend\"><span class=\"open\">open</span><span class=\"closed\">closed</span></div></figure>\n\
             <figure class=\"chart\" id=\"chart-rules\"><figcaption>Top detectors (open findings)</figcaption></figure>\n\
             <figure class=\"chart\" id=\"chart-scans\"><figcaption>Scans with most findings (latest scan of each name)</figcaption></figure>\n\
             </section>\n",
        );
        self.scan_table(&mut html, &all);
        self.findings_table(&mut html);
        let _ = write!(
            html,
            "</main>\n<script type=\"application/json\" id=\"codeward-data\">{}</script>\n<script>\n{JS}</script>\n</body>\n</html>\n",
            script_json(&self.chart_data())
        );
        html
    }

    fn cards(&self, html: &mut String, overall: &Metrics) {
        let rate = overall
            .closure_rate
            .map_or("–".to_string(), |r| format!("{:.1}%", r * 100.0));
        let mttc = overall
            .mean_time_to_close
            .map_or("–".to_string(), format_duration);
        let (oldest, oldest_detail) = match &overall.oldest_open {
            Some(o) => (
                format_duration(o.age as f64),
                format!("{} at {}:{}", o.rule_id, o.path, o.line),
            ),
            None => ("–".to_string(), String::new()),
        };
        let severities: Vec<String> = Severity::ALL
            .iter()
            .rev()
            .map(|s| format!("{} {}", s.as_str(), overall.open_with(*s)))
            .collect();
        html.push_str("<section class=\"cards\">\n");
        for (label, value, detail) in [
            (
                "Open findings",
                overall.open.to_string(),
                severities.join(", "),
            ),
            ("Closed findings", overall.closed.to_string(), String::new()),
            ("Closure rate", rate, "closed / all tracked".to_string()),
            ("Mean time to close", mttc, String::new()),
            ("Oldest open finding", oldest, oldest_detail),
        ] {
            let _ = writeln!(
                html,
                "<div class=\"card\"><div class=\"label\">{}</div><div class=\"value\">{}</div><div class=\"detail\">{}</div></div>",
                escape(label),
                escape(&value),
                escape(&detail)
            );
        }
        html.push_str("</section>\n");
    }

    fn scan_table(&self, html: &mut String, all: &[Metrics]) {
        html.push_str(
            "<section>\n<h2>By scan name</h2>\n<table id=\"scan-names\"><thead><tr><th>Scan name</th><th>Scans</th>\
             <th>Last scan</th><th>Open</th><th>Critical</th><th>High</th><th>Medium</th><th>Low</th><th>Info</th>\
             <th>Closed</th><th>Closure rate</th><th>Mean time to close</th></tr></thead>\n<tbody>\n",
        );
        for m in all {
            let name = match &m.scan_name {
                Some(name) => escape(name),
                None => "<strong>Overall</strong>".to_string(),
            };
            let _ = write!(
                html,
                "<tr><td>{name}</td><td class=\"num\">{}</td><td>{}</td><td class=\"num\">{}</td>",
                m.scans,
                m.last_scan.map(format_rfc3339).unwrap_or_default(),
                m.open
            );
            for severity in Severity::ALL.iter().rev() {
                let _ = write!(html, "<td class=\"num\">{}</td>", m.open_with(*severity));
            }
            let _ = writeln!(
                html,
                "<td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td></tr>",
                m.closed,
                m.closure_rate
                    .map_or(String::new(), |r| format!("{:.1}%", r * 100.0)),
                m.mean_time_to_close.map_or(String::new(), format_duration)
            );
        }
        html.push_str("</tbody></table>\n</section>\n");
    }

    fn findings_table(&self, html: &mut String) {
        let _ = write!(
            html,
            "<section>\n<h2>Findings ({})</h2>\n<input id=\"filter\" class=\"filter\" type=\"search\" \
             placeholder=\"Filter: rule, path, severity, status...\" aria-label=\"Filter findings\">\n\
             <div class=\"table-wrap\"><table id=\"findings\"><thead><tr><th>Status</th><th>Severity</th><th>Finding</th><th>Code and fix</th>\
             <th>Scan name</th><th>First seen</th><th>Closed</th></tr></thead>\n<tbody>\n",
            self.findings.len()
        );
        for f in self.findings {
            let status = f.status.as_str();
            let _ = write!(
                html,
                "<tr data-status=\"{status}\" data-severity=\"{sev}\"><td class=\"status-{status}\">{status}</td>\
                 <td><span class=\"sev sev-{sev}\">{sev}</span></td>\
                 <td><code class=\"rule\">{rule}</code><br>{path}:{line}:{col}<div class=\"message\">{message}</div></td><td>",
                sev = f.severity.as_str(),
                rule = escape(&f.rule_id),
                path = escape(&f.path),
                line = f.line,
                col = f.column,
                message = escape(&f.message),
            );
            snippet_html(html, f);
            if let Some(fix) = &f.fix {
                html.push_str("<details><summary>Fix</summary><pre class=\"diff\">");
                for line in fix.lines() {
                    let class = if line.starts_with("@@") {
                        "hunk"
                    } else if line.starts_with('+') && !line.starts_with("+++") {
                        "add"
                    } else if line.starts_with('-') && !line.starts_with("---") {
                        "del"
                    } else {
                        ""
                    };
                    let _ = writeln!(html, "<span class=\"{class}\">{}</span>", escape(line));
                }
                html.push_str("</pre></details>");
            }
            let _ = writeln!(
                html,
                "</td><td>{}</td><td class=\"when\">{}</td><td class=\"when\">{}</td></tr>",
                escape(&f.scan_name),
                short_time(f.first_seen),
                f.closed_at.map(short_time).unwrap_or_default()
            );
        }
        html.push_str("</tbody></table></div>\n</section>\n");
    }

    /// The data the charts are drawn from.
    fn chart_data(&self) -> serde_json::Value {
        let mut severity = [0usize; 5];
        for f in self.findings.iter().filter(|f| f.status == Status::Open) {
            if let Some(i) = Severity::ALL.iter().position(|s| *s == f.severity) {
                severity[i] += 1;
            }
        }
        let severity: Vec<_> = Severity::ALL
            .iter()
            .zip(severity)
            .rev()
            .map(|(s, count)| serde_json::json!({ "name": s.as_str(), "count": count }))
            .collect();
        let history: Vec<_> = metrics::history(self.scans)
            .into_iter()
            .map(|p| {
                serde_json::json!({
                    "t": p.at,
                    "label": format_rfc3339(p.at).get(..10).unwrap_or(""),
                    "open": p.open,
                    "closed": p.closed,
                })
            })
            .collect();
        let rules: Vec<_> = metrics::top_rules(self.findings)
            .into_iter()
            .take(TOP)
            .map(|(rule, count)| serde_json::json!({ "rule": rule, "count": count }))
            .collect();
        let mut latest: BTreeMap<&str, u64> = BTreeMap::new();
        for scan in self.scans {
            latest.insert(&scan.scan_name, scan.findings);
        }
        let mut scans: Vec<(&str, u64)> = latest.into_iter().collect();
        scans.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
        let scans: Vec<_> = scans
            .into_iter()
            .take(TOP)
            .map(|(name, findings)| serde_json::json!({ "name": name, "findings": findings }))
            .collect();
        serde_json::json!({
            "severity": severity,
            "history": history,
            "rules": rules,
            "scans": scans,
        })
    }
}

/// `2026-01-02 03:04` (UTC).
fn short_time(at: Timestamp) -> String {
    let full = format_rfc3339(at);
    match (full.get(..10), full.get(11..16)) {
        (Some(date), Some(time)) => format!("{date} {time}"),
        _ => full,
    }
}

/// The snippet with line numbers, the finding's line highlighted.
fn snippet_html(html: &mut String, f: &StoredFinding) {
    if f.snippet.is_empty() {
        return;
    }
    html.push_str("<pre class=\"snippet\"><code>");
    for (i, line) in f.snippet.lines().enumerate() {
        let number = u64::from(f.snippet_line) + i as u64;
        let hit = number == u64::from(f.line);
        let _ = writeln!(
            html,
            "<span{}><span class=\"ln\">{number}</span>{}</span>",
            if hit { " class=\"hit\"" } else { "" },
            escape(line)
        );
    }
    html.push_str("</code></pre>");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tracking::store::tests::{observed, scan};
    use crate::tracking::{FindingFilter, Store};

    #[test]
    fn escapes_untrusted_text_everywhere() {
        let mut store = Store::in_memory().expect("store");
        let mut evil = observed("a:1", "r<1>", Severity::High);
        evil.snippet =
            "x = \"</script><script>alert(1)</script>\"\n<img src=x onerror=alert(2)>".into();
        evil.message = "<b>bold</b> & 'quoted'".into();
        evil.path = "a\"><svg onload=alert(3)>.py".into();
        evil.fix = Some("-<iframe>\n+</pre><script>alert(4)</script>".into());
        store
            .record(
                &scan("</title><script>alert(5)</script>", vec![evil]),
                1_000,
            )
            .expect("record");
        let findings = store.findings(&FindingFilter::default()).expect("findings");
        let scans = store.scans(None).expect("scans");
        let html = Dashboard {
            scan_name: None,
            generated_at: 2_000,
            findings: &findings,
            scans: &scans,
        }
        .render();
        // Exactly our two script elements, and no injected markup.
        assert_eq!(html.matches("<script").count(), 2, "{html}");
        assert_eq!(html.matches("</script>").count(), 2);
        for injected in ["<img", "<svg", "<iframe", "<b>", "</title><"] {
            assert!(!html.contains(injected), "{injected} in output");
        }
        assert!(html.contains("&lt;/script&gt;&lt;script&gt;alert(1)"));
        assert!(html.contains("\\u003c/title\\u003e"));
        // No network: nothing is loaded from anywhere.
        for external in ["src=\"http", "href=\"http", "url(http", "@import"] {
            assert!(!html.contains(external), "{external}");
        }
    }

    #[test]
    fn renders_metrics_charts_and_findings() {
        let mut store = Store::in_memory().expect("store");
        store
            .record(
                &scan(
                    "main",
                    vec![
                        observed("a:1", "python/a@v1.0", Severity::High),
                        observed("b:1", "python/b@v1.0", Severity::Low),
                    ],
                ),
                0,
            )
            .expect("record");
        store
            .record(
                &scan(
                    "main",
                    vec![observed("a:1", "python/a@v1.0", Severity::High)],
                ),
                86_400,
            )
            .expect("record");
        let findings = store.findings(&FindingFilter::default()).expect("findings");
        let scans = store.scans(None).expect("scans");
        let dashboard = Dashboard {
            scan_name: Some("main"),
            generated_at: 2 * 86_400,
            findings: &findings,
            scans: &scans,
        };
        let html = dashboard.render();
        for id in [
            "chart-severity",
            "chart-history",
            "chart-rules",
            "chart-scans",
            "findings",
            "scan-names",
        ] {
            assert!(html.contains(&format!("id=\"{id}\"")), "{id}");
        }
        assert_eq!(html.matches("<tr data-status=\"open\"").count(), 1);
        assert_eq!(html.matches("<tr data-status=\"closed\"").count(), 1);
        assert!(html.contains("50.0%"), "closure rate");
        let data = dashboard.chart_data();
        assert_eq!(data["history"].as_array().map(Vec::len), Some(2));
        assert_eq!(data["history"][1]["closed"], 1);
        assert_eq!(data["rules"][0]["rule"], "python/a@v1.0");
        assert_eq!(data["scans"][0]["findings"], 1);
        assert_eq!(data["severity"][1]["name"], "High");
        assert_eq!(data["severity"][1]["count"], 1);
    }
}
