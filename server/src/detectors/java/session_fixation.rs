//! `java/session-fixation`: a login that keeps the session id the client had before.

use tree_sitter::Node;

use super::common::{calls_within, enclosing_body, receiver_text};
use super::sinks::{class_is, split_call};
use crate::analysis::Call;
use crate::detectors::{Context, Detector, DetectorMeta, Hit};
use crate::finding::{Applicability, Category, Edit, Fix, Severity};
use crate::lang::Language;

/// Flags Spring Security's `sessionFixation().none()` and servlet logins that keep the session id.
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
`sessionFixation(SessionFixationConfigurer::none)`), and `HttpServletRequest.login(user, password)`
in a method that neither calls `changeSessionId()` nor invalidates the old session. Severity
Critical as in the catalogue, which lists no CWE; Codeward uses CWE-384.

It does not follow hand-written logins (a user stored in the session after a password check) and
does not see a session id renewed in another method or a filter.

## Why is this bad?
An attacker who planted a session id in the victim's browser (a link, a subdomain cookie) before
login shares the victim's session after it: the id they know is now authenticated.

## Example
```java
http.sessionManagement(session -> session.sessionFixation(fixation -> fixation.none()));
request.login(user, password);
```

## Use instead
```java
http.sessionManagement(session -> session.sessionFixation(fixation -> fixation.migrateSession()));
request.login(user, password);
request.changeSessionId();
```

## Fix safety
The fix replaces `none` with `migrateSession` (Spring's default) and adds
`changeSessionId()` after a servlet `login`. It is unsafe: code that kept the session id across
login (rare) sees a new one.

## References
- [CWE-384: Session Fixation](https://cwe.mitre.org/data/definitions/384.html)
- [OWASP Session Fixation](https://owasp.org/www-community/attacks/Session_fixation)
"#,
};

const NONE: &str = "none";
const LOGIN: &str = "login";

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

/// Whether a servlet `login` call is followed by no session id change in its method.
fn unprotected_login(ctx: &Context<'_>, call: &Call) -> bool {
    let (class, method) = split_call(call);
    if method != "login" || !class_is(class, "javax.servlet.http.HttpServletRequest") {
        return false;
    }
    let Some(body) = ctx.node_at(call.range.clone()).and_then(enclosing_body) else {
        return true;
    };
    !calls_within(ctx, body.byte_range())
        .any(|c| matches!(c.method_name(), "changeSessionId" | "invalidate"))
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
            } else if unprotected_login(ctx, call) {
                hits.push(Hit::new(call.range.clone(), LOGIN));
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
        "Session fixation (CWE-384): the user logs in without the session id changing, so an id \
         planted before login is authenticated afterwards. Call `request.changeSessionId()` \
         after a successful login."
            .to_string()
    }

    fn fix(&self, ctx: &Context<'_>, hit: &Hit) -> Vec<Fix> {
        if hit.subject == NONE {
            return vec![Fix::new(
                "Use `migrateSession`",
                vec![Edit::replace(hit.range.clone(), "migrateSession")],
                Applicability::Unsafe,
            )];
        }
        let Some(call) = ctx.facts.calls.iter().find(|c| c.range == hit.range) else {
            return Vec::new();
        };
        let Some(receiver) = receiver_text(ctx, call) else {
            return Vec::new();
        };
        let statement = ctx
            .node_at(hit.range.clone())
            .and_then(|n| n.parent())
            .filter(|p| p.kind() == "expression_statement");
        let Some(statement) = statement else {
            return Vec::new();
        };
        let indent = ctx.indentation_at(statement.start_byte());
        let rest = ctx.source.get(statement.end_byte()..).unwrap_or("");
        let line_end = rest.find(['\n', '\r']).unwrap_or(rest.len());
        let tail = rest.get(..line_end).unwrap_or("").trim();
        let at = if tail.is_empty() || tail.starts_with("//") {
            statement.end_byte() + line_end
        } else {
            statement.end_byte()
        };
        vec![Fix::new(
            "Change the session id after login",
            vec![Edit::insert(
                at,
                format!("\n{indent}{receiver}.changeSessionId();"),
            )],
            Applicability::Unsafe,
        )]
    }
}
