//! The baselines: what a tantivy user sets up with one analyzer — one text field per
//! whole document (title and body joined when the record has a title), an in-RAM index,
//! tantivy's `QueryParser` (lenient, so no question is ever an error) and `TopDocs`.

use std::path::Path;
use std::time::Instant;

use anyhow::Context;
use tantivy::collector::TopDocs;
use tantivy::query::QueryParser;
use tantivy::schema::{IndexRecordOption, Schema, TextFieldIndexing, TextOptions, FAST};
use tantivy::{Index, ReloadPolicy, TantivyDocument};

use super::collection;
use super::system::register_all;
use crate::config::Config;
use crate::search::batch::{BatchQuery, RankedDoc, Ranking};

/// Index writer resources.
#[derive(Clone, Copy, Debug)]
pub struct WriterOptions {
    pub threads: usize,
    pub memory_bytes: usize,
}

/// A baseline's index and runs.
pub struct Baseline {
    pub docs: usize,
    pub index_seconds: f64,
    pub rankings: Vec<Ranking>,
    pub times_ms: Vec<f64>,
}

/// Indexes the collection file with `analyzer` and runs every query (top `depth`).
pub fn evaluate(
    config: &Config,
    analyzer: &str,
    collection_file: &Path,
    queries: &[BatchQuery],
    depth: usize,
    options: WriterOptions,
) -> anyhow::Result<Baseline> {
    let tokenizers = register_all(config)?;
    if tokenizers.get(analyzer).is_none() {
        anyhow::bail!("no analyzer named `{analyzer}` is registered");
    }
    let mut builder = Schema::builder();
    let text = builder.add_text_field(
        "text",
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(analyzer)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        ),
    );
    let ord = builder.add_u64_field("ord", FAST);
    let mut index = Index::create_in_ram(builder.build());
    index.set_tokenizers(tokenizers);

    let started = Instant::now();
    let mut writer = index
        .writer_with_num_threads::<TantivyDocument>(options.threads.max(1), options.memory_bytes)
        .context("cannot create the index writer")?;
    let mut ids: Vec<std::sync::Arc<str>> = Vec::new();
    collection::for_each_record(collection_file, |record| {
        let mut doc = TantivyDocument::new();
        match &record.title {
            Some(title) => doc.add_text(text, format!("{title}\n{}", record.body)),
            None => doc.add_text(text, &record.body),
        }
        doc.add_u64(ord, ids.len() as u64);
        writer.add_document(doc)?;
        ids.push(record.id.into());
        Ok(())
    })?;
    writer.commit().context("cannot commit the index")?;
    writer
        .wait_merging_threads()
        .context("index merge failed")?;
    let index_seconds = started.elapsed().as_secs_f64();

    let reader = index
        .reader_builder()
        .reload_policy(ReloadPolicy::Manual)
        .try_into()
        .context("cannot open the index reader")?;
    let searcher = reader.searcher();
    let ords = searcher
        .segment_readers()
        .iter()
        .map(|segment| segment.fast_fields().u64("ord"))
        .collect::<Result<Vec<_>, _>>()
        .context("cannot read the ord column")?;
    let parser = QueryParser::for_index(&index, vec![text]);
    let collector = TopDocs::with_limit(depth.max(1)).order_by_score();
    let mut rankings = Vec::with_capacity(queries.len());
    let mut times_ms = Vec::with_capacity(queries.len());
    for query in queries {
        let started = Instant::now();
        let (parsed, _) = parser.parse_query_lenient(&query.text);
        let top = searcher
            .search(&parsed, &collector)
            .with_context(|| format!("query {} failed", query.id))?;
        times_ms.push(started.elapsed().as_secs_f64() * 1000.0);
        let docs = top
            .into_iter()
            .map(|(score, address)| {
                let doc = ords
                    .get(address.segment_ord as usize)
                    .and_then(|column| column.first(address.doc_id))
                    .and_then(|ord| ids.get(ord as usize))
                    .context("internal: a hit without a document id")?;
                Ok(RankedDoc {
                    doc: doc.clone(),
                    score,
                })
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        rankings.push(Ranking {
            qid: query.id.clone(),
            docs,
        });
    }
    Ok(Baseline {
        docs: ids.len(),
        index_seconds,
        rankings,
        times_ms,
    })
}
