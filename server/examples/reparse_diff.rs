//! Differential check of tree-sitter's incremental reparse (and the vendored patches to it, see
//! vendor/README.md): `reparse_diff SEED EDITS FILE...` applies EDITS random edits, one after
//! another, to each Python, Java or JavaScript FILE (inserted snippets — characters, newlines,
//! indentation, keywords, `@`, brackets, quotes, comment markers — deletions and replacements),
//! reparses incrementally after each and compares every node (kind, range, field name, missing,
//! error) with a full parse of the same text. Prints each difference and whether the full parse
//! has a syntax error (the unpatched parser differs in some of those too), then the totals. E.g.
//! `cargo run --release --example reparse_diff -- 1 20 $(find target/bench/tree/django -name '*.py')`.
use codeward::lang::{parse_str, Language};
use std::path::Path;
use tree_sitter::Tree;

#[path = "common/edit_chain.rs"]
mod edit_chain;
use edit_chain::{random_edit, reparse, Edit, Rng};

const SNIPPETS: &[&str] = &[
    "x",
    " ",
    "\n",
    "    ",
    ":",
    "def ",
    "@",
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    "\"",
    "'",
    "#",
    "class ",
    "\n    ",
    ",",
    "=",
    "if ",
    "else:",
    "\t",
    ";",
    "/*",
    "*/",
    "//",
    "`",
    "\"\"\"",
    "\n\n",
    "return ",
    "pass\n",
    "@dec\n",
    "def f():\n    pass\n",
    "\\",
    "0",
    ".",
    "async ",
    "lambda ",
    "print ",
    "match ",
    "*",
    "->",
    "${",
    "public ",
    "static ",
    "{\n",
    "}\n",
    "function ",
    "=>",
];

/// Every node of a tree in pre-order: kind, byte range, field name, missing, error.
type Dump = Vec<(u16, usize, usize, Option<String>, bool, bool)>;

fn dump(tree: &Tree) -> Dump {
    let mut nodes = Vec::new();
    let mut cursor = tree.walk();
    loop {
        let node = cursor.node();
        nodes.push((
            node.kind_id(),
            node.start_byte(),
            node.end_byte(),
            cursor.field_name().map(str::to_owned),
            node.is_missing(),
            node.is_error(),
        ));
        if cursor.goto_first_child() {
            continue;
        }
        while !cursor.goto_next_sibling() {
            if !cursor.goto_parent() {
                return nodes;
            }
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let seed: u64 = args.get(1).and_then(|s| s.parse().ok()).expect("SEED");
    let edits: usize = args.get(2).and_then(|s| s.parse().ok()).expect("EDITS");
    let mut rng = Rng(seed | 1);
    let (mut total, mut differ, mut differ_without_error) = (0, 0, 0);
    for file in &args[3..] {
        let Some(language) = Language::from_path(Path::new(file)) else {
            continue;
        };
        let Ok(mut text) = std::fs::read_to_string(file) else {
            continue;
        };
        let Some(mut tree) = parse_str(language, &text) else {
            continue;
        };
        for _ in 0..edits {
            let Edit {
                start,
                end,
                inserted,
                edited,
            } = random_edit(&mut rng, SNIPPETS, &text, &mut tree);
            let full = parse_str(language, &edited).expect("parses");
            let incremental = reparse(language, &edited, &tree);
            total += 1;
            if dump(&incremental) == dump(&full) {
                tree = incremental;
            } else {
                differ += 1;
                let has_error = full.root_node().has_error();
                if !has_error {
                    differ_without_error += 1;
                }
                println!(
                    "differs: {file} at {start}..{end} <- {inserted:?} (syntax error: {has_error})"
                );
                tree = full;
            }
            text = edited;
        }
    }
    println!("{total} edits, {differ} trees differ, {differ_without_error} of them without a syntax error");
}
