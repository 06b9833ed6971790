//! Helpers shared by the Java detectors: import insertion, enclosing declarations, receivers.

use tree_sitter::Node;

use crate::analysis::Call;
use crate::detectors::Context;
use crate::finding::Edit;

/// An edit adding `import <qualified>;` after the last import (or the package declaration, or at
/// the top of the file), or `None` when the simple name already resolves to it.
pub fn import_edit(ctx: &Context<'_>, qualified: &str) -> Option<Edit> {
    let simple = qualified.rsplit('.').next().unwrap_or(qualified);
    if ctx.facts.imports.resolve(simple) == Some(qualified) {
        return None;
    }
    let anchor = ctx
        .top_level_statements()
        .iter()
        .rfind(|n| matches!(n.kind(), "import_declaration" | "package_declaration"));
    Some(match anchor {
        Some(node) => Edit::insert(node.end_byte(), format!("\nimport {qualified};")),
        None => Edit::insert(0, format!("import {qualified};\n\n")),
    })
}

/// Whether `simple` may be written unqualified to mean `qualified`: it resolves to it, or nothing
/// else in the file claims the name (so an import can be added).
pub fn can_import(ctx: &Context<'_>, qualified: &str) -> bool {
    let simple = qualified.rsplit('.').next().unwrap_or(qualified);
    match ctx.facts.imports.resolve(simple) {
        Some(bound) => bound == qualified,
        None => !declares_type(ctx, simple),
    }
}

/// Whether the file declares a class or interface named `simple`.
fn declares_type(ctx: &Context<'_>, simple: &str) -> bool {
    [
        "class_declaration",
        "interface_declaration",
        "enum_declaration",
        "record_declaration",
    ]
    .iter()
    .flat_map(|kind| ctx.nodes_of_kind(kind))
    .any(|node| {
        node.child_by_field_name("name")
            .is_some_and(|n| ctx.node_text(n) == simple)
    })
}
/// The innermost method, constructor, lambda or initialiser around a node.
pub fn enclosing_body<'t>(node: Node<'t>) -> Option<Node<'t>> {
    let mut current = node.parent();
    while let Some(n) = current {
        if matches!(
            n.kind(),
            "method_declaration"
                | "constructor_declaration"
                | "compact_constructor_declaration"
                | "static_initializer"
                | "lambda_expression"
        ) {
            return Some(n);
        }
        current = n.parent();
    }
    None
}

/// The innermost class body around a node.
pub fn enclosing_class_body<'t>(node: Node<'t>) -> Option<Node<'t>> {
    let mut current = node.parent();
    while let Some(n) = current {
        if matches!(n.kind(), "class_body" | "enum_body" | "interface_body") {
            return Some(n);
        }
        current = n.parent();
    }
    None
}

/// The receiver expression of a method call as written (`dbf` for `dbf.setFeature(...)`).
pub fn receiver_text<'a>(ctx: &Context<'a>, call: &Call) -> Option<&'a str> {
    let callee = ctx.text(call.callee_range.clone());
    let (receiver, _) = callee.rsplit_once('.')?;
    Some(receiver.trim())
}

/// The calls whose whole range lies inside `range`.
pub fn calls_within<'c>(
    ctx: &'c Context<'_>,
    range: std::ops::Range<usize>,
) -> impl Iterator<Item = &'c Call> + 'c {
    ctx.facts
        .calls
        .iter()
        .filter(move |c| c.range.start >= range.start && c.range.end <= range.end)
}
