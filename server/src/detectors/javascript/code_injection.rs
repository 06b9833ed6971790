//! `javascript/code-injection@v1.0`: untrusted data run as JavaScript code.

use crate::analysis::{Call, CallKind, SinkKind};
use crate::detectors::{Context, Detector, DetectorMeta, Hit};
use crate::finding::{Category, Severity};
use crate::lang::Language;

use super::support::{origin_sentence, tainted_arg_hit};

/// The detector.
pub static CODE_INJECTION: CodeInjection = CodeInjection;

/// Flags tainted data reaching `eval`, `Function`, `vm` and string timers.
pub struct CodeInjection;

static META: DetectorMeta = DetectorMeta {
    id: "javascript/code-injection@v1.0",
    name: "Unsanitized input is run as code",
    language: Language::JavaScript,
    severity: Severity::Critical,
    cwes: &[94, 95],
    category: Category::Security,
    express: true,
    docs: r#"## What it does
Flags untrusted data — request parameters, bodies, headers and cookies, command-line arguments,
environment variables, the page URL, `postMessage` data — that reaches a JavaScript evaluator:
`eval`, `new Function(...)`/`Function(...)`, `vm.runInNewContext`/`runInThisContext`/
`runInContext`/`compileFunction`, `new vm.Script(...)`, and `setTimeout`/`setInterval` given a
string. Constant code, and data that went through numeric conversion or an allow-list check, is
not flagged. Dynamic `require(tainted)` (module injection) is left to a separate detector.

## Why is this bad?
Whoever controls the evaluated text runs code with the privileges of the application: on a server
that means reading files and secrets, running commands and pivoting into the network; in a
browser, taking over the user's session. `vm` is not a security boundary either.

## Example
```javascript
app.get("/calc", (req, res) => {
  res.send(String(eval(req.query.expr)));
});
```

## Use instead
```javascript
// Parse data as data, or map the input to a fixed set of operations.
const OPS = { add: (a, b) => a + b, mul: (a, b) => a * b };
app.get("/calc", (req, res) => {
  const op = OPS[req.query.op];
  res.json({ result: op ? op(Number(req.query.a), Number(req.query.b)) : null });
});
```

## Fix safety
There is no automatic fix: replacing evaluation needs knowledge of what the code was for.

## References
- [CWE-94: Improper Control of Generation of Code](https://cwe.mitre.org/data/definitions/94.html)
- [CWE-95: Eval Injection](https://cwe.mitre.org/data/definitions/95.html)
"#,
};

/// Evaluators whose first argument is code.
const FIRST_ARG: &[&str] = &[
    "eval",
    "window.eval",
    "globalThis.eval",
    "vm.runInNewContext",
    "vm.runInThisContext",
    "vm.runInContext",
    "vm.compileFunction",
    "vm.Script",
    "vm.SourceTextModule",
    "setTimeout",
    "setInterval",
    "window.setTimeout",
    "window.setInterval",
];

fn is_timer(name: &str) -> bool {
    name.ends_with("setTimeout") || name.ends_with("setInterval")
}

fn hits_of(call: &Call) -> Vec<Hit> {
    if call.name == "Function" || call.name == "window.Function" {
        // Every argument of `Function` is code (parameter names and the body).
        return call
            .args
            .iter()
            .filter_map(|a| tainted_arg_hit(call, a, SinkKind::Code))
            .take(1)
            .collect();
    }
    if !FIRST_ARG.contains(&call.name.as_str()) {
        return Vec::new();
    }
    if call.name.starts_with("vm.") && call.name.len() > 3 {
        let constructor = call.name == "vm.Script" || call.name == "vm.SourceTextModule";
        if constructor != (call.kind == CallKind::Constructor) {
            return Vec::new();
        }
    }
    let Some(arg) = call.positional(0) else {
        return Vec::new();
    };
    if is_timer(&call.name) && arg.value.type_name.as_deref() == Some("function") {
        return Vec::new();
    }
    tainted_arg_hit(call, arg, SinkKind::Code)
        .into_iter()
        .collect()
}

impl Detector for CodeInjection {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        ctx.facts.calls.iter().flat_map(hits_of).collect()
    }

    fn message(&self, ctx: &Context<'_>, hit: &Hit) -> String {
        format!(
            "Untrusted data is run as code by `{}` (CWE-94): whoever controls it can execute \
             arbitrary JavaScript with the application's privileges.{} Do not evaluate input; \
             parse it as data (`JSON.parse`, `Number`) or map it to a fixed set of operations.",
            hit.subject,
            origin_sentence(ctx, hit)
        )
    }
}
