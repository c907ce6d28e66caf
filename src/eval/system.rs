//! The systems `akhbar eval` compares, by name.
//!
//! - `akhbar`: the full pipeline (see [`super::engine`]).
//! - `default`: tantivy's default tokenizer, one field, `QueryParser`.
//! - `snowball`: `SimpleTokenizer + LowerCaser + Stemmer(Arabic)`, one field, `QueryParser`.
//! - the ablation chain `akhbar:norm`, `akhbar:+stem`, `akhbar:+guards`, `akhbar:+names`,
//!   `akhbar:+stop`, `akhbar:+exact`: the `arabic` analyzer with its rules switched on
//!   one at a time (each step keeps the previous ones), queried like `akhbar` but without
//!   the exact field until the last step, which is the full system.
//! - any registered analyzer name (`arabic`, `arabic_exact`, `snowball_ar`, `default`,
//!   `en_stem`, `whitespace`, `raw`): a single-field run with that analyzer.

use tantivy::tokenizer::TokenizerManager;

use crate::config::{Config, GFolding};

/// The systems compared when none is named.
pub const DEFAULT_SYSTEMS: [&str; 3] = ["akhbar", "default", "snowball"];

/// The ablation chain, in order; the last step is the full `akhbar` system.
pub const ABLATION: [&str; 6] = [
    "akhbar:norm",
    "akhbar:+stem",
    "akhbar:+guards",
    "akhbar:+names",
    "akhbar:+stop",
    "akhbar:+exact",
];

/// The boost of the exact-field clauses in akhbar's query, relative to the stemmed ones.
pub const DEFAULT_EXACT_BOOST: f32 = 0.5;

/// How a system indexes and queries.
#[derive(Clone, Debug)]
pub enum SystemKind {
    /// One field analysed by the named analyzer, queried through `QueryParser`.
    SingleField { analyzer: String },
    /// akhbar's fields and query; `exact_boost: None` leaves the exact field out of the
    /// query.
    Akhbar { exact_boost: Option<f32> },
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
pub fn resolve(name: &str, base: &Config, exact_boost: f32) -> anyhow::Result<SystemSpec> {
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
                description: "akhbar: text+title in `arabic`, exact-field boost".into(),
                kind: SystemKind::Akhbar {
                    exact_boost: Some(exact_boost),
                },
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
        return Ok(ablation_step(step, base, exact_boost));
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
fn ablation_step(step: usize, base: &Config, exact_boost: f32) -> SystemSpec {
    let mut config = base.clone();
    let full = base.schema.analyzers.get("arabic").cloned();
    let descriptions = [
        "normalisation only",
        "+ light stemming (no guards)",
        "+ stemming guards",
        "+ name/variant folding",
        "+ stop words",
        "+ exact-field boost (= akhbar)",
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
    SystemSpec {
        name: ABLATION[step].to_owned(),
        description: descriptions[step].to_owned(),
        kind: SystemKind::Akhbar {
            exact_boost: (step >= 5).then_some(exact_boost),
        },
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
        let norm = resolve("akhbar:norm", &base, 0.5).unwrap();
        let a = arabic(&norm);
        assert!(!a.stemming && !a.stem_guards && !a.names && !a.stopwords);
        assert_eq!(a.g_folding, GFolding::None);
        let stem = arabic(&resolve("akhbar:+stem", &base, 0.5).unwrap());
        assert!(stem.stemming && !stem.stem_guards);
        let last = resolve("akhbar:+exact", &base, 0.5).unwrap();
        assert_eq!(arabic(&last), base.schema.analyzers["arabic"]);
        assert!(matches!(
            last.kind,
            SystemKind::Akhbar {
                exact_boost: Some(_)
            }
        ));
        assert!(matches!(
            resolve("akhbar:+stop", &base, 0.5).unwrap().kind,
            SystemKind::Akhbar { exact_boost: None }
        ));
    }

    #[test]
    fn names_resolve_or_are_rejected() {
        let base = Config::builtin();
        assert!(matches!(
            resolve("snowball", &base, 0.5).unwrap().kind,
            SystemKind::SingleField { ref analyzer } if analyzer == "snowball_ar"
        ));
        assert!(resolve("en_stem", &base, 0.5).is_ok());
        let err = resolve("akhbar:+nope", &base, 0.5).unwrap_err().to_string();
        assert!(err.contains("akhbar:+stem"), "{err}");
        let err = resolve("nope", &base, 0.5).unwrap_err().to_string();
        assert!(err.contains("unknown system or analyzer"), "{err}");
    }
}
