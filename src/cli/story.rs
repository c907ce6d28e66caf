//! `akhbar story ID` (a story's copies side by side) and the hidden
//! `akhbar boilerplate-report` (recurring lines per outlet, for `boilerplate.json`).

use std::path::{Path, PathBuf};

use anyhow::Context;
use std::process::ExitCode;

use clap::Args;

use akhbar::config::Config;
use akhbar::index::{resolve_dir, AkhbarIndex};
use akhbar::ingest::learned::Rules;
use akhbar::ingest::learned_report::{BoilerplateCounter, ReportSettings};
use akhbar::ingest::outlets::OutletTable;
use akhbar::ingest::read::{Input, Inputs};
use akhbar::stories::{parse_story_label, report, story_label, templates, StoryTable};

#[derive(Args, Debug)]
pub struct BoilerplateArgs {
    /// Report keys found in at least this share of an outlet's articles.
    #[arg(long, default_value_t = 0.02)]
    pub min_share: f64,
    /// ... and in at least this many articles.
    #[arg(long, default_value_t = 20)]
    pub min_articles: u64,
    /// Count the lines the cleaner keeps without the learned rules of boilerplate.json
    /// (to find the templates again); by default the residue after them is counted.
    #[arg(long)]
    pub without_learned: bool,
    /// Show every N-th line the learned rules drop or trim, per outlet (to check by eye).
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub sample_every: u64,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
    /// Inputs, as for `akhbar index`.
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<String>,
}

pub fn run_boilerplate(config: &Config, args: BoilerplateArgs) -> anyhow::Result<ExitCode> {
    let inputs = Inputs::expand(
        &args
            .inputs
            .iter()
            .map(|a| Input::parse(a))
            .collect::<Vec<_>>(),
    );
    let outlets = OutletTable::new(&config.outlets);
    let rules = if args.without_learned {
        Rules::empty()
    } else {
        Rules::from_config(&config.boilerplate, config.boilerplate_fingerprint.clone())
    };
    let mut counter = BoilerplateCounter::new(ReportSettings {
        min_share: args.min_share,
        min_articles: args.min_articles,
        sample_every: args.sample_every,
        ..ReportSettings::default()
    });
    let mut rejected = 0u64;
    inputs.for_each(|unit| {
        match unit.into_record() {
            (_, Ok(record)) => counter.add(&record, &outlets, &rules),
            (origin, Err(reason)) => {
                rejected += 1;
                eprintln!("akhbar: rejected {origin}: {reason}");
            }
        }
        true
    });
    let report = counter.report();
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        for outlet in &report {
            let l = &outlet.learned;
            println!(
                "== {} ({} articles; learned rules: {} lines dropped, {} trimmed, in {} articles, {} bytes)",
                outlet.outlet, outlet.articles, l.lines_dropped, l.lines_trimmed, l.articles, l.bytes
            );
            for (id, line, kept) in &l.samples {
                match kept {
                    Some(k) => println!("  trim {id}: {line}\n    -> {k}"),
                    None => println!("  drop {id}: {line}"),
                }
            }
            for r in &outlet.recurring {
                println!(
                    "{:>6} {:>5.1}% first {:>3.0}% last {:>3.0}%  {:<6} {}  | {}",
                    r.articles,
                    r.share * 100.0,
                    r.first_share * 100.0,
                    r.last_share * 100.0,
                    r.kind,
                    r.key,
                    r.example
                );
            }
        }
    }
    Ok(if rejected == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

#[derive(Args, Debug)]
pub struct StoryArgs {
    /// Index directory [default: $AKHBAR_INDEX, else .akhbar-index].
    #[arg(long, value_name = "DIR")]
    pub index: Option<PathBuf>,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
    /// Instead of one story: counts over the index (stories, sizes, the largest).
    #[arg(long, conflicts_with = "id")]
    pub summary: bool,
    /// Instead of one story: N candidate pairs with similarity in [--min, --max), to judge.
    #[arg(long, value_name = "N", hide = true, conflicts_with = "id")]
    pub pairs: Option<usize>,
    #[arg(long, default_value_t = 0.0, hide = true)]
    pub min: f64,
    #[arg(long, default_value_t = 1.01, hide = true)]
    pub max: f64,
    /// Instead of one story: precision and recall on judged pairs (a file like
    /// docs/stories-judged.tsv), as the index groups them now.
    #[arg(long, value_name = "FILE", hide = true, conflicts_with = "id")]
    pub judged: Option<PathBuf>,
    /// Instead of one story: learn the template shingles from the index's dated articles
    /// (phrases in at least --min-stories stories of at least --min-outlets outlets) and print
    /// them as story-templates.json; a review list goes to stderr.
    #[arg(long, hide = true, conflicts_with = "id")]
    pub learn_templates: bool,
    #[arg(long, default_value_t = 30, hide = true)]
    pub min_stories: u32,
    #[arg(long, default_value_t = 4, hide = true)]
    pub min_outlets: u32,
    /// With --learn-templates: every N-th learned phrase in the review list (besides the
    /// 40 most frequent).
    #[arg(long, default_value_t = 100, hide = true)]
    pub review_every: usize,
    /// A story id (16 hex digits, as search shows it) or an article id.
    #[arg(
        value_name = "ID",
        required_unless_present_any = ["summary", "pairs", "judged", "learn_templates"]
    )]
    pub id: Option<String>,
}

pub fn run_story(config: &Config, args: StoryArgs) -> anyhow::Result<ExitCode> {
    let root = resolve_dir(args.index.as_deref());
    let idx = AkhbarIndex::open(&root, config)?;
    if args.learn_templates {
        return learn_templates(&idx, config, &args);
    }
    if args.summary || args.pairs.is_some() || args.judged.is_some() {
        let table = StoryTable::load(&idx, config.stories.clone())?;
        if let Some(path) = &args.judged {
            return print_judged(&table, path, args.json);
        }
        if let Some(n) = args.pairs {
            return print_pairs(&idx, &table, &args, n);
        }
        let s = report::summary(&table);
        if args.json {
            println!("{}", serde_json::to_string_pretty(&s)?);
        } else {
            println!(
                "{} articles ({} long enough to compare) in {} stories; {} stories of 2 or more hold {} articles",
                s.articles, s.signed, s.stories, s.shared_stories, s.articles_in_shared
            );
            println!("size  stories");
            for (size, n) in &s.sizes {
                println!("{size:>4}  {n}");
            }
            println!(
                "largest: {}",
                s.largest
                    .iter()
                    .map(|(id, n)| format!("{id} ({n})"))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
        return Ok(ExitCode::SUCCESS);
    }
    let id = args.id.unwrap_or_default();
    let story = match report::story_of(&idx, &id)? {
        Some(s) => s,
        None => match parse_story_label(&id) {
            Some(s) if id.len() == 16 => s,
            _ => {
                anyhow::bail!("no article `{id}` in the index, and not a story id (16 hex digits)")
            }
        },
    };
    let copies = report::copies(&idx, &config.stories, story)?;
    if copies.is_empty() {
        anyhow::bail!("no story {} in the index", story_label(story));
    }
    if args.json {
        let v = serde_json::json!({"story": story_label(story), "copies": copies});
        println!("{}", serde_json::to_string_pretty(&v)?);
        return Ok(ExitCode::SUCCESS);
    }
    print_copies(story, &copies);
    Ok(ExitCode::SUCCESS)
}

fn print_copies(story: u64, copies: &[report::Copy]) {
    let outlets: std::collections::BTreeSet<&str> =
        copies.iter().filter_map(|c| c.outlet.as_deref()).collect();
    println!(
        "story {}: {} copies in {} outlets",
        story_label(story),
        copies.len(),
        outlets.len()
    );
    for (i, c) in copies.iter().enumerate() {
        println!();
        println!(
            "[{}] {}  {}  {}",
            i + 1,
            c.published.as_deref().unwrap_or("undated"),
            c.outlet.as_deref().unwrap_or("-"),
            c.article_id
        );
        println!("    {}", c.title.as_deref().unwrap_or("(no title)"));
        if i == 0 {
            println!("    first copy: {} passages", c.passages.len());
            continue;
        }
        println!(
            "    similarity to [1]: {}; {} of {} passages new or edited, {} of [1]'s missing",
            c.similarity.map_or("-".to_string(), |s| format!("{s:.2}")),
            c.changed.len(),
            c.passages.len(),
            c.missing
        );
        for &k in c.changed.iter().take(3) {
            let text: String = c.passages[k].chars().take(140).collect();
            println!("    + {text}");
        }
    }
}

fn learn_templates(
    idx: &AkhbarIndex,
    config: &Config,
    args: &StoryArgs,
) -> anyhow::Result<ExitCode> {
    let rule = templates::LearnSettings {
        min_stories: args.min_stories,
        min_outlets: args.min_outlets,
    };
    let samples = report::samples(idx)?;
    let n = config.stories.shingle_words;
    eprintln!("{} articles", samples.len());
    let learned = templates::learn(samples, n, &rule);
    eprintln!(
        "{} template shingles (in >= {} stories of >= {} outlets); stories outlets articles phrase:",
        learned.len(),
        rule.min_stories,
        rule.min_outlets
    );
    let every = args.review_every.max(1);
    for (i, l) in learned.iter().enumerate() {
        if i < 40 || i % every == 0 {
            eprintln!(
                "{:>5} {:>5}  {:>3} {:>6}  {}",
                i + 1,
                l.stories,
                l.outlets,
                l.articles,
                l.phrase
            );
        }
    }
    let mut file = templates::file_of(&learned, n, &rule);
    file.about = TEMPLATES_ABOUT.to_string();
    println!("{}", serde_json::to_string_pretty(&file)?);
    Ok(ExitCode::SUCCESS)
}

/// The `about` of a learned story-templates.json.
const TEMPLATES_ABOUT: &str = "Template shingles (src/stories/templates.rs): shingles of `shingle_words` words, \
folded as the story signature folds them, that occur in at least `min_stories` different stories (the copies \
of one wire count once) of at least `min_outlets` outlets of the corpus. They are left out of every story signature, so two items of \
one template (telegrams, receptions, bulletins) differ by what is their own. Learned with \
`akhbar story --index IDX --learn-templates --min-stories S --min-outlets O > index-schema/story-templates.json` \
on an index of the corpus; reviewed as docs/stories.md section 5 says.";

fn print_judged(table: &StoryTable, path: &Path, json: bool) -> anyhow::Result<ExitCode> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let judged =
        report::read_judged(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    let r = report::judge(table, &judged);
    if json {
        println!("{}", serde_json::to_string_pretty(&r)?);
        return Ok(ExitCode::SUCCESS);
    }
    for p in &r.pairs {
        println!(
            "{}\t{}\t{}\t{}\t{}\t{}\tundated {}",
            p.set,
            p.similarity.map_or("-".into(), |s| format!("{s:.2}")),
            if p.same_story {
                if p.direct {
                    "joined"
                } else {
                    "chained"
                }
            } else {
                "apart"
            },
            if p.copy { "copy" } else { "different" },
            p.a,
            p.b,
            p.undated
        );
    }
    let share = |a: usize, b: usize| a as f64 / b.max(1) as f64;
    println!(
        "precision {}/{} = {:.3} counting chains, {}/{} = {:.3} of direct joins; recall {}/{} = {:.3} of judged copies",
        r.joined_copies,
        r.joined,
        share(r.joined_copies, r.joined),
        r.direct_copies,
        r.direct,
        share(r.direct_copies, r.direct),
        r.copies_joined,
        r.copies,
        share(r.copies_joined, r.copies)
    );
    Ok(ExitCode::SUCCESS)
}

fn print_pairs(
    idx: &AkhbarIndex,
    table: &StoryTable,
    args: &StoryArgs,
    n: usize,
) -> anyhow::Result<ExitCode> {
    let shown = |key: u64| -> anyhow::Result<String> {
        let Some(e) = table.get(key) else {
            return Ok("?".into());
        };
        let p = akhbar::index::stored::article_passages(idx, &e.source, key)?;
        let Some(first) = p.first() else {
            return Ok(e.source.to_string());
        };
        let text: String = p
            .iter()
            .map(|x| x.text.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        let head: String = text.chars().take(260).collect();
        Ok(format!(
            "{} | {} | {} | {} | {}",
            first.article_id,
            first
                .outlet
                .as_deref()
                .unwrap_or("-")
                .trim_start_matches("/outlet/"),
            first.published.map(|d| d.to_string()).unwrap_or_default(),
            first.title.as_deref().unwrap_or(""),
            head
        ))
    };
    for (i, p) in report::pairs(table, args.min, args.max, n)
        .iter()
        .enumerate()
    {
        println!(
            "#{} sim {:.2} {}",
            i + 1,
            p.similarity,
            if p.same_story { "joined" } else { "apart" }
        );
        println!("  A {}", shown(p.a)?);
        println!("  B {}", shown(p.b)?);
    }
    Ok(ExitCode::SUCCESS)
}
