//! akhbar: full-text search for Arabic news, on tantivy.
//!
//! The library is organised one module per concern; the `akhbar` binary (`src/main.rs`,
//! `src/cli/`) is a thin clap layer over it. See ARCHITECTURE.md for the path of a
//! record and of a query.
//! - [`analysis`]: Arabic tokenisation, normalisation, name folding, light stemming,
//!   stop words — as tantivy tokenizers.
//! - [`entities`]: the four groups (Wagner, Africa Corps, CSP-DPA, JNIM): gazetteer,
//!   matcher and passage tags.
//! - [`eval`]: retrieval evaluation (MRR@10, nDCG@10, recall) of akhbar against baselines.
//! - [`config`]: the index definition read from `index-schema/` (compiled in, overridable).
//! - [`ingest`]: reading input records, boilerplate removal, page splitting, passages.
//! - [`index`]: the tantivy index of passages: schema, incremental indexing, rebuild with
//!   atomic switch, stats.
//! - [`search`]: one entry point, `Engine::search`: parse → plan → rank → present.
//! - [`output`]: the terminal result page (JSON is the response's serde form).
//! - [`stories`]: near-duplicate detection: the copies of one story across outlets.
//! - [`server`]: `akhbar serve`, the search page and the JSON API.

pub mod analysis;
pub mod config;
pub mod entities;
pub mod eval;
pub mod index;
pub mod ingest;
pub mod output;
pub mod search;
pub mod server;
pub mod stories;
