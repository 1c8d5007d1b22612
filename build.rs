//! Embeds the named queries of queries/ (not its subfolders) for the query page, so that
//! the binary needs no files at run time.

use std::fmt::Write;
use std::path::PathBuf;

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("set by cargo"));
    // The named queries of queries/ (not its subfolders), for the query page.
    let queries = root.join("queries");
    println!("cargo:rerun-if-changed={}", queries.display());
    let mut named: Vec<PathBuf> = std::fs::read_dir(&queries)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "rq"))
                .collect()
        })
        .unwrap_or_default();
    named.sort();
    let mut code = String::from(
        "/// The named queries: (file stem, text).\npub const NAMED_QUERIES: &[(&str, &str)] = &[\n",
    );
    for file in &named {
        println!("cargo:rerun-if-changed={}", file.display());
        let stem = file
            .file_stem()
            .expect("a file name")
            .to_string_lossy()
            .into_owned();
        writeln!(
            code,
            "    ({stem:?}, include_str!({:?})),",
            file.display().to_string()
        )
        .expect("writing to a string");
    }
    code.push_str("];\n");
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("set by cargo")).join("queries.rs");
    std::fs::write(out, code).expect("OUT_DIR is writable");
}
