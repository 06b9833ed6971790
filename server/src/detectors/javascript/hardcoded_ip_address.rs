//! `javascript/hardcoded-ip-address@v1.0`: IP addresses written into connection code.

use std::net::IpAddr;

use crate::analysis::{Call, Value};
use crate::detectors::{Context, Detector, DetectorMeta, Hit};
use crate::finding::{Category, Severity};
use crate::lang::Language;

use super::support::field_range;

/// The detector.
pub static HARDCODED_IP_ADDRESS: HardcodedIpAddress = HardcodedIpAddress;

/// Flags constant IP addresses given to calls as hosts or URLs.
pub struct HardcodedIpAddress;

static META: DetectorMeta = DetectorMeta {
    id: "javascript/hardcoded-ip-address@v1.0",
    name: "Hardcoded IP address",
    language: Language::JavaScript,
    severity: Severity::Medium,
    cwes: &[1051],
    category: Category::Security,
    express: true,
    docs: r#"## What it does
Flags a constant IP address given to code that connects or listens: a URL argument whose host is
an address (`'http://203.0.113.9:8080/api'`), an address given to a network call (`connect`,
`createConnection`, `listen`, `bind`, `send`, `request`, `get`, `fetch`, `new MongoClient`, ...),
or the `host`/`hostname`/`address`/`server`/`url`/`uri`/`baseURL` option of an options object. The catalogue publishes no severity or
CWE; Codeward uses Medium and CWE-1051 (initialisation with hard-coded network resource
configuration data).

Not flagged: loopback and unspecified addresses (`127.0.0.1`, `::1`, `0.0.0.0`, `::`), which
address the machine itself, CIDR ranges (`10.0.0.0/8`), dotted strings given to other calls
(object identifiers such as `2.5.29.15`, versions), and addresses read from configuration or the
environment.

## Why is this bad?
An address in the code cannot change with the environment: moving a service breaks the program
or, worse, keeps it talking to whoever holds the old address next. Addresses in source also map
out internal networks for anyone who reads the code, and make it easy to bypass name-based
controls such as TLS host names.

## Example
```javascript
const db = mysql.createConnection({ host: "10.0.1.7", user: "app" });
```

## Use instead
```javascript
const db = mysql.createConnection({ host: process.env.DB_HOST, user: "app" });
```

## Fix safety
There is no automatic fix: the configuration source is the application's choice.

## References
- [CWE-1051: Initialization with Hard-Coded Network Resource Configuration Data](https://cwe.mitre.org/data/definitions/1051.html)
"#,
};

const HOST_FIELDS: &[&str] = &[
    "host",
    "hostname",
    "address",
    "server",
    "url",
    "uri",
    "baseURL",
    "ip",
    "connectionString",
];

/// Calls whose plain string arguments are hosts (`net.connect(port, host)`, `server.listen`).
const NETWORK_METHODS: &[&str] = &[
    "connect",
    "createConnection",
    "createClient",
    "createPool",
    "listen",
    "bind",
    "send",
    "lookup",
    "request",
    "get",
    "post",
    "put",
    "patch",
    "delete",
    "fetch",
    "axios",
    "got",
    "open",
    "WebSocket",
    "MongoClient",
    "Redis",
    "Client",
    "Pool",
];

/// The address in a host, `host:port` or URL string, if it is a routable literal.
fn address(text: &str) -> Option<IpAddr> {
    let t = text.trim();
    // CIDR ranges (`10.0.0.0/8`) describe networks, not a host to connect to.
    if !t.contains("://") && t.contains('/') {
        return None;
    }
    let rest = t.split_once("://").map_or(t, |(_, r)| r);
    let rest = rest.rsplit_once('@').map_or(rest, |(_, h)| h);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    let host = if let Some(v6) = authority.strip_prefix('[') {
        v6.split(']').next().unwrap_or(v6)
    } else if authority.matches(':').count() > 1 {
        authority
    } else {
        authority.split(':').next().unwrap_or(authority)
    };
    // Only dotted quads: `1.2.3` version strings and bare numbers are not addresses.
    if host.contains('.') && host.split('.').count() != 4 {
        return None;
    }
    let ip: IpAddr = host.parse().ok()?;
    (!ip.is_loopback() && !ip.is_unspecified()).then_some(ip)
}

fn value_address(value: &Value) -> Option<IpAddr> {
    address(value.const_str()?)
}

fn hits_of(ctx: &Context<'_>, call: &Call) -> Vec<Hit> {
    let mut hits = Vec::new();
    let network_call = NETWORK_METHODS.contains(&call.method_name());
    for arg in &call.args {
        let url = arg.value.const_str().is_some_and(|s| s.contains("://"));
        if let (true, Some(ip)) = (network_call || url, value_address(&arg.value)) {
            hits.push(Hit::new(arg.range.clone(), ip.to_string()).with_anchor(call.range.clone()));
            continue;
        }
        for key in HOST_FIELDS {
            if let Some(ip) = arg.value.field(key).and_then(value_address) {
                hits.push(
                    Hit::new(field_range(ctx, arg, key), ip.to_string())
                        .with_anchor(call.range.clone()),
                );
            }
        }
    }
    hits
}

impl Detector for HardcodedIpAddress {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        let mut hits: Vec<Hit> = ctx
            .facts
            .calls
            .iter()
            .flat_map(|c| hits_of(ctx, c))
            .collect();
        // A literal passed through an options variable is reported once, where it is written.
        hits.sort_by_key(|h| (h.range.start, h.range.end));
        hits.dedup_by(|a, b| a.range == b.range);
        hits
    }

    fn message(&self, _ctx: &Context<'_>, hit: &Hit) -> String {
        format!(
            "The IP address `{}` is hardcoded (CWE-1051): it cannot change with the environment \
             and exposes network layout. Read the host from configuration or the environment, or \
             use a DNS name.",
            hit.subject
        )
    }
}
