//! Python grammar ids looked up once: field ids (so `child_by_field_id` avoids tree-sitter's
//! linear `strncmp` scan over field names on every call) and a kind-name table indexed by kind id
//! (so reading a node's kind avoids `ts_node_type` + `strlen` + UTF-8 validation).

use std::num::NonZeroU16;
use std::sync::LazyLock;

use tree_sitter::{Node, TreeCursor};

use crate::lang::Language;

/// Field ids of the Python grammar; 0 (no field, never matches) if the grammar lacks one.
pub struct Fields {
    /// `alias`.
    pub alias: u16,
    /// `alternative`.
    pub alternative: u16,
    /// `argument`.
    pub argument: u16,
    /// `arguments`.
    pub arguments: u16,
    /// `attribute`.
    pub attribute: u16,
    /// `body`.
    pub body: u16,
    /// `condition`.
    pub condition: u16,
    /// `consequence`.
    pub consequence: u16,
    /// `definition`.
    pub definition: u16,
    /// `expression`.
    pub expression: u16,
    /// `function`.
    pub function: u16,
    /// `key`.
    pub key: u16,
    /// `left`.
    pub left: u16,
    /// `module_name`.
    pub module_name: u16,
    /// `name`.
    pub name: u16,
    /// `object`.
    pub object: u16,
    /// `operator`.
    pub operator: u16,
    /// `parameters`.
    pub parameters: u16,
    /// `right`.
    pub right: u16,
    /// `subject`.
    pub subject: u16,
    /// `subscript`.
    pub subscript: u16,
    /// `superclasses`.
    pub superclasses: u16,
    /// `type`.
    pub type_: u16,
    /// `value`.
    pub value: u16,
}

struct Tables {
    fields: Fields,
    kinds: Vec<Box<str>>,
}

static TABLES: LazyLock<Tables> = LazyLock::new(|| {
    let grammar = Language::Python.grammar();
    let id = |name: &str| {
        grammar
            .as_ref()
            .and_then(|g| g.field_id_for_name(name))
            .map_or(0, |f| f.get())
    };
    let fields = Fields {
        alias: id("alias"),
        alternative: id("alternative"),
        argument: id("argument"),
        arguments: id("arguments"),
        attribute: id("attribute"),
        body: id("body"),
        condition: id("condition"),
        consequence: id("consequence"),
        definition: id("definition"),
        expression: id("expression"),
        function: id("function"),
        key: id("key"),
        left: id("left"),
        module_name: id("module_name"),
        name: id("name"),
        object: id("object"),
        operator: id("operator"),
        parameters: id("parameters"),
        right: id("right"),
        subject: id("subject"),
        subscript: id("subscript"),
        superclasses: id("superclasses"),
        type_: id("type"),
        value: id("value"),
    };
    let kinds = grammar
        .as_ref()
        .map(|g| {
            (0..g.node_kind_count())
                .map(|i| {
                    u16::try_from(i)
                        .ok()
                        .and_then(|i| g.node_kind_for_id(i))
                        .unwrap_or("")
                        .into()
                })
                .collect()
        })
        .unwrap_or_default();
    Tables { fields, kinds }
});

/// The field ids.
pub fn fields() -> &'static Fields {
    &TABLES.fields
}

/// The kind ids of `import_statement` and `import_from_statement` (0, which no named node has,
/// if the grammar lacks one).
pub fn import_kinds() -> (u16, u16) {
    static KINDS: LazyLock<(u16, u16)> = LazyLock::new(|| {
        let grammar = Language::Python.grammar();
        let id = |name: &str| {
            grammar
                .as_ref()
                .map_or(0, |g| g.id_for_node_kind(name, true))
        };
        (id("import_statement"), id("import_from_statement"))
    });
    *KINDS
}

/// Whether a kind id is a comment's (what the interpreter skips among a node's children).
pub fn is_comment_kind(kind: u16) -> bool {
    TABLES
        .kinds
        .get(usize::from(kind))
        .is_some_and(|name| &**name == "comment")
}

/// Fast node accessors for Python trees.
pub trait PyNode<'t> {
    /// The node's kind, from the table (falls back to tree-sitter for unknown ids).
    fn k(&self) -> &'t str;
    /// The child for a field id.
    fn field(&self, id: u16) -> Option<Node<'t>>;
    /// The children for a field id.
    fn fields_of<'c>(
        &self,
        id: u16,
        cursor: &'c mut TreeCursor<'t>,
    ) -> impl Iterator<Item = Node<'t>> + 'c;
}

impl<'t> PyNode<'t> for Node<'t> {
    #[inline]
    fn k(&self) -> &'t str {
        match TABLES.kinds.get(usize::from(self.kind_id())) {
            Some(kind) if !kind.is_empty() => kind,
            _ => self.kind(),
        }
    }

    #[inline]
    fn field(&self, id: u16) -> Option<Node<'t>> {
        if id == 0 {
            return None;
        }
        self.child_by_field_id(id)
    }

    #[inline]
    fn fields_of<'c>(
        &self,
        id: u16,
        cursor: &'c mut TreeCursor<'t>,
    ) -> impl Iterator<Item = Node<'t>> + 'c {
        self.children_by_field_id(NonZeroU16::new(id).unwrap_or(NonZeroU16::MIN), cursor)
            .filter(move |_| id != 0)
    }
}
