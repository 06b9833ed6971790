//! The abstract interpreter's state and its statement rules: one pass in statement order over a
//! scope, with branches forked and merged, loops evaluated twice, `return` values collected and
//! allow-list guards applied.

use foldhash::HashMap;
use std::borrow::Cow;
use std::cell::RefCell;
use std::sync::Arc;

use tree_sitter::{Node, TreeCursor};

use super::env::Changes;
use super::hot::{Outputs, Undo};
use super::ids::{self, PyNode};
use super::known;
use super::memo::{Bodies, Capture, Dep, Effect, Previous};
use super::reuse::Reuse;
use super::scope::{Env, Frame, ScopeKind};
use crate::analysis::{join_dotted, Call, Constant, Imports, SourceKind, Store, Taint, Value};
use crate::lang::syntax::{text, MAX_DEPTH};
use crate::lang::TreeIndex;

/// How deep the interpreter's recursion may go. Each level of syntax nesting costs several Rust
/// frames here (statement, block, expression rules), so the bound is a quarter of
/// [`MAX_DEPTH`]: deeper code is skipped rather than overflowing the stack of a 2 MB thread.
pub const MAX_NESTING: usize = MAX_DEPTH / 4;

/// Loops nested deeper than this are evaluated once instead of twice, keeping the pass linear.
const MAX_ITERATED_LOOPS: usize = 3;

/// What an interpretation leaves: calls, stores, memoised bodies, replay statistics and the
/// previous analysis (for the calls of replayed bodies).
pub type Finished = (
    Vec<Call>,
    Vec<Store>,
    Bodies,
    (usize, usize),
    Option<Previous>,
);

/// What the analysis remembers of a function defined in the file.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    /// Parameter names in order (including `self`).
    pub params: Vec<String>,
    /// The merged return value; `Parameter` origins labelled `#<index>` stand for arguments.
    pub ret: Value,
}

/// The interpreter: file-wide tables plus what it records.
pub struct Interp<'a> {
    /// The source text.
    pub src: &'a str,
    /// The file's imports.
    pub imports: &'a Imports,
    /// Whether calls and stores are recorded (the final pass) or only summaries built.
    pub record: bool,
    /// Which pass is running (0 and 1 build summaries, 2 records).
    pub(super) pass: u8,
    /// Module-level bindings seen by function bodies.
    pub globals: Env,
    /// Function summaries by name (`helper`, `Class.method`).
    pub summaries: HashMap<String, Arc<Summary>>,
    /// Untrusted data passed by callers in this file, by function key and parameter index.
    pub argument_taint: HashMap<(String, usize), Taint>,
    /// The previous analysis of the same document, when this one is incremental.
    pub previous: Option<Previous>,
    /// Whether function bodies are logged for the next analysis (see `memo`).
    pub memoize: bool,
    /// Function bodies interpreted or reused in this analysis, for the next one.
    pub memo: Bodies,
    /// How many function bodies were replayed and how many interpreted, for statistics.
    pub memo_stats: (usize, usize),
    /// The log of the function body being memoised.
    pub(super) capture: RefCell<Option<Capture>>,
    /// What the first summary pass learned about function bodies, so the second can skip
    /// those it would interpret the same way (see `reuse`).
    pub(super) reuse: RefCell<Reuse>,
    /// The file's node index, when the analysis was given one: children are looked up there
    /// instead of walked, in each of the three passes.
    pub index: Option<&'a TreeIndex<'a>>,
    calls: Vec<Call>,
    call_slots: HashMap<(usize, usize), usize>,
    stores: Vec<Store>,
    store_slots: HashMap<(usize, usize), usize>,
    loop_depth: usize,
    /// Whether the statements being run are the body of a route-decorated function (not of a
    /// function nested in one): its `return`s are recorded as stores to [`RETURN_TARGET`].
    in_route_body: bool,
    /// Whether the class body being run is a class-based view's (`flask.views.MethodView`),
    /// whose HTTP methods are routes.
    in_view_class: bool,
    /// While set, how to undo each write to `summaries` and `argument_taint` (see `hot`).
    pub(super) undo: Option<Vec<Undo>>,
    /// The start of the top-level definition whose outputs are collected in `watched`.
    pub(super) watch: Option<usize>,
    /// What the watched definition wrote to the file-wide tables, once per pass.
    pub(super) watched: Vec<Outputs>,
    /// The traced top-level statements of this analysis, by start and pass (see `ripple`).
    pub(super) steps: HashMap<(usize, u8), super::ripple::Step>,
    /// What top-level definitions found bound to their names, by start and pass (see
    /// `ripple`).
    pub(super) unbound: HashMap<(usize, u8), Value>,
    /// Where the source has `:=`, found once (every pass asks it of every top-level definition).
    walruses: std::cell::OnceCell<Vec<usize>>,
}

/// The [`Store::target`] of a value returned by a route-decorated function (a keyword, so never
/// a real assignment target): what a web framework turns into the response.
pub const RETURN_TARGET: &str = "return";

/// The named children of a node, skipping comments: listed by `index` when the analysis has one
/// (a hash lookup instead of a cursor walk), walked otherwise.
pub fn kids<'n>(index: Option<&'n TreeIndex<'n>>, node: Node<'n>) -> Kids<'n> {
    match index {
        Some(index) => Kids::Listed(index.children(node).iter()),
        None => Kids::Walked {
            cursor: node.walk(),
            started: false,
        },
    }
}

/// The child of `node` filling the field `field_id`: from `index` when the analysis has one (a
/// hash lookup instead of tree-sitter's scan of the children), asked of the tree otherwise.
pub fn field_at<'n>(
    index: Option<&'n TreeIndex<'n>>,
    node: Node<'n>,
    field_id: u16,
) -> Option<Node<'n>> {
    match index {
        Some(index) => index.field(node, field_id),
        None => node.field(field_id),
    }
}

/// The children of `node` filling the field `field_id`, in order: from `index` when the analysis
/// has one, walked otherwise.
pub fn fields_at<'n>(
    index: Option<&'n TreeIndex<'n>>,
    node: Node<'n>,
    field_id: u16,
) -> Vec<Node<'n>> {
    match index {
        Some(index) => index.fields_of(node, field_id).collect(),
        None => {
            let mut cursor = node.walk();
            node.fields_of(field_id, &mut cursor).collect()
        }
    }
}

/// [`kids`] as a list: borrowed from `index` when the analysis has one, collected otherwise.
pub fn named_at<'n>(index: Option<&'n TreeIndex<'n>>, node: Node<'n>) -> Cow<'n, [Node<'n>]> {
    match index {
        Some(index) => Cow::Borrowed(index.children(node)),
        None => Cow::Owned(kids(None, node).collect()),
    }
}

/// The iterator of [`kids`].
pub enum Kids<'n> {
    /// From the index.
    Listed(std::slice::Iter<'n, Node<'n>>),
    /// Walked with a cursor made on the parent.
    Walked {
        /// The cursor.
        cursor: TreeCursor<'n>,
        /// Whether it moved to the first child yet.
        started: bool,
    },
}

impl<'n> Iterator for Kids<'n> {
    type Item = Node<'n>;

    // Inlined: a one-shot scan iterates the index's lists, a slice step; the cursor walk (the
    // incremental analysis) stays out of line.
    #[inline]
    fn next(&mut self) -> Option<Node<'n>> {
        match self {
            Kids::Listed(children) => children.next().copied(),
            Kids::Walked { .. } => self.next_walked(),
        }
    }
}

impl<'n> Kids<'n> {
    #[inline(never)]
    fn next_walked(&mut self) -> Option<Node<'n>> {
        let Kids::Walked { cursor, started } = self else {
            return None;
        };
        loop {
            let moved = if *started {
                cursor.goto_next_sibling()
            } else {
                *started = true;
                cursor.goto_first_child()
            };
            if !moved {
                return None;
            }
            let child = cursor.node();
            if child.is_named() && child.k() != "comment" {
                return Some(child);
            }
        }
    }
}

impl<'a> Interp<'a> {
    /// A fresh interpreter in summary mode.
    pub fn new(src: &'a str, imports: &'a Imports) -> Self {
        Self {
            src,
            imports,
            record: false,
            pass: 0,
            globals: Env::default(),
            summaries: HashMap::default(),
            argument_taint: HashMap::default(),
            previous: None,
            memoize: false,
            memo: HashMap::default(),
            memo_stats: (0, 0),
            capture: RefCell::new(None),
            reuse: RefCell::new(Reuse::default()),
            index: None,
            calls: Vec::new(),
            call_slots: HashMap::default(),
            stores: Vec::new(),
            store_slots: HashMap::default(),
            loop_depth: 0,
            in_route_body: false,
            in_view_class: false,
            undo: None,
            watch: None,
            watched: Vec::new(),
            steps: HashMap::default(),
            unbound: HashMap::default(),
            walruses: std::cell::OnceCell::new(),
        }
    }

    /// The recorded calls and stores, and the memoised function bodies.
    pub fn finish(self) -> Finished {
        // The file-wide tables are large in a large file; free them off the latency path.
        crate::analysis::garbage::defer((self.globals, self.summaries, self.argument_taint));
        (
            self.calls,
            self.stores,
            self.memo,
            self.memo_stats,
            self.previous,
        )
    }

    /// How many loops enclose the statement being interpreted.
    pub fn loop_depth(&self) -> usize {
        self.loop_depth
    }

    /// The text of a node.
    pub fn text(&self, node: Node<'_>) -> &'a str {
        text(node, self.src)
    }

    /// Records a call; a call evaluated again (second loop iteration) replaces the first record.
    pub fn record_call(&mut self, call: Call) {
        if !self.record {
            return;
        }
        let key = (call.range.start, call.range.end);
        match self.call_slots.get(&key) {
            Some(&i) => {
                if let Some(slot) = self.calls.get_mut(i) {
                    *slot = call;
                }
            }
            None => {
                self.call_slots.insert(key, self.calls.len());
                self.calls.push(call);
            }
        }
    }

    /// Whether a store must be built: recorded in the final pass, or logged while memoising
    /// (the summary passes of a one-shot analysis drop it unseen; finding the statement and
    /// resolving the path are not free).
    fn keeps_stores(&self) -> bool {
        self.record || self.memoize
    }

    /// Records an attribute or element store, replacing an earlier record of the same one.
    pub fn record_store(&mut self, store: Store) {
        if !self.record {
            return;
        }
        self.log_effect(|| Effect::Store(store.clone()));
        let key = (store.target_range.start, store.target_range.end);
        match self.store_slots.get(&key) {
            Some(&i) => {
                if let Some(slot) = self.stores.get_mut(i) {
                    *slot = store;
                }
            }
            None => {
                self.store_slots.insert(key, self.stores.len());
                self.stores.push(store);
            }
        }
    }

    /// What a name is bound to: the local scope first, then (in functions and classes) the
    /// module's bindings.
    pub fn lookup(&self, name: &str, frame: &Frame) -> Option<Value> {
        if frame.kind == ScopeKind::Module {
            self.note_module_read(name, &frame.env);
        }
        frame.env.get(name).cloned().or_else(|| {
            if frame.kind == ScopeKind::Module {
                None
            } else {
                self.note_global_read(name);
                self.globals.get(name).cloned()
            }
        })
    }

    /// Whether a name is a variable here (and so does not refer to an import).
    pub fn is_variable(&self, name: &str, frame: &Frame) -> bool {
        if frame.kind == ScopeKind::Module {
            self.note_module_read(name, &frame.env);
        }
        frame.env.contains_key(name)
            || (frame.kind != ScopeKind::Module && {
                self.note_global_read(name);
                self.globals.contains_key(name)
            })
    }

    /// Logs a lookup of a module binding from a function or class body (for the memo and the
    /// summary passes' reuse); allocates nothing when neither is watching.
    pub(super) fn note_global_read(&self, name: &str) {
        if self.capture.borrow().is_some() {
            self.note_read(Dep::Global(name.to_string()));
        }
        self.reuse.borrow_mut().note_global(name);
    }

    /// Executes the statements of a block (or module). Returns whether every path through it
    /// ends in `return`, `raise`, `break`, `continue` or an aborting call.
    pub fn exec_block(&mut self, block: Node<'_>, frame: &mut Frame, depth: usize) -> bool {
        if depth > MAX_NESTING {
            return false;
        }
        let mut terminated = false;
        for stmt in kids(self.index, block) {
            terminated |= self.exec_stmt(stmt, frame, depth + 1);
        }
        terminated
    }

    /// [`Interp::exec_block`] on statements listed beforehand (the module's, which every pass
    /// runs: stepping through the root's many children is not free).
    pub fn exec_statements(&mut self, statements: &[Node<'_>], frame: &mut Frame, depth: usize) {
        if depth > MAX_NESTING {
            return;
        }
        for &stmt in statements {
            self.exec_stmt(stmt, frame, depth + 1);
        }
    }

    fn exec_stmt(&mut self, node: Node<'_>, frame: &mut Frame, depth: usize) -> bool {
        if depth > MAX_NESTING {
            return false;
        }
        match node.k() {
            "expression_statement" => {
                let mut terminated = false;
                for child in kids(self.index, node) {
                    match child.k() {
                        // A bare string literal (docstring) without interpolations binds and
                        // calls nothing: skip unescaping and copying it.
                        "string" if !has_interpolation(child) => {}
                        "assignment" => {
                            self.assign(child, frame, depth + 1);
                        }
                        "augmented_assignment" => self.augmented_assign(child, frame, depth + 1),
                        _ => {
                            self.eval(child, frame, depth + 1);
                            terminated |= self.is_terminating_call(child, frame);
                        }
                    }
                }
                terminated
            }
            "return_statement" => {
                let returned = kids(self.index, node).next();
                let value = returned
                    .map(|v| self.eval(v, frame, depth + 1))
                    .unwrap_or_default();
                if let (true, true, Some(returned)) = (self.record, self.in_route_body, returned) {
                    self.record_store(Store {
                        range: node.byte_range(),
                        target_range: returned.byte_range(),
                        target: RETURN_TARGET.to_string(),
                        value: value.clone(),
                    });
                }
                frame.add_return(value);
                true
            }
            "raise_statement" => {
                for child in kids(self.index, node) {
                    self.eval(child, frame, depth + 1);
                }
                true
            }
            "continue_statement" | "break_statement" => true,
            "if_statement" => self.exec_if(node, frame, depth + 1),
            "for_statement" | "while_statement" => {
                self.exec_loop(node, frame, depth + 1);
                false
            }
            "try_statement" => self.exec_try(node, frame, depth + 1),
            "with_statement" => self.exec_with(node, frame, depth + 1),
            "match_statement" => {
                self.exec_match(node, frame, depth + 1);
                false
            }
            "function_definition" | "class_definition" | "decorated_definition" => {
                // Top-level definitions are memoised whole; error recovery can parse the same
                // text differently depending on what surrounds it, and a walrus in a decorator,
                // default or base binds in the module, so those run every time.
                let top_level = frame.kind == ScopeKind::Module && self.capture.borrow().is_none();
                if self.memoize && top_level && self.memoizable(node) {
                    self.exec_definition_memoized(node, frame, depth);
                } else if top_level && self.watch == Some(node.start_byte()) {
                    self.exec_definition_watched(node, frame, depth);
                } else {
                    self.exec_definition(node, frame, depth);
                }
                false
            }
            "assert_statement" => {
                let parts = named_at(self.index, node);
                for part in parts.iter() {
                    self.eval(*part, frame, depth + 1);
                }
                if let Some(cond) = parts.first() {
                    let (when_true, _) = self.guards(*cond, frame, depth + 1);
                    self.sanitize_names(&when_true, frame);
                }
                false
            }
            "import_statement"
            | "import_from_statement"
            | "future_import_statement"
            | "global_statement"
            | "nonlocal_statement"
            | "pass_statement"
            | "comment"
            | "type_alias_statement"
            | "delete_statement" => false,
            "block" | "module" | "ERROR" => self.exec_block(node, frame, depth + 1),
            _ => {
                self.eval(node, frame, depth + 1);
                false
            }
        }
    }

    /// Defines a function or class, decorated or not.
    pub(super) fn exec_definition(&mut self, node: Node<'_>, frame: &mut Frame, depth: usize) {
        match node.k() {
            "function_definition" => self.define_function(node, &[], frame, depth + 1),
            "class_definition" => self.define_class(node, frame, depth + 1),
            _ => {
                let decorators: Vec<Node<'_>> = kids(self.index, node)
                    .filter(|n| n.k() == "decorator")
                    .collect();
                for decorator in &decorators {
                    for expr in kids(self.index, *decorator) {
                        self.eval(expr, frame, depth + 1);
                    }
                }
                match field_at(self.index, node, ids::fields().definition) {
                    Some(def) if def.k() == "function_definition" => {
                        self.define_function(def, &decorators, frame, depth + 1)
                    }
                    Some(def) if def.k() == "class_definition" => {
                        self.define_class(def, frame, depth + 1)
                    }
                    _ => {}
                }
            }
        }
    }

    fn is_terminating_call(&self, expr: Node<'_>, frame: &Frame) -> bool {
        if expr.k() != "call" {
            return false;
        }
        let Some(func) = field_at(self.index, expr, ids::fields().function) else {
            return false;
        };
        let name = self.text(func);
        let head = crate::analysis::first_segment(name);
        !self.is_variable(head, frame) && known::is_terminating_call(&self.imports.qualify(name))
    }

    /// `left = right` (also chained `a = b = v` and annotated `x: T = v`). Returns the value.
    pub fn assign(&mut self, node: Node<'_>, frame: &mut Frame, depth: usize) -> Value {
        let (Some(left), Some(right)) = (
            field_at(self.index, node, ids::fields().left),
            field_at(self.index, node, ids::fields().right),
        ) else {
            return Value::default();
        };
        if depth > MAX_NESTING {
            return Value::default();
        }
        // Element-wise unpacking of a literal: `a, b = x, y`.
        if is_pattern(left) && matches!(right.k(), "tuple" | "list" | "expression_list") {
            let targets = named_at(self.index, left);
            let values = named_at(self.index, right);
            if targets.len() == values.len()
                && !targets.iter().any(|t| t.k() == "list_splat_pattern")
            {
                let evaluated: Vec<Value> = values
                    .iter()
                    .map(|v| self.eval(*v, frame, depth + 1))
                    .collect();
                let statement = node.byte_range();
                let within = passes_statement(left).then_some(&statement);
                for (target, value) in targets.iter().zip(&evaluated) {
                    self.bind_in(*target, value.clone(), frame, depth + 1, within);
                }
                return Value::default();
            }
        }
        let value = if right.k() == "assignment" {
            self.assign(right, frame, depth + 1)
        } else {
            self.eval(right, frame, depth + 1)
        };
        self.bind_in(
            left,
            value.clone(),
            frame,
            depth + 1,
            Some(&node.byte_range()),
        );
        value
    }

    fn augmented_assign(&mut self, node: Node<'_>, frame: &mut Frame, depth: usize) {
        let (Some(left), Some(right)) = (
            field_at(self.index, node, ids::fields().left),
            field_at(self.index, node, ids::fields().right),
        ) else {
            return;
        };
        let current = self.eval(left, frame, depth + 1);
        let operand = self.eval(right, frame, depth + 1);
        let op = field_at(self.index, node, ids::fields().operator)
            .map(|o| self.text(o).trim_end_matches('='))
            .unwrap_or("");
        let value = super::expr::binary_value(op, &current, &operand);
        self.bind_in(left, value, frame, depth + 1, Some(&node.byte_range()));
    }

    /// Binds an assignment target to a value: names, `self.x` pseudo-variables, attribute and
    /// element stores, and unpacking patterns.
    pub fn bind(&mut self, target: Node<'_>, value: Value, frame: &mut Frame, depth: usize) {
        self.bind_in(target, value, frame, depth, None);
    }

    /// [`Interp::bind`] for a target of the assignment statement spanning `statement` (its
    /// left side, or an element of an unpacking pattern there): the range stores record.
    /// Without it, a store records the target's own range.
    fn bind_in(
        &mut self,
        target: Node<'_>,
        value: Value,
        frame: &mut Frame,
        depth: usize,
        statement: Option<&std::ops::Range<usize>>,
    ) {
        if depth > MAX_NESTING {
            return;
        }
        match target.k() {
            "identifier" => {
                frame.env.insert(self.text(target).to_string(), value);
            }
            "attribute" => {
                if let Some(object) = field_at(self.index, target, ids::fields().object) {
                    self.eval(object, frame, depth + 1);
                }
                if self.keeps_stores() {
                    let path = self.store_path(target, frame);
                    self.record_store(Store {
                        range: statement.unwrap_or(&target.byte_range()).clone(),
                        target_range: target.byte_range(),
                        target: path,
                        value: value.clone(),
                    });
                }
                if let Some(dotted) = self.dotted(target) {
                    frame.env.insert(dotted.into_owned(), value);
                }
            }
            "subscript" => {
                let Some(object) = field_at(self.index, target, ids::fields().value) else {
                    return;
                };
                self.eval(object, frame, depth + 1);
                let keys: Vec<Value> = fields_at(self.index, target, ids::fields().subscript)
                    .into_iter()
                    .map(|s| self.eval(s, frame, depth + 1))
                    .collect();
                let key = match keys.as_slice() {
                    [only] => match &only.constant {
                        Some(Constant::Str(k)) => Some(k.clone()),
                        Some(Constant::Int(i)) if *i >= 0 => Some(i.to_string()),
                        _ => None,
                    },
                    _ => None,
                };
                if self.keeps_stores() {
                    let path = format!(
                        "{}[{}]",
                        self.store_path(object, frame),
                        key.as_deref().unwrap_or("?")
                    );
                    self.record_store(Store {
                        range: statement.unwrap_or(&target.byte_range()).clone(),
                        target_range: target.byte_range(),
                        target: path,
                        value: value.clone(),
                    });
                }
                // The container now holds the value.
                if let Some(name) = self.dotted(object) {
                    let mut container = self.lookup(&name, frame).unwrap_or_default();
                    container.taint.merge(&value.taint);
                    container.constant = None;
                    if let Some(key) = key {
                        container.fields.retain(|(k, _)| *k != key);
                        container.fields.push((key, value));
                    }
                    frame.env.insert(name.into_owned(), container);
                }
            }
            "pattern_list" | "tuple_pattern" | "list_pattern" | "tuple" | "list"
            | "expression_list" => {
                let within = statement.filter(|_| passes_statement(target));
                let constants = match &value.constant {
                    Some(Constant::List(items)) => Some(items.clone()),
                    _ => None,
                };
                for (i, item) in kids(self.index, target).enumerate() {
                    let mut element = Value::tainted(value.taint.clone());
                    if let Some(c) = constants
                        .as_ref()
                        .filter(|c| c.len() > i)
                        .and_then(|c| c.get(i))
                    {
                        element.constant = Some(c.clone());
                    }
                    self.bind_in(item, element, frame, depth + 1, within);
                }
            }
            // `with f() as x`: the target is an aliased expression, often a leaf identifier.
            "as_pattern_target" => match kids(self.index, target).next() {
                Some(inner) => self.bind(inner, value, frame, depth + 1),
                None => {
                    frame.env.insert(self.text(target).to_string(), value);
                }
            },
            "list_splat_pattern" | "parenthesized_expression" | "list_splat" => {
                if let Some(inner) = kids(self.index, target).next() {
                    self.bind(inner, Value::tainted(value.taint), frame, depth + 1);
                }
            }
            _ => {}
        }
    }

    /// The dotted path of a store target, with the head resolved (`requests.Session.verify`).
    fn store_path(&mut self, target: Node<'_>, frame: &Frame) -> String {
        let Some(dotted) = self.dotted(target) else {
            return self.text(target).split_whitespace().collect();
        };
        let (head, rest) = match crate::analysis::split_first_dot(&dotted) {
            Some((h, r)) => (h, Some(r)),
            None => (&*dotted, None),
        };
        let resolved_head = if self.is_variable(head, frame) {
            self.lookup(head, frame)
                .and_then(|v| v.type_name)
                .unwrap_or_else(|| head.to_string())
        } else {
            self.imports.qualify(head)
        };
        match rest {
            Some(rest) => join_dotted(&resolved_head, rest),
            None => resolved_head,
        }
    }

    /// `a.b.c` for identifier/attribute chains: the chain's own text when it is written
    /// plainly (no spaces, comments or continuation lines), so most chains are not copied.
    pub fn dotted(&self, node: Node<'_>) -> Option<Cow<'a, str>> {
        let mut current = node;
        for _ in 0..MAX_DEPTH {
            match current.k() {
                "identifier" => {
                    let text = self.text(node);
                    return if current == node || (!node.has_error() && is_plain_dotted(text)) {
                        Some(Cow::Borrowed(text))
                    } else {
                        self.dotted_parts(node).map(Cow::Owned)
                    };
                }
                "attribute" => current = field_at(self.index, current, ids::fields().object)?,
                _ => return None,
            }
        }
        None
    }

    /// [`Interp::dotted`] joined from the chain's parts.
    fn dotted_parts(&self, node: Node<'_>) -> Option<String> {
        let mut parts = Vec::new();
        let mut current = node;
        for _ in 0..MAX_DEPTH {
            match current.k() {
                "identifier" => {
                    parts.push(self.text(current));
                    parts.reverse();
                    return Some(parts.join("."));
                }
                "attribute" => {
                    parts.push(self.text(field_at(self.index, current, ids::fields().attribute)?));
                    current = field_at(self.index, current, ids::fields().object)?;
                }
                _ => return None,
            }
        }
        None
    }

    fn exec_if(&mut self, node: Node<'_>, frame: &mut Frame, depth: usize) -> bool {
        let mut branches: Vec<Changes> = Vec::new();
        let mut all_terminated = true;
        let base = frame.env.checkpoint();
        let mut clauses: Vec<(Option<Node<'_>>, Option<Node<'_>>)> = vec![(
            field_at(self.index, node, ids::fields().condition),
            field_at(self.index, node, ids::fields().consequence),
        )];
        let mut has_else = false;
        for alt in fields_at(self.index, node, ids::fields().alternative) {
            match alt.k() {
                "elif_clause" => clauses.push((
                    field_at(self.index, alt, ids::fields().condition),
                    field_at(self.index, alt, ids::fields().consequence),
                )),
                "else_clause" => {
                    has_else = true;
                    clauses.push((None, field_at(self.index, alt, ids::fields().body)));
                }
                _ => {}
            }
        }
        // Each clause starts where the previous conditions were false and is rolled back to
        // there once its changes are noted; the join then binds what the paths left.
        for (condition, body) in clauses {
            let (when_true, when_false) = match condition {
                Some(cond) => {
                    self.eval(cond, frame, depth + 1);
                    self.guards(cond, frame, depth + 1)
                }
                None => (Vec::new(), Vec::new()),
            };
            let after_condition = frame.env.checkpoint();
            self.sanitize_names(&when_true, frame);
            let terminated = body.is_some_and(|b| self.exec_block(b, frame, depth + 1));
            if !terminated {
                all_terminated = false;
                branches.push(frame.env.changes(&base));
            }
            frame.env.rollback(&after_condition);
            frame.env.release(after_condition);
            self.sanitize_names(&when_false, frame);
        }
        if !has_else {
            all_terminated = false;
            branches.push(frame.env.changes(&base));
        }
        frame.env.join(base, &branches);
        all_terminated && has_else
    }

    /// Marks the named values clean (an allow-list or format check passed on this path).
    fn sanitize_names(&self, names: &[String], frame: &mut Frame) {
        for name in names {
            let mut value = self.lookup(name, frame).unwrap_or_default();
            value.taint = Taint::clean();
            frame.env.insert(name.clone(), value);
        }
    }

    /// The names a condition proves safe when it is true and when it is false:
    /// `x in ALLOWED` (true), `x not in ALLOWED` (false), `x.isdigit()` (true), with `not`,
    /// `and` and `or` combined.
    pub fn guards(
        &mut self,
        cond: Node<'_>,
        frame: &mut Frame,
        depth: usize,
    ) -> (Vec<String>, Vec<String>) {
        if depth > MAX_NESTING {
            return (Vec::new(), Vec::new());
        }
        match cond.k() {
            "parenthesized_expression" => named_at(self.index, cond)
                .first()
                .map(|c| self.guards(*c, frame, depth + 1))
                .unwrap_or_default(),
            "not_operator" => {
                let (t, f) = field_at(self.index, cond, ids::fields().argument)
                    .map(|c| self.guards(c, frame, depth + 1))
                    .unwrap_or_default();
                (f, t)
            }
            "boolean_operator" => {
                let (Some(l), Some(r)) = (
                    field_at(self.index, cond, ids::fields().left),
                    field_at(self.index, cond, ids::fields().right),
                ) else {
                    return (Vec::new(), Vec::new());
                };
                let (lt, lf) = self.guards(l, frame, depth + 1);
                let (rt, rf) = self.guards(r, frame, depth + 1);
                let op = field_at(self.index, cond, ids::fields().operator)
                    .map(|o| self.text(o))
                    .unwrap_or("");
                if op == "and" {
                    ([lt, rt].concat(), Vec::new())
                } else {
                    (Vec::new(), [lf, rf].concat())
                }
            }
            "comparison_operator" => {
                let operands = named_at(self.index, cond);
                let [left, right] = &*operands else {
                    return (Vec::new(), Vec::new());
                };
                let op: Vec<&str> = self
                    .src
                    .get(left.end_byte()..right.start_byte())
                    .unwrap_or("")
                    .split_whitespace()
                    .collect();
                let negated = match op.as_slice() {
                    ["in"] => false,
                    ["not", "in"] => true,
                    _ => return (Vec::new(), Vec::new()),
                };
                let Some(name) = self.dotted(*left) else {
                    return (Vec::new(), Vec::new());
                };
                // Membership in a container that is itself untrusted proves nothing.
                let container = self.peek(*right, frame);
                if container.taint.is_tainted() {
                    return (Vec::new(), Vec::new());
                }
                if negated {
                    (Vec::new(), vec![name.into_owned()])
                } else {
                    (vec![name.into_owned()], Vec::new())
                }
            }
            "call" => {
                let Some(func) = field_at(self.index, cond, ids::fields().function) else {
                    return (Vec::new(), Vec::new());
                };
                if let Some(name) = self.regex_validated(cond, func, frame) {
                    return (vec![name], Vec::new());
                }
                if let Some(name) = self.validator_checked(cond, func, frame) {
                    return (vec![name], Vec::new());
                }
                if func.k() != "attribute" {
                    return (Vec::new(), Vec::new());
                }
                let method = field_at(self.index, func, ids::fields().attribute)
                    .map(|a| self.text(a))
                    .unwrap_or("");
                let object =
                    field_at(self.index, func, ids::fields().object).and_then(|o| self.dotted(o));
                match (method, object) {
                    (
                        "isdigit" | "isdecimal" | "isnumeric" | "isalnum" | "isalpha"
                        | "isidentifier",
                        Some(name),
                    ) => (vec![name.into_owned()], Vec::new()),
                    _ => (Vec::new(), Vec::new()),
                }
            }
            _ => (Vec::new(), Vec::new()),
        }
    }

    /// `re.fullmatch(PATTERN, x)`, `re.match(PATTERN, x)` or `COMPILED.fullmatch(x)` /
    /// `COMPILED.match(x)`: the name validated against a pattern when the call is truthy.
    fn regex_validated(&self, call: Node<'_>, func: Node<'_>, frame: &Frame) -> Option<String> {
        let args: Vec<Node<'_>> = kids(
            self.index,
            field_at(self.index, call, ids::fields().arguments)?,
        )
        .filter(|a| a.k() != "keyword_argument")
        .collect();
        let written: String = self.text(func).split_whitespace().collect();
        let head = crate::analysis::first_segment(&written);
        let qualified = if self.is_variable(head, frame) {
            written.clone()
        } else {
            self.imports.qualify(&written)
        };
        let subject = match qualified.as_str() {
            "re.fullmatch" | "re.match" => args.get(1)?,
            _ if func.k() == "attribute" && !qualified.starts_with("re.") => {
                let method = self.text(field_at(self.index, func, ids::fields().attribute)?);
                if !matches!(method, "fullmatch" | "match") {
                    return None;
                }
                args.first()?
            }
            _ => return None,
        };
        self.dotted(*subject).map(Cow::into_owned)
    }

    /// `url_has_allowed_host_and_scheme(x, ...)` and similar validators: the name of their
    /// first argument, proved safe when the call is truthy.
    fn validator_checked(&self, call: Node<'_>, func: Node<'_>, frame: &Frame) -> Option<String> {
        let written: String = self.text(func).split_whitespace().collect();
        let head = crate::analysis::first_segment(&written);
        if self.is_variable(head, frame) || !known::is_validator(&self.imports.qualify(&written)) {
            return None;
        }
        let args = named_at(
            self.index,
            field_at(self.index, call, ids::fields().arguments)?,
        );
        let first = args.iter().find(|a| a.k() != "keyword_argument").copied();
        // Django's check is often called with keywords: `url_has_allowed_host_and_scheme(url=x)`.
        let by_keyword = || {
            args.iter().find_map(|a| {
                let name = field_at(self.index, *a, ids::fields().name)?;
                (a.k() == "keyword_argument" && self.text(name) == "url")
                    .then(|| field_at(self.index, *a, ids::fields().value))
                    .flatten()
            })
        };
        self.dotted(first.or_else(by_keyword)?).map(Cow::into_owned)
    }

    /// The value of a simple expression without recording anything (for guard containers).
    fn peek(&mut self, node: Node<'_>, frame: &mut Frame) -> Value {
        if let Some(dotted) = self.dotted(node) {
            let head = crate::analysis::first_segment(&dotted);
            if dotted == head {
                return self.lookup(head, frame).unwrap_or_default();
            }
        }
        let record = std::mem::replace(&mut self.record, false);
        let start = frame.env.checkpoint();
        let value = self.eval(node, frame, 0);
        frame.env.rollback(&start);
        frame.env.release(start);
        self.record = record;
        value
    }

    fn exec_loop(&mut self, node: Node<'_>, frame: &mut Frame, depth: usize) {
        let is_for = node.k() == "for_statement";
        let element = if is_for {
            field_at(self.index, node, ids::fields().right)
                .map(|r| Value::tainted(self.eval(r, frame, depth + 1).taint))
                .unwrap_or_default()
        } else {
            Value::default()
        };
        let before = frame.env.checkpoint();
        let rounds = if self.loop_depth < MAX_ITERATED_LOOPS {
            2
        } else {
            1
        };
        self.loop_depth += 1;
        for _ in 0..rounds {
            if is_for {
                if let Some(left) = field_at(self.index, node, ids::fields().left) {
                    self.bind(left, element.clone(), frame, depth + 1);
                }
            } else if let Some(cond) = field_at(self.index, node, ids::fields().condition) {
                self.eval(cond, frame, depth + 1);
            }
            if let Some(body) = field_at(self.index, node, ids::fields().body) {
                self.exec_block(body, frame, depth + 1);
            }
            frame.env.merge_from(&before);
        }
        frame.env.release(before);
        self.loop_depth -= 1;
        if let Some(alt) = field_at(self.index, node, ids::fields().alternative) {
            if let Some(body) = field_at(self.index, alt, ids::fields().body) {
                self.exec_block(body, frame, depth + 1);
            }
        }
    }

    fn exec_try(&mut self, node: Node<'_>, frame: &mut Frame, depth: usize) -> bool {
        let before = frame.env.checkpoint();
        let mut outcomes: Vec<Changes> = Vec::new();
        let mut body_terminated = field_at(self.index, node, ids::fields().body)
            .is_some_and(|b| self.exec_block(b, frame, depth + 1));
        let after_body = frame.env.changes(&before);
        let parts = named_at(self.index, node);
        for part in parts.iter().filter(|p| p.k() == "else_clause") {
            if let Some(body) = field_at(self.index, *part, ids::fields().body) {
                body_terminated |= self.exec_block(body, frame, depth + 1);
            }
        }
        let mut all_terminated = body_terminated;
        if !body_terminated {
            outcomes.push(frame.env.changes(&before));
        }
        for clause in parts
            .iter()
            .filter(|p| matches!(p.k(), "except_clause" | "except_group_clause"))
        {
            // A handler starts where the body may have stopped: before it or after it.
            frame.env.rollback(&before);
            frame.env.merge_in(&after_body);
            let mut terminated = false;
            for child in kids(self.index, *clause) {
                match child.k() {
                    "block" => terminated = self.exec_block(child, frame, depth + 1),
                    "as_pattern" => {
                        if let Some(alias) = field_at(self.index, child, ids::fields().alias) {
                            self.bind(alias, Value::default(), frame, depth + 1);
                        }
                    }
                    _ => {}
                }
            }
            if !terminated {
                all_terminated = false;
                outcomes.push(frame.env.changes(&before));
            }
        }
        if outcomes.is_empty() {
            outcomes.push(after_body);
        }
        frame.env.join(before, &outcomes);
        for part in parts.iter().filter(|p| p.k() == "finally_clause") {
            for block in kids(self.index, *part) {
                all_terminated |= self.exec_block(block, frame, depth + 1);
            }
        }
        all_terminated
    }

    fn exec_with(&mut self, node: Node<'_>, frame: &mut Frame, depth: usize) -> bool {
        for clause in kids(self.index, node).filter(|n| n.k() == "with_clause") {
            for item in kids(self.index, clause) {
                let Some(value) = field_at(self.index, item, ids::fields().value) else {
                    continue;
                };
                if value.k() == "as_pattern" {
                    let expr = kids(self.index, value).next();
                    let bound = expr
                        .map(|e| self.eval(e, frame, depth + 1))
                        .unwrap_or_default();
                    if let Some(alias) = field_at(self.index, value, ids::fields().alias) {
                        self.bind(alias, bound, frame, depth + 1);
                    }
                } else {
                    self.eval(value, frame, depth + 1);
                }
            }
        }
        field_at(self.index, node, ids::fields().body)
            .is_some_and(|b| self.exec_block(b, frame, depth + 1))
    }

    fn exec_match(&mut self, node: Node<'_>, frame: &mut Frame, depth: usize) {
        if let Some(subject) = field_at(self.index, node, ids::fields().subject) {
            self.eval(subject, frame, depth + 1);
        }
        let Some(body) = field_at(self.index, node, ids::fields().body) else {
            return;
        };
        let before = frame.env.checkpoint();
        let mut cases: Vec<Changes> = Vec::new();
        for case in kids(self.index, body).filter(|c| c.k() == "case_clause") {
            frame.env.rollback(&before);
            if let Some(consequence) = field_at(self.index, case, ids::fields().consequence) {
                if !self.exec_block(consequence, frame, depth + 1) {
                    cases.push(frame.env.changes(&before));
                }
            }
        }
        // The bindings before the match (no case taken) come first, then each case's.
        cases.push(Changes::default());
        frame.env.join(before, &cases);
    }

    fn define_class(&mut self, node: Node<'_>, frame: &mut Frame, depth: usize) {
        self.reuse.borrow_mut().note_definition();
        if let Some(bases) = field_at(self.index, node, ids::fields().superclasses) {
            self.eval(bases, frame, depth + 1);
        }
        let name = field_at(self.index, node, ids::fields().name).map(|n| self.text(n).to_string());
        if let Some(name) = &name {
            frame.env.remove(name);
        }
        let mut class_frame = Frame {
            env: Env::default(),
            kind: ScopeKind::Class,
            class: name,
            returns: None,
        };
        if let Some(body) = field_at(self.index, node, ids::fields().body) {
            let is_view = self.is_view_class(node);
            let in_enclosing_view = std::mem::replace(&mut self.in_view_class, is_view);
            self.exec_block(body, &mut class_frame, depth + 1);
            self.in_view_class = in_enclosing_view;
        }
    }

    /// Whether a class derives from a class-based view (`flask.views.MethodView`, `View`), as
    /// written in its bases.
    fn is_view_class(&self, class: Node<'_>) -> bool {
        field_at(self.index, class, ids::fields().superclasses).is_some_and(|bases| {
            named_at(self.index, bases)
                .iter()
                .any(|base| known::is_view_class(&self.imports.qualify(self.text(*base))))
        })
    }

    fn define_function(
        &mut self,
        node: Node<'_>,
        decorators: &[Node<'_>],
        frame: &mut Frame,
        depth: usize,
    ) {
        let Some(name) = field_at(self.index, node, ids::fields().name).map(|n| self.text(n))
        else {
            return;
        };
        self.reuse.borrow_mut().note_definition();
        frame.env.remove(name);
        let is_view_method =
            frame.kind == ScopeKind::Class && self.in_view_class && known::is_view_method(name);
        let is_route = is_view_method || decorators.iter().any(|d| self.is_route_decorator(*d));
        let converted: Vec<&str> = if is_route {
            decorators
                .iter()
                .filter_map(|d| self.route_pattern(*d))
                .flat_map(known::converted_route_variables)
                .collect()
        } else {
            Vec::new()
        };
        let mut inner = Frame {
            env: if frame.kind == ScopeKind::Function {
                frame.env.snapshot()
            } else {
                Env::default()
            },
            kind: ScopeKind::Function,
            class: frame.class.clone(),
            returns: None,
        };
        let key = match (&frame.class, frame.kind) {
            (Some(class), ScopeKind::Class) => join_dotted(class, name),
            _ => name.to_string(),
        };
        let mut params = Vec::new();
        if let Some(parameters) = field_at(self.index, node, ids::fields().parameters) {
            for param in kids(self.index, parameters) {
                let index = params.len();
                let Some((param_name, mut value)) =
                    self.parameter(param, index, is_route, frame, depth + 1)
                else {
                    continue;
                };
                if converted.contains(&param_name.as_str()) {
                    // `<int:id>`: the framework passes a number (or answers 404).
                    value = Value::default();
                }
                if self.record && value.type_name.is_none() {
                    self.note_read(Dep::Argument(key.clone(), index));
                    if let Some(passed) = self.argument_taint.get(&(key.clone(), index)) {
                        value.taint.merge(passed);
                    }
                }
                params.push(param_name.clone());
                inner.env.insert(param_name, value);
            }
        }
        if let Some(body) = field_at(self.index, node, ids::fields().body) {
            let in_enclosing_route = std::mem::replace(&mut self.in_route_body, is_route);
            let outermost = frame.kind != ScopeKind::Function && self.capture.borrow().is_none();
            // Error recovery can parse the same text differently depending on what surrounds
            // it, so only well-formed definitions are memoised.
            let well_formed = !node.has_error() && decorators.iter().all(|d| !d.has_error());
            let reused = self.reuse.borrow().reusable(node.id(), &self.summaries);
            let tracked = self
                .reuse
                .borrow()
                .tracks(frame.kind != ScopeKind::Function);
            if self.memoize && outermost && well_formed {
                self.exec_memoized(node, body, decorators, &params, &mut inner, depth);
            } else if let Some(returns) = reused {
                inner.returns = Some(returns);
            } else if tracked {
                self.reuse.borrow_mut().enter(node.id());
                self.exec_block(body, &mut inner, depth + 1);
                self.reuse.borrow_mut().leave(inner.returns.as_ref());
            } else {
                self.exec_block(body, &mut inner, depth + 1);
            }
            self.in_route_body = in_enclosing_route;
        }
        if !self.record {
            let summary = Arc::new(Summary {
                params,
                ret: inner.returns.unwrap_or_default(),
            });
            self.log_effect(|| Effect::Summary(key.clone(), Arc::clone(&summary)));
            self.set_summary(key, summary);
        }
    }

    /// Whether the statements being run are a route's body (see [`RETURN_TARGET`]).
    pub(super) fn in_route_body(&self) -> bool {
        self.in_route_body
    }

    /// The URL pattern a route decorator registers (`"/users/<int:id>"` in
    /// `@app.route("/users/<int:id>")`), as written between the quotes.
    fn route_pattern(&self, decorator: Node<'_>) -> Option<&'a str> {
        let call = kids(self.index, decorator).next()?;
        let arguments = field_at(self.index, call, ids::fields().arguments)?;
        let pattern = kids(self.index, arguments).next()?;
        (pattern.k() == "string").then(|| self.text(pattern))
    }

    /// `@app.get("/x")`, `@router.post(...)`, `@app.route(...)`, `@bp.route(...)`,
    /// `@routes.get(...)`: the function handles web requests.
    fn is_route_decorator(&self, decorator: Node<'_>) -> bool {
        let Some(expr) = kids(self.index, decorator).next() else {
            return false;
        };
        if expr.k() != "call" {
            return false;
        }
        let Some(func) = field_at(self.index, expr, ids::fields().function) else {
            return false;
        };
        func.k() == "attribute"
            && field_at(self.index, func, ids::fields().attribute).is_some_and(|a| {
                matches!(
                    self.text(a),
                    "get"
                        | "post"
                        | "put"
                        | "delete"
                        | "patch"
                        | "route"
                        | "api_route"
                        | "head"
                        | "options"
                        | "websocket"
                )
            })
    }

    /// A parameter's name and its value inside the body: request objects are typed, route
    /// parameters are request data (except `Depends(...)` ones), and in summary mode every other
    /// parameter stands for its argument.
    fn parameter(
        &mut self,
        param: Node<'_>,
        index: usize,
        is_route: bool,
        frame: &mut Frame,
        depth: usize,
    ) -> Option<(String, Value)> {
        let (name_node, annotation, default) = match param.k() {
            "identifier" => (Some(param), None, None),
            "typed_parameter" => (
                kids(self.index, param).find(|n| n.k() != "type"),
                field_at(self.index, param, ids::fields().type_),
                None,
            ),
            "default_parameter" => (
                field_at(self.index, param, ids::fields().name),
                None,
                field_at(self.index, param, ids::fields().value),
            ),
            "typed_default_parameter" => (
                field_at(self.index, param, ids::fields().name),
                field_at(self.index, param, ids::fields().type_),
                field_at(self.index, param, ids::fields().value),
            ),
            "list_splat_pattern" | "dictionary_splat_pattern" => {
                (kids(self.index, param).next(), None, None)
            }
            _ => return None,
        };
        let mut name_node = name_node?;
        // `*args: T` is a typed parameter around a splat pattern.
        if name_node.k() != "identifier" {
            name_node = kids(self.index, name_node).next()?;
        }
        let name = self.text(name_node).to_string();
        let default_value = default.map(|d| self.eval(d, frame, depth + 1));
        let is_dependency = default.is_some_and(|d| {
            d.k() == "call"
                && field_at(self.index, d, ids::fields().function).is_some_and(|f| {
                    let callee = self.imports.qualify(self.text(f));
                    matches!(
                        crate::analysis::last_segment(&callee),
                        "Depends" | "Security"
                    )
                })
        });
        let annotation_type = annotation.map(|a| {
            let written: String = self.text(a).split_whitespace().collect();
            self.imports.qualify(&written)
        });
        let request_type = match &annotation_type {
            Some(t) if known::is_request_type(t) => Some(t.clone()),
            // An unannotated `request` is the web request only where the file serves requests:
            // in client and library code it is usually an outgoing request or a message.
            None if matches!(name.as_str(), "request" | "req")
                && (is_route || known::serves_web_requests(self.imports)) =>
            {
                Some("django.http.HttpRequest".to_string())
            }
            _ => None,
        };
        if let Some(request_type) = request_type {
            return Some((
                name,
                Value {
                    type_name: Some(request_type),
                    ..Value::default()
                },
            ));
        }
        if matches!(name.as_str(), "self" | "cls") || is_dependency {
            return Some((name, Value::default()));
        }
        // Route parameters are request data in every pass, so what handlers pass to helpers
        // reaches the helpers' bodies.
        let converted = annotation_type
            .as_deref()
            .is_some_and(known::is_converted_parameter_type);
        let value = if is_route && converted {
            // The framework parses `id: int` (or rejects the request): only a number arrives.
            Value::default()
        } else if is_route {
            Value::tainted(Taint::from_source(
                SourceKind::Request,
                format!("route parameter {name}"),
                param.byte_range(),
            ))
        } else if !self.record {
            Value::tainted(Taint::from_source(
                SourceKind::Parameter,
                format!("#{index}"),
                param.byte_range(),
            ))
        } else {
            Value::tainted(default_value.map(|v| v.taint).unwrap_or_default())
        };
        Some((name, value))
    }
}

impl Interp<'_> {
    /// Whether a top-level definition is memoised whole: error recovery can parse the same text
    /// differently depending on what surrounds it, and a walrus in a decorator, default or base
    /// binds in the module.
    pub(super) fn memoizable(&self, node: Node<'_>) -> bool {
        let walruses = self
            .walruses
            .get_or_init(|| memchr::memmem::find_iter(self.src.as_bytes(), b":=").collect());
        // A `:=` inside the node starts at or after its start and ends by its end.
        let first = walruses.partition_point(|&at| at < node.start_byte());
        let inside = walruses
            .get(first)
            .is_some_and(|&at| at + 2 <= node.end_byte());
        !node.has_error() && !inside
    }
}

fn is_pattern(node: Node<'_>) -> bool {
    matches!(
        node.k(),
        "pattern_list" | "tuple_pattern" | "list_pattern" | "tuple" | "list" | "expression_list"
    )
}

/// Whether the targets in an unpacking pattern of this kind belong to the assignment the
/// pattern is the target of (stores in `tuple` or `list` targets record their own range).
fn passes_statement(pattern: Node<'_>) -> bool {
    matches!(
        pattern.k(),
        "pattern_list" | "tuple_pattern" | "list_pattern"
    )
}

/// Whether the text of an identifier/attribute chain is its dotted path as is: ASCII names
/// separated by single dots, nothing else.
fn is_plain_dotted(text: &str) -> bool {
    // A byte scan: no part is empty, so a dot never starts or ends the text or follows a dot.
    let mut after_dot = true;
    for b in text.bytes() {
        if b == b'.' {
            if after_dot {
                return false;
            }
            after_dot = true;
        } else if b.is_ascii_alphanumeric() || b == b'_' {
            after_dot = false;
        } else {
            return false;
        }
    }
    !after_dot
}

/// Whether a string literal has `{...}` interpolations (an f-string with expressions).
fn has_interpolation(string: Node<'_>) -> bool {
    let mut cursor = string.walk();
    let found = string
        .named_children(&mut cursor)
        .any(|part| part.k() == "interpolation");
    found
}

#[cfg(test)]
mod plain_dotted_tests {
    use super::is_plain_dotted;

    #[test]
    fn plain_dotted_is_ascii_names_between_single_dots() {
        let by_parts = |text: &str| {
            text.split('.').all(|part| {
                !part.is_empty() && part.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
            })
        };
        for text in [
            "", ".", "a", "a.b", "a_1.B2", ".a", "a.", "a..b", "a .b", "é", "a.é", "a(b)",
        ] {
            assert_eq!(is_plain_dotted(text), by_parts(text), "{text:?}");
        }
        assert!(is_plain_dotted("self.request.GET"));
        assert!(!is_plain_dotted("self. request"));
    }
}
