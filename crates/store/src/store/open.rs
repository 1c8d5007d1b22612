//! Opening a store: on disk for writing (made whole first) or read-only, or in memory.

use std::path::Path;

use oxigraph::store::Store;

use policykg_extract::vocab::STATISTICS_GRAPH;

use super::index::{self, Search};
use super::stats;
use super::*;

pub(super) fn is_missing_or_empty(path: &Path) -> bool {
    std::fs::read_dir(path).map_or(true, |mut entries| entries.next().is_none())
}

/// Makes a new store beside `path` and moves it into place once RocksDB has made all of
/// its column families: a process killed while making it leaves no half-made store that
/// a read-only open would refuse.
pub(super) fn create_whole(path: &Path) -> Result<(), StoreError> {
    let failed = |source: std::io::Error| StoreError::Create {
        path: path.to_path_buf(),
        source,
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "store".to_string());
    let building = path.with_file_name(format!(".{name}.creating"));
    if building.exists() {
        std::fs::remove_dir_all(&building).map_err(failed)?;
    }
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(failed)?;
    }
    drop(Store::open(&building).map_err(|source| StoreError::Open {
        path: building.clone(),
        source,
    })?);
    std::fs::rename(&building, path).map_err(failed)
}

/// Whether files can be made in the directory: its mode, a read-only mount or missing
/// permissions say so here, where RocksDB would only say it in the middle of opening.
pub(super) fn writable(dir: &Path) -> bool {
    // A directory marked read-only is taken at its word, even by root, who could write.
    if std::fs::metadata(dir).is_ok_and(|m| m.permissions().readonly()) {
        return false;
    }
    let probe = dir.join(".policykg-write-probe");
    match std::fs::File::create(&probe) {
        Ok(_) => {
            let _ = std::fs::remove_file(&probe);
            true
        }
        Err(e) => !matches!(
            e.kind(),
            std::io::ErrorKind::ReadOnlyFilesystem | std::io::ErrorKind::PermissionDenied
        ),
    }
}

impl PolicyStore {
    /// Opens (or creates) the store at `path` for reading and writing.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        if path.exists() {
            if !path.is_dir() {
                return Err(StoreError::NotADirectory {
                    path: path.to_path_buf(),
                });
            }
            if !writable(path) {
                return Err(StoreError::ReadOnly {
                    path: path.to_path_buf(),
                });
            }
        }
        if is_missing_or_empty(path) {
            create_whole(path)?;
        }
        let store = Store::open(path).map_err(|source| StoreError::Open {
            path: path.to_path_buf(),
            source,
        })?;
        // A store written before statistics were kept, or before they kept what they keep
        // now, gets them once.
        if !store.contains_named_graph(STATISTICS_GRAPH)? || !stats::is_current(&store)? {
            stats::recount(&store)?;
            // Left in the write-ahead log, a corpus's statistics would be replayed by every
            // reader that opens the store read-only (seconds at 1,000 documents).
            store.flush()?;
        } else if let Some(pending) = index::read_pending(path)? {
            // A write stopped part way: the graphs it recorded may lack their statistics.
            let candidates = match &pending {
                index::Pending::All => None,
                index::Pending::Graphs(graphs) => Some(graphs),
            };
            let counted = stats::complete(&store, candidates)?;
            if counted > 0 {
                tracing::warn!(
                    "counted the statistics of {counted} documents stored just before the last write stopped"
                );
            }
        }
        let search = Search::open(&store, path)?;
        Ok(PolicyStore {
            store,
            writes: Writes::default(),
            search,
            statistics_current: true,
        })
    }

    /// Opens an existing store for reading; works while another process writes.
    pub fn open_read_only(path: &Path) -> Result<Self, StoreError> {
        if !path.exists() {
            return Err(StoreError::Missing {
                path: path.to_path_buf(),
            });
        }
        if !path.is_dir() {
            return Err(StoreError::NotADirectory {
                path: path.to_path_buf(),
            });
        }
        // A writer compacting beside us may remove a file between our reading its list of
        // files and opening them; a second look finds the new list.
        let mut attempts = 0;
        let store = loop {
            match Store::open_read_only(path) {
                Ok(store) => break store,
                Err(source) if attempts < 5 && source.to_string().contains("No such file") => {
                    attempts += 1;
                    std::thread::sleep(std::time::Duration::from_millis(50 * attempts));
                }
                Err(source) => {
                    return Err(StoreError::Open {
                        path: path.to_path_buf(),
                        source,
                    });
                }
            }
        };
        Ok(PolicyStore {
            statistics_current: stats::is_current(&store)?,
            store,
            writes: Writes::default(),
            search: Search::read_only(path),
        })
    }

    /// A store in memory, for tests and one-off work.
    pub fn in_memory() -> Result<Self, StoreError> {
        let store = Store::new()?;
        stats::recount(&store)?;
        let search = Search::in_memory(&store)?;
        Ok(PolicyStore {
            store,
            writes: Writes::default(),
            search,
            statistics_current: true,
        })
    }

    /// The underlying Oxigraph store, for reading. Writes go through the methods below so
    /// that [`PolicyStore::generation`] follows them.
    pub fn oxigraph(&self) -> &Store {
        &self.store
    }
}
