//! `java/xpath-injection`: untrusted data in an XPath expression.

use super::sinks::{sink, source_phrase, taint_hits, Part, Sink};
use crate::analysis::SinkKind;
use crate::detectors::{Context, Detector, DetectorMeta, Hit};
use crate::finding::{Category, Severity};
use crate::lang::Language;

/// Flags XPath expressions compiled or evaluated from untrusted data.
pub struct XpathInjection;

/// The detector instance.
pub static XPATH_INJECTION: XpathInjection = XpathInjection;

static META: DetectorMeta = DetectorMeta {
    id: "java/xpath-injection@v1.0",
    name: "XPath injection",
    language: Language::Java,
    severity: Severity::High,
    cwes: &[643],
    category: Category::Security,
    express: true,
    docs: r#"## What it does
Flags the expression of `javax.xml.xpath.XPath.compile` / `evaluate` / `evaluateExpression` and of
dom4j `selectNodes` / `selectSingleNode` / `valueOf` when it contains untrusted data (web request
data, Spring `@RequestParam`-style parameters, command-line arguments, environment variables,
standard input) that was not escaped with ESAPI `encodeForXPath`, converted to a number or checked
against an allow-list. Expressions with variables (`$name`) bound through an
`XPathVariableResolver` are constant and not flagged. The catalogue publishes no severity; Codeward
uses High with CWE-643.

It does not recognise hand-written quoting helpers, and does not follow expressions built in other
files.

## Why is this bad?
`' or '1'='1` in a name turns `//user[name='...']` into a query for every user: XML documents used
for authentication or authorisation leak or accept anyone.

## Example
```java
String name = request.getParameter("name");
xpath.evaluate("//user[name='" + name + "']/role", doc);
```

## Use instead
```java
xpath.setXPathVariableResolver(v -> "name".equals(v.getLocalPart()) ? request.getParameter("name") : null);
xpath.evaluate("//user[name=$name]/role", doc);
```

## Fix safety
No automatic fix: binding variables needs a resolver the reviewer should write.

## References
- [CWE-643: Improper Neutralization of Data within XPath Expressions](https://cwe.mitre.org/data/definitions/643.html)
- [OWASP XPath Injection](https://owasp.org/www-community/attacks/XPATH_Injection)
"#,
};

const FIRST: &[Part] = &[Part::Arg(0)];
const XPATH: &str = "javax.xml.xpath.XPath";

/// Expression arguments.
const SINKS: &[Sink] = &[
    sink(XPATH, "compile", FIRST),
    sink(XPATH, "evaluate", FIRST),
    sink(XPATH, "evaluateExpression", FIRST),
    sink("org.dom4j.Node", "selectNodes", FIRST),
    sink("org.dom4j.Node", "selectSingleNode", FIRST),
    sink("org.dom4j.Node", "valueOf", FIRST),
    sink("org.dom4j.Document", "selectNodes", FIRST),
    sink("org.dom4j.Document", "selectSingleNode", FIRST),
    sink("org.dom4j.Document", "valueOf", FIRST),
];

impl Detector for XpathInjection {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        taint_hits(ctx, SINKS, SinkKind::XPath)
    }

    fn message(&self, ctx: &Context<'_>, hit: &Hit) -> String {
        format!(
            "XPath injection (CWE-643): the expression passed to `{}` is built from {}, so quotes \
             and operators in it can change what the query selects. Bind the value as an XPath \
             variable (`$name` with an `XPathVariableResolver`) or escape it with ESAPI \
             `encodeForXPath`.",
            hit.subject,
            source_phrase(ctx, hit)
        )
    }
}
