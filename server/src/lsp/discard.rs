//! Freeing large values off the latency path.
//!
//! A scan result replaced by a newer one holds the previous version's syntax tree. Freeing a
//! tree walks every node the last reparse rebuilt (in a 100,000-line file, thousands of
//! repetition nodes: milliseconds), so it is done on the blocking pool while the new result is
//! published, not before.

/// Drops `value` on a blocking-pool thread when running inside the Tokio runtime, here
/// otherwise.
pub fn discard<T: Send + 'static>(value: T) {
    match tokio::runtime::Handle::try_current() {
        Ok(runtime) => {
            runtime.spawn_blocking(move || drop(value));
        }
        Err(_) => drop(value),
    }
}

#[cfg(test)]
mod tests {
    use super::discard;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Arc;

    struct Flag(Arc<AtomicBool>);

    impl Drop for Flag {
        fn drop(&mut self) {
            self.0.store(true, Ordering::SeqCst);
        }
    }

    #[test]
    fn values_are_dropped_with_or_without_a_runtime() {
        let outside = Arc::new(AtomicBool::new(false));
        discard(Flag(Arc::clone(&outside)));
        assert!(outside.load(Ordering::SeqCst));

        let inside = Arc::new(AtomicBool::new(false));
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .build()
            .expect("runtime");
        runtime.block_on(async {
            discard(Flag(Arc::clone(&inside)));
        });
        // Shutting the runtime down waits for its blocking tasks.
        drop(runtime);
        assert!(inside.load(Ordering::SeqCst));
    }
}
