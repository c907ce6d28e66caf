//! Registers the analyzers the schema names on an index.
//!
//! TEMPORARY SHIM (until `akhbar::analysis::Analysis` lands on main): "arabic" and
//! "arabic_exact" are tantivy's default analyzer (SimpleTokenizer, RemoveLongFilter(40),
//! LowerCaser). Delete this body and call
//! `Analysis::new(config)?.register(index.tokenizers())` once main has it.

use tantivy::tokenizer::{LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer};
use tantivy::Index;

use crate::config::Config;

pub fn register(index: &Index, config: &Config) -> anyhow::Result<()> {
    let _ = config;
    for name in ["arabic", "arabic_exact"] {
        let analyzer = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(RemoveLongFilter::limit(40))
            .filter(LowerCaser)
            .build();
        index.tokenizers().register(name, analyzer);
    }
    Ok(())
}
