//! `/doc/{key}`: a document's text with every recognised unit, strategy, region and platform
//! highlighted and linked to its entity page.

use axum::extract::{Path, State};
use axum::response::Html;
use maud::{Markup, html};

use super::data;
use super::queries::{
    DOCUMENT_MARKS, DOCUMENT_TEXT, DOCUMENT_UNREAD, DocumentMark, DocumentText, DocumentUnread,
};
use super::{page, urlencode};
use crate::http::{AppError, AppState};
use policykg_extract::vocab::{document_graph, document_iri};

/// The kind of the mark of a clause not read as an annotation.
const UNREAD: &str = "unread";

/// GET /doc/{key}
pub async fn document(
    State(state): State<AppState>,
    Path(key): Path<String>,
) -> Result<Html<String>, AppError> {
    let doc = data::iri("document", document_iri(&key).as_str())?;
    // Everything on the page is in the document's own graph (labels in the reference graph).
    let graphs = vec![document_graph(&key).as_str().to_string()];
    let head: Vec<DocumentText> = data::rows_in(
        &state,
        &DOCUMENT_TEXT,
        vec![("doc", doc.clone())],
        graphs.clone(),
    )
    .await?;
    let Some(DocumentText { title, text }) = head.into_iter().next() else {
        return Err(AppError::NotFound(format!("no document {key}")));
    };
    let marks: Vec<DocumentMark> = data::rows_in(
        &state,
        &DOCUMENT_MARKS,
        vec![("doc", doc.clone())],
        graphs.clone(),
    )
    .await?;
    let unread: Vec<DocumentUnread> =
        data::rows_in(&state, &DOCUMENT_UNREAD, vec![("doc", doc)], graphs).await?;
    let mut spans: Vec<(usize, usize, String, String)> = marks
        .into_iter()
        .map(|m| (m.start, m.end, m.kind, m.target))
        .chain(
            unread
                .iter()
                .map(|u| (u.start, u.end, UNREAD.to_string(), String::new())),
        )
        .collect();
    spans.sort();
    spans.dedup_by(|b, a| b.0 < a.1); // keep the first of overlapping mentions
    let chars: Vec<char> = text.chars().collect();
    let mut at = 0;
    let mut pieces: Vec<Markup> = Vec::new();
    for (start, end, kind, target) in &spans {
        if *start < at || *end > chars.len() {
            continue;
        }
        pieces.push(html! { (chars[at..*start].iter().collect::<String>()) });
        let piece: String = chars[*start..*end].iter().collect();
        pieces.push(if kind == UNREAD {
            html! { mark id={ "s" (start) } class=(kind) title="possible unit annotation not read" { (piece) } }
        } else {
            html! {
                a id={ "s" (start) } href={ "/entity?iri=" (urlencode(target)) } {
                    mark class=(kind) { (piece) }
                }
            }
        });
        at = *end;
    }
    pieces.push(html! { (chars[at..].iter().collect::<String>()) });
    Ok(page(
        &title,
        html! {
            p { mark class="unit" { "单位 unit" } " " mark class="strategy" { "战略 strategy" } " "
                mark class="region" { "地区 region" } " " mark class="platform" { "平台 platform" } }
            @if !unread.is_empty() {
                div class="unread" {
                    p { strong { (unread.len()) " possible unit annotations not read" }
                        " — clauses that name units but were not read as an annotation; the counts and \
                          networks of this document may miss their units:" }
                    ul { @for u in &unread {
                        li { a href={ "#s" (u.start) } { "line " (u.line) } ": " (u.quote) }
                    } }
                }
            }
            pre class="doc" { @for p in &pieces { (p) } }
        },
    ))
}
