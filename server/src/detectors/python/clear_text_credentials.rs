//! `python/clear-text-credentials@v1.0`: password-hashing configured with plain text or a fast,
//! unsalted or broken hash.

use std::ops::Range;

use tree_sitter::Node;

use crate::analysis::{Call, Constant};
use crate::detectors::{secrets, Context, Detector, DetectorMeta, Hit, Scope};
use crate::finding::{Applicability, Category, Edit, Fix, Severity};
use crate::lang::Language;

use super::common;

/// Flags Django, Werkzeug and passlib password hashing set to weak schemes.
pub struct ClearTextCredentials;

/// The detector's metadata and documentation.
pub static META: DetectorMeta = DetectorMeta {
    id: "python/clear-text-credentials@v1.0",
    name: "Clear text credentials",
    language: Language::Python,
    severity: Severity::High,
    cwes: &[916, 328],
    category: Category::Security,
    express: true,
    docs: r#"## What it does
Flags password storage configured to keep passwords in clear text or under a fast hash:
- Django's `PASSWORD_HASHERS` (a settings assignment, `settings.PASSWORD_HASHERS = ...`, or the
  keyword of `override_settings` / `settings.configure`) whose first entry — the hasher used
  for every new password — is `MD5PasswordHasher`, `SHA1PasswordHasher`, their `Unsalted`
  variants or `CryptPasswordHasher`; and `make_password(..., hasher="md5")` (also `sha1`,
  `unsalted_md5`, `unsalted_sha1`, `crypt`);
- Werkzeug's `generate_password_hash(..., method=...)` with a method other than `pbkdf2:...` or
  `scrypt` (`"plain"`, `"md5"`, `"sha256"`: one round of a plain hash);
- passlib: a `CryptContext` whose `schemes` start with (or whose `default` is) a clear-text or
  fast scheme (`plaintext`, `md5_crypt`, `des_crypt`, `ldap_md5`, `hex_sha256`...), the same
  schemes used directly (`passlib.hash.md5_crypt.hash(...)`), and Flask-Security's
  `SECURITY_PASSWORD_HASH` set to one of them.

Weak hashers listed after a strong one are not flagged: Django and passlib use them only to
check old hashes, which they upgrade at the next login. Files under test directories and test
settings modules (`test_settings.py`, `settings_test.py`) are not scanned: tests use fast
hashers on purpose. Hashes computed by hand with `hashlib` are `insecure-hashing-hashlib`'s.

## Why is this bad?
Passwords stored in clear text, or hashed with a fast or unsalted function, are recovered from a
leaked database at once or by brute force in hours; since users reuse passwords, the leak
compromises their other accounts too (CWE-916, CWE-328).

## Example
```python
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.MD5PasswordHasher",
]
```

## Use instead
```python
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.MD5PasswordHasher",
]
```
The strong hasher comes first; the old one stays only so that existing hashes still verify and
are upgraded at the next login. Argon2 (`Argon2PasswordHasher`) or scrypt are better still.

## Fix safety
For Django the fix puts `PBKDF2PasswordHasher` first, keeping the weak hasher for existing
hashes; for `make_password` it selects `pbkdf2_sha256`; for Werkzeug it selects
`pbkdf2:sha256:600000`. They are unsafe: new hashes have a different format, which code or
systems reading the password table directly may not expect.

## References
- [CWE-916: Use of Password Hash With Insufficient Computational Effort](https://cwe.mitre.org/data/definitions/916.html)
- [CWE-328: Use of Weak Hash](https://cwe.mitre.org/data/definitions/328.html)
- [Django: Password management](https://docs.djangoproject.com/en/stable/topics/auth/passwords/)
- [OWASP Password Storage Cheat Sheet](https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html)
"#,
};

const DJANGO_WEAK: [&str; 6] = [
    "MD5PasswordHasher",
    "UnsaltedMD5PasswordHasher",
    "SHA1PasswordHasher",
    "UnsaltedSHA1PasswordHasher",
    "CryptPasswordHasher",
    "PlainPasswordHasher",
];

const DJANGO_WEAK_NAMES: [&str; 5] = ["md5", "sha1", "unsalted_md5", "unsalted_sha1", "crypt"];

const PASSLIB_WEAK: [&str; 32] = [
    "plaintext",
    "ldap_plaintext",
    "md5_crypt",
    "apr_md5_crypt",
    "sun_md5_crypt",
    "des_crypt",
    "bsdi_crypt",
    "bigcrypt",
    "crypt16",
    "ldap_md5",
    "ldap_salted_md5",
    "ldap_sha1",
    "ldap_salted_sha1",
    "ldap_des_crypt",
    "ldap_md5_crypt",
    "hex_md4",
    "hex_md5",
    "hex_sha1",
    "hex_sha256",
    "hex_sha512",
    "mysql323",
    "mysql41",
    "postgres_md5",
    "oracle10",
    "oracle11",
    "lmhash",
    "nthash",
    "msdcc",
    "msdcc2",
    "django_salted_md5",
    "django_salted_sha1",
    "django_des_crypt",
];

/// What kind of setting a hit is about, for the message and the fix.
#[derive(Clone, Copy, PartialEq)]
enum Setting {
    DjangoHashers,
    DjangoMakePassword,
    Werkzeug,
    Passlib,
}

impl Setting {
    fn code(self) -> &'static str {
        match self {
            Self::DjangoHashers => "django-hashers",
            Self::DjangoMakePassword => "django-make-password",
            Self::Werkzeug => "werkzeug",
            Self::Passlib => "passlib",
        }
    }

    fn from_code(code: &str) -> Option<Self> {
        [
            Self::DjangoHashers,
            Self::DjangoMakePassword,
            Self::Werkzeug,
            Self::Passlib,
        ]
        .into_iter()
        .find(|s| s.code() == code)
    }
}

fn is_django_weak(path: &str) -> bool {
    let class = crate::analysis::last_segment(path);
    DJANGO_WEAK.contains(&class)
}

fn is_passlib_weak(scheme: &str) -> bool {
    PASSLIB_WEAK.contains(&scheme.trim().to_ascii_lowercase().as_str())
}

/// Whether a Werkzeug method string names a single round of a plain hash or no hash.
fn is_werkzeug_weak(method: &str) -> bool {
    let method = method.trim().to_ascii_lowercase();
    !(method.starts_with("pbkdf2") || method.starts_with("scrypt"))
}

/// The first element of a list or tuple literal.
fn first_element<'t>(ctx: &Context<'t>, range: Range<usize>) -> Option<Node<'t>> {
    let mut node = ctx.node_at(range)?;
    if node.kind() == "parenthesized_expression" {
        node = node.named_child(0)?;
    }
    if !matches!(node.kind(), "list" | "tuple") {
        return None;
    }
    node.named_child(0).filter(|n| n.kind() == "string")
}

/// The hit for a list literal of Django hashers whose first entry is weak.
fn weak_hasher_list(ctx: &Context<'_>, range: Range<usize>) -> Option<Hit> {
    let first = first_element(ctx, range)?;
    let content = common::string_content_range(ctx, first.byte_range())?;
    let path = ctx.text(content);
    is_django_weak(path).then(|| {
        Hit::new(
            first.byte_range(),
            format!("{}|{path}", Setting::DjangoHashers.code()),
        )
    })
}

/// Django `PASSWORD_HASHERS = [...]` settings assignments (at any level of the module).
fn settings_assignments(ctx: &Context<'_>, hits: &mut Vec<Hit>) {
    // The target's text is part of the source: without the name there is nothing to check.
    // Only the statements shown are searched (a keystroke shows a few among thousands).
    let mentions = |text: &str| text.contains("PASSWORD_HASHERS");
    let mentioned = match &ctx.roots {
        Some(roots) => roots.iter().any(|root| mentions(ctx.node_text(*root))),
        None => mentions(ctx.source),
    };
    if !mentioned {
        return;
    }
    for &node in ctx.nodes_of_kind("assignment") {
        let (Some(left), Some(right)) = (
            node.child_by_field_name("left"),
            node.child_by_field_name("right"),
        ) else {
            continue;
        };
        let name = ctx.node_text(left);
        if name == "PASSWORD_HASHERS" || name.ends_with(".PASSWORD_HASHERS") {
            hits.extend(weak_hasher_list(ctx, right.byte_range()));
        }
    }
}

/// Calls configuring a weak scheme.
fn call_hits(ctx: &Context<'_>, call: &Call, hits: &mut Vec<Hit>) {
    if let Some(arg) = call.keyword("PASSWORD_HASHERS") {
        hits.extend(weak_hasher_list(ctx, arg.range.clone()));
    }
    let name = call.name.as_str();
    let method = call.method_name();
    let literal = |arg: Option<&crate::analysis::Arg>| {
        arg.and_then(|a| Some((a.range.clone(), a.value.const_str()?.to_string())))
    };
    if name.starts_with("django.contrib.auth.hashers.") && method == "make_password" {
        if let Some((range, hasher)) = literal(call.arg(2, "hasher")) {
            if DJANGO_WEAK_NAMES.contains(&hasher.as_str()) {
                hits.push(Hit::new(
                    range,
                    format!("{}|{hasher}", Setting::DjangoMakePassword.code()),
                ));
            }
        }
    }
    if matches!(
        name,
        "werkzeug.security.generate_password_hash" | "werkzeug.generate_password_hash"
    ) {
        if let Some((range, m)) = literal(call.arg(1, "method")) {
            if is_werkzeug_weak(&m) {
                hits.push(Hit::new(range, format!("{}|{m}", Setting::Werkzeug.code())));
            }
        }
    }
    if matches!(
        name,
        "passlib.context.CryptContext" | "passlib.apps.CryptContext"
    ) {
        let default = literal(call.keyword("default")).filter(|(_, s)| is_passlib_weak(s));
        let first = call.keyword("schemes").and_then(|a| {
            let first = first_element(ctx, a.range.clone())?;
            let content = common::string_content_range(ctx, first.byte_range())?;
            Some((first.byte_range(), ctx.text(content).to_string()))
        });
        let first = first.or_else(|| {
            // `schemes="md5_crypt, sha256_crypt"`
            literal(call.keyword("schemes"))
                .and_then(|(r, s)| Some((r, s.split(',').next()?.trim().to_string())))
        });
        let weak = match (&default, call.keyword("default")) {
            (Some(d), _) => Some(d.clone()),
            (None, Some(_)) => None,
            (None, None) => first.filter(|(_, s)| is_passlib_weak(s)),
        };
        if let Some((range, scheme)) = weak {
            hits.push(Hit::new(
                range,
                format!("{}|{scheme}", Setting::Passlib.code()),
            ));
        }
    }
    // `passlib.hash.md5_crypt.hash(password)`
    if let Some(rest) = name.strip_prefix("passlib.hash.") {
        if let Some((scheme, function)) = crate::analysis::split_first_dot(rest) {
            if matches!(function, "hash" | "encrypt" | "using") && is_passlib_weak(scheme) {
                hits.push(
                    Hit::new(
                        call.callee_range.clone(),
                        format!("{}|{scheme}", Setting::Passlib.code()),
                    )
                    .with_anchor(call.range.clone()),
                );
            }
        }
    }
}

/// Flask-Security's `SECURITY_PASSWORD_HASH` set to a weak passlib scheme.
fn store_hits(ctx: &Context<'_>, hits: &mut Vec<Hit>) {
    for store in &ctx.facts.stores {
        if !store.target.ends_with("[SECURITY_PASSWORD_HASH]") {
            continue;
        }
        let Some(Constant::Str(scheme)) = &store.value.constant else {
            continue;
        };
        if let Some(range) =
            common::store_value_range(ctx, store).filter(|_| is_passlib_weak(scheme))
        {
            hits.push(Hit::new(
                range,
                format!("{}|{scheme}", Setting::Passlib.code()),
            ));
        }
    }
}

/// Whether the file is test code or a test settings module.
fn is_test_file(ctx: &Context<'_>) -> bool {
    if secrets::in_test_path(ctx.path) {
        return true;
    }
    ctx.path
        .and_then(|p| p.file_stem())
        .and_then(|s| s.to_str())
        .is_some_and(|stem| {
            let stem = stem.to_ascii_lowercase();
            stem.starts_with("test")
                || stem.ends_with("_test")
                || stem.ends_with("_tests")
                || stem.contains("settings_test")
                || stem.contains("test_settings")
        })
}

impl Detector for ClearTextCredentials {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn scope(&self) -> Scope {
        Scope::Definition
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        if is_test_file(ctx) {
            return Vec::new();
        }
        let mut hits = Vec::new();
        settings_assignments(ctx, &mut hits);
        for call in &ctx.facts.calls {
            call_hits(ctx, call, &mut hits);
        }
        store_hits(ctx, &mut hits);
        hits.dedup_by(|a, b| a.range == b.range);
        hits
    }

    fn message(&self, _ctx: &Context<'_>, hit: &Hit) -> String {
        let (code, value) = hit.subject.split_once('|').unwrap_or(("", &hit.subject));
        let place = match Setting::from_code(code) {
            Some(Setting::DjangoHashers) => {
                format!("Django hashes every new password with `{value}`")
            }
            Some(Setting::DjangoMakePassword) => {
                format!("`make_password` hashes this password with the `{value}` hasher")
            }
            Some(Setting::Werkzeug) => {
                format!("`generate_password_hash` uses the method `{value}`")
            }
            _ => format!("passwords are stored with the passlib scheme `{value}`"),
        };
        format!(
            "{place}, which keeps passwords in clear text or under a fast hash; a leaked \
             password table is cracked in hours ({}). Use PBKDF2, scrypt, bcrypt or argon2, and \
             keep the old scheme only after it, to verify existing hashes.",
            META.cwe_list()
        )
    }

    fn fix(&self, ctx: &Context<'_>, hit: &Hit) -> Vec<Fix> {
        let code = hit.subject.split_once('|').map_or("", |(c, _)| c);
        let Some(content) = common::string_content_range(ctx, hit.range.clone()) else {
            return Vec::new();
        };
        match Setting::from_code(code) {
            Some(Setting::DjangoHashers) => {
                let quote = ctx.text(hit.range.start..content.start);
                let indentation = ctx.indentation_at(hit.range.start);
                let own_line = ctx.source[..hit.range.start]
                    .rsplit('\n')
                    .next()
                    .is_some_and(|before| before.trim().is_empty());
                let separator = if own_line {
                    format!(",\n{indentation}")
                } else {
                    ", ".to_string()
                };
                vec![Fix::new(
                    "Hash new passwords with PBKDF2 (keep the old hasher for existing hashes)",
                    vec![Edit::insert(
                        hit.range.start,
                        format!(
                            "{quote}django.contrib.auth.hashers.PBKDF2PasswordHasher{quote}{separator}"
                        ),
                    )],
                    Applicability::Unsafe,
                )]
            }
            Some(Setting::DjangoMakePassword) => vec![Fix::new(
                "Use the pbkdf2_sha256 hasher",
                vec![Edit::replace(content, "pbkdf2_sha256")],
                Applicability::Unsafe,
            )],
            Some(Setting::Werkzeug) => vec![Fix::new(
                "Use pbkdf2:sha256:600000",
                vec![Edit::replace(content, "pbkdf2:sha256:600000")],
                Applicability::Unsafe,
            )],
            _ => Vec::new(),
        }
    }
}
