//! `schema.json` → `search`: the query-time settings (weights, candidate pool, snippet
//! length, near-spelling limits). They decide how an index is searched, not what it
//! holds, so they are not part of the analysis fingerprint: changing them needs no
//! reindex (see [`fingerprinted`]).

use serde::{Deserialize, Serialize};

/// `schema.json` → `search`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SearchSettings {
    #[serde(default)]
    pub about: String,
    /// The weights of a query's clauses.
    pub weights: QueryWeights,
    /// The scores of a group's tag in a clause expanded to it.
    pub group_weights: GroupWeights,
    /// A ranking in two stages keeps the best k + this many candidates of the first
    /// stage to rescore with the bonus clauses.
    pub candidates_beyond_k: usize,
    /// Where the first stage's base union first starts pruning (a speed setting).
    #[serde(default)]
    pub union_start: UnionStart,
    /// Results are ranked in blocks so that a page never depends on how deep it is
    /// asked for: the first `rank_block` results by one ranking of that many, each next
    /// block (as long as all the blocks before it) by a ranking as deep as its end,
    /// without the results already placed (`search::rank::in_blocks`).
    pub rank_block: usize,
    /// Bytes of passage text shown in a snippet (an Arabic letter is 2).
    pub snippet_bytes: usize,
    /// Near spellings of a word the index lacks.
    pub near: NearLimits,
    /// When a word's variants are searched, by the index's evidence.
    pub expansions: ExpansionEvidence,
}

/// `schema.json` → `search` → `union_start`: the threshold the first stage's base union
/// first starts pruning at, guessed from the passages with every word (ranked by their
/// text scores). When fewer than the pool's articles (k + `candidates_beyond_k`) come
/// back, the guess was at or above the pool's last article, and the union runs again
/// from the start it would have had without a guess (`search::rank::top_articles`). A
/// speed setting: the results are the same at any value, `null` included.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnionStart {
    #[serde(default)]
    pub about: String,
    /// With as many articles as the pool among the passages with every word: this many
    /// times the last one's text score (the start without a guess), above 1.
    pub every_word_last: Option<f32>,
    /// With fewer (and at least one): this many times the best one's text score (there
    /// is no start without a guess), above 0.
    pub every_word_best: Option<f32>,
}

/// `schema.json` → `search` → `expansions`: the corpus evidence that decides whether a
/// word's variants ([`crate::analysis::variants`]) are searched. Document frequencies
/// are counted in passages.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpansionEvidence {
    #[serde(default)]
    pub about: String,
    /// A variant whose ranked term is in more than this many times the passages of the
    /// typed word's ranked term is mostly another word, and is not searched…
    pub max_variant_ratio: f64,
    /// … unless the typed word's term is in fewer than this many passages (rare or
    /// absent: then a variant is what can find it).
    pub rare_passages: u64,
}

/// The weights of a query's clauses (every clause is BM25-scored; a weight multiplies
/// it; `null` turns a bonus off).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QueryWeights {
    /// A word matched in the title, relative to a match in the passage text.
    pub title: f32,
    /// Bonus when the exact form of a word matches (`text_exact`); `None`: no bonus.
    pub exact: Option<f32>,
    /// A quoted phrase matched in the exact field.
    pub phrase_exact: f32,
    /// Bonus when all the query's words stand within `proximity_slop` of each other.
    pub proximity: Option<f32>,
    pub proximity_slop: u32,
    /// Bonus for every pair of consecutive words found next to each other (within
    /// `pair_slop` extra positions) in the ranked field.
    pub pair: Option<f32>,
    pub pair_slop: u32,
    /// A word also matches, at this weight, the stems of its other segmentations and an
    /// imperfect verb its other person (`analysis::variants`).
    pub variants: Option<f32>,
    /// A word also matches, at this weight, its verbal-noun pattern (اعترض / اعتراض).
    pub derived: Option<f32>,
    /// A word that matches nothing in the index (neither its stem nor a variant) also
    /// matches, at this weight, the stems of the indexed forms one edit away from it as
    /// typed: most often a misspelling, or a transliteration the outlets spell otherwise.
    pub near: Option<f32>,
    /// A word matched anywhere in the passage's article (the `article` field: the whole
    /// cleaned body, on every passage), relative to a match in the passage text; `None`
    /// (or an index without the field): articles are ranked by their best passage alone.
    /// A bonus, never a match: a passage must hold the word itself (or in its title).
    #[serde(default)]
    pub article: Option<f32>,
}

/// The constant scores of a group's tag terms (`group_terms`) in an expanded clause.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupWeights {
    /// A passage that names the group by an own name.
    pub own: f32,
    /// A passage tagged by related names only.
    pub related: f32,
    /// Added for each strength level (`entities.json` → `strength_levels`) an own-named
    /// passage reaches.
    pub level: f32,
}

impl GroupWeights {
    /// The weights of a group's tag when its name is the whole query, ranked in tiers
    /// over `bound`, the most the name's own clauses can score (`search::plan::groups`):
    /// every tagged passage gets `bound` more than its constant × `bound`, so it ranks
    /// above every passage that only holds the name as typed (at most `bound`); an own
    /// name (1 + own) above related names only (1 + related).
    pub fn tiered(&self, bound: f32) -> GroupWeights {
        GroupWeights {
            own: (1.0 + self.own) * bound,
            related: (1.0 + self.related) * bound,
            level: self.level * bound,
        }
    }
}

/// Limits on the near spellings of a word the index lacks.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NearLimits {
    /// A stem shorter than this has too many neighbours one edit away to guess from.
    pub min_letters: usize,
    /// At most this many near terms per word (the most frequent ones).
    pub max_terms: usize,
}

/// The text of a definition file with the named top-level members cut out, as the
/// analysis fingerprint reads it: members that do not change what is indexed (`search`)
/// or that the fingerprint covers otherwise (`strength_levels`). A member is cut with
/// the whitespace before it and one comma (the one after it, else the one before), so a
/// file written without the member hashes the same: adding a query-time section to
/// `schema.json` does not make every index stale. `None` when the text is not a JSON
/// object (the parser reports it).
pub fn fingerprinted(json: &str, cut: &[&str]) -> Option<String> {
    let mut text = json.to_string();
    for key in cut {
        if let Some((start, end)) = member_span(&text, key)? {
            text.replace_range(start..end, "");
        }
    }
    Some(text)
}

/// The byte range of top-level member `key` with its surrounding separator (see
/// [`fingerprinted`]); `Some(None)` when the object has no such member.
fn member_span(json: &str, key: &str) -> Option<Option<(usize, usize)>> {
    let bytes = json.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    // The end of the previous top-level token (after `{` or a value's `,`).
    let mut last_separator: Option<usize> = None;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                let end = string_end(bytes, i)?;
                if depth == 1
                    && json[i + 1..end - 1] == *key
                    && next_non_space(bytes, end) == Some(b':')
                {
                    let value_start = end + next_offset(bytes, end)? + 1;
                    let value_end = value_end(bytes, value_start)?;
                    // Whitespace before the key.
                    let mut start = i;
                    while start > 0 && bytes[start - 1].is_ascii_whitespace() {
                        start -= 1;
                    }
                    return Some(Some(match next_non_space_at(bytes, value_end) {
                        Some((at, b',')) => (start, at + 1),
                        _ => match last_separator {
                            Some(comma) if bytes[comma] == b',' => (comma, value_end),
                            _ => (start, value_end),
                        },
                    }));
                }
                i = end;
                continue;
            }
            b'{' | b'[' => depth += 1,
            b'}' | b']' => depth = depth.checked_sub(1)?,
            b',' if depth == 1 => last_separator = Some(i),
            _ => {}
        }
        i += 1;
    }
    Some(None)
}

/// The index just past the closing quote of the string starting at `start`.
fn string_end(bytes: &[u8], start: usize) -> Option<usize> {
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return Some(i + 1),
            _ => i += 1,
        }
    }
    None
}

fn next_non_space_at(bytes: &[u8], from: usize) -> Option<(usize, u8)> {
    (from..bytes.len())
        .find(|&i| !bytes[i].is_ascii_whitespace())
        .map(|i| (i, bytes[i]))
}

fn next_non_space(bytes: &[u8], from: usize) -> Option<u8> {
    next_non_space_at(bytes, from).map(|(_, b)| b)
}

/// How far after `from` the next non-space byte (the `:`) is.
fn next_offset(bytes: &[u8], from: usize) -> Option<usize> {
    next_non_space_at(bytes, from).map(|(i, _)| i - from)
}

/// The end of the JSON value that starts at or after `from`.
fn value_end(bytes: &[u8], from: usize) -> Option<usize> {
    let (start, first) = next_non_space_at(bytes, from)?;
    match first {
        b'"' => string_end(bytes, start),
        b'{' | b'[' => {
            let mut depth = 0usize;
            let mut i = start;
            while i < bytes.len() {
                match bytes[i] {
                    b'"' => {
                        i = string_end(bytes, i)?;
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            return Some(i + 1);
                        }
                    }
                    _ => {}
                }
                i += 1;
            }
            None
        }
        _ => (start..bytes.len())
            .find(|&i| matches!(bytes[i], b',' | b'}' | b']') || bytes[i].is_ascii_whitespace())
            .or(Some(bytes.len())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Config, DEFAULT_LEXICON_JSON, DEFAULT_SCHEMA_JSON};

    #[test]
    fn the_union_start_factors_are_checked() {
        let last = "\"every_word_last\": 1.5";
        let best = "\"every_word_best\": 0.8";
        assert!(DEFAULT_SCHEMA_JSON.contains(last) && DEFAULT_SCHEMA_JSON.contains(best));
        let cases = [
            (last, "every_word_last", "null", true),
            (last, "every_word_last", "1.0", false),
            (last, "every_word_last", "0.5", false),
            (best, "every_word_best", "null", true),
            (best, "every_word_best", "1.2", true),
            (best, "every_word_best", "0", false),
            (best, "every_word_best", "-1", false),
        ];
        for (shipped, name, value, ok) in cases {
            let json = DEFAULT_SCHEMA_JSON.replacen(shipped, &format!("\"{name}\": {value}"), 1);
            let parsed = Config::from_json(&json, DEFAULT_LEXICON_JSON);
            assert_eq!(parsed.is_ok(), ok, "{name} {value}");
            if let Err(e) = parsed {
                assert!(e.to_string().contains(name), "{e}");
            }
        }
    }

    #[test]
    fn a_member_is_cut_as_if_it_had_never_been_written() {
        let without = "{\n  \"a\": 1,\n  \"b\": [2, {\"c\": \"}\"}]\n}";
        let last = "{\n  \"a\": 1,\n  \"b\": [2, {\"c\": \"}\"}],\n  \"search\": {\"x\": [1, \"\\\"\"]}\n}";
        let middle = "{\n  \"a\": 1,\n  \"search\": {\"x\": 1},\n  \"b\": [2, {\"c\": \"}\"}]\n}";
        let first = "{\n  \"search\": 3,\n  \"a\": 1,\n  \"b\": [2, {\"c\": \"}\"}]\n}";
        for text in [without, last, middle, first] {
            assert_eq!(
                fingerprinted(text, &["search"]).as_deref(),
                Some(without),
                "{text}"
            );
        }
        // A nested member of the same name stays.
        let nested = "{\"a\": {\"search\": 1}}";
        assert_eq!(fingerprinted(nested, &["search"]).as_deref(), Some(nested));
    }
}
