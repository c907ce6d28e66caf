//! The tantivy documents of a prepared record: one per passage, with the article's
//! fields, its group tags, and on the first passage the record's hash, `rest` and the
//! article's whole body (`article`).

use tantivy::schema::{Facet, Field};
use tantivy::tokenizer::{PreTokenizedString, Token};
use tantivy::{DateTime, TantivyDocument};

use super::article_id_hash;
use crate::entities::{Gazetteer, GroupTag};
use crate::index::schema::Fields;
use crate::ingest::{Passage, Prepared};

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
                if let Some(field) = f.article {
                    add_article_body(&mut doc, field, &article.passages);
                }
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

/// The article's whole cleaned body (its passages, one value each) on its first passage:
/// one document per article holds it, so its statistics are the articles' and the
/// rank stage scores an article there ([`crate::search::rank::fusion`]).
fn add_article_body(doc: &mut TantivyDocument, field: Field, passages: &[Passage]) {
    for passage in passages {
        doc.add_text(field, &passage.text);
    }
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
