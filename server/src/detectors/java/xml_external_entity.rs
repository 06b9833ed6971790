//! `java/xml-external-entity`: XML parsers created without disabling DTDs or external entities.

use std::ops::Range;

use tree_sitter::Node;

use super::common::{calls_within, enclosing_body, enclosing_class_body, receiver_text};
use crate::analysis::{Call, CallKind, Constant};
use crate::detectors::{Context, Detector, DetectorMeta, Hit};
use crate::finding::{Applicability, Category, Edit, Fix, Severity};
use crate::lang::Language;

/// Flags XML parser factories used without the settings that block external entities.
pub struct XmlExternalEntity;

/// The detector instance.
pub static XML_EXTERNAL_ENTITY: XmlExternalEntity = XmlExternalEntity;

static META: DetectorMeta = DetectorMeta {
    id: "java/xml-external-entity@v1.0",
    name: "XML External Entity",
    language: Language::Java,
    severity: Severity::High,
    cwes: &[611],
    category: Category::Security,
    express: true,
    docs: r#"## What it does
Flags the creation of an XML parser or factory — `DocumentBuilderFactory`, `SAXParserFactory`,
`XMLInputFactory`, `TransformerFactory`, `SchemaFactory`, `XMLReaderFactory.createXMLReader()`,
dom4j's `SAXReader` and JDOM's `SAXBuilder` — when the method (or, for a field, the class) that
creates it never applies a setting that really blocks external entities:
- `setFeature("http://apache.org/xml/features/disallow-doctype-decl", true)`, or both
  `external-general-entities` and `external-parameter-entities` set to `false` (DOM, SAX, dom4j,
  JDOM);
- `setAttribute` / `setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "")` (any JAXP factory);
- `setProperty(XMLInputFactory.SUPPORT_DTD, false)` or `IS_SUPPORTING_EXTERNAL_ENTITIES` `false`
  (StAX);
- an `EntityResolver` installed with `setEntityResolver`.
`FEATURE_SECURE_PROCESSING` and `setExpandEntityReferences(false)` alone are not enough and do not
count. The catalogue publishes no severity; Codeward uses High with CWE-611.

## Why is this bad?
The JDK's parsers resolve external entities by default. A document with
`<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>` makes the parser read local files or fetch
internal URLs (server-side request forgery), and nested entities exhaust memory (billion laughs).

## Example
```java
DocumentBuilderFactory dbf = DocumentBuilderFactory.newInstance();
Document doc = dbf.newDocumentBuilder().parse(input);
```

## Use instead
```java
DocumentBuilderFactory dbf = DocumentBuilderFactory.newInstance();
dbf.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
Document doc = dbf.newDocumentBuilder().parse(input);
```

## Fix safety
The fix inserts the disabling call right after the factory is assigned to a local variable (DOCTYPE
declarations for DOM, SAX, dom4j and JDOM parsers; `SUPPORT_DTD` for StAX; `ACCESS_EXTERNAL_DTD` for
transformers and schema factories). Documents that carry a DOCTYPE are rejected afterwards, which is
intended. `setFeature` and `setProperty` of the DOM, SAX and schema APIs throw checked exceptions
(`ParserConfigurationException`, `SAXException`): when the enclosing method neither declares nor
catches them the fix does not compile as is and is marked unsafe; otherwise it is safe.

## References
- [CWE-611: Improper Restriction of XML External Entity Reference](https://cwe.mitre.org/data/definitions/611.html)
- [OWASP XXE Prevention Cheat Sheet](https://cheatsheetseries.owasp.org/cheatsheets/XML_External_Entity_Prevention_Cheat_Sheet.html)
"#,
};

const DISALLOW_DOCTYPE: &str = "http://apache.org/xml/features/disallow-doctype-decl";
const EXTERNAL_GENERAL: &str = "http://xml.org/sax/features/external-general-entities";
const EXTERNAL_PARAMETER: &str = "http://xml.org/sax/features/external-parameter-entities";
const ACCESS_EXTERNAL_DTD: &str = "http://javax.xml.XMLConstants/property/accessExternalDTD";
const SUPPORT_DTD: &str = "javax.xml.stream.supportDTD";
const SUPPORTING_EXTERNAL: &str = "javax.xml.stream.isSupportingExternalEntities";

/// Parser families: how they are protected and how the fix protects them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Family {
    /// DOM, SAX, dom4j and JDOM parsers: Xerces features.
    Features,
    /// StAX `XMLInputFactory`.
    Stax,
    /// `TransformerFactory` and `SchemaFactory`: JAXP 1.5 access properties.
    Access,
}

/// Creations of parsers and factories: (qualified name, family, API for messages, checked
/// exceptions thrown by the fix's call).
/// A creation entry: qualified name, family, API name, checked exceptions of the fix's call.
type Creation = (&'static str, Family, &'static str, &'static [&'static str]);

const CREATIONS: &[Creation] = &[
    (
        "javax.xml.parsers.DocumentBuilderFactory.newInstance",
        Family::Features,
        "DocumentBuilderFactory",
        &["ParserConfigurationException"],
    ),
    (
        "javax.xml.parsers.DocumentBuilderFactory.newDefaultInstance",
        Family::Features,
        "DocumentBuilderFactory",
        &["ParserConfigurationException"],
    ),
    (
        "javax.xml.parsers.DocumentBuilderFactory.newNSInstance",
        Family::Features,
        "DocumentBuilderFactory",
        &["ParserConfigurationException"],
    ),
    (
        "javax.xml.parsers.DocumentBuilderFactory.newDefaultNSInstance",
        Family::Features,
        "DocumentBuilderFactory",
        &["ParserConfigurationException"],
    ),
    (
        "javax.xml.parsers.SAXParserFactory.newInstance",
        Family::Features,
        "SAXParserFactory",
        &["ParserConfigurationException", "SAXException"],
    ),
    (
        "javax.xml.parsers.SAXParserFactory.newDefaultInstance",
        Family::Features,
        "SAXParserFactory",
        &["ParserConfigurationException", "SAXException"],
    ),
    (
        "javax.xml.parsers.SAXParserFactory.newNSInstance",
        Family::Features,
        "SAXParserFactory",
        &["ParserConfigurationException", "SAXException"],
    ),
    (
        "org.xml.sax.helpers.XMLReaderFactory.createXMLReader",
        Family::Features,
        "XMLReader",
        &["SAXException"],
    ),
    (
        "org.dom4j.io.SAXReader",
        Family::Features,
        "SAXReader",
        &["SAXException"],
    ),
    (
        "org.jdom2.input.SAXBuilder",
        Family::Features,
        "SAXBuilder",
        &[],
    ),
    (
        "javax.xml.stream.XMLInputFactory.newInstance",
        Family::Stax,
        "XMLInputFactory",
        &[],
    ),
    (
        "javax.xml.stream.XMLInputFactory.newFactory",
        Family::Stax,
        "XMLInputFactory",
        &[],
    ),
    (
        "javax.xml.stream.XMLInputFactory.newDefaultFactory",
        Family::Stax,
        "XMLInputFactory",
        &[],
    ),
    (
        "javax.xml.transform.TransformerFactory.newInstance",
        Family::Access,
        "TransformerFactory",
        &[],
    ),
    (
        "javax.xml.transform.TransformerFactory.newDefaultInstance",
        Family::Access,
        "TransformerFactory",
        &[],
    ),
    (
        "javax.xml.validation.SchemaFactory.newInstance",
        Family::Access,
        "SchemaFactory",
        &["SAXException"],
    ),
    (
        "javax.xml.validation.SchemaFactory.newDefaultInstance",
        Family::Access,
        "SchemaFactory",
        &["SAXException"],
    ),
];

/// Where a created parser goes.
struct Binding {
    /// The variable or field it is stored in (`None`: returned, passed on, or chained).
    var: Option<String>,
    /// The code in which protective calls count.
    scope: Range<usize>,
    /// The declaration statement after which the fix inserts its call (locals only).
    statement: Option<Range<usize>>,
}

/// The parser family and details when a call creates a parser or factory.
fn creation(call: &Call) -> Option<&'static Creation> {
    CREATIONS.iter().find(|(name, ..)| {
        let constructor = name
            .rsplit('.')
            .next()
            .and_then(|last| last.chars().next())
            .is_some_and(char::is_uppercase);
        *name == call.name && (call.kind == CallKind::Constructor) == constructor
    })
}

/// The boolean an argument stands for (`true`, `Boolean.FALSE`).
fn bool_arg(ctx: &Context<'_>, call: &Call, n: usize) -> Option<bool> {
    let arg = call.positional(n)?;
    if let Some(Constant::Bool(b)) = arg.value.constant {
        return Some(b);
    }
    match ctx.text(arg.range.clone()).trim() {
        "Boolean.TRUE" | "java.lang.Boolean.TRUE" => Some(true),
        "Boolean.FALSE" | "java.lang.Boolean.FALSE" => Some(false),
        _ => None,
    }
}

/// What a configuration call contributes: fully protective, or one of the two entity features.
#[derive(Default)]
struct Protection {
    full: bool,
    general_off: bool,
    parameter_off: bool,
}

fn note_protection(ctx: &Context<'_>, call: &Call, family: Family, seen: &mut Protection) {
    let method = call.method_name();
    let key = call.positional(0).and_then(|a| a.value.const_str());
    let string_value = call.positional(1).and_then(|a| a.value.const_str());
    let full = match (method, key) {
        ("setEntityResolver" | "setXMLResolver", _) => true,
        ("setAttribute" | "setProperty", Some(ACCESS_EXTERNAL_DTD)) => {
            string_value.is_some_and(|v| v.trim().is_empty())
        }
        ("setFeature", Some(DISALLOW_DOCTYPE)) => {
            family == Family::Features && bool_arg(ctx, call, 1) == Some(true)
        }
        ("setProperty", Some(SUPPORT_DTD | SUPPORTING_EXTERNAL)) => {
            family == Family::Stax && bool_arg(ctx, call, 1) == Some(false)
        }
        ("setFeature", Some(EXTERNAL_GENERAL)) => {
            seen.general_off |= bool_arg(ctx, call, 1) == Some(false);
            false
        }
        ("setFeature", Some(EXTERNAL_PARAMETER)) => {
            seen.parameter_off |= bool_arg(ctx, call, 1) == Some(false);
            false
        }
        _ => false,
    };
    seen.full |= full;
}

/// Finds where the parser created by `node` is stored.
fn binding<'t>(ctx: &Context<'t>, node: Node<'t>) -> Binding {
    let whole_file = 0..ctx.source.len();
    let method_scope = enclosing_body(node).map_or(whole_file.clone(), |b| b.byte_range());
    let mut parent = node.parent();
    while let Some(p) =
        parent.filter(|p| matches!(p.kind(), "parenthesized_expression" | "cast_expression"))
    {
        parent = p.parent();
    }
    let Some(parent) = parent else {
        return Binding {
            var: None,
            scope: whole_file,
            statement: None,
        };
    };
    match parent.kind() {
        "variable_declarator" => {
            let var = parent
                .child_by_field_name("name")
                .map(|n| ctx.node_text(n).to_string());
            let declaration = parent.parent();
            if declaration.is_some_and(|d| d.kind() == "field_declaration") {
                let scope = enclosing_class_body(parent).map_or(whole_file, |b| b.byte_range());
                return Binding {
                    var,
                    scope,
                    statement: None,
                };
            }
            Binding {
                var,
                scope: method_scope,
                statement: declaration
                    .filter(|d| d.kind() == "local_variable_declaration")
                    .map(|d| d.byte_range()),
            }
        }
        "assignment_expression" => {
            let left = parent
                .child_by_field_name("left")
                .map_or("", |l| ctx.node_text(l));
            let var = left.strip_prefix("this.").unwrap_or(left).to_string();
            // A field assigned here may be configured elsewhere in the class.
            let is_local =
                enclosing_body(parent).is_some_and(|body| declares_local(ctx, body, &var));
            let scope = if is_local {
                method_scope
            } else {
                enclosing_class_body(parent).map_or(whole_file, |b| b.byte_range())
            };
            Binding {
                var: Some(var),
                scope,
                statement: None,
            }
        }
        _ => Binding {
            var: None,
            scope: method_scope,
            statement: None,
        },
    }
}

/// The ranges of the file's method declarations named `name`.
fn method_bodies(ctx: &Context<'_>, name: &str) -> Vec<Range<usize>> {
    let mut bodies = Vec::new();
    crate::lang::syntax::walk(ctx.tree, |n, _| {
        if n.kind() == "method_declaration"
            && n.child_by_field_name("name")
                .is_some_and(|x| ctx.node_text(x) == name)
        {
            bodies.push(n.byte_range());
        }
        true
    });
    bodies
}

/// Whether a method body declares a local (or parameter) named `name`.
fn declares_local<'t>(ctx: &Context<'t>, body: Node<'t>, name: &str) -> bool {
    let mut found = false;
    let range = body.byte_range();
    crate::lang::syntax::walk(ctx.tree, |n, _| {
        if found || n.end_byte() < range.start || n.start_byte() > range.end {
            return false;
        }
        if matches!(n.kind(), "variable_declarator" | "formal_parameter")
            && n.child_by_field_name("name")
                .is_some_and(|x| ctx.node_text(x) == name)
        {
            found = true;
        }
        true
    });
    found
}

impl Detector for XmlExternalEntity {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        let mut hits = Vec::new();
        for call in &ctx.facts.calls {
            let Some((_, family, api, _)) = creation(call) else {
                continue;
            };
            let Some(node) = ctx.node_at(call.range.clone()) else {
                continue;
            };
            let bound = binding(ctx, node);
            let mut seen = Protection::default();
            for other in calls_within(ctx, bound.scope.clone()) {
                let receiver =
                    receiver_text(ctx, other).map(|r| r.strip_prefix("this.").unwrap_or(r));
                // Settings on this parser, or on a parser or reader derived from one.
                let counts = match (&bound.var, receiver) {
                    (Some(var), Some(r)) => {
                        r == var
                            || other.receiver.as_ref().is_some_and(|v| {
                                v.type_name.as_deref().is_some_and(|t| {
                                    matches!(
                                        t,
                                        "javax.xml.parsers.SAXParser"
                                            | "org.xml.sax.XMLReader"
                                            | "javax.xml.parsers.DocumentBuilder"
                                            | "javax.xml.validation.Validator"
                                    )
                                })
                            })
                    }
                    (None, _) => other.range.start >= call.range.start,
                    _ => false,
                };
                if counts {
                    note_protection(ctx, other, *family, &mut seen);
                }
                // Handed to a helper of this file that configures it (`harden(dbf)`).
                let passed = bound.var.as_deref().is_some_and(|var| {
                    other
                        .args
                        .iter()
                        .any(|a| ctx.text(a.range.clone()).trim() == var)
                });
                if passed && !other.name.contains('.') {
                    for body in method_bodies(ctx, &other.name) {
                        for inner in calls_within(ctx, body) {
                            note_protection(ctx, inner, *family, &mut seen);
                        }
                    }
                }
            }
            if seen.full || (seen.general_off && seen.parameter_off) {
                continue;
            }
            hits.push(Hit::new(call.range.clone(), *api));
        }
        hits
    }

    fn message(&self, _ctx: &Context<'_>, hit: &Hit) -> String {
        let setting = match hit.subject.as_str() {
            "XMLInputFactory" => "`setProperty(XMLInputFactory.SUPPORT_DTD, false)`",
            "TransformerFactory" | "SchemaFactory" => {
                "`setAttribute`/`setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, \"\")`"
            }
            _ => "`setFeature(\"http://apache.org/xml/features/disallow-doctype-decl\", true)`",
        };
        format!(
            "XML external entity (CWE-611): this `{}` resolves external entities and DTDs by \
             default, so a crafted document can read local files, reach internal URLs or exhaust \
             memory. Disable DTDs with {setting} before parsing.",
            hit.subject
        )
    }

    fn fix(&self, ctx: &Context<'_>, hit: &Hit) -> Vec<Fix> {
        let Some(call) = ctx.facts.call_at(&hit.anchor) else {
            return Vec::new();
        };
        let Some((_, family, _, exceptions)) = creation(call) else {
            return Vec::new();
        };
        let Some(node) = ctx.node_at(call.range.clone()) else {
            return Vec::new();
        };
        let bound = binding(ctx, node);
        let (Some(var), Some(statement)) = (bound.var, bound.statement) else {
            return Vec::new();
        };
        let imported = |simple: &str, qualified: &str| {
            if ctx.facts.imports.resolve(simple) == Some(qualified) {
                simple.to_string()
            } else {
                qualified.to_string()
            }
        };
        let setting = match family {
            Family::Features => format!("setFeature(\"{DISALLOW_DOCTYPE}\", true)"),
            Family::Stax => format!(
                "setProperty({}.SUPPORT_DTD, false)",
                imported("XMLInputFactory", "javax.xml.stream.XMLInputFactory")
            ),
            Family::Access => {
                let method = if hit.subject == "TransformerFactory" {
                    "setAttribute"
                } else {
                    "setProperty"
                };
                format!(
                    "{method}({}.ACCESS_EXTERNAL_DTD, \"\")",
                    imported("XMLConstants", "javax.xml.XMLConstants")
                )
            }
        };
        let indent = ctx.indentation_at(statement.start);
        // After a trailing line comment rather than before it.
        let rest = ctx.source.get(statement.end..).unwrap_or("");
        let line_end = rest.find(['\n', '\r']).unwrap_or(rest.len());
        let tail = rest.get(..line_end).unwrap_or("").trim();
        let at = if tail.is_empty() || tail.starts_with("//") {
            statement.end + line_end
        } else {
            statement.end
        };
        let handled = exceptions.iter().all(|e| exception_handled(ctx, node, e));
        let applicability = if handled {
            Applicability::Safe
        } else {
            Applicability::Unsafe
        };
        vec![Fix::new(
            format!("Disable DTDs on `{var}`"),
            vec![Edit::insert(at, format!("\n{indent}{var}.{setting};"))],
            applicability,
        )]
    }
}

/// Whether checked exception `simple` (or a supertype: `Exception`, `Throwable`, `SAXException`
/// for its subclasses) is declared by the enclosing method or caught around `node`.
fn exception_handled<'t>(ctx: &Context<'t>, node: Node<'t>, simple: &str) -> bool {
    let covers = |written: &str| {
        written.split(['|', ',']).map(str::trim).any(|t| {
            let t = t.rsplit('.').next().unwrap_or(t);
            t == simple || t == "Exception" || t == "Throwable"
        })
    };
    let mut current = node.parent();
    while let Some(n) = current {
        match n.kind() {
            "try_statement" | "try_with_resources_statement" => {
                let mut cursor = n.walk();
                let caught = n
                    .named_children(&mut cursor)
                    .filter(|c| c.kind() == "catch_clause")
                    .any(|c| {
                        let mut inner = c.walk();
                        let found = c
                            .named_children(&mut inner)
                            .find(|p| p.kind() == "catch_formal_parameter")
                            .is_some_and(|p| {
                                covers(
                                    ctx.node_text(p)
                                        .split_whitespace()
                                        .filter(|w| *w != "final")
                                        .collect::<Vec<_>>()
                                        .join(" ")
                                        .rsplit_once(' ')
                                        .map_or("", |(types, _)| types),
                                )
                            });
                        found
                    });
                let in_body = n
                    .child_by_field_name("body")
                    .is_some_and(|b| b.byte_range().contains(&node.start_byte()));
                if caught && in_body {
                    return true;
                }
            }
            "method_declaration" | "constructor_declaration" => {
                let mut cursor = n.walk();
                let declared = n
                    .children(&mut cursor)
                    .find(|c| c.kind() == "throws")
                    .is_some_and(|t| covers(ctx.node_text(t).trim_start_matches("throws")));
                return declared;
            }
            "lambda_expression" => return false,
            _ => {}
        }
        current = n.parent();
    }
    false
}
