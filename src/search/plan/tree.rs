//! The boolean path: a query tree of words, phrases, fields, `OR` and groups, with the
//! minimum-match rule and the proximity and pair bonuses of a run of bare words.

use rustc_hash::FxHashSet;
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, EmptyQuery, Occur as TOccur, PhraseQuery,
    Query,
};
use tantivy::Term;

use super::filters::FacetKind;
use super::latin::LatinInput;
use super::types::BuiltNode;
use super::{QueryBuilder, QueryPlan};
use crate::analysis::analyze;
use crate::search::parse::{Clause, FieldName, Node, Occur};

impl QueryBuilder<'_> {
    /// Joins consecutive bare words that the analyzer reads as one name (تين زاوتين), so
    /// the name is searched as its one canonical term rather than as two unrelated words.
    pub(super) fn join_names(&mut self, clauses: &[Clause]) -> Vec<Clause> {
        let mut out: Vec<Clause> = Vec::with_capacity(clauses.len());
        let mut i = 0;
        while i < clauses.len() {
            let clause = &clauses[i];
            let Node::Word(_) = clause.node else {
                out.push(match &clause.node {
                    Node::Group(inner) => Clause {
                        occur: clause.occur,
                        node: Node::Group(self.join_names(inner)),
                    },
                    _ => clause.clone(),
                });
                i += 1;
                continue;
            };
            // The run of bare words with the same occurrence starting here.
            let mut run: Vec<&str> = Vec::new();
            let mut j = i;
            while let Some(Clause {
                occur,
                node: Node::Word(w),
            }) = clauses.get(j)
            {
                if *occur != clause.occur {
                    break;
                }
                run.push(w);
                j += 1;
            }
            let joined = run.join(" ");
            // Word k spans bytes starts[k]..starts[k] + run[k].len() of `joined`.
            let mut starts = Vec::with_capacity(run.len());
            let mut at = 0;
            for w in &run {
                starts.push(at);
                at += w.len() + 1;
            }
            let word_at = |byte: usize| starts.iter().rposition(|s| *s <= byte).unwrap_or(0);
            let mut k = 0;
            let tokens = analyze(&mut self.exact, &joined);
            while k < run.len() {
                // Several words that name a group as a whole (Africa Corps) stay together.
                if let Some(last) = self.group_name_end(&run, k) {
                    out.push(Clause {
                        occur: clause.occur,
                        node: Node::Word(run[k..=last].join(" ")),
                    });
                    k = last + 1;
                    continue;
                }
                // So do several words that are one Latin name (Wall Street Journal).
                if let Some(last) = self.latin.and_then(|l| l.name_end(&run, k)) {
                    out.push(Clause {
                        occur: clause.occur,
                        node: Node::Word(run[k..=last].join(" ")),
                    });
                    k = last + 1;
                    continue;
                }
                let last = tokens
                    .iter()
                    .filter(|t| word_at(t.start) == k)
                    .map(|t| word_at(t.end.saturating_sub(1)))
                    .max()
                    .unwrap_or(k)
                    .max(k);
                out.push(Clause {
                    occur: clause.occur,
                    node: Node::Word(run[k..=last].join(" ")),
                });
                k = last + 1;
            }
            i = j;
        }
        out
    }

    /// Whether every bare word of the query is a stop word (then they count, exactly).
    pub(super) fn only_stop_words(&mut self, clauses: &[Clause]) -> bool {
        let mut words = Vec::new();
        collect_words(clauses, &mut words);
        !words.is_empty()
            && words
                .iter()
                .all(|w| analyze(&mut self.ranked, w).is_empty())
    }

    /// A boolean query of `clauses`; also whether it has a clause that can match.
    pub(super) fn clauses(
        &mut self,
        clauses: &[Clause],
        plan: &mut QueryPlan,
        stop_words_count: bool,
        top_level: bool,
    ) -> (Box<dyn Query>, bool) {
        let mut should: Vec<Box<dyn Query>> = Vec::new();
        let mut optional: Vec<Box<dyn Query>> = Vec::new();
        let mut must: Vec<Box<dyn Query>> = Vec::new();
        let mut must_not: Vec<Box<dyn Query>> = Vec::new();
        let mut proximity_terms: Vec<String> = Vec::new();
        // (word index in the clause list, its one ranked term), for the pair bonus.
        let mut pair_terms: Vec<(usize, String)> = Vec::new();
        for (index, clause) in clauses.iter().enumerate() {
            let Some(built) = self.node(&clause.node, plan, stop_words_count) else {
                continue;
            };
            match clause.occur {
                Occur::Should if built.counts => {
                    if let Node::Word(_) = clause.node {
                        if let Some(last) = plan.words.last() {
                            if last.ranked_terms.len() == 1 {
                                proximity_terms.push(last.ranked_terms[0].clone());
                                pair_terms.push((index, last.ranked_terms[0].clone()));
                            }
                        }
                    }
                    should.push(built.query)
                }
                Occur::Should => optional.push(built.query),
                Occur::Must => must.push(built.query),
                Occur::MustNot => must_not.push(built.query),
            }
        }
        let positive = !should.is_empty() || !must.is_empty() || !optional.is_empty();
        let mut subqueries: Vec<(TOccur, Box<dyn Query>)> = Vec::new();
        let n = should.len();
        if n > 0 {
            let minimum = if must.is_empty() {
                self.match_mode.minimum(n)
            } else {
                0 // with required words, the others only rank
            };
            let core = BooleanQuery::with_minimum_required_clauses(
                should.into_iter().map(|q| (TOccur::Should, q)).collect(),
                minimum.max(1),
            );
            let occur = if minimum > 0 {
                TOccur::Must
            } else {
                TOccur::Should
            };
            subqueries.push((occur, Box::new(core)));
        }
        subqueries.extend(optional.into_iter().map(|q| (TOccur::Should, q)));
        subqueries.extend(must.into_iter().map(|q| (TOccur::Must, q)));
        if !positive && !must_not.is_empty() && top_level {
            // Only exclusions: everything but them.
            plan.notes
                .push("the query only excludes: showing every passage without those words".into());
            subqueries.push((
                TOccur::Must,
                Box::new(ConstScoreQuery::new(Box::new(AllQuery), 1.0)),
            ));
        }
        subqueries.extend(must_not.into_iter().map(|q| (TOccur::MustNot, q)));
        subqueries.extend(
            self.bonus_clauses(&proximity_terms, &pair_terms)
                .into_iter()
                .map(|q| (TOccur::Should, q)),
        );
        if subqueries.is_empty() {
            return (Box::new(EmptyQuery), false);
        }
        (Box::new(BooleanQuery::new(subqueries)), positive)
    }

    /// The bonus clauses of a run of bare words (ranked terms in order, with their
    /// index among the query's clauses): a sloppy phrase of all the words, and for three
    /// words or more a phrase of each pair of consecutive words.
    pub(super) fn bonus_clauses(
        &self,
        proximity_terms: &[String],
        pair_terms: &[(usize, String)],
    ) -> Vec<Box<dyn Query>> {
        let mut out: Vec<Box<dyn Query>> = Vec::new();
        if let (Some(boost), true) = (self.weights.proximity, proximity_terms.len() >= 2) {
            let terms: Vec<(usize, Term)> = proximity_terms
                .iter()
                .enumerate()
                .map(|(i, t)| (i, Term::from_field_text(self.fields.text, t)))
                .collect();
            let phrase = PhraseQuery::new_with_offset_and_slop(terms, self.weights.proximity_slop);
            out.push(Box::new(BoostQuery::new(Box::new(phrase), boost)));
        }
        if let (Some(boost), true) = (self.weights.pair, pair_terms.len() >= 3) {
            // Two words are already one proximity phrase: pairs are for longer queries.
            // Stop words left out of the query keep their place: the pair's offset is
            // the distance between the words as typed.
            let mut seen = FxHashSet::default();
            for pair in pair_terms.windows(2) {
                let [(i1, t1), (i2, t2)] = pair else { continue };
                if t1 == t2 || !seen.insert((t1.as_str(), t2.as_str(), i2 - i1)) {
                    continue;
                }
                let phrase = PhraseQuery::new_with_offset_and_slop(
                    vec![
                        (0, Term::from_field_text(self.fields.text, t1)),
                        (i2 - i1, Term::from_field_text(self.fields.text, t2)),
                    ],
                    self.weights.pair_slop,
                );
                out.push(Box::new(BoostQuery::new(Box::new(phrase), boost)));
            }
        }
        out
    }

    fn node(
        &mut self,
        node: &Node,
        plan: &mut QueryPlan,
        stop_words_count: bool,
    ) -> Option<BuiltNode> {
        let latin = |text: &str, phrase, title| LatinInput {
            text: text.to_string(),
            phrase,
            title,
        };
        match node {
            Node::Word(word) => self
                .latin(latin(word, false, false), plan, stop_words_count)
                .unwrap_or_else(|| self.word(word, plan, stop_words_count, false)),
            Node::Phrase(phrase) => self
                .latin(latin(phrase, true, false), plan, stop_words_count)
                .unwrap_or_else(|| self.phrase(phrase, plan, false)),
            Node::Field(FieldName::Title, value) => match value.as_ref() {
                Node::Word(w) => self
                    .latin(latin(w, false, true), plan, true)
                    .unwrap_or_else(|| self.word(w, plan, true, true)),
                Node::Phrase(p) => self
                    .latin(latin(p, true, true), plan, true)
                    .unwrap_or_else(|| self.phrase(p, plan, true)),
                other => self.node(other, plan, stop_words_count),
            },
            Node::Field(field @ (FieldName::Outlet | FieldName::About), value) => {
                let text = match value.as_ref() {
                    Node::Word(w) | Node::Phrase(w) => w.clone(),
                    _ => return None,
                };
                let kind = match field {
                    FieldName::Outlet => FacetKind::Outlet,
                    _ => FacetKind::Group,
                };
                self.typed_filter(kind, &text, plan)
            }
            Node::Or(alternatives) => {
                let mut parts: Vec<(TOccur, Box<dyn Query>)> = Vec::new();
                for alternative in alternatives {
                    if let Some(built) = self.node(alternative, plan, true) {
                        parts.push((TOccur::Should, built.query));
                    }
                }
                if parts.is_empty() {
                    return None;
                }
                Some(BuiltNode {
                    query: Box::new(BooleanQuery::new(parts)),
                    counts: true,
                })
            }
            Node::Group(clauses) => {
                let (query, positive) = self.clauses(clauses, plan, stop_words_count, false);
                positive.then_some(BuiltNode {
                    query,
                    counts: true,
                })
            }
        }
    }
}

/// The bare words of a clause tree (not phrases or fields).
fn collect_words(clauses: &[Clause], out: &mut Vec<String>) {
    fn node_words(node: &Node, out: &mut Vec<String>) {
        match node {
            Node::Word(w) => out.push(w.clone()),
            Node::Or(alternatives) => alternatives.iter().for_each(|a| node_words(a, out)),
            Node::Group(clauses) => collect_words(clauses, out),
            Node::Phrase(_) | Node::Field(..) => {}
        }
    }
    for clause in clauses {
        if clause.occur != Occur::MustNot {
            node_words(&clause.node, out);
        }
    }
}
