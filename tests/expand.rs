//! End-to-end tests of query expansions (issue 19) on a fixture of five articles written
//! for them (`tests/fixtures/expand.jsonl`), with the built binary and a temporary index:
//! two about Kidal (كيدال, kidal-1 and kidal-2), two football reports about Arturo Vidal
//! (فيدال, vidal-1 and vidal-2: the text side indexes فيدال as يدال, ف read as a
//! proclitic), and one report whose verbs come in both persons (تشير, أشار).

use serde_json::Value;

mod common;
use common::{akhbar, articles, ok, search_json, set, SharedIndex};

static INDEX: SharedIndex = SharedIndex::new("tests/fixtures/expand.jsonl");

/// One index of `tests/fixtures/expand.jsonl` for every test (read-only).
fn index() -> &'static str {
    INDEX.path()
}

/// `akhbar search --json -n 50 ARGS -- QUERY` on it.
fn search(args: &[&str], query: &str) -> Value {
    search_json(index(), args, query)
}

/// The (term, kind, weight) entries of `parsed` for the typed word `input`.
fn searched(response: &Value, input: &str) -> Vec<(String, String, f64)> {
    let word = response["parsed"]
        .as_array()
        .expect("parsed")
        .iter()
        .find(|w| w["input"] == input)
        .unwrap_or_else(|| panic!("{input} not in parsed: {response}"));
    word["searched"]
        .as_array()
        .expect("searched")
        .iter()
        .map(|t| {
            (
                t["term"].as_str().expect("term").to_string(),
                t["kind"].as_str().expect("kind").to_string(),
                t["weight"].as_f64().expect("weight"),
            )
        })
        .collect()
}

#[test]
fn kidal_does_not_return_vidal() {
    for mode in ["auto", "any", "all"] {
        let response = search(&["--match", mode], "كيدال");
        assert_eq!(articles(&response), set(&["kidal-1", "kidal-2"]), "{mode}");
    }
    let response = search(&[], "هجوم كيدال");
    assert_eq!(articles(&response), set(&["kidal-1"]));
    // Vidal himself is still found, under either spelling of his name's stem.
    let response = search(&[], "فيدال");
    assert_eq!(articles(&response), set(&["vidal-1", "vidal-2"]));
}

#[test]
fn a_name_is_listed_whole_with_every_term_it_searched() {
    let response = search(&[], "كيدال");
    let terms = searched(&response, "كيدال");
    assert_eq!(
        terms,
        vec![
            ("كيدال".to_string(), "name".to_string(), 1.0),
            ("كيدال".to_string(), "exact".to_string(), 0.3),
            ("كيدال".to_string(), "title".to_string(), 1.5),
        ]
    );
}

#[test]
fn a_variant_is_listed_with_its_kind_and_weight_and_finds_the_other_form() {
    // يشير "he/it points" also searches تشير "she/it points", below the word typed.
    let response = search(&[], "يشير");
    let terms = searched(&response, "يشير");
    let person: Vec<_> = terms
        .iter()
        .filter(|(_, kind, _)| kind == "person")
        .collect();
    assert_eq!(person.len(), 1, "{terms:?}");
    assert_eq!(person[0].0, "تشير");
    assert!(person[0].2 > 0.0 && person[0].2 < 1.0, "{terms:?}");
    assert_eq!(articles(&response), set(&["report-1"]));
}

#[test]
fn explain_prints_the_searched_terms() {
    let out = ok(akhbar(&["search", "--index", index(), "--explain", "يشير"]));
    assert!(out.contains("searched: stem يشير (text) ×1"), "{out}");
    assert!(out.contains("person تشير (text) ×"), "{out}");
}

#[test]
fn a_latin_name_with_a_known_spelling_gets_no_near_spellings() {
    // Kidal maps to كيدال: neither the Latin as typed nor the Arabic form look for
    // indexed words one edit away.
    let response = search(&[], "Kidal");
    assert_eq!(articles(&response), set(&["kidal-1", "kidal-2"]));
    for word in response["parsed"].as_array().expect("parsed") {
        assert!(word.get("near_terms").is_none(), "{word}");
        for term in word["searched"].as_array().into_iter().flatten() {
            assert_ne!(term["kind"], "near-spelling", "{word}");
        }
    }
}
