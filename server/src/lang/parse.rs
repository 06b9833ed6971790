//! Full and incremental parsing with tree-sitter.

use std::cell::RefCell;

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

thread_local! {
    /// One parser per language and thread for `parse_str`: a new parser per file costs an
    /// allocation of tree-sitter's parser state (with its parse-table cache), which also makes
    /// glibc consolidate the chunks freed with the previous tree. tree-sitter resets a parser
    /// and creates a new external scanner at the start of every parse, so the trees are the same.
    static PARSERS: RefCell<Vec<(Language, Parser)>> = const { RefCell::new(Vec::new()) };
}

/// Parses a string from scratch. Returns `None` for plain text.
pub fn parse_str(language: Language, source: &str) -> Option<Tree> {
    PARSERS.with(|parsers| {
        let Ok(mut parsers) = parsers.try_borrow_mut() else {
            return parser_for(language)?.parse(source, None);
        };
        let index = match parsers.iter().position(|(l, _)| *l == language) {
            Some(index) => index,
            None => {
                parsers.push((language, parser_for(language)?));
                parsers.len() - 1
            }
        };
        let parser = &mut parsers[index].1;
        parser.reset();
        parser.parse(source, None)
    })
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

    /// What tree-sitter did to reparse a text after a one-character insertion.
    struct Reparse {
        /// Tokens the lexer produced.
        lexed: usize,
        /// Tokens and reused subtrees pushed onto the parse stack.
        shifted: usize,
        /// Whether the incremental tree equals a full parse of the edited text.
        same: bool,
    }

    /// Reparses `source` after inserting `x` at `line` and `column`, counting the parser's work
    /// through its logger.
    fn reparse_after_insert(source: &str, line: usize, column: usize) -> Reparse {
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
        let shifted = Arc::new(AtomicUsize::new(0));
        let (lex_counter, shift_counter) = (Arc::clone(&lexed), Arc::clone(&shifted));
        parser.set_logger(Some(Box::new(move |kind, message| {
            if kind != LogType::Parse {
                return;
            }
            if message.starts_with("lexed_lookahead") {
                lex_counter.fetch_add(1, Ordering::Relaxed);
            } else if message.starts_with("shift") {
                shift_counter.fetch_add(1, Ordering::Relaxed);
            }
        })));
        let reparsed = parser.parse(&edited, Some(&old)).expect("reparses");
        let full = parse_str(Language::Python, &edited).expect("parses");
        Reparse {
            lexed: lexed.load(Ordering::Relaxed),
            shifted: shifted.load(Ordering::Relaxed),
            same: reparsed.root_node().to_sexp() == full.root_node().to_sexp(),
        }
    }

    /// The vendored tree-sitter patch (vendor/README.md): an edit at the first token of an indented
    /// block re-lexes a few tokens around it, not the rest of the file. Unpatched, this edit made
    /// the parser lex every token after it (about 10 per function here).
    #[test]
    fn an_edit_at_the_start_of_a_block_does_not_relex_the_rest_of_the_file() {
        let source = module(2_000);
        let first_statement_of_f10 = 10 * 4 + 1;
        let at_start = reparse_after_insert(&source, first_statement_of_f10, 4);
        assert!(
            at_start.same,
            "the incremental tree differs from a full parse"
        );
        // Re-lexing the `def` keyword of each later function is tree-sitter's baseline cost (the
        // module's repetition nodes are never reused); the unpatched parser lexed ~10x more.
        assert!(
            at_start.lexed < 2 * 2_000,
            "lexed {} tokens after a one-character edit",
            at_start.lexed
        );
        // A mid-statement edit, for comparison, costs the same baseline.
        let mid_token = reparse_after_insert(&source, first_statement_of_f10, 5);
        assert!(mid_token.same);
        assert!(
            at_start.lexed <= mid_token.lexed + 20,
            "{} tokens vs {} for a mid-token edit",
            at_start.lexed,
            mid_token.lexed
        );
    }

    /// `units` repetitions of a decorated function, a class with methods and module-level
    /// statements between them.
    fn mixed_module(units: usize) -> String {
        (0..units)
            .map(|i| {
                format!(
                    "@route(\"/items/{i}\")\n\
                     def handler_{i}(request):\n\
                     \x20   payload = request.args.get(\"name\", \"\")\n\
                     \x20   return respond(payload, {i})\n\
                     \n\
                     LIMIT_{i} = {i} * 2\n\
                     \n\
                     class Record{i}(Base):\n\
                     \x20   size: int = {i}\n\
                     \n\
                     \x20   def describe(self):\n\
                     \x20       if self.size:\n\
                     \x20           return str(self.size)\n\
                     \x20       return \"\"\n\
                     \n\
                     register(handler_{i})\n\
                     \n"
                )
            })
            .collect()
    }

    /// Top-level statements in one unit of `mixed_module`.
    const STATEMENTS_PER_UNIT: usize = 4;

    /// The vendored tree-sitter patch `reuse-after-relexing-the-first-token.patch`
    /// (vendor/README.md): after a keystroke in a function's body, each later top-level statement
    /// is reused whole, for at most one token lexed (its first) and one subtree shifted.
    /// Unpatched, the parser shifted two to three pieces of each (the decorator, the `def`, the
    /// class body, ...). Since `reuse-repeat-nodes.patch`, most are not even visited: the
    /// module's repetition nodes are reused whole (see the edit-chain test below).
    #[test]
    fn a_keystroke_in_a_body_reuses_each_later_statement_whole() {
        // Line 2 of unit 3 is `    payload = …` in `handler_3`; column 8 is inside `payload`.
        let line = 3 * 17 + 2;
        let small = reparse_after_insert(&mixed_module(200), line, 8);
        let large = reparse_after_insert(&mixed_module(2_000), line, 8);
        assert!(
            small.same && large.same,
            "the incremental tree differs from a full parse"
        );
        let more_statements = (2_000 - 200) * STATEMENTS_PER_UNIT;
        assert!(
            large.lexed - small.lexed <= more_statements + 10
                && large.shifted - small.shifted <= more_statements + 10,
            "200 units: {} lexed, {} shifted; 2000 units: {} lexed, {} shifted",
            small.lexed,
            small.shifted,
            large.lexed,
            large.shifted
        );
    }

    /// One edit of a chain: what the incremental reparse did, counted through the logger.
    struct ChainStep {
        lexed: usize,
        shifted: usize,
        /// Whether the parse started again without reusing repetition nodes (vendor/README.md,
        /// `reuse-repeat-nodes.patch`): it had to recover from an error after reusing one.
        restarted: bool,
    }

    /// Replaces `range` of `text` by `inserted`, edits `tree` to match and reparses it
    /// incrementally, asserting that the new tree equals a full parse of the new text node by
    /// node (kind, byte and point range, field).
    fn chain_step(
        text: &mut String,
        tree: &mut Tree,
        range: std::ops::Range<usize>,
        inserted: &str,
    ) -> ChainStep {
        let point = |text: &str, offset: usize| {
            let before = &text.as_bytes()[..offset];
            let row = before.iter().filter(|&&b| b == b'\n').count();
            let start = before
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |i| i + 1);
            Point::new(row, offset - start)
        };
        let mut edited = text.clone();
        edited.replace_range(range.clone(), inserted);
        tree.edit(&InputEdit {
            start_byte: range.start,
            old_end_byte: range.end,
            new_end_byte: range.start + inserted.len(),
            start_position: point(text, range.start),
            old_end_position: point(text, range.end),
            new_end_position: point(&edited, range.start + inserted.len()),
        });
        let mut parser = parser_for(Language::Python).expect("python has a grammar");
        let counts = Arc::new([
            AtomicUsize::new(0),
            AtomicUsize::new(0),
            AtomicUsize::new(0),
        ]);
        let counter = Arc::clone(&counts);
        parser.set_logger(Some(Box::new(move |kind, message| {
            if kind != LogType::Parse {
                return;
            }
            let slot = if message.starts_with("lexed_lookahead") {
                0
            } else if message.starts_with("shift") {
                1
            } else if message.starts_with("restart_without_repeat_reuse") {
                2
            } else {
                return;
            };
            counter[slot].fetch_add(1, Ordering::Relaxed);
        })));
        let reparsed = parser.parse(&edited, Some(tree)).expect("reparses");
        let full = parse_str(Language::Python, &edited).expect("parses");
        assert_eq!(
            nodes(&reparsed),
            nodes(&full),
            "after replacing {range:?} by {inserted:?}"
        );
        *text = edited;
        *tree = reparsed;
        ChainStep {
            lexed: counts[0].load(Ordering::Relaxed),
            shifted: counts[1].load(Ordering::Relaxed),
            restarted: counts[2].load(Ordering::Relaxed) > 0,
        }
    }

    /// Every node in pre-order: kind, byte and point range, field name.
    fn nodes(tree: &Tree) -> Vec<(u16, usize, usize, Point, Point, Option<String>)> {
        let mut out = Vec::new();
        let mut cursor = tree.walk();
        loop {
            let node = cursor.node();
            out.push((
                node.kind_id(),
                node.start_byte(),
                node.end_byte(),
                node.start_position(),
                node.end_position(),
                cursor.field_name().map(str::to_owned),
            ));
            if cursor.goto_first_child() {
                continue;
            }
            while !cursor.goto_next_sibling() {
                if !cursor.goto_parent() {
                    return out;
                }
            }
        }
    }

    /// The byte offset of `line` (0-based) and `column` in `text`.
    fn offset(text: &str, line: usize, column: usize) -> usize {
        text.split_inclusive('\n')
            .take(line)
            .map(str::len)
            .sum::<usize>()
            + column
    }

    /// The vendored patch `reuse-repeat-nodes.patch` (vendor/README.md): on a chain of
    /// keystrokes in a function's body, each reparse reuses the module's repetition nodes
    /// (which hold the statements before and after the edit) whole, so it costs the same in a
    /// module of 200 and of 2,000 units. Without it, every later top-level statement was
    /// visited: one token lexed and one subtree shifted each.
    #[test]
    fn keystrokes_on_an_edit_chain_cost_the_same_in_a_small_and_a_large_module() {
        let last_steps: Vec<ChainStep> = [200, 2_000]
            .into_iter()
            .map(|units| {
                let mut text = mixed_module(units);
                let mut tree = parse_str(Language::Python, &text).expect("parses");
                // Line 2 of unit 3 is `    payload = …` in `handler_3`; column 8 is inside it.
                let at = offset(&text, 3 * 17 + 2, 8);
                let mut last = None;
                for step in 0..6 {
                    let range = if step % 2 == 0 { at..at } else { at..at + 1 };
                    let inserted = if step % 2 == 0 { "x" } else { "" };
                    last = Some(chain_step(&mut text, &mut tree, range, inserted));
                }
                last.expect("six steps")
            })
            .collect();
        let (small, large) = (&last_steps[0], &last_steps[1]);
        assert!(!small.restarted && !large.restarted);
        assert!(
            large.lexed <= small.lexed + 10 && large.shifted <= small.shifted + 10,
            "200 units: {} lexed, {} shifted; 2000 units: {} lexed, {} shifted",
            small.lexed,
            small.shifted,
            large.lexed,
            large.shifted
        );
    }

    /// The safety part of `reuse-repeat-nodes.patch`: an edit that makes the parse recover from
    /// an error after it has reused repetition nodes (here, a `)` typed at the start of a
    /// top-level line far below an earlier keystroke) restarts that parse without reusing them,
    /// so the tree is the unpatched parser's; error-free edits reuse them again (removing the
    /// error reparses the statements around it, the next keystroke costs as before). Each
    /// step's tree equals a full parse.
    #[test]
    fn an_error_after_reused_repetitions_restarts_the_parse_without_them() {
        let mut text = mixed_module(300);
        let mut tree = parse_str(Language::Python, &text).expect("parses");
        let body = offset(&text, 3 * 17 + 2, 8);
        let first = chain_step(&mut text, &mut tree, body..body, "x");
        assert!(!first.restarted);
        // Line 5 of unit 200 is `LIMIT_200 = 200 * 2`.
        for inserted in [")", "else:", "def "] {
            let line = offset(&text, 200 * 17 + 5, 0);
            let broken = chain_step(&mut text, &mut tree, line..line, inserted);
            assert!(broken.restarted, "{inserted:?} did not restart the parse");
            let fixed = chain_step(&mut text, &mut tree, line..line + inserted.len(), "");
            assert!(!fixed.restarted);
            let keystroke = chain_step(&mut text, &mut tree, body..body + 1, "y");
            assert!(!keystroke.restarted);
            assert!(
                keystroke.shifted < 100,
                "{} subtrees shifted by a keystroke after removing {inserted:?}",
                keystroke.shifted
            );
        }
    }

    /// The soundness part of `reuse-repeat-nodes.patch`: the rebalancing of a repetition of a
    /// sequence (`, name` in an import list, `, "name"` in a list) regroups its nodes into ones
    /// no grammar rule derives, which must not be reused whole. Keystrokes in each name, on a
    /// chain, reparse like a full parse (without the soundness checks, the first keystroke in
    /// the second name of the import list already did not).
    #[test]
    fn keystrokes_in_long_lists_reparse_like_a_full_parse() {
        let names: Vec<String> = (0..40).map(|i| format!("Name{i}")).collect();
        let mut text = String::from("from django.http.response import (\n");
        for name in &names {
            text.push_str(&format!("    {name},\n"));
        }
        text.push_str(")\n\n__all__ = [\n");
        for name in &names {
            text.push_str(&format!("    \"{name}\",\n"));
        }
        text.push_str("]\n");
        let mut tree = parse_str(Language::Python, &text).expect("parses");
        let starts: Vec<usize> = text.match_indices("Name").map(|(at, _)| at + 2).collect();
        for at in starts {
            chain_step(&mut text, &mut tree, at..at, "x");
            chain_step(&mut text, &mut tree, at..at + 1, "");
        }
    }

    /// The same edit in each kind of statement of the mixed module: the tree always equals a
    /// full parse.
    #[test]
    fn keystrokes_across_a_mixed_module_reparse_like_a_full_parse() {
        let source = mixed_module(40);
        for (line, text) in source.lines().enumerate().take(17 * 3) {
            for column in [0, text.len() / 2, text.len()] {
                let reparse = reparse_after_insert(&source, line, column);
                assert!(reparse.same, "line {line} column {column}: {text:?}");
            }
        }
    }

    /// The vendored patch `parse-table-cache.patch` (vendor/README.md) caches parse-table
    /// lookups in the parser by state and symbol, so setting another language must clear it. One
    /// parser that goes from language to language over the repository's scripts, examples and
    /// fixtures parses each file as a fresh parser does, and so does `parse_str` with its
    /// per-thread parsers. (Without the clearing, Python's entries left in the cache change the
    /// trees of `examples/java/AccountServlet.java`.)
    #[test]
    fn reused_parsers_parse_like_a_fresh_one() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut files = Vec::new();
        for dir in [
            "scripts",
            "examples/java",
            "tests/fixtures/python",
            "tests/fixtures/java",
            "tests/fixtures/javascript",
        ] {
            let mut paths: Vec<_> = std::fs::read_dir(root.join(dir))
                .expect("a directory of the repository")
                .map(|entry| entry.expect("readable").path())
                .collect();
            paths.sort();
            files.extend(paths.into_iter().filter_map(|path| {
                let language = Language::from_path(&path)?;
                language.grammar()?;
                Some((path.clone(), language, std::fs::read_to_string(&path).ok()?))
            }));
        }
        assert!(files.len() > 20, "{} files", files.len());
        let mut parser = Parser::new();
        for (path, language, text) in files.iter().chain(files.iter().rev()) {
            let grammar = language.grammar().expect("a grammar");
            parser.set_language(&grammar).expect("a compatible grammar");
            let switched = parser.parse(text, None).expect("parses");
            let reused = parse_str(*language, text).expect("parses");
            let fresh = parser_for(*language)
                .and_then(|mut fresh| fresh.parse(text, None))
                .expect("parses");
            let fresh = fresh.root_node().to_sexp();
            assert_eq!(switched.root_node().to_sexp(), fresh, "{}", path.display());
            assert_eq!(reused.root_node().to_sexp(), fresh, "{}", path.display());
        }
    }
}
