//! The store's tests: the full-text index, its ranking and snippets, and its cost at scale.

mod search;
mod search_scale;

/// The helpers every crate's tests share.
mod util {
    pub use policykg_devtools::testing::*;
}
