//! Statements: declarations and destructuring, branches (joined), loops (walked twice), functions
//! (bodies, parameters, return values, summaries) and ES imports.

use tree_sitter::Node;

use super::is_comment;
use super::sources::{
    FUNCTION, KOA_CONTEXT, MESSAGE_EVENT, REPLY, REQUEST, REQUEST_PARAM_NAMES, RESPONSE,
    RESPONSE_PARAM_NAMES,
};
use super::WALK_DEPTH as MAX_DEPTH;

/// Names of functions that are request handlers by framework convention (Next.js route handlers,
/// serverless `handler`s taking `(request)`).
const HANDLER_NAMES: &[&str] = &["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];

/// Properties read from an incoming request (an outgoing request's options have `url`,
/// `headers` and `method` too, so those do not tell).
const INCOMING_ONLY_PROPS: &[&str] = &[
    "query",
    "params",
    "body",
    "cookies",
    "signedCookies",
    "originalUrl",
    "baseUrl",
    "param",
    "files",
    "file",
    "session",
    "ip",
    "ips",
    "subdomains",
    "nextUrl",
];

/// Packages whose parameter decorators bind request data (NestJS, routing-controllers).
const DECORATOR_MODULES: &[&str] = &["@nestjs/common", "routing-controllers"];

/// Parameter decorators binding client-controlled request data.
const REQUEST_DECORATORS: &[&str] = &[
    "Query",
    "Param",
    "Body",
    "Headers",
    "HostParam",
    "QueryParam",
    "QueryParams",
    "Params",
    "BodyParam",
    "HeaderParam",
    "HeaderParams",
    "CookieParam",
    "CookieParams",
];

/// NestJS pipes whose output is a number, boolean, UUID or enum member.
const CONVERTING_PIPES: &[&str] = &[
    "ParseIntPipe",
    "ParseFloatPipe",
    "ParseBoolPipe",
    "ParseUUIDPipe",
    "ParseEnumPipe",
];

/// How many nodes of a function body are searched for request-like uses of a parameter.
const USE_SCAN_LIMIT: usize = 20_000;
use super::{env, module_name, module_of, module_value, Analyzer, Field, Summary, INLINE_DEPTH};
use crate::analysis::{SinkSet, SourceKind, Taint, Value};

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
        match node.ty() {
            "program" | "statement_block" => self.block(node),
            "expression_statement" => {
                self.eval_children(node);
                false
            }
            "lexical_declaration" | "variable_declaration" => {
                let declarators = self.children(node);
                for d in declarators {
                    if d.ty() != "variable_declarator" {
                        continue;
                    }
                    let value = match d.field("value") {
                        Some(v) => self.eval(v),
                        None => Value::default(),
                    };
                    if let Some(pattern) = d.field("name") {
                        let from = d.field("value").map(|v| self.label(v)).unwrap_or_default();
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
                if let Some(init) = node.field("initializer") {
                    self.any(init);
                }
                self.iterate(&mut |a: &mut Self| {
                    if let Some(c) = node.field("condition") {
                        a.any(c);
                    }
                    if let Some(body) = node.field("body") {
                        a.stmt(body);
                    }
                    if let Some(inc) = node.field("increment") {
                        a.eval(inc);
                    }
                });
                false
            }
            "for_in_statement" => {
                let collection = match node.field("right") {
                    Some(r) => self.eval(r),
                    None => Value::default(),
                };
                let element = Value::tainted(collection.taint.clone());
                let from = self.label_of_field(node, "right");
                self.iterate(&mut |a: &mut Self| {
                    if let Some(left) = node.field("left") {
                        a.bind_pattern(left, element.clone(), &from);
                    }
                    if let Some(body) = node.field("body") {
                        a.stmt(body);
                    }
                });
                false
            }
            "while_statement" | "do_statement" => {
                self.iterate(&mut |a: &mut Self| {
                    if let Some(c) = node.field("condition") {
                        a.eval(c);
                    }
                    if let Some(body) = node.field("body") {
                        a.stmt(body);
                    }
                });
                false
            }
            "try_statement" => {
                if let Some(body) = node.field("body") {
                    self.stmt(body);
                }
                if let Some(handler) = node.field("handler") {
                    if let Some(p) = handler.field("parameter") {
                        self.bind_pattern(p, Value::default(), "");
                    }
                    if let Some(body) = handler.field("body") {
                        self.stmt(body);
                    }
                }
                if let Some(fin) = node.field("finalizer") {
                    if let Some(body) = fin.field("body") {
                        self.stmt(body);
                    }
                }
                false
            }
            "switch_statement" => {
                if let Some(v) = node.field("value") {
                    self.eval(v);
                }
                if let Some(body) = node.field("body") {
                    let cases = self.children(body);
                    for case in cases {
                        self.env.push();
                        let value = case.field("value");
                        let parts = self.children(case);
                        for part in parts {
                            if Some(part) == value {
                                self.eval(part);
                            } else {
                                self.any(part);
                            }
                        }
                        let changes = self.env.pop();
                        self.env.join(changes, super::FastMap::default());
                    }
                }
                false
            }
            "function_declaration" | "generator_function_declaration" => {
                let value = self.function(node, Params::Unknown);
                if let Some(name) = node.field("name") {
                    let name = self.text(name);
                    self.env.set(name, value);
                }
                false
            }
            "class_declaration" | "abstract_class_declaration" => {
                self.class(node);
                false
            }
            // TypeScript declarations without run-time code.
            "interface_declaration"
            | "type_alias_declaration"
            | "ambient_declaration"
            | "function_signature"
            | "abstract_method_signature"
            | "module"
            | "internal_module" => false,
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

    /// Walks a loop body: once, and a second time only when the first pass brought new taint into
    /// a variable (so loop-carried data reaches the calls before the assignment) — a fixed point
    /// for taint in practice, and linear on nested loops that carry none.
    fn iterate(&mut self, body: &mut dyn FnMut(&mut Self)) {
        for _ in 0..2 {
            self.env.push();
            body(self);
            let changes = self.env.pop();
            let grew = changes.iter().any(|(name, new)| match self.env.get(name) {
                Some(old) => env::merge(old, new).taint != old.taint,
                None => new.taint.is_tainted(),
            });
            self.env.join(changes, super::FastMap::default());
            if !grew {
                break;
            }
        }
    }

    /// Walks the statements of a block in order.
    fn block(&mut self, node: Node<'t>) -> bool {
        let children = self.children(node);
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
        let kind = node.ty();
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
        let children = self.children(node);
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

    fn label_of_field(&self, node: Node<'_>, field: &'static str) -> String {
        node.field(field).map(|n| self.label(n)).unwrap_or_default()
    }

    /// `if`: the arms are walked apart and joined; an arm that always exits does not reach the code
    /// after the statement. Allow-list guards sanitise the checked variable in the guarded arm.
    fn if_statement(&mut self, node: Node<'t>) -> bool {
        let guard = node.field("condition").and_then(|c| {
            self.eval(c);
            self.guard(c)
        });
        self.env.push();
        if let Some((name, true)) = &guard {
            self.sanitize_var(name);
        }
        let then_exits = node.field("consequence").is_some_and(|c| self.stmt(c));
        let then_env = self.env.pop();
        self.env.push();
        if let Some((name, false)) = &guard {
            self.sanitize_var(name);
        }
        let else_exits = node.field("alternative").is_some_and(|a| self.eval_else(a));
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
        let children = self.children(clause);
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
        self.guard_at(cond, 0)
    }

    /// [`Self::guard`] at nesting `depth` (bounded: conditions can be nested arbitrarily deep).
    fn guard_at(&self, cond: Node<'t>, depth: usize) -> Option<(String, bool)> {
        if depth > 32 {
            return None;
        }
        let guard = |node| self.guard_at(node, depth + 1);
        match cond.ty() {
            "parenthesized_expression" => guard(cond.named_child(0)?),
            "unary_expression" => {
                let op = cond.field("operator")?;
                if self.text(op) != "!" {
                    return None;
                }
                let (name, positive) = guard(cond.field("argument")?)?;
                Some((name, !positive))
            }
            "call_expression" => {
                let callee = cond.field("function")?;
                if callee.ty() != "member_expression" {
                    return None;
                }
                let method = self.text(callee.field("property")?);
                let object = callee.field("object")?;
                // Normalise-and-check: `if (full.startsWith(ROOT))` confines a resolved path.
                if method == "startsWith" && object.ty() == "identifier" {
                    let prefix = cond.field("arguments")?.named_child(0)?;
                    return (prefix.ty() != "string" || self.text(prefix).len() > 3)
                        .then(|| (self.text(object).to_string(), true));
                }
                let arg = cond.field("arguments")?.named_child(0)?;
                if arg.ty() != "identifier" {
                    return None;
                }
                let ok = match method {
                    "includes" | "has" => true,
                    "test" => object.ty() == "regex" && anchored(self.text(object)),
                    _ => false,
                };
                ok.then(|| (self.text(arg).to_string(), true))
            }
            "binary_expression" => {
                let op = self.text(cond.field("operator")?);
                let left = cond.field("left")?;
                let right = cond.field("right")?;
                // `x === 'a' || x === 'b'` allows; `x !== 'a' && x !== 'b'` rejects.
                if matches!(op, "||" | "&&") {
                    let (a, pa) = guard(left)?;
                    let (b, pb) = guard(right)?;
                    let wanted = op == "||";
                    return (a == b && pa == wanted && pb == wanted).then_some((a, wanted));
                }
                let positive = match op {
                    "===" | "==" => true,
                    "!==" | "!=" => false,
                    _ => return None,
                };
                let (var, other) = if left.ty() == "identifier" {
                    (left, right)
                } else {
                    (right, left)
                };
                (var.ty() == "identifier" && matches!(other.ty(), "string" | "number"))
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
        match pattern.ty() {
            "identifier" | "shorthand_property_identifier_pattern" => {
                let name = self.text(pattern);
                if let Some(q) = module_of(&value) {
                    let q = q.to_string();
                    self.facts.imports.bind(name, q);
                }
                self.env.set(name, value);
            }
            "object_pattern" => {
                let parts = self.children(pattern);
                for part in parts {
                    match part.ty() {
                        "shorthand_property_identifier_pattern" => {
                            let key = self.text(part);
                            let v =
                                self.member_of(&value, key, Some(&format!("{from}.{key}")), part);
                            self.bind_pattern(part, v, from);
                        }
                        "pair_pattern" => {
                            let (Some(k), Some(target)) = (part.field("key"), part.field("value"))
                            else {
                                continue;
                            };
                            let key = property_key(self.text(k));
                            let v = self.member_of(&value, &key, Some(&format!("{from}.{key}")), k);
                            self.bind_pattern(target, v, &format!("{from}.{key}"));
                        }
                        "object_assignment_pattern" => {
                            let (Some(left), Some(right)) =
                                (part.field("left"), part.field("right"))
                            else {
                                continue;
                            };
                            let key = self.text(left).to_string();
                            let v =
                                self.member_of(&value, &key, Some(&format!("{from}.{key}")), left);
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
                let parts = self.children(pattern);
                for part in parts {
                    self.bind_pattern(part, Value::tainted(value.taint.clone()), from);
                }
            }
            // TypeScript parameters: `x: T`, `x?: T`, `x: T = d`, `private x: T`.
            "required_parameter" | "optional_parameter" => {
                let Some(inner) = pattern.field("pattern") else {
                    return;
                };
                let v = match pattern.field("value") {
                    Some(right) => {
                        let default = self.eval(right);
                        if value == Value::default() {
                            default
                        } else {
                            env::merge(&value, &default)
                        }
                    }
                    None => value,
                };
                self.bind_pattern(inner, v, from);
            }
            "assignment_pattern" => {
                if let (Some(left), Some(right)) = (pattern.field("left"), pattern.field("right")) {
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
        // While summarising, nested functions with statement bodies are not walked: they do not
        // run as part of the summarised function, and walking them would make summaries cost
        // as much as the nesting is deep. Expression-bodied callbacks (`x => x.trim()`) are.
        let expression_bodied = node
            .field("body")
            .is_some_and(|b| b.ty() != "statement_block");
        if !self.record && !expression_bodied {
            return Value {
                type_name: Some(FUNCTION.to_string()),
                ..Value::default()
            };
        }
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
            let value = self.param_value(*p, i, &params, (node, &list));
            self.bind_pattern(*p, value, "");
        }
        if let Some(body) = node.field("body") {
            if body.ty() == "statement_block" {
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

    fn param_list(&mut self, node: Node<'t>) -> Vec<Node<'t>> {
        if let Some(single) = node.field("parameter") {
            return vec![single];
        }
        let Some(params) = node.field("parameters") else {
            return Vec::new();
        };
        let mut list = self.children(params);
        list.retain(|p| !is_comment(*p));
        list
    }

    /// The value a parameter starts with.
    fn param_value(
        &self,
        param: Node<'t>,
        i: usize,
        params: &Params,
        (function, list): (Node<'t>, &[Node<'t>]),
    ) -> Value {
        if let Some(v) = self.decorated_param(param) {
            return v;
        }
        let count = list.len();
        let name = param_name(param, self.src);
        let typed = |t: &str| Value {
            type_name: Some(t.to_string()),
            ..Value::default()
        };
        match params {
            Params::Values(values) => {
                let mut v = values.get(i).cloned().unwrap_or_default();
                if v.type_name.is_none() {
                    v.type_name = self
                        .conventional_type(name, function, list)
                        .map(str::to_string);
                }
                v
            }
            Params::Route => {
                // Express error handlers take `(err, req, res, next)`.
                let shift = usize::from(count == 4);
                match (i.checked_sub(shift), name) {
                    (_, "ctx" | "context") => typed(KOA_CONTEXT),
                    (_, "next" | "err" | "error") => Value::default(),
                    (_, "reply") => typed(REPLY),
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
            Params::Unknown => self
                .conventional_type(name, function, list)
                .map(typed)
                .unwrap_or_default(),
        }
    }

    /// The value of a TypeScript parameter bound by a framework decorator: NestJS's and
    /// routing-controllers' `@Query()`, `@Param('id')`, `@Body()`, `@Headers()` are request data,
    /// `@Req()` the request and `@Res()` the response (decorators imported from those packages).
    fn decorated_param(&self, param: Node<'t>) -> Option<Value> {
        let mut cursor = param.walk();
        let decorators: Vec<Node<'t>> = param
            .named_children(&mut cursor)
            .filter(|c| c.ty() == "decorator")
            .collect();
        decorators.into_iter().find_map(|d| {
            let expr = d.named_child(0)?;
            let callee = if expr.ty() == "call_expression" {
                expr.field("function")?
            } else {
                expr
            };
            if callee.ty() != "identifier" {
                return None;
            }
            let qualified = self.facts.imports.resolve(self.text(callee))?;
            let (module, name) = qualified.rsplit_once('.')?;
            if !DECORATOR_MODULES.contains(&module) {
                return None;
            }
            let typed = |t: &str| Value {
                type_name: Some(t.to_string()),
                ..Value::default()
            };
            if matches!(name, "Req" | "Request") {
                Some(typed(REQUEST))
            } else if matches!(name, "Res" | "Response") {
                Some(typed(RESPONSE))
            } else if REQUEST_DECORATORS.contains(&name) {
                if self.converting_pipe(expr) {
                    return Some(Value::default());
                }
                let label = self.text(d).to_string();
                Some(Value::tainted(Taint::from_source(
                    SourceKind::Request,
                    label,
                    d.byte_range(),
                )))
            } else {
                None
            }
        })
    }

    /// Whether a parameter decorator call is given a NestJS pipe that converts or checks the
    /// value against a fixed form (`@Param('id', ParseIntPipe)`, `new ParseUUIDPipe()`), which
    /// leaves no room for injected text.
    fn converting_pipe(&self, call: Node<'t>) -> bool {
        let Some(args) = call.field("arguments") else {
            return false;
        };
        let mut cursor = args.walk();
        let found = args.named_children(&mut cursor).any(|a| {
            let class = match a.ty() {
                "new_expression" => a.field("constructor"),
                "identifier" => Some(a),
                _ => None,
            };
            class.is_some_and(|c| {
                self.facts
                    .imports
                    .resolve(self.text(c))
                    .and_then(|q| q.strip_prefix("@nestjs/common."))
                    .is_some_and(|n| CONVERTING_PIPES.contains(&n))
            })
        });
        found
    }

    /// The type a parameter has by naming convention (`req`, `res`). A `req`/`request` parameter
    /// is a request only in a function shaped like a handler: an outgoing request's options or a
    /// library's own `request` object are not client data.
    fn conventional_type(
        &self,
        name: &str,
        function: Node<'t>,
        list: &[Node<'t>],
    ) -> Option<&'static str> {
        if name == "reply" {
            Some(REPLY)
        } else if REQUEST_PARAM_NAMES.contains(&name) {
            self.handler_like(name, function, list).then_some(REQUEST)
        } else if RESPONSE_PARAM_NAMES.contains(&name) {
            Some(RESPONSE)
        } else {
            None
        }
    }

    /// Whether a function taking a request-named parameter `name` handles incoming requests: a
    /// response-like or `next` parameter beside it, a route-method name (`GET`, `POST`, Next.js
    /// style), or the parameter used for what only incoming requests have (`req.query`,
    /// `req.params`, `req.cookies`, ...).
    fn handler_like(&self, name: &str, function: Node<'t>, list: &[Node<'t>]) -> bool {
        let sibling = list.iter().any(|p| {
            let n = param_name(*p, self.src);
            RESPONSE_PARAM_NAMES.contains(&n) || matches!(n, "reply" | "next" | "h")
        });
        let verb = function
            .field("name")
            .is_some_and(|n| HANDLER_NAMES.contains(&self.text(n)));
        sibling || verb || self.used_as_request(name, function)
    }

    /// Whether `name.<incoming-only property>` occurs in a function's body.
    fn used_as_request(&self, name: &str, function: Node<'t>) -> bool {
        let Some(body) = function.field("body") else {
            return false;
        };
        let mut stack = vec![body];
        let mut visited = 0usize;
        while let Some(node) = stack.pop() {
            visited += 1;
            if visited > USE_SCAN_LIMIT {
                return false;
            }
            if node.ty() == "member_expression" {
                let object = node.field("object");
                let property = node.field("property");
                if let (Some(o), Some(p)) = (object, property) {
                    if o.ty() == "identifier"
                        && self.text(o) == name
                        && INCOMING_ONLY_PROPS.contains(&self.text(p))
                    {
                        return true;
                    }
                }
            }
            let mut cursor = node.walk();
            stack.extend(node.named_children(&mut cursor));
        }
        false
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
        let Some(body) = node.field("body") else {
            return;
        };
        let members = self.children(body);
        for member in members {
            match member.ty() {
                "method_definition" => {
                    self.function(member, Params::Unknown);
                }
                "field_definition" | "public_field_definition" => {
                    if let Some(v) = member.field("value") {
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
        let Some(source) = node.field("source") else {
            return;
        };
        let module = module_name(&super::expr::string_content(source, self.src));
        let mut cursor = node.walk();
        let clauses: Vec<_> = node
            .named_children(&mut cursor)
            .filter(|c| c.ty() == "import_clause")
            .collect();
        for clause in clauses {
            let parts = self.children(clause);
            for part in parts {
                match part.ty() {
                    "identifier" => self.bind_module(self.text(part), &module),
                    "namespace_import" => {
                        if let Some(id) = part.named_child(0) {
                            self.bind_module(self.text(id), &module);
                        }
                    }
                    "named_imports" => {
                        let specs = self.children(part);
                        for spec in specs {
                            let Some(name) = spec.field("name") else {
                                continue;
                            };
                            let imported = super::expr::string_content(name, self.src);
                            let local = spec
                                .field("alias")
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
    match param.ty() {
        "identifier" => crate::lang::syntax::text(param, src),
        "assignment_pattern" => param
            .field("left")
            .filter(|l| l.ty() == "identifier")
            .map_or("", |l| crate::lang::syntax::text(l, src)),
        "required_parameter" | "optional_parameter" => param
            .field("pattern")
            .filter(|p| p.ty() == "identifier")
            .map_or("", |p| crate::lang::syntax::text(p, src)),
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
