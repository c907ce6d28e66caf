//! A hit's score breakdown (`--explain`), without touching the process's panic hook.
//!
//! tantivy 0.27 can panic explaining some phrase matches (an assertion in its phrase
//! scorer's `seek`); that must not take the search down, so the panic is caught and the
//! explanation replaced by a note. Swapping the process-wide panic hook to keep the panic
//! quiet would race with any other thread (two explanations at once in a server), so
//! instead this thread is marked *guarded* while it explains: a program's panic hook asks
//! [`panic_is_guarded`] and stays quiet for a panic that is caught and reported here.

use std::cell::Cell;

use tantivy::query::Query;
use tantivy::{DocAddress, Searcher};

thread_local! {
    static GUARDED: Cell<bool> = const { Cell::new(false) };
}

/// Whether the current thread is inside a call that catches and reports its own panics:
/// a panic hook should then print nothing (the `akhbar` binary's does so).
pub fn panic_is_guarded() -> bool {
    GUARDED.with(Cell::get)
}

/// Runs `f`, catching a panic, with the thread marked guarded (restored afterwards, also
/// when nested).
fn guarded<T>(f: impl FnOnce() -> T) -> std::thread::Result<T> {
    let before = GUARDED.with(|g| g.replace(true));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    GUARDED.with(|g| g.set(before));
    result
}

/// The score breakdown of the document at `address` for `query`, as JSON.
pub fn explain(
    query: &dyn Query,
    searcher: &Searcher,
    address: DocAddress,
) -> Option<serde_json::Value> {
    match guarded(|| query.explain(searcher, address)) {
        Ok(Ok(explanation)) => serde_json::from_str(&explanation.to_pretty_json()).ok(),
        Ok(Err(e)) => Some(serde_json::json!({ "unavailable": e.to_string() })),
        Err(_) => Some(serde_json::json!({
            "unavailable": "tantivy could not explain this phrase match"
        })),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_inside_is_caught_and_the_flag_restored() {
        assert!(!panic_is_guarded());
        let seen = guarded(panic_is_guarded);
        assert_eq!(seen.ok(), Some(true));
        // (The test harness captures what the default hook prints.)
        let caught = guarded(|| -> u32 { panic!("explaining") });
        assert!(caught.is_err());
        assert!(!panic_is_guarded());
    }
}
