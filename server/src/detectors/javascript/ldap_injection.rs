//! `javascript/ldap-injection@v1.0`: untrusted data in LDAP filters and DNs (ldapjs).

use crate::analysis::{Call, SinkKind, Value};
use crate::detectors::{Context, Detector, DetectorMeta, Hit};
use crate::finding::{Category, Severity};
use crate::lang::Language;

use super::support::{field_range, hit_on, origin_sentence, tainted};

/// The detector.
pub static LDAP_INJECTION: LdapInjection = LdapInjection;

/// Flags tainted search filters and DNs given to ldapjs clients.
pub struct LdapInjection;

static META: DetectorMeta = DetectorMeta {
    id: "javascript/ldap-injection@v1.0",
    name: "LDAP injection",
    language: Language::JavaScript,
    severity: Severity::High,
    cwes: &[90],
    category: Category::Security,
    express: true,
    docs: r#"## What it does
In files that use `ldapjs` (or `ldapts`), flags untrusted data in the `filter` of
`client.search(base, options)` (or a filter string given as the options), in the search base,
in the DN given to `bind`/`add`/`del`/`modify`/`compare`, and in `ldap.parseFilter(text)`. The
catalogue gives no CWE; Codeward uses CWE-90.

Not flagged: values escaped with `ldap-escape` (`` ldapEscape.filter`uid=${x}` ``), filter
objects (`new ldap.EqualityFilter({ attribute, value })`, which escape their value),
allow-listed values, numbers and constants. It does not catch other LDAP libraries
(`activedirectory`, `passport-ldapauth` options).

## Why is this bad?
`*`, `(`, `)` and `|` in the data change the filter: `*)(uid=*` turns a lookup of one user into a
match of every user, bypassing authentication checks or leaking the directory.

## Example
```javascript
app.get("/user", (req, res) => {
  client.search("ou=people,dc=example,dc=com", { filter: `(uid=${req.query.uid})` }, cb);
});
```

## Use instead
```javascript
const ldapEscape = require("ldap-escape");
app.get("/user", (req, res) => {
  client.search("ou=people,dc=example,dc=com", { filter: ldapEscape.filter`(uid=${req.query.uid})` }, cb);
});
```

## Fix safety
There is no automatic fix.

## References
- [CWE-90: LDAP Injection](https://cwe.mitre.org/data/definitions/90.html)
- [OWASP LDAP Injection Prevention Cheat Sheet](https://cheatsheetseries.owasp.org/cheatsheets/LDAP_Injection_Prevention_Cheat_Sheet.html)
"#,
};

/// Client methods whose first argument is a DN.
const DN_METHODS: &[&str] = &[
    "search", "bind", "add", "del", "modify", "compare", "modifyDN",
];

/// Filter objects built by ldapjs escape their values.
fn filter_object(value: &Value) -> bool {
    value
        .type_name
        .as_deref()
        .is_some_and(|t| t.starts_with("ldapjs.") || t.starts_with("ldapts."))
}

fn hit_of(ctx: &Context<'_>, call: &Call) -> Option<Hit> {
    if matches!(
        call.name.as_str(),
        "ldapjs.parseFilter" | "ldapts.parseFilter"
    ) {
        let arg = call.positional(0)?;
        return Some(hit_on(
            call,
            arg.range.clone(),
            tainted(&arg.value, SinkKind::Ldap)?,
        ));
    }
    let method = call.method_name();
    if call.receiver.is_none() || !DN_METHODS.contains(&method) || call.name.starts_with("ldap") {
        return None;
    }
    if method == "search" {
        if let Some(options) = call.positional(1) {
            if let Some(filter) = options.value.field("filter") {
                if let (false, Some(origin)) =
                    (filter_object(filter), tainted(filter, SinkKind::Ldap))
                {
                    return Some(hit_on(call, field_range(ctx, options, "filter"), origin));
                }
            } else if options.value.fields.is_empty() && !filter_object(&options.value) {
                if let Some(origin) = tainted(&options.value, SinkKind::Ldap) {
                    return Some(hit_on(call, options.range.clone(), origin));
                }
            }
        }
    }
    let dn = call.positional(0)?;
    Some(hit_on(
        call,
        dn.range.clone(),
        tainted(&dn.value, SinkKind::Ldap)?,
    ))
}

impl Detector for LdapInjection {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        let imports = &ctx.facts.imports;
        if !imports.imports("ldapjs") && !imports.imports("ldapts") {
            return Vec::new();
        }
        ctx.facts
            .calls
            .iter()
            .filter_map(|c| hit_of(ctx, c))
            .collect()
    }

    fn message(&self, ctx: &Context<'_>, hit: &Hit) -> String {
        format!(
            "Untrusted data is built into an LDAP filter or DN passed to `{}` (CWE-90): `*`, `(` \
             and `)` in it change what the query matches.{} Escape it with `ldap-escape` or build \
             the filter from ldapjs filter objects.",
            hit.subject,
            origin_sentence(ctx, hit)
        )
    }
}
