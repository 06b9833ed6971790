//! `python/socket-connection-timeout@v1.0`: sockets connecting without a timeout.

use crate::analysis::{Call, CallKind};
use crate::detectors::{Context, Detector, DetectorMeta, Hit};
use crate::finding::{Applicability, Category, Edit, Fix, Severity};
use crate::lang::Language;

use super::common;

/// Flags `socket.create_connection` without a timeout and `connect` on sockets that never get
/// one.
pub struct SocketConnectionTimeout;

/// The detector's metadata and documentation.
pub static META: DetectorMeta = DetectorMeta {
    id: "python/socket-connection-timeout@v1.0",
    name: "Socket connection timeout",
    language: Language::Python,
    severity: Severity::Medium,
    cwes: &[400],
    category: Category::Security,
    express: true,
    docs: r#"## What it does
Flags outgoing socket connections that can wait forever: `socket.create_connection(address)`
without a `timeout`, and `connect` / `connect_ex` on a `socket.socket` (any alias) on which the
file never calls `settimeout` or `setblocking`. Files that set a process-wide default with
`socket.setdefaulttimeout` are not flagged. The catalogue gives no CWE: CWE-400 (uncontrolled
resource consumption) was chosen. It does not check timeouts of HTTP client libraries, nor
local sockets whose timeout is set in another function than the one connecting (for
attributes of `self`, a `settimeout` in any method counts).

## Why is this bad?
A blocking connect to an unresponsive or malicious peer waits for the operating system's TCP
timeout — minutes — or forever for reads: every such call holds a thread or worker, and a slow
peer can exhaust them and make the service unavailable (CWE-400).

## Example
```python
import socket

conn = socket.create_connection(("backend.internal", 9000))
```

## Use instead
```python
import socket

conn = socket.create_connection(("backend.internal", 9000), timeout=10.0)
```

## Fix safety
The fix passes `timeout=10.0` to `create_connection`, or calls `settimeout(10.0)` on the socket
just before `connect`. It is unsafe: operations slower than ten seconds now raise
`TimeoutError`; choose a value that fits the protocol.

## References
- [CWE-400: Uncontrolled Resource Consumption](https://cwe.mitre.org/data/definitions/400.html)
- [Python `socket` timeouts](https://docs.python.org/3/library/socket.html#socket-timeouts)
"#,
};

/// The text of a method call's receiver expression (`self.sock` in `self.sock.connect(...)`).
fn receiver_text<'a>(ctx: &Context<'a>, call: &Call) -> Option<&'a str> {
    let callee = ctx.node_at(call.callee_range.clone())?;
    Some(ctx.node_text(callee.child_by_field_name("object")?))
}

/// The start of the function around a call (`None` at module level).
fn enclosing_function(ctx: &Context<'_>, call: &Call) -> Option<usize> {
    let mut node = ctx.node_at(call.range.clone())?;
    while node.kind() != "function_definition" {
        node = node.parent()?;
    }
    Some(node.start_byte())
}

/// What is missing a timeout in a call.
fn missing_timeout(ctx: &Context<'_>, call: &Call) -> bool {
    match call.name.as_str() {
        "socket.create_connection" => {
            call.arg(1, "timeout").is_none() && !call.args.iter().any(|a| a.unpacked)
        }
        "socket.socket.connect" | "socket.socket.connect_ex" if call.kind == CallKind::Method => {
            let Some(receiver) = receiver_text(ctx, call) else {
                return false;
            };
            let scope = enclosing_function(ctx, call);
            !ctx.facts.calls.iter().any(|c| {
                matches!(
                    c.name.as_str(),
                    "socket.socket.settimeout" | "socket.socket.setblocking"
                ) && receiver_text(ctx, c) == Some(receiver)
                    && (receiver.starts_with("self.") || enclosing_function(ctx, c) == scope)
            })
        }
        _ => false,
    }
}

impl Detector for SocketConnectionTimeout {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        // A module-wide default timeout covers every connection.
        if ctx
            .facts
            .calls_named("socket.setdefaulttimeout")
            .next()
            .is_some()
        {
            return Vec::new();
        }
        ctx.facts
            .calls
            .iter()
            .filter(|c| missing_timeout(ctx, c))
            .map(|c| Hit::new(c.callee_range.clone(), c.name.clone()).with_anchor(c.range.clone()))
            .collect()
    }

    fn message(&self, _ctx: &Context<'_>, hit: &Hit) -> String {
        format!(
            "`{}` connects without a timeout, so an unresponsive peer can block this thread for \
             minutes or forever and exhaust the workers ({}). Pass `timeout=` or call \
             `settimeout(...)` before connecting.",
            hit.subject,
            META.cwe_list()
        )
    }

    fn fix(&self, ctx: &Context<'_>, hit: &Hit) -> Vec<Fix> {
        let Some(call) = ctx.facts.call_at(&hit.anchor) else {
            return Vec::new();
        };
        let edit = if call.name == "socket.create_connection" {
            if call.positional(1).is_some() {
                return Vec::new();
            }
            match common::insert_keyword(ctx, call, "timeout=10.0") {
                Some(edit) => edit,
                None => return Vec::new(),
            }
        } else {
            let Some(receiver) = receiver_text(ctx, call) else {
                return Vec::new();
            };
            let Some(statement) = ctx
                .node_at(call.range.clone())
                .map(|n| {
                    if n.kind() == "call" {
                        n.parent().unwrap_or(n)
                    } else {
                        n
                    }
                })
                .filter(|n| n.kind() == "expression_statement")
            else {
                return Vec::new();
            };
            let indent = ctx.indentation_at(statement.start_byte());
            Edit::insert(
                statement.start_byte(),
                format!("{receiver}.settimeout(10.0)\n{indent}"),
            )
        };
        vec![Fix::new(
            "Set a 10 second timeout",
            vec![edit],
            Applicability::Unsafe,
        )]
    }
}
