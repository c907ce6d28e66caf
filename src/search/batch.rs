//! Batch runs, the one home of what `akhbar search --queries … --run …`, `akhbar eval`
//! and the benchmarks share:
//!
//! - [`read_queries`]: the `qid<TAB>query` file (one parser, strict, errors say
//!   `file:line`);
//! - [`run`]: every query through [`Engine::search`] (the entry point of interactive
//!   search), timed one by one;
//! - [`write_trec`]: TREC run lines, `qid Q0 docno rank score tag`;
//! - [`Latency`]: the latency summary and its percentiles.

use std::collections::HashSet;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use serde::Serialize;

use super::{Engine, MatchMode, SearchRequest};

/// A problem in a query file.
#[derive(Debug, thiserror::Error)]
pub enum QueryFileError {
    #[error("cannot read {path}: {source}")]
    Io { path: PathBuf, source: io::Error },
    #[error("{path}:{line}: {message}")]
    Line {
        path: PathBuf,
        line: usize,
        message: String,
    },
}

/// One question of a query file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BatchQuery {
    pub id: String,
    pub text: String,
    /// Its 1-based line in the file.
    pub line: usize,
}

/// Reads a query file: one `qid<TAB>query` per line.
///
/// Blank lines and lines starting with `#` are skipped; a UTF-8 byte order mark at the
/// start and a `\r` before `\n` are ignored. Everything else is an error naming the file
/// and line: a line without a tab, an empty id, an id with whitespace in it (it would
/// break the TREC run format), an id seen before, an empty query, bytes that are not
/// UTF-8.
pub fn read_queries(path: &Path) -> Result<Vec<BatchQuery>, QueryFileError> {
    let file = File::open(path).map_err(|source| QueryFileError::Io {
        path: path.to_owned(),
        source,
    })?;
    parse_queries(BufReader::new(file), path)
}

/// [`read_queries`] on any reader; `path` names it in errors.
pub fn parse_queries(
    mut reader: impl BufRead,
    path: &Path,
) -> Result<Vec<BatchQuery>, QueryFileError> {
    let at = |line: usize, message: String| QueryFileError::Line {
        path: path.to_owned(),
        line,
        message,
    };
    let mut queries = Vec::new();
    let mut seen = HashSet::new();
    let mut buf = Vec::new();
    for line_no in 1.. {
        buf.clear();
        let n = reader
            .read_until(b'\n', &mut buf)
            .map_err(|source| QueryFileError::Io {
                path: path.to_owned(),
                source,
            })?;
        if n == 0 {
            break;
        }
        let line = std::str::from_utf8(&buf)
            .map_err(|e| at(line_no, format!("not UTF-8 (byte {})", e.valid_up_to())))?;
        let line = line.strip_suffix('\n').unwrap_or(line);
        let line = line.strip_suffix('\r').unwrap_or(line);
        let line = if line_no == 1 {
            line.strip_prefix('\u{feff}').unwrap_or(line)
        } else {
            line
        };
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let Some((id, text)) = line.split_once('\t') else {
            return Err(at(line_no, "expected `qid<TAB>query`, found no tab".into()));
        };
        let id = id.trim();
        if id.is_empty() {
            return Err(at(line_no, "empty query id".into()));
        }
        if id.contains(char::is_whitespace) {
            return Err(at(
                line_no,
                format!("query id `{id}` contains whitespace (TREC runs cannot hold it)"),
            ));
        }
        let text = text.trim();
        if text.is_empty() {
            return Err(at(line_no, format!("query `{id}` is empty")));
        }
        if !seen.insert(id.to_owned()) {
            return Err(at(line_no, format!("query id `{id}` appears twice")));
        }
        queries.push(BatchQuery {
            id: id.to_owned(),
            text: text.to_owned(),
            line: line_no,
        });
    }
    Ok(queries)
}

/// What a batch run retrieves per query.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum RunUnit {
    /// Articles, each by its best passage: the docno is the article id.
    #[default]
    Article,
    /// Passages: the docno is `<article id>#<passage ordinal>`.
    Passage,
}

/// The request a batch run sends for each query, before the query text is set: `limit`
/// results, no facets, snippets or stored documents, every bare word optional (`--match
/// any`: ranked retrieval of questions). Callers may add filters.
pub fn request(limit: usize, unit: RunUnit) -> SearchRequest {
    let mut request = SearchRequest::new(String::new());
    request.limit = limit;
    request.facets = false;
    request.snippets = false;
    request.documents = false;
    request.all_passages = unit == RunUnit::Passage;
    request.match_mode = MatchMode::Any;
    // A run ranks documents: every copy of a wire story is its own document.
    request.collapse_stories = false;
    request
}

/// One retrieved document of a run.
#[derive(Clone, Debug, PartialEq)]
pub struct RankedDoc {
    /// The TREC docno.
    pub doc: Arc<str>,
    pub score: f32,
}

/// One query's ranking, best first.
#[derive(Clone, Debug, PartialEq)]
pub struct Ranking {
    pub qid: String,
    pub docs: Vec<RankedDoc>,
}

/// A query that failed (its ranking is empty).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    pub qid: String,
    pub line: usize,
    pub message: String,
}

/// The outcome of a batch run.
#[derive(Clone, Debug, Default)]
pub struct BatchRun {
    /// One ranking per query, in file order (empty for a failed query).
    pub rankings: Vec<Ranking>,
    /// Milliseconds each query took (in file order), failed ones included.
    pub times_ms: Vec<f64>,
    pub failures: Vec<Failure>,
}

impl BatchRun {
    pub fn latency(&self) -> Latency {
        Latency::of(&self.times_ms)
    }
}

/// Runs every query through [`Engine::search`] with `template` (its query text replaced),
/// one at a time, timing each search.
pub fn run(engine: &Engine, queries: &[BatchQuery], template: &SearchRequest) -> BatchRun {
    // Part of opening the index for a batch, not of any one query.
    engine.load_article_ids();
    let unit = if template.all_passages {
        RunUnit::Passage
    } else {
        RunUnit::Article
    };
    let mut out = BatchRun {
        rankings: Vec::with_capacity(queries.len()),
        times_ms: Vec::with_capacity(queries.len()),
        failures: Vec::new(),
    };
    let mut request = template.clone();
    for query in queries {
        request.query.clone_from(&query.text);
        let started = Instant::now();
        let response = engine.search(&request);
        out.times_ms.push(started.elapsed().as_secs_f64() * 1000.0);
        let docs = match response {
            Ok(response) => response
                .hits
                .into_iter()
                .map(|hit| RankedDoc {
                    doc: match unit {
                        RunUnit::Article => hit.doc_id,
                        RunUnit::Passage => format!("{}#{}", hit.doc_id, hit.passage).into(),
                    },
                    score: hit.score,
                })
                .collect(),
            Err(e) => {
                out.failures.push(Failure {
                    qid: query.id.clone(),
                    line: query.line,
                    message: e.to_string(),
                });
                Vec::new()
            }
        };
        out.rankings.push(Ranking {
            qid: query.id.clone(),
            docs,
        });
    }
    out
}

/// Writes rankings as TREC run lines `qid Q0 docno rank score tag`, ranks from 1, scores
/// with six decimals, so `trec_eval` and friends read them. Whitespace in the tag (which
/// would break the format) becomes `_`; an empty tag is `run`.
pub fn write_trec(out: &mut impl Write, tag: &str, rankings: &[Ranking]) -> io::Result<()> {
    let tag: String = tag
        .chars()
        .map(|c| if c.is_whitespace() { '_' } else { c })
        .collect();
    let tag = if tag.is_empty() { "run".into() } else { tag };
    for ranking in rankings {
        for (i, doc) in ranking.docs.iter().enumerate() {
            writeln!(
                out,
                "{} Q0 {} {} {:.6} {tag}",
                ranking.qid,
                doc.doc,
                i + 1,
                doc.score
            )?;
        }
    }
    Ok(())
}

/// The value at quantile `p` (0..=1) of ascending `sorted` values: the element at rank
/// `round((n - 1) · p)`; 0 when there is none.
pub fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p.clamp(0.0, 1.0)).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

/// A latency summary, as `search --run` prints it on stderr (milliseconds, rounded to
/// microseconds).
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Latency {
    pub queries: usize,
    /// Total search time.
    pub seconds: f64,
    pub p50_ms: f64,
    pub p95_ms: f64,
    pub p99_ms: f64,
}

impl Latency {
    /// The summary of per-query times in milliseconds (any order).
    pub fn of(times_ms: &[f64]) -> Latency {
        let mut sorted = times_ms.to_vec();
        sorted.sort_by(f64::total_cmp);
        let micro = |ms: f64| (ms * 1000.0).round() / 1000.0;
        Latency {
            queries: sorted.len(),
            seconds: micro(sorted.iter().sum::<f64>() / 1000.0),
            p50_ms: micro(percentile(&sorted, 0.50)),
            p95_ms: micro(percentile(&sorted, 0.95)),
            p99_ms: micro(percentile(&sorted, 0.99)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Vec<BatchQuery>, QueryFileError> {
        parse_queries(text.as_bytes(), Path::new("q.tsv"))
    }

    fn error(text: &str) -> String {
        parse(text).unwrap_err().to_string()
    }

    #[test]
    fn query_file_skips_blanks_comments_bom_and_crlf() {
        let queries =
            parse("\u{feff}q1\tفاغنر في مالي \r\n\n# a comment\nq2\t Wagner\tMali\n").unwrap();
        assert_eq!(
            queries,
            [
                BatchQuery {
                    id: "q1".into(),
                    text: "فاغنر في مالي".into(),
                    line: 1
                },
                BatchQuery {
                    id: "q2".into(),
                    text: "Wagner\tMali".into(),
                    line: 4
                },
            ]
        );
    }

    #[test]
    fn query_file_errors_name_file_and_line() {
        assert_eq!(
            error("q1\tone\nq2 no tab\n"),
            "q.tsv:2: expected `qid<TAB>query`, found no tab"
        );
        assert_eq!(
            error("q1\tone\n\nq1\ttwo\n"),
            "q.tsv:3: query id `q1` appears twice"
        );
        assert_eq!(error(" \tone\n"), "q.tsv:1: empty query id");
        assert_eq!(error("q1\t  \n"), "q.tsv:1: query `q1` is empty");
        assert_eq!(
            error("q 1\tone\n"),
            "q.tsv:1: query id `q 1` contains whitespace (TREC runs cannot hold it)"
        );
        let bad = parse_queries(&b"q1\tone\nq2\t\xff\n"[..], Path::new("q.tsv"));
        assert_eq!(bad.unwrap_err().to_string(), "q.tsv:2: not UTF-8 (byte 3)");
        let missing = read_queries(Path::new("/nonexistent/q.tsv")).unwrap_err();
        assert!(
            missing
                .to_string()
                .starts_with("cannot read /nonexistent/q.tsv:"),
            "{missing}"
        );
    }

    #[test]
    fn trec_lines() {
        let rankings = [
            Ranking {
                qid: "q1".into(),
                docs: vec![
                    RankedDoc {
                        doc: "p1".into(),
                        score: 3.5,
                    },
                    RankedDoc {
                        doc: "p2#3".into(),
                        score: 1.25,
                    },
                ],
            },
            Ranking {
                qid: "q2".into(),
                docs: Vec::new(),
            },
        ];
        let mut out = Vec::new();
        write_trec(&mut out, "akhbar full", &rankings).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "q1 Q0 p1 1 3.500000 akhbar_full\nq1 Q0 p2#3 2 1.250000 akhbar_full\n"
        );
        let mut out = Vec::new();
        write_trec(&mut out, "", &rankings[..1]).unwrap();
        assert!(String::from_utf8(out).unwrap().ends_with(" run\n"));
    }

    #[test]
    fn percentiles_by_nearest_rank() {
        let sorted: Vec<f64> = (1..=100).map(f64::from).collect();
        assert_eq!(percentile(&sorted, 0.50), 51.0); // round(99 × 0.5) = 50 → 51
        assert_eq!(percentile(&sorted, 0.95), 95.0); // round(94.05) = 94 → 95
        assert_eq!(percentile(&sorted, 0.99), 99.0);
        assert_eq!(percentile(&[], 0.5), 0.0);
        assert_eq!(percentile(&[7.0], 0.99), 7.0);
        let latency = Latency::of(&[3.0, 1.0, 2.0004]);
        assert_eq!(
            latency,
            Latency {
                queries: 3,
                seconds: 0.006,
                p50_ms: 2.0,
                p95_ms: 3.0,
                p99_ms: 3.0
            }
        );
    }

    #[test]
    fn batch_request_ranks_questions_without_extras() {
        let r = request(100, RunUnit::Passage);
        assert_eq!(r.limit, 100);
        assert!(!r.facets && !r.snippets && !r.documents && r.all_passages);
        assert_eq!(r.match_mode, MatchMode::Any);
        assert!(!request(10, RunUnit::Article).all_passages);
    }
}
