//! The server's one adapter to library internals beyond [`Engine::search`]: reading an
//! article's stored passages, highlighting them for a query, the stats and groups
//! reports, the analyzer, and the write path. Everything else in `server` goes through
//! `Engine::search` and the serialised `SearchResponse`.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write as _;

use serde::Serialize;
use tantivy::collector::DocSetCollector;
use tantivy::query::TermQuery;
use tantivy::schema::{IndexRecordOption, OwnedValue};
use tantivy::tokenizer::TokenizerManager;
use tantivy::{TantivyDocument, Term};

use crate::analysis::{analyze as run_analyzer, baselines, Analysis, AnalyzedToken};
use crate::config::Config;
use crate::entities::Gazetteer;
use crate::index::groups::GroupReport;
use crate::index::rebuild;
use crate::index::stats::Stats;
use crate::index::stored::{original_body, StoredPassage};
use crate::index::writer::{existing_hashes, IndexOptions};
use crate::ingest::read::{Input, Inputs};
use crate::ingest::record::Record;
use crate::search::{Engine, SearchRequest, SearchResponse};

pub use crate::search::Sort;

/// What an index holds (`akhbar stats`).
pub fn stats(engine: &Engine) -> anyhow::Result<Stats> {
    crate::index::stats::stats(&engine.idx)
}

/// The groups report (`akhbar groups`).
pub fn groups(engine: &Engine, config: &Config) -> anyhow::Result<Vec<GroupReport>> {
    let gazetteer = Gazetteer::new(config)?;
    crate::index::groups::report(&engine.idx, &gazetteer)
}

/// The tokens an analyzer makes of a text (`akhbar analyze`); the error names the known
/// analyzers.
pub fn analyze(config: &Config, analyzer: &str, text: &str) -> Result<Vec<AnalyzedToken>, String> {
    let analysis = Analysis::new(config).map_err(|e| format!("{e:#}"))?;
    let manager = TokenizerManager::default();
    analysis.register(&manager);
    baselines::register(&manager);
    let Some(mut tokenizer) = manager.get(analyzer) else {
        let mut known: Vec<&str> = analysis.names().collect();
        known.extend(["default", baselines::SNOWBALL_AR]);
        return Err(format!(
            "unknown analyzer `{}` (known: {})",
            super::params::shown(analyzer),
            known.join(", ")
        ));
    };
    Ok(run_analyzer(&mut tokenizer, text))
}

/// One passage of an article.
#[derive(Clone, Debug, Serialize)]
pub struct PassageView {
    pub ordinal: u64,
    pub text: String,
    /// Byte offset of the passage in the record's original body.
    pub start: u64,
    pub groups: Vec<String>,
    /// Byte ranges of the query's words in `text` (with `?q=`).
    pub highlights: Vec<[usize; 2]>,
}

/// An article: metadata, original body, passages, group tags.
#[derive(Clone, Debug, Serialize)]
pub struct ArticleView {
    pub id: String,
    /// The input record it came from (a page split into several articles shares one).
    pub source_id: String,
    pub outlet: Option<String>,
    pub title: Option<String>,
    pub published: Option<String>,
    pub url: Option<String>,
    pub category: Option<String>,
    /// The record's body exactly as it was indexed.
    pub body: Option<String>,
    /// Groups any passage is tagged with.
    pub groups: Vec<String>,
    pub passages: Vec<PassageView>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub query: Option<String>,
    pub notes: Vec<String>,
}

fn facet_leaves(doc: &TantivyDocument, field: tantivy::schema::Field) -> Vec<String> {
    doc.get_all(field)
        .filter_map(|v| match OwnedValue::from(v) {
            OwnedValue::Facet(f) => f.to_path().last().map(|s| s.to_string()),
            _ => None,
        })
        .collect()
}

/// The article with id `id` (looked up in the index, never used as a path), its
/// passages highlighted for `query` when given, as search highlights its hits.
pub fn article(
    engine: &Engine,
    id: &str,
    query: Option<&str>,
) -> anyhow::Result<Option<ArticleView>> {
    let idx = &engine.idx;
    let reader = idx.reader()?;
    let searcher = reader.searcher();
    let term = TermQuery::new(
        Term::from_field_text(idx.fields.article_id, id),
        IndexRecordOption::Basic,
    );
    let addresses = searcher.search(&term, &DocSetCollector)?;
    let mut docs = Vec::with_capacity(addresses.len());
    for address in addresses {
        let doc: TantivyDocument = searcher.doc(address)?;
        let groups = facet_leaves(&doc, idx.fields.group);
        docs.push((StoredPassage::from_doc(&doc, &idx.fields), groups));
    }
    docs.sort_by_key(|(p, _)| p.ordinal);
    let Some((first, _)) = docs.first() else {
        return Ok(None);
    };
    let mut view = ArticleView {
        id: first.article_id.clone(),
        source_id: first.source_id.clone(),
        outlet: first
            .outlet
            .as_deref()
            .and_then(|o| o.rsplit('/').next())
            .map(str::to_string),
        title: first.title.clone(),
        published: first.published.map(|d| d.to_string()),
        url: first.url.clone(),
        category: first.category.clone(),
        body: original_body(idx, &first.source_id)?,
        groups: Vec::new(),
        passages: Vec::new(),
        query: query.map(str::to_string),
        notes: Vec::new(),
    };
    // The search's own highlighter for the query: the page shows what search marks.
    let mut highlighter = match query.filter(|q| !q.trim().is_empty()) {
        Some(q) => match engine.highlighter(&SearchRequest::new(q)) {
            Ok((highlighter, notes)) => {
                view.notes.extend(notes);
                Some(highlighter)
            }
            Err(e) => {
                view.notes.push(e.to_string());
                None
            }
        },
        None => None,
    };
    let mut all_groups = BTreeSet::new();
    for (p, groups) in docs {
        if p.text.is_empty() {
            continue;
        }
        all_groups.extend(groups.iter().cloned());
        let highlights = highlighter
            .as_mut()
            .map(|h| {
                h.matches(&p.text)
                    .into_iter()
                    .map(|(s, e, _)| [s, e])
                    .collect()
            })
            .unwrap_or_default();
        view.passages.push(PassageView {
            ordinal: p.ordinal,
            text: p.text,
            start: p.start,
            groups,
            highlights,
        });
    }
    view.groups = all_groups.into_iter().collect();
    Ok(Some(view))
}

/// What happened to one record of a write batch (like Elasticsearch's bulk items).
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct ItemResult {
    /// 1-based line of the batch.
    pub line: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// added, updated, unchanged or rejected.
    pub result: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// A write batch's outcome.
#[derive(Clone, Debug, Serialize)]
pub struct BulkResult {
    pub took_ms: f64,
    /// Whether any record was rejected.
    pub errors: bool,
    pub added: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub rejected: u64,
    pub committed: bool,
    pub items: Vec<ItemResult>,
}

/// Indexes a JSON Lines batch (the record format) into the live index, exactly as
/// `akhbar index` does, and says per record what happened.
pub fn write_batch(
    root: &std::path::Path,
    config: &Config,
    engine: Option<&Engine>,
    body: &[u8],
) -> anyhow::Result<BulkResult> {
    let started = std::time::Instant::now();
    let existing = match engine {
        Some(engine) => existing_hashes(&engine.idx)?,
        None => Default::default(),
    };
    let tmp = tempfile::tempdir()?;
    let path = tmp.path().join("batch.jsonl");
    std::fs::File::create(&path)?.write_all(body)?;
    let inputs = Inputs::expand(&[Input::Path(path)]);
    let mut rejected: BTreeMap<u64, String> = BTreeMap::new();
    let opts = IndexOptions {
        jobs: 1,
        memory_mb: 64,
        ..IndexOptions::default()
    };
    let summary = rebuild::index(root, config, &inputs, &opts, &mut |r| {
        let line = r
            .origin
            .rsplit(':')
            .next()
            .and_then(|n| n.parse().ok())
            .unwrap_or(0);
        rejected.insert(line, r.reason.clone());
    })?;
    let mut items = Vec::new();
    for (i, line) in body.split(|b| *b == b'\n').enumerate() {
        let number = i as u64 + 1;
        let text = String::from_utf8_lossy(line);
        if text.trim().is_empty() && !rejected.contains_key(&number) {
            continue;
        }
        let id = Record::from_json(&text).ok().map(|r| (r.id.clone(), r));
        let item = match (rejected.remove(&number), id) {
            (Some(reason), id) => ItemResult {
                line: number,
                id: id.map(|(id, _)| id),
                result: "rejected",
                reason: Some(reason),
            },
            (None, Some((id, record))) => {
                let result = match existing.get(&id) {
                    None => "added",
                    Some(hash) if *hash == record.content_hash() => "unchanged",
                    Some(_) => "updated",
                };
                ItemResult {
                    line: number,
                    id: Some(id),
                    result,
                    reason: None,
                }
            }
            (None, None) => continue,
        };
        items.push(item);
    }
    // Rejections the reader made without a line of their own (e.g. a truncated file).
    for (line, reason) in rejected {
        items.push(ItemResult {
            line,
            id: None,
            result: "rejected",
            reason: Some(reason),
        });
    }
    Ok(BulkResult {
        took_ms: started.elapsed().as_secs_f64() * 1000.0,
        errors: summary.rejected > 0,
        added: summary.added,
        updated: summary.updated,
        unchanged: summary.unchanged,
        rejected: summary.rejected,
        committed: summary.committed,
        items,
    })
}

/// Articles per month (`YYYY-MM`) over a search's whole result set.
pub fn months(response: &SearchResponse) -> &BTreeMap<String, u64> {
    &response.facets.dates
}

/// Each group's display name in Arabic (else its id), by id.
pub fn group_names(config: &Config) -> BTreeMap<String, String> {
    config
        .entities
        .groups
        .iter()
        .map(|g| {
            let name = g.display.get("ar").cloned().unwrap_or_else(|| g.id.clone());
            (g.id.clone(), name)
        })
        .collect()
}

/// The groups a search names: words that name one (فاجنر, JNIM…), then its `about`
/// filters; each once, at most five.
pub fn named_groups(response: &SearchResponse, about: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let named = response.parsed.iter().filter_map(|w| w.group.clone());
    for g in named.chain(about.iter().map(|a| a.trim().to_lowercase())) {
        if !out.contains(&g) && out.len() < 5 {
            out.push(g);
        }
    }
    out
}
