//! End to end: an article's own score (`search.weights.article`, src/search/rank/fusion.rs).
//!
//! The fixture `tests/fixtures/ranking/articles.jsonl` has two articles that open with the
//! same paragraph, «وقال المتحدث في مؤتمر صحفي إن أسعار النفط ارتفعت اليوم…»: in
//! `oil-market` the rest is about oil (OPEC's cut, Brent, the exporters' budgets), in
//! `coach-column` about football. Their first passages score alike, so ranked by the best
//! passage alone (MaxP, the weight off) the two tie; with the article's score the oil
//! report comes first, in interactive search (`--match auto`), in the batch path
//! (`--match any`, `--run`) and with `--all-passages`, where the oil report's passages
//! keep their own order (the one with the words first). Four short articles on other
//! subjects make the two words rare. The schema is the built-in one with passages of
//! 100–300 bytes (so each paragraph is a passage) and the `article` field (off in the
//! built-in schema), with the weight at 0.5 and a copy with the weight off.

mod common;

use std::path::{Path, PathBuf};

use common::{akhbar, ok, repo};
use serde_json::Value;

const QUERY: &str = "أسعار النفط";

/// A copy of `index-schema/` in `dir` with small passages, the `article` field and
/// `search.weights.article` set to `article` (a JSON value).
fn schema(dir: &Path, name: &str, article: &str) -> PathBuf {
    let to = dir.join(name);
    std::fs::create_dir_all(&to).expect("schema dir");
    for entry in std::fs::read_dir(repo("index-schema")).expect("index-schema") {
        let entry = entry.expect("entry");
        std::fs::copy(entry.path(), to.join(entry.file_name())).expect("copy");
    }
    let path = to.join("schema.json");
    let mut json: Value =
        serde_json::from_str(&std::fs::read_to_string(&path).expect("read")).expect("JSON");
    json["passages"]["min_bytes"] = 100.into();
    json["passages"]["max_bytes"] = 300.into();
    // The article field is off in the built-in schema (over the indexing budgets): both
    // copies declare it, so the same index opens under either weight.
    json["fields"]["list"]
        .as_array_mut()
        .expect("fields.list")
        .push(
            serde_json::json!({"name": "article", "kind": "text", "analyzer": "arabic",
            "positions": false, "stored": false}),
        );
    json["search"]["weights"]["article"] = serde_json::from_str(article).expect("value");
    std::fs::write(&path, serde_json::to_string_pretty(&json).expect("JSON")).expect("write");
    to
}

struct Fixture {
    _dir: tempfile::TempDir,
    index: String,
    fused: String,
    maxp: String,
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().expect("tempdir");
    let fused = schema(dir.path(), "fused", "0.5");
    let maxp = schema(dir.path(), "maxp", "null");
    let index = dir.path().join("idx").to_string_lossy().into_owned();
    let input = repo("tests/fixtures/ranking/articles.jsonl");
    let fused = fused.to_string_lossy().into_owned();
    ok(akhbar(&[
        "--schema",
        &fused,
        "index",
        "--index",
        &index,
        input.to_str().expect("utf-8"),
    ]));
    Fixture {
        _dir: dir,
        index,
        fused,
        maxp: maxp.to_string_lossy().into_owned(),
    }
}

/// (article, passage ordinal, score) of each hit of `akhbar search --json`.
fn hits(f: &Fixture, schema: &str, args: &[&str]) -> Vec<(String, u64, f64)> {
    let mut all = vec!["--schema", schema, "search", "--index", &f.index, "--json"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--", QUERY]);
    let response: Value = serde_json::from_str(&ok(akhbar(&all))).expect("JSON");
    response["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .map(|h| {
            (
                h["doc_id"].as_str().expect("doc_id").to_string(),
                h["passage"].as_u64().expect("passage"),
                h["score"].as_f64().expect("score"),
            )
        })
        .collect()
}

#[test]
fn the_article_about_the_question_comes_first() {
    let f = fixture();
    for mode in ["auto", "any"] {
        let args = ["--no-collapse-stories", "--match", mode];
        let maxp = hits(&f, &f.maxp, &args);
        assert_eq!(maxp.len(), 2, "{mode}: {maxp:?}");
        assert_eq!(
            maxp[0].2, maxp[1].2,
            "{mode}: the same first passage, a tie"
        );
        let fused = hits(&f, &f.fused, &args);
        let order: Vec<(&str, u64)> = fused.iter().map(|h| (h.0.as_str(), h.1)).collect();
        assert_eq!(
            order,
            vec![("oil-market", 0), ("coach-column", 0)],
            "{mode}: {fused:?}"
        );
        assert!(fused[0].2 > fused[1].2, "{mode}: {fused:?}");
        // Both articles are lifted: the football one holds the two words too.
        assert!(fused[1].2 > maxp[1].2);
    }
}

#[test]
fn passages_keep_their_own_order_within_an_article() {
    let f = fixture();
    let passages = |schema: &str| -> Vec<(String, u64)> {
        hits(&f, schema, &["--all-passages"])
            .into_iter()
            .map(|h| (h.0, h.1))
            .collect()
    };
    let oil = |list: &[(String, u64)]| -> Vec<u64> {
        list.iter()
            .filter(|p| p.0 == "oil-market")
            .map(|p| p.1)
            .collect()
    };
    let fused = passages(&f.fused);
    let maxp = passages(&f.maxp);
    // Passages with both words (auto): the shared opening, the budgets (3), OPEC's cut (1).
    assert_eq!(oil(&fused), vec![0, 3, 1]);
    assert_eq!(oil(&fused), oil(&maxp));
    assert_eq!(
        fused[..2],
        [("oil-market".into(), 0), ("coach-column".into(), 0)]
    );
}

#[test]
fn the_batch_run_ranks_by_the_same_rule() {
    let f = fixture();
    let dir = tempfile::tempdir().expect("tempdir");
    let queries = dir.path().join("q.tsv");
    std::fs::write(&queries, format!("q1\t{QUERY}\n")).expect("queries");
    let run = dir.path().join("run.trec");
    ok(akhbar(&[
        "--schema",
        &f.fused,
        "search",
        "--index",
        &f.index,
        "--queries",
        queries.to_str().expect("utf-8"),
        "--run",
        run.to_str().expect("utf-8"),
        "--limit",
        "10",
    ]));
    let text = std::fs::read_to_string(&run).expect("run");
    let docs: Vec<&str> = text
        .lines()
        .map(|l| l.split(' ').nth(2).expect("docid"))
        .collect();
    assert_eq!(docs, vec!["oil-market", "coach-column"]);
}

#[test]
fn the_plan_lists_the_article_terms() {
    let f = fixture();
    let out = ok(akhbar(&[
        "--schema", &f.fused, "search", "--index", &f.index, "--json", "--", QUERY,
    ]));
    let response: Value = serde_json::from_str(&out).expect("JSON");
    let searched: Vec<(String, String, f64)> = response["parsed"]
        .as_array()
        .expect("parsed words")
        .iter()
        .flat_map(|w| w["searched"].as_array().cloned().unwrap_or_default())
        .filter(|t| t["kind"] == "article")
        .map(|t| {
            (
                t["term"].as_str().expect("term").to_string(),
                t["field"].as_str().expect("field").to_string(),
                t["weight"].as_f64().expect("weight"),
            )
        })
        .collect();
    assert_eq!(
        searched,
        vec![
            ("اسعار".to_string(), "article".to_string(), 0.5),
            ("نفط".to_string(), "article".to_string(), 0.5)
        ]
    );
    let off = ok(akhbar(&[
        "--schema", &f.maxp, "search", "--index", &f.index, "--json", "--", QUERY,
    ]));
    assert!(!off.contains("\"kind\":\"article\""));
}
