//! Stories in a result list: the copies of one story ([`crate::stories`]) collapse to
//! their best-ranked article, which carries who else carried it and who had it first.
//!
//! The ranked articles are fetched with an over-fetch (several articles per story on the
//! page) and collapsed by the `story` fast field; when a page still has too few stories
//! and more articles matched, the fetch grows. The story of each hit shown is then read
//! from the index — every copy, matching the query or not — through the `story` term's
//! postings and fast fields only (no stored documents).

use std::collections::BTreeSet;

use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;
use tantivy::collector::DocSetCollector;
use tantivy::columnar::{Column, StrColumn};
use tantivy::fastfield::FacetReader;
use tantivy::query::TermQuery;
use tantivy::schema::{Facet, IndexRecordOption};
use tantivy::{DocAddress, DocId, Searcher, Term};

use super::counts::ArticleAgg;
use super::Candidate;
use crate::index::schema::Fields;
use crate::stories::story_label;

/// Each segment's `story` column, by segment ordinal.
pub struct StoryColumns(Vec<Option<Column<u64>>>);

impl StoryColumns {
    pub fn open(searcher: &Searcher, field: &str) -> StoryColumns {
        StoryColumns(
            searcher
                .segment_readers()
                .iter()
                .map(|s| s.fast_fields().u64(field).ok())
                .collect(),
        )
    }

    /// The story of a passage (an article of its own when the index has none).
    pub fn story(&self, address: DocAddress, article_key: u64) -> u64 {
        self.0
            .get(address.segment_ord as usize)
            .and_then(|c| c.as_ref()?.first(address.doc_id))
            .unwrap_or(article_key)
    }
}

/// The first (best-ranked) article of each story, in rank order, with its story.
pub fn collapse(ranked: &[Candidate], stories: &StoryColumns) -> Vec<(Candidate, u64)> {
    let mut seen = FxHashSet::default();
    ranked
        .iter()
        .filter_map(|&c| {
            let story = stories.story(c.1, c.2);
            seen.insert(story).then_some((c, story))
        })
        .collect()
}

/// A date order (`sort: newest | oldest`, [`super::dates::order`]) with each story's
/// copies collapsed to its first article in that order (the newest copy, or the first
/// published), with its story; an article without one is a story of its own.
pub fn collapse_order(order: Vec<(u64, &ArticleAgg)>) -> Vec<((u64, &ArticleAgg), u64)> {
    let mut seen = FxHashSet::default();
    order
        .into_iter()
        .filter_map(|(key, agg)| {
            let story = agg.story.unwrap_or(key);
            seen.insert(story).then_some(((key, agg), story))
        })
        .collect()
}

/// The story of each result of a page ranked in a collapsed date order (`order` and
/// `stories` as [`collapse_order`] gave them).
pub fn stories_of(page: &[Candidate], order: &[(u64, &ArticleAgg)], stories: &[u64]) -> Vec<u64> {
    let by_key: FxHashMap<u64, u64> = order
        .iter()
        .zip(stories)
        .map(|((key, _), &story)| (*key, story))
        .collect();
    page.iter()
        .map(|c| by_key.get(&c.2).copied().unwrap_or(c.2))
        .collect()
}

/// A story as a hit shows it.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct StoryInfo {
    /// The story id (`akhbar story ID`).
    pub id: String,
    /// Copies in the index (articles).
    pub copies: usize,
    /// The outlets that carried it, the first publisher first.
    pub outlets: Vec<String>,
    /// Its article ids, first published first (undated last).
    pub articles: Vec<String>,
    /// The earliest publication date and who published then.
    pub first_published: Option<String>,
    pub first_outlet: Option<String>,
}

/// A story's copies as [`StoryReader::info`] reads them: day, article id, outlet.
type Copy = (Option<i64>, String, Option<String>);

/// One segment's columns a story's copies are read from.
struct StorySegment {
    ordinal: Option<Column<u64>>,
    published: Option<Column<tantivy::DateTime>>,
    ids: Option<StrColumn>,
    outlet: Option<FacetReader>,
}

/// Reads stories' copies from the index (postings and fast fields only), with each
/// segment's columns opened once for a whole page of hits, not once per copy.
pub struct StoryReader<'a> {
    searcher: &'a Searcher,
    story_field: tantivy::schema::Field,
    segments: Vec<StorySegment>,
}

impl<'a> StoryReader<'a> {
    pub fn open(searcher: &'a Searcher, f: &Fields) -> StoryReader<'a> {
        let schema = searcher.schema();
        let name = |field| schema.get_field_name(field).to_string();
        let (ordinal, published) = (name(f.ordinal), name(f.published));
        let (article_id, outlet) = (name(f.article_id), name(f.outlet));
        let segments = searcher
            .segment_readers()
            .iter()
            .map(|segment| {
                let ff = segment.fast_fields();
                StorySegment {
                    ordinal: ff.u64(&ordinal).ok(),
                    published: ff.date(&published).ok(),
                    ids: ff.str(&article_id).ok().flatten(),
                    outlet: segment.facet_reader(&outlet).ok(),
                }
            })
            .collect();
        StoryReader {
            searcher,
            story_field: f.story,
            segments,
        }
    }

    /// A story's copies (each article once, by its first passage). `known` is an
    /// article whose id the caller has (the hit's: key and id), so its id is not looked
    /// up in the id dictionary again; `key` gives a passage's article key.
    pub fn info(
        &self,
        story: u64,
        known: Option<(u64, &str)>,
        key: &dyn Fn(DocAddress) -> u64,
    ) -> tantivy::Result<StoryInfo> {
        let query = TermQuery::new(
            Term::from_field_u64(self.story_field, story),
            IndexRecordOption::Basic,
        );
        let mut copies: Vec<Copy> = Vec::new();
        let mut buf = String::new();
        for address in self.searcher.search(&query, &DocSetCollector)? {
            let Some(segment) = self.segments.get(address.segment_ord as usize) else {
                continue;
            };
            let doc = address.doc_id;
            if segment.ordinal.as_ref().and_then(|c| c.first(doc)) != Some(0) {
                continue;
            }
            let day = segment
                .published
                .as_ref()
                .and_then(|c| c.first(doc))
                .map(|d| d.into_timestamp_secs().div_euclid(86_400));
            let id = match known.filter(|(k, _)| *k == key(address)) {
                Some((_, id)) => id.to_string(),
                None => segment.article_id(doc, &mut buf)?,
            };
            copies.push((day, id, segment.outlet_name(doc)?));
        }
        Ok(summary(story, copies))
    }
}

impl StorySegment {
    fn article_id(&self, doc: DocId, buf: &mut String) -> tantivy::Result<String> {
        let Some(ids) = &self.ids else {
            return Ok(String::new());
        };
        match ids.term_ords(doc).next() {
            Some(ord) => {
                buf.clear();
                ids.ord_to_str(ord, buf)?;
                Ok(buf.clone())
            }
            None => Ok(String::new()),
        }
    }

    fn outlet_name(&self, doc: DocId) -> tantivy::Result<Option<String>> {
        let Some(facets) = &self.outlet else {
            return Ok(None);
        };
        match facets.facet_ords(doc).next() {
            Some(ord) => {
                let mut facet = Facet::root();
                facets.facet_from_ord(ord, &mut facet)?;
                Ok(facet.to_path().last().map(|s| s.to_string()))
            }
            None => Ok(None),
        }
    }
}

/// A story's copies summed up: first published first (undated last), the outlets in
/// that order.
fn summary(story: u64, mut copies: Vec<Copy>) -> StoryInfo {
    copies.sort_by(|a, b| (a.0.is_none(), a.0, &a.1).cmp(&(b.0.is_none(), b.0, &b.1)));
    let mut outlets = Vec::new();
    let mut seen = BTreeSet::new();
    for (_, _, outlet) in &copies {
        if let Some(o) = outlet {
            if seen.insert(o.clone()) {
                outlets.push(o.clone());
            }
        }
    }
    let first = copies.first().filter(|c| c.0.is_some());
    StoryInfo {
        id: story_label(story),
        copies: copies.len(),
        outlets,
        first_published: first
            .and_then(|c| c.0)
            .map(|d| crate::ingest::record::Date::from_days_since_epoch(d).to_string()),
        first_outlet: first.and_then(|c| c.2.clone()),
        articles: copies.into_iter().map(|c| c.1).collect(),
    }
}

/// "also reported by Al-Yaum, Okaz (3 outlets), first on 2015-08-01 by SPA" for a hit
/// from `outlet`; `None` for a story of one copy.
pub fn also_reported(story: &StoryInfo, outlet: Option<&str>) -> Option<String> {
    if story.copies < 2 {
        return None;
    }
    let others: Vec<&str> = story
        .outlets
        .iter()
        .map(String::as_str)
        .filter(|o| Some(*o) != outlet)
        .collect();
    let mut line = if others.is_empty() {
        format!("{} copies in this outlet", story.copies)
    } else {
        format!(
            "also reported by {} ({} outlets)",
            others.join(", "),
            story.outlets.len()
        )
    };
    if let (Some(date), Some(by)) = (&story.first_published, &story.first_outlet) {
        line.push_str(&format!(", first on {date} by {by}"));
    }
    line.push_str(&format!(" · story {}", story.id));
    Some(line)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info(outlets: &[&str], first: Option<(&str, &str)>) -> StoryInfo {
        StoryInfo {
            id: "00000000000000ab".into(),
            copies: outlets.len(),
            outlets: outlets.iter().map(|s| s.to_string()).collect(),
            articles: Vec::new(),
            first_published: first.map(|f| f.0.to_string()),
            first_outlet: first.map(|f| f.1.to_string()),
        }
    }

    #[test]
    fn the_line_names_the_other_outlets_and_the_first() {
        let s = info(
            &["Saudi Press Agency", "Al-Yaum", "Okaz"],
            Some(("2015-08-01", "Saudi Press Agency")),
        );
        assert_eq!(
            also_reported(&s, Some("Okaz")).as_deref(),
            Some("also reported by Saudi Press Agency, Al-Yaum (3 outlets), first on 2015-08-01 by Saudi Press Agency · story 00000000000000ab")
        );
        assert_eq!(also_reported(&info(&["Okaz"], None), Some("Okaz")), None);
    }

    #[test]
    fn a_date_order_keeps_each_storys_first_article() {
        let agg = |story: Option<u64>| ArticleAgg {
            story,
            ..ArticleAgg::default()
        };
        let (a, b, c, d) = (agg(Some(7)), agg(Some(9)), agg(Some(7)), agg(None));
        // Articles 1 and 3 are one story (7): only 1, the first in the order, stays.
        let order = vec![(1, &a), (2, &b), (3, &c), (4, &d)];
        let kept: Vec<(u64, u64)> = collapse_order(order)
            .into_iter()
            .map(|((k, _), s)| (k, s))
            .collect();
        assert_eq!(kept, [(1, 7), (2, 9), (4, 4)]);
    }
}
