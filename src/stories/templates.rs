//! Template shingles: word shingles that recur across many different stories and outlets
//! (the stock phrases of royal telegrams, receptions, weather bulletins, prayer times,
//! market reports). Two different items of one template share most of their shingles,
//! so these are left out of the story signature: what is left is what tells one
//! telegram or one reception from the next (the country, the guest, the figures).
//!
//! The list is learned from an index of the corpus ([`TemplateCounter`], `akhbar story
//! --index IDX --learn-templates`): a shingle found in many different stories of
//! several outlets is a template (undated articles, a third of the corpus, count too:
//! the story, not the day, is the unit) and kept, reviewed, in `index-schema/story-templates.json`: each
//! phrase is a shingle's words as [`super::signature::words`] gives them (folded, the
//! article ال removed), space-separated.

use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

use rustc_hash::{FxHashMap, FxHashSet};
use serde::{Deserialize, Serialize};

use super::signature::{combine, words};
use crate::config::ConfigError;

/// The compiled-in template shingles.
pub const DEFAULT_TEMPLATES_JSON: &str = include_str!("../../index-schema/story-templates.json");

/// `story-templates.json`.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TemplatesFile {
    #[serde(default)]
    pub about: String,
    /// How the list was learned (the command's settings), for the record.
    #[serde(default)]
    pub learned: BTreeMap<String, serde_json::Value>,
    /// Words per phrase: must equal `shingle_words` of `stories.json`.
    pub shingle_words: usize,
    pub phrases: Vec<String>,
}

/// The hashes of the template shingles (as [`super::signature`] hashes shingles).
#[derive(Clone, Default, PartialEq, Eq)]
pub struct TemplateShingles {
    hashes: FxHashSet<u64>,
    /// One bit per value of a hash's top [`FILTER_BITS`] bits, set for each template:
    /// most shingles are not templates and stop at this small table (256 KiB, it stays
    /// in cache) instead of probing the set.
    filter: Vec<u64>,
}

/// Bits of a shingle hash that index [`TemplateShingles`]'s filter.
const FILTER_BITS: u32 = 21;

impl TemplateShingles {
    fn new(hashes: FxHashSet<u64>) -> TemplateShingles {
        let mut filter = Vec::new();
        if !hashes.is_empty() {
            filter = vec![0u64; 1 << (FILTER_BITS - 6)];
            for &h in &hashes {
                let b = (h >> (64 - FILTER_BITS)) as usize;
                filter[b >> 6] |= 1 << (b & 63);
            }
        }
        TemplateShingles { hashes, filter }
    }
}

impl std::fmt::Debug for TemplateShingles {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "TemplateShingles({} shingles)", self.hashes.len())
    }
}

impl TemplateShingles {
    /// Parses and checks `story-templates.json` for shingles of `shingle_words` words.
    pub fn from_json(json: &str, shingle_words: usize) -> Result<TemplateShingles, ConfigError> {
        let file: TemplatesFile =
            serde_json::from_str(json).map_err(|source| ConfigError::Parse {
                what: "story-templates.json".into(),
                source,
            })?;
        if file.shingle_words != shingle_words {
            return Err(ConfigError::Invalid(format!(
                "story-templates.json: phrases of {} words, but stories.json has shingle_words {shingle_words}",
                file.shingle_words
            )));
        }
        let mut hashes = FxHashSet::default();
        for (i, phrase) in file.phrases.iter().enumerate() {
            let ws: Vec<&str> = phrase.split(' ').collect();
            if ws.len() != shingle_words || ws.iter().any(|w| w.is_empty()) {
                return Err(ConfigError::Invalid(format!(
                    "story-templates.json: phrase {} `{phrase}` is not {shingle_words} words separated by one space",
                    i + 1
                )));
            }
            hashes.insert(phrase_hash(&ws));
        }
        Ok(TemplateShingles::new(hashes))
    }

    /// The compiled-in list for `shingle_words`-word shingles (none for another width).
    pub fn builtin(shingle_words: usize) -> Arc<TemplateShingles> {
        static BUILTIN: OnceLock<(usize, Arc<TemplateShingles>)> = OnceLock::new();
        let (width, set) = BUILTIN.get_or_init(|| {
            let file: TemplatesFile = serde_json::from_str(DEFAULT_TEMPLATES_JSON)
                .expect("the compiled-in story-templates.json is valid (checked by tests)");
            let set = TemplateShingles::from_json(DEFAULT_TEMPLATES_JSON, file.shingle_words)
                .expect("the compiled-in story-templates.json is valid (checked by tests)");
            (file.shingle_words, Arc::new(set))
        });
        if *width == shingle_words {
            set.clone()
        } else {
            Arc::new(TemplateShingles::default())
        }
    }

    /// A list of explicit phrases (for tests and tools).
    pub fn of_phrases<'a>(phrases: impl IntoIterator<Item = &'a str>) -> TemplateShingles {
        let hashes = phrases
            .into_iter()
            .map(|p| phrase_hash(&p.split(' ').collect::<Vec<_>>()))
            .collect();
        TemplateShingles::new(hashes)
    }

    /// Whether a shingle hash is a template's.
    #[inline]
    pub fn contains(&self, shingle: u64) -> bool {
        if self.filter.is_empty() {
            return false;
        }
        let b = (shingle >> (64 - FILTER_BITS)) as usize;
        self.filter[b >> 6] & (1 << (b & 63)) != 0 && self.hashes.contains(&shingle)
    }

    pub fn len(&self) -> usize {
        self.hashes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.hashes.is_empty()
    }
}

/// The hash of a shingle given its (already folded) words.
fn phrase_hash(words: &[&str]) -> u64 {
    let hashes: Vec<u64> = words
        .iter()
        .map(|w| xxhash_rust::xxh3::xxh3_64(w.as_bytes()))
        .collect();
    combine(&hashes)
}

/// What the learner keeps of one shingle.
#[derive(Clone, Copy, Debug, Default)]
struct Seen {
    /// The last story counted (articles are counted in story order).
    last_story: u64,
    stories: u32,
    articles: u32,
    /// Outlets, one bit each (by order of first appearance; the corpus has 20).
    outlets: u64,
}

/// The rule: a shingle is a template when it occurs in at least `min_stories` different
/// stories (the copies of one wire count once: a story's own phrases are not a
/// template however many outlets carry it) of at least `min_outlets` outlets.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct LearnSettings {
    pub min_stories: u32,
    pub min_outlets: u32,
}

/// One learned template shingle.
#[derive(Clone, Debug, Serialize)]
pub struct Learned {
    pub phrase: String,
    pub stories: u32,
    pub outlets: u32,
    pub articles: u32,
}

/// One article to learn from.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Sample {
    pub story: u64,
    pub outlet: String,
    /// Its passages, one per line.
    pub text: String,
}

/// Counts, for every shingle, the stories and outlets it occurs in. Articles must be
/// added in story order (see [`learn`]).
#[derive(Default)]
pub struct TemplateCounter {
    seen: FxHashMap<u64, Seen>,
    /// A phrase for each shingle that passed the rule (its words, to write the list).
    phrases: FxHashMap<u64, String>,
    outlets: FxHashMap<String, u32>,
    last_story: Option<u64>,
}

impl TemplateCounter {
    /// Adds one article (its story not before the last one added); its text's shingles
    /// count once each.
    pub fn add(&mut self, sample: &Sample, n: usize, rule: &LearnSettings) {
        debug_assert!(
            self.last_story.is_none_or(|s| s <= sample.story),
            "stories in order"
        );
        self.last_story = Some(sample.story);
        let next = self.outlets.len() as u32;
        let slot = *self.outlets.entry(sample.outlet.clone()).or_insert(next);
        let bit = 1u64 << slot.min(63);
        let ws = words(&sample.text);
        let mut done: FxHashSet<u64> = FxHashSet::default();
        for window in ws.windows(n.max(1)) {
            let refs: Vec<&str> = window.iter().map(String::as_str).collect();
            let h = phrase_hash(&refs);
            if !done.insert(h) {
                continue;
            }
            let s = self.seen.entry(h).or_default();
            if s.stories == 0 || s.last_story != sample.story {
                s.stories += 1;
                s.last_story = sample.story;
            }
            s.articles += 1;
            s.outlets |= bit;
            if s.stories >= rule.min_stories && s.outlets.count_ones() >= rule.min_outlets {
                self.phrases.entry(h).or_insert_with(|| refs.join(" "));
            }
        }
    }

    /// The template shingles by the rule, in most stories first (ties: the phrase).
    pub fn learned(&self) -> Vec<Learned> {
        let mut out: Vec<Learned> = self
            .phrases
            .iter()
            .filter_map(|(h, phrase)| {
                let s = self.seen.get(h)?;
                Some(Learned {
                    phrase: phrase.clone(),
                    stories: s.stories,
                    outlets: s.outlets.count_ones(),
                    articles: s.articles,
                })
            })
            .collect();
        out.sort_by(|a, b| {
            b.stories
                .cmp(&a.stories)
                .then_with(|| a.phrase.cmp(&b.phrase))
        });
        out
    }
}

/// Learns the template shingles of some articles, given in any order.
pub fn learn(mut samples: Vec<Sample>, shingle_words: usize, rule: &LearnSettings) -> Vec<Learned> {
    samples.sort();
    let mut counter = TemplateCounter::default();
    for sample in &samples {
        counter.add(sample, shingle_words, rule);
    }
    counter.learned()
}

/// The data file for a learned list.
pub fn file_of(learned: &[Learned], shingle_words: usize, rule: &LearnSettings) -> TemplatesFile {
    let mut settings = BTreeMap::new();
    settings.insert("min_stories".into(), rule.min_stories.into());
    settings.insert("min_outlets".into(), rule.min_outlets.into());
    TemplatesFile {
        about: String::new(),
        learned: settings,
        shingle_words,
        phrases: learned.iter().map(|l| l.phrase.clone()).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RULE: LearnSettings = LearnSettings {
        min_stories: 3,
        min_outlets: 2,
    };

    fn sample(story: u64, outlet: &str, text: &str) -> Sample {
        Sample {
            story,
            outlet: outlet.into(),
            text: text.into(),
        }
    }

    #[test]
    fn a_phrase_in_many_stories_of_many_outlets_is_a_template() {
        // "بعث خادم الحرمين برقية الى رئيس" opens three telegrams (three stories) in two
        // outlets; "زلزال ضرب مدينة شرق البلاد" is one story, carried by three outlets.
        let samples = vec![
            sample(1, "SPA", "بعث خادم الحرمين برقية الى رئيس فرنسا"),
            sample(2, "Okaz", "بعث خادم الحرمين برقية الى رئيس مالي"),
            sample(3, "SPA", "بعث خادم الحرمين برقية الى رئيس تونس"),
            sample(5, "SPA", "زلزال ضرب مدينة شرق البلاد"),
            sample(5, "Okaz", "زلزال ضرب مدينة شرق البلاد"),
            sample(5, "Sabq", "زلزال ضرب مدينة شرق البلاد"),
        ];
        let learned = learn(samples, 3, &RULE);
        let phrases: Vec<&str> = learned.iter().map(|l| l.phrase.as_str()).collect();
        assert_eq!(
            phrases,
            [
                "برقيه الي رئيس",
                "بعث خادم حرمين",
                "حرمين برقيه الي",
                "خادم حرمين برقيه"
            ]
        );
        let first = &learned[0];
        assert_eq!((first.stories, first.outlets, first.articles), (3, 2, 3));
    }

    #[test]
    fn one_outlet_or_one_story_is_not_enough() {
        // Three stories of one outlet; one story of three outlets.
        let samples = vec![
            sample(1, "SPA", "نشرة الطقس اليوم"),
            sample(2, "SPA", "نشرة الطقس اليوم"),
            sample(3, "SPA", "نشرة الطقس اليوم"),
            sample(4, "SPA", "سقوط طائرة ركاب"),
            sample(4, "Okaz", "سقوط طائرة ركاب"),
            sample(4, "Sabq", "سقوط طائرة ركاب"),
        ];
        assert!(learn(samples, 3, &RULE).is_empty());
    }

    #[test]
    fn a_repeat_within_an_article_counts_once() {
        let mut c = TemplateCounter::default();
        c.add(&sample(1, "SPA", "الف باء جيم الف باء جيم"), 3, &RULE);
        let s = c.seen.get(&phrase_hash(&["الف", "باء", "جيم"])).unwrap();
        assert_eq!((s.stories, s.articles), (1, 1));
    }

    #[test]
    fn the_data_file_round_trips_and_is_checked() {
        let learned = vec![Learned {
            phrase: "بعث خادم حرمين".into(),
            stories: 3,
            outlets: 2,
            articles: 3,
        }];
        let json = serde_json::to_string(&file_of(&learned, 3, &RULE)).unwrap();
        let set = TemplateShingles::from_json(&json, 3).unwrap();
        assert_eq!(set.len(), 1);
        assert_eq!(set, TemplateShingles::of_phrases(["بعث خادم حرمين"]));
        let err = TemplateShingles::from_json(&json, 4)
            .unwrap_err()
            .to_string();
        assert!(err.contains("shingle_words 4"), "{err}");
        let bad = r#"{"shingle_words": 3, "phrases": ["two words"]}"#;
        let err = TemplateShingles::from_json(bad, 3).unwrap_err().to_string();
        assert!(err.contains("phrase 1 `two words`"), "{err}");
    }

    #[test]
    fn contains_finds_exactly_the_listed_shingles() {
        let set = TemplateShingles::of_phrases(["بعث خادم حرمين", "برقيه الي رئيس"]);
        assert!(set.contains(phrase_hash(&["بعث", "خادم", "حرمين"])));
        assert!(set.contains(phrase_hash(&["برقيه", "الي", "رئيس"])));
        assert!(!set.contains(phrase_hash(&["برقيه", "الي", "ملك"])));
        assert!(!TemplateShingles::default().contains(phrase_hash(&["بعث", "خادم", "حرمين"])));
    }

    #[test]
    fn the_builtin_list_parses() {
        let stories = crate::stories::StorySettings::builtin();
        let set = TemplateShingles::builtin(stories.shingle_words);
        let file: TemplatesFile = serde_json::from_str(DEFAULT_TEMPLATES_JSON).unwrap();
        assert_eq!(set.len(), file.phrases.len());
    }
}
