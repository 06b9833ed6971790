//! `javascript/file-injection@v1.0`: untrusted text written into a file's content.

use crate::analysis::{Arg, Call, CallKind, Origin, SinkKind, SourceKind};
use crate::detectors::{Context, Detector, DetectorMeta, Hit};
use crate::finding::{Category, Severity};
use crate::lang::Language;

use super::support::{hit_on, is_browser_origin, origin_sentence, tainted_where};

/// The detector.
pub static FILE_INJECTION: FileInjection = FileInjection;

/// Flags request data written, unsanitised, into the content of a file.
pub struct FileInjection;

static META: DetectorMeta = DetectorMeta {
    id: "javascript/file-injection@v1.0",
    name: "File injection",
    language: Language::JavaScript,
    severity: Severity::High,
    cwes: &[93, 1236],
    category: Category::Security,
    express: true,
    docs: r#"## What it does
Flags web request data (Express, Koa, Fastify, Node `http`, `postMessage`) written into the
*content* of a file: the data argument of `fs.writeFile`/`writeFileSync`,
`appendFile`/`appendFileSync`, `write`/`writeSync` and fs-extra's `outputFile` (of `fs`,
`fs/promises`, `fs.promises`, `fs-extra`, `graceful-fs`), and `write`/`end` on a stream from
`fs.createWriteStream` or `writeFile`/`appendFile`/`write` on a handle from `fs.promises.open`,
directly or through concatenation, template literals, arrays and local helpers.
The catalogue gives no CWE for JavaScript; Codeward uses CWE-93 (CRLF injection) and CWE-1236
(CSV formula injection), as for `python/file-injection`.

Not flagged: text with its line breaks removed (`.replace(/[\r\n]/g, '')`), CSV formula prefixes
neutralised (`.replace(/^[=+\-@]/, "'$&")`), values serialised with `JSON.stringify` or
`encodeURIComponent`, numbers, allow-listed values, constants. Uploads — `req.file`/`req.files`
(multer, express-fileupload) and a whole raw `req.body` — are the file by design and are left to
upload checks. The file's *path* is `javascript/path-traversal`'s business, not this detector's.
Command-line arguments and environment variables are not sources: a tool's user writes their own
files. `fs.writeJson`/`outputJson` serialise and are not sinks.

## Why is this bad?
Files written by a server are read back by something: a line-oriented log or data file, a CSV
export opened in a spreadsheet, a configuration or script file. A line break in the data adds
forged records or settings; a cell starting with `=`, `+`, `-` or `@` runs a formula on the
machine of whoever opens the export; text written into a `.js`, `.html` or template file becomes
code.

## Example
```javascript
app.post("/feedback", (req, res) => {
  fs.appendFileSync("feedback.csv", `${req.body.name},${req.body.comment}\n`);
  res.sendStatus(204);
});
```

## Use instead
```javascript
const cell = (s) => String(s).replace(/[\r\n]/g, " ").replace(/^[=+\-@]/, "'$&");
app.post("/feedback", (req, res) => {
  fs.appendFileSync("feedback.csv", `${cell(req.body.name)},${cell(req.body.comment)}\n`);
  res.sendStatus(204);
});
```

## Fix safety
There is no automatic fix: the right encoding (CSV quoting, JSON, stripping line breaks)
depends on the file's format.

## References
- [CWE-93: Improper Neutralization of CRLF Sequences](https://cwe.mitre.org/data/definitions/93.html)
- [CWE-1236: Improper Neutralization of Formula Elements in a CSV File](https://cwe.mitre.org/data/definitions/1236.html)
- [OWASP CSV Injection](https://owasp.org/www-community/attacks/CSV_Injection)
"#,
};

/// Module prefixes of file system APIs.
const FS_MODULES: &[&str] = &[
    "fs.",
    "fs.promises.",
    "fs/promises.",
    "fs-extra.",
    "graceful-fs.",
];

/// `fs` functions whose second argument is the content written.
const WRITE_FUNCTIONS: &[&str] = &[
    "writeFile",
    "writeFileSync",
    "appendFile",
    "appendFileSync",
    "write",
    "writeSync",
    "outputFile",
    "outputFileSync",
];

/// Methods writing their first argument, by the `fs` function that made the receiver.
const WRITER_METHODS: &[(&str, &[&str])] = &[
    ("createWriteStream", &["write", "end"]),
    ("open", &["write", "writeFile", "appendFile"]),
];

/// Sources whose sender is not the owner of the server's files: remote clients and other pages.
fn remote(origin: &Origin) -> bool {
    matches!(origin.kind, SourceKind::Request | SourceKind::Network) && !is_browser_origin(origin)
}

/// The `fs` function name after its module prefix (`writeFile` for `fs.promises.writeFile`).
fn fs_function(qualified: &str) -> Option<&str> {
    FS_MODULES
        .iter()
        .filter_map(|m| qualified.strip_prefix(m))
        .find(|rest| !rest.contains('.'))
}

/// The argument holding the written content, if `call` writes to a file.
fn content_arg(call: &Call) -> Option<&Arg> {
    if call.kind == CallKind::Function || call.kind == CallKind::Method {
        if let Some(function) = fs_function(&call.name) {
            if WRITE_FUNCTIONS.contains(&function) {
                return call.positional(1);
            }
        }
    }
    if call.kind != CallKind::Method {
        return None;
    }
    let made_by = call
        .receiver
        .as_ref()?
        .type_name
        .as_deref()?
        .strip_prefix("returned:")
        .and_then(fs_function)?;
    let method = call.method_name();
    WRITER_METHODS
        .iter()
        .any(|(maker, methods)| *maker == made_by && methods.contains(&method))
        .then(|| call.positional(0))
        .flatten()
}

/// Uploaded files (`req.file.buffer`, `req.files.doc.data`) and a whole raw body are the content
/// by design.
fn is_upload(origin: &Origin, arg: &Arg) -> bool {
    let mut segments = origin.label.split(['.', '[', '(']);
    let upload = segments.any(|s| matches!(s, "file" | "files"));
    let whole_body = origin.range == arg.range
        && (origin.label.ends_with(".body") || origin.label.ends_with(".rawBody"));
    upload || whole_body
}

fn hit_of(call: &Call) -> Option<Hit> {
    let arg = content_arg(call)?;
    let origin = tainted_where(&arg.value, SinkKind::FileContent, |o| {
        remote(o) && !is_upload(o, arg)
    })?;
    Some(hit_on(call, arg.range.clone(), origin))
}

impl Detector for FileInjection {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        ctx.facts.calls.iter().filter_map(hit_of).collect()
    }

    fn message(&self, ctx: &Context<'_>, hit: &Hit) -> String {
        format!(
            "Untrusted data is written into a file by `{}` (CWE-93, CWE-1236): line breaks in it \
             forge records, and a leading `=`, `+`, `-` or `@` runs as a formula when the file \
             is opened as a spreadsheet.{} Remove line breaks and neutralise formula prefixes, \
             or serialise it (`JSON.stringify`) before writing.",
            hit.subject,
            origin_sentence(ctx, hit)
        )
    }
}
