//! Group expansion: a word, run of words or phrase that is, as a whole, an own name of a
//! group (`entities.json`) also matches the passages tagged with the group, scored by how
//! central the group is to them.

use tantivy::query::{BooleanQuery, ConstScoreQuery, Occur as TOccur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::Term;

use super::types::{QueryPlan, WordPlan};
use super::QueryBuilder;
use crate::config::GroupWeights;

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
        word_plan.group = Some(id.clone());
        plan.exact_highlights.extend(groups.own_terms(g));
        Box::new(BooleanQuery::new(vec![
            (TOccur::Should, query),
            (
                TOccur::Should,
                group_query(
                    self.fields.group_terms,
                    id,
                    &self.group_weights,
                    groups.strength_levels(),
                ),
            ),
        ]))
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
