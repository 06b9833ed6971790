//! An open document: rope buffer, language, version and an incrementally maintained syntax tree.

use std::ops::Range;
use std::sync::Arc;

use ropey::Rope;
use tree_sitter::{InputEdit, Point, Tree};

use super::position::{offset_of, Position, PositionEncoding};
use crate::lang::{parse_rope, Language};

/// One content change: replace `range` (or the whole text when `None`) with `text`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextChange {
    /// The replaced range, in positions of the session's encoding; `None` replaces everything.
    pub range: Option<(Position, Position)>,
    /// The new text.
    pub text: String,
}

/// Why a batch of changes was not applied as given.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    /// The new version is not greater than the one held; the changes were still applied in order.
    #[error("version went from {held} to {got}; changes applied in arrival order")]
    VersionNotIncreasing {
        /// The version held before the change.
        held: i32,
        /// The version the client sent.
        got: i32,
    },
}

/// A document held by the server or a file read by the CLI.
#[derive(Debug, Clone)]
pub struct Document {
    rope: Rope,
    language: Language,
    version: i32,
    tree: Option<Tree>,
    /// Whether the text may hold a lone `\r` (one not followed by `\n`): only then do the rope's
    /// lines (which end at `\r` too) differ from tree-sitter's rows. Set from the whole text when
    /// it is replaced, and by any edit that may leave one; never cleared by an edit.
    lone_cr: bool,
}

/// A cheap, immutable copy of a document for a scan running off the message loop.
#[derive(Debug, Clone)]
pub struct Snapshot {
    /// The text.
    pub rope: Rope,
    /// The document's language.
    pub language: Language,
    /// The version this snapshot was taken at.
    pub version: i32,
    /// The syntax tree of exactly this text (`None` for plain text).
    pub tree: Option<Arc<Tree>>,
}

impl Document {
    /// Creates a document and parses it.
    pub fn new(language: Language, text: &str, version: i32) -> Self {
        let rope = Rope::from_str(text);
        let tree = parse_rope(language, &rope, None);
        Self {
            rope,
            language,
            version,
            tree,
            lone_cr: has_lone_cr(text.as_bytes()),
        }
    }

    /// The text buffer.
    pub fn rope(&self) -> &Rope {
        &self.rope
    }

    /// The whole text as a string.
    pub fn text(&self) -> String {
        self.rope.to_string()
    }

    /// The document's language.
    pub fn language(&self) -> Language {
        self.language
    }

    /// The version of the last applied change.
    pub fn version(&self) -> i32 {
        self.version
    }

    /// The current syntax tree (`None` for plain text).
    pub fn tree(&self) -> Option<&Tree> {
        self.tree.as_ref()
    }

    /// Applies changes in order, then reparses once, incrementally. Changes always apply, so the
    /// text stays equal to the client's; an out-of-order version is reported after the fact.
    pub fn apply_changes(
        &mut self,
        changes: &[TextChange],
        encoding: PositionEncoding,
        version: i32,
    ) -> Result<(), EditError> {
        let mut full_reparse = false;
        for change in changes {
            match change.range {
                None => {
                    self.rope = Rope::from_str(&change.text);
                    self.lone_cr = has_lone_cr(change.text.as_bytes());
                    full_reparse = true;
                }
                Some((start, end)) => {
                    let a = offset_of(&self.rope, start, encoding);
                    let b = offset_of(&self.rope, end, encoding);
                    // A reversed range is treated as the range between its ends.
                    let range = a.min(b)..a.max(b);
                    self.replace_bytes(range, &change.text, !full_reparse);
                }
            }
        }
        self.tree = if full_reparse {
            parse_rope(self.language, &self.rope, None)
        } else {
            parse_rope(self.language, &self.rope, self.tree.as_ref())
        };
        let held = self.version;
        self.version = version;
        if version <= held {
            return Err(EditError::VersionNotIncreasing { held, got: version });
        }
        Ok(())
    }

    /// Replaces a byte range (on character boundaries) and records the edit in the old tree.
    fn replace_bytes(&mut self, range: Range<usize>, text: &str, edit_tree: bool) {
        let edit = edit_tree.then(|| {
            let start_position = ts_point(&self.rope, range.start, self.lone_cr);
            InputEdit {
                start_byte: range.start,
                old_end_byte: range.end,
                new_end_byte: range.start + text.len(),
                start_position,
                old_end_position: ts_point(&self.rope, range.end, self.lone_cr),
                new_end_position: advance_point(start_position, text),
            }
        });
        let start_char = self.rope.byte_to_char(range.start);
        let end_char = self.rope.byte_to_char(range.end);
        self.rope.remove(start_char..end_char);
        self.rope.insert(start_char, text);
        // A new lone `\r` can only be in the inserted text or at its edges: its last byte, and
        // the byte before it, now followed by other text.
        if !self.lone_cr {
            let end = range.start + text.len();
            let byte_at = |i: usize| (i < self.rope.len_bytes()).then(|| self.rope.byte(i));
            let lone_at = |i: usize| byte_at(i) == Some(b'\r') && byte_at(i + 1) != Some(b'\n');
            let inserted = text.as_bytes();
            self.lone_cr = memchr::memchr_iter(b'\r', inserted)
                .any(|i| inserted.get(i + 1).is_some_and(|&next| next != b'\n'))
                || (range.start > 0 && lone_at(range.start - 1))
                || (end > range.start && lone_at(end - 1));
        }
        if let (Some(edit), Some(tree)) = (edit, self.tree.as_mut()) {
            tree.edit(&edit);
        }
    }

    /// A snapshot for scanning.
    pub fn snapshot(&self) -> Snapshot {
        Snapshot {
            rope: self.rope.clone(),
            language: self.language,
            version: self.version,
            tree: self.tree.clone().map(Arc::new),
        }
    }
}

/// Whether `text` holds a `\r` not followed by `\n`.
fn has_lone_cr(text: &[u8]) -> bool {
    memchr::memchr_iter(b'\r', text).any(|i| text.get(i + 1) != Some(&b'\n'))
}

/// The tree-sitter point of a byte offset. Tree-sitter counts rows at `\n` only (a lone `\r` does
/// not start a row) and columns in bytes; its lexer relies on exact columns (Python's indentation).
/// Without a lone `\r` (`lone_cr` false), the rope's lines (ending at `\n` or `\r\n`) are those
/// rows, and its line index finds the point in O(log n); otherwise the newlines before `offset`
/// are counted, in O(offset).
fn ts_point(rope: &Rope, offset: usize, lone_cr: bool) -> Point {
    if !lone_cr {
        let row = rope.byte_to_line(offset);
        return Point::new(row, offset - rope.line_to_byte(row));
    }
    let mut row = 0usize;
    let mut last_newline_end = 0usize;
    let mut chunk_start = 0usize;
    for chunk in rope.byte_slice(..offset).chunks() {
        let bytes = chunk.as_bytes();
        row += memchr::memchr_iter(b'\n', bytes).count();
        if let Some(i) = memchr::memrchr(b'\n', bytes) {
            last_newline_end = chunk_start + i + 1;
        }
        chunk_start += bytes.len();
    }
    Point::new(row, offset - last_newline_end)
}

/// The point reached after `text` is inserted at `start`.
fn advance_point(start: Point, text: &str) -> Point {
    let bytes = text.as_bytes();
    match memchr::memrchr(b'\n', bytes) {
        None => Point::new(start.row, start.column + bytes.len()),
        Some(last) => Point::new(
            start.row + memchr::memchr_iter(b'\n', bytes).count(),
            bytes.len() - last - 1,
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(sl: u32, sc: u32, el: u32, ec: u32, text: &str) -> TextChange {
        TextChange {
            range: Some((Position::new(sl, sc), Position::new(el, ec))),
            text: text.to_string(),
        }
    }

    #[test]
    fn incremental_edit_matches_full_parse() {
        let mut doc = Document::new(Language::Python, "def f():\r\n    return 1\r\n", 1);
        doc.apply_changes(
            &[change(1, 11, 1, 12, "x + 😀")],
            PositionEncoding::Utf16,
            2,
        )
        .expect("version increases");
        assert_eq!(doc.text(), "def f():\r\n    return x + 😀\r\n");
        let full = crate::lang::parse_str(Language::Python, &doc.text()).expect("parses");
        let tree = doc.tree().expect("tree");
        assert_eq!(tree.root_node().to_sexp(), full.root_node().to_sexp());
    }

    #[test]
    fn version_gap_is_reported_but_applied() {
        let mut doc = Document::new(Language::Text, "abc", 5);
        let err = doc.apply_changes(&[change(0, 0, 0, 0, "x")], PositionEncoding::Utf16, 3);
        assert_eq!(
            err,
            Err(EditError::VersionNotIncreasing { held: 5, got: 3 })
        );
        assert_eq!(doc.text(), "xabc");
    }

    #[test]
    fn lone_carriage_returns_are_tracked_across_edits() {
        // Each edit, applied to a CRLF text (no lone `\r`: the rope's lines are tree-sitter's
        // rows), and whether it leaves a lone `\r`, after which the rows must be counted.
        let text = "a = 1\r\nb = 2\r\n";
        let cases = [
            (change(0, 5, 1, 0, ""), false),  // deletes a `\r\n`
            (change(0, 5, 1, 0, "\r"), true), // replaces a `\r\n` by `\r`
            (change(0, 6, 0, 6, "x"), false), // inside a `\r\n`: the position is its start
            (change(1, 0, 1, 0, "\r"), true), // a `\r` before `b`
            (change(1, 0, 1, 0, "\r\n"), false),
            (change(1, 5, 1, 5, "\rx"), true), // a `\r` followed by inserted text
            (change(2, 0, 2, 0, "\r"), true),  // at the end of the text
            (change(0, 1, 0, 1, "\r"), true),
        ];
        for (edit, lone_cr) in cases {
            let mut doc = Document::new(Language::Python, text, 1);
            assert!(!doc.lone_cr);
            doc.apply_changes(std::slice::from_ref(&edit), PositionEncoding::Utf16, 2)
                .expect("applies");
            assert_eq!(doc.lone_cr, lone_cr, "{edit:?} gives {:?}", doc.text());
            // Whatever the flag, the point of every offset is tree-sitter's.
            for offset in 0..=doc.rope.len_bytes() {
                assert_eq!(
                    ts_point(&doc.rope, offset, doc.lone_cr),
                    ts_point(&doc.rope, offset, true),
                    "{edit:?}: offset {offset} of {:?}",
                    doc.text()
                );
            }
        }
        // Typing `\r` before an existing `\n` makes a CRLF pair, not a lone `\r`.
        let mut doc = Document::new(Language::Python, "a = 1\nb = 2\n", 1);
        doc.apply_changes(&[change(0, 5, 0, 5, "\r")], PositionEncoding::Utf16, 2)
            .expect("applies");
        assert!(!doc.lone_cr);
    }

    #[test]
    fn ts_points_count_lf_only() {
        let rope = Rope::from_str("a\rb\r\nc");
        assert_eq!(ts_point(&rope, 6, true), Point::new(1, 1));
        assert_eq!(ts_point(&rope, 2, true), Point::new(0, 2));
        assert_eq!(advance_point(Point::new(3, 4), "ab\ncd"), Point::new(4, 2));
    }
}
