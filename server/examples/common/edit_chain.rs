//! Random edit chains for the tree-sitter differential examples (`reparse_diff`, `tree_digest`):
//! a reproducible generator, one random edit applied to a text and its tree, and the incremental
//! reparse that follows it. Included with `#[path]`, so each example keeps its own snippets.

use codeward::lang::Language;
use tree_sitter::{InputEdit, Point, Tree};

/// xorshift64: reproducible without a dependency.
pub struct Rng(pub u64);

impl Rng {
    /// A number below `n` (`n` > 0).
    pub fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

/// One edit of a chain: `start..end` of the old text became `inserted`, giving `edited`.
pub struct Edit {
    pub start: usize,
    pub end: usize,
    pub inserted: &'static str,
    pub edited: String,
}

/// A random edit of `text` (a deletion of 1–8 bytes, an insertion of one of `snippets`, or a
/// replacement of 1–8 bytes by one), told to `tree` as tree-sitter expects before a reparse.
pub fn random_edit(rng: &mut Rng, snippets: &[&'static str], text: &str, tree: &mut Tree) -> Edit {
    let mut start = rng.below(text.len() + 1);
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let kind = rng.below(4);
    let mut end = start;
    if kind == 0 || kind == 3 {
        end = (start + rng.below(8) + 1).min(text.len());
        while !text.is_char_boundary(end) {
            end += 1;
        }
    }
    let inserted = if kind == 0 {
        ""
    } else {
        snippets[rng.below(snippets.len())]
    };
    let mut edited = text.to_owned();
    edited.replace_range(start..end, inserted);
    tree.edit(&InputEdit {
        start_byte: start,
        old_end_byte: end,
        new_end_byte: start + inserted.len(),
        start_position: point_at(text.as_bytes(), start),
        old_end_position: point_at(text.as_bytes(), end),
        new_end_position: point_at(edited.as_bytes(), start + inserted.len()),
    });
    Edit {
        start,
        end,
        inserted,
        edited,
    }
}

/// The incremental reparse of `edited` from the edited `tree`, by a fresh parser.
pub fn reparse(language: Language, edited: &str, tree: &Tree) -> Tree {
    language
        .grammar()
        .and_then(|grammar| {
            let mut parser = tree_sitter::Parser::new();
            parser.set_language(&grammar).ok()?;
            parser.parse(edited, Some(tree))
        })
        .expect("reparses")
}

fn point_at(text: &[u8], offset: usize) -> Point {
    let before = &text[..offset];
    let row = before.iter().filter(|&&b| b == b'\n').count();
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    Point::new(row, offset - line_start)
}
