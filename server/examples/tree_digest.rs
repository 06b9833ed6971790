//! Differential check of changes to the vendored tree-sitter (see vendor/README.md) that must not
//! change any tree: `tree_digest SEED EDITS FILE...` parses each Python, Java, JavaScript or
//! TypeScript FILE and prints a digest of its tree (every node in pre-order: kind, byte and point
//! range, field name, named, missing, error, extra, parse state), then applies EDITS random edits
//! one after another, as `reparse_diff` does (so most edited texts have syntax errors), and
//! prints the digests of the incremental reparse and of a full parse of each edited text. Run it
//! with the same arguments from a build with and one without the change and diff the outputs;
//! `--dump FILE` prints one file's nodes instead. E.g.
//! `cargo run --release --example tree_digest -- 1 5 $(find target/bench/tree/django -name '*.py')`.
use codeward::lang::{parse_str, Language};
use std::fmt::Write as _;
use std::path::Path;
use tree_sitter::Tree;

#[path = "common/edit_chain.rs"]
#[allow(dead_code)] // the edit's position is printed by `reparse_diff`, not here
mod edit_chain;
use edit_chain::{random_edit, reparse, Rng};

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
    "f\"",
    "r'",
    "b\"\"\"",
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
    "{\n",
    "}\n",
    "function ",
    "=>",
    "é",
    "\r\n",
];

/// Every node of a tree in pre-order, one line each.
fn dump(tree: &Tree) -> String {
    let mut out = String::new();
    let mut cursor = tree.walk();
    loop {
        let node = cursor.node();
        let _ = writeln!(
            out,
            "{} {}..{} {:?}..{:?} {:?} n{} m{} e{} x{} s{}",
            node.kind_id(),
            node.start_byte(),
            node.end_byte(),
            (node.start_position().row, node.start_position().column),
            (node.end_position().row, node.end_position().column),
            cursor.field_name(),
            u8::from(node.is_named()),
            u8::from(node.is_missing()),
            u8::from(node.is_error()),
            u8::from(node.is_extra()),
            node.parse_state(),
        );
        if cursor.goto_first_child() {
            continue;
        }
        while !cursor.goto_next_sibling() {
            if !cursor.goto_parent() {
                return out;
            }
        }
    }
}

/// FNV-1a, 64 bits: a stable digest without a dependency.
fn digest(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).is_some_and(|a| a == "--dump") {
        let file = args.get(2).expect("--dump FILE");
        let language = Language::from_path(Path::new(file)).expect("a parsed language");
        let text = std::fs::read_to_string(file).expect("readable UTF-8");
        print!("{}", dump(&parse_str(language, &text).expect("parses")));
        return;
    }
    let seed: u64 = args.get(1).and_then(|s| s.parse().ok()).expect("SEED");
    let edits: usize = args.get(2).and_then(|s| s.parse().ok()).expect("EDITS");
    let mut rng = Rng(seed | 1);
    let (mut files, mut trees) = (0usize, 0usize);
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
        files += 1;
        trees += 1;
        println!("{file} full {:016x}", digest(&dump(&tree)));
        for edit in 0..edits {
            let edited = random_edit(&mut rng, SNIPPETS, &text, &mut tree).edited;
            let full = parse_str(language, &edited).expect("parses");
            let incremental = reparse(language, &edited, &tree);
            trees += 2;
            println!(
                "{file} edit {edit} full {:016x} incremental {:016x}",
                digest(&dump(&full)),
                digest(&dump(&incremental))
            );
            tree = incremental;
            text = edited;
        }
    }
    eprintln!("{files} files, {trees} trees");
}
