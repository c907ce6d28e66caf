//! Date order (`sort: newest | oldest`): the articles of the whole result set (the
//! counting pass knows each one's date) ordered by publication day, undated last, ties
//! by article key; each shown by its best passages by score, found by ranking the query
//! again restricted to the page's articles.

use std::cmp::Ordering;

use rustc_hash::FxHashMap;
use tantivy::query::{BooleanQuery, Occur, Query, TermSetQuery};
use tantivy::schema::{Field, Value};
use tantivy::{Searcher, TantivyDocument, Term};

use super::counts::{ArticleAgg, Counts};
use crate::search::present::Page;
use crate::search::Sort;

/// Every article of the result set, in `sort` order.
pub fn order(counts: &Counts, sort: Sort) -> Vec<(u64, &ArticleAgg)> {
    let mut order: Vec<(u64, &ArticleAgg)> = counts.iter().map(|(k, a)| (*k, a)).collect();
    order.sort_by(|a, b| {
        let days = match (a.1.day, b.1.day) {
            (Some(x), Some(y)) if sort == Sort::Oldest => x.cmp(&y),
            (Some(x), Some(y)) => y.cmp(&x),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        };
        days.then(a.0.cmp(&b.0))
    });
    order
}

/// The articles a page of `wanted` results needs, in order.
pub struct PageArticles {
    pub keys: Vec<u64>,
    pub terms: Vec<Term>,
}

/// The first articles of `order` that cover `wanted` results (articles, or passages
/// with `all_passages`), and how many results they hold.
pub fn page_articles(
    searcher: &Searcher,
    order: &[(u64, &ArticleAgg)],
    article_id: Field,
    wanted: usize,
    all_passages: bool,
) -> tantivy::Result<(PageArticles, usize)> {
    let mut page = PageArticles {
        keys: Vec::new(),
        terms: Vec::new(),
    };
    let mut covered = 0;
    for (key, agg) in order {
        if covered >= wanted {
            break;
        }
        let Some(first) = agg.first else { continue };
        let doc: TantivyDocument = searcher.doc(first)?;
        if let Some(id) = doc.get_first(article_id).and_then(|v| v.as_str()) {
            page.terms.push(Term::from_field_text(article_id, id));
            page.keys.push(*key);
            covered += if all_passages {
                agg.passages as usize
            } else {
                1
            };
        }
    }
    Ok((page, covered))
}

/// `query` restricted to the passages of the given articles.
pub fn only(query: &dyn Query, articles: Vec<Term>) -> BooleanQuery {
    BooleanQuery::new(vec![
        (Occur::Must, query.box_clone()),
        (Occur::Must, Box::new(TermSetQuery::new(articles))),
    ])
}

/// Ranked results put in the page's article order; each article's passages stay best
/// first (the sort is stable).
pub fn in_order(mut ranked: Page, keys: &[u64]) -> Page {
    let position: FxHashMap<u64, usize> = keys.iter().enumerate().map(|(i, k)| (*k, i)).collect();
    ranked.sort_by_key(|(_, _, key)| position.get(key).copied().unwrap_or(usize::MAX));
    ranked
}

#[cfg(test)]
mod tests {
    use super::*;

    fn agg(day: Option<i64>) -> ArticleAgg {
        ArticleAgg {
            day,
            ..ArticleAgg::default()
        }
    }

    #[test]
    fn newest_and_oldest_put_undated_last() {
        let counts: Counts = [
            (1, agg(Some(100))),
            (2, agg(None)),
            (3, agg(Some(300))),
            (4, agg(Some(100))),
        ]
        .into_iter()
        .collect();
        let keys = |sort| {
            order(&counts, sort)
                .iter()
                .map(|(k, _)| *k)
                .collect::<Vec<_>>()
        };
        assert_eq!(keys(Sort::Newest), [3, 1, 4, 2]);
        assert_eq!(keys(Sort::Oldest), [1, 4, 3, 2]);
        let page: Page = vec![
            (1.0, tantivy::DocAddress::new(0, 1), 4),
            (0.5, tantivy::DocAddress::new(0, 2), 3),
            (0.4, tantivy::DocAddress::new(0, 3), 4),
        ];
        let keys: Vec<u64> = in_order(page, &[3, 4]).iter().map(|r| r.2).collect();
        assert_eq!(keys, [3, 4, 4]);
    }
}
