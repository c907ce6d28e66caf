//! Searching the passage index. One entry point, [`Engine::search`], used by interactive
//! search, batch runs, evaluation and a server alike; it reads top-down:
//!
//! 1. **parse** ([`parse`]): the query language into a syntax tree; never fails;
//! 2. **plan** ([`plan`]): the tree into a tantivy query, each word analysed like the
//!    text (variants, near spellings, group expansion), with the request's filters;
//! 3. **rank** ([`rank`]): the best articles (or passages), in two stages when the query
//!    has bonus clauses, and the counts of the whole result set;
//! 4. **present** ([`present`]): hits with stored fields, snippets and highlights, facets.
//!
//! [`request`] holds the request and response types (serde: a JSON body or a query
//! string maps onto a [`SearchRequest`]); printing a response for people is
//! [`crate::output`]'s.

pub mod batch;
pub mod latin;
pub mod parse;
pub mod plan;
pub mod present;
pub mod rank;
pub mod request;
mod tables;
pub mod vocabulary;

use std::path::Path;
use std::time::Instant;

use tantivy::query::{Bm25StatisticsProvider, BooleanQuery, EmptyQuery, Occur, Query};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{IndexReader, Searcher};

pub use plan::{MatchMode, QueryWeights, WordKind, WordPlan};
pub use present::explain::panic_is_guarded;
pub use request::{Facets, Hit, SearchError, SearchRequest, SearchResponse, Sort};

use crate::analysis::Analysis;
use crate::config::{Config, SearchSettings};
use crate::entities::Gazetteer;
use crate::index::AkhbarIndex;
use crate::ingest::outlets::OutletTable;
use plan::{QueryBuilder, QueryFields, QueryPlan};
use present::Presenter;
use rank::counts::CountCollector;
use rank::Staged;
use request::shortened;
use tables::{Resolver, Tables};
use vocabulary::{SearchTerms, Vocabulary};

/// An open index ready to answer searches.
pub struct Engine {
    pub idx: AkhbarIndex,
    reader: IndexReader,
    ranked: TextAnalyzer,
    exact: TextAnalyzer,
    outlets: OutletTable,
    /// The outlets present in the index, read once (the reader does not reload).
    outlets_in_index: Vec<String>,
    gazetteer: Gazetteer,
    /// Names typed in Latin letters (`latin-names.json`).
    latin: latin::LatinNames,
    /// The group ids of `entities.json`, in facet-bit order.
    group_ids: Vec<String>,
    settings: SearchSettings,
    tables: Tables,
    /// The sense rules (`entities.json` → `senses`), to say which sense a word was
    /// searched in.
    sense_rules: Vec<crate::analysis::senses::SenseRuleConfig>,
    /// The name lexicon: names are kept whole on the query side too.
    names: std::sync::Arc<crate::analysis::NameLexicon>,
    /// When a first letter ب ل ك ف is part of the word (`lexicon.json`).
    first_letter: crate::analysis::clitics::ProcliticEvidence,
}

impl Engine {
    /// Opens the live index under `root`. A configuration that cannot be used (an
    /// analyzer or the gazetteer does not build) is [`SearchError::Definition`]; an index
    /// that cannot be read is [`SearchError::Index`] or [`SearchError::Tantivy`].
    pub fn open(root: &Path, config: &Config) -> Result<Engine, SearchError> {
        let idx = AkhbarIndex::open(root, config)?;
        let reader = idx.reader()?;
        let analysis =
            Analysis::new(config).map_err(|e| SearchError::Definition(format!("{e:#}")))?;
        let gazetteer =
            Gazetteer::new(config).map_err(|e| SearchError::Definition(format!("{e:#}")))?;
        let latin =
            latin::LatinNames::new(config).map_err(|e| SearchError::Definition(e.to_string()))?;
        // Queries decide senses as queries do: a bare مالي asks for Mali.
        let analyzer = |name: &str| {
            analysis
                .query_analyzer(name)
                .ok_or_else(|| SearchError::Definition(format!("no analyzer {name}")))
        };
        let searcher = reader.searcher();
        Ok(Engine {
            ranked: analyzer("arabic")?,
            exact: analyzer("arabic_exact")?,
            outlets_in_index: tables::outlets_in_index(&idx, &searcher),
            tables: Tables::new(&idx, &searcher),
            outlets: OutletTable::new(&config.outlets),
            group_ids: gazetteer.groups().iter().map(|g| g.id.clone()).collect(),
            gazetteer,
            latin,
            settings: config.schema.search.clone(),
            sense_rules: config.entities.senses.clone(),
            names: analysis.name_lexicon(),
            first_letter: config.lexicon.proclitic_initial_corpus.evidence,
            idx,
            reader,
        })
    }

    /// The outlets present in the index (canonical names).
    pub fn outlets(&self) -> &[String] {
        &self.outlets_in_index
    }

    /// The group ids the index may be tagged with (`entities.json`, in its order).
    pub fn groups(&self) -> &[String] {
        &self.group_ids
    }

    /// Runs one search: parse → plan → rank → present. A `match: auto` query that
    /// nothing matches is planned again relaxed (see [`plan::Coordination`]).
    pub fn search(&self, request: &SearchRequest) -> Result<SearchResponse, SearchError> {
        let started = Instant::now();
        let (mut response, relax) = self.search_planned(request, false)?;
        if relax {
            response = self.search_planned(request, true)?.0;
        }
        response.took_ms = started.elapsed().as_secs_f64() * 1000.0;
        Ok(response)
    }

    /// One search, strict or relaxed; also whether it matched nothing and can be relaxed.
    fn search_planned(
        &self,
        request: &SearchRequest,
        relaxed: bool,
    ) -> Result<(SearchResponse, bool), SearchError> {
        let searcher = self.reader.searcher();
        // The terms' statistics, shared by the plan and the rank stage of this search.
        let terms = SearchTerms::new(&searcher);
        let parsed = parse::parse(&request.query);
        let (query, mut plan) = self.plan(request, &parsed, &terms, relaxed)?;
        let staged = Staged {
            base: query.as_ref(),
            bonuses: &plan.bonuses,
            all_words: plan.all_words.as_ref(),
            candidates_beyond_k: self.settings.candidates_beyond_k,
            article: rank::ArticleFusion::new(&plan.article, self.idx.fields.ordinal),
            union_start: Some(&self.settings.union_start),
        };
        // Stories collapse in every order (rank::stories): to the best-ranked copy by
        // relevance, to the first copy in a date order.
        let collapse = request.collapse_stories && !request.all_passages;
        // A date order needs every match's date: it counts even without facets.
        let counts = match request.facets || request.sort != Sort::Relevance {
            true => Some(searcher.search(query.as_ref(), &self.count_collector())?),
            false => None,
        };
        let (ranked, page_stories) = self.rank_in_order(
            (&searcher, &terms),
            request,
            &staged,
            counts.as_ref(),
            collapse,
        )?;
        if ranked.is_empty() && plan.relaxable && !relaxed {
            return Ok((SearchResponse::empty(request), true));
        }
        let page: present::Page = ranked
            .into_iter()
            .skip(request.offset)
            .take(request.limit)
            .collect();
        let ids = match request.documents {
            true => Vec::new(),
            false => self.tables.page_ids(&searcher, &page),
        };
        let presenter = Presenter {
            searcher: &searcher,
            fields: &self.idx.fields,
            ranked: &self.ranked,
            exact: &self.exact,
            snippet_bytes: self.settings.snippet_bytes,
        };
        // The story of each hit on the page (interactive searches show it).
        let page_stories: Vec<u64> = match (request.documents, collapse) {
            (false, _) => Vec::new(),
            (true, true) => page_stories.into_iter().skip(request.offset).collect(),
            (true, false) => {
                let columns = self.story_columns(&searcher);
                page.iter().map(|c| columns.story(c.1, c.2)).collect()
            }
        };
        let keys: Vec<u64> = page.iter().map(|c| c.2).collect();
        let mut hits =
            presenter.hits(request, page, query.as_ref(), &plan, counts.as_ref(), &ids)?;
        self.attach_stories(&searcher, &mut hits, &page_stories, &keys)?;
        if let Some(coordination) = plan.coordination {
            coordination.apply(&mut hits, &mut plan.notes);
        }
        let response = self.respond(request, plan, hits, counts.as_ref());
        Ok((response, false))
    }

    /// The ranked candidates for a page (and, collapsed, each one's story) in the
    /// request's order: by relevance, or by date over every match's date.
    fn rank_in_order(
        &self,
        (searcher, stats): (&Searcher, &dyn Bm25StatisticsProvider),
        request: &SearchRequest,
        staged: &Staged,
        counts: Option<&rank::counts::Counts>,
        collapse: bool,
    ) -> Result<(present::Page, Vec<u64>), SearchError> {
        let wanted = request.offset + request.limit;
        Ok(match (counts, request.sort) {
            (Some(counts), Sort::Newest | Sort::Oldest) => {
                let mut order = rank::dates::order(counts, request.sort);
                let mut stories = Vec::new();
                if collapse {
                    (order, stories) = rank::stories::collapse_order(order).into_iter().unzip();
                }
                let (articles, covered) = rank::dates::page_articles(
                    searcher,
                    &order,
                    self.idx.fields.article_id,
                    wanted,
                    request.all_passages,
                )?;
                let filtered = rank::dates::only(staged.base, articles.terms);
                let staged = Staged {
                    base: &filtered,
                    all_words: None,
                    bonuses: staged.bonuses,
                    candidates_beyond_k: staged.candidates_beyond_k,
                    article: staged.article,
                    union_start: staged.union_start,
                };
                let ranked =
                    self.rank((searcher, stats), &staged, covered, request.all_passages)?;
                let ranked = rank::dates::in_order(ranked, &articles.keys);
                let page_stories = rank::stories::stories_of(&ranked, &order, &stories);
                (ranked, page_stories)
            }
            _ if collapse => self.rank_stories((searcher, stats), staged, wanted)?,
            _ => (
                self.rank((searcher, stats), staged, wanted, request.all_passages)?,
                Vec::new(),
            ),
        })
    }

    /// The response of a presented page: totals and facets from the counts, and each
    /// word's plan with the senses it was searched in.
    fn respond(
        &self,
        request: &SearchRequest,
        plan: QueryPlan,
        hits: Vec<request::Hit>,
        counts: Option<&rank::counts::Counts>,
    ) -> SearchResponse {
        let (total, stories, facets) = match counts.filter(|_| request.facets) {
            Some(counts) => {
                let (total, mut facets) =
                    present::facets(counts, request.all_passages, &self.group_ids);
                let (stories, by_outlet) = present::story_facets(counts);
                facets.outlet_stories = by_outlet;
                (Some(total), Some(stories), facets)
            }
            None => (None, None, Facets::default()),
        };
        SearchResponse {
            query: request.query.clone(),
            total,
            stories,
            took_ms: 0.0,
            hits,
            facets,
            parsed: plan
                .words
                .into_iter()
                .map(|mut w| {
                    w.senses =
                        crate::analysis::senses::explain_terms(&self.sense_rules, &w.ranked_terms);
                    w
                })
                .collect(),
            notes: plan.notes,
        }
    }

    /// Reads every article id of the index into memory (see [`Tables::article_ids`]).
    /// A batch run calls it before its first query (part of opening the index, not of
    /// any one query); otherwise the first search without documents does.
    pub fn load_article_ids(&self) {
        self.tables.article_ids(&self.reader.searcher());
    }

    fn fields(&self) -> QueryFields {
        let f = &self.idx.fields;
        QueryFields {
            text: f.text,
            text_exact: f.text_exact,
            title: f.title,
            outlet: f.outlet,
            group: f.group,
            group_terms: f.group_terms,
            article: f.article,
        }
    }

    fn field_name(&self, field: tantivy::schema::Field) -> String {
        self.idx.index.schema().get_field_name(field).to_string()
    }

    /// The highlighter of a request's query, the one its hits are highlighted with (the
    /// server's article page uses it), and the plan's notes.
    pub fn highlighter(
        &self,
        request: &SearchRequest,
    ) -> Result<(present::Highlighter, Vec<String>), SearchError> {
        let searcher = self.reader.searcher();
        let parsed = parse::parse(&request.query);
        let (_, plan) = self.plan(request, &parsed, &SearchTerms::new(&searcher), false)?;
        let highlighter = present::Highlighter::new(&plan, self.ranked.clone(), self.exact.clone());
        Ok((highlighter, plan.notes))
    }

    /// Builds the query of a parsed request, with its filters; `vocabulary` says what the
    /// index holds.
    fn plan(
        &self,
        request: &SearchRequest,
        parsed: &parse::ParsedQuery,
        vocabulary: &dyn Vocabulary,
        relaxed: bool,
    ) -> Result<(Box<dyn Query>, QueryPlan), SearchError> {
        let resolver = Resolver {
            outlets: &self.outlets,
            known_outlets: &self.outlets_in_index,
            groups: &self.group_ids,
        };
        let mut plan = QueryBuilder::new(
            self.fields(),
            self.ranked.clone(),
            self.exact.clone(),
            &self.settings,
        )
        .with_match_mode(request.match_mode)
        .with_relaxed(relaxed)
        .with_facets(&resolver)
        .with_groups(request.expand.then_some(&self.gazetteer))
        .with_vocabulary(Some(vocabulary))
        .with_latin(request.expand.then_some(&self.latin))
        .with_names(self.names.clone(), self.first_letter)
        .build(parsed);
        let filters = plan::request_filters(
            request,
            &resolver,
            &self.fields(),
            self.idx.fields.published,
            (
                &self.settings.group_weights,
                self.gazetteer.strength_levels(),
            ),
            &mut plan.notes,
        );
        let has_filters = !filters.is_empty();
        // A filtered query is not relaxed: a filter never adds a result.
        plan.relaxable &= !has_filters;
        if !plan.has_positive_clause && !has_filters {
            return Err(SearchError::EmptyQuery(shortened(&request.query)));
        }
        // The plan's query moves into the one searched (the plan keeps the rest).
        let planned = std::mem::replace(&mut plan.query, Box::new(EmptyQuery));
        let query: Box<dyn Query> = if has_filters {
            let mut clauses: Vec<(Occur, Box<dyn Query>)> =
                filters.iter().map(|(o, q)| (*o, q.box_clone())).collect();
            if plan.has_positive_clause {
                clauses.push((Occur::Must, planned));
            } else {
                // Filters alone: every passage that passes them, and the exclusions.
                clauses.push((Occur::Should, planned));
            }
            Box::new(BooleanQuery::new(clauses))
        } else {
            planned
        };
        if let (Some(all_words), true) = (&mut plan.all_words, has_filters) {
            // The extra candidates pass the same filters.
            let mut clauses = filters;
            clauses.push((Occur::Must, all_words.query.box_clone()));
            all_words.query = Box::new(BooleanQuery::new(clauses));
        }
        Ok((query, plan))
    }

    /// The top `wanted` results of a staged query, collapsed by article unless
    /// `all_passages`: (score, best passage, article key), ranked in blocks of
    /// `search.rank_block` ([`rank::in_blocks`]: a page is the same at any depth), within
    /// a block best first, ties broken by article key then address.
    fn rank(
        &self,
        (searcher, stats): (&Searcher, &dyn Bm25StatisticsProvider),
        query: &Staged,
        wanted: usize,
        all_passages: bool,
    ) -> Result<present::Page, SearchError> {
        let key = |address| self.tables.article_key(address);
        let block = self.settings.rank_block;
        if !all_passages {
            let numbers = &self.tables.article_numbers;
            let top =
                |depth| rank::top_articles(searcher, stats, query, numbers.clone(), &key, depth);
            return Ok(rank::in_blocks(block, wanted, top, |c| c.2)?);
        }
        let top = |depth| {
            let top = rank::top_passages(searcher, stats, query, depth)?;
            let mut out: present::Page = top
                .into_iter()
                .map(|(score, address)| (score, address, key(address)))
                .collect();
            // Same score: order by article key, then address, so ties are deterministic.
            out.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.2.cmp(&b.2)).then(a.1.cmp(&b.1)));
            Ok(out)
        };
        Ok(rank::in_blocks(block, wanted, top, |c| c.1)?)
    }

    /// The top `wanted` stories: articles ranked, then each story's copies collapsed to
    /// the best-ranked one (see [`rank::stories`]); with the story of each.
    fn rank_stories(
        &self,
        (searcher, stats): (&Searcher, &dyn Bm25StatisticsProvider),
        query: &Staged,
        wanted: usize,
    ) -> Result<(present::Page, Vec<u64>), SearchError> {
        let columns = self.story_columns(searcher);
        let mut fetch = wanted * 3 + 10;
        loop {
            let ranked = self.rank((searcher, stats), query, fetch, false)?;
            let collapsed = rank::stories::collapse(&ranked, &columns);
            if collapsed.len() >= wanted || ranked.len() < fetch || fetch > 1 << 20 {
                return Ok(collapsed.into_iter().take(wanted).unzip());
            }
            fetch *= 4;
        }
    }

    /// Each hit's story (its copies across the index), `stories` and the hits' article
    /// `keys` aligned with `hits`.
    fn attach_stories(
        &self,
        searcher: &Searcher,
        hits: &mut [request::Hit],
        stories: &[u64],
        keys: &[u64],
    ) -> Result<(), SearchError> {
        if stories.is_empty() {
            // A page without stories (a batch run, `--all-passages`): no columns to open.
            return Ok(());
        }
        let reader = rank::stories::StoryReader::open(searcher, &self.idx.fields);
        let key = |address| self.tables.article_key(address);
        for ((hit, &story), &article) in hits.iter_mut().zip(stories).zip(keys) {
            // The hit's own article is a copy whose id it already has.
            let known = Some((article, hit.doc_id.as_ref()));
            hit.story = Some(reader.info(story, known, &key)?);
        }
        Ok(())
    }

    fn story_columns(&self, searcher: &Searcher) -> rank::stories::StoryColumns {
        rank::stories::StoryColumns::open(searcher, &self.field_name(self.idx.fields.story))
    }

    /// Counts the whole result set by article, outlet and group (facet bits in
    /// `entities.json` order).
    fn count_collector(&self) -> CountCollector {
        let f = &self.idx.fields;
        CountCollector {
            article_key_field: self.field_name(f.article_key),
            outlet_field: self.field_name(f.outlet),
            group_field: self.field_name(f.group),
            story_field: self.field_name(f.story),
            published_field: self.field_name(f.published),
            group_facets: self
                .group_ids
                .iter()
                .map(|g| tantivy::schema::Facet::from_path(["group", g.as_str()]))
                .collect(),
        }
    }
}

/// Opens the index for searching, with a message naming the directory on failure: a
/// damaged index (tantivy cannot read its files) says how to rebuild it; a definition
/// that cannot be used says so, not that the index is damaged.
pub fn open(root: &Path, config: &Config) -> anyhow::Result<Engine> {
    match Engine::open(root, config) {
        Ok(engine) => Ok(engine),
        // The files are there but tantivy cannot read them: damaged on disk.
        Err(SearchError::Tantivy(e)) => Err(anyhow::anyhow!(
            "index {dir} is damaged and cannot be searched ({e}); rebuild it with \
             `akhbar reindex --index {dir} INPUT...`",
            dir = root.display()
        )),
        Err(e @ SearchError::Definition(_)) => Err(anyhow::anyhow!(
            "cannot search index {}: {e} (check the files of --schema)",
            root.display()
        )),
        Err(e) => Err(anyhow::Error::new(e).context(format!("opening index {}", root.display()))),
    }
}
