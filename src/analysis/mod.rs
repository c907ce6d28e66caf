//! Arabic analysis as tantivy tokenizers.

pub mod normalize;
pub mod tokenizer;

/// Bumped whenever the analysis code changes what terms it produces.
pub const ANALYSIS_CODE_VERSION: &str = "akhbar-analysis-1";
