//! Where secrets are looked for: all of a text file; in code, the string literals and comments
//! (the code around them is the language `hardcoded-credentials` detectors' business).

use std::ops::Range;

use crate::lang::Language;

/// Node kinds holding literal text in our grammars: strings (with f-string and template parts)
/// and comments.
const TEXT_KINDS: [&str; 8] = [
    "string",
    "string_literal",
    "text_block",
    "template_string",
    "jsx_text",
    "comment",
    "line_comment",
    "block_comment",
];

/// Whether a node kind is one of [`TEXT_KINDS`].
#[cfg(test)]
fn is_text_node(kind: &str) -> bool {
    TEXT_KINDS.contains(&kind)
}

/// The byte ranges to scan, in order, by walking the tree: the reference [`regions_of`] is
/// tested against.
#[cfg(test)]
fn regions(source: &str, tree: &tree_sitter::Tree, language: Language) -> Vec<Range<usize>> {
    if language == Language::Text {
        let whole: Range<usize> = 0..source.len();
        return std::iter::once(whole).collect();
    }
    let mut out = Vec::new();
    crate::lang::syntax::walk(tree, |node, _| {
        if is_text_node(node.kind()) {
            out.push(node.byte_range());
            return false;
        }
        true
    });
    out
}

/// [`regions`] of the file being scanned, from the scan's shared node index (no walk of its own):
/// the outermost text nodes, in order.
pub fn regions_of(ctx: &crate::detectors::Context<'_>) -> Vec<Range<usize>> {
    if ctx.language == Language::Text {
        return std::iter::once(0..ctx.source.len()).collect();
    }
    let mut nodes: Vec<Range<usize>> = TEXT_KINDS
        .iter()
        .flat_map(|kind| ctx.nodes_of_kind(kind).iter().map(|n| n.byte_range()))
        .collect();
    nodes.sort_by_key(|r| (r.start, std::cmp::Reverse(r.end)));
    let mut out: Vec<Range<usize>> = Vec::with_capacity(nodes.len());
    for range in nodes {
        // A string inside an f-string's or template's interpolation is part of the outer one.
        if out.last().is_some_and(|last| range.end <= last.end) {
            continue;
        }
        out.push(range);
    }
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

    #[test]
    fn regions_from_the_node_index_match_a_walk() {
        let cases = [
            (
                Language::Python,
                "k = f'a{\"b\" + c}d'  # x\ns = 'y' 'z'\ndef f():\n    '''doc'''\n",
            ),
            (
                Language::JavaScript,
                "const a = `x${'y' + `z${1}`}`; // c\n/* b */ <p>hi {'s'}</p>;\n",
            ),
            (
                Language::Java,
                "class A { String s = \"x\"; /* c */ String t = \"\"\"\n  b\n  \"\"\"; // d\n}\n",
            ),
        ];
        for (language, source) in cases {
            let tree = parse_str(language, source).expect("parses");
            let facts = crate::analysis::Facts::default();
            let ctx = crate::detectors::Context::new(source, &tree, language, None, &facts);
            assert_eq!(
                regions_of(&ctx),
                regions(source, &tree, language),
                "{source}"
            );
        }
    }
}
