//! `java/clear-text-credentials`: passwords and secrets written in clear text to logs, the
//! console or cookies.

use tree_sitter::Node;

use super::sinks::{class_is, split_call};
use crate::analysis::{Call, CallKind};
use crate::detectors::{Context, Detector, DetectorMeta, Hit};
use crate::finding::{Category, Severity};
use crate::lang::{syntax, Language};

/// Flags values named like passwords or secrets reaching logs, standard output or cookies.
pub struct ClearTextCredentials;

/// The detector instance.
pub static CLEAR_TEXT_CREDENTIALS: ClearTextCredentials = ClearTextCredentials;

static META: DetectorMeta = DetectorMeta {
    id: "java/clear-text-credentials@v1.0",
    name: "Clear text credentials",
    language: Language::Java,
    severity: Severity::High,
    cwes: &[312, 532],
    category: Category::Security,
    express: true,
    docs: r#"## What it does
Flags a password or secret — a variable, field, parameter or getter named like one (`password`,
`passwd`, `pwd`, `secret`, `credential`, `getPassword()`, `clientSecret`) — written in clear text
to a log (SLF4J, Log4j, java.util.logging, Commons Logging), to `System.out` / `System.err`, or
into a cookie (`new Cookie(name, password)`). Uses that do not reveal the value (`password.length()`,
`isEmpty()`, `equals`, comparisons, hashing and masking helpers) are not flagged, nor are
upper-case constants (`PASSWORD_PARAM` names a field rather than holding a secret). The catalogue
publishes no severity; Codeward uses High with CWE-312 and CWE-532. Secrets written in the source
are `java/hardcoded-credentials`.

It judges by names, so a secret held in a variable called `value` is missed, and a variable
called `passwordPolicy` is flagged; suppress such a finding with a comment.

## Why is this bad?
Logs, consoles and cookies are read by many more people and systems than the credential store:
log aggregation, support staff, backups, browser extensions. A password written there is a
password leaked.

## Example
```java
log.info("Connecting as {} with password {}", user, password);
```

## Use instead
```java
log.info("Connecting as {}", user);
```

## Fix safety
No automatic fix: what to log instead is the author's decision.

## References
- [CWE-312: Cleartext Storage of Sensitive Information](https://cwe.mitre.org/data/definitions/312.html)
- [CWE-532: Insertion of Sensitive Information into Log File](https://cwe.mitre.org/data/definitions/532.html)
"#,
};

/// Logger classes whose every method writes a record.
const LOGGERS: &[&str] = &[
    "org.slf4j.Logger",
    "org.apache.logging.log4j.Logger",
    "org.apache.log4j.Logger",
    "java.util.logging.Logger",
    "org.apache.commons.logging.Log",
];

/// Logging method names.
const LOG_METHODS: &[&str] = &[
    "trace", "debug", "info", "warn", "error", "fatal", "log", "printf", "finest", "finer", "fine",
    "config", "warning", "severe",
];

/// Name parts that mark a credential.
const SECRET_WORDS: &[&str] = &["password", "passwd", "pwd", "secret", "credential"];

/// Calls that use a value without revealing it.
const OPAQUE: &[&str] = &[
    "length",
    "isEmpty",
    "isBlank",
    "equals",
    "equalsIgnoreCase",
    "hashCode",
    "hash",
    "mask",
    "matches",
    "startsWith",
    "endsWith",
    "contains",
    "digest",
    "encode",
    "getClass",
];

/// Whether a name is that of a credential (and not a constant naming one).
fn secret_name(name: &str) -> bool {
    let constant = name
        .chars()
        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
    let lower = name.to_ascii_lowercase();
    !constant && SECRET_WORDS.iter().any(|w| lower.contains(w))
}

/// The first identifier in `node` naming a credential whose value is revealed.
fn revealed_secret<'t>(ctx: &Context<'_>, node: Node<'t>, depth: usize) -> Option<Node<'t>> {
    if depth > syntax::MAX_DEPTH {
        return None;
    }
    match node.kind() {
        "identifier" => return secret_name(ctx.node_text(node)).then_some(node),
        "method_invocation" => {
            let name = node.child_by_field_name("name");
            let method = name.map_or("", |n| ctx.node_text(n));
            if OPAQUE.contains(&method) {
                return None;
            }
            // `user.getPassword()`: the getter's name says what it returns.
            if let Some(name) = name.filter(|_| method.starts_with("get") && secret_name(method)) {
                return Some(name);
            }
            // Only the receiver and arguments carry values; the method name does not.
            let object = node.child_by_field_name("object");
            let arguments = node.child_by_field_name("arguments");
            return [object, arguments]
                .into_iter()
                .flatten()
                .find_map(|child| revealed_secret(ctx, child, depth + 1));
        }
        "binary_expression" => {
            let comparison = node
                .child_by_field_name("operator")
                .is_some_and(|o| matches!(ctx.node_text(o), "==" | "!=" | "<" | ">" | "<=" | ">="));
            if comparison {
                return None;
            }
        }
        "string_literal" | "lambda_expression" | "class_literal" => return None,
        _ => {}
    }
    let mut cursor = node.walk();
    let children: Vec<Node<'t>> = node.named_children(&mut cursor).collect();
    children
        .into_iter()
        .find_map(|child| revealed_secret(ctx, child, depth + 1))
}

/// Where a call writes its arguments in clear text, and which arguments.
fn clear_text_sink(call: &Call) -> Option<(&'static str, usize)> {
    let (class, method) = split_call(call);
    if call.kind == CallKind::Constructor && class_is(class, "javax.servlet.http.Cookie") {
        return Some(("a cookie", 1));
    }
    if LOG_METHODS.contains(&method) && LOGGERS.iter().any(|l| class_is(class, l)) {
        return Some(("a log", 0));
    }
    let console = matches!(
        class,
        "java.lang.System.out" | "java.lang.System.err" | "System.out" | "System.err"
    );
    if console && matches!(method, "print" | "println" | "printf" | "format") {
        return Some(("standard output", 0));
    }
    None
}

impl Detector for ClearTextCredentials {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        let mut hits = Vec::new();
        for call in &ctx.facts.calls {
            let Some((place, first)) = clear_text_sink(call) else {
                continue;
            };
            let found = call.args.iter().skip(first).find_map(|arg| {
                let node = ctx.node_at(arg.range.clone())?;
                revealed_secret(ctx, node, 0)
            });
            if let Some(secret) = found {
                hits.push(Hit::new(secret.byte_range(), place).with_anchor(call.range.clone()));
            }
        }
        hits
    }

    fn message(&self, ctx: &Context<'_>, hit: &Hit) -> String {
        format!(
            "Clear text credentials (CWE-312, CWE-532): `{}` is written to {} in clear text, where \
             anyone who can read it gets the credential. Leave it out, or write a masked or \
             hashed form.",
            ctx.text(hit.range.clone()),
            hit.subject
        )
    }
}
