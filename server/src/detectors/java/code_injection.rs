//! `java/code-injection`: untrusted data evaluated as script or expression-language code.

use super::sinks::{sink, source_phrase, taint_hits, Part, Sink};
use crate::analysis::SinkKind;
use crate::detectors::{Context, Detector, DetectorMeta, Hit};
use crate::finding::{Category, Severity};
use crate::lang::Language;

/// Flags script engines and expression languages evaluating untrusted text.
pub struct CodeInjection;

/// The detector instance.
pub static CODE_INJECTION: CodeInjection = CodeInjection;

static META: DetectorMeta = DetectorMeta {
    id: "java/code-injection@v1.0",
    name: "Unsanitized input is run as code",
    language: Language::Java,
    severity: Severity::Critical,
    cwes: &[94, 917],
    category: Category::Security,
    express: true,
    docs: r#"## What it does
Flags code built from untrusted data (web request data, Spring `@RequestParam`-style parameters,
command-line arguments, environment variables, standard input) that is evaluated:
`javax.script.ScriptEngine.eval` (JavaScript, Groovy, ...), Groovy `GroovyShell.evaluate` /
`parse`, Spring Expression Language `ExpressionParser.parseExpression`, OGNL `Ognl.getValue` /
`parseExpression`, MVEL `MVEL.eval` / `compileExpression`, Java EL
`ExpressionFactory.createValueExpression` and BeanShell `Interpreter.eval`. Data bound as script
variables (`engine.put`, `Bindings`, SpEL evaluation contexts) is not code and is not flagged.
Severity Critical as in the catalogue, which lists no CWE; Codeward uses CWE-94 and CWE-917.

It does not flag template engines (Velocity, FreeMarker) rendering templates named by input.

## Why is this bad?
Whoever writes the expression runs code in the server: `T(java.lang.Runtime).getRuntime().exec(...)`
in SpEL, `java.lang.Runtime.getRuntime().exec(...)` in a script engine.

## Example
```java
ScriptEngine engine = new ScriptEngineManager().getEngineByName("javascript");
engine.eval("total = " + request.getParameter("formula"));
```

## Use instead
```java
ScriptEngine engine = new ScriptEngineManager().getEngineByName("javascript");
Bindings vars = engine.createBindings();
vars.put("formula", request.getParameter("formula"));
engine.eval("total = Number(formula)", vars);
```
Better, parse the limited language you need (a number, an arithmetic expression) yourself.

## Fix safety
No automatic fix: what the code is meant to compute decides how to pass the data.

## References
- [CWE-94: Improper Control of Generation of Code ('Code Injection')](https://cwe.mitre.org/data/definitions/94.html)
- [CWE-917: Expression Language Injection](https://cwe.mitre.org/data/definitions/917.html)
"#,
};

const FIRST: &[Part] = &[Part::Arg(0)];

/// Evaluated code.
const SINKS: &[Sink] = &[
    sink("javax.script.ScriptEngine", "eval", FIRST),
    sink("javax.script.Compilable", "compile", FIRST),
    sink("groovy.lang.GroovyShell", "evaluate", FIRST),
    sink("groovy.lang.GroovyShell", "parse", FIRST),
    sink(
        "org.springframework.expression.ExpressionParser",
        "parseExpression",
        FIRST,
    ),
    sink(
        "org.springframework.expression.spel.standard.SpelExpressionParser",
        "parseExpression",
        FIRST,
    ),
    sink(
        "org.springframework.expression.spel.standard.SpelExpressionParser",
        "parseRaw",
        FIRST,
    ),
    sink("ognl.Ognl", "getValue", FIRST),
    sink("ognl.Ognl", "parseExpression", FIRST),
    sink("org.mvel2.MVEL", "eval", FIRST),
    sink("org.mvel2.MVEL", "compileExpression", FIRST),
    sink(
        "javax.el.ExpressionFactory",
        "createValueExpression",
        &[Part::Arg(1)],
    ),
    sink("bsh.Interpreter", "eval", FIRST),
];

impl Detector for CodeInjection {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        taint_hits(ctx, SINKS, SinkKind::Code)
    }

    fn message(&self, ctx: &Context<'_>, hit: &Hit) -> String {
        format!(
            "Code injection (CWE-94): `{}` evaluates code built from {}, so a client can run \
             arbitrary code on the server. Pass the data as a variable (script bindings, an \
             evaluation context) instead of splicing it into the code, or parse it yourself.",
            hit.subject,
            source_phrase(ctx, hit)
        )
    }
}
