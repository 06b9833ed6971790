//! Scopes being evaluated, and the merging of values at control-flow joins.

use crate::analysis::Value;

pub use super::env::Env;

/// What kind of scope a frame evaluates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScopeKind {
    /// Module-level code.
    Module,
    /// A class body.
    Class,
    /// A function or method body.
    Function,
}

/// The state of one scope being evaluated.
#[derive(Debug, Clone)]
pub struct Frame {
    /// Variables bound so far.
    pub env: Env,
    /// What this scope is.
    pub kind: ScopeKind,
    /// The enclosing class, for `self.method(...)` summaries.
    pub class: Option<String>,
    /// The merge of every `return`ed value so far.
    pub returns: Option<Value>,
}

impl Frame {
    /// The module scope.
    pub fn module() -> Self {
        Self {
            env: Env::default(),
            kind: ScopeKind::Module,
            class: None,
            returns: None,
        }
    }

    /// Records a returned value.
    pub fn add_return(&mut self, value: Value) {
        match &mut self.returns {
            Some(existing) => merge_value(existing, &value),
            None => self.returns = Some(value),
        }
    }
}

/// Merges what is known at a join point: taint is united, constants and types survive only when
/// both sides agree.
pub fn merge_value(into: &mut Value, other: &Value) {
    into.taint.merge(&other.taint);
    if into.constant != other.constant {
        into.constant = None;
    }
    if into.type_name != other.type_name {
        into.type_name = None;
    }
    for (key, value) in &other.fields {
        match into.fields.iter_mut().find(|(k, _)| k == key) {
            Some((_, existing)) => merge_value(existing, value),
            None => into.fields.push((key.clone(), value.clone())),
        }
    }
}
