//! Helpers shared by the Java detectors: import insertion, enclosing declarations, receivers.

use crate::detectors::Context;
use crate::finding::Edit;

/// An edit adding `import <qualified>;` after the last import (or the package declaration, or at
/// the top of the file), or `None` when the simple name already resolves to it.
pub fn import_edit(ctx: &Context<'_>, qualified: &str) -> Option<Edit> {
    let simple = qualified.rsplit('.').next().unwrap_or(qualified);
    if ctx.facts.imports.resolve(simple) == Some(qualified) {
        return None;
    }
    let root = ctx.tree.root_node();
    let mut cursor = root.walk();
    let anchor = root
        .named_children(&mut cursor)
        .filter(|n| matches!(n.kind(), "import_declaration" | "package_declaration"))
        .last();
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
    let mut found = false;
    crate::lang::syntax::walk(ctx.tree, |node, _| {
        if matches!(
            node.kind(),
            "class_declaration"
                | "interface_declaration"
                | "enum_declaration"
                | "record_declaration"
        ) && node
            .child_by_field_name("name")
            .is_some_and(|n| ctx.node_text(n) == simple)
        {
            found = true;
        }
        !found
    });
    found
}
