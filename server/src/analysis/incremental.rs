//! What lets an analysis reuse work from the previous version of a document: where the text
//! changed ([`TextDiff`]), moving the byte ranges held in recorded facts ([`Relocate`]), and
//! fingerprints of values that see positions through a mapping ([`fingerprint`]).
//!
//! Results recorded against the old text hold old byte offsets. A range untouched by the edit
//! moves by a known amount; a range that overlaps the changed region has no counterpart, and a
//! result that holds one is recomputed rather than guessed.

use std::hash::{BuildHasher, Hash, Hasher};
use std::ops::Range;

use super::facts::{Arg, Call, Constant, Store, Value};
use super::taint::Taint;
use crate::text::{common_prefix, common_suffix};

/// How one version of a text became another: the region where they differ, or two such
/// regions one after the other (an older version to an intermediate one, that one to the new;
/// see [`TextDiff::then`]). A range maps when it avoids every changed region.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextDiff {
    first: Region,
    second: Option<Region>,
}

/// One changed region: everything before `prefix` and everything from `old_tail` (old text) /
/// `new_tail` (new text) on is the same.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Region {
    prefix: usize,
    old_tail: usize,
    new_tail: usize,
}

impl TextDiff {
    /// The changed region between `old` and `new` (one region spanning every change).
    pub fn between(old: &str, new: &str) -> Self {
        let (old, new) = (old.as_bytes(), new.as_bytes());
        let prefix = common_prefix(old, new);
        let room = old.len().min(new.len()) - prefix;
        let suffix = common_suffix(&old[prefix..], &new[prefix..]).min(room);
        Self {
            first: Region {
                prefix,
                old_tail: old.len() - suffix,
                new_tail: new.len() - suffix,
            },
            second: None,
        }
    }

    /// This diff followed by `next` (from this one's new text to a newer one): maps from this
    /// one's old text to `next`'s new text. Each must be a single region ([`TextDiff::between`]).
    pub fn then(self, next: TextDiff) -> Option<TextDiff> {
        (self.second.is_none() && next.second.is_none()).then_some(TextDiff {
            first: self.first,
            second: Some(next.first),
        })
    }

    /// The one changed region, as (common prefix, where the common suffix starts in the old
    /// text, where it starts in the new); `None` for two regions.
    pub fn single(&self) -> Option<(usize, usize, usize)> {
        let r = self.first;
        self.second
            .is_none()
            .then_some((r.prefix, r.old_tail, r.new_tail))
    }

    /// Whether the texts are identical.
    pub fn is_empty(&self) -> bool {
        self.first.is_empty() && self.second.is_none_or(|r| r.is_empty())
    }

    /// The last changed region in the new text's coordinates (where the latest edit went).
    pub fn latest_change(&self) -> Range<usize> {
        let last = self.second.unwrap_or(self.first);
        last.prefix..last.new_tail
    }

    /// The first changed region in the old text's coordinates.
    pub fn earliest_change_in_old(&self) -> Range<usize> {
        self.first.prefix..self.first.old_tail
    }

    /// Where an old range is in the new text; `None` when it overlaps a changed region.
    pub fn to_new(&self, range: &Range<usize>) -> Option<Range<usize>> {
        let mid = self.first.to_new(range)?;
        match &self.second {
            Some(second) => second.to_new(&mid),
            None => Some(mid),
        }
    }

    /// Where a new range was in the old text; `None` when it overlaps a changed region.
    pub fn to_old(&self, range: &Range<usize>) -> Option<Range<usize>> {
        let mid = match &self.second {
            Some(second) => second.to_old(range)?,
            None => range.clone(),
        };
        self.first.to_old(&mid)
    }
}

impl Region {
    fn is_empty(&self) -> bool {
        self.prefix == self.old_tail && self.prefix == self.new_tail
    }

    fn to_new(self, range: &Range<usize>) -> Option<Range<usize>> {
        Self::map(range, self.prefix, self.old_tail, self.new_tail)
    }

    fn to_old(self, range: &Range<usize>) -> Option<Range<usize>> {
        Self::map(range, self.prefix, self.new_tail, self.old_tail)
    }

    fn map(
        range: &Range<usize>,
        prefix: usize,
        from_tail: usize,
        to_tail: usize,
    ) -> Option<Range<usize>> {
        if range.end <= prefix {
            Some(range.clone())
        } else if range.start >= from_tail {
            Some(range.start - from_tail + to_tail..range.end - from_tail + to_tail)
        } else {
            None
        }
    }
}

/// How a text changed over many edits, as the disjoint regions of the first version that were
/// replaced (with how long each is now): edits in the same place merge into one region, so
/// typing in a few places keeps a few regions however many keystrokes it takes. A range maps
/// when it avoids every region.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Edits {
    /// (start, end) in the first text and the length now, sorted, disjoint and not touching.
    regions: Vec<(usize, usize, usize)>,
}

impl Edits {
    /// How many separate regions changed.
    pub fn len(&self) -> usize {
        self.regions.len()
    }

    /// Whether nothing changed.
    pub fn is_empty(&self) -> bool {
        self.regions.is_empty()
    }

    /// Where a range of the first text is now; `None` when it overlaps a changed region.
    pub fn to_new(&self, range: &Range<usize>) -> Option<Range<usize>> {
        let mut shift = 0isize;
        for &(start, end, len) in &self.regions {
            if range.end <= start {
                break;
            }
            if range.start < end {
                return None;
            }
            shift += len as isize - (end - start) as isize;
        }
        Some(range.start.checked_add_signed(shift)?..range.end.checked_add_signed(shift)?)
    }

    /// Where a range of the latest text was in the first; `None` when it overlaps a changed
    /// region.
    pub fn to_old(&self, range: &Range<usize>) -> Option<Range<usize>> {
        let mut shift = 0isize;
        for &(start, end, len) in &self.regions {
            let now = start.checked_add_signed(shift)?;
            if range.end <= now {
                break;
            }
            if range.start < now + len {
                return None;
            }
            shift += len as isize - (end - start) as isize;
        }
        let back = -shift;
        Some(range.start.checked_add_signed(back)?..range.end.checked_add_signed(back)?)
    }

    /// Adds the next edit (`diff`, one region, from the latest text to a newer one): merged with
    /// every region it overlaps or touches. `false` when `diff` has two regions.
    pub fn push(&mut self, diff: &TextDiff) -> bool {
        let Some((prefix, old_tail, new_tail)) = diff.single() else {
            return false;
        };
        if diff.is_empty() {
            return true;
        }
        // Each region's span in the latest text.
        let mut shift = 0isize;
        let mut now = Vec::with_capacity(self.regions.len());
        for &(start, end, len) in &self.regions {
            let at = start.saturating_add_signed(shift);
            now.push((at, at + len));
            shift += len as isize - (end - start) as isize;
        }
        let touching: Vec<usize> = (0..self.regions.len())
            .filter(|&i| now[i].1 >= prefix && now[i].0 <= old_tail)
            .collect();
        let (from, to) = match (touching.first(), touching.last()) {
            (Some(&first), Some(&last)) => (now[first].0.min(prefix), now[last].1.max(old_tail)),
            _ => (prefix, old_tail),
        };
        // The merged span starts at the first touching region's start or outside every region,
        // and ends at the last one's end or outside every region: map each end back.
        let delta = |i: usize| {
            let (start, end, len) = self.regions[i];
            len as isize - (end - start) as isize
        };
        let back = |at: usize, is_end: bool| -> usize {
            let edge = touching.iter().find(|&&i| match is_end {
                true => now[i].1 == at,
                false => now[i].0 == at,
            });
            if let Some(&i) = edge {
                return if is_end {
                    self.regions[i].1
                } else {
                    self.regions[i].0
                };
            }
            let shift: isize = (0..self.regions.len())
                .filter(|&i| now[i].1 <= at)
                .map(delta)
                .sum();
            at.saturating_add_signed(-shift)
        };
        let merged = (
            back(from, false),
            back(to, true),
            to - from + new_tail - old_tail,
        );
        let keep = |i: &usize| !touching.contains(i);
        let mut regions: Vec<(usize, usize, usize)> = (0..self.regions.len())
            .filter(keep)
            .map(|i| self.regions[i])
            .collect();
        let at = regions.partition_point(|r| r.0 < merged.0);
        regions.insert(at, merged);
        self.regions = regions;
        true
    }
}

/// A mapping of byte ranges from one version of a text to another; `None` for a range that has
/// no counterpart.
/// The hasher of fingerprints and keys: foldhash's quality variant with a fixed seed, so equal
/// inputs give equal fingerprints across analyses (and runs), several times faster than SipHash.
pub type Fingerprinter = foldhash::quality::FoldHasher<'static>;

/// A fresh [`Fingerprinter`].
pub fn fingerprinter() -> Fingerprinter {
    foldhash::quality::FixedState::with_seed(0x636f_6465_7761_7264).build_hasher()
}

pub trait RangeMap {
    /// The mapped range.
    fn map(&self, range: &Range<usize>) -> Option<Range<usize>>;
}

/// Maps ranges inside a moved block (a function whose text did not change) by the block's shift
/// and every other range through the text diff.
#[derive(Debug, Clone, Copy)]
pub struct BlockMap {
    /// The block in the source coordinates.
    pub block: (usize, usize),
    /// Where the block starts in the target coordinates.
    pub target_start: usize,
    /// How the rest of the text moved, from source to target coordinates.
    pub diff: TextDiff,
    /// Whether the diff is applied old-to-new (`true`) or new-to-old.
    pub forward: bool,
}

impl RangeMap for BlockMap {
    fn map(&self, range: &Range<usize>) -> Option<Range<usize>> {
        let (start, end) = self.block;
        if range.start >= start && range.end <= end {
            let shifted = |offset: usize| offset - start + self.target_start;
            Some(shifted(range.start)..shifted(range.end))
        } else if self.forward {
            self.diff.to_new(range)
        } else {
            self.diff.to_old(range)
        }
    }
}

/// A [`TextDiff`] as a [`RangeMap`] from its old text to its new one.
pub struct Forward<'d>(pub &'d TextDiff);

impl RangeMap for Forward<'_> {
    fn map(&self, range: &Range<usize>) -> Option<Range<usize>> {
        self.0.to_new(range)
    }
}

/// A [`TextDiff`] as a [`RangeMap`] from its new text to its old one.
pub struct Backward<'d>(pub &'d TextDiff);

impl RangeMap for Backward<'_> {
    fn map(&self, range: &Range<usize>) -> Option<Range<usize>> {
        self.0.to_old(range)
    }
}

/// A [`RangeMap`] that notes whether it moved any range it was asked about, so a caller can skip
/// relocating (or re-fingerprinting) what the mapping leaves where it is.
pub struct Watched<'m, M: RangeMap> {
    map: &'m M,
    moved: std::cell::Cell<bool>,
}

impl<'m, M: RangeMap> Watched<'m, M> {
    /// Watches `map`.
    pub fn new(map: &'m M) -> Self {
        Self {
            map,
            moved: std::cell::Cell::new(false),
        }
    }

    /// Whether some range asked about mapped elsewhere or had no counterpart.
    pub fn moved(&self) -> bool {
        self.moved.get()
    }
}

impl<M: RangeMap> RangeMap for Watched<'_, M> {
    fn map(&self, range: &Range<usize>) -> Option<Range<usize>> {
        let mapped = self.map.map(range);
        if mapped.as_ref() != Some(range) {
            self.moved.set(true);
        }
        mapped
    }
}

/// The identity mapping.
pub struct Unmoved;

impl RangeMap for Unmoved {
    fn map(&self, range: &Range<usize>) -> Option<Range<usize>> {
        Some(range.clone())
    }
}

/// Something holding byte ranges that can be moved to another version of the text.
pub trait Relocate {
    /// Maps every range; returns `false` (leaving `self` partly mapped) when one has no
    /// counterpart.
    fn relocate(&mut self, map: &impl RangeMap) -> bool;

    /// Whether every range has a counterpart (what [`Relocate::relocate`] would return).
    fn fits(&self, map: &impl RangeMap) -> bool;
}

impl Relocate for Range<usize> {
    fn relocate(&mut self, map: &impl RangeMap) -> bool {
        match map.map(self) {
            Some(moved) => {
                *self = moved;
                true
            }
            None => false,
        }
    }

    fn fits(&self, map: &impl RangeMap) -> bool {
        map.map(self).is_some()
    }
}

impl Relocate for Taint {
    fn relocate(&mut self, map: &impl RangeMap) -> bool {
        self.origins_mut()
            .iter_mut()
            .all(|origin| origin.range.relocate(map))
    }

    fn fits(&self, map: &impl RangeMap) -> bool {
        self.origins().iter().all(|origin| origin.range.fits(map))
    }
}

impl Relocate for Value {
    fn relocate(&mut self, map: &impl RangeMap) -> bool {
        self.taint.relocate(map) && self.fields.iter_mut().all(|(_, v)| v.relocate(map))
    }

    fn fits(&self, map: &impl RangeMap) -> bool {
        self.taint.fits(map) && self.fields.iter().all(|(_, v)| v.fits(map))
    }
}

impl Relocate for Arg {
    fn relocate(&mut self, map: &impl RangeMap) -> bool {
        self.range.relocate(map) && self.value.relocate(map)
    }

    fn fits(&self, map: &impl RangeMap) -> bool {
        self.range.fits(map) && self.value.fits(map)
    }
}

impl Relocate for Call {
    fn relocate(&mut self, map: &impl RangeMap) -> bool {
        self.range.relocate(map)
            && self.callee_range.relocate(map)
            && self.receiver.relocate(map)
            && self.args.iter_mut().all(|a| a.relocate(map))
    }

    fn fits(&self, map: &impl RangeMap) -> bool {
        self.range.fits(map)
            && self.callee_range.fits(map)
            && self.receiver.fits(map)
            && self.args.iter().all(|a| a.fits(map))
    }
}

impl Relocate for Store {
    fn relocate(&mut self, map: &impl RangeMap) -> bool {
        self.range.relocate(map) && self.target_range.relocate(map) && self.value.relocate(map)
    }

    fn fits(&self, map: &impl RangeMap) -> bool {
        self.range.fits(map) && self.target_range.fits(map) && self.value.fits(map)
    }
}

impl<T: Relocate> Relocate for Option<T> {
    fn relocate(&mut self, map: &impl RangeMap) -> bool {
        self.as_mut().is_none_or(|v| v.relocate(map))
    }

    fn fits(&self, map: &impl RangeMap) -> bool {
        self.as_ref().is_none_or(|v| v.fits(map))
    }
}

/// A fingerprint of a value with its positions seen through `map`; `None` when a position has
/// no counterpart (the value cannot equal anything recorded against the other text).
pub fn fingerprint(value: Option<&Value>, map: &impl RangeMap) -> Option<u64> {
    let mut hasher = fingerprinter();
    match value {
        None => 0u8.hash(&mut hasher),
        Some(value) => {
            1u8.hash(&mut hasher);
            hash_value(value, map, &mut hasher)?;
        }
    }
    Some(hasher.finish())
}

/// Feeds a value into `hasher` (see [`fingerprint`]).
pub fn hash_value(value: &Value, map: &impl RangeMap, hasher: &mut Fingerprinter) -> Option<()> {
    match &value.constant {
        None => 0u8.hash(hasher),
        Some(constant) => {
            1u8.hash(hasher);
            hash_constant(constant, hasher);
        }
    }
    hash_taint(&value.taint, map, hasher)?;
    value.type_name.hash(hasher);
    value.fields.len().hash(hasher);
    for (key, field) in &value.fields {
        key.hash(hasher);
        hash_value(field, map, hasher)?;
    }
    Some(())
}

/// Feeds a taint into `hasher` (see [`fingerprint`]).
pub fn hash_taint(taint: &Taint, map: &impl RangeMap, hasher: &mut Fingerprinter) -> Option<()> {
    taint.origins().len().hash(hasher);
    for origin in taint.origins() {
        origin.kind.hash(hasher);
        origin.label.hash(hasher);
        origin.sanitized.hash(hasher);
        let range = map.map(&origin.range)?;
        range.hash(hasher);
    }
    Some(())
}

fn hash_constant(constant: &Constant, hasher: &mut Fingerprinter) {
    std::mem::discriminant(constant).hash(hasher);
    match constant {
        Constant::Str(s) => s.hash(hasher),
        Constant::Int(i) => i.hash(hasher),
        Constant::Float(f) => f.to_bits().hash(hasher),
        Constant::Bool(b) => b.hash(hasher),
        Constant::Null => {}
        Constant::List(items) => {
            items.len().hash(hasher);
            for item in items {
                hash_constant(item, hasher);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The block-wise comparison finds the same changed region as a bytewise one, for texts
        /// that differ anywhere (prefixes and suffixes longer and shorter than a block).
        #[test]
        fn text_diff_matches_a_bytewise_comparison(
            base in "[ab\n]{0,300}",
            at in 0usize..300,
            removed in 0usize..80,
            inserted in "[abc]{0,80}",
        ) {
            let at = at.min(base.len());
            let end = (at + removed).min(base.len());
            let new = format!("{}{}{}", &base[..at], inserted, &base[end..]);
            let (old_b, new_b) = (base.as_bytes(), new.as_bytes());
            let prefix = old_b.iter().zip(new_b).take_while(|(a, b)| a == b).count();
            let room = old_b.len().min(new_b.len()) - prefix;
            let suffix = old_b.iter().rev().zip(new_b.iter().rev()).take(room)
                .take_while(|(a, b)| a == b).count();
            let diff = TextDiff::between(&base, &new);
            proptest::prop_assert_eq!(
                (diff.first.prefix, diff.first.old_tail, diff.first.new_tail),
                (prefix, old_b.len() - suffix, new_b.len() - suffix)
            );
        }
    }
    use crate::analysis::SourceKind;

    #[test]
    fn diff_finds_the_changed_region_and_maps_around_it() {
        let old = "def a():\n    x = 1\n\ndef b():\n    y = 2\n";
        let new = "def a():\n    x = 2\n\ndef b():\n    y = 2\n";
        let diff = TextDiff::between(old, new);
        assert!(!diff.is_empty());
        let b_old = old.find("def b").unwrap_or(0)..old.len();
        let b_new = new.find("def b").unwrap_or(0)..new.len();
        assert_eq!(diff.to_new(&b_old), Some(b_new.clone()));
        assert_eq!(diff.to_old(&b_new), Some(b_old));
        assert_eq!(diff.to_new(&(0..3)), Some(0..3));
        let x_line = old.find("x = 1").unwrap_or(0)..old.find("x = 1").unwrap_or(0) + 5;
        assert_eq!(diff.to_new(&x_line), None);
        assert!(TextDiff::between(old, old).is_empty());
    }

    proptest::proptest! {
        /// Edits pushed one by one map a range as the diffs applied in turn, or not at all
        /// (touching regions merge); and back. Typing in two places keeps two regions.
        #[test]
        fn edits_map_like_the_diffs_in_turn(
            base in "[ab\\n]{0,120}",
            steps in proptest::collection::vec((0usize..140, 0usize..6, "[abc]{0,6}"), 1..12),
            start in 0usize..150,
            len in 1usize..20,
        ) {
            let mut text = base.clone();
            let mut edits = Edits::default();
            let mut chain = Vec::new();
            for (at, removed, inserted) in &steps {
                let at = (*at).min(text.len());
                let end = (at + removed).min(text.len());
                let next = format!("{}{}{}", &text[..at], inserted, &text[end..]);
                let diff = TextDiff::between(&text, &next);
                proptest::prop_assert!(edits.push(&diff));
                chain.push(diff);
                text = next;
            }
            let start = start.min(base.len());
            let range = start..(start + len).min(base.len());
            proptest::prop_assume!(!range.is_empty());
            let in_turn = chain.iter().try_fold(range.clone(), |r, d| d.to_new(&r));
            if let Some(mapped) = edits.to_new(&range) {
                proptest::prop_assert_eq!(Some(mapped.clone()), in_turn, "{:?}", edits);
                proptest::prop_assert_eq!(edits.to_old(&mapped), Some(range));
            }
        }
    }

    #[test]
    fn typing_in_two_places_keeps_two_regions() {
        let original = "def a():\n    pass\n\ndef b():\n    pass\n";
        let mut text = original.to_string();
        let mut edits = Edits::default();
        for round in 0..20 {
            let anchor = if round % 2 == 0 {
                "a():\n    "
            } else {
                "b():\n    "
            };
            let at = text.find(anchor).map_or(0, |i| i + anchor.len());
            let mut next = text.clone();
            next.insert(at, 'x');
            assert!(edits.push(&TextDiff::between(&text, &next)));
            text = next;
        }
        assert_eq!(edits.len(), 2, "{edits:?}");
        let c = text.find("\ndef b").unwrap_or(0);
        let original_c = original.find("\ndef b").unwrap_or(0);
        assert_eq!(edits.to_new(&(original_c..original_c + 1)), Some(c..c + 1));
    }

    #[test]
    fn diff_of_a_repeated_character_stays_in_bounds() {
        let diff = TextDiff::between("aaaa", "aaaaaa");
        assert_eq!(diff.to_new(&(0..4)), Some(0..4));
        let diff = TextDiff::between("aaaaaa", "aa");
        assert_eq!(diff.to_new(&(0..2)), Some(0..2));
        assert_eq!(
            diff.to_new(&(4..6)),
            None,
            "the removed tail has no counterpart"
        );
    }

    #[test]
    fn fingerprints_see_positions_through_the_map() {
        let value = Value::tainted(Taint::from_source(
            SourceKind::Request,
            "request.args",
            40..52,
        ));
        let here = fingerprint(Some(&value), &Unmoved);
        let moved = value.clone();
        let diff = TextDiff::between(&"x".repeat(60), &"x".repeat(64));
        // The origin lies in the unchanged prefix of "xxx..." → same position.
        assert_eq!(
            fingerprint(
                Some(&moved),
                &BlockMap {
                    block: (0, 0),
                    target_start: 0,
                    diff,
                    forward: true
                }
            ),
            here
        );
        let changed = TextDiff::between(&"x".repeat(45), &format!("{}y", "x".repeat(44)));
        let map = BlockMap {
            block: (0, 0),
            target_start: 0,
            diff: changed,
            forward: true,
        };
        assert_eq!(fingerprint(Some(&value), &map), None, "overlaps the change");
        assert_ne!(fingerprint(None, &Unmoved), here);
    }

    #[test]
    fn relocating_a_call_moves_every_range() {
        let mut call = Call {
            range: 10..30,
            callee_range: 10..20,
            name: "os.system".into(),
            kind: crate::analysis::CallKind::Function,
            receiver: None,
            args: vec![Arg {
                keyword: None,
                unpacked: false,
                range: 21..29,
                value: Value::tainted(Taint::from_source(SourceKind::Request, "q", 21..29)),
            }],
        };
        let map = BlockMap {
            block: (5, 40),
            target_start: 105,
            diff: TextDiff::between("", ""),
            forward: true,
        };
        assert!(call.relocate(&map));
        assert_eq!(call.range, 110..130);
        assert_eq!(call.args[0].range, 121..129);
        assert_eq!(call.args[0].value.taint.origins()[0].range, 121..129);
    }
}
