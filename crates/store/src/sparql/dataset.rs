//! What the SPARQL protocol says of an operation besides its text: its base IRI and the
//! graphs it reads.

use oxigraph::sparql::{CancellationToken, QueryDataset, SparqlEvaluator};

use super::{QueryError, evaluator};

/// What the SPARQL protocol says of an operation besides its text: the base IRI that
/// relative IRIs resolve against (a `BASE` in the text wins), and the graphs it reads.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Dataset {
    #[serde(default)]
    pub base: Option<String>,
    /// The graphs (IRIs) whose union is the default graph: `default-graph-uri` for a query,
    /// `using-graph-uri` for an update.
    #[serde(default)]
    pub default_graphs: Vec<String>,
    /// The only named graphs visible: `named-graph-uri` or `using-named-graph-uri`.
    #[serde(default)]
    pub named_graphs: Vec<String>,
}

impl Dataset {
    /// A dataset whose default graph is the union of `graphs`.
    pub fn of_graphs(graphs: &[String]) -> Self {
        Dataset {
            default_graphs: graphs.to_vec(),
            ..Dataset::default()
        }
    }

    fn graph_iris(iris: &[String]) -> Result<Vec<oxigraph::model::GraphName>, QueryError> {
        iris.iter()
            .map(|s| {
                oxigraph::model::NamedNode::new(s.as_str())
                    .map(Into::into)
                    .map_err(|source| QueryError::GraphIri {
                        iri: s.clone(),
                        source,
                    })
            })
            .collect()
    }

    fn named_iris(iris: &[String]) -> Result<Vec<oxigraph::model::NamedOrBlankNode>, QueryError> {
        Self::graph_iris(iris).map(|graphs| {
            graphs
                .into_iter()
                .filter_map(|g| match g {
                    oxigraph::model::GraphName::NamedNode(n) => Some(n.into()),
                    _ => None,
                })
                .collect()
        })
    }

    pub(super) fn is_given(&self) -> bool {
        !self.default_graphs.is_empty() || !self.named_graphs.is_empty()
    }

    /// Sets the protocol's graphs on an operation's dataset.
    pub(super) fn apply(&self, dataset: &mut QueryDataset) -> Result<(), QueryError> {
        if !self.default_graphs.is_empty() {
            dataset.set_default_graph(Self::graph_iris(&self.default_graphs)?);
        }
        if !self.named_graphs.is_empty() {
            dataset.set_available_named_graphs(Self::named_iris(&self.named_graphs)?);
        }
        Ok(())
    }

    pub(super) fn evaluator(
        &self,
        token: CancellationToken,
    ) -> Result<SparqlEvaluator, QueryError> {
        let evaluator = evaluator(token);
        match &self.base {
            Some(base) => {
                evaluator
                    .with_base_iri(base.as_str())
                    .map_err(|source| QueryError::BaseIri {
                        iri: base.clone(),
                        source,
                    })
            }
            None => Ok(evaluator),
        }
    }
}
