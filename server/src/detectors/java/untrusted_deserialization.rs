//! `java/untrusted-deserialization`: untrusted bytes or text handed to a deserialiser that can
//! instantiate arbitrary classes (other than `ObjectInputStream`).

use super::sinks::{sink, source_phrase, taint_hits, Part, Sink};
use crate::analysis::SinkKind;
use crate::detectors::{Context, Detector, DetectorMeta, Hit};
use crate::finding::{Category, Severity};
use crate::lang::Language;

/// Flags XMLDecoder, XStream, SnakeYAML, Kryo, Hessian and `SerializationUtils` on untrusted data.
pub struct UntrustedDeserialization;

/// The detector instance.
pub static UNTRUSTED_DESERIALIZATION: UntrustedDeserialization = UntrustedDeserialization;

static META: DetectorMeta = DetectorMeta {
    id: "java/untrusted-deserialization@v1.0",
    name: "Deserialization of untrusted object",
    language: Language::Java,
    severity: Severity::Critical,
    cwes: &[502],
    category: Category::Security,
    express: true,
    docs: r#"## What it does
Flags deserialisers that can build arbitrary objects when their input comes from untrusted data
(web request bodies, parameters, headers and cookies, Spring `@RequestBody`-style parameters, the
network, command-line arguments, environment variables, standard input): `java.beans.XMLDecoder`,
XStream `fromXML`, SnakeYAML `Yaml.load` / `loadAll` / `loadAs`, Commons Lang and Spring
`SerializationUtils.deserialize`, Kryo `readObject` / `readClassAndObject`, and Hessian / Burlap
inputs. `ObjectInputStream` has its own detector,
`java/object-input-stream-insecure-deserialization`. The catalogue publishes no severity; Codeward
uses Critical (remote code execution with known gadget chains) with CWE-502.

It does not know whether XStream has an allow-list (`allowTypes`) configured elsewhere or whether
SnakeYAML 2's default safe constructor is in use (a `new Yaml(new SafeConstructor(...))` in the
same method is not recognised either); such findings can be suppressed with a comment.

## Why is this bad?
These formats name the classes to instantiate and the properties to set. A crafted document uses
gadget classes on the class path to run commands on the server as soon as it is read.

## Example
```java
XMLDecoder decoder = new XMLDecoder(request.getInputStream());
Object settings = decoder.readObject();
```

## Use instead
```java
Settings settings = new ObjectMapper().readValue(request.getInputStream(), Settings.class);
```
Read data into fixed types with a data-only format (JSON to a class, SnakeYAML's
`SafeConstructor`, XStream with `allowTypes`).

## Fix safety
No automatic fix: changing the format changes what clients send.

## References
- [CWE-502: Deserialization of Untrusted Data](https://cwe.mitre.org/data/definitions/502.html)
- [OWASP Deserialization Cheat Sheet](https://cheatsheetseries.owasp.org/cheatsheets/Deserialization_Cheat_Sheet.html)
"#,
};

const FIRST: &[Part] = &[Part::Arg(0)];
const YAML: &str = "org.yaml.snakeyaml.Yaml";
const KRYO: &str = "com.esotericsoftware.kryo.Kryo";

/// Deserialiser inputs.
const SINKS: &[Sink] = &[
    sink("java.beans.XMLDecoder", "", FIRST),
    sink("com.thoughtworks.xstream.XStream", "fromXML", FIRST),
    sink(YAML, "load", FIRST),
    sink(YAML, "loadAll", FIRST),
    sink(YAML, "loadAs", FIRST),
    sink(
        "org.apache.commons.lang3.SerializationUtils",
        "deserialize",
        FIRST,
    ),
    sink(
        "org.springframework.util.SerializationUtils",
        "deserialize",
        FIRST,
    ),
    sink(KRYO, "readObject", FIRST),
    sink(KRYO, "readClassAndObject", FIRST),
    sink("com.esotericsoftware.kryo.io.Input", "", FIRST),
    sink("com.caucho.hessian.io.HessianInput", "", FIRST),
    sink("com.caucho.hessian.io.Hessian2Input", "", FIRST),
    sink("com.caucho.burlap.io.BurlapInput", "", FIRST),
];

impl Detector for UntrustedDeserialization {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        taint_hits(ctx, SINKS, SinkKind::Deserialization)
    }

    fn message(&self, ctx: &Context<'_>, hit: &Hit) -> String {
        format!(
            "Deserialization of untrusted data (CWE-502): `{}` reads {}, and the format lets the \
             input choose which classes are instantiated, so gadget chains can run code. Read \
             into fixed types with a data-only format, or restrict the allowed types.",
            hit.subject,
            source_phrase(ctx, hit)
        )
    }
}
