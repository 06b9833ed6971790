//! `python/hardcoded-ip-address@v1.0`: network connections to IP addresses written in the code.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::ops::Range;

use crate::analysis::{Arg, Call, CallKind};
use crate::detectors::{secrets, Context, Detector, DetectorMeta, Hit, Scope};
use crate::finding::{Category, Severity};
use crate::lang::Language;

use super::{server_side_request_forgery, taint_sink};

/// Flags literal IP addresses given to sockets, HTTP clients, and the host parameters of
/// network clients.
pub struct HardcodedIpAddress;

/// The detector's metadata and documentation.
pub static META: DetectorMeta = DetectorMeta {
    id: "python/hardcoded-ip-address@v1.0",
    name: "Hardcoded IP address",
    language: Language::Python,
    severity: Severity::Medium,
    cwes: &[1051],
    category: Category::Security,
    express: true,
    docs: r#"## What it does
Flags an IP address written in the code (directly or through a constant) that a network call
uses: the address tuple of `socket` `connect` / `connect_ex` / `bind` / `sendto`,
`socket.create_connection` and `socket.create_server`; the URL of `requests`, `httpx`,
`urllib3`, `aiohttp` and `urllib.request` calls and the host of `http.client` connections; the
host of `ftplib`, `smtplib`, `poplib`, `imaplib` and `telnetlib` clients; the URL of
`sqlalchemy.create_engine`, `pymongo.MongoClient` and `redis.from_url`; and any `host`,
`hostname`, `ip`, `ip_address`, `server` or `address` keyword argument. The catalogue gives no
CWE; Codeward uses CWE-1051 (hard-coded network resource configuration data).

Addresses that do not name a particular machine are not flagged: loopback (`127.0.0.1`,
`::1`), the wildcard (`0.0.0.0`, `::`, reported by `hardcoded-bind-all-interfaces`), broadcast,
multicast and link-local addresses (including the cloud metadata endpoint `169.254.169.254`),
the documentation ranges (`192.0.2.0/24`, `198.51.100.0/24`, `203.0.113.0/24`, `2001:db8::/32`),
and the anycast addresses of public DNS resolvers (`8.8.8.8`, `1.1.1.1`, `9.9.9.9`...). Files
under test directories are not scanned: tests connect to fixed fake servers on purpose. Version
strings, addresses in comments, and addresses kept in configuration dictionaries or settings
modules that no call in the file uses are not flagged.

## Why is this bad?
An address in the code ties the program to one machine: when the server moves, fails over or
its address is reassigned, the program breaks or, worse, talks to whoever holds the address
now. Changing it needs a new release, and the same address ends up copied into several places
and environments (development and production talk to the same host) (CWE-1051).

## Example
```python
import socket

sock = socket.create_connection(("203.0.113.80", 443))
```

## Use instead
```python
import os
import socket

sock = socket.create_connection((os.environ["BACKEND_HOST"], 443))
```
Use a DNS name, or read the address from configuration or the environment.

## Fix safety
There is no automatic fix: where the address should come from (a setting, an environment
variable, service discovery) depends on the deployment.

## References
- [CWE-1051: Initialization with Hard-Coded Network Resource Configuration Data](https://cwe.mitre.org/data/definitions/1051.html)
"#,
};

/// Keyword arguments that name the host to talk to, for any call.
const HOST_KEYWORDS: [&str; 7] = [
    "host",
    "hostname",
    "ip",
    "ip_address",
    "server",
    "address",
    "server_address",
];

/// Clients whose first argument is a host.
const HOST_CLIENTS: [&str; 12] = [
    "ftplib.FTP",
    "ftplib.FTP_TLS",
    "smtplib.SMTP",
    "smtplib.SMTP_SSL",
    "smtplib.LMTP",
    "poplib.POP3",
    "poplib.POP3_SSL",
    "imaplib.IMAP4",
    "imaplib.IMAP4_SSL",
    "telnetlib.Telnet",
    "socket.gethostbyaddr",
    "paramiko.Transport",
];

/// Clients whose first argument is a URL or connection string.
const URL_CLIENTS: [&str; 6] = [
    "sqlalchemy.create_engine",
    "pymongo.MongoClient",
    "redis.from_url",
    "redis.Redis.from_url",
    "redis.StrictRedis.from_url",
    "motor.motor_asyncio.AsyncIOMotorClient",
];

/// Anycast addresses of public DNS resolvers: stable by design, and the usual target of the
/// "which interface routes out" trick (`connect(("8.8.8.8", 80))` then `getsockname()`).
const PUBLIC_RESOLVERS: [&str; 12] = [
    "8.8.8.8",
    "8.8.4.4",
    "1.1.1.1",
    "1.0.0.1",
    "9.9.9.9",
    "149.112.112.112",
    "208.67.222.222",
    "208.67.220.220",
    "2001:4860:4860::8888",
    "2001:4860:4860::8844",
    "2606:4700:4700::1111",
    "2606:4700:4700::1001",
];

/// How an argument carries the address.
#[derive(Clone, Copy)]
enum Shape {
    /// The argument is the host.
    Host,
    /// The argument is an `(host, port)` tuple.
    Tuple,
    /// The argument is a URL or connection string.
    Url,
}

/// The address-carrying arguments of a call.
fn address_args(ctx: &Context<'_>, call: &Call) -> Vec<(Shape, Arg)> {
    let mut out: Vec<(Shape, Arg)> = Vec::new();
    let name = call.name.as_str();
    let is_socket = call
        .receiver
        .as_ref()
        .and_then(|r| r.type_name.as_deref())
        .is_some_and(|t| t == "socket.socket");
    if call.kind == CallKind::Method && is_socket {
        match call.method_name() {
            "connect" | "connect_ex" | "bind" => {
                out.extend(call.arg(0, "address").map(|a| (Shape::Tuple, a.clone())));
            }
            "sendto" => out.extend(
                call.positional(call.args.len().saturating_sub(1))
                    .map(|a| (Shape::Tuple, a.clone())),
            ),
            _ => {}
        }
    }
    match name {
        "socket.create_connection" | "socket.create_server" => {
            out.extend(call.arg(0, "address").map(|a| (Shape::Tuple, a.clone())));
        }
        "http.client.HTTPConnection" | "http.client.HTTPSConnection" => {
            out.extend(call.arg(0, "host").map(|a| (Shape::Host, a.clone())));
        }
        _ if HOST_CLIENTS.contains(&name) => {
            out.extend(call.positional(0).map(|a| (Shape::Host, a.clone())));
        }
        _ if URL_CLIENTS.contains(&name) => {
            out.extend(call.positional(0).map(|a| (Shape::Url, a.clone())));
        }
        _ => {
            for arg in server_side_request_forgery::url_args(ctx, call) {
                if arg.keyword.as_deref() != Some("host") {
                    out.push((Shape::Url, arg.clone()));
                }
            }
        }
    }
    for arg in &call.args {
        let Some(keyword) = arg.keyword.as_deref() else {
            continue;
        };
        let shape = if HOST_KEYWORDS.contains(&keyword) {
            Shape::Host
        } else if matches!(keyword, "url" | "base_url" | "endpoint_url") {
            Shape::Url
        } else {
            continue;
        };
        if !out.iter().any(|(_, a)| a.range == arg.range) {
            out.push((shape, arg.clone()));
        }
    }
    out
}

/// The host text an argument carries, and the range to report.
fn host_of(ctx: &Context<'_>, shape: Shape, arg: &Arg) -> Option<(String, Range<usize>)> {
    match shape {
        Shape::Host => Some((arg.value.const_str()?.to_string(), arg.range.clone())),
        Shape::Tuple => {
            let host = arg
                .value
                .field("0")
                .and_then(|v| v.const_str())
                .or_else(|| match arg.value.constant.as_ref()? {
                    crate::analysis::Constant::List(items) => items.first()?.as_str(),
                    _ => None,
                })?;
            let range = ctx
                .node_at(arg.range.clone())
                .filter(|n| n.kind() == "tuple")
                .and_then(|n| n.named_child(0))
                .map_or(arg.range.clone(), |n| n.byte_range());
            Some((host.to_string(), range))
        }
        Shape::Url => {
            let text = match arg.value.const_str() {
                Some(s) => s.to_string(),
                None => taint_sink::leading_literal(ctx, arg.range.clone())?,
            };
            Some((url_host(&text)?.to_string(), arg.range.clone()))
        }
    }
}

/// The host of `scheme://[user[:password]@]host[:port]/...`.
fn url_host(url: &str) -> Option<&str> {
    let (_, rest) = url.split_once("://")?;
    let authority = rest.split(['/', '?', '#']).next()?;
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    if let Some(bracketed) = host_port.strip_prefix('[') {
        return bracketed.split_once(']').map(|(h, _)| h);
    }
    // A host list (`mongodb://a,b`) is checked on its first host only.
    let first = host_port.split(',').next()?;
    Some(first.rsplit_once(':').map_or(first, |(h, _)| h))
}

/// The address if `host` is a literal IP address naming one particular machine.
pub fn specific_address(host: &str) -> Option<IpAddr> {
    let host = host.trim();
    let host = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host);
    let ip: IpAddr = host.parse().ok()?;
    if PUBLIC_RESOLVERS.contains(&host) {
        return None;
    }
    let specific = match ip {
        IpAddr::V4(v4) => specific_v4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => specific_v4(v4),
            None => specific_v6(v6),
        },
    };
    specific.then_some(ip)
}

fn specific_v4(ip: Ipv4Addr) -> bool {
    !(ip.is_loopback()
        || ip.is_unspecified()
        || ip.is_broadcast()
        || ip.is_multicast()
        || ip.is_link_local()
        || ip.is_documentation()
        || ip.octets()[0] == 0)
}

fn specific_v6(ip: Ipv6Addr) -> bool {
    let segments = ip.segments();
    let documentation = segments[0] == 0x2001 && segments[1] == 0x0db8;
    let link_local = segments[0] & 0xffc0 == 0xfe80;
    // The IPv6 address of the EC2 instance metadata service.
    let metadata = ip == Ipv6Addr::new(0xfd00, 0xec2, 0, 0, 0, 0, 0, 0x254);
    !(ip.is_loopback()
        || ip.is_unspecified()
        || ip.is_multicast()
        || documentation
        || link_local
        || metadata)
}

impl Detector for HardcodedIpAddress {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn scope(&self) -> Scope {
        Scope::Definition
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        if secrets::in_test_path(ctx.path) {
            return Vec::new();
        }
        let mut hits: Vec<Hit> = Vec::new();
        for call in &ctx.facts.calls {
            for (shape, arg) in address_args(ctx, call) {
                let Some((host, range)) = host_of(ctx, shape, &arg) else {
                    continue;
                };
                let Some(ip) = specific_address(&host) else {
                    continue;
                };
                if hits.iter().any(|h| h.range == range) {
                    continue;
                }
                hits.push(
                    Hit::new(range, format!("{}|{ip}", call.name)).with_anchor(call.range.clone()),
                );
            }
        }
        hits
    }

    fn message(&self, _ctx: &Context<'_>, hit: &Hit) -> String {
        let (call, ip) = hit.subject.split_once('|').unwrap_or((&hit.subject, "?"));
        format!(
            "`{call}` uses the hardcoded IP address `{ip}`; when that machine moves or the address \
             is reassigned the program breaks or talks to someone else, and changing it needs a \
             release ({}). Use a DNS name, or read the address from configuration or the \
             environment.",
            META.cwe_list()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_addresses_of_particular_machines_count() {
        assert!(specific_address("10.20.30.40").is_some());
        assert!(specific_address("52.95.110.1").is_some());
        assert!(specific_address("2a05:d018::1").is_some());
        for not in [
            "127.0.0.1",
            "0.0.0.0",
            "::1",
            "::",
            "255.255.255.255",
            "224.0.0.251",
            "169.254.169.254",
            "192.0.2.10",
            "2001:db8::5",
            "8.8.8.8",
            "1.2.3",
            "localhost",
            "v1.2.3.4",
        ] {
            assert!(specific_address(not).is_none(), "{not}");
        }
    }

    #[test]
    fn url_hosts_skip_credentials_ports_and_brackets() {
        assert_eq!(url_host("http://10.0.0.1:8080/x"), Some("10.0.0.1"));
        assert_eq!(url_host("postgresql://u:p@10.0.0.2/db"), Some("10.0.0.2"));
        assert_eq!(url_host("http://[2a05:d018::1]:80/"), Some("2a05:d018::1"));
        assert_eq!(url_host("mongodb://10.0.0.3,10.0.0.4/"), Some("10.0.0.3"));
        assert_eq!(url_host("no url"), None);
    }
}
