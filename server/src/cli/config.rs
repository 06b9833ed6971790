//! Scan settings from a file: `codeward.toml`, or the `[tool.codeward]` table of `pyproject.toml`,
//! found in the first scanned path's directory or the nearest parent that has one (`codeward.toml`
//! wins over `pyproject.toml` in the same directory). Keys are the long flags of `codeward scan`;
//! a flag given on the command line wins over the file.
//!
//! ```toml
//! format = "sarif"               # text | json | sarif | gitlab-sast
//! fail-on-severity = "high"      # critical | high | medium | low | info | never
//! analysis-type = "all"          # security | all
//! scan-type = "standard"         # express | standard
//! min-severity = "low"
//! disable = ["python/insecure-hashing"]
//! include = ["src/**"]           # globs relative to the file's directory
//! exclude = ["**/tests/**"]
//! unsafe-fixes = false
//! db = ".codeward/findings.db"  # tracking database (scan --scan-name, findings, metrics, report),
//!                               # relative to the file's directory
//! ```

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{anyhow, Context, Result};
use serde::Deserialize;

use super::{AnalysisArg, FailOn, FormatArg, ScanTypeArg, SeverityArg};

/// Settings read from a configuration file; every key is optional.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct FileConfig {
    /// `--format`.
    pub format: Option<FormatArg>,
    /// `--fail-on-severity`.
    pub fail_on_severity: Option<FailOn>,
    /// `--analysis-type`.
    pub analysis_type: Option<AnalysisArg>,
    /// `--scan-type`.
    pub scan_type: Option<ScanTypeArg>,
    /// `--min-severity`.
    pub min_severity: Option<SeverityArg>,
    /// `--disable`, added to the command line's.
    #[serde(default)]
    pub disable: Vec<String>,
    /// `--include`, relative to the file's directory.
    #[serde(default)]
    pub include: Vec<String>,
    /// `--exclude`, relative to the file's directory.
    #[serde(default)]
    pub exclude: Vec<String>,
    /// `--unsafe-fixes`.
    pub unsafe_fixes: Option<bool>,
    /// `--db`, relative to the file's directory.
    pub db: Option<PathBuf>,
}

/// A configuration file that was found and read.
#[derive(Debug)]
pub struct Loaded {
    /// The file it came from.
    pub path: PathBuf,
    /// Its settings.
    pub config: FileConfig,
}

impl Loaded {
    /// The directory relative globs in the file refer to.
    pub fn base(&self) -> &Path {
        self.path.parent().unwrap_or(Path::new("."))
    }
}

/// Reads `explicit` if given, else searches upward from `start` (a scanned path).
pub fn load(explicit: Option<&Path>, start: Option<&Path>) -> Result<Option<Loaded>> {
    if let Some(path) = explicit {
        let path = fs::canonicalize(path)
            .with_context(|| format!("cannot read the configuration file {}", path.display()))?;
        let is_pyproject = path.file_name().is_some_and(|n| n == "pyproject.toml");
        let Some(config) = read(&path, is_pyproject)? else {
            return Err(anyhow!("{}: no [tool.codeward] table", path.display()));
        };
        return Ok(Some(Loaded { path, config }));
    }
    let Some(start) = start else {
        return Ok(None);
    };
    let start = match fs::canonicalize(start) {
        Ok(path) => path,
        // A missing path is reported by the scan itself.
        Err(_) => return Ok(None),
    };
    let first_dir = if start.is_dir() {
        Some(start.as_path())
    } else {
        start.parent()
    };
    for dir in first_dir.into_iter().flat_map(Path::ancestors) {
        for (name, is_pyproject) in [("codeward.toml", false), ("pyproject.toml", true)] {
            let path = dir.join(name);
            if path.is_file() {
                if let Some(config) = read(&path, is_pyproject)? {
                    return Ok(Some(Loaded { path, config }));
                }
            }
        }
    }
    Ok(None)
}

/// Parses one file; `None` for a `pyproject.toml` without `[tool.codeward]`.
fn read(path: &Path, is_pyproject: bool) -> Result<Option<FileConfig>> {
    let text = fs::read_to_string(path)
        .with_context(|| format!("cannot read the configuration file {}", path.display()))?;
    parse(&text, is_pyproject).map_err(|err| anyhow!("{}: {err}", path.display()))
}

/// Parses configuration text (`codeward.toml`, or a whole `pyproject.toml`).
pub fn parse(text: &str, is_pyproject: bool) -> Result<Option<FileConfig>, String> {
    if !is_pyproject {
        return toml::from_str(text).map(Some).map_err(|e| e.to_string());
    }
    // Only `[tool.codeward]` is read; the rest of the file is not ours to judge.
    let document: Pyproject =
        toml::from_str(text).map_err(|e| format!("in [tool.codeward]: {e}"))?;
    Ok(document.tool.and_then(|tool| tool.codeward))
}

/// The part of `pyproject.toml` we read.
#[derive(Deserialize)]
struct Pyproject {
    tool: Option<PyprojectTool>,
}

/// `[tool]` of `pyproject.toml`.
#[derive(Deserialize)]
struct PyprojectTool {
    codeward: Option<FileConfig>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_codeward_toml_and_pyproject() {
        let config = parse(
            "format = \"gitlab-sast\"\nfail-on-severity = \"high\"\nexclude = [\"tests/**\"]\n",
            false,
        )
        .expect("valid")
        .expect("present");
        assert_eq!(config.format, Some(FormatArg::GitlabSast));
        assert_eq!(config.fail_on_severity, Some(FailOn::High));
        assert_eq!(config.exclude, ["tests/**"]);

        let py = "[project]\nname = \"x\"\n[tool.codeward]\nanalysis-type = \"all\"\n";
        let config = parse(py, true).expect("valid").expect("present");
        assert_eq!(config.analysis_type, Some(AnalysisArg::All));
        assert!(parse("[project]\nname = \"x\"\n", true)
            .expect("valid")
            .is_none());
    }

    #[test]
    fn errors_name_the_key() {
        let err = parse("fail-on-severity = \"urgent\"\n", false).expect_err("bad value");
        assert!(err.contains("fail-on-severity"), "{err}");
        let err = parse("colour = true\n", false).expect_err("unknown key");
        assert!(err.contains("colour"), "{err}");
        let err = parse("[tool.codeward]\nscan-type = 3\n", true).expect_err("bad type");
        assert!(err.contains("tool.codeward"), "{err}");
    }
}
