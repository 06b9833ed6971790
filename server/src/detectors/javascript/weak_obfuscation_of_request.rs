//! `javascript/weak-obfuscation-of-request@v1.0`: Basic credentials sent over plain HTTP.

use crate::analysis::{Arg, Call};
use crate::detectors::{Context, Detector, DetectorMeta, Hit};
use crate::finding::{Category, Severity};
use crate::lang::Language;

use super::support::{constant_prefix, find_pair};

/// The detector.
pub static WEAK_OBFUSCATION_OF_REQUEST: WeakObfuscationOfRequest = WeakObfuscationOfRequest;

/// Flags Basic authentication (base64, not encryption) on requests made without TLS.
pub struct WeakObfuscationOfRequest;

static META: DetectorMeta = DetectorMeta {
    id: "javascript/weak-obfuscation-of-request@v1.0",
    name: "Weak obfuscation of web requests",
    language: Language::JavaScript,
    severity: Severity::High,
    cwes: &[522, 319],
    category: Category::Security,
    express: true,
    docs: r#"## What it does
Flags credentials protected only by base64 on requests made without TLS: an `Authorization`
header whose value starts with `Basic ` (`'Basic ' + Buffer.from(user + ':' + pass).toString('base64')`)
or an `auth: 'user:password'` option, given to Node's plain `http.request`/`http.get`, or to
`fetch`, `axios`, `got`, `request`, `superagent` or `needle` with an `http://` URL. The catalogue
gives no CWE; Codeward uses CWE-522 (insufficiently protected credentials) and CWE-319.

Requests over `https` are not flagged: TLS protects the header. Nor are `Bearer` tokens, or
requests whose URL or module is not known to be plain HTTP (a URL in a variable whose value is
not constant). Plain-HTTP URLs without credentials are reported by
`javascript/insecure-connection`.

## Why is this bad?
Base64 is an encoding, not encryption: anyone who sees the request — on the same network, a proxy,
a compromised router — decodes the header and has the user name and password.

## Example
```javascript
http.request({ host: "api.example.com", path: "/orders",
  headers: { Authorization: "Basic " + Buffer.from(`${user}:${pass}`).toString("base64") } });
```

## Use instead
```javascript
https.request({ host: "api.example.com", path: "/orders",
  headers: { Authorization: "Basic " + Buffer.from(`${user}:${pass}`).toString("base64") } });
```

## Fix safety
There is no automatic fix: the server must offer TLS, and the port usually changes.

## References
- [CWE-522: Insufficiently Protected Credentials](https://cwe.mitre.org/data/definitions/522.html)
- [RFC 7617: The 'Basic' HTTP Authentication Scheme](https://www.rfc-editor.org/rfc/rfc7617#section-4)
"#,
};

/// Clients whose first argument is a URL or options.
const URL_CLIENTS: &[&str] = &[
    "fetch",
    "node-fetch",
    "undici.fetch",
    "undici.request",
    "axios",
    "axios.get",
    "axios.post",
    "axios.put",
    "axios.patch",
    "axios.delete",
    "axios.request",
    "got",
    "got.get",
    "got.post",
    "request",
    "request.get",
    "request.post",
    "superagent.get",
    "superagent.post",
    "needle.get",
    "needle.post",
];

/// Whether the request is known to go over plain HTTP.
fn plain_http(ctx: &Context<'_>, call: &Call) -> bool {
    if matches!(call.name.as_str(), "http.request" | "http.get") {
        return true;
    }
    if !URL_CLIENTS.contains(&call.name.as_str()) {
        return false;
    }
    call.args.iter().any(|a| {
        let url = a
            .value
            .const_str()
            .map(str::to_string)
            .or_else(|| constant_prefix(ctx, a.range.clone()))
            .or_else(|| {
                a.value
                    .field("url")
                    .and_then(|u| u.const_str())
                    .map(str::to_string)
            });
        url.is_some_and(|u| u.to_ascii_lowercase().starts_with("http://"))
    })
}

/// The Basic credentials in an options argument: an `Authorization: 'Basic ...'` header or `auth`.
fn basic_credentials(ctx: &Context<'_>, arg: &Arg) -> Option<std::ops::Range<usize>> {
    for key in ["Authorization", "authorization"] {
        let Some(pair) = find_pair(ctx, arg.range.clone(), key) else {
            continue;
        };
        let value = pair.child_by_field_name("value")?;
        let prefix = constant_prefix(ctx, value.byte_range())?;
        if prefix.to_ascii_lowercase().starts_with("basic ") {
            return Some(value.byte_range());
        }
    }
    let auth = arg.value.field("auth")?;
    let written = find_pair(ctx, arg.range.clone(), "auth")
        .and_then(|p| p.child_by_field_name("value"))
        .map(|v| v.byte_range());
    // `auth: 'user:pass'` (http) or `auth: { username, password }` (axios).
    let credentials = auth.const_str().is_some_and(|s| s.contains(':'))
        || auth.field("password").is_some()
        || auth.taint.is_tainted();
    credentials.then(|| written.unwrap_or(arg.range.clone()))
}

fn hit_of(ctx: &Context<'_>, call: &Call) -> Option<Hit> {
    if !plain_http(ctx, call) {
        return None;
    }
    call.args.iter().find_map(|a| {
        let range = basic_credentials(ctx, a)?;
        Some(Hit::new(range, call.name.clone()).with_anchor(call.range.clone()))
    })
}

impl Detector for WeakObfuscationOfRequest {
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

    fn message(&self, _ctx: &Context<'_>, hit: &Hit) -> String {
        format!(
            "`{}` sends Basic credentials over plain HTTP (CWE-522): base64 is not encryption, so \
             anyone on the network reads the user name and password. Send the request over \
             HTTPS.",
            hit.subject
        )
    }
}
