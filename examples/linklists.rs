//! Counts what the inline link list rule (`src/ingest/linklists.rs`) drops on a corpus,
//! through the shipped cleaning path, and prints a sample of the dropped runs to check
//! by eye:
//!
//! ```sh
//! cargo run --release --example linklists -- ../shared/corpus/news-ar.jsonl.gz [SAMPLE] [OUTLETS]
//! ```
//!
//! SAMPLE runs are shown, from every 9th article with a drop; with OUTLETS (`BBC`, or
//! `-BBC` for every outlet but BBC) every article of those outlets with a drop is a
//! candidate instead.

use std::collections::BTreeMap;

use akhbar::ingest::clean::{clean_lines, lines, Family};
use akhbar::ingest::read::{Input, Inputs};

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(path) = args.first() else {
        anyhow::bail!("usage: linklists CORPUS.jsonl[.gz] [SAMPLE]");
    };
    let sample: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(20);
    // Which outlets' drops are shown: all (every 9th), one, or all but one.
    let filter: Option<(bool, String)> = args.get(2).map(|f| match f.strip_prefix('-') {
        Some(name) => (false, name.to_string()),
        None => (true, f.clone()),
    });
    let inputs = Inputs::expand(&[Input::parse(path)]);
    let (mut articles, mut hit_articles, mut dropped_lines, mut total_lines) =
        (0u64, 0u64, 0u64, 0u64);
    let mut by_outlet: BTreeMap<String, (u64, u64)> = BTreeMap::new();
    let mut shown = 0;
    inputs.for_each(|unit| {
        let (_, record) = unit.into_record();
        let Ok(record) = record else { return true };
        articles += 1;
        let body = record.body.as_str();
        let spans = lines(body);
        total_lines += spans.len() as u64;
        let verdicts = clean_lines(body, &spans, record.title.as_deref());
        let run: Vec<&str> = spans
            .iter()
            .zip(&verdicts)
            .filter(|(_, v)| matches!(v, Err(Family::LinkList)))
            .map(|(s, _)| s.of(body))
            .collect();
        if !run.is_empty() {
            hit_articles += 1;
            dropped_lines += run.len() as u64;
            let e = by_outlet
                .entry(record.outlet.clone().unwrap_or_default())
                .or_default();
            e.0 += 1;
            e.1 += run.len() as u64;
            // Every 9th article with a drop, for an unbiased look; or every one of the
            // outlets asked for.
            let outlet = record.outlet.as_deref().unwrap_or_default();
            let candidate = match &filter {
                None => hit_articles % 9 == 1,
                Some((keep, name)) => (outlet == name) == *keep,
            };
            if candidate && shown < sample {
                shown += 1;
                println!(
                    "--- {} ({})",
                    record.id,
                    record.outlet.as_deref().unwrap_or("?")
                );
                for l in &run {
                    println!("    {l}");
                }
            }
        }
        true
    });
    println!(
        "articles {articles}, with a link list {hit_articles}; lines {total_lines}, dropped {dropped_lines}"
    );
    for (outlet, (a, l)) in by_outlet {
        println!("  {outlet}: {a} articles, {l} lines");
    }
    Ok(())
}
