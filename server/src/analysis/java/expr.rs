//! The expression half of the interpreter: values (constants, taint, types) of expressions, calls
//! resolved and recorded with their argument values, assignments and stores.

use tree_sitter::Node;

use super::env::{merge_into, merge_values, Env};
use super::ids::{is_comment, Kind, F};
use super::interp::{substitute, Interp};
use super::literals::{display, format, int_value, string_value};
use super::names::{compact, looks_like_class};
use super::{model, resolve_type};
use crate::analysis::{
    Arg, Call, CallKind, Constant, SinkKind, SinkSet, SourceKind, Store, Taint, Value,
};
use crate::lang::syntax::MAX_DEPTH;

const STRING: &str = "java.lang.String";

/// Whether a node kind is an expression the interpreter evaluates.
pub(super) fn is_expression(kind: &str) -> bool {
    matches!(
        kind,
        "method_invocation"
            | "object_creation_expression"
            | "assignment_expression"
            | "update_expression"
            | "lambda_expression"
            | "binary_expression"
            | "ternary_expression"
            | "cast_expression"
            | "array_creation_expression"
            | "instanceof_expression"
            | "unary_expression"
            | "field_access"
            | "array_access"
            | "identifier"
            | "string_literal"
            | "argument_list"
    )
}

/// What a call's callee resolved to.
struct Callee {
    name: String,
    kind: CallKind,
    receiver: Option<Value>,
    /// The variable (or `this.field`) the receiver is, for methods that store into it.
    receiver_var: Option<String>,
    /// A call of a method declared in this file (no receiver or `this`).
    local: bool,
}

impl Interp<'_> {
    /// The value of an expression at this point; records the calls inside it.
    pub(super) fn eval(&mut self, node: Node<'_>, env: &mut Env, depth: usize) -> Value {
        if depth > MAX_DEPTH {
            return Value::default();
        }
        let d = depth + 1;
        match node.kind_name() {
            "string_literal" => Value {
                constant: string_value(node, self.source).map(Constant::Str),
                type_name: Some(STRING.to_string()),
                ..Value::default()
            },
            "decimal_integer_literal" | "hex_integer_literal" => Value {
                constant: int_value(self.text(node)).map(Constant::Int),
                ..Value::default()
            },
            "true" => Value::constant(Constant::Bool(true)),
            "false" => Value::constant(Constant::Bool(false)),
            "null_literal" => Value::constant(Constant::Null),
            "identifier" => self.lookup(self.text(node), env),
            "this" => Value::default(),
            "field_access" => self.eval_field_access(node, env, d),
            "parenthesized_expression" => node
                .named_child(0)
                .map(|e| self.eval(e, env, d))
                .unwrap_or_default(),
            "binary_expression" => self.eval_binary(node, env, d),
            "unary_expression" => self.eval_unary(node, env, d),
            "ternary_expression" => self.eval_ternary(node, env, d),
            "assignment_expression" => self.eval_assignment(node, env, d),
            "method_invocation" => self.eval_call(node, env, d),
            "object_creation_expression" => self.eval_new(node, env, d),
            "array_creation_expression" => {
                let type_name = node
                    .child_by_field_id(F.type_)
                    .map(|t| format!("{}[]", resolve_type(self.text(t), &self.model.imports)));
                let mut value = node
                    .child_by_field_id(F.value)
                    .map(|v| self.eval(v, env, d))
                    .unwrap_or_default();
                if node.child_by_field_id(F.value).is_none() {
                    // `new T[n]`: evaluate the dimension for its calls only.
                    self.eval_children(node, env, d);
                }
                value.type_name = type_name;
                value
            }
            "array_initializer" => self.eval_elements(node, env, d),
            "array_access" => {
                let array = node
                    .child_by_field_id(F.array)
                    .map(|a| self.eval(a, env, d))
                    .unwrap_or_default();
                let index = node
                    .child_by_field_id(F.index)
                    .map(|i| self.eval(i, env, d))
                    .unwrap_or_default();
                let element = match index.constant {
                    Some(Constant::Int(i)) => array.field(&i.to_string()).cloned(),
                    _ => None,
                };
                element.unwrap_or_else(|| Value {
                    taint: array.taint.clone(),
                    type_name: array
                        .type_name
                        .as_deref()
                        .and_then(|t| t.strip_suffix("[]"))
                        .map(str::to_string),
                    ..Value::default()
                })
            }
            "cast_expression" => {
                let mut value = node
                    .child_by_field_id(F.value)
                    .map(|v| self.eval(v, env, d))
                    .unwrap_or_default();
                let ty = node.child_by_field_id(F.type_).map_or("", |t| self.text(t));
                if matches!(
                    ty,
                    "int" | "long" | "short" | "byte" | "double" | "float" | "char"
                ) {
                    value.taint = Taint::clean();
                }
                value.type_name = Some(resolve_type(ty, &self.model.imports));
                value
            }
            "lambda_expression" => {
                self.eval_lambda(node, env, &Taint::clean(), d);
                Value::default()
            }
            "switch_expression" => self.eval_switch(node, env, d),
            "instanceof_expression" | "update_expression" => {
                self.eval_children(node, env, d);
                Value::default()
            }
            "character_literal" => Value {
                constant: string_value_of_char(self.text(node)).map(Constant::Str),
                ..Value::default()
            },
            "class_literal" | "method_reference" => Value::default(),
            _ => self.eval_children(node, env, d),
        }
    }

    /// Evaluates every named child, returning a value with their merged taint.
    fn eval_children(&mut self, node: Node<'_>, env: &mut Env, depth: usize) -> Value {
        let mut cursor = node.walk();
        let children: Vec<Node<'_>> = node
            .named_children(&mut cursor)
            .filter(|c| !is_comment(*c))
            .collect();
        let mut out = Value::default();
        for child in children {
            let value = self.eval(child, env, depth);
            out.taint.merge(&value.taint);
        }
        out
    }

    /// A name: a local or parameter, then `this.<name>` as assigned in this method, then a field
    /// of the file, then a statically imported constant.
    fn lookup(&self, name: &str, env: &Env) -> Value {
        if let Some(value) = env.get(name) {
            return value.clone();
        }
        if let Some(value) = env.get(&format!("this.{name}")) {
            return value.clone();
        }
        if let Some(field) = self.model.fields.get(name) {
            return Value {
                constant: field.constant.clone(),
                type_name: field.type_name.clone(),
                ..Value::default()
            };
        }
        match self
            .model
            .imports
            .resolve(name)
            .and_then(model::known_constant)
        {
            Some(constant) => Value::constant(Constant::Str(constant.to_string())),
            None => Value::default(),
        }
    }

    /// The qualified class a receiver expression names (`MessageDigest`, `java.sql.DriverManager`),
    /// when it is not a variable.
    fn class_of(&self, node: Node<'_>, env: &Env) -> Option<String> {
        if !matches!(
            node.kind_name(),
            "identifier" | "field_access" | "scoped_identifier"
        ) {
            return None;
        }
        let dotted = compact(self.text(node));
        let head = dotted.split('.').next().unwrap_or("");
        let is_variable = env.contains_key(head)
            || env.contains_key(&format!("this.{head}"))
            || self.model.fields.contains_key(head);
        if is_variable || head == "this" || head == "super" {
            return None;
        }
        // `Owner.CONSTANT` is a field of a class, not a class.
        if let Some((owner, last)) = dotted.rsplit_once('.') {
            let constant_like = last
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
            if constant_like && looks_like_class(owner) {
                return None;
            }
        }
        if self.model.imports.resolve(head).is_some() {
            return Some(self.model.imports.qualify(&dotted));
        }
        if !looks_like_class(&dotted) {
            return None;
        }
        let resolved = resolve_type(&dotted, &self.model.imports);
        Some(resolved)
    }

    fn eval_field_access(&mut self, node: Node<'_>, env: &mut Env, depth: usize) -> Value {
        let field = node.child_by_field_id(F.field).map_or("", |f| self.text(f));
        let Some(object) = node.child_by_field_id(F.object) else {
            return Value::default();
        };
        if object.kind_name() == "this" {
            return self.lookup(field, env);
        }
        if let Some(class) = self.class_of(object, env) {
            let qualified = format!("{class}.{field}");
            if qualified == "java.lang.System.in" {
                return Value {
                    taint: Taint::from_source(SourceKind::Stdin, "System.in", node.byte_range()),
                    type_name: Some("java.io.InputStream".to_string()),
                    ..Value::default()
                };
            }
            if let Some(constant) = model::known_constant(&qualified) {
                return Value::constant(Constant::Str(constant.to_string()));
            }
            let simple = class.rsplit('.').next().unwrap_or(&class);
            if self.model.classes.contains(simple) {
                return self.lookup(field, &Env::new());
            }
            return Value::default();
        }
        let object_value = self.eval(object, env, depth);
        if field == "length" {
            return Value::default();
        }
        Value::tainted(object_value.taint)
    }

    fn eval_binary(&mut self, node: Node<'_>, env: &mut Env, depth: usize) -> Value {
        let op = node
            .child_by_field_id(F.operator)
            .map_or("", |o| self.text(o));
        let left = node
            .child_by_field_id(F.left)
            .map(|l| self.eval(l, env, depth))
            .unwrap_or_default();
        // `false && x` and `true || x` do not depend on `x` (still evaluated for its calls).
        let right = node
            .child_by_field_id(F.right)
            .map(|r| self.eval(r, env, depth))
            .unwrap_or_default();
        let (lc, rc) = (left.constant.as_ref(), right.constant.as_ref());
        match op {
            "+" => {
                let is_string = left.type_name.as_deref() == Some(STRING)
                    || right.type_name.as_deref() == Some(STRING);
                let constant = match (lc, rc) {
                    (Some(Constant::Int(a)), Some(Constant::Int(b))) if !is_string => {
                        a.checked_add(*b).map(Constant::Int)
                    }
                    (Some(a), Some(b)) if is_string => concat(a, b),
                    _ => None,
                };
                Value {
                    constant,
                    taint: appended_taint(&left, &right),
                    type_name: is_string.then(|| STRING.to_string()),
                    fields: if is_string {
                        prefix_field(&left)
                    } else {
                        Vec::new()
                    },
                }
            }
            "&&" | "||" => {
                let constant = match (lc, rc) {
                    (Some(Constant::Bool(false)), _) | (_, Some(Constant::Bool(false)))
                        if op == "&&" =>
                    {
                        Some(Constant::Bool(false))
                    }
                    (Some(Constant::Bool(true)), _) | (_, Some(Constant::Bool(true)))
                        if op == "||" =>
                    {
                        Some(Constant::Bool(true))
                    }
                    (Some(Constant::Bool(a)), Some(Constant::Bool(b))) => {
                        Some(Constant::Bool(if op == "&&" { *a && *b } else { *a || *b }))
                    }
                    _ => None,
                };
                Value {
                    constant,
                    ..Value::default()
                }
            }
            "==" | "!=" => {
                let constant = match (lc, rc) {
                    (
                        Some(a @ (Constant::Int(_) | Constant::Bool(_) | Constant::Null)),
                        Some(b),
                    ) if matches!(b, Constant::Int(_) | Constant::Bool(_) | Constant::Null) => {
                        Some(Constant::Bool((a == b) == (op == "==")))
                    }
                    _ => None,
                };
                Value {
                    constant,
                    ..Value::default()
                }
            }
            "<" | ">" | "<=" | ">=" => {
                let constant = match (lc, rc) {
                    (Some(Constant::Int(a)), Some(Constant::Int(b))) => {
                        Some(Constant::Bool(match op {
                            "<" => a < b,
                            ">" => a > b,
                            "<=" => a <= b,
                            _ => a >= b,
                        }))
                    }
                    _ => None,
                };
                Value {
                    constant,
                    ..Value::default()
                }
            }
            "-" | "*" => {
                let constant = match (lc, rc) {
                    (Some(Constant::Int(a)), Some(Constant::Int(b))) => if op == "-" {
                        a.checked_sub(*b)
                    } else {
                        a.checked_mul(*b)
                    }
                    .map(Constant::Int),
                    _ => None,
                };
                Value {
                    constant,
                    ..Value::default()
                }
            }
            // Comparisons and arithmetic produce booleans and numbers: no attacker text.
            _ => Value::default(),
        }
    }

    fn eval_unary(&mut self, node: Node<'_>, env: &mut Env, depth: usize) -> Value {
        let op = node
            .child_by_field_id(F.operator)
            .map_or("", |o| self.text(o));
        let operand = node
            .child_by_field_id(F.operand)
            .map(|o| self.eval(o, env, depth))
            .unwrap_or_default();
        let constant = match (op, operand.constant) {
            ("!", Some(Constant::Bool(b))) => Some(Constant::Bool(!b)),
            ("-", Some(Constant::Int(i))) => i.checked_neg().map(Constant::Int),
            ("+", Some(c @ Constant::Int(_))) => Some(c),
            _ => None,
        };
        Value {
            constant,
            ..Value::default()
        }
    }

    fn eval_ternary(&mut self, node: Node<'_>, env: &mut Env, depth: usize) -> Value {
        let condition = node.child_by_field_id(F.condition);
        let cond = condition
            .map(|c| self.eval(c, env, depth))
            .unwrap_or_default();
        let branch = |this: &mut Self, field: u16, truth: bool| {
            let mut branch_env = env.clone();
            if let Some(condition) = condition {
                this.refine(condition, truth, &mut branch_env, depth);
            }
            node.child_by_field_id(field)
                .map(|b| this.eval(b, &mut branch_env, depth))
                .unwrap_or_default()
        };
        match cond.constant {
            Some(Constant::Bool(true)) => branch(self, F.consequence, true),
            Some(Constant::Bool(false)) => branch(self, F.alternative, false),
            _ => {
                let yes = branch(self, F.consequence, true);
                let no = branch(self, F.alternative, false);
                merge_values(&yes, &no)
            }
        }
    }

    fn eval_assignment(&mut self, node: Node<'_>, env: &mut Env, depth: usize) -> Value {
        let op = node
            .child_by_field_id(F.operator)
            .map_or("=", |o| self.text(o));
        let right = node
            .child_by_field_id(F.right)
            .map(|r| self.eval(r, env, depth))
            .unwrap_or_default();
        let Some(left) = node.child_by_field_id(F.left) else {
            return right;
        };
        let old = match left.kind_name() {
            "array_access" => Value::default(),
            _ => self.eval(left, env, depth),
        };
        let value = match op {
            "=" => right,
            "+=" => {
                let constant = match (&old.constant, &right.constant) {
                    (Some(a), Some(b)) if old.type_name.as_deref() == Some(STRING) => concat(a, b),
                    _ => None,
                };
                Value {
                    constant,
                    taint: appended_taint(&old, &right),
                    type_name: old.type_name.clone(),
                    fields: Vec::new(),
                }
            }
            _ => Value {
                type_name: old.type_name.clone(),
                ..Value::default()
            },
        };
        let mut store_target = None;
        match left.kind_name() {
            "identifier" => {
                let name = self.text(left).to_string();
                let mut stored = value.clone();
                // The declared type of the variable outlives assignments to it.
                if let Some(declared) = env.get(&name).and_then(|v| v.type_name.clone()) {
                    stored.type_name = Some(declared);
                }
                if env.contains_key(&name) {
                    env.insert(name, stored);
                } else if self.model.fields.contains_key(&name) {
                    env.insert(format!("this.{name}"), stored);
                    store_target = Some(format!("this.{name}"));
                } else {
                    env.insert(name, stored);
                }
            }
            "field_access" => {
                let object = left.child_by_field_id(F.object);
                let field = left.child_by_field_id(F.field).map_or("", |f| self.text(f));
                if object.is_some_and(|o| o.kind_name() == "this") {
                    env.insert(format!("this.{field}"), value.clone());
                }
                store_target = Some(compact(self.text(left)));
            }
            "array_access" => {
                if let Some(array) = left.child_by_field_id(F.array) {
                    let index = left
                        .child_by_field_id(F.index)
                        .map(|i| self.eval(i, env, depth))
                        .unwrap_or_default();
                    if array.kind_name() == "identifier" {
                        if let Some(existing) = env.get_mut(self.text(array)) {
                            existing.taint.merge(&value.taint);
                            existing.constant = None;
                            if let Some(Constant::Int(i)) = index.constant {
                                let key = i.to_string();
                                existing.fields.retain(|(k, _)| *k != key);
                                existing.fields.push((key, value.clone()));
                            } else {
                                existing.fields.clear();
                            }
                        }
                    }
                }
                store_target = Some(compact(self.text(left)));
            }
            _ => {}
        }
        if let Some(target) = store_target {
            self.record_store(Store {
                range: node.byte_range(),
                target_range: left.byte_range(),
                target,
                value: value.clone(),
            });
        }
        value
    }

    /// Elements of an array initialiser: fields keyed by index, constant when all are.
    fn eval_elements(&mut self, node: Node<'_>, env: &mut Env, depth: usize) -> Value {
        let mut cursor = node.walk();
        let children: Vec<Node<'_>> = node
            .named_children(&mut cursor)
            .filter(|c| !is_comment(*c))
            .collect();
        let values: Vec<Value> = children
            .into_iter()
            .map(|c| self.eval(c, env, depth))
            .collect();
        list_value(values)
    }

    /// A lambda's body is interpreted where it is written, its parameters carrying `param_taint`
    /// (the taint of the collection or value it is applied to).
    fn eval_lambda(
        &mut self,
        node: Node<'_>,
        env: &Env,
        param_taint: &Taint,
        depth: usize,
    ) -> Value {
        let mut inner = env.clone();
        let params = node.child_by_field_id(F.parameters);
        if let Some(params) = params {
            let mut names = Vec::new();
            if params.kind_name() == "identifier" {
                names.push(self.text(params).to_string());
            } else {
                let mut cursor = params.walk();
                for p in params.named_children(&mut cursor) {
                    let name = match p.kind_name() {
                        "identifier" => Some(p),
                        _ => p.child_by_field_id(F.name),
                    };
                    if let Some(name) = name {
                        names.push(self.text(name).to_string());
                    }
                }
            }
            for name in names {
                inner.insert(name, Value::tainted(param_taint.clone()));
            }
        }
        match node.child_by_field_id(F.body) {
            Some(body) => self.run_body(body, &mut inner, depth),
            None => Value::default(),
        }
    }

    fn eval_switch(&mut self, node: Node<'_>, env: &mut Env, depth: usize) -> Value {
        let subject = node
            .child_by_field_id(F.condition)
            .map(|c| self.eval(c, env, depth))
            .and_then(|v| v.constant);
        let Some(body) = node.child_by_field_id(F.body) else {
            return Value::default();
        };
        self.yields.push(Vec::new());
        let mut cursor = body.walk();
        let mut cases: Vec<Node<'_>> = body.named_children(&mut cursor).collect();
        // A constant subject selects one case (or the default): the others are dead code.
        let mut selected = false;
        if let Some(subject) = &subject {
            let chosen = cases
                .iter()
                .find(|c| self.case_matches(**c, subject, false))
                .or_else(|| cases.iter().find(|c| self.case_matches(**c, subject, true)))
                .copied();
            if let Some(chosen) = chosen {
                cases = vec![chosen];
                selected = true;
            }
        }
        let mut joined = if selected { Env::new() } else { env.clone() };
        let mut result: Option<Value> = None;
        for case in cases {
            let mut case_env = env.clone();
            let mut falls = true;
            let mut inner = case.walk();
            let parts: Vec<Node<'_>> = case.named_children(&mut inner).collect();
            for part in parts {
                match part.kind_name() {
                    "switch_label" => {}
                    "expression_statement" if case.kind_name() == "switch_rule" => {
                        if let Some(expr) = part.named_child(0) {
                            let value = self.eval(expr, &mut case_env, depth);
                            merge_option(&mut result, value);
                        }
                    }
                    _ if case.kind_name() == "switch_rule"
                        && super::expr::is_expression(part.kind_name()) =>
                    {
                        let value = self.eval(part, &mut case_env, depth);
                        merge_option(&mut result, value);
                    }
                    _ => {
                        if falls {
                            falls = self.exec(part, &mut case_env, depth);
                        }
                    }
                }
            }
            super::env::merge_envs(&mut joined, &case_env);
        }
        *env = joined;
        for value in self.yields.pop().unwrap_or_default() {
            merge_option(&mut result, value);
        }
        result.unwrap_or_default()
    }

    /// Whether a case's label names `subject` (or, with `default`, is the default label).
    fn case_matches(&mut self, case: Node<'_>, subject: &Constant, default: bool) -> bool {
        let mut cursor = case.walk();
        let labels: Vec<Node<'_>> = case
            .named_children(&mut cursor)
            .filter(|c| c.kind_name() == "switch_label")
            .collect();
        labels.into_iter().any(|label| {
            if default {
                return self.text(label).trim_start().starts_with("default");
            }
            let mut inner = label.walk();
            let values: Vec<Node<'_>> = label.named_children(&mut inner).collect();
            values
                .into_iter()
                .any(|v| self.constant_of(v).as_ref() == Some(subject))
        })
    }

    fn eval_new(&mut self, node: Node<'_>, env: &mut Env, depth: usize) -> Value {
        let type_node = node.child_by_field_id(F.type_);
        let name = type_node
            .map(|t| resolve_type(self.text(t), &self.model.imports))
            .unwrap_or_default();
        let args = self.eval_args(node, env, &Taint::clean(), depth);
        let mut taint = Taint::clean();
        for arg in &args {
            taint.merge(&arg.value.taint);
        }
        if model::sanitizer(&name, None, "").is_some() {
            taint = Taint::clean();
        }
        let constant = match (name.as_str(), args.first()) {
            ("java.lang.String" | "java.lang.StringBuilder" | "java.lang.StringBuffer", None) => {
                Some(Constant::Str(String::new()))
            }
            (
                "java.lang.String" | "java.lang.StringBuilder" | "java.lang.StringBuffer",
                Some(a),
            ) if args.len() == 1 => a
                .value
                .constant
                .clone()
                .filter(|c| matches!(c, Constant::Str(_))),
            _ => None,
        };
        let callee_end = node
            .child_by_field_id(F.arguments)
            .map_or(node.end_byte(), |a| a.start_byte());
        let fresh_collection = args.is_empty()
            && name.starts_with("java.util.")
            && (name.ends_with("List") || name.ends_with("Map"));
        let fields = if fresh_collection {
            vec![(EXACT.to_string(), Value::default())]
        } else if name.starts_with("java.util.") && name.contains("List") {
            // A copy of a literal list keeps its elements.
            args.first()
                .map(|a| a.value.fields.clone())
                .unwrap_or_default()
        } else {
            Vec::new()
        };
        self.record_call(Call {
            range: node.byte_range(),
            callee_range: node.start_byte()..callee_end,
            name: name.clone(),
            kind: CallKind::Constructor,
            receiver: None,
            args,
        });
        Value {
            constant,
            taint,
            type_name: (!name.is_empty()).then_some(name),
            fields,
        }
    }

    /// Evaluates the arguments of a call; lambdas among them see `lambda_taint` in their
    /// parameters.
    fn eval_args(
        &mut self,
        call: Node<'_>,
        env: &mut Env,
        lambda_taint: &Taint,
        depth: usize,
    ) -> Vec<Arg> {
        let Some(list) = call.child_by_field_id(F.arguments) else {
            return Vec::new();
        };
        let mut cursor = list.walk();
        let children: Vec<Node<'_>> = list
            .named_children(&mut cursor)
            .filter(|c| !is_comment(*c))
            .collect();
        children
            .into_iter()
            .map(|child| {
                let value = if child.kind_name() == "lambda_expression" {
                    self.eval_lambda(child, env, lambda_taint, depth);
                    Value::default()
                } else {
                    self.eval(child, env, depth)
                };
                Arg {
                    keyword: None,
                    unpacked: false,
                    range: child.byte_range(),
                    value,
                }
            })
            .collect()
    }

    fn resolve_callee(
        &mut self,
        node: Node<'_>,
        method: &str,
        env: &mut Env,
        depth: usize,
    ) -> Callee {
        let Some(object) = node.child_by_field_id(F.object) else {
            let name = self
                .model
                .imports
                .resolve(method)
                .map_or_else(|| method.to_string(), str::to_string);
            return Callee {
                local: name == method,
                name,
                kind: CallKind::Function,
                receiver: None,
                receiver_var: None,
            };
        };
        if let Some(class) = self.class_of(object, env) {
            let simple = class.rsplit('.').next().unwrap_or(&class).to_string();
            return Callee {
                name: format!("{class}.{method}"),
                kind: CallKind::Function,
                receiver: None,
                receiver_var: None,
                local: self.model.classes.contains(&simple),
            };
        }
        if object.kind_name() == "this" {
            return Callee {
                name: method.to_string(),
                kind: CallKind::Method,
                receiver: Some(Value::default()),
                receiver_var: None,
                local: true,
            };
        }
        let receiver = self.eval(object, env, depth);
        let receiver_var = match object.kind_name() {
            "identifier" => {
                let name = self.text(object);
                if env.contains_key(name) {
                    Some(name.to_string())
                } else {
                    Some(format!("this.{name}"))
                }
            }
            "field_access"
                if object
                    .child_by_field_id(F.object)
                    .is_some_and(|o| o.kind_name() == "this") =>
            {
                object
                    .child_by_field_id(F.field)
                    .map(|f| format!("this.{}", self.text(f)))
            }
            _ => None,
        };
        let head = receiver
            .type_name
            .clone()
            .unwrap_or_else(|| compact(self.text(object)));
        Callee {
            name: format!("{head}.{method}"),
            kind: CallKind::Method,
            receiver: Some(receiver),
            receiver_var,
            local: false,
        }
    }

    fn eval_call(&mut self, node: Node<'_>, env: &mut Env, depth: usize) -> Value {
        let method = node
            .child_by_field_id(F.name)
            .map_or("", |n| self.text(n))
            .to_string();
        let callee = self.resolve_callee(node, &method, env, depth);
        let receiver_taint = callee
            .receiver
            .as_ref()
            .map(|r| r.taint.clone())
            .unwrap_or_default();
        let args = self.eval_args(node, env, &receiver_taint, depth);
        let receiver_type = callee.receiver.as_ref().and_then(|r| r.type_name.clone());
        let mut result = Value {
            type_name: model::return_type(&callee.name, receiver_type.as_deref(), &method),
            ..Value::default()
        };
        let mut flowing = receiver_taint.clone();
        for arg in &args {
            flowing.merge(&arg.value.taint);
        }
        let callee_end = node
            .child_by_field_id(F.arguments)
            .map_or(node.end_byte(), |a| a.start_byte());
        let summary = callee
            .local
            .then(|| self.model.summaries.get(&(method.clone(), args.len())))
            .flatten();
        if let Some(kind) = model::source_of(&callee.name, receiver_type.as_deref(), &method) {
            let label = compact(self.source.get(node.start_byte()..callee_end).unwrap_or(""));
            result.taint = Taint::from_source(kind, label, node.byte_range())
                .sanitized(model::source_safe_for(kind, &method));
        } else if let Some(kinds) =
            model::sanitizer(&callee.name, receiver_type.as_deref(), &method)
        {
            if kinds != SinkSet::ALL {
                result.taint = flowing.sanitized(kinds);
            }
        } else if let Some(summary) = summary {
            result.taint = summary.source.clone();
            for (arg, flow) in args.iter().zip(&summary.params_to_return) {
                if let Some(sanitized) = flow {
                    result
                        .taint
                        .merge(&arg.value.taint.clone().sanitized(*sanitized));
                }
            }
            let caller_taints: Vec<Taint> = args.iter().map(|a| a.value.taint.clone()).collect();
            for inner in &summary.param_calls {
                let mut replayed = inner.clone();
                for arg in &mut replayed.args {
                    arg.value.taint = substitute(&arg.value.taint, &caller_taints);
                }
                if let Some(receiver) = replayed.receiver.as_mut() {
                    receiver.taint = substitute(&receiver.taint, &caller_taints);
                }
                self.record_call(replayed);
            }
            result.constant.clone_from(&summary.constant);
            if result.type_name.is_none() {
                result.type_name.clone_from(&summary.return_type);
            }
        } else if callee.kind == CallKind::Method && model::is_lookup(&method) {
            // A lookup returns what the container holds, not the key it was asked for.
            result.taint = receiver_taint.clone();
            if method == "getOrDefault" {
                if let Some(default) = args.get(1) {
                    result.taint.merge(&default.value.taint);
                }
            }
        } else if !model::returns_clean(&method) {
            result.taint = flowing;
        }
        if matches!(method.as_str(), "getProperty" | "getOrDefault") && args.len() == 2 {
            if let Some(default) = args.get(1).and_then(|a| a.value.constant.clone()) {
                result
                    .fields
                    .push((super::DEFAULT_FIELD.to_string(), Value::constant(default)));
            }
        }
        if removes_line_breaks(&method, &args) {
            result.taint = std::mem::take(&mut result.taint)
                .sanitized(SinkSet::of(&[SinkKind::Log, SinkKind::Header]));
        }
        if is_normalizing(&method) {
            // Remembered so that a later `startsWith` check validates the path (see `refine`).
            result
                .fields
                .push((NORMALIZED.to_string(), Value::default()));
            if let Some(var) = &callee.receiver_var {
                result
                    .fields
                    .push((format!("{NORMALIZED_OF}{var}"), Value::default()));
            }
        }
        if result.constant.is_none() {
            result.constant = fold_call(&callee.name, &method, callee.receiver.as_ref(), &args);
        }
        if result.constant.is_some() && result.type_name.is_none() {
            result.type_name = Some(STRING.to_string());
        }
        // Builders and collections take the data stored into them.
        if model::stores_into_receiver(&method) {
            if let Some(var) = &callee.receiver_var {
                let mut updated = callee.receiver.clone().unwrap_or_default();
                for arg in &args {
                    updated.taint.merge(&arg.value.taint);
                }
                let appended = match (&updated.constant, args.first()) {
                    (Some(a), Some(b)) if method == "append" && args.len() == 1 => {
                        b.value.constant.as_ref().and_then(|b| concat(a, b))
                    }
                    _ => None,
                };
                updated.constant = appended;
                store_element(&mut updated, &method, &args);
                if method == "append" || method == "insert" {
                    result.constant.clone_from(&updated.constant);
                    result.fields.clear();
                }
                env.insert(var.clone(), updated);
            }
        }
        // Elements of a collection built in this method are read back exactly.
        if let Some(element) = read_element(callee.receiver.as_ref(), &method, &args) {
            result = element;
        }
        if method == "remove" {
            if let (Some(var), Some(key)) = (&callee.receiver_var, args.first()) {
                if let Some(collection) = env.get_mut(var) {
                    remove_element(collection, key.value.constant.as_ref());
                }
            }
        }
        if method == "toString" && callee.receiver.is_some() {
            result.constant = callee.receiver.as_ref().and_then(|r| r.constant.clone());
        }
        if matches!(
            callee.name.as_str(),
            "java.util.Arrays.asList" | "java.util.List.of"
        ) {
            let values = args.iter().map(|a| a.value.clone()).collect();
            result = Value {
                type_name: Some("java.util.List".to_string()),
                ..list_value(values)
            };
        }
        self.record_call(Call {
            range: node.byte_range(),
            callee_range: node.start_byte()..callee_end,
            name: callee.name,
            kind: callee.kind,
            receiver: callee.receiver,
            args,
        });
        result
    }
}

/// The field marking a path that was normalised (`normalize()`, `getCanonicalPath()`), so that a
/// `startsWith` check on it confines it to a directory.
pub(super) const NORMALIZED: &str = "#normalized";

/// The field naming the variable a normalised path was computed from (`#normalized-of:file`).
pub(super) const NORMALIZED_OF: &str = "#normalized-of:";

/// Whether a method returns the normalised form of its receiver path.
fn is_normalizing(method: &str) -> bool {
    matches!(
        method,
        "normalize" | "toRealPath" | "getCanonicalPath" | "getCanonicalFile"
    )
}

/// Whether a call is `s.replace("\n", ...)`-like: a replacement whose constant pattern matches line
/// breaks (`"\n"`, `'\r'`, `"[\\r\\n]"`, `"\\R"`, `"\\s"`), so the result cannot forge a new log
/// line or header.
fn removes_line_breaks(method: &str, args: &[Arg]) -> bool {
    if !matches!(method, "replace" | "replaceAll") || args.len() != 2 {
        return false;
    }
    let Some(pattern) = args.first().and_then(|a| a.value.const_str()) else {
        return false;
    };
    let literal = pattern.contains('\n') || pattern.contains('\r');
    let regex = method == "replaceAll"
        && ["\\n", "\\r", "\\R", "\\s", "\\v"]
            .iter()
            .any(|p| pattern.contains(p));
    literal || regex
}

/// Whether a constant prefix fixes where a URL points: an absolute URL whose host is complete
/// (`https://api.example.com/`), or a path on this site (`/app/`, not `//` or `/\\`).
pub fn fixes_destination(prefix: &str) -> bool {
    if let Some((scheme, rest)) = prefix.split_once("://") {
        let scheme_ok = !scheme.is_empty() && scheme.bytes().all(|b| b.is_ascii_alphabetic());
        return scheme_ok && rest.find(['/', '?', '#']).is_some_and(|at| at > 0);
    }
    let mut chars = prefix.chars();
    chars.next() == Some('/') && chars.next().is_some_and(|c| c != '/' && c != '\\')
}

/// The constant text a string built by concatenation starts with, kept as the
/// [`super::PREFIX_FIELD`] field (`"Basic " + token`, `"redirect:" + url`).
fn prefix_field(left: &Value) -> Vec<(String, Value)> {
    let prefix = match left.constant.as_ref().and_then(Constant::as_str) {
        Some(text) => Some(Value::constant(Constant::Str(text.to_string()))),
        None => left.field(super::PREFIX_FIELD).cloned(),
    };
    prefix
        .map(|p| vec![(super::PREFIX_FIELD.to_string(), p)])
        .unwrap_or_default()
}

/// The taint of `right` appended to `left`: a constant prefix fixing the destination makes the
/// rest safe as a URL.
fn appended_taint(left: &Value, right: &Value) -> Taint {
    let prefix = left.constant.as_ref().and_then(Constant::as_str);
    let right_taint = if prefix.is_some_and(fixes_destination) {
        right.taint.clone().sanitized(SinkSet::of(&[SinkKind::Url]))
    } else {
        right.taint.clone()
    };
    left.taint.clone().merged(&right_taint)
}

/// The field marking a list or map created empty in this method, whose elements the analysis
/// has seen stored one by one (so reading one back by a constant index or key is exact).
const EXACT: &str = "#exact";

/// Whether a value is a collection whose elements are all known.
fn is_exact(value: &Value) -> bool {
    value.fields.iter().any(|(k, _)| k == EXACT)
}

/// The number of list elements known for a value.
fn element_count(value: &Value) -> usize {
    value
        .fields
        .iter()
        .filter(|(k, _)| k.parse::<usize>().is_ok())
        .count()
}

/// Records `list.add(x)` / `map.put("k", x)` on an exactly known collection; anything else
/// forgets the elements.
fn store_element(collection: &mut Value, method: &str, args: &[Arg]) {
    let exact = is_exact(collection);
    match (method, args) {
        ("add", [element]) if exact => {
            let index = element_count(collection).to_string();
            collection.fields.push((index, element.value.clone()));
        }
        ("put", [key, element]) if exact => match key.value.const_str() {
            Some(key) => {
                let key = format!("={key}");
                collection.fields.retain(|(k, _)| *k != key);
                collection.fields.push((key, element.value.clone()));
            }
            None => collection.fields.clear(),
        },
        _ => collection.fields.clear(),
    }
}

/// `list.get(0)` / `map.get("k")` on an exactly known collection.
fn read_element(receiver: Option<&Value>, method: &str, args: &[Arg]) -> Option<Value> {
    let receiver = receiver.filter(|r| is_exact(r))?;
    if method != "get" || args.len() != 1 {
        return None;
    }
    let key = match args.first()?.value.constant.as_ref()? {
        Constant::Int(i) => i.to_string(),
        Constant::Str(s) => format!("={s}"),
        _ => return None,
    };
    receiver.field(&key).cloned()
}

/// `list.remove(i)` shifts later elements down; `map.remove("k")` drops the key.
fn remove_element(collection: &mut Value, key: Option<&Constant>) {
    if !is_exact(collection) {
        return;
    }
    match key {
        Some(Constant::Int(i)) => {
            let removed = i.to_string();
            collection.fields.retain(|(k, _)| *k != removed);
            for (k, _) in &mut collection.fields {
                if let Ok(index) = k.parse::<i64>() {
                    if index > *i {
                        *k = (index - 1).to_string();
                    }
                }
            }
        }
        Some(Constant::Str(s)) => {
            let removed = format!("={s}");
            collection.fields.retain(|(k, _)| *k != removed);
        }
        _ => collection.fields.clear(),
    }
}

/// A list of values: fields keyed by index, the merged taint, a constant list when all are.
fn list_value(values: Vec<Value>) -> Value {
    let mut taint = Taint::clean();
    let mut constants = Some(Vec::new());
    for value in &values {
        taint.merge(&value.taint);
        match (&mut constants, &value.constant) {
            (Some(list), Some(c)) => list.push(c.clone()),
            _ => constants = None,
        }
    }
    Value {
        constant: constants.map(Constant::List),
        taint,
        type_name: None,
        fields: values
            .into_iter()
            .enumerate()
            .map(|(i, v)| (i.to_string(), v))
            .collect(),
    }
}

/// The character of a simple character literal (`'B'`), as a one-character string.
fn string_value_of_char(written: &str) -> Option<String> {
    let inner = written.strip_prefix('\'')?.strip_suffix('\'')?;
    let mut chars = inner.chars();
    match (chars.next(), chars.next(), chars.next()) {
        (Some(c), None, None) if c != '\\' => Some(c.to_string()),
        (Some('\\'), Some(e), None) => {
            let c = match e {
                'n' => '\n',
                'r' => '\r',
                't' => '\t',
                '0' => '\0',
                '\\' | '\'' | '"' => e,
                _ => return None,
            };
            Some(c.to_string())
        }
        _ => None,
    }
}

/// String concatenation of two constants.
fn concat(a: &Constant, b: &Constant) -> Option<Constant> {
    Some(Constant::Str(format!("{}{}", display(a)?, display(b)?)))
}

/// Merges a value into an optional accumulated one.
fn merge_option(acc: &mut Option<Value>, value: Value) {
    match acc {
        Some(existing) => merge_into(existing, &value),
        None => *acc = Some(value),
    }
}

/// Constant results of well-known string operations on constant operands.
fn fold_call(name: &str, method: &str, receiver: Option<&Value>, args: &[Arg]) -> Option<Constant> {
    let arg = |i: usize| args.get(i).and_then(|a| a.value.constant.as_ref());
    match name {
        "java.lang.String.format" => {
            let template = arg(0)?.as_str()?;
            let rest: Vec<Option<&Constant>> = (1..args.len()).map(arg).collect();
            return format(template, &rest).map(Constant::Str);
        }
        "java.lang.String.valueOf" if args.len() == 1 => {
            return display(arg(0)?).map(Constant::Str);
        }
        _ => {}
    }
    let this = receiver?.constant.as_ref()?.as_str()?;
    let text = match method {
        "concat" => format!("{this}{}", arg(0)?.as_str()?),
        "toUpperCase" => this.to_uppercase(),
        "toLowerCase" => this.to_lowercase(),
        "trim" | "strip" => this.trim().to_string(),
        "formatted" => {
            let rest: Vec<Option<&Constant>> = (0..args.len()).map(arg).collect();
            format(this, &rest)?
        }
        "intern" | "toString" => this.to_string(),
        _ => return None,
    };
    Some(Constant::Str(text))
}
