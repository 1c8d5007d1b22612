//! The RDF store: named queries with their exact answers on the seed, export and reload,
//! idempotent and atomic ingestion, jurisdiction-scoped units, the constraint checks, and
//! clear errors for bad input that lose nothing already stored.

use crate::util;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{NamedNode, Quad};
use oxigraph::sparql::QueryResults;
use policykg_extract::extract_bytes;
use policykg_extract::link::Gazetteer;
use policykg_store::sparql::{CancellationToken, evaluate, plain};
use policykg_store::validate::validate;
use policykg_store::{IngestOutcome, PolicyStore};

fn seed_store() -> PolicyStore {
    let store = policykg_store::memory_store(Gazetteer::builtin()).expect("store");
    store.ingest(&util::seed()).expect("seed ingests");
    store
}

/// Rows of a SELECT as plain values: a header line, then sorted rows, TAB-separated.
fn rows(store: &PolicyStore, query: &str) -> Vec<String> {
    let QueryResults::Solutions(solutions) =
        evaluate(store, query, CancellationToken::new()).expect("query runs")
    else {
        panic!("not a SELECT query");
    };
    let variables: Vec<String> = solutions
        .variables()
        .iter()
        .map(|v| v.as_str().to_string())
        .collect();
    let mut body: Vec<String> = solutions
        .map(|s| {
            let s = s.expect("solution");
            variables
                .iter()
                .map(|v| s.get(v.as_str()).map(plain).unwrap_or_default())
                .collect::<Vec<_>>()
                .join("\t")
        })
        .collect();
    body.sort();
    let mut out = vec![variables.join("\t")];
    out.extend(body);
    out
}

fn all_quads(store: &PolicyStore) -> BTreeSet<String> {
    store
        .oxigraph()
        .iter()
        .map(|q| q.expect("quad").to_string())
        .collect()
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("policykg-store-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

#[test]
fn every_named_query_gives_its_expected_rows_on_the_seed() {
    let store = seed_store();
    let dir = util::root().join("queries");
    let mut names: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("queries/")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "rq"))
        .collect();
    names.sort();
    assert!(names.len() >= 12, "at least 12 named queries");
    let mut failures = Vec::new();
    for path in names {
        let name = path
            .file_stem()
            .expect("stem")
            .to_string_lossy()
            .into_owned();
        let text = std::fs::read_to_string(&path).expect("query readable");
        assert!(
            text.starts_with("# title:"),
            "{name}: opens with a comment block"
        );
        let expected_path = util::root().join(format!("tests/queries/{name}.tsv"));
        let expected = std::fs::read_to_string(&expected_path)
            .unwrap_or_else(|_| panic!("missing {}", expected_path.display()));
        let mut want: Vec<String> = expected.lines().map(str::to_string).collect();
        let header = want.remove(0);
        want.sort();
        want.insert(0, header);
        let got = rows(&store, &text);
        assert!(got.len() > 1, "{name}: no rows on the seed");
        if got != want {
            failures.push(format!("{name}:\n  got  {got:?}\n  want {want:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn export_and_reload_give_the_same_triples_and_answers() {
    let store = seed_store();
    let mut turtle = Vec::new();
    store
        .export(&mut turtle, RdfFormat::Turtle, None)
        .expect("export");
    let quads: Vec<Quad> = RdfParser::from_format(RdfFormat::Turtle)
        .for_slice(&turtle)
        .collect::<Result<_, _>>()
        .expect("the exported Turtle parses");
    let distinct: BTreeSet<String> = store
        .oxigraph()
        .iter()
        .map(|q| {
            let q = q.expect("quad");
            format!("{} {} {}", q.subject, q.predicate, q.object)
        })
        .collect();
    assert_eq!(quads.len(), distinct.len());

    let reloaded = policykg_store::memory_store(Gazetteer::builtin()).expect("store");
    let graph = NamedNode::new("https://policykg.org/graph/reloaded").expect("iri");
    reloaded
        .replace_graph(graph.as_ref(), quads.into_iter().map(Ok::<_, String>))
        .expect("reload");
    for query in [
        "tasks-per-lead-unit",
        "unit-cooperation-network",
        "goals-by-year",
    ] {
        let text = std::fs::read_to_string(util::root().join(format!("queries/{query}.rq")))
            .expect("query");
        assert_eq!(rows(&reloaded, &text), rows(&store, &text), "{query}");
    }

    // A second, independent parser, where one is installed (make test installs raptor).
    let rapper = std::process::Command::new("rapper")
        .args(["--version"])
        .output();
    if rapper.is_ok_and(|o| o.status.success()) {
        let path = temp_dir("export").with_extension("ttl");
        std::fs::write(&path, &turtle).expect("write export");
        let out = std::process::Command::new("rapper")
            .args(["-i", "turtle", "-c"])
            .arg(&path)
            .output()
            .expect("rapper runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let report = String::from_utf8_lossy(&out.stderr);
        assert!(
            report.contains(&format!("returned {} triples", distinct.len())),
            "{report}"
        );
    }
}

#[test]
fn ingesting_twice_changes_nothing_and_a_changed_copy_replaces_the_old_facts() {
    let store = policykg_store::memory_store(Gazetteer::builtin()).expect("store");
    let doc = util::seed();
    let first = store.ingest(&doc).expect("ingest");
    let IngestOutcome::Added(count) = first else {
        panic!("first ingest adds, got {first:?}")
    };
    let before = all_quads(&store);
    assert_eq!(
        store.ingest(&doc).expect("ingest"),
        IngestOutcome::Unchanged(count)
    );
    assert_eq!(all_quads(&store), before);
    // Parsing again gives the same IRIs, so a forced re-ingest writes the same quads.
    let again =
        policykg_extract::extract_file(&util::seed_path(), Gazetteer::builtin()).expect("parse");
    let quads = policykg_extract::rdf::document_quads(&again);
    assert_eq!(quads.len(), count);

    let text = std::fs::read_to_string(util::seed_path()).expect("seed");
    let changed = text.replace(",民航东北地区管理局、沈阳海关、大连海关、", ",");
    assert_ne!(changed, text);
    let doc =
        extract_bytes(changed.as_bytes(), &util::seed_path(), Gazetteer::builtin()).expect("parse");
    let outcome = store.ingest(&doc).expect("ingest");
    assert!(matches!(outcome, IngestOutcome::Replaced(_)), "{outcome:?}");
    let customs = "SELECT ?t WHERE { ?t pol:responsibleUnit ?u . ?u rdfs:label \"沈阳海关\" }";
    assert_eq!(rows(&store, customs).len(), 1, "沈阳海关 is gone");
    let stats = store.stats().expect("stats");
    assert_eq!((stats.documents, stats.tasks), (1, 24));
}

#[test]
fn a_graph_that_fails_half_way_leaves_the_store_exactly_as_it_was() {
    let store = seed_store();
    let before = all_quads(&store);
    let doc = util::seed();
    let key = policykg_extract::vocab::document_key(&doc.source.path);
    let quads = policykg_extract::rdf::document_quads(&doc);
    let half = quads.len() / 2;
    let failing = quads.into_iter().enumerate().map(|(i, q)| {
        if i == half {
            Err("forced failure in the mapping".to_string())
        } else {
            Ok(q)
        }
    });
    let graph = policykg_extract::vocab::document_graph(&key);
    let error = store
        .replace_graph(graph.as_ref(), failing)
        .expect_err("the load fails");
    assert!(error.to_string().contains("forced failure"));
    assert_eq!(all_quads(&store), before);
    // The same for a graph that did not exist yet.
    let new_graph = NamedNode::new("https://policykg.org/graph/new").expect("iri");
    let failing = policykg_extract::rdf::document_quads(&doc)
        .into_iter()
        .enumerate()
        .map(|(i, q)| if i == 10 { Err("stop") } else { Ok(q) });
    assert!(store.replace_graph(new_graph.as_ref(), failing).is_err());
    assert_eq!(all_quads(&store), before);
}

#[test]
fn units_are_scoped_by_jurisdiction() {
    let liaoning = "辽宁省人民政府办公厅关于甲事的通知\n一、任务\n（一）做甲事。（牵头单位：省科技厅）\n辽宁省人民政府办公厅\n2021年1月8日\n";
    let liaoning_too = "辽宁省人民政府办公厅关于乙事的通知\n一、任务\n（一）做乙事。（牵头单位：省科技厅）\n辽宁省人民政府办公厅\n2021年2月8日\n";
    let jiangsu = "江苏省人民政府办公厅关于丙事的通知\n一、任务\n（一）做丙事。（牵头单位：省科技厅）\n江苏省人民政府办公厅\n2021年3月8日\n";
    let store = policykg_store::memory_store(Gazetteer::builtin()).expect("store");
    for (name, text) in [
        ("ln-a.txt", liaoning),
        ("ln-b.txt", liaoning_too),
        ("js.txt", jiangsu),
    ] {
        let doc =
            extract_bytes(text.as_bytes(), Path::new(name), Gazetteer::builtin()).expect("parse");
        store.ingest(&doc).expect("ingest");
    }
    let got = rows(
        &store,
        "SELECT ?unit (COUNT(DISTINCT ?task) AS ?tasks) WHERE { ?task pol:leadUnit ?unit } GROUP BY ?unit",
    );
    assert_eq!(
        got,
        [
            "unit\ttasks",
            "https://policykg.org/id/unit/江苏省/省科技厅\t1",
            "https://policykg.org/id/unit/辽宁省/省科技厅\t2",
        ]
    );
}

/// The seed and every document of `tests/corpus/`, in one store in memory.
fn corpus_store() -> (PolicyStore, usize) {
    let store = seed_store();
    let dir = util::root().join("tests/corpus");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("corpus")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    paths.sort();
    for path in &paths {
        store.ingest(&util::parse(path)).expect("ingest");
    }
    (store, paths.len() + 1)
}

#[test]
fn the_seed_and_every_corpus_document_pass_validation() {
    let (store, documents) = corpus_store();
    assert_eq!(store.stats().expect("stats").documents, documents);
    assert_eq!(
        validate(&store, CancellationToken::new()).expect("validate"),
        []
    );
}

/// A named query written to stay fast on a large corpus answers what its plain form
/// (`tests/queries/plain/`) answers, on several documents whose units, strategies and
/// regions overlap: the rewrites join labels and counts across graphs, which one
/// document alone would not exercise.
#[test]
fn named_queries_agree_with_their_plain_forms_on_the_corpus() {
    let (store, _) = corpus_store();
    let dir = util::root().join("tests/queries/plain");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("tests/queries/plain")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "rq"))
        .filter_map(|p| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
        .collect();
    names.sort();
    assert_eq!(names.len(), 10, "{names:?}");
    for name in &names {
        let read = |path: PathBuf| {
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        };
        let fast = rows(
            &store,
            &read(util::root().join(format!("queries/{name}.rq"))),
        );
        let plain = rows(&store, &read(dir.join(format!("{name}.rq"))));
        // A header and at least one row from each of several documents.
        assert!(fast.len() > 10, "{name}: {} rows", fast.len() - 1);
        assert_eq!(fast, plain, "{name}");
    }
}

#[test]
fn validation_reports_a_broken_graph() {
    let store = seed_store();
    let broken = r#"
        PREFIX pol: <https://policykg.org/ns#>
        PREFIX prov: <http://www.w3.org/ns/prov#>
        INSERT DATA { GRAPH <https://policykg.org/graph/broken> {
          <https://policykg.org/id/doc/broken> a pol:Document ; pol:fullText "短文" ;
              pol:hasTask <https://policykg.org/id/doc/broken/task/1>, <https://policykg.org/id/doc/broken/task/2> .
          <https://policykg.org/id/doc/broken/task/1> a pol:Task ;
              pol:unitLink <https://policykg.org/id/doc/broken/task/1/lead/1> .
          <https://policykg.org/id/doc/broken/task/2> a pol:Task ;
              pol:section <https://policykg.org/id/doc/broken/section/1> .
          <https://policykg.org/id/doc/broken/span/1-9> a pol:Evidence ; pol:start 1 ; pol:end 9 ;
              prov:wasQuotedFrom <https://policykg.org/id/doc/broken> .
          <https://policykg.org/id/unit/x/无名> a pol:Unit .
        } }"#;
    oxigraph::sparql::SparqlEvaluator::new()
        .parse_update(broken)
        .expect("update parses")
        .on_store(store.oxigraph())
        .execute()
        .expect("update runs");
    let got: Vec<(String, String)> = validate(&store, CancellationToken::new())
        .expect("validate")
        .into_iter()
        .map(|v| (v.check.to_string(), v.node))
        .collect();
    let d = "https://policykg.org/id/doc/broken";
    assert_eq!(
        got,
        [
            ("task-has-one-section".to_string(), format!("{d}/task/1")),
            ("task-has-unit-link".to_string(), format!("{d}/task/2")),
            ("evidence-inside-text".to_string(), format!("{d}/span/1-9")),
            (
                "unit-has-label-and-jurisdiction".to_string(),
                "https://policykg.org/id/unit/x/无名".to_string()
            ),
        ]
    );
}

mod cli {
    use super::*;
    use assert_cmd::Command;
    use predicates::prelude::*;

    fn policykg(store: &Path) -> Command {
        let mut cmd = Command::cargo_bin("policykg").expect("binary");
        cmd.arg("--store").arg(store);
        cmd
    }

    fn seeded(name: &str) -> PathBuf {
        let store = temp_dir(name);
        policykg(&store)
            .arg("ingest")
            .arg(util::seed_path())
            .assert()
            .success()
            .stdout(predicate::str::contains(
                "documents: 1 added, 0 replaced, 0 unchanged, 0 failed;",
            ));
        store
    }

    #[test]
    fn ingest_reports_failures_and_keeps_the_others() {
        let store = temp_dir("ingest");
        let bad = temp_dir("bad").with_extension("txt");
        std::fs::write(&bad, b"").expect("write");
        policykg(&store)
            .arg("ingest")
            .arg(&bad)
            .arg(util::root().join("tests/corpus/03.txt"))
            .assert()
            .failure()
            .stderr(predicate::str::contains(bad.display().to_string()))
            .stdout(predicate::str::contains(
                "1 added, 0 replaced, 0 unchanged, 1 failed",
            ));
        policykg(&store)
            .arg("stats")
            .assert()
            .success()
            .stdout(predicate::str::contains("documents: 1"))
            .stdout(predicate::str::contains("tasks:     20"));
    }

    #[test]
    fn query_formats_and_errors() {
        let store = seeded("query");
        let count = "SELECT (COUNT(?t) AS ?n) WHERE { ?t a pol:Task }";
        policykg(&store)
            .args(["query", count, "--format", "csv"])
            .assert()
            .success()
            .stdout("n\r\n24\r\n");
        policykg(&store)
            .args(["query", count, "--format", "json"])
            .assert()
            .success()
            .stdout(predicate::str::contains(r#""value":"24""#));
        policykg(&store)
            .args(["query", "ASK { ?t a pol:Task }", "--format", "tsv"])
            .assert()
            .success()
            .stdout("true");
        policykg(&store)
            .args(["query", "CONSTRUCT { ?d a pol:Document } WHERE { ?d a pol:Document }", "--format", "nt"])
            .assert()
            .success()
            .stdout("<https://policykg.org/id/doc/liaoning-2021-1> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://policykg.org/ns#Document> .\n");
        policykg(&store)
            .args(["query", "SELECT ?x WHERE { ?x ?y }"])
            .assert()
            .failure()
            .stderr(predicate::str::contains("SPARQL syntax error"))
            .stderr(predicate::str::contains("1:"));
        policykg(&store)
            .args(["query", count, "--format", "yaml"])
            .assert()
            .failure()
            .stderr(predicate::str::contains("unknown --format yaml"));
        policykg(&store)
            .args(["query", count, "--format", "ttl"])
            .assert()
            .failure()
            .stderr(predicate::str::contains(
                "ttl is not a format for SELECT results",
            ));
        policykg(&store)
            .args(["query", "--file"])
            .arg(util::root().join("queries/tasks-per-lead-unit.rq"))
            .assert()
            .success()
            .stdout(predicate::str::contains("省科技厅"));
    }

    #[test]
    fn a_query_past_its_time_limit_is_cancelled() {
        let store = seeded("timeout");
        let slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }";
        policykg(&store)
            .args(["query", slow, "--timeout", "0.5"])
            .assert()
            .failure()
            .stderr(predicate::str::contains("time limit"));
    }

    #[test]
    fn export_is_deterministic_and_filters_by_graph() {
        let store = seeded("export");
        let run = |format: &str| {
            policykg(&store)
                .args(["export", "rdf", "--format", format])
                .output()
                .expect("runs")
        };
        let first = run("nq");
        assert!(first.status.success());
        assert_eq!(first.stdout, run("nq").stdout);
        for format in ["ttl", "nt", "trig", "rdfxml", "jsonld"] {
            let out = run(format);
            assert!(out.status.success(), "{format}");
            assert!(!out.stdout.is_empty(), "{format}");
        }
        let graph = policykg(&store)
            .args([
                "export",
                "rdf",
                "--format",
                "nq",
                "--graph",
                "https://policykg.org/graph/reference",
            ])
            .output()
            .expect("runs");
        let text = String::from_utf8(graph.stdout).expect("utf-8");
        assert!(
            text.lines()
                .all(|l| l.ends_with("<https://policykg.org/graph/reference> ."))
        );
        policykg(&store)
            .args([
                "export",
                "rdf",
                "--graph",
                "https://policykg.org/graph/none",
            ])
            .assert()
            .failure()
            .stderr(predicate::str::contains("no such graph"));
        policykg(&store)
            .args(["export", "rdf", "--format", "docx"])
            .assert()
            .failure()
            .stderr(predicate::str::contains("unknown --format docx"));
    }

    #[test]
    fn a_reader_that_stops_reading_ends_the_output_quietly() {
        let store = seeded("closed-pipe");
        for args in [
            vec!["stats"],
            vec!["export", "rdf"],
            vec!["query", "SELECT * WHERE { ?s ?p ?o }"],
        ] {
            let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_policykg"))
                .arg("--store")
                .arg(&store)
                .args(&args)
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .expect("runs");
            // As `| head -c 1` does: one byte read (or none), then the pipe closed.
            let mut stdout = child.stdout.take().expect("stdout");
            let _ = std::io::Read::read(&mut stdout, &mut [0u8; 1]);
            drop(stdout);
            let out = child.wait_with_output().expect("ends");
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(out.status.success(), "{args:?}: {:?} {stderr}", out.status);
            assert_eq!(stderr, "", "{args:?}");
        }
    }

    #[test]
    fn a_store_path_that_is_a_file_is_refused() {
        let path = temp_dir("file-store");
        std::fs::write(&path, b"not a store").expect("write");
        policykg(&path)
            .arg("ingest")
            .arg(util::seed_path())
            .assert()
            .failure()
            .stderr(predicate::str::contains("is not a directory"));
        assert_eq!(std::fs::read(&path).expect("file kept"), b"not a store");
        policykg(&temp_dir("nowhere"))
            .arg("stats")
            .assert()
            .failure()
            .stderr(predicate::str::contains("no store at"));
    }

    #[test]
    fn a_read_only_store_is_refused_for_writing_and_still_read() {
        use std::os::unix::fs::PermissionsExt;
        let store = seeded("read-only");
        std::fs::set_permissions(&store, std::fs::Permissions::from_mode(0o555)).expect("chmod");
        policykg(&store)
            .arg("ingest")
            .arg(util::root().join("tests/corpus/03.txt"))
            .assert()
            .failure()
            .stderr(predicate::str::contains("is read-only"));
        policykg(&store)
            .arg("stats")
            .assert()
            .success()
            .stdout(predicate::str::contains("documents: 1"));
        std::fs::set_permissions(&store, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    }

    #[test]
    fn a_second_process_reads_while_the_store_is_open_for_writing() {
        let path = seeded("concurrent");
        let writer =
            policykg_store::open_store(&path, Gazetteer::builtin()).expect("open for writing");
        writer
            .ingest(&util::parse(&util::root().join("tests/corpus/03.txt")))
            .expect("ingest");
        policykg(&path)
            .args([
                "query",
                "SELECT (COUNT(?d) AS ?n) WHERE { ?d a pol:Document }",
                "--format",
                "tsv",
            ])
            .assert()
            .success()
            .stdout(predicate::str::contains("2"));
        drop(writer);
    }

    #[test]
    fn validate_command() {
        let store = seeded("validate");
        policykg(&store)
            .arg("validate")
            .assert()
            .success()
            .stdout("0 violations (5 checks)\n");
    }
}

/// The tasks found for `query`, sorted.
fn tasks_found(store: &PolicyStore, query: &str) -> Vec<String> {
    let results = store.search(query, 100, 0).expect("search");
    let mut tasks: Vec<String> = results
        .hits
        .into_iter()
        .filter(|hit| hit.node.contains("/task/"))
        .map(|hit| hit.node)
        .collect();
    tasks.sort();
    tasks
}

/// The seed's tasks whose text names 张江 (上海张江 in 2.3.1, 张江实验室 in 2.3.3).
fn zhangjiang_tasks() -> Vec<String> {
    ["2.3.1", "2.3.3"]
        .map(|n| format!("https://policykg.org/id/doc/liaoning-2021-1/task/{n}"))
        .to_vec()
}

#[test]
fn the_search_index_follows_every_write_and_is_found_again_on_disk() {
    let dir = temp_dir("search-follows");
    let gazetteer = Gazetteer::builtin();
    {
        let store = policykg_store::open_store(&dir, gazetteer).expect("store");
        assert!(tasks_found(&store, "张江").is_empty());
        store.ingest(&util::seed()).expect("seed ingests");
        assert_eq!(tasks_found(&store, "张江"), zhangjiang_tasks());
        let graph = NamedNode::new("https://policykg.org/graph/liaoning-2021-1").expect("iri");
        store.remove_graph(graph.as_ref()).expect("removed");
        assert!(tasks_found(&store, "张江").is_empty());
        store.ingest(&util::seed()).expect("seed ingests again");
    }
    assert!(!dir.join("search-pending").exists());
    // A reader searches the index the writer left.
    let reader = PolicyStore::open_read_only(&dir).expect("read-only");
    assert_eq!(tasks_found(&reader, "张江"), zhangjiang_tasks());
    drop(reader);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_write_the_index_did_not_follow_is_indexed_when_the_store_is_next_opened() {
    let dir = temp_dir("search-catches-up");
    let gazetteer = Gazetteer::builtin();
    {
        let store = policykg_store::open_store(&dir, gazetteer).expect("store");
        store.ingest(&util::seed()).expect("seed ingests");
    }
    // As if the process had stopped between the two commits of a write: the record of the
    // graphs being written is left, and the index lost its entries.
    std::fs::remove_dir_all(dir.join("search")).expect("index removed");
    std::fs::write(
        dir.join("search-pending"),
        "https://policykg.org/graph/liaoning-2021-1\n",
    )
    .expect("record written");
    {
        // A reader does not trust an index being written: it builds one in memory.
        let reader = PolicyStore::open_read_only(&dir).expect("read-only");
        assert_eq!(tasks_found(&reader, "张江"), zhangjiang_tasks());
    }
    let store = policykg_store::open_store(&dir, gazetteer).expect("store reopens");
    assert!(!dir.join("search-pending").exists());
    assert_eq!(tasks_found(&store, "张江"), zhangjiang_tasks());
    // Units of the reference data are found too.
    let hits = store.search("省科技厅", 10, 0).expect("search");
    assert!(hits.total >= 1);
    assert_eq!(hits.hits[0].label, "省科技厅");
    drop(store);
    let _ = std::fs::remove_dir_all(&dir);
}
