//! `python/weak-obfuscation-of-request@v1.0`: HTTP Basic credentials, only base64-encoded, sent
//! over plain HTTP.

use std::ops::Range;

use tree_sitter::Node;

use crate::analysis::{Arg, Call, CallKind};
use crate::detectors::{Context, Detector, DetectorMeta, Hit, Scope};
use crate::finding::{Applicability, Category, Edit, Fix, Severity};
use crate::lang::Language;

use super::{common, server_side_request_forgery, taint_sink};

/// Flags HTTP Basic authentication sent to `http://` URLs or over `http.client.HTTPConnection`.
pub struct WeakObfuscationOfRequest;

/// The detector's metadata and documentation.
pub static META: DetectorMeta = DetectorMeta {
    id: "python/weak-obfuscation-of-request@v1.0",
    name: "Weak obfuscation of web request",
    language: Language::Python,
    severity: Severity::High,
    cwes: &[522, 202],
    category: Category::Security,
    express: true,
    docs: r#"## What it does
Flags HTTP Basic authentication sent where the connection does not encrypt it: a request of
`requests`, `httpx`, `urllib3`, `aiohttp` or `urllib.request` to an `http://` URL (written in
the call or in a constant, other than `localhost` and loopback addresses) that carries a
username and password — an `auth=(user, password)` tuple, `HTTPBasicAuth` / `BasicAuth`, an
`Authorization: Basic ...` header built by hand (usually with `base64.b64encode`), or
`urllib3.make_headers(basic_auth=...)` — and Basic `Authorization` headers sent through
`http.client.HTTPConnection`. Requests to `https://` URLs are not flagged: there TLS protects the
header. Requests to URLs the file does not know (a parameter, a setting) are not flagged either,
nor headers added later with `Request.add_header` or set on a session (`session.auth = ...`).

## Why is this bad?
Base64 is an encoding, not encryption: anyone who sees the request on the network (a shared
Wi-Fi, a proxy, a compromised router) decodes the header and has the username and password.
Over plain HTTP the credentials are as good as sent in clear text (CWE-522, CWE-202).

## Example
```python
import base64
import requests

token = base64.b64encode(f"{user}:{password}".encode()).decode()
requests.get("http://api.example.com/orders", headers={"Authorization": "Basic " + token})
```

## Use instead
```python
import requests

requests.get("https://api.example.com/orders", auth=(user, password))
```
Send credentials only over HTTPS, and prefer token-based schemes (OAuth, signed requests) where
the server offers them.

## Fix safety
Where the URL is a string literal in the call, the fix changes `http://` to `https://`. It is
unsafe: the server must offer HTTPS on the default port (or the URL's port).

## References
- [CWE-522: Insufficiently Protected Credentials](https://cwe.mitre.org/data/definitions/522.html)
- [CWE-202: Exposure of Sensitive Information Through Data Queries](https://cwe.mitre.org/data/definitions/202.html)
- [RFC 7617: The 'Basic' HTTP Authentication Scheme, section 4](https://www.rfc-editor.org/rfc/rfc7617#section-4)
"#,
};

/// The syntax node an argument's value was written as: the argument itself, or the right-hand
/// side of the one assignment of the variable it names.
fn written<'t>(ctx: &Context<'t>, range: Range<usize>) -> Option<Node<'t>> {
    let node = ctx.node_at(range)?;
    if node.kind() == "identifier" {
        return taint_sink::only_assignment(ctx, node);
    }
    Some(node)
}

/// Whether an `auth=` argument is HTTP Basic: a `(user, password)` pair or a Basic auth object.
fn basic_auth_object(ctx: &Context<'_>, arg: &Arg) -> bool {
    let Some(node) = written(ctx, arg.range.clone()) else {
        return false;
    };
    match node.kind() {
        "tuple" | "list" => node.named_child_count() == 2,
        "call" => ctx.facts.call_at(&node.byte_range()).is_some_and(|c| {
            matches!(c.method_name(), "HTTPBasicAuth" | "BasicAuth") && c.kind != CallKind::Method
        }),
        _ => false,
    }
}

/// Whether a `headers=` argument carries `Authorization: Basic ...`.
fn basic_header(ctx: &Context<'_>, arg: &Arg) -> bool {
    if let Some((_, value)) = arg
        .value
        .fields
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("authorization"))
    {
        if value.const_str().is_some_and(is_basic_value) {
            return true;
        }
    }
    let Some(node) = written(ctx, arg.range.clone()) else {
        return false;
    };
    match node.kind() {
        "dictionary" => {
            let mut cursor = node.walk();
            let pairs: Vec<Node<'_>> = node
                .named_children(&mut cursor)
                .filter(|p| p.kind() == "pair")
                .collect();
            pairs.into_iter().any(|pair| {
                let key = pair
                    .child_by_field_name("key")
                    .and_then(|k| common::string_content_range(ctx, k.byte_range()))
                    .map(|r| ctx.text(r));
                key.is_some_and(|k| k.eq_ignore_ascii_case("authorization"))
                    && pair
                        .child_by_field_name("value")
                        .and_then(|v| taint_sink::leading_literal(ctx, v.byte_range()))
                        .is_some_and(|t| is_basic_value(&t))
            })
        }
        "call" => ctx
            .facts
            .call_at(&node.byte_range())
            .is_some_and(|c| c.name == "urllib3.make_headers" && c.keyword("basic_auth").is_some()),
        _ => false,
    }
}

fn is_basic_value(text: &str) -> bool {
    text.get(..6)
        .is_some_and(|p| p.eq_ignore_ascii_case("basic "))
}

/// The `http://` URL text at the start of a URL argument, when the host is not local.
fn plain_url(ctx: &Context<'_>, arg: &Arg) -> Option<String> {
    let text = match arg.value.const_str() {
        Some(s) => s.to_string(),
        None => taint_sink::leading_literal(ctx, arg.range.clone())?,
    };
    let rest = text
        .get(..7)
        .filter(|p| p.eq_ignore_ascii_case("http://"))
        .map(|_| &text[7..])?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    if authority.is_empty() {
        // `f"http://{host}/..."`: the host is unknown, the scheme is not.
        return Some(text);
    }
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = host
        .strip_prefix('[')
        .and_then(|h| h.split_once(']'))
        .map_or_else(
            || host.rsplit_once(':').map_or(host, |(h, _)| h),
            |(h, _)| h,
        );
    let local = host.eq_ignore_ascii_case("localhost")
        || host.starts_with("127.")
        || host == "::1"
        || host.ends_with(".localhost");
    (!local).then_some(text)
}

/// What Basic credentials the call sends, if any.
fn credentials(ctx: &Context<'_>, call: &Call) -> Option<&'static str> {
    if call
        .keyword("auth")
        .is_some_and(|a| basic_auth_object(ctx, a))
    {
        return Some("a username and password (HTTP Basic)");
    }
    if call
        .keyword("headers")
        .is_some_and(|a| basic_header(ctx, a))
    {
        return Some("a Basic `Authorization` header");
    }
    None
}

/// Whether a call sends a request through a plain `http.client.HTTPConnection`.
fn plain_connection_header(ctx: &Context<'_>, call: &Call) -> bool {
    let plain = call
        .receiver
        .as_ref()
        .and_then(|r| r.type_name.as_deref())
        .is_some_and(|t| matches!(t, "http.client.HTTPConnection" | "httplib.HTTPConnection"));
    if !plain {
        return false;
    }
    match call.method_name() {
        "request" => call.arg(3, "headers").is_some_and(|a| basic_header(ctx, a)),
        "putheader" => {
            call.positional(0)
                .and_then(|a| a.value.const_str())
                .is_some_and(|h| h.eq_ignore_ascii_case("authorization"))
                && call.positional(1).is_some_and(|a| {
                    a.value
                        .const_str()
                        .map(str::to_string)
                        .or_else(|| taint_sink::leading_literal(ctx, a.range.clone()))
                        .is_some_and(|t| is_basic_value(&t))
                })
        }
        _ => false,
    }
}

impl Detector for WeakObfuscationOfRequest {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn scope(&self) -> Scope {
        Scope::Definition
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        let mut hits = Vec::new();
        for call in &ctx.facts.calls {
            if plain_connection_header(ctx, call) {
                hits.push(
                    Hit::new(
                        call.callee_range.clone(),
                        format!(
                            "{}|a Basic `Authorization` header|an `HTTPConnection` (plain HTTP)",
                            call.name
                        ),
                    )
                    .with_anchor(call.range.clone()),
                );
                continue;
            }
            let Some(sent) = credentials(ctx, call) else {
                continue;
            };
            for url in server_side_request_forgery::url_args(ctx, call) {
                if let Some(text) = plain_url(ctx, url) {
                    let shown: String = text.chars().take(60).collect();
                    hits.push(
                        Hit::new(url.range.clone(), format!("{}|{sent}|`{shown}`", call.name))
                            .with_anchor(call.range.clone()),
                    );
                }
            }
        }
        hits
    }

    fn message(&self, _ctx: &Context<'_>, hit: &Hit) -> String {
        let mut parts = hit.subject.splitn(3, '|');
        let call = parts.next().unwrap_or("");
        let sent = parts.next().unwrap_or("credentials");
        let target = parts.next().unwrap_or("a plain HTTP URL");
        format!(
            "`{call}` sends {sent} to {target} without TLS; Basic credentials are only \
             base64-encoded, so anyone on the network path can read them ({}). Use an \
             `https://` URL.",
            META.cwe_list()
        )
    }

    fn fix(&self, ctx: &Context<'_>, hit: &Hit) -> Vec<Fix> {
        let Some(content) = common::string_content_range(ctx, hit.range.clone()) else {
            return Vec::new();
        };
        let text = ctx.text(content.clone());
        if !text
            .get(..7)
            .is_some_and(|p| p.eq_ignore_ascii_case("http://"))
        {
            return Vec::new();
        }
        vec![Fix::new(
            "Use https://",
            vec![Edit::replace(content.start..content.start + 7, "https://")],
            Applicability::Unsafe,
        )]
    }
}
