//! `java/insecure-hashing`: MD2, MD4, MD5 and SHA-1 digests.

use crate::detectors::{Context, Detector, DetectorMeta, Hit};
use crate::finding::{Applicability, Category, Edit, Fix, Severity};
use crate::lang::Language;

/// Flags weak digest algorithms requested from `MessageDigest`, Commons Codec or Guava.
pub struct InsecureHashing;

/// The detector instance.
pub static INSECURE_HASHING: InsecureHashing = InsecureHashing;

static META: DetectorMeta = DetectorMeta {
    id: "java/insecure-hashing@v1.0",
    name: "Insecure hashing",
    language: Language::Java,
    severity: Severity::Medium,
    cwes: &[327, 328],
    category: Category::Security,
    express: true,
    docs: r#"## What it does
Flags requests for the MD2, MD4, MD5 and SHA-1 digests: `MessageDigest.getInstance("MD5")` (also
when the algorithm name comes from a constant, concatenation or `String.format`, or is the default
of a `Properties.getProperty` / `System.getProperty` lookup), Apache Commons
Codec's `DigestUtils.md5*` / `md2*` / `sha1*` / `sha` / `shaHex`, and Guava's `Hashing.md5()` /
`Hashing.sha1()`. The catalogue publishes no severity; Codeward uses Medium with CWE-327 / CWE-328.

## Why is this bad?
Collisions can be computed for MD5 and SHA-1 (and MD2/MD4 are broken outright), so a digest made
with them no longer proves integrity: two different documents, certificates or downloads can share
a hash. Used for passwords they are also fast to brute-force.

## Example
```java
MessageDigest md = MessageDigest.getInstance("MD5");
String id = DigestUtils.sha1Hex(payload);
```

## Use instead
```java
MessageDigest md = MessageDigest.getInstance("SHA-256");
String id = DigestUtils.sha256Hex(payload);
```
For passwords use a slow, salted scheme (bcrypt, scrypt, Argon2, PBKDF2) instead of any digest.

## Fix safety
The fix switches to SHA-256. It is unsafe: every digest the code produces changes, so stored hashes,
checksums compared with other systems, or cache keys no longer match. Apply it only where the
digest is not persisted or exchanged, or migrate the stored values.

## References
- [CWE-327: Use of a Broken or Risky Cryptographic Algorithm](https://cwe.mitre.org/data/definitions/327.html)
- [CWE-328: Use of Weak Hash](https://cwe.mitre.org/data/definitions/328.html)
"#,
};

const WEAK_ALGORITHMS: &[&str] = &["MD2", "MD4", "MD5", "SHA-1", "SHA1", "SHA"];

/// Commons Codec methods with a weak digest, and their SHA-256 replacement.
const DIGEST_UTILS: &[(&str, &str)] = &[
    ("md2", "sha256"),
    ("md2Hex", "sha256Hex"),
    ("md5", "sha256"),
    ("md5Hex", "sha256Hex"),
    ("sha", "sha256"),
    ("shaHex", "sha256Hex"),
    ("sha1", "sha256"),
    ("sha1Hex", "sha256Hex"),
];

/// Guava hash functions that are weak, and their replacement.
const GUAVA: &[(&str, &str)] = &[("md5", "sha256"), ("sha1", "sha256")];

const DIGEST_UTILS_CLASS: &str = "org.apache.commons.codec.digest.DigestUtils";
const GUAVA_CLASS: &str = "com.google.common.hash.Hashing";

impl Detector for InsecureHashing {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        let mut hits = Vec::new();
        for call in &ctx.facts.calls {
            let method = call.method_name();
            let class = call
                .name
                .strip_suffix(method)
                .and_then(|c| c.strip_suffix('.'));
            match class {
                Some("java.security.MessageDigest") if method == "getInstance" => {
                    let Some(arg) = call.positional(0) else {
                        continue;
                    };
                    // A constant, or the fallback of a configuration lookup.
                    let algorithm = arg.value.const_str().or_else(|| {
                        arg.value
                            .field(crate::analysis::java::DEFAULT_FIELD)
                            .and_then(|d| d.const_str())
                    });
                    let Some(algorithm) = algorithm else {
                        continue;
                    };
                    if WEAK_ALGORITHMS
                        .iter()
                        .any(|w| w.eq_ignore_ascii_case(algorithm.trim()))
                    {
                        hits.push(
                            Hit::new(arg.range.clone(), format!("MessageDigest \"{algorithm}\""))
                                .with_anchor(arg.range.clone()),
                        );
                    }
                }
                Some(DIGEST_UTILS_CLASS) if DIGEST_UTILS.iter().any(|(m, _)| *m == method) => {
                    hits.push(
                        Hit::new(call.range.clone(), format!("DigestUtils.{method}"))
                            .with_anchor(call.callee_range.clone()),
                    );
                }
                Some(GUAVA_CLASS) if GUAVA.iter().any(|(m, _)| *m == method) => {
                    hits.push(
                        Hit::new(call.range.clone(), format!("Hashing.{method}()"))
                            .with_anchor(call.callee_range.clone()),
                    );
                }
                _ => {}
            }
        }
        hits
    }

    fn message(&self, _ctx: &Context<'_>, hit: &Hit) -> String {
        format!(
            "{} uses a broken hash algorithm (CWE-327, CWE-328): collisions can be computed, so \
             the digest no longer proves integrity, and it is fast to brute-force for passwords. \
             Use SHA-256 or stronger (and bcrypt, scrypt, Argon2 or PBKDF2 for passwords).",
            hit.subject
        )
    }

    fn fix(&self, ctx: &Context<'_>, hit: &Hit) -> Vec<Fix> {
        let anchor_text = ctx.text(hit.anchor.clone());
        if hit.range == hit.anchor {
            // The algorithm argument: only a literal is rewritten (a named constant may be shared).
            if !anchor_text.starts_with('"') {
                return Vec::new();
            }
            return vec![Fix::new(
                "Use \"SHA-256\"",
                vec![Edit::replace(hit.anchor.clone(), "\"SHA-256\"")],
                Applicability::Unsafe,
            )];
        }
        // A Commons Codec or Guava call: rename the method at the end of the callee.
        let method = anchor_text.rsplit('.').next().unwrap_or("").trim();
        let table = if hit.subject.starts_with("DigestUtils") {
            DIGEST_UTILS
        } else {
            GUAVA
        };
        let Some((_, replacement)) = table.iter().find(|(m, _)| *m == method) else {
            return Vec::new();
        };
        let end = hit.anchor.end - (anchor_text.len() - anchor_text.trim_end().len());
        let start = end - method.len();
        vec![Fix::new(
            format!("Use `{replacement}`"),
            vec![Edit::replace(start..end, *replacement)],
            Applicability::Unsafe,
        )]
    }
}
