//! `javascript/cryptographic-key-generator@v1.0`: keys generated too short or on weak curves.

use crate::analysis::{Arg, Call, CallKind, Constant};
use crate::detectors::{Context, Detector, DetectorMeta, Hit};
use crate::finding::{Applicability, Category, Edit, Fix, Severity};
use crate::lang::Language;

use super::support::field_range;

/// The detector.
pub static CRYPTOGRAPHIC_KEY_GENERATOR: CryptographicKeyGenerator = CryptographicKeyGenerator;

/// Flags RSA/DSA/DH keys under 2048 bits, symmetric keys under 128 bits and weak EC curves.
pub struct CryptographicKeyGenerator;

static META: DetectorMeta = DetectorMeta {
    id: "javascript/cryptographic-key-generator@v1.0",
    name: "Cryptographic key generator",
    language: Language::JavaScript,
    severity: Severity::High,
    cwes: &[326],
    category: Category::Security,
    express: true,
    docs: r#"## What it does
Flags key generation with a constant size that is too small: `crypto.generateKeyPair`/
`generateKeyPairSync` for `rsa`, `rsa-pss`, `dsa` and `dh` with `modulusLength`/`primeLength`
under 2048 bits, `crypto.createDiffieHellman(bits)` under 2048, `crypto.generateKey`/
`generateKeySync` for `hmac`/`aes` with `length` under 128, `ec` keys on curves of fewer than
224 bits (`secp112r1`, `secp160r1`, `prime192v1`, ...), and `node-rsa`'s `new NodeRSA({ b })`
under 2048. The catalogue gives no CWE; Codeward uses CWE-326.

Sizes that are not constants, and keys imported rather than generated, are not checked.

## Why is this bad?
RSA-1024 and DH-1024 are within reach of well-funded attackers, 512-bit keys of anyone, and
small curves and short symmetric keys are brute-forced: whatever the key protects can be
decrypted or forged.

## Example
```javascript
const { publicKey, privateKey } = crypto.generateKeyPairSync("rsa", { modulusLength: 1024 });
```

## Use instead
```javascript
const { publicKey, privateKey } = crypto.generateKeyPairSync("rsa", { modulusLength: 3072 });
```

## Fix safety
The fix raises RSA/DSA/DH sizes to 2048 bits. It is unsafe: signatures and ciphertexts become
longer, generation slower, and peers limited to the old size may reject the key.

## References
- [CWE-326: Inadequate Encryption Strength](https://cwe.mitre.org/data/definitions/326.html)
- [NIST SP 800-131A Rev. 2](https://csrc.nist.gov/publications/detail/sp/800-131a/rev-2/final)
"#,
};

/// Curves with fewer than 224 bits.
const WEAK_CURVES: &[&str] = &[
    "secp112r1",
    "secp112r2",
    "secp128r1",
    "secp128r2",
    "secp160k1",
    "secp160r1",
    "secp160r2",
    "secp192k1",
    "prime192v1",
    "prime192v2",
    "prime192v3",
    "p-192",
    "sect113r1",
    "sect113r2",
    "sect131r1",
    "sect131r2",
    "sect163k1",
    "sect163r1",
    "sect163r2",
    "sect193r1",
    "sect193r2",
    "brainpoolp160r1",
    "brainpoolp192r1",
];

fn int(value: Option<&crate::analysis::Value>) -> Option<i64> {
    match value?.constant.as_ref()? {
        Constant::Int(i) => Some(*i),
        Constant::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => Some(*f as i64),
        _ => None,
    }
}

/// A hit on a numeric size field of `options` below `minimum`.
fn small_field(
    ctx: &Context<'_>,
    call: &Call,
    options: &Arg,
    key: &str,
    minimum: i64,
) -> Option<Hit> {
    let bits = int(options.value.field(key))?;
    (bits < minimum).then(|| {
        Hit::new(field_range(ctx, options, key), format!("{bits}-bit"))
            .with_anchor(call.range.clone())
    })
}

fn hit_of(ctx: &Context<'_>, call: &Call) -> Option<Hit> {
    match call.name.as_str() {
        "crypto.generateKeyPair" | "crypto.generateKeyPairSync" => {
            let kind = call.positional(0)?.value.const_str()?.to_ascii_lowercase();
            let options = call.positional(1)?;
            match kind.as_str() {
                "rsa" | "rsa-pss" | "dsa" => small_field(ctx, call, options, "modulusLength", 2048),
                "dh" => small_field(ctx, call, options, "primeLength", 2048),
                "ec" => {
                    let curve = options.value.field("namedCurve")?.const_str()?;
                    WEAK_CURVES
                        .contains(&curve.to_ascii_lowercase().as_str())
                        .then(|| {
                            Hit::new(field_range(ctx, options, "namedCurve"), curve)
                                .with_anchor(call.range.clone())
                        })
                }
                _ => None,
            }
        }
        "crypto.generateKey" | "crypto.generateKeySync" => {
            let kind = call.positional(0)?.value.const_str()?;
            if !matches!(kind, "hmac" | "aes") {
                return None;
            }
            small_field(ctx, call, call.positional(1)?, "length", 128)
        }
        "crypto.createDiffieHellman" => {
            let arg = call.positional(0)?;
            let bits = int(Some(&arg.value))?;
            (bits < 2048).then(|| {
                Hit::new(arg.range.clone(), format!("{bits}-bit")).with_anchor(call.range.clone())
            })
        }
        "node-rsa" if call.kind == CallKind::Constructor => {
            small_field(ctx, call, call.positional(0)?, "b", 2048)
        }
        _ => None,
    }
}

impl Detector for CryptographicKeyGenerator {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        ctx.facts
            .calls
            .iter()
            .filter_map(|c| hit_of(ctx, c))
            .collect()
    }

    fn message(&self, _ctx: &Context<'_>, hit: &Hit) -> String {
        if hit.subject.ends_with("-bit") {
            format!(
                "A {} key is too short (CWE-326): it can be broken, exposing what it protects. Use \
                 at least 2048 bits for RSA, DSA and DH (3072 for long-lived keys) and 128 bits \
                 for symmetric keys.",
                hit.subject
            )
        } else {
            format!(
                "The elliptic curve `{}` is too small (CWE-326): its keys can be broken. Use \
                 `prime256v1` (P-256), `secp384r1` or Ed25519.",
                hit.subject
            )
        }
    }

    fn fix(&self, ctx: &Context<'_>, hit: &Hit) -> Vec<Fix> {
        let Some(bits) = hit.subject.strip_suffix("-bit") else {
            return Vec::new();
        };
        // Only asymmetric sizes written as a number literal right there.
        let Ok(bits) = bits.parse::<i64>() else {
            return Vec::new();
        };
        let symmetric = ctx
            .facts
            .call_at(&hit.anchor)
            .is_none_or(|c| c.name.starts_with("crypto.generateKey") && !c.name.contains("Pair"));
        let node = ctx.node_at(hit.range.clone());
        if symmetric || node.is_none_or(|n| n.kind() != "number") || bits <= 0 {
            return Vec::new();
        }
        vec![Fix::new(
            "Use a 2048-bit key",
            vec![Edit::replace(hit.range.clone(), "2048")],
            Applicability::Unsafe,
        )]
    }
}
