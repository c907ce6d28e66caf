//! Where the first stage's base union starts pruning. It starts from a guess, and again
//! from a floor when the guess was too high (`schema.json` → `search.union_start`). A
//! speed setting: the fruit is the same from any start below the pool's last article
//! ([`TopArticles::seconds_above_kth`]).

use tantivy::query::Bm25StatisticsProvider;
use tantivy::{Score, Searcher};

use super::{nth_article_score, ArticleColumns, Candidate, Staged, TopArticles};
use crate::config::search::UnionStart;

/// The top `pool` articles of the base query (a [`TopArticles`] fruit), pruned from
/// `start` (the every-word start, or nothing) or first from a guess above it.
///
/// The pool-th article's base score is often twice the every-word start: its title
/// terms score on every passage of the article, and the passages with every word in
/// their text mostly have none. Pruning from a guess closer to it skips most of the
/// union's warm-up. The fruit is the same from any start below that score
/// ([`TopArticles::seconds_above_kth`]); a guess at or above it leaves fewer than `pool`
/// articles, and the union runs again, from the floor of [`pool_floor`] or `start`,
/// whichever is higher.
pub(super) fn base_union(
    searcher: &Searcher,
    stats: &dyn Bm25StatisticsProvider,
    query: &Staged,
    articles: ArticleColumns,
    pool: usize,
    start: Option<Score>,
    all_words_found: &[Candidate],
) -> tantivy::Result<Vec<Candidate>> {
    let union = |from: Score| {
        let collector = TopArticles::new(pool, articles.clone(), from).seconds_above_kth();
        searcher.search_with_statistics_provider(query.base, &collector, stats)
    };
    let Some(guess) = guessed_start(query.union_start, start, all_words_found) else {
        return union(start.unwrap_or(Score::MIN));
    };
    let found = union(guess)?;
    if article_count(&found) >= pool {
        return Ok(found);
    }
    // Every article above the guess is in `found`: the union starts again from the
    // floors it gives, or from `start`, whichever is higher.
    let floor = pool_floor(&[&found, all_words_found], pool);
    let start = match (start, floor) {
        (Some(s), Some(f)) => s.max(f),
        (s, f) => s.or(f).unwrap_or(Score::MIN),
    };
    union(start)
}

/// A start below the pool's last article from articles whose base scores are known to
/// be at least their best passage's score in `fruits` ([`TopArticles`] fruits: of the
/// base query itself, and of the every-word query, whose text scores are a floor of the
/// base scores): the `pool`-th best of those floors, when there are as many articles,
/// lowered by 10^-4 of itself against a last-digit difference in a sum's order.
fn pool_floor(fruits: &[&[Candidate]], pool: usize) -> Option<Score> {
    let known: Vec<Candidate> = fruits.iter().flat_map(|f| f.iter().copied()).collect();
    let floor = nth_article_score(&known, pool)?;
    Some(floor - floor.abs() * 1e-4)
}

/// The guessed start of the base union ([`UnionStart`]), when there is one above `start`:
/// a multiple of `start` (the text score of the pool's last article with every word),
/// or, when there are fewer such articles, of the best one's.
fn guessed_start(
    settings: Option<&UnionStart>,
    start: Option<Score>,
    all_words_found: &[Candidate],
) -> Option<Score> {
    let settings = settings?;
    let guess = match start {
        Some(start) => start * settings.every_word_last?,
        None => {
            let best = all_words_found.iter().map(|c| c.0).fold(0.0, Score::max);
            best * settings.every_word_best?
        }
    };
    (guess > start.unwrap_or(0.0)).then_some(guess)
}

/// The number of articles in a [`TopArticles`] fruit (an article's passages are one run).
fn article_count(fruit: &[Candidate]) -> usize {
    let mut last = None;
    fruit
        .iter()
        .filter(|c| last.replace(c.2) != Some(c.2))
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::DocAddress;

    /// The floor is the pool-th best of each article's best known score over the fruits
    /// (an article in both counts once, at its higher score), a little lower.
    #[test]
    fn the_pool_floor_counts_each_article_once() {
        let at = |doc| DocAddress::new(0, doc);
        let found: Vec<Candidate> = vec![(9.0, at(1), 1), (8.0, at(2), 1), (7.0, at(3), 2)];
        let all_words: Vec<Candidate> = vec![(5.0, at(1), 1), (6.0, at(4), 3), (4.0, at(5), 4)];
        let fruits: [&[Candidate]; 2] = [&found, &all_words];
        // Articles 1 (9.0), 2 (7.0), 3 (6.0), 4 (4.0).
        let floor = |pool| pool_floor(&fruits, pool);
        assert_eq!(floor(3), Some(6.0 - 6.0 * 1e-4));
        assert_eq!(floor(4), Some(4.0 - 4.0 * 1e-4));
        assert_eq!(floor(5), None, "four articles");
        assert_eq!(pool_floor(&[&found], 2), Some(7.0 - 7.0 * 1e-4));
    }
}
