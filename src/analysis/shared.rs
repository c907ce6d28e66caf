//! `SharedFront`: the first stages of the chain (segmentation, normalisation, names) run
//! once per text even when several fields analyse the same text.
//!
//! Every passage is indexed twice, in `text` (`arabic`) and `text_exact`
//! (`arabic_exact`), and both analyzers start with the same tokenizer and name filter.
//! tantivy analyses a document's fields one after the other on one thread, so a small
//! per-thread cache of the last texts' front tokens lets the second field replay the
//! first one's tokens instead of segmenting and normalising the passage again. The title
//! of an article, repeated on each of its passages, hits the cache the same way.
//!
//! The cache is keyed by the front's configuration and the text itself (compared in
//! full), so it can never hand one analyzer another's tokens. Texts over
//! [`MAX_CACHED_BYTES`] are not cached.

use std::cell::RefCell;

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

/// Longer texts are analysed without caching.
pub const MAX_CACHED_BYTES: usize = 64 * 1024;
/// Texts remembered per thread: a passage's text, and its article's title.
const SLOTS: usize = 2;

#[derive(Default)]
struct Slot {
    front: u64,
    text: String,
    tokens: Vec<Token>,
    len: usize,
}

#[derive(Default)]
struct FrontCache {
    slots: [Slot; SLOTS],
    /// When each slot was last used (a counter): the least recently used is replaced,
    /// so a title used on every passage stays while passage texts come and go.
    used: [u64; SLOTS],
    clock: u64,
}

thread_local! {
    static CACHE: RefCell<FrontCache> = RefCell::new(FrontCache::default());
}

/// Copies `src` into `dst`, reusing `dst`'s text allocation (`Token`'s derived
/// `clone_from` would allocate a new string and free the old one).
#[inline]
pub(crate) fn copy_token(dst: &mut Token, src: &Token) {
    dst.offset_from = src.offset_from;
    dst.offset_to = src.offset_to;
    dst.position = src.position;
    dst.position_length = src.position_length;
    dst.text.clone_from(&src.text);
}

/// Moves `src`'s text into `dst` (giving `src` `dst`'s old string to write its next token
/// into) and copies the rest.
#[inline]
pub(crate) fn take_token(dst: &mut Token, src: &mut Token) {
    dst.offset_from = src.offset_from;
    dst.offset_to = src.offset_to;
    dst.position = src.position;
    dst.position_length = src.position_length;
    std::mem::swap(&mut dst.text, &mut src.text);
}

/// Copies `from` into the first `from.len()` tokens of `to`, reusing `to`'s string
/// allocations; tokens of `to` past them are left as they are (callers keep a length).
fn copy_tokens(from: &[Token], to: &mut Vec<Token>) {
    for (dst, src) in to.iter_mut().zip(from) {
        copy_token(dst, src);
    }
    let have = to.len().min(from.len());
    to.extend(from[have..].iter().cloned());
}

/// Wraps the front of a chain (`inner`) with the per-thread cache.
#[derive(Clone)]
pub struct SharedFront<T> {
    inner: T,
    /// Identifies the front's configuration: equal ids produce equal tokens.
    front: u64,
    buffer: Vec<Token>,
}

impl<T> SharedFront<T> {
    pub fn new(inner: T, front: u64) -> Self {
        SharedFront {
            inner,
            front,
            buffer: Vec::new(),
        }
    }
}

/// Replays the front tokens of one text.
pub struct ReplayStream<'a> {
    tokens: &'a mut [Token],
    at: usize,
    /// Returned by `token()` outside the tokens (before the first `advance`).
    none: Token,
}

impl<'a> ReplayStream<'a> {
    /// A stream over tokens already made (by a filter that needs the whole text first).
    pub fn new(tokens: &'a mut [Token]) -> ReplayStream<'a> {
        ReplayStream {
            tokens,
            at: 0,
            none: Token::default(),
        }
    }
}

impl<T: Tokenizer> Tokenizer for SharedFront<T> {
    type TokenStream<'a> = ReplayStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> ReplayStream<'a> {
        let mut len = 0;
        let cacheable = text.len() <= MAX_CACHED_BYTES;
        let hit = cacheable
            && CACHE.with(|cache| {
                let mut cache = cache.borrow_mut();
                let found = cache
                    .slots
                    .iter()
                    .position(|s| s.front == self.front && s.len > 0 && s.text == text);
                match found {
                    Some(at) => {
                        cache.clock += 1;
                        cache.used[at] = cache.clock;
                        let slot = &cache.slots[at];
                        copy_tokens(&slot.tokens[..slot.len], &mut self.buffer);
                        len = slot.len;
                        true
                    }
                    None => false,
                }
            });
        if !hit {
            // The front writes each token's text afresh: its strings are taken, not
            // copied.
            let mut stream = self.inner.token_stream(text);
            while stream.advance() {
                if len == self.buffer.len() {
                    self.buffer.push(Token::default());
                }
                take_token(&mut self.buffer[len], stream.token_mut());
                len += 1;
            }
            if cacheable && len > 0 {
                CACHE.with(|cache| {
                    let mut cache = cache.borrow_mut();
                    let at = (0..SLOTS).min_by_key(|&i| cache.used[i]).unwrap_or(0);
                    cache.clock += 1;
                    cache.used[at] = cache.clock;
                    let slot = &mut cache.slots[at];
                    slot.front = self.front;
                    slot.text.clear();
                    slot.text.push_str(text);
                    copy_tokens(&self.buffer[..len], &mut slot.tokens);
                    slot.len = len;
                });
            }
        }
        ReplayStream {
            tokens: &mut self.buffer[..len],
            at: 0,
            none: Token::default(),
        }
    }
}

impl TokenStream for ReplayStream<'_> {
    fn advance(&mut self) -> bool {
        if self.at < self.tokens.len() {
            self.at += 1;
            true
        } else {
            false
        }
    }

    fn token(&self) -> &Token {
        match self.at.checked_sub(1) {
            Some(i) => &self.tokens[i],
            None => &self.none,
        }
    }

    fn token_mut(&mut self) -> &mut Token {
        match self.at.checked_sub(1) {
            Some(i) => &mut self.tokens[i],
            None => &mut self.none,
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::analysis::{analyze, Analysis};
    use crate::config::Config;

    #[test]
    fn both_fields_give_what_they_give_alone() {
        let analysis = Analysis::new(&Config::builtin()).expect("config");
        let text = "قال مسؤولون إن مرتزقة فاغنر انسحبوا من تين زاوتين";
        // Alone, on fresh threads (empty caches).
        let alone = |name: &'static str| {
            let analysis = analysis.clone();
            std::thread::spawn(move || analyze(&mut analysis.analyzer(name).expect("exists"), text))
                .join()
                .expect("thread")
        };
        let exact_alone = alone("arabic_exact");
        let ranked_alone = alone("arabic");
        // One after the other on this thread, both orders, twice.
        for _ in 0..2 {
            let mut exact = analysis.analyzer("arabic_exact").expect("exists");
            let mut ranked = analysis.analyzer("arabic").expect("exists");
            assert_eq!(analyze(&mut exact, text), exact_alone);
            assert_eq!(analyze(&mut ranked, text), ranked_alone);
            assert_eq!(analyze(&mut ranked, text), ranked_alone);
            assert_eq!(analyze(&mut exact, text), exact_alone);
        }
        assert_ne!(exact_alone, ranked_alone);
    }

    #[test]
    fn different_texts_do_not_mix() {
        let analysis = Analysis::new(&Config::builtin()).expect("config");
        let mut exact = analysis.analyzer("arabic_exact").expect("exists");
        let a = analyze(&mut exact, "فاغنر في مالي");
        let b = analyze(&mut exact, "الفيلق الأفريقي");
        let c = analyze(&mut exact, "كيدال");
        assert_eq!(analyze(&mut exact, "فاغنر في مالي"), a);
        assert_eq!(analyze(&mut exact, "الفيلق الأفريقي"), b);
        assert_eq!(analyze(&mut exact, "كيدال"), c);
        assert!(analyze(&mut exact, "").is_empty());
    }
}
