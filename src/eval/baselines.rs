//! Registration of the analyzers the systems use.
//!
//! `snowball_ar` (SimpleTokenizer + LowerCaser + Stemmer(Arabic)) is registered here
//! until `akhbar::analysis::baselines` lands on main.

use tantivy::tokenizer::{
    Language, LowerCaser, SimpleTokenizer, Stemmer, TextAnalyzer, TokenizerManager,
};

use crate::config::Config;

/// Registers the baseline analyzers.
pub fn register(manager: &TokenizerManager) {
    manager.register(
        "snowball_ar",
        TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(LowerCaser)
            .filter(Stemmer::new(Language::Arabic))
            .build(),
    );
}

/// Registers the analyzers a config defines (`arabic`, `arabic_exact`, …).
pub fn register_config(_manager: &TokenizerManager, _config: &Config) -> anyhow::Result<()> {
    // Wired to `akhbar::analysis::Analysis` once it is on main.
    Ok(())
}
