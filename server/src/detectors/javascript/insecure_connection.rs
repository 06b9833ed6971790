//! `javascript/insecure-connection@v1.0`: plain `http://`/`ws://` connections to remote hosts.

use crate::analysis::{Arg, Call, CallKind};
use crate::detectors::{Context, Detector, DetectorMeta, Hit};
use crate::finding::{Applicability, Category, Edit, Fix, Severity};
use crate::lang::syntax::MAX_DEPTH;
use crate::lang::Language;

use super::support::constant_prefix;

/// The detector.
pub static INSECURE_CONNECTION: InsecureConnection = InsecureConnection;

/// Flags HTTP clients and WebSockets given `http://`/`ws://` URLs of non-local hosts.
pub struct InsecureConnection;

static META: DetectorMeta = DetectorMeta {
    id: "javascript/insecure-connection@v1.0",
    name: "Insecure connection using unencrypted protocol",
    language: Language::JavaScript,
    severity: Severity::High,
    cwes: &[319],
    category: Category::Security,
    express: true,
    docs: r#"## What it does
Flags connections made over unencrypted protocols to hosts that are not local: an `http://` URL
given to `http.get`/`request`, `fetch`, `axios`, `got`, `request`, `superagent`, `needle`,
`$.ajax`/`$.get`, `XMLHttpRequest.open`, and `ws://` given to `new WebSocket`, as a constant, a
constant variable or the constant beginning of a built URL (`'http://api.example.com/' + path`),
and `ftp://`/`telnet://` URLs given to those clients. The catalogue gives no CWE; Codeward uses
CWE-319.

Local and private hosts are not flagged: `localhost`, `*.localhost`, `*.local`, `127.*`,
`0.0.0.0`, `[::1]`, private IPv4 ranges, `host.docker.internal` and single-label service names
(`http://redis:6379`). Nor are URLs that are not constant, or `http://` strings that are not
given to a client (XML namespaces, links in text).

## Why is this bad?
Anyone on the network path reads and changes plain HTTP traffic: credentials, tokens and
personal data leak, and responses (including code and updates) can be replaced.

## Example
```javascript
const res = await fetch("http://api.example.com/v1/orders", { headers: { authorization: token } });
```

## Use instead
```javascript
const res = await fetch("https://api.example.com/v1/orders", { headers: { authorization: token } });
```

## Fix safety
The fix changes `http://` to `https://` (and `ws://` to `wss://`) in the literal. It is unsafe:
the server must offer TLS on the default port, or the connection fails.

## References
- [CWE-319: Cleartext Transmission of Sensitive Information](https://cwe.mitre.org/data/definitions/319.html)
"#,
};

/// Clients whose first argument is a URL (or options with `url`).
const CLIENTS: &[&str] = &[
    "http.get",
    "http.request",
    "fetch",
    "node-fetch",
    "undici.fetch",
    "undici.request",
    "axios",
    "axios.get",
    "axios.post",
    "axios.put",
    "axios.patch",
    "axios.delete",
    "axios.head",
    "axios.request",
    "got",
    "got.get",
    "got.post",
    "got.put",
    "got.delete",
    "request",
    "request.get",
    "request.post",
    "superagent.get",
    "superagent.post",
    "needle.get",
    "needle.post",
    "$.ajax",
    "$.get",
    "$.post",
    "$.getJSON",
    "jQuery.ajax",
    "jQuery.get",
    "WebSocket",
    "ws",
    "socket.io-client",
    "socket.io-client.io",
    "io",
    "EventSource",
];

const PLAIN: &[(&str, &str)] = &[
    ("http://", "https://"),
    ("ws://", "wss://"),
    ("ftp://", "ftps://"),
    ("telnet://", ""),
];

/// Whether a host (with optional port) is local or private.
fn local_host(authority: &str) -> bool {
    let host = authority.rsplit('@').next().unwrap_or(authority);
    let host = if host.starts_with('[') {
        host.split(']').next().map_or(host, |h| &h[1..])
    } else {
        host.split(':').next().unwrap_or(host)
    }
    .to_ascii_lowercase();
    if host.is_empty() || host == "::1" || !host.contains('.') {
        return true;
    }
    if host.ends_with(".localhost")
        || host.ends_with(".local")
        || host.ends_with(".internal")
        || host == "0.0.0.0"
    {
        return true;
    }
    let octets: Vec<u8> = host.split('.').filter_map(|o| o.parse().ok()).collect();
    match octets.as_slice() {
        [127, ..] | [10, ..] | [192, 168, ..] => true,
        [172, b, ..] => (16..=31).contains(b),
        [169, 254, ..] => true,
        _ => false,
    }
}

/// The plain-protocol scheme a URL starts with and its host, if the host is remote.
fn plain_remote(url: &str) -> Option<&'static str> {
    let lower = url.trim_start().to_ascii_lowercase();
    let (scheme, _) = PLAIN.iter().find(|(s, _)| lower.starts_with(s))?;
    let rest = &lower[scheme.len()..];
    let end = rest.find(['/', '?', '#', '$']).unwrap_or(rest.len());
    // A host that is not constant (`http://${host}/`) is not judged.
    if rest[..end].is_empty() || rest.get(end..end + 2) == Some("${") {
        return None;
    }
    (!local_host(&rest[..end])).then_some(scheme)
}

fn url_arg(ctx: &Context<'_>, arg: &Arg) -> Option<(std::ops::Range<usize>, &'static str)> {
    let text = match arg.value.const_str() {
        Some(s) => Some(s.to_string()),
        None => constant_prefix(ctx, arg.range.clone()),
    };
    if let Some(scheme) = text.as_deref().and_then(plain_remote) {
        return Some((arg.range.clone(), scheme));
    }
    let url = arg.value.field("url")?.const_str()?;
    let scheme = plain_remote(url)?;
    let range = super::support::field_range(ctx, arg, "url");
    Some((range, scheme))
}

fn hit_of(ctx: &Context<'_>, call: &Call) -> Option<Hit> {
    let name = call.name.as_str();
    let arg = if CLIENTS.contains(&name) {
        if matches!(name, "WebSocket" | "EventSource") && call.kind != CallKind::Constructor {
            return None;
        }
        call.positional(0)?
    } else if call.method_name() == "open"
        && call
            .receiver
            .as_ref()
            .is_some_and(|r| r.type_name.as_deref() == Some("XMLHttpRequest"))
    {
        call.positional(1)?
    } else {
        return None;
    };
    let (range, scheme) = url_arg(ctx, arg)?;
    Some(Hit::new(range, scheme).with_anchor(call.range.clone()))
}

/// The leftmost string literal of an expression, where the URL's scheme is written.
fn leftmost_literal<'t>(
    ctx: &Context<'t>,
    range: std::ops::Range<usize>,
) -> Option<tree_sitter::Node<'t>> {
    let mut node = ctx.node_at(range)?;
    for _ in 0..MAX_DEPTH {
        match node.kind() {
            "string" | "template_string" => return Some(node),
            "binary_expression" | "parenthesized_expression" => {
                node = node
                    .child_by_field_name("left")
                    .or_else(|| node.named_child(0))?;
            }
            _ => return None,
        }
    }
    None
}

impl Detector for InsecureConnection {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        ctx.facts
            .calls
            .iter()
            .filter_map(|c| hit_of(ctx, c))
            .collect()
    }

    fn message(&self, _ctx: &Context<'_>, hit: &Hit) -> String {
        format!(
            "The connection uses the unencrypted `{}` protocol to a remote host (CWE-319): anyone \
             on the network can read and change the traffic. Use the encrypted protocol \
             (`https://`, `wss://`).",
            hit.subject.trim_end_matches("://")
        )
    }

    fn fix(&self, ctx: &Context<'_>, hit: &Hit) -> Vec<Fix> {
        let Some((scheme, secure)) = PLAIN.iter().find(|(s, _)| *s == hit.subject) else {
            return Vec::new();
        };
        if secure.is_empty() {
            return Vec::new();
        }
        let Some(literal) = leftmost_literal(ctx, hit.range.clone()) else {
            return Vec::new();
        };
        let start = literal.start_byte() + 1;
        let written = ctx.text(start..start + scheme.len());
        if !written.eq_ignore_ascii_case(scheme) {
            return Vec::new();
        }
        vec![Fix::new(
            format!("Use `{secure}`"),
            vec![Edit::replace(start..start + scheme.len(), *secure)],
            Applicability::Unsafe,
        )]
    }
}
