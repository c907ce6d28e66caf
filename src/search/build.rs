//! Turns a parsed query into a tantivy query, analysing each word exactly like the text.
//!
//! - A bare word matches its ranked term (stemmed `text` field) or its title term, plus a
//!   smaller bonus when the exact form matches (`text_exact`), and the ranked terms of its
//!   other segmentations and verbal-noun pattern ([`QueryBuilder::variants`]). A word that analyses to
//!   several terms (CSP-DPA) is a phrase of them. A stop word counts only when the whole
//!   query is stop words (it is then matched in the exact field).
//! - A quoted phrase matches on positions in the exact field (precise), or in the ranked
//!   field, where clitics are gone (والمرتزقة الروس still matches "المرتزقة الروس").
//! - Several bare words: short queries need all their words, longer ones most of them
//!   (see [`MatchMode`]); a sloppy phrase of the words adds a proximity bonus.
//! - `title:` searches the title only; `outlet:` and `about:` are filters.
//! - A word, run of words or phrase that is, as a whole, an own name of one of the four
//!   groups (`Wagner`, `فاجنر`, `Africa Corps`, `الفيلق الأفريقي`, `JNIM`, `CSP-DPA`) is
//!   expanded: its clause becomes "the words as typed OR the group's tag", the tag scored
//!   by [`group_query`] (own name above related names only, more for each strength level
//!   reached), so passages where the group is central rank above passing mentions.
//!   `--no-expand` turns it off.

use rustc_hash::FxHashSet;
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, EmptyQuery, Occur as TOccur, PhraseQuery,
    Query, TermQuery,
};
use tantivy::schema::{Facet, Field, IndexRecordOption};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::Term;

use super::latin::{LatinNames, Mapping};
use super::query::{Clause, FieldName, Node, Occur, ParsedQuery};
use super::topk::AllWords;
use super::vocabulary::Vocabulary;
use crate::analysis::analyze;
use crate::analysis::normalize::ends_with_ta_marbuta;
use crate::entities::Gazetteer;

/// The weights of a query's clauses (every clause is BM25-scored; a weight multiplies it).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct QueryWeights {
    /// A word matched in the title, relative to a match in the passage text.
    pub title: f32,
    /// Bonus when the exact form of a word matches (`text_exact`); `None`: no bonus.
    pub exact: Option<f32>,
    /// A quoted phrase matched in the exact field.
    pub phrase_exact: f32,
    /// Bonus when all the query's words stand within `proximity_slop` of each other.
    pub proximity: Option<f32>,
    pub proximity_slop: u32,
    /// Bonus for every pair of consecutive words found next to each other (within
    /// `pair_slop` extra positions) in the ranked field.
    pub pair: Option<f32>,
    pub pair_slop: u32,
    /// A word also matches, at this weight, the stems of its other segmentations (with
    /// and without the article or a one-letter proclitic, a dual of ة): forms the light
    /// stemmer cuts differently (البانثرز / بانثرز, كاليفورنيا / لكاليفورنيا); and an
    /// imperfect verb its other person (يشير / تشير).
    pub variants: Option<f32>,
    /// A word also matches, at this weight, its stem with a long vowel before the last
    /// letter added or removed (the verbal noun of a verb and back: اعترض / اعتراض).
    pub derived: Option<f32>,
    /// A word that matches nothing in the index (neither its stem nor a variant) also
    /// matches, at this weight, the stems of the indexed forms one edit away from it as
    /// typed: most often a misspelling, or a transliteration the outlets spell otherwise.
    pub near: Option<f32>,
}

/// The weights `akhbar search` and `akhbar eval` use (measured on the XQuAD dev set).
pub const DEFAULT_WEIGHTS: QueryWeights = QueryWeights {
    title: 1.5,
    exact: Some(0.3),
    phrase_exact: 1.5,
    proximity: Some(1.0),
    proximity_slop: 6,
    pair: Some(0.5),
    pair_slop: 1,
    variants: Some(1.0),
    derived: Some(0.5),
    near: Some(0.5),
};

/// A stem shorter than this has too many neighbours one edit away to guess from.
pub const NEAR_MIN_LETTERS: usize = 4;
/// At most this many near terms per word (the most frequent ones).
pub const NEAR_MAX_TERMS: usize = 8;

impl Default for QueryWeights {
    fn default() -> Self {
        DEFAULT_WEIGHTS
    }
}

/// Score of a passage that names the group by an own name, in an expanded clause.
pub const GROUP_BOOST: f32 = 1.0;
/// Score of a passage tagged by related names only.
pub const GROUP_RELATED_BOOST: f32 = 0.3;
/// Added for each strength level an own-named passage reaches.
pub const GROUP_LEVEL_BOOST: f32 = 0.2;

/// Analysed terms with their positions.
type Terms = Vec<(usize, String)>;

/// How many of several bare words must match.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MatchMode {
    /// Up to two words: all; three or four: all but one; more: 60 % (rounded up).
    #[default]
    Auto,
    /// Any word (pure ranking; what long natural-language questions need).
    Any,
    /// Every word.
    All,
}

impl MatchMode {
    fn minimum(self, n: usize) -> usize {
        match self {
            MatchMode::Any => 1,
            MatchMode::All => n,
            MatchMode::Auto => match n {
                0..=2 => n,
                3..=4 => n - 1,
                _ => (n * 3).div_ceil(5),
            },
        }
    }
}

/// The index fields a query is built on.
#[derive(Clone, Copy, Debug)]
pub struct QueryFields {
    pub text: Field,
    pub text_exact: Field,
    pub title: Field,
    pub outlet: Field,
    pub group: Field,
    pub group_terms: Field,
}

/// What one typed word or phrase became (for `--explain` and the JSON output).
#[derive(Clone, Debug, serde::Serialize, PartialEq)]
pub struct WordPlan {
    /// As typed.
    pub input: String,
    /// "word", "phrase", "title", "outlet", "about".
    pub kind: &'static str,
    /// Terms in the ranked `text`/`title` fields.
    pub ranked_terms: Vec<String>,
    /// Terms in the `text_exact` field.
    pub exact_terms: Vec<String>,
    /// Facet values for filters.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub facets: Vec<String>,
    /// Why the word does not count, if it does not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ignored: Option<String>,
    /// The group the word names: it also matches passages tagged with it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// Indexed terms one edit away, searched because the word itself matches nothing.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub near_terms: Vec<String>,
    /// For an Arabic form searched for a Latin name (kind `latin-name` or
    /// `transliteration`): the Latin as typed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub latin: Option<String>,
}

/// A built query and what went into it.
pub struct QueryPlan {
    pub query: Box<dyn Query>,
    /// Bonus clauses scored apart on the top candidates of `query` (see
    /// [`super::topk`]); the ranking is `query` plus the bonuses. Empty: `query` is whole.
    pub bonuses: Vec<Box<dyn Query>>,
    /// With bonuses: the passages with every word, as more candidates (see
    /// [`super::topk`]).
    pub all_words: Option<AllWords>,
    pub words: Vec<WordPlan>,
    /// Terms to highlight in passages analysed with `arabic` / `arabic_exact`.
    pub ranked_highlights: FxHashSet<String>,
    pub exact_highlights: FxHashSet<String>,
    /// Remarks for the user (ignored words, unknown outlets…).
    pub notes: Vec<String>,
    /// False when nothing in the query can match: only exclusions, or nothing at all.
    pub has_positive_clause: bool,
}

/// Resolves `outlet:` and `about:` values to facets; None when unknown.
pub trait FacetResolver {
    fn outlet(&self, name: &str) -> Option<Facet>;
    fn group(&self, name: &str) -> Option<Facet>;
    /// Known values, for error messages.
    fn known_outlets(&self) -> Vec<String>;
    fn known_groups(&self) -> Vec<String>;
}

/// Knows no outlet or group (an evaluation index has none).
pub struct NoFacets;

impl FacetResolver for NoFacets {
    fn outlet(&self, _: &str) -> Option<Facet> {
        None
    }
    fn group(&self, _: &str) -> Option<Facet> {
        None
    }
    fn known_outlets(&self) -> Vec<String> {
        Vec::new()
    }
    fn known_groups(&self) -> Vec<String> {
        Vec::new()
    }
}

/// Builds tantivy queries for one index.
pub struct QueryBuilder<'a> {
    pub fields: QueryFields,
    pub ranked: TextAnalyzer,
    pub exact: TextAnalyzer,
    pub facets: &'a dyn FacetResolver,
    pub match_mode: MatchMode,
    pub weights: QueryWeights,
    /// Expands words that name a group (None: no expansion).
    pub groups: Option<&'a Gazetteer>,
    /// The index's terms, for words that match nothing (None: no near spellings).
    pub vocabulary: Option<&'a dyn Vocabulary>,
    /// Names typed in Latin letters and their Arabic forms (None: searched as typed only).
    pub latin: Option<&'a LatinNames>,
}

/// A typed text [`QueryBuilder::latin`] may map.
struct LatinInput {
    text: String,
    /// Quoted (a phrase) rather than a bare word.
    phrase: bool,
    /// In `title:`.
    title: bool,
}

struct Built {
    query: Box<dyn Query>,
    /// A content clause, counted for the minimum-match rule.
    counts: bool,
}

impl QueryBuilder<'_> {
    /// Builds the query of `parsed`.
    pub fn build(&mut self, parsed: &ParsedQuery) -> QueryPlan {
        let mut plan = QueryPlan {
            query: Box::new(EmptyQuery),
            bonuses: Vec::new(),
            all_words: None,
            words: Vec::new(),
            ranked_highlights: FxHashSet::default(),
            exact_highlights: FxHashSet::default(),
            notes: Vec::new(),
            has_positive_clause: false,
        };
        if parsed.dropped_words > 0 {
            plan.notes.push(format!(
                "the query is long: {} words past the first {} were ignored",
                parsed.dropped_words,
                super::query::MAX_WORDS
            ));
        }
        let clauses = self.join_names(&parsed.clauses);
        if let Some((query, bonuses, all_words)) = self.flat_disjunction(&clauses, &mut plan) {
            plan.query = query;
            plan.bonuses = bonuses;
            plan.all_words = all_words;
            plan.has_positive_clause = true;
        } else {
            let only_stop_words = self.only_stop_words(&clauses);
            let (query, positive) = self.clauses(&clauses, &mut plan, only_stop_words, true);
            plan.query = query;
            plan.has_positive_clause = positive;
        }
        for word in &plan.words {
            if !word.near_terms.is_empty() {
                plan.notes.push(format!(
                    "`{}` is not in the index; also searched its near spellings {}",
                    word.input,
                    word.near_terms.join(" ")
                ));
            }
        }
        plan
    }

    /// With [`MatchMode::Any`] and only bare one-term words, the query is one flat
    /// disjunction of (boosted) term queries on `text` and `title`, which tantivy answers
    /// with block-max WAND, and the bonuses (exact form, proximity and pair phrases) are
    /// returned apart, to be scored on the top candidates only ([`super::topk`]): the
    /// fast path of batch runs and long questions. None when the query needs more.
    #[allow(clippy::type_complexity)]
    fn flat_disjunction(
        &mut self,
        clauses: &[Clause],
        plan: &mut QueryPlan,
    ) -> Option<(Box<dyn Query>, Vec<Box<dyn Query>>, Option<AllWords>)> {
        if self.match_mode != MatchMode::Any {
            return None;
        }
        let mut analysed = Vec::with_capacity(clauses.len());
        for clause in clauses {
            let (Occur::Should, Node::Word(word)) = (clause.occur, &clause.node) else {
                return None;
            };
            if self.groups.is_some_and(|g| g.names_group(word).is_some()) {
                return None; // a group name is expanded on the general path
            }
            if self.latin.is_some() && super::latin::latin_key(word).is_some() {
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
        let term = |field: Field, text: &str, boost: f32| -> Box<dyn Query> {
            let query = Box::new(TermQuery::new(
                Term::from_field_text(field, text),
                IndexRecordOption::WithFreqs,
            ));
            if boost == 1.0 {
                query
            } else {
                Box::new(BoostQuery::new(query, boost))
            }
        };
        for (index, (word, ranked, exact)) in analysed.iter().enumerate() {
            let mut near_terms: Vec<String> = Vec::new();
            let ranked_term = ranked.first().map(|t| t.term.clone());
            let exact_term = exact.first().map(|t| t.term.clone());
            let ignored = match (&ranked_term, &exact_term) {
                (_, None) => Some("no searchable characters".to_string()),
                (None, Some(_)) => Some("stop word".to_string()),
                _ => None,
            };
            if let (Some(r), Some(e)) = (&ranked_term, &exact_term) {
                terms.push((TOccur::Should, term(self.fields.text, r, 1.0)));
                terms.push((
                    TOccur::Should,
                    term(self.fields.title, r, self.weights.title),
                ));
                if let Some(boost) = self.weights.exact {
                    // A bonus too: a passage with the exact form has the ranked term.
                    exact_bonus.push(term(self.fields.text_exact, e, boost));
                }
                let variants = self.variants(e, r, ends_with_ta_marbuta(word));
                near_terms = self.near_spellings(word, e, r, &variants);
                for (variant, weight) in variants {
                    terms.push((TOccur::Should, term(self.fields.text, &variant, weight)));
                    plan.ranked_highlights.insert(variant);
                }
                terms.extend(self.near_clauses(&near_terms, plan));
                plan.ranked_highlights.insert(r.clone());
                plan.exact_highlights.insert(e.clone());
                proximity_terms.push(r.clone());
                pair_terms.push((index, r.clone()));
            }
            plan.words.push(WordPlan {
                input: word.to_string(),
                kind: "word",
                ranked_terms: ranked_term.into_iter().collect(),
                exact_terms: exact_term.into_iter().collect(),
                facets: Vec::new(),
                ignored,
                group: None,
                near_terms,
                latin: None,
            });
        }
        if terms.is_empty() {
            // Only stop words: let the general path match them exactly.
            plan.words.clear();
            return None;
        }
        let mut bonuses = exact_bonus;
        bonuses.extend(self.bonus_clauses(&proximity_terms, &pair_terms));
        // The passages with every word: they alone can earn the proximity bonus.
        let mut distinct: Vec<&String> = proximity_terms.iter().collect();
        distinct.sort();
        distinct.dedup();
        let all_words = (distinct.len() >= 2 && !bonuses.is_empty()).then(|| AllWords {
            query: Box::new(BooleanQuery::new(
                distinct
                    .iter()
                    .map(|t| (TOccur::Must, term(self.fields.text, t, 1.0)))
                    .collect(),
            )),
            rest: distinct
                .iter()
                .map(|t| term(self.fields.title, t, self.weights.title))
                .collect(),
        });
        Some((Box::new(BooleanQuery::new(terms)), bonuses, all_words))
    }

    /// Joins consecutive bare words that the analyzer reads as one name (تين زاوتين), so
    /// the name is searched as its one canonical term rather than as two unrelated words.
    fn join_names(&mut self, clauses: &[Clause]) -> Vec<Clause> {
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

    /// The last word of the longest run of two or more words from `k` that is an own name
    /// of a group.
    fn group_name_end(&self, run: &[&str], k: usize) -> Option<usize> {
        let groups = self.groups?;
        (k + 1..run.len())
            .rev()
            .find(|&last| groups.names_group(&run[k..=last].join(" ")).is_some())
    }

    /// `query`, or `query` OR the tag of the group `text` names, recorded in `word_plan`.
    fn expand(
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
            (TOccur::Should, group_query(self.fields.group_terms, id)),
        ]))
    }

    /// Whether every bare word of the query is a stop word (then they count, exactly).
    fn only_stop_words(&mut self, clauses: &[Clause]) -> bool {
        let mut words = Vec::new();
        collect_words(clauses, &mut words);
        !words.is_empty()
            && words
                .iter()
                .all(|w| analyze(&mut self.ranked, w).is_empty())
    }

    /// A boolean query of `clauses`; also whether it has a clause that can match.
    fn clauses(
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
    fn bonus_clauses(
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

    fn node(&mut self, node: &Node, plan: &mut QueryPlan, stop_words_count: bool) -> Option<Built> {
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
                self.facet_filter(*field, &text, plan)
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
                Some(Built {
                    query: Box::new(BooleanQuery::new(parts)),
                    counts: true,
                })
            }
            Node::Group(clauses) => {
                let (query, positive) = self.clauses(clauses, plan, stop_words_count, false);
                positive.then_some(Built {
                    query,
                    counts: true,
                })
            }
        }
    }

    /// A word or phrase typed in Latin letters (see [`super::latin`]): the text as typed
    /// OR each of its Arabic forms (a listed name's at the list's weight, transliterations
    /// lower), each built like a typed Arabic word or phrase and listed in the plan with
    /// kind `latin-name` or `transliteration`; a note says what was searched, or that no
    /// Arabic spelling is known for the word. None when the text is not Latin, names a
    /// group (the gazetteer expands it) or is a run of words no name matches.
    fn latin(
        &mut self,
        input: LatinInput,
        plan: &mut QueryPlan,
        stop_words_count: bool,
    ) -> Option<Option<Built>> {
        let latin = self.latin?;
        if self
            .groups
            .is_some_and(|g| g.names_group(&input.text).is_some())
        {
            return None;
        }
        let typed = |builder: &mut Self, text: &str, plan: &mut QueryPlan| match input.phrase {
            true => builder.phrase(text, plan, input.title),
            false => builder.word(text, plan, stop_words_count, input.title),
        };
        let forms = match latin.map(&input.text, self.vocabulary, self.fields.text_exact) {
            Mapping::None => return None,
            Mapping::Unknown => {
                let built = typed(self, &input.text, plan);
                if built.is_some() {
                    let note = format!("no Arabic spelling known for \"{}\"", input.text);
                    plan.notes.push(note);
                }
                return Some(built);
            }
            Mapping::Forms(forms) => forms,
        };
        let mut parts: Vec<(TOccur, Box<dyn Query>)> = Vec::new();
        if let Some(built) = typed(self, &input.text, plan) {
            parts.push((TOccur::Should, built.query));
        }
        let mut seen: Vec<Vec<String>> = Vec::new();
        let mut searched = forms.clone();
        searched.arabic.clear();
        // The forms are known spellings: one the index lacks has no near spellings.
        let near = self.weights.near.take();
        for form in &forms.arabic {
            let exact: Vec<String> = analyze(&mut self.exact, form)
                .into_iter()
                .map(|t| t.term)
                .collect();
            // A spelling the analyzer folds into one already searched (a lexicon twin),
            // or a stop word, adds nothing.
            if seen.contains(&exact) || analyze(&mut self.ranked, form).is_empty() {
                continue;
            }
            let built = if exact.len() > 1 {
                self.phrase(form, plan, input.title)
            } else {
                self.word(form, plan, true, input.title)
            };
            seen.push(exact);
            if let Some(word_plan) = plan.words.last_mut() {
                word_plan.kind = forms.kind;
                word_plan.latin = Some(input.text.clone());
            }
            if let Some(built) = built {
                parts.push((TOccur::Should, boosted(built.query, forms.weight)));
                searched.arabic.push(form.clone());
            }
        }
        self.weights.near = near;
        if !searched.arabic.is_empty() {
            plan.notes.push(searched.note(&input.text));
        }
        if parts.is_empty() {
            return Some(None);
        }
        Some(Some(Built {
            query: Box::new(BooleanQuery::new(parts)),
            counts: true,
        }))
    }

    /// One bare word (or `title:` word).
    fn word(
        &mut self,
        word: &str,
        plan: &mut QueryPlan,
        stop_words_count: bool,
        title_only: bool,
    ) -> Option<Built> {
        let kind = if title_only { "title" } else { "word" };
        let (ranked, exact, mut word_plan) = self.analysed(word, kind);
        if exact.is_empty() {
            word_plan.ignored = Some("no searchable characters".into());
            plan.words.push(word_plan);
            return None;
        }
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
            parts.push((
                TOccur::Should,
                terms_query(self.fields.text_exact, &exact, 0),
            ));
        } else {
            if !title_only {
                parts.push((TOccur::Should, terms_query(self.fields.text, &ranked, 0)));
                if let Some(boost) = self.weights.exact {
                    parts.push((
                        TOccur::Should,
                        boosted(terms_query(self.fields.text_exact, &exact, 0), boost),
                    ));
                }
                if let ([(_, r)], [(_, e)]) = (ranked.as_slice(), exact.as_slice()) {
                    let variants = self.variants(e, r, ends_with_ta_marbuta(word));
                    word_plan.near_terms = self.near_spellings(word, e, r, &variants);
                    for (variant, weight) in variants {
                        parts.push((
                            TOccur::Should,
                            boosted(
                                terms_query(self.fields.text, &[(0, variant.clone())], 0),
                                weight,
                            ),
                        ));
                        plan.ranked_highlights.insert(variant);
                    }
                    parts.extend(self.near_clauses(&word_plan.near_terms, plan));
                }
            }
            parts.push((
                TOccur::Should,
                boosted(
                    terms_query(self.fields.title, &ranked, 0),
                    self.weights.title,
                ),
            ));
        }
        self.finish(word, parts, &ranked, &exact, word_plan, plan, title_only)
    }

    /// The clauses of a word's near spellings (see [`Self::near_spellings`]): each in
    /// `text` at the `near` weight and in `title` at `near` × `title`; they are
    /// highlighted too.
    fn near_clauses(
        &self,
        near_terms: &[String],
        plan: &mut QueryPlan,
    ) -> Vec<(TOccur, Box<dyn Query>)> {
        let Some(weight) = self.weights.near else {
            return Vec::new();
        };
        let mut clauses = Vec::with_capacity(2 * near_terms.len());
        for near in near_terms {
            let near_term = [(0, near.clone())];
            clauses.push((
                TOccur::Should,
                boosted(terms_query(self.fields.text, &near_term, 0), weight),
            ));
            clauses.push((
                TOccur::Should,
                boosted(
                    terms_query(self.fields.title, &near_term, 0),
                    weight * self.weights.title,
                ),
            ));
            plan.ranked_highlights.insert(near.clone());
        }
        clauses
    }

    /// The near spellings of a word the index lacks, as `text` terms: the stems of the
    /// indexed forms one edit away from its form as typed, `exact`, or from that form
    /// with the article added or removed (a typo, even in an ending the stemmer would
    /// have removed: الاغتيالاث → الاغتيالات → اغتيال; another transliteration: كيتال →
    /// كيدال, رودوفيت → الروديوفيت), at most [`NEAR_MAX_TERMS`]. Empty when the index has the word's stem `ranked`
    /// or any of its `variants` (in `text` or `title`), when the word is not all letters
    /// (a number one digit off is another number) or its stem is shorter than
    /// [`NEAR_MIN_LETTERS`], and without a vocabulary or a `near` weight. Stems under
    /// three letters are left out.
    fn near_spellings(
        &mut self,
        word: &str,
        exact: &str,
        ranked: &str,
        variants: &[(String, f32)],
    ) -> Vec<String> {
        let (Some(vocabulary), Some(_)) = (self.vocabulary, self.weights.near) else {
            return Vec::new();
        };
        if ranked.chars().count() < NEAR_MIN_LETTERS || !word.chars().all(char::is_alphabetic) {
            return Vec::new();
        }
        let indexed = |term: &str| {
            vocabulary.contains(self.fields.text, term)
                || vocabulary.contains(self.fields.title, term)
        };
        if indexed(ranked) || variants.iter().any(|(variant, _)| indexed(variant)) {
            return Vec::new();
        }
        // The form as typed, and with the article added or removed: a name typed bare is
        // most often written with it (رودوفيت, الروديوفيت) and the other way round.
        let toggled = match exact.strip_prefix("ال") {
            Some(bare) if bare.chars().count() >= NEAR_MIN_LETTERS => bare.to_string(),
            Some(_) => String::new(),
            None => format!("ال{exact}"),
        };
        let mut forms = vocabulary.near(self.fields.text_exact, exact, 1, NEAR_MAX_TERMS);
        if !toggled.is_empty() {
            forms.extend(vocabulary.near(self.fields.text_exact, &toggled, 1, NEAR_MAX_TERMS));
        }
        let mut near: Vec<String> = Vec::new();
        for form in forms {
            if near.len() == NEAR_MAX_TERMS {
                break;
            }
            if let [stem] = analyze(&mut self.ranked, &form).as_slice() {
                if stem.term != ranked
                    && stem.term.chars().count() >= 3
                    && !near.contains(&stem.term)
                {
                    near.push(stem.term.clone());
                }
            }
        }
        near
    }

    /// Other ranked terms a word may stand for in the passages, each with its weight:
    ///
    /// - other segmentations (weight `variants`): light stemming cuts a word by its
    ///   first letters, so a name or loanword that starts like a clitic is cut
    ///   differently with and without the article (البانثرز → بانثرز but بانثرز → انثرز;
    ///   كاليفورنيا → يفورن but لكاليفورنيا → كاليفورن). The word is also analysed with the
    ///   article added or removed and without a one-letter proclitic; a dual of a word in
    ///   ة (مجموعتان, نقطتين) also as that word (مجموعة). An imperfect verb also stands
    ///   for its other person: ي and ت swapped at the start of a stem of four letters or
    ///   more (يشير / تشير, يسبب / تسبب: he / she, it);
    /// - the verbal-noun pattern (weight `derived`): a long ا or ي before the last letter
    ///   of the stem, added between two consonants or removed (اعترض / اعتراض, استخدم /
    ///   استخدام, تصنف / تصنيف).
    ///
    /// Only Arabic terms of at least three letters that differ from `ranked`.
    pub fn variants(
        &mut self,
        exact: &str,
        ranked: &str,
        written_ta_marbuta: bool,
    ) -> Vec<(String, f32)> {
        let mut out: Vec<(String, f32)> = Vec::new();
        let arabic = |t: &str| {
            t.chars().count() >= 3 && t.chars().all(|c| ('\u{0621}'..='\u{064A}').contains(&c))
        };
        if !arabic(exact) || !arabic(ranked) {
            return out;
        }
        let push = |term: String, weight: f32, out: &mut Vec<(String, f32)>| {
            if term != ranked && arabic(&term) && !out.iter().any(|(t, _)| *t == term) {
                out.push((term, weight));
            }
        };
        if let Some(weight) = self.weights.variants {
            // The forms are analysed like typed words: a final ه written ة is ة again, or
            // the stemmer would read it as a pronoun (السنه → سن, not سنه).
            let exact_written;
            let exact = match exact.strip_suffix('ه') {
                Some(rest) if written_ta_marbuta => {
                    exact_written = format!("{rest}ة");
                    exact_written.as_str()
                }
                _ => exact,
            };
            let mut surfaces: Vec<String> = Vec::new();
            if let Some(rest) = exact.strip_prefix("ال") {
                surfaces.push(rest.to_string());
            } else {
                surfaces.push(format!("ال{exact}"));
                let mut chars = exact.chars();
                if let Some(first) = chars.next() {
                    if exact.chars().count() >= 5 && "وفبكل".contains(first) {
                        surfaces.push(chars.as_str().to_string());
                        surfaces.push(format!("ال{}", chars.as_str()));
                    }
                }
            }
            for dual in ["تان", "تين"] {
                if let Some(stem) = exact.strip_suffix(dual) {
                    if stem.chars().count() >= 3 {
                        surfaces.push(format!("{stem}ة"));
                    }
                }
            }
            for surface in surfaces {
                if let [t] = analyze(&mut self.ranked, &surface).as_slice() {
                    push(t.term.clone(), weight, &mut out);
                }
            }
            let mut chars = ranked.chars();
            let other_person = match chars.next() {
                Some('ي') => Some('ت'),
                Some('ت') => Some('ي'),
                _ => None,
            };
            if let Some(first) = other_person.filter(|_| ranked.chars().count() >= 4) {
                push(format!("{first}{}", chars.as_str()), weight, &mut out);
            }
        }
        if let Some(weight) = self.weights.derived {
            let chars: Vec<char> = ranked.chars().collect();
            let n = chars.len();
            if n >= 4 && !matches!(chars[n - 2], 'ا' | 'و' | 'ي') {
                for long in ['ا', 'ي'] {
                    let mut c = chars.clone();
                    c.insert(n - 1, long);
                    push(c.into_iter().collect(), weight, &mut out);
                }
            }
            if n >= 5 && matches!(chars[n - 2], 'ا' | 'ي') {
                let mut c = chars.clone();
                c.remove(n - 2);
                push(c.into_iter().collect(), weight, &mut out);
            }
        }
        out
    }

    /// The ranked and exact (position, term) lists of a typed word or phrase, and its
    /// plan entry.
    fn analysed(&mut self, input: &str, kind: &'static str) -> (Terms, Terms, WordPlan) {
        let terms = |analyzer: &mut TextAnalyzer| -> Terms {
            analyze(analyzer, input)
                .into_iter()
                .map(|t| (t.position, t.term))
                .collect()
        };
        let ranked = terms(&mut self.ranked);
        let exact = terms(&mut self.exact);
        let word_plan = WordPlan {
            input: input.to_string(),
            kind,
            ranked_terms: ranked.iter().map(|(_, t)| t.clone()).collect(),
            exact_terms: exact.iter().map(|(_, t)| t.clone()).collect(),
            facets: Vec::new(),
            ignored: None,
            group: None,
            near_terms: Vec::new(),
            latin: None,
        };
        (ranked, exact, word_plan)
    }

    /// A quoted phrase (or `title:"…"`).
    fn phrase(&mut self, phrase: &str, plan: &mut QueryPlan, title_only: bool) -> Option<Built> {
        let kind = if title_only { "title" } else { "phrase" };
        let (ranked, exact, mut word_plan) = self.analysed(phrase, kind);
        if exact.is_empty() {
            word_plan.ignored = Some("no searchable characters".into());
            plan.words.push(word_plan);
            return None;
        }
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
        if !ranked.is_empty() {
            parts.push((
                TOccur::Should,
                boosted(
                    terms_query(self.fields.title, &ranked, 0),
                    self.weights.title,
                ),
            ));
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
    ) -> Option<Built> {
        plan.ranked_highlights
            .extend(ranked.iter().map(|(_, t)| t.clone()));
        plan.exact_highlights
            .extend(exact.iter().map(|(_, t)| t.clone()));
        let mut query: Box<dyn Query> = Box::new(BooleanQuery::new(parts));
        if !title_only {
            query = self.expand(input, query, &mut word_plan, plan);
        }
        plan.words.push(word_plan);
        Some(Built {
            query,
            counts: true,
        })
    }

    /// `outlet:NAME` or `about:GROUP`: a filter that does not score.
    fn facet_filter(
        &mut self,
        field: FieldName,
        value: &str,
        plan: &mut QueryPlan,
    ) -> Option<Built> {
        let (facet, index_field, known) = match field {
            FieldName::Outlet => (
                self.facets.outlet(value),
                self.fields.outlet,
                self.facets.known_outlets(),
            ),
            _ => (
                self.facets.group(value),
                self.fields.group,
                self.facets.known_groups(),
            ),
        };
        let mut word_plan = WordPlan {
            input: format!("{}:{value}", field.as_str()),
            kind: field.as_str(),
            ranked_terms: Vec::new(),
            exact_terms: Vec::new(),
            facets: Vec::new(),
            ignored: None,
            group: None,
            near_terms: Vec::new(),
            latin: None,
        };
        let query: Box<dyn Query> = match facet {
            Some(facet) => {
                word_plan.facets.push(facet.to_string());
                Box::new(ConstScoreQuery::new(
                    Box::new(TermQuery::new(
                        Term::from_facet(index_field, &facet),
                        IndexRecordOption::Basic,
                    )),
                    0.0,
                ))
            }
            None => {
                plan.notes.push(format!(
                    "unknown {} `{value}` (known: {})",
                    field.as_str(),
                    known.join(", ")
                ));
                word_plan.ignored = Some("unknown value: matches nothing".into());
                Box::new(EmptyQuery)
            }
        };
        plan.words.push(word_plan);
        Some(Built {
            query,
            counts: false,
        })
    }
}

/// Passages tagged with group `id`, scored by how central it is, with constant weights
/// on the terms of [`crate::entities::strength_terms`]: [`GROUP_BOOST`] when an own name
/// appears, [`GROUP_RELATED_BOOST`] when only related names do, and [`GROUP_LEVEL_BOOST`]
/// for each strength level reached (named in the title, named several times).
pub fn group_query(group_terms: Field, id: &str) -> Box<dyn Query> {
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
        term(id.to_string(), GROUP_BOOST),
        term(format!("{id}/related"), GROUP_RELATED_BOOST),
    ];
    for level in crate::entities::STRENGTH_LEVELS {
        clauses.push(term(format!("{id}/{level}"), GROUP_LEVEL_BOOST));
    }
    Box::new(BooleanQuery::new(clauses))
}

fn boosted(query: Box<dyn Query>, boost: f32) -> Box<dyn Query> {
    Box::new(BoostQuery::new(query, boost))
}

/// A term query for one term, a phrase (with the analyzer's position gaps) for several.
fn terms_query(field: Field, terms: &[(usize, String)], slop: u32) -> Box<dyn Query> {
    if terms.len() == 1 {
        return Box::new(TermQuery::new(
            Term::from_field_text(field, &terms[0].1),
            IndexRecordOption::WithFreqs,
        ));
    }
    let first = terms[0].0;
    let with_offsets: Vec<(usize, Term)> = terms
        .iter()
        .map(|(p, t)| (p - first, Term::from_field_text(field, t)))
        .collect();
    Box::new(PhraseQuery::new_with_offset_and_slop(with_offsets, slop))
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::Analysis;
    use crate::config::Config;
    use tantivy::schema::{FacetOptions, Schema, TEXT};

    /// The variants of `word` with the default weights.
    fn variants(word: &str) -> Vec<(String, f32)> {
        let analysis = Analysis::new(&Config::builtin()).expect("built-in config");
        let mut schema = Schema::builder();
        let text = schema.add_text_field("text", TEXT);
        let facet = schema.add_facet_field("facet", FacetOptions::default());
        let mut builder = QueryBuilder {
            fields: QueryFields {
                text,
                text_exact: text,
                title: text,
                outlet: facet,
                group: facet,
                group_terms: text,
            },
            ranked: analysis.analyzer("arabic").expect("arabic"),
            exact: analysis.analyzer("arabic_exact").expect("arabic_exact"),
            facets: &NoFacets,
            match_mode: MatchMode::Any,
            weights: DEFAULT_WEIGHTS,
            groups: None,
            vocabulary: None,
            latin: None,
        };
        let exact = analyze(&mut builder.exact, word);
        let ranked = analyze(&mut builder.ranked, word);
        match (exact.as_slice(), ranked.as_slice()) {
            ([e], [r]) => builder.variants(&e.term, &r.term, ends_with_ta_marbuta(word)),
            _ => Vec::new(),
        }
    }

    fn owned(expected: &[(&str, f32)]) -> Vec<(String, f32)> {
        expected.iter().map(|(t, w)| (t.to_string(), *w)).collect()
    }

    #[test]
    fn other_segmentations_of_a_word() {
        // The stemmer cuts ب off بانثرز but not off البانثرز.
        assert_eq!(
            variants("البانثرز"),
            owned(&[("انثرز", 1.0), ("بانثراز", 0.5), ("بانثريز", 0.5)])
        );
        // كاليفورنيا loses كال as if it were an article; لكاليفورنيا keeps it.
        assert_eq!(
            variants("لكاليفورنيا"),
            owned(&[
                ("لكاليفورن", 1.0),
                ("يفورن", 1.0),
                ("كاليفوران", 0.5),
                ("كاليفورين", 0.5)
            ])
        );
        // A dual of a word in ة is also that word.
        assert_eq!(variants("نقطتين")[0], ("نقط".to_string(), 1.0));
        assert_eq!(variants("المجموعتان")[0], ("مجموع".to_string(), 1.0));
    }

    #[test]
    fn a_written_ta_marbuta_stays_one_in_the_variants() {
        // السنة is analysed as written: سنه, the word's own term, not سن.
        assert!(variants("سنة").is_empty());
        assert!(variants("مدينة").iter().all(|(t, _)| t != "مد"));
    }

    #[test]
    fn the_other_person_of_an_imperfect_verb() {
        // يشير "he/it points", تشير "she/it points".
        assert!(variants("يشير").contains(&("تشير".to_string(), 1.0)));
        assert!(variants("تسبب").contains(&("يسبب".to_string(), 1.0)));
        // Three letters are too short to tell a verb (يقع) from a noun (تين, يوم).
        assert!(variants("تين").iter().all(|(t, _)| t != "يين"));
    }

    #[test]
    fn verbal_noun_pattern() {
        assert_eq!(
            variants("اعترض"),
            owned(&[("اعتراض", 0.5), ("اعتريض", 0.5)])
        );
        assert_eq!(variants("الاعتراضات"), owned(&[("اعترض", 0.5)]));
        // (تصنيف also gets the other person of an imperfect, يصنيف: a form no passage
        // has, so a clause that matches nothing.)
        assert_eq!(variants("تصنيف"), owned(&[("يصنيف", 1.0), ("تصنف", 0.5)]));
    }

    #[test]
    fn no_variants_for_numbers_stop_words_and_short_words() {
        assert!(variants("2015").is_empty());
        assert!(variants("في").is_empty());
        assert!(variants("غرب").is_empty());
    }

    /// A vocabulary given as lists: the terms each field holds, and what `near` answers.
    struct ListedVocabulary {
        terms: Vec<(Field, &'static str)>,
        near: Vec<(Field, &'static str, Vec<&'static str>)>,
    }

    impl Vocabulary for ListedVocabulary {
        fn contains(&self, field: Field, term: &str) -> bool {
            self.terms.iter().any(|&(f, t)| f == field && t == term)
        }
        fn near(&self, field: Field, term: &str, edits: u8, limit: usize) -> Vec<String> {
            assert_eq!(edits, 1);
            let found = self.near.iter().find(|(f, t, _)| *f == field && *t == term);
            found.map_or_else(Vec::new, |(_, _, near)| {
                near.iter().take(limit).map(|t| t.to_string()).collect()
            })
        }
    }

    /// The plan of `query` over an index whose vocabulary is `vocabulary`.
    fn plan_with(
        query: &str,
        mode: MatchMode,
        weights: QueryWeights,
        vocabulary: &dyn Vocabulary,
    ) -> QueryPlan {
        let (fields, _) = near_fields();
        let analysis = Analysis::new(&Config::builtin()).expect("built-in config");
        let mut builder = QueryBuilder {
            fields,
            ranked: analysis.analyzer("arabic").expect("arabic"),
            exact: analysis.analyzer("arabic_exact").expect("arabic_exact"),
            facets: &NoFacets,
            match_mode: mode,
            weights,
            groups: None,
            vocabulary: Some(vocabulary),
            latin: None,
        };
        builder.build(&super::super::query::parse(query))
    }

    fn near_fields() -> (QueryFields, Schema) {
        let mut schema = Schema::builder();
        let text = schema.add_text_field("text", TEXT);
        let text_exact = schema.add_text_field("text_exact", TEXT);
        let title = schema.add_text_field("title", TEXT);
        let facet = schema.add_facet_field("facet", FacetOptions::default());
        let fields = QueryFields {
            text,
            text_exact,
            title,
            outlet: facet,
            group: facet,
            group_terms: text,
        };
        (fields, schema.build())
    }

    /// The index of these tests: it has اغتيال (and the form الاغتيالات), روديوفيت (as
    /// الروديوفيت), and the title word فاغنر; `near` lists the indexed forms one edit
    /// away.
    fn misspellings() -> ListedVocabulary {
        let (f, _) = near_fields();
        ListedVocabulary {
            terms: vec![
                (f.text, "اغتيال"),
                (f.text_exact, "الاغتيالات"),
                (f.text, "روديوفيت"),
                (f.title, "فاغنر"),
                (f.text, "كتاب"),
            ],
            near: vec![
                (f.text_exact, "الرودوفيت", vec!["الروديوفيت"]),
                (f.text_exact, "الاغتيالاث", vec!["الاغتيالات", "اغتيالا"]),
                (f.text_exact, "فاغنار", vec!["فاغنر", "بفاغنر"]),
                (f.text_exact, "كتاب", vec!["كتب"]),
                (f.text_exact, "كتابه", vec!["كتاب"]),
                (f.text_exact, "2025", vec!["2024"]),
                (f.text_exact, "كتا", vec!["كتب"]),
            ],
        }
    }

    #[test]
    fn a_word_the_index_lacks_searches_its_near_spellings() {
        let vocabulary = misspellings();
        // Another transliteration, written with the article in the index: one edit from
        // the typed word with the article added.
        let plan = plan_with("رودوفيت", MatchMode::Any, DEFAULT_WEIGHTS, &vocabulary);
        assert_eq!(plan.words[0].near_terms, vec!["روديوفيت"]);
        assert!(plan.ranked_highlights.contains("روديوفيت"));
        assert_eq!(
            plan.notes,
            vec!["`رودوفيت` is not in the index; also searched its near spellings روديوفيت"]
        );
        // A typo in the ending: the stems of the indexed forms one edit away are
        // searched (الاغتيالاث → الاغتيالات, اغتيالا → اغتيال, once).
        let plan = plan_with("الاغتيالاث", MatchMode::Any, DEFAULT_WEIGHTS, &vocabulary);
        assert_eq!(plan.words[0].near_terms, vec!["اغتيال"]);
        // فاغنر and بفاغنر are one stem; the general path (every word required) too.
        let plan = plan_with(
            "فاغنار الاغتيالاث",
            MatchMode::All,
            DEFAULT_WEIGHTS,
            &vocabulary,
        );
        assert_eq!(plan.words[0].near_terms, vec!["فاغنر"]);
        assert_eq!(plan.words[1].near_terms, vec!["اغتيال"]);
        assert_eq!(plan.notes.len(), 2);
    }

    #[test]
    fn no_near_spellings_for_words_found_numbers_and_short_words() {
        let vocabulary = misspellings();
        // In the index (the title counts), a number, a stem of three letters: no near
        // spellings are searched.
        for query in ["كتاب", "فاغنر", "الاغتيالات", "2025", "كتا"] {
            let plan = plan_with(query, MatchMode::Any, DEFAULT_WEIGHTS, &vocabulary);
            assert!(plan.words[0].near_terms.is_empty(), "{query}");
            assert!(plan.notes.is_empty(), "{query}");
        }
        // كتابه: its stem كتاب is indexed, so the near كتاب of the whole form is moot.
        let plan = plan_with("كتابه", MatchMode::Any, DEFAULT_WEIGHTS, &vocabulary);
        assert!(plan.words[0].near_terms.is_empty());
        // Without the weight, no near spellings.
        let off = QueryWeights {
            near: None,
            ..DEFAULT_WEIGHTS
        };
        let plan = plan_with("رودوفيت", MatchMode::Any, off, &vocabulary);
        assert!(plan.words[0].near_terms.is_empty());
    }
}
