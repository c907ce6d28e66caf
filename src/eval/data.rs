//! Reading the evaluation files: passages (`{"id","title","text"}` JSON Lines), queries
//! (`qid<TAB>text`), TREC qrels (`qid 0 docid grade`) and distractor corpora in the
//! record format (JSON Lines, optionally gzip).
//!
//! Every error names the file and line. Blank lines are skipped everywhere; a UTF-8 byte
//! order mark at the start of a file is ignored, and so is a `\r` before `\n`.

use std::collections::{BTreeMap, HashSet};
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use flate2::read::MultiGzDecoder;
use serde::Deserialize;

/// An error in an evaluation file, at a line when there is one.
#[derive(Debug, thiserror::Error)]
pub enum DataError {
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}:{line}: {message}")]
    Line {
        path: PathBuf,
        line: usize,
        message: String,
    },
}

/// One judged passage.
#[derive(Clone, Debug, Deserialize, PartialEq)]
pub struct Passage {
    pub id: String,
    #[serde(default)]
    pub title: Option<String>,
    pub text: String,
}

/// One question.
#[derive(Clone, Debug, PartialEq)]
pub struct EvalQuery {
    pub id: String,
    pub text: String,
}

/// Relevance judgements: query id → the ids of its relevant documents (grade > 0).
/// Queries judged with only grade-0 documents are kept with an empty set.
pub type Qrels = BTreeMap<String, HashSet<String>>;

/// A distractor article from a corpus in the record format (other fields are ignored).
#[derive(Clone, Debug, Deserialize, PartialEq)]
pub struct Distractor {
    pub id: String,
    #[serde(default)]
    pub title: Option<String>,
    pub body: String,
}

/// Reads `passages.jsonl`. Ids must be unique and non-empty.
pub fn read_passages(path: &Path) -> Result<Vec<Passage>, DataError> {
    let mut passages = Vec::new();
    let mut seen = HashSet::new();
    for_each_line(path, |line_no, line| {
        let passage: Passage = serde_json::from_str(line).map_err(|e| DataError::Line {
            path: path.to_owned(),
            line: line_no,
            message: format!("not a passage {{\"id\",\"title\",\"text\"}}: {e}"),
        })?;
        if passage.id.is_empty() {
            return Err(line_error(path, line_no, "empty passage id".into()));
        }
        if !seen.insert(passage.id.clone()) {
            return Err(line_error(
                path,
                line_no,
                format!("passage id `{}` appears twice", passage.id),
            ));
        }
        passages.push(passage);
        Ok(())
    })?;
    Ok(passages)
}

/// Reads `queries.tsv`: `qid<TAB>question`. Query ids must be unique.
pub fn read_queries(path: &Path) -> Result<Vec<EvalQuery>, DataError> {
    let mut queries = Vec::new();
    let mut seen = HashSet::new();
    for_each_line(path, |line_no, line| {
        let Some((id, text)) = line.split_once('\t') else {
            return Err(line_error(
                path,
                line_no,
                "expected `qid<TAB>question`, found no tab".into(),
            ));
        };
        let id = id.trim();
        if id.is_empty() {
            return Err(line_error(path, line_no, "empty query id".into()));
        }
        if !seen.insert(id.to_owned()) {
            return Err(line_error(
                path,
                line_no,
                format!("query id `{id}` appears twice"),
            ));
        }
        queries.push(EvalQuery {
            id: id.to_owned(),
            text: text.trim().to_owned(),
        });
        Ok(())
    })?;
    Ok(queries)
}

/// Reads TREC qrels: `qid iteration docid grade`, whitespace separated.
pub fn read_qrels(path: &Path) -> Result<Qrels, DataError> {
    let mut qrels = Qrels::new();
    for_each_line(path, |line_no, line| {
        let fields: Vec<&str> = line.split_whitespace().collect();
        let [qid, _iteration, docid, grade] = fields[..] else {
            return Err(line_error(
                path,
                line_no,
                format!(
                    "expected 4 fields `qid 0 docid grade`, found {}",
                    fields.len()
                ),
            ));
        };
        let grade: i64 = grade.parse().map_err(|_| {
            line_error(
                path,
                line_no,
                format!("relevance grade `{grade}` is not an integer"),
            )
        })?;
        let docs = qrels.entry(qid.to_owned()).or_default();
        if grade > 0 {
            docs.insert(docid.to_owned());
        }
        Ok(())
    })?;
    Ok(qrels)
}

/// What streaming a distractor file found.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DistractorStats {
    pub records: usize,
    /// Lines that were not a record with string `id` and `body`: skipped.
    pub bad_lines: usize,
    /// The first few problems, as `file:line: message`.
    pub first_errors: Vec<String>,
}

/// Streams a corpus in the record format (gzip recognised by its magic bytes), calling
/// `f` for each record. Malformed lines are skipped and counted; I/O errors (including
/// a truncated gzip stream) end the read with an error.
pub fn stream_distractors(
    path: &Path,
    mut f: impl FnMut(Distractor) -> anyhow::Result<()>,
) -> anyhow::Result<DistractorStats> {
    let mut stats = DistractorStats::default();
    let mut failed: Option<anyhow::Error> = None;
    let result = for_each_line(path, |line_no, line| {
        match serde_json::from_str::<Distractor>(line) {
            Ok(record) => {
                stats.records += 1;
                if let Err(e) = f(record) {
                    failed = Some(e);
                    return Err(line_error(path, line_no, "indexing failed".into()));
                }
            }
            Err(e) => {
                stats.bad_lines += 1;
                if stats.first_errors.len() < 5 {
                    stats
                        .first_errors
                        .push(format!("{}:{line_no}: {e}", path.display()));
                }
            }
        }
        Ok(())
    });
    if let Some(e) = failed {
        return Err(e.context(format!("while indexing {}", path.display())));
    }
    result?;
    Ok(stats)
}

fn line_error(path: &Path, line: usize, message: String) -> DataError {
    DataError::Line {
        path: path.to_owned(),
        line,
        message,
    }
}

/// Opens a file, transparently gunzipping it when it starts with the gzip magic bytes.
fn open(path: &Path) -> Result<Box<dyn BufRead>, DataError> {
    let io = |source| DataError::Io {
        path: path.to_owned(),
        source,
    };
    let mut file = BufReader::with_capacity(1 << 16, File::open(path).map_err(io)?);
    let magic = file.fill_buf().map_err(io)?;
    if magic.starts_with(&[0x1f, 0x8b]) {
        Ok(Box::new(BufReader::with_capacity(
            1 << 16,
            MultiGzDecoder::new(file),
        )))
    } else {
        Ok(Box::new(file))
    }
}

/// Calls `f(line_number, line)` for each non-blank line (1-based numbers, without the
/// line ending). A line that is not UTF-8 is an error at that line.
fn for_each_line(
    path: &Path,
    mut f: impl FnMut(usize, &str) -> Result<(), DataError>,
) -> Result<(), DataError> {
    let mut reader = open(path)?;
    let mut buf = Vec::new();
    let mut line_no = 0;
    loop {
        buf.clear();
        let n = reader
            .read_until(b'\n', &mut buf)
            .map_err(|source| DataError::Io {
                path: path.to_owned(),
                source,
            })?;
        if n == 0 {
            return Ok(());
        }
        line_no += 1;
        let line = std::str::from_utf8(&buf)
            .map_err(|e| line_error(path, line_no, format!("not UTF-8: {e}")))?;
        let line = line.strip_suffix('\n').unwrap_or(line);
        let line = line.strip_suffix('\r').unwrap_or(line);
        let line = if line_no == 1 {
            line.strip_prefix('\u{feff}').unwrap_or(line)
        } else {
            line
        };
        if line.trim().is_empty() {
            continue;
        }
        f(line_no, line)?;
    }
}

/// Reads a whole (possibly gzipped) file to a string; used by tests and small inputs.
pub fn read_to_string(path: &Path) -> Result<String, DataError> {
    let mut out = String::new();
    open(path)?
        .read_to_string(&mut out)
        .map_err(|source| DataError::Io {
            path: path.to_owned(),
            source,
        })?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn file(content: &[u8]) -> tempfile::NamedTempFile {
        let mut f = tempfile::NamedTempFile::new().unwrap();
        f.write_all(content).unwrap();
        f
    }

    #[test]
    fn reads_the_three_files() {
        let p = file(
            "\u{feff}{\"id\":\"p1\",\"title\":\"T\",\"text\":\"نص\"}\r\n\n{\"id\":\"p2\",\"title\":null,\"text\":\"x\"}\n"
                .as_bytes(),
        );
        let passages = read_passages(p.path()).unwrap();
        assert_eq!(passages.len(), 2);
        assert_eq!(passages[0].title.as_deref(), Some("T"));
        assert_eq!(passages[1].title, None);

        let q = file("q1\tما هو؟ \nq2\tsecond\n".as_bytes());
        let queries = read_queries(q.path()).unwrap();
        assert_eq!(queries[0].text, "ما هو؟");
        assert_eq!(queries[1].id, "q2");

        let r = file(b"q1 0 p1 1\nq1 0 p2 0\nq2\t0\tp2\t2\nq3 0 p1 0\n");
        let qrels = read_qrels(r.path()).unwrap();
        assert_eq!(qrels["q1"], HashSet::from(["p1".to_string()]));
        assert_eq!(qrels["q2"], HashSet::from(["p2".to_string()]));
        assert!(qrels["q3"].is_empty());
    }

    #[test]
    fn bad_qrels_line_names_file_and_line() {
        let r = file(b"q1 0 p1 1\n\nq2 0 p2\n");
        let err = read_qrels(r.path()).unwrap_err().to_string();
        let expected = format!("{}:3:", r.path().display());
        assert!(err.starts_with(&expected), "{err}");
        assert!(err.contains("4 fields"), "{err}");

        let r = file(b"q1 0 p1 yes\n");
        let err = read_qrels(r.path()).unwrap_err().to_string();
        assert!(err.contains(":1:") && err.contains("`yes`"), "{err}");
    }

    #[test]
    fn bad_queries_and_passages_name_the_line() {
        let q = file(b"q1\tone\nq2 no tab\n");
        let err = read_queries(q.path()).unwrap_err().to_string();
        assert!(err.contains(":2:") && err.contains("no tab"), "{err}");

        let q = file(b"q1\tone\nq1\ttwo\n");
        let err = read_queries(q.path()).unwrap_err().to_string();
        assert!(err.contains(":2:") && err.contains("twice"), "{err}");

        let p = file(b"{\"id\":\"p1\",\"text\":\"a\"}\n{\"id\":\"p2\"}\n");
        let err = read_passages(p.path()).unwrap_err().to_string();
        assert!(err.contains(":2:") && err.contains("text"), "{err}");

        let p = file(b"\xff\xfe\n");
        let err = read_passages(p.path()).unwrap_err().to_string();
        assert!(err.contains(":1:") && err.contains("UTF-8"), "{err}");

        let err = read_passages(Path::new("/nonexistent/passages.jsonl"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("/nonexistent/passages.jsonl"), "{err}");
    }

    #[test]
    fn distractors_stream_gzip_and_skip_bad_lines() {
        let plain = "{\"id\":\"a\",\"outlet\":\"X\",\"title\":\"t\",\"published\":null,\"url\":\"u\",\"category\":\"c\",\"body\":\"b\"}\nnot json\n{\"id\":\"b\",\"title\":null,\"body\":\"c\"}\n{\"id\":3,\"body\":\"x\"}\n";
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(plain.as_bytes()).unwrap();
        for content in [plain.as_bytes().to_vec(), gz.finish().unwrap()] {
            let f = file(&content);
            let mut ids = Vec::new();
            let stats = stream_distractors(f.path(), |d| {
                ids.push(d.id);
                Ok(())
            })
            .unwrap();
            assert_eq!(ids, ["a", "b"]);
            assert_eq!(stats.records, 2);
            assert_eq!(stats.bad_lines, 2);
            assert!(
                stats.first_errors[0].contains(":2:"),
                "{:?}",
                stats.first_errors
            );
            assert!(
                stats.first_errors[1].contains(":4:"),
                "{:?}",
                stats.first_errors
            );
        }
    }
}
