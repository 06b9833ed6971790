//! Listing the files of a workspace scan, with the same rules as `codeward scan`'s walker
//! (`cli/walk.rs`): `.gitignore`, `.ignore` and git's exclude files are honoured (also outside a
//! git repository), hidden files and directories are skipped, symbolic links are not followed.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use crate::lang::Language;

/// A walker over `dir` configured like the CLI's.
fn builder(dir: &Path) -> ignore::WalkBuilder {
    let mut builder = ignore::WalkBuilder::new(dir);
    builder
        .hidden(true)
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

/// The supported files under `folders`, sorted per folder, without duplicates. Stops early (with
/// what it has) when `cancel` is set.
pub fn files(folders: &[PathBuf], cancel: &AtomicBool) -> Vec<(PathBuf, Language)> {
    let mut files = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for folder in folders {
        for entry in builder(folder).build() {
            if cancel.load(Ordering::Relaxed) {
                return files;
            }
            let Ok(entry) = entry else {
                continue;
            };
            if !entry.file_type().is_some_and(|t| t.is_file()) {
                continue;
            }
            if let Some(language) = Language::from_path(entry.path()) {
                if seen.insert(entry.path().to_path_buf()) {
                    files.push((entry.into_path(), language));
                }
            }
        }
    }
    files
}

/// Whether `path` is a file a workspace scan of `folders` would take: inside a folder, supported,
/// and not ignored in its directory. (The check lists the file's own directory, honouring the
/// ignore files of that directory and its parents; a file inside an ignored directory is only
/// excluded when that directory's own entry is matched, as `.gitignore` rules like `build/` are.)
pub fn takes(folders: &[PathBuf], path: &Path) -> Option<Language> {
    let language = Language::from_path(path)?;
    let folder = folders.iter().find(|f| path.starts_with(f))?;
    // Every directory between the folder and the file must itself be walked.
    let mut dir = path.parent()?;
    let mut chain = vec![path];
    while dir != folder.as_path() {
        chain.push(dir);
        dir = dir.parent()?;
    }
    for item in chain.into_iter().rev() {
        let parent = item.parent()?;
        let listed = builder(parent)
            .max_depth(Some(1))
            .build()
            .filter_map(Result::ok)
            .any(|e| e.path() == item);
        if !listed {
            return None;
        }
    }
    Some(language)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn takes_and_files_honour_gitignore() {
        let root = std::env::temp_dir().join(format!("codeward-walk-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        for (path, text) in [
            (".gitignore", "build/\nskip.py\n"),
            ("a.py", "x = 1\n"),
            ("src/b.js", "x;\n"),
            ("build/c.py", "x = 1\n"),
            ("skip.py", "x = 1\n"),
            ("notes.txt", "x\n"),
        ] {
            let full = root.join(path);
            std::fs::create_dir_all(full.parent().expect("parent")).expect("mkdir");
            std::fs::write(full, text).expect("write");
        }
        let folders = vec![root.clone()];
        let listed: Vec<PathBuf> = files(&folders, &AtomicBool::new(false))
            .into_iter()
            .map(|(p, _)| p)
            .collect();
        assert_eq!(listed, vec![root.join("a.py"), root.join("src/b.js")]);
        assert_eq!(takes(&folders, &root.join("a.py")), Some(Language::Python));
        assert_eq!(
            takes(&folders, &root.join("src/b.js")),
            Some(Language::JavaScript)
        );
        assert_eq!(takes(&folders, &root.join("build/c.py")), None);
        assert_eq!(takes(&folders, &root.join("skip.py")), None);
        assert_eq!(takes(&folders, &root.join("notes.txt")), None);
        assert_eq!(takes(&folders, Path::new("/elsewhere/a.py")), None);
        let _ = std::fs::remove_dir_all(&root);
    }
}
