//! The format of an answer: `format` (or `output`, `results`) wins, else the best entry of
//! `Accept` that fits the kind of answer.

use oxigraph::io::RdfFormat;

use crate::http::AppError;
use policykg_store::sparql::{ResultFormat, rdf_format};

pub(super) const SELECT_TYPES: [(&str, ResultFormat); 6] = [
    ("application/sparql-results+json", ResultFormat::Json),
    ("application/json", ResultFormat::Json),
    ("application/sparql-results+xml", ResultFormat::Xml),
    ("application/xml", ResultFormat::Xml),
    ("text/csv", ResultFormat::Csv),
    ("text/tab-separated-values", ResultFormat::Tsv),
];

pub(super) fn graph_types() -> [(&'static str, RdfFormat); 6] {
    [
        ("text/turtle", RdfFormat::Turtle),
        ("application/n-triples", RdfFormat::NTriples),
        ("application/n-quads", RdfFormat::NQuads),
        ("application/trig", RdfFormat::TriG),
        ("application/rdf+xml", RdfFormat::RdfXml),
        (
            "application/ld+json",
            rdf_format("jsonld").unwrap_or(RdfFormat::Turtle),
        ),
    ]
}

/// Chooses the output: `format` wins, else the best `Accept` entry the kind supports.
pub(super) fn negotiate(
    accept: Option<&str>,
    format: Option<&str>,
    graph: bool,
) -> Result<(ResultFormat, String), AppError> {
    let choices: Vec<(String, ResultFormat)> = if graph {
        graph_types()
            .into_iter()
            .map(|(m, f)| (m.to_string(), ResultFormat::Rdf(f)))
            .collect()
    } else {
        SELECT_TYPES
            .iter()
            .map(|(m, f)| (m.to_string(), *f))
            .collect()
    };
    let media = |f: ResultFormat| -> String {
        match f {
            ResultFormat::Rdf(r) => r.media_type().to_string(),
            other => policykg_store::sparql::results_format(other)
                .map_or("text/plain", |r| r.media_type())
                .to_string(),
        }
    };
    if let Some(name) = format {
        let chosen = ResultFormat::from_name(name)
            .or_else(|| choices.iter().find(|(m, _)| m == name).map(|(_, f)| *f))
            .filter(|f| choices.iter().any(|(_, c)| c == f))
            .ok_or_else(|| {
                AppError::NotAcceptable(format!(
                    "format {name:?} does not fit {} results",
                    if graph { "graph" } else { "SELECT/ASK" }
                ))
            })?;
        return Ok((chosen, media(chosen)));
    }
    let accept = accept.unwrap_or("*/*");
    let mut ranges: Vec<(f32, usize, String)> = accept
        .split(',')
        .enumerate()
        .filter_map(|(i, part)| {
            let mut pieces = part.split(';');
            let range = pieces.next()?.trim().to_ascii_lowercase();
            let q = pieces
                .filter_map(|p| p.trim().strip_prefix("q="))
                .find_map(|q| q.parse::<f32>().ok())
                .unwrap_or(1.0);
            (q > 0.0 && !range.is_empty()).then_some((q, i, range))
        })
        .collect();
    ranges.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    for (_, _, range) in ranges {
        let found = choices.iter().find(|(m, _)| {
            range == *m
                || range == "*/*"
                || range
                    .strip_suffix("/*")
                    .is_some_and(|top| m.starts_with(&format!("{top}/")))
        });
        if let Some((_, f)) = found {
            return Ok((*f, media(*f)));
        }
    }
    Err(AppError::NotAcceptable(format!(
        "none of the Accept types ({accept}) can hold {} results; try {}",
        if graph { "graph" } else { "SELECT/ASK" },
        choices
            .iter()
            .map(|(m, _)| m.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    )))
}
