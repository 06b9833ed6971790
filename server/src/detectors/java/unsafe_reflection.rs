//! `java/unsafe-reflection`: untrusted data choosing the class or member loaded by reflection.

use super::sinks::{sink, source_phrase, taint_hits, Part, Sink};
use crate::analysis::SinkKind;
use crate::detectors::{Context, Detector, DetectorMeta, Hit};
use crate::finding::{Category, Severity};
use crate::lang::Language;

/// Flags `Class.forName`, `ClassLoader.loadClass` and member lookups named by untrusted data.
pub struct UnsafeReflection;

/// The detector instance.
pub static UNSAFE_REFLECTION: UnsafeReflection = UnsafeReflection;

static META: DetectorMeta = DetectorMeta {
    id: "java/unsafe-reflection@v1.0",
    name: "Use of externally-controlled input to select classes or code",
    language: Language::Java,
    severity: Severity::High,
    cwes: &[470],
    category: Category::Security,
    express: true,
    docs: r#"## What it does
Flags reflection whose class or member name comes from untrusted data (web request data, Spring
`@RequestParam`-style parameters, command-line arguments, environment variables, standard input):
`Class.forName`, `ClassLoader.loadClass`, Spring `ClassUtils.forName`, and `Class.getMethod`,
`getDeclaredMethod`, `getField`, `getDeclaredField`. Names checked against an allow-list (or
compared with constants) are not flagged. The catalogue publishes no severity; Codeward uses High
with CWE-470.

It does not follow a `Class` object obtained elsewhere, and does not flag `newInstance` on a class
chosen from a fixed map.

## Why is this bad?
Choosing which class is loaded and instantiated lets a client run constructors and static
initialisers of anything on the class path; gadget classes turn that into code execution, and
`getMethod` with a chosen name calls methods that were never meant to be reachable.

## Example
```java
Class<?> handler = Class.forName(request.getParameter("handler"));
Object h = handler.getDeclaredConstructor().newInstance();
```

## Use instead
```java
Supplier<Handler> factory = HANDLERS.get(request.getParameter("handler"));
if (factory == null) {
    throw new IllegalArgumentException("unknown handler");
}
Handler h = factory.get();
```

## Fix safety
No automatic fix: the set of allowed classes is the application's decision.

## References
- [CWE-470: Use of Externally-Controlled Input to Select Classes or Code](https://cwe.mitre.org/data/definitions/470.html)
"#,
};

const FIRST: &[Part] = &[Part::Arg(0)];

/// Reflective lookups by name.
const SINKS: &[Sink] = &[
    sink("java.lang.Class", "forName", FIRST),
    sink("java.lang.ClassLoader", "loadClass", FIRST),
    sink("org.springframework.util.ClassUtils", "forName", FIRST),
    sink("java.lang.Class", "getMethod", FIRST),
    sink("java.lang.Class", "getDeclaredMethod", FIRST),
    sink("java.lang.Class", "getField", FIRST),
    sink("java.lang.Class", "getDeclaredField", FIRST),
];

impl Detector for UnsafeReflection {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        taint_hits(ctx, SINKS, SinkKind::Module)
    }

    fn message(&self, ctx: &Context<'_>, hit: &Hit) -> String {
        format!(
            "Unsafe reflection (CWE-470): the name passed to `{}` comes from {}, so a client \
             chooses which class or member is loaded and run. Map the input to a fixed set of \
             classes or factories instead.",
            hit.subject,
            source_phrase(ctx, hit)
        )
    }
}
