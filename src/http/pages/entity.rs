//! `/entity?iri=…`: a node's label, its relations in and out (grouped by predicate and shown
//! by label), the evidence of every extracted relation with the mention marked in its
//! sentence, and its neighbourhood.

use std::collections::{BTreeSet, HashMap};

use axum::extract::{Query, State};
use axum::response::Html;
use maud::{Markup, PreEscaped, html};
use serde::Deserialize;

use super::data;
use super::queries::{
    DOCUMENT_TEXT, DocumentText, ENTITY_EVIDENCE, ENTITY_IN, ENTITY_LABEL, ENTITY_OUT,
    EVIDENCE_LIMIT, EntityEvidence, EntityLabel, EntityRelation,
};
use super::{GRAPH_SCRIPT, evidence, last_segment, page, urlencode};
use crate::http::drawing::inline_svg;
use crate::http::{AppError, AppState};
use policykg_extract::vocab::compact_iri;
use policykg_views::graph::{ViewKind, ViewOptions};

#[derive(Deserialize)]
pub struct EntityParams {
    iri: String,
}

/// Above this many documents naming a node, its page draws its neighbourhood in one.
const NEIGHBOURHOOD_DOCUMENTS: usize = 5;

/// GET /entity?iri=…
pub async fn entity(
    State(state): State<AppState>,
    Query(params): Query<EntityParams>,
) -> Result<Html<String>, AppError> {
    let node = data::iri("iri", &params.iri)?;
    let bound = || vec![("node", node.clone())];
    // Four independent queries, each in a slot of its own.
    let (label, out_rows, in_rows, evidence_rows): (
        Vec<EntityLabel>,
        Vec<EntityRelation>,
        Vec<EntityRelation>,
        Vec<EntityEvidence>,
    ) = tokio::try_join!(
        data::rows(&state, &ENTITY_LABEL, bound()),
        data::rows(&state, &ENTITY_OUT, bound()),
        data::rows(&state, &ENTITY_IN, bound()),
        data::rows(&state, &ENTITY_EVIDENCE, bound()),
    )?;
    let mut texts: HashMap<String, Vec<char>> = HashMap::new();
    for r in &evidence_rows {
        if texts.contains_key(&r.doc) {
            continue;
        }
        let doc = data::iri("doc", &r.doc)?;
        let text: Vec<DocumentText> =
            data::rows(&state, &DOCUMENT_TEXT, vec![("doc", doc)]).await?;
        let chars = text
            .first()
            .map(|t| t.text.chars().collect())
            .unwrap_or_default();
        texts.insert(r.doc.clone(), chars);
    }
    let mut ego = ViewOptions {
        focus: Some(params.iri.clone()),
        depth: Some(1),
        ..ViewOptions::default()
    };
    // The neighbourhood of a node that many documents name costs what they all hold (10 s
    // for a unit of 20 documents among 1,000): the page draws it in one document instead.
    let documents: BTreeSet<&str> = evidence_rows.iter().map(|r| r.doc.as_str()).collect();
    let scoped = documents.len() > NEIGHBOURHOOD_DOCUMENTS;
    if scoped && let Some(first) = documents.first() {
        ego.document = Some(last_segment(first).to_string());
    }
    // A node outside every view (a class, a literal's datatype …) has no neighbourhood.
    let svg = match inline_svg(&state, ViewKind::Ego, &ego).await {
        Ok(svg) => Some(svg),
        Err(e) if e.is_client_error() => None,
        Err(other) => return Err(other),
    };
    let scope_note = scoped.then(|| {
        format!(
            "Named in {}{} documents: its neighbourhood is drawn in {} only.",
            documents.len(),
            if evidence_rows.len() >= EVIDENCE_LIMIT {
                " or more"
            } else {
                ""
            },
            documents.first().map_or("", |d| last_segment(d))
        )
    });
    let label = label
        .into_iter()
        .next()
        .map_or_else(|| params.iri.clone(), |l| l.label);
    let link = |row: &EntityRelation| -> Markup {
        let shown = row.label.as_deref().unwrap_or(&row.target);
        if row.target.starts_with("http") {
            html! { a href={ "/entity?iri=" (urlencode(&row.target)) } title=(row.target) { (shown) } }
        } else {
            html! { (row.target) }
        }
    };
    // Relations grouped by predicate, in the order of the rows.
    let grouped = |rows: &[EntityRelation]| {
        let mut groups: Vec<(String, Vec<Markup>)> = Vec::new();
        for r in rows {
            let p = compact_iri(&r.p);
            match groups.last_mut() {
                Some((last, items)) if *last == p => items.push(link(r)),
                _ => groups.push((p, vec![link(r)])),
            }
        }
        groups
    };
    let (out_groups, in_groups) = (grouped(&out_rows), grouped(&in_rows));
    Ok(page(
        &label,
        html! {
            p { code { (params.iri) } }
            @if !evidence_rows.is_empty() {
                h2 { "Evidence 原文依据" }
                ul class="evidence" {
                    @for r in &evidence_rows {
                        @let (start, end) = (r.start, r.end);
                        li {
                            @if let Some(title) = &r.title { b { (title) } ": " }
                            (evidence(texts.get(&r.doc).map_or(&[][..], Vec::as_slice), start, end, &r.kind))
                            " " a href={ "/doc/" (last_segment(&r.doc)) "#s" (start) } { "↗" }
                        }
                    }
                }
            }
            h2 { "Relations out" }
            table class="relations" { @for (p, items) in &out_groups {
                tr { th { (p) } td { @for (i, item) in items.iter().enumerate() { @if i > 0 { " · " } (item) } } }
            } }
            h2 { "Relations in" }
            table class="relations" { @for (p, items) in &in_groups {
                tr { th { (p) } td { @for (i, item) in items.iter().enumerate() { @if i > 0 { " · " } (item) } } }
            } }
            @if let Some(note) = &scope_note {
                p class="note" { (note) " " a href={ "/graph/ego?focus=" (urlencode(&params.iri)) } { "All of it (slow on a large corpus)" } }
            }
            @if let Some(svg) = &svg {
                h2 { "Neighbourhood" }
                div id="graph" { (PreEscaped(svg)) }
                script { (PreEscaped(GRAPH_SCRIPT)) }
            }
        },
    ))
}
