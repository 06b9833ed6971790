//! `javascript/cross-site-scripting@v1.0`: untrusted data written into HTML.

use crate::analysis::{Call, CallKind, SinkKind, Store};
use crate::detectors::{Context, Detector, DetectorMeta, Hit};
use crate::finding::{Applicability, Category, Edit, Fix, Severity};
use crate::lang::Language;

use super::support::{enclosing_function, origin_sentence, tainted, tainted_arg_hit};

/// The detector.
pub static CROSS_SITE_SCRIPTING: CrossSiteScripting = CrossSiteScripting;

/// Flags tainted data reaching HTML responses, DOM HTML sinks and React's
/// `dangerouslySetInnerHTML`.
pub struct CrossSiteScripting;

static META: DetectorMeta = DetectorMeta {
    id: "javascript/cross-site-scripting@v1.0",
    name: "Cross-site scripting",
    language: Language::JavaScript,
    severity: Severity::High,
    cwes: &[79, 80],
    category: Category::Security,
    express: true,
    docs: r#"## What it does
Flags untrusted data written into HTML without escaping: request data passed to Express/Node
`res.send`/`res.write`/`res.end` (unless the handler set a `text/plain` or JSON content type
first, or the value is an object, which Express sends as JSON); page-URL, cookie, `postMessage`
or request data assigned to `innerHTML`/`outerHTML`, passed to `document.write`/`writeln`,
`insertAdjacentHTML`, jQuery's `$(...)`/`.html()`/`.append()`, or React's
`dangerouslySetInnerHTML={{ __html: ... }}`. Data escaped with `escape-html`, `he`, lodash's
`escape`, `validator.escape`, `DOMPurify.sanitize` or `encodeURIComponent` is not flagged; nor are
`res.json`, `res.render` locals (template engines escape them) or `textContent`.

## Why is this bad?
Markup and script in the data run in the victim's browser in the site's origin: the attacker can
steal the session, act as the user, and change what the page shows.

## Example
```javascript
app.get("/hello", (req, res) => {
  res.send(`<h1>Hello ${req.query.name}</h1>`);
});
el.innerHTML = location.hash.slice(1);
```

## Use instead
```javascript
const escapeHtml = require("escape-html");
app.get("/hello", (req, res) => {
  res.send(`<h1>Hello ${escapeHtml(req.query.name)}</h1>`);
});
el.textContent = location.hash.slice(1);
```

## Fix safety
For `innerHTML` assignments the fix uses `textContent` instead. It is unsafe: markup that was meant
to render becomes visible text. Other sinks get no automatic fix.

## References
- [CWE-79: Cross-site Scripting](https://cwe.mitre.org/data/definitions/79.html)
- [CWE-80: Basic XSS](https://cwe.mitre.org/data/definitions/80.html)
"#,
};

/// Response methods that write their argument into the response body.
const RESPONSE_WRITES: &[&str] = &["send", "write", "end"];
/// Response methods that set the content type.
const CONTENT_TYPE_SETTERS: &[&str] = &[
    "type",
    "set",
    "setHeader",
    "header",
    "writeHead",
    "contentType",
];
/// jQuery methods that parse their argument as HTML.
const JQUERY_HTML: &[&str] = &[
    "html",
    "append",
    "prepend",
    "after",
    "before",
    "replaceWith",
    "wrap",
    "wrapAll",
    "wrapInner",
];

fn is_response(call: &Call) -> bool {
    call.kind == CallKind::Method
        && call
            .receiver
            .as_ref()
            .is_some_and(|r| r.type_name.as_deref() == Some("http.Response"))
}

/// Whether the handler around `call` set a non-HTML content type before it.
fn safe_content_type(ctx: &Context<'_>, call: &Call) -> bool {
    let Some(node) = ctx.node_at(call.range.clone()) else {
        return false;
    };
    let function = enclosing_function(node).byte_range();
    ctx.facts.calls.iter().any(|c| {
        c.range.start >= function.start
            && c.range.end <= call.range.start
            && is_response(c)
            && CONTENT_TYPE_SETTERS.contains(&c.method_name())
            && c.args.iter().any(|a| {
                a.value.const_str().is_some_and(|s| {
                    let s = s.to_ascii_lowercase();
                    s.contains("text/plain") || s.contains("json") || s == "text" || s == "txt"
                }) || a.value.fields.iter().any(|(_, v)| {
                    v.const_str()
                        .is_some_and(|s| s.contains("text/plain") || s.contains("json"))
                })
            })
    })
}

fn is_jquery_call(name: &str) -> bool {
    name == "$" || name == "jQuery" || name == "jquery"
}

fn call_hits(ctx: &Context<'_>, call: &Call) -> Option<Hit> {
    let method = call.method_name();
    if is_response(call) && RESPONSE_WRITES.contains(&method) {
        let arg = call.positional(0)?;
        // Express sends objects and arrays as JSON.
        if !arg.value.fields.is_empty() || safe_content_type(ctx, call) {
            return None;
        }
        return tainted_arg_hit(call, arg, SinkKind::Html);
    }
    match call.name.as_str() {
        "document.write" | "document.writeln" | "window.document.write" => {
            return tainted_arg_hit(call, call.positional(0)?, SinkKind::Html);
        }
        name if is_jquery_call(name) => {
            return tainted_arg_hit(call, call.positional(0)?, SinkKind::Html);
        }
        _ => {}
    }
    if method == "insertAdjacentHTML" {
        return tainted_arg_hit(call, call.positional(1)?, SinkKind::Html);
    }
    let jquery_receiver = call
        .name
        .strip_suffix(method)
        .is_some_and(|head| head.starts_with("$(") || head.starts_with("jQuery("));
    if jquery_receiver && JQUERY_HTML.contains(&method) {
        return tainted_arg_hit(call, call.positional(0)?, SinkKind::Html);
    }
    None
}

fn store_hit(store: &Store) -> Option<Hit> {
    let value = if store.target == "dangerouslySetInnerHTML" {
        store.value.field("__html")?
    } else if store.target.ends_with(".innerHTML") || store.target.ends_with(".outerHTML") {
        &store.value
    } else {
        return None;
    };
    let origin = tainted(value, SinkKind::Html)?;
    let subject = store.target.rsplit('.').next().unwrap_or(&store.target);
    Some(
        Hit::new(store.range.clone(), subject)
            .with_anchor(store.target_range.clone())
            .with_origin(Some(origin)),
    )
}

impl Detector for CrossSiteScripting {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        let mut hits: Vec<Hit> = ctx
            .facts
            .calls
            .iter()
            .filter_map(|c| call_hits(ctx, c))
            .collect();
        hits.extend(ctx.facts.stores.iter().filter_map(store_hit));
        hits
    }

    fn message(&self, ctx: &Context<'_>, hit: &Hit) -> String {
        let what = match hit.subject.as_str() {
            "innerHTML" | "outerHTML" | "dangerouslySetInnerHTML" => {
                format!(
                    "Untrusted data is rendered as HTML through `{}`",
                    hit.subject
                )
            }
            api => format!("Untrusted data is written as HTML by `{api}`"),
        };
        format!(
            "{what} (CWE-79): markup and script in it run in the user's browser.{} Escape it \
             (`escape-html`, `DOMPurify.sanitize`), set `textContent`, or render it through an \
             auto-escaping template.",
            origin_sentence(ctx, hit)
        )
    }

    fn fix(&self, ctx: &Context<'_>, hit: &Hit) -> Vec<Fix> {
        if hit.subject != "innerHTML" {
            return Vec::new();
        }
        let Some(target) = ctx.node_at(hit.anchor.clone()) else {
            return Vec::new();
        };
        let Some(property) = target
            .child_by_field_name("property")
            .filter(|p| ctx.node_text(*p) == "innerHTML")
        else {
            return Vec::new();
        };
        vec![Fix::new(
            "Use `textContent` (render as text)",
            vec![Edit::replace(property.byte_range(), "textContent")],
            Applicability::Unsafe,
        )]
    }
}
