//! `--include` / `--exclude`: glob filters on the files to scan.
//!
//! A glob is matched against the file's path relative to a base directory (the working directory
//! for command-line globs, the configuration file's directory for its globs), with `/` separators;
//! `*` does not cross `/`, `**` does. A glob without `/` is matched against the file name alone
//! (`*.test.js`). A file is scanned when it matches an include glob (or none is given) and no
//! exclude glob. Files named on the command line are filtered too.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use globset::{Glob, GlobBuilder, GlobSet, GlobSetBuilder};

/// Compiled globs with the directory they are relative to.
#[derive(Debug)]
struct Globs {
    base: PathBuf,
    paths: GlobSet,
    names: GlobSet,
}

impl Globs {
    fn new(base: &Path, patterns: &[String], what: &str) -> Result<Self> {
        let mut paths = GlobSetBuilder::new();
        let mut names = GlobSetBuilder::new();
        for pattern in patterns {
            let glob =
                compile(pattern).with_context(|| format!("invalid {what} glob `{pattern}`"))?;
            if pattern.contains('/') {
                paths.add(glob);
            } else {
                names.add(glob);
            }
        }
        Ok(Self {
            base: base.to_path_buf(),
            paths: paths.build().context("cannot compile the globs")?,
            names: names.build().context("cannot compile the globs")?,
        })
    }

    fn matches(&self, absolute: &Path) -> bool {
        let name = absolute.file_name().map(Path::new);
        if name.is_some_and(|n| self.names.is_match(n)) {
            return true;
        }
        let Ok(relative) = absolute.strip_prefix(&self.base) else {
            return false;
        };
        let relative = relative.to_string_lossy().replace('\\', "/");
        self.paths.is_match(relative.trim_start_matches("./"))
    }

    fn is_empty(&self) -> bool {
        self.paths.is_empty() && self.names.is_empty()
    }
}

fn compile(pattern: &str) -> Result<Glob, globset::Error> {
    GlobBuilder::new(pattern.trim_start_matches("./"))
        .literal_separator(true)
        .build()
}

/// Include and exclude globs from the command line and a configuration file.
#[derive(Debug, Default)]
pub struct Filter {
    include: Vec<Globs>,
    exclude: Vec<Globs>,
}

impl Filter {
    /// Adds `include` and `exclude` globs relative to `base`.
    pub fn add(&mut self, base: &Path, include: &[String], exclude: &[String]) -> Result<()> {
        let include = Globs::new(base, include, "include")?;
        if !include.is_empty() {
            self.include.push(include);
        }
        let exclude = Globs::new(base, exclude, "exclude")?;
        if !exclude.is_empty() {
            self.exclude.push(exclude);
        }
        Ok(())
    }

    /// Whether the file at `absolute` is scanned.
    pub fn keeps(&self, absolute: &Path) -> bool {
        (self.include.is_empty() || self.include.iter().any(|g| g.matches(absolute)))
            && !self.exclude.iter().any(|g| g.matches(absolute))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn includes_and_excludes() {
        let mut filter = Filter::default();
        filter
            .add(
                Path::new("/repo"),
                &["src/**".into()],
                &["*_test.py".into(), "src/vendor/**".into()],
            )
            .expect("valid globs");
        assert!(filter.keeps(Path::new("/repo/src/app.py")));
        assert!(filter.keeps(Path::new("/repo/src/a/b.py")));
        assert!(!filter.keeps(Path::new("/repo/lib/app.py")));
        assert!(!filter.keeps(Path::new("/repo/src/app_test.py")));
        assert!(!filter.keeps(Path::new("/repo/src/vendor/x.py")));
        assert!(Filter::default().keeps(Path::new("/anything.py")));
    }

    #[test]
    fn a_bad_glob_is_named() {
        let err = Filter::default()
            .add(Path::new("/"), &["src/[".into()], &[])
            .expect_err("bad glob");
        assert!(format!("{err:#}").contains("src/["), "{err:#}");
    }
}
