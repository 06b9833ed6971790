//! Positions in a document and their conversion to and from UTF-8 byte offsets.
//!
//! LSP positions are (line, character) pairs where `character` counts code units of the negotiated
//! encoding. Lines end only at `\n`, `\r\n` or a lone `\r` (the rope is built with `cr_lines` and
//! without `unicode_lines`, so U+2028 and friends do not end lines). Out-of-range positions are
//! clamped: a line past the end maps to the end of the document, a character past the end of its
//! line maps to the end of that line (before its terminator), and a character inside a multi-unit
//! character rounds down to the character's start.

use ropey::Rope;

/// Which code units a position's `character` counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub enum PositionEncoding {
    /// Bytes of UTF-8.
    Utf8,
    /// UTF-16 code units (the LSP default).
    #[default]
    Utf16,
    /// Unicode scalar values.
    Utf32,
}

/// A zero-based line and a character offset in the line, in some [`PositionEncoding`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Hash)]
pub struct Position {
    /// Zero-based line number.
    pub line: u32,
    /// Zero-based offset in the line, in code units of the encoding.
    pub character: u32,
}

impl Position {
    /// Creates a position.
    pub const fn new(line: u32, character: u32) -> Self {
        Self { line, character }
    }
}

/// Byte length of the line terminator that ends `line` (0 for the last line).
fn terminator_len(rope: &Rope, line: usize) -> usize {
    if line + 1 >= rope.len_lines() {
        return 0;
    }
    let end = rope.line_to_byte(line + 1);
    if end >= 2 && rope.byte(end - 1) == b'\n' && rope.byte(end - 2) == b'\r' {
        2
    } else {
        1
    }
}

/// Byte range of the content of `line`, without its terminator.
pub fn line_content_bytes(rope: &Rope, line: usize) -> std::ops::Range<usize> {
    let start = rope.line_to_byte(line);
    let end = if line + 1 < rope.len_lines() {
        rope.line_to_byte(line + 1) - terminator_len(rope, line)
    } else {
        rope.len_bytes()
    };
    start..end
}

/// Converts a position to a byte offset, clamping out-of-range values as described in the module docs.
pub fn offset_of(rope: &Rope, pos: Position, encoding: PositionEncoding) -> usize {
    let line = pos.line as usize;
    if line >= rope.len_lines() {
        return rope.len_bytes();
    }
    let content = line_content_bytes(rope, line);
    let character = pos.character as usize;
    let offset = match encoding {
        PositionEncoding::Utf8 => {
            let byte = content.start.saturating_add(character).min(content.end);
            // Round down to the start of the character that contains `byte`.
            rope.char_to_byte(rope.byte_to_char(byte))
        }
        PositionEncoding::Utf16 => {
            let start_char = rope.byte_to_char(content.start);
            let end_char = rope.byte_to_char(content.end);
            let start_cu = rope.char_to_utf16_cu(start_char);
            let end_cu = rope.char_to_utf16_cu(end_char);
            let target_cu = start_cu.saturating_add(character).min(end_cu);
            rope.char_to_byte(rope.utf16_cu_to_char(target_cu))
        }
        PositionEncoding::Utf32 => {
            let start_char = rope.byte_to_char(content.start);
            let end_char = rope.byte_to_char(content.end);
            rope.char_to_byte(start_char.saturating_add(character).min(end_char))
        }
    };
    offset.min(content.end)
}

/// Converts a byte offset (clamped to the document, rounded down to a character start) to a position.
pub fn position_of(rope: &Rope, offset: usize, encoding: PositionEncoding) -> Position {
    let offset = offset.min(rope.len_bytes());
    let line = rope.byte_to_line(offset);
    let character = units_before(rope, rope.line_to_byte(line), offset, encoding);
    Position::new(clamp_u32(line), clamp_u32(character))
}

/// Code units of `encoding` in the characters between `start` (a character boundary) and
/// `end`, a character containing `end` not counted. Reads only that stretch of the rope (ASCII
/// runs in bulk): converting a diagnostic's positions this way costs two tree descents, not the
/// five of char-index conversions.
fn units_before(rope: &Rope, start: usize, end: usize, encoding: PositionEncoding) -> usize {
    let (chunks, mut chunk_start, _, _) = rope.chunks_at_byte(start);
    let mut units = 0;
    for chunk in chunks {
        if chunk_start >= end {
            break;
        }
        let from = start.saturating_sub(chunk_start);
        let to = (end - chunk_start).min(chunk.len());
        let bytes = &chunk.as_bytes()[from..to];
        if bytes.is_ascii() {
            units += bytes.len();
        } else {
            // Chunks split at character boundaries, so `from` is one; `to` may not be.
            for (i, c) in chunk[from..].char_indices() {
                if from + i + c.len_utf8() > to {
                    break;
                }
                units += match encoding {
                    PositionEncoding::Utf8 => c.len_utf8(),
                    PositionEncoding::Utf16 => c.len_utf16(),
                    PositionEncoding::Utf32 => 1,
                };
            }
        }
        chunk_start += chunk.len();
    }
    units
}

fn clamp_u32(value: usize) -> u32 {
    u32::try_from(value).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The conversion as it was first written (five char-index descents), as an oracle.
    fn position_by_chars(rope: &Rope, offset: usize, encoding: PositionEncoding) -> Position {
        let offset = offset.min(rope.len_bytes());
        let char_idx = rope.byte_to_char(offset);
        let line = rope.char_to_line(char_idx);
        let line_start_char = rope.line_to_char(line);
        let character = match encoding {
            PositionEncoding::Utf8 => rope.char_to_byte(char_idx) - rope.line_to_byte(line),
            PositionEncoding::Utf16 => {
                rope.char_to_utf16_cu(char_idx) - rope.char_to_utf16_cu(line_start_char)
            }
            PositionEncoding::Utf32 => char_idx - line_start_char,
        };
        Position::new(clamp_u32(line), clamp_u32(character))
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
        /// Every byte offset (on a character boundary or not) of text with astral characters,
        /// CRLF, lone CR and long lines (several rope chunks) converts as by char indices.
        #[test]
        fn position_of_agrees_with_char_index_conversion(
            pieces in proptest::collection::vec(
                proptest::prop_oneof![
                    proptest::strategy::Just("a".to_string()),
                    proptest::strategy::Just("\r\n".to_string()),
                    proptest::strategy::Just("\r".to_string()),
                    proptest::strategy::Just("\n".to_string()),
                    proptest::strategy::Just("é".to_string()),
                    proptest::strategy::Just("😀".to_string()),
                    proptest::strategy::Just("\u{2028}".to_string()),
                    "[a-z ]{0,400}",
                ],
                0..40,
            )
        ) {
            let text: String = pieces.concat();
            let rope = Rope::from_str(&text);
            for offset in 0..=text.len() + 1 {
                for encoding in [PositionEncoding::Utf8, PositionEncoding::Utf16, PositionEncoding::Utf32] {
                    proptest::prop_assert_eq!(
                        position_of(&rope, offset, encoding),
                        position_by_chars(&rope, offset, encoding),
                        "offset {} {:?}", offset, encoding
                    );
                }
            }
        }
    }

    fn rope(text: &str) -> Rope {
        Rope::from_str(text)
    }

    #[test]
    fn lines_end_at_lf_crlf_and_lone_cr_only() {
        let r = rope("a\nb\r\nc\rd\u{2028}e");
        assert_eq!(r.len_lines(), 4);
        assert_eq!(
            offset_of(&r, Position::new(3, 0), PositionEncoding::Utf16),
            7
        );
        // U+2028 is inside line 3, not a line break.
        assert_eq!(
            offset_of(&r, Position::new(3, 2), PositionEncoding::Utf16),
            11
        );
    }

    #[test]
    fn astral_characters_in_each_encoding() {
        let r = rope("x😀y\n");
        let y = "x😀".len();
        assert_eq!(
            offset_of(&r, Position::new(0, 3), PositionEncoding::Utf16),
            y
        );
        assert_eq!(
            offset_of(&r, Position::new(0, 2), PositionEncoding::Utf32),
            y
        );
        assert_eq!(
            offset_of(&r, Position::new(0, 5), PositionEncoding::Utf8),
            y
        );
        assert_eq!(
            position_of(&r, y, PositionEncoding::Utf16),
            Position::new(0, 3)
        );
        assert_eq!(
            position_of(&r, y, PositionEncoding::Utf32),
            Position::new(0, 2)
        );
        assert_eq!(
            position_of(&r, y, PositionEncoding::Utf8),
            Position::new(0, 5)
        );
    }

    #[test]
    fn inside_a_character_rounds_down() {
        let r = rope("x😀y");
        assert_eq!(
            offset_of(&r, Position::new(0, 2), PositionEncoding::Utf16),
            1
        );
        assert_eq!(
            offset_of(&r, Position::new(0, 3), PositionEncoding::Utf8),
            1
        );
    }

    #[test]
    fn out_of_range_is_clamped() {
        let r = rope("ab\r\ncd");
        assert_eq!(
            offset_of(&r, Position::new(0, 99), PositionEncoding::Utf16),
            2
        );
        assert_eq!(
            offset_of(&r, Position::new(7, 0), PositionEncoding::Utf16),
            6
        );
        assert_eq!(
            position_of(&r, 99, PositionEncoding::Utf16),
            Position::new(1, 2)
        );
    }
}
