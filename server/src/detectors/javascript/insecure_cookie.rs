//! `javascript/insecure-cookie@v1.0`: cookies sent without `Secure` or readable by scripts.

use crate::analysis::{Arg, Call, Constant, Value};
use crate::detectors::{Context, Detector, DetectorMeta, Hit};
use crate::finding::{Applicability, Category, Edit, Fix, Severity};
use crate::lang::Language;

use super::support::{find_pair, is_response};

/// The detector.
pub static INSECURE_COOKIE: InsecureCookie = InsecureCookie;

/// Flags cookie options with `secure`/`httpOnly` set to false, and Express cookies set without
/// `secure`.
pub struct InsecureCookie;

static META: DetectorMeta = DetectorMeta {
    id: "javascript/insecure-cookie@v1.0",
    name: "Insecure cookie",
    language: Language::JavaScript,
    severity: Severity::High,
    cwes: &[614, 1004],
    category: Category::Security,
    express: true,
    docs: r#"## What it does
Flags cookies that can leak: `secure: false` or `httpOnly: false` in the options of Express
`res.cookie`, `express-session`'s `cookie` options, `cookie-session` and `cookie.serialize`; and
`res.cookie(name, value[, options])` whose options (written in the call or in a variable) do not
set `secure` at all. The catalogue gives no CWE; Codeward uses CWE-614 (no `Secure`) and
CWE-1004 (no `HttpOnly`).

Not flagged: options that set `secure: true` (or a non-constant value such as
`secure: process.env.NODE_ENV === 'production'`), options passed from elsewhere whose fields are
unknown, `res.clearCookie`. It does not flag `express-session` left at its default
(`secure: false`), nor a missing `sameSite`.

## Why is this bad?
Without `Secure` the browser also sends the cookie over plain HTTP, where anyone on the network
reads it and takes over the session. Without `HttpOnly` any script injected into the page (XSS)
reads it from `document.cookie`.

## Example
```javascript
res.cookie("session", id, { httpOnly: false });
```

## Use instead
```javascript
res.cookie("session", id, { secure: true, httpOnly: true, sameSite: "lax" });
```

## Fix safety
The fixes set `secure: true` / `httpOnly: true`, or add `secure: true` to the options. They are
unsafe: the cookie is no longer sent over plain HTTP (local development without TLS), and
scripts that read an `httpOnly` cookie stop seeing it.

## References
- [CWE-614: Sensitive Cookie in HTTPS Session Without 'Secure' Attribute](https://cwe.mitre.org/data/definitions/614.html)
- [CWE-1004: Sensitive Cookie Without 'HttpOnly' Flag](https://cwe.mitre.org/data/definitions/1004.html)
"#,
};

/// Cookie flags that must not be false.
const FLAGS: &[&str] = &["secure", "httpOnly"];

fn is_false(value: &Value) -> bool {
    matches!(value.constant, Some(Constant::Bool(false)))
}

/// Explicitly disabled flags in an options argument (`{ secure: false }`).
fn disabled_flags(ctx: &Context<'_>, call: &Call, options: &Arg, value: &Value) -> Vec<Hit> {
    FLAGS
        .iter()
        .filter(|flag| value.field(flag).is_some_and(is_false))
        .map(|flag| {
            let range = find_pair(ctx, options.range.clone(), flag)
                .and_then(|p| p.child_by_field_name("value"))
                .map_or(options.range.clone(), |v| v.byte_range());
            Hit::new(range, format!("{flag}: false")).with_anchor(call.range.clone())
        })
        .collect()
}

fn hits_of(ctx: &Context<'_>, call: &Call) -> Vec<Hit> {
    let name = call.name.as_str();
    if is_response(call) && call.method_name() == "cookie" {
        let Some(options) = call.positional(2) else {
            if call.positional(1).is_some() {
                return vec![Hit::new(call.callee_range.clone(), "no secure option")
                    .with_anchor(call.range.clone())];
            }
            return Vec::new();
        };
        let mut hits = disabled_flags(ctx, call, options, &options.value);
        let literal = ctx
            .node_at(options.range.clone())
            .is_some_and(|n| n.kind() == "object");
        let known = literal || !options.value.fields.is_empty();
        if known && options.value.field("secure").is_none() {
            hits.push(
                Hit::new(call.callee_range.clone(), "no secure option")
                    .with_anchor(call.range.clone()),
            );
        }
        return hits;
    }
    match name {
        "express-session" | "cookie-session" | "cookie.serialize" => {
            let index = usize::from(name == "cookie.serialize") * 2;
            let Some(options) = call.positional(index) else {
                return Vec::new();
            };
            let value = if name == "express-session" {
                match options.value.field("cookie") {
                    Some(cookie) => cookie,
                    None => return Vec::new(),
                }
            } else {
                &options.value
            };
            disabled_flags(ctx, call, options, value)
        }
        _ => Vec::new(),
    }
}

impl Detector for InsecureCookie {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        ctx.facts
            .calls
            .iter()
            .flat_map(|c| hits_of(ctx, c))
            .collect()
    }

    fn message(&self, _ctx: &Context<'_>, hit: &Hit) -> String {
        match hit.subject.as_str() {
            "httpOnly: false" => {
                "The cookie is readable by scripts (`httpOnly: false`, CWE-1004): \
                 script injected into the page can steal it. Set `httpOnly: true`."
                    .to_string()
            }
            "secure: false" => "The cookie is also sent over plain HTTP (`secure: false`, \
                 CWE-614): anyone on the network can read it. Set `secure: true`."
                .to_string(),
            _ => "The cookie is set without the `secure` option (CWE-614): the browser also sends \
                  it over plain HTTP, where anyone on the network can read it. Add \
                  `secure: true` (and `httpOnly: true` unless scripts must read it)."
                .to_string(),
        }
    }

    fn fix(&self, ctx: &Context<'_>, hit: &Hit) -> Vec<Fix> {
        if hit.subject.ends_with(": false") {
            if ctx.text(hit.range.clone()) != "false" {
                return Vec::new();
            }
            let flag = hit.subject.trim_end_matches(": false");
            return vec![Fix::new(
                format!("Set `{flag}: true`"),
                vec![Edit::replace(hit.range.clone(), "true")],
                Applicability::Unsafe,
            )];
        }
        let Some(call) = ctx.node_at(hit.anchor.clone()) else {
            return Vec::new();
        };
        let Some(args) = call.child_by_field_name("arguments") else {
            return Vec::new();
        };
        let mut cursor = args.walk();
        let list: Vec<_> = args
            .named_children(&mut cursor)
            .filter(|n| n.kind() != "comment")
            .collect();
        let edit = match list.as_slice() {
            [_, value] => Edit::insert(value.end_byte(), ", { secure: true }"),
            [_, _, options] if options.kind() == "object" => {
                let mut c = options.walk();
                let first = options
                    .named_children(&mut c)
                    .find(|n| n.kind() != "comment");
                match first {
                    Some(first) => Edit::insert(first.start_byte(), "secure: true, "),
                    None => Edit::replace(options.byte_range(), "{ secure: true }"),
                }
            }
            _ => return Vec::new(),
        };
        vec![Fix::new(
            "Add `secure: true`",
            vec![edit],
            Applicability::Unsafe,
        )]
    }
}
