//! The `akhbar` command: a thin clap layer over the `akhbar` library (see [`cli`]).

use std::process::ExitCode;

mod alloc;
mod cli;

fn main() -> ExitCode {
    cli::main()
}
