//! Article fusion: a candidate passage's score is its own (MaxP: an article ranks by its
//! best passage) plus the score of its article's whole body for the query's words.
//!
//! The body is the `article` field, held by the article's first passage only
//! (`index::writer::documents`): its term statistics are the articles' (a word's
//! document frequency counts articles, its length is the article's), so the article
//! score is the BM25 of the article as a whole-document engine would rank it, weighted by
//! `search.weights.article`. Every passage of an article gets the same article score, so
//! among the passages of one article the one that answers still comes first (and
//! `--all-passages` still ranks passages by their own text, lifted by their article);
//! between articles, one whose body is about the question lifts its passage above a
//! passage of another article that only repeats the words.
//!
//! The clauses are scored on the candidates of the rank stage (the pool of
//! [`super::Staged`]), like the bonuses: an article whose best passage falls outside the
//! pool is not lifted into it.

use rustc_hash::FxHashMap;
use tantivy::columnar::Column;
use tantivy::query::{Bm25StatisticsProvider, Query};
use tantivy::schema::Field;
use tantivy::{DocAddress, Score, Searcher, Term};

use super::add_scores;

/// The article clauses of a query and the field that numbers an article's passages.
#[derive(Clone, Copy)]
pub struct ArticleFusion<'a> {
    /// Each word's ranked term in the `article` field, at its weight.
    pub queries: &'a [Box<dyn Query>],
    /// `ordinal`: the passage's number in its article (0: the first, which holds the
    /// body); a fast and indexed u64 field.
    pub ordinal: Field,
}

impl<'a> ArticleFusion<'a> {
    /// The fusion of `queries`, None when there are none (the index has no `article`
    /// field, or the weight is off).
    pub fn new(queries: &'a [Box<dyn Query>], ordinal: Field) -> Option<ArticleFusion<'a>> {
        (!queries.is_empty()).then_some(ArticleFusion { queries, ordinal })
    }
}

/// BM25 statistics for the `article` field: the index's own, but with one document per
/// article (the first passages, which hold the field) instead of one per passage, so
/// the field's average length is the average article's and a word's weight is that of
/// a word in that many articles.
struct ArticleStatistics<'a> {
    inner: &'a dyn Bm25StatisticsProvider,
    articles: u64,
}

impl Bm25StatisticsProvider for ArticleStatistics<'_> {
    fn total_num_tokens(&self, field: Field) -> tantivy::Result<u64> {
        self.inner.total_num_tokens(field)
    }

    fn total_num_docs(&self) -> tantivy::Result<u64> {
        Ok(self.articles)
    }

    fn doc_freq(&self, term: &Term) -> tantivy::Result<u64> {
        self.inner.doc_freq(term)
    }
}

/// The address of the first passage of `address`'s article: the passages of an article
/// are consecutive documents of one segment, numbered by `ordinal` from 0 (`columns`:
/// each segment's `ordinal` column, opened once per query).
fn first_passage(
    searcher: &Searcher,
    ordinal: &str,
    columns: &mut FxHashMap<u32, Option<Column<u64>>>,
    address: DocAddress,
) -> DocAddress {
    let column = columns.entry(address.segment_ord).or_insert_with(|| {
        let reader = searcher.segment_reader(address.segment_ord);
        reader.fast_fields().u64(ordinal).ok()
    });
    let n = column
        .as_ref()
        .and_then(|c| c.first(address.doc_id))
        .unwrap_or(0);
    let doc = address.doc_id.saturating_sub(n.min(u32::MAX as u64) as u32);
    DocAddress::new(address.segment_ord, doc)
}

/// Adds to each candidate the score of its article's body for `fusion`'s clauses.
pub fn add_article_scores(
    searcher: &Searcher,
    stats: &dyn Bm25StatisticsProvider,
    fusion: &ArticleFusion,
    candidates: &mut [(Score, DocAddress)],
) -> tantivy::Result<()> {
    if candidates.is_empty() {
        return Ok(());
    }
    let schema = searcher.schema();
    let ordinal = schema.get_field_name(fusion.ordinal);
    let mut columns = FxHashMap::default();
    let firsts: Vec<DocAddress> = candidates
        .iter()
        .map(|c| first_passage(searcher, ordinal, &mut columns, c.1))
        .collect();
    let mut bodies: Vec<(Score, DocAddress)> = firsts.iter().map(|a| (0.0, *a)).collect();
    bodies.sort_unstable_by_key(|b| b.1);
    bodies.dedup_by_key(|b| b.1);
    let articles = searcher.doc_freq(&Term::from_field_u64(fusion.ordinal, 0))?;
    let statistics = ArticleStatistics {
        inner: stats,
        articles: articles.max(1),
    };
    add_scores(searcher, &statistics, fusion.queries, &mut bodies)?;
    let scores: FxHashMap<DocAddress, Score> = bodies.into_iter().map(|(s, a)| (a, s)).collect();
    fuse(candidates, &firsts, &scores);
    Ok(())
}

/// The rule: each candidate gets the body score of its article (`bodies`, by first
/// passage; none: 0), `firsts[i]` being the first passage of candidate `i`'s article.
fn fuse(
    candidates: &mut [(Score, DocAddress)],
    firsts: &[DocAddress],
    bodies: &FxHashMap<DocAddress, Score>,
) {
    for (candidate, first) in candidates.iter_mut().zip(firsts) {
        candidate.0 += bodies.get(first).copied().unwrap_or(0.0);
    }
}

#[cfg(test)]
mod tests {
    use super::super::{best_per_article, Candidate};
    use super::*;
    use tantivy::collector::TopDocs;
    use tantivy::query::{BoostQuery, TermQuery};
    use tantivy::schema::{IndexRecordOption, Schema, FAST, INDEXED, TEXT};
    use tantivy::{doc, Index, IndexWriter};

    /// The rule with explicit numbers, collapsed as the rank stage collapses: article A
    /// (passages 0-1) has its best passage at 4.0, below article B's 5.0, but A's body
    /// scores 3.0 against B's 0.5: 7.0 against 5.5, and A is shown by its passage 1
    /// (the one that answers), not by the first passage that holds the body.
    #[test]
    fn an_article_scores_its_best_passage_plus_its_body() {
        let at = |doc| DocAddress::new(0, doc);
        let mut candidates = vec![(3.5, at(0)), (4.0, at(1)), (5.0, at(2)), (2.0, at(3))];
        let firsts = [at(0), at(0), at(2), at(3)];
        let bodies: FxHashMap<DocAddress, Score> =
            [(at(0), 3.0), (at(2), 0.5)].into_iter().collect();
        fuse(&mut candidates, &firsts, &bodies);
        assert_eq!(
            candidates,
            vec![(6.5, at(0)), (7.0, at(1)), (5.5, at(2)), (2.0, at(3))]
        );
        let keyed: Vec<Candidate> = candidates
            .iter()
            .zip([1, 1, 2, 3])
            .map(|(&(s, a), key)| (s, a, key))
            .collect();
        assert_eq!(
            best_per_article(keyed, 10),
            vec![(7.0, at(1), 1), (5.5, at(2), 2), (2.0, at(3), 3)]
        );
        // Without body scores: MaxP, B first.
        let maxp: Vec<Candidate> = [(3.5, 0, 1), (4.0, 1, 1), (5.0, 2, 2), (2.0, 3, 3)]
            .iter()
            .map(|&(s, d, key)| (s, at(d), key))
            .collect();
        assert_eq!(
            best_per_article(maxp, 2),
            vec![(5.0, at(2), 2), (4.0, at(1), 1)]
        );
    }

    /// Two articles: A of three passages (the body on the first), B of one. Returns
    /// the index and its fields (text, article, ordinal).
    fn two_articles() -> (Index, Field, Field, Field) {
        let mut builder = Schema::builder();
        let text = builder.add_text_field("text", TEXT);
        let article = builder.add_text_field("article", TEXT);
        let ordinal = builder.add_u64_field("ordinal", INDEXED | FAST);
        let index = Index::create_in_ram(builder.build());
        let mut writer: IndexWriter = index
            .writer_with_num_threads(1, 15_000_000)
            .expect("writer");
        let a = ["oil prices rose", "the oil market", "opec cut oil output"];
        for (i, passage) in a.iter().enumerate() {
            let mut d = doc!(text => *passage, ordinal => i as u64);
            if i == 0 {
                for p in a {
                    d.add_text(article, p);
                }
            }
            writer.add_document(d).expect("add");
        }
        writer
            .add_document(doc!(text => "oil", article => "oil", ordinal => 0u64))
            .expect("add");
        writer.commit().expect("commit");
        (index, text, article, ordinal)
    }

    /// Each passage gets its own article's body score, found on the article's first
    /// passage, with one document per article in the statistics.
    #[test]
    fn every_passage_gets_its_article_score() {
        let (index, _, article, ordinal) = two_articles();
        let searcher = index.reader().expect("reader").searcher();
        let clause: Box<dyn Query> = Box::new(BoostQuery::new(
            Box::new(TermQuery::new(
                Term::from_field_text(article, "oil"),
                IndexRecordOption::WithFreqs,
            )),
            0.5,
        ));
        let queries = [clause];
        let fusion = ArticleFusion::new(&queries, ordinal).expect("clauses");
        let mut candidates: Vec<(Score, DocAddress)> =
            (0..4).map(|d| (1.0, DocAddress::new(0, d))).collect();
        add_article_scores(&searcher, &searcher, &fusion, &mut candidates).expect("fusion");
        // Article A's three passages score alike, B's passage otherwise.
        assert_eq!(candidates[0].0, candidates[1].0);
        assert_eq!(candidates[0].0, candidates[2].0);
        // The article score is the BM25 of the body over two documents (the articles),
        // not four (the passages): compare with an index of the two bodies alone.
        let mut builder = Schema::builder();
        let body = builder.add_text_field("article", TEXT);
        let alone = Index::create_in_ram(builder.build());
        let mut writer: IndexWriter = alone
            .writer_with_num_threads(1, 15_000_000)
            .expect("writer");
        writer
            .add_document(doc!(body => "oil prices rose", body => "the oil market", body => "opec cut oil output"))
            .expect("add");
        writer.add_document(doc!(body => "oil")).expect("add");
        writer.commit().expect("commit");
        let alone_searcher = alone.reader().expect("reader").searcher();
        let term = TermQuery::new(
            Term::from_field_text(body, "oil"),
            IndexRecordOption::WithFreqs,
        );
        let top = alone_searcher
            .search(&term, &TopDocs::with_limit(2).order_by_score())
            .expect("search");
        let of = |doc: u32| top.iter().find(|t| t.1.doc_id == doc).expect("found").0;
        assert!((candidates[0].0 - (1.0 + 0.5 * of(0))).abs() < 1e-4);
        assert!((candidates[3].0 - (1.0 + 0.5 * of(1))).abs() < 1e-4);
        assert!(ArticleFusion::new(&[], ordinal).is_none());
    }
}
