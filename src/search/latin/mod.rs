//! Names typed in Latin letters (issue 17): `Kidal`, `Tombouctou`, `Wall Street Journal`
//! also search their Arabic spellings (كيدال, تمبكتو, وول ستريت جورنال).
//!
//! - [`LatinNames`] compiles `index-schema/latin-names.json` → `names`: every Latin
//!   spelling, folded (accents, case, hyphens and apostrophes ignored), maps to the name's
//!   Arabic spellings. The Arabic forms are searched like typed Arabic words, so the
//!   analyzer's proclitics, article forms, ج/غ twins and joined compounds of
//!   `lexicon.json` names apply to them; a form's ج/غ twin is searched too when the
//!   index holds it.
//! - A Latin word the list lacks is transliterated ([`rules`]): its candidate spellings
//!   are looked up in one pass over the exact field's term dictionary ([`termset`]), and
//!   the cheapest ones the index holds are searched, below listed names.
//! - The four groups' own names (Wagner, JNIM, CSP-DPA, Africa Corps) are the
//!   gazetteer's (`entities.json`): listing one here is an error, and they are never
//!   transliterated.

pub mod rules;
pub mod termset;

use rustc_hash::{FxHashMap, FxHashSet};
use tantivy::schema::Field;
use unicode_normalization::UnicodeNormalization;

use super::vocabulary::Vocabulary;
use crate::analysis::names::NameLexicon;
use crate::analysis::normalize::{is_arabic_letter, normalize};
use crate::config::{Config, ConfigError, GFolding, LatinNameEntry};
use rules::Transliterator;
use termset::TermSet;

/// The kinds a name may have.
const KINDS: &[&str] = &[
    "place",
    "country",
    "region",
    "person",
    "organisation",
    "agency",
    "people",
    "related",
];
/// Where a name came from (see the `about` of `latin-names.json`).
const SOURCES: &[&str] = &["mined", "seed", "hand"];
/// An all-capitals spelling this short (UN, AU, AFP) matches only typed in capitals.
const CAPITALS_ONLY_MAX: usize = 3;

/// One listed name.
#[derive(Clone, Debug, PartialEq)]
pub struct LatinName {
    pub kind: String,
    /// Its first Latin spelling.
    pub latin: String,
    /// Its Arabic spellings, as written in the list.
    pub arabic: Vec<String>,
}

/// What a typed Latin word or run of words stands for.
#[derive(Clone, Debug, PartialEq)]
pub enum Mapping {
    /// Arabic forms to search too.
    Forms(LatinForms),
    /// One Latin word with no listed name and no transliteration the index holds.
    Unknown,
    /// Not Latin, a group's own name, or a run of words no name matches.
    None,
}

/// The Arabic forms of a typed Latin text.
#[derive(Clone, Debug, PartialEq)]
pub struct LatinForms {
    /// `latin-name` (a listed name) or `transliteration` (the fallback): the `kind` of
    /// these forms in the query plan.
    pub kind: &'static str,
    /// The Arabic forms, in the order to search them.
    pub arabic: Vec<String>,
    /// The weight of their clauses.
    pub weight: f32,
}

impl LatinForms {
    /// The note for the user: `Kidal → كيدال`.
    pub fn note(&self, typed: &str) -> String {
        let forms = self.arabic.join("، ");
        match self.kind {
            "transliteration" => {
                format!("{typed} → {forms} (transliterated: not a listed name)")
            }
            _ => format!("{typed} → {forms}"),
        }
    }
}

/// `latin-names.json`, compiled.
#[derive(Debug)]
pub struct LatinNames {
    names: Vec<LatinName>,
    /// Folded spelling ("tin zaouatene") → name.
    folded: FxHashMap<String, usize>,
    /// Short all-capitals spellings ("UN") → name, matched as typed.
    capitals: FxHashMap<String, usize>,
    /// The most words a spelling has.
    max_words: usize,
    /// Folded Latin own names of the groups: left to the gazetteer.
    group_names: FxHashSet<String>,
    /// Lexicon spellings → the term the exact field holds for them.
    lexicon: NameLexicon,
    weight: f32,
    rules: Transliterator,
}

impl LatinNames {
    /// Compiles and checks `config.latin`.
    pub fn new(config: &Config) -> Result<LatinNames, ConfigError> {
        let latin = &config.latin;
        let bad = |msg: String| Err(ConfigError::Invalid(format!("latin-names.json: {msg}")));
        if !(latin.weight > 0.0 && latin.weight.is_finite()) {
            return bad(format!("weight must be above 0 (got {})", latin.weight));
        }
        let group_names: FxHashSet<String> = config
            .entities
            .groups
            .iter()
            .flat_map(|g| g.names.iter())
            .filter_map(|n| latin_key(n))
            .collect();
        let g_variants = config
            .schema
            .analyzers
            .get("arabic_exact")
            .is_some_and(|a| a.g_folding != GFolding::None);
        let mut compiled = LatinNames {
            names: Vec::with_capacity(latin.names.len()),
            folded: FxHashMap::default(),
            capitals: FxHashMap::default(),
            max_words: 1,
            group_names,
            lexicon: NameLexicon::new(&config.lexicon, g_variants),
            weight: latin.weight,
            rules: Transliterator::new(&latin.transliteration)?,
        };
        for entry in &latin.names {
            compiled.add(entry)?;
        }
        Ok(compiled)
    }

    fn add(&mut self, entry: &LatinNameEntry) -> Result<(), ConfigError> {
        let first = entry.latin.first().map_or("", String::as_str);
        let bad = |msg: String| {
            Err(ConfigError::Invalid(format!(
                "latin-names.json: name `{first}`: {msg}"
            )))
        };
        if entry.latin.is_empty() || entry.arabic.is_empty() {
            return bad("needs Latin and Arabic spellings".into());
        }
        if !KINDS.contains(&entry.kind.as_str()) {
            return bad(format!("kind `{}` is not one of {KINDS:?}", entry.kind));
        }
        if !SOURCES.contains(&entry.source.as_str()) {
            return bad(format!(
                "source `{}` is not one of {SOURCES:?}",
                entry.source
            ));
        }
        if let Some(a) = entry
            .arabic
            .iter()
            .find(|a| !normalize(a).chars().any(is_arabic_letter))
        {
            return bad(format!("`{a}` is not an Arabic spelling"));
        }
        let index = self.names.len();
        for spelling in &entry.latin {
            let Some(key) = latin_key(spelling) else {
                return bad(format!("`{spelling}` is not Latin letters"));
            };
            if self.group_names.contains(&key) {
                return bad(format!(
                    "`{spelling}` is an own name of a group: entities.json is its home"
                ));
            }
            let (map, key) = match capitals_key(spelling) {
                Some(caps) => (&mut self.capitals, caps),
                None => (&mut self.folded, key),
            };
            self.max_words = self.max_words.max(key.split(' ').count());
            if let Some(&other) = map.get(&key) {
                if other != index {
                    let other = &self.names[other].latin;
                    return bad(format!("`{spelling}` is also a spelling of `{other}`"));
                }
            }
            map.insert(key, index);
        }
        self.names.push(LatinName {
            kind: entry.kind.clone(),
            latin: first.to_string(),
            arabic: entry.arabic.clone(),
        });
        Ok(())
    }

    /// How many names the list holds.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// The listed name `text` is, as a whole.
    pub fn lookup(&self, text: &str) -> Option<&LatinName> {
        if let Some(&i) = capitals_key(text).and_then(|caps| self.capitals.get(&caps)) {
            return Some(&self.names[i]);
        }
        let key = latin_key(text)?;
        self.folded.get(&key).map(|&i| &self.names[i])
    }

    /// The last word of the longest run of two or more of `words`, from `k`, that is a
    /// listed name (Wall Street Journal, Tin Zaouatene), for joining them into one clause.
    pub fn name_end(&self, words: &[&str], k: usize) -> Option<usize> {
        let last = words.len().min(k + self.max_words).checked_sub(1)?;
        (k + 1..=last)
            .rev()
            .find(|&end| self.lookup(&words[k..=end].join(" ")).is_some())
    }

    /// Whether `text` is one of the groups' Latin own names (the gazetteer's).
    pub fn is_group_name(&self, text: &str) -> bool {
        latin_key(text).is_some_and(|k| self.group_names.contains(&k))
    }

    /// What `text`, a typed word or phrase, stands for: a listed name's forms; for one
    /// word the list lacks, its transliterations that `field` (the exact field) holds,
    /// when there is a vocabulary; else whether it is an unknown Latin word.
    pub fn map(&self, text: &str, vocabulary: Option<&dyn Vocabulary>, field: Field) -> Mapping {
        if latin_key(text).is_none() || self.is_group_name(text) {
            return Mapping::None;
        }
        if let Some(name) = self.lookup(text) {
            let mut arabic = name.arabic.clone();
            if let Some(vocabulary) = vocabulary {
                arabic.extend(self.present_twins(name, vocabulary, field));
            }
            return Mapping::Forms(LatinForms {
                kind: "latin-name",
                arabic,
                weight: self.weight,
            });
        }
        if text.split_whitespace().count() != 1 {
            return Mapping::None;
        }
        let found = match vocabulary {
            Some(vocabulary) => self.transliterate(text, vocabulary, field),
            None => Vec::new(),
        };
        if found.is_empty() {
            return Mapping::Unknown;
        }
        Mapping::Forms(LatinForms {
            kind: "transliteration",
            arabic: found,
            weight: self.rules.weight,
        })
    }

    /// The ج/غ twins of a name's one-word Arabic forms that are not listed and that the
    /// index holds (غاو's twin جاو is listed; سيغو's twin سيجو is found so).
    fn present_twins(
        &self,
        name: &LatinName,
        vocabulary: &dyn Vocabulary,
        field: Field,
    ) -> Vec<String> {
        let listed: FxHashSet<String> = name.arabic.iter().map(|a| normalize(a)).collect();
        let mut twins = Vec::new();
        for form in name.arabic.iter().filter(|a| !a.contains(' ')) {
            let form = normalize(form);
            for twin in [form.replace('غ', "ج"), form.replace('ج', "غ")] {
                if twin == form || listed.contains(&twin) || twins.contains(&twin) {
                    continue;
                }
                if self.lexicon.lookup(&twin).is_none() && vocabulary.contains(field, &twin) {
                    twins.push(twin);
                }
            }
        }
        twins
    }

    /// The transliterations of `word` that `field` holds, looked up in one pass over the
    /// term dictionary, ranked by document frequency divided by `cost_factor` per cost
    /// step (the usual spelling unless a dearer one is far more frequent: Istanbul →
    /// اسطنبول, not the rare استانبول); at most `max_forms`, none ranked under the best
    /// by more than `cost_factor`. A candidate that is a spelling of a `lexicon.json` name
    /// is looked up as the name's canonical term.
    pub fn transliterate(
        &self,
        word: &str,
        vocabulary: &dyn Vocabulary,
        field: Field,
    ) -> Vec<String> {
        let candidates = self.rules.candidates(word);
        if candidates.is_empty() {
            return Vec::new();
        }
        let mut cost_of: FxHashMap<String, u32> = FxHashMap::default();
        for (spelling, cost) in candidates {
            let term = match self.lexicon.lookup(&spelling) {
                Some(canonical) => canonical.to_string(),
                None => spelling,
            };
            let best = cost_of.entry(term).or_insert(cost);
            *best = (*best).min(cost);
        }
        let set = TermSet::new(cost_of.keys().map(String::as_str));
        let factor = self.rules.cost_factor;
        let mut found: Vec<(f64, String)> = vocabulary
            .present(field, &set)
            .into_iter()
            .filter_map(|(term, freq)| {
                let cost = *cost_of.get(&term)?;
                Some((freq as f64 / factor.powi(cost as i32), term))
            })
            .collect();
        found.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        let Some(best) = found.first().map(|(score, _)| *score) else {
            return Vec::new();
        };
        found.retain(|(score, _)| *score * factor >= best);
        found.truncate(self.rules.max_forms);
        found.into_iter().map(|(_, term)| term).collect()
    }
}

/// A Latin text folded for lookup: accents dropped, lowercase, every run of other
/// characters (spaces, hyphens, apostrophes, dots) one space: `N'Djaména` → `n djamena`,
/// `Bobo-Dioulasso` → `bobo dioulasso`. None when it has a letter that is not Latin
/// (Arabic) or no letter at all.
pub fn latin_key(text: &str) -> Option<String> {
    let mut key = String::with_capacity(text.len());
    let mut letters = false;
    let mut space = false;
    for c in text.nfkd() {
        if unicode_normalization::char::is_combining_mark(c) {
            continue;
        }
        if c.is_ascii_alphanumeric() {
            if space && !key.is_empty() {
                key.push(' ');
            }
            space = false;
            letters |= c.is_ascii_alphabetic();
            key.push(c.to_ascii_lowercase());
        } else if c.is_alphanumeric() {
            return None; // Arabic or another script
        } else {
            space = true;
        }
    }
    letters.then_some(key)
}

/// The key of a short all-capitals spelling (UN, AFP), matched only as typed; None for
/// any other.
fn capitals_key(text: &str) -> Option<String> {
    let caps = (1..=CAPITALS_ONLY_MAX).contains(&text.chars().count())
        && text.chars().all(|c| c.is_ascii_uppercase());
    caps.then(|| text.to_string())
}

#[cfg(test)]
mod tests;
