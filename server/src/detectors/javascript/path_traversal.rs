//! `javascript/path-traversal@v1.0`: untrusted data in file system paths.

use crate::analysis::{Call, Origin, SinkKind, SourceKind};
use crate::detectors::{Context, Detector, DetectorMeta, Hit};
use crate::finding::{Category, Severity};
use crate::lang::Language;

use super::support::{hit_on, origin_sentence, tainted_where};

/// The detector.
pub static PATH_TRAVERSAL: PathTraversal = PathTraversal;

/// Flags request data reaching the path arguments of `fs` functions.
pub struct PathTraversal;

static META: DetectorMeta = DetectorMeta {
    id: "javascript/path-traversal@v1.0",
    name: "Path traversal",
    language: Language::JavaScript,
    severity: Severity::High,
    cwes: &[22],
    category: Category::Security,
    express: true,
    docs: r#"## What it does
Flags web request data (Express, Koa, Fastify, Node `http`) and `postMessage` data that reaches a
path argument of a file system function — `fs.readFile`/`readFileSync`, `writeFile`,
`appendFile`, `createReadStream`/`createWriteStream`, `open`, `unlink`, `rm`, `readdir`, `mkdir`,
`stat`, `access`, `rename`/`copyFile` (both paths), ... of `fs`, `fs/promises`, `fs.promises`
and `fs-extra` — directly or through `path.join`/`path.resolve`, concatenation and local helpers.
The catalogue gives no CWE; Codeward uses CWE-22.

Not flagged: a file name reduced with `path.basename` (or `sanitize-filename`), a resolved path
checked with `startsWith(root)` before use, allow-listed or numeric values, constants.
Command-line arguments and environment variables are not sources here: a command-line tool's user
chooses its files legitimately. Express's `res.sendFile`/`res.download` are covered by
`javascript/sendfile-injection`. It does not catch paths passed to third-party libraries that
open files themselves.

## Why is this bad?
`../` segments or an absolute path in the data leave the intended directory: an attacker reads
source code, keys and `/etc/passwd`, or overwrites files the server later runs.

## Example
```javascript
app.get("/files", (req, res) => {
  fs.readFile(path.join(__dirname, "uploads", req.query.name), (err, data) => res.send(data));
});
```

## Use instead
```javascript
const ROOT = path.join(__dirname, "uploads");
app.get("/files", (req, res) => {
  const file = path.resolve(ROOT, req.query.name);
  if (!file.startsWith(ROOT + path.sep)) return res.sendStatus(403);
  fs.readFile(file, (err, data) => res.send(data));
});
```

## Fix safety
There is no automatic fix: whether subdirectories are allowed, and what the root is, is a design
decision.

## References
- [CWE-22: Path Traversal](https://cwe.mitre.org/data/definitions/22.html)
- [OWASP Path Traversal](https://owasp.org/www-community/attacks/Path_Traversal)
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

/// `fs` functions taking two paths.
const TWO_PATHS: &[&str] = &[
    "rename",
    "renameSync",
    "copyFile",
    "copyFileSync",
    "link",
    "linkSync",
    "symlink",
    "symlinkSync",
    "cp",
    "cpSync",
    "copy",
    "copySync",
    "move",
    "moveSync",
];

/// `fs` functions taking one path first.
const ONE_PATH: &[&str] = &[
    "readFile",
    "readFileSync",
    "writeFile",
    "writeFileSync",
    "appendFile",
    "appendFileSync",
    "createReadStream",
    "createWriteStream",
    "open",
    "openSync",
    "unlink",
    "unlinkSync",
    "rm",
    "rmSync",
    "rmdir",
    "rmdirSync",
    "readdir",
    "readdirSync",
    "mkdir",
    "mkdirSync",
    "stat",
    "statSync",
    "lstat",
    "lstatSync",
    "access",
    "accessSync",
    "exists",
    "existsSync",
    "truncate",
    "truncateSync",
    "chmod",
    "chmodSync",
    "chown",
    "chownSync",
    "readlink",
    "readlinkSync",
    "realpath",
    "realpathSync",
    "opendir",
    "opendirSync",
    "watch",
    "watchFile",
    "outputFile",
    "outputFileSync",
    "readJson",
    "readJsonSync",
    "writeJson",
    "writeJsonSync",
    "remove",
    "removeSync",
    "ensureDir",
    "ensureFile",
    "emptyDir",
];

/// Sources whose user is not entitled to choose files: remote clients and other pages.
fn remote(origin: &Origin) -> bool {
    matches!(origin.kind, SourceKind::Request | SourceKind::Network)
}

/// How many leading arguments of an `fs` call are paths.
fn path_args(call: &Call) -> usize {
    let Some(method) = FS_MODULES.iter().find_map(|m| call.name.strip_prefix(m)) else {
        return 0;
    };
    if TWO_PATHS.contains(&method) {
        2
    } else if ONE_PATH.contains(&method) {
        1
    } else {
        0
    }
}

fn hit_of(call: &Call) -> Option<Hit> {
    (0..path_args(call)).find_map(|i| {
        let arg = call.positional(i)?;
        let origin = tainted_where(&arg.value, SinkKind::Path, remote)?;
        Some(hit_on(call, arg.range.clone(), origin))
    })
}

impl Detector for PathTraversal {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        ctx.facts.calls.iter().filter_map(hit_of).collect()
    }

    fn message(&self, ctx: &Context<'_>, hit: &Hit) -> String {
        format!(
            "Untrusted data is used as a file path by `{}` (CWE-22): `../` or an absolute path in \
             it reaches files outside the intended directory.{} Reduce it to a file name with \
             `path.basename`, or resolve it and check that it stays under the root directory.",
            hit.subject,
            origin_sentence(ctx, hit)
        )
    }
}
