//! `java/insecure-cryptography`: broken ciphers and modes, short keys, and TLS trust managers or
//! hostname verifiers that accept anything.

use tree_sitter::Node;

use super::common::{calls_within, enclosing_body};
use super::sinks::{class_is, split_call};
use crate::analysis::{Call, Constant};
use crate::detectors::{Context, Detector, DetectorMeta, Hit};
use crate::finding::{Applicability, Category, Edit, Fix, Severity};
use crate::lang::{syntax, Language};

/// Flags weak `Cipher` transformations, short `KeyPairGenerator` keys, trust-all
/// `X509TrustManager`s and hostname verifiers that always return `true`.
pub struct InsecureCryptography;

/// The detector instance.
pub static INSECURE_CRYPTOGRAPHY: InsecureCryptography = InsecureCryptography;

static META: DetectorMeta = DetectorMeta {
    id: "java/insecure-cryptography@v1.0",
    name: "Insecure cryptography",
    language: Language::Java,
    severity: Severity::Critical,
    cwes: &[327, 326, 295],
    category: Category::Security,
    express: true,
    docs: r#"## What it does
Flags, in one file:
- `Cipher.getInstance` with DES, 3DES (`DESede`), RC2, RC4 (`ARCFOUR`), Blowfish, the ECB mode,
  a bare `"AES"` (which means `AES/ECB/PKCS5Padding`), or textbook RSA (`RSA/.../NoPadding`), also
  through constants;
- `KeyPairGenerator.initialize(bits)` with fewer than 2048 bits for RSA, DSA or Diffie-Hellman, or
  fewer than 224 for EC, when the algorithm is requested in the same method;
- an `X509TrustManager` whose `checkServerTrusted` is empty (accepts every certificate);
- a `HostnameVerifier` whose `verify` returns `true`, a `(host, session) -> true` lambda given to
  `setHostnameVerifier` / `setDefaultHostnameVerifier`, and Apache HttpClient's
  `NoopHostnameVerifier` / `ALLOW_ALL_HOSTNAME_VERIFIER`.
Severity Critical as in the catalogue, which lists no CWE; Codeward uses CWE-327, CWE-326 and
CWE-295. Weak digests are `java/insecure-hashing`, obsolete TLS versions
`java/insecure-tls-version`.

It does not follow transformations or key sizes read from configuration, and it does not judge a
trust manager that checks something (even if too little).

## Why is this bad?
DES and RC4 are broken, ECB leaks the structure of the plaintext, short RSA keys can be factored,
and a trust manager or hostname verifier that accepts anything lets whoever sits on the network
impersonate the server and read the whole TLS connection.

## Example
```java
Cipher cipher = Cipher.getInstance("DES/ECB/PKCS5Padding");
KeyPairGenerator kpg = KeyPairGenerator.getInstance("RSA");
kpg.initialize(1024);
connection.setHostnameVerifier((host, session) -> true);
```

## Use instead
```java
Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
KeyPairGenerator kpg = KeyPairGenerator.getInstance("RSA");
kpg.initialize(3072);
// keep the default hostname verifier and trust store
```

## Fix safety
The fix raises a literal key size to 2048 bits (RSA, DSA, DH) or 256 (EC). It is unsafe: keys
exchanged with other systems change size. Ciphers and trust decisions have no automatic fix: a
new mode needs an IV and authentication tag handling, and a trust store needs the right
certificates.

## References
- [CWE-327: Use of a Broken or Risky Cryptographic Algorithm](https://cwe.mitre.org/data/definitions/327.html)
- [CWE-326: Inadequate Encryption Strength](https://cwe.mitre.org/data/definitions/326.html)
- [CWE-295: Improper Certificate Validation](https://cwe.mitre.org/data/definitions/295.html)
"#,
};

const WEAK_CIPHERS: &[&str] = &[
    "DES",
    "DESEDE",
    "TRIPLEDES",
    "3DES",
    "RC2",
    "RC4",
    "ARCFOUR",
    "BLOWFISH",
];

/// Why a cipher transformation is weak, if it is.
fn weak_transformation(transformation: &str) -> Option<&'static str> {
    let parts: Vec<String> = transformation
        .split('/')
        .map(|p| p.trim().to_ascii_uppercase())
        .collect();
    let algorithm = parts.first()?.as_str();
    let mode = parts.get(1).map(String::as_str);
    let padding = parts.get(2).map(String::as_str);
    if WEAK_CIPHERS.contains(&algorithm) {
        return Some("a broken cipher");
    }
    if algorithm == "RSA" {
        return (padding == Some("NOPADDING")).then_some("RSA without padding");
    }
    if algorithm == "AES" && mode.is_none() {
        return Some("AES in its default ECB mode");
    }
    (mode == Some("ECB")).then_some("the ECB mode")
}

/// The minimum key size for a key pair algorithm.
fn minimum_bits(algorithm: &str) -> Option<i64> {
    match algorithm.trim().to_ascii_uppercase().as_str() {
        "RSA" | "DSA" | "DH" | "DIFFIEHELLMAN" | "RSASSA-PSS" => Some(2048),
        "EC" | "ECDSA" | "ECDH" => Some(224),
        _ => None,
    }
}

/// `kpg.initialize(bits)`: the algorithm requested last before it in the same method.
fn short_key(ctx: &Context<'_>, call: &Call) -> Option<(i64, i64)> {
    let (class, method) = split_call(call);
    if method != "initialize" || !class_is(class, "java.security.KeyPairGenerator") {
        return None;
    }
    let Some(Constant::Int(bits)) = call.positional(0)?.value.constant else {
        return None;
    };
    let body = ctx.node_at(call.range.clone()).and_then(enclosing_body)?;
    let algorithm = calls_within(ctx, body.byte_range())
        .filter(|c| c.range.start < call.range.start)
        .filter(|c| c.name == "java.security.KeyPairGenerator.getInstance")
        .filter_map(|c| c.positional(0)?.value.const_str())
        .last()?;
    let minimum = minimum_bits(algorithm)?;
    (bits < minimum).then_some((bits, minimum))
}

/// Whether a block has no statements (comments aside) or only `return;`.
fn accepts_everything(body: Node<'_>) -> bool {
    let mut cursor = body.walk();
    let result = body.named_children(&mut cursor).all(|s| {
        s.kind().ends_with("comment")
            || (s.kind() == "return_statement" && s.named_child_count() == 0)
    });
    result
}

/// Whether a block is just `return true;`.
fn returns_true(body: Node<'_>) -> bool {
    let mut cursor = body.walk();
    let statements: Vec<Node<'_>> = body
        .named_children(&mut cursor)
        .filter(|s| !s.kind().ends_with("comment"))
        .collect();
    matches!(statements.as_slice(), [only] if only.kind() == "return_statement"
        && only.named_child(0).is_some_and(|v| v.kind() == "true"))
}

/// Trust managers and hostname verifiers declared in the file that accept anything.
fn trust_all_declarations(ctx: &Context<'_>) -> Vec<Hit> {
    let mut hits = Vec::new();
    syntax::walk(ctx.tree, |node, _| {
        if node.kind() != "method_declaration" {
            return true;
        }
        let (Some(name), Some(body)) = (
            node.child_by_field_name("name"),
            node.child_by_field_name("body"),
        ) else {
            return true;
        };
        let arity = node
            .child_by_field_name("parameters")
            .map_or(0, |p| p.named_child_count());
        match ctx.node_text(name) {
            "checkServerTrusted" if arity == 2 && accepts_everything(body) => {
                hits.push(Hit::new(name.byte_range(), "trust-manager"));
            }
            "verify" if arity == 2 && returns_true(body) => {
                let in_verifier = ctx
                    .text(
                        node.parent()
                            .and_then(|b| b.parent())
                            .map_or(0..0, |c| c.byte_range()),
                    )
                    .contains("HostnameVerifier");
                if in_verifier {
                    hits.push(Hit::new(name.byte_range(), "hostname-verifier"));
                }
            }
            _ => {}
        }
        true
    });
    hits
}

/// `setHostnameVerifier((h, s) -> true)` and Apache's no-op verifiers.
fn permissive_verifier(ctx: &Context<'_>, call: &Call) -> Option<Hit> {
    let (class, method) = split_call(call);
    let noop = class.ends_with("NoopHostnameVerifier") && method.is_empty();
    if noop {
        return Some(Hit::new(call.range.clone(), "hostname-verifier"));
    }
    if !matches!(
        method,
        "setHostnameVerifier" | "setDefaultHostnameVerifier" | "setSSLHostnameVerifier"
    ) {
        return None;
    }
    let arg = call.positional(0)?;
    let node = ctx.node_at(arg.range.clone())?;
    let permissive = match node.kind() {
        "lambda_expression" => node
            .child_by_field_name("body")
            .is_some_and(|b| b.kind() == "true" || (b.kind() == "block" && returns_true(b))),
        "field_access" | "identifier" => {
            let text = ctx.node_text(node);
            text.ends_with("NoopHostnameVerifier.INSTANCE")
                || text.ends_with("ALLOW_ALL_HOSTNAME_VERIFIER")
        }
        _ => false,
    };
    permissive.then(|| Hit::new(arg.range.clone(), "hostname-verifier"))
}

impl Detector for InsecureCryptography {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        let mut hits = trust_all_declarations(ctx);
        for call in &ctx.facts.calls {
            if call.name == "javax.crypto.Cipher.getInstance" {
                if let Some(arg) = call.positional(0) {
                    if let Some(why) = arg.value.const_str().and_then(weak_transformation) {
                        hits.push(Hit::new(arg.range.clone(), format!("cipher:{why}")));
                    }
                }
            } else if let Some((bits, minimum)) = short_key(ctx, call) {
                if let Some(arg) = call.positional(0) {
                    hits.push(Hit::new(arg.range.clone(), format!("key:{bits}:{minimum}")));
                }
            } else if let Some(hit) = permissive_verifier(ctx, call) {
                hits.push(hit);
            }
        }
        hits.sort_by_key(|h| h.range.start);
        hits
    }

    fn message(&self, _ctx: &Context<'_>, hit: &Hit) -> String {
        if let Some(why) = hit.subject.strip_prefix("cipher:") {
            return format!(
                "Insecure cryptography (CWE-327): this cipher transformation uses {why}, which \
                 does not protect the data. Use an authenticated mode such as \
                 `AES/GCM/NoPadding` with a fresh IV per message."
            );
        }
        if let Some(rest) = hit.subject.strip_prefix("key:") {
            let (bits, minimum) = rest.split_once(':').unwrap_or((rest, "2048"));
            return format!(
                "Insecure cryptography (CWE-326): a {bits}-bit key is too short for this \
                 algorithm and can be broken. Use at least {minimum} bits."
            );
        }
        if hit.subject == "trust-manager" {
            return "Insecure cryptography (CWE-295): this trust manager accepts every \
                    certificate, so anyone on the network can impersonate the server and read \
                    the TLS traffic. Use the default trust manager, or a trust store holding the \
                    certificates you expect."
                .to_string();
        }
        "Insecure cryptography (CWE-295): this hostname verifier accepts any host name, so a \
         certificate for another site is accepted and the connection can be intercepted. Keep \
         the default hostname verification."
            .to_string()
    }

    fn fix(&self, ctx: &Context<'_>, hit: &Hit) -> Vec<Fix> {
        let Some(rest) = hit.subject.strip_prefix("key:") else {
            return Vec::new();
        };
        let minimum = rest.split_once(':').map_or("2048", |(_, m)| m);
        let replacement = if minimum == "224" { "256" } else { "2048" };
        let literal = ctx.text(hit.range.clone());
        if !literal.bytes().all(|b| b.is_ascii_digit()) {
            return Vec::new();
        }
        vec![Fix::new(
            format!("Use a {replacement}-bit key"),
            vec![Edit::replace(hit.range.clone(), replacement)],
            Applicability::Unsafe,
        )]
    }
}
