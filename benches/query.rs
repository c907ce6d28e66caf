//! Query latency: akhbar next to a plain tantivy index of the same articles, same queries,
//! same run.
//!
//! `cargo bench --bench query [-- CORPUS.jsonl[.gz] [--keep DIR] [--write-queries FILE]]`
//!
//! 1. Builds (or, with `--keep DIR` and an earlier run, reuses) an akhbar index of the
//!    corpus (default `../shared/corpus/news-ar.jsonl.gz`, else `samples/`) and a plain
//!    tantivy index of it (default tokenizer, one field of title + body).
//! 2. Derives 300 queries reproducibly from the corpus titles: every n-th titled article,
//!    its first two or three words (alternately).
//! 3. Times each query in-process, one at a time, 3 rounds after a warm-up round:
//!    - plain tantivy: QueryParser (OR) + top-100, no facets or snippets;
//!    - akhbar batch (`search --run`): parse + build + top-100 articles by best passage;
//!    - akhbar interactive: + collapsing, facet counts over the whole result set,
//!      snippets and highlights for a page of 10.
//! 4. Times a one-shot `akhbar search` process on the samples index (open + query +
//!    print), 20 runs.
//!
//! `--write-queries FILE` writes the 300 queries as a `qid<TAB>query` file (ids
//! `t000`…) and stops, so `akhbar search --queries FILE --run …` times the same queries
//! through the shipped command.
//!
//! Prints p50/p95/p99 in milliseconds and the ratios to plain tantivy.

use std::path::{Path, PathBuf};

/// The `akhbar` binary's allocator (`src/alloc.rs`, its search defaults), so both
/// engines are timed with the allocator the shipped binary searches with.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
use std::process::Command;
use std::time::Instant;

use akhbar::config::Config;
use akhbar::index::rebuild;
use akhbar::index::writer::IndexOptions;
use akhbar::ingest::read::{Input, Inputs};
use akhbar::ingest::Record;
use akhbar::search::batch::{self, RunUnit};
use akhbar::search::{Engine, SearchRequest};
use tantivy::collector::TopDocs;
use tantivy::query::QueryParser;
use tantivy::schema::{Schema, TEXT};
use tantivy::{Index, IndexWriter, TantivyDocument};

const QUERIES: usize = 300;
const ROUNDS: usize = 3;

/// The corpus records, read and checked by the indexer's own reader (unreadable or
/// rejected records are left out, as `akhbar index` leaves them out).
fn records(path: &Path) -> Vec<Record> {
    let mut records = Vec::new();
    Inputs::expand(&[Input::Path(path.to_owned())]).for_each(|unit| {
        if let (_, Ok(record)) = unit.into_record() {
            records.push(record);
        }
        true
    });
    records
}

fn derive_queries(records: &[Record]) -> Vec<String> {
    let titled: Vec<&str> = records
        .iter()
        .filter_map(|r| r.title.as_deref())
        .filter(|t| t.split_whitespace().count() >= 3)
        .collect();
    let step = (titled.len() / QUERIES).max(1);
    titled
        .iter()
        .step_by(step)
        .take(QUERIES)
        .enumerate()
        .map(|(i, title)| {
            let words: Vec<&str> = title
                .split_whitespace()
                .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
                .filter(|w| !w.is_empty())
                .take(2 + i % 2)
                .collect();
            words.join(" ")
        })
        .filter(|q| !q.is_empty())
        .collect()
}

fn percentiles(mut ms: Vec<f64>) -> [f64; 3] {
    ms.sort_by(f64::total_cmp);
    [0.50, 0.95, 0.99].map(|p| batch::percentile(&ms, p))
}

fn build_plain(records: &[Record], dir: &Path) -> (Index, tantivy::schema::Field) {
    let mut builder = Schema::builder();
    let text = builder.add_text_field("text", TEXT);
    let index = Index::create_in_dir(dir, builder.build()).expect("plain index");
    let mut writer: IndexWriter = index.writer_with_num_threads(2, 256 << 20).expect("writer");
    for r in records {
        let mut doc = TantivyDocument::new();
        let title = r.title.as_deref().unwrap_or("");
        doc.add_text(text, format!("{title}\n{}", r.body));
        writer.add_document(doc).expect("add");
    }
    writer.commit().expect("commit");
    (index, text)
}

fn build_akhbar(input: &Path, root: &Path, config: &Config) {
    let inputs = Inputs::expand(&[Input::parse(&input.to_string_lossy())]);
    let opts = IndexOptions {
        jobs: 2,
        memory_mb: 256,
        ..IndexOptions::default()
    };
    rebuild::reindex(root, config, &inputs, &opts, &mut |_| {}).expect("akhbar index");
}

/// The batch queries with the slowest median over the rounds (the p95 tail is the
/// slowest 5 %), with plain tantivy's median on the same query.
fn print_slowest(queries: &[String], per_query: Vec<(Vec<f64>, Vec<f64>)>) {
    let median = |ms: Vec<f64>| percentiles(ms)[0];
    let mut medians: Vec<(f64, f64, &str)> = per_query
        .into_iter()
        .zip(queries)
        .map(|((batch, plain), q)| (median(batch), median(plain), q.as_str()))
        .collect();
    medians.sort_by(|a, b| b.0.total_cmp(&a.0));
    let tail = queries.len().div_ceil(20);
    println!("the {tail} slowest batch queries (median ms: akhbar batch / plain tantivy):");
    for (batch, plain, q) in medians.iter().take(tail) {
        println!("  {batch:>7.3} / {plain:>6.3}  {q}");
    }
}

/// The question-style queries over the corpus of the judged interactive set
/// (`docs/judged/interactive-queries.tsv`, ids `c…`): interactive searches (`match:
/// auto`, which relaxes a question nothing matches in full), timed like the others.
fn time_questions(engine: &Engine) {
    let path = Path::new("docs/judged/interactive-queries.tsv");
    let Ok(queries) = batch::read_queries(path) else {
        println!(
            "no {} here: question-style queries not timed",
            path.display()
        );
        return;
    };
    let questions: Vec<&str> = queries
        .iter()
        .filter(|q| q.id.starts_with('c'))
        .map(|q| q.text.as_str())
        .collect();
    let mut ms = Vec::new();
    for round in 0..=ROUNDS {
        for q in &questions {
            let t = Instant::now();
            std::hint::black_box(engine.search(&SearchRequest::new(*q)).ok());
            if round > 0 {
                ms.push(t.elapsed().as_secs_f64() * 1000.0);
            }
        }
    }
    let p = percentiles(ms);
    println!(
        "{:<34} {:>8.3} {:>8.3} {:>8.3}   ({} questions of {})",
        "akhbar interactive, questions",
        p[0],
        p[1],
        p[2],
        questions.len(),
        path.display()
    );
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    // `--keep DIR`, `--write-queries FILE`, and the corpus (the one other argument).
    let (mut keep, mut write_queries, mut corpus) = (None, None, None);
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--keep" => keep = it.next().map(PathBuf::from),
            "--write-queries" => write_queries = it.next().map(PathBuf::from),
            _ if !arg.starts_with("--") => corpus = Some(PathBuf::from(arg)),
            _ => {}
        }
    }
    let corpus = corpus
        .or_else(|| {
            let shared = PathBuf::from("../shared/corpus/news-ar.jsonl.gz");
            shared.exists().then_some(shared)
        })
        .unwrap_or_else(|| PathBuf::from("samples/articles.jsonl"));
    let temp = tempfile::tempdir().expect("temp dir");
    let work = keep.clone().unwrap_or_else(|| temp.path().to_path_buf());
    std::fs::create_dir_all(&work).expect("work dir");
    let config = Config::builtin();

    let records = records(&corpus);
    let queries = derive_queries(&records);
    if let Some(path) = write_queries {
        let lines: String = queries
            .iter()
            .enumerate()
            .map(|(i, q)| format!("t{i:03}\t{q}\n"))
            .collect();
        std::fs::write(&path, lines).expect("write the queries");
        println!("{} queries written to {}", queries.len(), path.display());
        return;
    }
    println!(
        "query latency: {} ({} articles), {} queries from titles, {ROUNDS} rounds, 1 query at a time",
        corpus.display(),
        records.len(),
        queries.len()
    );

    let akhbar_root = work.join("akhbar");
    if akhbar::index::Layout::new(&akhbar_root)
        .current()
        .ok()
        .flatten()
        .is_none()
    {
        let t = Instant::now();
        build_akhbar(&corpus, &akhbar_root, &config);
        println!("built akhbar index in {:.0} s", t.elapsed().as_secs_f64());
    }
    let plain_dir = work.join("plain");
    let (plain, plain_field) = if plain_dir.join("meta.json").exists() {
        let index = Index::open_in_dir(&plain_dir).expect("plain index");
        let field = index.schema().get_field("text").expect("text field");
        (index, field)
    } else {
        std::fs::create_dir_all(&plain_dir).expect("plain dir");
        let t = Instant::now();
        let built = build_plain(&records, &plain_dir);
        println!("built plain index in {:.0} s", t.elapsed().as_secs_f64());
        built
    };
    drop(records);

    // Plain tantivy.
    let plain_reader = plain.reader().expect("reader");
    let plain_searcher = plain_reader.searcher();
    let parser = QueryParser::for_index(&plain, vec![plain_field]);
    let mut plain_ms = Vec::new();
    // akhbar.
    let engine = Engine::open(&akhbar_root, &config).expect("akhbar index opens");
    let mut batch_ms = Vec::new();
    let mut interactive_ms = Vec::new();
    // Each query's batch and plain times over the rounds, for the slowest queries.
    let mut per_query: Vec<(Vec<f64>, Vec<f64>)> = vec![Default::default(); queries.len()];
    for round in 0..=ROUNDS {
        for (qi, q) in queries.iter().enumerate() {
            let t = Instant::now();
            let (query, _) = parser.parse_query_lenient(q);
            let top = plain_searcher
                .search(&query, &TopDocs::with_limit(100).order_by_score())
                .expect("plain search");
            std::hint::black_box(top);
            let plain_elapsed = t.elapsed().as_secs_f64() * 1000.0;

            let mut batch_request = batch::request(100, RunUnit::Article); // as `search --run`
            batch_request.query.clone_from(q);
            let t = Instant::now();
            std::hint::black_box(engine.search(&batch_request).ok());
            let batch_elapsed = t.elapsed().as_secs_f64() * 1000.0;

            let interactive = SearchRequest::new(q.as_str());
            let t = Instant::now();
            std::hint::black_box(engine.search(&interactive).ok());
            let interactive_elapsed = t.elapsed().as_secs_f64() * 1000.0;
            if round > 0 {
                per_query[qi].0.push(batch_elapsed);
                per_query[qi].1.push(plain_elapsed);
                plain_ms.push(plain_elapsed);
                batch_ms.push(batch_elapsed);
                interactive_ms.push(interactive_elapsed);
            }
        }
    }
    let plain_p = percentiles(plain_ms);
    println!(
        "{:<34} {:>8} {:>8} {:>8} {:>12}",
        "", "p50 ms", "p95 ms", "p99 ms", "p95/plain"
    );
    for (name, ms) in [
        ("plain tantivy (top-100)", plain_p),
        ("akhbar batch (--run, top-100)", percentiles(batch_ms)),
        (
            "akhbar interactive (10 + facets)",
            percentiles(interactive_ms),
        ),
    ] {
        println!(
            "{name:<34} {:>8.3} {:>8.3} {:>8.3} {:>11.2}x",
            ms[0],
            ms[1],
            ms[2],
            ms[1] / plain_p[1]
        );
    }

    print_slowest(&queries, per_query);
    time_questions(&engine);

    // One-shot process on the samples index.
    let samples_root = work.join("samples-index");
    if akhbar::index::Layout::new(&samples_root)
        .current()
        .ok()
        .flatten()
        .is_none()
    {
        build_akhbar(Path::new("samples/articles.jsonl"), &samples_root, &config);
    }
    let mut wall_ms = Vec::new();
    for _ in 0..21 {
        let t = Instant::now();
        let out = Command::new(env!("CARGO_BIN_EXE_akhbar"))
            .args(["search", "--index"])
            .arg(&samples_root)
            .arg("فاغنر مالي")
            .output()
            .expect("akhbar runs");
        assert!(out.status.success());
        wall_ms.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    wall_ms.remove(0);
    let wall = percentiles(wall_ms);
    println!(
        "one-shot `akhbar search` on samples (open + query + print): median {:.1} ms, p95 {:.1} ms",
        wall[0], wall[1]
    );
}
