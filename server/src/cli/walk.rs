//! Finding the files to scan: directories are walked with `ignore` (`.gitignore`, `.ignore` and
//! git's exclude files are honoured, also outside a git repository; hidden files and directories,
//! `.git` included, are skipped); a file named on the command line is always taken.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use codeward::lang::Language;
use codeward::report::{Problem, ProblemKind};

use super::paths::Paths;

/// The files found under the path arguments.
#[derive(Debug, Default)]
pub struct Walked {
    /// Files in a language we scan, deduplicated and sorted by path.
    pub sources: Vec<(PathBuf, Language)>,
    /// Other files: counted, not scanned (they are for the secrets detectors to come).
    pub others: usize,
    /// Path arguments that do not exist or cannot be accessed.
    pub missing: Vec<Problem>,
    /// Directories or entries the walk could not read.
    pub skipped: Vec<Problem>,
}

/// Collects the files under `args`.
pub fn collect(args: &[PathBuf], paths: &Paths) -> Walked {
    let mut walked = Walked::default();
    let mut seen = BTreeSet::new();
    let mut others = BTreeSet::new();
    for arg in args {
        match std::fs::metadata(arg) {
            Err(err) => walked.missing.push(Problem {
                path: paths.display(arg),
                kind: ProblemKind::Missing,
                message: err.to_string(),
            }),
            Ok(meta) if meta.is_dir() => walk_dir(arg, paths, &mut walked, &mut seen, &mut others),
            Ok(_) => add_file(arg, paths, &mut walked, &mut seen, &mut others),
        }
    }
    walked.others = others.len();
    walked
}

fn add_file(
    path: &Path,
    paths: &Paths,
    walked: &mut Walked,
    seen: &mut BTreeSet<PathBuf>,
    others: &mut BTreeSet<PathBuf>,
) {
    let key = paths.absolute(path);
    match Language::from_path(path).or_else(|| super::notebook::language_of(path)) {
        Some(language) => {
            if seen.insert(key) {
                walked.sources.push((path.to_path_buf(), language));
            }
        }
        None => {
            others.insert(key);
        }
    }
}

fn walk_dir(
    dir: &Path,
    paths: &Paths,
    walked: &mut Walked,
    seen: &mut BTreeSet<PathBuf>,
    others: &mut BTreeSet<PathBuf>,
) {
    let walker = ignore::WalkBuilder::new(dir)
        .hidden(true)
        .git_ignore(true)
        .git_exclude(true)
        .git_global(true)
        .ignore(true)
        .parents(true)
        .require_git(false)
        .follow_links(false)
        .sort_by_file_path(|a, b| a.cmp(b))
        .build();
    for entry in walker {
        match entry {
            Ok(entry) => {
                if entry.file_type().is_some_and(|t| t.is_file()) {
                    add_file(entry.path(), paths, walked, seen, others);
                }
            }
            Err(err) => walked.skipped.push(walk_problem(dir, &err, paths)),
        }
    }
}

/// A walk error as a "skipped" problem on the path it concerns.
fn walk_problem(dir: &Path, err: &ignore::Error, paths: &Paths) -> Problem {
    let path = error_path(err).unwrap_or(dir);
    let message = match err.io_error() {
        Some(io) => io.to_string(),
        None => err.to_string(),
    };
    Problem {
        path: paths.display(path),
        kind: ProblemKind::Skipped,
        message,
    }
}

fn error_path(err: &ignore::Error) -> Option<&Path> {
    match err {
        ignore::Error::WithPath { path, .. } => Some(path),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            error_path(err)
        }
        _ => None,
    }
}
