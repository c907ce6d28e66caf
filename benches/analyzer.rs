//! Analyzer throughput: akhbar's `arabic` and `arabic_exact` analyzers next to tantivy's
//! `default` tokenizer and the SimpleTokenizer + LowerCaser + Stemmer(Arabic) chain, on
//! the same text in the same process.
//!
//! `cargo bench --bench analyzer [-- FILE.jsonl[.gz] [ROUNDS]]`
//!
//! Reads title and body of every record of `../shared/corpus/news-ar-sample.jsonl.gz`
//! (or FILE), falling back to `samples/articles.jsonl`. Each analyzer runs over the
//! whole text ROUNDS times (default 9), interleaved so that machine noise hits all of
//! them alike; the median round is reported.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::time::{Duration, Instant};

use akhbar::analysis::{baselines, Analysis};
use akhbar::config::Config;
use tantivy::tokenizer::{TextAnalyzer, TokenizerManager};

fn load_texts(path: &Path) -> std::io::Result<Vec<String>> {
    let file = File::open(path)?;
    let reader: Box<dyn Read> = if path.extension().is_some_and(|e| e == "gz") {
        Box::new(flate2::read::GzDecoder::new(file))
    } else {
        Box::new(file)
    };
    let mut texts = Vec::new();
    for line in BufReader::new(reader).lines() {
        let line = line?;
        let Ok(record) = serde_json::from_str::<serde_json::Value>(&line) else {
            continue;
        };
        for field in ["title", "body"] {
            if let Some(text) = record.get(field).and_then(|v| v.as_str()) {
                texts.push(text.to_string());
            }
        }
    }
    Ok(texts)
}

fn run_once(analyzer: &mut TextAnalyzer, texts: &[String]) -> (Duration, usize) {
    let start = Instant::now();
    let mut tokens = 0usize;
    for text in texts {
        let mut stream = analyzer.token_stream(text);
        while stream.advance() {
            tokens += 1;
        }
    }
    (start.elapsed(), tokens)
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let candidates = [
        args.first().cloned().unwrap_or_default(),
        "../shared/corpus/news-ar-sample.jsonl.gz".to_string(),
        "samples/articles.jsonl".to_string(),
    ];
    let Some((path, texts)) = candidates
        .iter()
        .filter(|p| !p.is_empty())
        .find_map(|p| load_texts(Path::new(p)).ok().map(|t| (p.clone(), t)))
    else {
        eprintln!("no input text found (tried {candidates:?})");
        std::process::exit(2);
    };
    let rounds: usize = args.get(1).and_then(|r| r.parse().ok()).unwrap_or(9);
    let bytes: usize = texts.iter().map(String::len).sum();

    let manager = TokenizerManager::default();
    let analysis = Analysis::new(&Config::builtin()).expect("built-in config");
    analysis.register(&manager);
    baselines::register(&manager);
    let names = ["default", baselines::SNOWBALL_AR, "arabic_exact", "arabic"];
    let mut analyzers: Vec<TextAnalyzer> = names
        .iter()
        .map(|n| manager.get(n).expect("registered"))
        .collect();

    let mut times: Vec<Vec<Duration>> = vec![Vec::new(); names.len()];
    let mut token_counts = vec![0usize; names.len()];
    for (i, analyzer) in analyzers.iter_mut().enumerate() {
        run_once(analyzer, &texts); // warm-up
        let _ = i;
    }
    for _ in 0..rounds {
        for (i, analyzer) in analyzers.iter_mut().enumerate() {
            let (elapsed, tokens) = run_once(analyzer, &texts);
            times[i].push(elapsed);
            token_counts[i] = tokens;
        }
    }
    let medians: Vec<f64> = times
        .iter_mut()
        .map(|t| {
            t.sort();
            t[t.len() / 2].as_secs_f64()
        })
        .collect();

    println!(
        "analyzer throughput: {path}, {} texts, {:.1} MB, median of {rounds} rounds, 1 thread",
        texts.len(),
        bytes as f64 / 1e6
    );
    println!(
        "{:<14} {:>9} {:>10} {:>12} {:>12} {:>12}",
        "analyzer", "MB/s", "Mtokens/s", "tokens", "time/default", "time/snowball"
    );
    for (i, name) in names.iter().enumerate() {
        println!(
            "{:<14} {:>9.1} {:>10.2} {:>12} {:>11.2}x {:>11.2}x",
            name,
            bytes as f64 / 1e6 / medians[i],
            token_counts[i] as f64 / 1e6 / medians[i],
            token_counts[i],
            medians[i] / medians[0],
            medians[i] / medians[1],
        );
    }
}
