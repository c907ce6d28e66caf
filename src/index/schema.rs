//! The tantivy schema, built from `schema.json` → `fields`.

use tantivy::schema::{
    DateOptions, DateTimePrecision, FacetOptions, Field, IndexRecordOption, NumericOptions, Schema,
    TextFieldIndexing, TextOptions,
};

use crate::config::{Config, FieldDef, FieldKind};

/// The fields the indexer fills, looked up by name in the data-defined schema.
#[derive(Clone, Copy, Debug)]
pub struct Fields {
    pub article_id: Field,
    /// A 64-bit hash of the article id (fast field): collapsing and counting articles
    /// across segments without looking strings up.
    pub article_key: Field,
    pub source_id: Field,
    pub ordinal: Field,
    pub outlet: Field,
    pub title: Field,
    pub published: Field,
    pub url: Field,
    pub category: Field,
    pub text: Field,
    pub text_exact: Field,
    pub group: Field,
    /// Pre-tokenized group terms whose frequencies reflect how central a group is.
    pub group_terms: Field,
    /// The passage's group tags as JSON ([`crate::entities::GroupTag`] list).
    pub groups_detail: Field,
    pub hash: Field,
    pub start: Field,
    pub rest: Field,
    /// The article's story id (every passage; see [`crate::stories`]).
    pub story: Field,
    /// The article's MinHash signature, 16 packed values (first passage).
    pub story_sig: Field,
}

/// Builds the schema. Fails when a field the indexer needs is missing or of the wrong kind.
pub fn build(config: &Config) -> Result<(Schema, Fields), String> {
    let mut builder = Schema::builder();
    for def in &config.schema.fields.list {
        match def.kind {
            FieldKind::Raw => {
                let mut opts = TextOptions::default();
                if def.indexed {
                    opts = opts.set_indexing_options(
                        TextFieldIndexing::default()
                            .set_tokenizer("raw")
                            .set_index_option(IndexRecordOption::Basic),
                    );
                }
                if def.stored {
                    opts = opts.set_stored();
                }
                if def.fast {
                    opts = opts.set_fast("raw");
                }
                builder.add_text_field(&def.name, opts);
            }
            FieldKind::Text => {
                let analyzer = def.analyzer.as_deref().unwrap_or("arabic");
                let record = if def.positions {
                    IndexRecordOption::WithFreqsAndPositions
                } else {
                    IndexRecordOption::WithFreqs
                };
                let mut opts = TextOptions::default().set_indexing_options(
                    TextFieldIndexing::default()
                        .set_tokenizer(analyzer)
                        .set_index_option(record),
                );
                if def.stored {
                    opts = opts.set_stored();
                }
                builder.add_text_field(&def.name, opts);
            }
            FieldKind::U64 => {
                let mut opts = NumericOptions::default();
                if def.indexed {
                    opts = opts.set_indexed();
                }
                if def.stored {
                    opts = opts.set_stored();
                }
                if def.fast {
                    opts = opts.set_fast();
                }
                builder.add_u64_field(&def.name, opts);
            }
            FieldKind::Date => {
                let mut opts = DateOptions::default().set_precision(DateTimePrecision::Seconds);
                if def.indexed {
                    opts = opts.set_indexed();
                }
                if def.stored {
                    opts = opts.set_stored();
                }
                if def.fast {
                    opts = opts.set_fast();
                }
                builder.add_date_field(&def.name, opts);
            }
            FieldKind::Facet => {
                let mut opts = FacetOptions::default();
                if def.stored {
                    opts = opts.set_stored();
                }
                builder.add_facet_field(&def.name, opts);
            }
        }
    }
    let schema = builder.build();
    let defs = &config.schema.fields.list;
    let get = |name: &str, kind: FieldKind, need: &dyn Fn(&FieldDef) -> bool, what: &str| {
        let def = defs
            .iter()
            .find(|d| d.name == name)
            .ok_or_else(|| format!("schema.json: the indexer needs a field `{name}`"))?;
        if def.kind != kind || !need(def) {
            return Err(format!(
                "schema.json: field `{name}` must be {kind:?}{what}",
                kind = kind
            ));
        }
        schema
            .get_field(name)
            .map_err(|e| format!("schema.json: field `{name}`: {e}"))
    };
    let any = |_: &FieldDef| true;
    let fields = Fields {
        article_id: get(
            "article_id",
            FieldKind::Raw,
            &|d| d.indexed && d.fast && d.stored,
            ", indexed, stored and fast",
        )?,
        article_key: get("article_key", FieldKind::U64, &|d| d.fast, ", fast")?,
        source_id: get(
            "source_id",
            FieldKind::Raw,
            &|d| d.indexed && d.fast,
            ", indexed and fast",
        )?,
        ordinal: get(
            "ordinal",
            FieldKind::U64,
            &|d| d.indexed && d.stored,
            ", indexed and stored",
        )?,
        outlet: get("outlet", FieldKind::Facet, &any, "")?,
        title: get("title", FieldKind::Text, &any, "")?,
        published: get("published", FieldKind::Date, &|d| d.fast, ", fast")?,
        url: get("url", FieldKind::Raw, &any, "")?,
        category: get("category", FieldKind::Raw, &any, "")?,
        text: get(
            "text",
            FieldKind::Text,
            &|d| d.stored && d.positions,
            ", stored, with positions",
        )?,
        text_exact: get(
            "text_exact",
            FieldKind::Text,
            &|d| d.positions,
            ", with positions",
        )?,
        group: get("group", FieldKind::Facet, &any, "")?,
        group_terms: get("group_terms", FieldKind::Text, &any, "")?,
        groups_detail: get("groups_detail", FieldKind::Raw, &|d| d.stored, ", stored")?,
        hash: get("hash", FieldKind::U64, &|d| d.fast, ", fast")?,
        start: get("start", FieldKind::U64, &|d| d.stored, ", stored")?,
        rest: get("rest", FieldKind::Raw, &|d| d.stored, ", stored")?,
        story: get(
            "story",
            FieldKind::U64,
            &|d| d.indexed && d.fast,
            ", indexed and fast",
        )?,
        story_sig: get("story_sig", FieldKind::U64, &|d| d.fast, ", fast")?,
    };
    Ok((schema, fields))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_schema_builds() {
        let (schema, fields) = build(&Config::builtin()).unwrap();
        assert_eq!(schema.get_field_name(fields.text), "text");
        let text = schema.get_field_entry(fields.text_exact);
        assert!(!text.is_stored());
    }

    #[test]
    fn a_missing_field_is_reported() {
        let mut config = Config::builtin();
        config.schema.fields.list.retain(|f| f.name != "group");
        assert!(build(&config).unwrap_err().contains("`group`"));
    }
}
