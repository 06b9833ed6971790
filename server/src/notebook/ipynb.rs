//! Reading `.ipynb` files (nbformat 4): the cells, their kinds and sources, and where each source
//! line sits in the file's JSON text (so reports can point into the file itself).

use std::path::Path;

use serde_json::Value;

use crate::text::{LineIndex, PositionEncoding};

/// The kind of a notebook cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CellKind {
    /// Code, in the notebook's kernel language.
    Code,
    /// Markdown.
    Markdown,
    /// Raw text, never run.
    Raw,
}

/// One cell of a notebook file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    /// Its kind.
    pub kind: CellKind,
    /// Its source, lines joined.
    pub source: String,
    /// The cell id (nbformat 4.5 and later).
    pub id: Option<String>,
    /// For each line of the source, the 0-based line and UTF-16 column in the file's text where
    /// the line's JSON string starts (just past its opening quote), when it could be located.
    pub raw_lines: Option<Vec<(u32, u32)>>,
}

/// A parsed notebook.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notebook {
    /// The cells, in order.
    pub cells: Vec<Cell>,
    /// The kernel language (`metadata.kernelspec.language` or `metadata.language_info.name`).
    pub language: Option<String>,
}

impl Notebook {
    /// Whether the code cells are Python (a notebook that does not say is taken as Python).
    pub fn is_python(&self) -> bool {
        self.language
            .as_deref()
            .is_none_or(|l| l.eq_ignore_ascii_case("python") || l.starts_with("python"))
    }
}

/// Whether a path names a notebook file.
pub fn is_notebook_path(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("ipynb"))
}

/// Parses the text of an `.ipynb` file, or says what is wrong with it.
pub fn parse(raw: &str) -> Result<Notebook, String> {
    let value: Value = serde_json::from_str(raw)
        .map_err(|err| format!("not a valid notebook: invalid JSON ({err})"))?;
    let Value::Object(root) = &value else {
        return Err("not a valid notebook: the top level is not a JSON object".into());
    };
    match root.get("nbformat").and_then(Value::as_u64) {
        Some(4) => {}
        Some(other) => {
            return Err(format!(
                "unsupported notebook format nbformat {other} (only nbformat 4 is read); convert \
                 it with `jupyter nbconvert --to notebook`"
            ))
        }
        None => return Err("not a valid notebook: no `nbformat` number".into()),
    }
    let Some(cells) = root.get("cells").and_then(Value::as_array) else {
        return Err("not a valid notebook: no `cells` array".into());
    };
    let metadata = root.get("metadata");
    let language = metadata
        .and_then(|m| m.pointer("/kernelspec/language"))
        .or_else(|| metadata.and_then(|m| m.pointer("/language_info/name")))
        .and_then(Value::as_str)
        .map(str::to_string);
    let mut locator = Locator::new(raw);
    let mut parsed = Vec::with_capacity(cells.len());
    for (i, cell) in cells.iter().enumerate() {
        let kind = match cell.get("cell_type").and_then(Value::as_str) {
            Some("code") => CellKind::Code,
            Some("markdown") => CellKind::Markdown,
            Some("raw") => CellKind::Raw,
            Some(other) => {
                return Err(format!(
                    "not a valid notebook: cell {} has unknown cell_type `{other}`",
                    i + 1
                ))
            }
            None => {
                return Err(format!(
                    "not a valid notebook: cell {} has no cell_type",
                    i + 1
                ))
            }
        };
        let (source, lines) = match cell.get("source") {
            Some(Value::String(s)) => (s.clone(), None),
            Some(Value::Array(items)) => {
                let mut lines = Vec::with_capacity(items.len());
                for item in items {
                    match item {
                        Value::String(s) => lines.push(s.as_str()),
                        _ => {
                            return Err(format!(
                                "not a valid notebook: cell {} has a non-string source line",
                                i + 1
                            ))
                        }
                    }
                }
                (lines.concat(), Some(lines))
            }
            None => (String::new(), None),
            Some(_) => {
                return Err(format!(
                    "not a valid notebook: cell {} has a source that is not text",
                    i + 1
                ))
            }
        };
        // Lines are located entry by entry, which only maps source lines when the entries are
        // one per line (as nbformat writes them); otherwise the cell is left unlocated.
        let raw_lines = lines
            .filter(|lines| one_per_line(lines))
            .and_then(|lines| locator.locate(&lines));
        parsed.push(Cell {
            kind,
            source,
            id: cell.get("id").and_then(Value::as_str).map(str::to_string),
            raw_lines,
        });
    }
    Ok(Notebook {
        cells: parsed,
        language,
    })
}

/// Finds the JSON strings of source lines in the file's text, in order.
struct Locator<'a> {
    raw: &'a str,
    index: LineIndex,
    cursor: usize,
}

impl<'a> Locator<'a> {
    fn new(raw: &'a str) -> Self {
        Self {
            raw,
            index: LineIndex::new(raw),
            cursor: 0,
        }
    }

    /// The positions of the source lines of the next cell, if every one is found after the next
    /// `"source"` key (the file was written the way Jupyter writes it).
    fn locate(&mut self, lines: &[&str]) -> Option<Vec<(u32, u32)>> {
        let key = self.raw.get(self.cursor..)?.find("\"source\"")? + self.cursor;
        let mut at = key + "\"source\"".len();
        let mut found = Vec::with_capacity(lines.len());
        for line in lines {
            let encoded = serde_json::to_string(line).ok()?;
            let start = self.raw.get(at..)?.find(&encoded)? + at;
            let position = self
                .index
                .position(self.raw, start + 1, PositionEncoding::Utf16);
            found.push((position.line, position.character));
            at = start + encoded.len();
        }
        self.cursor = at;
        Some(found)
    }
}

/// Whether a cell's source entries are one line each: every entry but the last ends with a line
/// break and none has one inside.
fn one_per_line(lines: &[&str]) -> bool {
    lines.iter().enumerate().all(|(i, line)| {
        let body = line
            .strip_suffix("\r\n")
            .or_else(|| line.strip_suffix(['\n', '\r']))
            .unwrap_or(line);
        !body.contains(['\n', '\r']) && (i + 1 == lines.len() || body.len() < line.len())
    })
}

/// The UTF-16 length of `text` once escaped as in a JSON string.
pub fn escaped_utf16_len(text: &str) -> u32 {
    let encoded = serde_json::to_string(text).unwrap_or_default();
    let inner = encoded
        .strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .unwrap_or("");
    u32::try_from(inner.encode_utf16().count()).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOTEBOOK: &str = r##"{
 "cells": [
  {
   "cell_type": "markdown",
   "metadata": {},
   "source": ["# Title\n", "text"]
  },
  {
   "cell_type": "code",
   "execution_count": 1,
   "id": "abc",
   "metadata": {},
   "outputs": [{"name": "stdout", "output_type": "stream", "text": ["x = \"é\"\n"]}],
   "source": [
    "x = \"é\"\n",
    "print(x)"
   ]
  },
  {"cell_type": "raw", "metadata": {}, "source": "raw text"}
 ],
 "metadata": {"kernelspec": {"language": "python", "name": "python3"}},
 "nbformat": 4,
 "nbformat_minor": 5
}"##;

    #[test]
    fn reads_cells_and_locates_source_lines() {
        let notebook = parse(NOTEBOOK).expect("valid");
        assert!(notebook.is_python());
        assert_eq!(notebook.cells.len(), 3);
        assert_eq!(notebook.cells[0].kind, CellKind::Markdown);
        let code = &notebook.cells[1];
        assert_eq!(code.kind, CellKind::Code);
        assert_eq!(code.source, "x = \"é\"\nprint(x)");
        assert_eq!(code.id.as_deref(), Some("abc"));
        // The outputs hold the same text, but the source lines are found after "source".
        assert_eq!(code.raw_lines, Some(vec![(14, 5), (15, 5)]));
        assert_eq!(notebook.cells[2].source, "raw text");
        assert_eq!(notebook.cells[2].raw_lines, None);
        assert_eq!(escaped_utf16_len("x = \"é\""), 9);
    }

    #[test]
    fn malformed_notebooks_say_why() {
        let err = parse("{\"cells\": [").expect_err("truncated");
        assert!(
            err == "not a valid notebook: invalid JSON (EOF while parsing a list at line 1 column 11)",
            "{err}"
        );
        assert!(parse("[]")
            .expect_err("array")
            .contains("not a JSON object"));
        assert!(parse("{\"nbformat\": 3, \"worksheets\": []}")
            .expect_err("v3")
            .contains("nbformat 3"));
        assert!(parse("{\"nbformat\": 4}")
            .expect_err("no cells")
            .contains("no `cells`"));
        let bad_cell = "{\"nbformat\": 4, \"cells\": [{\"cell_type\": \"code\", \"source\": 3}]}";
        assert!(parse(bad_cell).expect_err("bad source").contains("cell 1"));
    }

    #[test]
    fn other_kernels_are_not_python() {
        let r = "{\"nbformat\": 4, \"cells\": [], \"metadata\": {\"kernelspec\": {\"language\": \"R\"}}}";
        assert!(!parse(r).expect("valid").is_python());
        assert!(is_notebook_path(Path::new("a/B.IPYNB")));
        assert!(!is_notebook_path(Path::new("a/b.py")));
    }
}
