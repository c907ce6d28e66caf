//! `akhbar bench-index` (hidden): indexes a corpus with akhbar (with group tagging, and
//! without it to measure what tagging costs) and with a plain tantivy program (default tokenizer, one text field of title + body, nothing stored, same
//! writer memory and threads), each in its own child process so that peak RSS is its
//! own, and prints MB/s, articles/s, passages/s, peak RSS and index size for both.

use std::path::PathBuf;
use std::process::{Command, ExitCode};
use std::time::Instant;

use anyhow::Context;
use clap::{Args, ValueEnum};
use serde::{Deserialize, Serialize};
use tantivy::schema::{Schema, TEXT};
use tantivy::{Index, IndexWriter, TantivyDocument};

use akhbar::config::Config;
use akhbar::index::writer::IndexOptions;
use akhbar::index::{dir_size, rebuild, Layout};
use akhbar::ingest::read::{Input, Inputs};

#[derive(Args, Debug)]
pub struct BenchArgs {
    /// Threads (rayon and tantivy indexing threads each).
    #[arg(long, default_value_t = 2)]
    pub jobs: usize,
    /// Writer memory budget in MB (both engines).
    #[arg(long, default_value_t = 256)]
    pub memory_mb: usize,
    /// Run one engine in this process and print its JSON result (used internally).
    #[arg(long, value_enum)]
    pub engine: Option<Indexer>,
    /// Where to build the indexes [default: a temporary directory, deleted afterwards].
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// The corpus (JSON Lines, plain or .gz).
    pub input: PathBuf,
}

/// A system the benchmark indexes with (`--engine`).
#[derive(Clone, Copy, Debug, ValueEnum, Serialize, Deserialize, PartialEq, Eq)]
pub enum Indexer {
    Akhbar,
    /// akhbar without group tagging.
    AkhbarUntagged,
    Plain,
}

impl Indexer {
    fn name(self) -> &'static str {
        match self {
            Indexer::Akhbar => "akhbar",
            Indexer::AkhbarUntagged => "akhbar-untagged",
            Indexer::Plain => "plain",
        }
    }
}

/// What one indexer's run measured (the child process prints it as JSON).
#[derive(Debug, Serialize, Deserialize)]
struct IndexRun {
    engine: Indexer,
    seconds: f64,
    articles: u64,
    passages: u64,
    text_bytes: u64,
    index_bytes: u64,
    peak_rss_kb: u64,
    /// User + system CPU seconds of the whole process.
    cpu_seconds: f64,
}

/// User + system CPU time of this process so far (from /proc/self/stat, in clock ticks
/// of 1/100 s, the Linux default).
fn cpu_seconds() -> f64 {
    std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|s| {
            let after = &s[s.rfind(')')? + 2..];
            let f: Vec<&str> = after.split_whitespace().collect();
            let utime: f64 = f.get(11)?.parse().ok()?;
            let stime: f64 = f.get(12)?.parse().ok()?;
            Some((utime + stime) / 100.0)
        })
        .unwrap_or(0.0)
}

fn peak_rss_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse().ok()))
        })
        .unwrap_or(0)
}

fn run_plain(args: &BenchArgs, dir: &std::path::Path) -> anyhow::Result<IndexRun> {
    let started = Instant::now();
    let mut builder = Schema::builder();
    let text = builder.add_text_field("text", TEXT);
    let index = Index::create_in_dir(dir, builder.build())?;
    let mut writer: IndexWriter = index.writer_with_num_threads(args.jobs, args.memory_mb << 20)?;
    let inputs = Inputs::expand(&[Input::Path(args.input.clone())]);
    let (mut articles, mut bytes) = (0u64, 0u64);
    let mut failure = None;
    // The records akhbar's indexer reads and accepts, parsed by the same reader.
    inputs.for_each(|unit| {
        if let (_, Ok(r)) = unit.into_record() {
            let title = r.title.unwrap_or_default();
            bytes += (title.len() + r.body.len()) as u64;
            articles += 1;
            let mut doc = TantivyDocument::new();
            doc.add_text(text, format!("{title}\n{}", r.body));
            if let Err(e) = writer.add_document(doc) {
                failure = Some(e);
                return false;
            }
        }
        true
    });
    if let Some(e) = failure {
        return Err(e.into());
    }
    writer.commit()?;
    writer.wait_merging_threads()?;
    Ok(IndexRun {
        engine: Indexer::Plain,
        seconds: started.elapsed().as_secs_f64(),
        articles,
        passages: articles,
        text_bytes: bytes,
        index_bytes: dir_size(dir),
        peak_rss_kb: peak_rss_kb(),
        cpu_seconds: cpu_seconds(),
    })
}

fn run_akhbar(
    config: &Config,
    args: &BenchArgs,
    dir: &std::path::Path,
    tagging: bool,
) -> anyhow::Result<IndexRun> {
    let inputs = Inputs::expand(&[Input::Path(args.input.clone())]);
    let opts = IndexOptions {
        jobs: args.jobs,
        memory_mb: args.memory_mb,
        prune: false,
        strict: false,
        progress: false,
        tagging,
        stories: true,
    };
    let summary = rebuild::reindex(dir, config, &inputs, &opts, &mut |r| {
        eprintln!("akhbar: rejected {}: {}", r.origin, r.reason)
    })?;
    let layout = Layout::new(dir);
    let generation = layout.current()?.context("no generation after reindex")?;
    Ok(IndexRun {
        engine: if tagging {
            Indexer::Akhbar
        } else {
            Indexer::AkhbarUntagged
        },
        seconds: summary.seconds,
        articles: summary.articles,
        passages: summary.passages,
        text_bytes: summary.text_bytes,
        index_bytes: dir_size(&layout.path(&generation)),
        peak_rss_kb: peak_rss_kb(),
        cpu_seconds: cpu_seconds(),
    })
}

pub fn run(
    config: &Config,
    schema_dir: Option<&std::path::Path>,
    args: BenchArgs,
) -> anyhow::Result<ExitCode> {
    let temp;
    let out = match &args.out {
        Some(d) => d.clone(),
        None => {
            temp = tempfile::tempdir()?;
            temp.path().to_path_buf()
        }
    };
    if let Some(engine) = args.engine {
        let dir = out.join(engine.name());
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir)?;
        let r = match engine {
            Indexer::Plain => run_plain(&args, &dir)?,
            Indexer::Akhbar => run_akhbar(config, &args, &dir, true)?,
            Indexer::AkhbarUntagged => run_akhbar(config, &args, &dir, false)?,
        };
        println!("{}", serde_json::to_string(&r)?);
        return Ok(ExitCode::SUCCESS);
    }
    let results = run_children(schema_dir, &args, &out)?;
    print_results(&args, &results);
    Ok(ExitCode::SUCCESS)
}

/// Runs each indexer in a child process of this binary (so peak RSS is its own).
fn run_children(
    schema_dir: Option<&std::path::Path>,
    args: &BenchArgs,
    out: &std::path::Path,
) -> anyhow::Result<Vec<IndexRun>> {
    let exe = std::env::current_exe()?;
    let mut results = Vec::new();
    for engine in ["akhbar", "akhbar-untagged", "plain"] {
        let mut cmd = Command::new(&exe);
        if let Some(s) = schema_dir {
            cmd.arg("--schema").arg(s);
        }
        cmd.args([
            "bench-index",
            "--engine",
            engine,
            "--jobs",
            &args.jobs.to_string(),
        ])
        .args(["--memory-mb", &args.memory_mb.to_string(), "--out"])
        .arg(out)
        .arg(&args.input);
        let output = cmd
            .output()
            .with_context(|| format!("running the {engine} benchmark"))?;
        if !output.status.success() {
            anyhow::bail!(
                "the {engine} benchmark failed: {}",
                String::from_utf8_lossy(&output.stderr)
            );
        }
        let r: IndexRun = serde_json::from_slice(&output.stdout)
            .with_context(|| format!("reading the {engine} benchmark's result"))?;
        results.push(r);
    }
    Ok(results)
}

/// The table of the runs, and what group tagging costs.
fn print_results(args: &BenchArgs, results: &[IndexRun]) {
    println!(
        "input {} ({} threads, writer memory {} MB)",
        args.input.display(),
        args.jobs,
        args.memory_mb
    );
    println!(
        "{:<15} {:>8} {:>8} {:>10} {:>11} {:>9} {:>11} {:>7} {:>7} {:>9}",
        "engine",
        "seconds",
        "MB/s",
        "articles/s",
        "passages/s",
        "peak RSS",
        "index",
        "ratio",
        "CPU s",
        "MB/CPU-s"
    );
    for r in results {
        println!(
            "{:<15} {:>8.1} {:>8.1} {:>10.0} {:>11.0} {:>6} MB {:>8.1} MB {:>6.2}x {:>7.1} {:>9.1}",
            r.engine.name(),
            r.seconds,
            r.text_bytes as f64 / 1e6 / r.seconds,
            r.articles as f64 / r.seconds,
            r.passages as f64 / r.seconds,
            r.peak_rss_kb / 1024,
            r.index_bytes as f64 / 1e6,
            r.index_bytes as f64 / r.text_bytes.max(1) as f64,
            r.cpu_seconds,
            r.text_bytes as f64 / 1e6 / r.cpu_seconds.max(1e-9)
        );
    }
    let speed = |e: Indexer| {
        results
            .iter()
            .find(|r| r.engine == e)
            .map(|r| (r.text_bytes as f64 / r.seconds.max(1e-9), r.cpu_seconds))
    };
    if let (Some(tagged), Some(untagged)) = (speed(Indexer::Akhbar), speed(Indexer::AkhbarUntagged))
    {
        println!(
            "group tagging: {:.1}% of indexing throughput (wall), {:.1}% more CPU time",
            (1.0 - tagged.0 / untagged.0) * 100.0,
            (tagged.1 / untagged.1.max(1e-9) - 1.0) * 100.0
        );
    }
    println!("text = title + body bytes; MB/s counts reading, decompression and JSON parsing too;");
    println!("MB/CPU-s = text per CPU second (less sensitive to other load on the machine).");
}
