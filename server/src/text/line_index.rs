//! Line starts of a string, for converting byte offsets to lines and columns outside the rope
//! (reports, suppression comments). Lines end at `\n`, `\r\n` or a lone `\r`, as in LSP.

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
        // Sized up front (counting is a fast vectorised pass): growing the list as lines are
        // found copies it again and again on large files.
        let mut starts = Vec::with_capacity(1 + memchr::memchr2_iter(b'\n', b'\r', bytes).count());
        starts.push(0);
        if has_carriage_return {
            let mut i = 0;
            while let Some(found) = memchr::memchr2(b'\n', b'\r', &bytes[i..]) {
                let at = i + found;
                let next = if bytes[at] == b'\r' && bytes.get(at + 1) == Some(&b'\n') {
                    at + 2
                } else {
                    at + 1
                };
                starts.push(next);
                i = next;
            }
        } else {
            // One iterator over the text: a search per line costs more than the line on
            // short lines.
            starts.extend(memchr::memchr_iter(b'\n', bytes).map(|at| at + 1));
        }
        Self {
            starts,
            len: source.len(),
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
}
