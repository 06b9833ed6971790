//! Small helpers over tree-sitter nodes shared by the analysis layer and the detectors.

use std::ops::Range;

use tree_sitter::{Node, Tree};

/// How deep recursive walks over a syntax tree may go. Deeper subtrees (machine-generated or hostile
/// input) are skipped rather than risking a stack overflow, which `catch_unwind` cannot catch.
pub const MAX_DEPTH: usize = 400;

/// The source text of a node (empty if the node's range is not valid UTF-8 boundaries of `source`).
pub fn text<'s>(node: Node<'_>, source: &'s str) -> &'s str {
    source.get(node.byte_range()).unwrap_or("")
}

/// The smallest named node that spans exactly `range`, or the smallest one containing it.
pub fn node_at<'t>(tree: &'t Tree, range: Range<usize>) -> Option<Node<'t>> {
    let mut node = tree
        .root_node()
        .named_descendant_for_byte_range(range.start, range.end)?;
    // Prefer the outermost node with exactly this range (e.g. a call rather than its callee when
    // they coincide is impossible, but an expression_statement and its call can share a range).
    while let Some(parent) = node.parent() {
        if parent.byte_range() == node.byte_range() && parent.byte_range() == range {
            node = parent;
        } else {
            break;
        }
    }
    Some(node)
}

/// Like [`node_at`] for a range strictly inside `top` (a node with a different range), looking
/// only at `top`'s subtree: `Node::parent` starts from the root of the tree, so on a file with
/// thousands of top-level statements climbing with it is slow. `None` when the range is not
/// strictly inside `top`.
pub fn node_at_within<'t>(top: Node<'t>, range: Range<usize>) -> Option<Node<'t>> {
    // tree-sitter descends into a child only when the range starts before the child's end.
    if range.start < top.start_byte()
        || range.start >= top.end_byte()
        || range.end > top.end_byte()
        || top.byte_range() == range
    {
        return None;
    }
    let node = top.named_descendant_for_byte_range(range.start, range.end)?;
    // The chain of ancestors from `top` down to `node`.
    let mut chain = vec![top];
    let mut cursor = top.walk();
    while cursor.node() != node {
        cursor.goto_first_child_for_byte(node.start_byte())?;
        loop {
            let current = cursor.node();
            if current.start_byte() <= node.start_byte() && node.end_byte() <= current.end_byte() {
                break;
            }
            if !cursor.goto_next_sibling() {
                return None;
            }
        }
        chain.push(cursor.node());
        if chain.len() > MAX_DEPTH * 4 {
            return None;
        }
    }
    let mut at = chain.len() - 1;
    while at > 0
        && chain[at - 1].byte_range() == chain[at].byte_range()
        && chain[at - 1].byte_range() == range
    {
        at -= 1;
    }
    // Climbing to `top` itself is excluded above (its range differs), so the answer is inside.
    Some(chain[at])
}

/// Visits every node of the tree in document order without recursion, skipping the subtrees of
/// nodes deeper than [`MAX_DEPTH`]. `visit` returns `false` to skip a node's children. The nodes
/// live as long as the tree, so callers may keep them.
pub fn walk<'t>(tree: &'t Tree, visit: impl FnMut(Node<'t>, usize) -> bool) {
    walk_from(tree.root_node(), visit);
}

/// Like [`walk`] over the subtree of `root` only (depths counted from `root`, which is 0).
pub fn walk_from<'t>(root: Node<'t>, mut visit: impl FnMut(Node<'t>, usize) -> bool) {
    // The vendored tree-sitter's pre-order walk (`vendor/README.md`): the nodes and order of a
    // cursor walk at about half its cost.
    root.walk_nodes(false, |node, _, depth| {
        let depth = usize::try_from(depth).unwrap_or(usize::MAX);
        visit(node, depth) && depth < MAX_DEPTH
    });
}

/// The children of `node` (named and anonymous, extras included), in order: what
/// `node.children(&mut cursor)` yields. Through the vendored pre-order walk: on a module with
/// thousands of statements, each sibling step of a cursor climbs and descends the root's hidden
/// repetition nodes, which made listing the top-level statements several times per keystroke a
/// visible part of an edit's time.
pub fn children<'t>(node: Node<'t>) -> Vec<Node<'t>> {
    let mut children = Vec::with_capacity(node.child_count() as usize);
    node.walk_nodes(false, |child, _, depth| {
        if depth == 1 {
            children.push(child);
        }
        depth == 0
    });
    children
}

/// The named children of `node`, in order: what `node.named_children(&mut cursor)` yields
/// (see [`children`]).
pub fn named_children<'t>(node: Node<'t>) -> Vec<Node<'t>> {
    let mut children = children(node);
    children.retain(Node::is_named);
    children
}

/// Byte ranges of the syntax errors (ERROR and MISSING nodes) in a tree.
pub fn syntax_errors(tree: &Tree) -> Vec<Range<usize>> {
    let mut errors = Vec::new();
    if !tree.root_node().has_error() {
        return errors;
    }
    walk(tree, |node, _| {
        if node.is_error() || node.is_missing() {
            errors.push(node.byte_range());
            return false;
        }
        node.has_error()
    });
    errors
}

/// [`syntax_errors`] of a tree whose root's children are already listed (`top_level`): only the
/// children with errors are walked.
pub fn syntax_errors_among(tree: &Tree, top_level: &[Node<'_>]) -> Vec<Range<usize>> {
    let root = tree.root_node();
    if !root.has_error() || root.is_error() || root.is_missing() {
        return syntax_errors(tree);
    }
    let mut errors = Vec::new();
    for child in top_level.iter().filter(|child| child.has_error()) {
        // Depths as `walk` counts them, from the root.
        child.walk_nodes(false, |node, _, depth| {
            if node.is_error() || node.is_missing() {
                errors.push(node.byte_range());
                return false;
            }
            let depth = usize::try_from(depth)
                .unwrap_or(usize::MAX)
                .saturating_add(1);
            node.has_error() && depth < MAX_DEPTH
        });
    }
    errors
}

/// Whether a node is a comment in any of our grammars.
pub fn is_comment(node: Node<'_>) -> bool {
    matches!(node.kind(), "comment" | "line_comment" | "block_comment")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::{parse_str, Language};

    #[test]
    fn children_are_a_cursors_children() {
        let sources = [
            (Language::Python, "import os  # c\n;\n@app.route('/x')\ndef f(a, b=1):\n    os.system(a + 'x'); pass\n\nclass C(Base):\n    x: int = 1\n    def m(self):\n        self.y = f'{x}!'\nif (:\n"),
            (Language::JavaScript, "const a = require('a');\n// c\nfunction f(x) { return a.b(x, () => x + 1); }\nclass K { m() { this.v = `${f(1)}`; } }\n"),
            (Language::Java, "package p;\nimport a.B;\n/* c */ class A { void m(String s) { Runtime.getRuntime().exec(s + \"x\"); } }\n"),
        ];
        let python_module: String = (0..300)
            .map(|i| format!("def f{i}():\n    return {i}\n\n"))
            .collect();
        let mut compared = 0;
        for (language, source) in sources
            .into_iter()
            .chain([(Language::Python, python_module.as_str())])
        {
            let tree = parse_str(language, source).expect("parses");
            walk(&tree, |node, _| {
                let mut cursor = node.walk();
                let expected: Vec<Node<'_>> = node.children(&mut cursor).collect();
                assert_eq!(
                    children(node),
                    expected,
                    "{source:?} at {:?}",
                    node.byte_range()
                );
                let expected: Vec<Node<'_>> = node.named_children(&mut cursor).collect();
                assert_eq!(named_children(node), expected);
                compared += 1;
                true
            });
        }
        assert!(compared > 1_000, "{compared}");
    }

    #[test]
    fn node_at_within_a_statement_matches_node_at_from_the_root() {
        let sources = [
            (Language::Python, "import os\n\n@app.route('/x')\ndef f(a, b=1):\n    os.system(a + 'x')\n    return g(b)[0]\n\nclass C(Base):\n    x: int = 1\n    def m(self):\n        self.y = f'{x}!'\n"),
            (Language::JavaScript, "const a = require('a');\nfunction f(x) { return a.b(x, () => x + 1); }\nclass K { m() { this.v = `${f(1)}`; } }\n"),
            (Language::Java, "class A { void m(String s) { Runtime.getRuntime().exec(s + \"x\"); } }\n"),
        ];
        for (language, source) in sources {
            let tree = parse_str(language, source).expect("parses");
            let root = tree.root_node();
            let mut cursor = root.walk();
            let tops: Vec<Node<'_>> = root.children(&mut cursor).collect();
            let mut ranges = Vec::new();
            walk(&tree, |node, _| {
                ranges.push(node.byte_range());
                true
            });
            // Sub-ranges that no node has exactly.
            for start in (0..source.len()).step_by(3) {
                for len in [0, 1, 4, 9] {
                    ranges.push(start..(start + len).min(source.len()));
                }
            }
            let mut compared = 0;
            for range in ranges {
                for top in &tops {
                    if let Some(found) = node_at_within(*top, range.clone()) {
                        compared += 1;
                        assert_eq!(
                            Some(found),
                            node_at(&tree, range.clone()),
                            "{range:?} in {source:?}"
                        );
                    }
                }
            }
            assert!(compared > 20, "{compared}");
        }
    }

    /// The nodes (with depths) that a `TreeCursor` walk from `root` visits, descending where
    /// `descend` says: what [`walk_from`] must match.
    fn cursor_walk<'t>(
        root: Node<'t>,
        descend: impl Fn(Node<'t>, usize) -> bool,
    ) -> Vec<(Node<'t>, usize)> {
        let mut seen = Vec::new();
        let mut cursor = root.walk();
        let mut depth = 0;
        loop {
            let node = cursor.node();
            seen.push((node, depth));
            if descend(node, depth) && cursor.goto_first_child() {
                depth += 1;
                continue;
            }
            loop {
                if depth == 0 {
                    return seen;
                }
                if cursor.goto_next_sibling() {
                    break;
                }
                cursor.goto_parent();
                depth -= 1;
            }
        }
    }

    #[test]
    fn walk_from_visits_what_a_cursor_walk_visits() {
        let sources = [
            (Language::Python, "import os\n# c\n@app.route('/x')\ndef f(a, *b, k=[1, 2], **kw):\n    os.system(a + 'x')  # c\n    return g(b)[0] if a else {**kw}\n\nclass C(Base):\n    x: int = 1\n    def m(self):\n        self.y = f'{x!r:>{w}}'\n        match self:\n            case [1, *rest]: pass\ndef broken(:\n"),
            (Language::JavaScript, "const a = require('a');\nfunction f(x) { return a.b(x, () => x + 1); }\nclass K { m() { this.v = `${f(1)}`; } }\n"),
            (Language::Java, "class A { void m(String s) { Runtime.getRuntime().exec(s + \"x\"); } }\n"),
        ];
        for (language, source) in sources {
            let tree = parse_str(language, source).expect("parses");
            let mut roots = Vec::new();
            walk(&tree, |node, _| {
                roots.push(node);
                true
            });
            assert!(roots.len() > 20);
            for root in roots {
                // Every node, and with some subtrees pruned.
                let prune = |node: Node<'_>, depth: usize| depth < 3 || node.kind_id() % 2 == 0;
                let mut all = Vec::new();
                walk_from(root, |node, depth| {
                    all.push((node, depth));
                    true
                });
                assert_eq!(all, cursor_walk(root, |_, _| true), "{root:?}");
                let mut pruned = Vec::new();
                walk_from(root, |node, depth| {
                    pruned.push((node, depth));
                    prune(node, depth)
                });
                assert_eq!(pruned, cursor_walk(root, prune), "{root:?}");
            }
        }
    }

    #[test]
    fn a_panic_in_a_walk_unwinds_to_the_caller_and_ends_the_walk() {
        // The engine catches a detector's panic; the walk's C frames must not swallow or abort it.
        let tree = parse_str(Language::Python, "x = f(1)\ny = g(2)\n").expect("parses");
        let panicked = std::cell::Cell::new(false);
        let visited_after = std::cell::Cell::new(0);
        let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            walk(&tree, |node, _| {
                if panicked.get() {
                    visited_after.set(visited_after.get() + 1);
                }
                if node.kind() == "call" {
                    panicked.set(true);
                    panic!("a detector bug");
                }
                true
            });
        }));
        assert!(caught.is_err());
        assert!(panicked.get());
        assert_eq!(visited_after.get(), 0);
    }

    #[test]
    fn walk_survives_deep_nesting() {
        let source = format!("x = {}1{}\n", "(".repeat(5000), ")".repeat(5000));
        let tree = parse_str(Language::Python, &source).expect("python parses");
        let mut seen = 0;
        walk(&tree, |_, _| {
            seen += 1;
            true
        });
        assert!(seen > MAX_DEPTH);
    }

    #[test]
    fn finds_syntax_errors() {
        let tree = parse_str(Language::Python, "def f(:\n  pass\n").expect("parses");
        assert!(!syntax_errors(&tree).is_empty());
    }
}
