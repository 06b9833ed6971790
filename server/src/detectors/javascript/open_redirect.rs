//! `javascript/open-redirect@v1.0`: redirects to untrusted URLs.

use crate::analysis::{Arg, Call, Origin, SinkKind, Store, Value};
use crate::detectors::{Context, Detector, DetectorMeta, Hit};
use crate::finding::{Category, Severity};
use crate::lang::Language;

use super::support::{
    constant_prefix, field_range, hit_on, is_koa_context, is_response, origin_sentence,
    prefix_fixes_host, prefix_is_local_path, tainted,
};

/// The detector.
pub static OPEN_REDIRECT: OpenRedirect = OpenRedirect;

/// Flags untrusted redirect targets on the server (`res.redirect`) and in the browser
/// (`location.href = ...`).
pub struct OpenRedirect;

static META: DetectorMeta = DetectorMeta {
    id: "javascript/open-redirect@v1.0",
    name: "URL redirection to untrusted site",
    language: Language::JavaScript,
    severity: Severity::High,
    cwes: &[601],
    category: Category::Security,
    express: true,
    docs: r#"## What it does
Flags untrusted data used as a redirect target: Express `res.redirect([status,] url)` and
`res.location(url)`, Koa `ctx.redirect(url)`, a `Location` header set with `res.setHeader`/
`res.set`/`res.header`/`res.writeHead`, and in the browser `location`/`location.href`/
`window.location`/`document.location` assignments, `location.assign`/`location.replace` and
`window.open`. The catalogue gives no CWE; Codeward uses CWE-601.

Not flagged: targets whose constant beginning fixes the destination — a path on the same site
(`'/users/' + id`, but not `//`) or a scheme and host (`` `https://example.com/${path}` ``) —
values checked against an allow-list, encoded with `encodeURIComponent`, or constant. It does not
catch redirects built by helpers in other modules or validation done with URL parsing
(`new URL(x).host === ...`) unless the checked value is the one redirected to.

## Why is this bad?
A link on the trusted site that forwards to an attacker's page makes phishing convincing, leaks
tokens in URLs to the other site and, with `javascript:` URLs in the browser, runs script.

## Example
```javascript
app.get("/login", (req, res) => {
  // ... authenticate ...
  res.redirect(req.query.next);
});
```

## Use instead
```javascript
app.get("/login", (req, res) => {
  const next = req.query.next;
  res.redirect(typeof next === "string" && next.startsWith("/") && !next.startsWith("//") ? next : "/");
});
```

## Fix safety
There is no automatic fix: which destinations are legitimate depends on the application.

## References
- [CWE-601: URL Redirection to Untrusted Site](https://cwe.mitre.org/data/definitions/601.html)
- [OWASP Unvalidated Redirects and Forwards Cheat Sheet](https://cheatsheetseries.owasp.org/cheatsheets/Unvalidated_Redirects_and_Forwards_Cheat_Sheet.html)
"#,
};

/// Header-setting methods of a response.
const HEADER_SETTERS: &[&str] = &["setHeader", "set", "header", "append"];

/// Browser navigation targets written by assignment.
const LOCATION_STORES: &[&str] = &[
    "location",
    "location.href",
    "window.location",
    "window.location.href",
    "document.location",
    "document.location.href",
    "top.location",
    "top.location.href",
    "window.top.location",
    "window.top.location.href",
    "self.location",
    "parent.location",
];

/// Browser navigation calls taking the target first.
const LOCATION_CALLS: &[&str] = &[
    "location.assign",
    "location.replace",
    "window.location.assign",
    "window.location.replace",
    "document.location.assign",
    "document.location.replace",
    "window.open",
];

/// The untrusted origin of a redirect target, unless its constant beginning pins the destination.
fn target_origin<'v>(
    ctx: &Context<'_>,
    value: &'v Value,
    range: &std::ops::Range<usize>,
) -> Option<&'v Origin> {
    let origin = tainted(value, SinkKind::Url)?;
    let pinned = constant_prefix(ctx, range.clone())
        .is_some_and(|p| prefix_is_local_path(&p) || prefix_fixes_host(&p));
    (!pinned).then_some(origin)
}

fn arg_hit(ctx: &Context<'_>, call: &Call, arg: &Arg) -> Option<Hit> {
    let origin = target_origin(ctx, &arg.value, &arg.range)?;
    Some(hit_on(call, arg.range.clone(), origin))
}

fn call_hit(ctx: &Context<'_>, call: &Call) -> Option<Hit> {
    let method = call.method_name();
    let server = is_response(call) || is_koa_context(call);
    if server && matches!(method, "redirect" | "location") {
        let last = call
            .args
            .iter()
            .rfind(|a| a.keyword.is_none() && !a.unpacked)?;
        return arg_hit(ctx, call, last);
    }
    if server && HEADER_SETTERS.contains(&method) {
        let name = call.positional(0)?.value.const_str()?;
        if name.eq_ignore_ascii_case("location") {
            return arg_hit(ctx, call, call.positional(1)?);
        }
        return None;
    }
    if server && method == "writeHead" {
        let headers = call
            .args
            .iter()
            .skip(1)
            .find(|a| !a.value.fields.is_empty())?;
        let (key, value) = headers
            .value
            .fields
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("location"))?;
        let range = field_range(ctx, headers, key);
        let origin = target_origin(ctx, value, &range)?;
        return Some(hit_on(call, range, origin));
    }
    if LOCATION_CALLS.contains(&call.name.as_str()) {
        return arg_hit(ctx, call, call.positional(0)?);
    }
    None
}

fn store_hit(ctx: &Context<'_>, store: &Store) -> Option<Hit> {
    if !LOCATION_STORES.contains(&store.target.as_str()) {
        return None;
    }
    let value_range = ctx
        .node_at(store.range.clone())
        .and_then(|n| n.child_by_field_name("right"))
        .map_or(store.range.clone(), |n| n.byte_range());
    let origin = target_origin(ctx, &store.value, &value_range)?;
    Some(
        Hit::new(store.range.clone(), store.target.clone())
            .with_anchor(store.target_range.clone())
            .with_origin(Some(origin)),
    )
}

impl Detector for OpenRedirect {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        let mut hits: Vec<Hit> = ctx
            .facts
            .calls
            .iter()
            .filter_map(|c| call_hit(ctx, c))
            .collect();
        hits.extend(ctx.facts.stores.iter().filter_map(|s| store_hit(ctx, s)));
        hits
    }

    fn message(&self, ctx: &Context<'_>, hit: &Hit) -> String {
        format!(
            "Untrusted data chooses where `{}` sends the user (CWE-601): an attacker can make a \
             link on this site forward to their own page.{} Redirect only to same-site paths \
             (`/...`, not `//...`) or to destinations on an allow-list.",
            hit.subject,
            origin_sentence(ctx, hit)
        )
    }
}
