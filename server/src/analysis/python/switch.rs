//! Switching the hot definition: a keystroke in another top-level definition than the hot one
//! makes that one hot without a general analysis.
//!
//! The fast path needs, for each pass, the file-wide state as the newly edited definition
//! starts. The trace of the general analysis (see `ripple`) has it: from the state kept where
//! the old hot definition starts, the summaries and argument taint written by the statements
//! between the two are found again as the trace says they are where the new one starts, and
//! the module bindings differ only by the names the definitions between unbind (their values
//! were traced when one was bound). The old hot definition joins the trace with what it read
//! and wrote last, and the new one leaves it. Then the fast path (and the dependents path)
//! runs the edit as usual.
//!
//! Only definitions, imports and comments may lie between the two (module-level code binds
//! names the trace does not know the values of); anything else, and anything the trace cannot
//! place, leaves the switch to the general path.

use tree_sitter::{Node, Tree};

use super::hot::{self, Hot, Outputs, PASSES};
use super::memo::{self, Bodies, Dep, Effect, Memo};
use super::ripple::{self, AheadOf, Ripple, Side};
use crate::analysis::incremental::{Edits, Relocate, TextDiff};

/// Makes the top-level definition holding the edit `diff` (from `memo`'s text to `source`, whose
/// tree's root children are `top_level`) the hot one of `memo`, in the coordinates of `memo`'s
/// text; `None` (leaving `memo` as it was) when it cannot.
pub(super) fn retarget(
    memo: &mut Memo,
    source: &str,
    tree: &Tree,
    top_level: &[Node<'_>],
    diff: &TextDiff,
) -> Option<()> {
    let change = diff.latest_change();
    let at = top_level
        .partition_point(|s| s.start_byte() <= change.start)
        .checked_sub(1)?;
    let edited = *top_level.get(at)?;
    if change.end > edited.end_byte()
        || !hot::is_definition(&edited)
        || hot::binds_in_module(edited, source)
        || !hot::only_error_in(tree.root_node(), top_level, edited)
    {
        return None;
    }
    // Its span in the previous text (the edit is inside it).
    let span = (
        edited.start_byte(),
        (edited.end_byte() + memo.text.len()).checked_sub(source.len())?,
    );
    let changed = diff.earliest_change_in_old();
    let old = memo.hot.as_ref()?;
    if changed.start < span.0 || changed.end > span.1 || old.span.0 == span.0 {
        return None;
    }
    if old.states.len() != PASSES || memo.facts.is_none() {
        return None;
    }
    let moves = old.trace.mapping()?.clone();
    let old_span = old.span;
    // The definitions between the two, and the other's span now.
    let old_now = diff.to_new(&(old_span.0..old_span.1))?;
    let (low, high) = if span.0 < old_span.0 {
        (edited.end_byte(), old_now.start)
    } else {
        (old_now.end, edited.start_byte())
    };
    let first = top_level.partition_point(|s| s.start_byte() < low);
    let last = top_level.partition_point(|s| s.start_byte() < high);
    let between = top_level.get(first..last)?;
    if !between.iter().all(|s| inert_or_definition(*s, source)) {
        return None;
    }
    // Starts in the general analysis' text: of the statements between (and of the edited
    // definition, when it comes first), whose writes in a pass lie between the two states.
    let base_start = |now: usize| -> Option<usize> {
        let previous = diff.to_old(&(now..now))?;
        Some(moves.to_old(&previous)?.start)
    };
    let definitions: Vec<(usize, Option<&str>)> = between
        .iter()
        .filter(|s| hot::is_definition(s))
        .map(|s| Some((base_start(s.start_byte())?, memo::defined_name(*s, source))))
        .collect::<Option<_>>()?;
    let old_start = moves.to_old(&(old_span.0..old_span.0))?.start;
    let new_start = moves.to_old(&(span.0..span.0))?.start;
    let after = span.0 > old_span.0;

    let mut entries = std::mem::take(&mut memo.entries);
    let mut hot = memo.hot.take()?;
    let built = build(
        &mut hot,
        &mut entries,
        top_level,
        &moves,
        (old_start, old_span),
        (new_start, span),
        &definitions,
        after,
    );
    memo.entries = entries;
    match built {
        Some(next) => {
            crate::analysis::garbage::defer(std::mem::replace(&mut hot, next));
            memo.hot = Some(hot);
            Some(())
        }
        None => {
            memo.hot = Some(hot);
            None
        }
    }
}

/// Whether a statement between the two definitions is one the trace accounts for: a
/// definition (memoised: no walrus, no syntax error), an import or a comment.
fn inert_or_definition(statement: Node<'_>, source: &str) -> bool {
    match statement.kind() {
        "comment" | "import_statement" | "import_from_statement" | "future_import_statement" => {
            true
        }
        _ => {
            hot::is_definition(&statement)
                && !statement.has_error()
                && !hot::binds_in_module(statement, source)
        }
    }
}

/// The hot definition for the edited one, from the old `hot` (both with their start in the
/// general analysis' text and span in the previous one); hands the old hot definition's reads
/// and writes to the trace. `definitions` lists the definitions between the two (start, name).
#[allow(clippy::too_many_arguments)]
fn build(
    hot: &mut Hot,
    entries: &mut Bodies,
    top_level: &[Node<'_>],
    moves: &Edits,
    (old_start, old_span): (usize, (usize, usize)),
    (new_start, span): (usize, (usize, usize)),
    definitions: &[(usize, Option<&str>)],
    after: bool,
) -> Option<Hot> {
    // What the old hot definition read and wrote, per pass, from its own memo entries.
    let mut sides = Vec::with_capacity(PASSES);
    for pass in 0..PASSES {
        let entry = hot
            .entries
            .values()
            .flatten()
            .find(|e| e.span == old_span && usize::from(e.pass) == pass)?;
        sides.push(Side {
            reads: entry.deps.iter().map(|(d, _)| d.clone()).collect(),
            writes: entry
                .effects
                .iter()
                .filter(|e| !matches!(e, Effect::Store(_)))
                .cloned()
                .collect(),
            binds: entry.binds.clone(),
        });
    }
    let unbound = std::mem::take(&mut hot.trace.unbound);
    let mut view = Ripple::view(hot, entries, top_level, moves.clone(), old_start);
    // What changes between the two kept states, per pass; applied once all of it is known (the
    // old states are then taken over, not copied).
    let mut changes = Vec::with_capacity(PASSES);
    let mut outputs = Vec::with_capacity(PASSES);
    for pass in 0..PASSES {
        // The statements whose writes in this pass lie between the two states.
        let mut between: Vec<usize> = definitions.iter().map(|(start, _)| *start).collect();
        between.push(if after { old_start } else { new_start });
        let mut keys: Vec<Dep> = Vec::new();
        for &start in &between {
            for write in view.writes_of(None, start, pass)? {
                if let Some(key) = ripple::written_key(&write) {
                    if !keys.contains(&key) {
                        keys.push(key);
                    }
                }
            }
        }
        let mut values = Vec::with_capacity(keys.len());
        for key in keys {
            let found = view.value_at(None, &key, pass, new_start)?;
            values.push((key, found));
        }
        let binds = binds_of(&mut view, new_start, pass)?;
        let mut unbind = Vec::new();
        let mut rebind = Vec::new();
        if after {
            // The old hot definition and those between unbind their names.
            let old_name = view.hot().outputs.get(pass)?.binds.clone();
            unbind.extend(
                definitions
                    .iter()
                    .filter_map(|(_, n)| n.map(str::to_string)),
            );
            unbind.extend(old_name);
        } else {
            // What the edited definition and those between unbound is bound where it starts.
            for start in definitions.iter().map(|(s, _)| *s).chain([new_start]) {
                if let Some(value) = unbound.get(&(start, pass as u8)) {
                    let mut value = value.clone();
                    let name = match start == new_start {
                        true => binds.clone(),
                        false => definitions
                            .iter()
                            .find(|(s, _)| *s == start)
                            .and_then(|(_, name)| name.map(str::to_string)),
                    };
                    if !value.relocate(&AheadOf(moves)) {
                        return None;
                    }
                    rebind.push((name?, value));
                }
            }
        }
        let effects = view.writes_of(None, new_start, pass)?;
        outputs.push(Outputs { effects, binds });
        changes.push((values, unbind, rebind));
    }
    let mut states = std::mem::take(&mut view.hot().states);
    for (state, (values, unbind, rebind)) in states.iter_mut().zip(changes) {
        for (key, found) in values {
            ripple::set(state, &key, found);
        }
        for name in unbind {
            state.module.remove(&name);
        }
        for (name, value) in rebind {
            state.module.insert(name, value);
        }
    }
    // The edited definition's memo entries go: a general analysis drops the hot definition's
    // calls from the previous facts, so an entry replayed there (its text back as it was)
    // would find none. (Its entries from now on are the hot definition's.)
    view.forget(new_start);
    let hot = view.hot();
    hot.trace.unbound = unbound;
    for (pass, side) in sides.into_iter().enumerate() {
        hot.trace.note(old_start, &side.reads, &side.writes);
        hot.trace.side.insert((old_start, pass as u8), side);
    }
    for pass in 0..PASSES {
        hot.trace.side.remove(&(new_start, pass as u8));
    }
    Some(Hot::switched(
        span,
        states,
        outputs,
        std::mem::take(&mut hot.trace),
    ))
}

/// The name the definition at `start` (the edited one) binds, as the trace has it.
fn binds_of(view: &mut Ripple<'_, '_>, start: usize, pass: usize) -> Option<Option<String>> {
    let hot = view.hot();
    if let Some(side) = hot.trace.side.get(&(start, pass as u8)) {
        return Some(side.binds.clone());
    }
    view.base_binds(start, pass)
}
