//! The analysis layer: per-file semantic facts built once per parse and shared by all detectors.
//!
//! Each language module walks its tree once and produces [`Facts`]: import/alias bindings, call
//! sites resolved to qualified names with their argument values (constant strings, taint), and
//! attribute stores. Taint is intra-procedural and flow-sensitive, with summaries of functions
//! defined in the same file.

mod facts;
pub mod java;
pub mod javascript;
pub mod python;
mod taint;

pub use facts::{Arg, Call, CallKind, Constant, Facts, Imports, Store, Value};
pub use taint::{Origin, SinkKind, SinkSet, SourceKind, Taint};

use tree_sitter::Tree;

use crate::lang::Language;

/// Builds the facts of a parsed file. Plain text has none.
pub fn analyze(language: Language, source: &str, tree: &Tree) -> Facts {
    match language {
        Language::Python => python::analyze(source, tree),
        Language::Java => java::analyze(source, tree),
        Language::JavaScript | Language::TypeScript | Language::Tsx => {
            javascript::analyze_as(language, source, tree)
        }
        Language::Text => Facts::default(),
    }
}
