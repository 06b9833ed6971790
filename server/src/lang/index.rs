//! One walk over a syntax tree, shared by the analysis and the detectors of a scan: every node
//! filed by kind (what [`crate::detectors::Context::nodes_of_kind`] serves) and, when asked for,
//! the named children of each node (what the Python interpreter iterates over, three times per
//! file). Walking a tree costs a measurable part of a scan, so it is walked once, and with
//! `Tree::walk_nodes` (a pre-order walk added to the vendored tree-sitter, `vendor/README.md`),
//! at about half the tree-sitter work of a `TreeCursor` walk.

use foldhash::HashMap;
use tree_sitter::{Node, Tree};

use super::syntax::MAX_DEPTH;

/// The nodes of one tree by kind, and optionally each node's named children.
pub struct TreeIndex<'t> {
    /// Every named node by kind id, in document order (nodes deeper than [`MAX_DEPTH`] are left
    /// out, as [`super::syntax::walk`] leaves them out).
    by_kind: Vec<Vec<Node<'t>>>,
    /// Node id to its ranges in `children` and `fields`, for nodes with at least one listed
    /// child or field.
    slots: HashMap<usize, Slot>,
    /// The listed children of every node, grouped by parent.
    children: Vec<Node<'t>>,
    /// The children of every node that fill a field, with the field id, grouped by parent.
    fields: Vec<(u16, Node<'t>)>,
    /// Whether children and fields were listed.
    lists: bool,
    /// Whether the tree has nodes deeper than [`MAX_DEPTH`] (left out of `by_kind`).
    deep: bool,
}

/// The children and fields gathered so far for a node on the walk's path.
type Pending<'t> = (Vec<Node<'t>>, Vec<(u16, Node<'t>)>);

/// [`kind_table`] flag: the kind is named.
const NAMED: u8 = 1;
/// [`kind_table`] flag: a node of the kind is listed among its parent's children.
const LISTED: u8 = 2;

/// [`NAMED`] and [`LISTED`] for each kind id of `tree`'s grammar (a kind's named-ness is its
/// nodes', aliases included: `Node::kind_id` gives the alias's id).
fn kind_table(tree: &Tree, skip_child: Option<&dyn Fn(u16) -> bool>) -> Vec<u8> {
    let language = tree.language();
    (0..language.node_kind_count())
        .map(|kind| {
            let Ok(kind) = u16::try_from(kind) else {
                return 0;
            };
            let named = language.node_kind_is_named(kind);
            let listed = named && skip_child.is_some_and(|skip| !skip(kind));
            (u8::from(named) * NAMED) | (u8::from(listed) * LISTED)
        })
        .collect()
}

/// Where a node's children and fields are in [`TreeIndex`].
#[derive(Clone, Copy)]
struct Slot {
    children: (u32, u32),
    fields: (u32, u32),
}

impl<'t> TreeIndex<'t> {
    /// Walks `tree` once. With `skip_child`, also lists each node's named children other than
    /// those `skip_child` rejects (by kind id), and the children filling its fields, at every
    /// depth.
    pub fn build(tree: &'t Tree, skip_child: Option<&dyn Fn(u16) -> bool>) -> Self {
        // Sized from the node count (kept in the tree) so the lists are not copied as they grow:
        // a node is at most once a listed child and once a field (the untouched tail of a large
        // allocation costs nothing); about a third of the nodes have children or fields.
        let nodes = tree.root_node().descendant_count();
        let list_nodes = if skip_child.is_some() { nodes } else { 0 };
        let mut index = Self {
            by_kind: vec![Vec::new(); tree.language().node_kind_count()],
            slots: HashMap::with_capacity_and_hasher(list_nodes / 2, Default::default()),
            children: Vec::with_capacity(list_nodes),
            fields: Vec::with_capacity(list_nodes),
            lists: skip_child.is_some(),
            deep: false,
        };
        // Whether each kind is named, and whether a named node of it is listed as a child, looked
        // up once per kind rather than asked of tree-sitter (and of `skip_child`) per node.
        let kinds = kind_table(tree, skip_child);
        // The children listed so far for each node on the path from the root (reused buffers),
        // by the node's depth, and the ids of the nodes on that path.
        let mut pending: Vec<Pending<'t>> = Vec::new();
        let mut path: Vec<usize> = Vec::new();
        // The named nodes with their kinds, in document order, sorted into `by_kind` at the end
        // (a list per kind sized once, not grown node by node).
        let mut filed: Vec<(u16, Node<'t>)> = Vec::with_capacity(nodes);
        tree.walk_nodes(skip_child.is_some(), |node, field, depth| {
            let Ok(depth) = usize::try_from(depth) else {
                return false;
            };
            // The nodes on the path at this depth or deeper have all their children listed.
            while path.len() > depth {
                let parent = path.pop().unwrap_or_default();
                if let Some((children, fields)) = pending.get_mut(path.len()) {
                    // Most nodes are leaves, with nothing to file.
                    if !children.is_empty() || !fields.is_empty() {
                        index.close(parent, children, fields);
                    }
                }
            }
            let kind = node.kind_id();
            let (named, listed) = match kinds.get(usize::from(kind)) {
                Some(&flags) => (flags & NAMED != 0, flags & LISTED != 0),
                // Kinds past the grammar's symbols (`ERROR`): asked of the node.
                None => {
                    let named = node.is_named();
                    (named, named && skip_child.is_some_and(|skip| !skip(kind)))
                }
            };
            // Kinds are served by their named id (`nodes_of_kind`): anonymous tokens (`(`, `,`,
            // keywords), about half the nodes, are not filed.
            if named && depth <= MAX_DEPTH {
                filed.push((kind, node));
            }
            if depth > MAX_DEPTH {
                index.deep = true;
            }
            if let (Some(_), Some((siblings, fields))) = (
                skip_child,
                depth.checked_sub(1).and_then(|d| pending.get_mut(d)),
            ) {
                if listed {
                    siblings.push(node);
                }
                if field != 0 {
                    fields.push((field, node));
                }
            }
            // Children are needed below MAX_DEPTH only for the child lists.
            let descend = skip_child.is_some() || depth < MAX_DEPTH;
            if descend {
                if pending.len() <= depth {
                    pending.push((Vec::new(), Vec::new()));
                }
                path.push(node.id());
            }
            descend
        });
        while let Some(parent) = path.pop() {
            if let Some((children, fields)) = pending.get_mut(path.len()) {
                index.close(parent, children, fields);
            }
        }
        let mut counts = vec![0usize; index.by_kind.len()];
        for &(kind, _) in &filed {
            if let Some(count) = counts.get_mut(usize::from(kind)) {
                *count += 1;
            }
        }
        for (list, &count) in index.by_kind.iter_mut().zip(&counts) {
            if count > 0 {
                list.reserve_exact(count);
            }
        }
        for (kind, node) in filed {
            if let Some(list) = index.by_kind.get_mut(usize::from(kind)) {
                list.push(node);
            }
        }
        index
    }

    /// Files the children and fields gathered for `parent` and empties the buffers.
    fn close(
        &mut self,
        parent: usize,
        children: &mut Vec<Node<'t>>,
        fields: &mut Vec<(u16, Node<'t>)>,
    ) {
        if children.is_empty() && fields.is_empty() {
            return;
        }
        let range =
            |start: usize, len: usize| Some((u32::try_from(start).ok()?, u32::try_from(len).ok()?));
        let slot = range(self.children.len(), children.len())
            .zip(range(self.fields.len(), fields.len()))
            .map(|(children, fields)| Slot { children, fields });
        if let Some(slot) = slot {
            self.children.append(children);
            self.fields.append(fields);
            self.slots.insert(parent, slot);
        }
        children.clear();
        fields.clear();
    }

    /// The listed children of `node` (see [`TreeIndex::build`]); empty for a leaf, for a node
    /// of another tree, or when children were not listed.
    pub fn children(&self, node: Node<'_>) -> &[Node<'t>] {
        self.slots.get(&node.id()).map_or(&[], |slot| {
            let (start, len) = slot.children;
            self.children
                .get(start as usize..start as usize + len as usize)
                .unwrap_or_default()
        })
    }

    /// The first child of `node` filling the field `field_id` (as
    /// [`Node::child_by_field_id`] finds it), when children were listed.
    pub fn field(&self, node: Node<'_>, field_id: u16) -> Option<Node<'t>> {
        let slot = self.slots.get(&node.id())?;
        let (start, len) = slot.fields;
        self.fields
            .get(start as usize..start as usize + len as usize)?
            .iter()
            .find(|(id, _)| *id == field_id)
            .map(|(_, child)| *child)
    }

    /// The children of `node` filling the field `field_id`, in order (as
    /// [`Node::children_by_field_id`] lists them), when children were listed.
    pub fn fields_of(&self, node: Node<'_>, field_id: u16) -> impl Iterator<Item = Node<'t>> + '_ {
        let fields = self.slots.get(&node.id()).map_or(&[][..], |slot| {
            let (start, len) = slot.fields;
            self.fields
                .get(start as usize..start as usize + len as usize)
                .unwrap_or_default()
        });
        fields
            .iter()
            .filter(move |(id, _)| *id == field_id)
            .map(|(_, child)| *child)
    }

    /// Every named node by kind id (what [`TreeIndex::build`] filed), handing it over.
    pub fn into_by_kind(self) -> Vec<Vec<Node<'t>>> {
        self.by_kind
    }

    /// [`TreeIndex::into_by_kind`], keeping the children and fields (the index then has no
    /// nodes by kind).
    pub fn take_by_kind(&mut self) -> Vec<Vec<Node<'t>>> {
        std::mem::take(&mut self.by_kind)
    }

    /// The named nodes of kind id `kind`, in document order (empty once handed over).
    pub fn of_kind(&self, kind: u16) -> &[Node<'t>] {
        self.by_kind
            .get(usize::from(kind))
            .map_or(&[], Vec::as_slice)
    }

    /// Whether the tree has nodes deeper than [`MAX_DEPTH`], which [`TreeIndex::of_kind`] leaves
    /// out.
    pub fn has_deep_nodes(&self) -> bool {
        self.deep
    }

    /// Whether the children and fields were listed ([`TreeIndex::build`] with `skip_child`).
    pub fn lists_children(&self) -> bool {
        self.lists
    }
}

#[cfg(test)]
mod tests {
    use std::num::NonZeroU16;

    use super::*;
    use crate::lang::{parse_str, syntax, Language};

    const SOURCE: &str = "import os\n\
        # a comment\n\
        def f(a, b=1):\n    # inside\n    return g(a, *b, k=[1, 2])\n\
        class C(Base):\n    x: int = 3\n    def m(self):\n        if self.x:\n            pass\n";

    /// Aliased nodes (a `match` block, a one-line body, a parenthesised splat) and syntax errors.
    const ODD_SOURCE: &str = "match x:\n    case [a, *_]: pass\n\
        if y: return\n\
        f((*a))\n\
        def g(:\n    )) = 1\n\
        print >>sys.stderr, 'x'\n";

    #[test]
    fn children_are_the_named_children_less_the_skipped_kinds() {
        children_match_the_tree(SOURCE, true);
        // Fields are left out: tree-sitter finds a `match` statement's `alternative` (a case)
        // through the aliased block, which the index does not.
        children_match_the_tree(ODD_SOURCE, false);
    }

    fn children_match_the_tree(source: &str, with_fields: bool) {
        let Some(tree) = parse_str(Language::Python, source) else {
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
            for field in (1..=language.field_count()).filter(|_| with_fields) {
                let Ok(field) = u16::try_from(field) else {
                    continue;
                };
                assert_eq!(
                    index.field(node, field),
                    node.child_by_field_id(field),
                    "{node:?} field {field}"
                );
                let all: Vec<Node<'_>> = node
                    .children_by_field_id(NonZeroU16::MIN.saturating_add(field - 1), &mut cursor)
                    .collect();
                assert_eq!(
                    index.fields_of(node, field).collect::<Vec<_>>(),
                    all,
                    "{node:?} field {field}"
                );
            }
            checked += 1;
            true
        });
        assert!(checked > 30);
    }

    #[test]
    fn by_kind_files_every_named_node_in_document_order() {
        for source in [SOURCE, ODD_SOURCE] {
            let Some(tree) = parse_str(Language::Python, source) else {
                panic!("the Python grammar is built in");
            };
            let mut expected = vec![Vec::new(); tree.language().node_kind_count()];
            let mut errors = 0;
            syntax::walk(&tree, |node, _| {
                if node.is_error() {
                    errors += 1;
                }
                if node.is_named() {
                    if let Some(list) = expected.get_mut(usize::from(node.kind_id())) {
                        list.push(node);
                    }
                }
                true
            });
            assert_eq!(errors > 0, source == ODD_SOURCE);
            let index = TreeIndex::build(&tree, None);
            assert!(index.children(tree.root_node()).is_empty());
            assert_eq!(index.into_by_kind(), expected);
        }
    }
}
