//! The secret formats, compiled once into a single alternation so a region of text is matched in
//! one pass; each alternative's first participating inner group is the secret value.

use std::ops::Range;
use std::sync::OnceLock;

use regex::{Captures, Regex};

use super::filter;
use super::Rule;
use crate::finding::Severity;

/// How a candidate value is confirmed after the pattern matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    /// A well-known token format: only placeholders and examples are dropped.
    Format,
    /// A password bound to a password-like name or in a URL: plausibility, no entropy.
    Password,
    /// A value bound to a secret-looking name: long and random-looking enough.
    Entropy,
}

/// One secret format.
#[derive(Debug)]
pub struct Pattern {
    /// The detector that reports it.
    pub rule: Rule,
    /// What it is, for messages ("GitHub personal access token").
    pub label: &'static str,
    /// The regular expression; its capturing groups hold the value (the first that matched).
    pub regex: &'static str,
    /// How the value is confirmed.
    pub check: Check,
}

/// `(?-u:\b)`: an ASCII word boundary (a Unicode one would stop the fast matcher on non-ASCII
/// text).
macro_rules! b {
    () => {
        r"(?-u:\b)"
    };
}

/// The separator between a name and its value: `=`, `:=`, `=>`; `:` after a quoted name
/// (JSON) or followed by a space (YAML), so `arn:aws:…:secret:Name` is not an assignment.
macro_rules! assign {
    () => {
        r#"(?:["']?[ \t]{0,4}(?::=|=>|=)[ \t]{0,4}|["'][ \t]{0,4}:[ \t]{0,4}|[ \t]{0,4}:[ \t]{1,4})"#
    };
}

/// A value: quoted (no whitespace inside) or bare (up to whitespace or a delimiter).
macro_rules! value {
    () => {
        r#"(?:"([^"\s]+)"|'([^'\s]+)'|`([^`\s]+)`|([^\s'"`,;&<>]+))"#
    };
}

/// Every format, specific tokens first (they win when two start at the same place).
pub static PATTERNS: &[Pattern] = &[
    Pattern {
        rule: Rule::PrivateKey,
        label: "private key",
        regex: r#"-----BEGIN[ A-Z0-9]{0,20}PRIVATE KEY(?: BLOCK)?-----(?:\s|\\[rn])+(?:[A-Za-z-]{2,20}:[^\n\\]*(?:\n|\r\n|\\n|\\r\\n))*(?:\s|\\[rn])*([A-Za-z0-9+/=]{40,})"#,
        check: Check::Format,
    },
    Pattern {
        rule: Rule::AwsAccessKeyId,
        label: "AWS access key id",
        regex: concat!(
            b!(),
            r"((?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z0-9]{16})",
            b!()
        ),
        check: Check::Format,
    },
    Pattern {
        rule: Rule::GithubToken,
        label: "GitHub token",
        regex: concat!(
            b!(),
            r"((?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59})",
            b!()
        ),
        check: Check::Format,
    },
    Pattern {
        rule: Rule::GitlabToken,
        label: "GitLab personal access token",
        regex: concat!(b!(), r"(glpat-[A-Za-z0-9_-]{20,})"),
        check: Check::Format,
    },
    Pattern {
        rule: Rule::SlackToken,
        label: "Slack token",
        regex: concat!(b!(), r"(xox[abposr]-[0-9A-Za-z]{8,}-[0-9A-Za-z-]{8,})"),
        check: Check::Format,
    },
    Pattern {
        rule: Rule::SlackToken,
        label: "Slack incoming webhook URL",
        regex: r"https://hooks\.slack\.com/services/(T[A-Z0-9]{6,12}/B[A-Z0-9]{6,12}/[A-Za-z0-9]{20,32})",
        check: Check::Format,
    },
    Pattern {
        rule: Rule::StripeKey,
        label: "Stripe secret key",
        regex: concat!(b!(), r"((?:sk|rk)_(?:live|test)_[0-9A-Za-z]{24,})", b!()),
        check: Check::Format,
    },
    Pattern {
        rule: Rule::GoogleApiKey,
        label: "Google API key",
        regex: concat!(b!(), r"(AIza[0-9A-Za-z_-]{35})"),
        check: Check::Format,
    },
    Pattern {
        rule: Rule::GoogleApiKey,
        label: "Google OAuth client secret",
        regex: concat!(b!(), r"(GOCSPX-[0-9A-Za-z_-]{28})"),
        check: Check::Format,
    },
    Pattern {
        rule: Rule::TwilioApiKey,
        label: "Twilio API key",
        regex: concat!(b!(), r"(SK[0-9a-f]{32})", b!()),
        check: Check::Format,
    },
    Pattern {
        rule: Rule::SendgridApiKey,
        label: "SendGrid API key",
        regex: concat!(b!(), r"(SG\.[0-9A-Za-z_-]{22}\.[0-9A-Za-z_-]{43})"),
        check: Check::Format,
    },
    Pattern {
        rule: Rule::NpmToken,
        label: "npm access token",
        regex: concat!(b!(), r"(npm_[0-9A-Za-z]{36})", b!()),
        check: Check::Format,
    },
    Pattern {
        rule: Rule::NpmToken,
        label: "npm registry auth token",
        regex: r#"(?i:_auth(?:Token)?)[ \t]{0,4}=[ \t]{0,4}["']?([^\s"']{16,})"#,
        check: Check::Entropy,
    },
    Pattern {
        rule: Rule::PypiToken,
        label: "PyPI API token",
        regex: concat!(
            b!(),
            r"(pypi-(?:AgEIcHlwaS5vcmc|AgENdGVzdC5weXBpLm9yZw)[0-9A-Za-z_-]{50,})"
        ),
        check: Check::Format,
    },
    Pattern {
        rule: Rule::Jwt,
        label: "JSON Web Token",
        regex: concat!(
            b!(),
            r"(eyJ[0-9A-Za-z_-]{8,}\.eyJ[0-9A-Za-z_-]{8,}\.[0-9A-Za-z_-]{16,})"
        ),
        check: Check::Format,
    },
    Pattern {
        rule: Rule::AwsSecretAccessKey,
        label: "AWS secret access key",
        regex: concat!(
            r"(?i:aws_?secret_?access_?key|aws_?secret_?key|secret_?access_?key)",
            assign!(),
            r#"["']?([A-Za-z0-9/+]{40})(?:[^A-Za-z0-9/+]|$)"#
        ),
        check: Check::Format,
    },
    Pattern {
        rule: Rule::PasswordInUrl,
        label: "password in a URL",
        regex: r#"[A-Za-z][A-Za-z0-9+.-]+://[^\s:/?#@'"<>{}]+:([^\s/?#@'"<>]+)@[^\s/?#@'"<>]"#,
        check: Check::Password,
    },
    Pattern {
        rule: Rule::GenericPassword,
        label: "password",
        regex: concat!(
            r"(?i:[A-Za-z0-9_.-]*(?:password|passwd|passphrase|pwd))",
            assign!(),
            value!()
        ),
        check: Check::Password,
    },
    Pattern {
        rule: Rule::GenericSecret,
        label: "secret",
        regex: concat!(
            r"(?i:[A-Za-z0-9_.-]*(?:api[_.-]?key|apikey|secret|secret[_.-]?key|access[_.-]?token|auth[_.-]?token|refresh[_.-]?token|bearer[_.-]?token|private[_.-]?key|signing[_.-]?key|encryption[_.-]?key|token|credentials?))",
            assign!(),
            value!()
        ),
        check: Check::Entropy,
    },
];

/// A confirmed secret in a region.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// Which pattern (index into [`PATTERNS`]).
    pub pattern: usize,
    /// The whole match, in the region's offsets.
    pub whole: Range<usize>,
    /// The secret value, in the region's offsets.
    pub value: Range<usize>,
    /// A severity other than the detector's (Stripe test-mode keys).
    pub severity: Option<Severity>,
}

struct Compiled {
    regex: Regex,
    /// For each pattern: its outer group index and how many inner groups it has.
    groups: Vec<(usize, usize)>,
}

impl Compiled {
    fn build(patterns: &[(usize, &Pattern)]) -> Option<Self> {
        let mut source = String::new();
        let mut groups = Vec::new();
        let mut next_group = 1;
        for (i, (_, pattern)) in patterns.iter().enumerate() {
            let inner = capturing_groups(pattern.regex);
            if i > 0 {
                source.push('|');
            }
            source.push('(');
            source.push_str(pattern.regex);
            source.push(')');
            groups.push((next_group, inner));
            next_group += inner + 1;
        }
        let regex = regex::RegexBuilder::new(&source)
            .size_limit(64 << 20)
            .dfa_size_limit(64 << 20)
            .build()
            .ok()?;
        Some(Self { regex, groups })
    }

    /// Which alternative matched and the range of its value.
    fn value_of(&self, caps: &Captures<'_>) -> Option<(usize, Range<usize>)> {
        self.groups
            .iter()
            .enumerate()
            .find_map(|(i, (outer, inner))| {
                caps.get(*outer)?;
                let value = (outer + 1..=outer + inner)
                    .find_map(|g| caps.get(g))
                    .or_else(|| caps.get(*outer))?;
                Some((i, value.range()))
            })
    }
}

/// How many capturing groups `regex` has, read from its text: compiling each pattern just to
/// count them took as long as compiling the combined alternations. `(` opens a capturing group
/// unless escaped, inside a character class, or followed by `?` (other than a named group,
/// `(?P<name>` or `(?<name>`). A test checks the count against the compiled patterns.
fn capturing_groups(regex: &str) -> usize {
    let bytes = regex.as_bytes();
    let mut count = 0;
    // Nesting depth of character classes (`[[:alpha:]x]`); 0 outside one.
    let mut class = 0usize;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'\\' => i += 1,
            b'[' => {
                class += 1;
                // A `]` first in a class (after an optional `^`) is a literal.
                if bytes.get(i + 1) == Some(&b'^') {
                    i += 1;
                }
                if bytes.get(i + 1) == Some(&b']') {
                    i += 1;
                }
            }
            b']' if class > 0 => class -= 1,
            b'(' if class == 0 => {
                let rest = bytes.get(i + 1..).unwrap_or_default();
                if !rest.starts_with(b"?") || rest.starts_with(b"?P<") || rest.starts_with(b"?<") {
                    count += 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    count
}

struct Matchers {
    /// Every pattern, in [`PATTERNS`] order.
    all: Compiled,
    /// The `Format` patterns only, to recognise a token inside a generic value.
    formats: Compiled,
    /// Indices into [`PATTERNS`] of the `formats` alternatives.
    format_ids: Vec<usize>,
}

fn matchers() -> Option<&'static Matchers> {
    static MATCHERS: OnceLock<Option<Matchers>> = OnceLock::new();
    MATCHERS
        .get_or_init(|| {
            let all: Vec<(usize, &Pattern)> = PATTERNS.iter().enumerate().collect();
            let formats: Vec<(usize, &Pattern)> = all
                .iter()
                .copied()
                .filter(|(_, p)| p.check == Check::Format && p.rule != Rule::AwsSecretAccessKey)
                .collect();
            Some(Matchers {
                all: Compiled::build(&all)?,
                format_ids: formats.iter().map(|(i, _)| *i).collect(),
                formats: Compiled::build(&formats)?,
            })
        })
        .as_ref()
}

/// Whether the patterns compile (a test asserts it; a failure would silence every secret).
#[cfg(test)]
pub fn compiled() -> bool {
    matchers().is_some()
}

/// Finds the confirmed secrets in `text`, in order.
pub fn scan(text: &str) -> Vec<Found> {
    let Some(m) = matchers() else {
        return Vec::new();
    };
    let mut found = Vec::new();
    for caps in m.all.regex.captures_iter(text) {
        let Some(whole) = caps.get(0).map(|c| c.range()) else {
            continue;
        };
        let Some((pattern, value)) = m.all.value_of(&caps) else {
            continue;
        };
        let Some(spec) = PATTERNS.get(pattern) else {
            continue;
        };
        let value_text = text.get(value.clone()).unwrap_or("");
        // A known token inside a generic value or a URL is reported as that token.
        if spec.check != Check::Format {
            if let Some(inner) = m.formats.regex.captures(value_text) {
                if let Some((i, inner_value)) = m.formats.value_of(&inner) {
                    if let Some(&id) = m.format_ids.get(i) {
                        let start = value.start + inner_value.start;
                        let end = value.start + inner_value.end;
                        if let Some(token) = text.get(start..end) {
                            if filter::confirm(Check::Format, token, "") {
                                found.push(Found {
                                    pattern: id,
                                    whole: whole.clone(),
                                    value: start..end,
                                    severity: severity_of(id, token),
                                });
                            }
                        }
                    }
                }
                continue;
            }
        }
        let key = text.get(whole.start..value.start).unwrap_or("");
        // A name inside a colon-separated identifier (`arn:aws:secretsmanager:…:secret:…`).
        let inside_identifier = text
            .get(..whole.start)
            .and_then(|before| before.chars().next_back())
            .is_some_and(|c| c == ':');
        if matches!(spec.rule, Rule::GenericPassword | Rule::GenericSecret) && inside_identifier {
            continue;
        }
        if filter::confirm(spec.check, value_text, key) && !filter::is_excluded_name(key) {
            found.push(Found {
                pattern,
                severity: severity_of(pattern, value_text),
                whole,
                value,
            });
        }
    }
    found
}

/// Stripe test-mode keys cannot move money: Low.
fn severity_of(pattern: usize, value: &str) -> Option<Severity> {
    let rule = PATTERNS.get(pattern)?.rule;
    (rule == Rule::StripeKey && value.contains("_test_")).then_some(Severity::Low)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(text: &str) -> Vec<(Rule, String)> {
        scan(text)
            .into_iter()
            .map(|f| (PATTERNS[f.pattern].rule, text[f.value].to_string()))
            .collect()
    }

    #[test]
    fn every_pattern_compiles() {
        for p in PATTERNS {
            let compiled = Regex::new(p.regex);
            assert!(compiled.is_ok(), "{}", p.regex);
            if let Ok(compiled) = compiled {
                assert_eq!(
                    capturing_groups(p.regex),
                    compiled.captures_len() - 1,
                    "{}",
                    p.regex
                );
            }
        }
        assert!(compiled());
    }

    #[test]
    fn capturing_groups_are_counted_as_the_regex_crate_counts_them() {
        for regex in [
            r"a(b)(?:c)(?i:d)(?P<n>e)(?<m>f)",
            r"\(x\)[(][^)(]([)])",
            r"[]()]([^]()])[[:alpha:](](g)",
            r"((a)|(b))*",
        ] {
            let expected = Regex::new(regex).map(|r| r.captures_len() - 1);
            assert_eq!(Ok(capturing_groups(regex)), expected, "{regex}");
        }
    }

    #[test]
    fn tokens_inside_generic_values_keep_their_kind() {
        let token = format!("ghp_{}", "aB3dE6gH9jK2mN5pQ8sT1vW4yZ7bC0eF3hJ6");
        let found = rules(&format!("password={token}\n"));
        assert_eq!(found, vec![(Rule::GithubToken, token)]);
    }

    #[test]
    fn passwords_in_urls_and_assignments() {
        assert_eq!(
            rules(concat!(
                "DATABASE_URL=postgres://app:",
                "Wq7!rTz9pL@db.internal:5432/app\n"
            )),
            vec![(Rule::PasswordInUrl, "Wq7!rTz9pL".to_string())]
        );
        assert_eq!(
            rules(concat!("spring.datasource.password", "=Xk29!vbQ7m\n")),
            vec![(Rule::GenericPassword, "Xk29!vbQ7m".to_string())]
        );
        assert!(rules("password=${DB_PASSWORD}\npassword: changeme\npassword=\n").is_empty());
    }
}
