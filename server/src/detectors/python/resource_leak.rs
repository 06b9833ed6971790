//! `python/resource-leak@v1.0`: files, sockets and connections opened and never closed.

use tree_sitter::Node;

use crate::analysis::Call;
use crate::detectors::{Context, Detector, DetectorMeta, Hit, Scope};
use crate::finding::{Applicability, Category, Edit, Fix, Severity};
use crate::lang::Language;

use super::common;

/// Flags resources bound to a local name that is never closed, used in `with`, or handed on, and
/// resources used once and dropped (`open(path).read()`).
pub struct ResourceLeak;

/// The detector's metadata and documentation.
pub static META: DetectorMeta = DetectorMeta {
    id: "python/resource-leak@v1.0",
    name: "Resource leak",
    language: Language::Python,
    severity: Severity::Medium,
    cwes: &[400, 664],
    category: Category::Security,
    express: true,
    docs: r#"## What it does
Flags resources that are opened and not closed: files (`open`, `io.open`, `codecs.open`,
`gzip` / `bz2` / `lzma` / `tarfile` opens, `zipfile.ZipFile`, `tempfile.TemporaryFile` /
`NamedTemporaryFile`), sockets (`socket.socket`, `socket.create_connection`), database
connections (`sqlite3.connect`) and HTTP responses (`urllib.request.urlopen`) — when the
resource is bound to a local name that is then never closed (`name.close()`), never used as a
context manager (`with name:`, `contextlib.closing(name)`) and never handed on (returned,
yielded, stored in an attribute or container, passed to another call); or when it is opened
only to call one method on it (`open(path).read()`). It does not check that `close()` runs on
the exceptional path too (a `close()` call anywhere in the scope counts), resources stored on
`self` and closed elsewhere, or objects of other libraries.

## Why is this bad?
Every unclosed file or socket holds an operating-system handle until the garbage collector
happens to finalise it (never, on some interpreters and in reference cycles): under load the
process runs out of descriptors and connections and stops serving (CWE-400, CWE-664). Buffered
writes may also be lost.

## Example
```python
def read_config(path):
    f = open(path)
    return parse(f.read())
```

## Use instead
```python
def read_config(path):
    with open(path) as f:
        return parse(f.read())
```

## Fix safety
When the resource is bound by a simple assignment and every later use is in the statements that
follow it in the same block, the fix wraps those statements in a `with` block (not for
`sqlite3.connect`, whose `with` block commits but does not close: use `contextlib.closing`). It is unsafe: the
resource is now closed at the end of the block, also when an exception leaves it. Resources
used inline (`open(path).read()`) get no automatic fix.

## References
- [CWE-400: Uncontrolled Resource Consumption](https://cwe.mitre.org/data/definitions/400.html)
- [CWE-664: Improper Control of a Resource Through its Lifetime](https://cwe.mitre.org/data/definitions/664.html)
- [Python: the `with` statement](https://docs.python.org/3/reference/compound_stmts.html#the-with-statement)
"#,
};

/// Whether a call opens a resource that must be closed.
fn opens_resource(call: &Call) -> bool {
    matches!(
        call.name.as_str(),
        "open"
            | "io.open"
            | "builtins.open"
            | "codecs.open"
            | "gzip.open"
            | "bz2.open"
            | "lzma.open"
            | "tarfile.open"
            | "zipfile.ZipFile"
            | "tempfile.TemporaryFile"
            | "tempfile.NamedTemporaryFile"
            | "socket.socket"
            | "socket.create_connection"
            | "sqlite3.connect"
            | "urllib.request.urlopen"
    )
}

/// How a resource is used.
enum Leak {
    /// Bound to this name by an assignment statement, never closed or handed on.
    Bound(String),
    /// Opened and used once (`open(p).read()`).
    Inline,
}

/// The `call` node spanning `range`.
fn call_node<'t>(ctx: &Context<'t>, call: &Call) -> Option<Node<'t>> {
    let node = ctx.node_at(call.range.clone())?;
    if node.kind() == "call" {
        Some(node)
    } else {
        node.named_child(0).filter(|n| n.kind() == "call")
    }
}

/// The enclosing function body, or the module.
fn scope_of(node: Node<'_>) -> Option<Node<'_>> {
    let mut scope = node.parent()?;
    while !matches!(scope.kind(), "function_definition" | "module") {
        scope = scope.parent()?;
    }
    Some(scope)
}

/// Whether the use of `name` at `ident` keeps the resource alive elsewhere or closes it.
fn closes_or_escapes<'t>(ctx: &Context<'t>, ident: Node<'t>) -> bool {
    let Some(parent) = ident.parent() else {
        return true;
    };
    match parent.kind() {
        // `name.close()` closes it; `name.read()` etc. are plain uses.
        "attribute" => {
            let method = parent
                .child_by_field_name("attribute")
                .map(|a| ctx.node_text(a));
            let called = parent.parent().is_some_and(|p| p.kind() == "call");
            called && matches!(method, Some("close" | "detach" | "__exit__" | "shutdown"))
        }
        // `with name:` or `with closing(name):` manage it; anything else holding it keeps it.
        "with_item" => true,
        "argument_list" => true,
        "return_statement"
        | "yield"
        | "expression_list"
        | "tuple"
        | "list"
        | "set"
        | "pair"
        | "dictionary"
        | "keyword_argument"
        | "lambda"
        | "conditional_expression"
        | "boolean_operator"
        | "parenthesized_expression"
        | "global_statement"
        | "nonlocal_statement" => true,
        "assignment" | "augmented_assignment" => {
            // Used as the value of another binding (`self.f = f`, `g = f`).
            parent
                .child_by_field_name("right")
                .is_some_and(|r| r.id() == ident.id())
        }
        _ => false,
    }
}

/// The leak a resource-opening call causes, if any.
fn leak<'t>(ctx: &Context<'t>, call: &Call) -> Option<(Leak, Node<'t>)> {
    let node = call_node(ctx, call)?;
    let parent = node.parent()?;
    match parent.kind() {
        "attribute"
            if parent
                .child_by_field_name("object")
                .is_some_and(|o| o.id() == node.id()) =>
        {
            let used = parent.parent().is_some_and(|p| p.kind() == "call");
            // `open(path, "w").close()` creates a file and closes it at once.
            let closed = parent
                .child_by_field_name("attribute")
                .is_some_and(|a| ctx.node_text(a) == "close");
            (used && !closed).then_some((Leak::Inline, node))
        }
        "assignment" => {
            let left = parent.child_by_field_name("left")?;
            if left.kind() != "identifier"
                || parent
                    .parent()
                    .is_none_or(|p| p.kind() != "expression_statement")
            {
                return None;
            }
            let name = ctx.node_text(left);
            let scope = scope_of(parent)?;
            // Module-level resources live as long as the program by design.
            if scope.kind() == "module" {
                return None;
            }
            let mut bindings = 0;
            for n in common::descendants(scope) {
                if n.kind() != "identifier" || ctx.node_text(n) != name {
                    continue;
                }
                if n.start_byte() < parent.start_byte() && n.id() != left.id() {
                    continue;
                }
                let rebinds = n.parent().is_some_and(|p| {
                    matches!(
                        p.kind(),
                        "assignment" | "for_statement" | "as_pattern_target"
                    ) && p
                        .child_by_field_name("left")
                        .is_some_and(|l| l.id() == n.id())
                });
                if rebinds {
                    bindings += 1;
                    continue;
                }
                if n.parent().is_some_and(|p| p.kind() == "as_pattern_target")
                    || closes_or_escapes(ctx, n)
                {
                    return None;
                }
            }
            // Rebound later: too complex to follow.
            if bindings > 1 {
                return None;
            }
            Some((Leak::Bound(name.to_string()), node))
        }
        _ => None,
    }
}

/// The statements of the assignment's block from the assignment to the last one mentioning
/// `name`, when no use of `name` lies outside them and none spans lines inside a string.
fn with_block<'t>(ctx: &Context<'t>, call: Node<'t>, name: &str) -> Option<(Node<'t>, Node<'t>)> {
    let statement = call.parent()?.parent()?;
    let block = statement.parent()?;
    if block.kind() != "block" {
        return None;
    }
    let mut cursor = block.walk();
    let siblings: Vec<Node<'t>> = block
        .named_children(&mut cursor)
        .filter(|n| n.start_byte() >= statement.start_byte())
        .collect();
    let mentions = |n: Node<'t>| {
        common::descendants(n)
            .iter()
            .any(|d| d.kind() == "identifier" && ctx.node_text(*d) == name)
    };
    let last = siblings.iter().rev().find(|n| mentions(**n)).copied()?;
    let scope = scope_of(block)?;
    let outside = common::descendants(scope).into_iter().any(|d| {
        d.kind() == "identifier"
            && ctx.node_text(d) == name
            && d.start_byte() >= statement.start_byte()
            && d.start_byte() >= last.end_byte()
    });
    let multiline_string = siblings
        .iter()
        .filter(|n| n.start_byte() <= last.start_byte())
        .flat_map(|n| common::descendants(*n))
        .any(|d| d.kind() == "string" && d.start_position().row != d.end_position().row);
    (!outside && !multiline_string).then_some((statement, last))
}

impl Detector for ResourceLeak {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn scope(&self) -> Scope {
        Scope::Definition
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        ctx.facts
            .calls
            .iter()
            .filter(|c| opens_resource(c))
            .filter_map(|call| {
                let (_, node) = leak(ctx, call)?;
                Some(Hit::new(node.byte_range(), call.name.clone()))
            })
            .collect()
    }

    fn message(&self, ctx: &Context<'_>, hit: &Hit) -> String {
        let inline = ctx
            .facts
            .call_at(&hit.range)
            .and_then(|c| leak(ctx, c))
            .is_some_and(|(l, _)| matches!(l, Leak::Inline));
        let how = if inline {
            "is used once and never closed"
        } else {
            "is never closed, used in `with`, or handed on"
        };
        format!(
            "The resource opened by `{}` {how}: its handle stays open until garbage collection, \
             and under load the process runs out of descriptors or connections ({}). Open it in \
             a `with` block.",
            hit.subject,
            META.cwe_list()
        )
    }

    fn fix(&self, ctx: &Context<'_>, hit: &Hit) -> Vec<Fix> {
        let Some(call) = ctx.facts.call_at(&hit.range) else {
            return Vec::new();
        };
        let Some((Leak::Bound(name), node)) = leak(ctx, call) else {
            return Vec::new();
        };
        // A sqlite3 connection used as a context manager commits but stays open.
        if call.name == "sqlite3.connect" {
            return Vec::new();
        }
        let Some((statement, last)) = with_block(ctx, node, &name) else {
            return Vec::new();
        };
        let body_start = ctx
            .text(statement.end_byte()..ctx.source.len())
            .find('\n')
            .map_or(ctx.source.len(), |i| statement.end_byte() + i + 1);
        if body_start > last.end_byte() {
            // Nothing follows the assignment: `with open(...) as f: pass` would be pointless.
            return Vec::new();
        }
        let body = ctx.text(body_start..last.end_byte());
        // A comment after the assignment stays on the `with` line.
        let trailing = ctx.text(statement.end_byte()..body_start).trim_end();
        let mut replacement = format!("with {} as {name}:{trailing}\n", ctx.node_text(node));
        for (i, line) in body.split('\n').enumerate() {
            if i > 0 {
                replacement.push('\n');
            }
            if !line.trim().is_empty() {
                replacement.push_str("    ");
            }
            replacement.push_str(line);
        }
        vec![Fix::new(
            format!("Open it in a `with` block as `{name}`"),
            vec![Edit::replace(
                statement.start_byte()..last.end_byte(),
                replacement,
            )],
            Applicability::Unsafe,
        )]
    }
}
