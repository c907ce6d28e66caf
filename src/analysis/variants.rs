//! Query-side variants of a word: the other ranked terms a typed word may stand for in the
//! passages, each with a weight. They mirror what the light stemmer ([`super::stem`]) does
//! and cannot know from one word alone:
//!
//! - **other segmentations** (weight `variants`): light stemming cuts a word by its first
//!   letters, so a name or loanword that starts like a clitic is cut differently with and
//!   without the article (البانثرز → بانثرز but بانثرز → انثرز; كاليفورنيا → يفورن but
//!   لكاليفورنيا → كاليفورن). The word is also analysed with the article added or removed
//!   and without a one-letter proclitic ([`super::clitics::PROCLITIC_LETTERS`], words of
//!   [`MIN_LETTERS_WITH_PROCLITIC`] letters or more); a dual of a word in ة
//!   ([`DUAL_OF_TA_MARBUTA`]: مجموعتان, نقطتين) also as that word (مجموعة);
//! - **the other person** of an imperfect verb (weight `variants`): [`OTHER_PERSON`] swaps
//!   ي and ت at the start of a stem of [`MIN_LETTERS_OTHER_PERSON`] letters or more
//!   (يشير / تشير, يسبب / تسبب: he / she, it);
//! - **the verbal-noun pattern** (weight `derived`): a long vowel of [`LONG_VOWELS`] before
//!   the last letter of the stem, added between two consonants or removed (اعترض /
//!   اعتراض, استخدم / استخدام, تصنف / تصنيف).
//!
//! Only Arabic terms of at least [`MIN_LETTERS`] letters that differ from the word's own
//! ranked term are variants. Each rule is a table below; the tests at the bottom give one
//! (rule, input, expected) case per rule.

use tantivy::tokenizer::TextAnalyzer;

use super::analyze;
use super::clitics::{is_proclitic_letter, ARTICLE};
use super::names::NameLexicon;
use super::normalize::is_arabic_letter;

/// Variants (and the words they come from) have at least this many letters.
pub const MIN_LETTERS: usize = 3;
/// A word loses a one-letter proclitic for a variant only from this many letters.
pub const MIN_LETTERS_WITH_PROCLITIC: usize = 5;
/// Dual endings of a word in ة (ـتان nominative, ـتين oblique), replaced by ة.
pub const DUAL_OF_TA_MARBUTA: &[(&str, &str)] = &[("تان", "ة"), ("تين", "ة")];
/// The first letters of an imperfect verb's two persons, swapped.
pub const OTHER_PERSON: &[(char, char)] = &[('ي', 'ت'), ('ت', 'ي')];
/// A stem of fewer letters is too short to tell a verb (يقع) from a noun (تين, يوم).
pub const MIN_LETTERS_OTHER_PERSON: usize = 4;
/// The long vowels of the verbal-noun pattern, inserted before the last letter.
pub const LONG_VOWELS: &[char] = &['ا', 'ي'];
/// A stem whose letter before the last is one of these already has a long vowel there.
pub const VOWEL_LETTERS: &[char] = &['ا', 'و', 'ي'];
/// The stem needs this many letters for a long vowel to be added, one more to remove one.
pub const MIN_LETTERS_LONG_VOWEL: usize = 4;

/// The weights of the two kinds of variants; `None` turns a kind off.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct VariantWeights {
    /// Other segmentations and the other person.
    pub variants: Option<f32>,
    /// The verbal-noun pattern.
    pub derived: Option<f32>,
}

/// Which rule made a variant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VariantKind {
    /// The word with the article added or removed, a dual of a word in ة as that word:
    /// the same word, cut as the stemmer cuts its other forms.
    Article,
    /// The word without a one-letter proclitic: another reading of its first letter.
    Proclitic,
    /// An imperfect verb's other person.
    Person,
    /// The verbal-noun pattern.
    Pattern,
}

/// One variant of a word: its ranked term, the rule and the weight of its kind.
#[derive(Clone, Debug, PartialEq)]
pub struct Variant {
    pub term: String,
    pub kind: VariantKind,
    pub weight: f32,
}

/// What is known of the typed word beyond its two terms.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct WordFacts {
    /// The word as typed ends with ة (see [`super::normalize::ends_with_ta_marbuta`]).
    pub written_ta_marbuta: bool,
    /// The word stays whole: a lexicon name (the stemmer keeps it whole in the text,
    /// [`NameLexicon::keeps_whole`]) or a form the index holds often as it is. A word
    /// kept whole has no other reading of its first letter.
    pub kept_whole: bool,
}

/// Whether `term` is an Arabic word of at least [`MIN_LETTERS`] letters.
fn arabic(term: &str) -> bool {
    term.chars().count() >= MIN_LETTERS && term.chars().all(is_arabic_letter)
}

/// The variants of a word whose exact (`arabic_exact`) term is `exact` and ranked
/// (`arabic`) term is `ranked`, with their weights, in rule order; `ranked_analyzer` is
/// the `arabic` analyzer. A lexicon name has none: it is one word whatever its letters
/// look like, on the query side as in the text.
pub fn variants(
    ranked_analyzer: &mut TextAnalyzer,
    names: &NameLexicon,
    exact: &str,
    ranked: &str,
    facts: WordFacts,
    weights: VariantWeights,
) -> Vec<Variant> {
    let mut out: Vec<Variant> = Vec::new();
    if !arabic(exact) || !arabic(ranked) || names.keeps_whole(ranked) {
        return out;
    }
    let push = |term: String, kind, weight: f32, out: &mut Vec<Variant>| {
        if term != ranked && arabic(&term) && !out.iter().any(|v| v.term == term) {
            out.push(Variant { term, kind, weight });
        }
    };
    if let Some(weight) = weights.variants {
        for (surface, kind) in other_segmentations(exact, facts) {
            if let [t] = analyze(ranked_analyzer, &surface).as_slice() {
                push(t.term.clone(), kind, weight, &mut out);
            }
        }
        if let Some(other) = other_person(ranked) {
            push(other, VariantKind::Person, weight, &mut out);
        }
    }
    if let Some(weight) = weights.derived {
        for derived in verbal_noun_pattern(ranked) {
            push(derived, VariantKind::Pattern, weight, &mut out);
        }
    }
    out
}

/// The surface forms a word is also analysed as: with the article removed or added,
/// without a one-letter proclitic (not for a word kept whole), a dual of a word in ة as
/// that word.
fn other_segmentations(exact: &str, facts: WordFacts) -> Vec<(String, VariantKind)> {
    // The forms are analysed like typed words: a final ه written ة is ة again, or the
    // stemmer would read it as a pronoun (السنه → سن, not سنه).
    let exact = match exact.strip_suffix('ه') {
        Some(rest) if facts.written_ta_marbuta => format!("{rest}ة"),
        _ => exact.to_string(),
    };
    let (article, proclitic) = (VariantKind::Article, VariantKind::Proclitic);
    let mut surfaces: Vec<(String, VariantKind)> = Vec::new();
    if let Some(rest) = exact.strip_prefix(ARTICLE) {
        surfaces.push((rest.to_string(), article));
    } else {
        surfaces.push((format!("{ARTICLE}{exact}"), article));
        let mut chars = exact.chars();
        if let Some(first) = chars.next() {
            if !facts.kept_whole
                && exact.chars().count() >= MIN_LETTERS_WITH_PROCLITIC
                && is_proclitic_letter(first)
            {
                surfaces.push((chars.as_str().to_string(), proclitic));
                surfaces.push((format!("{ARTICLE}{}", chars.as_str()), proclitic));
            }
        }
    }
    for (dual, single) in DUAL_OF_TA_MARBUTA {
        if let Some(stem) = exact.strip_suffix(dual) {
            if stem.chars().count() >= MIN_LETTERS {
                surfaces.push((format!("{stem}{single}"), article));
            }
        }
    }
    surfaces
}

/// The other person of an imperfect verb's stem, if it may be one.
fn other_person(ranked: &str) -> Option<String> {
    if ranked.chars().count() < MIN_LETTERS_OTHER_PERSON {
        return None;
    }
    let mut chars = ranked.chars();
    let first = chars.next()?;
    let (_, other) = OTHER_PERSON.iter().find(|(from, _)| *from == first)?;
    Some(format!("{other}{}", chars.as_str()))
}

/// The stem with a long vowel added before its last letter, or removed from there.
fn verbal_noun_pattern(ranked: &str) -> Vec<String> {
    let chars: Vec<char> = ranked.chars().collect();
    let n = chars.len();
    let mut out = Vec::new();
    if n >= MIN_LETTERS_LONG_VOWEL && !VOWEL_LETTERS.contains(&chars[n - 2]) {
        for long in LONG_VOWELS {
            let mut c = chars.clone();
            c.insert(n - 1, *long);
            out.push(c.into_iter().collect());
        }
    }
    if n > MIN_LETTERS_LONG_VOWEL && LONG_VOWELS.contains(&chars[n - 2]) {
        let mut c = chars;
        c.remove(n - 2);
        out.push(c.into_iter().collect());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::normalize::ends_with_ta_marbuta;
    use crate::analysis::Analysis;
    use crate::config::Config;

    /// The variants of `word` with the built-in weights, as (term, weight).
    fn variants_of(word: &str) -> Vec<(String, f32)> {
        variants_full(word, false)
            .into_iter()
            .map(|v| (v.term, v.weight))
            .collect()
    }

    /// The variants of `word`, `kept_whole` or not.
    fn variants_full(word: &str, kept_whole: bool) -> Vec<Variant> {
        let config = Config::builtin();
        let analysis = Analysis::new(&config).expect("built-in config");
        let mut ranked = analysis.analyzer("arabic").expect("arabic");
        let mut exact = analysis.analyzer("arabic_exact").expect("arabic_exact");
        // The rules' own weights (the shipped ones are `schema.json` → `search`).
        let weights = VariantWeights {
            variants: Some(1.0),
            derived: Some(0.5),
        };
        let e = analyze(&mut exact, word);
        let r = analyze(&mut ranked, word);
        match (e.as_slice(), r.as_slice()) {
            ([e], [r]) => super::variants(
                &mut ranked,
                &analysis.name_lexicon(),
                &e.term,
                &r.term,
                WordFacts {
                    written_ta_marbuta: ends_with_ta_marbuta(word),
                    kept_whole,
                },
                weights,
            ),
            _ => Vec::new(),
        }
    }
    use variants_of as variants;

    fn owned(expected: &[(&str, f32)]) -> Vec<(String, f32)> {
        expected.iter().map(|(t, w)| (t.to_string(), *w)).collect()
    }

    /// (rule, input, a variant it must have with its weight): one per rule.
    const CASES: &[(&str, &str, &str, f32)] = &[
        ("article removed", "البانثرز", "انثرز", 1.0),
        ("article added", "بانثرز", "بانثرز", 1.0),
        ("one-letter proclitic removed", "لكاليفورنيا", "يفورن", 1.0),
        ("dual ـتان of a word in ة", "المجموعتان", "مجموع", 1.0),
        ("dual ـتين of a word in ة", "نقطتين", "نقط", 1.0),
        ("other person ي → ت", "يشير", "تشير", 1.0),
        ("other person ت → ي", "تسبب", "يسبب", 1.0),
        ("long ا added", "اعترض", "اعتراض", 0.5),
        ("long ي added", "اعترض", "اعتريض", 0.5),
        ("long vowel removed", "الاعتراضات", "اعترض", 0.5),
    ];

    #[test]
    fn every_rule() {
        for (rule, input, expected, weight) in CASES {
            let found = variants(input);
            assert!(
                found.contains(&(expected.to_string(), *weight)),
                "rule: {rule} ({input}): {found:?}"
            );
        }
    }

    #[test]
    fn other_segmentations_of_a_word() {
        // The stemmer cuts ب off بانثرز but not off البانثرز.
        assert_eq!(
            variants("البانثرز"),
            owned(&[("انثرز", 1.0), ("بانثراز", 0.5), ("بانثريز", 0.5)])
        );
        // كاليفورنيا loses كال as if it were an article; لكاليفورنيا keeps it.
        assert_eq!(
            variants("لكاليفورنيا"),
            owned(&[
                ("لكاليفورن", 1.0),
                ("يفورن", 1.0),
                ("كاليفوران", 0.5),
                ("كاليفورين", 0.5)
            ])
        );
        // A dual of a word in ة is also that word.
        assert_eq!(variants("نقطتين")[0], ("نقط".to_string(), 1.0));
        assert_eq!(variants("المجموعتان")[0], ("مجموع".to_string(), 1.0));
    }

    #[test]
    fn a_written_ta_marbuta_stays_one_in_the_variants() {
        // السنة is analysed as written: سنه, the word's own term, not سن.
        assert!(variants("سنة").is_empty());
        assert!(variants("مدينة").iter().all(|(t, _)| t != "مد"));
    }

    #[test]
    fn the_other_person_of_an_imperfect_verb() {
        // يشير "he/it points", تشير "she/it points".
        assert!(variants("يشير").contains(&("تشير".to_string(), 1.0)));
        assert!(variants("تسبب").contains(&("يسبب".to_string(), 1.0)));
        // Three letters are too short to tell a verb (يقع) from a noun (تين, يوم).
        assert!(variants("تين").iter().all(|(t, _)| t != "يين"));
    }

    #[test]
    fn verbal_noun_pattern() {
        assert_eq!(
            variants("اعترض"),
            owned(&[("اعتراض", 0.5), ("اعتريض", 0.5)])
        );
        assert_eq!(variants("الاعتراضات"), owned(&[("اعترض", 0.5)]));
        // (تصنيف also gets the other person of an imperfect, يصنيف: a form no passage
        // has, so a clause that matches nothing.)
        assert_eq!(variants("تصنيف"), owned(&[("يصنيف", 1.0), ("تصنف", 0.5)]));
    }

    #[test]
    fn a_lexicon_name_is_never_split() {
        // كيدال (Kidal) is a name: not ك + يدال (the stem of فيدال, Vidal).
        assert!(variants("كيدال").is_empty());
        assert!(variants("لكيدال").is_empty());
        assert!(variants("باماكو").is_empty());
    }

    #[test]
    fn a_word_kept_whole_has_no_proclitic_reading() {
        let kinds = |word: &str, kept_whole: bool| -> Vec<(String, VariantKind)> {
            variants_full(word, kept_whole)
                .into_iter()
                .map(|v| (v.term, v.kind))
                .collect()
        };
        assert_eq!(
            kinds("لكاليفورنيا", false)[..2],
            [
                ("لكاليفورن".to_string(), VariantKind::Article),
                ("يفورن".to_string(), VariantKind::Proclitic)
            ]
        );
        let whole = kinds("لكاليفورنيا", true);
        assert!(
            whole.iter().all(|(_, k)| *k != VariantKind::Proclitic),
            "{whole:?}"
        );
        assert_eq!(whole[0], ("لكاليفورن".to_string(), VariantKind::Article));
        assert_eq!(
            kinds("يشير", true),
            vec![("تشير".to_string(), VariantKind::Person)]
        );
        assert_eq!(
            kinds("اعترض", true)[0],
            ("اعتراض".to_string(), VariantKind::Pattern)
        );
    }

    #[test]
    fn no_variants_for_numbers_stop_words_and_short_words() {
        assert!(variants("2015").is_empty());
        assert!(variants("في").is_empty());
        assert!(variants("غرب").is_empty());
    }
}
