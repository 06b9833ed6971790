//! `java/insecure-tls-version`: SSL 3, TLS 1.0 and TLS 1.1 requested or enabled.

use super::sinks::{class_is, split_call};
use crate::analysis::{Call, Constant, Value};
use crate::detectors::{Context, Detector, DetectorMeta, Hit};
use crate::finding::{Applicability, Category, Edit, Fix, Severity};
use crate::lang::Language;

/// Flags `SSLContext.getInstance` with an obsolete protocol and obsolete versions in
/// `setEnabledProtocols` / `SSLParameters.setProtocols`.
pub struct InsecureTlsVersion;

/// The detector instance.
pub static INSECURE_TLS_VERSION: InsecureTlsVersion = InsecureTlsVersion;

static META: DetectorMeta = DetectorMeta {
    id: "java/insecure-tls-version@v1.0",
    name: "Insecure TLS version",
    language: Language::Java,
    severity: Severity::High,
    cwes: &[327, 757],
    category: Category::Security,
    express: true,
    docs: r#"## What it does
Flags `SSLContext.getInstance` with `"SSL"`, `"SSLv2"`, `"SSLv3"`, `"TLSv1"` or `"TLSv1.1"` (also
through constants and concatenation), and `setEnabledProtocols` on sockets, server sockets and SSL
engines or `SSLParameters.setProtocols` when the protocol list contains one of them. `"TLS"` and
`"TLSv1.2"` / `"TLSv1.3"` are fine. The catalogue publishes no severity; Codeward uses High with
CWE-327 and CWE-757.

It does not read protocol lists assembled at run time or from configuration files
(`jdk.tls.client.protocols`), and does not look at cipher suites.

## Why is this bad?
SSL 3 and TLS 1.0 / 1.1 have practical attacks (POODLE, BEAST, weak MAC and key derivation) and are
disabled by current browsers and JDKs; a peer that can force them can decrypt or tamper with the
traffic.

## Example
```java
SSLContext context = SSLContext.getInstance("TLSv1");
```

## Use instead
```java
SSLContext context = SSLContext.getInstance("TLSv1.2");
```
`"TLS"` lets the JDK negotiate the best version both sides support.

## Fix safety
The fix replaces a literal protocol in `SSLContext.getInstance` with `"TLSv1.2"`. It is unsafe:
peers that only speak the old protocol can no longer connect.

## References
- [CWE-327: Use of a Broken or Risky Cryptographic Algorithm](https://cwe.mitre.org/data/definitions/327.html)
- [CWE-757: Selection of Less-Secure Algorithm During Negotiation](https://cwe.mitre.org/data/definitions/757.html)
- [RFC 8996: Deprecating TLS 1.0 and TLS 1.1](https://www.rfc-editor.org/rfc/rfc8996)
"#,
};

const OBSOLETE: &[&str] = &["SSL", "SSLv2", "SSLv2Hello", "SSLv3", "TLSv1", "TLSv1.1"];

/// Whether a protocol name is obsolete.
fn obsolete(protocol: &str) -> bool {
    OBSOLETE
        .iter()
        .any(|p| p.eq_ignore_ascii_case(protocol.trim()))
}

/// The first obsolete protocol named in a list value (an array literal or `Arrays.asList`).
fn obsolete_in_list(value: &Value) -> Option<String> {
    if let Some(Constant::List(items)) = &value.constant {
        return items
            .iter()
            .filter_map(Constant::as_str)
            .find(|p| obsolete(p))
            .map(str::to_string);
    }
    value
        .fields
        .iter()
        .filter(|(k, _)| k.parse::<usize>().is_ok())
        .filter_map(|(_, v)| v.const_str())
        .find(|p| obsolete(p))
        .map(str::to_string)
}

/// Where a call sets protocols, the obsolete one it names.
fn obsolete_protocol(call: &Call) -> Option<String> {
    let (class, method) = split_call(call);
    let arg = call.positional(0)?;
    match method {
        "getInstance" if class_is(class, "javax.net.ssl.SSLContext") => arg
            .value
            .const_str()
            .filter(|p| obsolete(p))
            .map(str::to_string),
        "setEnabledProtocols" | "setProtocols" => obsolete_in_list(&arg.value),
        _ => None,
    }
}

impl Detector for InsecureTlsVersion {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        ctx.facts
            .calls
            .iter()
            .filter_map(|call| {
                let protocol = obsolete_protocol(call)?;
                let arg = call.positional(0)?;
                let anchor = if call.method_name() == "getInstance" {
                    arg.range.clone()
                } else {
                    call.range.clone()
                };
                Some(Hit::new(arg.range.clone(), protocol).with_anchor(anchor))
            })
            .collect()
    }

    fn message(&self, _ctx: &Context<'_>, hit: &Hit) -> String {
        format!(
            "Insecure TLS version (CWE-327, CWE-757): `{}` is obsolete and has practical attacks, \
             so traffic can be decrypted or tampered with. Use `\"TLSv1.2\"` or `\"TLSv1.3\"` (or \
             `\"TLS\"` to negotiate the best version).",
            hit.subject
        )
    }

    fn fix(&self, ctx: &Context<'_>, hit: &Hit) -> Vec<Fix> {
        // Only a literal argument of `SSLContext.getInstance` (a constant may be shared).
        if hit.anchor != hit.range || !ctx.text(hit.range.clone()).starts_with('"') {
            return Vec::new();
        }
        vec![Fix::new(
            "Use \"TLSv1.2\"",
            vec![Edit::replace(hit.range.clone(), "\"TLSv1.2\"")],
            Applicability::Unsafe,
        )]
    }
}
