//! `javascript/resource-leak@v1.0`: file descriptors and handles not closed on every path.

use std::collections::VecDeque;

use tree_sitter::Node;

use crate::analysis::Call;
use crate::detectors::{Context, Detector, DetectorMeta, Hit};
use crate::finding::{Category, Severity};
use crate::lang::syntax::MAX_DEPTH;
use crate::lang::Language;

use super::support::enclosing_function;

/// The detector.
pub static RESOURCE_LEAK: ResourceLeak = ResourceLeak;

/// Flags `fs.openSync` descriptors and `fs.promises.open` handles that are not closed in a
/// `finally` block and do not leave the function.
pub struct ResourceLeak;

static META: DetectorMeta = DetectorMeta {
    id: "javascript/resource-leak@v1.0",
    name: "Resource leak",
    language: Language::JavaScript,
    severity: Severity::Medium,
    cwes: &[400, 664, 775],
    category: Category::Security,
    express: true,
    docs: r#"## What it does
Flags a file opened into a local variable — a descriptor from `fs.openSync` or a `FileHandle`
from `fs.promises.open`/`fs/promises` `open` — that is not closed on every path: never closed
with `fs.closeSync(fd)`/`fs.close(fd)`/`handle.close()`, or closed only after code that can throw,
outside a `finally` block. The catalogue publishes no severity or CWE; Codeward uses Medium and
CWE-400 / CWE-664 / CWE-775.

Not flagged: descriptors closed in a `finally` block, returned from the function, stored in an
object, passed to a function other than the `fs` calls that use them (ownership moves there) or
used inside a callback (a listener that writes to a log file for the life of the process), and
handles used with `await using`. Streams (`createReadStream`), sockets and database
connections are not tracked: they close themselves on end or error, or belong to pools.

## Why is this bad?
Each open descriptor holds a kernel resource. A leak on an error path, repeated for every failing
request, exhausts the process's descriptor limit (`EMFILE`): the server can no longer open files
or accept connections — a denial of service.

## Example
```javascript
const fd = fs.openSync(file, "r");
fs.readSync(fd, buffer, 0, 16, 0);
fs.closeSync(fd);
```

## Use instead
```javascript
const fd = fs.openSync(file, "r");
try {
  fs.readSync(fd, buffer, 0, 16, 0);
} finally {
  fs.closeSync(fd);
}
```

## Fix safety
There is no automatic fix: moving code into `try`/`finally` changes variable scopes.

## References
- [CWE-775: Missing Release of File Descriptor after Effective Lifetime](https://cwe.mitre.org/data/definitions/775.html)
- [CWE-400: Uncontrolled Resource Consumption](https://cwe.mitre.org/data/definitions/400.html)
"#,
};

const OPENERS: &[&str] = &[
    "fs.openSync",
    "fs.promises.open",
    "fs/promises.open",
    "fs-extra.openSync",
    "graceful-fs.openSync",
];

/// How a function uses the opened resource.
#[derive(Default)]
struct Uses {
    closed: bool,
    closed_in_finally: bool,
    escapes: bool,
}

/// The variable a call's result is bound to (`const fd = fs.openSync(...)`, through `await`).
fn bound_name<'a>(ctx: &Context<'a>, call: Node<'a>) -> Option<(&'a str, Node<'a>)> {
    let mut node = call;
    for _ in 0..4 {
        let parent = node.parent()?;
        match parent.kind() {
            "await_expression" | "parenthesized_expression" => node = parent,
            "variable_declarator" => {
                let name = parent.child_by_field_name("name")?;
                // `await using fh = ...` disposes the handle.
                let declaration = parent.parent()?;
                if ctx.node_text(declaration).starts_with("await using")
                    || ctx.node_text(declaration).starts_with("using")
                {
                    return None;
                }
                return (name.kind() == "identifier").then(|| (ctx.node_text(name), parent));
            }
            _ => return None,
        }
    }
    None
}

fn in_finally(node: Node<'_>) -> bool {
    let mut current = node;
    for _ in 0..MAX_DEPTH {
        match current.parent() {
            Some(p) if p.kind() == "finally_clause" => return true,
            Some(p)
                if matches!(
                    p.kind(),
                    "arrow_function"
                        | "function_expression"
                        | "function_declaration"
                        | "method_definition"
                ) =>
            {
                return false
            }
            Some(p) => current = p,
            None => return false,
        }
    }
    false
}

/// Classifies every use of `name` inside `scope` after `after`. A use inside a nested function
/// (a callback, a listener) keeps the resource alive beyond this function: it escapes.
fn uses<'t>(ctx: &Context<'t>, scope: Node<'t>, name: &str, after: usize) -> Uses {
    let mut out = Uses::default();
    let mut queue = VecDeque::from([(scope, 0usize, false)]);
    while let Some((node, depth, nested)) = queue.pop_front() {
        let named = node.start_byte() > after && ctx.node_text(node) == name;
        match node.kind() {
            "identifier" if named && nested => out.escapes = true,
            "identifier" if named => classify(ctx, node, &mut out),
            // `{ fd }`: stored in an object (options of a stream, a registry entry).
            "shorthand_property_identifier" if named => out.escapes = true,
            _ => {}
        }
        if depth < MAX_DEPTH {
            let inner = nested
                || (node.id() != scope.id()
                    && matches!(
                        node.kind(),
                        "arrow_function"
                            | "function_expression"
                            | "function_declaration"
                            | "method_definition"
                    ));
            let mut cursor = node.walk();
            queue.extend(
                node.named_children(&mut cursor)
                    .map(|c| (c, depth + 1, inner)),
            );
        }
    }
    out
}

fn classify<'t>(ctx: &Context<'t>, id: Node<'t>, out: &mut Uses) {
    let Some(parent) = id.parent() else {
        return;
    };
    match parent.kind() {
        // `fd.close()` / `handle.close()`.
        "member_expression" => {
            let property = parent
                .child_by_field_name("property")
                .map(|p| ctx.node_text(p));
            if property == Some("close") {
                out.closed = true;
                out.closed_in_finally |= in_finally(parent);
            }
        }
        "arguments" => {
            let callee = parent
                .parent()
                .and_then(|c| c.child_by_field_name("function"))
                .map(|f| ctx.node_text(f))
                .unwrap_or("");
            let method = callee.rsplit('.').next().unwrap_or(callee);
            if matches!(method, "closeSync" | "close") {
                out.closed = true;
                out.closed_in_finally |= in_finally(parent);
            } else if !callee.starts_with("fs.") && !callee.starts_with("fsp.") {
                // Handed to other code, which now owns it.
                out.escapes = true;
            }
        }
        "return_statement" | "pair" | "array" => out.escapes = true,
        "assignment_expression" => {
            let right = parent.child_by_field_name("right");
            if right.is_some_and(|r| r.id() == id.id()) {
                out.escapes = true;
            }
        }
        _ => {}
    }
}

fn hit_of(ctx: &Context<'_>, call: &Call) -> Option<Hit> {
    if !OPENERS.contains(&call.name.as_str()) {
        return None;
    }
    let node = ctx.node_at(call.range.clone())?;
    let (name, declarator) = bound_name(ctx, node)?;
    let scope = enclosing_function(node);
    let found = uses(ctx, scope, name, declarator.end_byte());
    if found.escapes || found.closed_in_finally {
        return None;
    }
    let subject = if found.closed {
        "not closed on errors"
    } else {
        "never closed"
    };
    Some(Hit::new(call.range.clone(), subject).with_anchor(declarator.byte_range()))
}

impl Detector for ResourceLeak {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        ctx.facts
            .calls
            .iter()
            .filter_map(|c| hit_of(ctx, c))
            .collect()
    }

    fn message(&self, _ctx: &Context<'_>, hit: &Hit) -> String {
        let how = if hit.subject == "never closed" {
            "is never closed"
        } else {
            "is not closed when the code between opening and closing throws"
        };
        format!(
            "The file opened here {how} (CWE-775): every leaked descriptor stays open until the \
             process exits, and enough of them exhaust the descriptor limit. Close it in a \
             `finally` block."
        )
    }
}
