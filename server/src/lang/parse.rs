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

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    use tree_sitter::{InputEdit, LogType, Point};

    use super::*;

    /// `functions` two-statement Python functions, one after another.
    fn module(functions: usize) -> String {
        (0..functions)
            .map(|i| format!("def f{i}():\n    payload = {i}\n    y = payload\n\n"))
            .collect()
    }

    /// How many tokens tree-sitter lexes when it reparses `source` after inserting `x` at `line`
    /// and `column`, and whether the result equals a full parse of the edited text.
    fn reparse_after_insert(source: &str, line: usize, column: usize) -> (usize, bool) {
        let offset = source
            .split_inclusive('\n')
            .take(line)
            .map(str::len)
            .sum::<usize>()
            + column;
        let mut edited = source.to_owned();
        edited.insert(offset, 'x');
        let mut old = parse_str(Language::Python, source).expect("python parses");
        let at = Point::new(line, column);
        old.edit(&InputEdit {
            start_byte: offset,
            old_end_byte: offset,
            new_end_byte: offset + 1,
            start_position: at,
            old_end_position: at,
            new_end_position: Point::new(line, column + 1),
        });
        let mut parser = parser_for(Language::Python).expect("python has a grammar");
        let lexed = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&lexed);
        parser.set_logger(Some(Box::new(move |kind, message| {
            if kind == LogType::Parse && message.starts_with("lexed_lookahead") {
                counter.fetch_add(1, Ordering::Relaxed);
            }
        })));
        let reparsed = parser.parse(&edited, Some(&old)).expect("reparses");
        let full = parse_str(Language::Python, &edited).expect("parses");
        (
            lexed.load(Ordering::Relaxed),
            reparsed.root_node().to_sexp() == full.root_node().to_sexp(),
        )
    }

    /// The vendored tree-sitter patch (vendor/README.md): an edit at the first token of an indented
    /// block re-lexes a few tokens around it, not the rest of the file. Unpatched, this edit made
    /// the parser lex every token after it (about 10 per function here).
    #[test]
    fn an_edit_at_the_start_of_a_block_does_not_relex_the_rest_of_the_file() {
        let source = module(2_000);
        let first_statement_of_f10 = 10 * 4 + 1;
        let (lexed, same) = reparse_after_insert(&source, first_statement_of_f10, 4);
        assert!(same, "the incremental tree differs from a full parse");
        // Re-lexing the `def` keyword of each later function is tree-sitter's baseline cost (the
        // module's repetition nodes are never reused); the unpatched parser lexed ~10x more.
        assert!(
            lexed < 2 * 2_000,
            "lexed {lexed} tokens after a one-character edit"
        );
        // A mid-statement edit, for comparison, costs the same baseline.
        let (baseline, same) = reparse_after_insert(&source, first_statement_of_f10, 5);
        assert!(same);
        assert!(
            lexed <= baseline + 20,
            "{lexed} tokens vs {baseline} for a mid-token edit"
        );
    }
}
