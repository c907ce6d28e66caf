//! Command-line interface (the binary only: clap is not part of the library): argument
//! parsing and one module per subcommand. Each subcommand module turns its arguments
//! into library calls (`akhbar::…`) and prints the result; no search logic lives here.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use akhbar::config::Config;

pub mod analyze;
pub mod bench;
pub mod eval;
pub mod groups;
pub mod index;
pub mod search;
pub mod serve;
pub mod stats;
pub mod story;

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
    /// Search the index: ranked passages, phrases, outlet facets, snippets.
    Search(search::SearchArgs),
    /// Add or update articles in the index (incremental: unchanged articles are skipped).
    Index(index::IndexArgs),
    /// Rebuild the index from scratch into a new directory, then switch to it atomically.
    Reindex(index::ReindexArgs),
    /// What the index holds: articles, passages, outlets, dates, size, versions.
    Stats(stats::StatsArgs),
    /// Per group of entities.json (Wagner, JNIM, the Islamic State…): passages, articles, outlets,
    /// first and last dates, and the spellings seen.
    Groups(groups::GroupsArgs),
    /// Serve the search page and the JSON API over the index (follows it as it changes).
    Serve(serve::ServeArgs),
    /// Benchmark indexing against plain tantivy (for development).
    #[command(hide = true)]
    BenchIndex(bench::BenchArgs),
    /// Measure retrieval quality (MRR@10, nDCG@10, recall) of akhbar and baselines on a
    /// passage set with TREC qrels.
    Eval(eval::EvalArgs),
    /// A story's copies across outlets, side by side with what each changed.
    Story(story::StoryArgs),
    /// Lines and line prefixes recurring across one outlet's articles (for boilerplate.json).
    #[command(hide = true)]
    BoilerplateReport(story::BoilerplateArgs),
}

/// An error and its causes on one line, each cause once: many errors already quote
/// their source in their own message.
fn one_line(err: &anyhow::Error) -> String {
    let mut message = err.to_string();
    for cause in err.chain().skip(1) {
        let cause = cause.to_string();
        if !message.contains(&cause) {
            message.push_str(": ");
            message.push_str(&cause);
        }
    }
    message.replace('\n', " ")
}

/// Parses the command line, runs the command, and turns errors into one clear line.
pub fn main() -> ExitCode {
    // A bug must still end in one line, not a stack trace. A panic the library catches
    // and reports itself (an explanation tantivy cannot give) prints nothing.
    std::panic::set_hook(Box::new(|info| {
        if akhbar::search::panic_is_guarded() {
            return;
        }
        let location = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        let message = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        eprintln!("akhbar: internal error{location}: {message} (please report it)");
    }));
    let cli = Cli::parse();
    if !matches!(cli.command, Command::Serve(_)) {
        quiet_on_closed_pipe();
    }
    match run(cli) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("akhbar: error: {}", one_line(&err));
            ExitCode::from(2)
        }
    }
}

/// A command whose output is piped into a reader that stops early (`akhbar search … |
/// head`) ends quietly, as Unix tools do, instead of a "failed printing to stdout" panic:
/// the default action of SIGPIPE, which Rust's runtime ignores. Not for `serve`, whose
/// clients may close their connection at any time: there a write just fails.
fn quiet_on_closed_pipe() {
    // SAFETY: resetting one signal's disposition to its default, before any thread
    // is started; no handler of ours is involved.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    if matches!(
        cli.command,
        Command::Index(_) | Command::Reindex(_) | Command::BenchIndex(_)
    ) {
        crate::alloc::tune_for_indexing();
    }
    let config = Config::load(cli.schema.as_deref())?;
    match cli.command {
        Command::Analyze(args) => analyze::run(&config, args),
        Command::Search(args) => search::run(&config, args),
        Command::Index(args) => index::run_index(&config, args),
        Command::Reindex(args) => index::run_reindex(&config, args),
        Command::Stats(args) => stats::run(&config, args),
        Command::Groups(args) => groups::run(&config, args),
        Command::Serve(args) => serve::run(&config, args),
        Command::BenchIndex(args) => bench::run(&config, cli.schema.as_deref(), args),
        Command::Eval(args) => eval::run(&config, args),
        Command::Story(args) => story::run_story(&config, args),
        Command::BoilerplateReport(args) => story::run_boilerplate(&config, args),
    }
}
