//! Words and phrases: the clauses of one bare word (one function for both query paths),
//! and the boolean path's word, phrase and `title:` nodes.

use tantivy::query::{BooleanQuery, Occur as TOccur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::Term;

use super::types::{
    boosted, terms_query, BuiltNode, QueryPlan, TermKind, Terms, WordKind, WordPlan,
};
use super::QueryBuilder;
use crate::analysis::analyze;
use crate::analysis::normalize::ends_with_ta_marbuta;
use crate::analysis::variants::VariantKind;

/// What a clause of a bare word matches.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Role {
    /// The word's ranked terms in `text`.
    Text,
    /// Its exact terms in `text_exact` (a bonus: a passage with the exact form has the
    /// ranked term).
    Exact,
    /// A variant's ranked term in `text`, and the rule that made it.
    Variant(VariantKind),
    /// A near spelling's term, in `text` or `title`.
    Near,
    /// The word's ranked terms in `title`.
    Title,
}

/// One clause of a bare word: `terms` in `field` at `weight`.
pub(super) struct WordClause {
    pub role: Role,
    pub field: Field,
    pub terms: Terms,
    pub weight: f32,
}

impl WordClause {
    /// The clause as the boolean path adds it: the text clause as it is, the others
    /// wrapped in their weight.
    pub fn boosted_query(&self) -> Box<dyn Query> {
        let query = terms_query(self.field, &self.terms, 0);
        match self.role {
            Role::Text => query,
            _ => boosted(query, self.weight),
        }
    }

    /// The clause as the flat path adds it: a weight of 1 is left unwrapped (one scorer
    /// less for block-max WAND); near spellings are always wrapped.
    pub fn flat_query(&self) -> Box<dyn Query> {
        let query = terms_query(self.field, &self.terms, 0);
        if self.weight == 1.0 && self.role != Role::Near {
            query
        } else {
            boosted(query, self.weight)
        }
    }
}

impl QueryBuilder<'_> {
    /// The ranked and exact (position, term) lists of a typed word or phrase, and its
    /// plan entry.
    pub(super) fn analysed(&mut self, input: &str, kind: WordKind) -> (Terms, Terms, WordPlan) {
        let terms = |analyzer: &mut TextAnalyzer| -> Terms {
            analyze(analyzer, input)
                .into_iter()
                .map(|t| (t.position, t.term))
                .collect()
        };
        let ranked = terms(&mut self.ranked);
        let exact = terms(&mut self.exact);
        let word_plan = WordPlan::new(
            input.to_string(),
            kind,
            ranked.iter().map(|(_, t)| t.clone()).collect(),
            exact.iter().map(|(_, t)| t.clone()).collect(),
        );
        (ranked, exact, word_plan)
    }

    /// [`Self::analysed`], or None (recorded in the plan) when `input` has nothing
    /// searchable.
    fn searchable(
        &mut self,
        input: &str,
        kind: WordKind,
        plan: &mut QueryPlan,
    ) -> Option<(Terms, Terms, WordPlan)> {
        let (ranked, exact, mut word_plan) = self.analysed(input, kind);
        if exact.is_empty() {
            word_plan.ignored = Some("no searchable characters".into());
            plan.words.push(word_plan);
            return None;
        }
        Some((ranked, exact, word_plan))
    }

    /// The ranked terms in the title, at the `title` weight.
    fn title_clause(&self, ranked: &Terms) -> (TOccur, Box<dyn Query>) {
        let query = terms_query(self.fields.title, ranked, 0);
        (TOccur::Should, boosted(query, self.weights.title))
    }

    /// The clauses of a bare word whose `ranked` terms are not empty, in this order: its
    /// ranked terms in `text`, its exact terms in `text_exact` (at the `exact` weight),
    /// for a one-term word its variants in `text` and, when the index lacks it, its near
    /// spellings (in `text` and `title`), and last its ranked terms in `title` (at the
    /// `title` weight). Variants and near spellings become highlights; the near
    /// spellings are recorded in `word_plan`. Both query paths take a word's clauses from
    /// here ([`super::flat`] puts the exact clause among the bonuses).
    pub(super) fn word_clauses(
        &mut self,
        word: &str,
        ranked: &Terms,
        exact: &Terms,
        word_plan: &mut WordPlan,
        plan: &mut QueryPlan,
    ) -> Vec<WordClause> {
        let f = self.fields;
        let clause = |role, field, terms: &Terms, weight| WordClause {
            role,
            field,
            terms: terms.clone(),
            weight,
        };
        let mut out = vec![clause(Role::Text, f.text, ranked, 1.0)];
        if let Some(boost) = self.weights.exact {
            out.push(clause(Role::Exact, f.text_exact, exact, boost));
        }
        if let ([(_, r)], [(_, e)]) = (ranked.as_slice(), exact.as_slice()) {
            let variants = self.variants(e, r, ends_with_ta_marbuta(word));
            word_plan.near_terms = self.near_spellings(word, e, r, &variants);
            for variant in variants {
                out.push(clause(
                    Role::Variant(variant.kind),
                    f.text,
                    &vec![(0, variant.term.clone())],
                    variant.weight,
                ));
                plan.ranked_highlights.insert(variant.term);
            }
            out.extend(self.near_clauses(&word_plan.near_terms, plan));
        }
        out.push(clause(Role::Title, f.title, ranked, self.weights.title));
        self.record(&out, word_plan);
        self.article_clause(ranked, word_plan, plan);
        out
    }

    /// The word's ranked term in the article's body, for the rank stage to score on each
    /// candidate article (`plan.article`): a word of one term (the field has no
    /// positions), when the weight is set and the index has the field.
    fn article_clause(&self, ranked: &Terms, word_plan: &mut WordPlan, plan: &mut QueryPlan) {
        let (Some(weight), Some(field), [(_, term)]) =
            (self.weights.article, self.fields.article, ranked.as_slice())
        else {
            return;
        };
        let query = Box::new(TermQuery::new(
            Term::from_field_text(field, term),
            IndexRecordOption::WithFreqs,
        ));
        plan.article.push(boosted(query, weight));
        word_plan.record(term, TermKind::Article, "article", weight);
    }

    /// Lists the terms of a word's clauses in its plan entry, with their kind, field
    /// and weight.
    fn record(&self, clauses: &[WordClause], word_plan: &mut WordPlan) {
        for c in clauses {
            let kind = match c.role {
                Role::Text if c.terms.len() == 1 && self.names.keeps_whole(&c.terms[0].1) => {
                    TermKind::Name
                }
                Role::Text => TermKind::Stem,
                Role::Exact => TermKind::Exact,
                Role::Title => TermKind::Title,
                Role::Near => TermKind::NearSpelling,
                Role::Variant(VariantKind::Article | VariantKind::Proclitic) => {
                    TermKind::Segmentation
                }
                Role::Variant(VariantKind::Person) => TermKind::Person,
                Role::Variant(VariantKind::Pattern) => TermKind::Pattern,
            };
            let term: Vec<&str> = c.terms.iter().map(|(_, t)| t.as_str()).collect();
            let field = self.fields.clause_field_name(c.field);
            word_plan.record(&term.join(" "), kind, field, c.weight);
        }
    }

    /// One bare word (or `title:` word) of the boolean path.
    pub(super) fn word(
        &mut self,
        word: &str,
        plan: &mut QueryPlan,
        stop_words_count: bool,
        title_only: bool,
    ) -> Option<BuiltNode> {
        let kind = if title_only {
            WordKind::Title
        } else {
            WordKind::Word
        };
        let (ranked, exact, mut word_plan) = self.searchable(word, kind, plan)?;
        let mut parts: Vec<(TOccur, Box<dyn Query>)> = Vec::new();
        if ranked.is_empty() {
            if !stop_words_count && !title_only {
                word_plan.ignored = Some("stop word".into());
                plan.words.push(word_plan);
                return None;
            }
            if title_only {
                // The title is analysed with stop words removed: nothing to match on.
                word_plan.ignored = Some("stop word (titles are searched without them)".into());
                plan.words.push(word_plan);
                return None;
            }
            // A stop word that counts: match it as written.
            for (_, term) in &exact {
                word_plan.record(term, TermKind::Exact, "text_exact", 1.0);
            }
            parts.push((
                TOccur::Should,
                terms_query(self.fields.text_exact, &exact, 0),
            ));
        } else if title_only {
            let weight = self.weights.title;
            for (_, term) in &ranked {
                word_plan.record(term, TermKind::Title, "title", weight);
            }
            parts.push(self.title_clause(&ranked));
        } else {
            let clauses = self.word_clauses(word, &ranked, &exact, &mut word_plan, plan);
            parts.extend(clauses.iter().map(|c| (TOccur::Should, c.boosted_query())));
        }
        self.finish(word, parts, &ranked, &exact, word_plan, plan, title_only)
    }

    /// A quoted phrase (or `title:"…"`).
    pub(super) fn phrase(
        &mut self,
        phrase: &str,
        plan: &mut QueryPlan,
        title_only: bool,
    ) -> Option<BuiltNode> {
        let kind = if title_only {
            WordKind::Title
        } else {
            WordKind::Phrase
        };
        let (ranked, exact, mut word_plan) = self.searchable(phrase, kind, plan)?;
        let mut parts: Vec<(TOccur, Box<dyn Query>)> = Vec::new();
        if !title_only {
            parts.push((
                TOccur::Should,
                boosted(
                    terms_query(self.fields.text_exact, &exact, 0),
                    self.weights.phrase_exact,
                ),
            ));
            if !ranked.is_empty() {
                parts.push((TOccur::Should, terms_query(self.fields.text, &ranked, 0)));
            }
        }
        let joined = |terms: &Terms| -> String {
            let words: Vec<&str> = terms.iter().map(|(_, t)| t.as_str()).collect();
            words.join(" ")
        };
        if !title_only {
            let weight = self.weights.phrase_exact;
            word_plan.record(&joined(&exact), TermKind::Exact, "text_exact", weight);
            if !ranked.is_empty() {
                word_plan.record(&joined(&ranked), TermKind::Stem, "text", 1.0);
            }
        }
        if !ranked.is_empty() {
            let weight = self.weights.title;
            word_plan.record(&joined(&ranked), TermKind::Title, "title", weight);
            parts.push(self.title_clause(&ranked));
        } else if title_only {
            word_plan.ignored = Some("only stop words (titles are searched without them)".into());
            plan.words.push(word_plan);
            return None;
        }
        self.finish(phrase, parts, &ranked, &exact, word_plan, plan, title_only)
    }

    /// The common end of a word or phrase clause: its terms become highlights, a group
    /// name is expanded (not in `title:`), and the plan records it.
    #[allow(clippy::too_many_arguments)]
    fn finish(
        &mut self,
        input: &str,
        parts: Vec<(TOccur, Box<dyn Query>)>,
        ranked: &Terms,
        exact: &Terms,
        mut word_plan: WordPlan,
        plan: &mut QueryPlan,
        title_only: bool,
    ) -> Option<BuiltNode> {
        plan.ranked_highlights
            .extend(ranked.iter().map(|(_, t)| t.clone()));
        plan.exact_highlights
            .extend(exact.iter().map(|(_, t)| t.clone()));
        let mut query: Box<dyn Query> = Box::new(BooleanQuery::new(parts));
        if !title_only {
            query = self.expand(input, query, &mut word_plan, plan);
        }
        plan.words.push(word_plan);
        Some(BuiltNode::content(query))
    }
}
