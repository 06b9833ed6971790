//! `python/insecure-random-number-generation@v1.0` (an extra): the `random` module producing
//! tokens, passwords, keys and other secrets.

use tree_sitter::Node;

use crate::analysis::{Call, CallKind};
use crate::detectors::{Context, Detector, DetectorMeta, Hit, Scope};
use crate::finding::{Applicability, Category, Edit, Fix, Severity};
use crate::lang::Language;

/// Flags `random` module functions whose result becomes a security-sensitive value.
pub struct InsecureRandomNumberGeneration;

/// The detector's metadata and documentation.
pub static META: DetectorMeta = DetectorMeta {
    id: "python/insecure-random-number-generation@v1.0",
    name: "Insecure random number generation",
    language: Language::Python,
    severity: Severity::Medium,
    cwes: &[330, 338],
    category: Category::Security,
    express: true,
    docs: r#"## What it does
An extra detector (the catalogue has weak-random detectors for Java and JavaScript but none for
Python). Flags functions of the `random` module (`random`, `randint`, `randrange`, `choice`,
`choices`, `sample`, `getrandbits`, `randbytes`, `uniform`, `shuffle`, and methods of a
`random.Random` instance), through any alias, when their result becomes a security-sensitive
value: it is assigned to, passed as a keyword argument named, or returned from a function named
like a secret — `token`, `password` / `passwd`, `secret`, `key`, `nonce`, `salt`, `otp`, `pin`,
`csrf`, `session`, `salt`, `iv`, `api_key`, `reset_code`, `verification_code` and similar
(whole words of snake_case or camelCase names). `random.SystemRandom` and the `secrets` module
are not flagged, nor values built in functions named for MIME boundaries, tests, mocks or fakes, nor `random` used for simulations, sampling, jitter or shuffling data. It does
not follow the value through further assignments or across functions, so a token built in a
helper named `make_string()` is missed.

## Why is this bad?
The `random` module is a Mersenne Twister: after observing enough outputs an attacker can
reconstruct its state and predict every past and future value, including password-reset tokens,
session identifiers and keys generated from it (CWE-330, CWE-338). Severity Medium was chosen
(the catalogue has no Python entry): exploitation needs many observed outputs.

## Example
```python
import random
import string

reset_token = "".join(random.choice(string.ascii_letters) for _ in range(32))
```

## Use instead
```python
import secrets
import string

reset_token = "".join(secrets.choice(string.ascii_letters) for _ in range(32))
```
Use `secrets.token_urlsafe()`, `secrets.token_hex()`, `secrets.choice()` or
`secrets.randbits()`.

## Fix safety
For `random.choice(...)` and `random.getrandbits(...)` the fix calls `secrets.choice` /
`secrets.randbits` and adds `import secrets` when needed. It is safe (the functions take the same
arguments and return the same kind of value) unless the file seeds the generator with
`random.seed`, in which case the results are no longer reproducible and the fix is marked unsafe.
Other functions get no automatic fix.

## References
- [CWE-330: Use of Insufficiently Random Values](https://cwe.mitre.org/data/definitions/330.html)
- [CWE-338: Use of Cryptographically Weak PRNG](https://cwe.mitre.org/data/definitions/338.html)
- [Python `secrets`](https://docs.python.org/3/library/secrets.html)
"#,
};

const FUNCTIONS: [&str; 12] = [
    "random",
    "randint",
    "randrange",
    "choice",
    "choices",
    "sample",
    "getrandbits",
    "randbytes",
    "uniform",
    "shuffle",
    "triangular",
    "betavariate",
];

/// Name words that mark a value as a secret.
const SENSITIVE: [&str; 20] = [
    "token",
    "password",
    "passwd",
    "pwd",
    "secret",
    "key",
    "apikey",
    "nonce",
    "salt",
    "otp",
    "pin",
    "csrf",
    "xsrf",
    "session",
    "sessionid",
    "sid",
    "iv",
    "credential",
    "credentials",
    "passphrase",
];

/// Words that make a "code" a secret (`reset_code`, `verification_code`).
const SECRET_CODES: [&str; 6] = [
    "reset",
    "verification",
    "verify",
    "auth",
    "confirmation",
    "login",
];

/// Whether the call is a `random` module function or a method of a `random.Random` instance.
fn is_weak_random(call: &Call) -> bool {
    let Some((prefix, function)) = crate::analysis::split_last_dot(&call.name) else {
        return false;
    };
    let module = prefix == "random" && call.kind == CallKind::Function;
    let instance = prefix == "random.Random" && call.kind == CallKind::Method;
    (module || instance) && FUNCTIONS.contains(&function)
}

/// The words of a snake_case or camelCase name, lower-cased.
fn words(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut previous_lower = false;
    for c in name.chars() {
        if c == '_' || c == '-' || c == '.' {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
            previous_lower = false;
            continue;
        }
        if c.is_uppercase() && previous_lower && !current.is_empty() {
            out.push(std::mem::take(&mut current));
        }
        previous_lower = c.is_lowercase() || c.is_ascii_digit();
        current.extend(c.to_lowercase());
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// Whether a name is that of a secret value.
fn is_sensitive_name(name: &str) -> bool {
    let words = words(name);
    words.iter().any(|w| SENSITIVE.contains(&w.as_str()))
        || (words.iter().any(|w| w == "code")
            && words.iter().any(|w| SECRET_CODES.contains(&w.as_str())))
}

/// The name the value of `node` ends up bound to: the assignment target, the keyword, or the
/// function returning it; climbing through the expressions around it.
fn destination_name<'a>(ctx: &Context<'a>, node: Node<'a>) -> Option<&'a str> {
    let mut current = node;
    for _ in 0..64 {
        let parent = current.parent()?;
        match parent.kind() {
            "assignment" | "augmented_assignment" => {
                let left = parent.child_by_field_name("left")?;
                if left.start_byte() == current.start_byte() {
                    return None;
                }
                let target = match left.kind() {
                    "attribute" => left.child_by_field_name("attribute")?,
                    "subscript" => left.child_by_field_name("subscript")?,
                    _ => left,
                };
                return Some(ctx.node_text(target).trim_matches(['"', '\'']));
            }
            "keyword_argument" => {
                return Some(ctx.node_text(parent.child_by_field_name("name")?));
            }
            "pair" => {
                let key = parent.child_by_field_name("key")?;
                return Some(ctx.node_text(key).trim_matches(['"', '\'']));
            }
            "return_statement" => {
                let mut scope = parent.parent()?;
                while scope.kind() != "function_definition" {
                    scope = scope.parent()?;
                }
                return Some(ctx.node_text(scope.child_by_field_name("name")?));
            }
            "expression_statement"
            | "block"
            | "module"
            | "if_statement"
            | "for_statement"
            | "while_statement"
            | "function_definition"
            | "lambda" => return None,
            _ => current = parent,
        }
    }
    None
}

/// Whether the call is inside a function whose name says the value is not a secret
/// (`_make_boundary` builds MIME boundaries from a "token").
fn in_benign_function<'t>(ctx: &Context<'t>, node: Node<'t>) -> bool {
    let mut current = node;
    for _ in 0..crate::lang::syntax::MAX_DEPTH {
        let Some(parent) = current.parent() else {
            return false;
        };
        if parent.kind() == "function_definition" {
            let name = parent
                .child_by_field_name("name")
                .map_or("", |n| ctx.node_text(n));
            return words(name)
                .iter()
                .any(|w| matches!(w.as_str(), "boundary" | "test" | "mock" | "fake" | "dummy"));
        }
        current = parent;
    }
    false
}

/// The `call` node spanning `range` (`node_at` may return its expression statement).
fn call_node<'a>(ctx: &Context<'a>, range: std::ops::Range<usize>) -> Option<Node<'a>> {
    let node = ctx.node_at(range)?;
    if node.kind() == "call" {
        Some(node)
    } else {
        node.named_child(0).filter(|n| n.kind() == "call")
    }
}

impl Detector for InsecureRandomNumberGeneration {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn scope(&self) -> Scope {
        // A hit depends on its call and the function it is in; the seeding the fix looks for
        // anywhere in the file only decides the fix's safety (see `finish_scope`).
        Scope::Definition
    }

    fn finish_scope(&self) -> Scope {
        // The fix's applicability depends on a `random.seed` call anywhere in the file.
        Scope::File
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        ctx.facts
            .calls
            .iter()
            .filter(|call| is_weak_random(call))
            .filter_map(|call| {
                let node = call_node(ctx, call.range.clone())?;
                let name = destination_name(ctx, node)?;
                (is_sensitive_name(name) && !in_benign_function(ctx, node)).then(|| {
                    Hit::new(call.callee_range.clone(), call.name.clone())
                        .with_anchor(call.range.clone())
                })
            })
            .collect()
    }

    fn message(&self, ctx: &Context<'_>, hit: &Hit) -> String {
        let name = call_node(ctx, hit.anchor.clone())
            .and_then(|node| destination_name(ctx, node))
            .unwrap_or("a secret");
        format!(
            "`{}` produces `{name}`, a security-sensitive value, from a predictable generator: \
             after seeing enough outputs an attacker can compute it ({}). Use the `secrets` \
             module (`secrets.token_urlsafe()`, `secrets.choice()`).",
            hit.subject,
            META.cwe_list()
        )
    }

    fn fix(&self, ctx: &Context<'_>, hit: &Hit) -> Vec<Fix> {
        let Some(call) = ctx.facts.call_at(&hit.anchor) else {
            return Vec::new();
        };
        let replacement = match call.name.as_str() {
            "random.choice" => "choice",
            "random.getrandbits" => "randbits",
            _ => return Vec::new(),
        };
        let mut bound: Vec<&str> = ctx
            .facts
            .imports
            .iter()
            .filter(|(_, q)| *q == "secrets")
            .map(|(l, _)| l)
            .collect();
        bound.sort_unstable();
        let mut edits = Vec::new();
        let module = match bound.first() {
            Some(local) => local.to_string(),
            None => {
                let root = ctx.tree.root_node();
                let mut cursor = root.walk();
                let Some(first_import) = root
                    .named_children(&mut cursor)
                    .find(|n| matches!(n.kind(), "import_statement" | "import_from_statement"))
                else {
                    return Vec::new();
                };
                edits.push(Edit::insert(first_import.start_byte(), "import secrets\n"));
                "secrets".to_string()
            }
        };
        edits.push(Edit::replace(
            call.callee_range.clone(),
            format!("{module}.{replacement}"),
        ));
        let seeded = ctx.facts.calls_named("random.seed").next().is_some();
        vec![Fix::new(
            format!("Use secrets.{replacement}"),
            edits,
            if seeded {
                Applicability::Unsafe
            } else {
                Applicability::Safe
            },
        )]
    }
}

#[cfg(test)]
mod tests {
    use super::is_sensitive_name;

    #[test]
    fn secret_names_are_whole_words() {
        for name in [
            "token",
            "reset_token",
            "apiKey",
            "SESSION_ID",
            "csrf",
            "resetCode",
            "pin",
        ] {
            assert!(is_sensitive_name(name), "{name}");
        }
        for name in [
            "monkey",
            "keyboard",
            "tokenizer",
            "spinner",
            "delay",
            "sample_size",
            "code",
        ] {
            assert!(!is_sensitive_name(name), "{name}");
        }
    }
}
