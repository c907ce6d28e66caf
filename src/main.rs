//! The `akhbar` command: a thin clap layer over the `akhbar` library (see [`cli`]).

use std::process::ExitCode;

mod cli;

/// mimalloc instead of glibc's malloc: indexing allocates and frees small strings and
/// vectors per token and per passage, and spends a sixth less CPU with mimalloc
/// (README, Performance).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's options, set before the work starts: freed memory goes back to the system
/// at once (`purge_delay` 0, default 10 ms) and arenas are committed as they are used,
/// not when reserved, so the peak resident memory of `akhbar index` stays where glibc's
/// was (the issue 13 budget is 600 MB).
fn tune_allocator() {
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

fn main() -> ExitCode {
    tune_allocator();
    cli::main()
}
