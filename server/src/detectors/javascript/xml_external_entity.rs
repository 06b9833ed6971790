//! `javascript/xml-external-entity@v1.0`: XML parsed with external entities expanded.

use crate::analysis::{Call, Constant};
use crate::detectors::{Context, Detector, DetectorMeta, Hit};
use crate::finding::{Applicability, Category, Edit, Fix, Severity};
use crate::lang::Language;

use super::support::field_range;

/// The detector.
pub static XML_EXTERNAL_ENTITY: XmlExternalEntity = XmlExternalEntity;

/// Flags libxmljs parsing with `noent: true` (or `dtdload`).
pub struct XmlExternalEntity;

static META: DetectorMeta = DetectorMeta {
    id: "javascript/xml-external-entity@v1.0",
    name: "XML external entity",
    language: Language::JavaScript,
    severity: Severity::High,
    cwes: &[611],
    category: Category::Security,
    express: true,
    docs: r#"## What it does
Flags XML parsing that expands external entities: `libxmljs`/`libxmljs2` `parseXml`,
`parseXmlString`, `parseXmlAsync` and `Document.fromXml` (and `parseHtml` equivalents) with
`noent: true` or `dtdload: true` in the options, written in the call or in a variable. The
catalogue gives no CWE; Codeward uses CWE-611.

Parsers that never resolve external entities (`xml2js`, `fast-xml-parser`, `@xmldom/xmldom`,
the browser's `DOMParser`) and libxmljs with its defaults are not flagged. Options that are not
constants are not judged.

## Why is this bad?
A document with `<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>` makes the parser read
local files or fetch URLs and put their content into the document: file disclosure, SSRF, and
denial of service through entity expansion.

## Example
```javascript
const doc = libxmljs.parseXml(req.body, { noent: true });
```

## Use instead
```javascript
const doc = libxmljs.parseXml(req.body, { noent: false, nonet: true });
```

## Fix safety
The fix sets `noent: false` / `dtdload: false`. It is unsafe: documents that rely on entities
defined in a DTD are parsed with the entities left unexpanded.

## References
- [CWE-611: Improper Restriction of XML External Entity Reference](https://cwe.mitre.org/data/definitions/611.html)
- [OWASP XXE Prevention Cheat Sheet](https://cheatsheetseries.owasp.org/cheatsheets/XML_External_Entity_Prevention_Cheat_Sheet.html)
"#,
};

const PARSERS: &[&str] = &[
    "parseXml",
    "parseXmlString",
    "parseXmlAsync",
    "parseHtml",
    "parseHtmlString",
    "Document.fromXml",
    "Document.fromHtml",
];

/// Options that make libxml load external entities or DTDs.
const DANGEROUS: &[&str] = &["noent", "dtdload"];

fn hit_of(ctx: &Context<'_>, call: &Call) -> Option<Hit> {
    let rest = ["libxmljs.", "libxmljs2.", "libxml."]
        .iter()
        .find_map(|p| call.name.strip_prefix(p))?;
    if !PARSERS.contains(&rest) {
        return None;
    }
    let options = call.positional(1)?;
    DANGEROUS.iter().find_map(|key| {
        let value = options.value.field(key)?;
        matches!(
            value.constant,
            Some(Constant::Bool(true)) | Some(Constant::Int(1))
        )
        .then(|| Hit::new(field_range(ctx, options, key), *key).with_anchor(call.range.clone()))
    })
}

impl Detector for XmlExternalEntity {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        ctx.facts
            .calls
            .iter()
            .filter_map(|c| hit_of(ctx, c))
            .collect()
    }

    fn message(&self, _ctx: &Context<'_>, hit: &Hit) -> String {
        format!(
            "The XML parser is told to load external entities (`{}: true`, CWE-611): a document \
             can make it read local files or fetch URLs. Leave `noent` and `dtdload` off.",
            hit.subject
        )
    }

    fn fix(&self, ctx: &Context<'_>, hit: &Hit) -> Vec<Fix> {
        if ctx.text(hit.range.clone()) != "true" {
            return Vec::new();
        }
        vec![Fix::new(
            format!("Set `{}: false`", hit.subject),
            vec![Edit::replace(hit.range.clone(), "false")],
            Applicability::Unsafe,
        )]
    }
}
