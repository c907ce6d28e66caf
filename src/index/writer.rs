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
//!
//! (Over 600 lines: the steps of a run share one state, [`Run`], and stay together;
//! the documents of a record are built in `writer/documents.rs`.)

use std::io::IsTerminal;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use tantivy::indexer::UserOperation;
use tantivy::{IndexWriter, TantivyDocument, Term};

mod documents;
mod queue;

pub use documents::documents;

use super::schema::Fields;
use super::{AkhbarIndex, IndexError};
use crate::config::Config;
use crate::entities::Gazetteer;
use crate::ingest::read::{Inputs, Origin, Unit};
use crate::ingest::{prepare, IngestContext};
use crate::stories::place::{self, Slot};
use crate::stories::{StorySettings, StoryTable};
use queue::{Queue, QueuedDoc, QUEUED_DOCS};

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
    /// Records rewritten because their story changed after they were placed (an update
    /// or prune split it, a later copy merged it with another).
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

/// What the parallel step made of one input unit.
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

/// One input unit after the parallel step: where it came from, its text bytes, its
/// unknown fields, and the outcome.
struct Prepped {
    origin: Origin,
    bytes: usize,
    unknown: u64,
    outcome: Outcome,
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

/// What the parallel step reads.
struct Preparer<'a> {
    existing: &'a FxHashMap<String, u64>,
    ctx: &'a IngestContext,
    fields: Fields,
    tagger: Option<&'a Gazetteer>,
    stories: Option<&'a StorySettings>,
}

impl Preparer<'_> {
    /// Parses, checks, cleans and splits one unit and builds its documents and story
    /// slots (unless the index holds it unchanged).
    fn prepare(&self, unit: Unit) -> Prepped {
        let (origin, record) = unit.into_record();
        let record = match record {
            Err(reason) => {
                return Prepped {
                    origin,
                    bytes: 0,
                    unknown: 0,
                    outcome: Outcome::Rejected(reason),
                }
            }
            Ok(record) => record,
        };
        let bytes = record.body.len() + record.title.as_deref().map_or(0, str::len);
        let unknown = u64::from(record.unknown_fields);
        let hash = record.content_hash();
        if self.existing.get(&record.id) == Some(&hash) {
            let id = record.id;
            let outcome = Outcome::Unchanged { id };
            return Prepped {
                origin,
                bytes,
                unknown,
                outcome,
            };
        }
        let prepared = prepare(record, self.ctx);
        let docs = documents(&prepared, &self.fields, self.tagger);
        let slots = place::slots(&prepared, self.stories);
        let passages = prepared
            .articles
            .iter()
            .map(|a| a.passages.len() as u64)
            .sum();
        let outcome = Outcome::Ready {
            id: prepared.source_id,
            articles: prepared.articles.len() as u64,
            passages,
            docs,
            slots,
        };
        Prepped {
            origin,
            bytes,
            unknown,
            outcome,
        }
    }
}

/// The sequential side of a run: the writer (opened when there is something to write),
/// the story table, the counts.
struct Run<'a> {
    idx: &'a AkhbarIndex,
    opts: &'a IndexOptions,
    existing: &'a FxHashMap<String, u64>,
    writer: Option<IndexWriter<QueuedDoc>>,
    /// The documents handed to the writer and not yet indexed (`queue.rs`).
    queue: Arc<Queue>,
    /// The story table of what the index holds (rebuilt from it), updated as records
    /// are placed.
    stories: Option<StoryTable>,
    /// The stories that lost an article (update or prune).
    affected: FxHashSet<u64>,
    /// The records written in this run.
    written: FxHashSet<String>,
    /// Each record seen, and where it was first seen.
    seen: FxHashMap<String, Origin>,
    summary: IndexSummary,
}

impl Run<'_> {
    fn open_writer(&mut self) -> anyhow::Result<&IndexWriter<QueuedDoc>> {
        if self.writer.is_none() {
            let jobs = self.opts.jobs.max(1);
            let budget = (self.opts.memory_mb << 20).max(jobs * (16 << 20));
            let w = self
                .idx
                .index
                .writer_with_num_threads(jobs, budget)
                .map_err(|e| match e {
                    tantivy::TantivyError::LockFailure(..) => {
                        anyhow::Error::new(IndexError::Locked(self.idx.dir.display().to_string()))
                    }
                    e => anyhow::Error::new(e).context("cannot open the index writer"),
                })?;
            self.writer = Some(w);
        }
        self.writer.as_ref().context("the index writer is not open")
    }

    /// Counts a prepared unit, reports it if rejected (a duplicate id too) and writes it
    /// if ready.
    fn take(&mut self, p: Prepped, report: &mut dyn FnMut(&Rejection)) -> anyhow::Result<()> {
        let summary = &mut self.summary;
        summary.records += 1;
        summary.text_bytes += p.bytes as u64;
        summary.unknown_fields += p.unknown;
        let (id, mut rejection) = match &p.outcome {
            Outcome::Rejected(reason) => (None, Some(reason.clone())),
            Outcome::Unchanged { id } | Outcome::Ready { id, .. } => (Some(id.clone()), None),
        };
        if let Some(first) = id.as_ref().and_then(|id| self.seen.get(id)) {
            let id = id.as_deref().unwrap_or_default();
            rejection = Some(format!("duplicate id `{id}` (first seen at {first})"));
        }
        if let Some(reason) = rejection {
            return self.reject(p.origin, reason, report);
        }
        let Some(id) = id else { return Ok(()) };
        self.seen.insert(id.clone(), p.origin);
        match p.outcome {
            Outcome::Unchanged { .. } => self.summary.unchanged += 1,
            Outcome::Ready {
                id: _,
                articles,
                passages,
                docs,
                slots,
            } => {
                self.write(&id, docs, &slots)?;
                self.summary.articles += articles;
                self.summary.passages += passages;
            }
            Outcome::Rejected(_) => {}
        }
        Ok(())
    }

    fn reject(
        &mut self,
        origin: Origin,
        reason: String,
        report: &mut dyn FnMut(&Rejection),
    ) -> anyhow::Result<()> {
        self.summary.rejected += 1;
        let r = Rejection {
            origin: origin.to_string(),
            reason,
        };
        report(&r);
        if self.opts.strict {
            anyhow::bail!(
                "{}: {} (--strict: stopped, nothing committed)",
                r.origin,
                r.reason
            );
        }
        if self.summary.rejections.len() < KEPT_REJECTIONS {
            self.summary.rejections.push(r);
        }
        Ok(())
    }

    /// Writes a new or changed record: its delete (if the index holds it) and its
    /// passages as one batch, so they reach one indexing thread together, in order, and
    /// the analysis cache sees the article's title again on each of its passages.
    fn write(
        &mut self,
        id: &str,
        mut docs: Vec<TantivyDocument>,
        slots: &[Slot],
    ) -> anyhow::Result<()> {
        self.open_writer()?;
        let fields = self.idx.fields;
        let mut ops = Vec::with_capacity(docs.len() + 1);
        if self.existing.contains_key(id) {
            ops.push(UserOperation::Delete(Term::from_field_text(
                fields.source_id,
                id,
            )));
            self.summary.updated += 1;
            if let Some(table) = self.stories.as_mut() {
                self.affected
                    .extend(table.remove_source(id).into_iter().map(|r| r.1));
            }
        } else {
            self.summary.added += 1;
        }
        place::place(self.stories.as_mut(), id, slots, &mut docs, &fields);
        self.written.insert(id.to_string());
        ops.extend(docs.into_iter().map(UserOperation::Add));
        let ops = self.queue.admit(ops);
        self.open_writer()?.run(ops)?;
        Ok(())
    }

    /// With `prune`: deletes the records the index holds that the input did not have.
    fn prune(&mut self) -> anyhow::Result<()> {
        let absent: Vec<&String> = self
            .existing
            .keys()
            .filter(|id| !self.seen.contains_key(*id))
            .collect();
        if absent.is_empty() {
            return Ok(());
        }
        let source_id = self.idx.fields.source_id;
        let w = self.open_writer()?;
        for id in &absent {
            w.delete_term(Term::from_field_text(source_id, id));
        }
        self.summary.removed += absent.len() as u64;
        if let Some(table) = self.stories.as_mut() {
            for id in absent {
                self.affected
                    .extend(table.remove_source(id).into_iter().map(|r| r.1));
            }
        }
        Ok(())
    }

    /// Settles the stories this run changed after placing them: stories that lost an
    /// article (update or prune) are re-checked and split where their copies no longer
    /// connect; stories a later copy bridged were merged as it was placed. Records the
    /// committed index holds are rewritten now, in this commit; the records of this run
    /// are returned, to be rewritten after it ([`Run::rewrite_written`]).
    fn settle_stories(
        &mut self,
        ctx: &IngestContext,
        tagger: Option<&Gazetteer>,
    ) -> anyhow::Result<Vec<Arc<str>>> {
        let Some(mut table) = self.stories.take() else {
            return Ok(Vec::new());
        };
        let mut changed = table.take_relabelled();
        if !self.affected.is_empty() {
            changed.extend(table.recheck(&self.affected).into_iter().map(|c| c.0));
        }
        let (later, now): (Vec<Arc<str>>, Vec<Arc<str>>) = table
            .sources_of(changed)
            .into_iter()
            .partition(|s| self.written.contains(s.as_ref()));
        let idx = self.idx;
        let queue = self.queue.clone();
        let n = place::rewrite(idx, &table, &now, ctx, tagger, |ops| {
            self.open_writer()?.run(queue.admit(ops))?;
            Ok(())
        })?;
        self.summary.story_rewrites += n;
        self.stories = Some(table);
        Ok(later)
    }

    /// Rewrites records written in this run (now committed) whose story changed after
    /// they were written, and commits again. A crash before this second commit leaves
    /// them in the story they were first given (a valid index, merged or split later).
    fn rewrite_written(
        &mut self,
        sources: &[Arc<str>],
        ctx: &IngestContext,
        tagger: Option<&Gazetteer>,
    ) -> anyhow::Result<()> {
        let Some(table) = self.stories.take() else {
            return Ok(());
        };
        let idx = self.idx;
        let queue = self.queue.clone();
        let n = place::rewrite(idx, &table, sources, ctx, tagger, |ops| {
            self.open_writer()?.run(queue.admit(ops))?;
            Ok(())
        })?;
        self.summary.story_rewrites += n;
        self.stories = Some(table);
        self.commit()
    }

    /// Commits what was written, if anything.
    fn commit(&mut self) -> anyhow::Result<()> {
        if let Some(mut w) = self.writer.take() {
            w.commit()
                .context("commit failed; the index is as it was before this run")?;
            self.summary.committed = true;
            w.wait_merging_threads().context("merging segments")?;
        }
        Ok(())
    }
}

/// The progress bar of a run (hidden unless asked for and on a terminal).
fn progress_bar(opts: &IndexOptions, inputs: &Inputs) -> ProgressBar {
    if !(opts.progress && std::io::stderr().is_terminal()) {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(inputs.total_bytes), ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template("{bar:30} {percent:>3}% {msg} ETA {eta}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar.enable_steady_tick(Duration::from_millis(250));
    bar
}

fn update_bar(bar: &ProgressBar, inputs: &Inputs, started: Instant, summary: &IndexSummary) {
    let secs = started.elapsed().as_secs_f64().max(1e-3);
    bar.set_position(inputs.bytes_read.load(Ordering::Relaxed));
    bar.set_message(format!(
        "{} records, {:.0} rec/s, {:.1} MB/s",
        summary.records,
        summary.records as f64 / secs,
        summary.text_bytes as f64 / 1e6 / secs
    ));
}

/// Indexes `inputs` into `idx`, tagging passages with `tagger`'s groups (see [`tagger`]).
/// `existing` holds the record hashes already in the index (empty for a fresh index).
/// Rejections are passed to `report` as they happen. The writer is only created once
/// there is something to write, so an unchanged run writes nothing.
///
/// Steps: input units are read in batches; each batch is prepared in parallel
/// ([`Preparer::prepare`]) and taken in input order ([`Run::take`]: counted, rejected or
/// written, its articles placed in stories); then the prune, the stories it and the
/// updates split, and the commit.
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
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(opts.jobs.max(1))
        .thread_name(|i| format!("akhbar-prepare-{i}"))
        .build()?;
    let story_settings = opts.stories.then(|| ctx.stories.clone());
    let stories = match &story_settings {
        Some(settings) if !existing.is_empty() => Some(StoryTable::load(idx, settings.clone())?),
        Some(settings) => Some(StoryTable::new(settings.clone())),
        None => None,
    };
    let preparer = Preparer {
        existing: &existing,
        ctx,
        fields: idx.fields,
        tagger,
        stories: story_settings.as_ref(),
    };
    let mut run = Run {
        idx,
        opts,
        existing: &existing,
        writer: None,
        queue: Queue::new(QUEUED_DOCS),
        stories,
        affected: FxHashSet::default(),
        written: FxHashSet::default(),
        seen: FxHashMap::default(),
        summary: IndexSummary::default(),
    };
    let bar = progress_bar(opts, inputs);
    let mut run_batch = |batch: Vec<Unit>, run: &mut Run| -> anyhow::Result<()> {
        let results: Vec<Prepped> =
            pool.install(|| batch.into_par_iter().map(|u| preparer.prepare(u)).collect());
        for p in results {
            run.take(p, report)?;
        }
        Ok(())
    };

    let mut failure: Option<anyhow::Error> = None;
    let mut batch: Vec<Unit> = Vec::with_capacity(BATCH_RECORDS);
    let mut batch_bytes = 0usize;
    let mut batches = 0u64;
    inputs.for_each(|unit| {
        batch_bytes += match &unit {
            Unit::Line { bytes, .. } => bytes.len(),
            _ => 4096,
        };
        batch.push(unit);
        if batch.len() >= BATCH_RECORDS || batch_bytes >= BATCH_BYTES {
            let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH_RECORDS));
            batch_bytes = 0;
            if let Err(e) = run_batch(full, &mut run) {
                failure = Some(e);
                return false;
            }
            batches += 1;
            update_bar(&bar, inputs, started, &run.summary);
            if batches == 1 && run.writer.is_some() {
                test_abort("after-add");
            }
        }
        true
    });
    if failure.is_none() && !batch.is_empty() {
        if let Err(e) = run_batch(std::mem::take(&mut batch), &mut run) {
            failure = Some(e);
        }
        if run.writer.is_some() {
            test_abort("after-add");
        }
    }
    update_bar(&bar, inputs, started, &run.summary);
    bar.finish_and_clear();
    if let Some(e) = failure {
        drop(run.writer.take()); // uncommitted: discarded
        return Err(e);
    }

    if opts.prune {
        run.prune()?;
    }
    let later = run.settle_stories(ctx, tagger)?;
    run.commit()?;
    if !later.is_empty() {
        run.rewrite_written(&later, ctx, tagger)?;
    }
    run.summary.seconds = started.elapsed().as_secs_f64();
    Ok(run.summary)
}
