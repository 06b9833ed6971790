//! `python/os-command-injection@v1.0`: untrusted data in shell commands or as the program to run.

use std::ops::Range;

use crate::analysis::{Arg, Call, Origin, SinkKind, SourceKind};
use crate::detectors::{describe_origin, Context, Detector, DetectorMeta, Hit, Scope};
use crate::finding::{Applicability, Category, Edit, Fix, Severity};
use crate::lang::Language;

use super::{command_words, common};

/// Flags untrusted data reaching `os.system`, `subprocess` with `shell=True`, and the program of
/// `subprocess`/`os.exec*`/`os.spawn*` calls.
pub struct OsCommandInjection;

/// The detector's metadata and documentation.
pub static META: DetectorMeta = DetectorMeta {
    id: "python/os-command-injection@v1.0",
    name: "OS command injection",
    language: Language::Python,
    severity: Severity::High,
    cwes: &[77, 78, 88],
    category: Category::Security,
    express: true,
    docs: r#"## What it does
Flags untrusted data (web request parameters, command-line arguments, standard input, network
reads) that reaches a shell command — `os.system`, `os.popen`,
`subprocess.*` with `shell=True`, `subprocess.getoutput`, `commands.getoutput`,
`asyncio.create_subprocess_shell`, IPython's `get_ipython().system`/`getoutput` and notebook
`!cmd {value}` lines — or that chooses the program to run: the first element of a
`subprocess` argument list, `os.exec*`, `os.spawn*`, `os.posix_spawn`, `pty.spawn`,
`asyncio.create_subprocess_exec`. Data passed through `shlex.quote` (or a numeric conversion, or
checked against an allow-list) is not flagged, nor is untrusted data in the non-program elements
of an argument list run without a shell. Environment variables are not treated as untrusted
here: they choose commands by design (`$EDITOR`, `$PAGER`, `PATH` lookups) and whoever sets them
can already run commands as the process. Command-line arguments are reported when they reach a
shell command, but not when they name the program to run: a tool that runs the program given on
its own command line (`sudo`, `time`, `pty.spawn(sys.argv[1:])`) is a wrapper by design.

## Why is this bad?
The shell interprets `;`, `|`, `$(...)` and backticks, so a value such as `x; rm -rf ~` runs a
second command with the application's privileges (CWE-77, CWE-78). Choosing the program lets an
attacker run any binary; untrusted leading `-` arguments can also inject options (CWE-88).

## Example
```python
import subprocess
from flask import request

path = request.args["path"]
subprocess.call("ls -l " + path, shell=True)
```

## Use instead
```python
import subprocess
from flask import request

path = request.args["path"]
subprocess.call(["ls", "-l", "--", path], shell=False)
```

## Fix safety
When the command is literal words with values as whole words (`"ls -l " + path`,
`f"ls -l {path}"`), the fix passes an argument list with `shell=False`; for `os.system(...)` used
as a statement it calls `subprocess.run([...], check=False)` and adds `import subprocess` when
needed. It is unsafe: without a shell there is no globbing, variable expansion or redirection,
and `os.system`'s exit status becomes a `CompletedProcess`. Commands using shell syntax get no
automatic fix; quote values with `shlex.quote` or rewrite them as argument lists.

## References
- [CWE-77: Command Injection](https://cwe.mitre.org/data/definitions/77.html)
- [CWE-78: OS Command Injection](https://cwe.mitre.org/data/definitions/78.html)
- [CWE-88: Argument Injection](https://cwe.mitre.org/data/definitions/88.html)
- [Python `subprocess` security considerations](https://docs.python.org/3/library/subprocess.html#security-considerations)
"#,
};

/// How a sink uses its argument.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Use {
    /// A command line run by the shell.
    Shell,
    /// The program (a string, or the first element of an argument list).
    Program,
}

const SUBPROCESS: [&str; 5] = ["call", "run", "Popen", "check_call", "check_output"];

fn sink(call: &Call) -> Option<(&Arg, Use)> {
    let name = call.name.as_str();
    let (module, function) = crate::analysis::split_last_dot(name)?;
    match (module, function) {
        ("os", "system" | "popen" | "popen2" | "popen3" | "popen4")
        | ("commands" | "subprocess", "getoutput" | "getstatusoutput")
        | ("asyncio", "create_subprocess_shell")
        | ("platform", "popen") => Some((
            call.arg(0, "cmd").or_else(|| call.keyword("command"))?,
            Use::Shell,
        )),
        // IPython (notebooks): `get_ipython().system(cmd)`, `!cmd {var}` lines.
        ("IPython.InteractiveShell", "system" | "getoutput" | "system_raw" | "system_piped") => {
            Some((call.arg(0, "cmd")?, Use::Shell))
        }
        ("subprocess", f) if SUBPROCESS.contains(&f) => {
            let arg = call.arg(0, "args")?;
            if common::keyword_is_truthy(call, "shell") {
                Some((arg, Use::Shell))
            } else {
                Some((arg, Use::Program))
            }
        }
        ("os", f) if f.starts_with("exec") => Some((
            call.arg(0, "path").or_else(|| call.keyword("file"))?,
            Use::Program,
        )),
        ("os", f) if f.starts_with("spawn") => Some((
            call.arg(1, "file").or_else(|| call.keyword("path"))?,
            Use::Program,
        )),
        ("os", "posix_spawn" | "posix_spawnp") | ("pty", "spawn") => {
            Some((call.positional(0)?, Use::Program))
        }
        ("asyncio", "create_subprocess_exec") => Some((call.positional(0)?, Use::Program)),
        _ => None,
    }
}

/// Environment variables choose commands by design (`$EDITOR`, `$PAGER`, `PATH` lookups) and are
/// set by whoever can already run commands as this process, so they are not reported here.
const IGNORED_SOURCES: [SourceKind; 1] = [SourceKind::Environment];

/// A command-line tool that runs the program named on its own command line (`sudo`, `time`,
/// `pty.spawn(sys.argv[1:])`) is a wrapper by design: the program choice is not reported for
/// command-line arguments, only shell commands built from them.
const IGNORED_FOR_PROGRAM: [SourceKind; 2] = [SourceKind::Environment, SourceKind::CommandLine];

fn tainted(arg: &Arg, usage: Use) -> Option<&Origin> {
    match (usage, arg.value.field("0")) {
        (Use::Program, Some(program)) => {
            common::dangerous_origin(&program.taint, SinkKind::Command, &IGNORED_FOR_PROGRAM)
        }
        (Use::Program, None) => {
            common::dangerous_origin(&arg.value.taint, SinkKind::Command, &IGNORED_FOR_PROGRAM)
        }
        (Use::Shell, _) => {
            common::dangerous_origin(&arg.value.taint, SinkKind::Command, &IGNORED_SOURCES)
        }
    }
}

impl Detector for OsCommandInjection {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn scope(&self) -> Scope {
        Scope::Definition
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        ctx.facts
            .calls
            .iter()
            .filter_map(|call| {
                let (arg, usage) = sink(call)?;
                let origin = tainted(arg, usage)?;
                Some(
                    Hit::new(arg.range.clone(), call.name.clone())
                        .with_anchor(call.range.clone())
                        .with_origin(Some(origin)),
                )
            })
            .collect()
    }

    fn message(&self, ctx: &Context<'_>, hit: &Hit) -> String {
        let source = hit
            .origin
            .as_ref()
            .map_or_else(|| "untrusted data".to_string(), |o| describe_origin(ctx, o));
        let usage = ctx
            .facts
            .call_at(&hit.anchor)
            .and_then(sink)
            .map(|(_, u)| u);
        match usage {
            Some(Use::Program) => format!(
                "`{}` runs a program chosen by {}, so an attacker can run any binary ({}). Pick the \
                 program from a fixed allow-list and pass user data only as later arguments.",
                hit.subject,
                source,
                META.cwe_list()
            ),
            _ => format!(
                "`{}` runs a shell command built from {}; shell metacharacters in it (`;`, `|`, \
                 `$(...)`) run arbitrary commands ({}). Pass an argument list without a shell \
                 (`subprocess.run([...], shell=False)`) or quote the value with `shlex.quote`.",
                hit.subject,
                source,
                META.cwe_list()
            ),
        }
    }

    fn fix(&self, ctx: &Context<'_>, hit: &Hit) -> Vec<Fix> {
        let Some(call) = ctx.facts.call_at(&hit.anchor) else {
            return Vec::new();
        };
        let Some((arg, Use::Shell)) = sink(call) else {
            return Vec::new();
        };
        let Some(list) = ctx
            .node_at(arg.range.clone())
            .and_then(|n| command_words::argument_list(ctx, n))
        else {
            return Vec::new();
        };
        if call.name.starts_with("subprocess.") && call.positional(0).is_some() {
            let Some(shell) = call.keyword("shell") else {
                return Vec::new();
            };
            return vec![Fix::new(
                "Pass an argument list with shell=False",
                vec![
                    Edit::replace(arg.range.clone(), list),
                    Edit::replace(shell.range.clone(), "False"),
                ],
                Applicability::Unsafe,
            )];
        }
        if call.name == "os.system" && call.args.len() == 1 && is_statement(ctx, call.range.clone())
        {
            let (module, import) = subprocess_module(ctx);
            let mut edits = vec![Edit::replace(
                call.range.clone(),
                format!("{module}.run({list}, check=False)"),
            )];
            match import {
                Some(Some(edit)) => edits.push(edit),
                Some(None) => return Vec::new(),
                None => {}
            }
            return vec![Fix::new(
                "Run an argument list with subprocess.run",
                edits,
                Applicability::Unsafe,
            )];
        }
        Vec::new()
    }
}

/// Whether the call's value is unused (it is a whole expression statement).
fn is_statement(ctx: &Context<'_>, range: Range<usize>) -> bool {
    ctx.node_at(range).is_some_and(|n| {
        n.kind() == "expression_statement"
            || n.parent()
                .is_some_and(|p| p.kind() == "expression_statement")
    })
}

/// The local name of the `subprocess` module, and the edit importing it when it is not imported
/// (`Some(None)` when there is no module-level import to put it beside).
fn subprocess_module(ctx: &Context<'_>) -> (String, Option<Option<Edit>>) {
    let mut bound: Vec<&str> = ctx
        .facts
        .imports
        .iter()
        .filter(|(_, q)| *q == "subprocess")
        .map(|(l, _)| l)
        .collect();
    bound.sort_unstable_by_key(|l| (*l != "subprocess", *l));
    if let Some(local) = bound.first() {
        return (local.to_string(), None);
    }
    let root = ctx.tree.root_node();
    let mut cursor = root.walk();
    let first_import = root
        .named_children(&mut cursor)
        .find(|n| matches!(n.kind(), "import_statement" | "import_from_statement"));
    (
        "subprocess".to_string(),
        Some(first_import.map(|n| Edit::insert(n.start_byte(), "import subprocess\n"))),
    )
}

#[cfg(test)]
mod tests {
    use crate::config::{ScanSettings, ScanType};
    use crate::engine::{scan_with, Source};
    use crate::lang::Language;

    fn fixed(source: &str) -> Option<String> {
        let settings = ScanSettings {
            scan_type: ScanType::Standard,
            ..ScanSettings::default()
        };
        let output = scan_with(
            &[&super::OsCommandInjection],
            Source {
                text: source,
                language: Language::Python,
                path: None,
                tree: None,
            },
            &settings,
        );
        output.findings.first()?.fixes.first()?.apply(source)
    }

    #[test]
    fn os_system_fix_adds_the_import() {
        let source = "import os\nimport sys\n\nos.system(\"ls -l \" + sys.argv[1])\n";
        assert_eq!(
            fixed(source).as_deref(),
            Some(
                "import subprocess\nimport os\nimport sys\n\n\
                 subprocess.run([\"ls\", \"-l\", sys.argv[1]], check=False)\n"
            )
        );
    }

    #[test]
    fn no_fix_for_shell_syntax_or_used_results() {
        assert_eq!(
            fixed("import os, sys\nos.system(\"ls \" + sys.argv[1] + \" | wc\")\n"),
            None
        );
        assert_eq!(
            fixed("import os, sys\nrc = os.system(\"ls \" + sys.argv[1])\n"),
            None
        );
        assert_eq!(
            fixed("import os, sys\nos.system(\"ls\" + sys.argv[1])\n"),
            None
        );
    }
}
