//! Inputs.
//!
//! - A file of JSON Lines in the record format, plain or gzip (recognised by its magic
//!   bytes, whatever its name).
//! - `-`: JSON Lines (plain or gzip) on standard input.
//! - A directory, walked recursively in name order: `*.jsonl` and `*.jsonl.gz` files as
//!   above, and `*.txt` files, each one article. Hidden entries are skipped.
//! - A `.txt` file (given directly or found in a directory): the body is the file's
//!   text. Its id is its path relative to the directory argument without `.txt`
//!   (`seeds/000_x.txt` found under `data/` is `seeds/000_x`), or the file stem when the
//!   file is named directly. A sidecar `<name>.json` next to it (`000_x.json`) may give
//!   any record field (`id`, `outlet`, `title`, `published`, `url`, `category`); without
//!   an outlet, the outlet comes from the text's sign-off.
//!
//! Reading yields [`Unit`]s; parsing JSON happens later, in parallel. Every problem is a
//! [`Unit::Rejected`] with the file and line.

use std::fmt;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use flate2::read::MultiGzDecoder;

use super::record::{RawRecord, Record, MAX_BODY_BYTES};

/// Lines longer than this are rejected without being held in memory.
pub const MAX_LINE_BYTES: usize = MAX_BODY_BYTES + (1 << 20);

/// An input argument.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Input {
    Stdin,
    Path(PathBuf),
}

impl Input {
    pub fn parse(arg: &str) -> Input {
        if arg == "-" {
            Input::Stdin
        } else {
            Input::Path(PathBuf::from(arg))
        }
    }
}

/// Where a record comes from: file and 1-based line (0 when the whole file is meant).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Origin {
    pub file: Arc<str>,
    pub line: u64,
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}", self.file)
        } else {
            write!(f, "{}:{}", self.file, self.line)
        }
    }
}

/// One thing read from the inputs.
#[derive(Debug)]
pub enum Unit {
    /// A JSON line, not yet parsed (nor checked for UTF-8).
    Line { origin: Origin, bytes: Vec<u8> },
    /// A `.txt` article, already assembled.
    Text {
        origin: Origin,
        record: Box<Result<Record, String>>,
    },
    /// Something that could not be read.
    Rejected { origin: Origin, reason: String },
}

impl Unit {
    /// Parses a unit into a record (the parallel step).
    pub fn into_record(self) -> (Origin, Result<Record, String>) {
        match self {
            Unit::Line { origin, bytes } => {
                let record = match std::str::from_utf8(&bytes) {
                    Ok(line) => Record::from_json(line),
                    Err(e) => Err(format!(
                        "invalid UTF-8 at byte {} of the line",
                        e.valid_up_to()
                    )),
                };
                (origin, record)
            }
            Unit::Text { origin, record } => (origin, *record),
            Unit::Rejected { origin, reason } => (origin, Err(reason)),
        }
    }
}

#[derive(Debug)]
enum Source {
    Stdin,
    Jsonl(PathBuf),
    Text { path: PathBuf, id: String },
    Error { origin: Origin, reason: String },
}

/// The expanded inputs.
#[derive(Debug)]
pub struct Inputs {
    sources: Vec<Source>,
    /// Total size of the input files (compressed size for gzip): the progress total.
    pub total_bytes: u64,
    /// Bytes read so far from the input files.
    pub bytes_read: Arc<AtomicU64>,
}

fn display(path: &Path) -> Arc<str> {
    Arc::from(path.display().to_string())
}

fn whole(path: &Path) -> Origin {
    Origin {
        file: display(path),
        line: 0,
    }
}

fn has_ext(name: &str, ext: &str) -> bool {
    name.len() > ext.len() && name.ends_with(ext)
}

impl Inputs {
    /// Expands the arguments: directories are walked, nothing is read yet.
    pub fn expand(inputs: &[Input]) -> Inputs {
        let mut sources = Vec::new();
        for input in inputs {
            match input {
                Input::Stdin => sources.push(Source::Stdin),
                Input::Path(path) => match std::fs::metadata(path) {
                    Err(e) => sources.push(Source::Error {
                        origin: whole(path),
                        reason: format!("cannot read: {e}"),
                    }),
                    Ok(m) if m.is_dir() => walk(path, path, &mut sources),
                    Ok(_) => {
                        let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
                        if name.as_deref().is_some_and(|n| has_ext(n, ".txt")) {
                            let id = path
                                .file_stem()
                                .map(|s| s.to_string_lossy().into_owned())
                                .unwrap_or_default();
                            sources.push(Source::Text {
                                path: path.clone(),
                                id,
                            });
                        } else {
                            sources.push(Source::Jsonl(path.clone()));
                        }
                    }
                },
            }
        }
        let total_bytes = sources
            .iter()
            .map(|s| match s {
                Source::Jsonl(p) | Source::Text { path: p, .. } => {
                    std::fs::metadata(p).map(|m| m.len()).unwrap_or(0)
                }
                _ => 0,
            })
            .sum();
        Inputs {
            sources,
            total_bytes,
            bytes_read: Arc::new(AtomicU64::new(0)),
        }
    }

    /// Reads everything, calling `f` for each unit in input order. `f` returns false to stop.
    pub fn for_each(&self, mut f: impl FnMut(Unit) -> bool) {
        for source in &self.sources {
            let go_on = match source {
                Source::Stdin => {
                    let file: Arc<str> = Arc::from("<stdin>");
                    read_jsonl(io::stdin().lock(), file, None, &mut f)
                }
                Source::Jsonl(path) => match File::open(path) {
                    Ok(file) => read_jsonl(
                        Counting {
                            inner: file,
                            counter: self.bytes_read.clone(),
                        },
                        display(path),
                        None,
                        &mut f,
                    ),
                    Err(e) => f(Unit::Rejected {
                        origin: whole(path),
                        reason: format!("cannot open: {e}"),
                    }),
                },
                Source::Text { path, id } => {
                    let unit = read_text(path, id);
                    if let Ok(m) = std::fs::metadata(path) {
                        self.bytes_read.fetch_add(m.len(), Ordering::Relaxed);
                    }
                    f(unit)
                }
                Source::Error { origin, reason } => f(Unit::Rejected {
                    origin: origin.clone(),
                    reason: reason.clone(),
                }),
            };
            if !go_on {
                return;
            }
        }
    }
}

fn walk(root: &Path, dir: &Path, out: &mut Vec<Source>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            out.push(Source::Error {
                origin: whole(dir),
                reason: format!("cannot read directory: {e}"),
            });
            return;
        }
    };
    let mut paths: Vec<PathBuf> = Vec::new();
    for entry in entries {
        match entry {
            Ok(e) => paths.push(e.path()),
            Err(e) => out.push(Source::Error {
                origin: whole(dir),
                reason: format!("cannot read directory: {e}"),
            }),
        }
    }
    paths.sort();
    for path in paths {
        let name = match path.file_name() {
            Some(n) => n.to_string_lossy().into_owned(),
            None => continue,
        };
        if name.starts_with('.') {
            continue;
        }
        let meta = match std::fs::metadata(&path) {
            Ok(m) => m,
            Err(e) => {
                out.push(Source::Error {
                    origin: whole(&path),
                    reason: format!("cannot read: {e}"),
                });
                continue;
            }
        };
        if meta.is_dir() {
            walk(root, &path, out);
        } else if has_ext(&name, ".jsonl") || has_ext(&name, ".jsonl.gz") {
            out.push(Source::Jsonl(path));
        } else if has_ext(&name, ".txt") {
            let rel = path.strip_prefix(root).unwrap_or(&path).with_extension("");
            let id = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            out.push(Source::Text { path, id });
        }
    }
}

/// Counts bytes read (for the progress bar).
struct Counting<R> {
    inner: R,
    counter: Arc<AtomicU64>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.counter.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// Reads JSON lines from a reader, unwrapping gzip if the data starts with its magic.
fn read_jsonl<R: Read>(
    reader: R,
    file: Arc<str>,
    max_line: Option<usize>,
    f: &mut impl FnMut(Unit) -> bool,
) -> bool {
    let mut buffered = BufReader::with_capacity(1 << 16, reader);
    let is_gzip = match buffered.fill_buf() {
        Ok(head) => head.starts_with(&[0x1f, 0x8b]),
        Err(e) => {
            return f(Unit::Rejected {
                origin: Origin { file, line: 0 },
                reason: format!("cannot read: {e}"),
            })
        }
    };
    if is_gzip {
        let decoder = BufReader::with_capacity(1 << 16, MultiGzDecoder::new(buffered));
        read_lines(decoder, file, max_line.unwrap_or(MAX_LINE_BYTES), true, f)
    } else {
        read_lines(buffered, file, max_line.unwrap_or(MAX_LINE_BYTES), false, f)
    }
}

enum LineRead {
    Eof,
    Line,
    TooLong(usize),
}

/// Reads one line into `buf` (without the newline); a line longer than `max` is skipped
/// to its end without being kept.
fn read_line_limited(r: &mut impl BufRead, buf: &mut Vec<u8>, max: usize) -> io::Result<LineRead> {
    buf.clear();
    let mut total = 0usize;
    let mut any = false;
    loop {
        let chunk = match r.fill_buf() {
            Ok(c) => c,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if chunk.is_empty() {
            break;
        }
        any = true;
        let (take, done) = match memchr::memchr(b'\n', chunk) {
            Some(i) => (i, true),
            None => (chunk.len(), false),
        };
        total += take;
        if total <= max {
            buf.extend_from_slice(&chunk[..take]);
        }
        r.consume(if done { take + 1 } else { take });
        if done {
            break;
        }
    }
    if !any {
        return Ok(LineRead::Eof);
    }
    if total > max {
        buf.clear();
        return Ok(LineRead::TooLong(total));
    }
    if buf.last() == Some(&b'\r') {
        buf.pop();
    }
    Ok(LineRead::Line)
}

fn read_lines(
    mut r: impl BufRead,
    file: Arc<str>,
    max: usize,
    gzip: bool,
    f: &mut impl FnMut(Unit) -> bool,
) -> bool {
    let mut line_no = 0u64;
    let mut buf = Vec::new();
    loop {
        line_no += 1;
        let origin = Origin {
            file: file.clone(),
            line: line_no,
        };
        match read_line_limited(&mut r, &mut buf, max) {
            Ok(LineRead::Eof) => return true,
            Ok(LineRead::TooLong(n)) => {
                if !f(Unit::Rejected {
                    origin,
                    reason: format!("line is {n} bytes long (limit {max} bytes): record too large"),
                }) {
                    return false;
                }
            }
            Ok(LineRead::Line) => {
                if buf.iter().all(u8::is_ascii_whitespace) {
                    continue;
                }
                if !f(Unit::Line {
                    origin,
                    bytes: std::mem::take(&mut buf),
                }) {
                    return false;
                }
            }
            Err(e) => {
                let reason = if gzip {
                    format!("truncated or corrupt gzip data, the rest of the file is lost: {e}")
                } else {
                    format!("read error, the rest of the file is lost: {e}")
                };
                return f(Unit::Rejected { origin, reason });
            }
        }
    }
}

/// Reads a `.txt` article and its sidecar `.json`.
fn read_text(path: &Path, id: &str) -> Unit {
    let origin = whole(path);
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            return Unit::Rejected {
                origin,
                reason: format!("cannot read: {e}"),
            }
        }
    };
    let body = match String::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let line = 1 + e.as_bytes()[..at].iter().filter(|&&b| b == b'\n').count() as u64;
            return Unit::Rejected {
                origin: Origin { line, ..origin },
                reason: format!("invalid UTF-8 at byte {at}"),
            };
        }
    };
    let mut raw = RawRecord::default();
    let sidecar = path.with_extension("json");
    if sidecar.exists() {
        let parsed = std::fs::read_to_string(&sidecar)
            .map_err(|e| format!("cannot read: {e}"))
            .and_then(|s| {
                serde_json::from_str::<RawRecord>(&s).map_err(|e| format!("malformed JSON: {e}"))
            });
        match parsed {
            Ok(r) => raw = r,
            Err(reason) => {
                return Unit::Rejected {
                    origin: whole(&sidecar),
                    reason,
                }
            }
        }
    }
    if raw.id.is_none() {
        raw.id = Some(id.to_string());
    }
    raw.body = Some(body);
    Unit::Text {
        origin,
        record: Box::new(raw.check()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn collect(inputs: &[Input]) -> Vec<(String, Result<Record, String>)> {
        let mut out = Vec::new();
        Inputs::expand(inputs).for_each(|u| {
            let (o, r) = u.into_record();
            out.push((o.to_string(), r));
            true
        });
        out
    }

    #[test]
    fn jsonl_plain_gzip_and_dirs() {
        let dir = tempfile::tempdir().unwrap();
        let line = r#"{"id":"a","body":"x"}"#;
        std::fs::write(dir.path().join("one.jsonl"), format!("{line}\n\n{{bad\n")).unwrap();
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        writeln!(gz, r#"{{"id":"b","body":"y"}}"#).unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        std::fs::write(dir.path().join("sub/two.jsonl.gz"), gz.finish().unwrap()).unwrap();
        std::fs::write(
            dir.path().join("sub/art.txt"),
            "نص\nThe post t appeared first on X.",
        )
        .unwrap();
        std::fs::write(dir.path().join("sub/art.json"), r#"{"title":"T"}"#).unwrap();
        std::fs::write(dir.path().join("ignored.csv"), "x").unwrap();
        let got = collect(&[Input::Path(dir.path().to_path_buf())]);
        assert_eq!(got.len(), 4, "{got:?}");
        assert!(got[0].0.ends_with("one.jsonl:1") && got[0].1.is_ok());
        assert!(got[1].0.ends_with("one.jsonl:3") && got[1].1.is_err());
        let text = got[2].1.as_ref().unwrap();
        assert_eq!(text.id, "sub/art");
        assert_eq!(text.title.as_deref(), Some("T"));
        assert_eq!(got[3].1.as_ref().unwrap().id, "b");
    }

    #[test]
    fn truncated_gzip_and_long_lines_and_bad_utf8() {
        let dir = tempfile::tempdir().unwrap();
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        for i in 0..2000 {
            writeln!(
                gz,
                r#"{{"id":"r{i}","body":"نص رقم {i} {}"}}"#,
                "ك".repeat(50)
            )
            .unwrap();
        }
        let data = gz.finish().unwrap();
        let path = dir.path().join("cut.jsonl.gz");
        std::fs::write(&path, &data[..data.len() / 2]).unwrap();
        let got = collect(&[Input::Path(path)]);
        let last = got.last().unwrap();
        assert!(last.1.as_ref().unwrap_err().contains("gzip"), "{last:?}");
        assert!(got.len() > 10 && got[..got.len() - 1].iter().all(|g| g.1.is_ok()));

        let path = dir.path().join("x.jsonl");
        let mut content = b"{\"id\":\"a\",\"body\":\"\xff\"}\n".to_vec();
        content.extend_from_slice(
            format!("{{\"id\":\"b\",\"body\":\"{}\"}}\n", "x".repeat(100)).as_bytes(),
        );
        std::fs::write(&path, content).unwrap();
        let mut out = Vec::new();
        let file = File::open(&path).unwrap();
        read_jsonl(file, Arc::from("x"), Some(50), &mut |u| {
            out.push(u.into_record());
            true
        });
        assert!(out[0].1.as_ref().unwrap_err().contains("UTF-8"));
        assert!(out[1].1.as_ref().unwrap_err().contains("too large"));
    }

    #[test]
    fn missing_file_is_rejected() {
        let got = collect(&[Input::Path("/nonexistent/file.jsonl".into())]);
        assert_eq!(got.len(), 1);
        assert!(got[0].1.as_ref().unwrap_err().contains("cannot read"));
    }
}
