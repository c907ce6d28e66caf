//! The passage index.
//!
//! On disk, an index directory (default `.akhbar-index` in the current directory, or
//! `$AKHBAR_INDEX`, or `--index DIR`) holds:
//! - `CURRENT`: the name of the live generation, switched atomically (write a temp file,
//!   fsync, rename);
//! - `gen-NNNNNN/`: a tantivy index plus `akhbar.json` ([`meta::IndexMeta`]);
//! - `akhbar.lock`: held (flock) by the one process writing (`index`, `reindex`).
//!
//! `akhbar index` updates the live generation in place (tantivy commits are atomic);
//! `akhbar reindex` builds a new generation beside it and switches `CURRENT` when it is
//! complete, so searches keep using the old one until then and a crash at any point
//! leaves the old one intact. The generation before the live one is kept (searches that
//! opened it keep working); older ones and unfinished ones are deleted by the next writer.

pub mod analyzers;
pub mod groups;
pub mod meta;
pub mod rebuild;
pub mod schema;
pub mod stats;
pub mod stored;
pub mod writer;

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use fs4::fs_std::FileExt;
use tantivy::directory::MmapDirectory;
use tantivy::store::{Compressor, ZstdCompressor};
use tantivy::{Index, IndexSettings};

use crate::config::Config;
use meta::IndexMeta;
use schema::Fields;

/// The default index directory, relative to the current directory.
pub const DEFAULT_INDEX_DIR: &str = ".akhbar-index";
/// The environment variable that overrides it.
pub const INDEX_ENV: &str = "AKHBAR_INDEX";

const CURRENT: &str = "CURRENT";
const LOCK: &str = "akhbar.lock";
const GEN_PREFIX: &str = "gen-";

/// `--index DIR`, else `$AKHBAR_INDEX`, else `.akhbar-index`.
pub fn resolve_dir(arg: Option<&Path>) -> PathBuf {
    if let Some(dir) = arg {
        return dir.to_path_buf();
    }
    match std::env::var_os(INDEX_ENV) {
        Some(v) if !v.is_empty() => PathBuf::from(v),
        _ => PathBuf::from(DEFAULT_INDEX_DIR),
    }
}

/// Errors opening or writing an index, worded for users.
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    #[error("no index at {0} (build one with `akhbar index --index {0} INPUT...`)")]
    NoIndex(String),
    #[error(
        "index {0} is locked by another process (another `akhbar index` or `reindex` is running)"
    )]
    Locked(String),
    #[error("index {dir} was built with {diff}: a reindex is needed (`akhbar reindex --index {dir} INPUT...`)")]
    Incompatible { dir: String, diff: String },
    #[error("index {dir}: {reason}")]
    Broken { dir: String, reason: String },
    #[error("{path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("index {dir}: {source}")]
    Tantivy {
        dir: String,
        source: tantivy::TantivyError,
    },
}

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> IndexError + '_ {
    move |source| IndexError::Io {
        path: path.display().to_string(),
        source,
    }
}

/// Writes a small file durably: temp file, fsync, rename over, fsync the directory.
pub(crate) fn write_durably(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let tmp = path.with_extension("tmp");
    {
        let mut f = File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
    }
    fs::rename(&tmp, path)?;
    if let Some(parent) = path.parent() {
        if let Ok(d) = File::open(parent) {
            let _ = d.sync_all();
        }
    }
    Ok(())
}

/// The index directory and its generations.
#[derive(Clone, Debug)]
pub struct Layout {
    pub root: PathBuf,
}

impl Layout {
    pub fn new(root: &Path) -> Layout {
        Layout {
            root: root.to_path_buf(),
        }
    }

    /// The live generation's name, if there is one.
    pub fn current(&self) -> Result<Option<String>, IndexError> {
        let path = self.root.join(CURRENT);
        match fs::read_to_string(&path) {
            Ok(s) => {
                let name = s.trim().to_string();
                if !name.starts_with(GEN_PREFIX) || name.contains(['/', '\\']) {
                    return Err(IndexError::Broken {
                        dir: self.root.display().to_string(),
                        reason: format!("{CURRENT} names {name:?}, not a generation"),
                    });
                }
                Ok(Some(name))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(io_err(&path)(e)),
        }
    }

    /// Generation directories present, by number.
    pub fn generations(&self) -> Vec<(u64, String)> {
        let mut out = Vec::new();
        if let Ok(entries) = fs::read_dir(&self.root) {
            for e in entries.flatten() {
                let name = e.file_name().to_string_lossy().into_owned();
                if let Some(n) = name.strip_prefix(GEN_PREFIX).and_then(|n| n.parse().ok()) {
                    out.push((n, name));
                }
            }
        }
        out.sort();
        out
    }

    /// A fresh generation name, after every existing one.
    pub fn next_generation(&self) -> String {
        let n = self.generations().last().map_or(1, |g| g.0 + 1);
        format!("{GEN_PREFIX}{n:06}")
    }

    pub fn path(&self, generation: &str) -> PathBuf {
        self.root.join(generation)
    }

    /// Makes `generation` live.
    pub fn switch_to(&self, generation: &str) -> Result<(), IndexError> {
        let path = self.root.join(CURRENT);
        write_durably(&path, format!("{generation}\n").as_bytes()).map_err(io_err(&path))
    }

    /// Deletes generations other than the live one and the one just before it
    /// (unfinished rebuilds, old generations). Only call while holding the lock.
    pub fn clean_up(&self) {
        let Ok(Some(current)) = self.current() else {
            return;
        };
        let gens = self.generations();
        let live = gens.iter().position(|g| g.1 == current);
        for (i, (_, name)) in gens.iter().enumerate() {
            let keep = Some(i) == live
                || live.is_some_and(|l| l > 0 && i == l - 1 && gens[i].0 < gens[l].0);
            if !keep {
                let _ = fs::remove_dir_all(self.path(name));
            }
        }
    }

    /// Takes the writer lock, or says who has it.
    pub fn lock(&self) -> Result<WriteLock, IndexError> {
        fs::create_dir_all(&self.root).map_err(io_err(&self.root))?;
        let path = self.root.join(LOCK);
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(io_err(&path))?;
        match file.try_lock_exclusive() {
            Ok(true) => Ok(WriteLock { _file: file }),
            Ok(false) => Err(IndexError::Locked(self.root.display().to_string())),
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                Err(IndexError::Locked(self.root.display().to_string()))
            }
            Err(e) => Err(io_err(&path)(e)),
        }
    }
}

/// The writer lock; released when dropped (or when the process dies).
#[derive(Debug)]
pub struct WriteLock {
    _file: File,
}

/// An open akhbar index (one generation).
pub struct AkhbarIndex {
    pub index: Index,
    pub fields: Fields,
    /// The generation directory.
    pub dir: PathBuf,
    pub generation: String,
    pub meta: IndexMeta,
}

fn settings(config: &Config) -> IndexSettings {
    let d = &config.schema.docstore;
    let compressor = match d.compression.as_str() {
        "zstd" => Compressor::Zstd(ZstdCompressor {
            compression_level: d.level,
        }),
        "none" => Compressor::None,
        _ => Compressor::Lz4,
    };
    IndexSettings {
        docstore_compression: compressor,
        docstore_blocksize: d.block_bytes,
        ..IndexSettings::default()
    }
}

impl AkhbarIndex {
    /// A reader of this generation as it is now. It never reloads: a generation is
    /// replaced by switching to another one, not changed under a reader's feet, and an
    /// incremental update is seen by the next process.
    pub fn reader(&self) -> tantivy::Result<tantivy::IndexReader> {
        self.index
            .reader_builder()
            .reload_policy(tantivy::ReloadPolicy::Manual)
            .try_into()
    }

    /// Opens the live generation, checking it was built with this configuration.
    pub fn open(root: &Path, config: &Config) -> Result<AkhbarIndex, IndexError> {
        let layout = Layout::new(root);
        let generation = layout
            .current()?
            .ok_or_else(|| IndexError::NoIndex(root.display().to_string()))?;
        Self::open_generation(&layout, &generation, config)
    }

    fn open_generation(
        layout: &Layout,
        generation: &str,
        config: &Config,
    ) -> Result<AkhbarIndex, IndexError> {
        let dir = layout.path(generation);
        let shown = layout.root.display().to_string();
        let meta = IndexMeta::read(&dir).map_err(|reason| IndexError::Broken {
            dir: shown.clone(),
            reason,
        })?;
        if let Some(diff) = meta.incompatibility(config) {
            return Err(IndexError::Incompatible { dir: shown, diff });
        }
        let tantivy_err = |source| IndexError::Tantivy {
            dir: shown.clone(),
            source,
        };
        let index = Index::open_in_dir(&dir).map_err(tantivy_err)?;
        let (schema, fields) = schema::build(config).map_err(|reason| IndexError::Broken {
            dir: shown.clone(),
            reason,
        })?;
        if index.schema() != schema {
            return Err(IndexError::Incompatible {
                dir: shown,
                diff: "another field layout".into(),
            });
        }
        analyzers::register(&index, config).map_err(|e| IndexError::Broken {
            dir: shown.clone(),
            reason: e.to_string(),
        })?;
        Ok(AkhbarIndex {
            index,
            fields,
            dir,
            generation: generation.to_string(),
            meta,
        })
    }

    /// Creates an empty index in a new generation directory (not yet live).
    pub fn create(layout: &Layout, config: &Config) -> Result<AkhbarIndex, IndexError> {
        let generation = layout.next_generation();
        let dir = layout.path(&generation);
        let shown = layout.root.display().to_string();
        fs::create_dir_all(&dir).map_err(io_err(&dir))?;
        let (schema, fields) = schema::build(config).map_err(|reason| IndexError::Broken {
            dir: shown.clone(),
            reason,
        })?;
        let tantivy_err = |source| IndexError::Tantivy {
            dir: shown.clone(),
            source,
        };
        let directory = MmapDirectory::open(&dir).map_err(|e| tantivy_err(e.into()))?;
        let index = Index::builder()
            .schema(schema)
            .settings(settings(config))
            .open_or_create(directory)
            .map_err(tantivy_err)?;
        analyzers::register(&index, config).map_err(|e| IndexError::Broken {
            dir: shown.clone(),
            reason: e.to_string(),
        })?;
        let meta = IndexMeta::current(config);
        meta.write(&dir).map_err(io_err(&dir))?;
        Ok(AkhbarIndex {
            index,
            fields,
            dir,
            generation,
            meta,
        })
    }
}

/// Size of a directory tree in bytes.
pub fn dir_size(dir: &Path) -> u64 {
    let mut total = 0;
    if let Ok(entries) = fs::read_dir(dir) {
        for e in entries.flatten() {
            match e.metadata() {
                Ok(m) if m.is_dir() => total += dir_size(&e.path()),
                Ok(m) => total += m.len(),
                Err(_) => {}
            }
        }
    }
    total
}
