//! akhbar: full-text search for Arabic news, on tantivy.
//!
//! The library is organised one module per concern; the `akhbar` binary is a thin
//! clap layer over it.
//! - [`analysis`]: Arabic tokenisation, normalisation, name folding, light stemming,
//!   stop words — as tantivy tokenizers.
//! - [`eval`]: retrieval evaluation (MRR@10, nDCG@10, recall) of akhbar against baselines.
//! - [`config`]: the index definition read from `index-schema/` (compiled in, overridable).

pub mod analysis;
pub mod cli;
pub mod config;
pub mod eval;
