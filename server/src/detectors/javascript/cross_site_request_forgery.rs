//! `javascript/cross-site-request-forgery@v1.0`: cookie sessions without CSRF protection.

use crate::analysis::{Call, Constant, Value};
use crate::detectors::{Context, Detector, DetectorMeta, Hit};
use crate::finding::{Category, Severity};
use crate::lang::Language;

use super::support::field_range;

/// The detector.
pub static CROSS_SITE_REQUEST_FORGERY: CrossSiteRequestForgery = CrossSiteRequestForgery;

/// Flags CSRF middleware told to skip unsafe methods, and cookie sessions in apps with
/// state-changing routes but no CSRF protection.
pub struct CrossSiteRequestForgery;

static META: DetectorMeta = DetectorMeta {
    id: "javascript/cross-site-request-forgery@v1.0",
    name: "Cross-site request forgery",
    language: Language::JavaScript,
    severity: Severity::High,
    cwes: &[352],
    category: Category::Security,
    express: true,
    docs: r#"## What it does
Flags CSRF protection that is turned off or bypassed:
- `csurf({ ignoreMethods: [...] })` (and `@dr.pogodin/csurf`, `csrf-csrf`'s `ignoredMethods`) listing a
  state-changing method (`POST`, `PUT`, `PATCH`, `DELETE`);
- `lusca({ csrf: false })`;
- an Express app in one file that keeps a cookie session (`express-session` or
  `cookie-session`) and registers state-changing routes (`app.post`/`put`/`patch`/`delete`)
  without any CSRF middleware (`csurf`, `csrf-csrf`, `csrf-sync`, `tiny-csrf`, `lusca`) and
  without a `sameSite: 'strict'` or `'lax'` session cookie — reported on the session middleware.

The catalogue gives no CWE; Codeward uses CWE-352. It does not see protection configured in
another module (a shared middleware file) — suppress the finding there — and does not check token
APIs that do not depend on cookies (bearer tokens are not sent automatically and need no CSRF
protection).

## Why is this bad?
Browsers attach the session cookie to requests any other site makes: a page the user visits can
submit forms to the application and change passwords, transfer money or delete data as the user.

## Example
```javascript
app.use(session({ secret, cookie: { secure: true } }));
app.post("/transfer", (req, res) => { /* ... */ });
```

## Use instead
```javascript
app.use(session({ secret, cookie: { secure: true, sameSite: "lax" } }));
app.use(csrfSynchronisedProtection); // csrf-sync, or csurf, or lusca.csrf()
app.post("/transfer", (req, res) => { /* ... */ });
```

## Fix safety
There is no automatic fix: CSRF tokens need changes in forms and clients.

## References
- [CWE-352: Cross-Site Request Forgery](https://cwe.mitre.org/data/definitions/352.html)
- [OWASP CSRF Prevention Cheat Sheet](https://cheatsheetseries.owasp.org/cheatsheets/Cross-Site_Request_Forgery_Prevention_Cheat_Sheet.html)
"#,
};

const CSRF_MODULES: &[&str] = &[
    "csurf",
    "csrf-csrf",
    "csrf-sync",
    "tiny-csrf",
    "lusca",
    "@dr.pogodin/csurf",
    "csrf",
];

const UNSAFE_METHODS: &[&str] = &["POST", "PUT", "PATCH", "DELETE"];

const SESSIONS: &[&str] = &["express-session", "cookie-session"];

fn ignores_unsafe(value: &Value) -> bool {
    matches!(&value.constant, Some(Constant::List(items)) if items.iter().any(|i| {
        i.as_str().is_some_and(|m| UNSAFE_METHODS.contains(&m.to_ascii_uppercase().as_str()))
    }))
}

fn misconfigured(ctx: &Context<'_>, call: &Call) -> Option<Hit> {
    let module = call.name.as_str();
    if matches!(
        module,
        "csurf" | "@dr.pogodin/csurf" | "csrf-csrf.doubleCsrf"
    ) {
        let key = ["ignoreMethods", "ignoredMethods"]
            .into_iter()
            .find(|k| call.args.iter().any(|a| a.value.field(k).is_some()))?;
        let options = call.args.iter().find(|a| a.value.field(key).is_some())?;
        let value = options.value.field(key)?;
        return ignores_unsafe(value).then(|| {
            Hit::new(field_range(ctx, options, key), "ignoreMethods")
                .with_anchor(call.range.clone())
        });
    }
    if module == "lusca" {
        let options = call.positional(0)?;
        let off = matches!(
            options.value.field("csrf")?.constant,
            Some(Constant::Bool(false))
        );
        return off.then(|| {
            Hit::new(field_range(ctx, options, "csrf"), "lusca csrf: false")
                .with_anchor(call.range.clone())
        });
    }
    None
}

/// Whether session options set a `sameSite` of `strict` or `lax` (or `true`, which is strict).
fn same_site(call: &Call) -> bool {
    call.args.iter().any(|a| {
        let cookie = a.value.field("cookie").unwrap_or(&a.value);
        match cookie.field("sameSite").and_then(|v| v.constant.as_ref()) {
            Some(Constant::Str(s)) => matches!(s.to_ascii_lowercase().as_str(), "strict" | "lax"),
            Some(Constant::Bool(b)) => *b,
            _ => false,
        }
    })
}

fn unprotected_session(ctx: &Context<'_>) -> Option<Hit> {
    if CSRF_MODULES.iter().any(|m| ctx.facts.imports.imports(m)) {
        return None;
    }
    let state_changing = ctx.facts.calls.iter().any(|c| {
        matches!(c.method_name(), "post" | "put" | "patch" | "delete")
            && c.receiver.is_some()
            && c.args.len() >= 2
            && c.positional(0)
                .is_some_and(|a| a.value.const_str().is_some_and(|p| p.starts_with('/')))
    });
    if !state_changing {
        return None;
    }
    let session = ctx
        .facts
        .calls
        .iter()
        .find(|c| SESSIONS.contains(&c.name.as_str()))?;
    if same_site(session) {
        return None;
    }
    Some(Hit::new(session.range.clone(), "no csrf").with_anchor(session.range.clone()))
}

impl Detector for CrossSiteRequestForgery {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        let mut hits: Vec<Hit> = ctx
            .facts
            .calls
            .iter()
            .filter_map(|c| misconfigured(ctx, c))
            .collect();
        hits.extend(unprotected_session(ctx));
        hits
    }

    fn message(&self, _ctx: &Context<'_>, hit: &Hit) -> String {
        match hit.subject.as_str() {
            "ignoreMethods" => "CSRF protection is told to skip a state-changing method \
                 (`ignoreMethods`, CWE-352): other sites can send those requests with the user's \
                 cookies. Only ignore `GET`, `HEAD` and `OPTIONS`."
                .to_string(),
            "lusca csrf: false" => "CSRF protection is turned off (`csrf: false`, CWE-352): other \
                 sites can send requests with the user's cookies. Enable `lusca.csrf()`."
                .to_string(),
            _ => "This app keeps a cookie session and has state-changing routes but no CSRF \
                  protection (CWE-352): any site the user visits can send those requests with \
                  the session cookie. Add CSRF middleware (`csrf-sync`, `csurf`, `lusca.csrf`) or \
                  set the session cookie's `sameSite: 'lax'`."
                .to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::CROSS_SITE_REQUEST_FORGERY;
    use crate::config::ScanSettings;
    use crate::engine::{scan_with, Source};
    use crate::lang::Language;

    fn lines(source: &str) -> Vec<usize> {
        let result = scan_with(
            &[&CROSS_SITE_REQUEST_FORGERY],
            Source {
                text: source,
                language: Language::JavaScript,
                path: None,
                tree: None,
            },
            &ScanSettings::default(),
        );
        result
            .findings
            .iter()
            .map(|f| source[..f.range.start].matches('\n').count() + 1)
            .collect()
    }

    #[test]
    fn cookie_sessions_without_csrf_protection_are_flagged_once() {
        let app = "const session = require('express-session');\n\
                   app.use(session({ secret: 's' }));\n\
                   app.post('/transfer', (req, res) => res.end());\n\
                   app.delete('/account', (req, res) => res.end());\n";
        assert_eq!(lines(app), vec![2]);
        let lax = app.replace(
            "{ secret: 's' }",
            "{ secret: 's', cookie: { sameSite: 'lax' } }",
        );
        assert!(lines(&lax).is_empty());
        let protected = format!("const csrf = require('csurf');\n{app}app.use(csrf());\n");
        assert!(lines(&protected).is_empty());
        let read_only = "const session = require('cookie-session');\n\
                         app.use(session({ keys: ['k'] }));\n\
                         app.get('/me', (req, res) => res.end());\n";
        assert!(lines(read_only).is_empty());
    }
}
