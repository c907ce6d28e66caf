//! The systems `akhbar eval` compares, by name.
//!
//! - `akhbar`: the product as shipped (see [`super::shipped`]), with the run's
//!   configuration (`--schema DIR` evaluates another one).
//! - `default`: tantivy's default tokenizer, one field, `QueryParser` (see
//!   [`super::baseline`]).
//! - `snowball`: `SimpleTokenizer + LowerCaser + Stemmer(Arabic)`, one field, `QueryParser`.
//! - the ablation chain `akhbar:norm`, `akhbar:+stem`, `akhbar:+guards`, `akhbar:+names`,
//!   `akhbar:+stop`, `akhbar:+proclitics`, `akhbar:+suffixes`, `akhbar:+exact`,
//!   `akhbar:+proximity`, `akhbar:+variants`: akhbar as shipped with the `arabic`
//!   analyzer's rules and then the query's bonus clauses (`schema.json` →
//!   `search.weights`) switched on one at a time in its configuration (each step keeps
//!   the previous ones); the last step is the full system.
//! - any registered analyzer name (`arabic`, `arabic_exact`, `snowball_ar`, `default`,
//!   `en_stem`, `whitespace`, `raw`): a single-field run with that analyzer.

use tantivy::tokenizer::TokenizerManager;

use crate::config::{Config, GFolding};

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

/// How a system indexes and queries.
#[derive(Clone, Debug)]
pub enum SystemKind {
    /// One field analysed by the named analyzer, queried through `QueryParser`.
    SingleField { analyzer: String },
    /// akhbar as shipped, with [`SystemSpec::config`].
    Akhbar,
}

/// One system to evaluate.
#[derive(Clone, Debug)]
pub struct SystemSpec {
    pub name: String,
    pub description: String,
    pub kind: SystemKind,
    /// The configuration the system indexes and searches with (the ablation steps use
    /// copies with fewer `arabic` analyzer rules).
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
pub fn resolve(name: &str, base: &Config) -> anyhow::Result<SystemSpec> {
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
                description: "akhbar as shipped: index + search --run".into(),
                kind: SystemKind::Akhbar,
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
        return Ok(ablation_step(step, base));
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
fn ablation_step(step: usize, base: &Config) -> SystemSpec {
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
    let weights = &mut config.schema.search.weights;
    if step < 7 {
        weights.exact = None;
    }
    if step < 8 {
        weights.pair = None;
        weights.proximity = None;
    }
    if step < 9 {
        weights.variants = None;
        weights.derived = None;
        weights.near = None;
    }
    SystemSpec {
        name: ABLATION[step].to_owned(),
        description: descriptions[step].to_owned(),
        kind: SystemKind::Akhbar,
        config,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ablation_switches_rules_on_one_at_a_time() {
        let base = Config::builtin();
        let arabic = |s: &SystemSpec| s.config.schema.analyzers["arabic"].clone();
        let norm = resolve("akhbar:norm", &base).unwrap();
        let a = arabic(&norm);
        assert!(!a.stemming && !a.stem_guards && !a.names && !a.stopwords);
        assert_eq!(a.g_folding, GFolding::None);
        let stem = arabic(&resolve("akhbar:+stem", &base).unwrap());
        assert!(stem.stemming && !stem.stem_guards);
        let stop = resolve("akhbar:+stop", &base).unwrap();
        assert!(stop.config.schema.stemmer.single_proclitics.is_empty());
        assert!(!stop.config.schema.stemmer.bound_ta);
        let proclitics = resolve("akhbar:+proclitics", &base).unwrap();
        assert!(!proclitics
            .config
            .schema
            .stemmer
            .single_proclitics
            .is_empty());
        assert!(proclitics.config.schema.stemmer.pronoun_suffixes.is_empty());
        let weights = |name: &str| resolve(name, &base).unwrap().config.schema.search.weights;
        let w = weights("akhbar:+suffixes");
        assert!(w.exact.is_none() && w.pair.is_none() && w.proximity.is_none());
        let w = weights("akhbar:+exact");
        assert!(w.exact.is_some() && w.pair.is_none() && w.proximity.is_none());
        assert!(w.variants.is_none() && w.derived.is_none() && w.near.is_none());
        let w = weights("akhbar:+proximity");
        assert!(w.proximity.is_some() && w.pair.is_some() && w.variants.is_none());
        let exact = resolve("akhbar:+exact", &base).unwrap();
        assert_eq!(arabic(&exact), base.schema.analyzers["arabic"]);
        assert_eq!(exact.config.schema.stemmer, base.schema.stemmer);
        let last = resolve(ABLATION[ABLATION.len() - 1], &base).unwrap();
        assert_eq!(
            last.config.schema.search.weights,
            base.schema.search.weights
        );
        assert_eq!(arabic(&last), base.schema.analyzers["arabic"]);
        assert!(matches!(last.kind, SystemKind::Akhbar));
    }

    #[test]
    fn names_resolve_or_are_rejected() {
        let base = Config::builtin();
        assert!(matches!(
            resolve("snowball", &base).unwrap().kind,
            SystemKind::SingleField { ref analyzer } if analyzer == "snowball_ar"
        ));
        assert!(matches!(
            resolve("akhbar", &base).unwrap().kind,
            SystemKind::Akhbar
        ));
        assert!(resolve("en_stem", &base).is_ok());
        let err = resolve("akhbar:+nope", &base).unwrap_err().to_string();
        assert!(err.contains("akhbar:+stem"), "{err}");
        let err = resolve("nope", &base).unwrap_err().to_string();
        assert!(err.contains("unknown system or analyzer"), "{err}");
    }
}
