//! Turns a shell command string built from literals and whole-word values (`"ls -l " + path`,
//! `f"ls -l {path}"`) into the source of an argument list (`["ls", "-l", path]`), for fixes that
//! stop going through the shell. Anything the shell would interpret (quotes, pipes, globs,
//! variables) or a value glued to other text makes the conversion refuse.

use tree_sitter::Node;

use crate::detectors::Context;
use crate::lang::syntax::MAX_DEPTH;

/// One piece of the command as written.
enum Piece {
    /// Literal text.
    Literal(String),
    /// An interpolated expression's source text.
    Value(String),
}

const SHELL_SPECIAL: &[char] = &[
    '\'', '"', '\\', '|', '&', ';', '<', '>', '(', ')', '$', '`', '*', '?', '[', ']', '{', '}',
    '~', '#', '!', '\n', '\r',
];

/// The argument-list source for a command expression, or `None` when it cannot be converted
/// without changing what the shell would have run.
pub fn argument_list<'t>(ctx: &Context<'t>, command: Node<'t>) -> Option<String> {
    let mut pieces = Vec::new();
    collect(ctx, command, &mut pieces, 0)?;
    let words = split_words(pieces)?;
    // The program itself must be a literal word.
    if !matches!(words.first(), Some(Piece::Literal(_))) {
        return None;
    }
    let items: Vec<String> = words
        .into_iter()
        .map(|w| match w {
            Piece::Literal(text) => format!("\"{text}\""),
            Piece::Value(source) => source,
        })
        .collect();
    Some(format!("[{}]", items.join(", ")))
}

fn collect<'t>(
    ctx: &Context<'t>,
    node: Node<'t>,
    out: &mut Vec<Piece>,
    depth: usize,
) -> Option<()> {
    if depth > MAX_DEPTH {
        return None;
    }
    match node.kind() {
        "binary_operator" => {
            let op = node.child_by_field_name("operator")?;
            if ctx.node_text(op) != "+" {
                return None;
            }
            collect(ctx, node.child_by_field_name("left")?, out, depth + 1)?;
            collect(ctx, node.child_by_field_name("right")?, out, depth + 1)
        }
        "parenthesized_expression" => collect(ctx, node.named_child(0)?, out, depth + 1),
        "string" => string_pieces(ctx, node, out),
        "identifier" | "attribute" | "subscript" | "call" => {
            out.push(Piece::Value(ctx.node_text(node).to_string()));
            Some(())
        }
        _ => None,
    }
}

fn string_pieces<'t>(ctx: &Context<'t>, node: Node<'t>, out: &mut Vec<Piece>) -> Option<()> {
    let mut cursor = node.walk();
    for part in node.named_children(&mut cursor) {
        match part.kind() {
            "string_start" => {
                let prefix = ctx.node_text(part).to_ascii_lowercase();
                if prefix.contains('b')
                    || prefix.contains('r')
                    || prefix.contains("\"\"\"")
                    || prefix.contains("'''")
                {
                    return None;
                }
            }
            "string_content" => {
                let text = ctx.node_text(part);
                if text.contains(SHELL_SPECIAL) {
                    return None;
                }
                out.push(Piece::Literal(text.to_string()));
            }
            "interpolation" => {
                let mut inner = part.walk();
                if part
                    .named_children(&mut inner)
                    .any(|c| matches!(c.kind(), "format_specifier" | "type_conversion"))
                {
                    return None;
                }
                let expr = part.child_by_field_name("expression")?;
                out.push(Piece::Value(ctx.node_text(expr).to_string()));
            }
            "string_end" => {}
            _ => return None,
        }
    }
    Some(())
}

/// Splits pieces into words at whitespace; a value must be a whole word.
fn split_words(pieces: Vec<Piece>) -> Option<Vec<Piece>> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut after_value = false;
    for piece in pieces {
        match piece {
            Piece::Literal(text) => {
                for c in text.chars() {
                    if c.is_whitespace() {
                        if !current.is_empty() {
                            words.push(Piece::Literal(std::mem::take(&mut current)));
                        }
                        after_value = false;
                    } else if after_value {
                        return None;
                    } else {
                        current.push(c);
                    }
                }
            }
            Piece::Value(source) => {
                if !current.is_empty() || after_value {
                    return None;
                }
                words.push(Piece::Value(source));
                after_value = true;
            }
        }
    }
    if !current.is_empty() {
        words.push(Piece::Literal(current));
    }
    Some(words)
}
