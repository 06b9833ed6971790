//! Expression rules: constants, taint propagation, sources, sanitisers and call recording.

use std::borrow::Cow;
use std::sync::Arc;

use tree_sitter::Node;

use super::constants;
use super::ids::{self, PyNode};
use super::interp::MAX_NESTING;
use super::interp::{field_at, fields_at, kids, named_at, Interp, Summary};
use super::known::{self, Sanitizer};
use super::memo::{Dep, Effect};
use super::scope::{merge_value, Frame, ScopeKind};
use crate::analysis::{
    join_dotted, Arg, Call, CallKind, Constant, SinkKind, SinkSet, SourceKind, Taint, Value,
};

/// The value of `left <op> right` for `+`, `%` and other operators.
pub fn binary_value(op: &str, left: &Value, right: &Value) -> Value {
    let taint = left.taint.clone().merged(&right.taint);
    let constant = match (op, &left.constant, &right.constant) {
        ("+", Some(Constant::Str(a)), Some(Constant::Str(b))) => {
            Some(Constant::Str(format!("{a}{b}")))
        }
        ("+", Some(Constant::Int(a)), Some(Constant::Int(b))) => {
            a.checked_add(*b).map(Constant::Int)
        }
        ("+", Some(Constant::List(a)), Some(Constant::List(b))) => {
            Some(Constant::List([a.clone(), b.clone()].concat()))
        }
        ("%", Some(Constant::Str(fmt)), _) => percent(fmt, right),
        _ => None,
    };
    Value {
        constant,
        taint,
        ..Value::default()
    }
}

fn percent(fmt: &str, args: &Value) -> Option<Constant> {
    let named: Vec<(String, Constant)> = args
        .fields
        .iter()
        .map(|(k, v)| v.constant.clone().map(|c| (k.clone(), c)))
        .collect::<Option<_>>()?;
    let positional = match &args.constant {
        Some(Constant::List(items)) => items.clone(),
        Some(single) => vec![single.clone()],
        None if !named.is_empty() => Vec::new(),
        None => return None,
    };
    constants::percent_format(fmt, &positional, &named).map(Constant::Str)
}

impl Interp<'_> {
    /// Evaluates an expression at the current program point, recording the calls in it.
    pub fn eval(&mut self, node: Node<'_>, frame: &mut Frame, depth: usize) -> Value {
        if depth > MAX_NESTING {
            return Value::default();
        }
        let d = depth + 1;
        match node.k() {
            "identifier" => self.eval_name(node, frame),
            "string" => self.eval_string(node, frame, d),
            "concatenated_string" => {
                let mut out = Value::constant(Constant::Str(String::new()));
                for part in kids(self.index, node) {
                    let value = self.eval(part, frame, d);
                    out = binary_value("+", &out, &value);
                }
                out
            }
            "integer" => constants::parse_int(self.text(node))
                .map(|i| Value::constant(Constant::Int(i)))
                .unwrap_or_default(),
            "float" => constants::parse_float(self.text(node))
                .map(|f| Value::constant(Constant::Float(f)))
                .unwrap_or_default(),
            "true" => Value::constant(Constant::Bool(true)),
            "false" => Value::constant(Constant::Bool(false)),
            "none" => Value::constant(Constant::Null),
            "list" | "tuple" | "set" | "expression_list" => {
                let mut taint = Taint::clean();
                let mut items = Some(Vec::new());
                // Elements by position ("0", "1", ...) up to the first `*splat`, so detectors can
                // tell a tainted program from tainted arguments in `["ls", path]`.
                let mut fields = Vec::new();
                let mut positional = node.k() != "set";
                for (index, item) in kids(self.index, node).enumerate() {
                    let value = self.eval(item, frame, d);
                    taint.merge(&value.taint);
                    positional &= item.k() != "list_splat";
                    if positional {
                        fields.push((index.to_string(), value.clone()));
                    }
                    match (&mut items, value.constant) {
                        (Some(list), Some(c)) if item.k() != "list_splat" => list.push(c),
                        _ => items = None,
                    }
                }
                Value {
                    constant: items.map(Constant::List),
                    taint,
                    type_name: None,
                    fields,
                }
            }
            "dictionary" => {
                let mut out = Value::default();
                for item in kids(self.index, node) {
                    if item.k() == "pair" {
                        let key = field_at(self.index, item, ids::fields().key)
                            .map(|k| self.eval(k, frame, d));
                        let value = field_at(self.index, item, ids::fields().value)
                            .map(|v| self.eval(v, frame, d))
                            .unwrap_or_default();
                        out.taint.merge(&value.taint);
                        if let Some(key) = key.as_ref().and_then(|k| k.const_str()) {
                            out.fields.push((key.to_string(), value));
                        }
                    } else {
                        let value = self.eval(item, frame, d);
                        out.taint.merge(&value.taint);
                    }
                }
                out
            }
            "parenthesized_expression" | "await" => named_at(self.index, node)
                .first()
                .map(|inner| self.eval(*inner, frame, d))
                .unwrap_or_default(),
            "binary_operator" => {
                let left = field_at(self.index, node, ids::fields().left)
                    .map(|l| self.eval(l, frame, d))
                    .unwrap_or_default();
                let right = field_at(self.index, node, ids::fields().right)
                    .map(|r| self.eval(r, frame, d))
                    .unwrap_or_default();
                let op = field_at(self.index, node, ids::fields().operator)
                    .map(|o| self.text(o))
                    .unwrap_or("");
                binary_value(op, &left, &right)
            }
            "unary_operator" => {
                let operand = field_at(self.index, node, ids::fields().argument)
                    .map(|a| self.eval(a, frame, d))
                    .unwrap_or_default();
                let negative = field_at(self.index, node, ids::fields().operator)
                    .is_some_and(|o| self.text(o) == "-");
                match operand.constant {
                    Some(Constant::Int(i)) if negative => i
                        .checked_neg()
                        .map(|n| Value::constant(Constant::Int(n)))
                        .unwrap_or_default(),
                    _ => Value::tainted(operand.taint),
                }
            }
            // Comparisons and `not` produce booleans: no untrusted data flows through them.
            "comparison_operator" | "not_operator" => {
                for child in kids(self.index, node) {
                    self.eval(child, frame, d);
                }
                Value::default()
            }
            "conditional_expression" => {
                let parts = named_at(self.index, node);
                let mut values: Vec<Value> =
                    parts.iter().map(|p| self.eval(*p, frame, d)).collect();
                // [then, condition, else]
                if values.len() == 3 {
                    let otherwise = values.pop().unwrap_or_default();
                    values.pop();
                    let mut then = values.pop().unwrap_or_default();
                    merge_value(&mut then, &otherwise);
                    then
                } else {
                    Value::default()
                }
            }
            "named_expression" => {
                let value = field_at(self.index, node, ids::fields().value)
                    .map(|v| self.eval(v, frame, d))
                    .unwrap_or_default();
                if let Some(name) = field_at(self.index, node, ids::fields().name) {
                    self.bind(name, value.clone(), frame, d);
                }
                value
            }
            "attribute" => self.eval_attribute(node, frame, d),
            "subscript" => self.eval_subscript(node, frame, d),
            "call" => self.eval_call(node, frame, d),
            "lambda" => {
                let saved = frame.env.checkpoint();
                if let Some(body) = field_at(self.index, node, ids::fields().body) {
                    self.eval(body, frame, d);
                }
                frame.env.rollback(&saved);
                frame.env.release(saved);
                Value::default()
            }
            "list_comprehension"
            | "set_comprehension"
            | "generator_expression"
            | "dictionary_comprehension" => self.eval_comprehension(node, frame, d),
            "assignment" => self.assign(node, frame, d),
            _ => {
                let mut taint = Taint::clean();
                for child in kids(self.index, node) {
                    taint.merge(&self.eval(child, frame, d).taint);
                }
                Value::tainted(taint)
            }
        }
    }

    fn eval_name(&mut self, node: Node<'_>, frame: &Frame) -> Value {
        let name = self.text(node);
        if let Some(value) = self.lookup(name, frame) {
            return value;
        }
        match self.imports.resolve(name) {
            Some(qualified) => self.reference(qualified, name, node),
            None => Value::default(),
        }
    }

    /// The value of a reference to an imported name: a source, a request object, or nothing known.
    fn reference(&self, qualified: &str, written: &str, node: Node<'_>) -> Value {
        if let Some(kind) = known::source_reference(qualified) {
            return Value::tainted(Taint::from_source(kind, written, node.byte_range()));
        }
        if known::is_request_type(qualified) {
            return Value {
                type_name: Some(qualified.to_string()),
                ..Value::default()
            };
        }
        Value::default()
    }

    /// The import-qualified name of a dotted path whose head is an import (not shadowed).
    fn imported_path(&self, dotted: &str, frame: &Frame) -> Option<String> {
        let head = crate::analysis::first_segment(dotted);
        if self.is_variable(head, frame) {
            return None;
        }
        self.imports.resolve(head)?;
        Some(self.imports.qualify(dotted))
    }

    fn eval_attribute(&mut self, node: Node<'_>, frame: &mut Frame, depth: usize) -> Value {
        if let Some(dotted) = self.dotted(node) {
            if let Some(value) = frame.env.get(&dotted) {
                return value.clone();
            }
            // Django class-based views keep the request on `self`.
            if dotted == "self.request" {
                return Value {
                    type_name: Some("django.http.HttpRequest".to_string()),
                    ..Value::default()
                };
            }
            if let Some(qualified) = self.imported_path(&dotted, frame) {
                let value = self.reference(&qualified, &dotted, node);
                if value != Value::default() {
                    return value;
                }
            }
        }
        let object = field_at(self.index, node, ids::fields().object)
            .map(|o| self.eval(o, frame, depth))
            .unwrap_or_default();
        let attribute = field_at(self.index, node, ids::fields().attribute)
            .map(|a| self.text(a))
            .unwrap_or("");
        self.attribute_of(&object, attribute, node)
    }

    /// `object.attribute`: request data on request objects; otherwise the object's taint.
    fn attribute_of(&self, object: &Value, attribute: &str, node: Node<'_>) -> Value {
        let is_request = object
            .type_name
            .as_deref()
            .is_some_and(known::is_request_type);
        let is_credentials = object
            .type_name
            .as_deref()
            .is_some_and(known::is_aws_credentials_type);
        if is_credentials && known::is_aws_secret_attribute(attribute) {
            let label: String = self.text(node).split_whitespace().collect();
            let taint = Taint::from_source(SourceKind::Credential, label, node.byte_range())
                .sanitized(SinkSet::ALL);
            return Value::tainted(object.taint.clone().merged(&taint));
        }
        if is_request && known::is_request_data(attribute) {
            let label: String = self.text(node).split_whitespace().collect();
            return Value::tainted(Taint::from_source(
                SourceKind::Request,
                label,
                node.byte_range(),
            ));
        }
        Value::tainted(object.taint.clone())
    }

    fn eval_subscript(&mut self, node: Node<'_>, frame: &mut Frame, depth: usize) -> Value {
        let container = field_at(self.index, node, ids::fields().value)
            .map(|v| self.eval(v, frame, depth))
            .unwrap_or_default();
        let keys: Vec<Value> = fields_at(self.index, node, ids::fields().subscript)
            .into_iter()
            .map(|s| self.eval(s, frame, depth))
            .collect();
        if let [key] = keys.as_slice() {
            let field_key = match &key.constant {
                Some(Constant::Str(k)) => Some(k.clone()),
                Some(Constant::Int(i)) if *i >= 0 => Some(i.to_string()),
                _ => None,
            };
            if let Some(field) = field_key.and_then(|k| container.field(&k).cloned()) {
                return field;
            }
            if let (Some(Constant::List(items)), Some(Constant::Int(i))) =
                (&container.constant, &key.constant)
            {
                let index = if *i < 0 { items.len() as i64 + i } else { *i };
                if let Some(item) = usize::try_from(index).ok().and_then(|i| items.get(i)) {
                    return Value::constant(item.clone());
                }
            }
        }
        // Indexing a trusted container with an untrusted key (an allow-list lookup) is trusted.
        Value::tainted(container.taint)
    }

    fn eval_comprehension(&mut self, node: Node<'_>, frame: &mut Frame, depth: usize) -> Value {
        let saved = frame.env.checkpoint();
        for clause in kids(self.index, node) {
            match clause.k() {
                "for_in_clause" => {
                    let iterable = field_at(self.index, clause, ids::fields().right)
                        .map(|r| self.eval(r, frame, depth))
                        .unwrap_or_default();
                    if let Some(left) = field_at(self.index, clause, ids::fields().left) {
                        self.bind(left, Value::tainted(iterable.taint), frame, depth);
                    }
                }
                "if_clause" => {
                    for cond in kids(self.index, clause) {
                        self.eval(cond, frame, depth);
                    }
                }
                _ => {}
            }
        }
        let body = field_at(self.index, node, ids::fields().body)
            .map(|b| self.eval(b, frame, depth))
            .unwrap_or_default();
        frame.env.rollback(&saved);
        frame.env.release(saved);
        Value::tainted(body.taint)
    }

    fn eval_string(&mut self, node: Node<'_>, frame: &mut Frame, depth: usize) -> Value {
        let mut prefix = String::new();
        let mut out = Some(String::new());
        let mut taint = Taint::clean();
        for part in kids(self.index, node) {
            match part.k() {
                "string_start" => prefix = constants::string_prefix(self.text(part)),
                "string_content" => {
                    let raw = self.text(part);
                    let mut content = if prefix.contains('r') {
                        raw.to_string()
                    } else {
                        constants::unescape(raw)
                    };
                    if prefix.contains('f') {
                        content = content.replace("{{", "{").replace("}}", "}");
                    }
                    if let Some(out) = &mut out {
                        out.push_str(&content);
                    }
                }
                "interpolation" => {
                    let value = field_at(self.index, part, ids::fields().expression)
                        .map(|e| self.eval(e, frame, depth))
                        .unwrap_or_default();
                    taint.merge(&value.taint);
                    let formatted = named_at(self.index, part)
                        .iter()
                        .any(|p| matches!(p.k(), "format_specifier" | "type_conversion"));
                    match (
                        &mut out,
                        value.constant.as_ref().and_then(constants::display),
                    ) {
                        (Some(out), Some(text)) if !formatted => out.push_str(&text),
                        _ => out = None,
                    }
                }
                _ => {}
            }
        }
        Value {
            constant: out.map(Constant::Str),
            taint,
            ..Value::default()
        }
    }

    fn eval_call(&mut self, node: Node<'_>, frame: &mut Frame, depth: usize) -> Value {
        let Some(func) = field_at(self.index, node, ids::fields().function) else {
            return Value::default();
        };
        let (name, kind, receiver, callee, method) = self.resolve_callee(func, frame, depth);
        let args = field_at(self.index, node, ids::fields().arguments)
            .map(|a| self.eval_args(a, frame, depth))
            .unwrap_or_default();
        let mut arg_taint = Taint::clean();
        for arg in &args {
            arg_taint.merge(&arg.value.taint);
        }
        let result = if let Some((key, summary, offset)) = self.summary_for(func, frame) {
            if !self.record {
                self.note_arguments(&key, &summary, &args, offset);
            }
            apply_summary(&summary, &args, offset)
        } else if let Some(sanitizer) = known::sanitizer(&name) {
            match sanitizer {
                Sanitizer::Clean => Value {
                    type_name: result_type(&name, kind),
                    ..Value::default()
                },
                Sanitizer::For(kinds) => Value::tainted(arg_taint.clone().sanitized(kinds)),
            }
        } else if let Some(source) = known::source_call(&name)
            .filter(|_| kind == CallKind::Function && !self.is_variable(&name, frame))
        {
            Value::tainted(Taint::from_source(source, name.clone(), node.byte_range()))
        } else if let Some(source) = method.as_deref().and_then(known::source_method) {
            let label: String = self.text(func).split_whitespace().collect();
            Value::tainted(Taint::from_source(source, label, node.byte_range()))
        } else {
            // Secrets stay secret through string building only: a client made with a key does
            // not show the key.
            let arg_taint = if known::keeps_text(&name, method.as_deref()) {
                arg_taint.clone()
            } else if !callee.taint.is_tainted()
                && known::is_record_lookup(&name, method.as_deref(), kind == CallKind::Method)
            {
                lookup_taint(&args, method.as_deref())
            } else {
                arg_taint.clone().without(SourceKind::Credential)
            };
            let mut value = Value::tainted(callee.taint.clone().merged(&arg_taint));
            value.constant = self.call_constant(method.as_deref(), receiver.as_ref(), &name, &args);
            value.type_name = result_type(&name, kind);
            value
        };
        let result = if method.as_deref() == Some("replace") && removes_line_breaks(&args) {
            let taint = result
                .taint
                .clone()
                .sanitized(SinkSet::of(&[SinkKind::Log]));
            Value { taint, ..result }
        } else {
            result
        };
        if method.as_deref().is_some_and(known::is_container_insert) {
            if let Some(object) =
                field_at(self.index, func, ids::fields().object).and_then(|o| self.dotted(o))
            {
                if self.is_variable(&object, frame) || frame.env.contains_key(&object) {
                    let mut container = self.lookup(&object, frame).unwrap_or_default();
                    container.taint.merge(&arg_taint);
                    container.constant = None;
                    frame.env.insert(object.into_owned(), container);
                }
            }
        }
        // Only the last pass records calls: the summary passes skip building the record.
        if self.record {
            self.record_call(Call {
                range: node.byte_range(),
                callee_range: func.byte_range(),
                name,
                kind,
                receiver,
                args,
            });
        }
        result
    }

    /// The callee's qualified name, call kind, receiver value, own value (for sources reached
    /// through attributes) and method name.
    fn resolve_callee(
        &mut self,
        func: Node<'_>,
        frame: &mut Frame,
        depth: usize,
    ) -> (String, CallKind, Option<Value>, Value, Option<String>) {
        match func.k() {
            "identifier" => {
                let written = self.text(func);
                if self.is_variable(written, frame) {
                    let value = self.lookup(written, frame).unwrap_or_default();
                    (written.to_string(), CallKind::Function, None, value, None)
                } else {
                    let value = self.eval_name(func, frame);
                    (
                        self.imports.qualify(written),
                        CallKind::Function,
                        None,
                        value,
                        None,
                    )
                }
            }
            "attribute" => {
                let attribute = field_at(self.index, func, ids::fields().attribute)
                    .map(|a| self.text(a).to_string())
                    .unwrap_or_default();
                let Some(object) = field_at(self.index, func, ids::fields().object) else {
                    return (attribute, CallKind::Function, None, Value::default(), None);
                };
                let object_value = self.eval(object, frame, depth);
                let callee = self.attribute_of(&object_value, &attribute, func);
                let object_path = self.dotted(object);
                if let Some(path) = object_path
                    .as_deref()
                    .and_then(|p| self.imported_path(p, frame))
                {
                    let name = join_dotted(&path, &attribute);
                    return (name, CallKind::Function, None, callee, Some(attribute));
                }
                let object_name = object_value.type_name.clone().unwrap_or_else(|| {
                    object_path
                        .map(Cow::into_owned)
                        .unwrap_or_else(|| self.text(object).split_whitespace().collect())
                });
                (
                    join_dotted(&object_name, &attribute),
                    CallKind::Method,
                    Some(object_value),
                    callee,
                    Some(attribute),
                )
            }
            _ => {
                let value = self.eval(func, frame, depth);
                let written: String = self.text(func).split_whitespace().collect();
                (written, CallKind::Function, None, value, None)
            }
        }
    }

    fn eval_args(&mut self, list: Node<'_>, frame: &mut Frame, depth: usize) -> Vec<Arg> {
        if list.k() == "generator_expression" {
            let value = self.eval(list, frame, depth);
            return vec![Arg {
                keyword: None,
                unpacked: false,
                range: list.byte_range(),
                value,
            }];
        }
        let mut args = Vec::new();
        for child in kids(self.index, list) {
            match child.k() {
                "keyword_argument" => {
                    let Some(value_node) = field_at(self.index, child, ids::fields().value) else {
                        continue;
                    };
                    let keyword = field_at(self.index, child, ids::fields().name)
                        .map(|n| self.text(n).to_string());
                    let value = self.eval(value_node, frame, depth);
                    args.push(Arg {
                        keyword,
                        unpacked: false,
                        range: value_node.byte_range(),
                        value,
                    });
                }
                "list_splat" => {
                    let value = self.eval(child, frame, depth);
                    args.push(Arg {
                        keyword: None,
                        unpacked: true,
                        range: child.byte_range(),
                        value,
                    });
                }
                "dictionary_splat" => {
                    let inner = kids(self.index, child).next();
                    match inner.filter(|i| i.k() == "dictionary") {
                        Some(dict) => self.expand_dict(dict, frame, depth, &mut args),
                        None => {
                            let value = self.eval(child, frame, depth);
                            args.push(Arg {
                                keyword: None,
                                unpacked: true,
                                range: child.byte_range(),
                                value,
                            });
                        }
                    }
                }
                _ => {
                    let value = self.eval(child, frame, depth);
                    args.push(Arg {
                        keyword: None,
                        unpacked: false,
                        range: child.byte_range(),
                        value,
                    });
                }
            }
        }
        args
    }

    /// `f(**{"shell": True})`: literal keys become keyword arguments.
    fn expand_dict(
        &mut self,
        dict: Node<'_>,
        frame: &mut Frame,
        depth: usize,
        args: &mut Vec<Arg>,
    ) {
        for item in kids(self.index, dict) {
            let (Some(key), Some(value_node)) = (
                field_at(self.index, item, ids::fields().key),
                field_at(self.index, item, ids::fields().value),
            ) else {
                let value = self.eval(item, frame, depth);
                args.push(Arg {
                    keyword: None,
                    unpacked: true,
                    range: item.byte_range(),
                    value,
                });
                continue;
            };
            let key = self.eval(key, frame, depth);
            let value = self.eval(value_node, frame, depth);
            args.push(Arg {
                keyword: key.const_str().map(str::to_string),
                unpacked: key.const_str().is_none(),
                range: value_node.byte_range(),
                value,
            });
        }
    }

    /// The summary of a same-file function called here (with its key), and how many leading
    /// parameters the call does not pass (1 for `self.method(...)`).
    fn summary_for(&self, func: Node<'_>, frame: &Frame) -> Option<(String, Arc<Summary>, usize)> {
        match func.k() {
            "identifier" => {
                let name = self.text(func);
                if self.is_variable(name, frame) || self.imports.resolve(name).is_some() {
                    return None;
                }
                self.note_read(Dep::Summary(name.to_string()));
                let found = self.summaries.get(name);
                self.reuse.borrow_mut().note_summary(name, found);
                found.map(|s| (name.to_string(), Arc::clone(s), 0))
            }
            "attribute" => {
                let object = field_at(self.index, func, ids::fields().object)?;
                let receiver = self.text(object);
                let class = if matches!(receiver, "self" | "cls") {
                    frame.class.clone()?
                } else if object.k() == "identifier" {
                    // `service.method(...)` on an instance of a class of this file.
                    self.local_class_of(receiver, frame)?
                } else {
                    return None;
                };
                let method = self.text(field_at(self.index, func, ids::fields().attribute)?);
                let key = join_dotted(&class, method);
                self.note_read(Dep::Summary(key.clone()));
                let found = self.summaries.get(&key);
                self.reuse.borrow_mut().note_summary(&key, found);
                found.map(|s| (key, Arc::clone(s), 1))
            }
            _ => None,
        }
    }

    /// The class a variable holds an instance of, when that class may be defined in this file:
    /// its value was made by calling a bare capitalised name (`service = Service(db)`). Whether
    /// the class really is this file's is decided by the summary lookup that follows.
    fn local_class_of(&self, name: &str, frame: &Frame) -> Option<String> {
        let value = match frame.env.get(name) {
            Some(value) => value,
            None if frame.kind != ScopeKind::Module => {
                self.note_global_read(name);
                self.globals.get(name)?
            }
            None => return None,
        };
        value
            .type_name
            .as_deref()
            .filter(|t| !t.contains('.'))
            .map(str::to_string)
    }

    /// Remembers the untrusted data a call passes to a same-file function, so the function's
    /// body is analysed with it in its parameters (one level of callers, context-insensitive).
    fn note_arguments(&mut self, key: &str, summary: &Summary, args: &[Arg], offset: usize) {
        let mut positional = 0usize;
        for arg in args {
            if arg.unpacked {
                continue;
            }
            let index = match &arg.keyword {
                Some(keyword) => summary.params.iter().position(|p| p == keyword),
                None => {
                    positional += 1;
                    Some(positional - 1 + offset)
                }
            };
            let Some(index) = index else {
                continue;
            };
            let real = without_parameters(&arg.value.taint);
            if real.is_tainted() {
                self.merge_argument((key.to_string(), index), &real);
                self.log_effect(|| Effect::Argument(key.to_string(), index, real.clone()));
            }
        }
    }

    /// Constant results of `str.format`, `str.join` and `str()` on constants.
    fn call_constant(
        &self,
        method: Option<&str>,
        receiver: Option<&Value>,
        name: &str,
        args: &[Arg],
    ) -> Option<Constant> {
        let receiver_str = receiver.and_then(|r| r.const_str());
        match (method, receiver_str) {
            (Some("format"), Some(fmt)) => {
                let mut positional = Vec::new();
                let mut keywords = Vec::new();
                for arg in args {
                    let constant = arg.value.constant.clone()?;
                    match (&arg.keyword, arg.unpacked) {
                        (_, true) => return None,
                        (Some(k), _) => keywords.push((k.clone(), constant)),
                        (None, _) => positional.push(constant),
                    }
                }
                constants::brace_format(fmt, &positional, &keywords).map(Constant::Str)
            }
            (Some("join"), Some(sep)) => match args {
                [arg] => match &arg.value.constant {
                    Some(Constant::List(items)) => {
                        let parts: Option<Vec<&str>> = items.iter().map(Constant::as_str).collect();
                        parts.map(|p| Constant::Str(p.join(sep)))
                    }
                    _ => None,
                },
                _ => None,
            },
            _ if name == "str" => match args {
                [arg] => arg
                    .value
                    .constant
                    .as_ref()
                    .and_then(constants::display)
                    .map(Constant::Str),
                _ => None,
            },
            _ => None,
        }
    }
}

/// `s.replace("\n", ...)`: the result keeps a log record on one line (a lone `\r` does not start
/// a new line in a log file).
fn removes_line_breaks(args: &[Arg]) -> bool {
    args.first()
        .and_then(|a| a.value.const_str())
        .is_some_and(|old| old.contains('\n'))
}

/// What a record lookup's result keeps of its arguments' taint: only a mapping default
/// (`get(key, default)`), never the key.
fn lookup_taint(args: &[Arg], method: Option<&str>) -> Taint {
    let mut taint = Taint::clean();
    if known::lookup_keeps_default(method) {
        for arg in args
            .iter()
            .filter(|a| a.keyword.is_none() || a.unpacked)
            .skip(1)
        {
            taint.merge(&arg.value.taint);
        }
        for arg in args
            .iter()
            .filter(|a| a.keyword.as_deref() == Some("default"))
        {
            taint.merge(&arg.value.taint);
        }
    }
    taint
}

/// The type of a call's result when it is known: factories and classes (capitalised last
/// segment) reached through an import.
fn result_type(name: &str, kind: CallKind) -> Option<String> {
    if let Some(t) = known::factory_type(name) {
        return Some(t.to_string());
    }
    // A capitalised callee is a class: imported (`flask.Flask`) or, written bare and not
    // imported, possibly one of this file (`Service`).
    let last = crate::analysis::last_segment(name);
    (kind == CallKind::Function && last.chars().next().is_some_and(char::is_uppercase))
        .then(|| name.to_string())
}

/// The value a same-file function returns for these arguments: parameter placeholders are
/// replaced by the arguments' taint (keeping what the function sanitised them for).
fn apply_summary(summary: &Summary, args: &[Arg], offset: usize) -> Value {
    let mut taint = Taint::clean();
    let mut from_params = false;
    for origin in summary.ret.taint.origins() {
        if origin.kind != SourceKind::Parameter {
            taint.merge(
                &Taint::from_source(origin.kind, origin.label.clone(), origin.range.clone())
                    .sanitized(origin.sanitized),
            );
            continue;
        }
        from_params = true;
        let Some(index) = origin
            .label
            .strip_prefix('#')
            .and_then(|i| i.parse::<usize>().ok())
        else {
            continue;
        };
        let param = summary.params.get(index).map(String::as_str);
        let by_keyword = args
            .iter()
            .find(|a| a.keyword.is_some() && a.keyword.as_deref() == param);
        let by_position = index.checked_sub(offset).and_then(|i| {
            args.iter()
                .filter(|a| a.keyword.is_none() && !a.unpacked)
                .nth(i)
        });
        match by_keyword.or(by_position) {
            Some(arg) => taint.merge(&arg.value.taint.clone().sanitized(origin.sanitized)),
            None => {
                for arg in args.iter().filter(|a| a.unpacked) {
                    taint.merge(&arg.value.taint.clone().sanitized(origin.sanitized));
                }
            }
        }
    }
    Value {
        constant: if from_params {
            None
        } else {
            summary.ret.constant.clone()
        },
        taint,
        type_name: summary.ret.type_name.clone(),
        // Element values are only meaningful when no argument flows into the result.
        fields: if from_params {
            Vec::new()
        } else {
            summary.ret.fields.clone()
        },
    }
}

/// The origins of a taint that are real sources (not placeholders for parameters).
pub fn without_parameters(taint: &Taint) -> Taint {
    let mut out = Taint::clean();
    for origin in taint.origins() {
        if origin.kind != SourceKind::Parameter {
            out.merge(
                &Taint::from_source(origin.kind, origin.label.clone(), origin.range.clone())
                    .sanitized(origin.sanitized),
            );
        }
    }
    out
}
