//! Graph views for the web: built under the query time limit (with query workers, the
//! `construct` view's query runs in one), rendered by Graphviz under the render limit, and
//! cached per (view, format, filters) for the store state they were drawn from. A write to
//! the store empties the cache.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::Triple;
use oxigraph::sparql::results::{QueryResultsFormat, QueryResultsParser};
use oxigraph::sparql::{CancellationToken, QueryResults, QueryTripleIter};

use super::{AppError, AppState, run};
use policykg_extract::model::Role;
use policykg_extract::vocab::{ID, REFERENCE_GRAPH, document_graph};
use policykg_store::sparql::ResultFormat;
use policykg_store::sparql::worker::{Request, Workers};
use policykg_views::graph::{Field, View, ViewKind, ViewOptions, construct_from};
use policykg_views::render::{DotOptions, OutputFormat, RenderOptions, render_view};

/// How long Graphviz may take for one drawing.
pub const RENDER_LIMIT: Duration = Duration::from_secs(60);

/// The view's parameters from a request's query parameters; a value that does not parse is
/// a 400 naming the field.
pub fn view_options(params: &HashMap<String, String>) -> Result<ViewOptions, AppError> {
    let text = |field: Field| params.get(field.name()).filter(|v| !v.is_empty()).cloned();
    let number = |field: Field| -> Result<Option<f64>, AppError> {
        text(field)
            .map(|v| {
                v.parse().map_err(|_| {
                    AppError::BadRequest(format!("{} must be a number, not {v:?}", field.name()))
                })
            })
            .transpose()
    };
    let depth = number(Field::Depth)?;
    if depth.is_some_and(|d| !(0.0..=10.0).contains(&d) || d.fract() != 0.0) {
        return Err(AppError::BadRequest(
            "depth must be a whole number from 0 to 10".into(),
        ));
    }
    let role = text(Field::Role).map(|r| r.parse::<Role>()).transpose()?;
    Ok(ViewOptions {
        document: text(Field::Document),
        section: text(Field::Section),
        strategy: text(Field::Strategy),
        unit: text(Field::Unit),
        role,
        min_weight: number(Field::MinWeight)?,
        stated_only: params
            .get(Field::StatedOnly.name())
            .is_some_and(|v| v == "true"),
        focus: text(Field::Focus),
        depth: depth.map(|d| d as usize),
        from: text(Field::From),
        to: text(Field::To),
        query: text(Field::Query),
        limit: number(Field::Limit)?.map(|n| n.max(1.0) as usize),
        graphs: None,
        cancellation: CancellationToken::new(),
    })
}

/// The cache key: the file's name (`cooperation.svg`) and the parameters a view reads, in a
/// fixed order; anything else in a URL does not change the drawing.
pub(crate) fn cache_key(name: &str, params: &HashMap<String, String>) -> String {
    let relevant: BTreeMap<&str, &str> = params
        .iter()
        .filter(|(k, v)| Field::ALL.iter().any(|f| f.name() == k.as_str()) && !v.is_empty())
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let query = serde_urlencoded::to_string(&relevant).unwrap_or_default();
    format!("{name}?{query}")
}

/// The store generation a view's drawing is kept under. A view of one stored document,
/// named by its key, reads that document's graph and the reference graph only: its drawing
/// outlives writes to other documents. `ego` and `path` look for their nodes in every
/// graph, and `construct` runs a query of any reach: they follow every write.
fn generation_for(state: &AppState, view: ViewKind, params: &HashMap<String, String>) -> u64 {
    let store = state.store();
    let reads_its_document_only = matches!(
        view,
        ViewKind::Dependency | ViewKind::Cooperation | ViewKind::Strategy | ViewKind::Region
    );
    let document = params
        .get(Field::Document.name())
        .map(|d| d.strip_prefix(&format!("{ID}doc/")).unwrap_or(d));
    match document {
        Some(key) if reads_its_document_only && !key.is_empty() => {
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
    params: &HashMap<String, String>,
) -> Result<Bytes, AppError> {
    let options = view_options(params)?;
    let key = cache_key(&format!("{view}.{format}"), params);
    let generation = || generation_for(state, view, params);
    state
        .drawings
        .get_or_make(generation, key, || async {
            let built = built_view(state, view, options, params).await?;
            draw(state, built, format).await.map(Bytes::from)
        })
        .await
}

/// The view itself, built once for all the formats asked of it (a page's drawing and its
/// legend's JSON, a download) while the store does not change.
async fn built_view(
    state: &AppState,
    view: ViewKind,
    mut options: ViewOptions,
    params: &HashMap<String, String>,
) -> Result<Arc<View>, AppError> {
    let key = cache_key(&view.to_string(), params);
    let generation = || generation_for(state, view, params);
    state
        .views
        .get_or_make(generation, key, || async {
            let built = match (&state.workers, view) {
                (Some(workers), ViewKind::Construct) => {
                    construct_in_worker(state, workers, &options).await?
                }
                _ => {
                    run(state, move |store, token| {
                        options.cancellation = token;
                        Ok(view.build(store, &options)?)
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
    options: &ViewOptions,
) -> Result<View, AppError> {
    let query = options.query.clone().ok_or_else(|| {
        AppError::BadRequest("the construct view needs query (--query on the command line)".into())
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
    params: &HashMap<String, String>,
) -> Result<String, AppError> {
    let svg = view_file(state, view, OutputFormat::Svg, params).await?;
    let svg = String::from_utf8_lossy(&svg);
    // Graphviz escapes every label and tooltip; only its prologue has to go.
    Ok(svg.find("<svg").map_or(&*svg, |at| &svg[at..]).to_string())
}
