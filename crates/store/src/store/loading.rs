//! The bulk loader of new documents: a batch's quads become index files that join the
//! store in one step.

use std::collections::HashSet;

use oxigraph::model::{NamedNode, Quad};

use policykg_extract::model::ParsedDocument;
use policykg_extract::rdf::document_quad_set;
use policykg_extract::vocab::{document_graph, document_key};

use super::index::GraphChange;
use super::stats;
use super::*;

impl PolicyStore {
    /// Starts writing documents new to the store with the bulk loader ([`Loading`]). A
    /// store in memory takes no other write until it is committed or dropped.
    pub fn start_loading(&self) -> Loading<'_> {
        let threads = std::thread::available_parallelism().map_or(1, usize::from);
        // The loader sizes its chunks from a memory budget per thread, in thousands of quads.
        let loader = self
            .store
            .bulk_loader()
            .with_num_threads(threads)
            .with_max_memory_size_in_megabytes((LOAD_CHUNK * threads).div_ceil(1000));
        Loading {
            store: self,
            loader,
            waiting: Vec::new(),
            keys: HashSet::new(),
            graphs: Vec::new(),
            contributions: Vec::new(),
            changes: Vec::new(),
        }
    }
}

/// Quads handed to one of the bulk loader's threads at a time. Each chunk becomes a set of
/// index files; chunks of a few hundred thousand quads keep both cores busy while the next
/// documents are parsed.
pub(super) const LOAD_CHUNK: usize = 500_000;

/// Documents new to the store, written together by Oxigraph's bulk loader: its threads build
/// the index files of one chunk while the caller parses the next documents, and all the
/// files join the store in one atomic step at [`Loading::commit`]: several times faster
/// than a transaction, which indexes every quad in memory first. Dropped without a commit,
/// it leaves the store as it was. The documents' statistics follow in one transaction;
/// should the process stop between the two, the next open for writing counts them
/// (`stats::complete`).
pub struct Loading<'s> {
    store: &'s PolicyStore,
    loader: oxigraph::store::BulkLoader<'s>,
    /// Quads not yet handed to the loader, less than a chunk.
    waiting: Vec<Quad>,
    /// The keys of the documents added.
    keys: HashSet<String>,
    graphs: Vec<NamedNode>,
    contributions: Vec<Contribution>,
    changes: Vec<GraphChange>,
}

impl Loading<'_> {
    /// Whether a document of the same key as `doc` was added.
    pub fn holds(&self, doc: &ParsedDocument) -> bool {
        self.keys.contains(&document_key(&doc.source.path))
    }

    /// Adds a document that neither the store nor this loading holds; gives its number of
    /// triples.
    pub fn add(&mut self, doc: &ParsedDocument) -> Result<usize, StoreError> {
        let key = document_key(&doc.source.path);
        let graph = document_graph(&key);
        let quads: Vec<Quad> = document_quad_set(doc).into_iter().collect();
        // What the statistics and the index need is taken now, so that the quads can be
        // handed to the loader rather than copied.
        self.contributions
            .push(Contribution::of(quads.iter().map(Quad::as_ref)));
        self.changes
            .push(GraphChange::replaced(graph.as_ref(), &quads));
        let triples = quads.len();
        self.keys.insert(key);
        self.graphs.push(graph);
        self.waiting.extend(quads);
        if self.waiting.len() >= LOAD_CHUNK {
            let rest = self.waiting.split_off(LOAD_CHUNK);
            let chunk = std::mem::replace(&mut self.waiting, rest);
            self.loader.load_quads(chunk)?;
        }
        Ok(triples)
    }

    /// Stores every document added, then their statistics and search entries.
    pub fn commit(mut self) -> Result<(), StoreError> {
        if self.graphs.is_empty() {
            return Ok(());
        }
        let store = self.store;
        self.loader.load_quads(std::mem::take(&mut self.waiting))?;
        store
            .search
            .begin(Some(self.graphs.iter().map(NamedNode::as_str)))?;
        self.loader.commit()?;
        store.written_to(self.graphs.iter().map(NamedNode::as_str));
        let Loading {
            graphs,
            contributions,
            changes,
            ..
        } = self;
        // The index and the statistics are independent of each other: each has a core.
        std::thread::scope(|scope| {
            scope.spawn(|| store.search.commit(&store.store, changes));
            let empty = Contribution::default();
            let mut transaction = store.store.start_transaction()?;
            stats::apply_all(
                &mut transaction,
                graphs
                    .iter()
                    .zip(&contributions)
                    .map(|(graph, new)| (graph.as_ref(), &empty, new)),
            )?;
            transaction.commit()?;
            store.written_to([]);
            Ok(())
        })
    }
}
