//! The integration tests of the `policykg` program and of the library crates together:
//! one test binary, a module per subject (as the file names say), and the helpers they
//! share in [`util`].

mod architecture;
mod backend;
mod browser;
mod cli;
mod client;
mod compare;
mod faults;
mod fuzz_regressions;
mod http;
mod matrix;
mod protocol;
mod readers;
mod statistics;
mod store;
mod util;
mod views;
