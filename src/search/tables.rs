//! What an [`super::Engine`] reads once from an open index (the reader does not reload):
//! per segment, the article numbers collapsing uses, the `article_key` column ties break
//! on, the article ids of hits without documents; the outlets present; and how filter
//! values resolve to facets.

use std::sync::{Arc, OnceLock};

use rustc_hash::FxHashSet;
use tantivy::columnar::Column;
use tantivy::schema::Facet;
use tantivy::{DocAddress, Searcher};

use super::plan::FacetResolver;
use super::rank::ArticleColumns;
use crate::index::AkhbarIndex;
use crate::ingest::outlets::OutletTable;

/// One segment's passage ordinals and article ids, for hits without documents.
pub struct SegmentIds {
    ordinals: Option<Column<u64>>,
    /// Article ids by their ordinal in the segment's id dictionary (a passage's
    /// ordinal is its article number, [`Tables::article_numbers`]).
    ids: Vec<Arc<str>>,
}

/// The per-segment tables of one open index.
pub struct Tables {
    /// The `article_key` column of each segment (a hash of the article id).
    pub article_keys: Vec<Option<Column<u64>>>,
    /// Each segment's article numbers for collapsing: the article id's ordinal.
    pub article_numbers: ArticleColumns,
    /// Article ids by segment and id ordinal, read once on first use (see
    /// [`Tables::article_ids`]).
    article_ids: OnceLock<Vec<SegmentIds>>,
    id_field: String,
    ordinal_field: String,
}

impl Tables {
    pub fn new(idx: &AkhbarIndex, searcher: &Searcher) -> Tables {
        let schema = idx.index.schema();
        let id_field = schema.get_field_name(idx.fields.article_id).to_string();
        let ordinal_field = schema.get_field_name(idx.fields.ordinal).to_string();
        let key_field = schema.get_field_name(idx.fields.article_key).to_string();
        let article_keys = searcher
            .segment_readers()
            .iter()
            .map(|segment| segment.fast_fields().u64(&key_field).ok())
            .collect();
        let article_numbers = Arc::new(
            searcher
                .segment_readers()
                .iter()
                .map(|segment| {
                    let ids = segment.fast_fields().str(&id_field).ok().flatten()?;
                    Some(ids.ords().clone())
                })
                .collect(),
        );
        Tables {
            article_keys,
            article_numbers,
            article_ids: OnceLock::new(),
            id_field,
            ordinal_field,
        }
    }

    /// The article key of a passage (its segment and address when it has none).
    pub fn article_key(&self, address: DocAddress) -> u64 {
        self.article_keys
            .get(address.segment_ord as usize)
            .and_then(|c| c.as_ref()?.first(address.doc_id))
            .unwrap_or(((address.segment_ord as u64) << 32) | address.doc_id as u64)
    }

    /// Reads every article id of the index into memory, once: hits without documents
    /// (batch runs) then get their ids without decompressing a block of the id
    /// dictionary per query, which otherwise costs more than the search.
    pub fn article_ids(&self, searcher: &Searcher) -> &[SegmentIds] {
        self.article_ids.get_or_init(|| {
            searcher
                .segment_readers()
                .iter()
                .map(|segment| {
                    let fast = segment.fast_fields();
                    let mut table = SegmentIds {
                        ordinals: fast.u64(&self.ordinal_field).ok(),
                        ids: Vec::new(),
                    };
                    if let Ok(Some(column)) = fast.str(&self.id_field) {
                        if let Ok(mut stream) = column.dictionary().stream() {
                            table.ids.reserve(column.num_terms());
                            while let Some((key, _)) = stream.next() {
                                table.ids.push(String::from_utf8_lossy(key).into());
                            }
                        }
                    }
                    table
                })
                .collect()
        })
    }

    /// Article id and passage ordinal of each hit of a page, from fast fields and the
    /// in-memory id table: no stored document is decompressed.
    pub fn page_ids(
        &self,
        searcher: &Searcher,
        page: &[(f32, DocAddress, u64)],
    ) -> Vec<(Arc<str>, u64)> {
        let tables = self.article_ids(searcher);
        page.iter()
            .map(|(_, address, _)| {
                let Some(table) = tables.get(address.segment_ord as usize) else {
                    return (Arc::from(""), 0);
                };
                let ordinal = table
                    .ordinals
                    .as_ref()
                    .and_then(|c| c.first(address.doc_id))
                    .unwrap_or(0);
                let id = self
                    .article_numbers
                    .get(address.segment_ord as usize)
                    .and_then(|c| c.as_ref()?.first(address.doc_id))
                    .and_then(|ord| table.ids.get(ord as usize))
                    .cloned()
                    .unwrap_or_else(|| Arc::from(""));
                (id, ordinal)
            })
            .collect()
    }
}

/// The outlets present in an index (canonical names, sorted).
pub fn outlets_in_index(idx: &AkhbarIndex, searcher: &Searcher) -> Vec<String> {
    let mut names = FxHashSet::default();
    let field_name = idx
        .index
        .schema()
        .get_field_name(idx.fields.outlet)
        .to_string();
    for segment in searcher.segment_readers() {
        let Ok(reader) = segment.facet_reader(&field_name) else {
            continue;
        };
        for ord in 0..reader.num_facets() as u64 {
            let mut facet = Facet::root();
            if reader.facet_from_ord(ord, &mut facet).is_ok() {
                if let Some(last) = facet.to_path().last() {
                    names.insert(last.to_string());
                }
            }
        }
    }
    let mut names: Vec<String> = names.into_iter().collect();
    names.sort();
    names
}

/// Resolves filter values against an open index: an outlet by any of its names (to one
/// present in the index), a group by its id (`entities.json`).
pub struct Resolver<'a> {
    pub outlets: &'a OutletTable,
    pub known_outlets: &'a [String],
    pub groups: &'a [String],
}

impl FacetResolver for Resolver<'_> {
    fn outlet(&self, name: &str) -> Option<Facet> {
        let canonical = self.outlets.canonical(name);
        self.known_outlets
            .iter()
            .find(|k| **k == canonical || k.to_lowercase() == canonical.to_lowercase())
            .map(|k| Facet::from_path(["outlet", k.as_ref() as &str]))
    }
    fn group(&self, name: &str) -> Option<Facet> {
        let id = name.trim().to_lowercase();
        self.groups
            .iter()
            .find(|g| **g == id)
            .map(|g| Facet::from_path(["group", g.as_str()]))
    }
    fn known_outlets(&self) -> Vec<String> {
        self.known_outlets.to_vec()
    }
    fn known_groups(&self) -> Vec<String> {
        self.groups.to_vec()
    }
}
