//! Incremental detector runs. After an edit, the detectors of [`Scope::Definition`] check again
//! only the top-level statements the edit can have changed the hits of: definitions whose text
//! or facts changed, and every statement that is not a definition. The hits found in a
//! definition whose text and facts are the same as in an earlier scan are taken from that scan,
//! moved to where the definition is now; their messages and fixes are made again (messages name
//! lines, which move).
//!
//! Positions are compared in a frame that survives moves ([`Portable`]): relative to the
//! definition itself, or to another top-level statement identified by its text (a taint origin
//! in a function defined elsewhere). A definition's key hashes its text and the facts of its
//! calls and stores in that frame, so a definition that only moved, or whose facts point into
//! statements that only moved, keeps its key. What every definition's hits also depend on — the
//! imports, the language, the path and which detectors run — is one context key; when it
//! changes, nothing is reused.
//!
//! [`Scope::Definition`]: crate::detectors::Scope::Definition

use std::cell::{OnceCell, RefCell};
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::ops::Range;
use std::path::Path;

use tree_sitter::Node;

use crate::analysis::incremental::{fingerprinter, hash_value, Fingerprinter, RangeMap};
use crate::analysis::python::Moved;
use crate::analysis::{AnalysisCache, Call, Facts, Store};
use crate::detectors::{Detector, Hit};
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
}

/// The hits of the definition-scoped detectors in each top-level definition, by key.
#[derive(Debug, Default)]
struct DefinitionHits {
    /// The context key they were found under (0: none).
    context: u64,
    by_key: HashMap<u64, Vec<CachedHit>>,
    /// How many definitions the last scan reused.
    reused: usize,
    /// The keys of the last scan's definitions, in document order.
    keys: Vec<DefinitionKey>,
    /// The number of the analysis (see [`AnalysisCache::generation`]) whose facts they hash.
    generation: u64,
    /// How many keys the last scan kept without hashing.
    kept: usize,
}

/// A definition's key and what decides whether it still holds after an edit elsewhere.
#[derive(Debug, Clone)]
struct DefinitionKey {
    /// The definition's span.
    span: Range<usize>,
    key: u64,
    /// The other top-level statements its facts point into, with their text hashes: the key
    /// holds while each is still a top-level statement with that text. `None` when a fact
    /// points outside every statement (the key holds only where it was made).
    foreign: Option<Vec<(Range<usize>, u64)>>,
}

/// Which top-level statements the definition-scoped detectors check in this scan, and the hits
/// taken from the last one.
pub(super) struct Plan<'t> {
    layout: Layout<'t>,
    /// The statements to check, in document order.
    pub roots: Vec<Node<'t>>,
    /// For each of them: its index in the layout, and its key if it is a definition.
    checked: Vec<(usize, Option<u64>)>,
    /// Definitions taken from the last scan: key, index in the layout, their cached hits and
    /// those hits placed in the current text.
    reused: Vec<(u64, usize, Vec<CachedHit>, Vec<Hit>)>,
    context: u64,
}

impl<'t> Plan<'t> {
    /// The hits taken from the last scan, placed in the current text, with their detector ids.
    pub fn reused_hits(&self) -> impl Iterator<Item = (&'static str, Hit)> + '_ {
        self.reused.iter().flat_map(|(_, _, cached, placed)| {
            cached
                .iter()
                .zip(placed)
                .map(|(c, hit)| (c.detector, hit.clone()))
        })
    }

    /// The statements to check and the reused definitions that have hits (whose messages and
    /// fixes are made again), in document order.
    pub fn roots_with_reused_hits(&self) -> Vec<Node<'t>> {
        let mut roots = self.roots.clone();
        roots.extend(
            self.reused
                .iter()
                .filter(|(_, _, cached, _)| !cached.is_empty())
                .map(|(_, i, _, _)| self.layout.statements[*i]),
        );
        roots.sort_by_key(Node::start_byte);
        roots
    }

    /// The index in [`Plan::roots`] of the statement a hit starting at `offset` lies in.
    pub fn root_of(&self, offset: usize) -> Option<usize> {
        root_of(&self.roots, offset)
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

/// Plans a scan: the statements whose hits are not known, given what `cache` remembers;
/// `detectors` come with their [`Detector::file_key`].
pub(super) fn plan<'t>(
    cache: &mut ScanCache,
    top_level: &[Node<'t>],
    source: &'t str,
    language: Language,
    path: Option<&Path>,
    facts: &Facts,
    detectors: &[(&dyn Detector, u64)],
) -> Plan<'t> {
    let context = context_key(language, path, facts, detectors);
    let known = &mut cache.definitions;
    if known.context != context {
        known.by_key.clear();
    }
    let layout = Layout::new(top_level, source);
    let moved = cache
        .analysis
        .moved()
        .filter(|_| known.generation + 1 == cache.analysis.generation());
    let (keys, kept) = definition_keys(&layout, language, facts, moved, &known.keys);
    known.kept = kept;
    known.generation = cache.analysis.generation();
    let plain: Vec<Option<u64>> = keys.iter().map(|k| k.as_ref().map(|k| k.key)).collect();
    known.keys = keys.into_iter().flatten().collect();
    let keys = plain;
    let mut plan = Plan {
        roots: Vec::new(),
        checked: Vec::new(),
        reused: Vec::new(),
        context,
        layout,
    };
    for (i, key) in keys.into_iter().enumerate() {
        // A key met twice (two identical definitions) has the same hits, relative to each.
        let reused = key
            .and_then(|key| Some((key, known.by_key.get(&key)?)))
            .and_then(|(key, cached)| {
                let placed: Option<Vec<Hit>> =
                    cached.iter().map(|c| c.placed(&plan.layout, i)).collect();
                Some((key, cached.clone(), placed?))
            });
        match reused {
            Some((key, cached, placed)) => plan.reused.push((key, i, cached, placed)),
            None => {
                plan.roots.push(plan.layout.statements[i]);
                plan.checked.push((i, key));
            }
        }
    }
    plan
}

/// Remembers the hits of every definition after a scan that followed `plan`: those it reused,
/// and those it found (`found`: the hits of the definition-scoped detectors in the checked
/// statements). With `valid` false (a detector broke its scope or failed), forgets all.
pub(super) fn remember(
    cache: &mut ScanCache,
    plan: Plan<'_>,
    found: Vec<(&'static str, Hit)>,
    valid: bool,
) {
    let known = &mut cache.definitions;
    known.by_key.clear();
    known.reused = plan.reused.len();
    if !valid {
        known.context = 0;
        return;
    }
    known.context = plan.context;
    let mut per_root: Vec<Vec<CachedHit>> = vec![Vec::new(); plan.roots.len()];
    for (detector, hit) in found {
        if let Some(r) = plan.root_of(hit.range.start) {
            let own = plan.checked[r].0;
            per_root[r].push(CachedHit::new(detector, hit, &plan.layout, own));
        }
    }
    for ((_, key), hits) in plan.checked.iter().zip(per_root) {
        if let Some(key) = key {
            known.by_key.insert(*key, hits);
        }
    }
    for (key, _, cached, _) in plan.reused {
        known.by_key.insert(key, cached);
    }
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
    // Sorted by position when a definition's key has to be hashed (after an edit inside one
    // definition, only its own): Python's calls are sorted already, other languages' calls and
    // every language's stores are in evaluation order.
    let calls = std::cell::OnceCell::new();
    let sorted_calls = || {
        calls.get_or_init(|| {
            let mut calls: Vec<&Call> = facts.calls.iter().collect();
            if !facts.calls.is_sorted_by_key(|c| c.range.start) {
                calls.sort_by_key(|c| c.range.start);
            }
            calls
        })
    };
    let stores = std::cell::OnceCell::new();
    let sorted_stores = || {
        stores.get_or_init(|| {
            let mut stores: Vec<&Store> = facts.stores.iter().collect();
            stores.sort_by_key(|s| s.range.start);
            stores
        })
    };
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
            let map = Canonical {
                layout,
                own,
                foreign: RefCell::new(Some(Vec::new())),
            };
            let mut hasher = fingerprinter();
            layout.text_hash(own).hash(&mut hasher);
            for call in within(sorted_calls(), &span, |c| c.range.start) {
                hash_call(call, &map, &mut hasher)?;
            }
            for store in within(sorted_stores(), &span, |s| s.range.start) {
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
            })
        })
        .collect();
    (keys, kept)
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
    use crate::engine::{scan_incremental, Source};
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
        let source = Source {
            text,
            language: Language::Python,
            path: None,
            tree: None,
        };
        scan_incremental(source, &ScanSettings::default(), cache);
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
