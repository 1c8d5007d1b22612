//! policykg turns Chinese government policy documents (实施意见, 实施方案, 任务分工 …) into
//! a typed model of their tasks and the units that lead or carry them, every fact with its
//! evidence span in the source text.
//!
//! The data flows one way: bytes are decoded ([`decode`]), parsed into the [`model`]
//! ([`parse_file`], [`parse_text`]), mapped to RDF ([`document_quads`]), stored in an
//! embedded Oxigraph store ([`PolicyStore`]), queried with SPARQL ([`evaluate`]) and
//! checked against the constraints of the ontology ([`validate()`]).

mod decode;
mod error;
mod eval;
mod graph;
mod http;
mod link;
pub mod model;
mod outline;
mod parse;
mod rdf;
mod render;
mod sparql;
mod store;
mod validate;
pub mod vocab;

pub use decode::{Decoded, decode};
pub use error::{DecodeError, ParseError};
pub use eval::{Gold, GoldTask, Score, score};
pub use graph::{
    Edge, Hop, Node, NodeKind, NodeMeasures, Relation, VIEW_NAMES, View, ViewError, ViewOptions,
    analyze, build_view, path_hops,
};
pub use http::{AppError, AppState, Workers, app, run_worker, serve};
pub use link::{Entry, Gazetteer, Kind, link_document};
pub use model::{
    Convention, EntityLink, EntityLinks, Goal, LinkKind, Metadata, Pairing, ParsedDocument, Role,
    Section, Source, Span, Task, UnitRef, Warning,
};
pub use outline::render_outline;
pub use parse::{iso_date, jurisdiction_of, parse_bytes, parse_file, parse_text};
pub use rdf::{
    document_graph, document_iri, document_key, document_quads, iri_segment, region_iri, unit_iri,
};
pub use render::{
    DotOptions, Engine, RenderError, default_engine, escape, render, to_dot, to_graphml,
};
pub use sparql::{
    QueryError, ResultFormat, evaluate, evaluate_with_dataset, plain, rdf_format, results_format,
    select_rows, with_first_result, write_results,
};
pub use store::{GraphCount, IngestOutcome, ONTOLOGY, PolicyStore, Stats, StoreError};
pub use validate::{CHECKS, Check, Violation, validate};

/// Stops a running query when cancelled (see [`evaluate`]).
pub use oxigraph::sparql::CancellationToken;
