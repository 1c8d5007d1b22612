//! The SPARQL 1.1 Protocol: queries by GET, by URL-encoded POST and by direct POST;
//! `default-graph-uri` and `named-graph-uri`; content negotiation with a `format`
//! override; results streamed from a blocking task; a time limit answered with 503;
//! updates only with the bearer token; Graph Store Protocol reads (and writes with it).

//!
//! `protocol.rs` reads a request into an [`Operation`]; `negotiation.rs` chooses the format
//! of the answer; `answers.rs` keeps answers that can be given again; `workers.rs` streams
//! the answers of query workers; `graph_store.rs` serves the Graph Store Protocol.

mod answers;
mod graph_store;
mod negotiation;
mod protocol;
mod workers;

use std::io::Write;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use oxigraph::sparql::QueryResults;
use tokio::sync::{mpsc, oneshot};
use tokio_stream::wrappers::ReceiverStream;

use crate::http::{AppError, AppState, run_write};
use policykg_store::sparql::{
    ChunkWriter, RunError, evaluate_with_dataset, prepare_update, with_first_result, write_results,
};

use answers::{Keep, varies};
pub use graph_store::{store_delete, store_get, store_post, store_put};
use negotiation::negotiate;
use protocol::content_type;
pub use protocol::{Operation, OperationKind, read_operation};

/// GET /sparql?query=…
pub async fn query_get(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let operation = read_operation(true, raw.as_deref(), "", &[])?;
    run_operation(state, operation, &headers).await
}

/// POST /sparql: a URL-encoded form (query or update), or a direct query or update body.
pub async fn post(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    let operation = read_operation(false, raw.as_deref(), &content_type(&headers), &body)?;
    run_operation(state, operation, &headers).await
}

async fn run_operation(
    state: AppState,
    mut operation: Operation,
    headers: &HeaderMap,
) -> Result<Response, AppError> {
    // Relative IRIs resolve against the endpoint's own URL, as the protocol suggests.
    operation.dataset.base = Some(state.endpoint_iri());
    match operation.kind {
        OperationKind::Query => run_query(state, operation, headers).await,
        OperationKind::Update => run_update(state, operation, headers).await,
    }
}

/// Evaluates on a blocking thread. The head (status and content type) is decided once the
/// first result is known, so a query stopped by the time limit is still a 503.
pub(super) async fn run_query(
    state: AppState,
    operation: Operation,
    headers: &HeaderMap,
) -> Result<Response, AppError> {
    let Operation {
        text: query,
        dataset,
        format,
        ..
    } = operation;
    let accept = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let generation = state.store().generation();
    let key = serde_json::json!([
        query,
        accept,
        format,
        dataset.base,
        dataset.default_graphs,
        dataset.named_graphs
    ])
    .to_string();
    if let Some((media, body)) = state.results.get(generation, &key) {
        return Ok(([(header::CONTENT_TYPE, media)], body).into_response());
    }
    state.results.count_made();
    let keep = Keep {
        cache: (!varies(&query)).then(|| state.results.clone()),
        generation,
        key,
    };
    if let Some(workers) = &state.workers {
        let request = policykg_store::sparql::worker::Request { query, dataset };
        return workers::run_query(&state, workers, request, keep, |graph| {
            negotiate(accept.as_deref(), format.as_deref(), graph)
        })
        .await;
    }
    let ticket = state.runner.ticket().await?;
    let token = ticket.token.clone();
    let (head_tx, head_rx) = oneshot::channel::<Result<String, AppError>>();
    let (body_tx, body_rx) = mpsc::channel::<Result<Bytes, std::io::Error>>(8);
    let store = state.store().clone();
    let worker_token = token.clone();
    let abort_tx = body_tx.clone();
    let limit = ticket.limit;
    tokio::task::spawn_blocking(move || {
        let _ticket = ticket;
        let started = std::time::Instant::now();
        let mut head = Some(head_tx);
        let send_head =
            |media: String, head: &mut Option<oneshot::Sender<Result<String, AppError>>>| {
                if let Some(tx) = head.take() {
                    let _ = tx.send(Ok(media));
                }
            };
        let outcome = (|| -> Result<(), AppError> {
            let results = evaluate_with_dataset(&store, &query, worker_token, &dataset)?;
            let graph = matches!(results, QueryResults::Graph(_));
            let (format, media) = negotiate(accept.as_deref(), format.as_deref(), graph)?;
            let media_kept = media.clone();
            let mut copy = keep.copy();
            let writer = ChunkWriter::new(|chunk: Vec<u8>| {
                copy.add(&chunk);
                body_tx
                    .blocking_send(Ok(Bytes::from(chunk)))
                    .map_err(|_| std::io::Error::other("the client went away"))
            });
            // The first result is evaluated before answering, so that errors have their
            // status; the rest is serialised as it is evaluated.
            let results = with_first_result(results)?;
            send_head(media, &mut head);
            let mut writer = writer;
            write_results(results, format, &mut writer).map_err(AppError::from)?;
            writer
                .flush()
                .map_err(policykg_store::sparql::QueryError::from)?;
            drop(writer);
            copy.keep(media_kept);
            Ok(())
        })();
        if let Err(e) = outcome {
            match head.take() {
                // Not answered yet: the error is the answer.
                Some(tx) => {
                    let _ = tx.send(Err(e));
                }
                // Answered: the error aborts the body, so that the client sees a
                // broken response rather than a short one.
                None => {
                    tracing::debug!("query ended with {e}");
                    let _ = abort_tx.blocking_send(Err(std::io::Error::other(e.to_string())));
                }
            }
        }
        // Cancellation is noticed when the store is read; a computation joined entirely in
        // memory only notices at its next read, and held its slot until then.
        let ran = started.elapsed();
        if ran > limit + Duration::from_secs(1) {
            tracing::warn!(
                "a query stopped at the {} s limit ran {:.1} s before its worker noticed",
                limit.as_secs_f64(),
                ran.as_secs_f64()
            );
        }
    });
    let abandoned = policykg_store::sparql::CancelOnDrop::new(token.clone());
    let head = tokio::time::timeout(limit + Duration::from_millis(200), head_rx).await;
    // From here on the body's stream stops the work if the client goes away.
    abandoned.disarm();
    match head {
        Ok(Ok(Ok(media))) => Ok((
            StatusCode::OK,
            [(header::CONTENT_TYPE, media)],
            Body::from_stream(ReceiverStream::new(body_rx)),
        )
            .into_response()),
        // Stopped by the limit, whatever the evaluation said of it.
        Ok(Ok(Err(_)) | Err(_)) if token.is_cancelled() => Err(RunError::TimeLimit(limit).into()),
        Ok(Ok(Err(e))) => Err(e),
        Ok(Err(_)) => Err(AppError::internal("the query's thread stopped")),
        Err(_) => {
            token.cancel();
            Err(RunError::TimeLimit(limit).into())
        }
    }
}

pub(super) fn check_token(state: &AppState, headers: &HeaderMap) -> Result<(), AppError> {
    super::access::check_token(state.update_token.as_ref(), headers)
}

pub(super) async fn run_update(
    state: AppState,
    operation: Operation,
    headers: &HeaderMap,
) -> Result<Response, AppError> {
    check_token(&state, headers)?;
    run_write(&state, move |store, _| {
        let prepared = prepare_update(&operation.text, &operation.dataset)?;
        Ok(store.update(prepared)?)
    })
    .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
