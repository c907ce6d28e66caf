//! End-to-end tests of story clusters: `akhbar index` groups edited copies of one wire,
//! keeps two stories on one event apart, keeps clusters right across incremental runs,
//! and `akhbar search` collapses a story to its best-ranked copy.

use std::path::Path;
use std::process::{Command, Output};

use akhbar::config::Config;
use akhbar::index::AkhbarIndex;
use akhbar::stories::{StorySettings, StoryTable};

const BIN: &str = env!("CARGO_BIN_EXE_akhbar");

fn akhbar(args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .env_remove("AKHBAR_INDEX")
        .output()
        .expect("run akhbar")
}

/// A wire of a dozen sentences about a relief flight; each copy edits it.
const WIRE: &[&str] = &[
    "وصلت اليوم الطائرة الإغاثية الرابعة إلى مطار عدن الدولي محملة بعشرة أطنان من المستلزمات الطبية لمرضى الفشل الكلوي.",
    "وأوضح المتحدث الرسمي للمركز أن هذه الرحلة مخصصة للمواد والمستلزمات والأدوية والمحاليل التي يحتاجها المرضى في المحافظات الجنوبية.",
    "وأضاف أن المواد الطبية ستوزع على المستشفيات والمراكز الطبية في عدن ولحج وأبين بالتنسيق مع السلطات الصحية المحلية.",
    "وأشار إلى أن الجسر الجوي مستمر ضمن خطط وبرامج أعدت لهذا الغرض بالتنسيق مع اللجنة العليا للإغاثة التابعة للحكومة.",
    "وتأتي هذه المساعدات إنفاذا لتوجيهات القيادة بتقديم مساعدات عاجلة للشعب اليمني في مختلف المجالات الإنسانية والطبية.",
    "وكانت ثلاث طائرات سابقة قد وصلت إلى المطار نفسه خلال الأسبوعين الماضيين محملة بالأغذية والأدوية ومستلزمات الإيواء.",
];

fn record(id: &str, outlet: &str, date: &str, title: &str, body: &str) -> String {
    serde_json::json!({"id": id, "outlet": outlet, "published": date, "title": title, "body": body})
        .to_string()
}

/// Copy A: the wire. Copy B: another headline, two words changed, a paragraph added.
/// C: another story on the same event (the same flight), written independently.
fn records() -> Vec<String> {
    let a = WIRE.join("\n");
    let mut b: Vec<String> = WIRE.iter().map(|s| s.to_string()).collect();
    b[2] = b[2].replace("المراكز الطبية", "المرافق الصحية");
    b.push(
        "ويعاني القطاع الصحي في اليمن من نقص حاد في الأدوية والكوادر منذ اندلاع النزاع قبل أشهر."
            .into(),
    );
    let c = [
        "استقبل مسؤولو الصحة في عدن شحنة جديدة من الأدوية نقلتها طائرة سعودية هبطت صباح اليوم.",
        "وقال مدير أحد المستشفيات إن مرضى الكلى ينتظرون هذه الأدوية منذ أسابيع بعد نفاد المخزون.",
        "ويقول أطباء في المدينة إن انقطاع الكهرباء يهدد أجهزة الغسيل الكلوي في أغلب المراكز.",
        "وتحاول المنظمات الدولية إيصال المساعدات برا رغم صعوبة الطرق وكثرة نقاط التفتيش.",
    ]
    .join("\n");
    vec![
        record(
            "a",
            "Al-Jazirah",
            "2015-08-01",
            "وصول الطائرة الإغاثية الرابعة إلى عدن",
            &a,
        ),
        record(
            "b",
            "Okaz",
            "2015-08-01",
            "طائرة إغاثة رابعة تحط في عدن بأدوية الكلى",
            &b.join("\n"),
        ),
        record(
            "c",
            "BBC",
            "2015-08-01",
            "أدوية الكلى تصل عدن والمستشفيات تنتظر الكهرباء",
            &c,
        ),
    ]
}

fn write(dir: &Path, name: &str, lines: &[String]) -> String {
    let path = dir.join(name);
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    path.to_str().unwrap().to_string()
}

fn story_of(dir: &Path, id: &str) -> Option<u64> {
    let idx = AkhbarIndex::open(dir, &Config::builtin()).unwrap();
    let table = StoryTable::load(&idx, StorySettings::builtin()).unwrap();
    table
        .get(akhbar::index::writer::article_id_hash(id))
        .map(|e| e.story)
}

#[test]
fn edited_copies_share_a_story_and_another_story_on_the_event_does_not() {
    let tmp = tempfile::tempdir().unwrap();
    let index = tmp.path().join("idx");
    let input = write(tmp.path(), "in.jsonl", &records());
    let o = akhbar(&["index", "--index", index.to_str().unwrap(), &input]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let (a, b, c) = (
        story_of(&index, "a"),
        story_of(&index, "b"),
        story_of(&index, "c"),
    );
    assert!(a.is_some());
    assert_eq!(a, b, "the edited copy joins the wire's story");
    assert_ne!(a, c, "another story on the same event stays apart");

    // The search shows the story once, with who else carried it.
    let o = akhbar(&[
        "search",
        "--index",
        index.to_str().unwrap(),
        "--json",
        "الطائرة الإغاثية عدن",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let hits = v["hits"].as_array().unwrap();
    let ids: Vec<&str> = hits.iter().map(|h| h["doc_id"].as_str().unwrap()).collect();
    assert_eq!(
        ids.iter().filter(|i| **i == "a" || **i == "b").count(),
        1,
        "{ids:?}"
    );
    let story_hit = hits
        .iter()
        .find(|h| h["doc_id"] == "a" || h["doc_id"] == "b")
        .unwrap();
    assert_eq!(story_hit["story"]["copies"], 2);
    assert_eq!(story_hit["story"]["first_published"], "2015-08-01");
    let mut outlets: Vec<&str> = story_hit["story"]["outlets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o.as_str().unwrap())
        .collect();
    outlets.sort();
    assert_eq!(outlets, ["Al-Jazirah", "Okaz"]);
    assert_eq!(v["total"], 3);
    assert_eq!(v["stories"], 2);

    // --no-collapse-stories shows every copy.
    let o = akhbar(&[
        "search",
        "--index",
        index.to_str().unwrap(),
        "--json",
        "--no-collapse-stories",
        "الطائرة الإغاثية عدن",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["hits"].as_array().unwrap().len(), 3);

    // akhbar story lists the copies, first published first.
    let o = akhbar(&["story", "--index", index.to_str().unwrap(), "--json", "b"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let copies = v["copies"].as_array().unwrap();
    assert_eq!(copies.len(), 2);
    // b's passages with the changed words and the added paragraph are not in a's.
    assert!(!copies[1]["changed"].as_array().unwrap().is_empty());
}

#[test]
fn incremental_runs_keep_stories_right() {
    let tmp = tempfile::tempdir().unwrap();
    let index = tmp.path().join("idx");
    let dir = index.to_str().unwrap();
    let all = records();
    // First the wire alone, then the copy: the copy joins the stored story.
    let first = write(tmp.path(), "1.jsonl", &all[..1]);
    assert!(akhbar(&["index", "--index", dir, &first]).status.success());
    let a = story_of(&index, "a");
    let both = write(tmp.path(), "2.jsonl", &all);
    assert!(akhbar(&["index", "--index", dir, &both]).status.success());
    assert_eq!(story_of(&index, "a"), a, "the stored story is kept");
    assert_eq!(story_of(&index, "b"), a, "a new copy joins it");

    // The copy is rewritten into another text: it leaves the story.
    let mut changed = all.clone();
    changed[1] = record(
        "b",
        "Okaz",
        "2015-08-02",
        "خبر آخر",
        &(0..40)
            .map(|i| format!("كلمة{i}"))
            .collect::<Vec<_>>()
            .join(" "),
    );
    let third = write(tmp.path(), "3.jsonl", &changed);
    assert!(akhbar(&["index", "--index", dir, &third]).status.success());
    assert_eq!(story_of(&index, "a"), a);
    assert_ne!(story_of(&index, "b"), a, "an update re-checks the story");

    // Back to a copy, then the wire pruned: the copy stays, alone, and a reindex of the
    // same input gives the same grouping.
    let fourth = write(tmp.path(), "4.jsonl", &all);
    assert!(akhbar(&["index", "--index", dir, &fourth]).status.success());
    assert_eq!(story_of(&index, "b"), story_of(&index, "a"));
    let fifth = write(tmp.path(), "5.jsonl", &all[1..]);
    assert!(akhbar(&["index", "--index", dir, "--prune", &fifth])
        .status
        .success());
    assert_eq!(story_of(&index, "a"), None);
    assert!(story_of(&index, "b").is_some());
    assert!(akhbar(&["reindex", "--index", dir, &fourth])
        .status
        .success());
    assert_eq!(story_of(&index, "b"), story_of(&index, "a"));
    assert_ne!(story_of(&index, "c"), story_of(&index, "a"));
}
