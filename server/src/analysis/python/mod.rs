//! Python analysis: imports, call sites, constants and taint, in one abstract interpretation of
//! the file in statement order.
//!
//! Three passes over the tree, each linear: two build function summaries (which parameters flow
//! into the return value, whether it carries a source) and module-level bindings; the last
//! records every call and store with its argument values as they are at that point.

mod constants;
mod env;
mod expr;
mod hot;
pub mod ids;
mod imports;
mod interp;
mod known;
mod memo;
mod reuse;
mod ripple;
mod scope;
mod switch;

use tree_sitter::{Node, Tree};

use super::Facts;
use crate::lang::TreeIndex;
use interp::Interp;
pub use interp::RETURN_TARGET;
pub use known::{is_view_class, is_view_method, SQL_STATEMENT};
pub use memo::{Memo, Moved};
use scope::Frame;

/// Builds the facts of a Python file.
pub fn analyze(source: &str, tree: &Tree) -> Facts {
    let index = index(tree);
    analyze_indexed(source, tree, &index)
}

/// The node index [`analyze_indexed`] needs: every node by kind, and the named children of each
/// node other than comments (what the interpreter iterates over).
pub fn index(tree: &Tree) -> TreeIndex<'_> {
    TreeIndex::build(tree, Some(&ids::is_comment_kind))
}

/// [`analyze`] with the file's [`index`] built by the caller (who can hand its nodes by kind on
/// to the detectors).
pub fn analyze_indexed<'t>(source: &str, tree: &'t Tree, index: &TreeIndex<'t>) -> Facts {
    let imports = imports::collect_indexed(source, tree, index);
    run(source, tree, None, imports, Some(index), None, false).0
}

/// Builds the facts of a Python file reusing what `previous` (the memo of an earlier version of
/// the same document) learned about functions the edit did not affect; returns the memo for the
/// next version. `top_level` lists the root's children ([`crate::lang::syntax::children`]).
pub fn analyze_incremental(
    source: &str,
    tree: &Tree,
    top_level: &[Node<'_>],
    previous: Option<Memo>,
) -> (Facts, Memo) {
    let previous = match previous.map(|memo| hot::analyze(memo, source, tree, top_level)) {
        Some(hot::Fast::Done(facts, memo)) => return (facts, memo),
        Some(hot::Fast::Declined(memo)) => Some(memo),
        None => None,
    };
    let imports = imports::collect_among(source, top_level);
    let (facts, entries, stats, moved, hot) =
        run(source, tree, Some(top_level), imports, None, previous, true);
    let memo = Memo::new(source, &facts.imports, entries, stats, moved, hot);
    (facts, memo)
}

/// Analyses the whole file, reusing `previous` where it can. `top_level`, when the caller listed
/// them, are the root's children (an incremental analysis: the only kind with a `previous`).
fn run<'t>(
    source: &str,
    tree: &'t Tree,
    top_level: Option<&[Node<'t>]>,
    imports: super::Imports,
    index: Option<&TreeIndex<'_>>,
    previous: Option<Memo>,
    memoize: bool,
) -> (
    Facts,
    memo::Bodies,
    (usize, usize),
    Option<Moved>,
    Option<hot::Hot>,
) {
    let root = tree.root_node();
    let statements = match top_level {
        Some(top_level) => top_level.iter().copied().filter(Node::is_named).collect(),
        None => interp::named_at(index, root),
    };
    let mut interp = Interp::new(source, &imports);
    interp.memoize = memoize;
    interp.index = index;
    interp.previous = previous.and_then(|memo| memo.into_previous(source, &imports));
    // The state as the definition holding the edit starts, per pass, for the next edit's fast
    // path (see `hot`).
    let hot_at = interp
        .previous
        .as_ref()
        .zip(top_level)
        .and_then(|(p, top_level)| hot::candidate(&statements, top_level, &p.diff, source));
    interp.watch = hot_at
        .and_then(|at| statements.get(at))
        .map(|s| s.start_byte());
    let mut states = Vec::new();
    let mut run_pass = |interp: &mut Interp<'_>| {
        let mut frame = Frame::module();
        match hot_at {
            // Every other statement is traced for the dependents path (see `ripple`).
            Some(at) => {
                for (i, &statement) in statements.iter().enumerate() {
                    if i == at {
                        states.push(hot::PassState::capture(interp, &frame.env));
                        interp.note_unbound(statement, &frame);
                        interp.exec_statements(&[statement], &mut frame, 0);
                    } else {
                        interp.exec_traced(statement, &mut frame);
                    }
                }
            }
            None => interp.exec_statements(&statements, &mut frame, 0),
        }
        frame.env
    };
    // The second summary pass sees the summaries and module bindings of the first, so functions
    // calling functions defined further down are summarised too.
    // Without a memo, the second pass reuses the first's work on bodies it would interpret the
    // same way (see `reuse`).
    for pass in 0..2 {
        interp.pass = pass;
        if !memoize {
            let mut reuse = interp.reuse.borrow_mut();
            if pass == 0 {
                reuse.start_first();
            } else {
                reuse.start_second(&interp.globals);
            }
        }
        interp.globals = run_pass(&mut interp);
    }
    interp.reuse.borrow_mut().stop();
    interp.record = true;
    interp.pass = 2;
    run_pass(&mut interp);
    let outputs = std::mem::take(&mut interp.watched);
    let steps = std::mem::take(&mut interp.steps);
    let unbound = std::mem::take(&mut interp.unbound);
    let (mut calls, stores, mut entries, stats, previous) = interp.finish();
    let hot = hot_at.and_then(|at| {
        let statement = statements.get(at)?;
        let span = (statement.start_byte(), statement.end_byte());
        hot::Hot::new(
            span,
            states,
            outputs,
            &mut entries,
            ripple::Trace::new(steps, unbound),
        )
    });
    let mut moved = None;
    if let Some(mut previous) = previous {
        moved = Some(previous.moved());
        calls.extend(previous.replayed_calls());
    }
    calls.sort_by_key(|c| (c.range.start, std::cmp::Reverse(c.range.end)));
    let facts = Facts {
        imports,
        calls,
        stores,
    };
    (facts, entries, stats, moved, hot)
}

#[cfg(test)]
mod memo_tests;
#[cfg(test)]
mod tests;
