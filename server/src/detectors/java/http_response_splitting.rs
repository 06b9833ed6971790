//! `java/http-response-splitting`: untrusted data with line breaks in an HTTP response header.

use super::sinks::{sink, source_phrase, taint_hits, Part, Sink};
use crate::analysis::SinkKind;
use crate::detectors::{Context, Detector, DetectorMeta, Hit};
use crate::finding::{Category, Severity};
use crate::lang::Language;

/// Flags response header names and values built from untrusted data.
pub struct HttpResponseSplitting;

/// The detector instance.
pub static HTTP_RESPONSE_SPLITTING: HttpResponseSplitting = HttpResponseSplitting;

static META: DetectorMeta = DetectorMeta {
    id: "java/http-response-splitting@v1.0",
    name: "HTTP response splitting",
    language: Language::Java,
    severity: Severity::Medium,
    cwes: &[113],
    category: Category::Security,
    express: true,
    docs: r#"## What it does
Flags header names and values set with `HttpServletResponse.setHeader` / `addHeader` and Spring
`HttpHeaders.add` / `set` when they carry untrusted data (web request data, Spring
`@RequestParam`-style parameters, command-line arguments, environment variables, standard input)
whose line breaks were not removed: `replace`/`replaceAll` of `\r`/`\n`, `URLEncoder.encode`,
ESAPI `encodeForURL`, Commons Text `escapeJava`, numeric conversion and allow-list checks all make
it safe. The catalogue publishes no severity; Codeward uses Medium with CWE-113. Redirect targets
in a `Location` header are also reported by `java/open-redirect`. Request headers, cookies and the
raw request line (`getHeader`, `getCookies`, `getQueryString`, `getRequestURI`,
`getRequestURL`) are not flagged: they cannot hold a line break (the HTTP parser split the request
on them); decoded values (parameters, `getPathInfo`, `getServletPath`, the body) can.

It does not know the servlet container: current Tomcat, Jetty and Undertow reject or replace line
breaks in headers, which makes many findings unexploitable there (still worth fixing for other
containers and proxies).

## Why is this bad?
A value like `en\r\nSet-Cookie: session=attacker` ends the header early and adds headers or a
whole second response: session fixation, cache poisoning and cross-site scripting follow.

## Example
```java
response.setHeader("Content-Language", request.getParameter("lang"));
```

## Use instead
```java
String lang = request.getParameter("lang").replaceAll("[\r\n]", "");
response.setHeader("Content-Language", lang);
```

## Fix safety
No automatic fix: whether to reject the request or strip characters is the application's choice.

## References
- [CWE-113: Improper Neutralization of CRLF Sequences in HTTP Headers](https://cwe.mitre.org/data/definitions/113.html)
- [OWASP HTTP Response Splitting](https://owasp.org/www-community/attacks/HTTP_Response_Splitting)
"#,
};

const NAME_AND_VALUE: &[Part] = &[Part::Arg(1), Part::Arg(0)];
const RESPONSE: &str = "javax.servlet.http.HttpServletResponse";
const HEADERS: &str = "org.springframework.http.HttpHeaders";

/// Header setters.
const SINKS: &[Sink] = &[
    sink(RESPONSE, "setHeader", NAME_AND_VALUE),
    sink(RESPONSE, "addHeader", NAME_AND_VALUE),
    sink(HEADERS, "add", NAME_AND_VALUE),
    sink(HEADERS, "set", NAME_AND_VALUE),
];

impl Detector for HttpResponseSplitting {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        taint_hits(ctx, SINKS, SinkKind::Header)
    }

    fn message(&self, ctx: &Context<'_>, hit: &Hit) -> String {
        format!(
            "HTTP response splitting (CWE-113): the header set by `{}` carries {} with its line \
             breaks, so a client can add headers or a second response. Remove `\\r` and `\\n` \
             from the value (or URL-encode it) before setting the header.",
            hit.subject,
            source_phrase(ctx, hit)
        )
    }
}
