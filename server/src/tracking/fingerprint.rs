//! Tracking fingerprints: what identifies a finding across scans of a changing code base.
//!
//! A finding's *code identity* is a hash of
//! - the rule id,
//! - the normalised code of the flagged statement: its syntax tokens joined by single spaces, so
//!   whitespace, line breaks and comments do not count; for a compound statement (`if`, `with`,
//!   `for`, ...) flagged in its header, only the header, not the body,
//! - its enclosing scope: the names of the enclosing functions and classes, outermost first
//!   (`Tokens.roll`), so the same statement in two functions is two findings while edits elsewhere
//!   in the function are not a change. Anonymous functions are named after what they are assigned
//!   to or the call they are passed to (`app.get('/x')`).
//!
//! Line numbers and the file path are left out, so a finding keeps its identity when code moves
//! within the file or to another file. Identical identities in one scan are told apart by an
//! occurrence number in report order ([`Occurrences`]). Files without a syntax tree (secrets in
//! `.env`, YAML, ...) use the flagged line with whitespace collapsed and no scope.
//!
//! The hash is FNV-1a (64 bit), spelled out here so it never changes with a library or compiler.

use std::collections::HashMap;
use std::ops::Range;

use tree_sitter::{Node, Tree};

use crate::lang::syntax;

/// Version prefix of the hashed text; bump it when normalisation changes.
const VERSION: &str = "codeward-track-v1";

/// Node kinds that open a named scope (functions, methods, classes) in our grammars.
const SCOPES: &[&str] = &[
    // Python
    "function_definition",
    "class_definition",
    "lambda",
    // Java
    "method_declaration",
    "constructor_declaration",
    "compact_constructor_declaration",
    "class_declaration",
    "interface_declaration",
    "enum_declaration",
    "record_declaration",
    "annotation_type_declaration",
    "lambda_expression",
    // JavaScript / TypeScript
    "function_declaration",
    "generator_function_declaration",
    "function_expression",
    "function",
    "generator_function",
    "arrow_function",
    "method_definition",
    "class",
    "abstract_class_declaration",
    "internal_module",
];

/// Children of a compound statement that are its body, left out of the statement's code.
const BODY_FIELDS: &[&str] = &["body", "consequence", "alternative"];
const BODY_KINDS: &[&str] = &[
    "block",
    "statement_block",
    "class_body",
    "else_clause",
    "elif_clause",
    "except_clause",
    "except_group_clause",
    "finally_clause",
    "catch_clause",
    "switch_body",
    "switch_block",
];

/// The code identity of one finding (before the occurrence number is added).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeIdentity {
    /// The hash of version, rule, scope and statement.
    pub hash: u64,
    /// The enclosing scope (`Class.method`), empty at top level.
    pub scope: String,
    /// The normalised code of the flagged statement.
    pub statement: String,
}

/// The code identity of a finding of `rule_id` at `range` of `source` (parsed as `tree`, if it
/// is a language we parse).
pub fn identify(
    rule_id: &str,
    source: &str,
    tree: Option<&Tree>,
    range: Range<usize>,
) -> CodeIdentity {
    let (scope, statement) = match tree.and_then(|t| syntax::node_at(t, range.clone())) {
        Some(node) => (scope_of(node, source), statement_code(node, source)),
        None => (String::new(), line_code(source, range.start)),
    };
    let mut hasher = Fnv::new();
    for part in [VERSION, rule_id, &scope, &statement] {
        hasher.feed(part.as_bytes());
        hasher.feed(&[0]);
    }
    CodeIdentity {
        hash: hasher.finish(),
        scope,
        statement,
    }
}

/// Hands out occurrence numbers to code identities in report order, making fingerprints
/// (`<16 hex digits>:<occurrence>`) unique within one scan.
#[derive(Debug, Default)]
pub struct Occurrences {
    seen: HashMap<u64, usize>,
}

impl Occurrences {
    /// The fingerprint of the next finding with this code hash.
    pub fn next(&mut self, hash: u64) -> String {
        let occurrence = self.seen.entry(hash).or_insert(0);
        *occurrence += 1;
        format!("{hash:016x}:{occurrence}")
    }
}

/// The line containing `offset`, whitespace runs collapsed.
fn line_code(source: &str, offset: usize) -> String {
    let offset = offset.min(source.len());
    let start = source
        .get(..offset)
        .and_then(|s| s.rfind('\n'))
        .map_or(0, |i| i + 1);
    let end = source
        .get(offset..)
        .and_then(|s| s.find('\n'))
        .map_or(source.len(), |i| offset + i);
    collapse(source.get(start..end).unwrap_or(""))
}

fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn is_scope(node: Node<'_>) -> bool {
    SCOPES.contains(&node.kind())
}

fn is_statement(node: Node<'_>) -> bool {
    let kind = node.kind();
    !is_scope(node)
        && (kind.ends_with("_statement")
            || kind.ends_with("_declaration")
            || matches!(
                kind,
                "decorator" | "field_definition" | "public_field_definition"
            ))
}

/// The normalised code of the statement around `node`: the nearest enclosing statement inside
/// the nearest scope, or the node itself (a function header, a parameter default) when none.
fn statement_code(node: Node<'_>, source: &str) -> String {
    let mut current = Some(node);
    while let Some(candidate) = current {
        if is_statement(candidate) {
            return tokens(candidate, source);
        }
        if is_scope(candidate) {
            break;
        }
        current = candidate.parent();
    }
    tokens(node, source)
}

/// The syntax tokens of `node` joined by single spaces: comments and (for a compound node) its
/// bodies left out; string literals kept whole.
fn tokens(node: Node<'_>, source: &str) -> String {
    let mut out = String::new();
    let mut push = |text: &str| {
        let text = text.trim();
        if !text.is_empty() {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(text);
        }
    };
    let mut cursor = node.walk();
    let mut top_level = Vec::new();
    if cursor.goto_first_child() {
        loop {
            let child = cursor.node();
            let is_body = cursor
                .field_name()
                .is_some_and(|f| BODY_FIELDS.contains(&f))
                || BODY_KINDS.contains(&child.kind());
            if !is_body {
                top_level.push(child);
            }
            if !cursor.goto_next_sibling() {
                break;
            }
        }
    } else {
        top_level.push(node);
    }
    for child in top_level {
        let mut stack = vec![(child, 0usize)];
        while let Some((n, depth)) = stack.pop() {
            if syntax::is_comment(n) {
                continue;
            }
            let kind = n.kind();
            let literal = kind.contains("string") || kind.contains("template");
            if n.child_count() == 0 || literal || depth >= syntax::MAX_DEPTH {
                push(&collapse_if_code(syntax::text(n, source), literal));
                continue;
            }
            let mut c = n.walk();
            let children: Vec<Node<'_>> = n.children(&mut c).collect();
            stack.extend(children.into_iter().rev().map(|k| (k, depth + 1)));
        }
    }
    out
}

/// Code outside literals has its whitespace collapsed; literals are kept as written.
fn collapse_if_code(text: &str, literal: bool) -> String {
    if literal {
        text.to_string()
    } else {
        collapse(text)
    }
}

/// The names of the scopes enclosing `node`, outermost first, joined by `.`.
fn scope_of(node: Node<'_>, source: &str) -> String {
    let mut names = Vec::new();
    let mut current = node.parent();
    // The flagged node itself may be a whole function (a finding on a definition): its own name
    // then belongs to the statement, not the scope.
    while let Some(n) = current {
        if is_scope(n) {
            names.push(scope_name(n, source));
        }
        current = n.parent();
    }
    names.reverse();
    names.join(".")
}

/// A scope's name: its `name` field, else what it is assigned to or passed to, else
/// `<anonymous>` (`<lambda>` for Python and Java lambdas).
fn scope_name(node: Node<'_>, source: &str) -> String {
    if let Some(name) = node.child_by_field_name("name") {
        return collapse(syntax::text(name, source));
    }
    let Some(parent) = node.parent() else {
        return "<anonymous>".into();
    };
    let named_by = match parent.kind() {
        "variable_declarator" => parent.child_by_field_name("name"),
        "assignment_expression" | "assignment" | "augmented_assignment_expression" => {
            parent.child_by_field_name("left")
        }
        "pair" => parent.child_by_field_name("key"),
        "public_field_definition" | "field_definition" => parent
            .child_by_field_name("name")
            .or_else(|| parent.child_by_field_name("property")),
        "arguments" | "argument_list" => return call_name(parent, source),
        _ => None,
    };
    match named_by {
        Some(name) => collapse(syntax::text(name, source)),
        None if matches!(node.kind(), "lambda" | "lambda_expression") => "<lambda>".into(),
        None => "<anonymous>".into(),
    }
}

/// For a function passed as an argument: the callee and its first string argument, if any
/// (`app.get('/x')`), so route handlers keep distinct names.
fn call_name(arguments: Node<'_>, source: &str) -> String {
    let Some(call) = arguments.parent() else {
        return "<anonymous>".into();
    };
    let callee = call
        .child_by_field_name("function")
        .or_else(|| call.child_by_field_name("name"))
        .map(|n| collapse(syntax::text(n, source)))
        .unwrap_or_default();
    let mut cursor = arguments.walk();
    let first_string = arguments
        .named_children(&mut cursor)
        .next()
        .filter(|n| n.kind().contains("string"))
        .map(|n| syntax::text(n, source).to_string());
    match first_string {
        Some(s) => format!("{callee}({s})"),
        None => format!("{callee}(<anonymous>)"),
    }
}

/// FNV-1a, 64 bit.
struct Fnv(u64);

impl Fnv {
    fn new() -> Self {
        Self(0xcbf2_9ce4_8422_2325)
    }

    fn feed(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::{parse_str, Language};

    const RULE: &str = "python/insecure-hashing@v1.0";

    /// The identity of the finding at the first occurrence of `needle` in `source`.
    fn id_at(language: Language, source: &str, needle: &str) -> CodeIdentity {
        let start = source.find(needle).expect("needle in source");
        let tree = parse_str(language, source);
        identify(RULE, source, tree.as_ref(), start..start + needle.len())
    }

    const ORIGINAL: &str = "import hashlib\n\n\nclass Store:\n    def digest(self, text):\n        value = hashlib.md5(text.encode())\n        return value\n";

    #[test]
    fn survives_unrelated_edits_comments_and_reformatting() {
        let before = id_at(Language::Python, ORIGINAL, "hashlib.md5(text.encode())");
        assert_eq!(before.scope, "Store.digest");
        assert_eq!(
            before.statement,
            "value = hashlib . md5 ( text . encode ( ) )"
        );
        let edited = "import hashlib\nimport os  # new import\n\n# A comment about the store.\nclass Store:\n    \"\"\"Docs.\"\"\"\n\n    def digest(self, text):\n        os.getcwd()\n        value = hashlib.md5(  # still MD5\n            text.encode()\n        )\n        print(value)\n        return value\n";
        let after = id_at(Language::Python, edited, "hashlib.md5(");
        assert_eq!(before, after);
    }

    #[test]
    fn survives_moves_within_and_across_files() {
        let before = id_at(Language::Python, ORIGINAL, "hashlib.md5(text.encode())");
        // The class moved below a new function in the same file.
        let moved = format!(
            "import hashlib\n\n\ndef helper():\n    return 1\n\n\n{}",
            &ORIGINAL[16..]
        );
        assert_eq!(before, id_at(Language::Python, &moved, "hashlib.md5("));
        // The class moved to another module (the path is not part of the identity).
        let other_file = "from hashlib import sha256\nimport hashlib\n\nclass Store:\n    def digest(self, text):\n        value = hashlib.md5(text.encode())\n        return value\n";
        assert_eq!(before, id_at(Language::Python, other_file, "hashlib.md5("));
    }

    #[test]
    fn changes_with_the_code_the_scope_or_the_rule() {
        let before = id_at(Language::Python, ORIGINAL, "hashlib.md5(text.encode())");
        let other_code = ORIGINAL.replace("text.encode()", "text.encode('utf-8')");
        assert_ne!(
            before.hash,
            id_at(Language::Python, &other_code, "hashlib.md5(").hash
        );
        let other_scope = ORIGINAL.replace("def digest", "def checksum");
        assert_ne!(
            before.hash,
            id_at(Language::Python, &other_scope, "hashlib.md5(").hash
        );
        let start = ORIGINAL.find("hashlib.md5(").expect("md5");
        let tree = parse_str(Language::Python, ORIGINAL);
        let other_rule = identify(
            "python/other@v1.0",
            ORIGINAL,
            tree.as_ref(),
            start..start + 11,
        );
        assert_ne!(before.hash, other_rule.hash);
    }

    #[test]
    fn compound_statements_use_their_header_only() {
        let source =
            "def f(path):\n    with open(path) as fh:\n        data = fh.read()\n    return data\n";
        let before = id_at(Language::Python, source, "open(path)");
        assert_eq!(before.statement, "with open ( path ) as fh :");
        let edited = source.replace("data = fh.read()", "data = fh.read(10)\n        log(data)");
        assert_eq!(before, id_at(Language::Python, &edited, "open(path)"));
    }

    #[test]
    fn anonymous_functions_are_named_by_their_use() {
        let source = "app.get('/a', (req, res) => {\n  eval(req.query.x);\n});\nconst handler = function (req) {\n  eval(req.body);\n};\n";
        assert_eq!(
            id_at(Language::JavaScript, source, "eval(req.query.x)").scope,
            "app.get('/a')"
        );
        assert_eq!(
            id_at(Language::JavaScript, source, "eval(req.body)").scope,
            "handler"
        );
        let java = "class A {\n  int roll() {\n    Random b = new Random();\n    return b.nextInt();\n  }\n}\n";
        let id = id_at(Language::Java, java, "new Random()");
        assert_eq!(id.scope, "A.roll");
        assert_eq!(id.statement, "Random b = new Random ( ) ;");
    }

    #[test]
    fn text_files_use_the_collapsed_line() {
        let source = "A=1\nAWS_SECRET_ACCESS_KEY =   abc/def\n";
        let id = identify("text/secret", source, None, 6..10);
        assert_eq!(id.statement, "AWS_SECRET_ACCESS_KEY = abc/def");
        assert_eq!(id.scope, "");
        let moved = "\n\nAWS_SECRET_ACCESS_KEY = abc/def\nA=1\n";
        assert_eq!(id, identify("text/secret", moved, None, 3..8));
    }

    #[test]
    fn occurrences_tell_duplicates_apart() {
        let mut occurrences = Occurrences::default();
        assert_eq!(occurrences.next(0xab), "00000000000000ab:1");
        assert_eq!(occurrences.next(0xab), "00000000000000ab:2");
        assert_eq!(occurrences.next(0xcd), "00000000000000cd:1");
    }

    #[test]
    fn hash_is_stable() {
        // A known value, so an accidental change of the normalisation or hash shows up.
        let id = identify("r", "x = 1\n", None, 0..1);
        assert_eq!(id.statement, "x = 1");
        assert_eq!(id.hash, 0x1344_18c6_e50b_ec1c);
    }
}
