//! How paths are shown: relative to the report root (the working directory) with `/` separators
//! when a file is under it, absolute otherwise. The same string becomes a SARIF artifact URI.

use std::path::{Component, Path, PathBuf};

/// Turns paths into absolute paths and display strings relative to a root.
#[derive(Debug, Clone)]
pub struct Paths {
    root: PathBuf,
}

impl Paths {
    /// Paths relative to `root` (an absolute directory).
    pub fn new(root: PathBuf) -> Self {
        Self { root }
    }

    /// The root.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// `path` made absolute against the root and lexically normalised (`.` and `..` resolved
    /// without touching the file system, so symlinks are not followed).
    pub fn absolute(&self, path: &Path) -> PathBuf {
        let joined = if path.is_absolute() {
            path.to_path_buf()
        } else {
            self.root.join(path)
        };
        let mut out = PathBuf::new();
        for component in joined.components() {
            match component {
                Component::CurDir => {}
                Component::ParentDir => {
                    out.pop();
                }
                other => out.push(other),
            }
        }
        out
    }

    /// The display form of `path`.
    pub fn display(&self, path: &Path) -> String {
        let absolute = self.absolute(path);
        match absolute.strip_prefix(&self.root) {
            Ok(relative) if !relative.as_os_str().is_empty() => relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/"),
            _ => absolute.to_string_lossy().into_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_under_root_absolute_elsewhere() {
        let paths = Paths::new(PathBuf::from("/work/repo"));
        assert_eq!(paths.display(Path::new("./src/../app.py")), "app.py");
        assert_eq!(paths.display(Path::new("/work/repo/a/b.py")), "a/b.py");
        assert_eq!(
            paths.display(Path::new("../other/c.py")),
            "/work/other/c.py"
        );
        assert_eq!(paths.display(Path::new(".")), "/work/repo");
    }
}
