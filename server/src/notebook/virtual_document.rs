//! jupyterlab-lsp's virtual documents: one plain `python` document per notebook (its URI ends in
//! `.ipynb`), cells joined by blank lines, magics already rewritten by the client into
//! `get_ipython().run_line_magic(...)`, `get_ipython().system(...)` and `get_ipython().getoutput(...)`.
//!
//! The Python analysis treats `get_ipython().system(cmd)` / `.getoutput(cmd)` as shell execution.
//! What it cannot know is that IPython expands `{expr}` and `$name` inside the command string
//! before the shell sees it, so [`prepare`] rewrites such a string literal into an expression of
//! the same length over the interpolated values (`"ls {p}"` → `(   p )`), and rewrites
//! `run_line_magic("system" | "sx", "...")` into the equivalent `system(...)` call. Any IPython
//! syntax the client left in place is neutralised as in notebook cells. Offsets never move.

use super::magics::{self, interpolations, parses_cleanly};

const RECEIVER: &str = "get_ipython().";

/// The text to scan for a virtual document, or `None` when it needs no rewriting.
pub fn prepare(text: &str) -> Option<String> {
    let mut bytes = text.as_bytes().to_vec();
    let mut changed = false;
    let mut from = 0;
    while let Some(found) = text[from..].find(RECEIVER) {
        let at = from + found + RECEIVER.len();
        from = at;
        changed |= rewrite_call(text, at, &mut bytes);
    }
    let rewritten = if changed {
        String::from_utf8(bytes).ok()?
    } else {
        text.to_string()
    };
    let neutralized = magics::neutralize(&rewritten, false, None);
    (changed || !neutralized.rewritten.is_empty()).then_some(neutralized.text)
}

/// Rewrites the call whose method name starts at `at`; returns whether it changed anything.
fn rewrite_call(text: &str, at: usize, bytes: &mut [u8]) -> bool {
    let rest = &text[at..];
    let (method, shell_magic) = if rest.starts_with("system(") {
        ("system", false)
    } else if rest.starts_with("getoutput(") {
        ("getoutput", false)
    } else if rest.starts_with("run_line_magic(") {
        ("run_line_magic", true)
    } else {
        return false;
    };
    let mut pos = at + method.len() + 1;
    let mut magic_arg = None;
    if shell_magic {
        let Some((name, end)) = string_literal(text, skip_spaces(text, pos)) else {
            return false;
        };
        if !matches!(&text[name.clone()], "system" | "sx") {
            return false;
        }
        let after = skip_spaces(text, end);
        if text.as_bytes().get(after) != Some(&b',') {
            return false;
        }
        magic_arg = Some(pos..after + 1);
        pos = after + 1;
    }
    let start = skip_spaces(text, pos);
    let Some((content, end)) = string_literal(text, start) else {
        return false;
    };
    if text.as_bytes().get(skip_spaces(text, end)) != Some(&b')') {
        return false;
    }
    let terms = interpolations(text, content.start, content.end);
    let Some(last) = terms.last() else {
        return false;
    };
    if last.close.is_none() && last.expr.end > content.end {
        return false;
    }
    let mut literal = vec![b' '; end - start];
    for (i, term) in terms.iter().enumerate() {
        literal[term.open - start] = if i == 0 { b'(' } else { b'+' };
        literal[term.expr.start - start..term.expr.end - start]
            .copy_from_slice(&text.as_bytes()[term.expr.clone()]);
    }
    literal[end - 1 - start] = b')';
    let Ok(code) = std::str::from_utf8(&literal) else {
        return false;
    };
    if !parses_cleanly(code.trim()) {
        return false;
    }
    bytes[start..end].copy_from_slice(&literal);
    if let Some(arg) = magic_arg {
        // `run_line_magic("sx", "...")` → `system        (          ...)`.
        let name = at..at + method.len();
        bytes[name.clone()].fill(b' ');
        bytes[name.start..name.start + "system".len()].copy_from_slice(b"system");
        bytes[arg].fill(b' ');
    }
    true
}

fn skip_spaces(text: &str, mut pos: usize) -> usize {
    let bytes = text.as_bytes();
    while matches!(bytes.get(pos), Some(b' ' | b'\t')) {
        pos += 1;
    }
    pos
}

/// A one-line, non-f, non-triple-quoted string literal starting at `start` (prefix included):
/// the range of its content and the offset just past its closing quote.
fn string_literal(text: &str, start: usize) -> Option<(std::ops::Range<usize>, usize)> {
    let bytes = text.as_bytes();
    let mut pos = start;
    while pos < start + 2 && matches!(bytes.get(pos), Some(b'r' | b'R' | b'u' | b'U')) {
        pos += 1;
    }
    let quote = *bytes.get(pos)?;
    if !matches!(quote, b'\'' | b'"') || bytes.get(pos + 1) == Some(&quote) {
        return None;
    }
    let content = pos + 1;
    let mut i = content;
    while let Some(&c) = bytes.get(i) {
        match c {
            b'\\' => i += 2,
            b'\n' | b'\r' => return None,
            c if c == quote => return Some((content..i, i + 1)),
            _ => i += 1,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interpolating_commands_become_expressions() {
        let text = "p = input()\nget_ipython().system('ls {p}')\nout = get_ipython().getoutput(\"cat $p\")\n";
        let prepared = prepare(text).expect("rewritten");
        assert_eq!(prepared.len(), text.len());
        assert!(
            prepared.contains("get_ipython().system(    (p ))\n"),
            "{prepared}"
        );
        assert!(prepared.contains("getoutput(     (p))\n"), "{prepared}");
    }

    #[test]
    fn run_line_magic_system_becomes_a_system_call() {
        let text = "get_ipython().run_line_magic(\"sx\", \"ls {d}\")";
        let prepared = prepare(text).expect("rewritten");
        assert_eq!(prepared, "get_ipython().system        (          (d ))");
        let other = "get_ipython().run_line_magic(\"matplotlib\", \"inline\")\n";
        assert_eq!(prepare(other), None);
    }

    #[test]
    fn constant_commands_and_plain_python_are_left_alone() {
        assert_eq!(prepare("get_ipython().system('ls -l')\nx = 1\n"), None);
        assert_eq!(prepare("get_ipython().system('ls ' + x)\n"), None);
        assert_eq!(prepare("import os\n"), None);
    }

    #[test]
    fn leftover_ipython_syntax_is_neutralised() {
        assert_eq!(
            prepare("x = 1\n%time y = 2\n").as_deref(),
            Some("x = 1\n0;    y = 2\n")
        );
    }
}
