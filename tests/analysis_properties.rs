//! Property tests of the analyzers on arbitrary, Arabic-heavy Unicode: analysis never
//! panics, offsets are on char boundaries and never go backwards, positions increase.

use akhbar::analysis::{analyze, Analysis};
use akhbar::config::Config;
use proptest::prelude::*;

/// One character, drawn mostly from what Arabic news text is made of.
fn arabic_heavy_char() -> impl Strategy<Value = char> {
    prop_oneof![
        8 => proptest::char::range('\u{0621}', '\u{064A}'), // letters
        3 => proptest::char::range('\u{064B}', '\u{0670}'), // harakat, superscript alef
        1 => Just('\u{0640}'),                              // tatweel
        2 => proptest::char::range('\u{0600}', '\u{06FF}'), // whole Arabic block
        1 => proptest::char::range('\u{FB50}', '\u{FDFF}'), // presentation forms A
        1 => proptest::char::range('\u{FE70}', '\u{FEFF}'), // presentation forms B
        1 => prop::sample::select(vec![
            '\u{200B}', '\u{200C}', '\u{200D}', '\u{200E}', '\u{200F}', '\u{061C}',
            '\u{202A}', '\u{202B}', '\u{202C}', '\u{202E}', '\u{2066}', '\u{2069}', '\u{FEFF}',
        ]),
        3 => prop::sample::select(vec![
            ' ', ' ', '\n', '\u{00A0}', '"', '«', '»', '“', '”', '،', '؛', '؟', '.', ':', '-',
            '\'', '(', ')', '/',
        ]),
        2 => proptest::char::range('0', 'z'),
        1 => any::<char>(),
    ]
}

fn arabic_heavy_text() -> impl Strategy<Value = String> {
    prop::collection::vec(arabic_heavy_char(), 0..200).prop_map(|c| c.into_iter().collect())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, .. ProptestConfig::default() })]

    #[test]
    fn tokens_are_well_formed(text in arabic_heavy_text()) {
        let analysis = Analysis::new(&Config::builtin()).expect("built-in config");
        for name in ["arabic", "arabic_exact"] {
            let mut analyzer = analysis.analyzer(name).expect("analyzer exists");
            let tokens = analyze(&mut analyzer, &text);
            let mut previous: Option<(usize, usize)> = None;
            for token in &tokens {
                prop_assert!(token.start < token.end, "{name}: empty span {token:?}");
                prop_assert!(token.end <= text.len());
                prop_assert!(text.is_char_boundary(token.start), "{name}: {token:?}");
                prop_assert!(text.is_char_boundary(token.end), "{name}: {token:?}");
                prop_assert!(!token.term.is_empty(), "{name}: empty term {token:?}");
                if let Some((start, position)) = previous {
                    prop_assert!(token.start >= start, "{name}: offsets go back {token:?}");
                    prop_assert!(token.position > position, "{name}: positions {token:?}");
                }
                previous = Some((token.start, token.position));
            }
        }
    }
}
