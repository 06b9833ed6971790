//! `java/object-input-stream-insecure-deserialization`: `ObjectInputStream` over untrusted bytes
//! with no deserialisation filter.

use super::common::{calls_within, enclosing_body};
use super::sinks::{sink, source_phrase, taint_hits, Part, Sink};
use crate::analysis::SinkKind;
use crate::detectors::{Context, Detector, DetectorMeta, Hit};
use crate::finding::{Category, Severity};
use crate::lang::Language;

/// Flags `new ObjectInputStream(untrusted)` when no `ObjectInputFilter` restricts the classes.
pub struct ObjectInputStreamInsecureDeserialization;

/// The detector instance.
pub static OBJECT_INPUT_STREAM_INSECURE_DESERIALIZATION: ObjectInputStreamInsecureDeserialization =
    ObjectInputStreamInsecureDeserialization;

static META: DetectorMeta = DetectorMeta {
    id: "java/object-input-stream-insecure-deserialization@v1.0",
    name: "Object Input Stream Insecure Deserialization",
    language: Language::Java,
    severity: Severity::Critical,
    cwes: &[502],
    category: Category::Security,
    express: true,
    docs: r#"## What it does
Flags `new ObjectInputStream(in)` when `in` carries untrusted data (the servlet request body,
parameters, headers or cookies decoded to bytes, Spring `@RequestBody`-style parameters, a socket
or other network stream, command-line arguments, environment variables, standard input) and the
method installs no deserialisation filter (`setObjectInputFilter`) and the file sets no JVM-wide
filter (`ObjectInputFilter.Config.setSerialFilter`). Subclasses that override `resolveClass` to
allow-list classes (Commons IO `ValidatingObjectInputStream`, your own) are other classes and are
not flagged. The catalogue publishes no severity; Codeward uses Critical with CWE-502.

It does not see a filter configured with the `jdk.serialFilter` system property or in another file.

## Why is this bad?
Java serialisation instantiates whatever classes the stream names and runs their `readObject`
methods; public gadget chains (Commons Collections, Spring, Groovy, ...) turn a crafted stream into
command execution before your code sees the object.

## Example
```java
ObjectInputStream in = new ObjectInputStream(request.getInputStream());
Cart cart = (Cart) in.readObject();
```

## Use instead
```java
ObjectInputStream in = new ObjectInputStream(request.getInputStream());
in.setObjectInputFilter(ObjectInputFilter.Config.createFilter("com.example.Cart;!*"));
Cart cart = (Cart) in.readObject();
```
Better, exchange data in a format without class names (JSON read into a fixed type).

## Fix safety
No automatic fix: which classes may be read is the application's decision.

## References
- [CWE-502: Deserialization of Untrusted Data](https://cwe.mitre.org/data/definitions/502.html)
- [Java serialization filtering](https://docs.oracle.com/en/java/javase/17/core/serialization-filtering1.html)
"#,
};

/// The stream constructor.
const SINKS: &[Sink] = &[sink("java.io.ObjectInputStream", "", &[Part::Arg(0)])];

/// Whether the file installs a JVM-wide filter.
fn global_filter(ctx: &Context<'_>) -> bool {
    ctx.facts
        .calls
        .iter()
        .any(|c| c.name.ends_with("ObjectInputFilter.Config.setSerialFilter"))
}

/// Whether the method around `range` installs a filter on a stream.
fn filtered_locally(ctx: &Context<'_>, range: std::ops::Range<usize>) -> bool {
    let Some(body) = ctx.node_at(range).and_then(enclosing_body) else {
        return false;
    };
    calls_within(ctx, body.byte_range()).any(|c| c.method_name() == "setObjectInputFilter")
}

impl Detector for ObjectInputStreamInsecureDeserialization {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        if global_filter(ctx) {
            return Vec::new();
        }
        taint_hits(ctx, SINKS, SinkKind::Deserialization)
            .into_iter()
            .filter(|hit| !filtered_locally(ctx, hit.anchor.clone()))
            .collect()
    }

    fn message(&self, ctx: &Context<'_>, hit: &Hit) -> String {
        format!(
            "Insecure deserialization (CWE-502): an `ObjectInputStream` reads {} with no \
             deserialisation filter, so the stream chooses which classes are instantiated and \
             gadget chains can run code. Install an `ObjectInputFilter` that allows only the \
             expected classes, or use a data-only format.",
            source_phrase(ctx, hit)
        )
    }
}
