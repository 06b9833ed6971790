//! Skipping the second summary pass over function bodies whose inputs it would not change.
//!
//! The first summary pass interprets a body with no module bindings and with the summaries of
//! the functions defined above it; the second pass interprets it again with the first pass's
//! module bindings and summaries. A body that read no module binding the first pass ended up
//! with, and found every same-file summary it looked up as it is at that point of the second
//! pass, runs exactly as before: same return value, same argument taint noted for callees
//! (noting it twice changes nothing). The second pass then reuses its return value instead of
//! interpreting it. Only module-level functions and methods are tracked, each run once per pass
//! and defining nothing inside (nested definitions change summaries as they run).

use foldhash::{HashMap, HashSet};
use std::hash::BuildHasher;
use std::sync::Arc;

use super::interp::Summary;
use super::scope::Env;
use crate::analysis::Value;

/// Which summary pass is running, and what the first learned about each body.
#[derive(Debug, Default)]
pub struct Reuse {
    /// 1 or 2 while a summary pass runs with reuse; 0 otherwise (the record pass, memoising
    /// analyses).
    pass: u8,
    /// The first pass's record of each tracked body, by the definition's node id.
    bodies: HashMap<usize, Body>,
    /// The body being interpreted in the first pass, if tracked.
    current: Option<usize>,
    /// Hashes of the module bindings the second pass sees.
    bound: HashSet<u64>,
}

/// What a body read and returned in the first pass.
#[derive(Debug, Default)]
struct Body {
    /// How many times the first pass ran it.
    runs: u32,
    /// Whether it defines functions or classes.
    defines: bool,
    /// Hashes of the module bindings it looked up (all missing in the first pass).
    globals: Vec<u64>,
    /// The same-file summaries it looked up, as they were.
    summaries: Vec<(String, Option<Arc<Summary>>)>,
    /// The merge of its returned values.
    returns: Option<Value>,
}

fn hash_name(name: &str) -> u64 {
    foldhash::fast::FixedState::default().hash_one(name)
}

fn same_summary(a: Option<&Summary>, b: Option<&Summary>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => a.params == b.params && a.ret == b.ret,
        _ => false,
    }
}

impl Reuse {
    /// Starts the first summary pass.
    pub fn start_first(&mut self) {
        *self = Self {
            pass: 1,
            ..Self::default()
        };
    }

    /// Starts the second summary pass, which sees `globals`.
    pub fn start_second(&mut self, globals: &Env) {
        self.pass = 2;
        self.current = None;
        self.bound = globals.keys().map(|k| hash_name(k)).collect();
    }

    /// Ends reuse (before the record pass).
    pub fn stop(&mut self) {
        *self = Self::default();
    }

    /// Whether the first pass tracks a body starting now (`outermost`: not inside another body).
    pub fn tracks(&self, outermost: bool) -> bool {
        self.pass == 1 && outermost && self.current.is_none()
    }

    /// Starts tracking the body of the definition `id` in the first pass.
    pub fn enter(&mut self, id: usize) {
        self.bodies.entry(id).or_default().runs += 1;
        self.current = Some(id);
    }

    /// Stops tracking the current body, keeping what it returned.
    pub fn leave(&mut self, returns: Option<&Value>) {
        if let Some(body) = self.current.take().and_then(|id| self.bodies.get_mut(&id)) {
            body.returns = returns.cloned();
        }
    }

    /// Notes a definition run inside the tracked body.
    pub fn note_definition(&mut self) {
        if let Some(body) = self.current_body() {
            body.defines = true;
        }
    }

    /// Notes a lookup of a module binding by the tracked body.
    pub fn note_global(&mut self, name: &str) {
        if let Some(body) = self.current_body() {
            body.globals.push(hash_name(name));
        }
    }

    /// Notes a lookup of a same-file summary by the tracked body, and what it found.
    pub fn note_summary(&mut self, key: &str, found: Option<&Arc<Summary>>) {
        if let Some(body) = self.current_body() {
            body.summaries.push((key.to_string(), found.cloned()));
        }
    }

    /// In the second pass: the first pass's return value of the body of definition `id`, when
    /// interpreting it again would give the same (see the module docs); `summaries` are the
    /// summaries as they are now.
    pub fn reusable(&self, id: usize, summaries: &HashMap<String, Arc<Summary>>) -> Option<Value> {
        if self.pass != 2 {
            return None;
        }
        let body = self.bodies.get(&id)?;
        let unchanged = body.runs == 1
            && !body.defines
            && body.globals.iter().all(|h| !self.bound.contains(h))
            && body
                .summaries
                .iter()
                .all(|(key, seen)| same_summary(seen.as_deref(), summaries.get(key).map(|s| &**s)));
        unchanged.then(|| body.returns.clone().unwrap_or_default())
    }

    fn current_body(&mut self) -> Option<&mut Body> {
        let id = self.current?;
        self.bodies.get_mut(&id)
    }
}
