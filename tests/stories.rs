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
    // The hit's own id and the other copy's, read back from the index, in date then id order.
    assert_eq!(
        story_hit["story"]["articles"],
        serde_json::json!(["a", "b"])
    );
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

/// Eight sentences of one wire; `x` lacks the last two, `y` the first two, `z` is whole:
/// x and y are each close to z (about 0.75) but not to each other (about 0.5).
const LONG_WIRE: &[&str] = &[
    "أعلن المركز الوطني للأرصاد عن تقلبات جوية تشمل أمطارا رعدية غزيرة على مرتفعات المنطقة الجنوبية الغربية.",
    "وأوضح المتحدث باسم المركز أن الرياح النشطة ستثير الغبار والأتربة على الطرق السريعة بين المدن الكبرى.",
    "ودعا الدفاع المدني السكان إلى الابتعاد عن مجاري السيول والأودية وعدم المجازفة بعبورها بالسيارات.",
    "وأشار إلى أن فرق الطوارئ رفعت درجة الاستعداد في المحافظات المتأثرة ونشرت آليات الإنقاذ في المواقع الحرجة.",
    "وتوقع المركز أن تتراجع درجات الحرارة بشكل ملحوظ في نهاية الأسبوع مع استمرار تكون السحب الممطرة.",
    "وأكدت إدارة التعليم تعليق الدراسة في المدارس الواقعة بمحاذاة الأودية حفاظا على سلامة الطلاب والمعلمين.",
    "وذكرت وزارة النقل أن فرقها الميدانية تتابع حالة الطرق والجسور على مدار الساعة وتغلق المقاطع الخطرة.",
    "ويأتي هذا التحذير بعد أيام من سيول جارفة أدت إلى احتجاز عدد من المركبات في بطون الأودية الضحلة.",
];

fn bridge_records() -> Vec<String> {
    let x = LONG_WIRE[..6].join("\n");
    let y = LONG_WIRE[2..].join("\n");
    let z = LONG_WIRE.join("\n");
    vec![
        record(
            "x",
            "Sabq",
            "2016-03-10",
            "أمطار رعدية على الجنوب الغربي",
            &x,
        ),
        record("y", "Okaz", "2016-03-10", "تعليق الدراسة قرب الأودية", &y),
        record("z", "Al-Madina", "2016-03-11", "الأرصاد تحذر من السيول", &z),
    ]
}

#[test]
fn a_later_copy_that_bridges_two_stories_merges_them() {
    let tmp = tempfile::tempdir().unwrap();
    let all = bridge_records();
    // The fixture's bridge is about 0.75 similar to each side, near the shipped
    // merge_threshold (0.7) within the estimate's noise: merge at 0.6 here (a schema
    // directory with that stories.json), so the test is about the mechanism.
    let schema = schema_dir(tmp.path(), |s| {
        s.replacen("\"merge_threshold\": 0.7", "\"merge_threshold\": 0.6", 1)
    });
    let akhbar = |args: &[&str]| {
        let mut all = vec!["--schema", schema.to_str().unwrap()];
        all.extend_from_slice(args);
        akhbar(&all)
    };
    let story_of = |dir: &Path, id: &str| {
        let config = Config::load(Some(&schema)).unwrap();
        let idx = AkhbarIndex::open(dir, &config).unwrap();
        let table = StoryTable::load(&idx, config.stories.clone()).unwrap();
        table
            .get(akhbar::index::writer::article_id_hash(id))
            .map(|e| e.story)
    };
    // Incrementally: x and y first (two stories), then z, which is a copy of both.
    let inc = tmp.path().join("inc");
    let dir = inc.to_str().unwrap();
    let first = write(tmp.path(), "1.jsonl", &all[..2]);
    assert!(akhbar(&["index", "--index", dir, &first]).status.success());
    assert_ne!(
        story_of(&inc, "x"),
        story_of(&inc, "y"),
        "x and y alone differ"
    );
    let both = write(tmp.path(), "2.jsonl", &all);
    let o = akhbar(&["index", "--index", dir, &both]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let merged = story_of(&inc, "z");
    assert!(merged.is_some());
    assert_eq!(story_of(&inc, "x"), merged, "z merges x's story");
    assert_eq!(story_of(&inc, "y"), merged, "... and y's");

    // All three in one run (the merge then rewrites records written in that run), and a
    // reindex: the same story, with the same id.
    let fresh = tmp.path().join("fresh");
    assert!(
        akhbar(&["index", "--index", fresh.to_str().unwrap(), &both])
            .status
            .success()
    );
    assert!(akhbar(&["reindex", "--index", dir, &both]).status.success());
    for id in ["x", "y", "z"] {
        assert_eq!(story_of(&fresh, id), merged, "{id} in one run");
        assert_eq!(story_of(&inc, id), merged, "{id} after reindex");
    }

    // The bridge pruned: x and y are apart again.
    let apart = write(tmp.path(), "3.jsonl", &all[..2]);
    assert!(akhbar(&["index", "--index", dir, "--prune", &apart])
        .status
        .success());
    assert_ne!(story_of(&inc, "x"), story_of(&inc, "y"));
}

/// A copy of index-schema/ with its stories.json changed by `edit`.
fn schema_dir(tmp: &Path, edit: impl Fn(&str) -> String) -> std::path::PathBuf {
    let schema = tmp.join("schema");
    std::fs::create_dir(&schema).unwrap();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("index-schema");
    for name in ["schema.json", "lexicon.json", "boilerplate.json"] {
        std::fs::copy(src.join(name), schema.join(name)).unwrap();
    }
    let stories = std::fs::read_to_string(src.join("stories.json")).unwrap();
    let edited = edit(&stories);
    assert_ne!(edited, stories);
    std::fs::write(schema.join("stories.json"), edited).unwrap();
    schema
}

#[test]
fn stories_collapse_in_date_orders_too() {
    let tmp = tempfile::tempdir().unwrap();
    let index = tmp.path().join("idx");
    let mut recs = records();
    // The copy a day later, so the orders differ.
    recs[1] = recs[1].replace("2015-08-01", "2015-08-02");
    let input = write(tmp.path(), "in.jsonl", &recs);
    assert!(
        akhbar(&["index", "--index", index.to_str().unwrap(), &input])
            .status
            .success()
    );
    for (sort, first_copy) in [("newest", "b"), ("oldest", "a"), ("relevance", "")] {
        let o = akhbar(&[
            "search",
            "--index",
            index.to_str().unwrap(),
            "--json",
            "--sort",
            sort,
            "الطائرة الإغاثية عدن",
        ]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        let ids: Vec<&str> = v["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["doc_id"].as_str().unwrap())
            .collect();
        let copies: Vec<&&str> = ids.iter().filter(|i| **i == "a" || **i == "b").collect();
        assert_eq!(copies.len(), 1, "{sort}: {ids:?}");
        if !first_copy.is_empty() {
            assert_eq!(
                *copies[0], first_copy,
                "{sort}: the first copy in that order"
            );
        }
        let hit = &v["hits"][ids.iter().position(|i| i == copies[0]).unwrap()];
        assert_eq!(hit["story"]["copies"], 2, "{sort}");
        assert_eq!(ids.len(), 2, "{sort}: two stories");
    }
    // Without collapsing, a date order lists every copy.
    let o = akhbar(&[
        "search",
        "--index",
        index.to_str().unwrap(),
        "--json",
        "--sort",
        "newest",
        "--no-collapse-stories",
        "الطائرة الإغاثية عدن",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["hits"].as_array().unwrap().len(), 3);
}

#[test]
fn a_schema_dir_reads_stories_json_and_boilerplate_json() {
    let tmp = tempfile::tempdir().unwrap();
    let schema = tmp.path().join("schema");
    std::fs::create_dir(&schema).unwrap();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("index-schema");
    for name in ["schema.json", "lexicon.json", "boilerplate.json"] {
        std::fs::copy(src.join(name), schema.join(name)).unwrap();
    }
    // A threshold no edited copy reaches: the two copies stay apart.
    let stories = std::fs::read_to_string(src.join("stories.json")).unwrap();
    let strict = stories.replacen("\"threshold\": 0.6", "\"threshold\": 0.99", 1);
    assert_ne!(strict, stories);
    std::fs::write(schema.join("stories.json"), strict).unwrap();
    let input = write(tmp.path(), "in.jsonl", &records());
    let index = tmp.path().join("idx");
    let run = |args: &[&str]| {
        let mut all = vec!["--schema", schema.to_str().unwrap()];
        all.extend_from_slice(args);
        akhbar(&all)
    };
    let o = run(&["index", "--index", index.to_str().unwrap(), &input]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = run(&["story", "--index", index.to_str().unwrap(), "--json", "b"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        v["copies"].as_array().unwrap().len(),
        1,
        "b is a story alone"
    );
    // The built-in settings do not read that index: other settings, other stories.
    let o = akhbar(&["search", "--index", index.to_str().unwrap(), "عدن"]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("reindex"));

    // A bad boilerplate.json is an error naming the file.
    std::fs::write(schema.join("boilerplate.json"), "{\"outlets\": 3}").unwrap();
    let o = run(&["index", "--index", index.to_str().unwrap(), &input]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("boilerplate.json"));
}

/// A condolence telegram of the kind sent every few days (written for this test): the
/// same sentences, another president, country and disaster each time.
fn telegram(president: &str, country: &str, disaster: &str) -> String {
    [
        format!("بعث خادم الحرمين الشريفين الملك سلمان بن عبدالعزيز آل سعود برقية عزاء ومواساة لفخامة الرئيس {president} رئيس جمهورية {country} في ضحايا {disaster}."),
        format!("وأعرب الملك المفدى باسمه واسم شعب وحكومة المملكة العربية السعودية عن أحر التعازي وصادق المواساة لفخامته ولأسر الضحايا ولشعب {country} الشقيق."),
        "سائلا المولى عز وجل أن يتغمد المتوفين بواسع رحمته وأن يمن على المصابين بالشفاء العاجل وأن يحفظ البلاد من كل مكروه.".to_string(),
        "وأكد الملك المفدى وقوف المملكة العربية السعودية حكومة وشعبا إلى جانب الشعب الشقيق في هذا المصاب الأليم واستعدادها لتقديم كل ما يلزم من عون.".to_string(),
        "كما بعث صاحب السمو الملكي ولي العهد نائب رئيس مجلس الوزراء وزير الداخلية برقية عزاء ومواساة مماثلة لفخامته عبر فيها عن أحر التعازي وأصدق المواساة.".to_string(),
        "وبعث صاحب السمو الملكي ولي ولي العهد النائب الثاني لرئيس مجلس الوزراء وزير الدفاع برقية عزاء ومواساة مماثلة سائلا الله أن يرحم المتوفين.".to_string(),
    ]
    .join("\n")
}

/// Telegrams t1–t4 days apart (each its own story by the date rule), and t5, t6 a day
/// apart to two other countries: close enough in time to be one story, and without the
/// template shingles close enough in text.
fn telegram_records() -> Vec<String> {
    let sent = [
        (
            "t1",
            "Saudi Press Agency",
            "2015-08-01",
            "ماهاما",
            "غانا",
            "انفجار محطة الوقود",
        ),
        (
            "t2",
            "Okaz",
            "2015-08-05",
            "كينياتا",
            "كينيا",
            "انهيار المبنى السكني",
        ),
        (
            "t3",
            "Saudi Press Agency",
            "2015-08-09",
            "بوهاري",
            "نيجيريا",
            "غرق العبارة النهرية",
        ),
        (
            "t4",
            "Okaz",
            "2015-08-13",
            "كيتا",
            "مالي",
            "حادث الحافلة الجبلية",
        ),
        (
            "t5",
            "Al-Riyadh",
            "2015-08-20",
            "ويدودو",
            "إندونيسيا",
            "تحطم الطائرة المدنية",
        ),
        (
            "t6",
            "Okaz",
            "2015-08-21",
            "أكينو",
            "الفلبين",
            "إعصار الساحل الشرقي",
        ),
    ];
    sent.iter()
        .map(|(id, outlet, date, president, country, disaster)| {
            record(
                id,
                outlet,
                date,
                &format!("خادم الحرمين يعزي رئيس {country}"),
                &telegram(president, country, disaster),
            )
        })
        .collect()
}

/// A schema directory: the built-in files with this `story-templates.json`.
fn schema_with_templates(dir: &Path, templates: &str) -> String {
    std::fs::create_dir_all(dir).unwrap();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("index-schema");
    for name in [
        "schema.json",
        "lexicon.json",
        "boilerplate.json",
        "stories.json",
    ] {
        std::fs::copy(src.join(name), dir.join(name)).unwrap();
    }
    std::fs::write(dir.join("story-templates.json"), templates).unwrap();
    dir.to_str().unwrap().to_string()
}

fn story_with(schema: &str, index: &Path, id: &str) -> String {
    let o = akhbar(&[
        "--schema",
        schema,
        "story",
        "--index",
        index.to_str().unwrap(),
        "--json",
        id,
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    v["story"].as_str().unwrap().to_string()
}

#[test]
fn telegrams_to_two_countries_stay_apart_once_their_template_is_learned() {
    let tmp = tempfile::tempdir().unwrap();
    let mut lines = records();
    lines.extend(telegram_records());
    let input = write(tmp.path(), "in.jsonl", &lines);
    let empty = r#"{"shingle_words": 3, "phrases": []}"#;
    let bare = schema_with_templates(&tmp.path().join("bare"), empty);
    let index = tmp.path().join("idx");
    let idx = index.to_str().unwrap();
    let o = akhbar(&["--schema", &bare, "index", "--index", idx, &input]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // Without template shingles the two telegrams a day apart are one story.
    assert_eq!(
        story_with(&bare, &index, "t5"),
        story_with(&bare, &index, "t6")
    );
    assert_ne!(
        story_with(&bare, &index, "t1"),
        story_with(&bare, &index, "t2")
    );

    // Learned from that index: the telegram's sentences recur in 5 stories of 3 outlets.
    let o = akhbar(&[
        "--schema",
        &bare,
        "story",
        "--index",
        idx,
        "--learn-templates",
        "--min-stories",
        "3",
        "--min-outlets",
        "2",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let learned = String::from_utf8(o.stdout).unwrap();
    let file: serde_json::Value = serde_json::from_str(&learned).unwrap();
    let phrases: Vec<&str> = file["phrases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap())
        .collect();
    assert!(phrases.contains(&"برقيه عزاء ومواساه"), "{phrases:?}");
    assert!(phrases.contains(&"خادم حرمين شريفين"), "{phrases:?}");
    // Nothing of the wire (one story) nor of what tells one telegram from the next.
    assert!(!phrases.iter().any(|p| p.contains("عدن")), "{phrases:?}");
    assert!(!phrases.iter().any(|p| p.contains("كينيا")), "{phrases:?}");
    assert_eq!(file["learned"]["min_stories"], 3);

    // Reindexed with the learned list: the telegrams are apart, the wire's edited copies
    // still one story, the other story on the event still another.
    let learned_schema = schema_with_templates(&tmp.path().join("learned"), &learned);
    let index2 = tmp.path().join("idx2");
    let o = akhbar(&[
        "--schema",
        &learned_schema,
        "index",
        "--index",
        index2.to_str().unwrap(),
        &input,
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let s = |id: &str| story_with(&learned_schema, &index2, id);
    assert_ne!(s("t5"), s("t6"), "two telegrams are two stories");
    assert_eq!(s("a"), s("b"), "two edited copies of one wire are one");
    assert_ne!(s("a"), s("c"));
    // An index built with other templates is not read with the built-in ones.
    let o = akhbar(&[
        "--schema",
        &bare,
        "search",
        "--index",
        index2.to_str().unwrap(),
        "عدن",
    ]);
    assert!(String::from_utf8_lossy(&o.stderr).contains("reindex"));
}

/// A running `akhbar serve`; killed when dropped.
struct Serve(std::process::Child, String);

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn serve(index: &Path) -> Serve {
    use std::io::BufRead;
    let mut child = Command::new(BIN)
        .args([
            "serve",
            "--index",
            index.to_str().unwrap(),
            "--listen",
            "127.0.0.1:0",
        ])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("start akhbar serve");
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line.trim().trim_end_matches('/').to_string();
    assert!(url.starts_with("http://127.0.0.1:"), "printed {line:?}");
    Serve(child, url)
}

fn get(url: &str) -> (u16, String) {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let mut r = agent.get(url).call().unwrap();
    (r.status().as_u16(), r.body_mut().read_to_string().unwrap())
}

#[test]
fn the_article_page_and_api_list_the_story_copies() {
    let tmp = tempfile::tempdir().unwrap();
    let index = tmp.path().join("idx");
    let input = write(tmp.path(), "in.jsonl", &records());
    let o = akhbar(&["index", "--index", index.to_str().unwrap(), &input]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let server = serve(&index);

    let (status, body) = get(&format!("{}/api/v1/articles/b", server.1));
    assert_eq!(status, 200, "{body}");
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["id"], "b", "the article's own fields are kept");
    let story = &v["story"];
    assert_eq!(story["copies"], 2);
    assert_eq!(story["first_outlet"], "Al-Jazirah");
    assert_eq!(story["first_published"], "2015-08-01");
    assert_eq!(story["outlets"], serde_json::json!(["Al-Jazirah", "Okaz"]));
    let copies = story["articles"].as_array().unwrap();
    assert_eq!(copies[0]["article_id"], "a");
    assert_eq!(copies[0]["first"], true);
    assert_eq!(copies[1]["article_id"], "b");
    // The fixture's articles are one passage each: b's (edited, a sentence added) is
    // not a's, and a's is missing from b.
    assert_eq!(copies[1]["changed"], serde_json::json!([0]));
    assert_eq!(copies[1]["missing"], 1);
    assert!(copies[1]["added"][0]
        .as_str()
        .unwrap()
        .starts_with("وصلت اليوم الطائرة الإغاثية"));
    // The same as `akhbar story b --json` computes.
    let o = akhbar(&["story", "--index", index.to_str().unwrap(), "--json", "b"]);
    let cli: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(cli["story"], story["id"]);
    assert_eq!(cli["copies"][1]["changed"], copies[1]["changed"]);
    // c is a story of its own.
    let (_, body) = get(&format!("{}/api/v1/articles/c", server.1));
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["story"]["copies"], 1);

    // The page: the other copy linked, this one marked, who had it first.
    let (status, html) = get(&format!("{}/article/b", server.1));
    assert_eq!(status, 200);
    assert!(html.contains(r#"href="/article/a""#), "{html}");
    assert!(html.contains("(هذه المقالة)"), "{html}");
    assert!(
        html.contains("نشره أولًا <strong>Al-Jazirah</strong>"),
        "{html}"
    );
    assert!(html.contains("+ وصلت اليوم الطائرة"), "{html}");
    // A story of one copy shows no story section.
    let (_, html) = get(&format!("{}/article/c", server.1));
    assert!(!html.contains("story-copies"), "{html}");
}
