//! `index-schema/latin-names.json`: the Latin-letter names and transliteration rules
//! (query side only, so not part of the analysis fingerprint).

use serde::{Deserialize, Serialize};

/// `latin-names.json`: names typed in Latin letters, their Arabic spellings, and the
/// transliteration rules for the others (compiled by [`crate::search::latin`]).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LatinNamesConfig {
    #[serde(default)]
    pub about: String,
    /// The weight of a listed name's Arabic forms (relative to the word as typed).
    pub weight: f32,
    pub transliteration: TransliterationConfig,
    pub names: Vec<LatinNameEntry>,
}

/// One name: its Latin spellings and its Arabic spellings.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LatinNameEntry {
    /// place, country, region, person, organisation, agency, people, related.
    pub kind: String,
    pub latin: Vec<String>,
    pub arabic: Vec<String>,
    /// mined, seed or hand (see the file's `about`).
    pub source: String,
}

/// The transliteration fallback (see the `about` of `latin-names.json`).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TransliterationConfig {
    #[serde(default)]
    pub about: String,
    pub min_letters: usize,
    pub max_cost: u32,
    pub max_candidates: usize,
    pub max_forms: usize,
    pub article_cost: u32,
    /// A candidate one cost step dearer must be this many times more frequent in the
    /// index to rank above a cheaper one; one ranked this far below the best is dropped.
    pub cost_factor: f64,
    pub weight: f32,
    pub rules: Vec<TransliterationRule>,
}

/// One rule: Latin letters, where in the word they apply, and the Arabic spellings they
/// may stand for, the cheapest first.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct TransliterationRule {
    pub latin: String,
    pub at: RulePlace,
    pub arabic: Vec<String>,
}

/// Where in a word a transliteration rule applies.
#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum RulePlace {
    Start,
    Middle,
    End,
    Any,
}
