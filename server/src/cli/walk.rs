//! Finding the files to scan: directories are walked with `ignore` (`.gitignore`, `.ignore` and
//! git's exclude files are honoured, also outside a git repository; hidden directories, `.git`
//! included, are skipped, hidden files such as `.env` are not); a file named on the command line
//! is always taken. Files that are not Python, Java or JavaScript are scanned as text (secrets),
//! except lock files and binary types (see [`kind`](super::kind)).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use codeward::lang::Language;
use codeward::report::{Problem, ProblemKind};

use super::kind;
use super::paths::Paths;

/// The files found under the path arguments.
#[derive(Debug, Default)]
pub struct Walked {
    /// Files in a language we scan, deduplicated and sorted by path.
    pub sources: Vec<(PathBuf, Language)>,
    /// Files of binary types (images, archives, fonts, compiled code: judged by extension):
    /// counted, not scanned.
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
            Ok(_) => add_file(arg, true, paths, &mut walked, &mut seen, &mut others),
        }
    }
    walked.others = others.len();
    walked
}

/// Takes one file: code in its language; any other file as text for the secrets detectors,
/// except lock files (reported as skipped) and binary types (counted) unless `named` on the
/// command line.
fn add_file(
    path: &Path,
    named: bool,
    paths: &Paths,
    walked: &mut Walked,
    seen: &mut BTreeSet<PathBuf>,
    others: &mut BTreeSet<PathBuf>,
) {
    let key = paths.absolute(path);
    let language = match Language::from_path(path).or_else(|| super::notebook::language_of(path)) {
        Some(language) => language,
        None if named => Language::Text,
        None if kind::is_binary_type(path) => {
            others.insert(key);
            return;
        }
        None if kind::is_lock_file(path) => {
            if seen.insert(key) {
                walked.skipped.push(Problem {
                    path: paths.display(path),
                    kind: ProblemKind::Skipped,
                    message: "lock file (generated; not scanned for secrets)".into(),
                });
            }
            return;
        }
        None => Language::Text,
    };
    if seen.insert(key) {
        walked.sources.push((path.to_path_buf(), language));
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
        // Hidden files (`.env`, `.npmrc`) are where secrets live; hidden directories (`.git`,
        // `.venv`, caches) are skipped.
        .hidden(false)
        .filter_entry(|entry| !is_hidden_dir(entry))
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
                    add_file(entry.path(), false, paths, walked, seen, others);
                }
            }
            Err(err) => walked.skipped.push(walk_problem(dir, &err, paths)),
        }
    }
}

/// A hidden directory below the walk's root (the root itself is always walked).
fn is_hidden_dir(entry: &ignore::DirEntry) -> bool {
    entry.depth() > 0
        && entry.file_type().is_some_and(|t| t.is_dir())
        && entry
            .file_name()
            .to_str()
            .is_some_and(|n| n.starts_with('.'))
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
