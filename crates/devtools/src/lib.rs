//! policykg's tools for its own developers, not shipped with the library crates:
//! - [`generate`]: corpora of documents of the genre made from a seed, each with what it
//!   was made with, for measuring at scale (`policykg-dev gen-corpus`,
//!   `benches/corpus.py`);
//! - [`eval`]: the extraction scored against hand-made gold files (`policykg-dev eval`);
//! - [`testing`]: the helpers the test binaries of every crate share.

pub mod eval;
pub mod generate;
pub mod testing;
