//! The shared shape of the Python injection detectors: find the sink arguments of each call, keep
//! those carrying untrusted data not sanitised for the sink's kind, and name the source.

use std::ops::Range;

use tree_sitter::Node;

use crate::analysis::{Arg, Call, SinkKind, SourceKind};
use crate::detectors::{describe_origin, Context, Hit};

use super::common;

/// Hits for every sink argument (chosen by `args_of`) that carries untrusted data for `sink`,
/// ignoring the source kinds in `ignored`. The hit covers the argument, anchored on the call.
pub fn hits<'c>(
    ctx: &'c Context<'_>,
    sink: SinkKind,
    ignored: &[SourceKind],
    args_of: impl Fn(&Context<'_>, &'c Call) -> Vec<&'c Arg>,
) -> Vec<Hit> {
    let mut hits = Vec::new();
    for call in &ctx.facts.calls {
        for arg in args_of(ctx, call) {
            if let Some(origin) = common::dangerous_origin(&arg.value.taint, sink, ignored) {
                hits.push(
                    Hit::new(arg.range.clone(), call.name.clone())
                        .with_anchor(call.range.clone())
                        .with_origin(Some(origin)),
                );
            }
        }
    }
    hits
}

/// "web request data (`request.args`, line 4)", or "untrusted data" without an origin.
pub fn source(ctx: &Context<'_>, hit: &Hit) -> String {
    hit.origin
        .as_ref()
        .map_or_else(|| "untrusted data".to_string(), |o| describe_origin(ctx, o))
}

/// The arguments of `call` at `position` / `keyword`, for the common one-argument sinks.
pub fn one<'c>(call: &'c Call, position: usize, keyword: &str) -> Vec<&'c Arg> {
    call.arg(position, keyword).into_iter().collect()
}

/// The literal text an expression starts with when it is written as a string literal, an
/// f-string, a `+` concatenation, a `%` format or a `"...".format(...)` call: the part an
/// attacker cannot change. `None` when the expression does not start with literal text.
pub fn leading_literal(ctx: &Context<'_>, range: Range<usize>) -> Option<String> {
    let mut node = ctx.node_at(range)?;
    if node.kind() == "identifier" {
        node = only_assignment(ctx, node)?;
    }
    for _ in 0..crate::lang::syntax::MAX_DEPTH {
        match node.kind() {
            "string" => {
                let mut out = String::new();
                let mut cursor = node.walk();
                for part in node.named_children(&mut cursor) {
                    match part.kind() {
                        "string_content" => out.push_str(ctx.node_text(part)),
                        "interpolation" => break,
                        _ => {}
                    }
                }
                return Some(out);
            }
            "concatenated_string" | "parenthesized_expression" => node = node.named_child(0)?,
            "binary_operator" => {
                let op = node.child_by_field_name("operator")?;
                if !matches!(ctx.node_text(op), "+" | "%") {
                    return None;
                }
                node = node.child_by_field_name("left")?;
            }
            "call" => {
                let func = node.child_by_field_name("function")?;
                if func.kind() != "attribute"
                    || ctx.node_text(func.child_by_field_name("attribute")?) != "format"
                {
                    return None;
                }
                node = func.child_by_field_name("object")?;
            }
            _ => return None,
        }
    }
    None
}

/// The right-hand side of the one assignment to the variable `name` before it is used, in the
/// enclosing function (or module); `None` when it is assigned more than once or not at all.
pub fn only_assignment<'t>(ctx: &Context<'t>, name: Node<'t>) -> Option<Node<'t>> {
    let written = ctx.node_text(name);
    let mut scope = name.parent()?;
    while !matches!(scope.kind(), "function_definition" | "module") {
        scope = scope.parent()?;
    }
    let mut found = None;
    let mut count = 0;
    for node in common::descendants(scope).into_iter() {
        let assigned = match node.kind() {
            "assignment" | "augmented_assignment" => node.child_by_field_name("left"),
            "for_statement" | "for_in_clause" => node.child_by_field_name("left"),
            "named_expression" => node.child_by_field_name("name"),
            _ => None,
        };
        let Some(target) = assigned else { continue };
        if node.start_byte() >= name.start_byte() || !mentions(ctx, target, written) {
            continue;
        }
        count += 1;
        found = (node.kind() == "assignment" && target.kind() == "identifier")
            .then(|| node.child_by_field_name("right"))
            .flatten();
    }
    if count == 1 {
        found
    } else {
        None
    }
}

/// Whether an assignment target binds `name` (directly or inside a tuple or list pattern).
fn mentions<'t>(ctx: &Context<'t>, target: Node<'t>, name: &str) -> bool {
    if target.kind() == "identifier" {
        return ctx.node_text(target) == name;
    }
    common::descendants(target)
        .into_iter()
        .any(|n| n.kind() == "identifier" && ctx.node_text(n) == name)
}
