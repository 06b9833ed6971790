//! `java/ldap-injection`: untrusted data in an LDAP search filter or distinguished name.

use super::sinks::{sink, source_phrase, taint_hits, Part, Sink};
use crate::analysis::SinkKind;
use crate::detectors::{Context, Detector, DetectorMeta, Hit};
use crate::finding::{Category, Severity};
use crate::lang::Language;

/// Flags LDAP searches and lookups whose filter or name is built from untrusted data.
pub struct LdapInjection;

/// The detector instance.
pub static LDAP_INJECTION: LdapInjection = LdapInjection;

static META: DetectorMeta = DetectorMeta {
    id: "java/ldap-injection@v1.0",
    name: "LDAP injection",
    language: Language::Java,
    severity: Severity::High,
    cwes: &[90],
    category: Category::Security,
    express: true,
    docs: r#"## What it does
Flags the base name and filter of JNDI `DirContext` / `LdapContext` searches and lookups, Spring
LDAP `LdapTemplate` (`search`, `searchForObject`, `authenticate`, `lookup`) and UnboundID
(`LDAPConnection.search`, `Filter.create`) when they contain untrusted data (web request data,
Spring `@RequestParam`-style parameters, command-line arguments, environment variables, standard
input) not escaped with ESAPI `encodeForLDAP` / `encodeForDN` or Spring `LdapEncoder`, converted
to a number or checked against an allow-list. The catalogue publishes no severity; Codeward uses
High with CWE-90.

It does not check filters built with `String.format` over escaped values in another file, and it
does not recognise hand-written escaping functions.

## Why is this bad?
`*)(uid=*))(|(uid=*` in a user name turns a lookup of one entry into a query for all of them, and
in authentication filters it logs in without a password or reveals attributes of other users.

## Example
```java
String user = request.getParameter("user");
ctx.search("ou=people,dc=example,dc=com", "(uid=" + user + ")", controls);
```

## Use instead
```java
String user = request.getParameter("user");
ctx.search("ou=people,dc=example,dc=com", "(uid={0})", new Object[] {user}, controls);
```
JNDI replaces `{0}` with the escaped argument; Spring LDAP's `LdapQueryBuilder` does the same.

## Fix safety
No automatic fix: moving values into filter arguments changes the call's signature.

## References
- [CWE-90: Improper Neutralization of Special Elements used in an LDAP Query](https://cwe.mitre.org/data/definitions/90.html)
- [OWASP LDAP Injection Prevention Cheat Sheet](https://cheatsheetseries.owasp.org/cheatsheets/LDAP_Injection_Prevention_Cheat_Sheet.html)
"#,
};

const NAME_AND_FILTER: &[Part] = &[Part::Arg(0), Part::Arg(1)];
const NAME: &[Part] = &[Part::Arg(0)];
const SPRING: &str = "org.springframework.ldap.core.LdapTemplate";

/// Filters and names.
const SINKS: &[Sink] = &[
    sink(
        "javax.naming.directory.DirContext",
        "search",
        NAME_AND_FILTER,
    ),
    sink("javax.naming.directory.DirContext", "lookup", NAME),
    sink(
        "javax.naming.directory.InitialDirContext",
        "search",
        NAME_AND_FILTER,
    ),
    sink("javax.naming.directory.InitialDirContext", "lookup", NAME),
    sink("javax.naming.ldap.LdapContext", "search", NAME_AND_FILTER),
    sink(
        "javax.naming.ldap.InitialLdapContext",
        "search",
        NAME_AND_FILTER,
    ),
    sink("javax.naming.Context", "lookup", NAME),
    sink("javax.naming.InitialContext", "lookup", NAME),
    sink(SPRING, "search", NAME_AND_FILTER),
    sink(SPRING, "searchForObject", NAME_AND_FILTER),
    sink(SPRING, "authenticate", NAME_AND_FILTER),
    sink(SPRING, "lookup", NAME),
    sink(
        "com.unboundid.ldap.sdk.LDAPConnection",
        "search",
        &[Part::Arg(0), Part::Arg(2)],
    ),
    sink("com.unboundid.ldap.sdk.Filter", "create", NAME),
];

impl Detector for LdapInjection {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        taint_hits(ctx, SINKS, SinkKind::Ldap)
    }

    fn message(&self, ctx: &Context<'_>, hit: &Hit) -> String {
        format!(
            "LDAP injection (CWE-90): the filter or name passed to `{}` is built from {}, so \
             `*`, `(` and `)` in it can change which entries match. Pass values as filter \
             arguments (`{{0}}` with an argument array, `LdapQueryBuilder`) or escape them with \
             `LdapEncoder.filterEncode` / ESAPI `encodeForLDAP`.",
            hit.subject,
            source_phrase(ctx, hit)
        )
    }
}
