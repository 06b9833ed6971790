//! Full and incremental parsing with tree-sitter.

use ropey::Rope;
use tree_sitter::{Parser, Tree};

use super::Language;

fn parser_for(language: Language) -> Option<Parser> {
    let grammar = language.grammar()?;
    let mut parser = Parser::new();
    // A grammar built into the binary always has a compatible ABI; failing here is a build bug.
    parser.set_language(&grammar).ok()?;
    Some(parser)
}

/// Parses a rope, reusing `old_tree` (already `edit`ed to match the rope) when given.
/// Returns `None` for plain text.
pub fn parse_rope(language: Language, rope: &Rope, old_tree: Option<&Tree>) -> Option<Tree> {
    let mut parser = parser_for(language)?;
    let len = rope.len_bytes();
    parser.parse_with_options(
        &mut |byte: usize, _point| -> &[u8] {
            if byte >= len {
                return &[];
            }
            let (chunk, chunk_start, _, _) = rope.chunk_at_byte(byte);
            &chunk.as_bytes()[byte - chunk_start..]
        },
        old_tree,
        None,
    )
}

/// Parses a string from scratch. Returns `None` for plain text.
pub fn parse_str(language: Language, source: &str) -> Option<Tree> {
    parser_for(language)?.parse(source, None)
}
