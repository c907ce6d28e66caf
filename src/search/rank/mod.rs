//! The rank stage: the best articles (collapsing passages inside the collector) or the
//! best passages, in two stages when the query has bonus clauses; the counts of the whole
//! result set are [`counts`].
//!
//! **Collapsing while collecting.** Results are articles, each scored by its best passage
//! (plus its body's score, [`fusion`], added to each candidate after collecting).
//! [`TopArticles`] keeps the best passage score of every article it has seen and tells
//! tantivy's block-max WAND the score of the k-th best article: a passage at or below it
//! cannot change the top k, so whole blocks of postings are skipped. Collecting the top
//! passages and collapsing afterwards needs an over-fetch (several passages per article)
//! and a retry when it falls short, and a lower threshold all along.
//!
//! **Two stages.** A ranked query of bare words is `base + bonuses`: `base` a flat
//! disjunction of term queries (every passage that can match), the bonuses (exact form,
//! proximity and pair phrases) only adding to the score of passages `base` matches.
//! Evaluated as one boolean query, the phrase clauses force tantivy to visit every
//! passage of every term; evaluated apart, `base` runs with WAND and each bonus clause is
//! sought on the candidates only. A passage's score is the same sum either way; what two
//! stages can miss is a passage outside the base's top k + `candidates_beyond_k`
//! (`schema.json` → `search`) whose bonuses would
//! have lifted it into the top k. The big bonus (proximity) needs every word, so the
//! passages with every word in their text ([`AllWords`], a conjunction tantivy also
//! prunes) are candidates too. On 300 title queries over the news corpus, the top 10
//! articles are those of the exact ranking for 97 % of the queries (docs/quality.md).
//!
//! (Over 600 lines: more than half is the tests, which share one fixture index; where the
//! base union starts is `union.rs`.)

mod articles;
pub mod counts;
pub mod dates;
pub mod fusion;
pub mod stories;
mod union;

use std::collections::hash_map::Entry;
use std::sync::Arc;

use rustc_hash::{FxHashMap, FxHashSet};
use tantivy::collector::TopDocs;
use tantivy::columnar::Column;
use tantivy::query::{Bm25StatisticsProvider, EnableScoring, Query, Scorer};
use tantivy::{DocAddress, DocId, DocSet, Score, Searcher};
use tantivy::{SeekDangerResult, TERMINATED};

use crate::config::search::UnionStart;

pub use articles::TopArticles;
pub use fusion::ArticleFusion;

/// A ranked query in parts: what the first stage runs, and what the second adds.
pub struct Staged<'a> {
    /// Finds the candidates and gives their base score.
    pub base: &'a dyn Query,
    /// Added to the candidates' scores.
    pub bonuses: &'a [Box<dyn Query>],
    /// More candidates: the passages with every word.
    pub all_words: Option<&'a AllWords>,
    /// With bonuses, the first stage keeps the best k + this many candidates
    /// (`schema.json` → `search.candidates_beyond_k`).
    pub candidates_beyond_k: usize,
    /// The article's own score, added to each candidate ([`fusion`]).
    pub article: Option<ArticleFusion<'a>>,
    /// Where the base union of [`top_articles`] first starts pruning (`schema.json` →
    /// `search.union_start`; `None`: from the every-word start).
    pub union_start: Option<&'a UnionStart>,
}

impl<'a> Staged<'a> {
    /// A query ranked as it is, in one stage.
    pub fn whole(query: &'a dyn Query) -> Staged<'a> {
        Staged {
            base: query,
            bonuses: &[],
            all_words: None,
            candidates_beyond_k: 0,
            article: None,
            union_start: None,
        }
    }

    /// The every-word query, when there are bonuses it could help find (without them,
    /// the base query's ranking is exact already).
    fn extra_candidates(&self) -> Option<&'a AllWords> {
        self.all_words.filter(|_| !self.bonuses.is_empty())
    }

    fn pool(&self, k: usize) -> usize {
        if self.bonuses.is_empty() && self.article.is_none() {
            k
        } else {
            k + self.candidates_beyond_k
        }
    }
}

/// The passages that have every word of a query in their text, ranked by those words'
/// text scores, and the rest of the base query (the title terms) to score them with.
pub struct AllWords {
    pub query: Box<dyn Query>,
    pub rest: Vec<Box<dyn Query>>,
}

/// A candidate passage: base score (bonuses added later), address, article key (see
/// [`ArticleColumns`]).
pub type Candidate = (Score, DocAddress, u64);

/// For each segment (by ordinal), a column that numbers its articles: equal for the
/// passages of one article, different otherwise, below 2^32 (akhbar uses the ordinal of
/// the article id in the segment's id dictionary: a small number, so the column is a few
/// bits per passage and stays in cache while a query reads it for every candidate). A
/// segment without one counts each passage as an article.
pub type ArticleColumns = Arc<Vec<Option<Column<u64>>>>;

/// The best `k` articles of a staged query, each as its best passage: (score, passage,
/// article key), best first, ties broken by article key then address. `articles` numbers
/// the articles within each segment for collecting; `article_key` gives the key results
/// are collapsed and returned by, over the whole index (the `article_key` field, a hash
/// of the article id: an index written before articles were kept whole in one segment can
/// hold one article in two). `stats` gives BM25 its statistics (the searcher's own, or
/// the search's [`crate::search::vocabulary::SearchTerms`], which looks each term up once).
pub fn top_articles(
    searcher: &Searcher,
    stats: &dyn Bm25StatisticsProvider,
    query: &Staged,
    articles: ArticleColumns,
    article_key: &dyn Fn(DocAddress) -> u64,
    k: usize,
) -> tantivy::Result<Vec<Candidate>> {
    let k = k.max(1);
    let pool = query.pool(k);
    // The passages with every word first: their text scores are a floor of their base
    // scores, so when there are `pool` such articles, the base query's top `pool` all
    // score above the pool-th of them, and its collection starts pruning there.
    let mut all_words_found = Vec::new();
    let mut start = None;
    if let Some(all_words) = query.extra_candidates() {
        all_words_found = searcher.search_with_statistics_provider(
            &*all_words.query,
            &TopArticles::new(pool, articles.clone(), Score::MIN),
            stats,
        )?;
        start = nth_article_score(&all_words_found, pool);
    }
    let found = union::base_union(
        searcher,
        stats,
        query,
        articles,
        pool,
        start,
        &all_words_found,
    )?;
    let mut candidates: Vec<(Score, DocAddress)> = found
        .into_iter()
        .map(|(score, address, _)| (score, address))
        .collect();
    if let Some(all_words) = query.all_words.filter(|_| !all_words_found.is_empty()) {
        let more = all_words_found.into_iter().map(|c| (c.0, c.1));
        add_candidates(searcher, stats, all_words, &mut candidates, more)?;
    }
    add_scores(searcher, stats, query.bonuses, &mut candidates)?;
    if let Some(article) = &query.article {
        fusion::add_article_scores(searcher, stats, article, &mut candidates)?;
    }
    let candidates = candidates
        .into_iter()
        .map(|(score, address)| (score, address, article_key(address)))
        .collect();
    Ok(best_per_article(candidates, k))
}

/// The first `k` results of a ranking computed in blocks, so that a page is the same
/// whatever depth it is asked at (a user paging through results sees each one once).
///
/// A two-stage ranking of the top `d` depends on `d`: its candidate pool is `d +
/// candidates_beyond_k`, and among tied scores the first stage keeps those it meets
/// first. Asked for the top 110, it can order its first 100 otherwise than asked for the
/// top 100 (a candidate of the larger pool lifted by its bonuses, another tie kept), so
/// pages 1 and 2 taken from two rankings repeat some results and skip others. Here the
/// blocks are fixed by `first` alone: results 0..first are the top `first` of `rank`,
/// results first..2·first the best of the top 2·first that are not placed yet, then
/// 2·first..4·first, and so on until `k`; each block is one call of `rank` at the
/// block's end, so a request within the first block costs one ranking, as before.
/// `rank(d)` returns at most `d` results, best first; `id` names a result (the article
/// key, or the passage's address). A block that comes back short has every match: the
/// last one.
pub fn in_blocks<T, I: std::hash::Hash + Eq>(
    first: usize,
    k: usize,
    mut rank: impl FnMut(usize) -> tantivy::Result<Vec<T>>,
    id: impl Fn(&T) -> I,
) -> tantivy::Result<Vec<T>> {
    let first = first.max(1);
    let mut placed: Vec<T> = Vec::new();
    let mut seen: FxHashSet<I> = FxHashSet::default();
    let mut end = first;
    loop {
        let ranked = rank(end)?;
        let complete = ranked.len() < end;
        for result in ranked {
            if placed.len() == end {
                break;
            }
            if seen.insert(id(&result)) {
                placed.push(result);
            }
        }
        if complete || placed.len() >= k {
            placed.truncate(k);
            return Ok(placed);
        }
        end = end.saturating_mul(2);
    }
}

/// The top `k` passages of a staged query, best first, ties by address (`stats` as for
/// [`top_articles`]).
pub fn top_passages(
    searcher: &Searcher,
    stats: &dyn Bm25StatisticsProvider,
    query: &Staged,
    k: usize,
) -> tantivy::Result<Vec<(Score, DocAddress)>> {
    let k = k.max(1);
    let collector = TopDocs::with_limit(query.pool(k)).order_by_score();
    let mut top = searcher.search_with_statistics_provider(query.base, &collector, stats)?;
    if let Some(all_words) = query.extra_candidates() {
        let more =
            searcher.search_with_statistics_provider(&*all_words.query, &collector, stats)?;
        add_candidates(searcher, stats, all_words, &mut top, more.into_iter())?;
    }
    add_scores(searcher, stats, query.bonuses, &mut top)?;
    if let Some(article) = &query.article {
        fusion::add_article_scores(searcher, stats, article, &mut top)?;
    }
    top.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    top.truncate(k);
    Ok(top)
}

/// Each article's best score among `candidates`.
pub(super) fn article_bests(candidates: &[Candidate]) -> FxHashMap<u64, Score> {
    let mut best: FxHashMap<u64, Score> =
        FxHashMap::with_capacity_and_hasher(candidates.len(), Default::default());
    for (score, _, key) in candidates {
        let b = best.entry(*key).or_insert(*score);
        *b = b.max(*score);
    }
    best
}

/// The score of the `n`-th best article among `candidates`, if there are `n` articles.
fn nth_article_score(candidates: &[Candidate], n: usize) -> Option<Score> {
    let best = article_bests(candidates);
    if best.len() < n || n == 0 {
        return None;
    }
    let mut scores: Vec<Score> = best.into_values().collect();
    scores.select_nth_unstable_by(n - 1, |a, b| b.total_cmp(a));
    Some(scores[n - 1])
}

/// Adds the passages of `more` (found by `all_words.query`) that are not candidates yet,
/// completing their base score with `all_words.rest`.
fn add_candidates(
    searcher: &Searcher,
    stats: &dyn Bm25StatisticsProvider,
    all_words: &AllWords,
    candidates: &mut Vec<(Score, DocAddress)>,
    more: impl Iterator<Item = (Score, DocAddress)>,
) -> tantivy::Result<()> {
    let seen: FxHashSet<DocAddress> = candidates.iter().map(|c| c.1).collect();
    let mut new: Vec<(Score, DocAddress)> = more.filter(|c| !seen.contains(&c.1)).collect();
    add_scores(searcher, stats, &all_words.rest, &mut new)?;
    candidates.extend(new);
    Ok(())
}

/// Adds the score of each of `queries` to each of `docs` it matches. Each clause gets its
/// own scorer, which visits each segment's documents in increasing order and checks each
/// one alone (`seek_danger`): a phrase scorer's `seek` would go on past a document without
/// the phrase to the next one with it, reading the positions of every document that has
/// all the words on the way, where the candidates are a few hundred of 300,000. For the
/// same reason a segment's scorer is opened at its first candidate (`scorer_danger`): a
/// phrase scorer opened with `scorer` first looks for the segment's first document with
/// the phrase, however far before the candidates it lies.
pub fn add_scores(
    searcher: &Searcher,
    stats: &dyn Bm25StatisticsProvider,
    queries: &[Box<dyn Query>],
    docs: &mut [(Score, DocAddress)],
) -> tantivy::Result<()> {
    if docs.is_empty() {
        return Ok(());
    }
    let mut order: Vec<usize> = (0..docs.len()).collect();
    order.sort_unstable_by_key(|&i| docs[i].1);
    for query in queries {
        let weight = query.weight(EnableScoring::enabled_from_statistics_provider(
            stats, searcher,
        ))?;
        let mut segment = u32::MAX;
        let mut scorer: Option<Box<dyn Scorer>> = None;
        // No document of the scorer lies below `floor`; `seek_danger` may only be asked
        // for documents from there on, in increasing order.
        let mut floor: DocId = TERMINATED;
        // The last document found and its score (a document listed twice scores twice;
        // one that failed lies below `floor`).
        let mut last: Option<(DocId, Score)> = None;
        for &i in &order {
            let address = docs[i].1;
            let target = address.doc_id;
            if address.segment_ord != segment {
                segment = address.segment_ord;
                scorer = None;
                last = None;
            }
            if let Some((_, score)) = last.filter(|(doc, _)| *doc == target) {
                docs[i].0 += score;
                continue;
            }
            let (result, s) = match scorer.as_mut() {
                Some(s) if target >= floor && target >= s.doc() => (s.seek_danger(target), s),
                Some(_) if target < floor => continue,
                // The segment's first candidate, or one the scorer went past: a failed
                // check can leave it beyond its lower bound (a phrase scorer's
                // intersection moves on) and `seek_danger` may not go back, so a fresh
                // scorer checks this document.
                _ => {
                    let reader = searcher.segment_reader(segment);
                    let (result, fresh) = weight.scorer_danger(reader, target, 1.0)?;
                    (result, scorer.insert(fresh))
                }
            };
            match result {
                SeekDangerResult::Found => {
                    let score = s.score();
                    docs[i].0 += score;
                    last = Some((target, score));
                    floor = target + 1;
                }
                SeekDangerResult::SeekLowerBound(bound) => floor = bound,
            }
        }
    }
    Ok(())
}

/// Each article's best passage (ties: lowest address), the best `k` articles.
fn best_per_article(candidates: Vec<Candidate>, k: usize) -> Vec<Candidate> {
    let mut best: FxHashMap<u64, (Score, DocAddress)> =
        FxHashMap::with_capacity_and_hasher(candidates.len(), Default::default());
    for (score, address, key) in candidates {
        match best.entry(key) {
            Entry::Vacant(v) => {
                v.insert((score, address));
            }
            Entry::Occupied(mut o) => {
                let (s, a) = *o.get();
                if score > s || (score == s && address < a) {
                    o.insert((score, address));
                }
            }
        }
    }
    let mut out: Vec<Candidate> = best.into_iter().map(|(k, (s, a))| (s, a, k)).collect();
    // A total order (score, then key, then address): the best k are picked first and
    // only they are sorted, the same k in the same order as sorting them all.
    let order =
        |a: &Candidate, b: &Candidate| b.0.total_cmp(&a.0).then(a.2.cmp(&b.2)).then(a.1.cmp(&b.1));
    if out.len() > k {
        out.select_nth_unstable_by(k, order);
        out.truncate(k);
    }
    out.sort_unstable_by(order);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::query::{BooleanQuery, BoostQuery, Occur, PhraseQuery, TermQuery};
    use tantivy::schema::{IndexRecordOption, Schema, FAST, TEXT};
    use tantivy::{doc, Index, IndexWriter, Term};

    /// An index of passages with article keys, in two segments.
    fn passages_index() -> (Index, tantivy::schema::Field) {
        let mut builder = Schema::builder();
        let text = builder.add_text_field("text", TEXT);
        let key = builder.add_u64_field("article_key", FAST);
        let index = Index::create_in_ram(builder.build());
        let mut writer: IndexWriter = index
            .writer_with_num_threads(1, 15_000_000)
            .expect("writer");
        let passages: [(&str, u64); 7] = [
            ("red fox jumps", 1),
            ("the fox is red", 1),
            ("red red red", 2),
            ("fox", 3),
            ("a red fox and a red fox", 4),
            ("nothing here", 5),
            ("red", 4),
        ];
        for (i, (t, k)) in passages.iter().enumerate() {
            writer
                .add_document(doc!(text => *t, key => *k))
                .expect("add");
            if i == 2 {
                writer.commit().expect("commit");
            }
        }
        writer.commit().expect("commit");
        (index, text)
    }

    /// A passage's article key in [`passages_index`].
    fn key_in_test_index(searcher: &Searcher, a: DocAddress) -> u64 {
        let column = searcher
            .segment_reader(a.segment_ord)
            .fast_fields()
            .u64("article_key")
            .ok();
        articles::segment_article(column.as_ref(), a.segment_ord, a.doc_id)
    }

    fn keys(searcher: &Searcher) -> ArticleColumns {
        Arc::new(
            searcher
                .segment_readers()
                .iter()
                .map(|s| s.fast_fields().u64("article_key").ok())
                .collect(),
        )
    }

    fn red_or_fox(text: tantivy::schema::Field) -> BooleanQuery {
        let term = |w: &str| Term::from_field_text(text, w);
        BooleanQuery::new(vec![
            (
                Occur::Should,
                Box::new(TermQuery::new(term("red"), IndexRecordOption::WithFreqs))
                    as Box<dyn Query>,
            ),
            (
                Occur::Should,
                Box::new(TermQuery::new(term("fox"), IndexRecordOption::WithFreqs)),
            ),
        ])
    }

    /// Two stages give the scores of the one boolean query `base + bonus`, and articles
    /// are the best passage of each, as collapsing the full ranking would give.
    #[test]
    fn two_stages_match_one_query_collapsed() {
        let (index, text) = passages_index();
        let searcher = index.reader().expect("reader").searcher();
        let base = red_or_fox(text);
        let bonus: Box<dyn Query> = Box::new(PhraseQuery::new(vec![
            Term::from_field_text(text, "red"),
            Term::from_field_text(text, "fox"),
        ]));
        let whole = BooleanQuery::new(vec![
            (Occur::Must, Box::new(base.clone()) as Box<dyn Query>),
            (Occur::Should, bonus.box_clone()),
        ]);
        let everything = searcher
            .search(&whole, &TopDocs::with_limit(100).order_by_score())
            .expect("one query");
        let key_of = |a: DocAddress| key_in_test_index(&searcher, a);
        let expected = best_per_article(
            everything
                .iter()
                .map(|(s, a)| (*s, *a, key_of(*a)))
                .collect(),
            3,
        );
        let bonuses = [bonus];
        let staged = Staged {
            base: &base,
            bonuses: &bonuses,
            all_words: None,
            candidates_beyond_k: 10,
            article: None,
            union_start: None,
        };
        let got = top_articles(&searcher, &searcher, &staged, keys(&searcher), &key_of, 3)
            .expect("two stages");
        assert_eq!(got.len(), 3);
        for (g, e) in got.iter().zip(&expected) {
            assert_eq!((g.1, g.2), (e.1, e.2));
            assert!((g.0 - e.0).abs() < 1e-4, "{} vs {}", g.0, e.0);
        }
        // "a red fox and a red fox" (article 4) has the phrase twice: first.
        assert_eq!(got[0].2 & 0xFFFF_FFFF, 4);

        let passages = top_passages(&searcher, &searcher, &staged, 10).expect("passages");
        assert_eq!(passages.len(), 6, "every passage with red or fox");
        let mut sorted = everything.clone();
        sorted.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        for ((s1, a1), (s2, a2)) in passages.iter().zip(&sorted) {
            assert_eq!(a1, a2);
            assert!((s1 - s2).abs() < 1e-4);
        }
    }

    #[test]
    fn without_bonuses_articles_are_collapsed_passages() {
        let (index, text) = passages_index();
        let searcher = index.reader().expect("reader").searcher();
        let base = red_or_fox(text);
        let key_of = |a: DocAddress| key_in_test_index(&searcher, a);
        let got = top_articles(
            &searcher,
            &searcher,
            &Staged::whole(&base),
            keys(&searcher),
            &key_of,
            10,
        )
        .expect("search");
        let mut articles: Vec<u64> = got.iter().map(|c| c.2 & 0xFFFF_FFFF).collect();
        articles.sort();
        assert_eq!(articles, vec![1, 2, 3, 4], "each matching article once");
        for pair in got.windows(2) {
            assert!(pair[0].0 >= pair[1].0, "best first");
        }
        assert!(add_scores(&searcher, &searcher, &[], &mut []).is_ok());
    }

    /// Every document's score for `query` in a full search.
    fn full_scores(searcher: &Searcher, query: &dyn Query) -> FxHashMap<DocAddress, Score> {
        searcher
            .search(query, &TopDocs::with_limit(100).order_by_score())
            .expect("search")
            .into_iter()
            .map(|(score, address)| (address, score))
            .collect()
    }

    /// Every document's address, segment by segment, in increasing order.
    fn all_addresses(searcher: &Searcher) -> Vec<DocAddress> {
        (0..searcher.segment_readers().len() as u32)
            .flat_map(|segment| {
                (0..searcher.segment_reader(segment).max_doc())
                    .map(move |doc| DocAddress::new(segment, doc))
            })
            .collect()
    }

    /// Each candidate gets the phrase's score if it has the phrase and nothing if not,
    /// whatever lies between candidates; a candidate listed twice scores twice.
    #[test]
    fn bonus_scores_are_those_of_a_full_search() {
        let (index, text) = passages_index();
        let searcher = index.reader().expect("reader").searcher();
        let phrase: Box<dyn Query> = Box::new(PhraseQuery::new(vec![
            Term::from_field_text(text, "red"),
            Term::from_field_text(text, "fox"),
        ]));
        let full = full_scores(&searcher, &*phrase);
        assert_eq!(full.len(), 2, "red fox jumps; a red fox and a red fox");
        // Every passage, in no particular order, one of them twice.
        let mut docs: Vec<(Score, DocAddress)> = all_addresses(&searcher)
            .into_iter()
            .rev()
            .map(|a| (1.0, a))
            .collect();
        let twice = docs[0];
        docs.push(twice);
        add_scores(&searcher, &searcher, &[phrase], &mut docs).expect("scores");
        for (score, address) in &docs {
            let expected = 1.0 + full.get(address).copied().unwrap_or(0.0);
            assert!(
                (score - expected).abs() < 1e-5,
                "{address:?}: {score} vs {expected}"
            );
        }
    }

    /// A segment's scorer opens at its first candidate: candidates that skip the
    /// segment's first phrase match, or hold only passages without the phrase, get the
    /// same scores as in a full search (exact and sloppy phrases).
    #[test]
    fn bonus_scores_of_some_candidates_only() {
        let (index, text) = passages_index();
        let searcher = index.reader().expect("reader").searcher();
        for slop in [0, 2] {
            let mut phrase = PhraseQuery::new(vec![
                Term::from_field_text(text, "red"),
                Term::from_field_text(text, "fox"),
            ]);
            phrase.set_slop(slop);
            let phrase: Box<dyn Query> = Box::new(phrase);
            let full = full_scores(&searcher, &*phrase);
            assert!(!full.is_empty());
            let all = all_addresses(&searcher);
            let first_match = all
                .iter()
                .position(|a| full.contains_key(a))
                .expect("a match");
            let subsets: Vec<Vec<DocAddress>> = vec![
                all[first_match + 1..].to_vec(),
                all.iter()
                    .copied()
                    .filter(|a| !full.contains_key(a))
                    .collect(),
                all.iter().copied().step_by(2).collect(),
                all.last().copied().into_iter().collect(),
            ];
            for subset in subsets {
                let mut docs: Vec<(Score, DocAddress)> = subset.iter().map(|&a| (0.0, a)).collect();
                add_scores(
                    &searcher,
                    &searcher,
                    std::slice::from_ref(&phrase),
                    &mut docs,
                )
                .expect("scores");
                for (score, address) in &docs {
                    let expected = full.get(address).copied().unwrap_or(0.0);
                    assert!(
                        (score - expected).abs() < 1e-5,
                        "slop {slop}, {address:?}: {score} vs {expected}"
                    );
                }
            }
        }
    }

    /// A passage with both words side by side but a low base score (one of many words in
    /// a long passage) is outside the base's pool; the phrase bonus would make it first.
    /// As a passage with every word, it is a candidate all the same.
    #[test]
    fn passages_with_every_word_are_candidates() {
        let mut builder = Schema::builder();
        let text = builder.add_text_field("text", TEXT);
        let index = Index::create_in_ram(builder.build());
        let mut writer: IndexWriter = index
            .writer_with_num_threads(1, 15_000_000)
            .expect("writer");
        for _ in 0..20 {
            writer
                .add_document(doc!(text => "red red red"))
                .expect("add");
            writer
                .add_document(doc!(text => "fox fox fox"))
                .expect("add");
        }
        let filler = "word ".repeat(200);
        writer
            .add_document(doc!(text => format!("{filler} red fox {filler}")))
            .expect("add");
        writer.commit().expect("commit");
        let searcher = index.reader().expect("reader").searcher();
        let term = |w: &str| Term::from_field_text(text, w);
        let base = red_or_fox(text);
        let bonuses: [Box<dyn Query>; 1] = [Box::new(BoostQuery::new(
            Box::new(PhraseQuery::new(vec![term("red"), term("fox")])),
            100.0,
        ))];
        let target = DocAddress::new(0, 40);
        let without = Staged {
            base: &base,
            bonuses: &bonuses,
            all_words: None,
            candidates_beyond_k: 10,
            article: None,
            union_start: None,
        };
        let top = top_passages(&searcher, &searcher, &without, 1).expect("search");
        assert_ne!(top[0].1, target, "outside the pool of 11 by its base score");

        let all_words = AllWords {
            query: Box::new(BooleanQuery::new(vec![
                (
                    Occur::Must,
                    Box::new(TermQuery::new(term("red"), IndexRecordOption::WithFreqs))
                        as Box<dyn Query>,
                ),
                (
                    Occur::Must,
                    Box::new(TermQuery::new(term("fox"), IndexRecordOption::WithFreqs)),
                ),
            ])),
            rest: Vec::new(),
        };
        let with = Staged {
            base: &base,
            bonuses: &bonuses,
            all_words: Some(&all_words),
            candidates_beyond_k: 10,
            article: None,
            union_start: None,
        };
        let top = top_passages(&searcher, &searcher, &with, 1).expect("search");
        assert_eq!(top[0].1, target);
        let whole = BooleanQuery::new(vec![
            (Occur::Must, Box::new(base.clone()) as Box<dyn Query>),
            (Occur::Should, bonuses[0].box_clone()),
        ]);
        let exact = searcher
            .search(&whole, &TopDocs::with_limit(1).order_by_score())
            .expect("one query");
        assert_eq!(exact[0].1, target);
        assert!((exact[0].0 - top[0].0).abs() < 1e-3);
    }

    /// The union's start is a speed setting: from any guess, too high (a rerun) or not,
    /// the articles and their scores are those of the start without a guess.
    #[test]
    fn any_union_start_gives_the_same_articles() {
        let (index, text) = passages_index();
        let searcher = index.reader().expect("reader").searcher();
        let term = |w: &str| Term::from_field_text(text, w);
        let base = red_or_fox(text);
        let bonuses: [Box<dyn Query>; 1] =
            [Box::new(PhraseQuery::new(vec![term("red"), term("fox")]))];
        let both = |w: &str| -> Box<dyn Query> {
            Box::new(TermQuery::new(term(w), IndexRecordOption::WithFreqs))
        };
        // Articles 1 and 4 have both words in one passage: with a pool of 2 (k = 1, one
        // beyond), the second of them gives the start.
        let all_words = AllWords {
            query: Box::new(BooleanQuery::new(vec![
                (Occur::Must, both("red")),
                (Occur::Must, both("fox")),
            ])),
            rest: Vec::new(),
        };
        let key_of = |a: DocAddress| key_in_test_index(&searcher, a);
        let ranked = |union_start: Option<&UnionStart>, k: usize| {
            let staged = Staged {
                base: &base,
                bonuses: &bonuses,
                all_words: Some(&all_words),
                candidates_beyond_k: 1,
                article: None,
                union_start,
            };
            top_articles(&searcher, &searcher, &staged, keys(&searcher), &key_of, k)
                .expect("search")
        };
        for k in 1..=4 {
            let from_start = ranked(None, k);
            assert_eq!(from_start.len(), k.min(4), "k = {k}");
            for factor in [1.01, 1.2, 1.5, 2.0, 4.0, 100.0] {
                let settings = UnionStart {
                    about: String::new(),
                    every_word_last: Some(factor),
                    every_word_best: Some(factor - 1.0),
                };
                let got = ranked(Some(&settings), k);
                assert_eq!(got.len(), from_start.len(), "k = {k}, factor {factor}");
                for (g, e) in got.iter().zip(&from_start) {
                    assert_eq!((g.1, g.2), (e.1, e.2), "k = {k}, factor {factor}");
                    assert!((g.0 - e.0).abs() < 1e-5, "{} vs {}", g.0, e.0);
                }
            }
        }
    }

    /// The best k articles are picked before they are sorted: the same k, in the same
    /// order (score, then key, then address), as sorting every article; an article is
    /// its best passage, the lower address on a tie.
    #[test]
    fn best_per_article_picks_then_sorts() {
        let at = |doc| DocAddress::new(0, doc);
        let candidates: Vec<Candidate> = vec![
            (1.0, at(0), 5),
            (3.0, at(1), 2),
            (3.0, at(2), 9),
            (2.0, at(3), 5), // article 5's best
            (3.0, at(4), 2), // a tie within article 2: the lower address stays
            (0.5, at(5), 7),
            (3.0, at(6), 1),
        ];
        let all = best_per_article(candidates.clone(), 10);
        assert_eq!(
            all,
            vec![
                (3.0, at(6), 1),
                (3.0, at(1), 2),
                (3.0, at(2), 9),
                (2.0, at(3), 5),
                (0.5, at(5), 7),
            ]
        );
        for k in 1..=5 {
            assert_eq!(best_per_article(candidates.clone(), k), all[..k], "k = {k}");
        }
    }

    /// A ranking whose order depends on its depth (deeper, later items are lifted): in
    /// blocks, the first k of any longer request are the first k of a shorter one, each
    /// item once.
    #[test]
    fn blocks_do_not_depend_on_depth() {
        // Depth d ranks 0..d+5 by (id * 7 + d) % 13, then id: a different order per d.
        let rank = |d: usize| -> tantivy::Result<Vec<usize>> {
            let mut items: Vec<usize> = (0..(d + 5).min(40)).collect();
            items.sort_by_key(|&i| ((i * 7 + d) % 13, i));
            items.truncate(d);
            Ok(items)
        };
        let long = in_blocks(4, 40, rank, |&i| i).expect("long");
        assert_eq!(long.len(), 40, "every item of the 40");
        let mut sorted = long.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, (0..40).collect::<Vec<_>>(), "each once");
        for k in [1, 3, 4, 5, 8, 9, 16, 17, 33] {
            let short = in_blocks(4, k, rank, |&i| i).expect("short");
            assert_eq!(short, long[..k], "k = {k}");
        }
        // Within the first block: the top k of one ranking at the block's depth.
        let first = in_blocks(4, 3, rank, |&i| i).expect("first");
        assert_eq!(first, rank(4).expect("rank")[..3]);
    }
}
