//! Per-file semantic facts, the same shape for every language: what detectors query instead of
//! raw syntax ("is this call `subprocess.Popen` after alias resolution", "is argument 0 tainted
//! for shell commands", "is this keyword the constant `False`").

use foldhash::HashMap;
use std::ops::Range;

use super::taint::Taint;

/// A compile-time constant value.
#[derive(Debug, Clone, PartialEq)]
pub enum Constant {
    /// A string (after concatenation and formatting of constant parts).
    Str(String),
    /// An integer.
    Int(i64),
    /// A floating-point number.
    Float(f64),
    /// A boolean.
    Bool(bool),
    /// `None` / `null` / `undefined`.
    Null,
    /// A list, tuple or array whose elements are all constant.
    List(Vec<Constant>),
}

impl Constant {
    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Self::Str(s) => Some(s),
            _ => None,
        }
    }

    /// Python-style truthiness of a constant.
    pub fn is_truthy(&self) -> bool {
        match self {
            Self::Str(s) => !s.is_empty(),
            Self::Int(i) => *i != 0,
            Self::Float(f) => *f != 0.0,
            Self::Bool(b) => *b,
            Self::Null => false,
            Self::List(items) => !items.is_empty(),
        }
    }
}

/// What the analysis knows of an expression's value at the point it is used.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Value {
    /// The constant value, when it can be computed.
    pub constant: Option<Constant>,
    /// Where untrusted data in it came from.
    pub taint: Taint,
    /// The value's type or qualified class when known (`java.util.Random`, `subprocess.Popen`).
    pub type_name: Option<String>,
    /// For object/dict literals: their constant keys and the values bound to them.
    pub fields: Vec<(String, Value)>,
}

impl Value {
    /// A constant value.
    pub fn constant(constant: Constant) -> Self {
        Self {
            constant: Some(constant),
            ..Self::default()
        }
    }

    /// A value about which only its taint is known.
    pub fn tainted(taint: Taint) -> Self {
        Self {
            taint,
            ..Self::default()
        }
    }

    /// The constant string, if the value is one.
    pub fn const_str(&self) -> Option<&str> {
        self.constant.as_ref().and_then(Constant::as_str)
    }

    /// The value bound to a literal key of an object/dict literal.
    pub fn field(&self, key: &str) -> Option<&Value> {
        self.fields.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }
}

/// How a call was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallKind {
    /// `f(x)` or `module.f(x)` where `module` is an import.
    Function,
    /// `obj.m(x)` on a value.
    Method,
    /// `new C(x)` (Java, JavaScript) or a Python class instantiation known to be one.
    Constructor,
}

/// One argument of a call.
#[derive(Debug, Clone, PartialEq)]
pub struct Arg {
    /// The keyword for `name=value` (Python) arguments; `None` for positional ones.
    pub keyword: Option<String>,
    /// `*args` / `**kwargs` / `...spread`: the value stands for many arguments.
    pub unpacked: bool,
    /// Where the argument expression is.
    pub range: Range<usize>,
    /// Its value at the call.
    pub value: Value,
}

/// A call site, resolved as far as the file allows.
#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    /// The whole call expression.
    pub range: Range<usize>,
    /// The callee expression (`subprocess.call`, `stmt.executeQuery`, `new Random`).
    pub callee_range: Range<usize>,
    /// The qualified name after import/alias/type resolution (`subprocess.call`,
    /// `java.sql.Statement.executeQuery`, `child_process.exec`), or the dotted source text when the
    /// head is not resolvable (`cursor.execute`, `res.send`).
    pub name: String,
    /// How it was written.
    pub kind: CallKind,
    /// The receiver of a method call.
    pub receiver: Option<Value>,
    /// Arguments in source order (Python `**{...}` literals expanded into keyword arguments).
    pub args: Vec<Arg>,
}

impl Call {
    /// The last segment of the name (`execute` for `cursor.execute`).
    pub fn method_name(&self) -> &str {
        last_segment(&self.name)
    }

    /// The n-th positional argument (not counting keyword arguments).
    pub fn positional(&self, n: usize) -> Option<&Arg> {
        self.args
            .iter()
            .filter(|a| a.keyword.is_none() && !a.unpacked)
            .nth(n)
    }

    /// The keyword argument `name`.
    pub fn keyword(&self, name: &str) -> Option<&Arg> {
        self.args
            .iter()
            .find(|a| a.keyword.as_deref() == Some(name))
    }

    /// The argument passed as keyword `name`, or else at positional index `n`.
    pub fn arg(&self, n: usize, name: &str) -> Option<&Arg> {
        self.keyword(name).or_else(|| self.positional(n))
    }
}

/// The part of a dotted name after its last dot (`execute` for `cursor.execute`), or the whole
/// name without one. A byte scan: names are short, and this is asked of every call by several
/// detectors, where `rsplit('.')` costs a reverse searcher's setup.
pub fn last_segment(dotted: &str) -> &str {
    dotted
        .bytes()
        .rposition(|b| b == b'.')
        .and_then(|dot| dotted.get(dot + 1..))
        .unwrap_or(dotted)
}

/// `dotted.rsplit_once('.')`: the name before its last dot and the part after it, by a byte
/// scan (see [`last_segment`]).
pub fn split_last_dot(dotted: &str) -> Option<(&str, &str)> {
    let dot = dotted.bytes().rposition(|b| b == b'.')?;
    Some((dotted.get(..dot)?, dotted.get(dot + 1..)?))
}

/// `dotted.split_once('.')`: the part before the first dot and the rest after it, by a byte
/// scan.
pub fn split_first_dot(dotted: &str) -> Option<(&str, &str)> {
    let dot = dotted.bytes().position(|b| b == b'.')?;
    Some((dotted.get(..dot)?, dotted.get(dot + 1..)?))
}

/// The part of a dotted name before its first dot (`os` for `os.path.join`), or the whole name
/// without one, by a byte scan.
pub fn first_segment(dotted: &str) -> &str {
    split_first_dot(dotted).map_or(dotted, |(head, _)| head)
}

/// `head.tail`: what `format!("{head}.{tail}")` makes, without the formatting machinery
/// (dotted names are joined for nearly every call and definition the analysis sees).
pub fn join_dotted(head: &str, tail: &str) -> String {
    let mut joined = String::with_capacity(head.len() + 1 + tail.len());
    joined.push_str(head);
    joined.push('.');
    joined.push_str(tail);
    joined
}

/// A store into an attribute, property or element (`el.innerHTML = x`, `resp.headers["X"] = v`);
/// in Python also a value returned by a route-decorated function, which the framework sends as
/// the response (`target` is then [`crate::analysis::python::RETURN_TARGET`], `range` the
/// `return` statement and `target_range` the returned expression).
#[derive(Debug, Clone, PartialEq)]
pub struct Store {
    /// The whole assignment.
    pub range: Range<usize>,
    /// The assignment target expression.
    pub target_range: Range<usize>,
    /// The target as a resolved dotted path (`document.body.innerHTML`, `os.environ`), constant
    /// subscripts written as `[key]`.
    pub target: String,
    /// The assigned value.
    pub value: Value,
}

/// What a file imports: local names bound to qualified names.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Imports {
    /// foldhash, not SipHash: every name the analysis evaluates is looked up here.
    bindings: HashMap<String, String>,
}

impl Imports {
    /// Binds a local name to a qualified name (a later binding wins, as at run time).
    pub fn bind(&mut self, local: impl Into<String>, qualified: impl Into<String>) {
        self.bindings.insert(local.into(), qualified.into());
    }

    /// The qualified name bound to a local name.
    pub fn resolve(&self, local: &str) -> Option<&str> {
        self.bindings.get(local).map(String::as_str)
    }

    /// Resolves the head of a dotted name (`sp.call` -> `subprocess.call` after
    /// `import subprocess as sp`); unresolvable heads are returned as written.
    pub fn qualify(&self, dotted: &str) -> String {
        let (head, rest) = match split_first_dot(dotted) {
            Some((head, rest)) => (head, Some(rest)),
            None => (dotted, None),
        };
        match (self.resolve(head), rest) {
            (Some(q), Some(rest)) => join_dotted(q, rest),
            (Some(q), None) => q.to_string(),
            (None, _) => dotted.to_string(),
        }
    }

    /// Whether any local name is bound to `qualified` or to something under it.
    pub fn imports(&self, qualified: &str) -> bool {
        self.bindings.values().any(|q| {
            q == qualified || (q.starts_with(qualified) && q[qualified.len()..].starts_with('.'))
        })
    }

    /// The bindings, unordered.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.bindings.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }
}

/// Everything the analysis layer learned about one file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Facts {
    /// Import and alias bindings at module level.
    pub imports: Imports,
    /// Every call site, in source order, with argument values as they are at that point.
    pub calls: Vec<Call>,
    /// Attribute, property and element stores, in source order.
    pub stores: Vec<Store>,
}

impl Facts {
    /// The call spanning exactly `range` (the first one recorded, if several do). Python's calls
    /// are sorted by start, so this is a binary search there; the other languages record calls
    /// in evaluation order, where it falls back to a scan.
    pub fn call_at(&self, range: &Range<usize>) -> Option<&Call> {
        let first = self.calls.partition_point(|c| c.range.start < range.start);
        self.calls[first..]
            .iter()
            .take_while(|c| c.range.start == range.start)
            .find(|c| c.range == *range)
            .or_else(|| self.calls.iter().find(|c| c.range == *range))
    }

    /// Calls whose resolved name is exactly `name`.
    pub fn calls_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Call> + 'a {
        self.calls.iter().filter(move |c| c.name == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn qualify_resolves_the_head_only() {
        let mut imports = Imports::default();
        imports.bind("sp", "subprocess");
        imports.bind("system", "os.system");
        assert_eq!(imports.qualify("sp.call"), "subprocess.call");
        assert_eq!(imports.qualify("system"), "os.system");
        assert_eq!(imports.qualify("cursor.execute"), "cursor.execute");
        assert!(imports.imports("os"));
        assert!(!imports.imports("o"));
    }

    #[test]
    fn dotted_splits_match_the_str_methods() {
        for name in [
            "", ".", "..", "a", "a.b", "a.b.c", ".a", "a.", "é.ü.x", "a..b", "ü",
        ] {
            assert_eq!(split_last_dot(name), name.rsplit_once('.'), "{name:?}");
            assert_eq!(split_first_dot(name), name.split_once('.'), "{name:?}");
            assert_eq!(
                Some(first_segment(name)),
                name.split('.').next(),
                "{name:?}"
            );
            assert_eq!(
                Some(last_segment(name)),
                name.rsplit('.').next(),
                "{name:?}"
            );
        }
    }
}
