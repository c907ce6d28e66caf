//! The tantivy schema, built from `schema.json` → `fields`.

use tantivy::schema::{
    DateOptions, DateTimePrecision, FacetOptions, Field, IndexRecordOption, NumericOptions, Schema,
    SchemaBuilder, TextFieldIndexing, TextOptions,
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
    /// The article's whole cleaned body on its first passage (terms and frequencies, no
    /// positions): what `search.weights.article` scores. An optional field: without it
    /// articles are ranked by their best passage alone.
    pub article: Option<Field>,
}

/// Builds the schema. Fails when a field the indexer needs is missing or of the wrong kind.
pub fn build(config: &Config) -> Result<(Schema, Fields), String> {
    let mut builder = Schema::builder();
    for def in &config.schema.fields.list {
        add_field(&mut builder, def);
    }
    let schema = builder.build();
    let fields = Fields::resolve(&schema, &config.schema.fields.list)?;
    Ok((schema, fields))
}

/// Adds one field of `schema.json` → `fields` with the options its definition asks for.
fn add_field(builder: &mut SchemaBuilder, def: &FieldDef) {
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

/// What the indexer needs of one field besides its kind; combined with `|`.
#[derive(Clone, Copy)]
struct Need {
    indexed: bool,
    stored: bool,
    fast: bool,
    positions: bool,
}

const ANY: Need = Need {
    indexed: false,
    stored: false,
    fast: false,
    positions: false,
};
const INDEXED: Need = Need {
    indexed: true,
    ..ANY
};
const STORED: Need = Need {
    stored: true,
    ..ANY
};
const FAST: Need = Need { fast: true, ..ANY };
const POSITIONS: Need = Need {
    positions: true,
    ..ANY
};

impl std::ops::BitOr for Need {
    type Output = Need;
    fn bitor(self, other: Need) -> Need {
        Need {
            indexed: self.indexed || other.indexed,
            stored: self.stored || other.stored,
            fast: self.fast || other.fast,
            positions: self.positions || other.positions,
        }
    }
}

impl Need {
    fn met_by(self, def: &FieldDef) -> bool {
        (!self.indexed || def.indexed)
            && (!self.stored || def.stored)
            && (!self.fast || def.fast)
            && (!self.positions || def.positions)
    }

    /// ", indexed, stored and fast" — the words of the error message.
    fn describe(self) -> String {
        let mut words: Vec<&str> = Vec::new();
        for (on, word) in [
            (self.indexed, "indexed"),
            (self.stored, "stored"),
            (self.fast, "fast"),
        ] {
            if on {
                words.push(word);
            }
        }
        let mut text = match words.as_slice() {
            [] => String::new(),
            [one] => format!(", {one}"),
            [init @ .., last] => format!(", {} and {last}", init.join(", ")),
        };
        if self.positions {
            text.push_str(", with positions");
        }
        text
    }
}

impl Fields {
    /// Looks every field the indexer fills up by name and checks its kind and options.
    fn resolve(schema: &Schema, defs: &[FieldDef]) -> Result<Fields, String> {
        let get = |name: &str, kind: FieldKind, need: Need| -> Result<Field, String> {
            let def = defs
                .iter()
                .find(|d| d.name == name)
                .ok_or_else(|| format!("schema.json: the indexer needs a field `{name}`"))?;
            if def.kind != kind || !need.met_by(def) {
                return Err(format!(
                    "schema.json: field `{name}` must be {kind:?}{}",
                    need.describe()
                ));
            }
            schema
                .get_field(name)
                .map_err(|e| format!("schema.json: field `{name}`: {e}"))
        };
        Ok(Fields {
            article_id: get("article_id", FieldKind::Raw, INDEXED | STORED | FAST)?,
            article_key: get("article_key", FieldKind::U64, FAST)?,
            source_id: get("source_id", FieldKind::Raw, INDEXED | FAST)?,
            ordinal: get("ordinal", FieldKind::U64, INDEXED | STORED)?,
            outlet: get("outlet", FieldKind::Facet, ANY)?,
            title: get("title", FieldKind::Text, ANY)?,
            published: get("published", FieldKind::Date, FAST)?,
            url: get("url", FieldKind::Raw, ANY)?,
            category: get("category", FieldKind::Raw, ANY)?,
            text: get("text", FieldKind::Text, STORED | POSITIONS)?,
            text_exact: get("text_exact", FieldKind::Text, POSITIONS)?,
            group: get("group", FieldKind::Facet, ANY)?,
            group_terms: get("group_terms", FieldKind::Text, ANY)?,
            groups_detail: get("groups_detail", FieldKind::Raw, STORED)?,
            hash: get("hash", FieldKind::U64, FAST)?,
            start: get("start", FieldKind::U64, STORED)?,
            rest: get("rest", FieldKind::Raw, STORED)?,
            story: get("story", FieldKind::U64, INDEXED | FAST)?,
            story_sig: get("story_sig", FieldKind::U64, FAST)?,
            article: if defs.iter().any(|d| d.name == "article") {
                Some(get("article", FieldKind::Text, ANY)?)
            } else {
                None
            },
        })
    }
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

    #[test]
    fn a_field_without_the_options_it_needs_is_reported() {
        let mut config = Config::builtin();
        for def in &mut config.schema.fields.list {
            if def.name == "article_id" {
                def.fast = false;
            }
            if def.name == "text" {
                def.positions = false;
            }
        }
        assert_eq!(
            build(&config).unwrap_err(),
            "schema.json: field `article_id` must be Raw, indexed, stored and fast"
        );
        config
            .schema
            .fields
            .list
            .iter_mut()
            .filter(|d| d.name == "article_id")
            .for_each(|d| d.fast = true);
        assert_eq!(
            build(&config).unwrap_err(),
            "schema.json: field `text` must be Text, stored, with positions"
        );
    }

    #[test]
    fn the_article_field_is_optional_and_must_be_text() {
        // Off in the built-in schema (over issue 13's indexing budgets); a schema.json may
        // declare it.
        assert!(build(&Config::builtin()).unwrap().1.article.is_none());
        let mut with_article = Config::builtin();
        with_article.schema.fields.list.push(
            serde_json::from_str(
                r#"{"name": "article", "kind": "text", "analyzer": "arabic", "positions": false, "stored": false}"#,
            )
            .unwrap(),
        );
        let (schema, fields) = build(&with_article).unwrap();
        let article = fields.article.expect("declared");
        let entry = schema.get_field_entry(article);
        assert!(!entry.is_stored());
        let tantivy::schema::FieldType::Str(options) = entry.field_type() else {
            panic!("a text field");
        };
        let indexing = options.get_indexing_options().expect("indexed");
        assert_eq!(indexing.index_option(), IndexRecordOption::WithFreqs);
        let mut config = with_article;
        for def in &mut config.schema.fields.list {
            if def.name == "article" {
                def.kind = FieldKind::Raw;
            }
        }
        assert_eq!(
            build(&config).unwrap_err(),
            "schema.json: field `article` must be Text"
        );
    }

    #[test]
    fn needs_read_as_the_message_says() {
        assert_eq!(ANY.describe(), "");
        assert_eq!(FAST.describe(), ", fast");
        assert_eq!((INDEXED | FAST).describe(), ", indexed and fast");
        assert_eq!(POSITIONS.describe(), ", with positions");
    }
}
