//! The types of the plan stage: the fields a query is built on, how many words must
//! match, what each typed word became, and the built plan.

use rustc_hash::FxHashSet;
use serde::{Deserialize, Serialize};
use tantivy::query::{BoostQuery, PhraseQuery, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::Term;

use crate::search::rank::AllWords;

/// Analysed terms with their positions.
pub(crate) type Terms = Vec<(usize, String)>;

/// How many of several bare words must match.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MatchMode {
    /// Up to two words: all; three or four: all but one; more: 60 % (rounded up). The
    /// results with more of the words rank first; when nothing has that many, one word
    /// is enough and the response says so (see [`super::Coordination`]).
    #[default]
    Auto,
    /// Any word (pure ranking; what long natural-language questions need).
    Any,
    /// Every word.
    All,
}

impl MatchMode {
    pub(crate) fn minimum(self, n: usize) -> usize {
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
    /// The article's whole body, when the index has it (`search.weights.article`).
    pub article: Option<Field>,
}

impl QueryFields {
    /// The name a word clause's field is listed under in its plan (`SearchedTerm::field`):
    /// `text_exact`, `title`, else `text`.
    pub fn clause_field_name(&self, field: Field) -> &'static str {
        match field {
            x if x == self.text_exact => "text_exact",
            x if x == self.title => "title",
            _ => "text",
        }
    }

    /// The field of a word clause listed under `name` ([`Self::clause_field_name`]); none
    /// for the other names (`group_terms`, `article`).
    pub fn clause_field(&self, name: &str) -> Option<Field> {
        match name {
            "text" => Some(self.text),
            "text_exact" => Some(self.text_exact),
            "title" => Some(self.title),
            _ => None,
        }
    }
}

/// What a typed word or phrase is (serialised as `"word"`, `"phrase"`, `"title"`,
/// `"outlet"`, `"about"`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum WordKind {
    Word,
    Phrase,
    /// `title:` a word or phrase.
    Title,
    /// `outlet:NAME`.
    Outlet,
    /// `about:GROUP`.
    About,
    /// An Arabic form of a listed Latin name (see [`crate::search::latin`]).
    #[serde(rename = "latin-name")]
    LatinName,
    /// A transliteration of a Latin word the list lacks.
    Transliteration,
}

impl WordKind {
    pub fn as_str(self) -> &'static str {
        match self {
            WordKind::Word => "word",
            WordKind::Phrase => "phrase",
            WordKind::Title => "title",
            WordKind::Outlet => "outlet",
            WordKind::About => "about",
            WordKind::LatinName => "latin-name",
            WordKind::Transliteration => "transliteration",
        }
    }
}

impl std::fmt::Display for WordKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(self.as_str())
    }
}

/// Why a term was searched for a typed word (serialised as `"stem"`, `"exact"`,
/// `"name"`, `"title"`, `"segmentation"`, `"person"`, `"pattern"`, `"near-spelling"`,
/// `"group"`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TermKind {
    /// The word's ranked (stemmed) term, in the passage text.
    Stem,
    /// The word's exact form (`text_exact`).
    Exact,
    /// The ranked term of a lexicon name, kept whole.
    Name,
    /// The ranked term in the title.
    Title,
    /// The ranked term in the article's whole body (`article`): a bonus for the article.
    Article,
    /// Another segmentation: the article added or removed, a one-letter proclitic
    /// removed, a dual of a word in ة as that word.
    Segmentation,
    /// An imperfect verb's other person (يشير / تشير).
    Person,
    /// The verbal-noun pattern (اعترض / اعتراض).
    Pattern,
    /// An indexed form one edit away, for a word the index lacks.
    NearSpelling,
    /// The tag of the group the word names (`group_terms`).
    Group,
}

impl TermKind {
    pub fn as_str(self) -> &'static str {
        match self {
            TermKind::Stem => "stem",
            TermKind::Exact => "exact",
            TermKind::Name => "name",
            TermKind::Title => "title",
            TermKind::Article => "article",
            TermKind::Segmentation => "segmentation",
            TermKind::Person => "person",
            TermKind::Pattern => "pattern",
            TermKind::NearSpelling => "near-spelling",
            TermKind::Group => "group",
        }
    }
}

impl std::fmt::Display for TermKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(self.as_str())
    }
}

/// One term a typed word searched: what it is, the field and the weight its clause has
/// relative to the word's stem in the passage text (1).
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct SearchedTerm {
    pub term: String,
    pub kind: TermKind,
    pub field: &'static str,
    pub weight: f32,
}

/// What one typed word or phrase became (for `--explain` and the JSON output).
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct WordPlan {
    /// As typed.
    pub input: String,
    pub kind: WordKind,
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
    /// For a word indexed by sense (مالي, الساحل): which sense each term is searched in.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub senses: Vec<String>,
    /// Every term the word searched, with its kind, field and weight.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub searched: Vec<SearchedTerm>,
}

impl WordPlan {
    /// The entry of `input` of this kind, with its terms.
    pub(crate) fn new(
        input: String,
        kind: WordKind,
        ranked_terms: Vec<String>,
        exact_terms: Vec<String>,
    ) -> WordPlan {
        WordPlan {
            input,
            kind,
            ranked_terms,
            exact_terms,
            facets: Vec::new(),
            ignored: None,
            group: None,
            near_terms: Vec::new(),
            latin: None,
            senses: Vec::new(),
            searched: Vec::new(),
        }
    }

    /// Records a searched term (once per term, kind and field).
    pub(crate) fn record(&mut self, term: &str, kind: TermKind, field: &'static str, weight: f32) {
        let entry = SearchedTerm {
            term: term.to_string(),
            kind,
            field,
            weight,
        };
        if !self.searched.contains(&entry) {
            self.searched.push(entry);
        }
    }
}

/// A built query and what went into it.
pub struct QueryPlan {
    pub query: Box<dyn Query>,
    /// Bonus clauses scored apart on the top candidates of `query` (see
    /// [`crate::search::rank`]); the ranking is `query` plus the bonuses. Empty: `query`
    /// is whole.
    pub bonuses: Vec<Box<dyn Query>>,
    /// With bonuses: the passages with every word, as more candidates (see
    /// [`crate::search::rank`]).
    pub all_words: Option<AllWords>,
    /// The article clauses: each positive word's ranked term in the `article` field at
    /// `search.weights.article`, scored on each candidate's article
    /// ([`crate::search::rank::fusion`]). Empty: articles rank by their best passage.
    pub article: Vec<Box<dyn Query>>,
    pub words: Vec<WordPlan>,
    /// Terms to highlight in passages analysed with `arabic` / `arabic_exact`.
    pub ranked_highlights: FxHashSet<String>,
    pub exact_highlights: FxHashSet<String>,
    /// Remarks for the user (ignored words, unknown outlets…).
    pub notes: Vec<String>,
    /// False when nothing in the query can match: only exclusions, or nothing at all.
    pub has_positive_clause: bool,
    /// A top-level `match: auto` run of words ranked by how many of them match.
    pub coordination: Option<super::tree::Coordination>,
    /// Whether the query can be planned again relaxed (one word of the run enough) when
    /// nothing matches it (see [`super::tree::Coordination`]).
    pub relaxable: bool,
}

impl QueryPlan {
    pub(crate) fn empty() -> QueryPlan {
        QueryPlan {
            query: Box::new(tantivy::query::EmptyQuery),
            bonuses: Vec::new(),
            all_words: None,
            article: Vec::new(),
            words: Vec::new(),
            ranked_highlights: FxHashSet::default(),
            exact_highlights: FxHashSet::default(),
            notes: Vec::new(),
            has_positive_clause: false,
            coordination: None,
            relaxable: false,
        }
    }
}

/// One built node of the query tree.
pub(crate) struct BuiltNode {
    pub query: Box<dyn Query>,
    /// A content clause, counted for the minimum-match rule.
    pub counts: bool,
    /// A filter (`outlet:`, `about:`, or an `OR`/group of filters only): it restricts
    /// the result set and never counts toward the words that must match.
    pub filter: Option<FilterSet>,
}

impl BuiltNode {
    /// A content node (a word, phrase, `title:`, `OR` or group with words).
    pub fn content(query: Box<dyn Query>) -> BuiltNode {
        BuiltNode {
            query,
            counts: true,
            filter: None,
        }
    }
}

/// What a filter node is on: values of one facet in one clause list combine as "any of
/// them" (an article has one outlet), different facets as "all of them".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum FilterSet {
    Outlet,
    Group,
    /// An `OR` or parenthesised group of filters: one filter of its own.
    Mixed,
}

pub(crate) fn boosted(query: Box<dyn Query>, boost: f32) -> Box<dyn Query> {
    Box::new(BoostQuery::new(query, boost))
}

/// A term query for one term, a phrase (with the analyzer's position gaps) for several.
pub(crate) fn terms_query(field: Field, terms: &[(usize, String)], slop: u32) -> Box<dyn Query> {
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
