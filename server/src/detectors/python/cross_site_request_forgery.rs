//! `python/cross-site-request-forgery@v1.0`: CSRF protection switched off.

use crate::analysis::Constant;
use crate::detectors::{Context, Detector, DetectorMeta, Hit};
use crate::finding::{Applicability, Category, Edit, Fix, Severity};
use crate::lang::Language;

use super::common;

/// Flags views exempted from CSRF checks and Flask-WTF protection turned off.
pub struct CrossSiteRequestForgery;

/// The detector's metadata and documentation.
pub static META: DetectorMeta = DetectorMeta {
    id: "python/cross-site-request-forgery@v1.0",
    name: "Cross-site request forgery",
    language: Language::Python,
    severity: Severity::High,
    cwes: &[352],
    category: Category::Security,
    express: true,
    docs: r#"## What it does
Flags code that switches off cross-site request forgery protection: Django's `csrf_exempt`
(as a decorator or wrapping a view, through any alias), Flask-WTF's `CSRFProtect.exempt`
(decorator or call), and Flask configuration turning the check off
(`app.config["WTF_CSRF_ENABLED"] = False`, `WTF_CSRF_CHECK_DEFAULT = False`, also through
`app.config.update(...)`). Views that only read data are still flagged, since the exemption
is usually copied to views that change state; suppress the finding with a reason where the view
is an API authenticated by tokens rather than cookies. It does not check that Django's
`CsrfViewMiddleware` is installed, nor JavaScript clients.

## Why is this bad?
Without the check, any web page the user visits can submit forms or requests to the application
with the user's cookies: changing their password or email, making purchases or deleting data in
their name (CWE-352).

## Example
```python
from django.views.decorators.csrf import csrf_exempt

@csrf_exempt
def update_email(request):
    request.user.email = request.POST["email"]
    request.user.save()
```

## Use instead
```python
def update_email(request):
    request.user.email = request.POST["email"]
    request.user.save()
```
Keep the protection and send the token from forms (`{% csrf_token %}`) and JavaScript clients
(the `X-CSRFToken` header).

## Fix safety
For `WTF_CSRF_ENABLED = False` and `WTF_CSRF_CHECK_DEFAULT = False` the fix sets `True`; for a
`@csrf_exempt` / `@csrf.exempt` decorator it removes the decorator line. Both are unsafe: clients
that do not send the token yet start getting 403 / 400 responses.

## References
- [CWE-352: Cross-Site Request Forgery](https://cwe.mitre.org/data/definitions/352.html)
- [Django: CSRF protection](https://docs.djangoproject.com/en/stable/ref/csrf/)
- [Flask-WTF: CSRF protection](https://flask-wtf.readthedocs.io/en/stable/csrf/)
"#,
};

const CONFIG_KEYS: [&str; 2] = ["WTF_CSRF_ENABLED", "WTF_CSRF_CHECK_DEFAULT"];

/// Whether a qualified callee exempts a view from CSRF checks.
fn is_exemption(qualified: &str) -> bool {
    qualified == "django.views.decorators.csrf.csrf_exempt"
        || qualified.ends_with("CSRFProtect.exempt")
}

/// Whether a value is the constant `False` (or another falsy constant).
fn is_off(value: &crate::analysis::Value) -> bool {
    value
        .constant
        .as_ref()
        .is_some_and(|c| !Constant::is_truthy(c))
}

impl Detector for CrossSiteRequestForgery {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        let mut hits = Vec::new();
        let django = ctx.facts.imports.imports("django.views.decorators.csrf");
        let flask_wtf = ctx.facts.imports.imports("flask_wtf");
        if django || flask_wtf {
            // Decorators written without a call are not call sites: read them from the tree.
            for &node in ctx.nodes_of_kind("decorator") {
                let Some(expr) = node.named_child(0) else {
                    continue;
                };
                if let Some(q) = common::qualified_at(ctx, expr.byte_range()) {
                    let typed = typed_exempt(ctx, expr);
                    if is_exemption(&q) || typed {
                        hits.push(Hit::new(node.byte_range(), q));
                    }
                }
            }
        }
        for call in &ctx.facts.calls {
            let decorator_call = || {
                ctx.node_at(call.range.clone())
                    .and_then(|n| n.parent())
                    .is_some_and(|p| p.kind() == "decorator")
            };
            if is_exemption(&call.name) && !decorator_call() {
                hits.push(Hit::new(call.callee_range.clone(), call.name.clone()));
            }
            if call.name.ends_with(".config.update") && ctx.facts.imports.imports("flask") {
                for key in CONFIG_KEYS {
                    if let Some(arg) = call.keyword(key).filter(|a| is_off(&a.value)) {
                        hits.push(Hit::new(arg.range.clone(), key).with_anchor(arg.range.clone()));
                    }
                }
            }
        }
        for store in &ctx.facts.stores {
            let key = CONFIG_KEYS.iter().find(|k| {
                store.target.starts_with("flask.")
                    && store.target.ends_with(&format!(".config[{k}]"))
            });
            if let (Some(key), true) = (key, is_off(&store.value)) {
                let value = common::store_value_range(ctx, store).unwrap_or(store.range.clone());
                hits.push(Hit::new(store.range.clone(), *key).with_anchor(value));
            }
        }
        hits
    }

    fn message(&self, _ctx: &Context<'_>, hit: &Hit) -> String {
        if CONFIG_KEYS.contains(&hit.subject.as_str()) {
            return format!(
                "`{}` is turned off, so no form or request is checked for a CSRF token and any \
                 site can submit requests with the user's cookies ({}). Keep it on and send the \
                 token from forms and JavaScript clients.",
                hit.subject,
                META.cwe_list()
            );
        }
        format!(
            "`{}` removes CSRF protection from this view, so any site the user visits can submit \
             requests to it with the user's cookies ({}). Keep the protection and send the token; \
             for token-authenticated APIs, suppress this finding with a reason.",
            hit.subject,
            META.cwe_list()
        )
    }

    fn fix(&self, ctx: &Context<'_>, hit: &Hit) -> Vec<Fix> {
        if CONFIG_KEYS.contains(&hit.subject.as_str()) {
            if ctx.text(hit.anchor.clone()) != "False" {
                return Vec::new();
            }
            return vec![Fix::new(
                "Turn CSRF protection on",
                vec![Edit::replace(hit.anchor.clone(), "True")],
                Applicability::Unsafe,
            )];
        }
        let Some(node) = ctx
            .node_at(hit.range.clone())
            .filter(|n| n.kind() == "decorator")
        else {
            return Vec::new();
        };
        // The decorator's whole line, with its indentation and line break.
        let start = node
            .start_byte()
            .saturating_sub(ctx.indentation_at(node.start_byte()).len());
        let end = ctx
            .text(node.end_byte()..ctx.source.len())
            .find('\n')
            .map_or(ctx.source.len(), |i| node.end_byte() + i + 1);
        if ctx.text(node.end_byte()..end).trim() != "" {
            return Vec::new();
        }
        vec![Fix::new(
            "Remove the CSRF exemption",
            vec![Edit::delete(start..end)],
            Applicability::Unsafe,
        )]
    }
}

/// `@csrf.exempt` where `csrf` is a `CSRFProtect` instance: resolved through the recorded
/// `csrf = CSRFProtect(app)` call.
fn typed_exempt<'t>(ctx: &Context<'t>, expr: tree_sitter::Node<'t>) -> bool {
    if expr.kind() != "attribute" {
        return false;
    }
    let (Some(object), Some(attribute)) = (
        expr.child_by_field_name("object"),
        expr.child_by_field_name("attribute"),
    ) else {
        return false;
    };
    if ctx.node_text(attribute) != "exempt" || object.kind() != "identifier" {
        return false;
    }
    let object = ctx.node_text(object);
    ctx.facts.calls.iter().any(|c| {
        c.name.ends_with("CSRFProtect")
            && ctx
                .node_at(c.range.clone())
                .and_then(|n| n.parent())
                .filter(|p| p.kind() == "assignment")
                .and_then(|p| p.child_by_field_name("left"))
                .is_some_and(|l| ctx.node_text(l) == object)
    })
}
