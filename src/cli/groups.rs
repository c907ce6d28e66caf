//! `akhbar groups`: per group, passages, articles, outlets, dates and the spellings seen.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use akhbar::config::Config;
use akhbar::entities::Gazetteer;
use akhbar::index::groups::report;
use akhbar::index::{resolve_dir, AkhbarIndex};

#[derive(Args, Debug)]
pub struct GroupsArgs {
    /// Index directory [default: $AKHBAR_INDEX, else .akhbar-index].
    #[arg(long, value_name = "DIR")]
    pub index: Option<PathBuf>,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
    /// Spellings and outlets listed per group (the JSON has them all).
    #[arg(long, default_value_t = 12)]
    pub top: usize,
}

pub fn run(config: &Config, args: GroupsArgs) -> anyhow::Result<ExitCode> {
    let root = resolve_dir(args.index.as_deref());
    let idx = AkhbarIndex::open(&root, config)?;
    let gazetteer = Gazetteer::new(config)?;
    let groups = report(&idx, &gazetteer)?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&groups)?);
        return Ok(ExitCode::SUCCESS);
    }
    for g in &groups {
        let name = g.display.get("en").map_or(g.id.as_str(), String::as_str);
        println!("{} — {}", g.id, name);
        println!(
            "  passages  {} ({} by an own name, {} by related names only)",
            g.passages,
            g.passages_own_name,
            g.passages - g.passages_own_name
        );
        println!("  articles  {}", g.articles);
        match (&g.first_date, &g.last_date) {
            (Some(a), Some(b)) => {
                println!("  published {a} .. {b} ({} undated)", g.undated_articles)
            }
            _ => println!("  published - ({} undated)", g.undated_articles),
        }
        let list = |items: &[(String, u64)]| -> String {
            if items.is_empty() {
                return "-".into();
            }
            let mut shown: Vec<String> = items
                .iter()
                .take(args.top)
                .map(|(k, n)| format!("{k} {n}"))
                .collect();
            if items.len() > args.top {
                shown.push(format!("… {} more", items.len() - args.top));
            }
            shown.join(" · ")
        };
        println!("  outlets   {}", list(&g.outlets));
        println!("  spellings {}", list(&g.spellings));
        println!();
    }
    Ok(ExitCode::SUCCESS)
}
