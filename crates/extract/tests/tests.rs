//! The extraction's tests: the seed, the development corpus against its gold, the forms of
//! the genre, the links to the gazetteers, and properties every document must keep.

mod forms;
mod forms_open;
mod gold_corpus;
mod linking;
mod properties;
mod seed;

/// The helpers every crate's tests share.
mod util {
    pub use policykg_devtools::eval::Gold;
    pub use policykg_devtools::testing::*;
}
