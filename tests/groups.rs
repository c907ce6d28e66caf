//! End-to-end tests of the groups added or tightened in issue 14's last parts, on the
//! small fixture `tests/fixtures/groups.jsonl` (written for these tests, not corpus
//! text), with the built binary and a temporary index:
//! - the Islamic State is a group from `entities.json` alone: BBC's `تنظيم الدولة
//!   الإسلامية` and a Gulf paper's `داعش` carry the same tag, so `داعش الموصل` finds BBC's
//!   Mosul article; its Sahel branch is the same group; the generic phrases (الدولة
//!   الإسلامية "in the days of Umar", the state's organising of the Hajj) are not;
//! - JNIM's forerunner and leader tag a 2018 article, not a 2015 one (`founded`);
//! - a group's own name that the index lacks gets no near spellings (JNIM is not JIM);
//! - a letter's salutation and a live blog's short lines are kept as text, not dropped
//!   as a link list.

use serde_json::Value;

mod common;
use common::{search_json, SharedIndex};

static INDEX: SharedIndex = SharedIndex::new("tests/fixtures/groups.jsonl");

/// One index of `tests/fixtures/groups.jsonl` for every test (read-only).
fn index() -> &'static str {
    INDEX.path()
}

/// `akhbar search --json -n 50 ARGS -- QUERY` on it.
fn search(args: &[&str], query: &str) -> Value {
    search_json(index(), args, query)
}

/// The article ids of a response's hits, sorted.
fn ids(response: &Value) -> Vec<String> {
    let mut v: Vec<String> = response["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .map(|h| h["doc_id"].as_str().expect("doc_id").to_string())
        .collect();
    v.sort();
    v
}

#[test]
fn the_islamic_state_is_tagged_under_every_outlet_s_name() {
    assert_eq!(
        ids(&search(&["--about", "islamic-state"], "")),
        ["is-bbc-mosul", "is-gulf-daesh", "is-sahel"]
    );
    // BBC writes تنظيم الدولة الإسلامية, never داعش: the group's tag finds it.
    assert_eq!(
        ids(&search(&["--outlet", "BBC"], "داعش الموصل")),
        ["is-bbc-mosul"]
    );
    for name in ["ISIS", "Daesh", "داعش", "ISGS"] {
        let r = search(&[], name);
        assert_eq!(
            ids(&r),
            ["is-bbc-mosul", "is-gulf-daesh", "is-sahel"],
            "{name}"
        );
        assert_eq!(r["parsed"][0]["group"], "islamic-state", "{name}");
    }
}

#[test]
fn generic_phrases_are_set_aside_with_their_reason() {
    for (id, query) in [
        ("generic-state", "\"عمر بن الخطاب\""),
        ("generic-organising", "الحج"),
    ] {
        let r = search(&[], query);
        let hit = r["hits"]
            .as_array()
            .expect("hits")
            .iter()
            .find(|h| h["doc_id"] == id)
            .unwrap_or_else(|| panic!("{id} is found by {query}"));
        assert!(hit["groups"].as_array().expect("groups").is_empty(), "{id}");
        let detail = hit["group_detail"].to_string();
        assert!(detail.contains("\"sense\":\"generic\""), "{id}: {detail}");
    }
    let r = search(&[], "\"عمر بن الخطاب\"");
    let detail = r["hits"][0]["group_detail"].to_string();
    assert!(detail.contains("word before: توسع"), "{detail}");
}

#[test]
fn jnim_s_forerunner_counts_only_after_its_founding() {
    assert_eq!(ids(&search(&["--about", "jnim"], "")), ["jnim-2018"]);
}

#[test]
fn a_group_name_gets_no_near_spellings() {
    let r = search(&["--explain"], "JNIM");
    assert_eq!(ids(&r), ["jnim-2018"]);
    assert!(
        r["notes"].as_array().is_none_or(|notes| notes
            .iter()
            .all(|n| !n.as_str().unwrap_or_default().contains("near spellings"))),
        "{}",
        r["notes"]
    );
}

#[test]
fn short_lines_of_the_article_s_own_text_are_searchable() {
    assert_eq!(ids(&search(&[], "\"حفظه الله\"")), ["letter"]);
    assert_eq!(ids(&search(&[], "\"طريق مظلم\"")), ["live-blog"]);
}
