//! `python/detect-activated-debug-feature@v1.0`: Flask and Werkzeug debug mode switched on.

use crate::analysis::{Constant, Store};
use crate::detectors::{Context, Detector, DetectorMeta, Hit, Scope};
use crate::finding::{Applicability, Category, Edit, Fix, Severity};
use crate::lang::Language;

use super::common;

/// Flags `app.run(debug=True)`, `app.debug = True`, `app.config["DEBUG"] = True` and the
/// Werkzeug debugger turned on.
pub struct DetectActivatedDebugFeature;

/// The detector's metadata and documentation.
pub static META: DetectorMeta = DetectorMeta {
    id: "python/detect-activated-debug-feature@v1.0",
    name: "Enabling and overriding debug feature",
    language: Language::Python,
    severity: Severity::Medium,
    cwes: &[489],
    category: Category::Quality,
    express: true,
    docs: r#"## What it does
Flags code that switches on the interactive debug mode of a Flask application or the Werkzeug
server: `app.run(debug=True)` (also `use_debugger=True`), `app.debug = True`,
`app.config["DEBUG"] = True`, `app.config.update(DEBUG=True)` and
`werkzeug.serving.run_simple(..., use_debugger=True)`, on objects created by `flask.Flask`
(through any alias) — including keyword arguments passed as `**{"debug": True}`. A debug flag
read from configuration or the environment (`debug=os.environ.get("FLASK_DEBUG") == "1"`) is not
flagged. It does not look at Django's `DEBUG = True` setting, which is a module-level name, nor at
other frameworks' debug switches.

## Why is this bad?
The Werkzeug debugger shows source code and local variables of failing requests and offers an
interactive Python console in the browser: left on in production, anyone who triggers an error
can run code on the server (CWE-489).

## Example
```python
from flask import Flask

app = Flask(__name__)
app.run(host="127.0.0.1", debug=True)
```

## Use instead
```python
import os
from flask import Flask

app = Flask(__name__)
app.run(host="127.0.0.1", debug=os.environ.get("FLASK_DEBUG") == "1")
```

## Fix safety
The fix replaces the constant `True` with `False`. It is unsafe: development workflows relying
on the reloader and the in-browser debugger lose them; enable debugging from configuration
instead.

## References
- [CWE-489: Active Debug Code](https://cwe.mitre.org/data/definitions/489.html)
- [Flask: debug mode](https://flask.palletsprojects.com/en/stable/quickstart/#debug-mode)
"#,
};

const DEBUG_KEYWORDS: [&str; 2] = ["debug", "use_debugger"];

/// Whether a store turns on debugging of a Flask application.
fn debug_store(store: &Store) -> bool {
    matches!(
        store.target.as_str(),
        "flask.Flask.debug" | "flask.Flask.config[DEBUG]"
    ) && store
        .value
        .constant
        .as_ref()
        .is_some_and(Constant::is_truthy)
}

impl Detector for DetectActivatedDebugFeature {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn scope(&self) -> Scope {
        Scope::Definition
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        let mut hits = Vec::new();
        for call in &ctx.facts.calls {
            let keywords: &[&str] = match call.name.as_str() {
                "flask.Flask.run" => &DEBUG_KEYWORDS,
                "werkzeug.serving.run_simple" | "werkzeug.run_simple" => &["use_debugger"],
                // `app.config` is not typed: any `<name>.config.update` in a Flask file.
                name if name.ends_with(".config.update") && ctx.facts.imports.imports("flask") => {
                    &["DEBUG"]
                }
                _ => continue,
            };
            for keyword in keywords {
                if let Some(arg) = call.keyword(keyword) {
                    if arg.value.constant.as_ref().is_some_and(Constant::is_truthy) {
                        hits.push(
                            Hit::new(arg.range.clone(), call.name.clone())
                                .with_anchor(arg.range.clone()),
                        );
                    }
                }
            }
        }
        for store in ctx.facts.stores.iter().filter(|s| debug_store(s)) {
            let value = common::store_value_range(ctx, store).unwrap_or(store.range.clone());
            hits.push(Hit::new(store.range.clone(), store.target.clone()).with_anchor(value));
        }
        hits
    }

    fn message(&self, _ctx: &Context<'_>, hit: &Hit) -> String {
        format!(
            "`{}` turns on the Flask/Werkzeug debug mode, whose in-browser console lets anyone who \
             triggers an error run code on the server ({}). Keep it off in code and enable it \
             from configuration during development only.",
            hit.subject,
            META.cwe_list()
        )
    }

    fn fix(&self, ctx: &Context<'_>, hit: &Hit) -> Vec<Fix> {
        if ctx.text(hit.anchor.clone()) != "True" {
            return Vec::new();
        }
        vec![Fix::new(
            "Turn debug mode off",
            vec![Edit::replace(hit.anchor.clone(), "False")],
            Applicability::Unsafe,
        )]
    }
}
