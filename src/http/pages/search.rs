//! `/search?q=`: units, tasks, strategies, regions, platforms and documents whose label holds
//! the words, tasks also by their text (the words marked where they are). Full- and
//! half-width forms match each other.

use axum::extract::{Query, State};
use axum::response::Html;
use maud::{Markup, html};
use serde::Deserialize;

use super::data::{self, SEARCH};
use super::{evidence, page, urlencode};
use crate::http::{AppError, AppState};
use crate::text::{fold, fold_str};
use crate::vocab::POL;

#[derive(Deserialize)]
pub struct SearchParams {
    #[serde(default)]
    q: String,
}

#[derive(Deserialize)]
struct Candidate {
    node: String,
    label: String,
    class: String,
    text: Option<String>,
}

/// GET /search?q=
pub async fn search(
    State(state): State<AppState>,
    Query(params): Query<SearchParams>,
) -> Result<Html<String>, AppError> {
    let all: Vec<Candidate> = data::rows(&state, SEARCH, Vec::new()).await?;
    let q = params.q.trim().to_string();
    let wanted = fold_str(&q);
    let holds = |value: &str| fold_str(value).contains(&wanted);
    let in_label = |c: &Candidate| holds(&c.label);
    let in_text = |c: &Candidate| c.text.as_deref().is_some_and(holds);
    let mut hits: Vec<&Candidate> = if q.is_empty() {
        Vec::new()
    } else {
        all.iter().filter(|c| in_label(c) || in_text(c)).collect()
    };
    hits.sort_by(|a, b| (&a.class, &a.label).cmp(&(&b.class, &b.label)));
    hits.dedup_by(|a, b| a.node == b.node);
    // Where the words are in a task's text and not in its title, show them there.
    let snippet = |c: &Candidate| -> Option<Markup> {
        if in_label(c) {
            return None;
        }
        let text: Vec<char> = c.text.as_ref()?.chars().collect();
        let folded: Vec<char> = text.iter().map(|&ch| fold(ch)).collect();
        let needle: Vec<char> = wanted.chars().collect();
        let at = folded
            .windows(needle.len())
            .position(|w| w == needle.as_slice())?;
        Some(evidence(&text, at, at + needle.len(), "found"))
    };
    Ok(page(
        &format!("Search: {q}"),
        html! {
            p { (hits.len()) " results" }
            ul { @for h in hits.iter().take(200) {
                li { a href={ "/entity?iri=" (urlencode(&h.node)) } { (h.label) } " "
                     small { (h.class.strip_prefix(POL).unwrap_or(&h.class)) }
                     @if let Some(s) = snippet(h) { br; small class="snippet" { (s) } } }
            } }
        },
    ))
}
