//! What the end-to-end tests share: the built binary run without `AKHBAR_INDEX`, paths in
//! the repository, one index of a fixture per test binary (built on first use, read-only),
//! and `akhbar search --json`.
//!
//! Each test binary compiles this module and uses a part of it.
#![allow(dead_code)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use serde_json::Value;

pub const BIN: &str = env!("CARGO_BIN_EXE_akhbar");

/// A path inside the repository.
pub fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

/// Runs the built binary (never reading the user's `AKHBAR_INDEX`).
pub fn akhbar(args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .env_remove("AKHBAR_INDEX")
        .output()
        .expect("run akhbar")
}

/// The standard output of a run that must succeed (else both outputs in the panic).
pub fn ok(o: Output) -> String {
    assert!(
        o.status.success(),
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// One index of a fixture for every test of a binary, built by `akhbar index` on first
/// use in a temporary directory that lives as long as the process.
pub struct SharedIndex {
    input: &'static str,
    dir: OnceLock<(tempfile::TempDir, String)>,
}

impl SharedIndex {
    /// `input`: the fixture's path in the repository.
    pub const fn new(input: &'static str) -> SharedIndex {
        SharedIndex {
            input,
            dir: OnceLock::new(),
        }
    }

    /// The index directory.
    pub fn path(&'static self) -> &'static str {
        &self
            .dir
            .get_or_init(|| {
                let dir = tempfile::tempdir().expect("tempdir");
                let path = dir.path().join("idx").to_string_lossy().into_owned();
                let input = repo(self.input);
                ok(akhbar(&[
                    "index",
                    "--index",
                    &path,
                    input.to_str().expect("utf-8 path"),
                ]));
                (dir, path)
            })
            .1
    }
}

/// `akhbar search --index INDEX --json -n 50 ARGS -- QUERY`, parsed.
pub fn search_json(index: &str, args: &[&str], query: &str) -> Value {
    let mut all = vec!["search", "--index", index, "--json", "-n", "50"];
    all.extend_from_slice(args);
    all.push("--");
    all.push(query);
    serde_json::from_str(&ok(akhbar(&all))).expect("JSON output")
}

/// The article ids of a response's hits.
pub fn articles(response: &Value) -> BTreeSet<String> {
    response["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .map(|h| h["doc_id"].as_str().expect("doc_id").to_string())
        .collect()
}

pub fn set(ids: &[&str]) -> BTreeSet<String> {
    ids.iter().map(|s| s.to_string()).collect()
}
