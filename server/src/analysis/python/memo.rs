//! Memoised function bodies, so re-analysing an edited file redoes only the functions the edit
//! can affect.
//!
//! While a module-level function or a method is interpreted, the interpreter logs what the body
//! read from outside itself (module bindings, same-file summaries, argument taint from callers,
//! its parameters' values) with a fingerprint of each, and what it produced (calls, stores,
//! summaries of nested functions, argument taint for callees, its return value). The next
//! analysis of the document reuses that log for a function whose text is unchanged when every
//! input still has the same fingerprint, moving the recorded byte ranges to the new text; the
//! edited function, and any function whose inputs changed because of it, runs again.

use std::collections::{HashMap, HashSet};
use std::hash::{DefaultHasher, Hash, Hasher};

use tree_sitter::Node;

use super::interp::{Interp, Summary};
use super::scope::Frame;
use crate::analysis::incremental::{
    hash_taint, hash_value, BlockMap, RangeMap, Relocate, TextDiff, Unmoved,
};
use crate::analysis::{Call, Imports, Store, Taint, Value};

/// Memoised function bodies by [`body_key`].
pub(super) type Bodies = HashMap<u64, Vec<Entry>>;

/// What the Python analysis keeps between versions of one document.
#[derive(Debug, Default)]
pub struct Memo {
    /// The text the entries were recorded against.
    text: String,
    /// Its imports; entries are reused only while they are the same.
    imports: Imports,
    /// Function bodies by [`body_key`].
    entries: Bodies,
    /// How many bodies the analysis that made it replayed and how many it interpreted.
    stats: (usize, usize),
}

impl Memo {
    /// A memo of `entries` recorded against `text`.
    pub(super) fn new(
        text: &str,
        imports: &Imports,
        entries: Bodies,
        stats: (usize, usize),
    ) -> Self {
        Self {
            text: text.to_string(),
            imports: imports.clone(),
            entries,
            stats,
        }
    }

    /// How many function bodies (per pass) the analysis that made this memo replayed from the
    /// previous one, and how many it interpreted.
    pub fn stats(&self) -> (usize, usize) {
        self.stats
    }

    /// How many function bodies it remembers.
    pub fn len(&self) -> usize {
        self.entries.values().map(Vec::len).sum()
    }

    /// Whether it remembers nothing.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The entries usable for `text` with `imports`, and how the text changed.
    pub(super) fn usable(&self, text: &str, imports: &Imports) -> Option<Previous<'_>> {
        (self.imports == *imports).then(|| Previous {
            diff: TextDiff::between(&self.text, text),
            entries: &self.entries,
        })
    }
}

/// The previous analysis as seen from the current one.
pub(super) struct Previous<'m> {
    /// How the text changed since.
    pub diff: TextDiff,
    entries: &'m Bodies,
}

impl Previous<'_> {
    /// The recorded bodies with this key.
    pub fn candidates(&self, key: u64) -> &[Entry] {
        self.entries.get(&key).map_or(&[], Vec::as_slice)
    }
}

/// Something a function body read from outside itself.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) enum Dep {
    /// A module-level binding (present or absent).
    Global(String),
    /// The summary of a same-file function (present or absent).
    Summary(String),
    /// Untrusted data callers pass to a parameter of a same-file function.
    Argument(String, usize),
    /// The value of the function's own parameter at this index.
    Param(usize),
}

/// Something a function body produced.
#[derive(Debug, Clone)]
pub(super) enum Effect {
    /// A recorded call.
    Call(Call),
    /// A recorded store.
    Store(Store),
    /// The summary of a nested function.
    Summary(String, Summary),
    /// Untrusted data passed to a same-file function's parameter.
    Argument(String, usize, Taint),
}

impl Relocate for Effect {
    fn relocate(&mut self, map: &dyn RangeMap) -> bool {
        match self {
            Self::Call(call) => call.relocate(map),
            Self::Store(store) => store.relocate(map),
            Self::Summary(_, summary) => summary.ret.relocate(map),
            Self::Argument(_, _, taint) => taint.relocate(map),
        }
    }
}

/// One interpreted function body.
#[derive(Debug, Clone)]
pub(super) struct Entry {
    /// The `function_definition` node's byte span when it was recorded.
    pub span: (usize, usize),
    /// What it read, with fingerprints taken when it was recorded.
    pub deps: Vec<(Dep, u64)>,
    /// What it produced, in order.
    pub effects: Vec<Effect>,
    /// The merge of its returned values.
    pub returns: Option<Value>,
}

/// The log kept while a body runs.
#[derive(Debug, Default)]
pub(super) struct Capture {
    /// Inputs read so far, first read only.
    pub deps: Vec<(Dep, u64)>,
    seen: HashSet<Dep>,
    /// Outputs so far.
    pub effects: Vec<Effect>,
}

impl Capture {
    /// Whether `dep` still needs logging: not read before, and not something the body itself
    /// wrote (a nested function's summary read back is internal).
    pub fn wants(&self, dep: &Dep) -> bool {
        !self.seen.contains(dep)
    }

    /// Logs an input read with its fingerprint.
    pub fn read(&mut self, dep: Dep, fingerprint: u64) {
        self.seen.insert(dep.clone());
        self.deps.push((dep, fingerprint));
    }

    /// Logs an output; a summary or argument written first is internal from then on.
    pub fn write(&mut self, effect: Effect) {
        match &effect {
            Effect::Summary(key, _) => {
                self.seen.insert(Dep::Summary(key.clone()));
            }
            Effect::Argument(key, index, _) => {
                self.seen.insert(Dep::Argument(key.clone(), *index));
            }
            Effect::Call(_) | Effect::Store(_) => {}
        }
        self.effects.push(effect);
    }
}

/// The key of a function body: everything that decides its interpretation besides the logged
/// inputs.
pub(super) struct BodyKey<'k> {
    /// The `function_definition` text (name, parameters, body).
    pub text: &'k str,
    /// The decorators' text (route decorators change parameter values).
    pub decorators: &'k [&'k str],
    /// The enclosing class.
    pub class: Option<&'k str>,
    /// Whether it is a method.
    pub in_class: bool,
    /// Whether calls are recorded (the final pass) or only summaries built.
    pub record: bool,
    /// Loop nesting and statement depth at the definition.
    pub loop_depth: usize,
    /// Statement nesting depth at the definition.
    pub depth: usize,
}

/// Hashes a [`BodyKey`].
pub(super) fn body_key(key: &BodyKey<'_>) -> u64 {
    let mut hasher = DefaultHasher::new();
    key.text.hash(&mut hasher);
    key.decorators.hash(&mut hasher);
    key.class.hash(&mut hasher);
    key.in_class.hash(&mut hasher);
    key.record.hash(&mut hasher);
    key.loop_depth.hash(&mut hasher);
    key.depth.hash(&mut hasher);
    hasher.finish()
}

/// The fingerprint of an optional value seen through `map`.
pub(super) fn value_fingerprint(value: Option<&Value>, map: &dyn RangeMap) -> Option<u64> {
    crate::analysis::incremental::fingerprint(value, map)
}

/// The fingerprint of an optional summary seen through `map`.
pub(super) fn summary_fingerprint(summary: Option<&Summary>, map: &dyn RangeMap) -> Option<u64> {
    let mut hasher = DefaultHasher::new();
    match summary {
        None => 0u8.hash(&mut hasher),
        Some(summary) => {
            1u8.hash(&mut hasher);
            summary.params.hash(&mut hasher);
            hash_value(&summary.ret, map, &mut hasher)?;
        }
    }
    Some(hasher.finish())
}

/// The fingerprint of optional argument taint seen through `map`.
pub(super) fn taint_fingerprint(taint: Option<&Taint>, map: &dyn RangeMap) -> Option<u64> {
    let mut hasher = DefaultHasher::new();
    match taint {
        None => 0u8.hash(&mut hasher),
        Some(taint) => {
            1u8.hash(&mut hasher);
            hash_taint(taint, map, &mut hasher)?;
        }
    }
    Some(hasher.finish())
}

impl Interp<'_> {
    /// Logs an input read by the body being memoised (first read only).
    pub(super) fn note_read(&self, dep: Dep) {
        let mut capture = self.capture.borrow_mut();
        let Some(capture) = capture.as_mut() else {
            return;
        };
        if capture.wants(&dep) {
            if let Some(fingerprint) = self.dep_fingerprint(&dep, &[], &Unmoved) {
                capture.read(dep, fingerprint);
            }
        }
    }

    /// Logs an output of the body being memoised.
    pub(super) fn log_effect(&self, effect: impl FnOnce() -> Effect) {
        if let Some(capture) = self.capture.borrow_mut().as_mut() {
            capture.write(effect());
        }
    }

    /// Interprets a module-level function or method body, or replays what it did last time when
    /// its text and every input it read are unchanged; either way logs it for the next analysis.
    pub(super) fn exec_memoized(
        &mut self,
        def: Node<'_>,
        body: Node<'_>,
        decorators: &[Node<'_>],
        params: &[String],
        inner: &mut Frame,
        depth: usize,
    ) {
        let decorator_texts: Vec<&str> = decorators.iter().map(|d| self.text(*d)).collect();
        let key = body_key(&BodyKey {
            text: self.text(def),
            decorators: &decorator_texts,
            class: inner.class.as_deref(),
            in_class: inner.class.is_some(),
            record: self.record,
            loop_depth: self.loop_depth(),
            depth,
        });
        let span = (def.start_byte(), def.end_byte());
        let param_values: Vec<Option<Value>> =
            params.iter().map(|p| inner.env.get(p).cloned()).collect();
        if let Some(entry) = self.reuse(key, span, &param_values) {
            for effect in &entry.effects {
                self.apply(effect.clone());
            }
            inner.returns = entry.returns.clone();
            self.memo.entry(key).or_default().push(entry);
            self.memo_stats.0 += 1;
            return;
        }
        self.memo_stats.1 += 1;
        let mut capture = Capture::default();
        for (index, value) in param_values.iter().enumerate() {
            if let Some(fingerprint) = value_fingerprint(value.as_ref(), &Unmoved) {
                capture.read(Dep::Param(index), fingerprint);
            }
        }
        *self.capture.borrow_mut() = Some(capture);
        self.exec_block(body, inner, depth + 1);
        let capture = self.capture.borrow_mut().take().unwrap_or_default();
        self.memo.entry(key).or_default().push(Entry {
            span,
            deps: capture.deps,
            effects: capture.effects,
            returns: inner.returns.clone(),
        });
    }

    /// A previous run of the body with this key whose inputs are unchanged, moved to the new
    /// text (with fingerprints in the new coordinates, for the next analysis).
    fn reuse(&self, key: u64, span: (usize, usize), params: &[Option<Value>]) -> Option<Entry> {
        let previous = self.previous.as_ref()?;
        previous.candidates(key).iter().find_map(|candidate| {
            let to_old = BlockMap {
                block: span,
                target_start: candidate.span.0,
                diff: previous.diff,
                forward: false,
            };
            let unchanged = candidate
                .deps
                .iter()
                .all(|(dep, fp)| self.dep_fingerprint(dep, params, &to_old) == Some(*fp));
            if !unchanged {
                return None;
            }
            let to_new = BlockMap {
                block: candidate.span,
                target_start: span.0,
                diff: previous.diff,
                forward: true,
            };
            let mut entry = candidate.clone();
            entry.span = span;
            let moved = entry.effects.iter_mut().all(|e| e.relocate(&to_new))
                && entry.returns.relocate(&to_new);
            if !moved {
                return None;
            }
            for (dep, fingerprint) in &mut entry.deps {
                *fingerprint = self.dep_fingerprint(dep, params, &Unmoved)?;
            }
            Some(entry)
        })
    }

    /// The fingerprint of an input as it is now, positions seen through `map`.
    fn dep_fingerprint(
        &self,
        dep: &Dep,
        params: &[Option<Value>],
        map: &dyn RangeMap,
    ) -> Option<u64> {
        match dep {
            Dep::Global(name) => value_fingerprint(self.globals.get(name), map),
            Dep::Summary(key) => summary_fingerprint(self.summaries.get(key), map),
            Dep::Argument(key, index) => {
                taint_fingerprint(self.argument_taint.get(&(key.clone(), *index)), map)
            }
            Dep::Param(index) => value_fingerprint(params.get(*index)?.as_ref(), map),
        }
    }

    /// Replays a recorded output.
    fn apply(&mut self, effect: Effect) {
        match effect {
            Effect::Call(call) => self.record_call(call),
            Effect::Store(store) => self.record_store(store),
            Effect::Summary(key, summary) => {
                self.summaries.insert(key, summary);
            }
            Effect::Argument(key, index, taint) => {
                self.argument_taint
                    .entry((key, index))
                    .or_default()
                    .merge(&taint);
            }
        }
    }
}
