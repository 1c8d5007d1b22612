//! The embedded Oxigraph store on disk: one named graph per document plus a reference
//! graph for the ontology and the reference data it is given (the gazetteers). Ingesting a
//! document is one transaction — all of it lands or none — that replaces the document's
//! graph, and is skipped when the stored copy has the same sha256. Readers open the store
//! read-only and can work while a writer ingests.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use oxigraph::io::{RdfFormat, RdfParser, RdfSerializer};
use oxigraph::model::{
    BlankNode, GraphName, GraphNameRef, NamedNode, NamedNodeRef, NamedOrBlankNode, Quad, Term,
};
use oxigraph::store::{StorageError, Store};

use policykg_extract::model::ParsedDocument;
use policykg_extract::rdf::{document_quad_set, sorted};
use policykg_extract::vocab::{PREFIXES, REFERENCE_GRAPH, STATISTICS_GRAPH, pol};
use policykg_extract::vocab::{document_graph, document_iri, document_key};
use policykg_extract::{Classified, ErrorKind};

mod index;
mod stats;

use index::{GraphChange, Search};
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

fn is_missing_or_empty(path: &Path) -> bool {
    std::fs::read_dir(path).map_or(true, |mut entries| entries.next().is_none())
}

/// Makes a new store beside `path` and moves it into place once RocksDB has made all of
/// its column families: a process killed while making it leaves no half-made store that
/// a read-only open would refuse.
fn create_whole(path: &Path) -> Result<(), StoreError> {
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
fn writable(dir: &Path) -> bool {
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

    /// A number that changes after every write made through this handle: equal numbers mean
    /// equal data, so results computed from the store can be cached under it.
    pub fn generation(&self) -> u64 {
        self.writes.generation.load(Ordering::Acquire)
    }

    /// The generation that last wrote one of `graphs`, or any graph: what was computed from
    /// those graphs alone is still true while this number does not change.
    pub fn generation_of(&self, graphs: &[&str]) -> u64 {
        let by_graph = self
            .writes
            .by_graph
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        graphs
            .iter()
            .filter_map(|g| by_graph.get(*g).copied())
            .fold(self.writes.any_graph.load(Ordering::Acquire), u64::max)
    }

    /// After a write that may have touched any graph.
    fn written(&self) {
        let generation = self.next_generation();
        self.writes
            .any_graph
            .fetch_max(generation, Ordering::AcqRel);
    }

    /// After a write to `graphs` (and the statistics, which follow every document).
    fn written_to<'a>(&self, graphs: impl IntoIterator<Item = &'a str>) {
        let generation = self.next_generation();
        let mut by_graph = self
            .writes
            .by_graph
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        for graph in graphs.into_iter().chain([STATISTICS_GRAPH.as_str()]) {
            by_graph.insert(graph.to_string(), generation);
        }
    }

    fn next_generation(&self) -> u64 {
        let generation = self.writes.generation.fetch_add(1, Ordering::AcqRel) + 1;
        if generation.is_multiple_of(WRITES_PER_FLUSH)
            && let Err(e) = self.store.flush()
        {
            tracing::warn!("the store could not write its memory to its files: {e}");
        }
        generation
    }

    /// Applies a parsed SPARQL Update. It may touch any graph, so the statistics are
    /// counted anew after it.
    pub fn update(&self, update: oxigraph::sparql::PreparedSparqlUpdate) -> Result<(), StoreError> {
        self.search.begin(None::<[&str; 0]>)?;
        let outcome = update.on_store(&self.store).execute();
        // Even a failed update may have written part of its operations.
        self.written();
        stats::recount(&self.store)?;
        self.search.commit_all(&self.store);
        Ok(outcome?)
    }

    /// Removes a named graph and everything in it.
    pub fn remove_graph(&self, graph: NamedNodeRef<'_>) -> Result<(), StoreError> {
        if !stats::is_document_graph(graph) {
            return Err(StoreError::Protected(graph.into_owned()));
        }
        let old = Contribution::stored(&self.store, graph)?;
        self.search.begin(Some([graph.as_str()]))?;
        let mut transaction = self.store.start_transaction()?;
        transaction.remove_named_graph(graph)?;
        stats::apply(&mut transaction, graph, &old, &Contribution::default())?;
        transaction.commit()?;
        self.written_to([graph.as_str()]);
        self.search.commit(
            &self.store,
            vec![GraphChange::Removed(graph.as_str().to_string())],
        );
        Ok(())
    }

    /// Replaces the reference graph with the ontology and `data` (file name, Turtle text)
    /// when they differ from what is stored.
    pub fn load_reference(&self, data: &[(String, String)]) -> Result<(), StoreError> {
        let mut quads = Vec::new();
        let sources = std::iter::once(("ontology/policykg.ttl", ONTOLOGY)).chain(
            data.iter()
                .map(|(name, text)| (name.as_str(), text.as_str())),
        );
        for (number, (name, text)) in sources.enumerate() {
            let parser = RdfParser::from_format(RdfFormat::Turtle)
                .with_default_graph(REFERENCE_GRAPH)
                .for_slice(text.as_bytes());
            // The parser names blank nodes at random; named by their order in the file
            // instead, the same files always give the same quads.
            let mut blanks: HashMap<BlankNode, BlankNode> = HashMap::new();
            let mut stable = |node: &BlankNode| {
                let next = blanks.len();
                blanks
                    .entry(node.clone())
                    .or_insert_with(|| BlankNode::new_unchecked(format!("r{number}b{next}")))
                    .clone()
            };
            for quad in parser {
                let mut quad = quad.map_err(|source| StoreError::Reference {
                    name: name.to_string(),
                    source,
                })?;
                if let NamedOrBlankNode::BlankNode(b) = &quad.subject {
                    quad.subject = stable(b).into();
                }
                if let Term::BlankNode(b) = &quad.object {
                    quad.object = stable(b).into();
                }
                quads.push(quad);
            }
        }
        let stored: HashSet<Quad> = self
            .store
            .quads_for_pattern(None, None, None, Some(REFERENCE_GRAPH.into()))
            .collect::<Result<_, _>>()?;
        let wanted: HashSet<Quad> = quads.into_iter().collect();
        if stored == wanted {
            return Ok(());
        }
        let quads = sorted(wanted);
        self.search.begin(Some([REFERENCE_GRAPH.as_str()]))?;
        let mut transaction = self.store.start_transaction()?;
        transaction.remove_named_graph(REFERENCE_GRAPH)?;
        transaction.insert_named_graph(REFERENCE_GRAPH);
        for quad in &quads {
            transaction.insert(quad);
        }
        transaction.commit()?;
        self.written_to([REFERENCE_GRAPH.as_str()]);
        self.search.commit(
            &self.store,
            vec![GraphChange::replaced(REFERENCE_GRAPH, &quads)],
        );
        Ok(())
    }

    /// Stores a parsed document in its own graph, in one transaction.
    pub fn ingest(&self, doc: &ParsedDocument) -> Result<IngestOutcome, StoreError> {
        let mut outcomes = self.ingest_all(std::slice::from_ref(doc))?;
        Ok(outcomes.remove(0))
    }

    /// Stores parsed documents, each in its own graph, each entirely or not at all. A
    /// document whose stored copy has the same sha256 is left as it is.
    ///
    /// Documents new to the store (no graph of their key yet) are written together by the
    /// bulk loader ([`Loading`]). Documents that replace a stored copy go through a transaction, which removes the
    /// old graph and writes the new one at once.
    pub fn ingest_all(&self, docs: &[ParsedDocument]) -> Result<Vec<IngestOutcome>, StoreError> {
        let mut loading: Option<Loading<'_>> = None;
        let mut outcomes: Vec<Option<IngestOutcome>> = vec![None; docs.len()];
        let mut others = Vec::new();
        for (i, doc) in docs.iter().enumerate() {
            let held = loading.as_ref().is_some_and(|l| l.holds(doc));
            if !held && !self.has_document(doc)? {
                let loading = loading.get_or_insert_with(|| self.start_loading());
                outcomes[i] = Some(IngestOutcome::Added(loading.add(doc)?));
            } else {
                others.push(i);
            }
        }
        if let Some(loading) = loading {
            loading.commit()?;
        }
        for (i, outcome) in others
            .iter()
            .zip(self.replace_all(others.iter().map(|&i| &docs[i]))?)
        {
            outcomes[*i] = Some(outcome);
        }
        Ok(outcomes.into_iter().flatten().collect())
    }

    /// Whether a document of the key of `doc` is stored.
    pub fn has_document(&self, doc: &ParsedDocument) -> Result<bool, StoreError> {
        let graph = document_graph(&document_key(&doc.source.path));
        Ok(self.store.contains_named_graph(graph.as_ref())?)
    }

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

    /// Replaces documents already stored (or stores them, when their key comes twice), in
    /// transactions of the whole graph.
    fn replace_all<'d>(
        &self,
        docs: impl Iterator<Item = &'d ParsedDocument>,
    ) -> Result<Vec<IngestOutcome>, StoreError> {
        let mut outcomes = Vec::new();
        let mut changes = Vec::new();
        // The graphs written in the open transaction: recorded for the search index just
        // before it commits, so that a batch of unchanged documents writes no record.
        let mut staged: Vec<String> = Vec::new();
        let mut transaction = self.store.start_transaction()?;
        let mut keys = HashSet::new();
        for doc in docs {
            let key = document_key(&doc.source.path);
            // The same key twice: the first copy is committed before the second is read.
            if !keys.insert(key.clone()) {
                if !staged.is_empty() {
                    self.search.begin(Some(staged.iter().map(String::as_str)))?;
                    transaction.commit()?;
                    self.written_to(staged.iter().map(String::as_str));
                    staged.clear();
                }
                transaction = self.store.start_transaction()?;
                keys = HashSet::from([key.clone()]);
            }
            let graph = document_graph(&key);
            let stored_sha = self.document_sha256(&key)?;
            if stored_sha.as_deref() == Some(doc.source.sha256.as_str()) {
                let triples = stats::graph_triples(&self.store, &graph)? as usize;
                outcomes.push(IngestOutcome::Unchanged(triples));
                continue;
            }
            let quads: Vec<Quad> = document_quad_set(doc).into_iter().collect();
            let old = Contribution::stored(&self.store, graph.as_ref())?;
            let new = Contribution::of(quads.iter().map(Quad::as_ref));
            transaction.remove_named_graph(graph.as_ref())?;
            transaction.insert_named_graph(graph.as_ref());
            for quad in &quads {
                transaction.insert(quad);
            }
            stats::apply(&mut transaction, graph.as_ref(), &old, &new)?;
            changes.push(GraphChange::replaced(graph.as_ref(), &quads));
            staged.push(graph.as_str().to_string());
            outcomes.push(if stored_sha.is_some() {
                IngestOutcome::Replaced(quads.len())
            } else {
                IngestOutcome::Added(quads.len())
            });
        }
        if !staged.is_empty() {
            self.search.begin(Some(staged.iter().map(String::as_str)))?;
            transaction.commit()?;
            self.written_to(staged.iter().map(String::as_str));
        }
        if !changes.is_empty() {
            self.search.commit(&self.store, changes);
        }
        Ok(outcomes)
    }

    /// Writes what is held in memory to the store's files, so that its write-ahead log can
    /// be dropped: a store left with its log replays it when opened (1.8 GB of log and
    /// 12.6 s to open after 1,000 documents were ingested without a flush; 0.08 s with).
    pub fn flush(&self) -> Result<(), StoreError> {
        Ok(self.store.flush()?)
    }

    /// Compacts the store on disk (after a large ingest, so that its size stays close to
    /// what a bulk load of the same quads takes).
    pub fn optimize(&self) -> Result<(), StoreError> {
        Ok(self.store.optimize()?)
    }

    /// Replaces `graph` with quads from a fallible source, atomically: if the source fails
    /// part way, the transaction is dropped and the store is left exactly as it was.
    pub fn replace_graph<E: Into<Box<dyn std::error::Error + Send + Sync>>>(
        &self,
        graph: NamedNodeRef<'_>,
        quads: impl IntoIterator<Item = Result<Quad, E>>,
    ) -> Result<(), StoreError> {
        self.write_graph(graph, quads, false)
    }

    /// Adds quads from a fallible source to `graph` (created if missing), atomically like
    /// [`Self::replace_graph`].
    pub fn add_to_graph<E: Into<Box<dyn std::error::Error + Send + Sync>>>(
        &self,
        graph: NamedNodeRef<'_>,
        quads: impl IntoIterator<Item = Result<Quad, E>>,
    ) -> Result<(), StoreError> {
        self.write_graph(graph, quads, true)
    }

    fn write_graph<E: Into<Box<dyn std::error::Error + Send + Sync>>>(
        &self,
        graph: NamedNodeRef<'_>,
        quads: impl IntoIterator<Item = Result<Quad, E>>,
        keep_existing: bool,
    ) -> Result<(), StoreError> {
        if !stats::is_document_graph(graph) {
            return Err(StoreError::Protected(graph.into_owned()));
        }
        let mut quads = quads
            .into_iter()
            .map(|quad| {
                let quad = quad.map_err(|e| StoreError::Aborted(e.into()))?;
                Ok(Quad::new(
                    quad.subject,
                    quad.predicate,
                    quad.object,
                    graph.into_owned(),
                ))
            })
            .collect::<Result<Vec<Quad>, StoreError>>()?;
        if keep_existing {
            let existing = self
                .store
                .quads_for_pattern(None, None, None, Some(graph.into()))
                .collect::<Result<Vec<Quad>, _>>()?;
            let mut seen = HashSet::new();
            quads = existing
                .into_iter()
                .chain(quads)
                .filter(|quad| seen.insert(quad.clone()))
                .collect();
        }
        let old = Contribution::stored(&self.store, graph)?;
        let new = Contribution::of(quads.iter().map(Quad::as_ref));
        self.search.begin(Some([graph.as_str()]))?;
        let mut transaction = self.store.start_transaction()?;
        transaction.remove_named_graph(graph)?;
        transaction.insert_named_graph(graph);
        for quad in &quads {
            transaction.insert(quad);
        }
        stats::apply(&mut transaction, graph, &old, &new)?;
        transaction.commit()?;
        self.written_to([graph.as_str()]);
        self.search
            .commit(&self.store, vec![GraphChange::replaced(graph, &quads)]);
        Ok(())
    }

    /// The `limit` nodes from `offset` on whose labels or task text hold the words of
    /// `query`, best first (see [`crate::fulltext::SearchIndex::search`]).
    pub fn search(
        &self,
        query: &str,
        limit: usize,
        offset: usize,
    ) -> Result<crate::fulltext::SearchResults, StoreError> {
        Ok(self
            .search
            .index(&self.store)?
            .search(query, limit, offset)?)
    }

    /// The sha256 recorded for a stored document, if it is stored.
    pub fn document_sha256(&self, key: &str) -> Result<Option<String>, StoreError> {
        let graph = document_graph(key);
        let doc = document_iri(key);
        let mut found = self.store.quads_for_pattern(
            Some(doc.as_ref().into()),
            Some(pol::SHA256),
            None,
            Some(graph.as_ref().into()),
        );
        match found.next() {
            Some(quad) => Ok(match quad?.object {
                Term::Literal(l) => Some(l.value().to_string()),
                _ => None,
            }),
            None => Ok(None),
        }
    }

    fn graph_len(&self, graph: NamedNodeRef<'_>) -> Result<usize, StoreError> {
        let mut n = 0;
        for quad in self
            .store
            .quads_for_pattern(None, None, None, Some(graph.into()))
        {
            quad?;
            n += 1;
        }
        Ok(n)
    }

    /// Whether the store holds the named graph.
    pub fn has_graph(&self, graph: &NamedNode) -> Result<bool, StoreError> {
        Ok(self.store.contains_named_graph(graph)?)
    }

    /// The named graphs, sorted.
    pub fn graphs(&self) -> Result<Vec<NamedNode>, StoreError> {
        let mut out = Vec::new();
        for g in self.store.named_graphs() {
            if let NamedOrBlankNode::NamedNode(n) = g? {
                out.push(n);
            }
        }
        out.sort();
        Ok(out)
    }

    /// Counts of documents, tasks, distinct units and triples per graph, as the statistics
    /// graph keeps them: a few lookups and one per graph, whatever the store holds.
    pub fn stats(&self) -> Result<Stats, StoreError> {
        let totals = stats::totals(&self.store)?;
        let (graphs, _) = self.graph_counts(0, usize::MAX)?;
        Ok(Stats {
            documents: totals.documents as usize,
            tasks: totals.tasks as usize,
            units: totals.units as usize,
            graphs,
        })
    }

    /// The triples of `limit` graphs from the `offset`th, in IRI order (the statistics graph
    /// aside), and how many graphs there are: one lookup per graph given.
    pub fn graph_counts(
        &self,
        offset: usize,
        limit: usize,
    ) -> Result<(Vec<GraphCount>, usize), StoreError> {
        let mut names = self.graphs()?;
        names.retain(|g| g.as_ref() != STATISTICS_GRAPH);
        let total = names.len();
        let mut graphs = Vec::new();
        for g in names.into_iter().skip(offset).take(limit) {
            let triples = if g.as_ref() == REFERENCE_GRAPH {
                self.graph_len(g.as_ref())?
            } else {
                stats::graph_triples(&self.store, &g)? as usize
            };
            graphs.push(GraphCount {
                triples,
                graph: g.into_string(),
            });
        }
        Ok((graphs, total))
    }

    /// The statistics kept: the counts and the numbers behind the cooperation weights.
    pub fn totals(&self) -> Result<Totals, StoreError> {
        Ok(stats::totals(&self.store)?)
    }

    /// An error unless the statistics keep what this version reads from them.
    pub fn require_current_statistics(&self) -> Result<(), StoreError> {
        if self.statistics_current {
            Ok(())
        } else {
            Err(StoreError::OutdatedStatistics)
        }
    }

    /// The smallest value of `property` (a label, a type) in any graph for each of
    /// `subjects` (IRIs), by subject; subjects without it are left out. A unit named by a
    /// thousand documents has a thousand copies of each: through the union of all graphs a
    /// query would join them with each other, and a scan of the index decodes every copy,
    /// a lookup each (1.2 s for 150 units of a 10,000-document store). A query that keeps
    /// the distinct values as stored terms turns only those into text.
    pub fn smallest_values<'a>(
        &self,
        subjects: impl IntoIterator<Item = &'a str>,
        property: NamedNodeRef<'_>,
    ) -> Result<BTreeMap<String, String>, StoreError> {
        let subjects: BTreeSet<&str> = subjects.into_iter().collect();
        let mut smallest: BTreeMap<String, String> = BTreeMap::new();
        let subjects: Vec<NamedNode> = subjects
            .into_iter()
            .filter_map(|s| NamedNode::new(s).ok())
            .collect();
        // Chunks keep each query's text small.
        for chunk in subjects.chunks(256) {
            let values: String = chunk.iter().map(|s| format!("{s} ")).collect();
            let query = format!(
                "SELECT DISTINCT ?s ?v WHERE {{ VALUES ?s {{ {values}}} GRAPH ?g {{ ?s {property} ?v }} }}"
            );
            let results = oxigraph::sparql::SparqlEvaluator::new()
                .parse_query(&query)
                .map_err(|e| StoreError::Lookup(Box::new(e)))?
                .on_store(&self.store)
                .execute()
                .map_err(|e| StoreError::Lookup(Box::new(e)))?;
            let oxigraph::sparql::QueryResults::Solutions(solutions) = results else {
                continue;
            };
            for solution in solutions {
                let solution = solution.map_err(|e| StoreError::Lookup(Box::new(e)))?;
                let (Some(Term::NamedNode(subject)), Some(value)) =
                    (solution.get("s"), solution.get("v"))
                else {
                    continue;
                };
                let value = match value {
                    Term::Literal(l) => l.value().to_string(),
                    Term::NamedNode(n) => n.as_str().to_string(),
                    _ => continue,
                };
                let kept = smallest
                    .entry(subject.as_str().to_string())
                    .or_insert_with(|| value.clone());
                if value < *kept {
                    *kept = value;
                }
            }
        }
        Ok(smallest)
    }

    /// How many document graphs name a unit, as kept: one lookup.
    pub fn unit_graphs(&self, unit: &NamedNode) -> Result<u64, StoreError> {
        Ok(stats::unit_graphs(&self.store, unit)?)
    }

    /// How many tasks two units share, as kept: one lookup.
    pub fn shared_tasks(&self, a: &NamedNode, b: &NamedNode) -> Result<u64, StoreError> {
        let (a, b) = if a.as_str() <= b.as_str() {
            (a, b)
        } else {
            (b, a)
        };
        Ok(stats::shared_tasks(&self.store, a, b)?)
    }

    /// The same counts as [`PolicyStore::stats`], counted from every quad of the store: what
    /// the kept statistics must always equal.
    pub fn counted_stats(&self) -> Result<Stats, StoreError> {
        let (mut documents, mut tasks) = (0, 0);
        let mut units = BTreeSet::new();
        let mut graphs = Vec::new();
        for g in self.graphs()? {
            if g.as_ref() == STATISTICS_GRAPH {
                continue;
            }
            let count = Contribution::stored(&self.store, g.as_ref())?;
            graphs.push(GraphCount {
                triples: count.triples as usize,
                graph: g.as_str().to_string(),
            });
            if stats::is_document_graph(g.as_ref()) {
                documents += count.documents.len();
                tasks += count.tasks as usize;
                units.extend(count.units);
            }
        }
        Ok(Stats {
            documents,
            tasks,
            units: units.len(),
            graphs,
        })
    }

    /// The quads of the statistics graph, sorted.
    pub fn statistics_quads(&self) -> Result<Vec<Quad>, StoreError> {
        let quads = self
            .store
            .quads_for_pattern(None, None, None, Some(STATISTICS_GRAPH.into()))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(sorted(quads))
    }

    /// Counts the statistics anew from every document graph.
    pub fn recount(&self) -> Result<(), StoreError> {
        stats::recount(&self.store)?;
        self.written_to([]);
        Ok(())
    }

    /// Writes the whole store, or one graph, as RDF. Output is sorted, so the same store
    /// always gives the same bytes: dataset formats graph by graph (the default graph, then
    /// the named graphs by name), each sorted; triple formats get the union of all graphs,
    /// sorted as a whole and without duplicates.
    pub fn export(
        &self,
        writer: impl Write,
        format: RdfFormat,
        graph: Option<GraphNameRef<'_>>,
    ) -> Result<(), StoreError> {
        let mut serializer = RdfSerializer::from_format(format);
        for (prefix, iri) in PREFIXES {
            serializer = serializer
                .with_prefix(prefix, iri)
                .expect("the project's prefixes are valid IRIs");
        }
        let mut out = serializer.for_writer(writer);
        let read = |graph: Option<GraphNameRef<'_>>| -> Result<Vec<Quad>, StoreError> {
            let mut quads = Vec::new();
            for quad in self.store.quads_for_pattern(None, None, None, graph) {
                let mut quad = quad?;
                if !format.supports_datasets() {
                    quad.graph_name = GraphName::DefaultGraph;
                }
                quads.push(quad);
            }
            Ok(sorted(quads))
        };
        if graph.is_none() && format.supports_datasets() {
            // Graph by graph, in the order of their names: a corpus is never held, or
            // sorted, all at once (25 M quads took 4 GB and minutes at 10,000 documents).
            for quad in &read(Some(GraphNameRef::DefaultGraph))? {
                out.serialize_quad(quad)?;
            }
            for g in &self.graphs()? {
                for quad in &read(Some(g.as_ref().into()))? {
                    out.serialize_quad(quad)?;
                }
            }
        } else {
            for quad in &read(graph)? {
                out.serialize_quad(quad)?;
            }
        }
        out.finish()?;
        Ok(())
    }
}

/// Quads handed to one of the bulk loader's threads at a time. Each chunk becomes a set of
/// index files; chunks of a few hundred thousand quads keep both cores busy while the next
/// documents are parsed.
const LOAD_CHUNK: usize = 500_000;

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

#[cfg(test)]
mod tests {
    use super::*;
    use policykg_extract::vocab::rdfs;

    #[test]
    fn the_smallest_value_of_each_subject_over_every_graph() {
        let store = PolicyStore::in_memory().expect("store");
        let node = |s: &str| NamedNode::new_unchecked(format!("urn:{s}"));
        let label = |s: &str, value: &str, g: &str| {
            Quad::new(
                node(s),
                rdfs::LABEL,
                oxigraph::model::Literal::new_simple_literal(value),
                node(g),
            )
        };
        for quad in [
            label("unit", "省科技厅", "g1"),
            label("unit", "省 科技厅", "g2"),
            label("unit", "省科技厅", "g3"),
            label("other", "丙", "g1"),
        ] {
            store.oxigraph().insert(&quad).expect("insert");
        }
        let found = store
            .smallest_values(
                ["urn:unit", "urn:other", "urn:none", "not an IRI"],
                rdfs::LABEL,
            )
            .expect("lookup");
        assert_eq!(
            found.into_iter().collect::<Vec<_>>(),
            [
                ("urn:other".to_string(), "丙".to_string()),
                ("urn:unit".to_string(), "省 科技厅".to_string()),
            ]
        );
    }
}
