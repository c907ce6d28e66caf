//! End-to-end tests of `akhbar index`, `reindex` and `stats` over `samples/` and the
//! bad-input fixtures, using the built binary.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use akhbar::config::Config;
use akhbar::index::stored::{all_passages, original_body, StoredPassage};
use akhbar::index::{AkhbarIndex, Layout};

const BIN: &str = env!("CARGO_BIN_EXE_akhbar");

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

fn akhbar(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(BIN);
    cmd.args(args)
        .env_remove("AKHBAR_INDEX")
        .env_remove("AKHBAR_TEST_ABORT");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("run akhbar")
}

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}
fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn index_samples(dir: &Path) -> Output {
    let o = akhbar(
        &[
            "index",
            "--index",
            dir.to_str().unwrap(),
            repo("samples/articles.jsonl").to_str().unwrap(),
        ],
        &[],
    );
    assert!(o.status.success(), "{}{}", out(&o), err(&o));
    o
}

fn passages(dir: &Path) -> Vec<StoredPassage> {
    let idx = AkhbarIndex::open(dir, &Config::builtin()).unwrap();
    all_passages(&idx).unwrap()
}

fn sample_bodies() -> Vec<(String, String)> {
    std::fs::read_to_string(repo("samples/articles.jsonl"))
        .unwrap()
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            (
                v["id"].as_str().unwrap().to_string(),
                v["body"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

const BOILERPLATE: &[&str] = &[
    "appeared first on",
    "©",
    "حقوق النشر",
    "إقرأ أيضاً",
    "أنظر أيضا",
    "اقرأ أيضاً",
    "إعادة استخدام هذا المحتوى",
    "شاركها",
    "اترك تعليقاً",
    "Exit mobile version",
    "مقالات ذات صلة",
];

#[test]
fn samples_end_to_end() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("ix");
    let o = index_samples(&dir);
    assert!(out(&o).contains("5 added"), "{}", out(&o));
    assert!(out(&o).contains("6 articles"), "{}", out(&o));

    let ps = passages(&dir);
    let mut ids: Vec<&str> = ps.iter().map(|p| p.article_id.as_str()).collect();
    ids.dedup();
    assert_eq!(
        ids,
        [
            "seed-000",
            "seed-001",
            "seed-002",
            "seed-003",
            "seed-004",
            "seed-004#2"
        ]
    );
    let mut outlets: Vec<&str> = ps.iter().filter_map(|p| p.outlet.as_deref()).collect();
    outlets.sort();
    outlets.dedup();
    assert_eq!(
        outlets,
        [
            "/outlet/Al-Sharq Al-Awsat",
            "/outlet/El Djazair El Djadida",
            "/outlet/Emarat Al Youm"
        ]
    );
    for p in &ps {
        for b in BOILERPLATE {
            assert!(
                !p.text.contains(b),
                "{} #{} contains {b}: {}",
                p.article_id,
                p.ordinal,
                p.text
            );
        }
        for line in p.text.lines() {
            assert_ne!(line.trim(), "TT", "{}", p.article_id);
        }
        assert!(!p.text.is_empty());
    }
    // 004: two articles; the teasers are in neither.
    let a1: Vec<&StoredPassage> = ps.iter().filter(|p| p.article_id == "seed-004").collect();
    let a2: Vec<&StoredPassage> = ps.iter().filter(|p| p.article_id == "seed-004#2").collect();
    assert_eq!(
        a1[0].title.as_deref(),
        Some("«القاعدة» تعلن قتل 50 من المرتزقة الروس و10 جنود ماليين")
    );
    assert_eq!(
        a2[0].title.as_deref(),
        Some("تنظيم «القاعدة» يدعو في مالي إلى «حكومة شرعية»")
    );
    assert_eq!(
        a1[0].published.map(|d| d.to_string()).as_deref(),
        Some("2024-07-30")
    );
    assert_eq!(a2[0].published, None);
    let text1: String = a1
        .iter()
        .map(|p| p.text.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    let text2: String = a2
        .iter()
        .map(|p| p.text.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    for teaser in [
        "الكرملين يؤكد تعزيز",
        "صعود عالمي لجماعات مسلحة",
        "الشيخ محمد (نواكشوط)",
        "رائد جبر",
    ] {
        assert!(
            !text1.contains(teaser) && !text2.contains(teaser),
            "{teaser}"
        );
    }
    assert!(text1.contains("أعلنت مجموعة «سايت»"));
    assert!(text2.contains("دعت مجموعة موالية لتنظيم «القاعدة»"));
    assert!(!text1.contains("دعت مجموعة موالية"));
    // A caption printed four times is indexed once.
    assert_eq!(
        text2
            .matches("مقاتلون من تنظيم «القاعدة» في مالي (إعلام محلي)")
            .count(),
        1
    );
    // Passage text is the text as written (diacritics kept).
    assert!(ps.iter().any(|p| p.text.contains("اتّهامات")
        || p.text.contains("مُسيرة")
        || p.text.contains("حلَّلها")));

    // The original text stays retrievable, byte for byte.
    let idx = AkhbarIndex::open(&dir, &Config::builtin()).unwrap();
    for (id, body) in sample_bodies() {
        assert_eq!(
            original_body(&idx, &id).unwrap().as_deref(),
            Some(body.as_str()),
            "{id}"
        );
    }

    let o = akhbar(&["stats", "--index", dir.to_str().unwrap()], &[]);
    assert!(o.status.success(), "{}", err(&o));
    let s = out(&o);
    assert!(s.contains("articles   6"), "{s}");
    assert!(
        s.contains("Al-Sharq Al-Awsat") && s.contains("2024-07-30"),
        "{s}"
    );
    assert!(s.contains("schema     version 3"), "{s}");
}

fn files(dir: &Path) -> Vec<(PathBuf, u64, std::time::SystemTime)> {
    let mut v = Vec::new();
    for e in walk(dir) {
        let m = std::fs::metadata(&e).unwrap();
        v.push((e, m.len(), m.modified().unwrap()));
    }
    v.sort();
    v
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut v = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        if e.path().is_dir() {
            v.extend(walk(&e.path()));
        } else {
            v.push(e.path());
        }
    }
    v
}

#[test]
fn incremental_updates_and_prune() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("ix");
    index_samples(&dir);
    let before = passages(&dir);

    // Unchanged input writes nothing.
    let snapshot: Vec<_> = files(&dir)
        .into_iter()
        .filter(|f| !f.0.ends_with("akhbar.lock"))
        .collect();
    let o = index_samples(&dir);
    assert!(
        out(&o).contains("0 added, 0 updated, 5 unchanged"),
        "{}",
        out(&o)
    );
    assert!(out(&o).contains("nothing to write"), "{}", out(&o));
    let after: Vec<_> = files(&dir)
        .into_iter()
        .filter(|f| !f.0.ends_with("akhbar.lock"))
        .collect();
    assert_eq!(snapshot, after);

    // Changing one article replaces only its passages.
    let input = tmp.path().join("changed.jsonl");
    let text = std::fs::read_to_string(repo("samples/articles.jsonl")).unwrap();
    let changed: Vec<String> = text
        .lines()
        .map(|l| {
            let mut v: serde_json::Value = serde_json::from_str(l).unwrap();
            if v["id"] == "seed-003" {
                v["body"] = serde_json::Value::String("فقرة جديدة كليا عن كمين تين زاوتين.".into());
            }
            v.to_string()
        })
        .collect();
    std::fs::write(&input, changed.join("\n")).unwrap();
    let o = akhbar(
        &[
            "index",
            "--index",
            dir.to_str().unwrap(),
            input.to_str().unwrap(),
        ],
        &[],
    );
    assert!(
        out(&o).contains("0 added, 1 updated, 4 unchanged"),
        "{}",
        out(&o)
    );
    let now = passages(&dir);
    let of = |ps: &[StoredPassage], id: &str| -> Vec<StoredPassage> {
        ps.iter().filter(|p| p.article_id == id).cloned().collect()
    };
    let new3 = of(&now, "seed-003");
    assert_eq!(new3.len(), 1);
    assert_eq!(new3[0].text, "فقرة جديدة كليا عن كمين تين زاوتين.");
    for id in ["seed-000", "seed-001", "seed-002", "seed-004", "seed-004#2"] {
        assert_eq!(of(&before, id), of(&now, id), "{id}");
    }

    // --prune removes what the input no longer has.
    let few = tmp.path().join("few.jsonl");
    std::fs::write(&few, changed[..2].join("\n")).unwrap();
    let o = akhbar(
        &[
            "index",
            "--prune",
            "--index",
            dir.to_str().unwrap(),
            few.to_str().unwrap(),
        ],
        &[],
    );
    assert!(out(&o).contains("2 unchanged, 3 removed"), "{}", out(&o));
    let left: Vec<String> = passages(&dir).into_iter().map(|p| p.article_id).collect();
    assert!(
        left.iter().all(|id| id == "seed-000" || id == "seed-001"),
        "{left:?}"
    );
}

#[test]
fn interrupted_rebuild_leaves_the_old_index() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("ix");
    index_samples(&dir);
    let layout = Layout::new(&dir);
    let live = layout.current().unwrap().unwrap();
    // A searcher opened before the rebuild.
    let old = AkhbarIndex::open(&dir, &Config::builtin()).unwrap();
    let old_count = all_passages(&old).unwrap().len();

    let d = dir.to_str().unwrap();
    let samples = repo("samples/articles.jsonl");
    let s = samples.to_str().unwrap();
    for point in ["after-add", "after-commit"] {
        let o = akhbar(
            &["reindex", "--index", d, s],
            &[("AKHBAR_TEST_ABORT", point)],
        );
        assert!(!o.status.success(), "{point}: the hook did not fire");
        assert_eq!(
            layout.current().unwrap().as_deref(),
            Some(live.as_str()),
            "{point}"
        );
        let o = akhbar(&["stats", "--index", d], &[]);
        assert!(
            o.status.success() && out(&o).contains("articles   6"),
            "{point}: {}{}",
            out(&o),
            err(&o)
        );
    }
    // A killed child process, at whatever point it reached.
    let mut child = Command::new(BIN)
        .args(["reindex", "--index", d, s])
        .env_remove("AKHBAR_TEST_ABORT")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(30));
    let _ = child.kill();
    let _ = child.wait();
    let o = akhbar(&["stats", "--index", d], &[]);
    assert!(
        o.status.success() && out(&o).contains("articles   6"),
        "{}{}",
        out(&o),
        err(&o)
    );

    // The next run completes and switches; the old searcher still works.
    let o = akhbar(&["reindex", "--index", d, s], &[]);
    assert!(o.status.success(), "{}", err(&o));
    assert!(out(&o).contains("5 added"), "{}", out(&o));
    assert_ne!(layout.current().unwrap().as_deref(), Some(live.as_str()));
    assert_eq!(all_passages(&old).unwrap().len(), old_count);
    assert_eq!(passages(&dir).len(), old_count);
    // Unfinished generations were cleaned up: the live one and its predecessor remain.
    assert!(
        layout.generations().len() <= 2,
        "{:?}",
        layout.generations()
    );
}

#[test]
fn a_second_writer_is_told_the_index_is_locked() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("ix");
    index_samples(&dir);
    let _lock = Layout::new(&dir).lock().unwrap();
    for cmd in ["index", "reindex"] {
        let o = akhbar(
            &[
                cmd,
                "--index",
                dir.to_str().unwrap(),
                repo("samples").to_str().unwrap(),
            ],
            &[],
        );
        assert!(!o.status.success());
        assert!(
            err(&o).contains("index is locked by another process")
                || err(&o).contains("is locked by another process"),
            "{}",
            err(&o)
        );
        assert!(!err(&o).contains("panicked"), "{}", err(&o));
    }
}

#[test]
fn bad_inputs_are_reported_and_the_rest_indexed() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("ix");
    // A 50 MB body, generated (too big to ship).
    let big = tmp.path().join("big.jsonl");
    let body = "ك".repeat(25 << 20);
    std::fs::write(
        &big,
        format!(
            "{{\"id\":\"big\",\"body\":\"{body}\"}}\n{{\"id\":\"after-big\",\"body\":\"نص\"}}\n"
        ),
    )
    .unwrap();
    // Unreadable inputs: a path through a regular file, and a file without read
    // permission (only unreadable when not running as root).
    let unreadable = big.join("inner.jsonl");
    let locked = tmp.path().join("locked.jsonl");
    std::fs::write(&locked, "{}\n").unwrap();
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    }
    let root_reads_anyway = std::fs::File::open(&locked).is_ok();
    let o = akhbar(
        &[
            "index",
            "--index",
            dir.to_str().unwrap(),
            repo("tests/fixtures/bad/records.jsonl").to_str().unwrap(),
            repo("tests/fixtures/bad/truncated.jsonl.gz")
                .to_str()
                .unwrap(),
            big.to_str().unwrap(),
            unreadable.to_str().unwrap(),
            tmp.path().join("missing.jsonl").to_str().unwrap(),
            locked.to_str().unwrap(),
        ],
        &[],
    );
    assert_eq!(o.status.code(), Some(1), "{}{}", out(&o), err(&o));
    let e = err(&o);
    for want in [
        "records.jsonl:2: malformed JSON",
        "records.jsonl:3: record has no `id`",
        "records.jsonl:4: record `no-body` has no `body`",
        "records.jsonl:6: duplicate id `ok-1` (first seen at",
        "records.jsonl:7: invalid UTF-8",
        "records.jsonl:8: record `bad-date`",
        "truncated.jsonl.gz:",
        "truncated or corrupt gzip",
        "big.jsonl:1: line is",
        "big.jsonl/inner.jsonl: cannot read",
        "missing.jsonl: cannot read",
    ] {
        assert!(e.contains(want), "missing {want:?} in:\n{e}");
    }
    if !root_reads_anyway {
        assert!(e.contains("locked.jsonl: cannot open"), "{e}");
    }
    let s = out(&o);
    // Every record is accounted for: added + rejected = records read.
    let num = |label: &str| -> u64 {
        let i = s.find(label).unwrap_or_else(|| panic!("{label} in {s}"));
        s[..i]
            .trim_end()
            .rsplit([' ', '('])
            .next()
            .unwrap()
            .parse()
            .unwrap()
    };
    let records: u64 = s.split_whitespace().nth(1).unwrap().parse().unwrap();
    assert_eq!(num(" added") + num(" rejected"), records, "{s}");
    // 6 in records.jsonl (one is the duplicate), the truncated gzip, the big line, two
    // unreadable paths, and `{}` in locked.jsonl (no id) or its open error.
    assert_eq!(num(" rejected"), 11, "{s}\n{e}");
    assert!(s.contains("unknown fields ignored"), "{s}");
    let ids: Vec<String> = passages(&dir).into_iter().map(|p| p.article_id).collect();
    for id in ["ok-1", "ok-2", "minimal", "after-big", "ok-100"] {
        assert!(ids.iter().any(|i| i == id), "{id} not indexed");
    }

    // --strict stops at the first and writes nothing.
    let dir2 = tmp.path().join("ix2");
    let o = akhbar(
        &[
            "index",
            "--strict",
            "--index",
            dir2.to_str().unwrap(),
            repo("tests/fixtures/bad/records.jsonl").to_str().unwrap(),
        ],
        &[],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        err(&o).contains("records.jsonl:2") && err(&o).contains("--strict"),
        "{}",
        err(&o)
    );
    let o = akhbar(&["stats", "--index", dir2.to_str().unwrap()], &[]);
    assert!(
        !o.status.success() && err(&o).contains("no index"),
        "{}",
        err(&o)
    );
}

#[test]
fn text_files_stdin_and_version_check() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("ix");
    let d = dir.to_str().unwrap();
    let o = akhbar(
        &[
            "index",
            "--index",
            d,
            repo("tests/fixtures/txt").to_str().unwrap(),
        ],
        &[],
    );
    assert!(o.status.success(), "{}", err(&o));
    let ps = passages(&dir);
    let a = ps
        .iter()
        .find(|p| p.article_id == "a")
        .expect("a.txt indexed as `a`");
    assert_eq!(a.outlet.as_deref(), Some("/outlet/Al-Sharq Al-Awsat"));
    assert_eq!(a.title.as_deref(), Some("عنوان أ"));
    let b = ps
        .iter()
        .find(|p| p.article_id == "nested/b")
        .expect("nested/b.txt indexed as `nested/b`");
    assert_eq!(b.outlet.as_deref(), Some("/outlet/El Djazair El Djadida"));
    assert!(!b.text.contains("appeared first"));

    // Standard input.
    let mut child = Command::new(BIN)
        .args(["index", "--index", d, "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().unwrap();
        writeln!(
            stdin,
            r#"{{"id":"s1","outlet":"الإمارات اليوم","body":"نص من المدخل القياسي."}}"#
        )
        .unwrap();
    }
    let o = child.wait_with_output().unwrap();
    assert!(out(&o).contains("1 added"), "{}", out(&o));

    // An index built with another analyzer asks for a reindex.
    let layout = Layout::new(&dir);
    let meta_path = layout
        .path(&layout.current().unwrap().unwrap())
        .join("akhbar.json");
    let meta = std::fs::read_to_string(&meta_path).unwrap();
    let mut v: serde_json::Value = serde_json::from_str(&meta).unwrap();
    v["analysis_fingerprint"] = "0123456789abcdef".into();
    std::fs::write(&meta_path, v.to_string()).unwrap();
    for args in [
        vec!["stats", "--index", d],
        vec!["index", "--index", d, "-"],
    ] {
        let o = akhbar(&args, &[]);
        assert!(!o.status.success());
        assert!(err(&o).contains("a reindex is needed"), "{}", err(&o));
    }
    let o = akhbar(
        &[
            "reindex",
            "--index",
            d,
            repo("tests/fixtures/txt").to_str().unwrap(),
        ],
        &[],
    );
    assert!(o.status.success(), "{}", err(&o));
    assert!(akhbar(&["stats", "--index", d], &[]).status.success());
}
