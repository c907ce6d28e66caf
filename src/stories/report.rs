//! Reading stories back from an index: one story's copies, counts over the index, and
//! candidate pairs to judge.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap;
use serde::Serialize;
use tantivy::collector::DocSetCollector;
use tantivy::query::TermQuery;
use tantivy::schema::IndexRecordOption;
use tantivy::{TantivyDocument, Term};

use super::templates::Sample;
use super::{story_label, StorySettings, StoryTable};
use crate::index::stored::StoredPassage;
use crate::index::writer::article_id_hash as article_key;
use crate::index::AkhbarIndex;
use crate::ingest::clean;

/// One copy of a story.
#[derive(Clone, Debug, Serialize)]
pub struct Copy {
    pub article_id: String,
    pub outlet: Option<String>,
    pub title: Option<String>,
    pub published: Option<String>,
    pub passages: Vec<String>,
    /// Passages not in the first copy (added or edited), by ordinal.
    pub changed: Vec<usize>,
    /// Passages of the first copy this one does not have.
    pub missing: usize,
    /// Estimated similarity to the first copy.
    pub similarity: Option<f64>,
}

/// A story's copies, first published first (undated last, then by id).
pub fn copies(
    idx: &AkhbarIndex,
    settings: &StorySettings,
    story: u64,
) -> anyhow::Result<Vec<Copy>> {
    let reader = idx.reader()?;
    let searcher = reader.searcher();
    let query = TermQuery::new(
        Term::from_field_u64(idx.fields.story, story),
        IndexRecordOption::Basic,
    );
    let mut by_article: BTreeMap<String, Vec<StoredPassage>> = BTreeMap::new();
    for addr in searcher.search(&query, &DocSetCollector)? {
        let doc: TantivyDocument = searcher.doc(addr)?;
        let p = StoredPassage::from_doc(&doc, &idx.fields);
        by_article.entry(p.article_id.clone()).or_default().push(p);
    }
    let mut out: Vec<Copy> = by_article
        .into_values()
        .filter_map(|mut ps| {
            ps.sort_by_key(|p| p.ordinal);
            let first = ps.first()?.clone();
            Some(Copy {
                article_id: first.article_id,
                outlet: first
                    .outlet
                    .map(|o| o.trim_start_matches("/outlet/").to_string()),
                title: first.title,
                published: first.published.map(|d| d.to_string()),
                passages: ps
                    .into_iter()
                    .map(|p| p.text)
                    .filter(|t| !t.is_empty())
                    .collect(),
                changed: Vec::new(),
                missing: 0,
                similarity: None,
            })
        })
        .collect();
    out.sort_by(|a, b| {
        (a.published.is_none(), &a.published, &a.article_id).cmp(&(
            b.published.is_none(),
            &b.published,
            &b.article_id,
        ))
    });
    if let Some(first) = out.first().cloned() {
        let key = |t: &str| clean::fold(t, t.len());
        let base: Vec<String> = first.passages.iter().map(|p| key(p)).collect();
        let base_sig = settings.sign(first.passages.iter().map(String::as_str));
        for copy in out.iter_mut().skip(1) {
            let keys: Vec<String> = copy.passages.iter().map(|p| key(p)).collect();
            copy.changed = (0..keys.len())
                .filter(|&i| !base.contains(&keys[i]))
                .collect();
            copy.missing = base.iter().filter(|b| !keys.contains(b)).count();
            let sig = settings.sign(copy.passages.iter().map(String::as_str));
            copy.similarity = match (&base_sig, &sig) {
                (Some(a), Some(b)) => Some(a.similarity(b)),
                _ => None,
            };
        }
    }
    Ok(out)
}

/// Every article of an index with its story, outlet and text (its passages in order,
/// one per line), for learning the template shingles.
pub fn samples(idx: &AkhbarIndex) -> anyhow::Result<Vec<Sample>> {
    let reader = idx.reader()?;
    let searcher = reader.searcher();
    // By article: (story, outlet, passages by ordinal).
    type Parts = (u64, String, Vec<(u64, String)>);
    let mut by_article: FxHashMap<String, Parts> = FxHashMap::default();
    for (ord, segment) in searcher.segment_readers().iter().enumerate() {
        let alive = segment.alive_bitset();
        let stories = segment.fast_fields().u64("story")?;
        for doc in 0..segment.max_doc() {
            if alive.is_some_and(|a| !a.is_alive(doc)) {
                continue;
            }
            let Some(story) = stories.first(doc) else {
                continue;
            };
            let d: TantivyDocument = searcher.doc(tantivy::DocAddress::new(ord as u32, doc))?;
            let p = StoredPassage::from_doc(&d, &idx.fields);
            let outlet = p.outlet.unwrap_or_default();
            let entry = by_article
                .entry(p.article_id)
                .or_insert_with(|| (story, outlet, Vec::new()));
            entry.2.push((p.ordinal, p.text));
        }
    }
    Ok(by_article
        .into_values()
        .map(|(story, outlet, mut parts)| {
            parts.sort_by_key(|x| x.0);
            let text: Vec<String> = parts.into_iter().map(|x| x.1).collect();
            Sample {
                story,
                outlet,
                text: text.join("\n"),
            }
        })
        .collect())
}

/// The story of an article id, if the index holds the article (read from its first
/// document's `story` fast field).
pub fn story_of(idx: &AkhbarIndex, article_id: &str) -> anyhow::Result<Option<u64>> {
    let reader = idx.reader()?;
    let searcher = reader.searcher();
    let query = TermQuery::new(
        Term::from_field_text(idx.fields.article_id, article_id),
        IndexRecordOption::Basic,
    );
    for addr in searcher.search(&query, &DocSetCollector)? {
        let segment = searcher.segment_reader(addr.segment_ord);
        if let Some(story) = segment.fast_fields().u64("story")?.first(addr.doc_id) {
            return Ok(Some(story));
        }
    }
    Ok(None)
}

/// A story as an article page shows it: every copy, first published first, with what
/// each changed from the first (the same comparison as `akhbar story ID`).
#[derive(Clone, Debug, Serialize)]
pub struct StoryView {
    /// The story id (16 hex digits).
    pub id: String,
    /// Copies and the outlets they come from.
    pub copies: usize,
    pub outlets: Vec<String>,
    /// The first copy's date and outlet (who had it first), if it is dated.
    pub first_published: Option<String>,
    pub first_outlet: Option<String>,
    pub articles: Vec<CopyView>,
}

/// One copy in a [`StoryView`].
#[derive(Clone, Debug, Serialize)]
pub struct CopyView {
    pub article_id: String,
    pub outlet: Option<String>,
    pub title: Option<String>,
    pub published: Option<String>,
    /// The first copy (the others are compared with it).
    pub first: bool,
    /// Estimated similarity to the first copy.
    pub similarity: Option<f64>,
    pub passages: usize,
    /// Its passages not in the first copy (new or edited), by position.
    pub changed: Vec<usize>,
    /// The first copy's passages it does not have.
    pub missing: usize,
    /// The start of each changed passage (at most [`SHOWN_CHANGES`], 200 characters each).
    pub added: Vec<String>,
}

/// Changed passages quoted per copy in a [`StoryView`].
pub const SHOWN_CHANGES: usize = 3;

impl StoryView {
    /// The view of a story's copies ([`copies`]).
    pub fn of(story: u64, copies: &[Copy]) -> StoryView {
        let mut outlets: Vec<String> = Vec::new();
        for o in copies.iter().filter_map(|c| c.outlet.as_ref()) {
            if !outlets.contains(o) {
                outlets.push(o.clone());
            }
        }
        let first = copies.first().filter(|c| c.published.is_some());
        StoryView {
            id: story_label(story),
            copies: copies.len(),
            outlets,
            first_published: first.and_then(|c| c.published.clone()),
            first_outlet: first.and_then(|c| c.outlet.clone()),
            articles: copies
                .iter()
                .enumerate()
                .map(|(i, c)| CopyView {
                    article_id: c.article_id.clone(),
                    outlet: c.outlet.clone(),
                    title: c.title.clone(),
                    published: c.published.clone(),
                    first: i == 0,
                    similarity: c.similarity,
                    passages: c.passages.len(),
                    changed: c.changed.clone(),
                    missing: c.missing,
                    added: c
                        .changed
                        .iter()
                        .take(SHOWN_CHANGES)
                        .filter_map(|&k| c.passages.get(k))
                        .map(|t| t.chars().take(200).collect())
                        .collect(),
                })
                .collect(),
        }
    }
}

/// The story of an article and its copies, if the index holds the article.
pub fn story_view(
    idx: &AkhbarIndex,
    settings: &StorySettings,
    article_id: &str,
) -> anyhow::Result<Option<StoryView>> {
    let Some(story) = story_of(idx, article_id)? else {
        return Ok(None);
    };
    let copies = copies(idx, settings, story)?;
    Ok((!copies.is_empty()).then(|| StoryView::of(story, &copies)))
}

/// Stories over a whole index.
#[derive(Clone, Debug, Serialize)]
pub struct Summary {
    pub articles: u64,
    /// Articles with a signature (enough text to compare).
    pub signed: u64,
    pub stories: u64,
    /// Stories of two articles or more, and the articles in them.
    pub shared_stories: u64,
    pub articles_in_shared: u64,
    /// Story size → number of stories.
    pub sizes: BTreeMap<usize, u64>,
    /// The largest stories: (id, size).
    pub largest: Vec<(String, usize)>,
}

pub fn summary(table: &StoryTable) -> Summary {
    let mut sizes_by_story: FxHashMap<u64, usize> = FxHashMap::default();
    let mut signed = 0;
    for (_, e) in table.iter() {
        *sizes_by_story.entry(e.story).or_default() += 1;
        signed += u64::from(e.sig.is_some());
    }
    let mut sizes = BTreeMap::new();
    for &n in sizes_by_story.values() {
        *sizes.entry(n).or_insert(0u64) += 1;
    }
    let mut largest: Vec<(u64, usize)> = sizes_by_story.iter().map(|(&s, &n)| (s, n)).collect();
    largest.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let shared: Vec<&(u64, usize)> = largest.iter().filter(|x| x.1 > 1).collect();
    Summary {
        articles: table.len() as u64,
        signed,
        stories: sizes_by_story.len() as u64,
        shared_stories: shared.len() as u64,
        articles_in_shared: shared.iter().map(|x| x.1 as u64).sum(),
        sizes,
        largest: largest
            .iter()
            .take(10)
            .map(|&(s, n)| (story_label(s), n))
            .collect(),
    }
}

/// A candidate pair: two articles and their estimated similarity.
#[derive(Clone, Debug, Serialize)]
pub struct Pair {
    pub a: u64,
    pub b: u64,
    pub similarity: f64,
    pub same_story: bool,
}

/// Pairs of articles that share a band bucket with similarity in `[lo, hi)`, each pair
/// once, in a fixed order (by the hash of the pair), at most `n`.
pub fn pairs(table: &StoryTable, lo: f64, hi: f64, n: usize) -> Vec<Pair> {
    let mut out = Vec::new();
    for (&key, e) in table.iter() {
        let Some(sig) = &e.sig else { continue };
        for (other, sim) in table.neighbours_from(sig, e.day, lo) {
            if other <= key || sim >= hi {
                continue;
            }
            let same = table.get(other).is_some_and(|o| o.story == e.story);
            out.push(Pair {
                a: key,
                b: other,
                similarity: sim,
                same_story: same,
            });
        }
    }
    let order =
        |p: &Pair| xxhash_rust::xxh3::xxh3_64(&[p.a.to_le_bytes(), p.b.to_le_bytes()].concat());
    out.sort_by_key(order);
    out.truncate(n);
    out
}
/// One judged pair (`docs/stories-judged.tsv`) as the index has it now.
#[derive(Clone, Debug, Serialize)]
pub struct JudgedPair {
    /// The sample it was drawn from (`high`: similarity >= 0.6, `near`: 0.3-0.6).
    pub set: String,
    pub a: String,
    pub b: String,
    /// The judge's verdict: a copy of one story.
    pub copy: bool,
    /// Both articles are in the index and in one story.
    pub same_story: bool,
    /// The pair itself passes the join rule (a direct join when in one story).
    pub direct: bool,
    pub similarity: Option<f64>,
    /// Articles of the pair without a date (0, 1 or 2).
    pub undated: u8,
}

/// Precision and recall on the judged pairs.
#[derive(Clone, Debug, Serialize)]
pub struct JudgedReport {
    pub pairs: Vec<JudgedPair>,
    /// Pairs in one story, and how many of them are judged copies.
    pub joined: usize,
    pub joined_copies: usize,
    /// ... of them joined directly.
    pub direct: usize,
    pub direct_copies: usize,
    /// Pairs judged copies, and how many of them are in one story.
    pub copies: usize,
    pub copies_joined: usize,
}

/// Reads judged pairs: tab-separated `set n similarity detector article_a article_b
/// judged` (`#` comments), `judged` being `copy` or `different`.
pub fn read_judged(text: &str) -> Result<Vec<(String, String, String, bool)>, String> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        let copy = match cols.get(6).map(|s| s.trim()) {
            Some("copy") => true,
            Some("different") => false,
            other => {
                return Err(format!(
                    "line {}: need 7 tab-separated columns ending in copy|different, got {other:?}",
                    i + 1
                ))
            }
        };
        out.push((cols[0].into(), cols[4].into(), cols[5].into(), copy));
    }
    Ok(out)
}

/// Each judged pair as the table has it now, with the counts.
pub fn judge(table: &StoryTable, judged: &[(String, String, String, bool)]) -> JudgedReport {
    let pairs: Vec<JudgedPair> = judged
        .iter()
        .map(|(set, a, b, copy)| {
            let (ea, eb) = (table.get(article_key(a)), table.get(article_key(b)));
            let similarity = match (ea.and_then(|e| e.sig), eb.and_then(|e| e.sig)) {
                (Some(x), Some(y)) => Some(x.similarity(&y)),
                _ => None,
            };
            let days = (ea.and_then(|e| e.day), eb.and_then(|e| e.day));
            let near = match days {
                (Some(x), Some(y)) => (x - y).abs() <= table.settings().max_days_apart,
                _ => true,
            };
            JudgedPair {
                set: set.clone(),
                a: a.clone(),
                b: b.clone(),
                copy: *copy,
                same_story: matches!((ea, eb), (Some(x), Some(y)) if x.story == y.story),
                direct: near && similarity.is_some_and(|s| table.joins(s, days.0, days.1)),
                similarity,
                undated: u8::from(days.0.is_none()) + u8::from(days.1.is_none()),
            }
        })
        .collect();
    let count = |f: &dyn Fn(&JudgedPair) -> bool| pairs.iter().filter(|p| f(p)).count();
    JudgedReport {
        joined: count(&|p| p.same_story),
        joined_copies: count(&|p| p.same_story && p.copy),
        direct: count(&|p| p.same_story && p.direct),
        direct_copies: count(&|p| p.same_story && p.direct && p.copy),
        copies: count(&|p| p.copy),
        copies_joined: count(&|p| p.copy && p.same_story),
        pairs,
    }
}
