//! The dependents path: a keystroke inside the hot definition that changes what it writes to
//! the file-wide state (its summary, the taint it passes to a callee) runs again only that
//! definition and the statements that read what changed, in every pass, instead of the whole
//! file.
//!
//! A general analysis that keeps a hot definition (see `hot`) also keeps a *trace*: for every
//! other top-level statement and pass, what it read from and wrote to the file-wide tables. A
//! memoised definition's is its memo entry (which now knows its pass); module-level code and
//! definitions that are not memoised are traced separately ([`Step`]). From the trace, an
//! index of which statements read and write each summary and argument key is built the first
//! time this path is needed.
//!
//! The statements of the three passes form one sequence. When the hot definition's writes to
//! a key change, every later reader of that key (in this pass after it, in later passes
//! anywhere) runs again — the hot definition itself in every later pass — in sequence order.
//! A reader runs from a state built from what it read last time: module bindings as they are
//! where the hot definition starts (unchanged: the statements that bind them never run here),
//! and each summary or argument value as the trace says it is at that point, the trace being
//! updated as statements run again. What a reader that ran again writes differently changes
//! more keys. The path gives up (the general path runs) when a statement that is not a
//! memoised definition would have to run again, a reader reads something it did not read
//! before, a value read last time is not what the trace now gives for an unchanged key (a
//! check of the trace itself), or too many statements would run.

use std::collections::BTreeSet;
use std::ops::Range;
use std::sync::Arc;

use foldhash::{HashMap, HashSet};
use tree_sitter::Node;

use super::hot::{self, Hot, PassState, PASSES};
use super::interp::{Interp, Summary};
use super::memo::{self, Bodies, Capture, Dep, Effect, Entry};
use super::scope::Frame;
use crate::analysis::incremental::{Edits, Forward, RangeMap, Relocate, TextDiff, Unmoved};
use crate::analysis::Taint;

/// Most statements one keystroke runs again on this path before the general path is taken.
const MOST_RERUNS: usize = 256;

/// A top-level statement that is not a memoised definition (module-level code, a definition
/// with a walrus): what it read and wrote in one pass of the general analysis.
#[derive(Debug)]
pub(super) struct Step {
    reads: Vec<Dep>,
    writes: Vec<Effect>,
}

/// What a definition run again on this path (or a previous hot definition) read and wrote in
/// one pass (positions in the latest text); replaces its memo entry in the trace.
#[derive(Debug)]
pub(super) struct Side {
    pub(super) reads: Vec<Dep>,
    pub(super) writes: Vec<Effect>,
    pub(super) binds: Option<String>,
}

/// Which statements (by start in the general analysis' text) read and write each summary and
/// argument key, in document order.
#[derive(Debug, Default)]
pub(super) struct Index {
    /// Built when the dependents path first needs it (a switch needs only the writers).
    readers: Option<HashMap<Dep, Vec<usize>>>,
    writers: HashMap<Dep, Vec<usize>>,
    /// The end of each memoised definition, by start.
    ends: HashMap<usize, usize>,
}

/// The reads and writes of every top-level statement but the hot one, for the dependents
/// path. Memo entries hold the memoised definitions'; this holds the rest, and how the text
/// moved since the general analysis.
#[derive(Debug, Default)]
pub(super) struct Trace {
    /// Non-memoised statements, by start (in the general analysis' text) and pass.
    steps: HashMap<(usize, u8), Step>,
    index: Option<Index>,
    /// Definitions run again since the general analysis (and a previous hot definition), by
    /// start (in its text) and pass.
    pub(super) side: HashMap<(usize, u8), Side>,
    /// The value a top-level definition found bound to its name (which running it unbinds),
    /// by start (in the general analysis' text) and pass.
    pub(super) unbound: HashMap<(usize, u8), crate::analysis::Value>,
    /// From the general analysis' text to the latest.
    moves: Edits,
    /// Whether the text's moves could not be followed (the path is then never taken).
    lost: bool,
}

/// Most separate places edited since the general analysis before the general path is needed.
const MOST_REGIONS: usize = 16;

/// [`Edits`] as a [`RangeMap`] from the general analysis' text to the latest.
pub(super) struct AheadOf<'m>(pub &'m Edits);

impl RangeMap for AheadOf<'_> {
    fn map(&self, range: &Range<usize>) -> Option<Range<usize>> {
        self.0.to_new(range)
    }
}

/// [`Edits`] as a [`RangeMap`] from the latest text to the general analysis'.
pub(super) struct BackTo<'m>(pub &'m Edits);

impl RangeMap for BackTo<'_> {
    fn map(&self, range: &Range<usize>) -> Option<Range<usize>> {
        self.0.to_old(range)
    }
}

impl Trace {
    /// The trace of a general analysis, with the steps and unbound values it recorded.
    pub(super) fn new(
        steps: HashMap<(usize, u8), Step>,
        unbound: HashMap<(usize, u8), crate::analysis::Value>,
    ) -> Self {
        Self {
            steps,
            unbound,
            ..Self::default()
        }
    }

    /// Follows the text to its next version (`diff`).
    pub(super) fn advance(&mut self, diff: TextDiff) {
        self.lost |= !self.moves.push(&diff) || self.moves.len() > MOST_REGIONS;
        let forward = Forward(&diff);
        self.side
            .retain(|_, side| side.writes.iter_mut().all(|w| w.relocate(&forward)));
    }

    /// Lists a statement (by start in the general analysis' text) among the readers and writers
    /// of what it read and wrote, when the index is built.
    pub(super) fn note(&mut self, start: usize, reads: &[Dep], writes: &[Effect]) {
        let Some(index) = self.index.as_mut() else {
            return;
        };
        let insert = |list: &mut Vec<usize>| {
            if let Err(at) = list.binary_search(&start) {
                list.insert(at, start);
            }
        };
        if let Some(readers) = index.readers.as_mut() {
            for dep in reads.iter().filter(|d| followed(d)) {
                insert(readers.entry(dep.clone()).or_default());
            }
        }
        for key in writes.iter().filter_map(written_key) {
            insert(index.writers.entry(key).or_default());
        }
    }

    /// How the text moved since the general analysis, unless that was lost.
    pub(super) fn mapping(&self) -> Option<&Edits> {
        (!self.lost).then_some(&self.moves)
    }
}

impl Interp<'_> {
    /// Runs a top-level statement of a general analysis that keeps a hot definition, tracing
    /// it when it is not a memoised definition (whose memo entry is its trace).
    pub(super) fn exec_traced(&mut self, statement: Node<'_>, frame: &mut Frame) {
        if hot::is_definition(&statement) && self.memoizable(statement) {
            self.note_unbound(statement, frame);
            self.exec_statements(&[statement], frame, 0);
            return;
        }
        *self.capture.borrow_mut() = Some(Capture::default());
        self.exec_statements(&[statement], frame, 0);
        let capture = self.capture.borrow_mut().take().unwrap_or_default();
        let writes: Vec<Effect> = capture
            .effects
            .into_iter()
            .filter(|e| !matches!(e, Effect::Store(_)))
            .collect();
        if !capture.deps.is_empty() || !writes.is_empty() {
            let reads = capture.deps.into_iter().map(|(dep, _)| dep).collect();
            self.steps
                .insert((statement.start_byte(), self.pass), Step { reads, writes });
        }
    }
}

impl Interp<'_> {
    /// Notes what a top-level definition about to run finds bound to its name (running it
    /// unbinds the name; the value is what a state before it has).
    pub(super) fn note_unbound(&mut self, definition: Node<'_>, frame: &Frame) {
        let value = memo::defined_name(definition, self.src).and_then(|name| frame.env.get(name));
        if let Some(value) = value {
            self.unbound
                .insert((definition.start_byte(), self.pass), value.clone());
        }
    }
}

/// The key a write goes to.
pub(super) fn written_key(effect: &Effect) -> Option<Dep> {
    match effect {
        Effect::Summary(key, _) => Some(Dep::Summary(key.clone())),
        Effect::Argument(key, index, _) => Some(Dep::Argument(key.clone(), *index)),
        Effect::Store(_) => None,
    }
}

/// Whether a read is of a key the index follows (summaries and argument taint; module
/// bindings never change on this path).
fn followed(dep: &Dep) -> bool {
    matches!(dep, Dep::Summary(_) | Dep::Argument(..))
}

/// Fingerprints of writes by key.
type Prints = HashMap<Dep, Vec<Option<u64>>>;

/// The fingerprints of the writes to each key, in order, positions seen through `map` (`None`
/// for a write with a position that has no counterpart: unequal to anything).
fn prints(writes: &[Effect], map: &impl RangeMap) -> Prints {
    let mut prints: HashMap<Dep, Vec<Option<u64>>> = HashMap::default();
    for write in writes {
        let print = match write {
            Effect::Summary(_, summary) => memo::summary_fingerprint(Some(summary), map),
            Effect::Argument(_, _, taint) => memo::taint_fingerprint(Some(taint), map),
            Effect::Store(_) => continue,
        };
        if let Some(key) = written_key(write) {
            prints.entry(key).or_default().push(print);
        }
    }
    prints
}

/// The keys whose writes differ between `old` and `new` (see [`prints`]).
fn changed_keys(old: Prints, new: Prints) -> Vec<Dep> {
    let mut changed: Vec<Dep> = old
        .iter()
        .filter(|(key, print)| new.get(*key) != Some(*print) || print.iter().any(Option::is_none))
        .map(|(key, _)| key.clone())
        .collect();
    changed.extend(new.keys().filter(|key| !old.contains_key(*key)).cloned());
    changed
}

/// A value of the file-wide tables at one point of the analysis.
pub(super) enum Found {
    Summary(Option<Arc<Summary>>),
    Argument(Option<Taint>),
}

/// What the dependents path ran: the spans (in the new text) of the definitions it ran again in
/// the record pass (their facts are new) and how many statements it ran.
pub(super) struct Reran {
    pub recorded: Vec<Range<usize>>,
    pub count: usize,
}

/// One run of the dependents path (or a view of the trace for switching the hot definition).
pub(super) struct Ripple<'r, 't> {
    hot: &'r mut Hot,
    entries: &'r mut Bodies,
    top_level: &'r [Node<'t>],
    from_base: Edits,
    /// The hot definition's start (the same in every text since the general analysis).
    hot_start: usize,
    /// Each changed key and the earliest point (pass, start) of a changed write to it.
    changed: HashMap<Dep, (u8, usize)>,
    /// Per pass, the keys the hot definition's kept state lost (see [`run`]).
    stale: Vec<Vec<Dep>>,
    /// Statements to run again, per pass, by start in the general analysis' text.
    pending: [BTreeSet<usize>; PASSES],
    reran: usize,
    recorded: Vec<Range<usize>>,
}

/// Continues the fast path after the hot definition's writes changed in the last pass the
/// interpreter ran it in, or before a pass whose kept state lost keys (`stale`, per pass: what
/// the state held that the edit changed): runs the statements that depend on what changed.
/// `node` is the hot definition among `top_level`, the root's children. `last_step` moves the
/// previous keystroke's positions (the hot definition's old outputs) to the new text. `None`:
/// the general path must run.
pub(super) fn run<'t>(
    interp: &mut Interp<'_>,
    hot: &mut Hot,
    entries: &mut Bodies,
    (node, top_level): (Node<'t>, &[Node<'t>]),
    stale: Vec<Vec<Dep>>,
    last_step: &TextDiff,
) -> Option<Reran> {
    let from_base = hot.trace.mapping()?.clone();
    // (The edits are inside the hot definition: its start has not moved since the last one.)
    let hot_start = from_base.to_old(&(hot.span.0..hot.span.0))?.start;
    let mut ripple = Ripple::view(hot, entries, top_level, from_base, hot_start);
    ripple.stale = stale;
    ripple.list_readers();
    // The passes the hot definition ran in: the last one's writes changed, or the next pass's
    // state is what stopped it (then the comparison finds nothing).
    let ran = interp.watched.len();
    let first = match ran.checked_sub(1) {
        Some(last) => {
            ripple.compare_hot(interp, last, last_step)?;
            last
        }
        None => 0,
    };
    for pass in ran..PASSES {
        ripple.pending[pass].insert(hot_start);
    }
    for pass in first..PASSES {
        while let Some(start) = ripple.pending[pass].pop_first() {
            ripple.reran += 1;
            if ripple.reran > MOST_RERUNS {
                return None;
            }
            if start == hot_start {
                ripple.rerun_hot(interp, node, pass, last_step)?;
            } else {
                ripple.rerun(interp, start, pass)?;
            }
        }
    }
    Some(Reran {
        recorded: ripple.recorded,
        count: ripple.reran,
    })
}

/// The writers of each key and the ends of the memoised definitions (the readers are listed
/// later, by [`readers_of`]).
fn build_index_of(entries: &Bodies, trace: &Trace) -> Index {
    let mut index = Index::default();
    let writes = entries
        .values()
        .flatten()
        .map(|e| (e.span.0, &e.effects))
        .chain(
            trace
                .steps
                .iter()
                .map(|(&(start, _), s)| (start, &s.writes)),
        )
        .chain(trace.side.iter().map(|(&(start, _), s)| (start, &s.writes)));
    for (start, writes) in writes {
        for key in writes.iter().filter_map(written_key) {
            index.writers.entry(key).or_default().push(start);
        }
    }
    for entry in entries.values().flatten() {
        index.ends.insert(entry.span.0, entry.span.1);
    }
    for list in index.writers.values_mut() {
        list.sort_unstable();
        list.dedup();
    }
    index
}

/// The readers of each key: memo entries, traced statements and definitions run again.
fn readers_of(entries: &Bodies, trace: &Trace) -> HashMap<Dep, Vec<usize>> {
    let mut readers: HashMap<Dep, Vec<usize>> = HashMap::default();
    let reads = entries
        .values()
        .flatten()
        .flat_map(|e| e.deps.iter().map(move |(d, _)| (e.span.0, d)))
        .chain(
            trace
                .steps
                .iter()
                .flat_map(|(&(start, _), s)| s.reads.iter().map(move |d| (start, d))),
        )
        .chain(
            trace
                .side
                .iter()
                .flat_map(|(&(start, _), s)| s.reads.iter().map(move |d| (start, d))),
        );
    for (start, dep) in reads.filter(|(_, d)| followed(d)) {
        readers.entry(dep.clone()).or_default().push(start);
    }
    for list in readers.values_mut() {
        list.sort_unstable();
        list.dedup();
    }
    readers
}

impl<'r, 't> Ripple<'r, 't> {
    /// A view of the trace of `hot` (starting at `hot_start` in the general analysis' text)
    /// with the memo's `entries`; `from_base` moves the general analysis' positions to the
    /// text of `top_level`.
    pub(super) fn view(
        hot: &'r mut Hot,
        entries: &'r mut Bodies,
        top_level: &'r [Node<'t>],
        from_base: Edits,
        hot_start: usize,
    ) -> Self {
        if hot.trace.index.is_none() {
            hot.trace.index = Some(build_index_of(entries, &hot.trace));
        }
        Self {
            hot,
            entries,
            top_level,
            from_base,
            hot_start,
            changed: HashMap::default(),
            stale: Vec::new(),
            pending: Default::default(),
            reran: 0,
            recorded: Vec::new(),
        }
    }

    /// Lists the readers of every key, once per trace.
    fn list_readers(&mut self) {
        let listed = self
            .hot
            .trace
            .index
            .as_ref()
            .is_some_and(|i| i.readers.is_some());
        if !listed {
            let readers = readers_of(self.entries, &self.hot.trace);
            if let Some(index) = self.hot.trace.index.as_mut() {
                index.readers = Some(readers);
            }
        }
    }

    /// The trace being viewed.
    pub(super) fn hot(&mut self) -> &mut Hot {
        self.hot
    }

    /// Drops the memo entries of the definition at `start` (in the general analysis' text).
    pub(super) fn forget(&mut self, start: usize) {
        let Some(&end) = self.index().and_then(|index| index.ends.get(&start)) else {
            return;
        };
        for pass in 0..PASSES {
            let key = memo::statement_key((start, end), pass == PASSES - 1);
            remove_entry(self.entries, key, start, pass);
        }
    }

    /// The name the definition at `start` (in the general analysis' text) binds, from its
    /// memo entry for `pass`.
    pub(super) fn base_binds(&self, start: usize, pass: usize) -> Option<Option<String>> {
        let end = *self.index()?.ends.get(&start)?;
        let key = memo::statement_key((start, end), pass == PASSES - 1);
        Some(base_entry(self.entries, key, start, pass)?.binds.clone())
    }

    fn index(&self) -> Option<&Index> {
        self.hot.trace.index.as_ref()
    }

    /// Notes that the writes to `key` changed at `at`: its later readers run again.
    fn mark(&mut self, key: Dep, at: (u8, usize)) {
        if self.changed.get(&key).is_some_and(|earlier| *earlier <= at) {
            return;
        }
        self.changed.insert(key.clone(), at);
        let Some(readers) = self
            .hot
            .trace
            .index
            .as_ref()
            .and_then(|i| i.readers.as_ref()?.get(&key))
        else {
            return;
        };
        for pass in usize::from(at.0)..PASSES {
            let later = readers
                .iter()
                .filter(|&&reader| pass > usize::from(at.0) || reader > at.1);
            self.pending[pass].extend(later);
        }
    }

    /// Compares the hot definition's writes in `pass` with its previous ones.
    fn compare_hot(
        &mut self,
        interp: &Interp<'_>,
        pass: usize,
        last_step: &TextDiff,
    ) -> Option<()> {
        let now = interp.watched.get(pass)?;
        let then = self.hot.outputs.get(pass)?;
        if now.binds != then.binds {
            return None;
        }
        let (old, new) = (
            prints(&then.effects, &Forward(last_step)),
            prints(&now.effects, &Unmoved),
        );
        for key in changed_keys(old, new) {
            self.mark(key, (pass as u8, self.hot_start));
        }
        Some(())
    }

    /// Runs the hot definition again in `pass` from its kept state, brought up to date with
    /// the keys changed before it.
    fn rerun_hot(
        &mut self,
        interp: &mut Interp<'_>,
        node: Node<'_>,
        pass: usize,
        last_step: &TextDiff,
    ) -> Option<()> {
        let here = (pass as u8, self.hot_start);
        let mut before: Vec<Dep> = self
            .changed
            .iter()
            .filter(|(_, at)| **at < here)
            .map(|(key, _)| key.clone())
            .collect();
        before.extend(self.stale.get(pass).into_iter().flatten().cloned());
        for key in before {
            let found = self.value_at(Some(interp), &key, pass, self.hot_start)?;
            let state = self.hot.states.get_mut(pass)?;
            set(state, &key, found);
        }
        interp.record = pass == PASSES - 1;
        interp.pass = pass as u8;
        let state = self.hot.states.get_mut(pass)?;
        interp.run_from(state, node);
        self.compare_hot(interp, pass, last_step)
    }

    /// Runs the definition starting at `start` (general analysis' text) again in `pass`.
    fn rerun(&mut self, interp: &mut Interp<'_>, start: usize, pass: usize) -> Option<()> {
        let at = (start, pass as u8);
        let now = self.from_base.to_new(&(start..start))?.start;
        let node = self.statement_at(now)?;
        let span = node.byte_range();
        if !interp.memoizable(node) {
            return None;
        }
        let record = pass == PASSES - 1;
        let base_key = self
            .index()?
            .ends
            .get(&start)
            .map(|&end| memo::statement_key((start, end), record));
        // What it wrote before, by key, to compare with what it writes now.
        let (reads, old_prints, checks) = match self.hot.trace.side.get(&at) {
            Some(side) => (side.reads.clone(), prints(&side.writes, &Unmoved), None),
            None => {
                let entry = base_entry(self.entries, base_key?, start, pass)?;
                let prints = prints(&entry.effects, &AheadOf(&self.from_base));
                let reads = entry.deps.iter().map(|(d, _)| d.clone()).collect();
                (reads, prints, Some(entry.deps.clone()))
            }
        };
        let mut state = self.state_for(interp, &reads, pass, start)?;
        if let Some(checks) = &checks {
            self.check(&state, checks, pass, start)?;
        }
        interp.record = record;
        interp.pass = pass as u8;
        interp.run_from(&mut state, node);
        let new_key = memo::statement_key((span.start, span.end), record);
        let entry = interp
            .memo
            .get(&new_key)?
            .iter()
            .rev()
            .find(|e| e.pass == pass as u8 && e.span == (span.start, span.end))?;
        let known: HashSet<&Dep> = reads.iter().collect();
        if !entry.deps.iter().all(|(dep, _)| known.contains(dep)) {
            return None;
        }
        let writes: Vec<Effect> = entry
            .effects
            .iter()
            .filter(|e| !matches!(e, Effect::Store(_)))
            .cloned()
            .collect();
        let new_reads = entry.deps.iter().map(|(d, _)| d.clone()).collect();
        for key in changed_keys(old_prints, prints(&writes, &Unmoved)) {
            self.note_writer(&key, start);
            self.mark(key, (pass as u8, start));
        }
        let binds = entry.binds.clone();
        if let (Some(_), Some(key)) = (&checks, base_key) {
            remove_entry(self.entries, key, start, pass);
        }
        self.hot.trace.side.insert(
            at,
            Side {
                reads: new_reads,
                writes,
                binds,
            },
        );
        if record {
            self.recorded.push(span);
        }
        Some(())
    }

    /// Lists a statement among a key's writers (it may write a key it did not write before).
    fn note_writer(&mut self, key: &Dep, start: usize) {
        let Some(index) = self.hot.trace.index.as_mut() else {
            return;
        };
        let writers = index.writers.entry(key.clone()).or_default();
        if let Err(at) = writers.binary_search(&start) {
            writers.insert(at, start);
        }
    }

    /// The top-level definition starting at `start` (in the new text).
    fn statement_at(&self, start: usize) -> Option<Node<'t>> {
        let at = self.top_level.partition_point(|s| s.start_byte() < start);
        let node = *self.top_level.get(at)?;
        (node.start_byte() == start && hot::is_definition(&node)).then_some(node)
    }

    /// The state a statement at `start` reads in `pass`: module bindings and the previous
    /// pass's as where the hot definition starts, summaries and argument taint from the trace.
    fn state_for(
        &self,
        interp: &Interp<'_>,
        reads: &[Dep],
        pass: usize,
        start: usize,
    ) -> Option<PassState> {
        let kept = self.hot.states.get(pass)?;
        let mut state = PassState::default();
        for dep in reads {
            match dep {
                Dep::Global(name) => {
                    if let Some(value) = kept.globals.get(name) {
                        state.globals.insert(name.clone(), value.clone());
                    }
                }
                Dep::Module(name) => {
                    if let Some(value) = kept.module.get(name) {
                        state.module.insert(name.clone(), value.clone());
                    }
                }
                Dep::Summary(_) | Dep::Argument(..) => {
                    let found = self.value_at(Some(interp), dep, pass, start)?;
                    set(&mut state, dep, found);
                }
                Dep::Param(_) => return None,
            }
        }
        Some(state)
    }

    /// Checks that what a definition read last time (`checks`, fingerprints in the general
    /// analysis' text) is what `state` holds, for every key that did not change before it.
    fn check(
        &self,
        state: &PassState,
        checks: &[(Dep, u64)],
        pass: usize,
        start: usize,
    ) -> Option<()> {
        let here = (pass as u8, start);
        let back = BackTo(&self.from_base);
        for (dep, print) in checks {
            if self.changed.get(dep).is_some_and(|at| *at < here) {
                continue;
            }
            let now = match dep {
                Dep::Global(name) => memo::value_fingerprint(state.globals.get(name), &back),
                Dep::Module(name) => memo::value_fingerprint(state.module.get(name), &back),
                Dep::Summary(key) => {
                    memo::summary_fingerprint(state.summaries.get(key).map(|s| &**s), &back)
                }
                Dep::Argument(key, index) => {
                    memo::taint_fingerprint(state.argument_taint.get(&(key.clone(), *index)), &back)
                }
                Dep::Param(_) => None,
            };
            (now == Some(*print)).then_some(())?;
        }
        Some(())
    }

    /// The value of a summary or argument key that a statement at `start` (in the general
    /// analysis' text) sees in `pass`:
    /// the last summary written before it, or every argument taint merged before it, in the
    /// order of the passes and statements.
    pub(super) fn value_at(
        &self,
        interp: Option<&Interp<'_>>,
        key: &Dep,
        pass: usize,
        start: usize,
    ) -> Option<Found> {
        let index = self.index()?;
        let mut writers: Vec<usize> = index.writers.get(key).cloned().unwrap_or_default();
        if let Err(at) = writers.binary_search(&self.hot_start) {
            writers.insert(at, self.hot_start);
        }
        let before = writers.partition_point(|&w| w < start);
        match key {
            Dep::Summary(name) => {
                for q in (0..=pass).rev() {
                    let list = if q == pass {
                        &writers[..before]
                    } else {
                        &writers[..]
                    };
                    for &writer in list.iter().rev() {
                        let writes = self.writes_of(interp, writer, q)?;
                        let last = writes.iter().rev().find_map(|w| match w {
                            Effect::Summary(k, summary) if k == name => Some(Arc::clone(summary)),
                            _ => None,
                        });
                        if last.is_some() {
                            return Some(Found::Summary(last));
                        }
                    }
                }
                Some(Found::Summary(None))
            }
            Dep::Argument(name, index) => {
                let mut merged: Option<Taint> = None;
                for q in 0..=pass {
                    let list = if q == pass {
                        &writers[..before]
                    } else {
                        &writers[..]
                    };
                    for &writer in list {
                        for write in self.writes_of(interp, writer, q)? {
                            if let Effect::Argument(k, i, taint) = write {
                                if k == *name && i == *index {
                                    merged.get_or_insert_with(Taint::default).merge(&taint);
                                }
                            }
                        }
                    }
                }
                Some(Found::Argument(merged))
            }
            _ => None,
        }
    }

    /// What the statement at `start` (in the general analysis' text) wrote in `pass`, positions
    /// in the latest text; the hot definition's as the interpreter ran it, or without one, as
    /// it was kept.
    pub(super) fn writes_of(
        &self,
        interp: Option<&Interp<'_>>,
        start: usize,
        pass: usize,
    ) -> Option<Vec<Effect>> {
        if start == self.hot_start {
            return Some(match interp {
                Some(interp) => interp.watched.get(pass)?.effects.clone(),
                None => self.hot.outputs.get(pass)?.effects.clone(),
            });
        }
        if let Some(side) = self.hot.trace.side.get(&(start, pass as u8)) {
            return Some(side.writes.clone());
        }
        let forward = AheadOf(&self.from_base);
        if let Some(end) = self.index()?.ends.get(&start) {
            let key = memo::statement_key((start, *end), pass == PASSES - 1);
            let entry = base_entry(self.entries, key, start, pass)?;
            return relocated(&entry.effects, &forward);
        }
        match self.hot.trace.steps.get(&(start, pass as u8)) {
            Some(step) => relocated(&step.writes, &forward),
            None => Some(Vec::new()),
        }
    }
}

/// Sets a summary or argument key of `state` to `found`.
pub(super) fn set(state: &mut PassState, key: &Dep, found: Found) {
    match (key, found) {
        (Dep::Summary(name), Found::Summary(value)) => match value {
            Some(summary) => {
                state.summaries.insert(name.clone(), summary);
            }
            None => {
                state.summaries.remove(name);
            }
        },
        (Dep::Argument(name, index), Found::Argument(value)) => {
            let key = (name.clone(), *index);
            match value {
                Some(taint) => {
                    state.argument_taint.insert(key, taint);
                }
                None => {
                    state.argument_taint.remove(&key);
                }
            }
        }
        _ => {}
    }
}

/// The memo entry of the definition at `start` for `pass`.
fn base_entry(entries: &Bodies, key: u64, start: usize, pass: usize) -> Option<&Entry> {
    entries
        .get(&key)?
        .iter()
        .find(|e| e.span.0 == start && usize::from(e.pass) == pass)
}

/// Drops the memo entry of the definition at `start` for `pass` (it ran again: its record no
/// longer matches the facts).
fn remove_entry(entries: &mut Bodies, key: u64, start: usize, pass: usize) {
    if let Some(bodies) = entries.get_mut(&key) {
        bodies.retain(|e| !(e.span.0 == start && usize::from(e.pass) == pass));
        if bodies.is_empty() {
            entries.remove(&key);
        }
    }
}

/// The writes among `effects`, moved through `map`.
fn relocated(effects: &[Effect], map: &impl RangeMap) -> Option<Vec<Effect>> {
    effects
        .iter()
        .filter(|e| !matches!(e, Effect::Store(_)))
        .map(|e| {
            let mut e = e.clone();
            e.relocate(map).then_some(e)
        })
        .collect()
}
