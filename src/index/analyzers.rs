//! Registers the analyzers the schema names on an index.

use tantivy::Index;

use crate::analysis::Analysis;
use crate::config::Config;

/// Registers every analyzer of `config` (arabic, arabic_exact, …) on `index`.
pub fn register(index: &Index, config: &Config) -> anyhow::Result<()> {
    Analysis::new(config)?.register(index.tokenizers());
    Ok(())
}
