//! The stages of this crate composed: bytes are decoded, parsed and linked into a
//! [`ParsedDocument`] ([`extract`], [`extract_file`]); the document files under paths are
//! listed ([`document_files`]).

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::decode::DecodeError;
use crate::decode::{Decoded, ReadOptions, SourceFormat, decode_document};
use crate::error::{Classified, ErrorKind};
use crate::link::{Gazetteer, link_document};
use crate::model::{ParsedDocument, Source};
use crate::parse::parse_text_with;

/// Parses decoded text and links it with `gazetteer`. Never fails: what cannot be read
/// becomes a warning.
pub fn extract(text: String, source: Source, gazetteer: &Gazetteer) -> ParsedDocument {
    let mut document = parse_text_with(text, source, &|name| gazetteer.knows_unit(name));
    link_document(&mut document, gazetteer);
    document
}

/// Decodes, parses and links a document's bytes; `path` names it in the result and in
/// errors. The format (text, HTML, DOCX, PDF) is detected from the bytes and the name. A
/// text with neither headings nor annotations is refused.
pub fn extract_bytes(
    bytes: &[u8],
    path: &Path,
    gazetteer: &Gazetteer,
) -> Result<ParsedDocument, ParseError> {
    extract_bytes_with(bytes, path, gazetteer, &ReadOptions::default())
}

/// [`extract_bytes`], the document read as `options` say (a format that overrides
/// detection, the time limit of outside programs).
pub fn extract_bytes_with(
    bytes: &[u8],
    path: &Path,
    gazetteer: &Gazetteer,
    options: &ReadOptions,
) -> Result<ParsedDocument, ParseError> {
    let decoded = decode_bytes(bytes, path, options)?;
    let source = Source {
        path: path.display().to_string(),
        sha256: hex(&Sha256::digest(bytes)),
        encoding: decoded.encoding.to_string(),
        format: decoded.format,
    };
    let document = extract(decoded.text, source, gazetteer);
    if document.sections.is_empty() && document.tasks.is_empty() {
        return Err(ParseError::NoStructure {
            path: path.to_path_buf(),
        });
    }
    Ok(document)
}

/// Reads a document file and extracts it (see [`extract_bytes`]).
pub fn extract_file(path: &Path, gazetteer: &Gazetteer) -> Result<ParsedDocument, ParseError> {
    extract_file_with(path, gazetteer, &ReadOptions::default())
}

/// [`extract_file`], the document read as `options` say.
pub fn extract_file_with(
    path: &Path,
    gazetteer: &Gazetteer,
    options: &ReadOptions,
) -> Result<ParsedDocument, ParseError> {
    let bytes = read_bytes(path)?;
    extract_bytes_with(&bytes, path, gazetteer, options)
}

/// The text a document file is parsed from — an HTML page's article, a Word document's
/// paragraphs and tables, a PDF's text layer — with its encoding and format; for looking
/// at what the parser will read.
pub fn read_document(path: &Path, options: &ReadOptions) -> Result<Decoded, ParseError> {
    let bytes = read_bytes(path)?;
    decode_bytes(&bytes, path, options)
}

fn read_bytes(path: &Path) -> Result<Vec<u8>, ParseError> {
    std::fs::read(path).map_err(|source| ParseError::Io {
        path: path.to_path_buf(),
        source,
    })
}

fn decode_bytes(bytes: &[u8], path: &Path, options: &ReadOptions) -> Result<Decoded, ParseError> {
    decode_document(bytes, path, options).map_err(|source| ParseError::Decode {
        path: path.to_path_buf(),
        source,
    })
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The document files under `paths`: directories are read recursively for `.txt`,
/// `.html`, `.htm`, `.shtml`, `.xhtml`, `.docx` and `.pdf` files, sorted by path; files are
/// kept as given.
pub fn document_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, ParseError> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut found = Vec::new();
            walk(path, &mut found).map_err(|source| ParseError::Directory {
                path: path.clone(),
                source,
            })?;
            found.sort();
            files.extend(found);
        } else {
            files.push(path.clone());
        }
    }
    Ok(files)
}

fn walk(dir: &Path, found: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            walk(&path, found)?;
        } else if SourceFormat::from_extension(&path).is_some() {
            found.push(path);
        }
    }
    Ok(())
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
