//! The explorer's HTML pages: a graph page per view (filters, inline SVG with pan and zoom,
//! clickable nodes, downloads), entity pages with the evidence of every extracted relation
//! highlighted in its sentence, document pages with every recognised mention highlighted,
//! search, and a query page with the named queries. maud escapes every string.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use maud::{DOCTYPE, Markup, PreEscaped, html};
use oxigraph::sparql::CancellationToken;

use super::drawing::{FILTERS, FORMATS, inline_svg};
use super::{AppError, AppState, blocking};
use crate::model::Role;
use crate::parse::fold_str;
use crate::sparql::select_rows;
use crate::store::PolicyStore;
use crate::vocab::POL;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/queries.rs"));
}

/// The named queries of `queries/`, embedded at build time.
pub fn named_queries() -> &'static [(&'static str, &'static str)] {
    embedded::NAMED_QUERIES
}

const STYLE: &str = "body{font-family:'Noto Sans CJK SC',sans-serif;margin:1.5em;max-width:80em}\
nav a{margin-right:1em}mark{background:#ffe08a}mark.unit{background:#c9daf8}mark.strategy{background:#ffd966}\
mark.region{background:#b6d7a8}mark.platform{background:#a2c4c9}#graph{border:1px solid #ccc;overflow:hidden;height:70vh;cursor:grab}\
p.error{color:#a00}table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:2px 6px;text-align:left}pre.doc{white-space:pre-wrap;line-height:1.7}";

/// Pan and zoom for the inline SVG.
const PAN_ZOOM: &str = include_str!("assets/panzoom.js");

/// The query page's script.
const QUERY_JS: &str = include_str!("assets/query.js");

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
                        @for v in ["dependency", "cooperation", "strategy", "region"] {
                            a href={ "/graph/" (v) } { (v) }
                        }
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

fn rows(store: &PolicyStore, query: &str) -> Result<Vec<HashMap<String, String>>, AppError> {
    Ok(select_rows(store, query, CancellationToken::new())?)
}

/// A SPARQL IRI reference, refusing what an IRI cannot hold.
fn iri_ref(iri: &str) -> Result<String, AppError> {
    oxigraph::model::NamedNode::new(iri)
        .map(|n| n.to_string())
        .map_err(|e| AppError::BadRequest(format!("iri {iri:?}: {e}")))
}

/// The form fields of each view.
fn view_fields(view: &str) -> Vec<&'static str> {
    match view {
        "ego" => vec!["focus", "depth"],
        "path" => vec!["from", "to"],
        "construct" => Vec::new(),
        "strategy" => FILTERS.into_iter().chain(["stated_only"]).collect(),
        _ => FILTERS.to_vec(),
    }
}

/// GET /graph/{view}: the view with its filters as a form, the drawing and downloads. A
/// filter the view cannot use is shown on the page with a 400.
pub async fn graph_page(
    state: AppState,
    name: String,
    params: HashMap<String, String>,
) -> Result<Response, AppError> {
    let (status, drawing) = match inline_svg(&state, &name, &params).await {
        Ok(svg) => (StatusCode::OK, Ok(svg)),
        Err(e @ (AppError::BadRequest(_) | AppError::NotFound(_))) => {
            (StatusCode::BAD_REQUEST, Err(e.to_string()))
        }
        Err(other) => return Err(other),
    };
    let store = state.store.clone();
    let documents = blocking(move || {
        rows(
            &store,
            "SELECT ?doc ?title WHERE { ?doc a pol:Document ; rdfs:label ?title } ORDER BY ?title ?doc",
        )
    })
    .await?;
    let query: String = serde_urlencoded::to_string(&params).unwrap_or_default();
    let field = |key: &str| params.get(key).cloned().unwrap_or_default();
    let body = page(
        &format!("{name} graph"),
        html! {
            form method="get" id="filters" {
                @for key in &view_fields(&name) {
                    @if *key == "stated_only" {
                        label { input type="checkbox" name=(key) value="true" checked[field(key) == "true"]; " stated only" } " "
                    } @else if *key == "role" {
                        label { "role " select name="role" {
                            option value="" { "all" }
                            @for role in Role::ALL {
                                option value=(role.as_str()) selected[field("role") == role.as_str()] { (role.as_str()) }
                            }
                        } } " "
                    } @else if *key == "document" {
                        label { "document " select name="document" {
                            option value="" { "all" }
                            @for d in &documents {
                                @let key = d.get("doc").and_then(|iri| iri.rsplit('/').next()).unwrap_or("");
                                option value=(key) selected[field("document") == key] {
                                    (d.get("title").map_or("", String::as_str))
                                }
                            }
                        } } " "
                    } @else {
                        label { (key) " " input name=(key) value=(field(key)) size="12"; } " "
                    }
                }
                @if name == "construct" {
                    textarea name="query" rows="6" cols="100" { (field("query")) }
                    br;
                }
                button type="submit" { "apply" }
            }
            @match &drawing {
                Ok(svg) => {
                    p {
                        "Download: "
                        @for (format, _) in FORMATS {
                            a class="download" href={ "/graph/" (name) "." (format) "?" (query) } { (format) } " "
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

#[derive(serde::Deserialize)]
pub struct EntityParams {
    iri: String,
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

/// GET /entity?iri=…: label, types, relations in and out, the evidence of each extracted
/// relation, and the node's ego graph.
pub async fn entity(
    State(state): State<AppState>,
    Query(params): Query<EntityParams>,
) -> Result<Html<String>, AppError> {
    let iri = iri_ref(&params.iri)?;
    let store = state.store.clone();
    let node = params.iri.clone();
    let (label, out_rows, in_rows, evidence_rows, texts) = blocking(move || {
        let label = rows(&store, &format!(
            "SELECT ?l WHERE {{ {{ {iri} rdfs:label ?l }} UNION {{ {iri} skos:prefLabel ?l }} }} LIMIT 1"
        ))?;
        let out_rows = rows(&store, &format!(
            "SELECT ?p ?node (SAMPLE(?l) AS ?label) WHERE {{ {iri} ?p ?node FILTER(?p != pol:fullText) \
               OPTIONAL {{ ?node rdfs:label|skos:prefLabel ?l }} }} GROUP BY ?p ?node ORDER BY ?p ?node LIMIT 500"
        ))?;
        let in_rows = rows(&store, &format!(
            "SELECT ?p ?node (SAMPLE(?l) AS ?label) WHERE {{ ?node ?p {iri} \
               OPTIONAL {{ ?node rdfs:label|skos:prefLabel ?l }} }} GROUP BY ?p ?node ORDER BY ?p ?node LIMIT 500"
        ))?;
        let evidence_rows = rows(&store, &format!(
            "SELECT DISTINCT ?doc ?start ?end ?kind ?title WHERE {{ \
               {{ ?link pol:unit {iri} . BIND(\"unit\" AS ?kind) }} UNION {{ ?link pol:target {iri} ; pol:linkKind \"stated\" . BIND(\"strategy\" AS ?kind) }} \
               ?link pol:evidence ?e . ?e pol:start ?start ; pol:end ?end ; prov:wasQuotedFrom ?doc . \
               OPTIONAL {{ ?task pol:unitLink|pol:entityLink ?link ; dcterms:title ?title }} }} ORDER BY ?doc ?start LIMIT 200"
        ))?;
        let mut texts: HashMap<String, Vec<char>> = HashMap::new();
        for r in &evidence_rows {
            let doc = r.get("doc").cloned().unwrap_or_default();
            if let std::collections::hash_map::Entry::Vacant(slot) = texts.entry(doc) {
                let query = format!("SELECT ?t WHERE {{ {} pol:fullText ?t }} LIMIT 1", iri_ref(slot.key())?);
                let t = rows(&store, &query)?;
                let text = t.first().and_then(|r| r.get("t")).cloned().unwrap_or_default();
                slot.insert(text.chars().collect());
            }
        }
        Ok((label, out_rows, in_rows, evidence_rows, texts))
    })
    .await?;
    let ego = HashMap::from([
        ("focus".to_string(), node),
        ("depth".to_string(), "1".to_string()),
    ]);
    // A node outside every view (a class, a literal's datatype …) has no neighbourhood.
    let svg = match inline_svg(&state, "ego", &ego).await {
        Ok(svg) => Some(svg),
        Err(AppError::BadRequest(_) | AppError::NotFound(_)) => None,
        Err(other) => return Err(other),
    };
    let label = label
        .first()
        .and_then(|r| r.get("l"))
        .cloned()
        .unwrap_or_else(|| params.iri.clone());
    let short = crate::vocab::compact_iri;
    let link = |row: &HashMap<String, String>| -> Markup {
        let node = row.get("node").map_or("", String::as_str);
        let shown = row.get("label").map_or(node, String::as_str);
        if node.starts_with("http") {
            html! { a href={ "/entity?iri=" (urlencode(node)) } title=(node) { (shown) } }
        } else {
            html! { (node) }
        }
    };
    // Relations grouped by predicate, in the order of the rows.
    let grouped = |rows: &[HashMap<String, String>]| {
        let mut groups: Vec<(String, Vec<Markup>)> = Vec::new();
        for r in rows {
            let p = short(r.get("p").map_or("", String::as_str));
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
                        @let doc = r.get("doc").cloned().unwrap_or_default();
                        @let start: usize = r.get("start").and_then(|v| v.parse().ok()).unwrap_or(0);
                        @let end: usize = r.get("end").and_then(|v| v.parse().ok()).unwrap_or(0);
                        @let kind = r.get("kind").cloned().unwrap_or_default();
                        li {
                            @if let Some(title) = r.get("title") { b { (title) } ": " }
                            (evidence(texts.get(&doc).map_or(&[][..], Vec::as_slice), start, end, &kind))
                            " " a href={ "/doc/" (doc.rsplit('/').next().unwrap_or("")) "#s" (start) } { "↗" }
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
            @if let Some(svg) = &svg {
                h2 { "Neighbourhood" }
                div id="graph" { (PreEscaped(svg)) }
                script { (PreEscaped(PAN_ZOOM)) }
            }
        },
    ))
}

fn urlencode(text: &str) -> String {
    serde_urlencoded::to_string([("x", text)])
        .map(|s| s[2..].to_string())
        .unwrap_or_default()
}

/// GET /doc/{key}: the text with every recognised unit, strategy, region and platform
/// highlighted and linked.
pub async fn document(
    State(state): State<AppState>,
    Path(key): Path<String>,
) -> Result<Html<String>, AppError> {
    let doc = iri_ref(&crate::rdf::document_iri(&key).into_string())?;
    let store = state.store.clone();
    let (title, text, marks) = blocking(move || {
        let head = rows(&store, &format!("SELECT ?title ?text WHERE {{ {doc} rdfs:label ?title ; pol:fullText ?text }} LIMIT 1"))?;
        let Some(head) = head.into_iter().next() else {
            return Err(AppError::NotFound(format!("no document {key}")));
        };
        let marks = rows(&store, &format!(
            "SELECT DISTINCT ?start ?end ?target ?kind WHERE {{ \
               {{ ?link pol:unit ?target . BIND(\"unit\" AS ?kind) }} \
               UNION {{ ?link pol:target ?target ; pol:linkKind \"stated\" . ?target a ?class . \
                        BIND(IF(?class = pol:Strategy, \"strategy\", IF(?class = pol:Region, \"region\", \"platform\")) AS ?kind) \
                        FILTER(?class IN (pol:Strategy, pol:Region, pol:Platform)) }} \
               ?link pol:evidence ?e . ?e prov:wasQuotedFrom {doc} ; pol:start ?start ; pol:end ?end }}"
        ))?;
        Ok((head["title"].clone(), head["text"].clone(), marks))
    })
    .await?;
    let mut spans: Vec<(usize, usize, String, String)> = marks
        .iter()
        .filter_map(|r| {
            Some((
                r.get("start")?.parse().ok()?,
                r.get("end")?.parse().ok()?,
                r.get("kind")?.clone(),
                r.get("target")?.clone(),
            ))
        })
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
        pieces.push(html! {
            a id={ "s" (start) } href={ "/entity?iri=" (urlencode(target)) } {
                mark class=(kind) { (chars[*start..*end].iter().collect::<String>()) }
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
            pre class="doc" { @for p in &pieces { (p) } }
        },
    ))
}

#[derive(serde::Deserialize)]
pub struct SearchParams {
    #[serde(default)]
    q: String,
}

/// GET /search?q=: units, tasks, strategies, regions and platforms whose label holds q.
pub async fn search(
    State(state): State<AppState>,
    Query(params): Query<SearchParams>,
) -> Result<Html<String>, AppError> {
    let store = state.store.clone();
    let all = blocking(move || {
        rows(
            &store,
            "SELECT ?node ?label ?class (SAMPLE(?t) AS ?text) WHERE { \
            VALUES ?class { pol:Unit pol:Task pol:Strategy pol:Region pol:Platform pol:Document } \
            ?node a ?class . { ?node rdfs:label ?label } UNION { ?node skos:prefLabel ?label } \
            OPTIONAL { ?node pol:text ?t } } GROUP BY ?node ?label ?class",
        )
    })
    .await?;
    let q = params.q.trim().to_string();
    // Full- and half-width forms match each other, as in the parser.
    let wanted = fold_str(&q);
    let found_in = |field: &str, r: &HashMap<String, String>| {
        r.get(field).is_some_and(|v| fold_str(v).contains(&wanted))
    };
    let mut hits: Vec<&HashMap<String, String>> = if q.is_empty() {
        Vec::new()
    } else {
        all.iter()
            .filter(|r| found_in("label", r) || found_in("text", r))
            .collect()
    };
    hits.sort_by(|a, b| (&a["class"], &a["label"]).cmp(&(&b["class"], &b["label"])));
    hits.dedup_by(|a, b| a["node"] == b["node"]);
    // Where the words are in a task's text and not in its title, show them there.
    let snippet = |r: &HashMap<String, String>| -> Option<Markup> {
        if found_in("label", r) {
            return None;
        }
        let text: Vec<char> = r.get("text")?.chars().collect();
        let folded: Vec<char> = text.iter().map(|&c| crate::parse::fold_char(c)).collect();
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
                li { a href={ "/entity?iri=" (urlencode(&h["node"])) } { (h["label"]) } " "
                     small { (h["class"].strip_prefix(POL).unwrap_or(&h["class"])) }
                     @if let Some(s) = snippet(h) { br; small class="snippet" { (s) } } }
            } }
        },
    ))
}

/// A named query's title from its `# title:` line, else its file name.
fn query_title(name: &str, text: &str) -> String {
    text.lines()
        .find_map(|l| l.strip_prefix("# title:"))
        .map_or_else(|| name.to_string(), |t| format!("{} ({name})", t.trim()))
}

/// GET /query: the SPARQL editor with the named queries.
pub async fn query_page() -> Html<String> {
    page(
        "SPARQL",
        html! {
            form id="q" {
                p {
                    select id="named" {
                        option { "named queries…" }
                        @for (name, text) in named_queries() {
                            option value=(name) data-text=(text) { (query_title(name, text)) }
                        }
                    }
                }
                textarea name="query" rows="14" cols="100" {
                    "SELECT ?unit (COUNT(DISTINCT ?t) AS ?tasks) WHERE { ?t pol:leadUnit/rdfs:label ?unit } GROUP BY ?unit ORDER BY DESC(?tasks)"
                }
                br;
                button type="submit" id="run" { "Run" }
                " Download: "
                @for f in ["json", "xml", "csv", "tsv", "ttl", "nt", "jsonld"] {
                    a class="download" href="#" data-format=(f) { (f) } " "
                }
            }
            div id="results" {}
            script { (PreEscaped(QUERY_JS)) }
        },
    )
}
