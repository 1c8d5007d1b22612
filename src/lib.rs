//! policykg turns Chinese government policy documents (实施意见, 实施方案, 任务分工 …) into
//! a typed model of their tasks and the units that lead or carry them, every fact with its
//! evidence span in the source text.
//!
//! The data flows one way: bytes are decoded — plain text, HTML, DOCX or PDF
//! ([`decode_document`]) —, parsed into the [`model`]
//! ([`parse_text`]), linked to the gazetteers ([`link_document`]) — the three composed by
//! [`extract`] —, mapped to RDF ([`document_quads`]), stored in an embedded Oxigraph store
//! ([`PolicyStore`], [`ingest_paths`]), queried with SPARQL ([`evaluate`]) and checked
//! against the constraints of the ontology ([`validate()`]). Labels and task texts are
//! searched through a full-text index kept beside the store ([`SearchIndex`]).
//!
//! For measurement, [`generate_corpus`] writes corpora of any size made of documents of the
//! genre, each with what it was made with ([`generate_document`]).

mod decode;
mod error;
mod eval;
mod generate;
mod graph;
mod http;
mod link;
pub mod model;
mod outline;
mod parse;
mod pipeline;
mod rdf;
mod render;
pub mod search;
mod sparql;
mod store;
mod text;
mod validate;
pub mod vocab;

pub use decode::{
    Decoded, ReadOptions, SourceFormat, UnknownSourceFormat, decode, decode_document, detect_format,
};
pub use error::{Classified, DecodeError, ErrorKind, ParseError};
pub use eval::{EvalError, Gold, GoldInferred, GoldTask, Score, score, score_file};
pub use generate::{
    AnnotationStyle, CorpusOptions, CorpusSummary, ExpectedTask, GENERATOR_VERSION, GenerateError,
    GeneratedDocument, HeaderKind, HeadingLayout, MANIFEST, Profile, file_name, generate_corpus,
    generate_document,
};
pub use graph::{
    ComparedDocument, ComparedItem, Comparison, DEFAULT_COLUMN_LIMIT, DEFAULT_ROW_LIMIT, Edge,
    Field, Hop, ItemKind, Layout, Load, Mark, Matrix, MatrixColumn, MatrixRow, Node, NodeKind,
    NodeMeasures, Presence, Relation, UnknownView, View, ViewError, ViewKind, ViewOptions,
    ViewSpec, analyze, build_matrix, build_view, communities, compare_documents, path_hops,
};
pub use http::{
    AppError, AppState, Operation, OperationKind, ServeError, ServeOptions, TokenError,
    UpdateToken, app, query_slots, read_operation, run_explorer, serve, status,
};
pub use link::{Entry, Gazetteer, GazetteerError, Kind, link_document};
pub use model::{
    Concept, Convention, Coverage, EntityLink, EntityLinks, Goal, LinkKind, Metadata, Pairing,
    ParsedDocument, Resolved, Role, Rule, Section, Source, Span, Task, UnitRef, UnknownRole,
    Unread, Warning,
};
pub use outline::render_outline;
pub use parse::{iso_date, jurisdiction_of, parse_text, parse_text_with, split_unit_list};
pub use pipeline::{
    BATCH, FileOutcome, IngestError, IngestOptions, IngestReport, document_files, extract,
    extract_bytes, extract_bytes_with, extract_file, extract_file_with, ingest_paths,
    ingest_paths_with, memory_store, open_store, read_document, reference_data,
};
pub use rdf::document_quads;
pub use render::{
    DotOptions, Engine, ImageFormat, MatrixFormat, MatrixWriteError, OutputFormat, RenderError,
    RenderOptions, UnknownEngine, UnknownFormat, UnknownMatrixFormat, comparison_csv,
    comparison_dot, escape, matrix_csv, matrix_svg, matrix_xlsx, render, render_matrix,
    render_view, to_dot, to_graphml,
};
pub use search::{
    SearchEntry, SearchError, SearchHit, SearchIndex, SearchResults, entries_from_quads,
};
pub use sparql::worker::{Workers, run_worker};
pub use sparql::{
    Dataset, QueryError, QueryRunner, ResultFormat, RunError, Ticket, evaluate,
    evaluate_with_dataset, plain, rdf_format, results_format, select_bound, select_rows,
    with_first_result, write_results,
};
pub use store::{GraphCount, IngestOutcome, Loading, ONTOLOGY, PolicyStore, Stats, StoreError};
pub use text::{fold, fold_str};
pub use validate::{CHECKS, Check, STATISTICS_CHECK, Violation, check_statistics, validate};
pub use vocab::{document_graph, document_iri, document_key, iri_segment, region_iri, unit_iri};

/// Stops a running query when cancelled (see [`evaluate`]).
pub use oxigraph::sparql::CancellationToken;
