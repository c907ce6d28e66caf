//! End-to-end tests of `akhbar eval` on the tiny fixture set in `tests/fixtures/eval/`:
//! six Arabic passages, eight questions (one written in query syntax, one made only of
//! stop words), and a distractor file in the record format with one malformed line.

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
            "akhbar:+variants"
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
