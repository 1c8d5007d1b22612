//! The store seam: views read through `Backend`, so a backend other than the embedded store
//! serves them. A backend that records what it is asked shows both that a view is the same
//! through it and that a view of one document asks for that document's graph alone.

use std::collections::BTreeMap;
use std::sync::Mutex;

use oxigraph::model::{NamedNode, NamedNodeRef};
use oxigraph::sparql::QueryResults;
use policykg_extract::link::Gazetteer;
use policykg_extract::vocab::{REFERENCE_GRAPH, document_graph};
use policykg_store::sparql::{CancellationToken, QueryError, SelectRequest, Solutions};
use policykg_store::{Backend, PolicyStore, StoreError, Totals};
use policykg_views::graph::{ViewKind, ViewOptions, analyze};
use policykg_views::render::{DotOptions, to_dot};

use crate::util;

/// The embedded store behind another backend that writes down the graphs of each SELECT
/// (`None`: all of them).
struct Recording {
    store: PolicyStore,
    asked: Mutex<Vec<Option<Vec<String>>>>,
}

impl Backend for Recording {
    fn solutions(&self, request: &SelectRequest<'_>) -> Result<Solutions, QueryError> {
        self.asked
            .lock()
            .expect("not poisoned")
            .push(request.graphs.clone());
        self.store.solutions(request)
    }

    fn evaluate(
        &self,
        query: &str,
        token: CancellationToken,
    ) -> Result<QueryResults<'_>, QueryError> {
        Backend::evaluate(&self.store, query, token)
    }

    fn has_graph(&self, graph: &NamedNode) -> Result<bool, StoreError> {
        self.store.has_graph(graph)
    }

    fn totals(&self) -> Result<Totals, StoreError> {
        self.store.totals()
    }

    fn require_current_statistics(&self) -> Result<(), StoreError> {
        self.store.require_current_statistics()
    }

    fn unit_graphs(&self, unit: &NamedNode) -> Result<u64, StoreError> {
        self.store.unit_graphs(unit)
    }

    fn shared_tasks(&self, a: &NamedNode, b: &NamedNode) -> Result<u64, StoreError> {
        self.store.shared_tasks(a, b)
    }

    fn smallest_values(
        &self,
        subjects: &[&str],
        property: NamedNodeRef<'_>,
    ) -> Result<BTreeMap<String, String>, StoreError> {
        Backend::smallest_values(&self.store, subjects, property)
    }
}

fn seed_store() -> PolicyStore {
    let store = policykg_store::memory_store(Gazetteer::builtin()).expect("store");
    store.ingest(&util::seed()).expect("ingest");
    store
}

fn dot(backend: &dyn Backend, kind: ViewKind, options: &ViewOptions) -> String {
    let view = kind
        .build(backend, options, CancellationToken::new())
        .unwrap_or_else(|e| panic!("{kind}: {e}"));
    to_dot(&view, &analyze(&view), &DotOptions::default())
}

#[test]
fn every_view_is_the_same_through_another_backend_and_one_document_reads_its_graph_only() {
    let recording = Recording {
        store: seed_store(),
        asked: Mutex::new(Vec::new()),
    };
    let direct = seed_store();
    let of_the_seed = ViewOptions {
        document: Some("liaoning-2021-1".into()),
        focus: Some("省科技厅".into()),
        from: Some("省科技厅".into()),
        to: Some("粤港澳大湾区建设".into()),
        query: Some("CONSTRUCT { ?s ?p ?o } WHERE { ?s a pol:Task ; ?p ?o } LIMIT 50".into()),
        ..ViewOptions::default()
    };
    for &kind in ViewKind::ALL {
        recording.asked.lock().expect("not poisoned").clear();
        assert_eq!(
            dot(&recording, kind, &of_the_seed),
            dot(&direct, kind, &of_the_seed),
            "{kind}"
        );
        if kind.spec().scope == policykg_views::graph::Scope::OneDocument {
            let graphs = vec![
                document_graph("liaoning-2021-1").into_string(),
                REFERENCE_GRAPH.as_str().to_string(),
            ];
            let asked = recording.asked.lock().expect("not poisoned").clone();
            assert!(!asked.is_empty(), "{kind} asked nothing");
            for request in asked {
                // A lookup of the document by its title or 文号 reads every graph; its key
                // needs none.
                assert_eq!(request.as_ref(), Some(&graphs), "{kind}");
            }
        }
    }
}
