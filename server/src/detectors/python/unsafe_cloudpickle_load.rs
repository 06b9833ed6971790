//! `python/unsafe-cloudpickle-load@v1.0`: cloudpickle loading untrusted bytes.

use crate::analysis::{Arg, Call, SinkKind};
use crate::detectors::{Context, Detector, DetectorMeta, Hit, Scope};
use crate::finding::{Category, Severity};
use crate::lang::Language;

use super::taint_sink;

/// Flags `cloudpickle.load` / `loads` reached by untrusted data.
pub struct UnsafeCloudpickleLoad;

/// The detector's metadata and documentation.
pub static META: DetectorMeta = DetectorMeta {
    id: "python/unsafe-cloudpickle-load@v1.0",
    name: "Unsafe Cloudpickle Load",
    language: Language::Python,
    severity: Severity::High,
    cwes: &[502],
    category: Category::Security,
    express: true,
    docs: r#"## What it does
Flags `cloudpickle.load` and `cloudpickle.loads` (through any alias) whose data comes from an
untrusted source: web request bodies and files, network reads, command-line arguments,
environment variables or standard input — directly, or through a file opened at a path built
from them. Loading the application's own artefacts (constant paths, values converted to numbers
or checked against an allow-list) is not flagged. It does not follow bytes fetched from object
stores or databases, whose trust depends on who can write there. The other pickle-compatible
loaders are covered by `python/untrusted-deserialization`.

## Why is this bad?
cloudpickle uses the pickle format, whose opcodes call arbitrary functions while loading:
whoever controls the bytes runs code in the process (CWE-502).

## Example
```python
import cloudpickle
from flask import request

model = cloudpickle.loads(request.get_data())
```

## Use instead
```python
import json
from flask import request

params = json.loads(request.get_data())
```
Exchange data in a data-only format, or authenticate serialised objects with an HMAC and verify
it before loading.

## Fix safety
There is no automatic fix: the replacement format depends on what is being exchanged.

## References
- [CWE-502: Deserialization of Untrusted Data](https://cwe.mitre.org/data/definitions/502.html)
- [cloudpickle security notice](https://github.com/cloudpipe/cloudpickle#security-notice)
"#,
};

/// The serialised-data argument of a cloudpickle loader.
fn data_args<'c>(_ctx: &Context<'_>, call: &'c Call) -> Vec<&'c Arg> {
    match call.name.as_str() {
        "cloudpickle.loads" | "cloudpickle.cloudpickle.loads" => taint_sink::one(call, 0, "data"),
        "cloudpickle.load" | "cloudpickle.cloudpickle.load" => taint_sink::one(call, 0, "file"),
        _ => Vec::new(),
    }
}

impl Detector for UnsafeCloudpickleLoad {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn scope(&self) -> Scope {
        Scope::Definition
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        taint_sink::hits(ctx, SinkKind::Deserialization, &[], data_args)
    }

    fn message(&self, ctx: &Context<'_>, hit: &Hit) -> String {
        format!(
            "`{}` unpickles {}; pickle data can call any function while it loads, so whoever \
             controls it runs code in this process ({}). Use a data-only format or verify an \
             HMAC before loading.",
            hit.subject,
            taint_sink::source(ctx, hit),
            META.cwe_list()
        )
    }
}
