//! `javascript/do-not-disable-html-autoescape@v1.0`: template engines with escaping turned off.

use crate::analysis::{Call, Constant, Store, Value};
use crate::detectors::{Context, Detector, DetectorMeta, Hit};
use crate::finding::{Applicability, Category, Edit, Fix, Severity};
use crate::lang::Language;
use tree_sitter::Node;

use super::support::find_pair;

/// The detector.
pub static DO_NOT_DISABLE_HTML_AUTOESCAPE: DoNotDisableHtmlAutoescape = DoNotDisableHtmlAutoescape;

/// Flags `autoescape: false`, `noEscape: true` and a no-op `Mustache.escape`.
pub struct DoNotDisableHtmlAutoescape;

static META: DetectorMeta = DetectorMeta {
    id: "javascript/do-not-disable-html-autoescape@v1.0",
    name: "Disabled HTML autoescape",
    language: Language::JavaScript,
    severity: Severity::High,
    cwes: &[79],
    category: Category::Security,
    express: true,
    docs: r#"## What it does
Flags template engines configured not to escape HTML: `autoescape: false` given to Nunjucks
(`nunjucks.configure`, `new nunjucks.Environment`) or Swig (`swig.setDefaults`, `new swig.Swig`),
`noEscape: true` given to Handlebars (`Handlebars.compile`/`precompile`/`create`, and
`compilerOptions` of `express-handlebars`/`hbs`), and replacing `Mustache.escape` with a function that returns its input unescaped (`t => t`,
`String(t)`); a named function (`Mustache.escape = escapeHtml`) is taken to escape.
The options may be written in the call or in a variable.

Per-value raw output inside templates (`{{{ x }}}`, `| safe`, `<%- x %>`) is not checked: it is
template text, not JavaScript.

## Why is this bad?
Without escaping every variable a template prints is HTML: request data rendered in a page runs
as script in the visitor's browser (cross-site scripting).

## Example
```javascript
nunjucks.configure("views", { autoescape: false, express: app });
```

## Use instead
```javascript
nunjucks.configure("views", { autoescape: true, express: app });
// Mark the few trusted HTML values with `| safe` in the template.
```

## Fix safety
The fix sets `autoescape: true` / `noEscape: false`. It is unsafe: values that were meant to be
rendered as HTML are shown escaped until they are marked safe in the templates.

## References
- [CWE-79: Cross-site Scripting](https://cwe.mitre.org/data/definitions/79.html)
- [Nunjucks autoescape](https://mozilla.github.io/nunjucks/api.html#configure)
"#,
};

/// Template engine modules whose calls take escaping options.
const ENGINES: &[&str] = &[
    "nunjucks",
    "handlebars",
    "swig",
    "express-handlebars",
    "hbs",
    "express-hbs",
    "consolidate",
];

fn is_engine_call(call: &Call) -> bool {
    ENGINES.iter().any(|e| {
        call.name == *e
            || call
                .name
                .strip_prefix(e)
                .is_some_and(|rest| rest.starts_with('.'))
    }) || call.name.starts_with("Handlebars.")
}

/// The escaping option an options value turns off (`autoescape`/`noEscape`), searched in the
/// value and one level of nested options (`compilerOptions`).
fn disabled(value: &Value) -> Option<&'static str> {
    let bool_field = |v: &Value, key: &str| match v.field(key)?.constant {
        Some(Constant::Bool(b)) => Some(b),
        _ => None,
    };
    let direct = |v: &Value| {
        if bool_field(v, "autoescape") == Some(false) {
            Some("autoescape")
        } else if bool_field(v, "noEscape") == Some(true) {
            Some("noEscape")
        } else {
            None
        }
    };
    direct(value).or_else(|| value.fields.iter().find_map(|(_, v)| direct(v)))
}

fn call_hit(ctx: &Context<'_>, call: &Call) -> Option<Hit> {
    if !is_engine_call(call) {
        return None;
    }
    call.args.iter().find_map(|arg| {
        let option = disabled(&arg.value)?;
        let range = find_pair(ctx, arg.range.clone(), option)
            .and_then(|p| p.child_by_field_name("value"))
            .map_or(arg.range.clone(), |v| v.byte_range());
        Some(Hit::new(range, option).with_anchor(call.range.clone()))
    })
}

fn store_hit(ctx: &Context<'_>, store: &Store) -> Option<Hit> {
    let target = store.target.to_ascii_lowercase();
    let value = ctx
        .node_at(store.range.clone())?
        .child_by_field_name("right")?;
    (target == "mustache.escape" && returns_input(ctx, value))
        .then(|| Hit::new(store.range.clone(), "Mustache.escape").with_anchor(store.range.clone()))
}

/// Whether a function literal gives back its first parameter unescaped: `t => t`,
/// `function (t) { return String(t); }`, `` t => `${t}` ``. A function defined elsewhere
/// (`Mustache.escape = escapeHtml`, as Mustache itself does) is taken to escape.
fn returns_input(ctx: &Context<'_>, function: Node<'_>) -> bool {
    if !matches!(
        function.kind(),
        "arrow_function" | "function_expression" | "function"
    ) {
        return false;
    }
    let param = function
        .child_by_field_name("parameter")
        .or_else(|| {
            function
                .child_by_field_name("parameters")
                .and_then(|p| p.named_child(0))
        })
        .map(|p| ctx.node_text(p));
    let Some(param) = param else {
        return false;
    };
    let Some(body) = function.child_by_field_name("body") else {
        return false;
    };
    let returned = if body.kind() == "statement_block" {
        let mut cursor = body.walk();
        let statements: Vec<Node<'_>> = body.named_children(&mut cursor).collect();
        match statements.as_slice() {
            [only] if only.kind() == "return_statement" => only.named_child(0),
            _ => None,
        }
    } else {
        Some(body)
    };
    let Some(returned) = returned else {
        return false;
    };
    let text: String = ctx
        .node_text(returned)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let text = text.trim_start_matches('(').trim_end_matches(')');
    text == param
        || text == format!("String({param}")
        || text == format!("`${{{param}}}`")
        || text == format!("{param}+''")
        || text == format!("{param}+\"\"")
}

impl Detector for DoNotDisableHtmlAutoescape {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        let mut hits: Vec<Hit> = ctx
            .facts
            .calls
            .iter()
            .filter_map(|c| call_hit(ctx, c))
            .collect();
        hits.extend(ctx.facts.stores.iter().filter_map(|s| store_hit(ctx, s)));
        hits
    }

    fn message(&self, _ctx: &Context<'_>, hit: &Hit) -> String {
        let how = match hit.subject.as_str() {
            "autoescape" => "`autoescape: false`",
            "noEscape" => "`noEscape: true`",
            _ => "replacing `Mustache.escape`",
        };
        format!(
            "HTML escaping is turned off in the template engine ({how}, CWE-79): request data \
             printed by any template runs as script in the browser. Keep escaping on and mark \
             trusted HTML as safe in the template."
        )
    }

    fn fix(&self, ctx: &Context<'_>, hit: &Hit) -> Vec<Fix> {
        let (from, to) = match hit.subject.as_str() {
            "autoescape" => ("false", "true"),
            "noEscape" => ("true", "false"),
            _ => return Vec::new(),
        };
        if ctx.text(hit.range.clone()) != from {
            return Vec::new();
        }
        vec![Fix::new(
            format!("Set `{}: {to}`", hit.subject),
            vec![Edit::replace(hit.range.clone(), to)],
            Applicability::Unsafe,
        )]
    }
}
