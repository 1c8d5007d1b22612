//! Pages and files: the home page (maud templates, so every string is escaped), health and
//! stats as JSON, and the files of every graph view (`/graph/cooperation.svg` …) with the
//! view's filters as query parameters.

use std::collections::HashMap;
use std::time::Duration;

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use maud::{DOCTYPE, html};
use oxigraph::sparql::{CancellationToken, QueryResults};

use super::{AppError, AppState};
use crate::graph::{VIEW_NAMES, build_view};
use crate::render::{DotOptions, default_engine, render, to_dot, to_graphml};
use crate::sparql::{evaluate, plain};

const DOCUMENTS: &str = "SELECT ?doc ?title ?number ?date (COUNT(DISTINCT ?task) AS ?tasks) WHERE { \
    ?doc a pol:Document ; rdfs:label ?title . OPTIONAL { ?doc dcterms:identifier ?number } \
    OPTIONAL { ?doc dcterms:issued ?date } OPTIONAL { ?doc pol:hasTask ?task } } \
    GROUP BY ?doc ?title ?number ?date ORDER BY ?title";

/// GET /: the documents in the store, counts, and links to the views and the endpoint.
pub async fn home(State(state): State<AppState>) -> Result<Html<String>, AppError> {
    let store = state.store.clone();
    let (stats, documents) = tokio::task::spawn_blocking(move || -> Result<_, AppError> {
        let stats = store.stats()?;
        let mut documents = Vec::new();
        if let QueryResults::Solutions(solutions) =
            evaluate(&store, DOCUMENTS, CancellationToken::new())?
        {
            for s in solutions {
                let s = s.map_err(|e| AppError::Internal(e.to_string()))?;
                let get = |v: &str| s.get(v).map(plain).unwrap_or_default();
                documents.push((get("title"), get("number"), get("date"), get("tasks")));
            }
        }
        Ok((stats, documents))
    })
    .await
    .map_err(|e| AppError::Internal(e.to_string()))??;
    let page = html! {
        (DOCTYPE)
        html lang="zh" {
            head {
                meta charset="utf-8";
                title { "policykg" }
            }
            body {
                h1 { "policykg" }
                p { (stats.documents) " documents · " (stats.tasks) " tasks · " (stats.units) " units" }
                h2 { "Documents" }
                table {
                    tr { th { "title" } th { "文号" } th { "date" } th { "tasks" } }
                    @for (title, number, date, tasks) in &documents {
                        tr { td { (title) } td { (number) } td { (date) } td { (tasks) } }
                    }
                }
                h2 { "Graphs" }
                ul {
                    @for view in ["dependency", "cooperation", "strategy", "region"] {
                        li {
                            (view) ": "
                            @for format in ["svg", "dot", "png", "graphml", "json"] {
                                a href={ "/graph/" (view) "." (format) } { (format) } " "
                            }
                        }
                    }
                }
                h2 { "SPARQL" }
                p { "Endpoint: " code { "/sparql" } " (SPARQL 1.1 Protocol); graphs: " code { "/store?graph=IRI" } }
                form action="/sparql" method="get" {
                    textarea name="query" rows="6" cols="80" {
                        "SELECT ?unit (COUNT(?t) AS ?tasks) WHERE { ?t pol:leadUnit/rdfs:label ?unit } GROUP BY ?unit ORDER BY DESC(?tasks)"
                    }
                    br;
                    select name="format" {
                        @for f in ["json", "xml", "csv", "tsv"] { option value=(f) { (f) } }
                    }
                    button type="submit" { "Run" }
                }
            }
        }
    };
    Ok(Html(page.into_string()))
}

/// GET /health
pub async fn health() -> Json<serde_json::Value> {
    Json(serde_json::json!({"status": "ok"}))
}

/// GET /api/stats
pub async fn stats(State(state): State<AppState>) -> Result<Json<serde_json::Value>, AppError> {
    let store = state.store.clone();
    let stats = tokio::task::spawn_blocking(move || store.stats())
        .await
        .map_err(|e| AppError::Internal(e.to_string()))??;
    Ok(Json(serde_json::json!({
        "documents": stats.documents,
        "tasks": stats.tasks,
        "units": stats.units,
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
    let media = match format {
        "dot" => "text/vnd.graphviz; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "pdf" => "application/pdf",
        "graphml" => "application/graphml+xml",
        "json" => "application/json",
        other => {
            return Err(AppError::NotFound(format!(
                "no format {other}: use dot, svg, png, pdf, graphml or json"
            )));
        }
    };
    let options = super::explore::view_options(&params)?;
    let store = state.store.clone();
    let name = view_name.to_string();
    let format = format.to_string();
    let base_url = state.base_url.clone();
    let bytes = tokio::task::spawn_blocking(move || -> Result<Vec<u8>, AppError> {
        let view = build_view(&store, &name, &options)?;
        let dot = || {
            to_dot(
                &view,
                &DotOptions {
                    base_url: base_url.clone(),
                    ..DotOptions::default()
                },
            )
        };
        Ok(match format.as_str() {
            "json" => serde_json::to_vec_pretty(&view.to_json())
                .map_err(|e| AppError::Internal(e.to_string()))?,
            "graphml" => to_graphml(&view),
            "dot" => dot().into_bytes(),
            image => render(
                &dot(),
                image,
                default_engine(&name),
                Duration::from_secs(60),
            )?,
        })
    })
    .await
    .map_err(|e| AppError::Internal(e.to_string()))??;
    Ok(([(header::CONTENT_TYPE, media)], bytes).into_response())
}
