//! `python/insecure-cookie@v1.0`: cookies set without `Secure` or `HttpOnly`.

use crate::analysis::{Call, CallKind, Constant};
use crate::detectors::{Context, Detector, DetectorMeta, Hit, Scope};
use crate::finding::{Applicability, Category, Edit, Fix, Severity};
use crate::lang::Language;

use super::common;

/// Flags `set_cookie` calls of web frameworks missing `secure=True` or `httponly=True`.
pub struct InsecureCookie;

/// The detector's metadata and documentation.
pub static META: DetectorMeta = DetectorMeta {
    id: "python/insecure-cookie@v1.0",
    name: "Insecure cookie",
    language: Language::Python,
    severity: Severity::High,
    cwes: &[614, 311, 312],
    category: Category::Security,
    express: true,
    docs: r#"## What it does
Flags cookies set on a response without both protections: `set_cookie` / `set_signed_cookie`
on a response in a file using Flask, Werkzeug, Django, Starlette / FastAPI, aiohttp or Bottle,
when `secure` or `httponly` is missing or a false constant (keyword arguments passed as
`**{...}` literals are read too). Values computed at run time (`secure=request.is_secure`) and
calls with an opaque `**kwargs` are not flagged, nor `delete_cookie`. It does not read
framework-wide settings (`SESSION_COOKIE_SECURE`, `SESSION_COOKIE_HTTPONLY`) or cookies built
by hand in `Set-Cookie` headers.

## Why is this bad?
Without `Secure` the browser also sends the cookie over plain HTTP, where anyone on the network
path can read it (CWE-614, CWE-311, CWE-312); without `HttpOnly`, any script injected into the
page can read it. Session cookies stolen either way let an attacker act as the user.

## Example
```python
from flask import make_response

resp = make_response("ok")
resp.set_cookie("session", token)
```

## Use instead
```python
from flask import make_response

resp = make_response("ok")
resp.set_cookie("session", token, secure=True, httponly=True, samesite="Lax")
```

## Fix safety
The fix sets `secure=True` and `httponly=True` (replacing a false constant, or adding the
keyword). It is unsafe: the cookie is no longer sent over plain HTTP (local development without
TLS) and scripts that read it with `document.cookie` stop working.

## References
- [CWE-614: Sensitive Cookie Without 'Secure' Attribute](https://cwe.mitre.org/data/definitions/614.html)
- [MDN: Set-Cookie](https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/Set-Cookie)
"#,
};

const FLAGS: [&str; 2] = ["secure", "httponly"];

const FRAMEWORKS: [&str; 8] = [
    "flask",
    "werkzeug",
    "django",
    "starlette",
    "fastapi",
    "aiohttp",
    "bottle",
    "quart",
];

/// The protection keywords a cookie-setting call leaves off.
fn missing_flags(ctx: &Context<'_>, call: &Call) -> Vec<&'static str> {
    if call.kind != CallKind::Method
        || !matches!(call.method_name(), "set_cookie" | "set_signed_cookie")
        || !FRAMEWORKS.iter().any(|f| ctx.facts.imports.imports(f))
        || call.args.iter().any(|a| a.unpacked)
    {
        return Vec::new();
    }
    FLAGS
        .into_iter()
        .filter(|flag| match call.keyword(flag) {
            None => true,
            Some(arg) => arg
                .value
                .constant
                .as_ref()
                .is_some_and(|c| !Constant::is_truthy(c)),
        })
        .collect()
}

impl Detector for InsecureCookie {
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
            .filter(|call| !missing_flags(ctx, call).is_empty())
            .map(|call| {
                Hit::new(call.callee_range.clone(), call.name.clone())
                    .with_anchor(call.range.clone())
            })
            .collect()
    }

    fn message(&self, ctx: &Context<'_>, hit: &Hit) -> String {
        let missing = ctx
            .facts
            .call_at(&hit.anchor)
            .map(|c| missing_flags(ctx, c))
            .unwrap_or_default();
        let names: Vec<String> = missing.iter().map(|f| format!("`{f}=True`")).collect();
        format!(
            "`{}` sets a cookie without {}: it can travel over plain HTTP or be read by injected \
             scripts, and a stolen session cookie lets an attacker act as the user ({}). Pass \
             `secure=True, httponly=True` (and `samesite`).",
            hit.subject,
            names.join(" and "),
            META.cwe_list()
        )
    }

    fn fix(&self, ctx: &Context<'_>, hit: &Hit) -> Vec<Fix> {
        let Some(call) = ctx.facts.call_at(&hit.anchor) else {
            return Vec::new();
        };
        let mut edits = Vec::new();
        let mut added = Vec::new();
        for flag in missing_flags(ctx, call) {
            match call.keyword(flag) {
                Some(arg) => edits.push(Edit::replace(arg.range.clone(), "True")),
                None => added.push(format!("{flag}=True")),
            }
        }
        if !added.is_empty() {
            match common::insert_keyword(ctx, call, &added.join(", ")) {
                Some(edit) => edits.push(edit),
                None => return Vec::new(),
            }
        }
        vec![Fix::new(
            "Set secure=True and httponly=True",
            edits,
            Applicability::Unsafe,
        )]
    }
}
