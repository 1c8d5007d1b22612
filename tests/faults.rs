//! Faults from outside the program: `kill -9` of an ingest and of a server in the middle of
//! their writes, a disk that fills up, a store directory on read-only media, a restart.
//! After each, every document is in the store entirely or not at all, the kept statistics
//! equal a recount (`policykg validate` is clean) and nothing stored before is lost.
//!
//! The disk and read-only cases mount a small tmpfs and a read-only bind mount, which needs
//! root with CAP_SYS_ADMIN (as `make test` has here); where mounting is refused they say so
//! on standard error and try nothing.

use crate::util;
use policykg_devtools::generate::{CorpusOptions, generate_corpus};

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use util::server::{Client, Server, encode};

const TRIALS: u32 = 20;
const TOKEN: &str = "faults-token";

fn policykg(store: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_policykg"));
    command.arg("--store").arg(store);
    command
}

fn run(command: &mut Command) -> Output {
    command.output().expect("policykg runs")
}

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("policykg-faults-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

fn corpus(name: &str, docs: usize) -> PathBuf {
    let dir = temp(name);
    generate_corpus(&CorpusOptions { docs, seed: 11 }, &dir).expect("a generated corpus");
    // The manifest is not a document.
    let _ = std::fs::remove_file(dir.join("manifest.json"));
    dir
}

/// Triples per named graph, read by the command line (which opens the store read-only).
fn graph_triples(store: &Path) -> BTreeMap<String, usize> {
    let out = run(policykg(store).args([
        "query",
        "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
        "--format",
        "csv",
    ]));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .skip(1)
        .filter_map(|line| {
            let (graph, n) = line.trim_end().rsplit_once(',')?;
            Some((graph.to_string(), n.parse().ok()?))
        })
        .collect()
}

fn assert_valid(store: &Path, context: &str) {
    let out = run(policykg(store).arg("validate"));
    assert!(
        out.status.success(),
        "{context}: validate: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

const STATISTICS: &str = "https://policykg.org/graph/statistics";

/// Every graph of `store` holds what the same graph holds after a whole ingest.
fn assert_whole_documents(store: &Path, whole: &BTreeMap<String, usize>, context: &str) -> usize {
    let found = graph_triples(store);
    let mut documents = 0;
    for (graph, triples) in &found {
        if graph == STATISTICS {
            continue;
        }
        assert_eq!(
            Some(triples),
            whole.get(graph),
            "{context}: {graph} holds {triples} triples"
        );
        documents += 1;
    }
    documents
}

#[test]
fn an_ingest_killed_at_any_moment_leaves_whole_documents() {
    let docs = corpus("ingest-corpus", 8);
    let reference = temp("ingest-reference");
    let started = Instant::now();
    let out = run(policykg(&reference).arg("ingest").arg(&docs));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let whole_time = started.elapsed();
    let whole = graph_triples(&reference);
    // 8 documents, the reference graph and the statistics graph.
    assert_eq!(whole.len(), 10, "{whole:?}");

    let mut seen = std::collections::BTreeSet::new();
    for trial in 0..TRIALS {
        let store = temp(&format!("ingest-{trial}"));
        // Kills spread over the whole ingest, past its end for the last ones.
        let at = whole_time.mul_f64(f64::from(trial) / f64::from(TRIALS) * 1.1);
        let mut child = policykg(&store)
            .args(["ingest", "--batch", "2"])
            .arg(&docs)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("ingest starts");
        std::thread::sleep(at);
        let _ = child.kill();
        let _ = child.wait();
        let context = format!("trial {trial}, killed after {at:?}");
        if !store.join("CURRENT").exists() {
            // Killed before the store was made.
            seen.insert(0);
            continue;
        }
        let documents = assert_whole_documents(&store, &whole, &context);
        seen.insert(documents);
        assert_valid(&store, &context);
        // The next ingest finishes what the killed one began.
        if trial % 5 == 0 {
            let out = run(policykg(&store).arg("ingest").arg(&docs));
            assert!(out.status.success(), "{context}: resumed ingest failed");
            assert_eq!(graph_triples(&store), whole, "{context}: after resuming");
        }
        let _ = std::fs::remove_dir_all(&store);
    }
    // The kills landed at different stages, not all before or all after the writes.
    eprintln!("graphs (reference and documents) found after the kills: {seen:?}");
    assert!(
        seen.len() >= 2,
        "the kills all left the same state: {seen:?}"
    );
}

/// A graph of `n` triples, as Turtle.
fn graph_body(n: usize, tag: &str) -> String {
    (0..n)
        .map(|i| format!("<urn:x:{tag}:s{i}> <urn:x:p> \"{tag} value {i}\" .\n"))
        .collect()
}

const PER_GRAPH: usize = 300;

#[test]
fn a_server_killed_during_writes_keeps_every_acknowledged_graph_whole() {
    let store = temp("server");
    let seed = util::seed_path();
    let env = [("POLICYKG_UPDATE_TOKEN", TOKEN)];
    let data_args = ["--data", seed.to_str().expect("UTF-8")];
    let mut acknowledged: Vec<String> = Vec::new();
    for trial in 0..TRIALS {
        let server = Server::start(&store, &data_args, &env);
        let port = server.port;
        let writer = std::thread::spawn(move || {
            let client = ClientOf(port);
            let mut done = Vec::new();
            for k in 0.. {
                let graph = format!("https://policykg.org/graph/fault-{trial}-{k}");
                let body = graph_body(PER_GRAPH, &format!("{trial}-{k}"));
                match client.put(&graph, &body) {
                    Some(201) => done.push(graph),
                    Some(status) => panic!("PUT {graph}: {status}"),
                    None => return done,
                }
            }
            done
        });
        std::thread::sleep(Duration::from_millis(150 + u64::from(trial * 37 % 400)));
        server.kill_now();
        acknowledged.extend(writer.join().expect("the writer ends"));
    }
    eprintln!(
        "{} graphs acknowledged over {TRIALS} kills",
        acknowledged.len()
    );
    assert!(acknowledged.len() >= 5, "too few writes");

    // After a restart: every acknowledged graph is there whole, any other graph written
    // is whole too, and the seed is untouched.
    let server = Server::start(&store, &data_args, &env);
    let r = server.request(
        "GET",
        &format!(
            "/sparql?query={}",
            encode("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), \"https://policykg.org/graph/fault-\")) } GROUP BY ?g")
        ),
        &[("Accept", "text/csv")],
        b"",
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let stored: BTreeMap<String, usize> = r
        .text()
        .lines()
        .skip(1)
        .filter_map(|l| {
            let (g, n) = l.rsplit_once(',')?;
            Some((g.to_string(), n.parse().ok()?))
        })
        .collect();
    for graph in &acknowledged {
        assert_eq!(
            stored.get(graph),
            Some(&PER_GRAPH),
            "{graph} was acknowledged"
        );
    }
    for (graph, n) in &stored {
        assert_eq!(*n, PER_GRAPH, "{graph} is half written");
    }
    let r = server.request(
        "GET",
        &format!(
            "/sparql?query={}",
            encode("SELECT (COUNT(?t) AS ?n) WHERE { ?t a pol:Task }")
        ),
        &[("Accept", "text/csv")],
        b"",
    );
    assert_eq!(r.text(), "n\r\n24\r\n");
    server.stop();
    assert_valid(&store, "after 20 kills");
}

/// Graph Store PUTs from a thread that outlives the server.
struct ClientOf(u16);

impl ClientOf {
    /// The status, or `None` once the server is gone.
    fn put(&self, graph: &str, body: &str) -> Option<u16> {
        Client { port: self.0 }
            .try_request(
                "PUT",
                &format!("/store?graph={}", encode(graph)),
                &[
                    ("Content-Type", "text/turtle"),
                    ("Authorization", &format!("Bearer {TOKEN}")),
                ],
                body.as_bytes(),
            )
            .ok()
            .map(|r| r.status)
    }
}

/// Mounts a tmpfs of `megabytes` at `dir`; `None` where mounting is not allowed.
fn tmpfs(dir: &Path, megabytes: u32) -> Option<Mount> {
    std::fs::create_dir_all(dir).expect("mount point");
    let out = run(Command::new("mount").args([
        "-t",
        "tmpfs",
        "-o",
        &format!("size={megabytes}m"),
        "tmpfs",
        dir.to_str().expect("UTF-8"),
    ]));
    out.status.success().then(|| Mount(dir.to_path_buf()))
}

struct Mount(PathBuf);

impl Drop for Mount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

#[test]
fn a_full_disk_gives_a_clear_error_and_loses_nothing() {
    let dir = temp("full");
    let Some(mount) = tmpfs(&dir, 16) else {
        eprintln!("a full disk needs a tmpfs mount (root, CAP_SYS_ADMIN): not tried here");
        return;
    };
    let store = mount.0.join("store");
    let out = run(policykg(&store).arg("ingest").arg(util::seed_path()));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let before = graph_triples(&store);

    let docs = corpus("full-corpus", 30);
    let out = run(policykg(&store).arg("ingest").arg(&docs));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("No space left on device"), "{stderr}");
    assert!(stderr.contains("gen-00001.txt: not stored"), "{stderr}");
    // Whatever landed is whole and what was there before is still there.
    let after = graph_triples(&store);
    for (graph, triples) in &before {
        if graph != STATISTICS {
            assert_eq!(after.get(graph), Some(triples), "{graph} lost triples");
        }
    }
    assert_valid(&store, "after the disk filled");

    // With room again, the same ingest completes.
    let grown = run(Command::new("mount").args([
        "-o",
        "remount,size=128m",
        mount.0.to_str().expect("UTF-8"),
    ]));
    assert!(grown.status.success());
    let out = run(policykg(&store).arg("ingest").arg(&docs));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(graph_triples(&store).len(), before.len() + 30);
    assert_valid(&store, "after the disk had room again");
}

#[test]
fn a_store_on_read_only_media_is_read_and_not_written() {
    let store = temp("read-only-source");
    let out = run(policykg(&store).arg("ingest").arg(util::seed_path()));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let before = graph_triples(&store);
    let view = temp("read-only");
    std::fs::create_dir_all(&view).expect("mount point");
    let bound = run(Command::new("mount").arg("--bind").arg(&store).arg(&view));
    if !bound.status.success() {
        eprintln!("a read-only store needs a bind mount (root, CAP_SYS_ADMIN): not tried here");
        return;
    }
    let mount = Mount(view.clone());
    let remount =
        run(Command::new("mount").args(["-o", "remount,ro,bind", view.to_str().expect("UTF-8")]));
    assert!(remount.status.success());

    let out = run(policykg(&view).arg("ingest").arg(util::seed_path()));
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        format!(
            "error: store directory {} is read-only: cannot write to it (queries and `serve` without an update token can still read it)\n",
            view.display()
        )
    );
    assert_eq!(graph_triples(&view), before);

    // The explorer serves it read-only, and says so.
    let server = Server::start(&view, &[], &[]);
    let r = server.request(
        "GET",
        &format!(
            "/sparql?query={}",
            encode("SELECT (COUNT(?t) AS ?n) WHERE { ?t a pol:Task }")
        ),
        &[("Accept", "text/csv")],
        b"",
    );
    assert_eq!(r.text(), "n\r\n24\r\n");
    assert!(
        server
            .log_text()
            .contains("is read-only: serving it read-only")
    );
    server.stop();
    drop(mount);
}
