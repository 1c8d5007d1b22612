//! SPARQL over the store: parses a query (the default graph is the union of all graphs
//! unless the query names its own dataset), evaluates it under a cancellation token, and
//! writes the results in the SPARQL result formats, an RDF format, or a terminal table.

use oxigraph::sparql::{
    PreparedSparqlUpdate, QueryEvaluationError, QueryResults, SparqlEvaluator, SparqlSyntaxError,
};

use crate::store::PolicyStore;
use policykg_extract::vocab::PREFIXES;
use policykg_extract::{Classified, ErrorKind};

mod bound;
mod dataset;
mod results;
mod runner;
mod select;
pub mod worker;

pub use dataset::Dataset;
pub use oxigraph::sparql::CancellationToken;
pub use results::{
    ChunkWriter, ResultFormat, plain, rdf_format, rdf_format_names, results_format,
    with_first_result, write_results,
};
pub use runner::{CancelOnDrop, QueryRunner, RunError, Ticket};
pub(crate) use select::evaluate_select;
pub use select::{Query, Select, SelectRequest, Solutions};

use bound::bound_query;
/// Why a query failed.
#[derive(Debug, thiserror::Error)]
pub enum QueryError {
    #[error("SPARQL syntax error: {0}")]
    Syntax(#[from] SparqlSyntaxError),
    #[error("SPARQL syntax error: graph IRI {iri}: {source}")]
    GraphIri {
        iri: String,
        #[source]
        source: oxigraph::model::IriParseError,
    },
    #[error("base IRI {iri}: {source}")]
    BaseIri {
        iri: String,
        #[source]
        source: oxigraph::model::IriParseError,
    },
    /// Graphs given by the protocol to an update that names its own.
    #[error(
        "using-graph-uri and using-named-graph-uri cannot be given with an update that has USING, USING NAMED or WITH"
    )]
    UsingTwice,
    #[error("query evaluation failed: {0}")]
    Evaluation(#[source] QueryEvaluationError),
    #[error("query cancelled: it ran past its time limit")]
    Cancelled,
    /// `SERVICE`: this endpoint does not query other endpoints.
    #[error("SERVICE {0}: federated queries are not offered here; query that endpoint yourself")]
    Service(String),
    #[error("{0} is not a SELECT query")]
    NotSelect(String),
    /// A row that does not fit the struct declared for it: the code's fault.
    #[error("a row of the query does not fit its struct: {0}")]
    Row(String),
    #[error("{format} is not a format for {kind} results; use {allowed}")]
    WrongFormat {
        format: String,
        kind: &'static str,
        allowed: String,
    },
    #[error("cannot write results: {0}")]
    Write(#[from] std::io::Error),
}

impl From<QueryEvaluationError> for QueryError {
    fn from(e: QueryEvaluationError) -> Self {
        match e {
            QueryEvaluationError::Cancelled => QueryError::Cancelled,
            QueryEvaluationError::UnsupportedService(name) => QueryError::Service(name.to_string()),
            QueryEvaluationError::InvalidServiceName(name) => QueryError::Service(name.to_string()),
            QueryEvaluationError::UnboundService => {
                QueryError::Service("with an unbound name".to_string())
            }
            other => QueryError::Evaluation(other),
        }
    }
}

impl Classified for QueryError {
    fn kind(&self) -> ErrorKind {
        match self {
            QueryError::Syntax(_)
            | QueryError::GraphIri { .. }
            | QueryError::BaseIri { .. }
            | QueryError::UsingTwice
            | QueryError::Service(_) => ErrorKind::Invalid,
            QueryError::WrongFormat { .. } => ErrorKind::NotAcceptable,
            QueryError::Cancelled => ErrorKind::TimeLimit,
            QueryError::Evaluation(_)
            | QueryError::NotSelect(_)
            | QueryError::Row(_)
            | QueryError::Write(_) => ErrorKind::Internal,
        }
    }
}

/// An evaluator with the project's prefixes declared.
fn evaluator(token: CancellationToken) -> SparqlEvaluator {
    let mut evaluator = SparqlEvaluator::new().with_cancellation_token(token);
    for (prefix, iri) in PREFIXES {
        evaluator = evaluator
            .with_prefix(prefix, iri)
            .expect("the project's prefixes are valid IRIs");
    }
    evaluator
}

/// Evaluates `query` on the store. Cancel `token` to stop it.
pub fn evaluate<'a>(
    store: &'a PolicyStore,
    query: &str,
    token: CancellationToken,
) -> Result<QueryResults<'a>, QueryError> {
    evaluate_with_dataset(store, query, token, &Dataset::default())
}

/// Evaluates `query` with the SPARQL protocol's dataset and base IRI. With no graphs given
/// and no FROM in the query, the default graph is the union of all graphs.
pub fn evaluate_with_dataset<'a>(
    store: &'a PolicyStore,
    query: &str,
    token: CancellationToken,
    dataset: &Dataset,
) -> Result<QueryResults<'a>, QueryError> {
    let mut prepared = dataset.evaluator(token)?.parse_query(query)?;
    dataset.apply(prepared.dataset_mut())?;
    if prepared.dataset().is_default_dataset() {
        prepared.dataset_mut().set_default_graph_as_union();
    }
    Ok(prepared.on_store(store.oxigraph()).execute()?)
}

/// Parses an update with the project's prefixes and the protocol's base IRI and graphs.
/// Graphs given by the protocol replace the default dataset of each DELETE/INSERT; an
/// operation that names its own (`USING`, `WITH`) cannot also take them.
pub fn prepare_update(update: &str, dataset: &Dataset) -> Result<PreparedSparqlUpdate, QueryError> {
    let mut prepared = dataset
        .evaluator(CancellationToken::new())?
        .parse_update(update)?;
    if dataset.is_given() {
        for using in prepared.using_datasets_mut() {
            if !using.is_default_dataset() {
                return Err(QueryError::UsingTwice);
            }
            dataset.apply(using)?;
        }
    }
    Ok(prepared)
}
