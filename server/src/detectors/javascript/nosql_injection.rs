//! `javascript/nosql-injection@v1.0`: request data used as (part of) a MongoDB query object.

use crate::analysis::{Arg, Call, Origin, SinkKind, SourceKind, Value};
use crate::detectors::{Context, Detector, DetectorMeta, Hit};
use crate::finding::{Applicability, Category, Edit, Fix, Severity};
use crate::lang::Language;

use super::support::{hit_on, is_browser_origin, object_member, origin_sentence, tainted_where};

/// The detector.
pub static NOSQL_INJECTION: NosqlInjection = NosqlInjection;

/// Flags MongoDB filters built from request values that may be objects, and `$where` code.
pub struct NosqlInjection;

static META: DetectorMeta = DetectorMeta {
    id: "javascript/nosql-injection@v1.0",
    name: "NoSQL injection",
    language: Language::JavaScript,
    severity: Severity::High,
    cwes: &[943],
    category: Category::Security,
    express: true,
    docs: r#"## What it does
Flags MongoDB (driver or Mongoose) queries — `find`, `findOne`, `findOneAndUpdate`,
`updateOne`/`updateMany`, `deleteOne`/`deleteMany`, `replaceOne`, `countDocuments`, `where`, ... —
whose filter is request data that can be an object: `req.body` and `req.query` (JSON bodies and
the `qs` query parser turn `?user[$ne]=x` into `{ $ne: 'x' }`), passed whole
(`User.find(req.body)`) or as the value of a filter field (`{ user: req.body.user }`), and any
untrusted data in a `$where` JavaScript condition. The catalogue gives no CWE; Codeward uses
CWE-943 (improper neutralisation of special elements in data query logic).

Values that are certainly strings or numbers are not flagged: template literals, concatenations,
`String(x)`, string methods, `parseInt`/`Number`, `JSON.stringify`, and values cleaned with
`mongo-sanitize`. Route parameters (`req.params`) and headers are always strings and are not
flagged. It does not catch Sequelize `where` objects (Sequelize ignores string operators since
v5), filters built in another module, or aggregation pipelines.

## Why is this bad?
An operator object where the code expects a string changes the query: `{ password: { $ne: null } }`
matches every user and bypasses a login check; `$regex` and `$gt` leak data one character at a
time; `$where` runs attacker-written JavaScript inside the database.

## Example
```javascript
app.post("/login", async (req, res) => {
  const user = await User.findOne({ name: req.body.name, password: req.body.password });
  res.json({ ok: Boolean(user) });
});
```

## Use instead
```javascript
app.post("/login", async (req, res) => {
  const user = await User.findOne({ name: String(req.body.name) });
  res.json({ ok: Boolean(user) && (await verify(user.hash, String(req.body.password))) });
});
```

## Fix safety
For a filter field the fix wraps the value in `String(...)`, which turns an operator object into
the harmless text `[object Object]`. It is unsafe: a field that legitimately holds a number, a
boolean or an ObjectId no longer matches.

## References
- [CWE-943: Improper Neutralization of Special Elements in Data Query Logic](https://cwe.mitre.org/data/definitions/943.html)
- [OWASP Testing for NoSQL Injection](https://owasp.org/www-project-web-security-testing-guide/latest/4-Web_Application_Security_Testing/07-Input_Validation_Testing/05.6-Testing_for_NoSQL_Injection)
"#,
};

/// Query methods whose first argument is a filter.
const QUERY_METHODS: &[&str] = &[
    "find",
    "findOne",
    "findOneAndUpdate",
    "findOneAndDelete",
    "findOneAndReplace",
    "findOneAndRemove",
    "updateOne",
    "updateMany",
    "update",
    "deleteOne",
    "deleteMany",
    "remove",
    "replaceOne",
    "countDocuments",
    "count",
    "exists",
    "where",
];

/// Whether an origin can be an object: JSON bodies and `qs`-parsed query strings.
fn object_capable(origin: &Origin) -> bool {
    origin.kind == SourceKind::Request
        && !is_browser_origin(origin)
        && (origin.label.contains("body") || origin.label.contains("query"))
}

fn is_query(call: &Call) -> bool {
    call.receiver.is_some()
        && QUERY_METHODS.contains(&call.method_name())
        && !call.name.starts_with("$(")
        && !call.name.starts_with("jQuery(")
        && !call.name.starts_with("lodash.")
        && !call.name.starts_with("underscore.")
}

fn filter_hit(ctx: &Context<'_>, call: &Call, filter: &Arg) -> Option<Hit> {
    let value: &Value = &filter.value;
    if value.fields.is_empty() {
        let origin = tainted_where(value, SinkKind::NoSql, object_capable)?;
        return Some(hit_on(call, filter.range.clone(), origin));
    }
    // Sequelize `{ where: {...} }` objects do not interpret string operators.
    if value.field("where").is_some() {
        return None;
    }
    value.fields.iter().find_map(|(key, v)| {
        let origin = if key == "$where" {
            tainted_where(v, SinkKind::Code, |o| !is_browser_origin(o))
        } else {
            tainted_where(v, SinkKind::NoSql, object_capable)
        }?;
        let range = object_member(ctx, filter.range.clone(), key)
            .map_or(filter.range.clone(), |p| p.byte_range());
        Some(hit_on(call, range, origin))
    })
}

impl Detector for NosqlInjection {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        ctx.facts
            .calls
            .iter()
            .filter(|c| is_query(c))
            .filter_map(|c| filter_hit(ctx, c, c.positional(0)?))
            .collect()
    }

    fn message(&self, ctx: &Context<'_>, hit: &Hit) -> String {
        format!(
            "Untrusted data becomes part of the query given to `{}` (CWE-943): an object such as \
             `{{\"$ne\": null}}` in place of a string changes what the query matches.{} Convert \
             the value to a string (`String(x)`), validate its type, or sanitise the input with \
             `mongo-sanitize`.",
            hit.subject,
            origin_sentence(ctx, hit)
        )
    }

    fn fix(&self, ctx: &Context<'_>, hit: &Hit) -> Vec<Fix> {
        let Some(node) = ctx.node_at(hit.range.clone()) else {
            return Vec::new();
        };
        let edits = match node.kind() {
            "pair" => {
                let key = node.child_by_field_name("key").map(|k| ctx.node_text(k));
                let Some(value) = node.child_by_field_name("value") else {
                    return Vec::new();
                };
                if key == Some("$where") {
                    return Vec::new();
                }
                vec![
                    Edit::insert(value.start_byte(), "String("),
                    Edit::insert(value.end_byte(), ")"),
                ]
            }
            "shorthand_property_identifier" => {
                let name = ctx.node_text(node);
                vec![Edit::replace(
                    node.byte_range(),
                    format!("{name}: String({name})"),
                )]
            }
            _ => return Vec::new(),
        };
        vec![Fix::new(
            "Convert the value to a string",
            edits,
            Applicability::Unsafe,
        )]
    }
}
