//! `python/do-not-auto-add-or-warning-missing-hostkey-policy@v1.0`: paramiko clients that accept
//! unknown SSH host keys.

use crate::analysis::Call;
use crate::detectors::{Context, Detector, DetectorMeta, Hit, Scope};
use crate::finding::{Applicability, Category, Edit, Fix, Severity};
use crate::lang::Language;

use super::common;

/// Flags `set_missing_host_key_policy` with paramiko's `AutoAddPolicy` or `WarningPolicy`.
pub struct DoNotAutoAddOrWarningMissingHostkeyPolicy;

/// The detector's metadata and documentation.
pub static META: DetectorMeta = DetectorMeta {
    id: "python/do-not-auto-add-or-warning-missing-hostkey-policy@v1.0",
    name: "Using AutoAddPolicy or WarningPolicy",
    language: Language::Python,
    severity: Severity::High,
    cwes: &[322],
    category: Category::Security,
    express: true,
    docs: r#"## What it does
Flags paramiko SSH clients told to accept host keys they do not know:
`client.set_missing_host_key_policy(...)` with `paramiko.AutoAddPolicy` or
`paramiko.WarningPolicy` (an instance or the class, imported under any alias, including from
`paramiko.client`). `RejectPolicy` and custom policies are not flagged. It does not flag clients
that never load known host keys (`load_system_host_keys`), nor policies chosen at run time.

## Why is this bad?
Without host key verification the client cannot tell the real server from an attacker in the
middle, who can then read the session, capture the password or key sent to log in, and change
commands and output (CWE-322).

## Example
```python
import paramiko

client = paramiko.SSHClient()
client.set_missing_host_key_policy(paramiko.AutoAddPolicy())
client.connect("build.example.com", username="deploy")
```

## Use instead
```python
import paramiko

client = paramiko.SSHClient()
client.load_system_host_keys()
client.set_missing_host_key_policy(paramiko.RejectPolicy())
client.connect("build.example.com", username="deploy")
```

## Fix safety
When the policy is written as `module.AutoAddPolicy` / `module.WarningPolicy`, the fix uses
`RejectPolicy` from the same module. It is unsafe: connections to hosts missing from the known
hosts file now fail until their keys are added (`ssh-keyscan`, `known_hosts`).

## References
- [CWE-322: Key Exchange without Entity Authentication](https://cwe.mitre.org/data/definitions/322.html)
- [paramiko: host key policies](https://docs.paramiko.org/en/stable/api/client.html#paramiko.client.RejectPolicy)
"#,
};

/// The policy class a call passes, if it is a permissive paramiko one, with the range of the
/// class reference.
fn permissive_policy(ctx: &Context<'_>, call: &Call) -> Option<(String, std::ops::Range<usize>)> {
    if call.method_name() != "set_missing_host_key_policy" {
        return None;
    }
    let arg = call.arg(0, "policy")?;
    let node = ctx.node_at(arg.range.clone())?;
    let class = if node.kind() == "call" {
        node.child_by_field_name("function")?
    } else {
        node
    };
    let qualified = common::qualified_at(ctx, class.byte_range())?;
    let permissive = matches!(
        qualified.as_str(),
        "paramiko.AutoAddPolicy"
            | "paramiko.WarningPolicy"
            | "paramiko.client.AutoAddPolicy"
            | "paramiko.client.WarningPolicy"
    );
    permissive.then(|| (qualified, class.byte_range()))
}

impl Detector for DoNotAutoAddOrWarningMissingHostkeyPolicy {
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
                let (qualified, class) = permissive_policy(ctx, call)?;
                Some(Hit::new(class.clone(), qualified).with_anchor(class))
            })
            .collect()
    }

    fn message(&self, _ctx: &Context<'_>, hit: &Hit) -> String {
        format!(
            "`{}` makes the SSH client accept host keys it has never seen, so an attacker in the \
             middle can impersonate the server and capture credentials and commands ({}). Load \
             known host keys and use `paramiko.RejectPolicy`.",
            hit.subject,
            META.cwe_list()
        )
    }

    fn fix(&self, ctx: &Context<'_>, hit: &Hit) -> Vec<Fix> {
        let Some(node) = ctx.node_at(hit.anchor.clone()) else {
            return Vec::new();
        };
        if node.kind() != "attribute" {
            return Vec::new();
        }
        let Some(attribute) = node.child_by_field_name("attribute") else {
            return Vec::new();
        };
        vec![Fix::new(
            "Reject unknown host keys (RejectPolicy)",
            vec![Edit::replace(attribute.byte_range(), "RejectPolicy")],
            Applicability::Unsafe,
        )]
    }
}
