//! `python/xpath-injection@v1.0`: untrusted data in XPath expressions.

use crate::analysis::{Arg, Call, CallKind, SinkKind};
use crate::detectors::{Context, Detector, DetectorMeta, Hit, Scope};
use crate::finding::{Category, Severity};
use crate::lang::Language;

use super::taint_sink;

/// Flags untrusted data reaching lxml and ElementTree XPath expressions.
pub struct XpathInjection;

/// The detector's metadata and documentation.
pub static META: DetectorMeta = DetectorMeta {
    id: "python/xpath-injection@v1.0",
    name: "XPath injection",
    language: Language::Python,
    severity: Severity::High,
    cwes: &[643],
    category: Category::Security,
    express: true,
    docs: r#"## What it does
Flags untrusted data (web request parameters, command-line arguments, environment variables,
standard input, network reads) that becomes part of an XPath expression: lxml `xpath(...)`
methods, `lxml.etree.XPath`, `lxml.etree.ETXPath`, and the ElementTree path methods `find`,
`findall`, `findtext` and `iterfind` in files that import `lxml` or `xml.etree` (`find` only on
documents known to come from a parser, since `str.find` shares the name). XPath
variables (`tree.xpath("//user[@name=$name]", name=user)`) keep the expression constant and are
not flagged, nor are values converted to numbers or checked against an allow-list. It does not
follow expressions built in other modules.

## Why is this bad?
Quotes and predicates in the data change the expression: an attacker can select nodes they
should not see or turn a lookup used as a login check into one that always matches (CWE-643).

## Example
```python
from lxml import etree
from flask import request

name = request.args["name"]
users = tree.xpath("//user[@name='" + name + "']")
```

## Use instead
```python
from lxml import etree
from flask import request

name = request.args["name"]
users = tree.xpath("//user[@name=$name]", name=name)
```

## Fix safety
There is no automatic fix: moving values into XPath variables changes the expression and the
call's keyword arguments.

## References
- [CWE-643: XPath Injection](https://cwe.mitre.org/data/definitions/643.html)
- [lxml: XPath variables](https://lxml.de/xpathxslt.html#the-xpath-method)
"#,
};

/// The expression argument of an XPath evaluation.
fn xpath_args<'c>(ctx: &Context<'_>, call: &'c Call) -> Vec<&'c Arg> {
    match call.name.as_str() {
        "lxml.etree.XPath" | "lxml.etree.ETXPath" => return taint_sink::one(call, 0, "path"),
        "lxml.etree.XPathEvaluator" => return Vec::new(),
        _ => {}
    }
    let method = call.method_name();
    if call.kind != CallKind::Method
        || !matches!(
            method,
            "xpath" | "findall" | "findtext" | "iterfind" | "find"
        )
    {
        return Vec::new();
    }
    let xml_file = ctx.facts.imports.imports("lxml") || ctx.facts.imports.imports("xml.etree");
    match method {
        "xpath" if xml_file => taint_sink::one(call, 0, "_path"),
        // `str.find` shares a name: `find` needs a receiver known to be a parsed document.
        "findall" | "findtext" | "iterfind" if xml_file => taint_sink::one(call, 0, "path"),
        "find" if xml_file && is_xml_node(call) => taint_sink::one(call, 0, "path"),
        _ => Vec::new(),
    }
}

/// Whether the receiver is known to be a parsed XML tree or element.
fn is_xml_node(call: &Call) -> bool {
    call.receiver
        .as_ref()
        .and_then(|r| r.type_name.as_deref())
        .is_some_and(|t| t.starts_with("lxml.") || t.starts_with("xml.etree."))
}

impl Detector for XpathInjection {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn scope(&self) -> Scope {
        Scope::Definition
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        taint_sink::hits(ctx, SinkKind::XPath, &[], xpath_args)
    }

    fn message(&self, ctx: &Context<'_>, hit: &Hit) -> String {
        format!(
            "The XPath expression of `{}` is built from {}; quotes or predicates in it change \
             which nodes are selected ({}). Keep the expression constant and pass values as XPath \
             variables (`xpath(\"//user[@name=$name]\", name=value)`).",
            hit.subject,
            taint_sink::source(ctx, hit),
            META.cwe_list()
        )
    }
}
