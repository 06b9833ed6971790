//! `python/stack-trace-exposure@v1.0`: tracebacks and raw exception text sent to web clients.

use tree_sitter::Node;

use crate::detectors::{Context, Detector, DetectorMeta, Hit, Scope};
use crate::finding::{Applicability, Category, Edit, Fix, Severity};
use crate::lang::Language;

use super::{common, syntax_help, taint_sink};

/// Flags web responses built from a formatted traceback or from the text of an exception caught
/// by a catch-all handler.
pub struct StackTraceExposure;

/// The detector's metadata and documentation.
pub static META: DetectorMeta = DetectorMeta {
    id: "python/stack-trace-exposure@v1.0",
    name: "Stack trace exposure",
    language: Language::Python,
    severity: Severity::Info,
    cwes: &[209],
    category: Category::Security,
    express: true,
    docs: r#"## What it does
In a module that uses a web framework (Flask, Django, FastAPI/Starlette, aiohttp, Quart, Bottle,
Sanic, Falcon, Pyramid, Tornado), flags response content built from a formatted traceback
(`traceback.format_exc()`, `format_exception`, `format_tb`, `format_stack`, directly or through
a variable assigned once) or from the exception object of a catch-all handler (`except:`,
`except Exception as e`, `except BaseException as e`): `str(e)`, `repr(e)`, `e` itself, `e.args`,
or `e` inside an f-string or `%` / `format` string. It looks at the arguments of response
constructors (`jsonify`, `make_response`, `Response`, `abort`, `HttpResponse`, `JsonResponse`,
`JSONResponse`, `PlainTextResponse`, `HTTPException`, `aiohttp.web.Response` and friends) and
at the values returned by view functions (decorated with `route`, `get`, `post`, ...,
`errorhandler`, `exception_handler`, `api_view`).

It deliberately does not flag the text of a *specific* exception (`except ValueError as e:
return jsonify(error=str(e)), 400`): such messages are usually written by the application to be
shown, and flagging them would bury real findings. Nor does it flag `type(e).__name__`, an exception only tested to choose a message
(`"empty" if e.args == ("empty",) else "failed"`), logging
the traceback (the right thing to do), exceptions re-raised, or responses built in helper
functions in other modules.

## Why is this bad?
A traceback or an unexpected exception message reveals file paths, library versions, SQL
fragments, configuration values and code structure, which help an attacker plan further attacks
(CWE-209).

## Example
```python
import traceback
from flask import Flask, jsonify

app = Flask(__name__)

@app.route("/report")
def report():
    try:
        return build_report()
    except Exception:
        return jsonify(error=traceback.format_exc()), 500
```

## Use instead
```python
import logging
from flask import Flask, jsonify

app = Flask(__name__)

@app.route("/report")
def report():
    try:
        return build_report()
    except Exception:
        logging.exception("report failed")
        return jsonify(error="An internal error occurred."), 500
```

## Fix safety
The fix replaces the exposed expression with the generic message
`"An internal error occurred."`. It is unsafe: clients that parse the error text see a different
message, and the details should still be logged on the server (add `logging.exception(...)`).
There is no fix inside f-strings.

## References
- [CWE-209: Generation of Error Message Containing Sensitive Information](https://cwe.mitre.org/data/definitions/209.html)
- [OWASP: Improper Error Handling](https://owasp.org/www-community/Improper_Error_Handling)
"#,
};

const FRAMEWORKS: [&str; 12] = [
    "flask",
    "django",
    "fastapi",
    "starlette",
    "aiohttp",
    "quart",
    "bottle",
    "sanic",
    "falcon",
    "pyramid",
    "tornado",
    "werkzeug",
];

const TRACEBACK_FORMATTERS: [&str; 5] = [
    "traceback.format_exc",
    "traceback.format_exception",
    "traceback.format_exception_only",
    "traceback.format_tb",
    "traceback.format_stack",
];

const GENERIC_MESSAGE: &str = "\"An internal error occurred.\"";

/// Whether a qualified call name builds an HTTP response or an HTTP error shown to the client.
fn is_response_call(name: &str) -> bool {
    let last = crate::analysis::last_segment(name);
    let framework = FRAMEWORKS.iter().any(|f| {
        name.strip_prefix(f)
            .is_some_and(|rest| rest.starts_with('.'))
    });
    framework
        && (last.ends_with("Response")
            || matches!(
                last,
                "jsonify" | "make_response" | "abort" | "json_response" | "HTTPException"
            )
            || last.starts_with("HttpResponse")
            || last.starts_with("HTTP"))
}

/// The qualified name of the function a call node calls, when written as a dotted name.
fn called<'t>(ctx: &Context<'t>, call: Node<'t>) -> Option<String> {
    let function = call.child_by_field_name("function")?;
    common::qualified_at(ctx, function.byte_range())
}

fn is_traceback_call<'t>(ctx: &Context<'t>, node: Node<'t>) -> bool {
    node.kind() == "call"
        && called(ctx, node).is_some_and(|n| TRACEBACK_FORMATTERS.contains(&n.as_str()))
}

/// The name bound by the closest enclosing catch-all `except ... as name` around `node`, in the
/// same function.
fn broad_exception_name<'t>(ctx: &Context<'t>, node: Node<'t>) -> Option<&'t str> {
    let mut from = node;
    for _ in 0..crate::lang::syntax::MAX_DEPTH {
        let clause = syntax_help::ancestor(
            from,
            &["except_clause"],
            &["function_definition", "lambda", "class_definition"],
        )?;
        if let Some(name) = syntax_help::except_alias(ctx, clause) {
            return syntax_help::catches_broadly(ctx, clause).then_some(name);
        }
        from = clause;
    }
    None
}

/// Whether an identifier use of the exception exposes its text (not `type(e)`, `e.code`,
/// `isinstance(e, ...)`).
fn exposes_exception<'t>(ctx: &Context<'t>, use_site: Node<'t>) -> bool {
    let Some(parent) = use_site.parent() else {
        return true;
    };
    match parent.kind() {
        "attribute" => {
            parent.child_by_field_name("object") != Some(use_site)
                || parent
                    .child_by_field_name("attribute")
                    .is_some_and(|a| matches!(ctx.node_text(a), "args" | "message" | "msg"))
        }
        "argument_list" => {
            let callee = parent
                .parent()
                .and_then(|c| c.child_by_field_name("function"))
                .map(|f| ctx.node_text(f));
            !matches!(
                callee,
                Some("type" | "isinstance" | "id" | "getattr" | "hasattr")
            )
        }
        _ => true,
    }
}

/// Whether a use of the exception, below `root`, only decides between values: inside a
/// comparison, a `not`, or the condition of `a if condition else b`.
fn only_tested<'t>(use_site: Node<'t>, root: Node<'t>) -> bool {
    let mut child = use_site;
    for _ in 0..crate::lang::syntax::MAX_DEPTH {
        if child == root {
            return false;
        }
        let Some(parent) = child.parent() else {
            return false;
        };
        match parent.kind() {
            "comparison_operator" | "not_operator" => return true,
            "conditional_expression" if parent.named_child(1) == Some(child) => return true,
            _ => child = parent,
        }
    }
    false
}

/// The expression to report for an exposing node: `str(e)` / `repr(e)` rather than `e`.
fn widen<'t>(ctx: &Context<'t>, node: Node<'t>) -> Node<'t> {
    let Some(list) = node.parent().filter(|p| p.kind() == "argument_list") else {
        return node;
    };
    let Some(call) = list.parent() else {
        return node;
    };
    let is_text = call
        .child_by_field_name("function")
        .is_some_and(|f| matches!(ctx.node_text(f), "str" | "repr" | "format"));
    if is_text && list.named_child_count() == 1 {
        call
    } else {
        node
    }
}

/// What the file has that exposures can come from, checked once per scan: most files have no
/// traceback formatting and many no `except` clause, and the per-node checks climb the tree.
#[derive(Clone, Copy)]
struct Present {
    traceback_calls: bool,
    except_clauses: bool,
}

impl Present {
    fn of(ctx: &Context<'_>) -> Self {
        Self {
            traceback_calls: ctx
                .facts
                .calls
                .iter()
                .any(|c| TRACEBACK_FORMATTERS.contains(&c.name.as_str())),
            except_clauses: !ctx.nodes_of_kind("except_clause").is_empty(),
        }
    }
}

/// Every exposing sub-expression of `root`.
fn exposures<'t>(
    ctx: &Context<'t>,
    present: Present,
    root: Node<'t>,
    out: &mut Vec<(Node<'t>, String)>,
) {
    let exception = if present.except_clauses {
        broad_exception_name(ctx, root)
    } else {
        None
    };
    if exception.is_none() && !present.traceback_calls {
        return;
    }
    for node in common::descendants(root) {
        if present.traceback_calls && is_traceback_call(ctx, node) {
            out.push((node, ctx.node_text(node).to_string()));
            continue;
        }
        if node.kind() != "identifier" {
            continue;
        }
        let name = ctx.node_text(node);
        if exception == Some(name) && exposes_exception(ctx, node) && !only_tested(node, root) {
            let shown = widen(ctx, node);
            out.push((shown, format!("the text of exception `{name}`")));
            continue;
        }
        let from_traceback = present.traceback_calls
            && taint_sink::only_assignment(ctx, node).is_some_and(|rhs| {
                common::descendants(rhs)
                    .into_iter()
                    .any(|n| is_traceback_call(ctx, n))
            });
        if from_traceback {
            out.push((node, format!("`{name}` (a formatted traceback)")));
        }
    }
}

/// The values returned by view functions (not by functions or lambdas nested in them).
fn returned_values<'t>(ctx: &Context<'t>) -> Vec<Node<'t>> {
    let mut values = Vec::new();
    for &decorated in ctx.nodes_of_kind("decorated_definition") {
        let Some(function) = decorated
            .child_by_field_name("definition")
            .filter(|d| d.kind() == "function_definition")
        else {
            continue;
        };
        if !syntax_help::is_view_definition(ctx, decorated) {
            continue;
        }
        let Some(body) = function.child_by_field_name("body") else {
            continue;
        };
        let mut stack = vec![(body, 0usize)];
        while let Some((node, depth)) = stack.pop() {
            match node.kind() {
                "return_statement" => values.extend(node.named_child(0)),
                "function_definition" | "lambda" | "class_definition" => {}
                _ if depth < crate::lang::syntax::MAX_DEPTH => {
                    let mut cursor = node.walk();
                    stack.extend(node.named_children(&mut cursor).map(|c| (c, depth + 1)));
                }
                _ => {}
            }
        }
    }
    values.sort_by_key(|n| n.start_byte());
    values
}

impl Detector for StackTraceExposure {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn scope(&self) -> Scope {
        Scope::Definition
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        if !FRAMEWORKS.iter().any(|f| ctx.facts.imports.imports(f)) {
            return Vec::new();
        }
        let mut roots: Vec<Node<'_>> = ctx
            .facts
            .calls
            .iter()
            .filter(|c| is_response_call(&c.name))
            .flat_map(|c| c.args.iter())
            .filter_map(|a| ctx.node_at(a.range.clone()))
            .collect();
        roots.extend(returned_values(ctx));
        let present = Present::of(ctx);
        let mut found = Vec::new();
        for root in roots {
            exposures(ctx, present, root, &mut found);
        }
        let mut hits: Vec<Hit> = Vec::new();
        for (node, subject) in found {
            let range = node.byte_range();
            if hits.iter().any(|h| h.range == range) {
                continue;
            }
            hits.push(Hit::new(range, subject));
        }
        hits
    }

    fn message(&self, _ctx: &Context<'_>, hit: &Hit) -> String {
        format!(
            "This response sends {} to the client; tracebacks and unexpected exception messages \
             reveal file paths, versions and internals that help an attacker ({}). Log the \
             details on the server (`logging.exception`) and return a generic message.",
            hit.subject,
            META.cwe_list()
        )
    }

    fn fix(&self, ctx: &Context<'_>, hit: &Hit) -> Vec<Fix> {
        let Some(node) = ctx.node_at(hit.range.clone()) else {
            return Vec::new();
        };
        let in_fstring =
            syntax_help::ancestor(node, &["interpolation"], &["block", "module"]).is_some();
        if in_fstring {
            return Vec::new();
        }
        vec![Fix::new(
            "Return a generic error message",
            vec![Edit::replace(hit.range.clone(), GENERIC_MESSAGE)],
            Applicability::Unsafe,
        )]
    }
}
