//! The four groups as knowledge: a gazetteer compiled from `index-schema/entities.json`,
//! a matcher over a passage's tokens, and per-passage tags.
//!
//! Every name is analysed with the `arabic_exact` analyzer into a token sequence, so
//! whatever the analyzer folds (diacritics, hamza, ta marbuta, tatweel, ج/غ in lexicon
//! names, joined compounds, proclitics on lexicon names such as وفاغنر) is covered without
//! listing variants. The analyzer keeps proclitics on other words (والمرتزقة), so the
//! first word of every name is also known with them (و ف ب ل ك and combinations, وال بال
//! لل … for a word with the article): one hash lookup per token, then a comparison of
//! the following tokens. A standalone و is joined to the next word (الإسلام و المسلمين).
//! At a position the longest name wins; an `exclude` sequence of the same length wins
//! over a name and counts for nothing.
//!
//! Tagging ([`Gazetteer::tag_article`]): a passage is tagged with a group when it or its
//! article's title names the group by an own name, or when the weights of the distinct
//! related names in both reach `tag_threshold`. Its strength is own mentions (weight 1) plus related mentions
//! (their weight), title mentions multiplied by `title_factor`.
//!
//! One home per concern: this file compiles the gazetteer and answers queries about its
//! names; [`matcher`] finds mentions in a text, [`prefilter`] says which texts can hold
//! one, [`tag`] turns an article's mentions into passage tags, [`decide`] settles
//! ambiguous mentions.

pub mod decide;
mod matcher;
mod prefilter;
mod tag;

use std::collections::BTreeMap;

use anyhow::Context;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use tantivy::tokenizer::TextAnalyzer;

use crate::analysis::{analyze, Analysis};
use crate::config::Config;
use matcher::first_word_forms;
use prefilter::Prefilter;

/// A group as the gazetteer knows it.
#[derive(Clone, Debug, Serialize)]
pub struct GroupInfo {
    pub id: String,
    /// Display names by language (`ar`, `en`, `fr`).
    pub display: BTreeMap<String, String>,
    /// When it was founded (`YYYY-MM-DD`), if `entities.json` says.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub founded: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq)]
struct Tag {
    group: usize,
    own: bool,
    weight: f32,
}

/// A name (or exclusion) after its first token.
#[derive(Clone, Debug)]
struct Entry {
    rest: Vec<String>,
    /// Empty for an exclusion.
    tags: Vec<Tag>,
    /// The proclitic letters glued to the first word in this key, stripped from the
    /// spelling shown, and what replaces them (لل → ال).
    strip: (&'static str, &'static str),
    /// Which name (token sequence) this is.
    name: usize,
}

/// One mention of a group in a text.
#[derive(Clone, Debug, PartialEq)]
pub struct Mention {
    /// Index into [`Gazetteer::groups`].
    pub group: usize,
    /// Which name of the gazetteer (the same for all its spellings).
    pub name: usize,
    /// An own name (else a related one).
    pub own: bool,
    pub weight: f32,
    /// Byte offsets of the whole name in the text.
    pub start: usize,
    pub end: usize,
    /// The name as written, without glued proclitics.
    pub spelling: String,
    /// The words right before and after the name, bare (for [`decide`]).
    pub before: Option<String>,
    pub after: Option<String>,
}

/// How a passage is tagged with one group.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct GroupTag {
    /// The group id.
    pub group: String,
    /// Own-name and related-name mentions in the passage.
    pub own: u32,
    pub related: u32,
    /// Own-name and related-name mentions in the article's title.
    pub title_own: u32,
    pub title_related: u32,
    /// Own mentions × 1 + related mentions × their weight, title mentions × title_factor.
    pub strength: f32,
    /// The spellings seen in the passage, with counts (on an article's first passage,
    /// the title's too, so summing over passages counts every title once).
    pub spellings: BTreeMap<String, u32>,
    /// False for an entry that only reports mentions set aside (a footballer called
    /// فاغنر): no facet, no tag terms, not counted.
    #[serde(default = "yes", skip_serializing_if = "Clone::clone")]
    pub tagged: bool,
    /// The group's mentions in this passage (or its title) that were set aside, and why.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub set_aside: Vec<decide::SetAside>,
}

fn yes() -> bool {
    true
}

impl GroupTag {
    /// Whether an own name of the group appears (passage or title).
    pub fn by_own_name(&self) -> bool {
        self.own + self.title_own > 0
    }
}

/// The compiled gazetteer.
#[derive(Clone)]
pub struct Gazetteer {
    groups: Vec<GroupInfo>,
    analyzer: TextAnalyzer,
    by_first: FxHashMap<String, Vec<Entry>>,
    /// Own names as whole token sequences → group (query expansion).
    own_names: FxHashMap<Vec<String>, usize>,
    /// Which passages can mention a group at all: the others are not analysed.
    prefilter: Prefilter,
    /// The groups' ambiguity rules (`ambiguous` in entities.json).
    name_rules: decide::NameRules,
    tag_threshold: f32,
    title_factor: f32,
    /// `entities.json` → `strength_levels`.
    strength_levels: Vec<u32>,
}

impl std::fmt::Debug for Gazetteer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Gazetteer")
            .field("groups", &self.groups)
            .field("keys", &self.by_first.len())
            .finish()
    }
}

impl Gazetteer {
    /// Compiles `config.entities` with the configuration's `arabic_exact` analyzer.
    pub fn new(config: &Config) -> anyhow::Result<Gazetteer> {
        let analysis = Analysis::new(config)?;
        let mut analyzer = analysis
            .analyzer("arabic_exact")
            .context("the gazetteer needs the `arabic_exact` analyzer")?;
        let entities = &config.entities;
        let mut g = Gazetteer {
            groups: Vec::new(),
            analyzer: analyzer.clone(),
            by_first: FxHashMap::default(),
            own_names: FxHashMap::default(),
            prefilter: Prefilter::default(),
            name_rules: decide::NameRules::default(),
            tag_threshold: entities.tag_threshold,
            title_factor: entities.title_factor,
            strength_levels: entities.strength_levels.levels.clone(),
        };
        let (sequences, excluded) = g.read_names(entities, &mut analyzer)?;
        let tagged_names: Vec<Vec<String>> = sequences.keys().cloned().collect();
        let name_index = tagged_names.iter().cloned().zip(0..).collect();
        g.name_rules = decide::NameRules::new(entities, &name_index, &mut analyzer)
            .context("entities.json")?;
        let entries = sequences
            .into_iter()
            .chain(excluded.into_iter().map(|s| (s, Vec::new())));
        for (name, (seq, tags)) in entries.enumerate() {
            let (first, rest) = seq.split_first().expect("sequences are not empty");
            for (key, strip) in first_word_forms(first) {
                g.by_first.entry(key).or_default().push(Entry {
                    rest: rest.to_vec(),
                    tags: tags.clone(),
                    strip,
                    name,
                });
            }
        }
        g.prefilter = Prefilter::new(tagged_names.iter(), &config.lexicon.names)?;
        for entries in g.by_first.values_mut() {
            // Longest first; at equal length an exclusion first.
            entries.sort_by_key(|e| (std::cmp::Reverse(e.rest.len()), !e.tags.is_empty()));
        }
        Ok(g)
    }

    /// The groups' names as token sequences with their tags (several groups may share a
    /// name: فاغنر is Wagner's own name and a weak related name of Africa Corps), and the
    /// exclusions; fills `groups` and `own_names`.
    #[allow(clippy::type_complexity)]
    fn read_names(
        &mut self,
        entities: &crate::config::EntitiesConfig,
        analyzer: &mut TextAnalyzer,
    ) -> anyhow::Result<(BTreeMap<Vec<String>, Vec<Tag>>, Vec<Vec<String>>)> {
        let mut sequences: BTreeMap<Vec<String>, Vec<Tag>> = BTreeMap::new();
        let mut excluded: Vec<Vec<String>> = Vec::new();
        let terms = |analyzer: &mut TextAnalyzer, name: &str| -> Vec<String> {
            analyze(analyzer, name)
                .into_iter()
                .map(|t| t.term)
                .collect()
        };
        for (group, entry) in entities.groups.iter().enumerate() {
            self.groups.push(GroupInfo {
                id: entry.id.clone(),
                display: entry.display.clone(),
                founded: entry.founded.clone(),
            });
            let names = entry.names.iter().map(|n| (n, true, 1.0));
            let related = entry.related.iter().map(|r| (&r.name, false, r.weight));
            for (name, own, weight) in names.chain(related) {
                let seq = terms(analyzer, name);
                if seq.is_empty() {
                    anyhow::bail!("entities.json: `{name}` has no searchable characters");
                }
                if own {
                    self.own_names.entry(seq.clone()).or_insert(group);
                }
                let tags = sequences.entry(seq).or_default();
                match tags.iter_mut().find(|t| t.group == group) {
                    // The stronger reading of a name listed twice for one group.
                    Some(t) if weight > t.weight => *t = Tag { group, own, weight },
                    Some(_) => {}
                    None => tags.push(Tag { group, own, weight }),
                }
            }
            for name in &entry.exclude {
                let seq = terms(analyzer, name);
                if !seq.is_empty() {
                    excluded.push(seq);
                }
            }
        }
        Ok((sequences, excluded))
    }

    /// The groups, in `entities.json` order.
    pub fn groups(&self) -> &[GroupInfo] {
        &self.groups
    }

    /// How much more a title mention counts than a passage mention.
    pub fn title_factor(&self) -> f32 {
        self.title_factor
    }

    /// The index of a group id.
    pub fn group_index(&self, id: &str) -> Option<usize> {
        self.groups.iter().position(|g| g.id == id)
    }

    /// A fresh copy of the analyzer the gazetteer matches with (one per thread).
    pub fn analyzer(&self) -> TextAnalyzer {
        self.analyzer.clone()
    }

    /// The group whose own name `text` is, as a whole (with any proclitic): for query
    /// expansion. `فاجنر`, `Wagner`, `"Africa Corps"`, `وCSP-DPA` → Some.
    pub fn names_group(&self, text: &str) -> Option<usize> {
        let mut analyzer = self.analyzer();
        let mentions = self.mentions_with(&mut analyzer, text);
        let terms: Vec<String> = analyze(&mut analyzer, text)
            .into_iter()
            .map(|t| t.term)
            .collect();
        if let Some(&g) = self.own_names.get(&terms) {
            return Some(g);
        }
        // A proclitic on the first word: one own mention spanning every token.
        let first = analyze(&mut analyzer, text);
        let (Some(a), Some(b)) = (first.first(), first.last()) else {
            return None;
        };
        let own: Vec<&Mention> = mentions.iter().filter(|m| m.own).collect();
        match own.as_slice() {
            [m] if m.start == a.start && m.end == b.end => Some(m.group),
            _ => None,
        }
    }

    /// The terms of a group's one-word own names (for highlighting: فاغنر, wagner, jnim).
    pub fn own_terms(&self, group: usize) -> Vec<String> {
        self.own_names
            .iter()
            .filter(|(seq, g)| **g == group && seq.len() == 1)
            .map(|(seq, _)| seq[0].clone())
            .collect()
    }
}

impl Gazetteer {
    /// The strength levels (`entities.json` → `strength_levels`): a passage named by an
    /// own name with at least this strength gets the term `<id>/<level>` in
    /// `group_terms`.
    pub fn strength_levels(&self) -> &[u32] {
        &self.strength_levels
    }

    /// The terms a tag puts in the index's `group_terms` field, each once: `<id>` when an
    /// own name appears (passage or title), else `<id>/related`; and `<id>/<level>` for
    /// each of the [`Self::strength_levels`] an own-named passage reaches. A query scores
    /// them with constant weights (`search::plan::groups`), so any own-name passage
    /// ranks above any related-only one, and stronger ones above weaker ones, whatever
    /// the field lengths.
    pub fn strength_terms(&self, tag: &GroupTag) -> Vec<String> {
        if !tag.by_own_name() {
            return vec![format!("{}/related", tag.group)];
        }
        let mut terms = vec![tag.group.clone()];
        for level in &self.strength_levels {
            if tag.strength + 1e-4 >= *level as f32 {
                terms.push(format!("{}/{level}", tag.group));
            }
        }
        terms
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gazetteer() -> Gazetteer {
        Gazetteer::new(&Config::builtin()).expect("built-in gazetteer compiles")
    }

    /// (group id, own, spelling) of every mention.
    fn found(text: &str) -> Vec<(String, bool, String)> {
        let g = gazetteer();
        g.mentions(text)
            .into_iter()
            .map(|m| (g.groups()[m.group].id.clone(), m.own, m.spelling))
            .collect()
    }

    /// The groups named by an own name.
    fn ids(text: &str) -> Vec<String> {
        let mut v: Vec<String> = found(text)
            .into_iter()
            .filter(|m| m.1)
            .map(|m| m.0)
            .collect();
        v.dedup();
        v
    }

    #[test]
    fn group_ids_match_the_search_facet_bits() {
        // The search's facet bits are the gazetteer's groups in entities.json order.
        let g = gazetteer();
        let ids: Vec<&str> = g.groups().iter().map(|g| g.id.as_str()).collect();
        let config = Config::builtin();
        let from_data: Vec<&str> = config
            .entities
            .groups
            .iter()
            .map(|g| g.id.as_str())
            .collect();
        assert_eq!(ids, from_data);
        assert_eq!(
            ids,
            ["wagner", "africa-corps", "csp-dpa", "jnim", "islamic-state"]
        );
    }

    #[test]
    fn wagner_in_every_spelling_and_script() {
        for text in [
            "قوات فاغنر",
            "قوات فاجنر",
            "قوات ڤاغنر",
            "عناصر وفاغنر",
            "تابعة لـ\"فاجنر\"",
            "مرتزقة «فـاغنر»",
            "the Wagner Group",
            "PMC Wagner",
        ] {
            assert_eq!(ids(text), vec!["wagner"], "{text}");
        }
        assert_eq!(
            found("تابعة لفاغنر"),
            vec![
                ("wagner".into(), true, "فاغنر".into()),
                ("africa-corps".into(), false, "فاغنر".into())
            ]
        );
    }

    #[test]
    fn related_names_with_clitics_and_their_spellings() {
        assert_eq!(
            found("والمرتزقة الروس"),
            vec![("wagner".into(), false, "المرتزقة الروس".into())]
        );
        assert_eq!(
            found("صور لمرتزقة روس"),
            vec![("wagner".into(), false, "مرتزقة روس".into())]
        );
        assert_eq!(
            found("تسمى بالمرتزقة الروس"),
            vec![("wagner".into(), false, "المرتزقة الروس".into())]
        );
        assert_eq!(
            found("للمرتزقة الروس"),
            vec![("wagner".into(), false, "المرتزقة الروس".into())]
        );
    }

    #[test]
    fn africa_corps_and_its_predecessor() {
        assert_eq!(
            found("عناصر “الفيلق الأفريقي” التابع"),
            vec![
                ("wagner".into(), false, "الفيلق الأفريقي".into()),
                ("africa-corps".into(), true, "الفيلق الأفريقي".into()),
            ]
        );
        let m = found("بوحدات من «فيلق أفريقيا» الروسي");
        assert!(m.contains(&("africa-corps".into(), true, "فيلق أفريقيا".into())));
        assert_eq!(ids("Africa Corps"), vec!["africa-corps"]);
        // الفيلق alone is not the group.
        assert!(found("قائد الفيلق الخامس").is_empty());
        // Rommel's Afrika Korps is not either.
        assert!(found("فيلق أفريقيا الألماني بقيادة روميل").is_empty());
    }

    #[test]
    fn csp_dpa_by_acronym_and_long_names() {
        assert_eq!(
            found("التابعون للإطار الاستراتيجي للدفاع عن شعب أزواد (CSP-DPA) قرب"),
            vec![
                (
                    "csp-dpa".into(),
                    true,
                    "الإطار الاستراتيجي للدفاع عن شعب أزواد".into()
                ),
                ("csp-dpa".into(), true, "CSP-DPA".into()),
            ]
        );
        assert_eq!(
            ids("حركة الإطار الاستراتيجي الدائم للسلام والأمن والتنمية الانفصالية"),
            vec!["csp-dpa"]
        );
        assert_eq!(
            found("مقاتلي جبهة تحرير الأزواد"),
            vec![("csp-dpa".into(), false, "جبهة تحرير الأزواد".into())]
        );
        // CSP alone (solar power) is not the group.
        assert!(found("محطات CSP للطاقة").is_empty());
    }

    #[test]
    fn jnim_and_the_phrase_it_is_named_after() {
        assert_eq!(ids("جماعة «نصرة الإسلام والمسلمين» التابعة"), vec!["jnim"]);
        assert_eq!(ids("وحذّرت «نصرة الإسلام» روسيا"), vec!["jnim"]);
        assert_eq!(ids("JNIM and GSIM"), vec!["jnim"]);
        assert_eq!(ids("نصرة الإسلام و المسلمين"), vec!["jnim"]);
        // "in support of Islam and the Muslims" is not the group.
        assert!(found("جهود المملكة في نصرة الإسلام والمسلمين").is_empty());
        assert!(found("دعا لنصرة الإسلام").is_empty());
        // al-Qaeda alone is not JNIM; its Mali branch is, weakly.
        assert!(found("تنظيم «القاعدة» في اليمن").is_empty());
        assert_eq!(
            found("بيان لفرع القاعدة في مالي"),
            vec![("jnim".into(), false, "فرع القاعدة في مالي".into())]
        );
    }

    #[test]
    fn the_composer_is_not_the_group() {
        assert!(found("أوبرا ريتشارد فاغنر").is_empty());
    }

    #[test]
    fn spellings_lose_quotes_and_clitics() {
        assert_eq!(found("استعان بـ\"فاجنر\"")[0].2, "فاجنر");
        assert_eq!(found("مع متمردي \"الطوارق\" في")[0].2, "متمردي الطوارق");
        assert_eq!(found("وفاغنر")[0].2, "فاغنر");
    }

    #[test]
    fn query_names_a_group() {
        let g = gazetteer();
        let group = |q: &str| g.names_group(q).map(|i| g.groups()[i].id.clone());
        for (q, id) in [
            ("Wagner", "wagner"),
            ("فاجنر", "wagner"),
            ("وفاغنر", "wagner"),
            ("Africa Corps", "africa-corps"),
            ("الفيلق الأفريقي", "africa-corps"),
            ("للفيلق الإفريقي", "africa-corps"),
            ("JNIM", "jnim"),
            ("نصرة الإسلام", "jnim"),
            ("CSP-DPA", "csp-dpa"),
            ("csp dpa", "csp-dpa"),
        ] {
            assert_eq!(group(q).as_deref(), Some(id), "{q}");
        }
        for q in ["فاغنر مالي", "المرتزقة الروس", "مالي", "Africa"] {
            assert_eq!(group(q), None, "{q}");
        }
    }
}
