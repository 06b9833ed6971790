//! Command implementations behind `main.rs`: `scan` (CI) and `rules` (catalogue); `lsp` hands over
//! to the language server.

pub mod config;
mod diff;
mod filter;
mod findings;
mod fix;
mod notebook;
mod paths;
mod rules;
mod run;
mod track;
mod walk;

pub use findings::{findings, metrics, report, FindingsArgs, MetricsArgs, ReportArgs};

use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::num::NonZeroUsize;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::SystemTime;

use anyhow::{Context, Result};
use codeward::config::{AnalysisType, ScanSettings, ScanType};
use codeward::detectors;
use codeward::finding::Severity;
use codeward::report::{self, text, Format, ProblemKind, Report};
use codeward::tracking::{Clock, SystemClock};

/// Exit code: no finding at or above the `--fail-on-severity` threshold.
const EXIT_CLEAN: u8 = 0;
/// Exit code: at least one finding at or above the threshold.
const EXIT_FINDINGS: u8 = 1;
/// Exit code: usage error, a path argument that does not exist, nothing readable, or output failure.
const EXIT_ERROR: u8 = 2;

/// Stack size of the scanning threads.
const SCAN_STACK_SIZE: usize = 16 * 1024 * 1024;

/// Arguments of `codeward scan`.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Files: directories are walked honouring .gitignore, .ignore and git exclude files (also outside a \
git repository); hidden directories (.git included) are skipped, hidden files (.env) are not. A file \
named on the command line is always taken. Python (.py .pyw .pyi), Jupyter notebooks (.ipynb, \
nbformat 4: the code cells as one program, findings reported as `path:cell N:line:col`), Java \
(.java), JavaScript (.js .mjs .cjs .jsx) and TypeScript (.ts .mts .cts .tsx) files are scanned by \
every detector; every other file (.env, YAML, JSON, .properties, .ini, .toml, Dockerfiles, shell \
scripts, ...) is scanned as text by the secrets detectors. Lock files (package-lock.json, \
yarn.lock, Cargo.lock, poetry.lock, ...) and text files over --max-text-file-size are reported as \
skipped; binary types (images, archives, fonts, compiled code, by extension) are counted in the \
summary but not scanned. Unreadable, binary (a NUL byte in the first 8 KiB) and invalid UTF-8 \
files are reported as skipped and never stop the scan.

Positions: lines and columns are 1-based; columns count UTF-16 code units in every format.

Exit status: 0 when no finding is at or above --fail-on-severity (default: info, so any reported \
finding fails the run, as in ruff); 1 when one is; 2 on a usage error, a path argument that does \
not exist or cannot be accessed (the other paths are still scanned and reported), when nothing \
could be read, or when the report cannot be written. 2 wins over 1.

Tracking: with --scan-name the scan is also recorded in the tracking database (see `codeward \
findings`, `codeward metrics`, `codeward report`); the report and the exit status stay the same, \
except that a database that cannot be written is an error (2). A scan with a missing path \
argument is not recorded.")]
pub struct ScanArgs {
    /// Files and directories to scan.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Report format [default: text].
    #[arg(long, value_enum)]
    pub format: Option<FormatArg>,

    /// Write the report (or the diff) to FILE instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Exit with status 1 when a finding at or above this severity is reported (`never`: always 0
    /// unless an error occurs) [default: info].
    #[arg(long, value_enum, value_name = "LEVEL")]
    pub fail_on_severity: Option<FailOn>,

    /// Security detectors only, or also code-quality detectors [default: security].
    #[arg(long, value_enum)]
    pub analysis_type: Option<AnalysisArg>,

    /// `express` runs the fast subset within the express size limits (as in the editor);
    /// `standard` runs every detector on every file [default: standard].
    #[arg(long, value_enum)]
    pub scan_type: Option<ScanTypeArg>,

    /// Do not report findings below this severity [default: info].
    #[arg(long, value_enum, value_name = "LEVEL")]
    pub min_severity: Option<SeverityArg>,

    /// Only scan files matching GLOB (relative to the working directory; a glob without `/`
    /// matches file names); repeatable.
    #[arg(long, value_name = "GLOB")]
    pub include: Vec<String>,

    /// Do not scan files matching GLOB; repeatable; wins over --include.
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,

    /// Read settings from FILE (codeward.toml, or a pyproject.toml with [tool.codeward]) instead
    /// of searching for one.
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    pub config: Option<PathBuf>,

    /// Ignore configuration files.
    #[arg(long)]
    pub no_config: bool,

    /// Track findings under this name: record the scan in the tracking database (see --db),
    /// closing findings of the previous scan of this name that are gone and reopening those that
    /// came back. Also the SARIF `automationDetails.id` (the GitHub code scanning category).
    #[arg(long, value_name = "NAME")]
    pub scan_name: Option<String>,

    /// The tracking database [default: `db` of the configuration file, else
    /// .codeward/findings.db in the working directory].
    #[arg(long, value_name = "PATH", requires = "scan_name")]
    pub db: Option<PathBuf>,

    /// Record the scan as taken at TIME (RFC 3339, YYYY-MM-DD, or seconds since the epoch),
    /// e.g. to backfill history from older revisions [default: now].
    #[arg(long, value_name = "TIME", requires = "scan_name", value_parser = parse_time)]
    pub scan_time: Option<codeward::tracking::Timestamp>,

    /// Print a unified diff of the fixes instead of the report.
    #[arg(long, conflicts_with = "fix")]
    pub diff: bool,

    /// Apply the fixes to the files, then report the findings that are left.
    #[arg(long)]
    pub fix: bool,

    /// With --diff or --fix, also use fixes that may change behaviour.
    #[arg(long)]
    pub unsafe_fixes: bool,

    /// Do not run RULE (full id, id without `@version`, or slug); repeatable.
    #[arg(long = "disable", value_name = "RULE")]
    pub disable: Vec<String>,

    /// Number of files scanned in parallel (default: the number of CPUs).
    #[arg(long, short = 'j', value_name = "N")]
    pub jobs: Option<NonZeroUsize>,

    /// Text files (not Python, Java or JavaScript) larger than BYTES are skipped, not scanned for
    /// secrets.
    #[arg(long, value_name = "BYTES", default_value_t = codeward::config::DEFAULT_MAX_TEXT_FILE_SIZE)]
    pub max_text_file_size: usize,

    /// Print findings and errors only: no progress bar, summary, skipped-file lines or warnings.
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

/// Arguments of `codeward rules`.
#[derive(Debug, clap::Args)]
pub struct RulesArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = RulesFormat::Text)]
    pub format: RulesFormat,
}

/// `--format` of `scan`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FormatArg {
    /// `path:line:col: SEVERITY rule-id message` lines and a summary.
    Text,
    /// A stable JSON document (findings, summary, errors).
    Json,
    /// SARIF 2.1.0.
    Sarif,
    /// GitLab SAST report (security report schema 15.x).
    GitlabSast,
}

/// `--format` of `rules`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum RulesFormat {
    /// An aligned table.
    Text,
    /// A JSON array.
    Json,
    /// Markdown documentation of every detector (what `docs/detectors.md` holds).
    Markdown,
}

/// A severity on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SeverityArg {
    /// Critical only.
    Critical,
    /// High and above.
    High,
    /// Medium and above.
    Medium,
    /// Low and above.
    Low,
    /// Everything.
    Info,
}

impl From<SeverityArg> for Severity {
    fn from(s: SeverityArg) -> Self {
        match s {
            SeverityArg::Critical => Severity::Critical,
            SeverityArg::High => Severity::High,
            SeverityArg::Medium => Severity::Medium,
            SeverityArg::Low => Severity::Low,
            SeverityArg::Info => Severity::Info,
        }
    }
}

/// The `--fail-on-severity` threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FailOn {
    /// A critical finding fails the run.
    Critical,
    /// A high or critical finding fails the run.
    High,
    /// A medium or higher finding fails the run.
    Medium,
    /// A low or higher finding fails the run.
    Low,
    /// Any finding fails the run (the default).
    Info,
    /// Findings never fail the run.
    Never,
}

impl FailOn {
    fn threshold(self) -> Option<Severity> {
        match self {
            Self::Critical => Some(Severity::Critical),
            Self::High => Some(Severity::High),
            Self::Medium => Some(Severity::Medium),
            Self::Low => Some(Severity::Low),
            Self::Info => Some(Severity::Info),
            Self::Never => None,
        }
    }
}

/// `--analysis-type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AnalysisArg {
    /// Security detectors.
    Security,
    /// Security and code-quality detectors.
    All,
}

/// `--scan-type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ScanTypeArg {
    /// The express subset, with size limits.
    Express,
    /// Every detector, no size limit.
    Standard,
}

/// The options of a scan after merging the configuration file under the command line.
#[derive(Debug)]
struct Options {
    format: FormatArg,
    fail_on: FailOn,
    settings: ScanSettings,
    filter: filter::Filter,
    unsafe_fixes: bool,
    db: PathBuf,
}

/// Parses `--scan-time`.
fn parse_time(text: &str) -> Result<codeward::tracking::Timestamp, String> {
    codeward::tracking::time::parse(text).ok_or_else(|| {
        format!("`{text}` is not a time (use 2026-01-31T12:00:00Z, 2026-01-31 or seconds since the epoch)")
    })
}

/// The tracking database: `--db`, else the configuration file's `db` (relative to its
/// directory), else `.codeward/findings.db` under `root`.
fn db_path(flag: Option<&Path>, loaded: Option<&config::Loaded>, root: &Path) -> PathBuf {
    match (
        flag,
        loaded.and_then(|l| l.config.db.as_ref().map(|db| (l, db))),
    ) {
        (Some(path), _) => root.join(path),
        (None, Some((loaded, db))) => loaded.base().join(db),
        (None, None) => root.join(codeward::tracking::DEFAULT_DB),
    }
}

impl ScanArgs {
    /// Merges the configuration file (if any) under the command-line flags.
    fn options(&self, root: &Path) -> Result<Options> {
        let loaded = if self.no_config {
            None
        } else {
            config::load(
                self.config.as_deref(),
                self.paths.first().map(PathBuf::as_path),
            )?
        };
        let mut filter = filter::Filter::default();
        filter.add(root, &self.include, &self.exclude)?;
        let file = match &loaded {
            Some(loaded) => {
                filter
                    .add(
                        loaded.base(),
                        &loaded.config.include,
                        &loaded.config.exclude,
                    )
                    .with_context(|| format!("in {}", loaded.path.display()))?;
                &loaded.config
            }
            None => &config::FileConfig::default(),
        };
        let analysis_type = self
            .analysis_type
            .or(file.analysis_type)
            .unwrap_or(AnalysisArg::Security);
        let scan_type = self
            .scan_type
            .or(file.scan_type)
            .unwrap_or(ScanTypeArg::Standard);
        let mut disabled_rules = file.disable.clone();
        disabled_rules.extend(self.disable.iter().cloned());
        let settings = ScanSettings {
            analysis_type: match analysis_type {
                AnalysisArg::Security => AnalysisType::Security,
                AnalysisArg::All => AnalysisType::All,
            },
            scan_type: match scan_type {
                ScanTypeArg::Express => ScanType::Express,
                ScanTypeArg::Standard => ScanType::Standard,
            },
            min_severity: self
                .min_severity
                .or(file.min_severity)
                .unwrap_or(SeverityArg::Info)
                .into(),
            disabled_rules,
            max_text_file_size: self.max_text_file_size,
            ..ScanSettings::default()
        };
        Ok(Options {
            format: self.format.or(file.format).unwrap_or(FormatArg::Text),
            fail_on: self
                .fail_on_severity
                .or(file.fail_on_severity)
                .unwrap_or(FailOn::Info),
            settings,
            filter,
            unsafe_fixes: self.unsafe_fixes || file.unsafe_fixes.unwrap_or(false),
            db: db_path(self.db.as_deref(), loaded.as_ref(), root),
        })
    }
}

/// `codeward lsp`.
pub fn lsp() -> ExitCode {
    codeward::lsp::run_stdio()
}

/// `codeward scan`: exit status as documented in `--help`.
pub fn scan(args: ScanArgs) -> ExitCode {
    match run_scan(&args) {
        Ok(code) => ExitCode::from(code),
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::from(EXIT_ERROR)
        }
    }
}

fn run_scan(args: &ScanArgs) -> Result<u8> {
    let root = std::env::current_dir().context("cannot read the current directory")?;
    let options = args.options(&root)?;
    if !args.quiet {
        warn_unknown_rules(&options.settings);
    }
    let paths = paths::Paths::new(root);

    // Deeply nested or very long expressions (a concatenation of thousands of literals in JDK
    // sources) recurse up to `syntax::MAX_DEPTH` levels; unoptimised builds need more than the
    // default 2 MiB for that, as the language server's threads do.
    let mut pool = rayon::ThreadPoolBuilder::new().stack_size(SCAN_STACK_SIZE);
    if let Some(jobs) = args.jobs {
        pool = pool.num_threads(jobs.get());
    }
    let pool = pool.build().context("cannot start the scanning threads")?;
    let scan = || {
        let started = SystemTime::now();
        let mut walked = walk::collect(&args.paths, &paths);
        walked
            .sources
            .retain(|(path, _)| options.filter.keeps(&paths.absolute(path)));
        let track = args.scan_name.is_some();
        let mut report =
            pool.install(|| run::scan_files(walked, &options.settings, &paths, !args.quiet, track));
        report.scan_name = args.scan_name.clone();
        report.started_at = Some(started);
        report.finished_at = Some(SystemTime::now());
        report
    };
    let mut report = scan();
    let policy = fix::FixPolicy {
        unsafe_fixes: options.unsafe_fixes,
    };

    if args.diff {
        write_problems(&report, args, options.format);
        write_diff(&report, policy, args)?;
        record_scan(&report, args, &options.db)?;
        return Ok(exit_code(&report, options.fail_on));
    }
    if args.fix && apply_fixes(&report, policy, args.quiet)? {
        report = scan();
    }
    write_problems(&report, args, options.format);
    write_report(&report, args, options.format)?;
    record_scan(&report, args, &options.db)?;
    Ok(exit_code(&report, options.fail_on))
}

/// With `--scan-name`, records the scan in the tracking database and says what changed on
/// stderr. A scan with a missing path argument is not recorded: it would close the findings of
/// everything it did not see.
fn record_scan(report: &Report, args: &ScanArgs, db: &Path) -> Result<()> {
    let Some(name) = &args.scan_name else {
        return Ok(());
    };
    if report
        .problems
        .iter()
        .any(|p| p.kind == ProblemKind::Missing)
    {
        eprintln!("warning: scan `{name}` not recorded: a path argument is missing");
        return Ok(());
    }
    let at = match args.scan_time {
        Some(at) => at,
        None => report
            .started_at
            .map_or_else(|| SystemClock.now(), codeward::tracking::time::from_system),
    };
    let outcome = track::record(report, name, db, at)?;
    if !args.quiet {
        eprintln!(
            "tracked scan `{name}` in {}: {} new, {} reopened, {} still open, {} closed",
            db.display(),
            outcome.opened,
            outcome.reopened,
            outcome.still_open,
            outcome.closed
        );
    }
    Ok(())
}

/// `--diff`: the unified diff of every file's fixes, on stdout or in `--output`.
fn write_diff(report: &Report, policy: fix::FixPolicy, args: &ScanArgs) -> Result<()> {
    let mut text = String::new();
    let mut fixes = 0;
    let mut files = 0;
    for patch in fix::collect(report, policy) {
        let contents = fix::read(&patch.path)?;
        let Some(diff) = diff::unified(&patch.display, &contents.text, &patch.edits) else {
            anyhow::bail!(
                "{}: the file changed since it was scanned; no diff",
                patch.display
            );
        };
        if !diff.is_empty() {
            text.push_str(&diff);
            fixes += patch.fixed;
            files += 1;
        }
    }
    if !args.quiet {
        eprintln!("{fixes} fixable findings in {files} files");
    }
    emit(args, |out| out.write_all(text.as_bytes()))
}

/// `--fix`: applies every file's fixes; whether any file changed.
fn apply_fixes(report: &Report, policy: fix::FixPolicy, quiet: bool) -> Result<bool> {
    let mut fixed = 0;
    let mut files = 0;
    let mut deferred = 0;
    for patch in fix::collect(report, policy) {
        let contents = fix::read(&patch.path)?;
        let text = fix::apply(&patch, &contents)?;
        deferred += patch.deferred;
        if text != contents.text {
            fix::write(&patch.path, contents.bom, &text)?;
            fixed += patch.fixed;
            files += 1;
        }
    }
    if !quiet {
        eprintln!("fixed {fixed} findings in {files} files");
        if deferred > 0 {
            eprintln!("{deferred} fixes overlapped another fix and were left out; run --fix again");
        }
    }
    Ok(files > 0)
}

/// Problems on stderr: in text format all of them (unless `--quiet`), in JSON and SARIF (where
/// the document carries them) only errors; then, for JSON and SARIF, the summary line.
fn write_problems(report: &Report, args: &ScanArgs, format: FormatArg) {
    let style = text::Style {
        color: color_allowed() && io::stderr().is_terminal(),
    };
    let shown: Vec<_> = report
        .problems
        .iter()
        .filter(|p| p.kind == ProblemKind::Missing || (format == FormatArg::Text && !args.quiet))
        .cloned()
        .collect();
    let mut stderr = io::stderr().lock();
    // A failure to write diagnostics to stderr cannot be reported anywhere; the exit code stands.
    let _ = text::write_problems(&shown, style, &mut stderr);
    if format != FormatArg::Text && !args.quiet {
        let _ = writeln!(stderr, "{}", text::summary_line(&report.summary()));
    }
}

fn write_report(report: &Report, args: &ScanArgs, format: FormatArg) -> Result<()> {
    let format = match format {
        FormatArg::Text => Format::Text,
        FormatArg::Json => Format::Json,
        FormatArg::Sarif => Format::Sarif,
        FormatArg::GitlabSast => Format::GitlabSast,
    };
    let style = text::Style {
        color: args.output.is_none() && color_allowed() && io::stdout().is_terminal(),
    };
    emit(args, |out| render(report, format, style, args.quiet, out))
}

/// Writes to `--output` or stdout; a closed stdout (`| head`) is not an error.
fn emit(args: &ScanArgs, write: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> Result<()> {
    match &args.output {
        Some(path) => {
            let file =
                File::create(path).with_context(|| format!("cannot create {}", path.display()))?;
            let mut out = BufWriter::new(file);
            write(&mut out)
                .and_then(|()| out.flush())
                .with_context(|| format!("cannot write {}", path.display()))
        }
        None => {
            let mut out = BufWriter::new(io::stdout().lock());
            match write(&mut out).and_then(|()| out.flush()) {
                // The reader went away (`| head`): not our error.
                Err(err) if err.kind() == io::ErrorKind::BrokenPipe => Ok(()),
                other => other.context("cannot write to stdout"),
            }
        }
    }
}

fn render(
    report: &Report,
    format: Format,
    style: text::Style,
    quiet: bool,
    out: &mut dyn Write,
) -> io::Result<()> {
    if quiet && format == Format::Text {
        text::write_findings(report, style, out)
    } else {
        report::write(report, format, style, out)
    }
}

/// `NO_COLOR` set to anything non-empty turns colours off (<https://no-color.org>).
fn color_allowed() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

fn exit_code(report: &Report, fail_on: FailOn) -> u8 {
    let summary = report.summary();
    let missing = report
        .problems
        .iter()
        .any(|p| p.kind == ProblemKind::Missing);
    let nothing_readable =
        summary.files_scanned == 0 && summary.files_skipped > 0 && summary.files_not_scanned == 0;
    if missing || nothing_readable {
        return EXIT_ERROR;
    }
    match (fail_on.threshold(), report.max_severity()) {
        (Some(threshold), Some(max)) if max >= threshold => EXIT_FINDINGS,
        _ => EXIT_CLEAN,
    }
}

fn warn_unknown_rules(settings: &ScanSettings) {
    for rule in &settings.disabled_rules {
        let probe = ScanSettings {
            disabled_rules: vec![rule.clone()],
            ..ScanSettings::default()
        };
        if !detectors::all_metas()
            .iter()
            .any(|meta| probe.is_disabled(meta.id))
        {
            eprintln!("warning: --disable {rule}: no registered detector has this id or slug");
        }
    }
}

/// `codeward rules`.
pub fn rules(args: RulesArgs) -> ExitCode {
    let metas = detectors::all_metas();
    let mut out = BufWriter::new(io::stdout().lock());
    let written = match args.format {
        RulesFormat::Text => rules::write_table(&metas, &mut out),
        RulesFormat::Json => rules::write_json(&metas, &mut out),
        RulesFormat::Markdown => out.write_all(rules::markdown(&metas).as_bytes()),
    }
    .and_then(|()| out.flush());
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) if err.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: cannot write the rules: {err}");
            ExitCode::from(EXIT_ERROR)
        }
    }
}
