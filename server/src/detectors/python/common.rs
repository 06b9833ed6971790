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
