//! `javascript/aws-logged-credentials@v1.0`: AWS credentials written to logs.

use std::collections::VecDeque;
use std::ops::Range;

use crate::analysis::Call;
use crate::detectors::{Context, Detector, DetectorMeta, Hit};
use crate::finding::{Category, Severity};
use crate::lang::syntax::MAX_DEPTH;
use crate::lang::Language;

/// The detector.
pub static AWS_LOGGED_CREDENTIALS: AwsLoggedCredentials = AwsLoggedCredentials;

/// Flags log calls whose arguments read AWS credential properties.
pub struct AwsLoggedCredentials;

static META: DetectorMeta = DetectorMeta {
    id: "javascript/aws-logged-credentials@v1.0",
    name: "AWS credentials logged",
    language: Language::JavaScript,
    severity: Severity::High,
    cwes: &[532, 255],
    category: Category::Security,
    express: true,
    docs: r#"## What it does
Flags AWS credentials passed to a logger (`console.log`/`info`/`warn`/`error`/`debug`, and
`logger`/`log`/`winston`/`pino`/`bunyan` methods): an argument that reads `secretAccessKey`,
`sessionToken` or `accessKeyId` from any object, the credentials object of the SDK configuration
(`AWS.config.credentials`, `config.credentials`), or the resolved credentials of an SDK v3 client
(`await client.config.credentials()`). The catalogue gives no CWE; Codeward uses CWE-532
(sensitive information in log files) and CWE-255.

Not flagged: other properties (`region`, `accessKeyId.length`), credentials used without being
logged. It does not follow credentials through variables with neutral names
(`const c = AWS.config.credentials; console.log(c)`).

## Why is this bad?
Logs are kept long, shipped to other systems and read by many people: a secret access key in a log
gives everyone with access to the logs the account's permissions.

## Example
```javascript
console.log("Using credentials", AWS.config.credentials);
```

## Use instead
```javascript
console.log("Using credentials for key", AWS.config.credentials.accessKeyId.slice(0, 4) + "****");
```

## Fix safety
There is no automatic fix.

## References
- [CWE-532: Insertion of Sensitive Information into Log File](https://cwe.mitre.org/data/definitions/532.html)
"#,
};

const LOG_METHODS: &[&str] = &[
    "log", "info", "warn", "error", "debug", "trace", "fatal", "verbose", "silly",
];
const LOGGERS: &[&str] = &["console", "logger", "log", "winston", "pino", "bunyan"];

/// Properties holding credentials.
const SECRETS: &[&str] = &[
    "secretAccessKey",
    "sessionToken",
    "accessKeyId",
    "SecretAccessKey",
    "SessionToken",
];

fn is_log_call(call: &Call) -> bool {
    let Some((head, method)) = call.name.rsplit_once('.') else {
        return false;
    };
    let owner = head.rsplit('.').next().unwrap_or(head);
    LOG_METHODS.contains(&method) && LOGGERS.contains(&owner)
}

/// The credential-reading expression inside `range`, if any (functions are not searched).
fn credential_read(ctx: &Context<'_>, range: Range<usize>) -> Option<Range<usize>> {
    let root = ctx.node_at(range)?;
    let mut queue = VecDeque::from([(root, 0usize)]);
    while let Some((node, depth)) = queue.pop_front() {
        match node.kind() {
            "member_expression" => {
                let property = node
                    .child_by_field_name("property")
                    .map(|p| ctx.node_text(p));
                let object = node.child_by_field_name("object").map(|o| ctx.node_text(o));
                let whole_credentials = property == Some("credentials")
                    && object.is_some_and(|o| o == "config" || o.ends_with(".config"));
                // What is read from this value next (`creds.accessKeyId.length`), if anything.
                let parent_prop = node
                    .parent()
                    .filter(|p| p.kind() == "member_expression")
                    .and_then(|p| p.child_by_field_name("property"))
                    .map(|p| ctx.node_text(p));
                let secret = property.is_some_and(|p| SECRETS.contains(&p))
                    && !matches!(parent_prop, Some("length"));
                // The credentials object itself, not one of its properties (judged on its own).
                if secret || (whole_credentials && parent_prop.is_none()) {
                    return Some(node.byte_range());
                }
            }
            "arrow_function" | "function_expression" => continue,
            _ => {}
        }
        if depth < MAX_DEPTH {
            let mut cursor = node.walk();
            queue.extend(node.named_children(&mut cursor).map(|c| (c, depth + 1)));
        }
    }
    None
}

impl Detector for AwsLoggedCredentials {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        ctx.facts
            .calls
            .iter()
            .filter(|c| is_log_call(c))
            .filter_map(|call| {
                call.args.iter().find_map(|a| {
                    let range = credential_read(ctx, a.range.clone())?;
                    Some(Hit::new(range, call.name.clone()).with_anchor(call.range.clone()))
                })
            })
            .collect()
    }

    fn message(&self, _ctx: &Context<'_>, hit: &Hit) -> String {
        format!(
            "AWS credentials are written to the log by `{}` (CWE-532): anyone who can read the \
             logs gets the account's permissions. Do not log credentials; log at most a masked key \
             id.",
            hit.subject
        )
    }
}
