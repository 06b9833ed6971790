//! `python/loose-file-permissions@v1.0`: files and directories made writable by every user.

use tree_sitter::Node;

use crate::analysis::{Arg, Call, CallKind, Constant};
use crate::detectors::{Context, Detector, DetectorMeta, Hit, Scope};
use crate::finding::{Applicability, Category, Edit, Fix, Severity};
use crate::lang::Language;

use super::common;

/// Flags permission modes granting write access to other users (and `os.umask` values that do
/// not remove it).
pub struct LooseFilePermissions;

/// The detector's metadata and documentation.
pub static META: DetectorMeta = DetectorMeta {
    id: "python/loose-file-permissions@v1.0",
    name: "Loose file permissions",
    language: Language::Python,
    severity: Severity::High,
    cwes: &[732, 266],
    category: Category::Security,
    express: true,
    docs: r#"## What it does
Flags constant permission modes that let every user of the machine write the file or directory:
the mode of `os.chmod`, `os.lchmod`, `os.fchmod` and `pathlib.Path.chmod`, written as octal
literals (`0o777`, `0o666`), `stat` constants
(`stat.S_IRWXU | stat.S_IRWXO`) or a mix — and `os.umask` masks that do not remove write access
for others (`os.umask(0)` as a statement; `old = os.umask(0)` followed by `os.umask(old)` only
reads the mask). Modes without the other-write bit (`0o644`, `0o755`, `0o600`), modes computed
at run time, and the modes of `os.open` / `os.mkdir` / `os.makedirs` (filtered by the umask,
`0o666` / `0o777` being their defaults) are not flagged. It does not flag world-readable modes (whether that
is a problem depends on the file's contents), Windows ACLs or `subprocess` calls to `chmod`.

## Why is this bad?
Any local user or compromised service can modify a world-writable file: replace code or
configuration the application loads, plant data, or delete it (CWE-732, CWE-266).

## Example
```python
import os

os.chmod("/srv/app/config.ini", 0o777)
```

## Use instead
```python
import os

os.chmod("/srv/app/config.ini", 0o600)
```

## Fix safety
The fix replaces the mode with an octal literal keeping only the owner's bits (`0o777` becomes
`0o700`, `0o666` becomes `0o600`), or the umask with `0o077`. It is unsafe: other accounts or
group members that legitimately read or run the file lose access.

## References
- [CWE-732: Incorrect Permission Assignment for Critical Resource](https://cwe.mitre.org/data/definitions/732.html)
- [CWE-266: Incorrect Privilege Assignment](https://cwe.mitre.org/data/definitions/266.html)
- [Python `os.chmod`](https://docs.python.org/3/library/os.html#os.chmod)
"#,
};

/// Write permission for other users.
const OTHER_WRITE: i64 = 0o002;

/// The `stat` module's permission constants.
fn stat_constant(name: &str) -> Option<i64> {
    Some(match name {
        "S_ISUID" => 0o4000,
        "S_ISGID" => 0o2000,
        "S_ISVTX" => 0o1000,
        "S_IRWXU" => 0o700,
        "S_IRUSR" | "S_IREAD" => 0o400,
        "S_IWUSR" | "S_IWRITE" => 0o200,
        "S_IXUSR" | "S_IEXEC" => 0o100,
        "S_IRWXG" => 0o070,
        "S_IRGRP" => 0o040,
        "S_IWGRP" => 0o020,
        "S_IXGRP" => 0o010,
        "S_IRWXO" => 0o007,
        "S_IROTH" => 0o004,
        "S_IWOTH" => 0o002,
        "S_IXOTH" => 0o001,
        _ => return None,
    })
}

/// The constant value of a mode expression: an integer, a `stat` constant, or `|` / `+` of them.
fn mode_value<'t>(ctx: &Context<'t>, node: Node<'t>, depth: usize) -> Option<i64> {
    if depth > 16 {
        return None;
    }
    match node.kind() {
        "integer" => {
            let text = ctx.node_text(node).replace('_', "");
            let lower = text.to_ascii_lowercase();
            if let Some(octal) = lower.strip_prefix("0o") {
                i64::from_str_radix(octal, 8).ok()
            } else if let Some(hex) = lower.strip_prefix("0x") {
                i64::from_str_radix(hex, 16).ok()
            } else if let Some(binary) = lower.strip_prefix("0b") {
                i64::from_str_radix(binary, 2).ok()
            } else {
                lower.parse().ok()
            }
        }
        "attribute" | "identifier" => {
            let qualified = common::qualified_at(ctx, node.byte_range())?;
            stat_constant(qualified.strip_prefix("stat.")?)
        }
        "parenthesized_expression" => mode_value(ctx, node.named_child(0)?, depth + 1),
        "binary_operator" => {
            let left = mode_value(ctx, node.child_by_field_name("left")?, depth + 1)?;
            let right = mode_value(ctx, node.child_by_field_name("right")?, depth + 1)?;
            match ctx.node_text(node.child_by_field_name("operator")?) {
                "|" => Some(left | right),
                "+" => left.checked_add(right),
                _ => None,
            }
        }
        _ => None,
    }
}

/// The mode (or umask) argument of a permission-setting call.
fn mode_arg(call: &Call) -> Option<&Arg> {
    let name = call.name.as_str();
    match name {
        // `os.open`, `os.mkdir` and `os.makedirs` modes pass through the umask (`0o666` and
        // `0o777` are their defaults); `chmod` sets the bits exactly.
        "os.chmod" | "os.lchmod" | "os.fchmod" => call.arg(1, "mode"),
        "os.umask" => call.arg(0, "mask"),
        _ if call.kind == CallKind::Method
            && call.method_name() == "chmod"
            && name.starts_with("pathlib.") =>
        {
            call.arg(0, "mode")
        }
        _ => None,
    }
}

/// Whether the call's result is discarded (it is a whole expression statement).
fn is_statement(ctx: &Context<'_>, call: &Call) -> bool {
    ctx.node_at(call.range.clone()).is_some_and(|n| {
        n.kind() == "expression_statement"
            || n.parent()
                .is_some_and(|p| p.kind() == "expression_statement")
    })
}

/// The constant mode of an argument, from the analysis or the expression.
fn mode_of(ctx: &Context<'_>, arg: &Arg) -> Option<i64> {
    if let Some(Constant::Int(mode)) = arg.value.constant {
        return Some(mode);
    }
    mode_value(ctx, ctx.node_at(arg.range.clone())?, 0)
}

impl Detector for LooseFilePermissions {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn scope(&self) -> Scope {
        Scope::Definition
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        let mut hits = Vec::new();
        for call in &ctx.facts.calls {
            let Some(arg) = mode_arg(call) else { continue };
            let Some(mode) = mode_of(ctx, arg) else {
                continue;
            };
            let loose = if call.name == "os.umask" {
                // `old = os.umask(0); os.umask(old)` only reads the current mask.
                mode & OTHER_WRITE == 0 && is_statement(ctx, call)
            } else {
                mode & OTHER_WRITE != 0
            };
            if loose {
                hits.push(
                    Hit::new(arg.range.clone(), call.name.clone()).with_anchor(arg.range.clone()),
                );
            }
        }
        hits
    }

    fn message(&self, ctx: &Context<'_>, hit: &Hit) -> String {
        if hit.subject == "os.umask" {
            return format!(
                "`os.umask({})` leaves write permission for other users on every file this \
                 process creates, so any local user can modify them ({}). Use a mask such as \
                 `0o077` or `0o022`.",
                ctx.text(hit.range.clone()),
                META.cwe_list()
            );
        }
        format!(
            "`{}` sets mode `{}`, which lets every local user write the file or directory and \
             so replace or tamper with it ({}). Grant only what the owner needs (`0o600` for \
             files, `0o700` for directories).",
            hit.subject,
            ctx.text(hit.range.clone()),
            META.cwe_list()
        )
    }

    fn fix(&self, ctx: &Context<'_>, hit: &Hit) -> Vec<Fix> {
        let replacement = if hit.subject == "os.umask" {
            "0o077".to_string()
        } else {
            let Some(call) = ctx
                .facts
                .calls
                .iter()
                .find(|c| mode_arg(c).is_some_and(|a| a.range == hit.range))
            else {
                return Vec::new();
            };
            let Some(mode) = mode_arg(call).and_then(|a| mode_of(ctx, a)) else {
                return Vec::new();
            };
            format!("0o{:o}", mode & 0o700)
        };
        vec![Fix::new(
            format!("Restrict the permissions to {replacement}"),
            vec![Edit::replace(hit.range.clone(), replacement)],
            Applicability::Unsafe,
        )]
    }
}
