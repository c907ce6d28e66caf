//! Stories: the copies of one wire story across outlets, found at index time.
//!
//! Every article gets a MinHash signature of its cleaned passages ([`signature`]); an
//! article joins the story of its most similar earlier article when their estimated
//! Jaccard similarity reaches the threshold of `index-schema/stories.json`, found
//! through LSH bands ([`table`]); otherwise it starts a story of its own. Each passage
//! document carries its article's story id (`story`, an indexed fast field) and the
//! first passage the signature (`story_sig`), so the table is rebuilt from the index
//! when an incremental run opens it: the index generation is the only state, committed
//! (or not) with the passages — a crash leaves no side file out of step.
//!
//! Incremental runs keep it right: a new article joins an existing story; an updated
//! article is taken out of the table and placed again; when an update or prune takes an
//! article out of a story, the story's remaining copies are re-checked, and copies no
//! longer connected to the rest are rewritten with a story of their own
//! ([`table::StoryTable::recheck`]). Articles are placed in input order, so
//! `reindex` of the same inputs gives the same stories as the incremental runs that
//! added them in that order.

pub mod place;
pub mod report;
pub mod signature;
pub mod table;

use serde::Deserialize;

pub use signature::Signature;
pub use table::StoryTable;

/// The compiled-in settings.
pub const DEFAULT_STORIES_JSON: &str = include_str!("../../index-schema/stories.json");

/// `index-schema/stories.json`.
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
    /// Articles with fewer shingles stay alone.
    pub min_shingles: usize,
    /// Band buckets with more articles than this are not used to find candidates.
    pub max_bucket: usize,
    /// Copies of one story are published within this many days of each other and of
    /// the story's first copy.
    pub max_days_apart: i64,
}

impl StorySettings {
    /// The compiled-in settings.
    pub fn builtin() -> StorySettings {
        Self::from_json(DEFAULT_STORIES_JSON)
            .expect("the compiled-in stories.json is valid (checked by tests)")
    }

    pub fn from_json(json: &str) -> Result<StorySettings, String> {
        let s: StorySettings =
            serde_json::from_str(json).map_err(|e| format!("stories.json is not valid: {e}"))?;
        if s.shingle_words == 0
            || s.band_rows == 0
            || !signature::BINS.is_multiple_of(s.band_rows)
            || !(s.threshold > 0.0 && s.threshold <= 1.0)
            || s.max_bucket == 0
        {
            return Err(format!(
                "stories.json: need shingle_words >= 1, band_rows dividing {}, 0 < threshold <= 1, max_bucket >= 1",
                signature::BINS
            ));
        }
        Ok(s)
    }

    /// The signature of an article's cleaned passages, if it has enough text.
    pub fn sign<'a>(&self, passages: impl IntoIterator<Item = &'a str>) -> Option<Signature> {
        let mut text = String::new();
        for p in passages {
            text.push_str(p);
            text.push('\n');
        }
        Signature::of_text(&text, self.shingle_words, self.min_shingles)
    }
}

/// A fingerprint of the compiled-in settings (recorded in every index).
pub fn builtin_fingerprint() -> String {
    format!(
        "{:016x}",
        xxhash_rust::xxh3::xxh3_64(DEFAULT_STORIES_JSON.as_bytes())
    )
}

/// The story id an article starts when it joins no other: a hash of its id and content.
pub fn fresh_story(article_id: &str, content_hash: u64) -> u64 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    h.update(article_id.as_bytes());
    h.update(&[0]);
    h.update(&content_hash.to_le_bytes());
    h.digest()
}

/// A story id as shown to users: 16 hex digits.
pub fn story_label(id: u64) -> String {
    format!("{id:016x}")
}

/// Parses [`story_label`]'s form back.
pub fn parse_story_label(s: &str) -> Option<u64> {
    let s = s.trim();
    if s.is_empty() || s.len() > 16 {
        return None;
    }
    u64::from_str_radix(s, 16).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_settings_parse() {
        let s = StorySettings::builtin();
        assert!(s.threshold > 0.0 && s.threshold < 1.0);
        assert_eq!(signature::BINS % s.band_rows, 0);
    }

    #[test]
    fn bad_settings_are_reported() {
        let bad = DEFAULT_STORIES_JSON.replacen("\"band_rows\": 2", "\"band_rows\": 7", 1);
        assert!(StorySettings::from_json(&bad)
            .unwrap_err()
            .contains("band_rows"));
    }

    #[test]
    fn labels_round_trip() {
        let id = fresh_story("a", 1);
        assert_eq!(parse_story_label(&story_label(id)), Some(id));
        assert_eq!(parse_story_label("xyz"), None);
        assert_eq!(parse_story_label(""), None);
    }
}
