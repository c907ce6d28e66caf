//! The live index: the server follows the index directory as other processes change it.
//!
//! `akhbar index` commits into the live generation (tantivy rewrites the generation's
//! `meta.json` atomically on each commit); `akhbar reindex` switches `CURRENT` to a new
//! generation. A poller looks at both every second and, when either changed, opens a new
//! [`Engine`] beside the old one and swaps it in. A request takes one `Arc<Loaded>` at
//! its start and keeps it to its end, so a search in flight finishes on the old searcher
//! and the next request uses the new one. When the index is missing or cannot be opened,
//! requests get 503 with the reason, and the poller keeps trying until a good generation
//! appears.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock, RwLock};
use std::time::{Duration, SystemTime};

use crate::config::Config;
use crate::index::groups::GroupReport;
use crate::index::stats::Stats;
use crate::index::Layout;
use crate::search::Engine;

use super::adapter;

/// One opened generation and what the server shows about it.
pub struct Loaded {
    pub engine: Engine,
    pub generation: String,
    pub stats: Stats,
    /// When the generation's last commit was written (its `meta.json`).
    pub commit_time: Option<SystemTime>,
    groups: OnceLock<Vec<GroupReport>>,
}

impl Loaded {
    /// The groups report of this generation, computed on first use.
    pub fn groups(&self, config: &Config) -> anyhow::Result<&[GroupReport]> {
        if let Some(report) = self.groups.get() {
            return Ok(report);
        }
        let report = adapter::groups(&self.engine, config)?;
        Ok(self.groups.get_or_init(|| report))
    }
}

/// What the index directory looks like now: the live generation and its commit.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Fingerprint {
    current: Option<String>,
    meta: Option<Vec<u8>>,
}

enum State {
    Ready(Arc<Loaded>),
    Unavailable(String),
}

/// The index as the server serves it.
pub struct LiveIndex {
    root: PathBuf,
    config: Config,
    state: RwLock<State>,
    seen: Mutex<Option<Fingerprint>>,
    reloads: AtomicU64,
}

fn fingerprint(root: &Path) -> Fingerprint {
    let current = Layout::new(root).current().ok().flatten();
    let meta = current
        .as_ref()
        .and_then(|g| std::fs::read(root.join(g).join("meta.json")).ok());
    Fingerprint { current, meta }
}

impl LiveIndex {
    /// Opens the index under `root` now (a missing one is served as 503 until it appears).
    pub fn new(root: &Path, config: Config) -> LiveIndex {
        let live = LiveIndex {
            root: root.to_path_buf(),
            config,
            state: RwLock::new(State::Unavailable("not opened yet".into())),
            seen: Mutex::new(None),
            reloads: AtomicU64::new(0),
        };
        live.refresh();
        live
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The generation to serve a request from, or why there is none.
    pub fn current(&self) -> Result<Arc<Loaded>, String> {
        match &*self.state.read().unwrap_or_else(|e| e.into_inner()) {
            State::Ready(loaded) => Ok(loaded.clone()),
            State::Unavailable(reason) => Err(reason.clone()),
        }
    }

    /// How many times a new generation or commit was opened.
    pub fn reloads(&self) -> u64 {
        self.reloads.load(Ordering::Relaxed)
    }

    /// Reopens the index if it changed since the last look (or was unavailable).
    /// Returns whether a new engine was swapped in.
    pub fn refresh(&self) -> bool {
        let now = fingerprint(&self.root);
        let unavailable = self.current().is_err();
        {
            let seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
            if seen.as_ref() == Some(&now) && !unavailable {
                return false;
            }
        }
        let opened = self.open();
        let swapped = opened.is_ok();
        let state = match opened {
            Ok(loaded) => {
                self.reloads.fetch_add(1, Ordering::Relaxed);
                State::Ready(Arc::new(loaded))
            }
            Err(reason) => State::Unavailable(reason),
        };
        *self.state.write().unwrap_or_else(|e| e.into_inner()) = state;
        *self.seen.lock().unwrap_or_else(|e| e.into_inner()) = Some(now);
        swapped
    }

    fn open(&self) -> Result<Loaded, String> {
        let engine = Engine::open(&self.root, &self.config).map_err(|e| e.to_string())?;
        let generation = engine.idx.generation.clone();
        let stats = adapter::stats(&engine).map_err(|e| format!("{e:#}"))?;
        let commit_time = std::fs::metadata(engine.idx.dir.join("meta.json"))
            .and_then(|m| m.modified())
            .ok();
        Ok(Loaded {
            engine,
            generation,
            stats,
            commit_time,
            groups: OnceLock::new(),
        })
    }

    /// Starts a thread that calls [`LiveIndex::refresh`] every `every`.
    pub fn follow(self: &Arc<Self>, every: Duration) {
        let live = Arc::downgrade(self);
        std::thread::Builder::new()
            .name("akhbar-index-follow".into())
            .spawn(move || loop {
                std::thread::sleep(every);
                match live.upgrade() {
                    Some(live) => {
                        if live.refresh() {
                            tracing::info!(generation = ?live.current().ok().map(|l| l.generation.clone()), "index reopened");
                        }
                    }
                    None => return,
                }
            })
            .map(|_| ())
            .unwrap_or_else(|e| tracing::error!("cannot start the index follower: {e}"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_index_is_unavailable_then_recovers() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("ix");
        let config = Config::builtin();
        let live = LiveIndex::new(&root, config.clone());
        let reason = live.current().err().unwrap();
        assert!(reason.contains("no index at"), "{reason}");
        crate::index::rebuild::ensure_index(&root, &config).unwrap();
        assert!(live.refresh());
        assert_eq!(live.current().unwrap().stats.articles, 6);
        // Unchanged: nothing reopened.
        assert!(!live.refresh());
        assert_eq!(live.reloads(), 1);
        std::fs::remove_file(root.join("CURRENT")).unwrap();
        assert!(!live.refresh());
        assert!(live.current().is_err());
    }
}
