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

use tree_sitter::{Node, Tree};

use self::env::Env;
use super::{Call, Constant, Facts, SinkSet, SourceKind, Store, Taint, Value};

/// Builds the facts of a JavaScript file.
pub fn analyze(source: &str, tree: &Tree) -> Facts {
    let mut analyzer = Analyzer::new(source);
    analyzer.collect_functions(tree);
    analyzer.stmt(tree.root_node());
    analyzer.facts
}

/// How many calls to local functions with tainted arguments are re-analysed with those arguments
/// per file, and how deeply such re-analyses nest; bounds the cost on large files.
const INLINE_BUDGET: usize = 256;
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
    calls_at: HashMap<(usize, usize), usize>,
    stores_at: HashMap<(usize, usize), usize>,
    env: Env,
    /// Functions declared in the file, by name (hoisted).
    functions: HashMap<String, Node<'t>>,
    /// Summaries by function node id; `None` while being computed (recursion).
    summaries: HashMap<usize, Option<Summary>>,
    /// Whether calls and stores seen are recorded (off while computing a summary).
    record: bool,
    /// Recursion depth of the walk, bounded by `WALK_DEPTH`.
    depth: usize,
    /// The join of the values returned so far by the function being walked.
    returns: Option<Value>,
    /// Function nodes being re-analysed with their callers' arguments.
    inlining: Vec<usize>,
    inline_budget: usize,
}

impl<'s, 't> Analyzer<'s, 't> {
    fn new(src: &'s str) -> Self {
        Self {
            src,
            facts: Facts::default(),
            calls_at: HashMap::new(),
            stores_at: HashMap::new(),
            env: Env::new(),
            functions: HashMap::new(),
            summaries: HashMap::new(),
            record: true,
            depth: 0,
            returns: None,
            inlining: Vec::new(),
            inline_budget: INLINE_BUDGET,
        }
    }

    /// The source text of a node.
    fn text(&self, node: Node<'_>) -> &'s str {
        crate::lang::syntax::text(node, self.src)
    }

    /// A short label for messages: the node's text, whitespace collapsed, at most 60 bytes.
    fn label(&self, node: Node<'_>) -> String {
        let text: String = self
            .text(node)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        match text.char_indices().nth(60) {
            Some((cut, _)) => format!("{}...", &text[..cut]),
            None => text,
        }
    }

    /// Finds the functions declared in the file by name, so calls before the declaration resolve.
    fn collect_functions(&mut self, tree: &'t Tree) {
        let mut stack = vec![(tree.root_node(), 0usize)];
        while let Some((node, depth)) = stack.pop() {
            match node.kind() {
                "function_declaration" | "generator_function_declaration" => {
                    if let Some(name) = node.child_by_field_name("name") {
                        self.functions.insert(self.text(name).to_string(), node);
                    }
                }
                "variable_declarator" => {
                    if let (Some(name), Some(value)) = (
                        node.child_by_field_name("name"),
                        node.child_by_field_name("value"),
                    ) {
                        if name.kind() == "identifier" && is_function(value) {
                            self.functions.insert(self.text(name).to_string(), value);
                        }
                    }
                }
                _ => {}
            }
            if depth < crate::lang::syntax::MAX_DEPTH {
                let mut cursor = node.walk();
                stack.extend(node.named_children(&mut cursor).map(|c| (c, depth + 1)));
            }
        }
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

/// Whether a node is a function literal or declaration.
fn is_function(node: Node<'_>) -> bool {
    matches!(
        node.kind(),
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
