//! Writes: documents entirely or not at all, graphs, SPARQL updates, reference data, and
//! the statistics counted anew; each keeps the statistics and the search index in step.

use std::collections::{HashMap, HashSet};

use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{BlankNode, NamedNodeRef, NamedOrBlankNode, Quad, Term};

use policykg_extract::model::ParsedDocument;
use policykg_extract::rdf::{document_quad_set, sorted};
use policykg_extract::vocab::REFERENCE_GRAPH;
use policykg_extract::vocab::{document_graph, document_key};

use super::index::GraphChange;
use super::stats;
use super::*;

impl PolicyStore {
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

    /// Replaces documents already stored (or stores them, when their key comes twice), in
    /// transactions of the whole graph.
    pub(super) fn replace_all<'d>(
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

    pub(super) fn write_graph<E: Into<Box<dyn std::error::Error + Send + Sync>>>(
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

    /// Counts the statistics anew from every document graph.
    pub fn recount(&self) -> Result<(), StoreError> {
        stats::recount(&self.store)?;
        self.written_to([]);
        Ok(())
    }
}
