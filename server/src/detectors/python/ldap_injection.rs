//! `python/ldap-injection@v1.0`: untrusted data in LDAP search filters and DNs.

use crate::analysis::{Arg, Call, CallKind, SinkKind};
use crate::detectors::{Context, Detector, DetectorMeta, Hit, Scope};
use crate::finding::{Category, Severity};
use crate::lang::Language;

use super::taint_sink;

/// Flags untrusted data reaching the filter or base DN of python-ldap and ldap3 searches.
pub struct LdapInjection;

/// The detector's metadata and documentation.
pub static META: DetectorMeta = DetectorMeta {
    id: "python/ldap-injection@v1.0",
    name: "LDAP injection",
    language: Language::Python,
    severity: Severity::High,
    cwes: &[90],
    category: Category::Security,
    express: true,
    docs: r#"## What it does
Flags untrusted data (web request parameters, command-line arguments, environment variables,
standard input, network reads) that becomes part of an LDAP search filter or base DN:
python-ldap `search`, `search_s`, `search_st`, `search_ext`, `search_ext_s` (base and
`filterstr`), and ldap3 `Connection.search` (`search_base`, `search_filter`), on any connection
object in a file that imports `ldap` or `ldap3`. Values escaped with
`ldap.filter.escape_filter_chars`, `ldap.dn.escape_dn_chars` or
`ldap3.utils.conv.escape_filter_chars`, converted to numbers or checked against an allow-list are
not flagged. It does not check `bind` credentials or modify operations (`modify_s`, `add_s`).

## Why is this bad?
`*`, `(`, `)` and `|` in the data change the filter: an attacker can match every entry, bypass a
login check written as a search, or read attributes of other users (CWE-90).

## Example
```python
import ldap
from flask import request

user = request.args["user"]
conn.search_s("ou=people,dc=example,dc=com", ldap.SCOPE_SUBTREE, "(uid=" + user + ")")
```

## Use instead
```python
import ldap
from ldap.filter import escape_filter_chars
from flask import request

user = escape_filter_chars(request.args["user"])
conn.search_s("ou=people,dc=example,dc=com", ldap.SCOPE_SUBTREE, "(uid=" + user + ")")
```

## Fix safety
There is no automatic fix: whether a value is a filter value or a DN component decides the
escaping function. Escape values with `escape_filter_chars` (filters) or `escape_dn_chars` (DNs).

## References
- [CWE-90: LDAP Injection](https://cwe.mitre.org/data/definitions/90.html)
- [OWASP: LDAP injection prevention](https://cheatsheetseries.owasp.org/cheatsheets/LDAP_Injection_Prevention_Cheat_Sheet.html)
"#,
};

/// The filter and base arguments of an LDAP search.
fn ldap_args<'c>(ctx: &Context<'_>, call: &'c Call) -> Vec<&'c Arg> {
    // Only searches carry a filter; the method name is checked first because looking through
    // the imports costs more than the comparison, for every call of the file.
    if !matches!(
        call.method_name(),
        "search" | "search_s" | "search_st" | "search_ext" | "search_ext_s"
    ) {
        return Vec::new();
    }
    let is_ldap3 = call.name.starts_with("ldap3.");
    let in_ldap_file = ctx.facts.imports.imports("ldap") || ctx.facts.imports.imports("ldap3");
    if !(is_ldap3 || (call.kind == CallKind::Method && in_ldap_file)) {
        return Vec::new();
    }
    let mut args = Vec::new();
    match call.method_name() {
        "search" if is_ldap3 || !ctx.facts.imports.imports("ldap") => {
            args.extend(call.arg(0, "search_base"));
            args.extend(call.arg(1, "search_filter"));
        }
        "search" | "search_s" | "search_st" | "search_ext" | "search_ext_s" => {
            args.extend(call.arg(0, "base"));
            args.extend(call.arg(2, "filterstr"));
        }
        _ => {}
    }
    args
}

impl Detector for LdapInjection {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn scope(&self) -> Scope {
        Scope::Definition
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        taint_sink::hits(ctx, SinkKind::Ldap, &[], ldap_args)
    }

    fn message(&self, ctx: &Context<'_>, hit: &Hit) -> String {
        format!(
            "The LDAP search of `{}` is built from {}; `*`, `(`, `)` or `|` in it change the \
             filter and can match or reveal other entries ({}). Escape values with \
             `ldap.filter.escape_filter_chars` (or `escape_dn_chars` for DNs).",
            hit.subject,
            taint_sink::source(ctx, hit),
            META.cwe_list()
        )
    }
}
