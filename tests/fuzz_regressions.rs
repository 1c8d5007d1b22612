//! The fuzz targets' inputs as regression tests: every seed (`fuzz/in/<target>/`) and every
//! saved finding (`fuzz/regressions/<target>/`) of each AFL++ target goes through the same
//! checks as in the fuzzer (`fuzz/checks.rs`, included here). The fuzzing itself is run
//! with `fuzz/run.sh` (see `fuzz/README.md`).

#[path = "../fuzz/checks.rs"]
#[allow(dead_code)]
mod checks;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

/// The files of `fuzz/in/<target>/` and `fuzz/regressions/<target>/`, sorted.
fn inputs(target: &str) -> Vec<PathBuf> {
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut files = Vec::new();
    for dir in ["in", "regressions"] {
        let Ok(entries) = std::fs::read_dir(fuzz.join(dir).join(target)) else {
            continue;
        };
        files.extend(
            entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.is_file() && p.file_name().is_none_or(|n| n != "README.md")),
        );
    }
    files.sort();
    files
}

/// Runs `check` on every input of `target`; fails naming each input whose check panicked.
fn run(target: &str, check: fn(&[u8])) {
    let files = inputs(target);
    assert!(!files.is_empty(), "no inputs for {target} under fuzz/");
    let failed: Vec<String> = files
        .iter()
        .filter(|path| {
            let bytes = std::fs::read(path).expect("readable fuzz input");
            catch_unwind(AssertUnwindSafe(|| check(&bytes))).is_err()
        })
        .map(|path| path.display().to_string())
        .collect();
    assert!(
        failed.is_empty(),
        "{target}: {} of {} inputs fail their check (panic messages above):\n{}",
        failed.len(),
        files.len(),
        failed.join("\n")
    );
}

#[test]
fn decode_parse() {
    run("decode_parse", checks::check_decode_parse);
}

#[test]
fn split_units() {
    run("split_units", checks::check_split_units);
}

#[test]
fn dot_escape() {
    run("dot_escape", checks::check_dot_escape);
}

#[test]
fn sparql_request() {
    run("sparql_request", checks::check_sparql_request);
}
