//! `java/weak-random-number-generation`: `java.util.Random` and `Math.random()` are predictable.

use crate::analysis::CallKind;
use crate::detectors::{Context, Detector, DetectorMeta, Hit};
use crate::finding::{Applicability, Category, Edit, Fix, Severity};
use crate::lang::Language;

use super::common::{can_import, import_edit};

/// Flags `new java.util.Random(...)` and `Math.random()`.
pub struct WeakRandomNumberGeneration;

/// The detector instance.
pub static WEAK_RANDOM_NUMBER_GENERATION: WeakRandomNumberGeneration = WeakRandomNumberGeneration;

static META: DetectorMeta = DetectorMeta {
    id: "java/weak-random-number-generation@v1.0",
    name: "Weak pseudorandom number generation",
    language: Language::Java,
    severity: Severity::Medium,
    cwes: &[330, 338],
    category: Category::Security,
    express: true,
    docs: r#"## What it does
Flags `new java.util.Random(...)` (seeded or not) and `Math.random()`, the JDK's non-cryptographic
pseudorandom number generators. The catalogue publishes no severity for this detector; Codeward uses
Medium (a predictable value weakens a protection but is rarely a takeover on its own) and CWE-330 /
CWE-338.

## Why is this bad?
`java.util.Random` is a 48-bit linear congruential generator: after observing a couple of outputs an
attacker can compute every past and future value. Tokens, session ids, passwords, nonces or salts
made with it can be guessed. `Math.random()` uses a shared `java.util.Random`. The detector cannot tell
cheaply whether a value is used for security, so it flags every use except a generator seeded
with a compile-time constant (`new Random(42)`), which asks for a reproducible sequence (simulations,
generated test data) and is not meant to be unpredictable. Suppress the others with
`// codeward: ignore[java/weak-random-number-generation]` where the randomness is harmless
(shuffling test data, jitter). `ThreadLocalRandom` and `SplittableRandom` are not flagged: they are
chosen explicitly for speed, almost always outside security code.

## Example
```java
Random random = new Random();
String token = Long.toHexString(random.nextLong());
```

## Use instead
```java
SecureRandom random = new SecureRandom();
String token = Long.toHexString(random.nextLong());
```

## Fix safety
Replacing `new Random()` with `new SecureRandom()` (adding `import java.security.SecureRandom;`) is
safe: `SecureRandom` extends `Random`, so every use still compiles and still gets uniformly random
values, only slower. Replacing a seeded `new Random(seed)` drops the seed and therefore the
reproducible sequence the code may rely on (tests, simulations), so that fix is unsafe. Replacing
`Math.random()` with `new SecureRandom().nextDouble()` is unsafe: it creates a generator per call,
which is slow; a shared `SecureRandom` field is better.

## References
- [CWE-330: Use of Insufficiently Random Values](https://cwe.mitre.org/data/definitions/330.html)
- [CWE-338: Use of Cryptographically Weak PRNG](https://cwe.mitre.org/data/definitions/338.html)
- [java.security.SecureRandom](https://docs.oracle.com/en/java/javase/21/docs/api/java.base/java/security/SecureRandom.html)
"#,
};

const RANDOM: &str = "java.util.Random";
const MATH_RANDOM: &str = "java.lang.Math.random";
const SECURE_RANDOM: &str = "java.security.SecureRandom";

impl Detector for WeakRandomNumberGeneration {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        ctx.facts
            .calls
            .iter()
            .filter_map(|call| match (call.kind, call.name.as_str()) {
                (CallKind::Constructor, RANDOM) => {
                    // An anonymous subclass (`new Random() { ... }`) is left alone.
                    let anonymous = ctx.node_at(call.range.clone()).is_some_and(|n| {
                        n.named_children(&mut n.walk())
                            .any(|c| c.kind() == "class_body")
                    });
                    // A constant seed asks for a reproducible sequence (simulations, generated
                    // test data, audio synthesis): not a security value.
                    let constant_seed = call
                        .positional(0)
                        .is_some_and(|seed| seed.value.constant.is_some());
                    (!anonymous && !constant_seed)
                        .then(|| Hit::new(call.range.clone(), "java.util.Random"))
                }
                (CallKind::Function, MATH_RANDOM) => {
                    Some(Hit::new(call.range.clone(), "Math.random()"))
                }
                _ => None,
            })
            .collect()
    }

    fn message(&self, _ctx: &Context<'_>, hit: &Hit) -> String {
        format!(
            "`{}` is a predictable pseudorandom number generator (CWE-330, CWE-338): its values can \
             be reconstructed from a few outputs, so tokens, passwords, salts or ids made from it \
             can be guessed. Use `java.security.SecureRandom` for anything security-relevant.",
            hit.subject
        )
    }

    fn fix(&self, ctx: &Context<'_>, hit: &Hit) -> Vec<Fix> {
        let Some(call) = ctx.facts.call_at(&hit.anchor) else {
            return Vec::new();
        };
        let importable = can_import(ctx, SECURE_RANDOM);
        let class = if importable {
            "SecureRandom"
        } else {
            SECURE_RANDOM
        };
        let mut edits = Vec::new();
        if importable {
            edits.extend(import_edit(ctx, SECURE_RANDOM));
        }
        let (replacement, applicability, title) = if call.kind == CallKind::Constructor {
            let seeded = !call.args.is_empty();
            let title = if seeded {
                "Use `SecureRandom` (drops the seed)"
            } else {
                "Use `SecureRandom`"
            };
            let applicability = if seeded {
                Applicability::Unsafe
            } else {
                Applicability::Safe
            };
            (format!("new {class}()"), applicability, title)
        } else {
            (
                format!("new {class}().nextDouble()"),
                Applicability::Unsafe,
                "Use `SecureRandom.nextDouble()`",
            )
        };
        edits.push(Edit::replace(call.range.clone(), replacement));
        vec![Fix::new(title, edits, applicability)]
    }
}
