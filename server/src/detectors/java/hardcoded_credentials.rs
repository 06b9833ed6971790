//! `java/hardcoded-credentials@v1.0`: string literals used as credentials.

use crate::analysis::Call;
use crate::detectors::secrets::credentials::{self, Credential};
use crate::detectors::{Context, Detector, DetectorMeta, Hit};
use crate::finding::{Category, Fix, Severity};
use crate::lang::Language;

/// Flags literal passwords, keys and tokens passed to credential parameters or bound to
/// secret-looking names.
pub struct HardcodedCredentials;

/// The detector's metadata and documentation.
pub static META: DetectorMeta = DetectorMeta {
    id: "java/hardcoded-credentials@v1.0",
    name: "Hardcoded credentials",
    language: Language::Java,
    severity: Severity::Critical,
    cwes: &[798],
    category: Category::Security,
    express: true,
    docs: r#"## What it does
Flags string literals used as credentials: the password of `DriverManager.getConnection(url,
user, password)`, the secret of `new BasicAWSCredentials(id, secret)` /
`AwsBasicCredentials.create(id, secret)`, the key of `Algorithm.HMAC256/384/512(key)`, the argument
of `setPassword`, `setSecret`, `setApiKey`, `setSecretKey`, `setToken`, `setAccessToken` and
`setClientSecret`, the value of an `Authorization` header (`setRequestProperty`, `setHeader`,
`addHeader`, `header`), and literals assigned to a field or variable with a secret-looking name
(`password`, `dbPassword`, `API_KEY`, `secretKey`, `token`). The catalogue publishes no CWE for
this detector; CWE-798 (hard-coded credentials) is used. Placeholders (`changeme`, `xxxx`,
`<password>`), template strings (`${VAR}`), empty strings and text blocks are not flagged; neither
are literals a `secrets/` detector already reports (a token of a known format, a password in a JDBC
URL), so one literal gives one finding.

## Why is this bad?
A credential in source code is readable by everyone with access to the repository, its history
and the artifacts built from it, and it cannot be rotated without a release (CWE-798).

## Example
```java
Connection c = DriverManager.getConnection("jdbc:postgresql://db/app", "app", "example-Wq7rTz9pLm");
```

## Use instead
```java
Connection c = DriverManager.getConnection("jdbc:postgresql://db/app", "app",
        System.getenv("DB_PASSWORD"));
```
Set the variable where the code runs (a secret manager, the deployment's environment), and revoke
the credential that was committed.

## Fix safety
The fix replaces the literal with `System.getenv("NAME")` (NAME from the parameter or variable
name). It is unsafe: `getenv` returns `null` when the variable is not set.

## References
- [CWE-798: Use of Hard-coded Credentials](https://cwe.mitre.org/data/definitions/798.html)
- [OWASP Secrets Management Cheat Sheet](https://cheatsheetseries.owasp.org/cheatsheets/Secrets_Management_Cheat_Sheet.html)
"#,
};

/// Calls whose n-th argument is a secret: (name suffix, index, environment variable).
const SECRET_ARGUMENTS: [(&str, usize, &str); 13] = [
    ("DriverManager.getConnection", 2, "DB_PASSWORD"),
    ("BasicAWSCredentials", 1, "AWS_SECRET_ACCESS_KEY"),
    ("AwsBasicCredentials.create", 1, "AWS_SECRET_ACCESS_KEY"),
    ("Algorithm.HMAC256", 0, "JWT_SECRET"),
    ("Algorithm.HMAC384", 0, "JWT_SECRET"),
    ("Algorithm.HMAC512", 0, "JWT_SECRET"),
    (".setPassword", 0, "PASSWORD"),
    (".setSecret", 0, "SECRET"),
    (".setApiKey", 0, "API_KEY"),
    (".setSecretKey", 0, "SECRET_KEY"),
    (".setToken", 0, "TOKEN"),
    (".setAccessToken", 0, "ACCESS_TOKEN"),
    (".setClientSecret", 0, "CLIENT_SECRET"),
];

/// Methods that set a request header: `(name, value)`.
const HEADER_SETTERS: [&str; 4] = ["setRequestProperty", "setHeader", "addHeader", "header"];

/// Whether a call is `suffix` (a simple or qualified name), or any call of the method `.name`.
fn named(call: &Call, suffix: &str) -> bool {
    match suffix.strip_prefix('.') {
        Some(method) => call.method_name() == method,
        None => call.name == suffix || call.name.ends_with(&format!(".{suffix}")),
    }
}

fn call_credentials(ctx: &Context<'_>, found: &mut Vec<Credential>) {
    for call in &ctx.facts.calls {
        for (suffix, index, env) in SECRET_ARGUMENTS {
            if !named(call, suffix) {
                continue;
            }
            let Some(arg) = call.positional(index) else {
                continue;
            };
            if let Some(value) = credentials::literal_at(ctx, arg.range.clone()) {
                if credentials::plausible(value, "password") {
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
        credentials::message(ctx, hit, "`System.getenv(\"{}\")`")
    }

    fn fix(&self, _ctx: &Context<'_>, hit: &Hit) -> Vec<Fix> {
        let (env, _) = Credential::parts(hit);
        vec![credentials::env_fix(
            hit,
            format!("System.getenv(\"{env}\")"),
            Vec::new(),
        )]
    }
}
