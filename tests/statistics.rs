//! The statistics the store keeps with every write equal, exactly, the same statistics
//! counted from every quad — after ingest, re-ingest of a changed document, removal, SPARQL
//! Update and Graph Store writes — and the corpus-wide cooperation view drawn from them
//! keeps its limit and says what it leaves out.

use crate::util;

use oxigraph::model::{GraphNameRef, Literal, NamedNode, Quad};
use oxigraph::sparql::SparqlEvaluator;
use policykg_extract::extract_bytes;
use policykg_extract::link::Gazetteer;
use policykg_store::{PolicyStore, memory_store};
use policykg_views::graph::{ViewKind, ViewOptions};

/// The seed and nine documents of the corpus.
fn corpus() -> Vec<std::path::PathBuf> {
    let mut paths = vec![util::seed_path()];
    for name in ["01", "02", "03", "06", "08", "10", "12", "15", "central-01"] {
        paths.push(util::root().join(format!("tests/corpus/{name}.txt")));
    }
    paths
}

fn loaded() -> PolicyStore {
    let store = memory_store(Gazetteer::builtin()).expect("store");
    let report =
        policykg::ingest_paths(&store, &corpus(), Gazetteer::builtin(), |_| {}).expect("ingest");
    assert_eq!(report.failed, 0);
    store
}

/// The kept statistics, the statistics graph quad for quad, against a full recount.
fn assert_kept_equals_counted(store: &PolicyStore, after: &str) {
    let kept = store.stats().expect("stats");
    let counted = store.counted_stats().expect("counted");
    assert_eq!(kept, counted, "{after}: counts");
    let quads = store.statistics_quads().expect("statistics");
    store.recount().expect("recount");
    assert_eq!(
        quads,
        store.statistics_quads().expect("statistics"),
        "{after}: the statistics graph"
    );
}

#[test]
fn kept_statistics_equal_a_recount_after_every_kind_of_write() {
    let store = loaded();
    let stats = store.stats().expect("stats");
    // The seed and the corpus, as counted before statistics were kept.
    assert_eq!((stats.documents, stats.tasks, stats.units), (10, 222, 226));
    assert_kept_equals_counted(&store, "ingest");

    // A changed copy of the seed: one task's units removed from its annotation.
    let text = std::fs::read_to_string(util::seed_path()).expect("seed");
    let changed = text.replacen("省商务厅、", "", 1);
    assert_ne!(changed, text);
    let doc =
        extract_bytes(changed.as_bytes(), &util::seed_path(), Gazetteer::builtin()).expect("parse");
    store.ingest(&doc).expect("re-ingest");
    assert_kept_equals_counted(&store, "re-ingest of a changed document");

    // A document removed.
    let graph = NamedNode::new("https://policykg.org/graph/03").expect("IRI");
    store.remove_graph(graph.as_ref()).expect("remove");
    assert_eq!(store.stats().expect("stats").documents, 9);
    assert_kept_equals_counted(&store, "removal");

    // A SPARQL Update that adds a task and a unit to a document's graph.
    let update = SparqlEvaluator::new()
        .parse_update(
            "PREFIX pol: <https://policykg.org/ns#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
             INSERT DATA { GRAPH <https://policykg.org/graph/06> {
               <https://policykg.org/id/doc/06> pol:hasTask <urn:x:task> .
               <urn:x:task> a pol:Task ; pol:leadUnit <urn:x:unit>, <https://policykg.org/id/unit/湖北省/省科技厅> .
               <urn:x:unit> a pol:Unit ; rdfs:label \"新单位\" } }",
        )
        .expect("update parses");
    store.update(update).expect("update");
    assert_eq!(store.stats().expect("stats").tasks, counted_tasks(&store));
    assert_kept_equals_counted(&store, "SPARQL Update");

    // A Graph Store PUT of a graph of its own, and of an existing document's graph.
    let graph = NamedNode::new("https://policykg.org/graph/put").expect("IRI");
    let task = NamedNode::new("urn:x:put-task").expect("IRI");
    let quads = [
        Quad::new(
            task.clone(),
            policykg_extract::vocab::rdf::TYPE,
            policykg_extract::vocab::pol::TASK,
            GraphNameRef::from(graph.as_ref()),
        ),
        Quad::new(
            task,
            policykg_extract::vocab::pol::TEXT,
            Literal::new_simple_literal("甲"),
            GraphNameRef::from(graph.as_ref()),
        ),
    ];
    store
        .replace_graph(graph.as_ref(), quads.into_iter().map(Ok::<_, String>))
        .expect("put");
    let doc_graph = NamedNode::new("https://policykg.org/graph/08").expect("IRI");
    store
        .replace_graph(
            doc_graph.as_ref(),
            std::iter::empty::<Result<Quad, String>>(),
        )
        .expect("put of an empty graph");
    assert_kept_equals_counted(&store, "Graph Store writes");
}

/// One batch that holds every kind of document at once: one already stored and
/// unchanged, one new, one stored and changed, and a second copy of the new one's key.
/// The new one goes through the bulk loader, the others wait for it or are written
/// beside it, and the counts and the statistics come out as if each was stored alone.
#[test]
fn a_batch_of_new_changed_unchanged_and_repeated_documents_keeps_exact_statistics() {
    let store = memory_store(Gazetteer::builtin()).expect("store");
    let seed_and_01 = [util::seed_path(), util::root().join("tests/corpus/01.txt")];
    let first =
        policykg::ingest_paths(&store, &seed_and_01, Gazetteer::builtin(), |_| {}).expect("ingest");
    assert_eq!((first.added, first.failed), (2, 0));

    let dir = tempfile::tempdir().expect("temporary directory");
    let copy = |from: &std::path::Path, to: &std::path::Path, edit: &dyn Fn(String) -> String| {
        let text = std::fs::read_to_string(from).expect("read");
        std::fs::create_dir_all(to.parent().expect("parent")).expect("directory");
        std::fs::write(to, edit(text)).expect("written");
    };
    let corpus = |name: &str| util::root().join(format!("tests/corpus/{name}"));
    copy(&corpus("01.txt"), &dir.path().join("a/01.txt"), &|t| t);
    copy(&corpus("02.txt"), &dir.path().join("a/02.txt"), &|t| t);
    copy(
        &util::seed_path(),
        &dir.path().join("a/liaoning-2021-1.txt"),
        &|t| t.replacen("省商务厅、", "", 1),
    );
    // The second copy of 02 lacks its last line, a row of its table of tasks.
    let shorter = |t: String| {
        let mut lines: Vec<&str> = t.lines().collect();
        lines.pop();
        lines.join("\n")
    };
    copy(&corpus("02.txt"), &dir.path().join("b/02.txt"), &shorter);

    let mut outcomes = Vec::new();
    let report = policykg::ingest_paths(
        &store,
        &[dir.path().join("a"), dir.path().join("b")],
        Gazetteer::builtin(),
        |file| outcomes.push((file.number, file.outcome.as_ref().ok().copied())),
    )
    .expect("ingest");
    assert_eq!(
        (
            report.added,
            report.replaced,
            report.unchanged,
            report.failed
        ),
        (1, 2, 1, 0)
    );
    // Heard of in path order, each once.
    assert_eq!(
        outcomes.iter().map(|(n, _)| *n).collect::<Vec<_>>(),
        [1, 2, 3, 4]
    );
    assert!(matches!(
        outcomes[0].1,
        Some(policykg_store::IngestOutcome::Unchanged(_))
    ));
    assert!(matches!(
        outcomes[1].1,
        Some(policykg_store::IngestOutcome::Added(_))
    ));
    assert!(matches!(
        outcomes[2].1,
        Some(policykg_store::IngestOutcome::Replaced(_))
    ));
    assert!(matches!(
        outcomes[3].1,
        Some(policykg_store::IngestOutcome::Replaced(_))
    ));
    assert_eq!(store.stats().expect("stats").documents, 3);
    assert_kept_equals_counted(&store, "a mixed batch");

    // The copy of 02 stored last is the one kept: the same as storing it alone.
    let alone = memory_store(Gazetteer::builtin()).expect("store");
    let report = policykg::ingest_paths(
        &alone,
        &[dir.path().join("b")],
        Gazetteer::builtin(),
        |_| {},
    )
    .expect("ingest");
    assert_eq!(report.added, 1);
    let graph = |store: &PolicyStore| {
        let graph = NamedNode::new("https://policykg.org/graph/02").expect("IRI");
        let mut quads: Vec<String> = store
            .oxigraph()
            .quads_for_pattern(
                None,
                None,
                None,
                Some(GraphNameRef::NamedNode(graph.as_ref())),
            )
            .map(|q| q.expect("quad").to_string())
            .collect();
        quads.sort();
        quads
    };
    let kept = graph(&store);
    assert!(!kept.is_empty());
    assert_eq!(kept, graph(&alone));
}

fn counted_tasks(store: &PolicyStore) -> usize {
    store.counted_stats().expect("counted").tasks
}

#[test]
fn the_statistics_graph_cannot_be_written_from_outside() {
    let store = loaded();
    let graph = NamedNode::new("https://policykg.org/graph/statistics").expect("IRI");
    let error = store
        .remove_graph(graph.as_ref())
        .expect_err("kept by the store");
    assert!(
        error.to_string().contains("kept by the store itself"),
        "{error}"
    );
    assert_kept_equals_counted(&store, "a refused write");
}

#[test]
fn a_store_from_before_statistics_gets_them_when_opened() {
    let dir = std::env::temp_dir().join(format!("policykg-stats-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    {
        let store = policykg_store::open_store(&dir, Gazetteer::builtin()).expect("open");
        store.ingest(&util::seed()).expect("ingest");
        // As a store written before statistics were kept: no statistics graph.
        store
            .oxigraph()
            .remove_named_graph(
                NamedNode::new("https://policykg.org/graph/statistics")
                    .expect("IRI")
                    .as_ref(),
            )
            .expect("remove");
    }
    let store = policykg_store::open_store(&dir, Gazetteer::builtin()).expect("reopen");
    let stats = store.stats().expect("stats");
    assert_eq!((stats.documents, stats.tasks), (1, 24));
    assert_kept_equals_counted(&store, "reopening");
    drop(store);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_corpus_cooperation_view_keeps_its_limit_and_says_what_it_leaves_out() {
    let store = loaded();
    let view = ViewKind::Cooperation
        .build(
            &store,
            &ViewOptions {
                limit: Some(20),
                ..ViewOptions::default()
            },
            policykg_store::sparql::CancellationToken::new(),
        )
        .expect("view");
    assert!(view.graph.node_count() <= 20);
    let note = view.note.clone().expect("a note");
    let statistics = store.statistics_quads().expect("statistics");
    let pairs = statistics
        .iter()
        .filter(|q| q.predicate == policykg_extract::vocab::pol::SHARED_TASKS)
        .count();
    let cooperating: std::collections::HashSet<_> = statistics
        .iter()
        .filter(|q| q.predicate == policykg_extract::vocab::pol::COOPERATING_UNIT)
        .map(|q| q.object.clone())
        .collect();
    // Of the 226 units, 218 share a task with another.
    assert_eq!((cooperating.len(), pairs), (218, 821));
    assert_eq!(
        note,
        format!(
            "showing 20 of 218 units (the most connected) and {} of 821 pairs (at least 1 shared tasks) — raise limit or min_weight, or filter",
            view.graph.edge_count()
        )
    );
    assert_eq!(view.graph.node_count(), 20);
    // The seed alone: all its units, every pair with its shared tasks as evidence, no note.
    let seed = memory_store(Gazetteer::builtin()).expect("store");
    seed.ingest(&util::seed()).expect("ingest");
    let view = ViewKind::Cooperation
        .build(
            &seed,
            &ViewOptions::default(),
            policykg_store::sparql::CancellationToken::new(),
        )
        .expect("view");
    assert_eq!(
        (view.graph.node_count(), view.graph.edge_count()),
        (42, 229)
    );
    assert!(view.note.is_none());
}

/// A store whose statistics were kept by an older version is counted anew when it is next
/// opened for writing: the weights the corpus views read are then there.
#[test]
fn statistics_of_an_older_version_are_counted_anew_on_open() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let path = dir.path().join("store");
    let version = NamedNode::new("https://policykg.org/ns#statisticsVersion").expect("IRI");
    let tie = NamedNode::new("https://policykg.org/ns#Tie").expect("IRI");
    let stats_graph = NamedNode::new("https://policykg.org/graph/statistics").expect("IRI");
    let kept = {
        let store = PolicyStore::open(&path).expect("store");
        store.ingest(&util::seed()).expect("ingest");
        store.statistics_quads().expect("statistics")
    };
    let ties = kept
        .iter()
        .filter(|q| q.object == tie.clone().into())
        .count();
    assert!(
        ties > 0,
        "the seed ties strategies to regions and platforms"
    );
    // As an older version left it: no version, no ties.
    {
        let raw = oxigraph::store::Store::open(&path).expect("raw store");
        for quad in &kept {
            let about_ties = kept
                .iter()
                .any(|q| q.subject == quad.subject && q.object == tie.clone().into());
            if quad.predicate == version || about_ties {
                raw.remove(quad).expect("remove");
            }
        }
        let left = raw
            .quads_for_pattern(
                None,
                Some(version.as_ref()),
                None,
                Some(GraphNameRef::from(&stats_graph)),
            )
            .count();
        assert_eq!(left, 0);
    }
    let store = PolicyStore::open(&path).expect("store");
    assert_eq!(store.statistics_quads().expect("statistics"), kept);
}

/// A document graph stored without its statistics — what a bulk load leaves when the
/// process stops before the statistics transaction, with the record of the graphs it was
/// writing — is counted when the store is next opened for writing.
#[test]
fn a_document_stored_without_its_statistics_is_counted_on_open() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let path = dir.path().join("store");
    let version = NamedNode::new("https://policykg.org/ns#statisticsVersion").expect("IRI");
    let stats_graph = NamedNode::new("https://policykg.org/graph/statistics").expect("IRI");
    let kept = {
        let store = PolicyStore::open(&path).expect("store");
        store.ingest(&util::seed()).expect("ingest");
        store.statistics_quads().expect("statistics")
    };
    {
        // Everything the statistics say, but their version: the seed's graph is uncounted.
        let raw = oxigraph::store::Store::open(&path).expect("raw store");
        for quad in &kept {
            if quad.predicate != version {
                raw.remove(quad).expect("remove");
            }
        }
        let left = raw
            .quads_for_pattern(None, None, None, Some(GraphNameRef::from(&stats_graph)))
            .count();
        assert_eq!(left, 1);
    }
    // The record an ingest writes before its bulk step, which the stop left behind.
    std::fs::write(
        path.join("search-pending"),
        format!(
            "{}\n",
            policykg_extract::vocab::document_graph("liaoning-2021-1").as_str()
        ),
    )
    .expect("pending record");
    let store = PolicyStore::open(&path).expect("store");
    assert_eq!(store.statistics_quads().expect("statistics"), kept);
    assert_eq!(
        store.stats().expect("stats"),
        store.counted_stats().expect("counted")
    );
}
