//! `java/session-fixation`: session id renewal on login turned off.

use tree_sitter::Node;

use crate::analysis::{Call, Constant};
use crate::detectors::{Context, Detector, DetectorMeta, Hit};
use crate::finding::{Applicability, Category, Edit, Fix, Severity};
use crate::lang::Language;

/// Flags Spring Security's `sessionFixation().none()` and servlet containers told not to change
/// the session id on login.
pub struct SessionFixation;

/// The detector instance.
pub static SESSION_FIXATION: SessionFixation = SessionFixation;

static META: DetectorMeta = DetectorMeta {
    id: "java/session-fixation@v1.0",
    name: "Session fixation",
    language: Language::Java,
    severity: Severity::Critical,
    cwes: &[384],
    category: Category::Security,
    express: true,
    docs: r#"## What it does
Flags Spring Security configurations that turn session fixation protection off
(`sessionFixation().none()`, `sessionFixation(f -> f.none())`,
`sessionFixation(SessionFixationConfigurer::none)`), and servlet containers configured to keep the
session id on login: Tomcat's `setChangeSessionIdOnAuthentication(false)` (authenticator valves)
and Jetty's `setSessionRenewedOnAuthentication(false)` (security handlers). Severity Critical as in
the catalogue, which lists no CWE; Codeward uses CWE-384.

`HttpServletRequest.login(user, password)` is not flagged: Tomcat, Jetty and Undertow change the
session id on a successful container login unless told not to (the settings above). It does not
follow hand-written logins (a user stored in the session after a password check).

## Why is this bad?
An attacker who planted a session id in the victim's browser (a link, a subdomain cookie) before
login shares the victim's session after it: the id they know is now authenticated.

## Example
```java
http.sessionManagement(session -> session.sessionFixation(fixation -> fixation.none()));
authenticatorValve.setChangeSessionIdOnAuthentication(false);
```

## Use instead
```java
http.sessionManagement(session -> session.sessionFixation(fixation -> fixation.migrateSession()));
authenticatorValve.setChangeSessionIdOnAuthentication(true);
```

## Fix safety
The fix replaces `none` with `migrateSession` (Spring's default) and `false` with `true` (the
containers' default). It is unsafe: code that kept the session id across login (rare) sees a new
one.

## References
- [CWE-384: Session Fixation](https://cwe.mitre.org/data/definitions/384.html)
- [OWASP Session Fixation](https://owasp.org/www-community/attacks/Session_fixation)
"#,
};

const NONE: &str = "none";
const KEEP_ID: &str = "keep-id";

/// Container settings that, given `false`, keep the session id across a login: Tomcat's
/// `AuthenticatorBase` and Jetty's `SecurityHandler`.
const RENEWAL_SETTERS: [&str; 2] = [
    "setChangeSessionIdOnAuthentication",
    "setSessionRenewedOnAuthentication",
];

/// The method invocation node of a call.
fn call_node<'t>(ctx: &Context<'t>, call: &Call) -> Option<Node<'t>> {
    ctx.node_at(call.range.clone())
        .filter(|n| n.kind() == "method_invocation")
}

/// Whether a node is a call of `sessionFixation` with no arguments.
fn is_fixation_getter<'t>(ctx: &Context<'t>, node: Node<'t>) -> bool {
    node.kind() == "method_invocation"
        && node
            .child_by_field_name("name")
            .is_some_and(|n| ctx.node_text(n) == "sessionFixation")
        && node
            .child_by_field_name("arguments")
            .is_some_and(|a| a.named_child_count() == 0)
}

/// The range of the `none` name that turns protection off, for one call.
fn none_range(ctx: &Context<'_>, call: &Call) -> Option<std::ops::Range<usize>> {
    let node = call_node(ctx, call)?;
    match call.method_name() {
        // `.sessionFixation().none()`, and `f.none()` inside `sessionFixation(f -> f.none())`
        "none" => {
            let object = node.child_by_field_name("object")?;
            let direct = is_fixation_getter(ctx, object);
            let in_lambda = object.kind() == "identifier"
                && node
                    .parent()
                    .filter(|p| p.kind() == "lambda_expression")
                    .and_then(|l| l.parent())
                    .and_then(|args| args.parent())
                    .and_then(|c| c.child_by_field_name("name"))
                    .is_some_and(|n| ctx.node_text(n) == "sessionFixation");
            (direct || in_lambda)
                .then(|| node.child_by_field_name("name").map(|n| n.byte_range()))?
        }
        // `sessionFixation(SessionFixationConfigurer::none)`
        "sessionFixation" => {
            let arg = call.positional(0)?;
            let arg_node = ctx.node_at(arg.range.clone())?;
            if arg_node.kind() != "method_reference" {
                return None;
            }
            let text = ctx.node_text(arg_node).trim_end();
            text.ends_with("::none")
                .then(|| arg.range.start + text.len() - NONE.len()..arg.range.start + text.len())
        }
        _ => None,
    }
}

/// The range of the `false` given to a container's session id renewal setting.
fn renewal_off(call: &Call) -> Option<std::ops::Range<usize>> {
    if !RENEWAL_SETTERS.contains(&call.method_name()) || call.args.len() != 1 {
        return None;
    }
    let arg = call.positional(0)?;
    (arg.value.constant == Some(Constant::Bool(false))).then(|| arg.range.clone())
}

impl Detector for SessionFixation {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        let mut hits = Vec::new();
        for call in &ctx.facts.calls {
            if let Some(range) = none_range(ctx, call) {
                hits.push(Hit::new(range, NONE));
            } else if let Some(range) = renewal_off(call) {
                hits.push(Hit::new(range, KEEP_ID));
            }
        }
        hits
    }

    fn message(&self, _ctx: &Context<'_>, hit: &Hit) -> String {
        if hit.subject == NONE {
            return "Session fixation (CWE-384): session fixation protection is turned off, so a \
                    session id planted before login stays valid after it. Use \
                    `migrateSession()` (the default) or `changeSessionId()`."
                .to_string();
        }
        "Session fixation (CWE-384): the container is told to keep the session id when a user \
         logs in, so an id planted before login is authenticated afterwards. Leave it on (`true`, \
         the default)."
            .to_string()
    }

    fn fix(&self, _ctx: &Context<'_>, hit: &Hit) -> Vec<Fix> {
        if hit.subject == NONE {
            return vec![Fix::new(
                "Use `migrateSession`",
                vec![Edit::replace(hit.range.clone(), "migrateSession")],
                Applicability::Unsafe,
            )];
        }
        vec![Fix::new(
            "Change the session id on login",
            vec![Edit::replace(hit.range.clone(), "true")],
            Applicability::Unsafe,
        )]
    }
}
