//! `akhbar bench-index` (hidden): indexes a corpus with akhbar (with group tagging, and
//! without it to measure what tagging costs), with a plain tantivy program (default
//! tokenizer, one text field of title + body, nothing stored, same writer memory and
//! threads) and with Lucene's ArabicAnalyzer (`scripts/lucene/`: the same text in one
//! field, nothing stored, same threads and RAM buffer), each in its own child process so
//! that peak RSS is its own, and prints MB/s, articles/s, passages/s, peak RSS and index
//! size for each; with `--runs N`, the engines alternate N times and the medians follow.

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
    /// Runs of every engine, alternating; the medians are printed after the runs.
    #[arg(long, default_value_t = 1)]
    pub runs: usize,
    /// The engines to run, in this order.
    #[arg(
        long,
        value_enum,
        value_delimiter = ',',
        default_value = "akhbar,akhbar-untagged,plain,lucene"
    )]
    pub engines: Vec<Indexer>,
    /// The Lucene baseline's sources (`build.sh`, `LuceneIndex.java`).
    #[arg(long, value_name = "DIR", default_value = concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/lucene"))]
    pub lucene_dir: PathBuf,
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
    /// Lucene's ArabicAnalyzer, in a JVM (`scripts/lucene/`).
    Lucene,
}

impl Indexer {
    fn name(self) -> &'static str {
        match self {
            Indexer::Akhbar => "akhbar",
            Indexer::AkhbarUntagged => "akhbar-untagged",
            Indexer::Plain => "plain",
            Indexer::Lucene => "lucene",
        }
    }
}

/// What one indexer's run measured (the child process prints it as JSON).
#[derive(Clone, Debug, Serialize, Deserialize)]
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
    /// Documents per segment of the built index (tantivy engines; empty for Lucene and
    /// for medians). Segments of very unequal size show one indexing thread took more
    /// of the work, and then serialised its larger segment alone at the end.
    #[serde(default)]
    segments: Vec<u32>,
}

/// Documents per searchable segment of the tantivy index in `dir`, largest first.
fn segment_sizes(dir: &std::path::Path) -> anyhow::Result<Vec<u32>> {
    let index = Index::open_in_dir(dir)?;
    let mut sizes: Vec<u32> = index
        .searchable_segment_metas()?
        .iter()
        .map(|m| m.max_doc())
        .collect();
    sizes.sort_unstable_by(|a, b| b.cmp(a));
    Ok(sizes)
}

/// User + system CPU time of this process so far (from /proc/self/stat, in clock ticks
/// of 1/100 s, the Linux default).
fn cpu_seconds() -> f64 {
    std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|s| {
            let utime: f64 = stat_field(&s, 14)?.parse().ok()?;
            let stime: f64 = stat_field(&s, 15)?.parse().ok()?;
            Some((utime + stime) / 100.0)
        })
        .unwrap_or(0.0)
}

/// Field `n` (numbered from 1, as in proc(5)) of a /proc/PID/stat line. The command name
/// (field 2) is in parentheses and may hold spaces or parentheses, so the fields after
/// it are counted from its last `)`.
fn stat_field(stat: &str, n: usize) -> Option<&str> {
    let rest = &stat[stat.rfind(')')? + 1..];
    rest.split_whitespace().nth(n.checked_sub(3)?)
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
        segments: segment_sizes(dir)?,
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
        segments: segment_sizes(&layout.path(&generation))?,
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
            Indexer::Lucene => run_lucene(&args, &lucene_classpath(&args, &out)?, &dir)?,
        };
        println!("{}", serde_json::to_string(&r)?);
        return Ok(ExitCode::SUCCESS);
    }
    if args.runs == 0 {
        anyhow::bail!("--runs must be at least 1");
    }
    let mut engines = args.engines.clone();
    // Lucene's classpath once, before the runs; without Java or Lucene it is left out.
    let lucene = match engines.contains(&Indexer::Lucene) {
        true => match lucene_classpath(&args, &out) {
            Ok(cp) => {
                println!("lucene classpath: {cp}");
                Some(cp)
            }
            Err(e) => {
                println!("lucene: LEFT OUT of this benchmark: {e:#}");
                engines.retain(|e| *e != Indexer::Lucene);
                None
            }
        },
        false => None,
    };
    print_header(&args);
    let mut all: Vec<IndexRun> = Vec::new();
    for run in 1..=args.runs {
        let results = run_children(schema_dir, &args, &engines, lucene.as_deref(), &out)?;
        if args.runs > 1 {
            println!("run {run} of {}", args.runs);
        }
        print_results(&results);
        all.extend(results);
    }
    if args.runs > 1 {
        println!("medians of {} runs", args.runs);
        let medians: Vec<IndexRun> = engines.iter().filter_map(|e| median(&all, *e)).collect();
        print_results(&medians);
    }
    print_footer();
    Ok(ExitCode::SUCCESS)
}

/// Builds the Lucene baseline (`build.sh` compiles `LuceneIndex.java` against the jars it
/// finds) and returns the classpath to run it with; an error says what is missing.
fn lucene_classpath(args: &BenchArgs, out: &std::path::Path) -> anyhow::Result<String> {
    let script = args.lucene_dir.join("build.sh");
    if !script.is_file() {
        anyhow::bail!("no {} (see --lucene-dir)", script.display());
    }
    let output = Command::new("bash")
        .arg(&script)
        .arg(out.join("lucene-build"))
        .output()
        .with_context(|| format!("running {}", script.display()))?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        anyhow::bail!("{} failed: {}", script.display(), stderr.trim());
    }
    let stdout = String::from_utf8_lossy(&output.stdout);
    match stdout.lines().last().map(str::trim) {
        Some(cp) if !cp.is_empty() => Ok(cp.to_string()),
        _ => anyhow::bail!("{} printed no classpath", script.display()),
    }
}

/// Runs the Lucene baseline in its own JVM (default heap settings) and reads its figures.
fn run_lucene(
    args: &BenchArgs,
    classpath: &str,
    dir: &std::path::Path,
) -> anyhow::Result<IndexRun> {
    let output = Command::new("java")
        .args(["-cp", classpath, "akhbar.bench.LuceneIndex", "--jobs"])
        .arg(args.jobs.to_string())
        .args(["--ram-mb", &args.memory_mb.to_string(), "--out"])
        .arg(dir)
        .arg(&args.input)
        .output()
        .context("running java (the Lucene baseline)")?;
    if !output.status.success() {
        anyhow::bail!(
            "the Lucene baseline failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let stdout = String::from_utf8_lossy(&output.stdout);
    let line = stdout.lines().last().unwrap_or_default();
    serde_json::from_str(line)
        .with_context(|| format!("reading the Lucene baseline's result {line:?}"))
}

/// Runs each indexer once: akhbar's and plain tantivy in a child process of this binary,
/// Lucene in a JVM (so peak RSS is each one's own).
fn run_children(
    schema_dir: Option<&std::path::Path>,
    args: &BenchArgs,
    engines: &[Indexer],
    lucene: Option<&str>,
    out: &std::path::Path,
) -> anyhow::Result<Vec<IndexRun>> {
    let exe = std::env::current_exe()?;
    let mut results = Vec::new();
    for &engine in engines {
        if engine == Indexer::Lucene {
            let dir = out.join(engine.name());
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(&dir)?;
            let cp = lucene.context("no Lucene classpath")?;
            results.push(run_lucene(args, cp, &dir)?);
            continue;
        }
        let name = engine.name();
        let mut cmd = Command::new(&exe);
        if let Some(s) = schema_dir {
            cmd.arg("--schema").arg(s);
        }
        cmd.args([
            "bench-index",
            "--engine",
            name,
            "--jobs",
            &args.jobs.to_string(),
        ])
        .args(["--memory-mb", &args.memory_mb.to_string(), "--out"])
        .arg(out)
        .arg(&args.input);
        let output = cmd
            .output()
            .with_context(|| format!("running the {name} benchmark"))?;
        if !output.status.success() {
            anyhow::bail!(
                "the {name} benchmark failed: {}",
                String::from_utf8_lossy(&output.stderr)
            );
        }
        let r: IndexRun = serde_json::from_slice(&output.stdout)
            .with_context(|| format!("reading the {name} benchmark's result"))?;
        results.push(r);
    }
    Ok(results)
}

/// Each figure's median over `engine`'s runs (the upper middle of an even count).
fn median(runs: &[IndexRun], engine: Indexer) -> Option<IndexRun> {
    let mine: Vec<&IndexRun> = runs.iter().filter(|r| r.engine == engine).collect();
    let first = mine.first()?;
    let mid_f = |f: fn(&IndexRun) -> f64| {
        let mut v: Vec<f64> = mine.iter().map(|r| f(r)).collect();
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let mid_u = |f: fn(&IndexRun) -> u64| {
        let mut v: Vec<u64> = mine.iter().map(|r| f(r)).collect();
        v.sort_unstable();
        v[v.len() / 2]
    };
    Some(IndexRun {
        engine,
        seconds: mid_f(|r| r.seconds),
        articles: first.articles,
        passages: first.passages,
        text_bytes: first.text_bytes,
        index_bytes: mid_u(|r| r.index_bytes),
        peak_rss_kb: mid_u(|r| r.peak_rss_kb),
        cpu_seconds: mid_f(|r| r.cpu_seconds),
        segments: Vec::new(),
    })
}

fn print_header(args: &BenchArgs) {
    println!(
        "input {} ({} threads, writer memory {} MB)",
        args.input.display(),
        args.jobs,
        args.memory_mb
    );
    if let Some(policy) = realtime_policy() {
        println!(
            "WARNING: running under {policy} (chrt): threads of equal real-time priority are not \
             time-sliced, which starves the JVM's compiler and collector threads (Lucene ran \
             20-40 % slower under chrt -f 50 than under the normal scheduler on the same machine) \
             and lets one tantivy indexing thread take more of the work: the engines' figures \
             are not comparable. Measure on a quiet machine without chrt."
        );
    }
}

/// The real-time scheduling policy this process runs under, if any (field 41 of
/// /proc/self/stat: 1 SCHED_FIFO, 2 SCHED_RR).
fn realtime_policy() -> Option<&'static str> {
    policy_in_stat(&std::fs::read_to_string("/proc/self/stat").ok()?)
}

fn policy_in_stat(stat: &str) -> Option<&'static str> {
    match stat_field(stat, 41)? {
        "1" => Some("SCHED_FIFO"),
        "2" => Some("SCHED_RR"),
        _ => None,
    }
}

/// The table of one run (or of the medians), and what group tagging costs.
fn print_results(results: &[IndexRun]) {
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
    for r in results.iter().filter(|r| !r.segments.is_empty()) {
        let total: u64 = r.segments.iter().map(|&n| u64::from(n)).sum();
        let sizes: Vec<String> = r.segments.iter().map(|n| n.to_string()).collect();
        println!(
            "{} segments (documents): {} (largest {:.0} %)",
            r.engine.name(),
            sizes.join(" + "),
            f64::from(r.segments[0]) * 100.0 / total.max(1) as f64
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
    if let (Some(akhbar), Some(lucene)) = (speed(Indexer::Akhbar), speed(Indexer::Lucene)) {
        println!(
            "akhbar vs Lucene: {:.2}x Lucene's MB/s",
            akhbar.0 / lucene.0.max(1e-9)
        );
    }
}

fn print_footer() {
    println!("text = title + body bytes; MB/s counts reading, decompression and JSON parsing too;");
    println!("MB/CPU-s = text per CPU second (less sensitive to other load on the machine);");
    println!("lucene: ArabicAnalyzer, one text field of title + body, nothing stored, JVM");
    println!("default heap; its seconds start in main() (JVM start-up excluded).");
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A /proc/self/stat line whose policy (field 41) is `policy`; the command name holds
    /// a space and a parenthesis, as names may.
    fn stat_line(policy: u32) -> String {
        let mut fields: Vec<String> = (3..=52).map(|i| (i * 7).to_string()).collect();
        fields[41 - 3] = policy.to_string();
        format!("4242 (akh bar) ) {}", fields.join(" "))
    }

    #[test]
    fn the_policy_is_read_from_field_41() {
        assert_eq!(policy_in_stat(&stat_line(1)), Some("SCHED_FIFO"));
        assert_eq!(policy_in_stat(&stat_line(2)), Some("SCHED_RR"));
        assert_eq!(policy_in_stat(&stat_line(0)), None);
        assert_eq!(policy_in_stat(&stat_line(3)), None);
        assert_eq!(policy_in_stat("garbage"), None);
        assert_eq!(policy_in_stat("1 (x) S 2"), None);
    }

    #[test]
    fn stat_fields_are_counted_after_the_command_name() {
        let line = stat_line(1);
        assert_eq!(stat_field(&line, 3), Some("21"));
        assert_eq!(stat_field(&line, 14), Some("98"));
        assert_eq!(stat_field(&line, 41), Some("1"));
        assert_eq!(stat_field(&line, 53), None);
        assert_eq!(stat_field(&line, 2), None);
    }
}
