//! The metadata and documentation of each secrets detector.

use super::{Rule, SecretDetector};
use crate::detectors::DetectorMeta;
use crate::finding::{Category, Severity};
use crate::lang::Language;

/// The sections every secrets detector shares after its own "What it does" and "Example".
macro_rules! common_docs {
    () => {
        "\n\n## Use instead\nRead the secret at run time from the environment or a secret manager, and keep \
the file itself free of it:\n```sh\nexport API_TOKEN=...   # set by the deployment, never committed\n```\n\
In code: `os.environ[\"API_TOKEN\"]`, `System.getenv(\"API_TOKEN\")`, `process.env.API_TOKEN`. In \
configuration files: a reference the loader expands (`${API_TOKEN}`). Then revoke the leaked secret: \
it stays in the version history.\n\n\
## Fix safety\nThere is no automatic fix: the secret has to be rotated, and where its replacement comes \
from depends on the deployment. Placeholders (`EXAMPLE`, `xxxx`, `changeme`, `<your-key>`), template \
variables (`${VAR}`, `{{ var }}`, `%(var)s`), empty values and values read from the environment are \
not findings. Files under a test directory (`test`, `tests`, `__tests__`, `spec`, `specs`, `fixture`, \
`fixtures`, `__fixtures__`, `testdata`, `test-data`, among a file's 4 nearest parent directories) are \
reported as Low. Messages show at most the first 4 characters of the value.\n\n\
## References\n- [CWE-798: Use of Hard-coded Credentials](https://cwe.mitre.org/data/definitions/798.html)\n\
- [OWASP Secrets Management Cheat Sheet](https://cheatsheetseries.owasp.org/cheatsheets/Secrets_Management_Cheat_Sheet.html)\n"
    };
}

/// Why every hardcoded secret is bad.
macro_rules! why {
    () => {
        "\n\n## Why is this bad?\nA secret in a file is readable by everyone who can read the repository, its \
forks, its history, build logs and packaged artifacts, and it cannot be rotated without a change to the \
code (CWE-798). Leaked keys are found and used by automated scanners within minutes of a push.\n\n"
    };
}

/// `secrets/aws-access-key-id@v1.0`.
pub static AWS_ACCESS_KEY_ID: SecretDetector = SecretDetector {
    rule: Rule::AwsAccessKeyId,
    meta: &META_AWS_ACCESS_KEY_ID,
};

static META_AWS_ACCESS_KEY_ID: DetectorMeta = DetectorMeta {
    id: "secrets/aws-access-key-id@v1.0",
    name: "AWS access key id",
    language: Language::Text,
    severity: Severity::High,
    cwes: &[798],
    category: Category::Security,
    express: true,
    docs: concat!(
        "## What it does\n",
        "Flags AWS access key ids (`AKIA…`, temporary `ASIA…` and the other documented prefixes followed by 16 upper-case letters and digits) in any text file and in string literals and comments of code. High: an access key id is half of a credential pair and identifies the account; the secret key is usually next to it.",
        why!(),
        "## Example\n```\n",
        "aws_access_key_id = AKIAIOSFODNN7EXAMPLE",
        "\n```",
        common_docs!()
    ),
};

/// `secrets/aws-secret-access-key@v1.0`.
pub static AWS_SECRET_ACCESS_KEY: SecretDetector = SecretDetector {
    rule: Rule::AwsSecretAccessKey,
    meta: &META_AWS_SECRET_ACCESS_KEY,
};

static META_AWS_SECRET_ACCESS_KEY: DetectorMeta = DetectorMeta {
    id: "secrets/aws-secret-access-key@v1.0",
    name: "AWS secret access key",
    language: Language::Text,
    severity: Severity::Critical,
    cwes: &[798],
    category: Category::Security,
    express: true,
    docs: concat!(
        "## What it does\n",
        "Flags 40-character AWS secret access keys bound to a name such as `aws_secret_access_key`, `AWS_SECRET_ACCESS_KEY` or `secretAccessKey` (the value has no recognisable format of its own). Critical: with the key id it signs any API call the user may make.",
        why!(),
        "## Example\n```\n",
        "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "\n```",
        common_docs!()
    ),
};

/// `secrets/private-key@v1.0`.
pub static PRIVATE_KEY: SecretDetector = SecretDetector {
    rule: Rule::PrivateKey,
    meta: &META_PRIVATE_KEY,
};

static META_PRIVATE_KEY: DetectorMeta = DetectorMeta {
    id: "secrets/private-key@v1.0",
    name: "Private key",
    language: Language::Text,
    severity: Severity::Critical,
    cwes: &[798],
    category: Category::Security,
    express: true,
    docs: concat!(
        "## What it does\n",
        "Flags PEM private key blocks (`-----BEGIN RSA PRIVATE KEY-----`, EC, DSA, OpenSSH, PKCS#8, encrypted and PGP private key blocks) followed by key data, also written with `\\n` escapes inside a string literal. Public keys and certificates are not flagged. Critical: the key signs, decrypts or logs in as its owner.",
        why!(),
        "## Example\n```\n",
        "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA3Tz2mr7SZiAMfQyuvBjM9Oi...\n-----END RSA PRIVATE KEY-----",
        "\n```",
        common_docs!()
    ),
};

/// `secrets/github-token@v1.0`.
pub static GITHUB_TOKEN: SecretDetector = SecretDetector {
    rule: Rule::GithubToken,
    meta: &META_GITHUB_TOKEN,
};

static META_GITHUB_TOKEN: DetectorMeta = DetectorMeta {
    id: "secrets/github-token@v1.0",
    name: "GitHub token",
    language: Language::Text,
    severity: Severity::Critical,
    cwes: &[798],
    category: Category::Security,
    express: true,
    docs: concat!(
        "## What it does\n",
        "Flags GitHub personal access tokens (classic `ghp_` and fine-grained `github_pat_`), OAuth (`gho_`), user-to-server (`ghu_`), server-to-server (`ghs_`) and refresh (`ghr_`) tokens. Critical: they give access to repositories, and often to write them.",
        why!(),
        "## Example\n```\n",
        "GITHUB_TOKEN=ghp_<36 letters and digits>",
        "\n```",
        common_docs!()
    ),
};

/// `secrets/gitlab-token@v1.0`.
pub static GITLAB_TOKEN: SecretDetector = SecretDetector {
    rule: Rule::GitlabToken,
    meta: &META_GITLAB_TOKEN,
};

static META_GITLAB_TOKEN: DetectorMeta = DetectorMeta {
    id: "secrets/gitlab-token@v1.0",
    name: "GitLab personal access token",
    language: Language::Text,
    severity: Severity::Critical,
    cwes: &[798],
    category: Category::Security,
    express: true,
    docs: concat!(
        "## What it does\n",
        "Flags GitLab personal access tokens (`glpat-` followed by 20 or more characters). Critical: they give API access to the user's projects.",
        why!(),
        "## Example\n```\n",
        "CI_TOKEN=glpat-<20 characters>",
        "\n```",
        common_docs!()
    ),
};

/// `secrets/slack-token@v1.0`.
pub static SLACK_TOKEN: SecretDetector = SecretDetector {
    rule: Rule::SlackToken,
    meta: &META_SLACK_TOKEN,
};

static META_SLACK_TOKEN: DetectorMeta = DetectorMeta {
    id: "secrets/slack-token@v1.0",
    name: "Slack token",
    language: Language::Text,
    severity: Severity::High,
    cwes: &[798],
    category: Category::Security,
    express: true,
    docs: concat!(
        "## What it does\n",
        "Flags Slack bot, user, app and configuration tokens (`xoxb-`, `xoxp-`, `xoxa-`, `xoxo-`, `xoxs-`, `xoxr-`) and incoming webhook URLs (`https://hooks.slack.com/services/T…/B…/…`). High: they read or post messages in the workspace.",
        why!(),
        "## Example\n```\n",
        "SLACK_BOT_TOKEN=xoxb-<team>-<token>",
        "\n```",
        common_docs!()
    ),
};

/// `secrets/stripe-key@v1.0`.
pub static STRIPE_KEY: SecretDetector = SecretDetector {
    rule: Rule::StripeKey,
    meta: &META_STRIPE_KEY,
};

static META_STRIPE_KEY: DetectorMeta = DetectorMeta {
    id: "secrets/stripe-key@v1.0",
    name: "Stripe secret key",
    language: Language::Text,
    severity: Severity::Critical,
    cwes: &[798],
    category: Category::Security,
    express: true,
    docs: concat!(
        "## What it does\n",
        "Flags Stripe secret and restricted keys (`sk_live_`, `rk_live_`; test-mode `sk_test_` and `rk_test_` keys are reported as Low because they cannot move money). Publishable keys (`pk_`) are public by design and not flagged. Critical: a live secret key makes charges and refunds.",
        why!(),
        "## Example\n```\n",
        "stripe.api_key = \"sk_live_<24 or more characters>\"",
        "\n```",
        common_docs!()
    ),
};

/// `secrets/google-api-key@v1.0`.
pub static GOOGLE_API_KEY: SecretDetector = SecretDetector {
    rule: Rule::GoogleApiKey,
    meta: &META_GOOGLE_API_KEY,
};

static META_GOOGLE_API_KEY: DetectorMeta = DetectorMeta {
    id: "secrets/google-api-key@v1.0",
    name: "Google API key",
    language: Language::Text,
    severity: Severity::High,
    cwes: &[798],
    category: Category::Security,
    express: true,
    docs: concat!(
        "## What it does\n",
        "Flags Google API keys (`AIza` followed by 35 characters) and Google OAuth client secrets (`GOCSPX-`). High: usage is billed to the key's project and, unless the key is restricted, it works for every enabled API.",
        why!(),
        "## Example\n```\n",
        "GOOGLE_MAPS_KEY=AIza<35 characters>",
        "\n```",
        common_docs!()
    ),
};

/// `secrets/twilio-api-key@v1.0`.
pub static TWILIO_API_KEY: SecretDetector = SecretDetector {
    rule: Rule::TwilioApiKey,
    meta: &META_TWILIO_API_KEY,
};

static META_TWILIO_API_KEY: DetectorMeta = DetectorMeta {
    id: "secrets/twilio-api-key@v1.0",
    name: "Twilio API key",
    language: Language::Text,
    severity: Severity::High,
    cwes: &[798],
    category: Category::Security,
    express: true,
    docs: concat!(
        "## What it does\n",
        "Flags Twilio API key SIDs (`SK` followed by 32 lower-case hex digits). High: with its secret it sends messages and places calls billed to the account.",
        why!(),
        "## Example\n```\n",
        "TWILIO_API_KEY=SK<32 hex digits>",
        "\n```",
        common_docs!()
    ),
};

/// `secrets/sendgrid-api-key@v1.0`.
pub static SENDGRID_API_KEY: SecretDetector = SecretDetector {
    rule: Rule::SendgridApiKey,
    meta: &META_SENDGRID_API_KEY,
};

static META_SENDGRID_API_KEY: DetectorMeta = DetectorMeta {
    id: "secrets/sendgrid-api-key@v1.0",
    name: "SendGrid API key",
    language: Language::Text,
    severity: Severity::High,
    cwes: &[798],
    category: Category::Security,
    express: true,
    docs: concat!(
        "## What it does\n",
        "Flags SendGrid API keys (`SG.` followed by two base64url parts). High: they send mail from the account's verified domains, a phishing tool.",
        why!(),
        "## Example\n```\n",
        "SENDGRID_API_KEY=SG.<22 characters>.<43 characters>",
        "\n```",
        common_docs!()
    ),
};

/// `secrets/npm-token@v1.0`.
pub static NPM_TOKEN: SecretDetector = SecretDetector {
    rule: Rule::NpmToken,
    meta: &META_NPM_TOKEN,
};

static META_NPM_TOKEN: DetectorMeta = DetectorMeta {
    id: "secrets/npm-token@v1.0",
    name: "npm access token",
    language: Language::Text,
    severity: Severity::Critical,
    cwes: &[798],
    category: Category::Security,
    express: true,
    docs: concat!(
        "## What it does\n",
        "Flags npm access tokens (`npm_` followed by 36 characters) and random-looking `_authToken=` / `_auth=` values in `.npmrc` files. Critical: a publish token lets anyone publish a new version of your packages.",
        why!(),
        "## Example\n```\n",
        "//registry.npmjs.org/:_authToken=npm_<36 characters>",
        "\n```",
        common_docs!()
    ),
};

/// `secrets/pypi-token@v1.0`.
pub static PYPI_TOKEN: SecretDetector = SecretDetector {
    rule: Rule::PypiToken,
    meta: &META_PYPI_TOKEN,
};

static META_PYPI_TOKEN: DetectorMeta = DetectorMeta {
    id: "secrets/pypi-token@v1.0",
    name: "PyPI API token",
    language: Language::Text,
    severity: Severity::Critical,
    cwes: &[798],
    category: Category::Security,
    express: true,
    docs: concat!(
        "## What it does\n",
        "Flags PyPI and TestPyPI API tokens (`pypi-AgEIcHlwaS5vcmc…`). Critical: they upload new releases of your packages.",
        why!(),
        "## Example\n```\n",
        "password = <pypi-AgEIcHlwaS5vcmc…>",
        "\n```",
        common_docs!()
    ),
};

/// `secrets/jwt@v1.0`.
pub static JWT: SecretDetector = SecretDetector {
    rule: Rule::Jwt,
    meta: &META_JWT,
};

static META_JWT: DetectorMeta = DetectorMeta {
    id: "secrets/jwt@v1.0",
    name: "JSON Web Token",
    language: Language::Text,
    severity: Severity::High,
    cwes: &[798],
    category: Category::Security,
    express: true,
    docs: concat!(
        "## What it does\n",
        "Flags signed JSON Web Tokens (three base64url parts, the first two starting with `eyJ`). High: a JWT is a bearer credential until it expires, and tokens written into files tend to be long-lived.",
        why!(),
        "## Example\n```\n",
        "Authorization: Bearer eyJhbGciOi….eyJzdWIiOi….<signature>",
        "\n```",
        common_docs!()
    ),
};

/// `secrets/password-in-url@v1.0`.
pub static PASSWORD_IN_URL: SecretDetector = SecretDetector {
    rule: Rule::PasswordInUrl,
    meta: &META_PASSWORD_IN_URL,
};

static META_PASSWORD_IN_URL: DetectorMeta = DetectorMeta {
    id: "secrets/password-in-url@v1.0",
    name: "Password in a URL",
    language: Language::Text,
    severity: Severity::High,
    cwes: &[798],
    category: Category::Security,
    express: true,
    docs: concat!(
        "## What it does\n",
        "Flags URLs with a password in their user information (`postgres://app:<password>@db:5432/app`, `https://user:<password>@host/`), such as database URLs and connection strings. Template variables (`${DB_PASSWORD}`) and placeholders are not flagged. High: the URL logs in to the service.",
        why!(),
        "## Example\n```\n",
        "DATABASE_URL=postgres://app:<password>@db.internal:5432/app",
        "\n```",
        common_docs!()
    ),
};

/// `secrets/generic-password@v1.0`.
pub static GENERIC_PASSWORD: SecretDetector = SecretDetector {
    rule: Rule::GenericPassword,
    meta: &META_GENERIC_PASSWORD,
};

static META_GENERIC_PASSWORD: DetectorMeta = DetectorMeta {
    id: "secrets/generic-password@v1.0",
    name: "Hardcoded password",
    language: Language::Text,
    severity: Severity::High,
    cwes: &[798],
    category: Category::Security,
    express: true,
    docs: concat!(
        "## What it does\n",
        "Flags passwords assigned to a password-like name (`password=`, `DB_PASSWORD:`, `spring.datasource.password=`, `\"passwd\": `, `Password=` in a connection string) in any text file and inside string literals of code. Empty values, placeholders (`changeme`, `xxxx`, `<password>`), references (`${DB_PASSWORD}`, `{{ password }}`, `%(password)s`, `$(cat …)`), paths, calls and bare words such as `user.password` are not flagged. High: the password logs in to whatever it protects.",
        why!(),
        "## Example\n```\n",
        "spring.datasource.password=<password>",
        "\n```",
        common_docs!()
    ),
};

/// `secrets/generic-secret@v1.0`.
pub static GENERIC_SECRET: SecretDetector = SecretDetector {
    rule: Rule::GenericSecret,
    meta: &META_GENERIC_SECRET,
};

static META_GENERIC_SECRET: DetectorMeta = DetectorMeta {
    id: "secrets/generic-secret@v1.0",
    name: "Hardcoded secret or API key",
    language: Language::Text,
    severity: Severity::High,
    cwes: &[798],
    category: Category::Security,
    express: true,
    docs: concat!(
        "## What it does\n",
        "Flags random-looking values (16 or more characters with letters and digits and a Shannon entropy of at least 3.2 bits per character, or 32 or more characters with at least 3.5) bound to a secret-looking name: `api_key`, `apiKey`, `secret`, `client_secret`, `secret_key`, `access_token`, `auth_token`, `token`, `private_key`, `signing_key`, `credentials`. Hashes, UUIDs and other values bound to other names are not flagged. High: it is most likely an API key or signing secret.",
        why!(),
        "## Example\n```\n",
        "api_key: <20 or more random letters and digits>",
        "\n```",
        common_docs!()
    ),
};
