//! The reference analyzers akhbar is measured against, under fixed names.
//!
//! - `default`: tantivy's default tokenizer (SimpleTokenizer + RemoveLong + LowerCaser),
//!   already in every `TokenizerManager`: the speed floor, no Arabic handling.
//! - `snowball_ar`: SimpleTokenizer + LowerCaser + Stemmer(Arabic): the obvious tantivy
//!   setup for Arabic.

use tantivy::tokenizer::{
    Language, LowerCaser, SimpleTokenizer, Stemmer, TextAnalyzer, TokenizerManager,
};

/// Name of the Snowball Arabic baseline.
pub const SNOWBALL_AR: &str = "snowball_ar";

/// The Snowball Arabic baseline chain.
pub fn snowball_arabic() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(LowerCaser)
        .filter(Stemmer::new(Language::Arabic))
        .build()
}

/// Registers the baselines that tantivy does not register itself.
pub fn register(manager: &TokenizerManager) {
    manager.register(SNOWBALL_AR, snowball_arabic());
}
