//! Stories: the copies of one wire story across outlets, found at index time.
//!
//! Every article gets a MinHash signature of its cleaned passages ([`signature`]),
//! leaving out the shingles of recurring templates learned from the corpus
//! ([`templates`]: telegrams, receptions, bulletins share them across days); an
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
pub mod templates;

pub use crate::config::stories::{StorySettings, DEFAULT_STORIES_JSON};
pub use signature::Signature;
pub use table::StoryTable;

impl StorySettings {
    /// The signature of an article's cleaned passages without the template shingles, if
    /// it has enough other text.
    pub fn sign<'a>(&self, passages: impl IntoIterator<Item = &'a str>) -> Option<Signature> {
        Signature::of_passages(
            passages,
            self.shingle_words,
            self.min_shingles,
            &self.templates.get(),
        )
    }
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
    fn labels_round_trip() {
        let id = fresh_story("a", 1);
        assert_eq!(parse_story_label(&story_label(id)), Some(id));
        assert_eq!(parse_story_label("xyz"), None);
        assert_eq!(parse_story_label(""), None);
    }
}
