//! The present stage: a ranked page becomes [`Hit`]s (stored fields, snippets and
//! highlights, "+N more passages", score breakdowns) and the counts become [`Facets`].
//! Printing them for a terminal is `crate::output`'s; the JSON is their serde form.

pub mod explain;
pub mod snippet;

use std::sync::Arc;

use tantivy::query::{BooleanQuery, Occur, Query};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{DocAddress, Searcher, TantivyDocument};

use super::plan::QueryPlan;
use super::rank::counts::Counts;
use super::request::{Facets, Hit, SearchError, SearchRequest};
use crate::index::schema::Fields;
use crate::index::stored::StoredPassage;

/// A ranked page: (score, best passage, article key), best first.
pub type Page = Vec<(f32, DocAddress, u64)>;

/// What presenting a page needs besides the page.
pub struct Presenter<'a> {
    pub searcher: &'a Searcher,
    pub fields: &'a Fields,
    pub ranked: &'a TextAnalyzer,
    pub exact: &'a TextAnalyzer,
    pub snippet_bytes: usize,
}

impl Presenter<'_> {
    /// The hits of `page`: `ids` gives a hit's article id and passage when the request
    /// does not load documents (batch runs).
    pub fn hits(
        &self,
        request: &SearchRequest,
        page: Page,
        query: &dyn Query,
        plan: &QueryPlan,
        counts: Option<&Counts>,
        ids: &[(Arc<str>, u64)],
    ) -> Result<Vec<Hit>, SearchError> {
        let mut hits = Vec::with_capacity(page.len());
        // What a hit's score is the sum of: the query and its rescored bonus clauses.
        let scored: Option<Box<dyn Query>> =
            (request.explain && !plan.bonuses.is_empty()).then(|| {
                let mut clauses = vec![(Occur::Must, query.box_clone())];
                clauses.extend(plan.bonuses.iter().map(|b| (Occur::Should, b.box_clone())));
                Box::new(BooleanQuery::new(clauses)) as Box<dyn Query>
            });
        // Only snippets re-analyse the text (a batch run has none).
        let mut highlighter = request
            .snippets
            .then(|| Highlighter::new(plan, self.ranked.clone(), self.exact.clone()));
        for (i, (score, address, key)) in page.into_iter().enumerate() {
            let rank = request.offset + i + 1;
            let mut hit = if request.documents {
                let doc: TantivyDocument = self.searcher.doc(address)?;
                hit_of(StoredPassage::from_doc(&doc, self.fields), rank, score)
            } else {
                let (doc_id, passage) = ids.get(i).cloned().unwrap_or_else(|| (Arc::from(""), 0));
                Hit::ids_only(rank, score, doc_id, passage)
            };
            if let (Some(counts), false) = (counts, request.all_passages) {
                hit.more_passages = counts.get(&key).map_or(0, |a| a.passages.saturating_sub(1));
            }
            if let Some(highlighter) = highlighter.as_mut() {
                let matches = highlighter.matches(&hit.text);
                let snippet = snippet::make_snippet(&hit.text, &matches, self.snippet_bytes);
                hit.highlights = matches.iter().map(|m| [m.0, m.1]).collect();
                hit.snippet = snippet::render(&snippet, "", "");
                hit.snippet_parts = Some(snippet);
            }
            if request.explain {
                let scored = scored.as_deref().unwrap_or(query);
                hit.explanation = explain::explain(scored, self.searcher, address);
            }
            hits.push(hit);
        }
        Ok(hits)
    }
}

/// A query's highlights in any text: the one rule for a hit's snippet and for the
/// server's article page. The plan's ranked and exact highlight terms, found by
/// re-analysing the text with the two analyzers ([`snippet::find_matches`]).
pub struct Highlighter {
    ranked: (TextAnalyzer, rustc_hash::FxHashSet<String>),
    exact: (TextAnalyzer, rustc_hash::FxHashSet<String>),
}

impl Highlighter {
    pub fn new(plan: &QueryPlan, ranked: TextAnalyzer, exact: TextAnalyzer) -> Highlighter {
        Highlighter {
            ranked: (ranked, plan.ranked_highlights.clone()),
            exact: (exact, plan.exact_highlights.clone()),
        }
    }

    /// The matched words of `text`: byte ranges and terms, in order.
    pub fn matches(&mut self, text: &str) -> Vec<(usize, usize, String)> {
        let mut analyzers = [
            (self.ranked.0.clone(), &self.ranked.1),
            (self.exact.0.clone(), &self.exact.1),
        ];
        snippet::find_matches(&mut analyzers, text)
    }
}

/// A hit of a stored passage.
fn hit_of(passage: StoredPassage, rank: usize, score: f32) -> Hit {
    let mut hit = Hit::ids_only(
        rank,
        score,
        passage.article_id.as_str().into(),
        passage.ordinal,
    );
    hit.outlet = passage.outlet_name().map(str::to_string);
    hit.title = passage.title;
    hit.published = passage.published.map(|d| d.to_string());
    hit.url = passage.url;
    hit.text = passage.text;
    hit.groups = passage.groups;
    hit.group_detail = passage.group_tags;
    hit
}

/// The total and the facet counts of the whole result set: articles (passages with
/// `per_passage`) per outlet and per group; `groups` are the group ids by facet bit.
pub fn facets(counts: &Counts, per_passage: bool, groups: &[String]) -> (u64, Facets) {
    let total = if per_passage {
        counts.values().map(|a| a.passages as u64).sum()
    } else {
        counts.len() as u64
    };
    // Counted under cheap keys (the month as a number, the outlet's shared name, the
    // group's bit), named once per distinct key at the end: a common word matches tens
    // of thousands of articles.
    let mut months: rustc_hash::FxHashMap<(i32, u32), u64> = Default::default();
    let mut outlets: rustc_hash::FxHashMap<&str, u64> = Default::default();
    let mut bits = [0u64; 32];
    for agg in counts.values() {
        let weight = if per_passage { agg.passages as u64 } else { 1 };
        if let Some(day) = agg.day {
            let d = crate::ingest::record::Date::from_days_since_epoch(day);
            *months.entry((d.year, d.month)).or_insert(0) += weight;
        }
        if let Some(outlet) = &agg.outlet {
            *outlets.entry(outlet).or_insert(0) += weight;
        }
        let mut g = agg.groups;
        while g != 0 {
            bits[g.trailing_zeros() as usize] += weight;
            g &= g - 1;
        }
    }
    let mut facets = Facets::default();
    for ((year, month), n) in months {
        facets.dates.insert(format!("{year:04}-{month:02}"), n);
    }
    for (outlet, n) in outlets {
        facets.outlet.insert(outlet.to_string(), n);
    }
    for (bit, id) in groups.iter().enumerate().take(32) {
        if bits[bit] != 0 {
            facets.group.insert(id.clone(), bits[bit]);
        }
    }
    (total, facets)
}

/// The matching stories, and per outlet the stories it carried among them (an article
/// without a story is one of its own).
pub fn story_facets(counts: &Counts) -> (u64, std::collections::BTreeMap<String, u64>) {
    let mut all = rustc_hash::FxHashSet::default();
    let mut by_outlet: rustc_hash::FxHashSet<(&str, u64)> = rustc_hash::FxHashSet::default();
    for (key, agg) in counts {
        let story = agg.story.unwrap_or(*key);
        all.insert(story);
        if let Some(outlet) = &agg.outlet {
            by_outlet.insert((outlet, story));
        }
    }
    let mut out = std::collections::BTreeMap::new();
    for (outlet, _) in by_outlet {
        *out.entry(outlet.to_string()).or_insert(0) += 1;
    }
    (all.len() as u64, out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::rank::counts::ArticleAgg;

    #[test]
    fn facets_count_articles_or_passages_by_month_outlet_and_group() {
        let agg = |passages, groups, outlet: &str, day| ArticleAgg {
            passages,
            groups,
            outlet: Some(Arc::from(outlet)),
            day,
            ..ArticleAgg::default()
        };
        // 2024-07-25 is day 19,929 since 1970-01-01; 2024-08-01 is 19,936.
        let counts: Counts = [
            (1, agg(3, 0b01, "BBC", Some(19_929))),
            (2, agg(1, 0b11, "Okaz", Some(19_936))),
            (3, agg(2, 0b10, "BBC", None)),
        ]
        .into_iter()
        .collect();
        let groups = ["wagner".to_string(), "jnim".to_string()];
        let (total, f) = facets(&counts, false, &groups);
        assert_eq!(total, 3);
        fn pairs(m: &std::collections::BTreeMap<String, u64>) -> Vec<(String, u64)> {
            m.iter().map(|(k, v)| (k.clone(), *v)).collect()
        }
        fn owned(v: &[(&str, u64)]) -> Vec<(String, u64)> {
            v.iter().map(|(k, n)| (k.to_string(), *n)).collect()
        }
        assert_eq!(pairs(&f.dates), owned(&[("2024-07", 1), ("2024-08", 1)]));
        assert_eq!(pairs(&f.outlet), owned(&[("BBC", 2), ("Okaz", 1)]));
        assert_eq!(pairs(&f.group), owned(&[("jnim", 2), ("wagner", 2)]));
        let (total, f) = facets(&counts, true, &groups);
        assert_eq!(total, 6);
        assert_eq!(pairs(&f.dates), owned(&[("2024-07", 3), ("2024-08", 1)]));
        assert_eq!(pairs(&f.outlet), owned(&[("BBC", 5), ("Okaz", 1)]));
        assert_eq!(pairs(&f.group), owned(&[("jnim", 3), ("wagner", 4)]));
    }
}
