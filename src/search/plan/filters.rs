//! Filters: outlets and groups (facets) and publication dates. One function,
//! [`facet_filter`], turns (facet kind, values) into scoring-free clauses and notes for
//! unknown values, for both places a filter comes from:
//!
//! - typed in the query, `outlet:NAME` / `about:GROUP` ([`FilterOrigin::Query`]): one
//!   value, a clause of the query tree like a word (its `+`/`-` decide whether it must
//!   or must not match; bare, it is an optional clause that scores 0), recorded in the
//!   plan's words;
//! - a request's `outlets` / `about` ([`request_filters`], [`FilterOrigin::Request`]):
//!   the passages with any of the values must match; `about` also ranks them by how
//!   central the group is ([`super::group_query`]), which matters when the filter is the
//!   whole query.

use std::ops::Bound;

use tantivy::query::{
    BooleanQuery, ConstScoreQuery, EmptyQuery, Occur, Query, RangeQuery, TermQuery,
};
use tantivy::schema::{Facet, Field, IndexRecordOption};
use tantivy::{DateTime, Term};

use super::types::{BuiltNode, QueryFields, WordKind, WordPlan};
use super::{group_query, QueryBuilder, QueryPlan};
use crate::config::GroupWeights;
use crate::ingest::record::Date;
use crate::search::SearchRequest;

/// Resolves `outlet:` and `about:` values to facets; None when unknown.
pub trait FacetResolver {
    fn outlet(&self, name: &str) -> Option<Facet>;
    fn group(&self, name: &str) -> Option<Facet>;
    /// Known values, for error messages.
    fn known_outlets(&self) -> Vec<String>;
    fn known_groups(&self) -> Vec<String>;
}

/// Knows no outlet or group (an evaluation index has none).
pub struct NoFacets;

impl FacetResolver for NoFacets {
    fn outlet(&self, _: &str) -> Option<Facet> {
        None
    }
    fn group(&self, _: &str) -> Option<Facet> {
        None
    }
    fn known_outlets(&self) -> Vec<String> {
        Vec::new()
    }
    fn known_groups(&self) -> Vec<String> {
        Vec::new()
    }
}

/// What a facet filter is on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FacetKind {
    /// `/outlet/<name>`.
    Outlet,
    /// `/group/<id>`.
    Group,
}

/// Where a filter comes from (its notes are worded for it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FilterOrigin {
    /// `outlet:` / `about:` in the query.
    Query,
    /// A request's `outlets` / `about` (`--outlet` / `--about`).
    Request,
}

/// A facet filter: one scoring-free clause per known value, and notes on unknown ones.
pub struct FacetFilter {
    pub clauses: Vec<(Facet, Box<dyn Query>)>,
    pub notes: Vec<String>,
}

/// The filter on facet `kind` for `values` (see the module documentation).
pub fn facet_filter(
    resolver: &dyn FacetResolver,
    fields: &QueryFields,
    kind: FacetKind,
    values: &[String],
    origin: FilterOrigin,
) -> FacetFilter {
    let (field, known) = match kind {
        FacetKind::Outlet => (fields.outlet, resolver.known_outlets()),
        FacetKind::Group => (fields.group, resolver.known_groups()),
    };
    let mut filter = FacetFilter {
        clauses: Vec::new(),
        notes: Vec::new(),
    };
    for value in values {
        let facet = match kind {
            FacetKind::Outlet => resolver.outlet(value),
            FacetKind::Group => resolver.group(value),
        };
        match facet {
            Some(facet) => {
                let query = facet_query(field, &facet);
                filter.clauses.push((facet, query));
            }
            None => filter
                .notes
                .push(unknown_value(kind, origin, value, &known)),
        }
    }
    filter
}

/// The note on an unknown filter value.
fn unknown_value(kind: FacetKind, origin: FilterOrigin, value: &str, known: &[String]) -> String {
    let known = known.join(", ");
    match (origin, kind) {
        (FilterOrigin::Query, FacetKind::Outlet) => {
            format!("unknown outlet `{value}` (known: {known})")
        }
        (FilterOrigin::Query, FacetKind::Group) => {
            format!("unknown about `{value}` (known: {known})")
        }
        (FilterOrigin::Request, FacetKind::Outlet) => {
            format!("no outlet `{value}` in the index (outlets: {known})")
        }
        (FilterOrigin::Request, FacetKind::Group) => {
            format!("unknown group `{value}` (groups: {known})")
        }
    }
}

/// Passages with `facet`, scoring 0.
fn facet_query(field: Field, facet: &Facet) -> Box<dyn Query> {
    Box::new(ConstScoreQuery::new(
        Box::new(TermQuery::new(
            Term::from_facet(field, facet),
            IndexRecordOption::Basic,
        )),
        0.0,
    ))
}

impl QueryBuilder<'_> {
    /// `outlet:NAME` or `about:GROUP` typed in the query: a filter that does not score.
    pub(super) fn typed_filter(
        &mut self,
        kind: FacetKind,
        value: &str,
        plan: &mut QueryPlan,
    ) -> Option<BuiltNode> {
        let word_kind = match kind {
            FacetKind::Outlet => WordKind::Outlet,
            FacetKind::Group => WordKind::About,
        };
        let mut word_plan = WordPlan::new(
            format!("{}:{value}", word_kind.as_str()),
            word_kind,
            Vec::new(),
            Vec::new(),
        );
        let values = [value.to_string()];
        let filter = facet_filter(
            self.facets,
            &self.fields,
            kind,
            &values,
            FilterOrigin::Query,
        );
        plan.notes.extend(filter.notes);
        let query: Box<dyn Query> = match filter.clauses.into_iter().next() {
            Some((facet, query)) => {
                word_plan.facets.push(facet.to_string());
                query
            }
            None => {
                word_plan.ignored = Some("unknown value: matches nothing".into());
                Box::new(EmptyQuery)
            }
        };
        plan.words.push(word_plan);
        Some(BuiltNode {
            query,
            counts: false,
        })
    }
}

/// The filters of a request (`outlets`, `about`, `from`, `to`), each with how it
/// combines with the query; notes on unknown values go to `notes`. Empty: no filter.
pub fn request_filters(
    request: &SearchRequest,
    resolver: &dyn FacetResolver,
    fields: &QueryFields,
    published: Field,
    groups: (&GroupWeights, &[u32]),
    notes: &mut Vec<String>,
) -> Vec<(Occur, Box<dyn Query>)> {
    let mut filters: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    let any_of = |clauses: Vec<(Facet, Box<dyn Query>)>| -> Box<dyn Query> {
        Box::new(BooleanQuery::new(
            clauses
                .into_iter()
                .map(|(_, q)| (Occur::Should, q))
                .collect(),
        ))
    };
    if !request.outlets.is_empty() {
        let filter = facet_filter(
            resolver,
            fields,
            FacetKind::Outlet,
            &request.outlets,
            FilterOrigin::Request,
        );
        notes.extend(filter.notes);
        filters.push((Occur::Must, any_of(filter.clauses)));
    }
    if !request.about.is_empty() {
        let filter = facet_filter(
            resolver,
            fields,
            FacetKind::Group,
            &request.about,
            FilterOrigin::Request,
        );
        notes.extend(filter.notes);
        let (weights, levels) = groups;
        for (facet, _) in &filter.clauses {
            // Rank by how central the group is (matters when the filter is the whole
            // query).
            let id = facet.to_path().last().map_or("", |s| *s).to_string();
            let rank = group_query(fields.group_terms, &id, weights, levels);
            filters.push((Occur::Should, rank));
        }
        filters.push((Occur::Must, any_of(filter.clauses)));
    }
    if let Some(range) = date_filter(published, request.from, request.to) {
        filters.push((Occur::Must, range));
    }
    filters
}

/// Passages published from `from` to `to` (inclusive days, either open), scoring 0;
/// None without either.
pub fn date_filter(field: Field, from: Option<Date>, to: Option<Date>) -> Option<Box<dyn Query>> {
    if from.is_none() && to.is_none() {
        return None;
    }
    let day = |d: Date| DateTime::from_timestamp_secs(d.timestamp_secs());
    let lower = from.map_or(Bound::Unbounded, |d| {
        Bound::Included(Term::from_field_date(field, day(d)))
    });
    let upper = to.map_or(Bound::Unbounded, |d| {
        Bound::Excluded(Term::from_field_date(
            field,
            day(Date::from_days_since_epoch(d.days_since_epoch() + 1)),
        ))
    });
    Some(Box::new(ConstScoreQuery::new(
        Box::new(RangeQuery::new(lower, upper)),
        0.0,
    )))
}
