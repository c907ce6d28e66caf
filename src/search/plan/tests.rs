//! The plan stage's tests: near spellings over a vocabulary given as lists. (Variants
//! are tested with their rules in `analysis::variants`; whole queries in `tests/`.)

use tantivy::schema::{FacetOptions, Field, Schema, TEXT};

use super::*;
use crate::analysis::Analysis;
use crate::config::Config;

/// The weights of the built-in `schema.json`.
fn default_weights() -> QueryWeights {
    Config::builtin().schema.search.weights
}

/// A vocabulary given as lists: the terms each field holds, and what `near` answers.
struct ListedVocabulary {
    terms: Vec<(Field, &'static str)>,
    near: Vec<(Field, &'static str, Vec<&'static str>)>,
}

impl Vocabulary for ListedVocabulary {
    fn contains(&self, field: Field, term: &str) -> bool {
        self.terms.iter().any(|&(f, t)| f == field && t == term)
    }
    fn near(&self, field: Field, term: &str, edits: u8, limit: usize) -> Vec<String> {
        assert_eq!(edits, 1);
        let found = self.near.iter().find(|(f, t, _)| *f == field && *t == term);
        found.map_or_else(Vec::new, |(_, _, near)| {
            near.iter().take(limit).map(|t| t.to_string()).collect()
        })
    }
}

/// The plan of `query` over an index whose vocabulary is `vocabulary`.
fn plan_with(
    query: &str,
    mode: MatchMode,
    weights: QueryWeights,
    vocabulary: &dyn Vocabulary,
) -> QueryPlan {
    let (fields, _) = near_fields();
    let config = Config::builtin();
    let analysis = Analysis::new(&config).expect("built-in config");
    let mut builder = QueryBuilder::new(
        fields,
        analysis.analyzer("arabic").expect("arabic"),
        analysis.analyzer("arabic_exact").expect("arabic_exact"),
        &config.schema.search,
    )
    .with_match_mode(mode)
    .with_weights(weights)
    .with_vocabulary(Some(vocabulary));
    builder.build(&crate::search::parse::parse(query))
}

fn near_fields() -> (QueryFields, Schema) {
    let mut schema = Schema::builder();
    let text = schema.add_text_field("text", TEXT);
    let text_exact = schema.add_text_field("text_exact", TEXT);
    let title = schema.add_text_field("title", TEXT);
    let facet = schema.add_facet_field("facet", FacetOptions::default());
    let fields = QueryFields {
        text,
        text_exact,
        title,
        outlet: facet,
        group: facet,
        group_terms: text,
        article: None,
    };
    (fields, schema.build())
}

/// The index of these tests: it has اغتيال (and the form الاغتيالات), روديوفيت (as
/// الروديوفيت), and the title word فاغنر; `near` lists the indexed forms one edit
/// away.
fn misspellings() -> ListedVocabulary {
    let (f, _) = near_fields();
    ListedVocabulary {
        terms: vec![
            (f.text, "اغتيال"),
            (f.text_exact, "الاغتيالات"),
            (f.text, "روديوفيت"),
            (f.title, "فاغنر"),
            (f.text, "كتاب"),
        ],
        near: vec![
            (f.text_exact, "الرودوفيت", vec!["الروديوفيت"]),
            (f.text_exact, "الاغتيالاث", vec!["الاغتيالات", "اغتيالا"]),
            (f.text_exact, "فاغنار", vec!["فاغنر", "بفاغنر"]),
            (f.text_exact, "كتاب", vec!["كتب"]),
            (f.text_exact, "كتابه", vec!["كتاب"]),
            (f.text_exact, "2025", vec!["2024"]),
            (f.text_exact, "كتا", vec!["كتب"]),
        ],
    }
}

#[test]
fn a_word_the_index_lacks_searches_its_near_spellings() {
    let vocabulary = misspellings();
    // Another transliteration, written with the article in the index: one edit from
    // the typed word with the article added.
    let plan = plan_with("رودوفيت", MatchMode::Any, default_weights(), &vocabulary);
    assert_eq!(plan.words[0].near_terms, vec!["روديوفيت"]);
    assert!(plan.ranked_highlights.contains("روديوفيت"));
    assert_eq!(
        plan.notes,
        vec!["`رودوفيت` is not in the index; also searched its near spellings روديوفيت"]
    );
    // A typo in the ending: the stems of the indexed forms one edit away are
    // searched (الاغتيالاث → الاغتيالات, اغتيالا → اغتيال, once).
    let plan = plan_with("الاغتيالاث", MatchMode::Any, default_weights(), &vocabulary);
    assert_eq!(plan.words[0].near_terms, vec!["اغتيال"]);
    // فاغنر and بفاغنر are one stem; the general path (every word required) too.
    let plan = plan_with(
        "فاغنار الاغتيالاث",
        MatchMode::All,
        default_weights(),
        &vocabulary,
    );
    assert_eq!(plan.words[0].near_terms, vec!["فاغنر"]);
    assert_eq!(plan.words[1].near_terms, vec!["اغتيال"]);
    assert_eq!(plan.notes.len(), 2);
}

#[test]
fn no_near_spellings_for_words_found_numbers_and_short_words() {
    let vocabulary = misspellings();
    // In the index (the title counts), a number, a stem of three letters: no near
    // spellings are searched.
    for query in ["كتاب", "فاغنر", "الاغتيالات", "2025", "كتا"] {
        let plan = plan_with(query, MatchMode::Any, default_weights(), &vocabulary);
        assert!(plan.words[0].near_terms.is_empty(), "{query}");
        assert!(plan.notes.is_empty(), "{query}");
    }
    // كتابه: its stem كتاب is indexed, so the near كتاب of the whole form is moot.
    let plan = plan_with("كتابه", MatchMode::Any, default_weights(), &vocabulary);
    assert!(plan.words[0].near_terms.is_empty());
    // Without the weight, no near spellings.
    let off = QueryWeights {
        near: None,
        ..default_weights()
    };
    let plan = plan_with("رودوفيت", MatchMode::Any, off, &vocabulary);
    assert!(plan.words[0].near_terms.is_empty());
}

/// A vocabulary with document frequencies: (field, term, passages).
struct CountedVocabulary(Vec<(Field, &'static str, u64)>);

impl Vocabulary for CountedVocabulary {
    fn contains(&self, field: Field, term: &str) -> bool {
        self.doc_freq(field, term) > 0
    }
    fn near(&self, _: Field, _: &str, _: u8, _: usize) -> Vec<String> {
        Vec::new()
    }
    fn doc_freq(&self, field: Field, term: &str) -> u64 {
        let found = self.0.iter().find(|&&(f, t, _)| f == field && t == term);
        found.map_or(0, |&(_, _, n)| n)
    }
}

/// The plan of `query` as the engine builds it: the lexicon's names kept whole.
fn plan_named(query: &str, mode: MatchMode, vocabulary: &dyn Vocabulary) -> QueryPlan {
    plan_engine(query, mode, vocabulary, false)
}

/// The same, with the built-in gazetteer expanding group names when `groups`.
fn plan_engine(
    query: &str,
    mode: MatchMode,
    vocabulary: &dyn Vocabulary,
    groups: bool,
) -> QueryPlan {
    let (fields, _) = near_fields();
    let config = Config::builtin();
    let analysis = Analysis::new(&config).expect("built-in config");
    let gazetteer = Gazetteer::new(&config).expect("built-in gazetteer");
    let mut builder = QueryBuilder::new(
        fields,
        analysis.analyzer("arabic").expect("arabic"),
        analysis.analyzer("arabic_exact").expect("arabic_exact"),
        &config.schema.search,
    )
    .with_match_mode(mode)
    .with_names(
        analysis.name_lexicon(),
        config.lexicon.proclitic_initial_corpus.evidence,
    )
    .with_groups(groups.then_some(&gazetteer))
    .with_vocabulary(Some(vocabulary));
    builder.build(&crate::search::parse::parse(query))
}

fn searched(term: &str, kind: TermKind, field: &'static str, weight: f32) -> SearchedTerm {
    SearchedTerm {
        term: term.to_string(),
        kind,
        field,
        weight,
    }
}

/// The terms of the plan's word `input` of one kind.
fn terms_of(plan: &QueryPlan, input: &str, kind: TermKind) -> Vec<String> {
    let word = plan.words.iter().find(|w| w.input == input).expect(input);
    let found = word.searched.iter().filter(|t| t.kind == kind);
    found.map(|t| t.term.clone()).collect()
}

#[test]
fn a_lexicon_name_is_never_split() {
    // كيدال (Kidal) is a lexicon name: not ك + يدال, the stem of فيدال (Vidal), even
    // where the index holds يدال far more often, and in both query paths.
    let (f, _) = near_fields();
    let vocabulary = CountedVocabulary(vec![(f.text, "كيدال", 40), (f.text, "يدال", 400)]);
    for (query, input, mode) in [
        ("كيدال", "كيدال", MatchMode::Any),
        ("كيدال", "كيدال", MatchMode::Auto),
        ("لكيدال", "لكيدال", MatchMode::Auto),
        ("هجوم كيدال", "كيدال", MatchMode::Auto),
        ("هجوم كيدال", "كيدال", MatchMode::Any),
    ] {
        let plan = plan_named(query, mode, &vocabulary);
        let word = plan.words.iter().find(|w| w.input == input).expect(input);
        assert_eq!(
            word.searched[0],
            searched("كيدال", TermKind::Name, "text", 1.0)
        );
        assert!(
            word.searched.iter().all(|t| t.term == "كيدال"),
            "{query}: {:?}",
            word.searched
        );
        assert!(!plan.ranked_highlights.contains("يدال"), "{query}");
    }
}

#[test]
fn a_variant_appears_in_parsed_with_its_kind_and_weight() {
    let (f, _) = near_fields();
    let weights = default_weights();
    let vocabulary = CountedVocabulary(vec![(f.text, "يشير", 50), (f.text, "تشير", 80)]);
    for mode in [MatchMode::Any, MatchMode::All] {
        let plan = plan_named("يشير", mode, &vocabulary);
        let word = &plan.words[0];
        let person = weights.variants.expect("variants weight");
        let exact = weights.exact.expect("exact weight");
        assert_eq!(
            word.searched,
            vec![
                searched("يشير", TermKind::Stem, "text", 1.0),
                searched("يشير", TermKind::Exact, "text_exact", exact),
                searched("تشير", TermKind::Person, "text", person),
                searched("يشير", TermKind::Title, "title", weights.title),
            ],
            "{mode:?}"
        );
        assert!(person < 1.0, "a variant weighs less than the word typed");
    }
    let plan = plan_named("اعترض", MatchMode::Any, &vocabulary);
    let derived = weights.derived.expect("derived weight");
    assert!(plan.words[0].searched.contains(&searched(
        "اعتراض",
        TermKind::Pattern,
        "text",
        derived
    )));
}

#[test]
fn the_index_evidence_decides_which_variants_are_searched() {
    let (f, _) = near_fields();
    let evidence = Config::builtin().schema.search.expansions;
    let ratio = evidence.max_variant_ratio;
    // A variant far more frequent than the typed word's term is another word…
    let frequent = (10.0 * ratio) as u64 + 1;
    let vocabulary = CountedVocabulary(vec![(f.text, "يشير", 10), (f.text, "تشير", frequent)]);
    let plan = plan_named("يشير", MatchMode::Any, &vocabulary);
    assert!(terms_of(&plan, "يشير", TermKind::Person).is_empty());
    // … one as frequent is searched…
    let vocabulary = CountedVocabulary(vec![(f.text, "يشير", 10), (f.text, "تشير", 10)]);
    let plan = plan_named("يشير", MatchMode::Any, &vocabulary);
    assert_eq!(terms_of(&plan, "يشير", TermKind::Person), vec!["تشير"]);
    // … and so is any variant of a word the index rarely holds.
    let rare = evidence.rare_passages.saturating_sub(1);
    let vocabulary = CountedVocabulary(vec![(f.text, "يشير", rare), (f.text, "تشير", 1000)]);
    let plan = plan_named("يشير", MatchMode::Any, &vocabulary);
    assert_eq!(terms_of(&plan, "يشير", TermKind::Person), vec!["تشير"]);
    // A form the index holds far more often than its rest without the first letter has
    // no proclitic reading (ل + كاليفورنيا): the text side's rule.
    let plan = plan_named("لكاليفورنيا", MatchMode::Any, &CountedVocabulary(vec![]));
    assert!(terms_of(&plan, "لكاليفورنيا", TermKind::Segmentation).contains(&"يفورن".into()));
    let first = Config::builtin().lexicon.proclitic_initial_corpus.evidence;
    let held = first.min_count.max(first.min_ratio.ceil() as u64);
    let vocabulary = CountedVocabulary(vec![(f.text_exact, "لكاليفورنيا", held)]);
    let plan = plan_named("لكاليفورنيا", MatchMode::Any, &vocabulary);
    let kept = terms_of(&plan, "لكاليفورنيا", TermKind::Segmentation);
    assert!(!kept.contains(&"يفورن".into()), "{kept:?}");
}

/// A run of stop words is planned as the disjunction of its words, not as a boolean
/// holding that disjunction alone: tantivy prunes a disjunction of terms (block-max
/// WAND) only when it is the query itself.
#[test]
fn a_lone_clause_is_not_wrapped() {
    let vocabulary = ListedVocabulary {
        terms: Vec::new(),
        near: Vec::new(),
    };
    let plan = plan_with("من هي", MatchMode::Any, default_weights(), &vocabulary);
    let query = plan
        .query
        .downcast_ref::<tantivy::query::BooleanQuery>()
        .expect("a boolean query");
    let occurs: Vec<tantivy::query::Occur> = query.clauses().iter().map(|c| c.0).collect();
    assert_eq!(
        occurs,
        [tantivy::query::Occur::Should, tantivy::query::Occur::Should],
        "the two words, not one boolean wrapped around them"
    );
}

/// A vocabulary of `total` passages with the given document frequencies.
struct SizedVocabulary {
    counts: CountedVocabulary,
    total: u64,
}

impl Vocabulary for SizedVocabulary {
    fn contains(&self, field: Field, term: &str) -> bool {
        self.counts.contains(field, term)
    }
    fn near(&self, field: Field, term: &str, edits: u8, limit: usize) -> Vec<String> {
        self.counts.near(field, term, edits, limit)
    }
    fn doc_freq(&self, field: Field, term: &str) -> u64 {
        self.counts.doc_freq(field, term)
    }
    fn total_docs(&self) -> u64 {
        self.total
    }
}

/// The plan of `query` with the built-in gazetteer expanding group names.
fn plan_grouped(query: &str, vocabulary: &dyn Vocabulary) -> QueryPlan {
    plan_engine(query, MatchMode::Auto, vocabulary, true)
}

/// A group name that is the whole query weighs the group's tag in tiers over the most its
/// own clauses can score, so the tag ranks above every passage that only holds the word;
/// in a longer query the tag adds the weights of schema.json as they are.
#[test]
fn a_group_name_alone_ranks_its_tag_in_tiers() {
    let (f, _) = near_fields();
    // 1,000 passages: فاغنر in 10 of them, in 4 titles (df 4).
    let vocabulary = SizedVocabulary {
        counts: CountedVocabulary(vec![
            (f.text, "فاغنر", 10),
            (f.text_exact, "فاغنر", 10),
            (f.title, "فاغنر", 4),
            (f.text, "سوري", 100),
        ]),
        total: 1000,
    };
    let group_weight = |plan: &QueryPlan| {
        let word = plan
            .words
            .iter()
            .find(|w| w.group.is_some())
            .expect("group");
        assert_eq!(word.group.as_deref(), Some("wagner"));
        let group = word.searched.iter().find(|s| s.kind == TermKind::Group);
        group.expect("the group clause").weight
    };
    let plan = plan_grouped("فاغنر", &vocabulary);
    let clauses: Vec<(&str, TermKind, &str, f32)> = plan.words[0]
        .searched
        .iter()
        .filter(|s| s.kind != TermKind::Group)
        .map(|s| (s.term.as_str(), s.kind, s.field, s.weight))
        .collect();
    assert_eq!(
        clauses,
        vec![
            ("فاغنر", TermKind::Name, "text", 1.0),
            ("فاغنر", TermKind::Exact, "text_exact", 0.3),
            ("فاغنر", TermKind::Title, "title", 1.5),
        ]
    );
    // idf = ln(1 + (N − n + 0.5) / (n + 0.5)): n = 10 → ln(95.333) = 4.5574,
    // n = 4 → ln(222.44) = 5.4047; the bound is 2.2 × (1 × 4.5574 + 0.3 × 4.5574 +
    // 1.5 × 5.4047) = 2.2 × 14.0316 = 30.870, and (1 + own) × 30.870 = 61.74.
    let own = Config::builtin().schema.search.group_weights.own;
    assert_eq!(own, 1.0);
    let tiered = group_weight(&plan);
    assert!((tiered - 61.74).abs() < 0.01, "{tiered}");
    // A filter or an exclusion beside it leaves the name alone.
    for query in ["فاغنر outlet:BBC", "فاغنر -سوريا"] {
        let w = group_weight(&plan_grouped(query, &vocabulary));
        assert!((w - 61.74).abs() < 0.01, "{query}: {w}");
    }
    // Beside another word, the tag adds its weight as schema.json writes it.
    assert_eq!(group_weight(&plan_grouped("فاغنر سوريا", &vocabulary)), own);
    // An OR of two names of the group is a name alone: each alternative's tag in tiers
    // over its own clauses. فاجنر is folded to فاغنر by the name lexicon, so both have
    // the bound above. An OR with another word is not a name alone.
    let tiers: Vec<f32> = plan_grouped("فاغنر OR فاجنر", &vocabulary)
        .words
        .iter()
        .map(|w| {
            assert_eq!(w.group.as_deref(), Some("wagner"), "{}", w.input);
            assert_eq!(w.ranked_terms, ["فاغنر"], "{}", w.input);
            w.searched
                .iter()
                .find(|s| s.kind == TermKind::Group)
                .expect("tag")
                .weight
        })
        .collect();
    assert_eq!(tiers.len(), 2);
    assert!(tiers.iter().all(|w| (w - 61.74).abs() < 0.01), "{tiers:?}");
    assert_eq!(
        group_weight(&plan_grouped("فاغنر OR سوريا", &vocabulary)),
        own
    );
    // Without the index's size the bound is 1.
    let unsized_vocabulary = CountedVocabulary(vec![(f.text, "فاغنر", 10)]);
    assert_eq!(
        group_weight(&plan_grouped("فاغنر", &unsized_vocabulary)),
        1.0 + own
    );
}
