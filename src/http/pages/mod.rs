//! The explorer's HTML pages, one file each, and what they share: the frame of every page
//! (navigation, title, style), the data layer that runs their queries, and small pieces of
//! markup. Pages are maud templates, so every string is escaped.

mod compare;
mod data;
mod document;
mod entity;
mod form;
mod graph;
mod home;
mod matrix;
mod queries;
mod query;
mod search;
mod status;

use maud::{DOCTYPE, Markup, PreEscaped, html};

use axum::response::Html;

use policykg_views::graph::ViewKind;

pub use compare::{compare_csv, compare_dot, compare_page, compare_svg};
pub use document::document;
pub use entity::entity;
pub use graph::graph_file;
pub use home::home;
pub use matrix::{matrix_csv, matrix_json, matrix_page, matrix_svg, matrix_xlsx};
pub use query::query_page;
pub use search::{search, search_api};
pub use status::{health, stats};

const STYLE: &str = "body{font-family:'Noto Sans CJK SC',sans-serif;margin:1.5em;max-width:80em}\
nav a{margin-right:1em}mark{background:#ffe08a}mark.unit{background:#c9daf8}mark.strategy{background:#ffd966}\
mark.region{background:#b6d7a8}mark.platform{background:#a2c4c9}mark.unread{background:#f4cccc;outline:1px dashed #c00}.unread{border-left:3px solid #c00;padding-left:.8em}#graph{border:1px solid #ccc;overflow:hidden;height:70vh;cursor:grab}\
#graph svg.dim g.node:not(.hl),#graph svg.dim g.edge:not(.hl){opacity:.15}#graph g.node.hl ellipse,#graph g.node.hl polygon{stroke-width:3}\
.legend span.swatch{display:inline-block;width:1em;height:1em;border:1px solid #999;vertical-align:middle;margin-right:.3em}.legend li{list-style:none}\
p.error{color:#a00}table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:2px 6px;text-align:left}pre.doc{white-space:pre-wrap;line-height:1.7}";

/// Fit, pan, zoom, neighbours on hover and a node search for the inline SVG.
const GRAPH_SCRIPT: &str = include_str!("assets/graph.js");

/// The views drawn from the whole store, which the navigation links.
fn corpus_views() -> impl Iterator<Item = ViewKind> {
    ViewKind::ALL.iter().copied().filter(|v| v.spec().corpus)
}

/// The frame of every page: navigation, title and style.
pub fn page(title: &str, body: Markup) -> Html<String> {
    Html(
        html! {
            (DOCTYPE)
            html lang="zh" {
                head {
                    meta charset="utf-8";
                    title { (title) " · policykg" }
                    style { (PreEscaped(STYLE)) }
                }
                body {
                    nav {
                        a href="/" { "policykg" }
                        a href="/query" { "SPARQL" }
                        @for v in corpus_views() {
                            a href={ "/graph/" (v) } { (v) }
                        }
                        a href="/matrix" { "matrix 矩阵" }
                        a href="/compare" { "compare 对比" }
                        form action="/search" method="get" style="display:inline" {
                            input name="q" placeholder="search 搜索";
                        }
                    }
                    h1 { (title) }
                    (body)
                }
            }
        }
        .into_string(),
    )
}

/// A value for a URL's query string.
fn urlencode(text: &str) -> String {
    serde_urlencoded::to_string([("x", text)])
        .map(|s| s[2..].to_string())
        .unwrap_or_default()
}

/// The last segment of an IRI: a document's key in `/doc/{key}`.
fn last_segment(iri: &str) -> &str {
    iri.rsplit('/').next().unwrap_or("")
}

const CONTEXT: usize = 40;

/// The sentence around a span with the span marked.
fn evidence(text: &[char], start: usize, end: usize, class: &str) -> Markup {
    let start = start.min(text.len());
    let end = end.min(text.len()).max(start);
    let from = (start.saturating_sub(CONTEXT)..start)
        .rev()
        .find(|&i| matches!(text[i], '。' | '\n'))
        .map_or(start.saturating_sub(CONTEXT), |i| i + 1);
    let to = (end..(end + CONTEXT).min(text.len()))
        .find(|&i| matches!(text[i], '。' | '\n'))
        .map_or((end + CONTEXT).min(text.len()), |i| i + 1);
    let part = |a: usize, b: usize| -> String { text[a..b].iter().collect() };
    html! { (part(from, start)) mark class=(class) { (part(start, end)) } (part(end, to)) }
}
