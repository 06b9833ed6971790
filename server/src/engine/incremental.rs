//! Incremental detector runs. After an edit, the detectors of [`Scope::Definition`] check again
//! only the top-level statements the edit can have changed the hits of: definitions whose text
//! or facts changed, and every statement that is not a definition. The hits found in a
//! definition whose text and facts are the same as in an earlier scan are taken from that scan,
//! moved to where the definition is now.
//!
//! Positions are compared in a frame that survives moves ([`Portable`]): relative to the
//! definition itself, or to another top-level statement identified by its text (a taint origin
//! in a function defined elsewhere). A definition's key hashes its text and the facts of its
//! calls and stores in that frame, so a definition that only moved, or whose facts point into
//! statements that only moved, keeps its key. What every definition's hits also depend on — the
//! imports, the language, the path and which detectors run — is one context key; when it
//! changes, nothing is reused.
//!
//! The work per keystroke follows the edit, not the file. The last scan's statements and
//! definitions are kept in document order; after an edit that changed one region of the text,
//! only the statements touching it are looked at again ([`update_keys`]): the others are where
//! the edit moved them (checked by span and kind), and a definition among them keeps its key,
//! hits and findings when the analysis replayed it and the statements its facts point into are
//! clear of the edit. The finding of a kept hit is taken as it was, moved, when the edit went
//! inside another definition and moved no line the finding's positions are on
//! ([`Change::carry`]; the detector declares through [`Detector::finish_scope`] that nothing
//! else decides it); otherwise its message and fixes are made again (messages name lines,
//! which move).
//!
//! [`Scope::Definition`]: crate::detectors::Scope::Definition
//! [`Detector::finish_scope`]: crate::detectors::Detector::finish_scope

use std::cell::{OnceCell, RefCell};
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use tree_sitter::Node;

use crate::analysis::incremental::{fingerprinter, hash_value, Fingerprinter, RangeMap, TextDiff};
use crate::analysis::python::Moved;
use crate::analysis::{AnalysisCache, Call, Facts, Store};
use crate::detectors::{Detector, Hit};
use crate::finding::Finding;
use crate::lang::Language;
use crate::text::LineIndex;

/// What the engine keeps between scans of one document (see [`super::scan_incremental`]).
#[derive(Debug, Default)]
pub struct ScanCache {
    /// The analysis' cache.
    pub analysis: AnalysisCache,
    /// Hits of the definition-scoped detectors per definition.
    definitions: DefinitionHits,
    /// The text of the last scan and its line index, which the next scan updates around the
    /// edit instead of indexing the whole text again.
    pub(super) lines: Option<(String, LineIndex)>,
}

impl ScanCache {
    /// How many top-level definitions the last scan took from the one before.
    pub fn reused_definitions(&self) -> usize {
        self.definitions.reused
    }

    /// How many top-level definitions the last scan kept the key of without hashing their
    /// facts (the analysis replayed them and nothing they point into changed).
    pub fn kept_keys(&self) -> usize {
        self.definitions.kept
    }

    /// How many findings the last scan took from the one before without making them again.
    pub fn carried_findings(&self) -> usize {
        self.definitions.carried
    }
}

/// The hits of the definition-scoped detectors in each top-level definition.
#[derive(Debug, Default)]
struct DefinitionHits {
    /// The context key they were found under (0: none).
    context: u64,
    /// Hits by definition key. Under one context a key decides its hits, so the entries of
    /// definitions that are gone stay true; pruned when they outnumber the definitions.
    by_key: HashMap<u64, Arc<[CachedHit]>>,
    /// How many definitions the last scan reused.
    reused: usize,
    /// The last scan's definitions, in document order.
    keys: Vec<DefinitionKey>,
    /// The last scan's top-level statements, in document order.
    statements: Vec<Statement>,
    /// The number of the analysis (see [`AnalysisCache::generation`]) whose facts they hash.
    generation: u64,
    /// How many keys the last scan kept without hashing.
    kept: usize,
    /// How many findings the last scan carried over.
    carried: usize,
    /// The length and the number of lines of the last scan's text.
    text: (usize, usize),
}

/// A top-level statement of a scan.
#[derive(Debug, Clone)]
struct Statement {
    span: Range<usize>,
    kind: u16,
    /// Whether it is a definition ([`is_definition`]).
    definition: bool,
    /// Whether it has a key (a definition without syntax errors whose facts hash).
    keyed: bool,
}

/// A definition's key, what decides whether it still holds after an edit elsewhere, and the
/// hits found in it.
#[derive(Debug, Clone)]
struct DefinitionKey {
    /// The definition's span.
    span: Range<usize>,
    key: u64,
    /// The other top-level statements its facts point into, with their text hashes: the key
    /// holds while each is still a top-level statement with that text. `None` when a fact
    /// points outside every statement (the key holds only where it was made).
    foreign: Option<Vec<(Range<usize>, u64)>>,
    /// Its hits, when known under the last scan's context.
    known: Option<Known>,
}

/// The hits of a definition and their findings.
#[derive(Debug, Clone)]
struct Known {
    hits: Arc<[CachedHit]>,
    /// For each hit, its finding in the last scan's text, when the next scan may carry it
    /// (see [`Change::carry`]).
    finished: Vec<Option<Finished>>,
}

/// A finding with the other positions of its hit, in the text of one scan.
#[derive(Debug, Clone)]
struct Finished {
    finding: Finding,
    anchor: Range<usize>,
    origin: Option<Range<usize>>,
}

/// Where a hit goes back to once finished: a definition (index in the plan's keys) and the
/// hit's index among its hits.
pub(super) type Target = Option<(usize, usize)>;

/// How the text changed since the last scan: `start..old_end` became `start..new_end`, the rest
/// is the same; the text has `lines` more lines (or fewer).
#[derive(Debug, Clone, Copy)]
struct Change {
    start: usize,
    old_end: usize,
    new_end: usize,
    lines: isize,
}

impl Change {
    /// The change `diff` describes between texts of these lengths and numbers of lines, when it
    /// is one region.
    fn new(diff: &TextDiff, old: (usize, usize), new: (usize, usize)) -> Option<Self> {
        let before = diff.earliest_change_in_old();
        let after = diff.latest_change();
        let single = before.start == after.start
            && old.0.checked_sub(before.end)? == new.0.checked_sub(after.end)?;
        let lines = isize::try_from(new.1).ok()? - isize::try_from(old.1).ok()?;
        single.then_some(Self {
            start: before.start,
            old_end: before.end,
            new_end: after.end,
            lines,
        })
    }

    /// Where an old range is now, when it lies clear of the change (not in it, not touching it).
    fn moved(&self, range: &Range<usize>) -> Option<Range<usize>> {
        if range.end < self.start {
            Some(range.clone())
        } else if range.start > self.old_end {
            let shift = |at: usize| at - self.old_end + self.new_end;
            Some(shift(range.start)..shift(range.end))
        } else {
            None
        }
    }

    /// Where a position of a finding is now, when the finding can be carried: clear of the
    /// change, and on a line that did not move.
    fn carry(&self, range: &Range<usize>) -> Option<Range<usize>> {
        if self.lines != 0 && range.end >= self.start {
            return None;
        }
        self.moved(range)
    }

    /// Moves a finding and its hit's positions; false (and nothing moved) when one cannot be
    /// carried.
    fn carry_finished(&self, finished: &mut Finished) -> bool {
        let finding = &finished.finding;
        let ranges = std::iter::once(&finding.range)
            .chain(
                finding
                    .fixes
                    .iter()
                    .flat_map(|f| f.edits.iter().map(|e| &e.range)),
            )
            .chain(std::iter::once(&finished.anchor))
            .chain(&finished.origin);
        if !ranges.into_iter().all(|r| self.carry(r).is_some()) {
            return false;
        }
        let carry = |range: &mut Range<usize>| {
            if let Some(moved) = self.carry(range) {
                *range = moved;
            }
        };
        carry(&mut finished.finding.range);
        for fix in &mut finished.finding.fixes {
            for edit in &mut fix.edits {
                carry(&mut edit.range);
            }
        }
        carry(&mut finished.anchor);
        if let Some(origin) = &mut finished.origin {
            carry(origin);
        }
        true
    }
}

/// Which top-level statements the definition-scoped detectors check in this scan, and what is
/// taken from the last one.
pub(super) struct Plan<'t> {
    layout: Layout<'t>,
    /// The statements to check, in document order.
    pub roots: Vec<Node<'t>>,
    /// For each of them: its index in `keys` if it is a definition.
    checked: Vec<Option<usize>>,
    /// Hits taken from the last scan whose findings are made again: detector, the hit placed in
    /// the current text, and where it goes back.
    refinish: Vec<(&'static str, Hit, Target)>,
    /// The statements of the definitions with hits in `refinish`.
    refinish_roots: Vec<Node<'t>>,
    /// Findings taken from the last scan, moved.
    carried: Vec<Finding>,
    /// This scan's definitions, in document order.
    keys: Vec<DefinitionKey>,
    statements: Vec<Statement>,
    context: u64,
    reused: usize,
    kept: usize,
    generation: u64,
    text: (usize, usize),
}

impl<'t> Plan<'t> {
    /// The index in [`Plan::roots`] of the statement a hit starting at `offset` lies in.
    pub fn root_of(&self, offset: usize) -> Option<usize> {
        root_of(&self.roots, offset)
    }

    /// The hits found in the checked statements (`found`, with their detectors) and those
    /// taken from the last scan whose findings are made again, each with where its finding
    /// goes back ([`Plan::keep_finding`]). Remembers the found hits of each definition.
    pub fn hits_to_finish(
        &mut self,
        found: Vec<(&'static str, Hit)>,
    ) -> Vec<(&'static str, Hit, Target)> {
        let mut per_root: Vec<Vec<CachedHit>> = vec![Vec::new(); self.roots.len()];
        let mut out = Vec::with_capacity(found.len() + self.refinish.len());
        for (detector, hit) in found {
            let Some(r) = self.root_of(hit.range.start) else {
                continue;
            };
            let target = self.checked[r].map(|record| {
                let own = index_in(&self.statements, self.keys[record].span.start);
                per_root[r].push(CachedHit::new(detector, hit.clone(), &self.layout, own));
                (record, per_root[r].len() - 1)
            });
            out.push((detector, hit, target));
        }
        for (r, hits) in per_root.into_iter().enumerate() {
            if let Some(record) = self.checked[r] {
                self.keys[record].known = Some(Known {
                    finished: vec![None; hits.len()],
                    hits: hits.into(),
                });
            }
        }
        out.append(&mut self.refinish);
        out
    }

    /// Keeps the finding made for a hit (`target` from [`Plan::hits_to_finish`]), so the next
    /// scan can carry it.
    pub fn keep_finding(&mut self, target: (usize, usize), hit: &Hit, finding: &Finding) {
        let Some(known) = self.keys.get_mut(target.0).and_then(|k| k.known.as_mut()) else {
            return;
        };
        if let Some(slot) = known.finished.get_mut(target.1) {
            *slot = Some(Finished {
                finding: finding.clone(),
                anchor: hit.anchor.clone(),
                origin: hit.origin.as_ref().map(|o| o.range.clone()),
            });
        }
    }

    /// The statements whose hits are finished in this scan (checked, or taken from the last
    /// one with their findings made again), in document order.
    pub fn finishing_roots(&self) -> Vec<Node<'t>> {
        let mut roots = self.roots.clone();
        roots.extend_from_slice(&self.refinish_roots);
        roots.sort_by_key(Node::start_byte);
        roots.dedup_by_key(|r| r.start_byte());
        roots
    }

    /// The findings taken from the last scan, moved to the current text.
    pub fn take_carried(&mut self) -> Vec<Finding> {
        std::mem::take(&mut self.carried)
    }
}

/// The index of the node of `roots` (sorted, disjoint) that `offset` lies in.
fn root_of(roots: &[Node<'_>], offset: usize) -> Option<usize> {
    let i = roots.partition_point(|r| r.start_byte() <= offset);
    (i > 0 && offset <= roots[i - 1].end_byte()).then(|| i - 1)
}

/// The facts of the calls and stores inside `roots` (sorted, disjoint).
pub(super) fn facts_within(facts: &Facts, roots: &[Node<'_>]) -> Facts {
    Facts {
        imports: facts.imports.clone(),
        calls: items_within(&facts.calls, roots, |c| c.range.start),
        stores: items_within(&facts.stores, roots, |s| s.range.start),
    }
}

/// The items (in their order) that start inside one of `roots` (sorted, disjoint): as
/// [`root_of`] decides it. When the items are sorted by start, only the runs inside the roots
/// are looked at (a keystroke checks a few roots among thousands of statements).
fn items_within<T: Clone>(items: &[T], roots: &[Node<'_>], start: impl Fn(&T) -> usize) -> Vec<T> {
    if !items.is_sorted_by_key(&start) {
        return items
            .iter()
            .filter(|item| root_of(roots, start(item)).is_some())
            .cloned()
            .collect();
    }
    let mut within = Vec::new();
    let mut from = 0;
    for root in roots {
        let first = from + items[from..].partition_point(|item| start(item) < root.start_byte());
        let end = first + items[first..].partition_point(|item| start(item) <= root.end_byte());
        within.extend_from_slice(&items[first..end]);
        from = end;
    }
    within
}

/// What a scan needs to know about the file to plan.
pub(super) struct Scanned<'a, 't> {
    /// The root's children.
    pub top_level: &'a [Node<'t>],
    pub source: &'t str,
    pub language: Language,
    pub path: Option<&'a Path>,
    pub facts: &'a Facts,
    /// The number of lines of `source` (as [`crate::detectors::Context::line_of`] counts them).
    pub lines: usize,
}

/// Plans a scan: the statements whose hits are not known, given what `cache` remembers;
/// `detectors` come with their [`Detector::file_key`] and whether their findings may be
/// carried ([`Detector::finish_scope`]).
pub(super) fn plan<'t>(
    cache: &mut ScanCache,
    scanned: &Scanned<'_, 't>,
    detectors: &[(&dyn Detector, u64)],
    carries: impl Fn(&'static str) -> bool,
) -> Plan<'t> {
    let Scanned {
        top_level,
        source,
        language,
        path,
        facts,
        lines,
    } = *scanned;
    let context = context_key(language, path, facts, detectors);
    let known = &mut cache.definitions;
    let same_context = known.context == context;
    let mut keys = std::mem::take(&mut known.keys);
    let mut statements = std::mem::take(&mut known.statements);
    if !same_context {
        known.by_key.clear();
        for key in &mut keys {
            key.known = None;
        }
    }
    let layout = Layout::new(top_level, source);
    let moved = cache
        .analysis
        .moved()
        .filter(|_| known.generation + 1 == cache.analysis.generation());
    let change = moved.and_then(|m| Change::new(&m.diff, known.text, (source.len(), lines)));
    let update = match (moved, change) {
        (Some(moved), Some(change)) => update_keys(
            &layout,
            language,
            facts,
            moved,
            &change,
            &mut keys,
            &mut statements,
        ),
        _ => None,
    };
    let (kept, carry) = match update {
        Some(update) => (update.kept, change.filter(|_| update.inside_one_definition)),
        None => {
            let (all, kept) = definition_keys(&layout, language, facts, moved, &keys);
            statements = layout
                .statements
                .iter()
                .zip(&all)
                .map(|(node, key)| Statement {
                    span: node.byte_range(),
                    kind: node.kind_id(),
                    definition: is_definition(language, node.kind()),
                    keyed: key.is_some(),
                })
                .collect();
            keys = all.into_iter().flatten().collect();
            (kept, None)
        }
    };
    let mut plan = Plan {
        roots: Vec::new(),
        checked: Vec::new(),
        refinish: Vec::new(),
        refinish_roots: Vec::new(),
        carried: Vec::new(),
        keys: Vec::new(),
        statements: Vec::new(),
        context,
        reused: 0,
        kept,
        generation: cache.analysis.generation(),
        text: (source.len(), lines),
        layout,
    };
    // The definitions whose hits are not known from the last scan: taken by key, or checked.
    let mut check: Vec<usize> = Vec::new();
    let mut checked_records: Vec<usize> = Vec::new();
    for (record, key) in keys.iter_mut().enumerate() {
        if key.known.is_some() {
            continue;
        }
        match known.by_key.get(&key.key) {
            Some(hits) => {
                key.known = Some(Known {
                    finished: vec![None; hits.len()],
                    hits: hits.clone(),
                });
            }
            None => {
                check.push(index_in(&statements, key.span.start));
                checked_records.push(record);
            }
        }
    }
    // Every definition with hits: carry their findings, or place them to finish them again.
    let mut carried = 0;
    for (record, key) in keys.iter_mut().enumerate() {
        let Some(known) = key.known.as_mut() else {
            continue;
        };
        if known.hits.is_empty() {
            plan.reused += 1;
            continue;
        }
        let own = index_in(&statements, key.span.start);
        let mut moved = Vec::new();
        let mut placed = Vec::new();
        let mut placeable = true;
        for (i, cached) in known.hits.iter().enumerate() {
            let carried = match (carry, &mut known.finished[i]) {
                (Some(change), Some(finished)) if carries(cached.detector) && cached.portable() => {
                    change.carry_finished(finished)
                }
                _ => false,
            };
            if carried {
                moved.push(i);
                continue;
            }
            match cached.placed(&plan.layout, own) {
                Some(hit) => placed.push((cached.detector, hit, Some((record, i)))),
                None => {
                    placeable = false;
                    break;
                }
            }
        }
        if !placeable {
            // A position cannot be placed (its statement changed or is ambiguous): check it.
            key.known = None;
            check.push(own);
            checked_records.push(record);
            continue;
        }
        plan.reused += 1;
        let mut moved = moved.into_iter().peekable();
        for (i, finished) in known.finished.iter_mut().enumerate() {
            if moved.next_if_eq(&i).is_none() {
                *finished = None;
            } else if let Some(finished) = finished {
                plan.carried.push(finished.finding.clone());
                carried += 1;
            }
        }
        if !placed.is_empty() {
            plan.refinish_roots.push(plan.layout.statements[own]);
            plan.refinish.extend(placed);
        }
    }
    known.carried = carried;
    // Every statement that is not a definition with a key is checked too.
    check.extend(
        statements
            .iter()
            .enumerate()
            .filter(|(_, s)| !s.keyed)
            .map(|(i, _)| i),
    );
    let mut order: Vec<(usize, Option<usize>)> = check
        .iter()
        .enumerate()
        .map(|(n, &i)| (i, checked_records.get(n).copied()))
        .collect();
    order.sort_unstable_by_key(|(i, _)| *i);
    order.dedup_by_key(|(i, _)| *i);
    plan.roots = order
        .iter()
        .map(|(i, _)| plan.layout.statements[*i])
        .collect();
    plan.checked = order.into_iter().map(|(_, record)| record).collect();
    plan.keys = keys;
    plan.statements = statements;
    plan
}

/// The index of the statement starting at `start` (or of the first after it).
fn index_in(statements: &[Statement], start: usize) -> usize {
    statements.partition_point(|s| s.span.start < start)
}

/// The result of [`update_keys`].
struct Update {
    /// How many keys were kept without hashing.
    kept: usize,
    /// Whether the change lies inside one definition, the only statement touching it before
    /// and after.
    inside_one_definition: bool,
}

/// Updates the last scan's statements and keys to the current text after `change`: only the
/// statements touching it are looked at again, when every other one is where the change moved
/// it with the same kind. `None` (and nothing changed) otherwise.
fn update_keys(
    layout: &Layout<'_>,
    language: Language,
    facts: &Facts,
    moved: &Moved,
    change: &Change,
    keys: &mut Vec<DefinitionKey>,
    statements: &mut Vec<Statement>,
) -> Option<Update> {
    let new = &layout.statements;
    let a0 = statements.partition_point(|s| s.span.end < change.start);
    let a1 = statements.partition_point(|s| s.span.start <= change.old_end);
    let b0 = new.partition_point(|s| s.end_byte() < change.start);
    let b1 = new.partition_point(|s| s.start_byte() <= change.new_end);
    if a0 != b0 || statements.len() - a1 != new.len() - b1 {
        return None;
    }
    let same = |(old, node): (&Statement, &Node<'_>)| {
        old.kind == node.kind_id() && change.moved(&old.span) == Some(node.byte_range())
    };
    if !statements[..a0].iter().zip(&new[..b0]).all(same)
        || !statements[a1..].iter().zip(&new[b1..]).all(same)
    {
        return None;
    }
    let inside_one_definition = a1 == a0 + 1
        && b1 == b0 + 1
        && statements[a0].definition
        && is_definition(language, new[b0].kind())
        && statements[a0].span.start <= change.start
        && change.old_end <= statements[a0].span.end
        && new[b0].start_byte() <= change.start
        && change.new_end <= new[b0].end_byte();
    let hashing = Hashing::new(facts);
    // The definitions clear of the change: moved, and kept when replayed and pointing only into
    // statements clear of it.
    let k0 = keys.partition_point(|k| k.span.end < change.start);
    let k1 = keys.partition_point(|k| k.span.start <= change.old_end);
    let mut kept = 0;
    let mut rehash = Vec::new();
    let mut cursor = 0;
    for (r, key) in keys.iter_mut().enumerate() {
        if (k0..k1).contains(&r) {
            continue;
        }
        // Clear of the change, as the keys are sorted.
        let old_start = key.span.start;
        key.span = change.moved(&key.span).unwrap_or(key.span.clone());
        while moved
            .definitions
            .get(cursor)
            .is_some_and(|(_, s)| s.start < key.span.start)
        {
            cursor += 1;
        }
        let replayed = moved
            .definitions
            .get(cursor)
            .is_some_and(|(old, s)| *old == old_start && *s == key.span);
        let mut clear = key.foreign.is_some();
        for (span, _) in key.foreign.iter_mut().flatten() {
            match change.moved(span) {
                Some(moved) => *span = moved,
                None => clear = false,
            }
        }
        if replayed && clear {
            kept += 1;
        } else {
            rehash.push(r);
        }
    }
    // The definitions touching the change: keys kept from the last scan's when the analysis
    // replayed them, hashed otherwise.
    let previous: Vec<DefinitionKey> = keys[k0..k1].to_vec();
    let mut region = Vec::new();
    let mut keyed = Vec::with_capacity(b1 - b0);
    for (own, &statement) in new.iter().enumerate().take(b1).skip(b0) {
        let key = (is_definition(language, statement.kind()) && !statement.has_error())
            .then(|| {
                let span = statement.byte_range();
                match kept_key(layout, moved, &previous, &span) {
                    Some(key) => {
                        kept += 1;
                        Some(key)
                    }
                    None => hashing.key(layout, own),
                }
            })
            .flatten();
        keyed.push(key.is_some());
        region.extend(key);
    }
    let added = region.len();
    keys.splice(k0..k1, region);
    let rehash: Vec<usize> = rehash
        .into_iter()
        .map(|r| if r >= k1 { r - (k1 - k0) + added } else { r })
        .collect();
    for statement in &mut statements[a1..] {
        if let Some(span) = change.moved(&statement.span) {
            statement.span = span;
        }
    }
    statements.splice(
        a0..a1,
        new[b0..b1]
            .iter()
            .zip(keyed)
            .map(|(node, keyed)| Statement {
                span: node.byte_range(),
                kind: node.kind_id(),
                definition: is_definition(language, node.kind()),
                keyed,
            }),
    );
    // Hashed again: a key that came out the same keeps its hits.
    let mut gone = Vec::new();
    for r in rehash {
        let own = index_in(statements, keys[r].span.start);
        match hashing.key(layout, own) {
            Some(key) if key.key == keys[r].key => {
                let known = keys[r].known.take();
                keys[r] = DefinitionKey { known, ..key };
            }
            Some(key) => keys[r] = key,
            None => {
                statements[own].keyed = false;
                gone.push(r);
            }
        }
    }
    for r in gone.into_iter().rev() {
        keys.remove(r);
    }
    Some(Update {
        kept,
        inside_one_definition,
    })
}

/// Remembers the hits of every definition after a scan that followed `plan` (the found ones
/// were given to [`Plan::hits_to_finish`]). With `valid` false (a detector broke its scope or
/// failed), forgets all hits.
pub(super) fn remember(cache: &mut ScanCache, mut plan: Plan<'_>, valid: bool) {
    let known = &mut cache.definitions;
    known.reused = plan.reused;
    known.kept = plan.kept;
    known.generation = plan.generation;
    known.text = plan.text;
    known.statements = std::mem::take(&mut plan.statements);
    if !valid {
        known.context = 0;
        known.by_key.clear();
        for key in &mut plan.keys {
            key.known = None;
        }
        known.keys = plan.keys;
        return;
    }
    known.context = plan.context;
    for record in plan.checked.iter().flatten() {
        if let Some((key, Some(hits))) = plan
            .keys
            .get(*record)
            .map(|k| (k.key, k.known.as_ref().map(|k| k.hits.clone())))
        {
            known.by_key.insert(key, hits);
        }
    }
    if known.by_key.len() > 2 * plan.keys.len() + 64 {
        known.by_key = plan
            .keys
            .iter()
            .filter_map(|k| Some((k.key, k.known.as_ref()?.hits.clone())))
            .collect();
    }
    known.keys = plan.keys;
}

/// Forgets every definition's hits.
pub(super) fn forget(cache: &mut ScanCache) {
    cache.definitions = DefinitionHits::default();
}
/// A hit with its positions in frames that survive moves.
#[derive(Debug, Clone)]
struct CachedHit {
    detector: &'static str,
    hit: Hit,
    range: Portable,
    anchor: Portable,
    origin: Option<Portable>,
}

impl CachedHit {
    fn new(detector: &'static str, hit: Hit, layout: &Layout<'_>, own: usize) -> Self {
        Self {
            detector,
            range: layout.portable(&hit.range, own),
            anchor: layout.portable(&hit.anchor, own),
            origin: hit.origin.as_ref().map(|o| layout.portable(&o.range, own)),
            hit,
        }
    }

    /// Whether every position of the hit is inside a statement, so it moves with the text
    /// around it (a finding carried with the text is then the one made again).
    fn portable(&self) -> bool {
        let inside = |p: &Portable| !matches!(p, Portable::Absolute(_));
        inside(&self.range) && inside(&self.anchor) && self.origin.as_ref().is_none_or(inside)
    }

    /// The hit in the current text, its definition being statement `own`; `None` when a
    /// position cannot be placed (the statement it was in changed or is ambiguous).
    fn placed(&self, layout: &Layout<'_>, own: usize) -> Option<Hit> {
        let mut hit = self.hit.clone();
        hit.range = layout.place(&self.range, own)?;
        hit.anchor = layout.place(&self.anchor, own)?;
        if let (Some(origin), Some(portable)) = (&mut hit.origin, &self.origin) {
            origin.range = layout.place(portable, own)?;
        }
        Some(hit)
    }
}

/// A byte range in a frame that survives edits elsewhere.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Portable {
    /// Relative to the start of the definition the hit or fact belongs to.
    Own(Range<usize>),
    /// Relative to the start of the top-level statement with this text hash.
    Statement(u64, Range<usize>),
    /// As it is (not inside one statement).
    Absolute(Range<usize>),
}

/// The top-level statements of the text being scanned. Their text hashes are computed when
/// first needed: a keystroke in a large file needs those of a few statements (the ones the
/// edited definition's facts point into), not all.
struct Layout<'t> {
    statements: Vec<Node<'t>>,
    source: &'t str,
    /// Hash of each statement's kind and text.
    text_hashes: Vec<OnceCell<u64>>,
    /// The statement with each text hash; `None` when several have it.
    by_text: OnceCell<HashMap<u64, Option<usize>>>,
}

impl<'t> Layout<'t> {
    /// The layout of the named ones among the root's children (`top_level`).
    fn new(top_level: &[Node<'t>], source: &'t str) -> Self {
        let statements: Vec<Node<'t>> = top_level.iter().copied().filter(Node::is_named).collect();
        Self {
            text_hashes: vec![OnceCell::new(); statements.len()],
            statements,
            source,
            by_text: OnceCell::new(),
        }
    }

    /// The hash of statement `i`'s kind and text.
    fn text_hash(&self, i: usize) -> u64 {
        *self.text_hashes[i].get_or_init(|| {
            let statement = self.statements[i];
            let mut hasher = fingerprinter();
            statement.kind_id().hash(&mut hasher);
            self.source.get(statement.byte_range()).hash(&mut hasher);
            hasher.finish()
        })
    }

    /// The statement with the text hash `hash`, when exactly one has it.
    fn with_text_hash(&self, hash: u64) -> Option<usize> {
        let by_text = self.by_text.get_or_init(|| {
            let mut by_text = HashMap::with_capacity(self.statements.len());
            for i in 0..self.statements.len() {
                by_text
                    .entry(self.text_hash(i))
                    .and_modify(|seen| *seen = None)
                    .or_insert(Some(i));
            }
            by_text
        });
        *by_text.get(&hash)?
    }

    /// The statement a range lies in.
    fn statement_of(&self, range: &Range<usize>) -> Option<usize> {
        root_of(&self.statements, range.start)
            .filter(|&i| range.end <= self.statements[i].end_byte())
    }

    fn portable(&self, range: &Range<usize>, own: usize) -> Portable {
        match self.statement_of(range) {
            Some(i) => {
                let start = self.statements[i].start_byte();
                let relative = range.start - start..range.end - start;
                if i == own {
                    Portable::Own(relative)
                } else {
                    Portable::Statement(self.text_hash(i), relative)
                }
            }
            None => Portable::Absolute(range.clone()),
        }
    }

    fn place(&self, portable: &Portable, own: usize) -> Option<Range<usize>> {
        let shift = |range: &Range<usize>, start: usize| range.start + start..range.end + start;
        match portable {
            Portable::Own(range) => Some(shift(range, self.statements.get(own)?.start_byte())),
            Portable::Statement(hash, range) => {
                let i = self.with_text_hash(*hash)?;
                Some(shift(range, self.statements[i].start_byte()))
            }
            Portable::Absolute(range) => Some(range.clone()),
        }
    }
}

/// The hash of what every definition's hits also depend on.
fn context_key(
    language: Language,
    path: Option<&Path>,
    facts: &Facts,
    detectors: &[(&dyn Detector, u64)],
) -> u64 {
    let mut hasher = fingerprinter();
    language.hash(&mut hasher);
    path.hash(&mut hasher);
    let mut imports: Vec<(&str, &str)> = facts.imports.iter().collect();
    imports.sort_unstable();
    imports.hash(&mut hasher);
    for (detector, file_key) in detectors {
        detector.meta().id.hash(&mut hasher);
        file_key.hash(&mut hasher);
    }
    // Never 0, which marks "nothing recorded".
    hasher.finish() | 1
}

/// Whether a top-level statement is a definition.
fn is_definition(language: Language, kind: &str) -> bool {
    match language {
        Language::Python => matches!(
            kind,
            "function_definition" | "class_definition" | "decorated_definition"
        ),
        Language::Java => matches!(
            kind,
            "class_declaration"
                | "interface_declaration"
                | "enum_declaration"
                | "record_declaration"
                | "annotation_type_declaration"
        ),
        Language::JavaScript | Language::TypeScript | Language::Tsx => matches!(
            kind,
            "function_declaration" | "generator_function_declaration" | "class_declaration"
        ),
        Language::Text => false,
    }
}

/// The key of each statement that is a definition. A definition the analysis replayed whole
/// (`moved`) has the facts it had in the last scan, moved; it keeps its key from `previous` (the
/// last scan's keys) when the statements its facts point into are unchanged, and only the
/// others are hashed.
fn definition_keys(
    layout: &Layout<'_>,
    language: Language,
    facts: &Facts,
    moved: Option<&Moved>,
    previous: &[DefinitionKey],
) -> (Vec<Option<DefinitionKey>>, usize) {
    let mut kept = 0;
    let hashing = Hashing::new(facts);
    let keys = layout
        .statements
        .iter()
        .enumerate()
        .map(|(own, statement)| {
            if !is_definition(language, statement.kind()) || statement.has_error() {
                return None;
            }
            let span = statement.byte_range();
            if let Some(key) = moved.and_then(|m| kept_key(layout, m, previous, &span)) {
                kept += 1;
                return Some(key);
            }
            hashing.key(layout, own)
        })
        .collect();
    (keys, kept)
}

/// Hashes definitions' keys from the facts.
struct Hashing<'f> {
    facts: &'f Facts,
    /// The calls and stores sorted by position, when they are not (made when a key is first
    /// hashed; after an edit inside one definition, only its own is): Python's calls are
    /// sorted already, other languages' calls and every language's stores are in evaluation
    /// order.
    calls: OnceCell<Option<Vec<&'f Call>>>,
    stores: OnceCell<Option<Vec<&'f Store>>>,
}

/// The items of `items` sorted by position: `None` when they are already.
fn sorted_by_start<T>(items: &[T], start: impl Fn(&T) -> usize) -> Option<Vec<&T>> {
    if items.is_sorted_by_key(&start) {
        return None;
    }
    let mut sorted: Vec<&T> = items.iter().collect();
    sorted.sort_by_key(|item| start(item));
    Some(sorted)
}

impl<'f> Hashing<'f> {
    fn new(facts: &'f Facts) -> Self {
        Self {
            facts,
            calls: OnceCell::new(),
            stores: OnceCell::new(),
        }
    }

    /// The key of definition `own` of the layout; `None` when its facts cannot be hashed.
    fn key(&self, layout: &Layout<'_>, own: usize) -> Option<DefinitionKey> {
        let calls = self
            .calls
            .get_or_init(|| sorted_by_start(&self.facts.calls, |c| c.range.start));
        let stores = self
            .stores
            .get_or_init(|| sorted_by_start(&self.facts.stores, |s| s.range.start));
        let span = layout.statements.get(own)?.byte_range();
        let map = Canonical {
            layout,
            own,
            foreign: RefCell::new(Some(Vec::new())),
        };
        let mut hasher = fingerprinter();
        layout.text_hash(own).hash(&mut hasher);
        let call_start = |c: &&Call| c.range.start;
        let calls: Vec<&Call> = match calls {
            Some(sorted) => within(sorted, &span, call_start).to_vec(),
            None => within(&self.facts.calls, &span, |c| c.range.start)
                .iter()
                .collect(),
        };
        for call in calls {
            hash_call(call, &map, &mut hasher)?;
        }
        let store_start = |s: &&Store| s.range.start;
        let stores: Vec<&Store> = match stores {
            Some(sorted) => within(sorted, &span, store_start).to_vec(),
            None => within(&self.facts.stores, &span, |s| s.range.start)
                .iter()
                .collect(),
        };
        for store in stores {
            hash_store(store, &map, &mut hasher)?;
        }
        let foreign = map.foreign.into_inner().map(|mut foreign| {
            foreign.sort_unstable();
            foreign.dedup();
            foreign
                .into_iter()
                .map(|i| (layout.statements[i].byte_range(), layout.text_hash(i)))
                .collect()
        });
        Some(DefinitionKey {
            span,
            key: hasher.finish(),
            foreign,
            known: None,
        })
    }
}

/// The key of the definition at `span` taken from the last scan, when the analysis replayed it
/// whole and every statement its facts point into is still there with the same text; its facts
/// then hash to the same key (positions are hashed relative to their statements).
fn kept_key(
    layout: &Layout<'_>,
    moved: &Moved,
    previous: &[DefinitionKey],
    span: &Range<usize>,
) -> Option<DefinitionKey> {
    let at = moved
        .definitions
        .binary_search_by_key(&span.start, |(_, new)| new.start)
        .ok()?;
    let (old_start, new) = &moved.definitions[at];
    if new != span {
        return None;
    }
    let old = &previous[previous
        .binary_search_by_key(old_start, |k| k.span.start)
        .ok()?];
    if old.span.len() != span.len() {
        return None;
    }
    let foreign = old
        .foreign
        .as_ref()?
        .iter()
        .map(|(old_span, hash)| {
            let span = moved.diff.to_new(old_span)?;
            let i = layout.statement_of(&span)?;
            (layout.statements[i].byte_range() == span && layout.text_hash(i) == *hash)
                .then_some((span, *hash))
        })
        .collect::<Option<Vec<_>>>()?;
    Some(DefinitionKey {
        span: span.clone(),
        key: old.key,
        foreign: Some(foreign),
        known: None,
    })
}

/// The items of a list sorted by `start` that start inside `span`.
fn within<'l, T>(sorted: &'l [T], span: &Range<usize>, start: impl Fn(&T) -> usize) -> &'l [T] {
    let first = sorted.partition_point(|item| start(item) < span.start);
    let end = first + sorted[first..].partition_point(|item| start(item) < span.end);
    &sorted[first..end]
}

/// Positions hashed in their [`Portable`] frame.
struct Canonical<'l, 't> {
    layout: &'l Layout<'t>,
    own: usize,
    /// The other statements the positions hashed so far lie in; `None` once a position in no
    /// statement was hashed.
    foreign: RefCell<Option<Vec<usize>>>,
}

impl RangeMap for Canonical<'_, '_> {
    fn map(&self, range: &Range<usize>) -> Option<Range<usize>> {
        // Only hashed: a packing of the frame into a range that keeps frames apart (the top
        // bits say which frame; another statement is named by its text hash) does.
        const OWN: usize = 1 << (usize::BITS - 1);
        const OTHER: usize = 1 << (usize::BITS - 2);
        let Some(i) = self.layout.statement_of(range) else {
            // Not inside a statement: hashed as it is, so the key cannot be kept across moves.
            *self.foreign.borrow_mut() = None;
            return Some(range.clone());
        };
        let start = self.layout.statements[i].start_byte();
        let r = range.start - start..range.end - start;
        Some(if i == self.own {
            r.start | OWN..r.end | OWN
        } else {
            if let Some(foreign) = self.foreign.borrow_mut().as_mut() {
                foreign.push(i);
            }
            let hash = self.layout.text_hash(i);
            (hash as usize).wrapping_add(r.start) | OTHER..(r.end - r.start) | OTHER
        })
    }
}

fn hash_range(
    range: &Range<usize>,
    map: &Canonical<'_, '_>,
    hasher: &mut Fingerprinter,
) -> Option<()> {
    map.map(range)?.hash(hasher);
    Some(())
}

fn hash_call(call: &Call, map: &Canonical<'_, '_>, hasher: &mut Fingerprinter) -> Option<()> {
    hash_range(&call.range, map, hasher)?;
    hash_range(&call.callee_range, map, hasher)?;
    call.name.hash(hasher);
    std::mem::discriminant(&call.kind).hash(hasher);
    match &call.receiver {
        None => 0u8.hash(hasher),
        Some(receiver) => {
            1u8.hash(hasher);
            hash_value(receiver, map, hasher)?;
        }
    }
    call.args.len().hash(hasher);
    for arg in &call.args {
        arg.keyword.hash(hasher);
        arg.unpacked.hash(hasher);
        hash_range(&arg.range, map, hasher)?;
        hash_value(&arg.value, map, hasher)?;
    }
    Some(())
}

fn hash_store(store: &Store, map: &Canonical<'_, '_>, hasher: &mut Fingerprinter) -> Option<()> {
    hash_range(&store.range, map, hasher)?;
    hash_range(&store.target_range, map, hasher)?;
    store.target.hash(hasher);
    hash_value(&store.value, map, hasher)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis;
    use crate::config::ScanSettings;
    use crate::engine::{python_source, scan_incremental, Source};
    use crate::lang::parse_str;

    #[test]
    fn items_within_roots_are_those_root_of_finds_sorted_or_not() {
        // Adjacent statements (`;`), so a root's end is the next one's start.
        let text = "a = 1; b = 2\ndef f():\n    return 3\nc = 4\n\ndef g(): pass\nd = 5; e = 6\n";
        let tree = parse_str(Language::Python, text).expect("parses");
        let statements = crate::lang::syntax::named_children(tree.root_node());
        let starts: Vec<usize> = (0..=text.len()).chain([3, 3, 40, 0]).collect();
        for mask in 0u32..(1 << statements.len()) {
            let roots: Vec<Node<'_>> = statements
                .iter()
                .enumerate()
                .filter(|(i, _)| mask & (1 << i) != 0)
                .map(|(_, s)| *s)
                .collect();
            let mut sorted = starts.clone();
            sorted.sort_unstable();
            for items in [&sorted, &starts] {
                let expected: Vec<usize> = items
                    .iter()
                    .copied()
                    .filter(|&at| root_of(&roots, at).is_some())
                    .collect();
                assert_eq!(items_within(items, &roots, |&at| at), expected, "{mask:b}");
            }
        }
    }

    /// Definitions that point into each other and into module-level statements (taint origins,
    /// summaries), so kept keys depend on other statements.
    const BASE: &str = r#"import os
import subprocess
from flask import request

ROOT = request.args.get("root")
SAFE = "/srv"

def build(name):
    return ROOT + name

def run(name):
    subprocess.call(build(name), shell=True)

class Handler:
    def get(self):
        os.system(ROOT)

@app.route("/x")
def view():
    cmd = request.args["c"]
    subprocess.call(cmd, shell=True)

def later():
    return helper() + SAFE

def helper():
    return os.environ["X"]
"#;

    /// The keys a scan from scratch gives `text`.
    fn fresh_keys(text: &str) -> Vec<(Range<usize>, u64)> {
        let tree = parse_str(Language::Python, text).expect("parses");
        let facts = analysis::analyze(Language::Python, text, &tree);
        let top_level = crate::lang::syntax::children(tree.root_node());
        let layout = Layout::new(&top_level, text);
        let (keys, kept) = definition_keys(&layout, Language::Python, &facts, None, &[]);
        assert_eq!(kept, 0);
        keys.into_iter()
            .flatten()
            .map(|k| (k.span, k.key))
            .collect()
    }

    fn scan(text: &str, cache: &mut ScanCache) {
        scan_incremental(python_source(text), &ScanSettings::default(), cache);
    }

    #[test]
    fn kept_keys_equal_the_keys_of_a_fresh_scan_after_any_line_edit() {
        let lines: Vec<&str> = BASE.split_inclusive('\n').collect();
        let mut kept = 0;
        for at in 0..lines.len() {
            let edits = [
                format!("\n{}", lines[at]),
                format!("x = 1\n{}", lines[at]),
                lines[at].replacen('\n', "  \n", 1),
                lines[at].replacen('\n', " # note\n", 1),
                // Changes the statement's text but not the positions in it before the end.
                lines[at].replacen('\n', " or ''\n", 1),
                String::new(),
            ];
            for edit in edits {
                let mut edited: Vec<&str> = lines.clone();
                edited[at] = &edit;
                let edited = edited.concat();
                let mut cache = ScanCache::default();
                scan(BASE, &mut cache);
                // There and back: the second scan keeps keys from the edited text's scan.
                for text in [edited.as_str(), BASE] {
                    scan(text, &mut cache);
                    let keys: Vec<(Range<usize>, u64)> = cache
                        .definitions
                        .keys
                        .iter()
                        .map(|k| (k.span.clone(), k.key))
                        .collect();
                    assert_eq!(keys, fresh_keys(text), "line {at} edited to {edit:?}");
                    kept += cache.kept_keys();
                }
            }
        }
        assert!(kept > 100, "only {kept} keys were kept");
    }

    #[test]
    fn a_file_key_change_checks_every_definition_again() {
        // code-injection's file key says which builtins the module redefines: defining
        // `compile` at the end changes the hits in `handler`, whose text and facts are the same.
        let plain = "from flask import request\n\ndef handler():\n    code = request.args[\"c\"]\n    return compile(code, \"<c>\", \"exec\")\n";
        let shadowed = format!("{plain}\n\ndef compile(source, name, mode):\n    return source\n");
        let code_injection = |text: &str, cache: &mut ScanCache| {
            let source = Source {
                text,
                language: Language::Python,
                path: None,
                tree: None,
            };
            scan_incremental(source, &ScanSettings::default(), cache)
                .findings
                .iter()
                .filter(|f| f.rule.id == "python/code-injection@v1.0")
                .count()
        };
        let mut cache = ScanCache::default();
        let counts: Vec<usize> = [plain, shadowed.as_str(), plain]
            .iter()
            .map(|text| code_injection(text, &mut cache))
            .collect();
        assert_eq!(counts, vec![1, 0, 1]);
    }
}

#[cfg(test)]
mod carried_tests {
    use super::*;
    use crate::config::ScanSettings;
    use crate::engine::{python_source, scan, scan_incremental, ScanOutput};
    use crate::finding::Finding;

    /// Everything the findings say ([`Finding::describe`]).
    fn summary(findings: &[Finding]) -> Vec<String> {
        findings.iter().map(Finding::describe).collect()
    }

    /// Scans `texts` in turn with one cache, comparing each incremental scan with a full one;
    /// returns how many findings each scan carried.
    fn scan_all(texts: &[&str]) -> Vec<usize> {
        scan_all_noting(texts, |cache, _| cache.carried_findings())
    }

    /// [`scan_all`], returning what `note` takes from the cache and the full scan after each.
    fn scan_all_noting<T>(texts: &[&str], note: impl Fn(&ScanCache, &ScanOutput) -> T) -> Vec<T> {
        let settings = ScanSettings::default();
        let mut cache = ScanCache::default();
        texts
            .iter()
            .map(|text| {
                let incremental = scan_incremental(python_source(text), &settings, &mut cache);
                let full = scan(python_source(text), &settings);
                assert_eq!(
                    summary(&incremental.findings),
                    summary(&full.findings),
                    "{text}"
                );
                note(&cache, &full)
            })
            .collect()
    }

    const TAINTED: &str = "from flask import request\nimport os\n\ndef edited():\n    return 1\n\ndef view():\n    cmd = request.args[\"c\"]\n    os.system(cmd)\n";

    #[test]
    fn a_finding_naming_a_line_is_made_again_when_a_line_above_it_comes_or_goes() {
        // The message of the finding in `view` names the line of `request.args`.
        let typed = TAINTED.replace("return 1", "return 12");
        let newline = TAINTED.replace("return 1", "x = 1\n    return 1");
        let carried = scan_all(&[TAINTED, &typed, &newline, &typed, TAINTED]);
        // Typing inside `edited` moves no line: carried. A new line above moves it: made again.
        assert!(carried[1] > 0, "{carried:?}");
        assert_eq!(carried[2], 0, "{carried:?}");
        assert_eq!(carried[3], 0, "{carried:?}");
    }

    #[test]
    fn a_finding_above_a_new_line_is_carried() {
        let text = "from flask import request\nimport os\n\ndef view():\n    cmd = request.args[\"c\"]\n    os.system(cmd)\n\ndef edited():\n    return 1\n";
        let newline = text.replace("return 1", "x = 1\n    return 1");
        let carried = scan_all(&[text, &newline, text]);
        assert!(carried[1] > 0 && carried[2] > 0, "{carried:?}");
    }

    #[test]
    fn a_fix_adding_an_import_is_carried_only_where_the_import_goes_with_it() {
        // The fix reads the password from `os.environ`, adding `import os` at the first import,
        // which stays where it is when `edited` grows while the password moves.
        let text = "import sys\n\ndef edited():\n    return 1\n\ndef connect():\n    password = \"s3cr3t-Passw0rd!\"\n    return password\n";
        let full = scan(python_source(text), &ScanSettings::default());
        let edits: Vec<&crate::finding::Edit> = full
            .findings
            .iter()
            .flat_map(|f| &f.fixes)
            .flat_map(|f| &f.edits)
            .collect();
        assert!(
            edits.iter().any(|e| e.range == (0..0)),
            "no import added: {edits:?}"
        );
        let typed = text.replace("return 1", "return 123");
        let duplicate_import = format!("import sys\n{typed}");
        let comment_above = format!("# note\n{typed}");
        let carried = scan_all(&[
            text,
            &typed,
            text,
            &duplicate_import,
            &typed,
            &comment_above,
            &typed,
        ]);
        assert!(carried[1] > 0 && carried[2] > 0, "{carried:?}");
        // Edits outside a definition make every finding again.
        assert_eq!(carried[3], 0, "{carried:?}");
        assert_eq!(carried[5], 0, "{carried:?}");
    }

    #[test]
    fn a_finding_whose_fix_reads_the_whole_file_is_made_again() {
        // The fix's applicability depends on a `random.seed` call anywhere in the file.
        let text = "import random\n\ndef edited():\n    return 1\n\ndef token():\n    session_token = random.choice(\"abc\")\n    return session_token\n";
        let seeded = text.replace("return 1", "random.seed(1)");
        let findings = |text: &str| {
            scan(python_source(text), &ScanSettings::default())
                .findings
                .iter()
                .filter(|f| f.rule.id.contains("insecure-random"))
                .count()
        };
        assert!(findings(text) > 0);
        scan_all(&[text, &seeded, text]);
    }

    #[test]
    fn a_finding_in_a_dependent_comes_and_goes_with_the_summary_it_reads() {
        // `view` (below `helper`) and `early` (above it) pass what `helper` returns to a
        // shell: typing in `helper` so that it returns request data runs them again on the
        // dependents path, and their findings come and go with it.
        let clean = "from flask import request\nimport os\n\ndef early():\n    os.system(helper())\n\ndef helper():\n    return \"ls\"\n\ndef view():\n    os.system(helper())\n";
        let typed = clean.replace("\"ls\"", "\"lsx\"");
        let tainted = clean.replace("\"ls\"", "request.args[\"c\"]");
        let counts = scan_all_noting(
            &[clean, &typed, &tainted, &typed, &tainted],
            |cache, full| (full.findings.len(), cache.analysis.reran()),
        );
        assert_eq!(counts[2].0, 2, "{counts:?}");
        assert_eq!(counts[3].0, 0, "{counts:?}");
        // Both keystrokes that change `helper`'s summary take the dependents path.
        assert!(counts[3].1 > 0 && counts[4].1 > 0, "{counts:?}");
    }

    #[test]
    fn carried_findings_equal_full_scans_after_keystrokes_in_every_fixture() {
        let settings = ScanSettings::default();
        let mut carried = 0;
        let mut compared = 0;
        for (path, original) in crate::test_support::python_fixtures() {
            if scan(python_source(&original), &settings)
                .findings
                .is_empty()
            {
                continue;
            }
            let mut cache = ScanCache::default();
            scan_incremental(python_source(&original), &settings, &mut cache);
            for at in crate::test_support::every_second_indented_line(&original) {
                for typed in crate::test_support::KEYSTROKES {
                    let mut edited = original.clone();
                    edited.insert_str(at, typed);
                    for text in [&edited, &original] {
                        let incremental =
                            scan_incremental(python_source(text), &settings, &mut cache);
                        let full = scan(python_source(text), &settings);
                        assert_eq!(
                            summary(&incremental.findings),
                            summary(&full.findings),
                            "{} with {typed:?} at {at}",
                            path.display()
                        );
                        carried += cache.carried_findings();
                        compared += 1;
                    }
                }
            }
        }
        assert!(compared > 1000, "only {compared} scans compared");
        assert!(carried > 1000, "only {carried} findings carried");
    }
}
