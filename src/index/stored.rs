//! Reading stored passages back: what a result list shows, the group report reads, and
//! the original article text. [`StoredPassage::from_doc`] is the one decoder of a stored
//! document.

use tantivy::collector::DocSetCollector;
use tantivy::query::{AllQuery, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{Searcher, TantivyDocument, Term};

use super::schema::Fields;
use super::AkhbarIndex;
use crate::entities::GroupTag;
use crate::ingest::{reconstruct, Date};

/// One stored passage with its article's metadata.
#[derive(Clone, Debug, PartialEq)]
pub struct StoredPassage {
    pub article_id: String,
    pub source_id: String,
    pub ordinal: u64,
    /// Facet path, e.g. `/outlet/BBC`.
    pub outlet: Option<String>,
    pub title: Option<String>,
    pub published: Option<Date>,
    pub url: Option<String>,
    pub category: Option<String>,
    /// The passage as written (empty for an article without passages).
    pub text: String,
    /// Byte offset of `text` in the record's original body.
    pub start: u64,
    /// On ordinal 0: the article's text that is in no passage, `[[offset, text], ...]`.
    pub rest: Vec<(usize, String)>,
    /// The ids of the groups the passage is tagged with (its `/group/<id>` facets).
    pub groups: Vec<String>,
    /// How it is tagged with each (`groups_detail`).
    pub group_tags: Vec<GroupTag>,
}

impl StoredPassage {
    pub fn from_doc(doc: &TantivyDocument, f: &Fields) -> StoredPassage {
        let s = |field| {
            doc.get_first(field)
                .and_then(|v| v.as_str().map(str::to_string))
        };
        StoredPassage {
            article_id: s(f.article_id).unwrap_or_default(),
            source_id: s(f.source_id).unwrap_or_default(),
            ordinal: doc
                .get_first(f.ordinal)
                .and_then(|v| v.as_u64())
                .unwrap_or(0),
            outlet: doc
                .get_first(f.outlet)
                .and_then(|v| v.as_facet().map(|f| format!("/{}", f.replace('\0', "/")))),
            title: s(f.title),
            published: doc
                .get_first(f.published)
                .and_then(|v| v.as_datetime())
                .map(|d| Date::from_timestamp_secs(d.into_timestamp_secs())),
            url: s(f.url),
            category: s(f.category),
            text: s(f.text).unwrap_or_default(),
            start: doc.get_first(f.start).and_then(|v| v.as_u64()).unwrap_or(0),
            rest: s(f.rest)
                .and_then(|r| serde_json::from_str(&r).ok())
                .unwrap_or_default(),
            groups: doc
                .get_all(f.group)
                .filter_map(|v| v.as_facet())
                .filter_map(|facet| facet.strip_prefix("group\0"))
                .map(str::to_string)
                .collect(),
            group_tags: s(f.groups_detail)
                .and_then(|j| serde_json::from_str(&j).ok())
                .unwrap_or_default(),
        }
    }

    /// The outlet's name (the facet path without `/outlet/`).
    pub fn outlet_name(&self) -> Option<&str> {
        self.outlet.as_deref()?.strip_prefix("/outlet/")
    }
}

fn searcher(idx: &AkhbarIndex) -> tantivy::Result<Searcher> {
    let reader = idx.reader()?;
    Ok(reader.searcher())
}

/// Every passage in the index, sorted by article id and ordinal (for tests and tools;
/// loads everything).
pub fn all_passages(idx: &AkhbarIndex) -> tantivy::Result<Vec<StoredPassage>> {
    let searcher = searcher(idx)?;
    let addrs = searcher.search(&AllQuery, &DocSetCollector)?;
    let mut out = Vec::with_capacity(addrs.len());
    for addr in addrs {
        let doc: TantivyDocument = searcher.doc(addr)?;
        out.push(StoredPassage::from_doc(&doc, &idx.fields));
    }
    out.sort_by(|a, b| (&a.article_id, a.ordinal).cmp(&(&b.article_id, b.ordinal)));
    Ok(out)
}

/// The original body of an input record, rebuilt from its stored passages and rest.
pub fn original_body(idx: &AkhbarIndex, source_id: &str) -> tantivy::Result<Option<String>> {
    let searcher = searcher(idx)?;
    let query = TermQuery::new(
        Term::from_field_text(idx.fields.source_id, source_id),
        IndexRecordOption::Basic,
    );
    let addrs = searcher.search(&query, &DocSetCollector)?;
    if addrs.is_empty() {
        return Ok(None);
    }
    let mut pieces = Vec::new();
    for addr in addrs {
        let doc: TantivyDocument = searcher.doc(addr)?;
        let p = StoredPassage::from_doc(&doc, &idx.fields);
        if !p.text.is_empty() {
            pieces.push((p.start as usize, p.text));
        }
        pieces.extend(p.rest);
    }
    Ok(Some(reconstruct(pieces)))
}
