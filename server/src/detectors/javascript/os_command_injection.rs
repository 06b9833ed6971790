//! `javascript/os-command-injection@v1.0`: untrusted data in shell commands.

use crate::analysis::{Arg, Call, SinkKind, Value};
use crate::detectors::{Context, Detector, DetectorMeta, Hit};
use crate::finding::{Category, Severity};
use crate::lang::Language;

use super::support::{origin_sentence, tainted_arg_hit};

/// The detector.
pub static OS_COMMAND_INJECTION: OsCommandInjection = OsCommandInjection;

/// Flags tainted data reaching `child_process` shells and tainted program names.
pub struct OsCommandInjection;

static META: DetectorMeta = DetectorMeta {
    id: "javascript/os-command-injection@v1.0",
    name: "OS command injection",
    language: Language::JavaScript,
    severity: Severity::High,
    cwes: &[78, 77, 88],
    category: Category::Security,
    express: true,
    docs: r#"## What it does
Flags untrusted data (request data, command-line arguments, environment variables, ...) that
reaches a command run through a shell — `child_process.exec`/`execSync`, `shelljs.exec`,
`execa.command` — or any argument of `spawn`/`spawnSync`/`execFile`/`execFileSync` called with
`shell: true`, or the program name itself of those calls. Untrusted values passed as separate
arguments (argv) to a constant program without a shell are not command injection and are not
flagged; neither is data quoted with `shell-quote`'s `quote`, converted to a number, or checked
against an allow-list.

## Why is this bad?
A shell interprets `;`, `|`, `&&`, `$(...)` and backticks: an attacker who controls part of the
command line runs their own commands with the server's privileges.

## Example
```javascript
app.get("/ping", (req, res) => {
  exec(`ping -c 1 ${req.query.host}`, (err, out) => res.send(out));
});
```

## Use instead
```javascript
app.get("/ping", (req, res) => {
  execFile("ping", ["-c", "1", req.query.host], (err, out) => res.send(out));
});
```

## Fix safety
There is no automatic fix: splitting a command line into a program and its arguments changes how
quoting and shell features behave, which needs review.

## References
- [CWE-78: OS Command Injection](https://cwe.mitre.org/data/definitions/78.html)
- [CWE-77: Command Injection](https://cwe.mitre.org/data/definitions/77.html)
- [CWE-88: Argument Injection](https://cwe.mitre.org/data/definitions/88.html)
"#,
};

/// Calls whose first argument is a shell command line.
const SHELL_COMMANDS: &[&str] = &[
    "child_process.exec",
    "child_process.execSync",
    "shelljs.exec",
    "execa.command",
    "execa.commandSync",
    "execa.execaCommand",
    "execa.execaCommandSync",
];

/// Calls that run a program with an argv array, through a shell only with `shell: true`.
const PROGRAM_COMMANDS: &[&str] = &[
    "child_process.spawn",
    "child_process.spawnSync",
    "child_process.execFile",
    "child_process.execFileSync",
    "execa",
    "execa.execa",
    "execa.sync",
    "execa.execaSync",
    "cross-spawn",
    "cross-spawn.sync",
];

fn shell_enabled(call: &Call) -> bool {
    call.args.iter().skip(1).any(|a| {
        a.value
            .field("shell")
            .and_then(|v| v.constant.as_ref())
            .is_some_and(|c| !matches!(c, crate::analysis::Constant::Bool(false)))
    })
}

fn tainted(value: &Value) -> bool {
    value.taint.tainted_for(SinkKind::Command).is_some()
}

fn hits_of(call: &Call) -> Vec<Hit> {
    let name = call.name.as_str();
    let Some(program) = call.positional(0) else {
        return Vec::new();
    };
    if SHELL_COMMANDS.contains(&name) {
        return tainted_arg_hit(call, program, SinkKind::Command)
            .into_iter()
            .collect();
    }
    if !PROGRAM_COMMANDS.contains(&name) {
        return Vec::new();
    }
    if tainted(&program.value) {
        return tainted_arg_hit(call, program, SinkKind::Command)
            .into_iter()
            .collect();
    }
    if shell_enabled(call) {
        let argv: Option<&Arg> = call
            .positional(1)
            .filter(|a| a.value.field("shell").is_none());
        return argv
            .and_then(|a| tainted_arg_hit(call, a, SinkKind::Command))
            .into_iter()
            .collect();
    }
    Vec::new()
}

impl Detector for OsCommandInjection {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        ctx.facts.calls.iter().flat_map(hits_of).collect()
    }

    fn message(&self, ctx: &Context<'_>, hit: &Hit) -> String {
        format!(
            "Untrusted data reaches the command run by `{}` (CWE-78): shell metacharacters in it \
             let an attacker run their own commands.{} Run a fixed program with an argument array \
             and no shell (`execFile('prog', [arg])`), or validate the value against an \
             allow-list.",
            hit.subject,
            origin_sentence(ctx, hit)
        )
    }
}
