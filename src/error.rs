//! Typed errors of the parsing stage, each naming what went wrong and where; and the
//! [`ErrorKind`] every error of the library is classified by, so that the shells (an HTTP
//! status, an exit code) map kinds, not messages.

use std::path::PathBuf;

/// What kind of failure an error is, whatever stage it comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ErrorKind {
    /// The input (a query, a parameter, a file) is wrong: the caller can fix it.
    Invalid,
    /// What was asked for does not exist.
    NotFound,
    /// The result cannot be given in the form asked for.
    NotAcceptable,
    /// Work stopped at a time limit.
    TimeLimit,
    /// No capacity to start the work now.
    Busy,
    /// Something failed that the caller cannot fix.
    Internal,
}

/// An error that knows its [`ErrorKind`].
pub trait Classified {
    fn kind(&self) -> ErrorKind;
}

/// Why a file's bytes could not be turned into text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    #[error("the file is empty")]
    Empty,
    #[error("the file looks binary (control byte at offset {offset}), not a text document")]
    Binary { offset: usize },
    #[error("the bytes are not valid {encoding} (invalid sequence near byte {offset})")]
    Undecodable {
        encoding: &'static str,
        offset: usize,
    },
    #[error("the HTML page has no article text (only navigation, scripts, forms or an empty body)")]
    NoArticleText,
    #[error("not a readable Word .docx file: {reason}")]
    Docx { reason: String },
    #[error(
        "an OLE compound file: a legacy Word .doc, or a password-protected Office file; save it as an unprotected .docx"
    )]
    LegacyOffice,
    #[error("not a readable PDF: {reason}")]
    Pdf { reason: String },
    #[error("the PDF is encrypted and needs a password to open; decrypt it first (qpdf --decrypt)")]
    PdfEncrypted,
    #[error(
        "the PDF has no text layer ({pages} page(s) of images, a scan?): recognise its text first (OCR, e.g. ocrmypdf)"
    )]
    NoTextLayer { pages: usize },
    #[error("{tool} was not found: install {package} (apt-get install {package})")]
    ToolMissing {
        tool: &'static str,
        package: &'static str,
    },
    #[error("{tool} failed: {message}")]
    ToolFailed { tool: &'static str, message: String },
    #[error("{tool} was stopped after {seconds} s")]
    TimeLimit { tool: &'static str, seconds: u64 },
}

impl Classified for DecodeError {
    fn kind(&self) -> ErrorKind {
        match self {
            DecodeError::ToolMissing { .. } | DecodeError::ToolFailed { .. } => ErrorKind::Internal,
            DecodeError::TimeLimit { .. } => ErrorKind::TimeLimit,
            _ => ErrorKind::Invalid,
        }
    }
}

/// Why a document could not be parsed. Always names the file.
#[derive(Debug, thiserror::Error)]
pub enum ParseError {
    #[error("{path}: cannot read file: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: {source}")]
    Decode {
        path: PathBuf,
        #[source]
        source: DecodeError,
    },
    #[error("cannot read directory {path}: {source}")]
    Directory {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "{path}: no recognisable document structure (no numbered headings such as 一、 or （一）, and no unit annotations)"
    )]
    NoStructure { path: PathBuf },
}

impl Classified for ParseError {
    fn kind(&self) -> ErrorKind {
        match self {
            ParseError::Io { source, .. } | ParseError::Directory { source, .. }
                if source.kind() == std::io::ErrorKind::NotFound =>
            {
                ErrorKind::NotFound
            }
            ParseError::Io { .. } | ParseError::Directory { .. } => ErrorKind::Internal,
            ParseError::Decode { source, .. } => source.kind(),
            ParseError::NoStructure { .. } => ErrorKind::Invalid,
        }
    }
}

impl Classified for crate::model::UnknownRole {
    fn kind(&self) -> ErrorKind {
        ErrorKind::Invalid
    }
}
