//! Registers the analyzers the schema names ("arabic", "arabic_exact", …) on an index,
//! from [`crate::analysis::Analysis`].

use tantivy::Index;

use crate::analysis::Analysis;
use crate::config::Config;

pub fn register(index: &Index, config: &Config) -> anyhow::Result<()> {
    Analysis::new(config)?.register(index.tokenizers());
    Ok(())
}
