//! `/`: the documents in the store, counts, and links to the views and the endpoint.

use axum::extract::State;
use axum::response::Html;
use maud::html;
use serde::Deserialize;

use super::data::{self, DOCUMENTS};
use super::{corpus_views, last_segment, page};
use crate::http::{AppError, AppState, run};
use crate::render::OutputFormat;

#[derive(Deserialize)]
struct Document {
    doc: String,
    title: String,
    #[serde(default)]
    number: String,
    #[serde(default)]
    date: String,
    #[serde(default)]
    tasks: String,
}

/// GET /
pub async fn home(State(state): State<AppState>) -> Result<Html<String>, AppError> {
    let documents: Vec<Document> = data::rows(&state, DOCUMENTS, Vec::new()).await?;
    let stats = run(&state, |store, _| Ok(store.stats()?)).await?;
    Ok(page(
        "policykg",
        html! {
            p { (stats.documents) " documents · " (stats.tasks) " tasks · " (stats.units) " units" }
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
