//! `javascript/log-injection@v1.0`: untrusted text written to logs.

use crate::analysis::{Arg, Call, Origin, SinkKind, SourceKind};
use crate::detectors::{Context, Detector, DetectorMeta, Hit};
use crate::finding::{Category, Severity};
use crate::lang::Language;

use super::support::{hit_on, is_browser_origin, origin_sentence, tainted_where};

/// The detector.
pub static LOG_INJECTION: LogInjection = LogInjection;

/// Flags request data logged as text without removing line breaks.
pub struct LogInjection;

static META: DetectorMeta = DetectorMeta {
    id: "javascript/log-injection@v1.0",
    name: "Log injection",
    language: Language::JavaScript,
    severity: Severity::High,
    cwes: &[117],
    category: Category::Security,
    express: true,
    docs: r#"## What it does
Flags web request data written as text to a log: arguments of `console.log`/`info`/`warn`/
`error`/`debug`, and of `info`/`warn`/`error`/`debug`/`trace`/`fatal`/`log` on loggers (`logger`,
`log`, `winston`, `pino`, `bunyan`, `req.log`, `fastify.log`, `this.logger`). The catalogue gives
no CWE; Codeward uses CWE-117.

Not flagged: data with line breaks removed (`.replace(/[\r\n]/g, '')`, any regex replacement
matching `\n`, `\r` or `\s`), encoded with `JSON.stringify` or `encodeURIComponent`, numbers,
allow-listed values, and whole request objects (`console.log(req.body)`), which Node formats with
`util.inspect` and escapes. Browser code is not flagged: its console is the visitor's own. It does
not catch loggers with other names or structured logging libraries that escape by design.

## Why is this bad?
Line breaks in the data forge log entries — a fake "login succeeded for admin" line, or entries
that hide an attack — and control characters can attack the terminal or the log viewer that
displays them.

## Example
```javascript
app.post("/login", (req, res) => {
  logger.info(`Login failed for ${req.body.user}`);
});
```

## Use instead
```javascript
app.post("/login", (req, res) => {
  logger.info(`Login failed for ${String(req.body.user).replace(/[\r\n]/g, "")}`);
  // or structured: logger.info({ user: req.body.user }, "Login failed");
});
```

## Fix safety
There is no automatic fix: whether to strip, escape or structure the data is a choice of the
logging setup.

## References
- [CWE-117: Improper Output Neutralization for Logs](https://cwe.mitre.org/data/definitions/117.html)
- [OWASP Log Injection](https://owasp.org/www-community/attacks/Log_Injection)
"#,
};

/// Logging methods.
const LOG_METHODS: &[&str] = &[
    "log", "info", "warn", "warning", "error", "debug", "trace", "fatal", "verbose", "silly",
    "notice", "critical",
];

/// Names of logger objects (the receiver's last segment).
const LOGGERS: &[&str] = &[
    "console", "logger", "log", "winston", "pino", "bunyan", "_logger",
];

fn is_log_call(call: &Call) -> bool {
    let Some((head, method)) = call.name.rsplit_once('.') else {
        return false;
    };
    let owner = head.rsplit('.').next().unwrap_or(head);
    LOG_METHODS.contains(&method) && LOGGERS.contains(&owner)
}

fn remote(origin: &Origin) -> bool {
    matches!(origin.kind, SourceKind::Request | SourceKind::Network) && !is_browser_origin(origin)
}

/// A request object logged whole (`console.log(req.body)`) is formatted by `util.inspect`.
fn whole_object(arg: &Arg) -> bool {
    let origins = arg.value.taint.origins();
    !origins.is_empty()
        && origins.iter().all(|o| {
            o.range == arg.range
                && [
                    ".query",
                    ".body",
                    ".params",
                    ".headers",
                    ".cookies",
                    ".files",
                    ".file",
                    "request object",
                ]
                .iter()
                .any(|s| o.label.ends_with(s))
        })
}

fn hit_of(call: &Call) -> Option<Hit> {
    if !is_log_call(call) {
        return None;
    }
    call.args
        .iter()
        .filter(|a| a.value.fields.is_empty() && !whole_object(a))
        .find_map(|a| {
            let origin = tainted_where(&a.value, SinkKind::Log, remote)?;
            Some(hit_on(call, a.range.clone(), origin))
        })
}

impl Detector for LogInjection {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        ctx.facts.calls.iter().filter_map(hit_of).collect()
    }

    fn message(&self, ctx: &Context<'_>, hit: &Hit) -> String {
        format!(
            "Untrusted data is written to the log by `{}` (CWE-117): line breaks in it forge log \
             entries.{} Remove line breaks (`.replace(/[\\r\\n]/g, '')`), or log it as a \
             structured field.",
            hit.subject,
            origin_sentence(ctx, hit)
        )
    }
}
