//! `python/hardcoded-credentials@v1.0`: string literals used as credentials.

use crate::detectors::secrets::credentials::{self, Credential};
use crate::detectors::{Context, Detector, DetectorMeta, Hit, Scope};
use crate::finding::{Category, Edit, Fix, Severity};
use crate::lang::Language;

/// Flags literal passwords, keys and tokens passed to credential parameters or bound to
/// secret-looking names.
pub struct HardcodedCredentials;

/// The detector's metadata and documentation.
pub static META: DetectorMeta = DetectorMeta {
    id: "python/hardcoded-credentials@v1.0",
    name: "Hardcoded credentials",
    language: Language::Python,
    severity: Severity::Critical,
    cwes: &[798],
    category: Category::Security,
    express: true,
    docs: r#"## What it does
Flags string literals used as credentials: assigned to a secret-looking name (`password`,
`db_password`, `API_KEY`, `secret_key`, `token`, `client_secret`, `self.password`,
`app.config["SECRET_KEY"]`), passed as such a keyword argument (`boto3.client(...,
aws_secret_access_key="...")`, `psycopg2.connect(password="...")`), used as a dict value under
such a key or an `Authorization` header, passed as the password of a `requests` auth tuple or
`HTTPBasicAuth`/`HTTPDigestAuth`, as the key of `jwt.encode`/`jwt.decode`, or as the password of
`login(user, password)` (smtplib, ftplib, imaplib). Placeholders (`changeme`, `xxxx`, `<password>`),
template strings (`${VAR}`, `{{ var }}`, `%(var)s`), f-strings, empty strings and values read from
the environment are not flagged; neither are literals a `secrets/` detector already reports (a
token of a known format, a password inside a URL or connection string), so one literal gives one
finding.

## Why is this bad?
A credential in source code is readable by everyone with access to the repository, its history,
its forks and the packages built from it, and it cannot be rotated without a release (CWE-798).
Automated scanners find leaked keys within minutes of a push.

## Example
```python
import psycopg2
conn = psycopg2.connect(host="db", user="app", password="example-Wq7rTz9pLm")
```

## Use instead
```python
import os
import psycopg2
conn = psycopg2.connect(host="db", user="app", password=os.environ["PASSWORD"])
```
Set the variable where the code runs (a secret manager, the deployment's environment), and revoke
the credential that was committed.

## Fix safety
The fix replaces the literal with `os.environ["NAME"]` (NAME from the parameter or variable name)
and imports `os` if needed. It is unsafe: the variable must be set where the code runs, or it
raises `KeyError`.

## References
- [CWE-798: Use of Hard-coded Credentials](https://cwe.mitre.org/data/definitions/798.html)
- [OWASP Secrets Management Cheat Sheet](https://cheatsheetseries.owasp.org/cheatsheets/Secrets_Management_Cheat_Sheet.html)
"#,
};

/// Calls whose n-th positional argument (or keyword) is a secret, by resolved name suffix.
const SECRET_ARGUMENTS: [(&str, usize, &str, &str); 5] = [
    ("requests.auth.HTTPBasicAuth", 1, "password", "API_PASSWORD"),
    (
        "requests.auth.HTTPDigestAuth",
        1,
        "password",
        "API_PASSWORD",
    ),
    ("jwt.encode", 1, "key", "JWT_SECRET"),
    ("jwt.decode", 1, "key", "JWT_SECRET"),
    (".login", 1, "password", "LOGIN_PASSWORD"),
];

fn call_credentials(ctx: &Context<'_>, found: &mut Vec<Credential>) {
    for call in &ctx.facts.calls {
        for (suffix, index, keyword, env) in SECRET_ARGUMENTS {
            let matches = if suffix.starts_with('.') {
                call.name.ends_with(suffix) && call.args.len() >= 2
            } else {
                call.name == suffix
            };
            if !matches {
                continue;
            }
            if let Some(arg) = call.arg(index, keyword) {
                if let Some(value) = credentials::literal_at(ctx, arg.range.clone()) {
                    if credentials::plausible(value, keyword) {
                        found.push(Credential {
                            literal: arg.range.clone(),
                            env: env.to_string(),
                            place: format!("the {keyword} of `{}`", call.name),
                        });
                    }
                }
            }
        }
        // `requests.get(url, auth=("user", "password"))`
        if let Some(auth) = call.keyword("auth") {
            let password = ctx
                .node_at(auth.range.clone())
                .filter(|n| matches!(n.kind(), "tuple" | "list"))
                .and_then(|n| n.named_child(1));
            if let Some(node) = password {
                if let Some(value) = credentials::literal_content(ctx, node) {
                    if credentials::plausible(value, "password") {
                        found.push(Credential {
                            literal: node.byte_range(),
                            env: "API_PASSWORD".into(),
                            place: format!("the `auth` password of `{}`", call.name),
                        });
                    }
                }
            }
        }
    }
}

/// `import os` beside the first module-level import (after `from __future__` imports), when `os`
/// is not imported.
fn import_os(ctx: &Context<'_>) -> Option<Edit> {
    if ctx.facts.imports.resolve("os") == Some("os") {
        return None;
    }
    let root = ctx.tree.root_node();
    let mut cursor = root.walk();
    let imports: Vec<_> = root
        .named_children(&mut cursor)
        .filter(|n| {
            matches!(
                n.kind(),
                "import_statement" | "import_from_statement" | "future_import_statement"
            )
        })
        .collect();
    let first_plain = imports
        .iter()
        .find(|n| !ctx.node_text(**n).starts_with("from __future__"));
    match (first_plain, imports.last()) {
        (Some(first), _) => Some(Edit::insert(first.start_byte(), "import os\n")),
        (None, Some(last)) => Some(Edit::insert(last.end_byte(), "\nimport os")),
        (None, None) => Some(Edit::insert(0, "import os\n")),
    }
}

impl Detector for HardcodedCredentials {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn scope(&self) -> Scope {
        Scope::Definition
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        let mut found: Vec<Credential> = credentials::secret_named_literals(ctx);
        call_credentials(ctx, &mut found);
        credentials::into_hits(ctx, found)
    }

    fn message(&self, ctx: &Context<'_>, hit: &Hit) -> String {
        credentials::message(ctx, hit, "`os.environ[\"{}\"]`")
    }

    fn fix(&self, ctx: &Context<'_>, hit: &Hit) -> Vec<Fix> {
        let (env, _) = Credential::parts(hit);
        let replacement = format!("os.environ[\"{env}\"]");
        vec![credentials::env_fix(
            hit,
            replacement,
            import_os(ctx).into_iter().collect(),
        )]
    }
}
