//! `python/aws-logged-credentials@v1.0`: AWS secret keys and session tokens written to logs.

use std::ops::Range;

use crate::analysis::{Arg, Call, Origin, SourceKind};
use crate::detectors::{Context, Detector, DetectorMeta, Hit, Scope};
use crate::finding::{Category, Severity};
use crate::lang::Language;

use super::log_injection::{is_logger_call, LEVELS};

/// Flags AWS secret access keys and session tokens passed to `logging` or `print`.
pub struct AwsLoggedCredentials;

/// The detector's metadata and documentation.
pub static META: DetectorMeta = DetectorMeta {
    id: "python/aws-logged-credentials@v1.0",
    name: "AWS credentials logged",
    language: Language::Python,
    severity: Severity::High,
    cwes: &[255],
    category: Category::Security,
    express: true,
    docs: r#"## What it does
Flags AWS secrets written to logs or standard output: the `secret_key` and `token` of the
credentials a `boto3` / `botocore` session returns (`session.get_credentials()`,
`.get_frozen_credentials()`), a frozen credentials tuple itself (its `repr` shows the secret
key), and the `AWS_SECRET_ACCESS_KEY` / `AWS_SESSION_TOKEN` environment variables — when they
reach a `logging` call (module functions or a logger, as in `log-injection`) or `print`,
through variables, f-strings, `%` and `format`, concatenation and functions of the same file.
The access key id (`access_key`, `AWS_ACCESS_KEY_ID`) is an identifier, not a secret, and is
not flagged; nor are values derived by a conversion that keeps nothing of the secret (`len`,
`bool`, a `hashlib` digest). It does not follow credentials returned by STS calls
(`assume_role()["Credentials"]`), stored on objects, or read from files, and it does not look
at third-party loggers.

## Why is this bad?
Logs are copied to many places (log files, CloudWatch, log aggregators, support tickets) and
read by many more people than the code's secrets should be. A secret key in a log lets anyone
who can read the log act as the program's AWS identity until the key is rotated (CWE-255).

## Example
```python
import logging
import boto3

credentials = boto3.Session().get_credentials().get_frozen_credentials()
logging.info("using key %s / %s", credentials.access_key, credentials.secret_key)
```

## Use instead
```python
import logging
import boto3

credentials = boto3.Session().get_credentials().get_frozen_credentials()
logging.info("using key %s", credentials.access_key)
```

## Fix safety
There is no automatic fix: remove the secret from the message (log the access key id, or
nothing), and rotate a key that has already been logged.

## References
- [CWE-255: Credentials Management Errors](https://cwe.mitre.org/data/definitions/255.html)
- [AWS: Best practices for managing access keys](https://docs.aws.amazon.com/accounts/latest/reference/credentials-access-keys-best-practices.html)
"#,
};

/// Environment variables that hold AWS secrets.
const SECRET_VARIABLES: [&str; 3] = [
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_SECURITY_TOKEN",
];

/// The arguments of a logging or `print` call whose text ends up in the output.
fn logged_args(call: &Call) -> Vec<&Arg> {
    if call.name == "print" {
        return call.args.iter().filter(|a| a.keyword.is_none()).collect();
    }
    let method = call.method_name();
    if !LEVELS.contains(&method) || !is_logger_call(call) {
        return Vec::new();
    }
    let skip = usize::from(method == "log");
    call.args
        .iter()
        .filter(|a| a.keyword.as_deref().is_none_or(|k| k == "msg"))
        .skip(skip)
        .collect()
}

/// The name of the environment variable an environment origin reads, when it is a literal:
/// read from the syntax at the origin (which may be in another definition, whose facts a
/// partial scan does not see).
fn variable_name<'c>(ctx: &'c Context<'_>, origin: &Origin) -> Option<&'c str> {
    let node = ctx.node_at(origin.range.clone())?;
    if node.kind() == "call" {
        // `os.getenv("NAME")`, `os.environ.get("NAME")`: the first argument.
        let args = node.child_by_field_name("arguments")?;
        let first = args.named_child(0)?;
        let key = match first.kind() {
            "keyword_argument" => first.child_by_field_name("value")?,
            _ => first,
        };
        return string_literal(ctx, key.byte_range());
    }
    // `os.environ["NAME"]`: the origin is `os.environ`, the subscript holds the name.
    let subscript = node.parent().filter(|p| p.kind() == "subscript")?;
    let key = subscript.child_by_field_name("subscript")?;
    string_literal(ctx, key.byte_range())
}

/// The content of a plain string literal.
fn string_literal<'c>(ctx: &'c Context<'_>, range: Range<usize>) -> Option<&'c str> {
    let content = super::common::string_content_range(ctx, range)?;
    Some(ctx.text(content))
}

/// What secret an argument carries, as "the AWS secret `credentials.secret_key`", and where
/// it came from (the message names its line).
fn secret_in<'o>(ctx: &Context<'_>, arg: &'o Arg) -> Option<(String, Option<&'o Origin>)> {
    for origin in arg.value.taint.origins() {
        match origin.kind {
            SourceKind::Credential => {
                return Some((format!("the AWS secret `{}`", origin.label), Some(origin)));
            }
            SourceKind::Environment => {
                if let Some(name) = variable_name(ctx, origin)
                    .filter(|n| SECRET_VARIABLES.contains(&n.to_ascii_uppercase().as_str()))
                {
                    return Some((format!("the `{name}` environment variable"), Some(origin)));
                }
            }
            _ => {}
        }
    }
    (arg.value.type_name.as_deref() == Some("botocore.credentials.ReadOnlyCredentials")).then(
        || {
            (
                "frozen AWS credentials, whose text shows the secret key".to_string(),
                None,
            )
        },
    )
}

impl Detector for AwsLoggedCredentials {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn scope(&self) -> Scope {
        Scope::Definition
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        let mut hits = Vec::new();
        for call in &ctx.facts.calls {
            for arg in logged_args(call) {
                if let Some((secret, origin)) = secret_in(ctx, arg) {
                    hits.push(
                        Hit::new(arg.range.clone(), format!("{}|{secret}", call.name))
                            .with_anchor(call.range.clone())
                            .with_origin(origin),
                    );
                }
            }
        }
        hits
    }

    fn message(&self, ctx: &Context<'_>, hit: &Hit) -> String {
        let (call, secret) = hit
            .subject
            .split_once('|')
            .unwrap_or((&hit.subject, "an AWS secret"));
        let secret = match &hit.origin {
            Some(origin) => format!("{secret} (line {})", ctx.line_of(origin.range.start)),
            None => secret.to_string(),
        };
        format!(
            "`{call}` writes {secret} to the output; anyone who can read the logs can act as this \
             AWS identity ({}). Log the access key id or nothing, and rotate a key that was \
             logged.",
            META.cwe_list()
        )
    }
}
