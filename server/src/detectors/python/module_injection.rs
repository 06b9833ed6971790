//! `python/module-injection@v1.0`: untrusted data choosing which module is imported.

use crate::analysis::{Arg, Call, SinkKind, SourceKind};
use crate::detectors::{Context, Detector, DetectorMeta, Hit, Scope};
use crate::finding::{Category, Severity};
use crate::lang::Language;

use super::taint_sink;

/// Flags untrusted web and network data reaching dynamic imports.
pub struct ModuleInjection;

/// The detector's metadata and documentation.
pub static META: DetectorMeta = DetectorMeta {
    id: "python/module-injection@v1.0",
    name: "Module injection",
    language: Language::Python,
    severity: Severity::High,
    cwes: &[706],
    category: Category::Security,
    express: true,
    docs: r#"## What it does
Flags web request data and network reads that name the module of a dynamic import:
`importlib.import_module`, `__import__`, `importlib.__import__`, `imp.load_source` /
`load_module`, `importlib.machinery.SourceFileLoader`,
`importlib.util.spec_from_file_location`, and `runpy.run_module` / `run_path`. Names checked against an allow-list (`if name in PLUGINS:`) or
looked up in a dictionary of known modules are not flagged. Command-line arguments, environment
variables and standard input are not reported: plugin loaders that import what their operator
configures are working as intended. It does not flag `getattr` on an imported module with an
untrusted attribute name.

## Why is this bad?
Importing a module runs its top-level code: an attacker who chooses the module name can run any
importable module (with side effects such as `antigravity`, `this`, or a file they uploaded
onto `sys.path`), or a relative name that resolves somewhere unintended (CWE-706).

## Example
```python
import importlib
from flask import request

exporter = importlib.import_module("exporters." + request.args["format"])
```

## Use instead
```python
import importlib
from flask import request

EXPORTERS = {"csv": "exporters.csv", "json": "exporters.json"}

exporter = importlib.import_module(EXPORTERS[request.args["format"]])
```

## Fix safety
There is no automatic fix: the set of modules that may be loaded is the application's decision.

## References
- [CWE-706: Use of Incorrectly-Resolved Name or Reference](https://cwe.mitre.org/data/definitions/706.html)
- [Python `importlib.import_module`](https://docs.python.org/3/library/importlib.html#importlib.import_module)
"#,
};

/// Sources not reported: operators choose plugins by design.
const IGNORED: [SourceKind; 3] = [
    SourceKind::CommandLine,
    SourceKind::Environment,
    SourceKind::Stdin,
];

/// The module-name (or module-path) arguments of a dynamic import.
fn module_args<'c>(_ctx: &Context<'_>, call: &'c Call) -> Vec<&'c Arg> {
    match call.name.as_str() {
        "importlib.import_module" => taint_sink::one(call, 0, "name"),
        "__import__" | "builtins.__import__" | "importlib.__import__" => {
            taint_sink::one(call, 0, "name")
        }
        "imp.load_source" | "imp.load_module" | "imp.load_compiled" | "imp.find_module" => {
            let mut args = taint_sink::one(call, 0, "name");
            args.extend(call.arg(1, "pathname"));
            args
        }
        "importlib.machinery.SourceFileLoader" | "importlib.util.spec_from_file_location" => {
            let mut args = taint_sink::one(call, 0, "fullname");
            args.extend(call.arg(1, "path"));
            args
        }
        "runpy.run_module" => taint_sink::one(call, 0, "mod_name"),
        "runpy.run_path" => taint_sink::one(call, 0, "path_name"),
        _ => Vec::new(),
    }
}

impl Detector for ModuleInjection {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn scope(&self) -> Scope {
        Scope::Definition
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        taint_sink::hits(ctx, SinkKind::Module, &IGNORED, module_args)
    }

    fn message(&self, ctx: &Context<'_>, hit: &Hit) -> String {
        format!(
            "`{}` imports a module named by {}, and importing runs the module's code, so an \
             attacker chooses what runs ({}). Map the input to a module through a dictionary of \
             allowed modules.",
            hit.subject,
            taint_sink::source(ctx, hit),
            META.cwe_list()
        )
    }
}
