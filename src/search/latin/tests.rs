use super::*;
use crate::config::LatinNameEntry;

/// A vocabulary of a few exact terms, each with a document frequency.
struct Terms(Vec<(&'static str, u64)>);

impl Vocabulary for Terms {
    fn contains(&self, _: Field, term: &str) -> bool {
        self.0.iter().any(|(t, _)| *t == term)
    }
    fn near(&self, _: Field, _: &str, _: u8, _: usize) -> Vec<String> {
        Vec::new()
    }
    fn present(&self, field: Field, set: &TermSet) -> Vec<(String, u64)> {
        let mut found: Vec<(String, u64)> = self
            .0
            .iter()
            .filter(|(t, _)| set.contains(t) && self.contains(field, t))
            .map(|(t, f)| (t.to_string(), *f))
            .collect();
        found.sort();
        found
    }
}

fn field() -> Field {
    Field::from_field_id(0)
}

fn builtin() -> LatinNames {
    LatinNames::new(&Config::builtin()).unwrap()
}

fn with_names(names: Vec<LatinNameEntry>) -> Result<LatinNames, ConfigError> {
    let mut config = Config::builtin();
    config.latin.names = names;
    LatinNames::new(&config)
}

fn entry(latin: &[&str], arabic: &[&str]) -> LatinNameEntry {
    LatinNameEntry {
        kind: "place".into(),
        latin: latin.iter().map(|s| s.to_string()).collect(),
        arabic: arabic.iter().map(|s| s.to_string()).collect(),
        source: "hand".into(),
    }
}

#[test]
fn the_builtin_list_compiles_with_300_names_or_more() {
    let names = builtin();
    assert!(names.len() >= 300, "{}", names.len());
}

/// (rule, input, expected key).
const KEYS: &[(&str, &str, Option<&str>)] = &[
    ("lowercase", "Kidal", Some("kidal")),
    ("accents dropped", "Ménaka", Some("menaka")),
    ("diaeresis dropped", "Goïta", Some("goita")),
    ("cedilla dropped", "Français", Some("francais")),
    ("apostrophe is a space", "N'Djaména", Some("n djamena")),
    (
        "hyphen is a space",
        "Bobo-Dioulasso",
        Some("bobo dioulasso"),
    ),
    (
        "runs of separators are one space",
        "  Wall   Street -- Journal ",
        Some("wall street journal"),
    ),
    ("digits kept", "G5 Sahel", Some("g5 sahel")),
    ("Arabic letters: not Latin", "كيدال", None),
    ("mixed scripts: not Latin", "Kidal كيدال", None),
    ("no letters", "2024", None),
];

#[test]
fn latin_keys() {
    for (rule, input, expected) in KEYS {
        assert_eq!(latin_key(input).as_deref(), *expected, "{rule}");
    }
}

/// (rule, typed, the name's first Latin spelling).
const LOOKUPS: &[(&str, &str, Option<&str>)] = &[
    ("as listed", "Kidal", Some("Kidal")),
    ("any case", "KIDAL", Some("Kidal")),
    ("the French spelling", "Tombouctou", Some("Timbuktu")),
    ("accents optional", "Menaka", Some("Menaka")),
    ("apostrophe optional", "Ndjamena", Some("N'Djamena")),
    ("several words", "Tin Zaouatene", Some("Tinzaouaten")),
    ("hyphen or space", "Bobo Dioulasso", Some("Bobo-Dioulasso")),
    ("a short acronym in capitals", "UN", Some("United Nations")),
    (
        "a short acronym typed in lowercase is a word (French un)",
        "un",
        None,
    ),
    ("a longer acronym in any case", "nato", Some("NATO")),
    (
        "a related name",
        "Russian mercenaries",
        Some("Russian mercenaries"),
    ),
    ("a group's own name is the gazetteer's", "Wagner", None),
    ("not a name", "Kiddal", None),
];

#[test]
fn lookups() {
    let names = builtin();
    for (rule, typed, expected) in LOOKUPS {
        assert_eq!(
            names.lookup(typed).map(|n| n.latin.as_str()),
            *expected,
            "{rule}"
        );
    }
}

#[test]
fn runs_of_words_that_are_a_name() {
    let names = builtin();
    let words = ["Wall", "Street", "Journal", "Kidal", "Tin", "Zaouatene"];
    assert_eq!(names.name_end(&words, 0), Some(2));
    assert_eq!(names.name_end(&words, 1), None);
    // One word is not a run: it needs no joining.
    assert_eq!(names.name_end(&words, 3), None);
    assert_eq!(names.name_end(&words, 4), Some(5));
    assert_eq!(names.name_end(&["Burkina", "Faso"], 0), Some(1));
}

#[test]
fn mistakes_in_the_list_are_reported() {
    let cases: Vec<(&str, Vec<LatinNameEntry>, &str)> = vec![
        (
            "a group's own name",
            vec![entry(&["Wagner Group"], &["فاغنر"])],
            "own name of a group",
        ),
        (
            "one spelling for two names",
            vec![entry(&["Gao"], &["غاو"]), entry(&["gao"], &["جاو"])],
            "also a spelling of `Gao`",
        ),
        (
            "no Arabic",
            vec![entry(&["Gao"], &[])],
            "needs Latin and Arabic",
        ),
        (
            "Arabic on the Latin side",
            vec![entry(&["غاو"], &["غاو"])],
            "not Latin",
        ),
        (
            "Latin on the Arabic side",
            vec![entry(&["Gao"], &["Gao"])],
            "not an Arabic",
        ),
    ];
    for (rule, names, message) in cases {
        let err = with_names(names).unwrap_err().to_string();
        assert!(err.contains(message), "{rule}: {err}");
    }
    let mut bad_kind = entry(&["Gao"], &["غاو"]);
    bad_kind.kind = "town".into();
    let err = with_names(vec![bad_kind]).unwrap_err().to_string();
    assert!(err.contains("kind `town`"), "{err}");
    let mut bad_source = entry(&["Gao"], &["غاو"]);
    bad_source.source = "guess".into();
    let err = with_names(vec![bad_source]).unwrap_err().to_string();
    assert!(err.contains("source `guess`"), "{err}");
}

#[test]
fn a_listed_name_maps_to_its_arabic_spellings() {
    let names = builtin();
    let vocabulary = Terms(vec![]);
    let Mapping::Forms(forms) = names.map("Kidal", Some(&vocabulary), field()) else {
        panic!("Kidal is listed");
    };
    assert_eq!(forms.kind, "latin-name");
    assert_eq!(forms.arabic, vec!["كيدال"]);
    assert_eq!(forms.note("Kidal"), "Kidal → كيدال");
    // Without a vocabulary too: listed names need no index.
    assert!(matches!(
        names.map("Tombouctou", None, field()),
        Mapping::Forms(_)
    ));
}

#[test]
fn a_twin_spelling_is_added_when_the_index_holds_it() {
    let names = with_names(vec![entry(&["Ghat"], &["غات"])]).unwrap();
    let vocabulary = Terms(vec![("جات", 3)]);
    let Mapping::Forms(forms) = names.map("Ghat", Some(&vocabulary), field()) else {
        panic!("Ghat is listed");
    };
    assert_eq!(forms.arabic, vec!["غات", "جات"]);
    let Mapping::Forms(forms) = names.map("Ghat", Some(&Terms(vec![])), field()) else {
        panic!("Ghat is listed");
    };
    assert_eq!(forms.arabic, vec!["غات"]);
}

#[test]
fn an_unlisted_word_is_transliterated_into_what_the_index_holds() {
    let names = builtin();
    // كيدال costs 0 for Kiddal; قيدال (k → ق) costs 1; كدال (i dropped) 1; تاكيدال is
    // no candidate. Each cost step divides the frequency by cost_factor (8): كيدال 5,
    // كدال 16 / 8 = 2, قيدال 1 / 8 (under 5 / 8: dropped).
    let vocabulary = Terms(vec![
        ("كيدال", 5),
        ("قيدال", 1),
        ("كدال", 16),
        ("تاكيدال", 99),
    ]);
    let Mapping::Forms(forms) = names.map("Kiddal", Some(&vocabulary), field()) else {
        panic!("Kiddal has transliterations in this vocabulary");
    };
    assert_eq!(forms.kind, "transliteration");
    assert_eq!(forms.arabic, vec!["كيدال", "كدال"]);
    assert!(forms.weight < 1.0);
    assert_eq!(
        forms.note("Kiddal"),
        "Kiddal → كيدال، كدال (transliterated: not a listed name)"
    );
    // A dearer spelling far more frequent ranks first: كدال at 100 / 8 beats كيدال at 5.
    let vocabulary = Terms(vec![("كيدال", 5), ("كدال", 100)]);
    assert_eq!(
        names.transliterate("Kiddal", &vocabulary, field()),
        vec!["كدال", "كيدال"]
    );
}

#[test]
fn a_lexicon_spelling_is_looked_up_as_its_canonical_term() {
    // The exact field holds تينزاوتين for every spelling of the name (lexicon.json), so a
    // candidate تينزاواتين is found as that term.
    let names = builtin();
    let vocabulary = Terms(vec![("تينزاوتين", 4)]);
    let found = names.transliterate("Tinzaouatine", &vocabulary, field());
    assert_eq!(found, vec!["تينزاوتين"]);
}

#[test]
fn unknown_and_not_latin() {
    let names = builtin();
    let vocabulary = Terms(vec![("كتاب", 1)]);
    assert_eq!(
        names.map("Zorglub", Some(&vocabulary), field()),
        Mapping::Unknown
    );
    assert_eq!(names.map("Zorglub", None, field()), Mapping::Unknown);
    assert_eq!(
        names.map("كيدال", Some(&vocabulary), field()),
        Mapping::None
    );
    assert_eq!(
        names.map("Wagner", Some(&vocabulary), field()),
        Mapping::None
    );
    assert_eq!(names.map("JNIM", Some(&vocabulary), field()), Mapping::None);
    // A run of words that is no name is left alone (its words are mapped one by one).
    assert_eq!(
        names.map("Kidal Bamako", Some(&vocabulary), field()),
        Mapping::None
    );
}

#[test]
fn every_latin_related_name_of_the_groups_is_listed() {
    // entities.json tags Latin text by these; this list is where they find their Arabic.
    let config = Config::builtin();
    let names = builtin();
    for group in &config.entities.groups {
        for related in &group.related {
            if latin_key(&related.name).is_some() && !names.is_group_name(&related.name) {
                assert!(
                    names.lookup(&related.name).is_some(),
                    "{}: `{}`",
                    group.id,
                    related.name
                );
            }
        }
    }
}
