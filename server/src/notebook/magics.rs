//! IPython syntax made Python-neutral without moving a single byte.
//!
//! Notebook code cells are IPython, not Python: `%line` and `%%cell` magics, `!shell` lines,
//! `x = !cmd`, `obj?` / `??obj` help and autocall escapes. Each is replaced by text of exactly
//! the same byte length (line terminators are never touched), so every offset of the rewritten
//! cell is the offset of the original one:
//!
//! - a magic, help or escape line becomes the expression `0` padded with spaces (a valid
//!   statement at any indentation; `x = %who_ls` keeps `x = ` and becomes `x = 0      `);
//! - `%time stmt` / `%timeit stmt` (without options) become `0;    stmt`, so the timed statement
//!   is still analysed;
//! - a `%%cell` magic whose body is Python (`%%time`, `%%timeit`, `%%capture`, `%%prun`,
//!   `%%debug`) loses its first line only; any other cell magic (`%%bash`, `%%sh`, `%%html`,
//!   `%%javascript`, `%%writefile`, ...) blanks the whole cell;
//! - a shell command (`!cmd`, `!!cmd`, `%system`, `%sx`, `x = !cmd`) that interpolates Python
//!   values (`{expr}` or `$name`, expanded by IPython before the shell runs) becomes a call of the
//!   one-character `callee` on those expressions, each kept at its own offset:
//!   `!ls {path}` → `S   (path)`, `!cp {a} {b}` → `S   (a  +b)`. The notebook's prelude binds the
//!   callee to IPython's shell execution, so the ordinary Python analysis and the
//!   os-command-injection detector see a shell command built from those values. A command without
//!   interpolation runs a constant and is neutralised like any other magic.
//!
//! Magics are only recognised where IPython recognises them: at the start of a logical line,
//! outside strings and brackets (so `(a\n != b)` and `x = (a\n % b)` are left alone).

use std::ops::Range;

use crate::lang::{parse_str, syntax, Language};

/// Cell magics whose body is Python code run in the kernel.
const PYTHON_BODY_CELL_MAGICS: [&str; 5] = ["time", "timeit", "capture", "prun", "debug"];

/// Line magics that run a shell command (IPython's `%system`, with `%sx` its capturing form).
const SHELL_LINE_MAGICS: [&str; 3] = ["system", "sx", "sc"];

/// Line magics that run the Python statement that follows them.
const STATEMENT_LINE_MAGICS: [&str; 4] = ["time", "timeit", "prun", "debug"];

/// A cell rewritten into plain Python of the same length.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Neutralized {
    /// The rewritten text (same byte length and same line terminators as the input).
    pub text: String,
    /// The byte ranges whose text differs from the input, sorted.
    pub rewritten: Vec<Range<usize>>,
    /// Whether a shell command was rewritten into a call of the callee.
    pub uses_callee: bool,
}

/// Rewrites one cell (`whole_cell`: a notebook cell, where `%%` on the first line is a cell magic;
/// otherwise a document of many cells, where it is only a line). `callee` is the one-byte
/// identifier that stands for shell execution, or `None` to neutralise shell commands like other
/// magics.
pub fn neutralize(cell: &str, whole_cell: bool, callee: Option<u8>) -> Neutralized {
    let mut out = Rewriter::new(cell);
    let lines = split_lines(cell);
    if whole_cell {
        if let Some(first) = lines
            .iter()
            .find(|l| !cell[l.start..l.end].trim().is_empty())
        {
            let text = &cell[first.clone()];
            if let Some(rest) = text.trim_start().strip_prefix("%%") {
                let name: String = rest.chars().take_while(|c| is_ident(*c)).collect();
                if PYTHON_BODY_CELL_MAGICS.contains(&name.as_str()) {
                    out.blank(first.clone());
                    let after = first.end;
                    scan_lines(cell, &lines, after, callee, &mut out);
                } else {
                    out.blank(first.start..cell.len());
                }
                return out.finish();
            }
        }
    }
    scan_lines(cell, &lines, 0, callee, &mut out);
    out.finish()
}

/// The rewritten bytes and what changed.
struct Rewriter<'a> {
    original: &'a str,
    bytes: Vec<u8>,
    rewritten: Vec<Range<usize>>,
    uses_callee: bool,
}

impl<'a> Rewriter<'a> {
    fn new(original: &'a str) -> Self {
        Self {
            original,
            bytes: original.as_bytes().to_vec(),
            rewritten: Vec::new(),
            uses_callee: false,
        }
    }

    /// Replaces every character of `range` but line terminators with spaces.
    fn blank(&mut self, range: Range<usize>) {
        for i in range.clone() {
            if !matches!(self.bytes[i], b'\n' | b'\r') {
                self.bytes[i] = b' ';
            }
        }
        self.mark(range);
    }

    /// Replaces `range` (within one line) with `0` and spaces.
    fn neutral(&mut self, range: Range<usize>) {
        if range.is_empty() {
            return;
        }
        self.blank(range.clone());
        self.bytes[range.start] = b'0';
    }

    /// Writes `text` (same length as `range`) over `range`.
    fn write(&mut self, range: Range<usize>, text: &[u8]) {
        self.bytes[range.clone()].copy_from_slice(text);
        self.mark(range);
    }

    fn mark(&mut self, range: Range<usize>) {
        if !range.is_empty() {
            self.rewritten.push(range);
        }
    }

    fn finish(mut self) -> Neutralized {
        self.rewritten.sort_by_key(|r| (r.start, r.end));
        // Every write replaces whole characters by ASCII, or copies whole characters; if that
        // invariant were ever broken, fall back to the original rather than panic.
        let text = String::from_utf8(self.bytes).unwrap_or_else(|_| self.original.to_string());
        Neutralized {
            text,
            rewritten: self.rewritten,
            uses_callee: self.uses_callee,
        }
    }
}

/// The byte ranges of the lines of `text`, without their terminators (`\n`, `\r\n`, `\r`).
fn split_lines(text: &str) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let mut lines = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\n' => {
                lines.push(start..i);
                start = i + 1;
            }
            b'\r' => {
                lines.push(start..i);
                if bytes.get(i + 1) == Some(&b'\n') {
                    i += 1;
                }
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    lines.push(start..bytes.len());
    lines
}

fn is_ident(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Where the Python lexer is at a line start.
#[derive(Debug, Default, Clone, Copy)]
struct LexState {
    depth: usize,
    /// Inside a string: its quote and whether it is triple-quoted.
    string: Option<(u8, bool)>,
    /// The previous line ended with a backslash continuation.
    continued: bool,
}

impl LexState {
    fn at_logical_start(&self) -> bool {
        self.depth == 0 && self.string.is_none() && !self.continued
    }

    /// Lexes one line (without its terminator) just enough to track brackets and strings.
    fn lex(&mut self, line: &[u8]) {
        let mut i = 0;
        self.continued = false;
        while i < line.len() {
            let c = line[i];
            if let Some((quote, triple)) = self.string {
                if c == b'\\' {
                    if i + 1 == line.len() {
                        // An escaped line break: the string goes on.
                        self.continued = true;
                    }
                    i += 2;
                    continue;
                }
                if c == quote {
                    if !triple {
                        self.string = None;
                    } else if line.get(i + 1) == Some(&quote) && line.get(i + 2) == Some(&quote) {
                        self.string = None;
                        i += 3;
                        continue;
                    }
                }
                i += 1;
                continue;
            }
            match c {
                b'#' => break,
                b'\'' | b'"' => {
                    let triple = line.get(i + 1) == Some(&c) && line.get(i + 2) == Some(&c);
                    self.string = Some((c, triple));
                    i += if triple { 3 } else { 1 };
                    continue;
                }
                b'(' | b'[' | b'{' => self.depth += 1,
                b')' | b']' | b'}' => self.depth = self.depth.saturating_sub(1),
                b'\\' if i + 1 == line.len() => self.continued = true,
                _ => {}
            }
            i += 1;
        }
        // A single-quoted string cannot span lines unless its line break is escaped.
        if let Some((_, false)) = self.string {
            if !self.continued {
                self.string = None;
            }
        }
    }
}

/// Rewrites the IPython lines of `lines` from byte `from` on.
fn scan_lines(
    cell: &str,
    lines: &[Range<usize>],
    from: usize,
    callee: Option<u8>,
    out: &mut Rewriter<'_>,
) {
    let bytes = cell.as_bytes();
    let mut state = LexState::default();
    // Inside a magic continued with a trailing backslash: later lines belong to it.
    let mut in_magic = false;
    for line in lines.iter().filter(|l| l.start >= from) {
        let text = &cell[line.clone()];
        if in_magic {
            out.blank(line.clone());
            in_magic = text.ends_with('\\');
            continue;
        }
        if state.at_logical_start() {
            if let Some(magic_end) = rewrite_line(cell, line.clone(), callee, out) {
                in_magic = cell[line.start..magic_end].ends_with('\\');
                if in_magic {
                    out.blank(magic_end - 1..magic_end);
                }
                continue;
            }
        }
        state.lex(&bytes[line.clone()]);
    }
}

/// Rewrites one line if it is IPython syntax; returns the end of the rewritten text.
fn rewrite_line(
    cell: &str,
    line: Range<usize>,
    callee: Option<u8>,
    out: &mut Rewriter<'_>,
) -> Option<usize> {
    let text = &cell[line.clone()];
    let indent = text.len() - text.trim_start().len();
    let start = line.start + indent;
    let body = &cell[start..line.end];
    let first = body.bytes().next()?;
    match first {
        b'!' => {
            let cmd = if body.starts_with("!!") { 2 } else { 1 };
            shell(cell, start, start + cmd, line.end, callee, out);
            Some(line.end)
        }
        b'%' => {
            magic(cell, start, line.end, callee, out);
            Some(line.end)
        }
        b'?' | b'/' | b',' | b';' => {
            out.neutral(start..line.end);
            Some(line.end)
        }
        _ => {
            if let Some(value) = assigned_escape(body) {
                let at = start + value;
                if body[value..].starts_with('!') {
                    shell(cell, at, at + 1, line.end, callee, out);
                } else {
                    magic(cell, at, line.end, callee, out);
                }
                return Some(line.end);
            }
            if is_help(body) {
                out.neutral(start..line.end);
                return Some(line.end);
            }
            None
        }
    }
}

/// `lhs = !cmd` / `lhs = %magic`: the offset of the `!` or `%` in `body`.
fn assigned_escape(body: &str) -> Option<usize> {
    let bytes = body.as_bytes();
    let eq = body.find('=')?;
    if eq == 0
        || !body[..eq]
            .chars()
            .all(|c| is_ident(c) || matches!(c, ' ' | '\t' | ',' | '.' | '[' | ']' | '*'))
        || !body[..eq].chars().any(is_ident)
        || matches!(bytes.get(eq + 1), Some(b'='))
    {
        return None;
    }
    let value = eq + 1 + (body[eq + 1..].len() - body[eq + 1..].trim_start().len());
    match bytes.get(value) {
        Some(b'!') => Some(value),
        Some(b'%') if bytes.get(value + 1) != Some(&b'%') => Some(value),
        _ => None,
    }
}

/// `obj?`, `obj??`, `obj.attr?`: a line of a name ending in `?` (no strings, no comment).
fn is_help(body: &str) -> bool {
    let trimmed = body.trim_end();
    trimmed.ends_with('?')
        && trimmed
            .trim_end_matches('?')
            .chars()
            .all(|c| is_ident(c) || matches!(c, '.' | '*' | '[' | ']' | '(' | ')'))
}

/// A line magic at `start` (the `%`) up to `end`.
fn magic(cell: &str, start: usize, end: usize, callee: Option<u8>, out: &mut Rewriter<'_>) {
    let body = &cell[start..end];
    let name_len = body[1..]
        .find(|c: char| !is_ident(c))
        .unwrap_or(body.len() - 1);
    let name = &body[1..1 + name_len];
    let after = start + 1 + name_len;
    if SHELL_LINE_MAGICS.contains(&name) {
        shell(cell, start, after, end, callee, out);
        return;
    }
    if STATEMENT_LINE_MAGICS.contains(&name) {
        let rest = &cell[after..end];
        let code = rest.trim_start();
        let code_at = end - code.len();
        if !code.starts_with('-') && simple_statement(code) && code_at >= start + 2 {
            out.neutral(start..code_at);
            out.write(start + 1..start + 2, b";");
            return;
        }
    }
    out.neutral(start..end);
}

/// Whether `code` is one simple statement on one line that parses cleanly.
fn simple_statement(code: &str) -> bool {
    let trimmed = code.trim();
    !trimmed.is_empty()
        && !trimmed.ends_with('\\')
        && !trimmed.ends_with(':')
        && parses_cleanly(trimmed)
        && ![
            "for ", "while ", "if ", "with ", "def ", "class ", "try", "async ", "@",
        ]
        .iter()
        .any(|k| trimmed.starts_with(k))
}

/// Whether `code` parses as Python without a syntax error.
pub(super) fn parses_cleanly(code: &str) -> bool {
    parse_str(Language::Python, code).is_some_and(|tree| {
        syntax::syntax_errors(&tree).is_empty() && !tree.root_node().has_error()
    })
}

/// One interpolation of a shell command: `{expr}` or `$name`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Term {
    /// The `{` or `$`.
    pub(super) open: usize,
    /// The expression.
    pub(super) expr: Range<usize>,
    /// The `}` of a braced term.
    pub(super) close: Option<usize>,
}

/// A shell command: the escape (`!`, `!!`, `%system`...) at `start`, the command from `cmd` to
/// `end`. Rewritten to a call of `callee` on its interpolated expressions, else neutralised.
fn shell(
    cell: &str,
    start: usize,
    cmd: usize,
    end: usize,
    callee: Option<u8>,
    out: &mut Rewriter<'_>,
) {
    let terms = interpolations(cell, cmd, end);
    let call = callee.filter(|_| !terms.is_empty()).and_then(|callee| {
        aligned_call(cell, start, end, &terms, callee)
            .or_else(|| compact_call(cell, start, end, &terms, callee))
    });
    match call {
        Some(text) => {
            out.write(start..end, &text);
            out.uses_callee = true;
        }
        None => out.neutral(start..end),
    }
}

/// The interpolations IPython expands in a shell command (`{expr}`, `$name`; `{{`, `}}` and `$$`
/// are literal).
pub(super) fn interpolations(cell: &str, from: usize, end: usize) -> Vec<Term> {
    let bytes = cell.as_bytes();
    let mut terms = Vec::new();
    let mut i = from;
    while i < end {
        match bytes[i] {
            b'{' if bytes.get(i + 1) == Some(&b'{') => i += 2,
            b'}' if bytes.get(i + 1) == Some(&b'}') => i += 2,
            b'$' if bytes.get(i + 1) == Some(&b'$') => i += 2,
            b'{' => {
                let Some(close) = matching_brace(bytes, i, end) else {
                    break;
                };
                let expr = expression_part(bytes, i + 1, close);
                if !cell[expr.clone()].trim().is_empty() {
                    terms.push(Term {
                        open: i,
                        expr,
                        close: Some(close),
                    });
                }
                i = close + 1;
            }
            b'$' => {
                let mut j = i + 1;
                while j < end
                    && (bytes[j].is_ascii_alphanumeric() || matches!(bytes[j], b'_' | b'.'))
                {
                    j += 1;
                }
                while j > i + 1 && bytes[j - 1] == b'.' {
                    j -= 1;
                }
                if j > i + 1 && !bytes[i + 1].is_ascii_digit() {
                    terms.push(Term {
                        open: i,
                        expr: i + 1..j,
                        close: None,
                    });
                }
                i = j.max(i + 1);
            }
            _ => i += 1,
        }
    }
    terms
}

/// The `}` closing the `{` at `open`, skipping nested brackets and strings.
fn matching_brace(bytes: &[u8], open: usize, end: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut quote: Option<u8> = None;
    let mut i = open + 1;
    while i < end {
        let c = bytes[i];
        match quote {
            Some(q) => {
                if c == b'\\' {
                    i += 1;
                } else if c == q {
                    quote = None;
                }
            }
            None => match c {
                b'\'' | b'"' => quote = Some(c),
                b'(' | b'[' | b'{' => depth += 1,
                b')' | b']' => depth = depth.saturating_sub(1),
                b'}' if depth == 0 => return Some(i),
                b'}' => depth -= 1,
                _ => {}
            },
        }
        i += 1;
    }
    None
}

/// The expression of a `{...}` term: up to a top-level `!conversion` or `:format spec`.
fn expression_part(bytes: &[u8], from: usize, close: usize) -> Range<usize> {
    let mut depth = 0usize;
    let mut quote: Option<u8> = None;
    let mut i = from;
    while i < close {
        let c = bytes[i];
        match quote {
            Some(q) => {
                if c == b'\\' {
                    i += 1;
                } else if c == q {
                    quote = None;
                }
            }
            None => match c {
                b'\'' | b'"' => quote = Some(c),
                b'(' | b'[' | b'{' => depth += 1,
                b')' | b']' | b'}' => depth = depth.saturating_sub(1),
                b':' if depth == 0 => return from..i,
                b'!' if depth == 0 && bytes.get(i + 1) != Some(&b'=') => return from..i,
                _ => {}
            },
        }
        i += 1;
    }
    from..close
}

/// `S(   a  +b)`: each expression at its own offset, the callee at the escape, `(` at the first
/// term's opening, `+` at the others', `)` after the last. `None` when there is no room for the
/// closing parenthesis or the result does not parse.
fn aligned_call(
    cell: &str,
    start: usize,
    end: usize,
    terms: &[Term],
    callee: u8,
) -> Option<Vec<u8>> {
    let bytes = cell.as_bytes();
    let mut text = vec![b' '; end - start];
    text[0] = callee;
    // Per term: the operator slot (`(` or `+`) and where its expression goes.
    let mut slots: Vec<(usize, usize)> = terms.iter().map(|t| (t.open, t.expr.start)).collect();
    let last = terms.last()?;
    let close = match last.close {
        Some(close) => close,
        // The `)` replaces the character after `$name`, which must be a single byte.
        None if last.expr.end < end && bytes[last.expr.end].is_ascii() => last.expr.end,
        // No room after a final `$name`: move the name left by one, over its `$`.
        None => {
            let slot = last.open.checked_sub(1).filter(|s| *s > start)?;
            if let Some(previous) = terms.len().checked_sub(2).and_then(|i| terms.get(i)) {
                if previous.close.map_or(previous.expr.end, |c| c + 1) > slot {
                    return None;
                }
            }
            if let Some(place) = slots.last_mut() {
                *place = (slot, last.open);
            }
            last.expr.end - 1
        }
    };
    for (i, (term, (slot, dest))) in terms.iter().zip(slots).enumerate() {
        text[slot - start] = if i == 0 { b'(' } else { b'+' };
        let len = term.expr.len();
        text[dest - start..dest - start + len].copy_from_slice(&bytes[term.expr.clone()]);
    }
    text[close - start] = b')';
    // A trailing shell comment stays a comment (so suppression comments keep working).
    if let Some(hash) = bytes[close + 1..end].iter().position(|&b| b == b'#') {
        let at = close + 1 + hash;
        text[at - start..].copy_from_slice(&bytes[at..end]);
    }
    checked(text)
}

/// `S(a+b)` from the escape on, padded with spaces, when the aligned form does not fit.
fn compact_call(
    cell: &str,
    start: usize,
    end: usize,
    terms: &[Term],
    callee: u8,
) -> Option<Vec<u8>> {
    let mut text = vec![callee, b'('];
    for (i, term) in terms.iter().enumerate() {
        if i > 0 {
            text.push(b'+');
        }
        text.extend_from_slice(cell[term.expr.clone()].as_bytes());
    }
    text.push(b')');
    if text.len() > end - start {
        return None;
    }
    text.resize(end - start, b' ');
    checked(text)
}

/// The call text if it is valid UTF-8 that parses as one Python expression.
fn checked(text: Vec<u8>) -> Option<Vec<u8>> {
    let code = std::str::from_utf8(&text).ok()?;
    parses_cleanly(code).then_some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rewrite(cell: &str) -> String {
        let out = neutralize(cell, true, Some(b'S'));
        assert_eq!(out.text.len(), cell.len(), "length changed for {cell:?}");
        out.text
    }

    fn assert_parses(text: &str) {
        let tree = parse_str(Language::Python, text).expect("parses");
        assert!(
            !tree.root_node().has_error(),
            "syntax error in rewritten text:\n{text}"
        );
    }

    #[test]
    fn line_magics_and_help_become_neutral() {
        let cell = "%matplotlib inline\nimport os\nos.getcwd?\n??os.path\n%pip install x\n";
        let out = rewrite(cell);
        assert_eq!(
            out,
            "0                 \nimport os\n0         \n0        \n0             \n"
        );
        assert_parses(&out);
    }

    #[test]
    fn indented_magics_keep_the_block_valid() {
        let cell = "if True:\n    %load_ext autoreload\n    !ls\nelse:\n    x = 1\n";
        let out = rewrite(cell);
        assert_eq!(
            out,
            "if True:\n    0                   \n    0  \nelse:\n    x = 1\n"
        );
        assert_parses(&out);
    }

    #[test]
    fn operators_in_brackets_and_strings_are_not_magics() {
        let cell = "x = (a\n     != b)\ny = (a\n% b)\ns = '''\n!not a shell\n%not a magic\n'''\n";
        assert_eq!(rewrite(cell), cell);
    }

    #[test]
    fn shell_commands_with_interpolation_become_calls() {
        assert_eq!(rewrite("!ls {path}\n"), "S   (path)\n");
        assert_eq!(rewrite("!cp {a} {b}"), "S   (a  +b)");
        assert_eq!(rewrite("!{cmd}"), "S(cmd)");
        assert_eq!(rewrite("!echo $name x"), "S     (name) ");
        // No room for `)` after a final `$name`: the name moves over its `$`.
        assert_eq!(rewrite("!echo $name"), "S    (name)");
        assert_eq!(rewrite("!echo $q中"), "S    (q)   ");
        // No room at all: the compact form.
        assert_eq!(rewrite("!$x"), "0  ");
        assert_eq!(rewrite("!{a}$b"), "S(a+b)");
        assert_eq!(rewrite("!!grep {pat!r:>5} f"), "S      (pat     )  ");
        assert_eq!(
            rewrite("files = !ls {d}  # note"),
            "files = S   (d)  # note"
        );
        assert_eq!(rewrite("%sx ls {d}"), "S      (d)");
        assert_eq!(rewrite("%system ls {d.upper()}"), "S          (d.upper())");
    }

    #[test]
    fn shell_commands_without_interpolation_are_neutral() {
        assert_eq!(rewrite("!pip install requests"), "0                    ");
        assert_eq!(
            rewrite("!echo {{literal}} $$HOME"),
            "0                       "
        );
        let out = neutralize("!ls {x}", true, None);
        assert_eq!(out.text, "0      ");
        assert!(!out.uses_callee);
    }

    #[test]
    fn cell_magics() {
        let bash = "%%bash\necho $HOME\nfor f in *; do rm \"$f\"; done\n";
        let out = rewrite(bash);
        assert_eq!(out, "      \n          \n                            \n");
        let timed = "\n%%timeit -n 3\nx = [i for i in range(9)]\n";
        assert_eq!(
            rewrite(timed),
            "\n             \nx = [i for i in range(9)]\n"
        );
        let html = "%%html\n<b>{x}</b>";
        assert_eq!(rewrite(html), "      \n          ");
    }

    #[test]
    fn statement_magics_keep_their_statement() {
        assert_eq!(rewrite("%time r = f(x)\n"), "0;    r = f(x)\n");
        assert_eq!(rewrite("%timeit -n 3 f(x)"), "0                ");
        assert_eq!(rewrite("%time for i in x: pass"), "0                     ");
    }

    #[test]
    fn backslash_continued_magics_are_blanked() {
        let out = rewrite("!ls \\\n  -l\nx = 1\n");
        assert_eq!(out, "0    \n    \nx = 1\n");
        assert_parses(&out);
    }

    #[test]
    fn crlf_and_lone_cr_are_kept() {
        assert_eq!(rewrite("%ls\r\nx = 1\r%ls"), "0  \r\nx = 1\r0  ");
    }

    #[test]
    fn rewritten_ranges_cover_every_change() {
        let cell = "import os\n!ls {p}\n%env A=1\nx?\n";
        let out = neutralize(cell, true, Some(b'S'));
        for (i, (a, b)) in cell.bytes().zip(out.text.bytes()).enumerate() {
            if a != b {
                assert!(
                    out.rewritten.iter().any(|r| r.contains(&i)),
                    "byte {i} changed outside the rewritten ranges"
                );
            }
        }
        assert!(out.uses_callee);
    }

    #[test]
    fn non_ascii_commands_keep_utf8() {
        let out = rewrite("!echo 😀 {é}\n");
        assert_eq!(out, "S          (é)\n");
    }
}
