//! `python/insecure-hashing-hashlib@v1.0`: passwords hashed with a fast `hashlib` digest.

use tree_sitter::Node;

use crate::analysis::{Call, CallKind};
use crate::detectors::{Context, Detector, DetectorMeta, Hit, Scope};
use crate::finding::{Category, Severity};
use crate::lang::Language;

use super::{common, taint_sink};

/// Flags `hashlib` digests (MD5 to SHA-512, SHA-3, BLAKE2) computed over passwords.
pub struct InsecureHashingHashlib;

/// The detector's metadata and documentation.
pub static META: DetectorMeta = DetectorMeta {
    id: "python/insecure-hashing-hashlib@v1.0",
    name: "Weak algorithm used for Password Hashing",
    language: Language::Python,
    severity: Severity::High,
    cwes: &[327, 328],
    category: Category::Security,
    express: true,
    docs: r#"## What it does
Flags a password hashed with a general-purpose `hashlib` digest — `hashlib.md5`, `sha1`, the
SHA-2 and SHA-3 families, `blake2b` / `blake2s`, `hashlib.new(name, data)`, and `update(...)` on
such a hash object. The data counts as a password when a name in it says so: a variable,
attribute, parameter or function named `password`, `passwd`, `pwd`, `passphrase`, `pw`
(`user.password`, `new_password`, `get_password()`), or a request field read with such a key
(`request.form["password"]`), including through one assignment (`data = salt + password`).
Names that describe something else about a password (`password_hash`, `password_reset_token`,
`password_length`, `check_password`) do not count. `hashlib.pbkdf2_hmac` and `hashlib.scrypt`
are key-derivation functions and are never flagged, nor is the SHA-1 of a password in a function
(or other top-level statement) that queries the Pwned Passwords range API
(`api.pwnedpasswords.com/range/`), whose protocol requires it as a lookup key.

This detector and `insecure-hashing` split the work: a hash over a password is reported here
only (whatever the algorithm, since SHA-256 is as wrong as MD5 for passwords), and
`insecure-hashing` reports MD5, SHA-1 and other broken digests over any other data. It does not
recognise passwords under unrelated names (`secret`, `data`), PyCryptodome or `cryptography`
hash objects, or passwords passed in from another module.

## Why is this bad?
General-purpose hashes are built to be fast: a single GPU computes billions of SHA-256 or MD5
hashes per second, so a leaked table of password hashes is cracked by brute force and
dictionaries in hours, salted or not. Passwords need a deliberately slow, salted key-derivation
function (CWE-327, CWE-328, CWE-916).

## Example
```python
import hashlib

stored = hashlib.sha256(password.encode()).hexdigest()
```

## Use instead
```python
import hashlib
import os

salt = os.urandom(16)
stored = hashlib.scrypt(password.encode(), salt=salt, n=2**14, r=8, p=1)
```
Or use a password-hashing library (`argon2-cffi`, `bcrypt`, `passlib`, Django's and Werkzeug's
password hashers), which also store the salt and parameters with the hash.

## Fix safety
There is no automatic fix: a key-derivation function needs a salt and parameters, and stored
hashes must be migrated (re-hash at the next login).

## References
- [CWE-327: Use of a Broken or Risky Cryptographic Algorithm](https://cwe.mitre.org/data/definitions/327.html)
- [CWE-328: Use of Weak Hash](https://cwe.mitre.org/data/definitions/328.html)
- [CWE-916: Use of Password Hash With Insufficient Computational Effort](https://cwe.mitre.org/data/definitions/916.html)
- [OWASP Password Storage Cheat Sheet](https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html)
"#,
};

/// The general-purpose digests of `hashlib`.
const DIGESTS: [&str; 16] = [
    "md5",
    "sha1",
    "sha224",
    "sha256",
    "sha384",
    "sha512",
    "sha3_224",
    "sha3_256",
    "sha3_384",
    "sha3_512",
    "blake2b",
    "blake2s",
    "shake_128",
    "shake_256",
    "md4",
    "ripemd160",
];

/// Words that make a name a password.
const PASSWORD_WORDS: [&str; 8] = [
    "password",
    "passwd",
    "pwd",
    "passphrase",
    "pw",
    "pass",
    "passwort",
    "pswd",
];

/// Words that make a password-named thing something other than the password itself.
const OTHER_WORDS: [&str; 27] = [
    "hash", "hashed", "hasher", "digest", "reset", "token", "url", "field", "file", "path",
    "length", "len", "policy", "label", "prompt", "hint", "expiry", "expires", "expired",
    "changed", "count", "attempts", "check", "verify", "validate", "is", "has",
];

/// The data argument of a hash call: `hashlib.sha256(data)`, `hashlib.new(name, data)`,
/// `h.update(data)`.
fn hashed_data(call: &Call) -> Option<&crate::analysis::Arg> {
    let name = call.name.as_str();
    if let Some(function) = name
        .strip_prefix("hashlib.")
        .filter(|_| call.kind == CallKind::Function)
    {
        if function == "new" {
            return call.arg(1, "data");
        }
        return DIGESTS
            .contains(&function)
            .then(|| call.arg(0, "data").or_else(|| call.arg(0, "string")))
            .flatten();
    }
    let is_hash = call
        .receiver
        .as_ref()
        .and_then(|r| r.type_name.as_deref())
        .is_some_and(|t| t == "hashlib.HASH");
    (is_hash && call.method_name() == "update")
        .then(|| call.positional(0))
        .flatten()
}

/// The words of an identifier (`newPassword`, `new_password` -> `new`, `password`).
fn words(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut previous_lower = false;
    for c in name.chars() {
        if c == '_' || c == '-' || c.is_ascii_digit() {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
            previous_lower = false;
            continue;
        }
        if c.is_uppercase() && previous_lower && !current.is_empty() {
            out.push(std::mem::take(&mut current));
        }
        previous_lower = c.is_lowercase();
        current.extend(c.to_lowercase());
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// Whether a name denotes a password itself.
pub fn is_password_name(name: &str) -> bool {
    let words = words(name);
    let password = words.iter().any(|w| {
        PASSWORD_WORDS.contains(&w.as_str()) || w.contains("password") || w.contains("passwd")
    });
    password && !words.iter().any(|w| OTHER_WORDS.contains(&w.as_str()))
}

/// The first password-like name in an expression, if any.
fn password_name<'c>(ctx: &Context<'c>, root: Node<'_>) -> Option<&'c str> {
    for node in common::descendants(root) {
        match node.kind() {
            "identifier" => {
                let text = ctx.node_text(node);
                if is_password_name(text) {
                    return Some(text);
                }
            }
            // `request.form["password"]`, `data.get("password")`
            "string" => {
                let parent = node.parent();
                let is_key = parent.is_some_and(|p| {
                    p.kind() == "subscript"
                        || (p.kind() == "argument_list"
                            && p.parent()
                                .and_then(|call| call.child_by_field_name("function"))
                                .and_then(|f| f.child_by_field_name("attribute"))
                                .is_some_and(|a| {
                                    matches!(ctx.node_text(a), "get" | "pop" | "getlist")
                                }))
                });
                let content =
                    common::string_content_range(ctx, node.byte_range()).map(|r| ctx.text(r));
                if let Some(content) = content.filter(|c| is_key && is_password_name(c)) {
                    return Some(content);
                }
            }
            _ => {}
        }
    }
    None
}

/// The password name a hash call hashes, if it hashes a password with a fast digest.
pub fn password_hash<'c>(ctx: &Context<'c>, call: &Call) -> Option<&'c str> {
    let data = hashed_data(call)?;
    let node = ctx.node_at(data.range.clone())?;
    if let Some(name) = password_name(ctx, node) {
        return Some(name);
    }
    if node.kind() == "identifier" {
        let assigned = taint_sink::only_assignment(ctx, node)?;
        return password_name(ctx, assigned);
    }
    None
}

/// Whether the top-level statement holding `hash` (the function computing it) calls the Pwned
/// Passwords range API, whose protocol needs the SHA-1 of the password (only a prefix of it is
/// sent): that SHA-1 is a lookup key, not stored.
fn queries_pwned_passwords(ctx: &Context<'_>, hash: &Call) -> bool {
    let Some(statement) = ctx.top_level_statement(hash.range.start) else {
        return false;
    };
    let inside = statement.byte_range();
    ctx.facts.calls.iter().any(|call| {
        if !inside.contains(&call.range.start) {
            return false;
        }
        call.args.iter().any(|arg| {
            let text = match arg.value.const_str() {
                Some(s) => Some(s.to_string()),
                None => taint_sink::leading_literal(ctx, arg.range.clone()),
            };
            text.is_some_and(|t| t.contains("api.pwnedpasswords.com/range/"))
        })
    })
}

impl Detector for InsecureHashingHashlib {
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
            .filter_map(|call| {
                let name = password_hash(ctx, call)?;
                if call.name == "hashlib.sha1" && queries_pwned_passwords(ctx, call) {
                    return None;
                }
                Some(
                    Hit::new(call.callee_range.clone(), format!("{}|{name}", call.name))
                        .with_anchor(call.range.clone()),
                )
            })
            .collect()
    }

    fn message(&self, _ctx: &Context<'_>, hit: &Hit) -> String {
        let (call, name) = hit.subject.split_once('|').unwrap_or((&hit.subject, "?"));
        format!(
            "`{call}` hashes the password `{name}` with a fast general-purpose digest; leaked \
             hashes are cracked by brute force at billions of guesses per second ({}, CWE-916). \
             Use a slow salted key-derivation function: `hashlib.scrypt`, argon2 or bcrypt.",
            META.cwe_list()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_names() {
        for yes in [
            "password",
            "new_password",
            "userPassword",
            "pwd",
            "pw",
            "PASSWD",
            "passphrase",
        ] {
            assert!(is_password_name(yes), "{yes}");
        }
        for no in [
            "password_hash",
            "password_reset_token",
            "check_password",
            "bypass",
            "passenger",
            "compass",
            "data",
            "min_password_length",
        ] {
            assert!(!is_password_name(no), "{no}");
        }
    }
}
