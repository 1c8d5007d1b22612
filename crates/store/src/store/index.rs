//! Keeps the full-text index in step with the store: every write that lands in the store
//! lands in the index after it, graph by graph.
//!
//! The index lives in the store's directory (`search/`). The two cannot commit together,
//! so a write first records the graphs it is about to change (`search-pending`, synced to
//! disk), then commits the store, then the index, then forgets the record. A process that
//! stops in between leaves the record behind, and the next open indexes those graphs again
//! from the store; it also indexes any graph the index lacks and drops any the store lacks.
//! A store opened read-only searches its index as it is on disk, or, when that index is
//! missing, behind the store or being written, an index built in memory on first use.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use oxigraph::model::{GraphNameRef, NamedNodeRef, NamedOrBlankNode, Quad};
use oxigraph::store::Store;

use super::StoreError;
use crate::fulltext::{SearchEntry, SearchIndex, entries_from_quads};
use policykg_extract::vocab::STATISTICS_GRAPH;

/// The index directory inside a store's directory.
const INDEX_DIR: &str = "search";
/// The graphs being written (one IRI per line, or [`ALL`]).
const PENDING: &str = "search-pending";
const ALL: &str = "*";
/// Graphs indexed per commit when indexing from the store.
const CHUNK: usize = 256;

/// What a write did to one graph, for the index.
pub(super) enum GraphChange {
    Replaced(String, Vec<SearchEntry>),
    Removed(String),
}

impl GraphChange {
    /// The entries of `quads`, all of `graph`.
    pub(super) fn replaced(graph: NamedNodeRef<'_>, quads: &[Quad]) -> GraphChange {
        GraphChange::Replaced(graph.as_str().to_string(), entries_from_quads(quads))
    }
}

pub(super) struct Search {
    /// The store's directory; none for a store in memory.
    dir: Option<PathBuf>,
    index: OnceLock<SearchIndex>,
}

impl Search {
    /// The index of a store opened for writing, brought in step with it.
    pub(super) fn open(store: &Store, dir: &Path) -> Result<Search, StoreError> {
        let index = SearchIndex::open(&dir.join(INDEX_DIR))?;
        let pending = read_pending(dir)?;
        reconcile(store, &index, pending.as_ref())?;
        remove_pending(dir)?;
        Ok(Search {
            dir: Some(dir.to_path_buf()),
            index: OnceLock::from(index),
        })
    }

    /// An index in memory, for a store in memory.
    pub(super) fn in_memory(store: &Store) -> Result<Search, StoreError> {
        let index = SearchIndex::in_memory()?;
        reconcile(store, &index, None)?;
        Ok(Search {
            dir: None,
            index: OnceLock::from(index),
        })
    }

    /// The index of a store opened read-only, opened on first use.
    pub(super) fn read_only(dir: &Path) -> Search {
        Search {
            dir: Some(dir.to_path_buf()),
            index: OnceLock::new(),
        }
    }

    /// The index, opened (or built) if this is its first use.
    pub(super) fn index(&self, store: &Store) -> Result<&SearchIndex, StoreError> {
        if let Some(index) = self.index.get() {
            return Ok(index);
        }
        let index = match self.dir.as_deref().map(|dir| on_disk(store, dir)) {
            Some(Ok(Some(index))) => index,
            found => {
                if let Some(Err(error)) = found {
                    tracing::warn!("search index: {error}; searching an index built in memory");
                }
                let index = SearchIndex::in_memory()?;
                reconcile(store, &index, None)?;
                index
            }
        };
        // Two first searches at once may both build; either index is the same.
        Ok(self.index.get_or_init(|| index))
    }

    /// Records that `graphs` are about to change (for all graphs: `None`), before the
    /// store commits.
    pub(super) fn begin<'a>(
        &self,
        graphs: Option<impl IntoIterator<Item = &'a str>>,
    ) -> Result<(), StoreError> {
        let Some(dir) = &self.dir else {
            return Ok(());
        };
        let mut record = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(dir.join(PENDING))?;
        match graphs {
            Some(graphs) => {
                for graph in graphs {
                    writeln!(record, "{graph}")?;
                }
            }
            None => writeln!(record, "{ALL}")?,
        }
        record.sync_all()?;
        Ok(())
    }

    /// Brings the index in step with what the store has committed. The store's write has
    /// landed whatever happens here: an index that cannot follow is reported, and the
    /// record left behind makes the next open catch up.
    pub(super) fn commit(&self, store: &Store, changes: Vec<GraphChange>) {
        if let Err(error) = self.apply(store, changes) {
            tracing::error!(
                "search index not updated: {error}; it is brought up to date when the store is next opened"
            );
        }
    }

    /// Indexes every graph anew from the store (after a change that may have touched any).
    pub(super) fn commit_all(&self, store: &Store) {
        let outcome = self
            .index(store)
            .and_then(|index| reconcile(store, index, Some(&Pending::All)))
            .and_then(|()| self.done());
        if let Err(error) = outcome {
            tracing::error!(
                "search index not updated: {error}; it is brought up to date when the store is next opened"
            );
        }
    }

    fn apply(&self, store: &Store, changes: Vec<GraphChange>) -> Result<(), StoreError> {
        let index = self.index(store)?;
        let mut replaced = Vec::new();
        for change in &changes {
            match change {
                GraphChange::Replaced(graph, entries) => {
                    replaced.push((graph.as_str(), entries.as_slice()));
                }
                GraphChange::Removed(graph) => index.remove_graph(graph)?,
            }
        }
        if !replaced.is_empty() {
            index.replace_graphs(replaced)?;
        }
        self.done()
    }

    fn done(&self) -> Result<(), StoreError> {
        match &self.dir {
            Some(dir) => remove_pending(dir),
            None => Ok(()),
        }
    }
}

/// Graphs whose entries may be stale.
pub(super) enum Pending {
    All,
    Graphs(BTreeSet<String>),
}

/// The graphs an interrupted write was about to change, as recorded before it began.
pub(super) fn read_pending(dir: &Path) -> Result<Option<Pending>, StoreError> {
    let text = match std::fs::read_to_string(dir.join(PENDING)) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(error) => return Err(error.into()),
    };
    let graphs: BTreeSet<String> = text.lines().map(str::to_string).collect();
    Ok(Some(if graphs.contains(ALL) {
        Pending::All
    } else {
        Pending::Graphs(graphs)
    }))
}

fn remove_pending(dir: &Path) -> Result<(), StoreError> {
    match std::fs::remove_file(dir.join(PENDING)) {
        Err(error) if error.kind() != std::io::ErrorKind::NotFound => Err(error.into()),
        _ => Ok(()),
    }
}

/// The index on disk, if it exists, nothing is being written and it holds exactly the
/// store's graphs.
fn on_disk(store: &Store, dir: &Path) -> Result<Option<SearchIndex>, StoreError> {
    let path = dir.join(INDEX_DIR);
    if !path.is_dir() || dir.join(PENDING).exists() {
        return Ok(None);
    }
    let index = SearchIndex::open_read_only(&path)?;
    Ok((index.graphs()? == indexed_graphs(store)?).then_some(index))
}

/// The graphs whose nodes are searched: all but the statistics.
fn indexed_graphs(store: &Store) -> Result<BTreeSet<String>, StoreError> {
    let mut graphs = BTreeSet::new();
    for graph in store.named_graphs() {
        if let NamedOrBlankNode::NamedNode(graph) = graph?
            && graph != STATISTICS_GRAPH
        {
            graphs.insert(graph.into_string());
        }
    }
    Ok(graphs)
}

/// Indexes the store's graphs that the index lacks (and those `pending` names) from the
/// store, and removes from the index the graphs the store no longer has.
fn reconcile(
    store: &Store,
    index: &SearchIndex,
    pending: Option<&Pending>,
) -> Result<(), StoreError> {
    let stored = indexed_graphs(store)?;
    let indexed = index.graphs()?;
    for gone in indexed.difference(&stored) {
        index.remove_graph(gone)?;
    }
    let stale: Vec<&String> = stored
        .iter()
        .filter(|graph| match pending {
            Some(Pending::All) => true,
            Some(Pending::Graphs(pending)) if pending.contains(*graph) => true,
            _ => !indexed.contains(*graph),
        })
        .collect();
    if !stale.is_empty() {
        tracing::info!("search index: indexing {} graphs", stale.len());
    }
    for chunk in stale.chunks(CHUNK) {
        let mut entries = Vec::with_capacity(chunk.len());
        for graph in chunk {
            let name = NamedNodeRef::new_unchecked(graph);
            let quads = store
                .quads_for_pattern(None, None, None, Some(GraphNameRef::NamedNode(name)))
                .collect::<Result<Vec<Quad>, _>>()?;
            entries.push((graph.as_str(), entries_from_quads(&quads)));
        }
        index.replace_graphs(
            entries
                .iter()
                .map(|(graph, entries)| (*graph, entries.as_slice())),
        )?;
    }
    Ok(())
}
