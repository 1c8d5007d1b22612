//! `/`: the documents in the store, counts, and links to the views and the endpoint.

use axum::extract::{Query, State};
use axum::response::Html;
use maud::html;
use serde::Deserialize;

use super::data;
use super::queries::{DOCUMENTS, DocumentRow};
use super::{corpus_views, last_segment, page};
use crate::http::{AppError, AppState, run_page};
use policykg_views::render::OutputFormat;

/// How many documents the home page lists at a time.
const PER_PAGE: usize = 100;

#[derive(Deserialize)]
pub struct HomeParams {
    /// The page of the document list, from 1.
    #[serde(default)]
    page: Option<usize>,
}

/// GET /?page=N
pub async fn home(
    State(state): State<AppState>,
    Query(params): Query<HomeParams>,
) -> Result<Html<String>, AppError> {
    let totals = run_page(&state, |store, _| Ok(store.totals()?)).await?;
    let pages = (totals.documents as usize).div_ceil(PER_PAGE).max(1);
    let current = params.page.unwrap_or(1).clamp(1, pages);
    let offset = (current - 1) * PER_PAGE;
    let documents: Vec<DocumentRow> = data::page_of(&state, &DOCUMENTS, PER_PAGE, offset).await?;
    Ok(page(
        "policykg",
        html! {
            p { (totals.documents) " documents · " (totals.tasks) " tasks · " (totals.units) " units" }
            h2 { "Documents 文件" }
            table id="documents" {
                tr { th { "title" } th { "文号" } th { "date" } th { "tasks" } }
                @for d in &documents {
                    tr {
                        td { a href={ "/doc/" (last_segment(&d.doc)) } { (d.title) } }
                        td { (d.number) } td { (d.date) } td { (d.tasks) }
                    }
                }
            }
            @if pages > 1 {
                p class="pages" {
                    "documents " (offset + 1) "–" (offset + documents.len()) " of " (totals.documents) " · page "
                    @for n in 1..=pages {
                        @if n == current { b { (n) } } @else { a href={ "/?page=" (n) } { (n) } }
                        " "
                    }
                }
            }
            h2 { "Graphs 关系图" }
            ul {
                @for view in corpus_views() {
                    li {
                        a href={ "/graph/" (view) } { (view) } " · "
                        @for format in OutputFormat::ALL {
                            a href={ "/graph/" (view) "." (format) } { (format) } " "
                        }
                    }
                }
                li { a href="/graph/ego" { "ego" } ", " a href="/graph/path" { "path" } " and "
                     a href="/graph/construct" { "construct" } " take a node, two nodes or a query" }
            }
            h2 { "SPARQL" }
            ul {
                li { a href="/query" { "query page" } " with the named queries" }
                li { "endpoint " code { "/sparql" } " (SPARQL 1.1 Protocol, for any client)" }
                li { "graphs " code { "/store?graph=IRI" } " (Graph Store Protocol)" }
                li { a href="/api/stats" { "/api/stats" } " · " a href="/health" { "/health" } }
            }
        },
    ))
}
