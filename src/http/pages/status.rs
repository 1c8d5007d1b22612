//! `/health` and `/api/stats`: whether the server is up and how busy, and the store's counts.

use axum::Json;
use axum::extract::{Query, State};
use serde::Deserialize;

use crate::http::{AppError, AppState, run_page};

/// GET /health: up, and how many queries hold an evaluation slot. A query stopped at its
/// time limit keeps its slot until its thread has noticed.
pub async fn health(State(state): State<AppState>) -> Json<serde_json::Value> {
    Json(serde_json::json!({
        "status": "ok",
        "queries_running": state.runner.running(),
        "query_slots": state.runner.capacity(),
    }))
}

/// How many graphs `/api/stats` lists unless asked, and at most.
const GRAPHS_PER_PAGE: usize = 100;
const MAX_GRAPHS_PER_PAGE: usize = 10_000;

#[derive(Deserialize)]
pub struct StatsParams {
    /// The first graph listed, from 0.
    #[serde(default)]
    offset: usize,
    /// How many graphs are listed.
    #[serde(default)]
    limit: Option<usize>,
}

/// GET /api/stats?offset=N&limit=M: the counts, the caches, and a page of the graphs with
/// their triples (a corpus of 10,000 documents listed them all in 638 kB).
pub async fn stats(
    State(state): State<AppState>,
    Query(params): Query<StatsParams>,
) -> Result<Json<serde_json::Value>, AppError> {
    let limit = params.limit.unwrap_or(GRAPHS_PER_PAGE);
    if limit > MAX_GRAPHS_PER_PAGE {
        return Err(AppError::BadRequest(format!(
            "parameter limit: {limit} graphs asked, at most {MAX_GRAPHS_PER_PAGE} at a time"
        )));
    }
    let offset = params.offset;
    let (totals, (graphs, graphs_total)) = run_page(&state, move |store, _| {
        Ok((store.totals()?, store.graph_counts(offset, limit)?))
    })
    .await?;
    let mut body = serde_json::json!({
        "documents": totals.documents,
        "tasks": totals.tasks,
        "units": totals.units,
        "drawings": {"cached": state.drawings.len(), "drawn": state.drawings.made()},
        "query_results": {"cached": state.results.len(), "evaluated": state.results.made()},
        "graphs_total": graphs_total,
        "graphs": graphs.iter().map(|g| serde_json::json!({"graph": g.graph, "triples": g.triples})).collect::<Vec<_>>(),
    });
    if offset.saturating_add(limit) < graphs_total {
        body["graphs_next"] = format!("/api/stats?offset={}&limit={limit}", offset + limit).into();
    }
    Ok(Json(body))
}
