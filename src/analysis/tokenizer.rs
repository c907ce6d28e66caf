//! `ArabicTokenizer`: Unicode word segmentation (UAX #29, via unicode-segmentation) fused
//! with normalisation, so each word is scanned once.
//!
//! - Each token's offsets are the byte range of the word *as written* in the input:
//!   diacritics, tatweel and invisible marks inside a word are part of its surface and
//!   never split it (UAX #29 already keeps them in the word; the normaliser drops them
//!   from the term).
//! - A proclitic written apart with tatweel, as in لـ"فاجنر" or بـ”الجبان” or بـ أربعة, is
//!   dropped without taking a position, so the next word is its own token and a phrase
//!   reads through it as if the clitic were glued on.
//! - Inside a UAX #29 word, `:` and apostrophes separate words (French elision l'Azawad,
//!   missing spaces in scraped titles), and so does `.` next to non-ASCII letters; a
//!   hyphen always separates, so CSP-DPA is the two tokens `csp` `dpa` at consecutive
//!   positions (searchable as CSP-DPA, "CSP DPA", csp or dpa).
//! - Words longer than `max_chars` normalised characters are dropped (garbage, base64,
//!   URLs glued together); they take no position.
//!
//! Speed: most chunks between spaces are one plain Arabic or ASCII word, perhaps wrapped
//! in punctuation. For those, UAX #29 cannot find a boundary inside, so the tokenizer
//! takes the word directly; anything else goes through the full UAX #29 segmenter.

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};
use unicode_segmentation::UnicodeSegmentation;

use super::normalize::{is_arabic_letter, is_invisible, normalize_into};

/// Tokenizer for Arabic news text: segmentation plus normalisation.
#[derive(Clone)]
pub struct ArabicTokenizer {
    token: Token,
    max_chars: usize,
    words: Vec<(usize, usize)>,
}

impl ArabicTokenizer {
    /// A tokenizer that drops words longer than `max_chars` normalised characters.
    pub fn new(max_chars: usize) -> Self {
        ArabicTokenizer {
            token: Token::default(),
            max_chars,
            words: Vec::new(),
        }
    }
}

impl Default for ArabicTokenizer {
    fn default() -> Self {
        Self::new(64)
    }
}

/// The stream of tokens over one text.
pub struct ArabicTokenStream<'a> {
    text: &'a str,
    /// Byte offset where the next whitespace-delimited chunk starts being searched.
    cursor: usize,
    /// Word byte ranges of the current chunk not yet emitted, in order.
    words: &'a mut Vec<(usize, usize)>,
    next_word: usize,
    token: &'a mut Token,
    max_chars: usize,
}

impl Tokenizer for ArabicTokenizer {
    type TokenStream<'a> = ArabicTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> ArabicTokenStream<'a> {
        self.token.reset();
        self.words.clear();
        ArabicTokenStream {
            text,
            cursor: 0,
            words: &mut self.words,
            next_word: 0,
            token: &mut self.token,
            max_chars: self.max_chars,
        }
    }
}

/// Characters that can make up a word on the fast path: between two of them UAX #29
/// never breaks (ALetter, Numeric, Extend and Format of the Arabic and ASCII ranges).
#[inline]
fn is_plain_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || matches!(c,
            '\u{0610}'..='\u{061A}'   // Quranic marks (Extend)
            | '\u{0620}'..='\u{065F}' // letters, tatweel, harakat
            | '\u{0660}'..='\u{0669}' // Arabic-Indic digits
            | '\u{066E}'..='\u{06D3}' // extended letters
            | '\u{06D5}'..='\u{06DC}'
            | '\u{06DF}'..='\u{06E8}'
            | '\u{06EA}'..='\u{06FC}'
            | '\u{200C}' | '\u{200D}')
}

/// Characters trimmed from the edges of a chunk on the fast path: punctuation and
/// invisible marks that UAX #29 always separates from a word at its edge.
#[inline]
fn is_edge_char(c: char) -> bool {
    matches!(
        c,
        '"' | '\'' | '(' | ')' | '[' | ']' | '{' | '}' | '<' | '>' | ',' | '.' | ';' | ':' | '!'
            | '?' | '-' | '*' | '/' | '\u{060C}' // ،
            | '\u{061B}' // ؛
            | '\u{061F}' // ؟
            | '\u{06D4}' // ۔
            | '\u{00AB}' | '\u{00BB}' // « »
            | '\u{2018}' | '\u{2019}' | '\u{201C}' | '\u{201D}' // ‘ ’ “ ”
            | '\u{2013}' | '\u{2014}' | '\u{2026}' // – — …
    ) || is_invisible(c)
}

/// Splits inside a UAX #29 word: `:` and apostrophes always, `.` when the word holds
/// non-ASCII letters (Arabic words glued by a missing space), never a decimal point.
#[inline]
fn is_inner_separator(c: char, word_is_ascii: bool) -> bool {
    matches!(c, ':' | '\'' | '\u{2019}' | '\u{2018}' | '\u{00B7}') || (c == '.' && !word_is_ascii)
}

impl ArabicTokenStream<'_> {
    /// Finds the words of the next non-empty chunk; false at the end of the text.
    fn fill_words(&mut self) -> bool {
        self.words.clear();
        self.next_word = 0;
        let bytes = self.text.as_bytes();
        while self.cursor < bytes.len() {
            // Skip ASCII whitespace quickly; other whitespace is handled by UAX #29.
            while self.cursor < bytes.len() && bytes[self.cursor].is_ascii_whitespace() {
                self.cursor += 1;
            }
            let start = self.cursor;
            while self.cursor < bytes.len() && !bytes[self.cursor].is_ascii_whitespace() {
                self.cursor += 1;
            }
            if start < self.cursor {
                segment_chunk(self.text, start, self.cursor, self.words);
                if !self.words.is_empty() {
                    return true;
                }
            }
        }
        false
    }
}

/// Appends the word byte ranges of `text[start..end]` (a chunk with no ASCII whitespace).
fn segment_chunk(text: &str, start: usize, end: usize, words: &mut Vec<(usize, usize)>) {
    let chunk = &text[start..end];
    // Fast path: trim edge punctuation, then a chunk of plain word characters is one word.
    let trimmed_front = chunk.trim_start_matches(is_edge_char);
    let trimmed = trimmed_front.trim_end_matches(is_edge_char);
    if trimmed.is_empty() {
        return;
    }
    let mut plain = true;
    let mut has_digit = false;
    for c in trimmed.chars() {
        if !is_plain_word_char(c) {
            plain = false;
            break;
        }
        has_digit |= is_digit(c);
    }
    if plain {
        let word_start = start + (chunk.len() - trimmed_front.len());
        if has_digit {
            push_split_digits(text, word_start, word_start + trimmed.len(), words);
        } else {
            words.push((word_start, word_start + trimmed.len()));
        }
        return;
    }
    for (seg_offset, segment) in chunk.split_word_bound_indices() {
        if !segment.chars().any(char::is_alphanumeric) {
            continue;
        }
        let seg_start = start + seg_offset;
        let word_is_ascii = segment.is_ascii();
        let mut piece_start = 0;
        for (i, c) in segment.char_indices() {
            if is_inner_separator(c, word_is_ascii) {
                push_trimmed(text, seg_start + piece_start, seg_start + i, words);
                piece_start = i + c.len_utf8();
            }
        }
        push_trimmed(
            text,
            seg_start + piece_start,
            seg_start + segment.len(),
            words,
        );
    }
}

/// Pushes `text[start..end]` without leading or trailing invisible marks, if a word remains.
fn push_trimmed(text: &str, start: usize, end: usize, words: &mut Vec<(usize, usize)>) {
    let piece = &text[start..end];
    let front = piece.trim_start_matches(is_invisible);
    let trimmed = front.trim_end_matches(is_invisible);
    if trimmed.chars().any(char::is_alphanumeric) {
        let s = start + (piece.len() - front.len());
        if trimmed.chars().any(is_digit) {
            push_split_digits(text, s, s + trimmed.len(), words);
        } else {
            words.push((s, s + trimmed.len()));
        }
    }
}

/// ASCII, Arabic-Indic and extended Arabic-Indic digits.
#[inline]
fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || matches!(c, '\u{0660}'..='\u{0669}' | '\u{06F0}'..='\u{06F9}')
}

/// Pushes `text[start..end]` cut where Arabic letters and digits meet: a number glued to
/// an Arabic word is its own word (و2015 → و 2015, أبولو1 → أبولو 1, الـ1 → 1). Latin
/// letters and digits stay together (G20, MH17).
fn push_split_digits(text: &str, start: usize, end: usize, words: &mut Vec<(usize, usize)>) {
    #[derive(PartialEq, Clone, Copy)]
    enum Kind {
        Letter,
        Digit,
    }
    let mut piece_start = start;
    let mut last: Option<Kind> = None;
    for (i, c) in text[start..end].char_indices() {
        let kind = if is_digit(c) {
            Kind::Digit
        } else if is_arabic_letter(c) {
            Kind::Letter
        } else {
            continue; // marks, tatweel, Latin letters: stay with what precedes them
        };
        if last.is_some_and(|k| k != kind) && start + i > piece_start {
            words.push((piece_start, start + i));
            piece_start = start + i;
        }
        last = Some(kind);
    }
    words.push((piece_start, end));
}

/// A proclitic written apart with tatweel (لـ، بـ، وبـ، والـ): not a word of its own.
fn is_detached_proclitic(surface: &str, normalized: &str) -> bool {
    surface.trim_end_matches(is_invisible).ends_with('\u{0640}')
        && normalized.chars().count() <= 3
        && normalized
            .chars()
            .all(super::clitics::is_detached_proclitic_letter)
}

impl TokenStream for ArabicTokenStream<'_> {
    fn advance(&mut self) -> bool {
        loop {
            if self.next_word >= self.words.len() && !self.fill_words() {
                return false;
            }
            let (start, end) = self.words[self.next_word];
            self.next_word += 1;
            let surface = &self.text[start..end];
            normalize_into(surface, &mut self.token.text);
            if self.token.text.is_empty()
                || is_detached_proclitic(surface, &self.token.text)
                || (self.token.text.len() > self.max_chars
                    && self.token.text.chars().nth(self.max_chars).is_some())
            {
                continue;
            }
            self.token.offset_from = start;
            self.token.offset_to = end;
            self.token.position = self.token.position.wrapping_add(1);
            self.token.position_length = 1;
            return true;
        }
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (term, position, surface) for every token of `text`.
    fn tokens(text: &str) -> Vec<(String, usize, String)> {
        let mut analyzer = tantivy::tokenizer::TextAnalyzer::from(ArabicTokenizer::default());
        crate::analysis::tokens_with_surface(&mut analyzer, text)
    }

    fn terms(text: &str) -> Vec<String> {
        tokens(text).into_iter().map(|(t, _, _)| t).collect()
    }

    #[test]
    fn plain_words_and_punctuation() {
        assert_eq!(
            terms("قالت «فاغنر»، في بيان: (الاثنين)."),
            vec!["قالت", "فاغنر", "في", "بيان", "الاثنين"]
        );
    }

    #[test]
    fn tatweel_does_not_split_a_word() {
        assert_eq!(
            tokens("فـاغنر"),
            vec![("فاغنر".to_string(), 0, "فـاغنر".to_string())]
        );
    }

    #[test]
    fn proclitic_with_tatweel_and_quote_is_dropped() {
        assert_eq!(
            tokens("تابعة لـ\"فاجنر\" الروسية"),
            vec![
                ("تابعه".to_string(), 0, "تابعة".to_string()),
                ("فاجنر".to_string(), 1, "فاجنر".to_string()),
                ("الروسيه".to_string(), 2, "الروسية".to_string()),
            ]
        );
        assert_eq!(terms("وصفوه بـ”الجبان”"), vec!["وصفوه", "الجبان"]);
        assert_eq!(terms("ومتمتعاً بـ أربعة"), vec!["ومتمتعا", "اربعه"]);
    }

    #[test]
    fn invisible_marks_never_split_a_word() {
        let text = "م\u{200C}الي و\u{200F}مالي \u{202B}كيدال\u{202C}،";
        assert_eq!(
            tokens(text),
            vec![
                ("مالي".to_string(), 0, "م\u{200C}الي".to_string()),
                ("ومالي".to_string(), 1, "و\u{200F}مالي".to_string()),
                ("كيدال".to_string(), 2, "كيدال".to_string()),
            ]
        );
    }

    #[test]
    fn hyphenated_acronym_gives_its_parts() {
        assert_eq!(
            tokens("حركة CSP-DPA الأزوادية"),
            vec![
                ("حركه".to_string(), 0, "حركة".to_string()),
                ("csp".to_string(), 1, "CSP".to_string()),
                ("dpa".to_string(), 2, "DPA".to_string()),
                ("الازواديه".to_string(), 3, "الأزوادية".to_string()),
            ]
        );
    }

    #[test]
    fn french_elision_and_colon_split() {
        assert_eq!(terms("l'Azawad"), vec!["l", "azawad"]);
        assert_eq!(terms("مالي:الجيش"), vec!["مالي", "الجيش"]);
    }

    #[test]
    fn decimal_numbers_stay_whole_and_digits_fold() {
        assert_eq!(terms("3.5 مليون ٢٠٢٤"), vec!["3.5", "مليون", "2024"]);
    }

    #[test]
    fn numbers_glued_to_arabic_words_split() {
        assert_eq!(terms("أبولو1"), vec!["ابولو", "1"]);
        assert_eq!(
            terms("و2015، الثالث و٩"),
            vec!["و", "2015", "الثالث", "و", "9"]
        );
        assert_eq!(terms("(إترنت2)"), vec!["اترنت", "2"]);
        // Latin letters and digits stay one word; so do decimals.
        assert_eq!(terms("G20 MH17 3.5"), vec!["g20", "mh17", "3.5"]);
        let text = "أبولو1";
        let surfaces: Vec<String> = tokens(text).into_iter().map(|t| t.2).collect();
        assert_eq!(surfaces, vec!["أبولو", "1"]);
    }

    #[test]
    fn arabic_words_glued_by_a_period_split() {
        assert_eq!(terms("مالي.الجيش"), vec!["مالي", "الجيش"]);
    }

    #[test]
    fn diacritics_stay_in_the_surface() {
        assert_eq!(
            tokens("مُسيرة"),
            vec![("مسيره".to_string(), 0, "مُسيرة".to_string())]
        );
    }

    #[test]
    fn presentation_forms_keep_their_offsets() {
        assert_eq!(
            tokens("ﻣﺎﻟﻲ"),
            vec![("مالي".to_string(), 0, "ﻣﺎﻟﻲ".to_string())]
        );
    }

    #[test]
    fn overlong_words_are_dropped_without_a_position() {
        let long = "ا".repeat(65);
        let text = format!("مالي {long} كيدال");
        assert_eq!(
            tokens(&text)
                .into_iter()
                .map(|(t, p, _)| (t, p))
                .collect::<Vec<_>>(),
            vec![("مالي".to_string(), 0), ("كيدال".to_string(), 1)]
        );
    }

    #[test]
    fn non_ascii_whitespace_separates() {
        assert_eq!(
            terms("مالي\u{00A0}كيدال\u{2003}غاو"),
            vec!["مالي", "كيدال", "غاو"]
        );
    }

    #[test]
    fn empty_and_punctuation_only_input() {
        assert!(terms("").is_empty());
        assert!(terms(" ، . « » ").is_empty());
        assert!(terms("\u{064E}\u{0651}").is_empty());
    }
}
