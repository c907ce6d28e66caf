//! The prefilter: which passages can mention a group at all (most cannot, and are not
//! analysed).

use std::collections::BTreeMap;

use aho_corasick::{AhoCorasick, AhoCorasickKind};
use anyhow::Context;

use super::Gazetteer;
use crate::analysis::normalize::{for_each_skeleton_byte, normalize_phrase, skeleton_into};

impl Gazetteer {
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
}

/// The prefilter: every word of a name leaves one of a few substrings in the normalised
/// text (its skeleton, [`skeleton_into`]), so a passage can mention a name only if a form
/// of each of the name's words is in it. Most passages hold none; of those that hold a
/// first word (حركة, جماعة, القاعدة…), few hold the rest of a name.
#[derive(Clone, Debug)]
pub(super) struct Prefilter {
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
    pub(super) fn new<'a>(
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
    // A word's sense marker (ساحل#sahel, the Sahel's term) is not written in the text.
    let word = word.split('#').next().unwrap_or(word);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    fn gazetteer() -> Gazetteer {
        Gazetteer::new(&Config::builtin()).expect("built-in gazetteer compiles")
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
}
