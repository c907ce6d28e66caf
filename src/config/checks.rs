//! The checks on the definition files that serde cannot express.

use super::{ConfigError, EntitiesConfig, FieldKind, SchemaConfig, SearchSettings, MAX_GROUPS};

/// The checks on `fields`, `passages` and `docstore` that serde cannot express.
pub(super) fn check_fields(schema: &SchemaConfig) -> Result<(), ConfigError> {
    let mut seen = std::collections::BTreeSet::new();
    for field in &schema.fields.list {
        if !seen.insert(field.name.as_str()) {
            return Err(ConfigError::Invalid(format!(
                "schema.json: field `{}` is defined twice",
                field.name
            )));
        }
        if field.kind == FieldKind::Text {
            match &field.analyzer {
                Some(name) if schema.analyzers.contains_key(name) => {}
                Some(name) => {
                    return Err(ConfigError::Invalid(format!(
                        "schema.json: field `{}` uses analyzer `{name}`, which is not defined",
                        field.name
                    )))
                }
                None => {
                    return Err(ConfigError::Invalid(format!(
                        "schema.json: text field `{}` names no analyzer",
                        field.name
                    )))
                }
            }
        }
    }
    let p = &schema.passages;
    if p.min_bytes == 0 || p.max_bytes < 2 * p.min_bytes {
        return Err(ConfigError::Invalid(format!(
            "schema.json: passages need 0 < min_bytes and 2 × min_bytes <= max_bytes (got {} and {})",
            p.min_bytes, p.max_bytes
        )));
    }
    if !matches!(
        schema.docstore.compression.as_str(),
        "zstd" | "lz4" | "none"
    ) {
        return Err(ConfigError::Invalid(format!(
            "schema.json: docstore.compression must be zstd, lz4 or none, not `{}`",
            schema.docstore.compression
        )));
    }
    Ok(())
}

/// The checks on `entities.json` that serde cannot express.
pub(super) fn check_entities(entities: &EntitiesConfig) -> Result<(), ConfigError> {
    let bad = |msg: String| Err(ConfigError::Invalid(format!("entities.json: {msg}")));
    let (threshold, factor) = (entities.tag_threshold, entities.title_factor);
    if threshold.is_nan() || threshold <= 0.0 || factor.is_nan() || factor < 1.0 {
        return bad("tag_threshold must be above 0 and title_factor at least 1".into());
    }
    if entities.groups.len() > MAX_GROUPS {
        return bad(format!("at most {MAX_GROUPS} groups"));
    }
    let levels = &entities.strength_levels.levels;
    if levels.windows(2).any(|w| w[0] >= w[1]) || levels.first() == Some(&0) {
        return bad(format!(
            "strength_levels.levels must increase from at least 1 (got {levels:?})"
        ));
    }
    let mut ids = std::collections::BTreeSet::new();
    for group in &entities.groups {
        let id_ok = !group.id.is_empty()
            && group
                .id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if !id_ok {
            return bad(format!(
                "group id `{}` must be lowercase ASCII letters, digits and -",
                group.id
            ));
        }
        if !ids.insert(group.id.as_str()) {
            return bad(format!("group `{}` is defined twice", group.id));
        }
        if group.names.is_empty() {
            return bad(format!("group `{}` has no names", group.id));
        }
        if let Some(r) = group
            .related
            .iter()
            .find(|r| r.weight.is_nan() || r.weight <= 0.0 || r.weight >= 1.0)
        {
            return bad(format!(
                "group `{}`: related name `{}` needs a weight between 0 and 1 (got {})",
                group.id, r.name, r.weight
            ));
        }
        if let Some(day) = group.founded.as_deref().filter(|d| !is_day(d)) {
            return bad(format!(
                "group `{}`: founded must be a day YYYY-MM-DD (got `{day}`)",
                group.id
            ));
        }
    }
    Ok(())
}

/// Whether `text` is written `YYYY-MM-DD` with a month 01–12 and a day 01–31.
fn is_day(text: &str) -> bool {
    let b = text.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    let num = |r: std::ops::Range<usize>| text[r].parse::<u32>().unwrap_or(0);
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && digits(0..4)
        && digits(5..7)
        && digits(8..10)
        && (1..=12).contains(&num(5..7))
        && (1..=31).contains(&num(8..10))
}

/// The checks on `search` that serde cannot express.
pub(super) fn check_search(search: &SearchSettings) -> Result<(), ConfigError> {
    let bad = |msg: &str| Err(ConfigError::Invalid(format!("schema.json: search: {msg}")));
    if search.snippet_bytes == 0 {
        return bad("snippet_bytes must be at least 1");
    }
    if search.rank_block == 0 {
        return bad("rank_block must be at least 1");
    }
    let above = |f: Option<f32>, min: f32| f.is_some_and(|f| !(f.is_finite() && f > min));
    if above(search.union_start.every_word_last, 1.0) {
        return bad("union_start.every_word_last must be a number above 1, or null");
    }
    if above(search.union_start.every_word_best, 0.0) {
        return bad("union_start.every_word_best must be a number above 0, or null");
    }
    if search.near.max_terms == 0 && search.weights.near.is_some() {
        return bad("near.max_terms must be at least 1 when weights.near is set");
    }
    Ok(())
}
