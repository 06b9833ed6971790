//! The `secrets/…` detectors: credentials written into any text file, and into the string
//! literals and comments of code.
//!
//! All formats are matched in one pass per file ([`patterns`]), shared by the detectors through
//! the scan's [`Memo`](super::Memo); each detector reports its own kinds. Placeholders, examples
//! and references to the environment are dropped ([`filter`]); values are masked in every message
//! ([`mask`]); findings under test-fixture directories are reported as Low.
//!
//! Double reporting: in code, these detectors look only inside string literals and comments and
//! report what the text itself gives away (a token format, `password=` inside a connection
//! string, a password in a URL). The language `hardcoded-credentials` detectors report literals
//! by where they go (a credential parameter, a secret-looking name) and skip any literal that
//! overlaps a secret found here ([`overlaps`]), so one literal is reported once.

pub mod credentials;
mod filter;
mod mask;
mod patterns;
mod regions;
mod rules;

use std::ops::Range;
use std::path::{Component, Path};

use super::{Context, Detector, DetectorMeta, Hit, Scope};
use crate::finding::Severity;

pub use filter::{
    is_excluded_name, is_placeholder, is_reference, looks_like_code, shannon_entropy,
};
pub use mask::mask;

/// The secrets detectors (one per [`Rule`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Rule {
    /// `secrets/aws-access-key-id`.
    AwsAccessKeyId,
    /// `secrets/aws-secret-access-key`.
    AwsSecretAccessKey,
    /// `secrets/private-key`.
    PrivateKey,
    /// `secrets/github-token`.
    GithubToken,
    /// `secrets/gitlab-token`.
    GitlabToken,
    /// `secrets/slack-token`.
    SlackToken,
    /// `secrets/stripe-key`.
    StripeKey,
    /// `secrets/google-api-key`.
    GoogleApiKey,
    /// `secrets/twilio-api-key`.
    TwilioApiKey,
    /// `secrets/sendgrid-api-key`.
    SendgridApiKey,
    /// `secrets/npm-token`.
    NpmToken,
    /// `secrets/pypi-token`.
    PypiToken,
    /// `secrets/jwt`.
    Jwt,
    /// `secrets/password-in-url`.
    PasswordInUrl,
    /// `secrets/generic-password`.
    GenericPassword,
    /// `secrets/generic-secret`.
    GenericSecret,
}

/// One secret found in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecretMatch {
    /// The detector that reports it.
    pub rule: Rule,
    /// What kind of secret ("GitHub token").
    pub label: &'static str,
    /// Where it is reported (the value; a private key's whole header and first body line).
    pub range: Range<usize>,
    /// The secret value itself.
    pub value: Range<usize>,
    /// A severity other than the detector's default, when the value decides it.
    pub severity: Option<Severity>,
}

/// The secrets of the file being scanned, found once per scan.
pub fn find<'c>(ctx: &'c Context<'_>) -> &'c [SecretMatch] {
    ctx.memo
        .secrets
        .get_or_init(|| find_in(ctx.source, regions::regions_of(ctx)))
}

/// Whether any secret found by these detectors overlaps `range` (the language detectors skip
/// such literals).
pub fn overlaps(ctx: &Context<'_>, range: Range<usize>) -> bool {
    find(ctx)
        .iter()
        .any(|m| m.range.start < range.end && range.start < m.range.end)
}

fn find_in(source: &str, regions: Vec<std::ops::Range<usize>>) -> Vec<SecretMatch> {
    let mut out = Vec::new();
    for region in regions {
        let Some(text) = source.get(region.clone()) else {
            continue;
        };
        for found in patterns::scan(text) {
            let Some(pattern) = patterns::PATTERNS.get(found.pattern) else {
                continue;
            };
            let value = region.start + found.value.start..region.start + found.value.end;
            let range = if pattern.rule == Rule::PrivateKey {
                region.start + found.whole.start..value.end
            } else {
                value.clone()
            };
            out.push(SecretMatch {
                rule: pattern.rule,
                label: pattern.label,
                range,
                value,
                severity: found.severity,
            });
        }
    }
    out
}

/// Directory names that mark test fixtures: secrets there are usually fake, but real ones get
/// committed there too, so they are reported as Low rather than not at all.
const TEST_DIRS: [&str; 10] = [
    "test",
    "tests",
    "__tests__",
    "spec",
    "specs",
    "fixtures",
    "fixture",
    "__fixtures__",
    "testdata",
    "test-data",
];

/// Whether a path lies under a test-fixture directory (one of its 4 nearest parents).
pub fn in_test_path(path: Option<&Path>) -> bool {
    let Some(path) = path else {
        return false;
    };
    let Some(parent) = path.parent() else {
        return false;
    };
    // Only the nearest directories count, so a checkout that happens to live under `~/test/`
    // is not all test code.
    parent
        .components()
        .rev()
        .take(TEST_DIR_DEPTH)
        .any(|c| match c {
            Component::Normal(name) => name
                .to_str()
                .is_some_and(|n| TEST_DIRS.contains(&n.to_ascii_lowercase().as_str())),
            _ => false,
        })
}

/// How many of a file's nearest parent directories are checked against [`TEST_DIRS`]
/// (`src/test/resources/application.properties` is a test file).
const TEST_DIR_DEPTH: usize = 4;

/// A detector for one [`Rule`].
#[derive(Debug)]
pub struct SecretDetector {
    rule: Rule,
    meta: &'static DetectorMeta,
}

impl SecretDetector {
    fn matching<'c>(&self, ctx: &'c Context<'_>, hit: &Hit) -> Option<&'c SecretMatch> {
        find(ctx)
            .iter()
            .find(|m| m.rule == self.rule && m.range == hit.range)
    }
}

impl Detector for SecretDetector {
    fn meta(&self) -> &'static DetectorMeta {
        self.meta
    }

    fn scope(&self) -> Scope {
        Scope::Definition
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        find(ctx)
            .iter()
            .filter(|m| m.rule == self.rule)
            .map(|m| Hit::new(m.range.clone(), m.label))
            .collect()
    }

    fn severity(&self, ctx: &Context<'_>, hit: &Hit) -> Severity {
        if in_test_path(ctx.path) {
            return Severity::Low;
        }
        self.matching(ctx, hit)
            .and_then(|m| m.severity)
            .unwrap_or(self.meta.severity)
    }

    fn message(&self, ctx: &Context<'_>, hit: &Hit) -> String {
        let value = self
            .matching(ctx, hit)
            .map_or(hit.range.clone(), |m| m.value.clone());
        let masked = mask(ctx.text(value));
        let mut message = format!(
            "Hardcoded {} `{masked}` (CWE-798): anyone who can read this file or its history can \
             use it. Revoke or rotate it, then load it at run time from the environment or a \
             secret manager.",
            hit.subject
        );
        if in_test_path(ctx.path) {
            message.push_str(" Reported as Low because the file is under a test directory.");
        }
        message
    }
}

/// Every secrets detector.
pub static DETECTORS: &[&dyn Detector] = &[
    &rules::AWS_ACCESS_KEY_ID,
    &rules::AWS_SECRET_ACCESS_KEY,
    &rules::PRIVATE_KEY,
    &rules::GITHUB_TOKEN,
    &rules::GITLAB_TOKEN,
    &rules::SLACK_TOKEN,
    &rules::STRIPE_KEY,
    &rules::GOOGLE_API_KEY,
    &rules::TWILIO_API_KEY,
    &rules::SENDGRID_API_KEY,
    &rules::NPM_TOKEN,
    &rules::PYPI_TOKEN,
    &rules::JWT,
    &rules::PASSWORD_IN_URL,
    &rules::GENERIC_PASSWORD,
    &rules::GENERIC_SECRET,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_paths_are_recognised_by_directory() {
        assert!(in_test_path(Some(Path::new("app/tests/conf.env"))));
        assert!(in_test_path(Some(Path::new("/r/src/__fixtures__/a.json"))));
        assert!(!in_test_path(Some(Path::new("app/testing.env"))));
        assert!(!in_test_path(Some(Path::new("tests"))));
        assert!(!in_test_path(None));
        assert!(!in_test_path(Some(Path::new(
            "/home/test/app/src/config/x/.env"
        ))));
    }
}
