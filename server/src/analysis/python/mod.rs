//! Python analysis: imports, call sites, constants and taint, in one abstract interpretation of
//! the file in statement order.
//!
//! Three passes over the tree, each linear: two build function summaries (which parameters flow
//! into the return value, whether it carries a source) and module-level bindings; the last
//! records every call and store with its argument values as they are at that point.

mod constants;
mod expr;
pub mod ids;
mod imports;
mod interp;
mod known;
mod scope;

use tree_sitter::Tree;

use super::Facts;
use interp::Interp;
use scope::Frame;

/// Builds the facts of a Python file.
pub fn analyze(source: &str, tree: &Tree) -> Facts {
    let imports = imports::collect(source, tree);
    let root = tree.root_node();
    let mut interp = Interp::new(source, &imports);
    // The second summary pass sees the summaries and module bindings of the first, so functions
    // calling functions defined further down are summarised too.
    for _ in 0..2 {
        let mut frame = Frame::module();
        interp.exec_block(root, &mut frame, 0);
        interp.globals = frame.env;
    }
    interp.record = true;
    let mut frame = Frame::module();
    interp.exec_block(root, &mut frame, 0);
    let (mut calls, stores) = interp.finish();
    calls.sort_by_key(|c| (c.range.start, std::cmp::Reverse(c.range.end)));
    Facts {
        imports,
        calls,
        stores,
    }
}

#[cfg(test)]
mod tests;
