//! `java/cross-site-request-forgery`: Spring Security's CSRF protection turned off.

use tree_sitter::Node;

use crate::analysis::Call;
use crate::detectors::{Context, Detector, DetectorMeta, Hit};
use crate::finding::{Category, Severity};
use crate::lang::Language;

/// Flags `http.csrf().disable()` and its lambda and method-reference forms.
pub struct CrossSiteRequestForgery;

/// The detector instance.
pub static CROSS_SITE_REQUEST_FORGERY: CrossSiteRequestForgery = CrossSiteRequestForgery;

static META: DetectorMeta = DetectorMeta {
    id: "java/cross-site-request-forgery@v1.0",
    name: "Cross-site request forgery",
    language: Language::Java,
    severity: Severity::High,
    cwes: &[352],
    category: Category::Security,
    express: true,
    docs: r#"## What it does
Flags Spring Security configurations that turn CSRF protection off: `http.csrf().disable()`,
`http.csrf(csrf -> csrf.disable())` and `http.csrf(AbstractHttpConfigurer::disable)`. The
catalogue publishes no severity; Codeward uses High with CWE-352.

It cannot tell a stateless API authenticated only by bearer tokens (where CSRF protection is not
needed and disabling it is normal) from a browser application; suppress the finding with a comment
saying so. It does not look at `ignoringRequestMatchers` exceptions or servlet filters.

## Why is this bad?
Browsers attach cookies to requests any site triggers. Without a CSRF token, a page on another site
can submit forms to yours as the logged-in user: change their e-mail, transfer money, add an admin.

## Example
```java
http.csrf(csrf -> csrf.disable())
    .authorizeHttpRequests(auth -> auth.anyRequest().authenticated());
```

## Use instead
```java
http.csrf(Customizer.withDefaults())
    .authorizeHttpRequests(auth -> auth.anyRequest().authenticated());
```
For JavaScript clients, `CookieCsrfTokenRepository.withHttpOnlyFalse()` hands them the token.

## Fix safety
No automatic fix: turning protection back on breaks clients that do not send the token yet.

## References
- [CWE-352: Cross-Site Request Forgery (CSRF)](https://cwe.mitre.org/data/definitions/352.html)
- [Spring Security: CSRF](https://docs.spring.io/spring-security/reference/servlet/exploits/csrf.html)
"#,
};

/// The method invocation node of a call.
fn call_node<'t>(ctx: &Context<'t>, call: &Call) -> Option<Node<'t>> {
    ctx.node_at(call.range.clone())
        .filter(|n| n.kind() == "method_invocation")
}

/// Whether a call disables CSRF protection.
fn disables_csrf(ctx: &Context<'_>, call: &Call) -> bool {
    let Some(node) = call_node(ctx, call) else {
        return false;
    };
    match call.method_name() {
        // `http.csrf().disable()`
        "disable" => node.child_by_field_name("object").is_some_and(|o| {
            o.kind() == "method_invocation"
                && o.child_by_field_name("name")
                    .is_some_and(|n| ctx.node_text(n) == "csrf")
                && o.child_by_field_name("arguments")
                    .is_some_and(|a| a.named_child_count() == 0)
        }),
        // `http.csrf(c -> c.disable())`, `http.csrf(AbstractHttpConfigurer::disable)`
        "csrf" => call.positional(0).is_some_and(|arg| {
            let Some(arg_node) = ctx.node_at(arg.range.clone()) else {
                return false;
            };
            match arg_node.kind() {
                "method_reference" => ctx.node_text(arg_node).trim_end().ends_with("::disable"),
                "lambda_expression" => arg_node.child_by_field_name("body").is_some_and(|b| {
                    let body = if b.kind() == "block" {
                        let mut cursor = b.walk();
                        let first = b
                            .named_children(&mut cursor)
                            .find(|s| !s.kind().ends_with("comment"));
                        first.and_then(|s| s.named_child(0))
                    } else {
                        Some(b)
                    };
                    body.is_some_and(|e| {
                        e.kind() == "method_invocation"
                            && e.child_by_field_name("name")
                                .is_some_and(|n| ctx.node_text(n) == "disable")
                    })
                }),
                _ => false,
            }
        }),
        _ => false,
    }
}

impl Detector for CrossSiteRequestForgery {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        ctx.facts
            .calls
            .iter()
            .filter(|call| disables_csrf(ctx, call))
            .filter_map(|call| {
                let node = call_node(ctx, call)?;
                let name = node.child_by_field_name("name")?;
                let end = node.end_byte();
                Some(Hit::new(name.start_byte()..end, "csrf").with_anchor(call.range.clone()))
            })
            .collect()
    }

    fn message(&self, _ctx: &Context<'_>, _hit: &Hit) -> String {
        "Cross-site request forgery (CWE-352): CSRF protection is disabled, so other sites can \
         submit requests as the logged-in user. Keep Spring Security's CSRF protection on (a \
         stateless API authenticated only by bearer tokens may suppress this with a comment)."
            .to_string()
    }
}
