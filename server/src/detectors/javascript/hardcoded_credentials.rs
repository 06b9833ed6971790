//! `javascript/hardcoded-credentials@v1.0`: string literals used as credentials.

use crate::detectors::secrets::credentials::{self, Credential};
use crate::detectors::{Context, Detector, DetectorMeta, Hit};
use crate::finding::{Category, Fix, Severity};
use crate::lang::Language;

/// Flags literal passwords, keys and tokens passed to credential parameters or bound to
/// secret-looking names.
pub struct HardcodedCredentials;

/// The detector's metadata and documentation.
pub static META: DetectorMeta = DetectorMeta {
    id: "javascript/hardcoded-credentials@v1.0",
    name: "Hardcoded credentials",
    language: Language::JavaScript,
    severity: Severity::Critical,
    cwes: &[798],
    category: Category::Security,
    express: true,
    docs: r#"## What it does
Flags string literals used as credentials: object properties with a secret-looking key
(`mysql.createConnection({ password: '...' })`, `new S3Client({ credentials: { secretAccessKey:
'...' } })`, `headers: { Authorization: 'Bearer ...' }`), variables and properties with a
secret-looking name (`const apiKey = '...'`, `config.dbPassword = '...'`), the key of
`jwt.sign`/`jwt.verify` (`jsonwebtoken`), the password of `new Sequelize(db, user, password)`, and
`Authorization` headers set with `setHeader`, `set`, `header` or `append`. The catalogue publishes
no CWE for this detector; CWE-798 (hard-coded credentials) is used. Placeholders (`changeme`,
`xxxx`, `<password>`), template literals with substitutions, empty strings and values read from
`process.env` are not flagged; neither are literals a `secrets/` detector already reports (a token
of a known format, a password inside a URL), so one literal gives one finding.

## Why is this bad?
A credential in source code is readable by everyone with access to the repository, its history,
the published package and, for front-end code, every visitor (CWE-798).

## Example
```javascript
const connection = mysql.createConnection({ host: 'db', user: 'app', password: 'example-Wq7rTz9pLm' });
```

## Use instead
```javascript
const connection = mysql.createConnection({ host: 'db', user: 'app', password: process.env.PASSWORD });
```
Set the variable where the code runs (a secret manager, the deployment's environment), and revoke
the credential that was committed.

## Fix safety
The fix replaces the literal with `process.env.NAME` (NAME from the property or variable name). It
is unsafe: the value is `undefined` when the variable is not set.

## References
- [CWE-798: Use of Hard-coded Credentials](https://cwe.mitre.org/data/definitions/798.html)
- [OWASP Secrets Management Cheat Sheet](https://cheatsheetseries.owasp.org/cheatsheets/Secrets_Management_Cheat_Sheet.html)
"#,
};

/// Calls whose n-th argument is a secret: (resolved name or `.method`, index, variable).
const SECRET_ARGUMENTS: [(&str, usize, &str); 4] = [
    ("jsonwebtoken.sign", 1, "JWT_SECRET"),
    ("jsonwebtoken.verify", 1, "JWT_SECRET"),
    ("sequelize", 2, "DB_PASSWORD"),
    ("sequelize.Sequelize", 2, "DB_PASSWORD"),
];

/// Methods that set a request or response header: `(name, value)`.
const HEADER_SETTERS: [&str; 4] = ["setHeader", "set", "header", "append"];

fn call_credentials(ctx: &Context<'_>, found: &mut Vec<Credential>) {
    for call in &ctx.facts.calls {
        for (name, index, env) in SECRET_ARGUMENTS {
            if call.name != name {
                continue;
            }
            let Some(arg) = call.positional(index) else {
                continue;
            };
            if let Some(value) = credentials::literal_at(ctx, arg.range.clone()) {
                if credentials::plausible(value, "secret") {
                    found.push(Credential {
                        literal: arg.range.clone(),
                        env: env.to_string(),
                        place: format!("an argument of `{}`", call.name),
                    });
                }
            }
        }
        if HEADER_SETTERS.contains(&call.method_name()) {
            let header = call.positional(0).and_then(|a| a.value.const_str());
            if let (Some(header), Some(arg)) = (header, call.positional(1)) {
                if credentials::is_auth_header(header) {
                    if let Some(value) = credentials::literal_at(ctx, arg.range.clone()) {
                        if credentials::plausible(value, header) {
                            found.push(Credential {
                                literal: arg.range.clone(),
                                env: credentials::env_var_name(header),
                                place: format!("the `{header}` header"),
                            });
                        }
                    }
                }
            }
        }
    }
}

impl Detector for HardcodedCredentials {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        let mut found: Vec<Credential> = credentials::secret_named_literals(ctx);
        call_credentials(ctx, &mut found);
        credentials::into_hits(ctx, found)
    }

    fn message(&self, ctx: &Context<'_>, hit: &Hit) -> String {
        credentials::message(ctx, hit, "`process.env.{}`")
    }

    fn fix(&self, _ctx: &Context<'_>, hit: &Hit) -> Vec<Fix> {
        let (env, _) = Credential::parts(hit);
        vec![credentials::env_fix(
            hit,
            format!("process.env.{env}"),
            Vec::new(),
        )]
    }
}
