//! The proclitics of Arabic, as one table for every place that strips or adds them: the
//! name lexicon ([`super::names`]), the gazetteer's first words (`entities`), the
//! tokenizer's detached proclitics (لـ، بـ) and the query-side variants
//! ([`super::variants`]). (The light stemmer's prefixes are data: `schema.json` →
//! `stemmer`.)
//!
//! A word may carry a conjunction (و "and", ف "so"), then a preposition (ب "with", ل
//! "for", ك "like"), then the article ال; ل before the article is written لل.

/// The one-letter proclitics: the conjunctions و ف and the prepositions ب ل ك.
pub const PROCLITIC_LETTERS: [char; 5] = ['و', 'ف', 'ب', 'ل', 'ك'];

/// The article.
pub const ARTICLE: &str = "ال";

/// The future prefix of verbs (سيقول), which can also be written apart with tatweel.
const FUTURE: char = 'س';

/// Proclitic combinations before a word without the article: a conjunction, a
/// preposition, or a conjunction then a preposition.
pub const PROCLITICS: &[&str] = &["و", "ف", "ب", "ل", "ك", "وب", "ول", "وك", "فب", "فل", "فك"];

/// Proclitic combinations before a word with the article, as written (they replace its
/// ال), each with how the word gets its article back: strip the first, put the second
/// (والمرتزقة → المرتزقة, للمرتزقة → المرتزقة).
pub const ARTICLE_PROCLITICS: &[(&str, (&str, &str))] = &[
    ("وال", ("و", "")),
    ("فال", ("ف", "")),
    ("بال", ("ب", "")),
    ("كال", ("ك", "")),
    ("وبال", ("وب", "")),
    ("فبال", ("فب", "")),
    ("لل", ("لل", "ال")),
    ("ولل", ("ولل", "ال")),
    ("فلل", ("فلل", "ال")),
];

/// Every proclitic combination a word can start with: [`PROCLITICS`], the article, and
/// [`ARTICLE_PROCLITICS`].
pub fn all_combinations() -> impl Iterator<Item = &'static str> {
    PROCLITICS
        .iter()
        .copied()
        .chain(std::iter::once(ARTICLE))
        .chain(ARTICLE_PROCLITICS.iter().map(|(written, _)| *written))
}

/// Whether `c` is a one-letter proclitic (و ف ب ل ك).
#[inline]
pub fn is_proclitic_letter(c: char) -> bool {
    PROCLITIC_LETTERS.contains(&c)
}

/// Whether `c` can be part of a proclitic written apart with tatweel (لـ، بـ، وبـ، والـ،
/// سـ): a proclitic letter, a letter of the article, or the future prefix.
#[inline]
pub fn is_detached_proclitic_letter(c: char) -> bool {
    is_proclitic_letter(c) || ARTICLE.contains(c) || c == FUTURE
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_combination_once() {
        let all: Vec<&str> = all_combinations().collect();
        assert_eq!(all.len(), 21);
        let mut distinct = all.clone();
        distinct.sort();
        distinct.dedup();
        assert_eq!(distinct.len(), all.len());
        for combination in ["و", "ال", "وال", "بال", "لل", "ولل", "وبال", "فك"]
        {
            assert!(all.contains(&combination), "{combination}");
        }
    }

    #[test]
    fn detached_proclitic_letters() {
        for c in ['و', 'ف', 'ب', 'ل', 'ك', 'س', 'ا'] {
            assert!(is_detached_proclitic_letter(c), "{c}");
        }
        for c in ['م', 'ت', 'ي', 'a'] {
            assert!(!is_detached_proclitic_letter(c), "{c}");
        }
    }
}
