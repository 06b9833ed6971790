//! `python/zip-bomb-attack@v1.0`: untrusted archives extracted without checking their size.

use crate::analysis::{Call, CallKind, SinkKind, SourceKind};
use crate::detectors::{Context, Detector, DetectorMeta, Hit, Scope};
use crate::finding::{Category, Severity};
use crate::lang::Language;

use super::{common, taint_sink};

/// Flags `extractall` / `extract` / `read` on zip and tar archives built from untrusted data, and
/// `shutil.unpack_archive` of untrusted files.
pub struct ZipBombAttack;

/// The detector's metadata and documentation.
pub static META: DetectorMeta = DetectorMeta {
    id: "python/zip-bomb-attack@v1.0",
    name: "Zip bomb attack",
    language: Language::Python,
    severity: Severity::High,
    cwes: &[409],
    category: Category::Security,
    express: true,
    docs: r#"## What it does
Flags archives that come from web requests or the network and are decompressed without looking
at their contents first: `extractall`, `extract` and `read` on a `zipfile.ZipFile` or
`tarfile` archive opened from untrusted data (an uploaded file, request body, socket read, or a
path built from them), and `shutil.unpack_archive` of such a file. An archive whose members are
inspected in the same function before extraction (`infolist()`, `getmembers()`, `getinfo()`,
`namelist()`, where sizes and counts are checked) is not flagged. Command-line arguments,
environment variables and standard input are not reported. It does not check what the
inspection actually verifies, nor `gzip` / `bz2` / `lzma` streams read without a size limit.

## Why is this bad?
A few kilobytes of compressed data can expand to gigabytes or millions of files: extracting an
attacker's archive fills the disk or memory and takes the service down (CWE-409).

## Example
```python
import zipfile
from flask import request

with zipfile.ZipFile(request.files["archive"]) as archive:
    archive.extractall("/srv/uploads")
```

## Use instead
```python
import zipfile
from flask import abort, request

MAX_TOTAL = 100 * 1024 * 1024

with zipfile.ZipFile(request.files["archive"]) as archive:
    members = archive.infolist()
    if len(members) > 1000 or sum(m.file_size for m in members) > MAX_TOTAL:
        abort(413)
    archive.extractall("/srv/uploads")
```

## Fix safety
There is no automatic fix: the limits on size and member count depend on the application.

## References
- [CWE-409: Improper Handling of Highly Compressed Data](https://cwe.mitre.org/data/definitions/409.html)
- [Python `zipfile` decompression pitfalls](https://docs.python.org/3/library/zipfile.html#decompression-pitfalls)
"#,
};

/// Sources not reported: the local user unpacking their own archives.
const IGNORED: [SourceKind; 3] = [
    SourceKind::CommandLine,
    SourceKind::Environment,
    SourceKind::Stdin,
];

/// Whether a call decompresses an archive object's members.
fn is_extraction(call: &Call) -> bool {
    call.kind == CallKind::Method
        && matches!(call.method_name(), "extractall" | "extract" | "read")
        && matches!(
            crate::analysis::split_last_dot(&call.name).map(|(p, _)| p),
            Some("zipfile.ZipFile" | "tarfile.TarFile" | "tarfile.open")
        )
}

/// The text of a method call's receiver (`archive` in `archive.extractall()`).
fn receiver_text<'a>(ctx: &Context<'a>, call: &Call) -> Option<&'a str> {
    let callee = ctx.node_at(call.callee_range.clone())?;
    Some(ctx.node_text(callee.child_by_field_name("object")?))
}

/// The function (or module) containing a call.
fn scope_start(ctx: &Context<'_>, call: &Call) -> Option<usize> {
    let mut node = ctx.node_at(call.range.clone())?;
    while !matches!(node.kind(), "function_definition" | "module") {
        node = node.parent()?;
    }
    Some(node.start_byte())
}

/// Whether the archive's members are listed in the same function before this call.
fn inspected(ctx: &Context<'_>, call: &Call) -> bool {
    let Some(receiver) = receiver_text(ctx, call) else {
        return false;
    };
    let scope = scope_start(ctx, call);
    ctx.facts.calls.iter().any(|c| {
        c.range.start < call.range.start
            && matches!(
                c.method_name(),
                "infolist" | "getmembers" | "getinfo" | "namelist" | "getnames"
            )
            && receiver_text(ctx, c) == Some(receiver)
            && scope_start(ctx, c) == scope
    })
}

impl Detector for ZipBombAttack {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn scope(&self) -> Scope {
        Scope::Definition
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        let mut hits = taint_sink::hits(ctx, SinkKind::Deserialization, &IGNORED, |_, call| {
            if call.name == "shutil.unpack_archive" {
                taint_sink::one(call, 0, "filename")
            } else {
                Vec::new()
            }
        });
        for call in ctx.facts.calls.iter().filter(|c| is_extraction(c)) {
            let Some(receiver) = call.receiver.as_ref() else {
                continue;
            };
            let Some(origin) =
                common::dangerous_origin(&receiver.taint, SinkKind::Deserialization, &IGNORED)
            else {
                continue;
            };
            if inspected(ctx, call) {
                continue;
            }
            hits.push(
                Hit::new(call.callee_range.clone(), call.name.clone())
                    .with_anchor(call.range.clone())
                    .with_origin(Some(origin)),
            );
        }
        hits
    }

    fn message(&self, ctx: &Context<'_>, hit: &Hit) -> String {
        format!(
            "`{}` decompresses an archive from {} without checking its size or member count, so \
             a small crafted archive can fill the disk or memory ({}). Check the total \
             uncompressed size and the number of members before extracting.",
            hit.subject,
            taint_sink::source(ctx, hit),
            META.cwe_list()
        )
    }
}
