//! The collection every system of a run indexes, written once as a JSON Lines file in
//! the record format — what a user would give `akhbar index`:
//!
//! - each judged passage as a record `{"id", "outlet": "eval", "title": null, "body":
//!   text}` (passage titles, English Wikipedia page names in XQuAD, are never indexed);
//! - each record of the distractor corpora (read and checked by [`crate::ingest`], so
//!   exactly the records `akhbar index` would accept), its title kept only with
//!   `--distractor-title`.
//!
//! akhbar indexes the file through `akhbar index`'s own path; the baselines read the
//! same records back ([`for_each_record`]) and index each as one whole document.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;
use serde_json::json;

use super::data::JudgedPassage;
use crate::ingest::read::{Input, Inputs};
use crate::ingest::Record;

/// The outlet of the judged passages in the collection.
pub const PASSAGE_OUTLET: &str = "eval";

/// What to put in the collection.
#[derive(Clone, Debug)]
pub struct Sources<'a> {
    pub passages: &'a [JudgedPassage],
    pub distractors: &'a [PathBuf],
    /// Keep the distractors' titles (off: bodies only, as the reference systems were run).
    pub distractor_title: bool,
}

/// What writing the collection found.
#[derive(Clone, Debug, Default)]
pub struct Written {
    /// The JSON Lines file.
    pub path: PathBuf,
    /// Records written (passages + distractors).
    pub records: usize,
    pub distractors: usize,
    /// Distractor lines `akhbar index` would reject (skipped), and the first few reasons
    /// as `file:line: reason`.
    pub rejected: usize,
    pub first_rejections: Vec<String>,
}

/// Writes the collection to `path`.
pub fn write(sources: &Sources<'_>, path: &Path) -> anyhow::Result<Written> {
    let file = File::create(path).with_context(|| format!("cannot write {}", path.display()))?;
    let mut out = BufWriter::with_capacity(1 << 16, file);
    let mut written = Written {
        path: path.to_owned(),
        ..Written::default()
    };
    for p in sources.passages {
        let record = json!({"id": p.id, "outlet": PASSAGE_OUTLET, "title": null, "body": p.text});
        serde_json::to_writer(&mut out, &record)?;
        out.write_all(b"\n")?;
        written.records += 1;
    }
    let mut failure: Option<anyhow::Error> = None;
    let inputs = Inputs::expand(
        &sources
            .distractors
            .iter()
            .map(|p| Input::Path(p.clone()))
            .collect::<Vec<_>>(),
    );
    inputs.for_each(|unit| {
        let (origin, record) = unit.into_record();
        match record {
            Ok(mut record) => {
                if !sources.distractor_title {
                    record.title = None;
                }
                let line = record_json(&record);
                if let Err(e) = serde_json::to_writer(&mut out, &line)
                    .map_err(anyhow::Error::from)
                    .and_then(|()| Ok(out.write_all(b"\n")?))
                {
                    failure = Some(e);
                    return false;
                }
                written.records += 1;
                written.distractors += 1;
            }
            Err(reason) => {
                written.rejected += 1;
                if written.first_rejections.len() < 5 {
                    written.first_rejections.push(format!("{origin}: {reason}"));
                }
            }
        }
        true
    });
    if let Some(e) = failure {
        return Err(e.context(format!("cannot write {}", path.display())));
    }
    out.flush()
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(written)
}

/// A record as a JSON line of the record format.
fn record_json(r: &Record) -> serde_json::Value {
    json!({
        "id": r.id,
        "outlet": r.outlet,
        "title": r.title,
        "published": r.published.map(|d| d.to_string()),
        "url": r.url,
        "category": r.category,
        "body": r.body,
    })
}

/// Calls `f` with each record of a collection file, in order (`f` returns an error to
/// stop). The file was written by [`write`], so every line is a valid record.
pub fn for_each_record(
    path: &Path,
    mut f: impl FnMut(Record) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let mut failure: Option<anyhow::Error> = None;
    Inputs::expand(&[Input::Path(path.to_owned())]).for_each(|unit| {
        let (origin, record) = unit.into_record();
        let result = record
            .map_err(|reason| anyhow::anyhow!("{origin}: {reason}"))
            .and_then(&mut f);
        match result {
            Ok(()) => true,
            Err(e) => {
                failure = Some(e);
                false
            }
        }
    });
    failure.map_or(Ok(()), Err)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passages_and_checked_distractors_become_records() {
        let dir = tempfile::tempdir().unwrap();
        let corpus = dir.path().join("news.jsonl");
        std::fs::write(
            &corpus,
            concat!(
                r#"{"id":"n1","outlet":"X","title":"عنوان","published":"2024-07-01","body":"نص الخبر."}"#,
                "\nnot json\n",
                r#"{"id":"n2","body":""}"#,
                "\n",
                r#"{"id":"n3","title":"t","body":"نص آخر.","extra":1}"#,
                "\n"
            ),
        )
        .unwrap();
        let passages = [JudgedPassage {
            id: "p1".into(),
            title: Some("Wiki_Title".into()),
            text: "فقرة من ويكيبيديا.".into(),
        }];
        let distractors = [corpus.clone()];
        for title in [false, true] {
            let out = dir.path().join(format!("collection-{title}.jsonl"));
            let sources = Sources {
                passages: &passages,
                distractors: &distractors,
                distractor_title: title,
            };
            let written = write(&sources, &out).unwrap();
            assert_eq!((written.records, written.distractors), (3, 2));
            assert_eq!(written.rejected, 2);
            assert!(written.first_rejections[0].contains("news.jsonl:2: malformed JSON"));
            assert!(written.first_rejections[1]
                .contains("news.jsonl:3: record `n2` has an empty `body`"));
            let mut records = Vec::new();
            for_each_record(&out, |r| {
                records.push(r);
                Ok(())
            })
            .unwrap();
            let ids: Vec<&str> = records.iter().map(|r| r.id.as_str()).collect();
            assert_eq!(ids, ["p1", "n1", "n3"]);
            assert_eq!(records[0].outlet.as_deref(), Some(PASSAGE_OUTLET));
            assert_eq!(records[0].title, None);
            assert_eq!(records[0].body, "فقرة من ويكيبيديا.");
            assert_eq!(records[1].title.as_deref(), title.then_some("عنوان"));
            assert_eq!(
                records[1].published.map(|d| d.to_string()).as_deref(),
                Some("2024-07-01")
            );
            assert_eq!(records[1].outlet.as_deref(), Some("X"));
        }
    }
}
