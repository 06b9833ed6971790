//! `python/insecure-connection@v1.0`: connections over protocols that send data in clear text.

use crate::analysis::{Arg, Call, CallKind};
use crate::detectors::{Context, Detector, DetectorMeta, Hit, Scope};
use crate::finding::{Applicability, Category, Edit, Fix, Severity};
use crate::lang::Language;

use super::common;

/// Flags FTP and Telnet clients, and `http://` URLs given to HTTP clients.
pub struct InsecureConnection;

/// The detector's metadata and documentation.
pub static META: DetectorMeta = DetectorMeta {
    id: "python/insecure-connection@v1.0",
    name: "Insecure connection using unencrypted protocol",
    language: Language::Python,
    severity: Severity::High,
    cwes: &[319],
    category: Category::Security,
    express: true,
    docs: r#"## What it does
Flags clients of protocols without encryption: `ftplib.FTP` (not `FTP_TLS`), `telnetlib.Telnet`,
and constant `http://` or `ftp://` URLs passed to `requests`, `httpx`, `urllib.request`,
`urllib3` and `xmlrpc.client.ServerProxy` — through aliases and sessions. Loopback hosts
(`localhost`, `127.0.0.1`, `[::1]`) are not flagged, nor URLs chosen at run time, nor
`https://` ones. It does not flag `smtplib.SMTP` (which is usually upgraded with `starttls()`),
`http.client.HTTPConnection` to a host variable, or plain sockets.

## Why is this bad?
Anyone on the network path can read and modify clear-text traffic: credentials, session
cookies and the data itself (CWE-319).

## Example
```python
import ftplib
import requests

ftp = ftplib.FTP("files.example.com")
report = requests.get("http://api.example.com/report", timeout=10)
```

## Use instead
```python
import ftplib
import requests

ftp = ftplib.FTP_TLS("files.example.com")
report = requests.get("https://api.example.com/report", timeout=10)
```

## Fix safety
The fix switches `http://` to `https://` and `ftplib.FTP` to `ftplib.FTP_TLS`. It is unsafe: the
server must support TLS on that address (and `FTP_TLS` needs `prot_p()` to encrypt file
transfers, not only the login). Telnet has no automatic fix: use SSH (`paramiko`).

## References
- [CWE-319: Cleartext Transmission of Sensitive Information](https://cwe.mitre.org/data/definitions/319.html)
- [Python `ftplib.FTP_TLS`](https://docs.python.org/3/library/ftplib.html#ftplib.FTP_TLS)
"#,
};

const HTTP_METHODS: [&str; 10] = [
    "get", "post", "put", "patch", "delete", "head", "options", "request", "stream", "urlopen",
];

/// Whether the call sends a request to its URL argument, and which argument that is.
fn url_arg(call: &Call) -> Option<&Arg> {
    let (prefix, function) = crate::analysis::split_last_dot(&call.name)?;
    let client = matches!(
        prefix,
        "requests"
            | "requests.Session"
            | "requests.api"
            | "httpx"
            | "httpx.Client"
            | "httpx.AsyncClient"
            | "urllib3"
            | "urllib3.PoolManager"
    );
    match (prefix, function) {
        (_, "request" | "urlopen") if client => call.arg(1, "url"),
        (_, f) if client && HTTP_METHODS.contains(&f) => call.arg(0, "url"),
        ("urllib.request" | "urllib2", "urlopen" | "Request") => call.arg(0, "url"),
        ("xmlrpc.client" | "xmlrpclib", "ServerProxy") => call.arg(0, "uri"),
        _ => None,
    }
}

/// Whether a constant URL uses a clear-text scheme to a host that is not the local machine.
fn clear_text_url(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    let Some(rest) = lower
        .strip_prefix("http://")
        .or_else(|| lower.strip_prefix("ftp://"))
    else {
        return false;
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = authority.rsplit('@').next().unwrap_or(authority);
    let host = if host.starts_with('[') {
        host.split(']').next().map_or(host, |h| &h[1..])
    } else {
        host.split(':').next().unwrap_or(host)
    };
    !host.is_empty() && !matches!(host, "localhost" | "127.0.0.1" | "::1" | "0.0.0.0")
}

/// What a call does in clear text.
enum Problem {
    /// A clear-text URL at this range.
    Url,
    /// A clear-text protocol client.
    Client,
}

fn problem(call: &Call) -> Option<(Problem, std::ops::Range<usize>)> {
    match call.name.as_str() {
        "ftplib.FTP" | "telnetlib.Telnet" if call.kind == CallKind::Function => {
            Some((Problem::Client, call.callee_range.clone()))
        }
        _ => {
            let arg = url_arg(call)?;
            clear_text_url(arg.value.const_str()?).then(|| (Problem::Url, arg.range.clone()))
        }
    }
}

impl Detector for InsecureConnection {
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
                let (_, range) = problem(call)?;
                Some(Hit::new(range, call.name.clone()).with_anchor(call.range.clone()))
            })
            .collect()
    }

    fn message(&self, _ctx: &Context<'_>, hit: &Hit) -> String {
        let what = match hit.subject.as_str() {
            "ftplib.FTP" => "connects over FTP, which sends the login and the files in clear text",
            "telnetlib.Telnet" => "connects over Telnet, which sends everything in clear text",
            _ => "sends a request over a clear-text protocol (`http://` / `ftp://`)",
        };
        format!(
            "`{}` {what}: anyone on the network path can read or change the data and \
             credentials ({}). Use the TLS form (`https://`, `FTP_TLS`, SSH instead of Telnet).",
            hit.subject,
            META.cwe_list()
        )
    }

    fn fix(&self, ctx: &Context<'_>, hit: &Hit) -> Vec<Fix> {
        let Some(call) = ctx.facts.call_at(&hit.anchor) else {
            return Vec::new();
        };
        match problem(call) {
            Some((Problem::Client, _)) if call.name == "ftplib.FTP" => {
                let Some(attr) = common::callee_attribute(ctx, call) else {
                    return Vec::new();
                };
                vec![Fix::new(
                    "Use ftplib.FTP_TLS",
                    vec![Edit::replace(attr, "FTP_TLS")],
                    Applicability::Unsafe,
                )]
            }
            Some((Problem::Url, range)) => {
                let Some(content) = common::string_content_range(ctx, range) else {
                    return Vec::new();
                };
                let text = ctx.text(content.clone());
                if !text
                    .get(..7)
                    .is_some_and(|s| s.eq_ignore_ascii_case("http://"))
                {
                    return Vec::new();
                }
                vec![Fix::new(
                    "Use https://",
                    vec![Edit::replace(content.start..content.start + 7, "https://")],
                    Applicability::Unsafe,
                )]
            }
            _ => Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::clear_text_url;

    #[test]
    fn loopback_and_tls_urls_are_fine() {
        assert!(clear_text_url("http://api.example.com/x"));
        assert!(clear_text_url("FTP://files.example.com"));
        assert!(clear_text_url("http://user:pw@10.0.0.5:8080/"));
        assert!(!clear_text_url("http://localhost:8000/"));
        assert!(!clear_text_url("http://127.0.0.1/"));
        assert!(!clear_text_url("http://[::1]:80/"));
        assert!(!clear_text_url("https://api.example.com/"));
        assert!(!clear_text_url("http://"));
    }
}
