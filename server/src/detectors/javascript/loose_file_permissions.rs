//! `javascript/loose-file-permissions@v1.0`: files and directories made world-writable.

use crate::analysis::{Arg, Call, Constant, Value};
use crate::detectors::{Context, Detector, DetectorMeta, Hit};
use crate::finding::{Applicability, Category, Edit, Fix, Severity};
use crate::lang::Language;

use super::support::field_range;

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
world-write bit (`0o777`, `0o666`, `'777'`, `0777`), the `mode` given to `writeFile`,
`appendFile`, `mkdir`, `open` and `createWriteStream`, and `process.umask(0)`/`umask` values that
do not mask world-write. The catalogue gives no CWE; Codeward uses CWE-732.

Modes that are not constants, and group-writable modes (`0o775`, a deliberate sharing choice),
are not flagged.

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

/// The argument or option holding the mode of an `fs` call.
fn mode_arg<'c>(call: &'c Call, method: &str) -> Option<(&'c Arg, Option<&'static str>)> {
    match method {
        "chmod" | "chmodSync" | "fchmod" | "fchmodSync" | "lchmod" | "lchmodSync" => {
            Some((call.positional(1)?, None))
        }
        "open" | "openSync" => Some((call.positional(2)?, None)),
        "mkdir" | "mkdirSync" | "mkdirp" | "ensureDir" | "ensureDirSync" => {
            let arg = call.positional(1)?;
            Some((arg, (!arg.value.fields.is_empty()).then_some("mode")))
        }
        "createWriteStream" => Some((call.positional(1)?, Some("mode"))),
        "writeFile" | "writeFileSync" | "appendFile" | "appendFileSync" | "outputFile"
        | "outputFileSync" => Some((call.positional(2)?, Some("mode"))),
        _ => None,
    }
}

fn hit_of(ctx: &Context<'_>, call: &Call) -> Option<Hit> {
    if matches!(call.name.as_str(), "process.umask") {
        let arg = call.positional(0)?;
        let mask = mode(&arg.value)?;
        return (mask & 0o002 == 0).then(|| {
            Hit::new(arg.range.clone(), format!("umask {mask:o}")).with_anchor(call.range.clone())
        });
    }
    let method = FS_PREFIXES.iter().find_map(|p| call.name.strip_prefix(p))?;
    let (arg, field) = mode_arg(call, method)?;
    let (value, range) = match field {
        Some(key) => (arg.value.field(key)?, field_range(ctx, arg, key)),
        None => (&arg.value, arg.range.clone()),
    };
    let bits = mode(value)?;
    (bits & 0o002 != 0)
        .then(|| Hit::new(range, format!("{bits:o}")).with_anchor(call.range.clone()))
}

impl Detector for LooseFilePermissions {
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
