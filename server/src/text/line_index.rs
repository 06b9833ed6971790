//! Line starts of a string, for converting byte offsets to lines and columns outside the rope
//! (reports, suppression comments). Lines end at `\n`, `\r\n` or a lone `\r`, as in LSP.

use super::common::{common_prefix, common_suffix};
use super::position::{Position, PositionEncoding};

/// The byte offsets where each line of a string starts.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
    len: usize,
    /// Whether the text has a `\r` (lines may then end at `\r\n` or a lone `\r`).
    has_carriage_return: bool,
}

impl LineIndex {
    /// Indexes `source`.
    pub fn new(source: &str) -> Self {
        let bytes = source.as_bytes();
        let has_carriage_return = memchr::memchr(b'\r', bytes).is_some();
        let mut starts = vec![0];
        push_starts(bytes, 0, usize::MAX, has_carriage_return, &mut starts);
        Self {
            starts,
            len: source.len(),
            has_carriage_return,
        }
    }

    /// The index of `new_text`, made from this index of `old_text` (the previous version of
    /// the document) by indexing only what changed: the lines of the texts' common start are
    /// kept, those of their common end shifted. A keystroke in a large file then costs a copy of
    /// the list instead of a search through the whole text.
    pub fn reindexed(&self, old_text: &str, new_text: &str) -> Self {
        let (old, new) = (old_text.as_bytes(), new_text.as_bytes());
        if self.len != old.len() {
            return Self::new(new_text);
        }
        let prefix = common_prefix(old, new);
        let room = old.len().min(new.len()) - prefix;
        let suffix = common_suffix(&old[prefix..], &new[prefix..]).min(room);
        let changed = &new[prefix..new.len() - suffix];
        let has_carriage_return = if self.has_carriage_return {
            memchr::memchr(b'\r', new).is_some()
        } else {
            memchr::memchr(b'\r', changed).is_some()
        };
        // A line start depends on the two bytes before it and the one at it (`\r\n` or a lone
        // `\r`): starts below `prefix` read only common bytes, and so do those at least two
        // past the start of the common end.
        let head = self.starts.partition_point(|&s| s < prefix).max(1);
        let old_tail = old.len() - suffix + 2;
        let tail = self.starts.partition_point(|&s| s < old_tail);
        let mut starts = Vec::with_capacity(head + (self.starts.len() - tail) + changed.len() / 16);
        starts.extend_from_slice(&self.starts[..head]);
        push_starts(
            new,
            prefix.saturating_sub(1),
            new.len() - suffix + 2,
            has_carriage_return,
            &mut starts,
        );
        let (grown, shrunk) = (
            new.len().saturating_sub(old.len()),
            old.len().saturating_sub(new.len()),
        );
        starts.extend(self.starts[tail..].iter().map(|&s| s + grown - shrunk));
        Self {
            starts,
            len: new.len(),
            has_carriage_return,
        }
    }

    /// Whether every line ends at a `\n` (the text has no `\r`).
    pub fn breaks_only_at_newlines(&self) -> bool {
        !self.has_carriage_return
    }

    /// Number of lines (at least one).
    pub fn len_lines(&self) -> usize {
        self.starts.len()
    }

    /// The zero-based line of a byte offset (clamped to the text).
    pub fn line_of(&self, offset: usize) -> usize {
        let offset = offset.min(self.len);
        self.starts.partition_point(|&s| s <= offset) - 1
    }

    /// The byte offset where `line` starts (the end of the text past the last line).
    pub fn line_start(&self, line: usize) -> usize {
        self.starts.get(line).copied().unwrap_or(self.len)
    }

    /// The position of a byte offset in `source` (which must be the indexed text).
    pub fn position(&self, source: &str, offset: usize, encoding: PositionEncoding) -> Position {
        let mut offset = offset.min(source.len());
        while !source.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line_of(offset);
        let prefix = &source[self.line_start(line)..offset];
        let character = match encoding {
            PositionEncoding::Utf8 => prefix.len(),
            PositionEncoding::Utf16 => prefix.encode_utf16().count(),
            PositionEncoding::Utf32 => prefix.chars().count(),
        };
        Position::new(
            u32::try_from(line).unwrap_or(u32::MAX),
            u32::try_from(character).unwrap_or(u32::MAX),
        )
    }
}

/// Appends the starts of the lines that begin below `until` after line breaks at or after
/// `from` in `bytes`.
fn push_starts(
    bytes: &[u8],
    from: usize,
    until: usize,
    has_carriage_return: bool,
    starts: &mut Vec<usize>,
) {
    let Some(rest) = bytes.get(from..) else {
        return;
    };
    if !has_carriage_return {
        // One iterator over the text: a search per line costs more than the line on short
        // lines.
        starts.extend(
            memchr::memchr_iter(b'\n', rest)
                .map(|at| from + at + 1)
                .take_while(|&start| start < until),
        );
        return;
    }
    let mut i = from;
    while let Some(found) = memchr::memchr2(b'\n', b'\r', &bytes[i..]) {
        let at = i + found;
        let next = if bytes[at] == b'\r' && bytes.get(at + 1) == Some(&b'\n') {
            at + 2
        } else {
            at + 1
        };
        if next >= until {
            return;
        }
        starts.push(next);
        i = next;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_break_like_lsp() {
        let text = "a\nb\r\nc\rd\u{2028}e";
        let index = LineIndex::new(text);
        assert_eq!(index.len_lines(), 4);
        assert_eq!(index.line_of(7), 3);
        assert_eq!(
            index.position(text, text.len(), PositionEncoding::Utf16),
            Position::new(3, 3)
        );
    }

    #[test]
    fn every_offset_is_on_the_line_a_scan_of_the_text_puts_it() {
        for text in [
            "",
            "\n",
            "a",
            "a\n\nbc\n",
            "x\r\n\ry\n\r",
            "\r\r\n\n",
            "é\nü\r\n",
        ] {
            let index = LineIndex::new(text);
            let mut line = 0;
            let bytes = text.as_bytes();
            for offset in 0..=text.len() {
                assert_eq!(index.line_of(offset), line, "{text:?} at {offset}");
                let breaks = match bytes.get(offset) {
                    Some(b'\n') => true,
                    Some(b'\r') => bytes.get(offset + 1) != Some(&b'\n'),
                    _ => false,
                };
                line += usize::from(breaks);
            }
            assert_eq!(index.len_lines(), line + 1, "{text:?}");
            assert_eq!(index.breaks_only_at_newlines(), !text.contains('\r'));
        }
    }

    /// Texts of line breaks of every kind and a few other characters.
    fn text() -> impl proptest::strategy::Strategy<Value = String> {
        proptest::collection::vec(
            proptest::sample::select(vec!["a", "\n", "\r", "\r\n", "é", "bc"]),
            0..40,
        )
        .prop_map(|parts| parts.concat())
    }

    use proptest::prelude::*;

    proptest! {
        #[test]
        fn reindexing_after_edits_equals_indexing_again(
            start in text(),
            edits in proptest::collection::vec((0usize..64, 0usize..8, text()), 1..6),
        ) {
            let mut current = start;
            let mut index = LineIndex::new(&current);
            for (at, removed, inserted) in edits {
                let mut at = at.min(current.len());
                while !current.is_char_boundary(at) {
                    at -= 1;
                }
                let mut end = (at + removed).min(current.len());
                while !current.is_char_boundary(end) {
                    end += 1;
                }
                let mut edited = current.clone();
                edited.replace_range(at..end, &inserted);
                index = index.reindexed(&current, &edited);
                let fresh = LineIndex::new(&edited);
                prop_assert_eq!(&index.starts, &fresh.starts, "{:?} -> {:?}", current, edited);
                prop_assert_eq!(index.len, fresh.len);
                prop_assert_eq!(index.has_carriage_return, fresh.has_carriage_return);
                current = edited;
            }
        }
    }

    #[test]
    fn an_index_of_another_text_is_not_reused() {
        let index = LineIndex::new("a\nb");
        assert_eq!(index.reindexed("abc\n", "x\ny\nz").starts, vec![0, 2, 4]);
    }
}
