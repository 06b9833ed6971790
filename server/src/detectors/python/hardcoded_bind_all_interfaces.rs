//! `python/hardcoded-bind-all-interfaces@v1.0`: servers told to listen on every interface.

use crate::analysis::{Arg, Call};
use crate::detectors::{Context, Detector, DetectorMeta, Hit, Scope};
use crate::finding::{Category, Fix, Severity};
use crate::lang::Language;

use super::insecure_socket_bind::{is_any_address, loopback_fix};

/// Flags `host="0.0.0.0"` (or `""` / `"::"`) given to Flask, uvicorn, aiohttp, asyncio and the
/// standard library's servers.
pub struct HardcodedBindAllInterfaces;

/// The detector's metadata and documentation.
pub static META: DetectorMeta = DetectorMeta {
    id: "python/hardcoded-bind-all-interfaces@v1.0",
    name: "Hardcoded interface binding",
    language: Language::Python,
    severity: Severity::Medium,
    cwes: &[605],
    category: Category::Security,
    express: true,
    docs: r#"## What it does
Flags a server started on every network interface through a hardcoded wildcard address
(`"0.0.0.0"`, `""`, `"::"`): the `host` of Flask `app.run`, `uvicorn.run`, `aiohttp.web.run_app`,
`asyncio.start_server` / `loop.create_server`, `werkzeug.serving.run_simple` and
`socket.create_server`, and the address tuple of `http.server.HTTPServer` /
`ThreadingHTTPServer`, `socketserver` servers and `wsgiref.simple_server.make_server` — with
aliases and `**{...}` keyword literals resolved. Hosts read from configuration or the
environment are not flagged. Raw `socket.bind` calls are covered by
`python/insecure-socket-bind`. It does not read Gunicorn or uWSGI configuration files.

## Why is this bad?
Listening on every interface exposes the service to every network the host is attached to,
including ones it was never meant to serve, and can let several processes race for the same
port (CWE-605).

## Example
```python
import uvicorn

uvicorn.run("app:api", host="0.0.0.0", port=8000)
```

## Use instead
```python
import os
import uvicorn

uvicorn.run("app:api", host=os.environ.get("BIND_HOST", "127.0.0.1"), port=8000)
```

## Fix safety
The fix uses the loopback address (`127.0.0.1`, or `::1` for `::`). It is unsafe: in containers
and on servers that must accept remote clients, the host has to come from configuration
instead.

## References
- [CWE-605: Multiple Binds to the Same Port](https://cwe.mitre.org/data/definitions/605.html)
- [uvicorn settings](https://www.uvicorn.org/settings/)
"#,
};

/// The host argument (or the host element of the address tuple) of a server start.
fn host_arg(call: &Call) -> Option<(&Arg, bool)> {
    let name = call.name.as_str();
    match name {
        "flask.Flask.run" => call.arg(0, "host").map(|a| (a, false)),
        "uvicorn.run" | "aiohttp.web.run_app" | "asyncio.start_server" => {
            call.keyword("host").map(|a| (a, false))
        }
        "werkzeug.serving.run_simple" | "werkzeug.run_simple" => {
            call.arg(0, "hostname").map(|a| (a, false))
        }
        "socket.create_server"
        | "http.server.HTTPServer"
        | "http.server.ThreadingHTTPServer"
        | "socketserver.TCPServer"
        | "socketserver.UDPServer"
        | "socketserver.ThreadingTCPServer"
        | "socketserver.ThreadingUDPServer"
        | "socketserver.ForkingTCPServer"
        | "wsgiref.simple_server.make_server" => {
            if name == "wsgiref.simple_server.make_server" {
                call.arg(0, "host").map(|a| (a, false))
            } else {
                call.arg(0, "server_address")
                    .or_else(|| call.keyword("address"))
                    .map(|a| (a, true))
            }
        }
        _ if call.method_name() == "create_server" && name.contains("loop") => {
            call.arg(1, "host").map(|a| (a, false))
        }
        _ => None,
    }
}

/// The range of the wildcard host literal, if the call binds every interface.
fn wildcard(ctx: &Context<'_>, call: &Call) -> Option<std::ops::Range<usize>> {
    let (arg, tuple) = host_arg(call)?;
    if !tuple {
        return is_any_address(arg.value.const_str()?).then(|| arg.range.clone());
    }
    let host = arg.value.field("0")?.const_str()?;
    if !is_any_address(host) {
        return None;
    }
    let node = ctx.node_at(arg.range.clone())?;
    match node.kind() {
        "tuple" => Some(node.named_child(0)?.byte_range()),
        _ => Some(arg.range.clone()),
    }
}

impl Detector for HardcodedBindAllInterfaces {
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
            .filter_map(|call| Some(Hit::new(wildcard(ctx, call)?, call.name.clone())))
            .collect()
    }

    fn message(&self, ctx: &Context<'_>, hit: &Hit) -> String {
        format!(
            "`{}` listens on {}, every network interface, so the service is exposed to every \
             network this host is attached to ({}). Read the address from configuration, or use \
             `127.0.0.1` for local use.",
            hit.subject,
            ctx.text(hit.range.clone()),
            META.cwe_list()
        )
    }

    fn fix(&self, ctx: &Context<'_>, hit: &Hit) -> Vec<Fix> {
        loopback_fix(ctx, hit.range.clone())
    }
}
