//! Statements: declarations and destructuring, branches (joined), loops (walked twice), functions
//! (bodies, parameters, return values, summaries) and ES imports.

use std::collections::HashMap;

use tree_sitter::Node;

use super::sources::{
    FUNCTION, KOA_CONTEXT, MESSAGE_EVENT, REQUEST, REQUEST_PARAM_NAMES, RESPONSE,
    RESPONSE_PARAM_NAMES,
};
use super::WALK_DEPTH as MAX_DEPTH;
use super::{env, module_name, module_of, module_value, Analyzer, Summary, INLINE_DEPTH};
use crate::analysis::{SinkSet, SourceKind, Taint, Value};
use crate::lang::syntax::is_comment;

/// What the caller of a callback is known to pass as its parameters.
#[derive(Debug, Clone, Default)]
pub(super) enum Params {
    /// Nothing known: parameters are clean (except the `req`/`res` naming convention).
    #[default]
    Unknown,
    /// A request handler: `(req, res)`, Koa `(ctx, next)`.
    Route,
    /// A `message` event listener: `(event)`.
    Message,
    /// These values, in order (promise callbacks, array iteration, summaries, re-analyses).
    Values(Vec<Value>),
}

impl<'s, 't> Analyzer<'s, 't> {
    /// Walks a statement; returns whether it always leaves the enclosing block (return, throw,
    /// break, continue).
    pub(super) fn stmt(&mut self, node: Node<'t>) -> bool {
        if self.depth >= MAX_DEPTH {
            return false;
        }
        self.depth += 1;
        let exits = self.stmt_inner(node);
        self.depth -= 1;
        exits
    }

    fn stmt_inner(&mut self, node: Node<'t>) -> bool {
        match node.kind() {
            "program" | "statement_block" => self.block(node),
            "expression_statement" => {
                self.eval_children(node);
                false
            }
            "lexical_declaration" | "variable_declaration" => {
                let mut cursor = node.walk();
                let declarators: Vec<_> = node.named_children(&mut cursor).collect();
                for d in declarators {
                    if d.kind() != "variable_declarator" {
                        continue;
                    }
                    let value = match d.child_by_field_name("value") {
                        Some(v) => self.eval(v),
                        None => Value::default(),
                    };
                    if let Some(pattern) = d.child_by_field_name("name") {
                        let from = d
                            .child_by_field_name("value")
                            .map(|v| self.label(v))
                            .unwrap_or_default();
                        self.bind_pattern(pattern, value, &from);
                    }
                }
                false
            }
            "return_statement" => {
                let value = match node.named_child(0) {
                    Some(e) if !is_comment(e) => self.eval(e),
                    _ => Value::default(),
                };
                self.add_return(value);
                true
            }
            "throw_statement" => {
                self.eval_children(node);
                true
            }
            "break_statement" | "continue_statement" => true,
            "if_statement" => self.if_statement(node),
            "for_statement" => {
                if let Some(init) = node.child_by_field_name("initializer") {
                    self.any(init);
                }
                for _ in 0..2 {
                    self.env.push();
                    if let Some(c) = node.child_by_field_name("condition") {
                        self.any(c);
                    }
                    if let Some(body) = node.child_by_field_name("body") {
                        self.stmt(body);
                    }
                    if let Some(inc) = node.child_by_field_name("increment") {
                        self.eval(inc);
                    }
                    let changes = self.env.pop();
                    self.env.join(changes, HashMap::new());
                }
                false
            }
            "for_in_statement" => {
                let collection = match node.child_by_field_name("right") {
                    Some(r) => self.eval(r),
                    None => Value::default(),
                };
                let element = Value::tainted(collection.taint.clone());
                let from = self.label_of_field(node, "right");
                for _ in 0..2 {
                    self.env.push();
                    if let Some(left) = node.child_by_field_name("left") {
                        self.bind_pattern(left, element.clone(), &from);
                    }
                    if let Some(body) = node.child_by_field_name("body") {
                        self.stmt(body);
                    }
                    let changes = self.env.pop();
                    self.env.join(changes, HashMap::new());
                }
                false
            }
            "while_statement" | "do_statement" => {
                for _ in 0..2 {
                    self.env.push();
                    if let Some(c) = node.child_by_field_name("condition") {
                        self.eval(c);
                    }
                    if let Some(body) = node.child_by_field_name("body") {
                        self.stmt(body);
                    }
                    let changes = self.env.pop();
                    self.env.join(changes, HashMap::new());
                }
                false
            }
            "try_statement" => {
                if let Some(body) = node.child_by_field_name("body") {
                    self.stmt(body);
                }
                if let Some(handler) = node.child_by_field_name("handler") {
                    if let Some(p) = handler.child_by_field_name("parameter") {
                        self.bind_pattern(p, Value::default(), "");
                    }
                    if let Some(body) = handler.child_by_field_name("body") {
                        self.stmt(body);
                    }
                }
                if let Some(fin) = node.child_by_field_name("finalizer") {
                    if let Some(body) = fin.child_by_field_name("body") {
                        self.stmt(body);
                    }
                }
                false
            }
            "switch_statement" => {
                if let Some(v) = node.child_by_field_name("value") {
                    self.eval(v);
                }
                if let Some(body) = node.child_by_field_name("body") {
                    let mut cursor = body.walk();
                    let cases: Vec<_> = body.named_children(&mut cursor).collect();
                    for case in cases {
                        self.env.push();
                        let value = case.child_by_field_name("value");
                        let mut c2 = case.walk();
                        let parts: Vec<_> = case.named_children(&mut c2).collect();
                        for part in parts {
                            if Some(part) == value {
                                self.eval(part);
                            } else {
                                self.any(part);
                            }
                        }
                        let changes = self.env.pop();
                        self.env.join(changes, HashMap::new());
                    }
                }
                false
            }
            "function_declaration" | "generator_function_declaration" => {
                let value = self.function(node, Params::Unknown);
                if let Some(name) = node.child_by_field_name("name") {
                    let name = self.text(name);
                    self.env.set(name, value);
                }
                false
            }
            "class_declaration" => {
                self.class(node);
                false
            }
            "import_statement" => {
                self.import(node);
                false
            }
            "export_statement" | "labeled_statement" => {
                self.eval_children(node);
                false
            }
            "empty_statement" | "debugger_statement" | "comment" | "hash_bang_line" => false,
            _ => {
                self.eval(node);
                false
            }
        }
    }

    /// Walks the statements of a block in order.
    fn block(&mut self, node: Node<'t>) -> bool {
        let mut cursor = node.walk();
        let children: Vec<_> = node.named_children(&mut cursor).collect();
        let mut exits = false;
        for child in children {
            if is_comment(child) {
                continue;
            }
            exits |= self.stmt(child);
        }
        exits
    }

    /// Walks a node that may be a statement or an expression.
    pub(super) fn any(&mut self, node: Node<'t>) -> crate::analysis::Value {
        let kind = node.kind();
        if kind.ends_with("_statement")
            || kind.ends_with("_declaration")
            || kind == "statement_block"
            || kind == "lexical_declaration"
        {
            self.stmt(node);
            Value::default()
        } else {
            self.eval(node)
        }
    }

    /// Evaluates every named child (statements walked), joining their taint.
    pub(super) fn eval_children(&mut self, node: Node<'t>) -> Value {
        let mut cursor = node.walk();
        let children: Vec<_> = node.named_children(&mut cursor).collect();
        let mut taint = Taint::clean();
        let mut last = Value::default();
        for child in children {
            if is_comment(child) {
                continue;
            }
            last = self.any(child);
            taint.merge(&last.taint);
        }
        if last.taint == taint {
            last
        } else {
            Value::tainted(taint)
        }
    }

    fn label_of_field(&self, node: Node<'_>, field: &str) -> String {
        node.child_by_field_name(field)
            .map(|n| self.label(n))
            .unwrap_or_default()
    }

    /// `if`: the arms are walked apart and joined; an arm that always exits does not reach the code
    /// after the statement. Allow-list guards sanitise the checked variable in the guarded arm.
    fn if_statement(&mut self, node: Node<'t>) -> bool {
        let guard = node.child_by_field_name("condition").and_then(|c| {
            self.eval(c);
            self.guard(c)
        });
        self.env.push();
        if let Some((name, true)) = &guard {
            self.sanitize_var(name);
        }
        let then_exits = node
            .child_by_field_name("consequence")
            .is_some_and(|c| self.stmt(c));
        let then_env = self.env.pop();
        self.env.push();
        if let Some((name, false)) = &guard {
            self.sanitize_var(name);
        }
        let else_exits = node
            .child_by_field_name("alternative")
            .is_some_and(|a| self.eval_else(a));
        let else_env = self.env.pop();
        match (then_exits, else_exits) {
            (true, true) => return true,
            (true, false) => self.env.apply(else_env),
            (false, true) => self.env.apply(then_env),
            (false, false) => self.env.join(then_env, else_env),
        }
        false
    }

    fn eval_else(&mut self, clause: Node<'t>) -> bool {
        let mut cursor = clause.walk();
        let children: Vec<_> = clause.named_children(&mut cursor).collect();
        let mut exits = false;
        for child in children {
            if !is_comment(child) {
                exits |= self.stmt(child);
            }
        }
        exits
    }

    fn sanitize_var(&mut self, name: &str) {
        if let Some(value) = self.env.get(name) {
            let mut value = value.clone();
            value.taint = value.taint.sanitized(SinkSet::ALL);
            self.env.set(name, value);
        }
    }

    /// An allow-list check on a variable: `(name, true)` when the condition holds only for allowed
    /// values (`ALLOWED.includes(x)`, `x === 'a'`, `/^[a-z]+$/.test(x)`), `(name, false)` when it
    /// holds only for disallowed ones (`!ALLOWED.has(x)`).
    fn guard(&self, cond: Node<'t>) -> Option<(String, bool)> {
        match cond.kind() {
            "parenthesized_expression" => self.guard(cond.named_child(0)?),
            "unary_expression" => {
                let op = cond.child_by_field_name("operator")?;
                if self.text(op) != "!" {
                    return None;
                }
                let (name, positive) = self.guard(cond.child_by_field_name("argument")?)?;
                Some((name, !positive))
            }
            "call_expression" => {
                let callee = cond.child_by_field_name("function")?;
                if callee.kind() != "member_expression" {
                    return None;
                }
                let method = self.text(callee.child_by_field_name("property")?);
                let object = callee.child_by_field_name("object")?;
                let arg = cond.child_by_field_name("arguments")?.named_child(0)?;
                if arg.kind() != "identifier" {
                    return None;
                }
                let ok = match method {
                    "includes" | "has" => true,
                    "test" => object.kind() == "regex" && anchored(self.text(object)),
                    _ => false,
                };
                ok.then(|| (self.text(arg).to_string(), true))
            }
            "binary_expression" => {
                let op = self.text(cond.child_by_field_name("operator")?);
                let left = cond.child_by_field_name("left")?;
                let right = cond.child_by_field_name("right")?;
                let positive = match op {
                    "===" | "==" => true,
                    "!==" | "!=" => false,
                    _ => return None,
                };
                let (var, other) = if left.kind() == "identifier" {
                    (left, right)
                } else {
                    (right, left)
                };
                (var.kind() == "identifier" && matches!(other.kind(), "string" | "number"))
                    .then(|| (self.text(var).to_string(), positive))
            }
            _ => None,
        }
    }

    /// Binds a declaration or assignment pattern to a value (`from` labels request data read by
    /// destructuring, e.g. `req.query`).
    pub(super) fn bind_pattern(&mut self, pattern: Node<'t>, value: Value, from: &str) {
        if self.depth >= MAX_DEPTH {
            return;
        }
        self.depth += 1;
        self.bind_inner(pattern, value, from);
        self.depth -= 1;
    }

    fn bind_inner(&mut self, pattern: Node<'t>, value: Value, from: &str) {
        match pattern.kind() {
            "identifier" | "shorthand_property_identifier_pattern" => {
                let name = self.text(pattern);
                if let Some(q) = module_of(&value) {
                    let q = q.to_string();
                    self.facts.imports.bind(name, q);
                }
                self.env.set(name, value);
            }
            "object_pattern" => {
                let mut cursor = pattern.walk();
                let parts: Vec<_> = pattern.named_children(&mut cursor).collect();
                for part in parts {
                    match part.kind() {
                        "shorthand_property_identifier_pattern" => {
                            let key = self.text(part);
                            let v = self.member_of(&value, key, &format!("{from}.{key}"), part);
                            self.bind_pattern(part, v, from);
                        }
                        "pair_pattern" => {
                            let (Some(k), Some(target)) = (
                                part.child_by_field_name("key"),
                                part.child_by_field_name("value"),
                            ) else {
                                continue;
                            };
                            let key = property_key(self.text(k));
                            let v = self.member_of(&value, &key, &format!("{from}.{key}"), k);
                            self.bind_pattern(target, v, &format!("{from}.{key}"));
                        }
                        "object_assignment_pattern" => {
                            let (Some(left), Some(right)) = (
                                part.child_by_field_name("left"),
                                part.child_by_field_name("right"),
                            ) else {
                                continue;
                            };
                            let key = self.text(left).to_string();
                            let v = self.member_of(&value, &key, &format!("{from}.{key}"), left);
                            let default = self.eval(right);
                            self.bind_pattern(left, env::merge(&v, &default), from);
                        }
                        "rest_pattern" => {
                            if let Some(inner) = part.named_child(0) {
                                self.bind_pattern(inner, Value::tainted(value.taint.clone()), from);
                            }
                        }
                        _ => {}
                    }
                }
            }
            "array_pattern" => {
                let mut cursor = pattern.walk();
                let parts: Vec<_> = pattern.named_children(&mut cursor).collect();
                for part in parts {
                    self.bind_pattern(part, Value::tainted(value.taint.clone()), from);
                }
            }
            "assignment_pattern" => {
                if let (Some(left), Some(right)) = (
                    pattern.child_by_field_name("left"),
                    pattern.child_by_field_name("right"),
                ) {
                    let default = self.eval(right);
                    let v = if value == Value::default() {
                        default
                    } else {
                        env::merge(&value, &default)
                    };
                    self.bind_pattern(left, v, from);
                }
            }
            "rest_pattern" => {
                if let Some(inner) = pattern.named_child(0) {
                    self.bind_pattern(inner, value, from);
                }
            }
            // `obj.x = ...` in a destructuring assignment, or an ERROR node: nothing to bind.
            _ => {}
        }
    }

    fn add_return(&mut self, value: Value) {
        self.returns = Some(match self.returns.take() {
            Some(old) => env::merge(&old, &value),
            None => value,
        });
    }

    /// Walks a function's body with its parameters bound as `params` says (recording facts when
    /// recording is on); returns the function as a value whose taint is that of its return value.
    pub(super) fn function(&mut self, node: Node<'t>, params: Params) -> Value {
        let returned = self.function_body(node, params);
        Value {
            taint: returned.taint,
            type_name: Some(FUNCTION.to_string()),
            ..Value::default()
        }
    }

    /// Walks a function body and returns the join of its return values.
    fn function_body(&mut self, node: Node<'t>, params: Params) -> Value {
        if self.depth >= MAX_DEPTH {
            return Value::default();
        }
        self.depth += 1;
        let saved_returns = self.returns.take();
        self.env.push();
        let list = self.param_list(node);
        for (i, p) in list.iter().enumerate() {
            let value = self.param_value(*p, i, &params, list.len());
            self.bind_pattern(*p, value, "");
        }
        if let Some(body) = node.child_by_field_name("body") {
            if body.kind() == "statement_block" {
                self.stmt(body);
            } else {
                let v = self.eval(body);
                self.add_return(v);
            }
        }
        self.env.pop();
        self.depth -= 1;
        std::mem::replace(&mut self.returns, saved_returns).unwrap_or_default()
    }

    fn param_list(&self, node: Node<'t>) -> Vec<Node<'t>> {
        if let Some(single) = node.child_by_field_name("parameter") {
            return vec![single];
        }
        let Some(params) = node.child_by_field_name("parameters") else {
            return Vec::new();
        };
        let mut cursor = params.walk();
        params
            .named_children(&mut cursor)
            .filter(|p| !is_comment(*p))
            .collect()
    }

    /// The value a parameter starts with.
    fn param_value(&self, param: Node<'t>, i: usize, params: &Params, count: usize) -> Value {
        let name = param_name(param, self.src);
        let typed = |t: &str| Value {
            type_name: Some(t.to_string()),
            ..Value::default()
        };
        match params {
            Params::Values(values) => {
                let mut v = values.get(i).cloned().unwrap_or_default();
                if v.type_name.is_none() {
                    v.type_name = self.conventional_type(name).map(str::to_string);
                }
                v
            }
            Params::Route => {
                // Express error handlers take `(err, req, res, next)`.
                let shift = usize::from(count == 4);
                match (i.checked_sub(shift), name) {
                    (_, "ctx" | "context") => typed(KOA_CONTEXT),
                    (_, "next" | "err" | "error") => Value::default(),
                    (Some(0), _) => typed(REQUEST),
                    (Some(1), _) => typed(RESPONSE),
                    _ => Value::default(),
                }
            }
            Params::Message => {
                if i == 0 {
                    typed(MESSAGE_EVENT)
                } else {
                    Value::default()
                }
            }
            Params::Unknown => self.conventional_type(name).map(typed).unwrap_or_default(),
        }
    }

    /// The type a parameter has by naming convention alone (`req`, `res`).
    fn conventional_type(&self, name: &str) -> Option<&'static str> {
        if REQUEST_PARAM_NAMES.contains(&name) {
            Some(REQUEST)
        } else if RESPONSE_PARAM_NAMES.contains(&name) {
            Some(RESPONSE)
        } else {
            None
        }
    }

    /// The summary of a function defined in the file (computed once, without recording facts).
    pub(super) fn summary(&mut self, node: Node<'t>) -> Option<Summary> {
        if let Some(known) = self.summaries.get(&node.id()) {
            return known.clone();
        }
        self.summaries.insert(node.id(), None);
        let list = self.param_list(node);
        let values: Vec<Value> = list
            .iter()
            .enumerate()
            .map(|(i, p)| {
                Value::tainted(Taint::from_source(
                    SourceKind::Parameter,
                    format!("#{i}"),
                    p.byte_range(),
                ))
            })
            .collect();
        let record = std::mem::replace(&mut self.record, false);
        let returned = self.function_body(node, Params::Values(values));
        self.record = record;
        let mut summary = Summary {
            constant: returned.constant.clone(),
            ..Summary::default()
        };
        for origin in returned.taint.origins() {
            let param = (origin.kind == SourceKind::Parameter)
                .then(|| origin.label.strip_prefix('#')?.parse::<usize>().ok())
                .flatten();
            match param {
                Some(i) => summary.params.push((i, origin.sanitized)),
                None => summary.sources.merge(
                    &Taint::from_source(origin.kind, origin.label.clone(), origin.range.clone())
                        .sanitized(origin.sanitized),
                ),
            }
        }
        self.summaries.insert(node.id(), Some(summary.clone()));
        Some(summary)
    }

    /// Re-walks a local function with its caller's argument values, recording what reaches the
    /// calls inside it; `None` when the budget or depth is exhausted or it is already being walked.
    pub(super) fn inline(&mut self, node: Node<'t>, args: Vec<Value>) -> Option<Value> {
        if !self.record
            || self.inline_budget == 0
            || self.inlining.len() >= INLINE_DEPTH
            || self.inlining.contains(&node.id())
        {
            return None;
        }
        self.inline_budget -= 1;
        self.inlining.push(node.id());
        let returned = self.function_body(node, Params::Values(args));
        self.inlining.pop();
        Some(returned)
    }

    fn class(&mut self, node: Node<'t>) {
        let Some(body) = node.child_by_field_name("body") else {
            return;
        };
        let mut cursor = body.walk();
        let members: Vec<_> = body.named_children(&mut cursor).collect();
        for member in members {
            match member.kind() {
                "method_definition" => {
                    self.function(member, Params::Unknown);
                }
                "field_definition" => {
                    if let Some(v) = member.child_by_field_name("value") {
                        self.eval(v);
                    }
                }
                _ => {
                    self.any(member);
                }
            }
        }
    }

    /// `import x from 'm'`, `import * as x from 'node:m'`, `import { a as b } from 'm'`.
    fn import(&mut self, node: Node<'t>) {
        let Some(source) = node.child_by_field_name("source") else {
            return;
        };
        let module = module_name(&super::expr::string_content(source, self.src));
        let mut cursor = node.walk();
        let clauses: Vec<_> = node
            .named_children(&mut cursor)
            .filter(|c| c.kind() == "import_clause")
            .collect();
        for clause in clauses {
            let mut c2 = clause.walk();
            let parts: Vec<_> = clause.named_children(&mut c2).collect();
            for part in parts {
                match part.kind() {
                    "identifier" => self.bind_module(self.text(part), &module),
                    "namespace_import" => {
                        if let Some(id) = part.named_child(0) {
                            self.bind_module(self.text(id), &module);
                        }
                    }
                    "named_imports" => {
                        let mut c3 = part.walk();
                        let specs: Vec<_> = part.named_children(&mut c3).collect();
                        for spec in specs {
                            let Some(name) = spec.child_by_field_name("name") else {
                                continue;
                            };
                            let imported = super::expr::string_content(name, self.src);
                            let local = spec
                                .child_by_field_name("alias")
                                .map_or(imported.clone(), |a| self.text(a).to_string());
                            let qualified = if imported == "default" {
                                module.clone()
                            } else {
                                format!("{module}.{imported}")
                            };
                            self.bind_module(&local, &qualified);
                        }
                    }
                    _ => {}
                }
            }
        }
    }

    fn bind_module(&mut self, local: &str, qualified: &str) {
        self.facts.imports.bind(local, qualified);
        self.env.set(local, module_value(qualified));
    }
}

/// The name of a simple parameter (empty for patterns).
fn param_name<'a>(param: Node<'_>, src: &'a str) -> &'a str {
    match param.kind() {
        "identifier" => crate::lang::syntax::text(param, src),
        "assignment_pattern" => param
            .child_by_field_name("left")
            .filter(|l| l.kind() == "identifier")
            .map_or("", |l| crate::lang::syntax::text(l, src)),
        _ => "",
    }
}

/// The key of an object property as written (`'a-b'` and `"a-b"` are `a-b`).
pub(super) fn property_key(text: &str) -> String {
    let t = text.trim();
    t.strip_prefix(['\'', '"'])
        .and_then(|s| s.strip_suffix(['\'', '"']))
        .unwrap_or(t)
        .to_string()
}

/// Whether a regex literal is anchored at both ends (`/^[a-z]+$/`), so `test` validates the whole
/// string.
fn anchored(regex: &str) -> bool {
    let body = regex.rsplit_once('/').map_or(regex, |(b, _)| b);
    body.starts_with("/^") && body.ends_with('$') && !body.contains('|')
}
