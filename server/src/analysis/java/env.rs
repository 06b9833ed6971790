//! The abstract state of a method at one program point: what each local (and `this.field`) holds,
//! and how two states merge where control flow joins.

use std::collections::HashMap;

use crate::analysis::Value;

/// Values of locals, parameters and `this.<field>` keys at one point of a method.
pub type Env = HashMap<String, Value>;

/// The value after two paths join: taint of both, a constant only when both agree, the first
/// known type, and element/field values merged by key.
pub fn merge_values(a: &Value, b: &Value) -> Value {
    let mut out = a.clone();
    merge_into(&mut out, b);
    out
}

/// Merges `b` into `a` (see [`merge_values`]).
pub fn merge_into(a: &mut Value, b: &Value) {
    a.taint.merge(&b.taint);
    if a.constant != b.constant {
        a.constant = None;
    }
    if a.type_name.is_none() {
        a.type_name.clone_from(&b.type_name);
    }
    for (key, value) in &b.fields {
        match a.fields.iter_mut().find(|(k, _)| k == key) {
            Some((_, existing)) => merge_into(existing, value),
            None => a.fields.push((key.clone(), value.clone())),
        }
    }
}

/// The state after two paths join: every variable of either, values merged.
pub fn merge_envs(a: &mut Env, b: &Env) {
    for (name, value) in b {
        match a.get_mut(name) {
            Some(existing) => merge_into(existing, value),
            None => {
                a.insert(name.clone(), value.clone());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{Constant, SourceKind, Taint};

    #[test]
    fn merge_keeps_taint_and_agreeing_constants() {
        let tainted = Value::tainted(Taint::from_source(SourceKind::Request, "p", 0..1));
        let constant = Value::constant(Constant::Str("a".into()));
        let merged = merge_values(&constant, &tainted);
        assert!(merged.taint.is_tainted());
        assert_eq!(merged.constant, None);
        let same = merge_values(&constant, &constant);
        assert_eq!(same.constant, Some(Constant::Str("a".into())));
    }
}
