//! `java/weak-obfuscation-of-request`: credentials put in a request header with Base64 (HTTP Basic
//! authentication built by hand).

use super::sinks::split_call;
use crate::analysis::java::PREFIX_FIELD;
use crate::analysis::Call;
use crate::detectors::{Context, Detector, DetectorMeta, Hit};
use crate::finding::{Category, Severity};
use crate::lang::Language;

/// Flags `Authorization: Basic ...` headers assembled in code.
pub struct WeakObfuscationOfRequest;

/// The detector instance.
pub static WEAK_OBFUSCATION_OF_REQUEST: WeakObfuscationOfRequest = WeakObfuscationOfRequest;

static META: DetectorMeta = DetectorMeta {
    id: "java/weak-obfuscation-of-request@v1.0",
    name: "Weak obfuscation of web request",
    language: Language::Java,
    severity: Severity::Medium,
    cwes: &[522, 319],
    category: Category::Security,
    express: true,
    docs: r#"## What it does
Flags an `Authorization` request header whose value is built in code as `"Basic " + ...` (the
Base64 of `user:password`), set with `URLConnection.setRequestProperty` / `addRequestProperty`,
Apache HttpClient `setHeader` / `addHeader`, `java.net.http.HttpRequest.Builder.header` /
`setHeader`, OkHttp `Request.Builder.header` / `addHeader`, or Spring `HttpHeaders.set` / `add`.
The catalogue publishes no severity; Codeward uses Medium with CWE-522 and CWE-319.

It does not know whether the connection uses TLS (Basic authentication over HTTPS only is
acceptable for many services; suppress the finding there with a comment), and does not flag
library helpers such as `HttpHeaders.setBasicAuth`.

## Why is this bad?
Base64 is an encoding, not encryption: anyone who sees the request (a proxy, a log of headers,
someone on a plain-HTTP network path) decodes the password instantly, and the same header works
for every later request until the password changes.

## Example
```java
String token = Base64.getEncoder().encodeToString((user + ":" + password).getBytes());
connection.setRequestProperty("Authorization", "Basic " + token);
```

## Use instead
```java
connection.setRequestProperty("Authorization", "Bearer " + tokenFromYourIdentityProvider);
```
Use short-lived tokens (OAuth 2, signed requests), and HTTPS for every request carrying them.

## Fix safety
No automatic fix: the replacement depends on what the server accepts.

## References
- [CWE-522: Insufficiently Protected Credentials](https://cwe.mitre.org/data/definitions/522.html)
- [CWE-319: Cleartext Transmission of Sensitive Information](https://cwe.mitre.org/data/definitions/319.html)
"#,
};

/// Methods that set a request header from (name, value).
const SETTERS: &[&str] = &[
    "setRequestProperty",
    "addRequestProperty",
    "setHeader",
    "addHeader",
    "header",
    "set",
    "add",
];

/// Whether a call sets `Authorization` to `"Basic " + ...`.
fn basic_header(call: &Call) -> Option<std::ops::Range<usize>> {
    let (class, method) = split_call(call);
    if !SETTERS.contains(&method) || class.contains("HttpServletResponse") {
        return None;
    }
    let name = call.positional(0)?.value.const_str()?;
    if !name.eq_ignore_ascii_case("Authorization") {
        return None;
    }
    let value = call.positional(1)?;
    let prefix = value
        .value
        .field(PREFIX_FIELD)
        .and_then(|p| p.const_str())?;
    let basic = prefix
        .get(..6)
        .is_some_and(|p| p.eq_ignore_ascii_case("basic "));
    basic.then(|| value.range.clone())
}

impl Detector for WeakObfuscationOfRequest {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        ctx.facts
            .calls
            .iter()
            .filter_map(|call| Some(Hit::new(basic_header(call)?, "basic")))
            .collect()
    }

    fn message(&self, _ctx: &Context<'_>, _hit: &Hit) -> String {
        "Weak obfuscation of web request (CWE-522): this `Authorization: Basic` header only \
         Base64-encodes the credentials, so anyone who sees the request can read the password. \
         Use short-lived tokens, and send credentials only over HTTPS."
            .to_string()
    }
}
