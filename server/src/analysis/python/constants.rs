//! Constant evaluation helpers: literal parsing, escape processing and Python string formatting
//! (`%`, `str.format`) over constant operands.

use crate::analysis::Constant;

/// The prefix letters of a string literal (`rb`, `f`, ...), lowercased.
pub fn string_prefix(start_token: &str) -> String {
    start_token
        .chars()
        .take_while(|c| c.is_ascii_alphabetic())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// Processes the escape sequences of a non-raw literal's content. Unknown escapes are kept as
/// written, as Python does.
pub fn unescape(content: &str) -> String {
    let mut out = String::with_capacity(content.len());
    let mut chars = content.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('0') => out.push('\0'),
            Some('\\') => out.push('\\'),
            Some('\'') => out.push('\''),
            Some('"') => out.push('"'),
            Some('\n') => {}
            Some('x') => {
                let hex: String = chars.by_ref().take(2).collect();
                match u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                    Some(decoded) => out.push(decoded),
                    None => {
                        out.push_str("\\x");
                        out.push_str(&hex);
                    }
                }
            }
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}

/// Parses a Python integer literal (`1_000`, `0x1F`, `0o17`, `0b1`).
pub fn parse_int(text: &str) -> Option<i64> {
    let clean: String = text.chars().filter(|c| *c != '_').collect();
    let lower = clean.to_ascii_lowercase();
    if let Some(hex) = lower.strip_prefix("0x") {
        i64::from_str_radix(hex, 16).ok()
    } else if let Some(oct) = lower.strip_prefix("0o") {
        i64::from_str_radix(oct, 8).ok()
    } else if let Some(bin) = lower.strip_prefix("0b") {
        i64::from_str_radix(bin, 2).ok()
    } else {
        lower.parse().ok()
    }
}

/// Parses a Python float literal.
pub fn parse_float(text: &str) -> Option<f64> {
    let clean: String = text.chars().filter(|c| *c != '_').collect();
    clean.parse().ok()
}

/// How `str(value)` renders a constant; `None` for lists (not worth modelling).
pub fn display(value: &Constant) -> Option<String> {
    Some(match value {
        Constant::Str(s) => s.clone(),
        Constant::Int(i) => i.to_string(),
        Constant::Float(f) if f.fract() == 0.0 && f.abs() < 1e16 => format!("{f:.1}"),
        Constant::Float(f) => f.to_string(),
        Constant::Bool(true) => "True".into(),
        Constant::Bool(false) => "False".into(),
        Constant::Null => "None".into(),
        Constant::List(_) => return None,
    })
}

/// `fmt % args` for constant operands. Supports `%s`, `%r`, `%d`, `%i`, `%%` and `%(name)s`;
/// anything else (widths, precision, `%x`) gives `None`.
pub fn percent_format(
    fmt: &str,
    positional: &[Constant],
    named: &[(String, Constant)],
) -> Option<String> {
    let mut out = String::with_capacity(fmt.len());
    let mut args = positional.iter();
    let mut chars = fmt.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let mut spec = chars.next()?;
        let value = if spec == '%' {
            out.push('%');
            continue;
        } else if spec == '(' {
            let name: String = chars.by_ref().take_while(|c| *c != ')').collect();
            spec = chars.next()?;
            named.iter().find(|(k, _)| *k == name).map(|(_, v)| v)?
        } else {
            args.next()?
        };
        match spec {
            's' | 'r' | 'd' | 'i' => {
                let text = display(value)?;
                if spec == 'r' {
                    if let Constant::Str(_) = value {
                        out.push('\'');
                        out.push_str(&text);
                        out.push('\'');
                        continue;
                    }
                }
                out.push_str(&text);
            }
            _ => return None,
        }
    }
    if args.next().is_some() {
        return None;
    }
    Some(out)
}

/// `fmt.format(*positional, **named)` for constant operands. Supports `{}`, `{0}`, `{name}`,
/// `{{`/`}}`; conversions and format specs give `None`.
pub fn brace_format(
    fmt: &str,
    positional: &[Constant],
    named: &[(String, Constant)],
) -> Option<String> {
    let mut out = String::with_capacity(fmt.len());
    let mut auto = 0usize;
    let mut chars = fmt.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
                out.push('{');
            }
            '}' if chars.peek() == Some(&'}') => {
                chars.next();
                out.push('}');
            }
            '{' => {
                let field: String = chars.by_ref().take_while(|c| *c != '}').collect();
                if field.contains(['!', ':', '[', '.']) {
                    return None;
                }
                let value = if field.is_empty() {
                    auto += 1;
                    positional.get(auto - 1)?
                } else if let Ok(index) = field.parse::<usize>() {
                    positional.get(index)?
                } else {
                    named.iter().find(|(k, _)| *k == field).map(|(_, v)| v)?
                };
                out.push_str(&display(value)?);
            }
            '}' => return None,
            _ => out.push(c),
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unescapes_common_sequences() {
        assert_eq!(unescape(r"a\nb\x41\q\\"), "a\nbA\\q\\");
        assert_eq!(string_prefix("Rb'''"), "rb");
    }

    #[test]
    fn formats_percent_and_braces() {
        let args = [Constant::Str("x".into()), Constant::Int(3)];
        assert_eq!(
            percent_format("%s-%d%%", &args, &[]).as_deref(),
            Some("x-3%")
        );
        assert_eq!(percent_format("%5s", &args, &[]), None);
        assert_eq!(percent_format("%s", &args, &[]), None, "too many arguments");
        let named = [("n".to_string(), Constant::Bool(true))];
        assert_eq!(
            percent_format("%(n)s", &[], &named).as_deref(),
            Some("True")
        );
        assert_eq!(
            brace_format("{}{{}}{1}{n}", &args, &named).as_deref(),
            Some("x{}3True")
        );
        assert_eq!(brace_format("{:>3}", &args, &[]), None);
        assert_eq!(parse_int("0x1_f"), Some(31));
    }
}
