//! Ingest: from input records to articles cut into passages, ready to index.
//!
//! - [`record`]: the record format, parsing and checks.
//! - [`read`]: inputs (JSON Lines plain or gzip, directories, `.txt` files, stdin).
//! - [`clean`]: boilerplate removal.
//! - [`pages`]: pages holding several articles.
//! - [`passages`]: passage splitting.
//! - [`outlets`]: the outlet alias table.
//!
//! [`prepare`] is pure and runs in parallel (rayon) in the indexer.

pub mod clean;
pub mod learned;
pub mod learned_report;
pub mod linklists;
pub mod outlets;
pub mod pages;
pub mod passages;
pub mod read;
pub mod record;

use crate::config::{Config, PassageSettings};
use clean::Span;
use outlets::OutletTable;
pub use record::{Date, Record};

/// Bumped whenever cleaning or passage splitting changes what gets indexed.
pub const INGEST_CODE_VERSION: &str = "akhbar-ingest-3";

/// What [`prepare`] needs: the outlet table and passage settings. (Tagging passages with
/// groups is the index writer's step, not ingest's: see `index::writer`.)
#[derive(Clone, Debug)]
pub struct IngestContext {
    pub outlets: OutletTable,
    pub passages: PassageSettings,
    /// Each outlet's own templates (`index-schema/boilerplate.json`).
    pub learned: std::sync::Arc<learned::Rules>,
    /// How copies of one story are found (`index-schema/stories.json`; the index
    /// writer's step, kept here with the rest of the definition ingest reads).
    pub stories: crate::config::StorySettings,
}

impl IngestContext {
    pub fn new(config: &Config) -> IngestContext {
        IngestContext {
            outlets: OutletTable::new(&config.outlets),
            passages: config.schema.passages.clone(),
            learned: std::sync::Arc::new(learned::Rules::from_config(
                &config.boilerplate,
                config.boilerplate_fingerprint.clone(),
            )),
            stories: config.stories.clone(),
        }
    }
}

/// One passage: its text as written and where it starts in the record's body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Passage {
    pub start: usize,
    pub text: String,
}

/// One article, ready to index.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Article {
    /// The record id, or `<record id>#<n>` for the n-th article of a split page.
    pub id: String,
    pub title: Option<String>,
    /// Canonical outlet name.
    pub outlet: Option<String>,
    pub published: Option<Date>,
    pub url: Option<String>,
    pub category: Option<String>,
    pub passages: Vec<Passage>,
    /// The text of this article's stretch of the original body that is in no passage
    /// (boilerplate, teasers, separators), as `(offset, text)`; runs of newlines only
    /// are left out. With the passages it rebuilds the original text: see [`reconstruct`].
    pub rest: Vec<(usize, String)>,
}

/// A record turned into articles.
#[derive(Clone, Debug)]
pub struct Prepared {
    /// The record id (all articles of a split page share it).
    pub source_id: String,
    /// [`Record::content_hash`].
    pub hash: u64,
    /// Bytes of title and body.
    pub text_bytes: usize,
    pub articles: Vec<Article>,
}

/// Cleans a record and splits it into articles and passages: the outlet, the page's
/// parts ([`pages`]), each part cleaned and cut into passages ([`article`]), then the
/// text in no passage kept as each article's `rest` ([`keep_rest`]).
pub fn prepare(record: Record, ctx: &IngestContext) -> Prepared {
    let hash = record.content_hash();
    let body = record.body.as_str();
    let text_bytes = body.len() + record.title.as_deref().map_or(0, str::len);
    let outlet = record
        .outlet
        .clone()
        .or_else(|| clean::signoff_outlet(body))
        .map(|o| ctx.outlets.canonical(&o));
    let lines = clean::lines(body);
    let page = pages::split(body, &lines);

    let mut articles = Vec::with_capacity(page.parts.len());
    let mut part_starts = Vec::with_capacity(page.parts.len());
    let mut all_passages: Vec<Span> = Vec::new();
    for (k, part) in page.parts.iter().enumerate() {
        let part_lines = &lines[part.lines.clone()];
        part_starts.push(if k == 0 {
            0
        } else {
            part_lines.first().map_or(body.len(), |s| s.start)
        });
        let (article, spans) = article(&record, k, part.headline, part_lines, &outlet, ctx);
        all_passages.extend(&spans);
        articles.push(article);
    }
    keep_rest(body, &all_passages, &part_starts, &mut articles);
    Prepared {
        source_id: record.id,
        hash,
        text_bytes,
        articles,
    }
}

/// The `k`-th article of a record (its part of the page: `part_lines`, with its own
/// headline if the page gave it one), cleaned and cut into passages; and the passages'
/// spans in the body.
fn article(
    record: &Record,
    k: usize,
    headline: Option<Span>,
    part_lines: &[Span],
    outlet: &Option<String>,
    ctx: &IngestContext,
) -> (Article, Vec<Span>) {
    let body = record.body.as_str();
    let title = match headline {
        Some(h) => Some(h.of(body).to_string()),
        None if k == 0 => record.title.clone(),
        None => None,
    };
    let rules = outlet.as_deref().and_then(|o| ctx.learned.for_outlet(o));
    let kept: Vec<Span> = clean::clean_lines_with(body, part_lines, title.as_deref(), rules)
        .into_iter()
        .filter_map(Result::ok)
        .collect();
    let spans = passages::split(body, &kept, &ctx.passages);
    let article = Article {
        id: if k == 0 {
            record.id.clone()
        } else {
            format!("{}#{}", record.id, k + 1)
        },
        title,
        outlet: outlet.clone(),
        // The page's date is its first article's; later ones are undated.
        published: if k == 0 { record.published } else { None },
        url: record.url.clone(),
        category: record.category.clone(),
        passages: spans
            .iter()
            .map(|s| Passage {
                start: s.start,
                text: s.of(body).to_string(),
            })
            .collect(),
        rest: Vec::new(),
    };
    (article, spans)
}

/// Everything of `body` not in a passage goes to the `rest` of the article whose
/// stretch (from its part's start, `part_starts`) holds it.
fn keep_rest(body: &str, passages: &[Span], part_starts: &[usize], articles: &mut [Article]) {
    let mut gaps = Vec::new();
    let mut pos = 0;
    for s in passages {
        if s.start > pos {
            gaps.push(Span {
                start: pos,
                end: s.start,
            });
        }
        pos = s.end;
    }
    if pos < body.len() {
        gaps.push(Span {
            start: pos,
            end: body.len(),
        });
    }
    for gap in gaps {
        let mut start = gap.start;
        while start < gap.end {
            let k = part_starts
                .partition_point(|&p| p <= start)
                .saturating_sub(1);
            let end = part_starts
                .get(k + 1)
                .map_or(gap.end, |&next| next.min(gap.end));
            let text = &body[start..end];
            // Runs of newlines are implied (see `reconstruct`), except at the very end.
            if !text.bytes().all(|b| b == b'\n') || end == body.len() {
                articles[k].rest.push((start, text.to_string()));
            }
            start = end;
        }
    }
}

/// Rebuilds an original body from its pieces (`(offset, text)`: the passages and `rest`
/// of all articles of a record, in any order). Gaps between pieces were runs of newlines.
pub fn reconstruct(mut pieces: Vec<(usize, String)>) -> String {
    pieces.sort_by_key(|p| p.0);
    let mut out = String::new();
    for (offset, text) in pieces {
        while out.len() < offset {
            out.push('\n');
        }
        out.push_str(&text);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx() -> IngestContext {
        IngestContext::new(&Config::builtin())
    }

    fn pieces(p: &Prepared) -> Vec<(usize, String)> {
        p.articles
            .iter()
            .flat_map(|a| {
                a.passages
                    .iter()
                    .map(|p| (p.start, p.text.clone()))
                    .chain(a.rest.iter().cloned())
            })
            .collect()
    }

    #[test]
    fn original_text_is_rebuilt_exactly() {
        let body = "\n\nعنوان\nنص أول طويل.\n\nTT\n  سطر  \nشاركها.\n\n";
        let rec =
            Record::from_json(&serde_json::json!({"id": "x", "body": body}).to_string()).unwrap();
        let p = prepare(rec, &ctx());
        assert_eq!(reconstruct(pieces(&p)), body);
        for a in &p.articles {
            for ps in &a.passages {
                assert!(!ps.text.contains("TT") && !ps.text.contains("شاركها"));
            }
        }
    }

    #[test]
    fn outlet_from_metadata_or_signoff_is_canonical() {
        let rec = Record::from_json(
            r#"{"id":"x","body":"نص.\nThe post t appeared first on الجزائر الجديدة."}"#,
        )
        .unwrap();
        assert_eq!(
            prepare(rec, &ctx()).articles[0].outlet.as_deref(),
            Some("El Djazair El Djadida")
        );
        let rec = Record::from_json(r#"{"id":"x","outlet":"aawsat","body":"نص."}"#).unwrap();
        assert_eq!(
            prepare(rec, &ctx()).articles[0].outlet.as_deref(),
            Some("Al-Sharq Al-Awsat")
        );
    }

    #[test]
    fn an_all_boilerplate_body_gives_an_article_without_passages() {
        let rec = Record::from_json(r#"{"id":"x","body":"شاركها.\nTT"}"#).unwrap();
        let p = prepare(rec, &ctx());
        assert_eq!(p.articles.len(), 1);
        assert!(p.articles[0].passages.is_empty());
        assert_eq!(reconstruct(pieces(&p)), "شاركها.\nTT");
    }
}
