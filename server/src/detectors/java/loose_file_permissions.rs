//! `java/loose-file-permissions`: files made readable, writable or executable by every user.

use super::common::{calls_within, enclosing_body};
use super::sinks::{class_is, split_call};
use crate::analysis::{Call, Constant};
use crate::detectors::{Context, Detector, DetectorMeta, Hit};
use crate::finding::{Applicability, Category, Edit, Fix, Severity};
use crate::lang::Language;

/// Flags POSIX permission strings and `File.set*(…, false)` calls that grant access to others.
pub struct LooseFilePermissions;

/// The detector instance.
pub static LOOSE_FILE_PERMISSIONS: LooseFilePermissions = LooseFilePermissions;

static META: DetectorMeta = DetectorMeta {
    id: "java/loose-file-permissions@v1.0",
    name: "Loose file permissions",
    language: Language::Java,
    severity: Severity::High,
    cwes: &[732],
    category: Category::Security,
    express: true,
    docs: r#"## What it does
Flags permissions that let every user of the machine at a file:
- `PosixFilePermissions.fromString("rwxrwxrwx")` (any permission for "others"), also through
  constants;
- `PosixFilePermission.OTHERS_READ`, `OTHERS_WRITE` and `OTHERS_EXECUTE` in `EnumSet.of`,
  `Set.of` or added to a permission set, in a method that applies permissions
  (`setPosixFilePermissions`, `asFileAttribute`, `setAttribute`) — a set describing a file's
  current mode is not flagged;
- `File.setReadable(true, false)`, `setWritable(true, false)` and `setExecutable(true, false)`
  (the second argument `ownerOnly = false` grants everybody).
The catalogue publishes no severity; Codeward uses High with CWE-732.

It does not see permissions passed on the command line (`chmod` through `ProcessBuilder`) or a
process-wide umask.

## Why is this bad?
Other local users and compromised services can read secrets in the file, or change it; a
world-writable script or configuration file is a privilege escalation waiting to happen.

## Example
```java
Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-rw-rw-"));
file.setWritable(true, false);
```

## Use instead
```java
Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
file.setWritable(true, true);
```

## Fix safety
The fix removes the "others" permissions from a literal permission string and turns
`ownerOnly = false` into `true`. It is unsafe: other users or services that legitimately read the
file lose access.

## References
- [CWE-732: Incorrect Permission Assignment for Critical Resource](https://cwe.mitre.org/data/definitions/732.html)
"#,
};

const OTHERS: &[&str] = &["OTHERS_READ", "OTHERS_WRITE", "OTHERS_EXECUTE"];

/// Whether a `rwxrwxrwx` string grants anything to others.
fn others_allowed(permissions: &str) -> bool {
    permissions.len() == 9 && permissions.get(6..).is_some_and(|o| o != "---")
}

/// Whether the method around a call applies permissions to a file (so a set holding `OTHERS_*`
/// grants them, rather than describing a file's current mode).
fn applies_permissions(ctx: &Context<'_>, call: &Call) -> bool {
    let Some(body) = ctx.node_at(call.range.clone()).and_then(enclosing_body) else {
        return false;
    };
    calls_within(ctx, body.byte_range()).any(|c| {
        matches!(
            c.method_name(),
            "setPosixFilePermissions" | "asFileAttribute" | "setAttribute"
        )
    })
}

/// The hit for one call, if it loosens permissions.
fn loose(ctx: &Context<'_>, call: &Call) -> Option<Hit> {
    let (class, method) = split_call(call);
    if method == "fromString" && class_is(class, "java.nio.file.attribute.PosixFilePermissions") {
        let arg = call.positional(0)?;
        let permissions = arg.value.const_str()?;
        return others_allowed(permissions).then(|| Hit::new(arg.range.clone(), "string"));
    }
    if matches!(method, "setReadable" | "setWritable" | "setExecutable")
        && class_is(class, "java.io.File")
    {
        let granted = call.positional(0)?.value.constant == Some(Constant::Bool(true));
        let owner_only = call.positional(1)?;
        let everybody = owner_only.value.constant == Some(Constant::Bool(false));
        return (granted && everybody).then(|| Hit::new(owner_only.range.clone(), "owner-only"));
    }
    if matches!(method, "of" | "add") && applies_permissions(ctx, call) {
        let arg = call
            .args
            .iter()
            .find(|a| a.value.const_str().is_some_and(|c| OTHERS.contains(&c)))?;
        return Some(Hit::new(arg.range.clone(), "constant"));
    }
    None
}

impl Detector for LooseFilePermissions {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        ctx.facts
            .calls
            .iter()
            .filter_map(|call| loose(ctx, call))
            .collect()
    }

    fn message(&self, _ctx: &Context<'_>, hit: &Hit) -> String {
        let what = match hit.subject.as_str() {
            "owner-only" => "`ownerOnly = false` grants the permission to every user",
            "constant" => "an `OTHERS_*` permission grants access to every user",
            _ => "these permissions let every user of the machine access the file",
        };
        format!(
            "Loose file permissions (CWE-732): {what}, so other local users or services can read \
             or change it. Grant access to the owner (and group, if needed) only."
        )
    }

    fn fix(&self, ctx: &Context<'_>, hit: &Hit) -> Vec<Fix> {
        let literal = ctx.text(hit.range.clone());
        match hit.subject.as_str() {
            "owner-only" if literal == "false" => vec![Fix::new(
                "Restrict to the owner",
                vec![Edit::replace(hit.range.clone(), "true")],
                Applicability::Unsafe,
            )],
            "string" if literal.len() == 11 && literal.starts_with('"') => {
                let start = hit.range.start + 7;
                vec![Fix::new(
                    "Remove the permissions of others",
                    vec![Edit::replace(start..start + 3, "---")],
                    Applicability::Unsafe,
                )]
            }
            _ => Vec::new(),
        }
    }
}
