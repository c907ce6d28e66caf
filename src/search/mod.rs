//! Searching the passage index: the query language ([`query`]), query building
//! ([`build`]), ranking with collapsing by article, facet counts ([`collect`]) and
//! snippets ([`snippet`]).

use std::collections::BTreeMap;
use std::ops::Bound;
use std::path::Path;
use std::sync::{Arc, OnceLock};
use std::time::Instant;

use anyhow::Context;
use rustc_hash::FxHashSet;
use serde::Serialize;
use tantivy::columnar::Column;
use tantivy::query::{
    BooleanQuery, ConstScoreQuery, EmptyQuery, Occur, Query, RangeQuery, TermQuery,
};
use tantivy::schema::{Facet, IndexRecordOption, OwnedValue, Value};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{DateTime, DocAddress, IndexReader, Searcher, TantivyDocument, Term};

use crate::analysis::Analysis;
use crate::config::Config;
use crate::entities::{Gazetteer, GroupTag};
use crate::index::AkhbarIndex;
use crate::ingest::outlets::OutletTable;
use crate::ingest::record::Date;

pub mod build;
pub mod collect;
pub mod query;
pub mod snippet;
pub mod topk;
pub mod vocabulary;

use build::{FacetResolver, QueryBuilder, QueryFields, QueryPlan, WordPlan};
pub use build::{MatchMode, QueryWeights, DEFAULT_WEIGHTS};
use collect::{CountCollector, Counts};
use topk::Staged;
use vocabulary::SearcherVocabulary;

/// Bytes of passage text shown in a snippet (about 150 Arabic letters).
pub const SNIPPET_BYTES: usize = 300;

/// One search.
#[derive(Clone, Debug)]
pub struct SearchRequest {
    pub query: String,
    pub limit: usize,
    pub offset: usize,
    /// Outlet names or aliases; several means any of them.
    pub outlets: Vec<String>,
    /// Groups (`wagner`, …); several means any of them.
    pub about: Vec<String>,
    /// Published on or after / on or before (inclusive days).
    pub from: Option<Date>,
    pub to: Option<Date>,
    /// One hit per passage instead of the best passage per article.
    pub all_passages: bool,
    /// Count the whole result set (facets, totals). Off for batch runs.
    pub facets: bool,
    /// Snippets and highlights. Off for batch runs.
    pub snippets: bool,
    /// Score breakdowns.
    pub explain: bool,
    /// Load each hit's stored fields (title, text…). Off for batch runs, which need
    /// only ids.
    pub documents: bool,
    pub match_mode: MatchMode,
    /// Expand words that name a group (Wagner, فاجنر, JNIM…) to the group's tag.
    pub expand: bool,
}

impl SearchRequest {
    /// An interactive search for `query` with default settings.
    pub fn new(query: impl Into<String>) -> SearchRequest {
        SearchRequest {
            query: query.into(),
            limit: 10,
            offset: 0,
            outlets: Vec::new(),
            about: Vec::new(),
            from: None,
            to: None,
            all_passages: false,
            facets: true,
            snippets: true,
            explain: false,
            documents: true,
            match_mode: MatchMode::Auto,
            expand: true,
        }
    }
}

/// One result.
#[derive(Clone, Debug, Serialize)]
pub struct Hit {
    pub rank: usize,
    pub score: f32,
    /// The article id (shared with the engine's id table: a batch hit copies no text).
    pub doc_id: Arc<str>,
    /// The passage's ordinal in its article.
    pub passage: u64,
    pub outlet: Option<String>,
    pub title: Option<String>,
    pub published: Option<String>,
    pub url: Option<String>,
    /// The passage text as written.
    pub text: String,
    pub snippet: String,
    /// Byte ranges of the matched words in `text`.
    pub highlights: Vec<[usize; 2]>,
    /// Other matching passages of the same article (collapsed mode).
    pub more_passages: u32,
    /// Groups the passage is tagged with.
    pub groups: Vec<String>,
    /// How: mentions by own and related names, in the passage and its title, strength.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub group_detail: Vec<GroupTag>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explanation: Option<serde_json::Value>,
    #[serde(skip)]
    pub snippet_parts: Option<snippet::Snippet>,
}

impl Hit {
    /// A hit carrying only its ids (batch runs).
    fn ids_only(rank: usize, score: f32, doc_id: Arc<str>, passage: u64) -> Hit {
        Hit {
            rank,
            score,
            doc_id,
            passage,
            outlet: None,
            title: None,
            published: None,
            url: None,
            text: String::new(),
            snippet: String::new(),
            highlights: Vec::new(),
            more_passages: 0,
            groups: Vec::new(),
            group_detail: Vec::new(),
            explanation: None,
            snippet_parts: None,
        }
    }
}

/// A search's results.
#[derive(Clone, Debug, Serialize)]
pub struct SearchResponse {
    pub query: String,
    /// Matching articles (or passages with `all_passages`); None when not counted.
    pub total: Option<u64>,
    pub took_ms: f64,
    pub hits: Vec<Hit>,
    pub facets: Facets,
    /// What each typed word became.
    pub parsed: Vec<WordPlan>,
    pub notes: Vec<String>,
}

/// Counts over the whole result set.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Facets {
    pub outlet: BTreeMap<String, u64>,
    pub group: BTreeMap<String, u64>,
}

/// Errors a search can end with, worded for users.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("nothing to search for in {0:?}: type a word, a \"phrase\", or use --outlet/--about/--from/--to")]
    EmptyQuery(String),
    #[error("{0}")]
    Index(#[from] crate::index::IndexError),
    #[error("search failed: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
}

/// A query as an error message quotes it: whole up to 60 characters, else its first 60
/// and an ellipsis (a 10,000-character query is one readable line).
fn shortened(query: &str) -> String {
    const SHOWN: usize = 60;
    match query.char_indices().nth(SHOWN) {
        Some((end, _)) => format!("{}…", &query[..end]),
        None => query.to_string(),
    }
}

/// The group ids the index may be tagged with, in facet-bit order.
pub const GROUP_IDS: &[&str] = &["wagner", "africa-corps", "csp-dpa", "jnim"];

/// An open index ready to answer searches.
pub struct Engine {
    pub idx: AkhbarIndex,
    reader: IndexReader,
    ranked: TextAnalyzer,
    exact: TextAnalyzer,
    outlets: OutletTable,
    /// The outlets present in the index, read once (the reader does not reload).
    outlets_in_index: Vec<String>,
    group_facets: Vec<Facet>,
    gazetteer: Gazetteer,
    /// Article ids by segment and id ordinal, read once on first use (see
    /// [`Engine::load_article_ids`]).
    article_ids: OnceLock<Vec<SegmentIds>>,
    /// The `article_key` column of each segment (the reader does not reload).
    article_keys: Vec<Option<Column<u64>>>,
    /// Each segment's article numbers for collapsing: the article id's ordinal.
    article_numbers: topk::ArticleColumns,
}

/// One segment's passage ordinals and article ids, for hits without documents.
pub struct SegmentIds {
    ordinals: Option<Column<u64>>,
    /// Article ids by their ordinal in the segment's id dictionary (a passage's
    /// ordinal is its article number, `Engine::article_numbers`).
    ids: Vec<Arc<str>>,
}

struct Resolver<'a> {
    outlets: &'a OutletTable,
    known_outlets: &'a [String],
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
        GROUP_IDS
            .iter()
            .find(|g| **g == id)
            .map(|g| Facet::from_path(["group", g]))
    }
    fn known_outlets(&self) -> Vec<String> {
        self.known_outlets.to_vec()
    }
    fn known_groups(&self) -> Vec<String> {
        GROUP_IDS.iter().map(|g| g.to_string()).collect()
    }
}

impl Engine {
    /// Opens the live index under `root`.
    pub fn open(root: &Path, config: &Config) -> Result<Engine, SearchError> {
        let idx = AkhbarIndex::open(root, config)?;
        let reader = idx.reader()?;
        let analysis = Analysis::new(config).map_err(|e| {
            SearchError::Tantivy(tantivy::TantivyError::InvalidArgument(e.to_string()))
        })?;
        let gazetteer = Gazetteer::new(config).map_err(|e| {
            SearchError::Tantivy(tantivy::TantivyError::InvalidArgument(format!("{e:#}")))
        })?;
        let missing =
            |name: &str| tantivy::TantivyError::InvalidArgument(format!("no analyzer {name}"));
        let searcher = reader.searcher();
        let outlets_in_index = outlets_in_index(&idx, &searcher);
        let article_keys = searcher
            .segment_readers()
            .iter()
            .map(|segment| segment.fast_fields().u64("article_key").ok())
            .collect();
        let id_field = idx
            .index
            .schema()
            .get_field_name(idx.fields.article_id)
            .to_string();
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
        Ok(Engine {
            article_keys,
            article_numbers,
            outlets_in_index,
            // Queries decide senses as queries do: a bare مالي asks for Mali.
            ranked: analysis
                .query_analyzer("arabic")
                .ok_or_else(|| missing("arabic"))?,
            exact: analysis
                .query_analyzer("arabic_exact")
                .ok_or_else(|| missing("arabic_exact"))?,
            outlets: OutletTable::new(&config.outlets),
            group_facets: GROUP_IDS
                .iter()
                .map(|g| Facet::from_path(["group", g]))
                .collect(),
            gazetteer,
            idx,
            reader,
            article_ids: OnceLock::new(),
        })
    }

    /// The outlets present in the index (canonical names).
    pub fn outlets(&self) -> &[String] {
        &self.outlets_in_index
    }

    fn fields(&self) -> QueryFields {
        let f = &self.idx.fields;
        QueryFields {
            text: f.text,
            text_exact: f.text_exact,
            title: f.title,
            outlet: f.outlet,
            group: f.group,
            group_terms: f.group_terms,
        }
    }

    /// Parses and builds the query of a request, with its filters.
    fn plan(
        &self,
        request: &SearchRequest,
        resolver: &Resolver,
        searcher: &Searcher,
    ) -> Result<(Box<dyn Query>, QueryPlan), SearchError> {
        let vocabulary = SearcherVocabulary(searcher);
        let parsed = query::parse(&request.query);
        let mut builder = QueryBuilder {
            fields: self.fields(),
            ranked: self.ranked.clone(),
            exact: self.exact.clone(),
            facets: resolver,
            match_mode: request.match_mode,
            weights: QueryWeights::default(),
            groups: request.expand.then_some(&self.gazetteer),
            vocabulary: Some(&vocabulary),
        };
        let mut plan = builder.build(&parsed);
        let mut filters: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        if !request.outlets.is_empty() {
            let mut any: Vec<(Occur, Box<dyn Query>)> = Vec::new();
            for name in &request.outlets {
                match resolver.outlet(name) {
                    Some(facet) => {
                        any.push((Occur::Should, facet_query(self.idx.fields.outlet, &facet)))
                    }
                    None => plan.notes.push(format!(
                        "no outlet `{name}` in the index (outlets: {})",
                        resolver.known_outlets.join(", ")
                    )),
                }
            }
            filters.push((Occur::Must, Box::new(BooleanQuery::new(any))));
        }
        if !request.about.is_empty() {
            let mut any: Vec<(Occur, Box<dyn Query>)> = Vec::new();
            for name in &request.about {
                match resolver.group(name) {
                    Some(facet) => {
                        any.push((Occur::Should, facet_query(self.idx.fields.group, &facet)));
                        // Rank by how central the group is (matters when the filter is
                        // the whole query).
                        let id = facet.to_path().last().map_or("", |s| *s).to_string();
                        filters.push((
                            Occur::Should,
                            build::group_query(self.idx.fields.group_terms, &id),
                        ));
                    }
                    None => plan.notes.push(format!(
                        "unknown group `{name}` (groups: {})",
                        GROUP_IDS.join(", ")
                    )),
                }
            }
            filters.push((Occur::Must, Box::new(BooleanQuery::new(any))));
        }
        if request.from.is_some() || request.to.is_some() {
            let field = self.idx.fields.published;
            let day = |d: Date| DateTime::from_timestamp_secs(d.days_since_epoch() * 86_400);
            let lower = request.from.map_or(Bound::Unbounded, |d| {
                Bound::Included(Term::from_field_date(field, day(d)))
            });
            let upper = request.to.map_or(Bound::Unbounded, |d| {
                Bound::Excluded(Term::from_field_date(
                    field,
                    day(Date::from_days_since_epoch(d.days_since_epoch() + 1)),
                ))
            });
            filters.push((
                Occur::Must,
                Box::new(ConstScoreQuery::new(
                    Box::new(RangeQuery::new(lower, upper)),
                    0.0,
                )),
            ));
        }
        let has_filters = !filters.is_empty();
        if !plan.has_positive_clause && !has_filters {
            return Err(SearchError::EmptyQuery(shortened(&request.query)));
        }
        // The plan's query moves into the one searched (the plan keeps the rest).
        let planned = std::mem::replace(&mut plan.query, Box::new(EmptyQuery));
        let query: Box<dyn Query> = if has_filters {
            let mut clauses: Vec<(Occur, Box<dyn Query>)> =
                filters.iter().map(|(o, q)| (*o, q.box_clone())).collect();
            if plan.has_positive_clause {
                clauses.push((Occur::Must, planned));
            } else {
                // Filters alone: every passage that passes them, and the exclusions.
                clauses.push((Occur::Should, planned));
            }
            Box::new(BooleanQuery::new(clauses))
        } else {
            planned
        };
        if let (Some(all_words), true) = (&mut plan.all_words, has_filters) {
            // The extra candidates pass the same filters.
            let mut clauses = filters;
            clauses.push((Occur::Must, all_words.query.box_clone()));
            all_words.query = Box::new(BooleanQuery::new(clauses));
        }
        Ok((query, plan))
    }

    /// Runs one search.
    pub fn search(&self, request: &SearchRequest) -> Result<SearchResponse, SearchError> {
        let started = Instant::now();
        let searcher = self.reader.searcher();
        let resolver = Resolver {
            outlets: &self.outlets,
            known_outlets: &self.outlets_in_index,
        };
        let (query, plan) = self.plan(request, &resolver, &searcher)?;
        let wanted = request.offset + request.limit;
        let staged = Staged {
            base: query.as_ref(),
            bonuses: &plan.bonuses,
            all_words: plan.all_words.as_ref(),
        };
        let ranked = self.rank(&searcher, &staged, wanted, request.all_passages)?;
        let counts = if request.facets {
            Some(searcher.search(
                query.as_ref(),
                &CountCollector {
                    article_key_field: "article_key".into(),
                    outlet_field: self.field_name(self.idx.fields.outlet),
                    group_field: self.field_name(self.idx.fields.group),
                    group_facets: self.group_facets.clone(),
                },
            )?)
        } else {
            None
        };
        let page: Vec<(f32, DocAddress, u64)> = ranked
            .into_iter()
            .skip(request.offset)
            .take(request.limit)
            .collect();
        let mut hits = Vec::with_capacity(page.len());
        // What a hit's score is the sum of: the query and its rescored bonus clauses.
        let scored: Option<Box<dyn Query>> =
            (request.explain && !plan.bonuses.is_empty()).then(|| {
                let mut clauses = vec![(Occur::Must, query.box_clone())];
                clauses.extend(plan.bonuses.iter().map(|b| (Occur::Should, b.box_clone())));
                Box::new(BooleanQuery::new(clauses)) as Box<dyn Query>
            });
        let mut analyzers = [
            (self.ranked.clone(), &plan.ranked_highlights),
            (self.exact.clone(), &plan.exact_highlights),
        ];
        let ids = if request.documents {
            Vec::new()
        } else {
            self.page_ids(&page)
        };
        for (i, (score, address, key)) in page.into_iter().enumerate() {
            let rank = request.offset + i + 1;
            let mut hit = if request.documents {
                let doc: TantivyDocument = searcher.doc(address)?;
                self.hit(&doc, rank, score)
            } else {
                let (doc_id, passage) = ids.get(i).cloned().unwrap_or_else(|| (Arc::from(""), 0));
                Hit::ids_only(rank, score, doc_id, passage)
            };
            if let Some(counts) = &counts {
                if !request.all_passages {
                    hit.more_passages =
                        counts.get(&key).map_or(0, |a| a.passages.saturating_sub(1));
                }
            }
            if request.snippets {
                let matches = snippet::find_matches(&mut analyzers, &hit.text);
                let snippet = snippet::make_snippet(&hit.text, &matches, SNIPPET_BYTES);
                hit.highlights = matches.iter().map(|m| [m.0, m.1]).collect();
                hit.snippet = snippet::render(&snippet, "", "");
                hit.snippet_parts = Some(snippet);
            }
            if request.explain {
                hit.explanation = explain(
                    scored.as_deref().unwrap_or(query.as_ref()),
                    &searcher,
                    address,
                );
            }
            hits.push(hit);
        }
        let (total, facets) = match &counts {
            Some(counts) => (
                Some(if request.all_passages {
                    counts.values().map(|a| a.passages as u64).sum()
                } else {
                    counts.len() as u64
                }),
                self.facets(counts, request.all_passages),
            ),
            None => (None, Facets::default()),
        };
        Ok(SearchResponse {
            query: request.query.clone(),
            total,
            took_ms: started.elapsed().as_secs_f64() * 1000.0,
            hits,
            facets,
            parsed: plan.words,
            notes: plan.notes,
        })
    }

    fn field_name(&self, field: tantivy::schema::Field) -> String {
        self.idx.index.schema().get_field_name(field).to_string()
    }

    /// The top `wanted` results of a staged query, collapsed by article unless
    /// `all_passages`: (score, best passage, article key), best first, ties broken by
    /// article key then address.
    fn rank(
        &self,
        searcher: &Searcher,
        query: &Staged,
        wanted: usize,
        all_passages: bool,
    ) -> Result<Vec<(f32, DocAddress, u64)>, SearchError> {
        let key = |address: DocAddress| -> u64 {
            self.article_keys
                .get(address.segment_ord as usize)
                .and_then(|c| c.as_ref()?.first(address.doc_id))
                .unwrap_or(((address.segment_ord as u64) << 32) | address.doc_id as u64)
        };
        if !all_passages {
            return Ok(topk::top_articles(
                searcher,
                query,
                self.article_numbers.clone(),
                &key,
                wanted,
            )?);
        }
        let top = topk::top_passages(searcher, query, wanted)?;
        let mut out: Vec<(f32, DocAddress, u64)> = top
            .into_iter()
            .map(|(score, address)| (score, address, key(address)))
            .collect();
        // Same score: order by article key, then address, so ties are deterministic.
        out.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.2.cmp(&b.2)).then(a.1.cmp(&b.1)));
        Ok(out)
    }

    fn facets(&self, counts: &Counts, per_passage: bool) -> Facets {
        let mut facets = Facets::default();
        for agg in counts.values() {
            let weight = if per_passage { agg.passages as u64 } else { 1 };
            if let Some(outlet) = &agg.outlet {
                *facets.outlet.entry(outlet.to_string()).or_insert(0) += weight;
            }
            for (bit, id) in GROUP_IDS.iter().enumerate() {
                if agg.groups & (1 << bit) != 0 {
                    *facets.group.entry(id.to_string()).or_insert(0) += weight;
                }
            }
        }
        facets
    }

    /// Reads every article id of the index into memory, once: hits without documents
    /// (batch runs) then get their ids without decompressing a block of the id
    /// dictionary per query, which otherwise costs more than the search. A batch run
    /// calls it before its first query; otherwise the first such search does.
    pub fn load_article_ids(&self) -> &[SegmentIds] {
        self.article_ids.get_or_init(|| {
            let id_field = self.field_name(self.idx.fields.article_id);
            let ordinal_field = self.field_name(self.idx.fields.ordinal);
            let searcher = self.reader.searcher();
            searcher
                .segment_readers()
                .iter()
                .map(|segment| {
                    let fast = segment.fast_fields();
                    let mut table = SegmentIds {
                        ordinals: fast.u64(&ordinal_field).ok(),
                        ids: Vec::new(),
                    };
                    if let Ok(Some(column)) = fast.str(&id_field) {
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
    fn page_ids(&self, page: &[(f32, DocAddress, u64)]) -> Vec<(Arc<str>, u64)> {
        let tables = self.load_article_ids();
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

    fn hit(&self, doc: &TantivyDocument, rank: usize, score: f32) -> Hit {
        let f = &self.idx.fields;
        let text_of = |field| {
            doc.get_first(field)
                .and_then(|v| v.as_str())
                .map(str::to_string)
        };
        let facets_of = |field, prefix: &str| -> Vec<String> {
            doc.get_all(field)
                .filter_map(|v| match OwnedValue::from(v) {
                    OwnedValue::Facet(facet) => facet
                        .to_path()
                        .first()
                        .filter(|p| **p == prefix)
                        .and(facet.to_path().last().map(|s| s.to_string())),
                    _ => None,
                })
                .collect()
        };
        let published = doc
            .get_first(f.published)
            .and_then(|v| v.as_datetime())
            .map(|d| {
                Date::from_days_since_epoch(d.into_timestamp_secs().div_euclid(86_400)).to_string()
            });
        Hit {
            rank,
            score,
            doc_id: text_of(f.article_id).unwrap_or_default().into(),
            passage: doc
                .get_first(f.ordinal)
                .and_then(|v| v.as_u64())
                .unwrap_or(0),
            outlet: facets_of(f.outlet, "outlet").into_iter().next(),
            title: text_of(f.title),
            published,
            url: text_of(f.url),
            text: text_of(f.text).unwrap_or_default(),
            snippet: String::new(),
            highlights: Vec::new(),
            more_passages: 0,
            groups: facets_of(f.group, "group"),
            group_detail: text_of(f.groups_detail)
                .and_then(|j| serde_json::from_str(&j).ok())
                .unwrap_or_default(),
            explanation: None,
            snippet_parts: None,
        }
    }
}

/// A hit's score breakdown. tantivy 0.27 can panic explaining some phrase matches (an
/// assertion in its phrase scorer's `seek`); that must not take the search down, so the
/// explanation is then replaced by a note.
fn explain(
    query: &dyn Query,
    searcher: &Searcher,
    address: DocAddress,
) -> Option<serde_json::Value> {
    let previous_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        query.explain(searcher, address)
    }));
    std::panic::set_hook(previous_hook);
    match result {
        Ok(Ok(explanation)) => serde_json::from_str(&explanation.to_pretty_json()).ok(),
        Ok(Err(e)) => Some(serde_json::json!({ "unavailable": e.to_string() })),
        Err(_) => Some(serde_json::json!({
            "unavailable": "tantivy could not explain this phrase match"
        })),
    }
}

/// The outlets present in an index (canonical names, sorted).
fn outlets_in_index(idx: &AkhbarIndex, searcher: &Searcher) -> Vec<String> {
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

fn facet_query(field: tantivy::schema::Field, facet: &Facet) -> Box<dyn Query> {
    Box::new(ConstScoreQuery::new(
        Box::new(TermQuery::new(
            Term::from_facet(field, facet),
            IndexRecordOption::Basic,
        )),
        0.0,
    ))
}

/// Opens the index for searching, with a message naming the directory on failure.
pub fn open(root: &Path, config: &Config) -> anyhow::Result<Engine> {
    match Engine::open(root, config) {
        Ok(engine) => Ok(engine),
        // The files are there but tantivy cannot read them: damaged on disk.
        Err(SearchError::Tantivy(e)) => Err(anyhow::anyhow!(
            "index {dir} is damaged and cannot be searched ({e}); rebuild it with \
             `akhbar reindex --index {dir} INPUT...`",
            dir = root.display()
        )),
        Err(e) => Err(e).with_context(|| format!("opening index {}", root.display())),
    }
}
