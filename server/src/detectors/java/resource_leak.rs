//! `java/resource-leak`: streams, readers, sockets and JDBC connections opened in a method and not
//! closed on every path.

use tree_sitter::Node;

use super::common::enclosing_body;
use super::sinks::split_call;
use crate::analysis::{Call, CallKind};
use crate::detectors::{Context, Detector, DetectorMeta, Hit};
use crate::finding::{Applicability, Category, Edit, Fix, Severity};
use crate::lang::{syntax, Language};

/// Flags resources assigned to a local and never closed, closed outside `finally`, or opened
/// inline and discarded.
pub struct ResourceLeak;

/// The detector instance.
pub static RESOURCE_LEAK: ResourceLeak = ResourceLeak;

static META: DetectorMeta = DetectorMeta {
    id: "java/resource-leak@v1.0",
    name: "Resource leak",
    language: Language::Java,
    severity: Severity::Medium,
    cwes: &[400, 772],
    category: Category::Security,
    express: true,
    docs: r#"## What it does
Flags resources opened in a method that are not closed on every path: file streams, readers and
writers (`FileInputStream`, `FileOutputStream`, `FileReader`, `FileWriter`, `RandomAccessFile`,
`PrintWriter` / `PrintStream` / `Scanner` on a file, `ZipFile`, `JarFile`), wrappers around a stream
opened inline (`new BufferedReader(new FileReader(f))`), sockets, `java.nio.file.Files` streams
(`newInputStream`, `newBufferedReader`, `lines`, `list`, `walk`, ...) and JDBC connections and
statements. A resource assigned to a local variable is flagged when the method never closes it, or
closes it only outside a `finally` block (an exception before `close()` leaks it); one opened
inline and used once (`new FileReader(f).read()`) is flagged too. Resources declared in
try-with-resources, closed in `finally`, returned, stored in a field or handed to another call
(which then owns them) are not flagged. The catalogue publishes no severity; Codeward uses Medium
(exhausting file handles or connections makes the service unavailable) with CWE-400 and CWE-772.

It does not follow a resource into the method it was handed to, and does not know that closing a
JDBC connection also closes its statements.

## Why is this bad?
Every leaked stream holds a file handle and every leaked connection a database connection until
the garbage collector (maybe) finalises it. Under load the process runs out of handles or the
pool runs dry, and the service stops answering.

## Example
```java
BufferedReader reader = new BufferedReader(new FileReader(path));
String first = reader.readLine();
reader.close();
```

## Use instead
```java
try (BufferedReader reader = new BufferedReader(new FileReader(path))) {
    String first = reader.readLine();
}
```

## Fix safety
The fix turns the declaration into a try-with-resources statement spanning the rest of the block
and removes a plain `close()` call on the variable in it. It is unsafe: the resource now closes at
the end of the block, and an exception thrown by `close()` may need handling.

## References
- [CWE-400: Uncontrolled Resource Consumption](https://cwe.mitre.org/data/definitions/400.html)
- [CWE-772: Missing Release of Resource after Effective Lifetime](https://cwe.mitre.org/data/definitions/772.html)
"#,
};

/// Classes that open a resource whatever their arguments.
const OPENERS: &[&str] = &[
    "java.io.FileInputStream",
    "java.io.FileOutputStream",
    "java.io.FileReader",
    "java.io.FileWriter",
    "java.io.RandomAccessFile",
    "java.util.zip.ZipFile",
    "java.util.jar.JarFile",
    "java.net.Socket",
    "java.net.ServerSocket",
];

/// Classes that open a file when given a file name or `File`, and wrap a stream otherwise.
const FILE_OR_WRAPPER: &[&str] = &[
    "java.io.PrintWriter",
    "java.io.PrintStream",
    "java.util.Scanner",
];

/// Classes that wrap another stream.
const WRAPPERS: &[&str] = &[
    "java.io.BufferedReader",
    "java.io.BufferedWriter",
    "java.io.InputStreamReader",
    "java.io.OutputStreamWriter",
    "java.io.BufferedInputStream",
    "java.io.BufferedOutputStream",
    "java.io.DataInputStream",
    "java.io.DataOutputStream",
    "java.io.ObjectInputStream",
    "java.io.ObjectOutputStream",
    "java.util.zip.GZIPInputStream",
    "java.util.zip.GZIPOutputStream",
    "java.io.PrintWriter",
    "java.io.PrintStream",
    "java.util.Scanner",
];

/// Methods returning a resource the caller must close.
const FACTORIES: &[&str] = &[
    "java.sql.DriverManager.getConnection",
    "javax.sql.DataSource.getConnection",
    "java.sql.Connection.createStatement",
    "java.sql.Connection.prepareStatement",
    "java.sql.Connection.prepareCall",
    "java.nio.file.Files.newInputStream",
    "java.nio.file.Files.newOutputStream",
    "java.nio.file.Files.newBufferedReader",
    "java.nio.file.Files.newBufferedWriter",
    "java.nio.file.Files.lines",
    "java.nio.file.Files.list",
    "java.nio.file.Files.walk",
];

/// Whether a call opens a resource the method owns.
fn opens(ctx: &Context<'_>, call: &Call) -> bool {
    if call.kind != CallKind::Constructor {
        return FACTORIES.contains(&call.name.as_str());
    }
    let (class, _) = split_call(call);
    if OPENERS.contains(&class) {
        return true;
    }
    let first = call.positional(0);
    let file_argument = first.is_some_and(|a| {
        matches!(
            a.value.type_name.as_deref(),
            Some("java.lang.String" | "java.io.File" | "java.nio.file.Path")
        )
    });
    if FILE_OR_WRAPPER.contains(&class) && file_argument {
        return true;
    }
    // A wrapper around a resource opened inline owns it.
    WRAPPERS.contains(&class)
        && first.is_some_and(|a| {
            ctx.facts
                .calls
                .iter()
                .any(|inner| inner.range == a.range && opens(ctx, inner))
        })
}

/// How a local resource variable is used in its method.
#[derive(Default)]
struct Usage {
    escapes: bool,
    closed_in_finally: bool,
    closed: bool,
}

/// Whether `node` lies inside a `finally` block (within `limit`).
fn in_finally(node: Node<'_>, limit: Node<'_>) -> bool {
    let mut current = node.parent();
    while let Some(n) = current {
        if n.kind() == "finally_clause" {
            return true;
        }
        if n.id() == limit.id() {
            return false;
        }
        current = n.parent();
    }
    false
}

/// How `var`, declared at `declared`, is used in `body`.
fn usage<'t>(ctx: &Context<'t>, body: Node<'t>, var: &str, declared: Node<'t>) -> Usage {
    let mut out = Usage::default();
    let mut stack = vec![(body, 0usize)];
    while let Some((node, depth)) = stack.pop() {
        if depth > syntax::MAX_DEPTH {
            continue;
        }
        if node.kind() == "identifier" && node.id() != declared.id() && ctx.node_text(node) == var {
            let Some(parent) = node.parent() else {
                continue;
            };
            match parent.kind() {
                "method_invocation" => {
                    let is_object = parent
                        .child_by_field_name("object")
                        .is_some_and(|o| o.id() == node.id());
                    let method = parent
                        .child_by_field_name("name")
                        .map_or("", |n| ctx.node_text(n));
                    if is_object && method == "close" {
                        if in_finally(parent, body) {
                            out.closed_in_finally = true;
                        } else {
                            out.closed = true;
                        }
                    }
                }
                "argument_list" => {
                    let helper = parent
                        .parent()
                        .and_then(|c| c.child_by_field_name("name"))
                        .is_some_and(|n| ctx.node_text(n).starts_with("close"));
                    if helper && in_finally(parent, body) {
                        out.closed_in_finally = true;
                    } else {
                        out.escapes = true;
                    }
                }
                "return_statement"
                | "assignment_expression"
                | "variable_declarator"
                | "array_initializer"
                | "ternary_expression"
                | "cast_expression"
                | "resource"
                | "lambda_expression"
                | "yield_statement" => out.escapes = true,
                _ => {}
            }
            continue;
        }
        // A lambda or anonymous class may close or keep the resource later.
        if matches!(node.kind(), "lambda_expression" | "class_body")
            && syntax::text(node, ctx.source).contains(var)
        {
            out.escapes = true;
        }
        let mut cursor = node.walk();
        for child in node.named_children(&mut cursor) {
            stack.push((child, depth + 1));
        }
    }
    out
}

/// The hit for one resource-opening call, if it leaks.
fn leak(ctx: &Context<'_>, call: &Call) -> Option<Hit> {
    let node = ctx.node_at(call.range.clone())?;
    let parent = node.parent()?;
    match parent.kind() {
        // `new FileReader(f).read()`: used once and dropped.
        "method_invocation" => {
            let is_object = parent
                .child_by_field_name("object")
                .is_some_and(|o| o.id() == node.id());
            let method = parent
                .child_by_field_name("name")
                .map_or("", |n| ctx.node_text(n));
            let chained_factory =
                FACTORIES.contains(&call.name.as_str()) && method.starts_with("execute");
            // The channel owns the stream; closing one closes the other.
            let handed_on = matches!(method, "close" | "getChannel");
            if !is_object || handed_on || chained_factory {
                return None;
            }
            // A stream pipeline (`Files.lines(p).map(...)`) handed back or passed on is the
            // receiver's to close.
            let mut top = parent;
            while let Some(up) = top.parent() {
                let chained = up.kind() == "method_invocation"
                    && up
                        .child_by_field_name("object")
                        .is_some_and(|o| o.id() == top.id());
                if !chained {
                    break;
                }
                top = up;
            }
            let pipeline = matches!(
                call.name.as_str(),
                "java.nio.file.Files.lines"
                    | "java.nio.file.Files.list"
                    | "java.nio.file.Files.walk"
            );
            let passed_on = top.parent().is_some_and(|c| {
                matches!(
                    c.kind(),
                    "return_statement"
                        | "argument_list"
                        | "lambda_expression"
                        | "variable_declarator"
                        | "assignment_expression"
                )
            });
            (!(pipeline && passed_on)).then(|| Hit::new(call.range.clone(), "inline"))
        }
        "variable_declarator" => {
            let declaration = parent.parent()?;
            if declaration.kind() != "local_variable_declaration" {
                return None;
            }
            let name = parent.child_by_field_name("name")?;
            let var = ctx.node_text(name);
            let body = enclosing_body(node)?;
            let used = usage(ctx, body, var, name);
            if used.escapes || used.closed_in_finally {
                return None;
            }
            let subject = if used.closed { "finally" } else { "never" };
            Some(Hit::new(call.range.clone(), subject).with_anchor(declaration.byte_range()))
        }
        _ => None,
    }
}

impl Detector for ResourceLeak {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        ctx.facts
            .calls
            .iter()
            .filter(|call| opens(ctx, call))
            .filter_map(|call| leak(ctx, call))
            .collect()
    }

    fn message(&self, _ctx: &Context<'_>, hit: &Hit) -> String {
        let what = match hit.subject.as_str() {
            "inline" => "is opened, used once and never closed",
            "finally" => {
                "is closed outside a `finally` block, so an exception before `close()` leaks it"
            }
            _ => "is never closed",
        };
        format!(
            "Resource leak (CWE-772): this resource {what}. Leaked handles and connections pile \
             up until the service runs out of them. Open it in a try-with-resources statement."
        )
    }

    fn fix(&self, ctx: &Context<'_>, hit: &Hit) -> Vec<Fix> {
        if hit.subject == "inline" {
            return Vec::new();
        }
        try_with_resources(ctx, hit).into_iter().collect()
    }
}

/// Turns `T v = open(...); rest` into `try (T v = open(...)) { rest }` up to the end of the block,
/// dropping a top-level `v.close();`.
fn try_with_resources(ctx: &Context<'_>, hit: &Hit) -> Option<Fix> {
    let declaration = ctx.node_at(hit.anchor.clone())?;
    let block = declaration.parent().filter(|b| b.kind() == "block")?;
    let declarators = {
        let mut cursor = declaration.walk();
        let count = declaration
            .children_by_field_name("declarator", &mut cursor)
            .count();
        count
    };
    if declarators != 1 {
        return None;
    }
    let var = declaration
        .child_by_field_name("declarator")
        .and_then(|d| d.child_by_field_name("name"))
        .map(|n| ctx.node_text(n))?;
    let mut cursor = block.walk();
    let siblings: Vec<Node<'_>> = block.named_children(&mut cursor).collect();
    let position = siblings.iter().position(|s| s.id() == declaration.id())?;
    let following = siblings.get(position + 1..).unwrap_or(&[]);
    let end = following
        .last()
        .map_or(declaration.end_byte(), |s| s.end_byte());
    let mut rest = String::new();
    let mut at = declaration.end_byte();
    for statement in following {
        let closes = statement.kind() == "expression_statement"
            && statement.named_child(0).is_some_and(|call| {
                call.kind() == "method_invocation"
                    && call
                        .child_by_field_name("object")
                        .is_some_and(|o| ctx.node_text(o) == var)
                    && call
                        .child_by_field_name("name")
                        .is_some_and(|n| ctx.node_text(n) == "close")
            });
        if closes {
            // Drop the statement with the line break and indentation before it.
            let before = ctx.source.get(at..statement.start_byte())?;
            let kept = before.trim_end_matches([' ', '\t']);
            let kept = kept
                .strip_suffix('\n')
                .map(|k| k.strip_suffix('\r').unwrap_or(k))
                .unwrap_or(kept);
            rest.push_str(kept);
            at = statement.end_byte();
        }
    }
    rest.push_str(ctx.source.get(at..end)?);
    let indent = ctx.indentation_at(declaration.start_byte());
    let unit = if indent.contains('\t') { "\t" } else { "    " };
    let mut reindented = String::new();
    let mut lines = rest.split('\n');
    if let Some(first) = lines.next() {
        reindented.push_str(first);
    }
    for line in lines {
        reindented.push('\n');
        if !line.trim().is_empty() {
            reindented.push_str(unit);
        }
        reindented.push_str(line);
    }
    let head = ctx.text(declaration.byte_range());
    let head = head.trim_end().strip_suffix(';')?;
    let replacement = format!("try ({head}) {{{reindented}\n{indent}}}");
    Some(Fix::new(
        "Use try-with-resources",
        vec![Edit::replace(declaration.start_byte()..end, replacement)],
        Applicability::Unsafe,
    ))
}
