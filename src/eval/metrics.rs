//! Ranking metrics over a cut-off: MRR@10, nDCG@10, Recall@10 and Recall@100.
//!
//! Conventions (the same as `trec_eval -c -M100` with binary relevance):
//! - relevance is binary: a document is relevant when its qrels grade is above 0;
//! - a query is evaluated when it has at least one relevant document; a judged query
//!   that returns nothing scores 0 on every metric;
//! - nDCG uses gain 1 per relevant document and the discount `1 / log2(rank + 1)`; the
//!   ideal DCG puts `min(#relevant, k)` relevant documents at ranks 1, 2, …;
//! - a document listed twice in one ranking counts once, at its first rank.

use std::collections::HashSet;

use serde::Serialize;

/// The metrics of one query.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct QueryScores {
    pub mrr10: f64,
    pub ndcg10: f64,
    pub recall10: f64,
    pub recall100: f64,
}

/// Mean metrics over a set of queries.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct MetricSummary {
    pub mrr10: f64,
    pub ndcg10: f64,
    pub recall10: f64,
    pub recall100: f64,
    /// Number of queries averaged.
    pub queries: usize,
}

/// Reciprocal rank of the first relevant document within the first `k`, else 0.
pub fn reciprocal_rank<S: AsRef<str>>(ranking: &[S], relevant: &HashSet<String>, k: usize) -> f64 {
    first_ranks(ranking, k)
        .find(|(_, doc)| relevant.contains(*doc))
        .map_or(0.0, |(rank, _)| 1.0 / rank as f64)
}

/// Binary-gain nDCG@k.
pub fn ndcg<S: AsRef<str>>(ranking: &[S], relevant: &HashSet<String>, k: usize) -> f64 {
    if relevant.is_empty() {
        return 0.0;
    }
    let dcg: f64 = first_ranks(ranking, k)
        .filter(|(_, doc)| relevant.contains(*doc))
        .map(|(rank, _)| discount(rank))
        .sum();
    let ideal: f64 = (1..=relevant.len().min(k)).map(discount).sum();
    dcg / ideal
}

/// Share of the relevant documents found within the first `k`.
pub fn recall<S: AsRef<str>>(ranking: &[S], relevant: &HashSet<String>, k: usize) -> f64 {
    if relevant.is_empty() {
        return 0.0;
    }
    let found = first_ranks(ranking, k)
        .filter(|(_, doc)| relevant.contains(*doc))
        .count();
    found as f64 / relevant.len() as f64
}

/// All four metrics of one query.
pub fn score_query<S: AsRef<str>>(ranking: &[S], relevant: &HashSet<String>) -> QueryScores {
    QueryScores {
        mrr10: reciprocal_rank(ranking, relevant, 10),
        ndcg10: ndcg(ranking, relevant, 10),
        recall10: recall(ranking, relevant, 10),
        recall100: recall(ranking, relevant, 100),
    }
}

/// The mean of per-query scores (all zero for an empty set).
pub fn mean(scores: &[QueryScores]) -> MetricSummary {
    let n = scores.len();
    if n == 0 {
        return MetricSummary::default();
    }
    let avg = |f: fn(&QueryScores) -> f64| scores.iter().map(f).sum::<f64>() / n as f64;
    MetricSummary {
        mrr10: avg(|s| s.mrr10),
        ndcg10: avg(|s| s.ndcg10),
        recall10: avg(|s| s.recall10),
        recall100: avg(|s| s.recall100),
        queries: n,
    }
}

/// `1 / log2(rank + 1)` for a 1-based rank.
fn discount(rank: usize) -> f64 {
    1.0 / ((rank + 1) as f64).log2()
}

/// `(1-based rank, doc)` of the first `k` entries, skipping repeats of a document.
fn first_ranks<S: AsRef<str>>(ranking: &[S], k: usize) -> impl Iterator<Item = (usize, &str)> {
    let mut seen = HashSet::new();
    ranking
        .iter()
        .map(AsRef::as_ref)
        .filter(move |doc| seen.insert(*doc))
        .take(k)
        .enumerate()
        .map(|(i, doc)| (i + 1, doc))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rel(docs: &[&str]) -> HashSet<String> {
        docs.iter().map(|d| d.to_string()).collect()
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn reciprocal_rank_of_first_relevant() {
        // Relevant {c}; ranking a b c → first relevant at rank 3 → RR = 1/3.
        assert!(close(
            reciprocal_rank(&["a", "b", "c"], &rel(&["c"]), 10),
            1.0 / 3.0
        ));
        // Relevant {b, c}: the first relevant is b at rank 2 → 1/2.
        assert!(close(
            reciprocal_rank(&["a", "b", "c"], &rel(&["b", "c"]), 10),
            0.5
        ));
        // Relevant at rank 11 is beyond the cut-off 10 → 0.
        let ranking: Vec<String> = (1..=11).map(|i| format!("d{i}")).collect();
        assert_eq!(reciprocal_rank(&ranking, &rel(&["d11"]), 10), 0.0);
        // …and at rank 10 it counts: 1/10.
        assert!(close(reciprocal_rank(&ranking, &rel(&["d10"]), 10), 0.1));
        // Nothing returned → 0.
        assert_eq!(reciprocal_rank::<&str>(&[], &rel(&["a"]), 10), 0.0);
    }

    #[test]
    fn ndcg_binary_gains_log2_discount() {
        // One relevant doc at rank 1: DCG = 1/log2(2) = 1; IDCG = 1 → 1.
        assert!(close(ndcg(&["a", "b"], &rel(&["a"]), 10), 1.0));
        // One relevant doc at rank 3: DCG = 1/log2(4) = 1/2; IDCG = 1 → 0.5.
        assert!(close(ndcg(&["x", "y", "a"], &rel(&["a"]), 10), 0.5));
        // Relevant {a, b}, ranking a x b:
        //   DCG  = 1/log2(2) + 1/log2(4) = 1 + 0.5 = 1.5
        //   IDCG = 1/log2(2) + 1/log2(3) = 1 + 0.630929753571… = 1.630929753571…
        //   nDCG = 1.5 / 1.630929753571 = 0.919720…
        let expected = 1.5 / (1.0 + 1.0 / 3f64.log2());
        assert!(close(
            ndcg(&["a", "x", "b"], &rel(&["a", "b"]), 10),
            expected
        ));
        assert!((expected - 0.919720).abs() < 1e-6);
        // Relevant {a, b, c}, only c found, at rank 2:
        //   DCG  = 1/log2(3) = 0.630929…
        //   IDCG = 1 + 1/log2(3) + 1/log2(4) = 1 + 0.630929… + 0.5 = 2.130929…
        //   nDCG = 0.630929 / 2.130929 = 0.296081…
        let got = ndcg(&["x", "c"], &rel(&["a", "b", "c"]), 10);
        assert!((got - 0.296081).abs() < 1e-6, "{got}");
        // 12 relevant docs: the ideal DCG is capped at 10 ranks, so a perfect ranking of
        // 12 relevant docs scores exactly 1.
        let all: Vec<String> = (0..12).map(|i| format!("r{i}")).collect();
        let refs: Vec<&str> = all.iter().map(String::as_str).collect();
        assert!(close(ndcg(&all, &rel(&refs), 10), 1.0));
        // Relevant doc at rank 11 is beyond the cut-off → 0.
        let ranking: Vec<String> = (1..=11).map(|i| format!("d{i}")).collect();
        assert_eq!(ndcg(&ranking, &rel(&["d11"]), 10), 0.0);
    }

    #[test]
    fn recall_at_cutoffs() {
        // Relevant {a, b, c, d}; a and c in the ranking → 2/4 = 0.5.
        assert!(close(
            recall(&["a", "x", "c"], &rel(&["a", "b", "c", "d"]), 10),
            0.5
        ));
        // 150 docs, relevant d50 and d120: R@10 = 0/2, R@100 = 1/2 (d50 at rank 50).
        let ranking: Vec<String> = (1..=150).map(|i| format!("d{i}")).collect();
        let relevant = rel(&["d50", "d120"]);
        assert_eq!(recall(&ranking, &relevant, 10), 0.0);
        assert!(close(recall(&ranking, &relevant, 100), 0.5));
    }

    #[test]
    fn repeated_documents_count_once() {
        // Ranking a a b with relevant {b}: the repeat of a is dropped, b is at rank 2 →
        // RR = 1/2 (not 1/3), and a repeated relevant doc cannot push recall above 1.
        assert!(close(
            reciprocal_rank(&["a", "a", "b"], &rel(&["b"]), 10),
            0.5
        ));
        assert!(close(recall(&["b", "b"], &rel(&["b"]), 10), 1.0));
    }

    #[test]
    fn mean_over_queries() {
        // q1: relevant at rank 1 → RR 1, nDCG 1, R@10 1, R@100 1.
        // q2: relevant at rank 2 → RR 0.5, nDCG 1/log2(3) = 0.630929…, R@10 1, R@100 1.
        // q3: nothing found → all 0.
        // Means: MRR = (1 + 0.5 + 0)/3 = 0.5; nDCG = (1 + 0.630929…)/3 = 0.543643…;
        // R@10 = R@100 = 2/3.
        let r = rel(&["a"]);
        let scores = [
            score_query(&["a"], &r),
            score_query(&["x", "a"], &r),
            score_query::<&str>(&[], &r),
        ];
        let m = mean(&scores);
        assert_eq!(m.queries, 3);
        assert!(close(m.mrr10, 0.5));
        assert!((m.ndcg10 - 0.543643).abs() < 1e-6, "{}", m.ndcg10);
        assert!(close(m.recall10, 2.0 / 3.0));
        assert!(close(m.recall100, 2.0 / 3.0));
        assert_eq!(mean(&[]), MetricSummary::default());
    }
}
