//! Small syntax-tree helpers shared by the Python detectors that reason about statements
//! (`except` clauses, decorated views) rather than only about calls.

use tree_sitter::Node;

use crate::detectors::Context;
use crate::lang::syntax::MAX_DEPTH;

/// The closest ancestor of `node` (not `node` itself) whose kind is one of `kinds`, stopping at
/// the first ancestor whose kind is in `stop`; bounded by [`MAX_DEPTH`].
pub fn ancestor<'t>(node: Node<'t>, kinds: &[&str], stop: &[&str]) -> Option<Node<'t>> {
    let mut current = node.parent()?;
    for _ in 0..MAX_DEPTH {
        if kinds.contains(&current.kind()) {
            return Some(current);
        }
        if stop.contains(&current.kind()) {
            return None;
        }
        current = current.parent()?;
    }
    None
}

/// The exception types an `except` clause catches, as written (`[]` for a bare `except:`).
pub fn caught_types<'t>(ctx: &Context<'t>, clause: Node<'t>) -> Vec<String> {
    let mut cursor = clause.walk();
    let mut values: Vec<Node<'t>> = clause
        .children_by_field_name("value", &mut cursor)
        .collect();
    if let [only] = values.as_slice() {
        // `except (A, B) as e` as an `as_pattern` in some grammar versions.
        let inner = if only.kind() == "as_pattern" {
            only.named_child(0)
        } else {
            Some(*only)
        };
        values = match inner {
            Some(n) if matches!(n.kind(), "tuple" | "parenthesized_expression") => {
                let mut c = n.walk();
                n.named_children(&mut c).collect()
            }
            Some(n) => vec![n],
            None => Vec::new(),
        };
    }
    values
        .into_iter()
        .map(|n| ctx.node_text(n).split_whitespace().collect::<String>())
        .collect()
}

/// The name an `except ... as name` clause binds, if any.
pub fn except_alias<'t>(ctx: &Context<'t>, clause: Node<'t>) -> Option<&'t str> {
    let alias = match clause.child_by_field_name("alias") {
        Some(alias) => alias,
        None => {
            let value = clause.child_by_field_name("value")?;
            if value.kind() != "as_pattern" {
                return None;
            }
            value.child_by_field_name("alias")?
        }
    };
    let name = if alias.kind() == "as_pattern_target" {
        alias.named_child(0)?
    } else {
        alias
    };
    (name.kind() == "identifier").then(|| ctx.node_text(name))
}

/// Whether an `except` clause catches everything or nearly everything: a bare `except:`,
/// `Exception` or `BaseException` (alone or in a tuple).
pub fn catches_broadly<'t>(ctx: &Context<'t>, clause: Node<'t>) -> bool {
    let types = caught_types(ctx, clause);
    types.is_empty()
        || types.iter().any(|t| {
            matches!(
                t.as_str(),
                "Exception" | "BaseException" | "builtins.Exception" | "builtins.BaseException"
            )
        })
}

/// The body block of an `except` clause.
pub fn clause_body<'t>(clause: Node<'t>) -> Option<Node<'t>> {
    let mut cursor = clause.walk();
    let body = clause
        .named_children(&mut cursor)
        .find(|c| c.kind() == "block");
    body
}

/// Whether a `decorated_definition` is a web view or error handler: decorated with a route-like
/// decorator (`@app.route`, `@bp.get`, `@router.post`, `@app.errorhandler`,
/// `@app.exception_handler`, `@api_view`).
pub fn is_view_definition<'t>(ctx: &Context<'t>, parent: Node<'t>) -> bool {
    if parent.kind() != "decorated_definition" {
        return false;
    }
    let mut cursor = parent.walk();
    let decorated = parent
        .named_children(&mut cursor)
        .filter(|c| c.kind() == "decorator")
        .any(|decorator| {
            let text = ctx.node_text(decorator);
            let callee = text
                .trim_start_matches('@')
                .split('(')
                .next()
                .unwrap_or("")
                .trim();
            let last = crate::analysis::last_segment(callee);
            matches!(
                last,
                "route"
                    | "get"
                    | "post"
                    | "put"
                    | "patch"
                    | "delete"
                    | "api_route"
                    | "websocket"
                    | "errorhandler"
                    | "exception_handler"
                    | "app_errorhandler"
                    | "api_view"
            ) && callee.contains('.') != (last == "api_view")
        });
    decorated
}
