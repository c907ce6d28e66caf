//! Command-line interface: argument parsing (clap derive) and one module per subcommand.
//! Each subcommand module turns its arguments into library calls and prints the result;
//! no search logic lives here.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::config::Config;

pub mod analyze;
pub mod eval;

/// akhbar: full-text search for Arabic news.
#[derive(Parser, Debug)]
#[command(name = "akhbar", version, about, long_about = None)]
pub struct Cli {
    /// Read the index definition (schema.json, lexicon.json) from this directory instead
    /// of the built-in one.
    #[arg(long, global = true, value_name = "DIR")]
    pub schema: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Show the tokens an analyzer makes of a text: what a search will match.
    Analyze(analyze::AnalyzeArgs),
    /// Measure retrieval quality (MRR@10, nDCG@10, recall) of akhbar and baselines on a
    /// passage set with TREC qrels.
    Eval(eval::EvalArgs),
}

/// Parses the command line, runs the command, and turns errors into one clear line.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("akhbar: error: {err:#}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let config = Config::load(cli.schema.as_deref())?;
    match cli.command {
        Command::Analyze(args) => analyze::run(&config, args),
        Command::Eval(args) => eval::run(&config, args),
    }
}
