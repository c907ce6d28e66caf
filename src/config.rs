//! The index definition as data: `index-schema/schema.json` (analyzers, stemmer settings,
//! fields, passages, and the query-time `search` settings), `index-schema/lexicon.json`
//! (names, stop words, guard lists), `outlets.json` (outlet aliases) and `entities.json`
//! (the groups: names, related names, weights, strength levels), `boilerplate.json` (each
//! outlet's templates) and `stories.json` (how copies of one story are found).
//!
//! The files are compiled into the binary, so akhbar works from any directory;
//! `--schema DIR` reads them from another directory instead. This module only reads and
//! checks them; it depends on no other part of akhbar.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use checks::{check_entities, check_fields, check_search};

mod checks;
pub mod latin;
pub mod search;
pub mod stories;

pub use latin::{
    LatinNameEntry, LatinNamesConfig, RulePlace, TransliterationConfig, TransliterationRule,
};
pub use search::{ExpansionEvidence, GroupWeights, NearLimits, QueryWeights, SearchSettings};
pub use stories::{BoilerplateConfig, OutletBoilerplate, StorySettings};

/// The compiled-in schema files.
pub const DEFAULT_SCHEMA_JSON: &str = include_str!("../index-schema/schema.json");
/// The compiled-in lexicon.
pub const DEFAULT_LEXICON_JSON: &str = include_str!("../index-schema/lexicon.json");
/// The compiled-in outlet alias table.
pub const DEFAULT_OUTLETS_JSON: &str = include_str!("../index-schema/outlets.json");
/// The compiled-in gazetteer of the four groups.
pub const DEFAULT_ENTITIES_JSON: &str = include_str!("../index-schema/entities.json");
/// The compiled-in Latin name list (query side only: not part of the analysis).
pub const DEFAULT_LATIN_JSON: &str = include_str!("../index-schema/latin-names.json");

/// Errors reading or checking the schema files.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{what} is not valid: {source}")]
    Parse {
        what: String,
        source: serde_json::Error,
    },
    #[error("{0}")]
    Invalid(String),
}

/// `schema.json`.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SchemaConfig {
    /// Bumped when the meaning of the fields or analysis changes incompatibly.
    pub schema_version: u32,
    /// Named analyzers, registered in tantivy under these names.
    pub analyzers: BTreeMap<String, AnalyzerSettings>,
    pub stemmer: StemmerSettings,
    /// Words longer than this (in normalised characters) are not indexed.
    pub max_token_chars: usize,
    /// The fields of a passage document.
    pub fields: FieldsConfig,
    /// How articles are cut into passages.
    pub passages: PassageSettings,
    /// How stored text is compressed.
    pub docstore: DocstoreSettings,
    /// How the index is searched (query-time: not part of the analysis fingerprint).
    pub search: SearchSettings,
}

/// `schema.json` → `fields`: the tantivy schema as data.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldsConfig {
    #[serde(default)]
    pub about: String,
    pub list: Vec<FieldDef>,
}

/// One field of a passage document.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct FieldDef {
    pub name: String,
    pub kind: FieldKind,
    /// For `text`: the analyzer (a key of `analyzers`).
    #[serde(default)]
    pub analyzer: Option<String>,
    /// For `text`: index positions (phrase queries).
    #[serde(default)]
    pub positions: bool,
    /// Searchable (`raw`, `u64`, `date`; `text` and `facet` always are).
    #[serde(default = "yes")]
    pub indexed: bool,
    #[serde(default)]
    pub stored: bool,
    /// Column-oriented fast field (sorting, filtering, collapsing).
    #[serde(default)]
    pub fast: bool,
}

fn yes() -> bool {
    true
}

/// The kinds of field a passage document can have.
#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum FieldKind {
    /// One untokenised term.
    Raw,
    /// Analysed text.
    Text,
    U64,
    Date,
    Facet,
}

/// `schema.json` → `passages`.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct PassageSettings {
    #[serde(default)]
    pub about: String,
    /// Paragraphs longer than this (UTF-8 bytes) are cut at sentence ends.
    pub max_bytes: usize,
    /// Lines shorter than this are merged with a neighbour.
    pub min_bytes: usize,
}

/// `schema.json` → `docstore`.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct DocstoreSettings {
    /// `zstd`, `lz4` or `none`.
    pub compression: String,
    /// zstd level.
    #[serde(default)]
    pub level: Option<i32>,
    /// Size of a compressed block of stored documents.
    pub block_bytes: usize,
}

/// `outlets.json`: canonical outlet names and their aliases.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutletsConfig {
    #[serde(default)]
    pub about: String,
    /// Canonical name → aliases (Arabic and Latin spellings, domains, source identifiers).
    pub outlets: BTreeMap<String, Vec<String>>,
}

/// `entities.json`: the groups passages are tagged with (see [`crate::entities`]).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EntitiesConfig {
    #[serde(default)]
    pub about: String,
    /// A passage is tagged with a group named only by related names when their weights
    /// add up to this.
    pub tag_threshold: f32,
    /// How much more a mention in the article's title counts towards a passage's strength.
    pub title_factor: f32,
    /// The strength levels an own-named passage is marked with (`group_terms`).
    pub strength_levels: StrengthLevels,
    /// In this order: a group's position is its bit in the search's facet counts.
    pub groups: Vec<GroupEntry>,
    /// Shared cue word lists that sense rules name as `@name` (see [`crate::analysis::senses`]).
    #[serde(default)]
    pub cue_sets: BTreeMap<String, Vec<String>>,
    /// Words indexed by sense, decided per mention (مالي: Mali or "financial").
    #[serde(default)]
    pub senses: Vec<crate::analysis::senses::SenseRuleConfig>,
}

/// `entities.json` → `strength_levels`.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StrengthLevels {
    #[serde(default)]
    pub about: String,
    /// Increasing strengths; a passage reaching one gets the term `<id>/<level>`.
    pub levels: Vec<u32>,
}

/// At most this many groups: each is one bit of a facet count.
pub const MAX_GROUPS: usize = 32;

/// One group of `entities.json`.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupEntry {
    /// `wagner`, `africa-corps`, … (the facet `/group/<id>`).
    pub id: String,
    /// Display names by language (`ar`, `en`, `fr`).
    pub display: BTreeMap<String, String>,
    /// The group's own names, in any script (weight 1).
    pub names: Vec<String>,
    /// Weaker evidence: predecessor, successor, descriptive references.
    #[serde(default)]
    pub related: Vec<RelatedName>,
    /// Sequences that look like a name of the group but are not.
    #[serde(default)]
    pub exclude: Vec<String>,
    /// Names decided per mention: a bare فاغنر is the group or a footballer.
    #[serde(default)]
    pub ambiguous: Vec<crate::analysis::senses::SenseRuleConfig>,
    /// When the group was founded (`YYYY-MM-DD`): an article from before (or, undated,
    /// whose latest year written is before that year) is not tagged through related
    /// names alone: its forerunners and leader predate it (Ansar Dine, Iyad Ag Ghaly
    /// before JNIM).
    #[serde(default)]
    pub founded: Option<String>,
}

/// A related name and its weight (below 1).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RelatedName {
    pub name: String,
    pub weight: f32,
    #[serde(default)]
    pub note: String,
}

/// Which steps one named analyzer runs after segmentation and normalisation.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct AnalyzerSettings {
    #[serde(default)]
    pub description: String,
    /// Lexicon names: compounds joined, proclitics removed, spellings folded to one form.
    pub names: bool,
    /// How far the ج/غ folding of the g sound reaches.
    pub g_folding: GFolding,
    /// Drop stop words (positions are kept).
    pub stopwords: bool,
    /// Light stemming.
    pub stemming: bool,
    /// The stemmer's guards: protected names keep their suffixes, words that truly begin
    /// with و keep it.
    pub stem_guards: bool,
}

/// How far ج/غ (the g of foreign names) is folded.
#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum GFolding {
    /// Only the spellings the lexicon lists.
    None,
    /// Lexicon names in both spellings, and words with a foreign ending (-burg, -gram, -logy).
    Lexicon,
    /// Every ج becomes غ (merges native words such as جرب/غرب: for measurement).
    Everywhere,
}

/// Light stemming (light10-style) settings.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct StemmerSettings {
    /// Article and proclitic combinations, tried longest first; one is removed.
    pub prefixes: Vec<String>,
    pub min_stem_after_prefix: usize,
    /// Strip a single و when no article prefix matched.
    pub waw_prefix: bool,
    pub min_stem_after_waw: usize,
    /// Single-letter proclitics (ب ل ك ف) glued to a word without the article: one is
    /// removed (after a و, if any) unless the word is a name or begins with a word of
    /// the lexicon's `proclitic_initial` list.
    #[serde(default)]
    pub single_proclitics: Vec<String>,
    #[serde(default = "default_min_stem_after_single_proclitic")]
    pub min_stem_after_single_proclitic: usize,
    /// Enclitic pronouns, tried longest first before the suffix list; one is removed.
    #[serde(default)]
    pub pronoun_suffixes: Vec<String>,
    #[serde(default = "default_min_stem_after_pronoun")]
    pub min_stem_after_pronoun: usize,
    /// After a pronoun, a final ت is the bound form of ة (قصيدته → قصيد, like قصيدة):
    /// removed if `min_stem_after_pronoun` letters remain.
    #[serde(default)]
    pub bound_ta: bool,
    /// Suffixes, each removed once, in this order.
    pub suffixes: Vec<String>,
    pub min_stem_after_suffix: usize,
    /// Number and gender endings among `suffixes` (ان ات ون ين ية), and ة for a ه written
    /// as ta marbuta: with the stemming guards on, removing one must leave
    /// `min_stem_after_number_suffix` letters (سكان is not سك + ان, سنة not سن + ة), where
    /// a pronoun ه may leave `min_stem_after_suffix` (دمه → دم).
    #[serde(default)]
    pub number_suffixes: Vec<String>,
    #[serde(default = "default_min_stem_after_number_suffix")]
    pub min_stem_after_number_suffix: usize,
}

fn default_min_stem_after_number_suffix() -> usize {
    3
}

fn default_min_stem_after_single_proclitic() -> usize {
    3
}

fn default_min_stem_after_pronoun() -> usize {
    3
}

/// `lexicon.json`.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LexiconConfig {
    #[serde(default)]
    pub about: String,
    pub names: Vec<NameEntry>,
    pub g_folding_patterns: GPatterns,
    pub waw_initial: WordList,
    /// Words that truly begin with ب ل ك ف (never stripped as a proclitic).
    #[serde(default)]
    pub proclitic_initial: WordList,
    /// The same, found by corpus evidence ([`crate::analysis::clitics::ProcliticEvidence`]).
    #[serde(default)]
    pub proclitic_initial_corpus: CorpusWordList,
    pub stopwords: StopwordLists,
}

/// A word list generated from a corpus by a rule, with the rule's thresholds.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CorpusWordList {
    #[serde(default)]
    pub about: String,
    /// The rule's thresholds (also what the query side applies to the index).
    pub evidence: crate::analysis::clitics::ProcliticEvidence,
    pub words: Vec<String>,
}

/// One name and all its spellings; the first is the canonical one.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NameEntry {
    pub kind: String,
    pub spellings: Vec<String>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GPatterns {
    #[serde(default)]
    pub about: String,
    pub suffixes: Vec<String>,
    pub min_stem: usize,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WordList {
    #[serde(default)]
    pub about: String,
    pub words: Vec<String>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StopwordLists {
    #[serde(default)]
    pub about: String,
    pub arabic: Vec<String>,
    pub english: Vec<String>,
    pub french: Vec<String>,
}

/// Everything read from `index-schema/`.
#[derive(Clone, Debug)]
pub struct Config {
    pub schema: SchemaConfig,
    pub lexicon: LexiconConfig,
    /// The outlet alias table (`outlets.json`).
    pub outlets: OutletsConfig,
    /// The gazetteer of groups (`entities.json`).
    pub entities: EntitiesConfig,
    /// Names typed in Latin letters and their Arabic spellings (`latin-names.json`, read
    /// by [`crate::search::latin`]; query side only, so not in the fingerprint).
    pub latin: LatinNamesConfig,
    /// A fingerprint of the outlet table, recorded in every index (the outlet facet
    /// values depend on it).
    pub outlets_fingerprint: String,
    /// Each outlet's templates (`boilerplate.json`) and its fingerprint (recorded in
    /// every index: other templates, other passages).
    pub boilerplate: BoilerplateConfig,
    pub boilerplate_fingerprint: String,
    /// How copies of one story are found (`stories.json`) and its fingerprint (recorded
    /// in every index: other settings, other stories).
    pub stories: StorySettings,
    pub stories_fingerprint: String,
    /// What the analysis fingerprint covers of the definition files (`schema.json`,
    /// `lexicon.json`, `entities.json`, see [`search::fingerprinted`]); the fingerprint
    /// itself, with the analysis code version, is `analysis::fingerprint`.
    pub fingerprinted: Vec<String>,
}

impl Config {
    /// The definition compiled into the binary.
    pub fn builtin() -> Config {
        Self::from_json(DEFAULT_SCHEMA_JSON, DEFAULT_LEXICON_JSON)
            .expect("the compiled-in index-schema files are valid (checked by tests)")
    }

    /// Reads `schema.json` and `lexicon.json` from a directory (and `outlets.json`,
    /// `entities.json`, `latin-names.json`, `boilerplate.json`, `stories.json` and
    /// `story-templates.json` when present there; else the built-in ones).
    pub fn from_dir(dir: &Path) -> Result<Config, ConfigError> {
        let read = |name: &str| {
            let path = dir.join(name);
            fs::read_to_string(&path).map_err(|source| ConfigError::Read { path, source })
        };
        let outlets_path = dir.join("outlets.json");
        let outlets = if outlets_path.exists() {
            read("outlets.json")?
        } else {
            DEFAULT_OUTLETS_JSON.to_string()
        };
        let entities = if dir.join("entities.json").exists() {
            read("entities.json")?
        } else {
            DEFAULT_ENTITIES_JSON.to_string()
        };
        let mut config = Self::from_json_all(
            &read("schema.json")?,
            &read("lexicon.json")?,
            &outlets,
            &entities,
        )?;
        if dir.join("latin-names.json").exists() {
            config.latin = parse_latin(&read("latin-names.json")?)?;
        }
        if dir.join("boilerplate.json").exists() {
            let json = read("boilerplate.json")?;
            config.boilerplate = BoilerplateConfig::from_json(&json)?;
            config.boilerplate_fingerprint = stories::file_fingerprint(&json);
        }
        let stories_json = match dir.join("stories.json").exists() {
            true => read("stories.json")?,
            false => stories::DEFAULT_STORIES_JSON.to_string(),
        };
        config.stories = StorySettings::from_json(&stories_json)?;
        let templates_json = match dir.join("story-templates.json").exists() {
            true => {
                let json = read("story-templates.json")?;
                config.stories = config.stories.with_templates(&json)?;
                json
            }
            // The compiled-in list, parsed when an article is first signed.
            false => stories::DEFAULT_TEMPLATES_JSON.to_string(),
        };
        config.stories_fingerprint = stories::stories_fingerprint(&stories_json, &templates_json);
        Ok(config)
    }

    /// `--schema DIR` if given, else the built-in definition.
    pub fn load(dir: Option<&Path>) -> Result<Config, ConfigError> {
        match dir {
            Some(dir) => Self::from_dir(dir),
            None => Ok(Self::builtin()),
        }
    }

    /// Parses and checks both files (with the built-in outlet table).
    pub fn from_json(schema_json: &str, lexicon_json: &str) -> Result<Config, ConfigError> {
        Self::from_json_with_outlets(schema_json, lexicon_json, DEFAULT_OUTLETS_JSON)
    }

    /// Parses and checks the three files (with the built-in gazetteer).
    pub fn from_json_with_outlets(
        schema_json: &str,
        lexicon_json: &str,
        outlets_json: &str,
    ) -> Result<Config, ConfigError> {
        Self::from_json_all(
            schema_json,
            lexicon_json,
            outlets_json,
            DEFAULT_ENTITIES_JSON,
        )
    }

    /// Parses and checks the four files.
    pub fn from_json_all(
        schema_json: &str,
        lexicon_json: &str,
        outlets_json: &str,
        entities_json: &str,
    ) -> Result<Config, ConfigError> {
        let entities: EntitiesConfig =
            serde_json::from_str(entities_json).map_err(|source| ConfigError::Parse {
                what: "entities.json".into(),
                source,
            })?;
        check_entities(&entities)?;
        let outlets: OutletsConfig =
            serde_json::from_str(outlets_json).map_err(|source| ConfigError::Parse {
                what: "outlets.json".into(),
                source,
            })?;
        let schema: SchemaConfig =
            serde_json::from_str(schema_json).map_err(|source| ConfigError::Parse {
                what: "schema.json".into(),
                source,
            })?;
        let lexicon: LexiconConfig =
            serde_json::from_str(lexicon_json).map_err(|source| ConfigError::Parse {
                what: "lexicon.json".into(),
                source,
            })?;
        for required in ["arabic", "arabic_exact"] {
            if !schema.analyzers.contains_key(required) {
                return Err(ConfigError::Invalid(format!(
                    "schema.json defines no `{required}` analyzer"
                )));
            }
        }
        if schema.max_token_chars == 0 {
            return Err(ConfigError::Invalid(
                "schema.json: max_token_chars must be at least 1".into(),
            ));
        }
        if let Some(bad) = lexicon.names.iter().find(|n| n.spellings.is_empty()) {
            return Err(ConfigError::Invalid(format!(
                "lexicon.json: a `{}` name has no spellings",
                bad.kind
            )));
        }
        check_fields(&schema)?;
        check_search(&schema.search)?;
        // The gazetteer decides the group tags written into the index, so it is part of
        // the analysis definition; the query-time settings are not, nor how stored
        // documents are compressed (`docstore`: each segment records its own, and a
        // merge rewrites old segments with the current one). Strength levels other
        // than the ones the analysis code had built in (before they were data) count too.
        let mut fingerprinted = vec![
            search::fingerprinted(schema_json, &["search", "docstore"]).unwrap_or_default(),
            lexicon_json.to_string(),
            search::fingerprinted(entities_json, &["strength_levels"]).unwrap_or_default(),
        ];
        if entities.strength_levels.levels != BUILT_IN_STRENGTH_LEVELS {
            fingerprinted.push(format!(
                "strength_levels {:?}",
                entities.strength_levels.levels
            ));
        }
        let outlets_fingerprint = fingerprint_of(&[outlets_json]);
        Ok(Config {
            schema,
            lexicon,
            outlets,
            entities,
            latin: parse_latin(DEFAULT_LATIN_JSON)?,
            outlets_fingerprint,
            boilerplate: BoilerplateConfig::from_json(stories::DEFAULT_BOILERPLATE_JSON)?,
            boilerplate_fingerprint: stories::file_fingerprint(stories::DEFAULT_BOILERPLATE_JSON),
            stories: StorySettings::from_json(stories::DEFAULT_STORIES_JSON)?,
            stories_fingerprint: stories::stories_fingerprint(
                stories::DEFAULT_STORIES_JSON,
                stories::DEFAULT_TEMPLATES_JSON,
            ),
            fingerprinted,
        })
    }
}

/// Parses `latin-names.json`.
fn parse_latin(json: &str) -> Result<LatinNamesConfig, ConfigError> {
    serde_json::from_str(json).map_err(|source| ConfigError::Parse {
        what: "latin-names.json".into(),
        source,
    })
}

/// The strength levels of analysis code version 3, when they were a constant in code:
/// indexes built with them carry no mention of them in their fingerprint.
const BUILT_IN_STRENGTH_LEVELS: [u32; 4] = [2, 3, 5, 8];

/// A short stable hash of some texts, after a prefix (a code version, or nothing).
pub fn fingerprint_of<S: AsRef<str>>(parts: &[S]) -> String {
    fingerprint_with("", parts)
}

/// A short stable hash of `prefix` and some texts.
pub fn fingerprint_with<S: AsRef<str>>(prefix: &str, parts: &[S]) -> String {
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    hasher.update(prefix.as_bytes());
    for part in parts {
        hasher.update(part.as_ref().as_bytes());
        hasher.update(&[0]);
    }
    format!("{:016x}", hasher.digest())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_files_parse() {
        let config = Config::builtin();
        assert!(config.schema.analyzers.contains_key("arabic"));
        assert!(config.schema.analyzers.contains_key("arabic_exact"));
        assert!(!config.lexicon.names.is_empty());
        assert_eq!(crate::analysis::fingerprint(&config).len(), 16);
    }

    #[test]
    fn unknown_field_is_reported() {
        let bad = DEFAULT_SCHEMA_JSON.replacen("\"schema_version\"", "\"shema_version\"", 1);
        let err = Config::from_json(&bad, DEFAULT_LEXICON_JSON).unwrap_err();
        assert!(err.to_string().contains("schema.json"), "{err}");
    }

    #[test]
    fn missing_analyzer_is_reported() {
        let bad = DEFAULT_SCHEMA_JSON.replacen("\"arabic_exact\"", "\"other\"", 1);
        let err = Config::from_json(&bad, DEFAULT_LEXICON_JSON).unwrap_err();
        assert!(err.to_string().contains("arabic_exact"), "{err}");
    }

    #[test]
    fn fingerprint_changes_with_the_definition() {
        let a = Config::builtin();
        let other = DEFAULT_LEXICON_JSON.replacen("\"مالي\"", "\"مالى\"", 1);
        let b = Config::from_json(DEFAULT_SCHEMA_JSON, &other).unwrap();
        assert_ne!(
            crate::analysis::fingerprint(&a),
            crate::analysis::fingerprint(&b)
        );
    }

    #[test]
    fn fingerprint_ignores_the_search_settings_but_not_the_strength_levels() {
        let fingerprint = |schema: &str, entities: &str| {
            let config =
                Config::from_json_all(schema, DEFAULT_LEXICON_JSON, DEFAULT_OUTLETS_JSON, entities)
                    .unwrap();
            crate::analysis::fingerprint(&config)
        };
        let builtin = fingerprint(DEFAULT_SCHEMA_JSON, DEFAULT_ENTITIES_JSON);
        let title = DEFAULT_SCHEMA_JSON.replacen("\"title\": 1.5", "\"title\": 2.5", 1);
        assert_ne!(title, DEFAULT_SCHEMA_JSON);
        assert_eq!(fingerprint(&title, DEFAULT_ENTITIES_JSON), builtin);
        // The levels as written, on one line or several: `"levels": [` up to its `]`.
        let start = DEFAULT_ENTITIES_JSON.find("\"levels\": [").unwrap();
        let end = start + DEFAULT_ENTITIES_JSON[start..].find(']').unwrap() + 1;
        let mut levels = DEFAULT_ENTITIES_JSON.to_string();
        levels.replace_range(start..end, "\"levels\": [2, 4]");
        assert_ne!(levels, DEFAULT_ENTITIES_JSON);
        assert_ne!(fingerprint(DEFAULT_SCHEMA_JSON, &levels), builtin);
    }

    #[test]
    fn fingerprint_ignores_the_docstore() {
        let start = DEFAULT_SCHEMA_JSON.find("\"docstore\": {").unwrap();
        let end = start + DEFAULT_SCHEMA_JSON[start..].find('}').unwrap() + 1;
        let mut lz4 = DEFAULT_SCHEMA_JSON.to_string();
        lz4.replace_range(
            start..end,
            r#""docstore": {"compression": "lz4", "block_bytes": 65536}"#,
        );
        let other = Config::from_json(&lz4, DEFAULT_LEXICON_JSON).unwrap();
        assert_eq!(other.schema.docstore.compression, "lz4");
        assert_eq!(
            crate::analysis::fingerprint(&other),
            crate::analysis::fingerprint(&Config::builtin())
        );
    }
}
