//! `javascript/insecure-cryptography@v1.0`: broken ciphers, cipher modes and JWT algorithms.

use crate::analysis::{Call, Constant, Value};
use crate::detectors::{Context, Detector, DetectorMeta, Hit};
use crate::finding::{Category, Severity};
use crate::lang::Language;

use super::support::field_range;

/// The detector.
pub static INSECURE_CRYPTOGRAPHY: InsecureCryptography = InsecureCryptography;

/// Flags `createCipher`, weak ciphers and ECB mode, and unverified JWTs.
pub struct InsecureCryptography;

static META: DetectorMeta = DetectorMeta {
    id: "javascript/insecure-cryptography@v1.0",
    name: "Insecure cryptography",
    language: Language::JavaScript,
    severity: Severity::Critical,
    cwes: &[327, 347],
    category: Category::Security,
    express: true,
    docs: r#"## What it does
Flags broken encryption and token verification:
- `crypto.createCipher`/`createDecipher` (deprecated: no IV, key derived from the password with
  one round of MD5);
- `crypto.createCipheriv`/`createDecipheriv` with a weak algorithm — DES and 3DES, RC2, RC4,
  Blowfish, IDEA, CAST, SEED — or any cipher in ECB mode (`aes-128-ecb`);
- CryptoJS `DES`, `TripleDES`, `RC4`, `Rabbit` ciphers and `mode: CryptoJS.mode.ECB`;
- `jsonwebtoken`: `verify` allowing the `none` algorithm or called without an `algorithms`
  list, and `sign` with `algorithm: 'none'`.

Not flagged: AES in GCM, CBC, CTR or other modes, ChaCha20-Poly1305, algorithm names that are not
constants, and `jwt.verify(token, key, { algorithms: ['RS256'] })`. It does not check key sizes
(see `javascript/cryptographic-key-generator`), IV reuse, or JWT libraries other than
`jsonwebtoken`.

## Why is this bad?
DES keys are brute-forced in hours, RC4 and 64-bit block ciphers leak plaintext (Sweet32), and
ECB encrypts equal blocks to equal ciphertext, so patterns in the data stay visible. A JWT
accepted with the `none` algorithm, or with whatever algorithm its header names, can be forged
by anyone (algorithm confusion turns an RSA public key into an HMAC secret).

## Example
```javascript
const cipher = crypto.createCipher("aes-256-cbc", password);
jwt.verify(token, publicKey);
```

## Use instead
```javascript
const key = crypto.scryptSync(password, salt, 32);
const iv = crypto.randomBytes(12);
const cipher = crypto.createCipheriv("aes-256-gcm", key, iv);
jwt.verify(token, publicKey, { algorithms: ["RS256"] });
```

## Fix safety
There is no automatic fix: a new algorithm or mode changes the ciphertext format, and needs keys,
IVs and authentication tags to be handled differently.

## References
- [CWE-327: Use of a Broken or Risky Cryptographic Algorithm](https://cwe.mitre.org/data/definitions/327.html)
- [CWE-347: Improper Verification of Cryptographic Signature](https://cwe.mitre.org/data/definitions/347.html)
- [Node.js crypto.createCipheriv](https://nodejs.org/api/crypto.html#cryptocreatecipherivalgorithm-key-iv-options)
"#,
};

/// Weak cipher name prefixes (lowercase).
const WEAK_CIPHERS: &[&str] = &[
    "des",
    "rc2",
    "rc4",
    "bf",
    "blowfish",
    "idea",
    "cast",
    "seed",
    "id-aes128-ecb",
];

/// CryptoJS ciphers that are weak.
const WEAK_CRYPTOJS: &[&str] = &["DES", "TripleDES", "RC4", "RC4Drop", "Rabbit"];

fn weak_cipher(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    WEAK_CIPHERS.iter().any(|w| n.starts_with(w)) || n.ends_with("-ecb") || n == "ecb"
}

fn is_none_alg(value: &Value) -> bool {
    match &value.constant {
        Some(Constant::Str(s)) => s.eq_ignore_ascii_case("none"),
        Some(Constant::List(items)) => items
            .iter()
            .any(|i| i.as_str().is_some_and(|s| s.eq_ignore_ascii_case("none"))),
        _ => false,
    }
}

fn hit_of(ctx: &Context<'_>, call: &Call) -> Option<Hit> {
    let name = call.name.as_str();
    match name {
        "crypto.createCipher" | "crypto.createDecipher" => {
            let method = call.method_name().to_string();
            Some(Hit::new(call.callee_range.clone(), method).with_anchor(call.range.clone()))
        }
        "crypto.createCipheriv" | "crypto.createDecipheriv" => {
            let arg = call.positional(0)?;
            let alg = arg.value.const_str()?;
            weak_cipher(alg)
                .then(|| Hit::new(arg.range.clone(), alg).with_anchor(call.range.clone()))
        }
        "jsonwebtoken.verify" => {
            let options = call.positional(2).filter(|o| !o.value.fields.is_empty());
            match options.and_then(|o| Some((o, o.value.field("algorithms")?))) {
                Some((o, algs)) if is_none_alg(algs) => Some(
                    Hit::new(field_range(ctx, o, "algorithms"), "jwt none")
                        .with_anchor(call.range.clone()),
                ),
                Some(_) => None,
                // Options built elsewhere (a parameter) may hold the list.
                None if call
                    .positional(2)
                    .is_some_and(|o| o.value.fields.is_empty()) =>
                {
                    None
                }
                None => Some(
                    Hit::new(call.callee_range.clone(), "jwt no algorithms")
                        .with_anchor(call.range.clone()),
                ),
            }
        }
        "jsonwebtoken.sign" => {
            let options = call.positional(2)?;
            let alg = options.value.field("algorithm")?;
            is_none_alg(alg).then(|| {
                Hit::new(field_range(ctx, options, "algorithm"), "jwt none")
                    .with_anchor(call.range.clone())
            })
        }
        _ => cryptojs_hit(ctx, call),
    }
}

fn cryptojs_hit(ctx: &Context<'_>, call: &Call) -> Option<Hit> {
    let (head, method) = call.name.rsplit_once('.')?;
    if !matches!(method, "encrypt" | "decrypt") {
        return None;
    }
    let (lib, cipher) = head.rsplit_once('.')?;
    if !matches!(lib, "CryptoJS" | "crypto-js") {
        return None;
    }
    if WEAK_CRYPTOJS.contains(&cipher) {
        return Some(Hit::new(call.callee_range.clone(), cipher).with_anchor(call.range.clone()));
    }
    let options = call.positional(2)?;
    let mode = options.value.field("mode")?;
    let ecb = mode
        .type_name
        .as_deref()
        .is_some_and(|t| t.ends_with("mode.ECB"))
        || ctx
            .text(field_range(ctx, options, "mode"))
            .ends_with("mode.ECB");
    ecb.then(|| Hit::new(field_range(ctx, options, "mode"), "ECB").with_anchor(call.range.clone()))
}

impl Detector for InsecureCryptography {
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
        match hit.subject.as_str() {
            "createCipher" | "createDecipher" => format!(
                "`crypto.{}` is deprecated and insecure (CWE-327): it uses no IV and derives the \
                 key from the password with a single MD5 round. Use `crypto.createCipheriv` with \
                 a key from `crypto.scrypt` and a random IV (AES-256-GCM).",
                hit.subject
            ),
            "jwt none" => "The JWT `none` algorithm is allowed (CWE-347): unsigned tokens are \
                 accepted, so anyone can forge one. Allow only the algorithm you issue \
                 (`algorithms: ['RS256']`)."
                .to_string(),
            "jwt no algorithms" => "`jwt.verify` is called without an `algorithms` list \
                 (CWE-347): the token's own header chooses the algorithm, which enables \
                 algorithm-confusion forgeries. Pass `{ algorithms: ['RS256'] }` (the algorithm \
                 you issue)."
                .to_string(),
            "ECB" => {
                "ECB mode encrypts equal blocks to equal ciphertext (CWE-327), so patterns in \
                 the data stay visible. Use an authenticated mode such as GCM."
                    .to_string()
            }
            alg => format!(
                "`{alg}` is a broken or weak cipher (CWE-327): its ciphertext can be decrypted \
                 or analysed without the key. Use AES-256-GCM (or ChaCha20-Poly1305)."
            ),
        }
    }
}
