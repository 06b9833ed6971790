//! `javascript/insecure-hashing@v1.0`: MD5, SHA-1 and other broken hash functions.

use crate::analysis::Call;
use crate::detectors::{Context, Detector, DetectorMeta, Hit};
use crate::finding::{Applicability, Category, Edit, Fix, Severity};
use crate::lang::Language;

/// The detector.
pub static INSECURE_HASHING: InsecureHashing = InsecureHashing;

/// Flags `crypto.createHash('md5')` and friends, the `md5`/`sha1` packages and `CryptoJS.MD5`.
pub struct InsecureHashing;

static META: DetectorMeta = DetectorMeta {
    id: "javascript/insecure-hashing@v1.0",
    name: "Insecure hashing",
    language: Language::JavaScript,
    severity: Severity::Medium,
    cwes: &[327, 328],
    category: Category::Security,
    express: true,
    docs: r#"## What it does
Flags hashes computed with a broken algorithm: `crypto.createHash` or `crypto.hash` with `md5`,
`md4`, `md2`, `sha1`, `md5-sha1`, `ripemd160` (the name may be built from constants), the `md5`,
`sha1`, `js-md5`, `js-sha1` and `blueimp-md5` packages, and CryptoJS's `MD5`/`SHA1`/`RIPEMD160`.
The catalogue gives no severity; we chose Medium (CWE-327/328): a weak hash rarely gives an
attacker control by itself, but breaks integrity checks and signatures that rely on it.
`crypto.createHmac('md5' | 'sha1', key)` is not flagged: HMAC's security does not rest on
collision resistance, and HMAC-SHA1 is still required by TOTP and many webhook protocols.

## Why is this bad?
Collisions for MD5 and SHA-1 can be computed cheaply, so two different inputs — a benign and a
malicious file, certificate or message — can share a digest. Anything that uses the digest to
identify, deduplicate, sign or verify content can be fooled; for passwords they are also far
too fast to compute.

## Example
```javascript
const digest = crypto.createHash("md5").update(file).digest("hex");
```

## Use instead
```javascript
const digest = crypto.createHash("sha256").update(file).digest("hex");
// Passwords: crypto.scrypt / argon2 / bcrypt, never a plain hash.
```

## Fix safety
The fix replaces the algorithm name with `'sha256'` (or `CryptoJS.MD5` with `CryptoJS.SHA256`). It
is unsafe: digests change length and value, so stored hashes, caches and protocols that expect
the old digest stop matching.

## References
- [CWE-327: Use of a Broken or Risky Cryptographic Algorithm](https://cwe.mitre.org/data/definitions/327.html)
- [CWE-328: Use of Weak Hash](https://cwe.mitre.org/data/definitions/328.html)
"#,
};

const WEAK: &[&str] = &[
    "md5",
    "md4",
    "md2",
    "sha1",
    "sha-1",
    "md5-sha1",
    "ripemd160",
    "ripemd",
    "rmd160",
    "ripemd-160",
    "rsa-md5",
    "rsa-sha1",
];

/// Package functions that hash with a weak algorithm.
const WEAK_FUNCTIONS: &[&str] = &[
    "md5",
    "sha1",
    "js-md5",
    "js-sha1",
    "blueimp-md5",
    "crypto-js.MD5",
    "crypto-js.SHA1",
    "crypto-js.RIPEMD160",
    "crypto-js/md5",
    "crypto-js/sha1",
    "crypto-js/ripemd160",
    "CryptoJS.MD5",
    "CryptoJS.SHA1",
    "CryptoJS.RIPEMD160",
];

fn weak_algorithm(call: &Call) -> Option<String> {
    if !matches!(call.name.as_str(), "crypto.createHash" | "crypto.hash") {
        return None;
    }
    let alg = call.positional(0)?.value.const_str()?.to_ascii_lowercase();
    WEAK.contains(&alg.as_str()).then_some(alg)
}

impl Detector for InsecureHashing {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        let mut hits = Vec::new();
        for call in &ctx.facts.calls {
            if let (Some(alg), Some(arg)) = (weak_algorithm(call), call.positional(0)) {
                hits.push(Hit::new(arg.range.clone(), alg).with_anchor(call.range.clone()));
            } else if WEAK_FUNCTIONS.contains(&call.name.as_str()) {
                let alg = call
                    .method_name()
                    .trim_start_matches("blueimp-")
                    .replace("js-", "");
                hits.push(
                    Hit::new(call.callee_range.clone(), alg.to_ascii_lowercase())
                        .with_anchor(call.range.clone()),
                );
            }
        }
        hits
    }

    fn message(&self, _ctx: &Context<'_>, hit: &Hit) -> String {
        format!(
            "`{}` is a broken hash algorithm (CWE-327, CWE-328): collisions can be computed, so \
             digests cannot be trusted to identify or protect content. Use SHA-256 or stronger \
             (`crypto.createHash('sha256')`); for passwords use scrypt, bcrypt or Argon2.",
            hit.subject.to_ascii_uppercase()
        )
    }

    fn fix(&self, ctx: &Context<'_>, hit: &Hit) -> Vec<Fix> {
        let Some(node) = ctx.node_at(hit.range.clone()) else {
            return Vec::new();
        };
        match node.kind() {
            "string" => {
                let quote = ctx.node_text(node).chars().next().unwrap_or('\'');
                vec![Fix::new(
                    "Use SHA-256",
                    vec![Edit::replace(
                        hit.range.clone(),
                        format!("{quote}sha256{quote}"),
                    )],
                    Applicability::Unsafe,
                )]
            }
            "member_expression" => {
                let Some(property) = node.child_by_field_name("property") else {
                    return Vec::new();
                };
                let object = node.child_by_field_name("object").map(|o| ctx.node_text(o));
                if object != Some("CryptoJS") {
                    return Vec::new();
                }
                vec![Fix::new(
                    "Use CryptoJS.SHA256",
                    vec![Edit::replace(property.byte_range(), "SHA256")],
                    Applicability::Unsafe,
                )]
            }
            _ => Vec::new(),
        }
    }
}
