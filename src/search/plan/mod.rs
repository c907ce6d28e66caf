//! The plan stage: a parsed query ([`super::parse`]) becomes a tantivy query, each word
//! analysed exactly like the text.
//!
//! - A bare word matches its ranked term (stemmed `text` field) or its title term, plus a
//!   smaller bonus when the exact form matches (`text_exact`), the ranked terms of its
//!   variants ([`crate::analysis::variants`]) and, when the index lacks it, of its near
//!   spellings ([`near`]). One function, [`words`]' `word_clauses`, makes these clauses
//!   for both query paths below. A word that analyses to several terms (CSP-DPA) is a
//!   phrase of them. A stop word counts only when the whole query is stop words (it is
//!   then matched in the exact field).
//! - A quoted phrase matches on positions in the exact field (precise), or in the ranked
//!   field, where clitics are gone (والمرتزقة الروس still matches "المرتزقة الروس").
//! - Several bare words: short queries need all their words, longer ones most of them
//!   (see [`MatchMode`]); a sloppy phrase of the words adds a proximity bonus.
//! - `title:` searches the title only; `outlet:` and `about:` are filters ([`filters`],
//!   which also builds a request's `--outlet`/`--about`/`--from`/`--to`).
//! - A word, run of words or phrase that is, as a whole, an own name of a group
//!   (`Wagner`, `فاجنر`, `Africa Corps`, `الفيلق الأفريقي`, `JNIM`, `CSP-DPA`) is
//!   expanded: its clause becomes "the words as typed OR the group's tag" ([`groups`]).
//!   `--no-expand` turns it off.
//!
//! Two paths: [`MatchMode::Any`] over bare one-term words is one flat disjunction with its
//! bonuses apart ([`flat`], the fast path of batch runs: block-max WAND then rescoring,
//! see [`super::rank`]); everything else is a boolean query tree ([`tree`]).

mod filters;
mod flat;
mod groups;
mod latin;
mod near;
mod tree;
mod types;
mod words;

use std::sync::Arc;

use tantivy::tokenizer::TextAnalyzer;

pub use crate::config::QueryWeights;
pub use filters::{
    date_filter, facet_filter, request_filters, FacetFilter, FacetKind, FacetResolver,
    FilterOrigin, NoFacets,
};
pub use groups::group_query;
pub use tree::Coordination;
pub use types::{MatchMode, QueryFields, QueryPlan, SearchedTerm, TermKind, WordKind, WordPlan};

use super::latin::LatinNames;
use super::parse::{Clause, FieldName, Node, Occur, ParsedQuery};
use super::vocabulary::Vocabulary;
use crate::analysis::clitics::{is_proclitic_letter, ProcliticEvidence, ARTICLE};
use crate::analysis::variants::{variants, Variant, VariantWeights, WordFacts};
use crate::analysis::NameLexicon;
use crate::config::{ExpansionEvidence, GroupWeights, NearLimits, SearchSettings};
use crate::entities::Gazetteer;

/// Builds tantivy queries for one index. Make one with [`QueryBuilder::new`] and the
/// `with_…` methods.
pub struct QueryBuilder<'a> {
    pub fields: QueryFields,
    pub ranked: TextAnalyzer,
    pub exact: TextAnalyzer,
    pub facets: &'a dyn FacetResolver,
    pub match_mode: MatchMode,
    pub weights: QueryWeights,
    pub group_weights: GroupWeights,
    pub near: NearLimits,
    /// Expands words that name a group (None: no expansion).
    pub groups: Option<&'a Gazetteer>,
    /// The index's terms, for words that match nothing (None: no near spellings).
    pub vocabulary: Option<&'a dyn Vocabulary>,
    /// Names typed in Latin letters and their Arabic forms (None: searched as typed only).
    pub latin: Option<&'a LatinNames>,
    /// The name lexicon: a name is kept whole, without variants (empty: none known).
    pub names: Arc<NameLexicon>,
    /// When variants are searched, by the vocabulary's evidence.
    pub expansions: ExpansionEvidence,
    /// When a first letter ب ل ك ف is part of the word (`lexicon.json` →
    /// `proclitic_initial_corpus`), applied to the index's passage counts.
    pub first_letter: ProcliticEvidence,
    /// One word of a top-level `match: auto` run is enough (see [`Coordination`]).
    pub relaxed: bool,
    /// The query being built is one word or phrase (besides filters and exclusions): a
    /// group name there ranks its tag first (`groups.rs`). Set by [`QueryBuilder::build`].
    name_alone: bool,
}

impl<'a> QueryBuilder<'a> {
    /// A builder over `fields` with the `arabic` (`ranked`) and `arabic_exact` (`exact`)
    /// analyzers and the settings of `schema.json` → `search`: `match: auto`, no facets,
    /// no group expansion, no vocabulary (so no near spellings).
    pub fn new(
        fields: QueryFields,
        ranked: TextAnalyzer,
        exact: TextAnalyzer,
        settings: &SearchSettings,
    ) -> QueryBuilder<'a> {
        QueryBuilder {
            fields,
            ranked,
            exact,
            facets: &NoFacets,
            match_mode: MatchMode::Auto,
            weights: settings.weights,
            group_weights: settings.group_weights,
            near: settings.near,
            groups: None,
            vocabulary: None,
            latin: None,
            names: Arc::new(NameLexicon::default()),
            expansions: settings.expansions.clone(),
            first_letter: ProcliticEvidence::default(),
            relaxed: false,
            name_alone: false,
        }
    }

    /// Whether the query is one word or phrase besides filters and exclusions, or an `OR`
    /// of words and phrases that all name one group (`فاغنر OR فاجنر`): a group name there
    /// ranks its tag first, in tiers (`groups.rs`). Each alternative's tag is weighed
    /// over its own clauses' bound and a tagged passage earns every alternative's tag, so
    /// it still ranks above the passages that only hold the names.
    fn name_alone(&self, clauses: &[Clause]) -> bool {
        match one_positive_clause(clauses) {
            Some(Node::Word(_) | Node::Phrase(_)) => true,
            Some(Node::Or(alternatives)) => {
                let Some(groups) = self.groups else {
                    return false;
                };
                let mut named = alternatives.iter().map(|a| match a {
                    Node::Word(w) | Node::Phrase(w) => groups.names_group(w),
                    _ => None,
                });
                let first = named.next().flatten();
                first.is_some() && named.all(|g| g == first)
            }
            _ => false,
        }
    }

    /// Names are kept whole on the query side as the analyzers keep them in the text
    /// (see [`crate::analysis::Analysis::name_lexicon`]).
    pub fn with_names(mut self, names: Arc<NameLexicon>, first_letter: ProcliticEvidence) -> Self {
        self.names = names;
        self.first_letter = first_letter;
        self
    }

    /// Plans the query relaxed: a result needs one word of a top-level `match: auto`
    /// run, not most of them (see [`Coordination`]).
    pub fn with_relaxed(mut self, relaxed: bool) -> Self {
        self.relaxed = relaxed;
        self
    }

    pub fn with_match_mode(mut self, match_mode: MatchMode) -> Self {
        self.match_mode = match_mode;
        self
    }

    /// Other clause weights (evaluation ablations).
    pub fn with_weights(mut self, weights: QueryWeights) -> Self {
        self.weights = weights;
        self
    }

    pub fn with_facets(mut self, facets: &'a dyn FacetResolver) -> Self {
        self.facets = facets;
        self
    }

    pub fn with_groups(mut self, groups: Option<&'a Gazetteer>) -> Self {
        self.groups = groups;
        self
    }

    /// Latin names also search their Arabic forms (see [`super::latin`]).
    pub fn with_latin(mut self, latin: Option<&'a LatinNames>) -> Self {
        self.latin = latin;
        self
    }

    pub fn with_vocabulary(mut self, vocabulary: Option<&'a dyn Vocabulary>) -> Self {
        self.vocabulary = vocabulary;
        self
    }

    /// Builds the query of `parsed`.
    pub fn build(&mut self, parsed: &ParsedQuery) -> QueryPlan {
        let mut plan = QueryPlan::empty();
        if parsed.dropped_words > 0 {
            plan.notes.push(format!(
                "the query is long: {} words past the first {} were ignored",
                parsed.dropped_words,
                super::parse::MAX_WORDS
            ));
        }
        let clauses = self.join_names(&parsed.clauses);
        self.name_alone = self.name_alone(&clauses);
        if let Some((query, bonuses, all_words)) = self.flat_disjunction(&clauses, &mut plan) {
            plan.query = query;
            plan.bonuses = bonuses;
            plan.all_words = all_words;
            plan.has_positive_clause = true;
        } else {
            let only_stop_words = self.only_stop_words(&clauses);
            let (query, positive, _) = self.clauses(&clauses, &mut plan, only_stop_words, true);
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

    /// The variants of a one-term word (see [`crate::analysis::variants`]) with this
    /// builder's weights that the index's evidence supports ([`ExpansionEvidence`]): a
    /// lexicon name has none, a form the index holds far more often than its rest
    /// without the first letter is not read as a proclitic + word (the text side's
    /// rule, [`ProcliticEvidence`]), and a variant far more frequent than the typed word's term is
    /// another word (كيدال is not ك + يدال, the stem of فيدال) unless the typed term is
    /// rare. Without a vocabulary only the lexicon decides.
    pub fn variants(
        &mut self,
        exact: &str,
        ranked: &str,
        written_ta_marbuta: bool,
    ) -> Vec<Variant> {
        let weights = VariantWeights {
            variants: self.weights.variants,
            derived: self.weights.derived,
        };
        let (text, text_exact) = (self.fields.text, self.fields.text_exact);
        let evidence = &self.expansions;
        // Only a first letter that can be a proclitic has another reading to rule out
        // (the index's evidence costs three term lookups).
        let first = exact.chars().next();
        let held_whole = first.is_some_and(is_proclitic_letter)
            && self.vocabulary.is_some_and(|v| {
                let rest = first.map_or("", |c| &exact[c.len_utf8()..]);
                let bare = v.doc_freq(text_exact, rest)
                    + v.doc_freq(text_exact, &format!("{ARTICLE}{rest}"));
                self.first_letter
                    .keeps_first_letter(v.doc_freq(text_exact, exact), bare)
            });
        let facts = WordFacts {
            written_ta_marbuta,
            kept_whole: held_whole,
        };
        let mut found = variants(&mut self.ranked, &self.names, exact, ranked, facts, weights);
        if let Some(vocabulary) = self.vocabulary {
            let typed = vocabulary.doc_freq(text, ranked);
            if typed >= evidence.rare_passages && !found.is_empty() {
                let limit = typed as f64 * evidence.max_variant_ratio;
                found.retain(|v| vocabulary.doc_freq(text, &v.term) as f64 <= limit);
            }
        }
        found
    }
}

/// The one clause of `clauses` that is neither a filter (`outlet:`, `about:`) nor an
/// exclusion (`-…`), if there is exactly one.
fn one_positive_clause(clauses: &[Clause]) -> Option<&Node> {
    let mut positive = clauses.iter().filter(|c| {
        c.occur != Occur::MustNot
            && !matches!(c.node, Node::Field(FieldName::Outlet | FieldName::About, _))
    });
    match (positive.next(), positive.next()) {
        (Some(clause), None) => Some(&clause.node),
        _ => None,
    }
}

#[cfg(test)]
mod tests;
