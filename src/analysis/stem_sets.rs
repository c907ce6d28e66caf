//! Quick lookups for the light stemmer ([`super::stem`]): byte sets that reject most
//! words before any affix comparison, sets of word starts (the guard lists), and inline
//! affix comparisons.

use rustc_hash::FxHashSet;

/// A set of bytes.
#[derive(Debug)]
pub(super) struct ByteSet([bool; 256]);

impl ByteSet {
    pub(super) fn new(bytes: impl Iterator<Item = u8>) -> ByteSet {
        let mut set = [false; 256];
        for b in bytes {
            set[usize::from(b)] = true;
        }
        ByteSet(set)
    }

    #[inline]
    pub(super) fn has(&self, b: u8) -> bool {
        self.0[usize::from(b)]
    }
}

/// The last byte of the first character of `s` (0 if empty).
#[inline]
pub(super) fn first_char_last_byte(s: &str) -> u8 {
    s.chars()
        .next()
        .map_or(0, |c| s.as_bytes()[c.len_utf8() - 1])
}

/// A set of word starts: which of them a word begins with, by one lookup per distinct
/// length rather than a comparison per entry.
#[derive(Debug, Default)]
pub(super) struct PrefixSet {
    words: FxHashSet<String>,
    /// The distinct byte lengths of `words`, shortest first.
    lens: Vec<usize>,
}

impl PrefixSet {
    pub(super) fn insert(&mut self, word: String) {
        if let Err(at) = self.lens.binary_search(&word.len()) {
            self.lens.insert(at, word.len());
        }
        self.words.insert(word);
    }

    /// The byte lengths of the entries `word` starts with, shortest first.
    pub(super) fn prefixes_of<'a>(&'a self, word: &'a str) -> impl Iterator<Item = usize> + 'a {
        self.lens
            .iter()
            .copied()
            .take_while(move |&len| len <= word.len())
            .filter(move |&len| word.is_char_boundary(len) && self.words.contains(&word[..len]))
    }
}

/// `word.starts_with(prefix)` for the few bytes of an affix, compared inline.
#[inline(always)]
pub(super) fn starts_with(word: &str, prefix: &str) -> bool {
    let (w, p) = (word.as_bytes(), prefix.as_bytes());
    w.len() >= p.len() && w.iter().zip(p).all(|(a, b)| a == b)
}

/// `word.ends_with(suffix)` for the few bytes of an affix, compared inline.
#[inline(always)]
pub(super) fn ends_with(word: &str, suffix: &str) -> bool {
    // From the end: the last byte tells most letters apart, the first is a lead byte
    // most Arabic letters share.
    let (w, s) = (word.as_bytes(), suffix.as_bytes());
    w.len() >= s.len() && w.iter().rev().zip(s.iter().rev()).all(|(a, b)| a == b)
}
