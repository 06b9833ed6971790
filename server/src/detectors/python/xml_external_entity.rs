//! `python/xml-external-entity@v1.0`: XML parsers that resolve entities, or parse untrusted
//! documents with the standard library.

use crate::analysis::{Call, Constant, SinkKind, SourceKind};
use crate::detectors::{Context, Detector, DetectorMeta, Hit, Scope};
use crate::finding::{Applicability, Category, Edit, Fix, Severity};
use crate::lang::Language;

use super::{common, taint_sink};

/// Flags untrusted XML parsed by the standard library, lxml parsers configured to resolve
/// external entities, and SAX parsers with external entities switched on.
pub struct XmlExternalEntity;

/// The detector's metadata and documentation.
pub static META: DetectorMeta = DetectorMeta {
    id: "python/xml-external-entity@v1.0",
    name: "XML External Entity",
    language: Language::Python,
    severity: Severity::High,
    cwes: &[611],
    category: Category::Security,
    express: true,
    docs: r#"## What it does
Flags three things. First, untrusted documents (web request bodies, network reads, files at
user-chosen paths) parsed with the standard library's XML modules — `xml.etree.ElementTree`
(`parse`, `fromstring`, `XML`, `iterparse`), `xml.dom.minidom`, `xml.dom.pulldom` and
`xml.sax` (`parse`, `parseString`) — or with lxml's default parser. Second, lxml parsers
created to resolve external entities or fetch from the network
(`lxml.etree.XMLParser(resolve_entities=True)`, `no_network=False`). Third, SAX parsers with
`feature_external_ges` or `feature_external_pes` switched on. The `defusedxml` equivalents,
constant documents, and files the application chooses itself are not flagged. It does not track
parsers configured in one function and used in another, and command-line arguments and
environment variables are not treated as untrusted here.

## Why is this bad?
Entity declarations in the document can make the parser read local files or internal URLs into
the result (XXE), and nested entity expansion (“billion laughs”) exhausts memory and CPU — the
standard library's parsers defend against neither completely (CWE-611).

## Example
```python
import xml.etree.ElementTree as ET
from flask import request

order = ET.fromstring(request.data)
```

## Use instead
```python
import defusedxml.ElementTree
from flask import request

order = defusedxml.ElementTree.fromstring(request.data)
```

## Fix safety
For the standard library parse functions the fix calls the `defusedxml` function of the same
name (`defusedxml.ElementTree`, `defusedxml.minidom`, `defusedxml.pulldom`, `defusedxml.sax`)
and adds its import. It is unsafe: `defusedxml` is a new dependency, and documents that declare
entities or DTDs are now rejected with an exception. For lxml, pass
`XMLParser(resolve_entities=False, no_network=True)`; there is no automatic fix.

## References
- [CWE-611: XML External Entity Reference](https://cwe.mitre.org/data/definitions/611.html)
- [Python XML vulnerabilities](https://docs.python.org/3/library/xml.html#xml-vulnerabilities)
- [defusedxml](https://pypi.org/project/defusedxml/)
"#,
};

/// Sources not reported: the local user choosing their own documents.
const IGNORED: [SourceKind; 3] = [
    SourceKind::CommandLine,
    SourceKind::Environment,
    SourceKind::Stdin,
];

/// The defusedxml module replacing a standard-library parser module, and the argument holding
/// the document.
fn stdlib_parser(call: &Call) -> Option<&'static str> {
    let (module, function) = crate::analysis::split_last_dot(&call.name)?;
    let defused = match module {
        "xml.etree.ElementTree" | "xml.etree.cElementTree" => "defusedxml.ElementTree",
        "xml.dom.minidom" => "defusedxml.minidom",
        "xml.dom.pulldom" => "defusedxml.pulldom",
        "xml.sax" => "defusedxml.sax",
        "lxml.etree" => "lxml",
        _ => return None,
    };
    let parses = match defused {
        "defusedxml.ElementTree" => {
            matches!(function, "parse" | "fromstring" | "XML" | "iterparse")
        }
        "lxml" => {
            matches!(function, "parse" | "fromstring" | "XML" | "iterparse")
                && call.arg(1, "parser").is_none()
        }
        _ => matches!(function, "parse" | "parseString"),
    };
    parses.then_some(defused)
}

/// Whether an `lxml.etree.XMLParser(...)` call turns on entity resolution or network access.
fn resolving_lxml_parser(call: &Call) -> bool {
    if call.name != "lxml.etree.XMLParser" {
        return false;
    }
    let is = |name: &str, expected: bool| {
        call.keyword(name).and_then(|a| a.value.constant.as_ref())
            == Some(&Constant::Bool(expected))
    };
    is("resolve_entities", true) || is("no_network", false)
}

/// Whether a `parser.setFeature(feature_external_*, True)` call turns on external entities.
fn sax_external_entities(ctx: &Context<'_>, call: &Call) -> bool {
    if call.method_name() != "setFeature" {
        return false;
    }
    let Some(feature) = call.arg(0, "name") else {
        return false;
    };
    let named = common::qualified_at(ctx, feature.range.clone()).is_some_and(|q| {
        q.ends_with("feature_external_ges") || q.ends_with("feature_external_pes")
    });
    let constant = feature.value.const_str().is_some_and(|s| {
        s.ends_with("/external-general-entities") || s.ends_with("/external-parameter-entities")
    });
    (named || constant)
        && call
            .arg(1, "state")
            .is_some_and(|s| s.value.constant.as_ref().is_some_and(Constant::is_truthy))
}

impl Detector for XmlExternalEntity {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn scope(&self) -> Scope {
        Scope::Definition
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        // Only numeric conversion makes a document harmless: no sink-specific sanitiser applies.
        let mut hits = taint_sink::hits(ctx, SinkKind::Deserialization, &IGNORED, |_, call| {
            if stdlib_parser(call).is_some() {
                call.positional(0).into_iter().collect()
            } else {
                Vec::new()
            }
        });
        for call in &ctx.facts.calls {
            if resolving_lxml_parser(call) || sax_external_entities(ctx, call) {
                hits.push(
                    Hit::new(call.range.clone(), call.name.clone()).with_anchor(call.range.clone()),
                );
            }
        }
        hits
    }

    fn message(&self, ctx: &Context<'_>, hit: &Hit) -> String {
        match &hit.origin {
            Some(_) => format!(
                "`{}` parses {} with a parser that expands entities, so a crafted document can \
                 read local files, reach internal URLs or exhaust memory ({}). Parse it with \
                 `defusedxml`.",
                hit.subject,
                taint_sink::source(ctx, hit),
                META.cwe_list()
            ),
            None => format!(
                "`{}` turns on external entity resolution, so documents can make the parser read \
                 local files or fetch internal URLs ({}). Keep external entities off \
                 (`resolve_entities=False`, `no_network=True`).",
                hit.subject,
                META.cwe_list()
            ),
        }
    }

    fn fix(&self, ctx: &Context<'_>, hit: &Hit) -> Vec<Fix> {
        if hit.origin.is_none() {
            return Vec::new();
        }
        let Some(call) = ctx.facts.call_at(&hit.anchor) else {
            return Vec::new();
        };
        let Some(module) = stdlib_parser(call).filter(|m| *m != "lxml") else {
            return Vec::new();
        };
        let function = call.method_name();
        let mut edits = vec![Edit::replace(
            call.callee_range.clone(),
            format!("{module}.{function}"),
        )];
        let top_level = ctx.top_level_statements();
        let imported = top_level.iter().any(|n| {
            n.kind() == "import_statement"
                && common::descendants(*n)
                    .iter()
                    .any(|d| d.kind() == "dotted_name" && ctx.node_text(*d) == module)
        });
        if !imported {
            let Some(first_import) = top_level
                .iter()
                .find(|n| matches!(n.kind(), "import_statement" | "import_from_statement"))
            else {
                return Vec::new();
            };
            edits.push(Edit::insert(
                first_import.start_byte(),
                format!("import {module}\n"),
            ));
        }
        vec![Fix::new(
            format!("Parse with {module}.{function}"),
            edits,
            Applicability::Unsafe,
        )]
    }
}
