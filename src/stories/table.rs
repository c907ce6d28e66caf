//! The story table: every article's signature and story, with LSH band buckets.

use std::sync::Arc;

use anyhow::Context;
use rustc_hash::{FxHashMap, FxHashSet};

use super::signature::Signature;
use super::StorySettings;
use crate::index::AkhbarIndex;

/// One article in the table.
#[derive(Clone, Debug)]
pub struct Entry {
    pub source: Arc<str>,
    pub story: u64,
    pub sig: Option<Signature>,
    /// Publication day (days since 1970), if dated.
    pub day: Option<i64>,
}

/// The articles in one band bucket: most buckets hold one, kept without an allocation.
#[derive(Clone, Debug)]
enum Bucket {
    One(u64),
    Many(Vec<u64>),
}

impl Bucket {
    fn as_slice(&self) -> &[u64] {
        match self {
            Bucket::One(k) => std::slice::from_ref(k),
            Bucket::Many(v) => v,
        }
    }

    fn push(&mut self, key: u64) {
        match self {
            Bucket::One(k) => *self = Bucket::Many(vec![*k, key]),
            Bucket::Many(v) => v.push(key),
        }
    }

    /// Removes `key`; true when the bucket is then empty.
    fn remove(&mut self, key: u64) -> bool {
        match self {
            Bucket::One(k) => *k == key,
            Bucket::Many(v) => {
                v.retain(|&k| k != key);
                v.is_empty()
            }
        }
    }
}

/// Articles by `article_key`, their band buckets, and the articles of each record.
#[derive(Clone, Debug)]
pub struct StoryTable {
    settings: StorySettings,
    entries: FxHashMap<u64, Entry>,
    buckets: FxHashMap<u64, Bucket>,
    by_source: FxHashMap<Arc<str>, Vec<u64>>,
    /// The earliest publication day of each story's articles.
    first_day: FxHashMap<u64, i64>,
}

impl StoryTable {
    pub fn new(settings: StorySettings) -> StoryTable {
        StoryTable {
            settings,
            entries: FxHashMap::default(),
            buckets: FxHashMap::default(),
            by_source: FxHashMap::default(),
            first_day: FxHashMap::default(),
        }
    }

    pub fn settings(&self) -> &StorySettings {
        &self.settings
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn get(&self, key: u64) -> Option<&Entry> {
        self.entries.get(&key)
    }

    /// Rebuilds the table from an index: each article's first passage holds its story
    /// and signature.
    pub fn load(idx: &AkhbarIndex, settings: StorySettings) -> anyhow::Result<StoryTable> {
        let mut table = StoryTable::new(settings);
        let reader = idx.reader()?;
        let searcher = reader.searcher();
        let mut buf = String::new();
        let mut values = Vec::with_capacity(super::signature::WORDS);
        for segment in searcher.segment_readers() {
            let ff = segment.fast_fields();
            let sources = ff
                .str("source_id")?
                .context("the index has no source_id fast field")?;
            let keys = ff.u64("article_key")?;
            let ordinals = ff.u64("ordinal")?;
            let stories = ff.u64("story")?;
            let sigs = ff.u64("story_sig")?;
            let published = ff.date("published")?;
            let alive = segment.alive_bitset();
            for doc in 0..segment.max_doc() {
                if alive.is_some_and(|a| !a.is_alive(doc)) || ordinals.first(doc) != Some(0) {
                    continue;
                }
                let (Some(key), Some(story)) = (keys.first(doc), stories.first(doc)) else {
                    continue;
                };
                let Some(ord) = sources.term_ords(doc).next() else {
                    continue;
                };
                buf.clear();
                sources.ord_to_str(ord, &mut buf)?;
                values.clear();
                values.extend(sigs.values_for_doc(doc));
                let sig = Signature::from_values(&values);
                let day = published
                    .first(doc)
                    .map(|d| d.into_timestamp_secs().div_euclid(86_400));
                table.insert(key, Arc::from(buf.as_str()), story, sig, day);
            }
        }
        Ok(table)
    }

    /// Adds an article.
    pub fn insert(
        &mut self,
        key: u64,
        source: Arc<str>,
        story: u64,
        sig: Option<Signature>,
        day: Option<i64>,
    ) {
        if let Some(sig) = &sig {
            for band in sig.band_keys(self.settings.band_rows) {
                match self.buckets.get_mut(&band) {
                    Some(b) => b.push(key),
                    None => {
                        self.buckets.insert(band, Bucket::One(key));
                    }
                }
            }
        }
        self.by_source.entry(source.clone()).or_default().push(key);
        if let Some(day) = day {
            let first = self.first_day.entry(story).or_insert(day);
            *first = (*first).min(day);
        }
        self.entries.insert(
            key,
            Entry {
                source,
                story,
                sig,
                day,
            },
        );
    }

    /// Takes out every article of a record; returns `(article key, story)` of each.
    pub fn remove_source(&mut self, source: &str) -> Vec<(u64, u64)> {
        let Some(keys) = self.by_source.remove(source) else {
            return Vec::new();
        };
        let mut out = Vec::with_capacity(keys.len());
        for key in keys {
            let Some(entry) = self.entries.remove(&key) else {
                continue;
            };
            if let Some(sig) = &entry.sig {
                for band in sig.band_keys(self.settings.band_rows) {
                    if self.buckets.get_mut(&band).is_some_and(|b| b.remove(key)) {
                        self.buckets.remove(&band);
                    }
                }
            }
            out.push((key, entry.story));
        }
        out
    }

    /// Every article and its entry (in no particular order).
    pub fn iter(&self) -> impl Iterator<Item = (&u64, &Entry)> {
        self.entries.iter()
    }

    /// The articles sharing a usable band bucket with `sig` at or above the threshold,
    /// with their similarity, best first (ties: the smaller key).
    /// An article published on `day` is only compared with articles published within
    /// `max_days_apart` days of it (undated articles with any).
    pub fn neighbours(&self, sig: &Signature, day: Option<i64>) -> Vec<(u64, f64)> {
        self.neighbours_from(sig, day, self.settings.threshold)
    }

    /// [`Self::neighbours`] down to similarity `min` (near misses, for judging).
    pub fn neighbours_from(&self, sig: &Signature, day: Option<i64>, min: f64) -> Vec<(u64, f64)> {
        let near = |other: Option<i64>| match (day, other) {
            (Some(a), Some(b)) => (a - b).abs() <= self.settings.max_days_apart,
            _ => true,
        };
        let mut seen: FxHashSet<u64> = FxHashSet::default();
        let mut out = Vec::new();
        for band in sig.band_keys(self.settings.band_rows) {
            let Some(bucket) = self.buckets.get(&band).map(Bucket::as_slice) else {
                continue;
            };
            if bucket.len() > self.settings.max_bucket {
                continue;
            }
            for &key in bucket {
                if !seen.insert(key) {
                    continue;
                }
                let Some(entry) = self.entries.get(&key).filter(|e| near(e.day)) else {
                    continue;
                };
                if let Some(other) = &entry.sig {
                    let s = sig.similarity(other);
                    if s >= min {
                        out.push((key, s));
                    }
                }
            }
        }
        out.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        out
    }

    /// Places a new article: it joins the story of its most similar article at or above
    /// the threshold whose story began within `max_days_apart` of it (so a chain of
    /// look-alike daily items does not drift into one story), else starts `fresh`.
    /// Returns its story.
    pub fn assign(
        &mut self,
        key: u64,
        source: Arc<str>,
        sig: Option<Signature>,
        day: Option<i64>,
        fresh: u64,
    ) -> u64 {
        let max_days = self.settings.max_days_apart;
        let story = sig
            .as_ref()
            .and_then(|s| {
                self.neighbours(s, day)
                    .into_iter()
                    .filter(|(k, _)| *k != key)
                    .filter_map(|(k, _)| self.entries.get(&k).map(|e| e.story))
                    .find(|story| match (day, self.first_day.get(story)) {
                        (Some(d), Some(&first)) => (d - first).abs() <= max_days,
                        _ => true,
                    })
            })
            .unwrap_or(fresh);
        self.insert(key, source, story, sig, day);
        story
    }

    /// The members of each story among `stories`, by key.
    fn members(&self, stories: &FxHashSet<u64>) -> FxHashMap<u64, Vec<u64>> {
        let mut out: FxHashMap<u64, Vec<u64>> = FxHashMap::default();
        for (&key, e) in &self.entries {
            if stories.contains(&e.story) {
                out.entry(e.story).or_default().push(key);
            }
        }
        for keys in out.values_mut() {
            keys.sort_unstable();
        }
        out
    }

    /// Re-checks stories that lost an article (update or prune): the remaining copies
    /// are split into groups connected by similarity at or above the threshold; the
    /// largest group (ties: the one with the smallest key) keeps the story, each other
    /// group gets a story of its own. Returns `(article key, new story)` for every
    /// article whose story changes (and changes it in the table).
    pub fn recheck(&mut self, stories: &FxHashSet<u64>) -> Vec<(u64, u64)> {
        let mut changes = Vec::new();
        let members = self.members(stories);
        let mut ordered: Vec<(&u64, &Vec<u64>)> = members.iter().collect();
        ordered.sort();
        for (&story, keys) in ordered {
            let groups = self.components(keys);
            if groups.len() < 2 {
                continue;
            }
            let keep = (0..groups.len())
                .max_by(|&a, &b| {
                    groups[a]
                        .len()
                        .cmp(&groups[b].len())
                        .then(groups[b][0].cmp(&groups[a][0]))
                })
                .unwrap_or(0);
            for (i, group) in groups.iter().enumerate() {
                if i == keep {
                    continue;
                }
                let new_story = super::fresh_story(&format!("split:{story:016x}"), group[0]);
                for &key in group {
                    changes.push((key, new_story));
                }
            }
        }
        for &(key, story) in &changes {
            if let Some(e) = self.entries.get_mut(&key) {
                e.story = story;
            }
        }
        changes
    }

    /// Connected groups among `keys` (sorted), each sorted, by their smallest key.
    fn components(&self, keys: &[u64]) -> Vec<Vec<u64>> {
        let index: FxHashMap<u64, usize> = keys.iter().enumerate().map(|(i, &k)| (k, i)).collect();
        let mut parent: Vec<usize> = (0..keys.len()).collect();
        fn root(parent: &mut [usize], mut i: usize) -> usize {
            while parent[i] != i {
                parent[i] = parent[parent[i]];
                i = parent[i];
            }
            i
        }
        for (i, key) in keys.iter().enumerate() {
            let Some((sig, day)) = self
                .entries
                .get(key)
                .and_then(|e| Some((e.sig.as_ref()?, e.day)))
            else {
                continue;
            };
            for (other, _) in self.neighbours(sig, day) {
                if let Some(&j) = index.get(&other) {
                    let (a, b) = (root(&mut parent, i), root(&mut parent, j));
                    if a != b {
                        parent[a.max(b)] = a.min(b);
                    }
                }
            }
        }
        let mut groups: FxHashMap<usize, Vec<u64>> = FxHashMap::default();
        for (i, &key) in keys.iter().enumerate() {
            let r = root(&mut parent, i);
            groups.entry(r).or_default().push(key);
        }
        let mut out: Vec<Vec<u64>> = groups.into_values().collect();
        out.sort();
        out
    }

    /// The records (source ids) of some articles.
    pub fn sources_of(&self, keys: impl IntoIterator<Item = u64>) -> Vec<Arc<str>> {
        let mut out: Vec<Arc<str>> = keys
            .into_iter()
            .filter_map(|k| self.entries.get(&k).map(|e| e.source.clone()))
            .collect();
        out.sort();
        out.dedup();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> StorySettings {
        StorySettings::builtin()
    }

    fn text(seed: &str, n: usize) -> String {
        (0..n)
            .map(|i| format!("{seed}{i}"))
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn sig(t: &str) -> Option<Signature> {
        settings().sign([t])
    }

    #[test]
    fn a_copy_joins_and_a_different_text_does_not() {
        let mut t = StoryTable::new(settings());
        let a = text("w", 150);
        let s1 = t.assign(1, "a".into(), sig(&a), None, 100);
        assert_eq!(s1, 100);
        // The same wire with a paragraph added: joins story 100.
        let b = format!("{a} {}", text("extra", 30));
        assert_eq!(t.assign(2, "b".into(), sig(&b), None, 200), 100);
        // Another story: its own.
        assert_eq!(
            t.assign(3, "c".into(), sig(&text("v", 150)), None, 300),
            300
        );
        // Too short to sign: its own.
        assert_eq!(t.assign(4, "d".into(), sig("قصير جدا"), None, 400), 400);
        assert_eq!(t.len(), 4);
    }

    #[test]
    fn below_the_threshold_stays_apart() {
        let mut t = StoryTable::new(settings());
        let a = text("w", 100);
        t.assign(1, "a".into(), sig(&a), None, 100);
        // Half the words replaced: Jaccard of the 3-word shingles far below 0.5.
        let b: Vec<String> = (0..100)
            .map(|i| {
                if i % 2 == 0 {
                    format!("w{i}")
                } else {
                    format!("x{i}")
                }
            })
            .collect();
        assert_eq!(t.assign(2, "b".into(), sig(&b.join(" ")), None, 200), 200);
    }

    #[test]
    fn removing_a_bridge_splits_the_story() {
        let mut t = StoryTable::new(settings());
        // a ~ b ~ c, but a and c share too little: one story through b.
        let words: Vec<String> = (0..300).map(|i| format!("w{i}")).collect();
        let a = words[0..180].join(" ");
        let b = words[0..250].join(" ");
        let c = words[70..250].join(" ");
        let sa = sig(&a).unwrap();
        let sc = sig(&c).unwrap();
        assert!(sa.similarity(&sc) < 0.5, "{}", sa.similarity(&sc));
        t.assign(1, "a".into(), Some(sa), None, 100);
        assert_eq!(t.assign(2, "b".into(), sig(&b), None, 200), 100);
        assert_eq!(t.assign(3, "c".into(), Some(sc), None, 300), 100);
        let removed = t.remove_source("b");
        assert_eq!(removed, vec![(2, 100)]);
        let changes = t.recheck(&[100].into_iter().collect());
        // a keeps 100 (ties by size: smallest key), c gets a story of its own.
        assert_eq!(changes.len(), 1);
        assert_eq!(changes[0].0, 3);
        assert_ne!(changes[0].1, 100);
        assert_eq!(t.get(1).unwrap().story, 100);
        assert_eq!(t.get(3).unwrap().story, changes[0].1);
        // A story that stays connected changes nothing.
        assert!(t.recheck(&[100].into_iter().collect()).is_empty());
    }

    #[test]
    fn copies_are_published_within_days_of_each_other() {
        let mut t = StoryTable::new(settings());
        let a = text("w", 150);
        let days = settings().max_days_apart;
        t.assign(1, "a".into(), sig(&a), Some(1000), 100);
        // The same text a day later joins; a week later it is another item.
        assert_eq!(t.assign(2, "b".into(), sig(&a), Some(1001), 200), 100);
        assert_eq!(t.assign(3, "c".into(), sig(&a), Some(1000 + 7), 300), 300);
        // Undated copies compare with any.
        assert_eq!(t.assign(4, "d".into(), sig(&a), None, 400), 100);
        // A chain does not drift: close to copy 2 but too far from the story's first day
        // (and too far from copy 3 to be compared with it).
        assert_eq!(
            t.assign(5, "e".into(), sig(&a), Some(1001 + days), 500),
            500
        );
    }

    #[test]
    fn remove_source_takes_every_article_and_its_buckets() {
        let mut t = StoryTable::new(settings());
        let a = text("w", 150);
        t.assign(1, "page".into(), sig(&a), None, 100);
        t.assign(2, "page".into(), sig(&text("v", 150)), None, 200);
        assert_eq!(t.remove_source("page").len(), 2);
        assert!(t.is_empty());
        assert!(t.buckets.is_empty());
        assert_eq!(t.assign(3, "x".into(), sig(&a), None, 300), 300);
    }
}
