//! Expressions: constant evaluation, member access (request and browser sources), calls (recorded
//! with their argument values, resolved through imports, summarised when local), stores and JSX.

use tree_sitter::Node;

use super::is_comment;
use super::sources::{
    self, BROWSER_SOURCES, FUNCTION, KOA_CONTEXT, KOA_REQUEST_PROPS, LOCATION_CLEAN_PROPS,
    MESSAGE_EVENT, REQUEST, REQUEST_METHODS, REQUEST_PROPS, RESPONSE, RESPONSE_PROPS,
    ROUTE_METHODS,
};
use super::stmt::{property_key, Params};
use super::WALK_DEPTH as MAX_DEPTH;
use super::{
    env, is_function, module_name, module_of, module_value, source_taint, Analyzer, Field,
};
use crate::analysis::{
    Arg, Call, CallKind, Constant, SinkKind, SinkSet, SourceKind, Store, Taint, Value,
};

/// How many fields of an object literal are remembered.
const MAX_FIELDS: usize = 32;

impl<'s, 't> Analyzer<'s, 't> {
    /// The value of an expression at this point of the walk; records the calls and stores in it.
    pub(super) fn eval(&mut self, node: Node<'t>) -> Value {
        if self.depth >= MAX_DEPTH {
            return Value::default();
        }
        self.depth += 1;
        let value = self.eval_inner(node);
        self.depth -= 1;
        value
    }

    fn eval_inner(&mut self, node: Node<'t>) -> Value {
        match node.ty() {
            "string" => Value::constant(Constant::Str(string_content(node, self.src))),
            "template_string" => self.template(node),
            "number" => number(self.text(node)).map_or_else(Value::default, Value::constant),
            "true" => Value::constant(Constant::Bool(true)),
            "false" => Value::constant(Constant::Bool(false)),
            "null" | "undefined" => Value::constant(Constant::Null),
            "regex" => Value {
                type_name: Some("RegExp".into()),
                ..Value::default()
            },
            "identifier" => self.identifier(node),
            "this" | "super" | "import" | "meta_property" | "comment" => Value::default(),
            "member_expression" => self.member(node),
            "subscript_expression" => self.subscript(node),
            "call_expression" => self.call(node),
            "new_expression" => self.new_expression(node),
            // TypeScript: `x as T`, `x satisfies T`, `x!` are `x`; `<T>x` has the type first.
            "as_expression" | "satisfies_expression" | "non_null_expression" => node
                .named_child(0)
                .map_or_else(Value::default, |e| self.eval(e)),
            "type_assertion" => {
                let last = node.named_child_count().saturating_sub(1);
                u32::try_from(last)
                    .ok()
                    .and_then(|i| node.named_child(i))
                    .map_or_else(Value::default, |e| self.eval(e))
            }
            "await_expression" | "spread_element" | "yield_expression" => node
                .named_child(0)
                .map_or_else(Value::default, |e| self.eval(e)),
            "parenthesized_expression" | "sequence_expression" => self.eval_children(node),
            "binary_expression" => self.binary(node),
            "unary_expression" => self.unary(node),
            "update_expression" => {
                self.eval_children(node);
                Value::default()
            }
            "ternary_expression" => {
                if let Some(c) = node.field("condition") {
                    self.eval(c);
                }
                let a = self.eval_field(node, "consequence");
                let b = self.eval_field(node, "alternative");
                env::merge(&a, &b)
            }
            "assignment_expression" => self.assignment(node),
            "augmented_assignment_expression" => self.augmented(node),
            "object" => self.object(node),
            "array" => self.array(node),
            "arrow_function" | "function_expression" | "function" | "generator_function" => {
                self.function(node, Params::Unknown)
            }
            "class" => {
                self.eval_children(node);
                Value::default()
            }
            "jsx_element" | "jsx_self_closing_element" | "jsx_fragment" | "jsx_opening_element" => {
                self.jsx(node);
                Value::default()
            }
            _ => self.eval_children(node),
        }
    }

    fn eval_field(&mut self, node: Node<'t>, field: &'static str) -> Value {
        node.field(field)
            .map_or_else(Value::default, |n| self.eval(n))
    }

    fn identifier(&mut self, node: Node<'t>) -> Value {
        let name = self.text(node);
        if let Some(v) = self.env.get(name) {
            return v.clone();
        }
        if self.functions.contains_key(name) {
            return Value {
                type_name: Some(FUNCTION.into()),
                ..Value::default()
            };
        }
        match name {
            "undefined" => Value::constant(Constant::Null),
            "location" => {
                Value::tainted(source_taint(SourceKind::Request, "location".into(), node))
            }
            _ => Value::default(),
        }
    }

    /// The dotted path of a member chain whose head is a global (not a local variable), for
    /// matching browser and process sources: `document.location.hash`.
    fn global_path(&self, node: Node<'t>) -> Option<String> {
        // Cheap test first: only chains headed by these globals can be sources.
        let mut head = node;
        for _ in 0..64 {
            match head.ty() {
                "member_expression" => head = head.field("object")?,
                "identifier" => break,
                _ => return None,
            }
        }
        if !matches!(
            self.text(head),
            "process" | "location" | "window" | "document"
        ) {
            return None;
        }
        self.global_path_of(node)
    }

    fn global_path_of(&self, node: Node<'t>) -> Option<String> {
        match node.ty() {
            "identifier" => {
                let name = self.text(node);
                (self.env.get(name).is_none()).then(|| name.to_string())
            }
            "member_expression" => {
                let object = node.field("object")?;
                let property = node.field("property")?;
                Some(format!(
                    "{}.{}",
                    self.global_path(object)?,
                    self.text(property)
                ))
            }
            _ => None,
        }
    }

    fn member(&mut self, node: Node<'t>) -> Value {
        let (Some(object), Some(property)) = (node.field("object"), node.field("property")) else {
            return self.eval_children(node);
        };
        let prop = self.text(property);
        if object.ty() == "this" {
            if let Some(v) = self.env.get(&format!("this.{prop}")) {
                return v.clone();
            }
        }
        if let Some(path) = self.global_path(node) {
            if let Some(v) = self.global_source(&path, node) {
                return v;
            }
            if let Some((base, last)) = path.rsplit_once('.') {
                let location = base == "location" || base.ends_with(".location");
                if location && LOCATION_CLEAN_PROPS.contains(&last) {
                    return Value::default();
                }
            }
        }
        let base = self.eval(object);
        self.member_of(&base, prop, None, node)
    }

    /// Sources reached through globals: `process.argv`, `process.env`, `document.cookie`, ...
    fn global_source(&self, path: &str, node: Node<'t>) -> Option<Value> {
        let (kind, label) = if path == "process.argv" {
            (SourceKind::CommandLine, path.to_string())
        } else if path == "process.env" {
            (SourceKind::Environment, path.to_string())
        } else if BROWSER_SOURCES.contains(&path) {
            (SourceKind::Request, path.to_string())
        } else {
            return None;
        };
        Some(Value::tainted(source_taint(kind, label, node)))
    }

    /// The value of `base.prop`; `label` names it in messages (the node's text when `None`).
    pub(super) fn member_of(
        &mut self,
        base: &Value,
        prop: &str,
        label: Option<&str>,
        node: Node<'t>,
    ) -> Value {
        let label = || label.map_or_else(|| self.label(node), str::to_string);
        if let Some(module) = module_of(base) {
            return module_value(&format!("{module}.{prop}"));
        }
        let typed = |t: &str| Value {
            type_name: Some(t.to_string()),
            ..Value::default()
        };
        let request = || Value::tainted(source_taint(SourceKind::Request, label(), node));
        match base.type_name.as_deref() {
            Some(REQUEST) => {
                return if REQUEST_PROPS.contains(&prop) {
                    request()
                } else if RESPONSE_PROPS.contains(&prop) {
                    typed(RESPONSE)
                } else {
                    Value::default()
                };
            }
            Some(KOA_CONTEXT) => {
                return if KOA_REQUEST_PROPS.contains(&prop) {
                    typed(REQUEST)
                } else if RESPONSE_PROPS.contains(&prop) {
                    typed(RESPONSE)
                } else if prop != "body" && REQUEST_PROPS.contains(&prop) {
                    request()
                } else {
                    Value::default()
                };
            }
            Some(MESSAGE_EVENT) => {
                return if prop == "data" {
                    Value::tainted(source_taint(SourceKind::Network, label(), node))
                } else {
                    Value::default()
                };
            }
            _ => {}
        }
        if let Some(field) = base.field(prop) {
            return field.clone();
        }
        if prop == "length" {
            return Value::default();
        }
        Value::tainted(base.taint.clone())
    }

    fn subscript(&mut self, node: Node<'t>) -> Value {
        let base = self.eval_field(node, "object");
        let index = self.eval_field(node, "index");
        match &index.constant {
            Some(Constant::Str(key)) => self.member_of(&base, key, None, node),
            Some(Constant::Int(i)) => match &base.constant {
                Some(Constant::List(items)) => usize::try_from(*i)
                    .ok()
                    .and_then(|i| items.get(i))
                    .cloned()
                    .map_or_else(Value::default, Value::constant),
                _ => Value::tainted(base.taint.clone()),
            },
            _ => Value::tainted(base.taint.clone()),
        }
    }

    fn template(&mut self, node: Node<'t>) -> Value {
        let mut text = Some(String::new());
        let mut taint = Taint::clean();
        let parts = self.children(node);
        for part in parts {
            match part.ty() {
                "string_fragment" => {
                    if let Some(t) = text.as_mut() {
                        t.push_str(self.text(part));
                    }
                }
                "escape_sequence" => {
                    if let Some(t) = text.as_mut() {
                        t.push_str(&unescape(self.text(part)));
                    }
                }
                "template_substitution" => {
                    let v = self.eval_children(part);
                    taint.merge(&v.taint);
                    match (
                        text.as_mut(),
                        v.constant.as_ref().and_then(env::to_js_string),
                    ) {
                        (Some(t), Some(s)) => t.push_str(&s),
                        _ => text = None,
                    }
                }
                _ => {}
            }
        }
        // A template literal is always a string, never a query object.
        Value {
            constant: text.map(Constant::Str),
            taint: taint.sanitized(SinkSet::of(&[SinkKind::NoSql])),
            ..Value::default()
        }
    }

    fn binary(&mut self, node: Node<'t>) -> Value {
        let left = self.eval_field(node, "left");
        let right = self.eval_field(node, "right");
        let op = node.field("operator").map_or("", |o| self.text(o));
        match op {
            // `+` always gives a string or a number, never a query object.
            "+" => Value {
                constant: add(left.constant.as_ref(), right.constant.as_ref()),
                taint: left
                    .taint
                    .merged(&right.taint)
                    .sanitized(SinkSet::of(&[SinkKind::NoSql])),
                ..Value::default()
            },
            "&&" | "||" | "??" => env::merge(&left, &right),
            // Arithmetic, comparisons and `in`/`instanceof` give numbers and booleans.
            _ => Value::default(),
        }
    }

    fn unary(&mut self, node: Node<'t>) -> Value {
        let arg = self.eval_field(node, "argument");
        let op = node.field("operator").map_or("", |o| self.text(o));
        let constant = match (op, &arg.constant) {
            ("!", Some(c)) => Some(Constant::Bool(!js_truthy(c))),
            ("-", Some(Constant::Int(i))) => i.checked_neg().map(Constant::Int),
            ("-", Some(Constant::Float(f))) => Some(Constant::Float(-f)),
            ("+", Some(c @ (Constant::Int(_) | Constant::Float(_)))) => Some(c.clone()),
            _ => None,
        };
        // `!x`, `-x`, `+x`, `typeof x`, `void x` never carry the data of `x` as text.
        Value {
            constant,
            ..Value::default()
        }
    }

    fn assignment(&mut self, node: Node<'t>) -> Value {
        let (Some(left), Some(right)) = (node.field("left"), node.field("right")) else {
            return self.eval_children(node);
        };
        let value = if is_function(right) && self.is_onmessage(left) {
            self.function(right, Params::Message)
        } else {
            self.eval(right)
        };
        self.assign_to(node, left, value.clone());
        value
    }

    fn is_onmessage(&self, target: Node<'t>) -> bool {
        target
            .field("property")
            .is_some_and(|p| self.text(p) == "onmessage")
    }

    fn augmented(&mut self, node: Node<'t>) -> Value {
        let (Some(left), Some(right)) = (node.field("left"), node.field("right")) else {
            return self.eval_children(node);
        };
        let old = self.eval(left);
        let new = self.eval(right);
        let op = node.field("operator").map_or("", |o| self.text(o));
        let value = match op {
            "+=" => Value {
                constant: add(old.constant.as_ref(), new.constant.as_ref()),
                taint: old
                    .taint
                    .merged(&new.taint)
                    .sanitized(SinkSet::of(&[SinkKind::NoSql])),
                ..Value::default()
            },
            "||=" | "&&=" | "??=" => env::merge(&old, &new),
            _ => Value::default(),
        };
        self.assign_to(node, left, value.clone());
        value
    }

    /// Stores `value` into an assignment target: a variable, a property (recorded as a store and
    /// reflected in the object's fields) or a destructuring pattern.
    fn assign_to(&mut self, node: Node<'t>, target: Node<'t>, value: Value) {
        match target.ty() {
            "identifier" => {
                let name = self.text(target);
                if let Some(q) = module_of(&value) {
                    let q = q.to_string();
                    self.facts.imports.bind(name, q);
                }
                self.env.set(name, value);
            }
            "member_expression" | "subscript_expression" => {
                let path = self.store_path(target);
                if let Some(object) = target.field("object") {
                    if target.ty() == "subscript_expression" {
                        if let Some(i) = target.field("index") {
                            self.eval(i);
                        }
                    } else if object.ty() != "identifier" {
                        self.eval(object);
                    }
                    let key = self.property_of(target);
                    match (object.ty(), key) {
                        ("identifier", Some(key)) => {
                            self.update_field(self.text(object), &key, &value)
                        }
                        // `this.x = v` is tracked like a variable within the function.
                        ("this", Some(key)) => self.env.set(&format!("this.{key}"), value.clone()),
                        _ => {}
                    }
                }
                self.record_store(Store {
                    range: node.byte_range(),
                    target_range: target.byte_range(),
                    target: path,
                    value,
                });
            }
            _ => self.bind_pattern(target, value, ""),
        }
    }

    /// The constant property a member or subscript target names.
    fn property_of(&self, target: Node<'t>) -> Option<String> {
        if let Some(p) = target.field("property") {
            return Some(self.text(p).to_string());
        }
        let index = target.field("index")?;
        (index.ty() == "string").then(|| string_content(index, self.src))
    }

    fn update_field(&mut self, object: &str, key: &str, value: &Value) {
        let Some(current) = self.env.get(object) else {
            return;
        };
        if module_of(current).is_some() {
            return;
        }
        let mut updated = current.clone();
        updated.taint.merge(&value.taint);
        match updated.fields.iter_mut().find(|(k, _)| k == key) {
            Some((_, v)) => *v = value.clone(),
            None => updated.fields.push((key.to_string(), value.clone())),
        }
        self.env.set(object, updated);
    }

    /// The dotted path of an assignment target, head resolved through imports, constant subscripts
    /// as `[key]`.
    fn store_path(&self, target: Node<'t>) -> String {
        fn walk(a: &Analyzer<'_, '_>, node: Node<'_>, depth: usize) -> String {
            if depth > 64 {
                return a.label(node);
            }
            match node.ty() {
                "identifier" => a.facts.imports.qualify(a.text(node)),
                "member_expression" => match (node.field("object"), node.field("property")) {
                    (Some(o), Some(p)) => format!("{}.{}", walk(a, o, depth + 1), a.text(p)),
                    _ => a.label(node),
                },
                "subscript_expression" => match (node.field("object"), node.field("index")) {
                    (Some(o), Some(i)) if i.ty() == "string" => {
                        format!("{}[{}]", walk(a, o, depth + 1), string_content(i, a.src))
                    }
                    (Some(o), _) => format!("{}[]", walk(a, o, depth + 1)),
                    _ => a.label(node),
                },
                _ => a.label(node),
            }
        }
        walk(self, target, 0)
    }

    fn object(&mut self, node: Node<'t>) -> Value {
        let mut value = Value::default();
        let parts = self.children(node);
        for part in parts {
            let (key, v) = match part.ty() {
                "pair" => {
                    let Some(k) = part.field("key") else {
                        continue;
                    };
                    let v = self.eval_field(part, "value");
                    if k.ty() == "computed_property_name" {
                        self.eval(k);
                        value.taint.merge(&v.taint);
                        continue;
                    }
                    (property_key(self.text(k)), v)
                }
                "shorthand_property_identifier" => {
                    (self.text(part).to_string(), self.identifier(part))
                }
                "method_definition" => {
                    let key = part
                        .field("name")
                        .map_or(String::new(), |n| property_key(self.text(n)));
                    (key, self.function(part, Params::Unknown))
                }
                "spread_element" => {
                    let v = self.eval_children(part);
                    value.taint.merge(&v.taint);
                    value.fields.extend(v.fields);
                    continue;
                }
                _ => {
                    self.any(part);
                    continue;
                }
            };
            // A function's taint is its return value's: not data stored in this object.
            if v.type_name.as_deref() != Some(FUNCTION) {
                value.taint.merge(&v.taint);
            }
            value.fields.retain(|(k, _)| *k != key);
            // Option objects are small; big object literals (module namespaces, prototypes) keep
            // only their first fields so that copying their values stays cheap.
            if value.fields.len() < MAX_FIELDS {
                value.fields.push((key, v));
            }
        }
        value
    }

    fn array(&mut self, node: Node<'t>) -> Value {
        let mut items = Some(Vec::new());
        let mut taint = Taint::clean();
        let parts = self.children(node);
        for part in parts {
            if is_comment(part) {
                continue;
            }
            let v = self.eval(part);
            taint.merge(&v.taint);
            match (items.as_mut(), v.constant, part.ty() == "spread_element") {
                (Some(list), Some(c), false) => list.push(c),
                _ => items = None,
            }
        }
        Value {
            constant: items.map(Constant::List),
            taint,
            ..Value::default()
        }
    }

    /// JSX: attribute values and children are evaluated; `dangerouslySetInnerHTML={...}` is
    /// recorded as a store to `dangerouslySetInnerHTML`.
    fn jsx(&mut self, node: Node<'t>) {
        let parts = self.children(node);
        for part in parts {
            match part.ty() {
                "jsx_attribute" => {
                    let kids = self.children(part);
                    let name = kids.first().map_or("", |n| self.text(*n));
                    let Some(value_node) = kids.get(1).copied() else {
                        continue;
                    };
                    let value = self.eval(value_node);
                    if name == "dangerouslySetInnerHTML" {
                        let target_range =
                            kids.first().map_or(part.byte_range(), |n| n.byte_range());
                        self.record_store(Store {
                            range: part.byte_range(),
                            target_range,
                            target: name.to_string(),
                            value,
                        });
                    }
                }
                "jsx_expression" => {
                    self.eval_children(part);
                }
                "jsx_element"
                | "jsx_self_closing_element"
                | "jsx_opening_element"
                | "jsx_fragment" => {
                    self.eval(part);
                }
                _ => {}
            }
        }
    }

    /// A call: resolves the callee, evaluates the arguments (callbacks with what the caller is
    /// known to pass them), records the call and returns its result.
    fn call(&mut self, node: Node<'t>) -> Value {
        let Some(callee) = node.field("function") else {
            return self.eval_children(node);
        };
        let (name, receiver) = self.callee(callee);
        let method = name.rsplit('.').next().unwrap_or(&name).to_string();
        let mut args = Vec::new();
        let mut fn_args = Vec::new();
        if let Some(list) = node.field("arguments") {
            if list.ty() == "template_string" {
                let v = self.eval(list);
                args.push(arg(list, v, false));
            } else {
                let mut nodes = self.children(list);
                nodes.retain(|n| !is_comment(*n));
                for a in nodes {
                    if is_function(a) {
                        let params = self.callback_params(&name, &method, receiver.as_ref(), &args);
                        let v = self.function(a, params);
                        fn_args.push(args.len());
                        args.push(arg(a, v, false));
                    } else {
                        let v = self.eval(a);
                        args.push(arg(a, v, a.ty() == "spread_element"));
                    }
                }
            }
        }
        let result = self.call_result(
            node,
            callee,
            &name,
            &method,
            receiver.as_ref(),
            &args,
            &fn_args,
        );
        let kind = match &receiver {
            Some(r) if module_of(r).is_none() => CallKind::Method,
            _ => CallKind::Function,
        };
        self.record_call(Call {
            range: node.byte_range(),
            callee_range: callee.byte_range(),
            name,
            kind,
            receiver,
            args,
        });
        result
    }

    /// The qualified name of a callee and the value of its receiver.
    fn callee(&mut self, callee: Node<'t>) -> (String, Option<Value>) {
        match callee.ty() {
            "member_expression" => {
                let (Some(object), Some(property)) =
                    (callee.field("object"), callee.field("property"))
                else {
                    return (self.label(callee), None);
                };
                let prop = self.text(property);
                let receiver = if let Some(v) = self
                    .global_path(object)
                    .and_then(|p| self.global_source(&p, object))
                {
                    v
                } else {
                    self.eval(object)
                };
                let name = match module_of(&receiver) {
                    Some(m) => format!("{m}.{prop}"),
                    None => match self.dotted(object) {
                        Some(path) => format!("{}.{prop}", self.facts.imports.qualify(&path)),
                        None => format!("{}.{prop}", compact(&self.label(object))),
                    },
                };
                (name, Some(receiver))
            }
            "identifier" => {
                let v = self.identifier(callee);
                let name = module_of(&v).map_or_else(
                    || self.facts.imports.qualify(self.text(callee)),
                    str::to_string,
                );
                (name, None)
            }
            "import" => ("import".to_string(), None),
            _ => {
                let v = self.eval(callee);
                let name =
                    module_of(&v).map_or_else(|| compact(&self.label(callee)), str::to_string);
                (name, None)
            }
        }
    }

    /// The dotted path of a chain of identifiers and properties (`a.b.c`).
    fn dotted(&self, node: Node<'t>) -> Option<String> {
        let mut parts = Vec::new();
        let mut current = node;
        loop {
            match current.ty() {
                "identifier" | "this" => {
                    parts.push(self.text(current));
                    break;
                }
                "member_expression" => {
                    parts.push(self.text(current.field("property")?));
                    current = current.field("object")?;
                }
                _ => return None,
            }
            if parts.len() > 32 {
                return None;
            }
        }
        parts.reverse();
        Some(parts.join("."))
    }

    /// What a callee is known to pass to a callback given as its argument number `args.len()`.
    fn callback_params(
        &self,
        name: &str,
        method: &str,
        receiver: Option<&Value>,
        args: &[Arg],
    ) -> Params {
        let first_const = args.first().and_then(|a| a.value.const_str());
        let path_like = match args.first() {
            None => true,
            Some(a) => {
                first_const.is_some_and(|s| s.starts_with('/') || s == "*")
                    || a.value.type_name.as_deref() == Some("RegExp")
                    || matches!(&a.value.constant, Some(Constant::List(_)))
            }
        };
        let route = (ROUTE_METHODS.contains(&method) && (path_like || method == "use"))
            || name == "http.createServer"
            || name == "https.createServer"
            || name == "http2.createServer"
            || (matches!(method, "on" | "once") && first_const == Some("request"));
        if route {
            return Params::Route;
        }
        if method == "addEventListener" && first_const == Some("message") {
            return Params::Message;
        }
        let element = || Value::tainted(receiver.map(|r| r.taint.clone()).unwrap_or_default());
        match method {
            "then" | "catch" | "finally" => Params::Values(vec![element()]),
            "map" | "forEach" | "filter" | "find" | "flatMap" | "some" | "every" | "findLast" => {
                Params::Values(vec![element()])
            }
            "reduce" | "reduceRight" => Params::Values(vec![Value::default(), element()]),
            "replace" | "replaceAll" => Params::Values(vec![element()]),
            _ => Params::Unknown,
        }
    }

    /// The value a call returns.
    #[allow(clippy::too_many_arguments)]
    fn call_result(
        &mut self,
        node: Node<'t>,
        callee: Node<'t>,
        name: &str,
        method: &str,
        receiver: Option<&Value>,
        args: &[Arg],
        fn_args: &[usize],
    ) -> Value {
        let first = args.first().map(|a| &a.value);
        if (name == "require" || name == "import") && callee.ty() != "member_expression" {
            if let Some(spec) = first.and_then(Value::const_str) {
                return module_value(&module_name(spec));
            }
        }
        if let Some(kinds) = sources::sanitizer(name) {
            let taint = first.map(|v| v.taint.clone()).unwrap_or_default();
            return Value::tainted(taint.sanitized(kinds));
        }
        if sources::returns_clean(name, method) {
            return Value::default();
        }
        if let Some(r) = receiver {
            match r.type_name.as_deref() {
                Some(REQUEST | KOA_CONTEXT) if REQUEST_METHODS.contains(&method) => {
                    let label = format!("{}(...)", self.label(callee));
                    return Value::tainted(source_taint(SourceKind::Request, label, node));
                }
                Some(t @ (RESPONSE | sources::REPLY)) => {
                    return Value {
                        type_name: Some(t.into()),
                        ..Value::default()
                    }
                }
                _ => {}
            }
        }
        // A lookup in a clean container by an untrusted key (`cache.get(req.query.k)`,
        // `Config.get(req.params.appId)`) returns what the container holds, not the key;
        // `searchParams.get('q')` on request data keeps its taint through the receiver.
        if let (Some(r), "get", 1) = (receiver, method, args.len()) {
            if module_of(r).is_none() && !r.taint.is_tainted() && callee.ty() == "member_expression"
            {
                return Value::default();
            }
        }
        if callee.ty() == "identifier" {
            let local = self.text(callee);
            let shadowed = self
                .env
                .get(local)
                .is_some_and(|v| v.type_name.as_deref() != Some(FUNCTION));
            if let (false, Some(&f)) = (shadowed, self.functions.get(local)) {
                return self.local_call(f, args);
            }
        }
        // Callbacks: a promise resolves to what `then` returns; `map` builds what its callback
        // returns.
        if let (Some(&i), true) = (
            fn_args.first(),
            matches!(method, "then" | "map" | "flatMap"),
        ) {
            return Value::tainted(
                args.get(i)
                    .map(|a| a.value.taint.clone())
                    .unwrap_or_default(),
            );
        }
        // Database drivers' escaping methods (`connection.escape`, `client.escapeLiteral`).
        if let (Some(r), true) = (receiver, sources::SQL_ESCAPE_METHODS.contains(&method)) {
            if !matches!(
                r.type_name.as_deref(),
                Some(REQUEST | RESPONSE | KOA_CONTEXT)
            ) {
                let taint = first.map(|v| v.taint.clone()).unwrap_or_default();
                return Value::tainted(taint.sanitized(SinkSet::of(&[SinkKind::Sql])));
            }
        }
        // Removing line breaks (`s.replace(/[\r\n]/g, '')`) makes data safe for log records and
        // line-oriented files; escaping every regex metacharacter (`s.replace(/[.*+?^${}()|[\]\\]/g,
        // '\\$&')`) makes it a literal pattern.
        if matches!(method, "replace" | "replaceAll") {
            let kinds = if self.strips_line_breaks(node) {
                SinkSet::of(&[SinkKind::Log, SinkKind::FileContent])
            } else if self.neutralises_formula(node) {
                SinkSet::of(&[SinkKind::FileContent])
            } else if self.escapes_regex(node, args) {
                SinkSet::of(&[SinkKind::Regex])
            } else {
                SinkSet::NONE
            };
            if let (false, Some(r)) = (kinds == SinkSet::NONE, receiver) {
                return Value::tainted(r.taint.clone().sanitized(kinds));
            }
        }
        // String methods give strings, never query objects.
        if sources::STRING_METHODS.contains(&method) {
            if let Some(r) = receiver {
                if r.type_name.is_none() && module_of(r).is_none() {
                    let mut taint = r.taint.clone();
                    for (i, a) in args.iter().enumerate() {
                        if !fn_args.contains(&i) {
                            taint.merge(&a.value.taint);
                        }
                    }
                    if fold(method, receiver, args).is_none()
                        && !matches!(method, "replace" | "replaceAll")
                    {
                        return Value::tainted(taint.sanitized(SinkSet::of(&[SinkKind::NoSql])));
                    }
                }
            }
        }
        // A hand-written HTML escaper: `s.replace(/</g, '&lt;')`.
        if matches!(method, "replace" | "replaceAll") {
            let entity = args
                .get(1)
                .and_then(|a| a.value.const_str())
                .is_some_and(|r| matches!(r, "&lt;" | "&#60;" | "&#x3c;" | "&#x3C;"));
            if let (true, Some(r)) = (entity, receiver) {
                return Value::tainted(r.taint.clone().sanitized(SinkSet::of(&[SinkKind::Html])));
            }
        }
        if let Some(v) = fold(method, receiver, args) {
            return v;
        }
        // Unknown calls pass on the data of their receiver and arguments (string methods,
        // formatting helpers, ...).
        let mut taint = receiver.map(|r| r.taint.clone()).unwrap_or_default();
        for (i, a) in args.iter().enumerate() {
            if !fn_args.contains(&i) {
                taint.merge(&a.value.taint);
            }
        }
        Value {
            taint,
            type_name: self.returned_type(callee, name, receiver),
            ..Value::default()
        }
    }

    /// The type of what a call to a module's function returns, `returned:<qualified name>`
    /// (`returned:libxmljs.parseXml`), kept through method calls on it (`doc.root()`), so
    /// detectors can tell a library's objects from look-alikes.
    fn returned_type(
        &self,
        callee: Node<'t>,
        name: &str,
        receiver: Option<&Value>,
    ) -> Option<String> {
        if let Some(r) = receiver {
            if module_of(r).is_some() {
                return Some(format!("{}{name}", sources::RETURNED));
            }
            return r
                .type_name
                .as_deref()
                .filter(|t| t.starts_with(sources::RETURNED))
                .map(str::to_string);
        }
        let from_module = callee.ty() == "identifier"
            && self
                .env
                .get(self.text(callee))
                .is_some_and(|v| module_of(v).is_some());
        from_module.then(|| format!("{}{name}", sources::RETURNED))
    }

    /// The result of calling a function defined in the file: re-analysed with the arguments when
    /// they carry taint (so calls inside it see the caller's data), from its summary otherwise.
    fn local_call(&mut self, function: Node<'t>, args: &[Arg]) -> Value {
        let values: Vec<Value> = args.iter().map(|a| a.value.clone()).collect();
        if values.iter().any(|v| v.taint.is_tainted()) {
            if let Some(v) = self.inline(function, values.clone()) {
                return v;
            }
        }
        let Some(summary) = self.summary(function) else {
            return Value::default();
        };
        let mut taint = summary.sources.clone();
        for (i, sanitized) in &summary.params {
            if let Some(v) = values.get(*i) {
                let mut t = v.taint.clone();
                if matches!(v.type_name.as_deref(), Some(REQUEST | KOA_CONTEXT)) {
                    t.merge(&Taint::from_source(
                        SourceKind::Request,
                        "request object",
                        args.get(*i).map_or(0..0, |a| a.range.clone()),
                    ));
                }
                taint.merge(&t.sanitized(*sanitized));
            }
        }
        Value {
            constant: summary.constant.clone(),
            taint,
            ..Value::default()
        }
    }

    fn new_expression(&mut self, node: Node<'t>) -> Value {
        let Some(constructor) = node.field("constructor") else {
            return self.eval_children(node);
        };
        let (name, _) = self.callee(constructor);
        let mut args = Vec::new();
        if let Some(list) = node.field("arguments") {
            let mut nodes = self.children(list);
            nodes.retain(|n| !is_comment(*n));
            for a in nodes {
                let v = self.eval(a);
                args.push(arg(a, v, a.ty() == "spread_element"));
            }
        }
        let mut taint = Taint::clean();
        for a in &args {
            if a.value.type_name.as_deref() != Some(FUNCTION) {
                taint.merge(&a.value.taint);
            }
        }
        let type_name = if name == "Function" {
            FUNCTION.to_string()
        } else {
            name.clone()
        };
        self.record_call(Call {
            range: node.byte_range(),
            callee_range: constructor.byte_range(),
            name,
            kind: CallKind::Constructor,
            receiver: None,
            args,
        });
        Value {
            taint,
            type_name: Some(type_name),
            ..Value::default()
        }
    }
}

fn arg(node: Node<'_>, value: Value, unpacked: bool) -> Arg {
    Arg {
        keyword: None,
        unpacked,
        range: node.byte_range(),
        value,
    }
}

impl<'s, 't> Analyzer<'s, 't> {
    /// Whether a `replace` call's pattern is a regex literal that matches line breaks.
    /// Whether a `replace`/`replaceAll` call escapes regex metacharacters: its pattern is a
    /// character class of them and the replacement puts a backslash before the match (`'\\$&'`).
    fn escapes_regex(&self, call: Node<'t>, args: &[Arg]) -> bool {
        let backslash = args
            .get(1)
            .and_then(|a| a.value.const_str())
            .is_some_and(|r| r == "\\$&" || r == "\\$1");
        let Some(pattern) = call.field("arguments").and_then(|a| a.named_child(0)) else {
            return false;
        };
        let text = self.text(pattern);
        backslash
            && pattern.ty() == "regex"
            && ['*', '+', '?', '.', '(', '[']
                .iter()
                .all(|c| text.contains(*c))
    }

    /// Whether a `replace` call neutralises a leading spreadsheet formula character
    /// (`s.replace(/^[=+\-@]/, "'$&")`).
    fn neutralises_formula(&self, call: Node<'t>) -> bool {
        let Some(pattern) = call.field("arguments").and_then(|a| a.named_child(0)) else {
            return false;
        };
        let text = self.text(pattern);
        pattern.ty() == "regex"
            && text.starts_with("/^")
            && text.contains('=')
            && text.contains('@')
    }

    fn strips_line_breaks(&self, call: Node<'t>) -> bool {
        let Some(pattern) = call.field("arguments").and_then(|a| a.named_child(0)) else {
            return false;
        };
        if pattern.ty() != "regex" {
            return false;
        }
        let text = self.text(pattern);
        text.contains("\\n") || text.contains("\\r") || text.contains("\\s")
    }
}

/// Constant folding of common string and array methods on constant receivers.
fn fold(method: &str, receiver: Option<&Value>, args: &[Arg]) -> Option<Value> {
    let constant = receiver?.constant.as_ref()?;
    if receiver.is_some_and(|r| r.taint.is_tainted()) {
        return None;
    }
    let first = args.first().map(|a| &a.value);
    let result = match (method, constant) {
        ("join", Constant::List(items)) => {
            let sep = match first {
                None => ",".to_string(),
                Some(v) => v.const_str()?.to_string(),
            };
            let parts: Option<Vec<String>> = items.iter().map(env::to_js_string).collect();
            Constant::Str(parts?.join(&sep))
        }
        ("toLowerCase", Constant::Str(s)) => Constant::Str(s.to_lowercase()),
        ("toUpperCase", Constant::Str(s)) => Constant::Str(s.to_uppercase()),
        ("trim", Constant::Str(s)) => Constant::Str(s.trim().to_string()),
        ("toString", c) => Constant::Str(env::to_js_string(c)?),
        ("concat", Constant::Str(s)) => {
            let mut out = s.clone();
            for a in args {
                if a.value.taint.is_tainted() {
                    return None;
                }
                out.push_str(&env::to_js_string(a.value.constant.as_ref()?)?);
            }
            Constant::Str(out)
        }
        _ => return None,
    };
    Some(Value::constant(result))
}

/// JavaScript `+` on two constants.
fn add(a: Option<&Constant>, b: Option<&Constant>) -> Option<Constant> {
    let (a, b) = (a?, b?);
    match (a, b) {
        (Constant::Int(x), Constant::Int(y)) => x.checked_add(*y).map(Constant::Int),
        (Constant::Str(_), _) | (_, Constant::Str(_)) => Some(Constant::Str(format!(
            "{}{}",
            env::to_js_string(a)?,
            env::to_js_string(b)?
        ))),
        (Constant::Float(x), Constant::Float(y)) => Some(Constant::Float(x + y)),
        _ => None,
    }
}

/// JavaScript truthiness of a constant (arrays are truthy even when empty).
fn js_truthy(c: &Constant) -> bool {
    match c {
        Constant::List(_) => true,
        Constant::Float(f) => *f != 0.0 && !f.is_nan(),
        other => other.is_truthy(),
    }
}

/// A numeric literal (`42`, `0x1f`, `1_000`, `1.5`).
fn number(text: &str) -> Option<Constant> {
    let t = text.replace('_', "");
    if let Some(hex) = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
        return i64::from_str_radix(hex, 16).ok().map(Constant::Int);
    }
    if let Some(octal) = t.strip_prefix("0o").or_else(|| t.strip_prefix("0O")) {
        return i64::from_str_radix(octal, 8).ok().map(Constant::Int);
    }
    if let Some(binary) = t.strip_prefix("0b").or_else(|| t.strip_prefix("0B")) {
        return i64::from_str_radix(binary, 2).ok().map(Constant::Int);
    }
    // Legacy octal (`0777`, sloppy mode): a leading zero and octal digits only.
    if t.len() > 1 && t.starts_with('0') && t.bytes().all(|b| (b'0'..=b'7').contains(&b)) {
        return i64::from_str_radix(&t[1..], 8).ok().map(Constant::Int);
    }
    if let Ok(i) = t.parse::<i64>() {
        return Some(Constant::Int(i));
    }
    t.parse::<f64>().ok().map(Constant::Float)
}

/// The content of a string literal with simple escapes decoded.
pub(super) fn string_content(node: Node<'_>, src: &str) -> String {
    let mut out = String::new();
    let mut cursor = node.walk();
    for part in node.named_children(&mut cursor) {
        let text = crate::lang::syntax::text(part, src);
        match part.ty() {
            "escape_sequence" => out.push_str(&unescape(text)),
            _ => out.push_str(text),
        }
    }
    if node.named_child_count() == 0 && node.ty() != "string" {
        return crate::lang::syntax::text(node, src).to_string();
    }
    out
}

fn unescape(seq: &str) -> String {
    match seq {
        "\\n" => "\n".into(),
        "\\t" => "\t".into(),
        "\\r" => "\r".into(),
        "\\0" => "\0".into(),
        _ => seq.strip_prefix('\\').unwrap_or(seq).to_string(),
    }
}

/// Callee text without whitespace, for names of unresolvable callees.
fn compact(text: &str) -> String {
    text.split_whitespace().collect()
}
