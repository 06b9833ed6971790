//! `java/reflected-cross-site-scripting`: request data written straight back into the servlet
//! response.

use super::content_type::writes_inert_response;
use super::sinks::{sink, source_phrase, taint_hits_where, Part, Sink};
use crate::analysis::{SinkKind, SourceKind};
use crate::detectors::{Context, Detector, DetectorMeta, Hit};
use crate::finding::{Category, Severity};
use crate::lang::Language;

/// Flags request data printed to the servlet response writer or output stream unescaped.
pub struct ReflectedCrossSiteScripting;

/// The detector instance.
pub static REFLECTED_CROSS_SITE_SCRIPTING: ReflectedCrossSiteScripting =
    ReflectedCrossSiteScripting;

static META: DetectorMeta = DetectorMeta {
    id: "java/reflected-cross-site-scripting@v1.0",
    name: "Reflected cross site scripting",
    language: Language::Java,
    severity: Severity::High,
    cwes: &[79],
    category: Category::Security,
    express: true,
    docs: r#"## What it does
Flags web request data (servlet parameters, headers, cookies, the query string and path, Spring
`@RequestParam`-style parameters) written to the response without HTML escaping: `print`,
`println`, `write`, `format`, `printf` and `append` on the response's `PrintWriter`
(`response.getWriter()`) or `ServletOutputStream`. Data escaped with OWASP Encoder
(`Encode.forHtml`), ESAPI (`encodeForHTML`), Commons Text `StringEscapeUtils.escapeHtml4` or
Spring `HtmlUtils.htmlEscape`, converted to a number, or checked against an allow-list is not
flagged. Other HTML outputs (JSP writers, Spring response bodies, error pages) are
`java/cross-site-scripting`. Severity High as in the catalogue, which lists no CWE; Codeward uses
CWE-79.

A response declared as plain text, CSV, JSON, an event stream, a download, an image, audio or
video (`response.setContentType("text/plain; charset=" + CHARSET)`, a `Content-Type` header) is
not flagged: browsers do not render it as a page. The declaration counts when it comes before the
write in the method that obtains the writer, or, for a writer handed to a helper method, when every
declaration in the class is such a type. A response with no declared type, or an HTML or XML one,
is flagged. It flags every `PrintWriter` of a file that obtains a servlet response writer.

## Why is this bad?
Whatever the request carries is echoed into the page: a link with `<script>` in a parameter runs
the attacker's script in the victim's browser, on your origin, with their cookies and session.

## Example
```java
String name = request.getParameter("name");
response.getWriter().println("<h1>Hello " + name + "</h1>");
```

## Use instead
```java
String name = request.getParameter("name");
response.getWriter().println("<h1>Hello " + Encode.forHtml(name) + "</h1>");
```
Better still, render HTML with a template engine that escapes by default.

## Fix safety
No automatic fix: the right encoder depends on where in the page the value lands (element,
attribute, URL, script).

## References
- [CWE-79: Improper Neutralization of Input During Web Page Generation](https://cwe.mitre.org/data/definitions/79.html)
- [OWASP Cross Site Scripting Prevention Cheat Sheet](https://cheatsheetseries.owasp.org/cheatsheets/Cross_Site_Scripting_Prevention_Cheat_Sheet.html)
"#,
};

const ALL: &[Part] = &[Part::AllArgs];
const WRITER: &str = "java.io.PrintWriter";
const STREAM: &str = "javax.servlet.ServletOutputStream";

/// Response output methods.
const SINKS: &[Sink] = &[
    sink(WRITER, "print", ALL),
    sink(WRITER, "println", ALL),
    sink(WRITER, "write", ALL),
    sink(WRITER, "format", ALL),
    sink(WRITER, "printf", ALL),
    sink(WRITER, "append", ALL),
    sink(STREAM, "print", ALL),
    sink(STREAM, "println", ALL),
    sink(STREAM, "write", ALL),
];

/// Whether the file obtains a servlet response's writer or output stream.
fn writes_responses(ctx: &Context<'_>) -> bool {
    ctx.facts.calls.iter().any(|c| {
        let method = c.method_name();
        (method == "getWriter" || method == "getOutputStream") && c.name.contains("ServletResponse")
    })
}

impl Detector for ReflectedCrossSiteScripting {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        if !writes_responses(ctx) {
            return Vec::new();
        }
        let mut hits = taint_hits_where(ctx, SINKS, Some(SinkKind::Html), &|o| {
            o.kind == SourceKind::Request
        });
        hits.retain(|hit| {
            !ctx.facts
                .call_at(&hit.anchor)
                .is_some_and(|call| writes_inert_response(ctx, call))
        });
        hits
    }

    fn message(&self, ctx: &Context<'_>, hit: &Hit) -> String {
        format!(
            "Reflected cross-site scripting (CWE-79): `{}` writes {} into the response without \
             HTML escaping, so a crafted link runs script in the victim's browser. Escape it for \
             its place in the page (`Encode.forHtml`, `HtmlUtils.htmlEscape`) or render through a \
             template engine that escapes by default.",
            hit.subject,
            source_phrase(ctx, hit)
        )
    }
}
