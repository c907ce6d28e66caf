//! Retrieval evaluation of the product as shipped: a passage collection (optionally
//! hidden among distractor articles) is written once as records ([`collection`]),
//! indexed by each system, every query is run, and the rankings are scored against TREC
//! qrels with MRR@10, nDCG@10, Recall@10 and Recall@100.
//!
//! - [`data`]: reading passages and qrels (queries: [`crate::search::batch`]);
//! - [`collection`]: the records every system indexes;
//! - [`shipped`]: akhbar — `akhbar index` and `akhbar search --queries … --run …`'s path;
//! - [`baseline`]: one-field tantivy systems over whole documents;
//! - [`metrics`]: the metrics, per query and averaged;
//! - [`system`]: the systems by name (akhbar, baselines, ablation steps, any analyzer).

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use serde::Serialize;

pub mod baseline;
pub mod collection;
pub mod data;
pub mod metrics;
pub mod shipped;
pub mod system;

use crate::index::writer::IndexOptions;
use crate::search::batch::{BatchQuery, Latency, Ranking};
use data::{JudgedPassage, Qrels};
use metrics::{MetricSummary, QueryScores};
use system::{SystemKind, SystemSpec};

/// How many documents are retrieved per query (the deepest cut-off, Recall@100).
pub const DEPTH: usize = 100;

/// The result of one system.
#[derive(Clone, Debug, Serialize)]
pub struct SystemResult {
    pub name: String,
    pub description: String,
    #[serde(flatten)]
    pub summary: MetricSummary,
    /// Documents in the index: passages for akhbar, whole records for the baselines.
    pub docs: u64,
    /// Records (articles) indexed.
    pub articles: u64,
    /// Wall-clock time to build the index.
    pub index_seconds: f64,
    /// akhbar: the index directory's size over the title and body text indexed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub index_to_text: Option<f64>,
    /// Total time of the searches, one query at a time.
    pub search_seconds: f64,
    /// Per-query latency.
    pub latency: Latency,
    /// Queries that failed (their ranking is empty), as `line: qid: message`.
    pub failed_queries: Vec<String>,
    /// The ranking of each query, in query-file order.
    #[serde(skip)]
    pub rankings: Vec<Ranking>,
}

/// What was evaluated, for reports.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Setup {
    pub passages: usize,
    pub queries: usize,
    /// Queries with at least one relevant document (the ones averaged).
    pub judged_queries: usize,
    /// Judged query ids absent from the query file (they score 0).
    pub judged_without_query: usize,
    /// Query-file entries without a relevant document (run, not scored).
    pub unjudged_queries: usize,
    pub distractor_files: Vec<PathBuf>,
    pub distractors: usize,
    /// Distractor records `akhbar index` rejects (skipped for every system).
    pub distractor_bad_lines: usize,
    pub distractor_title: bool,
}

/// Scores one system's rankings: the mean over every query with a relevant document
/// (a judged query missing from the rankings scores 0).
pub fn score(rankings: &[Ranking], qrels: &Qrels) -> MetricSummary {
    let by_id: HashMap<&str, &Ranking> = rankings.iter().map(|r| (r.qid.as_str(), r)).collect();
    let per_query: Vec<QueryScores> = qrels
        .iter()
        .filter(|(_, relevant)| !relevant.is_empty())
        .map(|(qid, relevant)| {
            let ranking: Vec<&str> = by_id
                .get(qid.as_str())
                .map(|r| r.docs.iter().map(|d| &*d.doc).collect())
                .unwrap_or_default();
            metrics::score_query(&ranking, relevant)
        })
        .collect();
    metrics::mean(&per_query)
}

/// Describes the query/qrels overlap.
pub fn setup(passages: &[JudgedPassage], queries: &[BatchQuery], qrels: &Qrels) -> Setup {
    let query_ids: HashSet<&str> = queries.iter().map(|q| q.id.as_str()).collect();
    let judged: Vec<&String> = qrels
        .iter()
        .filter(|(_, r)| !r.is_empty())
        .map(|(q, _)| q)
        .collect();
    Setup {
        passages: passages.len(),
        queries: queries.len(),
        judged_queries: judged.len(),
        judged_without_query: judged
            .iter()
            .filter(|q| !query_ids.contains(q.as_str()))
            .count(),
        unjudged_queries: queries
            .iter()
            .filter(|q| qrels.get(&q.id).is_none_or(|r| r.is_empty()))
            .count(),
        ..Setup::default()
    }
}

/// Where and how a run indexes.
#[derive(Clone, Debug)]
pub struct RunContext<'a> {
    /// The collection file ([`collection::write`]).
    pub collection: &'a Path,
    /// A directory for akhbar's index directories (one per akhbar system).
    pub work_dir: &'a Path,
    pub index: IndexOptions,
}

/// Indexes the collection for `system`, runs `queries` and scores them.
pub fn evaluate_system(
    system: &SystemSpec,
    context: &RunContext<'_>,
    queries: &[BatchQuery],
    qrels: &Qrels,
) -> anyhow::Result<SystemResult> {
    let mut index_to_text = None;
    let (docs, articles, index_seconds, rankings, times_ms, failed_queries) = match &system.kind {
        SystemKind::Akhbar => {
            let root = context.work_dir.join(index_dir_name(&system.name));
            let shipped = shipped::evaluate(
                &system.config,
                context.collection,
                &root,
                queries,
                DEPTH,
                &context.index,
            )?;
            if shipped.rejected > 0 {
                eprintln!(
                    "akhbar eval: warning: the indexer rejected {} records, e.g. {}",
                    shipped.rejected,
                    shipped.first_rejections.join("; ")
                );
            }
            index_to_text = Some(shipped.index_bytes as f64 / shipped.text_bytes.max(1) as f64);
            let failed = shipped
                .run
                .failures
                .iter()
                .map(|f| format!("{}: {}: {}", f.line, f.qid, f.message))
                .collect();
            (
                shipped.passages,
                shipped.articles,
                shipped.index_seconds,
                shipped.run.rankings,
                shipped.run.times_ms,
                failed,
            )
        }
        SystemKind::SingleField { analyzer } => {
            let b = baseline::evaluate(
                &system.config,
                analyzer,
                context.collection,
                queries,
                DEPTH,
                baseline::WriterOptions {
                    threads: context.index.jobs,
                    memory_bytes: context.index.memory_mb << 20,
                },
            )?;
            let docs = b.docs as u64;
            (
                docs,
                docs,
                b.index_seconds,
                b.rankings,
                b.times_ms,
                Vec::new(),
            )
        }
    };
    let latency = Latency::of(&times_ms);
    Ok(SystemResult {
        name: system.name.clone(),
        description: system.description.clone(),
        summary: score(&rankings, qrels),
        docs,
        articles,
        index_seconds,
        index_to_text,
        search_seconds: latency.seconds,
        latency,
        failed_queries,
        rankings,
    })
}

/// A file or directory name for a system: `akhbar:+stem` → `akhbar_+stem`.
pub fn file_stem(system: &str) -> String {
    system
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '+' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect()
}

fn index_dir_name(system: &str) -> String {
    format!("index-{}", file_stem(system))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::batch::RankedDoc;

    #[test]
    fn scores_average_over_judged_queries_only() {
        let qrels: Qrels = [
            ("q1".to_string(), HashSet::from(["d1".to_string()])),
            ("q2".to_string(), HashSet::from(["d2".to_string()])),
            ("q3".to_string(), HashSet::new()),
        ]
        .into_iter()
        .collect();
        let doc = |d: &str| RankedDoc {
            doc: d.into(),
            score: 1.0,
        };
        // q1: relevant at rank 2; q2 missing from the run (scores 0); q3 unjudged.
        let rankings = [
            Ranking {
                qid: "q1".into(),
                docs: vec![doc("d9"), doc("d1")],
            },
            Ranking {
                qid: "q3".into(),
                docs: vec![doc("d1")],
            },
        ];
        let s = score(&rankings, &qrels);
        assert_eq!(s.queries, 2);
        assert!((s.mrr10 - 0.25).abs() < 1e-12, "{}", s.mrr10);
        assert!((s.recall100 - 0.5).abs() < 1e-12);
        assert_eq!(file_stem("akhbar:+stem"), "akhbar_+stem");
        assert_eq!(index_dir_name("default"), "index-default");
    }
}
