//! Masking secret values for messages: nothing Codeward prints (diagnostics, text, JSON and SARIF
//! reports, logs) carries a whole secret.

/// How many stars at most stand for the hidden part (the exact length is not needed).
const MAX_STARS: usize = 12;

/// Shows the first 4 characters of `value` and stars for the rest. Short values (under 12
/// characters, typically passwords) show a third of their length at most, so a short password is
/// never mostly revealed.
pub fn mask(value: &str) -> String {
    let len = value.chars().count();
    let shown = 4.min(len / 3);
    let mut out: String = value.chars().take(shown).collect();
    let hidden = len - shown;
    out.extend(std::iter::repeat_n('*', hidden.min(MAX_STARS)));
    if hidden > MAX_STARS {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shows_at_most_four_characters() {
        assert_eq!(
            mask(concat!("AKIA", "Z7Q3M5T2R8W4K6NP")),
            "AKIA************…"
        );
        assert_eq!(mask(concat!("Xk29", "!vbQ7m")), "Xk2*******");
        assert_eq!(mask("abcdef"), "ab****");
        assert_eq!(mask("ab"), "**");
        assert_eq!(mask(""), "");
        assert_eq!(mask("ÿÿÿÿÿÿÿÿÿÿÿÿ"), "ÿÿÿÿ********");
    }
}
