//! The pages' data layer: every page's SPARQL lives in `queries/pages/`, runs in a query
//! slot under the time limit like any other query, and its rows are read into the page's
//! own row structs (values as the plain strings of [`select_bound`]).

use std::sync::Arc;

use oxigraph::model::{NamedNode, Term};
use serde::de::DeserializeOwned;

use crate::http::{AppError, AppState, run_page};
use policykg_extract::vocab::REFERENCE_GRAPH;
use policykg_store::sparql::select_bound_in;

pub const DOCUMENTS: &str = include_str!("queries/documents.rq");
pub const ENTITY_LABEL: &str = include_str!("queries/entity-label.rq");
pub const ENTITY_OUT: &str = include_str!("queries/entity-out.rq");
pub const ENTITY_IN: &str = include_str!("queries/entity-in.rq");
pub const ENTITY_EVIDENCE: &str = include_str!("queries/entity-evidence.rq");
pub const DOCUMENT_TEXT: &str = include_str!("queries/document-text.rq");
pub const DOCUMENT_MARKS: &str = include_str!("queries/document-marks.rq");
pub const DOCUMENT_UNREAD: &str = include_str!("queries/document-unread.rq");

/// An IRI given by a user, refused with a 400 naming the parameter when it is not one.
pub fn iri(parameter: &str, value: &str) -> Result<NamedNode, AppError> {
    NamedNode::new(value).map_err(|e| AppError::BadRequest(format!("{parameter} {value:?}: {e}")))
}

/// A page query's rows as `T`, with `bindings` for its parameters.
pub async fn rows<T: DeserializeOwned + Send + 'static>(
    state: &AppState,
    query: &'static str,
    bindings: Vec<(&'static str, NamedNode)>,
) -> Result<Vec<T>, AppError> {
    rows_of(state, query.to_string(), bindings).await
}

/// One page of a query's rows: `limit` rows after the first `offset`. The whole ordered
/// list is made once per state of the store and each page is cut from it: sorting 10,000
/// documents for every page took 1.4 s.
pub async fn page_of<T: DeserializeOwned + Send + 'static>(
    state: &AppState,
    query: &'static str,
    limit: usize,
    offset: usize,
) -> Result<Vec<T>, AppError> {
    let generation = || state.store().generation();
    let all = state
        .lists
        .get_or_make(generation, query.to_string(), || {
            run_page(state, move |store, token| {
                Ok(Arc::new(select_bound_in(store, query, token, &[], &[])?))
            })
        })
        .await?;
    read(all.iter().skip(offset).take(limit).cloned().collect())
}

/// [`rows`] read from `graphs` only (and the reference graph, for labels): for a page
/// about one document, whatever else the store holds.
pub async fn rows_in<T: DeserializeOwned + Send + 'static>(
    state: &AppState,
    query: &'static str,
    bindings: Vec<(&'static str, NamedNode)>,
    graphs: Vec<String>,
) -> Result<Vec<T>, AppError> {
    rows_of_in(state, query.to_string(), bindings, graphs).await
}

async fn rows_of<T: DeserializeOwned + Send + 'static>(
    state: &AppState,
    query: String,
    bindings: Vec<(&'static str, NamedNode)>,
) -> Result<Vec<T>, AppError> {
    rows_of_in(state, query, bindings, Vec::new()).await
}

async fn rows_of_in<T: DeserializeOwned + Send + 'static>(
    state: &AppState,
    query: String,
    bindings: Vec<(&'static str, NamedNode)>,
    mut graphs: Vec<String>,
) -> Result<Vec<T>, AppError> {
    if !graphs.is_empty() {
        graphs.push(REFERENCE_GRAPH.as_str().to_string());
    }
    run_page(state, move |store, token| {
        let bindings: Vec<(&str, Term)> = bindings
            .into_iter()
            .map(|(name, node)| (name, Term::from(node)))
            .collect();
        read(select_bound_in(store, &query, token, &bindings, &graphs)?)
    })
    .await
}

/// Rows of plain values as `T`: each row an object of strings.
fn read<T: DeserializeOwned>(
    rows: Vec<std::collections::HashMap<String, String>>,
) -> Result<Vec<T>, AppError> {
    rows.into_iter()
        .map(|row| {
            let object: serde_json::Map<String, serde_json::Value> = row
                .into_iter()
                .map(|(k, v)| (k, serde_json::Value::String(v)))
                .collect();
            serde_json::from_value(serde_json::Value::Object(object))
                .map_err(|e| AppError::internal(format!("a page query's row: {e}")))
        })
        .collect()
}
