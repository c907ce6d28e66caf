//! End-to-end tests of `akhbar search` over an index of `samples/`.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use serde_json::Value;

mod common;
use common::{akhbar, SharedIndex};

static INDEX: SharedIndex = SharedIndex::new("samples/articles.jsonl");

/// One index of the samples, built once with `akhbar index` for all tests of this file.
fn samples_index() -> &'static Path {
    Path::new(INDEX.path())
}

fn search_json(extra: &[&str]) -> Value {
    let index = samples_index().to_str().expect("UTF-8");
    let mut args = vec!["search", "--index", index, "--json"];
    if !extra.contains(&"--limit") {
        args.extend_from_slice(&["--limit", "100"]);
    }
    args.extend_from_slice(extra);
    let out = akhbar(&args);
    assert!(
        out.status.success(),
        "search {extra:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("one JSON object")
}

/// The article ids of the hits of a query.
fn articles(query: &str) -> BTreeSet<String> {
    ids(&search_json(&[query]))
}

fn ids(response: &Value) -> BTreeSet<String> {
    response["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .map(|h| h["doc_id"].as_str().expect("doc_id").to_string())
        .collect()
}

/// Every matching passage's text.
fn passage_texts(query: &str) -> Vec<String> {
    passages(query).into_iter().map(|(_, text)| text).collect()
}

/// Every matching passage's title and text.
fn passages(query: &str) -> Vec<(String, String)> {
    search_json(&["--all-passages", query])["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .map(|h| {
            (
                h["title"].as_str().unwrap_or("").to_string(),
                h["text"].as_str().expect("text").to_string(),
            )
        })
        .collect()
}

/// The outlets of a response's hits.
fn hit_outlets(response: &Value) -> BTreeSet<String> {
    response["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .map(|h| h["outlet"].as_str().unwrap_or("").to_string())
        .collect()
}

fn set(ids: &[&str]) -> BTreeSet<String> {
    ids.iter().map(|s| s.to_string()).collect()
}

#[test]
fn keyword_finds_every_spelling_of_wagner() {
    // 001 and 003 write فاجنر, the others فاغنر.
    let expected = set(&["seed-000", "seed-001", "seed-002", "seed-003", "seed-004"]);
    let found = articles("فاغنر");
    assert!(expected.is_subset(&found), "{found:?}");
    assert_eq!(articles("فاجنر"), found);
}

#[test]
fn split_and_joined_place_names_find_each_other() {
    // تين زاوتين (004), تين زواتين (002), تنزاواتين (000), تينزاواتين (003).
    let expected = set(&["seed-000", "seed-002", "seed-003", "seed-004"]);
    for query in ["تين زاوتين", "تنزاواتين", "تينزاواتين", "\"تين زواتين\""]
    {
        let found = articles(query);
        assert!(expected.is_subset(&found), "{query}: {found:?}");
    }
}

#[test]
fn a_misspelled_word_finds_its_near_spellings_and_says_so() {
    // No passage has كيتال: it is one letter from كيدال (three articles) and from كيتا
    // (Keïta, in seed-001; stemmed كيت now that its ك is kept as the word's).
    let expected = articles("كيدال");
    assert!(!expected.is_empty());
    let response = search_json(&["كيتال"]);
    let found = ids(&response);
    assert!(expected.is_subset(&found), "{found:?}");
    assert_eq!(found, &expected | &set(&["seed-001"]));
    assert_eq!(response["parsed"][0]["near_terms"][0], "كيدال");
    assert_eq!(response["parsed"][0]["near_terms"][1], "كيت");
    let notes = response["notes"].as_array().expect("notes");
    assert!(
        notes.iter().any(|n| n
            .as_str()
            .is_some_and(|n| n.contains("كيتال") && n.contains("not in the index"))),
        "{notes:?}"
    );
    // A word the index has is searched as it is.
    let response = search_json(&["كيدال"]);
    assert!(response["parsed"][0].get("near_terms").is_none());
}

#[test]
fn telegram_spellings_meet() {
    assert_eq!(articles("تليجرام"), set(&["seed-000", "seed-003"]));
    assert_eq!(articles("تليغرام"), set(&["seed-000", "seed-003"]));
}

#[test]
fn diacritics_on_either_side() {
    // The text has مُسيرة (003); a query with or without the damma finds it.
    assert!(articles("مسيرة").contains("seed-003"));
    assert!(articles("مُسيّرة").contains("seed-003"));
}

#[test]
fn arabic_indic_digits_find_western_ones() {
    assert_eq!(articles("٢٠٢٤"), articles("2024"));
    // 002's "2024 ©" is in its footer, which is boilerplate and not indexed.
    assert!(articles("٢٠٢٤").contains("seed-000"));
}

#[test]
fn hyphenated_acronym_is_searchable_as_written_and_split() {
    assert!(articles("CSP-DPA").contains("seed-002"));
    assert_eq!(articles("CSP-DPA"), articles("\"CSP DPA\""));
    assert!(articles("csp").contains("seed-002"));
}

#[test]
fn phrase_matches_clitic_attached_forms() {
    let texts = passage_texts("\"المرتزقة الروس\"");
    assert!(
        texts.iter().any(|t| t.contains("والمرتزقة الروس")),
        "no passage with والمرتزقة الروس among {} hits",
        texts.len()
    );
    for (title, text) in passages("\"المرتزقة الروس\"") {
        // Every hit has the two words next to each other, in its text or its title,
        // with or without the article (لمرتزقة روس: a single proclitic, no article).
        let together = |s: &str| s.contains("مرتزقة الروس") || s.contains("مرتزقة روس");
        assert!(together(&text) || together(&title), "{title} / {text}");
    }
}

#[test]
fn phrase_is_stricter_than_its_words() {
    let words = passage_texts("المرتزقة الروس").len();
    let phrase = passage_texts("\"المرتزقة الروس\"").len();
    let reversed = passage_texts("\"الروس المرتزقة\"").len();
    assert!(phrase <= words, "{phrase} > {words}");
    assert!(reversed < phrase, "reversed {reversed} vs phrase {phrase}");
}

#[test]
fn excluded_words_are_excluded() {
    // Exclusion is per passage: an article keeps its passages that do not have the word.
    let with = passage_texts("فاغنر").len();
    let without = passage_texts("فاغنر -كيدال").len();
    assert!(without < with, "{with} / {without}");
    for text in passage_texts("فاغنر -كيدال") {
        assert!(!text.contains("كيدال"), "{text}");
    }
}

#[test]
fn or_and_required() {
    let either = articles("كيدال OR تليجرام");
    assert!(either.is_superset(&articles("كيدال")));
    assert!(either.is_superset(&articles("تليجرام")));
    let both = articles("+كيدال +فاغنر");
    assert!(both.is_subset(&articles("كيدال")));
}

#[test]
fn outlet_filter_and_counts() {
    let all = search_json(&["مالي"]);
    let counts = all["facets"]["outlet"].as_object().expect("outlet facet");
    assert_eq!(
        counts.get("Al-Sharq Al-Awsat").and_then(Value::as_u64),
        Some(2)
    );
    // The counts cover the whole result set, not only the page.
    let one = search_json(&["--limit", "1", "مالي"]);
    assert_eq!(one["hits"].as_array().map(Vec::len), Some(1));
    assert_eq!(one["facets"], all["facets"]);
    assert_eq!(one["total"], all["total"]);
    // An alias in Arabic resolves to the canonical outlet.
    let filtered = search_json(&["--outlet", "الشرق الأوسط", "مالي"]);
    assert_eq!(hit_outlets(&filtered), set(&["Al-Sharq Al-Awsat"]));
    assert_eq!(filtered["total"].as_u64(), Some(2));
    // Several outlets: any of them.
    let two = search_json(&[
        "--outlet",
        "الشرق الأوسط",
        "--outlet",
        "Emarat Al Youm",
        "مالي",
    ]);
    assert_eq!(two["total"].as_u64(), Some(3));
}

#[test]
fn date_filter() {
    let july = search_json(&["--from", "2024-07-01", "--to", "2024-07-31", "مالي"]);
    assert_eq!(ids(&july), set(&["seed-004"]));
    let after = search_json(&["--from", "2024-07-31", "مالي"]);
    assert!(after["hits"].as_array().expect("hits").is_empty());
    let out = akhbar(&["search", "--from", "July", "مالي"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("YYYY-MM-DD"));
}

#[test]
fn json_shape_and_highlights_point_at_the_words() {
    let response = search_json(&["لـ\"فاجنر\""]);
    for key in ["query", "total", "took_ms", "hits", "facets"] {
        assert!(response.get(key).is_some(), "missing {key}");
    }
    let hit = &response["hits"][0];
    for key in [
        "rank",
        "score",
        "doc_id",
        "passage",
        "outlet",
        "title",
        "published",
        "url",
        "text",
        "snippet",
        "highlights",
    ] {
        assert!(hit.get(key).is_some(), "hit is missing {key}: {hit}");
    }
    let text = hit["text"].as_str().expect("text");
    let highlights = hit["highlights"].as_array().expect("highlights");
    assert!(!highlights.is_empty());
    for range in highlights {
        let (start, end) = (
            range[0].as_u64().expect("start") as usize,
            range[1].as_u64().expect("end") as usize,
        );
        let word = &text[start..end];
        assert!(
            word.contains("فاغنر") || word.contains("فاجنر") || word.contains("فـ"),
            "highlight {word:?}"
        );
    }
    assert_eq!(hit["rank"], 1);
}

#[test]
fn collapsed_by_article_unless_all_passages() {
    let collapsed = search_json(&["مالي"]);
    let hits = collapsed["hits"].as_array().expect("hits");
    let unique: BTreeSet<&str> = hits.iter().filter_map(|h| h["doc_id"].as_str()).collect();
    assert_eq!(unique.len(), hits.len(), "one hit per article");
    assert!(hits.iter().any(|h| h["more_passages"].as_u64() > Some(0)));
    let all = search_json(&["--all-passages", "مالي"]);
    assert!(all["hits"].as_array().expect("hits").len() > hits.len());
}

#[test]
fn results_are_deterministic() {
    let a = search_json(&["فاغنر مالي"]);
    let b = search_json(&["فاغنر مالي"]);
    assert_eq!(a["hits"], b["hits"]);
}

#[test]
fn batch_run_writes_trec_lines_and_timings() {
    let dir = tempfile::tempdir().expect("temp dir");
    let run = dir.path().join("out.trec");
    let queries = concat!(env!("CARGO_MANIFEST_DIR"), "/samples/queries.tsv");
    let index = samples_index().to_str().expect("UTF-8");
    let out = akhbar(&[
        "search",
        "--index",
        index,
        "--queries",
        queries,
        "--run",
        run.to_str().expect("UTF-8"),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let trec = std::fs::read_to_string(&run).expect("run written");
    assert!(!trec.is_empty());
    for line in trec.lines() {
        let cols: Vec<&str> = line.split(' ').collect();
        assert_eq!(cols.len(), 6, "{line}");
        assert_eq!(cols[1], "Q0");
        assert!(cols[0].starts_with('q'));
        assert!(cols[2].starts_with("seed-"));
        assert!(cols[3].parse::<usize>().is_ok_and(|r| r >= 1));
        assert!(cols[4].parse::<f32>().is_ok());
        assert_eq!(cols[5], "akhbar");
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    let timing: Value = serde_json::from_str(stderr.lines().last().expect("a line")).expect("JSON");
    for key in ["queries", "seconds", "p50_ms", "p95_ms", "p99_ms"] {
        assert!(timing.get(key).is_some(), "{key} in {timing}");
    }
}

#[test]
fn malformed_queries_never_panic() {
    let long = "فاغنر ".repeat(2000);
    let index = samples_index().to_str().expect("UTF-8");
    for query in [
        "\"تين زاوتين",
        "-",
        "+",
        "في من على",
        long.as_str(),
        "\u{7}\u{1b}[31m",
        "\u{200F}\u{202B}فاغنر\u{202C}",
        "((فاغنر",
        "فاغنر))",
        "OR",
        "title:",
        "outlet:nowhere فاغنر",
        "-فاغنر",
        "\"\"",
        "*",
    ] {
        let out = akhbar(&["search", "--index", index, query]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            !stderr.contains("panicked") && !stderr.contains("internal error"),
            "{query:?}: {stderr}"
        );
        match out.status.code() {
            Some(0) => {}
            Some(2) => assert_eq!(stderr.lines().count(), 1, "{query:?}: {stderr}"),
            other => panic!("{query:?}: exit {other:?}: {stderr}"),
        }
    }
}

#[test]
fn only_stop_words_still_match() {
    let response = search_json(&["في من على"]);
    assert!(response["total"].as_u64() > Some(0));
}

#[test]
fn empty_query_is_one_clear_error() {
    let index = samples_index().to_str().expect("UTF-8");
    let out = akhbar(&["search", "--index", index, "  "]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("nothing to search for"), "{stderr}");
    // A 10,000-letter "word" (too long to be one) is quoted shortened, on one line.
    let long = "ب".repeat(10_000);
    let out = akhbar(&["search", "--index", index, &long]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains(&format!("\"{}…\"", "ب".repeat(60))),
        "{stderr}"
    );
}

#[test]
fn missing_explicit_index_is_reported() {
    let dir = tempfile::tempdir().expect("temp dir");
    let missing = dir.path().join("none");
    let out = akhbar(&[
        "search",
        "--index",
        missing.to_str().expect("UTF-8"),
        "فاغنر",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no index at"));
}

#[test]
fn fresh_directory_builds_the_sample_index_first() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = Command::new(env!("CARGO_BIN_EXE_akhbar"))
        .args(["search", "فاغنر"])
        .current_dir(dir.path())
        .env_remove("AKHBAR_INDEX")
        .output()
        .expect("akhbar runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("building one from the sample articles"),
        "{stderr}"
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("seed-"));
    assert!(dir.path().join(".akhbar-index").exists());
    // The second time, the index is there.
    let again = Command::new(env!("CARGO_BIN_EXE_akhbar"))
        .args(["search", "فاغنر"])
        .current_dir(dir.path())
        .env_remove("AKHBAR_INDEX")
        .output()
        .expect("akhbar runs");
    assert!(!String::from_utf8_lossy(&again.stderr).contains("building"));
}

#[test]
fn explain_shows_terms_and_scores() {
    let index = samples_index().to_str().expect("UTF-8");
    let out = akhbar(&[
        "search",
        "--index",
        index,
        "--explain",
        "--limit",
        "1",
        "والجيش فاجنر",
    ]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("ranked [جيش]"), "{stdout}");
    assert!(stdout.contains("ranked [فاغنر]"), "{stdout}");
    assert!(stdout.contains("\"value\""), "{stdout}");
}

#[test]
fn match_any_finds_more_than_auto() {
    // Auto needs both words of a two-word query; any needs one.
    let auto = search_json(&["كيدال تليجرام"]);
    let any = search_json(&["--match", "any", "كيدال تليجرام"]);
    assert!(ids(&any).is_superset(&ids(&auto)));
    assert!(ids(&any).is_superset(&articles("كيدال")));
    assert!(any["total"].as_u64() > auto["total"].as_u64());
}

#[test]
fn damaged_index_is_one_clear_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    let index = dir.path().join("index");
    let samples = concat!(env!("CARGO_MANIFEST_DIR"), "/samples/articles.jsonl");
    let index_arg = index.to_str().expect("UTF-8");
    assert!(akhbar(&["index", "--index", index_arg, samples])
        .status
        .success());
    let generation = std::fs::read_to_string(index.join("CURRENT")).expect("CURRENT");
    let generation_dir = index.join(generation.trim());
    let idx_file = std::fs::read_dir(&generation_dir)
        .expect("generation dir")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|e| e == "idx"))
        .expect("an .idx file");
    std::fs::write(&idx_file, b"not a tantivy file at all").expect("overwrite");
    let out = akhbar(&["search", "--index", index_arg, "فاغنر"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("damaged") && stderr.contains("akhbar reindex"),
        "{stderr}"
    );
}

/// `--match any` with several bare words is ranked in two stages (candidates, then the
/// exact-form and proximity bonuses): it finds every article with any of the words, and
/// its candidates pass the filters like the rest.
#[test]
fn any_word_ranking_finds_every_article_and_keeps_filters() {
    let words = ["مالي", "الجيش", "أزواد"];
    let mut union = BTreeSet::new();
    for word in words {
        union.extend(ids(&search_json(&["--match", "any", word])));
    }
    let query = words.join(" ");
    let any = search_json(&["--match", "any", &query]);
    assert!(!union.is_empty());
    assert_eq!(ids(&any), union);
    let scores: Vec<f64> = any["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .map(|h| h["score"].as_f64().expect("score"))
        .collect();
    assert!(
        scores.windows(2).all(|w| w[0] >= w[1]),
        "best first: {scores:?}"
    );

    let filtered = search_json(&["--match", "any", "--outlet", "الشرق الأوسط", &query]);
    assert_eq!(hit_outlets(&filtered), set(&["Al-Sharq Al-Awsat"]));
    let passages = search_json(&[
        "--match",
        "any",
        "--all-passages",
        "--outlet",
        "الشرق الأوسط",
        &query,
    ]);
    assert_eq!(hit_outlets(&passages), set(&["Al-Sharq Al-Awsat"]));
}

/// `akhbar search … | head` that stops reading: akhbar ends quietly on the closed pipe
/// (SIGPIPE, as Unix tools do), not with an "internal error … please report it".
#[test]
fn a_closed_output_pipe_ends_quietly() {
    use std::io::Read;
    use std::os::unix::process::ExitStatusExt;
    use std::process::Stdio;
    let index = samples_index().to_str().expect("UTF-8");
    let mut child = Command::new(common::BIN)
        .args([
            "search",
            "--index",
            index,
            "--all-passages",
            "-n",
            "100",
            "مالي",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("akhbar runs");
    // The reader goes away before akhbar has written anything.
    drop(child.stdout.take());
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .expect("stderr")
        .read_to_string(&mut stderr)
        .expect("stderr is UTF-8");
    let status = child.wait().expect("akhbar ends");
    assert!(!stderr.contains("internal error"), "{stderr}");
    assert!(
        status.success() || status.signal() == Some(libc::SIGPIPE),
        "{status:?}: {stderr}"
    );
}
