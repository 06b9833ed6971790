//! `javascript/improper-input-validation@v1.0`: untrusted data used as a regular expression.

use std::ops::Range;

use crate::analysis::{Call, CallKind, Origin, SinkKind, SourceKind};
use crate::detectors::{Context, Detector, DetectorMeta, Hit};
use crate::finding::{Applicability, Category, Edit, Fix, Severity};
use crate::lang::syntax::MAX_DEPTH;
use crate::lang::Language;

use super::support::{hit_on, is_browser_origin, origin_sentence, tainted_where};

/// The detector.
pub static IMPROPER_INPUT_VALIDATION: ImproperInputValidation = ImproperInputValidation;

/// Flags request data compiled into a regular expression without escaping.
pub struct ImproperInputValidation;

/// What the fix appends to a pattern: every regex metacharacter gets a backslash.
const ESCAPE: &str = r#".replace(/[.*+?^${}()|[\]\\]/g, "\\$&")"#;

static META: DetectorMeta = DetectorMeta {
    id: "javascript/improper-input-validation@v1.0",
    name: "Improper input validation",
    language: Language::JavaScript,
    severity: Severity::Medium,
    cwes: &[20, 1333],
    category: Category::Security,
    express: true,
    docs: r#"## What it does
Flags web request data (Express, Koa, Fastify, Node `http`, `postMessage`) used as the pattern of
a regular expression — `new RegExp(p)` or `RegExp(p)` — without escaping: the input is accepted
as a program for the regex engine where a literal search string was meant. This follows the
catalogue's example for this detector; CodeGuru's description is broader ("unintended input"),
Codeward keeps to this precise, checkable case. The catalogue gives no severity or CWE for
JavaScript; Codeward uses Medium (denial of service, per the severity definitions) and CWE-20
with CWE-1333 (inefficient regular expression complexity).

Not flagged: patterns escaped with `escape-string-regexp`, `lodash.escapeRegExp`, `RegExp.escape`
or the `s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')` idiom (also inside a local helper), numbers,
allow-listed values, constants, command-line arguments (a tool's user may pass a regex on
purpose), and the visitor's own page data (`location`) in browser code. Any non-constant pattern
is `javascript/non-literal-regular-expression`'s concern; `str.match(s)`/`str.search(s)`, which
also compile a string argument, are not covered.

## Why is this bad?
Node runs requests on one thread. A pattern such as `(a+)+$` makes the backtracking engine take
exponential time on a short input, stalling every request of the server (ReDoS). A pattern also
changes what is matched: a check like `new RegExp("^" + req.query.prefix)` accepts anything when
the prefix is `.*`, so a validation built on it passes input it should refuse.

## Example
```javascript
app.get("/search", (req, res) => {
  const re = new RegExp(req.query.q, "i");
  res.json(items.filter((item) => re.test(item.name)));
});
```

## Use instead
```javascript
const escapeStringRegexp = require("escape-string-regexp");
app.get("/search", (req, res) => {
  const re = new RegExp(escapeStringRegexp(req.query.q), "i");
  res.json(items.filter((item) => re.test(item.name)));
});
```

## Fix safety
The fix escapes the untrusted expression where it is written in the pattern (`req.query.q` in
`"^" + req.query.q`) with
`String(p).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")`, so it matches the text literally; data that
reaches the pattern through a variable or a helper gets no fix (it may be mixed with intended
regex syntax there). It is
unsafe: a feature that meant to accept regular expressions from users changes behaviour (such a
feature needs a linear-time engine like `re2` instead).

## References
- [CWE-20: Improper Input Validation](https://cwe.mitre.org/data/definitions/20.html)
- [CWE-1333: Inefficient Regular Expression Complexity](https://cwe.mitre.org/data/definitions/1333.html)
- [OWASP: Regular expression Denial of Service](https://owasp.org/www-community/attacks/Regular_expression_Denial_of_Service_-_ReDoS)
"#,
};

/// Remote senders: clients of a server and other pages, not the page's own visitor.
fn remote(origin: &Origin) -> bool {
    matches!(origin.kind, SourceKind::Request | SourceKind::Network) && !is_browser_origin(origin)
}

/// Whether a call compiles its first argument as a pattern.
fn is_regexp(call: &Call) -> bool {
    call.name == "RegExp" && matches!(call.kind, CallKind::Constructor | CallKind::Function)
}

/// The expression to escape: the untrusted expression written inside the pattern argument
/// (`req.query.q` in `'^' + req.query.q`, the whole property chain). Data that reaches the
/// pattern through variables or calls may be mixed with intended regex syntax there, so it is
/// left to the developer.
fn escapable(ctx: &Context<'_>, hit: &Hit) -> Option<Range<usize>> {
    let origin = hit.origin.as_ref()?;
    let inside = hit.range.start <= origin.range.start && origin.range.end <= hit.range.end;
    if !inside {
        return None;
    }
    let mut node = ctx.node_at(origin.range.clone())?;
    for _ in 0..MAX_DEPTH {
        let Some(parent) = node.parent() else {
            break;
        };
        let is_object = matches!(parent.kind(), "member_expression" | "subscript_expression")
            && parent.child_by_field_name("object") == Some(node);
        let called = parent.parent().is_some_and(|g| {
            g.kind() == "call_expression" && g.child_by_field_name("function") == Some(parent)
        });
        if !is_object || called || parent.end_byte() > hit.range.end {
            break;
        }
        node = parent;
    }
    Some(node.byte_range())
}

fn hit_of(call: &Call) -> Option<Hit> {
    if !is_regexp(call) {
        return None;
    }
    let arg = call.positional(0)?;
    let origin = tainted_where(&arg.value, SinkKind::Regex, remote)?;
    Some(hit_on(call, arg.range.clone(), origin))
}

impl Detector for ImproperInputValidation {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        ctx.facts.calls.iter().filter_map(hit_of).collect()
    }

    fn message(&self, ctx: &Context<'_>, hit: &Hit) -> String {
        format!(
            "Untrusted data is compiled as a regular expression by `{}` (CWE-20): a crafted \
             pattern backtracks for minutes and blocks the server (ReDoS), or matches what a \
             check should refuse.{} Escape it (`escape-string-regexp`, `lodash.escapeRegExp`) \
             so it is matched literally.",
            hit.subject,
            origin_sentence(ctx, hit)
        )
    }

    fn fix(&self, ctx: &Context<'_>, hit: &Hit) -> Vec<Fix> {
        let Some(target) = escapable(ctx, hit) else {
            return Vec::new();
        };
        let Some(text) = ctx.source.get(target.clone()) else {
            return Vec::new();
        };
        if text.contains('\n') {
            return Vec::new();
        }
        vec![Fix::new(
            "Escape the untrusted part of the pattern so it matches literally",
            vec![Edit::replace(target, format!("String({text}){ESCAPE}"))],
            Applicability::Unsafe,
        )]
    }
}
