//! The SPARQL 1.1 Protocol: queries by GET, by URL-encoded POST and by direct POST;
//! `default-graph-uri` and `named-graph-uri`; content negotiation with a `format`
//! override; results streamed from a blocking task; a time limit answered with 503;
//! updates only with the bearer token; Graph Store Protocol reads (and writes with it).

use std::io::Write;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use oxigraph::io::RdfFormat;
use oxigraph::model::GraphNameRef;
use oxigraph::sparql::QueryResults;
use tokio::sync::{mpsc, oneshot};
use tokio_stream::wrappers::ReceiverStream;

use super::{AppError, AppState, run_page, run_write};
use policykg_store::sparql::{
    ChunkWriter, Dataset, ResultFormat, RunError, evaluate_with_dataset, prepare_update,
    rdf_format, with_first_result, write_results,
};

/// A protocol operation read from a request: a query or an update, with its dataset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Operation {
    pub kind: OperationKind,
    /// The query or update text.
    pub text: String,
    /// The graphs given by `default-graph-uri`/`named-graph-uri` (a query) or
    /// `using-graph-uri`/`using-named-graph-uri` (an update). The base is set by the server.
    pub dataset: Dataset,
    /// The `format` parameter, which overrides `Accept`.
    pub format: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OperationKind {
    Query,
    Update,
}

/// The protocol's parameters as they are read, before they make an [`Operation`].
#[derive(Default)]
struct Params {
    query: Option<String>,
    update: Option<String>,
    default_graphs: Vec<String>,
    named_graphs: Vec<String>,
    using_graphs: Vec<String>,
    using_named_graphs: Vec<String>,
    format: Option<String>,
}

impl Params {
    fn read(&mut self, pairs: Vec<(String, String)>) -> Result<(), AppError> {
        for (key, value) in pairs {
            let once = |slot: &mut Option<String>, value: String| {
                if slot.is_some() {
                    return Err(AppError::BadRequest(format!(
                        "give the {key} parameter once"
                    )));
                }
                *slot = Some(value);
                Ok(())
            };
            match key.as_str() {
                "query" => once(&mut self.query, value)?,
                "update" => once(&mut self.update, value)?,
                "format" => once(&mut self.format, value)?,
                "default-graph-uri" => self.default_graphs.push(value),
                "named-graph-uri" => self.named_graphs.push(value),
                "using-graph-uri" => self.using_graphs.push(value),
                "using-named-graph-uri" => self.using_named_graphs.push(value),
                _ => {}
            }
        }
        Ok(())
    }

    fn into_operation(self) -> Result<Operation, AppError> {
        let (kind, text) = match (self.query, self.update) {
            (Some(_), Some(_)) => {
                return Err(AppError::BadRequest(
                    "give a query or an update, not both".into(),
                ));
            }
            (Some(query), None) => (OperationKind::Query, query),
            (None, Some(update)) => (OperationKind::Update, update),
            (None, None) => {
                return Err(AppError::BadRequest(
                    "missing the query (or update) parameter".into(),
                ));
            }
        };
        let given = |graphs: &[String], name: &str| {
            if graphs.is_empty() {
                Ok(())
            } else {
                Err(AppError::BadRequest(format!(
                    "{name} does not go with {}",
                    match kind {
                        OperationKind::Query => "a query",
                        OperationKind::Update => "an update",
                    }
                )))
            }
        };
        let dataset = match kind {
            OperationKind::Query => {
                given(&self.using_graphs, "using-graph-uri")?;
                given(&self.using_named_graphs, "using-named-graph-uri")?;
                Dataset {
                    base: None,
                    default_graphs: self.default_graphs,
                    named_graphs: self.named_graphs,
                }
            }
            OperationKind::Update => {
                given(&self.default_graphs, "default-graph-uri")?;
                given(&self.named_graphs, "named-graph-uri")?;
                Dataset {
                    base: None,
                    default_graphs: self.using_graphs,
                    named_graphs: self.using_named_graphs,
                }
            }
        };
        Ok(Operation {
            kind,
            text,
            dataset,
            format: self.format,
        })
    }
}

/// Reads a SPARQL 1.1 Protocol request: a GET with its query string, or a POST with its
/// query string, content type and body. Every way the protocol forbids (an update by GET,
/// a parameter given twice, a query and an update together, graphs of the wrong kind, an
/// unknown content type) is an error that says what was wrong.
pub fn read_operation(
    get: bool,
    query_string: Option<&str>,
    content_type: &str,
    body: &[u8],
) -> Result<Operation, AppError> {
    let mut params = Params::default();
    params.read(url_pairs(query_string)?)?;
    if get {
        if params.update.is_some() {
            return Err(AppError::BadRequest(
                "updates must be sent with POST".into(),
            ));
        }
        return params.into_operation();
    }
    let text = || {
        String::from_utf8(body.to_vec())
            .map_err(|_| AppError::BadRequest("the body is not UTF-8".into()))
    };
    // A direct POST's text is the body; the URL may carry only the dataset and format.
    let direct = |slot: &mut Option<String>, name: &str| {
        if slot.is_some() {
            return Err(AppError::BadRequest(format!(
                "the body is the {name}: do not give it in the URL too"
            )));
        }
        *slot = Some(text()?);
        Ok(())
    };
    match content_type.to_ascii_lowercase().as_str() {
        "application/x-www-form-urlencoded" => {
            let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(body)
                .map_err(|e| AppError::BadRequest(format!("malformed form body: {e}")))?;
            params.read(pairs)?;
        }
        "application/sparql-query" => {
            if params.update.is_some() {
                return Err(AppError::BadRequest(
                    "give a query or an update, not both".into(),
                ));
            }
            direct(&mut params.query, "query")?;
        }
        "application/sparql-update" => {
            if params.query.is_some() {
                return Err(AppError::BadRequest(
                    "give a query or an update, not both".into(),
                ));
            }
            direct(&mut params.update, "update")?;
        }
        other => {
            return Err(AppError::UnsupportedMediaType(format!(
                "unsupported content type {other:?}: use application/x-www-form-urlencoded, application/sparql-query or application/sparql-update"
            )));
        }
    }
    params.into_operation()
}

fn url_pairs(raw: Option<&str>) -> Result<Vec<(String, String)>, AppError> {
    serde_urlencoded::from_str(raw.unwrap_or(""))
        .map_err(|e| AppError::BadRequest(format!("malformed query string: {e}")))
}

fn content_type(headers: &HeaderMap) -> String {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

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

const SELECT_TYPES: [(&str, ResultFormat); 6] = [
    ("application/sparql-results+json", ResultFormat::Json),
    ("application/json", ResultFormat::Json),
    ("application/sparql-results+xml", ResultFormat::Xml),
    ("application/xml", ResultFormat::Xml),
    ("text/csv", ResultFormat::Csv),
    ("text/tab-separated-values", ResultFormat::Tsv),
];

fn graph_types() -> [(&'static str, RdfFormat); 6] {
    [
        ("text/turtle", RdfFormat::Turtle),
        ("application/n-triples", RdfFormat::NTriples),
        ("application/n-quads", RdfFormat::NQuads),
        ("application/trig", RdfFormat::TriG),
        ("application/rdf+xml", RdfFormat::RdfXml),
        (
            "application/ld+json",
            rdf_format("jsonld").unwrap_or(RdfFormat::Turtle),
        ),
    ]
}

/// Chooses the output: `format` wins, else the best `Accept` entry the kind supports.
fn negotiate(
    accept: Option<&str>,
    format: Option<&str>,
    graph: bool,
) -> Result<(ResultFormat, String), AppError> {
    let choices: Vec<(String, ResultFormat)> = if graph {
        graph_types()
            .into_iter()
            .map(|(m, f)| (m.to_string(), ResultFormat::Rdf(f)))
            .collect()
    } else {
        SELECT_TYPES
            .iter()
            .map(|(m, f)| (m.to_string(), *f))
            .collect()
    };
    let media = |f: ResultFormat| -> String {
        match f {
            ResultFormat::Rdf(r) => r.media_type().to_string(),
            other => policykg_store::sparql::results_format(other)
                .map_or("text/plain", |r| r.media_type())
                .to_string(),
        }
    };
    if let Some(name) = format {
        let chosen = ResultFormat::from_name(name)
            .or_else(|| choices.iter().find(|(m, _)| m == name).map(|(_, f)| *f))
            .filter(|f| choices.iter().any(|(_, c)| c == f))
            .ok_or_else(|| {
                AppError::NotAcceptable(format!(
                    "format {name:?} does not fit {} results",
                    if graph { "graph" } else { "SELECT/ASK" }
                ))
            })?;
        return Ok((chosen, media(chosen)));
    }
    let accept = accept.unwrap_or("*/*");
    let mut ranges: Vec<(f32, usize, String)> = accept
        .split(',')
        .enumerate()
        .filter_map(|(i, part)| {
            let mut pieces = part.split(';');
            let range = pieces.next()?.trim().to_ascii_lowercase();
            let q = pieces
                .filter_map(|p| p.trim().strip_prefix("q="))
                .find_map(|q| q.parse::<f32>().ok())
                .unwrap_or(1.0);
            (q > 0.0 && !range.is_empty()).then_some((q, i, range))
        })
        .collect();
    ranges.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    for (_, _, range) in ranges {
        let found = choices.iter().find(|(m, _)| {
            range == *m
                || range == "*/*"
                || range
                    .strip_suffix("/*")
                    .is_some_and(|top| m.starts_with(&format!("{top}/")))
        });
        if let Some((_, f)) = found {
            return Ok((*f, media(*f)));
        }
    }
    Err(AppError::NotAcceptable(format!(
        "none of the Accept types ({accept}) can hold {} results; try {}",
        if graph { "graph" } else { "SELECT/ASK" },
        choices
            .iter()
            .map(|(m, _)| m.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    )))
}

/// Results larger than this are streamed but not kept.
const KEEP_AT_MOST: usize = 1 << 20;

/// Whether a query's answer may differ from one evaluation to the next on the same data.
fn varies(query: &str) -> bool {
    let upper = query.to_ascii_uppercase();
    ["NOW", "RAND", "UUID", "STRUUID", "BNODE"].iter().any(|f| {
        upper.match_indices(f).any(|(at, _)| {
            let before = upper[..at].chars().next_back();
            let after = upper[at + f.len()..].trim_start().chars().next();
            !before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':')
                && after == Some('(')
        })
    })
}

/// Where a query's answer is kept once it is complete.
pub(crate) struct Keep {
    /// `None` for an answer that is not to be kept.
    cache: Option<std::sync::Arc<super::GenerationCache<(String, Bytes)>>>,
    generation: u64,
    key: String,
}

/// The bytes of an answer as they are written, while they stay small enough to keep.
pub(crate) struct AnswerCopy {
    keep: Option<Keep>,
    bytes: Vec<u8>,
}

impl Keep {
    pub(crate) fn copy(self) -> AnswerCopy {
        AnswerCopy {
            keep: self.cache.is_some().then_some(self),
            bytes: Vec::new(),
        }
    }
}

impl AnswerCopy {
    pub(crate) fn add(&mut self, chunk: &[u8]) {
        if self.keep.is_some() && self.bytes.len() + chunk.len() <= KEEP_AT_MOST {
            self.bytes.extend_from_slice(chunk);
        } else {
            self.keep = None;
            self.bytes = Vec::new();
        }
    }

    /// Keeps the answer: call once all of it was written.
    pub(crate) fn keep(self, media: String) {
        if let Some(Keep {
            cache: Some(cache),
            generation,
            key,
        }) = self.keep
        {
            cache.put(generation, key, (media, Bytes::from(self.bytes)));
        }
    }
}

/// Evaluates on a blocking thread. The head (status and content type) is decided once the
/// first result is known, so a query stopped by the time limit is still a 503.
async fn run_query(
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
        return super::workers::run_query(&state, workers, request, keep, |graph| {
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

fn check_token(state: &AppState, headers: &HeaderMap) -> Result<(), AppError> {
    super::access::check_token(state.update_token.as_ref(), headers)
}

async fn run_update(
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

/// Which graph a Graph Store request names: `?graph=IRI` or `?default`.
fn target_graph(raw: Option<&str>) -> Result<Option<oxigraph::model::NamedNode>, AppError> {
    let pairs = url_pairs(raw)?;
    if let Some((_, iri)) = pairs.iter().find(|(k, _)| k == "graph") {
        return oxigraph::model::NamedNode::new(iri.as_str())
            .map(Some)
            .map_err(|e| AppError::BadRequest(format!("graph {iri}: {e}")));
    }
    if pairs.iter().any(|(k, _)| k == "default") {
        return Ok(None);
    }
    Err(AppError::BadRequest("give ?graph=IRI or ?default".into()))
}

/// GET /store?graph=IRI or /store?default: the graph as RDF.
pub async fn store_get(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let graph = target_graph(raw.as_deref())?;
    let accept = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok());
    let (format, media) = negotiate(accept, None, true)?;
    let ResultFormat::Rdf(rdf) = format else {
        return Err(AppError::NotAcceptable("not an RDF format".into()));
    };
    let bytes = run_page(&state, move |store, _| {
        if let Some(g) = &graph
            && !store.graphs()?.contains(g)
        {
            return Err(AppError::NotFound(format!("no graph {g}")));
        }
        let mut out = Vec::new();
        // `?default` is the store's own default graph, which holds nothing: documents live
        // in named graphs.
        let name = graph
            .as_ref()
            .map_or(GraphNameRef::DefaultGraph, |g| g.as_ref().into());
        store.export(&mut out, rdf, Some(name))?;
        Ok(out)
    })
    .await?;
    Ok(([(header::CONTENT_TYPE, media)], bytes).into_response())
}

/// PUT /store?graph=IRI: replaces the graph with the RDF body (201 when it is new).
pub async fn store_put(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    write_graph(state, raw, headers, body, false).await
}

/// POST /store?graph=IRI: adds the RDF body to the graph (201 when it is new).
pub async fn store_post(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    write_graph(state, raw, headers, body, true).await
}

async fn write_graph(
    state: AppState,
    raw: Option<String>,
    headers: HeaderMap,
    body: Bytes,
    keep_existing: bool,
) -> Result<Response, AppError> {
    check_token(&state, &headers)?;
    let Some(graph) = target_graph(raw.as_deref())? else {
        return Err(AppError::BadRequest("writes need ?graph=IRI".into()));
    };
    let media = content_type(&headers);
    let format = RdfFormat::from_media_type(&media).ok_or_else(|| {
        AppError::UnsupportedMediaType(format!(
            "unsupported content type {media:?}: send RDF, e.g. text/turtle"
        ))
    })?;
    let created = run_write(&state, move |store, _| {
        let created = !store.has_graph(&graph)?;
        // Relative IRIs in the body resolve against the graph's own IRI.
        let quads = oxigraph::io::RdfParser::from_format(format)
            .with_base_iri(graph.as_str())
            .map_err(|e| AppError::BadRequest(format!("graph {graph}: {e}")))?
            .for_slice(&body);
        let written = if keep_existing {
            store.add_to_graph(graph.as_ref(), quads)
        } else {
            store.replace_graph(graph.as_ref(), quads)
        };
        written?;
        Ok(created)
    })
    .await?;
    Ok(if created {
        StatusCode::CREATED
    } else {
        StatusCode::NO_CONTENT
    }
    .into_response())
}

/// DELETE /store?graph=IRI: removes the graph.
pub async fn store_delete(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    check_token(&state, &headers)?;
    let Some(graph) = target_graph(raw.as_deref())? else {
        return Err(AppError::BadRequest("writes need ?graph=IRI".into()));
    };
    run_write(&state, move |store, _| {
        Ok(store.remove_graph(graph.as_ref())?)
    })
    .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
