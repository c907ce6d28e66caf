//! `akhbar serve`: the search page and the JSON API (see `akhbar::server`).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{bail, Context};
use clap::Args;

use akhbar::config::Config;
use akhbar::index;
use akhbar::server::{serve, ServeOptions};

#[derive(Args, Debug)]
pub struct ServeArgs {
    /// Index directory (default: $AKHBAR_INDEX, else .akhbar-index; the sample index is
    /// built there first when there is none).
    #[arg(long, value_name = "DIR")]
    pub index: Option<PathBuf>,
    /// Address to listen on. The default is loopback only; 0.0.0.0:PORT serves every
    /// network the machine is on (the read API has no authentication).
    #[arg(long, default_value = "127.0.0.1:8080", value_name = "ADDR:PORT")]
    pub listen: SocketAddr,
    /// A file holding the bearer token of the write API (POST /api/v1/articles);
    /// without it the write API is off.
    #[arg(long, value_name = "FILE")]
    pub write_token_file: Option<PathBuf>,
    /// Longest a request may take, in seconds.
    #[arg(long, default_value_t = 30, value_name = "SECONDS")]
    pub timeout: u64,
}

fn read_token(path: &std::path::Path) -> anyhow::Result<String> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("reading the write token file {}", path.display()))?;
    let token = text.trim();
    if token.len() < 16 || token.contains(char::is_whitespace) {
        bail!(
            "the write token in {} must be one word of at least 16 characters",
            path.display()
        );
    }
    Ok(token.to_string())
}

pub fn run(config: &Config, args: ServeArgs) -> anyhow::Result<ExitCode> {
    let root = index::resolve_dir(args.index.as_deref());
    let is_default =
        args.index.is_none() && std::env::var_os(index::INDEX_ENV).is_none_or(|v| v.is_empty());
    // A fresh clone: build the sample index first, as `search` does. An explicit
    // directory without an index is served as 503 until one appears there.
    if is_default {
        if let Some(summary) = index::rebuild::ensure_index(&root, config)? {
            eprintln!(
                "akhbar: no index at {dir}: indexed {} sample articles into it ({} passages)",
                summary.articles,
                summary.passages,
                dir = root.display()
            );
        }
    }
    let mut opts = ServeOptions::new(root.clone(), args.listen);
    opts.write_token = args
        .write_token_file
        .as_deref()
        .map(read_token)
        .transpose()?;
    opts.request_timeout = std::time::Duration::from_secs(args.timeout.max(1));
    let write = if opts.write_token.is_some() {
        "on"
    } else {
        "off"
    };
    serve(config.clone(), opts, |addr| {
        eprintln!(
            "akhbar: serving {} (write API {write}); open this address:",
            root.display()
        );
        println!("http://{addr}/");
    })?;
    Ok(ExitCode::SUCCESS)
}
