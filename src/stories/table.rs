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
/// The corpus makes about two million buckets (32 bands per article), 94 % of them
/// with one article: boxing the rare list keeps a bucket at 16 bytes instead of a
/// `Vec`'s 24, which takes about 30 MB off an index run's peak memory.
#[derive(Clone, Debug)]
#[allow(clippy::box_collection)]
enum Bucket {
    One(u64),
    Many(Box<Vec<u64>>),
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
            Bucket::One(k) => *self = Bucket::Many(Box::new(vec![*k, key])),
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
    /// Articles whose story changed after they were placed (a later copy bridged their
    /// story into another), until [`StoryTable::take_relabelled`].
    relabelled: Vec<u64>,
}

impl StoryTable {
    pub fn new(settings: StorySettings) -> StoryTable {
        StoryTable {
            settings,
            entries: FxHashMap::default(),
            buckets: FxHashMap::default(),
            by_source: FxHashMap::default(),
            first_day: FxHashMap::default(),
            relabelled: Vec::new(),
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

    /// The articles sharing a usable band bucket with `sig` that are copies of it by the
    /// join rule ([`Self::joins`]), with their similarity, best first (ties: the smaller
    /// key).
    pub fn neighbours(&self, sig: &Signature, day: Option<i64>) -> Vec<(u64, f64)> {
        let mut out = self.neighbours_from(sig, day, self.settings.threshold);
        out.retain(|&(k, s)| {
            self.entries
                .get(&k)
                .is_some_and(|e| self.joins(s, day, e.day))
        });
        out
    }

    /// The join rule for two articles of similarity `similarity` published on `a` and
    /// `b`: dated pairs need `threshold` (and are within `max_days_apart`, checked by
    /// [`Self::neighbours_from`]); a pair with an undated article needs
    /// `undated_threshold`, since no date tells two days' look-alike items apart.
    pub fn joins(&self, similarity: f64, a: Option<i64>, b: Option<i64>) -> bool {
        let need = match (a, b) {
            (Some(_), Some(_)) => self.settings.threshold,
            _ => self.settings.threshold.max(self.settings.undated_threshold),
        };
        similarity >= need
    }

    /// The articles sharing a usable band bucket with `sig` down to similarity `min` (near
    /// misses, for judging), best first. An article published on `day` is only compared
    /// with articles published within `max_days_apart` days of it (undated articles with
    /// any).
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

    /// Places a new article: it joins the story of its most similar copy ([`Self::neighbours`])
    /// whose story began within `max_days_apart` of it (so a chain of look-alike daily
    /// items does not drift into one story), else starts `fresh`. When its copies are in
    /// several such stories, it bridges them: those it is a close copy of (similarity at
    /// least `merge_threshold`, begun within `max_days_apart` of it) merge into the one
    /// it joins when it is dated (their articles are then listed by
    /// [`Self::take_relabelled`]). Returns its story.
    pub fn assign(
        &mut self,
        key: u64,
        source: Arc<str>,
        sig: Option<Signature>,
        day: Option<i64>,
        fresh: u64,
    ) -> u64 {
        // The stories of its copies, best copy first, each with its best similarity.
        let mut stories: Vec<(u64, f64)> = Vec::new();
        if let Some(s) = &sig {
            for (k, sim) in self.neighbours(s, day) {
                let Some(story) = self.entries.get(&k).filter(|_| k != key).map(|e| e.story) else {
                    continue;
                };
                if !stories.iter().any(|x| x.0 == story) && self.story_near(story, day) {
                    stories.push((story, sim));
                }
            }
        }
        let story = stories.first().map_or(fresh, |x| x.0);
        // A bridge merges only stories it is a close copy of, begun within
        // `max_days_apart` of the one it joins (a merged story spans no more); an undated
        // article shows no two stories are one event, so it merges none.
        let first = self.first_day.get(&story).copied();
        let merged: Vec<u64> = stories
            .iter()
            .skip(1)
            .filter(|(other, sim)| {
                day.is_some()
                    && *sim >= self.settings.merge_threshold
                    && match (first, self.first_day.get(other)) {
                        (Some(a), Some(&b)) => (a - b).abs() <= self.settings.max_days_apart,
                        _ => true,
                    }
            })
            .map(|x| x.0)
            .collect();
        if !merged.is_empty() {
            self.merge(story, &merged);
        }
        self.insert(key, source, story, sig, day);
        story
    }

    /// Whether an article published on `day` may join `story` (its first copy within
    /// `max_days_apart`; undated articles and stories may).
    fn story_near(&self, story: u64, day: Option<i64>) -> bool {
        match (day, self.first_day.get(&story)) {
            (Some(d), Some(&first)) => (d - first).abs() <= self.settings.max_days_apart,
            _ => true,
        }
    }

    /// Moves every article of `others` into `into`.
    fn merge(&mut self, into: u64, others: &[u64]) {
        for (&key, e) in self.entries.iter_mut() {
            if others.contains(&e.story) {
                e.story = into;
                self.relabelled.push(key);
            }
        }
        for other in others {
            if let Some(day) = self.first_day.remove(other) {
                let first = self.first_day.entry(into).or_insert(day);
                *first = (*first).min(day);
            }
        }
    }

    /// The articles whose story changed by a merge since the last call.
    pub fn take_relabelled(&mut self) -> Vec<u64> {
        std::mem::take(&mut self.relabelled)
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
        // The first days of the re-checked stories and of the new ones, from their copies.
        let mut days: FxHashSet<u64> = stories.clone();
        days.extend(changes.iter().map(|c| c.1));
        for story in &days {
            self.first_day.remove(story);
        }
        for e in self.entries.values() {
            if let (true, Some(day)) = (days.contains(&e.story), e.day) {
                let first = self.first_day.entry(e.story).or_insert(day);
                *first = (*first).min(day);
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

    #[test]
    fn a_bucket_is_sixteen_bytes() {
        // Two million of them on the corpus: the layout is part of the memory budget.
        assert_eq!(std::mem::size_of::<Bucket>(), 16);
        let mut b = Bucket::One(7);
        b.push(9);
        assert_eq!(b.as_slice(), [7, 9]);
        assert!(!b.remove(7));
        assert!(b.remove(9));
    }

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

    #[test]
    fn a_copy_of_two_stories_merges_them() {
        let merging = StorySettings {
            merge_threshold: 0.6,
            ..settings()
        };
        let mut t = StoryTable::new(merging.clone());
        // x and y share too little; z contains both.
        let words: Vec<String> = (0..400).map(|i| format!("w{i}")).collect();
        let x = words[0..300].join(" ");
        let y = words[100..400].join(" ");
        let z = words.join(" ");
        let (sx, sy, sz) = (sig(&x).unwrap(), sig(&y).unwrap(), sig(&z).unwrap());
        assert!(sx.similarity(&sy) < 0.6, "{}", sx.similarity(&sy));
        let m = merging.merge_threshold;
        assert!(sx.similarity(&sz) >= m && sy.similarity(&sz) >= m);
        assert_eq!(t.assign(1, "x".into(), Some(sx), Some(10), 100), 100);
        assert_eq!(t.assign(2, "y".into(), Some(sy), Some(10), 200), 200);
        assert!(t.take_relabelled().is_empty());
        let joined = t.assign(3, "z".into(), Some(sz), Some(11), 300);
        assert!(joined == 100 || joined == 200, "{joined}");
        assert_eq!(t.get(1).unwrap().story, joined);
        assert_eq!(t.get(2).unwrap().story, joined);
        // The article moved is listed once, for the writer to rewrite.
        let moved = t.take_relabelled();
        assert_eq!(moved, [if joined == 100 { 2 } else { 1 }]);
        assert!(t.take_relabelled().is_empty());
        // Without the bridge, the story splits again.
        t.remove_source("z");
        assert_eq!(t.recheck(&[joined].into_iter().collect()).len(), 1);
        assert_ne!(t.get(1).unwrap().story, t.get(2).unwrap().story);
    }

    #[test]
    fn undated_pairs_need_the_undated_threshold() {
        let strict = StorySettings {
            undated_threshold: 0.95,
            ..settings()
        };
        let words: Vec<String> = (0..200).map(|i| format!("w{i}")).collect();
        let a = words[..180].join(" ");
        let b = words[20..].join(" ");
        let s = sig(&a).unwrap().similarity(&sig(&b).unwrap());
        assert!((0.6..0.95).contains(&s), "{s}");
        let mut t = StoryTable::new(strict.clone());
        t.assign(1, "a".into(), sig(&a), None, 100);
        assert_eq!(
            t.assign(2, "b".into(), sig(&b), Some(5), 200),
            200,
            "undated: apart"
        );
        let mut t = StoryTable::new(strict);
        t.assign(1, "a".into(), sig(&a), Some(5), 100);
        assert_eq!(
            t.assign(2, "b".into(), sig(&b), Some(5), 200),
            100,
            "dated: joined"
        );
    }
}
