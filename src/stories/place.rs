//! The indexer's side: signatures of prepared articles, their stories written into the
//! passage documents, and records rebuilt from the index when their story changes.

use std::sync::Arc;

use tantivy::collector::DocSetCollector;
use tantivy::indexer::UserOperation;
use tantivy::query::TermQuery;
use tantivy::schema::IndexRecordOption;
use tantivy::{Searcher, TantivyDocument, Term};

use super::{fresh_story, Signature, StorySettings, StoryTable};
use crate::entities::Gazetteer;
use crate::index::schema::Fields;
use crate::index::stored::StoredPassage;
use crate::index::writer::{article_id_hash as article_key, documents};
use crate::index::AkhbarIndex;
use crate::ingest::{prepare, reconstruct, IngestContext, Prepared, Record};

/// One article of a prepared record, as the story table needs it.
#[derive(Clone, Debug)]
pub struct Slot {
    pub key: u64,
    /// The story it starts if it joins none.
    pub fresh: u64,
    /// Its documents (passages, at least one).
    pub docs: usize,
    pub sig: Option<Signature>,
    /// Publication day (days since 1970).
    pub day: Option<i64>,
}

/// The slots of a record's articles; signatures only with `settings`.
pub fn slots(p: &Prepared, settings: Option<&StorySettings>) -> Vec<Slot> {
    p.articles
        .iter()
        .map(|a| Slot {
            key: article_key(&a.id),
            fresh: fresh_story(&a.id, p.hash),
            docs: a.passages.len().max(1),
            sig: settings.and_then(|s| s.sign(a.passages.iter().map(|p| p.text.as_str()))),
            day: a.published.map(|d| d.days_since_epoch()),
        })
        .collect()
}

/// Writes each article's story (and on its first passage its signature) into its
/// documents, which [`crate::index::writer::documents`] made in article order.
pub fn write_fields(docs: &mut [TantivyDocument], slots: &[Slot], stories: &[u64], f: &Fields) {
    let mut at = 0;
    for (slot, &story) in slots.iter().zip(stories) {
        for (i, doc) in docs.iter_mut().skip(at).take(slot.docs).enumerate() {
            doc.add_u64(f.story, story);
            if i == 0 {
                if let Some(sig) = &slot.sig {
                    for v in sig.to_values() {
                        doc.add_u64(f.story_sig, v);
                    }
                }
            }
        }
        at += slot.docs;
    }
}

/// Places a record's articles in the table (or alone, without one) and writes their
/// stories into the documents.
pub fn place(
    table: Option<&mut StoryTable>,
    source: &str,
    slots: &[Slot],
    docs: &mut [TantivyDocument],
    f: &Fields,
) {
    let stories: Vec<u64> = match table {
        Some(table) => {
            let source: Arc<str> = Arc::from(source);
            slots
                .iter()
                .map(|s| table.assign(s.key, source.clone(), s.sig, s.day, s.fresh))
                .collect()
        }
        None => slots.iter().map(|s| s.fresh).collect(),
    };
    write_fields(docs, slots, &stories, f);
}

/// Rebuilds a record from what the index stores of it (the original body, title,
/// outlet, date, url, category, content hash) and prepares it again, so its documents
/// can be rewritten with another story. `None` when the index does not hold it.
pub fn restore(
    searcher: &Searcher,
    fields: &Fields,
    source_id: &str,
    ctx: &IngestContext,
) -> anyhow::Result<Option<Prepared>> {
    let query = TermQuery::new(
        Term::from_field_text(fields.source_id, source_id),
        IndexRecordOption::Basic,
    );
    let mut first: Option<(StoredPassage, u64)> = None;
    let mut pieces = Vec::new();
    for addr in searcher.search(&query, &DocSetCollector)? {
        let doc: TantivyDocument = searcher.doc(addr)?;
        let p = StoredPassage::from_doc(&doc, fields);
        if !p.text.is_empty() {
            pieces.push((p.start as usize, p.text.clone()));
        }
        pieces.extend(p.rest.iter().cloned());
        if p.ordinal == 0 && p.article_id == source_id {
            let hash = doc
                .get_first(fields.hash)
                .and_then(|v| tantivy::schema::Value::as_u64(&v))
                .ok_or_else(|| anyhow::anyhow!("record `{source_id}` has no stored hash"))?;
            first = Some((p, hash));
        }
    }
    let Some((p, hash)) = first else {
        return Ok(None);
    };
    let record = Record {
        id: source_id.to_string(),
        outlet: p
            .outlet
            .as_deref()
            .and_then(|o| o.strip_prefix("/outlet/"))
            .map(str::to_string),
        title: p.title,
        published: p.published,
        url: p.url,
        category: p.category,
        body: reconstruct(pieces),
        unknown_fields: 0,
    };
    let mut prepared = prepare(record, ctx);
    // The record as it came in hashed differently (its outlet as written): keep that hash
    // so the next run still sees it unchanged.
    prepared.hash = hash;
    Ok(Some(prepared))
}

/// Rewrites (delete + add, through `run`) each record of `sources` that the committed
/// index holds, with its articles' stories as the table has them now. Returns the number
/// of records rewritten.
pub fn rewrite(
    idx: &AkhbarIndex,
    table: &StoryTable,
    sources: &[Arc<str>],
    ctx: &IngestContext,
    tagger: Option<&Gazetteer>,
    mut run: impl FnMut(Vec<UserOperation>) -> anyhow::Result<()>,
) -> anyhow::Result<u64> {
    if sources.is_empty() {
        return Ok(0);
    }
    let reader = idx.reader()?;
    let searcher = reader.searcher();
    let mut rewrites = 0;
    for source in sources {
        let Some(prepared) = restore(&searcher, &idx.fields, source, ctx)? else {
            continue;
        };
        let mut docs = documents(&prepared, &idx.fields, tagger);
        let mut slots = slots(&prepared, None);
        let mut stories = Vec::with_capacity(slots.len());
        for slot in &mut slots {
            let entry = table.get(slot.key);
            slot.sig = entry.and_then(|e| e.sig);
            stories.push(entry.map_or(slot.fresh, |e| e.story));
        }
        write_fields(&mut docs, &slots, &stories, &idx.fields);
        let mut ops = Vec::with_capacity(docs.len() + 1);
        ops.push(UserOperation::Delete(Term::from_field_text(
            idx.fields.source_id,
            source,
        )));
        ops.extend(docs.into_iter().map(UserOperation::Add));
        run(ops)?;
        rewrites += 1;
    }
    Ok(rewrites)
}
