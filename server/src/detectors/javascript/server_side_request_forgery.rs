//! `javascript/server-side-request-forgery@v1.0`: outgoing requests to request-chosen URLs.

use crate::analysis::{Arg, Call, Origin, SinkKind, SourceKind, Value};
use crate::detectors::{Context, Detector, DetectorMeta, Hit};
use crate::finding::{Category, Severity};
use crate::lang::Language;

use super::support::{
    constant_prefix, field_range, hit_on, is_browser_origin, origin_sentence, prefix_fixes_host,
    tainted_where,
};

/// The detector.
pub static SERVER_SIDE_REQUEST_FORGERY: ServerSideRequestForgery = ServerSideRequestForgery;

/// Flags request data choosing the URL or host of an outgoing HTTP request.
pub struct ServerSideRequestForgery;

static META: DetectorMeta = DetectorMeta {
    id: "javascript/server-side-request-forgery@v1.0",
    name: "Server-side request forgery",
    language: Language::JavaScript,
    severity: Severity::High,
    cwes: &[918],
    category: Category::Security,
    express: true,
    docs: r#"## What it does
Flags web request data that chooses the destination of an outgoing HTTP request made by the
server: the URL (or `host`/`hostname`/`url`/`baseURL` option) of `http`/`https` `get`/`request`,
`fetch` (global, `node-fetch`, `undici`), `axios` and its verb methods, `got`, `request`,
`superagent`, `needle`. The catalogue gives no CWE; Codeward uses CWE-918.

Not flagged: URLs whose constant beginning fixes scheme and host
(`` `https://api.example.com/users/${id}` `` — the data only picks a path there), values checked
against an allow-list, encoded with `encodeURIComponent`, numbers and constants. Data from the
page itself (`location`, `document.URL`) is not a source here: requests made by a browser are not
server-side. It does not catch client instances (`axios.create(...)`) used through another
variable, nor URLs validated by parsing (`new URL(u).hostname`) in a separate check.

## Why is this bad?
The server can reach what the attacker cannot: cloud metadata endpoints
(`http://169.254.169.254/` hands out credentials), admin interfaces on localhost, databases and
internal services. The response, or its timing, leaks their data.

## Example
```javascript
app.get("/preview", async (req, res) => {
  const page = await fetch(req.query.url);
  res.send(await page.text());
});
```

## Use instead
```javascript
const ALLOWED = new Set(["images.example.com", "cdn.example.com"]);
app.get("/preview", async (req, res) => {
  const url = new URL(req.query.url);
  if (url.protocol !== "https:" || !ALLOWED.has(url.hostname)) return res.sendStatus(400);
  const page = await fetch(url);
  res.send(await page.text());
});
```

## Fix safety
There is no automatic fix: the allowed destinations are a decision of the application.

## References
- [CWE-918: Server-Side Request Forgery](https://cwe.mitre.org/data/definitions/918.html)
- [OWASP SSRF Prevention Cheat Sheet](https://cheatsheetseries.owasp.org/cheatsheets/Server_Side_Request_Forgery_Prevention_Cheat_Sheet.html)
"#,
};

/// Clients whose first argument is a URL or an options object.
const CLIENTS: &[&str] = &[
    "http.get",
    "http.request",
    "https.get",
    "https.request",
    "fetch",
    "node-fetch",
    "undici.fetch",
    "undici.request",
    "undici.stream",
    "axios",
    "axios.get",
    "axios.post",
    "axios.put",
    "axios.patch",
    "axios.delete",
    "axios.head",
    "axios.options",
    "axios.request",
    "got",
    "got.get",
    "got.post",
    "got.put",
    "got.patch",
    "got.delete",
    "got.head",
    "got.stream",
    "request",
    "request.get",
    "request.post",
    "request-promise",
    "request-promise-native",
    "superagent",
    "superagent.get",
    "superagent.post",
    "superagent.put",
    "superagent.delete",
    "needle",
    "needle.get",
    "needle.post",
    "needle.request",
    "phin",
    "bent",
];

/// Option fields naming the destination.
const DESTINATION_FIELDS: &[&str] = &["url", "uri", "baseURL", "host", "hostname"];

fn remote(origin: &Origin) -> bool {
    origin.kind == SourceKind::Request && !is_browser_origin(origin)
}

fn destination_origin<'v>(
    ctx: &Context<'_>,
    value: &'v Value,
    range: &std::ops::Range<usize>,
) -> Option<&'v Origin> {
    let origin = tainted_where(value, SinkKind::Url, remote)?;
    let pinned = constant_prefix(ctx, range.clone()).is_some_and(|p| prefix_fixes_host(&p));
    (!pinned).then_some(origin)
}

fn arg_hit(ctx: &Context<'_>, call: &Call, arg: &Arg) -> Option<Hit> {
    if arg.value.fields.is_empty() {
        let origin = destination_origin(ctx, &arg.value, &arg.range)?;
        return Some(hit_on(call, arg.range.clone(), origin));
    }
    DESTINATION_FIELDS.iter().find_map(|key| {
        let value = arg.value.field(key)?;
        let range = field_range(ctx, arg, key);
        let origin = destination_origin(ctx, value, &range)?;
        Some(hit_on(call, range, origin))
    })
}

fn hit_of(ctx: &Context<'_>, call: &Call) -> Option<Hit> {
    if !CLIENTS.contains(&call.name.as_str()) {
        return None;
    }
    arg_hit(ctx, call, call.positional(0)?)
}

impl Detector for ServerSideRequestForgery {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        ctx.facts
            .calls
            .iter()
            .filter_map(|c| hit_of(ctx, c))
            .collect()
    }

    fn message(&self, ctx: &Context<'_>, hit: &Hit) -> String {
        format!(
            "Untrusted data chooses where `{}` sends a request from the server (CWE-918): an \
             attacker can reach internal services and cloud metadata endpoints.{} Fix the scheme \
             and host in the code, or check the parsed host against an allow-list.",
            hit.subject,
            origin_sentence(ctx, hit)
        )
    }
}
