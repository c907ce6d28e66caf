//! `index` and `reindex`: taking the lock, choosing the generation, switching.

use anyhow::Context;
use rustc_hash::FxHashMap;

use super::writer::{
    existing_hashes, ingest, tagger, test_abort, IndexOptions, IndexSummary, Rejection,
};
use super::{AkhbarIndex, Layout};
use crate::config::Config;
use crate::ingest::read::Inputs;
use crate::ingest::IngestContext;

/// Incremental indexing into the live generation (created if there is none).
pub fn index(
    root: &std::path::Path,
    config: &Config,
    inputs: &Inputs,
    opts: &IndexOptions,
    report: &mut dyn FnMut(&Rejection),
) -> anyhow::Result<IndexSummary> {
    let layout = Layout::new(root);
    let _lock = layout.lock()?;
    layout.clean_up();
    match layout.current()? {
        Some(_) => {
            let idx = AkhbarIndex::open(root, config)?;
            let existing = existing_hashes(&idx)?;
            ingest(
                &idx,
                existing,
                inputs,
                &IngestContext::new(config),
                tagger(config, opts)?.as_ref(),
                opts,
                report,
            )
        }
        None => {
            // A first index: built aside and switched in, like a rebuild.
            build_and_switch(&layout, config, inputs, opts, report)
        }
    }
}

/// A full rebuild into a new generation, then an atomic switch.
pub fn reindex(
    root: &std::path::Path,
    config: &Config,
    inputs: &Inputs,
    opts: &IndexOptions,
    report: &mut dyn FnMut(&Rejection),
) -> anyhow::Result<IndexSummary> {
    let layout = Layout::new(root);
    let _lock = layout.lock()?;
    layout.clean_up();
    build_and_switch(&layout, config, inputs, opts, report)
}

fn build_and_switch(
    layout: &Layout,
    config: &Config,
    inputs: &Inputs,
    opts: &IndexOptions,
    report: &mut dyn FnMut(&Rejection),
) -> anyhow::Result<IndexSummary> {
    let tagger = tagger(config, opts)?;
    let idx = AkhbarIndex::create(layout, config)?;
    let generation = idx.generation.clone();
    let result = ingest(
        &idx,
        FxHashMap::default(),
        inputs,
        &IngestContext::new(config),
        tagger.as_ref(),
        opts,
        report,
    );
    let mut summary = match result {
        Ok(s) => s,
        Err(e) => {
            drop(idx);
            let _ = std::fs::remove_dir_all(layout.path(&generation));
            return Err(e);
        }
    };
    if !summary.committed {
        // Nothing was added (empty or all-rejected input): still a valid, empty index.
        let mut w: tantivy::IndexWriter = idx.index.writer_with_num_threads(1, 16 << 20)?;
        w.commit()?;
        w.wait_merging_threads()?;
        summary.committed = true;
    }
    test_abort("after-commit");
    drop(idx);
    layout
        .switch_to(&generation)
        .context("switching to the new index failed; the previous index is still live")?;
    layout.clean_up();
    Ok(summary)
}

/// The five seed articles (`samples/articles.jsonl`), compiled in.
pub const SAMPLES_JSONL: &str = include_str!("../../samples/articles.jsonl");

/// For a fresh clone: when `root` holds no index, builds one from the compiled-in
/// samples and returns its summary (the caller says so on stderr); otherwise `None`.
pub fn ensure_index(
    root: &std::path::Path,
    config: &Config,
) -> anyhow::Result<Option<IndexSummary>> {
    if Layout::new(root).current()?.is_some() {
        return Ok(None);
    }
    let tmp = tempfile::tempdir()?;
    let path = tmp.path().join("samples.jsonl");
    std::fs::write(&path, SAMPLES_JSONL)?;
    let inputs = Inputs::expand(&[crate::ingest::read::Input::Path(path)]);
    let opts = IndexOptions {
        jobs: 1,
        memory_mb: 32,
        ..IndexOptions::default()
    };
    let summary = index(root, config, &inputs, &opts, &mut |_| {})?;
    Ok(Some(summary))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ensure_index_builds_from_samples_once() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("ix");
        let config = Config::builtin();
        let first = ensure_index(&root, &config).unwrap().unwrap();
        assert_eq!((first.added, first.articles), (5, 6));
        assert!(ensure_index(&root, &config).unwrap().is_none());
    }
}
