//! Which files a scan takes and how, shared by `codeward scan` and the LSP workspace scan:
//! classifying a path ([`classify`]), the directory walker's rules ([`walker`]) and reading a file
//! as text ([`read`]).
//!
//! Code files are scanned in their language, Jupyter notebooks (`.ipynb`) as notebooks, and every
//! other file as text for the secrets detectors, except lock files (reported as skipped) and
//! binary types (counted, not read).

pub mod kind;
pub mod read;

use std::path::Path;

use crate::lang::Language;
use crate::notebook::ipynb;

/// How a file found by a walk is scanned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// Code in a language we parse.
    Code(Language),
    /// A Jupyter notebook: its code cells are scanned as one Python program.
    Notebook,
    /// Any other text file: scanned by the secrets detectors.
    Text,
    /// A package manager's lock file: generated, not scanned.
    LockFile,
    /// A binary format, judged by its extension: not read.
    Binary,
}

impl FileKind {
    /// The language the file is scanned in, or `None` when it is not scanned.
    pub fn language(self) -> Option<Language> {
        match self {
            Self::Code(language) => Some(language),
            Self::Notebook => Some(Language::Python),
            Self::Text => Some(Language::Text),
            Self::LockFile | Self::Binary => None,
        }
    }
}

/// How a file is scanned, judged by its name alone.
pub fn classify(path: &Path) -> FileKind {
    if let Some(language) = Language::from_path(path) {
        FileKind::Code(language)
    } else if ipynb::is_notebook_path(path) {
        FileKind::Notebook
    } else if kind::is_binary_type(path) {
        FileKind::Binary
    } else if kind::is_lock_file(path) {
        FileKind::LockFile
    } else {
        FileKind::Text
    }
}

/// A walker over `dir` with the rules every scan uses: `.gitignore`, `.ignore` and git's exclude
/// files are honoured (also outside a git repository); hidden directories (`.git`, `.venv`,
/// caches) below `dir` are skipped but hidden files (`.env`, `.npmrc`: where secrets live) are
/// not; symbolic links are not followed (a link is neither a file nor a directory to the walk);
/// entries are sorted by path.
pub fn walker(dir: &Path) -> ignore::WalkBuilder {
    let mut builder = ignore::WalkBuilder::new(dir);
    builder
        .hidden(false)
        .filter_entry(|entry| !is_hidden_dir(entry))
        .git_ignore(true)
        .git_exclude(true)
        .git_global(true)
        .ignore(true)
        .parents(true)
        .require_git(false)
        .follow_links(false)
        .sort_by_file_path(|a, b| a.cmp(b));
    builder
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_code_notebooks_text_locks_and_binaries() {
        assert_eq!(
            classify(Path::new("a/b.py")),
            FileKind::Code(Language::Python)
        );
        assert_eq!(classify(Path::new("x.TSX")), FileKind::Code(Language::Tsx));
        assert_eq!(classify(Path::new("n.ipynb")), FileKind::Notebook);
        assert_eq!(classify(Path::new(".env")), FileKind::Text);
        assert_eq!(classify(Path::new("Dockerfile")), FileKind::Text);
        assert_eq!(classify(Path::new("yarn.lock")), FileKind::LockFile);
        assert_eq!(classify(Path::new("logo.png")), FileKind::Binary);
        assert_eq!(FileKind::Notebook.language(), Some(Language::Python));
        assert_eq!(FileKind::Text.language(), Some(Language::Text));
        assert_eq!(FileKind::Binary.language(), None);
    }

    #[test]
    fn walker_takes_hidden_files_but_not_hidden_directories() {
        let root = std::env::temp_dir().join(format!("codeward-files-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        for path in [".env", "a.py", ".venv/lib.py", "sub/.npmrc"] {
            let full = root.join(path);
            std::fs::create_dir_all(full.parent().expect("parent")).expect("mkdir");
            std::fs::write(full, "x\n").expect("write");
        }
        let found: Vec<_> = walker(&root)
            .build()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_some_and(|t| t.is_file()))
            .map(|e| e.path().strip_prefix(&root).map(Path::to_path_buf))
            .filter_map(Result::ok)
            .collect();
        let _ = std::fs::remove_dir_all(&root);
        assert_eq!(
            found,
            [".env", "a.py", "sub/.npmrc"]
                .map(std::path::PathBuf::from)
                .to_vec()
        );
    }
}
