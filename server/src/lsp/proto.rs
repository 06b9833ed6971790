//! The one place where LSP positions, ranges and content changes meet the engine's types.
//!
//! Conversions clamp instead of failing: a position past the end of a line or of the document maps
//! to the nearest valid offset (see [`crate::text::offset_of`]), and a reversed range is read as the
//! range between its ends.

use std::ops::Range;

use ropey::Rope;
use tower_lsp_server::ls_types::{self as lsp, PositionEncodingKind};

use crate::finding::Edit;
use crate::text::{offset_of, position_of, Position, PositionEncoding, TextChange};

/// The engine's encoding for a negotiated LSP encoding.
pub fn encoding_of(kind: &PositionEncodingKind) -> Option<PositionEncoding> {
    if *kind == PositionEncodingKind::UTF8 {
        Some(PositionEncoding::Utf8)
    } else if *kind == PositionEncodingKind::UTF16 {
        Some(PositionEncoding::Utf16)
    } else if *kind == PositionEncodingKind::UTF32 {
        Some(PositionEncoding::Utf32)
    } else {
        None
    }
}

/// The LSP name of an encoding.
pub fn encoding_kind(encoding: PositionEncoding) -> PositionEncodingKind {
    match encoding {
        PositionEncoding::Utf8 => PositionEncodingKind::UTF8,
        PositionEncoding::Utf16 => PositionEncodingKind::UTF16,
        PositionEncoding::Utf32 => PositionEncodingKind::UTF32,
    }
}

/// An LSP position as an engine position (same numbers; the encoding travels separately).
pub fn position(pos: lsp::Position) -> Position {
    Position::new(pos.line, pos.character)
}

/// A byte offset of an LSP position, clamped to the document.
pub fn offset(rope: &Rope, pos: lsp::Position, encoding: PositionEncoding) -> usize {
    offset_of(rope, position(pos), encoding)
}

/// The LSP position of a byte offset.
pub fn lsp_position(rope: &Rope, offset: usize, encoding: PositionEncoding) -> lsp::Position {
    let pos = position_of(rope, offset, encoding);
    lsp::Position::new(pos.line, pos.character)
}

/// The LSP range of a byte range.
pub fn lsp_range(rope: &Rope, range: &Range<usize>, encoding: PositionEncoding) -> lsp::Range {
    lsp::Range::new(
        lsp_position(rope, range.start, encoding),
        lsp_position(rope, range.end, encoding),
    )
}

/// The byte range of an LSP range, ordered and clamped.
#[cfg(test)]
pub fn byte_range(rope: &Rope, range: lsp::Range, encoding: PositionEncoding) -> Range<usize> {
    let a = offset(rope, range.start, encoding);
    let b = offset(rope, range.end, encoding);
    a.min(b)..a.max(b)
}

/// An engine edit as an LSP text edit.
pub fn text_edit(rope: &Rope, edit: &Edit, encoding: PositionEncoding) -> lsp::TextEdit {
    lsp::TextEdit::new(
        lsp_range(rope, &edit.range, encoding),
        edit.replacement.clone(),
    )
}

/// A `didChange` content change as an engine change.
pub fn text_change(change: lsp::TextDocumentContentChangeEvent) -> TextChange {
    TextChange {
        range: change
            .range
            .map(|range| (position(range.start), position(range.end))),
        text: change.text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_round_trip_in_each_encoding() {
        let rope = Rope::from_str("a😀中\r\nx = md5()\n");
        let target = "a😀中\r\nx = ".len().."a😀中\r\nx = md5".len();
        for encoding in [
            PositionEncoding::Utf8,
            PositionEncoding::Utf16,
            PositionEncoding::Utf32,
        ] {
            let range = lsp_range(&rope, &target, encoding);
            assert_eq!(range.start, lsp::Position::new(1, 4));
            assert_eq!(byte_range(&rope, range, encoding), target);
        }
        let first_line_end = lsp_position(&rope, "a😀中".len(), PositionEncoding::Utf16);
        assert_eq!(first_line_end, lsp::Position::new(0, 4));
    }

    #[test]
    fn reversed_ranges_are_ordered() {
        let rope = Rope::from_str("abcdef");
        let reversed = lsp::Range::new(lsp::Position::new(0, 4), lsp::Position::new(0, 1));
        assert_eq!(byte_range(&rope, reversed, PositionEncoding::Utf16), 1..4);
    }

    #[test]
    fn encodings_map_both_ways() {
        for encoding in [
            PositionEncoding::Utf8,
            PositionEncoding::Utf16,
            PositionEncoding::Utf32,
        ] {
            assert_eq!(encoding_of(&encoding_kind(encoding)), Some(encoding));
        }
        assert_eq!(encoding_of(&PositionEncodingKind::new("utf-7")), None);
    }
}
