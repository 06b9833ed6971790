//! The fast path for a keystroke inside the top-level definition the previous edit went into.
//!
//! Typing stays in one function for many keystrokes. When an analysis handles an edit inside a
//! top-level definition (the *hot* one), it keeps, for each pass, the interpreter's file-wide
//! state as that definition starts (module bindings, the previous pass's bindings, summaries,
//! argument taint) and what the definition wrote to it. The next edit inside the same
//! definition runs only that definition, once per pass, from those states. When it writes what
//! it wrote before (positions seen through the edit), nothing any other statement reads has
//! changed, so every other statement's facts are the previous ones moved and no other
//! definition is visited at all: the cost is the definition's, not the file's. Otherwise, or
//! when anything about the edit is unusual (syntax errors anywhere, changed imports, an edit
//! reaching outside the definition), the analysis takes the general path of `memo`.
//!
//! Between general analyses the memo's entries for the other definitions stay in the
//! coordinates of the text they were recorded against ([`Memo::base_text`]); the next general
//! analysis sees that text's changes and its own edit as two regions ([`TextDiff::then`]).

use std::sync::Arc;

use foldhash::HashMap;
use tree_sitter::{Node, Tree};

use super::imports;
use super::interp::{Interp, Summary};
use super::memo::{
    self, relocate_shared, Bodies, Capture, Dep, Effect, Entry, Memo, Moved, Previous,
};
use super::ripple::{self, Trace};
use super::scope::{Env, Frame};
use super::switch;
use crate::analysis::garbage;
use crate::analysis::incremental::{Forward, RangeMap, Relocate, TextDiff, Unmoved};
use crate::analysis::{Call, Facts, Store, Taint};

/// The analysis' passes: two building summaries, one recording.
pub(super) const PASSES: usize = 3;

/// The interpreter's file-wide state at one point of a pass.
#[derive(Debug, Default)]
pub(super) struct PassState {
    pub(super) module: Env,
    pub(super) globals: Env,
    pub(super) summaries: HashMap<String, Arc<Summary>>,
    pub(super) argument_taint: HashMap<(String, usize), Taint>,
}

impl PassState {
    /// A copy of the state as it is now, with `module` the module scope's bindings.
    pub(super) fn capture(interp: &Interp<'_>, module: &Env) -> Self {
        Self {
            module: module.snapshot(),
            globals: interp.globals.snapshot(),
            summaries: interp.summaries.clone(),
            argument_taint: interp.argument_taint.clone(),
        }
    }

    /// Moves every position it holds. Summaries and argument taint with a position that has
    /// no counterpart (written from what the edit changed) are dropped and their keys
    /// returned: the dependents path finds them again. `None` when a module binding has one.
    fn relocate(&mut self, map: &impl RangeMap) -> Option<Vec<Dep>> {
        if !(self.module.values_mut().all(|v| v.relocate(map))
            && self.globals.values_mut().all(|v| v.relocate(map)))
        {
            return None;
        }
        let mut stale = Vec::new();
        self.summaries.retain(|key, summary| {
            relocate_shared(summary, map) || {
                stale.push(Dep::Summary(key.clone()));
                false
            }
        });
        self.argument_taint.retain(|(key, index), taint| {
            taint.relocate(map) || {
                stale.push(Dep::Argument(key.clone(), *index));
                false
            }
        });
        Some(stale)
    }
}

/// What a top-level definition wrote to the file-wide state in one pass: summaries and argument
/// taint in order, and the module name it binds.
#[derive(Debug, Clone)]
pub(super) struct Outputs {
    pub(super) effects: Vec<Effect>,
    pub(super) binds: Option<String>,
}

impl Outputs {
    /// The outputs among a definition's effects (stores are facts, not state).
    fn new(effects: impl Iterator<Item = Effect>, binds: Option<String>) -> Self {
        Self {
            effects: effects.filter(|e| !matches!(e, Effect::Store(_))).collect(),
            binds,
        }
    }

    /// The outputs of a definition's memo entry.
    pub(super) fn of(entry: &Entry) -> Self {
        Self::new(entry.effects.iter().cloned(), entry.binds.clone())
    }

    /// Whether these (recorded against the new text) are `earlier`'s, whose positions `map`
    /// moves to the new text. (Fingerprints through `Unmoved` always exist, so an earlier
    /// value with no counterpart never compares equal.)
    fn same_as(&self, earlier: &Outputs, map: &impl RangeMap) -> bool {
        self.binds == earlier.binds
            && self.effects.len() == earlier.effects.len()
            && self
                .effects
                .iter()
                .zip(&earlier.effects)
                .all(|(now, then)| match (now, then) {
                    (Effect::Summary(k, s), Effect::Summary(k0, s0)) => {
                        k == k0
                            && memo::summary_fingerprint(Some(s), &Unmoved)
                                == memo::summary_fingerprint(Some(s0), map)
                    }
                    (Effect::Argument(k, i, t), Effect::Argument(k0, i0, t0)) => {
                        k == k0
                            && i == i0
                            && memo::taint_fingerprint(Some(t), &Unmoved)
                                == memo::taint_fingerprint(Some(t0), map)
                    }
                    _ => false,
                })
    }
}

/// How to undo one write to the interpreter's tables.
#[derive(Debug)]
pub(super) enum Undo {
    Summary(String, Option<Arc<Summary>>),
    Argument((String, usize), Option<Taint>),
}

impl Interp<'_> {
    /// Sets a function's summary (journaled while `undo` is on).
    pub(super) fn set_summary(&mut self, key: String, summary: Arc<Summary>) {
        match &mut self.undo {
            Some(undo) => {
                let old = self.summaries.insert(key.clone(), summary);
                undo.push(Undo::Summary(key, old));
            }
            None => {
                self.summaries.insert(key, summary);
            }
        }
    }

    /// Merges untrusted data passed to a function's parameter (journaled while `undo` is on).
    pub(super) fn merge_argument(&mut self, key: (String, usize), taint: &Taint) {
        if let Some(undo) = &mut self.undo {
            undo.push(Undo::Argument(
                key.clone(),
                self.argument_taint.get(&key).cloned(),
            ));
        }
        self.argument_taint.entry(key).or_default().merge(taint);
    }

    /// Executes the watched top-level definition when it is not memoised (it has a syntax
    /// error), collecting its outputs as a memoised one's are.
    pub(super) fn exec_definition_watched(
        &mut self,
        node: Node<'_>,
        frame: &mut Frame,
        depth: usize,
    ) {
        *self.capture.borrow_mut() = Some(Capture::default());
        self.exec_definition(node, frame, depth);
        let capture = self.capture.borrow_mut().take().unwrap_or_default();
        self.watched.push(Outputs::new(
            capture.effects.into_iter(),
            memo::defined_name(node, self.src).map(str::to_string),
        ));
    }

    /// Collects a top-level definition's outputs when it is the watched one.
    pub(super) fn note_watched(&mut self, start: usize, entry: &Entry) {
        if self.watch == Some(start) {
            self.watched.push(Outputs::of(entry));
        }
    }

    /// Runs one top-level statement from `state` and leaves `state` as it was.
    pub(super) fn run_from(&mut self, state: &mut PassState, statement: Node<'_>) {
        self.globals = std::mem::take(&mut state.globals);
        self.summaries = std::mem::take(&mut state.summaries);
        self.argument_taint = std::mem::take(&mut state.argument_taint);
        let mut frame = Frame::module();
        frame.env = std::mem::take(&mut state.module);
        let checkpoint = frame.env.checkpoint();
        self.undo = Some(Vec::new());
        self.exec_statements(&[statement], &mut frame, 0);
        frame.env.rollback(&checkpoint);
        frame.env.release(checkpoint);
        for undo in self.undo.take().unwrap_or_default().into_iter().rev() {
            match undo {
                Undo::Summary(key, Some(old)) => {
                    self.summaries.insert(key, old);
                }
                Undo::Summary(key, None) => {
                    self.summaries.remove(&key);
                }
                Undo::Argument(key, Some(old)) => {
                    self.argument_taint.insert(key, old);
                }
                Undo::Argument(key, None) => {
                    self.argument_taint.remove(&key);
                }
            }
        }
        state.module = frame.env;
        state.globals = std::mem::take(&mut self.globals);
        state.summaries = std::mem::take(&mut self.summaries);
        state.argument_taint = std::mem::take(&mut self.argument_taint);
    }
}

/// The definition a general analysis keeps state for: the top-level statement holding the
/// latest edit, when it is a definition without a walrus (which binds in the module) and no
/// other statement has a syntax error. The definition itself may have one (most keystrokes
/// inside a line leave one for a while). `statements`: the root's named children, `top_level`:
/// all of them.
pub(super) fn candidate(
    statements: &[Node<'_>],
    top_level: &[Node<'_>],
    diff: &TextDiff,
    src: &str,
) -> Option<usize> {
    let change = diff.latest_change();
    if diff.is_empty() {
        return None;
    }
    let at = statements
        .partition_point(|s| s.start_byte() <= change.start)
        .checked_sub(1)?;
    let statement = statements.get(at)?;
    (change.end <= statement.end_byte()
        && is_definition(statement)
        && !binds_in_module(*statement, src)
        && statement
            .parent()
            .is_some_and(|root| only_error_in(root, top_level, *statement)))
    .then_some(at)
}

/// Whether a definition's text has a walrus (in a decorator, default or base it binds in the
/// module scope).
pub(super) fn binds_in_module(node: Node<'_>, src: &str) -> bool {
    src.get(node.byte_range())
        .is_none_or(|text| text.contains(":="))
}

/// Whether every syntax error of the tree is inside `statement` (one of `top_level`, the
/// children of `root`): error
/// recovery elsewhere could parse unchanged text differently after an edit.
pub(super) fn only_error_in(root: Node<'_>, top_level: &[Node<'_>], statement: Node<'_>) -> bool {
    if !root.has_error() {
        return true;
    }
    let clean = top_level
        .iter()
        .all(|child| child.id() == statement.id() || !child.has_error());
    clean && !root.is_error() && !root.is_missing()
}

pub(super) fn is_definition(node: &Node<'_>) -> bool {
    matches!(
        node.kind(),
        "function_definition" | "class_definition" | "decorated_definition"
    )
}

/// The kind ids of the definitions [`is_definition`] accepts.
fn definition_kinds(tree: &Tree) -> [u16; 3] {
    let language = tree.language();
    [
        "function_definition",
        "class_definition",
        "decorated_definition",
    ]
    .map(|kind| language.id_for_node_kind(kind, true))
}

/// The hot definition: its span in the memo's text, the state as it starts and what it wrote
/// in each pass, and its memoised bodies (in the memo's text).
#[derive(Debug)]
pub(super) struct Hot {
    /// Its span in [`Memo::text`].
    pub span: (usize, usize),
    pub(super) states: Vec<PassState>,
    pub(super) outputs: Vec<Outputs>,
    /// Its function bodies, by key; the memo's other entries do not overlap it.
    pub entries: Bodies,
    /// The leading facts known to lie before it and point only before it (see [`Settled`]).
    settled: Option<Settled>,
    /// What every other top-level statement read and wrote, for the dependents path.
    pub(super) trace: Trace,
}

/// How many of the facts' first calls and stores lie before the hot definition and hold no
/// position at or after its start: an edit inside it leaves them as they are, so the fast
/// path's splice skips them. Found once per hot definition (its start does not move while the
/// edits stay inside it); the last settled item's range is kept to check that the facts are
/// still the ones it was found in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct Settled {
    calls: usize,
    stores: usize,
    last_call: Option<(usize, usize)>,
    last_store: Option<(usize, usize)>,
}

impl Settled {
    /// The settled prefixes of `facts` for a definition starting at `start`.
    fn find(facts: &Facts, start: usize) -> Self {
        let before = Before(start);
        let calls = facts
            .calls
            .iter()
            .take_while(|c| c.range.start < start && c.fits(&before))
            .count();
        let stores = facts
            .stores
            .iter()
            .take_while(|s| s.range.start < start && s.fits(&before))
            .count();
        Self {
            calls,
            stores,
            last_call: calls.checked_sub(1).map(|i| span_of(&facts.calls[i].range)),
            last_store: stores
                .checked_sub(1)
                .map(|i| span_of(&facts.stores[i].range)),
        }
    }

    /// Whether it was found in `facts` (or facts whose first items are the same).
    fn holds_for(&self, facts: &Facts) -> bool {
        let last =
            |n: usize, items: Option<(usize, usize)>, range: &dyn Fn(usize) -> (usize, usize)| {
                n.checked_sub(1).map(range) == items
            };
        self.calls <= facts.calls.len()
            && self.stores <= facts.stores.len()
            && last(self.calls, self.last_call, &|i| {
                span_of(&facts.calls[i].range)
            })
            && last(self.stores, self.last_store, &|i| {
                span_of(&facts.stores[i].range)
            })
    }
}

fn span_of(range: &std::ops::Range<usize>) -> (usize, usize) {
    (range.start, range.end)
}

/// A [`RangeMap`] accepting only ranges that end by an offset (for [`Relocate::fits`]).
struct Before(usize);

impl RangeMap for Before {
    fn map(&self, range: &std::ops::Range<usize>) -> Option<std::ops::Range<usize>> {
        (range.end <= self.0).then(|| range.clone())
    }
}

impl Hot {
    /// The hot definition of a general analysis, when every pass recorded its state and
    /// outputs; takes its bodies out of `entries`.
    pub(super) fn new(
        span: (usize, usize),
        states: Vec<PassState>,
        outputs: Vec<Outputs>,
        entries: &mut Bodies,
        trace: Trace,
    ) -> Option<Self> {
        if states.len() != PASSES || outputs.len() != PASSES {
            return None;
        }
        let mut own = Bodies::default();
        for (key, bodies) in entries.iter_mut() {
            if bodies
                .iter()
                .any(|b| b.span.0 >= span.0 && b.span.1 <= span.1)
            {
                let (inside, outside) = std::mem::take(bodies)
                    .into_iter()
                    .partition(|b| b.span.0 >= span.0 && b.span.1 <= span.1);
                *bodies = outside;
                own.insert(*key, inside);
            }
        }
        entries.retain(|_, bodies| !bodies.is_empty());
        Some(Self {
            span,
            states,
            outputs,
            entries: own,
            settled: None,
            trace,
        })
    }

    /// The hot definition at `span` after a switch (see `switch`): nothing of its own to reuse,
    /// no settled facts yet.
    pub(super) fn switched(
        span: (usize, usize),
        states: Vec<PassState>,
        outputs: Vec<Outputs>,
        trace: Trace,
    ) -> Self {
        Self {
            span,
            states,
            outputs,
            entries: Bodies::default(),
            settled: None,
            trace,
        }
    }

    /// What is left when the fast path fails midway: the span (so a general analysis knows
    /// which previous facts are the definition's), nothing to reuse.
    fn spent(span: (usize, usize)) -> Self {
        Self {
            span,
            states: Vec::new(),
            outputs: Vec::new(),
            entries: Bodies::default(),
            settled: None,
            trace: Trace::default(),
        }
    }
}

/// The outcome of [`analyze`].
pub(super) enum Fast {
    /// The facts of the new text, and the memo for the next one.
    Done(Facts, Memo),
    /// The edit needs the general path; the memo to take it with.
    Declined(Memo),
}

/// Analyses `source` by running only the hot definition of `memo` again (see the module docs);
/// gives `memo` back when the edit or its outcome needs the general path. `top_level` lists the
/// root's children.
pub(super) fn analyze(mut memo: Memo, source: &str, tree: &Tree, top_level: &[Node<'_>]) -> Fast {
    let usable = memo
        .hot
        .as_ref()
        .is_some_and(|hot| hot.states.len() == PASSES && memo.facts.is_some());
    if !usable {
        return Fast::Declined(memo);
    }
    let diff = TextDiff::between(&memo.text, source);
    let changed = diff.earliest_change_in_old();
    // An edit in another definition makes that one hot (see `switch`).
    let elsewhere = memo
        .hot
        .as_ref()
        .is_some_and(|hot| changed.start < hot.span.0 || changed.end > hot.span.1);
    if elsewhere && switch::retarget(&mut memo, source, tree, top_level, &diff).is_none() {
        return Fast::Declined(memo);
    }
    let Some(span) = memo.hot.as_ref().map(|hot| hot.span) else {
        return Fast::Declined(memo);
    };
    let new_end = (span.1 + source.len()).checked_sub(memo.text.len());
    let node = new_end.and_then(|end| definition_at(tree, span.0, end, source));
    let (Some(node), false) = (node, diff.is_empty()) else {
        return Fast::Declined(memo);
    };
    if !only_error_in(tree.root_node(), top_level, node) {
        return Fast::Declined(memo);
    }
    if changed.start < span.0 || changed.end > span.1 {
        return Fast::Declined(memo);
    }
    // Only the definition's text changed, so only it can have changed the imports.
    let mentions_import = |text: Option<&str>| text.is_none_or(|t| t.contains("import"));
    if (mentions_import(memo.text.get(span.0..span.1))
        || mentions_import(source.get(node.byte_range())))
        && imports::collect_among(source, top_level) != memo.imports
    {
        return Fast::Declined(memo);
    }
    let imports = memo.imports.clone();
    let Some(mut hot) = memo.hot.take() else {
        return Fast::Declined(memo);
    };
    let forward = Forward(&diff);
    let stale: Option<Vec<Vec<Dep>>> = hot
        .states
        .iter_mut()
        .map(|state| state.relocate(&forward))
        .collect();
    let Some(stale) = stale else {
        return decline_spent(memo, hot, span);
    };
    hot.trace.advance(diff);
    let own_calls = memo.facts.as_ref().map_or_else(Vec::new, |facts| {
        let (first, end) = within(&facts.calls, span, |c| c.range.start);
        facts.calls[first..end].to_vec()
    });
    let mut interp = Interp::new(source, &imports);
    interp.memoize = true;
    interp.previous = Some(Previous::of_definition(
        diff,
        std::mem::take(&mut hot.entries),
        own_calls,
    ));
    interp.watch = Some(node.start_byte());
    let mut same = true;
    for (pass, state) in hot.states.iter_mut().enumerate() {
        if stale.get(pass).is_none_or(|keys| !keys.is_empty()) {
            // The state as the definition starts held what it changed: not this path.
            same = false;
            break;
        }
        interp.record = pass == PASSES - 1;
        interp.pass = pass as u8;
        interp.run_from(state, node);
        same = match (interp.watched.get(pass), hot.outputs.get(pass)) {
            (Some(now), Some(then)) => now.same_as(then, &forward),
            _ => false,
        };
        if !same {
            break;
        }
    }
    let mut reran = ripple::Reran {
        recorded: Vec::new(),
        count: 0,
    };
    if !same {
        // What the definition writes changed: run what depends on it (see `ripple`).
        let ran = ripple::run(
            &mut interp,
            &mut hot,
            &mut memo.entries,
            (node, top_level),
            stale,
            &diff,
        );
        match ran {
            Some(ran) => reran = ran,
            None => return decline_spent(memo, hot, span),
        }
    }
    let outputs = std::mem::take(&mut interp.watched);
    let (mut calls, stores, mut entries, stats, previous) = interp.finish();
    if let Some(previous) = previous {
        calls.extend(previous.replayed_calls());
    }
    calls.sort_by_key(|c| (c.range.start, std::cmp::Reverse(c.range.end)));
    let Some(mut facts) = memo.facts.take() else {
        return decline_spent(memo, hot, span);
    };
    let Some(regions) = regions(
        span,
        node.byte_range(),
        &reran.recorded,
        &diff,
        calls,
        stores,
    ) else {
        return decline_spent(memo, hot, span);
    };
    // A definition before this one ran again: its facts change inside the settled prefix.
    let ran_before = reran.recorded.iter().any(|r| r.start < span.0);
    let settled = match ran_before {
        true => Settled::default(),
        false => hot
            .settled
            .filter(|settled| settled.holds_for(&facts))
            .unwrap_or_else(|| Settled::find(&facts, span.0)),
    };
    if !splice(&mut facts, regions, &forward, settled) {
        return decline_spent(memo, hot, span);
    }
    // The dependents' new bodies are not kept (the next general analysis runs them again);
    // their trace is.
    entries.retain(|_, bodies| {
        bodies.retain(|b| b.span.0 >= node.start_byte() && b.span.1 <= node.end_byte());
        !bodies.is_empty()
    });
    let delta = (source.len(), memo.text.len());
    let mut definitions = definitions_except(tree, top_level, node, delta);
    if !reran.recorded.is_empty() {
        definitions.retain(|(_, now)| !reran.recorded.iter().any(|r| r.start == now.start));
    }
    let moved = Moved { diff, definitions };
    let base_text = memo
        .base_text
        .take()
        .unwrap_or(std::mem::take(&mut memo.text));
    let next = Memo {
        text: source.to_string(),
        base_text: Some(base_text),
        imports: memo.imports,
        entries: memo.entries,
        facts: None,
        stats,
        moved: Some(moved),
        hot: Some(Hot {
            span: (node.start_byte(), node.end_byte()),
            states: hot.states,
            outputs,
            entries,
            // The edit was inside the definition, after its start: the prefixes still hold.
            settled: (!ran_before).then_some(settled),
            trace: hot.trace,
        }),
        fast: true,
        reran: reran.count,
    };
    Fast::Done(facts, next)
}

/// Gives `memo` back for the general path after the fast path failed midway with the hot
/// definition's state taken out: the memo keeps only its span (see [`Hot::spent`]); the state,
/// large in a large file, is freed where it costs no latency ([`garbage::defer`]).
fn decline_spent(mut memo: Memo, hot: Hot, span: (usize, usize)) -> Fast {
    memo.hot = Some(Hot::spent(span));
    garbage::defer(hot);
    Fast::Declined(memo)
}

/// The top-level definition spanning exactly `start..end` (without a walrus).
fn definition_at<'t>(tree: &'t Tree, start: usize, end: usize, src: &str) -> Option<Node<'t>> {
    let node = tree.root_node().first_child_for_byte(start)?;
    (node.start_byte() == start
        && node.end_byte() == end
        && is_definition(&node)
        && !binds_in_module(node, src))
    .then_some(node)
}

/// The first index of a list sorted by `start` at `span.0` or after, and the first at `span.1`
/// or after.
fn within<T>(sorted: &[T], span: (usize, usize), start: impl Fn(&T) -> usize) -> (usize, usize) {
    let first = sorted.partition_point(|item| start(item) < span.0);
    let end = first + sorted[first..].partition_point(|item| start(item) < span.1);
    (first, end)
}

/// A top-level statement whose facts an analysis on the fast path made again: its span in the
/// previous text and its new calls and stores.
struct Region {
    old: (usize, usize),
    calls: Vec<Call>,
    stores: Vec<Store>,
}

/// The regions of the hot definition (old span `span`, now `now`) and of the definitions the
/// dependents path ran in the record pass (`recorded`, in the new text), in document order,
/// with the new `calls` (sorted) and `stores` (in execution order) shared out among them;
/// `None` when one does not fit in any.
fn regions(
    span: (usize, usize),
    now: std::ops::Range<usize>,
    recorded: &[std::ops::Range<usize>],
    diff: &TextDiff,
    mut calls: Vec<Call>,
    stores: Vec<Store>,
) -> Option<Vec<Region>> {
    if recorded.is_empty() {
        return Some(vec![Region {
            old: span,
            calls,
            stores,
        }]);
    }
    let mut spans = vec![(span, now)];
    for range in recorded {
        let old = diff.to_old(range)?;
        spans.push(((old.start, old.end), range.clone()));
    }
    spans.sort_by_key(|(old, _)| old.0);
    let (count, store_count) = (calls.len(), stores.len());
    let mut regions = Vec::with_capacity(spans.len());
    let mut taken = (0, 0);
    for (old, new) in spans.into_iter().rev() {
        let first = calls.partition_point(|c| c.range.start < new.start);
        let mine = calls.split_off(first);
        let inside = |start: usize| start >= new.start && start < new.end;
        if !mine.iter().all(|c| inside(c.range.start)) {
            return None;
        }
        let own: Vec<Store> = stores
            .iter()
            .filter(|s| inside(s.range.start))
            .cloned()
            .collect();
        taken = (taken.0 + mine.len(), taken.1 + own.len());
        regions.push(Region {
            old,
            calls: mine,
            stores: own,
        });
    }
    regions.reverse();
    (taken == (count, store_count)).then_some(regions)
}

/// Replaces the facts inside each region's old span with its new calls and stores and moves
/// every other fact through `map` (but the `settled` ones, which it leaves as they are);
/// `false` (leaving `facts` partly moved: unusable) when one has no counterpart in the new text.
/// That cannot happen when the regions' outputs are what their readers saw (other statements
/// see a definition only through them), so one pass both checks and moves. `regions` are in
/// document order.
fn splice(facts: &mut Facts, regions: Vec<Region>, map: &impl RangeMap, settled: Settled) -> bool {
    let call_bounds: Vec<(usize, usize)> = regions
        .iter()
        .map(|r| within(&facts.calls, r.old, |c| c.range.start))
        .collect();
    // Stores are in execution order, so each top-level statement's are together.
    let store_bounds: Vec<(usize, usize)> = regions
        .iter()
        .map(|r| within(&facts.stores, r.old, |s| s.range.start))
        .collect();
    let (Some(first_calls), Some(first_stores)) = (call_bounds.first(), store_bounds.first())
    else {
        return false;
    };
    if settled.calls > first_calls.0 || settled.stores > first_stores.0 {
        return false;
    }
    let in_span =
        |s: &Store, span: (usize, usize)| s.range.start >= span.0 && s.range.start < span.1;
    // Between regions: everything from the end of one to the start of the next, moved; a
    // store there must not lie in a neighbouring region (the stores would be out of order).
    let mut from = settled.stores;
    for (i, &(start, end)) in store_bounds.iter().enumerate() {
        let span = regions[i].old;
        let previous = i.checked_sub(1).map(|p| regions[p].old);
        let Some(gap) = facts.stores.get_mut(from..start) else {
            return false;
        };
        if !gap.iter_mut().all(|s| {
            !in_span(s, span) && previous.is_none_or(|p| !in_span(s, p)) && s.relocate(map)
        }) {
            return false;
        }
        if !facts.stores[start..end].iter().all(|s| in_span(s, span)) {
            return false;
        }
        from = end;
    }
    let last = regions.last().map(|r| r.old);
    let Some(tail) = facts.stores.get_mut(from..) else {
        return false;
    };
    if !tail
        .iter_mut()
        .all(|s| last.is_none_or(|p| !in_span(s, p)) && s.relocate(map))
    {
        return false;
    }
    let mut from = settled.calls;
    for &(start, end) in &call_bounds {
        let Some(gap) = facts.calls.get_mut(from..start) else {
            return false;
        };
        if !gap.iter_mut().all(|c| c.relocate(map)) {
            return false;
        }
        from = end;
    }
    let Some(tail) = facts.calls.get_mut(from..) else {
        return false;
    };
    if !tail.iter_mut().all(|c| c.relocate(map)) {
        return false;
    }
    for ((region, calls), stores) in regions.into_iter().zip(call_bounds).zip(store_bounds).rev() {
        facts.calls.splice(calls.0..calls.1, region.calls);
        facts.stores.splice(stores.0..stores.1, region.stores);
    }
    true
}

/// Every top-level definition (among `top_level`, the root's children) but `hot`, with its
/// start in the previous text (`lengths`: the new and the previous text's) and its span now: all
/// were replayed whole.
fn definitions_except(
    tree: &Tree,
    top_level: &[Node<'_>],
    hot: Node<'_>,
    (new_len, old_len): (usize, usize),
) -> Vec<(usize, std::ops::Range<usize>)> {
    let kinds = definition_kinds(tree);
    let mut definitions = Vec::new();
    for &statement in top_level {
        if statement.id() == hot.id() || !kinds.contains(&statement.kind_id()) {
            continue;
        }
        let span = statement.byte_range();
        let old_start = if span.start < hot.start_byte() {
            Some(span.start)
        } else {
            (span.start + old_len).checked_sub(new_len)
        };
        if let Some(old_start) = old_start {
            definitions.push((old_start, span));
        }
    }
    definitions
}
