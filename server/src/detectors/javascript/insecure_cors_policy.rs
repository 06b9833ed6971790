//! `javascript/insecure-cors-policy@v1.0`: CORS that lets any site read responses.

use crate::analysis::{Call, Constant, SinkKind, Value};
use crate::detectors::{Context, Detector, DetectorMeta, Hit};
use crate::finding::{Category, Severity};
use crate::lang::Language;

use super::support::{field_range, is_koa_context, is_response};

/// The detector.
pub static INSECURE_CORS_POLICY: InsecureCorsPolicy = InsecureCorsPolicy;

/// Flags wildcard, `null` and reflected CORS origins.
pub struct InsecureCorsPolicy;

static META: DetectorMeta = DetectorMeta {
    id: "javascript/insecure-cors-policy@v1.0",
    name: "Insecure CORS policy",
    language: Language::JavaScript,
    severity: Severity::Medium,
    cwes: &[942, 346],
    category: Category::Security,
    express: true,
    docs: r#"## What it does
Flags cross-origin resource sharing that lets any web site read responses: the `cors`
middleware configured with `origin: '*'`, or with `origin: true` (reflect every origin) together
with `credentials: true`; an `Access-Control-Allow-Origin` header set (with `res.setHeader`,
`res.set`, `res.header`, `res.writeHead`, Koa `ctx.set`) to `*`, to `null`, or to a value taken
from the request (the `Origin` header reflected back). The catalogue publishes no severity or
CWE; Codeward uses Medium and CWE-942 / CWE-346.

Not flagged: `cors()` without options (the package default, meant for public APIs), origins
given as constants, lists, regular expressions or functions, and reflected origins checked
against an allow-list first. It does not check `Access-Control-Allow-Credentials` separately, or
CORS set by a proxy.

## Why is this bad?
With a wildcard or reflected origin, any page the user visits can call the API from the browser
and read the answers; with credentials allowed, it does so with the user's cookies and acts as
the user. `null` is the origin of sandboxed iframes and `file:` pages, which attackers control.

## Example
```javascript
app.use(cors({ origin: true, credentials: true }));
app.get("/me", (req, res) => {
  res.setHeader("Access-Control-Allow-Origin", req.headers.origin);
});
```

## Use instead
```javascript
const ALLOWED = ["https://app.example.com"];
app.use(cors({ origin: ALLOWED, credentials: true }));
```

## Fix safety
There is no automatic fix: the trusted origins are specific to the application.

## References
- [CWE-942: Permissive Cross-domain Policy with Untrusted Domains](https://cwe.mitre.org/data/definitions/942.html)
- [CWE-346: Origin Validation Error](https://cwe.mitre.org/data/definitions/346.html)
"#,
};

const ACAO: &str = "access-control-allow-origin";

/// Why an `Access-Control-Allow-Origin` value is permissive, if it is.
fn permissive(value: &Value) -> Option<&'static str> {
    match value.const_str() {
        Some("*") => Some("*"),
        Some("null") => Some("null"),
        Some(_) => None,
        None if value.taint.tainted_for(SinkKind::Header).is_some() => Some("reflected"),
        None => None,
    }
}

fn header_hits(ctx: &Context<'_>, call: &Call) -> Vec<Hit> {
    if !(is_response(call) || is_koa_context(call)) {
        return Vec::new();
    }
    let method = call.method_name();
    let mut hits = Vec::new();
    if matches!(method, "setHeader" | "set" | "header" | "append") {
        let is_acao = call
            .positional(0)
            .and_then(|a| a.value.const_str())
            .is_some_and(|n| n.eq_ignore_ascii_case(ACAO));
        if let (true, Some(value)) = (is_acao, call.positional(1)) {
            if let Some(why) = permissive(&value.value) {
                hits.push(Hit::new(value.range.clone(), why).with_anchor(call.range.clone()));
            }
            return hits;
        }
    }
    if matches!(method, "writeHead" | "set" | "header" | "setHeaders") {
        for arg in &call.args {
            for (key, value) in &arg.value.fields {
                if !key.eq_ignore_ascii_case(ACAO) {
                    continue;
                }
                if let Some(why) = permissive(value) {
                    hits.push(
                        Hit::new(field_range(ctx, arg, key), why).with_anchor(call.range.clone()),
                    );
                }
            }
        }
    }
    hits
}

fn cors_hit(ctx: &Context<'_>, call: &Call) -> Option<Hit> {
    if !matches!(
        call.name.as_str(),
        "cors" | "@koa/cors" | "koa2-cors" | "@fastify/cors"
    ) {
        return None;
    }
    let options = call.args.iter().find(|a| !a.value.fields.is_empty())?;
    let origin = options.value.field("origin")?;
    let credentials = matches!(
        options
            .value
            .field("credentials")
            .and_then(|v| v.constant.as_ref()),
        Some(Constant::Bool(true))
    );
    let why = match &origin.constant {
        Some(Constant::Str(s)) if s == "*" => "*",
        Some(Constant::Str(s)) if s == "null" => "null",
        Some(Constant::Bool(true)) if credentials => "any origin with credentials",
        _ => return None,
    };
    Some(Hit::new(field_range(ctx, options, "origin"), why).with_anchor(call.range.clone()))
}

impl Detector for InsecureCorsPolicy {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        let mut hits = Vec::new();
        for call in &ctx.facts.calls {
            hits.extend(header_hits(ctx, call));
            hits.extend(cors_hit(ctx, call));
        }
        hits
    }

    fn message(&self, _ctx: &Context<'_>, hit: &Hit) -> String {
        let what = match hit.subject.as_str() {
            "*" => "CORS allows every origin (`*`)".to_string(),
            "null" => "CORS allows the `null` origin (sandboxed and `file:` pages)".to_string(),
            "reflected" => "CORS reflects the requesting origin back".to_string(),
            other => format!("CORS allows {other}"),
        };
        format!(
            "{what} (CWE-942): any web site can read this server's responses from a visitor's \
             browser. Allow only the origins you trust (`cors({{ origin: ['https://app.example.com'] }})`)."
        )
    }
}
