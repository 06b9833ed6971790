//! `python/improper-certificate-validation@v1.0`: TLS certificate or host name checks turned off.

use std::ops::Range;

use crate::analysis::{Call, CallKind};
use crate::detectors::{Context, Detector, DetectorMeta, Hit, Scope};
use crate::finding::{Applicability, Category, Edit, Fix, Severity};
use crate::lang::Language;

use super::common;

/// Flags `verify=False`, unverified SSL contexts, `CERT_NONE` and `check_hostname = False`.
pub struct ImproperCertificateValidation;

/// The detector's metadata and documentation.
pub static META: DetectorMeta = DetectorMeta {
    id: "python/improper-certificate-validation@v1.0",
    name: "Improper certificate validation",
    language: Language::Python,
    severity: Severity::High,
    cwes: &[295],
    category: Category::Security,
    express: true,
    docs: r#"## What it does
Flags code that turns off TLS certificate validation: `verify=False` on `requests` and `httpx`
calls, sessions and clients (including `session.verify = False`), `ssl=False` / `verify_ssl=False`
on `aiohttp`, `ssl._create_unverified_context()`, `ssl.CERT_NONE` assigned to `verify_mode` or
passed as `cert_reqs`, and `check_hostname = False`. Classes that implement an SSL context and
set `self.check_hostname` / `self.verify_mode` defaults are not flagged.

## Why is this bad?
Without certificate and host name checks, anyone on the network path (a public Wi-Fi, a
compromised router, a proxy) can impersonate the server, read the traffic and change it
(CWE-295). Credentials and tokens sent over such a connection are exposed.

## Example
```python
import requests
resp = requests.get("https://internal.example.com/api", verify=False)
```

## Use instead
```python
import requests
resp = requests.get("https://internal.example.com/api", verify="/etc/ssl/internal-ca.pem")
```
For a private CA, pass its bundle path as `verify=` (or `cafile=` to `ssl.create_default_context`)
instead of turning validation off.

## Fix safety
The fix restores validation (`verify=True`, `ssl.create_default_context()`, `ssl.CERT_REQUIRED`,
`check_hostname = True`). It is unsafe: calls to hosts with self-signed or privately issued
certificates start failing until the right CA bundle is configured.

## References
- [CWE-295: Improper Certificate Validation](https://cwe.mitre.org/data/definitions/295.html)
- [Requests: SSL certificate verification](https://requests.readthedocs.io/en/latest/user/advanced/#ssl-cert-verification)
- [Python `ssl` security considerations](https://docs.python.org/3/library/ssl.html#security-considerations)
"#,
};

const HTTP_METHODS: [&str; 11] = [
    "get",
    "post",
    "put",
    "patch",
    "delete",
    "head",
    "options",
    "request",
    "send",
    "stream",
    "ws_connect",
];

/// Whether a call is made through an HTTP client library whose `verify=`/`ssl=` matters.
fn is_http_call(ctx: &Context<'_>, call: &Call) -> bool {
    let name = call.name.as_str();
    let library = ["requests.", "httpx.", "aiohttp."]
        .iter()
        .any(|p| name.starts_with(p));
    if library {
        return true;
    }
    // `self.session.get(url, verify=False)`: the receiver's type is unknown, but the file uses
    // an HTTP client and the method is a request.
    call.kind == CallKind::Method
        && HTTP_METHODS.contains(&call.method_name())
        && ["requests", "httpx", "aiohttp"]
            .iter()
            .any(|m| ctx.facts.imports.imports(m))
}

/// Whether an attribute store's object is an HTTP session or client.
fn is_session_target(ctx: &Context<'_>, target: &str) -> bool {
    let Some(object) = target.strip_suffix(".verify") else {
        return false;
    };
    if ["requests.Session", "httpx.Client", "httpx.AsyncClient"].contains(&object) {
        return true;
    }
    let last = object
        .rsplit('.')
        .next()
        .unwrap_or(object)
        .to_ascii_lowercase();
    (last.contains("session") || last.contains("client"))
        && ["requests", "httpx"]
            .iter()
            .any(|m| ctx.facts.imports.imports(m))
}

fn is_cert_none(ctx: &Context<'_>, range: Range<usize>) -> bool {
    common::qualified_at(ctx, range.clone()).as_deref() == Some("ssl.CERT_NONE")
        || matches!(ctx.text(range), "'CERT_NONE'" | "\"CERT_NONE\"")
}

impl Detector for ImproperCertificateValidation {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn scope(&self) -> Scope {
        Scope::Definition
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        let mut hits = Vec::new();
        for call in &ctx.facts.calls {
            if call.name == "ssl._create_unverified_context" {
                let anchor =
                    common::callee_attribute(ctx, call).unwrap_or(call.callee_range.clone());
                hits.push(
                    Hit::new(call.callee_range.clone(), call.name.clone()).with_anchor(anchor),
                );
                continue;
            }
            if is_http_call(ctx, call) {
                for keyword in ["verify", "ssl", "verify_ssl"] {
                    if common::keyword_is_false(call, keyword) {
                        if let Some(arg) = call.keyword(keyword) {
                            let range = common::keyword_argument_range(ctx, arg.range.clone());
                            hits.push(
                                Hit::new(range, format!("{}({keyword}=False)", call.name))
                                    .with_anchor(arg.range.clone()),
                            );
                        }
                    }
                }
            }
            if let Some(arg) = call.keyword("cert_reqs") {
                if is_cert_none(ctx, arg.range.clone()) {
                    let range = common::keyword_argument_range(ctx, arg.range.clone());
                    hits.push(
                        Hit::new(range, format!("{}(cert_reqs=CERT_NONE)", call.name))
                            .with_anchor(arg.range.clone()),
                    );
                }
            }
        }
        for store in &ctx.facts.stores {
            // Only these targets can be flagged: skip finding the others' values.
            let target = store.target.as_str();
            if !(target.ends_with(".verify")
                || target.ends_with(".check_hostname")
                || target.ends_with(".verify_mode")
                || target == "ssl._create_default_https_context")
            {
                continue;
            }
            let Some(value) = common::store_value_range(ctx, store) else {
                continue;
            };
            // `self.check_hostname = False` in a class body implements an SSL context (a shim
            // or wrapper setting its defaults); it is not a client turning checks off.
            if matches!(
                store.target.as_str(),
                "self.check_hostname" | "self.verify_mode"
            ) {
                continue;
            }
            let is_false = store.value.constant == Some(crate::analysis::Constant::Bool(false));
            let flagged = (is_false
                && (is_session_target(ctx, &store.target)
                    || store.target.ends_with(".check_hostname")))
                || (store.target.ends_with(".verify_mode") && is_cert_none(ctx, value.clone()))
                || (store.target == "ssl._create_default_https_context"
                    && common::qualified_at(ctx, value.clone()).as_deref()
                        == Some("ssl._create_unverified_context"));
            if flagged {
                hits.push(Hit::new(store.range.clone(), store.target.clone()).with_anchor(value));
            }
        }
        hits
    }

    fn message(&self, _ctx: &Context<'_>, hit: &Hit) -> String {
        let what = if hit.subject.ends_with("_create_unverified_context") {
            "creates an SSL context that accepts any certificate"
        } else if hit.subject.contains("CERT_NONE") || hit.subject.ends_with(".verify_mode") {
            "sets `ssl.CERT_NONE`, so server certificates are not checked"
        } else if hit.subject.ends_with(".check_hostname") {
            "turns off host name checking, so a valid certificate for any other site is accepted"
        } else {
            "turns off TLS certificate verification"
        };
        format!(
            "`{}` {what}: anyone on the network path can impersonate the server and read or alter \
             the traffic ({}). Keep validation on; for a private CA pass its bundle (`verify=\"ca.pem\"`, \
             `cafile=`).",
            hit.subject,
            META.cwe_list()
        )
    }

    fn fix(&self, ctx: &Context<'_>, hit: &Hit) -> Vec<Fix> {
        let Some(node) = ctx.node_at(hit.anchor.clone()) else {
            return Vec::new();
        };
        let (title, edit) = match node.kind() {
            "false" => (
                "Turn verification on",
                Edit::replace(hit.anchor.clone(), "True"),
            ),
            "identifier" if ctx.node_text(node) == "_create_unverified_context" => (
                "Use ssl.create_default_context()",
                Edit::replace(hit.anchor.clone(), "create_default_context"),
            ),
            "attribute" => {
                let Some(attr) = node.child_by_field_name("attribute") else {
                    return Vec::new();
                };
                let replacement = match ctx.node_text(attr) {
                    "CERT_NONE" => "CERT_REQUIRED",
                    "_create_unverified_context" => "create_default_context",
                    _ => return Vec::new(),
                };
                (
                    "Require a valid certificate",
                    Edit::replace(attr.byte_range(), replacement),
                )
            }
            "string" => match common::string_content_range(ctx, hit.anchor.clone()) {
                Some(content) if ctx.text(content.clone()) == "CERT_NONE" => (
                    "Require a valid certificate",
                    Edit::replace(content, "CERT_REQUIRED"),
                ),
                _ => return Vec::new(),
            },
            _ => return Vec::new(),
        };
        vec![Fix::new(title, vec![edit], Applicability::Unsafe)]
    }
}
