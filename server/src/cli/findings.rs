//! `codeward findings`, `codeward metrics` and `codeward report --html`: reading the tracking
//! database that `codeward scan --scan-name` writes.

use std::fmt::Write as _;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use codeward::finding::Severity;
use codeward::tracking::dashboard::Dashboard;
use codeward::tracking::metrics::{self, Metrics};
use codeward::tracking::time::{format_duration, format_rfc3339};
use codeward::tracking::{Clock, FindingFilter, Status, Store, StoredFinding, SystemClock};
use serde_json::{json, Value};

use super::{config, db_path, EXIT_ERROR};

/// Where the tracking database is, for the commands that read it.
#[derive(Debug, clap::Args)]
pub struct DbArgs {
    /// The tracking database [default: `db` of codeward.toml or [tool.codeward] found from the
    /// working directory, else .codeward/findings.db in the working directory].
    #[arg(long, value_name = "PATH")]
    pub db: Option<PathBuf>,

    /// Only this scan name (as given to `scan --scan-name`).
    #[arg(long, value_name = "NAME")]
    pub scan_name: Option<String>,
}

/// `--format` of `findings` and `metrics`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ListFormat {
    /// Aligned text for people.
    Text,
    /// A JSON document.
    Json,
}

/// `--status` of `findings`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum StatusArg {
    /// Seen in the latest scan of its scan name.
    Open,
    /// Gone in a later scan.
    Closed,
}

/// Arguments of `codeward findings`.
#[derive(Debug, clap::Args)]
pub struct FindingsArgs {
    #[command(flatten)]
    db: DbArgs,

    /// Only open or only closed findings.
    #[arg(long, value_enum)]
    status: Option<StatusArg>,

    /// Only findings of these severities (critical, high, medium, low, info); repeatable or
    /// comma-separated.
    #[arg(long, value_name = "LEVEL", value_delimiter = ',', value_parser = parse_severity)]
    severity: Vec<Severity>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = ListFormat::Text)]
    format: ListFormat,
}

/// Arguments of `codeward metrics`.
#[derive(Debug, clap::Args)]
pub struct MetricsArgs {
    #[command(flatten)]
    db: DbArgs,

    /// Output format.
    #[arg(long, value_enum, default_value_t = ListFormat::Text)]
    format: ListFormat,
}

/// Arguments of `codeward report`.
#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    #[command(flatten)]
    db: DbArgs,

    /// Write a self-contained HTML dashboard (metrics, charts, findings with code and fixes;
    /// nothing is loaded from the network) to FILE.
    #[arg(long, value_name = "FILE")]
    html: PathBuf,
}

fn parse_severity(text: &str) -> Result<Severity, String> {
    Severity::parse(text)
        .ok_or_else(|| format!("`{text}` is not a severity (critical, high, medium, low, info)"))
}

/// Runs a command, turning an error into a message and exit status 2.
fn run(command: impl FnOnce() -> Result<()>) -> ExitCode {
    match command() {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::from(EXIT_ERROR)
        }
    }
}

impl DbArgs {
    /// Opens the database; an unknown `--scan-name` is an error (most likely a typo).
    fn open(&self) -> Result<Store> {
        let root = std::env::current_dir().context("cannot read the current directory")?;
        let loaded = config::load(None, Some(&root))?;
        let path = db_path(self.db.as_deref(), loaded.as_ref(), &root);
        let store = Store::open_existing(&path)?;
        if let Some(name) = &self.scan_name {
            if !store.has_scan_name(name)? {
                bail!("no scan named `{name}` in {}", path.display());
            }
        }
        Ok(store)
    }
}

/// Writes to stdout; a closed stdout (`| head`) is not an error.
fn print(text: &str) -> Result<()> {
    let mut out = BufWriter::new(io::stdout().lock());
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(err) if err.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        other => other.context("cannot write to stdout"),
    }
}

/// `codeward findings`.
pub fn findings(args: FindingsArgs) -> ExitCode {
    run(|| {
        let store = args.db.open()?;
        let found = store.findings(&FindingFilter {
            scan_name: args.db.scan_name.clone(),
            status: args.status.map(|s| match s {
                StatusArg::Open => Status::Open,
                StatusArg::Closed => Status::Closed,
            }),
            severities: args.severity.clone(),
        })?;
        let text = match args.format {
            ListFormat::Text => findings_text(&found),
            ListFormat::Json => {
                let list: Vec<Value> = found.iter().map(finding_json).collect();
                format!("{:#}\n", json!({ "findings": list }))
            }
        };
        print(&text)
    })
}

fn findings_text(found: &[StoredFinding]) -> String {
    let mut out = String::new();
    for f in found {
        let _ = write!(
            out,
            "{:<6} {:<8} {}:{}:{} {} [{}] first seen {}",
            f.status.as_str(),
            f.severity.as_str(),
            f.path,
            f.line,
            f.column,
            f.rule_id,
            f.scan_name,
            format_rfc3339(f.first_seen),
        );
        if let Some(closed) = f.closed_at {
            let _ = write!(out, ", closed {}", format_rfc3339(closed));
        }
        out.push('\n');
    }
    let open = found.iter().filter(|f| f.status == Status::Open).count();
    let _ = writeln!(
        out,
        "{} findings ({open} open, {} closed)",
        found.len(),
        found.len() - open
    );
    out
}

fn finding_json(f: &StoredFinding) -> Value {
    json!({
        "scanName": f.scan_name,
        "fingerprint": f.fingerprint,
        "ruleId": f.rule_id,
        "severity": f.severity.as_str(),
        "status": f.status.as_str(),
        "firstSeen": format_rfc3339(f.first_seen),
        "openedAt": format_rfc3339(f.opened_at),
        "lastSeen": format_rfc3339(f.last_seen),
        "closedAt": f.closed_at.map(format_rfc3339),
        "timesReopened": f.times_reopened,
        "path": f.path,
        "line": f.line,
        "column": f.column,
        "message": f.message,
        "snippet": f.snippet,
        "snippetLine": f.snippet_line,
        "fix": f.fix,
    })
}

/// `codeward metrics`.
pub fn metrics(args: MetricsArgs) -> ExitCode {
    run(|| {
        let store = args.db.open()?;
        let name = args.db.scan_name.as_deref();
        let found = store.findings(&FindingFilter {
            scan_name: name.map(str::to_string),
            ..FindingFilter::default()
        })?;
        let scans = store.scans(name)?;
        let mut all = metrics::per_scan_name(&found, &scans, SystemClock.now());
        let overall = all.pop();
        let text = match args.format {
            ListFormat::Text => {
                let mut out = String::new();
                for m in &all {
                    metrics_text(&mut out, m);
                }
                if let (None, Some(overall)) = (name, &overall) {
                    metrics_text(&mut out, overall);
                }
                out
            }
            ListFormat::Json => {
                let names: Vec<Value> = all.iter().map(metrics_json).collect();
                let mut doc = json!({ "scanNames": names });
                if let (None, Some(overall)) = (name, &overall) {
                    doc["overall"] = metrics_json(overall);
                }
                format!("{doc:#}\n")
            }
        };
        print(&text)
    })
}

fn metrics_text(out: &mut String, m: &Metrics) {
    let title = match &m.scan_name {
        Some(name) => format!("Scan name {name}"),
        None => "Overall".to_string(),
    };
    let _ = writeln!(
        out,
        "{title}: {} scans, last {}",
        m.scans,
        m.last_scan.map_or("never".to_string(), format_rfc3339)
    );
    let severities: Vec<String> = Severity::ALL
        .iter()
        .rev()
        .map(|s| format!("{} {}", s.as_str(), m.open_with(*s)))
        .collect();
    let _ = writeln!(
        out,
        "  open findings       {} ({})",
        m.open,
        severities.join(", ")
    );
    match &m.oldest_open {
        Some(o) => {
            let _ = writeln!(
                out,
                "  oldest open finding {} old: {} at {}:{}, first seen {}",
                format_duration(o.age as f64),
                o.rule_id,
                o.path,
                o.line,
                format_rfc3339(o.first_seen)
            );
        }
        None => out.push_str("  oldest open finding none\n"),
    }
    let _ = writeln!(out, "  closed findings     {}", m.closed);
    let _ = writeln!(
        out,
        "  closure rate        {}",
        m.closure_rate
            .map_or("n/a".to_string(), |r| format!("{:.1}%", r * 100.0))
    );
    let _ = writeln!(
        out,
        "  mean time to close  {}",
        m.mean_time_to_close
            .map_or("n/a".to_string(), format_duration)
    );
}

fn metrics_json(m: &Metrics) -> Value {
    let by_severity: serde_json::Map<String, Value> = Severity::ALL
        .iter()
        .rev()
        .map(|s| (s.as_str().to_string(), json!(m.open_with(*s))))
        .collect();
    json!({
        "scanName": m.scan_name,
        "scans": m.scans,
        "lastScan": m.last_scan.map(format_rfc3339),
        "open": m.open,
        "openBySeverity": by_severity,
        "closed": m.closed,
        "closureRate": m.closure_rate,
        "meanTimeToCloseSeconds": m.mean_time_to_close,
        "oldestOpen": m.oldest_open.as_ref().map(|o| json!({
            "ruleId": o.rule_id,
            "path": o.path,
            "line": o.line,
            "firstSeen": format_rfc3339(o.first_seen),
            "ageSeconds": o.age,
        })),
    })
}

/// `codeward report --html`.
pub fn report(args: ReportArgs) -> ExitCode {
    run(|| {
        let store = args.db.open()?;
        let name = args.db.scan_name.as_deref();
        let found = store.findings(&FindingFilter {
            scan_name: name.map(str::to_string),
            ..FindingFilter::default()
        })?;
        let scans = store.scans(name)?;
        let html = Dashboard {
            scan_name: name,
            generated_at: SystemClock.now(),
            findings: &found,
            scans: &scans,
        }
        .render();
        write_file(&args.html, &html)
    })
}

fn write_file(path: &Path, text: &str) -> Result<()> {
    std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))
}
