//! `python/log-injection@v1.0`: untrusted data written to logs without neutralising line breaks.

use crate::analysis::{Arg, Call, CallKind, SinkKind, SourceKind};
use crate::detectors::{Context, Detector, DetectorMeta, Hit, Scope};
use crate::finding::{Category, Severity};
use crate::lang::Language;

use super::taint_sink;

/// Flags web and network data logged through `logging` without escaping line breaks.
pub struct LogInjection;

/// The detector's metadata and documentation.
pub static META: DetectorMeta = DetectorMeta {
    id: "python/log-injection@v1.0",
    name: "Log injection",
    language: Language::Python,
    severity: Severity::High,
    cwes: &[117, 93],
    category: Category::Security,
    express: true,
    docs: r#"## What it does
Flags web request data and network reads passed to the standard `logging` API — the message or
its `%` arguments, through the module functions (`logging.info(...)`) or a logger
(`logging.getLogger(...)`, or any object whose name contains `log`: `logger`, `app.logger`,
`LOG`) — without removing line breaks. Data passed through `.replace("\n", ...)`, `repr()`, `json.dumps`, a numeric conversion or an allow-list check is not
flagged, nor arguments formatted by numeric or `%r` conversions, nor keyword arguments such as
`extra=` or `exc_info=`. Command-line arguments,
environment variables and standard input are not reported: the person supplying them writes to
their own log. It does not look at `print`, third-party loggers (`structlog`, `loguru`) or custom
handlers that escape records, and it does not know whether a JSON log formatter is configured.

## Why is this bad?
A carriage return or line feed in the data starts a forged log record: an attacker can hide their
activity, impersonate other users in audit trails, or inject content that misleads log viewers
(CWE-117, CWE-93).

## Example
```python
import logging
from flask import request

logger = logging.getLogger(__name__)
logger.info("Login failed for %s", request.form["user"])
```

## Use instead
```python
import logging
from flask import request

logger = logging.getLogger(__name__)
user = request.form["user"].replace("\r", "").replace("\n", "")
logger.info("Login failed for %r", user)
```

## Fix safety
There is no automatic fix: whether to strip, escape or quote the data depends on how the logs
are read. Remove `\r` and `\n`, log `repr(value)`, or use a structured (JSON) formatter.

## References
- [CWE-117: Improper Output Neutralization for Logs](https://cwe.mitre.org/data/definitions/117.html)
- [CWE-93: CRLF Injection](https://cwe.mitre.org/data/definitions/93.html)
- [OWASP: Log injection](https://owasp.org/www-community/attacks/Log_Injection)
"#,
};

/// Sources not reported: whoever supplies them writes to their own log.
const IGNORED: [SourceKind; 3] = [
    SourceKind::CommandLine,
    SourceKind::Environment,
    SourceKind::Stdin,
];

pub(super) const LEVELS: [&str; 9] = [
    "debug",
    "info",
    "warning",
    "warn",
    "error",
    "exception",
    "critical",
    "fatal",
    "log",
];

/// Whether the call's receiver is a logger.
pub(super) fn is_logger_call(call: &Call) -> bool {
    if call.name.starts_with("logging.") && call.name.matches('.').count() == 1 {
        return call.kind == CallKind::Function;
    }
    if call.kind != CallKind::Method {
        return false;
    }
    if call
        .receiver
        .as_ref()
        .and_then(|r| r.type_name.as_deref())
        .is_some_and(|t| t == "logging.Logger" || t == "logging.LoggerAdapter")
    {
        return true;
    }
    let receiver = crate::analysis::split_last_dot(&call.name).map_or("", |(object, _)| object);
    let last = crate::analysis::last_segment(receiver);
    last.to_ascii_lowercase().contains("log") && !last.to_ascii_lowercase().contains("catalog")
}

/// The message and `%` arguments of a logging call.
fn logged_args<'c>(_ctx: &Context<'_>, call: &'c Call) -> Vec<&'c Arg> {
    let method = call.method_name();
    if !LEVELS.contains(&method) || !is_logger_call(call) {
        return Vec::new();
    }
    let skip = usize::from(method == "log");
    let logged: Vec<&Arg> = call
        .args
        .iter()
        .filter(|a| a.keyword.as_deref().is_none_or(|k| k == "msg"))
        .filter(|a| !a.unpacked)
        .skip(skip)
        .collect();
    // Arguments rendered by `%d`, `%i`, `%f`, `%r`... cannot carry a raw line break.
    let conversions = logged
        .first()
        .and_then(|m| m.value.const_str())
        .map(percent_conversions)
        .unwrap_or_default();
    logged
        .into_iter()
        .enumerate()
        .filter(|(i, _)| {
            *i == 0
                || !conversions
                    .get(i - 1)
                    .is_some_and(|c| "diouxXeEfFgGr".contains(*c))
        })
        .map(|(_, a)| a)
        .collect()
}

/// The conversion characters of a `%`-format string, in order (`%%` skipped).
fn percent_conversions(format: &str) -> Vec<char> {
    let mut out = Vec::new();
    let mut chars = format.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            continue;
        }
        for spec in chars.by_ref() {
            if spec == '%' {
                break;
            }
            if spec.is_ascii_alphabetic() {
                out.push(spec);
                break;
            }
        }
    }
    out
}

impl Detector for LogInjection {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn scope(&self) -> Scope {
        Scope::Definition
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        taint_sink::hits(ctx, SinkKind::Log, &IGNORED, logged_args)
    }

    fn message(&self, ctx: &Context<'_>, hit: &Hit) -> String {
        format!(
            "`{}` logs {} as is; a line break in it forges extra log records ({}). Remove `\\r` \
             and `\\n` first, log `repr(value)` (`%r`), or use a structured formatter.",
            hit.subject,
            taint_sink::source(ctx, hit),
            META.cwe_list()
        )
    }
}
