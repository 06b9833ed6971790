//! `javascript/session-fixation@v1.0`: identity stored in a session that was not regenerated.

use crate::analysis::{Constant, Store};
use crate::detectors::{Context, Detector, DetectorMeta, Hit};
use crate::finding::{Category, Severity};
use crate::lang::syntax::MAX_DEPTH;
use crate::lang::Language;

/// The detector.
pub static SESSION_FIXATION: SessionFixation = SessionFixation;

/// Flags logins that store the user in `req.session` without `req.session.regenerate`.
pub struct SessionFixation;

static META: DetectorMeta = DetectorMeta {
    id: "javascript/session-fixation@v1.0",
    name: "Session fixation",
    language: Language::JavaScript,
    severity: Severity::Critical,
    cwes: &[384],
    category: Category::Security,
    express: true,
    docs: r#"## What it does
Flags a login that writes the user's identity into the existing session — an assignment to
`req.session.<key>` (or `request.session`, Koa's `ctx.session`) where the key names a user,
account, role or login state (`user`, `userId`, `account`, `authenticated`, `loggedIn`,
`role`, `isAdmin`, ...) — when no enclosing function calls `req.session.regenerate(...)` (or
Passport's `req.login`/`req.logIn`, which regenerate the session since Passport 0.6, or Koa's
`ctx.regenerateSession`).

Clearing values (`= null`, `= undefined`, `= false`) is not flagged. It does not follow
regeneration done in a helper function or middleware elsewhere, and does not look at other
session stores.

## Why is this bad?
If the session id stays the same across login, an attacker who planted or learned it before the
login (a fixed cookie on a shared computer, a subdomain that sets cookies, a leaked URL) is
logged in as the victim as soon as the victim signs in.

## Example
```javascript
app.post("/login", async (req, res) => {
  const user = await authenticate(req.body);
  req.session.userId = user.id;
  res.redirect("/");
});
```

## Use instead
```javascript
app.post("/login", async (req, res, next) => {
  const user = await authenticate(req.body);
  req.session.regenerate((err) => {
    if (err) return next(err);
    req.session.userId = user.id;
    res.redirect("/");
  });
});
```

## Fix safety
There is no automatic fix: the rest of the handler has to move into the `regenerate` callback.

## References
- [CWE-384: Session Fixation](https://cwe.mitre.org/data/definitions/384.html)
- [OWASP Session Management Cheat Sheet](https://cheatsheetseries.owasp.org/cheatsheets/Session_Management_Cheat_Sheet.html#renew-the-session-id-after-any-privilege-level-change)
"#,
};

/// Session objects of request-like values.
const SESSIONS: &[&str] = &[
    "req.session.",
    "request.session.",
    "ctx.session.",
    "this.session.",
];

/// Words of session keys that record who is logged in.
const IDENTITY: &[&str] = &[
    "user",
    "uid",
    "account",
    "auth",
    "logged",
    "login",
    "role",
    "admin",
    "principal",
    "identity",
];

/// Calls that give the session a new id.
fn regenerates(name: &str) -> bool {
    name.ends_with("session.regenerate")
        || name.ends_with("regenerateSession")
        || name.ends_with(".logIn")
        || name.ends_with(".login") && (name.starts_with("req.") || name.starts_with("request."))
}

fn identity_key(target: &str) -> Option<&str> {
    let key = SESSIONS.iter().find_map(|s| target.strip_prefix(s))?;
    let top = key.split(['.', '[']).next().unwrap_or(key);
    let lower = top.to_ascii_lowercase();
    IDENTITY.iter().any(|w| lower.contains(w)).then_some(top)
}

fn hit_of(ctx: &Context<'_>, store: &Store) -> Option<Hit> {
    let key = identity_key(&store.target)?;
    if matches!(
        store.value.constant,
        Some(Constant::Null | Constant::Bool(false))
    ) {
        return None;
    }
    let mut node = ctx.node_at(store.range.clone())?;
    for _ in 0..MAX_DEPTH {
        let Some(parent) = node.parent() else {
            break;
        };
        node = parent;
        if matches!(
            node.kind(),
            "arrow_function" | "function_expression" | "function_declaration" | "method_definition"
        ) {
            let span = node.byte_range();
            let safe = ctx.facts.calls.iter().any(|c| {
                c.range.start >= span.start && c.range.end <= span.end && regenerates(&c.name)
            });
            if safe {
                return None;
            }
        }
    }
    Some(Hit::new(store.target_range.clone(), key).with_anchor(store.range.clone()))
}

impl Detector for SessionFixation {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        ctx.facts
            .stores
            .iter()
            .filter_map(|s| hit_of(ctx, s))
            .collect()
    }

    fn message(&self, _ctx: &Context<'_>, hit: &Hit) -> String {
        format!(
            "The login state is stored in the session (`{}`) without giving the session a new id \
             (CWE-384): an attacker who fixed or learned the id before login takes over the \
             logged-in session. Call `req.session.regenerate(...)` and set the value in its \
             callback.",
            hit.subject
        )
    }
}
