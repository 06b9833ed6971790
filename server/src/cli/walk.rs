//! Finding the files to scan: directories are walked with `ignore` (`.gitignore`, `.ignore` and
//! git's exclude files are honoured, also outside a git repository; hidden directories, `.git`
//! included, are skipped, hidden files such as `.env` are not; symbolic links found in a
//! directory are reported as skipped, never followed); a file named on the command line is
//! always taken. Files that are not Python, Java, JavaScript or notebooks are scanned as text
//! (secrets), except lock files and binary types. The rules are shared with the LSP workspace
//! scan ([`codeward::files`]).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use codeward::files::{self, FileKind};
use codeward::lang::Language;
use codeward::report::{Problem, ProblemKind};

use super::paths::Paths;

/// Why a symbolic link found in a directory is not scanned.
pub const SYMLINK: &str = "symbolic link (not followed)";

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
    /// Directories or entries the walk could not read, and symbolic links (never followed).
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
    let kind = files::classify(path);
    let language = match kind {
        _ if named => kind.language().unwrap_or(Language::Text),
        FileKind::Binary => {
            others.insert(key);
            return;
        }
        FileKind::LockFile => {
            if seen.insert(key) {
                walked.skipped.push(Problem {
                    path: paths.display(path),
                    kind: ProblemKind::Skipped,
                    message: "lock file (generated; not scanned for secrets)".into(),
                });
            }
            return;
        }
        other => other.language().unwrap_or(Language::Text),
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
    let walker = files::walker(dir).build();
    for entry in walker {
        match entry {
            // Links are never followed (a link to `/` or a loop would take the scan outside
            // the tree or round in circles); they are reported so every entry is accounted for.
            Ok(entry) if entry.depth() > 0 && entry.path_is_symlink() => {
                walked.skipped.push(Problem {
                    path: paths.display(entry.path()),
                    kind: ProblemKind::Skipped,
                    message: SYMLINK.into(),
                });
            }
            Ok(entry) => {
                if entry.file_type().is_some_and(|t| t.is_file()) {
                    add_file(entry.path(), false, paths, walked, seen, others);
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
