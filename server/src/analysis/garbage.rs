//! Freeing large dead values where it costs no latency.
//!
//! An incremental analysis of a large file drops big tables it no longer needs (the file-wide
//! state kept for a hot definition, the interpreter's summaries): in a 100,000-line file that
//! is millions of instructions of `free`. A caller that can free them later, elsewhere (the
//! language server, after publishing), collects them: while a [`Collecting`] guard is alive on
//! a thread, [`defer`] keeps what it is given instead of dropping it. Without a guard (the CLI,
//! tests) `defer` drops at once.

use std::any::Any;
use std::cell::RefCell;

thread_local! {
    static BIN: RefCell<Option<Vec<Box<dyn Any + Send>>>> = const { RefCell::new(None) };
}

/// Values collected on one thread while a [`Collecting`] guard was alive.
#[derive(Default)]
pub struct Garbage(Vec<Box<dyn Any + Send>>);

impl Garbage {
    /// How many values it holds.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether it holds nothing.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl std::fmt::Debug for Garbage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Garbage({} values)", self.0.len())
    }
}

/// Drops `value`, or keeps it for the [`Collecting`] guard of this thread if there is one.
pub fn defer<T: Send + 'static>(value: T) {
    let mut value = Some(value);
    BIN.with(|bin| {
        if let Some(kept) = bin.borrow_mut().as_mut() {
            if let Some(value) = value.take() {
                kept.push(Box::new(value));
            }
        }
    });
    // Dropped outside the borrow: a value's `Drop` may defer something itself.
    drop(value);
}

/// Collects what [`defer`] is given on this thread until [`Collecting::finish`] (or the guard's
/// drop, which frees it all there). Guards do not nest: a new one takes over.
#[must_use = "dropping the guard frees what it collected at once"]
pub struct Collecting(());

impl Collecting {
    /// Starts collecting on this thread.
    pub fn start() -> Self {
        let earlier = BIN.with(|bin| bin.borrow_mut().replace(Vec::new()));
        drop(earlier);
        Self(())
    }

    /// Stops collecting and hands over what was collected.
    pub fn finish(self) -> Garbage {
        let kept = BIN.with(|bin| bin.borrow_mut().take());
        std::mem::forget(self);
        Garbage(kept.unwrap_or_default())
    }
}

impl Drop for Collecting {
    fn drop(&mut self) {
        let kept = BIN.with(|bin| bin.borrow_mut().take());
        drop(kept);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    struct Counted(Arc<AtomicUsize>);

    impl Drop for Counted {
        fn drop(&mut self) {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }

    #[test]
    fn values_are_kept_only_while_collecting() {
        let dropped = Arc::new(AtomicUsize::new(0));
        defer(Counted(Arc::clone(&dropped)));
        assert_eq!(
            dropped.load(Ordering::SeqCst),
            1,
            "no guard: dropped at once"
        );

        let collecting = Collecting::start();
        defer(Counted(Arc::clone(&dropped)));
        defer(Counted(Arc::clone(&dropped)));
        assert_eq!(dropped.load(Ordering::SeqCst), 1, "kept while collecting");
        let garbage = collecting.finish();
        assert_eq!(garbage.len(), 2);
        defer(Counted(Arc::clone(&dropped)));
        assert_eq!(
            dropped.load(Ordering::SeqCst),
            2,
            "after finish: dropped at once"
        );
        drop(garbage);
        assert_eq!(dropped.load(Ordering::SeqCst), 4);

        let collecting = Collecting::start();
        defer(Counted(Arc::clone(&dropped)));
        drop(collecting);
        assert_eq!(
            dropped.load(Ordering::SeqCst),
            5,
            "a dropped guard frees what it kept"
        );
    }

    #[test]
    fn other_threads_are_not_collected() {
        let dropped = Arc::new(AtomicUsize::new(0));
        let collecting = Collecting::start();
        let counter = Arc::clone(&dropped);
        std::thread::spawn(move || defer(Counted(counter)))
            .join()
            .expect("thread");
        assert_eq!(dropped.load(Ordering::SeqCst), 1);
        assert!(collecting.finish().is_empty());
    }
}
