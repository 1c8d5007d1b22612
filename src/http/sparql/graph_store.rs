//! The Graph Store Protocol: reads of a graph or of the default graph, and, with the update
//! token, writes.

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use oxigraph::io::RdfFormat;
use oxigraph::model::GraphNameRef;

use crate::http::{AppError, AppState, run_page, run_write};
use policykg_store::sparql::ResultFormat;

use super::check_token;
use super::negotiation::negotiate;
use super::protocol::content_type;
use super::protocol::url_pairs;

/// Which graph a Graph Store request names: `?graph=IRI` or `?default`.
pub(super) fn target_graph(
    raw: Option<&str>,
) -> Result<Option<oxigraph::model::NamedNode>, AppError> {
    let pairs = url_pairs(raw)?;
    if let Some((_, iri)) = pairs.iter().find(|(k, _)| k == "graph") {
        return oxigraph::model::NamedNode::new(iri.as_str())
            .map(Some)
            .map_err(|e| AppError::BadRequest(format!("graph {iri}: {e}")));
    }
    if pairs.iter().any(|(k, _)| k == "default") {
        return Ok(None);
    }
    Err(AppError::BadRequest("give ?graph=IRI or ?default".into()))
}

/// GET /store?graph=IRI or /store?default: the graph as RDF.
pub async fn store_get(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let graph = target_graph(raw.as_deref())?;
    let accept = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok());
    let (format, media) = negotiate(accept, None, true)?;
    let ResultFormat::Rdf(rdf) = format else {
        return Err(AppError::NotAcceptable("not an RDF format".into()));
    };
    let bytes = run_page(&state, move |store, _| {
        if let Some(g) = &graph
            && !store.graphs()?.contains(g)
        {
            return Err(AppError::NotFound(format!("no graph {g}")));
        }
        let mut out = Vec::new();
        // `?default` is the store's own default graph, which holds nothing: documents live
        // in named graphs.
        let name = graph
            .as_ref()
            .map_or(GraphNameRef::DefaultGraph, |g| g.as_ref().into());
        store.export(&mut out, rdf, Some(name))?;
        Ok(out)
    })
    .await?;
    Ok(([(header::CONTENT_TYPE, media)], bytes).into_response())
}

/// PUT /store?graph=IRI: replaces the graph with the RDF body (201 when it is new).
pub async fn store_put(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    write_graph(state, raw, headers, body, false).await
}

/// POST /store?graph=IRI: adds the RDF body to the graph (201 when it is new).
pub async fn store_post(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    write_graph(state, raw, headers, body, true).await
}

pub(super) async fn write_graph(
    state: AppState,
    raw: Option<String>,
    headers: HeaderMap,
    body: Bytes,
    keep_existing: bool,
) -> Result<Response, AppError> {
    check_token(&state, &headers)?;
    let Some(graph) = target_graph(raw.as_deref())? else {
        return Err(AppError::BadRequest("writes need ?graph=IRI".into()));
    };
    let media = content_type(&headers);
    let format = RdfFormat::from_media_type(&media).ok_or_else(|| {
        AppError::UnsupportedMediaType(format!(
            "unsupported content type {media:?}: send RDF, e.g. text/turtle"
        ))
    })?;
    let created = run_write(&state, move |store, _| {
        let created = !store.has_graph(&graph)?;
        // Relative IRIs in the body resolve against the graph's own IRI.
        let quads = oxigraph::io::RdfParser::from_format(format)
            .with_base_iri(graph.as_str())
            .map_err(|e| AppError::BadRequest(format!("graph {graph}: {e}")))?
            .for_slice(&body);
        let written = if keep_existing {
            store.add_to_graph(graph.as_ref(), quads)
        } else {
            store.replace_graph(graph.as_ref(), quads)
        };
        written?;
        Ok(created)
    })
    .await?;
    Ok(if created {
        StatusCode::CREATED
    } else {
        StatusCode::NO_CONTENT
    }
    .into_response())
}

/// DELETE /store?graph=IRI: removes the graph.
pub async fn store_delete(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    check_token(&state, &headers)?;
    let Some(graph) = target_graph(raw.as_deref())? else {
        return Err(AppError::BadRequest("writes need ?graph=IRI".into()));
    };
    run_write(&state, move |store, _| {
        Ok(store.remove_graph(graph.as_ref())?)
    })
    .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
