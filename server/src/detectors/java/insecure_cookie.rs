//! `java/insecure-cookie`: cookies sent without the `Secure` or `HttpOnly` flag.

use super::common::{calls_within, enclosing_body, receiver_text};
use super::sinks::{class_is, split_call};
use crate::analysis::{Call, CallKind, Constant};
use crate::detectors::{Context, Detector, DetectorMeta, Hit};
use crate::finding::{Applicability, Category, Edit, Fix, Severity};
use crate::lang::Language;

/// Flags servlet cookies added to a response without `setSecure(true)` / `setHttpOnly(true)`,
/// and either flag set to `false` (also on Spring `ResponseCookie`).
pub struct InsecureCookie;

/// The detector instance.
pub static INSECURE_COOKIE: InsecureCookie = InsecureCookie;

static META: DetectorMeta = DetectorMeta {
    id: "java/insecure-cookie@v1.0",
    name: "Insecure cookie",
    language: Language::Java,
    severity: Severity::Medium,
    cwes: &[614, 1004],
    category: Category::Security,
    express: true,
    docs: r#"## What it does
Flags `HttpServletResponse.addCookie(cookie)` when the method never calls `cookie.setSecure(true)`
or `cookie.setHttpOnly(true)` on that cookie, and any `setSecure(false)` / `setHttpOnly(false)` on
a servlet `Cookie` or Spring `ResponseCookie` builder (`secure(false)`, `httpOnly(false)`). The
catalogue publishes no severity; Codeward uses Medium with CWE-614 (Secure) and CWE-1004
(HttpOnly).

It does not see flags set in another method or by the container (`<cookie-config>` in `web.xml`,
`server.servlet.session.cookie.secure`), and does not judge which cookies are sensitive: a
language preference cookie is flagged like a session cookie.

## Why is this bad?
Without `Secure` the browser also sends the cookie over plain HTTP, where anyone on the network
reads it; without `HttpOnly` any script injected into the page (XSS) can read and exfiltrate it.

## Example
```java
Cookie session = new Cookie("SESSION", token);
response.addCookie(session);
```

## Use instead
```java
Cookie session = new Cookie("SESSION", token);
session.setSecure(true);
session.setHttpOnly(true);
response.addCookie(session);
```

## Fix safety
The fix inserts the missing `setSecure(true)` / `setHttpOnly(true)` calls before `addCookie`, or
turns `false` into `true`. It is unsafe: a site still served over plain HTTP stops receiving a
`Secure` cookie, and scripts that read an `HttpOnly` cookie stop working.

## References
- [CWE-614: Sensitive Cookie in HTTPS Session Without 'Secure' Attribute](https://cwe.mitre.org/data/definitions/614.html)
- [CWE-1004: Sensitive Cookie Without 'HttpOnly' Flag](https://cwe.mitre.org/data/definitions/1004.html)
"#,
};

const COOKIE: &str = "javax.servlet.http.Cookie";
const SPRING: &str = "org.springframework.http.ResponseCookie.ResponseCookieBuilder";

/// Hit subjects: which case a hit is.
const SET_FALSE: &str = "false";

/// Whether a call sets a flag to the constant `false`.
fn sets_false(call: &Call) -> bool {
    let (class, method) = split_call(call);
    let flag = match method {
        "setSecure" | "setHttpOnly" => class_is(class, COOKIE),
        "secure" | "httpOnly" => class_is(class, SPRING) || class.contains("ResponseCookie"),
        _ => false,
    };
    flag && call
        .positional(0)
        .is_some_and(|a| a.value.constant == Some(Constant::Bool(false)))
}

/// The flags a cookie variable is never given in the calls of `scope`.
fn missing_flags<'c>(
    ctx: &Context<'_>,
    scope: impl Iterator<Item = &'c Call>,
    var: &str,
) -> Vec<&'static str> {
    let mut secure = false;
    let mut http_only = false;
    for call in scope {
        if receiver_text(ctx, call) != Some(var) {
            continue;
        }
        match call.method_name() {
            "setSecure" => secure = true,
            "setHttpOnly" => http_only = true,
            _ => {}
        }
    }
    let mut missing = Vec::new();
    if !secure {
        missing.push("setSecure");
    }
    if !http_only {
        missing.push("setHttpOnly");
    }
    missing
}

impl Detector for InsecureCookie {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        let mut hits = Vec::new();
        for call in &ctx.facts.calls {
            if sets_false(call) {
                if let Some(arg) = call.positional(0) {
                    hits.push(
                        Hit::new(arg.range.clone(), SET_FALSE).with_anchor(arg.range.clone()),
                    );
                }
                continue;
            }
            let (class, method) = split_call(call);
            if call.kind != CallKind::Method
                || method != "addCookie"
                || !class_is(class, "javax.servlet.http.HttpServletResponse")
            {
                continue;
            }
            let Some(arg) = call.positional(0) else {
                continue;
            };
            let var = ctx.text(arg.range.clone()).trim();
            let is_variable = !var.is_empty()
                && var
                    .chars()
                    .all(|c| c.is_alphanumeric() || c == '_' || c == '$');
            let missing = match ctx.node_at(call.range.clone()).and_then(enclosing_body) {
                Some(body) if is_variable => {
                    missing_flags(ctx, calls_within(ctx, body.byte_range()), var)
                }
                _ => vec!["setSecure", "setHttpOnly"],
            };
            if !missing.is_empty() {
                hits.push(
                    Hit::new(call.range.clone(), missing.join("+")).with_anchor(arg.range.clone()),
                );
            }
        }
        hits
    }

    fn message(&self, _ctx: &Context<'_>, hit: &Hit) -> String {
        if hit.subject == SET_FALSE {
            return "Insecure cookie (CWE-614, CWE-1004): this turns off a cookie's `Secure` or \
                    `HttpOnly` flag, so it travels over plain HTTP or is readable by injected \
                    scripts. Set it to `true`."
                .to_string();
        }
        let missing: Vec<String> = hit
            .subject
            .split('+')
            .map(|m| format!("`{m}(true)`"))
            .collect();
        format!(
            "Insecure cookie (CWE-614, CWE-1004): the cookie is added to the response without \
             {}, so it can travel over plain HTTP or be read by injected scripts. Call {} before \
             `addCookie`.",
            missing.join(" and "),
            missing.join(" and ")
        )
    }

    fn fix(&self, ctx: &Context<'_>, hit: &Hit) -> Vec<Fix> {
        if hit.subject == SET_FALSE {
            return vec![Fix::new(
                "Set the flag to `true`",
                vec![Edit::replace(hit.anchor.clone(), "true")],
                Applicability::Unsafe,
            )];
        }
        let var = ctx.text(hit.anchor.clone()).trim();
        let is_variable = !var.is_empty()
            && var
                .chars()
                .all(|c| c.is_alphanumeric() || c == '_' || c == '$');
        let statement = ctx
            .node_at(hit.range.clone())
            .and_then(|n| n.parent())
            .filter(|p| p.kind() == "expression_statement");
        let (true, Some(statement)) = (is_variable, statement) else {
            return Vec::new();
        };
        let indent = ctx.indentation_at(statement.start_byte());
        let inserted: String = hit
            .subject
            .split('+')
            .map(|m| format!("{var}.{m}(true);\n{indent}"))
            .collect();
        vec![Fix::new(
            format!("Set {} on `{var}`", hit.subject.replace('+', " and ")),
            vec![Edit::insert(statement.start_byte(), inserted)],
            Applicability::Unsafe,
        )]
    }
}
