//! `akhbar stats`: what an index holds.

use serde::Serialize;
use tantivy::collector::{Count, FacetCollector};
use tantivy::query::TermQuery;
use tantivy::schema::IndexRecordOption;
use tantivy::Term;

use super::{dir_size, AkhbarIndex};
use crate::ingest::Date;

#[derive(Clone, Debug, Serialize)]
pub struct Stats {
    pub generation: String,
    pub articles: u64,
    pub passages: u64,
    /// Articles per outlet, most first.
    pub outlets: Vec<(String, u64)>,
    /// Earliest and latest `published` (YYYY-MM-DD).
    pub first_date: Option<String>,
    pub last_date: Option<String>,
    pub undated_articles: u64,
    pub segments: usize,
    pub size_bytes: u64,
    pub schema_version: u32,
    pub analysis_fingerprint: String,
    pub akhbar_version: String,
}

pub fn stats(idx: &AkhbarIndex) -> anyhow::Result<Stats> {
    let reader = idx.reader()?;
    let searcher = reader.searcher();
    let first_passages = TermQuery::new(
        Term::from_field_u64(idx.fields.ordinal, 0),
        IndexRecordOption::Basic,
    );
    let mut facets = FacetCollector::for_field("outlet");
    facets.add_facet("/outlet");
    let (articles, facet_counts) = searcher.search(&first_passages, &(Count, facets))?;
    let mut outlets: Vec<(String, u64)> = facet_counts
        .get("/outlet")
        .map(|(facet, n)| {
            let name = facet
                .to_path()
                .last()
                .map_or_else(String::new, |s| s.to_string());
            (name, n)
        })
        .collect();
    outlets.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));

    let (mut min, mut max, mut undated) = (i64::MAX, i64::MIN, 0u64);
    for segment in searcher.segment_readers() {
        let ff = segment.fast_fields();
        let dates = ff.date("published")?;
        let ordinals = ff.u64("ordinal").ok();
        let alive = segment.alive_bitset();
        for doc in 0..segment.max_doc() {
            if alive.is_some_and(|a| !a.is_alive(doc)) {
                continue;
            }
            if let Some(ord) = &ordinals {
                if ord.first(doc) != Some(0) {
                    continue;
                }
            }
            match dates.first(doc) {
                Some(d) => {
                    let days =
                        Date::from_timestamp_secs(d.into_timestamp_secs()).days_since_epoch();
                    min = min.min(days);
                    max = max.max(days);
                }
                None => undated += 1,
            }
        }
    }
    let date = |d: i64| {
        (d != i64::MAX && d != i64::MIN).then(|| Date::from_days_since_epoch(d).to_string())
    };
    Ok(Stats {
        generation: idx.generation.clone(),
        articles: articles as u64,
        passages: searcher.num_docs(),
        outlets,
        first_date: date(min),
        last_date: date(max),
        undated_articles: undated,
        segments: searcher.segment_readers().len(),
        size_bytes: dir_size(&idx.dir),
        schema_version: idx.meta.schema_version,
        analysis_fingerprint: idx.meta.analysis_fingerprint.clone(),
        akhbar_version: idx.meta.akhbar_version.clone(),
    })
}
