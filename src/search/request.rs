//! What a search is asked ([`SearchRequest`]) and what it answers ([`SearchResponse`]):
//! the one interface of [`super::Engine::search`] for the CLI, batch runs, eval and a
//! server. Both are serde types: a JSON body or an HTTP query string maps onto a request
//! (every field has its default), and a response serialises to the JSON of
//! `akhbar search --json` (README: a stable interface).

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::plan::{MatchMode, WordPlan};
use super::present::snippet::Snippet;
use crate::entities::GroupTag;
use crate::ingest::record::Date;

/// One search. `SearchRequest::default()` (and a JSON object with only `query`) is an
/// interactive search: ten articles, facets, snippets, `match: auto`, group expansion.
/// A batch run turns off what it does not print (`facets`, `snippets`, `documents`) and
/// ranks with `match: any`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SearchRequest {
    pub query: String,
    pub limit: usize,
    pub offset: usize,
    /// Outlet names or aliases; several means any of them.
    #[serde(alias = "outlet")]
    pub outlets: Vec<String>,
    /// Groups (`wagner`, …); several means any of them.
    pub about: Vec<String>,
    /// Published on or after / on or before (inclusive days, `YYYY-MM-DD`).
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
    #[serde(rename = "match")]
    pub match_mode: MatchMode,
    /// Expand words that name a group (Wagner, فاجنر, JNIM…) to the group's tag.
    pub expand: bool,
    /// Show a story's copies across outlets once, as its best-ranked article (off:
    /// every copy; batch runs turn it off).
    pub collapse_stories: bool,
    /// Result order: by relevance, or by publication date (undated articles last).
    pub sort: Sort,
}

/// The order of results.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Sort {
    /// By score (the default).
    #[default]
    Relevance,
    /// Most recently published first (then by article).
    Newest,
    /// Earliest published first.
    Oldest,
}

impl Sort {
    /// `relevance`, `newest` or `oldest` (empty: relevance).
    pub fn parse(s: &str) -> Option<Sort> {
        match s {
            "" | "relevance" => Some(Sort::Relevance),
            "newest" => Some(Sort::Newest),
            "oldest" => Some(Sort::Oldest),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Sort::Relevance => "relevance",
            Sort::Newest => "newest",
            Sort::Oldest => "oldest",
        }
    }
}

impl Default for SearchRequest {
    fn default() -> Self {
        SearchRequest {
            query: String::new(),
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
            collapse_stories: true,
            sort: Sort::Relevance,
        }
    }
}

impl SearchRequest {
    /// An interactive search for `query` with the default settings.
    pub fn new(query: impl Into<String>) -> SearchRequest {
        SearchRequest {
            query: query.into(),
            ..SearchRequest::default()
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
    /// The story the article belongs to: its copies, outlets and first publication
    /// (interactive searches).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub story: Option<super::rank::stories::StoryInfo>,
    /// How many of the query's words the passage has, when it lacks some (a
    /// `match: auto` run of words ranks the passages with more of them first).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub words_matched: Option<WordsMatched>,
    #[serde(skip)]
    pub snippet_parts: Option<Snippet>,
}

/// A hit that has `matched` of the query's `of` words.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct WordsMatched {
    pub matched: usize,
    pub of: usize,
}

impl Hit {
    /// A hit carrying only its ids (batch runs).
    pub(crate) fn ids_only(rank: usize, score: f32, doc_id: Arc<str>, passage: u64) -> Hit {
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
            story: None,
            words_matched: None,
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
    /// Matching stories (copies of one story counted once); None when not counted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stories: Option<u64>,
    pub took_ms: f64,
    pub hits: Vec<Hit>,
    pub facets: Facets,
    /// What each typed word became.
    pub parsed: Vec<WordPlan>,
    pub notes: Vec<String>,
}

impl SearchResponse {
    /// No results for `request` (before anything was counted).
    pub(crate) fn empty(request: &SearchRequest) -> SearchResponse {
        SearchResponse {
            query: request.query.clone(),
            total: None,
            stories: None,
            took_ms: 0.0,
            hits: Vec::new(),
            facets: Facets::default(),
            parsed: Vec::new(),
            notes: Vec::new(),
        }
    }
}

/// Counts over the whole result set.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Facets {
    pub outlet: BTreeMap<String, u64>,
    pub group: BTreeMap<String, u64>,
    /// Per outlet, the matching stories it carried (a story carried by three outlets
    /// counts once in each); `outlet` counts articles.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub outlet_stories: BTreeMap<String, u64>,
    /// Articles (passages with `all_passages`) per publication month, `YYYY-MM`.
    pub dates: BTreeMap<String, u64>,
}

/// Errors a search (or opening an index for searching) can end with, each named for
/// what failed and worded for users.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("nothing to search for in {0:?}: type a word, a \"phrase\", or use --outlet/--about/--from/--to")]
    EmptyQuery(String),
    /// The index directory (missing, incompatible, locked, unreadable…).
    #[error("{0}")]
    Index(#[from] crate::index::IndexError),
    /// The index definition (`index-schema/`) cannot be used to search: an analyzer or
    /// the gazetteer does not build. Not a damaged index.
    #[error("the index definition cannot be used: {0}")]
    Definition(String),
    #[error("search failed: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
}

/// A query as an error message quotes it: whole up to 60 characters, else its first 60
/// and an ellipsis (a 10,000-character query is one readable line).
pub(crate) fn shortened(query: &str) -> String {
    const SHOWN: usize = 60;
    match query.char_indices().nth(SHOWN) {
        Some((end, _)) => format!("{}…", &query[..end]),
        None => query.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_json_body_with_only_a_query_is_the_default_search() {
        let request: SearchRequest = serde_json::from_str(r#"{"query": "فاغنر"}"#).unwrap();
        assert_eq!(request, SearchRequest::new("فاغنر"));
        assert_eq!(request.limit, 10);
        assert!(request.facets && request.snippets && request.documents && request.expand);
        assert_eq!(request.match_mode, MatchMode::Auto);
    }

    #[test]
    fn a_json_body_maps_every_field() {
        let request: SearchRequest = serde_json::from_str(
            r#"{"query": "مالي", "limit": 5, "offset": 10, "outlet": ["BBC"],
                "about": ["wagner"], "from": "2024-07-01", "to": "2024-08-31",
                "all_passages": true, "match": "any", "expand": false}"#,
        )
        .unwrap();
        assert_eq!(request.limit, 5);
        assert_eq!(request.offset, 10);
        assert_eq!(request.outlets, vec!["BBC"]);
        assert_eq!(request.about, vec!["wagner"]);
        assert_eq!(
            request.from.map(|d| d.to_string()).as_deref(),
            Some("2024-07-01")
        );
        assert_eq!(
            request.to.map(|d| d.to_string()).as_deref(),
            Some("2024-08-31")
        );
        assert!(request.all_passages && !request.expand);
        assert_eq!(request.match_mode, MatchMode::Any);
        // And back: dates as YYYY-MM-DD, the mode in lowercase.
        let json = serde_json::to_value(&request).unwrap();
        assert_eq!(json["from"], "2024-07-01");
        assert_eq!(json["match"], "any");
    }

    #[test]
    fn bad_fields_and_dates_are_errors_that_say_what() {
        let err = serde_json::from_str::<SearchRequest>(r#"{"query": "x", "from": "2024-02-30"}"#)
            .unwrap_err();
        assert!(err.to_string().contains("YYYY-MM-DD"), "{err}");
        let err =
            serde_json::from_str::<SearchRequest>(r#"{"query": "x", "limt": 3}"#).unwrap_err();
        assert!(err.to_string().contains("limt"), "{err}");
        let err = serde_json::from_str::<SearchRequest>(r#"{"match": "some"}"#).unwrap_err();
        assert!(err.to_string().contains("some"), "{err}");
    }
}
