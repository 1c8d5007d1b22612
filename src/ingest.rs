//! Ingest: the documents under paths extracted in parallel and stored in batches
//! ([`ingest_paths`]), each batch of new documents one bulk load fed while the next
//! documents are parsed.

use std::path::{Path, PathBuf};

use policykg_extract::decode::ReadOptions;
use policykg_extract::{Gazetteer, ParseError, ParsedDocument, document_files, extract_file_with};
use policykg_store::{IngestOutcome, Loading, PolicyStore, StoreError};

/// Why one file of an ingest did not land.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error(transparent)]
    Parse(#[from] ParseError),
    /// The transaction of the file's batch failed: the file was not stored.
    #[error("{path}: not stored, its batch failed: {source}")]
    Batch {
        path: PathBuf,
        #[source]
        source: std::sync::Arc<StoreError>,
    },
}

/// What ingesting one file did: the `number`th file (from 1) of `total`.
pub struct FileOutcome<'a> {
    pub path: &'a Path,
    pub number: usize,
    pub total: usize,
    pub outcome: Result<IngestOutcome, IngestError>,
}

/// The counts of an ingest.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct IngestReport {
    pub added: usize,
    pub replaced: usize,
    pub unchanged: usize,
    pub failed: usize,
    /// Triples in the graphs of the documents that landed or were already there.
    pub triples: usize,
}

/// How many documents are stored together, unless the caller says otherwise: each batch
/// lands whole or not at all. A batch of new documents is one set of index files added at
/// once; every further set overlaps those already stored, and RocksDB merges them in the
/// background. At 1,000 documents, batches of 256 spent a fifth of the ingest's processor
/// time in those merges.
pub const BATCH: usize = 1024;

/// Documents parsed at once, in parallel, while the ones before them are stored.
const PARSE_AT_ONCE: usize = 128;

/// How [`ingest_paths_with`] reads and stores documents.
#[derive(Debug, Clone)]
pub struct IngestOptions {
    pub read: ReadOptions,
    /// Documents stored together (at least 1): fewer lose less work when an ingest is
    /// stopped, more load faster.
    pub batch: usize,
}

impl Default for IngestOptions {
    fn default() -> Self {
        IngestOptions {
            read: ReadOptions::default(),
            batch: BATCH,
        }
    }
}

/// Every this many batches, what the store holds in memory is written to its files, so
/// that its write-ahead log and its memory stay small during a long ingest.
const FLUSH_EVERY: usize = 4;

/// After this many documents, added in more than [`COMPACT_AFTER_BATCHES`] batches or
/// replaced, an ingest compacts the store.
const COMPACT_AFTER: usize = 200;

/// Each batch of new documents adds index files that overlap those of the other batches,
/// and a read looks into every one of them until they are compacted: an export of 10,000
/// documents just ingested in 40 batches read 10 k quads/s. A few sets cost reads little
/// (the pages at 1,000 documents, 4 batches, answered as fast as after a compaction that
/// took a third of the ingest's time), so only a longer ingest ends with one.
const COMPACT_AFTER_BATCHES: usize = 8;

/// Extracts and stores every document under `paths`. Documents are parsed in parallel and
/// stored in batches of up to [`BATCH`] documents, each batch entirely or not at all; a
/// file that fails is reported to `on_file` and the others still land. `on_file` hears of
/// each file once its batch is stored, in path order. Documents are parsed while those
/// before them are stored; a large ingest ends by compacting the store.
pub fn ingest_paths(
    store: &PolicyStore,
    paths: &[PathBuf],
    gazetteer: &Gazetteer,
    on_file: impl FnMut(&FileOutcome<'_>),
) -> Result<IngestReport, ParseError> {
    ingest_paths_with(store, paths, gazetteer, &IngestOptions::default(), on_file)
}

/// [`ingest_paths`], every document read and stored as `options` say.
pub fn ingest_paths_with(
    store: &PolicyStore,
    paths: &[PathBuf],
    gazetteer: &Gazetteer,
    options: &IngestOptions,
    mut on_file: impl FnMut(&FileOutcome<'_>),
) -> Result<IngestReport, ParseError> {
    use rayon::prelude::*;
    let files = document_files(paths)?;
    let mut report = IngestReport::default();
    let batch_size = options.batch.max(1);
    std::thread::scope(|scope| {
        let (parsed, parts) = std::sync::mpsc::sync_channel(1);
        let files = &files;
        scope.spawn(move || {
            for batch in files.chunks(batch_size) {
                let mut rest = batch;
                while !rest.is_empty() {
                    let (part, after) = rest.split_at(rest.len().min(PARSE_AT_ONCE));
                    let extracted: Vec<Result<ParsedDocument, ParseError>> = part
                        .par_iter()
                        .map(|path| extract_file_with(path, gazetteer, &options.read))
                        .collect();
                    rest = after;
                    if parsed.send((extracted, rest.is_empty())).is_err() {
                        return;
                    }
                }
            }
        });
        let mut batch = Batch::new(store);
        let mut done = 0;
        let mut batch_number: usize = 0;
        for (extracted, last) in parts {
            batch.take(extracted);
            if last {
                let batch_files = &files[done..done + batch.len()];
                std::mem::replace(&mut batch, Batch::new(store)).finish(
                    batch_files,
                    done,
                    files.len(),
                    &mut report,
                    &mut on_file,
                );
                done += batch_files.len();
                batch_number += 1;
                if batch_number.is_multiple_of(FLUSH_EVERY)
                    && let Err(e) = store.flush()
                {
                    tracing::warn!("the store could not write its memory to its files: {e}");
                }
            }
        }
    });
    let batches = files.len().div_ceil(batch_size);
    if (report.added >= COMPACT_AFTER && batches > COMPACT_AFTER_BATCHES)
        || report.replaced >= COMPACT_AFTER
    {
        // Each batch adds its own files, which overlap those of the others: until they are
        // compacted every read looks into all of them (an export of 10,000 documents just
        // ingested read 10 k quads/s). Replaced graphs leave old versions behind too.
        if let Err(e) = store.flush() {
            tracing::warn!("the store could not write its memory to its files: {e}");
        }
        // Compaction only saves space; a store that could not be compacted is still whole.
        if let Err(e) = store.optimize() {
            tracing::warn!("the store could not be compacted: {e}");
        }
    } else if let Err(e) = store.flush() {
        // Without a flush the write-ahead log stays, and every open replays it.
        tracing::warn!("the store could not write its memory to its files: {e}");
    }
    Ok(report)
}

/// One batch of an ingest, as its documents come from the parser: new documents go to the
/// bulk loader, those already stored are replaced (or found unchanged) at once, and a
/// second copy of a key waits for the first to be stored.
struct Batch<'s> {
    store: &'s PolicyStore,
    /// Opened with the batch's first new document.
    loading: Option<Loading<'s>>,
    /// Why the loader failed, when it did: no document of the batch lands after that.
    failed: Option<std::sync::Arc<StoreError>>,
    files: Vec<Slot>,
    /// Documents already stored, replaced together before the loader opens or at the end
    /// of a part.
    now: Vec<ParsedDocument>,
    /// Documents stored once the new ones are: a second copy of a key, or a document
    /// already stored that came while the loader was open (a store in memory takes one
    /// writer at a time).
    later: Vec<ParsedDocument>,
}

/// What became of one file of a batch, so far.
enum Slot {
    Unreadable(ParseError),
    Loaded(usize),
    Stored(Result<IngestOutcome, std::sync::Arc<StoreError>>),
    /// In [`Batch::now`].
    Now,
    /// The `n`th of [`Batch::later`].
    Later(usize),
}

impl<'s> Batch<'s> {
    fn new(store: &'s PolicyStore) -> Self {
        Batch {
            store,
            loading: None,
            failed: None,
            files: Vec::new(),
            now: Vec::new(),
            later: Vec::new(),
        }
    }

    fn len(&self) -> usize {
        self.files.len()
    }

    /// Takes the documents of one part of the batch, as the parser gives them.
    fn take(&mut self, part: Vec<Result<ParsedDocument, ParseError>>) {
        for parsed in part {
            let slot = match parsed {
                Ok(doc) => self.sort(doc),
                Err(e) => Slot::Unreadable(e),
            };
            self.files.push(slot);
        }
        self.store_now();
    }

    /// Where a parsed document goes: to the loader when it is new, to [`Batch::now`] when a
    /// copy is stored already, to [`Batch::later`] when it must wait for the loader.
    fn sort(&mut self, doc: ParsedDocument) -> Slot {
        if let Some(failed) = &self.failed {
            return Slot::Stored(Err(failed.clone()));
        }
        let held = self.loading.as_ref().is_some_and(|l| l.holds(&doc));
        let known = match self.store.has_document(&doc) {
            Ok(known) => known,
            Err(e) => return self.fail(e),
        };
        if held || (known && self.loading.is_some()) {
            self.later.push(doc);
            return Slot::Later(self.later.len() - 1);
        }
        if known {
            self.now.push(doc);
            return Slot::Now;
        }
        if self.loading.is_none() {
            self.store_now();
        }
        let store = self.store;
        match self
            .loading
            .get_or_insert_with(|| store.start_loading())
            .add(&doc)
        {
            Ok(triples) => Slot::Loaded(triples),
            Err(e) => self.fail(e),
        }
    }

    /// Stores the documents of [`Batch::now`], together.
    fn store_now(&mut self) {
        if self.now.is_empty() {
            return;
        }
        let docs = std::mem::take(&mut self.now);
        let outcomes = self.store.ingest_all(&docs).map_err(std::sync::Arc::new);
        let mut outcomes = outcomes.as_ref().map(|o| o.iter().copied());
        for slot in &mut self.files {
            if matches!(slot, Slot::Now) {
                *slot = Slot::Stored(match &mut outcomes {
                    Ok(outcomes) => Ok(outcomes
                        .next()
                        .expect("one outcome for each document stored")),
                    Err(e) => Err(e.clone()),
                });
            }
        }
    }

    fn fail(&mut self, error: StoreError) -> Slot {
        self.loading = None;
        let error = std::sync::Arc::new(error);
        self.failed = Some(error.clone());
        Slot::Stored(Err(error))
    }

    /// Commits the batch and reports each of its files.
    fn finish(
        mut self,
        files: &[PathBuf],
        before: usize,
        total: usize,
        report: &mut IngestReport,
        on_file: &mut impl FnMut(&FileOutcome<'_>),
    ) {
        let committed = match (self.loading.take().map(Loading::commit), &self.failed) {
            (Some(Err(e)), _) => Err(std::sync::Arc::new(e)),
            (_, Some(failed)) => Err(failed.clone()),
            _ => Ok(()),
        };
        let later = self
            .store
            .ingest_all(&self.later)
            .map_err(std::sync::Arc::new);
        for (offset, (path, slot)) in files.iter().zip(self.files).enumerate() {
            let stored = match slot {
                Slot::Unreadable(e) => Err(IngestError::Parse(e)),
                Slot::Loaded(triples) => committed
                    .clone()
                    .map(|()| IngestOutcome::Added(triples))
                    .map_err(|source| batch_error(path, source)),
                Slot::Stored(outcome) => outcome.map_err(|source| batch_error(path, source)),
                Slot::Now => unreachable!("a part's documents are stored before the next part"),
                Slot::Later(n) => match &later {
                    Ok(outcomes) => Ok(outcomes[n]),
                    Err(source) => Err(batch_error(path, source.clone())),
                },
            };
            match &stored {
                Ok(done) => {
                    report.triples += done.triples();
                    match done {
                        IngestOutcome::Added(_) => report.added += 1,
                        IngestOutcome::Replaced(_) => report.replaced += 1,
                        IngestOutcome::Unchanged(_) => report.unchanged += 1,
                    }
                }
                Err(_) => report.failed += 1,
            }
            on_file(&FileOutcome {
                path,
                number: before + offset + 1,
                total,
                outcome: stored,
            });
        }
    }
}

fn batch_error(path: &Path, source: std::sync::Arc<StoreError>) -> IngestError {
    IngestError::Batch {
        path: path.to_path_buf(),
        source,
    }
}
