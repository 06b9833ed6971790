//! `javascript/stack-trace-exposure@v1.0`: error stack traces sent to the client.

use std::collections::VecDeque;

use crate::analysis::Call;
use crate::detectors::{Context, Detector, DetectorMeta, Hit};
use crate::finding::{Category, Severity};
use crate::lang::syntax::MAX_DEPTH;
use crate::lang::Language;

use super::support::is_response;

/// The detector.
pub static STACK_TRACE_EXPOSURE: StackTraceExposure = StackTraceExposure;

/// Flags `err.stack` (or `util.inspect(err)`) in what a response sends.
pub struct StackTraceExposure;

static META: DetectorMeta = DetectorMeta {
    id: "javascript/stack-trace-exposure@v1.0",
    name: "Stack trace exposure",
    language: Language::JavaScript,
    severity: Severity::Medium,
    cwes: &[209, 497],
    category: Category::Security,
    express: true,
    docs: r#"## What it does
Flags a stack trace written into an HTTP response: `<error>.stack` (directly, inside a template
literal, a concatenation or an object) or `util.inspect(<error>)` passed to Express/Node
`res.send`/`json`/`jsonp`/`end`/`write`/`render`, Fastify `reply.send`, or assigned to Koa's
`ctx.body`. The catalogue publishes no severity or CWE; Codeward uses Medium and CWE-209 /
CWE-497.

Not flagged: `err.message`, a generic text, stacks written to logs (`console.error(err.stack)`),
and stacks sent only outside production when guarded by a comparison in the same expression
(`process.env.NODE_ENV === 'production' ? undefined : err.stack`) — it does not follow guards in
`if` statements, which stay flagged.

## Why is this bad?
A stack trace shows file paths, library names and versions, and the code's structure: it helps
an attacker find the vulnerable component and tune an exploit, and sometimes contains data from
the failed operation.

## Example
```javascript
app.use((err, req, res, next) => {
  res.status(500).send(err.stack);
});
```

## Use instead
```javascript
app.use((err, req, res, next) => {
  console.error(err);
  res.status(500).send("Internal server error");
});
```

## Fix safety
There is no automatic fix: what the client should see instead is the application's choice.

## References
- [CWE-209: Generation of Error Message Containing Sensitive Information](https://cwe.mitre.org/data/definitions/209.html)
- [CWE-497: Exposure of Sensitive System Information](https://cwe.mitre.org/data/definitions/497.html)
"#,
};

const WRITES: &[&str] = &["send", "json", "jsonp", "end", "write", "render"];

/// The `x.stack` or `util.inspect(x)` expression inside `range`, if any, skipping functions and
/// conditionals on the environment.
fn stack_expression(
    ctx: &Context<'_>,
    range: std::ops::Range<usize>,
) -> Option<std::ops::Range<usize>> {
    let root = ctx.node_at(range)?;
    let mut queue = VecDeque::from([(root, 0usize)]);
    while let Some((node, depth)) = queue.pop_front() {
        match node.kind() {
            "member_expression" => {
                let property = node.child_by_field_name("property");
                if property.is_some_and(|p| ctx.node_text(p) == "stack") {
                    return Some(node.byte_range());
                }
            }
            "call_expression" => {
                let callee = node
                    .child_by_field_name("function")
                    .map(|f| ctx.node_text(f));
                if matches!(callee, Some("util.inspect" | "inspect")) {
                    return Some(node.byte_range());
                }
            }
            "arrow_function" | "function_expression" | "ternary_expression" => continue,
            _ => {}
        }
        if depth < MAX_DEPTH {
            let mut cursor = node.walk();
            queue.extend(node.named_children(&mut cursor).map(|c| (c, depth + 1)));
        }
    }
    None
}

fn call_hit(ctx: &Context<'_>, call: &Call) -> Option<Hit> {
    let reply = call
        .receiver
        .as_ref()
        .is_some_and(|r| r.type_name.as_deref() == Some("fastify.Reply"));
    if !(is_response(call) || reply) || !WRITES.contains(&call.method_name()) {
        return None;
    }
    call.args.iter().find_map(|a| {
        let range = stack_expression(ctx, a.range.clone())?;
        Some(Hit::new(range, call.name.clone()).with_anchor(call.range.clone()))
    })
}

impl Detector for StackTraceExposure {
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
        for store in &ctx.facts.stores {
            if store.target == "ctx.body" || store.target == "ctx.response.body" {
                let value = ctx
                    .node_at(store.range.clone())
                    .and_then(|n| n.child_by_field_name("right"))
                    .map(|n| n.byte_range());
                if let Some(range) = value.and_then(|v| stack_expression(ctx, v)) {
                    hits.push(
                        Hit::new(range, store.target.clone()).with_anchor(store.range.clone()),
                    );
                }
            }
        }
        hits
    }

    fn message(&self, _ctx: &Context<'_>, hit: &Hit) -> String {
        format!(
            "A stack trace is sent to the client by `{}` (CWE-209): it reveals file paths, \
             libraries and code structure that help an attacker. Log the error on the server and \
             send a generic message.",
            hit.subject
        )
    }
}
