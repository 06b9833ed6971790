//! `java/insecure-jwt-parsing`: JSON web tokens read without verifying their signature.

use super::common::{calls_within, enclosing_body};
use super::sinks::{class_is, split_call};
use crate::analysis::Call;
use crate::detectors::{Context, Detector, DetectorMeta, Hit};
use crate::finding::{Applicability, Category, Edit, Fix, Severity};
use crate::lang::Language;

/// Flags jjwt parse methods that accept unsigned tokens and Auth0 `JWT.decode` without a verifier.
pub struct InsecureJwtParsing;

/// The detector instance.
pub static INSECURE_JWT_PARSING: InsecureJwtParsing = InsecureJwtParsing;

static META: DetectorMeta = DetectorMeta {
    id: "java/insecure-jwt-parsing@v1.0",
    name: "Insecure JSON web token (JWT) parsing",
    language: Language::Java,
    severity: Severity::High,
    cwes: &[347],
    category: Category::Security,
    express: true,
    docs: r#"## What it does
Flags JWT parsing that does not require a valid signature:
- jjwt `JwtParser.parse(token)` (accepts unsigned `alg: none` tokens), `parseClaimsJwt`,
  `parsePlaintextJwt`, `parseUnsecuredClaims`, `parseUnsecuredContent`, and
  `JwtParserBuilder.unsecured()`;
- Auth0 `JWT.decode(token)` in a method that never calls `verify` on a `JWTVerifier`.
`parseClaimsJws`, `parseSignedClaims` and a verifier's `verify` are fine. The catalogue publishes
no severity; Codeward uses High with CWE-347.

It does not check which keys or algorithms a verifier accepts, nor Nimbus JOSE or other JWT
libraries.

## Why is this bad?
A token whose signature is not checked is just JSON the client wrote: anyone can claim to be any
user or give themselves any role.

## Example
```java
Jwt<?, ?> jwt = Jwts.parser().setSigningKey(key).parse(token);
```

## Use instead
```java
Jws<Claims> jws = Jwts.parser().setSigningKey(key).parseClaimsJws(token);
```

## Fix safety
The fix renames jjwt's `parse` / `parseClaimsJwt` to `parseClaimsJws` and `parsePlaintextJwt` to
`parsePlaintextJws`. It is unsafe: unsigned tokens that were accepted before are rejected with an
exception, and the result's declared type may need adjusting.

## References
- [CWE-347: Improper Verification of Cryptographic Signature](https://cwe.mitre.org/data/definitions/347.html)
"#,
};

const PARSER: &str = "io.jsonwebtoken.JwtParser";

/// jjwt methods accepting unsigned tokens, and their signed replacement.
const UNSIGNED: &[(&str, Option<&str>)] = &[
    ("parse", Some("parseClaimsJws")),
    ("parseClaimsJwt", Some("parseClaimsJws")),
    ("parsePlaintextJwt", Some("parsePlaintextJws")),
    ("parseUnsecuredClaims", None),
    ("parseUnsecuredContent", None),
];

/// Whether a call reads a token without requiring a signature.
fn unverified(ctx: &Context<'_>, call: &Call) -> bool {
    let (class, method) = split_call(call);
    if class_is(class, PARSER) {
        return UNSIGNED.iter().any(|(m, _)| *m == method);
    }
    if method == "unsecured" && class_is(class, "io.jsonwebtoken.JwtParserBuilder") {
        return true;
    }
    if call.name == "com.auth0.jwt.JWT.decode" {
        let verified = ctx
            .node_at(call.range.clone())
            .and_then(enclosing_body)
            .is_some_and(|body| {
                calls_within(ctx, body.byte_range()).any(|c| c.method_name() == "verify")
            });
        return !verified;
    }
    false
}

impl Detector for InsecureJwtParsing {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        ctx.facts
            .calls
            .iter()
            .filter(|call| unverified(ctx, call))
            .map(|call| {
                Hit::new(call.range.clone(), call.method_name().to_string())
                    .with_anchor(call.callee_range.clone())
            })
            .collect()
    }

    fn message(&self, _ctx: &Context<'_>, hit: &Hit) -> String {
        format!(
            "Insecure JWT parsing (CWE-347): `{}` reads the token without requiring a valid \
             signature, so a client can forge any claims. Use a method that verifies the \
             signature (`parseClaimsJws`, `parseSignedClaims`, `JWTVerifier.verify`).",
            hit.subject
        )
    }

    fn fix(&self, ctx: &Context<'_>, hit: &Hit) -> Vec<Fix> {
        let Some((method, Some(replacement))) =
            UNSIGNED.iter().find(|(m, _)| *m == hit.subject.as_str())
        else {
            return Vec::new();
        };
        let callee = ctx.text(hit.anchor.clone());
        let trimmed = callee.trim_end();
        if !trimmed.ends_with(method) {
            return Vec::new();
        }
        let end = hit.anchor.start + trimmed.len();
        vec![Fix::new(
            format!("Use `{replacement}`"),
            vec![Edit::replace(end - method.len()..end, *replacement)],
            Applicability::Unsafe,
        )]
    }
}
