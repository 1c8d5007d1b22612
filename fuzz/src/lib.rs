//! The checks of the fuzz targets, in `../checks.rs` so that the main crate's regression
//! test (`tests/fuzz_regressions.rs`) runs the very same code on saved inputs.

#[path = "../checks.rs"]
pub mod checks;
