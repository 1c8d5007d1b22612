//! The stages composed: bytes are decoded, parsed and linked into a [`ParsedDocument`]
//! ([`extract`]); documents found under paths are extracted in parallel and stored in batches
//! ([`ingest_paths`]); a store is opened with the reference data the linker used
//! ([`open_store`]). The command line, the server and the tests all go through here.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::decode::{Decoded, ReadOptions, SourceFormat, decode_document};
use crate::error::ParseError;
use crate::link::{Gazetteer, link_document};
use crate::model::{ParsedDocument, Source};
use crate::parse::parse_text_with;
use crate::store::{IngestOutcome, PolicyStore, StoreError};

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

/// The reference data stored beside the ontology: the gazetteer files, by their path in
/// the project.
pub fn reference_data(gazetteer: &Gazetteer) -> Vec<(String, String)> {
    gazetteer
        .sources
        .iter()
        .map(|(name, text)| (format!("data/gazetteer/{name}"), text.clone()))
        .collect()
}

/// Opens (or creates) the store at `path` for writing, its reference graph holding the
/// ontology and `gazetteer`.
pub fn open_store(path: &Path, gazetteer: &Gazetteer) -> Result<PolicyStore, StoreError> {
    let store = PolicyStore::open(path)?;
    store.load_reference(&reference_data(gazetteer))?;
    Ok(store)
}

/// A store in memory with the ontology and `gazetteer` as its reference graph.
pub fn memory_store(gazetteer: &Gazetteer) -> Result<PolicyStore, StoreError> {
    let store = PolicyStore::in_memory()?;
    store.load_reference(&reference_data(gazetteer))?;
    Ok(store)
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

/// Why one file of an ingest did not land.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error(transparent)]
    Parse(#[from] ParseError),
    /// The transaction of the file's batch failed: the file was not stored.
    #[error("{path}: not stored, its batch failed: {source}")]
    Batch {
        path: PathBuf,
        #[source]
        source: std::sync::Arc<StoreError>,
    },
}

/// What ingesting one file did: the `number`th file (from 1) of `total`.
pub struct FileOutcome<'a> {
    pub path: &'a Path,
    pub number: usize,
    pub total: usize,
    pub outcome: Result<IngestOutcome, IngestError>,
}

/// The counts of an ingest.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct IngestReport {
    pub added: usize,
    pub replaced: usize,
    pub unchanged: usize,
    pub failed: usize,
    /// Triples in the graphs of the documents that landed or were already there.
    pub triples: usize,
}

/// How many documents are parsed at once and then stored together, unless the caller says
/// otherwise: at 1,000 documents, 64 ingest in 23.9 s (480 MB), 256 in 20.1 s (1.1 GB).
pub const BATCH: usize = 256;

/// How [`ingest_paths_with`] reads and stores documents.
#[derive(Debug, Clone)]
pub struct IngestOptions {
    pub read: ReadOptions,
    /// Documents parsed at once and stored together (at least 1): fewer hold less in
    /// memory, more load faster.
    pub batch: usize,
}

impl Default for IngestOptions {
    fn default() -> Self {
        IngestOptions {
            read: ReadOptions::default(),
            batch: BATCH,
        }
    }
}

/// Every this many batches, what the store holds in memory is written to its files, so
/// that its write-ahead log and its memory stay small during a long ingest.
const FLUSH_EVERY: usize = 16;

/// After this many documents, added in more than [`COMPACT_AFTER_BATCHES`] batches or
/// replaced, an ingest compacts the store.
const COMPACT_AFTER: usize = 200;

/// Each batch of new documents adds index files that overlap those of the other batches,
/// and a read looks into every one of them until they are compacted: an export of 10,000
/// documents just ingested in 40 batches read 10 k quads/s. A few sets cost reads little
/// (the pages at 1,000 documents, 4 batches, answered as fast as after a compaction that
/// took a third of the ingest's time), so only a longer ingest ends with one.
const COMPACT_AFTER_BATCHES: usize = 8;

/// Extracts and stores every document under `paths`. Documents are parsed in parallel and
/// stored in transactions of up to [`BATCH`] documents, so that each is stored entirely or
/// not at all; a file that fails is reported to `on_file` and the others still land.
/// `on_file` hears of each file once it is stored, in path order. The next batch is parsed
/// while one is stored; a large ingest ends by compacting the store.
pub fn ingest_paths(
    store: &PolicyStore,
    paths: &[PathBuf],
    gazetteer: &Gazetteer,
    on_file: impl FnMut(&FileOutcome<'_>),
) -> Result<IngestReport, ParseError> {
    ingest_paths_with(store, paths, gazetteer, &IngestOptions::default(), on_file)
}

/// [`ingest_paths`], every document read and stored as `options` say.
pub fn ingest_paths_with(
    store: &PolicyStore,
    paths: &[PathBuf],
    gazetteer: &Gazetteer,
    options: &IngestOptions,
    mut on_file: impl FnMut(&FileOutcome<'_>),
) -> Result<IngestReport, ParseError> {
    use rayon::prelude::*;
    let files = document_files(paths)?;
    let mut report = IngestReport::default();
    let batch_size = options.batch.max(1);
    std::thread::scope(|scope| {
        // The next batch is parsed while this one is stored.
        let (parsed, batches) = std::sync::mpsc::sync_channel(1);
        let files = &files;
        scope.spawn(move || {
            for batch in files.chunks(batch_size) {
                let extracted: Vec<Result<ParsedDocument, ParseError>> = batch
                    .par_iter()
                    .map(|path| extract_file_with(path, gazetteer, &options.read))
                    .collect();
                if parsed.send((batch, extracted)).is_err() {
                    return;
                }
            }
        });
        for (batch_number, (batch, extracted)) in batches.into_iter().enumerate() {
            store_batch(
                store,
                batch_number,
                batch_size,
                batch,
                extracted,
                files.len(),
                &mut report,
                &mut on_file,
            );
        }
    });
    let batches = files.len().div_ceil(batch_size);
    if (report.added >= COMPACT_AFTER && batches > COMPACT_AFTER_BATCHES)
        || report.replaced >= COMPACT_AFTER
    {
        // Each batch adds its own files, which overlap those of the others: until they are
        // compacted every read looks into all of them (an export of 10,000 documents just
        // ingested read 10 k quads/s). Replaced graphs leave old versions behind too.
        if let Err(e) = store.flush() {
            tracing::warn!("the store could not write its memory to its files: {e}");
        }
        // Compaction only saves space; a store that could not be compacted is still whole.
        if let Err(e) = store.optimize() {
            tracing::warn!("the store could not be compacted: {e}");
        }
    } else if let Err(e) = store.flush() {
        // Without a flush the write-ahead log stays, and every open replays it.
        tracing::warn!("the store could not write its memory to its files: {e}");
    }
    Ok(report)
}

/// Stores one parsed batch and reports each of its files.
#[allow(clippy::too_many_arguments)]
fn store_batch(
    store: &PolicyStore,
    batch_number: usize,
    batch_size: usize,
    batch: &[PathBuf],
    extracted: Vec<Result<ParsedDocument, ParseError>>,
    total: usize,
    report: &mut IngestReport,
    on_file: &mut impl FnMut(&FileOutcome<'_>),
) {
    let docs: Vec<ParsedDocument> = extracted
        .iter()
        .filter_map(|r| r.as_ref().ok().cloned())
        .collect();
    let stored = store.ingest_all(&docs).map_err(std::sync::Arc::new);
    if (batch_number + 1).is_multiple_of(FLUSH_EVERY)
        && let Err(e) = store.flush()
    {
        tracing::warn!("the store could not write its memory to its files: {e}");
    }
    let mut stored_outcomes = stored.iter().flatten().copied();
    for (offset, (path, result)) in batch.iter().zip(extracted).enumerate() {
        let outcome = match (result, &stored) {
            (Err(e), _) => Err(IngestError::Parse(e)),
            (Ok(_), Ok(_)) => Ok(stored_outcomes
                .next()
                .expect("one outcome for each document stored")),
            (Ok(_), Err(e)) => Err(IngestError::Batch {
                path: path.clone(),
                source: e.clone(),
            }),
        };
        match &outcome {
            Ok(done) => {
                report.triples += done.triples();
                match done {
                    IngestOutcome::Added(_) => report.added += 1,
                    IngestOutcome::Replaced(_) => report.replaced += 1,
                    IngestOutcome::Unchanged(_) => report.unchanged += 1,
                }
            }
            Err(_) => report.failed += 1,
        }
        on_file(&FileOutcome {
            path,
            number: batch_number * batch_size + offset + 1,
            total,
            outcome,
        });
    }
}
