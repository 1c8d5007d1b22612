//! `/graph/{view}`: a view's fields as a form, the drawing inline (drag to pan, wheel to
//! zoom, click a node to open it) and its downloads; `/graph/{view}.{format}`: the file.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use maud::{PreEscaped, html};
use serde::Deserialize;

use super::data::{self, DOCUMENTS};
use super::{PAN_ZOOM, last_segment, page};
use crate::graph::{Field, ViewKind};
use crate::http::drawing::{inline_svg, view_file};
use crate::http::{AppError, AppState};
use crate::model::Role;
use crate::render::OutputFormat;

/// Up to how many documents the document field is a list.
const PICK_LIST: usize = 300;

#[derive(Deserialize)]
struct Document {
    doc: String,
    title: String,
}

/// GET /graph/{view} or /graph/{view}.{dot|svg|png|pdf|graphml|json}, with the view's
/// fields as query parameters.
pub async fn graph_file(
    State(state): State<AppState>,
    Path(file): Path<String>,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let (name, format) = match file.rsplit_once('.') {
        Some((name, format)) => (name, Some(format)),
        None => (file.as_str(), None),
    };
    let view: ViewKind = name
        .parse()
        .map_err(|_| AppError::NotFound(format!("no view {name}")))?;
    let Some(format) = format else {
        return graph_page(state, view, params).await;
    };
    let format: OutputFormat = format.parse().map_err(|_| {
        AppError::NotFound(format!(
            "no format {format}: use dot, svg, png, pdf, graphml or json"
        ))
    })?;
    let bytes = view_file(&state, view, format, &params).await?;
    Ok(([(header::CONTENT_TYPE, format.media_type())], bytes).into_response())
}

/// The page of a view. A field the view cannot use is shown on the page with a 400.
async fn graph_page(
    state: AppState,
    view: ViewKind,
    params: HashMap<String, String>,
) -> Result<Response, AppError> {
    let (status, drawing) = match inline_svg(&state, view, &params).await {
        Ok(svg) => (StatusCode::OK, Ok(svg)),
        Err(e) if e.status() == StatusCode::BAD_REQUEST || e.status() == StatusCode::NOT_FOUND => {
            (StatusCode::BAD_REQUEST, Err(e.to_string()))
        }
        Err(other) => return Err(other),
    };
    // A list to pick from while it is short; a field to type a key, title or 文号 in after.
    let documents: Vec<Document> = data::page_of(&state, DOCUMENTS, PICK_LIST + 1, 0).await?;
    let pick = documents.len() <= PICK_LIST;
    let query: String = serde_urlencoded::to_string(&params).unwrap_or_default();
    let field = |f: Field| params.get(f.name()).cloned().unwrap_or_default();
    let form_fields = view.spec().fields.iter().filter(|f| **f != Field::Query);
    let body = page(
        &format!("{view} graph"),
        html! {
            form method="get" id="filters" {
                @for f in form_fields {
                    @let key = f.name();
                    @match f {
                        Field::StatedOnly => {
                            label { input type="checkbox" name=(key) value="true" checked[field(*f) == "true"]; " stated only" } " "
                        }
                        Field::Role => {
                            label { "role " select name="role" {
                                option value="" { "all" }
                                @for role in Role::ALL {
                                    option value=(role.as_str()) selected[field(Field::Role) == role.as_str()] { (role.as_str()) }
                                }
                            } } " "
                        }
                        Field::Document if pick => {
                            label { "document " select name="document" {
                                option value="" { "all" }
                                @for d in &documents {
                                    @let key = last_segment(&d.doc);
                                    option value=(key) selected[field(Field::Document) == key] {
                                        (d.title)
                                    }
                                }
                            } } " "
                        }
                        _ => {
                            label { (key) " " input name=(key) value=(field(*f)) size="12"; } " "
                        }
                    }
                }
                @if view.reads(Field::Query) {
                    textarea name="query" rows="6" cols="100" { (field(Field::Query)) }
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
                        " · drag to pan, wheel to zoom, click a node to open it"
                    }
                    div id="graph" { (PreEscaped(svg)) }
                    script { (PreEscaped(PAN_ZOOM)) }
                }
                Err(message) => p class="error" { (message) }
            }
        },
    );
    Ok((status, body).into_response())
}
