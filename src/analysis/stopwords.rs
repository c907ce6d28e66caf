//! `StopWordFilter`: drops function words from the ranked `arabic` field.
//!
//! Why this way: stop words carry no topic, and on a BM25 field they only add noise and
//! long posting lists; but phrases need them ("نصرة الإسلام والمسلمين"). So they are
//! dropped from `arabic` *keeping the positions of the remaining words* (the gap stays),
//! and kept in `arabic_exact`, where quoted phrases are matched. A query of only stop
//! words still has the exact field to match on.
//!
//! The list is matched on normalised words, before stemming, so وفي and فيها are stop
//! words but في inside a name is not affected.

use std::sync::Arc;

use rustc_hash::FxHashSet;
use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

use super::normalize::normalize;
use super::wordfilter::WordFilter;
use crate::config::StopwordLists;

/// The stop word set, normalised.
pub fn stopword_set(lists: &StopwordLists) -> FxHashSet<String> {
    lists
        .arabic
        .iter()
        .chain(&lists.english)
        .chain(&lists.french)
        .map(|w| normalize(w))
        .filter(|w| !w.is_empty())
        .collect()
}

/// The stop word set with its quick filter.
pub struct StopWords {
    words: FxHashSet<String>,
    filter: WordFilter,
}

impl StopWords {
    fn listed(&self, word: &str) -> bool {
        self.filter.may_contain(word) && self.words.contains(word)
    }

    /// Whether `word` (normalised) is a stop word: listed, or the conjunction و glued to
    /// a listed word of two letters or more (والتي, والذي, ولكن: the stemmer would
    /// otherwise cut them to تي, ذي, لكن and match every passage that has them).
    #[inline]
    fn contains(&self, word: &str) -> bool {
        self.listed(word)
            || word
                .strip_prefix('و')
                .is_some_and(|rest| rest.len() > 'و'.len_utf8() && self.listed(rest))
    }
}

/// Removes stop words, leaving a gap in positions; a no-op when built with `None`.
#[derive(Clone)]
pub struct StopWordFilter {
    words: Option<Arc<StopWords>>,
}

impl StopWordFilter {
    pub fn new(words: Option<Arc<FxHashSet<String>>>) -> Self {
        StopWordFilter {
            words: words.map(|words| {
                let filter = WordFilter::new(words.iter().map(String::as_str));
                Arc::new(StopWords {
                    words: (*words).clone(),
                    filter,
                })
            }),
        }
    }
}

impl TokenFilter for StopWordFilter {
    type Tokenizer<T: Tokenizer> = StopWordFilterWrapper<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> StopWordFilterWrapper<T> {
        StopWordFilterWrapper {
            words: self.words,
            inner: tokenizer,
        }
    }
}

#[derive(Clone)]
pub struct StopWordFilterWrapper<T> {
    words: Option<Arc<StopWords>>,
    inner: T,
}

impl<T: Tokenizer> Tokenizer for StopWordFilterWrapper<T> {
    type TokenStream<'a> = StopWordStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        StopWordStream {
            words: self.words.as_deref(),
            tail: self.inner.token_stream(text),
        }
    }
}

pub struct StopWordStream<'a, S> {
    words: Option<&'a StopWords>,
    tail: S,
}

impl<S: TokenStream> TokenStream for StopWordStream<'_, S> {
    fn advance(&mut self) -> bool {
        while self.tail.advance() {
            match self.words {
                Some(words) if words.contains(&self.tail.token().text) => continue,
                _ => return true,
            }
        }
        false
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::tokenizer::ArabicTokenizer;
    use crate::config::Config;
    use tantivy::tokenizer::TextAnalyzer;

    fn tokens(text: &str) -> Vec<(String, usize)> {
        let words = Arc::new(stopword_set(&Config::builtin().lexicon.stopwords));
        let mut analyzer = TextAnalyzer::builder(ArabicTokenizer::default())
            .filter(StopWordFilter::new(Some(words)))
            .build();
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while let Some(t) = stream.next() {
            out.push((t.text.clone(), t.position));
        }
        out
    }

    #[test]
    fn stop_words_go_and_positions_stay() {
        assert_eq!(
            tokens("قتال في منطقة من الساحل"),
            vec![
                ("قتال".to_string(), 0),
                ("منطقه".to_string(), 2),
                ("الساحل".to_string(), 4),
            ]
        );
    }

    #[test]
    fn cliticised_and_latin_stop_words_go() {
        assert_eq!(tokens("وفي فيها The de"), vec![]);
    }

    #[test]
    fn waw_before_a_stop_word_goes() {
        // والتي, والذي, ولديه are not listed: و + a listed word.
        assert_eq!(tokens("والتي والذي ولديه"), vec![]);
        // A word that merely starts with و, and و before a one-letter entry, stay.
        assert_eq!(
            tokens("وزير وب"),
            vec![("وزير".to_string(), 0), ("وب".to_string(), 1)]
        );
    }

    #[test]
    fn list_entries_are_normalised() {
        // "إلى" is listed with hamza; text without it is still a stop word.
        assert_eq!(tokens("الى"), vec![]);
    }
}
