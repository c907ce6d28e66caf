//! Group expansion: a word, run of words or phrase that is, as a whole, an own name of a
//! group (`entities.json`) also matches the passages tagged with the group, scored by how
//! central the group is to them.
//!
//! **Alone, the tag ranks first.** When the name is the whole query (the other clauses, if
//! any, are filters or exclusions), the tag's weights (`schema.json` →
//! `search.group_weights`) are tiered over the most the name's own clauses can score
//! ([`QueryBuilder::words_bound`], [`GroupWeights::tiered`]), so a passage tagged with the
//! group outranks every passage that only holds the name: for فاغنر, the group's articles
//! come before the footballer's and the composer's, which still match the word (their
//! mentions were set aside by the tagger, `entities/decide.rs`). In a longer query the
//! name is one word among others and its tag adds the weights as they are: a tier there
//! would outweigh the other words (ما دور فاغنر في جمهورية أفريقيا الوسطى would rank
//! Wagner's Syrian articles above the Central African ones).

use tantivy::query::{BooleanQuery, ConstScoreQuery, Occur as TOccur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::Term;

use super::types::{QueryPlan, TermKind, WordPlan};
use super::QueryBuilder;
use crate::config::GroupWeights;

/// BM25's term-frequency saturation, tantivy's `K1` (`Bm25Weight`): a term's score is at
/// most (1 + K1) × idf × its boost, reached as its frequency grows without bound.
const BM25_K1: f32 = 1.2;

/// BM25's idf as tantivy computes it: ln(1 + (N − n + 0.5) / (n + 0.5)).
fn bm25_idf(doc_freq: u64, total_docs: u64) -> f32 {
    let (n, total) = (doc_freq as f32, total_docs as f32);
    (1.0 + (total - n + 0.5) / (n + 0.5)).ln()
}

impl QueryBuilder<'_> {
    /// The last word of the longest run of two or more words from `k` that is an own name
    /// of a group.
    pub(super) fn group_name_end(&self, run: &[&str], k: usize) -> Option<usize> {
        let groups = self.groups?;
        (k + 1..run.len())
            .rev()
            .find(|&last| groups.names_group(&run[k..=last].join(" ")).is_some())
    }

    /// `query`, or `query` OR the tag of the group `text` names, recorded in `word_plan`.
    pub(super) fn expand(
        &mut self,
        text: &str,
        query: Box<dyn Query>,
        word_plan: &mut WordPlan,
        plan: &mut QueryPlan,
    ) -> Box<dyn Query> {
        let Some(groups) = self.groups else {
            return query;
        };
        let Some(g) = groups.names_group(text) else {
            return query;
        };
        let id = &groups.groups()[g].id;
        let weights = if self.name_alone {
            self.group_weights.tiered(self.words_bound(word_plan))
        } else {
            self.group_weights
        };
        word_plan.group = Some(id.clone());
        word_plan.record(id, TermKind::Group, "group_terms", weights.own);
        plan.exact_highlights.extend(groups.own_terms(g));
        Box::new(BooleanQuery::new(vec![
            (TOccur::Should, query),
            (
                TOccur::Should,
                group_query(
                    self.fields.group_terms,
                    id,
                    &weights,
                    groups.strength_levels(),
                ),
            ),
        ]))
    }

    /// The most the clauses recorded for a word so far can add to a passage's score: for
    /// each, its weight × (1 + K1) × the idf of its terms (summed for a phrase), BM25's
    /// limit as a term fills a field. At least 1; 1 when the index's size is unknown (no
    /// vocabulary).
    pub(super) fn words_bound(&self, word_plan: &WordPlan) -> f32 {
        let Some(vocabulary) = self.vocabulary else {
            return 1.0;
        };
        let total = vocabulary.total_docs();
        if total == 0 {
            return 1.0;
        }
        let mut bound = 0.0;
        for searched in &word_plan.searched {
            let Some(field) = self.fields.clause_field(searched.field) else {
                continue;
            };
            let idf: f32 = searched
                .term
                .split(' ')
                .map(|t| bm25_idf(vocabulary.doc_freq(field, t), total))
                .sum();
            bound += searched.weight * (1.0 + BM25_K1) * idf;
        }
        bound.max(1.0)
    }
}

/// Passages tagged with group `id`, scored by how central it is, with constant weights
/// on the terms the index writer puts in `group_terms` (`Gazetteer::strength_terms`):
/// `weights.own` when an own name appears, `weights.related` when only related names do,
/// and `weights.level` for each of the strength `levels` reached (named in the title,
/// named several times).
pub fn group_query(
    group_terms: Field,
    id: &str,
    weights: &GroupWeights,
    levels: &[u32],
) -> Box<dyn Query> {
    let term = |t: String, weight: f32| -> (TOccur, Box<dyn Query>) {
        let q = TermQuery::new(
            Term::from_field_text(group_terms, &t),
            IndexRecordOption::Basic,
        );
        (
            TOccur::Should,
            Box::new(ConstScoreQuery::new(Box::new(q), weight)),
        )
    };
    let mut clauses = vec![
        term(id.to_string(), weights.own),
        term(format!("{id}/related"), weights.related),
    ];
    for level in levels {
        clauses.push(term(format!("{id}/{level}"), weights.level));
    }
    Box::new(BooleanQuery::new(clauses))
}
