//! Helpers shared by the JavaScript detectors: tainted arguments, message tails, locating object
//! properties in the tree for reporting and fixes.

use std::ops::Range;

use tree_sitter::Node;

use crate::analysis::{Arg, Call, CallKind, Origin, SinkKind, Value};
use crate::detectors::{describe_origin, Context, Hit};
use crate::lang::syntax::MAX_DEPTH;

/// A hit on a call argument whose data is tainted for `kind`.
pub(super) fn tainted_arg_hit(call: &Call, arg: &Arg, kind: SinkKind) -> Option<Hit> {
    let origin = arg.value.taint.tainted_for(kind)?;
    Some(
        Hit::new(arg.range.clone(), call.name.clone())
            .with_anchor(call.range.clone())
            .with_origin(Some(origin)),
    )
}

/// The origin of a value tainted for `kind`.
pub(super) fn tainted(value: &Value, kind: SinkKind) -> Option<&Origin> {
    value.taint.tainted_for(kind)
}

/// "It comes from web request data (`req.query`, line 4)." or nothing.
pub(super) fn origin_sentence(ctx: &Context<'_>, hit: &Hit) -> String {
    hit.origin
        .as_ref()
        .map(|o| format!(" The data comes from {}.", describe_origin(ctx, o)))
        .unwrap_or_default()
}

/// The `pair` node with key `key` inside `within` (an object literal argument), searched breadth
/// first so the outermost such property wins.
pub(super) fn find_pair<'t>(
    ctx: &Context<'t>,
    within: Range<usize>,
    key: &str,
) -> Option<Node<'t>> {
    let root = ctx.node_at(within)?;
    let mut queue = std::collections::VecDeque::from([(root, 0usize)]);
    while let Some((node, depth)) = queue.pop_front() {
        if node.kind() == "pair" {
            let matches = node
                .child_by_field_name("key")
                .is_some_and(|k| key_text(ctx.node_text(k)) == key);
            if matches {
                return Some(node);
            }
        }
        // Functions passed inside options are someone else's code.
        if depth < MAX_DEPTH && !matches!(node.kind(), "arrow_function" | "function_expression") {
            let mut cursor = node.walk();
            queue.extend(node.named_children(&mut cursor).map(|c| (c, depth + 1)));
        }
    }
    None
}

fn key_text(text: &str) -> &str {
    let t = text.trim();
    t.strip_prefix(['\'', '"'])
        .and_then(|s| s.strip_suffix(['\'', '"']))
        .unwrap_or(t)
}

/// The range that deletes an object property together with its comma, keeping the object valid;
/// the whole line when the property is alone on it.
pub(super) fn property_deletion<'t>(ctx: &Context<'t>, pair: Node<'t>) -> Range<usize> {
    let mut start = pair.start_byte();
    let mut end = pair.end_byte();
    let next = pair.next_sibling().filter(|n| n.kind() == ",");
    let prev = pair.prev_sibling().filter(|n| n.kind() == ",");
    if let Some(comma) = next {
        end = comma.end_byte();
    } else if let Some(comma) = prev {
        start = comma.start_byte();
    }
    let src = ctx.source;
    let line_start = src
        .get(..start)
        .and_then(|s| s.rfind('\n'))
        .map_or(0, |i| i + 1);
    let line_end = src
        .get(end..)
        .and_then(|s| s.find('\n'))
        .map_or(src.len(), |i| end + i);
    let before_blank = src
        .get(line_start..start)
        .is_some_and(|s| s.trim().is_empty());
    let after_blank = src.get(end..line_end).is_some_and(|s| s.trim().is_empty());
    if before_blank && after_blank && next.is_some() {
        return line_start..(line_end + 1).min(src.len());
    }
    // Eat the blanks after the comma (`{ a: 1, rejectUnauthorized: false, b }`).
    if next.is_some() {
        let blanks = src
            .get(end..)
            .map_or(0, |s| s.len() - s.trim_start_matches([' ', '\t']).len());
        end += blanks;
    } else if prev.is_none() {
        let blanks = src
            .get(..start)
            .map_or(0, |s| s.len() - s.trim_end_matches([' ', '\t']).len());
        start = start.saturating_sub(blanks);
    }
    start..end
}

/// The innermost function (or the program) containing `node`.
pub(super) fn enclosing_function(node: Node<'_>) -> Node<'_> {
    let mut current = node;
    for _ in 0..MAX_DEPTH {
        match current.parent() {
            Some(parent) => {
                if matches!(
                    parent.kind(),
                    "arrow_function"
                        | "function_expression"
                        | "function_declaration"
                        | "method_definition"
                        | "program"
                ) {
                    return parent;
                }
                current = parent;
            }
            None => return current,
        }
    }
    current
}

/// Whether a call is a method of a response object (`res.send`, `ctx.response.redirect`).
pub(super) fn is_response(call: &Call) -> bool {
    call.kind == CallKind::Method
        && call
            .receiver
            .as_ref()
            .is_some_and(|r| r.type_name.as_deref() == Some("http.Response"))
}

/// Whether a call is a method of a Koa context (`ctx.redirect`, `ctx.set`).
pub(super) fn is_koa_context(call: &Call) -> bool {
    call.kind == CallKind::Method
        && call
            .receiver
            .as_ref()
            .is_some_and(|r| r.type_name.as_deref() == Some("koa.Context"))
}

/// Whether untrusted data came from the page the code runs in (`location`, `document.URL`,
/// `window.name`): browser code, where outgoing requests are not server-side.
pub(super) fn is_browser_origin(origin: &Origin) -> bool {
    ["location", "window.", "document."]
        .iter()
        .any(|p| origin.label.starts_with(p))
        || origin.label.contains("location.")
}

/// The first origin of `value` tainted for `kind` that `keep` accepts.
pub(super) fn tainted_where(
    value: &Value,
    kind: SinkKind,
    keep: impl Fn(&Origin) -> bool,
) -> Option<&Origin> {
    value
        .taint
        .origins()
        .iter()
        .find(|o| !o.sanitized.contains(kind) && keep(o))
}

/// The constant text an expression starts with: a string literal, the head of a template literal,
/// or the leftmost operand of a `+` chain (`'/users/' + id` starts with `/users/`).
pub(super) fn constant_prefix(ctx: &Context<'_>, range: Range<usize>) -> Option<String> {
    let mut node = ctx.node_at(range)?;
    for _ in 0..MAX_DEPTH {
        match node.kind() {
            "parenthesized_expression" => node = node.named_child(0)?,
            "binary_expression" => {
                let op = node.child_by_field_name("operator")?;
                if ctx.node_text(op) != "+" {
                    return None;
                }
                node = node.child_by_field_name("left")?;
            }
            "string" => {
                let text = ctx.node_text(node);
                return Some(text.get(1..text.len().saturating_sub(1))?.to_string());
            }
            "template_string" => {
                let mut cursor = node.walk();
                let first = node.named_children(&mut cursor).next();
                return match first {
                    Some(f) if f.kind() == "string_fragment" => Some(ctx.node_text(f).to_string()),
                    _ => Some(String::new()),
                };
            }
            _ => return None,
        }
    }
    None
}

/// Whether a URL prefix fixes the host: `https://api.example.com/...` (scheme, host and the `/`
/// after it are constant).
pub(super) fn prefix_fixes_host(prefix: &str) -> bool {
    match prefix.split_once("://") {
        Some((scheme, rest)) => {
            !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '+')
                && rest.find(['/', '?', '#']).is_some_and(|i| i > 0)
        }
        None => false,
    }
}

/// Whether a URL prefix makes the URL a path on the same site: `/users/...` (not `//host`).
pub(super) fn prefix_is_local_path(prefix: &str) -> bool {
    prefix.starts_with('/') && !prefix.starts_with("//") && !prefix.starts_with("/\\")
}

/// A hit on the value passed as `arg` (a whole argument or a field of an options object).
pub(super) fn hit_on(call: &Call, range: Range<usize>, origin: &Origin) -> Hit {
    Hit::new(range, call.name.clone())
        .with_anchor(call.range.clone())
        .with_origin(Some(origin))
}

/// The range of the value of property `key` of the object literal passed as `arg`, if written
/// there (else the argument's range).
pub(super) fn field_range(ctx: &Context<'_>, arg: &Arg, key: &str) -> Range<usize> {
    find_pair(ctx, arg.range.clone(), key)
        .and_then(|p| p.child_by_field_name("value"))
        .map_or(arg.range.clone(), |v| v.byte_range())
}

/// The property `key` (a `pair` or a shorthand `{ key }`) directly inside the object literal at
/// `object`.
pub(super) fn object_member<'t>(
    ctx: &Context<'t>,
    object: Range<usize>,
    key: &str,
) -> Option<Node<'t>> {
    let node = ctx.node_at(object)?;
    if node.kind() != "object" {
        return None;
    }
    let mut cursor = node.walk();
    let found = node.named_children(&mut cursor).find(|c| match c.kind() {
        "pair" => c
            .child_by_field_name("key")
            .is_some_and(|k| key_text(ctx.node_text(k)) == key),
        "shorthand_property_identifier" => ctx.node_text(*c) == key,
        _ => false,
    });
    found
}
