//! `java/untrusted-data-in-decision`: request data stored in the session, where later code trusts it.

use super::sinks::{sink, source_phrase, taint_hits_where, Part, Sink};
use crate::analysis::SourceKind;
use crate::detectors::{Context, Detector, DetectorMeta, Hit};
use crate::finding::{Category, Severity};
use crate::lang::Language;

/// Flags untrusted data stored into `HttpSession` attributes.
pub struct UntrustedDataInDecision;

/// The detector instance.
pub static UNTRUSTED_DATA_IN_DECISION: UntrustedDataInDecision = UntrustedDataInDecision;

static META: DetectorMeta = DetectorMeta {
    id: "java/untrusted-data-in-decision@v1.0",
    name: "Untrusted data in security decision",
    language: Language::Java,
    severity: Severity::Medium,
    cwes: &[501, 807],
    category: Category::Security,
    express: true,
    docs: r#"## What it does
Flags `HttpSession.setAttribute(name, value)` and `putValue` when the name or the value comes from
the client (servlet parameters, headers, cookies, Spring `@RequestParam`-style parameters) without
validation: a numeric conversion, an allow-list check or a comparison with a constant. Escaping
for HTML or SQL does not count: the problem is trusting the data, not its characters. The
catalogue publishes no severity; Codeward uses Medium with CWE-501 (trust boundary violation) and
CWE-807.

It does not know what the attribute is used for later (a display preference stored in the session
is flagged like a role), and does not look at session stores other than `HttpSession`.

## Why is this bad?
Code that reads the session trusts it: it was written by the server. Mixing client values in
(`role`, `userId`, `isAdmin`) lets a client set what later authorisation checks read.

## Example
```java
session.setAttribute("role", request.getParameter("role"));
```

## Use instead
```java
String role = request.getParameter("role");
if (!ROLES_USER_MAY_CHOOSE.contains(role)) {
    throw new SecurityException("bad role");
}
session.setAttribute("role", role);
```

## Fix safety
No automatic fix: what a valid value is depends on the attribute.

## References
- [CWE-501: Trust Boundary Violation](https://cwe.mitre.org/data/definitions/501.html)
- [CWE-807: Reliance on Untrusted Inputs in a Security Decision](https://cwe.mitre.org/data/definitions/807.html)
"#,
};

const NAME_AND_VALUE: &[Part] = &[Part::Arg(1), Part::Arg(0)];
const SESSION: &str = "javax.servlet.http.HttpSession";

/// Session writes.
const SINKS: &[Sink] = &[
    sink(SESSION, "setAttribute", NAME_AND_VALUE),
    sink(SESSION, "putValue", NAME_AND_VALUE),
];

impl Detector for UntrustedDataInDecision {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        taint_hits_where(ctx, SINKS, None, &|o| o.kind == SourceKind::Request)
    }

    fn message(&self, ctx: &Context<'_>, hit: &Hit) -> String {
        format!(
            "Trust boundary violation (CWE-501): `{}` stores {} in the session, where later code \
             treats it as set by the server. Validate it (allow-list, type conversion) before \
             storing it, or keep client values out of the session.",
            hit.subject,
            source_phrase(ctx, hit)
        )
    }
}
