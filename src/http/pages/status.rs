//! `/health` and `/api/stats`: whether the server is up and how busy, and the store's counts.

use axum::Json;
use axum::extract::State;

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

/// GET /api/stats
pub async fn stats(State(state): State<AppState>) -> Result<Json<serde_json::Value>, AppError> {
    let stats = run_page(&state, |store, _| Ok(store.stats()?)).await?;
    Ok(Json(serde_json::json!({
        "documents": stats.documents,
        "tasks": stats.tasks,
        "units": stats.units,
        "drawings": {"cached": state.drawings.len(), "drawn": state.drawings.made()},
        "query_results": {"cached": state.results.len(), "evaluated": state.results.made()},
        "graphs": stats.graphs.iter().map(|g| serde_json::json!({"graph": g.graph, "triples": g.triples})).collect::<Vec<_>>(),
    })))
}
