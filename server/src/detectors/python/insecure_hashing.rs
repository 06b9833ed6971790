//! `python/insecure-hashing@v1.0`: MD5, SHA-1 and older digests used where a secure hash is
//! needed.

use crate::analysis::Call;
use crate::detectors::{Context, Detector, DetectorMeta, Hit, Scope};
use crate::finding::{Applicability, Category, Edit, Fix, Severity};
use crate::lang::Language;

use super::{common, insecure_hashing_hashlib};

/// Flags weak hash algorithms from `hashlib`, PyCryptodome and `cryptography`.
pub struct InsecureHashing;

/// The detector's metadata and documentation.
pub static META: DetectorMeta = DetectorMeta {
    id: "python/insecure-hashing@v1.0",
    name: "Insecure hashing",
    language: Language::Python,
    severity: Severity::Medium,
    cwes: &[327, 328],
    category: Category::Security,
    express: true,
    docs: r#"## What it does
Flags hashes computed with broken algorithms: `hashlib.md5`, `hashlib.sha1` (and `md4`, `md2`,
`ripemd160`), `hashlib.new("md5")` and friends, PyCryptodome's `Crypto.Hash.MD5`/`SHA`/`SHA1`
(also under `Cryptodome`), and `cryptography`'s `hashes.MD5()`/`hashes.SHA1()`. Calls that pass
`usedforsecurity=False` declare a non-security use (a cache key, a file checksum) and are not
flagged, nor is SHA-1 as the digest of RSA OAEP or MGF1 padding, which needs no collision
resistance.
A hash computed over a password is reported by `insecure-hashing-hashlib` instead (whatever
the algorithm: passwords need a slow key-derivation function, not SHA-256), so one call gives
one finding.

## Why is this bad?
MD5 and SHA-1 collisions can be computed cheaply, so digests made with them cannot be trusted for
signatures, integrity checks, tokens or password storage (CWE-327, CWE-328).

## Example
```python
import hashlib
digest = hashlib.md5(data).hexdigest()
```

## Use instead
```python
import hashlib
digest = hashlib.sha256(data).hexdigest()
```
For passwords, use a slow key-derivation function (`hashlib.scrypt`, argon2, bcrypt) instead of
any plain hash. For non-security uses, keep the algorithm and pass `usedforsecurity=False`.

## Fix safety
The fix swaps the algorithm for SHA-256 (`hashlib.sha256`, `hashlib.new("sha256")`,
`hashes.SHA256()`). It is unsafe: the digests change, so values stored or compared elsewhere (in a
database, a protocol, another service) no longer match. A second fix adds
`usedforsecurity=False` for hashes that are not security-relevant.

## References
- [CWE-327: Use of a Broken or Risky Cryptographic Algorithm](https://cwe.mitre.org/data/definitions/327.html)
- [CWE-328: Use of Weak Hash](https://cwe.mitre.org/data/definitions/328.html)
- [Python `hashlib`](https://docs.python.org/3/library/hashlib.html)
"#,
};

const WEAK: [&str; 6] = ["md5", "sha1", "md4", "md2", "sha", "ripemd160"];

/// How a weak hash was requested.
enum Shape {
    /// `hashlib.md5(...)`: the function name is the algorithm.
    HashlibFunction,
    /// `hashlib.new("md5")`: a string argument names it.
    HashlibNew,
    /// `hashes.MD5()` from `cryptography`.
    Cryptography,
    /// `MD5.new()` from PyCryptodome.
    Pycryptodome,
}

fn classify(call: &Call) -> Option<Shape> {
    let name = call.name.as_str();
    if let Some(algorithm) = name.strip_prefix("hashlib.") {
        if algorithm == "new" {
            let requested = call.arg(0, "name")?.value.const_str()?.to_ascii_lowercase();
            return WEAK
                .contains(&requested.as_str())
                .then_some(Shape::HashlibNew);
        }
        return WEAK.contains(&algorithm).then_some(Shape::HashlibFunction);
    }
    if let Some(class) = name.strip_prefix("cryptography.hazmat.primitives.hashes.") {
        return matches!(class, "MD5" | "SHA1").then_some(Shape::Cryptography);
    }
    for package in ["Crypto.Hash.", "Cryptodome.Hash."] {
        if let Some(rest) = name.strip_prefix(package) {
            let module = crate::analysis::first_segment(rest);
            return matches!(module, "MD5" | "MD4" | "MD2" | "SHA" | "SHA1" | "RIPEMD")
                .then_some(Shape::Pycryptodome);
        }
    }
    None
}

/// A local name bound to the module itself (`import hashlib`, `import hashlib as h`).
fn module_alias<'c>(ctx: &'c Context<'_>, module: &str) -> Option<&'c str> {
    let mut names: Vec<&str> = ctx
        .facts
        .imports
        .iter()
        .filter(|(_, qualified)| *qualified == module)
        .map(|(local, _)| local)
        .collect();
    names.sort_unstable_by_key(|local| (*local != module, *local));
    names.first().copied()
}

/// Whether a `cryptography` hash is the digest of an OAEP or MGF1 padding, which needs no
/// collision resistance (SHA-1 there is still considered safe).
fn in_padding(ctx: &Context<'_>, call: &Call) -> bool {
    call.name.starts_with("cryptography.")
        && ctx.facts.calls.iter().any(|outer| {
            matches!(outer.method_name(), "OAEP" | "MGF1")
                && outer.name.contains("padding")
                && outer
                    .args
                    .iter()
                    .any(|a| a.range.start <= call.range.start && call.range.end <= a.range.end)
        })
}

fn find_call<'c>(ctx: &'c Context<'_>, hit: &Hit) -> Option<&'c Call> {
    ctx.facts.call_at(&hit.anchor)
}

impl Detector for InsecureHashing {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn scope(&self) -> Scope {
        Scope::Definition
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        ctx.facts
            .calls
            .iter()
            .filter(|call| !common::keyword_is_false(call, "usedforsecurity"))
            .filter(|call| !in_padding(ctx, call))
            // Passwords are `insecure-hashing-hashlib`'s: one finding per hash call.
            .filter(|call| insecure_hashing_hashlib::password_hash(ctx, call).is_none())
            .filter_map(|call| {
                let shape = classify(call)?;
                let range = match shape {
                    Shape::HashlibNew => call.arg(0, "name")?.range.clone(),
                    _ => call.callee_range.clone(),
                };
                Some(Hit::new(range, call.name.clone()).with_anchor(call.range.clone()))
            })
            .collect()
    }

    fn message(&self, ctx: &Context<'_>, hit: &Hit) -> String {
        let algorithm = find_call(ctx, hit)
            .and_then(|c| match classify(c) {
                Some(Shape::HashlibNew) => c.arg(0, "name")?.value.const_str().map(str::to_string),
                _ => c
                    .name
                    .split('.')
                    .find(|s| WEAK.contains(&s.to_ascii_lowercase().as_str()) || *s == "RIPEMD")
                    .map(str::to_string),
            })
            .unwrap_or_else(|| "a weak algorithm".to_string());
        format!(
            "`{}` hashes with {} ({}), which is broken: collisions can be computed, so the digest \
             cannot protect integrity, signatures, tokens or passwords. Use SHA-256 or stronger \
             (a slow KDF such as scrypt or argon2 for passwords); if this hash is not used for \
             security, pass `usedforsecurity=False`.",
            hit.subject,
            algorithm.to_ascii_uppercase(),
            META.cwe_list()
        )
    }

    fn fix(&self, ctx: &Context<'_>, hit: &Hit) -> Vec<Fix> {
        let Some(call) = find_call(ctx, hit) else {
            return Vec::new();
        };
        let mut fixes = Vec::new();
        match classify(call) {
            Some(Shape::HashlibFunction) => {
                if let Some(attr) = common::callee_attribute(ctx, call) {
                    fixes.push(Fix::new(
                        "Use hashlib.sha256",
                        vec![Edit::replace(attr, "sha256")],
                        Applicability::Unsafe,
                    ));
                } else if let Some(module) = module_alias(ctx, "hashlib") {
                    // `from hashlib import md5` with `hashlib` also imported as a module.
                    fixes.push(Fix::new(
                        "Use hashlib.sha256",
                        vec![Edit::replace(
                            call.callee_range.clone(),
                            format!("{module}.sha256"),
                        )],
                        Applicability::Unsafe,
                    ));
                }
            }
            Some(Shape::HashlibNew) => {
                if let Some(content) = call
                    .arg(0, "name")
                    .and_then(|a| common::string_content_range(ctx, a.range.clone()))
                {
                    fixes.push(Fix::new(
                        "Use SHA-256",
                        vec![Edit::replace(content, "sha256")],
                        Applicability::Unsafe,
                    ));
                }
            }
            Some(Shape::Cryptography) => {
                if let Some(attr) = common::callee_attribute(ctx, call) {
                    fixes.push(Fix::new(
                        "Use hashes.SHA256",
                        vec![Edit::replace(attr, "SHA256")],
                        Applicability::Unsafe,
                    ));
                }
            }
            Some(Shape::Pycryptodome) | None => {}
        }
        // Only as an alternative: silencing is never the preferred fix.
        if !fixes.is_empty()
            && call.name.starts_with("hashlib.")
            && call.keyword("usedforsecurity").is_none()
        {
            let close = call.range.end.saturating_sub(1);
            if ctx.text(close..call.range.end) == ")" {
                let needs_comma = !call.args.is_empty()
                    && !ctx
                        .text(call.callee_range.end..close)
                        .trim_end()
                        .ends_with(',');
                let text = if needs_comma {
                    ", usedforsecurity=False"
                } else {
                    "usedforsecurity=False"
                };
                fixes.push(Fix::new(
                    "Mark as not used for security (usedforsecurity=False)",
                    vec![Edit::insert(close, text)],
                    Applicability::Unsafe,
                ));
            }
        }
        fixes
    }
}
