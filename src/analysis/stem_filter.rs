//! `LightStemFilter`: the token filter that applies a [`LightStemmer`] to each token,
//! telling it whether the token's surface was written with a final ة.

use std::sync::Arc;

use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

use super::normalize::ends_with_ta_marbuta;
use super::senses::SENSE_MARK;
use super::stem::LightStemmer;

/// Token filter applying a [`LightStemmer`]; a no-op when disabled.
#[derive(Clone)]
pub struct LightStemFilter {
    stemmer: Option<Arc<LightStemmer>>,
}

impl LightStemFilter {
    pub fn new(stemmer: Option<Arc<LightStemmer>>) -> Self {
        LightStemFilter { stemmer }
    }
}

impl TokenFilter for LightStemFilter {
    type Tokenizer<T: Tokenizer> = LightStemFilterWrapper<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> LightStemFilterWrapper<T> {
        LightStemFilterWrapper {
            stemmer: self.stemmer,
            inner: tokenizer,
        }
    }
}

#[derive(Clone)]
pub struct LightStemFilterWrapper<T> {
    stemmer: Option<Arc<LightStemmer>>,
    inner: T,
}

impl<T: Tokenizer> Tokenizer for LightStemFilterWrapper<T> {
    type TokenStream<'a> = LightStemStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        LightStemStream {
            stemmer: self.stemmer.as_deref(),
            text,
            tail: self.inner.token_stream(text),
        }
    }
}

pub struct LightStemStream<'a, S> {
    stemmer: Option<&'a LightStemmer>,
    /// The text being analysed: the tokens' offsets point into it.
    text: &'a str,
    tail: S,
}

impl<S: TokenStream> TokenStream for LightStemStream<'_, S> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        if let Some(stemmer) = self.stemmer {
            let token = self.tail.token_mut();
            // A sense term (كيدال#person) is final: stripping ك would make it another's.
            if token.text.contains(SENSE_MARK) {
                return true;
            }
            // Whether a final ه was written ة: a look at the surface's last letters, for
            // words ending with ه only.
            let ta_marbuta = token.text.ends_with('ه')
                && self
                    .text
                    .get(token.offset_from..token.offset_to)
                    .is_some_and(ends_with_ta_marbuta);
            let stem = stemmer.stem_written(&token.text, ta_marbuta);
            if stem.len() != token.text.len() {
                // The stem is a contiguous slice: move it to the front in place.
                let start = stem.as_ptr() as usize - token.text.as_ptr() as usize;
                let end = start + stem.len();
                token.text.truncate(end);
                token.text.drain(..start);
            }
        }
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}
