//! Paging through results: the pages of a query, one after another, are one long page
//! cut in pieces — each result once, none skipped, whatever depth a page is asked at.
//!
//! The fixture is made here: 420 short articles written from a small vocabulary by a
//! fixed pseudo-random sequence, so that many passages tie on their scores and the
//! bonuses (exact form, proximity, word pairs) reorder the first stage's candidates —
//! the two things that made a page depend on how deep it was asked for (a candidate
//! pool of `offset + limit + candidates_beyond_k`, and among tied scores those the first
//! stage met first). Pages of 50 up to offset 350 cross three of the ranking's blocks
//! (`schema.json` → `search.rank_block` = 100: blocks 0–100, 100–200, 200–400).

use std::fs::File;
use std::io::Write;
use std::path::Path;
use std::sync::OnceLock;

use serde_json::Value;

mod common;
use common::{akhbar, ok};

const ARTICLES: usize = 420;
const PAGE: usize = 50;
const PAGES: usize = 8;

/// Words of the fixture (written for it): the query words and some others.
const WORDS: [&str; 24] = [
    "هجوم",
    "الجيش",
    "قاعدة",
    "عسكرية",
    "المدينة",
    "الحكومة",
    "الرئيس",
    "المعارضة",
    "اتفاق",
    "السلام",
    "الانتخابات",
    "البرلمان",
    "الاقتصاد",
    "الأسعار",
    "الشمال",
    "الجنوب",
    "مسلحين",
    "قتلى",
    "جرحى",
    "وزارة",
    "الدفاع",
    "بيان",
    "مصادر",
    "محلية",
];

/// A fixed pseudo-random sequence (a linear congruential generator).
struct Sequence(u64);

impl Sequence {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) % n as u64) as usize
    }

    fn words(&mut self, count: usize) -> String {
        (0..count)
            .map(|_| WORDS[self.next(WORDS.len())])
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// Writes the fixture: article `i` has a title of 4 words and two paragraphs of 8 or 12
/// and 8 words (two lengths, so scores tie), and a number of its own so no two are the
/// same story.
fn write_fixture(path: &Path) {
    let mut out = File::create(path).expect("fixture file");
    let mut seq = Sequence(7);
    for i in 0..ARTICLES {
        let title = seq.words(4);
        let first_len = 8 + 4 * (i % 2);
        let first = seq.words(first_len);
        let second_len = 8;
        let second = seq.words(second_len);
        let record = serde_json::json!({
            "id": format!("p{i:03}"),
            "outlet": "الصحيفة",
            "title": title,
            "published": "2018-01-01",
            "url": null,
            "category": null,
            "body": format!("{first} العدد {i}.\n{second}."),
        });
        writeln!(out, "{record}").expect("write fixture");
    }
}

/// The index of the fixture, built once for the tests of this file.
fn index() -> &'static str {
    static INDEX: OnceLock<(tempfile::TempDir, String)> = OnceLock::new();
    &INDEX
        .get_or_init(|| {
            let dir = tempfile::tempdir().expect("tempdir");
            let input = dir.path().join("paging.jsonl");
            write_fixture(&input);
            let path = dir.path().join("idx").to_string_lossy().into_owned();
            ok(akhbar(&[
                "index",
                "--index",
                &path,
                input.to_str().expect("UTF-8 path"),
            ]));
            (dir, path)
        })
        .1
}

/// The hits of one page: (doc id, passage) of each.
fn page(query: &str, extra: &[&str], limit: usize, offset: usize) -> Vec<(String, u64)> {
    let (limit, offset) = (limit.to_string(), offset.to_string());
    let mut args = vec!["search", "--index", index(), "--json", "-n", &limit];
    args.extend_from_slice(&["--offset", &offset]);
    args.extend_from_slice(extra);
    args.extend_from_slice(&["--", query]);
    let response: Value = serde_json::from_str(&ok(akhbar(&args))).expect("JSON output");
    response["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .map(|h| {
            let id = h["doc_id"].as_str().expect("doc_id").to_string();
            (id, h["passage"].as_u64().expect("passage"))
        })
        .collect()
}

/// Pages of 50 from offset 0 to 350, concatenated, equal one page of 400 (the query
/// has more than 100 results: the pages cross a block); no result appears twice.
fn check_paging(query: &str, extra: &[&str]) {
    let long = page(query, extra, PAGE * PAGES, 0);
    assert!(
        long.len() > 2 * PAGE,
        "{query} {extra:?}: the fixture should give more than two pages, got {}",
        long.len()
    );
    let mut seen = std::collections::HashSet::new();
    for hit in &long {
        assert!(seen.insert(hit), "{query} {extra:?}: {hit:?} twice");
    }
    let mut pages = Vec::new();
    for p in 0..PAGES {
        let one = page(query, extra, PAGE, p * PAGE);
        assert!(one.len() <= PAGE);
        pages.extend(one);
    }
    assert_eq!(
        pages.len(),
        long.len(),
        "{query} {extra:?}: as many results page by page as in one page"
    );
    for (i, (a, b)) in pages.iter().zip(&long).enumerate() {
        assert_eq!(a, b, "{query} {extra:?}: result {i} differs page by page");
    }
}

#[test]
fn pages_of_a_ranked_query_are_one_long_page() {
    // Before the ranking in blocks, page by page repeated 6 articles of this query.
    let extra = ["--match", "any", "--no-collapse-stories"];
    check_paging("الرئيس الحكومة المعارضة", &extra);
    check_paging("هجوم الجيش قاعدة عسكرية", &["--match", "any"]);
}

#[test]
fn pages_are_one_long_page_with_stories_and_strict_matching() {
    // Every word required (the default for two words), stories collapsed (the default).
    check_paging("الجيش المدينة", &[]);
}

#[test]
fn pages_of_passages_are_one_long_page() {
    // Before the ranking in blocks, page by page repeated 12 passages of this query.
    check_paging(
        "مسلحين قتلى جرحى",
        &["--match", "any", "--all-passages", "--no-collapse-stories"],
    );
}

/// Within the first block a page is a slice of the same ranking as the batch run's top
/// 100 (`search --run --limit 100`), so what eval measures is what a user pages through.
#[test]
fn the_first_pages_are_the_batch_ranking() {
    let query = "هجوم الجيش قاعدة عسكرية";
    let dir = tempfile::tempdir().expect("tempdir");
    let queries = dir.path().join("q.tsv");
    std::fs::write(&queries, format!("q1\t{query}\n")).expect("queries");
    let run = dir.path().join("r.trec");
    ok(akhbar(&[
        "search",
        "--index",
        index(),
        "--queries",
        queries.to_str().expect("UTF-8"),
        "--run",
        run.to_str().expect("UTF-8"),
        "--limit",
        "100",
    ]));
    let batch: Vec<String> = std::fs::read_to_string(&run)
        .expect("run file")
        .lines()
        .map(|l| l.split_whitespace().nth(2).expect("docno").to_string())
        .collect();
    assert_eq!(batch.len(), 100);
    let mut pages = Vec::new();
    for p in 0..10 {
        let extra = ["--match", "any", "--no-collapse-stories"];
        pages.extend(page(query, &extra, 10, p * 10).into_iter().map(|h| h.0));
    }
    assert_eq!(pages, batch);
}
