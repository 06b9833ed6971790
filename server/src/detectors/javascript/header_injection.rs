//! `javascript/header-injection@v1.0`: untrusted data in HTTP response headers.

use crate::analysis::{Call, SinkKind};
use crate::detectors::{Context, Detector, DetectorMeta, Hit};
use crate::finding::{Category, Severity};
use crate::lang::Language;

use super::support::{field_range, hit_on, is_koa_context, is_response, origin_sentence, tainted};

/// The detector.
pub static HEADER_INJECTION: HeaderInjection = HeaderInjection;

/// Flags untrusted response header names and values.
pub struct HeaderInjection;

static META: DetectorMeta = DetectorMeta {
    id: "javascript/header-injection@v1.0",
    name: "Header injection",
    language: Language::JavaScript,
    severity: Severity::High,
    cwes: &[113, 644],
    category: Category::Security,
    express: true,
    docs: r#"## What it does
Flags untrusted data written into an HTTP response header: the name or value given to
`res.setHeader`, Express `res.set`/`res.header`/`res.append`, Koa `ctx.set`, and header objects
passed to `res.writeHead`/`res.set`. The catalogue gives no CWE; Codeward uses CWE-113 (HTTP
response splitting) and CWE-644 (improper neutralisation of HTTP headers).

Not flagged: values encoded with `encodeURIComponent`/`encodeURI`, numbers, allow-listed values
and constants; the `Location` header (reported by `javascript/open-redirect`) and
`Access-Control-Allow-Origin` (reported by `javascript/insecure-cors-policy`). It does not catch
headers set by middleware configured elsewhere.

## Why is this bad?
Current Node.js versions reject CR and LF in header values, so classic response splitting throws
instead of succeeding — which still lets a client crash the request on demand. The data also
decides the header's meaning: a `Content-Type` of the attacker's choosing turns a download into
HTML, a `Content-Disposition` file name picks the saved file's name and extension, a `Link` or
`Refresh` header sends the browser elsewhere, and older runtimes or proxies split the response.

## Example
```javascript
app.get("/export", (req, res) => {
  res.setHeader("Content-Disposition", `attachment; filename="${req.query.name}"`);
  res.send(data);
});
```

## Use instead
```javascript
app.get("/export", (req, res) => {
  res.attachment(path.basename(String(req.query.name))); // Express encodes the file name
  res.send(data);
});
```

## Fix safety
There is no automatic fix: the right encoding depends on the header.

## References
- [CWE-113: HTTP Response Splitting](https://cwe.mitre.org/data/definitions/113.html)
- [CWE-644: Improper Neutralization of HTTP Headers for Scripting Syntax](https://cwe.mitre.org/data/definitions/644.html)
"#,
};

/// Response methods taking a header name and value.
const SETTERS: &[&str] = &["setHeader", "set", "header", "append", "appendHeader"];

/// Headers reported by other detectors.
fn handled_elsewhere(name: &str) -> bool {
    name.eq_ignore_ascii_case("location")
        || name.eq_ignore_ascii_case("access-control-allow-origin")
}

fn hits_of(ctx: &Context<'_>, call: &Call) -> Vec<Hit> {
    if !(is_response(call) || is_koa_context(call)) {
        return Vec::new();
    }
    let method = call.method_name();
    let mut hits = Vec::new();
    if SETTERS.contains(&method) {
        let Some(name) = call.positional(0) else {
            return hits;
        };
        if let Some(origin) = tainted(&name.value, SinkKind::Header) {
            hits.push(hit_on(call, name.range.clone(), origin));
            return hits;
        }
        if let Some(value) = call.positional(1) {
            let skip = name.value.const_str().is_some_and(handled_elsewhere);
            if let (false, Some(origin)) = (skip, tainted(&value.value, SinkKind::Header)) {
                hits.push(hit_on(call, value.range.clone(), origin));
            }
            return hits;
        }
    }
    if method == "writeHead" || SETTERS.contains(&method) {
        for arg in call.args.iter().filter(|a| !a.value.fields.is_empty()) {
            for (key, value) in &arg.value.fields {
                if handled_elsewhere(key) {
                    continue;
                }
                if let Some(origin) = tainted(value, SinkKind::Header) {
                    hits.push(hit_on(call, field_range(ctx, arg, key), origin));
                }
            }
        }
    }
    hits
}

impl Detector for HeaderInjection {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        ctx.facts
            .calls
            .iter()
            .flat_map(|c| hits_of(ctx, c))
            .collect()
    }

    fn message(&self, ctx: &Context<'_>, hit: &Hit) -> String {
        format!(
            "Untrusted data is written into a response header by `{}` (CWE-113): it decides what \
             the header means, and line breaks in it split the response or make the request \
             fail.{} Encode the value (`encodeURIComponent`), or choose it from an allow-list.",
            hit.subject,
            origin_sentence(ctx, hit)
        )
    }
}
