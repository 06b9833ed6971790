//! `python/insecure-temp-file@v1.0`: temporary file names that another user can claim first.

use crate::analysis::Call;
use crate::detectors::{Context, Detector, DetectorMeta, Hit, Scope};
use crate::finding::{Applicability, Category, Edit, Fix, Severity};
use crate::lang::Language;

use super::common;

/// Flags `tempfile.mktemp`, `os.tempnam` / `os.tmpnam`, and files created at fixed paths in
/// shared temporary directories.
pub struct InsecureTempFile;

/// The detector's metadata and documentation.
pub static META: DetectorMeta = DetectorMeta {
    id: "python/insecure-temp-file@v1.0",
    name: "Insecure temporary file or directory",
    language: Language::Python,
    severity: Severity::Medium,
    cwes: &[377],
    category: Category::Security,
    express: true,
    docs: r#"## What it does
Flags temporary file names created without creating the file: `tempfile.mktemp` (through any
alias), `os.tempnam` and `os.tmpnam`; and files opened or created at a constant path in a
shared temporary directory (`/tmp/...`, `/var/tmp/...`, `/dev/shm/...`) with `open`,
`io.open`, `os.open`, `os.mkdir`, `os.makedirs`, `shutil` copies and `pathlib.Path(...)`.
`tempfile.mkstemp`, `mkdtemp`, `NamedTemporaryFile`, `TemporaryFile` and `TemporaryDirectory`
are the safe forms and are not flagged; nor is a constant path under the application's own
directories. It does not follow paths built from `tempfile.gettempdir()` plus a fixed name, nor
paths assembled at run time from a `/tmp` prefix held in configuration.

## Why is this bad?
Between choosing a name and creating the file, or whenever the name is predictable, another
local user can create the file or a symbolic link first: the program then writes into a file the
attacker controls or overwrites a file the link points to (CWE-377).

## Example
```python
import tempfile

path = tempfile.mktemp(suffix=".csv")
with open(path, "w") as f:
    f.write(report)
```

## Use instead
```python
import tempfile

with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False) as f:
    f.write(report)
    path = f.name
```

## Fix safety
For `tempfile.mktemp(...)` with keyword arguments only, the fix calls `tempfile.NamedTemporaryFile(delete=False, ...).name`,
which creates the file with owner-only permissions and returns its name. It is unsafe: the file
now exists, so code that checks that it does not, or creates it with `os.mkdir`, behaves
differently. Fixed paths in `/tmp` get no automatic fix: use `tempfile.mkstemp` or
`tempfile.mkdtemp`.

## References
- [CWE-377: Insecure Temporary File](https://cwe.mitre.org/data/definitions/377.html)
- [Python `tempfile.mktemp`](https://docs.python.org/3/library/tempfile.html#tempfile.mktemp)
"#,
};

const SHARED_DIRECTORIES: [&str; 3] = ["/tmp/", "/var/tmp/", "/dev/shm/"];

/// The functions that create a file or directory at their first argument.
fn creates_at(call: &Call) -> bool {
    matches!(
        call.name.as_str(),
        "open"
            | "io.open"
            | "builtins.open"
            | "codecs.open"
            | "os.open"
            | "os.mkdir"
            | "os.makedirs"
            | "shutil.copy"
            | "shutil.copyfile"
            | "shutil.copy2"
            | "pathlib.Path"
    )
}

/// The kind of problem a call has, if any.
fn problem(call: &Call) -> Option<bool> {
    match call.name.as_str() {
        "tempfile.mktemp" | "os.tempnam" | "os.tmpnam" => Some(true),
        _ if creates_at(call) => {
            let index = usize::from(call.name.starts_with("shutil."));
            let path = call.positional(index)?.value.const_str()?;
            SHARED_DIRECTORIES
                .iter()
                .any(|d| path.starts_with(d) && path.len() > d.len())
                .then_some(false)
        }
        _ => None,
    }
}

impl Detector for InsecureTempFile {
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
                let name_only = problem(call)?;
                let range = if name_only {
                    call.callee_range.clone()
                } else {
                    let index = usize::from(call.name.starts_with("shutil."));
                    call.positional(index)?.range.clone()
                };
                Some(Hit::new(range, call.name.clone()).with_anchor(call.range.clone()))
            })
            .collect()
    }

    fn message(&self, _ctx: &Context<'_>, hit: &Hit) -> String {
        if matches!(
            hit.subject.as_str(),
            "tempfile.mktemp" | "os.tempnam" | "os.tmpnam"
        ) {
            return format!(
                "`{}` returns a name without creating the file, so another local user can create \
                 it or a symlink first and take over what this program writes ({}). Use \
                 `tempfile.NamedTemporaryFile`, `mkstemp` or `mkdtemp`.",
                hit.subject,
                META.cwe_list()
            );
        }
        format!(
            "`{}` uses a fixed path in a shared temporary directory, which another local user can \
             create or link first ({}). Create the file with `tempfile.mkstemp` or \
             `NamedTemporaryFile`, or a directory with `tempfile.mkdtemp`.",
            hit.subject,
            META.cwe_list()
        )
    }

    fn fix(&self, ctx: &Context<'_>, hit: &Hit) -> Vec<Fix> {
        if hit.subject != "tempfile.mktemp" {
            return Vec::new();
        }
        let Some(call) = ctx.facts.call_at(&hit.anchor) else {
            return Vec::new();
        };
        // `mktemp(suffix, prefix, dir)` and `NamedTemporaryFile(mode, ...)` differ by position.
        if call.args.iter().any(|a| a.keyword.is_none()) {
            return Vec::new();
        }
        let Some(attr) = common::callee_attribute(ctx, call) else {
            return Vec::new();
        };
        let Some(keyword) = common::insert_keyword(ctx, call, "delete=False") else {
            return Vec::new();
        };
        vec![Fix::new(
            "Create the file with tempfile.NamedTemporaryFile(delete=False)",
            vec![
                Edit::replace(attr, "NamedTemporaryFile"),
                keyword,
                Edit::insert(call.range.end, ".name"),
            ],
            Applicability::Unsafe,
        )]
    }
}
