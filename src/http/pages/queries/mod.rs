//! The pages' SPARQL, each query beside the struct its rows are read into. Bound
//! parameters are projected variables; `#[serde(default)]` or an `Option` marks a variable
//! an OPTIONAL may leave unbound.

use policykg_store::sparql::Query;
use serde::Deserialize;

/// The documents by title, with their 文号, date and kept task count.
pub const DOCUMENTS: Query<DocumentRow> = Query::new(include_str!("documents.rq"));

#[derive(Debug, Clone, Deserialize)]
pub struct DocumentRow {
    pub doc: String,
    pub title: String,
    #[serde(default)]
    pub number: String,
    #[serde(default)]
    pub date: String,
    pub tasks: u64,
}

/// A node's labels (`?node`).
pub const ENTITY_LABEL: Query<EntityLabel> = Query::new(include_str!("entity-label.rq"));

#[derive(Debug, Clone, Deserialize)]
pub struct EntityLabel {
    pub label: String,
}

/// A node's relations out of it (`?node`).
pub const ENTITY_OUT: Query<EntityRelation> = Query::new(include_str!("entity-out.rq"));
/// A node's relations into it (`?node`).
pub const ENTITY_IN: Query<EntityRelation> = Query::new(include_str!("entity-in.rq"));

/// A relation: the predicate and the node at its other end, with a label where it has one.
#[derive(Debug, Clone, Deserialize)]
pub struct EntityRelation {
    pub p: String,
    pub target: String,
    pub label: Option<String>,
}

/// The spans of text that mention a node (`?node`).
pub const ENTITY_EVIDENCE: Query<EntityEvidence> = Query::new(include_str!("entity-evidence.rq"));

/// The LIMIT of `entity-evidence.rq`.
pub const EVIDENCE_LIMIT: usize = 200;

#[derive(Debug, Clone, Deserialize)]
pub struct EntityEvidence {
    pub doc: String,
    pub start: usize,
    pub end: usize,
    pub kind: String,
    pub title: Option<String>,
}

/// A document's title and full text (`?doc`).
pub const DOCUMENT_TEXT: Query<DocumentText> = Query::new(include_str!("document-text.rq"));

#[derive(Debug, Clone, Deserialize)]
pub struct DocumentText {
    pub title: String,
    pub text: String,
}

/// The spans of a document to mark: mentions of units, strategies, regions, platforms
/// (`?doc`).
pub const DOCUMENT_MARKS: Query<DocumentMark> = Query::new(include_str!("document-marks.rq"));

#[derive(Debug, Clone, Deserialize)]
pub struct DocumentMark {
    pub start: usize,
    pub end: usize,
    pub target: String,
    pub kind: String,
}

/// The clauses of a document that name units but were not read as annotations (`?doc`).
pub const DOCUMENT_UNREAD: Query<DocumentUnread> = Query::new(include_str!("document-unread.rq"));

#[derive(Debug, Clone, Deserialize)]
pub struct DocumentUnread {
    pub line: usize,
    pub start: usize,
    pub end: usize,
    pub quote: String,
}
