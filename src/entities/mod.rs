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
//! (Why one file of 950 lines: the matcher, the tagger and the prefilter read the same
//! compiled tables; a third of it is the tests at the bottom.)

pub mod decide;

use std::collections::BTreeMap;

use aho_corasick::{AhoCorasick, AhoCorasickKind};
use anyhow::Context;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use tantivy::tokenizer::TextAnalyzer;

use crate::analysis::clitics::{is_proclitic_letter, ARTICLE, ARTICLE_PROCLITICS, PROCLITICS};
use crate::analysis::normalize::{
    for_each_skeleton_byte, is_arabic_letter, normalize_phrase, skeleton_into,
};
use crate::analysis::senses::bare;
use crate::analysis::{analyze, Analysis};
use crate::config::Config;

/// A group as the gazetteer knows it.
#[derive(Clone, Debug, Serialize)]
pub struct GroupInfo {
    pub id: String,
    /// Display names by language (`ar`, `en`, `fr`).
    pub display: BTreeMap<String, String>,
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
        // Token sequence → tags (several groups may share a name: فاغنر is Wagner's own
        // name and a weak related name of Africa Corps).
        let mut sequences: BTreeMap<Vec<String>, Vec<Tag>> = BTreeMap::new();
        let mut excluded: Vec<Vec<String>> = Vec::new();
        let terms = |analyzer: &mut TextAnalyzer, name: &str| -> Vec<String> {
            analyze(analyzer, name)
                .into_iter()
                .map(|t| t.term)
                .collect()
        };
        for (group, entry) in entities.groups.iter().enumerate() {
            g.groups.push(GroupInfo {
                id: entry.id.clone(),
                display: entry.display.clone(),
            });
            let names = entry.names.iter().map(|n| (n, true, 1.0));
            let related = entry.related.iter().map(|r| (&r.name, false, r.weight));
            for (name, own, weight) in names.chain(related) {
                let seq = terms(&mut analyzer, name);
                if seq.is_empty() {
                    anyhow::bail!("entities.json: `{name}` has no searchable characters");
                }
                if own {
                    g.own_names.entry(seq.clone()).or_insert(group);
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
                let seq = terms(&mut analyzer, name);
                if !seq.is_empty() {
                    excluded.push(seq);
                }
            }
        }
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

    /// Every mention of a group in `text`, in order.
    pub fn mentions(&self, text: &str) -> Vec<Mention> {
        self.mentions_with(&mut self.analyzer(), text)
    }

    /// [`Gazetteer::mentions`] with a given analyzer (a clone of [`Gazetteer::analyzer`]).
    pub fn mentions_with(&self, analyzer: &mut TextAnalyzer, text: &str) -> Vec<Mention> {
        // Terms go into one buffer (no allocation per token), with a standalone و joined
        // to the next Arabic word (الإسلام و المسلمين).
        let mut arena = String::new();
        let mut spans = Vec::new();
        type Spans = Vec<(usize, usize, usize, usize)>;
        fn push(arena: &mut String, spans: &mut Spans, parts: &[&str], start: usize, end: usize) {
            let a = arena.len();
            for part in parts {
                arena.push_str(part);
            }
            spans.push((a, arena.len(), start, end));
        }
        let mut stream = analyzer.token_stream(text);
        let mut pending_waw: Option<usize> = None;
        let w = "و";
        while let Some(t) = stream.next() {
            if t.text == w {
                if let Some(start) = pending_waw.replace(t.offset_from) {
                    push(&mut arena, &mut spans, &[w], start, start + w.len());
                }
                continue;
            }
            let (term, start, end) = (t.text.as_str(), t.offset_from, t.offset_to);
            match pending_waw.take() {
                Some(waw) if term.chars().next().is_some_and(is_arabic_letter) => {
                    push(&mut arena, &mut spans, &[w, term], waw, end)
                }
                Some(waw) => {
                    push(&mut arena, &mut spans, &[w], waw, waw + w.len());
                    push(&mut arena, &mut spans, &[term], start, end);
                }
                None => push(&mut arena, &mut spans, &[term], start, end),
            }
        }
        let tokens: Vec<(&str, usize, usize)> = spans
            .iter()
            .map(|&(a, b, start, end)| (&arena[a..b], start, end))
            .collect();
        let mut out = Vec::new();
        let mut i = 0;
        while i < tokens.len() {
            let Some(entries) = self.by_first.get(tokens[i].0) else {
                i += 1;
                continue;
            };
            let found = entries.iter().find(|e| {
                tokens.len() > i + e.rest.len()
                    && e.rest
                        .iter()
                        .zip(&tokens[i + 1..])
                        .all(|(want, got)| want.as_str() == got.0)
            });
            let Some(entry) = found else {
                i += 1;
                continue;
            };
            let (start, end) = (tokens[i].1, tokens[i + entry.rest.len()].2);
            if !entry.tags.is_empty() {
                let spelling = spelling_of(&text[start..end], tokens[i].0, entry.strip);
                let before = i.checked_sub(1).map(|j| bare(tokens[j].0).to_string());
                let after = tokens
                    .get(i + 1 + entry.rest.len())
                    .map(|t| bare(t.0).to_string());
                for tag in &entry.tags {
                    out.push(Mention {
                        group: tag.group,
                        name: entry.name,
                        own: tag.own,
                        weight: tag.weight,
                        start,
                        end,
                        spelling: spelling.clone(),
                        before: before.clone(),
                        after: after.clone(),
                    });
                }
            }
            i += 1 + entry.rest.len();
        }
        out
    }

    /// False when `text` cannot mention any group (no name's first word in its
    /// normalised form): most passages, which are then not analysed. `skeleton` is a
    /// buffer.
    pub fn may_mention(&self, text: &str, skeleton: &mut Vec<u8>) -> bool {
        if !self.prefilter.has_first(text) {
            return false;
        }
        skeleton_into(text, skeleton);
        self.prefilter.may_match(skeleton)
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

    /// The tags of an article's passages: one list per passage (groups in gazetteer
    /// order), counting the title's mentions for every passage.
    pub fn tag_article(&self, title: Option<&str>, passages: &[&str]) -> Vec<Vec<GroupTag>> {
        let mut analyzer = self.analyzer();
        let n = self.groups.len();
        let mut skeleton = Vec::new();
        let mut title_mentions = match title {
            Some(t) if self.may_mention(t, &mut skeleton) => self.mentions_with(&mut analyzer, t),
            _ => Vec::new(),
        };
        let mut bodies: Vec<Vec<Mention>> = passages
            .iter()
            .map(|text| match self.may_mention(text, &mut skeleton) {
                true => self.mentions_with(&mut analyzer, text),
                false => Vec::new(),
            })
            .collect();
        let mut set_aside = self.settle(
            &mut analyzer,
            title,
            passages,
            &mut title_mentions,
            &mut bodies,
        );
        let mut out = Vec::with_capacity(passages.len());
        for (ordinal, body) in bodies.iter().enumerate() {
            if body.is_empty() && title_mentions.is_empty() {
                out.push(self.set_aside_only(std::mem::take(&mut set_aside[ordinal])));
                continue;
            }
            let mut tags: Vec<GroupTag> = vec![GroupTag::default(); n];
            // Related names count once each towards the threshold: three mentions of
            // فاغنر (0.2 for Africa Corps) do not make a passage about Africa Corps.
            let mut related_weight = vec![0f32; n];
            let mut counted: Vec<(usize, usize)> = Vec::new();
            for (m, in_title) in body
                .iter()
                .map(|m| (m, false))
                .chain(title_mentions.iter().map(|m| (m, true)))
            {
                let tag = &mut tags[m.group];
                let factor = if in_title { self.title_factor } else { 1.0 };
                tag.strength += m.weight * factor;
                match (m.own, in_title) {
                    (true, false) => tag.own += 1,
                    (true, true) => tag.title_own += 1,
                    (false, false) => tag.related += 1,
                    (false, true) => tag.title_related += 1,
                }
                if !m.own && !counted.contains(&(m.group, m.name)) {
                    counted.push((m.group, m.name));
                    related_weight[m.group] += m.weight;
                }
                if !in_title || ordinal == 0 {
                    *tag.spellings.entry(m.spelling.clone()).or_insert(0) += 1;
                }
            }
            let mut aside = std::mem::take(&mut set_aside[ordinal]);
            let mut kept = Vec::new();
            for (g, mut tag) in tags.into_iter().enumerate() {
                tag.group = self.groups[g].id.clone();
                tag.set_aside = decide::take_group(&mut aside, &tag.group, &self.name_rules);
                // Weights are tenths: compare with a little slack for float sums.
                tag.tagged = tag.by_own_name() || related_weight[g] + 1e-4 >= self.tag_threshold;
                if tag.tagged {
                    tag.strength = (tag.strength * 100.0).round() / 100.0;
                    kept.push(tag);
                } else if !tag.set_aside.is_empty() {
                    kept.push(GroupTag {
                        group: tag.group,
                        set_aside: tag.set_aside,
                        tagged: false,
                        ..GroupTag::default()
                    });
                }
            }
            kept.extend(self.set_aside_only(aside));
            out.push(kept);
        }
        out
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

/// The prefilter: every word of a name leaves one of a few substrings in the normalised
/// text (its skeleton, [`skeleton_into`]), so a passage can mention a name only if a form
/// of each of the name's words is in it. Most passages hold none; of those that hold a
/// first word (حركة, جماعة, القاعدة…), few hold the rest of a name.
#[derive(Clone, Debug)]
struct Prefilter {
    /// The forms of each name's first word (of those asked for), as skeletons: most
    /// passages have none, and are rejected by one pass of this automaton over their
    /// skeleton as it is computed, stopping at the first match.
    first: aho_corasick::dfa::DFA,
    /// The forms of all words, as skeletons.
    forms: AhoCorasick,
    /// Per form (pattern id): the words it stands for.
    form_words: Vec<Vec<usize>>,
    /// Per tagged name: the words it needs.
    names: Vec<Vec<usize>>,
    words: usize,
}

impl Default for Prefilter {
    /// Lets nothing through.
    fn default() -> Self {
        Prefilter {
            first: aho_corasick::dfa::DFA::new(Vec::<&str>::new())
                .expect("an empty automaton builds"),
            forms: AhoCorasick::new(Vec::<&str>::new()).expect("an empty automaton builds"),
            form_words: Vec::new(),
            names: Vec::new(),
            words: 0,
        }
    }
}

impl Prefilter {
    /// From the tagged names as term sequences and the lexicon (whose names the analyzer
    /// folds from other spellings).
    fn new<'a>(
        names: impl Iterator<Item = &'a Vec<String>>,
        lexicon: &[crate::config::NameEntry],
    ) -> anyhow::Result<Prefilter> {
        let mut word_ids: BTreeMap<&str, usize> = BTreeMap::new();
        let mut needs = Vec::new();
        for name in names {
            // Words of one or two letters (في) are everywhere: not worth asking for,
            // unless the name has nothing else.
            let long = |w: &&String| w.chars().count() >= 3;
            let all_short = !name.iter().any(|w| long(&w));
            let mut need: Vec<usize> = Vec::new();
            for word in name.iter().filter(|w| all_short || long(w)) {
                let next = word_ids.len();
                let id = *word_ids.entry(word.as_str()).or_insert(next);
                if !need.contains(&id) {
                    need.push(id);
                }
            }
            needs.push(need);
        }
        let firsts: Vec<usize> = needs
            .iter()
            .filter_map(|need| need.first().copied())
            .collect();
        let mut forms: BTreeMap<Vec<u8>, Vec<usize>> = BTreeMap::new();
        let mut first_forms = std::collections::BTreeSet::new();
        for (word, &id) in &word_ids {
            for form in word_forms(word, lexicon) {
                let mut skeleton = Vec::new();
                skeleton_into(&form, &mut skeleton);
                if firsts.contains(&id) {
                    first_forms.insert(skeleton.clone());
                }
                let ids = forms.entry(skeleton).or_default();
                if !ids.contains(&id) {
                    ids.push(id);
                }
            }
        }
        // Matched on skeletons (one byte per Arabic letter): half the bytes to scan.
        let automaton = |patterns: Vec<&Vec<u8>>| {
            AhoCorasick::builder()
                .kind(Some(AhoCorasickKind::DFA))
                .build(patterns)
                .context("building the prefilter")
        };
        Ok(Prefilter {
            first: aho_corasick::dfa::DFA::new(&first_forms).context("building the prefilter")?,
            forms: automaton(forms.keys().collect())?,
            form_words: forms.into_values().collect(),
            names: needs,
            words: word_ids.len(),
        })
    }

    /// Whether a form of some name's first word is in `text`'s skeleton.
    fn has_first(&self, text: &str) -> bool {
        use aho_corasick::automaton::Automaton;
        let Ok(mut state) = self.first.start_state(aho_corasick::Anchored::No) else {
            return true; // cannot tell: let it through
        };
        // The walk stops (returns false) at the first match.
        !for_each_skeleton_byte(text, |b| {
            state = self.first.next_state(aho_corasick::Anchored::No, state, b);
            !self.first.is_match(state)
        })
    }

    /// Whether every word of some name has a form in `skeleton`.
    fn may_match(&self, skeleton: &[u8]) -> bool {
        let mut present: Vec<bool> = Vec::new();
        for m in self.forms.find_overlapping_iter(skeleton) {
            if present.is_empty() {
                present.resize(self.words, false);
            }
            for &word in &self.form_words[m.pattern().as_usize()] {
                present[word] = true;
            }
        }
        !present.is_empty()
            && self
                .names
                .iter()
                .any(|need| need.iter().all(|&word| present[word]))
    }
}

/// The substrings one of which the normalised surface of a token with term `word`
/// contains: the word without its article (proclitics may be glued on instead), with ج
/// and غ exchanged both ways (foreign names are folded), the first word of every
/// spelling of a lexicon name that `word` is the canonical term of, and without a
/// leading و (a standalone و is joined to the next word: الإسلام و المسلمين).
fn word_forms(
    word: &str,
    lexicon: &[crate::config::NameEntry],
) -> std::collections::BTreeSet<String> {
    let mut forms = std::collections::BTreeSet::new();
    let mut add = |word: &str| {
        let bare = match word.strip_prefix("ال") {
            Some(bare) if bare.chars().count() >= 2 => bare,
            _ => word,
        };
        for variant in [
            bare.to_string(),
            bare.replace('ج', "غ"),
            bare.replace('غ', "ج"),
        ] {
            forms.insert(variant);
        }
    };
    add(word);
    if let Some(rest) = word.strip_prefix('و') {
        if rest.chars().count() >= 2 {
            add(rest);
        }
    }
    for name in lexicon {
        let canonical: String = name
            .spellings
            .first()
            .map(|s| normalize_phrase(s).concat())
            .unwrap_or_default();
        if canonical == word {
            for spelling in &name.spellings {
                if let Some(w) = normalize_phrase(spelling).first() {
                    add(w);
                }
            }
        }
    }
    forms
}

/// The keys a first word is looked up under: itself, and with proclitics glued on; with
/// the proclitic letters to strip from the spelling shown.
fn first_word_forms(first: &str) -> Vec<(String, (&'static str, &'static str))> {
    let mut forms = vec![(first.to_string(), ("", ""))];
    if !first.chars().next().is_some_and(is_arabic_letter) {
        return forms;
    }
    match first.strip_prefix(ARTICLE) {
        Some(bare) if bare.chars().count() >= 2 => {
            for (combined, strip) in ARTICLE_PROCLITICS {
                forms.push((format!("{combined}{bare}"), *strip));
            }
        }
        _ => {
            for p in PROCLITICS {
                forms.push((format!("{p}{first}"), (p, "")));
            }
        }
    }
    forms
}

/// The name as written without glued proclitics: the letters the key added (لل gives
/// back the article: للمرتزقة → المرتزقة), or, for a lexicon name whose proclitics the
/// analyzer removed (وفاغنر → فاغنر), leading clitic letters the term does not start with.
fn spelling_of(surface: &str, first_term: &str, strip: (&str, &str)) -> String {
    // Quotes and brackets inside or around the name (متمردي "الطوارق", «القاعدة» في مالي)
    // are not part of the spelling; tatweel and diacritics are.
    let cleaned: String = surface
        .chars()
        .filter(|c| !matches!(c, '"' | '«' | '»' | '“' | '”' | '(' | ')' | '[' | ']'))
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let surface = cleaned.trim_start_matches('\u{0640}');
    let (letters, replacement) = strip;
    if !letters.is_empty() {
        return match surface.strip_prefix(letters) {
            Some(rest) => format!("{replacement}{}", rest.trim_start()),
            None => surface.to_string(),
        };
    }
    let Some(term_first) = first_term.chars().next() else {
        return surface.to_string();
    };
    let mut s = surface;
    while let Some(c) = s.chars().next() {
        if c != term_first && is_proclitic_letter(c) && s.chars().count() > 3 {
            s = &s[c.len_utf8()..];
        } else {
            break;
        }
    }
    s.trim_start().to_string()
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
        assert_eq!(ids, ["wagner", "africa-corps", "csp-dpa", "jnim"]);
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
    fn the_prefilter_lets_every_spelling_through() {
        let g = gazetteer();
        let mut buf = Vec::new();
        for text in [
            "قوات فاغنير",
            "بفـاجنر",
            "ﻓﺎﻏﻨﺮ",
            "للمرتزقة الروس",
            "CSP-DPA",
            "WAGNER",
            "جماعة نصرة الإسلام",
            "نصرة الإسلام و المسلمين",
            "تنسيقية الحركات الأزوادية",
            "فرع تنظيم «القاعدة» في مالي",
            "الفيلق الإفريقي",
        ] {
            assert!(g.may_mention(text, &mut buf), "{text}");
            assert!(!g.mentions(text).is_empty(), "{text}");
        }
        assert!(!g.may_mention("قال وزير الخارجية إن الجيش المالي", &mut buf));
        // The first word of a name without the rest of any name.
        assert!(!g.may_mention("قالت الحركة إن الجماعة غادرت القاعدة", &mut buf));
    }

    /// Every name of entities.json, as written and with clitics, quotes and a standalone
    /// و: wherever it is found, the prefilter lets the text through.
    #[test]
    fn the_prefilter_lets_every_name_through() {
        let g = gazetteer();
        let config = Config::builtin();
        let mut buf = Vec::new();
        let mut checked = 0;
        for entry in &config.entities.groups {
            let related = entry.related.iter().map(|r| &r.name);
            for name in entry.names.iter().chain(related) {
                for text in [
                    name.clone(),
                    format!("قال إن و{name} في"),
                    format!("بـ\"{name}\""),
                    format!("«{}»", name.replace(' ', "  ")),
                    name.replace(" و", " و "),
                ] {
                    if !g.mentions(&text).is_empty() {
                        checked += 1;
                        assert!(g.may_mention(&text, &mut buf), "{text}");
                    }
                }
            }
        }
        assert!(checked > 100, "{checked}");
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
    fn tagging_counts_titles_and_thresholds() {
        let g = gazetteer();
        let tags = g.tag_article(
            Some("«القاعدة» تعلن قتل 50 من المرتزقة الروس"),
            &[
                "قتلت 50 من المرتزقة من مجموعة «فاغنر» الروسية ومرتزقة «فاغنر»",
                "لكنهم مدربون روس يساعدون القوات",
                "نص لا يذكر أحدا",
            ],
        );
        // Passage 0: two own mentions and the title's related one (× 2).
        assert_eq!(
            tags[0],
            vec![GroupTag {
                group: "wagner".into(),
                own: 2,
                related: 0,
                title_own: 0,
                title_related: 1,
                strength: 3.0,
                spellings: [("فاغنر".to_string(), 2), ("المرتزقة الروس".to_string(), 1)]
                    .into_iter()
                    .collect(),
                tagged: true,
                set_aside: Vec::new(),
            }]
        );
        // Passage 1: a weak related name plus the title: tagged, title spelling not
        // repeated after the first passage.
        assert_eq!(tags[1].len(), 1);
        assert_eq!(tags[1][0].strength, 1.3);
        assert_eq!(tags[1][0].spellings.len(), 1);
        // Passage 2: the title alone.
        assert_eq!(tags[2][0].group, "wagner");
        assert!(!tags[2][0].by_own_name());
        // A weak related name repeated does not add up: Wagner ×3 is not Africa Corps.
        let repeated = g.tag_article(None, &["فاغنر ثم فاغنر ثم فاجنر"]);
        assert_eq!(repeated[0].len(), 1);
        assert_eq!(repeated[0][0].group, "wagner");
        // Without the title, the weak name alone does not tag.
        let untitled = g.tag_article(None, &["لكنهم مدربون روس يساعدون القوات"]);
        assert!(untitled[0].is_empty());
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
