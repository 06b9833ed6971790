//! `--diff` and `--fix`: the preferred applicable fix of each finding, gathered per file.
//!
//! A finding contributes its first fix that is `Safe` (or also `Unsafe` with `--unsafe-fixes`;
//! `DisplayOnly` fixes never apply). A fix is taken whole or not at all: one whose edits overlap an
//! edit already taken is left for a later run, except that an edit identical to one already taken
//! (two fixes adding the same import) is shared. Findings in notebooks are not fixed (their edits
//! are cell-local, not offsets of the `.ipynb` file).

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use codeward::finding::{apply_edits, Applicability, Edit};
use codeward::report::{FileReport, Report};

/// The edits chosen for one file.
#[derive(Debug)]
pub struct FilePatch {
    /// The path as reported (relative to the working directory when under it).
    pub display: String,
    /// The file on disk.
    pub path: PathBuf,
    /// The fixes' edits, sorted, not overlapping.
    pub edits: Vec<Edit>,
    /// How many findings these edits fix.
    pub fixed: usize,
    /// Findings with an applicable fix left out because it overlapped another.
    pub deferred: usize,
}

/// Which fixes apply.
#[derive(Debug, Clone, Copy)]
pub struct FixPolicy {
    /// Also apply `Unsafe` fixes.
    pub unsafe_fixes: bool,
}

impl FixPolicy {
    fn allows(self, applicability: Applicability) -> bool {
        match applicability {
            Applicability::Safe => true,
            Applicability::Unsafe => self.unsafe_fixes,
            Applicability::DisplayOnly => false,
        }
    }
}

/// The patches of every file of `report` with at least one applicable fix.
pub fn collect(report: &Report, policy: FixPolicy) -> Vec<FilePatch> {
    report
        .files
        .iter()
        .filter_map(|file| patch_of(report, file, policy))
        .collect()
}

fn patch_of(report: &Report, file: &FileReport, policy: FixPolicy) -> Option<FilePatch> {
    let mut taken: Vec<Edit> = Vec::new();
    let mut fixed = 0;
    let mut deferred = 0;
    for finding in file.findings.iter().filter(|f| f.cell.is_none()) {
        let Some(fix) = finding
            .fixes
            .iter()
            .find(|f| policy.allows(f.applicability))
        else {
            continue;
        };
        let edits: Vec<Edit> = fix
            .edits
            .iter()
            .map(|e| Edit::replace(e.range.clone(), e.replacement.clone()))
            .collect();
        if edits.iter().any(|e| conflicts(e, &taken)) {
            deferred += 1;
            continue;
        }
        for edit in edits {
            if !taken.contains(&edit) {
                taken.push(edit);
            }
        }
        fixed += 1;
    }
    if taken.is_empty() {
        return None;
    }
    taken.sort_by_key(|e| (e.range.start, e.range.end));
    Some(FilePatch {
        display: file.display.clone(),
        path: report.root.join(&file.display),
        edits: taken,
        fixed,
        deferred,
    })
}

/// Whether `edit` cannot be applied together with `taken` (an identical edit is shared).
fn conflicts(edit: &Edit, taken: &[Edit]) -> bool {
    taken.iter().any(|t| {
        if t == edit {
            return false;
        }
        let (a, b) = (&edit.range, &t.range);
        let same_point = a.start == b.start && (a.is_empty() || b.is_empty());
        same_point || (a.start < b.end && b.start < a.end)
    })
}

/// A file's contents split into an optional UTF-8 byte-order mark and the text the scan saw.
pub struct Contents {
    /// The byte-order mark, kept when writing back.
    pub bom: bool,
    /// The text, without the byte-order mark.
    pub text: String,
}

/// Reads a file the way the scan did.
pub fn read(path: &Path) -> Result<Contents> {
    let bytes = fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let bom = bytes.starts_with(b"\xEF\xBB\xBF");
    let text = codeward::files::read::decode(bytes)
        .map_err(|reason| anyhow::anyhow!("cannot read {}: {reason}", path.display()))?;
    Ok(Contents { bom, text })
}

/// The patched text of a file, or an error if the file changed since the scan so the edits no
/// longer fit.
pub fn apply(patch: &FilePatch, contents: &Contents) -> Result<String> {
    match apply_edits(&contents.text, &patch.edits) {
        Some(text) => Ok(text),
        None => bail!(
            "{}: the file changed since it was scanned; fixes not applied",
            patch.display
        ),
    }
}

/// Writes the patched text back, keeping a byte-order mark and the file's permissions.
pub fn write(path: &Path, bom: bool, text: &str) -> Result<()> {
    let mut bytes = Vec::with_capacity(text.len() + 3);
    if bom {
        bytes.extend_from_slice(b"\xEF\xBB\xBF");
    }
    bytes.extend_from_slice(text.as_bytes());
    fs::write(path, bytes).with_context(|| format!("cannot write {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overlapping_edits_conflict_identical_ones_are_shared() {
        let taken = vec![Edit::insert(0, "import x\n"), Edit::replace(10..20, "a")];
        assert!(!conflicts(&Edit::insert(0, "import x\n"), &taken));
        assert!(conflicts(&Edit::insert(0, "import y\n"), &taken));
        assert!(conflicts(&Edit::replace(15..25, "b"), &taken));
        assert!(!conflicts(&Edit::replace(20..25, "b"), &taken));
        assert!(conflicts(&Edit::insert(15, "c"), &taken));
    }

    #[test]
    fn policy_never_applies_display_only() {
        let safe_only = FixPolicy {
            unsafe_fixes: false,
        };
        let all = FixPolicy { unsafe_fixes: true };
        assert!(safe_only.allows(Applicability::Safe));
        assert!(!safe_only.allows(Applicability::Unsafe));
        assert!(all.allows(Applicability::Unsafe));
        assert!(!all.allows(Applicability::DisplayOnly));
    }
}
