//! Helpers shared by the Python detectors: reading constant arguments, finding sub-ranges of
//! calls, and building literal replacements.

use std::ops::Range;

use crate::analysis::{Arg, Call, Constant};
use crate::detectors::Context;

/// Whether the argument's value is the constant `expected`.
pub fn is_const(arg: Option<&Arg>, expected: &Constant) -> bool {
    arg.and_then(|a| a.value.constant.as_ref()) == Some(expected)
}

/// Whether the keyword argument `name` is the constant `False`.
pub fn keyword_is_false(call: &Call, name: &str) -> bool {
    is_const(call.keyword(name), &Constant::Bool(false))
}

/// The range of the attribute name of an `obj.attr` callee (`md5` in `hashlib.md5`), if the
/// callee is written that way.
pub fn callee_attribute(ctx: &Context<'_>, call: &Call) -> Option<Range<usize>> {
    let node = ctx.node_at(call.callee_range.clone())?;
    if node.kind() != "attribute" {
        return None;
    }
    Some(node.child_by_field_name("attribute")?.byte_range())
}

/// Whether the text at `range` is a plain (non-f, non-bytes) single string literal whose content
/// can be swapped.
pub fn string_content_range(ctx: &Context<'_>, range: Range<usize>) -> Option<Range<usize>> {
    let node = ctx.node_at(range)?;
    if node.kind() != "string" {
        return None;
    }
    let mut cursor = node.walk();
    let children: Vec<_> = node.children(&mut cursor).collect();
    let start = children.iter().find(|c| c.kind() == "string_start")?;
    let end = children.iter().find(|c| c.kind() == "string_end")?;
    let prefix = ctx.node_text(*start).to_ascii_lowercase();
    if prefix.contains('f') || prefix.contains('b') {
        return None;
    }
    Some(start.end_byte()..end.start_byte())
}

/// The range of a whole `name=value` keyword argument given its value's range.
pub fn keyword_argument_range(ctx: &Context<'_>, value: Range<usize>) -> Range<usize> {
    ctx.node_at(value.clone())
        .and_then(|n| n.parent())
        .filter(|p| p.kind() == "keyword_argument")
        .map_or(value, |p| p.byte_range())
}

/// The right-hand side of the assignment a store was recorded from.
pub fn store_value_range(
    ctx: &Context<'_>,
    store: &crate::analysis::Store,
) -> Option<Range<usize>> {
    let mut node = ctx.node_at(store.range.clone())?;
    // An assignment statement and its expression share a range; `node_at` gives the outer one.
    if node.kind() == "expression_statement" {
        node = node.named_child(0)?;
    }
    if !matches!(node.kind(), "assignment" | "augmented_assignment") {
        return None;
    }
    Some(node.child_by_field_name("right")?.byte_range())
}

/// The import-qualified name of the expression at `range` when it is a dotted name
/// (`ssl.CERT_NONE`), or `None`.
pub fn qualified_at(ctx: &Context<'_>, range: Range<usize>) -> Option<String> {
    let node = ctx.node_at(range)?;
    if !matches!(node.kind(), "identifier" | "attribute") {
        return None;
    }
    let written: String = ctx.node_text(node).split_whitespace().collect();
    Some(ctx.facts.imports.qualify(&written))
}

/// Whether the keyword argument `name` is truthy as a constant (`shell=True`, `shell=1`).
pub fn keyword_is_truthy(call: &Call, name: &str) -> bool {
    call.keyword(name)
        .and_then(|a| a.value.constant.as_ref())
        .is_some_and(Constant::is_truthy)
}

/// The first origin of `taint` that is dangerous for `sink`, skipping source kinds the caller
/// does not consider attacker-controlled for it.
pub fn dangerous_origin<'t>(
    taint: &'t crate::analysis::Taint,
    sink: crate::analysis::SinkKind,
    ignored: &[crate::analysis::SourceKind],
) -> Option<&'t crate::analysis::Origin> {
    taint
        .origins()
        .iter()
        .find(|o| !o.sanitized.contains(sink) && !ignored.contains(&o.kind))
}

/// Every node under `root` (itself included) in document order, without recursion; subtrees
/// deeper than [`crate::lang::syntax::MAX_DEPTH`] below `root` are skipped.
pub fn descendants<'t>(root: tree_sitter::Node<'t>) -> Vec<tree_sitter::Node<'t>> {
    let mut out = Vec::new();
    crate::lang::syntax::walk_from(root, |node, _| {
        out.push(node);
        true
    });
    out
}

/// The edit adding `keyword=value` text as the last argument of a call written with an argument
/// list (`f(a)` -> `f(a, keyword=value)`), or `None` when the call has no parenthesised list.
pub fn insert_keyword(ctx: &Context<'_>, call: &Call, text: &str) -> Option<crate::finding::Edit> {
    let node = ctx.node_at(call.range.clone())?;
    let node = if node.kind() == "call" {
        node
    } else {
        node.named_child(0).filter(|n| n.kind() == "call")?
    };
    let args = node.child_by_field_name("arguments")?;
    if args.kind() != "argument_list" {
        return None;
    }
    let close = args.child(args.child_count().checked_sub(1)?)?;
    if close.kind() != ")" {
        return None;
    }
    let named = args.named_child_count();
    let last = named
        .checked_sub(1)
        .and_then(|i| u32::try_from(i).ok())
        .and_then(|i| args.named_child(i));
    match last {
        None => Some(crate::finding::Edit::insert(close.start_byte(), text)),
        Some(last) => {
            // `f(a,)` keeps its trailing comma before the new argument.
            let between = ctx.text(last.end_byte()..close.start_byte());
            let separator = if between.trim().starts_with(',') {
                " "
            } else {
                ", "
            };
            let at = if between.trim().starts_with(',') {
                close.start_byte()
            } else {
                last.end_byte()
            };
            Some(crate::finding::Edit::insert(
                at,
                format!("{separator}{text}"),
            ))
        }
    }
}
