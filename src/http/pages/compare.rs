//! `/compare?first=DOC&second=DOC`: two documents side by side — what both name, what the
//! second adds and what it drops, and how each unit's load changed — as a table and a
//! diagram; `/compare.csv`, `/compare.svg` and `/compare.dot` give the same as files.

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use maud::{PreEscaped, html};
use serde::{Deserialize, Serialize};

use super::data;
use super::queries::{DOCUMENTS, DocumentRow};
use super::{GRAPH_SCRIPT, last_segment, page};
use crate::http::drawing::{Options, RENDER_LIMIT};
use crate::http::{AppError, AppState, run};
use policykg_views::graph::{Comparison, Presence, ViewOptions, compare_documents};
use policykg_views::render::{
    DotOptions, Engine, ImageFormat, comparison_csv, comparison_dot, render,
};

/// Up to how many documents the two fields are lists.
const PICK_LIST: usize = 300;

/// The two documents compared, as the form gives them (empty when not chosen).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Sides {
    first: String,
    second: String,
}

impl Sides {
    fn chosen(&self) -> Option<(&str, &str)> {
        (!self.first.is_empty() && !self.second.is_empty())
            .then_some((self.first.as_str(), self.second.as_str()))
    }

    fn side(&self, name: &str) -> &str {
        if name == "first" {
            &self.first
        } else {
            &self.second
        }
    }
}

/// The query string of a comparison: the two documents, then the other filters.
fn query_string(sides: &Sides, options: &ViewOptions) -> String {
    let sides = serde_urlencoded::to_string(sides).unwrap_or_default();
    [sides, options.query_string()]
        .into_iter()
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join("&")
}

async fn comparison(
    state: &AppState,
    sides: &Sides,
    options: &ViewOptions,
) -> Result<Comparison, AppError> {
    let (first, second) = sides
        .chosen()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .ok_or_else(|| AppError::BadRequest("give two documents: first=KEY&second=KEY".into()))?;
    let options = ViewOptions {
        document: None,
        ..options.clone()
    };
    run(state, move |store, token| {
        Ok(compare_documents(store, &first, &second, &options, token)?)
    })
    .await
}

/// The diagram as DOT or SVG, kept until the store changes; drawn from `known` when the
/// caller has the comparison already.
async fn diagram(
    state: &AppState,
    sides: &Sides,
    options: &ViewOptions,
    svg: bool,
    known: Option<&Comparison>,
) -> Result<Bytes, AppError> {
    let name = if svg { "compare.svg" } else { "compare.dot" };
    let key = format!("{name}?{}", query_string(sides, options));
    let generation = || state.store().generation();
    state
        .drawings
        .get_or_make(generation, key, || async {
            let comparison = match known {
                Some(c) => c.clone(),
                None => comparison(state, sides, options).await?,
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
    Query(sides): Query<Sides>,
    Options(options): Options,
) -> Result<Response, AppError> {
    let comparison = comparison(&state, &sides, &options).await?;
    Ok((
        [(header::CONTENT_TYPE, "text/csv; charset=utf-8")],
        comparison_csv(&comparison),
    )
        .into_response())
}

/// GET /compare.svg
pub async fn compare_svg(
    State(state): State<AppState>,
    Query(sides): Query<Sides>,
    Options(options): Options,
) -> Result<Response, AppError> {
    let bytes = diagram(&state, &sides, &options, true, None).await?;
    Ok(([(header::CONTENT_TYPE, "image/svg+xml")], bytes).into_response())
}

/// GET /compare.dot
pub async fn compare_dot(
    State(state): State<AppState>,
    Query(sides): Query<Sides>,
    Options(options): Options,
) -> Result<Response, AppError> {
    let bytes = diagram(&state, &sides, &options, false, None).await?;
    Ok(([(header::CONTENT_TYPE, "text/vnd.graphviz")], bytes).into_response())
}

/// GET /compare: two documents to choose; once chosen, the counts, the diagram and the
/// table.
pub async fn compare_page(
    State(state): State<AppState>,
    Query(sides): Query<Sides>,
    Options(options): Options,
) -> Result<Response, AppError> {
    let documents: Vec<DocumentRow> = data::page_of(&state, &DOCUMENTS, PICK_LIST + 1, 0).await?;
    let pick = documents.len() <= PICK_LIST;
    let chosen = match sides.chosen() {
        None => None,
        Some(_) => Some(match comparison(&state, &sides, &options).await {
            Ok(c) => {
                let svg = diagram(&state, &sides, &options, true, Some(&c)).await?;
                Ok((c, svg))
            }
            Err(e) if e.is_client_error() => Err(e.to_string()),
            Err(e) => return Err(e),
        }),
    };
    let query = query_string(&sides, &options);
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
                                option value=(key) selected[sides.side(side) == key] { (d.title) }
                            }
                        } } " "
                    } @else {
                        label { (side) " " input name=(side) value=(sides.side(side)) size="24"; } " "
                    }
                }
                label { "section " input name="section" value=(options.section.clone().unwrap_or_default()) size="8"; } " "
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
