//! Full-text search over the labels of units, tasks, strategies, regions, platforms and
//! documents, and the text of tasks, with a tantivy index kept beside the store.
//!
//! The index holds [`SearchEntry`]s read from quads ([`entries_from_quads`]), each
//! recording the graph it came from: a document's entries are replaced in one commit when
//! the document is stored again ([`SearchIndex::replace_graph`]) and removed with it
//! ([`SearchIndex::remove_graph`]); [`SearchIndex::graphs`] tells which graphs it holds, so
//! that a server can index what a crash left out.
//!
//! Text is indexed in search form — full-width forms folded to half-width, lower case — as
//! character unigrams and bigrams (see `grams`). A query is cut into words at spaces and
//! punctuation; a word of one character is a term, a longer one a phrase of its bigrams,
//! so the entries that hold every word as written are found, whatever the words' length.
//! Results are ranked in tiers, then by BM25 score, then by IRI:
//! 1. a label holds every word ([`Matched::Label`]);
//! 2. the task's text holds every word and no label does ([`Matched::Text`]), with a
//!    [`Snippet`] of the text around them;
//! 3. a label holds every character of the words, not as written ([`Matched::Characters`]:
//!    `科技厅` finds `科学技术厅`).
//!
//! A node named in several graphs (a unit in many documents) is one hit: its best entry.
//!
//! Kept in step with the store: after a document's graph is written, replace that graph
//! with the entries of the same quads (`entries_from_quads(document_quads(&doc))`); after
//! the reference graph is loaded, replace it likewise; when a graph is removed, remove it.
//! On start, the store's graphs that [`SearchIndex::graphs`] lacks are indexed from the
//! store's quads, and those the store no longer has are removed.

mod collect;
mod entries;
mod grams;
mod snippet;

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use serde::Serialize;
use tantivy::directory::MmapDirectory;
use tantivy::directory::error::OpenDirectoryError;
use tantivy::query::{BooleanQuery, PhraseQuery, Query, TermQuery};
use tantivy::schema::{
    FAST, Field, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions, Value,
};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, TantivyError, Term};

use collect::{Best, BestPerNode, Values};
pub use entries::{Label, LabelKind, SearchClass, SearchEntry, entries_from_quads};
use grams::{Grams, TOKENIZER, query_words, word_terms};
use policykg_extract::{Classified, ErrorKind};
pub use snippet::Snippet;

/// Field names. The schema (with the tokenizer's name) is checked when an index is opened.
const KIND: &str = "kind";
const GRAPH: &str = "graph";
const NODE: &str = "node";
const LABEL: &str = "label";
const TEXT: &str = "text";
const ENTRY: &str = "entry";

/// Values of the `kind` field: an entry, or the marker that a graph is indexed.
const KIND_ENTRY: &str = "entry";
const KIND_GRAPH: &str = "graph";

/// The writer's memory before it flushes a segment. One indexing thread: documents get
/// their ids in the order they are added, so the same writes give the same index.
const WRITER_MEMORY: usize = 50_000_000;

/// Why the index could not do what was asked.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("cannot create the search index directory {path}: {source}")]
    CreateDirectory {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot open the search index directory {path}: {source}")]
    OpenDirectory {
        path: PathBuf,
        #[source]
        source: OpenDirectoryError,
    },
    #[error(
        "the search index at {path} was written with another schema: remove it and index again"
    )]
    Incompatible {
        path: PathBuf,
        #[source]
        source: TantivyError,
    },
    #[error("the search index at {path} is held by another writer")]
    Locked {
        path: PathBuf,
        #[source]
        source: TantivyError,
    },
    #[error("the search index was opened read-only")]
    ReadOnly,
    #[error("search index: {0}")]
    Index(#[from] TantivyError),
    #[error("a search entry cannot be stored or read back: {0}")]
    Entry(#[source] serde_json::Error),
}

impl Classified for SearchError {
    fn kind(&self) -> ErrorKind {
        match self {
            SearchError::Locked { .. } => ErrorKind::Busy,
            _ => ErrorKind::Internal,
        }
    }
}

/// Why a node was found (the tiers of the ranking, best first).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Matched {
    /// A label holds every word of the query.
    Label,
    /// The task's text holds every word; no label does.
    Text,
    /// A label holds every character of the words, though not as written.
    Characters,
}

/// One node found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SearchHit {
    /// The node's IRI.
    pub node: String,
    pub class: SearchClass,
    /// The label that holds the words (`rdfs:label` before `skos:prefLabel` before
    /// `skos:altLabel`), or the node's first label when none does.
    pub label: String,
    /// The BM25 score within the hit's tier.
    pub score: f32,
    pub matched: Matched,
    /// The graph of the entry the hit was read from: of those naming the node, the one
    /// that scored best (ties to the smaller IRI).
    pub graph: String,
    /// For [`Matched::Text`], the text around the words, with the words marked.
    pub snippet: Option<Snippet>,
}

/// One page of the nodes found.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SearchResults {
    /// Distinct nodes found, on all pages.
    pub total: usize,
    pub hits: Vec<SearchHit>,
}

#[derive(Clone, Copy)]
struct Fields {
    kind: Field,
    graph: Field,
    node: Field,
    label: Field,
    text: Field,
    entry: Field,
}

fn schema() -> (Schema, Fields) {
    let grams = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(TOKENIZER)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    let mut builder = Schema::builder();
    let fields = Fields {
        kind: builder.add_text_field(KIND, STRING),
        graph: builder.add_text_field(GRAPH, STRING | FAST),
        node: builder.add_text_field(NODE, STRING | FAST),
        label: builder.add_text_field(LABEL, grams.clone()),
        text: builder.add_text_field(TEXT, grams),
        entry: builder.add_text_field(ENTRY, STORED),
    };
    (builder.build(), fields)
}

/// The search index: many threads search while one writes; a search started after a write
/// returned sees it.
pub struct SearchIndex {
    reader: IndexReader,
    /// None for an index opened read-only.
    writer: Option<Mutex<IndexWriter<TantivyDocument>>>,
    fields: Fields,
}

impl SearchIndex {
    /// Opens the index in `dir`, creating the directory and an empty index if need be. One
    /// process at a time may hold it ([`SearchError::Locked`] otherwise); an index written
    /// with another schema is refused ([`SearchError::Incompatible`]).
    pub fn open(dir: &Path) -> Result<SearchIndex, SearchError> {
        std::fs::create_dir_all(dir).map_err(|source| SearchError::CreateDirectory {
            path: dir.to_path_buf(),
            source,
        })?;
        let directory = MmapDirectory::open(dir).map_err(|source| SearchError::OpenDirectory {
            path: dir.to_path_buf(),
            source,
        })?;
        let (schema, fields) = schema();
        let index = Index::open_or_create(directory, schema).map_err(|source| match source {
            TantivyError::SchemaError(_) => SearchError::Incompatible {
                path: dir.to_path_buf(),
                source,
            },
            source => SearchError::Index(source),
        })?;
        Self::with_index(index, fields, Some(dir))
    }

    /// Opens the index in `dir` for searching only, while another process may write it.
    pub fn open_read_only(dir: &Path) -> Result<SearchIndex, SearchError> {
        let directory = MmapDirectory::open(dir).map_err(|source| SearchError::OpenDirectory {
            path: dir.to_path_buf(),
            source,
        })?;
        let index = Index::open(directory).map_err(|source| match source {
            TantivyError::SchemaError(_) => SearchError::Incompatible {
                path: dir.to_path_buf(),
                source,
            },
            source => SearchError::Index(source),
        })?;
        let (schema, fields) = schema();
        if index.schema() != schema {
            return Err(SearchError::Incompatible {
                path: dir.to_path_buf(),
                source: TantivyError::SchemaError("the fields differ".to_string()),
            });
        }
        index.tokenizers().register(TOKENIZER, Grams);
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(SearchIndex {
            reader,
            writer: None,
            fields,
        })
    }

    /// An empty index in memory.
    pub fn in_memory() -> Result<SearchIndex, SearchError> {
        let (schema, fields) = schema();
        Self::with_index(Index::create_in_ram(schema), fields, None)
    }

    fn with_index(
        index: Index,
        fields: Fields,
        dir: Option<&Path>,
    ) -> Result<SearchIndex, SearchError> {
        index.tokenizers().register(TOKENIZER, Grams);
        let writer = index
            .writer_with_num_threads(1, WRITER_MEMORY)
            .map_err(|source| match (source, dir) {
                (source @ TantivyError::LockFailure(..), Some(dir)) => SearchError::Locked {
                    path: dir.to_path_buf(),
                    source,
                },
                (source, _) => SearchError::Index(source),
            })?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(SearchIndex {
            reader,
            writer: Some(Mutex::new(writer)),
            fields,
        })
    }

    fn writer(&self) -> Result<MutexGuard<'_, IndexWriter<TantivyDocument>>, SearchError> {
        let Some(lock) = &self.writer else {
            return Err(SearchError::ReadOnly);
        };
        Ok(match lock.lock() {
            Ok(writer) => writer,
            Err(poisoned) => {
                // Its holder panicked part way through staging: drop what it staged, so
                // that the next commit holds only the next write.
                let mut writer = poisoned.into_inner();
                if let Err(error) = writer.rollback() {
                    tracing::warn!("search index: rolling back after a panic failed: {error}");
                }
                lock.clear_poison();
                writer
            }
        })
    }

    /// Replaces the entries of `graph` with `entries` (indexed under `graph`, whatever
    /// their own `graph` says) in one commit, and marks the graph as indexed, even with no
    /// entries.
    pub fn replace_graph(&self, graph: &str, entries: &[SearchEntry]) -> Result<(), SearchError> {
        self.replace_graphs([(graph, entries)])
    }

    /// [`SearchIndex::replace_graph`] for many graphs in one commit: for building an index
    /// from a whole store. A graph named twice ends with its last entries.
    pub fn replace_graphs<'a>(
        &self,
        graphs: impl IntoIterator<Item = (&'a str, &'a [SearchEntry])>,
    ) -> Result<(), SearchError> {
        self.write(|writer| {
            for (graph, entries) in graphs {
                writer.delete_term(Term::from_field_text(self.fields.graph, graph));
                let mut marker = TantivyDocument::default();
                marker.add_text(self.fields.kind, KIND_GRAPH);
                marker.add_text(self.fields.graph, graph);
                writer.add_document(marker)?;
                for entry in entries {
                    writer.add_document(self.document(graph, entry)?)?;
                }
            }
            Ok(())
        })
    }

    /// Removes the entries of `graph` and its mark, in one commit.
    pub fn remove_graph(&self, graph: &str) -> Result<(), SearchError> {
        self.write(|writer| {
            writer.delete_term(Term::from_field_text(self.fields.graph, graph));
            Ok(())
        })
    }

    /// Removes everything, in one commit.
    pub fn clear(&self) -> Result<(), SearchError> {
        self.write(|writer| {
            writer.delete_all_documents()?;
            Ok(())
        })
    }

    /// Stages changes with `stage`, commits them and makes searches see them; on failure
    /// the staged changes are dropped and the index is left as it was.
    fn write(
        &self,
        stage: impl FnOnce(&mut IndexWriter<TantivyDocument>) -> Result<(), SearchError>,
    ) -> Result<(), SearchError> {
        let mut writer = self.writer()?;
        let outcome = stage(&mut writer).and_then(|()| Ok(writer.commit().map(drop)?));
        if let Err(error) = outcome {
            if let Err(rollback) = writer.rollback() {
                tracing::warn!("search index: rolling back after {error} failed: {rollback}");
            }
            return Err(error);
        }
        drop(writer);
        self.reader.reload()?;
        Ok(())
    }

    fn document(&self, graph: &str, entry: &SearchEntry) -> Result<TantivyDocument, SearchError> {
        let f = self.fields;
        let mut doc = TantivyDocument::default();
        doc.add_text(f.kind, KIND_ENTRY);
        doc.add_text(f.graph, graph);
        doc.add_text(f.node, &entry.node);
        let mut seen = BTreeSet::new();
        for label in &entry.labels {
            if seen.insert(label.value.as_str()) {
                doc.add_text(f.label, &label.value);
            }
        }
        if let Some(text) = &entry.text {
            doc.add_text(f.text, text);
        }
        let stored = SearchEntry {
            graph: graph.to_string(),
            ..entry.clone()
        };
        doc.add_text(
            f.entry,
            serde_json::to_string(&stored).map_err(SearchError::Entry)?,
        );
        Ok(doc)
    }

    /// The graphs indexed, sorted.
    pub fn graphs(&self) -> Result<BTreeSet<String>, SearchError> {
        let searcher = self.reader.searcher();
        let markers = TermQuery::new(
            Term::from_field_text(self.fields.kind, KIND_GRAPH),
            IndexRecordOption::Basic,
        );
        Ok(searcher.search(&markers, &Values { field: GRAPH })?)
    }

    /// The `limit` nodes from `offset` on of those the query finds (see the module
    /// documentation for what is found and in what order). A query without letters or
    /// digits finds nothing.
    pub fn search(
        &self,
        query: &str,
        limit: usize,
        offset: usize,
    ) -> Result<SearchResults, SearchError> {
        let words = query_words(query);
        if words.is_empty() {
            return Ok(SearchResults::default());
        }
        let searcher = self.reader.searcher();
        let collector = BestPerNode {
            node_field: NODE,
            graph_field: GRAPH,
        };
        let mut found: HashMap<String, (Matched, Best)> = HashMap::new();
        let mut tiers = vec![
            (Matched::Label, exact(self.fields.label, &words)),
            (Matched::Text, exact(self.fields.text, &words)),
        ];
        if words.iter().any(|w| w.len() > 1) {
            tiers.push((Matched::Characters, characters(self.fields.label, &words)));
        }
        for (matched, query) in tiers {
            for (node, best) in searcher.search(query.as_ref(), &collector)? {
                found.entry(node).or_insert((matched, best));
            }
        }
        let mut ranked: Vec<(String, (Matched, Best))> = found.into_iter().collect();
        ranked.sort_by(|(a, (ma, ba)), (b, (mb, bb))| {
            ma.cmp(mb)
                .then(bb.score.total_cmp(&ba.score))
                .then_with(|| a.cmp(b))
        });
        let total = ranked.len();
        let mut hits = Vec::new();
        for (node, (matched, best)) in ranked.into_iter().skip(offset).take(limit) {
            let doc: TantivyDocument = searcher.doc(best.address)?;
            let json = doc
                .get_first(self.fields.entry)
                .and_then(|v| v.as_str())
                .unwrap_or_default();
            let entry: SearchEntry = serde_json::from_str(json).map_err(SearchError::Entry)?;
            let holds: fn(&str, &[Vec<char>]) -> bool = match matched {
                Matched::Characters => snippet::holds_chars,
                _ => snippet::holds_all,
            };
            let label = match matched {
                Matched::Text => None,
                _ => entry.labels.iter().find(|l| holds(&l.value, &words)),
            }
            .map_or_else(|| entry.primary_label(), |l| l.value.as_str())
            .to_string();
            let snippet = match matched {
                Matched::Text => entry
                    .text
                    .as_deref()
                    .and_then(|t| snippet::snippet(t, &words)),
                _ => None,
            };
            hits.push(SearchHit {
                node,
                class: entry.class,
                label,
                score: best.score,
                matched,
                graph: best.graph,
                snippet,
            });
        }
        Ok(SearchResults { total, hits })
    }
}

/// Entries whose `field` holds every word as written.
fn exact(field: Field, words: &[Vec<char>]) -> Box<dyn Query> {
    let mut clauses: Vec<Box<dyn Query>> = words
        .iter()
        .map(|word| {
            let mut terms: Vec<Term> = word_terms(word)
                .iter()
                .map(|t| Term::from_field_text(field, t))
                .collect();
            match terms.len() {
                1 => term(terms.remove(0)),
                _ => Box::new(PhraseQuery::new(terms)) as Box<dyn Query>,
            }
        })
        .collect();
    match clauses.len() {
        1 => clauses.remove(0),
        _ => Box::new(BooleanQuery::intersection(clauses)),
    }
}

/// Entries whose `field` holds every character of the words.
fn characters(field: Field, words: &[Vec<char>]) -> Box<dyn Query> {
    let chars: BTreeSet<char> = words.iter().flatten().copied().collect();
    let mut clauses: Vec<Box<dyn Query>> = chars
        .into_iter()
        .map(|c| term(Term::from_field_text(field, &c.to_string())))
        .collect();
    match clauses.len() {
        1 => clauses.remove(0),
        _ => Box::new(BooleanQuery::intersection(clauses)),
    }
}

fn term(term: Term) -> Box<dyn Query> {
    Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs))
}
