//! `akhbar analyze`: shows what an analyzer makes of a text — the first thing to reach for
//! when a search does not match.

use std::io::{IsTerminal, Read, Write};
use std::process::ExitCode;

use anyhow::{bail, Context};
use clap::Args;
use tantivy::tokenizer::TokenizerManager;

use akhbar::analysis::{analyze, baselines, Analysis, AnalyzedToken};
use akhbar::config::Config;

#[derive(Args, Debug)]
pub struct AnalyzeArgs {
    /// Analyzer to run: one of the schema's (arabic, arabic_exact) or a baseline
    /// (default, snowball_ar).
    #[arg(long, short, default_value = "arabic")]
    pub analyzer: String,
    /// Print a JSON array of {"term","position","start","end"} (byte offsets).
    #[arg(long)]
    pub json: bool,
    /// Text to analyse; read from standard input when absent.
    pub text: Option<String>,
}

pub fn run(config: &Config, args: AnalyzeArgs) -> anyhow::Result<ExitCode> {
    let text = match args.text {
        Some(text) => text,
        None => {
            let mut buf = Vec::new();
            std::io::stdin()
                .read_to_end(&mut buf)
                .context("reading standard input")?;
            String::from_utf8(buf).map_err(|e| {
                anyhow::anyhow!(
                    "standard input is not valid UTF-8 (first bad byte at offset {})",
                    e.utf8_error().valid_up_to()
                )
            })?
        }
    };
    let analysis = Analysis::new(config)?;
    let manager = TokenizerManager::default();
    analysis.register(&manager);
    baselines::register(&manager);
    let Some(mut analyzer) = manager.get(&args.analyzer) else {
        let mut known: Vec<&str> = analysis.names().collect();
        known.extend(["default", baselines::SNOWBALL_AR]);
        bail!(
            "unknown analyzer `{}` (known: {})",
            args.analyzer,
            known.join(", ")
        );
    };
    let tokens = analyze(&mut analyzer, &text);
    let mut out = std::io::stdout().lock();
    if args.json {
        serde_json::to_writer(&mut out, &tokens)?;
        writeln!(out)?;
    } else {
        write_table(&mut out, &text, &tokens, std::io::stdout().is_terminal())?;
    }
    Ok(ExitCode::SUCCESS)
}

/// One line per token: position, term, the surface it came from, byte offsets.
fn write_table(
    out: &mut impl Write,
    text: &str,
    tokens: &[AnalyzedToken],
    terminal: bool,
) -> std::io::Result<()> {
    if tokens.is_empty() {
        writeln!(out, "(no tokens)")?;
        return Ok(());
    }
    let width = |s: &str| s.chars().count();
    let term_width = tokens
        .iter()
        .map(|t| width(&t.term))
        .max()
        .unwrap_or(4)
        .max(4);
    let surface_width = tokens
        .iter()
        .map(|t| width(&text[t.start..t.end]))
        .max()
        .unwrap_or(7)
        .max(7);
    let (bold, reset) = if terminal {
        ("\x1b[1m", "\x1b[0m")
    } else {
        ("", "")
    };
    writeln!(
        out,
        "{bold}{:>4}  {:<term_width$}  {:<surface_width$}  bytes{reset}",
        "pos", "term", "surface"
    )?;
    for t in tokens {
        let surface = &text[t.start..t.end];
        // Pad by characters: the terminal lays out right-to-left runs itself.
        let term_pad = " ".repeat(term_width - width(&t.term));
        let surface_pad = " ".repeat(surface_width - width(surface));
        writeln!(
            out,
            "{:>4}  {}{term_pad}  {surface}{surface_pad}  {}..{}",
            t.position, t.term, t.start, t.end
        )?;
    }
    Ok(())
}
