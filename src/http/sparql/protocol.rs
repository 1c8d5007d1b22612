//! A SPARQL 1.1 Protocol request read into an [`Operation`]: its query or update, its
//! dataset and base IRI, and every way the protocol forbids refused with what was wrong.

use axum::http::{HeaderMap, header};

use crate::http::AppError;
use policykg_store::sparql::Dataset;

/// A protocol operation read from a request: a query or an update, with its dataset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Operation {
    pub kind: OperationKind,
    /// The query or update text.
    pub text: String,
    /// The graphs given by `default-graph-uri`/`named-graph-uri` (a query) or
    /// `using-graph-uri`/`using-named-graph-uri` (an update). The base is set by the server.
    pub dataset: Dataset,
    /// The `format` parameter, which overrides `Accept`.
    pub format: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OperationKind {
    Query,
    Update,
}

/// The protocol's parameters as they are read, before they make an [`Operation`].
#[derive(Default)]
pub(super) struct Params {
    query: Option<String>,
    update: Option<String>,
    default_graphs: Vec<String>,
    named_graphs: Vec<String>,
    using_graphs: Vec<String>,
    using_named_graphs: Vec<String>,
    format: Option<String>,
}

impl Params {
    fn read(&mut self, pairs: Vec<(String, String)>) -> Result<(), AppError> {
        for (key, value) in pairs {
            let once = |slot: &mut Option<String>, value: String| {
                if slot.is_some() {
                    return Err(AppError::BadRequest(format!(
                        "give the {key} parameter once"
                    )));
                }
                *slot = Some(value);
                Ok(())
            };
            match key.as_str() {
                "query" => once(&mut self.query, value)?,
                "update" => once(&mut self.update, value)?,
                "format" => once(&mut self.format, value)?,
                "default-graph-uri" => self.default_graphs.push(value),
                "named-graph-uri" => self.named_graphs.push(value),
                "using-graph-uri" => self.using_graphs.push(value),
                "using-named-graph-uri" => self.using_named_graphs.push(value),
                _ => {}
            }
        }
        Ok(())
    }

    fn into_operation(self) -> Result<Operation, AppError> {
        let (kind, text) = match (self.query, self.update) {
            (Some(_), Some(_)) => {
                return Err(AppError::BadRequest(
                    "give a query or an update, not both".into(),
                ));
            }
            (Some(query), None) => (OperationKind::Query, query),
            (None, Some(update)) => (OperationKind::Update, update),
            (None, None) => {
                return Err(AppError::BadRequest(
                    "missing the query (or update) parameter".into(),
                ));
            }
        };
        let given = |graphs: &[String], name: &str| {
            if graphs.is_empty() {
                Ok(())
            } else {
                Err(AppError::BadRequest(format!(
                    "{name} does not go with {}",
                    match kind {
                        OperationKind::Query => "a query",
                        OperationKind::Update => "an update",
                    }
                )))
            }
        };
        let dataset = match kind {
            OperationKind::Query => {
                given(&self.using_graphs, "using-graph-uri")?;
                given(&self.using_named_graphs, "using-named-graph-uri")?;
                Dataset {
                    base: None,
                    default_graphs: self.default_graphs,
                    named_graphs: self.named_graphs,
                }
            }
            OperationKind::Update => {
                given(&self.default_graphs, "default-graph-uri")?;
                given(&self.named_graphs, "named-graph-uri")?;
                Dataset {
                    base: None,
                    default_graphs: self.using_graphs,
                    named_graphs: self.using_named_graphs,
                }
            }
        };
        Ok(Operation {
            kind,
            text,
            dataset,
            format: self.format,
        })
    }
}

/// Reads a SPARQL 1.1 Protocol request: a GET with its query string, or a POST with its
/// query string, content type and body. Every way the protocol forbids (an update by GET,
/// a parameter given twice, a query and an update together, graphs of the wrong kind, an
/// unknown content type) is an error that says what was wrong.
pub fn read_operation(
    get: bool,
    query_string: Option<&str>,
    content_type: &str,
    body: &[u8],
) -> Result<Operation, AppError> {
    let mut params = Params::default();
    params.read(url_pairs(query_string)?)?;
    if get {
        if params.update.is_some() {
            return Err(AppError::BadRequest(
                "updates must be sent with POST".into(),
            ));
        }
        return params.into_operation();
    }
    let text = || {
        String::from_utf8(body.to_vec())
            .map_err(|_| AppError::BadRequest("the body is not UTF-8".into()))
    };
    // A direct POST's text is the body; the URL may carry only the dataset and format.
    let direct = |slot: &mut Option<String>, name: &str| {
        if slot.is_some() {
            return Err(AppError::BadRequest(format!(
                "the body is the {name}: do not give it in the URL too"
            )));
        }
        *slot = Some(text()?);
        Ok(())
    };
    match content_type.to_ascii_lowercase().as_str() {
        "application/x-www-form-urlencoded" => {
            let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(body)
                .map_err(|e| AppError::BadRequest(format!("malformed form body: {e}")))?;
            params.read(pairs)?;
        }
        "application/sparql-query" => {
            if params.update.is_some() {
                return Err(AppError::BadRequest(
                    "give a query or an update, not both".into(),
                ));
            }
            direct(&mut params.query, "query")?;
        }
        "application/sparql-update" => {
            if params.query.is_some() {
                return Err(AppError::BadRequest(
                    "give a query or an update, not both".into(),
                ));
            }
            direct(&mut params.update, "update")?;
        }
        other => {
            return Err(AppError::UnsupportedMediaType(format!(
                "unsupported content type {other:?}: use application/x-www-form-urlencoded, application/sparql-query or application/sparql-update"
            )));
        }
    }
    params.into_operation()
}

pub(super) fn url_pairs(raw: Option<&str>) -> Result<Vec<(String, String)>, AppError> {
    serde_urlencoded::from_str(raw.unwrap_or(""))
        .map_err(|e| AppError::BadRequest(format!("malformed query string: {e}")))
}

pub(super) fn content_type(headers: &HeaderMap) -> String {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}
