//! Collapsing while collecting: [`TopArticles`] keeps the best passage score of every
//! article it has seen and tells tantivy's block-max WAND the score of the k-th best
//! article, so a passage at or below it (it cannot change the top k) is skipped with its
//! block of postings.

use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;
use std::sync::atomic::{AtomicU32, Ordering as AtomicOrdering};

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::query::Weight;
use tantivy::{DocAddress, DocId, Score, SegmentOrdinal, SegmentReader, TantivyError};

use super::{ArticleColumns, Candidate};

/// A passage's article, numbered within its segment and qualified by the segment: equal
/// for the passages of one article in one segment, unique over segments.
pub(super) fn segment_article(
    column: Option<&Column<u64>>,
    segment: SegmentOrdinal,
    doc: DocId,
) -> u64 {
    let number = column.and_then(|c| c.first(doc)).unwrap_or(doc as u64);
    ((segment as u64) << 32) | (number & 0xFFFF_FFFF)
}

/// Collects the best `k` articles (an article scored by its best passage), with WAND
/// pruning below the k-th best article. The fruit holds the two best passages of each of
/// those articles, so a later stage can rescore more than one passage per article.
pub struct TopArticles {
    k: usize,
    articles: ArticleColumns,
    /// Whether an article's second passage is kept only when it scores above the k-th
    /// article ([`TopArticles::seconds_above_kth`]).
    seconds_above_kth: bool,
    /// The best threshold a finished segment reached (f32 bits): k articles of that
    /// segment score above it, so the global top k does too, and the next segment can
    /// start pruning there instead of from nothing.
    shared_threshold: AtomicU32,
}

impl TopArticles {
    /// The best `k` articles scoring above `start` (`Score::MIN`: all).
    pub fn new(k: usize, articles: ArticleColumns, start: Score) -> TopArticles {
        TopArticles {
            k,
            articles,
            seconds_above_kth: false,
            shared_threshold: AtomicU32::new(start.to_bits()),
        }
    }

    /// Keeps an article's second passage only when it scores above the k-th article,
    /// so that the fruit is the same from any `start` below the k-th article's score.
    ///
    /// WAND hands over a passage only above the threshold reached when it is met, and
    /// the threshold never passes the k-th article's final score: the top k articles,
    /// and every passage above that score, are found from any such start. A second
    /// passage at or below it is found or not depending on how far the threshold had
    /// climbed when it was met, which depends on the start. With fewer than k articles
    /// the threshold never left the start, and every passage above it is kept.
    pub fn seconds_above_kth(mut self) -> TopArticles {
        self.seconds_above_kth = true;
        self
    }

    fn raise_shared_threshold(&self, threshold: Score) {
        let mut current = self.shared_threshold.load(AtomicOrdering::Relaxed);
        while threshold > f32::from_bits(current) {
            match self.shared_threshold.compare_exchange_weak(
                current,
                threshold.to_bits(),
                AtomicOrdering::Relaxed,
                AtomicOrdering::Relaxed,
            ) {
                Ok(_) => break,
                Err(seen) => current = seen,
            }
        }
    }
}

impl Collector for TopArticles {
    type Fruit = Vec<Candidate>;
    type Child = TopArticlesSegment;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        _reader: &SegmentReader,
    ) -> tantivy::Result<TopArticlesSegment> {
        let articles = self.articles.get(segment as usize).cloned().flatten();
        Ok(TopArticlesSegment {
            segment,
            articles,
            buffer: ArticleBuffer::new(self.k),
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(&self, fruits: Vec<Vec<Candidate>>) -> tantivy::Result<Vec<Candidate>> {
        let all: Vec<Candidate> = fruits.into_iter().flatten().collect();
        // Keep the passages of the best k articles over all segments. In a segment's
        // fruit an article's passages are consecutive, its best first
        // ([`ArticleBuffer::into_passages`]), and its key names its segment: the first
        // passage of each run is the article's best, and no hash map is needed.
        let runs = || {
            let mut last = None;
            all.iter().map(move |&(score, _, key)| {
                let first = last != Some(key);
                last = Some(key);
                (first, score, key)
            })
        };
        let mut bests: Vec<(Score, u64)> = runs()
            .filter(|(first, _, _)| *first)
            .map(|(_, score, key)| (score, key))
            .collect();
        if bests.len() < self.k || (bests.len() == self.k && !self.seconds_above_kth) {
            return Ok(all);
        }
        // Best first: higher score, then lower key.
        let order = |a: &(Score, u64), b: &(Score, u64)| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1));
        let kth = *bests.select_nth_unstable_by(self.k - 1, order).1;
        let mut keep = false;
        let kept = runs()
            .zip(&all)
            .filter(|((first, score, key), _)| {
                if *first {
                    keep = order(&(*score, *key), &kth) != Ordering::Greater;
                    return keep;
                }
                keep && (!self.seconds_above_kth || *score > kth.0)
            })
            .map(|(_, candidate)| *candidate)
            .collect();
        Ok(kept)
    }

    fn collect_segment(
        &self,
        weight: &dyn Weight,
        segment_ord: u32,
        reader: &SegmentReader,
    ) -> tantivy::Result<Vec<Candidate>> {
        let mut child = self.for_segment(segment_ord, reader)?;
        let start = f32::from_bits(self.shared_threshold.load(AtomicOrdering::Relaxed));
        child.buffer.threshold = start;
        let alive = reader.alive_bitset();
        weight.for_each_pruning(start, reader, &mut |doc, score| {
            if alive.is_some_and(|a| a.is_deleted(doc)) {
                return child.buffer.threshold;
            }
            child.push(doc, score)
        })?;
        let fruit = child.harvest_with_threshold();
        self.raise_shared_threshold(fruit.1);
        Ok(fruit.0)
    }

    fn check_schema(&self, _schema: &tantivy::schema::Schema) -> tantivy::Result<()> {
        if self.k == 0 {
            return Err(TantivyError::InvalidArgument("top 0 articles".into()));
        }
        Ok(())
    }
}

pub struct TopArticlesSegment {
    segment: SegmentOrdinal,
    articles: Option<Column<u64>>,
    buffer: ArticleBuffer,
}

impl TopArticlesSegment {
    /// The candidates, and the threshold reached (of the k-th best article, once there
    /// are k).
    fn harvest_with_threshold(self) -> (Vec<Candidate>, Score) {
        let segment = self.segment;
        let (passages, threshold) = self.buffer.into_passages();
        let candidates = passages
            .into_iter()
            .map(|(score, doc, key)| (score, DocAddress::new(segment, doc), key))
            .collect();
        (candidates, threshold)
    }

    fn push(&mut self, doc: DocId, score: Score) -> Score {
        let key = segment_article(self.articles.as_ref(), self.segment, doc);
        self.buffer.push(doc, score, key)
    }
}

impl SegmentCollector for TopArticlesSegment {
    type Fruit = Vec<Candidate>;

    fn collect(&mut self, doc: DocId, score: Score) {
        self.push(doc, score);
    }

    fn harvest(self) -> Vec<Candidate> {
        self.harvest_with_threshold().0
    }
}

/// An article's best score in the heap; the smallest entry is the article that would
/// rank last (lowest score, then highest key).
#[derive(Clone, Copy, Debug)]
struct ArticleEntry {
    score: Score,
    key: u64,
}

impl Ord for ArticleEntry {
    fn cmp(&self, other: &Self) -> Ordering {
        self.score
            .total_cmp(&other.score)
            .then(other.key.cmp(&self.key))
    }
}
impl PartialOrd for ArticleEntry {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl PartialEq for ArticleEntry {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for ArticleEntry {}

/// An article's two best passages so far (by base score): the candidates a later stage
/// rescores. More would rarely change an article's best passage and cost a seek each.
#[derive(Clone, Copy, Debug)]
struct ArticleSlot {
    best: (Score, DocId),
    second: Option<(Score, DocId)>,
}

impl ArticleSlot {
    fn new(score: Score, doc: DocId) -> ArticleSlot {
        ArticleSlot {
            best: (score, doc),
            second: None,
        }
    }

    fn add(&mut self, score: Score, doc: DocId) {
        if score > self.best.0 {
            self.second = Some(self.best);
            self.best = (score, doc);
        } else if self.second.is_none_or(|(s, _)| score > s) {
            self.second = Some((score, doc));
        }
    }
}

/// One of the best `k` articles: its best score (the heap's order) and best passages.
#[derive(Clone, Copy, Debug)]
struct Ranked {
    entry: ArticleEntry,
    slot: ArticleSlot,
}

impl Ord for Ranked {
    fn cmp(&self, other: &Self) -> Ordering {
        self.entry.cmp(&other.entry)
    }
}
impl PartialOrd for Ranked {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl PartialEq for Ranked {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Ranked {}

/// The best `k` articles seen so far in one segment.
///
/// The passages of an article are consecutive documents (an article is written in one
/// batch), so the article being read is kept apart (`open`) and enters the top k once,
/// when a passage of another article arrives: a passage costs a comparison, an article
/// entering the top k a heap operation. An article met again later (an index written
/// before articles were kept whole) is merged, not duplicated: a bit per article
/// number says which articles entered the top k, and only those are looked for.
struct ArticleBuffer {
    k: usize,
    /// The article being read: key and best passages.
    open: Option<(u64, ArticleSlot)>,
    /// Min-heap of the top k articles with their best passages: the first is the
    /// article that ranks last.
    top: BinaryHeap<Reverse<Ranked>>,
    /// One bit per article number (the key's low 32 bits): set once the article
    /// entered the top k (it may have left it since).
    entered: Vec<u64>,
    /// The k-th best article's score once there are k articles: nothing at or below it
    /// can enter the top k.
    threshold: Score,
}

impl ArticleBuffer {
    fn new(k: usize) -> ArticleBuffer {
        let k = k.max(1);
        ArticleBuffer {
            k,
            open: None,
            top: BinaryHeap::with_capacity(k),
            entered: Vec::new(),
            threshold: Score::MIN,
        }
    }

    /// Adds a passage; returns the threshold.
    fn push(&mut self, doc: DocId, score: Score, key: u64) -> Score {
        match &mut self.open {
            Some((open_key, slot)) if *open_key == key => slot.add(score, doc),
            _ => {
                if let Some((open_key, slot)) = self.open.take() {
                    self.close(open_key, slot);
                }
                if score >= self.threshold {
                    self.open = Some((key, ArticleSlot::new(score, doc)));
                }
            }
        }
        self.threshold
    }

    /// The bit of `key`'s article number: (word, mask), the words grown to hold it.
    fn bit(&mut self, key: u64) -> (usize, u64) {
        let number = (key & 0xFFFF_FFFF) as usize;
        let word = number / 64;
        if word >= self.entered.len() {
            self.entered.resize(word + 1, 0);
        }
        (word, 1 << (number % 64))
    }

    /// An article read in full competes for the top k.
    fn close(&mut self, key: u64, slot: ArticleSlot) {
        if slot.best.0 < self.threshold {
            return;
        }
        let (word, mask) = self.bit(key);
        if self.entered[word] & mask != 0 && self.merge(key, slot) {
            return;
        }
        let ranked = Ranked {
            entry: ArticleEntry {
                score: slot.best.0,
                key,
            },
            slot,
        };
        if self.top.len() < self.k {
            self.top.push(Reverse(ranked));
        } else {
            // One article too many: the one that ranks last leaves (maybe this one).
            match self.top.peek_mut() {
                Some(mut last) if ranked > last.0 => *last = Reverse(ranked),
                _ => return,
            }
        }
        self.entered[word] |= mask;
        self.update_threshold();
    }

    /// Merges an article met before into its place among the top k; false when it is
    /// not there (it left), and is new again.
    fn merge(&mut self, key: u64, slot: ArticleSlot) -> bool {
        let mut top = std::mem::take(&mut self.top).into_vec();
        let found = top.iter_mut().find(|r| r.0.entry.key == key);
        let merged = found.is_some();
        if let Some(Reverse(kept)) = found {
            kept.slot.add(slot.best.0, slot.best.1);
            if let Some((score, doc)) = slot.second {
                kept.slot.add(score, doc);
            }
            kept.entry.score = kept.slot.best.0;
        }
        self.top = BinaryHeap::from(top);
        if merged {
            self.update_threshold();
        }
        merged
    }

    fn update_threshold(&mut self) {
        if self.top.len() == self.k {
            if let Some(last) = self.top.peek() {
                self.threshold = last.0.entry.score;
            }
        }
    }

    /// The best passages of the top k articles: (score, doc, article key); and the
    /// threshold, if there are k articles.
    fn into_passages(mut self) -> (Vec<(Score, DocId, u64)>, Score) {
        if let Some((key, slot)) = self.open.take() {
            self.close(key, slot);
        }
        let threshold = if self.top.len() >= self.k {
            self.threshold
        } else {
            Score::MIN
        };
        let mut out = Vec::with_capacity(self.top.len() * 2);
        for Reverse(Ranked { entry, slot }) in self.top {
            out.push((slot.best.0, slot.best.1, entry.key));
            if let Some((score, doc)) = slot.second {
                out.push((score, doc, entry.key));
            }
        }
        (out, threshold)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    /// What a buffer of the best `k` articles keeps of `passages` (doc, score, article),
    /// in document order.
    fn kept(k: usize, passages: &[(DocId, Score, u64)]) -> Vec<(Score, DocId, u64)> {
        let mut buffer = ArticleBuffer::new(k);
        for &(doc, score, key) in passages {
            buffer.push(doc, score, key);
        }
        let mut kept = buffer.into_passages().0;
        kept.sort_by_key(|p| p.1);
        kept
    }

    #[test]
    fn the_buffer_keeps_the_best_k_articles_and_their_passages() {
        let passages = kept(
            2,
            &[
                (0, 1.0, 10),
                (1, 5.0, 11),
                (2, 3.0, 12),
                (3, 4.0, 10), // article 10 improves from 1.0 to 4.0
                (4, 2.0, 13), // below the 2nd best article (4.0): cannot enter
                (5, 4.5, 12), // article 12 improves to 4.5 and pushes 10 out
            ],
        );
        // Article 12 left the top 2 when 10 reached 4.0 and came back with 4.5: what it
        // had before (3.0) fell below the threshold with it.
        assert_eq!(passages, vec![(5.0, 1, 11), (4.5, 5, 12)]);
    }

    #[test]
    fn an_article_keeps_its_two_best_passages() {
        let passages = kept(
            5,
            &[
                (0, 1.0, 9),
                (1, 3.0, 9),
                (2, 2.0, 9),
                (3, 0.5, 9),
                (4, 2.5, 9),
            ],
        );
        assert_eq!(passages, vec![(3.0, 1, 9), (2.5, 4, 9)]);
    }

    #[test]
    fn an_article_met_again_is_merged() {
        let passages = kept(2, &[(0, 1.0, 1), (1, 2.0, 2), (2, 3.0, 1), (3, 0.5, 3)]);
        assert_eq!(passages, vec![(1.0, 0, 1), (2.0, 1, 2), (3.0, 2, 1)]);
    }

    /// Segments' fruits merged: the passages of the best k articles over all segments
    /// (an article by its best passage; equal scores: the lower key), in fruit order.
    #[test]
    fn merging_keeps_the_passages_of_the_best_k_articles() {
        let at = |segment, doc| DocAddress::new(segment, doc);
        let collector = TopArticles::new(2, Arc::new(Vec::new()), Score::MIN);
        let first: Vec<Candidate> =
            vec![(3.0, at(0, 4), 1), (1.0, at(0, 5), 1), (5.0, at(0, 9), 2)];
        let second: Vec<Candidate> = vec![
            (3.0, at(1, 0), (1 << 32) | 1),
            (2.5, at(1, 1), (1 << 32) | 1),
            (4.0, at(1, 7), (1 << 32) | 3),
        ];
        let merged = collector
            .merge_fruits(vec![first.clone(), second])
            .expect("merge");
        assert_eq!(
            merged,
            vec![(5.0, at(0, 9), 2), (4.0, at(1, 7), (1 << 32) | 3)]
        );
        // A tie at the k-th place goes to the lower key: 1 before 1 << 32 | 1, both at
        // 3.0 (2 is first at 5.0, 2 << 32 last at 0.5).
        let collector = TopArticles::new(2, Arc::new(Vec::new()), Score::MIN);
        let tied: Vec<Candidate> = vec![(3.0, at(1, 0), (1 << 32) | 1)];
        let merged = collector
            .merge_fruits(vec![first.clone(), tied, vec![(0.5, at(2, 0), 2 << 32)]])
            .expect("merge");
        assert_eq!(merged, first);
    }

    /// What one segment hands over from `start` as WAND does: a passage only above the
    /// threshold the buffer has reached when it is met.
    fn collected(k: usize, start: Score, passages: &[(DocId, Score, u64)]) -> Vec<Candidate> {
        let mut buffer = ArticleBuffer::new(k);
        buffer.threshold = start;
        for &(doc, score, key) in passages {
            if score > buffer.threshold {
                buffer.push(doc, score, key);
            }
        }
        let collector = TopArticles::new(k, Arc::new(Vec::new()), start).seconds_above_kth();
        let fruit = buffer
            .into_passages()
            .0
            .into_iter()
            .map(|(score, doc, key)| (score, DocAddress::new(0, doc), key))
            .collect();
        let mut merged = collector.merge_fruits(vec![fruit]).expect("merge");
        merged.sort_by_key(|c| c.1);
        merged
    }

    /// With `seconds_above_kth`, the fruit is the same from any start below the k-th
    /// article's score: the second passages at or below it, which an early start finds
    /// and a late one does not, are left out; those above it are kept.
    #[test]
    fn second_passages_above_the_kth_article_do_not_depend_on_the_start() {
        // Articles 1..=4 in document order; the 2nd best article (k = 2) is article 1
        // at 5.2.
        let passages = [
            (0, 2.0, 1), // article 1's second passage, below 5.2: found from a low start
            (1, 5.2, 1),
            (2, 1.0, 2),
            (3, 7.0, 3),
            (4, 5.5, 3), // article 3's second passage, above 5.2: always found
            (5, 4.0, 4),
            (6, 5.0, 4),
        ];
        let at = |doc| DocAddress::new(0, doc);
        let expected = vec![(5.2, at(1), 1), (7.0, at(3), 3), (5.5, at(4), 3)];
        for start in [Score::MIN, 0.5, 1.5, 3.0, 5.0, 5.1] {
            assert_eq!(collected(2, start, &passages), expected, "start {start}");
        }
        // Without the rule, the low start keeps article 1's passage at 2.0.
        let mut buffer = ArticleBuffer::new(2);
        for &(doc, score, key) in &passages {
            if score > buffer.threshold {
                buffer.push(doc, score, key);
            }
        }
        assert!(buffer.into_passages().0.contains(&(2.0, 0, 1)));
        // A start at or above the k-th article's score leaves fewer than k articles.
        assert_eq!(
            collected(2, 5.2, &passages),
            vec![(7.0, at(3), 3), (5.5, at(4), 3)]
        );
    }

    #[test]
    fn equal_scores_keep_the_lower_article_key() {
        assert_eq!(kept(1, &[(0, 2.0, 7), (1, 2.0, 3)]), vec![(2.0, 1, 3)]);
    }
}
