//! `java/log-injection`: untrusted data written to a log without neutralising line breaks.

use super::sinks::{sink, source_phrase, taint_hits_where, Part, Sink};
use crate::analysis::{SinkKind, SourceKind};
use crate::detectors::{Context, Detector, DetectorMeta, Hit};
use crate::finding::{Category, Severity};
use crate::lang::Language;

/// Flags log calls whose message or arguments carry untrusted data with its line breaks.
pub struct LogInjection;

/// The detector instance.
pub static LOG_INJECTION: LogInjection = LogInjection;

static META: DetectorMeta = DetectorMeta {
    id: "java/log-injection@v1.0",
    name: "Log injection",
    language: Language::Java,
    severity: Severity::Low,
    cwes: &[117],
    category: Category::Security,
    express: true,
    docs: r#"## What it does
Flags SLF4J, Log4j 2, Log4j 1, java.util.logging and Commons Logging calls (`trace`, `debug`,
`info`, `warn`, `error`, `fatal`, `log`, `warning`, `severe`, ...) whose message or arguments carry
data from a client (web request data, Spring `@RequestParam`-style parameters, the network,
standard input) that still holds its line breaks. Data passed through `replace` / `replaceAll` of
`\n` / `\r` (or a `\\R`, `\\s` pattern), Commons Text `escapeJava`, OWASP `Encode.forJava`, a
numeric conversion or an allow-list check is not flagged. Command-line arguments and environment
variables are set by the operator and are not flagged. The catalogue publishes no severity;
Codeward uses Low (it forges records; it does not run code) with CWE-117.

It does not know whether the logging configuration already encodes line breaks (a JSON layout, or
a `%enc{}{CRLF}` pattern), and only recognises loggers whose type it can resolve in the file.

## Why is this bad?
A user name like `bob\nINFO Login succeeded for admin` adds a fake record: audit trails lie,
alerting is fooled, and log viewers that render HTML can be attacked through the log.

## Example
```java
log.info("Login failed for " + request.getParameter("user"));
```

## Use instead
```java
String user = request.getParameter("user").replaceAll("[\r\n]", "_");
log.info("Login failed for {}", user);
```

## Fix safety
No automatic fix: whether to drop, replace or encode line breaks is a logging policy decision.

## References
- [CWE-117: Improper Output Neutralization for Logs](https://cwe.mitre.org/data/definitions/117.html)
- [OWASP Log Injection](https://owasp.org/www-community/attacks/Log_Injection)
"#,
};

const ALL: &[Part] = &[Part::AllArgs];

/// Logger classes and their logging methods.
const LOGGERS: &[(&str, &[&str])] = &[
    (
        "org.slf4j.Logger",
        &["trace", "debug", "info", "warn", "error"],
    ),
    (
        "org.apache.logging.log4j.Logger",
        &[
            "trace", "debug", "info", "warn", "error", "fatal", "log", "printf",
        ],
    ),
    (
        "org.apache.log4j.Logger",
        &["trace", "debug", "info", "warn", "error", "fatal", "log"],
    ),
    (
        "java.util.logging.Logger",
        &[
            "finest", "finer", "fine", "config", "info", "warning", "severe", "log",
        ],
    ),
    (
        "org.apache.commons.logging.Log",
        &["trace", "debug", "info", "warn", "error", "fatal"],
    ),
];

/// Every logging method as a sink.
fn sinks() -> Vec<Sink> {
    LOGGERS
        .iter()
        .flat_map(|(class, methods)| methods.iter().map(move |m| sink(class, m, ALL)))
        .collect()
}

impl Detector for LogInjection {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        taint_hits_where(ctx, &sinks(), Some(SinkKind::Log), &|o| {
            matches!(
                o.kind,
                SourceKind::Request | SourceKind::Network | SourceKind::Stdin
            )
        })
    }

    fn message(&self, ctx: &Context<'_>, hit: &Hit) -> String {
        format!(
            "Log injection (CWE-117): `{}` logs {} with its line breaks, so a client can forge \
             log records. Replace `\\r` and `\\n` (e.g. `replaceAll(\"[\\r\\n]\", \"_\")`) or \
             encode the value before logging it.",
            hit.subject,
            source_phrase(ctx, hit)
        )
    }
}
