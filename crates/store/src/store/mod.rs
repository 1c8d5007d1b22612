//! The embedded Oxigraph store on disk: one named graph per document plus a reference
//! graph for the ontology and the reference data it is given (the gazetteers). Ingesting a
//! document is one transaction — all of it lands or none — that replaces the document's
//! graph, and is skipped when the stored copy has the same sha256. Readers open the store
//! read-only and can work while a writer ingests.
//!
//! `open.rs` opens a store on disk or in memory; `generation.rs` counts its writes, by
//! graph; `write.rs` writes documents, graphs, updates and reference data; `loading.rs` is
//! the bulk loader of new documents; `read.rs` reads counts, graphs, labels and exports;
//! `stats.rs` keeps the statistics graph and `index.rs` the full-text index.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::AtomicU64;

use oxigraph::model::NamedNode;
use oxigraph::store::{StorageError, Store};

use policykg_extract::{Classified, ErrorKind};

mod generation;
mod index;
mod loading;
mod open;
mod read;
mod stats;
mod write;

use index::Search;
pub use loading::Loading;
pub use stats::{Contribution, Totals};

/// The ontology, loaded into the reference graph.
pub const ONTOLOGY: &str = include_str!("../../../../ontology/policykg.ttl");

/// Every this many writes, what the store holds in memory is written to its files: each
/// write leaves its index entries in memory until then, and a server taking a write a
/// second grew by hundreds of megabytes.
const WRITES_PER_FLUSH: u64 = 16;

/// Why the store could not do what was asked.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("store path {path} exists and is not a directory")]
    NotADirectory { path: PathBuf },
    #[error(
        "store directory {path} is read-only: cannot write to it (queries and `serve` without an update token can still read it)"
    )]
    ReadOnly { path: PathBuf },
    #[error("cannot create the store at {path}: {source}")]
    Create {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("no store at {path}: create one with `policykg ingest`")]
    Missing { path: PathBuf },
    #[error("cannot open the store at {path}: {source}")]
    Open {
        path: PathBuf,
        #[source]
        source: StorageError,
    },
    #[error("store error: {0}")]
    Storage(#[from] StorageError),
    #[error("cannot load reference data {name}: {source}")]
    Reference {
        name: String,
        #[source]
        source: oxigraph::io::RdfSyntaxError,
    },
    #[error("cannot write RDF: {0}")]
    Write(#[from] std::io::Error),
    /// The quads to store could not be read.
    #[error("{0}")]
    Aborted(#[source] Box<dyn std::error::Error + Send + Sync>),
    #[error("update failed: {0}")]
    Update(#[from] oxigraph::sparql::UpdateEvaluationError),
    /// A lookup the store makes by a query of its own failed.
    #[error("store lookup failed: {0}")]
    Lookup(#[source] Box<dyn std::error::Error + Send + Sync>),
    #[error("{0}")]
    Search(#[from] crate::fulltext::SearchError),
    #[error("{0} is kept by the store itself and cannot be written or removed")]
    Protected(NamedNode),
    /// The statistics were kept by an older version and the store is open read-only.
    #[error(
        "the store's statistics were kept by an older version of policykg and lack what this view reads: open the store for writing once (`policykg ingest` or `policykg serve`) to count them anew"
    )]
    OutdatedStatistics,
}

impl Classified for StoreError {
    fn kind(&self) -> ErrorKind {
        match self {
            StoreError::Missing { .. } => ErrorKind::NotFound,
            StoreError::Update(_) | StoreError::Aborted(_) | StoreError::Protected(_) => {
                ErrorKind::Invalid
            }
            _ => ErrorKind::Internal,
        }
    }
}

/// What ingesting a document did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IngestOutcome {
    /// A new document: its graph was created with this many triples.
    Added(usize),
    /// The document had changed: its graph was replaced.
    Replaced(usize),
    /// The stored copy has the same sha256: nothing was written.
    Unchanged(usize),
}

impl IngestOutcome {
    pub fn triples(self) -> usize {
        match self {
            IngestOutcome::Added(n) | IngestOutcome::Replaced(n) | IngestOutcome::Unchanged(n) => n,
        }
    }
}

/// Triples in one named graph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GraphCount {
    pub graph: String,
    pub triples: usize,
}

/// Counts across the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stats {
    pub documents: usize,
    pub tasks: usize,
    pub units: usize,
    pub graphs: Vec<GraphCount>,
}

/// Counts of the writes made through a store handle.
#[derive(Default)]
struct Writes {
    /// One more after every write.
    generation: AtomicU64,
    /// For each graph written, the generation of its last write.
    by_graph: Mutex<HashMap<String, u64>>,
    /// The generation of the last write that may have touched any graph (SPARQL Update).
    any_graph: AtomicU64,
}

/// The policykg store.
pub struct PolicyStore {
    store: Store,
    /// The writes made through this handle, so that whatever was computed from the data
    /// can tell when it went stale. A read-write store is held by one process only.
    writes: Writes,
    /// The full-text index of the nodes' labels and the tasks' text, kept in step.
    search: Search,
    /// Whether the statistics are of this version ([`stats::VERSION`]): a store opened for
    /// writing counts them anew when they are not, one opened read-only cannot.
    statistics_current: bool,
}
