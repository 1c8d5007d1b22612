//! The web front end (axum): a SPARQL 1.1 Protocol endpoint, Graph Store Protocol reads,
//! graph pages and files of every view, entity, document, search and query pages, a home
//! page and JSON stats. Handlers translate requests into
//! library calls; [`app`] builds the router so tests can drive it without a socket.

mod drawing;
mod error;
mod explore;
mod pages;
mod sparql;
mod workers;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::routing::get;
use axum::serve::ListenerExt;
use tokio::sync::Semaphore;
use tower_http::compression::CompressionLayer;
use tower_http::cors::{Any, CorsLayer};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use crate::store::PolicyStore;
pub use drawing::DrawingCache;
pub use error::AppError;
pub use workers::{Workers, run_worker};

/// Runs store work on a blocking thread.
pub(crate) async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, AppError> + Send + 'static,
) -> Result<T, AppError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
}

/// Collects written bytes and hands them on in chunks of about 16 KiB: the serialisers
/// write small pieces, the response body and the worker pipe want fewer, larger ones.
pub(crate) struct ChunkWriter<F: FnMut(Vec<u8>) -> std::io::Result<()>> {
    send: F,
    buffer: Vec<u8>,
}

impl<F: FnMut(Vec<u8>) -> std::io::Result<()>> ChunkWriter<F> {
    pub(crate) fn new(send: F) -> Self {
        ChunkWriter {
            send,
            buffer: Vec::new(),
        }
    }
}

impl<F: FnMut(Vec<u8>) -> std::io::Result<()>> std::io::Write for ChunkWriter<F> {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.buffer.extend_from_slice(data);
        if self.buffer.len() >= 16 * 1024 {
            self.flush()?;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if !self.buffer.is_empty() {
            (self.send)(std::mem::take(&mut self.buffer))?;
        }
        Ok(())
    }
}

/// How many queries (and graph views) are evaluated at once.
pub const QUERY_SLOTS: usize = 16;

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    pub store: Arc<PolicyStore>,
    /// How long a query may run before it is cancelled and answered with 503.
    pub query_timeout: Duration,
    /// When set, SPARQL Update and Graph Store writes need `Authorization: Bearer` with it.
    pub update_token: Option<String>,
    /// Bounds the queries evaluated at once.
    pub query_slots: Arc<Semaphore>,
    /// Base URL for node links in rendered graphs.
    pub base_url: String,
    /// Drawn graph views, valid while the store does not change.
    pub drawings: Arc<DrawingCache>,
    /// When set, SPARQL queries run in these worker processes, killed at the time limit.
    pub workers: Option<Arc<Workers>>,
}

impl AppState {
    pub fn new(store: PolicyStore, query_timeout: Duration, update_token: Option<String>) -> Self {
        AppState {
            store: Arc::new(store),
            query_timeout,
            update_token,
            query_slots: Arc::new(Semaphore::new(QUERY_SLOTS)),
            base_url: String::new(),
            drawings: Arc::new(DrawingCache::new(256)),
            workers: None,
        }
    }
}

/// Cancels a query's token when the time limit passes, unless dropped first.
pub struct Deadline(tokio::task::JoinHandle<()>);

impl Drop for Deadline {
    fn drop(&mut self) {
        self.0.abort();
    }
}

impl AppState {
    /// Starts the query time limit for `token`, on the runtime's timer (one timer wheel,
    /// not a thread per query).
    pub fn deadline(&self, token: &oxigraph::sparql::CancellationToken) -> Deadline {
        let (token, limit) = (token.clone(), self.query_timeout);
        Deadline(tokio::spawn(async move {
            tokio::time::sleep(limit).await;
            token.cancel();
        }))
    }

    /// A slot to evaluate a query in, waiting at most the query time limit for one.
    pub async fn query_slot(&self) -> Result<tokio::sync::OwnedSemaphorePermit, AppError> {
        match tokio::time::timeout(self.query_timeout, self.query_slots.clone().acquire_owned())
            .await
        {
            Ok(Ok(permit)) => Ok(permit),
            Ok(Err(_)) => Err(AppError::Internal("query slots closed".into())),
            Err(_) => Err(AppError::Timeout(format!(
                "the server is busy: no query slot came free within {} s",
                self.query_timeout.as_secs_f64()
            ))),
        }
    }
}

/// The router with all routes and layers.
pub fn app(state: AppState) -> Router {
    let cors = CorsLayer::new()
        .allow_origin(Any)
        .allow_methods(Any)
        .allow_headers(Any);
    Router::new()
        .route("/", get(pages::home))
        .route("/health", get(pages::health))
        .route("/api/stats", get(pages::stats))
        .route("/graph/{file}", get(pages::graph_file))
        .route("/entity", get(explore::entity))
        .route("/doc/{key}", get(explore::document))
        .route("/search", get(explore::search))
        .route("/query", get(explore::query_page))
        .route(
            "/sparql",
            get(sparql::query_get)
                .post(sparql::post)
                .options(|| async { axum::http::StatusCode::NO_CONTENT }),
        )
        .route(
            "/store",
            get(sparql::store_get)
                .put(sparql::store_put)
                .delete(sparql::store_delete),
        )
        .layer(RequestBodyLimitLayer::new(16 * 1024 * 1024))
        // A net under the limits of each stage: no request waits for its answer longer
        // than a query and a rendering may take. Streamed bodies are not cut by it.
        .layer(TimeoutLayer::with_status_code(
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            state.query_timeout + drawing::RENDER_LIMIT + Duration::from_secs(5),
        ))
        .layer(CompressionLayer::new())
        .layer(cors)
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// Serves until Ctrl-C or SIGTERM, then finishes the requests in flight.
pub async fn serve(state: AppState, bind: SocketAddr) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(bind).await?;
    let address = listener.local_addr()?;
    // Results stream in several writes; without NODELAY the later ones wait for the
    // client's delayed ACK (~40 ms each).
    let listener = listener.tap_io(|tcp| {
        if let Err(e) = tcp.set_nodelay(true) {
            tracing::debug!("cannot set TCP_NODELAY: {e}");
        }
    });
    tracing::info!("policykg explorer listening on http://{address}");
    println!("policykg explorer listening on http://{address}");
    axum::serve(listener, app(state))
        .with_graceful_shutdown(shutdown_signal())
        .await
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
