//! Memoised function bodies, so re-analysing an edited file redoes only the functions the edit
//! can affect.
//!
//! While a module-level function or a method is interpreted, the interpreter logs what the body
//! read from outside itself (module bindings, same-file summaries, argument taint from callers,
//! its parameters' values) with a fingerprint of each, and what it produced besides calls
//! (stores, summaries of nested functions, argument taint for callees, its return value). The
//! next analysis of the document reuses that log for a function whose text the edit did not
//! touch when every input still has the same fingerprint: its outputs are replayed with their
//! byte ranges moved to the new text, and its calls are taken from the previous facts. The
//! edited function, and any function whose inputs changed because of it, runs again.

use foldhash::{HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use tree_sitter::Node;

use super::hot::Hot;
use super::ids::{self, PyNode};
use super::interp::{Interp, Summary};
use super::scope::{Env, Frame};
use crate::analysis::garbage;
use crate::analysis::incremental::{
    fingerprinter, hash_taint, hash_value, Backward, BlockMap, RangeMap, Relocate, TextDiff,
    Unmoved, Watched,
};
use crate::analysis::{Call, Facts, Imports, Store, Taint, Value};

/// A memo key with the span (in the previous text) it belongs to.
type SpanKey = (u64, (usize, usize));

/// Memoised function bodies by [`body_key`].
pub(super) type Bodies = HashMap<u64, Vec<Entry>>;

/// What the Python analysis keeps between versions of one document.
#[derive(Debug, Default)]
pub struct Memo {
    /// The text of the analysis that made it.
    pub(super) text: String,
    /// The text `entries` were recorded against, when not `text`: analyses on the fast path
    /// (see `hot`) leave the other definitions' entries as they were.
    pub(super) base_text: Option<String>,
    /// Its imports; entries are reused only while they are the same.
    pub(super) imports: Imports,
    /// Function bodies by [`body_key`], but for the hot definition's.
    pub(super) entries: Bodies,
    /// The facts of `text`, once the caller is done with them (calls of replayed bodies come
    /// from here).
    pub(super) facts: Option<Facts>,
    /// How many bodies the analysis that made it replayed and how many it interpreted.
    pub(super) stats: (usize, usize),
    /// How its text differs from the previous analysis' and which top-level definitions that
    /// analysis' record pass replayed whole; `None` when it reused nothing.
    pub(super) moved: Option<Moved>,
    /// The definition the last edit went into, with what the fast path needs.
    pub(super) hot: Option<Hot>,
    /// Whether the analysis that made it took the fast path.
    pub(super) fast: bool,
    /// How many statements the analysis that made it ran on the dependents path (the hot
    /// definition again in later passes included; see `ripple`).
    pub(super) reran: usize,
}

/// What an incremental analysis replayed from the one before: the top-level definitions whose
/// facts (calls and stores) are the previous ones moved.
#[derive(Debug, Clone)]
pub struct Moved {
    /// How the text changed since the previous analysis.
    pub diff: TextDiff,
    /// Each definition replayed whole in the record pass: its start in the previous text and
    /// its span in the current one, in document order.
    pub definitions: Vec<(usize, std::ops::Range<usize>)>,
}

impl Memo {
    /// A memo of `entries` recorded against `text`, with the definition the edit went into.
    pub(super) fn new(
        text: &str,
        imports: &Imports,
        entries: Bodies,
        stats: (usize, usize),
        moved: Option<Moved>,
        hot: Option<Hot>,
    ) -> Self {
        Self {
            text: text.to_string(),
            base_text: None,
            imports: imports.clone(),
            entries,
            facts: None,
            stats,
            moved,
            hot,
            fast: false,
            reran: 0,
        }
    }

    /// What the analysis that made this memo replayed from the previous one, if anything.
    pub fn moved(&self) -> Option<&Moved> {
        self.moved.as_ref()
    }

    /// Keeps the facts the analysis that made this memo returned (they must be of the same
    /// text), so the next analysis can take unchanged functions' calls from them.
    pub fn keep_facts(&mut self, facts: Facts) {
        self.facts = Some(facts);
    }

    /// How many function bodies (per pass) the analysis that made this memo replayed from the
    /// previous one, and how many it interpreted.
    pub fn stats(&self) -> (usize, usize) {
        self.stats
    }

    /// Whether the analysis that made this memo ran only the edited definition (the fast path
    /// for an edit inside the definition the previous edit went into).
    pub fn fast(&self) -> bool {
        self.fast
    }

    /// How many statements the analysis that made this memo ran on the dependents path: the
    /// definitions that read what the edited one writes, and the edited one in later passes
    /// (0 when the path was not taken).
    pub fn reran(&self) -> usize {
        self.reran
    }

    /// How many function bodies it remembers.
    pub fn len(&self) -> usize {
        let hot = self
            .hot
            .as_ref()
            .map_or(0, |hot| hot.entries.values().map(Vec::len).sum::<usize>());
        self.entries.values().map(Vec::len).sum::<usize>() + hot
    }

    /// Whether it remembers nothing.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The memo as the previous analysis of `text` with `imports` sees it, when usable.
    pub(super) fn into_previous(self, text: &str, imports: &Imports) -> Option<Previous> {
        if self.imports != *imports {
            return None;
        }
        let Memo {
            text: last,
            base_text,
            mut entries,
            facts,
            hot,
            ..
        } = self;
        let last_step = TextDiff::between(&last, text);
        let mut calls = facts.map(|f| f.calls);
        let (diff, to_last) = match base_text {
            None => {
                if let Some(mut hot) = hot {
                    for (key, bodies) in std::mem::take(&mut hot.entries) {
                        entries.entry(key).or_default().extend(bodies);
                    }
                    garbage::defer(hot);
                }
                (last_step, None)
            }
            Some(base) => {
                // The entries are in the base text's coordinates: so must the calls be. The
                // hot definition's are dropped with its entries.
                let earlier = TextDiff::between(&base, &last);
                let span = hot.as_ref().map_or((0, 0), |hot| hot.span);
                garbage::defer(hot);
                calls = calls.and_then(|calls| {
                    calls
                        .into_iter()
                        .filter(|c| c.range.start < span.0 || c.range.start >= span.1)
                        .map(|mut c| c.relocate(&Backward(&earlier)).then_some(c))
                        .collect()
                });
                (earlier.then(last_step)?, Some(earlier))
            }
        };
        Some(Previous {
            diff,
            last_step,
            to_last,
            entries,
            facts_kept: calls.is_some(),
            calls: calls.unwrap_or_default(),
            replayed: Vec::new(),
            definitions: Vec::new(),
        })
    }
}

/// The previous analysis as seen from the current one; entries are taken as they are reused.
pub(super) struct Previous {
    /// How the text changed since the entries were recorded.
    pub diff: TextDiff,
    /// How it changed since the previous analysis (the last part of `diff`).
    last_step: TextDiff,
    /// How the entries' text became the previous analysis' (when they differ).
    to_last: Option<TextDiff>,
    entries: Bodies,
    /// Whether the caller kept the previous facts; without them no body is replayed in the
    /// record pass.
    facts_kept: bool,
    /// The previous calls, sorted by position.
    calls: Vec<Call>,
    /// Where replayed bodies were and how their ranges move (and whether any of their calls'
    /// ranges does), sorted by old position once the record pass is over.
    replayed: Vec<(BlockMap, bool)>,
    /// Top-level definitions replayed whole in the record pass (see [`Moved::definitions`]).
    definitions: Vec<(usize, std::ops::Range<usize>)>,
}

impl Previous {
    /// The previous calls inside an old span.
    fn calls_in(&self, span: (usize, usize)) -> &[Call] {
        let first = self.calls.partition_point(|c| c.range.start < span.0);
        let after = first + self.calls[first..].partition_point(|c| c.range.start < span.1);
        &self.calls[first..after]
    }

    /// The previous analysis of one top-level definition (the fast path's): its entries, and
    /// the previous calls inside it.
    pub(super) fn of_definition(diff: TextDiff, entries: Bodies, calls: Vec<Call>) -> Self {
        Self {
            diff,
            last_step: diff,
            to_last: None,
            entries,
            facts_kept: true,
            calls,
            replayed: Vec::new(),
            definitions: Vec::new(),
        }
    }

    /// What the record pass replayed whole, for [`Memo::moved`] (starts in the previous
    /// analysis' text).
    pub fn moved(&mut self) -> Moved {
        let mut definitions = std::mem::take(&mut self.definitions);
        if let Some(to_last) = &self.to_last {
            definitions = definitions
                .into_iter()
                .filter_map(|(old_start, span)| {
                    let old = old_start..old_start + span.len();
                    Some((to_last.to_new(&old)?.start, span))
                })
                .collect();
        }
        Moved {
            diff: self.last_step,
            definitions,
        }
    }

    /// The calls of the bodies replayed in the record pass, moved to the new text.
    pub fn replayed_calls(mut self) -> Vec<Call> {
        self.replayed.sort_by_key(|(m, _)| m.block.0);
        let mut moved = Vec::new();
        let mut blocks = self.replayed.iter().peekable();
        for mut call in self.calls {
            while blocks
                .peek()
                .is_some_and(|(b, _)| b.block.1 <= call.range.start)
            {
                blocks.next();
            }
            let Some((block, moves)) = blocks.peek() else {
                break;
            };
            if call.range.start >= block.block.0 && call.range.end <= block.block.1 {
                // Checked with `fits` before the body was replayed (which also saw whether any
                // range moves).
                if !moves || call.relocate(block) {
                    moved.push(call);
                }
            }
        }
        moved
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
    /// A binding of the module scope read by module-level code of a top-level definition
    /// (decorators, default values, base classes), as it was at that point.
    Module(String),
}

/// Something a function body produced besides calls.
#[derive(Debug, Clone)]
pub(super) enum Effect {
    /// A recorded store.
    Store(Store),
    /// The summary of a nested function.
    Summary(String, Arc<Summary>),
    /// Untrusted data passed to a same-file function's parameter.
    Argument(String, usize, Taint),
}

impl Relocate for Effect {
    fn relocate(&mut self, map: &impl RangeMap) -> bool {
        match self {
            Self::Store(store) => store.relocate(map),
            Self::Summary(_, summary) => relocate_shared(summary, map),
            Self::Argument(_, _, taint) => taint.relocate(map),
        }
    }

    fn fits(&self, map: &impl RangeMap) -> bool {
        match self {
            Self::Store(store) => store.fits(map),
            Self::Summary(_, summary) => summary.ret.fits(map),
            Self::Argument(_, _, taint) => taint.fits(map),
        }
    }
}

/// Moves the positions of a summary that may be shared (memo entries, the interpreter's table
/// and kept states hold the same one): copied only when a position actually moves.
pub(super) fn relocate_shared(summary: &mut Arc<Summary>, map: &impl RangeMap) -> bool {
    if let Some(own) = Arc::get_mut(summary) {
        return own.ret.relocate(map);
    }
    let watched = Watched::new(map);
    if !summary.ret.fits(&watched) {
        return false;
    }
    !watched.moved() || Arc::make_mut(summary).ret.relocate(map)
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
    /// For a whole top-level definition: the name it binds, which a replay unbinds (read once
    /// here rather than from the tree on every replay).
    pub binds: Option<String>,
    /// The pass of the analysis that interpreted or replayed it last (the two summary passes
    /// share keys; the dependents path needs each pass's own).
    pub pass: u8,
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
            Effect::Store(_) => {}
        }
        self.effects.push(effect);
    }
}

/// The key of a function body: where it is (in the coordinates of the text it was recorded
/// against; the text diff guarantees an unchanged text) and everything else that decides its
/// interpretation besides the logged inputs.
pub(super) struct BodyKey<'k> {
    /// The `function_definition` node's span.
    pub span: (usize, usize),
    /// The enclosing class.
    pub class: Option<&'k str>,
    /// Whether calls are recorded (the final pass) or only summaries built.
    pub record: bool,
    /// Loop nesting at the definition.
    pub loop_depth: usize,
    /// Statement nesting depth at the definition.
    pub depth: usize,
    /// Whether the entry is a whole top-level definition (decorators, defaults and every body
    /// in it) rather than one function body.
    pub statement: bool,
    /// Whether the body is a route's (its returns are recorded): for a method of a class-based
    /// view this is decided by the class's bases, outside the body's text.
    pub route: bool,
}

/// Hashes a [`BodyKey`].
pub(super) fn body_key(key: &BodyKey<'_>) -> u64 {
    let mut hasher = fingerprinter();
    key.span.hash(&mut hasher);
    key.class.hash(&mut hasher);
    key.record.hash(&mut hasher);
    key.loop_depth.hash(&mut hasher);
    key.depth.hash(&mut hasher);
    key.statement.hash(&mut hasher);
    key.route.hash(&mut hasher);
    hasher.finish()
}

/// The key of a whole top-level definition at `span` (what [`Interp::exec_definition_memoized`]
/// files it under at the module level: no class, no loop, statement depth 1, not a route
/// body).
pub(super) fn statement_key(span: (usize, usize), record: bool) -> u64 {
    body_key(&BodyKey {
        span,
        class: None,
        record,
        loop_depth: 0,
        depth: 1,
        statement: true,
        route: false,
    })
}

/// The fingerprint of an optional value seen through `map`.
pub(super) fn value_fingerprint(value: Option<&Value>, map: &impl RangeMap) -> Option<u64> {
    crate::analysis::incremental::fingerprint(value, map)
}

/// The fingerprint of an optional summary seen through `map`.
pub(super) fn summary_fingerprint(summary: Option<&Summary>, map: &impl RangeMap) -> Option<u64> {
    let mut hasher = fingerprinter();
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
pub(super) fn taint_fingerprint(taint: Option<&Taint>, map: &impl RangeMap) -> Option<u64> {
    let mut hasher = fingerprinter();
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
            if let Some(fingerprint) = self.dep_fingerprint(&dep, &[], None, &Unmoved) {
                capture.read(dep, fingerprint);
            }
        }
    }

    /// Logs a read of a module binding by module-level code of the definition being memoised
    /// (first read only).
    pub(super) fn note_module_read(&self, name: &str, env: &Env) {
        let mut capture = self.capture.borrow_mut();
        let Some(capture) = capture.as_mut() else {
            return;
        };
        let dep = Dep::Module(name.to_string());
        if capture.wants(&dep) {
            if let Some(fingerprint) = value_fingerprint(env.get(name), &Unmoved) {
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
    /// its text (decorators included) and every input it read are unchanged; either way logs it
    /// for the next analysis.
    pub(super) fn exec_memoized(
        &mut self,
        def: Node<'_>,
        body: Node<'_>,
        decorators: &[Node<'_>],
        params: &[String],
        inner: &mut Frame,
        depth: usize,
    ) {
        let span = (def.start_byte(), def.end_byte());
        let outer = decorators.first().map_or(span.0, Node::start_byte)..span.1;
        let (key, old_key) = self.memo_keys(span, outer, inner.class.as_deref(), depth, false);
        let param_values: Vec<Option<Value>> =
            params.iter().map(|p| inner.env.get(p).cloned()).collect();
        if let Some(entry) = old_key.and_then(|(old_key, old_span)| {
            self.reuse(old_key, old_span, span, &param_values, None)
        }) {
            let mut entry = entry;
            entry.pass = self.pass;
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
            binds: None,
            pass: self.pass,
        });
    }

    /// The memo key of a body (or whole definition, `statement`) at `span`, and its key and span
    /// in the previous text when `outer` (the span with its decorators) is outside the edit.
    fn memo_keys(
        &self,
        span: (usize, usize),
        outer: std::ops::Range<usize>,
        class: Option<&str>,
        depth: usize,
        statement: bool,
    ) -> (u64, Option<SpanKey>) {
        let key_of = |span: (usize, usize)| {
            body_key(&BodyKey {
                span,
                class,
                record: self.record,
                loop_depth: self.loop_depth(),
                depth,
                statement,
                route: self.in_route_body(),
            })
        };
        let old = self.previous.as_ref().and_then(|p| {
            let old_outer = p.diff.to_old(&outer)?;
            let old_start = old_outer.start + (span.0 - outer.start);
            let old_span = (old_start, old_start + (span.1 - span.0));
            Some((key_of(old_span), old_span))
        });
        (key_of(span), old)
    }

    /// Executes a well-formed top-level definition (function or class, with its decorators),
    /// or replays what it did last time when its text and every input it read are unchanged;
    /// either way logs it for the next analysis. A replayed definition's effect on the module
    /// scope is only to unbind its name, as executing it does.
    pub(super) fn exec_definition_memoized(
        &mut self,
        node: Node<'_>,
        frame: &mut Frame,
        depth: usize,
    ) {
        let span = (node.start_byte(), node.end_byte());
        let (key, old_key) = self.memo_keys(span, span.0..span.1, None, depth, true);
        if let Some((entry, old_span)) = old_key.and_then(|(old_key, old_span)| {
            let entry = self.reuse(old_key, old_span, span, &[], Some(&frame.env))?;
            Some((entry, old_span))
        }) {
            if let (true, Some(previous)) = (self.record, self.previous.as_mut()) {
                previous.definitions.push((old_span.0, span.0..span.1));
            }
            let mut entry = entry;
            entry.pass = self.pass;
            for effect in &entry.effects {
                self.apply(effect.clone());
            }
            if let Some(name) = &entry.binds {
                frame.env.remove(name);
            }
            self.note_watched(span.0, &entry);
            self.memo.entry(key).or_default().push(entry);
            self.memo_stats.0 += 1;
            return;
        }
        self.memo_stats.1 += 1;
        *self.capture.borrow_mut() = Some(Capture::default());
        self.exec_definition(node, frame, depth);
        let capture = self.capture.borrow_mut().take().unwrap_or_default();
        let entry = Entry {
            span,
            deps: capture.deps,
            effects: capture.effects,
            returns: None,
            binds: defined_name(node, self.src).map(str::to_string),
            pass: self.pass,
        };
        self.note_watched(span.0, &entry);
        self.memo.entry(key).or_default().push(entry);
    }

    /// Takes a previous run of the body (recorded at `old_span`) whose inputs are unchanged and
    /// moves it to `span`, with fingerprints in the new coordinates for the next analysis. In
    /// the record pass its calls will come from the previous facts.
    fn reuse(
        &mut self,
        old_key: u64,
        old_span: (usize, usize),
        span: (usize, usize),
        params: &[Option<Value>],
        module: Option<&Env>,
    ) -> Option<Entry> {
        let mut previous = self.previous.take()?;
        let found = self.take_unchanged(&mut previous, old_key, old_span, span, params, module);
        self.previous = Some(previous);
        found
    }

    fn take_unchanged(
        &self,
        previous: &mut Previous,
        old_key: u64,
        old_span: (usize, usize),
        span: (usize, usize),
        params: &[Option<Value>],
        module: Option<&Env>,
    ) -> Option<Entry> {
        let to_old = BlockMap {
            block: span,
            target_start: old_span.0,
            diff: previous.diff,
            forward: false,
        };
        let to_new = BlockMap {
            block: old_span,
            target_start: span.0,
            diff: previous.diff,
            forward: true,
        };
        // Watching the maps tells whether anything actually moves: a body before the edit,
        // reading only values from before it, keeps its fingerprints and ranges as they are.
        let seen_old = Watched::new(&to_old);
        let candidates = previous.entries.get_mut(&old_key)?;
        let index = candidates.iter().position(|candidate| {
            candidate.span == old_span
                && candidate.deps.iter().all(|(dep, fp)| {
                    self.dep_fingerprint(dep, params, module, &seen_old) == Some(*fp)
                })
        })?;
        let mut entry = candidates.swap_remove(index);
        let seen_new = Watched::new(&to_new);
        let calls_move = !self.record
            || (previous.facts_kept
                && previous
                    .calls_in(old_span)
                    .iter()
                    .all(|c| c.fits(&seen_new)));
        if !calls_move
            || !entry.effects.iter().all(|e| e.fits(&seen_new))
            || !entry.returns.fits(&seen_new)
        {
            return None;
        }
        if seen_new.moved() {
            for effect in &mut entry.effects {
                effect.relocate(&to_new);
            }
            entry.returns.relocate(&to_new);
        }
        entry.span = span;
        if seen_old.moved() {
            for (dep, fingerprint) in &mut entry.deps {
                *fingerprint = self.dep_fingerprint(dep, params, module, &Unmoved)?;
            }
        }
        if self.record {
            previous.replayed.push((to_new, seen_new.moved()));
        }
        Some(entry)
    }

    /// The fingerprint of an input as it is now, positions seen through `map`.
    fn dep_fingerprint(
        &self,
        dep: &Dep,
        params: &[Option<Value>],
        module: Option<&Env>,
        map: &impl RangeMap,
    ) -> Option<u64> {
        match dep {
            Dep::Global(name) => value_fingerprint(self.globals.get(name), map),
            Dep::Summary(key) => summary_fingerprint(self.summaries.get(key).map(|s| &**s), map),
            Dep::Argument(key, index) => {
                taint_fingerprint(self.argument_taint.get(&(key.clone(), *index)), map)
            }
            Dep::Param(index) => value_fingerprint(params.get(*index)?.as_ref(), map),
            Dep::Module(name) => value_fingerprint(module?.get(name), map),
        }
    }

    /// Replays a recorded output.
    fn apply(&mut self, effect: Effect) {
        match effect {
            Effect::Store(store) => self.record_store(store),
            Effect::Summary(key, summary) => self.set_summary(key, summary),
            Effect::Argument(key, index, taint) => self.merge_argument((key, index), &taint),
        }
    }
}

/// The name a top-level definition binds (`def name`, `class name`, decorated or not).
pub(super) fn defined_name<'s>(node: Node<'_>, source: &'s str) -> Option<&'s str> {
    let definition = if node.k() == "decorated_definition" {
        node.field(ids::fields().definition)?
    } else {
        node
    };
    let name = definition.field(ids::fields().name)?;
    source.get(name.byte_range())
}
