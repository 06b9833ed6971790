//! `python/code-injection@v1.0`: untrusted data evaluated or executed as Python code.

use crate::analysis::{Arg, Call, SinkKind, SourceKind};
use crate::detectors::{Context, Detector, DetectorMeta, Hit, Scope};
use crate::finding::{Category, Severity};
use crate::lang::Language;

use super::taint_sink;

/// Flags untrusted data reaching `eval`, `exec`, `compile` and template engines rendering a
/// template built from it.
pub struct CodeInjection;

/// The detector's metadata and documentation.
pub static META: DetectorMeta = DetectorMeta {
    id: "python/code-injection@v1.0",
    name: "Unsanitized input is run as code",
    language: Language::Python,
    severity: Severity::Critical,
    cwes: &[94],
    category: Category::Security,
    express: true,
    docs: r#"## What it does
Flags untrusted data (web request parameters, environment variables, standard input, network
reads) that reaches an interpreter of Python code: the code argument of
`eval`, `exec`, `compile` and `code.InteractiveInterpreter.runsource`, and the template text of
server-side template engines (`flask.render_template_string`, `jinja2.Template`,
`jinja2.Environment.from_string`, `mako.template.Template`), where template syntax reaches
Python objects. Values converted with `int()`/`float()`, parsed with `ast.literal_eval` or
`json.loads` instead, or checked against an allow-list are not flagged. Command-line arguments are not
reported: a tool that runs the script named on its own command line (`profile`, `trace`,
launchers) is a runner by design. It does not follow data through files, databases or other
modules, nor flag `getattr` with untrusted attribute names (unsafe reflection is a separate
weakness).

## Why is this bad?
Whoever controls the evaluated text runs any Python code with the application's privileges:
they can read secrets, change data or start processes (CWE-94). Template injection has the same
effect, since template expressions can walk from any object to `os` and `subprocess`.

## Example
```python
from flask import request

expression = request.args["expr"]
result = eval(expression)
```

## Use instead
```python
import ast
from flask import request

expression = request.args["expr"]
result = ast.literal_eval(expression)
```
Parse data with `ast.literal_eval` or `json.loads`; dispatch on names through a dictionary of
allowed functions; pass user values to templates as variables, never as template text.

## Fix safety
There is no automatic fix: `ast.literal_eval` accepts only literals, so whether it can replace
`eval` depends on what the code expects.

## References
- [CWE-94: Code Injection](https://cwe.mitre.org/data/definitions/94.html)
- [Python `ast.literal_eval`](https://docs.python.org/3/library/ast.html#ast.literal_eval)
- [OWASP: Server-side template injection](https://owasp.org/www-project-web-security-testing-guide/latest/4-Web_Application_Security_Testing/07-Input_Validation_Testing/18-Testing_for_Server-side_Template_Injection)
"#,
};

/// A tool that runs the script named on its own command line (`profile`, `trace`, `runpy`-style
/// launchers) is a runner by design: command-line arguments are not reported.
const IGNORED: [SourceKind; 1] = [SourceKind::CommandLine];

/// The builtin code sinks a module can shadow with a `def` of the same name.
const SHADOWABLE: [&str; 3] = ["eval", "exec", "compile"];

/// Which of [`SHADOWABLE`] the module defines as functions at the top level (a bit each).
fn shadowed_builtins(ctx: &Context<'_>) -> u8 {
    // Most modules define none of them: a text search settles it without the tree.
    if !may_define(ctx.source, &SHADOWABLE) {
        return 0;
    }
    let mut shadowed = 0;
    for &node in ctx.top_level_statements() {
        let def = if node.kind() == "decorated_definition" {
            node.child_by_field_name("definition")
        } else {
            Some(node)
        };
        let name = def
            .filter(|d| d.kind() == "function_definition")
            .and_then(|d| d.child_by_field_name("name"))
            .map(|id| ctx.node_text(id));
        if let Some(i) = name.and_then(|name| SHADOWABLE.iter().position(|b| *b == name)) {
            shadowed |= 1 << i;
        }
    }
    shadowed
}

/// Whether `def name` may occur in the text for one of `names`: a name after the keyword `def`
/// and whitespace (line continuations included). Never false when the module defines one.
fn may_define(source: &str, names: &[&str]) -> bool {
    // One pass of memmem's vectorised search for the keyword: this runs on every keystroke over
    // the whole text.
    memchr::memmem::find_iter(source.as_bytes(), b"def").any(|at| {
        let rest = &source[at + 3..];
        let name = rest.trim_start_matches([' ', '\t', '\\', '\r', '\n']);
        name.len() < rest.len()
            && names.iter().any(|n| name.starts_with(n))
            && !source[..at].ends_with(|c: char| c.is_alphanumeric() || c == '_')
    })
}

/// Whether `name` is a builtin the module redefines (`shadowed`: [`shadowed_builtins`]).
fn is_shadowed(shadowed: u8, name: &str) -> bool {
    SHADOWABLE
        .iter()
        .position(|b| *b == name)
        .is_some_and(|i| shadowed & (1 << i) != 0)
}

/// The code or template arguments of a code sink.
fn code_args<'c>(ctx: &Context<'_>, call: &'c Call) -> Vec<&'c Arg> {
    match call.name.as_str() {
        "eval" | "exec" | "builtins.eval" | "builtins.exec" => {
            let mut args = taint_sink::one(call, 0, "source");
            // `exec(compile(text, ...))` is reported once, at `compile`.
            args.retain(|a| !is_compile_call(ctx, a));
            args
        }
        "compile" | "builtins.compile" => taint_sink::one(call, 0, "source"),
        "flask.render_template_string" | "jinja2.Template" | "mako.template.Template" => {
            taint_sink::one(call, 0, "source")
        }
        "jinja2.Environment.from_string" => taint_sink::one(call, 0, "source"),
        _ if call.method_name() == "runsource"
            && call.name.starts_with("code.InteractiveInterpreter") =>
        {
            taint_sink::one(call, 0, "source")
        }
        _ => Vec::new(),
    }
}

/// Whether the argument is itself a `compile(...)` call.
fn is_compile_call(ctx: &Context<'_>, arg: &Arg) -> bool {
    ctx.facts
        .calls
        .iter()
        .any(|c| c.range == arg.range && matches!(c.name.as_str(), "compile" | "builtins.compile"))
}

impl Detector for CodeInjection {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn scope(&self) -> Scope {
        // Hits depend on the definition they are in and on which builtins the module redefines,
        // which is the file key.
        Scope::Definition
    }

    fn file_key(&self, ctx: &Context<'_>) -> u64 {
        u64::from(shadowed_builtins(ctx))
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        let mut hits = taint_sink::hits(ctx, SinkKind::Code, &IGNORED, code_args);
        // A module-level `def compile(...)` (as in `py_compile`) is not the builtin.
        if hits.is_empty() {
            return hits;
        }
        let shadowed = shadowed_builtins(ctx);
        hits.retain(|h| !is_shadowed(shadowed, &h.subject));
        hits
    }

    fn message(&self, ctx: &Context<'_>, hit: &Hit) -> String {
        format!(
            "`{}` runs code or a template built from {}, so whoever controls that data runs \
             arbitrary Python in this process ({}). Parse data with `ast.literal_eval` or \
             `json.loads`, dispatch through a dictionary of allowed functions, and pass user \
             values to templates as variables.",
            hit.subject,
            taint_sink::source(ctx, hit),
            META.cwe_list()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::may_define;

    #[test]
    fn may_define_finds_every_spelling_of_a_def() {
        for text in [
            "def eval(x): pass",
            "x = 1\ndef  eval(x): pass",
            "async def eval(x): pass",
            "class A:\n    def\teval(self): pass",
            "def \\\n    eval(x): pass",
        ] {
            assert!(may_define(text, &["eval"]), "{text:?}");
        }
        for text in [
            "eval(x)",
            "undef eval",
            "x = 'def'; eval(x)",
            "# define eval",
        ] {
            assert!(!may_define(text, &["eval"]), "{text:?}");
        }
    }
}
