//! The analysis layer: per-file semantic facts built once per parse and shared by all detectors.
//!
//! Each language module walks its tree once and produces [`Facts`]: import/alias bindings, call
//! sites resolved to qualified names with their argument values (constant strings, taint), and
//! attribute stores. Taint is intra-procedural and flow-sensitive, with summaries of functions
//! defined in the same file.

mod facts;
pub mod garbage;
pub mod incremental;
pub mod java;
pub mod javascript;
pub mod python;
mod taint;

pub use facts::{
    first_segment, join_dotted, last_segment, split_first_dot, split_last_dot, Arg, Call, CallKind,
    Constant, Facts, Imports, Store, Value,
};
pub use taint::{Origin, SinkKind, SinkSet, SourceKind, Taint};

use tree_sitter::{Node, Tree};

use crate::lang::{Language, TreeIndex};

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

/// The node index the analysis of `language` walks the tree for, when it uses one (Python): built
/// by the caller, it is handed to [`analyze_indexed`] and then to the detectors, so the tree is
/// walked once for both.
pub fn index_for(language: Language, tree: &Tree) -> Option<TreeIndex<'_>> {
    (language == Language::Python).then(|| python::index(tree))
}

/// [`analyze`] with the index [`index_for`] built.
pub fn analyze_indexed<'t>(
    language: Language,
    source: &str,
    tree: &'t Tree,
    index: &TreeIndex<'t>,
) -> Facts {
    match language {
        Language::Python => python::analyze_indexed(source, tree, index),
        _ => analyze(language, source, tree),
    }
}

/// What the analysis of one document keeps between its versions, so the next analysis redoes
/// only what an edit can affect. Any cache may be used with any text: the analysis finds what
/// changed by comparing texts, and a cache of another language or document only costs a miss.
#[derive(Debug, Default)]
pub struct AnalysisCache {
    python: Option<python::Memo>,
    /// How many analyses used this cache.
    generation: u64,
}

impl AnalysisCache {
    /// How many function bodies it remembers.
    pub fn len(&self) -> usize {
        self.python.as_ref().map_or(0, python::Memo::len)
    }

    /// Whether it remembers nothing.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// How many function bodies (per pass) the last analysis replayed and how many it
    /// interpreted.
    pub fn stats(&self) -> (usize, usize) {
        self.python.as_ref().map_or((0, 0), python::Memo::stats)
    }

    /// Whether the last analysis ran only the edited definition (see [`python::Memo::fast`]).
    pub fn fast(&self) -> bool {
        self.python.as_ref().is_some_and(python::Memo::fast)
    }

    /// How many statements the last analysis ran on the dependents path (see
    /// [`python::Memo::reran`]).
    pub fn reran(&self) -> usize {
        self.python.as_ref().map_or(0, python::Memo::reran)
    }

    /// How many analyses used this cache: the number of the last one.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// What the last analysis replayed from the one before it (number `generation() - 1`):
    /// the top-level definitions whose facts are that analysis' facts moved. `None` when it
    /// reused nothing.
    pub fn moved(&self) -> Option<&python::Moved> {
        self.python.as_ref().and_then(python::Memo::moved)
    }

    /// Keeps the facts the last [`analyze_incremental`] with this cache returned.
    pub fn keep_facts(&mut self, facts: Facts) {
        if let Some(memo) = &mut self.python {
            memo.keep_facts(facts);
        }
    }
}

/// Like [`analyze`], reusing and updating `cache`; give the facts back with
/// [`AnalysisCache::keep_facts`] when done with them, so the next analysis can reuse them too. The facts are the same as [`analyze`]'s.
/// Python reuses unchanged function bodies; the other languages are analysed in full for now.
/// `top_level` lists the root's children ([`crate::lang::syntax::children`]).
pub fn analyze_incremental(
    language: Language,
    source: &str,
    tree: &Tree,
    top_level: &[Node<'_>],
    cache: &mut AnalysisCache,
) -> Facts {
    cache.generation += 1;
    match language {
        Language::Python => {
            let (facts, memo) =
                python::analyze_incremental(source, tree, top_level, cache.python.take());
            cache.python = Some(memo);
            facts
        }
        _ => {
            cache.python = None;
            analyze(language, source, tree)
        }
    }
}
