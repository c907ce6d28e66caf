//! The evaluation engine: builds a temporary in-RAM tantivy index of the collection for
//! one system, runs every query, and returns the rankings.
//!
//! A system is either
//! - a *single-field* run: one field `text` (title and text concatenated) analysed by any
//!   registered analyzer, queried through tantivy's `QueryParser` (lenient, so no query
//!   text is ever an error) — what a tantivy user gets with that analyzer; or
//! - *akhbar*: `title` and `text` analysed by `arabic`, `text_exact` by `arabic_exact`,
//!   and the query built by [`akhbar_query`]: the production query builder of `akhbar
//!   search` in `--match any` mode.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::Context;
use rayon::prelude::*;
use tantivy::query::{Query, QueryParser};
use tantivy::schema::{
    FacetOptions, Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, FAST,
};
use tantivy::tokenizer::{TextAnalyzer, TokenizerManager};
use tantivy::{Index, IndexReader, ReloadPolicy, TantivyDocument};

use super::data::{self, DistractorStats, EvalQuery, Passage};
use super::run::Hit;
use super::system::{SystemKind, SystemSpec};
use crate::config::SearchSettings;
use crate::search::plan::{MatchMode, QueryBuilder, QueryFields, QueryPlan};
use crate::search::rank::{top_passages, Staged};
use crate::search::vocabulary::{SearcherVocabulary, Vocabulary};
use crate::search::QueryWeights;

/// How many documents are retrieved per query (the deepest cut-off, Recall@100).
pub const DEPTH: usize = 100;

/// The documents to index: the judged passages, then every record of the distractor
/// files (never relevant).
#[derive(Clone, Debug)]
pub struct Collection<'a> {
    pub passages: &'a [Passage],
    pub distractors: &'a [PathBuf],
    /// Index the distractors' titles along with their bodies. Passage titles (English
    /// Wikipedia page names in XQuAD) are never indexed.
    pub distractor_title: bool,
}

/// Index writer resources.
#[derive(Clone, Copy, Debug)]
pub struct IndexOptions {
    pub threads: usize,
    pub memory_bytes: usize,
}

impl Default for IndexOptions {
    fn default() -> Self {
        IndexOptions {
            threads: 2,
            memory_bytes: 500 << 20,
        }
    }
}

/// The fields of one system's index.
#[derive(Clone, Copy, Debug)]
enum Fields {
    Single {
        text: Field,
        ord: Field,
    },
    Akhbar {
        title: Field,
        text: Field,
        text_exact: Field,
        /// Empty facet fields: the production query builder needs them.
        outlet: Field,
        group: Field,
        ord: Field,
    },
}

/// A system's index, ready to search.
pub struct BuiltIndex {
    index: Index,
    reader: IndexReader,
    fields: Fields,
    /// Document id by insertion order (`ord` fast field).
    ids: Vec<String>,
    pub index_seconds: f64,
    /// One entry per distractor file.
    pub distractor_stats: Vec<(PathBuf, DistractorStats)>,
}

impl BuiltIndex {
    pub fn num_docs(&self) -> usize {
        self.ids.len()
    }
}

/// Builds the index of `collection` for `system`.
pub fn build_index(
    system: &SystemSpec,
    collection: &Collection<'_>,
    options: IndexOptions,
) -> anyhow::Result<BuiltIndex> {
    let tokenizers = system.tokenizers()?;
    let mut builder = Schema::builder();
    let text_options = |analyzer: &str| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(analyzer)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        )
    };
    let fields = match &system.kind {
        SystemKind::SingleField { analyzer } => {
            check_registered(&tokenizers, analyzer)?;
            Fields::Single {
                text: builder.add_text_field("text", text_options(analyzer)),
                ord: builder.add_u64_field("ord", FAST),
            }
        }
        SystemKind::Akhbar { .. } => {
            check_registered(&tokenizers, "arabic")?;
            check_registered(&tokenizers, "arabic_exact")?;
            Fields::Akhbar {
                title: builder.add_text_field("title", text_options("arabic")),
                text: builder.add_text_field("text", text_options("arabic")),
                text_exact: builder.add_text_field("text_exact", text_options("arabic_exact")),
                outlet: builder.add_facet_field("outlet", FacetOptions::default()),
                group: builder.add_facet_field("group", FacetOptions::default()),
                ord: builder.add_u64_field("ord", FAST),
            }
        }
    };
    let mut index = Index::create_in_ram(builder.build());
    index.set_tokenizers(tokenizers);

    let start = Instant::now();
    let mut writer = index
        .writer_with_num_threads::<TantivyDocument>(options.threads.max(1), options.memory_bytes)
        .context("cannot create the index writer")?;
    let mut ids = Vec::with_capacity(collection.passages.len());
    let mut add = |id: String, title: Option<&str>, body: &str| -> anyhow::Result<()> {
        let mut doc = TantivyDocument::new();
        match fields {
            Fields::Single { text, ord } => {
                match title {
                    Some(title) if !title.is_empty() => {
                        doc.add_text(text, format!("{title}\n{body}"))
                    }
                    _ => doc.add_text(text, body),
                }
                doc.add_u64(ord, ids.len() as u64);
            }
            Fields::Akhbar {
                title: title_field,
                text,
                text_exact,
                ord,
                ..
            } => {
                if let Some(title) = title {
                    doc.add_text(title_field, title);
                }
                doc.add_text(text, body);
                doc.add_text(text_exact, body);
                doc.add_u64(ord, ids.len() as u64);
            }
        }
        writer.add_document(doc)?;
        ids.push(id);
        Ok(())
    };
    for passage in collection.passages {
        add(passage.id.clone(), None, &passage.text)?;
    }
    let mut distractor_stats = Vec::new();
    for path in collection.distractors {
        let stats = data::stream_distractors(path, |record| {
            let title = record
                .title
                .as_deref()
                .filter(|_| collection.distractor_title);
            add(record.id, title, &record.body)
        })?;
        distractor_stats.push((path.clone(), stats));
    }
    writer.commit().context("cannot commit the index")?;
    writer
        .wait_merging_threads()
        .context("index merge failed")?;
    let index_seconds = start.elapsed().as_secs_f64();
    let reader = index
        .reader_builder()
        .reload_policy(ReloadPolicy::Manual)
        .try_into()
        .context("cannot open the index reader")?;
    Ok(BuiltIndex {
        index,
        reader,
        fields,
        ids,
        index_seconds,
        distractor_stats,
    })
}

/// The ranking of every query, in the order given, and the wall-clock search time.
pub fn run_queries(
    system: &SystemSpec,
    built: &BuiltIndex,
    queries: &[EvalQuery],
) -> anyhow::Result<(Vec<Vec<Hit>>, f64)> {
    let searcher = built.reader.searcher();
    let ord_columns = searcher
        .segment_readers()
        .iter()
        .map(|segment| segment.fast_fields().u64("ord"))
        .collect::<Result<Vec<_>, _>>()
        .context("cannot read the ord column")?;
    let parser = match built.fields {
        Fields::Single { text, .. } => Some(QueryParser::for_index(&built.index, vec![text])),
        Fields::Akhbar { .. } => None,
    };
    let analyzers = match (&system.kind, built.fields) {
        (SystemKind::Akhbar { .. }, Fields::Akhbar { .. }) => {
            let tokenizers = built.index.tokenizers();
            let get = |name: &str| {
                tokenizers
                    .get(name)
                    .with_context(|| format!("analyzer `{name}` is not registered"))
            };
            Some((get("arabic")?, get("arabic_exact")?))
        }
        _ => None,
    };
    let weights = match &system.kind {
        SystemKind::Akhbar { weights } => Some(*weights),
        SystemKind::SingleField { .. } => None,
    };

    let vocabulary = SearcherVocabulary(&searcher);
    let latin = crate::search::latin::LatinNames::new(&system.config)?;
    let start = Instant::now();
    let rankings = queries
        .par_iter()
        .map_init(
            || analyzers.clone(),
            |analyzers, query| -> anyhow::Result<Vec<Hit>> {
                let q: Option<Built> = match (&parser, analyzers, built.fields, weights) {
                    (Some(parser), _, _, _) => {
                        Some(Built::Whole(parser.parse_query_lenient(&query.text).0))
                    }
                    (
                        None,
                        Some((arabic, exact)),
                        Fields::Akhbar {
                            title,
                            text,
                            text_exact,
                            outlet,
                            group,
                            ..
                        },
                        Some(weights),
                    ) => akhbar_query(
                        QueryFields {
                            text,
                            text_exact,
                            title,
                            outlet,
                            group,
                            // Unused: eval builds no group tags and expands no names.
                            group_terms: group,
                        },
                        arabic.clone(),
                        exact.clone(),
                        weights,
                        &system.config.schema.search,
                        &vocabulary,
                        Some(&latin),
                        &query.text,
                    )
                    .map(Built::Plan),
                    _ => anyhow::bail!("internal: system `{}` has no query builder", system.name),
                };
                let Some(q) = q else {
                    return Ok(Vec::new());
                };
                let staged = match &q {
                    Built::Plan(plan) => Staged {
                        base: plan.query.as_ref(),
                        bonuses: &plan.bonuses,
                        all_words: plan.all_words.as_ref(),
                        candidates_beyond_k: system.config.schema.search.candidates_beyond_k,
                    },
                    Built::Whole(query) => Staged::whole(query.as_ref()),
                };
                let top = top_passages(&searcher, &staged, DEPTH)
                    .with_context(|| format!("query {} failed", query.id))?;
                top.into_iter()
                    .map(|(score, address)| {
                        let ord = ord_columns
                            .get(address.segment_ord as usize)
                            .and_then(|column| column.first(address.doc_id))
                            .and_then(|ord| built.ids.get(ord as usize))
                            .context("internal: a hit without a document id")?;
                        Ok(Hit {
                            doc: ord.clone(),
                            score,
                        })
                    })
                    .collect()
            },
        )
        .collect::<anyhow::Result<Vec<_>>>()?;
    Ok((rankings, start.elapsed().as_secs_f64()))
}

/// A system's query for one question.
enum Built {
    /// A baseline's parsed query, ranked as it is.
    Whole(Box<dyn Query>),
    /// akhbar's, in stages as `akhbar search` runs it.
    Plan(QueryPlan),
}

/// akhbar's query for a question: exactly what `akhbar search --match any` builds (the
/// production [`QueryBuilder`]), with these clause weights, and its bonus clauses to
/// add to the top candidates (run them with [`crate::search::topk`], as search
/// does). `None` when nothing in the question can match.
// Each argument is one of the builder's inputs that eval varies or owns.
#[allow(clippy::too_many_arguments)]
pub fn akhbar_query(
    fields: QueryFields,
    ranked: TextAnalyzer,
    exact: TextAnalyzer,
    weights: QueryWeights,
    settings: &SearchSettings,
    vocabulary: &dyn Vocabulary,
    latin: Option<&crate::search::latin::LatinNames>,
    text: &str,
) -> Option<QueryPlan> {
    let parsed = crate::search::parse::parse(text);
    let mut builder = QueryBuilder::new(fields, ranked, exact, settings)
        .with_match_mode(MatchMode::Any)
        .with_weights(weights)
        .with_vocabulary(Some(vocabulary))
        .with_latin(latin);
    let plan = builder.build(&parsed);
    plan.has_positive_clause.then_some(plan)
}

fn check_registered(tokenizers: &TokenizerManager, name: &str) -> anyhow::Result<()> {
    if tokenizers.get(name).is_none() {
        anyhow::bail!("no analyzer named `{name}` is registered");
    }
    Ok(())
}
