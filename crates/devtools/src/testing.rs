//! What the test binaries of every crate share: where the project's files are, the seed
//! and the corpus documents parsed, the gold files, and scratch directories that are
//! removed when dropped.

use std::path::{Path, PathBuf};

use policykg_extract::model::{ParsedDocument, Role};
use policykg_extract::{Gazetteer, extract_file};

use crate::eval::Gold;

/// The project's root: the workspace that holds `data/`, `tests/` and `queries/`.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .expect("crates/devtools sits two folders below the workspace root")
        .to_path_buf()
}

/// The first document: 辽政办发〔2021〕1号.
pub fn seed_path() -> PathBuf {
    root().join("data/docs/liaoning-2021-1.txt")
}

/// A document file extracted with the built-in gazetteers; panics naming the file.
pub fn parse(path: &Path) -> ParsedDocument {
    extract_file(path, Gazetteer::builtin())
        .unwrap_or_else(|e| panic!("{} must parse: {e}", path.display()))
}

/// [`parse`] of a text written in a test, as the file `inline.txt`.
pub fn parse_str(text: &str) -> ParsedDocument {
    policykg_extract::extract_bytes(
        text.as_bytes(),
        Path::new("inline.txt"),
        Gazetteer::builtin(),
    )
    .expect("document parses")
}

/// The seed document, extracted.
pub fn seed() -> ParsedDocument {
    parse(&seed_path())
}

/// The names of a task's units with one role.
pub fn names(doc: &ParsedDocument, task: usize, role: Role) -> Vec<String> {
    doc.tasks[task]
        .units(role)
        .iter()
        .map(|u| u.name.clone())
        .collect()
}

/// The gold files of `tests/gold/`, by file name.
pub fn gold_files() -> Vec<(String, Gold)> {
    let dir = root().join("tests/gold");
    let mut out: Vec<(String, Gold)> = std::fs::read_dir(&dir)
        .expect("tests/gold exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .map(|p| {
            let text = std::fs::read_to_string(&p).expect("gold file readable");
            let gold: Gold = serde_json::from_str(&text)
                .unwrap_or_else(|e| panic!("{}: bad gold file: {e}", p.display()));
            let name = p.file_name().expect("a file name").to_string_lossy();
            (name.into_owned(), gold)
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// A new empty directory for one test, named after `name`, removed with everything in it
/// when the value is dropped.
pub fn scratch(name: &str) -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix(&format!("policykg-{name}-"))
        .tempdir()
        .expect("a temporary directory")
}
