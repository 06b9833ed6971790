//! The Java grammar's field ids and node kind names, looked up once.
//!
//! `Node::child_by_field_name` compares the name with every field name of the grammar on each
//! call and `Node::kind` measures and validates a C string; the interpreter asks both questions
//! for nearly every node, so it uses the ids and a table of kind names instead.

use std::sync::LazyLock;

use tree_sitter::{Language, Node};

static JAVA: LazyLock<Language> = LazyLock::new(|| tree_sitter_java::LANGUAGE.into());

/// Kind names indexed by kind id.
static KINDS: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
    let language: &'static Language = &JAVA;
    (0..language.node_kind_count())
        .map(|id| {
            u16::try_from(id)
                .ok()
                .and_then(|id| language.node_kind_for_id(id))
                .unwrap_or("")
        })
        .collect()
});

/// `Node::kind` from a table, without measuring and validating the name each time.
pub(super) trait Kind<'t> {
    /// The kind of the node, as `Node::kind` gives it.
    fn kind_name(&self) -> &'t str;
}

impl<'t> Kind<'t> for Node<'t> {
    fn kind_name(&self) -> &'t str {
        match KINDS.get(usize::from(self.kind_id())) {
            Some(name) if !name.is_empty() => name,
            _ => kind_slow(*self),
        }
    }
}

/// Whether a node is a comment (as `syntax::is_comment`).
pub(super) fn is_comment(node: Node<'_>) -> bool {
    matches!(
        node.kind_name(),
        "comment" | "line_comment" | "block_comment"
    )
}

#[cold]
fn kind_slow<'t>(node: Node<'t>) -> &'t str {
    node.kind()
}

macro_rules! fields {
    ($($ident:ident = $name:literal),* $(,)?) => {
        /// Field ids of the Java grammar (0, matching nothing, for a name it lacks).
        pub(super) struct FieldIds {
            $(pub(super) $ident: u16,)*
        }

        /// The field ids, looked up once.
        pub(super) static F: LazyLock<FieldIds> = LazyLock::new(|| FieldIds {
            $($ident: JAVA.field_id_for_name($name).map_or(0, |id| id.get()),)*
        });
    };
}

fields! {
    alternative = "alternative",
    arguments = "arguments",
    array = "array",
    body = "body",
    condition = "condition",
    consequence = "consequence",
    declarator = "declarator",
    dimensions = "dimensions",
    field = "field",
    index = "index",
    init = "init",
    left = "left",
    name = "name",
    object = "object",
    operand = "operand",
    operator = "operator",
    parameters = "parameters",
    resources = "resources",
    right = "right",
    type_ = "type",
    update = "update",
    value = "value",
}

/// The children of `node` in field `id`, in order.
pub(super) fn children_by_field<'t>(node: Node<'t>, id: u16) -> Vec<Node<'t>> {
    let Some(id) = std::num::NonZeroU16::new(id) else {
        return Vec::new();
    };
    let mut cursor = node.walk();
    node.children_by_field_id(id, &mut cursor).collect()
}
