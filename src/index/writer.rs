//! Indexing: records in, passages out, incrementally.
//!
//! Reading is sequential; parsing, cleaning, splitting and building documents run in
//! parallel (rayon, `jobs` threads) batch by batch; one tantivy `IndexWriter` with
//! `jobs` indexing threads and a bounded memory budget analyses and writes.
//!
//! An input record is known by its id (`source_id`); its content hash sits on its first
//! passage. Unchanged records are skipped, changed ones have all their passages replaced,
//! and with `prune` records absent from the input are deleted. Every record is counted
//! as added, updated, unchanged or rejected.

use std::io::IsTerminal;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use anyhow::Context;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use tantivy::indexer::UserOperation;
use tantivy::schema::Facet;
use tantivy::tokenizer::{PreTokenizedString, Token};
use tantivy::{DateTime, IndexWriter, TantivyDocument, Term};

use super::schema::Fields;
use super::{AkhbarIndex, IndexError};
use crate::config::Config;
use crate::entities::{Gazetteer, GroupTag};
use crate::ingest::read::{Inputs, Origin, Unit};
use crate::ingest::{prepare, IngestContext, Prepared};
use crate::stories::place::{self, Slot};
use crate::stories::{StorySettings, StoryTable};

/// How to index.
#[derive(Clone, Debug)]
pub struct IndexOptions {
    /// Threads for parsing/cleaning (rayon) and for tantivy's indexing each.
    pub jobs: usize,
    /// The IndexWriter's memory budget.
    pub memory_mb: usize,
    /// Delete records absent from the input.
    pub prune: bool,
    /// Stop at the first rejected record, committing nothing.
    pub strict: bool,
    /// Draw a progress bar (only on a terminal).
    pub progress: bool,
    /// Tag passages with the groups they name (off only to measure what tagging costs;
    /// an index built without it has no group facets).
    pub tagging: bool,
    /// Group the copies of one story (off only to measure what it costs: every article
    /// is then a story of its own).
    pub stories: bool,
}

impl Default for IndexOptions {
    fn default() -> Self {
        IndexOptions {
            jobs: std::thread::available_parallelism().map_or(2, |n| n.get()),
            memory_mb: 256,
            prune: false,
            strict: false,
            progress: false,
            tagging: true,
            stories: true,
        }
    }
}

/// One rejected input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rejection {
    pub origin: String,
    pub reason: String,
}

/// What an indexing run did.
#[derive(Clone, Debug, Default)]
pub struct IndexSummary {
    /// Input records read (accepted or rejected).
    pub records: u64,
    pub added: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub removed: u64,
    pub rejected: u64,
    /// The first rejections (all of them are reported as they happen).
    pub rejections: Vec<Rejection>,
    /// Articles and passages written (split pages give several articles per record).
    pub articles: u64,
    pub passages: u64,
    /// Bytes of title and body text of the records read.
    pub text_bytes: u64,
    /// Unknown record fields seen (ignored).
    pub unknown_fields: u64,
    pub seconds: f64,
    /// Whether anything was committed.
    pub committed: bool,
    /// Records rewritten because an update or prune split their story.
    pub story_rewrites: u64,
}

impl IndexSummary {
    pub fn mb_per_s(&self) -> f64 {
        self.text_bytes as f64 / 1e6 / self.seconds.max(1e-9)
    }
}

const BATCH_RECORDS: usize = 1024;
const BATCH_BYTES: usize = 8 << 20;
const KEPT_REJECTIONS: usize = 1000;

/// The content hashes of the records in an index, by record id.
pub fn existing_hashes(idx: &AkhbarIndex) -> anyhow::Result<FxHashMap<String, u64>> {
    let reader = idx.reader()?;
    let searcher = reader.searcher();
    let mut map = FxHashMap::default();
    let mut buf = String::new();
    for segment in searcher.segment_readers() {
        let ff = segment.fast_fields();
        let ids = ff
            .str("source_id")?
            .context("the index has no source_id fast field")?;
        let hashes = ff.u64("hash")?;
        let alive = segment.alive_bitset();
        for doc in 0..segment.max_doc() {
            if alive.is_some_and(|a| !a.is_alive(doc)) {
                continue;
            }
            let Some(hash) = hashes.first(doc) else {
                continue;
            };
            if let Some(ord) = ids.term_ords(doc).next() {
                buf.clear();
                ids.ord_to_str(ord, &mut buf)?;
                map.insert(buf.clone(), hash);
            }
        }
    }
    Ok(map)
}

/// The `article_key` field's value for an article id: a hash of the id (a result list
/// breaks ties on it, so equal scores come in the same order in every index).
pub fn article_id_hash(article_id: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(article_id.as_bytes())
}

/// The tantivy documents of one prepared record, tagged with groups by `groups` if given.
pub fn documents(p: &Prepared, f: &Fields, groups: Option<&Gazetteer>) -> Vec<TantivyDocument> {
    let mut docs = Vec::new();
    for article in &p.articles {
        let n = article.passages.len().max(1);
        let tags = groups.map(|g| {
            let texts: Vec<&str> = (0..n)
                .map(|i| article.passages.get(i).map_or("", |p| p.text.as_str()))
                .collect();
            let published = article.published.map(|d| d.to_string());
            g.tag_article_on(article.title.as_deref(), published.as_deref(), &texts)
        });
        for ordinal in 0..n {
            let mut doc = TantivyDocument::new();
            doc.add_text(f.article_id, &article.id);
            doc.add_u64(f.article_key, article_id_hash(&article.id));
            doc.add_text(f.source_id, &p.source_id);
            doc.add_u64(f.ordinal, ordinal as u64);
            if let Some(outlet) = &article.outlet {
                doc.add_facet(f.outlet, Facet::from_path(["outlet", outlet.as_str()]));
            }
            if let Some(title) = &article.title {
                doc.add_text(f.title, title);
            }
            if let Some(d) = article.published {
                doc.add_date(
                    f.published,
                    DateTime::from_timestamp_secs(d.timestamp_secs()),
                );
            }
            if let Some(url) = &article.url {
                doc.add_text(f.url, url);
            }
            if let Some(category) = &article.category {
                doc.add_text(f.category, category);
            }
            if let Some(passage) = article.passages.get(ordinal) {
                doc.add_text(f.text, &passage.text);
                doc.add_text(f.text_exact, &passage.text);
                doc.add_u64(f.start, passage.start as u64);
            }
            if let (Some(groups), Some(tags)) = (groups, tags.as_ref().and_then(|t| t.get(ordinal)))
            {
                add_group_tags(&mut doc, f, groups, tags);
            }
            if ordinal == 0 {
                doc.add_u64(f.hash, p.hash);
                if !article.rest.is_empty() {
                    let rest = serde_json::to_string(&article.rest).unwrap_or_default();
                    doc.add_text(f.rest, rest);
                }
            }
            docs.push(doc);
        }
    }
    docs
}

/// The group facets, `group_terms` and `groups_detail` of one passage.
fn add_group_tags(doc: &mut TantivyDocument, f: &Fields, groups: &Gazetteer, tags: &[GroupTag]) {
    if tags.is_empty() {
        return;
    }
    let mut tokens: Vec<Token> = Vec::new();
    // Entries that only report mentions set aside are stored, not tagged.
    for tag in tags.iter().filter(|t| t.tagged) {
        doc.add_facet(f.group, Facet::from_path(["group", tag.group.as_str()]));
        for term in groups.strength_terms(tag) {
            let position = tokens.len();
            tokens.push(Token {
                offset_from: 0,
                offset_to: 0,
                position,
                text: term,
                position_length: 1,
            });
        }
    }
    doc.add_pre_tokenized_text(
        f.group_terms,
        PreTokenizedString {
            text: String::new(),
            tokens,
        },
    );
    if let Ok(json) = serde_json::to_string(tags) {
        doc.add_text(f.groups_detail, json);
    }
}

enum Outcome {
    Rejected(String),
    Unchanged {
        id: String,
    },
    Ready {
        id: String,
        articles: u64,
        passages: u64,
        docs: Vec<TantivyDocument>,
        slots: Vec<Slot>,
    },
}

/// A test hook: `AKHBAR_TEST_ABORT=after-add` aborts the process after the first batch is
/// handed to the writer, `after-commit` right after the commit (before a rebuild's switch).
pub(crate) fn test_abort(point: &str) {
    if std::env::var("AKHBAR_TEST_ABORT").is_ok_and(|v| v == point) {
        eprintln!("akhbar: AKHBAR_TEST_ABORT={point}: aborting");
        std::process::abort();
    }
}

/// The gazetteer passages are tagged with (None when `opts.tagging` is off).
pub fn tagger(config: &Config, opts: &IndexOptions) -> anyhow::Result<Option<Gazetteer>> {
    if !opts.tagging {
        return Ok(None);
    }
    Gazetteer::new(config)
        .map(Some)
        .map_err(|e| anyhow::anyhow!("cannot tag passages with groups: {e:#}"))
}

/// Indexes `inputs` into `idx`, tagging passages with `tagger`'s groups (see [`tagger`]).
/// `existing` holds the record hashes already in the index (empty for a fresh index).
/// Rejections are passed to `report` as they happen. The writer is only created once
/// there is something to write, so an unchanged run writes nothing.
#[allow(clippy::too_many_arguments)]
pub fn ingest(
    idx: &AkhbarIndex,
    existing: FxHashMap<String, u64>,
    inputs: &Inputs,
    ctx: &IngestContext,
    tagger: Option<&Gazetteer>,
    opts: &IndexOptions,
    report: &mut dyn FnMut(&Rejection),
) -> anyhow::Result<IndexSummary> {
    let started = Instant::now();
    let jobs = opts.jobs.max(1);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .thread_name(|i| format!("akhbar-prepare-{i}"))
        .build()?;
    let fields = idx.fields;
    let story_settings = opts.stories.then(StorySettings::builtin);
    // The story table of what the index holds (rebuilt from it), updated as records are
    // placed; `affected` collects the stories that lose an article.
    let mut stories: Option<StoryTable> = match &story_settings {
        Some(settings) if !existing.is_empty() => Some(StoryTable::load(idx, settings.clone())?),
        Some(settings) => Some(StoryTable::new(settings.clone())),
        None => None,
    };
    let mut affected: FxHashSet<u64> = FxHashSet::default();
    let mut written: FxHashSet<String> = FxHashSet::default();
    let mut writer: Option<IndexWriter> = None;
    let open_writer = |writer: &mut Option<IndexWriter>| -> anyhow::Result<()> {
        if writer.is_none() {
            let budget = (opts.memory_mb << 20).max(jobs * (16 << 20));
            let w = idx
                .index
                .writer_with_num_threads(jobs, budget)
                .map_err(|e| match e {
                    tantivy::TantivyError::LockFailure(..) => {
                        anyhow::Error::new(IndexError::Locked(idx.dir.display().to_string()))
                    }
                    e => anyhow::Error::new(e).context("cannot open the index writer"),
                })?;
            *writer = Some(w);
        }
        Ok(())
    };

    let bar = if opts.progress && std::io::stderr().is_terminal() {
        let bar =
            ProgressBar::with_draw_target(Some(inputs.total_bytes), ProgressDrawTarget::stderr());
        bar.set_style(
            ProgressStyle::with_template("{bar:30} {percent:>3}% {msg} ETA {eta}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        bar.enable_steady_tick(Duration::from_millis(250));
        bar
    } else {
        ProgressBar::hidden()
    };

    let mut summary = IndexSummary::default();
    let mut seen: FxHashMap<String, Origin> = FxHashMap::default();
    let mut failure: Option<anyhow::Error> = None;
    let mut batch: Vec<Unit> = Vec::with_capacity(BATCH_RECORDS);
    let mut batch_bytes = 0usize;
    let mut batches = 0u64;

    let mut run_batch = |batch: Vec<Unit>,
                         summary: &mut IndexSummary,
                         writer: &mut Option<IndexWriter>|
     -> anyhow::Result<()> {
        let results: Vec<(Origin, usize, u64, Outcome)> = pool.install(|| {
            batch
                .into_par_iter()
                .map(|unit| {
                    let (origin, record) = unit.into_record();
                    match record {
                        Err(reason) => (origin, 0, 0, Outcome::Rejected(reason)),
                        Ok(record) => {
                            let bytes =
                                record.body.len() + record.title.as_deref().map_or(0, str::len);
                            let unknown = u64::from(record.unknown_fields);
                            let hash = record.content_hash();
                            if existing.get(&record.id) == Some(&hash) {
                                let id = record.id;
                                return (origin, bytes, unknown, Outcome::Unchanged { id });
                            }
                            let prepared = prepare(record, ctx);
                            let docs = documents(&prepared, &fields, tagger);
                            let slots = place::slots(&prepared, story_settings.as_ref());
                            let passages = prepared
                                .articles
                                .iter()
                                .map(|a| a.passages.len() as u64)
                                .sum();
                            (
                                origin,
                                bytes,
                                unknown,
                                Outcome::Ready {
                                    id: prepared.source_id,
                                    articles: prepared.articles.len() as u64,
                                    passages,
                                    docs,
                                    slots,
                                },
                            )
                        }
                    }
                })
                .collect()
        });
        for (origin, bytes, unknown, outcome) in results {
            summary.records += 1;
            summary.text_bytes += bytes as u64;
            summary.unknown_fields += unknown;
            let id = match &outcome {
                Outcome::Rejected(_) => None,
                Outcome::Unchanged { id } | Outcome::Ready { id, .. } => Some(id.clone()),
            };
            let mut rejection = match &outcome {
                Outcome::Rejected(reason) => Some(reason.clone()),
                _ => None,
            };
            if let Some(id) = &id {
                if let Some(first) = seen.get(id) {
                    rejection = Some(format!("duplicate id `{id}` (first seen at {first})"));
                }
            }
            if let Some(reason) = rejection {
                summary.rejected += 1;
                let r = Rejection {
                    origin: origin.to_string(),
                    reason,
                };
                report(&r);
                if opts.strict {
                    anyhow::bail!(
                        "{}: {} (--strict: stopped, nothing committed)",
                        r.origin,
                        r.reason
                    );
                }
                if summary.rejections.len() < KEPT_REJECTIONS {
                    summary.rejections.push(r);
                }
                continue;
            }
            let Some(id) = id else { continue };
            seen.insert(id.clone(), origin);
            match outcome {
                Outcome::Unchanged { .. } => summary.unchanged += 1,
                Outcome::Ready {
                    id: _,
                    articles,
                    passages,
                    mut docs,
                    slots,
                } => {
                    open_writer(writer)?;
                    let Some(w) = writer.as_ref() else { continue };
                    // One batch per record: its delete and its passages reach one indexing
                    // thread together, in order, so the analysis cache sees the
                    // article's title again on each of its passages.
                    let mut ops = Vec::with_capacity(docs.len() + 1);
                    if existing.contains_key(&id) {
                        ops.push(UserOperation::Delete(Term::from_field_text(
                            fields.source_id,
                            &id,
                        )));
                        summary.updated += 1;
                        if let Some(table) = stories.as_mut() {
                            affected.extend(table.remove_source(&id).into_iter().map(|r| r.1));
                        }
                    } else {
                        summary.added += 1;
                    }
                    place::place(stories.as_mut(), &id, &slots, &mut docs, &fields);
                    written.insert(id.clone());
                    summary.articles += articles;
                    summary.passages += passages;
                    ops.extend(docs.into_iter().map(UserOperation::Add));
                    w.run(ops)?;
                }
                Outcome::Rejected(_) => {}
            }
        }
        Ok(())
    };

    let update_bar = |summary: &IndexSummary| {
        let secs = started.elapsed().as_secs_f64().max(1e-3);
        bar.set_position(inputs.bytes_read.load(Ordering::Relaxed));
        bar.set_message(format!(
            "{} records, {:.0} rec/s, {:.1} MB/s",
            summary.records,
            summary.records as f64 / secs,
            summary.text_bytes as f64 / 1e6 / secs
        ));
    };

    inputs.for_each(|unit| {
        batch_bytes += match &unit {
            Unit::Line { bytes, .. } => bytes.len(),
            _ => 4096,
        };
        batch.push(unit);
        if batch.len() >= BATCH_RECORDS || batch_bytes >= BATCH_BYTES {
            let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH_RECORDS));
            batch_bytes = 0;
            if let Err(e) = run_batch(full, &mut summary, &mut writer) {
                failure = Some(e);
                return false;
            }
            batches += 1;
            update_bar(&summary);
            if batches == 1 && writer.is_some() {
                test_abort("after-add");
            }
        }
        true
    });
    if failure.is_none() && !batch.is_empty() {
        if let Err(e) = run_batch(std::mem::take(&mut batch), &mut summary, &mut writer) {
            failure = Some(e);
        }
        if writer.is_some() {
            test_abort("after-add");
        }
    }
    update_bar(&summary);
    bar.finish_and_clear();
    if let Some(e) = failure {
        if let Some(w) = writer.take() {
            drop(w); // uncommitted: discarded
        }
        return Err(e);
    }

    if opts.prune {
        let absent: Vec<&String> = existing
            .keys()
            .filter(|id| !seen.contains_key(*id))
            .collect();
        if !absent.is_empty() {
            open_writer(&mut writer)?;
            if let Some(w) = writer.as_ref() {
                for id in absent {
                    w.delete_term(Term::from_field_text(fields.source_id, id));
                    summary.removed += 1;
                    if let Some(table) = stories.as_mut() {
                        affected.extend(table.remove_source(id).into_iter().map(|r| r.1));
                    }
                }
            }
        }
    }

    if let Some(table) = stories.as_mut() {
        if !affected.is_empty() {
            summary.story_rewrites =
                rewrite_split_stories(idx, table, &affected, &written, ctx, tagger, |ops| {
                    open_writer(&mut writer)?;
                    match writer.as_ref() {
                        Some(w) => w.run(ops).map(|_| ()).map_err(anyhow::Error::from),
                        None => Ok(()),
                    }
                })?;
        }
    }

    if let Some(mut w) = writer.take() {
        w.commit()
            .context("commit failed; the index is as it was before this run")?;
        summary.committed = true;
        w.wait_merging_threads().context("merging segments")?;
    }
    summary.seconds = started.elapsed().as_secs_f64();
    Ok(summary)
}

/// Re-checks the stories that lost an article in this run and rewrites (delete + add,
/// through `run`) the records whose articles no longer belong to them. Records written
/// in this run are not in the committed index to be rebuilt from: they keep their story.
/// Returns the number of records rewritten.
fn rewrite_split_stories(
    idx: &AkhbarIndex,
    table: &mut StoryTable,
    affected: &FxHashSet<u64>,
    written: &FxHashSet<String>,
    ctx: &IngestContext,
    tagger: Option<&Gazetteer>,
    mut run: impl FnMut(Vec<UserOperation>) -> anyhow::Result<()>,
) -> anyhow::Result<u64> {
    let changes = table.recheck(affected);
    let mut rewrites = 0;
    for source in table.sources_of(changes.iter().map(|c| c.0)) {
        if written.contains(source.as_ref()) {
            continue;
        }
        let Some(prepared) = place::restore(idx, &source, ctx)? else {
            continue;
        };
        let mut docs = documents(&prepared, &idx.fields, tagger);
        let mut slots = place::slots(&prepared, None);
        let mut stories = Vec::with_capacity(slots.len());
        for slot in &mut slots {
            let entry = table.get(slot.key);
            slot.sig = entry.and_then(|e| e.sig);
            stories.push(entry.map_or(slot.fresh, |e| e.story));
        }
        place::write_fields(&mut docs, &slots, &stories, &idx.fields);
        let mut ops = Vec::with_capacity(docs.len() + 1);
        ops.push(UserOperation::Delete(Term::from_field_text(
            idx.fields.source_id,
            &source,
        )));
        ops.extend(docs.into_iter().map(UserOperation::Add));
        run(ops)?;
        rewrites += 1;
    }
    Ok(rewrites)
}
