//! `python/path-traversal@v1.0`: untrusted data choosing a file-system path.

use crate::analysis::{Arg, Call, CallKind, SinkKind, SourceKind, Value};
use crate::detectors::{Context, Detector, DetectorMeta, Hit, Scope};
use crate::finding::{Category, Severity};
use crate::lang::Language;

use super::{common, taint_sink};

/// Flags untrusted web and network data reaching file-system operations.
pub struct PathTraversal;

/// The detector's metadata and documentation.
pub static META: DetectorMeta = DetectorMeta {
    id: "python/path-traversal@v1.0",
    name: "Path traversal",
    language: Language::Python,
    severity: Severity::High,
    cwes: &[22],
    category: Category::Security,
    express: true,
    docs: r#"## What it does
Flags web request data and network reads that choose the path of a file-system operation:
`open`, `io.open`, `os.open`, `codecs.open`, `os.remove` / `unlink` / `rmdir` / `mkdir` /
`makedirs` / `rename` / `replace` / `listdir` / `scandir` / `chmod`, `shutil` copies, moves and
`rmtree`, the `open` / `read_*` / `write_*` / `unlink` methods of `pathlib` paths, and
Flask / Starlette file responses (`send_file`, `FileResponse`). Paths reduced to their last
component (`os.path.basename`, `werkzeug.utils.secure_filename`), converted to numbers, or
checked against an allow-list are not flagged. Command-line arguments, environment variables
and standard input are not reported: a tool that opens the file its user names is working as
intended. It does not track paths through files, databases or other modules, and it treats a
`startswith` check after normalisation as no guard (write it as an allow-list or use
`secure_filename`).

## Why is this bad?
`../` sequences and absolute paths in the data escape the intended directory, so an attacker can
read configuration and keys, overwrite code, or delete files the process can reach (CWE-22).

## Example
```python
from flask import request

name = request.args["name"]
with open("/srv/uploads/" + name) as f:
    data = f.read()
```

## Use instead
```python
import os
from flask import request

name = os.path.basename(request.args["name"])
with open(os.path.join("/srv/uploads", name)) as f:
    data = f.read()
```

## Fix safety
There is no automatic fix: whether subdirectories are allowed, and which base directory applies,
depends on the application. Use `werkzeug.utils.secure_filename`, `os.path.basename`, or resolve
the path and check it with `Path.is_relative_to(base)`.

## References
- [CWE-22: Path Traversal](https://cwe.mitre.org/data/definitions/22.html)
- [OWASP: Path traversal](https://owasp.org/www-community/attacks/Path_Traversal)
"#,
};

/// Sources a path sink does not report: the local user chooses files by design.
const IGNORED: [SourceKind; 3] = [
    SourceKind::CommandLine,
    SourceKind::Environment,
    SourceKind::Stdin,
];

const OS_PATH_FUNCTIONS: [&str; 17] = [
    "open",
    "remove",
    "unlink",
    "rmdir",
    "mkdir",
    "makedirs",
    "rename",
    "renames",
    "replace",
    "listdir",
    "scandir",
    "chmod",
    "chown",
    "removedirs",
    "truncate",
    "walk",
    "link",
];

const SHUTIL_FUNCTIONS: [&str; 8] = [
    "copy",
    "copy2",
    "copyfile",
    "copytree",
    "move",
    "rmtree",
    "copyfileobj",
    "make_archive",
];

const PATH_METHODS: [&str; 12] = [
    "open",
    "read_text",
    "read_bytes",
    "write_text",
    "write_bytes",
    "unlink",
    "rmdir",
    "mkdir",
    "touch",
    "rename",
    "replace",
    "iterdir",
];

/// The receiver of a `pathlib` method that opens, writes or deletes the file it names.
fn path_receiver(call: &Call) -> Option<&Value> {
    if call.kind != CallKind::Method {
        return None;
    }
    let receiver = call.receiver.as_ref()?;
    let method = call.method_name();
    let is_path = receiver
        .type_name
        .as_deref()
        .is_some_and(|t| t.starts_with("pathlib."));
    let pathlib_only = matches!(
        method,
        "read_text" | "read_bytes" | "write_text" | "write_bytes" | "iterdir"
    );
    (PATH_METHODS.contains(&method) && (is_path || pathlib_only)).then_some(receiver)
}

/// The path arguments of a file-system sink.
fn path_args<'c>(_ctx: &Context<'_>, call: &'c Call) -> Vec<&'c Arg> {
    let name = call.name.as_str();
    let Some((module, function)) = crate::analysis::split_last_dot(name) else {
        return match name {
            "open" | "file" | "execfile" => taint_sink::one(call, 0, "file"),
            _ => Vec::new(),
        };
    };
    match (module, function) {
        ("io" | "codecs" | "builtins" | "aiofiles", "open") => taint_sink::one(call, 0, "file"),
        ("os", f) if OS_PATH_FUNCTIONS.contains(&f) => {
            let mut args = taint_sink::one(call, 0, "path");
            if matches!(f, "rename" | "renames" | "replace" | "link") {
                args.extend(call.arg(1, "dst"));
            }
            args
        }
        ("shutil", f) if SHUTIL_FUNCTIONS.contains(&f) && f != "copyfileobj" => {
            let mut args = taint_sink::one(call, 0, "src");
            args.extend(call.arg(1, "dst"));
            args
        }
        ("flask" | "flask.helpers", "send_file") => taint_sink::one(call, 0, "path_or_file"),
        ("starlette.responses" | "fastapi.responses", "FileResponse") => {
            taint_sink::one(call, 0, "path")
        }
        ("django.http", "FileResponse") => Vec::new(),
        _ => Vec::new(),
    }
}

impl Detector for PathTraversal {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn scope(&self) -> Scope {
        Scope::Definition
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        let mut hits = taint_sink::hits(ctx, SinkKind::Path, &IGNORED, path_args);
        for call in &ctx.facts.calls {
            let Some(receiver) = path_receiver(call) else {
                continue;
            };
            if let Some(origin) =
                common::dangerous_origin(&receiver.taint, SinkKind::Path, &IGNORED)
            {
                hits.push(
                    Hit::new(call.callee_range.clone(), call.name.clone())
                        .with_anchor(call.range.clone())
                        .with_origin(Some(origin)),
                );
            }
        }
        hits
    }

    fn message(&self, ctx: &Context<'_>, hit: &Hit) -> String {
        format!(
            "`{}` uses a file path built from {}; `../` or an absolute path in it reaches files \
             outside the intended directory ({}). Reduce it to a file name with \
             `werkzeug.utils.secure_filename` or `os.path.basename`, or resolve it and check it \
             stays under the base directory.",
            hit.subject,
            taint_sink::source(ctx, hit),
            META.cwe_list()
        )
    }
}
