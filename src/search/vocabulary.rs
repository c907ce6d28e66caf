//! What the index holds: the query builder asks it whether a word's terms occur at all,
//! and, for a word that matches nothing, which indexed terms are spelled within one edit
//! of it (a misspelling, or a transliteration the outlets do not use: كيتال for كيدال).
//! [`SearchTerms`] answers both the query builder and the rank stage's BM25 weights for
//! one search, each term looked up once.

use std::cell::RefCell;

use rustc_hash::FxHashMap;
use tantivy::query::{Bm25StatisticsProvider, FuzzyTermQuery};
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
    /// How many documents (passages) BM25 counts in the index (deleted ones included, as
    /// tantivy's statistics count them); 0 when unknown.
    fn total_docs(&self) -> u64 {
        0
    }
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

    fn total_docs(&self) -> u64 {
        self.0.total_num_docs().unwrap_or(0)
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

/// The term statistics of one search, each looked up once in every segment's term
/// dictionary: the query builder asks how often a word's terms occur (its variants, the
/// evidence for a first letter), then the BM25 weights of the first stage, the
/// every-word candidates and the bonus clauses ask for the same terms' document
/// frequencies again. A search makes one (the reader does not reload under it) and
/// drops it with its answer: nothing is kept from one query to the next.
pub struct SearchTerms<'s> {
    searcher: &'s Searcher,
    doc_freqs: RefCell<FxHashMap<Term, u64>>,
    num_tokens: RefCell<FxHashMap<Field, u64>>,
}

impl<'s> SearchTerms<'s> {
    pub fn new(searcher: &'s Searcher) -> SearchTerms<'s> {
        SearchTerms {
            searcher,
            doc_freqs: RefCell::default(),
            num_tokens: RefCell::default(),
        }
    }

    /// The passages holding `term`, summed over segments (as [`Searcher::doc_freq`]).
    fn term_doc_freq(&self, term: &Term) -> tantivy::Result<u64> {
        if let Some(n) = self.doc_freqs.borrow().get(term) {
            return Ok(*n);
        }
        let n = self.searcher.doc_freq(term)?;
        self.doc_freqs.borrow_mut().insert(term.clone(), n);
        Ok(n)
    }
}

impl Vocabulary for SearchTerms<'_> {
    fn contains(&self, field: Field, term: &str) -> bool {
        Vocabulary::doc_freq(self, field, term) > 0
    }

    fn doc_freq(&self, field: Field, term: &str) -> u64 {
        // A segment that cannot be read counts nothing; the search itself reports it.
        self.term_doc_freq(&Term::from_field_text(field, term))
            .unwrap_or(0)
    }

    fn near(&self, field: Field, term: &str, edits: u8, limit: usize) -> Vec<String> {
        SearcherVocabulary(self.searcher).near(field, term, edits, limit)
    }

    fn total_docs(&self) -> u64 {
        SearcherVocabulary(self.searcher).total_docs()
    }

    fn present(&self, field: Field, set: &TermSet) -> Vec<(String, u64)> {
        SearcherVocabulary(self.searcher).present(field, set)
    }
}

impl Bm25StatisticsProvider for SearchTerms<'_> {
    fn total_num_tokens(&self, field: Field) -> tantivy::Result<u64> {
        if let Some(n) = self.num_tokens.borrow().get(&field) {
            return Ok(*n);
        }
        let n = self.searcher.total_num_tokens(field)?;
        self.num_tokens.borrow_mut().insert(field, n);
        Ok(n)
    }

    fn total_num_docs(&self) -> tantivy::Result<u64> {
        self.searcher.total_num_docs()
    }

    fn doc_freq(&self, term: &Term) -> tantivy::Result<u64> {
        self.term_doc_freq(term)
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

    /// A search's statistics answer as the searcher and the plain vocabulary do, the
    /// second time from what the first looked up.
    #[test]
    fn search_terms_answer_as_the_searcher() {
        let (searcher, text) = searcher(&[&["فاغنر", "فاغنر مالي"], &["فاغنر"]]);
        let terms = SearchTerms::new(&searcher);
        let plain = SearcherVocabulary(&searcher);
        for _ in 0..2 {
            for word in ["فاغنر", "مالي", "كيدال"] {
                assert_eq!(
                    Vocabulary::doc_freq(&terms, text, word),
                    plain.doc_freq(text, word)
                );
                assert_eq!(terms.contains(text, word), plain.contains(text, word));
                let term = Term::from_field_text(text, word);
                assert_eq!(
                    Bm25StatisticsProvider::doc_freq(&terms, &term).unwrap(),
                    searcher.doc_freq(&term).unwrap()
                );
            }
            assert_eq!(
                terms.total_num_tokens(text).unwrap(),
                searcher.total_num_tokens(text).unwrap()
            );
        }
        assert_eq!(terms.doc_freqs.borrow().len(), 3);
        assert_eq!(terms.total_num_docs().unwrap(), 3);
        assert_eq!(terms.near(text, "فاغنز", 1, 5), vec!["فاغنر"]);
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
