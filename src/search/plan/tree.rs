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
use super::types::{BuiltNode, FilterSet};
use super::{MatchMode, QueryBuilder, QueryPlan};
use crate::analysis::analyze;
use crate::search::parse::{Clause, FieldName, Node, Occur};
use crate::search::request::{Hit, WordsMatched};

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

    /// A boolean query of `clauses`; also whether it has a clause that can match, and
    /// whether every clause of it is a filter.
    ///
    /// Filters (`outlet:`, `about:`, an `OR` or group of filters only) are kept apart
    /// from the words in every position: bare or with `+` the result must pass them
    /// (values of one facet: any of them), with `-` it must not, and they never count
    /// toward the words that must match nor make a word optional. A `+title:` is a
    /// restriction too: required, scored, but the other words keep their minimum.
    pub(super) fn clauses(
        &mut self,
        clauses: &[Clause],
        plan: &mut QueryPlan,
        stop_words_count: bool,
        top_level: bool,
    ) -> (Box<dyn Query>, bool, bool) {
        let mut parts = Parts::default();
        for (index, clause) in clauses.iter().enumerate() {
            let article_clauses = plan.article.len();
            let Some(built) = self.node(&clause.node, plan, stop_words_count) else {
                continue;
            };
            match (clause.occur, built.filter) {
                (Occur::MustNot, _) => {
                    // An excluded word does not score the articles that remain.
                    plan.article.truncate(article_clauses);
                    parts.must_not.push(built.query)
                }
                (_, Some(set)) => parts.filters.push((set, built.query)),
                (Occur::Must, None) if is_title(&clause.node) => {
                    parts.restrictions.push(built.query)
                }
                (Occur::Must, None) => parts.must.push(built.query),
                (Occur::Should, None) if built.counts => {
                    if let Node::Word(_) = clause.node {
                        if let Some(last) = plan.words.last() {
                            if last.ranked_terms.len() == 1 {
                                parts.proximity_terms.push(last.ranked_terms[0].clone());
                                parts.pair_terms.push((index, last.ranked_terms[0].clone()));
                            }
                        }
                    }
                    parts.should.push(built.query)
                }
                (Occur::Should, None) => parts.optional.push(built.query),
            }
        }
        self.assemble(parts, plan, top_level)
    }

    /// The boolean query of the parts of a clause list (see [`Self::clauses`]).
    fn assemble(
        &self,
        parts: Parts,
        plan: &mut QueryPlan,
        top_level: bool,
    ) -> (Box<dyn Query>, bool, bool) {
        let content = !parts.should.is_empty()
            || !parts.must.is_empty()
            || !parts.optional.is_empty()
            || !parts.restrictions.is_empty();
        let only_filters = !content && !parts.filters.is_empty();
        let positive = content || !parts.filters.is_empty();
        let mut subqueries: Vec<(TOccur, Box<dyn Query>)> = Vec::new();
        let n = parts.should.len();
        if n > 0 {
            // A top-level run of bare words under `match: auto` ranks by how many of the
            // words a passage has (see [`Coordination`]); relaxed, one word is enough.
            let coordinate =
                top_level && self.match_mode == MatchMode::Auto && parts.must.is_empty() && n >= 2;
            let strict = self.match_mode.minimum(n);
            let minimum = if !parts.must.is_empty() {
                0 // with required words, the others only rank
            } else if coordinate && self.relaxed {
                1
            } else {
                strict
            };
            // A filter never adds a result: a filtered query stays strict.
            if coordinate && strict > 1 && parts.filters.is_empty() && parts.must_not.is_empty() {
                plan.relaxable = true;
            }
            if coordinate && self.relaxed {
                plan.coordination = Some(Coordination {
                    words: n,
                    minimum,
                    strict,
                });
                subqueries.extend(parts.should.iter().map(|q| {
                    let tier: Box<dyn Query> =
                        Box::new(ConstScoreQuery::new(q.box_clone(), WORD_TIER));
                    (TOccur::Should, tier)
                }));
            }
            let core = BooleanQuery::with_minimum_required_clauses(
                parts
                    .should
                    .into_iter()
                    .map(|q| (TOccur::Should, q))
                    .collect(),
                minimum.max(1),
            );
            let occur = if minimum > 0 {
                TOccur::Must
            } else {
                TOccur::Should
            };
            subqueries.push((occur, Box::new(core)));
        }
        subqueries.extend(parts.optional.into_iter().map(|q| (TOccur::Should, q)));
        subqueries.extend(parts.must.into_iter().map(|q| (TOccur::Must, q)));
        subqueries.extend(parts.restrictions.into_iter().map(|q| (TOccur::Must, q)));
        subqueries.extend(filter_clauses(parts.filters));
        if !positive && !parts.must_not.is_empty() && top_level {
            // Only exclusions: everything but them.
            plan.notes
                .push("the query only excludes: showing every passage without those words".into());
            subqueries.push((
                TOccur::Must,
                Box::new(ConstScoreQuery::new(Box::new(AllQuery), 1.0)),
            ));
        }
        subqueries.extend(parts.must_not.into_iter().map(|q| (TOccur::MustNot, q)));
        subqueries.extend(
            self.bonus_clauses(&parts.proximity_terms, &parts.pair_terms)
                .into_iter()
                .map(|q| (TOccur::Should, q)),
        );
        if subqueries.is_empty() {
            return (Box::new(EmptyQuery), false, false);
        }
        if let [(TOccur::Must | TOccur::Should, _)] = subqueries.as_slice() {
            // A lone clause is the query itself. Wrapped in one more boolean, tantivy
            // cannot prune it: a run of stop words (من هي) is a disjunction of terms that
            // block-max WAND answers only unwrapped.
            if let Some((_, query)) = subqueries.pop() {
                return (query, positive, only_filters);
            }
        }
        (
            Box::new(BooleanQuery::new(subqueries)),
            positive,
            only_filters,
        )
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
                let mut sets: Vec<Option<FilterSet>> = Vec::new();
                for alternative in alternatives {
                    if let Some(built) = self.node(alternative, plan, true) {
                        sets.push(built.filter);
                        parts.push((TOccur::Should, built.query));
                    }
                }
                if parts.is_empty() {
                    return None;
                }
                let query: Box<dyn Query> = Box::new(BooleanQuery::new(parts));
                // Alternatives that are all filters are one filter (`outlet:A OR
                // outlet:B`); mixed with words, a filter is one way to match.
                let filter = match sets.first() {
                    Some(Some(first)) if sets.iter().all(|s| s == &Some(*first)) => Some(*first),
                    _ if sets.iter().all(Option::is_some) => Some(FilterSet::Mixed),
                    _ => None,
                };
                Some(match filter {
                    Some(set) => BuiltNode {
                        query,
                        counts: false,
                        filter: Some(set),
                    },
                    None => BuiltNode::content(query),
                })
            }
            Node::Group(clauses) => {
                let (query, positive, only_filters) =
                    self.clauses(clauses, plan, stop_words_count, false);
                if !positive {
                    return None;
                }
                Some(if only_filters {
                    BuiltNode {
                        query,
                        counts: false,
                        filter: Some(FilterSet::Mixed),
                    }
                } else {
                    BuiltNode::content(query)
                })
            }
        }
    }
}

/// What a word adds to a passage's score when the passage has it, under the coordination
/// of a top-level `match: auto` run of words: more than any BM25 sum of a query can reach
/// (64 words at most, each well under 100), so a passage with more of the words ranks
/// above every passage with fewer, and BM25 and the bonuses order passages with as many.
/// It is taken off again before the score is shown ([`Coordination::apply`]).
pub(crate) const WORD_TIER: f32 = 10_000.0;

/// How a top-level `match: auto` run of bare words degrades when nothing matches it.
///
/// Strict, a result needs [`MatchMode::minimum`] of the words (`strict`: up to two words
/// all, three or four all but one, more 60 %), ranked by BM25 and the bonuses. When
/// nothing has that many, the engine plans the query again relaxed
/// ([`QueryBuilder::with_relaxed`]): one word is enough (`minimum` 1), the passages with
/// the most of the words rank first (each word adds [`WORD_TIER`]), and the response says
/// that not every word matched, on each hit and in a note: a question whose words no
/// passage holds together still finds the passages with most of them, not nothing.
/// Ranking strict results by the count of words too was measured and rejected: on the
/// judged interactive set it put long passages with many common words above the ones
/// about the question (docs/quality.md). A query with a filter (`outlet:`, `about:`,
/// `--outlet`, `--about`, dates) or an exclusion is not relaxed: a filter never adds a
/// result.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Coordination {
    /// The words (content clauses) of the run.
    pub words: usize,
    /// How many of them a result needs in this plan.
    pub minimum: usize,
    /// How many the strict rule needs.
    pub strict: usize,
}

impl Coordination {
    /// Takes the word tiers off the hits' scores, records how many words each hit has
    /// when it lacks some, and adds the notes that say so.
    pub fn apply(&self, hits: &mut [Hit], notes: &mut Vec<String>) {
        for hit in hits.iter_mut() {
            let matched = ((hit.score / WORD_TIER).floor() as usize).min(self.words);
            hit.score -= matched as f32 * WORD_TIER;
            if matched < self.words {
                hit.words_matched = Some(WordsMatched {
                    matched,
                    of: self.words,
                });
            }
        }
        notes.push(format!(
            "not every word matched: no passage has {} of the {} words, so these are the \
             passages with the most of them",
            self.strict, self.words
        ));
    }
}

/// The parts of a clause list, sorted by how they combine.
#[derive(Default)]
struct Parts {
    /// Bare content clauses, under the minimum-match rule.
    should: Vec<Box<dyn Query>>,
    /// Bare clauses that do not count (scored if they match).
    optional: Vec<Box<dyn Query>>,
    /// `+` content clauses: the bare ones then only rank.
    must: Vec<Box<dyn Query>>,
    /// `+title:`: required and scored, the bare words keep their minimum.
    restrictions: Vec<Box<dyn Query>>,
    filters: Vec<(FilterSet, Box<dyn Query>)>,
    must_not: Vec<Box<dyn Query>>,
    proximity_terms: Vec<String>,
    /// (word index in the clause list, its one ranked term), for the pair bonus.
    pair_terms: Vec<(usize, String)>,
}

/// Required clauses of the filters of one clause list: the values of one facet as one
/// "any of them" clause, each other filter on its own.
fn filter_clauses(filters: Vec<(FilterSet, Box<dyn Query>)>) -> Vec<(TOccur, Box<dyn Query>)> {
    let mut out: Vec<(TOccur, Box<dyn Query>)> = Vec::new();
    let mut outlets: Vec<(TOccur, Box<dyn Query>)> = Vec::new();
    let mut groups: Vec<(TOccur, Box<dyn Query>)> = Vec::new();
    for (set, query) in filters {
        match set {
            FilterSet::Outlet => outlets.push((TOccur::Should, query)),
            FilterSet::Group => groups.push((TOccur::Should, query)),
            FilterSet::Mixed => out.push((TOccur::Must, query)),
        }
    }
    for any_of in [outlets, groups] {
        if !any_of.is_empty() {
            out.push((TOccur::Must, Box::new(BooleanQuery::new(any_of))));
        }
    }
    out
}

/// Whether a node is `title:…`.
fn is_title(node: &Node) -> bool {
    matches!(node, Node::Field(FieldName::Title, _))
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
