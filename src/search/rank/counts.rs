//! Collectors: counting the whole result set by article, outlet and group.
//!
//! Ranking collapses passages by article inside its own top-k collector, with block-max
//! WAND ([`super::TopArticles`]); counting needs every match, so it is this separate,
//! scoring-free pass that reads only fast fields.

use std::sync::Arc;

use rustc_hash::FxHashMap;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::fastfield::FacetReader;
use tantivy::schema::Facet;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

/// What the whole result set holds, per article.
#[derive(Clone, Debug, Default)]
pub struct ArticleAgg {
    /// Matching passages of the article.
    pub passages: u32,
    /// Bit i set: a matching passage is tagged with group i of the collector's list.
    pub groups: u32,
    /// The article's outlet (facet path without `/outlet/`).
    pub outlet: Option<Arc<str>>,
    /// The article's story (`story` fast field).
    pub story: Option<u64>,
    /// The article's publication day (days since 1970-01-01), if dated.
    pub day: Option<i64>,
    /// The first of its matching passages seen (to read the article's id from).
    pub first: Option<tantivy::DocAddress>,
}

/// Counts matches per article (`article_key` fast field), with outlet and groups.
pub struct CountCollector {
    pub article_key_field: String,
    pub outlet_field: String,
    pub group_field: String,
    pub story_field: String,
    pub published_field: String,
    /// Group facet paths, e.g. `/group/wagner`, by bit.
    pub group_facets: Vec<Facet>,
}

pub struct CountSegmentCollector {
    segment: SegmentOrdinal,
    article_key: Column<u64>,
    outlet: FacetReader,
    group: FacetReader,
    story: Option<Column<u64>>,
    published: Option<Column<tantivy::DateTime>>,
    /// Segment facet ordinal → group bit.
    group_bits: FxHashMap<u64, u32>,
    articles: FxHashMap<u64, SegmentAgg>,
}

/// One article's matches in one segment.
pub struct SegmentAgg {
    passages: u32,
    /// Group bits.
    groups: u32,
    outlet_ord: Option<u64>,
    story: Option<u64>,
    day: Option<i64>,
    /// Its first matching passage.
    first: DocId,
}

/// Per article key: aggregate. Keys of passages without `article_key` are unique per doc.
pub type Counts = FxHashMap<u64, ArticleAgg>;

impl Collector for CountCollector {
    type Fruit = Counts;
    type Child = CountSegmentCollector;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<CountSegmentCollector> {
        let article_key = reader.fast_fields().u64(&self.article_key_field)?;
        let outlet = reader.facet_reader(&self.outlet_field)?;
        let group = reader.facet_reader(&self.group_field)?;
        let published = reader.fast_fields().date(&self.published_field).ok();
        let mut group_bits = FxHashMap::default();
        for (bit, facet) in self.group_facets.iter().enumerate() {
            let key = facet.encoded_str().as_bytes();
            if let Some(ord) = group.facet_dict().term_ord(key)? {
                group_bits.insert(ord, 1u32 << bit.min(31));
            }
        }
        Ok(CountSegmentCollector {
            segment,
            article_key,
            outlet,
            group,
            story: reader.fast_fields().u64(&self.story_field).ok(),
            published,
            group_bits,
            articles: FxHashMap::default(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Counts>) -> tantivy::Result<Counts> {
        let mut merged: Counts = FxHashMap::default();
        for fruit in fruits {
            if merged.is_empty() {
                merged = fruit;
                continue;
            }
            for (key, agg) in fruit {
                let entry = merged.entry(key).or_default();
                entry.passages += agg.passages;
                entry.groups |= agg.groups;
                if entry.outlet.is_none() {
                    entry.outlet = agg.outlet;
                }
                if entry.story.is_none() {
                    entry.story = agg.story;
                }
                if entry.day.is_none() {
                    entry.day = agg.day;
                }
                if entry.first.is_none() {
                    entry.first = agg.first;
                }
            }
        }
        Ok(merged)
    }
}

impl SegmentCollector for CountSegmentCollector {
    type Fruit = Counts;

    fn collect(&mut self, doc: DocId, _score: Score) {
        let key = self
            .article_key
            .first(doc)
            .unwrap_or(((self.segment as u64) << 32) | doc as u64);
        let mut groups = 0;
        if !self.group_bits.is_empty() {
            for ord in self.group.facet_ords(doc) {
                groups |= self.group_bits.get(&ord).copied().unwrap_or(0);
            }
        }
        let entry = self.articles.entry(key).or_insert(SegmentAgg {
            passages: 0,
            groups: 0,
            outlet_ord: None,
            story: None,
            day: None,
            first: doc,
        });
        if entry.passages == 0 {
            entry.outlet_ord = self.outlet.facet_ords(doc).next();
            entry.story = self.story.as_ref().and_then(|c| c.first(doc));
            entry.day = self
                .published
                .as_ref()
                .and_then(|c| c.first(doc))
                .map(|d| d.into_timestamp_secs().div_euclid(86_400));
        }
        entry.passages += 1;
        entry.groups |= groups;
    }

    fn harvest(self) -> Counts {
        // Outlet ordinals → names, once per distinct outlet.
        let mut names: FxHashMap<u64, Option<Arc<str>>> = FxHashMap::default();
        let mut out: Counts = FxHashMap::default();
        out.reserve(self.articles.len());
        for (key, agg) in self.articles {
            let SegmentAgg {
                passages,
                groups,
                outlet_ord,
                story,
                day,
                first,
            } = agg;
            let outlet = outlet_ord.and_then(|ord| {
                names
                    .entry(ord)
                    .or_insert_with(|| {
                        let mut facet = Facet::root();
                        self.outlet.facet_from_ord(ord, &mut facet).ok()?;
                        let path = facet.to_path();
                        path.last().map(|s| Arc::from(*s))
                    })
                    .clone()
            });
            out.insert(
                key,
                ArticleAgg {
                    passages,
                    groups,
                    outlet,
                    story,
                    day,
                    first: Some(tantivy::DocAddress::new(self.segment, first)),
                },
            );
        }
        out
    }
}
