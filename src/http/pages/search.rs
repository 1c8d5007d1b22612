//! `/search?q=&page=`: units, tasks, strategies, regions, platforms and documents whose
//! labels hold the words, then tasks whose text holds them (the words marked where they
//! are), read from the full-text index kept with the store; `/api/search` gives the same
//! as JSON. Full- and half-width forms match each other.

use axum::Json;
use axum::extract::{Query, State};
use axum::response::Html;
use maud::{Markup, html};
use serde::Deserialize;

use super::{last_segment, page, urlencode};
use crate::http::{AppError, AppState};
use policykg_extract::vocab::{GRAPH, REFERENCE_GRAPH};
use policykg_store::fulltext::{Matched, SearchResults, Snippet};

/// Hits on a page.
const PAGE_SIZE: usize = 50;
/// Longest query read, in characters.
const MAX_QUERY: usize = 200;

#[derive(Deserialize)]
pub struct SearchParams {
    #[serde(default)]
    q: String,
    /// 1-based.
    page: Option<usize>,
    /// Hits per page, for `/api/search` (at most 500).
    limit: Option<usize>,
}

impl SearchParams {
    fn query(&self) -> Result<String, AppError> {
        let q = self.q.trim();
        if q.chars().count() > MAX_QUERY {
            return Err(AppError::BadRequest(format!(
                "parameter q: at most {MAX_QUERY} characters"
            )));
        }
        Ok(q.to_string())
    }

    fn page(&self) -> Result<usize, AppError> {
        match self.page {
            Some(0) => Err(AppError::BadRequest(
                "parameter page: pages are numbered from 1".to_string(),
            )),
            page => Ok(page.unwrap_or(1)),
        }
    }
}

async fn find(
    state: &AppState,
    q: String,
    limit: usize,
    page: usize,
) -> Result<SearchResults, AppError> {
    let offset = (page - 1).saturating_mul(limit);
    state
        .runner
        .run(move |store, _| Ok::<_, AppError>(store.search(&q, limit, offset)?))
        .await
}

/// GET /api/search?q=&page=&limit=
pub async fn search_api(
    State(state): State<AppState>,
    Query(params): Query<SearchParams>,
) -> Result<Json<SearchResults>, AppError> {
    let limit = params.limit.unwrap_or(PAGE_SIZE);
    if !(1..=500).contains(&limit) {
        return Err(AppError::BadRequest(
            "parameter limit: from 1 to 500".to_string(),
        ));
    }
    let results = find(&state, params.query()?, limit, params.page()?).await?;
    Ok(Json(results))
}

/// GET /search?q=&page=
pub async fn search(
    State(state): State<AppState>,
    Query(params): Query<SearchParams>,
) -> Result<Html<String>, AppError> {
    let q = params.query()?;
    let page_number = params.page()?;
    let results = find(&state, q.clone(), PAGE_SIZE, page_number).await?;
    let pages = results.total.div_ceil(PAGE_SIZE);
    let link = |n: usize| format!("/search?q={}&page={n}", urlencode(&q));
    Ok(page(
        &format!("Search: {q}"),
        html! {
            p { (results.total) " results" }
            ul { @for h in &results.hits {
                li { a href={ "/entity?iri=" (urlencode(&h.node)) } { (h.label) } " "
                     small { (h.class.name()) }
                     @if let Some(key) = document_key(&h.graph) {
                         " " small { a href={ "/doc/" (key) } { (key) } }
                     }
                     @if h.matched == Matched::Characters {
                         " " small { "(the characters, not the words)" }
                     }
                     @if let Some(s) = &h.snippet { br; small class="snippet" { (marked(s)) } } }
            } }
            @if pages > 1 {
                p {
                    @if page_number > 1 { a href=(link(page_number - 1)) { "← previous" } " " }
                    "page " (page_number) " of " (pages)
                    @if page_number < pages { " " a href=(link(page_number + 1)) { "next →" } }
                }
            }
        },
    ))
}

/// The key of a document's graph, as its page's path has it.
fn document_key(graph: &str) -> Option<&str> {
    (graph.starts_with(GRAPH) && graph != REFERENCE_GRAPH.as_str()).then(|| last_segment(graph))
}

/// The snippet's text with its marks.
fn marked(snippet: &Snippet) -> Markup {
    let chars: Vec<char> = snippet.text.chars().collect();
    let text = |range: std::ops::Range<usize>| -> String {
        chars[range.start.min(chars.len())..range.end.min(chars.len())]
            .iter()
            .collect()
    };
    // Alternating plain and marked pieces.
    let mut pieces = Vec::new();
    let mut at = 0;
    for mark in &snippet.marks {
        pieces.push((text(at..mark.start), false));
        pieces.push((text(mark.clone()), true));
        at = mark.end;
    }
    pieces.push((text(at..chars.len()), false));
    html! {
        @if snippet.cut_before { "…" }
        @for (piece, found) in pieces {
            @if found { mark class="found" { (piece) } } @else { (piece) }
        }
        @if snippet.cut_after { "…" }
    }
}
