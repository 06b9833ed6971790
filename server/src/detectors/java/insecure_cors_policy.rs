//! `java/insecure-cors-policy`: CORS that lets any origin (or whatever origin asks) read responses.

use super::sinks::{class_is, split_call};
use crate::analysis::{Call, Constant, SourceKind, Value};
use crate::detectors::{Context, Detector, DetectorMeta, Hit};
use crate::finding::{Category, Severity};
use crate::lang::{syntax, Language};

/// Flags wildcard or reflected allowed origins in Spring CORS configuration, servlet headers and
/// `@CrossOrigin` annotations.
pub struct InsecureCorsPolicy;

/// The detector instance.
pub static INSECURE_CORS_POLICY: InsecureCorsPolicy = InsecureCorsPolicy;

static META: DetectorMeta = DetectorMeta {
    id: "java/insecure-cors-policy@v1.0",
    name: "Insecure CORS policy",
    language: Language::Java,
    severity: Severity::Medium,
    cwes: &[942, 346],
    category: Category::Security,
    express: true,
    docs: r#"## What it does
Flags cross-origin resource sharing that admits every origin:
- Spring `CorsRegistry` / `CorsConfiguration`: `allowedOrigins("*")`, `allowedOriginPatterns("*")`,
  `addAllowedOrigin("*")`, `addAllowedOriginPattern("*")`, `setAllowedOrigins(List.of("*"))`;
- an `Access-Control-Allow-Origin` header set to `*` or to the request's own `Origin` header (or
  other request data) with `setHeader` / `addHeader`;
- `@CrossOrigin` without `origins` (which allows all origins) or with `origins = "*"`.
The catalogue publishes no severity; Codeward uses Medium with CWE-942 and CWE-346.

It does not check whether credentials are allowed (a wildcard is flagged either way, since it
usually comes with cookie or token based APIs) and does not read CORS settings from properties
files.

## Why is this bad?
A permissive policy lets scripts on any site read your API's responses in the victim's browser;
with credentials allowed (or an echoed origin) that includes everything the logged-in user can see.

## Example
```java
registry.addMapping("/api/**").allowedOrigins("*");
```

## Use instead
```java
registry.addMapping("/api/**").allowedOrigins("https://app.example.com");
```

## Fix safety
No automatic fix: the list of trusted origins is the application's decision.

## References
- [CWE-942: Permissive Cross-domain Policy with Untrusted Domains](https://cwe.mitre.org/data/definitions/942.html)
- [CWE-346: Origin Validation Error](https://cwe.mitre.org/data/definitions/346.html)
"#,
};

/// Whether a value is `"*"` or a list holding it.
fn is_wildcard(value: &Value) -> bool {
    match &value.constant {
        Some(Constant::Str(s)) => s.trim() == "*",
        Some(Constant::List(items)) => items.iter().any(|i| i.as_str() == Some("*")),
        _ => value
            .fields
            .iter()
            .any(|(k, v)| k.parse::<usize>().is_ok() && v.const_str() == Some("*")),
    }
}

/// Spring origin setters with a wildcard argument.
fn spring_wildcard(call: &Call) -> Option<Hit> {
    let method = call.method_name();
    let spring = matches!(
        method,
        "allowedOrigins"
            | "allowedOriginPatterns"
            | "addAllowedOrigin"
            | "addAllowedOriginPattern"
            | "setAllowedOrigins"
            | "setAllowedOriginPatterns"
    );
    if !spring {
        return None;
    }
    let arg = call.args.iter().find(|a| is_wildcard(&a.value))?;
    Some(Hit::new(arg.range.clone(), "wildcard"))
}

/// `response.setHeader("Access-Control-Allow-Origin", "*" | request data)`.
fn header_wildcard(call: &Call) -> Option<Hit> {
    let (class, method) = split_call(call);
    let setter = matches!(method, "setHeader" | "addHeader")
        && class_is(class, "javax.servlet.http.HttpServletResponse");
    if !setter {
        return None;
    }
    let name = call.positional(0)?.value.const_str()?;
    if !name.eq_ignore_ascii_case("Access-Control-Allow-Origin") {
        return None;
    }
    let value = call.positional(1)?;
    if is_wildcard(&value.value) {
        return Some(Hit::new(value.range.clone(), "wildcard"));
    }
    value
        .value
        .taint
        .origins()
        .iter()
        .any(|o| o.kind == SourceKind::Request)
        .then(|| Hit::new(value.range.clone(), "reflected"))
}

/// `@CrossOrigin` without origins, or with `"*"`.
fn annotations(ctx: &Context<'_>) -> Vec<Hit> {
    let mut hits = Vec::new();
    syntax::walk(ctx.tree, |node, _| {
        if !matches!(node.kind(), "annotation" | "marker_annotation") {
            return true;
        }
        let named_cross_origin = node.child_by_field_name("name").is_some_and(|n| {
            let name = ctx.node_text(n);
            name == "CrossOrigin" || name.ends_with(".CrossOrigin")
        });
        if !named_cross_origin {
            return true;
        }
        let args = node.child_by_field_name("arguments");
        let mut restricted = false;
        let mut wildcard = false;
        if let Some(args) = args {
            let mut cursor = args.walk();
            for pair in args.named_children(&mut cursor) {
                let (key, value) = if pair.kind() == "element_value_pair" {
                    (
                        pair.child_by_field_name("key")
                            .map_or("", |k| ctx.node_text(k)),
                        pair.child_by_field_name("value"),
                    )
                } else {
                    ("value", Some(pair))
                };
                if matches!(key, "origins" | "value" | "originPatterns") {
                    restricted = true;
                    if value.is_some_and(|v| {
                        let text = ctx.node_text(v);
                        text.contains("\"*\"")
                    }) {
                        wildcard = true;
                    }
                }
            }
        }
        if wildcard || !restricted {
            hits.push(Hit::new(node.byte_range(), "annotation"));
        }
        true
    });
    hits
}

impl Detector for InsecureCorsPolicy {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        let mut hits = annotations(ctx);
        for call in &ctx.facts.calls {
            if let Some(hit) = spring_wildcard(call).or_else(|| header_wildcard(call)) {
                hits.push(hit);
            }
        }
        hits.sort_by_key(|h| h.range.start);
        hits
    }

    fn message(&self, _ctx: &Context<'_>, hit: &Hit) -> String {
        let what = match hit.subject.as_str() {
            "reflected" => "echoes the requesting origin back as allowed",
            "annotation" => "`@CrossOrigin` without `origins` allows every origin",
            _ => "allows every origin (`*`)",
        };
        format!(
            "Insecure CORS policy (CWE-942): this {what}, so scripts on any site can read the \
             responses in a user's browser. List the trusted origins explicitly."
        )
    }
}
