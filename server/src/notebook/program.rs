//! The code cells of a notebook concatenated, in order, into one Python program, with an exact
//! map between program offsets and (cell, cell-local offset).
//!
//! Layout: an optional prelude (the import that gives rewritten shell commands their meaning, see
//! [`super::magics`]), then each analysed cell's neutralised text — byte for byte as long as the
//! cell — followed by a `\n` when the cell does not end with a line break. A cell-local offset
//! `o` of cell `c` is the program offset `start(c) + o`; program offsets in the prelude or in a
//! separator belong to no cell.

use std::ops::Range;

use super::magics::{self, Neutralized};

/// One cell handed to [`Program::build`].
#[derive(Debug, Clone, Copy)]
pub struct CellSource<'a> {
    /// The cell's text, as the user wrote it.
    pub text: &'a str,
    /// Whether the cell is analysed (a Python code cell); other cells are left out.
    pub code: bool,
}

/// Where an analysed cell sits in the program.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Placed {
    /// The cell's index in the input.
    cell: usize,
    /// The program offset of the cell's first byte.
    start: usize,
    /// The cell's length in bytes.
    len: usize,
    /// Cell-local ranges rewritten from IPython syntax.
    rewritten: Vec<Range<usize>>,
}

/// A notebook as one Python program.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Program {
    /// The program text.
    pub text: String,
    /// The analysed cells, in program order.
    placed: Vec<Placed>,
}

/// The prelude binding a shell command's callee; `{}` is the callee.
fn prelude(callee: u8) -> String {
    format!(
        "from IPython.InteractiveShell import system as {}\n",
        char::from(callee)
    )
}

impl Program {
    /// Builds the program of `cells`, neutralising IPython syntax cell by cell.
    pub fn build(cells: &[CellSource<'_>]) -> Self {
        let callee = free_identifier(cells.iter().filter(|c| c.code).map(|c| c.text));
        let rewritten: Vec<(usize, Neutralized)> = cells
            .iter()
            .enumerate()
            .filter(|(_, c)| c.code)
            .map(|(i, c)| (i, magics::neutralize(c.text, true, callee)))
            .collect();
        let mut text = match callee {
            Some(callee) if rewritten.iter().any(|(_, n)| n.uses_callee) => prelude(callee),
            _ => String::new(),
        };
        let mut placed = Vec::with_capacity(rewritten.len());
        for (cell, neutralized) in rewritten {
            let start = text.len();
            text.push_str(&neutralized.text);
            if !neutralized.text.is_empty() && !neutralized.text.ends_with(['\n', '\r']) {
                text.push('\n');
            }
            placed.push(Placed {
                cell,
                start,
                len: neutralized.text.len(),
                rewritten: neutralized.rewritten,
            });
        }
        Self { text, placed }
    }

    /// The analysed cell holding program offset `offset` and the cell-local offset. The end of a
    /// cell (where its separator starts) belongs to the cell.
    pub fn to_cell(&self, offset: usize) -> Option<(usize, usize)> {
        let at = self.placed.partition_point(|p| p.start <= offset);
        let placed = self.placed.get(at.checked_sub(1)?)?;
        (offset <= placed.start + placed.len).then(|| (placed.cell, offset - placed.start))
    }

    /// A program range as a cell-local range of the cell holding its start (the end is clamped to
    /// that cell).
    pub fn range_to_cell(&self, range: &Range<usize>) -> Option<(usize, Range<usize>)> {
        let (cell, start) = self.to_cell(range.start)?;
        let placed = self.placed.iter().find(|p| p.cell == cell)?;
        let end = range.end.clamp(range.start, placed.start + placed.len) - placed.start;
        Some((cell, start..end))
    }

    /// The program offset of a cell-local offset (clamped to the cell); `None` when the cell is
    /// not analysed.
    pub fn to_program(&self, cell: usize, local: usize) -> Option<usize> {
        let placed = self.placed.iter().find(|p| p.cell == cell)?;
        Some(placed.start + local.min(placed.len))
    }

    /// Whether a cell-local range touches text rewritten from IPython syntax (an edit there would
    /// not apply to what the user wrote).
    pub fn touches_rewritten(&self, cell: usize, range: &Range<usize>) -> bool {
        self.placed
            .iter()
            .find(|p| p.cell == cell)
            .is_some_and(|p| {
                p.rewritten
                    .iter()
                    .any(|r| r.start < range.end.max(range.start + 1) && range.start < r.end)
            })
    }

    /// The indices of the analysed cells, in order.
    pub fn cells(&self) -> impl Iterator<Item = usize> + '_ {
        self.placed.iter().map(|p| p.cell)
    }
}

/// A one-byte identifier that no cell uses as a whole word, for the shell callee.
fn free_identifier<'a>(cells: impl Iterator<Item = &'a str> + Clone) -> Option<u8> {
    const CANDIDATES: &[u8] = b"SQZJXKVWYUHGFBPDMTRNLECAOI";
    CANDIDATES
        .iter()
        .copied()
        .find(|&c| cells.clone().all(|text| !uses_word(text, c)))
}

/// Whether `text` contains the one-character word `c`.
fn uses_word(text: &str, c: u8) -> bool {
    let bytes = text.as_bytes();
    let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80;
    memchr::memchr_iter(c, bytes)
        .any(|i| (i == 0 || !word(bytes[i - 1])) && bytes.get(i + 1).is_none_or(|&b| !word(b)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(text: &str) -> CellSource<'_> {
        CellSource { text, code: true }
    }

    #[test]
    fn cells_are_joined_in_order_with_exact_offsets() {
        let cells = [
            code("import os"),
            CellSource {
                text: "# Title",
                code: false,
            },
            code("x = 1\n"),
            code(""),
            code("os.system(x)"),
        ];
        let program = Program::build(&cells);
        assert_eq!(program.text, "import os\nx = 1\nos.system(x)\n");
        assert_eq!(program.to_cell(0), Some((0, 0)));
        assert_eq!(program.to_cell(9), Some((0, 9)));
        assert_eq!(program.to_cell(10), Some((2, 0)));
        let call = program.text.find("os.system").expect("call");
        assert_eq!(program.range_to_cell(&(call..call + 9)), Some((4, 0..9)));
        assert_eq!(program.to_program(4, 3), Some(call + 3));
        assert_eq!(program.to_program(1, 0), None);
        assert_eq!(program.cells().collect::<Vec<_>>(), vec![0, 2, 3, 4]);
    }

    #[test]
    fn the_prelude_belongs_to_no_cell() {
        let program = Program::build(&[code("p = input()\n!ls {p}\n")]);
        assert!(program
            .text
            .starts_with("from IPython.InteractiveShell import system as S\n"));
        assert_eq!(program.to_cell(0), None);
        let start = program.text.find("p = input").expect("cell");
        assert_eq!(program.to_cell(start), Some((0, 0)));
        assert!(program.touches_rewritten(0, &(12..13)));
        assert!(!program.touches_rewritten(0, &(0..5)));
    }

    #[test]
    fn the_callee_is_a_word_no_cell_uses() {
        let program = Program::build(&[code("S = 1\nQ = 2\n!ls {S}\n")]);
        assert!(program.text.contains("import system as Z\n"));
        assert!(uses_word("a + S", b'S'));
        assert!(!uses_word("SS + aS + S1 + éS", b'S'));
    }
}
