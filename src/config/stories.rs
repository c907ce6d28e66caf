//! `index-schema/stories.json` (how copies of one story are found, read by
//! [`crate::stories`]; with `story-templates.json`, the shingles its signatures leave
//! out) and `index-schema/boilerplate.json` (each outlet's own templates,
//! compiled by [`crate::ingest::learned`]). Both decide what an index holds, so both are
//! fingerprinted into it (see [`super::Config::stories_fingerprint`]).

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Deserialize;

use super::ConfigError;
pub use crate::stories::templates::{TemplateShingles, DEFAULT_TEMPLATES_JSON};

/// The compiled-in story settings.
pub const DEFAULT_STORIES_JSON: &str = include_str!("../../index-schema/stories.json");
/// The compiled-in per-outlet templates.
pub const DEFAULT_BOILERPLATE_JSON: &str = include_str!("../../index-schema/boilerplate.json");

/// MinHash bins of a story signature (the layout of the stored `story_sig` field:
/// changing it is a schema change).
pub const SIGNATURE_BINS: usize = 64;

/// `stories.json`.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct StorySettings {
    #[serde(default)]
    pub about: String,
    /// Words per shingle.
    pub shingle_words: usize,
    /// Bins per LSH band (64 / band_rows bands).
    pub band_rows: usize,
    /// Estimated Jaccard similarity at which two articles are one story.
    pub threshold: f64,
    /// The similarity needed when one of the two articles is undated (no date rule can
    /// then tell two days' look-alike items apart).
    pub undated_threshold: f64,
    /// The similarity a new article needs to each of two stories' copies to merge the
    /// stories (a bridge); below it, it joins the closer one only.
    pub merge_threshold: f64,
    /// Articles with fewer shingles stay alone.
    pub min_shingles: usize,
    /// Band buckets with more articles than this are not used to find candidates.
    pub max_bucket: usize,
    /// Copies of one story are published within this many days of each other and of
    /// the story's first copy.
    pub max_days_apart: i64,
    /// Shingles left out of the signature (`story-templates.json`: the compiled-in list
    /// unless [`StorySettings::with_templates`] sets another).
    #[serde(skip)]
    pub templates: StoryTemplates,
}

/// The template shingles of [`StorySettings`]: a list read with `--schema DIR` (parsed
/// and checked when the settings are read), or the compiled-in one, parsed on first use
/// only, so a process that never signs an article (a search, the server's reads) does
/// not pay for its 96,000 phrases.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StoryTemplates {
    loaded: Option<Arc<TemplateShingles>>,
    shingle_words: usize,
}

impl StoryTemplates {
    /// The shingles to leave out of a signature.
    pub fn get(&self) -> Arc<TemplateShingles> {
        match &self.loaded {
            Some(t) => t.clone(),
            None => TemplateShingles::builtin(self.shingle_words),
        }
    }
}

impl StorySettings {
    /// The compiled-in settings.
    pub fn builtin() -> StorySettings {
        Self::from_json(DEFAULT_STORIES_JSON)
            .expect("the compiled-in stories.json is valid (checked by tests)")
    }

    /// Parses and checks `stories.json`.
    pub fn from_json(json: &str) -> Result<StorySettings, ConfigError> {
        let s: StorySettings = serde_json::from_str(json).map_err(|source| ConfigError::Parse {
            what: "stories.json".into(),
            source,
        })?;
        let mut s = s;
        s.templates = StoryTemplates {
            loaded: None,
            shingle_words: s.shingle_words,
        };
        let share = |x: f64| x > 0.0 && x <= 1.0;
        if s.shingle_words == 0
            || s.band_rows == 0
            || !SIGNATURE_BINS.is_multiple_of(s.band_rows)
            || !share(s.threshold)
            || !share(s.undated_threshold)
            || !share(s.merge_threshold)
            || s.max_bucket == 0
            || s.max_days_apart < 0
        {
            return Err(ConfigError::Invalid(format!(
                "stories.json: need shingle_words >= 1, band_rows dividing {SIGNATURE_BINS}, \
                 0 < threshold, undated_threshold, merge_threshold <= 1, max_bucket >= 1, max_days_apart >= 0"
            )));
        }
        Ok(s)
    }

    /// The same settings with the template shingles of a `story-templates.json`.
    pub fn with_templates(mut self, json: &str) -> Result<StorySettings, ConfigError> {
        self.templates.loaded = Some(Arc::new(TemplateShingles::from_json(
            json,
            self.shingle_words,
        )?));
        Ok(self)
    }
}

/// The fingerprint of the story settings recorded in an index: `stories.json` and
/// `story-templates.json` together (either changed, other stories).
pub fn stories_fingerprint(stories_json: &str, templates_json: &str) -> String {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    h.update(stories_json.as_bytes());
    h.update(&[0]);
    h.update(templates_json.as_bytes());
    format!("{:016x}", h.digest())
}

/// `boilerplate.json`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BoilerplateConfig {
    #[serde(default)]
    pub about: String,
    /// A `prefixes` line longer than this is kept.
    pub max_drop_bytes: usize,
    /// How far into a line a dateline word is looked for.
    pub dateline_max_words: usize,
    /// By canonical outlet name (`outlets.json`).
    pub outlets: BTreeMap<String, OutletBoilerplate>,
}

/// One outlet's templates, as the outlet writes them.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutletBoilerplate {
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub lines: Vec<String>,
    #[serde(default)]
    pub prefixes: Vec<String>,
    #[serde(default)]
    pub cut_prefixes: Vec<String>,
    #[serde(default)]
    pub datelines: Vec<String>,
    #[serde(default)]
    pub cut_from: Vec<String>,
}

impl BoilerplateConfig {
    /// Parses and checks `boilerplate.json`: every entry holds a letter or a digit.
    pub fn from_json(json: &str) -> Result<BoilerplateConfig, ConfigError> {
        let b: BoilerplateConfig =
            serde_json::from_str(json).map_err(|source| ConfigError::Parse {
                what: "boilerplate.json".into(),
                source,
            })?;
        for (outlet, rules) in &b.outlets {
            let lists = [
                ("line", &rules.lines),
                ("prefix", &rules.prefixes),
                ("cut prefix", &rules.cut_prefixes),
                ("dateline word", &rules.datelines),
                ("cut_from", &rules.cut_from),
            ];
            for (what, list) in lists {
                if let Some(bad) = list.iter().find(|s| !s.chars().any(char::is_alphanumeric)) {
                    return Err(ConfigError::Invalid(format!(
                        "boilerplate.json: {outlet}: {what} `{bad}` has no letters or digits"
                    )));
                }
            }
        }
        Ok(b)
    }
}

/// The fingerprint of a settings file as recorded in an index.
pub fn file_fingerprint(json: &str) -> String {
    format!("{:016x}", xxhash_rust::xxh3::xxh3_64(json.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_files_parse() {
        let s = StorySettings::builtin();
        assert!(s.threshold > 0.0 && s.threshold < 1.0);
        assert!(s.undated_threshold >= s.threshold);
        assert!(BoilerplateConfig::from_json(DEFAULT_BOILERPLATE_JSON)
            .unwrap()
            .outlets
            .contains_key("Al-Weeam"));
    }

    #[test]
    fn bad_settings_are_reported() {
        let bad = DEFAULT_STORIES_JSON.replacen("\"band_rows\": 2", "\"band_rows\": 7", 1);
        let err = StorySettings::from_json(&bad).unwrap_err().to_string();
        assert!(err.contains("band_rows"), "{err}");
        let err = StorySettings::from_json("{}").unwrap_err().to_string();
        assert!(err.contains("stories.json"), "{err}");
    }

    #[test]
    fn empty_boilerplate_entries_are_reported() {
        let err = BoilerplateConfig::from_json(
            r#"{"max_drop_bytes": 1, "dateline_max_words": 1, "outlets": {"X": {"lines": ["--"]}}}"#,
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("X") && err.contains("--"), "{err}");
    }
}
