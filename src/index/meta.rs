//! `akhbar.json`, written into every index generation: what the index was built with.
//! An index built with another schema, analyzer or ingest version must be rebuilt
//! (`akhbar reindex`); opening it says so.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::config::Config;
use crate::ingest::INGEST_CODE_VERSION;

pub const META_FILE: &str = "akhbar.json";

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct IndexMeta {
    pub schema_version: u32,
    /// [`crate::analysis::fingerprint`]: analysis code version + what the schema, lexicon
    /// and entities files hold that decides the indexed terms.
    pub analysis_fingerprint: String,
    /// [`Config::outlets_fingerprint`].
    pub outlets_fingerprint: String,
    /// [`INGEST_CODE_VERSION`].
    pub ingest_version: String,
    /// The akhbar version that created the index.
    pub akhbar_version: String,
    /// Creation time, seconds since 1970.
    pub created: u64,
}

impl IndexMeta {
    /// The meta of an index built now with this configuration.
    pub fn current(config: &Config) -> IndexMeta {
        IndexMeta {
            schema_version: config.schema.schema_version,
            analysis_fingerprint: crate::analysis::fingerprint(config),
            outlets_fingerprint: config.outlets_fingerprint.clone(),
            ingest_version: format!(
                "{INGEST_CODE_VERSION}+{}+{}",
                config.boilerplate_fingerprint, config.stories_fingerprint
            ),
            akhbar_version: env!("CARGO_PKG_VERSION").to_string(),
            created: std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs()),
        }
    }

    /// What differs between this index and the current configuration, if anything.
    pub fn incompatibility(&self, config: &Config) -> Option<String> {
        let now = IndexMeta::current(config);
        let mut diffs = Vec::new();
        if self.schema_version != now.schema_version {
            diffs.push(format!(
                "schema version {} (this akhbar uses {})",
                self.schema_version, now.schema_version
            ));
        }
        if self.analysis_fingerprint != now.analysis_fingerprint {
            diffs.push(format!(
                "analyzer {} (this akhbar uses {})",
                self.analysis_fingerprint, now.analysis_fingerprint
            ));
        }
        if self.outlets_fingerprint != now.outlets_fingerprint {
            diffs.push(format!(
                "outlet table {} (this akhbar uses {})",
                self.outlets_fingerprint, now.outlets_fingerprint
            ));
        }
        if self.ingest_version != now.ingest_version {
            diffs.push(format!(
                "ingest rules {} (this akhbar uses {})",
                self.ingest_version, now.ingest_version
            ));
        }
        (!diffs.is_empty()).then(|| diffs.join(", "))
    }

    pub fn read(dir: &Path) -> Result<IndexMeta, String> {
        let path = dir.join(META_FILE);
        let text = std::fs::read_to_string(&path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        serde_json::from_str(&text).map_err(|e| format!("{} is not valid: {e}", path.display()))
    }

    /// Writes the file durably (temp file, fsync, rename).
    pub fn write(&self, dir: &Path) -> std::io::Result<()> {
        let text = serde_json::to_string_pretty(self).map_err(std::io::Error::other)?;
        super::write_durably(&dir.join(META_FILE), text.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_changed_analyzer_is_incompatible() {
        let config = Config::builtin();
        let mut meta = IndexMeta::current(&config);
        assert_eq!(meta.incompatibility(&config), None);
        meta.analysis_fingerprint = "0000".into();
        assert!(meta
            .incompatibility(&config)
            .unwrap()
            .contains("analyzer 0000"));
    }
}
