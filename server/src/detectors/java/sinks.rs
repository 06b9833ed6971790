//! Taint sinks shared by the Java injection detectors: a table of (class, method, arguments)
//! matched against resolved calls, and the hits and messages built from them.

use crate::analysis::{Call, CallKind, Origin, SinkKind, Taint};
use crate::detectors::{describe_origin, Context, Hit};

/// Which part of a call carries the dangerous value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// The n-th positional argument.
    Arg(usize),
    /// Every argument.
    AllArgs,
    /// The receiver object (`url.openStream()` on a URL built from input).
    Receiver,
}

/// One sink: a class (qualified, `javax.`/`jakarta.` interchangeable), a method (empty for a
/// constructor) and the parts that must not carry tainted data.
#[derive(Debug, Clone, Copy)]
pub struct Sink {
    /// The qualified class.
    pub class: &'static str,
    /// The method name, or `""` for `new Class(...)`.
    pub method: &'static str,
    /// The dangerous parts.
    pub parts: &'static [Part],
}

/// A sink matched by a class and method.
pub const fn sink(class: &'static str, method: &'static str, parts: &'static [Part]) -> Sink {
    Sink {
        class,
        method,
        parts,
    }
}

/// `jakarta.` is the same API as `javax.`.
fn normalize(class: &str) -> std::borrow::Cow<'_, str> {
    match class.strip_prefix("jakarta.") {
        Some(rest) => std::borrow::Cow::Owned(format!("javax.{rest}")),
        None => std::borrow::Cow::Borrowed(class),
    }
}

/// Whether a resolved class name is `spec`: equal (modulo `jakarta.`), or the same simple name
/// when the file did not let the analysis qualify it.
pub fn class_is(actual: &str, spec: &str) -> bool {
    let actual = normalize(actual);
    let spec = normalize(spec);
    if actual == spec {
        return true;
    }
    let simple = spec.rsplit('.').next().unwrap_or(&spec);
    !actual.contains('.') && actual == simple
}

/// The class part and method of a call (`java.io.File` and `""` for a constructor).
pub fn split_call(call: &Call) -> (&str, &str) {
    if call.kind == CallKind::Constructor {
        return (call.name.as_str(), "");
    }
    match call.name.rsplit_once('.') {
        Some((class, method)) => (class, method),
        None => ("", call.name.as_str()),
    }
}

/// The first sink of `sinks` a call matches.
pub fn matching<'s>(call: &Call, sinks: &'s [Sink]) -> Option<&'s Sink> {
    let (class, method) = split_call(call);
    sinks
        .iter()
        .find(|s| s.method == method && class_is(class, s.class))
}

/// The first origin of `taint` that is dangerous for `kind` (not sanitised for it; any origin
/// when `kind` is `None`) and that `accept` takes.
fn dangerous<'t>(
    taint: &'t Taint,
    kind: Option<SinkKind>,
    accept: &dyn Fn(&Origin) -> bool,
) -> Option<&'t Origin> {
    taint
        .origins()
        .iter()
        .find(|o| kind.is_none_or(|k| !o.sanitized.contains(k)) && accept(o))
}

/// The range and origin of the first part of a call that carries dangerous data (see
/// [`dangerous`]).
pub fn tainted_part<'c>(
    call: &'c Call,
    parts: &[Part],
    kind: Option<SinkKind>,
    accept: &dyn Fn(&Origin) -> bool,
) -> Option<(std::ops::Range<usize>, &'c Origin)> {
    for part in parts {
        match *part {
            Part::Arg(n) => {
                if let Some(arg) = call.args.get(n) {
                    if let Some(origin) = dangerous(&arg.value.taint, kind, accept) {
                        return Some((arg.range.clone(), origin));
                    }
                }
            }
            Part::AllArgs => {
                for arg in &call.args {
                    if let Some(origin) = dangerous(&arg.value.taint, kind, accept) {
                        return Some((arg.range.clone(), origin));
                    }
                }
            }
            Part::Receiver => {
                if let Some(origin) = call
                    .receiver
                    .as_ref()
                    .and_then(|r| dangerous(&r.taint, kind, accept))
                {
                    return Some((call.callee_range.clone(), origin));
                }
            }
        }
    }
    None
}

/// Hits for every call of `sinks` with a part tainted for `kind`, reported on that part.
pub fn taint_hits(ctx: &Context<'_>, sinks: &[Sink], kind: SinkKind) -> Vec<Hit> {
    taint_hits_where(ctx, sinks, Some(kind), &|_| true)
}

/// [`taint_hits`] for the origins `accept` takes; with `kind` `None`, sanitisers for particular
/// sinks do not help (only numeric conversions and allow-lists, which clean data entirely).
pub fn taint_hits_where(
    ctx: &Context<'_>,
    sinks: &[Sink],
    kind: Option<SinkKind>,
    accept: &dyn Fn(&Origin) -> bool,
) -> Vec<Hit> {
    ctx.facts
        .calls
        .iter()
        .filter_map(|call| {
            let sink = matching(call, sinks)?;
            let (range, origin) = tainted_part(call, sink.parts, kind, accept)?;
            Some(
                Hit::new(range, display_name(call))
                    .with_anchor(call.range.clone())
                    .with_origin(Some(origin)),
            )
        })
        .collect()
}

/// A short name of the called API for messages (`File`, `Files.readAllBytes`, `sendRedirect`).
pub fn display_name(call: &Call) -> String {
    let (class, method) = split_call(call);
    let simple = class.rsplit('.').next().unwrap_or(class);
    if method.is_empty() {
        format!("new {simple}")
    } else if simple.is_empty() {
        method.to_string()
    } else {
        format!("{simple}.{method}")
    }
}

/// "web request data (`req.getParameter`, line 4)", or "untrusted data" without an origin.
pub fn source_phrase(ctx: &Context<'_>, hit: &Hit) -> String {
    hit.origin
        .as_ref()
        .map_or_else(|| "untrusted data".to_string(), |o| describe_origin(ctx, o))
}
