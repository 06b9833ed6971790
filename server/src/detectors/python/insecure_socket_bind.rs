//! `python/insecure-socket-bind@v1.0`: sockets bound to every network interface.

use crate::analysis::{Arg, Call, CallKind};
use crate::detectors::{Context, Detector, DetectorMeta, Hit, Scope};
use crate::finding::{Applicability, Category, Edit, Fix, Severity};
use crate::lang::Language;

use super::common;

/// Flags `socket.bind` to `""`, `"0.0.0.0"` or `"::"`.
pub struct InsecureSocketBind;

/// The detector's metadata and documentation.
pub static META: DetectorMeta = DetectorMeta {
    id: "python/insecure-socket-bind@v1.0",
    name: "Insecure Socket Bind",
    language: Language::Python,
    severity: Severity::Critical,
    cwes: &[200],
    category: Category::Security,
    express: true,
    docs: r#"## What it does
Flags `bind` on a `socket.socket` (created by `socket.socket`, `socket.create_server` or
`socket.create_connection`, under any alias, or any `.bind(...)` in a file that imports `socket`)
whose address is the empty string, `"0.0.0.0"` or `"::"`: every network interface of the
machine. Addresses held in variables or configuration are not flagged, nor loopback or specific
interface addresses. Server frameworks' `host=` settings are covered by
`python/hardcoded-bind-all-interfaces`.

## Why is this bad?
A socket listening on every interface is reachable from every network the machine is attached
to, not only the one the service was meant for: internal or debugging endpoints become
exposed to other hosts (CWE-200).

## Example
```python
import socket

server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
server.bind(("0.0.0.0", 9000))
```

## Use instead
```python
import socket

server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
server.bind(("127.0.0.1", 9000))
```
Bind to the address of the intended interface, read from configuration.

## Fix safety
The fix binds to the loopback address (`127.0.0.1`, or `::1` for `::`). It is unsafe: clients on
other machines can no longer connect; bind to the specific interface they use instead.

## References
- [CWE-200: Exposure of Sensitive Information to an Unauthorized Actor](https://cwe.mitre.org/data/definitions/200.html)
- [Python `socket.bind`](https://docs.python.org/3/library/socket.html#socket.socket.bind)
"#,
};

/// The host element of a `bind` address when it means every interface.
fn all_interfaces_host(ctx: &Context<'_>, call: &Call) -> Option<std::ops::Range<usize>> {
    if call.kind != CallKind::Method || call.method_name() != "bind" {
        return None;
    }
    let is_socket = call
        .receiver
        .as_ref()
        .and_then(|r| r.type_name.as_deref())
        .is_some_and(|t| t == "socket.socket");
    if !is_socket && !ctx.facts.imports.imports("socket") {
        return None;
    }
    let address: &Arg = call.arg(0, "address")?;
    let host = address.value.field("0")?.const_str()?;
    if !is_any_address(host) {
        return None;
    }
    let tuple = ctx.node_at(address.range.clone())?;
    let tuple = if tuple.kind() == "parenthesized_expression" {
        tuple.named_child(0)?
    } else {
        tuple
    };
    match tuple.kind() {
        "tuple" => Some(tuple.named_child(0)?.byte_range()),
        _ => Some(address.range.clone()),
    }
}

/// `""`, `"0.0.0.0"` and `"::"`: the wildcard addresses.
pub fn is_any_address(host: &str) -> bool {
    matches!(host, "" | "0.0.0.0" | "::" | "0:0:0:0:0:0:0:0")
}

/// The loopback replacement for a wildcard host literal, when the literal is a plain string.
pub fn loopback_fix(ctx: &Context<'_>, host: std::ops::Range<usize>) -> Vec<Fix> {
    let Some(content) = common::string_content_range(ctx, host) else {
        return Vec::new();
    };
    let loopback = if ctx.text(content.clone()).contains(':') {
        "::1"
    } else {
        "127.0.0.1"
    };
    vec![Fix::new(
        format!("Bind to the loopback address {loopback}"),
        vec![Edit::replace(content, loopback)],
        Applicability::Unsafe,
    )]
}

impl Detector for InsecureSocketBind {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn scope(&self) -> Scope {
        Scope::Definition
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        ctx.facts
            .calls
            .iter()
            .filter_map(|call| {
                let host = all_interfaces_host(ctx, call)?;
                Some(Hit::new(host, call.name.clone()))
            })
            .collect()
    }

    fn message(&self, ctx: &Context<'_>, hit: &Hit) -> String {
        let host = ctx.text(hit.range.clone());
        format!(
            "`{}` binds to {host}, every network interface, so the service is reachable from \
             every network this machine is on ({}). Bind to the intended interface's address \
             (from configuration), or to `127.0.0.1` for local use.",
            hit.subject,
            META.cwe_list()
        )
    }

    fn fix(&self, ctx: &Context<'_>, hit: &Hit) -> Vec<Fix> {
        loopback_fix(ctx, hit.range.clone())
    }
}
