//! `javascript/pseudorandom-number-generator@v1.0`: `Math.random()` used for security values.

use tree_sitter::Node;

use crate::detectors::{Context, Detector, DetectorMeta, Hit};
use crate::finding::{Category, Severity};
use crate::lang::Language;

/// The detector.
pub static PSEUDORANDOM_NUMBER_GENERATOR: PseudorandomNumberGenerator = PseudorandomNumberGenerator;

/// Flags `Math.random()` whose result is named or used as a secret, token or identifier.
pub struct PseudorandomNumberGenerator;

static META: DetectorMeta = DetectorMeta {
    id: "javascript/pseudorandom-number-generator@v1.0",
    name: "Pseudorandom number generators",
    language: Language::JavaScript,
    severity: Severity::Medium,
    cwes: &[330, 338],
    category: Category::Security,
    express: true,
    docs: r#"## What it does
Flags `Math.random()` when its value is used for something that must be unguessable: it is
assigned to, returned from or stored under a name about secrets or identifiers (`token`,
`secret`, `password`, `nonce`, `salt`, `otp`, `session`, `csrf`, `apiKey`, `uuid`, `resetCode`,
...), or set as a cookie. The catalogue publishes no severity or CWE; Codeward uses Medium (a
guessable value weakens a protection but is rarely a takeover on its own) and CWE-330 /
CWE-338.

`Math.random()` for animations, jitter, sampling, shuffling and test data — anything not named as
a secret or identifier — is not flagged. It does not follow the value through further variables
or helper functions with neutral names, and does not flag other non-cryptographic generators
(`seedrandom`, `lodash.random`).

## Why is this bad?
`Math.random()` is not a cryptographic generator (V8 uses xorshift128+): after observing a few
outputs an attacker can compute the following ones, and so predict tokens, session ids, reset
codes and passwords made from it.

## Example
```javascript
const resetToken = Math.random().toString(36).slice(2);
```

## Use instead
```javascript
const crypto = require("crypto");
const resetToken = crypto.randomBytes(32).toString("hex"); // or crypto.randomUUID()
// Browser: crypto.getRandomValues(new Uint8Array(32)) / crypto.randomUUID()
```

## Fix safety
There is no automatic fix: the replacement depends on the value's format (`randomBytes`,
`randomInt`, `randomUUID`) and on whether the code runs in Node or a browser.

## References
- [CWE-330: Use of Insufficiently Random Values](https://cwe.mitre.org/data/definitions/330.html)
- [CWE-338: Use of Cryptographically Weak PRNG](https://cwe.mitre.org/data/definitions/338.html)
"#,
};

/// Name fragments (lowercase, compared after removing `_` and `-`) of values that must be
/// unguessable.
const SENSITIVE: &[&str] = &[
    "token",
    "secret",
    "password",
    "passwd",
    "passphrase",
    "nonce",
    "salt",
    "otp",
    "session",
    "csrf",
    "xsrf",
    "apikey",
    "accesskey",
    "privatekey",
    "secretkey",
    "uuid",
    "guid",
    "resetcode",
    "verificationcode",
    "verifycode",
    "confirmationcode",
    "authcode",
    "pin",
    "iv",
    "seed",
    "challenge",
    "sessionid",
    "sid",
    "cookie",
];

/// Whether an identifier names a secret or identifier.
fn sensitive(name: &str) -> bool {
    let words = words(name);
    let joined: String = words.concat();
    SENSITIVE.iter().any(|s| {
        if s.len() <= 3 {
            // Short fragments must be whole words (`pin`, not `spinner`; `iv`, not `active`).
            words.iter().any(|w| w == s)
        } else {
            joined.contains(s)
        }
    })
}

/// The lowercase words of a camelCase, snake_case or kebab-case name.
fn words(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut prev_lower = false;
    for c in name.chars() {
        if c == '_' || c == '-' || c == '.' || c == '$' {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
            prev_lower = false;
            continue;
        }
        if c.is_uppercase() && prev_lower && !current.is_empty() {
            out.push(std::mem::take(&mut current));
        }
        prev_lower = c.is_lowercase() || c.is_ascii_digit();
        current.extend(c.to_lowercase());
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// The name the value of `node` is bound to: a variable, property, object key, function (for
/// returns), or `cookie` for `res.cookie(...)` arguments.
fn binding_name<'a>(ctx: &Context<'a>, node: Node<'a>) -> Option<&'a str> {
    let mut current = node;
    for _ in 0..12 {
        let parent = current.parent()?;
        match parent.kind() {
            "variable_declarator" => {
                return Some(ctx.node_text(parent.child_by_field_name("name")?))
            }
            "assignment_expression" | "augmented_assignment_expression" => {
                let left = parent.child_by_field_name("left")?;
                let name = left.child_by_field_name("property").unwrap_or(left);
                return Some(ctx.node_text(name));
            }
            "pair" => return Some(ctx.node_text(parent.child_by_field_name("key")?)),
            "field_definition" | "public_field_definition" => {
                // JavaScript names the field `property`, TypeScript `name`.
                let name = parent
                    .child_by_field_name("property")
                    .or_else(|| parent.child_by_field_name("name"))?;
                return Some(ctx.node_text(name));
            }
            "return_statement" | "arrow_function" => {
                return function_name(ctx, parent);
            }
            "arguments" => {
                let call = parent.parent()?;
                let callee = call.child_by_field_name("function")?;
                let method = callee.child_by_field_name("property").unwrap_or(callee);
                if matches!(ctx.node_text(method), "cookie" | "setCookie") {
                    return Some(ctx.node_text(method));
                }
                // `Math.floor(Math.random() * n)`: the enclosing expression decides.
                current = call;
            }
            "statement_block"
            | "program"
            | "expression_statement"
            | "if_statement"
            | "for_statement"
            | "while_statement"
            | "do_statement"
            | "switch_statement" => return None,
            _ => current = parent,
        }
    }
    None
}

/// The name of the function a return belongs to (`function makeToken() { return ... }`).
fn function_name<'a>(ctx: &Context<'a>, node: Node<'a>) -> Option<&'a str> {
    let mut current = node;
    for _ in 0..64 {
        match current.kind() {
            "function_declaration" | "method_definition" | "generator_function_declaration" => {
                return Some(ctx.node_text(current.child_by_field_name("name")?));
            }
            "arrow_function" | "function_expression" | "function" => {
                let parent = current.parent()?;
                return match parent.kind() {
                    "variable_declarator" => {
                        Some(ctx.node_text(parent.child_by_field_name("name")?))
                    }
                    "pair" => Some(ctx.node_text(parent.child_by_field_name("key")?)),
                    _ => None,
                };
            }
            _ => current = current.parent()?,
        }
    }
    None
}

impl Detector for PseudorandomNumberGenerator {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        ctx.facts
            .calls
            .iter()
            .filter(|c| c.name == "Math.random" && c.args.is_empty())
            .filter_map(|call| {
                let node = ctx.node_at(call.range.clone())?;
                let name = binding_name(ctx, node)?;
                sensitive(name).then(|| Hit::new(call.range.clone(), name))
            })
            .collect()
    }

    fn message(&self, _ctx: &Context<'_>, hit: &Hit) -> String {
        format!(
            "`Math.random()` is used for `{}`, a value that must be unguessable (CWE-338): its \
             output is predictable from earlier outputs. Use `crypto.randomBytes`, \
             `crypto.randomInt` or `crypto.randomUUID` (in browsers, `crypto.getRandomValues`).",
            hit.subject
        )
    }
}
