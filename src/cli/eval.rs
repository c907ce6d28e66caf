//! `akhbar eval`: retrieval quality of akhbar as shipped and of baselines, side by side.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;
use serde::Serialize;

use akhbar::config::Config;
use akhbar::eval::collection::{self, Sources};
use akhbar::eval::system::{self, SystemSpec, ABLATION, DEFAULT_SYSTEMS};
use akhbar::eval::{self as ev, data, RunContext, Setup, SystemResult};
use akhbar::index::writer::IndexOptions;
use akhbar::search::batch;

#[derive(Args, Debug)]
pub struct EvalArgs {
    /// Passages to retrieve, JSON Lines {"id","title","text"} (titles are not indexed).
    #[arg(long, value_name = "FILE")]
    pub passages: PathBuf,
    /// Questions, `qid<TAB>text` per line (as for `akhbar search --queries`).
    #[arg(long, value_name = "FILE")]
    pub queries: PathBuf,
    /// TREC qrels, `qid 0 docid grade` per line (grade > 0 is relevant).
    #[arg(long, value_name = "FILE")]
    pub qrels: PathBuf,
    /// A registered analyzer to evaluate as a one-field system (arabic, arabic_exact,
    /// snowball_ar, default, en_stem, whitespace, raw), or a system name. Repeatable.
    #[arg(long = "analyzer", value_name = "NAME")]
    pub analyzers: Vec<String>,
    /// A system to evaluate: akhbar, default, snowball, or an ablation step
    /// (akhbar:norm, akhbar:+stem, akhbar:+guards, akhbar:+names, akhbar:+stop,
    /// akhbar:+proclitics, akhbar:+suffixes, akhbar:+exact, akhbar:+proximity,
    /// akhbar:+variants). Repeatable. Without --system, --analyzer and --ablation:
    /// akhbar, default and snowball.
    #[arg(long = "system", value_name = "NAME")]
    pub systems: Vec<String>,
    /// Run the ablation chain and report each step's gain over the previous one.
    #[arg(long)]
    pub ablation: bool,
    /// Add every article of a corpus in the record format (JSON Lines, optionally gzip)
    /// as a non-relevant document. Repeatable.
    #[arg(long = "distractors", value_name = "FILE")]
    pub distractors: Vec<PathBuf>,
    /// Index distractor titles along with their bodies (off: body only, as in the
    /// reference measurements).
    #[arg(long)]
    pub distractor_title: bool,
    /// Print the results as JSON.
    #[arg(long)]
    pub json: bool,
    /// Write one TREC run file per system (`<system>.run`) into this directory.
    #[arg(long, value_name = "DIR")]
    pub run_dir: Option<PathBuf>,
    /// Keep the collection (`collection.jsonl`, the records every system indexes) and
    /// akhbar's indexes (`index-<system>/`, searchable with `akhbar search --index`) in
    /// this directory [default: a temporary directory, deleted afterwards].
    #[arg(long, value_name = "DIR")]
    pub work_dir: Option<PathBuf>,
    /// Indexing threads.
    #[arg(long, value_name = "N", default_value_t = 2)]
    pub index_threads: usize,
    /// Index writer memory budget in MB (shared by the threads).
    #[arg(long, value_name = "MB", default_value_t = 256)]
    pub index_memory_mb: usize,
}

#[derive(Serialize)]
struct Report<'a> {
    setup: &'a Setup,
    systems: &'a [SystemResult],
    #[serde(skip_serializing_if = "Vec::is_empty")]
    ablation: Vec<AblationStep>,
}

#[derive(Serialize)]
struct AblationStep {
    name: String,
    description: String,
    mrr10: f64,
    mrr10_gain: f64,
    ndcg10: f64,
    ndcg10_gain: f64,
    recall100: f64,
    recall100_gain: f64,
}

/// The systems named by the arguments, in order, each once.
fn systems(config: &Config, args: &EvalArgs) -> anyhow::Result<Vec<SystemSpec>> {
    let mut names: Vec<String> = args
        .systems
        .iter()
        .chain(&args.analyzers)
        .cloned()
        .collect();
    if names.is_empty() && !args.ablation {
        names.extend(DEFAULT_SYSTEMS.iter().map(|s| s.to_string()));
    }
    if args.ablation {
        names.extend(ABLATION.iter().map(|s| s.to_string()));
    }
    let mut specs: Vec<SystemSpec> = Vec::new();
    for name in &names {
        if specs.iter().all(|s| &s.name != name) {
            specs.push(system::resolve(name, config)?);
        }
    }
    Ok(specs)
}

pub fn run(config: &Config, args: EvalArgs) -> anyhow::Result<ExitCode> {
    if args.index_memory_mb < 20 * args.index_threads.max(1) {
        anyhow::bail!("--index-memory-mb must be at least 20 MB per indexing thread");
    }
    let specs = systems(config, &args)?;
    let passages = data::read_passages(&args.passages)?;
    let queries = batch::read_queries(&args.queries)?;
    let qrels = data::read_qrels(&args.qrels)?;
    let mut setup = ev::setup(&passages, &queries, &qrels);
    if setup.judged_queries == 0 {
        anyhow::bail!("{}: no query has a relevant document", args.qrels.display());
    }
    if setup.judged_without_query > 0 {
        eprintln!(
            "akhbar eval: warning: {} judged queries are not in {} (they score 0)",
            setup.judged_without_query,
            args.queries.display()
        );
    }
    for dir in args.run_dir.iter().chain(&args.work_dir) {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    let temp;
    let work_dir = match &args.work_dir {
        Some(dir) => dir.clone(),
        None => {
            temp = tempfile::tempdir().context("cannot create a temporary directory")?;
            temp.path().to_path_buf()
        }
    };

    let written = write_collection(&args, &passages, &work_dir, &mut setup)?;
    let context = RunContext {
        collection: &written.path,
        work_dir: &work_dir,
        index: IndexOptions {
            jobs: args.index_threads.max(1),
            memory_mb: args.index_memory_mb,
            ..IndexOptions::default()
        },
    };

    let results = evaluate_all(&args, &specs, &context, written.records, &queries, &qrels)?;
    report(&args, &setup, &results)
}

/// Writes the collection every system indexes (the passages and the distractors as
/// records) into `work_dir`, and records in `setup` what it holds.
fn write_collection(
    args: &EvalArgs,
    passages: &[data::JudgedPassage],
    work_dir: &std::path::Path,
    setup: &mut Setup,
) -> anyhow::Result<collection::Written> {
    eprintln!(
        "akhbar eval: writing the collection ({} passages{})…",
        passages.len(),
        if args.distractors.is_empty() {
            ""
        } else {
            " + distractors"
        }
    );
    let sources = Sources {
        passages,
        distractors: &args.distractors,
        distractor_title: args.distractor_title,
    };
    let written = collection::write(&sources, &work_dir.join("collection.jsonl"))?;
    setup.distractor_files = args.distractors.clone();
    setup.distractors = written.distractors;
    setup.distractor_bad_lines = written.rejected;
    setup.distractor_title = args.distractor_title;
    if written.rejected > 0 {
        eprintln!(
            "akhbar eval: warning: skipped {} distractor records that `akhbar index` rejects, \
             e.g. {}",
            written.rejected,
            written.first_rejections.join("; ")
        );
    }
    Ok(written)
}

/// Indexes and searches with each system in turn, writing its run file if asked.
fn evaluate_all(
    args: &EvalArgs,
    specs: &[SystemSpec],
    context: &RunContext<'_>,
    records: usize,
    queries: &[batch::BatchQuery],
    qrels: &data::Qrels,
) -> anyhow::Result<Vec<SystemResult>> {
    let mut results = Vec::new();
    for (i, spec) in specs.iter().enumerate() {
        eprintln!(
            "akhbar eval: [{}/{}] {} — indexing {} records…",
            i + 1,
            specs.len(),
            spec.name,
            records
        );
        let result = ev::evaluate_system(spec, context, queries, qrels)
            .with_context(|| format!("system `{}`", spec.name))?;
        if let Some(dir) = &args.run_dir {
            let path = dir.join(format!("{}.run", ev::file_stem(&spec.name)));
            let write = || -> std::io::Result<()> {
                let mut out = BufWriter::new(File::create(&path)?);
                batch::write_trec(&mut out, &spec.name, &result.rankings)?;
                out.flush()
            };
            write().with_context(|| format!("cannot write {}", path.display()))?;
        }
        results.push(result);
    }
    Ok(results)
}

fn report(args: &EvalArgs, setup: &Setup, results: &[SystemResult]) -> anyhow::Result<ExitCode> {
    let ablation = if args.ablation {
        ablation_steps(results)
    } else {
        Vec::new()
    };
    if args.json {
        let report = Report {
            setup,
            systems: results,
            ablation,
        };
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print_table(setup, results);
        if !ablation.is_empty() {
            println!();
            print_ablation(&ablation);
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn ablation_steps(results: &[SystemResult]) -> Vec<AblationStep> {
    let mut steps = Vec::new();
    let mut previous: Option<&SystemResult> = None;
    for name in ABLATION {
        let Some(r) = results.iter().find(|r| r.name == name) else {
            continue;
        };
        let gain = |f: fn(&SystemResult) -> f64| previous.map_or(0.0, |p| f(r) - f(p));
        steps.push(AblationStep {
            name: r.name.clone(),
            description: r.description.clone(),
            mrr10: r.summary.mrr10,
            mrr10_gain: gain(|r| r.summary.mrr10),
            ndcg10: r.summary.ndcg10,
            ndcg10_gain: gain(|r| r.summary.ndcg10),
            recall100: r.summary.recall100,
            recall100_gain: gain(|r| r.summary.recall100),
        });
        previous = Some(r);
    }
    steps
}

fn print_table(setup: &Setup, results: &[SystemResult]) {
    println!(
        "{} passages{}, {} judged queries",
        setup.passages,
        if setup.distractors > 0 {
            format!(
                " + {} distractors (titles {})",
                setup.distractors,
                if setup.distractor_title {
                    "indexed"
                } else {
                    "not indexed"
                }
            )
        } else {
            String::new()
        },
        setup.judged_queries
    );
    println!(
        "| {:<18} | {:>6} | {:>7} | {:>6} | {:>6} | {:>7} | {:>7} | {:>7} | {:>8} | {:>6} |",
        "system",
        "MRR@10",
        "nDCG@10",
        "R@10",
        "R@100",
        "queries",
        "docs",
        "index s",
        "search s",
        "p95 ms"
    );
    println!(
        "|{:-<20}|{:->8}|{:->9}|{:->8}|{:->8}|{:->9}|{:->9}|{:->9}|{:->10}|{:->8}|",
        "", ":", ":", ":", ":", ":", ":", ":", ":", ":"
    );
    for r in results {
        let s = &r.summary;
        println!(
            "| {:<18} | {:>6.3} | {:>7.3} | {:>6.3} | {:>6.3} | {:>7} | {:>7} | {:>7.1} | {:>8.2} | {:>6.2} |",
            r.name,
            s.mrr10,
            s.ndcg10,
            s.recall10,
            s.recall100,
            s.queries,
            r.docs,
            r.index_seconds,
            r.search_seconds,
            r.latency.p95_ms
        );
        for failure in &r.failed_queries {
            eprintln!("akhbar eval: {}: query failed: {failure}", r.name);
        }
    }
}

fn print_ablation(steps: &[AblationStep]) {
    println!(
        "| {:<14} | {:<32} | {:>6} | {:>7} | {:>7} | {:>8} | {:>6} | {:>7} |",
        "step", "rule", "MRR@10", "Δ MRR", "nDCG@10", "Δ nDCG", "R@100", "Δ R@100"
    );
    println!(
        "|{:-<16}|{:-<34}|{:->8}|{:->9}|{:->9}|{:->10}|{:->8}|{:->9}|",
        "", "", ":", ":", ":", ":", ":", ":"
    );
    for (i, s) in steps.iter().enumerate() {
        let delta = |d: f64| {
            if i == 0 {
                "—".to_string()
            } else {
                format!("{d:+.3}")
            }
        };
        println!(
            "| {:<14} | {:<32} | {:>6.3} | {:>7} | {:>7.3} | {:>8} | {:>6.3} | {:>7} |",
            s.name,
            s.description,
            s.mrr10,
            delta(s.mrr10_gain),
            s.ndcg10,
            delta(s.ndcg10_gain),
            s.recall100,
            delta(s.recall100_gain)
        );
    }
}
