//! SPARQL answers from query workers (see [`policykg_store::sparql::worker`]): the worker's output
//! streamed into the response body, which is aborted when the worker stops short.

use axum::body::{Body, Bytes};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;

use super::answers::Keep;
use crate::http::{AppError, AppState};
use policykg_store::sparql::ResultFormat;
use policykg_store::sparql::worker::{Request, Workers};

/// Answers a query through a worker, streaming its output.
pub async fn run_query(
    state: &AppState,
    workers: &std::sync::Arc<Workers>,
    request: Request,
    keep: Keep,
    choose: impl FnOnce(bool) -> Result<(ResultFormat, String), AppError>,
) -> Result<Response, AppError> {
    let choose = |graph| choose(graph).map_err(|e| e.to_string());
    let mut started = workers.start(&state.runner, &request, choose).await?;
    let media = started.media.clone();
    let (body_tx, body_rx) = mpsc::channel::<Result<Bytes, std::io::Error>>(8);
    let workers = workers.clone();
    let kept_media = media.clone();
    tokio::spawn(async move {
        let mut copy = keep.copy();
        loop {
            match started.next_chunk().await {
                Ok(Some(bytes)) => {
                    copy.add(&bytes);
                    if body_tx.send(Ok(Bytes::from(bytes))).await.is_err() {
                        // The client went away: dropping the worker stops the work.
                        return;
                    }
                }
                Ok(None) => break,
                // The body is aborted, so that the client does not take it for complete.
                Err(stop) => {
                    let message = AppError::from(stop).to_string();
                    let _ = body_tx.send(Err(std::io::Error::other(message))).await;
                    return;
                }
            }
        }
        workers.finished(started);
        copy.keep(kept_media);
    });
    Ok((
        StatusCode::OK,
        [(header::CONTENT_TYPE, media)],
        Body::from_stream(ReceiverStream::new(body_rx)),
    )
        .into_response())
}
