//! `java/cross-site-scripting`: untrusted data in HTML produced by JSP writers, Spring response
//! bodies and servlet error pages.

use super::sinks::{sink, source_phrase, taint_hits, Part, Sink};
use crate::analysis::SinkKind;
use crate::detectors::{Context, Detector, DetectorMeta, Hit};
use crate::finding::{Category, Severity};
use crate::lang::Language;

/// Flags untrusted data reaching HTML outputs other than the servlet response writer.
pub struct CrossSiteScripting;

/// The detector instance.
pub static CROSS_SITE_SCRIPTING: CrossSiteScripting = CrossSiteScripting;

static META: DetectorMeta = DetectorMeta {
    id: "java/cross-site-scripting@v1.0",
    name: "Cross-site scripting",
    language: Language::Java,
    severity: Severity::High,
    cwes: &[79],
    category: Category::Security,
    express: true,
    docs: r#"## What it does
Flags untrusted data (web request data, Spring `@RequestParam`-style parameters, or data from the
network) that reaches an HTML output without escaping: a JSP `JspWriter` (`print`, `println`,
`write`), the message of `HttpServletResponse.sendError(code, message)` (containers put it in an
HTML error page), and Spring response bodies (`ResponseEntity.ok(body)`, `ResponseEntity...body(x)`),
which a browser renders as HTML when it asks for `text/html`. Escaping with OWASP Encoder,
ESAPI, Commons Text or Spring `HtmlUtils`, numeric conversion and allow-list checks make data
safe. Request data printed to the servlet `PrintWriter` is `java/reflected-cross-site-scripting`.
Severity High as in the catalogue, which lists no CWE; Codeward uses CWE-79.

It does not look into templates (JSP expressions, Thymeleaf `th:utext`), does not see a
controller's plain `return body;` (a return value, not a call), and does not know a response's
content type.

## Why is this bad?
Script in the data runs in the victim's browser on your origin: it can read the page, act with the
user's session, and send their data elsewhere.

## Example
```java
@GetMapping("/greet")
public ResponseEntity<String> greet(@RequestParam String name) {
    return ResponseEntity.ok("<p>Hello " + name + "</p>");
}
```

## Use instead
```java
@GetMapping("/greet")
public ResponseEntity<String> greet(@RequestParam String name) {
    return ResponseEntity.ok("<p>Hello " + HtmlUtils.htmlEscape(name) + "</p>");
}
```

## Fix safety
No automatic fix: the right encoder depends on where in the page the value lands.

## References
- [CWE-79: Improper Neutralization of Input During Web Page Generation](https://cwe.mitre.org/data/definitions/79.html)
- [OWASP Cross Site Scripting Prevention Cheat Sheet](https://cheatsheetseries.owasp.org/cheatsheets/Cross_Site_Scripting_Prevention_Cheat_Sheet.html)
"#,
};

const ALL: &[Part] = &[Part::AllArgs];
const FIRST: &[Part] = &[Part::Arg(0)];
const JSP: &str = "javax.servlet.jsp.JspWriter";
const ENTITY: &str = "org.springframework.http.ResponseEntity";
const BODY: &str = "org.springframework.http.ResponseEntity.BodyBuilder";

/// HTML outputs.
const SINKS: &[Sink] = &[
    sink(JSP, "print", ALL),
    sink(JSP, "println", ALL),
    sink(JSP, "write", ALL),
    sink(
        "javax.servlet.http.HttpServletResponse",
        "sendError",
        &[Part::Arg(1)],
    ),
    sink(ENTITY, "ok", FIRST),
    sink(ENTITY, "", FIRST),
    sink(BODY, "body", FIRST),
];

impl Detector for CrossSiteScripting {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        taint_hits(ctx, SINKS, SinkKind::Html)
    }

    fn message(&self, ctx: &Context<'_>, hit: &Hit) -> String {
        format!(
            "Cross-site scripting (CWE-79): `{}` puts {} into HTML without escaping, so script \
             in it runs in the user's browser. Escape it for its place in the page \
             (`Encode.forHtml`, `HtmlUtils.htmlEscape`) or let a template engine escape it.",
            hit.subject,
            source_phrase(ctx, hit)
        )
    }
}
