//! `java/open-redirect`: untrusted data choosing where the user is redirected.

use super::sinks::{sink, source_phrase, taint_hits, Part, Sink};
use crate::analysis::java::{fixes_destination, PREFIX_FIELD};
use crate::analysis::SinkKind;
use crate::detectors::{Context, Detector, DetectorMeta, Hit};
use crate::finding::{Category, Severity};
use crate::lang::Language;

/// Flags redirects whose target is built from untrusted data.
pub struct OpenRedirect;

/// The detector instance.
pub static OPEN_REDIRECT: OpenRedirect = OpenRedirect;

static META: DetectorMeta = DetectorMeta {
    id: "java/open-redirect@v1.0",
    name: "URL redirection to untrusted site",
    language: Language::Java,
    severity: Severity::Medium,
    cwes: &[601],
    category: Category::Security,
    express: true,
    docs: r#"## What it does
Flags redirects whose target comes from untrusted data (servlet request data, Spring
`@RequestParam`-style parameters): `HttpServletResponse.sendRedirect`, a `Location` header set with
`setHeader` / `addHeader`, Spring `new RedirectView(url)` / `RedirectView.setUrl`, and Spring view
names built as `"redirect:" + url` (`new ModelAndView(...)`, `setViewName`).
A target whose scheme and host are fixed by a constant prefix (`"https://shop.example.com/" + path`)
or that starts with a single `/` followed by a path (`"/account/" + tab`) stays on a known site and
is not flagged; neither is a target checked against an allow-list. The catalogue publishes no
severity; Codeward uses Medium (the attacker needs a victim to follow a link) with CWE-601.

It does not flag `return "redirect:" + url;` from a Spring controller (a return value, not a call),
nor targets validated by a helper that returns a boolean.

## Why is this bad?
A link to `https://your-site/login?next=https://evil.example` looks trustworthy, and after login
the user lands on the attacker's copy of your site, which asks for the password again or serves
malware. OAuth flows leak tokens the same way.

## Example
```java
response.sendRedirect(request.getParameter("next"));
```

## Use instead
```java
String next = request.getParameter("next");
response.sendRedirect(ALLOWED_PAGES.contains(next) ? next : "/home");
```

## Fix safety
No automatic fix: the set of legitimate destinations is the application's decision.

## References
- [CWE-601: URL Redirection to Untrusted Site ('Open Redirect')](https://cwe.mitre.org/data/definitions/601.html)
- [OWASP Unvalidated Redirects and Forwards Cheat Sheet](https://cheatsheetseries.owasp.org/cheatsheets/Unvalidated_Redirects_and_Forwards_Cheat_Sheet.html)
"#,
};

const FIRST: &[Part] = &[Part::Arg(0)];

/// Redirect targets.
const SINKS: &[Sink] = &[
    sink(
        "javax.servlet.http.HttpServletResponse",
        "sendRedirect",
        FIRST,
    ),
    sink(
        "org.springframework.web.servlet.view.RedirectView",
        "",
        FIRST,
    ),
    sink(
        "org.springframework.web.servlet.view.RedirectView",
        "setUrl",
        FIRST,
    ),
];

/// `setHeader("Location", x)` / `addHeader("Location", x)` on a servlet response.
fn location_hits(ctx: &Context<'_>) -> Vec<Hit> {
    const HEADERS: &[Sink] = &[
        sink(
            "javax.servlet.http.HttpServletResponse",
            "setHeader",
            &[Part::Arg(1)],
        ),
        sink(
            "javax.servlet.http.HttpServletResponse",
            "addHeader",
            &[Part::Arg(1)],
        ),
    ];
    taint_hits(ctx, HEADERS, SinkKind::Url)
        .into_iter()
        .filter(|hit| {
            ctx.facts.calls.iter().any(|c| {
                c.range == hit.anchor
                    && c.positional(0)
                        .and_then(|a| a.value.const_str())
                        .is_some_and(|h| h.eq_ignore_ascii_case("location"))
            })
        })
        .collect()
}

/// Spring view names: `new ModelAndView("redirect:" + url)`, `mav.setViewName("redirect:" + url)`.
fn view_hits(ctx: &Context<'_>) -> Vec<Hit> {
    const VIEWS: &[Sink] = &[
        sink(
            "org.springframework.web.servlet.ModelAndView",
            "",
            &[Part::Arg(0)],
        ),
        sink(
            "org.springframework.web.servlet.ModelAndView",
            "setViewName",
            &[Part::Arg(0)],
        ),
    ];
    taint_hits(ctx, VIEWS, SinkKind::Url)
        .into_iter()
        .filter(|hit| {
            ctx.facts.calls.iter().any(|c| {
                c.range == hit.anchor
                    && c.positional(0)
                        .and_then(|a| a.value.field(PREFIX_FIELD))
                        .and_then(|p| p.const_str())
                        .and_then(|p| p.strip_prefix("redirect:"))
                        .is_some_and(|target| !fixes_destination(target))
            })
        })
        .collect()
}

impl Detector for OpenRedirect {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        let mut hits = taint_hits(ctx, SINKS, SinkKind::Url);
        hits.extend(location_hits(ctx));
        hits.extend(view_hits(ctx));
        hits.sort_by_key(|h| h.range.start);
        hits
    }

    fn message(&self, ctx: &Context<'_>, hit: &Hit) -> String {
        format!(
            "Open redirect (CWE-601): the redirect target passed to `{}` comes from {}, so a link \
             to this site can send users to an attacker's page. Redirect only to paths on this \
             site or to targets in an allow-list.",
            hit.subject,
            source_phrase(ctx, hit)
        )
    }
}
