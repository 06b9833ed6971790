//! Where secrets are looked for: all of a text file; in code, the string literals and comments
//! (the code around them is the language `hardcoded-credentials` detectors' business).

use std::ops::Range;

use tree_sitter::Tree;

use crate::lang::{syntax, Language};

/// Node kinds holding literal text in our grammars: strings (with f-string and template parts)
/// and comments.
fn is_text_node(kind: &str) -> bool {
    matches!(
        kind,
        "string"
            | "string_literal"
            | "text_block"
            | "template_string"
            | "jsx_text"
            | "comment"
            | "line_comment"
            | "block_comment"
    )
}

/// The byte ranges to scan, in order.
pub fn regions(source: &str, tree: &Tree, language: Language) -> Vec<Range<usize>> {
    if language == Language::Text {
        let whole: Range<usize> = 0..source.len();
        return std::iter::once(whole).collect();
    }
    let mut out = Vec::new();
    syntax::walk(tree, |node, _| {
        if is_text_node(node.kind()) {
            out.push(node.byte_range());
            return false;
        }
        true
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::parse_str;

    #[test]
    fn code_regions_are_literals_and_comments() {
        let source = "password = 'x'  # note\nf(\"a\" \"b\")\n";
        let tree = parse_str(Language::Python, source).expect("parses");
        let texts: Vec<&str> = regions(source, &tree, Language::Python)
            .into_iter()
            .map(|r| &source[r])
            .collect();
        assert_eq!(texts, vec!["'x'", "# note", "\"a\"", "\"b\""]);
    }
}
