//! `WordFilter`: a one-bit-per-slot filter in front of a word set or map.
//!
//! Every token is looked up in the stop word set, the name lexicon (twice) and the
//! stemmer's protected names, and almost none is in them. The filter answers most of
//! those lookups "no" from one bit chosen by the word's length and its first and last
//! bytes, without hashing the word or probing the table; "maybe" falls through to the
//! real lookup, so answers never change.

/// Set bits for the words of a set; `may_contain` is false only for words not in it.
#[derive(Clone, Debug, Default)]
pub struct WordFilter {
    bits: Vec<u64>,
    /// 64 − log2(number of bits).
    shift: u32,
}

impl WordFilter {
    /// A filter for `words`, with about 16 bits per word.
    pub fn new<'a>(words: impl Iterator<Item = &'a str> + Clone) -> WordFilter {
        let slots = (words.clone().count() * 16).next_power_of_two().max(1024);
        let mut filter = WordFilter {
            bits: vec![0; slots / 64],
            shift: 64 - slots.trailing_zeros(),
        };
        for word in words {
            let slot = filter.slot(word);
            filter.bits[slot / 64] |= 1 << (slot % 64);
        }
        filter
    }

    #[inline]
    fn slot(&self, word: &str) -> usize {
        let b = word.as_bytes();
        let n = b.len();
        let key = match n {
            0 => 0,
            _ => {
                (n as u64)
                    | u64::from(b[0]) << 8
                    | u64::from(b[1.min(n - 1)]) << 16
                    | u64::from(b[n.saturating_sub(2)]) << 24
                    | u64::from(b[n - 1]) << 32
                    | u64::from(b[n / 2]) << 40
            }
        };
        (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> self.shift) as usize
    }

    /// False when `word` is certainly not one of the filter's words.
    #[inline]
    pub fn may_contain(&self, word: &str) -> bool {
        if self.bits.is_empty() {
            return false;
        }
        let slot = self.slot(word);
        self.bits[slot / 64] & (1 << (slot % 64)) != 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn members_always_pass_and_most_others_do_not() {
        let words: Vec<String> = (0..300).map(|i| format!("كلمة{i}")).collect();
        let filter = WordFilter::new(words.iter().map(String::as_str));
        assert!(words.iter().all(|w| filter.may_contain(w)));
        assert!(filter.may_contain("كلمة7"));
        let others = (0..10_000)
            .map(|i| format!("غيرها{i}"))
            .filter(|w| filter.may_contain(w))
            .count();
        assert!(others < 1_000, "{others}");
        assert!(!WordFilter::default().may_contain("كلمة"));
        assert!(!WordFilter::new(std::iter::empty()).may_contain(""));
    }
}
