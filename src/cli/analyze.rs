//! `akhbar analyze`.

use std::process::ExitCode;

use clap::Args;

use crate::config::Config;

#[derive(Args, Debug)]
pub struct AnalyzeArgs {
    /// Analyzer to run.
    #[arg(long, default_value = "arabic")]
    pub analyzer: String,
    /// Print a JSON array of {"term","position","start","end"}.
    #[arg(long)]
    pub json: bool,
    /// Text to analyse; read from standard input when absent.
    pub text: Option<String>,
}

pub fn run(_config: &Config, _args: AnalyzeArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("analyze: not wired yet")
}
