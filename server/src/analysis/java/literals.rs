//! Java literal values: string literals and text blocks with their escapes, integer literals, and
//! constant formatting (`String.format` with `%s`/`%d`).

use tree_sitter::Node;

use crate::analysis::Constant;
use crate::lang::syntax::text;

/// The value of a string literal or text block.
pub fn string_value(node: Node<'_>, source: &str) -> Option<String> {
    let raw = text(node, source);
    if let Some(body) = raw.strip_prefix("\"\"\"") {
        let body = body.strip_suffix("\"\"\"")?;
        // The content starts after the line break that follows the opening delimiter.
        let body = body.split_once('\n').map_or("", |(_, rest)| rest);
        return Some(unescape(&strip_indent(body)));
    }
    let body = raw.strip_prefix('"')?.strip_suffix('"')?;
    Some(unescape(body))
}

/// Removes the common leading whitespace of a text block's lines (the closing delimiter's line
/// counts) and trailing spaces, as the compiler does.
fn strip_indent(body: &str) -> String {
    let lines: Vec<&str> = body.split('\n').collect();
    let last_is_delimiter_line = lines.last().is_some_and(|l| l.trim().is_empty());
    let indent = lines
        .iter()
        .enumerate()
        .filter(|(i, l)| !l.trim().is_empty() || (*i + 1 == lines.len() && last_is_delimiter_line))
        .map(|(_, l)| l.len() - l.trim_start_matches([' ', '\t']).len())
        .min()
        .unwrap_or(0);
    let mut out: Vec<String> = lines
        .iter()
        .map(|l| {
            l.get(indent..)
                .unwrap_or("")
                .trim_end_matches([' ', '\t', '\r'])
                .to_string()
        })
        .collect();
    if last_is_delimiter_line {
        // The delimiter line contributes no text, but the line break before it stays.
        if let Some(last) = out.last_mut() {
            last.clear();
        }
    }
    out.join("\n")
}

/// Decodes Java escape sequences; unknown escapes are kept as written.
fn unescape(body: &str) -> String {
    let mut out = String::with_capacity(body.len());
    let mut chars = body.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('b') => out.push('\u{8}'),
            Some('f') => out.push('\u{c}'),
            Some('s') => out.push(' '),
            Some('0') => out.push('\0'),
            Some('\n') => {}
            Some('u') => {
                while chars.peek() == Some(&'u') {
                    chars.next();
                }
                let hex: String = chars.by_ref().take(4).collect();
                match u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                    Some(decoded) => out.push(decoded),
                    None => {
                        out.push_str("\\u");
                        out.push_str(&hex);
                    }
                }
            }
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

/// The value of an integer literal (decimal or hexadecimal, with `_` separators and `L` suffix).
pub fn int_value(written: &str) -> Option<i64> {
    let cleaned: String = written
        .chars()
        .filter(|c| *c != '_')
        .collect::<String>()
        .trim_end_matches(['l', 'L'])
        .to_string();
    if let Some(hex) = cleaned
        .strip_prefix("0x")
        .or_else(|| cleaned.strip_prefix("0X"))
    {
        return i64::from_str_radix(hex, 16).ok();
    }
    cleaned.parse().ok()
}

/// How a constant prints when concatenated to a string (`null`, `true`, `42`); floats are left
/// out because Java's formatting of them differs from Rust's.
pub fn display(constant: &Constant) -> Option<String> {
    match constant {
        Constant::Str(s) => Some(s.clone()),
        Constant::Int(i) => Some(i.to_string()),
        Constant::Bool(b) => Some(b.to_string()),
        Constant::Null => Some("null".to_string()),
        Constant::Float(_) | Constant::List(_) => None,
    }
}

/// `String.format` over constant arguments, for the `%s`, `%d`, `%%` and `%n` conversions only.
pub fn format(template: &str, args: &[Option<&Constant>]) -> Option<String> {
    let mut out = String::with_capacity(template.len());
    let mut next = args.iter();
    let mut chars = template.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        match chars.next()? {
            '%' => out.push('%'),
            'n' => out.push('\n'),
            's' | 'd' => out.push_str(&display((*next.next()?)?)?),
            _ => return None,
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::{parse_str, Language};

    fn literal(expr: &str) -> Option<String> {
        let source = format!("class A {{ String s = {expr}; }}");
        let tree = parse_str(Language::Java, &source).expect("parses");
        let mut found = None;
        crate::lang::syntax::walk(&tree, |node, _| {
            if node.kind() == "string_literal" && found.is_none() {
                found = string_value(node, &source);
            }
            true
        });
        found
    }

    #[test]
    fn strings_and_text_blocks() {
        assert_eq!(literal(r#""a\tb\"c\u0041""#).as_deref(), Some("a\tb\"cA"));
        assert_eq!(
            literal("\"\"\"\n        SELECT *\n          FROM t\n        \"\"\"").as_deref(),
            Some("SELECT *\n  FROM t\n")
        );
    }

    #[test]
    fn integers_and_format() {
        assert_eq!(int_value("1_000L"), Some(1000));
        assert_eq!(int_value("0xFF"), Some(255));
        let a = Constant::Str("t".into());
        let n = Constant::Int(3);
        assert_eq!(
            format("select * from %s where id=%d%%", &[Some(&a), Some(&n)]).as_deref(),
            Some("select * from t where id=3%")
        );
        assert_eq!(format("%08x", &[Some(&n)]), None);
        assert_eq!(format("%s", &[None]), None);
    }
}
