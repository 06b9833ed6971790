//! Property tests of the edit path: random incremental edits in each encoding keep the rope equal
//! to the expected text and the incrementally parsed tree equal to a full parse, for every
//! grammar; positions round-trip in UTF-8, UTF-16 and UTF-32.

use proptest::prelude::*;
use ropey::Rope;
use tree_sitter::{Node, Tree};

use super::{offset_of, position_of, Document, Position, PositionEncoding, TextChange};
use crate::lang::{parse_str, Language};

/// Pieces of text that exercise the grammars and the position code: keywords and brackets, line
/// breaks of every kind, multi-byte, astral and separator characters.
const FRAGMENTS: &[&str] = &[
    "a",
    "x1",
    "def ",
    "class ",
    "return ",
    "if ",
    "else",
    "function ",
    "var ",
    "int ",
    "(",
    ")",
    "{",
    "}",
    "[",
    "]",
    ":",
    ";",
    ",",
    "=",
    "+",
    "\"",
    "'",
    "`",
    "#",
    "//",
    "/*",
    "*/",
    " ",
    "    ",
    "\t",
    "\n",
    "\r",
    "\r\n",
    "😀",
    "中文",
    "𝄞",
    "é",
    "e\u{301}",
    "\u{2028}",
    "\u{feff}",
    "\u{0}",
    "👩‍💻",
    "0",
    "import os\n",
    "f(x)\n",
];

const ENCODINGS: [PositionEncoding; 3] = [
    PositionEncoding::Utf8,
    PositionEncoding::Utf16,
    PositionEncoding::Utf32,
];

fn text_strategy(max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(FRAGMENTS), 0..max).prop_map(|v| v.concat())
}

/// An edit chosen relative to the current text: start and length as fractions, and new text.
#[derive(Debug, Clone)]
struct RandomEdit {
    start: f64,
    len: f64,
    text: String,
}

fn edit_strategy() -> impl Strategy<Value = RandomEdit> {
    (
        0.0f64..=1.0,
        prop_oneof![Just(0.0f64), 0.0f64..0.3],
        text_strategy(6),
    )
        .prop_map(|(start, len, text)| RandomEdit { start, len, text })
}

/// Character-boundary offsets of `text` that are not inside a `\r\n` pair (a position cannot
/// address the middle of a line break).
fn boundaries(text: &str) -> Vec<usize> {
    let bytes = text.as_bytes();
    text.char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(text.len()))
        .filter(|&i| !(i > 0 && bytes[i - 1] == b'\r' && bytes.get(i) == Some(&b'\n')))
        .collect()
}

/// The position of a byte offset computed directly from the LSP rules (lines end at `\n`,
/// `\r\n` or a lone `\r`; characters counted in the encoding's units).
fn reference_position(text: &str, offset: usize, encoding: PositionEncoding) -> Position {
    let before = &text[..offset];
    let bytes = before.as_bytes();
    let mut line = 0;
    let mut line_start = 0;
    for (i, b) in bytes.iter().enumerate() {
        let ends_line = *b == b'\n' || (*b == b'\r' && text.as_bytes().get(i + 1) != Some(&b'\n'));
        if ends_line {
            line += 1;
            line_start = i + 1;
        }
    }
    let character: usize = before[line_start..]
        .chars()
        .map(|c| match encoding {
            PositionEncoding::Utf8 => c.len_utf8(),
            PositionEncoding::Utf16 => c.len_utf16(),
            PositionEncoding::Utf32 => 1,
        })
        .sum();
    Position::new(line, character as u32)
}

fn pick(points: &[usize], fraction: f64) -> usize {
    let i = ((points.len() - 1) as f64 * fraction).round() as usize;
    points[i.min(points.len() - 1)]
}

/// Every node as (kind, byte range, error/missing flags), in document order.
/// Each node's kind, byte range, point range (tree-sitter's rows and byte columns, which the
/// document computes for each edit), error and missing flags.
type NodeSummary = (
    String,
    usize,
    usize,
    (usize, usize),
    (usize, usize),
    bool,
    bool,
);

fn nodes(tree: &Tree) -> Vec<NodeSummary> {
    let mut out = Vec::new();
    let mut stack: Vec<Node<'_>> = vec![tree.root_node()];
    while let Some(node) = stack.pop() {
        let (start, end) = (node.start_position(), node.end_position());
        out.push((
            node.kind().to_string(),
            node.start_byte(),
            node.end_byte(),
            (start.row, start.column),
            (end.row, end.column),
            node.is_error(),
            node.is_missing(),
        ));
        let mut cursor = node.walk();
        let children: Vec<Node<'_>> = node.children(&mut cursor).collect();
        stack.extend(children.into_iter().rev());
    }
    out
}

fn check_edits(
    language: Language,
    initial: &str,
    batches: &[Vec<RandomEdit>],
    encoding: PositionEncoding,
) -> Result<(), TestCaseError> {
    let mut doc = Document::new(language, initial, 1);
    let mut expected = initial.to_string();
    let mut version = 1;
    for batch in batches {
        let mut changes = Vec::new();
        for edit in batch {
            let points = boundaries(&expected);
            let start = pick(&points, edit.start);
            let end = pick(&points, (edit.start + edit.len).min(1.0)).max(start);
            changes.push(TextChange {
                range: Some((
                    reference_position(&expected, start, encoding),
                    reference_position(&expected, end, encoding),
                )),
                text: edit.text.clone(),
            });
            expected.replace_range(start..end, &edit.text);
        }
        version += 1;
        prop_assert!(doc.apply_changes(&changes, encoding, version).is_ok());
        prop_assert_eq!(doc.text(), expected.clone());
        let full = parse_str(language, &expected);
        let incremental = doc.tree();
        prop_assert_eq!(full.is_some(), incremental.is_some());
        if let (Some(full), Some(incremental)) = (full, incremental) {
            prop_assert_eq!(
                incremental.root_node().to_sexp(),
                full.root_node().to_sexp()
            );
            prop_assert_eq!(nodes(incremental), nodes(&full));
        }
    }
    Ok(())
}

fn batches_strategy() -> impl Strategy<Value = Vec<Vec<RandomEdit>>> {
    prop::collection::vec(prop::collection::vec(edit_strategy(), 1..4), 1..6)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn incremental_edits_match_full_parse(
        initial in text_strategy(40),
        batches in batches_strategy(),
        language in prop::sample::select(&[Language::Python, Language::Java, Language::JavaScript][..]),
        encoding in prop::sample::select(&ENCODINGS[..]),
    ) {
        check_edits(language, &initial, &batches, encoding)?;
    }

    #[test]
    fn positions_round_trip(text in text_strategy(60)) {
        let rope = Rope::from_str(&text);
        for encoding in ENCODINGS {
            for offset in boundaries(&text) {
                let pos = position_of(&rope, offset, encoding);
                prop_assert_eq!(pos, reference_position(&text, offset, encoding));
                prop_assert_eq!(offset_of(&rope, pos, encoding), offset);
            }
        }
    }

    #[test]
    fn full_text_changes_resynchronise(
        initial in text_strategy(20),
        replacement in text_strategy(20),
        language in prop::sample::select(&[Language::Python, Language::Java, Language::JavaScript][..]),
    ) {
        let mut doc = Document::new(language, &initial, 1);
        let change = TextChange { range: None, text: replacement.clone() };
        prop_assert!(doc.apply_changes(&[change], PositionEncoding::Utf16, 2).is_ok());
        prop_assert_eq!(doc.text(), replacement.clone());
        let full = parse_str(language, &replacement).map(|t| t.root_node().to_sexp());
        prop_assert_eq!(doc.tree().map(|t| t.root_node().to_sexp()), full);
    }
}
