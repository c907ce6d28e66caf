//! What the index holds: the query builder asks it whether a word's terms occur at all,
//! and, for a word that matches nothing, which indexed terms are spelled within one edit
//! of it (a misspelling, or a transliteration the outlets do not use: كيتال for كيدال).

use tantivy::query::FuzzyTermQuery;
use tantivy::schema::Field;
use tantivy::{Searcher, Term};

use super::latin::termset::TermSet;

/// The terms an index holds, for the query builder.
pub trait Vocabulary {
    /// Whether any segment has `term` in `field`.
    fn contains(&self, field: Field, term: &str) -> bool;
    /// How many documents (passages) hold `term` in `field`, summed over segments. The
    /// default knows only whether any does (0 or 1).
    fn doc_freq(&self, field: Field, term: &str) -> u64 {
        u64::from(self.contains(field, term))
    }
    /// The terms of `field` within `edits` edits (insertion, deletion, substitution or
    /// transposition of letters) of `term`, `term` itself excluded: the most frequent
    /// first (then in term order), at most `limit`.
    fn near(&self, field: Field, term: &str, edits: u8, limit: usize) -> Vec<String>;
    /// The terms of `set` that `field` holds, with their document frequencies (summed
    /// over segments), in term order. The default looks each one up; an index walks its
    /// term dictionary once.
    fn present(&self, field: Field, set: &TermSet) -> Vec<(String, u64)> {
        let mut found: Vec<(String, u64)> = set
            .terms()
            .into_iter()
            .filter(|t| self.contains(field, t))
            .map(|t| (t, 1))
            .collect();
        found.sort();
        found
    }
}

/// The vocabulary of an open index.
pub struct SearcherVocabulary<'s>(pub &'s Searcher);

impl Vocabulary for SearcherVocabulary<'_> {
    fn contains(&self, field: Field, term: &str) -> bool {
        let term = Term::from_field_text(field, term);
        self.0.segment_readers().iter().any(|segment| {
            segment
                .inverted_index(field)
                .ok()
                .and_then(|inverted| inverted.get_term_info(&term).ok())
                .flatten()
                .is_some()
        })
    }

    fn doc_freq(&self, field: Field, term: &str) -> u64 {
        let term = Term::from_field_text(field, term);
        self.0
            .segment_readers()
            .iter()
            .filter_map(|segment| {
                let inverted = segment.inverted_index(field).ok()?;
                inverted.get_term_info(&term).ok().flatten()
            })
            .map(|info| u64::from(info.doc_freq))
            .sum()
    }

    fn near(&self, field: Field, term: &str, edits: u8, limit: usize) -> Vec<String> {
        let query = FuzzyTermQuery::new(Term::from_field_text(field, term), edits, true);
        // Built once, walked over every segment's term dictionary.
        let Ok(automaton) = query.automaton() else {
            return Vec::new();
        };
        let mut found: Vec<(String, u64)> = Vec::new();
        for segment in self.0.segment_readers() {
            // A segment we cannot read adds no near terms; the search itself reports it.
            let Ok(inverted) = segment.inverted_index(field) else {
                continue;
            };
            let Ok(mut stream) = inverted.terms().search(&automaton).into_stream() else {
                continue;
            };
            while stream.advance() {
                let Ok(text) = std::str::from_utf8(stream.key()) else {
                    continue;
                };
                if text == term {
                    continue;
                }
                let doc_freq = u64::from(stream.value().doc_freq);
                match found.iter_mut().find(|(t, _)| t == text) {
                    Some((_, total)) => *total += doc_freq,
                    None => found.push((text.to_string(), doc_freq)),
                }
            }
        }
        found.sort_by(|(a, fa), (b, fb)| fb.cmp(fa).then_with(|| a.cmp(b)));
        found.truncate(limit);
        found.into_iter().map(|(t, _)| t).collect()
    }

    fn present(&self, field: Field, set: &TermSet) -> Vec<(String, u64)> {
        let mut found: std::collections::BTreeMap<String, u64> = Default::default();
        if set.is_empty() {
            return Vec::new();
        }
        for segment in self.0.segment_readers() {
            // A segment we cannot read adds nothing; the search itself reports it.
            let Ok(inverted) = segment.inverted_index(field) else {
                continue;
            };
            let Ok(mut stream) = inverted.terms().search(set).into_stream() else {
                continue;
            };
            while stream.advance() {
                if let Ok(text) = std::str::from_utf8(stream.key()) {
                    *found.entry(text.to_string()).or_default() +=
                        u64::from(stream.value().doc_freq);
                }
            }
        }
        found.into_iter().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::schema::{Schema, TEXT};
    use tantivy::{doc, Index, IndexWriter};

    fn searcher(segments: &[&[&str]]) -> (Searcher, Field) {
        let mut builder = Schema::builder();
        let text = builder.add_text_field("text", TEXT);
        let index = Index::create_in_ram(builder.build());
        let mut writer: IndexWriter = index.writer(15_000_000).unwrap();
        for docs in segments {
            for body in *docs {
                writer.add_document(doc!(text => *body)).unwrap();
            }
            writer.commit().unwrap();
        }
        (index.reader().unwrap().searcher(), text)
    }

    #[test]
    fn contains_looks_in_every_segment() {
        let (searcher, text) = searcher(&[&["فاغنر"], &["روديوفيت"]]);
        let vocabulary = SearcherVocabulary(&searcher);
        assert!(vocabulary.contains(text, "فاغنر"));
        assert!(vocabulary.contains(text, "روديوفيت"));
        assert!(!vocabulary.contains(text, "رودوفيت"));
    }

    #[test]
    fn doc_freq_sums_the_segments() {
        let (searcher, text) = searcher(&[&["فاغنر", "فاغنر مالي"], &["فاغنر"]]);
        let vocabulary = SearcherVocabulary(&searcher);
        assert_eq!(vocabulary.doc_freq(text, "فاغنر"), 3);
        assert_eq!(vocabulary.doc_freq(text, "مالي"), 1);
        assert_eq!(vocabulary.doc_freq(text, "كيدال"), 0);
    }

    #[test]
    fn near_terms_are_one_edit_away_most_frequent_first() {
        // روديوفيت: one letter inserted; رودفيت: one deleted (twice, in two segments);
        // رودوفيز: one replaced; ردفيت: two deleted; the word is not its own near term.
        let (searcher, text) = searcher(&[
            &["روديوفيت", "رودفيت ردفيت"],
            &["رودفيت", "رودوفيز رودوفيت"],
        ]);
        let vocabulary = SearcherVocabulary(&searcher);
        assert_eq!(
            vocabulary.near(text, "رودوفيت", 1, 10),
            vec!["رودفيت", "رودوفيز", "روديوفيت"]
        );
        assert_eq!(vocabulary.near(text, "رودوفيت", 1, 1), vec!["رودفيت"]);
        assert!(vocabulary.near(text, "كتاب", 1, 10).is_empty());
    }
}
