//! The binary's allocator: mimalloc instead of glibc's malloc. Indexing allocates and
//! frees small strings and vectors per token and per passage and spends less CPU with
//! it (README, Performance, Indexing); searching is no slower.

/// The global allocator of the `akhbar` binary.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's options for an indexing run (`index`, `reindex`, `bench-index`), set
/// before the work starts: freed memory goes back to the system at once (`purge_delay`
/// 0, default 10 ms) and arenas are committed as they are used, not when reserved, so
/// the peak resident memory of `akhbar index` stays under the issue 13 budget of 600 MB
/// (with mimalloc's defaults it reached 606–673 MB on the corpus). Searching and
/// serving keep the defaults: returning pages at once would make each query fault them
/// in again.
pub fn tune_for_indexing() {
    use libmimalloc_sys::{mi_option_set, mi_option_t};
    // `mi_option_e` in mimalloc.h (v2 and v3 alike); libmimalloc-sys names neither.
    const ARENA_EAGER_COMMIT: mi_option_t = 4;
    const PURGE_DELAY: mi_option_t = 15;
    // SAFETY: setting options is thread-safe in mimalloc; these two only change when
    // memory is committed and returned, never the validity of an allocation.
    unsafe {
        mi_option_set(PURGE_DELAY, 0);
        mi_option_set(ARENA_EAGER_COMMIT, 0);
    }
}
