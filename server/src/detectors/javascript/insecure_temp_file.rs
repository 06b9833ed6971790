//! `javascript/insecure-temp-file@v1.0`: files at predictable paths in shared temp directories.

use crate::analysis::Call;
use crate::detectors::{Context, Detector, DetectorMeta, Hit};
use crate::finding::{Category, Severity};
use crate::lang::Language;

/// The detector.
pub static INSECURE_TEMP_FILE: InsecureTempFile = InsecureTempFile;

/// Flags writes to fixed names under `/tmp` or `os.tmpdir()`, and `tmp.tmpName`.
pub struct InsecureTempFile;

static META: DetectorMeta = DetectorMeta {
    id: "javascript/insecure-temp-file@v1.0",
    name: "Insecure temporary file or directory",
    language: Language::JavaScript,
    severity: Severity::Medium,
    cwes: &[377, 379],
    category: Category::Security,
    express: true,
    docs: r#"## What it does
Flags files and directories created at a predictable path in a shared temporary directory:
`fs.writeFile`/`writeFileSync`/`appendFile`/`open`/`createWriteStream`/`mkdir` (and their
`fs/promises`/`fs-extra` forms) on a constant path under `/tmp/` or `/var/tmp/`, or on a path
joined from `os.tmpdir()` and constant names; and `tmp.tmpName`/`tmpNameSync`, which return a
name without creating the file. The catalogue publishes no severity or CWE; Codeward uses Medium
and CWE-377 / CWE-379.

Not flagged: paths made unique at run time (anything not constant after the temp directory,
such as `crypto.randomUUID()` or `process.pid`), `fs.mkdtemp`, and `tmp.file`/`tmp.dir`, which
create the entry securely. Reads are not flagged.

## Why is this bad?
Every local user can write to `/tmp`. One who creates the file — or a symbolic link with that
name — first makes the program write through the link into a file of their choice, or read data
they planted.

## Example
```javascript
fs.writeFileSync(path.join(os.tmpdir(), "upload.json"), data);
```

## Use instead
```javascript
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "app-"));
fs.writeFileSync(path.join(dir, "upload.json"), data);
```

## Fix safety
There is no automatic fix: the directory created by `mkdtemp` has to be passed on and cleaned up.

## References
- [CWE-377: Insecure Temporary File](https://cwe.mitre.org/data/definitions/377.html)
- [CWE-379: Creation of Temporary File in Directory with Incorrect Permissions](https://cwe.mitre.org/data/definitions/379.html)
"#,
};

const FS_PREFIXES: &[&str] = &[
    "fs.",
    "fs.promises.",
    "fs/promises.",
    "fs-extra.",
    "graceful-fs.",
];

const WRITES: &[&str] = &[
    "writeFile",
    "writeFileSync",
    "appendFile",
    "appendFileSync",
    "open",
    "openSync",
    "createWriteStream",
    "mkdir",
    "mkdirSync",
    "outputFile",
    "outputFileSync",
    "writeJson",
    "writeJsonSync",
    "ensureDir",
    "ensureDirSync",
];

fn shared_temp(path: &str) -> bool {
    path.starts_with("/tmp/") || path.starts_with("/var/tmp/")
}

/// Whether the path expression is `path.join(os.tmpdir(), 'const', ...)` with constant names.
fn joined_temp_path(ctx: &Context<'_>, call: &Call, range: &std::ops::Range<usize>) -> bool {
    ctx.facts.calls.iter().any(|join| {
        join.range == *range
            && matches!(join.name.as_str(), "path.join" | "path.resolve")
            && join.args.len() >= 2
            && join.args.first().is_some_and(|a| {
                a.value
                    .type_name
                    .as_deref()
                    .is_some_and(|t| t == "returned:os.tmpdir")
            })
            && join
                .args
                .iter()
                .skip(1)
                .all(|a| a.value.const_str().is_some())
            && join.range.end <= call.range.end
    })
}

fn hit_of(ctx: &Context<'_>, call: &Call) -> Option<Hit> {
    if matches!(call.name.as_str(), "tmp.tmpName" | "tmp.tmpNameSync") {
        return Some(
            Hit::new(call.callee_range.clone(), "tmpName").with_anchor(call.range.clone()),
        );
    }
    let method = FS_PREFIXES.iter().find_map(|p| call.name.strip_prefix(p))?;
    if !WRITES.contains(&method) {
        return None;
    }
    let arg = call.positional(0)?;
    // A constant path; a built path (`'/tmp/' + id`) is unique when its variable part is.
    let fixed_name =
        arg.value.const_str().is_some_and(shared_temp) || joined_temp_path(ctx, call, &arg.range);
    fixed_name
        .then(|| Hit::new(arg.range.clone(), call.name.clone()).with_anchor(call.range.clone()))
}

impl Detector for InsecureTempFile {
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
        if hit.subject == "tmpName" {
            return "`tmp.tmpName` returns a name without creating the file (CWE-377): another \
                    local user can create it, or a symbolic link with its name, first. Use \
                    `tmp.file` or `fs.mkdtemp`."
                .to_string();
        }
        format!(
            "`{}` writes to a predictable path in a shared temporary directory (CWE-377): another \
             local user can create the file or a symbolic link there first. Create a private \
             directory with `fs.mkdtemp` and write inside it.",
            hit.subject
        )
    }
}
