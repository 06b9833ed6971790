//! The variable environment of the flow-sensitive walk: a stack of frames, where a frame is pushed
//! for a function body or for one arm of a branch, so that a branch's writes can be collected and
//! merged without copying the whole environment.

use super::FastMap as HashMap;
use crate::analysis::{Constant, Value};

/// Variables bound to their current values.
#[derive(Debug, Default)]
pub(super) struct Env {
    frames: Vec<HashMap<String, Value>>,
}

impl Env {
    /// An environment with one (module) frame.
    pub(super) fn new() -> Self {
        Self {
            frames: vec![HashMap::default()],
        }
    }

    /// The current value of `name`, if it is bound anywhere.
    pub(super) fn get(&self, name: &str) -> Option<&Value> {
        self.frames.iter().rev().find_map(|f| f.get(name))
    }

    /// Binds or overwrites `name` in the innermost frame.
    pub(super) fn set(&mut self, name: &str, value: Value) {
        if let Some(frame) = self.frames.last_mut() {
            frame.insert(name.to_string(), value);
        }
    }

    /// Starts a frame (a function body or a branch arm).
    pub(super) fn push(&mut self) {
        self.frames.push(HashMap::default());
    }

    /// Ends the innermost frame, returning what was written in it. The module frame is never
    /// popped.
    pub(super) fn pop(&mut self) -> HashMap<String, Value> {
        if self.frames.len() > 1 {
            self.frames.pop().unwrap_or_default()
        } else {
            HashMap::default()
        }
    }

    /// Writes the join of two branch arms' changes into the innermost frame: a variable written in
    /// only one arm keeps its old value on the other path.
    pub(super) fn join(&mut self, a: HashMap<String, Value>, mut b: HashMap<String, Value>) {
        let mut merged = Vec::new();
        for (name, va) in a {
            let other = b
                .remove(&name)
                .or_else(|| self.get(&name).cloned())
                .unwrap_or_default();
            merged.push((name, merge(&va, &other)));
        }
        for (name, vb) in b {
            let other = self.get(&name).cloned().unwrap_or_default();
            merged.push((name, merge(&vb, &other)));
        }
        for (name, value) in merged {
            self.set(&name, value);
        }
    }

    /// Writes one arm's changes into the innermost frame as they are (the other path exits).
    pub(super) fn apply(&mut self, changes: HashMap<String, Value>) {
        for (name, value) in changes {
            self.set(&name, value);
        }
    }
}

/// The value of a variable that may hold `a` or `b`: taint of both, a constant only if equal.
pub(super) fn merge(a: &Value, b: &Value) -> Value {
    let constant = match (&a.constant, &b.constant) {
        (Some(x), Some(y)) if x == y => Some(x.clone()),
        _ => None,
    };
    let type_name = match (&a.type_name, &b.type_name) {
        (Some(x), Some(y)) if x == y => Some(x.clone()),
        (Some(x), None) | (None, Some(x)) => Some(x.clone()),
        _ => None,
    };
    let mut fields: Vec<(String, Value)> = Vec::new();
    // A field set on one path only may be missing on the other: its taint is kept, its constant
    // is not (`if (c) opts.rejectUnauthorized = false;` does not make it always false).
    let maybe = |v: &Value| Value {
        constant: None,
        ..v.clone()
    };
    for (key, va) in &a.fields {
        match b.field(key) {
            Some(vb) => fields.push((key.clone(), merge(va, vb))),
            None => fields.push((key.clone(), maybe(va))),
        }
    }
    for (key, vb) in &b.fields {
        if a.field(key).is_none() {
            fields.push((key.clone(), maybe(vb)));
        }
    }
    Value {
        constant,
        taint: a.taint.clone().merged(&b.taint),
        type_name,
        fields,
    }
}

/// The string form of a constant as JavaScript's `+` and template literals would produce it.
pub(super) fn to_js_string(constant: &Constant) -> Option<String> {
    Some(match constant {
        Constant::Str(s) => s.clone(),
        Constant::Int(i) => i.to_string(),
        Constant::Float(f) => f.to_string(),
        Constant::Bool(b) => b.to_string(),
        Constant::Null => "null".to_string(),
        Constant::List(items) => items
            .iter()
            .map(to_js_string)
            .collect::<Option<Vec<_>>>()?
            .join(","),
    })
}
