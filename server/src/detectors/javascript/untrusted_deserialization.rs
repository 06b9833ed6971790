//! `javascript/untrusted-deserialization@v1.0`: untrusted data given to deserialisers that can
//! run code.

use crate::analysis::{Call, SinkKind};
use crate::detectors::{Context, Detector, DetectorMeta, Hit};
use crate::finding::{Category, Severity};
use crate::lang::Language;

use super::support::{hit_on, origin_sentence, tainted};

/// The detector.
pub static UNTRUSTED_DESERIALIZATION: UntrustedDeserialization = UntrustedDeserialization;

/// Flags tainted input to `node-serialize`, `funcster`, `cryo`, `serialize-to-js` and unsafe YAML
/// loaders.
pub struct UntrustedDeserialization;

static META: DetectorMeta = DetectorMeta {
    id: "javascript/untrusted-deserialization@v1.0",
    name: "Deserialization of untrusted object",
    language: Language::JavaScript,
    severity: Severity::High,
    cwes: &[502],
    category: Category::Security,
    express: true,
    docs: r#"## What it does
Flags untrusted data (request data, cookies, `postMessage` data, command-line arguments,
environment variables) given to deserialisers that rebuild functions and can therefore run code:
`node-serialize`'s `unserialize`, `funcster.deepDeserialize`, `cryo.parse`,
`serialize-to-js`'s `deserialize`, `js-yaml`'s `load` with the unsafe schema
(`DEFAULT_FULL_SCHEMA`) or its pre-4.0 `loadAll`/`load` called as `yaml.unsafeLoad`, and
`eval`-based revivers of `serialize-javascript` output (`eval('(' + data + ')')` is reported by
`javascript/code-injection`). The catalogue gives no CWE; Codeward uses CWE-502.

`JSON.parse`, `js-yaml` `load` with its default (safe) schema in version 4, and values checked
against an allow-list are not flagged. It does not catch class-instantiating revivers written by
hand, or prototype pollution from merging parsed objects.

## Why is this bad?
These formats can describe functions, and the libraries call them while rebuilding the object:
`node-serialize` runs any `_$$ND_FUNC$$_function(){...}()` payload, so a crafted cookie or body
runs code on the server.

## Example
```javascript
const serialize = require("node-serialize");
app.get("/", (req, res) => {
  const profile = serialize.unserialize(Buffer.from(req.cookies.profile, "base64").toString());
});
```

## Use instead
```javascript
app.get("/", (req, res) => {
  const profile = JSON.parse(Buffer.from(req.cookies.profile, "base64").toString());
});
```

## Fix safety
There is no automatic fix: the data format changes.

## References
- [CWE-502: Deserialization of Untrusted Data](https://cwe.mitre.org/data/definitions/502.html)
- [OWASP Deserialization Cheat Sheet](https://cheatsheetseries.owasp.org/cheatsheets/Deserialization_Cheat_Sheet.html)
"#,
};

/// Deserialisers that run code in their input.
const UNSAFE: &[&str] = &[
    "node-serialize.unserialize",
    "funcster.deepDeserialize",
    "cryo.parse",
    "serialize-to-js.deserialize",
    "js-yaml.unsafeLoad",
    "js-yaml.unsafeLoadAll",
];

/// `js-yaml` loaders that are unsafe only with the full schema.
const YAML_LOADERS: &[&str] = &["js-yaml.load", "js-yaml.loadAll", "yaml.load"];

fn unsafe_yaml(call: &Call) -> bool {
    YAML_LOADERS.contains(&call.name.as_str())
        && call.args.iter().skip(1).any(|a| {
            a.value.field("schema").is_some_and(|s| {
                s.type_name
                    .as_deref()
                    .or(s.const_str())
                    .is_some_and(|t| t.ends_with("DEFAULT_FULL_SCHEMA"))
            })
        })
}

fn hit_of(call: &Call) -> Option<Hit> {
    if !UNSAFE.contains(&call.name.as_str()) && !unsafe_yaml(call) {
        return None;
    }
    let arg = call.positional(0)?;
    Some(hit_on(
        call,
        arg.range.clone(),
        tainted(&arg.value, SinkKind::Deserialization)?,
    ))
}

impl Detector for UntrustedDeserialization {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        ctx.facts.calls.iter().filter_map(hit_of).collect()
    }

    fn message(&self, ctx: &Context<'_>, hit: &Hit) -> String {
        format!(
            "Untrusted data is deserialised by `{}` (CWE-502), which rebuilds functions and can \
             run code written by the attacker.{} Use a data-only format (`JSON.parse`) or a safe \
             loader.",
            hit.subject,
            origin_sentence(ctx, hit)
        )
    }
}
