//! policykg's extraction: Chinese government policy documents (实施意见, 实施方案, 任务分工 …)
//! read into a typed model of their tasks and of the units that lead or carry each task,
//! every fact with its evidence span in the source text, and written as RDF.
//!
//! The stages, in the order data flows through them:
//! - [`decode`]: bytes to text — plain text in any of its encodings, a web page's article,
//!   a Word document, a PDF's text layer;
//! - [`parse`]: text to the [`model`] — metadata, sections, tasks with their units by
//!   role, goals, the conventions a document states, and the clauses it could not read;
//! - [`link`]: the model linked to the gazetteers — strategies, regions and platforms, the
//!   identity of every unit;
//! - [`rdf`]: a linked document to the quads of its named graph.
//!
//! [`extract_file`] composes the first three. Foundations shared by every stage and by the
//! other crates: [`text`] (folding, offsets), [`vocab`] (every IRI) and [`ErrorKind`].
//!
//! This crate does no I/O beyond reading the files it is given (and running `pdftotext`
//! for PDFs): it holds no store, no index, no server.

pub mod decode;
mod error;
mod extract;
pub mod link;
pub mod model;
mod outline;
pub mod parse;
pub mod rdf;
pub mod text;
pub mod vocab;

pub use error::{Classified, ErrorKind};
pub use extract::{
    ParseError, document_files, extract, extract_bytes, extract_bytes_with, extract_file,
    extract_file_with, read_document,
};
pub use link::Gazetteer;
pub use model::ParsedDocument;
pub use outline::render_outline;
