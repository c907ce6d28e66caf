//! Arabic analysis as tantivy tokenizers.
//!
//! One chain, configured per named analyzer by `index-schema/schema.json`:
//!
//! ```text
//! ArabicTokenizer      segmentation (UAX #29) + normalisation, offsets as written
//!   → NameFilter       lexicon names: compounds joined, proclitics off, spellings folded
//!   → StopWordFilter   function words dropped, positions kept      (arabic only)
//!   → LightStemFilter  light10-style stemming with guards           (arabic only)
//! ```
//!
//! Each step is its own module with its tests at the bottom. Every variant of a word is
//! folded to one canonical term at one position, because tantivy's query parser turns
//! several tokens for one query word into a phrase.

use std::collections::BTreeMap;
use std::sync::Arc;

use anyhow::Context;
use tantivy::tokenizer::{TextAnalyzer, TokenFilter, TokenizerManager};

use crate::config::{AnalyzerSettings, Config, GFolding};

pub mod baselines;
pub mod clitics;
pub mod names;
pub mod normalize;
pub mod sense_terms;
pub mod senses;
pub mod shared;
pub mod stem;
pub mod stem_filter;
mod stem_sets;
pub mod stopwords;
pub mod tokenizer;
pub mod variants;
pub mod wordfilter;

pub use names::{NameFilter, NameLexicon};
pub use stem::LightStemmer;
pub use stem_filter::LightStemFilter;
pub use stopwords::StopWordFilter;
pub use tokenizer::ArabicTokenizer;

/// Bumped whenever the analysis code changes what terms it produces.
pub const ANALYSIS_CODE_VERSION: &str = "akhbar-analysis-6";

/// The analysis fingerprint recorded in every index, so an index built with other rules
/// is recognised: a hash of [`ANALYSIS_CODE_VERSION`] and of what the definition files
/// hold that decides the indexed terms and tags ([`Config::fingerprinted`]).
pub fn fingerprint(config: &Config) -> String {
    crate::config::fingerprint_with(ANALYSIS_CODE_VERSION, &config.fingerprinted)
}

/// The analyzers of one [`Config`], ready to register in tantivy.
#[derive(Clone)]
pub struct Analysis {
    analyzers: BTreeMap<String, TextAnalyzer>,
    /// The same analyzers deciding senses as for a query (see [`sense_terms`]).
    query_analyzers: BTreeMap<String, TextAnalyzer>,
    senses: Option<Arc<sense_terms::SensePass>>,
    /// The compiled name lexicon the analyzers keep names whole by.
    names: Arc<NameLexicon>,
}

impl Analysis {
    /// Compiles the lexicon and builds every analyzer the schema names.
    pub fn new(config: &Config) -> anyhow::Result<Analysis> {
        let wants_g_variants = config
            .schema
            .analyzers
            .values()
            .any(|a| a.g_folding != GFolding::None);
        let names = Arc::new(NameLexicon::new(&config.lexicon, wants_g_variants));
        let names_plain = if wants_g_variants {
            Arc::new(NameLexicon::new(&config.lexicon, false))
        } else {
            names.clone()
        };
        let stopwords = Arc::new(stopwords::stopword_set(&config.lexicon.stopwords));
        let senses = sense_pass(config, names.clone())?;
        let query_senses = senses.as_ref().map(|p| Arc::new(p.for_queries()));
        let mut analyzers = BTreeMap::new();
        let mut query_analyzers = BTreeMap::new();
        for (name, settings) in &config.schema.analyzers {
            let lexicon = if settings.g_folding == GFolding::None {
                names_plain.clone()
            } else {
                names.clone()
            };
            for (map, pass) in [
                (&mut analyzers, &senses),
                (&mut query_analyzers, &query_senses),
            ] {
                let analyzer =
                    build_analyzer(config, settings, lexicon.clone(), stopwords.clone(), pass)
                        .with_context(|| format!("building analyzer `{name}`"))?;
                map.insert(name.clone(), analyzer);
            }
        }
        Ok(Analysis {
            analyzers,
            query_analyzers,
            senses,
            names,
        })
    }

    /// A fresh copy of the named analyzer as queries use it: a sense word without cues
    /// (a bare `مالي`) is searched in its rule's `query` sense.
    pub fn query_analyzer(&self, name: &str) -> Option<TextAnalyzer> {
        self.query_analyzers.get(name).cloned()
    }

    /// The sense rules the analyzers index by (none when `entities.json` has none).
    pub fn senses(&self) -> Option<&sense_terms::SensePass> {
        self.senses.as_deref()
    }

    /// The name lexicon: which words are kept whole ([`NameLexicon::keeps_whole`]), on
    /// the query side as in the text.
    pub fn name_lexicon(&self) -> Arc<NameLexicon> {
        self.names.clone()
    }

    /// Registers every analyzer under its name.
    pub fn register(&self, manager: &TokenizerManager) {
        for (name, analyzer) in &self.analyzers {
            manager.register(name, analyzer.clone());
        }
    }

    /// A fresh copy of the named analyzer.
    pub fn analyzer(&self, name: &str) -> Option<TextAnalyzer> {
        self.analyzers.get(name).cloned()
    }

    /// The names of the analyzers, sorted.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.analyzers.keys().map(String::as_str)
    }
}

fn build_analyzer(
    config: &Config,
    settings: &AnalyzerSettings,
    names: Arc<NameLexicon>,
    stopwords: Arc<rustc_hash::FxHashSet<String>>,
    senses: &Option<Arc<sense_terms::SensePass>>,
) -> anyhow::Result<TextAnalyzer> {
    let stemmer = settings.stemming.then(|| {
        Arc::new(LightStemmer::new(
            &config.schema.stemmer,
            &config.lexicon,
            names.clone(),
            settings.stem_guards,
        ))
    });
    // Analyzers with the same front (tokenizer + names) share its work per text.
    let front_id = {
        use std::hash::{Hash, Hasher};
        let mut hasher = rustc_hash::FxHasher::default();
        names.build_id().hash(&mut hasher);
        settings.names.hash(&mut hasher);
        (settings.g_folding as u8).hash(&mut hasher);
        config.schema.max_token_chars.hash(&mut hasher);
        senses
            .as_ref()
            .map(|p| Arc::as_ptr(p) as usize)
            .hash(&mut hasher);
        hasher.finish()
    };
    let front = NameFilter::new(names, settings.names, settings.g_folding)
        .transform(ArabicTokenizer::new(config.schema.max_token_chars));
    let front = sense_terms::SenseTokenizer::new(front, senses.clone());
    Ok(
        TextAnalyzer::builder(shared::SharedFront::new(front, front_id))
            .filter(StopWordFilter::new(settings.stopwords.then_some(stopwords)))
            .filter(LightStemFilter::new(stemmer))
            .build(),
    )
}

/// The sense rules of `entities.json`, their words analysed by the front without senses.
fn sense_pass(
    config: &Config,
    names: Arc<NameLexicon>,
) -> anyhow::Result<Option<Arc<sense_terms::SensePass>>> {
    let entities = &config.entities;
    if entities.senses.is_empty() {
        return Ok(None);
    }
    let mut front = NameFilter::new(names, true, GFolding::Lexicon)
        .transform(ArabicTokenizer::new(config.schema.max_token_chars));
    let mut analyse = |text: &str| -> Vec<String> {
        let mut out = Vec::new();
        let mut stream = tantivy::tokenizer::Tokenizer::token_stream(&mut front, text);
        while let Some(t) = tantivy::tokenizer::TokenStream::next(&mut stream) {
            out.push(t.text.clone());
        }
        out
    };
    let set = senses::RuleSet::new(&entities.senses, &entities.cue_sets, &mut analyse)
        .context("entities.json")?;
    Ok(Some(Arc::new(sense_terms::SensePass::new(set, false)?)))
}

/// One token as the `analyze` command and tests see it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct AnalyzedToken {
    pub term: String,
    pub position: usize,
    /// Byte offsets into the analysed text.
    pub start: usize,
    pub end: usize,
}

/// Runs `analyzer` over `text` and collects its tokens.
pub fn analyze(analyzer: &mut TextAnalyzer, text: &str) -> Vec<AnalyzedToken> {
    let mut stream = analyzer.token_stream(text);
    let mut tokens = Vec::new();
    while let Some(t) = stream.next() {
        tokens.push(AnalyzedToken {
            term: t.text.clone(),
            position: t.position,
            start: t.offset_from,
            end: t.offset_to,
        });
    }
    tokens
}

/// (term, position, surface as written) for every token: what the filters' tests assert.
#[cfg(test)]
pub(crate) fn tokens_with_surface(
    analyzer: &mut TextAnalyzer,
    text: &str,
) -> Vec<(String, usize, String)> {
    analyze(analyzer, text)
        .into_iter()
        .map(|t| (t.term, t.position, text[t.start..t.end].to_string()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn analysis() -> Analysis {
        Analysis::new(&Config::builtin()).expect("built-in config builds")
    }

    fn terms(name: &str, text: &str) -> Vec<String> {
        let mut analyzer = analysis().analyzer(name).expect("analyzer exists");
        analyze(&mut analyzer, text)
            .into_iter()
            .map(|t| t.term)
            .collect()
    }

    /// Forms that must share one term in the ranked field.
    const CONFLATED: &[&[&str]] = &[
        &["والجيش", "بالجيش", "للجيش", "الجيش"],
        &["أفريقيا", "إفريقيا", "افريقيا"],
        &["شهرياً", "شهريا"],
        &["٢٠٢٤", "2024", "۲۰۲۴"],
        &["فـاغنر", "فاغنر", "فاجنر", "وفاغنر", "لفاجنر", "ڤاغنر"],
        &["تليغرام", "تليجرام"],
        &["تين زاوتين", "تين زواتين", "تنزاواتين", "تينزاواتين"],
        &["مسؤول", "مسئول"],
        &["مُسيرة", "مسيرة"],
        &["CSP", "csp"],
    ];

    /// Pairs that must stay apart.
    const KEPT_APART: &[(&str, &str)] = &[
        ("مالي", "مال"),
        ("وزارة", "زار"),
        ("غرب", "جرب"),
        // Two-letter stems: ة and number suffixes need three letters left.
        ("مدينة", "مدة"),
        ("السكان", "السكة"),
    ];

    #[test]
    fn conflation_groups_share_a_term() {
        for group in CONFLATED {
            let first = terms("arabic", group[0]);
            assert_eq!(first.len(), 1, "{} → {first:?}", group[0]);
            for form in &group[1..] {
                assert_eq!(terms("arabic", form), first, "{form} vs {}", group[0]);
            }
        }
    }

    #[test]
    fn distinct_words_stay_apart() {
        for (a, b) in KEPT_APART {
            assert_ne!(terms("arabic", a), terms("arabic", b), "{a} / {b}");
        }
    }

    #[test]
    fn exact_analyzer_keeps_stop_words_and_affixes() {
        assert_eq!(
            terms("arabic_exact", "قتال في الجيش المالي"),
            // المالي is the name مالي with its article: names lose their proclitics.
            vec!["قتال", "في", "الجيش", "مالي"]
        );
        assert_eq!(
            terms("arabic", "قتال في الجيش المالي"),
            vec!["قتال", "جيش", "مالي"]
        );
    }

    #[test]
    fn proclitic_through_tatweel_and_quote() {
        assert_eq!(terms("arabic_exact", "لـ\"فاجنر\""), vec!["فاغنر"]);
        assert_eq!(terms("arabic_exact", "بـ”الجبان”"), vec!["الجبان"]);
    }

    #[test]
    fn offsets_point_at_the_surface_word() {
        let text = "قال مُسيّرو «فـاغنر» لـ\"فاجنر\" ﻣﺎﻟﻲ في تين زاوتين، CSP-DPA ٢٠٢٤.";
        let mut analyzer = analysis().analyzer("arabic_exact").expect("exists");
        let surfaces: Vec<&str> = analyze(&mut analyzer, text)
            .iter()
            .map(|t| &text[t.start..t.end])
            .collect();
        assert_eq!(
            surfaces,
            vec![
                "قال",
                "مُسيّرو",
                "فـاغنر",
                "فاجنر",
                "ﻣﺎﻟﻲ",
                "في",
                "تين زاوتين",
                "CSP",
                "DPA",
                "٢٠٢٤"
            ]
        );
    }

    #[test]
    fn positions_line_up_between_the_two_fields() {
        let text = "قتل في تين زاوتين عدد من عناصر فاغنر";
        let mut exact = analysis().analyzer("arabic_exact").expect("exists");
        let mut ranked = analysis().analyzer("arabic").expect("exists");
        let exact_tokens = analyze(&mut exact, text);
        for token in analyze(&mut ranked, text) {
            assert!(
                exact_tokens
                    .iter()
                    .any(|e| e.position == token.position && e.start == token.start),
                "{token:?}"
            );
        }
    }
}
