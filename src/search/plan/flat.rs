//! The flat path: with [`MatchMode::Any`] and only bare one-term words, the query is one
//! flat disjunction of (weighted) term queries on `text` and `title`, which tantivy
//! answers with block-max WAND, and the bonuses (exact form, proximity and pair phrases)
//! are returned apart, to be scored on the top candidates only ([`crate::search::rank`]):
//! the fast path of batch runs and long questions.

use tantivy::query::{BooleanQuery, Occur as TOccur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::Term;

use super::types::{boosted, MatchMode, QueryPlan, WordKind, WordPlan};
use super::words::Role;
use super::QueryBuilder;
use crate::analysis::analyze;
use crate::search::parse::{Clause, Node, Occur};
use crate::search::rank::AllWords;

/// The flat query, its bonus clauses, and the every-word candidates.
type Flat = (Box<dyn Query>, Vec<Box<dyn Query>>, Option<AllWords>);

impl QueryBuilder<'_> {
    /// The flat disjunction of `clauses`; None when the query needs the boolean path (a
    /// mode other than `any`, an operator, a phrase or field, a word that names a group or
    /// analyses to several terms, or only stop words).
    pub(super) fn flat_disjunction(
        &mut self,
        clauses: &[Clause],
        plan: &mut QueryPlan,
    ) -> Option<Flat> {
        if self.match_mode != MatchMode::Any {
            return None;
        }
        let mut analysed = Vec::with_capacity(clauses.len());
        for clause in clauses {
            let (Occur::Should, Node::Word(word)) = (clause.occur, &clause.node) else {
                return None;
            };
            if self.groups.is_some_and(|g| g.names_group(word).is_some()) {
                return None; // a group name is expanded on the boolean path
            }
            if self.latin.is_some() && crate::search::latin::latin_key(word).is_some() {
                return None; // so is a Latin word (its Arabic forms, or a note)
            }
            let ranked = analyze(&mut self.ranked, word);
            let exact = analyze(&mut self.exact, word);
            if ranked.len() > 1 || exact.len() > 1 {
                return None; // a word that is a phrase (CSP-DPA)
            }
            analysed.push((word, ranked, exact));
        }
        let mut terms: Vec<(TOccur, Box<dyn Query>)> = Vec::new();
        let mut proximity_terms: Vec<String> = Vec::new();
        let mut pair_terms: Vec<(usize, String)> = Vec::new();
        let mut exact_bonus: Vec<Box<dyn Query>> = Vec::new();
        for (index, (word, ranked, exact)) in analysed.iter().enumerate() {
            let ranked_term = ranked.first().map(|t| t.term.clone());
            let exact_term = exact.first().map(|t| t.term.clone());
            let mut word_plan = WordPlan::new(
                word.to_string(),
                WordKind::Word,
                ranked_term.iter().cloned().collect(),
                exact_term.iter().cloned().collect(),
            );
            word_plan.ignored = match (&ranked_term, &exact_term) {
                (_, None) => Some("no searchable characters".to_string()),
                (None, Some(_)) => Some("stop word".to_string()),
                _ => None,
            };
            if let (Some(r), Some(e)) = (&ranked_term, &exact_term) {
                let (ranked, exact) = (vec![(0, r.clone())], vec![(0, e.clone())]);
                let clauses = self.word_clauses(word, &ranked, &exact, &mut word_plan, plan);
                // Text and title first (the terms WAND prunes on), then the variants and
                // near spellings; the exact form is a bonus.
                let order = |c: &&super::words::WordClause| match c.role {
                    Role::Text => 0,
                    Role::Title => 1,
                    _ => 2,
                };
                let mut kept: Vec<_> = clauses.iter().filter(|c| c.role != Role::Exact).collect();
                kept.sort_by_key(order);
                terms.extend(kept.iter().map(|c| (TOccur::Should, c.flat_query())));
                exact_bonus.extend(
                    clauses
                        .iter()
                        .filter(|c| c.role == Role::Exact)
                        .map(|c| c.flat_query()),
                );
                plan.ranked_highlights.insert(r.clone());
                plan.exact_highlights.insert(e.clone());
                proximity_terms.push(r.clone());
                pair_terms.push((index, r.clone()));
            }
            plan.words.push(word_plan);
        }
        if terms.is_empty() {
            // Only stop words: let the boolean path match them exactly.
            plan.words.clear();
            return None;
        }
        let mut bonuses = exact_bonus;
        bonuses.extend(self.bonus_clauses(&proximity_terms, &pair_terms));
        let all_words = self.all_words(&proximity_terms, !bonuses.is_empty());
        Some((Box::new(BooleanQuery::new(terms)), bonuses, all_words))
    }

    /// The passages with every word: they alone can earn the proximity bonus (None for
    /// fewer than two distinct words, or without bonuses).
    fn all_words(&self, proximity_terms: &[String], has_bonuses: bool) -> Option<AllWords> {
        let mut distinct: Vec<&String> = proximity_terms.iter().collect();
        distinct.sort();
        distinct.dedup();
        (distinct.len() >= 2 && has_bonuses).then(|| AllWords {
            query: Box::new(BooleanQuery::new(
                distinct
                    .iter()
                    .map(|t| (TOccur::Must, weighted(self.fields.text, t, 1.0)))
                    .collect(),
            )),
            rest: distinct
                .iter()
                .map(|t| weighted(self.fields.title, t, self.weights.title))
                .collect(),
        })
    }
}

/// A term query at `weight` (unwrapped at 1).
fn weighted(field: Field, text: &str, weight: f32) -> Box<dyn Query> {
    let query = Box::new(TermQuery::new(
        Term::from_field_text(field, text),
        IndexRecordOption::WithFreqs,
    ));
    if weight == 1.0 {
        query
    } else {
        boosted(query, weight)
    }
}
