//! Telling secrets from placeholders, examples, references and ordinary words.

use super::patterns::Check;

/// Markers of documentation values and templates, compared case-insensitively.
const PLACEHOLDER_MARKERS: [&str; 20] = [
    "example",
    "sample",
    "dummy",
    "placeholder",
    "changeme",
    "change_me",
    "change-me",
    "your_",
    "your-",
    "yourkey",
    "yourtoken",
    "yoursecret",
    "xxxx",
    "****",
    "...",
    "redacted",
    "replace_me",
    "replaceme",
    "insert_",
    "<",
];

/// Ways a value refers to something else instead of being the secret: environment variables,
/// template variables, format strings, command substitution.
const REFERENCE_MARKERS: [&str; 14] = [
    "${",
    "{{",
    "}}",
    "%(",
    "%s",
    "$(",
    "#{",
    "getenv",
    "environ",
    "process.env",
    "env(",
    "env[",
    "env.",
    "secrets.",
];

/// Values that a password-like name is often bound to without being a password.
const NOT_PASSWORDS: [&str; 16] = [
    "password",
    "passwd",
    "secret",
    "null",
    "none",
    "nil",
    "true",
    "false",
    "required",
    "optional",
    "string",
    "hidden",
    "empty",
    "undefined",
    "prompt",
    "disabled",
];

/// Name prefixes before `token` that mean a pagination or protocol token, not a credential
/// (`NextToken`, `IdempotencyToken`, `csrf_token`).
const NOT_CREDENTIAL_TOKENS: [&str; 20] = [
    "next",
    "page",
    "continuation",
    "idempotency",
    "change",
    "lock",
    "client",
    "sync",
    "output",
    "input",
    "pagination",
    "marker",
    "resume",
    "cancel",
    "csrf",
    "xsrf",
    "request",
    "cursor",
    "stop",
    "start",
];

/// Whether a name (the text before a value, e.g. `"NextToken": `) ends in `token` after one of
/// [`NOT_CREDENTIAL_TOKENS`].
pub fn is_excluded_name(key: &str) -> bool {
    let name: String = key
        .trim_end_matches(|c: char| !c.is_ascii_alphanumeric())
        .chars()
        .rev()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-' || *c == '.')
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase();
    name.strip_suffix("token")
        .is_some_and(|head| NOT_CREDENTIAL_TOKENS.iter().any(|p| head.ends_with(p)))
}

/// Whether `value` (bound to `key`, the text before it in the match) is a real secret for a
/// pattern confirmed by `check`.
pub fn confirm(check: Check, value: &str, key: &str) -> bool {
    let value = value.trim_matches(|c| matches!(c, '"' | '\'' | '`'));
    if value.is_empty() || is_placeholder(value) || is_reference(value) {
        return false;
    }
    match check {
        Check::Format => true,
        Check::Password => plausible_password(value, key),
        Check::Entropy => random_looking(value),
    }
}

/// Documentation values and templates: `EXAMPLE`, `xxxx`, `changeme`, `<your-key>`, one repeated
/// character.
pub fn is_placeholder(value: &str) -> bool {
    let lower = value.to_ascii_lowercase();
    if PLACEHOLDER_MARKERS.iter().any(|m| lower.contains(m)) {
        return true;
    }
    let mut chars = value.chars();
    let first = chars.next();
    chars.all(|c| Some(c) == first)
}

/// Values read from somewhere else (environment, templates, format strings) rather than written.
pub fn is_reference(value: &str) -> bool {
    let lower = value.to_ascii_lowercase();
    REFERENCE_MARKERS.iter().any(|m| lower.contains(m))
        || value.starts_with(['$', '%', '@', '&', '*', '!', '|', '>', '{', '(', '['])
        || value.ends_with('%')
}

/// A password bound to a password-like name: long enough, not a word that names a field or a
/// file, not a path or a call.
fn plausible_password(value: &str, key: &str) -> bool {
    let lower = value.to_ascii_lowercase();
    let name = key
        .trim_end_matches(|c: char| !c.is_ascii_alphanumeric())
        .rsplit(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.'))
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    // Paths (`PWD=/home/app`, `password_file=/run/secrets/db`) and calls are not passwords.
    if value.chars().count() < 6 || NOT_PASSWORDS.contains(&lower.as_str()) || lower == name {
        return false;
    }
    if value.starts_with(['/', '~']) || value.starts_with("./") || value.contains('(') {
        return false;
    }
    // Code in languages scanned as text: types (`LSA_UNICODE_STRING`, `core::PCSTR`), constants
    // and numeric literals (`8107i32`).
    if looks_like_code(value)
        || (is_identifier(value) && !value.contains(|c: char| c.is_ascii_digit()))
    {
        return false;
    }
    // A bare word (`PasswordField`) is a reference unless it is long; a dotted path of words
    // (`user.password`, `proxyURL.password;` in commented-out code) always is.
    let word = value.trim_end_matches([';', ',']);
    let wordlike = word
        .chars()
        .all(|c| c.is_ascii_alphabetic() || c == '_' || c == '.');
    !wordlike || (word.len() >= 16 && !word.contains('.'))
}

/// Long and random-looking: at least 16 characters with letters and digits and high entropy, or
/// 32 characters of very high entropy; not a path or URL.
fn random_looking(value: &str) -> bool {
    if value.contains("://")
        || value.starts_with(['/', '~', '.'])
        || value.contains([' ', '(', ')'])
    {
        return false;
    }
    if looks_like_code(value) || value.contains('\\') {
        return false;
    }
    // `X509RequestInheritOptions`: words in CamelCase switch between lower and upper case far
    // less often than random characters do.
    if is_identifier(value) && class_changes(value) < 0.4 {
        return false;
    }
    let len = value.chars().count();
    let has_digit = value.chars().any(|c| c.is_ascii_digit());
    let has_alpha = value.chars().any(|c| c.is_ascii_alphabetic());
    let entropy = shannon_entropy(value);
    (len >= 16 && has_digit && has_alpha && entropy >= 3.2) || (len >= 32 && entropy >= 3.5)
}

/// `[A-Za-z_][A-Za-z0-9_]*`.
fn is_identifier(value: &str) -> bool {
    let mut chars = value.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Paths, pointers, snake_case or SCREAMING_CASE names and suffixed numbers: source code of a
/// language without a grammar here (Rust, Go, C, TypeScript types), not a credential.
pub fn looks_like_code(value: &str) -> bool {
    if value.contains("::") || value.contains("->") || value.starts_with("arn:") {
        return true;
    }
    // `SOME_CONSTANT`, `node.colon2_token`, `self.api_key`.
    if value.split('.').all(is_identifier) && value.contains('_') {
        return true;
    }
    let digits = value.trim_start_matches(|c: char| c.is_ascii_digit());
    digits.len() < value.len()
        && matches!(
            digits,
            "i8" | "i16"
                | "i32"
                | "i64"
                | "i128"
                | "isize"
                | "u8"
                | "u16"
                | "u32"
                | "u64"
                | "u128"
                | "usize"
                | "f32"
                | "f64"
                | "L"
                | "UL"
                | "LL"
                | "ULL"
                | "u"
                | "f"
        )
}

/// The share of adjacent characters that switch between lower case, upper case and digits.
fn class_changes(value: &str) -> f64 {
    let class = |c: char| {
        if c.is_ascii_lowercase() {
            0
        } else if c.is_ascii_uppercase() {
            1
        } else if c.is_ascii_digit() {
            2
        } else {
            3
        }
    };
    let classes: Vec<u8> = value.chars().map(class).collect();
    if classes.len() < 2 {
        return 0.0;
    }
    let changes = classes.windows(2).filter(|w| w[0] != w[1]).count();
    changes as f64 / (classes.len() - 1) as f64
}

/// Shannon entropy of a string, in bits per byte.
pub fn shannon_entropy(value: &str) -> f64 {
    let bytes = value.as_bytes();
    if bytes.is_empty() {
        return 0.0;
    }
    let mut counts = [0usize; 256];
    for b in bytes {
        counts[usize::from(*b)] += 1;
    }
    let len = bytes.len() as f64;
    counts
        .iter()
        .filter(|c| **c > 0)
        .map(|c| {
            let p = *c as f64 / len;
            -p * p.log2()
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_and_references_are_not_secrets() {
        for value in [
            "AKIAIOSFODNN7EXAMPLE",
            "xxxxxxxxxxxxxxxx",
            "changeme",
            "<your-key>",
            "${API_KEY}",
            "{{ api_key }}",
            "%(password)s",
            "os.environ['KEY']",
            "$DB_PASSWORD",
            "%DB_PASSWORD%",
            "",
        ] {
            assert!(!confirm(Check::Format, value, ""), "{value}");
        }
        // Test values are split so that the source itself has no secret in it.
        assert!(confirm(
            Check::Format,
            concat!("AKIA", "Z7Q3M5T2R8W4K6NP"),
            ""
        ));
    }

    #[test]
    fn passwords_need_to_look_like_passwords() {
        assert!(confirm(
            Check::Password,
            concat!("Xk29", "!vbQ7m"),
            "password="
        ));
        assert!(!confirm(Check::Password, "abc", "password="));
        assert!(!confirm(Check::Password, "user.password", "password: "));
        assert!(!confirm(
            Check::Password,
            "/run/secrets/db",
            "password_file="
        ));
        assert!(!confirm(Check::Password, "/home/app", "PWD="));
        assert!(!confirm(Check::Password, "get_password()", "password = "));
        assert!(!confirm(
            Check::Password,
            "LSA_UNICODE_STRING",
            "Password: "
        ));
        assert!(!confirm(
            Check::Password,
            "windows_sys::core::PCSTR",
            "password : "
        ));
        assert!(!confirm(Check::Password, "8107i32", "eatPassword: EAP = "));
        assert!(!confirm(
            Check::Password,
            "PasswordCredentials",
            "password: "
        ));
        assert!(confirm(Check::Password, "Summer2024", "password: "));
        assert!(!confirm(
            Check::Password,
            "proxyURL.password;",
            "proxy.password = "
        ));
        assert!(confirm(
            Check::Password,
            "correct-horse-battery",
            "password: "
        ));
    }

    #[test]
    fn generic_secrets_need_entropy() {
        assert!(confirm(
            Check::Entropy,
            concat!("q8Zt3", "LmW9xV2nB7kR4pJ"),
            "api_key="
        ));
        assert!(!confirm(
            Check::Entropy,
            "Long.toHexString(random.nextLong())",
            "token = "
        ));
        assert!(!confirm(Check::Entropy, "my-secret-name", "secret: "));
        assert!(!confirm(
            Check::Entropy,
            "X509RequestInheritOptions",
            "PrivateKey: "
        ));
        assert!(!confirm(
            Check::Entropy,
            "node.colon2_token",
            "colon2_token: "
        ));
        assert!(!confirm(
            Check::Entropy,
            "aaaaaaaaaaaaaaaaaaaaaaaa1",
            "token="
        ));
        assert!(shannon_entropy("abcd") > 1.99 && shannon_entropy("abcd") < 2.01);
    }
}
