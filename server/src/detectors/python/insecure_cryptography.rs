//! `python/insecure-cryptography@v1.0`: broken ciphers, ECB mode and obsolete TLS versions.

use std::ops::Range;

use crate::analysis::Call;
use crate::detectors::{Context, Detector, DetectorMeta, Hit, Scope};
use crate::finding::{Applicability, Category, Edit, Fix, Severity};
use crate::lang::Language;

use super::common;

/// Flags DES, 3DES, RC2, RC4, Blowfish, IDEA, CAST5 and XOR ciphers, ECB mode, and SSL / TLS
/// 1.0 / 1.1 protocol choices.
pub struct InsecureCryptography;

/// The detector's metadata and documentation.
pub static META: DetectorMeta = DetectorMeta {
    id: "python/insecure-cryptography@v1.0",
    name: "Insecure cryptography",
    language: Language::Python,
    severity: Severity::Critical,
    cwes: &[327],
    category: Category::Security,
    express: true,
    docs: r#"## What it does
Flags broken or obsolete cryptography, with aliases resolved: ciphers created with DES, Triple
DES, RC2, RC4 (ARC4), Blowfish, IDEA, CAST5, SEED or XOR in PyCryptodome / PyCrypto
(`Crypto.Cipher.DES.new`, ...) and `cryptography` (`algorithms.TripleDES(...)`, ...); the ECB
mode (`AES.new(key, AES.MODE_ECB)`, `modes.ECB()`); and SSL 2/3, TLS 1.0 and TLS 1.1 chosen as
the protocol (`ssl.PROTOCOL_SSLv3`, `ssl.PROTOCOL_TLSv1`, `ssl.PROTOCOL_TLSv1_1` passed to
`ssl.SSLContext` / `ssl_version=`), or as `minimum_version` (`ssl.TLSVersion.TLSv1`).
AES in GCM, CCM, CTR or CBC mode, ChaCha20 and TLS 1.2+ are not flagged. It does not judge key
sizes, IV reuse or padding, nor ciphers chosen by name strings (`set_ciphers("...")`).

## Why is this bad?
These ciphers have small keys or blocks, or known biases, and can be broken or distinguished
with practical effort; ECB encrypts equal blocks to equal ciphertext, leaking the structure of
the data; SSL and TLS before 1.2 have protocol attacks (POODLE, BEAST) and are disabled by
modern peers (CWE-327).

## Example
```python
import ssl
from Crypto.Cipher import DES

cipher = DES.new(key, DES.MODE_CBC, iv)
context = ssl.SSLContext(ssl.PROTOCOL_TLSv1)
```

## Use instead
```python
import ssl
from Crypto.Cipher import AES

cipher = AES.new(key, AES.MODE_GCM)
context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
```

## Fix safety
For protocol constants the fix uses `ssl.PROTOCOL_TLS_CLIENT`, and for `minimum_version`
`ssl.TLSVersion.TLSv1_2`; server-side contexts need `PROTOCOL_TLS_SERVER` instead, which the fix
cannot tell apart. It is unsafe: peers that only speak the old
protocols can no longer connect, and `PROTOCOL_TLS_CLIENT` also checks host names. Ciphers and
modes get no automatic fix: data encrypted with them must be migrated.

## References
- [CWE-327: Use of a Broken or Risky Cryptographic Algorithm](https://cwe.mitre.org/data/definitions/327.html)
- [RFC 8996: Deprecating TLS 1.0 and TLS 1.1](https://www.rfc-editor.org/rfc/rfc8996)
- [cryptography: symmetric encryption](https://cryptography.io/en/latest/hazmat/primitives/symmetric-encryption/)
"#,
};

const WEAK_CIPHERS: [&str; 10] = [
    "DES",
    "DES3",
    "TripleDES",
    "ARC2",
    "ARC4",
    "Blowfish",
    "IDEA",
    "CAST5",
    "SEED",
    "XOR",
];

const WEAK_PROTOCOLS: [&str; 4] = [
    "ssl.PROTOCOL_SSLv2",
    "ssl.PROTOCOL_SSLv3",
    "ssl.PROTOCOL_TLSv1",
    "ssl.PROTOCOL_TLSv1_1",
];

const WEAK_VERSIONS: [&str; 3] = [
    "ssl.TLSVersion.SSLv3",
    "ssl.TLSVersion.TLSv1",
    "ssl.TLSVersion.TLSv1_1",
];

/// A weak cipher construction, as `(what, range)`.
fn weak_cipher(ctx: &Context<'_>, call: &Call) -> Option<(String, Range<usize>)> {
    let name = call.name.as_str();
    for prefix in ["Crypto.Cipher.", "Cryptodome.Cipher."] {
        if let Some(rest) = name.strip_prefix(prefix) {
            let (cipher, function) = crate::analysis::split_first_dot(rest)?;
            if function != "new" {
                return None;
            }
            if WEAK_CIPHERS.contains(&cipher) {
                return Some((cipher.to_string(), call.callee_range.clone()));
            }
            // `AES.new(key, AES.MODE_ECB)`
            let mode = call.arg(1, "mode")?;
            let qualified = common::qualified_at(ctx, mode.range.clone())?;
            return qualified
                .ends_with(".MODE_ECB")
                .then(|| ("ECB mode".to_string(), mode.range.clone()));
        }
    }
    let rest = name.strip_prefix("cryptography.hazmat.primitives.ciphers.")?;
    match crate::analysis::split_last_dot(rest)? {
        ("algorithms", cipher) if WEAK_CIPHERS.contains(&cipher) => {
            Some((cipher.to_string(), call.callee_range.clone()))
        }
        ("modes", "ECB") => Some(("ECB mode".to_string(), call.callee_range.clone())),
        _ => None,
    }
}

/// A weak protocol argument, as `(constant, range)`.
fn weak_protocol(ctx: &Context<'_>, call: &Call) -> Option<(String, Range<usize>)> {
    let arg = match call.name.as_str() {
        "ssl.SSLContext" => call.arg(0, "protocol")?,
        "ssl.wrap_socket" | "ssl.get_server_certificate" => call.keyword("ssl_version")?,
        _ => return None,
    };
    let qualified = common::qualified_at(ctx, arg.range.clone())?;
    WEAK_PROTOCOLS
        .contains(&qualified.as_str())
        .then(|| (qualified, arg.range.clone()))
}

impl Detector for InsecureCryptography {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn scope(&self) -> Scope {
        Scope::Definition
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        let mut hits = Vec::new();
        for call in &ctx.facts.calls {
            if let Some((what, range)) = weak_cipher(ctx, call).or_else(|| weak_protocol(ctx, call))
            {
                hits.push(Hit::new(range, what).with_anchor(call.range.clone()));
            }
        }
        for store in &ctx.facts.stores {
            if !store.target.ends_with(".minimum_version") {
                continue;
            }
            let Some(value) = common::store_value_range(ctx, store) else {
                continue;
            };
            if let Some(q) = common::qualified_at(ctx, value.clone()) {
                if WEAK_VERSIONS.contains(&q.as_str()) {
                    hits.push(Hit::new(value.clone(), q).with_anchor(value));
                }
            }
        }
        hits
    }

    fn message(&self, _ctx: &Context<'_>, hit: &Hit) -> String {
        let what = &hit.subject;
        if what.starts_with("ssl.") {
            return format!(
                "`{what}` allows SSL or TLS before 1.2, protocols with known attacks that modern \
                 peers reject ({}). Use `ssl.PROTOCOL_TLS_CLIENT` / `PROTOCOL_TLS_SERVER` and a \
                 minimum version of TLS 1.2.",
                META.cwe_list()
            );
        }
        format!(
            "{what} is a broken or risky choice for encryption: its key or block size, biases or \
             lack of diffusion let attackers recover or infer the data ({}). Use AES-GCM or \
             ChaCha20-Poly1305.",
            META.cwe_list()
        )
    }

    fn fix(&self, ctx: &Context<'_>, hit: &Hit) -> Vec<Fix> {
        let safe = if hit.subject.starts_with("ssl.PROTOCOL_") {
            "PROTOCOL_TLS_CLIENT"
        } else if hit.subject.starts_with("ssl.TLSVersion.") {
            "TLSv1_2"
        } else {
            return Vec::new();
        };
        let Some(node) = ctx
            .node_at(hit.range.clone())
            .filter(|n| n.kind() == "attribute")
        else {
            return Vec::new();
        };
        let Some(attribute) = node.child_by_field_name("attribute") else {
            return Vec::new();
        };
        vec![Fix::new(
            format!("Use {safe}"),
            vec![Edit::replace(attribute.byte_range(), safe)],
            Applicability::Unsafe,
        )]
    }
}
