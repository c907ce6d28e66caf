//! `akhbar serve` end to end: the binary on a free loopback port over an index of
//! `samples/` (and `tests/fixtures/server/batch.jsonl`), driven over HTTP.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_akhbar");
const TOKEN: &str = "test-token-0123456789abcdef";

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn akhbar(args: &[&str]) -> std::process::Output {
    let out = Command::new(BIN).args(args).output().expect("run akhbar");
    assert!(
        out.status.success() || out.status.code() == Some(1),
        "akhbar {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn index(dir: &Path, input: &Path) {
    akhbar(&[
        "index",
        "--index",
        dir.to_str().unwrap(),
        input.to_str().unwrap(),
    ]);
}

/// A running server; killed when dropped.
struct Server {
    child: Child,
    url: String,
    agent: ureq::Agent,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(dir: &Path, token_file: Option<&Path>) -> Server {
    let mut cmd = Command::new(BIN);
    cmd.args([
        "serve",
        "--index",
        dir.to_str().unwrap(),
        "--listen",
        "127.0.0.1:0",
    ]);
    if let Some(f) = token_file {
        cmd.args(["--write-token-file", f.to_str().unwrap()]);
    }
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start akhbar serve");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line.trim().trim_end_matches('/').to_string();
    assert!(url.starts_with("http://127.0.0.1:"), "printed {line:?}");
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(30)))
        .build()
        .into();
    Server { child, url, agent }
}

/// Percent-encodes a query-string value.
fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

impl Server {
    fn get(&self, path: &str) -> (u16, String, String) {
        let mut r = self
            .agent
            .get(&format!("{}{path}", self.url))
            .call()
            .unwrap();
        let kind = r
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        let body = r.body_mut().read_to_string().unwrap();
        (r.status().as_u16(), kind, body)
    }

    fn json(&self, path: &str) -> (u16, Value) {
        let (status, kind, body) = self.get(path);
        assert!(kind.starts_with("application/json"), "{path}: {kind}");
        (status, serde_json::from_str(&body).unwrap())
    }

    fn post(&self, token: Option<&str>, body: &str) -> (u16, Value) {
        let mut req = self.agent.post(&format!("{}/api/v1/articles", self.url));
        if let Some(t) = token {
            req = req.header("Authorization", &format!("Bearer {t}"));
        }
        let mut r = req.send(body).unwrap();
        let text = r.body_mut().read_to_string().unwrap();
        (r.status().as_u16(), serde_json::from_str(&text).unwrap())
    }
}

fn sample_index() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("ix");
    index(&dir, &repo().join("samples"));
    (tmp, dir)
}

fn token_file(tmp: &Path) -> PathBuf {
    let path = tmp.join("token");
    std::fs::write(&path, format!("{TOKEN}\n")).unwrap();
    path
}

fn error_message(v: &Value) -> &str {
    v["error"]["message"].as_str().unwrap_or("")
}

#[test]
fn search_is_the_cli_json_object() {
    let (_tmp, dir) = sample_index();
    let server = start(&dir, None);
    let (status, v) = server.json(&format!("/api/v1/search?q={}", enc("تين زاوتين")));
    assert_eq!(status, 200);
    let cli = akhbar(&[
        "search",
        "--index",
        dir.to_str().unwrap(),
        "--json",
        "تين زاوتين",
    ]);
    let cli: Value = serde_json::from_slice(&cli.stdout).unwrap();
    let ids = |v: &Value| -> Vec<String> {
        v["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["doc_id"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(ids(&v), ids(&cli));
    assert_eq!(v["total"], cli["total"]);
    assert_eq!(v["facets"]["outlet"], cli["facets"]["outlet"]);
    assert_eq!(v["total"], 4);
    let hit = &v["hits"][0];
    let text = hit["text"].as_str().unwrap();
    let [s, e] = [
        hit["highlights"][0][0].as_u64().unwrap(),
        hit["highlights"][0][1].as_u64().unwrap(),
    ];
    assert!(
        text[s as usize..e as usize].contains("زاوتين")
            || text[s as usize..e as usize].contains("زواتين")
            || text[s as usize..e as usize].contains("تنزاواتين")
            || text[s as usize..e as usize].contains("تينزاواتين"),
        "{}",
        &text[s as usize..e as usize]
    );
    // Filters, paging, passages.
    let (_, v) = server.json(&format!(
        "/api/v1/search?q={}&limit=1&offset=1",
        enc("تين زاوتين")
    ));
    assert_eq!(v["hits"].as_array().unwrap().len(), 1);
    assert_eq!(v["hits"][0]["rank"], 2);
    let (_, v) = server.json("/api/v1/search?about=wagner&all_passages=true&limit=100");
    assert!(v["total"].as_u64().unwrap() >= 5, "{v}");
    let (_, v) = server.json(&format!("/api/v1/search?q={}&outlet=nosuch", enc("فاغنر")));
    assert_eq!(v["total"], 0);
    assert!(
        v["notes"][0]
            .as_str()
            .unwrap()
            .contains("no outlet `nosuch`"),
        "{v}"
    );
}

#[test]
fn every_read_endpoint_answers() {
    let (_tmp, dir) = sample_index();
    let server = start(&dir, None);
    let (status, v) = server.json("/api/v1/articles/seed-004");
    assert_eq!(status, 200);
    assert_eq!(v["published"], "2024-07-30");
    let samples = std::fs::read_to_string(repo().join("samples/articles.jsonl")).unwrap();
    let record: Value = samples
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .find(|r| r["id"] == "seed-004")
        .unwrap();
    assert_eq!(
        v["body"], record["body"],
        "the original body, byte for byte"
    );
    assert!(v["passages"].as_array().unwrap().len() > 1);
    // seed-004 reports al-Qaeda's ambush of Wagner: tagged wagner (JNIM is named in the
    // page's second article, seed-004#2).
    assert!(v["groups"]
        .as_array()
        .unwrap()
        .contains(&Value::from("wagner")));
    // A split page's second article: the id holds `#`, percent-encoded in the path.
    let (status, v) = server.json(&format!(
        "/api/v1/articles/{}?q={}",
        enc("seed-004#2"),
        enc("حكومة شرعية")
    ));
    assert_eq!(status, 200, "{v}");
    let highlighted: Vec<String> = v["passages"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| {
            let text = p["text"].as_str().unwrap().to_string();
            p["highlights"]
                .as_array()
                .unwrap()
                .iter()
                .map(move |h| {
                    text[h[0].as_u64().unwrap() as usize..h[1].as_u64().unwrap() as usize]
                        .to_string()
                })
                .collect::<Vec<_>>()
        })
        .collect();
    assert!(
        highlighted.iter().any(|w| w.contains("شرعية")),
        "{highlighted:?}"
    );
    let (status, v) = server.json("/api/v1/articles/..%2F..%2Fetc%2Fpasswd");
    assert_eq!(status, 404);
    assert!(error_message(&v).contains("no article"));

    let (status, v) = server.json("/api/v1/groups");
    assert_eq!(status, 200);
    let ids: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["id"].as_str().unwrap())
        .collect();
    // The groups of entities.json, in its order.
    let config = akhbar::config::Config::builtin();
    let want: Vec<&str> = config
        .entities
        .groups
        .iter()
        .map(|g| g.id.as_str())
        .collect();
    assert_eq!(ids, want);
    let (status, v) = server.json("/api/v1/stats");
    assert_eq!(status, 200);
    assert_eq!(v["articles"], 6);
    let (status, v) = server.json(&format!("/api/v1/analyze?text={}", enc("وبمورا فاجنر")));
    assert_eq!(status, 200);
    assert_eq!(v[0]["term"], "مورا");
    assert_eq!(v[1]["term"], "فاغنر");
    let (status, v) = server.json("/api/v1/openapi.json");
    assert_eq!(status, 200);
    assert_eq!(v["openapi"], "3.1.0");
    assert_eq!(server.json("/healthz").1["status"], "ok");
    let (status, v) = server.json("/readyz");
    assert_eq!((status, v["articles"].as_u64()), (200, Some(6)));
    let (status, kind, text) = server.get("/metrics");
    assert_eq!(status, 200);
    assert!(kind.starts_with("text/plain"));
    assert!(text.contains("akhbar_index_articles 6"), "{text}");
    assert!(text.contains("akhbar_http_requests_total{route=\"/api/v1/stats\",status=\"200\"} 1"));
    assert!(text.contains("akhbar_http_request_duration_seconds_bucket{le=\"+Inf\"}"));
    assert!(text.contains("akhbar_index_generation 1"));
    assert!(text.contains("akhbar_index_last_commit_timestamp_seconds"));
}

#[test]
fn bad_input_is_400_never_500() {
    let (_tmp, dir) = sample_index();
    let server = start(&dir, None);
    let cases: &[(&str, &str)] = &[
        ("/api/v1/search?q=x&limit=-1", "parameter `limit`"),
        ("/api/v1/search?q=x&limit=1001", "more than 1000"),
        ("/api/v1/search?q=x&offset=99999", "parameter `offset`"),
        ("/api/v1/search?q=x&from=2024-13-40", "not a date"),
        ("/api/v1/search?q=x&sort=x", "parameter `sort`"),
        ("/api/v1/search?q=x&match=most", "parameter `match`"),
        ("/api/v1/search?q=x&explain=perhaps", "not true or false"),
        (
            "/api/v1/search?q=x&colour=red",
            "unknown parameter `colour`",
        ),
        ("/api/v1/search?q=", "nothing to search for"),
        ("/api/v1/search?q=%22%22%20-", "nothing to search for"),
        (
            "/api/v1/analyze?text=x&analyzer=klingon",
            "unknown analyzer `klingon`",
        ),
        ("/api/v1/analyze", "`text` is required"),
        ("/api/v1/stats?x=1", "unknown parameter"),
        ("/api/v1/search?q=%FF%FE", "cannot read the query string"),
    ];
    for (path, expected) in cases {
        let (status, v) = server.json(path);
        assert_eq!(status, 400, "{path}: {v}");
        assert!(error_message(&v).contains(expected), "{path}: {v}");
    }
    let long = format!("/api/v1/search?q={}", "ا".repeat(2001));
    assert_eq!(server.json(&long).0, 400);
    // Hostile but valid queries are searched, not errors.
    for q in [
        "((((((",
        "\"",
        "title:",
        "outlet:",
        "a OR OR OR b",
        "-+-+",
        "<script>",
        "\u{202e}فاغنر",
    ] {
        let (status, v) = server.json(&format!("/api/v1/search?q={}", enc(q)));
        assert!(status == 200 || status == 400, "{q}: {status} {v}");
    }
    let (status, v) = server.json("/api/v1/nothing");
    assert_eq!(status, 404, "{v}");
    // The write API is off without a token file.
    let (status, v) = server.post(Some(TOKEN), "{}");
    assert_eq!(status, 405);
    assert!(error_message(&v).contains("--write-token-file"));
}

#[test]
fn the_write_api_needs_the_token_and_reports_per_record() {
    let (tmp, dir) = sample_index();
    let server = start(&dir, Some(&token_file(tmp.path())));
    let batch = std::fs::read_to_string(repo().join("tests/fixtures/server/batch.jsonl")).unwrap();
    let (status, v) = server.post(None, &batch);
    assert_eq!(status, 401, "{v}");
    let (status, _) = server.post(Some("wrong-token-0123456789abcdef"), &batch);
    assert_eq!(status, 401);
    let (_, _, metrics) = server.get("/metrics");
    assert!(
        metrics.contains("akhbar_write_unauthorized_total 2"),
        "{metrics}"
    );
    assert_eq!(
        server.json("/api/v1/stats").1["articles"],
        6,
        "nothing written"
    );

    let mut body = batch.clone();
    body.push_str("{\"id\": \"srv-bad\"}\nnot json\n");
    let (status, v) = server.post(Some(TOKEN), &body);
    assert_eq!(status, 200, "{v}");
    let results: Vec<(&str, &str)> = v["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["id"].as_str().unwrap_or("-"),
                i["result"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        results,
        [
            ("srv-001", "added"),
            ("srv-002", "added"),
            ("srv-003", "added"),
            ("-", "rejected"),
            ("-", "rejected")
        ]
    );
    assert_eq!(v["errors"], true);
    assert!(v["items"][4]["reason"].as_str().unwrap().len() > 3);
    // Searchable on the next request.
    let (_, v) = server.json(&format!("/api/v1/search?q={}", enc("كمين كيدال")));
    let found = v["hits"].as_array().unwrap().iter();
    assert!(found.clone().any(|h| h["doc_id"] == "srv-001"), "{v}");
    // Again: unchanged; one changed record: updated.
    let (_, v) = server.post(Some(TOKEN), &batch);
    assert_eq!(v["unchanged"], 3, "{v}");
    let changed = batch.replacen("قافلة للجيش المالي ترافقها", "قافلة عسكرية ترافقها", 1);
    let (_, v) = server.post(Some(TOKEN), &changed);
    assert_eq!(
        (v["updated"].as_u64(), v["unchanged"].as_u64()),
        (Some(1), Some(2)),
        "{v}"
    );
    assert_eq!(v["items"][0]["result"], "updated");
    let (status, v) = server.post(Some(TOKEN), "  \n");
    assert_eq!(status, 400, "{v}");
}

/// Waits until `check` holds, up to `limit`; returns the time it took.
fn within(limit: Duration, mut check: impl FnMut() -> bool) -> Option<Duration> {
    let started = Instant::now();
    while started.elapsed() < limit {
        if check() {
            return Some(started.elapsed());
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    None
}

#[test]
fn the_server_follows_the_index_and_survives_its_loss() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("ix");
    // No index yet: 503 with a message, not a crash.
    let server = start(&dir, None);
    let (status, v) = server.json("/api/v1/search?q=x");
    assert_eq!(status, 503, "{v}");
    assert!(error_message(&v).contains("no index at"), "{v}");
    assert_eq!(server.json("/readyz").0, 503);
    assert_eq!(server.json("/healthz").0, 200);
    let (status, _, page) = server.get("/search?q=x");
    assert_eq!(status, 503);
    assert!(page.contains("no index at"));
    // The index appears (the CLI builds it): served within 5 s.
    index(&dir, &repo().join("samples"));
    let seen = within(Duration::from_secs(5), || server.json("/readyz").0 == 200);
    assert!(seen.is_some(), "the new index was not picked up");
    // A batch indexed by the CLI while the server runs: the next searches see it.
    // `match=all`: both words (`auto` would degrade to كيدال alone when nothing has both).
    let count = |q: &str| {
        server
            .json(&format!("/api/v1/search?match=all&q={}", enc(q)))
            .1["total"]
            .as_u64()
    };
    assert_eq!(count("كيدال أنفيس"), Some(0));
    index(&dir, &repo().join("tests/fixtures/server/batch.jsonl"));
    let seen = within(Duration::from_secs(5), || count("كيدال أنفيس") == Some(1));
    assert!(seen.is_some(), "the batch was not searchable within 5 s");
    // A rebuild switches the generation: followed too.
    akhbar(&[
        "reindex",
        "--index",
        dir.to_str().unwrap(),
        repo().join("samples").to_str().unwrap(),
    ]);
    let seen = within(Duration::from_secs(5), || count("كيدال أنفيس") == Some(0));
    assert!(seen.is_some(), "the new generation was not followed");
    assert!(server
        .get("/metrics")
        .2
        .contains("akhbar_index_generation 2"));
    // The index disappears: 503; it comes back: served again.
    let moved = tmp.path().join("moved");
    std::fs::rename(&dir, &moved).unwrap();
    let gone = within(Duration::from_secs(5), || {
        server.json("/api/v1/search?q=x").0 == 503
    });
    assert!(gone.is_some(), "a vanished index was still served");
    std::fs::rename(&moved, &dir).unwrap();
    let back = within(Duration::from_secs(5), || {
        count("فاغنر").is_some_and(|n| n > 0)
    });
    assert!(back.is_some(), "the index did not come back");
}

#[test]
fn the_page_is_escaped_rtl_and_stateful() {
    let (tmp, dir) = sample_index();
    index(&dir, &repo().join("tests/fixtures/server/batch.jsonl"));
    let server = start(&dir, Some(&token_file(tmp.path())));
    let (status, kind, home) = server.get("/");
    assert_eq!(status, 200);
    assert!(kind.starts_with("text/html"));
    assert!(home.contains("<html dir=\"rtl\" lang=\"ar\">"));
    let q = enc("فاغنر مالي");
    let (status, _, page) = server.get(&format!("/search?q={q}"));
    assert_eq!(status, 200);
    assert!(page.contains("<mark>"), "highlights");
    assert!(
        !page.contains("<script>window"),
        "article text must be escaped"
    );
    assert!(page.contains("&lt;script&gt;window.__pwned=1&lt;/script&gt;"));
    assert!(
        page.contains("href=\"/search?q=") && page.contains("outlet=BBC"),
        "facet links"
    );
    let (_, _, article) = server.get("/article/srv-003");
    assert!(!article.contains("<script>window") && !article.contains("<img src=x"));
    assert!(
        !article.contains("href=\"javascript:"),
        "an unsafe url is not linked"
    );
    let (status, _, _) = server.get("/article/nosuch");
    assert_eq!(status, 404);
    let (status, _, page) = server.get("/search?q=x&limit=-1");
    assert_eq!(status, 400);
    assert!(page.contains("parameter `limit`"));
    let (status, _, groups) = server.get("/groups");
    assert_eq!(status, 200);
    assert!(groups.contains("id=\"wagner\""));
    // A group's date range reads left to right inside the right-to-left page.
    assert!(groups.contains("<bdi dir=\"ltr\">2"), "{groups}");
    let (status, kind, csv) = server.get(&format!("/export.csv?q={q}"));
    assert_eq!(status, 200);
    assert!(kind.starts_with("text/csv"));
    assert!(csv.starts_with("rank,score,doc_id,"));
    assert!(csv.lines().count() > 2);
    let (status, _, json) = server.get(&format!("/export.json?q={q}"));
    assert_eq!(status, 200);
    let v: Value = serde_json::from_str(&json).unwrap();
    assert!(v["hits"].as_array().unwrap().len() > 1);
    // Security headers on every response.
    let r = server
        .agent
        .get(&format!("{}/search?q={q}", server.url))
        .call()
        .unwrap();
    let csp = r
        .headers()
        .get("content-security-policy")
        .unwrap()
        .to_str()
        .unwrap();
    assert!(csp.contains("script-src 'self'") && csp.contains("default-src 'none'"));
    assert_eq!(
        r.headers().get("x-content-type-options").unwrap(),
        "nosniff"
    );
    assert!(r.headers().get("set-cookie").is_none());
}

mod fuzz {
    //! The inputs a server exposes, at scale: random query strings (query-language
    //! syntax, Arabic, marks, controls, any char) through the query string parser,
    //! `Engine::search` on the sample index, and every analyzer. None may panic.
    //! `AKHBAR_FUZZ_CASES=N` sets the number of cases (default 256; the closing note
    //! reports a run of a few minutes).
    use akhbar::analysis::{analyze, Analysis};
    use akhbar::config::Config;
    use akhbar::search::{Engine, SearchRequest};
    use akhbar::server::params::{pairs, SearchParams};
    use proptest::prelude::*;
    use proptest::test_runner::{Config as RunnerConfig, TestRunner};

    fn piece() -> impl Strategy<Value = String> {
        prop_oneof![
            4 => prop::sample::select(vec![
                "فاغنر", "فاجنر", "مالي", "بمالي", "كيدال", "تين", "زاوتين", "المرتزقة", "الروس",
                "وال", "ال", "في", "من", "OR", "AND", "NOT", "or", "title:", "outlet:", "about:",
                "group:", "wagner", "jnim", "BBC", "CSP-DPA", "٢٠٢٤", "2024", "الاغتيالاث",
            ]).prop_map(str::to_string),
            3 => prop::sample::select(vec![
                " ", " ", "\"", "«", "»", "“", "”", "(", ")", "+", "-", ":", "*", "~", "^", "\\",
                "'", "،", "ـ", "\u{064E}", "\u{0651}", "\u{200F}", "\u{202E}", "\u{0000}", "\n",
                "\t", "&", "=", "%", "#", "?", "/", "%FF", "%D9", "%2", "<script>",
            ]).prop_map(str::to_string),
            2 => "[\\u{0600}-\\u{06FF}]{1,8}",
            1 => any::<String>(),
        ]
    }

    fn query() -> impl Strategy<Value = String> {
        prop::collection::vec(piece(), 0..40).prop_map(|p| p.concat())
    }

    #[test]
    fn no_input_panics() {
        let cases = std::env::var("AKHBAR_FUZZ_CASES")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(256);
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("ix");
        let config = Config::builtin();
        akhbar::index::rebuild::ensure_index(&root, &config).unwrap();
        let engine = Engine::open(&root, &config).unwrap();
        let analysis = Analysis::new(&config).unwrap();
        let mut runner = TestRunner::new(RunnerConfig {
            cases,
            failure_persistence: None,
            ..RunnerConfig::default()
        });
        let started = std::time::Instant::now();
        runner
            .run(&(query(), query(), any::<bool>()), |(q, raw, all)| {
                let mut request = SearchRequest::new(q.clone());
                request.all_passages = all;
                let _ = engine.search(&request);
                // The query string as a client might send it, raw and encoded.
                if let Ok(p) = pairs(Some(&raw)) {
                    if let Ok(params) = SearchParams::parse(&p, false) {
                        let _ = engine.search(&params.request);
                    }
                }
                let encoded = serde_urlencoded::to_string([("q", &q), ("from", &raw)]).unwrap();
                let _ = SearchParams::parse(&pairs(Some(&encoded)).unwrap(), false);
                for name in ["arabic", "arabic_exact"] {
                    let mut analyzer = analysis.analyzer(name).unwrap();
                    let _ = analyze(&mut analyzer, &q);
                }
                Ok(())
            })
            .unwrap();
        println!(
            "fuzz: {cases} cases (query, query string, analyzers) in {:.1} s, no panic",
            started.elapsed().as_secs_f64()
        );
    }
}

#[test]
fn an_outlet_without_dates_says_so_on_the_groups_page() {
    // Written for this test: Wagner in two outlets, one of which never dates its articles.
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("undated.jsonl");
    let record = |id: &str, outlet: &str, published: Option<&str>| {
        let mut r = serde_json::json!({
            "id": id,
            "outlet": outlet,
            "title": "مجموعة فاغنر في مالي",
            "body": "قالت مصادر محلية إن عناصر من مجموعة فاغنر الروسية انتشروا قرب مدينة كيدال شمال مالي، وإن الجيش المالي أكد العملية في بيان.",
        });
        if let Some(d) = published {
            r["published"] = Value::from(d);
        }
        r.to_string()
    };
    let lines = [
        record("und-1", "BBC", Some("2024-03-02")),
        record("und-2", "Al-Riyadh", None),
    ];
    std::fs::write(&input, lines.join("\n") + "\n").unwrap();
    let dir = tmp.path().join("idx");
    index(&dir, &input);
    let server = start(&dir, None);
    let (status, _, page) = server.get("/groups");
    assert_eq!(status, 200);
    assert!(page.contains("id=\"wagner\""), "{page}");
    // The dated outlet has its chart; the undated one a line saying why it has none.
    assert!(page.contains("<svg"), "{page}");
    assert_eq!(
        page.matches("لا تاريخ نشر لمقالات هذا المصدر").count(),
        1,
        "{page}"
    );
}

#[test]
fn a_fresh_clone_serves_the_samples() {
    // The README's first command: no index yet, so the samples are indexed first.
    let tmp = tempfile::tempdir().unwrap();
    let mut child = Command::new(BIN)
        .args(["serve", "--listen", "127.0.0.1:0"])
        .current_dir(tmp.path())
        .env_remove("AKHBAR_INDEX")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let url = line.trim().trim_end_matches('/').to_string();
    let server = Server { child, url, agent };
    let (status, v) = server.json("/readyz");
    assert_eq!((status, v["articles"].as_u64()), (200, Some(6)), "{v}");
    assert!(tmp.path().join(".akhbar-index/CURRENT").exists());
}

#[test]
fn sort_by_date_and_the_month_facet() {
    let (_tmp, dir) = sample_index();
    index(&dir, &repo().join("tests/fixtures/server/batch.jsonl"));
    let server = start(&dir, None);
    let q = enc("فاغنر");
    let dated = |v: &Value| -> Vec<(String, Option<String>)> {
        v["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| {
                let d = h["published"].as_str().map(str::to_string);
                (h["doc_id"].as_str().unwrap().to_string(), d)
            })
            .collect()
    };
    let (_, newest) = server.json(&format!("/api/v1/search?q={q}&sort=newest&limit=20"));
    let got = dated(&newest);
    let first: Vec<&str> = got.iter().take(4).map(|(id, _)| id.as_str()).collect();
    // srv-003 2024-08-21, seed-004 2024-07-30, srv-002 2024-06-03, srv-001 2024-05-12.
    assert_eq!(
        first,
        ["srv-003", "seed-004", "srv-002", "srv-001"],
        "{got:?}"
    );
    assert!(
        got[4..].iter().all(|(_, d)| d.is_none()),
        "undated last: {got:?}"
    );
    let (_, oldest) = server.json(&format!("/api/v1/search?q={q}&sort=oldest&limit=20"));
    let first: Vec<String> = dated(&oldest)
        .into_iter()
        .take(4)
        .map(|(id, _)| id)
        .collect();
    assert_eq!(first, ["srv-001", "srv-002", "seed-004", "srv-003"]);
    assert_eq!(newest["total"], oldest["total"]);
    let (_, relevance) = server.json(&format!("/api/v1/search?q={q}&limit=20"));
    assert_eq!(relevance["total"], newest["total"]);
    // The month facet counts the whole result set's articles.
    let dates = &newest["facets"]["dates"];
    assert_eq!(dates["2024-05"], 1, "{dates}");
    assert_eq!(dates["2024-06"], 1);
    assert_eq!(dates["2024-07"], 1);
    assert_eq!(dates["2024-08"], 1);
    // Paging in date order: the second page goes on where the first stopped.
    let (_, page2) = server.json(&format!(
        "/api/v1/search?q={q}&sort=newest&limit=2&offset=2"
    ));
    let ids: Vec<String> = dated(&page2).into_iter().map(|(id, _)| id).collect();
    assert_eq!(ids, ["srv-002", "srv-001"]);
    // The CLI: --sort and the facet in --json.
    let out = akhbar(&[
        "search",
        "--index",
        dir.to_str().unwrap(),
        "--json",
        "--sort",
        "oldest",
        "فاغنر",
    ]);
    let cli: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(cli["hits"][0]["doc_id"], "srv-001");
    assert_eq!(cli["facets"]["dates"], *dates);
    // The page's timeline: one bar per month from the first to the last, each a link.
    let (_, _, page) = server.get(&format!("/search?q={q}"));
    assert!(page.contains("<figure class=\"timeline\">"), "timeline");
    assert!(
        page.contains("from=2024-06-01&amp;to=2024-06-30"),
        "a bar narrows to its month"
    );
}
