//! Typed errors of the parsing stage. Each names what went wrong and where.

use std::path::PathBuf;

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
    #[error(
        "{path}: no recognisable document structure (no numbered headings such as 一、 or （一）, and no unit annotations)"
    )]
    NoStructure { path: PathBuf },
}
