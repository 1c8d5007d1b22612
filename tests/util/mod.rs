//! Helpers shared by the modules of this test binary: those of every crate's tests
//! (`policykg_devtools::testing`), documents made in the tests (`documents`) and a server
//! process with a client on the wire (`server`).

pub mod documents;
pub mod server;

pub use policykg_devtools::eval::Gold;
pub use policykg_devtools::testing::*;
