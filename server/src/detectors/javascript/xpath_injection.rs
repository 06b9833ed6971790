//! `javascript/xpath-injection@v1.0`: untrusted data in XPath expressions.

use crate::analysis::{Call, SinkKind};
use crate::detectors::{Context, Detector, DetectorMeta, Hit};
use crate::finding::{Category, Severity};
use crate::lang::Language;

use super::support::{hit_on, origin_sentence, tainted};

/// The detector.
pub static XPATH_INJECTION: XpathInjection = XpathInjection;

/// Flags tainted XPath expressions given to `xpath`, `document.evaluate` and libxmljs.
pub struct XpathInjection;

static META: DetectorMeta = DetectorMeta {
    id: "javascript/xpath-injection@v1.0",
    name: "XPath injection",
    language: Language::JavaScript,
    severity: Severity::High,
    cwes: &[643],
    category: Category::Security,
    express: true,
    docs: r#"## What it does
Flags untrusted data built into an XPath expression: the first argument of `xpath.select`,
`select1`, `evaluate`, `parse` and `useNamespaces(...)` selectors of the `xpath` package,
`document.evaluate` / `xmlDoc.evaluate` in the browser, and `get`/`find` on documents of
`libxmljs`/`libxmljs2` (documents returned by their parse functions). The catalogue gives no CWE; Codeward uses
CWE-643.

Not flagged: values checked against an allow-list, converted to numbers, encoded with
`encodeURIComponent`, and constants. Variables bound through the `xpath` package's
`evaluate(..., { variables })` API are not part of the expression and are not flagged. It does
not catch XPath built in other modules or other XML libraries.

## Why is this bad?
Quotes and operators in the data change the expression: `' or '1'='1` selects every node, which
bypasses checks made against an XML user store and leaks the document.

## Example
```javascript
const nodes = xpath.select(`//user[name/text()='${req.query.name}']`, doc);
```

## Use instead
```javascript
const name = req.query.name;
if (!/^[\w.-]+$/.test(name)) return res.sendStatus(400);
const nodes = xpath.select(`//user[name/text()='${name}']`, doc);
```

## Fix safety
There is no automatic fix.

## References
- [CWE-643: XPath Injection](https://cwe.mitre.org/data/definitions/643.html)
- [OWASP XPath Injection](https://owasp.org/www-community/attacks/XPATH_Injection)
"#,
};

/// Functions whose first argument is an XPath expression.
const XPATH_FUNCTIONS: &[&str] = &[
    "xpath.select",
    "xpath.select1",
    "xpath.evaluate",
    "xpath.parse",
    "document.evaluate",
    "window.document.evaluate",
];

fn is_xpath_call(call: &Call) -> bool {
    if XPATH_FUNCTIONS.contains(&call.name.as_str()) {
        return true;
    }
    let method = call.method_name();
    // `xpath.useNamespaces({...})(expr, doc)` and XML documents' `evaluate`.
    if call.name.starts_with("xpath.useNamespaces(") {
        return true;
    }
    if method == "evaluate" && call.receiver.is_some() && !call.name.starts_with("xpath.") {
        return call.args.len() >= 2;
    }
    let libxml_document = call.receiver.as_ref().is_some_and(|r| {
        r.type_name.as_deref().is_some_and(|t| {
            t.starts_with("returned:libxmljs.") || t.starts_with("returned:libxmljs2.")
        })
    });
    libxml_document && matches!(method, "get" | "find")
}

fn hit_of(call: &Call) -> Option<Hit> {
    if !is_xpath_call(call) {
        return None;
    }
    let arg = call.positional(0)?;
    Some(hit_on(
        call,
        arg.range.clone(),
        tainted(&arg.value, SinkKind::XPath)?,
    ))
}

impl Detector for XpathInjection {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        ctx.facts.calls.iter().filter_map(hit_of).collect()
    }

    fn message(&self, ctx: &Context<'_>, hit: &Hit) -> String {
        format!(
            "Untrusted data is built into the XPath expression evaluated by `{}` (CWE-643): quotes \
             and operators in it change what the expression selects.{} Validate it against a \
             strict pattern or an allow-list, or pass it as an XPath variable.",
            hit.subject,
            origin_sentence(ctx, hit)
        )
    }
}
