//! Graph views for the web: built under the query time limit (with query workers, the
//! `construct` view's query runs in one), rendered by Graphviz under the render limit, and
//! cached per (view, format, filters) for the store state they were drawn from. A write to
//! the store empties the cache.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::Triple;
use oxigraph::sparql::results::{QueryResultsFormat, QueryResultsParser};
use oxigraph::sparql::{QueryResults, QueryTripleIter};

use super::{AppError, AppState, run};
use policykg_extract::vocab::{ID, REFERENCE_GRAPH, document_graph};
use policykg_store::sparql::ResultFormat;
use policykg_store::sparql::worker::{Request, Workers};
use policykg_views::graph::{Field, Scope, View, ViewError, ViewKind, ViewOptions, construct_from};
use policykg_views::render::{DotOptions, OutputFormat, RenderOptions, render_view};

/// How long Graphviz may take for one drawing.
pub const RENDER_LIMIT: Duration = Duration::from_secs(60);

/// A request's view options, read from its query string: a value that does not parse is a
/// 400 naming the field; parameters that are not options are left for the handler.
#[derive(Debug, Clone, Default)]
pub struct Options(pub ViewOptions);

impl<S: Send + Sync> FromRequestParts<S> for Options {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, AppError> {
        Ok(Options(ViewOptions::from_query_string(
            parts.uri.query().unwrap_or(""),
        )?))
    }
}

/// The cache key of a file: its name (`cooperation.svg`) and the options as one canonical
/// string; anything else in a URL does not change the drawing.
pub(crate) fn cache_key(name: &str, options: &ViewOptions) -> String {
    format!("{name}?{}", options.query_string())
}

/// The store generation a view's drawing is kept under. A view of one stored document,
/// named by its key, that reads that document's graph and the reference graph only
/// ([`Scope::OneDocument`]) outlives writes to other documents; the others follow every
/// write.
fn generation_for(state: &AppState, view: ViewKind, options: &ViewOptions) -> u64 {
    let store = state.store();
    let document = options
        .document
        .as_deref()
        .map(|d| d.strip_prefix(&format!("{ID}doc/")).unwrap_or(d));
    match (document, view.spec().scope) {
        (Some(key), Scope::OneDocument) => {
            let graph = document_graph(key);
            match store.has_graph(&graph) {
                Ok(true) => store.generation_of(&[graph.as_str(), REFERENCE_GRAPH.as_str()]),
                // A title or a 文号 is looked up among all documents.
                _ => store.generation(),
            }
        }
        _ => store.generation(),
    }
}

/// A view as a file, from the cache when the store has not changed since it was drawn.
pub async fn view_file(
    state: &AppState,
    view: ViewKind,
    format: OutputFormat,
    options: &ViewOptions,
) -> Result<Bytes, AppError> {
    let key = cache_key(&format!("{view}.{format}"), options);
    let generation = || generation_for(state, view, options);
    state
        .drawings
        .get_or_make(generation, key, || async {
            let built = built_view(state, view, options).await?;
            draw(state, built, format).await.map(Bytes::from)
        })
        .await
}

/// The view itself, built once for all the formats asked of it (a page's drawing and its
/// legend's JSON, a download) while the store does not change.
async fn built_view(
    state: &AppState,
    view: ViewKind,
    options: &ViewOptions,
) -> Result<Arc<View>, AppError> {
    let key = cache_key(&view.to_string(), options);
    let generation = || generation_for(state, view, options);
    state
        .views
        .get_or_make(generation, key, || async {
            // A view of a user's query runs it in a query worker when there are some.
            let built = match &state.workers {
                Some(workers) if view.reads(Field::Query) => {
                    construct_in_worker(state, workers, view, options).await?
                }
                _ => {
                    let options = options.clone();
                    run(state, move |store, token| {
                        Ok(view.build(store, &options, token)?)
                    })
                    .await?
                }
            };
            Ok::<_, AppError>(Arc::new(built))
        })
        .await
}

fn render_options(state: &AppState) -> RenderOptions {
    RenderOptions {
        dot: DotOptions {
            base_url: state.base_url.clone(),
            ..DotOptions::default()
        },
        engine: None,
        limit: RENDER_LIMIT,
    }
}

/// Renders a view under the render limit. Building it ([`built_view`]) is held to the query
/// time limit: its queries are cancelled then, and the answer is a 503 even if a
/// computation that never reads the store runs on. With query workers, the `construct`
/// view's query, the one a user writes, runs in a worker instead.
async fn draw(
    state: &AppState,
    built: Arc<View>,
    format: OutputFormat,
) -> Result<Vec<u8>, AppError> {
    let render = render_options(state);
    tokio::task::spawn_blocking(move || Ok(render_view(&built, format, &render)?))
        .await
        .map_err(|e| AppError::internal(format!("rendering thread: {e}")))?
}

/// The `construct` view, its query evaluated by a query worker.
async fn construct_in_worker(
    state: &AppState,
    workers: &Workers,
    view: ViewKind,
    options: &ViewOptions,
) -> Result<View, AppError> {
    let query = options.query.clone().ok_or(ViewError::Missing {
        view: view.name(),
        parameter: Field::Query.name(),
    })?;
    let request = Request {
        query,
        dataset: Default::default(),
    };
    let (graph, bytes) = workers
        .collect(&state.runner, request, |graph| {
            Ok(if graph {
                (ResultFormat::Rdf(RdfFormat::NTriples), String::new())
            } else {
                (ResultFormat::Json, String::new())
            })
        })
        .await?;
    let unreadable = |e: String| AppError::internal(format!("query worker output: {e}"));
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
    view: ViewKind,
    options: &ViewOptions,
) -> Result<String, AppError> {
    let svg = view_file(state, view, OutputFormat::Svg, options).await?;
    let svg = String::from_utf8_lossy(&svg);
    // Graphviz escapes every label and tooltip; only its prologue has to go.
    Ok(svg.find("<svg").map_or(&*svg, |at| &svg[at..]).to_string())
}
