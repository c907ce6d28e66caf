//! End-to-end tests of `akhbar analyze`.

use std::process::{Command, Output, Stdio};

use std::io::Write;

fn akhbar(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_akhbar"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("akhbar starts");
    if let Some(input) = stdin {
        child
            .stdin
            .take()
            .expect("stdin is piped")
            .write_all(input)
            .expect("stdin written");
    }
    drop(child.stdin.take());
    child.wait_with_output().expect("akhbar finishes")
}

#[test]
fn json_output_has_terms_positions_and_byte_offsets() {
    let text = "والجيش لـ\"فاجنر\"";
    let out = akhbar(&["analyze", "--json", text], None);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let tokens: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    assert_eq!(
        tokens,
        serde_json::json!([
            {"term": "جيش", "position": 0, "start": 0, "end": 12},
            {"term": "فاغنر", "position": 1, "start": 18, "end": 28}
        ])
    );
    assert_eq!(&text[18..28], "فاجنر");
}

#[test]
fn exact_analyzer_keeps_the_word_whole() {
    let out = akhbar(
        &["analyze", "--analyzer", "arabic_exact", "--json", "والجيش"],
        None,
    );
    let tokens: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    assert_eq!(tokens[0]["term"], "والجيش");
}

#[test]
fn reads_standard_input_and_prints_a_table() {
    let out = akhbar(&["analyze"], Some("مُسيّرة فـاغنر".as_bytes()));
    assert!(out.status.success());
    let table = String::from_utf8(out.stdout).expect("UTF-8");
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(lines.len(), 3, "{table}");
    assert!(lines[0].contains("term") && lines[0].contains("surface"));
    assert!(lines[1].contains("مسير") && lines[1].contains("مُسيّرة") && lines[1].contains("0..14"));
    assert!(lines[2].contains("فاغنر") && lines[2].contains("فـاغنر"));
}

#[test]
fn unknown_analyzer_is_one_clear_error() {
    let out = akhbar(&["analyze", "--analyzer", "klingon", "x"], None);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).expect("UTF-8");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("unknown analyzer `klingon`") && err.contains("arabic_exact"));
}

#[test]
fn invalid_utf8_on_stdin_is_reported() {
    let out = akhbar(&["analyze"], Some(b"\xd9\x85\xff\xfe"));
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).expect("UTF-8");
    assert!(
        err.contains("not valid UTF-8") && err.contains("offset 2"),
        "{err}"
    );
}

#[test]
fn schema_override_is_read_from_a_directory() {
    let dir = tempfile::tempdir().expect("temp dir");
    let schema =
        akhbar::config::DEFAULT_SCHEMA_JSON.replace("\"stopwords\": true", "\"stopwords\": false");
    std::fs::write(dir.path().join("schema.json"), schema).expect("write");
    std::fs::write(
        dir.path().join("lexicon.json"),
        akhbar::config::DEFAULT_LEXICON_JSON,
    )
    .expect("write");
    let dir_arg = dir.path().to_str().expect("UTF-8 path");
    let default = akhbar(&["analyze", "--json", "في"], None);
    let overridden = akhbar(&["--schema", dir_arg, "analyze", "--json", "في"], None);
    assert_eq!(String::from_utf8_lossy(&default.stdout).trim(), "[]");
    assert!(String::from_utf8_lossy(&overridden.stdout).contains("\"term\":\"في\""));
}

#[test]
fn broken_schema_directory_is_one_clear_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = akhbar(
        &[
            "--schema",
            dir.path().to_str().expect("UTF-8"),
            "analyze",
            "x",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).expect("UTF-8");
    assert!(
        err.contains("cannot read") && err.contains("schema.json"),
        "{err}"
    );
}
