//! policykg's store: each document a named graph in an embedded Oxigraph store, beside a
//! reference graph (the ontology and the gazetteers) and a statistics graph kept with every
//! write; a full-text index kept in step; SPARQL evaluated under a time limit, in this
//! process or in worker processes; and the ontology's constraints as SPARQL checks.
//!
//! - [`Backend`]: what views and pages read from a store, whatever holds it;
//! - [`PolicyStore`]: the embedded store, a backend: open, write (documents entirely or not at all, new ones by the bulk
//!   loader through [`Loading`]), read counts and graphs, export;
//! - [`sparql`]: evaluation with the union default graph and the project's prefixes,
//!   queries with bound parameters, result formats, the time limit
//!   ([`sparql::QueryRunner`]) and query workers;
//! - [`fulltext`]: the index of labels and task texts that search pages read;
//! - [`validate`]: the checks `policykg validate` runs.

mod backend;
pub mod fulltext;
mod reference;
pub mod sparql;
mod store;
pub mod validate;

pub use backend::Backend;
pub use reference::{memory_store, open_store, reference_data};
pub use store::{
    Contribution, GraphCount, IngestOutcome, Loading, ONTOLOGY, PolicyStore, Stats, StoreError,
    Totals,
};
