//! What the views and the pages read from a store, whatever holds it. The embedded
//! [`PolicyStore`] is one backend; a SPARQL server reached over HTTP can be another: every
//! method is a SPARQL query or an answer the statistics graph keeps.

use std::collections::BTreeMap;

use oxigraph::model::{NamedNode, NamedNodeRef};
use oxigraph::sparql::{CancellationToken, QueryResults};

use crate::sparql::{QueryError, SelectRequest, Solutions, evaluate, evaluate_select};
use crate::store::{PolicyStore, StoreError, Totals};

/// A store that views and pages can read.
pub trait Backend: Send + Sync {
    /// The solutions of a SELECT (see [`Select`](crate::sparql::Select)), in the order the
    /// backend gives them.
    fn solutions(&self, request: &SelectRequest<'_>) -> Result<Solutions, QueryError>;

    /// Any query — a user's CONSTRUCT, DESCRIBE, SELECT or ASK — over the union of all
    /// graphs, stopped when `token` is cancelled.
    fn evaluate(
        &self,
        query: &str,
        token: CancellationToken,
    ) -> Result<QueryResults<'_>, QueryError>;

    /// Whether the store holds this named graph.
    fn has_graph(&self, graph: &NamedNode) -> Result<bool, StoreError>;

    /// The counts the statistics graph keeps: documents, tasks, units.
    fn totals(&self) -> Result<Totals, StoreError>;

    /// An error when the statistics graph is behind the documents (views drawn from the
    /// kept weights would be wrong).
    fn require_current_statistics(&self) -> Result<(), StoreError>;

    /// In how many document graphs the statistics say `unit` is named.
    fn unit_graphs(&self, unit: &NamedNode) -> Result<u64, StoreError>;

    /// How many tasks the statistics say units `a` and `b` share.
    fn shared_tasks(&self, a: &NamedNode, b: &NamedNode) -> Result<u64, StoreError>;

    /// For each of `subjects` (IRIs), the smallest value of `property` in any graph.
    fn smallest_values(
        &self,
        subjects: &[&str],
        property: NamedNodeRef<'_>,
    ) -> Result<BTreeMap<String, String>, StoreError>;
}

impl Backend for PolicyStore {
    fn solutions(&self, request: &SelectRequest<'_>) -> Result<Solutions, QueryError> {
        evaluate_select(self, request)
    }

    fn evaluate(
        &self,
        query: &str,
        token: CancellationToken,
    ) -> Result<QueryResults<'_>, QueryError> {
        evaluate(self, query, token)
    }

    fn has_graph(&self, graph: &NamedNode) -> Result<bool, StoreError> {
        PolicyStore::has_graph(self, graph)
    }

    fn totals(&self) -> Result<Totals, StoreError> {
        PolicyStore::totals(self)
    }

    fn require_current_statistics(&self) -> Result<(), StoreError> {
        PolicyStore::require_current_statistics(self)
    }

    fn unit_graphs(&self, unit: &NamedNode) -> Result<u64, StoreError> {
        PolicyStore::unit_graphs(self, unit)
    }

    fn shared_tasks(&self, a: &NamedNode, b: &NamedNode) -> Result<u64, StoreError> {
        PolicyStore::shared_tasks(self, a, b)
    }

    fn smallest_values(
        &self,
        subjects: &[&str],
        property: NamedNodeRef<'_>,
    ) -> Result<BTreeMap<String, String>, StoreError> {
        PolicyStore::smallest_values(self, subjects.iter().copied(), property)
    }
}
