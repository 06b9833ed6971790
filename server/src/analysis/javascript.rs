//! Javascript analysis: imports, call sites, constants and taint.

use tree_sitter::Tree;

use super::Facts;

/// Builds the facts of a Javascript file.
pub fn analyze(_source: &str, _tree: &Tree) -> Facts {
    Facts::default()
}
