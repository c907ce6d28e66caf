//! End-to-end tests of `akhbar eval` on the tiny fixture set in `tests/fixtures/eval/`:
//! six Arabic passages, eight questions (one written in query syntax, one made only of
//! stop words), a distractor file in the record format with one malformed line, and six
//! news articles of several paragraphs (with boilerplate lines) that compete with the
//! passages for the same words.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/eval")
        .join(name)
}

fn akhbar(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_akhbar"))
        .args(args)
        .output()
        .expect("akhbar runs")
}

fn eval_args() -> Vec<String> {
    [
        ("--passages", "passages.jsonl"),
        ("--queries", "queries.tsv"),
        ("--qrels", "qrels.tsv"),
    ]
    .iter()
    .flat_map(|(flag, file)| [flag.to_string(), fixture(file).display().to_string()])
    .collect()
}

fn run_json(extra: &[&str]) -> serde_json::Value {
    let mut args: Vec<String> = vec!["eval".into(), "--json".into()];
    args.extend(eval_args());
    args.extend(extra.iter().map(|s| s.to_string()));
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = akhbar(&refs);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("valid JSON")
}

/// `qid → ranked doc ids` of a TREC run file.
fn read_run(path: &Path) -> Vec<(String, String, usize)> {
    std::fs::read_to_string(path)
        .expect("run file written")
        .lines()
        .map(|line| {
            let f: Vec<&str> = line.split(' ').collect();
            assert_eq!(f.len(), 6, "TREC run line: {line}");
            assert_eq!(f[1], "Q0");
            (f[0].to_string(), f[2].to_string(), f[3].parse().unwrap())
        })
        .collect()
}

#[test]
fn default_systems_json_shape_and_run_files() {
    let dir = tempfile::tempdir().unwrap();
    let run_dir = dir.path().display().to_string();
    let distractors = fixture("distractors.jsonl").display().to_string();
    let report = run_json(&["--run-dir", &run_dir, "--distractors", &distractors]);

    let setup = &report["setup"];
    assert_eq!(setup["passages"], 6);
    assert_eq!(setup["queries"], 8);
    assert_eq!(setup["judged_queries"], 8);
    assert_eq!(setup["distractors"], 3);
    assert_eq!(setup["distractor_bad_lines"], 1);

    let systems = report["systems"].as_array().expect("systems array");
    let names: Vec<&str> = systems
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["akhbar", "default", "snowball"]);
    for s in systems {
        for metric in ["mrr10", "ndcg10", "recall10", "recall100"] {
            let v = s[metric].as_f64().expect(metric);
            assert!((0.0..=1.0).contains(&v), "{metric} = {v}");
        }
        assert_eq!(s["queries"], 8);
        assert_eq!(s["docs"], 9);
        assert!(s["index_seconds"].as_f64().is_some());
        assert!(s["search_seconds"].as_f64().is_some());
    }

    let akhbar_run = read_run(&dir.path().join("akhbar.run"));
    let first = |qid: &str| {
        akhbar_run
            .iter()
            .find(|(q, _, rank)| q == qid && *rank == 1)
            .map(|(_, doc, _)| doc.clone())
    };
    // Obviously answerable questions rank their passage first.
    assert_eq!(first("q1").as_deref(), Some("p1"));
    assert_eq!(first("q3").as_deref(), Some("p3"));
    assert_eq!(first("q6").as_deref(), Some("p6"));
    // Another spelling of the place name (تين زاوتين for تينزاواتين) still finds it.
    assert_eq!(first("q2").as_deref(), Some("p2"));
    // Query syntax (quotes, parentheses, a lone -) never makes the question fail.
    assert_eq!(first("q7").as_deref(), Some("p1"));
    // A question made only of stop words retrieves nothing (and does not fail).
    assert_eq!(first("q8"), None);
    // The other systems wrote their runs too; their syntax-laden query did not fail.
    assert!(!read_run(&dir.path().join("default.run")).is_empty());
    assert!(!read_run(&dir.path().join("snowball.run")).is_empty());
}

#[test]
fn ablation_reports_every_step_with_gains() {
    let report = run_json(&["--ablation", "--analyzer", "arabic_exact"]);
    let names: Vec<&str> = report["systems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "arabic_exact",
            "akhbar:norm",
            "akhbar:+stem",
            "akhbar:+guards",
            "akhbar:+names",
            "akhbar:+stop",
            "akhbar:+proclitics",
            "akhbar:+suffixes",
            "akhbar:+exact",
            "akhbar:+proximity",
            "akhbar:+variants",
        ]
    );
    let steps = report["ablation"].as_array().expect("ablation array");
    assert_eq!(steps.len(), 10);
    assert_eq!(steps[0]["mrr10_gain"], 0.0);
    for pair in steps.windows(2) {
        let gain = pair[1]["mrr10"].as_f64().unwrap() - pair[0]["mrr10"].as_f64().unwrap();
        let reported = pair[1]["mrr10_gain"].as_f64().unwrap();
        assert!((gain - reported).abs() < 1e-9);
    }
}

/// MRR@10 computed apart from `akhbar::eval::metrics`: for each query with a relevant
/// document, 1 / the rank of the first relevant document in the top 10 (0 if none),
/// averaged.
fn independent_mrr10(qrels: &str, run: &str) -> f64 {
    let mut relevant: std::collections::BTreeMap<&str, Vec<&str>> = Default::default();
    for line in qrels.lines() {
        let f: Vec<&str> = line.split_whitespace().collect();
        if f.len() == 4 && f[3] != "0" {
            relevant.entry(f[0]).or_default().push(f[2]);
        }
    }
    let mut first: std::collections::HashMap<&str, usize> = Default::default();
    for line in run.lines() {
        let f: Vec<&str> = line.split(' ').collect();
        let rank: usize = f[3].parse().unwrap();
        if rank <= 10 && relevant.get(f[0]).is_some_and(|r| r.contains(&f[2])) {
            let best = first.entry(f[0]).or_insert(rank);
            *best = (*best).min(rank);
        }
    }
    let total: f64 = relevant
        .keys()
        .map(|q| first.get(q).map_or(0.0, |&r| 1.0 / r as f64))
        .sum();
    total / relevant.len() as f64
}

/// `akhbar eval`'s akhbar figure is what a user gets: `akhbar index` on the same records
/// (each passage a record of outlet "eval" without a title, each news article without its
/// title), `akhbar search --queries … --run … --limit 100`, and a scorer of one's own.
#[test]
fn eval_measures_what_index_and_search_run_give() {
    let dir = tempfile::tempdir().unwrap();
    let news = fixture("news.jsonl");
    let run_dir = dir.path().join("runs");
    let report = run_json(&[
        "--system",
        "akhbar",
        "--distractors",
        news.to_str().unwrap(),
        "--run-dir",
        run_dir.to_str().unwrap(),
    ]);
    let eval_mrr = report["systems"][0]["mrr10"].as_f64().unwrap();

    // The union as a user would write it.
    let mut union = String::new();
    for line in std::fs::read_to_string(fixture("passages.jsonl"))
        .unwrap()
        .lines()
    {
        let p: serde_json::Value = serde_json::from_str(line).unwrap();
        let record = serde_json::json!({
            "id": p["id"], "outlet": "eval", "title": null, "body": p["text"]
        });
        union.push_str(&format!("{record}\n"));
    }
    for line in std::fs::read_to_string(&news).unwrap().lines() {
        let mut r: serde_json::Value = serde_json::from_str(line).unwrap();
        r["title"] = serde_json::Value::Null;
        union.push_str(&format!("{r}\n"));
    }
    let union_file = dir.path().join("union.jsonl");
    std::fs::write(&union_file, union).unwrap();
    let index = dir.path().join("index");
    let out = akhbar(&[
        "index",
        "--index",
        index.to_str().unwrap(),
        union_file.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let run = dir.path().join("user.trec");
    let out = akhbar(&[
        "search",
        "--index",
        index.to_str().unwrap(),
        "--queries",
        fixture("queries.tsv").to_str().unwrap(),
        "--run",
        run.to_str().unwrap(),
        "--limit",
        "100",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let qrels = std::fs::read_to_string(fixture("qrels.tsv")).unwrap();
    let user_run = std::fs::read_to_string(&run).unwrap();
    let user_mrr = independent_mrr10(&qrels, &user_run);
    assert!(
        (eval_mrr - user_mrr).abs() < 1e-12,
        "eval {eval_mrr} vs user {user_mrr}"
    );
    // The news articles compete: not every question finds its passage first.
    assert!(user_mrr < 1.0 && user_mrr > 0.5, "{user_mrr}");
    // And the rankings are the same documents in the same order.
    let ranked = |text: &str| -> Vec<String> {
        text.lines()
            .map(|l| l.split(' ').take(4).collect::<Vec<_>>().join(" "))
            .collect()
    };
    let eval_run = std::fs::read_to_string(run_dir.join("akhbar.run")).unwrap();
    assert_eq!(ranked(&eval_run), ranked(&user_run));
}

#[test]
fn bad_qrels_line_is_reported_with_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let qrels = dir.path().join("qrels.tsv");
    std::fs::write(&qrels, "q1 0 p1 1\nq2 0 p2\n").unwrap();
    let mut args: Vec<String> = vec!["eval".into()];
    args.extend(eval_args());
    let at = args.iter().position(|a| a == "--qrels").unwrap();
    args[at + 1] = qrels.display().to_string();
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = akhbar(&refs);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!("{}:2:", qrels.display())),
        "{stderr}"
    );
}

#[test]
fn unknown_system_is_an_error() {
    let mut args: Vec<String> = vec!["eval".into(), "--system".into(), "lucene".into()];
    args.extend(eval_args());
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = akhbar(&refs);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("unknown system or analyzer `lucene`"),
        "{stderr}"
    );
}
