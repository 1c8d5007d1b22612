//! Pages and files: the home page (maud templates, so every string is escaped), health and
//! stats as JSON, and the files of every graph view (`/graph/cooperation.svg` …) with the
//! view's filters as query parameters.

use std::collections::HashMap;

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use maud::html;
use oxigraph::sparql::CancellationToken;

use super::drawing::{FORMATS, view_file};
use super::explore::page;
use super::{AppError, AppState, QUERY_SLOTS, blocking};
use crate::graph::VIEW_NAMES;
use crate::sparql::select_rows;

const DOCUMENTS: &str = "SELECT ?doc ?title ?number ?date (COUNT(DISTINCT ?task) AS ?tasks) WHERE { \
    ?doc a pol:Document ; rdfs:label ?title . OPTIONAL { ?doc dcterms:identifier ?number } \
    OPTIONAL { ?doc dcterms:issued ?date } OPTIONAL { ?doc pol:hasTask ?task } } \
    GROUP BY ?doc ?title ?number ?date ORDER BY ?title";

/// GET /: the documents in the store, counts, and links to the views and the endpoint.
pub async fn home(State(state): State<AppState>) -> Result<Html<String>, AppError> {
    let store = state.store.clone();
    let (stats, documents) = blocking(move || {
        let documents = select_rows(&store, DOCUMENTS, CancellationToken::new())?;
        Ok((store.stats()?, documents))
    })
    .await?;
    let get = |row: &HashMap<String, String>, key: &str| row.get(key).cloned().unwrap_or_default();
    Ok(page(
        "policykg",
        html! {
            p { (stats.documents) " documents · " (stats.tasks) " tasks · " (stats.units) " units" }
            h2 { "Documents 文件" }
            table id="documents" {
                tr { th { "title" } th { "文号" } th { "date" } th { "tasks" } }
                @for d in &documents {
                    tr {
                        td { a href={ "/doc/" (get(d, "doc").rsplit('/').next().unwrap_or("")) } { (get(d, "title")) } }
                        td { (get(d, "number")) } td { (get(d, "date")) } td { (get(d, "tasks")) }
                    }
                }
            }
            h2 { "Graphs 关系图" }
            ul {
                @for view in ["dependency", "cooperation", "strategy", "region"] {
                    li {
                        a href={ "/graph/" (view) } { (view) } " · "
                        @for (format, _) in FORMATS {
                            a href={ "/graph/" (view) "." (format) } { (format) } " "
                        }
                    }
                }
                li { a href="/graph/ego" { "ego" } ", " a href="/graph/path" { "path" } " and "
                     a href="/graph/construct" { "construct" } " take a node, two nodes or a query" }
            }
            h2 { "SPARQL" }
            ul {
                li { a href="/query" { "query page" } " with the named queries" }
                li { "endpoint " code { "/sparql" } " (SPARQL 1.1 Protocol, for any client)" }
                li { "graphs " code { "/store?graph=IRI" } " (Graph Store Protocol)" }
                li { a href="/api/stats" { "/api/stats" } " · " a href="/health" { "/health" } }
            }
        },
    ))
}

/// GET /health: up, and how many queries hold an evaluation slot. A query stopped at its
/// time limit keeps its slot until its worker has noticed (see `run_query`).
pub async fn health(State(state): State<AppState>) -> Json<serde_json::Value> {
    Json(serde_json::json!({
        "status": "ok",
        "queries_running": QUERY_SLOTS.saturating_sub(state.query_slots.available_permits()),
        "query_slots": QUERY_SLOTS,
    }))
}

/// GET /api/stats
pub async fn stats(State(state): State<AppState>) -> Result<Json<serde_json::Value>, AppError> {
    let store = state.store.clone();
    let stats = blocking(move || Ok(store.stats()?)).await?;
    Ok(Json(serde_json::json!({
        "documents": stats.documents,
        "tasks": stats.tasks,
        "units": stats.units,
        "drawings": {"cached": state.drawings.len(), "drawn": state.drawings.drawn()},
        "graphs": stats.graphs.iter().map(|g| serde_json::json!({"graph": g.graph, "triples": g.triples})).collect::<Vec<_>>(),
    })))
}

/// GET /graph/{view}.{dot|svg|png|pdf|graphml|json}?document=…&min_weight=…
pub async fn graph_file(
    State(state): State<AppState>,
    Path(file): Path<String>,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let Some((view_name, format)) = file.rsplit_once('.') else {
        if !VIEW_NAMES.contains(&file.as_str()) {
            return Err(AppError::NotFound(format!("no view {file}")));
        }
        return Ok(super::explore::graph_page(state, file, params)
            .await?
            .into_response());
    };
    if !VIEW_NAMES.contains(&view_name) {
        return Err(AppError::NotFound(format!("no view {view_name}")));
    }
    let bytes = view_file(&state, view_name, format, &params).await?;
    let media = FORMATS
        .iter()
        .find(|(f, _)| *f == format)
        .map_or("application/octet-stream", |(_, m)| m);
    Ok(([(header::CONTENT_TYPE, media)], bytes).into_response())
}
