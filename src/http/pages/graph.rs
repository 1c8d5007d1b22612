//! `/graph/{view}`: a view's fields as a form, the drawing inline (drag to pan, wheel to
//! zoom, click a node to open it) and its downloads; `/graph/{view}.{format}`: the file.

use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use maud::{PreEscaped, html};
use serde::Deserialize;

use super::data;
use super::form::filter_fields;
use super::queries::{DOCUMENTS, DocumentRow};
use super::{GRAPH_SCRIPT, page};
use crate::http::drawing::{Options, inline_svg, view_file};
use crate::http::{AppError, AppState};
use maud::Markup;
use policykg_views::graph::{Field, Layout, ViewKind, ViewOptions};
use policykg_views::render::{OutputFormat, community_colour};

/// Up to how many documents the document field is a list.
const PICK_LIST: usize = 300;

/// GET /graph/{view} or /graph/{view}.{dot|svg|png|pdf|graphml|json}, with the view's
/// fields as query parameters.
pub async fn graph_file(
    State(state): State<AppState>,
    Path(file): Path<String>,
    options: Result<Options, AppError>,
) -> Result<Response, AppError> {
    let (name, format) = match file.rsplit_once('.') {
        Some((name, format)) => (name, Some(format)),
        None => (file.as_str(), None),
    };
    let view: ViewKind = name
        .parse()
        .map_err(|_| AppError::NotFound(format!("no view {name}")))?;
    let Some(format) = format else {
        return graph_page(state, view, options.map(|Options(o)| o)).await;
    };
    let Options(options) = options?;
    let format: OutputFormat = format.parse().map_err(|_| {
        AppError::NotFound(format!("no format {format}: use {}", OutputFormat::names()))
    })?;
    let bytes = view_file(&state, view, format, &options).await?;
    Ok(([(header::CONTENT_TYPE, format.media_type())], bytes).into_response())
}

/// The page of a view. A field the view cannot use is shown on the page with a 400.
async fn graph_page(
    state: AppState,
    view: ViewKind,
    options: Result<ViewOptions, AppError>,
) -> Result<Response, AppError> {
    let drawn = match &options {
        Ok(options) => inline_svg(&state, view, options).await,
        Err(e) => Err(AppError::BadRequest(e.to_string())),
    };
    let options = options.unwrap_or_default();
    let (status, drawing) = match drawn {
        Ok(svg) => (StatusCode::OK, Ok(svg)),
        Err(e) if e.status() == StatusCode::BAD_REQUEST || e.status() == StatusCode::NOT_FOUND => {
            (StatusCode::BAD_REQUEST, Err(e.to_string()))
        }
        Err(other) => return Err(other),
    };
    let legend = match (&drawing, view.spec().layout) {
        (Ok(_), Layout::Network) => Some(community_legend(&state, view, &options).await?),
        _ => None,
    };
    // A diagram of too many boxes is a wall of arrows: the matrix reads better.
    let crowded = view.spec().crowded_above.is_some_and(|most| {
        drawing
            .as_ref()
            .is_ok_and(|svg| svg.matches("class=\"node\"").count() > most)
    });
    // A list to pick from while it is short; a field to type a key, title or 文号 in after.
    let documents: Vec<DocumentRow> = data::page_of(&state, &DOCUMENTS, PICK_LIST + 1, 0).await?;
    let pick = documents.len() <= PICK_LIST;
    let query = options.query_string();
    let body = page(
        &format!("{view} graph"),
        html! {
            form method="get" id="filters" {
                (filter_fields(view.spec().fields, &options, pick.then_some(documents.as_slice())))
                @if view.reads(Field::Query) {
                    textarea name="query" rows="6" cols="100" { (options.value(Field::Query)) }
                    br;
                }
                button type="submit" { "apply" }
            }
            @match &drawing {
                Ok(svg) => {
                    p {
                        "Download: "
                        @for format in OutputFormat::ALL {
                            a class="download" href={ "/graph/" (view) "." (format) "?" (query) } { (format) } " "
                        }
                        " · drag to pan, wheel to zoom, hover a node to see its neighbours, click it to open it"
                    }
                    p class="tools" {
                        input id="find" list="node-names" placeholder="find a node 查找" size="24";
                        datalist id="node-names" {}
                        " "
                        button type="button" id="fit" { "fit" }
                        " "
                        button type="button" id="reset" { "reset" }
                    }
                    @if crowded {
                        p class="note" {
                            "This selection has too many tasks to follow each arrow: "
                            a href={ "/matrix?" (query) } { "see it as a responsibility matrix 责任分工矩阵" }
                            ", or choose a section."
                        }
                    }
                    div id="graph" { (PreEscaped(svg)) }
                    @if let Some(legend) = &legend {
                        (legend)
                    }
                    script { (PreEscaped(GRAPH_SCRIPT)) }
                }
                Err(message) => p class="error" { (message) }
            }
        },
    );
    Ok((status, body).into_response())
}

/// A network view's communities as an HTML legend beside the drawing: each one's colour,
/// size and largest members, from the view's JSON (drawn and kept with the drawing).
async fn community_legend(
    state: &AppState,
    view: ViewKind,
    options: &ViewOptions,
) -> Result<Markup, AppError> {
    #[derive(Deserialize)]
    struct NodeJson {
        label: String,
        weighted_degree: f64,
        community: usize,
    }
    #[derive(Deserialize)]
    struct ViewJson {
        nodes: Vec<NodeJson>,
    }
    let bytes = view_file(state, view, OutputFormat::Json, options).await?;
    let parsed: ViewJson = serde_json::from_slice(&bytes)
        .map_err(|e| AppError::internal(format!("the view's JSON: {e}")))?;
    let mut communities: std::collections::BTreeMap<usize, Vec<NodeJson>> = Default::default();
    for node in parsed.nodes {
        communities.entry(node.community).or_default().push(node);
    }
    for members in communities.values_mut() {
        members.sort_by(|a, b| {
            b.weighted_degree
                .total_cmp(&a.weighted_degree)
                .then(a.label.cmp(&b.label))
        });
    }
    Ok(html! {
        ul class="legend" {
            li { "Size: tasks a unit shares with others · line width and darkness: tasks two units share (faint: one) · colour: community (Leiden)" }
            @for (community, members) in communities {
                li {
                    span class="swatch" style={ "background:" (community_colour(community)) } {}
                    "community " (community + 1) " (" (members.len()) " units): "
                    @for (i, m) in members.iter().take(6).enumerate() {
                        @if i > 0 { "、" }
                        (m.label)
                    }
                    @if members.len() > 6 { " …" }
                }
            }
        }
    })
}
