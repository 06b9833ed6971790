//! Variable environments with an undo journal. Branches, loop rounds and handlers are evaluated
//! in place and rolled back to a checkpoint, so a control-flow join costs the names the paths
//! changed instead of a copy of every binding in scope (module scopes hold hundreds).
//!
//! Joins fold the paths' bindings with [`merge_value`] exactly as merging whole copies did,
//! name by name; names no path changed keep their binding (joining a value with itself
//! changes nothing).

use foldhash::HashMap;

use super::scope::merge_value;
use crate::analysis::Value;

/// Local names (and dotted pseudo-variables such as `self.cmd`) bound to what is known of their
/// value at the current program point.
#[derive(Debug, Clone, Default)]
pub struct Env {
    bindings: HashMap<String, Value>,
    /// For every change since the oldest open checkpoint, oldest first: the name and the
    /// binding the change replaced (`None`: the name was unbound). Empty when none is open.
    journal: Vec<(String, Option<Value>)>,
    /// How many checkpoints are open.
    open: usize,
}

/// A point in an [`Env`]'s history to roll back to or compare with; checkpoints nest and each
/// is given back to [`Env::release`] (or [`Env::join`]) when its construct is done.
#[must_use]
#[derive(Debug)]
pub struct Checkpoint(usize);

/// The bindings a path left for the names it changed since a checkpoint (`None`: unbound),
/// sorted by name.
#[derive(Debug, Default)]
pub struct Changes(Vec<(String, Option<Value>)>);

impl Changes {
    /// What the path left bound to `name`: `None` when it did not change the name.
    fn get(&self, name: &str) -> Option<Option<&Value>> {
        self.0
            .binary_search_by(|(n, _)| n.as_str().cmp(name))
            .ok()
            .and_then(|i| self.0.get(i))
            .map(|(_, value)| value.as_ref())
    }
}

impl Env {
    /// The value bound to `name`.
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.bindings.get(name)
    }

    /// Whether `name` is bound.
    pub fn contains_key(&self, name: &str) -> bool {
        self.bindings.contains_key(name)
    }

    /// The bound names, unordered.
    pub fn keys(&self) -> impl Iterator<Item = &String> {
        self.bindings.keys()
    }

    /// Every bound value, to move the positions it holds; only while no checkpoint is open
    /// (the change is not journaled).
    pub fn values_mut(&mut self) -> impl Iterator<Item = &mut Value> {
        debug_assert_eq!(self.open, 0);
        self.bindings.values_mut()
    }

    /// Binds `name` to `value`.
    pub fn insert(&mut self, name: String, value: Value) {
        if self.open > 0 {
            // A name bound again keeps its key: the journal takes the new one, uncloned.
            let old = match self.bindings.get_mut(&name) {
                Some(slot) => Some(std::mem::replace(slot, value)),
                None => self.bindings.insert(name.clone(), value),
            };
            self.journal.push((name, old));
        } else {
            self.bindings.insert(name, value);
        }
    }

    /// Unbinds `name`.
    pub fn remove(&mut self, name: &str) {
        if let Some((name, old)) = self.bindings.remove_entry(name) {
            if self.open > 0 {
                self.journal.push((name, Some(old)));
            }
        }
    }

    /// Unbinds every name.
    pub fn clear(&mut self) {
        if self.open > 0 {
            self.journal.extend(
                self.bindings
                    .drain()
                    .map(|(name, value)| (name, Some(value))),
            );
        } else {
            self.bindings.clear();
        }
    }

    /// A copy of the bindings without their history (the start of a nested scope).
    pub fn snapshot(&self) -> Env {
        Env {
            bindings: self.bindings.clone(),
            ..Env::default()
        }
    }

    /// Opens a checkpoint at the current bindings.
    pub fn checkpoint(&mut self) -> Checkpoint {
        self.open += 1;
        Checkpoint(self.journal.len())
    }

    /// Restores the bindings as they were at `checkpoint`, which stays open.
    pub fn rollback(&mut self, checkpoint: &Checkpoint) {
        while self.journal.len() > checkpoint.0 {
            let Some((name, old)) = self.journal.pop() else {
                break;
            };
            match old {
                Some(value) => {
                    self.bindings.insert(name, value);
                }
                None => {
                    self.bindings.remove(&name);
                }
            }
        }
    }

    /// Closes `checkpoint`, keeping the current bindings (and the history that checkpoints
    /// still open need).
    pub fn release(&mut self, checkpoint: Checkpoint) {
        let Checkpoint(_) = checkpoint;
        self.open = self.open.saturating_sub(1);
        if self.open == 0 {
            self.journal.clear();
        }
    }

    /// The names changed since `checkpoint` with their current bindings.
    pub fn changes(&self, checkpoint: &Checkpoint) -> Changes {
        let mut names: Vec<&str> = self
            .journal
            .get(checkpoint.0..)
            .unwrap_or_default()
            .iter()
            .map(|(name, _)| name.as_str())
            .collect();
        names.sort_unstable();
        names.dedup();
        Changes(
            names
                .into_iter()
                .map(|name| (name.to_string(), self.bindings.get(name).cloned()))
                .collect(),
        )
    }

    /// Merges the bindings left by a path from the current point (`changes` taken since a
    /// checkpoint the bindings are now back at) into the current ones: a name bound on both
    /// joins both values, a name bound by the path only takes the path's value.
    pub fn merge_in(&mut self, changes: &Changes) {
        for (name, value) in &changes.0 {
            let Some(value) = value else {
                continue;
            };
            let merged = match self.bindings.get(name) {
                Some(current) => {
                    let mut merged = current.clone();
                    merge_value(&mut merged, value);
                    merged
                }
                None => value.clone(),
            };
            self.insert(name.clone(), merged);
        }
    }

    /// Merges the bindings at `checkpoint` into the current ones (the start of a loop into
    /// the end of a round): a name bound at both points joins both values, a name unbound
    /// since the checkpoint gets its old value back.
    pub fn merge_from(&mut self, checkpoint: &Checkpoint) {
        let since = self.journal.get(checkpoint.0..).unwrap_or_default();
        // The first change of each name since the checkpoint holds its binding there.
        let mut first: Vec<(&str, usize)> = since
            .iter()
            .enumerate()
            .map(|(i, (name, _))| (name.as_str(), i))
            .collect();
        first.sort_unstable();
        first.dedup_by(|later, earlier| later.0 == earlier.0);
        for (name, i) in first {
            let Some((_, Some(old))) = since.get(i) else {
                continue;
            };
            // Updated in place without a journal entry: the change logged at `i` already
            // restores the name for the checkpoint and every older one, and checkpoints
            // opened since are closed.
            match self.bindings.get_mut(name) {
                Some(current) => merge_value(current, old),
                None => {
                    self.bindings.insert(name.to_string(), old.clone());
                }
            }
        }
    }

    /// What `name` is bound to at the end of a path from the current bindings.
    fn on_path<'v>(&'v self, path: &'v Changes, name: &str) -> Option<&'v Value> {
        path.get(name).unwrap_or_else(|| self.get(name))
    }

    /// Rolls back to `base`, closes it and binds the join of `paths` (each one's changes
    /// since `base`): the last path's bindings merged with the others' in order. With no
    /// path (none reaches the join), nothing stays bound.
    pub fn join(&mut self, base: Checkpoint, paths: &[Changes]) {
        self.rollback(&base);
        self.release(base);
        let Some((last, others)) = paths.split_last() else {
            self.clear();
            return;
        };
        let mut names: Vec<&str> = paths
            .iter()
            .flat_map(|path| path.0.iter().map(|(name, _)| name.as_str()))
            .collect();
        names.sort_unstable();
        names.dedup();
        let joined: Vec<(String, Option<Value>)> = names
            .into_iter()
            .map(|name| {
                let mut value = self.on_path(last, name).cloned();
                for other in others.iter().filter_map(|path| self.on_path(path, name)) {
                    match &mut value {
                        Some(value) => merge_value(value, other),
                        None => value = Some(other.clone()),
                    }
                }
                (name.to_string(), value)
            })
            .collect();
        for (name, value) in joined {
            match value {
                Some(value) => self.insert(name, value),
                None => self.remove(&name),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::Constant;
    use crate::analysis::Value;

    fn int(i: i64) -> Value {
        Value::constant(Constant::Int(i))
    }

    fn env(bindings: &[(&str, i64)]) -> Env {
        let mut env = Env::default();
        for (name, i) in bindings {
            env.insert(name.to_string(), int(*i));
        }
        env
    }

    fn constant(env: &Env, name: &str) -> Option<Option<Constant>> {
        env.get(name).map(|v| v.constant.clone())
    }

    #[test]
    fn rollback_restores_changed_added_and_removed_names() {
        let mut env = env(&[("a", 1), ("b", 2)]);
        let outer = env.checkpoint();
        env.insert("a".into(), int(10));
        let inner = env.checkpoint();
        env.insert("c".into(), int(3));
        env.remove("b");
        env.insert("a".into(), int(11));
        env.rollback(&inner);
        env.release(inner);
        assert_eq!(constant(&env, "a"), Some(Some(Constant::Int(10))));
        assert_eq!(constant(&env, "b"), Some(Some(Constant::Int(2))));
        assert!(!env.contains_key("c"));
        env.clear();
        env.rollback(&outer);
        env.release(outer);
        assert_eq!(constant(&env, "a"), Some(Some(Constant::Int(1))));
        assert_eq!(constant(&env, "b"), Some(Some(Constant::Int(2))));
        assert!(env.journal.is_empty());
    }

    #[test]
    fn join_keeps_agreeing_constants_and_paths_only_names() {
        let mut env = env(&[("same", 1), ("differ", 1), ("gone", 1)]);
        let base = env.checkpoint();
        env.insert("differ".into(), int(2));
        env.insert("new".into(), int(5));
        let first = env.changes(&base);
        env.rollback(&base);
        env.remove("gone");
        let second = env.changes(&base);
        env.join(base, &[first, second]);
        assert_eq!(constant(&env, "same"), Some(Some(Constant::Int(1))));
        assert_eq!(constant(&env, "differ"), Some(None));
        assert_eq!(constant(&env, "new"), Some(Some(Constant::Int(5))));
        assert_eq!(constant(&env, "gone"), Some(Some(Constant::Int(1))));
    }

    #[test]
    fn join_without_paths_unbinds_everything() {
        let mut env = env(&[("a", 1)]);
        let base = env.checkpoint();
        env.join(base, &[]);
        assert!(!env.contains_key("a"));
    }

    #[test]
    fn merge_from_joins_the_checkpoint_bindings_back() {
        let mut env = env(&[("a", 1), ("b", 2)]);
        let start = env.checkpoint();
        env.insert("a".into(), int(7));
        env.remove("b");
        env.insert("c".into(), int(3));
        env.merge_from(&start);
        env.release(start);
        assert_eq!(constant(&env, "a"), Some(None));
        assert_eq!(constant(&env, "b"), Some(Some(Constant::Int(2))));
        assert_eq!(constant(&env, "c"), Some(Some(Constant::Int(3))));
    }

    #[test]
    fn merge_in_joins_a_path_into_the_current_bindings() {
        let mut env = env(&[("a", 1), ("b", 2)]);
        let base = env.checkpoint();
        env.insert("a".into(), int(9));
        env.insert("n".into(), int(4));
        env.remove("b");
        let path = env.changes(&base);
        env.rollback(&base);
        env.merge_in(&path);
        env.release(base);
        assert_eq!(constant(&env, "a"), Some(None));
        assert_eq!(constant(&env, "b"), Some(Some(Constant::Int(2))));
        assert_eq!(constant(&env, "n"), Some(Some(Constant::Int(4))));
    }
}
