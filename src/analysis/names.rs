//! `NameFilter`: folds the spellings of known names to one canonical term.
//!
//! For every name in `lexicon.json` it
//! - joins a multi-word spelling into one token (تين زاوتين → تينزاوتين), which takes the
//!   first word's position; the positions after it close up, so a phrase written with
//!   the split spelling lines up with one written joined;
//! - removes proclitics glued to the name (وفاغنر, لفاغنر, بمورا, والنيجر);
//! - maps every listed spelling, and with `g_folding` its ج/غ twins, to the canonical
//!   (first) spelling, normalised;
//! - outside the lexicon, folds ج into غ in words with a foreign ending (بلومبرج) or, for
//!   measurement, everywhere.
//!
//! All spellings, with every proclitic combination, are expanded into one hash map when
//! the lexicon is loaded, so a token costs one lookup.

use std::collections::VecDeque;
use std::sync::Arc;

use rustc_hash::{FxHashMap, FxHashSet};
use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

use super::clitics;
use super::normalize::normalize_phrase;
use super::wordfilter::WordFilter;
use crate::config::{GFolding, LexiconConfig};

/// A name is recognised under a proclitic only if at least this many letters remain.
const MIN_NAME_CHARS: usize = 3;

/// The words after the first of a multi-word spelling, and the name's canonical term.
type Continuation = (Vec<String>, Arc<str>);

/// The name lexicon, compiled for lookup.
#[derive(Debug, Default)]
pub struct NameLexicon {
    /// One-word spelling (with or without proclitics) → canonical term.
    single: FxHashMap<String, Arc<str>>,
    /// First word of a multi-word spelling (with or without proclitics) → the remaining
    /// words and the canonical term, longest first.
    multi: FxHashMap<String, Vec<Continuation>>,
    /// Canonical terms, and the same without the article ال: the forms the stemmer must
    /// not cut.
    protected: FxHashSet<String>,
    /// Foreign endings in both g spellings.
    g_suffixes: Vec<String>,
    g_min_stem: usize,
    /// Unique per compiled lexicon (see [`NameLexicon::build_id`]).
    build_id: u64,
    /// Quick "no" for the keys of `single`, `multi` and `protected`.
    single_filter: WordFilter,
    multi_filter: WordFilter,
    protected_filter: WordFilter,
}

/// Counts compiled lexicons, to give each its `build_id`.
static BUILDS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

impl NameLexicon {
    /// Compiles the lexicon. With `g_variants`, every spelling is also known with its
    /// ج and غ exchanged.
    pub fn new(lexicon: &LexiconConfig, g_variants: bool) -> NameLexicon {
        let mut names = NameLexicon {
            g_min_stem: lexicon.g_folding_patterns.min_stem,
            build_id: BUILDS.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            ..NameLexicon::default()
        };
        for suffix in &lexicon.g_folding_patterns.suffixes {
            for word in normalize_phrase(suffix) {
                names.g_suffixes.push(g_to_ghain(&word));
            }
        }
        for entry in &lexicon.names {
            let Some(canonical_words) = entry.spellings.first().map(|s| normalize_phrase(s)) else {
                continue;
            };
            if canonical_words.is_empty() {
                continue;
            }
            let canonical: Arc<str> = Arc::from(canonical_words.concat());
            names.protected.insert(canonical.to_string());
            if let Some(bare) = canonical.strip_prefix("ال") {
                if bare.chars().count() >= 2 {
                    names.protected.insert(bare.to_string());
                }
            }
            for spelling in &entry.spellings {
                let words = normalize_phrase(spelling);
                if words.is_empty() {
                    continue;
                }
                let mut variants = vec![words.clone()];
                if g_variants {
                    for swapped in [
                        words
                            .iter()
                            .map(|w| w.replace('ج', "غ"))
                            .collect::<Vec<_>>(),
                        words
                            .iter()
                            .map(|w| w.replace('غ', "ج"))
                            .collect::<Vec<_>>(),
                    ] {
                        if !variants.contains(&swapped) {
                            variants.push(swapped);
                        }
                    }
                }
                for variant in variants {
                    names.add_spelling(&variant, &canonical);
                }
            }
        }
        for continuations in names.multi.values_mut() {
            continuations.sort_by_key(|(rest, _)| std::cmp::Reverse(rest.len()));
            continuations.dedup();
        }
        names.single_filter = WordFilter::new(names.single.keys().map(String::as_str));
        names.multi_filter = WordFilter::new(names.multi.keys().map(String::as_str));
        names.protected_filter = WordFilter::new(names.protected.iter().map(String::as_str));
        names
    }

    fn add_spelling(&mut self, words: &[String], canonical: &Arc<str>) {
        let first = &words[0];
        let mut firsts = vec![first.clone()];
        for proclitic in clitics::all_combinations() {
            // A spelling that already has the article takes only the proclitics before it.
            let cliticised = if let Some(bare) = first.strip_prefix("ال") {
                match proclitic {
                    "و" | "ف" | "ب" | "ك" | "وب" | "فب" => format!("{proclitic}{first}"),
                    "ل" | "ول" | "فل" => format!("{proclitic}ل{bare}"),
                    _ => continue,
                }
            } else {
                format!("{proclitic}{first}")
            };
            firsts.push(cliticised);
        }
        // The joined spelling of a multi-word name is a one-word spelling too.
        let joined = words.concat();
        if words.len() > 1 {
            self.insert_single(&joined, canonical, true);
            for first_form in &firsts {
                self.multi
                    .entry(first_form.clone())
                    .or_default()
                    .push((words[1..].to_vec(), canonical.clone()));
            }
        } else {
            for (i, form) in firsts.iter().enumerate() {
                self.insert_single(form, canonical, i == 0);
            }
        }
    }

    fn insert_single(&mut self, form: &str, canonical: &Arc<str>, as_written: bool) {
        if !as_written && form.chars().count() < MIN_NAME_CHARS + 1 {
            return;
        }
        // A spelling as written wins over a cliticised form of another name.
        if as_written || !self.single.contains_key(form) {
            self.single.insert(form.to_string(), canonical.clone());
        }
    }

    /// An id no other compiled lexicon of this process has: caches keyed by it never
    /// mix two configurations.
    pub fn build_id(&self) -> u64 {
        self.build_id
    }

    /// The canonical term of a one-word spelling, if it is a known name.
    pub fn lookup(&self, word: &str) -> Option<&Arc<str>> {
        if !self.single_filter.may_contain(word) {
            return None;
        }
        self.single.get(word)
    }

    /// The multi-word spellings that start with `word`, longest first.
    fn continuations(&self, word: &str) -> Option<&Vec<Continuation>> {
        if !self.multi_filter.may_contain(word) {
            return None;
        }
        self.multi.get(word)
    }

    /// Whether `word` (normalised) is a name kept whole: the stemmer leaves its letters
    /// alone (but for the article) and the query side gives it no other segmentation
    /// ([`super::variants`]): the one rule of both sides.
    pub fn keeps_whole(&self, word: &str) -> bool {
        self.protected_filter.may_contain(word) && self.protected.contains(word)
    }

    /// Whether `word` ends with a foreign ending written with ج or غ.
    fn has_foreign_ending(&self, word: &str) -> bool {
        if !word.contains(['ج', 'غ']) {
            return false;
        }
        // Compare from the end with ج read as غ, without building the folded word: this
        // runs on every word that has either letter.
        let fold = |c: char| if c == 'ج' { 'غ' } else { c };
        self.g_suffixes.iter().any(|suffix| {
            let mut word_chars = word.chars().rev();
            suffix
                .chars()
                .rev()
                .all(|s| word_chars.next().is_some_and(|w| fold(w) == s))
                && word_chars.count() >= self.g_min_stem
        })
    }
}

fn g_to_ghain(word: &str) -> String {
    word.replace('ج', "غ")
}

/// Token filter applying a [`NameLexicon`].
#[derive(Clone)]
pub struct NameFilter {
    lexicon: Arc<NameLexicon>,
    enabled: bool,
    g_folding: GFolding,
}

impl NameFilter {
    pub fn new(lexicon: Arc<NameLexicon>, enabled: bool, g_folding: GFolding) -> Self {
        NameFilter {
            lexicon,
            enabled,
            g_folding,
        }
    }
}

impl TokenFilter for NameFilter {
    type Tokenizer<T: Tokenizer> = NameFilterWrapper<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> NameFilterWrapper<T> {
        NameFilterWrapper {
            filter: self,
            inner: tokenizer,
        }
    }
}

#[derive(Clone)]
pub struct NameFilterWrapper<T> {
    filter: NameFilter,
    inner: T,
}

impl<T: Tokenizer> Tokenizer for NameFilterWrapper<T> {
    type TokenStream<'a> = NameFilterStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        NameFilterStream {
            filter: &self.filter,
            tail: self.inner.token_stream(text),
            lookahead: VecDeque::new(),
            current: Token::default(),
            position_shift: 0,
        }
    }
}

pub struct NameFilterStream<'a, S> {
    filter: &'a NameFilter,
    tail: S,
    /// Tokens read ahead while trying a multi-word name.
    lookahead: VecDeque<Token>,
    current: Token,
    /// How many positions the joined names so far have saved.
    position_shift: usize,
}

impl<S: TokenStream> NameFilterStream<'_, S> {
    /// The next token from the look-ahead buffer or the inner stream, into `current`.
    fn pull(&mut self) -> bool {
        if let Some(token) = self.lookahead.pop_front() {
            self.current = token;
            return true;
        }
        if self.tail.advance() {
            // The text is taken (the tokenizer writes each token's text afresh), the
            // rest copied: the tokenizer counts positions on its own token.
            super::shared::take_token(&mut self.current, self.tail.token_mut());
            return true;
        }
        false
    }

    /// Makes sure `n` tokens are buffered after `current`; false if the text ends first.
    fn fill_lookahead(&mut self, n: usize) -> bool {
        while self.lookahead.len() < n {
            if !self.tail.advance() {
                return false;
            }
            self.lookahead.push_back(self.tail.token().clone());
        }
        true
    }

    /// Tries the multi-word names starting with `current`; joins them on success.
    fn join_multi_word(&mut self) -> bool {
        // The filter outlives the stream: borrow the lexicon from it, not from `self`.
        let filter: &NameFilter = self.filter;
        let Some(candidates) = filter.lexicon.continuations(&self.current.text) else {
            return false;
        };
        for (rest, canonical) in candidates {
            if !self.fill_lookahead(rest.len()) {
                continue;
            }
            if rest
                .iter()
                .zip(self.lookahead.iter())
                .all(|(word, token)| *word == token.text)
            {
                if let Some(last) = self.lookahead.drain(..rest.len()).next_back() {
                    self.current.offset_to = last.offset_to;
                }
                self.current.text.clear();
                self.current.text.push_str(canonical);
                self.current.position_length = 1;
                self.position_shift += rest.len();
                return true;
            }
        }
        false
    }
}

impl<S: TokenStream> TokenStream for NameFilterStream<'_, S> {
    fn advance(&mut self) -> bool {
        if !self.pull() {
            return false;
        }
        if self.filter.enabled {
            // The shift applies to this token's own position too: earlier joins saved it.
            let shift = self.position_shift;
            if !self.join_multi_word() {
                if let Some(canonical) = self.filter.lexicon.lookup(&self.current.text) {
                    self.current.text.clear();
                    self.current.text.push_str(canonical);
                } else {
                    match self.filter.g_folding {
                        GFolding::Everywhere if self.current.text.contains('ج') => {
                            self.current.text = g_to_ghain(&self.current.text);
                        }
                        GFolding::Lexicon
                            if self.filter.lexicon.has_foreign_ending(&self.current.text) =>
                        {
                            self.current.text = g_to_ghain(&self.current.text);
                        }
                        _ => {}
                    }
                }
            }
            self.current.position -= shift;
        } else if self.filter.g_folding == GFolding::Everywhere && self.current.text.contains('ج')
        {
            self.current.text = g_to_ghain(&self.current.text);
        }
        true
    }

    fn token(&self) -> &Token {
        &self.current
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.current
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::tokenizer::ArabicTokenizer;
    use crate::config::Config;
    use tantivy::tokenizer::TextAnalyzer;

    fn analyzer(g_folding: GFolding) -> TextAnalyzer {
        let config = Config::builtin();
        let lexicon = Arc::new(NameLexicon::new(
            &config.lexicon,
            g_folding != GFolding::None,
        ));
        TextAnalyzer::builder(ArabicTokenizer::default())
            .filter(NameFilter::new(lexicon, true, g_folding))
            .build()
    }

    fn tokens(text: &str) -> Vec<(String, usize, String)> {
        crate::analysis::tokens_with_surface(&mut analyzer(GFolding::Lexicon), text)
    }

    fn terms(text: &str) -> Vec<String> {
        tokens(text).into_iter().map(|(t, _, _)| t).collect()
    }

    #[test]
    fn wagner_spellings_meet() {
        for spelling in ["فاغنر", "فاجنر", "ڤاغنر", "فـاغنر", "فاجنير"] {
            assert_eq!(terms(spelling), vec!["فاغنر"], "{spelling}");
        }
    }

    #[test]
    fn proclitics_come_off_names() {
        assert_eq!(terms("وفاغنر لفاجنر بمورا"), vec!["فاغنر", "فاغنر", "مورا"]);
        assert_eq!(terms("والنيجر للنيجر"), vec!["النيجر", "النيجر"]);
    }

    #[test]
    fn split_and_joined_place_names_meet() {
        for spelling in [
            "تين زاوتين",
            "تين زواتين",
            "تنزاواتين",
            "تينزاواتين",
            "بتين زاوتين",
        ] {
            assert_eq!(terms(spelling), vec!["تينزاوتين"], "{spelling}");
        }
    }

    #[test]
    fn joined_name_closes_up_positions_and_spans_both_words() {
        assert_eq!(
            tokens("معركة تين زاوتين الحدودية"),
            vec![
                ("معركه".to_string(), 0, "معركة".to_string()),
                ("تينزاوتين".to_string(), 1, "تين زاوتين".to_string()),
                ("الحدوديه".to_string(), 2, "الحدودية".to_string()),
            ]
        );
    }

    #[test]
    fn first_word_alone_is_not_a_name() {
        // تين alone is "figs".
        assert_eq!(terms("تين مجفف"), vec!["تين", "مجفف"]);
    }

    #[test]
    fn g_twins_of_lexicon_names_meet() {
        assert_eq!(
            terms("جاو غاو تليجرام تليغرام"),
            vec!["غاو", "غاو", "تليغرام", "تليغرام"]
        );
    }

    #[test]
    fn foreign_endings_fold_g_outside_the_lexicon() {
        assert_eq!(terms("هامبورج هامبورغ"), vec!["هامبورغ", "هامبورغ"]);
        assert_eq!(terms("تكنولوجيا"), vec!["تكنولوغيا"]);
    }

    #[test]
    fn native_words_keep_their_letters() {
        assert_eq!(terms("غرب جرب برج"), vec!["غرب", "جرب", "برج"]);
    }

    #[test]
    fn everywhere_folding_is_available_for_measurement() {
        let mut analyzer = analyzer(GFolding::Everywhere);
        let mut stream = analyzer.token_stream("جرب");
        assert_eq!(
            stream.next().map(|t| t.text.clone()),
            Some("غرب".to_string())
        );
    }

    #[test]
    fn protected_forms_include_the_bare_name() {
        let lexicon = NameLexicon::new(&Config::builtin().lexicon, true);
        assert!(lexicon.keeps_whole("مالي"));
        assert!(lexicon.keeps_whole("النيجر"));
        assert!(lexicon.keeps_whole("نيجر"));
        assert!(!lexicon.keeps_whole("مال"));
    }
}
