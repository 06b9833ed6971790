//! `java/insecure-connection`: connections over plain HTTP, FTP or Telnet.

use super::sinks::{matching, sink, split_call, Part, Sink};
use crate::analysis::Call;
use crate::detectors::{Context, Detector, DetectorMeta, Hit};
use crate::finding::{Applicability, Category, Edit, Fix, Severity};
use crate::lang::Language;

/// Flags constant `http://` / `ftp://` URLs handed to HTTP clients, and plain FTP or Telnet clients.
pub struct InsecureConnection;

/// The detector instance.
pub static INSECURE_CONNECTION: InsecureConnection = InsecureConnection;

static META: DetectorMeta = DetectorMeta {
    id: "java/insecure-connection@v1.0",
    name: "Insecure connection using unencrypted protocol",
    language: Language::Java,
    severity: Severity::Medium,
    cwes: &[319],
    category: Category::Security,
    express: true,
    docs: r#"## What it does
Flags URLs with the `http://`, `ftp://` or `telnet://` scheme (after constant folding) passed to
`new URL`, `new URI` / `URI.create`, Apache HttpClient request constructors, Spring `RestTemplate`
methods, `java.net.http.HttpRequest.newBuilder`, OkHttp `Request.Builder.url` and
`Jsoup.connect`, and the plain Commons Net `FTPClient` and `TelnetClient`. Local addresses
(`localhost`, `127.0.0.1`, `[::1]`) are not flagged. The catalogue publishes no severity; Codeward
uses Medium with CWE-319.

It does not see URLs read from configuration, and it does not check raw `Socket`s (which may carry
their own encryption).

## Why is this bad?
Anything sent over plain HTTP, FTP or Telnet — credentials, session tokens, personal data — can be
read and changed by anyone on the network path.

## Example
```java
URL api = new URL("http://api.example.com/v1/orders");
```

## Use instead
```java
URL api = new URL("https://api.example.com/v1/orders");
```

## Fix safety
The fix changes a literal `http://` to `https://`. It is unsafe: the server must serve the same
resource over HTTPS.

## References
- [CWE-319: Cleartext Transmission of Sensitive Information](https://cwe.mitre.org/data/definitions/319.html)
"#,
};

const FIRST: &[Part] = &[Part::Arg(0)];
const REST: &str = "org.springframework.web.client.RestTemplate";

/// Calls taking a URL as their first argument.
const URL_TAKERS: &[Sink] = &[
    sink("java.net.URL", "", FIRST),
    sink("java.net.URI", "", FIRST),
    sink("java.net.URI", "create", FIRST),
    sink(REST, "getForObject", FIRST),
    sink(REST, "getForEntity", FIRST),
    sink(REST, "postForObject", FIRST),
    sink(REST, "postForEntity", FIRST),
    sink(REST, "exchange", FIRST),
    sink(REST, "put", FIRST),
    sink(REST, "delete", FIRST),
    sink("org.apache.http.client.methods.HttpGet", "", FIRST),
    sink("org.apache.http.client.methods.HttpPost", "", FIRST),
    sink("org.apache.http.client.methods.HttpPut", "", FIRST),
    sink("org.apache.http.client.methods.HttpDelete", "", FIRST),
    sink("okhttp3.Request.Builder", "url", FIRST),
    sink("org.jsoup.Jsoup", "connect", FIRST),
];

/// Clients of plaintext protocols.
const PLAIN_CLIENTS: &[&str] = &[
    "org.apache.commons.net.ftp.FTPClient",
    "org.apache.commons.net.telnet.TelnetClient",
];

/// The plaintext scheme of a URL to a non-local host.
fn plain_scheme(url: &str) -> Option<&'static str> {
    let lower = url.trim().to_ascii_lowercase();
    let scheme = ["http://", "ftp://", "telnet://"]
        .into_iter()
        .find(|s| lower.starts_with(s))?;
    let host = lower[scheme.len()..]
        .split(['/', '?', '#'])
        .next()
        .unwrap_or("");
    let host = host.rsplit('@').next().unwrap_or(host);
    let local = host.starts_with("localhost")
        || host.starts_with("127.")
        || host.starts_with("[::1]")
        || host.is_empty();
    (!local).then_some(scheme)
}

/// A hit for a call passing a plaintext URL.
fn url_hit(call: &Call) -> Option<Hit> {
    let sink = matching(call, URL_TAKERS)?;
    let Part::Arg(n) = sink.parts.first()? else {
        return None;
    };
    let arg = call.args.get(*n)?;
    let scheme = plain_scheme(arg.value.const_str()?)?;
    Some(Hit::new(arg.range.clone(), scheme.trim_end_matches("://")))
}

impl Detector for InsecureConnection {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        ctx.facts
            .calls
            .iter()
            .filter_map(|call| {
                let (class, method) = split_call(call);
                if method.is_empty() && PLAIN_CLIENTS.contains(&class) {
                    let simple = class.rsplit('.').next().unwrap_or(class);
                    return Some(Hit::new(call.range.clone(), simple.to_string()));
                }
                url_hit(call)
            })
            .collect()
    }

    fn message(&self, _ctx: &Context<'_>, hit: &Hit) -> String {
        let (what, instead) = match hit.subject.as_str() {
            "http" => ("an `http://` URL", "`https://`"),
            "ftp" | "FTPClient" => ("plain FTP", "SFTP or FTPS (`FTPSClient`)"),
            _ => ("Telnet", "SSH"),
        };
        format!(
            "Insecure connection (CWE-319): this uses {what}, so credentials and data cross the \
             network unencrypted and can be read or changed. Use {instead}."
        )
    }

    fn fix(&self, ctx: &Context<'_>, hit: &Hit) -> Vec<Fix> {
        let literal = ctx.text(hit.range.clone());
        if hit.subject != "http" || !literal.starts_with("\"http://") {
            return Vec::new();
        }
        let start = hit.range.start + 1;
        vec![Fix::new(
            "Use https://",
            vec![Edit::replace(start..start + "http://".len(), "https://")],
            Applicability::Unsafe,
        )]
    }
}
