//! Graph views for the web: built under the query time limit (with query workers, the
//! `construct` view's query runs in one), rendered by Graphviz under the render limit, and
//! cached per (view, format, filters) for the store state they were drawn from. A write to
//! the store empties the cache.

use std::collections::{BTreeMap, HashMap};
use std::num::NonZeroUsize;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use lru::LruCache;
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::Triple;
use oxigraph::sparql::results::{QueryResultsFormat, QueryResultsParser};
use oxigraph::sparql::{CancellationToken, QueryResults, QueryTripleIter};
use tokio::sync::oneshot;

use super::workers::{Request, Workers, collect};
use super::{AppError, AppState, blocking};
use crate::graph::{View, ViewError, ViewOptions, build_view, construct_from};
use crate::render::{DotOptions, default_engine, render, to_dot, to_graphml};
use crate::sparql::{QueryError, ResultFormat};

/// How long Graphviz may take for one drawing.
pub const RENDER_LIMIT: Duration = Duration::from_secs(60);

/// The filters of the views drawn from the whole store.
pub const FILTERS: [&str; 6] = [
    "document",
    "section",
    "strategy",
    "unit",
    "role",
    "min_weight",
];

/// The other query parameters a view reads: anything else in a URL does not change the
/// drawing.
const OTHER_PARAMETERS: [&str; 6] = ["stated_only", "focus", "depth", "from", "to", "query"];

/// The file formats a view can be had in, with their media types.
pub const FORMATS: [(&str, &str); 6] = [
    ("dot", "text/vnd.graphviz; charset=utf-8"),
    ("svg", "image/svg+xml"),
    ("png", "image/png"),
    ("pdf", "application/pdf"),
    ("graphml", "application/graphml+xml"),
    ("json", "application/json"),
];

/// Drawings by key, valid for one store generation.
pub struct DrawingCache {
    inner: Mutex<Generation>,
    /// One lock per drawing being made, so that requests for it meanwhile wait for it
    /// instead of making it again.
    in_flight: Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
    /// How many drawings have been made (not taken from the cache).
    drawn: AtomicU64,
}

struct Generation {
    number: u64,
    entries: LruCache<String, Bytes>,
}

impl DrawingCache {
    pub fn new(capacity: usize) -> Self {
        DrawingCache {
            inner: Mutex::new(Generation {
                number: 0,
                entries: LruCache::new(NonZeroUsize::new(capacity).unwrap_or(NonZeroUsize::MIN)),
            }),
            in_flight: Mutex::new(HashMap::new()),
            drawn: AtomicU64::new(0),
        }
    }

    fn in_flight(&self, key: &str) -> Arc<tokio::sync::Mutex<()>> {
        let mut map = self.in_flight.lock().unwrap_or_else(|p| p.into_inner());
        map.entry(key.to_string()).or_default().clone()
    }

    fn landed(&self, key: &str) {
        let mut map = self.in_flight.lock().unwrap_or_else(|p| p.into_inner());
        map.remove(key);
    }

    /// How many drawings have been made since the server started; the rest came from the
    /// cache.
    pub fn drawn(&self) -> u64 {
        self.drawn.load(Ordering::Relaxed)
    }

    fn get(&self, generation: u64, key: &str) -> Option<Bytes> {
        let mut inner = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        if inner.number != generation {
            return None;
        }
        inner.entries.get(key).cloned()
    }

    fn put(&self, generation: u64, key: String, bytes: Bytes) {
        let mut inner = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        if generation < inner.number {
            // Drawn from data that has since changed.
            return;
        }
        if generation > inner.number {
            inner.entries.clear();
            inner.number = generation;
        }
        inner.entries.put(key, bytes);
    }

    /// How many drawings are held.
    pub fn len(&self) -> usize {
        self.inner
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .entries
            .len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The view filters from query parameters; a number that does not parse is a 400.
pub fn view_options(params: &HashMap<String, String>) -> Result<ViewOptions, AppError> {
    let text = |key: &str| params.get(key).filter(|v| !v.is_empty()).cloned();
    let number = |key: &str| -> Result<Option<f64>, AppError> {
        text(key)
            .map(|v| {
                v.parse()
                    .map_err(|_| AppError::BadRequest(format!("{key} must be a number, not {v:?}")))
            })
            .transpose()
    };
    let depth = number("depth")?;
    if depth.is_some_and(|d| !(0.0..=10.0).contains(&d) || d.fract() != 0.0) {
        return Err(AppError::BadRequest(
            "depth must be a whole number from 0 to 10".into(),
        ));
    }
    Ok(ViewOptions {
        document: text("document"),
        section: text("section"),
        strategy: text("strategy"),
        unit: text("unit"),
        role: text("role"),
        min_weight: number("min_weight")?,
        stated_only: params.get("stated_only").is_some_and(|v| v == "true"),
        focus: text("focus"),
        depth: depth.map(|d| d as usize),
        from: text("from"),
        to: text("to"),
        query: text("query"),
        cancellation: CancellationToken::new(),
    })
}

/// The cache key: the view, the format and the parameters that matter, in a fixed order.
fn cache_key(name: &str, format: &str, params: &HashMap<String, String>) -> String {
    let relevant: BTreeMap<&str, &str> = params
        .iter()
        .filter(|(k, v)| {
            (FILTERS.contains(&k.as_str()) || OTHER_PARAMETERS.contains(&k.as_str()))
                && !v.is_empty()
        })
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let query = serde_urlencoded::to_string(&relevant).unwrap_or_default();
    format!("{name}.{format}?{query}")
}

/// A view as a file (`dot`, `svg`, `png`, `pdf`, `graphml` or `json`), from the cache when
/// the store has not changed since it was drawn.
pub async fn view_file(
    state: &AppState,
    name: &str,
    format: &str,
    params: &HashMap<String, String>,
) -> Result<Bytes, AppError> {
    if !FORMATS.iter().any(|(f, _)| *f == format) {
        return Err(AppError::NotFound(format!(
            "no format {format}: use dot, svg, png, pdf, graphml or json"
        )));
    }
    let options = view_options(params)?;
    let key = cache_key(name, format, params);
    let generation = state.store.generation();
    if let Some(bytes) = state.drawings.get(generation, &key) {
        return Ok(bytes);
    }
    let lock = state.drawings.in_flight(&key);
    let _turn = lock.lock().await;
    // Drawn by the request this one waited for.
    if let Some(bytes) = state.drawings.get(generation, &key) {
        return Ok(bytes);
    }
    state.drawings.drawn.fetch_add(1, Ordering::Relaxed);
    let drawn = draw(state, name, format, options).await.map(Bytes::from);
    if let Ok(bytes) = &drawn {
        state.drawings.put(generation, key.clone(), bytes.clone());
    }
    state.drawings.landed(&key);
    drawn
}

/// A view as a file of `format`.
fn render_view(view: &View, name: &str, format: &str, base_url: &str) -> Result<Vec<u8>, AppError> {
    let dot = || {
        to_dot(
            view,
            &DotOptions {
                base_url: base_url.to_string(),
                ..DotOptions::default()
            },
        )
    };
    Ok(match format {
        "json" => serde_json::to_vec_pretty(&view.to_json())
            .map_err(|e| AppError::Internal(e.to_string()))?,
        "graphml" => to_graphml(view),
        "dot" => dot().into_bytes(),
        image => render(&dot(), image, default_engine(name), RENDER_LIMIT)?,
    })
}

/// Builds and renders a view on a blocking thread. Building is held to the query time
/// limit (its queries are cancelled then, and the answer is a 503 even if a computation
/// that never reads the store runs on); rendering to the render limit. With query workers,
/// the `construct` view's query, the one a user writes, runs in a worker instead.
async fn draw(
    state: &AppState,
    name: &str,
    format: &str,
    options: ViewOptions,
) -> Result<Vec<u8>, AppError> {
    if let (Some(workers), "construct") = (&state.workers, name) {
        let view = construct_in_worker(state, workers, &options).await?;
        let (format, base_url) = (format.to_string(), state.base_url.clone());
        return blocking(move || render_view(&view, "construct", &format, &base_url)).await;
    }
    let permit = state.query_slot().await?;
    let token = options.cancellation.clone();
    let limit = state.query_timeout;
    let deadline = state.deadline(&token);
    let (built_tx, built_rx) = oneshot::channel::<()>();
    let store = state.store.clone();
    let base_url = state.base_url.clone();
    let (name, format) = (name.to_string(), format.to_string());
    let worker = tokio::task::spawn_blocking(move || -> Result<Vec<u8>, AppError> {
        let _permit = permit;
        let view = build_view(&store, &name, &options).map_err(|e| match e {
            ViewError::Query(QueryError::Cancelled) => AppError::time_limit(limit),
            other => other.into(),
        });
        let _ = built_tx.send(());
        render_view(&view?, &name, &format, &base_url)
    });
    let built = tokio::time::timeout(limit + Duration::from_millis(200), built_rx).await;
    drop(deadline);
    if built.is_err() {
        return Err(AppError::time_limit(limit));
    }
    worker
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
}

/// The `construct` view, its query evaluated by a query worker.
async fn construct_in_worker(
    state: &AppState,
    workers: &Workers,
    options: &ViewOptions,
) -> Result<View, AppError> {
    let query = options.query.clone().ok_or_else(|| {
        AppError::BadRequest("the construct view needs query (--query on the command line)".into())
    })?;
    let request = Request {
        query,
        default_graphs: Vec::new(),
        named_graphs: Vec::new(),
    };
    let (graph, bytes) = collect(state, workers, request, |graph| {
        Ok(if graph {
            (ResultFormat::Rdf(RdfFormat::NTriples), String::new())
        } else {
            (ResultFormat::Json, String::new())
        })
    })
    .await?;
    let unreadable = |e: String| AppError::Internal(format!("query worker output: {e}"));
    let results = if graph {
        let triples = RdfParser::from_format(RdfFormat::NTriples)
            .for_slice(&bytes)
            .map(|q| q.map(Triple::from).map_err(|e| e.to_string()))
            .collect::<Result<Vec<_>, _>>()
            .map_err(unreadable)?;
        QueryResults::Graph(QueryTripleIter::new(triples.into_iter().map(Ok)))
    } else {
        QueryResultsParser::from_format(QueryResultsFormat::Json)
            .for_slice(&bytes)
            .map_err(|e| unreadable(e.to_string()))?
            .into()
    };
    Ok(construct_from(results)?)
}

/// A view's SVG without its XML prologue, to place inside a page.
pub async fn inline_svg(
    state: &AppState,
    name: &str,
    params: &HashMap<String, String>,
) -> Result<String, AppError> {
    let svg = view_file(state, name, "svg", params).await?;
    let svg = String::from_utf8_lossy(&svg);
    // Graphviz escapes every label and tooltip; only its prologue has to go.
    Ok(svg.find("<svg").map_or(&*svg, |at| &svg[at..]).to_string())
}
