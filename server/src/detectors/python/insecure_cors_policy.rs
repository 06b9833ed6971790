//! `python/insecure-cors-policy@v1.0`: cross-origin access granted to every origin.

use crate::analysis::{Call, Constant, Value};
use crate::detectors::{Context, Detector, DetectorMeta, Hit, Scope};
use crate::finding::{Category, Severity};
use crate::lang::Language;

use super::common;

/// Flags Flask-CORS, Starlette / FastAPI CORS middleware and hand-written headers allowing any
/// origin.
pub struct InsecureCorsPolicy;

/// The detector's metadata and documentation.
pub static META: DetectorMeta = DetectorMeta {
    id: "python/insecure-cors-policy@v1.0",
    name: "Insecure CORS policy",
    language: Language::Python,
    severity: Severity::Medium,
    cwes: &[942],
    category: Category::Security,
    express: true,
    docs: r#"## What it does
Flags cross-origin resource sharing opened to every origin: Flask-CORS `CORS(app)` and
`@cross_origin()` without `origins` or with `origins="*"` (Flask-CORS allows every origin by
default), Starlette / FastAPI `add_middleware(CORSMiddleware, allow_origins=["*"])` or
`allow_origin_regex=".*"`, and an `Access-Control-Allow-Origin: *` header stored on a response
(`response.headers["Access-Control-Allow-Origin"] = "*"`) — with aliases and `**{...}` keyword
literals resolved. Explicit origin lists are not flagged. It does not read Django settings
(`CORS_ALLOW_ALL_ORIGINS`), nor origins reflected from the request's `Origin` header. A public,
unauthenticated read-only API may allow every origin on purpose: suppress the finding there
with a reason.

## Why is this bad?
Any web site the user visits can call the API from the user's browser and read the responses;
combined with cookies or other ambient credentials this exposes the user's data to every site
on the internet (CWE-942).

## Example
```python
from flask import Flask
from flask_cors import CORS

app = Flask(__name__)
CORS(app)
```

## Use instead
```python
from flask import Flask
from flask_cors import CORS

app = Flask(__name__)
CORS(app, origins=["https://app.example.com"])
```

## Fix safety
There is no automatic fix: only the application knows which origins may call it.

## References
- [CWE-942: Permissive Cross-domain Policy with Untrusted Domains](https://cwe.mitre.org/data/definitions/942.html)
- [MDN: CORS](https://developer.mozilla.org/en-US/docs/Web/HTTP/CORS)
"#,
};

/// Whether a constant origin setting means every origin.
fn any_origin(value: &Value) -> bool {
    match &value.constant {
        Some(Constant::Str(s)) => s == "*" || s == ".*",
        Some(Constant::List(items)) => items.iter().any(|i| i.as_str() == Some("*")),
        _ => false,
    }
}

/// The range to report when a call opens CORS to every origin.
fn permissive(ctx: &Context<'_>, call: &Call) -> Option<std::ops::Range<usize>> {
    match call.name.as_str() {
        "flask_cors.CORS" | "flask_cors.cross_origin" => {
            let position = usize::from(call.name == "flask_cors.CORS");
            let origins = if position == 1 {
                call.keyword("origins")
            } else {
                call.arg(0, "origins")
            };
            let resources = call.keyword("resources");
            match (origins, resources) {
                (Some(o), _) => any_origin(&o.value).then(|| o.range.clone()),
                // `resources={r"/api/*": {"origins": [...]}}` configures origins per path.
                (None, Some(_)) => None,
                (None, None) if call.args.iter().any(|a| a.unpacked) => None,
                (None, None) => Some(call.callee_range.clone()),
            }
        }
        _ if call.method_name() == "add_middleware" => {
            let class = call.positional(0)?;
            let qualified = common::qualified_at(ctx, class.range.clone())?;
            if !qualified.ends_with("CORSMiddleware") {
                return None;
            }
            let origins = call
                .keyword("allow_origins")
                .filter(|a| any_origin(&a.value))
                .or_else(|| {
                    call.keyword("allow_origin_regex")
                        .filter(|a| a.value.const_str() == Some(".*"))
                })?;
            Some(origins.range.clone())
        }
        _ => None,
    }
}

impl Detector for InsecureCorsPolicy {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn scope(&self) -> Scope {
        Scope::Definition
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        let mut hits: Vec<Hit> = ctx
            .facts
            .calls
            .iter()
            .filter_map(|call| Some(Hit::new(permissive(ctx, call)?, call.name.clone())))
            .collect();
        for store in &ctx.facts.stores {
            let header = store
                .target
                .to_ascii_lowercase()
                .ends_with("headers[access-control-allow-origin]");
            if header && store.value.const_str() == Some("*") {
                hits.push(Hit::new(store.range.clone(), "Access-Control-Allow-Origin"));
            }
        }
        hits
    }

    fn message(&self, _ctx: &Context<'_>, hit: &Hit) -> String {
        format!(
            "`{}` lets every origin make cross-origin requests and read the responses, so any \
             site the user visits can use the API in their name ({}). List the origins that may \
             call it.",
            hit.subject,
            META.cwe_list()
        )
    }
}
