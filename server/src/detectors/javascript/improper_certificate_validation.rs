//! `javascript/improper-certificate-validation@v1.0`: TLS certificate validation turned off.

use crate::analysis::{Constant, Value};
use crate::detectors::{Context, Detector, DetectorMeta, Hit};
use crate::finding::{Applicability, Category, Edit, Fix, Severity};
use crate::lang::Language;

use super::support::{find_pair, property_deletion};

/// The detector.
pub static IMPROPER_CERTIFICATE_VALIDATION: ImproperCertificateValidation =
    ImproperCertificateValidation;

/// Flags `rejectUnauthorized: false`, `NODE_TLS_REJECT_UNAUTHORIZED=0` and no-op
/// `checkServerIdentity` callbacks.
pub struct ImproperCertificateValidation;

static META: DetectorMeta = DetectorMeta {
    id: "javascript/improper-certificate-validation@v1.0",
    name: "Improper certificate validation",
    language: Language::JavaScript,
    severity: Severity::High,
    cwes: &[295],
    category: Category::Security,
    express: true,
    docs: r#"## What it does
Flags code that turns off TLS certificate validation: an options object with
`rejectUnauthorized: false` (or `0`) passed to any call — `https.request`/`get`, `new https.Agent`,
`tls.connect`, `tls.createSecureContext`, axios/got/request/node-fetch agents, database drivers'
`ssl` options — including options built in a variable first; a property store
`x.rejectUnauthorized = false`; `process.env.NODE_TLS_REJECT_UNAUTHORIZED = "0"`, which turns
validation off for every connection of the process; and a `checkServerIdentity` callback that
accepts every certificate (`() => undefined`).

## Why is this bad?
Without certificate validation a TLS client talks to whoever answers: anyone on the network path
(public Wi-Fi, a compromised router, a malicious proxy) can present their own certificate, read
the traffic, steal credentials and tokens, and change responses.

## Example
```javascript
const agent = new https.Agent({ rejectUnauthorized: false });
process.env.NODE_TLS_REJECT_UNAUTHORIZED = "0";
```

## Use instead
```javascript
// Trust a private CA explicitly instead of trusting everybody.
const agent = new https.Agent({ ca: fs.readFileSync("internal-ca.pem") });
```

## Fix safety
The fix deletes the `rejectUnauthorized: false` property (with its comma), or the statement that
sets `NODE_TLS_REJECT_UNAUTHORIZED`. It is unsafe: connections to servers with self-signed or
private-CA certificates will start failing until their CA is configured with `ca`. No-op
`checkServerIdentity` callbacks and values set through variables get no automatic fix.

## References
- [CWE-295: Improper Certificate Validation](https://cwe.mitre.org/data/definitions/295.html)
- [Node.js `tls.connect` options](https://nodejs.org/api/tls.html#tlsconnectoptions-callback)
"#,
};

/// How far into nested option objects (`{ ssl: { rejectUnauthorized: false } }`) to look.
const MAX_NESTING: usize = 4;

const ENV_TARGETS: [&str; 2] = [
    "process.env.NODE_TLS_REJECT_UNAUTHORIZED",
    "process.env[NODE_TLS_REJECT_UNAUTHORIZED]",
];

/// What a hit is about, kept in `Hit::subject`.
const SUBJECT_REJECT: &str = "rejectUnauthorized";
const SUBJECT_IDENTITY: &str = "checkServerIdentity";
const SUBJECT_ENV: &str = "NODE_TLS_REJECT_UNAUTHORIZED";

fn is_off(value: &Value) -> bool {
    matches!(
        value.constant,
        Some(Constant::Bool(false)) | Some(Constant::Int(0))
    )
}

/// Whether an option object (or one nested in it) has `key` matching `pred`.
fn has_field(value: &Value, key: &str, pred: fn(&Value) -> bool, depth: usize) -> bool {
    if depth > MAX_NESTING {
        return false;
    }
    value
        .fields
        .iter()
        .any(|(k, v)| (k == key && pred(v)) || has_field(v, key, pred, depth + 1))
}

fn is_function(value: &Value) -> bool {
    value.type_name.as_deref() == Some("function")
}

/// Whether a function literal accepts every certificate: it returns nothing (or `undefined`/`null`)
/// on every path.
fn accepts_everything<'t>(ctx: &Context<'t>, function: tree_sitter::Node<'t>) -> bool {
    let Some(body) = function.child_by_field_name("body") else {
        return false;
    };
    if body.kind() != "statement_block" {
        return matches!(body.kind(), "undefined" | "null");
    }
    let mut cursor = body.walk();
    let statements: Vec<_> = body.named_children(&mut cursor).collect();
    statements
        .into_iter()
        .filter(|s| s.kind() != "comment")
        .all(|s| {
            s.kind() == "return_statement"
                && s.named_child(0).is_none_or(|v| {
                    matches!(v.kind(), "undefined" | "null") || ctx.node_text(v) == "void 0"
                })
        })
}

impl Detector for ImproperCertificateValidation {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        let mut hits: Vec<Hit> = Vec::new();
        for call in &ctx.facts.calls {
            for arg in &call.args {
                if has_field(&arg.value, SUBJECT_REJECT, is_off, 0) {
                    let hit = match find_pair(ctx, arg.range.clone(), SUBJECT_REJECT) {
                        Some(pair) => Hit::new(pair.byte_range(), SUBJECT_REJECT),
                        // Set on a variable elsewhere: report where it is used.
                        None => Hit::new(arg.range.clone(), SUBJECT_REJECT).with_anchor(0..0),
                    };
                    hits.push(hit.with_origin(None));
                }
                if has_field(&arg.value, SUBJECT_IDENTITY, is_function, 0) {
                    if let Some(pair) = find_pair(ctx, arg.range.clone(), SUBJECT_IDENTITY) {
                        let accepts = pair
                            .child_by_field_name("value")
                            .is_some_and(|f| accepts_everything(ctx, f));
                        if accepts {
                            hits.push(Hit::new(pair.byte_range(), SUBJECT_IDENTITY));
                        }
                    }
                }
            }
        }
        for store in &ctx.facts.stores {
            if ENV_TARGETS.contains(&store.target.as_str()) {
                let off = matches!(
                    store.value.constant,
                    Some(Constant::Int(0)) | Some(Constant::Bool(false))
                ) || store.value.const_str() == Some("0");
                if off {
                    hits.push(Hit::new(store.range.clone(), SUBJECT_ENV));
                }
            } else if store.target.ends_with(".rejectUnauthorized") && is_off(&store.value) {
                hits.push(Hit::new(store.range.clone(), SUBJECT_REJECT).with_anchor(0..0));
            }
        }
        hits.sort_by_key(|h| (h.range.start, h.range.end));
        hits.dedup_by(|a, b| a.range == b.range);
        hits
    }

    fn message(&self, ctx: &Context<'_>, hit: &Hit) -> String {
        let what = match hit.subject.as_str() {
            SUBJECT_ENV => {
                "Setting `NODE_TLS_REJECT_UNAUTHORIZED` to `0` turns off TLS certificate \
                validation for every HTTPS and TLS connection of the process"
                    .to_string()
            }
            SUBJECT_IDENTITY => {
                "This `checkServerIdentity` callback accepts every certificate, so the \
                server's host name is never checked"
                    .to_string()
            }
            _ if hit.anchor == hit.range => {
                "`rejectUnauthorized: false` turns off TLS certificate validation".to_string()
            }
            _ => format!(
                "`{}` sets `rejectUnauthorized` to false, which turns off TLS certificate validation",
                ctx.text(hit.range.clone())
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
            ),
        };
        format!(
            "{what} (CWE-295): anyone on the network path can impersonate the server, read and \
             change the traffic. Remove it and trust a private CA with the `ca` option instead."
        )
    }

    fn fix(&self, ctx: &Context<'_>, hit: &Hit) -> Vec<Fix> {
        match hit.subject.as_str() {
            SUBJECT_REJECT if hit.anchor == hit.range => {
                let Some(pair) = ctx
                    .node_at(hit.range.clone())
                    .filter(|n| n.kind() == "pair")
                else {
                    return Vec::new();
                };
                vec![Fix::new(
                    "Remove `rejectUnauthorized: false` (validate certificates)",
                    vec![Edit::delete(property_deletion(ctx, pair))],
                    Applicability::Unsafe,
                )]
            }
            SUBJECT_ENV => {
                let Some(statement) = ctx
                    .node_at(hit.range.clone())
                    .and_then(|n| n.parent())
                    .filter(|p| p.kind() == "expression_statement")
                else {
                    return Vec::new();
                };
                let src = ctx.source;
                let start = statement.start_byte();
                let end = statement.end_byte();
                let line_start = src
                    .get(..start)
                    .and_then(|s| s.rfind('\n'))
                    .map_or(0, |i| i + 1);
                let line_end = src
                    .get(end..)
                    .and_then(|s| s.find('\n'))
                    .map_or(src.len(), |i| end + i + 1);
                let alone = src
                    .get(line_start..start)
                    .is_some_and(|s| s.trim().is_empty())
                    && src.get(end..line_end).is_some_and(|s| s.trim().is_empty());
                let range = if alone {
                    line_start..line_end
                } else {
                    start..end
                };
                vec![Fix::new(
                    "Remove the `NODE_TLS_REJECT_UNAUTHORIZED` override",
                    vec![Edit::delete(range)],
                    Applicability::Unsafe,
                )]
            }
            _ => Vec::new(),
        }
    }
}
