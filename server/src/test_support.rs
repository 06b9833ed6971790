//! Helpers shared by the crate's unit tests.

use std::path::PathBuf;

/// Every Python fixture (not the `.fixed` ones) with its text, sorted by path.
pub(crate) fn python_fixtures() -> Vec<(PathBuf, String)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/python");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("fixtures")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "py"))
        .filter(|p| !p.to_string_lossy().contains(".fixed"))
        .collect();
    files.sort();
    files
        .into_iter()
        .filter_map(|path| Some((path.clone(), std::fs::read_to_string(&path).ok()?)))
        .collect()
}

/// Where keystrokes go in the fixture tests: the first column of every second indented line
/// (inside definitions, mostly).
pub(crate) fn every_second_indented_line(text: &str) -> Vec<usize> {
    text.match_indices("\n    ")
        .map(|(at, _)| at + 5)
        .step_by(2)
        .collect()
}

/// What the fixture tests type at each of those places: a keystroke, a new line, a comment.
pub(crate) const KEYSTROKES: [&str; 3] = ["x", "\n    ", "# c\n    "];
