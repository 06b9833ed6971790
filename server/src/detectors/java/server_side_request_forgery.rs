//! `java/server-side-request-forgery`: untrusted data choosing where the server sends a request.

use super::sinks::{sink, source_phrase, taint_hits_where, Part, Sink};
use crate::analysis::{SinkKind, SourceKind};
use crate::detectors::{Context, Detector, DetectorMeta, Hit};
use crate::finding::{Category, Severity};
use crate::lang::Language;

/// Flags outgoing HTTP requests whose URL is built from untrusted data.
pub struct ServerSideRequestForgery;

/// The detector instance.
pub static SERVER_SIDE_REQUEST_FORGERY: ServerSideRequestForgery = ServerSideRequestForgery;

static META: DetectorMeta = DetectorMeta {
    id: "java/server-side-request-forgery@v1.0",
    name: "Server-side request forgery",
    language: Language::Java,
    severity: Severity::High,
    cwes: &[918],
    category: Category::Security,
    express: true,
    docs: r#"## What it does
Flags outgoing requests whose URL comes from untrusted data (servlet request data, Spring
`@RequestParam`-style parameters, data read from the network; not command-line arguments or
environment variables, which the operator sets):
`URL.openConnection` / `openStream` on a `URL` built from input, Spring `RestTemplate`
(`getForObject`, `getForEntity`, `postForObject`, `postForEntity`, `exchange`, `put`, `delete`),
Apache HttpClient request constructors (`new HttpGet(url)`, `HttpPost`, ...), `java.net.http`
`HttpRequest.newBuilder(uri)` and `URI.create` passed to it, OkHttp `Request.Builder.url` and
`Jsoup.connect`. A URL whose scheme and host are fixed by a constant prefix
(`"https://api.example.com/users/" + id`) is not flagged: the input only picks a path there.
Neither are URLs checked against an allow-list. The catalogue publishes no severity; Codeward uses
High with CWE-918.

It does not see a host fixed by `String.format` or a `StringBuilder`, nor URLs validated by a
helper that returns a boolean in another file.

## Why is this bad?
A client that chooses the URL makes the server reach what the client cannot: cloud metadata
endpoints (`http://169.254.169.254/` with instance credentials), admin interfaces on localhost,
internal services behind the firewall, or `file:` URLs.

## Example
```java
URL url = new URL(request.getParameter("feed"));
InputStream in = url.openStream();
```

## Use instead
```java
String feed = request.getParameter("feed");
if (!ALLOWED_FEEDS.contains(feed)) {
    throw new IllegalArgumentException("unknown feed");
}
InputStream in = new URL(feed).openStream();
```

## Fix safety
No automatic fix: which destinations are legitimate is the application's decision.

## References
- [CWE-918: Server-Side Request Forgery (SSRF)](https://cwe.mitre.org/data/definitions/918.html)
- [OWASP SSRF Prevention Cheat Sheet](https://cheatsheetseries.owasp.org/cheatsheets/Server_Side_Request_Forgery_Prevention_Cheat_Sheet.html)
"#,
};

const FIRST: &[Part] = &[Part::Arg(0)];
const RECEIVER: &[Part] = &[Part::Receiver];
const REST: &str = "org.springframework.web.client.RestTemplate";

/// Where a request is sent.
const SINKS: &[Sink] = &[
    sink("java.net.URL", "openConnection", RECEIVER),
    sink("java.net.URL", "openStream", RECEIVER),
    sink("java.net.URL", "getContent", RECEIVER),
    sink(REST, "getForObject", FIRST),
    sink(REST, "getForEntity", FIRST),
    sink(REST, "postForObject", FIRST),
    sink(REST, "postForEntity", FIRST),
    sink(REST, "postForLocation", FIRST),
    sink(REST, "exchange", FIRST),
    sink(REST, "put", FIRST),
    sink(REST, "delete", FIRST),
    sink(REST, "headForHeaders", FIRST),
    sink("org.apache.http.client.methods.HttpGet", "", FIRST),
    sink("org.apache.http.client.methods.HttpPost", "", FIRST),
    sink("org.apache.http.client.methods.HttpPut", "", FIRST),
    sink("org.apache.http.client.methods.HttpDelete", "", FIRST),
    sink(
        "org.apache.hc.client5.http.classic.methods.HttpGet",
        "",
        FIRST,
    ),
    sink(
        "org.apache.hc.client5.http.classic.methods.HttpPost",
        "",
        FIRST,
    ),
    sink("java.net.http.HttpRequest", "newBuilder", FIRST),
    sink("java.net.http.HttpRequest.Builder", "uri", FIRST),
    sink("okhttp3.Request.Builder", "url", FIRST),
    sink("org.jsoup.Jsoup", "connect", FIRST),
];

impl Detector for ServerSideRequestForgery {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        // A command-line tool opening the file or URL its user names is doing its job.
        taint_hits_where(ctx, SINKS, Some(SinkKind::Url), &|o| {
            matches!(o.kind, SourceKind::Request | SourceKind::Network)
        })
    }

    fn message(&self, ctx: &Context<'_>, hit: &Hit) -> String {
        format!(
            "Server-side request forgery (CWE-918): the URL requested by `{}` comes from {}, so a \
             client can make the server call internal services or cloud metadata endpoints. Fix \
             the scheme and host in code, or check the URL against an allow-list of \
             destinations.",
            hit.subject,
            source_phrase(ctx, hit)
        )
    }
}
