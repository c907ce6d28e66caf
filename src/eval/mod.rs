//! Retrieval evaluation: index a passage collection (optionally hidden among distractor
//! articles) once per system, run every query, and score the rankings against TREC
//! qrels with MRR@10, nDCG@10, Recall@10 and Recall@100.
//!
//! - [`data`]: reading passages, queries, qrels and distractor corpora;
//! - [`metrics`]: the metrics, per query and averaged;
//! - [`system`]: the systems by name (akhbar, baselines, ablation steps, any analyzer);
//! - [`engine`]: the temporary index and the query runs;
//! - [`run`]: TREC run files.

use std::collections::HashSet;
use std::path::PathBuf;

use serde::Serialize;

pub mod data;
pub mod engine;
pub mod metrics;
pub mod run;
pub mod system;

use data::{DistractorStats, EvalQuery, Passage, Qrels};
use engine::{Collection, IndexOptions};
use metrics::{QueryScores, Summary};
use run::Hit;
use system::SystemSpec;

/// The result of one system.
#[derive(Clone, Debug, Serialize)]
pub struct SystemResult {
    pub name: String,
    pub description: String,
    #[serde(flatten)]
    pub summary: Summary,
    /// Documents in the index (passages + distractors).
    pub docs: usize,
    /// Wall-clock time to build the index (reading distractor files included).
    pub index_seconds: f64,
    /// Wall-clock time to run every query.
    pub search_seconds: f64,
    /// The ranking of each query, in query-file order.
    #[serde(skip)]
    pub rankings: Vec<(String, Vec<Hit>)>,
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
    pub distractor_bad_lines: usize,
    pub distractor_title: bool,
}

/// Scores one system's rankings: the mean over every query with a relevant document
/// (a judged query missing from the rankings scores 0).
pub fn score(rankings: &[(String, Vec<Hit>)], qrels: &Qrels) -> Summary {
    let by_id: std::collections::HashMap<&str, &[Hit]> = rankings
        .iter()
        .map(|(qid, hits)| (qid.as_str(), hits.as_slice()))
        .collect();
    let per_query: Vec<QueryScores> = qrels
        .iter()
        .filter(|(_, relevant)| !relevant.is_empty())
        .map(|(qid, relevant)| {
            let ranking: Vec<&str> = by_id
                .get(qid.as_str())
                .map(|hits| hits.iter().map(|h| h.doc.as_str()).collect())
                .unwrap_or_default();
            metrics::score_query(&ranking, relevant)
        })
        .collect();
    metrics::mean(&per_query)
}

/// Describes the query/qrels overlap.
pub fn setup(
    passages: &[Passage],
    queries: &[EvalQuery],
    qrels: &Qrels,
    collection: &Collection<'_>,
) -> Setup {
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
        distractor_files: collection.distractors.to_vec(),
        distractors: 0,
        distractor_bad_lines: 0,
        distractor_title: collection.distractor_title,
    }
}

/// Builds the index for `system`, runs `queries` and scores them. `on_distractors` is
/// told what each distractor file held.
pub fn evaluate_system(
    system: &SystemSpec,
    collection: &Collection<'_>,
    queries: &[EvalQuery],
    qrels: &Qrels,
    options: IndexOptions,
) -> anyhow::Result<(SystemResult, Vec<(PathBuf, DistractorStats)>)> {
    let built = engine::build_index(system, collection, options)?;
    let (hits, search_seconds) = engine::run_queries(system, &built, queries)?;
    let rankings: Vec<(String, Vec<Hit>)> =
        queries.iter().map(|q| q.id.clone()).zip(hits).collect();
    let summary = score(&rankings, qrels);
    Ok((
        SystemResult {
            name: system.name.clone(),
            description: system.description.clone(),
            summary,
            docs: built.num_docs(),
            index_seconds: built.index_seconds,
            search_seconds,
            rankings,
        },
        built.distractor_stats,
    ))
}
