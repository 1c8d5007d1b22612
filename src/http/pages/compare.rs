//! `/compare?first=DOC&second=DOC`: two documents side by side — what both name, what the
//! second adds and what it drops, and how each unit's load changed — as a table and a
//! diagram; `/compare.csv`, `/compare.svg` and `/compare.dot` give the same as files.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use maud::{PreEscaped, html};
use serde::Deserialize;

use super::data::{self, DOCUMENTS};
use super::{GRAPH_SCRIPT, last_segment, page};
use crate::http::drawing::{RENDER_LIMIT, cache_key, view_options};
use crate::http::{AppError, AppState, run};
use policykg_views::graph::{Comparison, Presence, compare_documents};
use policykg_views::render::{
    DotOptions, Engine, ImageFormat, comparison_csv, comparison_dot, render,
};

#[derive(Deserialize)]
struct Document {
    doc: String,
    title: String,
}

/// Up to how many documents the two fields are lists.
const PICK_LIST: usize = 300;

fn sides(params: &HashMap<String, String>) -> Option<(String, String)> {
    let side = |name: &str| params.get(name).filter(|v| !v.is_empty()).cloned();
    Some((side("first")?, side("second")?))
}

async fn comparison(
    state: &AppState,
    params: &HashMap<String, String>,
) -> Result<Comparison, AppError> {
    let (first, second) = sides(params)
        .ok_or_else(|| AppError::BadRequest("give two documents: first=KEY&second=KEY".into()))?;
    let mut options = view_options(params)?;
    options.document = None;
    run(state, move |store, token| {
        options.cancellation = token;
        Ok(compare_documents(store, &first, &second, &options)?)
    })
    .await
}

/// The diagram as DOT or SVG, kept until the store changes; drawn from `known` when the
/// caller has the comparison already.
async fn diagram(
    state: &AppState,
    params: &HashMap<String, String>,
    svg: bool,
    known: Option<&Comparison>,
) -> Result<Bytes, AppError> {
    let name = if svg { "compare.svg" } else { "compare.dot" };
    let key = cache_key(name, params);
    let generation = || state.store().generation();
    state
        .drawings
        .get_or_make(generation, key, || async {
            let comparison = match known {
                Some(c) => c.clone(),
                None => comparison(state, params).await?,
            };
            let options = DotOptions {
                base_url: state.base_url.clone(),
                ..DotOptions::default()
            };
            let dot = comparison_dot(&comparison, &options);
            if !svg {
                return Ok(Bytes::from(dot));
            }
            let bytes = tokio::task::spawn_blocking(move || {
                render(&dot, ImageFormat::Svg, Engine::Dot, RENDER_LIMIT)
            })
            .await
            .map_err(|e| AppError::internal(format!("rendering thread: {e}")))??;
            Ok(Bytes::from(bytes))
        })
        .await
}

/// GET /compare.csv
pub async fn compare_csv(
    State(state): State<AppState>,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let comparison = comparison(&state, &params).await?;
    Ok((
        [(header::CONTENT_TYPE, "text/csv; charset=utf-8")],
        comparison_csv(&comparison),
    )
        .into_response())
}

/// GET /compare.svg
pub async fn compare_svg(
    State(state): State<AppState>,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let bytes = diagram(&state, &params, true, None).await?;
    Ok(([(header::CONTENT_TYPE, "image/svg+xml")], bytes).into_response())
}

/// GET /compare.dot
pub async fn compare_dot(
    State(state): State<AppState>,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let bytes = diagram(&state, &params, false, None).await?;
    Ok(([(header::CONTENT_TYPE, "text/vnd.graphviz")], bytes).into_response())
}

/// GET /compare: two documents to choose; once chosen, the counts, the diagram and the
/// table.
pub async fn compare_page(
    State(state): State<AppState>,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let documents: Vec<Document> = data::page_of(&state, DOCUMENTS, PICK_LIST + 1, 0).await?;
    let pick = documents.len() <= PICK_LIST;
    let field = |name: &str| params.get(name).cloned().unwrap_or_default();
    let chosen = match sides(&params) {
        None => None,
        Some(_) => Some(match comparison(&state, &params).await {
            Ok(c) => {
                let svg = diagram(&state, &params, true, Some(&c)).await?;
                Ok((c, svg))
            }
            Err(e) if e.is_client_error() => Err(e.to_string()),
            Err(e) => return Err(e),
        }),
    };
    let query = serde_urlencoded::to_string(&params).unwrap_or_default();
    let body = page(
        "documents compared 文件对比",
        html! {
            form method="get" {
                @for side in ["first", "second"] {
                    @if pick {
                        label { (side) " " select name=(side) {
                            option value="" { "—" }
                            @for d in &documents {
                                @let key = last_segment(&d.doc);
                                option value=(key) selected[field(side) == key] { (d.title) }
                            }
                        } } " "
                    } @else {
                        label { (side) " " input name=(side) value=(field(side)) size="24"; } " "
                    }
                }
                label { "section " input name="section" value=(field("section")) size="8"; } " "
                button type="submit" { "compare" }
            }
            @match &chosen {
                None => p { "Choose two documents — two years of one issuer, or two issuers' plans — to see what both name, what the second adds (green) and drops (red)." }
                Some(Err(message)) => p class="error" { (message) }
                Some(Ok((c, svg))) => {
                    @let (both, added, dropped) = c.counts();
                    p {
                        (c.first.label) " (" (c.first.tasks) " tasks) → " (c.second.label) " (" (c.second.tasks) " tasks): "
                        (both) " in both, " (added) " added, " (dropped) " dropped · Download: "
                        a href={ "/compare.csv?" (query) } { "csv" } " "
                        a href={ "/compare.svg?" (query) } { "svg" } " "
                        a href={ "/compare.dot?" (query) } { "dot" }
                    }
                    div id="graph" { (PreEscaped(String::from_utf8_lossy(svg))) }
                    script { (PreEscaped(GRAPH_SCRIPT)) }
                    table class="compare" {
                        tr { th { "kind" } th { "name" } th { "in" } th { "tasks first" } th { "tasks second" } th { "change" } th { "leads first → second" } }
                        @for item in &c.items {
                            @let colour = match item.presence() {
                                Presence::Both => "#f3f3f3",
                                Presence::Added => "#c6efce",
                                Presence::Dropped => "#f4cccc",
                            };
                            tr style={ "background:" (colour) } {
                                td { (item.kind.name()) }
                                td { a href={ "/entity?iri=" (super::urlencode(&item.id)) } { (item.label) } }
                                td { (match item.presence() { Presence::Both => "both", Presence::Added => "added", Presence::Dropped => "dropped" }) }
                                td { (item.first.tasks) }
                                td { (item.second.tasks) }
                                td { (format!("{:+}", item.change())) }
                                td { @if item.kind == policykg_views::graph::ItemKind::Unit { (item.first.lead) " → " (item.second.lead) } }
                            }
                        }
                    }
                }
            }
        },
    );
    let status = match &chosen {
        Some(Err(_)) => axum::http::StatusCode::BAD_REQUEST,
        _ => axum::http::StatusCode::OK,
    };
    Ok((status, body).into_response())
}
