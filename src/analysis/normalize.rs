//! Character-level normalisation of Arabic (and Latin) text, per the orthography table in
//! BRIEF.md. It works on one word at a time and only ever rewrites the token's *text*:
//! offsets into the original are the tokenizer's business, so highlighting stays exact.
//!
//! | what | to |
//! |---|---|
//! | presentation forms U+FB50–U+FDFF, U+FE70–U+FEFF | NFKC, then the rules below |
//! | harakat, tanween, shadda, sukun, superscript alef (U+064B–U+065F, U+0670) | removed |
//! | Quranic annotation marks (U+0610–U+061A, U+06D6–U+06ED) | removed |
//! | tatweel U+0640, invisible format characters (ZWNJ, ZWJ, bidi marks, BOM, ALM) | removed |
//! | أ إ آ ٱ | ا |
//! | ى ی (alef maqsura, Persian yeh) | ي |
//! | ة | ه |
//! | ؤ ئ (hamza on a seat) | ء — so مسؤول and مسئول meet |
//! | ک گ ڤ پ چ ڨ | ك غ ف ب ج غ |
//! | Arabic-Indic ٠–٩ and extended ۰–۹ digits | 0–9 |
//! | Latin | lowercase |

use unicode_normalization::UnicodeNormalization;

/// What the normaliser does with one character.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Fold {
    /// Keep as is.
    Keep,
    /// Remove (diacritics, tatweel, invisible marks).
    Drop,
    /// Replace by another character.
    To(char),
}

/// The spellings of one letter that every loose comparison folds (outlet names, the
/// boilerplate of a page, and the normaliser's table below): the hamza forms of alef
/// and alef wasla → ا, alef maqsura and Farsi yeh → ي, ta marbuta → ه.
pub const LETTER_VARIANTS: &[(char, char)] = &[
    ('\u{0622}', '\u{0627}'), // آ
    ('\u{0623}', '\u{0627}'), // أ
    ('\u{0625}', '\u{0627}'), // إ
    ('\u{0671}', '\u{0627}'), // ٱ
    ('\u{0649}', '\u{064A}'), // ى
    ('\u{06CC}', '\u{064A}'), // ی
    ('\u{0629}', '\u{0647}'), // ة
];

/// `c` with [`LETTER_VARIANTS`] folded (other characters unchanged).
#[inline]
pub fn fold_letter_variant(c: char) -> char {
    let cp = c as u32;
    if (0x0600..0x0700).contains(&cp) {
        LETTER_VARIANT_BLOCK[(cp - 0x0600) as usize]
    } else {
        c
    }
}

/// [`LETTER_VARIANTS`] over the Arabic block, one entry per code point.
const LETTER_VARIANT_BLOCK: [char; 256] = build_letter_variant_block();

const fn build_letter_variant_block() -> [char; 256] {
    let mut t = ['\0'; 256];
    let mut i = 0;
    while i < 256 {
        let cp = 0x0600 + i as u32;
        t[i] = match letter_variant(cp) {
            Some(to) => to,
            None => match char::from_u32(cp) {
                Some(c) => c,
                None => '\0',
            },
        };
        i += 1;
    }
    t
}

/// The [`LETTER_VARIANTS`] fold of a code point, for the table built at compile time.
const fn letter_variant(cp: u32) -> Option<char> {
    let mut i = 0;
    while i < LETTER_VARIANTS.len() {
        if LETTER_VARIANTS[i].0 as u32 == cp {
            return Some(LETTER_VARIANTS[i].1);
        }
        i += 1;
    }
    None
}

/// Folding of the Arabic block U+0600–U+06FF, one entry per code point, built at compile time.
const ARABIC_BLOCK: [Fold; 256] = build_arabic_block();

const fn build_arabic_block() -> [Fold; 256] {
    let mut t = [Fold::Keep; 256];
    let mut i = 0;
    while i < 256 {
        let cp = 0x0600 + i as u32;
        if let Some(to) = letter_variant(cp) {
            t[i] = Fold::To(to);
            i += 1;
            continue;
        }
        t[i] = match cp {
            // Quranic marks above/below letters (honorifics, small high letters).
            0x0610..=0x061A => Fold::Drop,
            // Arabic letter mark (a bidi control).
            0x061C => Fold::Drop,
            // Hamza on a seat (alef forms, ى, ی, ة: `LETTER_VARIANTS`).
            0x0624 | 0x0626 => Fold::To('\u{0621}'),
            // Tatweel.
            0x0640 => Fold::Drop,
            // Harakat, tanween, shadda, sukun, madda/hamza marks, superscript alef.
            0x064B..=0x065F | 0x0670 => Fold::Drop,
            // Arabic-Indic digits.
            0x0660..=0x0669 => Fold::To(ascii_digit(cp - 0x0660)),
            // Persian/Urdu letters used in foreign names.
            0x067E => Fold::To('\u{0628}'),          // پ peh → ب
            0x0686 => Fold::To('\u{062C}'),          // چ tcheh → ج
            0x06A4 => Fold::To('\u{0641}'),          // ڤ veh → ف
            0x06A8 => Fold::To('\u{063A}'),          // ڨ qaf with three dots (Maghrebi g) → غ
            0x06A9 => Fold::To('\u{0643}'),          // ک keheh → ك
            0x06AF => Fold::To('\u{063A}'),          // گ gaf (a g sound) → غ
            0x06C0 => Fold::To('\u{0647}'),          // ۀ heh with yeh above → ه
            0x06C1 | 0x06BE => Fold::To('\u{0647}'), // Urdu heh forms → ه
            // Quranic annotation marks.
            0x06D6..=0x06ED => Fold::Drop,
            // Extended (Persian) digits.
            0x06F0..=0x06F9 => Fold::To(ascii_digit(cp - 0x06F0)),
            _ => Fold::Keep,
        };
        i += 1;
    }
    t
}

const fn ascii_digit(d: u32) -> char {
    (b'0' + d as u8) as char
}

/// Invisible format characters that must never split or show up in a word.
#[inline]
pub fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{00AD}' // soft hyphen
        | '\u{061C}'
        | '\u{200B}'..='\u{200F}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{2069}'
        | '\u{FEFF}')
}

/// Presentation forms are decomposed with NFKC before folding.
#[inline]
fn is_presentation_form(c: char) -> bool {
    matches!(c, '\u{FB50}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}')
}

#[inline]
fn fold(c: char) -> Fold {
    let cp = c as u32;
    if (0x0600..0x0700).contains(&cp) {
        ARABIC_BLOCK[(cp - 0x0600) as usize]
    } else if is_invisible(c) {
        Fold::Drop
    } else if c.is_uppercase() {
        // Only a handful of characters lowercase to more than one char (İ); they are
        // handled in `push_folded`.
        Fold::To(c)
    } else {
        Fold::Keep
    }
}

/// Appends the normalised form of `c` to `out`.
#[inline]
fn push_folded(c: char, out: &mut String) {
    match fold(c) {
        Fold::Keep => out.push(c),
        Fold::Drop => {}
        Fold::To(t) if t.is_uppercase() => out.extend(t.to_lowercase()),
        Fold::To(t) => out.push(t),
    }
}

/// Writes the normalised form of `word` into `out` (cleared first).
///
/// Most characters are kept as they are, so the word is copied in runs of unchanged
/// bytes; the Arabic block (two-byte UTF-8 sequences led by 0xD8–0xDB) is folded by table
/// without decoding, other characters go through `fold`.
pub fn normalize_into(word: &str, out: &mut String) {
    out.clear();
    if word.is_ascii() {
        out.push_str(word);
        out.make_ascii_lowercase();
        return;
    }
    let bytes = word.as_bytes();
    // `word[run..i]` is copied unchanged when a character that changes is met.
    let mut run = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b < 0x80 {
            if b.is_ascii_uppercase() {
                out.push_str(&word[run..i]);
                out.push(b.to_ascii_lowercase() as char);
                run = i + 1;
            }
            i += 1;
        } else if (0xD8..=0xDB).contains(&b) {
            // U+0600–U+06FF: valid UTF-8, so the continuation byte is there.
            let cp = (usize::from(b & 0x1F) << 6) | usize::from(bytes[i + 1] & 0x3F);
            match ARABIC_BLOCK[cp - 0x0600] {
                Fold::Keep => {}
                Fold::Drop => {
                    out.push_str(&word[run..i]);
                    run = i + 2;
                }
                Fold::To(t) => {
                    out.push_str(&word[run..i]);
                    out.push(t);
                    run = i + 2;
                }
            }
            i += 2;
        } else {
            let c = word_char(word, i);
            let n = c.len_utf8();
            if is_presentation_form(c) {
                out.push_str(&word[run..i]);
                push_presentation_form(c, out);
                run = i + n;
            } else if fold(c) != Fold::Keep {
                out.push_str(&word[run..i]);
                push_folded(c, out);
                run = i + n;
            }
            i += n;
        }
    }
    out.push_str(&word[run..]);
}

/// Appends the normalised NFKC decomposition of a presentation form.
fn push_presentation_form(c: char, out: &mut String) {
    if c == '\u{FEFF}' {
        return; // BOM / zero-width no-break space
    }
    for d in std::iter::once(c).nfkc() {
        // NFKC of a ligature such as ﷲ may contain spaces (ﷺ): drop them,
        // the ligature stands for one word here.
        if !d.is_whitespace() {
            push_folded(d, out);
        }
    }
}

/// The normalised form of `text` with every character of the Arabic block written as
/// one byte, `0x80 | (code point & 0x7F)`, and every other character in UTF-8: a
/// cheap image of [`normalize_into`]'s output for substring prefilters. It maps
/// characters one by one, so a substring of the normalised text is a substring of its
/// skeleton (distinct characters may share a byte: a prefilter may pass more, never
/// less).
pub fn skeleton_into(text: &str, out: &mut Vec<u8>) {
    out.clear();
    out.reserve(text.len());
    for_each_skeleton_byte(text, |b| {
        out.push(b);
        true
    });
}

/// Calls `f` with each byte of `text`'s skeleton ([`skeleton_into`]) in order, without
/// writing it anywhere, until `f` returns false; returns false if it did.
#[inline]
pub fn for_each_skeleton_byte(text: &str, mut f: impl FnMut(u8) -> bool) -> bool {
    let bytes = text.as_bytes();
    let mut folded = String::new();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b < 0x80 {
            if !f(b.to_ascii_lowercase()) {
                return false;
            }
            i += 1;
        } else if (0xD8..=0xDB).contains(&b) {
            let cp = (usize::from(b & 0x1F) << 6) | usize::from(bytes[i + 1] & 0x3F);
            let keep = match ARABIC_BLOCK[cp - 0x0600] {
                Fold::Keep => f(0x80 | (cp & 0x7F) as u8),
                Fold::Drop => true,
                Fold::To(t) => skeleton_bytes(t, &mut f),
            };
            if !keep {
                return false;
            }
            i += 2;
        } else {
            let c = word_char(text, i);
            folded.clear();
            if is_presentation_form(c) {
                push_presentation_form(c, &mut folded);
            } else {
                push_folded(c, &mut folded);
            }
            for d in folded.chars() {
                if !skeleton_bytes(d, &mut f) {
                    return false;
                }
            }
            i += c.len_utf8();
        }
    }
    true
}

/// Passes the skeleton byte(s) of one normalised character to `f`.
#[inline]
fn skeleton_bytes(c: char, f: &mut impl FnMut(u8) -> bool) -> bool {
    let cp = c as u32;
    if (0x0600..0x0700).contains(&cp) {
        f(0x80 | (cp & 0x7F) as u8)
    } else {
        c.encode_utf8(&mut [0; 4]).bytes().all(f)
    }
}

/// The character starting at byte `i` of `text` (a character boundary).
#[inline]
fn word_char(text: &str, i: usize) -> char {
    text[i..].chars().next().unwrap_or_default()
}

/// The normalised form of `word`, as a new string.
pub fn normalize(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    normalize_into(word, &mut out);
    out
}

/// Normalises running text word by word, keeping spaces between words: for lexicon
/// entries and other data written by people.
pub fn normalize_phrase(text: &str) -> Vec<String> {
    text.split_whitespace()
        .map(normalize)
        .filter(|w| !w.is_empty())
        .collect()
}

/// Whether `surface`, a word as written, ends with a ta marbuta ة, which normalisation
/// folds into ه: marks after it (tanween, tatweel, invisible characters) do not count
/// (مدينةً).
#[inline]
pub fn ends_with_ta_marbuta(surface: &str) -> bool {
    surface
        .chars()
        .rev()
        .find(|&c| fold(c) != Fold::Drop)
        .is_some_and(|c| c == '\u{0629}')
}

/// True for the characters that make up Arabic words in the normalised alphabet.
#[inline]
pub fn is_arabic_letter(c: char) -> bool {
    matches!(c, '\u{0621}'..='\u{063A}' | '\u{0641}'..='\u{064A}')
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (rule, input, expected) triples: one per normalisation rule.
    const CASES: &[(&str, &str, &str)] = &[
        ("fatha, damma, kasra removed", "مُسَيِّرة", "مسيره"),
        ("tanween fath removed", "شهرياً", "شهريا"),
        ("shadda removed", "اتّهامات", "اتهامات"),
        ("sukun removed", "مَدْرَسة", "مدرسه"),
        ("superscript alef removed", "هٰذا", "هذا"),
        ("quranic marks removed", "الصلوٰةۖ", "الصلوه"),
        ("tatweel removed", "فـــاغنر", "فاغنر"),
        ("alef with hamza above", "أفريقيا", "افريقيا"),
        ("alef with hamza below", "إفريقيا", "افريقيا"),
        ("alef with madda", "آخر", "اخر"),
        ("alef wasla", "ٱلله", "الله"),
        ("alef maqsura", "مستشفى", "مستشفي"),
        ("farsi yeh", "ایران", "ايران"),
        ("ta marbuta", "مسيرة", "مسيره"),
        ("hamza on waw", "مسؤول", "مسءول"),
        ("hamza on yeh", "مسئول", "مسءول"),
        ("keheh", "کابل", "كابل"),
        ("gaf", "گاو", "غاو"),
        ("veh", "ڤاغنر", "فاغنر"),
        ("peh", "پوتين", "بوتين"),
        ("tcheh", "چاد", "جاد"),
        ("arabic-indic digits", "٢٠٢٤", "2024"),
        ("persian digits", "۲۰۲۴", "2024"),
        ("latin lowercase", "CSP", "csp"),
        ("latin accented lowercase", "Défense", "défense"),
        ("zwnj removed", "مي\u{200C}خواهم", "ميخواهم"),
        ("rlm removed", "مالي\u{200F}", "مالي"),
        ("bom removed", "\u{FEFF}مالي", "مالي"),
        ("arabic letter mark removed", "\u{061C}مالي", "مالي"),
        ("presentation forms (NFKC)", "ﻣﺎﻟﻲ", "مالي"),
        ("presentation form lam-alef ligature", "ﻻ", "لا"),
    ];

    /// The character-by-character definition the fast path must agree with.
    fn normalize_by_char(word: &str) -> String {
        let mut out = String::new();
        for c in word.chars() {
            if is_presentation_form(c) {
                push_presentation_form(c, &mut out);
            } else {
                push_folded(c, &mut out);
            }
        }
        out
    }

    proptest::proptest! {
        #[test]
        fn fast_path_agrees_with_char_by_char(
            word in "[\\u{0600}-\\u{06FF}a-zA-Z0-9 .\\u{00C0}-\\u{00FF}\\u{0130}\\u{200B}-\\u{200F}\\u{FB50}-\\u{FB60}\\u{FE70}-\\u{FEFF}]{0,12}"
        ) {
            proptest::prop_assert_eq!(normalize(&word), normalize_by_char(&word));
        }
    }

    /// Appends the skeleton byte(s) of one normalised character.
    #[inline]
    fn push_skeleton(c: char, out: &mut Vec<u8>) {
        let cp = c as u32;
        if (0x0600..0x0700).contains(&cp) {
            out.push(0x80 | (cp & 0x7F) as u8);
        } else {
            out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
        }
    }

    proptest::proptest! {
        #[test]
        fn skeleton_is_the_normalised_text_char_by_char(
            text in "[\\u{0600}-\\u{06FF}a-zA-Z0-9 .\\u{00C0}-\\u{00FF}\\u{0130}\\u{200B}-\\u{200F}\\u{FB50}-\\u{FB60}\\u{FE70}-\\u{FEFF}]{0,12}"
        ) {
            let mut want = Vec::new();
            for c in normalize(&text).chars() {
                push_skeleton(c, &mut want);
            }
            let mut got = Vec::new();
            skeleton_into(&text, &mut got);
            proptest::prop_assert_eq!(got, want);
        }
    }

    #[test]
    fn every_rule() {
        for (rule, input, expected) in CASES {
            assert_eq!(normalize(input), *expected, "rule: {rule}");
        }
    }

    #[test]
    fn ta_marbuta_as_written() {
        for (word, expected) in [
            ("مدينة", true),
            ("مدينةً", true),         // tanween after it
            ("مدينـة", true),        // tatweel inside
            ("مدينة\u{200F}", true), // a bidi mark after it
            ("مدينه", false),        // ه as typed
            ("دمه", false),
            ("ة", true),
            ("", false),
            ("city", false),
        ] {
            assert_eq!(ends_with_ta_marbuta(word), expected, "{word}");
        }
    }

    #[test]
    fn hamza_seat_variants_meet() {
        assert_eq!(normalize("مسؤول"), normalize("مسئول"));
        assert_eq!(normalize("شؤون"), normalize("شئون"));
    }

    #[test]
    fn ascii_fast_path_matches_general_path() {
        assert_eq!(normalize("JNIM"), "jnim");
        assert_eq!(normalize("Africa"), "africa");
    }

    #[test]
    fn phrase_normalisation() {
        assert_eq!(normalize_phrase("تين  زاوتين"), vec!["تين", "زاوتين"]);
    }
}
