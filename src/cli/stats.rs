//! `akhbar stats`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use akhbar::config::Config;
use akhbar::index::{resolve_dir, stats, AkhbarIndex};

#[derive(Args, Debug)]
pub struct StatsArgs {
    /// Index directory [default: $AKHBAR_INDEX, else .akhbar-index].
    #[arg(long, value_name = "DIR")]
    pub index: Option<PathBuf>,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

pub fn run(config: &Config, args: StatsArgs) -> anyhow::Result<ExitCode> {
    let root = resolve_dir(args.index.as_deref());
    let idx = AkhbarIndex::open(&root, config)?;
    let s = stats::stats(&idx)?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&s)?);
        return Ok(ExitCode::SUCCESS);
    }
    println!("index      {} ({})", root.display(), s.generation);
    println!("articles   {}", s.articles);
    println!("passages   {}", s.passages);
    match (&s.first_date, &s.last_date) {
        (Some(a), Some(b)) => println!("published  {a} .. {b} ({} undated)", s.undated_articles),
        _ => println!("published  - ({} undated)", s.undated_articles),
    }
    println!(
        "size       {:.1} MB in {} segments",
        s.size_bytes as f64 / 1e6,
        s.segments
    );
    println!(
        "schema     version {}, analyzer {}, built by akhbar {}",
        s.schema_version, s.analysis_fingerprint, s.akhbar_version
    );
    println!("outlets    {}", s.outlets.len());
    for (name, n) in &s.outlets {
        println!("  {n:>8}  {name}");
    }
    Ok(ExitCode::SUCCESS)
}
