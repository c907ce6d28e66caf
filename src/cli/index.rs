//! `akhbar index` and `akhbar reindex`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use akhbar::config::Config;
use akhbar::index::writer::{IndexOptions, IndexSummary, Rejection};
use akhbar::index::{rebuild, resolve_dir};
use akhbar::ingest::read::{Input, Inputs};

/// Where and how `index` and `reindex` write.
#[derive(Args, Debug)]
pub struct WriterArgs {
    /// Index directory [default: $AKHBAR_INDEX, else .akhbar-index].
    #[arg(long, value_name = "DIR")]
    pub index: Option<PathBuf>,
    /// Threads for parsing/cleaning and for indexing [default: all cores].
    #[arg(long, value_name = "N")]
    pub jobs: Option<usize>,
    /// Memory budget of the index writer, in MB.
    #[arg(long, value_name = "M", default_value_t = 256)]
    pub memory_mb: usize,
}

#[derive(Args, Debug)]
pub struct IndexArgs {
    #[command(flatten)]
    pub writer: WriterArgs,
    /// Remove articles whose id is absent from the input.
    #[arg(long)]
    pub prune: bool,
    /// Stop at the first rejected record and commit nothing.
    #[arg(long)]
    pub strict: bool,
    /// JSON Lines files (plain or .gz), directories (recursive: .jsonl, .jsonl.gz, .txt),
    /// .txt files, or - for standard input.
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<String>,
}

#[derive(Args, Debug)]
pub struct ReindexArgs {
    #[command(flatten)]
    pub writer: WriterArgs,
    /// Stop at the first rejected record and keep the previous index.
    #[arg(long)]
    pub strict: bool,
    /// Inputs, as for `akhbar index`.
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<String>,
}

/// The index directory, the expanded inputs and the writer options of a command.
fn plan(
    writer: &WriterArgs,
    inputs: &[String],
    prune: bool,
    strict: bool,
) -> (PathBuf, Inputs, IndexOptions) {
    let root = resolve_dir(writer.index.as_deref());
    let inputs: Vec<Input> = inputs.iter().map(|s| Input::parse(s)).collect();
    let opts = IndexOptions {
        jobs: writer.jobs.unwrap_or(IndexOptions::default().jobs).max(1),
        memory_mb: writer.memory_mb,
        prune,
        strict,
        progress: true,
        tagging: true,
    };
    (root, Inputs::expand(&inputs), opts)
}

fn report(r: &Rejection) {
    eprintln!("akhbar: rejected {}: {}", r.origin, r.reason);
}

/// The one-line summary.
pub fn summary_line(verb: &str, s: &IndexSummary) -> String {
    let mut line = format!(
        "{verb} {} records in {:.1} s ({:.1} MB/s): {} added, {} updated, {} unchanged, {} removed, {} rejected; {} articles and {} passages written",
        s.records,
        s.seconds,
        s.mb_per_s(),
        s.added,
        s.updated,
        s.unchanged,
        s.removed,
        s.rejected,
        s.articles,
        s.passages
    );
    if s.unknown_fields > 0 {
        line.push_str(&format!("; {} unknown fields ignored", s.unknown_fields));
    }
    if !s.committed {
        line.push_str("; nothing to write");
    }
    line
}

fn finish(verb: &str, summary: IndexSummary) -> ExitCode {
    println!("{}", summary_line(verb, &summary));
    if summary.rejected > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

pub fn run_index(config: &Config, args: IndexArgs) -> anyhow::Result<ExitCode> {
    let (root, inputs, opts) = plan(&args.writer, &args.inputs, args.prune, args.strict);
    let summary = rebuild::index(&root, config, &inputs, &opts, &mut report)?;
    Ok(finish("indexed", summary))
}

pub fn run_reindex(config: &Config, args: ReindexArgs) -> anyhow::Result<ExitCode> {
    let (root, inputs, opts) = plan(&args.writer, &args.inputs, false, args.strict);
    let summary = rebuild::reindex(&root, config, &inputs, &opts, &mut report)?;
    Ok(finish("reindexed", summary))
}
