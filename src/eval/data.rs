//! Reading the evaluation files: passages (`{"id","title","text"}` JSON Lines, plain or
//! gzip, read by [`crate::ingest::read`] like any input) and TREC qrels (`qid 0 docid
//! grade`). Queries are read by [`crate::search::batch::read_queries`], as `akhbar search
//! --queries` reads them.
//!
//! Every error names the file and line. Blank lines are skipped; a UTF-8 byte order mark
//! at the start of a file is ignored, and so is a `\r` before `\n`.

use std::collections::{BTreeMap, HashSet};
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::ingest::read::{Input, Inputs, Unit};

/// An error in an evaluation file, at a line when there is one.
#[derive(Debug, thiserror::Error)]
pub enum DataError {
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{origin}: {message}")]
    Line { origin: String, message: String },
}

/// One judged passage.
#[derive(Clone, Debug, Deserialize, PartialEq)]
pub struct JudgedPassage {
    pub id: String,
    #[serde(default)]
    pub title: Option<String>,
    pub text: String,
}

/// Relevance judgements: query id → the ids of its relevant documents (grade > 0).
/// Queries judged with only grade-0 documents are kept with an empty set.
pub type Qrels = BTreeMap<String, HashSet<String>>;

/// Reads `passages.jsonl` (plain or gzip). Ids must be unique and non-empty.
pub fn read_passages(path: &Path) -> Result<Vec<JudgedPassage>, DataError> {
    let mut passages = Vec::new();
    let mut seen = HashSet::new();
    let mut failed: Option<DataError> = None;
    let inputs = Inputs::expand(&[Input::Path(path.to_owned())]);
    inputs.for_each(|unit| {
        let result = match unit {
            Unit::Line { origin, bytes } => passage(&bytes)
                .and_then(|p| {
                    if seen.insert(p.id.clone()) {
                        passages.push(p);
                        Ok(())
                    } else {
                        Err(format!("passage id `{}` appears twice", p.id))
                    }
                })
                .map_err(|message| DataError::Line {
                    origin: origin.to_string(),
                    message,
                }),
            Unit::Rejected { origin, reason } => Err(DataError::Line {
                origin: origin.to_string(),
                message: reason,
            }),
            Unit::Text { origin, .. } => Err(DataError::Line {
                origin: origin.to_string(),
                message: "expected a JSON Lines file of passages, not a .txt file".into(),
            }),
        };
        match result {
            Ok(()) => true,
            Err(e) => {
                failed = Some(e);
                false
            }
        }
    });
    match failed {
        Some(e) => Err(e),
        None => Ok(passages),
    }
}

fn passage(bytes: &[u8]) -> Result<JudgedPassage, String> {
    let line =
        std::str::from_utf8(bytes).map_err(|e| format!("not UTF-8 (byte {})", e.valid_up_to()))?;
    let line = line.strip_prefix('\u{feff}').unwrap_or(line);
    let passage: JudgedPassage = serde_json::from_str(line)
        .map_err(|e| format!("not a passage {{\"id\",\"title\",\"text\"}}: {e}"))?;
    if passage.id.trim().is_empty() {
        return Err("empty passage id".into());
    }
    Ok(passage)
}

/// Reads TREC qrels: `qid iteration docid grade`, whitespace separated.
pub fn read_qrels(path: &Path) -> Result<Qrels, DataError> {
    let io = |source| DataError::Io {
        path: path.to_owned(),
        source,
    };
    let at = |line: usize, message: String| DataError::Line {
        origin: format!("{}:{line}", path.display()),
        message,
    };
    let mut reader = BufReader::new(File::open(path).map_err(io)?);
    let mut qrels = Qrels::new();
    let mut buf = Vec::new();
    for line_no in 1.. {
        buf.clear();
        if reader.read_until(b'\n', &mut buf).map_err(io)? == 0 {
            break;
        }
        let line = std::str::from_utf8(&buf)
            .map_err(|e| at(line_no, format!("not UTF-8 (byte {})", e.valid_up_to())))?;
        let line = line.strip_prefix('\u{feff}').unwrap_or(line);
        let fields: Vec<&str> = line.split_whitespace().collect();
        if fields.is_empty() {
            continue;
        }
        let [qid, _iteration, docid, grade] = fields[..] else {
            return Err(at(
                line_no,
                format!(
                    "expected 4 fields `qid 0 docid grade`, found {}",
                    fields.len()
                ),
            ));
        };
        let grade: i64 = grade.parse().map_err(|_| {
            at(
                line_no,
                format!("relevance grade `{grade}` is not an integer"),
            )
        })?;
        let docs = qrels.entry(qid.to_owned()).or_default();
        if grade > 0 {
            docs.insert(docid.to_owned());
        }
    }
    Ok(qrels)
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
    fn reads_passages_plain_or_gzip_and_qrels() {
        let text = "\u{feff}{\"id\":\"p1\",\"title\":\"T\",\"text\":\"نص\"}\r\n\n{\"id\":\"p2\",\"title\":null,\"text\":\"x\"}\n";
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(text.as_bytes()).unwrap();
        for content in [text.as_bytes().to_vec(), gz.finish().unwrap()] {
            let p = file(&content);
            let passages = read_passages(p.path()).unwrap();
            assert_eq!(passages.len(), 2);
            assert_eq!(passages[0].title.as_deref(), Some("T"));
            assert_eq!(passages[0].text, "نص");
            assert_eq!(passages[1].title, None);
        }

        let r = file(b"q1 0 p1 1\nq1 0 p2 0\nq2\t0\tp2\t2\r\n\nq3 0 p1 0\n");
        let qrels = read_qrels(r.path()).unwrap();
        assert_eq!(qrels["q1"], HashSet::from(["p1".to_string()]));
        assert_eq!(qrels["q2"], HashSet::from(["p2".to_string()]));
        assert!(qrels["q3"].is_empty());
    }

    #[test]
    fn bad_qrels_line_names_file_and_line() {
        let r = file(b"q1 0 p1 1\n\nq2 0 p2\n");
        let err = read_qrels(r.path()).unwrap_err().to_string();
        assert_eq!(
            err,
            format!(
                "{}:3: expected 4 fields `qid 0 docid grade`, found 3",
                r.path().display()
            )
        );
        let r = file(b"q1 0 p1 yes\n");
        let err = read_qrels(r.path()).unwrap_err().to_string();
        assert!(err.contains(":1:") && err.contains("`yes`"), "{err}");
    }

    #[test]
    fn bad_passages_name_the_line() {
        let p = file(b"{\"id\":\"p1\",\"text\":\"a\"}\n{\"id\":\"p2\"}\n");
        let err = read_passages(p.path()).unwrap_err().to_string();
        assert!(
            err.starts_with(&format!("{}:2: not a passage", p.path().display())),
            "{err}"
        );
        assert!(err.contains("text"), "{err}");

        let p = file(b"{\"id\":\"p1\",\"text\":\"a\"}\n{\"id\":\"p1\",\"text\":\"b\"}\n");
        let err = read_passages(p.path()).unwrap_err().to_string();
        assert!(err.contains(":2: passage id `p1` appears twice"), "{err}");

        let p = file(b"\xff\xfe\n");
        let err = read_passages(p.path()).unwrap_err().to_string();
        assert!(err.contains(":1:") && err.contains("UTF-8"), "{err}");

        let err = read_passages(Path::new("/nonexistent/passages.jsonl"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("/nonexistent/passages.jsonl"), "{err}");
    }
}
