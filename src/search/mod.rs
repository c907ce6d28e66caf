//! Searching the passage index: the query language, query building, ranking, facets,
//! snippets.

pub mod query;
pub mod snippet;
