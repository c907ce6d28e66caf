//! `akhbar groups`: per group of the gazetteer, what an index holds about it.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use tantivy::collector::DocSetCollector;
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::{Facet, IndexRecordOption};
use tantivy::{TantivyDocument, Term};

use super::stored::StoredPassage;
use super::AkhbarIndex;
use crate::entities::Gazetteer;
use crate::ingest::Date;

/// What the index holds about one group.
#[derive(Clone, Debug, Serialize)]
pub struct GroupReport {
    pub id: String,
    /// Display names by language.
    pub display: BTreeMap<String, String>,
    /// Passages tagged with the group.
    pub passages: u64,
    /// Of those, passages whose text or title names it by an own name (the others only
    /// by related names).
    pub passages_own_name: u64,
    /// Articles with a tagged passage.
    pub articles: u64,
    /// Articles per outlet, most first.
    pub outlets: Vec<(String, u64)>,
    /// Earliest and latest publication date of those articles (YYYY-MM-DD).
    pub first_date: Option<String>,
    pub last_date: Option<String>,
    pub undated_articles: u64,
    /// Spellings seen (own and related names, proclitics removed), with counts, most first.
    pub spellings: Vec<(String, u64)>,
}

#[derive(Default)]
struct Acc {
    passages: u64,
    own: u64,
    articles: BTreeMap<String, (Option<String>, Option<Date>)>,
    spellings: BTreeMap<String, u64>,
}

/// The report over every group of `gazetteer`.
pub fn report(idx: &AkhbarIndex, gazetteer: &Gazetteer) -> anyhow::Result<Vec<GroupReport>> {
    let reader = idx.reader()?;
    let searcher = reader.searcher();
    let f = &idx.fields;
    let any_group: Vec<(Occur, Box<dyn Query>)> = gazetteer
        .groups()
        .iter()
        .map(|g| -> (Occur, Box<dyn Query>) {
            (
                Occur::Should,
                Box::new(TermQuery::new(
                    Term::from_facet(f.group, &Facet::from_path(["group", g.id.as_str()])),
                    IndexRecordOption::Basic,
                )),
            )
        })
        .collect();
    let mut accs: BTreeMap<String, Acc> = BTreeMap::new();
    let tagged = searcher.search(&BooleanQuery::new(any_group), &DocSetCollector)?;
    for address in tagged {
        let doc: TantivyDocument = searcher.doc(address)?;
        let passage = StoredPassage::from_doc(&doc, f);
        let outlet = passage.outlet_name().map(str::to_string);
        let (article, published) = (passage.article_id, passage.published);
        for tag in passage.group_tags {
            let acc = accs.entry(tag.group.clone()).or_default();
            acc.passages += 1;
            if tag.by_own_name() {
                acc.own += 1;
            }
            acc.articles
                .entry(article.clone())
                .or_insert((outlet.clone(), published));
            for (spelling, n) in tag.spellings {
                *acc.spellings.entry(spelling).or_insert(0) += u64::from(n);
            }
        }
    }
    let mut out = Vec::new();
    for group in gazetteer.groups() {
        let acc = accs.remove(&group.id).unwrap_or_default();
        let mut outlets: BTreeMap<String, u64> = BTreeMap::new();
        let mut dates: BTreeSet<i64> = BTreeSet::new();
        let mut undated = 0;
        for (outlet, published) in acc.articles.values() {
            *outlets
                .entry(outlet.clone().unwrap_or_else(|| "(unknown)".into()))
                .or_insert(0) += 1;
            match published {
                Some(d) => {
                    dates.insert(d.days_since_epoch());
                }
                None => undated += 1,
            }
        }
        let most_first = |m: BTreeMap<String, u64>| {
            let mut v: Vec<(String, u64)> = m.into_iter().collect();
            v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            v
        };
        let day = |d: Option<&i64>| d.map(|d| Date::from_days_since_epoch(*d).to_string());
        out.push(GroupReport {
            id: group.id.clone(),
            display: group.display.clone(),
            passages: acc.passages,
            passages_own_name: acc.own,
            articles: acc.articles.len() as u64,
            outlets: most_first(outlets),
            first_date: day(dates.first()),
            last_date: day(dates.last()),
            undated_articles: undated,
            spellings: most_first(acc.spellings),
        });
    }
    Ok(out)
}
