//! `python/cross-site-scripting@v1.0`: untrusted data written into HTML without escaping, and
//! Jinja2 environments that do not escape.

use crate::analysis::{Arg, Call, SinkKind, SourceKind};
use crate::detectors::{Context, Detector, DetectorMeta, Hit, Scope};
use crate::finding::{Applicability, Category, Edit, Fix, Severity};
use crate::lang::Language;

use super::taint_sink;

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
Starlette / FastAPI `HTMLResponse`, and text marked as safe markup (`markupsafe.Markup`,
`flask.Markup`, Django `mark_safe`, the format string of `format_html`). Data passed through
`html.escape`, `markupsafe.escape`, `django.utils.html.escape` or `bleach.clean`, rendered by
Flask's `render_template` or Django's `render` / `render_to_string` (which escape), converted to
numbers, or checked against an allow-list is not flagged, nor responses declared with a
non-HTML `mimetype` / `content_type` / `media_type` (`application/json`, `text/plain`).
Second, `jinja2.Environment` created without `autoescape` or with `autoescape=False` (Jinja2
does not escape by default). It does not
see strings returned directly from a Flask view (`return "<p>" + name`), templates rendered
with `|safe`, or data stored and read back from a database.

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
