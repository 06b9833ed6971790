//! The content type a servlet declares for the response it writes: `setContentType(...)` or a
//! `Content-Type` header set on a servlet response, read from the string the value starts with
//! (`"text/plain; charset=" + CHARSET` is `text/plain`).

use std::ops::Range;

use tree_sitter::Node;

use super::common::enclosing_class_body;
use crate::analysis::java::string_value;
use crate::analysis::Call;
use crate::detectors::Context;
use crate::lang::syntax::MAX_DEPTH;

/// One content type declaration on a servlet response.
struct Declaration {
    /// Where the call starts.
    at: usize,
    /// The method (or constructor, initialiser) declaring it.
    method: Option<Range<usize>>,
    /// The class body around it.
    class: Option<Range<usize>>,
    /// Whether the declared type is one a browser never renders as a page; `None` when the value
    /// is not a known string.
    inert: Option<bool>,
}

/// Whether a write at `call` goes to a response declared with a content type a browser does not
/// render as a page (`text/plain`, JSON, CSV, images...), so HTML in it never runs:
/// - the last declaration before the write in the same method says so, when that method obtains
///   the response's writer or stream itself;
/// - otherwise (the writer was handed to a helper method), every declaration in the class says
///   so, and there is at least one.
pub fn writes_inert_response(ctx: &Context<'_>, call: &Call) -> bool {
    let declarations = declarations(ctx);
    if declarations.is_empty() {
        return false;
    }
    let method = enclosing_method(ctx, call.range.clone());
    let obtains_writer = ctx.facts.calls.iter().any(|c| {
        is_response_call(c, &["getWriter", "getOutputStream"])
            && enclosing_method(ctx, c.range.clone()) == method
    });
    if obtains_writer {
        return declarations
            .iter()
            .filter(|d| d.method == method && d.at < call.range.start)
            .max_by_key(|d| d.at)
            .is_some_and(|d| d.inert == Some(true));
    }
    let class = enclosing_class(ctx, call.range.clone());
    let mut in_class = declarations.iter().filter(|d| d.class == class).peekable();
    in_class.peek().is_some() && in_class.all(|d| d.inert == Some(true))
}

/// The content type declarations of the file, in source order.
fn declarations(ctx: &Context<'_>) -> Vec<Declaration> {
    ctx.facts
        .calls
        .iter()
        .filter_map(|call| {
            let value = if is_response_call(call, &["setContentType"]) {
                call.positional(0)?
            } else if is_response_call(call, &["setHeader", "addHeader"]) {
                let name = call.positional(0)?.value.const_str()?;
                if !name.eq_ignore_ascii_case("content-type") {
                    return None;
                }
                call.positional(1)?
            } else {
                return None;
            };
            let declared = value
                .value
                .const_str()
                .map(str::to_string)
                .or_else(|| leading_string(ctx, value.range.clone()));
            Some(Declaration {
                at: call.range.start,
                method: enclosing_method(ctx, call.range.clone()),
                class: enclosing_class(ctx, call.range.clone()),
                inert: declared.map(|t| is_inert(&t)),
            })
        })
        .collect()
}

/// A call of one of `methods` on a servlet response (`response.setContentType(...)`).
fn is_response_call(call: &Call, methods: &[&str]) -> bool {
    methods.contains(&call.method_name()) && call.name.contains("ServletResponse")
}

/// The string literal a concatenation starts with (`"text/plain; charset=" + CHARSET`).
fn leading_string(ctx: &Context<'_>, range: Range<usize>) -> Option<String> {
    let mut node: Node<'_> = ctx.node_at(range)?;
    for _ in 0..MAX_DEPTH {
        match node.kind() {
            "string_literal" => return string_value(node, ctx.source),
            "binary_expression" | "parenthesized_expression" => node = node.named_child(0)?,
            _ => return None,
        }
    }
    None
}

/// The range of the method, constructor or initialiser around `range` (lambdas and blocks are
/// part of their method: a content type set before a lambda governs writes inside it).
fn enclosing_method(ctx: &Context<'_>, range: Range<usize>) -> Option<Range<usize>> {
    let mut current = ctx.node_at(range)?.parent();
    while let Some(n) = current {
        if matches!(
            n.kind(),
            "method_declaration"
                | "constructor_declaration"
                | "compact_constructor_declaration"
                | "static_initializer"
        ) {
            return Some(n.byte_range());
        }
        current = n.parent();
    }
    None
}

/// The range of the class body around `range`.
fn enclosing_class(ctx: &Context<'_>, range: Range<usize>) -> Option<Range<usize>> {
    enclosing_class_body(ctx.node_at(range)?).map(|n| n.byte_range())
}

/// Whether a content type is one a browser shows as text or data, never as a page: plain text,
/// CSV, JSON, event streams, binary downloads, raster images, audio and video. HTML, XML (XHTML
/// and SVG run script) and anything else are not.
fn is_inert(content_type: &str) -> bool {
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    matches!(
        essence.as_str(),
        "text/plain"
            | "text/csv"
            | "text/tab-separated-values"
            | "text/event-stream"
            | "application/json"
            | "application/x-ndjson"
            | "application/octet-stream"
            | "application/pdf"
            | "application/zip"
            | "application/gzip"
    ) || essence.ends_with("+json")
        || (["image/", "audio/", "video/", "font/"]
            .iter()
            .any(|p| essence.starts_with(p))
            && !essence.contains("svg"))
}

#[cfg(test)]
mod tests {
    use super::is_inert;

    #[test]
    fn inert_content_types() {
        assert!(is_inert("text/plain"));
        assert!(is_inert("text/plain; charset=UTF-8"));
        assert!(is_inert("Application/JSON"));
        assert!(is_inert("application/problem+json"));
        assert!(is_inert("image/png"));
        assert!(!is_inert("text/html;charset=utf-8"));
        assert!(!is_inert("image/svg+xml"));
        assert!(!is_inert("application/xhtml+xml"));
        assert!(!is_inert("text/xml"));
        assert!(!is_inert(""));
    }
}
