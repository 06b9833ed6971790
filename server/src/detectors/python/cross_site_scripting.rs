//! `python/cross-site-scripting@v1.0`: untrusted data written into HTML without escaping, and
//! Jinja2 environments that do not escape.

use tree_sitter::Node;

use crate::analysis::python::{is_view_class, is_view_method, RETURN_TARGET};
use crate::analysis::{Arg, Call, SinkKind, SourceKind};
use crate::detectors::{Context, Detector, DetectorMeta, Hit, Scope};
use crate::finding::{Applicability, Category, Edit, Fix, Severity};
use crate::lang::Language;

use super::{common, syntax_help, taint_sink};

/// Flags untrusted data in HTML responses and markup marked safe, and Jinja2 environments
/// created without autoescaping.
pub struct CrossSiteScripting;

/// The detector's metadata and documentation.
pub static META: DetectorMeta = DetectorMeta {
    id: "python/cross-site-scripting@v1.0",
    name: "Cross-site scripting",
    language: Language::Python,
    severity: Severity::High,
    cwes: &[20, 79, 80],
    category: Category::Security,
    express: true,
    docs: r#"## What it does
Flags two things. First, web request data and network reads written into an HTML response
without escaping: the body of Django `HttpResponse`, Flask `make_response` / `Response`,
Starlette / FastAPI `HTMLResponse`, text marked as safe markup (`markupsafe.Markup`,
`flask.Markup`, Django `mark_safe`, the format string of `format_html`), and text returned by a
Flask, Quart or Bottle view (`@app.route`, `@bp.get`, ..., or the `get` / `post` / ... method
of a `MethodView`: a returned `str` is sent as an HTML page), such as `return f"<p>Hello {name}</p>"` or `return "<p>" + request.args["q"], 200`. Data passed through
`html.escape`, `markupsafe.escape`, `django.utils.html.escape` or `bleach.clean`, rendered by
Flask's `render_template` or Django's `render` / `render_to_string` (which escape), converted to
numbers, or checked against an allow-list is not flagged, nor responses declared with a
non-HTML `mimetype` / `content_type` / `media_type` (`application/json`, `text/plain`).
Second, `jinja2.Environment` created without `autoescape` or with `autoescape=False` (Jinja2
does not escape by default). It does not see templates rendered with `|safe`, data stored and
read back from a database, views of an application object imported from another module, or
text a view returns through a helper function's call (it
cannot tell a helper that builds HTML from one that builds a JSON response); FastAPI views are
not flagged for returned text (FastAPI sends it as JSON).

## Why is this bad?
Markup or script in the data runs in the victim's browser with the site's origin: it can steal
session cookies, act as the user, or rewrite the page (CWE-79, CWE-80). Accepting the data
unvalidated is the root cause (CWE-20).

## Example
```python
import jinja2
from django.http import HttpResponse

def greet(request):
    return HttpResponse("<h1>Hello " + request.GET["name"] + "</h1>")

env = jinja2.Environment(loader=jinja2.FileSystemLoader("templates"))
```

## Use instead
```python
import html
import jinja2
from django.http import HttpResponse

def greet(request):
    return HttpResponse("<h1>Hello " + html.escape(request.GET["name"]) + "</h1>")

env = jinja2.Environment(loader=jinja2.FileSystemLoader("templates"), autoescape=True)
```

## Fix safety
For `jinja2.Environment` the fix sets `autoescape=True`. It is unsafe: templates that build HTML
in variables and print it expecting no escaping must mark it `|safe` or use `Markup`. There is no
automatic fix for responses: escape the data with `html.escape` or render a template.

## References
- [CWE-79: Cross-site Scripting](https://cwe.mitre.org/data/definitions/79.html)
- [CWE-80: Basic XSS](https://cwe.mitre.org/data/definitions/80.html)
- [CWE-20: Improper Input Validation](https://cwe.mitre.org/data/definitions/20.html)
- [Jinja2 autoescaping](https://jinja.palletsprojects.com/en/stable/api/#autoescaping)
"#,
};

/// Sources not reported: the local user writing into a page they view themselves.
const IGNORED: [SourceKind; 3] = [
    SourceKind::CommandLine,
    SourceKind::Environment,
    SourceKind::Stdin,
];

/// Whether the response is declared as something other than HTML (`application/json`,
/// `text/plain`), which browsers do not render as markup.
fn not_html(call: &Call) -> bool {
    ["mimetype", "content_type", "media_type"]
        .iter()
        .filter_map(|k| call.keyword(k))
        .filter_map(|a| a.value.const_str())
        .any(|t| !t.to_ascii_lowercase().contains("html"))
}

/// The HTML arguments of a response or markup sink.
fn html_args<'c>(_ctx: &Context<'_>, call: &'c Call) -> Vec<&'c Arg> {
    if not_html(call) {
        return Vec::new();
    }
    match call.name.as_str() {
        "django.http.HttpResponse" | "django.http.response.HttpResponse" => {
            taint_sink::one(call, 0, "content")
        }
        "flask.make_response" => call.positional(0).into_iter().collect(),
        "flask.Response" | "werkzeug.Response" | "werkzeug.wrappers.Response" => {
            taint_sink::one(call, 0, "response")
        }
        "starlette.responses.HTMLResponse" | "fastapi.responses.HTMLResponse" => {
            taint_sink::one(call, 0, "content")
        }
        "markupsafe.Markup" | "flask.Markup" | "jinja2.Markup" => taint_sink::one(call, 0, "base"),
        "django.utils.safestring.mark_safe" | "django.utils.safestring.SafeString" => {
            taint_sink::one(call, 0, "s")
        }
        "django.utils.html.format_html" => taint_sink::one(call, 0, "format_string"),
        _ => Vec::new(),
    }
}

/// Whether a decorator call (by resolved name) registers a view whose returned `str` the
/// framework sends as an HTML page: Flask, Quart and Bottle routes.
fn html_view_decorator(name: &str) -> bool {
    const METHODS: [&str; 6] = ["route", "get", "post", "put", "delete", "patch"];
    let Some((owner, method)) = crate::analysis::split_last_dot(name) else {
        return false;
    };
    METHODS.contains(&method)
        && matches!(
            owner,
            "flask.Flask"
                | "flask.app.Flask"
                | "flask.Blueprint"
                | "flask.blueprints.Blueprint"
                | "quart.Quart"
                | "quart.Blueprint"
                | "bottle"
                | "bottle.Bottle"
        )
}

/// Whether the function a returned expression belongs to is an HTML view: its nearest enclosing
/// function is decorated with a Flask, Quart or Bottle route, or is an HTTP method of a Flask or
/// Quart class-based view (`class Page(MethodView): def get(self): ...`).
fn in_html_view(ctx: &Context<'_>, returned: Node<'_>) -> bool {
    let Some(function) = syntax_help::ancestor(returned, &["function_definition"], &["lambda"])
    else {
        return false;
    };
    if is_view_class_method(ctx, function) {
        return true;
    }
    let Some(decorated) = function
        .parent()
        .filter(|p| p.kind() == "decorated_definition")
    else {
        return false;
    };
    let mut cursor = decorated.walk();
    let decorators: Vec<Node<'_>> = decorated
        .named_children(&mut cursor)
        .filter(|c| c.kind() == "decorator")
        .collect();
    decorators.into_iter().any(|decorator| {
        decorator
            .named_child(0)
            .filter(|expr| expr.kind() == "call")
            .and_then(|call| ctx.facts.call_at(&call.byte_range()))
            .is_some_and(|call| html_view_decorator(&call.name))
    })
}

/// Whether a function is an HTTP method (`get`, `post`, ..., `dispatch_request`) defined in the
/// body of a class deriving from a class-based view.
fn is_view_class_method(ctx: &Context<'_>, function: Node<'_>) -> bool {
    let is_method = function
        .child_by_field_name("name")
        .is_some_and(|name| is_view_method(ctx.node_text(name)));
    let class = function
        .parent()
        .filter(|body| body.kind() == "block")
        .and_then(|body| body.parent())
        .filter(|class| class.kind() == "class_definition");
    let Some(bases) = class.and_then(|c| c.child_by_field_name("superclasses")) else {
        return false;
    };
    let mut cursor = bases.walk();
    let is_view = bases
        .named_children(&mut cursor)
        .any(|base| is_view_class(&ctx.facts.imports.qualify(ctx.node_text(base))));
    is_method && is_view
}

/// Whether a returned expression is text the framework sends as the page: a string built in the
/// view (literal, f-string, `+`, `%`, `.format`, `.join`, `str()`), request data read directly
/// (`request.args["q"]`, `request.args.get("q")`, `request.data`), or a name no plain assignment
/// of which is something else (a parameter, a route variable). The first item of a
/// `(body, status)` tuple is the body. Other calls (`render_template`, `jsonify`, helpers) and
/// attributes of other objects (`user.name`, `response.text`) build responses or hold values this
/// cannot see into, and are left out.
fn returned_text<'t>(ctx: &Context<'t>, node: Node<'t>, depth: usize) -> bool {
    if depth > 4 {
        return false;
    }
    match node.kind() {
        "string" | "concatenated_string" => true,
        "attribute" => is_request_data(ctx, node),
        "subscript" => node.child_by_field_name("value").is_some_and(|value| {
            is_request_data(ctx, value) || returned_text(ctx, value, depth + 1)
        }),
        "binary_operator" => node
            .child_by_field_name("operator")
            .is_some_and(|op| matches!(ctx.node_text(op), "+" | "%")),
        "parenthesized_expression" | "expression_list" | "tuple" => node
            .named_child(0)
            .is_some_and(|first| returned_text(ctx, first, depth + 1)),
        // `a if condition else b`: the named children are a, condition, b.
        "conditional_expression" => [node.named_child(0), node.named_child(2)]
            .into_iter()
            .flatten()
            .any(|branch| returned_text(ctx, branch, depth + 1)),
        "call" => text_call(ctx, node, depth),
        "identifier" => assigned_values(ctx, node)
            .into_iter()
            .all(|value| returned_text(ctx, value, depth + 1)),
        _ => false,
    }
}

/// Whether an expression is the web request's data itself (`request.args`, `request.data`, as
/// imported from Flask, Quart or Bottle), not something computed from it.
fn is_request_data(ctx: &Context<'_>, node: Node<'_>) -> bool {
    let qualified = ctx.facts.imports.qualify(ctx.node_text(node));
    REQUEST_OBJECTS.iter().any(|request| {
        qualified
            .strip_prefix(request)
            .is_some_and(|rest| rest.starts_with('.'))
    })
}

/// The request objects of the frameworks whose views' returned text is a page.
const REQUEST_OBJECTS: [&str; 3] = ["flask.request", "quart.request", "bottle.request"];

/// Whether a call builds or reads text: `.format` / `.join`, `str(...)` of text, or a read of
/// request data (`request.args.get(...)`).
fn text_call<'t>(ctx: &Context<'t>, call: Node<'t>, depth: usize) -> bool {
    let Some(function) = call.child_by_field_name("function") else {
        return false;
    };
    match function.kind() {
        // `str(x)` is text when x is: `str(Markup(...))` is the markup sink's finding.
        "identifier" => {
            ctx.node_text(function) == "str"
                && call
                    .child_by_field_name("arguments")
                    .and_then(|args| args.named_child(0))
                    .is_some_and(|arg| returned_text(ctx, arg, depth + 1))
        }
        "attribute" => {
            let method = function
                .child_by_field_name("attribute")
                .map(|a| ctx.node_text(a));
            matches!(method, Some("format" | "join"))
                || function
                    .child_by_field_name("object")
                    .is_some_and(|object| is_request_data(ctx, object))
        }
        _ => false,
    }
}

/// The right-hand sides of the plain assignments (`name = ...`) to the variable `name` in its
/// function before it is read (augmented assignments keep what the name holds).
fn assigned_values<'t>(ctx: &Context<'t>, name: Node<'t>) -> Vec<Node<'t>> {
    let written = ctx.node_text(name);
    let Some(scope) = syntax_help::ancestor(name, &["function_definition"], &[]) else {
        return Vec::new();
    };
    common::descendants(scope)
        .into_iter()
        .filter(|node| node.kind() == "assignment" && node.start_byte() < name.start_byte())
        .filter(|node| {
            node.child_by_field_name("left")
                .is_some_and(|left| left.kind() == "identifier" && ctx.node_text(left) == written)
        })
        .filter_map(|node| node.child_by_field_name("right"))
        .collect()
}

/// Hits for text carrying untrusted data returned by an HTML view.
fn returned_html(ctx: &Context<'_>) -> Vec<Hit> {
    let mut hits = Vec::new();
    for store in ctx
        .facts
        .stores
        .iter()
        .filter(|s| s.target == RETURN_TARGET)
    {
        let Some(origin) = common::dangerous_origin(&store.value.taint, SinkKind::Html, &IGNORED)
        else {
            continue;
        };
        let Some(returned) = ctx.node_at(store.target_range.clone()) else {
            continue;
        };
        if in_html_view(ctx, returned) && returned_text(ctx, returned, 0) {
            hits.push(
                Hit::new(store.target_range.clone(), "return")
                    .with_anchor(store.range.clone())
                    .with_origin(Some(origin)),
            );
        }
    }
    hits
}

/// Whether a `jinja2.Environment(...)` call leaves autoescaping off.
fn autoescape_off(call: &Call) -> bool {
    if call.name != "jinja2.Environment" {
        return false;
    }
    match call.keyword("autoescape") {
        Some(arg) => arg.value.constant.as_ref().is_some_and(|c| !c.is_truthy()),
        None => !call.args.iter().any(|a| a.unpacked),
    }
}

impl Detector for CrossSiteScripting {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn scope(&self) -> Scope {
        Scope::Definition
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        let mut hits = taint_sink::hits(ctx, SinkKind::Html, &IGNORED, html_args);
        hits.extend(returned_html(ctx));
        for call in ctx.facts.calls.iter().filter(|c| autoescape_off(c)) {
            hits.push(
                Hit::new(call.callee_range.clone(), call.name.clone())
                    .with_anchor(call.range.clone()),
            );
        }
        hits
    }

    fn message(&self, ctx: &Context<'_>, hit: &Hit) -> String {
        if hit.origin.is_none() {
            return format!(
                "`{}` is created without autoescaping, so every variable rendered into an HTML \
                 template is inserted raw and markup in it runs in the browser ({}). Pass \
                 `autoescape=True` (or `select_autoescape()`).",
                hit.subject,
                META.cwe_list()
            );
        }
        if hit.subject == "return" {
            return format!(
                "This view returns text built from {} without escaping it; the framework sends it \
                 as an HTML page, so markup or script in it runs in the victim's browser ({}). \
                 Escape the data with `html.escape` (or `markupsafe.escape`), or render it \
                 through an autoescaping template (`render_template`).",
                taint_sink::source(ctx, hit),
                META.cwe_list()
            );
        }
        format!(
            "`{}` writes HTML built from {} without escaping it, so markup or script in it runs in \
             the victim's browser ({}). Escape the data with `html.escape` (or \
             `markupsafe.escape`), or render it through an autoescaping template.",
            hit.subject,
            taint_sink::source(ctx, hit),
            META.cwe_list()
        )
    }

    fn fix(&self, ctx: &Context<'_>, hit: &Hit) -> Vec<Fix> {
        if hit.origin.is_some() {
            return Vec::new();
        }
        let Some(call) = ctx.facts.call_at(&hit.anchor) else {
            return Vec::new();
        };
        let edit = match call.keyword("autoescape") {
            Some(arg) => Edit::replace(arg.range.clone(), "True"),
            None => match super::common::insert_keyword(ctx, call, "autoescape=True") {
                Some(edit) => edit,
                None => return Vec::new(),
            },
        };
        vec![Fix::new(
            "Turn on autoescaping (autoescape=True)",
            vec![edit],
            Applicability::Unsafe,
        )]
    }
}
