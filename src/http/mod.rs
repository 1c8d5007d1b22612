//! The web front end (axum): a SPARQL 1.1 Protocol endpoint, Graph Store Protocol reads,
//! graph pages and files of every view, entity, document, search and query pages, a home
//! page and JSON stats. Handlers translate requests into
//! library calls; [`app`] builds the router so tests can drive it without a socket.

mod access;
mod cache;
mod drawing;
mod error;
mod pages;
mod sparql;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::routing::get;
use axum::serve::ListenerExt;
use oxigraph::sparql::CancellationToken;
use tower_http::compression::CompressionLayer;
use tower_http::cors::{Any, CorsLayer};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use crate::ingest::ingest_paths;
pub use access::{TokenError, UpdateToken};
pub use cache::GenerationCache;
pub use error::{AppError, status};
use policykg_extract::Gazetteer;
use policykg_extract::ParseError;
use policykg_store::open_store;
use policykg_store::sparql::QueryRunner;
use policykg_store::sparql::worker::Workers;
use policykg_store::{PolicyStore, StoreError};
pub use sparql::{Operation, OperationKind, read_operation};

/// How many queries (and graph views and pages) are evaluated at once: twice the cores, at
/// least 4. With 16 on two cores, 64 clients of a 1,000-document store made every query
/// run at an eighth of a core, past its limit, while the server grew to 4 GB; fewer run
/// at full speed and the rest wait for a slot (503 "busy" after the limit).
pub fn query_slots() -> usize {
    std::thread::available_parallelism()
        .map_or(4, |n| n.get() * 2)
        .max(4)
}

/// What each cache of answers may hold (see [`GenerationCache`]): bounded by count alone,
/// 1,024 kept results of a few megabytes each could hold gigabytes.
const MB: usize = 1 << 20;

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    /// The store, behind the time limit and the query slots.
    pub runner: Arc<QueryRunner>,
    /// When set, SPARQL Update and Graph Store writes need `Authorization: Bearer` with it.
    pub update_token: Option<UpdateToken>,
    /// Base URL for node links in rendered graphs.
    pub base_url: String,
    /// Drawn graph views, valid while the store does not change.
    pub drawings: Arc<GenerationCache<Bytes>>,
    /// Built graph views, which every format of a drawing is rendered from.
    pub views: Arc<GenerationCache<Arc<policykg_views::graph::View>>>,
    /// Results of SPARQL queries (media type and body), valid while the store does not
    /// change.
    pub results: Arc<GenerationCache<(String, Bytes)>>,
    /// Whole ordered lists the pages show a page of at a time (the documents).
    pub lists: Arc<GenerationCache<Arc<policykg_store::sparql::Solutions>>>,
    /// When set, SPARQL queries run in these worker processes, killed at the time limit.
    pub workers: Option<Arc<Workers>>,
    /// The pages' own slots (home, statistics, documents, entities, search, Graph Store
    /// reads): their queries are small, and they must not wait behind users' queries.
    pub pages: Arc<QueryRunner>,
    /// One slot for writes, which the store takes one at a time anyway: an update does not
    /// wait behind the queries.
    pub writes: Arc<QueryRunner>,
}

impl AppState {
    pub fn new(
        store: PolicyStore,
        query_timeout: Duration,
        update_token: Option<UpdateToken>,
    ) -> Self {
        let store = Arc::new(store);
        AppState {
            runner: Arc::new(QueryRunner::new(
                store.clone(),
                query_timeout,
                query_slots(),
            )),
            pages: Arc::new(QueryRunner::new(
                store.clone(),
                query_timeout,
                query_slots(),
            )),
            writes: Arc::new(QueryRunner::new(store, query_timeout, 1)),
            update_token,
            base_url: String::new(),
            drawings: Arc::new(GenerationCache::new(256, 64 * MB)),
            views: Arc::new(GenerationCache::new(32, 64 * MB)),
            results: Arc::new(GenerationCache::new(1024, 64 * MB)),
            lists: Arc::new(GenerationCache::new(8, 32 * MB)),
            workers: None,
        }
    }

    pub fn store(&self) -> &Arc<PolicyStore> {
        self.runner.store()
    }

    /// The endpoint's URL, the base IRI of protocol queries and updates.
    pub fn endpoint_iri(&self) -> String {
        let base = if self.base_url.is_empty() {
            "http://localhost"
        } else {
            self.base_url.as_str()
        };
        format!("{base}/sparql")
    }

    /// How long a query may run before it is stopped and answered with 503.
    pub fn query_timeout(&self) -> Duration {
        self.runner.limit()
    }
}

/// Runs store work under the time limit, in a query slot.
pub(crate) async fn run<T: Send + 'static>(
    state: &AppState,
    work: impl FnOnce(&PolicyStore, CancellationToken) -> Result<T, AppError> + Send + 'static,
) -> Result<T, AppError> {
    state.runner.run(work).await
}

/// [`run`] in one of the pages' slots.
pub(crate) async fn run_page<T: Send + 'static>(
    state: &AppState,
    work: impl FnOnce(&PolicyStore, CancellationToken) -> Result<T, AppError> + Send + 'static,
) -> Result<T, AppError> {
    state.pages.run(work).await
}

/// [`run`] in the slot of writes.
pub(crate) async fn run_write<T: Send + 'static>(
    state: &AppState,
    work: impl FnOnce(&PolicyStore, CancellationToken) -> Result<T, AppError> + Send + 'static,
) -> Result<T, AppError> {
    state.writes.run(work).await
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
        .route("/matrix", get(pages::matrix_page))
        .route("/compare", get(pages::compare_page))
        .route("/compare.csv", get(pages::compare_csv))
        .route("/compare.svg", get(pages::compare_svg))
        .route("/compare.dot", get(pages::compare_dot))
        .route("/matrix.csv", get(pages::matrix_csv))
        .route("/matrix.xlsx", get(pages::matrix_xlsx))
        .route("/matrix.svg", get(pages::matrix_svg))
        .route("/matrix.json", get(pages::matrix_json))
        .route("/entity", get(pages::entity))
        .route("/doc/{key}", get(pages::document))
        .route("/search", get(pages::search))
        .route("/api/search", get(pages::search_api))
        .route("/query", get(pages::query_page))
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
                .post(sparql::store_post)
                .delete(sparql::store_delete),
        )
        .layer(RequestBodyLimitLayer::new(16 * 1024 * 1024))
        // A net under the limits of each stage: no request waits for its answer longer
        // than a query and a rendering may take. Streamed bodies are not cut by it.
        .layer(TimeoutLayer::with_status_code(
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            state.query_timeout() + drawing::RENDER_LIMIT + Duration::from_secs(5),
        ))
        // The net answers with an empty body: it gets a message like every other error.
        .layer(axum::middleware::map_response(explain_timeout))
        .layer(CompressionLayer::new())
        .layer(cors)
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

async fn explain_timeout(response: axum::response::Response) -> axum::response::Response {
    use axum::body::HttpBody;
    use axum::response::IntoResponse;
    if response.status() == axum::http::StatusCode::SERVICE_UNAVAILABLE
        && response.body().size_hint().exact() == Some(0)
    {
        return (
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            "the request took longer than the server allows and was stopped; try a narrower one\n",
        )
            .into_response();
    }
    response
}

/// How to start the explorer.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub store: PathBuf,
    pub bind: SocketAddr,
    /// Documents to ingest when the store holds none.
    pub data: PathBuf,
    pub query_timeout: Duration,
    pub update_token: Option<UpdateToken>,
    /// Evaluate SPARQL queries in worker processes (this program's `query-worker`).
    pub isolate_queries: bool,
}

/// Why the explorer could not start or stopped.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Documents(#[from] ParseError),
    #[error("cannot serve: {0}")]
    Io(#[from] std::io::Error),
}

/// How long a stopping server waits for blocking work still running.
const SHUTDOWN_WAIT: Duration = Duration::from_secs(5);

/// Opens the store (ingesting `data` when it holds no document), and serves until Ctrl-C or
/// SIGTERM.
pub fn run_explorer(options: ServeOptions, gazetteer: &Gazetteer) -> Result<(), ServeError> {
    let store = match open_store(&options.store, gazetteer) {
        // A store on read-only media can still be explored, if nobody means to write.
        Err(StoreError::ReadOnly { path }) if options.update_token.is_none() => {
            tracing::warn!(
                "store directory {} is read-only: serving it read-only",
                path.display()
            );
            PolicyStore::open_read_only(&options.store)?
        }
        opened => opened?,
    };
    if store.totals()?.documents == 0 && options.data.exists() {
        ingest_paths(
            &store,
            std::slice::from_ref(&options.data),
            gazetteer,
            |file| match &file.outcome {
                Ok(outcome) => tracing::info!(
                    "ingested {} ({} triples)",
                    file.path.display(),
                    outcome.triples()
                ),
                Err(e) => tracing::warn!("skipped {}: {e}", file.path.display()),
            },
        )?;
    }
    // Workers read the store from other processes: that is safe only if nobody writes.
    let store = if options.isolate_queries {
        drop(store);
        PolicyStore::open_read_only(&options.store)?
    } else {
        store
    };
    if !options.bind.ip().is_loopback() {
        if options.update_token.is_some() {
            tracing::warn!(
                "listening on {} beyond this machine: the update token travels in clear over HTTP, put a TLS proxy in front",
                options.bind
            );
        } else {
            tracing::warn!(
                "listening on {} beyond this machine, read-only: no update token was given",
                options.bind
            );
        }
    }
    let mut state = AppState::new(store, options.query_timeout, options.update_token);
    state.base_url = format!("http://{}", options.bind);
    if options.isolate_queries {
        state.workers = Some(Arc::new(Workers::new(
            std::env::current_exe()?,
            options.store.clone(),
        )));
    }
    let runtime = tokio::runtime::Runtime::new()?;
    let outcome = runtime.block_on(serve(state, options.bind));
    // Work that ignores its cancellation (an evaluation all in memory) would otherwise
    // hold the process after the last answer; it is left behind instead.
    runtime.shutdown_timeout(SHUTDOWN_WAIT);
    Ok(outcome?)
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

#[cfg(test)]
mod tests {
    use axum::body::Body;
    use axum::http::StatusCode;

    #[tokio::test]
    async fn an_empty_503_of_the_timeout_net_gets_a_message() {
        let text = |r: axum::response::Response| async {
            let status = r.status();
            let bytes = axum::body::to_bytes(r.into_body(), usize::MAX)
                .await
                .expect("body");
            (status, String::from_utf8_lossy(&bytes).into_owned())
        };
        let empty = axum::response::Response::builder()
            .status(StatusCode::SERVICE_UNAVAILABLE)
            .body(Body::empty())
            .expect("response");
        assert_eq!(
            text(super::explain_timeout(empty).await).await,
            (
                StatusCode::SERVICE_UNAVAILABLE,
                "the request took longer than the server allows and was stopped; try a narrower one\n"
                    .to_string()
            )
        );
        let said = axum::response::Response::builder()
            .status(StatusCode::SERVICE_UNAVAILABLE)
            .body(Body::from("busy\n"))
            .expect("response");
        assert_eq!(text(super::explain_timeout(said).await).await.1, "busy\n");
    }
}

/// The web side of a new view: the test-only `fixture` view (`policykg-views`'
/// `graph/views/fixture.rs`, built with the `view-fixture` feature) is served as files and
/// as a page, with its own fields, and linked from every page.
#[cfg(all(test, feature = "view-fixture"))]
mod fixture_tests {
    use std::time::Duration;

    use axum::body::Body;
    use axum::http::{Request, StatusCode};
    use tower::ServiceExt;

    use super::{AppState, app};
    use policykg_extract::Gazetteer;
    use policykg_extract::extract_file;
    use policykg_store::memory_store;

    fn state() -> AppState {
        let gazetteer = Gazetteer::builtin();
        let store = memory_store(gazetteer).expect("store");
        let seed = concat!(env!("CARGO_MANIFEST_DIR"), "/data/docs/liaoning-2021-1.txt");
        let doc = extract_file(std::path::Path::new(seed), gazetteer).expect("seed parses");
        store.ingest(&doc).expect("ingest");
        AppState::new(store, Duration::from_secs(30), None)
    }

    async fn get(state: &AppState, uri: &str) -> (StatusCode, String) {
        let request = Request::get(uri).body(Body::empty()).expect("request");
        let response = app(state.clone()).oneshot(request).await.expect("response");
        let status = response.status();
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .expect("body");
        (status, String::from_utf8_lossy(&bytes).into_owned())
    }

    #[tokio::test]
    async fn the_web_serves_the_new_view_with_its_fields() {
        let state = state();
        // The seed names 42 distinct units in its tasks, all linked from the one document.
        let (status, json) = get(&state, "/graph/fixture.json").await;
        assert_eq!(status, StatusCode::OK, "{json}");
        let value: serde_json::Value = serde_json::from_str(&json).expect("JSON");
        assert_eq!(value["view"], "fixture");
        assert_eq!(value["nodes"].as_array().map(Vec::len), Some(43));
        assert_eq!(value["edges"].as_array().map(Vec::len), Some(42));
        let (status, dot) = get(&state, "/graph/fixture.dot?document=liaoning-2021-1").await;
        assert_eq!(status, StatusCode::OK);
        assert!(dot.starts_with("digraph \"fixture\""), "{dot}");
        // Its page shows its one field, and every page's navigation links it.
        let (status, page) = get(&state, "/graph/fixture").await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("<select name=\"document\">"), "{page}");
        assert!(!page.contains("name=\"min_weight\""), "{page}");
        let (_, home) = get(&state, "/").await;
        assert!(home.contains("<a href=\"/graph/fixture\">fixture</a>"));
        assert!(home.contains("<a href=\"/graph/fixture.graphml\">graphml</a>"));
    }
}
