//! One walk over a syntax tree, shared by the analysis and the detectors of a scan: every node
//! filed by kind (what [`crate::detectors::Context::nodes_of_kind`] serves) and, when asked for,
//! the named children of each node (what the Python interpreter iterates over, three times per
//! file). A tree-sitter cursor walk costs about as much as a seventh of the parse on large files,
//! so walking once instead of once per consumer is a measurable part of a scan.

use foldhash::HashMap;
use tree_sitter::{Node, Tree};

use super::syntax::MAX_DEPTH;

/// The nodes of one tree by kind, and optionally each node's named children.
pub struct TreeIndex<'t> {
    /// Every node by kind id, in document order (nodes deeper than [`MAX_DEPTH`] are left
    /// out, as [`super::syntax::walk`] leaves them out).
    by_kind: Vec<Vec<Node<'t>>>,
    /// Node id to its range in `children`, for nodes with at least one listed child.
    slots: HashMap<usize, (u32, u32)>,
    /// The listed children of every node, grouped by parent.
    children: Vec<Node<'t>>,
}

impl<'t> TreeIndex<'t> {
    /// Walks `tree` once. With `skip_child`, also lists each node's named children other than
    /// those `skip_child` rejects (by kind id), at every depth.
    pub fn build(tree: &'t Tree, skip_child: Option<&dyn Fn(u16) -> bool>) -> Self {
        let mut index = Self {
            by_kind: vec![Vec::new(); tree.language().node_kind_count()],
            slots: HashMap::default(),
            children: Vec::new(),
        };
        let mut cursor = tree.walk();
        // The children listed so far for each node on the path from the root (reused buffers).
        let mut pending: Vec<Vec<Node<'t>>> = Vec::new();
        let mut path: Vec<usize> = Vec::new();
        let mut depth = 0usize;
        loop {
            let node = cursor.node();
            let kind = node.kind_id();
            if depth <= MAX_DEPTH {
                if let Some(list) = index.by_kind.get_mut(usize::from(kind)) {
                    list.push(node);
                }
            }
            if let Some(skip) = skip_child {
                if depth > 0 && node.is_named() && !skip(kind) {
                    if let Some(siblings) = pending.get_mut(depth - 1) {
                        siblings.push(node);
                    }
                }
            }
            // Children are needed below MAX_DEPTH only for the child lists.
            let descend = node.child_count() > 0 && (skip_child.is_some() || depth < MAX_DEPTH);
            if descend && cursor.goto_first_child() {
                if pending.len() <= depth {
                    pending.push(Vec::new());
                }
                path.push(node.id());
                depth += 1;
                continue;
            }
            loop {
                if depth == 0 {
                    return index;
                }
                if cursor.goto_next_sibling() {
                    break;
                }
                if !cursor.goto_parent() {
                    return index;
                }
                depth -= 1;
                let parent = path.pop().unwrap_or_default();
                if let Some(list) = pending.get_mut(depth) {
                    index.close(parent, list);
                }
            }
        }
    }

    /// Files the children gathered for `parent` and empties the buffer.
    fn close(&mut self, parent: usize, list: &mut Vec<Node<'t>>) {
        if list.is_empty() {
            return;
        }
        let (Ok(start), Ok(len)) = (
            u32::try_from(self.children.len()),
            u32::try_from(list.len()),
        ) else {
            list.clear();
            return;
        };
        self.children.append(list);
        self.slots.insert(parent, (start, len));
    }

    /// The listed children of `node` (see [`TreeIndex::build`]); empty for a leaf, for a node
    /// of another tree, or when children were not listed.
    pub fn children(&self, node: Node<'_>) -> &[Node<'t>] {
        match self.slots.get(&node.id()) {
            Some(&(start, len)) => {
                let start = start as usize;
                self.children
                    .get(start..start + len as usize)
                    .unwrap_or_default()
            }
            None => &[],
        }
    }

    /// Every node by kind id (what [`TreeIndex::build`] filed), handing it over.
    pub fn into_by_kind(self) -> Vec<Vec<Node<'t>>> {
        self.by_kind
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::{parse_str, syntax, Language};

    const SOURCE: &str = "import os\n\
        # a comment\n\
        def f(a, b=1):\n    # inside\n    return g(a, *b, k=[1, 2])\n\
        class C(Base):\n    x: int = 3\n    def m(self):\n        if self.x:\n            pass\n";

    #[test]
    fn children_are_the_named_children_less_the_skipped_kinds() {
        let Some(tree) = parse_str(Language::Python, SOURCE) else {
            panic!("the Python grammar is built in");
        };
        let language = tree.language();
        let comment = language.id_for_node_kind("comment", true);
        let skip = move |kind: u16| kind == comment;
        let index = TreeIndex::build(&tree, Some(&skip));
        let mut checked = 0;
        syntax::walk(&tree, |node, _| {
            let mut cursor = node.walk();
            let expected: Vec<Node<'_>> = node
                .named_children(&mut cursor)
                .filter(|c| c.kind() != "comment")
                .collect();
            assert_eq!(index.children(node), expected.as_slice(), "{node:?}");
            checked += 1;
            true
        });
        assert!(checked > 40);
    }

    #[test]
    fn by_kind_files_every_node_in_document_order() {
        let Some(tree) = parse_str(Language::Python, SOURCE) else {
            panic!("the Python grammar is built in");
        };
        let mut expected = vec![Vec::new(); tree.language().node_kind_count()];
        syntax::walk(&tree, |node, _| {
            expected[usize::from(node.kind_id())].push(node);
            true
        });
        let index = TreeIndex::build(&tree, None);
        assert!(index.children(tree.root_node()).is_empty());
        assert_eq!(index.into_by_kind(), expected);
    }
}
