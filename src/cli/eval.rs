//! `akhbar eval`: retrieval quality of akhbar and baselines, side by side.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;
use serde::Serialize;

use akhbar::config::Config;
use akhbar::eval::engine::{Collection, IndexOptions};
use akhbar::eval::run::{run_file_name, write_trec_run};
use akhbar::eval::system::{self, SystemSpec, ABLATION, DEFAULT_SYSTEMS, DEFAULT_WEIGHTS};
use akhbar::eval::{self as ev, data, Setup, SystemResult};
use akhbar::search::QueryWeights;

#[derive(Args, Debug)]
pub struct EvalArgs {
    /// Passages to retrieve, JSON Lines {"id","title","text"} (titles are not indexed).
    #[arg(long, value_name = "FILE")]
    pub passages: PathBuf,
    /// Questions, `qid<TAB>text` per line.
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
    /// akhbar:+proclitics, akhbar:+suffixes, akhbar:+exact, akhbar:+proximity, akhbar:+variants).
    /// Repeatable. Without --system, --analyzer and --ablation:
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
    /// Boost of akhbar's exact-form clauses relative to the stemmed terms (0: none).
    #[arg(long, value_name = "X")]
    pub exact_boost: Option<f32>,
    /// Boost of akhbar's word-pair proximity clauses (0: none).
    #[arg(long, value_name = "X")]
    pub pair_boost: Option<f32>,
    /// Extra distance allowed between the two words of a pair.
    #[arg(long, value_name = "N")]
    pub pair_slop: Option<u32>,
    /// Boost of akhbar's all-words proximity clause (0: none).
    #[arg(long, value_name = "X")]
    pub proximity_boost: Option<f32>,
    /// Boost of title matches (0: none; passage titles are never indexed).
    #[arg(long, value_name = "X")]
    pub title_boost: Option<f32>,
    /// Boost of a quoted phrase matched in the exact field (0: none).
    #[arg(long, value_name = "X")]
    pub phrase_boost: Option<f32>,
    /// Boost of a word's other segmentations (with or without article or proclitic, dual
    /// as singular) and of an imperfect verb's other person (ي / ت) relative to its stem
    /// (0: none).
    #[arg(long, value_name = "X")]
    pub variant_boost: Option<f32>,
    /// Boost of a word's verbal-noun pattern (a long vowel before the stem's last letter
    /// added or removed) relative to its stem (0: none).
    #[arg(long, value_name = "X")]
    pub derived_boost: Option<f32>,
    /// Boost of the near spellings (one edit away) of a word the index lacks, relative
    /// to a stem (0: none).
    #[arg(long, value_name = "X")]
    pub near_boost: Option<f32>,
    /// Indexing threads.
    #[arg(long, value_name = "N", default_value_t = 2)]
    pub index_threads: usize,
    /// Index writer memory budget in MB (shared by the threads).
    #[arg(long, value_name = "MB", default_value_t = 500)]
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

pub fn run(config: &Config, args: EvalArgs) -> anyhow::Result<ExitCode> {
    let boost = |flag: &str, given: Option<f32>, default: Option<f32>| match given {
        None => Ok(default),
        Some(0.0) => Ok(None),
        Some(b) if b.is_finite() && b > 0.0 => Ok(Some(b)),
        Some(_) => Err(anyhow::anyhow!("{flag} must be a non-negative number")),
    };
    let weights = QueryWeights {
        exact: boost("--exact-boost", args.exact_boost, DEFAULT_WEIGHTS.exact)?,
        pair: boost("--pair-boost", args.pair_boost, DEFAULT_WEIGHTS.pair)?,
        variants: boost(
            "--variant-boost",
            args.variant_boost,
            DEFAULT_WEIGHTS.variants,
        )?,
        derived: boost(
            "--derived-boost",
            args.derived_boost,
            DEFAULT_WEIGHTS.derived,
        )?,
        near: boost("--near-boost", args.near_boost, DEFAULT_WEIGHTS.near)?,
        pair_slop: args.pair_slop.unwrap_or(DEFAULT_WEIGHTS.pair_slop),
        proximity: boost(
            "--proximity-boost",
            args.proximity_boost,
            DEFAULT_WEIGHTS.proximity,
        )?,
        title: boost(
            "--title-boost",
            args.title_boost,
            Some(DEFAULT_WEIGHTS.title),
        )?
        .unwrap_or(0.0),
        phrase_exact: boost(
            "--phrase-boost",
            args.phrase_boost,
            Some(DEFAULT_WEIGHTS.phrase_exact),
        )?
        .unwrap_or(0.0),
        ..*DEFAULT_WEIGHTS
    };
    if args.index_memory_mb < 20 * args.index_threads.max(1) {
        anyhow::bail!("--index-memory-mb must be at least 20 MB per indexing thread");
    }
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
            specs.push(system::resolve(name, config, weights)?);
        }
    }

    let passages = data::read_passages(&args.passages)?;
    let queries = data::read_queries(&args.queries)?;
    let qrels = data::read_qrels(&args.qrels)?;
    let collection = Collection {
        passages: &passages,
        distractors: &args.distractors,
        distractor_title: args.distractor_title,
    };
    let mut setup = ev::setup(&passages, &queries, &qrels, &collection);
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
    if let Some(dir) = &args.run_dir {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    let options = IndexOptions {
        threads: args.index_threads.max(1),
        memory_bytes: args.index_memory_mb << 20,
    };

    let mut results = Vec::new();
    for (i, spec) in specs.iter().enumerate() {
        eprintln!(
            "akhbar eval: [{}/{}] {} — indexing {} passages{}…",
            i + 1,
            specs.len(),
            spec.name,
            passages.len(),
            if args.distractors.is_empty() {
                ""
            } else {
                " + distractors"
            }
        );
        let (result, stats) = ev::evaluate_system(spec, &collection, &queries, &qrels, options)
            .with_context(|| format!("system `{}`", spec.name))?;
        if i == 0 {
            for (path, stats) in &stats {
                setup.distractors += stats.records;
                setup.distractor_bad_lines += stats.bad_lines;
                if stats.bad_lines > 0 {
                    eprintln!(
                        "akhbar eval: warning: {}: skipped {} malformed lines, e.g. {}",
                        path.display(),
                        stats.bad_lines,
                        stats.first_errors.join("; ")
                    );
                }
            }
        }
        if let Some(dir) = &args.run_dir {
            let path = dir.join(run_file_name(&spec.name));
            let write = || -> std::io::Result<()> {
                let mut out = BufWriter::new(File::create(&path)?);
                write_trec_run(
                    &mut out,
                    &spec.name,
                    result
                        .rankings
                        .iter()
                        .map(|(q, hits)| (q.as_str(), hits.as_slice())),
                )?;
                out.flush()
            };
            write().with_context(|| format!("cannot write {}", path.display()))?;
        }
        results.push(result);
    }

    let ablation = if args.ablation {
        ablation_steps(&results)
    } else {
        Vec::new()
    };
    if args.json {
        let report = Report {
            setup: &setup,
            systems: &results,
            ablation,
        };
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print_table(&setup, &results);
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
        "| {:<16} | {:>6} | {:>7} | {:>6} | {:>6} | {:>7} | {:>7} | {:>8} |",
        "system", "MRR@10", "nDCG@10", "R@10", "R@100", "queries", "index s", "search s"
    );
    println!(
        "|{:-<18}|{:->8}|{:->9}|{:->8}|{:->8}|{:->9}|{:->9}|{:->10}|",
        "", ":", ":", ":", ":", ":", ":", ":"
    );
    for r in results {
        let s = &r.summary;
        println!(
            "| {:<16} | {:>6.3} | {:>7.3} | {:>6.3} | {:>6.3} | {:>7} | {:>7.1} | {:>8.2} |",
            r.name,
            s.mrr10,
            s.ndcg10,
            s.recall10,
            s.recall100,
            s.queries,
            r.index_seconds,
            r.search_seconds
        );
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
