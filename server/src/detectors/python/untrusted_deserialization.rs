//! `python/untrusted-deserialization@v1.0`: object deserialisers fed untrusted data, and YAML
//! loaders that can build arbitrary Python objects.

use crate::analysis::{Call, Constant, SinkKind};
use crate::detectors::{describe_origin, Context, Detector, DetectorMeta, Hit, Scope};
use crate::finding::{Applicability, Category, Edit, Fix, Severity};
use crate::lang::Language;

use super::common;

/// Flags unsafe YAML loading and pickle-style deserialisation of untrusted data.
pub struct UntrustedDeserialization;

/// The detector's metadata and documentation.
pub static META: DetectorMeta = DetectorMeta {
    id: "python/untrusted-deserialization@v1.0",
    name: "Deserialization of untrusted object",
    language: Language::Python,
    severity: Severity::High,
    cwes: &[502],
    category: Category::Security,
    express: true,
    docs: r#"## What it does
Flags two things. First, YAML loading that can construct arbitrary Python objects:
`yaml.load` / `yaml.load_all` without a safe loader (`SafeLoader`, `CSafeLoader`, `BaseLoader`),
`yaml.unsafe_load` and `yaml.full_load` — whatever the data, since configuration files and
uploads end up there. Second, object deserialisers reached by untrusted data (web request bodies,
sockets, command-line arguments, environment variables, files at user-chosen paths): `pickle`,
`cPickle`, `_pickle`, `dill`, `marshal`, `jsonpickle.decode`, `shelve.open`,
`pandas.read_pickle` and `torch.load` without `weights_only=True`. (`cloudpickle` has its own
detector, `python/unsafe-cloudpickle-load`.) It does not flag object deserialisers fed only with
the program's own data (a cache file at a fixed path, a constant): a pickle the application wrote
itself is as trusted as its code. `joblib.load`, `numpy.load(allow_pickle=True)` and loads through
a custom `pickle.Unpickler` subclass (the recommended way to restrict the classes a pickle may
name) are not covered.

## Why is this bad?
These formats encode instructions to build objects, and building them can run any callable:
whoever controls the bytes can execute code in the process (CWE-502).

## Example
```python
import pickle, yaml
from flask import request

config = yaml.load(open("config.yml"), Loader=yaml.Loader)
session = pickle.loads(request.data)
```

## Use instead
```python
import json, yaml
from flask import request

config = yaml.safe_load(open("config.yml"))
session = json.loads(request.data)
```

## Fix safety
For YAML the fix calls `yaml.safe_load` / `yaml.safe_load_all` and drops the `Loader` argument.
It is unsafe: documents that use Python-specific tags (`!!python/object`) no longer load. There is
no automatic fix for pickle-style formats: switch to a data-only format such as JSON, or sign the
data (`hmac`) and verify it before loading.

## References
- [CWE-502: Deserialization of Untrusted Data](https://cwe.mitre.org/data/definitions/502.html)
- [Python `pickle` warning](https://docs.python.org/3/library/pickle.html)
- [PyYAML `load` deprecation](https://github.com/yaml/pyyaml/wiki/PyYAML-yaml.load(input)-Deprecation)
"#,
};

const UNSAFE_LOADERS: [&str; 6] = [
    "Loader",
    "UnsafeLoader",
    "FullLoader",
    "CLoader",
    "CUnsafeLoader",
    "CFullLoader",
];
const SAFE_LOADERS: [&str; 4] = ["SafeLoader", "CSafeLoader", "BaseLoader", "CBaseLoader"];

/// What is unsafe about a YAML call, if anything.
fn unsafe_yaml(ctx: &Context<'_>, call: &Call) -> bool {
    match call.name.as_str() {
        "yaml.unsafe_load" | "yaml.unsafe_load_all" | "yaml.full_load" | "yaml.full_load_all" => {
            true
        }
        "yaml.load" | "yaml.load_all" => match call.arg(1, "Loader") {
            None => !call.args.iter().any(|a| a.unpacked),
            Some(loader) => match common::qualified_at(ctx, loader.range.clone()) {
                Some(name) => {
                    let class = crate::analysis::last_segment(&name);
                    // Only loaders known to build objects: an opaque variable is not reported.
                    !SAFE_LOADERS.contains(&class) && UNSAFE_LOADERS.contains(&class)
                }
                None => false,
            },
        },
        _ => false,
    }
}

/// Deserialisers and the argument holding the serialised data.
fn data_argument(call: &Call) -> Option<(usize, &'static str)> {
    let name = call.name.as_str();
    let (module, function) = crate::analysis::split_last_dot(name)?;
    let module = match module {
        "pickle" | "cPickle" | "_pickle" | "dill" | "marshal" => "pickle",
        other => other,
    };
    match (module, function) {
        ("pickle", "loads" | "load") => Some((0, "data")),
        ("pickle", "Unpickler") => Some((0, "file")),
        ("jsonpickle", "decode") => Some((0, "string")),
        ("shelve", "open") => Some((0, "filename")),
        ("pandas", "read_pickle") => Some((0, "filepath_or_buffer")),
        ("torch", "load") => {
            let weights_only = call
                .keyword("weights_only")
                .and_then(|a| a.value.constant.as_ref())
                == Some(&Constant::Bool(true));
            (!weights_only).then_some((0, "f"))
        }
        _ => None,
    }
}

impl Detector for UntrustedDeserialization {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn scope(&self) -> Scope {
        Scope::Definition
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        let mut hits = Vec::new();
        for call in &ctx.facts.calls {
            if unsafe_yaml(ctx, call) {
                hits.push(
                    Hit::new(call.callee_range.clone(), call.name.clone())
                        .with_anchor(call.range.clone()),
                );
                continue;
            }
            let Some((index, keyword)) = data_argument(call) else {
                continue;
            };
            let Some(arg) = call.arg(index, keyword) else {
                continue;
            };
            if let Some(origin) = arg.value.taint.tainted_for(SinkKind::Deserialization) {
                hits.push(
                    Hit::new(arg.range.clone(), call.name.clone())
                        .with_anchor(call.range.clone())
                        .with_origin(Some(origin)),
                );
            }
        }
        hits
    }

    fn message(&self, ctx: &Context<'_>, hit: &Hit) -> String {
        match &hit.origin {
            Some(origin) => format!(
                "`{}` deserialises {}, and loading these formats can run arbitrary code chosen by \
                 whoever controls the bytes ({}). Use a data-only format such as JSON, or verify an \
                 HMAC signature before loading.",
                hit.subject,
                describe_origin(ctx, origin),
                META.cwe_list()
            ),
            None => format!(
                "`{}` can construct arbitrary Python objects from the document, so a crafted YAML \
                 file runs code ({}). Use `yaml.safe_load` (or `Loader=yaml.SafeLoader`).",
                hit.subject,
                META.cwe_list()
            ),
        }
    }

    fn fix(&self, ctx: &Context<'_>, hit: &Hit) -> Vec<Fix> {
        if hit.origin.is_some() {
            return Vec::new();
        }
        let Some(call) = ctx.facts.call_at(&hit.anchor) else {
            return Vec::new();
        };
        let Some(attr) = common::callee_attribute(ctx, call) else {
            return Vec::new();
        };
        let safe = if call.name.ends_with("_all") {
            "safe_load_all"
        } else {
            "safe_load"
        };
        let mut edits = vec![Edit::replace(attr, safe)];
        if let Some(loader) = call.arg(1, "Loader") {
            let whole = common::keyword_argument_range(ctx, loader.range.clone());
            // Delete from the end of the previous argument, taking its comma.
            let previous_end = call
                .args
                .iter()
                .filter(|a| a.range.end <= whole.start)
                .map(|a| common::keyword_argument_range(ctx, a.range.clone()).end)
                .max();
            match previous_end {
                Some(start) => edits.push(Edit::delete(start..whole.end)),
                None => return Vec::new(),
            }
        }
        vec![Fix::new(
            format!("Use yaml.{safe}"),
            edits,
            Applicability::Unsafe,
        )]
    }
}
