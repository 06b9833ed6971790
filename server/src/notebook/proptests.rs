//! Property tests: IPython neutralisation never moves a byte, and cell-local positions round-trip
//! through the concatenated program in every encoding.

use proptest::prelude::*;
use ropey::Rope;

use super::magics::neutralize;
use super::program::{CellSource, Program};
use crate::text::{offset_of, position_of, PositionEncoding};

/// Cell text built from fragments that exercise magics, strings, brackets and line breaks.
fn cell_text() -> impl Strategy<Value = String> {
    let fragment = prop::sample::select(vec![
        "x = 1",
        "\n",
        "\r\n",
        "\r",
        "%time y = f(x)",
        "!ls {p} $q",
        "%%bash",
        "%%time",
        "obj?",
        "    ",
        "(",
        ")",
        "'''",
        "\"",
        "é",
        "😀",
        "中",
        "{",
        "}",
        "$",
        "\\",
        "# c",
        "S",
        "files = !ls",
        "%sx {a}{b}",
        "??x",
        "!",
        "%",
    ]);
    prop::collection::vec(fragment, 0..24).prop_map(|parts| parts.concat())
}

fn encodings() -> [PositionEncoding; 3] {
    [
        PositionEncoding::Utf8,
        PositionEncoding::Utf16,
        PositionEncoding::Utf32,
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn neutralising_keeps_length_and_line_breaks(text in cell_text(), whole in any::<bool>()) {
        let out = neutralize(&text, whole, Some(b'S'));
        prop_assert_eq!(out.text.len(), text.len());
        for (a, b) in text.bytes().zip(out.text.bytes()) {
            prop_assert_eq!(a == b'\n', b == b'\n');
            prop_assert_eq!(a == b'\r', b == b'\r');
        }
        for (i, (a, b)) in text.bytes().zip(out.text.bytes()).enumerate() {
            if a != b {
                prop_assert!(out.rewritten.iter().any(|r| r.contains(&i)));
            }
        }
    }

    #[test]
    fn cell_positions_round_trip_through_the_program(
        cells in prop::collection::vec((cell_text(), any::<bool>()), 1..6)
    ) {
        let sources: Vec<CellSource<'_>> = cells
            .iter()
            .map(|(text, code)| CellSource { text, code: *code })
            .collect();
        let program = Program::build(&sources);
        for (index, (text, code)) in cells.iter().enumerate() {
            let rope = Rope::from_str(text);
            for (local, _) in text.char_indices() {
                let Some(at) = program.to_program(index, local) else {
                    prop_assert!(!code);
                    continue;
                };
                prop_assert_eq!(program.to_cell(at), Some((index, local)));
                if local > 0 && text[..local].ends_with('\r') && text[local..].starts_with('\n') {
                    // Between the halves of a CRLF: no LSP position points there.
                    continue;
                }
                for encoding in encodings() {
                    let position = position_of(&rope, local, encoding);
                    prop_assert_eq!(offset_of(&rope, position, encoding), local);
                }
            }
        }
    }
}
