//! `javascript/loose-file-permissions@v1.0`: files and directories made world-writable.

use crate::analysis::{Arg, Call, Constant, Value};
use crate::detectors::{Context, Detector, DetectorMeta, Hit};
use crate::finding::{Applicability, Category, Edit, Fix, Severity};
use crate::lang::Language;

/// The detector.
pub static LOOSE_FILE_PERMISSIONS: LooseFilePermissions = LooseFilePermissions;

/// Flags world-writable modes given to `fs` functions and `process.umask(0)`.
pub struct LooseFilePermissions;

static META: DetectorMeta = DetectorMeta {
    id: "javascript/loose-file-permissions@v1.0",
    name: "Loose file permissions",
    language: Language::JavaScript,
    severity: Severity::High,
    cwes: &[732],
    category: Category::Security,
    express: true,
    docs: r#"## What it does
Flags constant file modes that let every user of the machine write: `fs.chmod`/`chmodSync`/
`fchmod`/`lchmod` (and their `fs/promises`/`fs-extra` forms) with a mode that has the
world-write bit (`0o777`, `0o666`, `'777'`, `0777`), and `process.umask(...)` values that do
not mask world-write (`process.umask(0)`). The catalogue gives no CWE; Codeward uses CWE-732.

Modes that are not constants, group-writable modes (`0o775`, a deliberate sharing choice), and
the `mode` given when creating files and directories (`writeFile`, `open`, `mkdir`) are not
flagged: the umask is applied to those, and `0o666`/`0o777` are their defaults. A world-writable
creation mode under a cleared umask is caught through the `umask` call.

## Why is this bad?
Any local user or compromised service can change a world-writable file: rewrite configuration,
plant code the application later runs, or replace data it trusts.

## Example
```javascript
fs.chmodSync("/var/app/config.json", 0o777);
```

## Use instead
```javascript
fs.chmodSync("/var/app/config.json", 0o644);
```

## Fix safety
The fix removes group and world write (`0o777` becomes `0o755`, `0o666` becomes `0o644`). It is
unsafe: other users or services that relied on writing the file lose access.

## References
- [CWE-732: Incorrect Permission Assignment for Critical Resource](https://cwe.mitre.org/data/definitions/732.html)
"#,
};

const FS_PREFIXES: &[&str] = &[
    "fs.",
    "fs.promises.",
    "fs/promises.",
    "fs-extra.",
    "graceful-fs.",
];

/// A constant mode (number, or octal digits in a string as `fs` accepts).
fn mode(value: &Value) -> Option<i64> {
    match value.constant.as_ref()? {
        Constant::Int(i) => Some(*i),
        Constant::Str(s) => i64::from_str_radix(s.trim_start_matches("0o"), 8).ok(),
        _ => None,
    }
}

/// The argument holding the mode of an `fs` call that sets permissions outright. Modes given when
/// creating files (`writeFile`, `open`, `mkdir`) are masked by the process umask — `0o666` and
/// `0o777` are their defaults — so they are not judged.
fn mode_arg<'c>(call: &'c Call, method: &str) -> Option<&'c Arg> {
    match method {
        "chmod" | "chmodSync" | "fchmod" | "fchmodSync" | "lchmod" | "lchmodSync" => {
            call.positional(1)
        }
        _ => None,
    }
}

fn hit_of(call: &Call) -> Option<Hit> {
    if matches!(call.name.as_str(), "process.umask") {
        let arg = call.positional(0)?;
        let mask = mode(&arg.value)?;
        return (mask & 0o002 == 0).then(|| {
            Hit::new(arg.range.clone(), format!("umask {mask:o}")).with_anchor(call.range.clone())
        });
    }
    let method = FS_PREFIXES.iter().find_map(|p| call.name.strip_prefix(p))?;
    let arg = mode_arg(call, method)?;
    let bits = mode(&arg.value)?;
    (bits & 0o002 != 0)
        .then(|| Hit::new(arg.range.clone(), format!("{bits:o}")).with_anchor(call.range.clone()))
}

impl Detector for LooseFilePermissions {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        ctx.facts.calls.iter().filter_map(hit_of).collect()
    }

    fn message(&self, _ctx: &Context<'_>, hit: &Hit) -> String {
        match hit.subject.strip_prefix("umask ") {
            Some(mask) => format!(
                "`process.umask(0o{mask})` lets every file the process creates be world-writable \
                 (CWE-732). Keep a umask that masks world-write, such as `0o022`."
            ),
            None => format!(
                "Mode `0o{}` makes the file world-writable (CWE-732): any local user can change \
                 it. Use `0o644` for files and `0o755` for directories, or tighter.",
                hit.subject
            ),
        }
    }

    fn fix(&self, ctx: &Context<'_>, hit: &Hit) -> Vec<Fix> {
        if hit.subject.starts_with("umask") {
            return Vec::new();
        }
        let Ok(bits) = i64::from_str_radix(&hit.subject, 8) else {
            return Vec::new();
        };
        let Some(node) = ctx.node_at(hit.range.clone()) else {
            return Vec::new();
        };
        let safe = bits & !0o022;
        let replacement = match node.kind() {
            "number" => format!("0o{safe:o}"),
            "string" => {
                let quote = ctx.node_text(node).chars().next().unwrap_or('\'');
                format!("{quote}{safe:o}{quote}")
            }
            _ => return Vec::new(),
        };
        vec![Fix::new(
            format!("Use mode 0o{safe:o}"),
            vec![Edit::replace(hit.range.clone(), replacement)],
            Applicability::Unsafe,
        )]
    }
}
