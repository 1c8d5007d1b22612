//! `/query`: the SPARQL editor with the named queries of `queries/`, results as a table with
//! links or as Turtle with "draw as graph", and downloads in every format.

use axum::response::Html;
use maud::{PreEscaped, html};

use super::page;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/queries.rs"));
}

/// The query page's script.
const QUERY_JS: &str = include_str!("assets/query.js");

/// The named queries of `queries/`, embedded at build time.
pub fn named_queries() -> &'static [(&'static str, &'static str)] {
    embedded::NAMED_QUERIES
}

/// A named query's title from its `# title:` line, else its file name.
fn query_title(name: &str, text: &str) -> String {
    text.lines()
        .find_map(|l| l.strip_prefix("# title:"))
        .map_or_else(|| name.to_string(), |t| format!("{} ({name})", t.trim()))
}

/// GET /query
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
