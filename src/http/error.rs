//! The one error type of the web front end: each variant is a status code and a readable
//! plain-text message. Internal details are logged, not sent.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use crate::graph::ViewError;
use crate::render::RenderError;
use crate::sparql::QueryError;
use crate::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    NotAcceptable(String),
    #[error("{0}")]
    UnsupportedMediaType(String),
    #[error("{0}")]
    NotFound(String),
    #[error("this request needs a valid bearer token (Authorization: Bearer …)")]
    Unauthorized,
    #[error("updates are disabled on this server (start it with --update-token to enable them)")]
    UpdatesDisabled,
    /// Work stopped at a time limit: answered with 503.
    #[error("{0}")]
    Timeout(String),
    #[error("internal error")]
    Internal(String),
}

impl From<QueryError> for AppError {
    fn from(e: QueryError) -> Self {
        match e {
            QueryError::Syntax(m) => AppError::BadRequest(format!("SPARQL syntax error: {m}")),
            QueryError::WrongFormat { .. } => AppError::NotAcceptable(e.to_string()),
            QueryError::Cancelled => {
                AppError::Timeout("the query was stopped at its time limit".into())
            }
            other => AppError::Internal(other.to_string()),
        }
    }
}

impl From<ViewError> for AppError {
    fn from(e: ViewError) -> Self {
        match e {
            ViewError::Query(q) => q.into(),
            ViewError::UnknownView(_) => AppError::NotFound(e.to_string()),
            other => AppError::BadRequest(other.to_string()),
        }
    }
}

impl From<RenderError> for AppError {
    fn from(e: RenderError) -> Self {
        match e {
            RenderError::Timeout { .. } => AppError::Timeout(e.to_string()),
            other => AppError::Internal(other.to_string()),
        }
    }
}

impl AppError {
    /// A query stopped by the server's time limit.
    pub fn time_limit(limit: std::time::Duration) -> Self {
        AppError::Timeout(format!(
            "the query ran past the time limit of {} s and was stopped",
            limit.as_secs_f64()
        ))
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        AppError::Internal(e.to_string())
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = match &self {
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::NotAcceptable(_) => StatusCode::NOT_ACCEPTABLE,
            AppError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::Unauthorized => StatusCode::UNAUTHORIZED,
            AppError::UpdatesDisabled => StatusCode::FORBIDDEN,
            AppError::Timeout(_) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(detail) => {
                tracing::error!("internal error: {detail}");
                StatusCode::INTERNAL_SERVER_ERROR
            }
        };
        let mut response = (status, format!("{self}\n")).into_response();
        if status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                axum::http::header::WWW_AUTHENTICATE,
                axum::http::HeaderValue::from_static("Bearer"),
            );
        }
        response
    }
}
