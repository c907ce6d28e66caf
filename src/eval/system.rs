//! The systems `akhbar eval` compares, by name.
//!
//! - `akhbar`: the full pipeline (see [`super::engine`]).
//! - `default`: tantivy's default tokenizer, one field, `QueryParser`.
//! - `snowball`: `SimpleTokenizer + LowerCaser + Stemmer(Arabic)`, one field, `QueryParser`.
//! - the ablation chain `akhbar:norm`, `akhbar:+stem`, `akhbar:+guards`, `akhbar:+names`,
//!   `akhbar:+stop`, `akhbar:+proclitics`, `akhbar:+suffixes`, `akhbar:+exact`,
//!   `akhbar:+proximity`, `akhbar:+variants`: the `arabic` analyzer with its rules
//!   switched on one at a time (each step keeps the previous ones), queried like `akhbar`
//!   but without the exact-form and proximity bonuses and the word variants until their
//!   steps; the last step is the full system.
//! - any registered analyzer name (`arabic`, `arabic_exact`, `snowball_ar`, `default`,
//!   `en_stem`, `whitespace`, `raw`): a single-field run with that analyzer.

use tantivy::tokenizer::TokenizerManager;

use crate::config::{Config, GFolding};
use crate::search::QueryWeights;

/// The systems compared when none is named.
pub const DEFAULT_SYSTEMS: [&str; 3] = ["akhbar", "default", "snowball"];

/// The ablation chain, in order; the last step is the full `akhbar` system.
pub const ABLATION: [&str; 10] = [
    "akhbar:norm",
    "akhbar:+stem",
    "akhbar:+guards",
    "akhbar:+names",
    "akhbar:+stop",
    "akhbar:+proclitics",
    "akhbar:+suffixes",
    "akhbar:+exact",
    "akhbar:+proximity",
    "akhbar:+variants",
];

/// akhbar's query weights: the built-in `schema.json` → `search.weights`.
pub static DEFAULT_WEIGHTS: std::sync::LazyLock<QueryWeights> =
    std::sync::LazyLock::new(|| Config::builtin().schema.search.weights);

/// How a system indexes and queries.
#[derive(Clone, Debug)]
pub enum SystemKind {
    /// One field analysed by the named analyzer, queried through `QueryParser`.
    SingleField { analyzer: String },
    /// akhbar's fields and query with these clause weights.
    Akhbar { weights: QueryWeights },
}

/// One system to evaluate.
#[derive(Clone, Debug)]
pub struct SystemSpec {
    pub name: String,
    pub description: String,
    pub kind: SystemKind,
    /// The definition whose analyzers this system registers (the ablation steps use
    /// mutated copies of the `arabic` analyzer settings).
    pub config: Config,
}

impl SystemSpec {
    /// Every analyzer this system may use: tantivy's built-in ones, the baselines, and
    /// the analyzers of its config.
    pub fn tokenizers(&self) -> anyhow::Result<TokenizerManager> {
        register_all(&self.config)
    }
}

/// A tokenizer manager with every analyzer known to akhbar for `config`.
pub fn register_all(config: &Config) -> anyhow::Result<TokenizerManager> {
    let manager = TokenizerManager::default();
    crate::analysis::baselines::register(&manager);
    crate::analysis::Analysis::new(config)?.register(&manager);
    Ok(manager)
}

/// Resolves a system or analyzer name.
pub fn resolve(name: &str, base: &Config, weights: QueryWeights) -> anyhow::Result<SystemSpec> {
    let single = |analyzer: &str, description: &str| SystemSpec {
        name: name.to_owned(),
        description: description.to_owned(),
        kind: SystemKind::SingleField {
            analyzer: analyzer.to_owned(),
        },
        config: base.clone(),
    };
    match name {
        "akhbar" => {
            return Ok(SystemSpec {
                name: name.to_owned(),
                description: "akhbar: `arabic` terms, exact forms, word pairs".into(),
                kind: SystemKind::Akhbar { weights },
                config: base.clone(),
            })
        }
        "default" => return Ok(single("default", "tantivy default tokenizer")),
        "snowball" => {
            return Ok(single(
                "snowball_ar",
                "SimpleTokenizer + LowerCaser + Stemmer(Arabic)",
            ))
        }
        _ => {}
    }
    if let Some(step) = ABLATION.iter().position(|s| *s == name) {
        return Ok(ablation_step(step, base, weights));
    }
    if name.starts_with("akhbar:") {
        anyhow::bail!(
            "unknown ablation step `{name}`; the steps are {}",
            ABLATION.join(", ")
        );
    }
    let manager = register_all(base)?;
    if manager.get(name).is_some() {
        return Ok(single(name, &format!("analyzer `{name}`, one field")));
    }
    anyhow::bail!(
        "unknown system or analyzer `{name}`: use akhbar, default, snowball, an ablation \
         step ({}), or a registered analyzer name ({})",
        ABLATION.join(", "),
        registered_names(base).join(", ")
    )
}

/// The analyzer names registered for a config (tantivy's built-ins listed explicitly:
/// `TokenizerManager` cannot enumerate).
pub fn registered_names(config: &Config) -> Vec<String> {
    let mut names: Vec<String> = ["default", "raw", "en_stem", "whitespace", "snowball_ar"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    names.extend(config.schema.analyzers.keys().cloned());
    names
}

/// Step `step` of the ablation chain: the base config's `arabic` rules switched on up to
/// that step.
fn ablation_step(step: usize, base: &Config, weights: QueryWeights) -> SystemSpec {
    let mut config = base.clone();
    let full = base.schema.analyzers.get("arabic").cloned();
    let descriptions = [
        "normalisation only",
        "+ light stemming (no guards)",
        "+ stemming guards (names, root و ب ل ك ف, three letters after a number suffix or ة)",
        "+ name/variant folding",
        "+ stop words",
        "+ single proclitics ب ل ك ف (with guards)",
        "+ pronoun suffixes, bound ت, tanween alef",
        "+ exact-form bonus",
        "+ word-pair and all-word proximity",
        "+ other segmentations, other person and verbal-noun pattern of each word, near \
         spellings of a word the index lacks (= akhbar)",
    ];
    if let (Some(full), Some(arabic)) = (full, config.schema.analyzers.get_mut("arabic")) {
        arabic.stemming = step >= 1 && full.stemming;
        arabic.stem_guards = step >= 2 && full.stem_guards;
        arabic.names = step >= 3 && full.names;
        arabic.g_folding = if step >= 3 {
            full.g_folding
        } else {
            GFolding::None
        };
        arabic.stopwords = step >= 4 && full.stopwords;
    }
    let stemmer = &mut config.schema.stemmer;
    if step < 5 {
        stemmer.single_proclitics.clear();
    }
    if step < 6 {
        stemmer.pronoun_suffixes.clear();
        stemmer.bound_ta = false;
        stemmer.suffixes.retain(|s| s != "ا");
    }
    SystemSpec {
        name: ABLATION[step].to_owned(),
        description: descriptions[step].to_owned(),
        kind: SystemKind::Akhbar {
            weights: QueryWeights {
                exact: weights.exact.filter(|_| step >= 7),
                pair: weights.pair.filter(|_| step >= 8),
                proximity: weights.proximity.filter(|_| step >= 8),
                variants: weights.variants.filter(|_| step >= 9),
                derived: weights.derived.filter(|_| step >= 9),
                near: weights.near.filter(|_| step >= 9),
                ..weights
            },
        },
        config,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    static W: std::sync::LazyLock<QueryWeights> = std::sync::LazyLock::new(|| *DEFAULT_WEIGHTS);

    #[test]
    fn ablation_switches_rules_on_one_at_a_time() {
        let base = Config::builtin();
        let arabic = |s: &SystemSpec| s.config.schema.analyzers["arabic"].clone();
        let norm = resolve("akhbar:norm", &base, *W).unwrap();
        let a = arabic(&norm);
        assert!(!a.stemming && !a.stem_guards && !a.names && !a.stopwords);
        assert_eq!(a.g_folding, GFolding::None);
        let stem = arabic(&resolve("akhbar:+stem", &base, *W).unwrap());
        assert!(stem.stemming && !stem.stem_guards);
        let exact = resolve("akhbar:+exact", &base, *W).unwrap();
        assert_eq!(arabic(&exact), base.schema.analyzers["arabic"]);
        assert_eq!(exact.config.schema.stemmer, base.schema.stemmer);
        let weights = |s: SystemSpec| match s.kind {
            SystemKind::Akhbar { weights } => weights,
            SystemKind::SingleField { .. } => panic!("not akhbar"),
        };
        let w = weights(exact);
        assert!(w.exact.is_some() && w.pair.is_none() && w.proximity.is_none());
        assert!(w.variants.is_none() && w.derived.is_none() && w.near.is_none());
        let w = weights(resolve("akhbar:+proximity", &base, *W).unwrap());
        assert!(w.proximity.is_some() && w.variants.is_none());
        let w = weights(resolve("akhbar:+stop", &base, *W).unwrap());
        assert!(w.exact.is_none() && w.pair.is_none());
        let stop = resolve("akhbar:+stop", &base, *W).unwrap();
        assert!(stop.config.schema.stemmer.single_proclitics.is_empty());
        assert!(!stop.config.schema.stemmer.bound_ta);
        let proclitics = resolve("akhbar:+proclitics", &base, *W).unwrap();
        assert!(!proclitics
            .config
            .schema
            .stemmer
            .single_proclitics
            .is_empty());
        assert!(proclitics.config.schema.stemmer.pronoun_suffixes.is_empty());
        let last = resolve(ABLATION[ABLATION.len() - 1], &base, *W).unwrap();
        let full = resolve("akhbar", &base, *W).unwrap();
        assert_eq!(arabic(&last), arabic(&full));
        assert_eq!(weights(last), weights(full));
    }

    #[test]
    fn names_resolve_or_are_rejected() {
        let base = Config::builtin();
        assert!(matches!(
            resolve("snowball", &base, *W).unwrap().kind,
            SystemKind::SingleField { ref analyzer } if analyzer == "snowball_ar"
        ));
        assert!(resolve("en_stem", &base, *W).is_ok());
        let err = resolve("akhbar:+nope", &base, *W).unwrap_err().to_string();
        assert!(err.contains("akhbar:+stem"), "{err}");
        let err = resolve("nope", &base, *W).unwrap_err().to_string();
        assert!(err.contains("unknown system or analyzer"), "{err}");
    }
}
