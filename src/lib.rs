//! The `policykg` program's library half: what the command line and the web explorer do
//! beyond the library crates — storing the documents under paths in batches
//! ([`ingest_paths`]) and serving the explorer and the SPARQL endpoint ([`http`]). The
//! stages themselves are `policykg_extract`, `policykg_store` and `policykg_views`.

pub mod http;
mod ingest;

pub use ingest::{
    BATCH, FileOutcome, IngestError, IngestOptions, IngestReport, ingest_paths, ingest_paths_with,
};
