//! Listing the files of a workspace scan with the same rules as `codeward scan`'s walker (both use
//! [`crate::files`]): `.gitignore`, `.ignore` and git's exclude files are honoured (also outside a
//! git repository), hidden directories are skipped but hidden files (`.env`) are not, symbolic
//! links are not followed; code, notebooks and other text files are taken, lock files and binary
//! types are not.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use crate::files::{self, FileKind};

/// Whether a file of this kind is scanned by a workspace scan.
fn scanned(kind: FileKind) -> bool {
    kind.language().is_some()
}

/// The files under `folders` a workspace scan takes, sorted per folder, without duplicates.
/// Stops early (with what it has) when `cancel` is set.
pub fn files(folders: &[PathBuf], cancel: &AtomicBool) -> Vec<(PathBuf, FileKind)> {
    let mut found = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for folder in folders {
        for entry in files::walker(folder).build() {
            if cancel.load(Ordering::Relaxed) {
                return found;
            }
            let Ok(entry) = entry else {
                continue;
            };
            if !entry.file_type().is_some_and(|t| t.is_file()) {
                continue;
            }
            let kind = files::classify(entry.path());
            if scanned(kind) && seen.insert(entry.path().to_path_buf()) {
                found.push((entry.into_path(), kind));
            }
        }
    }
    found
}

/// Whether `path` is a file a workspace scan of `folders` would take, and as what: inside a
/// folder, of a scanned kind, and not ignored in its directory. (The check lists the file's own
/// directory, honouring the ignore files of that directory and its parents; a file inside an
/// ignored directory is only excluded when that directory's own entry is matched, as
/// `.gitignore` rules like `build/` are.)
pub fn takes(folders: &[PathBuf], path: &Path) -> Option<FileKind> {
    let kind = files::classify(path);
    if !scanned(kind) {
        return None;
    }
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
        let listed = files::walker(parent)
            .max_depth(Some(1))
            .build()
            .filter_map(Result::ok)
            .any(|e| e.path() == item && !e.path_is_symlink());
        if !listed {
            return None;
        }
    }
    Some(kind)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::Language;

    #[test]
    fn takes_and_files_honour_gitignore() {
        let root = std::env::temp_dir().join(format!("codeward-walk-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        for (path, text) in [
            (".gitignore", "build/\nskip.py\n"),
            (".env", "TOKEN=x\n"),
            ("a.py", "x = 1\n"),
            ("n.ipynb", "{}\n"),
            ("src/b.js", "x;\n"),
            ("build/c.py", "x = 1\n"),
            (".cache/d.py", "x = 1\n"),
            ("skip.py", "x = 1\n"),
            ("notes.txt", "x\n"),
            ("yarn.lock", "x\n"),
            ("logo.png", "x\n"),
        ] {
            let full = root.join(path);
            std::fs::create_dir_all(full.parent().expect("parent")).expect("mkdir");
            std::fs::write(full, text).expect("write");
        }
        let folders = vec![root.clone()];
        let listed: Vec<(PathBuf, FileKind)> = files(&folders, &AtomicBool::new(false));
        let code = |l| FileKind::Code(l);
        assert_eq!(
            listed,
            vec![
                (root.join(".env"), FileKind::Text),
                (root.join(".gitignore"), FileKind::Text),
                (root.join("a.py"), code(Language::Python)),
                (root.join("n.ipynb"), FileKind::Notebook),
                (root.join("notes.txt"), FileKind::Text),
                (root.join("src/b.js"), code(Language::JavaScript)),
            ]
        );
        assert_eq!(
            takes(&folders, &root.join("a.py")),
            Some(code(Language::Python))
        );
        assert_eq!(
            takes(&folders, &root.join("src/b.js")),
            Some(code(Language::JavaScript))
        );
        assert_eq!(takes(&folders, &root.join(".env")), Some(FileKind::Text));
        assert_eq!(
            takes(&folders, &root.join("n.ipynb")),
            Some(FileKind::Notebook)
        );
        assert_eq!(takes(&folders, &root.join("build/c.py")), None);
        assert_eq!(takes(&folders, &root.join(".cache/d.py")), None);
        assert_eq!(takes(&folders, &root.join("skip.py")), None);
        assert_eq!(takes(&folders, &root.join("yarn.lock")), None);
        assert_eq!(takes(&folders, &root.join("logo.png")), None);
        assert_eq!(takes(&folders, Path::new("/elsewhere/a.py")), None);
        let _ = std::fs::remove_dir_all(&root);
    }
}
