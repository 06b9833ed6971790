//! `python/improper-input-validation@v1.0`: untrusted data used as a regular expression, or
//! choosing which attributes and fields of an object it sets.

use std::cell::OnceCell;
use std::hash::{Hash, Hasher};

use tree_sitter::Node;

use crate::analysis::incremental::fingerprinter;
use crate::analysis::{Arg, Call, CallKind, SinkKind, SourceKind};
use crate::detectors::{Context, Detector, DetectorMeta, Hit, Scope};
use crate::finding::{Applicability, Category, Edit, Fix, Severity};
use crate::lang::syntax;
use crate::lang::Language;

use super::taint_sink;

/// Flags web and network data used as `re` patterns, as `setattr` names, or unpacked into model
/// fields.
pub struct ImproperInputValidation;

/// The detector's metadata and documentation.
pub static META: DetectorMeta = DetectorMeta {
    id: "python/improper-input-validation@v1.0",
    name: "Improper input validation",
    language: Language::Python,
    severity: Severity::Medium,
    cwes: &[20],
    category: Category::Security,
    express: true,
    docs: r#"## What it does
Flags web request data and network reads used, without validation, where their shape and not
only their value decides what the program does:
- as a regular expression (the pattern of `re.compile`, `re.search`, `re.match`,
  `re.fullmatch`, `re.findall`, `re.finditer`, `re.sub`, `re.subn`, `re.split`, and the same
  functions of the `regex` package). `re.escape` makes the data a literal and is not flagged;
- as the attribute name of `setattr`, or as the field names of a model: `**data` unpacked into
  Django's `objects.create` / `update` / `get_or_create` / `update_or_create` or into a model
  class of the file (a Django `models.Model` or Flask-SQLAlchemy `db.Model` subclass), and
  `obj.__dict__.update(data)` (mass assignment).

Data checked against an allow-list (`if field in ALLOWED:`) or converted to a number is not
flagged. Command-line arguments, environment variables and standard input are not reported: a
tool that greps with its user's pattern works as intended. `yaml.load` without a safe loader,
which the public detector of this name also covers, is reported by `untrusted-deserialization`.
It does not recognise validation done by schema libraries (marshmallow, pydantic, DRF
serializers) before the data reaches the call, filters written as dict comprehensions, or
models defined in other files or inside functions.

## Why is this bad?
A pattern from the client can be written to backtrack for minutes on a short input (ReDoS), or
to match what the check was meant to reject; attribute names from the client set fields the
form never offered, such as `is_admin` or `owner_id` (CWE-20).

## Example
```python
import re
from flask import request

matches = [line for line in lines if re.search(request.args["q"], line)]
```

## Use instead
```python
import re
from flask import request

pattern = re.escape(request.args["q"])
matches = [line for line in lines if re.search(pattern, line)]
```
For models, copy the fields you accept by name, or validate the data with a form or serializer
first.

## Fix safety
For regular expressions the fix wraps the pattern in `re.escape(...)`. It is unsafe: the
application may mean to accept patterns (then limit their length and run them with a timeout,
e.g. with the `regex` package). There is no fix for mass assignment.

## References
- [CWE-20: Improper Input Validation](https://cwe.mitre.org/data/definitions/20.html)
- [CWE-1333: Inefficient Regular Expression Complexity](https://cwe.mitre.org/data/definitions/1333.html)
- [CWE-915: Improperly Controlled Modification of Dynamically-Determined Object Attributes](https://cwe.mitre.org/data/definitions/915.html)
- [OWASP: Mass assignment](https://cheatsheetseries.owasp.org/cheatsheets/Mass_Assignment_Cheat_Sheet.html)
"#,
};

/// Sources not reported: whoever supplies them runs the program.
const IGNORED: [SourceKind; 3] = [
    SourceKind::CommandLine,
    SourceKind::Environment,
    SourceKind::Stdin,
];

const REGEX_FUNCTIONS: [&str; 9] = [
    "compile",
    "search",
    "match",
    "fullmatch",
    "findall",
    "finditer",
    "sub",
    "subn",
    "split",
];

const ORM_METHODS: [&str; 4] = ["create", "update", "get_or_create", "update_or_create"];

/// The pattern argument of a regular-expression call.
fn pattern_arg(call: &Call) -> Option<&Arg> {
    let (module, function) = crate::analysis::split_last_dot(&call.name)?;
    (call.kind == CallKind::Function
        && matches!(module, "re" | "regex")
        && REGEX_FUNCTIONS.contains(&function))
    .then(|| call.arg(0, "pattern"))
    .flatten()
}

/// The names of the file's database model classes: classes outside functions whose base is
/// Django's `models.Model` or Flask-SQLAlchemy's `db.Model`, in document order.
fn model_classes(ctx: &Context<'_>) -> Vec<String> {
    let mut names = Vec::new();
    // Both bases end in `Model`: most files settle it without the tree (memmem's vectorised
    // search: this runs on every keystroke over the whole text).
    if memchr::memmem::find(ctx.source.as_bytes(), b"Model").is_none() {
        return names;
    }
    syntax::walk(ctx.tree, |node, _| match node.kind() {
        "class_definition" => {
            if is_model_class(ctx, node) {
                if let Some(name) = node.child_by_field_name("name") {
                    names.push(ctx.node_text(name).to_string());
                }
            }
            true
        }
        "module"
        | "block"
        | "decorated_definition"
        | "if_statement"
        | "elif_clause"
        | "else_clause"
        | "try_statement"
        | "except_clause"
        | "finally_clause"
        | "with_statement" => true,
        _ => false,
    });
    names
}

/// Whether a class definition derives from a database model base.
fn is_model_class(ctx: &Context<'_>, class: Node<'_>) -> bool {
    class
        .child_by_field_name("superclasses")
        .is_some_and(|bases| {
            let mut cursor = bases.walk();
            let found = bases.named_children(&mut cursor).any(|base| {
                let written: String = ctx.node_text(base).split_whitespace().collect();
                let qualified = ctx.facts.imports.qualify(&written);
                qualified == "django.db.models.Model"
                    || (written.ends_with(".Model") && written.split('.').next() == Some("db"))
            });
            found
        })
}

/// The arguments that choose attribute or field names.
/// `models`: the file's model classes, computed when first needed.
fn attribute_args<'c>(
    ctx: &Context<'_>,
    models: &OnceCell<Vec<String>>,
    call: &'c Call,
) -> Vec<&'c Arg> {
    if call.name == "setattr" && call.kind == CallKind::Function {
        return taint_sink::one(call, 1, "name");
    }
    let method = call.method_name();
    let orm = call.kind == CallKind::Method
        && ORM_METHODS.contains(&method)
        && call.name.contains(".objects.");
    // Only calls spreading a mapping (`Model(**data)`) can set chosen fields; checking that first
    // keeps the class lookup off the common path.
    let spreads = call.args.iter().any(|a| a.unpacked && a.keyword.is_none());
    let model = spreads && call.kind != CallKind::Method && !call.name.contains(".objects.") && {
        let local = crate::analysis::last_segment(&call.name);
        models
            .get_or_init(|| model_classes(ctx))
            .iter()
            .any(|m| m == local)
    };
    if orm || model {
        return call
            .args
            .iter()
            .filter(|a| a.unpacked && a.keyword.is_none())
            .filter(|a| ctx.text(a.range.clone()).starts_with("**"))
            .collect();
    }
    if method == "update" && call.name.ends_with(".__dict__.update") {
        return taint_sink::one(call, 0, "other");
    }
    Vec::new()
}

impl Detector for ImproperInputValidation {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn scope(&self) -> Scope {
        // A hit depends on its call and on which classes of the file are models: the file key.
        Scope::Definition
    }

    fn file_key(&self, ctx: &Context<'_>) -> u64 {
        let mut hasher = fingerprinter();
        model_classes(ctx).hash(&mut hasher);
        hasher.finish()
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        let mut hits = taint_sink::hits(ctx, SinkKind::Regex, &IGNORED, |_, call| {
            pattern_arg(call).into_iter().collect()
        });
        for hit in &mut hits {
            hit.subject = format!("regex|{}", hit.subject);
        }
        let models = OnceCell::new();
        let mut attributes = taint_sink::hits(ctx, SinkKind::Attribute, &IGNORED, |ctx, call| {
            attribute_args(ctx, &models, call)
        });
        for hit in &mut attributes {
            hit.subject = format!("attribute|{}", hit.subject);
        }
        hits.extend(attributes);
        hits
    }

    fn message(&self, ctx: &Context<'_>, hit: &Hit) -> String {
        let (kind, call) = hit.subject.split_once('|').unwrap_or(("", &hit.subject));
        let source = taint_sink::source(ctx, hit);
        if kind == "regex" {
            format!(
                "`{call}` uses {source} as a regular expression; a crafted pattern backtracks for \
                 minutes (ReDoS) or matches what the check should reject ({}). Escape it with \
                 `re.escape`, or validate it and bound its length.",
                META.cwe_list()
            )
        } else {
            format!(
                "`{call}` lets {source} choose which attributes or fields it sets, so the sender \
                 can set fields the form never offered (`is_admin`, `owner_id`) ({}). Copy the \
                 accepted fields by name, or validate the data against an allow-list first.",
                META.cwe_list()
            )
        }
    }

    fn fix(&self, ctx: &Context<'_>, hit: &Hit) -> Vec<Fix> {
        if !hit.subject.starts_with("regex|") {
            return Vec::new();
        }
        let Some(re) = ctx
            .facts
            .imports
            .iter()
            .filter(|(_, q)| *q == "re")
            .map(|(local, _)| local)
            .min()
        else {
            return Vec::new();
        };
        vec![Fix::new(
            "Match the text literally (re.escape)",
            vec![
                Edit::insert(hit.range.start, format!("{re}.escape(")),
                Edit::insert(hit.range.end, ")"),
            ],
            Applicability::Unsafe,
        )]
    }
}
