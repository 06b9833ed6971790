//! `python/open-redirect@v1.0`: redirects to a location chosen by the request.

use crate::analysis::{Arg, Call, SinkKind, SourceKind};
use crate::detectors::{Context, Detector, DetectorMeta, Hit, Scope};
use crate::finding::{Category, Severity};
use crate::lang::Language;

use super::taint_sink;

/// Flags request data reaching the target of a Flask, Django or Starlette redirect.
pub struct OpenRedirect;

/// The detector's metadata and documentation.
pub static META: DetectorMeta = DetectorMeta {
    id: "python/open-redirect@v1.0",
    name: "URL redirection to untrusted site",
    language: Language::Python,
    severity: Severity::High,
    cwes: &[601],
    category: Category::Security,
    express: true,
    docs: r#"## What it does
Flags web request data that becomes the target of a redirect: `flask.redirect`,
`werkzeug.utils.redirect`, `django.shortcuts.redirect`, `HttpResponseRedirect` /
`HttpResponsePermanentRedirect`, and Starlette / FastAPI `RedirectResponse`. A target whose
literal start fixes the destination — a path on this site (`"/profile/" + name`, not `"//"`)
or an absolute URL with a literal host — is not flagged, nor a value checked against an
allow-list, passed through `urllib.parse.quote`, or validated with Django's
`url_has_allowed_host_and_scheme` — or by an application function named for it
(`is_safe_redirect_url(target)` as a guard, `get_safe_redirect(target)` as a wrapper) — nor a
`url_for(...)` / `reverse(...)` result or a target that starts with one
(`url_for("index") + "?" + query`, `f"{reverse('home')}#{tab}"`), nor a field of a record looked up with request data
(`Model.objects.get(pk=...)`). Only request data is a source here: other inputs do not
come with a victim's browser attached. It does not follow targets stored in the session or the
database between requests.

## Why is this bad?
A link on the trusted domain sends the victim to an attacker's site, which makes phishing pages
and stolen OAuth codes look legitimate (CWE-601).

## Example
```python
from flask import redirect, request

def login_done():
    return redirect(request.args["next"])
```

## Use instead
```python
from urllib.parse import urlparse
from flask import redirect, request

def login_done():
    target = request.args.get("next", "/")
    if target not in ("/", "/account", "/orders"):
        target = "/"
    return redirect(target)
```

## Fix safety
There is no automatic fix: which targets are allowed is the application's decision. Redirect to
paths on this site only, or check the host against an allow-list.

## References
- [CWE-601: Open Redirect](https://cwe.mitre.org/data/definitions/601.html)
- [OWASP: Unvalidated redirects and forwards](https://cheatsheetseries.owasp.org/cheatsheets/Unvalidated_Redirects_and_Forwards_Cheat_Sheet.html)
"#,
};

/// Every source but request data: only a request comes with a victim's browser.
const IGNORED: [SourceKind; 6] = [
    SourceKind::CommandLine,
    SourceKind::Environment,
    SourceKind::Stdin,
    SourceKind::Network,
    SourceKind::File,
    SourceKind::Parameter,
];

/// The target argument of a redirect.
fn target_args<'c>(_ctx: &Context<'_>, call: &'c Call) -> Vec<&'c Arg> {
    match call.name.as_str() {
        "flask.redirect" | "werkzeug.utils.redirect" | "werkzeug.redirect" | "quart.redirect" => {
            taint_sink::one(call, 0, "location")
        }
        "django.shortcuts.redirect" => taint_sink::one(call, 0, "to"),
        "django.http.HttpResponseRedirect"
        | "django.http.HttpResponsePermanentRedirect"
        | "django.http.response.HttpResponseRedirect"
        | "django.http.response.HttpResponsePermanentRedirect" => {
            taint_sink::one(call, 0, "redirect_to")
        }
        "starlette.responses.RedirectResponse" | "fastapi.responses.RedirectResponse" => {
            taint_sink::one(call, 0, "url")
        }
        _ => Vec::new(),
    }
}

/// Whether the literal start of a target pins it to this site or to a literal host.
fn fixes_destination(prefix: &str) -> bool {
    let local = prefix.starts_with('/')
        && prefix.len() > 1
        && !prefix.starts_with("//")
        && !prefix.starts_with("/\\");
    let absolute = prefix.split_once("://").is_some_and(|(_, rest)| {
        rest.split_once('/')
            .is_some_and(|(host, _)| !host.is_empty())
    });
    local || absolute
}

/// Functions that build a URL of this site from a route or view name.
const SITE_URL_BUILDERS: [&str; 5] = [
    "flask.url_for",
    "django.urls.reverse",
    "django.urls.reverse_lazy",
    "django.shortcuts.resolve_url",
    "starlette.requests.Request.url_for",
];

/// Whether the target starts with a URL this site builds (`url_for("login") + "?next=" + …`,
/// `f"{reverse('home')}?{query}"`): what follows cannot change the host.
fn starts_with_site_url(ctx: &Context<'_>, range: std::ops::Range<usize>) -> bool {
    let Some(mut node) = ctx.node_at(range) else {
        return false;
    };
    if node.kind() == "identifier" {
        match taint_sink::only_assignment(ctx, node) {
            Some(value) => node = value,
            None => return false,
        }
    }
    for _ in 0..crate::lang::syntax::MAX_DEPTH {
        let next = match node.kind() {
            "parenthesized_expression" | "concatenated_string" => node.named_child(0),
            "binary_operator" => node
                .child_by_field_name("operator")
                .filter(|op| matches!(ctx.node_text(*op), "+" | "%"))
                .and_then(|_| node.child_by_field_name("left")),
            // An f-string whose first part is an interpolation starts with its expression.
            "string" => {
                let mut cursor = node.walk();
                let first = node
                    .named_children(&mut cursor)
                    .find(|part| part.kind() != "string_start");
                first
                    .filter(|part| part.kind() == "interpolation")
                    .and_then(|part| part.child_by_field_name("expression"))
            }
            "call" => {
                let Some(function) = node.child_by_field_name("function") else {
                    return false;
                };
                let written: String = ctx.node_text(function).split_whitespace().collect();
                let qualified = ctx.facts.imports.qualify(&written);
                return SITE_URL_BUILDERS.contains(&qualified.as_str())
                    || (function.kind() == "attribute"
                        && function
                            .child_by_field_name("attribute")
                            .is_some_and(|a| ctx.node_text(a) == "url_for"));
            }
            _ => None,
        };
        match next {
            Some(inner) => node = inner,
            None => return false,
        }
    }
    false
}

impl Detector for OpenRedirect {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn scope(&self) -> Scope {
        Scope::Definition
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        taint_sink::hits(ctx, SinkKind::Url, &IGNORED, target_args)
            .into_iter()
            .filter(|hit| {
                !taint_sink::leading_literal(ctx, hit.range.clone())
                    .is_some_and(|p| fixes_destination(&p))
                    && !starts_with_site_url(ctx, hit.range.clone())
            })
            .collect()
    }

    fn message(&self, ctx: &Context<'_>, hit: &Hit) -> String {
        format!(
            "`{}` redirects to a location taken from {}, so a link on this site can send users to \
             an attacker's page ({}). Redirect only to paths on this site, or check the target \
             against an allow-list.",
            hit.subject,
            taint_sink::source(ctx, hit),
            META.cwe_list()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::fixes_destination;

    #[test]
    fn local_paths_and_literal_hosts_are_fixed() {
        assert!(fixes_destination("/profile/"));
        assert!(fixes_destination("https://example.com/"));
        assert!(!fixes_destination("/"));
        assert!(!fixes_destination("//"));
        assert!(!fixes_destination("/\\evil"));
        assert!(!fixes_destination("https://example.com"));
    }
}
