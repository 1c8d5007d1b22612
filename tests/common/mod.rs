//! Helpers shared by the integration tests: locating test data and reading gold files.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use policykg::{Gazetteer, ParsedDocument, Role};
use serde::Deserialize;

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn seed_path() -> PathBuf {
    root().join("data/docs/liaoning-2021-1.txt")
}

pub fn parse(path: &Path) -> ParsedDocument {
    policykg::extract_file(path, Gazetteer::builtin())
        .unwrap_or_else(|e| panic!("{} must parse: {e}", path.display()))
}

pub fn seed() -> ParsedDocument {
    parse(&seed_path())
}

/// Names of a task's units with one role.
pub fn names(doc: &ParsedDocument, task: usize, role: Role) -> Vec<String> {
    doc.tasks[task]
        .units(role)
        .iter()
        .map(|u| u.name.clone())
        .collect()
}

#[derive(Debug, Deserialize)]
pub struct Gold {
    pub document: String,
    pub metadata: GoldMetadata,
    pub tasks: Vec<GoldTask>,
}

#[derive(Debug, Deserialize)]
pub struct GoldMetadata {
    pub title: Option<String>,
    pub doc_number: Option<String>,
    pub issuer: Option<String>,
    pub date: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct GoldTask {
    pub number: String,
    pub title: Option<String>,
    pub section: String,
    pub lead: Vec<String>,
    pub responsible: Vec<String>,
    pub supporting: Vec<String>,
    pub implied: Vec<String>,
}

impl GoldTask {
    pub fn units(&self, role: Role) -> &[String] {
        match role {
            Role::Lead => &self.lead,
            Role::Responsible => &self.responsible,
            Role::Supporting => &self.supporting,
            Role::Implied => &self.implied,
        }
    }
}

/// All gold files, by file name.
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
            (
                p.file_name()
                    .expect("file name")
                    .to_string_lossy()
                    .into_owned(),
                gold,
            )
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}
pub mod server;
