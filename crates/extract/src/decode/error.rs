//! Why a file's bytes could not be turned into text.

use crate::error::{Classified, ErrorKind};

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
