//! End-to-end tests of filters typed in the query (`outlet:`, `about:`, `+title:`) over
//! an index of `samples/` (issue 20): in every position and both match modes they
//! restrict the result set exactly like `--outlet` / `--about`, never count toward the
//! words that must match and never make a word optional.
//!
//! The samples' outlets: seed-000 الجزائر الجديدة, seed-002 الإمارات اليوم (Emarat Al
//! Youm), seed-004 الشرق الأوسط (Al-Sharq Al-Awsat), seed-001 and seed-003 none.

use std::collections::BTreeSet;
use std::path::Path;

use akhbar::config::Config;
use akhbar::search::{Engine, MatchMode, SearchRequest};
use proptest::prelude::*;

mod common;
use common::SharedIndex;

static INDEX: SharedIndex = SharedIndex::new("samples/articles.jsonl");

/// One index of the samples, built once with `akhbar index` for all tests of this file.
fn samples_index() -> &'static Path {
    Path::new(INDEX.path())
}

thread_local! {
    /// The engine over the samples' index, one per test thread.
    static ENGINE: Engine = Engine::open(samples_index(), &Config::builtin()).expect("opens");
}

const MODES: [MatchMode; 2] = [MatchMode::Auto, MatchMode::Any];

/// What a search found: (article id, passage) of every matching passage, and the notes.
#[derive(Debug, PartialEq)]
struct Found {
    passages: BTreeSet<(String, u64)>,
    outlets: BTreeSet<String>,
    notes: Vec<String>,
}

fn search_with(query: &str, mode: MatchMode, outlets: &[&str], about: &[&str]) -> Found {
    let mut request = SearchRequest::new(query);
    request.match_mode = mode;
    request.all_passages = true;
    request.limit = 1000;
    request.outlets = outlets.iter().map(|s| s.to_string()).collect();
    request.about = about.iter().map(|s| s.to_string()).collect();
    let response = ENGINE.with(|engine| engine.search(&request).expect("search"));
    Found {
        passages: response
            .hits
            .iter()
            .map(|h| (h.doc_id.to_string(), h.passage))
            .collect(),
        outlets: response
            .hits
            .iter()
            .filter_map(|h| h.outlet.clone())
            .collect(),
        notes: response.notes,
    }
}

fn search(query: &str, mode: MatchMode) -> Found {
    search_with(query, mode, &[], &[])
}

fn set(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|s| s.to_string()).collect()
}

const SHARQ: &str = "Al-Sharq Al-Awsat";
const EMARAT: &str = "Emarat Al Youm";

/// The flag's result, checked to be a real restriction of the word's.
fn flag(word: &str, mode: MatchMode, outlets: &[&str]) -> Found {
    let flagged = search_with(word, mode, outlets, &[]);
    let all = search(word, mode);
    assert!(!flagged.passages.is_empty(), "{word} {outlets:?}");
    assert!(flagged.passages.len() < all.passages.len(), "{word}");
    flagged
}

#[test]
fn outlet_in_any_position_is_the_flag() {
    for mode in MODES {
        let expected = flag("مالي", mode, &[SHARQ]);
        assert_eq!(expected.outlets, set(&[SHARQ]));
        for query in [
            "outlet:\"Al-Sharq Al-Awsat\" مالي",
            "مالي outlet:\"Al-Sharq Al-Awsat\"",
            "outlet:\"الشرق الأوسط\" مالي",
            "مالي outlet:\"الشرق الأوسط\"",
            "+outlet:\"الشرق الأوسط\" مالي",
            "(outlet:\"الشرق الأوسط\") مالي",
            "(مالي outlet:\"الشرق الأوسط\")",
            "+(مالي) outlet:\"الشرق الأوسط\"",
        ] {
            assert_eq!(
                search(query, mode).passages,
                expected.passages,
                "{query} {mode:?}"
            );
        }
    }
}

#[test]
fn a_required_filter_keeps_the_words_required() {
    for mode in MODES {
        // Two words: with `--match auto` both must match, with the filter or without.
        let flagged = search_with("مالي الجيش", mode, &[SHARQ], &[]);
        let typed = search("+outlet:\"الشرق الأوسط\" مالي الجيش", mode);
        assert_eq!(typed.passages, flagged.passages, "{mode:?}");
        // Every passage of the outlet is more than the passages with the words.
        let whole_outlet = search("outlet:\"الشرق الأوسط\"", mode);
        assert_eq!(whole_outlet.outlets, set(&[SHARQ]));
        // With `--match auto` both words must match: fewer passages than the outlet has
        // (with `any`, one of the two words is in every passage of this outlet).
        if mode == MatchMode::Auto {
            assert!(
                typed.passages.len() < whole_outlet.passages.len(),
                "{mode:?}"
            );
        }
        assert!(typed.passages.is_subset(&whole_outlet.passages));
    }
}

#[test]
fn a_filter_alone_is_every_passage_of_it() {
    for mode in MODES {
        let outlet = search("outlet:\"الشرق الأوسط\"", mode);
        assert_eq!(outlet.outlets, set(&[SHARQ]));
        assert!(outlet
            .passages
            .is_superset(&search("outlet:\"الشرق الأوسط\" مالي", mode).passages));
        let group = search("about:wagner", mode);
        assert!(!group.passages.is_empty());
        assert!(group
            .passages
            .is_superset(&search("about:wagner مالي", mode).passages));
    }
}

#[test]
fn about_is_the_about_flag() {
    for mode in MODES {
        let expected = search_with("الجيش", mode, &[], &["wagner"]);
        let all = search("الجيش", mode);
        assert!(!expected.passages.is_empty());
        assert!(expected.passages.len() < all.passages.len());
        for query in [
            "about:wagner الجيش",
            "الجيش about:wagner",
            "+about:wagner الجيش",
        ] {
            assert_eq!(
                search(query, mode).passages,
                expected.passages,
                "{query} {mode:?}"
            );
        }
    }
}

#[test]
fn several_outlets_mean_any_of_them() {
    for mode in MODES {
        let expected = search_with("مالي", mode, &[SHARQ, EMARAT], &[]);
        assert_eq!(expected.outlets, set(&[SHARQ, EMARAT]));
        for query in [
            "outlet:\"الشرق الأوسط\" outlet:\"الإمارات اليوم\" مالي",
            "مالي outlet:\"الشرق الأوسط\" outlet:\"الإمارات اليوم\"",
            "(outlet:\"الشرق الأوسط\" OR outlet:\"الإمارات اليوم\") مالي",
            "outlet:\"الشرق الأوسط\" OR outlet:\"الإمارات اليوم\" مالي",
        ] {
            assert_eq!(
                search(query, mode).passages,
                expected.passages,
                "{query} {mode:?}"
            );
        }
    }
}

#[test]
fn an_excluded_outlet_is_excluded() {
    for mode in MODES {
        let all = search("مالي", mode);
        let sharq = search_with("مالي", mode, &[SHARQ], &[]);
        let without: BTreeSet<_> = all.passages.difference(&sharq.passages).cloned().collect();
        for query in [
            "-outlet:\"الشرق الأوسط\" مالي",
            "مالي -outlet:\"الشرق الأوسط\"",
            "مالي -(outlet:\"الشرق الأوسط\")",
        ] {
            let found = search(query, mode);
            assert_eq!(found.passages, without, "{query} {mode:?}");
            assert!(!found.outlets.contains(SHARQ));
        }
    }
}

#[test]
fn filters_and_or_of_words() {
    for mode in MODES {
        let expected = search_with("مالي OR كيدال", mode, &[SHARQ], &[]);
        for query in [
            "(مالي OR كيدال) outlet:\"الشرق الأوسط\"",
            "outlet:\"الشرق الأوسط\" (مالي OR كيدال)",
            "مالي OR كيدال outlet:\"الشرق الأوسط\"",
        ] {
            assert_eq!(
                search(query, mode).passages,
                expected.passages,
                "{query} {mode:?}"
            );
        }
    }
}

#[test]
fn unknown_values_match_nothing_and_say_which_exist() {
    for mode in MODES {
        let outlet = search("outlet:Nowhere مالي", mode);
        assert!(outlet.passages.is_empty(), "{mode:?}");
        let note = outlet.notes.join("\n");
        assert!(note.contains("unknown outlet `Nowhere`"), "{note}");
        assert!(note.contains(SHARQ), "{note}");
        let group = search("مالي about:nobody", mode);
        assert!(group.passages.is_empty(), "{mode:?}");
        let note = group.notes.join("\n");
        assert!(note.contains("unknown about `nobody`"), "{note}");
        assert!(note.contains("wagner"), "{note}");
        // Excluding an unknown outlet excludes nothing.
        assert_eq!(
            search("مالي -outlet:Nowhere", mode).passages,
            search("مالي", mode).passages
        );
    }
}

#[test]
fn a_required_title_word_keeps_the_other_words_required() {
    for mode in [MatchMode::Auto, MatchMode::All] {
        let both = search("+title:المرتزقة الجيش مالي", mode);
        let title = search("+title:المرتزقة", mode);
        let words = search("الجيش مالي", mode);
        assert!(!both.passages.is_empty());
        let expected: BTreeSet<_> = title
            .passages
            .intersection(&words.passages)
            .cloned()
            .collect();
        assert_eq!(both.passages, expected, "{mode:?}");
    }
}

/// Words and filters the property test draws from (words of the samples, and filters on
/// their outlets and groups, known and unknown).
const WORDS: [&str; 10] = [
    "مالي",
    "الجيش",
    "كيدال",
    "فاغنر",
    "المرتزقة",
    "الروس",
    "أزواد",
    "هجوم",
    "الطائرات",
    "\"المرتزقة الروس\"",
];
const FILTERS: [&str; 9] = [
    "outlet:\"الشرق الأوسط\"",
    "outlet:\"الإمارات اليوم\"",
    "-outlet:\"الشرق الأوسط\"",
    "+outlet:\"الجزائر الجديدة\"",
    "about:wagner",
    "-about:wagner",
    "+about:jnim",
    "outlet:Nowhere",
    "(outlet:\"الشرق الأوسط\" OR outlet:\"الإمارات اليوم\")",
];

fn query_words() -> impl Strategy<Value = Vec<String>> {
    let word = prop_oneof![
        4 => prop::sample::select(WORDS.to_vec()).prop_map(str::to_string),
        1 => prop::sample::select(WORDS.to_vec()).prop_map(|w| format!("+{w}")),
        // Single words only after `-`: tantivy 0.27's exclusion asks a phrase scorer,
        // already at its first match, about an earlier document, which trips a debug
        // assertion in `PhraseScorer::seek_danger` (a tantivy bug, not the filters').
        1 => prop::sample::select(WORDS[..9].to_vec()).prop_map(|w| format!("-{w}")),
        1 => (prop::sample::select(WORDS.to_vec()), prop::sample::select(WORDS.to_vec()))
            .prop_map(|(a, b)| format!("({a} OR {b})")),
    ];
    prop::collection::vec(word, 1..5)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, .. ProptestConfig::default() })]

    /// Adding a filter anywhere in a query never adds a result, in both match modes.
    #[test]
    fn adding_a_filter_never_adds_a_result(
        words in query_words(),
        filter in prop::sample::select(FILTERS.to_vec()),
        at in 0usize..5,
        any in any::<bool>(),
    ) {
        // A query of exclusions only has nothing to search for (an error, tested elsewhere).
        prop_assume!(words.iter().any(|w| !w.starts_with('-')));
        let mode = if any { MatchMode::Any } else { MatchMode::Auto };
        let query = words.join(" ");
        let mut with = words.clone();
        with.insert(at.min(words.len()), filter.to_string());
        let filtered = with.join(" ");
        let before = search(&query, mode).passages;
        let after = search(&filtered, mode).passages;
        prop_assert!(
            after.is_subset(&before),
            "`{}` found {:?} that `{}` did not",
            filtered,
            after.difference(&before).collect::<Vec<_>>(),
            query
        );
    }
}
