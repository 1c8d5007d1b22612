//! The one error type of the web front end. Errors of the library arrive with their
//! [`ErrorKind`] and their whole source chain; [`status`] is the one mapping from a kind to an
//! HTTP status. Every answer is a readable plain-text message; the details of an internal
//! error are logged, not sent.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use policykg_extract::{Classified, ErrorKind};

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// A request the handler itself refuses (a missing or malformed parameter).
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
    /// An error of the library, with its kind.
    #[error(transparent)]
    Library(LibraryError),
}

/// An error of the library and its kind; it shows and chains as the error itself.
#[derive(Debug)]
pub struct LibraryError {
    kind: ErrorKind,
    error: Box<dyn std::error::Error + Send + Sync>,
}

impl std::fmt::Display for LibraryError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.error.fmt(f)
    }
}

impl std::error::Error for LibraryError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.error.source()
    }
}

impl<E: Classified + std::error::Error + Send + Sync + 'static> From<E> for AppError {
    fn from(e: E) -> Self {
        AppError::Library(LibraryError {
            kind: e.kind(),
            error: Box::new(e),
        })
    }
}

/// The HTTP status of each kind of error.
pub fn status(kind: ErrorKind) -> StatusCode {
    match kind {
        ErrorKind::Invalid => StatusCode::BAD_REQUEST,
        ErrorKind::NotFound => StatusCode::NOT_FOUND,
        ErrorKind::NotAcceptable => StatusCode::NOT_ACCEPTABLE,
        ErrorKind::TimeLimit | ErrorKind::Busy => StatusCode::SERVICE_UNAVAILABLE,
        ErrorKind::Internal => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

impl AppError {
    /// An internal failure with a message for the log.
    pub fn internal(message: impl Into<String>) -> Self {
        AppError::Library(LibraryError {
            kind: ErrorKind::Internal,
            error: message.into().into(),
        })
    }

    /// What kind of error this is; `None` for the refusals of the HTTP layer itself
    /// (authentication, media types).
    pub fn kind(&self) -> Option<ErrorKind> {
        match self {
            AppError::BadRequest(_) => Some(ErrorKind::Invalid),
            AppError::NotAcceptable(_) => Some(ErrorKind::NotAcceptable),
            AppError::NotFound(_) => Some(ErrorKind::NotFound),
            AppError::Library(e) => Some(e.kind),
            AppError::UnsupportedMediaType(_)
            | AppError::Unauthorized
            | AppError::UpdatesDisabled => None,
        }
    }

    /// Whether the request was at fault (a 4xx), so that a page can show the message.
    pub fn is_client_error(&self) -> bool {
        self.status().is_client_error()
    }

    pub fn status(&self) -> StatusCode {
        match self {
            AppError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            AppError::Unauthorized => StatusCode::UNAUTHORIZED,
            AppError::UpdatesDisabled => StatusCode::FORBIDDEN,
            other => status(other.kind().unwrap_or(ErrorKind::Internal)),
        }
    }

    /// The message sent to the client.
    fn message(&self) -> String {
        match self.kind() {
            Some(ErrorKind::Internal) => "internal error".to_string(),
            _ => self.to_string(),
        }
    }
}

/// An error and its sources, one after the other, for the log; a source whose message
/// its error already shows is not repeated.
fn chain(error: &dyn std::error::Error) -> String {
    let mut out = error.to_string();
    let mut source = error.source();
    while let Some(e) = source {
        let message = e.to_string();
        if !out.contains(&message) {
            out.push_str(": ");
            out.push_str(&message);
        }
        source = e.source();
    }
    out
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = self.status();
        if status == StatusCode::INTERNAL_SERVER_ERROR {
            tracing::error!("internal error: {}", chain(&self));
        }
        let mut response = (status, format!("{}\n", self.message())).into_response();
        if status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                axum::http::header::WWW_AUTHENTICATE,
                axum::http::HeaderValue::from_static("Bearer"),
            );
        }
        response
    }
}
