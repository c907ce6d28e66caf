//! `akhbar search`: interactive search, JSON output, and batch TREC runs. The arguments
//! become a [`SearchRequest`] (its defaults are the library's); the page is printed by
//! `akhbar::output`.

use std::fs::File;
use std::io::{BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context};
use clap::{Args, ValueEnum};

use akhbar::config::Config;
use akhbar::index::{self, Layout};
use akhbar::ingest::record::Date;
use akhbar::output::render;
use akhbar::search::batch::{self, RunUnit};
use akhbar::search::{Engine, MatchMode, SearchRequest, Sort};

#[derive(Args, Debug)]
pub struct SearchArgs {
    /// Index directory (default: $AKHBAR_INDEX, else .akhbar-index).
    #[arg(long, value_name = "DIR")]
    pub index: Option<PathBuf>,
    /// Results per page.
    #[arg(long, short = 'n', default_value_t = 10)]
    pub limit: usize,
    /// Results to skip (for the next page).
    #[arg(long, default_value_t = 0)]
    pub offset: usize,
    /// Only this outlet (canonical name or alias); repeat for any of several.
    #[arg(long, value_name = "NAME")]
    pub outlet: Vec<String>,
    /// Only passages about this group (an id of entities.json: wagner, jnim, islamic-state…;
    /// `akhbar groups` lists them); repeatable.
    #[arg(long, value_name = "GROUP")]
    pub about: Vec<String>,
    /// Published on or after this day (YYYY-MM-DD).
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub from: Option<Date>,
    /// Published on or before this day (YYYY-MM-DD).
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub to: Option<Date>,
    /// List every matching passage instead of the best one per article.
    #[arg(long)]
    pub all_passages: bool,
    /// Show the parsed query, the terms each word became, and each hit's score breakdown.
    #[arg(long)]
    pub explain: bool,
    /// Do not expand words that name a group (Wagner, فاجنر, JNIM, CSP-DPA…) to every
    /// passage tagged with it; match them only as written.
    #[arg(long)]
    pub no_expand: bool,
    /// Show every copy of a story (by default the copies of one story across outlets
    /// appear once, as the best-ranked, with who else carried it).
    #[arg(long)]
    pub no_collapse_stories: bool,
    /// Print one JSON object (see README: a stable interface).
    #[arg(long)]
    pub json: bool,
    /// How many of several bare words must match: auto (all of up to two words, all but
    /// one of three or four, 60% of more), any, all. Default: auto for a search, any for
    /// a batch run (ranked retrieval of questions).
    #[arg(long = "match", value_enum)]
    pub match_mode: Option<MatchArg>,
    /// Result order: relevance, newest or oldest (by publication date, undated last).
    #[arg(long, value_parser = parse_sort, default_value = "relevance")]
    pub sort: Sort,
    /// Batch mode: read `qid<TAB>query` lines from FILE and write a TREC run (--run).
    #[arg(long, value_name = "FILE.tsv", requires = "run")]
    pub queries: Option<PathBuf>,
    /// Batch mode: the TREC run file to write.
    #[arg(long, value_name = "OUT.trec", requires = "queries")]
    pub run: Option<PathBuf>,
    /// Batch mode: rank articles (by their best passage) or passages.
    #[arg(long, value_enum, default_value_t = By::Article)]
    pub by: By,
    /// The query (quote it in the shell). See README for the query language.
    #[arg(required_unless_present = "queries", allow_hyphen_values = true)]
    pub query: Option<String>,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum By {
    Article,
    Passage,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum MatchArg {
    Auto,
    Any,
    All,
}

impl From<MatchArg> for MatchMode {
    fn from(m: MatchArg) -> MatchMode {
        match m {
            MatchArg::Auto => MatchMode::Auto,
            MatchArg::Any => MatchMode::Any,
            MatchArg::All => MatchMode::All,
        }
    }
}

fn parse_sort(s: &str) -> Result<Sort, String> {
    Sort::parse(s.trim()).ok_or_else(|| format!("`{s}` is not relevance, newest or oldest"))
}

fn parse_date(s: &str) -> Result<Date, String> {
    Date::parse(s.trim()).ok_or_else(|| format!("`{s}` is not a date: use YYYY-MM-DD"))
}

pub fn run(config: &Config, args: SearchArgs) -> anyhow::Result<ExitCode> {
    let root = index::resolve_dir(args.index.as_deref());
    ensure_index(
        &root,
        config,
        args.index.is_none() && std::env::var_os(index::INDEX_ENV).is_none_or(|v| v.is_empty()),
    )?;
    let engine = akhbar::search::open(&root, config)?;
    if let (Some(queries), Some(run)) = (&args.queries, &args.run) {
        return batch_run(&engine, &args, queries, run);
    }
    let Some(query) = args.query.clone() else {
        bail!("no query given");
    };
    let mut request = SearchRequest::new(query);
    request.limit = args.limit;
    request.offset = args.offset;
    request.outlets = args.outlet.clone();
    request.about = args.about.clone();
    request.from = args.from;
    request.to = args.to;
    request.all_passages = args.all_passages;
    request.explain = args.explain;
    request.match_mode = args.match_mode.unwrap_or(MatchArg::Auto).into();
    request.expand = !args.no_expand;
    request.collapse_stories = !args.no_collapse_stories;
    request.sort = args.sort;
    let response = engine.search(&request)?;
    let mut out = std::io::stdout().lock();
    if args.json {
        serde_json::to_writer(&mut out, &response)?;
        writeln!(out)?;
    } else {
        let color = std::io::stdout().is_terminal();
        out.write_all(render(&response, &request, color).as_bytes())?;
    }
    for note in &response.notes {
        eprintln!("akhbar: note: {note}");
    }
    Ok(ExitCode::SUCCESS)
}

/// On a fresh clone, the default index does not exist yet: build it from the samples.
/// An explicit `--index DIR` that does not exist is an error instead.
fn ensure_index(root: &Path, config: &Config, is_default: bool) -> anyhow::Result<()> {
    if Layout::new(root).current()?.is_some() {
        return Ok(());
    }
    if !is_default {
        bail!(
            "no index at {} (build one with `akhbar index --index {} INPUT...`)",
            root.display(),
            root.display()
        );
    }
    eprintln!(
        "akhbar: no index at {}: building one from the sample articles first",
        root.display()
    );
    if let Some(summary) = index::rebuild::ensure_index(root, config)? {
        eprintln!(
            "akhbar: indexed {} sample articles into {} ({} passages)",
            summary.articles,
            root.display(),
            summary.passages
        );
    }
    Ok(())
}

/// `--queries FILE --run OUT`: one TREC run ([`batch`]), and the latency summary on
/// stderr.
fn batch_run(
    engine: &Engine,
    args: &SearchArgs,
    queries_file: &Path,
    run: &Path,
) -> anyhow::Result<ExitCode> {
    let queries = batch::read_queries(queries_file)?;
    let unit = match args.by {
        By::Article => RunUnit::Article,
        By::Passage => RunUnit::Passage,
    };
    let mut template = batch::request(args.limit, unit);
    template.outlets = args.outlet.clone();
    template.about = args.about.clone();
    template.from = args.from;
    template.to = args.to;
    if let Some(mode) = args.match_mode {
        template.match_mode = mode.into();
    }
    template.expand = !args.no_expand;
    let result = batch::run(engine, &queries, &template);
    let write = || -> std::io::Result<()> {
        let mut out = BufWriter::new(File::create(run)?);
        batch::write_trec(&mut out, "akhbar", &result.rankings)?;
        out.flush()
    };
    write().with_context(|| format!("cannot write {}", run.display()))?;
    for failure in &result.failures {
        eprintln!(
            "akhbar: {}:{}: query {}: {}",
            queries_file.display(),
            failure.line,
            failure.qid,
            failure.message
        );
    }
    let mut summary = serde_json::to_value(result.latency())?;
    summary["failed"] = result.failures.len().into();
    eprintln!("{summary}");
    Ok(ExitCode::SUCCESS)
}
