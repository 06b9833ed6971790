//! The statement half of the interpreter: units (methods, initialisers), statements in order,
//! branches merged, loops run twice, guards that sanitise, and method summaries.

use std::collections::HashMap;

use tree_sitter::Node;

use super::env::{merge_envs, merge_into, Env};
use super::expr::{NORMALIZED, NORMALIZED_OF};
use super::ids::{children_by_field, is_comment, Kind, F};
use super::model::SPRING_SOURCE_ANNOTATIONS;
use super::{declarators, has_modifier, resolve_type, FileModel, Summary};
use crate::analysis::{
    Call, CallKind, Constant, Facts, Origin, SinkKind, SinkSet, SourceKind, Store, Taint, Value,
};
use crate::lang::syntax::{text, MAX_DEPTH};

/// Loops nested deeper than this run their body once instead of twice, keeping the pass linear.
const MAX_LOOP_NESTING: usize = 2;

/// Label prefix of the placeholder origins given to parameters while summarising a method.
const PARAM_LABEL: &str = "\u{0}param";

/// How many parameter-dependent calls a summary keeps for replay.
const MAX_PARAM_CALLS: usize = 64;

/// The parameter a placeholder origin stands for.
pub(super) fn param_index(origin: &Origin) -> Option<usize> {
    if origin.kind != SourceKind::Parameter {
        return None;
    }
    origin.label.strip_prefix(PARAM_LABEL)?.parse().ok()
}

/// `taint` with every parameter placeholder replaced by the taint of the caller's argument
/// (keeping what the callee sanitised it for).
pub(super) fn substitute(taint: &Taint, args: &[Taint]) -> Taint {
    let mut out = Taint::clean();
    for origin in taint.origins() {
        match param_index(origin) {
            Some(i) => {
                if let Some(arg) = args.get(i) {
                    out.merge(&arg.clone().sanitized(origin.sanitized));
                }
            }
            None => out.merge(
                &Taint::from_source(origin.kind, origin.label.clone(), origin.range.clone())
                    .sanitized(origin.sanitized),
            ),
        }
    }
    out
}

/// Interprets units of a file, recording calls and stores (in the main pass).
pub(super) struct Interp<'a> {
    pub(super) source: &'a str,
    pub(super) model: &'a FileModel,
    record: bool,
    calls: Vec<Call>,
    call_index: HashMap<(usize, usize), usize>,
    stores: Vec<Store>,
    /// The merged value of the `return` statements of the current method or lambda.
    returned: Option<Value>,
    /// Values yielded by the switch expressions being evaluated, innermost last.
    pub(super) yields: Vec<Vec<Value>>,
    loop_nesting: usize,
}

impl<'a> Interp<'a> {
    /// An interpreter; `record` says whether calls and stores are kept.
    pub(super) fn new(source: &'a str, model: &'a FileModel, record: bool) -> Self {
        Self {
            source,
            model,
            record,
            calls: Vec::new(),
            call_index: HashMap::new(),
            stores: Vec::new(),
            returned: None,
            yields: Vec::new(),
            loop_nesting: 0,
        }
    }

    /// The recorded calls and stores.
    pub(super) fn into_facts(self) -> Facts {
        Facts {
            calls: self.calls,
            stores: self.stores,
            ..Facts::default()
        }
    }

    /// The text of a node.
    pub(super) fn text(&self, node: Node<'_>) -> &'a str {
        text(node, self.source)
    }

    /// Records a call; a call seen again (a loop's second run) merges into the first record.
    pub(super) fn record_call(&mut self, call: Call) {
        if !self.record {
            return;
        }
        match self.call_index.get(&(call.range.start, call.range.end)) {
            Some(&at) => {
                if let Some(existing) = self.calls.get_mut(at) {
                    for (old, new) in existing.args.iter_mut().zip(&call.args) {
                        merge_into(&mut old.value, &new.value);
                    }
                    if let (Some(old), Some(new)) = (existing.receiver.as_mut(), &call.receiver) {
                        merge_into(old, new);
                    }
                }
            }
            None => {
                self.call_index
                    .insert((call.range.start, call.range.end), self.calls.len());
                self.calls.push(call);
            }
        }
    }

    /// Records a store into a field or element.
    pub(super) fn record_store(&mut self, store: Store) {
        if self.record && !self.stores.iter().any(|s| s.range == store.range) {
            self.stores.push(store);
        }
    }

    /// The constant value of an expression evaluated with no local state.
    pub(super) fn constant_of(&mut self, expr: Node<'_>) -> Option<Constant> {
        let mut env = Env::new();
        self.eval(expr, &mut env, 0).constant
    }

    /// Interprets a method or constructor with its parameters bound to their sources.
    pub(super) fn run_method(&mut self, decl: Node<'_>) {
        let mut env = Env::new();
        let is_main = self.is_main(decl);
        for (i, param) in self.parameters(decl).into_iter().enumerate() {
            let mut value = Value {
                type_name: param.type_name.clone(),
                ..Value::default()
            };
            let numeric = param.type_name.as_deref().is_some_and(is_numeric_type);
            if let (Some(annotation), false) = (param.spring_annotation, numeric) {
                value.taint = Taint::from_source(
                    SourceKind::Request,
                    format!("@{annotation} {}", param.name),
                    param.range,
                );
            } else if is_main && i == 0 {
                value.taint =
                    Taint::from_source(SourceKind::CommandLine, param.name.clone(), param.range);
            }
            env.insert(param.name, value);
        }
        if let Some(body) = decl.child_by_field_id(F.body) {
            self.returned = None;
            self.exec(body, &mut env, 0);
        }
    }

    /// Interprets an initialiser block.
    pub(super) fn run_block(&mut self, block: Node<'_>) {
        let mut env = Env::new();
        let body = if block.kind_name() == "static_initializer" {
            block.named_child(0).unwrap_or(block)
        } else {
            block
        };
        self.exec(body, &mut env, 0);
    }

    /// Evaluates a field declaration's initialisers (recording their calls).
    pub(super) fn run_field(&mut self, decl: Node<'_>) {
        let mut env = Env::new();
        for declarator in declarators(decl) {
            if let Some(value) = declarator.child_by_field_id(F.value) {
                self.eval(value, &mut env, 0);
            }
        }
    }

    /// Computes what a method does with its parameters, keyed by name and arity.
    pub(super) fn summarize(&mut self, decl: Node<'_>) -> ((String, usize), Summary) {
        let name = decl
            .child_by_field_id(F.name)
            .map_or("", |n| self.text(n))
            .to_string();
        let params = self.parameters(decl);
        let mut env = Env::new();
        for (i, param) in params.iter().enumerate() {
            // Numbers and booleans cannot carry attacker text.
            if param.type_name.as_deref().is_some_and(is_numeric_type) {
                env.insert(
                    param.name.clone(),
                    Value {
                        type_name: param.type_name.clone(),
                        ..Value::default()
                    },
                );
                continue;
            }
            let value = Value {
                type_name: param.type_name.clone(),
                taint: Taint::from_source(SourceKind::Parameter, format!("{PARAM_LABEL}{i}"), 0..0),
                ..Value::default()
            };
            env.insert(param.name.clone(), value);
        }
        self.returned = None;
        if let Some(body) = decl.child_by_field_id(F.body) {
            self.exec(body, &mut env, 0);
        }
        let returned = self.returned.take().unwrap_or_default();
        let mut summary = Summary {
            params_to_return: vec![None; params.len()],
            return_type: decl
                .child_by_field_id(F.type_)
                .map(|t| resolve_type(self.text(t), &self.model.imports)),
            constant: returned.constant.clone(),
            ..Summary::default()
        };
        for origin in returned.taint.origins() {
            let index = param_index(origin);
            match index {
                Some(i) => {
                    if let Some(slot) = summary.params_to_return.get_mut(i) {
                        *slot = Some(origin.sanitized);
                    }
                }
                None if origin.kind != SourceKind::Parameter => {
                    summary.source.merge(
                        &Taint::from_source(
                            origin.kind,
                            origin.label.clone(),
                            origin.range.clone(),
                        )
                        .sanitized(origin.sanitized),
                    );
                }
                None => {}
            }
        }
        summary.param_calls = std::mem::take(&mut self.calls)
            .into_iter()
            // Calls of the file's own methods were replayed here already.
            .filter(|call| call.name.contains('.') || call.kind == CallKind::Constructor)
            .filter(|call| {
                call.args
                    .iter()
                    .map(|a| &a.value)
                    .chain(call.receiver.as_ref())
                    .any(|v| v.taint.origins().iter().any(|o| param_index(o).is_some()))
            })
            .take(MAX_PARAM_CALLS)
            .collect();
        self.call_index.clear();
        ((name, params.len()), summary)
    }

    fn is_main(&self, decl: Node<'_>) -> bool {
        decl.kind_name() == "method_declaration"
            && decl
                .child_by_field_id(F.name)
                .is_some_and(|n| self.text(n) == "main")
            && has_modifier(decl, self.source, "static")
    }

    /// The declared parameters of a method, constructor or lambda.
    pub(super) fn parameters(&self, decl: Node<'_>) -> Vec<Param> {
        let mut out = Vec::new();
        let Some(list) = decl.child_by_field_id(F.parameters) else {
            return out;
        };
        let mut cursor = list.walk();
        for param in list.named_children(&mut cursor) {
            let (name_node, type_node, dims) = match param.kind_name() {
                "formal_parameter" => (
                    param.child_by_field_id(F.name),
                    param.child_by_field_id(F.type_),
                    param.child_by_field_id(F.dimensions).is_some(),
                ),
                "spread_parameter" => {
                    let mut inner = param.walk();
                    let children: Vec<Node<'_>> = param.named_children(&mut inner).collect();
                    let declarator = children
                        .iter()
                        .find(|c| c.kind_name() == "variable_declarator");
                    let ty = children.iter().find(|c| {
                        c.kind_name() != "modifiers" && c.kind_name() != "variable_declarator"
                    });
                    (
                        declarator.and_then(|d| d.child_by_field_id(F.name)),
                        ty.copied(),
                        true,
                    )
                }
                "identifier" => (Some(param), None, false),
                _ => continue,
            };
            let Some(name_node) = name_node else { continue };
            let type_name = type_node.map(|t| {
                let resolved = resolve_type(self.text(t), &self.model.imports);
                if dims && !resolved.ends_with("[]") {
                    format!("{resolved}[]")
                } else {
                    resolved
                }
            });
            out.push(Param {
                name: self.text(name_node).to_string(),
                type_name,
                spring_annotation: self.spring_annotation(param),
                range: param.byte_range(),
            });
        }
        out
    }

    /// The Spring request-binding annotation on a parameter, if any.
    fn spring_annotation(&self, param: Node<'_>) -> Option<String> {
        let mut cursor = param.walk();
        let modifiers = param
            .children(&mut cursor)
            .find(|c| c.kind_name() == "modifiers")?;
        let mut inner = modifiers.walk();
        let found = modifiers.named_children(&mut inner).find_map(|a| {
            let name = a.child_by_field_id(F.name)?;
            let simple = self.text(name).rsplit('.').next().unwrap_or("");
            SPRING_SOURCE_ANNOTATIONS
                .contains(&simple)
                .then(|| simple.to_string())
        });
        found
    }

    /// Interprets a statement; returns whether control can fall through to the next statement.
    pub(super) fn exec(&mut self, node: Node<'_>, env: &mut Env, depth: usize) -> bool {
        if depth > MAX_DEPTH {
            return true;
        }
        let d = depth + 1;
        match node.kind_name() {
            "block" | "constructor_body" | "program" | "switch_block_statement_group" => {
                let mut cursor = node.walk();
                let children: Vec<Node<'_>> = node.named_children(&mut cursor).collect();
                for child in children {
                    if !self.exec(child, env, d) {
                        return false;
                    }
                }
                true
            }
            "local_variable_declaration" => {
                self.declare(node, env, d);
                true
            }
            "expression_statement" | "parenthesized_expression" => {
                if let Some(expr) = node.named_child(0) {
                    self.eval(expr, env, d);
                }
                true
            }
            "if_statement" => self.exec_if(node, env, d),
            "while_statement" | "for_statement" | "do_statement" | "enhanced_for_statement" => {
                self.exec_loop(node, env, d);
                true
            }
            "try_statement" | "try_with_resources_statement" => self.exec_try(node, env, d),
            "return_statement" => {
                let value = node
                    .named_child(0)
                    .map(|e| self.eval(e, env, d))
                    .unwrap_or_default();
                match self.returned.as_mut() {
                    Some(existing) => merge_into(existing, &value),
                    None => self.returned = Some(value),
                }
                false
            }
            "yield_statement" => {
                let value = node
                    .named_child(0)
                    .map(|e| self.eval(e, env, d))
                    .unwrap_or_default();
                if let Some(values) = self.yields.last_mut() {
                    values.push(value);
                }
                false
            }
            "throw_statement" => {
                if let Some(expr) = node.named_child(0) {
                    self.eval(expr, env, d);
                }
                false
            }
            "switch_expression" => {
                self.eval(node, env, d);
                true
            }
            "labeled_statement" | "synchronized_statement" | "assert_statement" => {
                let mut cursor = node.walk();
                let children: Vec<Node<'_>> = node.named_children(&mut cursor).collect();
                for child in children {
                    self.exec(child, env, d);
                }
                true
            }
            "explicit_constructor_invocation" => {
                if let Some(args) = node.child_by_field_id(F.arguments) {
                    self.eval(args, env, d);
                }
                true
            }
            // Classes declared inside a method are their own units.
            "class_declaration"
            | "local_class_declaration"
            | "record_declaration"
            | "interface_declaration"
            | "enum_declaration" => true,
            kind if is_comment(node) || kind == "line_comment" => true,
            _ if super::expr::is_expression(node.kind_name()) => {
                self.eval(node, env, d);
                true
            }
            _ => {
                // Unknown statements and error recovery nodes: interpret what they contain.
                let mut cursor = node.walk();
                let children: Vec<Node<'_>> = node.named_children(&mut cursor).collect();
                for child in children {
                    self.exec(child, env, d);
                }
                true
            }
        }
    }

    /// `T a = x, b;` binds each name to its value; the declared type wins over the value's,
    /// except for `var` and `Object`.
    fn declare(&mut self, node: Node<'_>, env: &mut Env, depth: usize) {
        let declared = node
            .child_by_field_id(F.type_)
            .map(|t| self.text(t))
            .filter(|t| *t != "var")
            .map(|t| resolve_type(t, &self.model.imports))
            .filter(|t| t != "java.lang.Object");
        for declarator in declarators(node) {
            let Some(name) = declarator.child_by_field_id(F.name) else {
                continue;
            };
            let mut value = declarator
                .child_by_field_id(F.value)
                .map(|v| self.eval(v, env, depth))
                .unwrap_or_default();
            if declared.is_some() {
                value.type_name.clone_from(&declared);
            }
            env.insert(self.text(name).to_string(), value);
        }
    }

    fn exec_if(&mut self, node: Node<'_>, env: &mut Env, depth: usize) -> bool {
        let condition = node.child_by_field_id(F.condition);
        let consequence = node.child_by_field_id(F.consequence);
        let alternative = node.child_by_field_id(F.alternative);
        let cond_value = condition.map(|c| self.eval(c, env, depth));
        // A branch whose condition is a compile-time constant is dead code on the other side.
        if let Some(Some(Constant::Bool(taken))) = cond_value.map(|v| v.constant) {
            let branch = if taken { consequence } else { alternative };
            return branch.is_none_or(|b| self.exec(b, env, depth));
        }
        let mut then_env = env.clone();
        let mut else_env = env.clone();
        if let Some(condition) = condition {
            self.refine(condition, true, &mut then_env, depth);
            self.refine(condition, false, &mut else_env, depth);
        }
        let then_falls = consequence.is_none_or(|c| self.exec(c, &mut then_env, depth));
        let else_falls = alternative.is_none_or(|a| self.exec(a, &mut else_env, depth));
        match (then_falls, else_falls) {
            (true, false) => *env = then_env,
            (false, true) => *env = else_env,
            _ => {
                merge_envs(&mut then_env, &else_env);
                *env = then_env;
            }
        }
        then_falls || else_falls
    }

    /// Narrows the state on the side of a condition where it holds `truth`: allow-list checks
    /// (`ALLOWED.contains(x)`), pattern validation (`x.matches("[a-z]+")`) and comparisons with a
    /// constant (`"ls".equals(x)`).
    pub(super) fn refine(&self, cond: Node<'_>, truth: bool, env: &mut Env, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        let d = depth + 1;
        match cond.kind_name() {
            "parenthesized_expression" => {
                if let Some(inner) = cond.named_child(0) {
                    self.refine(inner, truth, env, d);
                }
            }
            "unary_expression" => {
                let negation = cond
                    .child_by_field_id(F.operator)
                    .is_some_and(|o| self.text(o) == "!");
                if let (true, Some(operand)) = (negation, cond.child_by_field_id(F.operand)) {
                    self.refine(operand, !truth, env, d);
                }
            }
            "binary_expression" => {
                let op = cond
                    .child_by_field_id(F.operator)
                    .map_or("", |o| self.text(o));
                let (Some(left), Some(right)) = (
                    cond.child_by_field_id(F.left),
                    cond.child_by_field_id(F.right),
                ) else {
                    return;
                };
                if (op == "&&" && truth) || (op == "||" && !truth) {
                    // Both sides hold.
                    self.refine(left, truth, env, d);
                    self.refine(right, truth, env, d);
                } else if op == "&&" || op == "||" {
                    // One side or the other holds: what both refinements agree on.
                    let mut one = env.clone();
                    self.refine(left, truth, &mut one, d);
                    self.refine(right, truth, env, d);
                    merge_envs(env, &one);
                }
            }
            "method_invocation" if truth => self.refine_call(cond, env),
            _ => {}
        }
    }

    fn refine_call(&self, call: Node<'_>, env: &mut Env) {
        let method = call.child_by_field_id(F.name).map_or("", |n| self.text(n));
        let object = call.child_by_field_id(F.object);
        let arg = call
            .child_by_field_id(F.arguments)
            .and_then(|a| a.named_child(0));
        let object_name = object
            .filter(|o| o.kind_name() == "identifier")
            .map(|o| self.text(o));
        let arg_name = arg
            .filter(|a| a.kind_name() == "identifier")
            .map(|a| self.text(a));
        match method {
            "contains" | "containsKey" => {
                if let Some(name) = arg_name.filter(|a| Some(*a) != object_name) {
                    sanitize(env, name, SinkSet::ALL);
                }
            }
            "startsWith" => {
                // A normalised path checked against a base directory stays inside it.
                let Some(name) = object_name else { return };
                let Some(value) = env.get(name) else { return };
                if !value.fields.iter().any(|(k, _)| k == NORMALIZED) {
                    return;
                }
                let sources: Vec<String> = value
                    .fields
                    .iter()
                    .filter_map(|(k, _)| k.strip_prefix(NORMALIZED_OF).map(str::to_string))
                    .collect();
                let path = SinkSet::of(&[SinkKind::Path]);
                sanitize(env, name, path);
                for source in sources {
                    sanitize(env, &source, path);
                }
            }
            "matches" => {
                let constant_pattern = arg.is_some_and(|a| a.kind_name() == "string_literal");
                if let (true, Some(name)) = (constant_pattern, object_name) {
                    sanitize(env, name, SinkSet::ALL);
                }
            }
            "equals" | "equalsIgnoreCase" => {
                let literal =
                    |n: Option<Node<'_>>| n.is_some_and(|n| n.kind_name() == "string_literal");
                let target = if literal(object) {
                    arg_name
                } else if literal(arg) {
                    object_name
                } else {
                    None
                };
                if let Some(name) = target {
                    sanitize(env, name, SinkSet::ALL);
                }
            }
            _ => {}
        }
    }

    fn exec_loop(&mut self, node: Node<'_>, env: &mut Env, depth: usize) {
        if let Some(init) = node.child_by_field_id(F.init) {
            self.exec(init, env, depth);
        }
        for init in children_by_field(node, F.init).into_iter().skip(1) {
            self.exec(init, env, depth);
        }
        let condition = node.child_by_field_id(F.condition);
        if let Some(condition) = condition {
            let value = self.eval(condition, env, depth);
            if node.kind_name() != "do_statement" && value.constant == Some(Constant::Bool(false)) {
                return;
            }
        }
        let iterations = if self.loop_nesting < MAX_LOOP_NESTING {
            2
        } else {
            1
        };
        self.loop_nesting += 1;
        for _ in 0..iterations {
            let mut body_env = env.clone();
            if node.kind_name() == "enhanced_for_statement" {
                self.bind_loop_variable(node, &mut body_env, depth);
            }
            if let (Some(condition), true) = (condition, node.kind_name() != "do_statement") {
                self.refine(condition, true, &mut body_env, depth);
            }
            if let Some(body) = node.child_by_field_id(F.body) {
                self.exec(body, &mut body_env, depth);
            }
            for update in children_by_field(node, F.update) {
                self.eval(update, &mut body_env, depth);
            }
            if let (Some(condition), "do_statement") = (condition, node.kind_name()) {
                self.eval(condition, &mut body_env, depth);
            }
            merge_envs(env, &body_env);
        }
        self.loop_nesting -= 1;
    }

    /// `for (T x : xs)`: `x` takes the taint and element type of `xs`.
    fn bind_loop_variable(&mut self, node: Node<'_>, env: &mut Env, depth: usize) {
        let iterable = node
            .child_by_field_id(F.value)
            .map(|v| self.eval(v, env, depth))
            .unwrap_or_default();
        let Some(name) = node.child_by_field_id(F.name) else {
            return;
        };
        let declared = node
            .child_by_field_id(F.type_)
            .map(|t| self.text(t))
            .filter(|t| *t != "var")
            .map(|t| resolve_type(t, &self.model.imports));
        let element_type = declared.or_else(|| {
            iterable
                .type_name
                .as_deref()
                .and_then(|t| t.strip_suffix("[]"))
                .map(str::to_string)
        });
        env.insert(
            self.text(name).to_string(),
            Value {
                taint: iterable.taint,
                type_name: element_type,
                ..Value::default()
            },
        );
    }

    fn exec_try(&mut self, node: Node<'_>, env: &mut Env, depth: usize) -> bool {
        if let Some(resources) = node.child_by_field_id(F.resources) {
            let mut cursor = resources.walk();
            let list: Vec<Node<'_>> = resources.named_children(&mut cursor).collect();
            for resource in list {
                self.bind_resource(resource, env, depth);
            }
        }
        let before = env.clone();
        let mut falls = node
            .child_by_field_id(F.body)
            .is_none_or(|b| self.exec(b, env, depth));
        let mut cursor = node.walk();
        let clauses: Vec<Node<'_>> = node.named_children(&mut cursor).collect();
        let mut after = env.clone();
        for clause in &clauses {
            match clause.kind_name() {
                "catch_clause" => {
                    // The handler may start from any point of the body.
                    let mut handler_env = before.clone();
                    merge_envs(&mut handler_env, env);
                    let handler_falls = clause
                        .child_by_field_id(F.body)
                        .is_none_or(|b| self.exec(b, &mut handler_env, depth));
                    if handler_falls {
                        if falls {
                            merge_envs(&mut after, &handler_env);
                        } else {
                            after = handler_env;
                        }
                        falls = true;
                    }
                }
                "finally_clause" => {
                    if let Some(block) = clause.named_child(0) {
                        if !self.exec(block, &mut after, depth) {
                            falls = false;
                        }
                    }
                }
                _ => {}
            }
        }
        *env = after;
        falls
    }

    fn bind_resource(&mut self, resource: Node<'_>, env: &mut Env, depth: usize) {
        let value = resource.child_by_field_id(F.value);
        let name = resource.child_by_field_id(F.name);
        match (name, value) {
            (Some(name), Some(value)) => {
                let mut v = self.eval(value, env, depth);
                if let Some(ty) = resource
                    .child_by_field_id(F.type_)
                    .map(|t| self.text(t))
                    .filter(|t| *t != "var")
                {
                    v.type_name = Some(resolve_type(ty, &self.model.imports));
                }
                env.insert(self.text(name).to_string(), v);
            }
            _ => {
                self.eval(resource, env, depth);
            }
        }
    }

    /// Interprets a lambda or switch-rule body, returning the merged value it produces.
    pub(super) fn run_body(&mut self, body: Node<'_>, env: &mut Env, depth: usize) -> Value {
        if body.kind_name() == "block" {
            let outer = self.returned.take();
            self.exec(body, env, depth);
            std::mem::replace(&mut self.returned, outer).unwrap_or_default()
        } else {
            self.eval(body, env, depth)
        }
    }
}

/// A declared parameter.
pub(super) struct Param {
    pub(super) name: String,
    pub(super) type_name: Option<String>,
    pub(super) spring_annotation: Option<String>,
    pub(super) range: std::ops::Range<usize>,
}

/// Whether values of a type cannot carry attacker text (Spring converts `@RequestParam int id`
/// before the method runs, rejecting anything else).
fn is_numeric_type(ty: &str) -> bool {
    matches!(
        ty,
        "int"
            | "long"
            | "short"
            | "byte"
            | "double"
            | "float"
            | "boolean"
            | "char"
            | "java.lang.Integer"
            | "java.lang.Long"
            | "java.lang.Short"
            | "java.lang.Double"
            | "java.lang.Float"
            | "java.lang.Boolean"
            | "java.util.UUID"
            | "java.math.BigDecimal"
            | "java.math.BigInteger"
    )
}

/// Marks a variable's data as sanitised for `kinds` (all kinds: it is clean).
fn sanitize(env: &mut Env, name: &str, kinds: SinkSet) {
    if let Some(value) = env.get_mut(name) {
        if kinds == SinkSet::ALL {
            value.taint = Taint::clean();
        } else {
            value.taint = std::mem::take(&mut value.taint).sanitized(kinds);
        }
    }
}
