//! The scan pipeline of `codeward scan`: read and scan the collected files in parallel (rayon),
//! showing a progress bar on a terminal, and gather everything into a sorted [`Report`].

use std::io::IsTerminal;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use codeward::config::ScanSettings;
use codeward::detectors;
use codeward::engine::{self, Source};
use codeward::lang::{parse_str, Language};
use codeward::report::{FileReport, Problem, ProblemKind, Report};
use codeward::text::LineIndex;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;

use super::paths::Paths;
use super::track;
use super::walk::Walked;
use codeward::files::read::read_source;

/// What happened to one file.
enum Outcome {
    Scanned(FileReport, Vec<Problem>),
    Skipped(Problem),
}

/// Scans the walked files and builds the report (files, problems and rules sorted); with `track`,
/// every finding also gets its tracking data (see [`super::track`]).
pub fn scan_files(
    walked: Walked,
    settings: &ScanSettings,
    paths: &Paths,
    progress: bool,
    track: bool,
) -> Report {
    let bar = progress_bar(walked.sources.len() as u64, progress);
    let sources = &walked.sources;
    let mut outcomes: Vec<(usize, Outcome)> = largest_first(sources)
        .into_iter()
        .par_bridge()
        .filter_map(|i| sources.get(i).map(|source| (i, source)))
        .map(|(i, (path, language))| {
            // The engine isolates detectors; this guards the rest (reading, parsing, locating) so
            // one bad file never takes the whole scan down.
            let outcome = catch_unwind(AssertUnwindSafe(|| {
                scan_one(path, *language, settings, paths, track)
            }))
            .unwrap_or_else(|_| {
                Outcome::Skipped(Problem {
                    path: paths.display(path),
                    kind: ProblemKind::Skipped,
                    message: "internal error while scanning this file (please report it)".into(),
                })
            });
            bar.inc(1);
            (i, outcome)
        })
        .collect();
    bar.finish_and_clear();
    outcomes.sort_unstable_by_key(|(i, _)| *i);

    let mut report = Report {
        root: paths.root().to_path_buf(),
        files_not_scanned: walked.others,
        rules: detectors::registry()
            .iter()
            .filter(|d| engine::selected(**d, d.meta().language, settings))
            .map(|d| d.meta())
            .collect(),
        ..Report::default()
    };
    report.problems.extend(walked.missing);
    report.problems.extend(walked.skipped);
    for (_, outcome) in outcomes {
        match outcome {
            Outcome::Scanned(file, problems) => {
                report.files.push(file);
                report.problems.extend(problems);
            }
            Outcome::Skipped(problem) => report.problems.push(problem),
        }
    }
    report.sort();
    report
}

/// The indices of `sources`, largest file first: workers take the next file as they finish one
/// (`par_bridge`), so the big files start early and the run does not end waiting on one picked up
/// last. A file whose size cannot be read sorts last; reading it reports why.
fn largest_first(sources: &[(PathBuf, Language)]) -> Vec<usize> {
    let sizes: Vec<u64> = sources
        .par_iter()
        .map(|(path, _)| std::fs::metadata(path).map_or(0, |meta| meta.len()))
        .collect();
    let mut order: Vec<usize> = (0..sources.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(sizes.get(i).copied().unwrap_or(0)));
    order
}

fn scan_one(
    path: &Path,
    language: Language,
    settings: &ScanSettings,
    paths: &Paths,
    track: bool,
) -> Outcome {
    let display = paths.display(path);
    if codeward::notebook::ipynb::is_notebook_path(path) {
        return match super::notebook::scan(path, display, settings, track) {
            Ok((file, problems)) => Outcome::Scanned(file, problems),
            Err(problem) => Outcome::Skipped(problem),
        };
    }
    if language == Language::Text {
        if let Some(problem) = too_big(path, settings, &display) {
            return Outcome::Skipped(problem);
        }
    }
    let text = match read_source(path) {
        Ok(text) => text,
        Err(reason) => {
            return Outcome::Skipped(Problem {
                path: display,
                kind: ProblemKind::Skipped,
                message: reason,
            })
        }
    };
    // Tracking needs the syntax tree afterwards, so it is parsed here and handed to the engine.
    let tree = if track {
        parse_str(language, &text)
    } else {
        None
    };
    let (output, lines) = engine::scan_with_lines(
        Source {
            text: &text,
            language,
            path: Some(path),
            tree: tree.as_ref(),
        },
        settings,
    );
    let lines = lines.unwrap_or_else(|| LineIndex::new(&text));
    let tracked: Vec<_> = if track {
        output
            .findings
            .iter()
            .map(|f| track::tracked_code(&display, &text, &lines, tree.as_ref(), f))
            .collect()
    } else {
        Vec::new()
    };
    let (mut file, problems) = FileReport::from_scan(display, language, &text, output, &lines);
    for (finding, code) in file.findings.iter_mut().zip(tracked) {
        finding.tracked = Some(code);
    }
    Outcome::Scanned(file, problems)
}

/// A "skipped" problem for a text file over `maxTextFileSize`, checked before reading it.
fn too_big(path: &Path, settings: &ScanSettings, display: &str) -> Option<Problem> {
    let len = std::fs::metadata(path).ok()?.len();
    let limit = settings.max_text_file_size;
    (len > u64::try_from(limit).unwrap_or(u64::MAX)).then(|| Problem {
        path: display.to_string(),
        kind: ProblemKind::Skipped,
        message: format!(
            "text file of {} KB, over the {} KB limit for secrets scanning \
             (--max-text-file-size)",
            len / 1024,
            limit / 1024
        ),
    })
}

/// A progress bar on stderr when `enabled` and stderr is a terminal; hidden otherwise.
fn progress_bar(len: u64, enabled: bool) -> ProgressBar {
    if !enabled || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr());
    if let Ok(style) =
        ProgressStyle::with_template("{spinner} scanning {pos}/{len} files {wide_bar} {eta}")
    {
        bar.set_style(style);
    }
    bar
}
