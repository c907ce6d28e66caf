//! akhbar as shipped: the collection file indexed by `akhbar index`'s own path
//! ([`crate::index::rebuild::reindex`]: reading, cleaning, pages, passages, the writer
//! and the schema of the configuration) into a real index directory, then every
//! question searched through [`crate::search::batch::run`], the entry point of `akhbar
//! search --queries … --run …`, ranking articles by their best passage.

use std::path::Path;

use anyhow::Context;

use crate::config::Config;
use crate::index::writer::IndexOptions;
use crate::index::{dir_size, rebuild, Layout};
use crate::ingest::read::{Input, Inputs};
use crate::search::batch::{self, BatchQuery, BatchRun, RunUnit};
use crate::search::Engine;

/// akhbar's index and run.
pub struct Shipped {
    pub articles: u64,
    pub passages: u64,
    pub index_seconds: f64,
    /// Size of the index directory, and bytes of title and body text indexed.
    pub index_bytes: u64,
    pub text_bytes: u64,
    /// Records the indexer rejected, as `file:line: reason` (the first few).
    pub rejected: u64,
    pub first_rejections: Vec<String>,
    pub run: BatchRun,
}

/// Indexes `collection_file` into `root` (a fresh directory) with `config` and runs
/// `queries` (top `depth` articles).
pub fn evaluate(
    config: &Config,
    collection_file: &Path,
    root: &Path,
    queries: &[BatchQuery],
    depth: usize,
    options: &IndexOptions,
) -> anyhow::Result<Shipped> {
    let inputs = Inputs::expand(&[Input::Path(collection_file.to_owned())]);
    let mut first_rejections = Vec::new();
    let summary = rebuild::reindex(root, config, &inputs, options, &mut |r| {
        if first_rejections.len() < 5 {
            first_rejections.push(format!("{}: {}", r.origin, r.reason));
        }
    })
    .with_context(|| format!("indexing {}", collection_file.display()))?;
    let layout = Layout::new(root);
    let index_bytes = layout
        .current()?
        .map_or(0, |generation| dir_size(&layout.path(&generation)));
    let engine = Engine::open(root, config)
        .with_context(|| format!("opening the index at {}", root.display()))?;
    let run = batch::run(&engine, queries, &batch::request(depth, RunUnit::Article));
    Ok(Shipped {
        articles: summary.articles,
        passages: summary.passages,
        index_seconds: summary.seconds,
        index_bytes,
        text_bytes: summary.text_bytes,
        rejected: summary.rejected,
        first_rejections,
        run,
    })
}
