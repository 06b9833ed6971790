//! `javascript/sendfile-injection@v1.0`: request data choosing the file Express sends.

use crate::analysis::{Call, Origin, SinkKind, SourceKind};
use crate::detectors::{Context, Detector, DetectorMeta, Hit};
use crate::finding::{Category, Severity};
use crate::lang::Language;

use super::support::{hit_on, is_response, origin_sentence, tainted_where};

/// The detector.
pub static SENDFILE_INJECTION: SendfileInjection = SendfileInjection;

/// Flags `res.sendFile`/`res.download` of request-chosen paths without a `root` option.
pub struct SendfileInjection;

static META: DetectorMeta = DetectorMeta {
    id: "javascript/sendfile-injection@v1.0",
    name: "Sendfile injection",
    language: Language::JavaScript,
    severity: Severity::High,
    cwes: &[73],
    category: Category::Security,
    express: true,
    docs: r#"## What it does
Flags Express `res.sendFile(path)` and `res.download(path)` (and `sendfile`) when the path holds
request data and no `root` option is given. With `{ root }` Express resolves the path under the
root and refuses `..` segments, so such calls are not flagged; nor are names reduced with
`path.basename`, paths checked with `startsWith(root)`, allow-listed values and constants.
It does not catch `koa-send`/`serve-static` style middleware or options built far from the call.

## Why is this bad?
Express sends whatever file the path names: `../../etc/passwd`, the application's `.env` or its
source. `path.join(__dirname, 'public', name)` does not help, because `join` resolves `..`.

## Example
```javascript
app.get("/download", (req, res) => {
  res.download(path.join(__dirname, "files", req.query.name));
});
```

## Use instead
```javascript
app.get("/download", (req, res) => {
  res.download(req.query.name, { root: path.join(__dirname, "files") });
});
```

## Fix safety
There is no automatic fix: the root directory has to be taken out of the path expression.

## References
- [CWE-73: External Control of File Name or Path](https://cwe.mitre.org/data/definitions/73.html)
- [Express res.sendFile](https://expressjs.com/en/4x/api.html#res.sendFile)
"#,
};

fn remote(origin: &Origin) -> bool {
    matches!(origin.kind, SourceKind::Request | SourceKind::Network)
}

fn hit_of(call: &Call) -> Option<Hit> {
    if !is_response(call) || !matches!(call.method_name(), "sendFile" | "sendfile" | "download") {
        return None;
    }
    let has_root = call
        .args
        .iter()
        .skip(1)
        .any(|a| a.value.field("root").is_some());
    if has_root {
        return None;
    }
    let arg = call.positional(0)?;
    let origin = tainted_where(&arg.value, SinkKind::Path, remote)?;
    Some(hit_on(call, arg.range.clone(), origin))
}

impl Detector for SendfileInjection {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        ctx.facts.calls.iter().filter_map(hit_of).collect()
    }

    fn message(&self, ctx: &Context<'_>, hit: &Hit) -> String {
        format!(
            "Request data chooses the file sent by `{}` (CWE-73): `../` in it sends any file the \
             server can read.{} Pass the file name with a `root` option \
             (`res.sendFile(name, {{ root: dir }})`), or reduce it with `path.basename`.",
            hit.subject,
            origin_sentence(ctx, hit)
        )
    }
}
