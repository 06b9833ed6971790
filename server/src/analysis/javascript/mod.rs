//! JavaScript analysis (ES2023 + JSX, CommonJS and ES modules): one flow-sensitive walk per file
//! producing [`Facts`] — imports resolved to module paths, every call with its argument values at
//! that point (constants, taint, object-literal fields), property stores — plus summaries of the
//! functions defined in the file.
//!
//! Request data is recognised on the parameters of route handlers (`app.get('/x', (req, res) =>
//! ...)`, `http.createServer((req, res) => ...)`, Koa's `ctx`) and, more loosely, on any function
//! parameter named `req` or `request` (handlers are often declared apart from their routes).

mod env;
mod expr;
mod sources;
mod stmt;
#[cfg(test)]
mod tests;

use std::collections::HashMap;

use tree_sitter::{Node, Tree, TreeCursor};

use self::env::Env;
use super::{Call, Constant, Facts, SinkSet, SourceKind, Store, Taint, Value};
use crate::lang::Language;

/// Builds the facts of a JavaScript file.
pub fn analyze(source: &str, tree: &Tree) -> Facts {
    analyze_as(Language::JavaScript, source, tree)
}

/// Builds the facts of a file of the JavaScript family (JavaScript, TypeScript, TSX) parsed with
/// that language's grammar; the same analysis serves all three, type annotations are skipped.
pub fn analyze_as(language: Language, source: &str, tree: &Tree) -> Facts {
    let dialect = Dialect::of(language);
    let previous = DIALECT.with(|d| d.replace(dialect));
    let mut analyzer = Analyzer::new(source);
    analyzer.collect_functions(tree);
    analyzer.stmt(tree.root_node());
    DIALECT.with(|d| d.set(previous));
    analyzer.facts
}

/// The grammar a tree of the JavaScript family was parsed with: kind and field ids differ between
/// grammars, so each has its own tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Dialect {
    JavaScript = 0,
    TypeScript = 1,
    Tsx = 2,
}

impl Dialect {
    fn of(language: Language) -> Self {
        match language {
            Language::TypeScript => Self::TypeScript,
            Language::Tsx => Self::Tsx,
            _ => Self::JavaScript,
        }
    }

    fn grammar(self) -> tree_sitter::Language {
        match self {
            Self::JavaScript => tree_sitter_javascript::LANGUAGE.into(),
            Self::TypeScript => tree_sitter_typescript::LANGUAGE_TYPESCRIPT.into(),
            Self::Tsx => tree_sitter_typescript::LANGUAGE_TSX.into(),
        }
    }
}

thread_local! {
    /// The dialect of the tree being analysed on this thread (analyses do not nest across
    /// dialects; `analyze_as` restores the previous value).
    static DIALECT: std::cell::Cell<Dialect> = const { std::cell::Cell::new(Dialect::JavaScript) };
}

/// How many calls to local functions with tainted arguments are re-analysed with those arguments
/// per file, and how deeply such re-analyses nest; bounds the cost on large files.
const INLINE_BUDGET: usize = 64;
const INLINE_DEPTH: usize = 3;

/// How deep the recursive walk may go. Each level of it takes several stack frames, so it is a
/// quarter of `syntax::MAX_DEPTH` (still far beyond hand-written code); deeper subtrees are
/// skipped so that hostile input cannot overflow a 2 MB thread stack.
const WALK_DEPTH: usize = crate::lang::syntax::MAX_DEPTH / 4;

/// What calling a function defined in the file does with taint.
#[derive(Debug, Clone, Default)]
struct Summary {
    /// Parameters whose data reaches the return value, with what it was sanitised for on the way.
    params: Vec<(usize, SinkSet)>,
    /// Untrusted data the function reads itself and returns.
    sources: Taint,
    /// The constant it returns, if always the same.
    constant: Option<Constant>,
}

/// The state of the walk over one file.
struct Analyzer<'s, 't> {
    src: &'s str,
    facts: Facts,
    calls_at: FastMap<(usize, usize), usize>,
    stores_at: FastMap<(usize, usize), usize>,
    env: Env,
    /// Functions declared in the file, by name (hoisted).
    functions: FastMap<String, Node<'t>>,
    /// Summaries by function node id; `None` while being computed (recursion).
    summaries: FastMap<usize, Option<Summary>>,
    /// Whether calls and stores seen are recorded (off while computing a summary).
    record: bool,
    /// Recursion depth of the walk, bounded by `WALK_DEPTH`.
    depth: usize,
    /// The join of the values returned so far by the function being walked.
    returns: Option<Value>,
    /// Function nodes being re-analysed with their callers' arguments.
    inlining: Vec<usize>,
    inline_budget: usize,
    /// One cursor reused to list children (creating one per node showed up in profiles).
    cursor: Option<TreeCursor<'t>>,
}

impl<'s, 't> Analyzer<'s, 't> {
    fn new(src: &'s str) -> Self {
        Self {
            src,
            facts: Facts::default(),
            calls_at: FastMap::default(),
            stores_at: FastMap::default(),
            env: Env::new(),
            functions: FastMap::default(),
            summaries: FastMap::default(),
            record: true,
            depth: 0,
            returns: None,
            inlining: Vec::new(),
            inline_budget: INLINE_BUDGET,
            cursor: None,
        }
    }

    /// The source text of a node.
    fn text(&self, node: Node<'_>) -> &'s str {
        crate::lang::syntax::text(node, self.src)
    }

    /// A short label for messages: the node's text, whitespace collapsed, at most 60 characters.
    /// Only a bounded prefix of the text is looked at, so labels of huge nodes stay cheap.
    fn label(&self, node: Node<'_>) -> String {
        let raw = self.text(node);
        let mut cut = raw.len().min(120);
        while !raw.is_char_boundary(cut) {
            cut -= 1;
        }
        let text: String = raw
            .get(..cut)
            .unwrap_or("")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        match text.char_indices().nth(60) {
            Some((at, _)) => format!("{}...", &text[..at]),
            None if cut < raw.len() => format!("{text}..."),
            None => text,
        }
    }

    /// Finds the functions declared in the file by name, so calls before the declaration resolve.
    ///
    /// One tree cursor walks the whole file. When a name is declared twice, the declaration that
    /// comes first in post-order wins (the order of the former stack-based walk, which visited
    /// nodes in exactly the reverse of post-order and let the last one win).
    fn collect_functions(&mut self, tree: &'t Tree) {
        let mut cursor = tree.walk();
        let mut depth = 0usize;
        loop {
            // Descend as far as possible (named nodes only have named descendants that matter).
            if depth < crate::lang::syntax::MAX_DEPTH && cursor.goto_first_child() {
                depth += 1;
                continue;
            }
            // Leaf (or depth limit): visit it, then climb until a next sibling exists, visiting
            // every node left behind (post-order).
            loop {
                let node = cursor.node();
                if node.is_named() {
                    self.collect_function(node);
                }
                if cursor.goto_next_sibling() {
                    break;
                }
                if depth == 0 || !cursor.goto_parent() {
                    return;
                }
                depth -= 1;
            }
        }
    }

    fn collect_function(&mut self, node: Node<'t>) {
        let name_value = match node.ty() {
            "function_declaration" | "generator_function_declaration" => {
                node.field("name").map(|name| (name, node))
            }
            "variable_declarator" => match (node.field("name"), node.field("value")) {
                (Some(name), Some(value)) if name.ty() == "identifier" && is_function(value) => {
                    Some((name, value))
                }
                _ => None,
            },
            _ => None,
        };
        if let Some((name, value)) = name_value {
            self.functions
                .entry(self.text(name).to_string())
                .or_insert(value);
        }
    }

    /// The named children of a node (comments included), listed with the shared cursor.
    fn children(&mut self, node: Node<'t>) -> Vec<Node<'t>> {
        let cursor = self.cursor.get_or_insert_with(|| node.walk());
        node.named_children(cursor).collect()
    }

    /// Records a call, joining it with an earlier record of the same call (loops, re-analyses).
    fn record_call(&mut self, call: Call) {
        if !self.record {
            return;
        }
        let key = (call.range.start, call.range.end);
        if let Some(&i) = self.calls_at.get(&key) {
            if let Some(old) = self.facts.calls.get_mut(i) {
                for (a, b) in old.args.iter_mut().zip(&call.args) {
                    a.value = env::merge(&a.value, &b.value);
                }
                if let (Some(a), Some(b)) = (old.receiver.as_mut(), call.receiver.as_ref()) {
                    *a = env::merge(a, b);
                }
            }
            return;
        }
        self.calls_at.insert(key, self.facts.calls.len());
        self.facts.calls.push(call);
    }

    /// Records a property store, joining it with an earlier record of the same store.
    fn record_store(&mut self, store: Store) {
        if !self.record {
            return;
        }
        let key = (store.range.start, store.range.end);
        if let Some(&i) = self.stores_at.get(&key) {
            if let Some(old) = self.facts.stores.get_mut(i) {
                old.value = env::merge(&old.value, &store.value);
            }
            return;
        }
        self.stores_at.insert(key, self.facts.stores.len());
        self.facts.stores.push(store);
    }
}

/// A fast, deterministic hasher (FNV-1a) for the analysis' small string and integer keys; the
/// default SipHash showed up in profiles.
#[derive(Default, Clone, Copy)]
pub(super) struct Fnv(u64);

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for b in bytes {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

/// A `HashMap` with the [`Fnv`] hasher.
pub(super) type FastMap<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<Fnv>>;

/// `child_by_field_name` with the field id looked up once per process, and `kind` from a table
/// indexed by kind id: tree-sitter resolves field names by comparing strings against every field
/// of the grammar, and `Node::kind` measures and validates a C string on every call; both showed
/// up in profiles.
trait Field<'t> {
    /// The child in field `name`.
    fn field(&self, name: &'static str) -> Option<Node<'t>>;
    /// The node's kind (`Node::kind`, from a table).
    fn ty(&self) -> &'static str;
}

/// The kind names and field ids of one grammar, built once per process so the names it hands
/// out are `'static`.
struct Tables {
    fields: FastMap<&'static str, std::num::NonZeroU16>,
    kinds: Vec<&'static str>,
}

impl Tables {
    fn build(dialect: Dialect) -> Self {
        // The grammar is leaked once per dialect and process so that its names are `'static`.
        let language: &'static tree_sitter::Language = Box::leak(Box::new(dialect.grammar()));
        let fields = (1..=language.field_count())
            .filter_map(|id| {
                let id = u16::try_from(id).ok()?;
                let name = language.field_name_for_id(id)?;
                Some((name, std::num::NonZeroU16::new(id)?))
            })
            .collect();
        let kinds = (0..language.node_kind_count())
            .map(|id| {
                u16::try_from(id)
                    .ok()
                    .and_then(|id| language.node_kind_for_id(id))
                    .unwrap_or("")
            })
            .collect();
        Self { fields, kinds }
    }

    /// The tables of the dialect being analysed on this thread.
    fn current() -> &'static Tables {
        static TABLES: [std::sync::OnceLock<Tables>; 3] = [
            std::sync::OnceLock::new(),
            std::sync::OnceLock::new(),
            std::sync::OnceLock::new(),
        ];
        let dialect = DIALECT.with(std::cell::Cell::get);
        TABLES[dialect as usize].get_or_init(|| Tables::build(dialect))
    }
}

impl<'t> Field<'t> for Node<'t> {
    fn field(&self, name: &'static str) -> Option<Node<'t>> {
        match Tables::current().fields.get(name) {
            Some(id) => self.child_by_field_id(id.get()),
            None => self.child_by_field_name(name),
        }
    }

    fn ty(&self) -> &'static str {
        // Trees given to this module are of the current dialect, so every kind id is in the
        // table.
        Tables::current()
            .kinds
            .get(usize::from(self.kind_id()))
            .copied()
            .unwrap_or("")
    }
}

/// Whether a node is a comment (`syntax::is_comment`, through the kind table).
fn is_comment(node: Node<'_>) -> bool {
    matches!(node.ty(), "comment" | "line_comment" | "block_comment")
}

/// Whether a node is a function literal or declaration.
fn is_function(node: Node<'_>) -> bool {
    matches!(
        node.ty(),
        "arrow_function"
            | "function_expression"
            | "function"
            | "generator_function"
            | "function_declaration"
            | "generator_function_declaration"
            | "method_definition"
    )
}

/// A taint straight from a source.
fn source_taint(kind: SourceKind, label: String, node: Node<'_>) -> Taint {
    Taint::from_source(kind, label, node.byte_range())
}

/// The module name of a `require`/`import` specifier (`node:fs` is `fs`).
fn module_name(spec: &str) -> String {
    spec.strip_prefix("node:").unwrap_or(spec).to_string()
}

/// A value standing for a module or a member of one.
fn module_value(qualified: &str) -> Value {
    Value {
        type_name: Some(format!("{}{qualified}", sources::MODULE)),
        ..Value::default()
    }
}

/// The qualified name of a module value (`child_process.exec`).
fn module_of(value: &Value) -> Option<&str> {
    value.type_name.as_deref()?.strip_prefix(sources::MODULE)
}
