//! The `akhbar` command: a thin layer over the library (see `akhbar::cli`).

use std::process::ExitCode;

fn main() -> ExitCode {
    akhbar::cli::main()
}
