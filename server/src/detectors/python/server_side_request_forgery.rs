//! `python/server-side-request-forgery@v1.0`: untrusted data choosing where the server sends a
//! request.

use crate::analysis::{Arg, Call, CallKind, SinkKind, SourceKind};
use crate::detectors::{Context, Detector, DetectorMeta, Hit, Scope};
use crate::finding::{Category, Severity};
use crate::lang::Language;

use super::taint_sink;

/// Flags web and network data reaching the URL or host of an outgoing request.
pub struct ServerSideRequestForgery;

/// The detector's metadata and documentation.
pub static META: DetectorMeta = DetectorMeta {
    id: "python/server-side-request-forgery@v1.0",
    name: "Server-side request forgery",
    language: Language::Python,
    severity: Severity::High,
    cwes: &[918],
    category: Category::Security,
    express: true,
    docs: r#"## What it does
Flags web request data and network reads that choose the destination of an outgoing request:
the URL of `requests` and `httpx` calls (module functions and session / client methods),
`urllib.request.urlopen` / `Request`, `urllib3` `request` / `urlopen`, `aiohttp` session
methods, and the host of `http.client.HTTPConnection` / `HTTPSConnection`. A URL whose scheme
and host are fixed literal text (`f"https://api.example.com/users/{uid}"`) is not flagged: the
attacker chooses only the path on a trusted host. Nor are values passed through
`urllib.parse.quote`, converted to numbers, or checked against an allow-list. Command-line
arguments, environment variables and standard input are not reported: a tool fetching the URL its
user gives is working as intended. It does not recognise host checks written as
`urlparse(url).hostname in ALLOWED` (check the variable itself, or build the URL from an
allow-listed host), nor request libraries beyond those named.

## Why is this bad?
The server sends the request from inside the network: an attacker can reach internal services,
cloud metadata endpoints (`169.254.169.254`) holding credentials, or local files through
`file://` URLs, and read the answers through the application (CWE-918).

## Example
```python
import requests
from flask import request

target = request.args["url"]
preview = requests.get(target, timeout=5).text
```

## Use instead
```python
import requests
from flask import request

ALLOWED_HOSTS = {"images.example.com": "https://images.example.com/"}

host = request.args["host"]
if host in ALLOWED_HOSTS:
    preview = requests.get(ALLOWED_HOSTS[host], timeout=5).text
```

## Fix safety
There is no automatic fix: the set of hosts the application may reach is a design decision. Keep
the scheme and host constant, or check the value against an allow-list before the request.

## References
- [CWE-918: Server-Side Request Forgery](https://cwe.mitre.org/data/definitions/918.html)
- [OWASP: SSRF prevention cheat sheet](https://cheatsheetseries.owasp.org/cheatsheets/Server_Side_Request_Forgery_Prevention_Cheat_Sheet.html)
"#,
};

/// Sources not reported: the local user chooses what a tool fetches.
const IGNORED: [SourceKind; 3] = [
    SourceKind::CommandLine,
    SourceKind::Environment,
    SourceKind::Stdin,
];

const HTTP_METHODS: [&str; 8] = [
    "get", "post", "put", "patch", "delete", "head", "options", "stream",
];

/// Whether a qualified name or receiver type belongs to an HTTP client library.
fn is_client(prefix: &str) -> bool {
    matches!(
        prefix,
        "requests"
            | "requests.Session"
            | "requests.api"
            | "httpx"
            | "httpx.Client"
            | "httpx.AsyncClient"
            | "aiohttp.ClientSession"
            | "urllib3"
            | "urllib3.PoolManager"
    )
}

/// The URL (or host) arguments of an outgoing request.
pub(super) fn url_args<'c>(_ctx: &Context<'_>, call: &'c Call) -> Vec<&'c Arg> {
    let Some((prefix, function)) = crate::analysis::split_last_dot(&call.name) else {
        return Vec::new();
    };
    match (prefix, function) {
        (p, f) if is_client(p) && HTTP_METHODS.contains(&f) => taint_sink::one(call, 0, "url"),
        (p, "request" | "urlopen") if is_client(p) => taint_sink::one(call, 1, "url"),
        ("urllib.request" | "urllib2", "urlopen" | "Request") => taint_sink::one(call, 0, "url"),
        ("http.client" | "httplib", "HTTPConnection" | "HTTPSConnection")
            if call.kind == CallKind::Function =>
        {
            taint_sink::one(call, 0, "host")
        }
        _ => Vec::new(),
    }
}

/// Whether the literal start of a URL fixes its scheme and host (`https://host/...`).
fn fixes_host(prefix: &str) -> bool {
    prefix.split_once("://").is_some_and(|(_, rest)| {
        rest.split_once('/')
            .is_some_and(|(host, _)| !host.is_empty())
    })
}

impl Detector for ServerSideRequestForgery {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn scope(&self) -> Scope {
        Scope::Definition
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        taint_sink::hits(ctx, SinkKind::Url, &IGNORED, url_args)
            .into_iter()
            .filter(|hit| {
                !taint_sink::leading_literal(ctx, hit.range.clone()).is_some_and(|p| fixes_host(&p))
            })
            .collect()
    }

    fn message(&self, ctx: &Context<'_>, hit: &Hit) -> String {
        format!(
            "`{}` sends a request to a destination built from {}, so an attacker can make the \
             server reach internal services or cloud metadata endpoints ({}). Keep the scheme and \
             host constant, or check the value against an allow-list of hosts first.",
            hit.subject,
            taint_sink::source(ctx, hit),
            META.cwe_list()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::fixes_host;

    #[test]
    fn a_literal_host_is_fixed_only_up_to_the_path() {
        assert!(fixes_host("https://api.example.com/users/"));
        assert!(!fixes_host("https://api.example.com"));
        assert!(!fixes_host("https://"));
        assert!(!fixes_host("http"));
    }
}
